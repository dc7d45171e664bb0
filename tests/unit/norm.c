/* norm.c: email validity and the comparable forms of email and phone. */
#include <stdlib.h>
#include <string.h>

#include "appt.h"
#include "t.h"

/* s with control characters as \xNN, for a TAP line. */
static const char *
vis(const char *s)
{
	static char buf[256];
	size_t n = 0;

	for (; *s && n < sizeof buf - 5; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			n += snprintf(buf + n, 5, "\\x%02x", (unsigned char)*s);
		else
			buf[n++] = *s;
	buf[n] = '\0';
	return buf;
}

static void
email(const char *s, int want)
{
	char *dup = xstrdup(s);	/* on the heap, for ASan */

	ok(appt_email_valid(dup) == want, "email '%s' %s", vis(s),
	    want ? "valid" : "invalid");
	free(dup);
}

#define nemail(s, want) is_norm(appt_norm_email, "email", s, want)

static void
phone(const char *s, const char *cc, const char *want)
{
	char out[64] = "unset";
	char *dup = xstrdup(s);

	if (appt_norm_phone(dup, cc, out, sizeof out) < 0)
		ok(0, "phone '%s' (%s) = %s: refused", s, cc ? cc : "none",
		    want);
	else
		is(out, want, "phone '%s' (%s)", s, cc ? cc : "none");
	free(dup);
}

static void
badphone(const char *s, const char *cc)
{
	char out[64];
	char *dup = xstrdup(s);

	ok(appt_norm_phone(dup, cc, out, sizeof out) < 0,
	    "phone '%s' (%s) refused", vis(s), cc ? cc : "none");
	free(dup);
}

/* Do a (country ca) and b (country cb) name the same number? */
static int
samephone(const char *a, const char *ca, const char *b, const char *cb)
{
	char x[64], y[64];

	if (appt_norm_phone(a, ca, x, sizeof x) < 0 ||
	    appt_norm_phone(b, cb, y, sizeof y) < 0)
		return -1;
	return strcmp(x, y) == 0;
}

static void
test_email(void)
{
	email("a@b.c", 1);
	email("first.last+tag@example.co.uk", 1);
	email("Sam.Smith@Example.COM", 1);
	email("o'brien@example.ie", 1);
	email("x_y-z@sub.example.org", 1);
	email("", 0);
	email("-x@y.z", 0);
	email("-X/tmp/x@example.com", 0);
	email("a@", 0);
	email("@b", 0);
	email("@b.c", 0);
	email("a", 0);
	email("a b@c.d", 0);
	email("a@b c.d", 0);
	email("a\t@b.c", 0);
	email("a@b@c", 0);
	email("a\r\n@b.c", 0);
	email("a@b.c\n", 0);
	email("a\n@b.c", 0);
	email("a@.b", 0);
	email("a@-b.c", 0);
	email("a@b.", 0);
	email("<a@b.c>", 0);
	email("Sam <a@b.c>", 0);
	email("a,b@c.d", 0);
	email("a;b@c.d", 0);
	email("a\"b@c.d", 0);
	email("a@b.c\x7f", 0);
	ok(appt_email_valid(NULL) == 0, "email NULL invalid");
}

static void
test_norm_email(void)
{
	nemail("a@b.c", "a@b.c");
	nemail("Sam.Smith@Example.COM", "sam.smith@example.com");
	nemail("sam+booking@example.com", "sam@example.com");
	nemail("Sam+A+B@Example.com", "sam@example.com");
	nemail("first.last+tag@example.co.uk", "first.last@example.co.uk");
	nemail("s.a.m@gmail.com", "sam@gmail.com");
	nemail("S.A.M+x@GMail.com", "sam@gmail.com");
	nemail("s.a.m@googlemail.com", "sam@gmail.com");
	nemail("Sam.Smith+spam@GoogleMail.COM", "samsmith@gmail.com");
	nemail("s.a.m@example.com", "s.a.m@example.com");
	nemail("s.a.m@gmail.com.example.org", "s.a.m@gmail.com.example.org");
	nemail("s.a.m@notgmail.com", "s.a.m@notgmail.com");
	nemail("+tag@example.com", "+tag@example.com");
	nemail("NoAt", "noat");
	nemail("", "");
	nemail(NULL, "");
	{
		char *a = appt_norm_email("Sam.Smith@gmail.com");
		char *b = appt_norm_email("samsmith+x@googlemail.com");
		char *c = appt_norm_email("sam.smith@example.com");
		char *d = appt_norm_email("samsmith@example.com");

		ok(strcmp(a, b) == 0, "gmail and googlemail match");
		ok(strcmp(c, d) != 0, "dots count outside gmail");
		ok(strcmp(a, c) != 0, "gmail and example.com differ");
		free(a);
		free(b);
		free(c);
		free(d);
	}
}

static void
test_phone(void)
{
	char out[64], small[17];

	/* Germany: trunk 0, +49, 0049 and the usual separators. */
	phone("0171 2345678", "DE", "+491712345678");
	phone("01712345678", "DE", "+491712345678");
	phone("+49 171 2345678", "DE", "+491712345678");
	phone("+491712345678", "DE", "+491712345678");
	phone("0049 171 2345678", "DE", "+491712345678");
	phone("0171/2345678", "DE", "+491712345678");
	phone("0171-234 56 78", "DE", "+491712345678");
	phone("0171.234.5678", "DE", "+491712345678");
	phone("(0171) 2345678", "DE", "+491712345678");
	phone("  0171 2345678 ", "DE", "+491712345678");
	phone("030 1234567", "de", "+49301234567");
	phone("+49 30 1234567", "DE", "+49301234567");
	/* A +CC number is the same whatever the business's country. */
	phone("+49 171 2345678", "US", "+491712345678");
	phone("+49 171 2345678", NULL, "+491712345678");
	phone("+44 20 7946 0958", "DE", "+442079460958");
	phone("020 7946 0958", "GB", "+442079460958");
	phone("020 7946 0958", "UK", "+442079460958");

	/* United States: trunk 1. */
	phone("(555) 123-4567", "US", "+15551234567");
	phone("555-123-4567", "US", "+15551234567");
	phone("1 555 123 4567", "US", "+15551234567");
	phone("1-555-123-4567", "US", "+15551234567");
	phone("+1 555 123 4567", "US", "+15551234567");
	phone("+1 (555) 123-4567", "DE", "+15551234567");

	/* Italy: the leading 0 is part of the number. */
	phone("06 1234 5678", "IT", "+390612345678");
	phone("+39 06 1234 5678", "IT", "+390612345678");
	phone("0039 06 1234 5678", "IT", "+390612345678");
	phone("333 123 4567", "IT", "+393331234567");

	/* No country: the digits as given. */
	phone("0171 2345678", NULL, "01712345678");
	phone("0171 2345678", "", "01712345678");
	phone("0171 2345678", "XX", "01712345678");
	phone("(555) 123-4567", NULL, "5551234567");

	badphone("", "DE");
	badphone("0171 ABC", "DE");
	badphone("0171 2345678 x", "DE");
	badphone("call 0171 2345678", "DE");
	badphone("0171 2345678 ext 5", "DE");
	badphone("0171\t2345678", "DE");
	badphone("0171_2345678", "DE");
	badphone("0171+2345678", "DE");
	badphone("++49 171 2345678", "DE");
	badphone("+", "DE");
	badphone("00", "DE");
	badphone("123", "DE");
	badphone("0123", "DE");
	badphone("+49 12", "DE");
	badphone("0049 12", "DE");
	badphone("+0049 171 2345678", "DE");
	badphone("+49 1712 3456 7890 1234", "DE");
	badphone("0171 2345678 9012 3456", "DE");
	badphone("01234567890123456789012345678901234567890", "DE");
	badphone("+1234567890123456789012345678901234567890", "DE");
	badphone("123", NULL);
	badphone("1 2", "XX");
	ok(appt_norm_phone(NULL, "DE", out, sizeof out) < 0, "phone NULL");
	ok(appt_norm_phone("0171 2345678", "DE", small, sizeof small) < 0,
	    "phone refuses an output buffer under 18 bytes");

	/* The same number written differently. */
	ok(samephone("0171 2345678", "DE", "+49 171 2345678", "DE") == 1,
	    "DE national = +49");
	ok(samephone("0171/2345678", "DE", "0049-171-2345678", "DE") == 1,
	    "DE slashes = 0049 dashes");
	ok(samephone("(555) 123-4567", "US", "1 555 123 4567", "US") == 1,
	    "US without = with trunk 1");
	ok(samephone("06 1234 5678", "IT", "+39 06 1234 5678", "IT") == 1,
	    "IT national = +39");
	ok(samephone("+49 171 2345678", "DE", "0171 2345678", "DE") == 1,
	    "+49 = DE national");
	/* Different numbers. */
	ok(samephone("0171 2345678", "DE", "0171 2345679", "DE") == 0,
	    "different DE numbers differ");
	ok(samephone("0171 2345678", "DE", "0171 2345678", "AT") == 0,
	    "same digits in DE and AT differ");
	ok(samephone("555 123 4567", "US", "555 123 4567", "DE") == 0,
	    "same digits in US and DE differ");
	ok(samephone("06 1234 5678", "IT", "06 1234 5678", "FR") == 0,
	    "same digits in IT and FR differ");
	ok(samephone("+49 171 2345678", "DE", "+43 171 2345678", "DE") == 0,
	    "+49 and +43 differ");
	ok(samephone("0171 2345678", "DE", "171 2345678", "DE") == 1,
	    "DE with and without trunk 0 (documented: trunk dropped)");

	ok(appt_country_known("DE"), "DE known");
	ok(appt_country_known("de"), "de known");
	ok(appt_country_known("US"), "US known");
	ok(appt_country_known("IT"), "IT known");
	ok(!appt_country_known("XX"), "XX unknown");
	ok(!appt_country_known(""), "'' unknown");
	ok(!appt_country_known(NULL), "NULL unknown");
}

/* "+49 (0) 171 ...": the trunk 0 in parentheses after the country code. */
static void
test_phone_trunk(void)
{
	phone("+49 (0) 171 2345678", "DE", "+491712345678");
	phone("+49 (0)171 2345678", "DE", "+491712345678");
	phone("+49(0)171-2345678", "DE", "+491712345678");
	phone("+49 (0) 171 2345678", "US", "+491712345678");
	phone("+49 (0) 171 2345678", NULL, "+491712345678");
	phone("+44 (0)20 7946 0958", "DE", "+442079460958");
	phone("+44 (0)20 7946 0958", "GB", "+442079460958");
	phone("+43 (0) 664 1234567", "AT", "+436641234567");
	phone("+41 (0)44 123 45 67", "CH", "+41441234567");
	phone("0049 (0) 171 2345678", "DE", "+491712345678");
	phone("0049 171 2345678", "DE", "+491712345678");
	phone("00 49 171 2345678", "DE", "+491712345678");
	phone("00 49 (0) 171 2345678", "DE", "+491712345678");
	phone("0044 (0)20 7946 0958", "DE", "+442079460958");
	/* Italy dials its 0 from abroad too. */
	phone("+39 (0)6 1234 5678", "IT", "+390612345678");
	/* A national number: the 0 is the trunk, dropped as before. */
	phone("(0) 171 2345678", "DE", "+491712345678");
	phone("(0171) 2345678", "DE", "+491712345678");
	badphone("+(0) 171 2345678", "DE");
	badphone("+49 (0) 12", "DE");

	ok(samephone("+49 (0) 171 2345678", "DE", "+491712345678", "DE") == 1,
	    "+49 (0) 171 = E.164");
	ok(samephone("+44 (0)20 7946 0958", "DE", "+442079460958", "DE") == 1,
	    "+44 (0)20 = E.164");
	ok(samephone("0049 171 2345678", "DE", "+491712345678", "DE") == 1,
	    "0049 171 = E.164");
	ok(samephone("00 49 171 2345678", "DE", "+491712345678", "DE") == 1,
	    "00 49 171 = E.164");
	ok(samephone("+49 (0) 171 2345678", "DE", "0171 2345678", "DE") == 1,
	    "+49 (0) 171 = DE national");
	ok(samephone("+44 (0)20 7946 0958", "DE", "020 7946 0958", "GB") == 1,
	    "+44 (0)20 = GB national");
}

int
main(void)
{
	test_email();
	test_norm_email();
	test_phone();
	test_phone_trunk();
	return done();
}
