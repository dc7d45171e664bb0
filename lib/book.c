/*
 * book.c: the booking decision, the same for appt-book (one request or
 * a batch) and for the booking page (appt-web).
 *
 * A request is decided under the lock, in steps: the service, the time,
 * the occurrences of a series, the staff member (the slot checked by the
 * rules appt-slots lists), the customer (found, recognised or added:
 * appt_customer_resolve); then its rows are entered in the months, in
 * memory. A recurring booking is all or nothing: every occurrence is free
 * or none is booked. The caller writes what was decided once
 * (appt_booker_save), prints it and queues the confirmations.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

#define MAXOCC APPT_BOOK_MAXOCC

/* A request decided: what it books, for whom, and where the rows are. */
struct booking {
	const struct appt_service *svc;	/* borrowed from the catalogue */
	const char *staff;		/* the same */
	char price[32];
	time_t *v;			/* the start of each occurrence */
	int n;
	char cust[32];			/* the customer's id */
	char *who[3];			/* and name, email and phone */
	char flag[64];			/* the fields that matched a flag */
	long id;			/* of the first occurrence */
	struct appt_table **mt;		/* each occurrence's month */
	size_t *row;			/* and row there */
};

/* What the requests of a run decide with and on, opened under the lock. */
struct appt_booker {
	struct appt_store *s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	struct appt_ids *ids;
	struct appt_customers *cs;
	struct appt_flags flags;
	time_t now;
	int force;
	int step;			/* of the last refusal: APPT_BOOK_... */
	void (*say)(void *, const char *);
	void *ctx;
	struct booking *bk;		/* decided, in the order of requests */
	size_t nbk;
};

/* A refusal for the request's line: to say, else "stdin:LINE: why". */
struct refusal {
	struct appt_booker *run;
	const struct appt_bookreq *q;
};

static void
tell(struct appt_booker *run, const struct appt_bookreq *q, const char *msg)
{
	if (run->say)
		run->say(run->ctx, msg);
	else if (q->line)
		appt_warn("stdin:%ld: %s", q->line, msg);
	else
		appt_warn("%s", msg);
}

/* Say why a request failed: "stdin:LINE: why" for batch rows. */
static int __attribute__((format(printf, 4, 5)))
refuse(struct appt_booker *run, const struct appt_bookreq *q, int code,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	tell(run, q, msg);
	free(msg);
	return code;
}

static void
say(void *ctx, const char *msg)
{
	struct refusal *r = ctx;

	tell(r->run, r->q, msg);
}

static void
bookingfree(struct booking *b)
{
	int i;

	free(b->v);
	free(b->mt);
	free(b->row);
	for (i = 0; i < 3; i++)
		free(b->who[i]);
}

/* The service, its price and the staff member asked for. */
static int
what(struct appt_booker *run, const struct appt_bookreq *q,
    struct booking *b)
{
	const struct appt_staff *st;
	char why[512];
	const char *err;
	int code;

	/* The note reaches no customer check when -c is given. */
	if ((err = appt_input_bad(q->p.notes)))
		return refuse(run, q, APPT_EUSAGE, "--note: %s", err);
	if (q->note) {
		/* The page's note: line breaks are fine, stored quoted. */
		char *c = xstrdup(q->note), *p;

		for (p = c; *p; p++)
			if (*p == '\n')
				*p = ' ';
		err = appt_input_bad(c);
		free(c);
		if (err || strlen(q->note) > APPT_CSV_FIELDMAX)
			return refuse(run, q, APPT_EUSAGE, "note: %s", err ?
			    err : "too long");
	}
	/* A "-" row names its columns, options their letters. */
	if (!(b->svc = appt_service_arg(run->cat, q->line ? "service" : "-s",
	    q->service, why, sizeof why)))
		return refuse(run, q, APPT_EUSAGE, "%s", why);
	if ((code = appt_service_price(b->svc, run->s->digits, b->price, why,
	    sizeof why)))
		return refuse(run, q, code, "%s", why);
	if (q->staff) {
		if (!(st = appt_staff_arg(run->cat, q->line ? "staff" : "-w",
		    q->staff, why, sizeof why)))
			return refuse(run, q, APPT_EUSAGE, "%s", why);
		b->staff = appt_staff_id(st);
		if (!appt_service_allows(b->svc, b->staff))
			return refuse(run, q, APPT_EFAIL, "%s does not do %s",
			    b->staff, appt_service_name(b->svc));
	}
	return 0;
}

/* The time: --at, or the first free slot (and its staff member). */
static int
picktime(struct appt_booker *run, const struct appt_bookreq *q,
    struct booking *b, time_t *start)
{
	char t1[APPT_TIMELEN];
	const char *err;
	time_t from = run->now;
	int amb;

	if (!q->at == !q->first)
		return refuse(run, q, APPT_EUSAGE, "give --at WHEN or --first");
	if (q->at) {
		if (appt_parse_when(q->at, run->now, start, &err, &amb) < 0)
			return refuse(run, q, APPT_EUSAGE, "%s: %s", q->at,
			    err);
		if (amb)
			appt_warn("%s: the clock shows this time twice; "
			    "taking the first, %s", q->at,
			    appt_fmt_time(*start, t1));
		return 0;
	}
	if (q->after && appt_parse_when(q->after, run->now, &from, &err,
	    NULL) < 0)
		return refuse(run, q, APPT_EUSAGE, "%s: %s", q->after, err);
	run->step = APPT_BOOK_SLOT;
	if (appt_avail_first(run->av, b->svc, b->staff, from, start,
	    &b->staff) < 0)
		return refuse(run, q, APPT_EFAIL, "no free slot for %s within "
		    "the horizon", appt_service_name(b->svc));
	return 0;
}

/* The occurrences of the request: one, or a series. */
static int
series(struct appt_booker *run, const struct appt_bookreq *q, time_t first,
    struct booking *b)
{
	long every = 0;
	time_t until = 0, t, *v;
	int y, m, d, min, k;
	const char *err;

	run->step = APPT_BOOK_INPUT;
	v = b->v = xcalloc(q->every ? MAXOCC : 1, sizeof *b->v);
	b->n = 0;
	v[b->n++] = first;
	if (!q->every)
		return 0;
	if (appt_parse_dur(q->every, &every) < 0 || every <= 0)
		return refuse(run, q, APPT_EUSAGE, "--every %s: not a "
		    "duration", q->every);
	if (!q->count == !q->until)
		return refuse(run, q, APPT_EUSAGE, "--every needs --count or "
		    "--until");
	if (q->until) {
		time_t from;

		if (appt_parse_range(q->until, run->now, &from, &until,
		    &err) < 0)
			return refuse(run, q, APPT_EUSAGE, "--until %s: %s",
			    q->until, err);
	}
	appt_local(first, &y, &m, &d, NULL, &min);
	for (k = 1; ; k++) {
		if (q->count && k >= q->count)
			break;
		if (every % 1440 == 0) {
			/* Whole days keep the clock time across DST. */
			appt_adddays(&y, &m, &d, (int)(every / 1440));
			if (appt_mklocal(y, m, d, min / 60, min % 60, &t,
			    NULL) < 0)
				return refuse(run, q, APPT_EFAIL, "occurrence "
				    "%d falls in a DST gap", k + 1);
		} else
			t = first + (time_t)every * 60 * k;
		if (q->until && t >= until)
			break;
		if (b->n == MAXOCC)
			return refuse(run, q, APPT_EUSAGE, "more than %d "
			    "occurrences", MAXOCC);
		v[b->n++] = t;
	}
	/* A batch keeps its bookings until it is written. */
	b->v = xreallocarray(v, (size_t)b->n, sizeof *v);
	return 0;
}

/* Is the whole series free with this staff member? */
static int
allfree(struct appt_booker *run, const struct booking *b, const char *staff,
    int report, const struct appt_bookreq *q)
{
	char why[512], when[APPT_TIMELEN];
	long dur, before, after;
	int i, j, bad = 0;

	for (i = 0; i < b->n; i++)
		if (appt_avail_check(run->av, b->svc, staff, b->v[i],
		    run->force, 0, why, sizeof why)) {
			bad++;
			if (report)
				refuse(run, q, APPT_EFAIL, "%s: %s",
				    appt_fmt_time(b->v[i], when), why);
		}
	/* The occurrences of a series must not overlap each other either. */
	appt_service_times(b->svc, &dur, &before, &after);
	for (i = 1; i < b->n; i++)
		for (j = 0; j < i; j++)
			if (b->v[j] - before * 60 < b->v[i] + (dur + after) * 60 &&
			    b->v[i] - before * 60 < b->v[j] + (dur + after) * 60) {
				bad++;
				if (report)
					refuse(run, q, APPT_EFAIL, "%s: "
					    "overlaps occurrence %d of the "
					    "series", appt_fmt_time(b->v[i],
					    when), j + 1);
				break;
			}
	return bad == 0;
}

/* The staff member: the one asked for, or the first free for all. */
static int
pickstaff(struct appt_booker *run, const struct appt_bookreq *q,
    struct booking *b)
{
	const char *id;
	size_t i, n = appt_staff_count(run->cat);

	run->step = APPT_BOOK_SLOT;
	if (b->staff) {
		if (!allfree(run, b, b->staff, 1, q))
			return refuse(run, q, APPT_EFAIL, "nothing booked%s",
			    b->n > 1 ? " of the series" : "");
		return 0;
	}
	for (i = 0; i < n; i++) {
		id = appt_staff_id(appt_staff_at(run->cat, i));
		if (appt_service_allows(b->svc, id) &&
		    allfree(run, b, id, 0, q)) {
			b->staff = id;
			return 0;
		}
	}
	/* Why not: the first staff member who does the service. */
	for (i = 0; i < n; i++) {
		id = appt_staff_id(appt_staff_at(run->cat, i));
		if (appt_service_allows(b->svc, id)) {
			allfree(run, b, id, 1, q);
			break;
		}
	}
	return refuse(run, q, APPT_EFAIL, "nothing booked: no one who does "
	    "%s is free then", appt_service_name(b->svc));
}

/* The customer: found, recognised or added, once the slot is free. */
static int
customer(struct appt_booker *run, const struct appt_bookreq *q,
    struct booking *b)
{
	struct refusal rf = { run, q };
	struct appt_resolved c;
	int code;

	run->step = APPT_BOOK_CUSTOMER;
	if ((code = appt_customer_resolve(run->cs, &run->flags, run->force,
	    q->customer, &q->p, &c, say, &rf)))
		return code;
	snprintf(b->cust, sizeof b->cust, "%s", c.id);
	snprintf(b->flag, sizeof b->flag, "%s", c.flag);
	/* Copies: a later request may fill in the record. */
	b->who[0] = xstrdup(c.p.name);
	b->who[1] = xstrdup(c.p.email);
	b->who[2] = xstrdup(c.p.phone);
	return 0;
}

/* The rows of the booking into their months, in memory. */
static void
enter(struct appt_booker *run, const struct appt_bookreq *q,
    struct booking *b)
{
	struct appt_table *mt;
	struct appt_row *r;
	char num[32], t1[APPT_TIMELEN], t2[APPT_TIMELEN], series[32];
	long dur;
	int i;

	appt_service_times(b->svc, &dur, NULL, NULL);
	b->id = appt_ids_take(run->ids, "appointments", appt_months_at(run->ms,
	    b->v[0]), b->n);
	snprintf(series, sizeof series, "%ld", b->id);
	b->mt = xcalloc((size_t)b->n, sizeof *b->mt);
	b->row = xcalloc((size_t)b->n, sizeof *b->row);
	appt_fmt_time(run->now, t2);
	for (i = 0; i < b->n; i++) {
		mt = b->mt[i] = appt_months_at(run->ms, b->v[i]);
		r = appt_table_add(mt);
		b->row[i] = (size_t)(r - mt->row);
		snprintf(num, sizeof num, "%ld", b->id + i);
		appt_set(mt, r, "id", num);
		appt_set(mt, r, "start", appt_fmt_time(b->v[i], t1));
		appt_set(mt, r, "end", appt_fmt_time(b->v[i] + dur * 60, t1));
		appt_set(mt, r, "service", appt_service_id(b->svc));
		appt_set(mt, r, "staff", b->staff);
		appt_set(mt, r, "customer", b->cust);
		appt_set(mt, r, "status", "booked");
		appt_set(mt, r, "price", b->price);
		appt_set(mt, r, "series", b->n > 1 ? series : "");
		appt_set(mt, r, "notes", q->note ? q->note : q->p.notes);
		appt_set(mt, r, "created", t2);
		appt_set(mt, r, "updated", t2);
		/* The next check sees these rows too. */
		appt_months_added(run->ms, mt, r);
	}
}

struct appt_booker *
appt_booker_open(struct appt_store *s, int force,
    void (*sayfn)(void *, const char *), void *ctx)
{
	struct appt_booker *run = xcalloc(1, sizeof *run);

	run->s = s;
	run->force = force;
	run->say = sayfn;
	run->ctx = ctx;
	appt_lock(s);
	run->now = appt_now();
	run->cat = appt_catalog_open(s);
	run->ms = appt_months_open(s);
	run->av = appt_avail_open(s, run->cat, run->ms, run->now);
	run->ids = appt_ids_open(s);
	run->cs = appt_customers_open(s, run->ids);
	appt_flags_open(&run->flags, s);
	return run;
}

void
appt_booker_close(struct appt_booker *run)
{
	size_t i;

	if (!run)
		return;
	for (i = 0; i < run->nbk; i++)
		bookingfree(&run->bk[i]);
	free(run->bk);
	appt_customers_close(run->cs);
	appt_ids_close(run->ids);
	appt_flags_free(&run->flags);
	appt_avail_close(run->av);
	appt_months_close(run->ms);
	appt_catalog_close(run->cat);
	free(run);
}

int
appt_book(struct appt_booker *run, const struct appt_bookreq *q)
{
	struct booking b = { 0 };
	time_t start = 0;
	int code;

	run->step = APPT_BOOK_INPUT;
	if ((code = what(run, q, &b)) ||
	    (code = picktime(run, q, &b, &start)) ||
	    (code = series(run, q, start, &b)) ||
	    (code = pickstaff(run, q, &b)) ||
	    (code = customer(run, q, &b))) {
		bookingfree(&b);
		return code;
	}
	enter(run, q, &b);
	run->bk = xreallocarray(run->bk, run->nbk + 1, sizeof *run->bk);
	run->bk[run->nbk++] = b;
	return 0;
}

int
appt_book_step(const struct appt_booker *run)
{
	return run->step;
}

/*
 * Write what was decided, each file once, in an order whose every prefix
 * is sound: the ids before what uses them, the customers before the
 * appointments that name them. Exits 1 on a failed write.
 */
void
appt_booker_save(struct appt_booker *run)
{
	appt_ids_save(run->ids);
	appt_customers_save(run->cs);
	appt_months_save(run->ms);
}

size_t
appt_booker_count(const struct appt_booker *run)
{
	return run->nbk;
}

void
appt_booker_print(const struct appt_booker *run, struct appt_out *out)
{
	const struct booking *b;
	const char *f[APPT_LIST_NCOL];
	size_t k;
	int i;

	for (k = 0; k < run->nbk; k++) {
		b = &run->bk[k];
		for (i = 0; i < b->n; i++) {
			appt_list_fields(b->mt[i], &b->mt[i]->row[b->row[i]],
			    run->cat, (const char *const *)b->who, b->flag, f);
			appt_out_row(out, f, 0);
		}
	}
}

void
appt_booker_appt(const struct appt_booker *run, size_t k,
    struct appt_appt *a, const char *who[3])
{
	const struct booking *b = &run->bk[k];
	int i;

	appt_appt_of(b->mt[0], &b->mt[0]->row[b->row[0]], a);
	for (i = 0; i < 3; i++)
		who[i] = b->who[i];
}

const struct appt_catalog *
appt_booker_catalog(const struct appt_booker *run)
{
	return run->cat;
}

struct appt_avail *
appt_booker_avail(const struct appt_booker *run)
{
	return run->av;
}

void
appt_booker_notify(const struct appt_booker *run, struct appt_notice *notes)
{
	struct appt_appt a;
	const char *w[3];
	size_t k;

	/* One for a series, of its first occurrence. */
	for (k = 0; k < run->nbk; k++) {
		appt_booker_appt(run, k, &a, w);
		appt_notify(notes, run->s, run->cat, "confirm", &a, w, NULL);
		appt_notify(notes, run->s, run->cat, "staff-booked", &a, w,
		    NULL);
	}
}
