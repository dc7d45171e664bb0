/*
 * appt-status: move appointments through their day: booked, confirmed,
 * arrived, in-progress, done; or cancelled, no-show. done, cancelled and
 * no-show are final: changing one needs --force, and bringing back a
 * cancelled appointment needs its slot to be free still.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis =
    "appt-status [-hV] [-d DIR] [-o FMT] [--force] [--no-notify] "
    "ID... STATUS\n"
    "       appt-status [-d DIR] [-o FMT] [--force] [--no-notify] - STATUS";

/* Appointments, as rows of the month tables. */
struct rows {
	struct {
		struct appt_table *t;
		struct appt_row *r;
	} *v;
	size_t n;
};

/* A run: what is open, --force, and what the changes leave to do. */
struct run {
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	time_t now;
	int force;
	struct rows cancels;	/* told once the changes are on disk */
	struct rows shown;	/* printed once all is done */
};

static void
addrow(struct rows *v, struct appt_table *t, struct appt_row *r)
{
	v->v = xreallocarray(v->v, v->n + 1, sizeof *v->v);
	v->v[v->n].t = t;
	v->v[v->n++].r = r;
}

static int
change(struct run *x, const char *id, const char *hint, const char *to,
    long line)
{
	struct appt_table *t;
	struct appt_row *r;
	const struct appt_service *svc;
	const char *from;
	char at[APPT_TIMELEN], why[512], where[32] = "";
	time_t start;
	long v;

	if (line)
		snprintf(where, sizeof where, "stdin:%ld: ", line);
	if (appt_parse_id(id, &v) < 0) {
		appt_warn("%s%s: not an appointment id", where, id);
		return APPT_EUSAGE;
	}
	if (!(r = appt_months_find(x->ms, id, hint, &t))) {
		appt_warn("%s%s: no such appointment", where, id);
		return APPT_EFAIL;
	}
	from = appt_get(t, r, "status");
	if (!strcmp(from, to))
		goto print;
	if (appt_status_final(from) && !x->force) {
		appt_warn("%sappointment %s is %s, which is final (--force "
		    "changes it)", where, id, from);
		return APPT_EFAIL;
	}
	if (!strcmp(from, "cancelled")) {
		/* Back from cancelled: the slot must still be free. */
		svc = appt_service_find(x->cat, appt_get(t, r, "service"));
		if (!svc || appt_parse_iso(appt_get(t, r, "start"), &start) <
		    0 || appt_avail_check(x->av, svc, appt_get(t, r, "staff"),
		    start, 1, v, why, sizeof why)) {
			appt_warn("%sappointment %s: %s", where, id, svc ? why :
			    "its service is gone");
			return APPT_EFAIL;
		}
	}
	appt_fmt_time(x->now, at);
	appt_set(t, r, "status", to);
	appt_appt_changed(t, r, x->now);
	if ((!strcmp(to, "in-progress") || !strcmp(to, "done")) &&
	    !*appt_get(t, r, "started"))
		appt_set(t, r, "started", at);
	if (!strcmp(to, "done") && !*appt_get(t, r, "finished"))
		appt_set(t, r, "finished", at);
	/* Taken times have changed: the next check sees this one. */
	appt_months_changed(x->ms, t);
	if (!strcmp(to, "cancelled"))
		addrow(&x->cancels, t, r);
print:
	/* Printed once all is done, with the customers looked up. */
	addrow(&x->shown, t, r);
	return 0;
}

/* The appointments shown, to out; their customers into pp. */
static void
show(const struct run *x, struct appt_people *pp, struct appt_out *out)
{
	const struct rows *sh = &x->shown;
	const char *f[APPT_LIST_NCOL], *w[3], *c;
	long *ids = xcalloc(sh->n + 1, sizeof *ids);
	size_t i, n = 0;

	for (i = 0; i < sh->n; i++)
		if (appt_parse_id(appt_get(sh->v[i].t, sh->v[i].r,
		    "customer"), &ids[n]) == 0)
			n++;
	appt_people_want(pp, &x->s, ids, n);
	free(ids);
	for (i = 0; i < sh->n; i++) {
		c = appt_get(sh->v[i].t, sh->v[i].r, "customer");
		appt_people_who(pp, c, w);
		appt_list_fields(sh->v[i].t, sh->v[i].r, x->cat, w, "", f);
		appt_out_row(out, f, 0);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "no-notify", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *ofmt = NULL, *to;
	struct run x = { .force = 0 };
	const struct rows *cn = &x.cancels;
	struct appt_people pp = { 0 };
	struct appt_out out;
	struct appt_table in;
	char *err, names[APPT_STATUSLEN];
	int c, fmt, i, rc = 0, code, nonotify = 0;
	size_t j;
	long v;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:ho:V", longopts, NULL)) != -1)
		switch (c) {
		case 'f': x.force = 1; break;
		case 'q': nonotify = 1; break;
		default: appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		appt_usage(synopsis, 0);
	to = argv[argc - 1];
	if (!appt_status_valid(to))
		appt_die(APPT_EUSAGE, "%s: not a status (%s)", to,
		    appt_status_list(names, sizeof names));
	fmt = appt_out_arg(ofmt);
	memset(&in, 0, sizeof in);
	if (argc == 2 && !strcmp(argv[0], "-")) {
		if (appt_table_read(&in, "/dev/stdin", "stdin", NULL, 1,
		    &err) < 0)
			appt_die(APPT_EUSAGE, "%s", err);
		if (appt_col(&in, "id") < 0)
			appt_die(APPT_EUSAGE, "stdin: no id column");
	}
	/* Bad input changes nothing: every id is checked before any. */
	for (j = 0; j < in.nrow; j++)
		if (appt_parse_id(appt_get(&in, &in.row[j], "id"), &v) < 0)
			appt_die(APPT_EUSAGE, "stdin:%ld: %s: not an "
			    "appointment id", in.row[j].line,
			    appt_get(&in, &in.row[j], "id"));
	for (i = 0; !in.ncol && i < argc - 1; i++)
		if (appt_parse_id(argv[i], &v) < 0)
			appt_die(APPT_EUSAGE, "%s: not an appointment id",
			    argv[i]);
	appt_store_opendir(&x.s, dir);
	appt_lock(&x.s);
	x.now = appt_now();
	x.cat = appt_catalog_open(&x.s);
	x.ms = appt_months_open(&x.s);
	x.av = appt_avail_open(&x.s, x.cat, x.ms, x.now);
	if (in.ncol) {
		for (j = 0; j < in.nrow; j++)
			if ((code = change(&x, appt_get(&in, &in.row[j], "id"),
			    appt_get(&in, &in.row[j], "start"), to,
			    in.row[j].line)) && code > rc)
				rc = code;
	} else
		for (i = 0; i < argc - 1; i++)
			if ((code = change(&x, argv[i], NULL, to, 0)) &&
			    code > rc)
				rc = code;
	/* Each month once; then what is on disk is printed, or nothing. */
	appt_months_save(x.ms);
	/* [review] auto = yes: a visit done asks for a review. */
	for (j = 0; j < x.shown.n && !strcmp(to, "done"); j++)
		appt_review_auto(&x.s, x.ms, appt_get(x.shown.v[j].t,
		    x.shown.v[j].r, "id"));
	if (x.shown.n || rc == 0) {
		appt_list_begin(&out, fmt);
		show(&x, &pp, &out);
		appt_out_end(&out);
	}
	for (j = 0; j < cn->n; j++)
		appt_notice_withdraw(&x.s, appt_get(cn->v[j].t, cn->v[j].r,
		    "id"));
	if (!nonotify && appt_cfg_bool(&x.s.cfg, "notify:changes", 1)) {
		struct appt_notice notes = { 0 };
		struct appt_appt a;
		const char *w[3];

		for (j = 0; j < cn->n; j++) {
			appt_appt_of(cn->v[j].t, cn->v[j].r, &a);
			appt_people_who(&pp, a.customer, w);
			appt_notify(&notes, &x.s, x.cat, "cancelled", &a, w,
			    NULL);
			appt_notify(&notes, &x.s, x.cat, "staff-cancelled", &a,
			    w, NULL);
		}
		appt_unlock(&x.s);
		appt_notice_send(&notes, &x.s);
	}
	free(x.cancels.v);
	free(x.shown.v);
	appt_table_free(&in);
	appt_people_free(&pp);
	appt_avail_close(x.av);
	appt_months_close(x.ms);
	appt_catalog_close(x.cat);
	appt_store_close(&x.s);
	appt_exit(rc);
}
