/*
 * appt-invoice: invoices, credit notes and payments.
 *
 * Nothing issued is ever changed: new and void append an invoice or a
 * credit note with the next number of one gapless series, taken under
 * the lock; pay appends a payment. What an invoice shows (text, HTML,
 * PDF through [invoice] pdf, CSV, JSON), what send mails and what
 * ledger prints are all made from the same figures: lib/invoice.c sums
 * the lines per rate and computes each rate's tax once (EN 16931).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis =
    "appt-invoice [-hV] [-d DIR] [-o FMT] new ID... "
    "[--item \"DESC;QTY;PRICE[;TAX]\"]... [--date DATE]\n"
    "       appt-invoice [-d DIR] [-o FMT] new -c CUSTOMER "
    "--item \"DESC;QTY;PRICE[;TAX]\"... [--date DATE]\n"
    "       appt-invoice [-d DIR] [-o FMT] list [RANGE] [--unpaid] "
    "[-c CUSTOMER]\n"
    "       appt-invoice [-d DIR] [-o text|html|pdf|csv|json] show NUMBER\n"
    "       appt-invoice [-d DIR] [-o FMT] pay NUMBER AMOUNT "
    "[--method cash|card|transfer|other] [--date DATE] [--note T]\n"
    "       appt-invoice [-d DIR] [-o FMT] void NUMBER [--reason T]\n"
    "       appt-invoice [-d DIR] send NUMBER [--again]\n"
    "       appt-invoice [-d DIR] ledger [RANGE]";

enum { O_ITEM = 0x100, O_DATE, O_UNPAID, O_METHOD, O_NOTE, O_REASON,
    O_AGAIN };

static const struct option longopts[] = {
	{ "item", required_argument, NULL, O_ITEM },
	{ "date", required_argument, NULL, O_DATE },
	{ "unpaid", no_argument, NULL, O_UNPAID },
	{ "method", required_argument, NULL, O_METHOD },
	{ "note", required_argument, NULL, O_NOTE },
	{ "reason", required_argument, NULL, O_REASON },
	{ "again", no_argument, NULL, O_AGAIN },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	const char *dir, *fmt, *customer, *date, *method, *note, *reason;
	char **item;
	size_t nitem;
	int unpaid, again;
};

static void
options(struct opts *o, int argc, char *argv[], const char *optstring)
{
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		switch (c) {
		case 'c':
			appt_check_arg("-c", optarg);
			o->customer = optarg;
			break;
		case 'o':
			o->fmt = optarg;
			break;
		case O_ITEM:
			o->item = xreallocarray(o->item, o->nitem + 1,
			    sizeof *o->item);
			o->item[o->nitem++] = optarg;
			break;
		case O_DATE:
			o->date = optarg;
			break;
		case O_UNPAID:
			o->unpaid = 1;
			break;
		case O_METHOD:
			o->method = optarg;
			break;
		case O_NOTE:
			appt_check_arg("--note", optarg);
			o->note = optarg;
			break;
		case O_REASON:
			appt_check_arg("--reason", optarg);
			o->reason = optarg;
			break;
		case O_AGAIN:
			o->again = 1;
			break;
		default:
			appt_opt(c, optarg, synopsis, &o->dir, NULL);
		}
}

/* ---- figures ---------------------------------------------------------- */

/* One invoice or credit note with its lines, worked out. */
struct doc {
	struct appt_invoices iv;
	struct appt_row *r;		/* its row of iv.inv */
	struct appt_table lines;
	struct appt_taxline *tl;	/* by line */
	long long *qty, *price;
	struct appt_taxrate *rate, sum;
	size_t nrate;
	int digits, gross;
	long long paid, balance;
	const char *status, *currency;
};

static const char *
get(const struct doc *d, const char *col)
{
	return appt_get(&d->iv.inv, d->r, col);
}

/* The figures of lines t (the invoice's digits and basis). */
static void
figure(struct doc *d)
{
	struct appt_table *t = &d->lines;
	size_t i, n = t->nrow;

	d->tl = xcalloc(n + 1, sizeof *d->tl);
	d->qty = xcalloc(n + 1, sizeof *d->qty);
	d->price = xcalloc(n + 1, sizeof *d->price);
	d->rate = xcalloc(n + 1, sizeof *d->rate);
	for (i = 0; i < n; i++) {
		const struct appt_row *l = &t->row[i];

		if (appt_qty_parse(appt_get(t, l, "qty"), &d->qty[i]) < 0 ||
		    appt_money_parse(appt_get(t, l, "price"), d->digits,
		    &d->price[i]) < 0 ||
		    appt_rate_parse(appt_get(t, l, "tax"), &d->tl[i].rate) <
		    0 || appt_line_amount(d->qty[i], d->price[i],
		    &d->tl[i].amount) < 0)
			appt_die(APPT_EDATA, "%s:%ld: not a line of qty, price "
			    "and tax (appt-check says more)",
			    appt_row_label(t, l), l->line);
	}
	d->nrate = appt_tax_compute(d->tl, n, d->gross, d->rate, &d->sum);
}

/*
 * Read invoice number with its lines and payments; exit 1 if none. Only
 * the rows that name it, and the credit notes, are parsed unless whole.
 */
static void
docopen(struct doc *d, const struct appt_store *s, const char *number,
    int whole)
{
	const char *needles[] = { number, NULL };

	memset(d, 0, sizeof *d);
	appt_check_arg("NUMBER", number);
	appt_invoices_read_some(&d->iv, s, whole ? NULL : needles, 1, 0);
	if (!(d->r = appt_invoice_find(&d->iv, number)))
		appt_die(APPT_EFAIL, "%s: no such invoice", number);
	d->digits = appt_invoice_digits(&d->iv, d->r);
	d->gross = strcmp(get(d, "prices"), "net") != 0;
	d->currency = get(d, "currency");
	if (!*d->currency)
		d->currency = appt_cfg(&s->cfg, "business:currency", "EUR");
	appt_invoice_lines(s, number, appt_invoice_year(get(d, "date")),
	    &d->lines);
	figure(d);
	d->paid = appt_invoice_paid(&d->iv, number, d->digits);
	d->status = appt_invoice_status(&d->iv, d->r, d->paid, &d->balance);
}

static void
docclose(struct doc *d)
{
	appt_table_free(&d->lines);
	appt_invoices_free(&d->iv);
	free(d->tl);
	free(d->qty);
	free(d->price);
	free(d->rate);
}

static char *
money(const struct doc *d, long long v, char buf[32])
{
	return appt_money_fmt(v, d->digits, buf);
}

/* "23 November 2026" of a YYYY-MM-DD date, as it is if not one. */
static char *
longdate(const char *iso, char *buf, size_t n)
{
	static const char *mo[] = { "January", "February", "March", "April",
	    "May", "June", "July", "August", "September", "October",
	    "November", "December" };
	int y, m, d;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		snprintf(buf, n, "%s", iso);
	else
		snprintf(buf, n, "%d %s %d", d, mo[m - 1], y);
	return buf;
}

/* ---- list and new ----------------------------------------------------- */

static int
outfmt(const struct opts *o)
{
	return appt_out_parse(o->fmt) < 0 ? appt_out_arg(o->fmt) :
	    appt_out_parse(o->fmt);
}

static void
printlist(const struct appt_invlist *l, int fmt)
{
	struct appt_out out;
	size_t i;

	appt_out_begin(&out, fmt, APPT_INVLIST_NCOL, appt_invlist_cols);
	appt_out_fit(&out, "appointments customer due net tax paid | "
	    "customer_name:12 date total");
	for (i = 0; i < l->n; i++)
		appt_out_row(&out, (const char *const *)l->row[i], 0);
	appt_out_end(&out);
}

/* The rows of list for these invoices, after they were written. */
static void
printnums(const struct appt_store *s, const char *const *nums, size_t n,
    int fmt)
{
	/* nums is NULL-ended for the needles of the read. */
	struct appt_invoices iv;
	struct appt_invlist l, some = { 0 };
	size_t i, k;

	appt_invoices_read_some(&iv, s, nums, 1, 0);
	appt_invoice_list(&iv, NULL, 0, 0, 0, &l);
	some.row = xcalloc(n + 1, sizeof *some.row);
	for (i = 0; i < l.n; i++)
		for (k = 0; k < n; k++)
			if (!strcmp(l.row[i][0], nums[k]))
				memcpy(some.row[some.n++], l.row[i],
				    sizeof *l.row);
	printlist(&some, fmt);
	free(some.row);
	appt_invlist_free(&l);
	appt_invoices_free(&iv);
}

static void
printone(const struct appt_store *s, const char *number, int fmt)
{
	const char *nums[2] = { number, NULL };

	printnums(s, nums, 1, fmt);
}

/* A date option: the day it names, as YYYY-MM-DD. */
static void
dayarg(const char *what, const char *s, time_t now, char out[16])
{
	time_t from, to;
	const char *err;
	int y, m, d;

	if (appt_parse_range(s, now, &from, &to, &err) < 0 ||
	    to - from > 25 * 3600)
		appt_die(APPT_EUSAGE, "%s %s: not a date (YYYY-MM-DD, today, "
		    "yesterday)", what, s);
	appt_local(from, &y, &m, &d, NULL, NULL);
	snprintf(out, 16, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

static void
list(const struct appt_store *s, const struct opts *o, const char *range)
{
	struct appt_invoices iv;
	struct appt_invlist l;
	struct appt_table c;
	struct appt_row *cr = NULL;
	time_t from, to, now = appt_now();
	const char *err;
	int y;

	if (range && !strcmp(range, "all"))
		from = to = 0;
	else if (range && strlen(range) == 4 && strspn(range, "0123456789")
	    == 4) {
		y = atoi(range);
		from = appt_day_start(y, 1, 1);
		to = appt_day_start(y + 1, 1, 1);
	} else if (range) {
		if (appt_parse_range(range, now, &from, &to, &err) < 0)
			appt_die(APPT_EUSAGE, "%s: %s", range, err);
	} else {
		appt_local(now, &y, NULL, NULL, NULL, NULL);
		from = appt_day_start(y, 1, 1);
		to = appt_day_start(y + 1, 1, 1);
	}
	if (o->customer) {
		appt_load(s, &c, "customers.csv");
		if (!(cr = appt_customer_find(s, &c, o->customer)))
			appt_die(APPT_EFAIL, "-c %s: no such customer",
			    o->customer);
	}
	/*
	 * The years of the range on: an invoice's payments are beside it,
	 * its credit note in its year or after.
	 */
	if (from != to)
		appt_local(from, &y, NULL, NULL, NULL, NULL);
	appt_invoices_read_some(&iv, s, NULL, 1, from != to ? y : 0);
	appt_invoice_list(&iv, cr ? appt_get(&c, cr, "id") : NULL, from, to,
	    o->unpaid, &l);
	printlist(&l, outfmt(o));
	appt_invlist_free(&l);
	appt_invoices_free(&iv);
	if (cr)
		appt_table_free(&c);
}

/* An --item: "DESC;QTY;PRICE[;TAX]" into a line row; exit 2 if bad. */
static void
item(const struct appt_store *s, const char *arg, struct appt_table *L,
    const char *date, long dflt)
{
	char *a = xstrdup(arg), *f[5], *p = a, buf[32];
	size_t n = 0;
	long long qty, price, amt;
	long rate = dflt;
	struct appt_row *r;

	appt_check_arg("--item", arg);
	while (n < 5 && p) {
		f[n++] = p;
		if ((p = strchr(p, ';')))
			*p++ = '\0';
	}
	if (n < 3 || n > 4)
		appt_die(APPT_EUSAGE, "--item '%s': not DESC;QTY;PRICE[;TAX]",
		    arg);
	if (appt_empty(f[0]) || !f[0][strspn(f[0], " ")])
		appt_die(APPT_EUSAGE, "--item '%s': no description", arg);
	if (appt_qty_parse(f[1], &qty) < 0)
		appt_die(APPT_EUSAGE, "--item '%s': quantity '%s' is not a "
		    "number above 0 with at most 3 decimals", arg, f[1]);
	if (appt_money_parse(f[2], s->digits, &price) < 0 || price < 0)
		appt_die(APPT_EUSAGE, "--item '%s': price '%s' is not an "
		    "amount of 0 or more with %d decimals at most", arg, f[2],
		    s->digits);
	if (n == 4 && appt_rate_parse(f[3], &rate) < 0)
		appt_die(APPT_EUSAGE, "--item '%s': tax '%s' is not a "
		    "percentage from 0 to 100 (19, 7.5)", arg, f[3]);
	if (appt_line_amount(qty, price, &amt) < 0)
		appt_die(APPT_EUSAGE, "--item '%s': %s × %s is not a whole "
		    "amount of the currency", arg, f[1], f[2]);
	r = appt_table_add(L);
	appt_set(L, r, "date", date);
	appt_set(L, r, "description", f[0]);
	appt_set(L, r, "qty", appt_qty_fmt(qty, buf));
	appt_set(L, r, "price", appt_money_fmt(price, s->digits, buf));
	appt_set(L, r, "tax", appt_rate_fmt(rate, buf));
	free(a);
}

/* Is appointment id on an invoice no credit note cancelled? Its number. */
static const char *
invoiced(const struct appt_invoices *iv, const char *id)
{
	size_t i;

	for (i = 0; i < iv->inv.nrow; i++) {
		const struct appt_row *r = &iv->inv.row[i];

		if (strcmp(appt_get(&iv->inv, r, "type"), "invoice") ||
		    !appt_word_in(appt_get(&iv->inv, r, "appointments"), " ",
		    id, 0))
			continue;
		if (!appt_invoice_voided(iv, appt_get(&iv->inv, r, "number")))
			return appt_get(&iv->inv, r, "number");
	}
	return NULL;
}

/* The next number for a date of issue; exit 3 if the format is bad. */
static void
number(const struct appt_store *s, const char *date, char *buf, size_t n)
{
	const char *fmt = appt_cfg(&s->cfg, "invoice:number", "INV-%Y-%04n");

	if (appt_invoice_next(s, fmt, atoi(date), buf, n) < 0)
		appt_die(APPT_EDATA, "config.ini:%ld: invoice:number: '%s' "
		    "makes no number (%%Y, %%n, %%04n and text without /)",
		    appt_cfg_line(&s->cfg, "invoice:number"), fmt);
}

/* Exit 3 if number is in use: iv holds every row that names it. */
static void
unused(struct appt_invoices *iv, const char *number)
{
	struct appt_row *r = appt_invoice_find(iv, number);

	if (r)
		appt_die(APPT_EDATA, "%s:%ld: number %s exists already: was "
		    "[invoice] number changed this year?",
		    appt_row_label(&iv->inv, r), r->line, number);
}

static void
newinv(struct appt_store *s, const struct opts *o, int argc, char *argv[])
{
	struct appt_invoices iv;
	struct appt_months *ms;
	struct appt_table I, L, X, sv, c, *t;
	char **needles;
	struct appt_row *r, *ir, *cr = NULL;
	struct appt_catalog *cat;
	struct appt_buf ids = { 0 };
	time_t now = appt_now();
	char date[16], due[16], num[256], made[APPT_TIMELEN], buf[32];
	const char *cust = NULL, *on;
	long id, dflt, duemin, *aid;
	int i, y, m, d, gross, since;
	size_t k;
	const char *prices = appt_cfg(&s->cfg, "invoice:prices", "gross");

	if (!argc && !o->customer)
		appt_die(APPT_EUSAGE, "new: appointment ids or -c CUSTOMER");
	if (o->customer && !o->nitem && !argc)
		appt_die(APPT_EUSAGE, "new -c %s: --item is required",
		    o->customer);
	for (i = 0; i < argc; i++)
		if (appt_parse_id(argv[i], &id) < 0)
			appt_die(APPT_EUSAGE, "%s: not an appointment id",
			    argv[i]);
	gross = strcmp(prices, "net") != 0;
	dflt = appt_invoice_tax(s);
	duemin = appt_cfg_dur(&s->cfg, "invoice:due", "14d");
	if (o->date)
		dayarg("--date", o->date, now, date);
	else
		dayarg("--date", "today", now, date);
	appt_table_init(&I, "", "invoices.csv", appt_invoice_cols);
	appt_table_init(&L, "", "invoice-lines.csv", appt_invline_cols);
	appt_table_init(&X, "", "invoice-lines.csv", appt_invline_cols);
	/* The items first: a bad one is refused before anything is read. */
	for (k = 0; k < o->nitem; k++)
		item(s, o->item[k], &X, date, dflt);
	/*
	 * The number first, from a count of this year's invoices; then only
	 * the rows that can matter: the number's (in use?) and the
	 * appointments' (already invoiced?), from this year's place on, so
	 * that issuing does not cost more with years of invoices. The
	 * years before are read only if their indexes name one of the
	 * appointments; all of them for a series that runs on.
	 */
	appt_lock(s);
	number(s, date, num, sizeof num);
	needles = xcalloc((size_t)argc + 2, sizeof *needles);
	aid = xcalloc((size_t)argc + 1, sizeof *aid);
	needles[0] = xstrdup(num);
	for (i = 0; i < argc; i++) {
		appt_parse_id(argv[i], &aid[i]);
		needles[i + 1] = xasprintf("%ld", aid[i]);
	}
	since = appt_invoice_yearly(appt_cfg(&s->cfg, "invoice:number",
	    "INV-%Y-%04n")) && !appt_invoice_named_before(s, atoi(date), aid,
	    (size_t)argc) ? atoi(date) : 0;
	appt_invoices_read_some(&iv, s, (const char *const *)needles, 0,
	    since);
	unused(&iv, num);
	free(aid);
	appt_strv_free(needles, (size_t)argc + 1);
	appt_load(s, &c, "customers.csv");
	if (o->customer) {
		if (!(cr = appt_customer_find(s, &c, o->customer)))
			appt_die(APPT_EFAIL, "-c %s: no such customer",
			    o->customer);
		cust = appt_get(&c, cr, "id");
	}
	appt_load(s, &sv, "services.csv");
	cat = appt_catalog_open(s);
	ms = appt_months_open(s);
	for (i = 0; i < argc; i++) {
		const char *st, *a;

		if (!(r = appt_months_find(ms, argv[i], NULL, &t)))
			appt_die(APPT_EFAIL, "appointment %s: no such "
			    "appointment", argv[i]);
		a = appt_get(t, r, "id");
		if (appt_word_in(ids.s ? ids.s : "", " ", a, 0))
			appt_die(APPT_EUSAGE, "appointment %s: named twice",
			    a);
		if ((on = invoiced(&iv, a)))
			appt_die(APPT_EFAIL, "appointment %s: on invoice %s "
			    "already (void that first)", a, on);
		if (cust && strcmp(cust, appt_get(t, r, "customer")))
			appt_die(APPT_EFAIL, "appointment %s: of customer %s, "
			    "not %s: one invoice is for one customer", a,
			    appt_get(t, r, "customer"), cust);
		cust = appt_get(t, r, "customer");
		appt_buf_addf(&ids, "%s%s", ids.len ? " " : "", a);
		st = appt_get(t, r, "status");
		/* A cancelled or no-show appointment gets no service line. */
		if (!strcmp(st, "cancelled") || !strcmp(st, "no-show"))
			continue;
		appt_invoice_appt_line(s, cat, &sv, t, r, dflt, &L);
	}
	/* The items after the service lines. */
	for (k = 0; k < X.nrow; k++) {
		size_t j;

		ir = appt_table_add(&L);
		for (j = 0; j < X.ncol; j++)
			appt_set(&L, ir, X.col[j], X.row[k].f[j]);
	}
	if (!L.nrow)
		appt_die(APPT_EFAIL, "nothing to invoice: a cancelled or "
		    "no-show appointment has no service line; add --item "
		    "(a fee)");
	for (k = 0; k < c.nrow && strcmp(appt_get(&c, &c.row[k], "id"),
	    cust); k++)
		;
	if (k == c.nrow)
		appt_die(APPT_EDATA, "customer %s: not in customers.csv",
		    cust);
	ir = appt_table_add(&I);
	appt_set(&I, ir, "number", num);
	appt_set(&I, ir, "type", "invoice");
	appt_set(&I, ir, "date", date);
	appt_set(&I, ir, "customer", cust);
	appt_set(&I, ir, "appointments", ids.s ? ids.s : "");
	{
		time_t t0;

		appt_parse_stamp(date, 0, &t0);
		appt_local(t0 + duemin * 60 + 43200, &y, &m, &d, NULL, NULL);
		snprintf(due, sizeof due, "%04d-%02d-%02d", y % 10000,
		    m % 100, d % 100);
	}
	appt_set(&I, ir, "due", due);
	appt_set(&I, ir, "currency", appt_cfg(&s->cfg, "business:currency",
	    "EUR"));
	appt_set(&I, ir, "prices", gross ? "gross" : "net");
	appt_set(&I, ir, "created", appt_fmt_time(now, made));
	appt_invoice_issue(s, &I, &L);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_table_free(&sv);
	appt_invoices_free(&iv);
	appt_buf_free(&ids);
	appt_unlock(s);
	{
		/* Its row of list, from what was written: nothing is paid. */
		struct appt_invlist one = { 0 };
		char *(*row)[APPT_INVLIST_NCOL] = xcalloc(1, sizeof *row);
		const char *cols[] = { "number", "date", "customer", NULL,
		    "appointments", "net", "tax", "total", NULL, "total", NULL,
		    "due" };
		long long tot = 0;

		for (k = 0; k < APPT_INVLIST_NCOL; k++)
			row[0][k] = (char *)(cols[k] ? appt_get(&I, &I.row[0],
			    cols[k]) : "");
		for (k = 0; k < c.nrow && strcmp(appt_get(&c, &c.row[k], "id"),
		    appt_get(&I, &I.row[0], "customer")); k++)
			;
		row[0][3] = k < c.nrow ? (char *)appt_get(&c, &c.row[k],
		    "name") : "";
		appt_money_parse(appt_get(&I, &I.row[0], "total"), s->digits,
		    &tot);
		row[0][8] = appt_money_fmt(0, s->digits, buf);
		row[0][10] = tot > 0 ? "open" : "paid";
		one.row = row;
		one.n = 1;
		printlist(&one, outfmt(o));
		free(row);
	}
	appt_table_free(&c);
	appt_table_free(&I);
	appt_table_free(&L);
	appt_table_free(&X);
}

/* ---- pay and void ----------------------------------------------------- */

static void
pay(struct appt_store *s, const struct opts *o, const char *nr,
    const char *amt)
{
	struct appt_invoices iv;
	struct appt_table P;
	struct appt_row *r, *p;
	const char *method = o->method ? o->method : "transfer", *st;
	char date[16], buf[32], buf2[32], made[APPT_TIMELEN];
	const char *needles[] = { nr, NULL };
	long long v, paid, bal;
	int dg;
	long id;

	appt_check_arg("NUMBER", nr);
	appt_check_arg("AMOUNT", amt);
	if (strcmp(method, "cash") && strcmp(method, "card") &&
	    strcmp(method, "transfer") && strcmp(method, "other"))
		appt_die(APPT_EUSAGE, "--method %s: not cash, card, transfer "
		    "or other", method);
	dayarg("--date", o->date ? o->date : "today", appt_now(), date);
	appt_lock(s);
	/* Of the invoices only its own and the credit notes are parsed. */
	appt_invoices_read_some(&iv, s, needles, 0, 0);
	/* Every payment: no id is handed out again. */
	appt_table_free(&iv.pay);
	appt_invoice_load(s, &iv.pay, "payments.csv", NULL, 0);
	if (!(r = appt_invoice_find(&iv, nr)))
		appt_die(APPT_EFAIL, "%s: no such invoice", nr);
	dg = appt_invoice_digits(&iv, r);
	if (appt_money_parse(amt, dg, &v) < 0 || v <= 0)
		appt_die(APPT_EUSAGE, "AMOUNT %s: not an amount above 0 with "
		    "%d decimals at most", amt, dg);
	paid = appt_invoice_paid(&iv, nr, dg);
	st = appt_invoice_status(&iv, r, paid, &bal);
	if (!strcmp(st, "credit"))
		appt_die(APPT_EFAIL, "%s: a credit note is not paid", nr);
	if (!strcmp(st, "void"))
		appt_die(APPT_EFAIL, "%s: void, cannot be paid", nr);
	if (v > bal)
		appt_die(APPT_EFAIL, "%s: %s is over the balance of %s", nr,
		    appt_money_fmt(v, dg, buf), appt_money_fmt(bal, dg, buf2));
	appt_table_init(&P, "", "payments.csv", appt_payment_cols);
	p = appt_table_add(&P);
	id = appt_next_id(s, "payments", &iv.pay);
	snprintf(buf, sizeof buf, "%ld", id);
	appt_set(&P, p, "id", buf);
	appt_set(&P, p, "invoice", nr);
	appt_set(&P, p, "date", date);
	appt_set(&P, p, "amount", appt_money_fmt(v, dg, buf));
	appt_set(&P, p, "method", method);
	appt_set(&P, p, "note", o->note ? o->note : "");
	appt_set(&P, p, "created", appt_fmt_time(appt_now(), made));
	appt_payment_write(s, appt_invoice_year(appt_get(&iv.inv, r, "date")),
	    &P);
	appt_table_free(&P);
	appt_invoices_free(&iv);
	appt_unlock(s);
	printone(s, nr, outfmt(o));
}

static void
voidinv(struct appt_store *s, const struct opts *o, const char *nr)
{
	struct doc d;
	struct appt_table I, L;
	struct appt_row *ir, *l;
	char date[16], num[256], buf[32], made[APPT_TIMELEN];
	size_t i, j;
	const char *keep[] = { "date", "description", "appointment", "service",
	    "qty", "tax" };

	appt_check_arg("NUMBER", nr);
	dayarg("--date", o->date ? o->date : "today", appt_now(), date);
	appt_lock(s);
	docopen(&d, s, nr, 1);
	if (!strcmp(d.status, "credit"))
		appt_die(APPT_EFAIL, "%s: a credit note cannot be voided", nr);
	if (!strcmp(d.status, "void"))
		appt_die(APPT_EFAIL, "%s: void already", nr);
	if (d.paid)
		appt_die(APPT_EFAIL, "%s: %s paid on it; a void invoice has no "
		    "payments", nr, money(&d, d.paid, buf));
	/* Its year's place or a later one: where list looks for it. */
	if (strcmp(date, get(&d, "date")) < 0)
		appt_die(APPT_EUSAGE, "--date %s: before %s's date, %s", date,
		    nr, get(&d, "date"));
	number(s, date, num, sizeof num);
	unused(&d.iv, num);
	appt_table_init(&I, "", "invoices.csv", appt_invoice_cols);
	appt_table_init(&L, "", "invoice-lines.csv", appt_invline_cols);
	ir = appt_table_add(&I);
	appt_set(&I, ir, "number", num);
	appt_set(&I, ir, "type", "credit");
	appt_set(&I, ir, "date", date);
	appt_set(&I, ir, "customer", get(&d, "customer"));
	appt_set(&I, ir, "appointments", get(&d, "appointments"));
	appt_set(&I, ir, "currency", get(&d, "currency"));
	appt_set(&I, ir, "prices", d.gross ? "gross" : "net");
	appt_set(&I, ir, "cancels", nr);
	appt_set(&I, ir, "reason", o->reason ? o->reason : "");
	appt_set(&I, ir, "created", appt_fmt_time(appt_now(), made));
	/* The same lines at negated prices: the tax negates exactly. */
	for (i = 0; i < d.lines.nrow; i++) {
		l = appt_table_add(&L);
		for (j = 0; j < sizeof keep / sizeof keep[0]; j++)
			appt_set(&L, l, keep[j], appt_get(&d.lines,
			    &d.lines.row[i], keep[j]));
		appt_set(&L, l, "price", money(&d, -d.price[i], buf));
	}
	appt_invoice_issue(s, &I, &L);
	docclose(&d);
	appt_unlock(s);
	{
		const char *both[] = { nr, num, NULL };

		printnums(s, both, 2, outfmt(o));
	}
	appt_table_free(&I);
	appt_table_free(&L);
}

/* ---- show ------------------------------------------------------------- */

/* Who is on the invoice: the business and the customer. */
struct who {
	const char *bname, *baddr, *bphone, *bemail, *taxid, *note;
	struct appt_people pp;
	const char *cname, *caddr, *cpost, *cemail;
};

static void
whoopen(struct who *w, const struct appt_store *s, const struct doc *d)
{
	long id = 0;

	w->bname = appt_cfg(&s->cfg, "business:name", "");
	w->baddr = appt_cfg(&s->cfg, "business:address", "");
	w->bphone = appt_cfg(&s->cfg, "business:phone", "");
	w->bemail = appt_cfg(&s->cfg, "business:email", "");
	w->taxid = appt_cfg(&s->cfg, "business:tax_id", "");
	w->note = appt_cfg(&s->cfg, "invoice:note", "");
	memset(&w->pp, 0, sizeof w->pp);
	appt_parse_id(get(d, "customer"), &id);
	appt_people_want(&w->pp, s, &id, 1);
	w->cname = appt_people_get(&w->pp, get(d, "customer"), APPT_P_NAME);
	w->caddr = appt_people_get(&w->pp, get(d, "customer"),
	    APPT_P_ADDRESS);
	w->cpost = appt_people_get(&w->pp, get(d, "customer"),
	    APPT_P_POSTCODE);
	w->cemail = appt_people_get(&w->pp, get(d, "customer"),
	    APPT_P_EMAIL);
}

static int
credit(const struct doc *d)
{
	return !strcmp(get(d, "type"), "credit");
}

/* s in w columns at least, left or right aligned, into b: never cut. */
static void
pad(struct appt_buf *b, const char *s, size_t w, int right)
{
	size_t n = appt_width(s);

	if (right)
		for (; n < w; n++)
			appt_buf_addc(b, ' ');
	appt_buf_adds(b, s);
	if (!right)
		for (; n < w; n++)
			appt_buf_addc(b, ' ');
}

/* Each payment of the invoice to fn. */
static void
payments(const struct doc *d, void (*fn)(void *, const struct doc *,
    const struct appt_table *, const struct appt_row *), void *ctx)
{
	const struct appt_table *P = &d->iv.pay;
	size_t i;

	for (i = 0; i < P->nrow; i++)
		if (!strcmp(appt_get(P, &P->row[i], "invoice"), get(d,
		    "number")))
			fn(ctx, d, P, &P->row[i]);
}

static void
textpay(void *ctx, const struct doc *d, const struct appt_table *P,
    const struct appt_row *p)
{
	struct appt_buf *b = ctx;
	char day[40];

	(void)d;
	appt_buf_addf(b, "  %s  %s  %s %s\n", longdate(appt_get(P, p, "date"),
	    day, sizeof day), appt_get(P, p, "method"), appt_get(P, p,
	    "amount"), d->currency);
}

static void
showtext(const struct appt_store *s, const struct doc *d, FILE *fp)
{
	struct who w;
	struct appt_buf b = { 0 };
	const struct appt_table *L = &d->lines;
	char day[40], a[32], q[32], r[16], lbl[64];
	size_t i;

	whoopen(&w, s, d);
	appt_buf_addf(&b, "%s\n", credit(d) ? "CREDIT NOTE" : "INVOICE");
	appt_buf_addf(&b, "\n%s\n", w.bname);
	if (*w.baddr)
		appt_buf_addf(&b, "%s\n", w.baddr);
	if (*w.bphone || *w.bemail)
		appt_buf_addf(&b, "%s%s%s\n", w.bphone, *w.bphone && *w.bemail ?
		    ", " : "", w.bemail);
	if (*w.taxid)
		appt_buf_addf(&b, "Tax ID: %s\n", w.taxid);
	appt_buf_addf(&b, "\nTo:\n%s\n", w.cname);
	if (*w.caddr || *w.cpost)
		appt_buf_addf(&b, "%s%s%s\n", w.caddr, *w.caddr && *w.cpost ?
		    ", " : "", w.cpost);
	appt_buf_addf(&b, "\n%-16s %s\n", credit(d) ? "Credit note no." :
	    "Invoice no.", get(d, "number"));
	appt_buf_addf(&b, "%-16s %s\n", "Date of issue", longdate(get(d,
	    "date"), day, sizeof day));
	if (credit(d))
		appt_buf_addf(&b, "%-16s %s\n", "Cancels invoice", get(d,
		    "cancels"));
	else
		appt_buf_addf(&b, "%-16s %s\n", "Due date", longdate(get(d,
		    "due"), day, sizeof day));
	appt_buf_addf(&b, "%-16s %s\n", "Customer no.", get(d, "customer"));
	if (credit(d) && *get(d, "reason"))
		appt_buf_addf(&b, "%-16s %s\n", "Reason", get(d, "reason"));
	appt_buf_adds(&b, "\n");
	pad(&b, "#", 3, 1);
	appt_buf_adds(&b, "  ");
	pad(&b, "Description", 28, 0);
	appt_buf_adds(&b, "  Date        ");
	pad(&b, "Qty", 5, 1);
	pad(&b, "Unit price", 12, 1);
	pad(&b, "Tax", 7, 1);
	pad(&b, d->gross ? "Amount" : "Net", 12, 1);
	appt_buf_adds(&b, "\n");
	for (i = 0; i < L->nrow; i++) {
		const struct appt_row *l = &L->row[i];

		pad(&b, appt_get(L, l, "line"), 3, 1);
		appt_buf_adds(&b, "  ");
		pad(&b, appt_get(L, l, "description"), 28, 0);
		appt_buf_adds(&b, "  ");
		pad(&b, appt_get(L, l, "date"), 10, 0);
		appt_buf_adds(&b, "  ");
		pad(&b, appt_qty_fmt(d->qty[i], q), 5, 1);
		pad(&b, money(d, d->price[i], a), 12, 1);
		snprintf(lbl, sizeof lbl, "%s%%", appt_rate_fmt(d->tl[i].rate,
		    r));
		pad(&b, lbl, 7, 1);
		pad(&b, money(d, d->tl[i].amount, a), 12, 1);
		appt_buf_adds(&b, "\n");
	}
	appt_buf_adds(&b, "\n");
	pad(&b, "Tax rate", 13, 1);
	pad(&b, "Net", 14, 1);
	pad(&b, "Tax", 14, 1);
	pad(&b, "Gross", 14, 1);
	appt_buf_adds(&b, "\n");
	for (i = 0; i < d->nrate; i++) {
		snprintf(lbl, sizeof lbl, "%s%%", appt_rate_fmt(
		    d->rate[i].rate, r));
		pad(&b, lbl, 13, 1);
		pad(&b, money(d, d->rate[i].net, a), 14, 1);
		pad(&b, money(d, d->rate[i].tax, a), 14, 1);
		pad(&b, money(d, d->rate[i].gross, a), 14, 1);
		appt_buf_adds(&b, "\n");
	}
	appt_buf_adds(&b, "\n");
	pad(&b, "Total net", 50, 1);
	pad(&b, money(d, d->sum.net, a), 16, 1);
	appt_buf_adds(&b, "\n");
	pad(&b, "Total tax", 50, 1);
	pad(&b, money(d, d->sum.tax, a), 16, 1);
	appt_buf_adds(&b, "\n");
	snprintf(lbl, sizeof lbl, "Total %s", d->currency);
	pad(&b, lbl, 50, 1);
	pad(&b, money(d, d->sum.gross, a), 16, 1);
	appt_buf_adds(&b, "\n");
	if (!credit(d)) {
		if (d->paid) {
			appt_buf_adds(&b, "\nPaid:\n");
			payments(d, textpay, &b);
		}
		appt_buf_adds(&b, "\n");
		if (!strcmp(d->status, "void"))
			appt_buf_adds(&b, "Void: cancelled by a credit note.\n");
		else
			appt_buf_addf(&b, "Balance due: %s %s by %s\n",
			    money(d, d->balance, a), d->currency,
			    longdate(get(d, "due"), day, sizeof day));
	}
	appt_buf_addf(&b, "\n%s\n", d->gross ? "Prices include tax." :
	    "Prices exclude tax.");
	if (*w.note)
		appt_buf_addf(&b, "%s\n", w.note);
	fputs(b.s, fp);
	appt_buf_free(&b);
	appt_people_free(&w.pp);
}

/* <tag class="c">text</tag> */
static void
el(struct appt_buf *b, const char *tag, const char *cls, const char *text)
{
	appt_buf_addf(b, "<%s%s%s%s>", tag, cls ? " class=\"" : "",
	    cls ? cls : "", cls ? "\"" : "");
	appt_html_esc(b, text);
	appt_buf_addf(b, "</%s>", tag);
}

static const char css[] =
    "@page{size:A4;margin:16mm 16mm 20mm}"
    "*{box-sizing:border-box}"
    "html{background:#eef0f3}"
    "body{margin:0;font:10pt/1.45 \"Helvetica Neue\",Helvetica,Arial,"
    "\"Liberation Sans\",\"DejaVu Sans\",sans-serif;color:#1f2933}"
    ".page{max-width:210mm;margin:24px auto;padding:18mm 16mm;"
    "background:#fff;box-shadow:0 1px 6px rgba(0,0,0,.12)}"
    "header{display:table;width:100%;border-bottom:2px solid #1f3a5f;"
    "padding-bottom:10px;margin-bottom:22px}"
    "header>div,header>h1,.parties>div{display:table-cell;"
    "vertical-align:top}"
    ".biz{font-size:16pt;font-weight:700;color:#1f3a5f}"
    ".from{font-size:8.5pt;color:#52606d;margin-top:2px}"
    "h1{margin:0;font-size:20pt;font-weight:300;letter-spacing:.12em;"
    "text-transform:uppercase;color:#1f3a5f;text-align:right}"
    ".parties{display:table;width:100%;margin-bottom:26px}"
    ".parties>div{width:55%}"
    ".label{font-size:7.5pt;text-transform:uppercase;letter-spacing:.08em;"
    "color:#7b8794;margin-bottom:3px}"
    ".to{font-size:10.5pt}.to .name{font-weight:700}"
    "table.meta{border-collapse:collapse;margin-left:auto}"
    "table.meta th{text-align:left;font-weight:400;color:#7b8794;"
    "padding:1px 14px 1px 0}table.meta td{text-align:right;"
    "font-weight:600}"
    "table.lines{width:100%;border-collapse:collapse;margin-bottom:18px}"
    "table.lines th{font-size:7.5pt;text-transform:uppercase;"
    "letter-spacing:.06em;color:#52606d;text-align:left;"
    "border-bottom:1px solid #9aa5b1;padding:6px 6px}"
    "table.lines td{padding:7px 6px;border-bottom:1px solid #e4e7eb;"
    "vertical-align:top}"
    "table.lines .n,table.lines .num{text-align:right;"
    "white-space:nowrap;font-variant-numeric:tabular-nums}"
    "table.lines td.n{color:#7b8794}"
    ".sums{display:table;width:100%}.sums>div{display:table-cell;"
    "vertical-align:top;width:50%}"
    "table.taxes{border-collapse:collapse;width:92%;font-size:8.5pt;"
    "color:#52606d}"
    "table.taxes th{font-size:7pt;text-transform:uppercase;"
    "letter-spacing:.06em;font-weight:400;text-align:left;"
    "border-bottom:1px solid #cbd2d9;padding:3px 6px}"
    "table.taxes td{padding:3px 6px;font-variant-numeric:tabular-nums}"
    "table.taxes .num{text-align:right}"
    "table.totals{border-collapse:collapse;width:100%}"
    "table.totals td{padding:3px 6px;text-align:right;"
    "font-variant-numeric:tabular-nums}"
    "table.totals td:first-child{color:#52606d;text-align:left}"
    "table.totals tr.total td{border-top:2px solid #1f3a5f;"
    "font-weight:700;font-size:12pt;color:#1f3a5f;padding-top:6px}"
    "table.totals tr.due td{font-weight:700;background:#f5f7fa}"
    ".notes{margin-top:26px;font-size:9pt;color:#3e4c59}"
    ".notes p{margin:0 0 6px}"
    ".stamp{display:inline-block;border:2px solid #b42318;color:#b42318;"
    "padding:2px 10px;font-weight:700;letter-spacing:.1em;"
    "text-transform:uppercase;margin-bottom:12px}"
    "footer{margin-top:34px;padding-top:8px;border-top:1px solid #e4e7eb;"
    "font-size:7.5pt;color:#7b8794;text-align:center}"
    "@media print{html{background:none}.page{margin:0;padding:0;"
    "box-shadow:none;max-width:none}tr{page-break-inside:avoid}}";

static void
htmlpay(void *ctx, const struct doc *d, const struct appt_table *P,
    const struct appt_row *p)
{
	struct appt_buf *b = ctx;
	char day[40], lbl[96];

	snprintf(lbl, sizeof lbl, "Paid %s (%s)", longdate(appt_get(P, p,
	    "date"), day, sizeof day), appt_get(P, p, "method"));
	appt_buf_adds(b, "<tr><td>");
	appt_html_esc(b, lbl);
	appt_buf_adds(b, "</td><td>");
	appt_html_esc(b, "-");
	appt_html_esc(b, appt_get(P, p, "amount"));
	appt_buf_addf(b, " %s</td></tr>", d->currency);
}

static void
sumrow(struct appt_buf *b, const char *cls, const char *label,
    const struct doc *d, long long v)
{
	char a[32];

	appt_buf_addf(b, "<tr%s%s%s><td>", cls ? " class=\"" : "",
	    cls ? cls : "", cls ? "\"" : "");
	appt_html_esc(b, label);
	appt_buf_adds(b, "</td><td>");
	appt_html_esc(b, money(d, v, a));
	appt_buf_adds(b, " ");
	appt_html_esc(b, d->currency);
	appt_buf_adds(b, "</td></tr>");
}

static char *
showhtml(const struct appt_store *s, const struct doc *d)
{
	struct who w;
	struct appt_buf b = { 0 };
	const struct appt_table *L = &d->lines;
	const char *kind = credit(d) ? "Credit note" : "Invoice";
	char day[40], a[32], q[32], r[16], lbl[96];
	size_t i;

	whoopen(&w, s, d);
	appt_buf_adds(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\"><meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\"><title>");
	appt_html_esc(&b, kind);
	appt_buf_adds(&b, " ");
	appt_html_esc(&b, get(d, "number"));
	appt_buf_adds(&b, " &#8211; ");
	appt_html_esc(&b, w.bname);
	appt_buf_addf(&b, "</title><style>%s</style></head>\n<body><div "
	    "class=\"page\">\n<header><div>", css);
	el(&b, "div", "biz", w.bname);
	appt_buf_adds(&b, "<div class=\"from\">");
	appt_html_esc(&b, w.baddr);
	if (*w.bphone || *w.bemail) {
		appt_buf_adds(&b, "<br>");
		appt_html_esc(&b, w.bphone);
		if (*w.bphone && *w.bemail)
			appt_buf_adds(&b, " &#183; ");
		appt_html_esc(&b, w.bemail);
	}
	if (*w.taxid) {
		appt_buf_adds(&b, "<br>Tax ID ");
		appt_html_esc(&b, w.taxid);
	}
	appt_buf_adds(&b, "</div></div>");
	el(&b, "h1", NULL, kind);
	appt_buf_adds(&b, "</header>\n<section class=\"parties\"><div "
	    "class=\"to\"><div class=\"label\">");
	appt_html_esc(&b, credit(d) ? "Credited to" : "Billed to");
	appt_buf_adds(&b, "</div>");
	el(&b, "div", "name", w.cname);
	if (*w.caddr)
		el(&b, "div", NULL, w.caddr);
	if (*w.cpost)
		el(&b, "div", NULL, w.cpost);
	if (*w.cemail)
		el(&b, "div", NULL, w.cemail);
	appt_buf_adds(&b, "</div><div><table class=\"meta\">");
	snprintf(lbl, sizeof lbl, "%s no.", kind);
	appt_buf_adds(&b, "<tr>");
	el(&b, "th", NULL, lbl);
	el(&b, "td", NULL, get(d, "number"));
	appt_buf_adds(&b, "</tr><tr>");
	el(&b, "th", NULL, "Date of issue");
	el(&b, "td", NULL, longdate(get(d, "date"), day, sizeof day));
	appt_buf_adds(&b, "</tr><tr>");
	if (credit(d)) {
		el(&b, "th", NULL, "Cancels invoice");
		el(&b, "td", NULL, get(d, "cancels"));
	} else {
		el(&b, "th", NULL, "Due date");
		el(&b, "td", NULL, longdate(get(d, "due"), day, sizeof day));
	}
	appt_buf_adds(&b, "</tr><tr>");
	el(&b, "th", NULL, "Customer no.");
	el(&b, "td", NULL, get(d, "customer"));
	appt_buf_adds(&b, "</tr></table></div></section>\n");
	if (!strcmp(d->status, "void"))
		appt_buf_adds(&b, "<div class=\"stamp\">Void</div>\n");
	appt_buf_adds(&b, "<table class=\"lines\"><thead><tr>"
	    "<th class=\"n\">#</th><th>Description</th><th>Date of service"
	    "</th><th class=\"num\">Qty</th><th class=\"num\">Unit price"
	    "</th><th class=\"num\">Tax</th>");
	appt_buf_addf(&b, "<th class=\"num\">%s</th></tr></thead><tbody>\n",
	    d->gross ? "Amount" : "Net amount");
	for (i = 0; i < L->nrow; i++) {
		const struct appt_row *l = &L->row[i];

		appt_buf_adds(&b, "<tr>");
		el(&b, "td", "n", appt_get(L, l, "line"));
		el(&b, "td", NULL, appt_get(L, l, "description"));
		el(&b, "td", NULL, longdate(appt_get(L, l, "date"), day,
		    sizeof day));
		el(&b, "td", "num", appt_qty_fmt(d->qty[i], q));
		el(&b, "td", "num", money(d, d->price[i], a));
		snprintf(lbl, sizeof lbl, "%s%%", appt_rate_fmt(d->tl[i].rate,
		    r));
		el(&b, "td", "num", lbl);
		el(&b, "td", "num", money(d, d->tl[i].amount, a));
		appt_buf_adds(&b, "</tr>\n");
	}
	appt_buf_adds(&b, "</tbody></table>\n<div class=\"sums\"><div>"
	    "<table class=\"taxes\"><thead><tr><th>Tax rate</th>"
	    "<th class=\"num\">Net</th><th class=\"num\">Tax</th>"
	    "<th class=\"num\">Gross</th></tr></thead><tbody>");
	for (i = 0; i < d->nrate; i++) {
		snprintf(lbl, sizeof lbl, "%s%%", appt_rate_fmt(
		    d->rate[i].rate, r));
		appt_buf_adds(&b, "<tr>");
		el(&b, "td", NULL, lbl);
		el(&b, "td", "num", money(d, d->rate[i].net, a));
		el(&b, "td", "num", money(d, d->rate[i].tax, a));
		el(&b, "td", "num", money(d, d->rate[i].gross, a));
		appt_buf_adds(&b, "</tr>");
	}
	appt_buf_adds(&b, "</tbody></table></div><div>"
	    "<table class=\"totals\">");
	sumrow(&b, NULL, "Total net", d, d->sum.net);
	sumrow(&b, NULL, "Total tax", d, d->sum.tax);
	sumrow(&b, "total", "Total", d, d->sum.gross);
	if (!credit(d) && strcmp(d->status, "void")) {
		payments(d, htmlpay, &b);
		sumrow(&b, "due", "Balance due", d, d->balance);
	}
	appt_buf_adds(&b, "</table></div></div>\n<div class=\"notes\">");
	if (credit(d)) {
		appt_buf_adds(&b, "<p>This credit note cancels invoice ");
		appt_html_esc(&b, get(d, "cancels"));
		appt_buf_adds(&b, " in full.");
		if (*get(d, "reason")) {
			appt_buf_adds(&b, " Reason: ");
			appt_html_esc(&b, get(d, "reason"));
		}
		appt_buf_adds(&b, "</p>");
	} else if (!strcmp(d->status, "void"))
		appt_buf_adds(&b, "<p>This invoice was cancelled by a credit "
		    "note.</p>");
	else if (d->balance > 0) {
		appt_buf_adds(&b, "<p>Please pay ");
		appt_html_esc(&b, money(d, d->balance, a));
		appt_buf_adds(&b, " ");
		appt_html_esc(&b, d->currency);
		appt_buf_adds(&b, " by ");
		appt_html_esc(&b, longdate(get(d, "due"), day, sizeof day));
		appt_buf_adds(&b, ", quoting ");
		appt_html_esc(&b, get(d, "number"));
		appt_buf_adds(&b, ".</p>");
	} else
		appt_buf_adds(&b, "<p>Paid in full. Thank you.</p>");
	appt_buf_addf(&b, "<p>%s</p>", d->gross ? "All prices include tax." :
	    "All prices exclude tax; tax is added per rate.");
	if (*w.note) {
		appt_buf_adds(&b, "<p>");
		appt_html_esc(&b, w.note);
		appt_buf_adds(&b, "</p>");
	}
	appt_buf_adds(&b, "</div>\n<footer>");
	appt_html_esc(&b, w.bname);
	if (*w.baddr) {
		appt_buf_adds(&b, " &#183; ");
		appt_html_esc(&b, w.baddr);
	}
	if (*w.taxid) {
		appt_buf_adds(&b, " &#183; Tax ID ");
		appt_html_esc(&b, w.taxid);
	}
	appt_buf_adds(&b, "</footer>\n</div></body></html>\n");
	appt_people_free(&w.pp);
	return b.s;
}

/*
 * The PDF of the HTML by [invoice] pdf: 0 with it in *out, else -1 with
 * why (the program missing: 127).
 */
static int
makepdf(const struct appt_store *s, const char *html, struct appt_buf *out,
    char *why, size_t n)
{
	const char *cmd = appt_cfg(&s->cfg, "invoice:pdf", "weasyprint - -");
	struct appt_argv a = { 0 };
	struct appt_buf err = { 0 };
	struct appt_run r = { .in = html, .inlen = strlen(html), .out = out,
	    .err = &err };
	int st;

	appt_argv_split(&a, cmd);
	if (!a.n) {
		snprintf(why, n, "[invoice] pdf is empty");
		return -1;
	}
	st = appt_run(&r, a.v);
	if (st == 127 || (st < 0 && errno == ENOENT)) {
		snprintf(why, n, "%s: not found: install it (Debian: apt "
		    "install weasyprint) or set [invoice] pdf", a.v[0]);
		st = 127;
	} else if (st) {
		snprintf(why, n, "%s: %s", a.v[0], st < 0 ? r.why : err.s ?
		    err.s : r.why);
		st = -1;
	} else if (out->len < 5 || memcmp(out->s, "%PDF-", 5)) {
		snprintf(why, n, "%s: did not write a PDF", a.v[0]);
		st = -1;
	}
	appt_argv_free(&a);
	appt_buf_free(&err);
	return st;
}

static void
showcsv(const struct doc *d, int json)
{
	static const char *cols[] = { "number", "line", "description", "qty",
	    "price", "tax_rate", "net", "tax", "gross" };
	struct appt_out o;
	const struct appt_table *L = &d->lines;
	char q[32], p[32], r[16], n[32], t[32], g[32];
	const char *f[9];
	size_t i;

	appt_out_begin(&o, json ? APPT_OUT_JSON : APPT_OUT_CSV, 9, cols);
	for (i = 0; i < L->nrow; i++) {
		f[0] = get(d, "number");
		f[1] = appt_get(L, &L->row[i], "line");
		f[2] = appt_get(L, &L->row[i], "description");
		f[3] = appt_qty_fmt(d->qty[i], q);
		f[4] = money(d, d->price[i], p);
		f[5] = appt_rate_fmt(d->tl[i].rate, r);
		f[6] = money(d, d->tl[i].net, n);
		f[7] = money(d, d->tl[i].tax, t);
		f[8] = money(d, d->tl[i].gross, g);
		appt_out_row(&o, f, 0);
	}
	appt_out_end(&o);
}

static void
show(const struct appt_store *s, const struct opts *o, const char *nr)
{
	const char *fmt = o->fmt ? o->fmt : "text";
	struct doc d;
	char *html, why[1024];
	struct appt_buf pdf = { 0 };
	int st;

	if (strcmp(fmt, "text") && strcmp(fmt, "html") && strcmp(fmt, "pdf") &&
	    strcmp(fmt, "csv") && strcmp(fmt, "json"))
		appt_die(APPT_EUSAGE, "-o %s: not text, html, pdf, csv or json",
		    fmt);
	docopen(&d, s, nr, 0);
	if (!strcmp(fmt, "text"))
		showtext(s, &d, stdout);
	else if (!strcmp(fmt, "csv") || !strcmp(fmt, "json"))
		showcsv(&d, !strcmp(fmt, "json"));
	else {
		html = showhtml(s, &d);
		if (!strcmp(fmt, "html"))
			fputs(html, stdout);
		else if ((st = makepdf(s, html, &pdf, why, sizeof why)) != 0)
			appt_die(st == 127 ? APPT_EUSAGE : APPT_EFAIL, "%s",
			    why);
		else
			fwrite(pdf.s, 1, pdf.len, stdout);
		free(html);
		appt_buf_free(&pdf);
	}
	docclose(&d);
}

/* ---- send ------------------------------------------------------------- */

static void
sendinv(struct appt_store *s, const struct opts *o, const char *nr)
{
	struct doc d;
	struct who w;
	struct appt_msgvars v = { 0 };
	struct appt_part part;
	struct appt_buf pdf = { 0 };
	char key[300], *k, *html, *subject, *body, *err, *mime, *mail, why[1024];
	char total[32], bal[32], day[40], due[40], *file, base[300];
	int n, left;

	docopen(&d, s, nr, 0);
	whoopen(&w, s, &d);
	if (appt_empty(w.cemail))
		appt_die(APPT_EFAIL, "%s: customer %s has no email", nr,
		    get(&d, "customer"));
	/* A key safe as a file name, whatever the number's format. */
	snprintf(key, sizeof key, "invoice-%s", nr);
	for (k = key; *k; k++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_.+", *k))
			*k = '_';
	snprintf(base, sizeof base, "%s", key + 8);
	if (appt_outbox_has(s, key)) {
		if (!o->again) {
			appt_warn("%s: sent already (%s); --again sends it "
			    "once more", nr, key);
			docclose(&d);
			appt_people_free(&w.pp);
			return;
		}
		for (n = 2; ; n++) {
			char *kn = xasprintf("%s-%d", key, n);

			if (!appt_outbox_has(s, kn)) {
				snprintf(key, sizeof key, "%s", kn);
				free(kn);
				break;
			}
			free(kn);
		}
	}
	appt_msgvar(&v, "customer", w.cname);
	appt_msgvar(&v, "number", nr);
	appt_msgvar(&v, "kind", credit(&d) ? "credit note" : "invoice");
	appt_msgvar(&v, "date", longdate(get(&d, "date"), day, sizeof day));
	appt_msgvar(&v, "due", longdate(get(&d, "due"), due, sizeof due));
	appt_msgvar(&v, "total", money(&d, d.sum.gross, total));
	appt_msgvar(&v, "balance", money(&d, d.balance, bal));
	appt_msgvar(&v, "currency", d.currency);
	appt_msgvar(&v, "business", w.bname);
	appt_msgvar(&v, "phone", w.bphone);
	appt_msgvar(&v, "email", w.bemail);
	appt_msgvar(&v, "address", w.baddr);
	if (appt_render(s, "invoice", 0, &v, &subject, &body, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	html = showhtml(s, &d);
	if (makepdf(s, html, &pdf, why, sizeof why) == 0) {
		file = xasprintf("%s.pdf", base);
		part = (struct appt_part){ file, "application/pdf", pdf.s,
		    pdf.len };
	} else {
		appt_warn("%s: no PDF (%s): the HTML is attached", nr, why);
		file = xasprintf("%s.html", base);
		part = (struct appt_part){ file, "text/html", html,
		    strlen(html) };
	}
	mime = appt_mime_mixed(body, &part, 1);
	if (!(mail = appt_mail_mime(s, key, w.cname, w.cemail, subject, mime,
	    &err)))
		appt_die(APPT_EDATA, "%s", err);
	appt_outbox_put(s, key, w.cemail, mail);
	k = key;
	left = appt_outbox_send(s, &k, 1, 0);
	if (left) {
		appt_outbox_held(s, &k, 1);
		appt_die(APPT_EDELIVER, "%s: not delivered yet: queued in the "
		    "outbox for appt-send (%s)", nr, key);
	}
	printf("%s: sent to %s (%s)\n", nr, w.cemail, key);
	free(mail);
	free(mime);
	free(file);
	free(html);
	free(subject);
	free(body);
	appt_buf_free(&pdf);
	appt_people_free(&w.pp);
	docclose(&d);
}

/* ---- ledger ----------------------------------------------------------- */

/* The range of RANGE (all, a year, or appt's ranges): from == to is all. */
static void
rangearg(const char *range, time_t *from, time_t *to)
{
	const char *err;
	int y;

	*from = *to = 0;
	if (!range || !strcmp(range, "all"))
		return;
	if (strlen(range) == 4 && strspn(range, "0123456789") == 4) {
		y = atoi(range);
		*from = appt_day_start(y, 1, 1);
		*to = appt_day_start(y + 1, 1, 1);
	} else if (appt_parse_range(range, appt_now(), from, to, &err) < 0)
		appt_die(APPT_EUSAGE, "%s: %s", range, err);
}

static int
within(const char *date, time_t from, time_t to)
{
	time_t t;

	return from == to || (appt_parse_stamp(date, 0, &t) == 0 && t >= from &&
	    t < to);
}

/* An account name: no two spaces, no tab, no ';' (hledger's rules). */
static void
account(struct appt_buf *b, const char *prefix, const char *name)
{
	const char *p;

	appt_buf_adds(b, prefix);
	for (p = name; *p; p++)
		appt_buf_addc(b, *p == ' ' || *p == ';' || *p == '\t' ?
		    '-' : *p);
}

static void
posting(struct appt_buf *b, const char *acct, long long v, int dg,
    const char *cur)
{
	char a[32];
	size_t w = appt_width(acct);

	appt_buf_addf(b, "    %s", acct);
	for (; w < 40; w++)
		appt_buf_addc(b, ' ');
	appt_buf_addf(b, "  %14s %s\n", appt_money_fmt(v, dg, a), cur);
}

/* Lines of invoice-lines.csv (rows of t) by invoice, then file order. */
struct lkey {
	const struct appt_table *t;
	const char *number;
};

static int
cmplineinv(const void *a, const void *b, void *ctx)
{
	const struct appt_table *t = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(appt_get(t, &t->row[x], "invoice"),
	    appt_get(t, &t->row[y], "invoice"));

	return c ? c : x < y ? -1 : x > y;
}

static int
findlineinv(const void *key, const void *elem)
{
	const struct lkey *k = key;

	return strcmp(k->number, appt_get(k->t, &k->t->row[*(const size_t *)
	    elem], "invoice"));
}

static void
ledger(const struct appt_store *s, const char *range)
{
	struct appt_invoices iv;
	struct appt_table L;
	struct appt_people pp;
	struct appt_buf b = { 0 }, acct = { 0 };
	time_t from, to;
	size_t i, j, k, n, *byinv, *hit;

	rangearg(range, &from, &to);
	appt_invoices_read(&iv, s);
	appt_people_load(&pp, s);
	appt_invoice_load(s, &L, "invoice-lines.csv", NULL, 0);
	/* The lines by invoice, in file order within one: n log n. */
	byinv = xcalloc(L.nrow + 1, sizeof *byinv);
	for (j = 0; j < L.nrow; j++)
		byinv[j] = j;
	qsort_r(byinv, L.nrow, sizeof *byinv, cmplineinv, &L);
	for (i = 0; i < iv.inv.nrow; i++) {
		struct doc d = { 0 };
		const char *cust;
		struct lkey key;

		d.r = &iv.inv.row[i];
		d.iv.inv = iv.inv;
		if (!within(get(&d, "date"), from, to))
			continue;
		d.digits = appt_invoice_digits(&iv, d.r);
		d.gross = strcmp(get(&d, "prices"), "net") != 0;
		d.currency = *get(&d, "currency") ? get(&d, "currency") :
		    appt_cfg(&s->cfg, "business:currency", "EUR");
		appt_table_init(&d.lines, "", "invoice-lines.csv",
		    appt_invline_cols);
		key.t = &L;
		key.number = get(&d, "number");
		hit = bsearch(&key, byinv, L.nrow, sizeof *byinv, findlineinv);
		while (hit && hit > byinv && !findlineinv(&key, hit - 1))
			hit--;
		for (; hit && hit < byinv + L.nrow && !findlineinv(&key, hit);
		    hit++) {
			struct appt_row *r = appt_table_add(&d.lines);

			j = *hit;
			for (k = 0; k < L.ncol; k++)
				appt_set(&d.lines, r, L.col[k], L.row[j].f[k]);
			r->line = L.row[j].line;
			r->file = appt_row_label(&L, &L.row[j]);
		}
		figure(&d);
		cust = get(&d, "customer");
		appt_buf_addf(&b, "%s * %s | %s%s\n", get(&d, "date"),
		    get(&d, "number"), appt_people_get(&pp, cust,
		    APPT_P_NAME), credit(&d) ? " (credit note)" : "");
		acct.len = 0;
		account(&acct, "assets:receivable:", cust);
		posting(&b, acct.s, d.sum.gross, d.digits, d.currency);
		/* Income per service (items: income:items), net. */
		for (j = 0, n = d.lines.nrow; j < n; j++) {
			const char *svc = appt_get(&d.lines, &d.lines.row[j],
			    "service");
			long long sum = 0;

			for (k = 0; k < j; k++)
				if (!strcmp(appt_get(&d.lines,
				    &d.lines.row[k], "service"), svc))
					break;
			if (k < j)
				continue;
			for (k = j; k < n; k++)
				if (!strcmp(appt_get(&d.lines,
				    &d.lines.row[k], "service"), svc))
					sum += d.tl[k].net;
			acct.len = 0;
			account(&acct, "income:", *svc ? svc : "items");
			posting(&b, acct.s, -sum, d.digits, d.currency);
		}
		for (j = 0; j < d.nrate; j++) {
			char r[16], *a;

			if (!d.rate[j].tax)
				continue;
			a = xasprintf("liabilities:tax:%s%%",
			    appt_rate_fmt(d.rate[j].rate, r));
			posting(&b, a, -d.rate[j].tax, d.digits, d.currency);
			free(a);
		}
		appt_buf_adds(&b, "\n");
		free(d.tl);
		free(d.qty);
		free(d.price);
		free(d.rate);
		appt_table_free(&d.lines);
	}
	for (i = 0; i < iv.pay.nrow; i++) {
		const struct appt_table *P = &iv.pay;
		const struct appt_row *p = &P->row[i];
		struct appt_row *r = appt_invoice_find(&iv, appt_get(P, p,
		    "invoice"));
		long long v;
		int dg;
		const char *cur;

		if (!r || !within(appt_get(P, p, "date"), from, to))
			continue;
		dg = appt_invoice_digits(&iv, r);
		cur = *appt_get(&iv.inv, r, "currency") ? appt_get(&iv.inv, r,
		    "currency") : appt_cfg(&s->cfg, "business:currency", "EUR");
		if (appt_money_parse(appt_get(P, p, "amount"), dg, &v) < 0)
			appt_die(APPT_EDATA, "%s:%ld: amount: not an amount",
			    appt_row_label(P, p), p->line);
		appt_buf_addf(&b, "%s * %s | payment (%s)\n", appt_get(P, p,
		    "date"), appt_get(P, p, "invoice"), appt_get(P, p,
		    "method"));
		posting(&b, !strcmp(appt_get(P, p, "method"), "cash") ?
		    "assets:cash" : "assets:bank", v, dg, cur);
		acct.len = 0;
		account(&acct, "assets:receivable:", appt_get(&iv.inv, r,
		    "customer"));
		posting(&b, acct.s, -v, dg, cur);
		appt_buf_adds(&b, "\n");
	}
	if (b.s)
		fputs(b.s, stdout);
	appt_buf_free(&b);
	appt_buf_free(&acct);
	free(byinv);
	appt_table_free(&L);
	appt_people_free(&pp);
	appt_invoices_free(&iv);
}

int
main(int argc, char *argv[])
{
	struct appt_store s;
	struct opts o = { 0 };
	const char *cmd;

	appt_setprog(argv[0]);
	options(&o, argc, argv, "+d:ho:V");
	cmd = appt_subcommand(&argc, &argv, synopsis);
	options(&o, argc, argv, "c:d:o:");
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "show") && o.fmt)
		outfmt(&o);
	appt_store_opendir(&s, o.dir);
	if (!strcmp(cmd, "new"))
		newinv(&s, &o, argc, argv);
	else if (!strcmp(cmd, "list") && argc <= 1)
		list(&s, &o, argc ? argv[0] : NULL);
	else if (!strcmp(cmd, "show") && argc == 1)
		show(&s, &o, argv[0]);
	else if (!strcmp(cmd, "pay") && argc == 2)
		pay(&s, &o, argv[0], argv[1]);
	else if (!strcmp(cmd, "void") && argc == 1)
		voidinv(&s, &o, argv[0]);
	else if (!strcmp(cmd, "send") && argc == 1)
		sendinv(&s, &o, argv[0]);
	else if (!strcmp(cmd, "ledger") && argc <= 1)
		ledger(&s, argc ? argv[0] : NULL);
	else
		appt_usage(synopsis, 0);
	appt_store_close(&s);
	free(o.item);
	appt_exit(0);
}
