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
 * The store is a directory a year, invoices/YYYY/, of the year of issue:
 * invoices.csv (one row per invoice or credit note issued that year),
 * invoice-lines.csv (their lines) and payments.csv (the payments of its
 * invoices, whenever made), appended to and never rewritten: nothing
 * issued is changed, and issuing costs what a year holds, not ten. The
 * three files at the top of the data directory, where stores made before
 * the years kept everything, are read first and never written. An
 * invoice is void when a credit note names it (cancels); its status,
 * paid and balance are worked out from the credit notes and payments,
 * never stored.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

int
appt_invoice_year(const char *date)
{
	int y, m, d;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    strspn(date, "0123456789-") != 10 ||
	    sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !appt_valid_date(y, m, d))
		return 0;
	return y;
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

/* Is name a year's directory of the store: four digits? */
static int
yearname(const char *name)
{
	return strlen(name) == 4 && strspn(name, "0123456789") == 4 &&
	    atoi(name) > 0;
}

size_t
appt_invoice_places(const struct appt_store *s, int year, char ***out)
{
	char **v = xcalloc(2, sizeof *v);
	size_t n = 0;
	struct dirent *e;
	DIR *d;
	int fd;

	v[n++] = xstrdup("");
	if (year < 0) {
		*out = v;
		return n;
	}
	fd = openat(s->dirfd, "invoices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && !(d = fdopendir(fd)))
		close(fd);
	else if (fd >= 0) {
		while ((e = readdir(d)))
			if (yearname(e->d_name) && atoi(e->d_name) >= year) {
				v = xreallocarray(v, n + 2, sizeof *v);
				v[n++] = xasprintf("invoices/%s/", e->d_name);
			}
		closedir(d);
	}
	qsort(v + 1, n - 1, sizeof *v, cmpstr);
	*out = v;
	return n;
}

/*
 * The file name of the places from year on, merged into t; a file that
 * is bad is passed to report (its count in *bad) and read as empty, or
 * with report NULL is exit 3.
 */
static void
loadplaces(const struct appt_store *s, struct appt_table *t, const char *name,
    const char *const *needles, int year,
    void (*report)(void *, const char *), void *ctx, long *bad)
{
	const char *const *cols = appt_schema_cols(name);
	struct appt_table one;
	char **pl, *rel, *path, *err;
	size_t n = appt_invoice_places(s, year, &pl), i;

	appt_table_init(t, "", name, cols);
	for (i = 0; i < n; i++) {
		rel = xasprintf("%s%s", pl[i], name);
		path = appt_path(s, rel);
		if (appt_table_read_where(&one, path, rel, cols, 0, needles,
		    &err) == 0)
			appt_table_take(t, &one);
		else if (!report) {
			free(path);
			free(rel);
			appt_strv_free(pl, n);
			appt_die(APPT_EDATA, "%s", err);
		} else {
			report(ctx, err);
			(*bad)++;
			free(err);
		}
		free(path);
		free(rel);
	}
	appt_strv_free(pl, n);
}

void
appt_invoice_load(const struct appt_store *s, struct appt_table *t,
    const char *name, const char *const *needles, int year)
{
	loadplaces(s, t, name, needles, year, NULL, NULL, NULL);
}

/*
 * invoices/YYYY/.appointments.idx, derived data that is safe to delete:
 * the line "appt-invidx 1 DEV INO SIZE MTIME NSEC CTIME NSEC" of the
 * invoices.csv beside it as it was read, then the ids of the appointments
 * its invoices name, sorted, one a line; so that issuing an invoice of
 * an appointment need not read every year for it. A file changed within
 * the last two seconds is not written down (months.c says why).
 */
static void
idxhead(char *buf, size_t n, const struct stat *st)
{
	snprintf(buf, n, "appt-invidx 1 %llu %llu %lld %lld %ld %lld %ld\n",
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	    (long long)st->st_size, (long long)st->st_mtim.tv_sec,
	    st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec,
	    st->st_ctim.tv_nsec);
}

static int
cmplong(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

struct idsave {
	const char *head;
	const long *id;
	size_t n;
};

static int
idxput(FILE *fp, void *ctx)
{
	const struct idsave *x = ctx;
	size_t i;

	fputs(x->head, fp);
	for (i = 0; i < x->n; i++)
		fprintf(fp, "%ld\n", x->id[i]);
	return 0;
}

/* The ids the index of a place holds if it is that of st; else -1. */
static long
idxread(const struct appt_store *s, const char *place, const struct stat *st,
    long **out)
{
	char *rel = xasprintf("%s.appointments.idx", place);
	char *path = appt_path(s, rel), head[200], *line = NULL, *end;
	size_t cap = 0, n = 0, max = 0;
	long *v = NULL, id;
	ssize_t len;
	FILE *fp = fopen(path, "r");
	int ok = 0;

	free(rel);
	free(path);
	idxhead(head, sizeof head, st);
	if (fp && getline(&line, &cap, fp) > 0 && !strcmp(line, head)) {
		ok = 1;
		while (ok && (len = getline(&line, &cap, fp)) > 0) {
			errno = 0;
			id = strtol(line, &end, 10);
			if (errno || end == line || *end != '\n' || id <= 0) {
				ok = 0;	/* damaged: made again */
				break;
			}
			if (n == max) {
				max = max * 2 + 64;
				v = xreallocarray(v, max, sizeof *v);
			}
			v[n++] = id;
		}
		ok = ok && !ferror(fp);
	}
	if (fp)
		fclose(fp);
	free(line);
	if (!ok) {
		free(v);
		return -1;
	}
	*out = v;
	return (long)n;
}

/* The ids of the appointments on the invoices of a place, sorted. */
static size_t
placeappts(const struct appt_store *s, const char *place, long **out)
{
	char *rel = xasprintf("%sinvoices.csv", place), *path = appt_path(s, rel);
	char *err, head[200], *w, *save, *tok;
	struct appt_table t;
	struct stat st;
	size_t i, n = 0, max = 0;
	long *v = NULL, id, got;
	FILE *fp = NULL;

	*out = NULL;
	/* The index of the file as it is: the file itself is not opened. */
	if (stat(path, &st) == 0 && (got = idxread(s, place, &st, out)) >= 0) {
		free(rel);
		free(path);
		return (size_t)got;
	}
	if (!(fp = fopen(path, "r")) && errno == ENOENT) {
		free(rel);
		free(path);
		return 0;
	}
	if (!fp || fstat(fileno(fp), &st) < 0)
		appt_die(APPT_EDATA, "%s: %s", rel, strerror(errno));
	/* Read as it is open: the index is of what was read. */
	if (appt_table_read_fp(&t, fp, path, rel, appt_invoice_cols, &err) <
	    0)
		appt_die(APPT_EDATA, "%s", err);
	fclose(fp);
	for (i = 0; i < t.nrow; i++) {
		w = xstrdup(appt_get(&t, &t.row[i], "appointments"));
		for (tok = strtok_r(w, " ", &save); tok;
		    tok = strtok_r(NULL, " ", &save))
			if (appt_parse_id(tok, &id) == 0) {
				if (n == max) {
					max = max * 2 + 64;
					v = xreallocarray(v, max, sizeof *v);
				}
				v[n++] = id;
			}
		free(w);
	}
	appt_table_free(&t);
	idxhead(head, sizeof head, &st);
	if (n)
		qsort(v, n, sizeof *v, cmplong);
	for (i = max = 0; i < n; i++)	/* each once */
		if (!max || v[i] != v[max - 1])
			v[max++] = v[i];
	n = max;
	if (st.st_mtim.tv_sec < time(NULL) - 1 &&
	    st.st_ctim.tv_sec < time(NULL) - 1) {
		struct idsave x = { head, v, n };
		char *idx = xasprintf("%s.appointments.idx", place);

		/* Only for speed: a failure leaves it to be made again. */
		appt_replace(s, idx, idxput, &x);
		free(idx);
	}
	free(rel);
	free(path);
	*out = v;
	return n;
}

int
appt_invoice_named_before(const struct appt_store *s, int year,
    const long *ids, size_t nid)
{
	char **pl;
	size_t n, i, j, nv;
	long *v;
	int hit = 0;

	if (!nid)
		return 0;
	n = appt_invoice_places(s, 0, &pl);

	for (i = 1; i < n && !hit && atoi(pl[i] + 9) < year; i++) {
		char *sub = xstrndup(pl[i], strlen(pl[i]) - 1);

		/* Under the lock: a killed reader's temporary index goes. */
		appt_remove_stale(s, sub);
		free(sub);
		nv = placeappts(s, pl[i], &v);
		/* No ids is v NULL, which bsearch must not be given. */
		for (j = 0; j < nid && nv && !hit; j++)
			hit = bsearch(&ids[j], v, nv, sizeof *v, cmplong) !=
			    NULL;
		free(v);
	}
	appt_strv_free(pl, n);
	return hit;
}

void
appt_invoices_read_some(struct appt_invoices *iv, const struct appt_store *s,
    const char *const *needles, int pay, int year)
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
	appt_invoice_load(s, &iv->inv, "invoices.csv", nd, year);
	if (!pay)
		appt_table_init(&iv->pay, "", "payments.csv",
		    appt_payment_cols);
	else
		appt_invoice_load(s, &iv->pay, "payments.csv", needles, year);
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
	appt_invoices_read_some(iv, s, NULL, 1, 0);
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
		appt_die(APPT_EDATA, "%s:%ld: %s: not an amount",
		    appt_row_label(t, r), r->line, col);
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

int
appt_invoice_next(const struct appt_store *s, const char *fmt, int year,
    char *buf, size_t len)
{
	struct appt_table top;
	char **pl, *rel, *path, *err, y[8];
	const char *needles[] = { y, NULL };
	size_t np, i;
	long n = 1, k;
	int yearly = appt_invoice_yearly(fmt);

	/* The top, of stores before the years: its rows of the year. */
	snprintf(y, sizeof y, "%04d", year % 10000);
	appt_invoice_load(s, &top, "invoices.csv", yearly ? needles : NULL,
	    -1);
	for (i = 0; i < top.nrow; i++)
		if (!yearly || appt_invoice_year(appt_get(&top, &top.row[i],
		    "date")) == year)
			n++;
	appt_table_free(&top);
	/* Then the records of the year's place, or of every year's. */
	np = appt_invoice_places(s, yearly ? year : 0, &pl);
	for (i = 1; i < np; i++) {
		if (yearly && atoi(pl[i] + 9) != year)
			continue;
		rel = xasprintf("%sinvoices.csv", pl[i]);
		path = appt_path(s, rel);
		if ((k = appt_csv_count(path, rel, &err)) < 0)
			appt_die(APPT_EDATA, "%s", err);
		n += k;
		free(path);
		free(rel);
	}
	appt_strv_free(pl, np);
	if (appt_invoice_number(fmt, year, n, buf, len) < 0)
		return -1;
	return 0;
}

void
appt_invoice_lines(const struct appt_store *s, const char *number, int year,
    struct appt_table *t)
{
	const char *needles[] = { number, NULL };
	size_t i;

	appt_invoice_load(s, t, "invoice-lines.csv", needles, year);
	/* A needle matches anywhere in a record: keep this invoice's. */
	for (i = t->nrow; i-- > 0;)
		if (strcmp(appt_get(t, &t->row[i], "invoice"), number))
			appt_table_remove(t, i);
}

/*
 * Under the lock: the directory of a year, made if it is not there (and
 * its making made to last), cleared of temporaries a killed writer left.
 */
static char *
yeardir(const struct appt_store *s, int year)
{
	char *sub = xasprintf("invoices/%04d", year % 10000);
	const char *dirs[] = { "invoices", sub };
	int i, fd;

	for (i = 0; i < 2; i++) {
		if (mkdirat(s->dirfd, dirs[i], 0700) < 0) {
			if (errno == EEXIST)
				continue;
			appt_die(APPT_EFAIL, "%s: cannot make: %s", dirs[i],
			    strerror(errno));
		}
		/* Its name in its parent is on disk before files in it. */
		fd = i ? openat(s->dirfd, "invoices", O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC) : dup(s->dirfd);
		if (fd < 0 || fsync(fd) < 0)
			appt_die(APPT_EFAIL, "%s: cannot make: %s", dirs[i],
			    strerror(errno));
		close(fd);
	}
	appt_remove_stale(s, sub);
	return sub;
}

/* Append the rows of t to rel: the bytes there are kept, not rewritten. */
static void
append(const struct appt_store *s, const char *rel, const struct appt_table *t,
    const char *drop)
{
	const char *const *cols = appt_schema_cols(rel);
	struct appt_table all;
	char *path, *err;
	size_t i, j;
	int r = drop ? 1 : appt_csv_append(s, rel, NULL, t, NULL, t->nrow,
	    NULL);

	if (r < 0)
		appt_die(APPT_EFAIL, "%s: cannot write", rel);
	if (r == 0)
		return;
	/* A file that cannot take an append, or stale rows: all of it. */
	path = appt_path(s, rel);
	if (appt_table_read(&all, path, rel, cols, 0, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	free(path);
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

/* How many lines of number the place sub/ holds. */
static size_t
nlines(const struct appt_store *s, const char *sub, const char *number)
{
	const char *needles[] = { number, NULL };
	char *rel = xasprintf("%s/invoice-lines.csv", sub);
	char *path = appt_path(s, rel), *err;
	struct appt_table old;
	size_t i, n = 0;

	if (appt_table_read_where(&old, path, rel, appt_invline_cols, 0,
	    needles, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	for (i = 0; i < old.nrow; i++)
		n += !strcmp(appt_get(&old, &old.row[i], "invoice"), number);
	appt_table_free(&old);
	free(path);
	free(rel);
	return n;
}

void
appt_invoice_write(const struct appt_store *s, const struct appt_table *inv,
    const struct appt_table *lines)
{
	const char *number = appt_get(inv, &inv->row[0], "number");
	int year = appt_invoice_year(appt_get(inv, &inv->row[0], "date"));
	struct appt_table none;
	char *sub, *rel, **pl;
	size_t i, np;

	if (!year)
		appt_die(APPT_EFAIL, "%s: date '%s' is not a date", number,
		    appt_get(inv, &inv->row[0], "date"));
	sub = yeardir(s, year);
	/*
	 * The lines first, then the invoice: a kill in between leaves lines
	 * of a number not issued, which the next issue of that number drops
	 * here. A series without %Y may issue that number in another year:
	 * they are dropped from every year's place then.
	 */
	if (!appt_invoice_yearly(appt_cfg(&s->cfg, "invoice:number",
	    "INV-%Y-%04n"))) {
		appt_table_init(&none, "", "invoice-lines.csv",
		    appt_invline_cols);
		np = appt_invoice_places(s, 0, &pl);
		for (i = 1; i < np; i++) {
			rel = xstrndup(pl[i], strlen(pl[i]) - 1);
			if (strcmp(rel, sub) && nlines(s, rel, number)) {
				free(rel);
				rel = xasprintf("%sinvoice-lines.csv", pl[i]);
				append(s, rel, &none, number);
			}
			free(rel);
		}
		appt_strv_free(pl, np);
		appt_table_free(&none);
	}
	rel = xasprintf("%s/invoice-lines.csv", sub);
	append(s, rel, lines, nlines(s, sub, number) ? number : NULL);
	free(rel);
	rel = xasprintf("%s/invoices.csv", sub);
	append(s, rel, inv, NULL);
	free(rel);
	free(sub);
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
appt_payment_write(const struct appt_store *s, int year,
    const struct appt_table *pay)
{
	char *sub = yeardir(s, year), *rel = xasprintf("%s/payments.csv", sub);

	append(s, rel, pay, NULL);
	free(rel);
	free(sub);
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
bad(struct ick *k, const struct appt_table *t, const struct appt_row *r,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	k->n += appt_vproblem(k->report, k->ctx, appt_row_label(t, r),
	    r->line, fmt, ap);
	va_end(ap);
}


/* The year of the place a row was read from, 0 for the top. */
static int
placeyear(const struct appt_table *t, const struct appt_row *r)
{
	const char *l = appt_row_label(t, r);

	return strncmp(l, "invoices/", 9) ? 0 : atoi(l + 9);
}

/* What is in invoices/ that is not a year's directory. */
static void
strays(struct ick *k, const struct appt_store *s)
{
	struct dirent *e;
	struct stat st;
	char *msg;
	DIR *d;
	int fd = openat(s->dirfd, "invoices", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);

	if (fd >= 0 && !(d = fdopendir(fd)))
		close(fd);
	if (fd < 0 || !d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (yearname(e->d_name) && fstatat(dirfd(d), e->d_name, &st,
		    0) == 0 && S_ISDIR(st.st_mode))
			continue;
		msg = xasprintf("invoices/%s: not a year's directory "
		    "(invoices/YYYY/)", e->d_name);
		k->report(k->ctx, msg);
		k->n++;
		free(msg);
	}
	closedir(d);
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

/* An appointment on a row of invoices.csv. */
struct onappt {
	long id;
	size_t i;
};

static int
cmponappt(const void *a, const void *b)
{
	const struct onappt *x = a, *y = b;

	return x->id != y->id ? (x->id < y->id ? -1 : 1) :
	    x->i < y->i ? -1 : x->i > y->i;
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
			bad(k, L, l, "qty: not a quantity");
			ok = 0;
		} else if (appt_money_parse(appt_get(L, l, "price"), dg,
		    &price) < 0) {
			bad(k, L, l, "price: not an amount");
			ok = 0;
		} else if (appt_rate_parse(appt_get(L, l, "tax"),
		    &tl[i].rate) < 0) {
			bad(k, L, l, "tax: not a percentage");
			ok = 0;
		} else if (appt_line_amount(qty, price, &tl[i].amount) < 0) {
			bad(k, L, l, "qty × price is not a whole amount");
			ok = 0;
		}
	}
	if (ok) {
		appt_tax_compute(tl, nl, gross, rates, &sum);
		if (appt_money_parse(appt_get(T, r, "total"), dg, &v) == 0 &&
		    v != sum.gross)
			bad(k, T, r, "%s: total %s, but its lines come to "
			    "%s", appt_get(T, r, "number"), appt_get(T, r,
			    "total"), appt_money_fmt(sum.gross, dg, a));
		if (appt_money_parse(appt_get(T, r, "tax"), dg, &v) == 0 &&
		    v != sum.tax)
			bad(k, T, r, "%s: tax %s, but its lines come to "
			    "%s", appt_get(T, r, "number"), appt_get(T, r,
			    "tax"), appt_money_fmt(sum.tax, dg, b));
	}
	free(tl);
	free(rates);
}

/* Lines or payments (rows rr of t) of invoice r in another year's place. */
static void
misplaced(struct ick *k, const struct appt_table *T, const struct appt_row *r,
    const struct appt_table *t, const struct ref *rr, size_t n)
{
	int y = appt_invoice_year(appt_get(T, r, "date")), py;
	size_t i;

	for (i = 0; y && i < n; i++)
		if ((py = placeyear(t, &t->row[rr[i].i])) && py != y)
			bad(k, t, &t->row[rr[i].i], "%s was issued in %d: "
			    "what is of it belongs in invoices/%04d/",
			    appt_get(T, r, "number"), y, y % 10000);
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
	char want[256], a[32], **series = NULL;
	size_t first = 0, last = 0;
	int nocust = 0, yearly = appt_invoice_yearly(fmt);

	iv.s = s;
	strays(&k, s);
	loadplaces(s, T, "invoices.csv", NULL, 0, report, ctx, &k.n);
	loadplaces(s, P, "payments.csv", NULL, 0, report, ctx, &k.n);
	loadplaces(s, &L, "invoice-lines.csv", NULL, 0, report,
	    ctx, &k.n);
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
	if (!yearly && T->nrow) {
		/* The numbers 1 to n of the series, sorted, and where 1, n are. */
		series = xcalloc(T->nrow + 1, sizeof *series);
		for (i = 0; i < T->nrow; i++)
			if (appt_invoice_number(fmt, 0, (long)i + 1, want,
			    sizeof want) == 0)
				series[i] = xstrdup(want);
			else
				series[i] = xstrdup("");
		want[0] = '\0';
		first = 0;
		last = T->nrow - 1;
		{
			char *a = series[first], *b = series[last];

			qsort(series, T->nrow, sizeof *series, cmpstr);
			for (i = 0; i < T->nrow; i++) {
				if (series[i] == a)
					first = i;
				if (series[i] == b)
					last = i;
			}
		}
	}
	for (i = 1; i < T->nrow; i++)
		if (!strcmp(num[i].key, num[i - 1].key))
			bad(&k, T, &T->row[num[i].i], "number %s used "
			    "twice (%s:%ld too)", num[i].key,
			    appt_row_label(T, &T->row[num[i - 1].i]),
			    T->row[num[i - 1].i].line);
	/* Each row: its fields, its place in the series, its credit note. */
	for (i = 0; i < T->nrow; i++) {
		const struct appt_row *r = &T->row[i];
		const char *type = appt_get(T, r, "type");
		const char *cancels = appt_get(T, r, "cancels");
		int y = appt_invoice_year(appt_get(T, r, "date")), dg;
		static const char *const amt[] = { "net", "tax", "total" };
		long long sum[3] = { 0 };

		dg = appt_invoice_digits(&iv, r);
		if (strcmp(type, "invoice") && strcmp(type, "credit"))
			bad(&k, T, r, "type: not invoice or credit");
		if (!y)
			bad(&k, T, r, "date: not a date (YYYY-MM-DD)");
		else if (placeyear(T, r) && placeyear(T, r) != y)
			bad(&k, T, r, "%s: issued in %d, so it belongs in "
			    "invoices/%04d/", appt_get(T, r, "number"), y,
			    y % 10000);
		if (!appt_empty(appt_get(T, r, "due")) &&
		    !appt_invoice_year(appt_get(T, r, "due")))
			bad(&k, T, r, "due: not a date (YYYY-MM-DD)");
		if (strcmp(appt_get(T, r, "prices"), "gross") &&
		    strcmp(appt_get(T, r, "prices"), "net"))
			bad(&k, T, r, "prices: not gross or net");
		if (!nocust && !bsearch(appt_get(T, r, "customer"), cust,
		    C.nrow, sizeof *cust, cmprefkey))
			bad(&k, T, r, "customer %s: no such customer",
			    appt_get(T, r, "customer"));
		for (j = 0; j < 3; j++)
			if (appt_money_parse(appt_get(T, r, amt[j]), dg,
			    &sum[j]) < 0)
				bad(&k, T, r, "%s: not an amount",
				    amt[j]);
		if (sum[0] + sum[1] != sum[2])
			bad(&k, T, r, "total is not net + tax");
		/* Gapless: the k-th number of a year is the format's k. */
		for (j = 0; j < ncnt && cnt[j].year != y; j++)
			;
		if (j == ncnt) {
			cnt = xreallocarray(cnt, ncnt + 1, sizeof *cnt);
			cnt[ncnt].year = y;
			cnt[ncnt++].n = 0;
		}
		cnt[j].n++;
		if (yearly && appt_invoice_number(fmt, y, cnt[j].n, want,
		    sizeof want) == 0 && strcmp(want, appt_get(T, r,
		    "number")))
			bad(&k, T, r, "number %s where %s comes next: a "
			    "gap or a repeat in the series", appt_get(T, r,
			    "number"), want);
		/*
		 * One series over the years: the numbers 1 to n, in whatever
		 * years' places (an invoice dated back into the year before
		 * is read before those issued ahead of it).
		 */
		if (!yearly && series && !bsearch(appt_get(T, r, "number"),
		    series, T->nrow, sizeof *series, cmpkey))
			bad(&k, T, r, "number %s is not one of %s to %s: a "
			    "gap in the series", appt_get(T, r, "number"),
			    series[first], series[last]);
		if (!strcmp(type, "credit")) {
			hit = bsearch(cancels, num, T->nrow, sizeof *num,
			    cmprefkey);
			if (!hit || strcmp(appt_get(T, &T->row[hit->i], "type"),
			    "invoice"))
				bad(&k, T, r, "cancels %s: no such "
				    "invoice", cancels);
			else if (appt_invoice_voided(&iv, cancels))
				bad(&k, T, r, "cancels %s: cancelled "
				    "already", cancels);
			iv.voided[iv.nvoided++] = (char *)cancels;
			qsort(iv.voided, iv.nvoided, sizeof *iv.voided, cmpstr);
		}
	}
	/* An appointment is on one live invoice at most, over the years. */
	{
		struct onappt *on = NULL;
		size_t non = 0, max = 0;
		char *w, *save, *tok;
		long id;

		for (i = 0; i < T->nrow; i++) {
			const struct appt_row *r = &T->row[i];

			if (strcmp(appt_get(T, r, "type"), "invoice") ||
			    appt_invoice_voided(&iv, appt_get(T, r, "number")))
				continue;
			w = xstrdup(appt_get(T, r, "appointments"));
			for (tok = strtok_r(w, " ", &save); tok;
			    tok = strtok_r(NULL, " ", &save)) {
				if (appt_parse_id(tok, &id) < 0)
					continue;
				if (non == max) {
					max = max * 2 + 16;
					on = xreallocarray(on, max, sizeof *on);
				}
				on[non].id = id;
				on[non++].i = i;
			}
			free(w);
		}
		if (non)
			qsort(on, non, sizeof *on, cmponappt);
		for (j = 1; j < non; j++) {
			const struct appt_row *a = &T->row[on[j - 1].i];

			if (on[j].id == on[j - 1].id && on[j].i != on[j - 1].i)
				bad(&k, T, &T->row[on[j].i], "appointment %ld: "
				    "on %s and on %s (%s:%ld), both live",
				    on[j].id, appt_get(T, &T->row[on[j].i],
				    "number"), appt_get(T, a, "number"),
				    appt_row_label(T, a), a->line);
		}
		free(on);
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
		misplaced(&k, T, &T->row[hit->i], &L, lr + i, nl);
	}
	for (i = 0; i < T->nrow; i++) {
		const struct appt_row *r = &T->row[i];

		if (!bsearch(appt_get(T, r, "number"), lr, L.nrow, sizeof *lr,
		    cmprefkey))
			bad(&k, T, r, "%s: no lines in "
			    "invoice-lines.csv", appt_get(T, r, "number"));
	}
	/* Payments: to a live invoice, within its total. */
	paid = xcalloc(T->nrow + 1, sizeof *paid);
	for (i = 0; i < P->nrow; i++) {
		const struct appt_row *p = &P->row[i];
		const char *m = appt_get(P, p, "method");

		if (!(hit = bsearch(appt_get(P, p, "invoice"), num, T->nrow,
		    sizeof *num, cmprefkey))) {
			bad(&k, P, p, "invoice %s: no such invoice",
			    appt_get(P, p, "invoice"));
			continue;
		}
		misplaced(&k, T, &T->row[hit->i], P, &(struct ref){ hit->key,
		    i }, 1);
		if (appt_money_parse(appt_get(P, p, "amount"),
		    appt_invoice_digits(&iv, &T->row[hit->i]), &v) < 0 ||
		    v <= 0) {
			bad(&k, P, p, "amount: not an amount above 0");
			continue;
		}
		if (!appt_empty(m) && strcmp(m, "cash") && strcmp(m, "card") &&
		    strcmp(m, "transfer") && strcmp(m, "other"))
			bad(&k, P, p, "method: not cash, card, transfer "
			    "or other");
		if (appt_invoice_voided(&iv, hit->key) || strcmp(appt_get(T,
		    &T->row[hit->i], "type"), "invoice"))
			bad(&k, P, p, "invoice %s: paid, but it is void "
			    "or a credit note", hit->key);
		paid[hit->i] += v;
		if (appt_money_parse(appt_get(T, &T->row[hit->i], "total"),
		    appt_invoice_digits(&iv, &T->row[hit->i]), &v) == 0 &&
		    paid[hit->i] > v)
			bad(&k, P, p, "invoice %s: paid %s, more than "
			    "its total", hit->key, appt_money_fmt(paid[hit->i],
			    appt_invoice_digits(&iv, &T->row[hit->i]), a));
	}
	free(paid);
	free(lr);
	free(num);
	appt_strv_free(series, series ? T->nrow : 0);
	free(cust);
	free(cnt);
	appt_table_free(&L);
	appt_table_free(&C);
	appt_invoices_free(&iv);
	return k.n;
}
