/*
 * appt-report: how the business goes, over a range: no-shows and late
 * cancellations, utilisation of the working time, new, returning and
 * lapsed customers; by staff, service or period. lib/report.c works the
 * figures out; this prints them, with a bar for each row on a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"

#define BARW 20		/* columns of a bar, when the terminal has them */

static const char *synopsis = "appt-report [-hV] [-d DIR] [-o FMT] "
    "[-b staff|service|day|week|month] [-s SERVICE] [-w STAFF] "
    "[RANGE] no-shows|utilisation|customers|revenue";

/* What the bar of each report shows, as its column's name. */
static const char *const barname[] = {
	"no-shows", "utilisation", "new+returning", "revenue"
};

/* How a report's table gives way on a narrow terminal (appt_out_fit). */
static const char *const fitspec[] = {
	"cancelled late_cancellations late_cancellation_pct appointments | "
	    "range staff service day week month name:12 no_shows no_show_pct "
	    "no-shows:8",
	"working_minutes booked_minutes | range staff service day week month "
	    "name:12 utilisation_pct utilisation:8",
	"lapsed customers | range staff service day week month name:12 new "
	    "returning new+returning:8",
	"paid open | range staff service day week month name:12 invoiced "
	    "revenue:8",
};

/*
 * A bar of w columns at most for solid (then shaded) out of scale: one
 * part alone in eighths of a column, two in whole columns, the solid
 * part in full blocks and the shaded one in medium shade.
 */
static char *
bar(long long solid, long long shaded, long long scale, size_t w)
{
	static const char *const eighth[] = {
		"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b",
		"\u258a", "\u2589"
	};
	struct appt_buf b = { 0 };
	long long n, ns, nt, i;

	if (scale <= 0 || solid < 0 || shaded < 0)
		return xstrdup("");
	if (!shaded) {
		n = (solid * (long long)w * 8 + scale / 2) / scale;
		if (n > (long long)w * 8)
			n = (long long)w * 8;
		for (i = 0; i < n / 8; i++)
			appt_buf_adds(&b, "\u2588");
		appt_buf_adds(&b, eighth[n % 8]);
	} else {
		ns = (solid * (long long)w + scale / 2) / scale;
		nt = ((solid + shaded) * (long long)w + scale / 2) / scale;
		if (nt > (long long)w)
			nt = (long long)w;
		for (i = 0; i < nt; i++)
			appt_buf_adds(&b, i < ns ? "\u2588" : "\u2592");
	}
	return b.s ? b.s : xstrdup("");
}

/* The columns a bar can have: what the terminal leaves of its width. */
static size_t
barwidth(const struct appt_report *r, size_t ncol, const char *const *col)
{
	size_t tw = appt_termwidth(), used = 0, w, i, j, n;
	const char *const *f;

	if (!tw)
		return BARW;
	for (j = 0; j < ncol; j++) {
		w = appt_width(col[j]);
		for (i = 0, n = appt_report_rows(r); i < n; i++) {
			f = appt_report_row(r, i);
			if (appt_width(f[j]) > w)
				w = appt_width(f[j]);
		}
		used += w + 2;
	}
	if (used + BARW <= tw)
		return BARW;
	return used + 8 <= tw ? tw - used : 8;
}

static void
print(const struct appt_report *r, int kind, int by, int fmt)
{
	const char *const *col, *const *f;
	const char *cells[32];
	struct appt_out out;
	long long solid, shaded, full, scale = 0;
	size_t ncol, n, i, j, w = 0;
	int bars = fmt == APPT_OUT_TABLE && isatty(STDOUT_FILENO);
	char *b;

	ncol = appt_report_cols(r, &col);
	n = appt_report_rows(r);
	for (j = 0; j < ncol && j < 31; j++)
		cells[j] = col[j];
	if (bars) {
		/* Counts are drawn against the largest group's. */
		for (i = 0; i < n; i++)
			if ((by == APPT_BY_NONE || i + 1 < n) &&
			    appt_report_bar(r, i, &solid, &shaded, &full) &&
			    solid + shaded > scale)
				scale = solid + shaded;
		cells[ncol] = barname[kind];
		w = barwidth(r, ncol, col);
	}
	appt_out_begin(&out, fmt, ncol + bars, cells);
	appt_out_fit(&out, fitspec[kind]);
	for (i = 0; i < n; i++) {
		f = appt_report_row(r, i);
		for (j = 0; j < ncol; j++)
			cells[j] = f[j];
		b = NULL;
		if (bars) {
			if (appt_report_bar(r, i, &solid, &shaded, &full) &&
			    (full || by == APPT_BY_NONE || i + 1 < n))
				b = bar(solid, shaded, full ? full : scale, w);
			cells[ncol] = b ? b : "";
		}
		appt_out_row(&out, cells, 0);
		free(b);
	}
	appt_out_end(&out);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_report *r;
	const struct appt_service *sv;
	const struct appt_staff *st;
	const char *dir = NULL, *ofmt = NULL, *byarg = NULL, *service = NULL;
	const char *staff = NULL, *range = "month", *what, *err;
	time_t from, to;
	char why[256];
	int c, fmt, kind, by = APPT_BY_NONE;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "b:d:ho:s:Vw:", longopts,
	    NULL)) != -1)
		switch (c) {
		case 'b': byarg = optarg; break;
		case 's': service = optarg; break;
		case 'w': staff = optarg; break;
		default: appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2)
		appt_usage(synopsis, 0);
	what = argv[argc - 1];
	if (argc == 2)
		range = argv[0];
	appt_check_arg("report", what);
	if ((kind = appt_report_kind(what)) < 0)
		appt_die(APPT_EUSAGE, "%s: not a report (no-shows, "
		    "utilisation, customers, revenue)", what);
	if (byarg && (by = appt_report_by(byarg)) < 0)
		appt_die(APPT_EUSAGE, "-b %s: not staff, service, day, week "
		    "or month", byarg);
	/* An invoice's total is not one staff member's or service's. */
	if (kind == APPT_REPORT_REVENUE && (staff || service))
		appt_die(APPT_EUSAGE, "revenue: no -%c: an invoice is for a "
		    "customer, not a staff member or service (try -b %s)",
		    staff ? 'w' : 's', staff ? "staff" : "service");
	fmt = appt_out_arg(ofmt);
	appt_check_arg("-s", service);
	appt_check_arg("-w", staff);
	appt_check_arg("range", range);
	appt_store_opendir(&s, dir);
	if (appt_parse_range(range, appt_now(), &from, &to, &err) < 0)
		appt_die(APPT_EUSAGE, "%s: %s", range, err);
	cat = appt_catalog_open(&s);
	if (service) {
		if (!(sv = appt_service_arg(cat, "-s", service, why,
		    sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
		service = appt_service_id(sv);
	}
	if (staff) {
		if (!(st = appt_staff_arg(cat, "-w", staff, why, sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
		staff = appt_staff_id(st);
	}
	r = appt_report_run(&s, cat, kind, by, from, to, staff, service);
	print(r, kind, by, fmt);
	appt_report_close(r);
	appt_catalog_close(cat);
	appt_store_close(&s);
	appt_exit(0);
}
