/*
 * busy.c: the calendars of busy/ (busy/NAME.ics for the whole business,
 * busy/STAFF/NAME.ics for one staff member) as the times they block.
 *
 * Each file is read once (ical.c checks it), its events made ready once,
 * and only the window asked for is expanded, by a loop of our own:
 * libical 3.0's recurrence iterator has no cap, compares UNTIL with wall
 * time, and leaves EXDATE and RECURRENCE-ID to the caller. So: UNTIL is
 * taken out of the rule and compared as an instant here; EXDATE and the
 * starts that a RECURRENCE-ID override replaces are instants matched
 * against each occurrence's start; at most APPT_BUSY_CAP occurrences of
 * an event are looked at per window. An all-day event blocks its local
 * days of the business; floating time is the business's; CANCELLED and
 * TRANSPARENT events block nothing, TENTATIVE ones do.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "appt.h"

/* One VEVENT, ready to expand. */
struct bev {
	struct icaltimetype start;	/* as written, a date or a wall time */
	icaltimezone *zone;		/* of start; NULL: date, UTC, floating */
	time_t t0;			/* start as an instant */
	long dur;			/* seconds; days for a date */
	int wall;			/* dur is wall-clock time in zone */
	int blocks;			/* opaque and not cancelled */
	int rule;			/* has an RRULE */
	int isovr;			/* has a RECURRENCE-ID */
	struct icalrecurrencetype rr;	/* without its UNTIL */
	time_t until;			/* the UNTIL, or 0 */
	time_t *ex;			/* EXDATEs, sorted */
	size_t nex;
	time_t *rda, *rdb;		/* RDATEs: start and end */
	size_t nrd;
	const char *uid;		/* borrowed from the component */
};

/* A start of a recurring event that an override replaces. */
struct ovr {
	const char *uid;
	time_t at;
};

struct bcal {
	struct appt_ical *ic;
	char *staff;			/* "" for the whole business */
	struct bev *ev;
	size_t nev;
	struct ovr *ov;
	size_t nov;
};

struct appt_busy {
	struct bcal *cal;
	size_t ncal;
};

struct appt_busy *
appt_busy_new(void)
{
	return xcalloc(1, sizeof(struct appt_busy));
}

void
appt_busy_close(struct appt_busy *b)
{
	size_t i, j;

	if (!b)
		return;
	for (i = 0; i < b->ncal; i++) {
		for (j = 0; j < b->cal[i].nev; j++) {
			free(b->cal[i].ev[j].ex);
			free(b->cal[i].ev[j].rda);
			free(b->cal[i].ev[j].rdb);
		}
		free(b->cal[i].ev);
		free(b->cal[i].ov);
		free(b->cal[i].staff);
		appt_ical_free(b->cal[i].ic);
	}
	free(b->cal);
	free(b);
}

static int
cmptime(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmpovr(const void *a, const void *b)
{
	const struct ovr *x = a, *y = b;
	int c = strcmp(x->uid, y->uid);

	if (c)
		return c;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The end of an occurrence that starts at wall time t, instant a. */
static time_t
endof(const struct bev *e, struct icaltimetype t, time_t a)
{
	if (t.is_date) {
		icaltime_adjust(&t, (int)e->dur, 0, 0, 0);
		return appt_ical_wall(&t, NULL);
	}
	if (e->wall) {
		icaltime_adjust(&t, 0, 0, 0, (int)e->dur);
		return appt_ical_wall(&t, e->zone);
	}
	return a + e->dur;
}

/*
 * Make event k (component c) of calendar bc ready: 0, or -1 with *err
 * naming the file and line.
 */
static int
prepare(struct bcal *bc, size_t k, icalcomponent *c, char **err)
{
	struct appt_ical *ic = bc->ic;
	struct bev e;
	icalproperty *p, *ps, *pe;
	struct icaltimetype t;
	struct icaldurationtype d;
	time_t a, b;
	icaltimezone *z;
	const char *label = appt_ical_label(ic);

	memset(&e, 0, sizeof e);
	e.uid = icalcomponent_get_uid(c);
	if (!e.uid)
		e.uid = "";
	if (!(ps = icalcomponent_get_first_property(c,
	    ICAL_DTSTART_PROPERTY))) {
		*err = xasprintf("%s:%ld: an event without DTSTART", label,
		    appt_ical_evline(ic, k));
		goto fail;
	}
	e.start = icalproperty_get_dtstart(ps);
	if (icaltime_is_null_time(e.start) || !icaltime_is_valid_time(
	    e.start)) {
		*err = xasprintf("%s:%ld: DTSTART is not a time", label,
		    appt_ical_propline(ic, k, "DTSTART"));
		goto fail;
	}
	if (appt_ical_time(ic, k, ps, &e.start, &e.t0, &e.zone, err) < 0)
		goto fail;
	e.blocks = icalcomponent_get_status(c) != ICAL_STATUS_CANCELLED;
	if ((p = icalcomponent_get_first_property(c, ICAL_TRANSP_PROPERTY))) {
		icalproperty_transp tr = icalproperty_get_transp(p);

		if (tr == ICAL_TRANSP_TRANSPARENT ||
		    tr == ICAL_TRANSP_TRANSPARENTNOCONFLICT)
			e.blocks = 0;
	}
	/* How long: DTEND, else DURATION, else a day or nothing. */
	if ((pe = icalcomponent_get_first_property(c, ICAL_DTEND_PROPERTY))) {
		icaltimezone *ze;

		t = icalproperty_get_dtend(pe);
		if (appt_ical_time(ic, k, pe, &t, &b, &ze, err) < 0)
			goto fail;
		if (e.start.is_date) {
			e.dur = t.is_date ? icaltime_day_of_year(t) -
			    icaltime_day_of_year(e.start) : 1;
			if (t.is_date && t.year != e.start.year)
				e.dur = (long)((appt_ical_wall(&t, NULL) -
				    e.t0 + 43200) / 86400);
		} else if (ze == e.zone && !t.is_date && e.zone &&
		    !icaltime_is_utc(t)) {
			e.wall = 1;
			e.dur = (long)(icaltime_as_timet(t) -
			    icaltime_as_timet(e.start));
		} else
			e.dur = (long)(b - e.t0);
	} else if ((p = icalcomponent_get_first_property(c,
	    ICAL_DURATION_PROPERTY))) {
		d = icalproperty_get_duration(p);
		if (e.start.is_date)
			e.dur = d.days + 7 * d.weeks;
		else {
			e.dur = icaldurationtype_as_int(d);
			e.wall = e.zone != NULL && !d.hours && !d.minutes &&
			    !d.seconds;
		}
	} else
		e.dur = e.start.is_date ? 1 : 0;
	if (e.dur < 0)
		e.dur = 0;
	if ((p = icalcomponent_get_first_property(c, ICAL_RRULE_PROPERTY))) {
		e.rr = icalproperty_get_rrule(p);
		if (e.rr.freq == ICAL_NO_RECURRENCE) {
			*err = xasprintf("%s:%ld: RRULE without FREQ", label,
			    appt_ical_propline(ic, k, "RRULE"));
			goto fail;
		}
		if (!icaltime_is_null_time(e.rr.until)) {
			t = e.rr.until;
			/* A floating UNTIL is in the zone of DTSTART. */
			e.until = t.is_date ? appt_ical_wall(&t, NULL) +
			    86400 - 1 : appt_ical_wall(&t, e.zone);
			e.rr.until = icaltime_null_time();
		}
		e.rule = 1;
	}
	for (p = icalcomponent_get_first_property(c, ICAL_EXDATE_PROPERTY);
	    p; p = icalcomponent_get_next_property(c, ICAL_EXDATE_PROPERTY)) {
		t = icalproperty_get_exdate(p);
		if (appt_ical_time(ic, k, p, &t, &a, NULL, err) < 0)
			goto fail;
		e.ex = xreallocarray(e.ex, e.nex + 1, sizeof *e.ex);
		e.ex[e.nex++] = a;
	}
	if (e.nex)
		qsort(e.ex, e.nex, sizeof *e.ex, cmptime);
	for (p = icalcomponent_get_first_property(c, ICAL_RDATE_PROPERTY);
	    p; p = icalcomponent_get_next_property(c, ICAL_RDATE_PROPERTY)) {
		struct icaldatetimeperiodtype rd = icalproperty_get_rdate(p);

		if (!icalperiodtype_is_null_period(rd.period)) {
			t = rd.period.start;
			if (appt_ical_time(ic, k, p, &t, &a, &z, err) < 0)
				goto fail;
			if (!icaltime_is_null_time(rd.period.end)) {
				t = rd.period.end;
				b = appt_ical_wall(&t, z);
			} else
				b = a + icaldurationtype_as_int(
				    rd.period.duration);
		} else {
			t = rd.time;
			if (appt_ical_time(ic, k, p, &t, &a, &z, err) < 0)
				goto fail;
			b = endof(&e, t, a);
		}
		e.rda = xreallocarray(e.rda, e.nrd + 1, sizeof *e.rda);
		e.rdb = xreallocarray(e.rdb, e.nrd + 1, sizeof *e.rdb);
		e.rda[e.nrd] = a;
		e.rdb[e.nrd++] = b;
	}
	/* An override: the start it replaces, whether or not it blocks. */
	if ((p = icalcomponent_get_first_property(c,
	    ICAL_RECURRENCEID_PROPERTY))) {
		t = icalproperty_get_recurrenceid(p);
		if (appt_ical_time(ic, k, p, &t, &a, NULL, err) < 0)
			goto fail;
		bc->ov = xreallocarray(bc->ov, bc->nov + 1, sizeof *bc->ov);
		bc->ov[bc->nov].uid = e.uid;
		bc->ov[bc->nov++].at = a;
		e.rule = 0;	/* it is one occurrence */
		e.isovr = 1;
		e.nrd = 0;
	}
	bc->ev[bc->nev++] = e;
	return 0;
fail:
	free(e.ex);
	free(e.rda);
	free(e.rdb);
	return -1;
}

/* Is start a of event e excluded or replaced? */
static int
skipped(const struct bcal *bc, const struct bev *e, time_t a)
{
	struct ovr key;

	if (e->nex && bsearch(&a, e->ex, e->nex, sizeof *e->ex, cmptime))
		return 1;
	if (!bc->nov)
		return 0;
	key.uid = e->uid;
	key.at = a;
	return bsearch(&key, bc->ov, bc->nov, sizeof *bc->ov, cmpovr) !=
	    NULL;
}

/* Instant t as a wall time of e's kind: a date, UTC, its zone, floating. */
static struct icaltimetype
towall(const struct bev *e, time_t t)
{
	struct icaltimetype w;
	struct tm tm;

	if (e->zone)
		return icaltime_from_timet_with_zone(t, 0, e->zone);
	if (icaltime_is_utc(e->start))
		return icaltime_from_timet_with_zone(t, 0,
		    icaltimezone_get_utc_timezone());
	localtime_r(&t, &tm);
	w = icaltime_null_time();
	w.year = tm.tm_year + 1900;
	w.month = tm.tm_mon + 1;
	w.day = tm.tm_mday;
	if (e->start.is_date)
		w.is_date = 1;
	else {
		w.hour = tm.tm_hour;
		w.minute = tm.tm_min;
		w.second = tm.tm_sec;
	}
	return w;
}

/* Wall times compared as written, without libical's conversions. */
static int
wallcmp(const struct icaltimetype *a, const struct icaltimetype *b)
{
	int x[6] = { a->year, a->month, a->day, a->hour, a->minute,
	    a->second };
	int y[6] = { b->year, b->month, b->day, b->hour, b->minute,
	    b->second };
	int i;

	for (i = 0; i < 6; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/*
 * Each occurrence of e that overlaps [from, to), to cb: 1 if cb stopped
 * it. An override (no rule) is its one occurrence. Occurrences are
 * compared as wall times with bounds two days (and the event's length)
 * wide of the window, and only those within are made instants: the
 * conversion is what costs. A rule without COUNT starts at the lower
 * bound.
 */
static int
expand(const struct bcal *bc, const struct bev *e, time_t from, time_t to,
    int (*cb)(void *, time_t, time_t, const char *), void *ctx)
{
	icalrecur_iterator *it;
	struct icaltimetype t, lo, hi;
	time_t a, b;
	size_t i;
	long n;
	int stop = 0;

	for (i = 0; i < e->nrd && !stop; i++)
		if (e->rda[i] < to && e->rdb[i] > from &&
		    !skipped(bc, e, e->rda[i]))
			stop = cb(ctx, e->rda[i], e->rdb[i], bc->staff);
	if (stop)
		return 1;
	if (!e->rule) {
		/* A single event, or an override: its one occurrence. */
		b = endof(e, e->start, e->t0);
		if (e->t0 < to && b > from && (e->isovr ||
		    !skipped(bc, e, e->t0)))
			return cb(ctx, e->t0, b, bc->staff);
		return 0;
	}
	if (!(it = icalrecur_iterator_new(e->rr, e->start)))
		return 0;
	lo = towall(e, from - 2 * 86400 - (e->start.is_date ? e->dur * 86400 :
	    e->dur));
	hi = towall(e, to + 2 * 86400);
	if (!e->rr.count && wallcmp(&lo, &e->start) > 0)
		icalrecur_iterator_set_start(it, lo);
	for (n = 0; n < APPT_BUSY_CAP; n++) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t) || wallcmp(&t, &hi) > 0)
			break;
		if (wallcmp(&t, &lo) < 0)
			continue;
		a = appt_ical_wall(&t, e->zone);
		if ((e->until && a > e->until) || a >= to)
			break;
		b = endof(e, t, a);
		if (b > from && !skipped(bc, e, a) &&
		    (stop = cb(ctx, a, b, bc->staff)))
			break;
	}
	icalrecur_iterator_free(it);
	return stop;
}

int
appt_busy_add(struct appt_busy *bu, const char *text, size_t len,
    const char *label, const char *staff, char **err)
{
	struct bcal bc;
	icalcomponent *root, *c;
	size_t k = 0, n = 0;

	memset(&bc, 0, sizeof bc);
	if (!(bc.ic = appt_ical_read(text, len, label, err)))
		return -1;
	root = appt_ical_root(bc.ic);
	for (c = icalcomponent_get_first_component(root,
	    ICAL_VEVENT_COMPONENT); c; c = icalcomponent_get_next_component(
	    root, ICAL_VEVENT_COMPONENT))
		n++;
	bc.ev = xcalloc(n ? n : 1, sizeof *bc.ev);
	for (c = icalcomponent_get_first_component(root,
	    ICAL_VEVENT_COMPONENT); c; c = icalcomponent_get_next_component(
	    root, ICAL_VEVENT_COMPONENT), k++)
		if (prepare(&bc, k, c, err) < 0) {
			bc.staff = NULL;
			for (k = 0; k < bc.nev; k++) {
				free(bc.ev[k].ex);
				free(bc.ev[k].rda);
				free(bc.ev[k].rdb);
			}
			free(bc.ev);
			free(bc.ov);
			appt_ical_free(bc.ic);
			return -1;
		}
	if (bc.nov)
		qsort(bc.ov, bc.nov, sizeof *bc.ov, cmpovr);
	bc.staff = xstrdup(staff ? staff : "");
	bu->cal = xreallocarray(bu->cal, bu->ncal + 1, sizeof *bu->cal);
	bu->cal[bu->ncal++] = bc;
	return 0;
}

void
appt_busy_each(const struct appt_busy *bu, time_t from, time_t to,
    int (*cb)(void *, time_t a, time_t b, const char *staff), void *ctx)
{
	size_t i, j;

	if (!bu)
		return;
	for (i = 0; i < bu->ncal; i++)
		for (j = 0; j < bu->cal[i].nev; j++)
			if (bu->cal[i].ev[j].blocks && expand(&bu->cal[i],
			    &bu->cal[i].ev[j], from, to, cb, ctx))
				return;
}

/* Is name a calendar's file name: NAME.ics, not hidden? */
int
appt_busy_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && name[0] != '.' && !strcmp(name + n - 4, ".ics");
}

/*
 * The calendars of folder rel (busy, or busy/STAFF) into bu, for staff:
 * each problem to report, or exit 3 on the first when report is NULL.
 * The problems.
 */
static long
addfolder(struct appt_busy *bu, const struct appt_store *s, const char *rel,
    const char *staff, void (*report)(void *, const char *), void *ctx)
{
	char *path = appt_path(s, rel), *text, *err, *fp, *frel;
	struct dirent **de = NULL;
	int n, i;
	size_t len;
	long bad = 0;

	n = scandir(path, &de, NULL, alphasort);
	for (i = 0; i < n; i++) {
		frel = xasprintf("%s/%s", rel, de[i]->d_name);
		fp = appt_path(s, frel);
		if (de[i]->d_type == DT_DIR && !staff &&
		    de[i]->d_name[0] != '.')
			bad += addfolder(bu, s, frel, de[i]->d_name, report,
			    ctx);
		else if (appt_busy_name(de[i]->d_name)) {
			if (!(text = appt_slurp(fp, &len)))
				err = xasprintf("%s: %s", frel,
				    strerror(errno));
			else if (appt_busy_add(bu, text, len, frel, staff,
			    &err) == 0)
				err = NULL;
			free(text);
			if (err) {
				bad++;
				if (!report)
					appt_die(APPT_EDATA, "%s", err);
				report(ctx, err);
				free(err);
			}
		}
		free(fp);
		free(frel);
		free(de[i]);
	}
	if (n >= 0)
		free(de);
	free(path);
	return bad;
}

struct appt_busy *
appt_busy_open(const struct appt_store *s)
{
	struct appt_busy *bu = appt_busy_new();

	addfolder(bu, s, "busy", NULL, NULL, NULL);
	return bu;
}

long
appt_busy_check(const struct appt_store *s,
    void (*report)(void *, const char *), void *ctx)
{
	struct appt_busy *bu = appt_busy_new();
	long bad = addfolder(bu, s, "busy", NULL, report, ctx);

	appt_busy_close(bu);
	return bad;
}
