/* invoice.c: the arithmetic of invoices (EN 16931), in tables. */
#include <stdlib.h>

#include "appt.h"
#include "t.h"

/* One invoice: up to 4 lines (amount, rate; 0 rate with 0 amount ends). */
struct tcase {
	const char *what;
	int gross;
	long long amount[4];
	long rate[4];
	size_t n;
	/* Wanted: per rate, ascending, and the totals. */
	size_t nrate;
	struct appt_taxrate want[3];
	long long net, tax, total;
};

static const struct tcase cases[] = {
	{ "gross: per line would be 6 cents of tax, per rate it is 5", 1,
	    { 10, 10, 10 }, { 1900, 1900, 1900 }, 3,
	    1, { { 1900, 25, 5, 30 } }, 25, 5, 30 },
	{ "net: per line would be 3 cents of tax, per rate it is 2", 0,
	    { 3, 3, 3 }, { 1900, 1900, 1900 }, 3,
	    1, { { 1900, 9, 2, 11 } }, 9, 2, 11 },
	{ "gross: two rates, each rounded once", 1,
	    { 4500, 1250 }, { 1900, 700 }, 2,
	    2, { { 700, 1168, 82, 1250 }, { 1900, 3782, 718, 4500 } },
	    4950, 800, 5750 },
	{ "gross: lines of one rate summed across other rates", 1,
	    { 10, 1000, 10, 10 }, { 1900, 700, 1900, 1900 }, 4,
	    2, { { 700, 935, 65, 1000 }, { 1900, 25, 5, 30 } },
	    960, 70, 1030 },
	{ "net: half a cent rounds up", 0,
	    { 50 }, { 1900 }, 1,
	    1, { { 1900, 50, 10, 60 } }, 50, 10, 60 },
	{ "net credit note: half a cent rounds away from zero", 0,
	    { -50 }, { 1900 }, 1,
	    1, { { 1900, -50, -10, -60 } }, -50, -10, -60 },
	{ "gross credit note: the invoice negated", 1,
	    { -4500, -1250 }, { 1900, 700 }, 2,
	    2, { { 700, -1168, -82, -1250 }, { 1900, -3782, -718, -4500 } },
	    -4950, -800, -5750 },
	{ "0% (exempt): no tax, net is gross", 1,
	    { 4500, 1200 }, { 0, 0 }, 2,
	    1, { { 0, 5700, 0, 5700 } }, 5700, 0, 5700 },
	{ "0 minor digits (JPY), 10% gross", 1,
	    { 1000 }, { 1000 }, 1,
	    1, { { 1000, 909, 91, 1000 } }, 909, 91, 1000 },
	{ "0 minor digits (JPY), 10% net, per line would be 3 more", 0,
	    { 15, 15, 15 }, { 1000, 1000, 1000 }, 3,
	    1, { { 1000, 45, 5, 50 } }, 45, 5, 50 },
	{ "3 minor digits (KWD), 5% net, half a fils rounds up", 0,
	    { 1010 }, { 500 }, 1,
	    1, { { 500, 1010, 51, 1061 } }, 1010, 51, 1061 },
	{ "3 minor digits (KWD), 5% gross", 1,
	    { 1005, 1005 }, { 500, 500 }, 2,
	    1, { { 500, 1914, 96, 2010 } }, 1914, 96, 2010 },
	{ "7.5% net", 0,
	    { 1000 }, { 750 }, 1,
	    1, { { 750, 1000, 75, 1075 } }, 1000, 75, 1075 },
	{ "no lines", 1, { 0 }, { 0 }, 0, 0, { { 0 } }, 0, 0, 0 },
};

static void
onecase(const struct tcase *c)
{
	struct appt_taxline l[4] = { { 0 } };
	struct appt_taxrate r[4], sum;
	long long ln = 0, lt = 0, lg = 0;
	size_t i, nr;
	int same;

	for (i = 0; i < c->n; i++) {
		l[i].amount = c->amount[i];
		l[i].rate = c->rate[i];
	}
	nr = appt_tax_compute(l, c->n, c->gross, r, &sum);
	same = nr == c->nrate;
	for (i = 0; same && i < nr; i++)
		same = r[i].rate == c->want[i].rate &&
		    r[i].net == c->want[i].net && r[i].tax == c->want[i].tax &&
		    r[i].gross == c->want[i].gross;
	ok(same, "%s: per rate", c->what);
	if (!same)
		for (i = 0; i < nr; i++)
			printf("#   rate %ld: net %lld tax %lld gross %lld\n",
			    r[i].rate, r[i].net, r[i].tax, r[i].gross);
	ok(sum.net == c->net && sum.tax == c->tax && sum.gross == c->total,
	    "%s: totals %lld + %lld = %lld (got %lld + %lld = %lld)",
	    c->what, c->net, c->tax, c->total, sum.net, sum.tax, sum.gross);
	for (i = 0; i < c->n; i++) {
		ln += l[i].net;
		lt += l[i].tax;
		lg += l[i].gross;
	}
	ok(ln == sum.net && lt == sum.tax && lg == sum.gross &&
	    (c->n == 0 || l[0].net + l[0].tax == l[0].gross),
	    "%s: the lines' shares add up", c->what);
}

static const struct {
	long long num, den, want;
} divs[] = {
	{ 5, 2, 3 }, { -5, 2, -3 }, { 4, 3, 1 }, { -4, 3, -1 },
	{ 5, 3, 2 }, { -5, 3, -2 }, { 0, 7, 0 }, { 7, -2, -4 },
	{ 15, 10, 2 }, { 14, 10, 1 }, { -15, 10, -2 }, { -14, 10, -1 },
};

static const struct {
	const char *fmt;
	int year;
	long n;
	const char *want;	/* NULL: refused */
} nums[] = {
	{ "INV-%Y-%04n", 2026, 1, "INV-2026-0001" },
	{ "INV-%Y-%04n", 2027, 12345, "INV-2027-12345" },
	{ "%n", 2026, 12, "12" },
	{ "R%%%n", 2026, 5, "R%5" },
	{ "%Y%06n", 2026, 42, "2026000042" },
	{ "INV-%Y", 2026, 1, NULL },
	{ "%x%n", 2026, 1, NULL },
	{ "A/%n", 2026, 1, NULL },
	{ "%n%", 2026, 1, NULL },
};

int
main(void)
{
	size_t i;
	char buf[64], *got;
	long long v = 0;
	long rate = 0;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		onecase(&cases[i]);
	for (i = 0; i < sizeof divs / sizeof divs[0]; i++)
		ok(appt_div_round(divs[i].num, divs[i].den) == divs[i].want,
		    "%lld / %lld rounds to %lld", divs[i].num, divs[i].den,
		    divs[i].want);
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		int r = appt_invoice_number(nums[i].fmt, nums[i].year,
		    nums[i].n, buf, sizeof buf);

		got = r < 0 ? NULL : buf;
		if (nums[i].want)
			is(got, nums[i].want, "number %s", nums[i].fmt);
		else
			ok(!got, "number %s refused", nums[i].fmt);
	}
	ok(appt_invoice_yearly("INV-%Y-%04n"), "%%Y is yearly");
	ok(!appt_invoice_yearly("INV-%04n"), "no %%Y: one series");
	ok(!appt_invoice_yearly("INV-%%Y-%n"), "%%%%Y is not the year");

	ok(appt_rate_parse("19", &rate) == 0 && rate == 1900, "rate 19");
	ok(appt_rate_parse("7.5", &rate) == 0 && rate == 750, "rate 7.5");
	ok(appt_rate_parse("0", &rate) == 0 && rate == 0, "rate 0");
	ok(appt_rate_parse("100", &rate) == 0 && rate == 10000, "rate 100");
	ok(appt_rate_parse("100.01", &rate) < 0, "rate 100.01 refused");
	ok(appt_rate_parse("-1", &rate) < 0, "rate -1 refused");
	ok(appt_rate_parse("7.125", &rate) < 0, "rate 7.125 refused");
	ok(appt_rate_parse("19%", &rate) < 0, "rate 19%% refused");
	is(appt_rate_fmt(750, buf), "7.5", "rate 7.5 written");
	is(appt_rate_fmt(1900, buf), "19", "rate 19 written");
	is(appt_rate_fmt(725, buf), "7.25", "rate 7.25 written");

	ok(appt_qty_parse("1.5", &v) == 0 && v == 1500, "qty 1.5");
	ok(appt_qty_parse("0", &v) < 0, "qty 0 refused");
	ok(appt_qty_parse("-1", &v) < 0, "qty -1 refused");
	ok(appt_qty_parse("1.0005", &v) < 0, "qty 1.0005 refused");
	ok(appt_qty_parse("two", &v) < 0, "qty two refused");
	is(appt_qty_fmt(1500, buf), "1.5", "qty 1.5 written");
	is(appt_qty_fmt(2000, buf), "2", "qty 2 written");
	is(appt_qty_fmt(125, buf), "0.125", "qty 0.125 written");
	ok(appt_line_amount(1500, 3334, &v) == 0 && v == 5001,
	    "1.5 × 33.34 = 50.01");
	ok(appt_line_amount(1500, 3333, &v) < 0,
	    "1.5 × 33.33 is not a whole number of cents");
	ok(appt_line_amount(2000, -4500, &v) == 0 && v == -9000,
	    "2 × -45.00 = -90.00");
	return done();
}
