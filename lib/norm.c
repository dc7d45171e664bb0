/*
 * norm.c: names, addresses, email and phone numbers in one comparable
 * form each.
 */
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

/* Latin letters with marks, and what they are without. */
static const struct {
	const char *from, *to;
} fold[] = {
	{ "à", "a" }, { "á", "a" }, { "â", "a" }, { "ã", "a" }, { "ä", "a" },
	{ "å", "a" }, { "ā", "a" }, { "ą", "a" }, { "æ", "ae" }, { "ç", "c" },
	{ "ć", "c" }, { "č", "c" }, { "ď", "d" }, { "đ", "d" }, { "è", "e" },
	{ "é", "e" }, { "ê", "e" }, { "ë", "e" }, { "ē", "e" }, { "ę", "e" },
	{ "ě", "e" }, { "ğ", "g" }, { "ì", "i" }, { "í", "i" }, { "î", "i" },
	{ "ï", "i" }, { "ī", "i" }, { "ı", "i" }, { "ł", "l" }, { "ñ", "n" },
	{ "ń", "n" }, { "ň", "n" }, { "ò", "o" }, { "ó", "o" }, { "ô", "o" },
	{ "õ", "o" }, { "ö", "o" }, { "ø", "o" }, { "ō", "o" }, { "ő", "o" },
	{ "œ", "oe" }, { "ř", "r" }, { "ś", "s" }, { "š", "s" }, { "ş", "s" },
	{ "ß", "ss" }, { "ť", "t" }, { "ù", "u" }, { "ú", "u" }, { "û", "u" },
	{ "ü", "u" }, { "ū", "u" }, { "ů", "u" }, { "ű", "u" }, { "ý", "y" },
	{ "ÿ", "y" }, { "ź", "z" }, { "ż", "z" }, { "ž", "z" }, { "À", "a" },
	{ "Á", "a" }, { "Â", "a" }, { "Ã", "a" }, { "Ä", "a" }, { "Å", "a" },
	{ "Æ", "ae" }, { "Ç", "c" }, { "Č", "c" }, { "È", "e" }, { "É", "e" },
	{ "Ê", "e" }, { "Ë", "e" }, { "Ì", "i" }, { "Í", "i" }, { "Î", "i" },
	{ "Ï", "i" }, { "Ł", "l" }, { "Ñ", "n" }, { "Ò", "o" }, { "Ó", "o" },
	{ "Ô", "o" }, { "Õ", "o" }, { "Ö", "o" }, { "Ø", "o" }, { "Œ", "oe" },
	{ "Š", "s" }, { "Ù", "u" }, { "Ú", "u" }, { "Û", "u" }, { "Ü", "u" },
	{ "Ý", "y" }, { "Ž", "z" }, { "Ā", "a" }, { "Ą", "a" }, { "Ć", "c" },
	{ "Ď", "d" }, { "Đ", "d" }, { "Ē", "e" }, { "Ę", "e" }, { "Ě", "e" },
	{ "Ğ", "g" }, { "Ī", "i" }, { "İ", "i" }, { "Ń", "n" }, { "Ň", "n" },
	{ "Ō", "o" }, { "Ő", "o" }, { "Ř", "r" }, { "Ś", "s" }, { "Ş", "s" },
	{ "Ť", "t" }, { "Ū", "u" }, { "Ů", "u" }, { "Ű", "u" }, { "Ÿ", "y" },
	{ "Ź", "z" }, { "Ż", "z" }, { "ẞ", "ss" },
};

/*
 * The length of a space or punctuation mark outside ASCII at s (no-break
 * space, typographic quotes and dashes, ...), 0 if there is none there.
 */
static size_t
blank(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	/* U+0080-U+00BF but the letters ª µ º; × and ÷ */
	if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0xbf && u[1] != 0xaa &&
	    u[1] != 0xb5 && u[1] != 0xba)
		return 2;
	if (u[0] == 0xc3 && (u[1] == 0x97 || u[1] == 0xb7))
		return 2;
	/* U+2000-U+206F general punctuation, U+3000, U+FEFF */
	if (u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0xbf) ||
	    (u[1] == 0x81 && u[2] >= 0x80 && u[2] <= 0xaf)))
		return 3;
	if ((u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||
	    (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf))
		return 3;
	return 0;
}

/* Lower case ASCII words of s, accents folded, separated by one space. */
static char *
words(const char *s)
{
	struct appt_buf b = { 0 };
	size_t i, n;
	int space = 0;

	appt_buf_add(&b, "", 0);
	while (s && *s) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c)) {
			if (space && b.len)
				appt_buf_addc(&b, ' ');
			space = 0;
			appt_buf_addc(&b, tolower(c));
			s++;
			continue;
		}
		if (c >= 0x80) {
			for (i = 0; i < sizeof fold / sizeof fold[0]; i++) {
				n = strlen(fold[i].from);
				if (!strncmp(s, fold[i].from, n))
					break;
			}
			if (i < sizeof fold / sizeof fold[0]) {
				if (space && b.len)
					appt_buf_addc(&b, ' ');
				space = 0;
				appt_buf_adds(&b, fold[i].to);
				s += n;
				continue;
			}
			if ((n = blank(s)) > 0) {
				space = 1;
				s += n;
				continue;
			}
			/* Another letter: keep its bytes as they are. */
			if (space && b.len)
				appt_buf_addc(&b, ' ');
			space = 0;
			do
				appt_buf_addc(&b, *s++);
			while (((unsigned char)*s & 0xc0) == 0x80);
			continue;
		}
		space = 1;	/* punctuation and blanks separate words */
		s++;
	}
	return b.s;
}

static int
cmpword(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
appt_norm_name(const char *s)
{
	char *w = words(s), *tok, *save, **v = NULL, *out;
	struct appt_buf b = { 0 };
	size_t n = 0, i;

	for (tok = strtok_r(w, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = tok;
	}
	if (n)
		qsort(v, n, sizeof *v, cmpword);
	appt_buf_add(&b, "", 0);
	for (i = 0; i < n; i++) {
		if (i)
			appt_buf_addc(&b, ' ');
		appt_buf_adds(&b, v[i]);
	}
	free(v);
	free(w);
	out = b.s;
	return out;
}

/* Street types in one short form; German compounds by their suffix. */
static const struct {
	const char *word, *as;
} street[] = {
	{ "street", "st" }, { "st", "st" }, { "road", "rd" }, { "rd", "rd" },
	{ "avenue", "ave" }, { "ave", "ave" }, { "av", "ave" },
	{ "boulevard", "blvd" }, { "blvd", "blvd" }, { "drive", "dr" },
	{ "dr", "dr" }, { "lane", "ln" }, { "ln", "ln" }, { "place", "pl" },
	{ "pl", "pl" }, { "court", "ct" }, { "ct", "ct" }, { "square", "sq" },
	{ "sq", "sq" }, { "terrace", "ter" }, { "ter", "ter" },
	{ "highway", "hwy" }, { "hwy", "hwy" }, { "parkway", "pkwy" },
	{ "pkwy", "pkwy" }, { "apartment", "apt" }, { "apt", "apt" },
	{ "strasse", "str" }, { "str", "str" }, { "platz", "pl" },
	{ "gasse", "g" }, { "weg", "weg" }, { "allee", "allee" },
	{ "rue", "rue" }, { "via", "via" }, { "calle", "c" },
};

static const char *suffixes[][2] = {
	{ "strasse", "str" }, { "str", "str" }, { "platz", "pl" },
	{ "gasse", "g" },
};

char *
appt_norm_address(const char *s)
{
	char *w = words(s), *tok, *save;
	struct appt_buf b = { 0 };
	size_t i, n;

	appt_buf_add(&b, "", 0);
	for (tok = strtok_r(w, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		const char *as = tok;
		char *own = NULL;

		for (i = 0; i < sizeof street / sizeof street[0]; i++)
			if (!strcmp(tok, street[i].word))
				as = street[i].as;
		if (as == tok)
			for (i = 0; i < sizeof suffixes / sizeof suffixes[0];
			    i++) {
				n = strlen(tok);
				if (n > strlen(suffixes[i][0]) + 2 &&
				    !strcmp(tok + n - strlen(suffixes[i][0]),
				    suffixes[i][0])) {
					own = xasprintf("%.*s%s",
					    (int)(n - strlen(suffixes[i][0])),
					    tok, suffixes[i][1]);
					as = own;
					break;
				}
			}
		if (b.len)
			appt_buf_addc(&b, ' ');
		appt_buf_adds(&b, as);
		free(own);
	}
	free(w);
	return b.s;
}
