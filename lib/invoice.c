/*
 * invoice.c: the money of invoices and the store of them.
 *
 * Amounts are integer minor units, rates hundredths of a percent (19% is
 * 1900), quantities thousandths. Tax follows EN 16931: the lines of one
 * rate are summed first, and that rate's tax is computed once, on the
 * sum, rounded half away from zero. A line's own net, tax and gross are
 * its share, for information: within a rate each line's tax is rounded
 * alone and the last line of the rate takes what is left, so the shares
 * add up to the rate's figures exactly.
 *
 * The store is invoices.csv (one row per invoice or credit note),
 * invoice-lines.csv and payments.csv, appended to and never rewritten:
 * nothing issued is changed. An invoice is void when a credit note
 * names it (cancels); its status, paid and balance are worked out from
 * the credit notes and payments, never stored.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

const char *const appt_invoice_cols[] = { "number", "type", "date",
    "customer", "appointments", "due", "currency", "prices", "net", "tax",
    "total", "cancels", "reason", "created", NULL };
const char *const appt_invline_cols[] = { "invoice", "line", "date",
    "description", "appointment", "service", "qty", "price", "tax", NULL };
const char *const appt_payment_cols[] = { "id", "invoice", "date",
    "amount", "method", "note", "created", NULL };
const char *const appt_invlist_cols[] = { "number", "date", "customer",
    "customer_name", "appointments", "net", "tax", "total", "paid",
    "balance", "status", "due", NULL };

long long
appt_div_round(long long num, long long den)
{
	long long q, r;

	if (den < 0) {
		num = -num;
		den = -den;
	}
	q = num / den;
	r = num % den;
	/* Half away from zero: twice the remainder reaches the divisor. */
	if ((r < 0 ? -r : r) >= den - (r < 0 ? -r : r))
		q += num < 0 ? -1 : 1;
	return q;
}

/* num * mul / den (den > 0) rounded half away from zero, in 128 bits. */
static long long
muldiv(long long num, long long mul, long long den)
{
	__int128 p = (__int128)num * mul, q = p / den, r = p % den;

	if (r && (r < 0 ? -r : r) * 2 >= den)
		q += p < 0 ? -1 : 1;
	return (long long)q;
}

int
appt_rate_parse(const char *s, long *rate)
{
	long long v;

	if (appt_empty(s) || appt_money_parse(s, 2, &v) < 0 || v < 0 ||
	    v > 10000)
		return -1;
	*rate = (long)v;
	return 0;
}

char *
appt_rate_fmt(long rate, char buf[16])
{
	int r = rate < 0 || rate > 10000 ? 0 : (int)rate;

	if (r % 100 == 0)
		snprintf(buf, 16, "%d", r / 100);
	else if (r % 10 == 0)
		snprintf(buf, 16, "%d.%d", r / 100, r % 100 / 10);
	else
		snprintf(buf, 16, "%d.%02d", r / 100, r % 100);
	return buf;
}

int
appt_qty_parse(const char *s, long long *milli)
{
	long long v;

	if (appt_empty(s) || appt_money_parse(s, 3, &v) < 0 || v <= 0 ||
	    v > 1000000000LL)
		return -1;
	*milli = v;
	return 0;
}

char *
appt_qty_fmt(long long milli, char buf[32])
{
	size_t n;

	appt_money_fmt(milli, 3, buf);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

int
appt_line_amount(long long milli, long long price, long long *amount)
{
	__int128 p = (__int128)milli * price;

	if (p % 1000 || p / 1000 > (__int128)9e16 || p / 1000 < -(__int128)9e16)
		return -1;
	*amount = (long long)(p / 1000);
	return 0;
}

static int
cmprate(const void *a, const void *b)
{
	const struct appt_taxrate *x = a, *y = b;

	return x->rate < y->rate ? -1 : x->rate > y->rate;
}

size_t
appt_tax_compute(struct appt_taxline *l, size_t n, int gross,
    struct appt_taxrate *out, struct appt_taxrate *sum)
{
	size_t i, j, nr = 0, last;
	long long left;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nr && out[j].rate != l[i].rate; j++)
			;
		if (j == nr) {
			out[nr].rate = l[i].rate;
			out[nr].net = out[nr].tax = out[nr].gross = 0;
			nr++;
		}
		/* The basis summed in gross or net; the other comes after. */
		out[j].gross += l[i].amount;
	}
	qsort(out, nr, sizeof *out, cmprate);
	memset(sum, 0, sizeof *sum);
	for (j = 0; j < nr; j++) {
		long long base = out[j].gross;
		long r = out[j].rate;

		if (gross) {
			out[j].tax = muldiv(base, r, 10000 + r);
			out[j].net = base - out[j].tax;
		} else {
			out[j].net = base;
			out[j].tax = muldiv(base, r, 10000);
			out[j].gross = base + out[j].tax;
		}
		sum->net += out[j].net;
		sum->tax += out[j].tax;
		sum->gross += out[j].gross;
		/* The lines' shares; the last of the rate takes the rest. */
		left = out[j].tax;
		for (last = n, i = 0; i < n; i++)
			if (l[i].rate == r)
				last = i;
		for (i = 0; i < n; i++) {
			if (l[i].rate != r)
				continue;
			l[i].tax = i == last ? left : gross ?
			    muldiv(l[i].amount, r, 10000 + r) :
			    muldiv(l[i].amount, r, 10000);
			left -= l[i].tax;
			if (gross) {
				l[i].gross = l[i].amount;
				l[i].net = l[i].amount - l[i].tax;
			} else {
				l[i].net = l[i].amount;
				l[i].gross = l[i].amount + l[i].tax;
			}
		}
	}
	return nr;
}

int
appt_invoice_number(const char *fmt, int year, long n, char *buf,
    size_t len)
{
	struct appt_buf b = { 0 };
	const char *p;
	int width, seen = 0, r;

	appt_buf_add(&b, "", 0);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			appt_buf_addc(&b, *p);
			continue;
		}
		p++;
		width = 0;
		if (*p == '%') {
			appt_buf_addc(&b, '%');
			continue;
		}
		while (isdigit((unsigned char)*p) && width < 20)
			width = width * 10 + (*p++ - '0');
		if (*p == 'Y')
			appt_buf_addf(&b, "%04d", year);
		else if (*p == 'n') {
			appt_buf_addf(&b, "%0*ld", width, n);
			seen = 1;
		} else {
			appt_buf_free(&b);
			return -1;
		}
	}
	r = seen && b.len < len && !strchr(b.s, '/') && !appt_bad_text(b.s) ?
	    0 : -1;
	if (!r)
		memcpy(buf, b.s, b.len + 1);
	appt_buf_free(&b);
	return r;
}

int
appt_invoice_yearly(const char *fmt)
{
	const char *p;

	for (p = fmt; (p = strchr(p, '%')); p += 2) {
		if (p[1] == '%')
			continue;
		while (isdigit((unsigned char)p[1]))
			p++;
		if (p[1] == 'Y')
			return 1;
		if (!p[1])
			break;
	}
	return 0;
}

/* Read one of the three files (exit 3 on bad data). */
static void
readfile(const struct appt_store *s, struct appt_table *t, const char *rel,
    const char *const *cols)
{
	char *path = appt_path(s, rel), *err;

	if (appt_table_read(t, path, rel, cols, 0, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	free(path);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmpkey(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/* Read a file, only the records that hold a needle unless needles is NULL. */
static void
readwhere(const struct appt_store *s, struct appt_table *t, const char *rel,
    const char *const *cols, const char *const *needles)
{
	char *path = appt_path(s, rel), *err;

	if (appt_table_read_where(t, path, rel, cols, 0, needles, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	free(path);
}

void
appt_invoices_read_some(struct appt_invoices *iv, const struct appt_store *s,
    const char *const *needles, int pay)
{
	const char **nd = NULL;
	size_t i, n = 0, nv = 0;

	memset(iv, 0, sizeof *iv);
	iv->s = s;
	if (needles) {
		/* Every credit note too: they say which invoices are void. */
		while (needles[n])
			n++;
		nd = xcalloc(n + 2, sizeof *nd);
		memcpy(nd, needles, n * sizeof *nd);
		nd[n] = "credit";
	}
	if (nd)
		readwhere(s, &iv->inv, "invoices.csv", appt_invoice_cols, nd);
	else
		readfile(s, &iv->inv, "invoices.csv", appt_invoice_cols);
	if (!pay)
		appt_table_init(&iv->pay, "", "payments.csv",
		    appt_payment_cols);
	else if (needles)
		readwhere(s, &iv->pay, "payments.csv", appt_payment_cols,
		    needles);
	else
		readfile(s, &iv->pay, "payments.csv", appt_payment_cols);
	free(nd);
	iv->voided = xcalloc(iv->inv.nrow + 1, sizeof *iv->voided);
	for (i = 0; i < iv->inv.nrow; i++)
		if (!strcmp(appt_get(&iv->inv, &iv->inv.row[i], "type"),
		    "credit"))
			iv->voided[nv++] = (char *)appt_get(&iv->inv,
			    &iv->inv.row[i], "cancels");
	iv->nvoided = nv;
	qsort(iv->voided, nv, sizeof *iv->voided, cmpstr);
}

void
appt_invoices_read(struct appt_invoices *iv, const struct appt_store *s)
{
	appt_invoices_read_some(iv, s, NULL, 1);
}

void
appt_invoices_free(struct appt_invoices *iv)
{
	appt_table_free(&iv->inv);
	appt_table_free(&iv->pay);
	free(iv->voided);
	memset(iv, 0, sizeof *iv);
}

struct appt_row *
appt_invoice_find(struct appt_invoices *iv, const char *number)
{
	size_t i;

	/* The newest first: that is the one most often asked for. */
	for (i = iv->inv.nrow; i-- > 0;)
		if (!strcmp(appt_get(&iv->inv, &iv->inv.row[i], "number"),
		    number))
			return &iv->inv.row[i];
	return NULL;
}

int
appt_invoice_voided(const struct appt_invoices *iv, const char *number)
{
	return bsearch(number, iv->voided, iv->nvoided, sizeof *iv->voided,
	    cmpkey) != NULL;
}

/* An amount of a row, exit 3 naming file and line if it is not one. */
static long long
amount(const struct appt_table *t, const struct appt_row *r,
    const char *col, int digits)
{
	long long v;

	if (appt_money_parse(appt_get(t, r, col), digits, &v) < 0)
		appt_die(APPT_EDATA, "%s:%ld: %s: not an amount", t->label,
		    r->line, col);
	return v;
}

int
appt_invoice_digits(const struct appt_invoices *iv, const struct appt_row *r)
{
	const char *c = appt_get(&iv->inv, r, "currency");

	return appt_empty(c) ? iv->s->digits : appt_currency_digits(c);
}

long long
appt_invoice_paid(const struct appt_invoices *iv, const char *number,
    int digits)
{
	long long sum = 0;
	size_t i;

	for (i = 0; i < iv->pay.nrow; i++)
		if (!strcmp(appt_get(&iv->pay, &iv->pay.row[i], "invoice"),
		    number))
			sum += amount(&iv->pay, &iv->pay.row[i], "amount",
			    digits);
	return sum;
}

/* Paid so far of every invoice, by row of invoices.csv. */
static long long *
paidall(const struct appt_invoices *iv)
{
	long long *paid = xcalloc(iv->inv.nrow + 1, sizeof *paid);
	char **num = xcalloc(iv->inv.nrow + 1, sizeof *num), **hit;
	size_t *idx = xcalloc(iv->inv.nrow + 1, sizeof *idx), i;

	/* Sorted numbers that point back to their rows: n log n. */
	for (i = 0; i < iv->inv.nrow; i++)
		num[i] = (char *)appt_get(&iv->inv, &iv->inv.row[i], "number");
	qsort(num, iv->inv.nrow, sizeof *num, cmpstr);
	for (i = 0; i < iv->inv.nrow; i++) {
		const struct appt_row *r = &iv->inv.row[i];

		hit = bsearch(appt_get(&iv->inv, r, "number"), num,
		    iv->inv.nrow, sizeof *num, cmpkey);
		idx[hit - num] = i;
	}
	for (i = 0; i < iv->pay.nrow; i++) {
		const struct appt_row *p = &iv->pay.row[i];

		hit = bsearch(appt_get(&iv->pay, p, "invoice"), num,
		    iv->inv.nrow, sizeof *num, cmpkey);
		if (hit)
			paid[idx[hit - num]] += amount(&iv->pay, p, "amount",
			    appt_invoice_digits(iv, &iv->inv.row[idx[hit -
			    num]]));
	}
	free(num);
	free(idx);
	return paid;
}

const char *
appt_invoice_status(const struct appt_invoices *iv, const struct appt_row *r,
    long long paid, long long *balance)
{
	const char *number = appt_get(&iv->inv, r, "number");
	long long total = amount(&iv->inv, r, "total",
	    appt_invoice_digits(iv, r));

	*balance = 0;
	if (!strcmp(appt_get(&iv->inv, r, "type"), "credit"))
		return "credit";
	if (appt_invoice_voided(iv, number))
		return "void";
	*balance = total - paid;
	return *balance > 0 ? "open" : "paid";
}

void
appt_invoice_list(const struct appt_invoices *iv, const char *customer,
    time_t from, time_t to, int unpaid, struct appt_invlist *out)
{
	struct appt_people pp = { 0 };
	long long *paid = paidall(iv), bal;
	long *ids;
	size_t i, nid = 0;
	char num[32], a[16] = "", b[16] = "";
	int y, m, d;

	memset(out, 0, sizeof *out);
	/* Dates compare as text: YYYY-MM-DD. */
	if (from != to) {
		appt_local(from, &y, &m, &d, NULL, NULL);
		snprintf(a, sizeof a, "%04d-%02d-%02d", y % 10000, m % 100,
		    d % 100);
		appt_local(to, &y, &m, &d, NULL, NULL);
		snprintf(b, sizeof b, "%04d-%02d-%02d", y % 10000, m % 100,
		    d % 100);
	}
	/* The names of only the customers listed, through the index. */
	ids = xcalloc(iv->inv.nrow + 1, sizeof *ids);
	for (i = 0; i < iv->inv.nrow; i++) {
		long id;

		if (appt_parse_id(appt_get(&iv->inv, &iv->inv.row[i],
		    "customer"), &id) == 0 && (!customer ||
		    !strcmp(customer, appt_get(&iv->inv, &iv->inv.row[i],
		    "customer"))))
			ids[nid++] = id;
	}
	qsort(ids, nid, sizeof *ids, appt_cmplong);
	appt_people_want(&pp, iv->s, ids, nid);
	free(ids);
	for (i = 0; i < iv->inv.nrow; i++) {
		const struct appt_table *T = &iv->inv;
		const struct appt_row *r = &T->row[i];
		const char *st;
		char **f;
		int dg = appt_invoice_digits(iv, r);

		if (customer && strcmp(appt_get(T, r, "customer"), customer))
			continue;
		if (from != to && (strcmp(appt_get(T, r, "date"), a) < 0 ||
		    strcmp(appt_get(T, r, "date"), b) >= 0))
			continue;
		st = appt_invoice_status(iv, r, paid[i], &bal);
		if (unpaid && strcmp(st, "open"))
			continue;
		out->row = xreallocarray(out->row, out->n + 1,
		    sizeof *out->row);
		f = out->row[out->n++];
		f[0] = xstrdup(appt_get(T, r, "number"));
		f[1] = xstrdup(appt_get(T, r, "date"));
		f[2] = xstrdup(appt_get(T, r, "customer"));
		f[3] = xstrdup(appt_people_get(&pp, appt_get(T, r,
		    "customer"), APPT_P_NAME));
		f[4] = xstrdup(appt_get(T, r, "appointments"));
		f[5] = xstrdup(appt_get(T, r, "net"));
		f[6] = xstrdup(appt_get(T, r, "tax"));
		f[7] = xstrdup(appt_get(T, r, "total"));
		f[8] = xstrdup(appt_money_fmt(paid[i], dg, num));
		f[9] = xstrdup(appt_money_fmt(bal, dg, num));
		f[10] = xstrdup(st);
		f[11] = xstrdup(appt_get(T, r, "due"));
		out->balance += bal;
	}
	free(paid);
	appt_people_free(&pp);
}

void
appt_invlist_free(struct appt_invlist *l)
{
	size_t i, k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < APPT_INVLIST_NCOL; k++)
			free(l->row[i][k]);
	free(l->row);
	memset(l, 0, sizeof *l);
}

/* The year of a YYYY-MM-DD date, 0 if it is not one. */
static int
yearof(const char *date)
{
	int y, m, d;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    strspn(date, "0123456789-") != 10 ||
	    sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !appt_valid_date(y, m, d))
		return 0;
	return y;
}

int
appt_invoice_next(const struct appt_invoices *iv, const char *fmt, int year,
    char *buf, size_t len)
{
	size_t i;
	long n = 1;
	int yearly = appt_invoice_yearly(fmt);

	for (i = 0; i < iv->inv.nrow; i++)
		if (!yearly || yearof(appt_get(&iv->inv, &iv->inv.row[i],
		    "date")) == year)
			n++;
	if (appt_invoice_number(fmt, year, n, buf, len) < 0)
		return -1;
	return 0;
}

void
appt_invoice_lines(const struct appt_store *s, const char *number,
    struct appt_table *t)
{
	const char *needles[] = { number, NULL };
	char *path = appt_path(s, "invoice-lines.csv"), *err;
	size_t i;

	if (appt_table_read_where(t, path, "invoice-lines.csv",
	    appt_invline_cols, 0, needles, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	free(path);
	/* A needle matches anywhere in a record: keep this invoice's. */
	for (i = t->nrow; i-- > 0;)
		if (strcmp(appt_get(t, &t->row[i], "invoice"), number))
			appt_table_remove(t, i);
}

/* Append the rows of t to rel: the bytes there are kept, not rewritten. */
static void
append(const struct appt_store *s, const char *rel, const struct appt_table *t,
    const char *const *cols, const char *drop)
{
	struct appt_table all;
	size_t i, j;
	int r = drop ? 1 : appt_csv_append(s, rel, NULL, t, NULL, t->nrow,
	    NULL);

	if (r < 0)
		appt_die(APPT_EFAIL, "%s: cannot write", rel);
	if (r == 0)
		return;
	/* A file that cannot take an append, or stale rows: all of it. */
	readfile(s, &all, rel, cols);
	for (i = all.nrow; drop && i-- > 0;)
		if (!strcmp(appt_get(&all, &all.row[i], "invoice"), drop))
			appt_table_remove(&all, i);
	for (i = 0; i < t->nrow; i++) {
		struct appt_row *nr = appt_table_add(&all);

		for (j = 0; j < t->ncol; j++)
			appt_set(&all, nr, t->col[j], t->row[i].f[j]);
	}
	appt_table_save(s, &all, rel);
	appt_table_free(&all);
}

void
appt_invoice_write(const struct appt_store *s, const struct appt_table *inv,
    const struct appt_table *lines)
{
	struct appt_table old;
	const char *number = appt_get(inv, &inv->row[0], "number");

	/*
	 * The lines first, then the invoice: a kill in between leaves lines
	 * of a number not issued, which the next issue of that number drops
	 * here.
	 */
	appt_invoice_lines(s, number, &old);
	append(s, "invoice-lines.csv", lines, appt_invline_cols,
	    old.nrow ? number : NULL);
	appt_table_free(&old);
	append(s, "invoices.csv", inv, appt_invoice_cols, NULL);
}

void
appt_invoice_issue(const struct appt_store *s, struct appt_table *I,
    struct appt_table *L)
{
	struct appt_taxline *tl = xcalloc(L->nrow + 1, sizeof *tl);
	struct appt_taxrate *rt = xcalloc(L->nrow + 1, sizeof *rt), sum;
	struct appt_row *r = &I->row[0];
	const char *cur = appt_get(I, r, "currency");
	int digits = appt_empty(cur) ? s->digits : appt_currency_digits(cur);
	int gross = strcmp(appt_get(I, r, "prices"), "net") != 0;
	size_t i;
	long long q, p;
	char buf[32];

	for (i = 0; i < L->nrow; i++) {
		if (appt_qty_parse(appt_get(L, &L->row[i], "qty"), &q) < 0 ||
		    appt_money_parse(appt_get(L, &L->row[i], "price"), digits,
		    &p) < 0 || appt_rate_parse(appt_get(L, &L->row[i], "tax"),
		    &tl[i].rate) < 0 || appt_line_amount(q, p,
		    &tl[i].amount) < 0)
			appt_die(APPT_EUSAGE, "line %zu: not a quantity, price "
			    "and rate whose product is a whole amount", i + 1);
		appt_set(L, &L->row[i], "invoice", appt_get(I, r, "number"));
		snprintf(buf, sizeof buf, "%zu", i + 1);
		appt_set(L, &L->row[i], "line", buf);
	}
	appt_tax_compute(tl, L->nrow, gross, rt, &sum);
	appt_set(I, r, "net", appt_money_fmt(sum.net, digits, buf));
	appt_set(I, r, "tax", appt_money_fmt(sum.tax, digits, buf));
	appt_set(I, r, "total", appt_money_fmt(sum.gross, digits, buf));
	appt_invoice_write(s, I, L);
	free(tl);
	free(rt);
}

void
appt_payment_write(const struct appt_store *s, const struct appt_table *pay)
{
	append(s, "payments.csv", pay, appt_payment_cols, NULL);
}

long
appt_invoice_tax(const struct appt_store *s)
{
	long rate;

	if (appt_rate_parse(appt_cfg(&s->cfg, "invoice:tax", "0"), &rate) < 0)
		appt_die(APPT_EDATA, "config.ini:%ld: invoice:tax: not a "
		    "percentage", appt_cfg_line(&s->cfg, "invoice:tax"));
	return rate;
}

void
appt_invoice_appt_line(const struct appt_store *s,
    const struct appt_catalog *cat, const struct appt_table *sv,
    const struct appt_table *t, const struct appt_row *r, long dflt,
    struct appt_table *L)
{
	const struct appt_service *svc = appt_service_find(cat, appt_get(t, r,
	    "service"));
	const char *sid = appt_get(t, r, "service");
	struct appt_row *l;
	long long price = 0;
	long rate = dflt;
	time_t start;
	int y, m, d;
	size_t i;
	char buf[32];

	if (!appt_empty(appt_get(t, r, "price")) && appt_money_parse(appt_get(t,
	    r, "price"), s->digits, &price) < 0)
		appt_die(APPT_EDATA, "%s:%ld: price: not an amount", t->label,
		    r->line);
	if (appt_parse_iso(appt_get(t, r, "start"), &start) < 0)
		appt_die(APPT_EDATA, "%s:%ld: start: not a time", t->label,
		    r->line);
	for (i = 0; i < sv->nrow; i++) {
		const char *tax = appt_get(sv, &sv->row[i], "tax");

		if (strcmp(appt_get(sv, &sv->row[i], "id"), sid) ||
		    appt_empty(tax))
			continue;
		if (appt_rate_parse(tax, &rate) < 0)
			appt_die(APPT_EDATA, "services.csv:%ld: tax: not a "
			    "percentage", sv->row[i].line);
	}
	appt_local(start, &y, &m, &d, NULL, NULL);
	l = appt_table_add(L);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y % 10000, m % 100,
	    d % 100);
	appt_set(L, l, "date", buf);
	appt_set(L, l, "description", svc ? appt_service_name(svc) : sid);
	appt_set(L, l, "appointment", appt_get(t, r, "id"));
	appt_set(L, l, "service", sid);
	appt_set(L, l, "qty", "1");
	appt_set(L, l, "price", appt_money_fmt(price, s->digits, buf));
	appt_set(L, l, "tax", appt_rate_fmt(rate, buf));
}

/* The check of the three files. */
struct ick {
	void (*report)(void *, const char *);
	void *ctx;
	long n;
};

static void __attribute__((format(printf, 4, 5)))
bad(struct ick *k, const struct appt_table *t, long line, const char *fmt,
    ...)
{
	va_list ap;
	char *msg, *full;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		appt_die(APPT_EFAIL, "out of memory");
	va_end(ap);
	full = xasprintf("%s:%ld: %s", t->label, line, msg);
	k->report(k->ctx, full);
	k->n++;
	free(full);
	free(msg);
}

/* Try to read a file; report it and give an empty table if it is bad. */
static int
tryread(struct ick *k, const struct appt_store *s, struct appt_table *t,
    const char *rel, const char *const *cols)
{
	char *path = appt_path(s, rel), *err;
	int r = appt_table_read(t, path, rel, cols, 0, &err);

	free(path);
	if (r < 0) {
		k->report(k->ctx, err);
		k->n++;
		free(err);
		appt_table_init(t, "", rel, cols);
	}
	return r;
}

struct ref {
	const char *key;
	size_t i;
};

static int
cmpref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

static int
cmprefkey(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ref *)elem)->key);
}

/* The lines of one invoice against its stored totals. */
static void
checklines(struct ick *k, const struct appt_table *T, const struct appt_row *r,
    const struct appt_table *L, const struct ref *lr, size_t nl, int dg,
    int gross)
{
	struct appt_taxline *tl = xcalloc(nl + 1, sizeof *tl);
	struct appt_taxrate *rates = xcalloc(nl + 1, sizeof *rates), sum;
	long long qty, price, v;
	size_t i;
	int ok = 1;
	char a[32], b[32];

	for (i = 0; i < nl; i++) {
		const struct appt_row *l = &L->row[lr[i].i];

		if (appt_qty_parse(appt_get(L, l, "qty"), &qty) < 0) {
			bad(k, L, l->line, "qty: not a quantity");
			ok = 0;
		} else if (appt_money_parse(appt_get(L, l, "price"), dg,
		    &price) < 0) {
			bad(k, L, l->line, "price: not an amount");
			ok = 0;
		} else if (appt_rate_parse(appt_get(L, l, "tax"),
		    &tl[i].rate) < 0) {
			bad(k, L, l->line, "tax: not a percentage");
			ok = 0;
		} else if (appt_line_amount(qty, price, &tl[i].amount) < 0) {
			bad(k, L, l->line, "qty × price is not a whole amount");
			ok = 0;
		}
	}
	if (ok) {
		appt_tax_compute(tl, nl, gross, rates, &sum);
		if (appt_money_parse(appt_get(T, r, "total"), dg, &v) == 0 &&
		    v != sum.gross)
			bad(k, T, r->line, "%s: total %s, but its lines come to "
			    "%s", appt_get(T, r, "number"), appt_get(T, r,
			    "total"), appt_money_fmt(sum.gross, dg, a));
		if (appt_money_parse(appt_get(T, r, "tax"), dg, &v) == 0 &&
		    v != sum.tax)
			bad(k, T, r->line, "%s: tax %s, but its lines come to "
			    "%s", appt_get(T, r, "number"), appt_get(T, r,
			    "tax"), appt_money_fmt(sum.tax, dg, b));
	}
	free(tl);
	free(rates);
}

long
appt_invoices_check(const struct appt_store *s,
    void (*report)(void *, const char *), void *ctx)
{
	struct ick k = { report, ctx, 0 };
	struct appt_invoices iv = { 0 };
	struct appt_table *T = &iv.inv, *P = &iv.pay, L, C;
	const char *fmt = appt_cfg(&s->cfg, "invoice:number", "INV-%Y-%04n");
	struct ref *num, *lr, *hit, *cust;
	struct { int year; long n; } *cnt = NULL;
	size_t i, j, ncnt = 0, nl;
	long long v, *paid;
	char want[256], a[32];
	int nocust = 0;

	iv.s = s;
	tryread(&k, s, T, "invoices.csv", appt_invoice_cols);
	tryread(&k, s, P, "payments.csv", appt_payment_cols);
	tryread(&k, s, &L, "invoice-lines.csv", appt_invline_cols);
	/* customers.csv is checked on its own: here only for references. */
	{
		char *path = appt_path(s, "customers.csv"), *err;

		if (appt_table_read(&C, path, "customers.csv",
		    appt_schema_cols("customers.csv"), 0, &err) < 0) {
			free(err);
			nocust = 1;
			appt_table_init(&C, "", "customers.csv",
			    appt_schema_cols("customers.csv"));
		}
		free(path);
	}
	iv.voided = xcalloc(T->nrow + 1, sizeof *iv.voided);
	num = xcalloc(T->nrow + 1, sizeof *num);
	cust = xcalloc(C.nrow + 1, sizeof *cust);
	for (i = 0; i < C.nrow; i++)
		cust[i] = (struct ref){ appt_get(&C, &C.row[i], "id"), i };
	qsort(cust, C.nrow, sizeof *cust, cmpref);
	for (i = 0; i < T->nrow; i++)
		num[i] = (struct ref){ appt_get(T, &T->row[i], "number"), i };
	qsort(num, T->nrow, sizeof *num, cmpref);
	for (i = 1; i < T->nrow; i++)
		if (!strcmp(num[i].key, num[i - 1].key))
			bad(&k, T, T->row[num[i].i].line, "number %s used "
			    "twice (line %ld too)", num[i].key,
			    T->row[num[i - 1].i].line);
	/* Each row: its fields, its place in the series, its credit note. */
	for (i = 0; i < T->nrow; i++) {
		const struct appt_row *r = &T->row[i];
		const char *type = appt_get(T, r, "type");
		const char *cancels = appt_get(T, r, "cancels");
		int y = yearof(appt_get(T, r, "date")), dg;
		static const char *const amt[] = { "net", "tax", "total" };
		long long sum[3] = { 0 };

		dg = appt_invoice_digits(&iv, r);
		if (strcmp(type, "invoice") && strcmp(type, "credit"))
			bad(&k, T, r->line, "type: not invoice or credit");
		if (!y)
			bad(&k, T, r->line, "date: not a date (YYYY-MM-DD)");
		if (!appt_empty(appt_get(T, r, "due")) &&
		    !yearof(appt_get(T, r, "due")))
			bad(&k, T, r->line, "due: not a date (YYYY-MM-DD)");
		if (strcmp(appt_get(T, r, "prices"), "gross") &&
		    strcmp(appt_get(T, r, "prices"), "net"))
			bad(&k, T, r->line, "prices: not gross or net");
		if (!nocust && !bsearch(appt_get(T, r, "customer"), cust,
		    C.nrow, sizeof *cust, cmprefkey))
			bad(&k, T, r->line, "customer %s: no such customer",
			    appt_get(T, r, "customer"));
		for (j = 0; j < 3; j++)
			if (appt_money_parse(appt_get(T, r, amt[j]), dg,
			    &sum[j]) < 0)
				bad(&k, T, r->line, "%s: not an amount",
				    amt[j]);
		if (sum[0] + sum[1] != sum[2])
			bad(&k, T, r->line, "total is not net + tax");
		/* Gapless: the k-th number of a year is the format's k. */
		for (j = 0; j < ncnt && cnt[j].year != y; j++)
			;
		if (j == ncnt) {
			cnt = xreallocarray(cnt, ncnt + 1, sizeof *cnt);
			cnt[ncnt].year = y;
			cnt[ncnt++].n = 0;
		}
		cnt[j].n++;
		if (appt_invoice_number(fmt, y, appt_invoice_yearly(fmt) ?
		    cnt[j].n : (long)i + 1, want, sizeof want) == 0 &&
		    strcmp(want, appt_get(T, r, "number")))
			bad(&k, T, r->line, "number %s where %s comes next: a "
			    "gap or a repeat in the series", appt_get(T, r,
			    "number"), want);
		if (!strcmp(type, "credit")) {
			hit = bsearch(cancels, num, T->nrow, sizeof *num,
			    cmprefkey);
			if (!hit || strcmp(appt_get(T, &T->row[hit->i], "type"),
			    "invoice"))
				bad(&k, T, r->line, "cancels %s: no such "
				    "invoice", cancels);
			else if (appt_invoice_voided(&iv, cancels))
				bad(&k, T, r->line, "cancels %s: cancelled "
				    "already", cancels);
			iv.voided[iv.nvoided++] = (char *)cancels;
			qsort(iv.voided, iv.nvoided, sizeof *iv.voided, cmpstr);
		}
	}
	/* Lines: by invoice, against the totals; orphans are a crash's. */
	lr = xcalloc(L.nrow + 1, sizeof *lr);
	for (i = 0; i < L.nrow; i++)
		lr[i] = (struct ref){ appt_get(&L, &L.row[i], "invoice"), i };
	qsort(lr, L.nrow, sizeof *lr, cmpref);
	for (i = 0; i < L.nrow; i += nl) {
		for (nl = 1; i + nl < L.nrow && !strcmp(lr[i + nl].key,
		    lr[i].key); nl++)
			;
		if (!(hit = bsearch(lr[i].key, num, T->nrow, sizeof *num,
		    cmprefkey)))
			continue;
		checklines(&k, T, &T->row[hit->i], &L, lr + i, nl,
		    appt_invoice_digits(&iv, &T->row[hit->i]),
		    strcmp(appt_get(T, &T->row[hit->i], "prices"), "net"));
	}
	for (i = 0; i < T->nrow; i++) {
		const struct appt_row *r = &T->row[i];

		if (!bsearch(appt_get(T, r, "number"), lr, L.nrow, sizeof *lr,
		    cmprefkey))
			bad(&k, T, r->line, "%s: no lines in "
			    "invoice-lines.csv", appt_get(T, r, "number"));
	}
	/* Payments: to a live invoice, within its total. */
	paid = xcalloc(T->nrow + 1, sizeof *paid);
	for (i = 0; i < P->nrow; i++) {
		const struct appt_row *p = &P->row[i];
		const char *m = appt_get(P, p, "method");

		if (!(hit = bsearch(appt_get(P, p, "invoice"), num, T->nrow,
		    sizeof *num, cmprefkey))) {
			bad(&k, P, p->line, "invoice %s: no such invoice",
			    appt_get(P, p, "invoice"));
			continue;
		}
		if (appt_money_parse(appt_get(P, p, "amount"),
		    appt_invoice_digits(&iv, &T->row[hit->i]), &v) < 0 ||
		    v <= 0) {
			bad(&k, P, p->line, "amount: not an amount above 0");
			continue;
		}
		if (!appt_empty(m) && strcmp(m, "cash") && strcmp(m, "card") &&
		    strcmp(m, "transfer") && strcmp(m, "other"))
			bad(&k, P, p->line, "method: not cash, card, transfer "
			    "or other");
		if (appt_invoice_voided(&iv, hit->key) || strcmp(appt_get(T,
		    &T->row[hit->i], "type"), "invoice"))
			bad(&k, P, p->line, "invoice %s: paid, but it is void "
			    "or a credit note", hit->key);
		paid[hit->i] += v;
		if (appt_money_parse(appt_get(T, &T->row[hit->i], "total"),
		    appt_invoice_digits(&iv, &T->row[hit->i]), &v) == 0 &&
		    paid[hit->i] > v)
			bad(&k, P, p->line, "invoice %s: paid %s, more than "
			    "its total", hit->key, appt_money_fmt(paid[hit->i],
			    appt_invoice_digits(&iv, &T->row[hit->i]), a));
	}
	free(paid);
	free(lr);
	free(num);
	free(cust);
	free(cnt);
	appt_table_free(&L);
	appt_table_free(&C);
	appt_invoices_free(&iv);
	return k.n;
}
