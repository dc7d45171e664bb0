/*
 * appt-book: book a customer into a free slot.
 *
 * Each request is decided under the lock by the booking code of the
 * library (book.c), the booking page's too: the service, the time, the
 * occurrences of a series, the staff member, the customer. Once every
 * request is decided, each changed file is written once, in an order
 * whose every prefix is sound: ids.csv, then customers.csv, then the
 * month files. Only then is anything printed, so that what is printed
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

#define MAXOCC APPT_BOOK_MAXOCC

/* Say why a request failed: "stdin:LINE: why" for batch rows. */
static int __attribute__((format(printf, 3, 4)))
refuse(const struct appt_bookreq *q, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (q->line)
		appt_warn("stdin:%ld: %s", q->line, msg);
	else
		appt_warn("%s", msg);
	free(msg);
	return code;
}

/* A booking request of a row of stdin: 0, or why not as an exit code. */
static int
request(const struct appt_table *t, const struct appt_row *r,
    struct appt_bookreq *q)
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
batch(struct appt_store *s, struct appt_booker **run, int force)
{
	struct appt_table t;
	struct appt_bookreq q;
	char *err;
	size_t i;
	int rc = 0, code;

	if (appt_table_read_input(&t, &err) < 0)
		appt_die(APPT_EUSAGE, "%s", err);
	if (appt_col(&t, "service") < 0 || (appt_col(&t, "start") < 0 &&
	    appt_col(&t, "at") < 0))
		appt_die(APPT_EUSAGE, "stdin: needs the columns service and "
		    "start");
	*run = appt_booker_open(s, force, NULL, NULL);
	for (i = 0; i < t.nrow; i++) {
		if ((code = request(&t, &t.row[i], &q)))
			rc = code;
		else if (appt_book(*run, &q))
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
	struct appt_store s;
	struct appt_booker *run;
	struct appt_bookreq q = { 0 };
	struct appt_out out;
	struct appt_notice notes = { 0 };
	const char *dir = NULL, *ofmt = NULL;
	int c, rc, fmt, force = 0, nonotify = 0;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "c:d:ho:s:Vw:", longopts,
	    NULL)) != -1)
		switch (c) {
		case 'a': q.at = optarg; break;
		case 'c': q.customer = optarg; break;
		case 'E': q.every = optarg; break;
		case 'f': force = 1; break;
		case 'F': q.first = 1; break;
		case 'N':
			if (appt_parse_long(optarg, 1, MAXOCC, &q.count) < 0)
				appt_die(APPT_EUSAGE, "--count %s: not a number "
				    "from 1 to %d", optarg, MAXOCC);
			break;
		case 'q': nonotify = 1; break;
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
	appt_store_opendir(&s, dir);
	/* A bad value is exit 2 whether or not the slot is free. */
	if (argc == 0)
		appt_person_check(&s, &q.p);
	if (argc == 1) {
		rc = batch(&s, &run, force);
	} else {
		if (!q.service)
			appt_die(APPT_EUSAGE, "-s SERVICE is required");
		if (!q.customer && !q.p.name && !q.p.email && !q.p.phone)
			appt_die(APPT_EUSAGE, "give -c CUSTOMER or --name with "
			    "--email or --phone");
		run = appt_booker_open(&s, force, NULL, NULL);
		rc = appt_book(run, &q);
	}
	appt_booker_save(run);
	/* What is printed is on disk; nothing when nothing is and rc says why. */
	if (appt_booker_count(run) || rc == 0) {
		appt_list_begin(&out, fmt);
		appt_booker_print(run, &out);
		appt_out_end(&out);
	}
	if (!nonotify && appt_cfg_bool(&s.cfg, "notify:confirm", 1))
		appt_booker_notify(run, &notes);
	/* Deliver with the data unlocked: mail may be slow. */
	appt_unlock(&s);
	appt_notice_send(&notes, &s);
	appt_booker_close(run);
	appt_store_close(&s);
	appt_exit(rc);
}
