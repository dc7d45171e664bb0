/* utf8.c: the one UTF-8 check, and the RFC 2047 encoder on any bytes. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"
#include "t.h"

static void
valid(const char *s, size_t n, int want, const char *what)
{
	char *dup = xmalloc(n);	/* exactly n bytes, for ASan */

	memcpy(dup, s, n);
	ok(appt_utf8_valid(dup, n) == want, "%s %s", what,
	    want ? "valid" : "invalid");
	free(dup);
}

/* Encode s; every word decodes to its part of s, and nothing is lost. */
static void
enc(const char *s, const char *what)
{
	struct appt_buf b = { 0 };
	size_t words = 0, chars = 0;
	const char *p;

	appt_encword(&b, s);
	for (p = b.s; p && (p = strstr(p, "=?UTF-8?B?")); p += 10)
		words++;
	for (p = b.s; p && *p; p++)
		if (*p == '\n')
			chars = 0;
		else if (++chars > 76)
			break;
	ok(b.s && words >= strlen(s) / 45 && (!p || !*p), "encode %s: %zu "
	    "words, no line over 76", what, words);
	appt_buf_free(&b);
}

/* A loop that never ends is a failure, not a hung suite. */
static void
timeout(int sig)
{
	static const char msg[] = "not ok - no return within 10 s\n";

	(void)sig;
	fflush(stdout);
	if (write(STDOUT_FILENO, msg, sizeof msg - 1) < 0)
		_exit(2);
	_exit(1);
}

int
main(void)
{
	char bad[128];
	int i;

	signal(SIGALRM, timeout);
	alarm(10);
	valid("", 0, 1, "empty");
	valid("plain ASCII", 11, 1, "ASCII");
	valid("Zo\xc3\xab M\xc3\xbcller", 12, 1, "Zoë Müller");
	valid("\xe2\x82\xac", 3, 1, "U+20AC");
	valid("\xf0\x9f\x98\x80", 4, 1, "U+1F600");
	valid("\xf4\x8f\xbf\xbf", 4, 1, "U+10FFFF");
	valid("\xed\x9f\xbf", 3, 1, "U+D7FF");
	valid("\xee\x80\x80", 3, 1, "U+E000");
	valid("M\xfcller", 6, 0, "Latin-1 ü");
	valid("\x80", 1, 0, "lone continuation");
	valid("\xc3", 1, 0, "cut 2-byte");
	valid("\xe2\x82", 2, 0, "cut 3-byte");
	valid("\xf0\x9f\x98", 3, 0, "cut 4-byte");
	valid("\xc0\xaf", 2, 0, "overlong '/' (C0)");
	valid("\xc1\xbf", 2, 0, "overlong (C1)");
	valid("\xe0\x80\xaf", 3, 0, "overlong 3-byte");
	valid("\xe0\x9f\xbf", 3, 0, "overlong 3-byte, top");
	valid("\xf0\x80\x80\xaf", 4, 0, "overlong 4-byte");
	valid("\xf0\x8f\xbf\xbf", 4, 0, "overlong 4-byte, top");
	valid("\xed\xa0\x80", 3, 0, "surrogate U+D800");
	valid("\xed\xbf\xbf", 3, 0, "surrogate U+DFFF");
	valid("\xf4\x90\x80\x80", 4, 0, "U+110000");
	valid("\xf5\x80\x80\x80", 4, 0, "F5 lead");
	valid("\xff", 1, 0, "FF");
	valid("\xe2\x28\xa1", 3, 0, "bad second byte");
	ok(appt_utf8_badline("a\nb\nc\xff\n", 7) == 3, "bad byte on line 3");
	ok(appt_utf8_badline("a\nb\n", 4) == 0, "no bad line");
	ok(appt_bad_text("M\xfcller"), "bad text: Latin-1");
	ok(!appt_bad_text("a\tb"), "bad text: a tab in a file is not");
	ok(appt_input_bad("a\tb") != NULL, "input: a tab is refused");
	ok(appt_input_bad("M\xfcller") != NULL, "input: Latin-1 refused");
	ok(appt_input_bad("Zo\xc3\xab") == NULL, "input: UTF-8 taken");

	/* The name: 'A' and 60 continuation bytes. */
	bad[0] = 'A';
	memset(bad + 1, 0x80, 60);
	bad[61] = '\0';
	enc(bad, "A and 60 x 0x80");
	memset(bad, 0xff, 100);
	bad[100] = '\0';
	enc(bad, "100 x 0xff");
	for (i = 0; i < 100; i++)
		bad[i] = (char)(0x80 + i % 0x40);
	enc(bad, "100 continuation bytes");
	enc("Zo\xc3\xab M\xc3\xbcller, a name of some length that needs "
	    "two words \xf0\x9f\x98\x80\xf0\x9f\x98\x80", "UTF-8");
	return done();
}
