/*
 * avail.c: when is a staff member free? The one place that knows the
 * rules: working plans, breaks, buffers, closures, busy calendars,
 * notice, horizon and the granularity grid. appt-slots lists what it
 * allows; appt-book, appt-move and recurring bookings ask it, under the
 * lock, about one start at a time.
 *
 * It reads, and never writes: the services, staff and closures of a
 * catalogue (catalog.c), the appointments of the months (months.c),
 * whose tables a command that books then appends to.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

#define DAY 86400

/* What takes time from a staff member. */
enum kind {
	APPOINTMENT,		/* with its buffers */
	CLOSURE,		/* of closures.csv; staff "" for everyone */
	BUSY			/* of a busy calendar */
};

struct block {
	time_t a, b;
	const char *staff;	/* borrowed from the row it was read from */
	long id;		/* an appointment's id, 0 for others */
	enum kind kind;
};

struct appt_avail {
	const struct appt_store *s;
	const struct appt_catalog *cat;
	struct appt_months *months;
	time_t now;
	long gran, notice, horizon;	/* minutes */
	struct block *blk;
	size_t nblk, cblk;
	time_t wfrom, wto;		/* the window blk covers */
	unsigned long version;		/* of the months it was read from */
	char early[16], late[16];	/* dates well outside the window */
	struct appt_busy *busy;		/* busy/, read when first needed */
};

struct appt_avail *
appt_avail_open(const struct appt_store *s, const struct appt_catalog *cat,
    struct appt_months *months, time_t now)
{
	struct appt_avail *av = xcalloc(1, sizeof *av);

	av->s = s;
	av->cat = cat;
	av->months = months;
	av->now = now;
	av->gran = appt_cfg_dur(&s->cfg, "booking:granularity", "15m");
	if (av->gran <= 0)
		av->gran = 1;
	av->notice = appt_cfg_dur(&s->cfg, "booking:min_notice", "0m");
	av->horizon = appt_cfg_dur(&s->cfg, "booking:horizon", "90d");
	return av;
}

void
appt_avail_close(struct appt_avail *av)
{
	if (!av)
		return;
	free(av->blk);
	appt_busy_close(av->busy);
	free(av);
}

static void
block(struct appt_avail *av, time_t a, time_t b, const char *staff,
    long id, enum kind kind)
{
	struct block *k;

	if (av->nblk == av->cblk) {
		av->cblk = av->cblk * 2 + 64;
		av->blk = xreallocarray(av->blk, av->cblk, sizeof *av->blk);
	}
	k = &av->blk[av->nblk++];
	k->a = a;
	k->b = b;
	k->staff = staff;
	k->id = id;
	k->kind = kind;
}

static int
busyblock(void *ctx, time_t a, time_t b, const char *staff)
{
	block(ctx, a, b, staff, 0, BUSY);
	return 0;
}

/*
 * External busy times (the calendars in busy/, busy.c) subtract from free
 * time here, as blocks of kind BUSY; staff "" is everyone. The files are
 * read once, each window expanded on its own.
 */
static void
busyblocks(struct appt_avail *av, time_t from, time_t to)
{
	if (!av->busy)
		av->busy = appt_busy_open(av->s);
	appt_busy_each(av->busy, from - DAY, to + DAY, busyblock, av);
}

/* A date as a time begins, YYYY-MM-DD, compared as text. */
static int
isdate(const char *s)
{
	return strlen(s) >= 10 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    isdigit((unsigned char)s[3]) && s[4] == '-' &&
	    isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) &&
	    s[7] == '-' && isdigit((unsigned char)s[8]) &&
	    isdigit((unsigned char)s[9]);
}

static void
dateof(time_t t, char *buf, size_t n)
{
	int y, m, d;

	appt_local(t, &y, &m, &d, NULL, NULL);
	snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* The block of appointment r of t if it takes time of [from, to). */
static void
rowblock(struct appt_avail *av, const struct appt_table *t,
    const struct appt_row *r, time_t from, time_t to)
{
	const struct appt_service *sv;
	const char *s, *e;
	time_t a, b;
	long before, after, dur, id;

	if (!strcmp(appt_get(t, r, "status"), "cancelled"))
		return;
	/*
	 * Most rows of a month are days away: their dates alone, as text,
	 * say so, without reading the times (offsets and buffers are well
	 * inside the two days to spare).
	 */
	s = appt_get(t, r, "start");
	e = appt_get(t, r, "end");
	if (isdate(s) && (strncmp(s, av->late, 10) > 0 ||
	    (isdate(e) && strncmp(s, av->early, 10) < 0 &&
	    strncmp(e, av->early, 10) < 0)))
		return;
	/* A time we cannot read could hide a taken slot. */
	if (appt_parse_iso(appt_get(t, r, "start"), &a) < 0 ||
	    appt_parse_iso(appt_get(t, r, "end"), &b) < 0)
		appt_die(APPT_EDATA, "%s:%ld: start or end is not a time "
		    "(appt-check lists every problem)", t->label, r->line);
	/* Nor can one whose end is not after its start. */
	if (b <= a && a < to + DAY)
		appt_die(APPT_EDATA, "%s:%ld: end is not after start "
		    "(appt-check lists every problem)", t->label, r->line);
	dur = before = after = 0;
	if ((sv = appt_service_find(av->cat, appt_get(t, r, "service"))))
		appt_service_times(sv, &dur, &before, &after);
	a -= before * 60;
	b += after * 60;
	if (b <= from - DAY || a >= to + DAY)
		return;
	/* Nor one that could be anyone's. */
	if (!*appt_get(t, r, "staff"))
		appt_die(APPT_EDATA, "%s:%ld: staff: empty (appt-check lists "
		    "every problem)", t->label, r->line);
	if (appt_parse_id(appt_get(t, r, "id"), &id) < 0)
		id = 0;
	block(av, a, b, appt_get(t, r, "staff"), id, APPOINTMENT);
}

/* The blocks of [from, to) and a day either side. */
static void
window(struct appt_avail *av, time_t from, time_t to)
{
	struct appt_table *t;
	char **files;
	size_t nf, i, j;
	time_t a, b;
	long before, after, maxbefore = 0, maxafter = 0;

	av->nblk = 0;
	/*
	 * An appointment of any earlier month may run into the window, if
	 * it is long enough: the months whose latest end, with the longest
	 * buffer after, passes the window's start are read too.
	 */
	for (j = 0; j < appt_service_count(av->cat); j++) {
		appt_service_times(appt_service_at(av->cat, j), NULL, &before,
		    &after);
		if (before > maxbefore)
			maxbefore = before;
		if (after > maxafter)
			maxafter = after;
	}
	nf = appt_months_over(av->months, from - DAY, to + DAY +
	    maxbefore * 60, maxafter * 60, &files);
	dateof(from - 3 * DAY - maxafter * 60, av->early, sizeof av->early);
	dateof(to + 3 * DAY + maxbefore * 60, av->late, sizeof av->late);
	for (i = 0; i < nf; i++) {
		t = appt_months_table(av->months, files[i]);
		for (j = 0; j < t->nrow; j++)
			rowblock(av, t, &t->row[j], from, to);
	}
	appt_strv_free(files, nf);
	for (j = 0; j < appt_closure_count(av->cat); j++) {
		const char *staff;

		appt_closure_at(av->cat, j, &a, &b, &staff);
		if (b <= from - DAY || a >= to + DAY)
			continue;
		block(av, a, b, staff, 0, CLOSURE);
	}
	busyblocks(av, from, to);
	av->wfrom = from;
	av->wto = to;
	av->version = appt_months_version(av->months);
}

/*
 * The blocks of [from, to) as the months are now: those read, and the
 * rows added since (a batch of bookings) when nothing else changed.
 */
static void
cover(struct appt_avail *av, time_t from, time_t to)
{
	const struct appt_table *t;
	const struct appt_row *r;
	long n, i;

	if (from >= av->wfrom && to <= av->wto && av->wto != av->wfrom) {
		if (av->version == appt_months_version(av->months))
			return;
		if ((n = appt_months_added_since(av->months,
		    av->version)) >= 0) {
			for (i = 0; i < n; i++) {
				r = appt_months_added_row(av->months,
				    av->version, (size_t)i, &t);
				rowblock(av, t, r, av->wfrom, av->wto);
			}
			av->version = appt_months_version(av->months);
			return;
		}
	}
	window(av, from, to);
}

int
appt_workday(const struct appt_store *s, const char *staff, int y, int m,
    int d, time_t *a, time_t *b, int max)
{
	int st[16], en[16], n, i, k = 0, wd;

	appt_local(appt_day_start(y, m, d) + 12 * 3600, NULL, NULL, NULL,
	    &wd, NULL);
	n = appt_staff_hours(&s->cfg, staff, wd, st, en, 16);
	for (i = 0; i < n && k < max; i++) {
		if (appt_mklocal(y, m, d, st[i] / 60, st[i] % 60, &a[k],
		    NULL) < 0)
			continue;
		if (en[i] == 1440) {
			int y2 = y, m2 = m, d2 = d;

			appt_adddays(&y2, &m2, &d2, 1);
			b[k] = appt_day_start(y2, m2, d2);
		} else if (appt_mklocal(y, m, d, en[i] / 60, en[i] % 60,
		    &b[k], NULL) < 0)
			continue;
		/* Intervals that touch are one: 09:00-12:00, 12:00-18:00. */
		if (k && b[k - 1] == a[k])
			b[k - 1] = b[k];
		else
			k++;
	}
	return k;
}

/*
 * Does staff work all of start to end? The intervals of a day joined,
 * and a day's last interval that ends at 24:00 joined to the next day's
 * first that starts at 00:00: fri 20:00-24:00 and sat 00:00-04:00 are one.
 */
static int
inplan(struct appt_avail *av, const char *staff, time_t start, time_t end)
{
	time_t a[16], b[16], cur = start;
	int y, m, d, n, i;

	appt_local(start, &y, &m, &d, NULL, NULL);
	for (;;) {
		n = appt_workday(av->s, staff, y, m, d, a, b, 16);
		for (i = 0; i < n && !(a[i] <= cur && cur < b[i]); i++)
			;
		if (i == n)
			return 0;
		if ((cur = b[i]) >= end)
			return 1;
		appt_adddays(&y, &m, &d, 1);
		if (cur != appt_day_start(y, m, d))
			return 0;
	}
}

int
appt_avail_check(struct appt_avail *av, const struct appt_service *svc,
    const char *staff, time_t start, int force, long ignore, char *why,
    size_t whylen)
{
	time_t end, ba, bb;
	long dur, before, after;
	int min;
	size_t j;
	char t1[APPT_TIMELEN], t2[APPT_TIMELEN];

	appt_service_times(svc, &dur, &before, &after);
	end = start + dur * 60;
	bb = start - before * 60;
	ba = end + after * 60;
	if (!appt_service_allows(svc, staff)) {
		snprintf(why, whylen, "%s does not do %s", staff,
		    appt_service_id(svc));
		return APPT_SLOT_STAFF;
	}
	/*
	 * The blocks must cover the whole span with buffers, and be read
	 * again once the months have changed.
	 */
	/* Whole days, so that the checks of one day read the months once. */
	cover(av, (bb - DAY) / DAY * DAY, (ba + DAY) / DAY * DAY + DAY);
	for (j = 0; j < av->nblk; j++) {
		struct block *k = &av->blk[j];

		if (k->kind == CLOSURE || (strcasecmp(k->staff, staff) &&
		    !(k->kind == BUSY && !*k->staff)) ||
		    (ignore && k->id == ignore))
			continue;
		if (k->a < ba && bb < k->b) {
			if (k->kind == APPOINTMENT)
				snprintf(why, whylen, "%s is taken by "
				    "appointment %ld (%s to %s, with buffers)",
				    staff, k->id, appt_fmt_time(k->a, t1),
				    appt_fmt_time(k->b, t2));
			else
				snprintf(why, whylen, "%s is busy then "
				    "(a busy calendar)", staff);
			return APPT_SLOT_TAKEN;
		}
	}
	if (force)
		return 0;
	for (j = 0; j < av->nblk; j++) {
		struct block *k = &av->blk[j];

		if (k->kind == CLOSURE && (!*k->staff ||
		    !strcasecmp(k->staff, staff)) && k->a < end && start < k->b) {
			snprintf(why, whylen, "closed then (closures.csv: %s "
			    "to %s)", appt_fmt_time(k->a, t1),
			    appt_fmt_time(k->b, t2));
			return APPT_SLOT_CLOSED;
		}
	}
	appt_local(start, NULL, NULL, NULL, NULL, &min);
	if (!inplan(av, staff, start, end)) {
		snprintf(why, whylen, "outside %s's working hours", staff);
		return APPT_SLOT_HOURS;
	}
	if (min % av->gran) {
		snprintf(why, whylen, "not on the %ld-minute grid", av->gran);
		return APPT_SLOT_GRID;
	}
	if (start < av->now + av->notice * 60) {
		snprintf(why, whylen, "too short notice (at least %ld minutes "
		    "ahead)", av->notice);
		return APPT_SLOT_NOTICE;
	}
	if (start > av->now + av->horizon * 60) {
		snprintf(why, whylen, "beyond the booking horizon (%ld days)",
		    av->horizon / 1440);
		return APPT_SLOT_HORIZON;
	}
	return 0;
}

int
appt_avail_slots(struct appt_avail *av, const struct appt_service *svc,
    const char *staff, time_t from, time_t to,
    int (*cb)(void *, time_t, time_t, const char *), void *ctx)
{
	struct slot {
		time_t t;
		size_t staff;
	} *v = NULL;
	size_t n = 0, cap = 0, si, i;
	time_t a[16], b[16], t, first;
	long dur, before, after;
	int y, m, d, y2, m2, d2, k, nk, min;
	char why[256];

	appt_service_times(svc, &dur, &before, &after);
	if (from < av->now + av->notice * 60)
		from = av->now + av->notice * 60;
	if (to > av->now + av->horizon * 60 + 1)
		to = av->now + av->horizon * 60 + 1;
	if (from >= to)
		return 0;
	window(av, from, to);
	appt_local(from, &y, &m, &d, NULL, NULL);
	appt_local(to - 1, &y2, &m2, &d2, NULL, NULL);
	for (;;) {
		for (si = 0; si < appt_staff_count(av->cat); si++) {
			const char *id = appt_staff_id(appt_staff_at(av->cat,
			    si));

			if ((staff && strcasecmp(staff, id)) ||
			    !appt_service_allows(svc, id))
				continue;
			nk = appt_workday(av->s, id, y, m, d, a, b, 16);
			for (k = 0; k < nk; k++) {
				/*
				 * First grid point at or after a[k]; a slot
				 * may run on into the next day's plan.
				 */
				appt_local(a[k], NULL, NULL, NULL, NULL, &min);
				first = a[k] + ((av->gran - min % av->gran) %
				    av->gran) * 60;
				for (t = first; t < b[k];
				    t += av->gran * 60) {
					if (t < from || t >= to)
						continue;
					if (appt_avail_check(av, svc, id, t, 0,
					    0, why, sizeof why))
						continue;
					if (n == cap) {
						cap = cap * 2 + 64;
						v = xreallocarray(v, cap,
						    sizeof *v);
					}
					v[n].t = t;
					v[n++].staff = si;
				}
			}
		}
		if (y == y2 && m == m2 && d == d2)
			break;
		appt_adddays(&y, &m, &d, 1);
	}
	/* By start, then staff in the order of staff.csv. */
	for (i = 1; i < n; i++) {
		struct slot x = v[i];
		size_t j = i;

		while (j > 0 && (v[j - 1].t > x.t || (v[j - 1].t == x.t &&
		    v[j - 1].staff > x.staff))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	for (i = 0; i < n; i++)
		if (cb(ctx, v[i].t, v[i].t + dur * 60,
		    appt_staff_id(appt_staff_at(av->cat, v[i].staff))))
			break;
	free(v);
	return (int)n;
}

struct first {
	time_t t;
	const char *staff;
};

static int
firstslot(void *ctx, time_t start, time_t end, const char *staff)
{
	struct first *f = ctx;

	(void)end;
	f->t = start;
	f->staff = staff;
	return 1;
}

int
appt_avail_first(struct appt_avail *av, const struct appt_service *svc,
    const char *staff, time_t from, time_t *start, const char **who)
{
	struct first f = { 0, NULL };

	appt_avail_slots(av, svc, staff, from, av->now + av->horizon * 60 + 1,
	    firstslot, &f);
	if (!f.staff)
		return -1;
	*start = f.t;
	*who = f.staff;
	return 0;
}
