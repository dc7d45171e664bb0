/*
 * The time, range and duration parsers of lib/when.c (and the hours of
 * config.c), in Europe/Berlin, at a few "now"s around its DST changes.
 * A time that parses prints as ISO 8601 and reads back as itself; a
 * range ends after it starts; a duration is within its cap.
 */
#include "fuzz.h"

static time_t nows[4];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *iso[] = { "2026-11-23T08:00+01:00",
	    "2026-03-29T01:30+01:00", "2026-10-25T02:30+02:00",
	    "2026-12-31T23:59+01:00" };
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_tz();
	for (i = 0; i < 4; i++)
		if (appt_parse_iso(iso[i], &nows[i]) < 0)
			abort();
	return 0;
}

/* t printed and read back is t, when its year can be written. */
static void
again(const char *s, time_t t)
{
	char buf[APPT_TIMELEN];
	time_t u;
	int y;

	appt_local(t, &y, NULL, NULL, NULL, NULL);
	if (y <= 1900 || y >= 9999)
		return;
	appt_fmt_time(t, buf);
	must(appt_parse_iso(buf, &u) == 0, "'%s' gave %s, which does not "
	    "read", s, buf);
	must(u == t - t % 60 || u == t, "'%s' gave %s, which reads as %lld, "
	    "not %lld", s, buf, (long long)u, (long long)t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s;
	const char *err;
	time_t now, t, from, to;
	long m;
	int amb, st[8], en[8], k, i;

	if (n < 1 || n > 256)
		return 0;
	now = nows[d[0] % 4];
	s = xstrndup((const char *)d + 1, n - 1);
	if (appt_parse_dur(s, &m) == 0)
		must(m >= 0 && m <= 10L * 366 * 1440, "'%s': %ld minutes", s,
		    m);
	err = NULL;
	if (appt_parse_when(s, now, &t, &err, &amb) == 0)
		again(s, t);
	else
		must(err && *err, "'%s' refused without a reason", s);
	if (appt_parse_iso(s, &t) == 0)
		again(s, t);
	for (i = 0; i < 2; i++)
		if (appt_parse_stamp(s, i, &t) == 0)
			again(s, t);
	err = NULL;
	if (appt_parse_range(s, now, &from, &to, &err) == 0) {
		must(from < to, "'%s': from %lld to %lld", s,
		    (long long)from, (long long)to);
		again(s, from);
		again(s, to);
	} else
		must(err && *err, "range '%s' refused without a reason", s);
	if ((k = appt_parse_hours(s, st, en, 8)) > 0)
		for (i = 0; i < k; i++)
			must(st[i] >= 0 && st[i] < en[i] && en[i] <= 1440 &&
			    (!i || st[i] >= en[i - 1]), "'%s': %d-%d", s,
			    st[i], en[i]);
	free(s);
	return 0;
}
