/* width.c: the columns of a terminal text takes, and text cut to fit. */
#include <stdlib.h>

#include "appt.h"
#include "t.h"

static void
w(const char *s, size_t want, const char *what)
{
	size_t got = appt_width(s);

	ok(got == want, "%s: width %zu (got %zu)", what, want, got);
}

static void
cut(const char *s, size_t width, const char *want, size_t wantn)
{
	struct appt_buf b = { 0 };
	size_t n = appt_buf_addw(&b, s, width);

	is(b.s ? b.s : "", want, "'%s' in %zu columns", s, width);
	ok(n == wantn, "'%s' in %zu columns takes %zu (got %zu)", s, width,
	    wantn, n);
	appt_buf_free(&b);
}

int
main(void)
{
	w("", 0, "empty");
	w("Lukas", 5, "ASCII");
	w("Zo\xc3\xab", 3, "precomposed e with diaeresis");
	w("Zoe\xcc\x88", 3, "combining diaeresis");
	w("\xe5\xb1\xb1\xe7\x94\xb0", 4, "two CJK ideographs");
	w("\xef\xbc\xa1", 2, "fullwidth A");
	w("\xea\xb0\x80", 2, "a Hangul syllable");
	w("\xf0\x9f\x98\x80", 2, "an emoji");
	w("a\xe2\x80\x8b" "b", 2, "zero width space");
	w("a\tb", 3, "a tab shows as a space");
	w("\x80\xff", 2, "bytes that are not UTF-8: one each");
	w("\xe5\xb1", 2, "a cut sequence: one a byte");
	w("\xc0\xaf", 2, "an overlong sequence: one a byte");
	w("\xed\xa0\x80", 3, "a surrogate: one a byte");

	cut("Lukas", 5, "Lukas", 5);
	cut("Lukas", 9, "Lukas", 5);
	cut("Lukas Schmidt", 6, "Lukas\xe2\x80\xa6", 6);
	cut("Lukas", 1, "\xe2\x80\xa6", 1);
	cut("Lukas", 0, "", 0);
	/* A wide character does not fit in the last column before the cut. */
	cut("\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa", 4,
	    "\xe5\xb1\xb1\xe2\x80\xa6", 3);
	cut("\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa", 5,
	    "\xe5\xb1\xb1\xe7\x94\xb0\xe2\x80\xa6", 5);
	/* A combining mark stays with its letter. */
	cut("Zoe\xcc\x88 M", 4, "Zoe\xcc\x88\xe2\x80\xa6", 4);
	/* Control characters as spaces, stray bytes as U+FFFD. */
	cut("a\x1b[31mb", 20, "a [31mb", 7);
	cut("a\x80" "b", 5, "a\xef\xbf\xbd" "b", 3);
	return done();
}
