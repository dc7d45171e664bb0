/*
 * when.c: the business's clock. Times are time_t; local time is the
 * process's TZ, set from config.ini. Local times that do not exist (a
 * spring-forward gap) are refused; ambiguous ones (fall-back) take the
 * first instant and the caller says so.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "appt.h"

static const char *wdays[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday"
};

/*
 * Whether the C library really loaded the zone of TZ. glibc falls back to
 * UTC without a word when a zone file is missing or cannot be read: it then
 * takes the name for a POSIX TZ string ("Europe" and no offset) and is left
 * with no name for daylight time, which a loaded zone file never has.
 */
static int
tzloaded(void)
{
	return tzname[1] && tzname[1][0] != '\0';
}

/* 0 if path is a zone file that can be read; else -1 and errno. */
static int
tzreadable(const char *path)
{
	char magic[4];
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, magic, sizeof magic);
	e = errno;
	close(fd);
	if (n == (ssize_t)sizeof magic && !memcmp(magic, "TZif", 4))
		return 0;
	errno = n < 0 ? e : EINVAL;
	return -1;
}

/*
 * Why the zone called label, whose file is path, did not load, into why:
 * its name, its file and what to install.
 */
static int
tzwhy(char *why, size_t len, const char *label, const char *path, int e)
{
	if (!why)
		return -1;
	if (e == ENOENT)
		snprintf(why, len, "unknown time zone %s: no %s (an IANA name "
		    "such as Europe/Berlin; install tzdata if it is missing)",
		    label, path);
	else if (e)
		snprintf(why, len, "time zone %s: %s: %s (install tzdata)",
		    label, path, e == EINVAL ? "not a time zone file" :
		    strerror(e));
	else
		snprintf(why, len, "time zone %s: the C library could not "
		    "load %s (install tzdata)", label, path);
	return -1;
}

/* The zone of $TZ, else the system's: did it load? */
static int
tzenv(char *why, size_t len, const char *dir)
{
	const char *tz = getenv("TZ");
	struct stat st;
	char *label, *path;
	int e;

	tzset();
	if (!tz) {
		/* No /etc/localtime at all is UTC by convention. */
		if (lstat("/etc/localtime", &st) < 0 && errno == ENOENT)
			return 0;
		if (tzreadable("/etc/localtime") == 0)
			return 0;
		if (why)
			snprintf(why, len, "the system's time zone: "
			    "/etc/localtime: %s (install tzdata, or set "
			    "timezone in config.ini)", errno == EINVAL ?
			    "not a time zone file" : strerror(errno));
		return -1;
	}
	if (tzloaded())
		return 0;
	if (*tz == ':')
		tz++;
	if (!*tz || !strcmp(tz, "UTC"))
		return 0;	/* UTC, with or without its file */
	label = xasprintf("TZ=%s", getenv("TZ"));
	path = *tz == '/' ? xstrdup(tz) : xasprintf("%s/%s", dir, tz);
	e = tzreadable(path) < 0 ? errno : 0;
	tzwhy(why, len, label, path, e);
	free(label);
	free(path);
	return -1;
}

int
appt_tz_set(const char *name, char *why, size_t len)
{
	const char *dir = getenv("TZDIR");
	char *path;
	int e = 0;

	if (appt_empty(dir))
		dir = "/usr/share/zoneinfo";
	if (appt_empty(name))
		return tzenv(why, len, dir);
	if (name[0] == '/' || strstr(name, "..") || strchr(name, ' ')) {
		if (why)
			snprintf(why, len, "unknown time zone %s (an IANA "
			    "name such as Europe/Berlin)", name);
		return -1;
	}
	path = xasprintf("%s/%s", dir, name);
	if (tzreadable(path) < 0)
		e = errno;
	if (e && !(e == ENOENT && !strcmp(name, "UTC"))) {
		tzwhy(why, len, name, path, e);
		free(path);
		return -1;
	}
	setenv("TZ", name, 1);
	tzset();
	if (!e && !tzloaded()) {
		tzwhy(why, len, name, path, 0);
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

int
appt_valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* The struct tm of y-m-d H:M; isdst as mktime(3) takes it. */
static struct tm
tmof(int y, int m, int d, int H, int M, int isdst)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = H;
	tm.tm_min = M;
	tm.tm_isdst = isdst;
	return tm;
}

static int
sametm(const struct tm *a, int y, int m, int d, int H, int M)
{
	return a->tm_year == y - 1900 && a->tm_mon == m - 1 &&
	    a->tm_mday == d && a->tm_hour == H && a->tm_min == M;
}

/*
 * Local y-m-d H:M to time_t. -1: no such date; -2: in a DST gap.
 * *ambig is set when the time occurs twice; the first is returned.
 */
int
appt_mklocal(int y, int m, int d, int H, int M, time_t *out, int *ambig)
{
	struct tm tm, a, b;
	time_t t, t0, t1;
	int ok0, ok1;

	if (ambig)
		*ambig = 0;
	if (!appt_valid_date(y, m, d) || H < 0 || H > 23 || M < 0 || M > 59)
		return -1;
	tm = tmof(y, m, d, H, M, -1);
	t = mktime(&tm);
	if (!sametm(&tm, y, m, d, H, M))
		return -2;
	a = tmof(y, m, d, H, M, 0);
	b = tmof(y, m, d, H, M, 1);
	t0 = mktime(&a);
	t1 = mktime(&b);
	ok0 = sametm(&a, y, m, d, H, M) && a.tm_isdst == 0;
	ok1 = sametm(&b, y, m, d, H, M) && b.tm_isdst == 1;
	if (ok0 && ok1 && t0 != t1) {
		t = t0 < t1 ? t0 : t1;
		if (ambig)
			*ambig = 1;
	}
	*out = t;
	return 0;
}

time_t
appt_day_start(int y, int m, int d)
{
	struct tm tm;

	if (!appt_valid_date(y, m, d))
		return -1;
	tm = tmof(y, m, d, 0, 0, -1);
	return mktime(&tm);
}

void
appt_local(time_t t, int *y, int *m, int *d, int *wday, int *min)
{
	struct tm tm;

	localtime_r(&t, &tm);
	if (y)
		*y = tm.tm_year + 1900;
	if (m)
		*m = tm.tm_mon + 1;
	if (d)
		*d = tm.tm_mday;
	if (wday)
		*wday = tm.tm_wday;
	if (min)
		*min = tm.tm_hour * 60 + tm.tm_min;
}

/* y-m-d plus n days, through noon to stay clear of DST. */
void
appt_adddays(int *y, int *m, int *d, int n)
{
	struct tm tm = tmof(*y, *m, *d + n, 12, 0, -1);

	mktime(&tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

char *
appt_fmt_time(time_t t, char buf[APPT_TIMELEN])
{
	struct tm tm;
	long off;
	size_t n;

	localtime_r(&t, &tm);
	n = strftime(buf, APPT_TIMELEN, "%Y-%m-%dT%H:%M", &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(buf + n, APPT_TIMELEN - n, "%c%02ld:%02ld",
	    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	return buf;
}

int
appt_parse_dur(const char *s, long *minutes)
{
	long total = 0, v;
	const char *p = s;

	if (appt_empty(s))
		return -1;
	while (*p) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = 0;
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (*p++ - '0');
			if (v > 10000000)
				return -1;
		}
		switch (*p) {
		case '\0':
			if (p != s && total == 0 && !strpbrk(s, "mhdw")) {
				total = v;	/* a bare number: minutes */
				break;
			}
			return -1;
		case 'm': total += v; p++; break;
		case 'h': total += v * 60; p++; break;
		case 'd': total += v * 1440; p++; break;
		case 'w': total += v * 10080; p++; break;
		default:
			return -1;
		}
		if (total > 10L * 366 * 1440)
			return -1;
	}
	*minutes = total;
	return 0;
}

static int
num(const char **pp, int ndig, int *out)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < ndig; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + ndig;
	*out = v;
	return 0;
}

/* "YYYY-MM-DD" at *pp. */
static int
isodate(const char **pp, int *y, int *m, int *d)
{
	const char *p = *pp;

	if (num(&p, 4, y) || *p++ != '-' || num(&p, 2, m) || *p++ != '-' ||
	    num(&p, 2, d))
		return -1;
	*pp = p;
	return 0;
}

/* A date word at the start of s; *pp past it. */
static int
dateword(const char **pp, time_t now, int *y, int *m, int *d,
    const char **err)
{
	const char *p = *pp;
	size_t n = strcspn(p, " .");	/* "today 9:00", "today..fri" */
	int i, wd;
	long v;

	appt_local(now, y, m, d, &wd, NULL);
	if (isdigit((unsigned char)*p) && n >= 10 && p[4] == '-') {
		if (isodate(&p, y, m, d))
			return -1;
		if (!appt_valid_date(*y, *m, *d)) {
			*err = "no such date";
			return -1;
		}
		*pp = p;
		return 0;
	}
	if (n == 5 && !strncasecmp(p, "today", 5))
		;
	else if (n == 8 && !strncasecmp(p, "tomorrow", 8))
		appt_adddays(y, m, d, 1);
	else if (n == 9 && !strncasecmp(p, "yesterday", 9))
		appt_adddays(y, m, d, -1);
	else if ((*p == '+' || *p == '-') && n >= 3 &&
	    (p[n - 1] == 'd' || p[n - 1] == 'w')) {
		char *tmp = xstrndup(p + 1, n - 2);

		i = appt_parse_long(tmp, 0, 100000, &v);
		free(tmp);
		if (i)
			return -1;
		if (p[n - 1] == 'w')
			v *= 7;
		appt_adddays(y, m, d, *p == '-' ? (int)-v : (int)v);
	} else {
		for (i = 0; i < 7; i++)
			if (n >= 3 && n <= strlen(wdays[i]) &&
			    !strncasecmp(p, wdays[i], n) &&
			    (n == 3 || n == strlen(wdays[i])))
				break;
		if (i == 7)
			return -1;
		appt_adddays(y, m, d, (i - wd + 7) % 7);
	}
	*pp = p + n;
	return 0;
}

/* "H:MM" or "HH:MM" with optional ":SS" (seconds must be 00). */
static int
hhmm(const char **pp, int *H, int *M)
{
	const char *p = *pp;
	int s;

	if (!isdigit((unsigned char)*p))
		return -1;
	*H = *p++ - '0';
	if (isdigit((unsigned char)*p))
		*H = *H * 10 + (*p++ - '0');
	if (*p++ != ':' || num(&p, 2, M))
		return -1;
	if (*p == ':' && (p++, num(&p, 2, &s) || s != 0))
		return -1;
	if (*H > 23 || *M > 59)
		return -1;
	*pp = p;
	return 0;
}

/* "Z", "+01:00", "+0100" at p; minutes east into *off. */
static int
offset(const char *p, long *off)
{
	int h, mm, sign;

	if (*p == 'Z' && p[1] == '\0') {
		*off = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (num(&p, 2, &h))
		return -1;
	if (*p == ':')
		p++;
	if (num(&p, 2, &mm) || *p || h > 23 || mm > 59)
		return -1;
	*off = sign * (h * 60 + mm);
	return 0;
}

int
appt_parse_when(const char *s, time_t now, time_t *out, const char **err,
    int *ambiguous)
{
	const char *p = s;
	int y, m, d, H = 0, M = 0, r, wd;
	long off;

	*err = "not a time (try 2026-11-23T09:00, tomorrow 9:00, mon 14:30)";
	if (ambiguous)
		*ambiguous = 0;
	if (appt_empty(s))
		return -1;
	if (isdigit((unsigned char)*p) && (p[1] == ':' ||
	    (p[1] && p[2] == ':'))) {
		appt_local(now, &y, &m, &d, &wd, NULL);
		if (hhmm(&p, &H, &M) || *p)
			return -1;
	} else {
		if (dateword(&p, now, &y, &m, &d, err))
			return -1;
		if (*p == 'T' || *p == ' ') {
			p++;
			if (hhmm(&p, &H, &M))
				return -1;
		}
		if (*p) {
			struct tm tm = tmof(y, m, d, H, M, 0);

			if (offset(p, &off))
				return -1;
			*out = timegm(&tm) - off * 60;
			return 0;
		}
	}
	r = appt_mklocal(y, m, d, H, M, out, ambiguous);
	if (r == -1)
		*err = "no such date";
	else if (r == -2)
		*err = "no such local time (skipped by the change to "
		    "daylight saving time)";
	return r ? -1 : 0;
}

int
appt_parse_iso(const char *s, time_t *out)
{
	const char *err;

	if (appt_empty(s) || !isdigit((unsigned char)*s) || strlen(s) < 16)
		return -1;
	return appt_parse_when(s, 0, out, &err, NULL);
}

time_t
appt_arg_when(const char *what, const char *s, time_t now)
{
	const char *err;
	time_t t;
	int amb;
	char buf[APPT_TIMELEN];

	if (appt_parse_when(s, now, &t, &err, &amb) < 0)
		appt_die(APPT_EUSAGE, "%s %s: %s", what, s, err);
	if (amb)
		appt_warn("%s %s: the clock shows this time twice; taking the "
		    "first, %s", what, s, appt_fmt_time(t, buf));
	return t;
}

time_t
appt_now(void)
{
	const char *s = getenv("APPT_NOW");
	const char *err;
	time_t t;

	if (appt_empty(s))
		return time(NULL);
	if (appt_parse_when(s, 0, &t, &err, NULL) < 0 || !isdigit((unsigned char)*s))
		appt_die(APPT_EUSAGE, "APPT_NOW=%s: %s", s, err);
	return t;
}

int
appt_parse_range(const char *s, time_t now, time_t *from, time_t *to,
    const char **err)
{
	const char *p = s, *dots;
	int y, m, d, y2, m2, d2, wd;

	*err = "not a range (try today, week, 2026-11, 2026-11-23..2026-11-30)";
	if (appt_empty(s))
		return -1;
	appt_local(now, &y, &m, &d, &wd, NULL);
	if (!strcasecmp(s, "week") || !strcasecmp(s, "next-week")) {
		appt_adddays(&y, &m, &d, -((wd + 6) % 7));
		if (!strcasecmp(s, "next-week"))
			appt_adddays(&y, &m, &d, 7);
		y2 = y, m2 = m, d2 = d;
		appt_adddays(&y2, &m2, &d2, 7);
	} else if (!strcasecmp(s, "month") || (strlen(s) == 7 &&
	    isdigit((unsigned char)*s))) {
		if (*s != 'm' && *s != 'M') {
			if (num(&p, 4, &y) || *p++ != '-' || num(&p, 2, &m) ||
			    m < 1 || m > 12 || y < 1900) {
				*err = "no such month";
				return -1;
			}
		}
		d = 1;
		y2 = m == 12 ? y + 1 : y;
		m2 = m == 12 ? 1 : m + 1;
		d2 = 1;
	} else if ((dots = strstr(s, ".."))) {
		char *a = xstrndup(s, (size_t)(dots - s));
		const char *q = a;
		int bad;

		bad = dateword(&q, now, &y, &m, &d, err) || *q;
		free(a);
		if (bad)
			return -1;
		q = dots + 2;
		if (dateword(&q, now, &y2, &m2, &d2, err) || *q)
			return -1;
		appt_adddays(&y2, &m2, &d2, 1);
	} else {
		if (dateword(&p, now, &y, &m, &d, err) || *p)
			return -1;
		y2 = y, m2 = m, d2 = d;
		appt_adddays(&y2, &m2, &d2, 1);
	}
	if (!appt_valid_date(y, m, d) || !appt_valid_date(y2, m2, d2)) {
		*err = "no such date (the years are 1900 to 9999)";
		return -1;
	}
	*from = appt_day_start(y, m, d);
	*to = appt_day_start(y2, m2, d2);
	if (*to <= *from) {
		*err = "the range ends before it starts";
		return -1;
	}
	return 0;
}

int
appt_parse_stamp(const char *s, int isend, time_t *out)
{
	int y, m, d;
	const char *p = s;

	if (!appt_empty(s) && strlen(s) == 10 && isodate(&p, &y, &m, &d) == 0) {
		if (!appt_valid_date(y, m, d))
			return -1;
		if (isend)
			appt_adddays(&y, &m, &d, 1);
		*out = appt_day_start(y, m, d);
		return 0;
	}
	return appt_parse_iso(s, out);
}
