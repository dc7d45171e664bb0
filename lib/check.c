/*
 * check.c: is the data directory sound? Every problem is reported as
 * "file:line: problem". appt-check prints them all; appt-edit checks a
 * candidate file in place of the real one and is told only the problems
 * the candidate brings.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "appt.h"

struct span {
	const char *staff;
	time_t start, end;
	char *where;		/* file:line */
	long id;
};

struct ck {
	const struct appt_store *s;
	const char *override, *opath;
	void (*report)(void *, const char *);
	void *ctx;
	long n;
	struct appt_table staff, services, customers;
	int nostaff, noservices, nocustomers;	/* unreadable: no ref checks */
	long maxappt;
	struct span *sp;
	size_t nsp;
	long *cids;			/* customer ids, sorted */
	size_t ncids;
	struct seen {
		long id, line;
		char *file, *start;	/* start: customer,service,created */
	} *moved;			/* every appointment id, for duplicates */
	size_t nmoved;
};

long
appt_vproblem(void (*report)(void *, const char *), void *ctx,
    const char *file, long line, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap), *full;

	full = line ? xasprintf("%s:%ld: %s", file, line, msg) :
	    xasprintf("%s: %s", file, msg);
	report(ctx, full);
	free(full);
	free(msg);
	return 1;
}

static void __attribute__((format(printf, 4, 5)))
problem(struct ck *k, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	k->n += appt_vproblem(k->report, k->ctx, file, line, fmt, ap);
	va_end(ap);
}

static int
load(struct ck *k, struct appt_table *t, const char *rel)
{
	char *path, *err;
	int r;

	path = k->override && !strcmp(rel, k->override) ? xstrdup(k->opath) :
	    appt_path(k->s, rel);
	r = appt_table_read(t, path, rel, appt_schema_cols(rel), 0, &err);
	free(path);
	if (r < 0) {
		k->report(k->ctx, err);
		k->n++;
		free(err);
		appt_table_init(t, "", rel, appt_schema_cols(rel));
	}
	return r;
}

/* Look a value up in a table's id column. */
static struct appt_row *
byid(const struct appt_table *t, const char *id, int ci)
{
	size_t i;

	for (i = 0; i < t->nrow; i++) {
		const char *v = appt_get(t, &t->row[i], "id");

		if (ci ? !strcasecmp(v, id) : !strcmp(v, id))
			return &t->row[i];
	}
	return NULL;
}

/* Ids: positive integers (numeric) or short names, unique. */
struct idref {
	const char *id;
	long num, line;
};

static int
cmpidref(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int c;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if ((c = strcasecmp(x->id, y->id)))
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void
ids(struct ck *k, const struct appt_table *t, int numeric)
{
	struct idref *v = xcalloc(t->nrow + 1, sizeof *v);
	size_t i, n = 0;
	long num = 0;

	for (i = 0; i < t->nrow; i++) {
		const char *id = appt_get(t, &t->row[i], "id");

		if (numeric && appt_parse_id(id, &num) < 0) {
			problem(k, t->label, t->row[i].line, "id '%s': not a "
			    "positive whole number", id);
			continue;
		}
		if (!numeric && (!*id || strpbrk(id, " \t,"))) {
			problem(k, t->label, t->row[i].line, "id '%s': empty "
			    "or holds a space or comma", id);
			continue;
		}
		v[n].id = id;
		v[n].num = numeric ? num : 0;
		v[n++].line = t->row[i].line;
	}
	/* Sorted, a repeated id stands next to its first use. */
	if (n)
		qsort(v, n, sizeof *v, cmpidref);
	for (i = 1; i < n; i++)
		if (v[i].num == v[i - 1].num && !strcasecmp(v[i].id,
		    v[i - 1].id)) {
			size_t first = i - 1;

			while (first > 0 && v[first - 1].num == v[i].num &&
			    !strcasecmp(v[first - 1].id, v[i].id))
				first--;
			problem(k, t->label, v[i].line, "id %s used again "
			    "(first at line %ld)", v[i].id, v[first].line);
		}
	free(v);
}

static void
text(struct ck *k, const struct appt_table *t, const struct appt_row *r)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (appt_bad_text(r->f[i]) && strcmp(t->col[i], "notes") &&
		    strcmp(t->col[i], "description") &&
		    strcmp(t->col[i], "address"))
			problem(k, t->label, r->line, "%s: holds a line break "
			    "or control character", t->col[i]);
}

static void
contact(struct ck *k, const struct appt_table *t, const struct appt_row *r)
{
	const char *e = appt_get(t, r, "email"), *p = appt_get(t, r, "phone");
	char buf[32];

	if (*e && !appt_email_valid(e))
		problem(k, t->label, r->line, "email '%s': not an address", e);
	if (*p && appt_norm_phone(p, k->s->country, buf, sizeof buf) < 0)
		problem(k, t->label, r->line, "phone '%s': not a phone number",
		    p);
}

/* The value of col; NULL when empty, a problem when it is required. */
static const char *
value(struct ck *k, const struct appt_table *t, const struct appt_row *r,
    const char *col, int required)
{
	const char *v = appt_get(t, r, col);

	if (*v)
		return v;
	if (required)
		problem(k, t->label, r->line, "%s: empty", col);
	return NULL;
}

static void
stamp(struct ck *k, const struct appt_table *t, const struct appt_row *r,
    const char *col, int required)
{
	const char *v = value(k, t, r, col, required);
	time_t x;

	if (v && appt_parse_stamp(v, 0, &x) < 0)
		problem(k, t->label, r->line, "%s '%s': not a time "
		    "(2026-11-23T09:00+01:00)", col, v);
}

static void
dur(struct ck *k, const struct appt_table *t, const struct appt_row *r,
    const char *col, int required)
{
	const char *v = value(k, t, r, col, required);
	long m;

	if (v && (appt_parse_dur(v, &m) < 0 || (required && m == 0)))
		problem(k, t->label, r->line, "%s '%s': not a duration",
		    col, v);
}

static void
money(struct ck *k, const struct appt_table *t, const struct appt_row *r,
    const char *col)
{
	const char *v = appt_get(t, r, col);
	long long x;

	if (*v && appt_money_parse(v, k->s->digits, &x) < 0)
		problem(k, t->label, r->line, "%s '%s': not an amount "
		    "(45.00)", col, v);
}

/* A service's price: an amount, not negative. */
static void
price(struct ck *k, const struct appt_table *t, const struct appt_row *r)
{
	const char *v = appt_get(t, r, "price");
	char buf[32];
	int e = appt_price_norm(v, k->s->digits, buf);

	if (e == -1)
		problem(k, t->label, r->line, "price '%s': not an amount "
		    "(45.00)", v);
	else if (e == -2)
		problem(k, t->label, r->line, "price '%s': negative", v);
}

static void
staffref(struct ck *k, const struct appt_table *t, const struct appt_row *r,
    const char *v)
{
	if (*v && !k->nostaff && !byid(&k->staff, v, 1))
		problem(k, t->label, r->line, "staff '%s': no such staff "
		    "member in staff.csv", v);
}

/* lat and lon of a row (staff, customers): both or neither, in range. */
static void
place(struct ck *k, const struct appt_table *t, const struct appt_row *r)
{
	const char *lat = appt_get(t, r, "lat"), *lon = appt_get(t, r, "lon");
	double d;

	if (*lat && appt_parse_coord(lat, 1, &d) < 0)
		problem(k, t->label, r->line, "lat '%s': %s", lat,
		    appt_coord_why(1));
	if (*lon && appt_parse_coord(lon, 0, &d) < 0)
		problem(k, t->label, r->line, "lon '%s': %s", lon,
		    appt_coord_why(0));
	if (!*lat != !*lon)
		problem(k, t->label, r->line, "%s: empty, but %s is given",
		    *lat ? "lon" : "lat", *lat ? "lat" : "lon");
}

/* travel.csv: from and to postcodes, minutes a duration. */
static void
checktravel(struct ck *k)
{
	struct appt_table t;
	struct appt_row *r;
	const char *m;
	long min;
	size_t i;

	load(k, &t, "travel.csv");
	for (i = 0; i < t.nrow; i++) {
		r = &t.row[i];
		text(k, &t, r);
		value(k, &t, r, "from", 1);
		value(k, &t, r, "to", 1);
		m = appt_get(&t, r, "minutes");
		if (appt_parse_dur(m, &min) < 0)
			problem(k, t.label, r->line, "minutes '%s': not a "
			    "duration (25, 25m, 1h10m)", m);
	}
	appt_table_free(&t);
}

static void
checkstaff(struct ck *k)
{
	struct appt_table *t = &k->staff;
	const char *mobile;
	size_t i;

	k->nostaff = load(k, t, "staff.csv") < 0;
	ids(k, t, 0);
	for (i = 0; i < t->nrow; i++) {
		text(k, t, &t->row[i]);
		contact(k, t, &t->row[i]);
		value(k, t, &t->row[i], "name", 1);
		place(k, t, &t->row[i]);
		mobile = appt_get(t, &t->row[i], "mobile");
		if (*mobile && appt_parse_bool(mobile) < 0)
			problem(k, t->label, t->row[i].line, "mobile '%s': "
			    "not yes or no", mobile);
	}
}

static void
checkservices(struct ck *k)
{
	struct appt_table *t = &k->services;
	struct appt_row *r;
	long long pct;
	size_t i;
	char *list, *tok, *save;
	const char *tax;

	k->noservices = load(k, t, "services.csv") < 0;
	ids(k, t, 0);
	for (i = 0; i < t->nrow; i++) {
		r = &t->row[i];
		text(k, t, r);
		value(k, t, r, "name", 1);
		dur(k, t, r, "duration", 1);
		dur(k, t, r, "buffer_before", 0);
		dur(k, t, r, "buffer_after", 0);
		dur(k, t, r, "recall", 0);
		price(k, t, r);
		tax = appt_get(t, r, "tax");
		if (*tax && (appt_money_parse(tax, 2, &pct) < 0 || pct < 0 ||
		    pct > 10000))
			problem(k, t->label, r->line, "tax '%s': not a "
			    "percentage", tax);
		list = xstrdup(appt_get(t, r, "staff"));
		for (tok = strtok_r(list, " ", &save); tok;
		    tok = strtok_r(NULL, " ", &save))
			staffref(k, t, r, tok);
		free(list);
	}
}

static void
checkclosures(struct ck *k)
{
	struct appt_table t;
	struct appt_row *r;
	time_t a, b;
	size_t i;

	load(k, &t, "closures.csv");
	for (i = 0; i < t.nrow; i++) {
		r = &t.row[i];
		text(k, &t, r);
		staffref(k, &t, r, appt_get(&t, r, "staff"));
		stamp(k, &t, r, "start", 1);
		stamp(k, &t, r, "end", 1);
		if (appt_parse_stamp(appt_get(&t, r, "start"), 0, &a) == 0 &&
		    appt_parse_stamp(appt_get(&t, r, "end"), 1, &b) == 0 &&
		    b <= a)
			problem(k, t.label, r->line, "end is not after start");
	}
	appt_table_free(&t);
}

/* The cleared column of a flag: field names, separated by spaces. */
static void
cleared(struct ck *k, const struct appt_table *t, const struct appt_row *r)
{
	char *v = xstrdup(appt_get(t, r, "cleared")), *tok, *save;

	for (tok = strtok_r(v, " ", &save); tok; tok = strtok_r(NULL, " ",
	    &save))
		if (appt_flag_field(tok) < 0)
			problem(k, t->label, r->line, "cleared: '%s' is not "
			    "name, email, phone or address", tok);
	free(v);
}

static void
checkpeople(struct ck *k, struct appt_table *t, const char *rel)
{
	struct appt_row *r;
	size_t i;

	if (load(k, t, rel) < 0 && !strcmp(rel, "customers.csv"))
		k->nocustomers = 1;
	ids(k, t, 1);
	for (i = 0; i < t->nrow; i++) {
		r = &t->row[i];
		text(k, t, r);
		contact(k, t, r);
		stamp(k, t, r, "created", 0);
		if (!strcmp(rel, "customers.csv")) {
			value(k, t, r, "name", 1);
			place(k, t, r);
			stamp(k, t, r, "optout", 0);
		}
		if (!strcmp(rel, "flags.csv") && !*appt_get(t, r, "name") &&
		    !*appt_get(t, r, "email") && !*appt_get(t, r, "phone") &&
		    !*appt_get(t, r, "address"))
			problem(k, t->label, r->line, "a flag needs a name, "
			    "email, phone or address");
		if (!strcmp(rel, "flags.csv"))
			cleared(k, t, r);
	}
}

/* Customer ids sorted once: a history of appointments is checked fast. */
static int
hascustomer(struct ck *k, const char *v)
{
	size_t i;
	long id;

	if (!k->cids) {
		k->cids = xcalloc(k->customers.nrow + 1, sizeof *k->cids);
		for (i = 0; i < k->customers.nrow; i++)
			if (appt_parse_id(appt_get(&k->customers,
			    &k->customers.row[i], "id"),
			    &k->cids[k->ncids]) == 0)
				k->ncids++;
		if (k->ncids)
			qsort(k->cids, k->ncids, sizeof *k->cids, appt_cmplong);
	}
	return appt_parse_id(v, &id) == 0 && k->ncids && bsearch(&id,
	    k->cids, k->ncids, sizeof *k->cids, appt_cmplong);
}

static int
monthname(const char *n, int *y, int *m)
{
	return strlen(n) == 11 && sscanf(n, "%4d-%2d.csv", y, m) == 2 &&
	    isdigit((unsigned char)n[5]) && *m >= 1 && *m <= 12 &&
	    !strcmp(n + 7, ".csv");
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
checkmonth(struct ck *k, const char *rel, int y, int m)
{
	struct appt_table t;
	struct appt_row *r;
	time_t a, b;
	size_t i;
	long id, seq;
	int ay, am;
	const char *v;
	char names[APPT_STATUSLEN];

	load(k, &t, rel);
	ids(k, &t, 1);
	for (i = 0; i < t.nrow; i++) {
		r = &t.row[i];
		id = 0;
		text(k, &t, r);
		if (appt_parse_id(appt_get(&t, r, "id"), &id) == 0) {
			if (id > k->maxappt)
				k->maxappt = id;
			k->moved = xreallocarray(k->moved, k->nmoved + 1,
			    sizeof *k->moved);
			k->moved[k->nmoved].id = id;
			k->moved[k->nmoved].line = r->line;
			k->moved[k->nmoved].file = xstrdup(t.label);
			k->moved[k->nmoved++].start = xasprintf("%s,%s,%s",
			    appt_get(&t, r, "customer"), appt_get(&t, r,
			    "service"), appt_get(&t, r, "created"));
		}
		stamp(k, &t, r, "start", 1);
		stamp(k, &t, r, "end", 1);
		stamp(k, &t, r, "created", 0);
		stamp(k, &t, r, "updated", 0);
		stamp(k, &t, r, "started", 0);
		stamp(k, &t, r, "finished", 0);
		money(k, &t, r, "price");
		v = appt_get(&t, r, "seq");
		if (*v && appt_parse_long(v, 0, APPT_SEQMAX, &seq) < 0)
			problem(k, t.label, r->line, "seq '%s': not a whole "
			    "number (0, 1, 2, ...)", v);
		v = appt_get(&t, r, "service");
		if (!k->noservices && !byid(&k->services, v, 1))
			problem(k, t.label, r->line, "service '%s': no such "
			    "service in services.csv", v);
		v = appt_get(&t, r, "staff");
		if (!*v)
			problem(k, t.label, r->line, "staff: empty");
		staffref(k, &t, r, v);
		v = appt_get(&t, r, "customer");
		if (!k->nocustomers && !hascustomer(k, v))
			problem(k, t.label, r->line, "customer '%s': no such "
			    "customer in customers.csv", v);
		v = appt_get(&t, r, "status");
		if (!appt_status_valid(v))
			problem(k, t.label, r->line, "status '%s': not one of "
			    "%s", v, appt_status_list(names, sizeof names));
		if (appt_parse_iso(appt_get(&t, r, "start"), &a) < 0 ||
		    appt_parse_iso(appt_get(&t, r, "end"), &b) < 0)
			continue;
		if (b <= a) {
			problem(k, t.label, r->line, "end is not after start");
			continue;
		}
		appt_local(a, &ay, &am, NULL, NULL, NULL);
		if (ay != y || am != m)
			problem(k, t.label, r->line, "starts outside the month "
			    "of its file");
		if (!strcmp(v, "cancelled"))
			continue;
		k->sp = xreallocarray(k->sp, k->nsp + 1, sizeof *k->sp);
		k->sp[k->nsp].staff = NULL;
		k->sp[k->nsp].where = xasprintf("%s:%ld:%s", t.label, r->line,
		    appt_get(&t, r, "staff"));
		k->sp[k->nsp].start = a;
		k->sp[k->nsp].end = b;
		k->sp[k->nsp].id = id;
		k->nsp++;
	}
	appt_table_free(&t);
}

static int
cmpseen(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->file, y->file);
}

static int
cmpspan(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = strcmp(strrchr(x->where, ':'), strrchr(y->where, ':'));

	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void
checkappointments(struct ck *k)
{
	char *dir = appt_path(k->s, "appointments"), **names = NULL, *rel;
	size_t n = 0, i, j;
	struct dirent *e;
	DIR *d;
	int y, m;

	if ((d = opendir(dir))) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			if (!monthname(e->d_name, &y, &m)) {
				if (strstr(e->d_name, ".csv"))
					problem(k, "appointments", 0, "%s: not "
					    "named YYYY-MM.csv", e->d_name);
				continue;
			}
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = xstrdup(e->d_name);
		}
		closedir(d);
	}
	free(dir);
	if (n)
		qsort(names, n, sizeof *names, cmpname);
	for (i = 0; i < n; i++) {
		monthname(names[i], &y, &m);
		rel = xasprintf("appointments/%s", names[i]);
		checkmonth(k, rel, y, m);
		free(rel);
		free(names[i]);
	}
	free(names);
	/* One staff member in two places at once. */
	if (k->nsp)
		qsort(k->sp, k->nsp, sizeof *k->sp, cmpspan);
	for (i = 0; i < k->nsp; i++) {
		for (j = i + 1; j < k->nsp; j++) {
			const char *a = k->sp[i].where, *b = k->sp[j].where;
			char *file;

			if (strcmp(strrchr(a, ':'), strrchr(b, ':')) ||
			    k->sp[j].start >= k->sp[i].end)
				break;
			/* Two copies of one id: the id check judges them. */
			if (k->sp[i].id && k->sp[i].id == k->sp[j].id)
				continue;
			file = xstrndup(b, (size_t)(strchr(b, ':') - b));
			problem(k, file, atol(strchr(b, ':') + 1),
			    "overlaps appointment %ld (%.*s) for staff %s",
			    k->sp[i].id, (int)(strrchr(a, ':') - a), a,
			    strrchr(a, ':') + 1);
			free(file);
		}
	}
	for (i = 0; i < k->nsp; i++)
		free(k->sp[i].where);
	free(k->sp);
	/*
	 * The same appointment (id, customer, service and created time) in
	 * two month files is the trace of a move cut short between its two
	 * renames (appt-move(1)): accepted. Anything else with one id twice
	 * is a problem. Within one file, ids() has judged already.
	 */
	if (k->nmoved)
		qsort(k->moved, k->nmoved, sizeof *k->moved, cmpseen);
	for (i = 1; i < k->nmoved; i++) {
		struct seen *a = &k->moved[i - 1], *b = &k->moved[i];

		if (a->id == b->id && strcmp(a->file, b->file) &&
		    strcmp(a->start, b->start))
			problem(k, b->file, b->line, "id %ld used again in "
			    "another month (%s:%ld)", b->id, a->file, a->line);
	}
}

/* Is there an appointment id (k->moved sorted by checkappointments)? */
static int
hasappt(void *ctx, long id)
{
	struct ck *k = ctx;
	size_t lo = 0, hi = k->nmoved, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (k->moved[mid].id == id)
			return 1;
		if (k->moved[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static void
checkids(struct ck *k)
{
	struct appt_table t;
	size_t i;
	long last;

	load(k, &t, "ids.csv");
	for (i = 0; i < t.nrow; i++) {
		const char *tab = appt_get(&t, &t.row[i], "table");

		if (appt_parse_long(appt_get(&t, &t.row[i], "last"), 0,
		    APPT_ID_MAX, &last) < 0) {
			problem(k, t.label, t.row[i].line, "last: not a "
			    "number");
			continue;
		}
		if (!strcmp(tab, "appointments") && last < k->maxappt)
			problem(k, t.label, t.row[i].line, "appointments: last "
			    "id %ld is below id %ld in use", last, k->maxappt);
	}
	if (k->maxappt) {
		for (i = 0; i < t.nrow; i++)
			if (!strcmp(appt_get(&t, &t.row[i], "table"),
			    "appointments"))
				break;
		if (i == t.nrow)
			problem(k, t.label, 0, "no entry for appointments");
	}
	appt_table_free(&t);
}

/* reviews.csv: the queue of appt-review. */
static void
checkreviews(struct ck *k)
{
	struct appt_table t;
	struct appt_row *r;
	const char *v;
	size_t i;
	long x;

	load(k, &t, "reviews.csv");
	for (i = 0; i < t.nrow; i++) {
		r = &t.row[i];
		text(k, &t, r);
		v = appt_get(&t, r, "appointment");
		if (appt_parse_id(v, &x) < 0)
			problem(k, t.label, r->line, "appointment '%s': not an "
			    "appointment id", v);
		v = appt_get(&t, r, "customer");
		if (!k->nocustomers && !hascustomer(k, v))
			problem(k, t.label, r->line, "customer '%s': no such "
			    "customer in customers.csv", v);
		v = appt_get(&t, r, "step");
		if (appt_parse_long(v, 0, 99, &x) < 0)
			problem(k, t.label, r->line, "step '%s': not a whole "
			    "number", v);
		stamp(k, &t, r, "due", 0);
		v = appt_get(&t, r, "status");
		if (!appt_review_status_valid(v))
			problem(k, t.label, r->line, "status '%s': not one of "
			    "waiting, sent, done, optout, expired", v);
		stamp(k, &t, r, "created", 0);
	}
	appt_table_free(&t);
}

static void
checkconfig(struct ck *k)
{
	struct appt_config c;
	char *path, *err;

	path = k->override && !strcmp(k->override, "config.ini") ?
	    xstrdup(k->opath) : appt_path(k->s, "config.ini");
	if (appt_config_load(&c, path, &err) < 0) {
		k->report(k->ctx, err);
		k->n++;
		free(err);
	} else
		k->n += appt_config_validate(&c, k->report, k->ctx);
	appt_config_free(&c);
	free(path);
}

struct filter {
	char **seen;
	size_t nseen;
	int collecting;
	void (*report)(void *, const char *);
	void *ctx;
	long n;
};

static void
filtered(void *ctx, const char *msg)
{
	struct filter *f = ctx;
	size_t i;

	if (f->collecting) {
		f->seen = xreallocarray(f->seen, f->nseen + 1,
		    sizeof *f->seen);
		f->seen[f->nseen++] = xstrdup(msg);
		return;
	}
	for (i = 0; i < f->nseen; i++)
		if (!strcmp(f->seen[i], msg))
			return;
	f->n++;
	f->report(f->ctx, msg);
}

/*
 * busy/: each calendar as busy.c reads it, and each folder of one staff
 * member named for one in staff.csv.
 */
static void
checkbusy(struct ck *k)
{
	char *path = appt_path(k->s, "busy");
	struct dirent **de = NULL;
	size_t j;
	int n, i;

	k->n += appt_busy_check(k->s, k->report, k->ctx);
	n = scandir(path, &de, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (de[i]->d_type == DT_DIR && de[i]->d_name[0] != '.' &&
		    !k->nostaff) {
			for (j = 0; j < k->staff.nrow && strcasecmp(appt_get(
			    &k->staff, &k->staff.row[j], "id"),
			    de[i]->d_name); j++)
				;
			if (j == k->staff.nrow) {
				char *rel = xasprintf("busy/%s",
				    de[i]->d_name);

				problem(k, rel, 0, "no staff member %s in "
				    "staff.csv: its calendars block no one",
				    de[i]->d_name);
				free(rel);
			}
		}
		free(de[i]);
	}
	if (n >= 0)
		free(de);
	free(path);
}

/* web.key, the booking page's secret, if there is one: whole and private. */
static void
checkwebkey(struct ck *k)
{
	struct stat st;

	if (fstatat(k->s->dirfd, "web.key", &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			problem(k, "web.key", 0, "%s", strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode))
		problem(k, "web.key", 0, "not a file");
	else if (st.st_size != APPT_WEBKEY_LEN)
		problem(k, "web.key", 0, "%lld bytes, not a key of %d (remove "
		    "it to make a new one; links sent so far stop working)",
		    (long long)st.st_size, APPT_WEBKEY_LEN);
	else if (st.st_mode & 077)
		problem(k, "web.key", 0, "mode %04o: the secret of the "
		    "manage links is open to others (chmod 600 web.key)",
		    (unsigned)(st.st_mode & 07777));
}

static long
run(const struct appt_store *s, const char *override, const char *opath,
    void (*report)(void *, const char *), void *ctx)
{
	struct ck k = { .s = s, .override = override, .opath = opath,
	    .report = report, .ctx = ctx };

	checkconfig(&k);
	checkstaff(&k);
	checkservices(&k);
	checkclosures(&k);
	checkpeople(&k, &k.customers, "customers.csv");
	{
		struct appt_table flags;

		checkpeople(&k, &flags, "flags.csv");
		appt_table_free(&flags);
	}
	checkappointments(&k);
	checkreviews(&k);
	checktravel(&k);
	checkids(&k);
	checkbusy(&k);
	checkwebkey(&k);
	k.n += appt_invoices_check(s, report, ctx);
	k.n += appt_msg_check(s, hasappt, &k, report, ctx);
	for (size_t i = 0; i < k.nmoved; i++) {
		free(k.moved[i].file);
		free(k.moved[i].start);
	}
	free(k.moved);
	appt_table_free(&k.staff);
	appt_table_free(&k.services);
	appt_table_free(&k.customers);
	free(k.cids);
	return k.n;
}

long
appt_check(const struct appt_store *s, const char *override,
    const char *opath, void (*report)(void *, const char *), void *ctx)
{
	struct filter f = { .report = report, .ctx = ctx };

	if (!override)
		return run(s, NULL, NULL, report, ctx);
	/* Only what the candidate adds to the problems already there. */
	f.collecting = 1;
	run(s, NULL, NULL, filtered, &f);
	f.collecting = 0;
	run(s, override, opath, filtered, &f);
	appt_strv_free(f.seen, f.nseen);
	return f.n;
}
