/*
 * appt-slots: the free start times of a range, by start and then staff,
 * by the same rules appt-book decides with. A booking widget calls it
 * with -o json.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis = "appt-slots [-hV] [-d DIR] [-o FMT] "
    "[-s SERVICE] [-w STAFF] [RANGE]";

static struct appt_out out;
static const char *svcid;

static int
emit(void *ctx, time_t start, time_t end, const char *staff)
{
	char a[APPT_TIMELEN], b[APPT_TIMELEN];
	const char *f[4];

	(void)ctx;
	f[0] = appt_fmt_time(start, a);
	f[1] = appt_fmt_time(end, b);
	f[2] = staff;
	f[3] = svcid;
	appt_out_row(&out, f, 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const char *cols[] = { "start", "end", "staff", "service" };
	struct appt_store s;
	struct appt_months *ms;
	struct appt_avail av;
	struct appt_row *svc = NULL, *st;
	const char *dir = NULL, *ofmt = NULL, *service = NULL, *staff = NULL;
	const char *range = "today", *err;
	time_t from, to;
	size_t i;
	char *d;
	int c, fmt;

	appt_setprog(argv[0]);
	while ((c = getopt(argc, argv, "d:ho:s:Vw:")) != -1)
		switch (c) {
		case 'd': dir = optarg; break;
		case 'h': appt_usage(synopsis, 1);
		case 'o': ofmt = optarg; break;
		case 's': service = optarg; break;
		case 'V': appt_version();
		case 'w': staff = optarg; break;
		default: appt_usage(synopsis, 0);
		}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		appt_usage(synopsis, 0);
	if (argc)
		range = argv[0];
	fmt = appt_out_arg(ofmt);
	appt_check_arg("-s", service);
	appt_check_arg("-w", staff);
	d = appt_datadir(dir);
	appt_store_open(&s, d);
	free(d);
	if (appt_parse_range(range, appt_now(), &from, &to, &err) < 0)
		appt_die(APPT_EUSAGE, "%s: %s", range, err);
	ms = appt_months_open(&s);
	appt_avail_open(&av, &s, ms);
	if (service && !(svc = appt_service(&av, service)))
		appt_die(APPT_EUSAGE, "-s %s: no such service", service);
	if (staff) {
		if (!(st = appt_staff(&av, staff)))
			appt_die(APPT_EUSAGE, "-w %s: no such staff member",
			    staff);
		staff = appt_get(&av.staff, st, "id");
		if (svc && !appt_staff_allowed(&av, svc, staff))
			appt_die(APPT_EFAIL, "%s does not do %s", staff,
			    appt_get(&av.services, svc, "name"));
	}
	appt_out_begin(&out, fmt, 4, cols);
	appt_out_fit(&out, "end | service staff start:17");
	for (i = 0; i < av.services.nrow; i++) {
		struct appt_row *r = &av.services.row[i];

		if (svc && r != svc)
			continue;
		svcid = appt_get(&av.services, r, "id");
		appt_avail_slots(&av, r, staff, from, to, emit, NULL);
	}
	appt_out_end(&out);
	appt_avail_close(&av);
	appt_months_close(ms);
	appt_store_close(&s);
	appt_exit(0);
}
