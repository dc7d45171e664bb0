/*
 * appt-review: follow-ups after a visit. queue puts done appointments
 * in the review queue (reviews.csv); run sends the review steps and the
 * recalls that are due (review.c), then delivers the outbox; done stops
 * a customer's requests once the review is left; optout stops every
 * review request and recall of a customer for good.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis =
    "appt-review [-hV] [-d DIR] [-o FMT] queue ID... | queue -\n"
    "       appt-review [-d DIR] run [--dry-run]\n"
    "       appt-review [-d DIR] done ID | done -c CUSTOMER\n"
    "       appt-review [-d DIR] optout CUSTOMER\n"
    "       appt-review [-d DIR] [-o FMT] list [-S STATUS]";

static const struct option longopts[] = {
	{ "dry-run", no_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char *dir, *cust, *status;
	int fmt;		/* -1 until -o */
	int dry;
};

static void
options(struct opts *o, int argc, char *argv[], const char *optstring)
{
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		switch (c) {
		case 'c': o->cust = optarg; break;
		case 'n': o->dry = 1; break;
		case 'o': o->fmt = appt_out_arg(optarg); break;
		case 'S': o->status = optarg; break;
		default: appt_opt(c, optarg, synopsis, &o->dir, NULL);
		}
}

/* queue ID... or queue -: every id checked before anything changes. */
static int
queue(struct appt_store *s, int argc, char *argv[], int fmt)
{
	struct appt_table in = { 0 };
	struct appt_months *ms;
	struct appt_reviews *rv;
	const char *bad;
	char *err, why[512], where[32] = "";
	size_t j, n, from;
	int i, code, rc = 0;
	long v;

	if (argc == 1 && !strcmp(argv[0], "-")) {
		if (appt_table_read_input(&in, &err) < 0)
			appt_die(APPT_EUSAGE, "%s", err);
		if (appt_col(&in, "id") < 0)
			appt_die(APPT_EUSAGE, "stdin: no id column");
		for (j = 0; j < in.nrow; j++)
			if ((bad = appt_row_badutf8(&in, &in.row[j])) ||
			    appt_parse_id(appt_get(&in, &in.row[j], "id"),
			    &v) < 0)
				appt_die(APPT_EUSAGE, "stdin:%ld: %s: not an "
				    "appointment id", in.row[j].line, bad ?
				    bad : appt_get(&in, &in.row[j], "id"));
	} else
		for (i = 0; i < argc; i++)
			if (appt_parse_id(argv[i], &v) < 0)
				appt_die(APPT_EUSAGE, "%s: not an appointment "
				    "id", argv[i]);
	appt_lock(s);
	ms = appt_months_open(s);
	rv = appt_reviews_open(s, ms, appt_now());
	from = appt_reviews_count(rv);
	n = in.ncol ? in.nrow : (size_t)argc;
	for (j = 0; j < n; j++) {
		if (in.ncol)
			snprintf(where, sizeof where, "stdin:%ld: ",
			    in.row[j].line);
		code = in.ncol ? appt_reviews_queue(rv, appt_get(&in,
		    &in.row[j], "id"), appt_get(&in, &in.row[j], "start"),
		    why, sizeof why) : appt_reviews_queue(rv, argv[j], NULL,
		    why, sizeof why);
		if (code)
			appt_warn("%s%s", where, why);
		if (code > rc)
			rc = code;
	}
	appt_reviews_save(rv);
	appt_reviews_list(rv, NULL, from, fmt);
	appt_reviews_close(rv);
	appt_months_close(ms);
	appt_table_free(&in);
	return rc;
}

/* run: the follow-ups due, then the outbox, as appt-remind does. */
static int
run(struct appt_store *s, int dry)
{
	struct appt_notice notes = { 0 };
	struct appt_months *ms;
	int failed;

	notes.dryrun = dry;
	if (!dry)
		appt_lock(s);
	ms = appt_months_open(s);
	appt_followups(s, ms, &notes, appt_now());
	appt_unlock(s);
	appt_months_close(ms);
	/* The whole outbox, as appt-remind: what a killed run left too. */
	appt_notice_free(&notes);
	failed = appt_outbox_send(s, NULL, 0, dry);
	if (!dry && appt_outbox_held(s, NULL, 0))
		failed++;
	return notes.failed ? APPT_EDATA : failed ? APPT_EDELIVER : 0;
}

static int
done(struct appt_store *s, const char *id, const char *cust)
{
	struct appt_months *ms;
	struct appt_reviews *rv;
	char cid[32];
	long v;
	int rc = 0;

	if (id && appt_parse_id(id, &v) < 0)
		appt_die(APPT_EUSAGE, "%s: not an appointment id", id);
	if (cust)
		appt_check_arg("-c", cust);
	appt_lock(s);
	ms = appt_months_open(s);
	rv = appt_reviews_open(s, ms, appt_now());
	if (cust && appt_reviews_customer(rv, cust, cid, sizeof cid) < 0) {
		appt_warn("-c %s: no such customer", cust);
		rc = APPT_EFAIL;
	} else if (id) {
		snprintf(cid, sizeof cid, "%ld", v);
		if (!appt_reviews_done(rv, cid, NULL)) {
			appt_warn("appointment %s has no review request", id);
			rc = APPT_EFAIL;
		}
	} else if (!appt_reviews_done(rv, NULL, cid)) {
		appt_warn("customer %s has no review request", cid);
		rc = APPT_EFAIL;
	}
	appt_reviews_save(rv);
	appt_reviews_close(rv);
	appt_months_close(ms);
	return rc;
}

static int
optout(struct appt_store *s, const char *key)
{
	struct appt_months *ms;
	struct appt_reviews *rv;
	char why[512];
	int code;

	appt_check_arg("CUSTOMER", key);
	if (!*key)
		appt_die(APPT_EUSAGE, "CUSTOMER: empty");
	appt_lock(s);
	ms = appt_months_open(s);
	rv = appt_reviews_open(s, ms, appt_now());
	code = appt_reviews_optout(rv, key, why, sizeof why);
	if (code)
		appt_warn("%s", why);
	appt_reviews_save(rv);
	appt_reviews_close(rv);
	appt_months_close(ms);
	return code > 0 ? code : 0;
}

int
main(int argc, char *argv[])
{
	struct appt_store s;
	struct appt_months *ms;
	struct appt_reviews *rv;
	struct opts o = { .fmt = -1 };
	const char *cmd;
	int rc = 0;

	appt_setprog(argv[0]);
	options(&o, argc, argv, "+d:ho:V");
	cmd = appt_subcommand(&argc, &argv, synopsis);
	options(&o, argc, argv, !strcmp(cmd, "done") ? "c:d:o:" :
	    !strcmp(cmd, "list") ? "d:o:S:" : "d:o:");
	argc -= optind;
	argv += optind;
	if (o.dry && strcmp(cmd, "run"))
		appt_die(APPT_EUSAGE, "%s: takes no --dry-run", cmd);
	if (o.status && !appt_review_status_valid(o.status))
		appt_die(APPT_EUSAGE, "-S %s: not a status (waiting, sent, "
		    "done, optout, expired)", o.status);
	if (!strcmp(cmd, "queue") && argc == 0)
		appt_usage(synopsis, 0);
	appt_store_opendir(&s, o.dir);
	if (o.fmt < 0)
		o.fmt = appt_out_parse(NULL);
	if (!strcmp(cmd, "queue"))
		rc = queue(&s, argc, argv, o.fmt);
	else if (!strcmp(cmd, "run") && argc == 0)
		rc = run(&s, o.dry);
	else if (!strcmp(cmd, "done") && argc == 1 && !o.cust)
		rc = done(&s, argv[0], NULL);
	else if (!strcmp(cmd, "done") && argc == 0 && o.cust)
		rc = done(&s, NULL, o.cust);
	else if (!strcmp(cmd, "optout") && argc == 1)
		rc = optout(&s, argv[0]);
	else if (!strcmp(cmd, "list") && argc == 0) {
		ms = appt_months_open(&s);
		rv = appt_reviews_open(&s, ms, appt_now());
		appt_reviews_list(rv, o.status, 0, o.fmt);
		appt_reviews_close(rv);
		appt_months_close(ms);
	} else
		appt_usage(synopsis, 0);
	appt_store_close(&s);
	appt_exit(rc);
}
