/*
 * The email and phone normalisers of lib/norm.c: lines of the input, each
 * as an email and as a phone number in several countries. A phone number
 * comes out as + and at most 15 digits (or bare digits where no country
 * places it); an email keeps its @ and is lower case.
 */
#include <ctype.h>

#include "fuzz.h"

static void
phone(const char *s, const char *cc)
{
	char out[32];
	const char *p;

	if (appt_norm_phone(s, cc, out, sizeof out) < 0)
		return;
	p = out[0] == '+' ? out + 1 : out;
	must(*p && strspn(p, "0123456789") == strlen(p), "'%s' (%s) gave "
	    "'%s'", s, cc ? cc : "-", out);
	must(strlen(p) <= 15 || (out[0] != '+' && strlen(p) <= 31),
	    "'%s' (%s) gave %zu digits", s, cc ? cc : "-", strlen(p));
	if (out[0] == '+')
		must(p[0] != '0', "'%s' (%s) gave '%s'", s, cc ? cc : "-",
		    out);
}

static void
email(const char *s)
{
	char *e = appt_norm_email(s), *p;

	must(e, "no normal form");
	for (p = e; *p; p++)
		must(!isupper((unsigned char)*p), "'%s' gave '%s'", s, e);
	must(!strchr(s, '@') == !strchr(e, '@'), "'%s' gave '%s'", s, e);
	if (appt_email_valid(s)) {
		must(!strpbrk(s, " \t\r\n<>,;:\"") && *s != '-', "'%s' valid",
		    s);
		must(strchr(e, '@'), "'%s' valid, gave '%s'", s, e);
	}
	free(e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char *cc[] = { "DE", "us", "GB", "HU", "CA", "FR", "CZ",
	    "", "XX", NULL };
	char *buf = xstrndup((const char *)d, n > 4096 ? 4096 : n);
	char *line, *save = NULL;
	size_t i;

	for (line = strtok_r(buf, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		email(line);
		for (i = 0; i < sizeof cc / sizeof cc[0]; i++)
			phone(line, cc[i]);
		(void)appt_country_known(line);
	}
	free(buf);
	return 0;
}
