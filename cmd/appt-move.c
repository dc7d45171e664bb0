/*
 * appt-move: reschedule an appointment under the rules of booking,
 * decided under the lock. A move into another month is safe from a
 * crash halfway (appt_months_move): the appointment is never lost.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	const char *dir = NULL, *ofmt = NULL, *staff = NULL;
	const char *f[APPT_LIST_NCOL], *w[3];
	char why[512], oldstaff[1024];
	long id, cid;
	time_t now, start;
	int ch, fmt, force = 0, nonotify = 0, same, rc;

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
	switch ((rc = appt_move_change(ms, av, cat, &t, &r, staff, start,
	    force, now, oldstaff, sizeof oldstaff, why, sizeof why))) {
	case 0:
		appt_months_save(ms);
		break;
	case -1:
		appt_warn("%s", why);
		break;
	default:
		appt_die(rc, "%s", why);
	}
	same = rc == -1;
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

		appt_notify_moved(&notes, &s, cat, &a, w, oldstaff);
		appt_unlock(&s);
		appt_notice_send(&notes, &s);
	}
	appt_people_free(&pp);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	appt_exit(0);
}
