/*
 * appt-book: book a customer into a free slot.
 *
 * Everything that decides is done under the lock: the customer is found
 * or made, the slot is checked by the same rules appt-slots lists, and
 * the files are renamed in an order whose every prefix is sound: ids.csv,
 * then customers.csv, then the month files. A recurring booking is all
 * or nothing: every occurrence is free or none is booked.
 *
 * "-" reads booking requests as CSV (a web form, a mail filter): all of
 * stdin is read before the lock is taken, then each row is booked or
 * refused on its own.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

static const char *synopsis =
    "appt-book [-hV] [-d DIR] [-o FMT] -s SERVICE (-c CUSTOMER | --name N "
    "[--email E] [--phone P] [--address A] [--postcode P]) (--at WHEN | "
    "--first [AFTER]) [-w STAFF] [--note T] [--every DUR (--count N | "
    "--until DATE)] [--force] [--no-notify]\n"
    "       appt-book [-d DIR] [-o FMT] [--force] [--no-notify] -";

#define MAXOCC 500

struct req {
	const char *service, *customer, *at, *after, *staff, *every, *until;
	struct appt_person p;
	long count;
	int first;
	long line;		/* of the request on stdin, 0 for options */
};

static struct appt_store s;
static struct appt_catalog *cat;
static struct appt_months *ms;
static struct appt_avail *av;
static time_t now;
static struct appt_table cust;	/* customers.csv, when needed */
static int custloaded;
static struct appt_people one;		/* a customer found by id */
static struct appt_flags flags;
static struct appt_notice notes;	/* confirmations to deliver */
static char bookflag[64];		/* the flag column of the booking */
static struct appt_out out;
static int force, nonotify, fmt;

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

/* The occurrences of the request: one, or a series. */
static int
occurrences(const struct req *q, time_t first, time_t *v, int *n)
{
	long every = 0;
	time_t until = 0, t;
	int y, m, d, min, k;
	const char *err;

	*n = 0;
	v[(*n)++] = first;
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

		if (appt_parse_range(q->until, now, &from, &until, &err) < 0)
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
		if (*n == MAXOCC)
			return refuse(q, APPT_EUSAGE, "more than %d "
			    "occurrences", MAXOCC);
		v[(*n)++] = t;
	}
	return 0;
}

/* Is a given value the one on record? Email and phone as normalised. */
static int
samevalue(const char *col, const char *have, const char *val)
{
	char p1[32], p2[32], *e1, *e2;
	int same;

	if (!strcmp(col, "email")) {
		e1 = appt_norm_email(have);
		e2 = appt_norm_email(val);
		same = !strcmp(e1, e2);
		free(e1);
		free(e2);
		return same;
	}
	if (!strcmp(col, "phone") && appt_norm_phone(have, s.country, p1,
	    sizeof p1) == 0 && appt_norm_phone(val, s.country, p2,
	    sizeof p2) == 0)
		return !strcmp(p1, p2);
	return !strcasecmp(have, val);
}

struct who {
	char id[32];
	struct appt_person p;
};

static const char *pcols[] = { "name", "email", "phone", "address",
    "postcode" };

static void
needcust(void)
{
	if (!custloaded) {
		appt_load(&s, &cust, "customers.csv");
		custloaded = 1;
	}
}

/*
 * Does the person match a flagged problem customer? The request's values
 * and the record's both count. Warn, or refuse when [booking] on_flag =
 * refuse and there is no --force.
 */
static int
flagged(const struct req *q, const struct appt_person *rec)
{
	struct appt_person p[2] = { q->p, { 0 } };
	const char *id;
	char names[64];
	size_t flag;
	int i, mask, refuse_it;

	if (!flags.t->nrow)
		return 0;
	if (rec)
		p[1] = *rec;
	refuse_it = !strcmp(appt_cfg(&s.cfg, "booking:on_flag", "warn"),
	    "refuse") && !force;
	for (i = 0; i < (rec ? 2 : 1); i++) {
		if (!(mask = appt_flags_match(&flags, &p[i], &flag)))
			continue;
		appt_flag_names(mask, bookflag, sizeof bookflag);
		id = appt_get(flags.t, &flags.t->row[flag], "id");
		if (refuse_it)
			return refuse(q, APPT_EFAIL, "refused: %s matches "
			    "flag %s (%s): %s (--force books all the same)",
			    appt_empty(p[i].name) ? "the customer" : p[i].name,
			    id, appt_flag_names(mask, names, sizeof names),
			    appt_get(flags.t, &flags.t->row[flag], "reason"));
		refuse(q, 0, "warning: %s matches flag %s (%s): %s",
		    appt_empty(p[i].name) ? "the customer" : p[i].name, id,
		    appt_flag_names(mask, names, sizeof names),
		    appt_get(flags.t, &flags.t->row[flag], "reason"));
		return 0;
	}
	return 0;
}

static void
fill(struct who *w, const struct appt_table *t, const struct appt_row *r)
{
	snprintf(w->id, sizeof w->id, "%s", appt_get(t, r, "id"));
	appt_person_of(t, r, &w->p);
}

/*
 * The customer: found by id, email or phone, or new; 0 or an exit code.
 * A plain id is looked up through the index, so that a booking for a
 * known customer does not read the whole customer file.
 */
static int
customer(const struct req *q, struct who *w, int *changed)
{
	struct appt_row *r;
	const char *field, *vals[5];
	char why[512];
	long id;
	int i, code;

	*changed = 0;
	if (q->customer && !custloaded && appt_parse_id(q->customer,
	    &id) == 0) {
		appt_people_free(&one);
		appt_people_want(&one, &s, &id, 1);
		if (one.n) {
			snprintf(w->id, sizeof w->id, "%ld", id);
			appt_people_person(&one, w->id, &w->p);
			return flagged(q, &w->p);
		}
		/* Not an id: a phone number in digits, maybe. */
	}
	needcust();
	if (q->customer) {
		if (!(r = appt_customer_find(&s, &cust, q->customer)))
			return refuse(q, APPT_EFAIL, "%s: no such customer",
			    q->customer);
		fill(w, &cust, r);
		return flagged(q, &w->p);
	}
	if ((code = appt_person_bad(&s, &q->p, why, sizeof why)))
		return refuse(q, code, "%s", why);
	if ((r = appt_customer_match(&s, &cust, q->p.email, q->p.phone, NULL,
	    &field))) {
		fill(w, &cust, r);
		if ((code = flagged(q, &w->p)))
			return code;
		vals[0] = q->p.name;
		vals[1] = q->p.email;
		vals[2] = q->p.phone;
		vals[3] = q->p.address;
		vals[4] = q->p.postcode;
		for (i = 0; i < 5; i++) {
			const char *have = appt_get(&cust, r, pcols[i]);

			if (appt_empty(vals[i]))
				continue;
			if (!*have) {
				appt_set(&cust, r, pcols[i], vals[i]);
				*changed = 1;
			} else if (!samevalue(pcols[i], have, vals[i]))
				appt_warn("customer %s (by %s): %s is '%s', "
				    "not '%s'; kept as it is",
				    appt_get(&cust, r, "id"), field, pcols[i],
				    have, vals[i]);
		}
		fill(w, &cust, r);
		return 0;
	}
	/* Only a new customer needs both. */
	if (appt_empty(q->p.name) || (appt_empty(q->p.email) &&
	    appt_empty(q->p.phone)))
		return refuse(q, APPT_EUSAGE, "a new customer needs --name "
		    "and --email or --phone (or -c CUSTOMER)");
	if ((code = flagged(q, NULL)))
		return code;
	*changed = 1;
	/* The note is the appointment's, and a new customer's notes too. */
	r = appt_customer_new(&s, &cust, &q->p, NULL);
	fill(w, &cust, r);
	return 0;
}

/* Is the whole series free with this staff member? */
static int
allfree(const struct appt_service *svc, const char *staff, const time_t *v,
    int n, int report, const struct req *q)
{
	char why[512], when[APPT_TIMELEN];
	int i, bad = 0;

	long dur, before, after;
	int j;

	for (i = 0; i < n; i++)
		if (appt_avail_check(av, svc, staff, v[i], force, 0, why,
		    sizeof why)) {
			bad++;
			if (report)
				refuse(q, APPT_EFAIL, "%s: %s",
				    appt_fmt_time(v[i], when), why);
		}
	/* The occurrences of a series must not overlap each other either. */
	appt_service_times(svc, &dur, &before, &after);
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (v[j] - before * 60 < v[i] + (dur + after) * 60 &&
			    v[i] - before * 60 < v[j] + (dur + after) * 60) {
				bad++;
				if (report)
					refuse(q, APPT_EFAIL, "%s: overlaps "
					    "occurrence %d of the series",
					    appt_fmt_time(v[i], when), j + 1);
				break;
			}
	return bad == 0;
}

static int
book(const struct req *q)
{
	const struct appt_service *svc;
	const struct appt_staff *st;
	struct appt_row *r;
	struct appt_appt a;
	struct who who;
	struct appt_table *mt;
	time_t v[MAXOCC], start = 0;
	char num[32], t1[APPT_TIMELEN], t2[APPT_TIMELEN], series[32];
	char price[32], why[512];
	const char *staff = NULL, *err, *f[APPT_LIST_NCOL], *w[3];
	long dur, before, after, id;
	int n, code = 0, changed, i, amb;
	size_t si;

	bookflag[0] = '\0';
	/* The note reaches no customer check when -c is given. */
	if ((err = appt_input_bad(q->p.notes)))
		return refuse(q, APPT_EUSAGE, "--note: %s", err);
	/* A "-" row names its columns, options their letters. */
	if (!(svc = appt_service_arg(cat, q->line ? "service" : "-s",
	    q->service, why, sizeof why)))
		return refuse(q, APPT_EUSAGE, "%s", why);
	if ((code = appt_service_price(svc, s.digits, price, why,
	    sizeof why)))
		return refuse(q, code, "%s", why);
	if (q->staff) {
		if (!(st = appt_staff_arg(cat, q->line ? "staff" : "-w",
		    q->staff, why, sizeof why)))
			return refuse(q, APPT_EUSAGE, "%s", why);
		staff = appt_staff_id(st);
		if (!appt_service_allows(svc, staff))
			return refuse(q, APPT_EFAIL, "%s does not do %s",
			    staff, appt_service_name(svc));
	}
	if (!q->at == !q->first)
		return refuse(q, APPT_EUSAGE, "give --at WHEN or --first");
	if (q->at) {
		if (appt_parse_when(q->at, now, &start, &err, &amb) < 0)
			return refuse(q, APPT_EUSAGE, "%s: %s", q->at, err);
		if (amb)
			appt_warn("%s: the clock shows this time twice; "
			    "taking the first, %s", q->at,
			    appt_fmt_time(start, t1));
	} else {
		time_t from = now;

		if (q->after && appt_parse_when(q->after, now, &from, &err,
		    NULL) < 0)
			return refuse(q, APPT_EUSAGE, "%s: %s", q->after, err);
		if (appt_avail_first(av, svc, staff, from, &start, &staff) < 0)
			return refuse(q, APPT_EFAIL, "no free slot for %s "
			    "within the horizon", appt_service_name(svc));
	}
	if ((code = occurrences(q, start, v, &n)))
		return code;
	if (!staff) {
		/* The first staff member free for every occurrence. */
		for (si = 0; si < appt_staff_count(cat) && !staff; si++) {
			const char *id = appt_staff_id(appt_staff_at(cat, si));

			if (appt_service_allows(svc, id) &&
			    allfree(svc, id, v, n, 0, q))
				staff = id;
		}
		if (!staff) {
			for (si = 0; si < appt_staff_count(cat); si++) {
				const char *id = appt_staff_id(appt_staff_at(
				    cat, si));

				if (appt_service_allows(svc, id)) {
					allfree(svc, id, v, n, 1, q);
					break;
				}
			}
			return refuse(q, APPT_EFAIL, "nothing booked: no one "
			    "who does %s is free then",
			    appt_service_name(svc));
		}
	} else if (!allfree(svc, staff, v, n, 1, q))
		return refuse(q, APPT_EFAIL, "nothing booked%s", n > 1 ?
		    " of the series" : "");
	if ((code = customer(q, &who, &changed)))
		return code;
	if (changed)
		appt_table_save(&s, &cust, "customers.csv");
	appt_service_times(svc, &dur, &before, &after);
	mt = appt_months_at(ms, v[0]);
	id = appt_next_ids(&s, "appointments", mt, n);
	snprintf(series, sizeof series, "%ld", id);
	for (i = 0; i < n; i++) {
		mt = appt_months_at(ms, v[i]);
		r = appt_table_add(mt);
		snprintf(num, sizeof num, "%ld", id + i);
		appt_set(mt, r, "id", num);
		appt_set(mt, r, "start", appt_fmt_time(v[i], t1));
		appt_set(mt, r, "end", appt_fmt_time(v[i] + dur * 60, t1));
		appt_set(mt, r, "service", appt_service_id(svc));
		appt_set(mt, r, "staff", staff);
		appt_set(mt, r, "customer", who.id);
		appt_set(mt, r, "status", "booked");
		appt_set(mt, r, "price", price);
		appt_set(mt, r, "series", n > 1 ? series : "");
		appt_set(mt, r, "notes", q->p.notes);
		appt_set(mt, r, "created", appt_fmt_time(now, t2));
		appt_set(mt, r, "updated", t2);
		/* The next check sees these rows too. */
		appt_months_changed(ms, mt);
	}
	appt_months_save(ms);
	/* Print what was booked. */
	w[0] = who.p.name;
	w[1] = who.p.email;
	w[2] = who.p.phone;
	for (i = 0; i < n; i++) {
		mt = appt_months_at(ms, v[i]);
		snprintf(num, sizeof num, "%ld", id + i);
		for (si = mt->nrow; si-- > 0; )
			if (!strcmp(appt_get(mt, &mt->row[si], "id"), num))
				break;
		appt_list_fields(mt, &mt->row[si], cat, w, bookflag, f);
		appt_out_row(&out, f, 0);
		/* One confirmation for a series: of its first occurrence. */
		if (i == 0 && !nonotify && appt_cfg_bool(&s.cfg,
		    "notify:confirm", 1)) {
			appt_appt_of(mt, &mt->row[si], &a);
			appt_notify(&notes, &s, cat, "confirm", &a, w, NULL);
			appt_notify(&notes, &s, cat, "staff-booked", &a, w,
			    NULL);
		}
	}
	return 0;
}

/* What a booking decides with, read under the lock. */
static void
opendata(void)
{
	now = appt_now();
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	av = appt_avail_open(&s, cat, ms, now);
}

/* Booking requests from stdin: one CSV row each. */
static int
batch(void)
{
	struct appt_table t;
	char *err;
	size_t i;
	int rc = 0, code;
	long cnt;

	if (appt_table_read_input(&t, &err) < 0)
		appt_die(APPT_EUSAGE, "%s", err);
	if (appt_col(&t, "service") < 0 || (appt_col(&t, "start") < 0 &&
	    appt_col(&t, "at") < 0))
		appt_die(APPT_EUSAGE, "stdin: needs the columns service and "
		    "start");
	appt_lock(&s);
	opendata();
	appt_flags_load(&flags, &s);
	needcust();
	for (i = 0; i < t.nrow; i++) {
		struct appt_row *r = &t.row[i];
		struct req q = { 0 };
		const char *v;

		q.line = r->line;
		if ((v = appt_row_badutf8(&t, r))) {
			rc = refuse(&q, APPT_EUSAGE, "%s: not valid UTF-8", v);
			continue;
		}
		q.service = appt_get(&t, r, "service");
		q.at = *appt_get(&t, r, "start") ? appt_get(&t, r, "start") :
		    appt_get(&t, r, "at");
		if (!*q.at)
			q.at = NULL;
		q.staff = *(v = appt_get(&t, r, "staff")) ? v : NULL;
		q.customer = *(v = appt_get(&t, r, "customer")) ? v : NULL;
		appt_person_of(&t, r, &q.p);
		if (!*q.p.notes)
			q.p.notes = appt_get(&t, r, "note");
		if (*(v = appt_get(&t, r, "every"))) {
			q.every = v;
			if (*(v = appt_get(&t, r, "count"))) {
				if (appt_parse_long(v, 1, MAXOCC, &cnt) < 0) {
					rc = refuse(&q, APPT_EUSAGE, "count %s: "
					    "not a number from 1 to %d", v,
					    MAXOCC);
					continue;
				}
				q.count = cnt;
			}
			if (*(v = appt_get(&t, r, "until")))
				q.until = v;
		}
		if (!q.at) {
			rc = refuse(&q, APPT_EUSAGE, "start: empty");
			continue;
		}
		if ((code = book(&q)))
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
		{ "name", required_argument, NULL, 'n' },
		{ "email", required_argument, NULL, 'e' },
		{ "phone", required_argument, NULL, 'p' },
		{ "address", required_argument, NULL, 'A' },
		{ "postcode", required_argument, NULL, 'z' },
		{ "note", required_argument, NULL, 't' },
		{ "every", required_argument, NULL, 'E' },
		{ "count", required_argument, NULL, 'N' },
		{ "until", required_argument, NULL, 'U' },
		{ "force", no_argument, NULL, 'f' },
		{ "no-notify", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct req q = { 0 };
	const char *dir = NULL, *ofmt = NULL;
	int c, rc;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "c:d:ho:s:Vw:", longopts,
	    NULL)) != -1)
		switch (c) {
		case 'a': q.at = optarg; break;
		case 'A': q.p.address = optarg; break;
		case 'c': q.customer = optarg; break;
		case 'd': dir = optarg; break;
		case 'e': q.p.email = optarg; break;
		case 'E': q.every = optarg; break;
		case 'f': force = 1; break;
		case 'F': q.first = 1; break;
		case 'h': appt_usage(synopsis, 1);
		case 'n': q.p.name = optarg; break;
		case 'N':
			if (appt_parse_long(optarg, 1, MAXOCC, &q.count) < 0)
				appt_die(APPT_EUSAGE, "--count %s: not a number "
				    "from 1 to %d", optarg, MAXOCC);
			break;
		case 'o': ofmt = optarg; break;
		case 'p': q.p.phone = optarg; break;
		case 'q': nonotify = 1; break;
		case 's': q.service = optarg; break;
		case 't': q.p.notes = optarg; break;
		case 'U': q.until = optarg; break;
		case 'V': appt_version();
		case 'w': q.staff = optarg; break;
		case 'z': q.p.postcode = optarg; break;
		default: appt_usage(synopsis, 0);
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
	appt_store_opendir(&s, dir);
	/* A bad value is exit 2 whether or not the slot is free. */
	if (argc == 0)
		appt_person_check(&s, &q.p);
	appt_list_begin(&out, fmt);
	if (argc == 1) {
		rc = batch();
	} else {
		if (!q.service)
			appt_die(APPT_EUSAGE, "-s SERVICE is required");
		if (!q.customer && !q.p.name && !q.p.email && !q.p.phone)
			appt_die(APPT_EUSAGE, "give -c CUSTOMER or --name with "
			    "--email or --phone");
		appt_lock(&s);
		opendata();
		appt_flags_load(&flags, &s);
		rc = book(&q);
	}
	appt_out_end(&out);
	/* Deliver with the data unlocked: mail may be slow. */
	appt_unlock(&s);
	appt_notice_send(&notes, &s);
	appt_table_free(&cust);
	appt_people_free(&one);
	appt_flags_free(&flags);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	appt_exit(rc);
}
