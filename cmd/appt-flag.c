/*
 * appt-flag: remember problem customers (no-shows, unpaid bills, abuse)
 * and find them again under another name, email, phone or address. The
 * matching is lib/flagmatch.c's; appt-book, appt-list and appt-customer
 * show the same matches.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis =
    "appt-flag [-hV] [-d DIR] [-o FMT] add (-c CUSTOMER | [--name N] "
    "[--email E] [--phone P] [--address A] [--postcode P]) --reason R\n"
    "       appt-flag [-d DIR] [-o FMT] list\n"
    "       appt-flag [-d DIR] rm ID\n"
    "       appt-flag [-d DIR] [-o FMT] clear ID FIELD\n"
    "       appt-flag [-d DIR] [-o FMT] check [-]";

static const struct option longopts[] = {
	APPT_PERSON_LONGOPTS,
	{ "reason", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 }
};

/* The options, before the subcommand and after it. */
struct opts {
	const char *dir;
	int fmt;			/* -1 until -o */
	struct appt_person who;		/* --name, --email, ... */
	const char *reason, *cust;	/* --reason, -c */
};

static void
options(struct opts *o, int argc, char *argv[], const char *optstring)
{
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		switch (c) {
		case 'c': o->cust = optarg; break;
		case 'o':
			o->fmt = appt_out_arg(optarg);
			break;
		case 'r': o->reason = optarg; break;
		default:
			if (!appt_person_opt(&o->who, c, optarg))
				appt_opt(c, optarg, synopsis, &o->dir, NULL);
		}
}

/* Would any field of the flag ever match? Blanks and dashes do not. */
static int
matchable(const struct appt_person *p)
{
	char *n = appt_norm_name(p->name ? p->name : "");
	char *a = appt_norm_address(p->address ? p->address : "");
	int ok = *n || *a || !appt_empty(p->email) || !appt_empty(p->phone);

	free(n);
	free(a);
	return ok;
}

static void
add(struct appt_store *s, const struct opts *o)
{
	struct appt_table t, ct = { 0 };
	struct appt_row *r, *c;
	struct appt_person who = o->who, cp;
	char id[32], now[APPT_TIMELEN];
	size_t i;

	if (appt_empty(o->reason))
		appt_die(APPT_EUSAGE, "add: --reason is required: why is this "
		    "customer flagged?");
	appt_check_arg("--reason", o->reason);
	appt_person_check(s, &who);
	appt_lock(s);
	if (o->cust) {
		/* The customer's details, unless given otherwise. */
		appt_check_arg("-c", o->cust);
		appt_load(s, &ct, "customers.csv");
		if (!(c = appt_customer_find(s, &ct, o->cust)))
			appt_die(APPT_EFAIL, "-c %s: no such customer",
			    o->cust);
		appt_person_of(&ct, c, &cp);
		if (!who.name)
			who.name = cp.name;
		if (!who.email)
			who.email = cp.email;
		if (!who.phone)
			who.phone = cp.phone;
		if (!who.address)
			who.address = cp.address;
		if (!who.postcode)
			who.postcode = cp.postcode;
	}
	if (!matchable(&who))
		appt_die(APPT_EUSAGE, "add: a flag needs a name, email, phone "
		    "or address to match");
	appt_load(s, &t, "flags.csv");
	snprintf(id, sizeof id, "%ld", appt_next_id(s, "flags", &t));
	r = appt_table_add(&t);
	appt_set(&t, r, "id", id);
	appt_set(&t, r, "name", who.name);
	appt_set(&t, r, "email", who.email);
	appt_set(&t, r, "phone", who.phone);
	appt_set(&t, r, "address", who.address);
	appt_set(&t, r, "postcode", who.postcode);
	appt_set(&t, r, "reason", o->reason);
	appt_set(&t, r, "created", appt_fmt_time(appt_now(), now));
	appt_table_save(s, &t, "flags.csv");
	i = (size_t)(r - t.row);
	appt_print_table(&t, o->fmt, &i, 1);
	appt_table_free(&t);
	appt_table_free(&ct);
}

static void
rm(struct appt_store *s, const char *id)
{
	struct appt_table t;
	struct appt_row *r;

	appt_lock(s);
	appt_load(s, &t, "flags.csv");
	r = appt_row_byid(&t, id, "flag");
	appt_table_remove(&t, (size_t)(r - t.row));
	appt_table_save(s, &t, "flags.csv");
	appt_table_free(&t);
}

static void
clear(struct appt_store *s, const char *id, const char *field, int fmt)
{
	struct appt_table t;
	struct appt_row *r;
	const char *cl;
	char *v;
	size_t i;

	if (appt_flag_field(field) < 0)
		appt_die(APPT_EUSAGE, "%s: not name, email, phone or address",
		    field);
	appt_lock(s);
	appt_load(s, &t, "flags.csv");
	r = appt_row_byid(&t, id, "flag");
	cl = appt_get(&t, r, "cleared");
	if (!appt_word_in(cl, " ", field, 0)) {
		v = *cl ? xasprintf("%s %s", cl, field) : xstrdup(field);
		appt_set(&t, r, "cleared", v);
		free(v);
		appt_table_save(s, &t, "flags.csv");
	}
	i = (size_t)(r - t.row);
	appt_print_table(&t, fmt, &i, 1);
	appt_table_free(&t);
}

/*
 * Rows read from stdin that match, with flag_id and flag after them. A
 * row that is not UTF-8 is reported and skipped: exit 2.
 */
static int
checkin(struct appt_flags *fl, int fmt)
{
	struct appt_table in;
	struct appt_out o;
	char *err, names[64];
	const char *bad;
	size_t i, flag;
	long cid, cflag;
	int mask, rc = 0;

	if (appt_table_read_input(&in, &err) < 0)
		appt_die(APPT_EUSAGE, "%s", err);
	/* Columns flag_id and flag after the input's, or in their place. */
	if ((cid = appt_col(&in, "flag_id")) < 0) {
		appt_set(&in, NULL, "flag_id", "");
		cid = appt_col(&in, "flag_id");
	}
	if ((cflag = appt_col(&in, "flag")) < 0) {
		appt_set(&in, NULL, "flag", "");
		cflag = appt_col(&in, "flag");
	}
	appt_out_begin(&o, fmt, in.ncol, (const char *const *)in.col);
	appt_out_fit(&o, "| flag_id name:12 customer_name:12 flag id");
	for (i = 0; i < in.nrow; i++) {
		struct appt_row *r = &in.row[i];
		struct appt_person p;

		if ((bad = appt_row_badutf8(&in, r))) {
			appt_warn("stdin:%ld: %s: not valid UTF-8", r->line,
			    bad);
			rc = APPT_EUSAGE;
			continue;
		}
		appt_person_of(&in, r, &p);
		if (!*p.name)
			p.name = appt_get(&in, r, "customer_name");
		if (!(mask = appt_flags_match(fl, &p, &flag)))
			continue;
		appt_set(&in, r, "flag_id", appt_get(fl->t,
		    &fl->t->row[flag], "id"));
		appt_set(&in, r, "flag", appt_flag_names(mask, names,
		    sizeof names));
		appt_out_row(&o, (const char *const *)r->f, 1);
	}
	appt_out_end(&o);
	appt_table_free(&in);
	return rc;
}

/* Every customer, with the upcoming appointments of those that match. */
static void
checkall(const struct appt_store *s, struct appt_flags *fl, int fmt)
{
	static const char *cols[] = { "customer", "name", "email", "phone",
	    "address", "postcode", "upcoming", "flag_id", "flag", "reason" };
	struct appt_table ct;
	struct appt_months *ms;
	struct appt_out o;
	struct appt_buf *up;
	char **files, names[64];
	const char *f[10];
	size_t i, j, k, k2, nf, flag, *hit, nhit = 0;
	time_t now = appt_now(), start;
	int *mask;

	appt_load(s, &ct, "customers.csv");
	mask = xcalloc(ct.nrow + 1, sizeof *mask);
	hit = xcalloc(ct.nrow + 1, sizeof *hit);
	up = xcalloc(ct.nrow + 1, sizeof *up);
	for (i = 0; i < ct.nrow; i++) {
		struct appt_person p;

		appt_person_of(&ct, &ct.row[i], &p);
		mask[i] = appt_flags_match(fl, &p, &flag);
		if (mask[i]) {
			mask[i] |= (int)(flag << 8);
			hit[nhit++] = i;
		}
	}
	/* Upcoming: the months from now on. */
	ms = appt_months_open(s);
	nf = appt_month_files(s, 0, 0, &files);
	for (k = 0; k < nf; k++) {
		struct appt_table *t;
		char *now_rel = appt_month_file(now - 2 * 86400);

		if (strcmp(files[k], now_rel) < 0) {
			free(now_rel);
			continue;
		}
		free(now_rel);
		t = appt_months_table(ms, files[k]);
		for (j = 0; j < t->nrow; j++) {
			const char *c = appt_get(t, &t->row[j], "customer");
			const char *st = appt_get(t, &t->row[j], "status");

			if (appt_parse_iso(appt_get(t, &t->row[j], "start"),
			    &start) < 0 || start < now ||
			    !appt_status_active(st))
				continue;
			for (k2 = 0; k2 < nhit; k2++)
				if (i = hit[k2], !strcmp(c, appt_get(&ct,
				    &ct.row[i], "id"))) {
					if (up[i].len)
						appt_buf_addc(&up[i], ' ');
					appt_buf_adds(&up[i], appt_get(t,
					    &t->row[j], "id"));
				}
		}
	}
	appt_strv_free(files, nf);
	appt_out_begin(&o, fmt, 10, cols);
	appt_out_fit(&o, "postcode address email phone upcoming flag_id | "
	    "reason:12 flag name:12 customer");
	for (i = 0; i < ct.nrow; i++) {
		struct appt_row *r = &ct.row[i], *fr;

		if (!mask[i])
			continue;
		fr = &fl->t->row[mask[i] >> 8];
		f[0] = appt_get(&ct, r, "id");
		f[1] = appt_get(&ct, r, "name");
		f[2] = appt_get(&ct, r, "email");
		f[3] = appt_get(&ct, r, "phone");
		f[4] = appt_get(&ct, r, "address");
		f[5] = appt_get(&ct, r, "postcode");
		f[6] = up[i].s ? up[i].s : "";
		f[7] = appt_get(fl->t, fr, "id");
		f[8] = appt_flag_names(mask[i] & 0xff, names, sizeof names);
		f[9] = appt_get(fl->t, fr, "reason");
		appt_out_row(&o, f, 1);
	}
	appt_out_end(&o);
	for (i = 0; i < ct.nrow; i++)
		appt_buf_free(&up[i]);
	free(up);
	free(mask);
	free(hit);
	appt_months_close(ms);
	appt_table_free(&ct);
}

int
main(int argc, char *argv[])
{
	struct appt_store s;
	struct opts o = { .fmt = -1 };
	const struct appt_person *who = &o.who;
	struct appt_flags fl;
	struct appt_table t;
	const char *cmd;
	int rc = 0;

	appt_setprog(argv[0]);
	options(&o, argc, argv, "+d:ho:V");
	cmd = appt_subcommand(&argc, &argv, synopsis);
	options(&o, argc, argv, "c:d:o:");
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "add") &&
	    (appt_person_given(who) || o.reason || o.cust))
		appt_die(APPT_EUSAGE, "%s: takes no field options", cmd);
	appt_store_opendir(&s, o.dir);
	if (o.fmt < 0)
		o.fmt = appt_out_parse(NULL);
	if (!strcmp(cmd, "add") && argc == 0)
		add(&s, &o);
	else if (!strcmp(cmd, "list") && argc == 0) {
		appt_load(&s, &t, "flags.csv");
		appt_print_table(&t, o.fmt, NULL, 0);
		appt_table_free(&t);
	} else if (!strcmp(cmd, "rm") && argc == 1)
		rm(&s, argv[0]);
	else if (!strcmp(cmd, "clear") && argc == 2)
		clear(&s, argv[0], argv[1], o.fmt);
	else if (!strcmp(cmd, "check") && argc <= 1) {
		if (argc == 1 && strcmp(argv[0], "-"))
			appt_usage(synopsis, 0);
		appt_flags_load(&fl, &s);
		if (argc)
			rc = checkin(&fl, o.fmt);
		else
			checkall(&s, &fl, o.fmt);
		appt_flags_free(&fl);
	} else
		appt_usage(synopsis, 0);
	appt_store_close(&s);
	appt_exit(rc);
}
