/*
 * appt-book: book a customer into a free slot.
 *
 * A request is decided under the lock, in steps: the service, the time,
 * the occurrences of a series, the staff member (the slot checked by the
 * rules appt-slots lists), the customer (found, recognised or added:
 * appt_customer_resolve); then its rows are entered in the months, in
 * memory. A recurring booking is all or nothing: every occurrence is free
 * or none is booked.
 *
 * Once every request is decided, each changed file is written once, in
 * an order whose every prefix is sound: ids.csv, then customers.csv, then
 * the month files. Only then is anything printed, so that what is printed
 * is on disk, and the confirmations are queued.
 *
 * "-" reads booking requests as CSV (a web form, a mail filter): all of
 * stdin is read before the lock is taken, then each row is booked or
 * refused on its own, seeing the rows before it, and the batch is written
 * as one booking is.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis =
    "appt-book [-hV] [-d DIR] [-o FMT] -s SERVICE (-c CUSTOMER | --name N "
    "[--email E] [--phone P] [--address A] [--postcode P]) (--at WHEN | "
    "--first [AFTER]) [-w STAFF] [--note T] [--every DUR (--count N | "
    "--until DATE)] [--force] [--no-notify]\n"
    "       appt-book [-d DIR] [-o FMT] [--force] [--no-notify] -";

#define MAXOCC 500

/* A booking request, from the options or a row of "-". */
struct req {
	const char *service, *customer, *at, *after, *staff, *every, *until;
	struct appt_person p;
	long count;
	int first;
	long line;		/* of the request on stdin, 0 for options */
};

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
struct run {
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	struct appt_ids *ids;
	struct appt_customers *cs;
	struct appt_flags flags;
	time_t now;
	int force, nonotify;
	struct booking *bk;		/* decided, in the order of requests */
	size_t nbk;
};

/* Say why a request failed: "stdin:LINE: why" for batch rows. */
static int __attribute__((format(printf, 3, 4)))
refuse(const struct req *q, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		appt_die(APPT_EFAIL, "out of memory");
	va_end(ap);
	if (q->line)
		appt_warn("stdin:%ld: %s", q->line, msg);
	else
		appt_warn("%s", msg);
	free(msg);
	return code;
}

static void
say(void *ctx, const char *msg)
{
	refuse(ctx, 0, "%s", msg);
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
what(struct run *run, const struct req *q, struct booking *b)
{
	const struct appt_staff *st;
	char why[512];
	const char *err;
	int code;

	/* The note reaches no customer check when -c is given. */
	if ((err = appt_input_bad(q->p.notes)))
		return refuse(q, APPT_EUSAGE, "--note: %s", err);
	/* A "-" row names its columns, options their letters. */
	if (!(b->svc = appt_service_arg(run->cat, q->line ? "service" : "-s",
	    q->service, why, sizeof why)))
		return refuse(q, APPT_EUSAGE, "%s", why);
	if ((code = appt_service_price(b->svc, run->s.digits, b->price, why,
	    sizeof why)))
		return refuse(q, code, "%s", why);
	if (q->staff) {
		if (!(st = appt_staff_arg(run->cat, q->line ? "staff" : "-w",
		    q->staff, why, sizeof why)))
			return refuse(q, APPT_EUSAGE, "%s", why);
		b->staff = appt_staff_id(st);
		if (!appt_service_allows(b->svc, b->staff))
			return refuse(q, APPT_EFAIL, "%s does not do %s",
			    b->staff, appt_service_name(b->svc));
	}
	return 0;
}

/* The time: --at, or the first free slot (and its staff member). */
static int
picktime(struct run *run, const struct req *q, struct booking *b,
    time_t *start)
{
	char t1[APPT_TIMELEN];
	const char *err;
	time_t from = run->now;
	int amb;

	if (!q->at == !q->first)
		return refuse(q, APPT_EUSAGE, "give --at WHEN or --first");
	if (q->at) {
		if (appt_parse_when(q->at, run->now, start, &err, &amb) < 0)
			return refuse(q, APPT_EUSAGE, "%s: %s", q->at, err);
		if (amb)
			appt_warn("%s: the clock shows this time twice; "
			    "taking the first, %s", q->at,
			    appt_fmt_time(*start, t1));
		return 0;
	}
	if (q->after && appt_parse_when(q->after, run->now, &from, &err,
	    NULL) < 0)
		return refuse(q, APPT_EUSAGE, "%s: %s", q->after, err);
	if (appt_avail_first(run->av, b->svc, b->staff, from, start,
	    &b->staff) < 0)
		return refuse(q, APPT_EFAIL, "no free slot for %s within the "
		    "horizon", appt_service_name(b->svc));
	return 0;
}

/* The occurrences of the request: one, or a series. */
static int
series(struct run *run, const struct req *q, time_t first, struct booking *b)
{
	long every = 0;
	time_t until = 0, t, *v;
	int y, m, d, min, k;
	const char *err;

	v = b->v = xcalloc(q->every ? MAXOCC : 1, sizeof *b->v);
	b->n = 0;
	v[b->n++] = first;
	if (!q->every)
		return 0;
	if (appt_parse_dur(q->every, &every) < 0 || every <= 0)
		return refuse(q, APPT_EUSAGE, "--every %s: not a duration",
		    q->every);
	if (!q->count == !q->until)
		return refuse(q, APPT_EUSAGE, "--every needs --count or "
		    "--until");
	if (q->until) {
		time_t from;

		if (appt_parse_range(q->until, run->now, &from, &until,
		    &err) < 0)
			return refuse(q, APPT_EUSAGE, "--until %s: %s",
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
				return refuse(q, APPT_EFAIL, "occurrence %d "
				    "falls in a DST gap", k + 1);
		} else
			t = first + (time_t)every * 60 * k;
		if (q->until && t >= until)
			break;
		if (b->n == MAXOCC)
			return refuse(q, APPT_EUSAGE, "more than %d "
			    "occurrences", MAXOCC);
		v[b->n++] = t;
	}
	/* A batch keeps its bookings until it is written. */
	b->v = xreallocarray(v, (size_t)b->n, sizeof *v);
	return 0;
}

/* Is the whole series free with this staff member? */
static int
allfree(struct run *run, const struct booking *b, const char *staff,
    int report, const struct req *q)
{
	char why[512], when[APPT_TIMELEN];
	long dur, before, after;
	int i, j, bad = 0;

	for (i = 0; i < b->n; i++)
		if (appt_avail_check(run->av, b->svc, staff, b->v[i],
		    run->force, 0, why, sizeof why)) {
			bad++;
			if (report)
				refuse(q, APPT_EFAIL, "%s: %s",
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
					refuse(q, APPT_EFAIL, "%s: overlaps "
					    "occurrence %d of the series",
					    appt_fmt_time(b->v[i], when), j + 1);
				break;
			}
	return bad == 0;
}

/* The staff member: the one asked for, or the first free for all. */
static int
pickstaff(struct run *run, const struct req *q, struct booking *b)
{
	const char *id;
	size_t i, n = appt_staff_count(run->cat);

	if (b->staff) {
		if (!allfree(run, b, b->staff, 1, q))
			return refuse(q, APPT_EFAIL, "nothing booked%s",
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
	return refuse(q, APPT_EFAIL, "nothing booked: no one who does %s is "
	    "free then", appt_service_name(b->svc));
}

/* The customer: found, recognised or added, once the slot is free. */
static int
customer(struct run *run, const struct req *q, struct booking *b)
{
	struct appt_resolved c;
	int code;

	if ((code = appt_customer_resolve(run->cs, &run->flags, run->force,
	    q->customer, &q->p, &c, say, (void *)q)))
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
enter(struct run *run, const struct req *q, struct booking *b)
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
		appt_set(mt, r, "notes", q->p.notes);
		appt_set(mt, r, "created", t2);
		appt_set(mt, r, "updated", t2);
		/* The next check sees these rows too. */
		appt_months_added(run->ms, mt, r);
	}
}

/*
 * Write what was decided, each file once, in an order whose every prefix
 * is sound: the ids before what uses them, the customers before the
 * appointments that name them. Exits 1 on a failed write.
 */
static void
save(struct run *run)
{
	appt_ids_save(run->ids);
	appt_customers_save(run->cs);
	appt_months_save(run->ms);
}

/* Print the rows of a booking. */
static void
report(struct appt_out *out, const struct run *run, const struct booking *b)
{
	const char *f[APPT_LIST_NCOL];
	int i;

	for (i = 0; i < b->n; i++) {
		appt_list_fields(b->mt[i], &b->mt[i]->row[b->row[i]], run->cat,
		    (const char *const *)b->who, b->flag, f);
		appt_out_row(out, f, 0);
	}
}

/* Queue the confirmations: one for a series, of its first occurrence. */
static void
notify(struct appt_notice *notes, const struct run *run,
    const struct booking *b)
{
	struct appt_appt a;
	const char *const *w = (const char *const *)b->who;

	appt_appt_of(b->mt[0], &b->mt[0]->row[b->row[0]], &a);
	appt_notify(notes, &run->s, run->cat, "confirm", &a, w, NULL);
	appt_notify(notes, &run->s, run->cat, "staff-booked", &a, w, NULL);
}

/*
 * Decide one request, in steps; a booking's rows are entered in the
 * months, to be written with the others. 0 or why not, as an exit code.
 */
static int
book(struct run *run, const struct req *q)
{
	struct booking b = { 0 };
	time_t start = 0;
	int code;

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

/* What a booking decides with, read under the lock. */
static void
opendata(struct run *run)
{
	appt_lock(&run->s);
	run->now = appt_now();
	run->cat = appt_catalog_open(&run->s);
	run->ms = appt_months_open(&run->s);
	run->av = appt_avail_open(&run->s, run->cat, run->ms, run->now);
	run->ids = appt_ids_open(&run->s);
	run->cs = appt_customers_open(&run->s, run->ids);
	appt_flags_open(&run->flags, &run->s);
}

static void
closedata(struct run *run)
{
	size_t i;

	for (i = 0; i < run->nbk; i++)
		bookingfree(&run->bk[i]);
	free(run->bk);
	appt_customers_close(run->cs);
	appt_ids_close(run->ids);
	appt_flags_free(&run->flags);
	appt_avail_close(run->av);
	appt_months_close(run->ms);
	appt_catalog_close(run->cat);
	appt_store_close(&run->s);
}

/* A booking request of a row of stdin: 0, or why not as an exit code. */
static int
request(const struct appt_table *t, const struct appt_row *r,
    struct req *q)
{
	const char *v;
	long cnt;

	memset(q, 0, sizeof *q);
	q->line = r->line;
	if ((v = appt_row_badutf8(t, r)))
		return refuse(q, APPT_EUSAGE, "%s: not valid UTF-8", v);
	q->service = appt_get(t, r, "service");
	q->at = *appt_get(t, r, "start") ? appt_get(t, r, "start") :
	    appt_get(t, r, "at");
	if (!*q->at)
		q->at = NULL;
	q->staff = *(v = appt_get(t, r, "staff")) ? v : NULL;
	q->customer = *(v = appt_get(t, r, "customer")) ? v : NULL;
	appt_person_of(t, r, &q->p);
	if (!*q->p.notes)
		q->p.notes = appt_get(t, r, "note");
	if (*(v = appt_get(t, r, "every"))) {
		q->every = v;
		if (*(v = appt_get(t, r, "count"))) {
			if (appt_parse_long(v, 1, MAXOCC, &cnt) < 0)
				return refuse(q, APPT_EUSAGE, "count %s: not a "
				    "number from 1 to %d", v, MAXOCC);
			q->count = cnt;
		}
		if (*(v = appt_get(t, r, "until")))
			q->until = v;
	}
	if (!q->at)
		return refuse(q, APPT_EUSAGE, "start: empty");
	return 0;
}

/*
 * Booking requests from stdin, one CSV row each, all decided under one
 * lock: a row sees the rows before it. A bad row makes the status 2, a
 * refused one 1, whichever came last.
 */
static int
batch(struct run *run)
{
	struct appt_table t;
	struct req q;
	char *err;
	size_t i;
	int rc = 0, code;

	if (appt_table_read_input(&t, &err) < 0)
		appt_die(APPT_EUSAGE, "%s", err);
	if (appt_col(&t, "service") < 0 || (appt_col(&t, "start") < 0 &&
	    appt_col(&t, "at") < 0))
		appt_die(APPT_EUSAGE, "stdin: needs the columns service and "
		    "start");
	opendata(run);
	for (i = 0; i < t.nrow; i++) {
		if ((code = request(&t, &t.row[i], &q)))
			rc = code;
		else if (book(run, &q))
			rc = APPT_EFAIL;
	}
	appt_table_free(&t);
	return rc;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "first", no_argument, NULL, 'F' },
		APPT_PERSON_LONGOPTS,
		APPT_NOTE_LONGOPT,
		{ "every", required_argument, NULL, 'E' },
		{ "count", required_argument, NULL, 'N' },
		{ "until", required_argument, NULL, 'U' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-notify", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct run run = { 0 };
	struct req q = { 0 };
	struct appt_out out;
	struct appt_notice notes = { 0 };
	const char *dir = NULL, *ofmt = NULL;
	size_t i;
	int c, rc, fmt;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "c:d:ho:s:Vw:", longopts,
	    NULL)) != -1)
		switch (c) {
		case 'a': q.at = optarg; break;
		case 'c': q.customer = optarg; break;
		case 'E': q.every = optarg; break;
		case 'f': run.force = 1; break;
		case 'F': q.first = 1; break;
		case 'N':
			if (appt_parse_long(optarg, 1, MAXOCC, &q.count) < 0)
				appt_die(APPT_EUSAGE, "--count %s: not a number "
				    "from 1 to %d", optarg, MAXOCC);
			break;
		case 'q': run.nonotify = 1; break;
		case 's': q.service = optarg; break;
		case 'U': q.until = optarg; break;
		case 'w': q.staff = optarg; break;
		default:
			if (!appt_person_opt(&q.p, c, optarg))
				appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	argc -= optind;
	argv += optind;
	fmt = appt_out_arg(ofmt);
	if (q.first && argc == 1 && strcmp(argv[0], "-")) {
		q.after = argv[0];
		argc--;
	}
	if (argc > 1 || (argc == 1 && strcmp(argv[0], "-")))
		appt_usage(synopsis, 0);
	if (q.customer && (q.p.name || q.p.email || q.p.phone))
		appt_die(APPT_EUSAGE, "-c and --name/--email/--phone exclude "
		    "each other");
	if (q.count && !q.every)
		appt_die(APPT_EUSAGE, "--count goes with --every");
	if (q.until && !q.every)
		appt_die(APPT_EUSAGE, "--until goes with --every");
	appt_check_arg("-s", q.service);
	appt_check_arg("-w", q.staff);
	appt_check_arg("-c", q.customer);
	appt_check_arg("--at", q.at);
	appt_check_arg("--name", q.p.name);
	appt_check_arg("--email", q.p.email);
	appt_check_arg("--phone", q.p.phone);
	appt_check_arg("--address", q.p.address);
	appt_check_arg("--postcode", q.p.postcode);
	appt_check_arg("--note", q.p.notes);
	appt_check_arg("--every", q.every);
	appt_check_arg("--until", q.until);
	appt_store_opendir(&run.s, dir);
	/* A bad value is exit 2 whether or not the slot is free. */
	if (argc == 0)
		appt_person_check(&run.s, &q.p);
	if (argc == 1) {
		rc = batch(&run);
	} else {
		if (!q.service)
			appt_die(APPT_EUSAGE, "-s SERVICE is required");
		if (!q.customer && !q.p.name && !q.p.email && !q.p.phone)
			appt_die(APPT_EUSAGE, "give -c CUSTOMER or --name with "
			    "--email or --phone");
		opendata(&run);
		rc = book(&run, &q);
	}
	save(&run);
	/* What is printed is on disk; nothing when nothing is and rc says why. */
	if (run.nbk || rc == 0) {
		appt_list_begin(&out, fmt);
		for (i = 0; i < run.nbk; i++)
			report(&out, &run, &run.bk[i]);
		appt_out_end(&out);
	}
	if (!run.nonotify && appt_cfg_bool(&run.s.cfg, "notify:confirm", 1))
		for (i = 0; i < run.nbk; i++)
			notify(&notes, &run, &run.bk[i]);
	/* Deliver with the data unlocked: mail may be slow. */
	appt_unlock(&run.s);
	appt_notice_send(&notes, &run.s);
	closedata(&run);
	appt_exit(rc);
}
