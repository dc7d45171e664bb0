/* when.c: durations, time arguments, ranges and DST in Europe/Berlin. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "appt.h"
#include "t.h"

static time_t now;

static void
dur(const char *s, long want)
{
	long m = -12345;

	ok(appt_parse_dur(s, &m) == 0 && m == want, "dur '%s' = %ld (got %ld)",
	    s, want, m);
}

static void
baddur(const char *s)
{
	long m = -12345;

	ok(appt_parse_dur(s, &m) < 0 && m == -12345, "dur '%s' refused", s);
}

/* Parse s against now and compare its stored form. */
static void
when(const char *s, const char *want)
{
	char buf[APPT_TIMELEN];
	const char *err = NULL;
	time_t t;
	int amb = -1;
	char *dup = xstrdup(s);	/* on the heap, for ASan */

	if (appt_parse_when(dup, now, &t, &err, &amb) < 0) {
		ok(0, "when '%s' (error: %s)", s, err);
		free(dup);
		return;
	}
	is(appt_fmt_time(t, buf), want, "when '%s'", s);
	ok(amb == 0, "when '%s' not ambiguous", s);
	free(dup);
}

static void
badwhen(const char *s, const char *errpart)
{
	const char *err = NULL;
	time_t t;
	char *dup = xstrdup(s);

	ok(appt_parse_when(dup, now, &t, &err, NULL) < 0, "when '%s' refused",
	    s);
	ok(err && *err, "when '%s' has a message", s);
	if (errpart)
		ok(err && strstr(err, errpart), "when '%s': error '%s' has "
		    "'%s'", s, err ? err : "(null)", errpart);
	free(dup);
}

static void
range(const char *s, const char *wfrom, const char *wto, long hours)
{
	char b1[APPT_TIMELEN], b2[APPT_TIMELEN];
	const char *err = NULL;
	time_t from, to;

	if (appt_parse_range(s, now, &from, &to, &err) < 0) {
		ok(0, "range '%s' (error: %s)", s, err);
		return;
	}
	is(appt_fmt_time(from, b1), wfrom, "range '%s' from", s);
	is(appt_fmt_time(to, b2), wto, "range '%s' to", s);
	ok((to - from) == hours * 3600, "range '%s' is %ld hours (got %ld)",
	    s, hours, (long)((to - from) / 3600));
}

static void
badrange(const char *s)
{
	const char *err = NULL;
	time_t from, to;

	ok(appt_parse_range(s, now, &from, &to, &err) < 0 && err && *err,
	    "range '%s' refused (%s)", s, err ? err : "(null)");
}

static void
stamp(const char *s, int isend, const char *want)
{
	char buf[APPT_TIMELEN];
	time_t t;

	if (appt_parse_stamp(s, isend, &t) < 0) {
		ok(0, "stamp '%s' isend %d", s, isend);
		return;
	}
	is(appt_fmt_time(t, buf), want, "stamp '%s' isend %d", s, isend);
}

static void
test_dur(void)
{
	dur("30m", 30);
	dur("2h", 120);
	dur("1d", 1440);
	dur("2w", 20160);
	dur("1h30m", 90);
	dur("1d2h", 1560);
	dur("45", 45);
	dur("0", 0);
	dur("0m", 0);
	baddur("");
	baddur("h");
	baddur("m");
	baddur("1x");
	baddur("1.5h");
	baddur("-5m");
	baddur("+5m");
	baddur("30m5");
	baddur(" 30m");
	baddur("30m ");
	baddur("30 m");
	baddur("99999999999m");
	baddur("600w");		/* over ten years */
	dur("520w", 5241600);
	ok(appt_parse_dur(NULL, &(long){ 0 }) < 0, "dur NULL refused");
}

static void
test_when(void)
{
	char buf[APPT_TIMELEN];
	const char *err;
	time_t t, t2;
	int amb, wd, y, m, d, min;

	/* The fixed now: Monday 2026-11-23 08:00 in Berlin (+01:00). */
	ok(appt_parse_when("2026-11-23T08:00", 0, &now, &err, NULL) == 0,
	    "parse now");
	is(appt_fmt_time(now, buf), "2026-11-23T08:00+01:00", "now");
	ok(now == 1795417200, "now is 07:00 UTC");
	appt_local(now, &y, &m, &d, &wd, &min);
	ok(y == 2026 && m == 11 && d == 23 && wd == 1 && min == 480,
	    "appt_local of now: a Monday, 08:00");

	when("2026-11-23T09:00", "2026-11-23T09:00+01:00");
	when("2026-11-23 09:00", "2026-11-23T09:00+01:00");
	when("2026-11-23T09:00:00", "2026-11-23T09:00+01:00");
	when("2026-11-23", "2026-11-23T00:00+01:00");
	when("2026-12-31T23:59", "2026-12-31T23:59+01:00");
	when("9:00", "2026-11-23T09:00+01:00");
	when("09:00", "2026-11-23T09:00+01:00");
	when("7:15", "2026-11-23T07:15+01:00");
	when("today 9:00", "2026-11-23T09:00+01:00");
	when("tomorrow 9:00", "2026-11-24T09:00+01:00");
	when("tomorrow", "2026-11-24T00:00+01:00");
	when("yesterday 23:00", "2026-11-22T23:00+01:00");
	when("mon", "2026-11-23T00:00+01:00");
	when("monday 10:00", "2026-11-23T10:00+01:00");
	when("tue 14:30", "2026-11-24T14:30+01:00");
	when("tuesday 14:30", "2026-11-24T14:30+01:00");
	when("wed 9:00", "2026-11-25T09:00+01:00");
	when("sun 9:00", "2026-11-29T09:00+01:00");
	when("saturday 9:00", "2026-11-28T09:00+01:00");
	when("+3d 10:00", "2026-11-26T10:00+01:00");
	/* Date words in any case, those with a capital T too. */
	when("Today 9:00", "2026-11-23T09:00+01:00");
	when("TOMORROW 9:00", "2026-11-24T09:00+01:00");
	when("Tue 14:30", "2026-11-24T14:30+01:00");
	when("Thursday 9:00", "2026-11-26T09:00+01:00");
	when("MON 9:00", "2026-11-23T09:00+01:00");
	when("+1w 10:00", "2026-11-30T10:00+01:00");
	when("+0d 10:00", "2026-11-23T10:00+01:00");
	when("-1d 10:00", "2026-11-22T10:00+01:00");
	when("+10d 10:00", "2026-12-03T10:00+01:00");

	/* Offsets: the instant is kept, shown in local time. */
	when("2026-11-23T09:00+01:00", "2026-11-23T09:00+01:00");
	when("2026-11-23T09:00+0100", "2026-11-23T09:00+01:00");
	when("2026-11-23T09:00Z", "2026-11-23T10:00+01:00");
	when("2026-11-23T09:00+00:00", "2026-11-23T10:00+01:00");
	when("2026-11-23T09:00-05:00", "2026-11-23T15:00+01:00");
	when("2026-11-23T09:00+05:30", "2026-11-23T04:30+01:00");
	ok(appt_parse_when("2026-11-23T09:00Z", now, &t, &err, NULL) == 0 &&
	    t == 1795424400, "Z is UTC");

	/* A stored time round-trips. */
	when("2026-11-24T09:00+01:00", "2026-11-24T09:00+01:00");
	ok(appt_parse_iso("2026-11-24T09:00+01:00", &t) == 0 &&
	    appt_parse_iso(appt_fmt_time(t, buf), &t2) == 0 && t == t2,
	    "appt_parse_iso round trip");
	ok(appt_parse_iso("tomorrow 9:00", &t) < 0, "iso refuses date words");
	ok(appt_parse_iso("2026-11-24", &t) < 0, "iso refuses a date alone");
	ok(appt_parse_iso("", &t) < 0, "iso refuses ''");

	/* Summer time. */
	when("2026-07-01T09:00", "2026-07-01T09:00+02:00");
	when("2026-07-01T09:00+02:00", "2026-07-01T09:00+02:00");
	when("2026-07-01T07:00Z", "2026-07-01T09:00+02:00");

	/* Dates that do or do not exist. */
	when("2028-02-29T10:00", "2028-02-29T10:00+01:00");
	when("2000-02-29T10:00", "2000-02-29T10:00+01:00");
	badwhen("2027-02-29T10:00", "no such date");
	badwhen("2027-02-29", "no such date");
	badwhen("2026-02-30T10:00", "no such date");
	badwhen("2026-04-31T10:00", "no such date");
	badwhen("2026-13-01T10:00", "no such date");
	badwhen("2026-00-10T10:00", "no such date");
	badwhen("2026-11-00T10:00", "no such date");
	badwhen("2100-02-29T10:00", "no such date");
	badwhen("2027-02-29T10:00+01:00", "no such date");
	badwhen("2026-11-23T25:00", NULL);
	badwhen("2026-11-23T24:00", NULL);
	badwhen("2026-11-23T09:60", NULL);
	badwhen("2026-11-23T09:00:30", NULL);
	badwhen("25:00", NULL);
	badwhen("9:0", NULL);
	badwhen("9", NULL);
	badwhen("", NULL);
	badwhen("x", NULL);
	badwhen("mo", NULL);
	badwhen("mond", NULL);
	badwhen("tomorrow 9", NULL);
	badwhen("tomorrow 9:00 x", NULL);
	badwhen("2026-11-23T09:00+1", NULL);
	badwhen("2026-11-23T09:00+25:00", NULL);
	badwhen("2026-11-23T09:00Zx", NULL);
	badwhen("2026-11-23x09:00", NULL);
	badwhen("+3x 10:00", NULL);
	badwhen("+xd", NULL);
	ok(appt_parse_when(NULL, now, &t, &err, NULL) < 0, "when NULL refused");

	/* Spring forward: 02:00-03:00 on 2026-03-29 does not exist. */
	badwhen("2026-03-29T02:30", "daylight saving");
	badwhen("2026-03-29T02:00", "daylight saving");
	when("2026-03-29T01:59", "2026-03-29T01:59+01:00");
	when("2026-03-29T03:00", "2026-03-29T03:00+02:00");
	/* With an offset the instant is exact, gap or not. */
	when("2026-03-29T01:30Z", "2026-03-29T03:30+02:00");

	/* Fall back: 02:00-03:00 on 2026-10-25 happens twice. */
	amb = 0;
	ok(appt_parse_when("2026-10-25T02:30", now, &t, &err, &amb) == 0,
	    "fall-back time accepted");
	ok(amb == 1, "fall-back time is ambiguous");
	is(appt_fmt_time(t, buf), "2026-10-25T02:30+02:00",
	    "fall-back takes the first instant");
	ok(t == 1792888200, "fall-back instant is 00:30 UTC");
	amb = 0;
	ok(appt_parse_when("2026-10-25T02:00", now, &t, &err, &amb) == 0 &&
	    amb == 1, "02:00 on fall-back day is ambiguous");
	amb = 1;
	ok(appt_parse_when("2026-10-25T03:00", now, &t, &err, &amb) == 0 &&
	    amb == 0, "03:00 on fall-back day is not ambiguous");
	is(appt_fmt_time(t, buf), "2026-10-25T03:00+01:00", "03:00 after "
	    "fall-back is +01:00");
	amb = 1;
	ok(appt_parse_when("2026-10-25T01:59", now, &t, &err, &amb) == 0 &&
	    amb == 0, "01:59 on fall-back day is not ambiguous");
	/* The second instant can still be given with an offset. */
	when("2026-10-25T02:30+01:00", "2026-10-25T02:30+01:00");
	when("2026-10-25T02:30+02:00", "2026-10-25T02:30+02:00");
	/* A weekday word from a Saturday across the change. */
	{
		time_t save = now;

		ok(appt_parse_when("2026-10-24T12:00", 0, &now, &err, NULL) ==
		    0, "now on Saturday before fall-back");
		when("mon 9:00", "2026-10-26T09:00+01:00");
		when("tomorrow 12:00", "2026-10-25T12:00+01:00");
		when("+1d 12:00", "2026-10-25T12:00+01:00");
		now = save;
	}
}

static void
test_range(void)
{
	time_t save = now;

	range("today", "2026-11-23T00:00+01:00", "2026-11-24T00:00+01:00", 24);
	range("TODAY", "2026-11-23T00:00+01:00", "2026-11-24T00:00+01:00", 24);
	range("tomorrow", "2026-11-24T00:00+01:00", "2026-11-25T00:00+01:00",
	    24);
	range("Tomorrow", "2026-11-24T00:00+01:00", "2026-11-25T00:00+01:00",
	    24);
	range("WEEK", "2026-11-23T00:00+01:00", "2026-11-30T00:00+01:00",
	    7 * 24);
	range("yesterday", "2026-11-22T00:00+01:00", "2026-11-23T00:00+01:00",
	    24);
	range("week", "2026-11-23T00:00+01:00", "2026-11-30T00:00+01:00",
	    7 * 24);
	range("next-week", "2026-11-30T00:00+01:00", "2026-12-07T00:00+01:00",
	    7 * 24);
	range("month", "2026-11-01T00:00+01:00", "2026-12-01T00:00+01:00",
	    30 * 24);
	range("2026-11", "2026-11-01T00:00+01:00", "2026-12-01T00:00+01:00",
	    30 * 24);
	range("2026-12", "2026-12-01T00:00+01:00", "2027-01-01T00:00+01:00",
	    31 * 24);
	range("2026-02", "2026-02-01T00:00+01:00", "2026-03-01T00:00+01:00",
	    28 * 24);
	range("2028-02", "2028-02-01T00:00+01:00", "2028-03-01T00:00+01:00",
	    29 * 24);
	range("2026-11-23", "2026-11-23T00:00+01:00", "2026-11-24T00:00+01:00",
	    24);
	range("2026-11-23..2026-11-25", "2026-11-23T00:00+01:00",
	    "2026-11-26T00:00+01:00", 3 * 24);
	range("2026-11-23..2026-11-23", "2026-11-23T00:00+01:00",
	    "2026-11-24T00:00+01:00", 24);
	range("today..tomorrow", "2026-11-23T00:00+01:00",
	    "2026-11-25T00:00+01:00", 48);
	range("2026-12-30..2027-01-02", "2026-12-30T00:00+01:00",
	    "2027-01-03T00:00+01:00", 4 * 24);
	/* DST: the fall-back day has 25 hours, the spring-forward day 23. */
	range("2026-10-25", "2026-10-25T00:00+02:00", "2026-10-26T00:00+01:00",
	    25);
	range("2026-03-29", "2026-03-29T00:00+01:00", "2026-03-30T00:00+02:00",
	    23);
	range("2026-10-24..2026-10-26", "2026-10-24T00:00+02:00",
	    "2026-10-27T00:00+01:00", 3 * 24 + 1);
	range("2026-10", "2026-10-01T00:00+02:00", "2026-11-01T00:00+01:00",
	    31 * 24 + 1);
	range("2026-03", "2026-03-01T00:00+01:00", "2026-04-01T00:00+02:00",
	    31 * 24 - 1);

	badrange("2026-13");
	badrange("2026-00");
	badrange("2026-1x");
	badrange("x");
	badrange("");
	badrange("weeks");
	badrange("2026-11-25..2026-11-23");
	badrange("2026-11-23..");
	badrange("..2026-11-23");
	badrange("2026-11-23..x");
	badrange("2026-02-30");
	badrange("2026-11-23T09:00");

	/* week and next-week from a Sunday: Monday..Sunday. */
	{
		const char *err;

		ok(appt_parse_when("2026-11-29T23:30", 0, &now, &err, NULL) ==
		    0, "now on Sunday");
		range("week", "2026-11-23T00:00+01:00",
		    "2026-11-30T00:00+01:00", 7 * 24);
		range("next-week", "2026-11-30T00:00+01:00",
		    "2026-12-07T00:00+01:00", 7 * 24);
		ok(appt_parse_when("2026-10-21T12:00", 0, &now, &err, NULL) ==
		    0, "now in the week of fall-back");
		range("week", "2026-10-19T00:00+02:00",
		    "2026-10-26T00:00+01:00", 7 * 24 + 1);
		ok(appt_parse_when("2026-12-15T12:00", 0, &now, &err, NULL) ==
		    0, "now in December");
		range("month", "2026-12-01T00:00+01:00",
		    "2027-01-01T00:00+01:00", 31 * 24);
		range("next-week", "2026-12-21T00:00+01:00",
		    "2026-12-28T00:00+01:00", 7 * 24);
	}
	now = save;
}

static void
test_dates(void)
{
	char buf[APPT_TIMELEN];
	time_t t;
	int amb, y, m, d;

	ok(appt_valid_date(2026, 11, 23), "valid 2026-11-23");
	ok(appt_valid_date(2028, 2, 29), "valid 2028-02-29");
	ok(appt_valid_date(2000, 2, 29), "valid 2000-02-29");
	ok(!appt_valid_date(2100, 2, 29), "invalid 2100-02-29");
	ok(!appt_valid_date(2027, 2, 29), "invalid 2027-02-29");
	ok(!appt_valid_date(2026, 2, 30), "invalid 2026-02-30");
	ok(!appt_valid_date(2026, 4, 31), "invalid 2026-04-31");
	ok(appt_valid_date(2026, 12, 31), "valid 2026-12-31");
	ok(!appt_valid_date(2026, 13, 1), "invalid month 13");
	ok(!appt_valid_date(2026, 0, 1), "invalid month 0");
	ok(!appt_valid_date(2026, 1, 0), "invalid day 0");
	ok(!appt_valid_date(2026, 1, 32), "invalid day 32");
	ok(!appt_valid_date(1899, 1, 1), "invalid year 1899");
	ok(!appt_valid_date(10000, 1, 1), "invalid year 10000");

	ok(appt_mklocal(2026, 11, 23, 9, 0, &t, &amb) == 0 && amb == 0,
	    "mklocal 2026-11-23 09:00");
	is(appt_fmt_time(t, buf), "2026-11-23T09:00+01:00", "mklocal value");
	ok(appt_mklocal(2026, 7, 1, 9, 0, &t, NULL) == 0, "mklocal summer, "
	    "ambig NULL");
	is(appt_fmt_time(t, buf), "2026-07-01T09:00+02:00", "mklocal summer");
	ok(appt_mklocal(2026, 2, 30, 9, 0, &t, &amb) == -1, "mklocal Feb 30");
	ok(appt_mklocal(2026, 11, 23, 24, 0, &t, &amb) == -1, "mklocal 24:00");
	ok(appt_mklocal(2026, 11, 23, 9, 60, &t, &amb) == -1, "mklocal 09:60");
	ok(appt_mklocal(2026, 11, 23, -1, 0, &t, &amb) == -1, "mklocal -1:00");
	ok(appt_mklocal(2026, 3, 29, 2, 30, &t, &amb) == -2, "mklocal gap");
	ok(appt_mklocal(2026, 3, 29, 2, 30, &t, NULL) == -2, "mklocal gap, "
	    "ambig NULL");
	ok(appt_mklocal(2026, 10, 25, 2, 30, &t, &amb) == 0 && amb == 1,
	    "mklocal fall-back is ambiguous");
	is(appt_fmt_time(t, buf), "2026-10-25T02:30+02:00", "mklocal fall-back "
	    "first instant");
	ok(appt_mklocal(2026, 10, 25, 2, 30, &t, NULL) == 0 && t == 1792888200,
	    "mklocal fall-back, ambig NULL");

	t = appt_day_start(2026, 10, 25);
	is(appt_fmt_time(t, buf), "2026-10-25T00:00+02:00", "day_start");
	ok(appt_day_start(2026, 2, 30) == -1, "day_start Feb 30");

	y = 2026, m = 12, d = 31;
	appt_adddays(&y, &m, &d, 1);
	ok(y == 2027 && m == 1 && d == 1, "adddays over the year");
	y = 2028, m = 3, d = 1;
	appt_adddays(&y, &m, &d, -1);
	ok(y == 2028 && m == 2 && d == 29, "adddays back to Feb 29");
	y = 2026, m = 10, d = 24;
	appt_adddays(&y, &m, &d, 2);
	ok(y == 2026 && m == 10 && d == 26, "adddays across fall-back");

	stamp("2026-11-23", 0, "2026-11-23T00:00+01:00");
	stamp("2026-11-23", 1, "2026-11-24T00:00+01:00");
	stamp("2026-11-30", 1, "2026-12-01T00:00+01:00");
	stamp("2026-12-31", 1, "2027-01-01T00:00+01:00");
	stamp("2026-10-25", 1, "2026-10-26T00:00+01:00");
	stamp("2026-11-23T09:00+01:00", 0, "2026-11-23T09:00+01:00");
	stamp("2026-11-23T09:00+01:00", 1, "2026-11-23T09:00+01:00");
	stamp("2026-11-23T09:00", 0, "2026-11-23T09:00+01:00");
	ok(appt_parse_stamp("2026-02-30", 0, &t) < 0, "stamp Feb 30 refused");
	ok(appt_parse_stamp("2026-02-30", 1, &t) < 0, "stamp Feb 30 isend");
	ok(appt_parse_stamp("tomorrow", 0, &t) < 0, "stamp refuses words");
	ok(appt_parse_stamp("", 0, &t) < 0, "stamp refuses ''");
	ok(appt_parse_stamp(NULL, 0, &t) < 0, "stamp refuses NULL");
}

static void
test_tz(void)
{
	char buf[APPT_TIMELEN];

	ok(appt_tz_set("No/Such_Zone", NULL, 0) < 0,
	    "unknown zone refused");
	ok(appt_tz_set("../etc/passwd", NULL, 0) < 0,
	    "zone with .. refused");
	ok(appt_tz_set("/etc/localtime", NULL, 0) < 0,
	    "absolute zone refused");
	ok(appt_tz_set("UTC", NULL, 0) == 0, "UTC");
	is(appt_fmt_time(now, buf), "2026-11-23T07:00+00:00", "now in UTC");
	ok(appt_tz_set("America/New_York", NULL, 0) == 0,
	    "America/New_York");
	is(appt_fmt_time(now, buf), "2026-11-23T02:00-05:00",
	    "now in New York");
	ok(appt_tz_set("Asia/Kolkata", NULL, 0) == 0, "Asia/Kolkata");
	is(appt_fmt_time(now, buf), "2026-11-23T12:30+05:30", "now in Kolkata");
	ok(appt_tz_set("Europe/Berlin", NULL, 0) == 0,
	    "back to Europe/Berlin");
	is(appt_fmt_time(now, buf), "2026-11-23T08:00+01:00", "now in Berlin");
}

/* What the fuzzer (tests/fuzz/when.c) found. */
static void
test_fuzzfound(void)
{
	time_t from, to;
	const char *err;

	ok(appt_parse_range("-8882w..-8w", now, &from, &to, &err) < 0,
	    "a range from before 1900 refused");
	ok(appt_parse_range("9999-12", now, &from, &to, &err) < 0,
	    "a range to after 9999 refused");
}

int
main(void)
{
	unsetenv("TZDIR");
	if (appt_tz_set("Europe/Berlin", NULL, 0) < 0) {
		printf("1..0 # SKIP no Europe/Berlin zone\n");
		return 0;
	}
	test_dur();
	test_when();
	test_range();
	test_dates();
	test_tz();
	test_fuzzfound();
	return done();
}
