/* norm.c: email and phone numbers in one comparable form. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

/* Country, calling code, and whether a national number has trunk 0. */
static const struct {
	const char *cc;
	const char *code;
	char trunk;
} countries[] = {
	{ "AT", "43", '0' }, { "AU", "61", '0' }, { "BE", "32", '0' },
	{ "BR", "55", '0' }, { "CA", "1", '1' }, { "CH", "41", '0' },
	{ "CZ", "420", 0 }, { "DE", "49", '0' }, { "DK", "45", 0 },
	{ "ES", "34", 0 }, { "FI", "358", '0' }, { "FR", "33", '0' },
	{ "GB", "44", '0' }, { "GR", "30", 0 }, { "HU", "36", '6' },
	{ "IE", "353", '0' }, { "IN", "91", '0' }, { "IT", "39", 0 },
	{ "JP", "81", '0' }, { "LU", "352", 0 }, { "MX", "52", 0 },
	{ "NL", "31", '0' }, { "NO", "47", 0 }, { "NZ", "64", '0' },
	{ "PL", "48", 0 }, { "PT", "351", 0 }, { "SE", "46", '0' },
	{ "TR", "90", '0' }, { "UK", "44", '0' }, { "US", "1", '1' },
	{ "ZA", "27", '0' },
};

static int
country(const char *cc)
{
	size_t i;

	for (i = 0; cc && i < sizeof countries / sizeof countries[0]; i++)
		if (!strcasecmp(cc, countries[i].cc))
			return (int)i;
	return -1;
}

int
appt_country_known(const char *cc)
{
	return country(cc) >= 0;
}

int
appt_email_valid(const char *s)
{
	const char *at, *p;
	size_t n;

	if (appt_empty(s) || *s == '-' || *s == '@' || appt_bad_text(s))
		return 0;
	if (!(at = strchr(s, '@')) || strchr(at + 1, '@') || !at[1])
		return 0;
	for (p = s; *p; p++)
		if (isspace((unsigned char)*p) || strchr("<>()[]\\,;:\"", *p))
			return 0;
	/* The domain: labels not empty, no hyphen at either end. */
	for (p = at + 1; ; p += n + 1) {
		n = strcspn(p, ".");
		if (!n || p[0] == '-' || p[n - 1] == '-')
			return 0;
		if (!p[n])
			return 1;
	}
}

char *
appt_norm_email(const char *s)
{
	char *out, *at, *plus, *p, *q;
	int gmail;

	out = xstrdup(s ? s : "");
	for (p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!(at = strrchr(out, '@')))
		return out;
	gmail = !strcmp(at + 1, "gmail.com") ||
	    !strcmp(at + 1, "googlemail.com");
	*at = '\0';
	if ((plus = strchr(out, '+')) && plus != out)
		*plus = '\0';
	if (gmail)
		for (p = q = out; (*q = *p); p++)
			if (*p != '.')
				q++;
	p = xasprintf("%s@%s", out, gmail ? "gmail.com" : at + 1);
	free(out);
	return p;
}

int
appt_norm_phone(const char *s, const char *cc, char *out, size_t n)
{
	char digits[32];
	size_t nd = 0, trunkat = 0;
	int intl = 0, c;
	const char *p;

	if (appt_empty(s) || n < 18)
		return -1;
	p = s;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+') {
		intl = 1;
		p++;
	}
	for (; *p; p++) {
		/*
		 * "+49 (0) 171 ...", "0044 (0)20 ...": the trunk 0 that
		 * is dialled only from inside the country, written after
		 * the country code. It is not part of the number.
		 */
		if (!strncmp(p, "(0)", 3) && nd > 0 && !trunkat &&
		    (intl || (nd > 2 && digits[0] == '0' &&
		    digits[1] == '0'))) {
			trunkat = nd;
			p += 2;
			continue;
		}
		if (isdigit((unsigned char)*p)) {
			if (nd >= sizeof digits - 1)
				return -1;
			digits[nd++] = *p;
		} else if (!strchr(" -./()", *p))
			return -1;
	}
	digits[nd] = '\0';
	if (!intl && nd > 2 && digits[0] == '0' && digits[1] == '0') {
		intl = 1;
		memmove(digits, digits + 2, nd - 1);
		nd -= 2;
		trunkat -= trunkat ? 2 : 0;
	}
	/* Except in Italy, where the 0 is dialled from abroad too. */
	if (trunkat == 2 && !strncmp(digits, "39", 2)) {
		if (nd >= sizeof digits - 1)
			return -1;
		memmove(digits + 3, digits + 2, nd - 1);
		digits[2] = '0';
		nd++;
	}
	if (intl) {
		if (nd < 7 || nd > 15 || digits[0] == '0')
			return -1;
		snprintf(out, n, "+%s", digits);
		return 0;
	}
	if ((c = country(cc)) < 0) {
		/* No country to place it in: compare the digits as given. */
		if (nd < 4)
			return -1;
		snprintf(out, n, "%s", digits);
		return 0;
	}
	p = digits;
	if (countries[c].trunk && *p == countries[c].trunk)
		p++;
	if (strlen(p) < 4 || strlen(p) + strlen(countries[c].code) > 15)
		return -1;
	snprintf(out, n, "+%s%s", countries[c].code, p);
	return 0;
}
