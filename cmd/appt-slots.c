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

/* Where the slots of a service go. */
struct emit {
	struct appt_out *out;
	const char *svcid;
};

static int
emit(void *ctx, time_t start, time_t end, const char *staff)
{
	const struct emit *e = ctx;
	char a[APPT_TIMELEN], b[APPT_TIMELEN];
	const char *f[4];

	f[0] = appt_fmt_time(start, a);
	f[1] = appt_fmt_time(end, b);
	f[2] = staff;
	f[3] = e->svcid;
	appt_out_row(e->out, f, 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const char *cols[] = { "start", "end", "staff", "service" };
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	struct appt_out out;
	struct emit e = { &out, NULL };
	const struct appt_service *svc = NULL, *v;
	const struct appt_staff *st;
	const char *dir = NULL, *ofmt = NULL, *service = NULL, *staff = NULL;
	const char *range, *err;
	time_t now = appt_now(), from, to;
	size_t i;
	char why[256];
	int c, fmt;

	appt_setprog(argv[0]);
	while ((c = getopt(argc, argv, "d:ho:s:Vw:")) != -1)
		switch (c) {
		case 's': service = optarg; break;
		case 'w': staff = optarg; break;
		default: appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	range = appt_operand(argc, argv, "today", synopsis);
	fmt = appt_out_arg(ofmt);
	appt_check_arg("-s", service);
	appt_check_arg("-w", staff);
	appt_store_opendir(&s, dir);
	if (appt_parse_range(range, now, &from, &to, &err) < 0)
		appt_die(APPT_EUSAGE, "%s: %s", range, err);
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	av = appt_avail_open(&s, cat, ms, now);
	if (service && !(svc = appt_service_arg(cat, "-s", service, why,
	    sizeof why)))
		appt_die(APPT_EUSAGE, "%s", why);
	if (staff) {
		if (!(st = appt_staff_arg(cat, "-w", staff, why, sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
		staff = appt_staff_id(st);
		if (svc && !appt_service_allows(svc, staff))
			appt_die(APPT_EFAIL, "%s does not do %s", staff,
			    appt_service_name(svc));
	}
	appt_out_begin(&out, fmt, 4, cols);
	appt_out_fit(&out, "end | service staff start:17");
	for (i = 0; i < appt_service_count(cat); i++) {
		v = appt_service_at(cat, i);
		if (svc && v != svc)
			continue;
		e.svcid = appt_service_id(v);
		appt_avail_slots(av, v, staff, from, to, emit, &e);
	}
	appt_out_end(&out);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	appt_exit(0);
}
