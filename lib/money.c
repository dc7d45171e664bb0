/* money.c: amounts as integer minor units; never a float. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

int
appt_currency_digits(const char *code)
{
	static const char *zero[] = { "BIF", "CLP", "DJF", "GNF", "ISK",
	    "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
	    "XOF", "XPF", NULL };
	static const char *three[] = { "BHD", "IQD", "JOD", "KWD", "LYD",
	    "OMR", "TND", NULL };
	int i;

	if (appt_empty(code))
		return 2;
	for (i = 0; zero[i]; i++)
		if (!strcasecmp(code, zero[i]))
			return 0;
	for (i = 0; three[i]; i++)
		if (!strcasecmp(code, three[i]))
			return 3;
	return 2;
}

int
appt_money_parse(const char *s, int digits, long long *minor)
{
	long long v = 0;
	int neg = 0, frac = -1;

	if (appt_empty(s))
		return -1;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	for (; *s; s++) {
		if (*s == '.' && frac < 0 && digits > 0) {
			frac = 0;
			if (!isdigit((unsigned char)s[1]))
				return -1;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return -1;
		if (frac >= 0 && ++frac > digits)
			return -1;
		if (v > (long long)9e15)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (frac < 0)
		frac = 0;
	for (; frac < digits; frac++) {
		if (v > (long long)9e15)
			return -1;
		v *= 10;
	}
	*minor = neg ? -v : v;
	return 0;
}

char *
appt_money_fmt(long long minor, int digits, char buf[32])
{
	long long p = 1, a = minor < 0 ? -minor : minor;
	int i;

	for (i = 0; i < digits; i++)
		p *= 10;
	if (digits)
		snprintf(buf, 32, "%s%lld.%0*lld", minor < 0 ? "-" : "",
		    a / p, digits, a % p);
	else
		snprintf(buf, 32, "%s%lld", minor < 0 ? "-" : "", a);
	return buf;
}

int
appt_price_norm(const char *s, int digits, char out[32])
{
	long long v;

	out[0] = '\0';
	if (appt_empty(s))
		return 0;
	if (appt_money_parse(s, digits, &v) < 0)
		return -1;
	if (v < 0)
		return -2;
	appt_money_fmt(v, digits, out);
	return 0;
}
