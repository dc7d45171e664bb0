/*
 * review.c: follow-ups after a visit (appt-review(1)). Review requests
 * wait in reviews.csv, one row an appointment, and go out in the steps
 * of [review] steps after the visit ended: each step once, through the
 * outbox under the key review-APPT-N, so that a run killed or repeated
 * sends nothing twice; a late run sends only the latest step due. The
 * same request goes to everyone: there is no score to pass first.
 * Recalls need no queue: a done visit of a service with a recall gets
 * one mail (key recall-APPT) once the recall is due, unless a later
 * visit of that service is booked. A customer with an optout time in
 * customers.csv gets neither, for good.
 *
 * A run reads reviews.csv and, for recalls, only the month files of the
 * visits whose recall fell due lately: its cost does not grow with the
 * years of history.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "appt.h"

#define NSTEP 16
#define DAY 86400
/* How long an overdue recall is still sent (cron was down). */
#define RECALL_LATE (30 * DAY)

static const char *const statuses[] = { "waiting", "sent", "done",
    "optout", "expired", NULL };

/* A visit, for the question whether a customer has booked again. */
struct booking {
	long cust, id;
	const char *svc;		/* borrowed from the months */
	time_t start;
};

struct appt_reviews {
	const struct appt_store *s;
	struct appt_months *ms;
	time_t now;
	struct appt_table t;		/* reviews.csv, or its open part */
	int changed;
	/*
	 * A run reads reviews.csv from where .reviews.idx says the first
	 * open request may start: part is set, at[] holds each row's
	 * offset, and only the changed rows are written back, in place.
	 */
	int part;
	FILE *fp;
	struct stat st;
	long long from, *at;
	char *dirty;			/* the rows changed, by row */
	long step[NSTEP];		/* minutes, ascending */
	int nstep;
	struct appt_table cust;		/* the customers read so far */
	int custread;
	FILE *cfp;			/* customers.csv, read by its index */
	struct appt_custidx *cidx;
	struct booking *bk;		/* visits after bkfrom, for later() */
	size_t nbk;
	int bkread;
	time_t bkfrom;
	struct appt_catalog *cat;	/* once needed */
};

int
appt_review_status_valid(const char *st)
{
	int i;

	for (i = 0; statuses[i]; i++)
		if (!strcmp(st, statuses[i]))
			return 1;
	return 0;
}

static void
init(struct appt_reviews *rv, const struct appt_store *s,
    struct appt_months *ms, time_t now)
{
	long v[NSTEP];
	int i, n;

	rv->s = s;
	rv->ms = ms;
	rv->now = now;
	n = appt_cfg_durs(&s->cfg, "review:steps", "1d, 4d, 10d", v, NSTEP);
	for (i = 0; i < n; i++)
		rv->step[rv->nstep++] = v[i];
	qsort(rv->step, (size_t)rv->nstep, sizeof *rv->step, appt_cmplong);
}

struct appt_reviews *
appt_reviews_open(const struct appt_store *s, struct appt_months *ms,
    time_t now)
{
	struct appt_reviews *rv = xcalloc(1, sizeof *rv);

	appt_load(s, &rv->t, "reviews.csv");
	init(rv, s, ms, now);
	return rv;
}

/*
 * .reviews.idx: "SIZE MTIME INODE OFFSET" of reviews.csv as it was
 * last read by a run, and the offset before which no request is open.
 * Derived, safe to delete: a file that does not match is read whole.
 */
static long long
idxget(const struct appt_reviews *rv)
{
	char *p = appt_path(rv->s, ".reviews.idx"), *t = appt_slurp(p, NULL);
	long long size, sec, nsec, ino, off;
	long long r = 0;

	if (t && sscanf(t, "%lld %lld %lld %lld %lld", &size, &sec, &nsec,
	    &ino, &off) == 5 && size == (long long)rv->st.st_size &&
	    sec == (long long)rv->st.st_mtim.tv_sec &&
	    nsec == (long long)rv->st.st_mtim.tv_nsec &&
	    ino == (long long)rv->st.st_ino && off >= 0 && off <= size)
		r = off;
	free(t);
	free(p);
	return r;
}

struct idx {
	const struct stat *st;
	long long off;
};

static int
idxwrite(FILE *fp, void *ctx)
{
	const struct idx *x = ctx;

	fprintf(fp, "%lld %lld %lld %lld %lld\n", (long long)x->st->st_size,
	    (long long)x->st->st_mtim.tv_sec,
	    (long long)x->st->st_mtim.tv_nsec, (long long)x->st->st_ino,
	    x->off);
	return ferror(fp) ? -1 : 0;
}

static void wholesave(struct appt_reviews *);

/* Open reviews.csv for a run: its open part, from .reviews.idx on. */
static void
partopen(struct appt_reviews *rv)
{
	char *path = appt_path(rv->s, "reviews.csv"), *err;
	long long off, end;

	if (!(rv->fp = fopen(path, "r"))) {
		if (errno != ENOENT)
			appt_die(APPT_EDATA, "reviews.csv: %s", strerror(errno));
		appt_table_init(&rv->t, path, "reviews.csv",
		    appt_schema_cols("reviews.csv"));
		free(path);
		return;
	}
	if (fstat(fileno(rv->fp), &rv->st) == 0 && rv->st.st_size == 0) {
		/* Empty reads as no requests, as appt_load has it. */
		fclose(rv->fp);
		rv->fp = NULL;
		appt_table_init(&rv->t, path, "reviews.csv",
		    appt_schema_cols("reviews.csv"));
		free(path);
		return;
	}
	err = NULL;
	if (fstat(fileno(rv->fp), &rv->st) < 0 ||
	    appt_table_read_head(&rv->t, rv->fp, path, "reviews.csv",
	    &err) < 0)
		appt_die(APPT_EDATA, "%s", err ? err : "reviews.csv: cannot "
		    "read");
	free(path);
	rv->part = 1;
	off = (long long)ftello(rv->fp);
	rv->from = idxget(rv);
	if (rv->from > off)
		off = rv->from;
	rv->from = off;
	while (off < (long long)rv->st.st_size) {
		if (appt_table_read_at(&rv->t, rv->fp, off, &end, &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		rv->at = xreallocarray(rv->at, rv->t.nrow, sizeof *rv->at);
		rv->at[rv->t.nrow - 1] = off;
		off = end;
	}
	rv->dirty = xcalloc(rv->t.nrow + 1, 1);
}

static int
isopen(const struct appt_table *t, const struct appt_row *r)
{
	const char *st = appt_get(t, r, "status");

	return !strcmp(st, "waiting") || !strcmp(st, "sent");
}

/*
 * Write the changed rows in place, and where the next run may start: at
 * the first row still open or changed, before which nothing was edited.
 */
static void
partsave(struct appt_reviews *rv)
{
	struct idx x = { .st = &rv->st };
	size_t *rows, n = 0, i;
	long long *at;
	int rc;

	x.off = (long long)rv->st.st_size;
	for (i = rv->t.nrow; i-- > 0; )
		if (rv->dirty[i] || isopen(&rv->t, &rv->t.row[i]))
			x.off = rv->at[i];
	rows = xcalloc(rv->t.nrow + 1, sizeof *rows);
	at = xcalloc(rv->t.nrow + 1, sizeof *at);
	for (i = 0; i < rv->t.nrow; i++)
		if (rv->dirty[i]) {
			rows[n] = i;
			at[n++] = rv->at[i];
		}
	rc = n ? appt_csv_put(rv->s, "reviews.csv", rv->fp, &rv->t, rows,
	    at, n, &rv->st, NULL) : 0;
	if (rc < 0)
		appt_die(APPT_EFAIL, "reviews.csv: cannot write: %s (the old "
		    "file is kept)", strerror(errno));
	if (rc > 0)
		wholesave(rv);		/* then the next run reads it whole */
	else if (x.off != rv->from || n || idxget(rv) != x.off)
		/* Derived: a failure costs the next run a whole read. */
		(void)appt_replace(rv->s, ".reviews.idx", idxwrite, &x);
	for (i = 0; i < rv->t.nrow; i++)
		rv->dirty[i] = 0;
	free(rows);
	free(at);
}

void
appt_reviews_close(struct appt_reviews *rv)
{
	if (!rv)
		return;
	if (rv->fp)
		fclose(rv->fp);
	if (rv->cfp)
		fclose(rv->cfp);
	appt_custidx_free(rv->cidx);
	free(rv->at);
	free(rv->dirty);
	free(rv->bk);
	appt_table_free(&rv->t);
	appt_table_free(&rv->cust);
	appt_catalog_close(rv->cat);
	free(rv);
}

void
appt_reviews_save(struct appt_reviews *rv)
{
	if (rv->part)
		partsave(rv);
	else if (rv->changed)
		appt_table_save(rv->s, &rv->t, "reviews.csv");
	rv->changed = 0;
}

/*
 * reviews.csv cannot be edited in place (a byte order mark, CRLF lines):
 * read whole, the changed rows put in, by appointment, and rewritten.
 */
static void
wholesave(struct appt_reviews *rv)
{
	struct appt_table all;
	size_t i, j, c;
	const char *id;

	appt_load(rv->s, &all, "reviews.csv");
	for (i = 0; i < rv->t.nrow; i++) {
		if (!rv->dirty[i])
			continue;
		id = appt_get(&rv->t, &rv->t.row[i], "appointment");
		for (j = 0; j < all.nrow; j++)
			if (!strcmp(appt_get(&all, &all.row[j], "appointment"),
			    id))
				break;
		if (j == all.nrow)
			continue;
		for (c = 0; c < rv->t.ncol; c++)
			appt_set(&all, &all.row[j], rv->t.col[c],
			    rv->t.row[i].f[c]);
	}
	appt_table_save(rv->s, &all, "reviews.csv");
	appt_table_free(&all);
}

size_t
appt_reviews_count(const struct appt_reviews *rv)
{
	return rv->t.nrow;
}

/*
 * The customer of id: NULL if none. Read through the index of
 * customers.csv (.customers.idx), the record alone, once.
 */
static struct appt_row *
customer(struct appt_reviews *rv, const char *id)
{
	char *path, *err, num[32];
	long want, have;
	long long off;
	size_t i;

	if (appt_parse_id(id, &want) < 0)
		return NULL;
	if (!rv->custread) {
		rv->custread = 1;
		path = appt_path(rv->s, "customers.csv");
		if ((rv->cfp = fopen(path, "r"))) {
			rv->cidx = appt_custidx_open(rv->s, rv->cfp);
			if (appt_table_read_head(&rv->cust, rv->cfp, path,
			    "customers.csv", &err) < 0)
				appt_die(APPT_EDATA, "%s", err);
		}
		free(path);
	}
	for (i = 0; i < rv->cust.nrow; i++)
		if (appt_parse_id(appt_get(&rv->cust, &rv->cust.row[i], "id"),
		    &have) == 0 && have == want)
			return &rv->cust.row[i];
	snprintf(num, sizeof num, "%ld", want);
	if (!rv->cfp || !appt_custidx_find(rv->cidx, APPT_IDX_ID, num, &off,
	    1))
		return NULL;
	if (appt_table_read_at(&rv->cust, rv->cfp, off, NULL, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	return &rv->cust.row[rv->cust.nrow - 1];
}

static int
optedout(struct appt_reviews *rv, struct appt_row *c)
{
	return *appt_get(&rv->cust, c, "optout") != '\0';
}

/* When a visit ended: finished, else its end; -1 if neither is a time. */
static time_t
ended(const struct appt_table *t, const struct appt_row *r)
{
	time_t x;

	if (appt_parse_iso(appt_get(t, r, "finished"), &x) == 0 ||
	    appt_parse_iso(appt_get(t, r, "end"), &x) == 0)
		return x;
	return -1;
}

static void
setfield(struct appt_reviews *rv, struct appt_row *r, const char *col,
    const char *v)
{
	if (!strcmp(appt_get(&rv->t, r, col), v))
		return;
	appt_set(&rv->t, r, col, v);
	rv->changed = 1;
	if (rv->part)
		rv->dirty[r - rv->t.row] = 1;
}

static void
setstamp(struct appt_reviews *rv, struct appt_row *r, const char *col,
    time_t x)
{
	char buf[APPT_TIMELEN];

	setfield(rv, r, col, x < 0 ? "" : appt_fmt_time(x, buf));
}

int
appt_reviews_queue(struct appt_reviews *rv, const char *id, const char *hint,
    char *why, size_t n)
{
	struct appt_table *t;
	struct appt_row *a, *c, *r;
	const char *st, *cid;
	char asked[APPT_TIMELEN];
	time_t end, when, last = -1;
	long cool;
	size_t i;

	why[0] = '\0';
	if (!(a = appt_months_find(rv->ms, id, hint, &t))) {
		snprintf(why, n, "%s: no such appointment", id);
		return APPT_EFAIL;
	}
	id = appt_get(t, a, "id");
	st = appt_get(t, a, "status");
	if (!strcmp(st, "cancelled") || !strcmp(st, "no-show")) {
		snprintf(why, n, "appointment %s is %s: no review request",
		    id, st);
		return APPT_EFAIL;
	}
	if (strcmp(st, "done")) {
		snprintf(why, n, "appointment %s is %s, not done", id, st);
		return APPT_EFAIL;
	}
	for (i = 0; i < rv->t.nrow; i++)
		if (!strcmp(appt_get(&rv->t, &rv->t.row[i], "appointment"),
		    id)) {
			snprintf(why, n, "appointment %s is in the review "
			    "queue already", id);
			return -1;
		}
	cid = appt_get(t, a, "customer");
	if (!(c = customer(rv, cid))) {
		snprintf(why, n, "appointment %s: customer %s: no such "
		    "customer", id, cid);
		return APPT_EFAIL;
	}
	if (optedout(rv, c)) {
		snprintf(why, n, "appointment %s: customer %s opted out: "
		    "not asked", id, cid);
		return -1;
	}
	if (appt_empty(appt_get(&rv->cust, c, "email"))) {
		snprintf(why, n, "appointment %s: customer %s has no email: "
		    "not asked", id, cid);
		return -1;
	}
	if ((end = ended(t, a)) < 0) {
		snprintf(why, n, "%s:%ld: appointment %s has no end time",
		    t->label, a->line, id);
		return APPT_EFAIL;
	}
	/* Asked at most once per cooldown, whatever came of it. */
	cool = appt_cfg_dur(&rv->s->cfg, "review:cooldown", "180d");
	for (i = 0; i < rv->t.nrow; i++) {
		r = &rv->t.row[i];
		if (!strcmp(appt_get(&rv->t, r, "customer"), cid) &&
		    appt_parse_iso(appt_get(&rv->t, r, "created"), &when) ==
		    0 && when > last)
			last = when;
	}
	if (last >= 0 && cool > 0 && last + cool * 60 > rv->now) {
		snprintf(why, n, "appointment %s: customer %s was asked on %s: "
		    "not again within [review] cooldown", id, cid,
		    appt_fmt_time(last, asked));
		return -1;
	}
	if (!rv->nstep) {
		snprintf(why, n, "config.ini: [review] steps: none");
		return APPT_EFAIL;
	}
	r = appt_table_add(&rv->t);
	setfield(rv, r, "appointment", id);
	setfield(rv, r, "customer", cid);
	setfield(rv, r, "step", "0");
	setstamp(rv, r, "due", end + rv->step[0] * 60);
	setfield(rv, r, "status", "waiting");
	setstamp(rv, r, "created", rv->now);
	return 0;
}

/* Stop the requests of appointment id, or of customer cid: how many. */
size_t
appt_reviews_done(struct appt_reviews *rv, const char *id, const char *cid)
{
	struct appt_row *r;
	size_t i, n = 0;
	const char *st;

	for (i = 0; i < rv->t.nrow; i++) {
		r = &rv->t.row[i];
		st = appt_get(&rv->t, r, "status");
		if ((id && strcmp(appt_get(&rv->t, r, "appointment"), id)) ||
		    (cid && strcmp(appt_get(&rv->t, r, "customer"), cid)) ||
		    !strcmp(st, "optout"))
			continue;
		n++;
		if (!strcmp(st, "done"))
			continue;
		setfield(rv, r, "status", "done");
		setfield(rv, r, "due", "");
	}
	return n;
}

int
appt_reviews_customer(struct appt_reviews *rv, const char *key, char *id,
    size_t n)
{
	/* Through the index: only that customer's record is read. */
	struct appt_customers *cs = appt_customers_open(rv->s, NULL);
	struct appt_row *c = appt_customers_find(cs, key);

	if (c)
		snprintf(id, n, "%s", appt_get(appt_customers_table(cs), c,
		    "id"));
	appt_customers_close(cs);
	return c ? 0 : -1;
}

int
appt_reviews_optout(struct appt_reviews *rv, const char *key, char *why,
    size_t n)
{
	struct appt_customers *cs = appt_customers_open(rv->s, NULL);
	struct appt_table *all;
	struct appt_row *c, *r;
	char buf[APPT_TIMELEN], cid[32];
	size_t i;

	/* Through the index: its record is read and written in place. */
	if (!(c = appt_customers_find(cs, key))) {
		appt_customers_close(cs);
		snprintf(why, n, "%s: no such customer", key);
		return APPT_EFAIL;
	}
	all = appt_customers_table(cs);
	snprintf(cid, sizeof cid, "%s", appt_get(all, c, "id"));
	if (*appt_get(all, c, "optout")) {
		snprintf(why, n, "customer %s opted out on %s already", cid,
		    appt_get(all, c, "optout"));
		appt_customers_close(cs);
		return -1;
	}
	appt_set(all, c, "optout", appt_fmt_time(rv->now, buf));
	appt_customers_changed(cs, c);
	/* customers.csv first: a run honours it even if the rest is lost. */
	appt_customers_save(cs);
	appt_customers_close(cs);
	for (i = 0; i < rv->t.nrow; i++) {
		r = &rv->t.row[i];
		if (strcmp(appt_get(&rv->t, r, "customer"), cid))
			continue;
		if (!strcmp(appt_get(&rv->t, r, "status"), "waiting") ||
		    !strcmp(appt_get(&rv->t, r, "status"), "sent")) {
			setfield(rv, r, "status", "optout");
			setfield(rv, r, "due", "");
		}
	}
	snprintf(why, n, "%s", cid);
	return 0;
}

void
appt_reviews_list(struct appt_reviews *rv, const char *status, size_t from,
    int fmt)
{
	static const char *cols[] = { "appointment", "customer",
	    "customer_name", "step", "due", "status" };
	struct appt_people pp;
	struct appt_out o;
	const struct appt_row *r;
	const char *f[6];
	long *ids = xcalloc(rv->t.nrow + 1, sizeof *ids);
	size_t i, k = 0;

	for (i = from; i < rv->t.nrow; i++)
		if (appt_parse_id(appt_get(&rv->t, &rv->t.row[i], "customer"),
		    &ids[k]) == 0)
			k++;
	appt_people_want(&pp, rv->s, ids, k);
	free(ids);
	appt_out_begin(&o, fmt, 6, cols);
	for (i = from; i < rv->t.nrow; i++) {
		r = &rv->t.row[i];
		if (status && strcmp(appt_get(&rv->t, r, "status"), status))
			continue;
		f[0] = appt_get(&rv->t, r, "appointment");
		f[1] = appt_get(&rv->t, r, "customer");
		f[2] = appt_people_get(&pp, f[1], APPT_P_NAME);
		f[3] = appt_get(&rv->t, r, "step");
		f[4] = appt_get(&rv->t, r, "due");
		f[5] = appt_get(&rv->t, r, "status");
		appt_out_row(&o, f, 0);
	}
	appt_out_end(&o);
	appt_people_free(&pp);
}

/* The variables of a follow-up about visit a of table t. */
static void
vars(struct appt_reviews *rv, struct appt_msgvars *v,
    const struct appt_table *t, const struct appt_row *a,
    const struct appt_row *c, const char *optout)
{
	const struct appt_service *svc;
	const struct appt_staff *st;
	const struct appt_config *cfg = &rv->s->cfg;

	if (!rv->cat)
		rv->cat = appt_catalog_open(rv->s);
	svc = appt_service_find(rv->cat, appt_get(t, a, "service"));
	st = appt_staff_find(rv->cat, appt_get(t, a, "staff"));
	v->n = 0;
	appt_parse_iso(appt_get(t, a, "start"), &v->start);
	appt_msgvar(v, "customer", appt_get(&rv->cust, c, "name"));
	appt_msgvar(v, "service", svc ? appt_service_name(svc) :
	    appt_get(t, a, "service"));
	appt_msgvar(v, "staff", st ? appt_staff_name(st) :
	    appt_get(t, a, "staff"));
	appt_msgvar(v, "start", "");
	appt_msgvar(v, "business", appt_cfg(cfg, "business:name", ""));
	appt_msgvar(v, "address", appt_cfg(cfg, "business:address", ""));
	appt_msgvar(v, "phone", appt_cfg(cfg, "business:phone", ""));
	appt_msgvar(v, "email", appt_cfg(cfg, "business:email", ""));
	appt_msgvar(v, "price", appt_get(t, a, "price"));
	appt_msgvar(v, "id", appt_get(t, a, "id"));
	appt_msgvar(v, "url", appt_cfg(cfg, "review:url", ""));
	appt_msgvar(v, "optout", optout);
}

/* Stop request r: it can never be sent (its visit or customer is gone). */
static void
expire(struct appt_reviews *rv, struct appt_row *r, const char *why)
{
	appt_warn("review request for appointment %s: %s: stopped",
	    appt_get(&rv->t, r, "appointment"), why);
	setfield(rv, r, "status", "expired");
	setfield(rv, r, "due", "");
}

/* Send the latest step due of request r, if any. */
static void
runone(struct appt_reviews *rv, struct appt_row *r, struct appt_notice *n,
    const char *optout, int *nourl)
{
	struct appt_table *t;
	struct appt_row *a, *c;
	struct appt_msgvars v;
	const char *id = appt_get(&rv->t, r, "appointment");
	char key[96], tmpl[32], num[16];
	time_t end;
	long cur;
	int k, failed;

	if (!(a = appt_months_find(rv->ms, id, NULL, &t))) {
		expire(rv, r, "no such appointment");
		return;
	}
	if (strcmp(appt_get(t, a, "status"), "done")) {
		expire(rv, r, "it is no longer done");
		return;
	}
	if (!(c = customer(rv, appt_get(&rv->t, r, "customer")))) {
		expire(rv, r, "no such customer");
		return;
	}
	if (optedout(rv, c)) {
		setfield(rv, r, "status", "optout");
		setfield(rv, r, "due", "");
		return;
	}
	if (appt_empty(appt_get(&rv->cust, c, "email"))) {
		expire(rv, r, "the customer has no email");
		return;
	}
	if ((end = ended(t, a)) < 0) {
		expire(rv, r, "it has no end time");
		return;
	}
	if (appt_parse_long(appt_get(&rv->t, r, "step"), 0, NSTEP, &cur) < 0)
		cur = 0;
	for (k = 0; k < rv->nstep && end + rv->step[k] * 60 <= rv->now; k++)
		;
	if (k <= cur) {
		/* [review] steps changed since: the next one as it is now. */
		setstamp(rv, r, "due", cur < rv->nstep ?
		    end + rv->step[cur] * 60 : -1);
		if (cur >= rv->nstep)
			setfield(rv, r, "status", "expired");
		return;
	}
	if (appt_empty(appt_cfg(&rv->s->cfg, "review:url", NULL))) {
		if (!(*nourl)++) {
			appt_warn("config.ini: [review] url is not set: review "
			    "requests wait until it is");
			n->failed++;
		}
		return;
	}
	vars(rv, &v, t, a, c, optout);
	snprintf(key, sizeof key, "review-%s-%d", id, k);
	snprintf(tmpl, sizeof tmpl, "review-%d", k);
	failed = n->failed;
	appt_notice_mail(n, rv->s, key, tmpl, &v,
	    appt_get(&rv->cust, c, "name"), appt_get(&rv->cust, c, "email"));
	if (n->failed != failed || n->dryrun)
		return;
	snprintf(num, sizeof num, "%d", k);
	setfield(rv, r, "step", num);
	setstamp(rv, r, "due", k < rv->nstep ? end + rv->step[k] * 60 : -1);
	setfield(rv, r, "status", k < rv->nstep ? "sent" : "expired");
}

static void
reviewrun(struct appt_reviews *rv, struct appt_notice *n, const char *optout)
{
	struct appt_row *r;
	const char *st;
	time_t due;
	size_t i;
	int nourl = 0;

	for (i = 0; i < rv->t.nrow; i++) {
		r = &rv->t.row[i];
		st = appt_get(&rv->t, r, "status");
		if ((strcmp(st, "waiting") && strcmp(st, "sent")) ||
		    appt_parse_iso(appt_get(&rv->t, r, "due"), &due) < 0 ||
		    due > rv->now)
			continue;
		runone(rv, r, n, optout, &nourl);
	}
}

/*
 * Has customer cid a visit of service svc after start booked (not
 * cancelled, not a no-show), other than appointment id?
 */
static int
cmpbk(const void *a, const void *b)
{
	const struct booking *x = a, *y = b;
	int c;

	if (x->cust != y->cust)
		return x->cust < y->cust ? -1 : 1;
	if ((c = strcasecmp(x->svc, y->svc)))
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* The key (customer, service) of a booking against an element. */
static int
cmpbkey(const void *key, const void *elem)
{
	const struct booking *x = key, *y = elem;

	if (x->cust != y->cust)
		return x->cust < y->cust ? -1 : 1;
	return strcasecmp(x->svc, y->svc);
}

/*
 * The visits that are not cancelled or no-shows, from the month of
 * bkfrom on, sorted by customer, service and start: read once a run.
 */
static void
bookings(struct appt_reviews *rv)
{
	char **files, *from = appt_month_file(rv->bkfrom);
	struct appt_table *t;
	struct appt_row *r;
	struct booking b;
	size_t nf, i, j;
	const char *st;

	rv->bkread = 1;
	nf = appt_month_files(rv->s, 0, 0, &files);
	for (i = 0; i < nf; i++) {
		if (strcmp(files[i], from) < 0)
			continue;
		t = appt_months_table(rv->ms, files[i]);
		for (j = 0; j < t->nrow; j++) {
			r = &t->row[j];
			st = appt_get(t, r, "status");
			if (!strcmp(st, "cancelled") || !strcmp(st, "no-show") ||
			    appt_parse_id(appt_get(t, r, "customer"),
			    &b.cust) < 0 ||
			    appt_parse_id(appt_get(t, r, "id"), &b.id) < 0 ||
			    appt_parse_iso(appt_get(t, r, "start"),
			    &b.start) < 0)
				continue;
			b.svc = appt_get(t, r, "service");
			rv->bk = xreallocarray(rv->bk, rv->nbk + 1,
			    sizeof *rv->bk);
			rv->bk[rv->nbk++] = b;
		}
	}
	if (rv->nbk)
		qsort(rv->bk, rv->nbk, sizeof *rv->bk, cmpbk);
	appt_strv_free(files, nf);
	free(from);
}

/*
 * Has customer cid a visit of service svc after start booked (not
 * cancelled, not a no-show), other than appointment id?
 */
static int
later(struct appt_reviews *rv, const char *id, const char *cid,
    const char *svc, time_t start)
{
	struct booking key = { .svc = svc };
	const struct booking *b, *end;
	long aid;

	if (!rv->bkread)
		bookings(rv);
	end = rv->bk + rv->nbk;
	if (appt_parse_id(cid, &key.cust) < 0 || appt_parse_id(id, &aid) < 0 ||
	    !(b = appt_bsearch_first(&key, rv->bk, rv->nbk, sizeof *rv->bk,
	    cmpbkey)))
		return 0;
	for (; b < end && !cmpbkey(&key, b); b++)
		if (b->start > start && b->id != aid)
			return 1;
	return 0;
}

/* The recalls of service svc (recall every mins minutes) due now. */
static void
recalls(struct appt_reviews *rv, const char *svc, long mins,
    struct appt_notice *n, const char *optout)
{
	time_t to = rv->now - mins * 60, start;
	struct appt_msgvars v;
	struct appt_table *t;
	struct appt_row *a, *c;
	char **files, key[64];
	size_t nf, i, j;

	nf = appt_month_files(rv->s, to - RECALL_LATE, to + 1, &files);
	for (i = 0; i < nf; i++) {
		t = appt_months_table(rv->ms, files[i]);
		for (j = 0; j < t->nrow; j++) {
			a = &t->row[j];
			if (strcasecmp(appt_get(t, a, "service"), svc) ||
			    strcmp(appt_get(t, a, "status"), "done") ||
			    appt_parse_iso(appt_get(t, a, "start"), &start) <
			    0 || start > to || start <= to - RECALL_LATE)
				continue;
			snprintf(key, sizeof key, "recall-%s",
			    appt_get(t, a, "id"));
			if (appt_outbox_has(rv->s, key) ||
			    later(rv, appt_get(t, a, "id"),
			    appt_get(t, a, "customer"), svc, start) ||
			    !(c = customer(rv, appt_get(t, a, "customer"))) ||
			    optedout(rv, c) ||
			    appt_empty(appt_get(&rv->cust, c, "email")))
				continue;
			/* later() may have read months: t stays valid. */
			vars(rv, &v, t, a, c, optout);
			appt_notice_mail(n, rv->s, key, "recall", &v,
			    appt_get(&rv->cust, c, "name"),
			    appt_get(&rv->cust, c, "email"));
		}
	}
	appt_strv_free(files, nf);
}

void
appt_followups(const struct appt_store *s, struct appt_months *ms,
    struct appt_notice *n, time_t now)
{
	struct appt_reviews *rv = xcalloc(1, sizeof *rv);
	char *optout = appt_optout_url(s);
	struct appt_catalog *cat;
	const struct appt_service *svc;
	size_t i;
	long mins;

	init(rv, s, ms, now);
	partopen(rv);
	reviewrun(rv, n, optout ? optout : "");
	cat = appt_catalog_open(s);
	/* Later bookings are looked for from the earliest recall's visit. */
	rv->bkfrom = now;
	for (i = 0; i < appt_service_count(cat); i++)
		if ((mins = appt_service_recall(appt_service_at(cat, i))) > 0 &&
		    now - mins * 60 - RECALL_LATE < rv->bkfrom)
			rv->bkfrom = now - mins * 60 - RECALL_LATE;
	for (i = 0; i < appt_service_count(cat); i++) {
		svc = appt_service_at(cat, i);
		if ((mins = appt_service_recall(svc)) > 0)
			recalls(rv, appt_service_id(svc), mins, n,
			    optout ? optout : "");
	}
	appt_catalog_close(cat);
	if (!n->dryrun)
		appt_reviews_save(rv);
	appt_reviews_close(rv);
	free(optout);
}

void
appt_review_auto(const struct appt_store *s, struct appt_months *ms,
    const char *id)
{
	struct appt_reviews *rv;
	char why[512];

	if (!appt_cfg_bool(&s->cfg, "review:auto", 0))
		return;
	rv = appt_reviews_open(s, ms, appt_now());
	if (appt_reviews_queue(rv, id, NULL, why, sizeof why) > 0)
		appt_warn("%s", why);
	appt_reviews_save(rv);
	appt_reviews_close(rv);
}
