/*
 * report.c: the figures of appt-report over the appointments that start
 * in a range, by staff, service or period. The month files of the range
 * (and, for customers, of [report] lapse before it) are read one at a
 * time and freed, so a year's report holds one month and the sums, never
 * the history.
 *
 * Rows: one a group (a staff member, a service, a day, a week, a month),
 * each a filter on the appointments (staff, service) and a window of
 * time, then the total, whose figures are worked out on their own (the
 * customers of a range are not the sum of those of its days).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

#define DAY 86400
#define NFIG 8

struct group {
	char *key, *name;
	const char *staff, *service;	/* who counts; NULL: any */
	time_t a, b;			/* the window */
	long long n[NFIG];		/* the figures, by kind */
	char *f[2 + NFIG + 2];		/* the fields, once made */
};

struct appt_report {
	const struct appt_store *s;
	const struct appt_catalog *cat;
	int kind, by;
	time_t from, to;
	const char *staff, *service;	/* -w and -s: ids, or NULL */
	long late, lapse;		/* minutes */
	struct group *g;		/* the groups, then the total */
	size_t ng, cg;
	struct group tot;
	const char *col[2 + NFIG];
	size_t ncol;
};

static const char *const kinds[] = {
	"no-shows", "utilisation", "customers", "revenue"
};
static const char *const bys[] = {
	"none", "staff", "service", "day", "week", "month"
};

int
appt_report_kind(const char *s)
{
	size_t i;

	for (i = 0; s && i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(s, kinds[i]))
			return (int)i;
	return -1;
}

int
appt_report_by(const char *s)
{
	size_t i;

	for (i = 0; s && i < sizeof bys / sizeof *bys; i++)
		if (!strcmp(s, bys[i]))
			return (int)i;
	return -1;
}

static struct group *
addgroup(struct appt_report *r, const char *key, const char *name)
{
	struct group *g;

	if (r->ng == r->cg) {
		r->cg = r->cg * 2 + 16;
		r->g = xreallocarray(r->g, r->cg, sizeof *r->g);
	}
	g = &r->g[r->ng++];
	memset(g, 0, sizeof *g);
	g->key = xstrdup(key);
	g->name = xstrdup(name ? name : "");
	g->staff = r->staff;
	g->service = r->service;
	g->a = r->from;
	g->b = r->to;
	return g;
}

/* The key of the period of the local day y-m-d into buf. */
static void
periodkey(int by, int y, int m, int d, char *buf, size_t n)
{
	struct tm tm;
	time_t t;

	if (by == APPT_BY_DAY)
		snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
	else if (by == APPT_BY_MONTH)
		snprintf(buf, n, "%04d-%02d", y, m);
	else {
		t = appt_day_start(y, m, d) + 12 * 3600;
		localtime_r(&t, &tm);
		strftime(buf, n, "%G-W%V", &tm);
	}
}

/* The groups of the report: staff, services or the periods of the range. */
static void
groups(struct appt_report *r)
{
	struct group *g = NULL;
	char key[32], prev[32] = "";
	int y, m, d;
	time_t a;
	size_t i;

	switch (r->by) {
	case APPT_BY_STAFF:
		for (i = 0; i < appt_staff_count(r->cat); i++) {
			const struct appt_staff *st = appt_staff_at(r->cat, i);

			if (r->staff && strcasecmp(r->staff, appt_staff_id(st)))
				continue;
			g = addgroup(r, appt_staff_id(st), appt_staff_name(st));
			g->staff = appt_staff_id(st);
		}
		break;
	case APPT_BY_SERVICE:
		for (i = 0; i < appt_service_count(r->cat); i++) {
			const struct appt_service *sv = appt_service_at(r->cat,
			    i);

			if (r->service && strcmp(r->service,
			    appt_service_id(sv)))
				continue;
			g = addgroup(r, appt_service_id(sv),
			    appt_service_name(sv));
			g->service = appt_service_id(sv);
		}
		break;
	case APPT_BY_DAY:
	case APPT_BY_WEEK:
	case APPT_BY_MONTH:
		appt_local(r->from, &y, &m, &d, NULL, NULL);
		while ((a = appt_day_start(y, m, d)) < r->to) {
			periodkey(r->by, y, m, d, key, sizeof key);
			if (strcmp(key, prev)) {
				g = addgroup(r, key, NULL);
				g->a = a;
				snprintf(prev, sizeof prev, "%s", key);
			}
			appt_adddays(&y, &m, &d, 1);
			g->b = appt_day_start(y, m, d);
		}
		break;
	}
}

/* Does an appointment of staff and service count in g? */
static int
counts(const struct group *g, const char *staff, const char *service)
{
	return (!g->staff || !strcasecmp(g->staff, staff)) &&
	    (!g->service || !strcmp(g->service, service));
}

/*
 * The group of an appointment of this staff member and service (by
 * staff or service: one is added for an id staff.csv or services.csv
 * lacks), or of its start (by period): an index, -1 if none.
 */
static long
groupof(struct appt_report *r, const char *staff, const char *service,
    time_t start)
{
	const char *id = r->by == APPT_BY_STAFF ? staff : service;
	size_t lo = 0, hi = r->ng, i;
	struct group *g;

	switch (r->by) {
	case APPT_BY_STAFF:
	case APPT_BY_SERVICE:
		for (i = 0; i < r->ng; i++)
			if (!strcasecmp(r->g[i].key, id))
				return (long)i;
		if (!*id || !counts(&r->tot, staff, service))
			return -1;
		g = addgroup(r, id, NULL);
		if (r->by == APPT_BY_STAFF)
			g->staff = g->key;
		else
			g->service = g->key;
		return (long)(r->ng - 1);
	case APPT_BY_DAY:
	case APPT_BY_WEEK:
	case APPT_BY_MONTH:
		while (lo < hi) {
			i = (lo + hi) / 2;
			if (r->g[i].b <= start)
				lo = i + 1;
			else
				hi = i;
		}
		return lo < r->ng && r->g[lo].a <= start ? (long)lo : -1;
	}
	return -1;
}

/*
 * Each appointment of the month files of [from, to) to fn, with its
 * table, start and end. Exits 3 on a file that does not parse or a
 * start or end that is not a time.
 */
static void
each(struct appt_report *r, time_t from, time_t to,
    void (*fn)(struct appt_report *, const struct appt_table *,
    const struct appt_row *, time_t, time_t, void *), void *ctx)
{
	struct appt_table t;
	char **files, *path, *err;
	size_t nf, i, j;
	time_t a, b;

	nf = appt_month_files(r->s, from, to, &files);
	for (i = 0; i < nf; i++) {
		path = appt_path(r->s, files[i]);
		if (appt_table_read(&t, path, files[i], appt_appt_cols, 0,
		    &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		free(path);
		for (j = 0; j < t.nrow; j++) {
			const struct appt_row *w = &t.row[j];

			if (appt_parse_iso(appt_get(&t, w, "start"), &a) < 0 ||
			    appt_parse_iso(appt_get(&t, w, "end"), &b) < 0)
				appt_die(APPT_EDATA, "%s:%ld: start or end is "
				    "not a time (appt-check lists every "
				    "problem)", t.label, w->line);
			if (a >= from && a < to)
				fn(r, &t, w, a, b, ctx);
		}
		appt_table_free(&t);
	}
	appt_strv_free(files, nf);
}

/* The groups an appointment counts in, the total last: how many. */
static size_t
groupsof(struct appt_report *r, const struct appt_table *t,
    const struct appt_row *w, time_t a, struct group **out)
{
	const char *staff = appt_get(t, w, "staff");
	const char *service = appt_get(t, w, "service");
	size_t n = 0;
	long i;

	if (r->by != APPT_BY_NONE &&
	    (i = groupof(r, staff, service, a)) >= 0 &&
	    counts(&r->g[i], staff, service))
		out[n++] = &r->g[i];
	if (counts(&r->tot, staff, service))
		out[n++] = &r->tot;
	return n;
}

/*
 * no-shows: n[0] appointments, n[1] cancelled, n[2] of them late, n[3]
 * no-shows. A cancellation is late when the row's updated time (when it
 * was cancelled) is less than [report] late before the start.
 */
static void
noshow(struct appt_report *r, const struct appt_table *t,
    const struct appt_row *w, time_t a, time_t b, void *ctx)
{
	const char *st = appt_get(t, w, "status");
	struct group *g[2];
	size_t n, i;
	time_t u;
	int cancelled = !strcmp(st, "cancelled"), late = 0;

	(void)b;
	(void)ctx;
	if (cancelled && appt_parse_iso(appt_get(t, w, "updated"), &u) == 0)
		late = u > a - r->late * 60;
	n = groupsof(r, t, w, a, g);
	for (i = 0; i < n; i++) {
		g[i]->n[0]++;
		g[i]->n[1] += cancelled;
		g[i]->n[2] += late;
		g[i]->n[3] += !strcmp(st, "no-show");
	}
}

/* utilisation: n[0] booked minutes (not cancelled), n[1] working minutes. */
static void
booked(struct appt_report *r, const struct appt_table *t,
    const struct appt_row *w, time_t a, time_t b, void *ctx)
{
	struct group *g[2];
	size_t n, i;

	(void)ctx;
	if (!strcmp(appt_get(t, w, "status"), "cancelled") || b <= a)
		return;
	n = groupsof(r, t, w, a, g);
	for (i = 0; i < n; i++)
		g[i]->n[0] += (b - a) / 60;
}

/*
 * The working minutes of staff in [from, to): the intervals of its plan
 * (appt_workday) less the closures of the business and its own.
 */
static long long
working(const struct appt_report *r, const char *staff, time_t from,
    time_t to)
{
	time_t pa[16], pb[16], *ca, *cb, lo, hi, x, y;
	size_t nc = appt_closure_count(r->cat), i, k, n;
	long long sum = 0;
	int yy, mm, dd, np, j;
	const char *who;

	ca = xcalloc(2 * nc + 1, sizeof *ca);
	cb = ca + nc;
	appt_local(from, &yy, &mm, &dd, NULL, NULL);
	for (; appt_day_start(yy, mm, dd) < to; appt_adddays(&yy, &mm, &dd,
	    1)) {
		np = appt_workday(r->s, staff, yy, mm, dd, pa, pb, 16);
		for (j = 0; j < np; j++) {
			lo = pa[j] > from ? pa[j] : from;
			hi = pb[j] < to ? pb[j] : to;
			if (lo >= hi)
				continue;
			/* The closures over it, clipped, in order of start. */
			for (i = n = 0; i < nc; i++) {
				appt_closure_at(r->cat, i, &x, &y, &who);
				if (*who && strcasecmp(who, staff))
					continue;
				if (x < lo)
					x = lo;
				if (y > hi)
					y = hi;
				if (x < y) {
					ca[n] = x;
					cb[n++] = y;
				}
			}
			sum += hi - lo;
			/* Their union, taken off once. */
			for (i = 0; i < n; i++)
				for (k = i + 1; k < n; k++)
					if (ca[k] < ca[i]) {
						x = ca[i], ca[i] = ca[k],
						    ca[k] = x;
						x = cb[i], cb[i] = cb[k],
						    cb[k] = x;
					}
			for (i = 0, x = lo; i < n; i++) {
				if (ca[i] > x)
					x = ca[i];
				if (cb[i] > x) {
					sum -= cb[i] - x;
					x = cb[i];
				}
			}
		}
	}
	free(ca);
	return sum / 60;
}

/* Working minutes of every staff member that counts, day by day. */
static void
worktime(struct appt_report *r)
{
	int y, m, d;
	time_t a, b;
	size_t i;
	long gi;
	long long w;

	for (i = 0; i < appt_staff_count(r->cat); i++) {
		const char *id = appt_staff_id(appt_staff_at(r->cat, i));

		if (r->staff && strcasecmp(r->staff, id))
			continue;
		appt_local(r->from, &y, &m, &d, NULL, NULL);
		while ((a = appt_day_start(y, m, d)) < r->to) {
			appt_adddays(&y, &m, &d, 1);
			b = appt_day_start(y, m, d);
			w = working(r, id, a, b < r->to ? b : r->to);
			r->tot.n[1] += w;
			if (r->by == APPT_BY_SERVICE)
				continue;
			if (r->by != APPT_BY_NONE &&
			    (gi = groupof(r, id, "", a)) >= 0)
				r->g[gi].n[1] += w;
		}
	}
	/* A service's share is of all the working time. */
	if (r->by == APPT_BY_SERVICE)
		for (i = 0; i < r->ng; i++)
			r->g[i].n[1] = r->tot.n[1];
}

/* customers: a visit is an appointment not cancelled nor a no-show. */
struct visit {
	long cust;
	time_t t;
	long gi;	/* its group by staff or service, -1 */
	int counts;	/* -w and -s let it count */
};

struct visits {
	struct visit *v;
	size_t n, cap;
};

static void
visit(struct appt_report *r, const struct appt_table *t,
    const struct appt_row *w, time_t a, time_t b, void *ctx)
{
	struct visits *vs = ctx;
	const char *st = appt_get(t, w, "status");
	const char *staff = appt_get(t, w, "staff");
	const char *service = appt_get(t, w, "service");
	struct visit *v;
	long id;

	(void)b;
	if (!strcmp(st, "cancelled") || !strcmp(st, "no-show") ||
	    appt_parse_id(appt_get(t, w, "customer"), &id) < 0)
		return;
	if (vs->n == vs->cap) {
		vs->cap = vs->cap * 2 + 256;
		vs->v = xreallocarray(vs->v, vs->cap, sizeof *vs->v);
	}
	v = &vs->v[vs->n++];
	v->cust = id;
	v->t = a;
	v->counts = counts(&r->tot, staff, service);
	v->gi = r->by == APPT_BY_STAFF || r->by == APPT_BY_SERVICE ?
	    groupof(r, staff, service, a) : -1;
}

static int
cmpvisit(const void *x, const void *y)
{
	const struct visit *a = x, *b = y;

	if (a->cust != b->cust)
		return a->cust < b->cust ? -1 : 1;
	return a->t < b->t ? -1 : a->t > b->t;
}

/* Customer ids and their created times, sorted by id. */
struct created {
	long *id;
	time_t *t;
	size_t n, cap;
	long icol, ccol;
};

static int
createdrow(void *ctx, size_t n, char **f, long line)
{
	struct created *c = ctx;
	size_t i;
	long id;
	time_t t;

	if (line == 1) {
		c->icol = c->ccol = -1;
		for (i = 0; i < n; i++) {
			if (!strcmp(f[i], "id"))
				c->icol = (long)i;
			if (!strcmp(f[i], "created"))
				c->ccol = (long)i;
		}
		return c->icol < 0 || c->ccol < 0;
	}
	if ((size_t)c->icol >= n || (size_t)c->ccol >= n ||
	    appt_parse_id(f[c->icol], &id) < 0 ||
	    appt_parse_iso(f[c->ccol], &t) < 0)
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap * 2 + 256;
		c->id = xreallocarray(c->id, c->cap, sizeof *c->id);
		c->t = xreallocarray(c->t, c->cap, sizeof *c->t);
	}
	c->id[c->n] = id;
	c->t[c->n++] = t;
	return 0;
}

static void
readcreated(const struct appt_report *r, struct created *c)
{
	char *path = appt_path(r->s, "customers.csv"), *err;
	FILE *fp;
	size_t i, j;
	int sorted = 1;

	memset(c, 0, sizeof *c);
	if (!(fp = fopen(path, "r"))) {
		free(path);
		return;
	}
	if (appt_csv_stream(fp, "customers.csv", createdrow, c, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	fclose(fp);
	free(path);
	for (i = 1; i < c->n && sorted; i++)
		sorted = c->id[i - 1] < c->id[i];
	/* Ids are written in order; sort them if someone did not. */
	for (i = 1; !sorted && i < c->n; i++)
		for (j = i; j > 0 && c->id[j - 1] > c->id[j]; j--) {
			long x = c->id[j];
			time_t y = c->t[j];

			c->id[j] = c->id[j - 1], c->t[j] = c->t[j - 1];
			c->id[j - 1] = x, c->t[j - 1] = y;
		}
}

/* When customer id was created; 0 if unknown. */
static time_t
createdof(const struct created *c, long id)
{
	size_t lo = 0, hi = c->n, i;

	while (lo < hi) {
		i = (lo + hi) / 2;
		if (c->id[i] < id)
			lo = i + 1;
		else
			hi = i;
	}
	return lo < c->n && c->id[lo] == id ? c->t[lo] : 0;
}

/*
 * Count one customer, of visits v[0..n) in time order, in group g (gi
 * its index, -1 for the total): n[0] customers, n[1] new, n[2]
 * returning, n[3] lapsed.
 */
static void
custcount(const struct appt_report *r, struct group *g, long gi,
    const struct visit *v, size_t n, time_t created)
{
	time_t lapse = (time_t)r->lapse * 60, last = 0;
	int in = 0, before = 0, haslast = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int mine = v[i].counts && (r->by != APPT_BY_STAFF &&
		    r->by != APPT_BY_SERVICE ? 1 : gi < 0 || v[i].gi == gi);

		if (v[i].t >= g->a - lapse && v[i].t < g->a)
			before = 1;
		if (!mine || v[i].t >= g->b)
			continue;
		if (v[i].t >= g->a)
			in = 1;
		last = v[i].t;
		haslast = 1;
	}
	if (in) {
		g->n[0]++;
		if (!before && (!created || created >= g->a - lapse))
			g->n[1]++;
		else
			g->n[2]++;
	} else if (haslast && last >= g->a - lapse && last < g->b - lapse)
		g->n[3]++;
}

static int
cmplong(const void *x, const void *y)
{
	const long *a = x, *b = y;

	return *a < *b ? -1 : *a > *b;
}

static void
customers(struct appt_report *r)
{
	struct visits vs = { 0 };
	struct created cr;
	time_t lapse = (time_t)r->lapse * 60, c;
	size_t i, j, k, nc, ccap = 0;
	long *cand = NULL, p, q;

	each(r, r->from - lapse, r->to, visit, &vs);
	if (vs.n)
		qsort(vs.v, vs.n, sizeof *vs.v, cmpvisit);
	readcreated(r, &cr);
	for (i = 0; i < vs.n; i = j) {
		for (j = i; j < vs.n && vs.v[j].cust == vs.v[i].cust; j++)
			;
		c = createdof(&cr, vs.v[i].cust);
		custcount(r, &r->tot, -1, vs.v + i, j - i, c);
		if (r->by == APPT_BY_STAFF || r->by == APPT_BY_SERVICE) {
			for (k = 0; k < r->ng; k++)
				custcount(r, &r->g[k], (long)k, vs.v + i,
				    j - i, c);
			continue;
		}
		if (r->by == APPT_BY_NONE)
			continue;
		/* The periods this customer can count in: of a visit, or
		 * of the day the lapse after one ends. */
		if (2 * (j - i) > ccap) {
			ccap = 2 * (j - i);
			cand = xreallocarray(cand, ccap, sizeof *cand);
		}
		for (k = i, nc = 0; k < j; k++) {
			if ((p = groupof(r, "", "", vs.v[k].t)) >= 0)
				cand[nc++] = p;
			if ((p = groupof(r, "", "", vs.v[k].t + lapse)) >= 0)
				cand[nc++] = p;
		}
		qsort(cand, nc, sizeof *cand, cmplong);
		for (k = 0, q = -1; k < nc; q = cand[k++])
			if (cand[k] != q)
				custcount(r, &r->g[cand[k]], cand[k],
				    vs.v + i, j - i, c);
	}
	free(cand);
	free(vs.v);
	free(cr.id);
	free(cr.t);
}

/* An amount of row w of t, in minor units; exit 3 if it is not one. */
static long long
money(const struct appt_table *t, const struct appt_row *w, const char *col,
    const char *v, int digits)
{
	long long x;

	if (appt_money_parse(v, digits, &x) < 0)
		appt_die(APPT_EDATA, "%s:%ld: %s %s: not an amount",
		    w ? appt_row_label(t, w) : t->label, w ? w->line : 0L,
		    col, v);
	return x;
}

/*
 * The group of a date of invoices.csv or payments.csv (what names the
 * row in a message) in the range, or NULL.
 */
static struct group *
dated(struct appt_report *r, const char *label, const char *what,
    const char *date)
{
	time_t a;
	long i;

	if (appt_parse_stamp(date, 0, &a) < 0)
		appt_die(APPT_EDATA, "%s: %s: date %s: not a date", label,
		    what, date);
	if (a < r->from || a >= r->to)
		return NULL;
	if (r->by == APPT_BY_NONE || (i = groupof(r, "", "", a)) < 0)
		return &r->tot;
	return &r->g[i];
}

/* An invoice issued in the range, for its lines. */
struct issued {
	const char *number;	/* borrowed from invoices.csv */
	int gross, digits;
};

static int
cmpissued(const void *x, const void *y)
{
	return strcmp(((const struct issued *)x)->number,
	    ((const struct issued *)y)->number);
}

/* An appointment's staff member, for a line that names it. */
struct whose {
	long id;
	char *staff;
};

static int
cmpwhose(const void *x, const void *y)
{
	const struct whose *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* A line of invoice-lines.csv: its invoice, its row. */
struct lineref {
	const char *number;
	size_t row;
};

static int
cmplineref(const void *x, const void *y)
{
	const struct lineref *a = x, *b = y;
	int c = strcmp(a->number, b->number);

	return c ? c : (a->row > b->row) - (a->row < b->row);
}

static int
cmpstr(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * The staff of the appointments that the lines (rows sel of L) name,
 * from the month files of the lines' dates only: sorted by id.
 */
static size_t
whose(struct appt_report *r, const struct appt_table *L, const size_t *sel,
    size_t n, struct whose **out)
{
	struct whose *w = NULL;
	struct appt_table t;
	char **rel = xcalloc(n + 1, sizeof *rel), *path, *err;
	size_t i, j, nr = 0, nw = 0;
	long id;

	for (i = 0; i < n; i++) {
		const char *d = appt_get(L, &L->row[sel[i]], "date");

		if (strlen(d) >= 7 && *appt_get(L, &L->row[sel[i]],
		    "appointment"))
			rel[nr++] = xasprintf("appointments/%.7s.csv", d);
	}
	qsort(rel, nr, sizeof *rel, cmpstr);
	for (i = 0; i < nr; i++) {
		if (i && !strcmp(rel[i], rel[i - 1]))
			continue;
		path = appt_path(r->s, rel[i]);
		if (appt_table_read(&t, path, rel[i], appt_appt_cols, 0,
		    &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		free(path);
		w = xreallocarray(w, nw + t.nrow + 1, sizeof *w);
		for (j = 0; j < t.nrow; j++)
			if (appt_parse_id(appt_get(&t, &t.row[j], "id"),
			    &id) == 0) {
				w[nw].id = id;
				w[nw++].staff = xstrdup(appt_get(&t, &t.row[j],
				    "staff"));
			}
		appt_table_free(&t);
	}
	appt_strv_free(rel, nr);
	if (nw)
		qsort(w, nw, sizeof *w, cmpwhose);
	*out = w;
	return nw;
}

/*
 * revenue by staff or service: what each line of the invoices issued in
 * the range brings, its share of its invoice's total (tax per rate,
 * appt_tax_compute), to the service it names or the staff member of its
 * appointment; lines of neither to the group "-".
 */
static void
revlines(struct appt_report *r, const struct appt_invoices *iv)
{
	const struct appt_table *I = &iv->inv;
	struct appt_table L;
	struct issued *in, key, *hit;
	struct whose *w = NULL, wk, *wh;
	struct lineref *ref;
	struct appt_taxline *tl;
	struct appt_taxrate *rt, sum;
	size_t i, j, k, nin = 0, nsel = 0, nw, *sel;
	long long q, p;
	time_t a;
	long gi, id;
	const char *grp;

	in = xcalloc(I->nrow + 1, sizeof *in);
	for (i = 0; i < I->nrow; i++) {
		const struct appt_row *v = &I->row[i];

		if (appt_parse_stamp(appt_get(I, v, "date"), 0, &a) < 0)
			appt_die(APPT_EDATA, "%s:%ld: date: not a date",
			    appt_row_label(I, v), v->line);
		if (a < r->from || a >= r->to)
			continue;
		in[nin].number = appt_get(I, v, "number");
		in[nin].gross = strcmp(appt_get(I, v, "prices"), "net") != 0;
		in[nin++].digits = appt_invoice_digits(iv, v);
	}
	qsort(in, nin, sizeof *in, cmpissued);
	appt_invoice_load(r->s, &L, "invoice-lines.csv", NULL, 0);
	/* The lines of those invoices, each invoice's together, in order. */
	ref = xcalloc(L.nrow + 1, sizeof *ref);
	for (j = 0; nin && j < L.nrow; j++) {
		key.number = appt_get(&L, &L.row[j], "invoice");
		if (bsearch(&key, in, nin, sizeof *in, cmpissued)) {
			ref[nsel].number = key.number;
			ref[nsel++].row = j;
		}
	}
	qsort(ref, nsel, sizeof *ref, cmplineref);
	sel = xcalloc(nsel + 1, sizeof *sel);
	for (j = 0; j < nsel; j++)
		sel[j] = ref[j].row;
	free(ref);
	nw = r->by == APPT_BY_STAFF ? whose(r, &L, sel, nsel, &w) : 0;
	tl = xcalloc(nsel + 1, sizeof *tl);
	rt = xcalloc(nsel + 1, sizeof *rt);
	for (i = 0; i < nsel; i = j) {
		const char *num = appt_get(&L, &L.row[sel[i]], "invoice");

		key.number = num;
		hit = bsearch(&key, in, nin, sizeof *in, cmpissued);
		for (j = i; j < nsel && !strcmp(num, appt_get(&L,
		    &L.row[sel[j]], "invoice")); j++) {
			const struct appt_row *v = &L.row[sel[j]];

			if (appt_qty_parse(appt_get(&L, v, "qty"), &q) < 0 ||
			    appt_money_parse(appt_get(&L, v, "price"),
			    hit->digits, &p) < 0 ||
			    appt_rate_parse(appt_get(&L, v, "tax"),
			    &tl[j - i].rate) < 0 ||
			    appt_line_amount(q, p, &tl[j - i].amount) < 0)
				appt_die(APPT_EDATA, "%s:%ld: not a quantity, "
				    "price and rate whose product is a whole "
				    "amount", appt_row_label(&L, v), v->line);
		}
		appt_tax_compute(tl, j - i, hit->gross, rt, &sum);
		for (k = i; k < j; k++) {
			const struct appt_row *v = &L.row[sel[k]];

			grp = "";
			if (r->by == APPT_BY_SERVICE)
				grp = appt_get(&L, v, "service");
			else if (appt_parse_id(appt_get(&L, v, "appointment"),
			    &id) == 0) {
				wk.id = id;
				if ((wh = bsearch(&wk, w, nw, sizeof *w,
				    cmpwhose)))
					grp = wh->staff;
			}
			gi = groupof(r, grp, grp, 0);
			if (gi < 0) {
				for (gi = 0; gi < (long)r->ng &&
				    strcmp(r->g[gi].key, "-"); gi++)
					;
				if (gi == (long)r->ng)
					addgroup(r, "-", "other");
			}
			r->g[gi].n[0] += tl[k - i].gross;
		}
	}
	for (i = 0; i < nw; i++)
		free(w[i].staff);
	free(w);
	free(tl);
	free(rt);
	free(sel);
	free(in);
	appt_table_free(&L);
}

/*
 * revenue: n[0] invoiced (the totals of the invoices and credit notes
 * issued, by date of issue), n[1] paid (by date of payment), n[2] open
 * (what is left to pay now of the invoices issued), in minor units. By
 * staff or service, only what is invoiced is split, by line.
 */
static void
revenue(struct appt_report *r)
{
	struct appt_invoices iv;
	struct appt_invlist l;
	struct group *g;
	const struct appt_table *p;
	size_t i, k, cdate = 0, ctotal = 0, cbal = 0;

	appt_invoices_read(&iv, r->s);
	for (k = 0; k < APPT_INVLIST_NCOL; k++) {
		if (!strcmp(appt_invlist_cols[k], "date"))
			cdate = k;
		if (!strcmp(appt_invlist_cols[k], "total"))
			ctotal = k;
		if (!strcmp(appt_invlist_cols[k], "balance"))
			cbal = k;
	}
	appt_invoice_list(&iv, NULL, r->from, r->to, 0, &l);
	for (i = 0; i < l.n; i++) {
		long long total, bal;

		if (!(g = dated(r, "invoices.csv", l.row[i][0],
		    l.row[i][cdate])))
			continue;
		total = money(&iv.inv, NULL, "total", l.row[i][ctotal],
		    r->s->digits);
		bal = money(&iv.inv, NULL, "balance", l.row[i][cbal],
		    r->s->digits);
		g->n[0] += total;
		g->n[2] += bal;
		if (g != &r->tot) {
			r->tot.n[0] += total;
			r->tot.n[2] += bal;
		}
	}
	appt_invlist_free(&l);
	if (r->by == APPT_BY_STAFF || r->by == APPT_BY_SERVICE)
		revlines(r, &iv);
	p = &iv.pay;
	for (i = 0; i < p->nrow; i++) {
		const struct appt_row *w = &p->row[i];
		long long a;
		char line[32];

		snprintf(line, sizeof line, "line %ld", w->line);
		if (!(g = dated(r, appt_row_label(p, w), line, appt_get(p, w,
		    "date"))))
			continue;
		a = money(p, w, "amount", appt_get(p, w, "amount"),
		    r->s->digits);
		g->n[1] += a;
		if (g != &r->tot)
			r->tot.n[1] += a;
	}
	appt_invoices_free(&iv);
}

/* num / den in percent with one decimal, rounded; "" when den is 0. */
static char *
pct(long long num, long long den)
{
	long long x;

	if (den <= 0)
		return xstrdup("");
	x = (num * 2000 + den) / (2 * den);
	return xasprintf("%lld.%lld", x / 10, x % 10);
}

static void
fields(const struct appt_report *r, struct group *g)
{
	size_t k = 0;
	char m[32];

	g->f[k++] = xstrdup(g->key);
	if (r->by == APPT_BY_STAFF || r->by == APPT_BY_SERVICE)
		g->f[k++] = xstrdup(g->name);
	switch (r->kind) {
	case APPT_REPORT_NOSHOWS:
		g->f[k++] = xasprintf("%lld", g->n[0]);
		g->f[k++] = xasprintf("%lld", g->n[1]);
		g->f[k++] = xasprintf("%lld", g->n[2]);
		g->f[k++] = xasprintf("%lld", g->n[3]);
		g->f[k++] = pct(g->n[3], g->n[0] - g->n[1]);
		g->f[k++] = pct(g->n[2], g->n[0]);
		break;
	case APPT_REPORT_UTILISATION:
		g->f[k++] = xasprintf("%lld", g->n[0]);
		g->f[k++] = xasprintf("%lld", g->n[1]);
		g->f[k++] = pct(g->n[0], g->n[1]);
		break;
	case APPT_REPORT_CUSTOMERS:
		g->f[k++] = xasprintf("%lld", g->n[0]);
		g->f[k++] = xasprintf("%lld", g->n[1]);
		g->f[k++] = xasprintf("%lld", g->n[2]);
		g->f[k++] = xasprintf("%lld", g->n[3]);
		break;
	case APPT_REPORT_REVENUE:
		g->f[k++] = xstrdup(appt_money_fmt(g->n[0], r->s->digits, m));
		/* Payments are per invoice: of the total only. */
		if (g != &r->tot && (r->by == APPT_BY_STAFF ||
		    r->by == APPT_BY_SERVICE)) {
			g->f[k++] = xstrdup("");
			g->f[k++] = xstrdup("");
			break;
		}
		g->f[k++] = xstrdup(appt_money_fmt(g->n[1], r->s->digits, m));
		g->f[k++] = xstrdup(appt_money_fmt(g->n[2], r->s->digits, m));
		break;
	}
}

struct appt_report *
appt_report_run(const struct appt_store *s, const struct appt_catalog *cat,
    int kind, int by, time_t from, time_t to, const char *staff,
    const char *service)
{
	static const char *const cols[][NFIG] = {
		{ "appointments", "cancelled", "late_cancellations",
		    "no_shows", "no_show_pct", "late_cancellation_pct" },
		{ "booked_minutes", "working_minutes", "utilisation_pct" },
		{ "customers", "new", "returning", "lapsed" },
		{ "invoiced", "paid", "open" },
	};
	struct appt_report *r = xcalloc(1, sizeof *r);
	char a[16], b[16];
	int y, m, d;
	size_t i;

	r->s = s;
	r->cat = cat;
	r->kind = kind;
	r->by = by;
	r->from = from;
	r->to = to;
	r->staff = staff;
	r->service = service;
	r->late = appt_cfg_dur(&s->cfg, "report:late", "24h");
	r->lapse = appt_cfg_dur(&s->cfg, "report:lapse", "90d");
	r->tot.staff = staff;
	r->tot.service = service;
	r->tot.a = from;
	r->tot.b = to;
	if (by == APPT_BY_NONE) {
		appt_local(from, &y, &m, &d, NULL, NULL);
		snprintf(a, sizeof a, "%04d-%02d-%02d", y, m, d);
		appt_local(to - 1, &y, &m, &d, NULL, NULL);
		snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
		r->tot.key = xasprintf("%s..%s", a, b);
		r->col[r->ncol++] = "range";
	} else {
		r->tot.key = xstrdup("total");
		r->col[r->ncol++] = bys[by];
		if (by == APPT_BY_STAFF || by == APPT_BY_SERVICE)
			r->col[r->ncol++] = "name";
	}
	r->tot.name = xstrdup("");
	for (i = 0; i < NFIG && cols[kind][i]; i++)
		r->col[r->ncol++] = cols[kind][i];
	groups(r);
	switch (kind) {
	case APPT_REPORT_NOSHOWS:
		each(r, from, to, noshow, NULL);
		break;
	case APPT_REPORT_UTILISATION:
		each(r, from, to, booked, NULL);
		worktime(r);
		break;
	case APPT_REPORT_CUSTOMERS:
		customers(r);
		break;
	case APPT_REPORT_REVENUE:
		revenue(r);
		break;
	}
	for (i = 0; i < r->ng; i++)
		fields(r, &r->g[i]);
	fields(r, &r->tot);
	return r;
}

size_t
appt_report_cols(const struct appt_report *r, const char *const **cols)
{
	*cols = r->col;
	return r->ncol;
}

size_t
appt_report_rows(const struct appt_report *r)
{
	return r->by == APPT_BY_NONE ? 1 : r->ng + 1;
}

const char *const *
appt_report_row(const struct appt_report *r, size_t i)
{
	return (const char *const *)(i < r->ng && r->by != APPT_BY_NONE ?
	    r->g[i].f : r->tot.f);
}

int
appt_report_bar(const struct appt_report *r, size_t i, long long *solid,
    long long *shaded, long long *full)
{
	const struct group *g = i < r->ng && r->by != APPT_BY_NONE ?
	    &r->g[i] : &r->tot;

	*solid = *shaded = *full = 0;
	switch (r->kind) {
	case APPT_REPORT_NOSHOWS:
		if (g->n[0] - g->n[1] <= 0)
			return 0;
		*solid = g->n[3] * 1000 / (g->n[0] - g->n[1]);
		*full = 1000;
		return 1;
	case APPT_REPORT_UTILISATION:
		if (g->n[1] <= 0)
			return 0;
		*solid = g->n[0] * 1000 / g->n[1];
		*full = 1000;
		return 1;
	case APPT_REPORT_CUSTOMERS:
		*solid = g->n[1];
		*shaded = g->n[2];
		return 1;
	case APPT_REPORT_REVENUE:
		*solid = g->n[0] > 0 ? g->n[0] : 0;
		return 1;
	}
	return 0;
}

void
appt_report_close(struct appt_report *r)
{
	size_t i, k;

	if (!r)
		return;
	for (i = 0; i <= r->ng; i++) {
		struct group *g = i < r->ng ? &r->g[i] : &r->tot;

		for (k = 0; k < sizeof g->f / sizeof *g->f; k++)
			free(g->f[k]);
		free(g->key);
		free(g->name);
	}
	free(r->g);
	free(r);
}
