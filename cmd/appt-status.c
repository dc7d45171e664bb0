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

static struct appt_store s;
static struct appt_catalog *cat;
static struct appt_months *ms;
static struct appt_avail *av;
static time_t now;
static struct appt_people pp;
static struct appt_out out;
static int force;
static struct {
	struct appt_table *t;
	struct appt_row *r;
} *cancels, *shown;
static size_t ncancels, nshown;

static int
change(const char *id, const char *hint, const char *to, long line)
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
	if (!(r = appt_months_find(ms, id, hint, &t))) {
		appt_warn("%s%s: no such appointment", where, id);
		return APPT_EFAIL;
	}
	from = appt_get(t, r, "status");
	if (!strcmp(from, to))
		goto print;
	if (appt_status_final(from) && !force) {
		appt_warn("%sappointment %s is %s, which is final (--force "
		    "changes it)", where, id, from);
		return APPT_EFAIL;
	}
	if (!strcmp(from, "cancelled")) {
		/* Back from cancelled: the slot must still be free. */
		svc = appt_service_find(cat, appt_get(t, r, "service"));
		if (!svc || appt_parse_iso(appt_get(t, r, "start"), &start) <
		    0 || appt_avail_check(av, svc, appt_get(t, r, "staff"),
		    start, 1, v, why, sizeof why)) {
			appt_warn("%sappointment %s: %s", where, id, svc ? why :
			    "its service is gone");
			return APPT_EFAIL;
		}
	}
	appt_fmt_time(now, at);
	appt_set(t, r, "status", to);
	appt_appt_changed(t, r, now);
	if ((!strcmp(to, "in-progress") || !strcmp(to, "done")) &&
	    !*appt_get(t, r, "started"))
		appt_set(t, r, "started", at);
	if (!strcmp(to, "done") && !*appt_get(t, r, "finished"))
		appt_set(t, r, "finished", at);
	/* Taken times have changed: the next check sees this one. */
	appt_months_changed(ms, t);
	if (!strcmp(to, "cancelled")) {
		/* Told once the change is on disk. */
		cancels = xreallocarray(cancels, ncancels + 1,
		    sizeof *cancels);
		cancels[ncancels].t = t;
		cancels[ncancels++].r = r;
	}
print:
	/* Printed once all is done, with the customers looked up. */
	shown = xreallocarray(shown, nshown + 1, sizeof *shown);
	shown[nshown].t = t;
	shown[nshown++].r = r;
	return 0;
}

static void
show(void)
{
	const char *f[APPT_LIST_NCOL], *w[3], *c;
	long *ids = xcalloc(nshown + 1, sizeof *ids);
	size_t i, n = 0;

	for (i = 0; i < nshown; i++)
		if (appt_parse_id(appt_get(shown[i].t, shown[i].r,
		    "customer"), &ids[n]) == 0)
			n++;
	appt_people_want(&pp, &s, ids, n);
	free(ids);
	for (i = 0; i < nshown; i++) {
		c = appt_get(shown[i].t, shown[i].r, "customer");
		appt_people_who(&pp, c, w);
		appt_list_fields(shown[i].t, shown[i].r, cat, w, "", f);
		appt_out_row(&out, f, 0);
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
	struct appt_table in;
	char *err, names[APPT_STATUSLEN];
	int c, fmt, i, rc = 0, code, nonotify = 0;
	size_t j;
	long v;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:ho:V", longopts, NULL)) != -1)
		switch (c) {
		case 'd': dir = optarg; break;
		case 'f': force = 1; break;
		case 'h': appt_usage(synopsis, 1);
		case 'o': ofmt = optarg; break;
		case 'q': nonotify = 1; break;
		case 'V': appt_version();
		default: appt_usage(synopsis, 0);
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
	appt_store_opendir(&s, dir);
	appt_lock(&s);
	now = appt_now();
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	av = appt_avail_open(&s, cat, ms, now);
	appt_list_begin(&out, fmt);
	if (in.ncol) {
		for (j = 0; j < in.nrow; j++)
			if ((code = change(appt_get(&in, &in.row[j], "id"),
			    appt_get(&in, &in.row[j], "start"), to,
			    in.row[j].line)) && code > rc)
				rc = code;
	} else
		for (i = 0; i < argc - 1; i++)
			if ((code = change(argv[i], NULL, to, 0)) && code > rc)
				rc = code;
	appt_months_save(ms);
	show();
	appt_out_end(&out);
	for (j = 0; j < ncancels; j++)
		appt_notice_withdraw(&s, appt_get(cancels[j].t, cancels[j].r,
		    "id"));
	if (!nonotify && appt_cfg_bool(&s.cfg, "notify:changes", 1)) {
		struct appt_notice notes = { 0 };
		struct appt_appt a;
		const char *w[3];

		for (j = 0; j < ncancels; j++) {
			appt_appt_of(cancels[j].t, cancels[j].r, &a);
			appt_people_who(&pp, a.customer, w);
			appt_notify(&notes, &s, cat, "cancelled", &a, w, NULL);
			appt_notify(&notes, &s, cat, "staff-cancelled", &a, w,
			    NULL);
		}
		appt_unlock(&s);
		appt_notice_send(&notes, &s);
	}
	free(cancels);
	free(shown);
	appt_table_free(&in);
	appt_people_free(&pp);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	appt_exit(rc);
}
