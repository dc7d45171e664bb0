/*
 * appt-ics: appointments as iCalendar, and calendars from outside.
 *
 * export writes a feed (or with --vdir one file per appointment, for
 * vdirsyncer) whose every time carries the business's IANA zone, with a
 * VTIMEZONE of that name (libical's own carries a prefix, set right here);
 * the feed is a stream, one month file read at a time. SEQUENCE is the
 * appointment's change counter (seq), DTSTAMP its updated time, so an
 * unchanged appointment exports byte for byte the same.
 *
 * import takes appointments from another system's calendar, or appt's
 * own export, all or nothing: every event is decided under the lock, in
 * memory, and the files are written once at the end, or not at all.
 *
 * busy installs an external calendar into busy/ once busy.c has read it
 * without a fault.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libical/ical.h>

#include "appt.h"

static const char *synopsis =
    "appt-ics [-hV] [-d DIR] export [-w STAFF] [--private] [--vdir DIR] "
    "[RANGE]\n"
    "       appt-ics [-d DIR] [-o FMT] import [-s SERVICE] [-w STAFF] "
    "[--dry-run] FILE|-\n"
    "       appt-ics [-d DIR] busy [-w STAFF] [--name NAME] FILE|-";

struct opts {
	const char *dir, *staff, *service, *vdir, *name;
	const char *fmt;		/* -o, for import's rows */
	int private, dryrun;
};

/* ---- export ---- */

struct exp {
	struct appt_store *s;
	struct appt_catalog *cat;
	const struct opts *o;
	char zone[128];		/* the business's IANA zone */
	icaltimezone *z;	/* NULL: times in UTC */
	icalcomponent *vtz;	/* its VTIMEZONE, TZID set right */
	char domain[256];
	const char *address;
	struct appt_people pp;
	long written, same, removed;
};

/* The IANA name of the business's zone: config, $TZ, /etc/localtime. */
static void
zonename(const struct appt_store *s, char *out, size_t n)
{
	const char *tz = appt_cfg(&s->cfg, "business:timezone", NULL);
	char link[512], *p;
	ssize_t k;

	if (appt_empty(tz) && !appt_empty(getenv("TZ")))
		tz = getenv("TZ") + (getenv("TZ")[0] == ':');
	if (appt_empty(tz) && (k = readlink("/etc/localtime", link,
	    sizeof link - 1)) > 0) {
		link[k] = '\0';
		if ((p = strstr(link, "zoneinfo/")))
			tz = p + 9;
	}
	snprintf(out, n, "%s", appt_empty(tz) ? "UTC" : tz);
}

static void
expopen(struct exp *x)
{
	const char *email = appt_cfg(&x->s->cfg, "business:email", "");
	const char *at = strrchr(email, '@');
	icalproperty *p;

	snprintf(x->domain, sizeof x->domain, "%s", at && at[1] ? at + 1 :
	    "localhost");
	x->address = appt_cfg(&x->s->cfg, "business:address", "");
	zonename(x->s, x->zone, sizeof x->zone);
	if (strcmp(x->zone, "UTC") && (x->z =
	    icaltimezone_get_builtin_timezone(x->zone))) {
		x->vtz = icalcomponent_new_clone(icaltimezone_get_component(
		    x->z));
		/* libical's TZID has a /freeassociation.sourceforge.net/. */
		p = icalcomponent_get_first_property(x->vtz,
		    ICAL_TZID_PROPERTY);
		icalproperty_set_tzid(p, x->zone);
	}
}

/* A stored time as the icaltime of DTSTART/DTEND: the zone's wall time. */
static icalproperty *
timeprop(struct exp *x, icalproperty *p, time_t t,
    void (*set)(icalproperty *, struct icaltimetype))
{
	struct icaltimetype it;

	if (x->z) {
		it = icaltime_from_timet_with_zone(t, 0, x->z);
		it.zone = NULL;	/* the TZID parameter says it */
		set(p, it);
		icalproperty_add_parameter(p, icalparameter_new_tzid(x->zone));
	} else
		set(p, icaltime_from_timet_with_zone(t, 0,
		    icaltimezone_get_utc_timezone()));
	return p;
}

static struct icaltimetype
utc(time_t t)
{
	return icaltime_from_timet_with_zone(t, 0,
	    icaltimezone_get_utc_timezone());
}

static void
xprop(icalcomponent *ev, const char *name, const char *value)
{
	icalproperty *p;

	if (appt_empty(value))
		return;
	p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(ev, p);
}

/* STATUS of an appointment's status. */
static enum icalproperty_status
status(const char *st)
{
	if (!strcmp(st, "booked"))
		return ICAL_STATUS_TENTATIVE;
	if (!strcmp(st, "cancelled"))
		return ICAL_STATUS_CANCELLED;
	return ICAL_STATUS_CONFIRMED;
}

/* The VEVENT of appointment r: NULL if its times cannot be read. */
static icalcomponent *
vevent(struct exp *x, const struct appt_table *t, const struct appt_row *r)
{
	icalcomponent *ev;
	const struct appt_service *sv;
	const char *w[3], *id = appt_get(t, r, "id"), *st;
	struct appt_buf b = { 0 };
	time_t a, e, stamp;
	long seq = 0;
	char uid[300];

	if (appt_parse_iso(appt_get(t, r, "start"), &a) < 0 ||
	    appt_parse_iso(appt_get(t, r, "end"), &e) < 0)
		appt_die(APPT_EDATA, "%s:%ld: start or end is not a time "
		    "(appt-check lists every problem)", t->label, r->line);
	if (appt_parse_iso(appt_get(t, r, "updated"), &stamp) < 0 &&
	    appt_parse_iso(appt_get(t, r, "created"), &stamp) < 0)
		stamp = a;
	appt_parse_long(appt_get(t, r, "seq"), 0, APPT_SEQMAX, &seq);
	st = appt_get(t, r, "status");
	sv = appt_service_find(x->cat, appt_get(t, r, "service"));
	appt_people_who(&x->pp, appt_get(t, r, "customer"), w);
	ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	snprintf(uid, sizeof uid, "appt-%s@%s", id, x->domain);
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc(stamp)));
	icalcomponent_add_property(ev, timeprop(x, icalproperty_new(
	    ICAL_DTSTART_PROPERTY), a, icalproperty_set_dtstart));
	icalcomponent_add_property(ev, timeprop(x, icalproperty_new(
	    ICAL_DTEND_PROPERTY), e, icalproperty_set_dtend));
	icalcomponent_add_property(ev, icalproperty_new_sequence((int)seq));
	icalcomponent_add_property(ev, icalproperty_new_status(status(st)));
	if (x->o->private)
		appt_buf_adds(&b, "Busy");
	else {
		appt_buf_adds(&b, sv ? appt_service_name(sv) :
		    appt_get(t, r, "service"));
		if (*w[0])
			appt_buf_addf(&b, ": %s", w[0]);
	}
	icalcomponent_add_property(ev, icalproperty_new_summary(b.s));
	if (*x->address)
		icalcomponent_add_property(ev, icalproperty_new_location(
		    x->address));
	b.len = 0;
	if (!x->o->private) {
		if (*w[2])
			appt_buf_addf(&b, "Phone: %s\n", w[2]);
		if (*w[1])
			appt_buf_addf(&b, "Email: %s\n", w[1]);
		if (*appt_get(t, r, "notes"))
			appt_buf_addf(&b, "%s\n", appt_get(t, r, "notes"));
		if (b.len) {
			b.s[--b.len] = '\0';
			icalcomponent_add_property(ev,
			    icalproperty_new_description(b.s));
		}
	}
	appt_buf_free(&b);
	xprop(ev, "X-APPT-SERVICE", appt_get(t, r, "service"));
	xprop(ev, "X-APPT-STAFF", appt_get(t, r, "staff"));
	xprop(ev, "X-APPT-STATUS", st);
	if (!x->o->private) {
		xprop(ev, "X-APPT-CUSTOMER-NAME", w[0]);
		xprop(ev, "X-APPT-CUSTOMER-EMAIL", w[1]);
		xprop(ev, "X-APPT-CUSTOMER-PHONE", w[2]);
		xprop(ev, "X-APPT-NOTES", appt_get(t, r, "notes"));
		xprop(ev, "X-APPT-PRICE", appt_get(t, r, "price"));
	}
	return ev;
}

/* The calendar's head: all of its text up to END:VCALENDAR, malloc'd. */
static char *
head(struct exp *x, int feed)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	const char *name = appt_cfg(&x->s->cfg, "business:name", "appt");
	char *s, *end;

	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid(
	    "-//appt//appt-ics " APPT_VERSION "//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale(
	    "GREGORIAN"));
	if (feed) {
		icalcomponent_add_property(cal, icalproperty_new_method(
		    ICAL_METHOD_PUBLISH));
		xprop(cal, "X-WR-CALNAME", name);
		xprop(cal, "X-WR-TIMEZONE", x->zone);
		icalcomponent_add_property(cal, icalproperty_new_from_string(
		    "REFRESH-INTERVAL;VALUE=DURATION:PT1H"));
		xprop(cal, "X-PUBLISHED-TTL", "PT1H");
	}
	if (x->vtz)
		icalcomponent_add_component(cal, icalcomponent_new_clone(
		    x->vtz));
	s = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if ((end = strstr(s, "END:VCALENDAR\r\n")))
		*end = '\0';
	return s;
}

/* Write path with text atomically when what is there differs: 1 if so. */
static int
putfile(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name), *old, *tmp;
	size_t n = strlen(text), oldn;
	int fd, dfd, changed = 0;

	old = appt_slurp(path, &oldn);
	if (!old || oldn != n || memcmp(old, text, n)) {
		tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0 ||
		    fchmod(fd, 0600) < 0 || write(fd, text, n) != (ssize_t)n ||
		    fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
			int e = errno ? errno : EIO;

			unlink(tmp);
			appt_die(APPT_EFAIL, "%s: cannot write: %s", path,
			    strerror(e));
		}
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(tmp);
		changed = 1;
	}
	free(old);
	free(path);
	return changed;
}

/* Appointment row r of t into the feed, or into the vdir. */
static void
export1(struct exp *x, const char *hd, const struct appt_table *t,
    const struct appt_row *r)
{
	icalcomponent *ev = vevent(x, t, r);
	char *s = icalcomponent_as_ical_string_r(ev), *name, *path, *text;

	icalcomponent_free(ev);
	if (!x->o->vdir) {
		fputs(s, stdout);
		free(s);
		return;
	}
	name = xasprintf("appt-%s@%s.ics", appt_get(t, r, "id"), x->domain);
	if (!strcmp(appt_get(t, r, "status"), "cancelled")) {
		path = xasprintf("%s/%s", x->o->vdir, name);
		if (unlink(path) == 0)
			x->removed++;
		else if (errno != ENOENT)
			appt_die(APPT_EFAIL, "%s: cannot remove: %s", path,
			    strerror(errno));
		free(path);
	} else {
		text = xasprintf("%s%sEND:VCALENDAR\r\n", hd, s);
		if (putfile(x->o->vdir, name, text))
			x->written++;
		else
			x->same++;
		free(text);
	}
	free(name);
	free(s);
}

/* Rows of a month by start, then id. */
struct sortrow {
	time_t start;
	long id;
	size_t i;
};

static int
cmprow(const void *a, const void *b)
{
	const struct sortrow *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
export(struct appt_store *s, const struct opts *o, const char *range)
{
	struct exp x;
	const struct appt_staff *st;
	const char *err;
	char **files, why[256], *hd;
	size_t nf, i, j, n;
	time_t now = appt_now(), from, to;
	long horizon;
	struct stat sb;

	memset(&x, 0, sizeof x);
	x.s = s;
	x.o = o;
	x.cat = appt_catalog_open(s);
	if (o->staff) {
		if (!(st = appt_staff_arg(x.cat, "-w", o->staff, why,
		    sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
	} else
		st = NULL;
	if (range) {
		if (appt_parse_range(range, now, &from, &to, &err) < 0)
			appt_die(APPT_EUSAGE, "%s: %s", range, err);
	} else {
		horizon = appt_cfg_dur(&s->cfg, "booking:horizon", "90d");
		from = now - 30 * 86400L;
		to = now + horizon * 60 + 86400;
	}
	if (o->vdir && (stat(o->vdir, &sb) < 0 || !S_ISDIR(sb.st_mode)))
		appt_die(APPT_EUSAGE, "--vdir %s: not a directory", o->vdir);
	expopen(&x);
	hd = head(&x, !o->vdir);
	if (!o->vdir)
		fputs(hd, stdout);
	nf = appt_month_files(s, from, to, &files);
	for (i = 0; i < nf; i++) {
		struct appt_table t;
		struct sortrow *v;
		long *ids;
		time_t a;

		appt_load(s, &t, files[i]);
		v = xcalloc(t.nrow + 1, sizeof *v);
		ids = xcalloc(t.nrow + 1, sizeof *ids);
		for (j = n = 0; j < t.nrow; j++) {
			struct appt_row *r = &t.row[j];

			if (appt_parse_iso(appt_get(&t, r, "start"), &a) < 0)
				appt_die(APPT_EDATA, "%s:%ld: start is not a "
				    "time (appt-check lists every problem)",
				    t.label, r->line);
			if (a < from || a >= to || (st && strcasecmp(
			    appt_get(&t, r, "staff"), appt_staff_id(st))))
				continue;
			v[n].start = a;
			appt_parse_id(appt_get(&t, r, "id"), &v[n].id);
			v[n].i = j;
			if (appt_parse_id(appt_get(&t, r, "customer"),
			    &ids[n]) < 0)
				ids[n] = 0;
			n++;
		}
		qsort(v, n, sizeof *v, cmprow);
		if (!o->private)
			appt_people_want(&x.pp, s, ids, n);
		for (j = 0; j < n; j++)
			export1(&x, hd, &t, &t.row[v[j].i]);
		if (!o->private)
			appt_people_free(&x.pp);
		free(ids);
		free(v);
		appt_table_free(&t);
	}
	appt_strv_free(files, nf);
	if (!o->vdir)
		fputs("END:VCALENDAR\r\n", stdout);
	else
		appt_warn("%s: %ld written, %ld unchanged, %ld removed",
		    o->vdir, x.written, x.same, x.removed);
	free(hd);
	if (x.vtz)
		icalcomponent_free(x.vtz);
	appt_catalog_close(x.cat);
}

/* ---- reading a calendar ---- */

/* FILE or - (stdin) whole, NUL-terminated: malloc'd; exits 2 if not. */
static char *
readin(const char *file, size_t *len)
{
	struct appt_buf b = { 0 };
	char buf[65536], *s;
	size_t n;

	if (strcmp(file, "-")) {
		if (!(s = appt_slurp(file, len)))
			appt_die(APPT_EUSAGE, "%s: %s", file, strerror(errno));
		return s;
	}
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		appt_buf_add(&b, buf, n);
	if (ferror(stdin))
		appt_die(APPT_EUSAGE, "stdin: %s", strerror(errno));
	appt_buf_add(&b, "", 0);
	*len = b.len;
	return b.s;
}

/* ---- busy ---- */

struct text {
	const char *s;
	size_t n;
};

static int
puttext(FILE *fp, void *ctx)
{
	const struct text *t = ctx;

	return fwrite(t->s, 1, t->n, fp) == t->n ? 0 : -1;
}

static void
busy(struct appt_store *s, const struct opts *o, const char *file)
{
	struct appt_busy *bu = appt_busy_new();
	struct appt_catalog *cat;
	const struct appt_staff *st;
	const char *label = strcmp(file, "-") ? file : "stdin", *base;
	char *text, *err, *rel, *name, why[256];
	struct text t;
	size_t len, n;

	if (o->name)
		name = xstrdup(o->name);
	else if (!strcmp(file, "-"))
		name = xstrdup("calendar");
	else {
		base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		n = strlen(base);
		if (n > 4 && !strcasecmp(base + n - 4, ".ics"))
			n -= 4;
		name = xstrndup(base, n);
	}
	n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.-");
	if (!*name || name[n] || name[0] == '.' || strlen(name) > 64)
		appt_die(APPT_EUSAGE, "--name %s: letters, digits, '.', '_' "
		    "and '-' only, not starting with '.'", name);
	cat = appt_catalog_open(s);
	st = NULL;
	if (o->staff && !(st = appt_staff_arg(cat, "-w", o->staff, why,
	    sizeof why)))
		appt_die(APPT_EUSAGE, "%s", why);
	text = readin(file, &len);
	if (appt_busy_add(bu, text, len, label, NULL, &err) < 0)
		appt_die(APPT_EUSAGE, "%s; nothing installed", err);
	rel = st ? xasprintf("busy/%s/%s.ics", appt_staff_id(st), name) :
	    xasprintf("busy/%s.ics", name);
	appt_lock(s);
	/* What a killed busy left: .NAME.ics.XXXXXX. */
	appt_remove_stale(s, "busy");
	if (st) {
		char *sub = xasprintf("busy/%s", appt_staff_id(st));

		appt_remove_stale(s, sub);
		free(sub);
	}
	t.s = text;
	t.n = len;
	if (appt_replace(s, rel, puttext, &t) < 0)
		appt_die(APPT_EFAIL, "%s: cannot write: %s (the old one "
		    "stays)", rel, strerror(errno));
	appt_unlock(s);
	printf("%s\n", rel);
	free(rel);
	free(name);
	free(text);
	appt_busy_close(bu);
	appt_catalog_close(cat);
}

/* ---- import ---- */

/* An appointment already there, by the UID its export has. */
struct known {
	char *uid;
	char *id;
	char *rel;		/* its month file */
};

static int
cmpknown(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->uid,
	    ((const struct known *)b)->uid);
}

struct imp {
	struct appt_store *s;
	const struct opts *o;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	struct appt_ids *ids;
	struct appt_customers *cs;
	struct appt_ical *ic;
	char domain[256];
	time_t now;
	struct known *kn;
	size_t nkn;
	char **seen;		/* the UIDs of the file so far */
	size_t nseen;
	long bad, conflicts, added, updated, same;
	struct appt_out out;
	char msg[512];		/* what appt_customer_resolve said */
};

/* Every appointment's UID: its uid column, else appt-ID@DOMAIN. */
static void
knownuids(struct imp *x)
{
	char **files;
	size_t nf, i, j;

	nf = appt_month_files(x->s, 0, 0, &files);
	for (i = 0; i < nf; i++) {
		struct appt_table *t = appt_months_table(x->ms, files[i]);

		for (j = 0; j < t->nrow; j++) {
			struct appt_row *r = &t->row[j];
			const char *u = appt_get(t, r, "uid");
			struct known *k;

			x->kn = xreallocarray(x->kn, x->nkn + 1, sizeof *x->kn);
			k = &x->kn[x->nkn++];
			k->uid = *u ? xstrdup(u) : xasprintf("appt-%s@%s",
			    appt_get(t, r, "id"), x->domain);
			k->id = xstrdup(appt_get(t, r, "id"));
			k->rel = xstrdup(files[i]);
		}
	}
	appt_strv_free(files, nf);
	if (x->nkn)
		qsort(x->kn, x->nkn, sizeof *x->kn, cmpknown);
}

static void
problem(struct imp *x, int conflict, long line, const char *uid,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
problem(struct imp *x, int conflict, long line, const char *uid,
    const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	appt_warn("%s:%ld: %s%s%s", appt_ical_label(x->ic), line,
	    uid ? uid : "", uid ? ": " : "", buf);
	if (conflict)
		x->conflicts++;
	else
		x->bad++;
}

static const char *
xval(icalcomponent *c, const char *name)
{
	icalproperty *p;

	for (p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
	    p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY))
		if (!strcasecmp(icalproperty_get_x_name(p), name))
			return icalproperty_get_x(p);
	return NULL;
}

static void
saymsg(void *ctx, const char *msg)
{
	struct imp *x = ctx;

	snprintf(x->msg, sizeof x->msg, "%s", msg);
}

/* Text for a field: control characters (line ends) made spaces. */
static char *
flat(const char *s)
{
	char *v = xstrdup(s ? s : ""), *p;

	for (p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return v;
}

static void
action(struct imp *x, const char *what, const char *id, const char *uid,
    time_t start, const char *staff, const char *service)
{
	char b[APPT_TIMELEN];
	const char *f[6];

	f[0] = what;
	f[1] = id;
	f[2] = uid;
	f[3] = appt_fmt_time(start, b);
	f[4] = staff;
	f[5] = service;
	appt_out_row(&x->out, f, 0);
}

/* Event k (component c): decided, entered in memory or listed. */
static void
import1(struct imp *x, size_t k, icalcomponent *c)
{
	const char *uid = icalcomponent_get_uid(c), *v, *svcid, *staff, *st;
	const struct appt_service *svc;
	const struct appt_staff *sf;
	icalproperty *ps, *pe, *p;
	struct icaltimetype t;
	struct known key, *kn;
	struct appt_table *mt;
	struct appt_row *r;
	struct appt_person pn;
	struct appt_resolved rc;
	time_t a, b;
	long line = appt_ical_evline(x->ic, k), dur, id = 0;
	char *err, *notes, *name = NULL, *email = NULL, why[512];
	char num[32], t1[APPT_TIMELEN], price[32];
	size_t i;
	int own, code;

	if (appt_empty(uid)) {
		problem(x, 0, line, NULL, "an event without UID");
		return;
	}
	for (i = 0; i < x->nseen; i++)
		if (!strcmp(x->seen[i], uid)) {
			problem(x, 0, line, uid, "a second event with this "
			    "UID (a recurring event or an override is not "
			    "an appointment)");
			return;
		}
	x->seen = xreallocarray(x->seen, x->nseen + 1, sizeof *x->seen);
	x->seen[x->nseen++] = xstrdup(uid);
	if (icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY) ||
	    icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY) ||
	    icalcomponent_get_first_property(c, ICAL_RECURRENCEID_PROPERTY)) {
		problem(x, 0, line, uid, "a recurring event is not an "
		    "appointment (book a series with appt-book --every)");
		return;
	}
	if (!(ps = icalcomponent_get_first_property(c,
	    ICAL_DTSTART_PROPERTY))) {
		problem(x, 0, line, uid, "no DTSTART");
		return;
	}
	t = icalproperty_get_dtstart(ps);
	if (t.is_date) {
		problem(x, 0, line, uid, "an all-day event is not an "
		    "appointment");
		return;
	}
	if (appt_ical_time(x->ic, k, ps, &t, &a, NULL, &err) < 0) {
		appt_warn("%s", err);
		free(err);
		x->bad++;
		return;
	}
	/* What: X-APPT-SERVICE and X-APPT-STAFF, else -s and -w. */
	svcid = xval(c, "X-APPT-SERVICE");
	own = svcid != NULL;
	if (!svcid)
		svcid = x->o->service;
	if (!svcid) {
		problem(x, 0, line, uid, "no service (X-APPT-SERVICE or -s)");
		return;
	}
	if (!(svc = appt_service_find(x->cat, svcid))) {
		problem(x, 0, line, uid, "%s: no such service", svcid);
		return;
	}
	if (!(staff = xval(c, "X-APPT-STAFF")))
		staff = x->o->staff;
	if (!staff) {
		problem(x, 0, line, uid, "no staff member (X-APPT-STAFF or "
		    "-w)");
		return;
	}
	if (!(sf = appt_staff_find(x->cat, staff))) {
		problem(x, 0, line, uid, "%s: no such staff member", staff);
		return;
	}
	staff = appt_staff_id(sf);
	appt_service_times(svc, &dur, NULL, NULL);
	if ((pe = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY))) {
		t = icalproperty_get_dtend(pe);
		if (appt_ical_time(x->ic, k, pe, &t, &b, NULL, &err) < 0) {
			appt_warn("%s", err);
			free(err);
			x->bad++;
			return;
		}
	} else if ((p = icalcomponent_get_first_property(c,
	    ICAL_DURATION_PROPERTY)))
		b = a + icaldurationtype_as_int(icalproperty_get_duration(p));
	else
		b = a + dur * 60;
	if (b <= a) {
		problem(x, 0, line, uid, "ends before it starts");
		return;
	}
	if ((st = xval(c, "X-APPT-STATUS")) && !appt_status_valid(st))
		st = NULL;
	if (!st)
		switch (icalcomponent_get_status(c)) {
		case ICAL_STATUS_CANCELLED: st = "cancelled"; break;
		case ICAL_STATUS_CONFIRMED: st = "confirmed"; break;
		default: st = "booked";
		}
	notes = flat(own ? xval(c, "X-APPT-NOTES") :
	    icalcomponent_get_description(c));
	/* The one it updates: its own id, or a UID imported before. */
	key.uid = (char *)uid;
	kn = x->nkn ? bsearch(&key, x->kn, x->nkn, sizeof *x->kn, cmpknown) :
	    NULL;
	if (kn) {
		appt_parse_id(kn->id, &id);
		r = appt_months_find(x->ms, kn->id, NULL, &mt);
	} else
		r = NULL, mt = NULL;
	if (strcmp(st, "cancelled") && appt_avail_check(x->av, svc, staff, a,
	    1, id, why, sizeof why)) {
		problem(x, 1, line, uid, "%s: %s", appt_fmt_time(a, t1), why);
		free(notes);
		return;
	}
	if (r) {
		time_t oa = 0, ob = 0;
		int moved;

		appt_parse_iso(appt_get(mt, r, "start"), &oa);
		appt_parse_iso(appt_get(mt, r, "end"), &ob);
		moved = oa != a || ob != b || strcmp(appt_get(mt, r, "staff"),
		    staff) || strcmp(appt_get(mt, r, "status"), st);
		if (!moved && !strcmp(appt_get(mt, r, "service"),
		    appt_service_id(svc)) && !strcmp(appt_get(mt, r,
		    "notes"), notes)) {
			action(x, "same", kn->id, uid, a, staff,
			    appt_service_id(svc));
			x->same++;
			free(notes);
			return;
		}
		appt_set(mt, r, "start", appt_fmt_time(a, t1));
		appt_set(mt, r, "end", appt_fmt_time(b, t1));
		appt_set(mt, r, "staff", staff);
		appt_set(mt, r, "status", st);
		appt_set(mt, r, "service", appt_service_id(svc));
		appt_set(mt, r, "notes", notes);
		if (moved)
			appt_appt_changed(mt, r, x->now);
		else
			appt_set(mt, r, "updated", appt_fmt_time(x->now, t1));
		appt_months_changed(x->ms, mt);
		action(x, "update", kn->id, uid, a, staff,
		    appt_service_id(svc));
		appt_months_move(x->ms, &mt, r);
		x->updated++;
		free(notes);
		return;
	}
	/* A new one: its customer from X-APPT-CUSTOMER-*, else ATTENDEE. */
	memset(&pn, 0, sizeof pn);
	pn.name = xval(c, "X-APPT-CUSTOMER-NAME");
	pn.email = xval(c, "X-APPT-CUSTOMER-EMAIL");
	pn.phone = xval(c, "X-APPT-CUSTOMER-PHONE");
	if (!pn.name && !pn.email && !pn.phone && (p =
	    icalcomponent_get_first_property(c, ICAL_ATTENDEE_PROPERTY))) {
		icalparameter *cn = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER);

		v = icalproperty_get_attendee(p);
		if (v && !strncasecmp(v, "mailto:", 7))
			pn.email = email = xstrdup(v + 7);
		if (cn && icalparameter_get_cn(cn))
			pn.name = name = flat(icalparameter_get_cn(cn));
		if (!pn.name && pn.email)
			pn.name = email;
	}
	if (!pn.name && !pn.email && !pn.phone) {
		problem(x, 0, line, uid, "no customer (ATTENDEE or "
		    "X-APPT-CUSTOMER-NAME, -EMAIL, -PHONE)");
		free(notes);
		return;
	}
	for (i = 0; i < 3; i++) {
		const char *f = i == 0 ? pn.name : i == 1 ? pn.email :
		    pn.phone, *bad;

		if (f && (bad = appt_input_bad(f))) {
			problem(x, 0, line, uid, "customer: %s", bad);
			goto out;
		}
	}
	if (pn.email && !appt_email_valid(pn.email)) {
		problem(x, 0, line, uid, "%s: not an email address",
		    pn.email);
		goto out;
	}
	x->msg[0] = '\0';
	if ((code = appt_customer_resolve(x->cs, NULL, 1, NULL, &pn, &rc,
	    saymsg, x))) {
		problem(x, code == APPT_EFAIL, line, uid, "customer: %s",
		    *x->msg ? x->msg : "not resolved");
		goto out;
	}
	/* The price it was booked at, else the service's. */
	if (!(v = xval(c, "X-APPT-PRICE")) || appt_price_norm(v,
	    x->s->digits, price) < 0) {
		if (appt_service_price(svc, x->s->digits, price, why,
		    sizeof why))
			appt_die(APPT_EDATA, "%s", why);
	}
	mt = appt_months_at(x->ms, a);
	id = appt_ids_take(x->ids, "appointments", mt, 1);
	snprintf(num, sizeof num, "%ld", id);
	r = appt_table_add(mt);
	appt_set(mt, r, "id", num);
	appt_set(mt, r, "start", appt_fmt_time(a, t1));
	appt_set(mt, r, "end", appt_fmt_time(b, t1));
	appt_set(mt, r, "service", appt_service_id(svc));
	appt_set(mt, r, "staff", staff);
	appt_set(mt, r, "customer", rc.id);
	appt_set(mt, r, "status", st);
	appt_set(mt, r, "price", price);
	appt_set(mt, r, "series", "");
	appt_set(mt, r, "notes", notes);
	appt_set(mt, r, "created", appt_fmt_time(x->now, t1));
	appt_set(mt, r, "updated", t1);
	/* A UID of another system (or data directory) is kept to match. */
	snprintf(why, sizeof why, "appt-%ld@%s", id, x->domain);
	if (strcmp(uid, why))
		appt_set(mt, r, "uid", uid);
	appt_months_added(x->ms, mt, r);
	action(x, "add", num, uid, a, staff, appt_service_id(svc));
	x->added++;
out:
	free(notes);
	free(name);
	free(email);
}

static void
import(struct appt_store *s, const struct opts *o, const char *file)
{
	static const char *cols[] = { "action", "id", "uid", "start", "staff",
	    "service" };
	struct imp x;
	icalcomponent *root, *c;
	const char *label = strcmp(file, "-") ? file : "stdin";
	const char *email = appt_cfg(&s->cfg, "business:email", ""), *at;
	char *text, *err, why[256];
	size_t len, k = 0, i;

	memset(&x, 0, sizeof x);
	x.s = s;
	x.o = o;
	at = strrchr(email, '@');
	snprintf(x.domain, sizeof x.domain, "%s", at && at[1] ? at + 1 :
	    "localhost");
	text = readin(file, &len);
	if (!(x.ic = appt_ical_read(text, len, label, &err)))
		appt_die(APPT_EUSAGE, "%s; nothing imported", err);
	appt_lock(s);
	x.now = appt_now();
	x.cat = appt_catalog_open(s);
	if (o->service && !appt_service_arg(x.cat, "-s", o->service, why,
	    sizeof why))
		appt_die(APPT_EUSAGE, "%s", why);
	if (o->staff && !appt_staff_arg(x.cat, "-w", o->staff, why,
	    sizeof why))
		appt_die(APPT_EUSAGE, "%s", why);
	x.ms = appt_months_open(s);
	x.av = appt_avail_open(s, x.cat, x.ms, x.now);
	x.ids = appt_ids_open(s);
	x.cs = appt_customers_open(s, x.ids);
	knownuids(&x);
	appt_out_begin(&x.out, appt_out_arg(o->fmt), 6, cols);
	root = appt_ical_root(x.ic);
	for (c = icalcomponent_get_first_component(root,
	    ICAL_VEVENT_COMPONENT); c; c = icalcomponent_get_next_component(
	    root, ICAL_VEVENT_COMPONENT), k++)
		import1(&x, k, c);
	if (x.bad || x.conflicts) {
		appt_die(x.bad ? APPT_EUSAGE : APPT_EFAIL, "%s: %ld problem%s; "
		    "nothing imported", label, x.bad + x.conflicts,
		    x.bad + x.conflicts > 1 ? "s" : "");
	}
	appt_out_end(&x.out);
	if (!o->dryrun) {
		appt_ids_save(x.ids);
		appt_customers_save(x.cs);
		appt_months_save(x.ms);
	}
	appt_unlock(s);
	appt_warn("%s: %ld added, %ld updated, %ld unchanged%s", label,
	    x.added, x.updated, x.same, o->dryrun ? " (a dry run: nothing "
	    "written)" : "");
	for (i = 0; i < x.nkn; i++) {
		free(x.kn[i].uid);
		free(x.kn[i].id);
		free(x.kn[i].rel);
	}
	free(x.kn);
	appt_strv_free(x.seen, x.nseen);
	appt_customers_close(x.cs);
	appt_ids_close(x.ids);
	appt_avail_close(x.av);
	appt_months_close(x.ms);
	appt_catalog_close(x.cat);
	appt_ical_free(x.ic);
	free(text);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "name", required_argument, NULL, 'N' },
		{ "private", no_argument, NULL, 'p' },
		{ "vdir", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s;
	struct opts o;
	const char *cmd, *arg;
	int c;

	appt_setprog(argv[0]);
	memset(&o, 0, sizeof o);
	while ((c = getopt_long(argc, argv, "+d:ho:V", longopts, NULL)) != -1)
		appt_opt(c, optarg, synopsis, &o.dir, &o.fmt);
	cmd = appt_subcommand(&argc, &argv, synopsis);
	while ((c = getopt_long(argc, argv, "d:ho:s:Vw:", longopts, NULL)) !=
	    -1)
		switch (c) {
		case 'N': o.name = optarg; break;
		case 'n': o.dryrun = 1; break;
		case 'p': o.private = 1; break;
		case 's': o.service = optarg; break;
		case 'v': o.vdir = optarg; break;
		case 'w': o.staff = optarg; break;
		default: appt_opt(c, optarg, synopsis, &o.dir, &o.fmt);
		}
	appt_check_arg("-s", o.service);
	appt_check_arg("-w", o.staff);
	appt_check_arg("--name", o.name);
	appt_check_arg("--vdir", o.vdir);
	arg = appt_operand(argc, argv, NULL, synopsis);
	if ((strcmp(cmd, "export") && (o.private || o.vdir)) ||
	    (strcmp(cmd, "import") && (o.dryrun || o.service || o.fmt)) ||
	    (strcmp(cmd, "busy") && o.name))
		appt_die(APPT_EUSAGE, "%s: an option it does not take", cmd);
	appt_store_opendir(&s, o.dir);
	if (!strcmp(cmd, "export"))
		export(&s, &o, arg);
	else if (!strcmp(cmd, "import") && arg)
		import(&s, &o, arg);
	else if (!strcmp(cmd, "busy") && arg)
		busy(&s, &o, arg);
	else
		appt_usage(synopsis, 0);
	appt_store_close(&s);
	appt_exit(0);
}
