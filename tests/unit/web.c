/* web.c: the booking page's request parser, escaping, tokens, limits. */
#include <stdlib.h>

#include "appt.h"
#include "t.h"

/* Parse a POST of body (and a query): the status. */
static int
post(struct appt_cgi *c, const char *path, const char *query,
    const char *body)
{
	char *b = xstrdup(body);	/* on the heap, for ASan */
	const char *why = NULL;
	int st = appt_cgi_parse(c, "POST", path, query, b, strlen(b), &why);

	free(b);
	return st;
}

static void
refused(const char *body, int want)
{
	struct appt_cgi c;

	ok(post(&c, "/book", NULL, body) == want, "'%s' refused with %d",
	    body, want);
	appt_cgi_free(&c);
}

int
main(void)
{
	struct appt_cgi c;
	struct appt_buf b = { 0 };
	unsigned char key[APPT_WEBKEY_LEN] = { 1, 2, 3 };
	char tok[APPT_WEBTOKEN_LEN], bad[APPT_WEBTOKEN_LEN];
	const char *why;
	size_t len;
	long n, m;

	/* The head: method, type and length before any body is read. */
	ok(appt_cgi_head("GET", NULL, NULL, &len, &why) == 0, "GET");
	ok(appt_cgi_head("PUT", NULL, NULL, &len, &why) == 405, "PUT 405");
	ok(appt_cgi_head("POST", "application/x-www-form-urlencoded", NULL,
	    &len, &why) == 411, "no length 411");
	ok(appt_cgi_head("POST", "application/x-www-form-urlencoded", "8193",
	    &len, &why) == 413, "8193 bytes 413");
	ok(appt_cgi_head("POST", "application/x-www-form-urlencoded; "
	    "charset=UTF-8", "8192", &len, &why) == 0 && len == 8192,
	    "8192 bytes with a charset");
	ok(appt_cgi_head("POST", "multipart/form-data", "10", &len, &why) ==
	    415, "multipart 415");
	ok(appt_cgi_head("POST", "application/x-www-form-urlencoded", "1e3",
	    &len, &why) == 400, "a length that is no number 400");

	/* Fields: decoded, CR LF made LF, the path cut into segments. */
	ok(post(&c, "/m/12/AbC-_", "from=2026-11-24",
	    "name=Ann+L%C3%A9e&note=a%0D%0Ab%0Dc&empty=&bare") == 0,
	    "a form parses");
	is(appt_cgi_get(&c, "name"), "Ann Lée", "+ and %%XX");
	is(appt_cgi_get(&c, "note"), "a\nb\nc", "CR LF and CR made LF");
	is(appt_cgi_get(&c, "empty"), "", "an empty value");
	is(appt_cgi_get(&c, "bare"), "", "a name alone");
	is(appt_cgi_get(&c, "from"), "2026-11-24", "the query too");
	ok(appt_cgi_get(&c, "nosuch") == NULL, "an absent field");
	ok(c.nseg == 3 && !strcmp(c.seg[0], "m") && !strcmp(c.seg[2],
	    "AbC-_"), "three segments");
	appt_cgi_free(&c);

	refused("a=%zz", 400);
	refused("a=%4", 400);
	refused("a=%00", 400);
	refused("a=%C3", 400);
	refused("a=1&a=2", 400);
	refused("A=1", 400);
	refused("=1", 400);
	refused("a=b c", 400);
	refused("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&"
	    "n=14&o=15&p=16&q=17", 400);
	ok(post(&c, "/../etc", NULL, "") == 404, "a dot segment 404");
	appt_cgi_free(&c);
	ok(post(&c, "/a b", NULL, "") == 404, "a space in the path 404");
	appt_cgi_free(&c);
	ok(post(&c, "/a/b/c/d/e", NULL, "") == 404, "five segments 404");
	appt_cgi_free(&c);

	/* Escaping. */
	appt_html(&b, "<p title=\"%s\">%s %U %ld%%</p>", "\"'<&>",
	    "<b>x</b>", "a b/é", 42L);
	is(b.s, "<p title=\"&quot;&#39;&lt;&amp;&gt;\">&lt;b&gt;x&lt;/b&gt; "
	    "a%20b%2F%C3%A9 42%</p>", "appt_html escapes every value");
	appt_buf_free(&b);

	/* Tokens. */
	appt_webtoken(key, "12", "2026-11-23T08:00+01:00", tok);
	ok(strlen(tok) == 43, "a token of 43 characters");
	ok(appt_webtoken_ok(key, "12", "2026-11-23T08:00+01:00", tok),
	    "its own token is good");
	ok(!appt_webtoken_ok(key, "13", "2026-11-23T08:00+01:00", tok),
	    "not for another id");
	ok(!appt_webtoken_ok(key, "12", "2026-11-23T08:01+01:00", tok),
	    "not for another creation");
	memcpy(bad, tok, sizeof bad);
	bad[0] = bad[0] == 'A' ? 'B' : 'A';
	ok(!appt_webtoken_ok(key, "12", "2026-11-23T08:00+01:00", bad),
	    "not with a character changed");
	ok(!appt_webtoken_ok(key, "12", "2026-11-23T08:00+01:00", ""),
	    "not empty");
	key[0] = 9;
	ok(!appt_webtoken_ok(key, "12", "2026-11-23T08:00+01:00", tok),
	    "not under another key");

	/* Limits. */
	ok(appt_parse_limit("10/h", &n, &m) == 0 && n == 10 && m == 60,
	    "10/h");
	ok(appt_parse_limit("30/1d", &n, &m) == 0 && n == 30 && m == 1440,
	    "30/1d");
	ok(appt_parse_limit("0", &n, &m) == 0 && n == 0, "0: none");
	ok(appt_parse_limit("10", &n, &m) < 0, "10 alone refused");
	ok(appt_parse_limit("x/h", &n, &m) < 0, "x/h refused");
	ok(appt_parse_limit("5/0m", &n, &m) < 0, "5/0m refused");
	return done();
}
