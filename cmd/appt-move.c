/*
 * appt-move: reschedule an appointment under the rules of booking,
 * decided under the lock. A move into another month is safe from a
 * crash halfway (appt_months_move): the appointment is never lost.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

static const char *synopsis = "appt-move [-hV] [-d DIR] [-o FMT] "
    "[-w STAFF] [--force] [--no-notify] ID WHEN";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "no-notify", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	struct appt_people pp;
	struct appt_out out;
	struct appt_table *t;
	struct appt_row *r;
	struct appt_appt a;
	const struct appt_service *svc;
	const struct appt_staff *st;
	const char *dir = NULL, *ofmt = NULL, *staff = NULL, *status;
	char *oldstaff;
	const char *f[APPT_LIST_NCOL], *w[3];
	char why[512], b1[APPT_TIMELEN];
	long dur, before, after, id, cid;
	time_t now, start, ostart, oend;
	int ch, fmt, force = 0, nonotify = 0, same;

	appt_setprog(argv[0]);
	while ((ch = getopt_long(argc, argv, "d:ho:Vw:", longopts, NULL)) !=
	    -1)
		switch (ch) {
		case 'f': force = 1; break;
		case 'q': nonotify = 1; break;
		case 'w': staff = optarg; break;
		default: appt_opt(ch, optarg, synopsis, &dir, &ofmt);
		}
	argc -= optind;
	argv += optind;
	if (argc != 2)
		appt_usage(synopsis, 0);
	fmt = appt_out_arg(ofmt);
	if (appt_parse_id(argv[0], &id) < 0)
		appt_die(APPT_EUSAGE, "%s: not an appointment id", argv[0]);
	appt_check_arg("WHEN", argv[1]);
	appt_check_arg("-w", staff);
	appt_store_opendir(&s, dir);
	start = appt_arg_when("WHEN", argv[1], appt_now());
	appt_lock(&s);
	now = appt_now();
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	av = appt_avail_open(&s, cat, ms, now);
	if (!(r = appt_months_find(ms, argv[0], NULL, &t)))
		appt_die(APPT_EFAIL, "%s: no such appointment", argv[0]);
	oldstaff = xstrdup(appt_get(t, r, "staff"));
	status = appt_get(t, r, "status");
	if (appt_status_final(status))
		appt_die(APPT_EFAIL, "appointment %ld is %s and cannot move",
		    id, status);
	if (!(svc = appt_service_find(cat, appt_get(t, r, "service"))))
		appt_die(APPT_EDATA, "%s:%ld: service '%s' is not in "
		    "services.csv", t->label, r->line, appt_get(t, r,
		    "service"));
	if (staff) {
		if (!(st = appt_staff_arg(cat, "-w", staff, why, sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
		staff = appt_staff_id(st);
	} else
		staff = oldstaff;	/* a copy: the row may go */
	appt_service_times(svc, &dur, &before, &after);
	/* Where it is already: nothing changes, no one is told. */
	same = appt_parse_iso(appt_get(t, r, "start"), &ostart) == 0 &&
	    ostart == start && appt_parse_iso(appt_get(t, r, "end"),
	    &oend) == 0 && oend == start + dur * 60 &&
	    !strcasecmp(oldstaff, staff);
	if (same) {
		appt_warn("appointment %ld is at %s with %s already; not "
		    "moved", id, appt_fmt_time(start, b1), staff);
		goto print;
	}
	if (appt_avail_check(av, svc, staff, start, force, id, why,
	    sizeof why))
		appt_die(APPT_EFAIL, "%s: %s; not moved", appt_fmt_time(start,
		    b1), why);
	/* Before the row may move: staff can point into it. */
	appt_set(t, r, "start", appt_fmt_time(start, b1));
	appt_set(t, r, "end", appt_fmt_time(start + dur * 60, b1));
	appt_set(t, r, "staff", staff);
	appt_appt_changed(t, r, now);
	appt_months_changed(ms, t);
	r = appt_months_move(ms, &t, r);
	appt_months_save(ms);
print:
	appt_appt_of(t, r, &a);
	if (appt_parse_id(a.customer, &cid) < 0)
		cid = 0;
	appt_people_want(&pp, &s, &cid, 1);
	appt_people_who(&pp, a.customer, w);
	appt_list_begin(&out, fmt);
	appt_list_fields(t, r, cat, w, "", f);
	appt_out_row(&out, f, 0);
	appt_out_end(&out);
	/* What still waits in the outbox names the old time. */
	if (!same)
		appt_notice_withdraw(&s, a.id);
	if (!same && !nonotify && appt_cfg_bool(&s.cfg, "notify:changes",
	    1)) {
		struct appt_notice notes = { 0 };

		appt_notify(&notes, &s, cat, "moved", &a, w, NULL);
		appt_notify(&notes, &s, cat, "staff-moved", &a, w, NULL);
		if (strcasecmp(oldstaff, staff)) {
			/* The one it leaves is told too. */
			a.staff = oldstaff;
			appt_notify(&notes, &s, cat, "staff-left", &a, w, NULL);
		}
		appt_unlock(&s);
		appt_notice_send(&notes, &s);
	}
	free(oldstaff);
	appt_people_free(&pp);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	appt_exit(0);
}
