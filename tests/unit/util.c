/* util.c: ids and words in lists, the vocabulary every command shares. */
#include <stdlib.h>
#include <string.h>

#include "appt.h"
#include "t.h"

static void
id(const char *s, long want)
{
	char *dup = xstrdup(s);	/* on the heap, for ASan */
	long v = -7;

	ok(appt_parse_id(dup, &v) == 0 && v == want, "id '%s' is %ld", s,
	    want);
	free(dup);
}

static void
notid(const char *s)
{
	char *dup = xstrdup(s);
	long v = -7;

	ok(appt_parse_id(dup, &v) == -1 && v == -7, "'%s' is not an id", s);
	free(dup);
}

static void
in(const char *list, const char *seps, const char *word, int icase,
    int want)
{
	char *l = xstrdup(list), *w = xstrdup(word);

	ok(appt_word_in(l, seps, w, icase) == want, "'%s' %s in '%s' (%s)%s",
	    word, want ? "is" : "is not", list, seps, icase ? " any case" :
	    "");
	free(l);
	free(w);
}

int
main(void)
{
	id("1", 1);
	id("42", 42);
	id("08", 8);
	id("999999999999", APPT_ID_MAX);
	ok(APPT_ID_MAX == 999999999999L, "APPT_ID_MAX is twelve nines");
	notid("");
	notid("0");
	notid("-1");
	notid("+1");
	notid(" 1");
	notid("1 ");
	notid("1x");
	notid("x");
	notid("1.0");
	notid("0x10");
	notid("1000000000000");
	notid("99999999999999999999999");

	/* Statuses of appt-list -S: commas, exact case. */
	in("booked,confirmed", ",", "booked", 0, 1);
	in("booked,confirmed", ",", "confirmed", 0, 1);
	in("booked,confirmed", ",", "book", 0, 0);
	in("booked,confirmed", ",", "confirmed,booked", 0, 0);
	in("booked,confirmed", ",", "Booked", 0, 0);
	in("done", ",", "done", 0, 1);
	in("", ",", "done", 0, 0);
	in("no-show,,done", ",", "done", 0, 1);
	/* The cleared fields of a flag: spaces. */
	in("email phone", " ", "phone", 0, 1);
	in("email  phone ", " ", "phone", 0, 1);
	in("emailphone", " ", "phone", 0, 0);
	in("phones", " ", "phone", 0, 0);
	in("email", " ", "mail", 0, 0);
	/* Staff of a service: any case, blanks around items. */
	in("sam alice", " ", "Alice", 1, 1);
	in("sam, alice", ",", "ALICE", 1, 1);
	in(" sam , alice ", ",", "sam", 1, 1);
	in("sam,alice", ",", "al", 1, 0);
	in("sam,alice", ",", "sam,alice", 1, 0);
	in("sam alice", " ", "Alice", 0, 0);
	/* No word is in any list. */
	in("a,,b", ",", "", 0, 0);
	in("a, ,b", ",", " ", 0, 0);
	in("", ",", "", 0, 0);
	/* More than one separator. */
	in("a b,c\td", " ,\t", "c", 0, 1);
	in("a b,c\td", " ,\t", "d", 0, 1);
	in("a b,c\td", " ,\t", "b,c", 0, 0);
	return done();
}
