/*
 * customer.c: finding customers by id, email or phone, and the customer
 * of a booking: found, recognised or added (appt_customer_resolve).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "appt.h"

struct appt_row *
appt_customer_match(const struct appt_store *s, struct appt_table *t,
    const char *email, const char *phone, const struct appt_row *except,
    const char **field)
{
	char *ne = appt_empty(email) ? NULL : appt_norm_email(email);
	char np[32], p2[32];
	int hasphone = !appt_empty(phone) &&
	    appt_norm_phone(phone, s->country, np, sizeof np) == 0;
	struct appt_row *hit = NULL;
	size_t i;

	for (i = 0; i < t->nrow && !hit; i++) {
		struct appt_row *r = &t->row[i];
		const char *e = appt_get(t, r, "email");

		if (r == except)
			continue;
		if (ne && *e) {
			char *n2 = appt_norm_email(e);

			if (!strcmp(n2, ne)) {
				hit = r;
				if (field)
					*field = "email";
			}
			free(n2);
		}
		if (!hit && hasphone && appt_norm_phone(appt_get(t, r,
		    "phone"), s->country, p2, sizeof p2) == 0 &&
		    !strcmp(np, p2)) {
			hit = r;
			if (field)
				*field = "phone";
		}
	}
	free(ne);
	return hit;
}

struct appt_row *
appt_customer_find(const struct appt_store *s, struct appt_table *t,
    const char *key)
{
	long id;
	size_t i;

	if (appt_parse_id(key, &id) == 0) {
		for (i = 0; i < t->nrow; i++)
			if (!strcmp(appt_get(t, &t->row[i], "id"), key))
				return &t->row[i];
		/* A number that is not an id may still be a phone. */
		if (strlen(key) < 5)
			return NULL;
	}
	return strchr(key, '@') ? appt_customer_match(s, t, key, NULL, NULL,
	    NULL) : appt_customer_match(s, t, NULL, key, NULL, NULL);
}

/* Is p fit to store? APPT_EUSAGE, saying why in why, or 0. */
static int
personbad(const struct appt_store *s, const struct appt_person *p,
    char *why, size_t n)
{
	const char *names[] = { "name", "email", "phone", "address",
	    "postcode", "note" };
	const char *v[] = { p->name, p->email, p->phone, p->address,
	    p->postcode, p->notes };
	char buf[32];
	const char *bad;
	size_t i;

	for (i = 0; i < 6; i++) {
		if ((bad = appt_input_bad(v[i]))) {
			snprintf(why, n, "--%s: %s", names[i], bad);
			return APPT_EUSAGE;
		}
		if (v[i] && strlen(v[i]) > APPT_CSV_FIELDMAX) {
			snprintf(why, n, "--%s: longer than %d bytes",
			    names[i], APPT_CSV_FIELDMAX);
			return APPT_EUSAGE;
		}
	}
	if (!appt_empty(p->name) && !p->name[strspn(p->name, " ")]) {
		snprintf(why, n, "--name: blank");
		return APPT_EUSAGE;
	}
	if (!appt_empty(p->email) && !appt_email_valid(p->email)) {
		snprintf(why, n, "--email %s: not an address of the form "
		    "local@domain", p->email);
		return APPT_EUSAGE;
	}
	if (!appt_empty(p->phone) && appt_norm_phone(p->phone, s->country,
	    buf, sizeof buf) < 0) {
		snprintf(why, n, "--phone %s: not a phone number", p->phone);
		return APPT_EUSAGE;
	}
	return 0;
}

void
appt_person_of(const struct appt_table *t, const struct appt_row *r,
    struct appt_person *p)
{
	p->name = appt_get(t, r, "name");
	p->email = appt_get(t, r, "email");
	p->phone = appt_get(t, r, "phone");
	p->address = appt_get(t, r, "address");
	p->postcode = appt_get(t, r, "postcode");
	p->notes = appt_get(t, r, "notes");
}

void
appt_person_check(const struct appt_store *s, const struct appt_person *p)
{
	char why[512];

	if (personbad(s, p, why, sizeof why))
		appt_die(APPT_EUSAGE, "%s", why);
}

/*
 * Customers as bookings decide on them, and as appt-customer add makes
 * them: customers.csv through its index (.customers.idx, people.c),
 * opened when first needed. A customer is found by reading only the
 * records the index points to; the new and the filled-in customers are
 * written by appt_customers_save in one copy of the file's bytes, the new
 * records after them and the filled-in ones in their place
 * (appt_csv_put), so that neither costs the size of the file. A file that
 * cannot be written so is rewritten whole, once.
 *
 * The customers read or added are the rows of t, in the columns of the
 * file's header and any a caller sets; off is where each one's record
 * starts in the file, -1 for a new one, and dirty says which to write.
 */
struct appt_customers {
	const struct appt_store *s;
	struct appt_ids *ids;
	int opened;
	FILE *fp;		/* customers.csv, NULL if missing or empty */
	struct appt_custidx *x;
	struct appt_table hdr;	/* its header, and no rows */
	struct appt_table t;
	long long *off;
	char *dirty;
	/* The keys of each row's email and phone (appt_custkey), if any. */
	long long (*key)[2];
	char (*has)[2];
	size_t cap;
};

struct appt_customers *
appt_customers_open(const struct appt_store *s, struct appt_ids *ids)
{
	struct appt_customers *cs = xcalloc(1, sizeof *cs);

	cs->s = s;
	cs->ids = ids;
	return cs;
}

void
appt_customers_close(struct appt_customers *cs)
{
	if (!cs)
		return;
	if (cs->fp)
		fclose(cs->fp);
	appt_custidx_free(cs->x);
	appt_table_free(&cs->hdr);
	appt_table_free(&cs->t);
	free(cs->off);
	free(cs->dirty);
	free(cs->key);
	free(cs->has);
	free(cs);
}

/* customers.csv as it is now: its header, its index; t has its columns. */
static void
reopen(struct appt_customers *cs)
{
	char *path = appt_path(cs->s, "customers.csv"), *err;
	struct stat st;
	size_t i;

	if (cs->fp)
		fclose(cs->fp);
	appt_custidx_free(cs->x);
	appt_table_free(&cs->hdr);
	cs->x = NULL;
	if (!(cs->fp = fopen(path, "r")) && errno != ENOENT)
		appt_die(APPT_EDATA, "customers.csv: %s", strerror(errno));
	if (cs->fp && fstat(fileno(cs->fp), &st) == 0 && st.st_size == 0) {
		fclose(cs->fp);
		cs->fp = NULL;
	}
	if (!cs->fp)
		appt_table_init(&cs->hdr, path, "customers.csv",
		    appt_schema_cols("customers.csv"));
	else {
		cs->x = appt_custidx_open(cs->s, cs->fp);
		if (appt_table_read_head(&cs->hdr, cs->fp, path,
		    "customers.csv", &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
	}
	if (!cs->opened)
		appt_table_init(&cs->t, path, "customers.csv", NULL);
	for (i = 0; i < cs->hdr.ncol; i++)
		appt_set(&cs->t, NULL, cs->hdr.col[i], NULL);
	cs->opened = 1;
	free(path);
}

static void
need(struct appt_customers *cs)
{
	if (!cs->opened)
		reopen(cs);
}

/* A new row of t, for a customer whose record starts at off (or -1). */
static size_t
addrow(struct appt_customers *cs, long long off)
{
	size_t i = cs->t.nrow;

	appt_table_add(&cs->t);
	if (i >= cs->cap) {
		cs->cap = cs->cap * 2 + 16;
		cs->off = xreallocarray(cs->off, cs->cap, sizeof *cs->off);
		cs->dirty = xreallocarray(cs->dirty, cs->cap, 1);
		cs->key = xreallocarray(cs->key, cs->cap, sizeof *cs->key);
		cs->has = xreallocarray(cs->has, cs->cap, sizeof *cs->has);
	}
	cs->off[i] = off;
	cs->dirty[i] = off < 0;
	cs->has[i][0] = cs->has[i][1] = 0;
	return i;
}

/* Row i's email and phone as they are now: their keys. */
static void
rekey(struct appt_customers *cs, size_t i)
{
	static const char *const col[2] = { "email", "phone" };
	int k;

	for (k = 0; k < 2; k++)
		cs->has[i][k] = appt_custkey(cs->s->country, k ? APPT_IDX_PHONE :
		    APPT_IDX_EMAIL, appt_get(&cs->t, &cs->t.row[i], col[k]),
		    &cs->key[i][k]) == 0;
}

/* The row of the customer whose record starts at off: read once. */
static size_t
rowat(struct appt_customers *cs, long long off)
{
	struct appt_row *r;
	char *err;
	size_t i, j;

	for (i = 0; i < cs->t.nrow; i++)
		if (cs->off[i] == off)
			return i;
	if (appt_table_read_at(&cs->hdr, cs->fp, off, NULL, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	r = &cs->hdr.row[cs->hdr.nrow - 1];
	i = addrow(cs, off);
	for (j = 0; j < cs->hdr.ncol; j++)
		appt_set(&cs->t, &cs->t.row[i], cs->hdr.col[j], r->f[j]);
	appt_table_remove(&cs->hdr, cs->hdr.nrow - 1);
	rekey(cs, i);
	return i;
}

/* The rows of the records the index has for a key, read. */
static void
rowsof(struct appt_customers *cs, int which, const char *v)
{
	long long *off;
	size_t n, i;

	if (!cs->x || !(n = appt_custidx_find(cs->x, which, v, NULL, 0)))
		return;
	off = xreallocarray(NULL, n, sizeof *off);
	appt_custidx_find(cs->x, which, v, off, n);
	for (i = 0; i < n; i++)
		rowat(cs, off[i]);
	free(off);
}

/*
 * The first customer, in the order of the file and then of those added,
 * whose normalised email or phone is the given: its row, or -1.
 */
static long
match(struct appt_customers *cs, const char *email, const char *phone,
    const char **field)
{
	struct appt_table one;
	const char *f, *e = appt_empty(email) ? NULL : email;
	const char *p = appt_empty(phone) ? NULL : phone;
	long long ke, kp;
	long best = -1;
	size_t i;
	int he, hp;

	need(cs);
	rowsof(cs, APPT_IDX_EMAIL, e);
	rowsof(cs, APPT_IDX_PHONE, p);
	he = appt_custkey(cs->s->country, APPT_IDX_EMAIL, e, &ke) == 0;
	hp = appt_custkey(cs->s->country, APPT_IDX_PHONE, p, &kp) == 0;
	/*
	 * Those read, their fields as they are now, and those added: by
	 * key (a batch asks a thousand times), then compared in full.
	 */
	one = cs->t;
	for (i = 0; i < cs->t.nrow; i++) {
		one.row = &cs->t.row[i];
		one.nrow = 1;
		if (!(he && cs->has[i][0] && cs->key[i][0] == ke) &&
		    !(hp && cs->has[i][1] && cs->key[i][1] == kp))
			continue;
		if (best >= 0 && (cs->off[i] < 0 || (cs->off[best] >= 0 &&
		    cs->off[best] < cs->off[i])))
			continue;
		if (appt_customer_match(cs->s, &one, e, p, NULL, &f)) {
			best = (long)i;
			if (field)
				*field = f;
		}
	}
	return best;
}

/* A customer by id, email or phone, as appt_customer_find: -1 if none. */
static long
find(struct appt_customers *cs, const char *key)
{
	const char *field;
	long id, v;
	size_t i;

	need(cs);
	if (appt_parse_id(key, &id) == 0) {
		rowsof(cs, APPT_IDX_ID, key);
		for (i = 0; i < cs->t.nrow; i++)
			if (appt_parse_id(appt_get(&cs->t, &cs->t.row[i],
			    "id"), &v) == 0 && v == id)
				return (long)i;
		/* A number that is not an id may still be a phone. */
		if (strlen(key) < 5)
			return -1;
	}
	return strchr(key, '@') ? match(cs, key, NULL, &field) : match(cs,
	    NULL, key, &field);
}

/* A new customer, with the next id: its row. */
static size_t
add(struct appt_customers *cs, const struct appt_person *p)
{
	struct appt_ids *ids = cs->ids ? cs->ids : appt_ids_open(cs->s);
	struct appt_table *t = &cs->t;
	struct appt_row *r;
	char id[32], now[APPT_TIMELEN];
	size_t i;

	need(cs);
	/* Never an id in use, whatever ids.csv says. */
	if (cs->x)
		appt_ids_floor(ids, "customers", appt_custidx_maxid(cs->x),
		    "customers.csv");
	snprintf(id, sizeof id, "%ld", appt_ids_take(ids, "customers", NULL,
	    1));
	if (!cs->ids) {
		appt_ids_save(ids);
		appt_ids_close(ids);
	}
	i = addrow(cs, -1);
	r = &t->row[i];
	appt_set(t, r, "id", id);
	appt_set(t, r, "name", p->name);
	appt_set(t, r, "email", p->email);
	appt_set(t, r, "phone", p->phone);
	appt_set(t, r, "address", p->address);
	appt_set(t, r, "postcode", p->postcode);
	appt_set(t, r, "notes", p->notes);
	appt_set(t, r, "created", appt_fmt_time(appt_now(), now));
	rekey(cs, i);
	return i;
}

struct appt_row *
appt_customers_find(struct appt_customers *cs, const char *key)
{
	long i = find(cs, key);

	return i < 0 ? NULL : &cs->t.row[i];
}

void
appt_customers_changed(struct appt_customers *cs, const struct appt_row *r)
{
	size_t i = (size_t)(r - cs->t.row);

	cs->dirty[i] = 1;
	rekey(cs, i);
}

struct appt_table *
appt_customers_table(struct appt_customers *cs)
{
	need(cs);
	return &cs->t;
}

struct appt_row *
appt_customers_match(struct appt_customers *cs, const char *email,
    const char *phone, const char **field)
{
	long i = match(cs, email, phone, field);

	return i < 0 ? NULL : &cs->t.row[i];
}

struct appt_row *
appt_customers_add(struct appt_customers *cs, const struct appt_person *p)
{
	size_t i = add(cs, p);	/* it may move the rows */

	return &cs->t.row[i];
}

/* Has the file every column of the schema (else a rewrite adds them)? */
static int
complete(const struct appt_customers *cs)
{
	const char *const *c;

	for (c = appt_schema_cols("customers.csv"); *c; c++)
		if (appt_col(&cs->hdr, *c) < 0)
			return 0;
	return 1;
}

/* Where each customer read or added now is, by its id. */
static void
locate(struct appt_customers *cs)
{
	long long off;
	size_t i;

	for (i = 0; i < cs->t.nrow; i++) {
		cs->dirty[i] = 0;
		cs->off[i] = cs->x && appt_custidx_find(cs->x, APPT_IDX_ID,
		    appt_get(&cs->t, &cs->t.row[i], "id"), &off, 1) ? off : -1;
	}
}

/* The file rewritten whole with the changed customers in it. */
static void
rewrite(struct appt_customers *cs)
{
	struct appt_table full, *t = &cs->t;
	struct appt_row *r;
	long id, v;
	size_t i, j, c;

	appt_load(cs->s, &full, "customers.csv");
	for (i = 0; i < t->nrow; i++) {
		if (!cs->dirty[i])
			continue;
		r = NULL;
		if (cs->off[i] >= 0 && appt_parse_id(appt_get(t, &t->row[i],
		    "id"), &id) == 0)
			for (j = 0; j < full.nrow && !r; j++)
				if (appt_parse_id(appt_get(&full,
				    &full.row[j], "id"), &v) == 0 && v == id)
					r = &full.row[j];
		if (!r)
			r = appt_table_add(&full);
		for (c = 0; c < t->ncol; c++)
			appt_set(&full, r, t->col[c], t->row[i].f[c]);
	}
	appt_table_save(cs->s, &full, "customers.csv");
	appt_table_free(&full);
	reopen(cs);
	locate(cs);
}

static int
cmprow(const void *a, const void *b, void *ctx)
{
	const long long *off = ctx;
	long long x = off[*(const size_t *)a], y = off[*(const size_t *)b];

	/* Records replaced, in file order; then the new, as added. */
	if ((x < 0) != (y < 0))
		return x < 0 ? 1 : -1;
	if (x < 0)
		return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
	return x < y ? -1 : x > y;
}

void
appt_customers_save(struct appt_customers *cs)
{
	struct appt_table *t = &cs->t;
	struct stat old, st;
	long long *at, *nat, d, total, o;
	size_t *rows, n = 0, i, k, nrep;
	int rc;

	if (!cs->opened)
		return;
	rows = xreallocarray(NULL, t->nrow + 1, sizeof *rows);
	for (i = 0; i < t->nrow; i++)
		if (cs->dirty[i])
			rows[n++] = i;
	if (!n) {
		free(rows);
		return;
	}
	qsort_r(rows, n, sizeof *rows, cmprow, cs->off);
	at = xreallocarray(NULL, n, sizeof *at);
	nat = xreallocarray(NULL, n, sizeof *nat);
	for (i = nrep = 0; i < n; i++)
		if ((at[i] = cs->off[rows[i]]) >= 0)
			nrep++;
	if (!cs->fp || fstat(fileno(cs->fp), &old) < 0 || !complete(cs))
		rc = 1;
	else
		rc = appt_csv_put(cs->s, "customers.csv", cs->fp, t, rows, at,
		    n, &st, nat);
	if (rc < 0)
		appt_die(APPT_EFAIL, "customers.csv: cannot write: %s (the old "
		    "file is kept)", strerror(errno));
	if (rc > 0) {
		rewrite(cs);
		goto out;
	}
	/*
	 * The index: the new records as if added to the old file, then the
	 * replaced ones from the last, each moving those after it by its
	 * change in length.
	 */
	total = nrep < n ? nat[nrep] - (long long)old.st_size :
	    (long long)(st.st_size - old.st_size);
	for (i = nrep; i < n; i++)
		appt_custidx_put(cs->x, nat[i] - total, i + 1 < n ? nat[i + 1] -
		    nat[i] : (long long)st.st_size - nat[i],
		    appt_get(t, &t->row[rows[i]], "id"), appt_get(t,
		    &t->row[rows[i]], "email"), appt_get(t, &t->row[rows[i]],
		    "phone"));
	for (k = nrep; k-- > 0; ) {
		o = nat[k] - at[k];	/* the moves of those before */
		d = (k + 1 < nrep ? nat[k + 1] - at[k + 1] : total) - o;
		appt_custidx_put(cs->x, at[k], d, appt_get(t, &t->row[rows[k]],
		    "id"), appt_get(t, &t->row[rows[k]], "email"), appt_get(t,
		    &t->row[rows[k]], "phone"));
	}
	/* Where each record now is: the same moves. */
	for (i = 0; i < t->nrow; i++) {
		if (cs->dirty[i] || cs->off[i] < 0)
			continue;
		for (k = 0, d = 0; k < nrep && at[k] < cs->off[i]; k++)
			d = (k + 1 < nrep ? nat[k + 1] - at[k + 1] : total);
		cs->off[i] += d;
	}
	for (i = 0; i < n; i++) {
		cs->off[rows[i]] = nat[i];
		cs->dirty[rows[i]] = 0;
	}
	/* It is only for speed: a failure leaves it stale, made again. */
	appt_custidx_save(cs->x, cs->s, &st);
	fclose(cs->fp);
	cs->fp = NULL;
	if (!(cs->fp = fopen(cs->hdr.path, "r")) ||
	    fstat(fileno(cs->fp), &old) < 0 || old.st_dev != st.st_dev ||
	    old.st_ino != st.st_ino || old.st_size != st.st_size) {
		/* Not the file just written (changed by hand): read anew. */
		reopen(cs);
		locate(cs);
	}
out:
	free(rows);
	free(at);
	free(nat);
}

struct say {
	void (*fn)(void *, const char *);
	void *ctx;
};

/* Say msg (through the caller's function, else on stderr): code. */
static int __attribute__((format(printf, 3, 4)))
tell(const struct say *say, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (say->fn)
		say->fn(say->ctx, msg);
	else
		appt_warn("%s", msg);
	free(msg);
	return code;
}

/*
 * Does the person match a flagged problem customer? The request's values
 * and the record's (rec, may be NULL) both count; the fields that match
 * go into flag. Warn, or refuse when [booking] on_flag = refuse and there
 * is no force.
 */
static int
flagged(const struct appt_store *s, const struct appt_flags *flags,
    int force, const struct appt_person *given,
    const struct appt_person *rec, char *flag, size_t flaglen,
    const struct say *say)
{
	struct appt_person p[2] = { *given, { 0 } };
	const char *id, *who;
	char names[64];
	size_t row;
	int i, mask;

	if (!flags || !flags->total)
		return 0;
	if (rec)
		p[1] = *rec;
	for (i = 0; i < (rec ? 2 : 1); i++) {
		if (!(mask = appt_flags_match(flags, &p[i], &row)))
			continue;
		appt_flag_names(mask, flag, flaglen);
		id = appt_get(flags->t, &flags->t->row[row], "id");
		who = appt_empty(p[i].name) ? "the customer" : p[i].name;
		if (!force && !strcmp(appt_cfg(&s->cfg, "booking:on_flag",
		    "warn"), "refuse"))
			return tell(say, APPT_EFAIL, "refused: %s matches flag "
			    "%s (%s): %s (--force books all the same)", who, id,
			    appt_flag_names(mask, names, sizeof names),
			    appt_get(flags->t, &flags->t->row[row], "reason"));
		tell(say, 0, "warning: %s matches flag %s (%s): %s", who, id,
		    appt_flag_names(mask, names, sizeof names),
		    appt_get(flags->t, &flags->t->row[row], "reason"));
		return 0;
	}
	return 0;
}

/* Is a given value the one on record? Email and phone as normalised. */
static int
samevalue(const struct appt_store *s, const char *col, const char *have,
    const char *val)
{
	char p1[32], p2[32], *e1, *e2;
	int same;

	if (!strcmp(col, "email")) {
		e1 = appt_norm_email(have);
		e2 = appt_norm_email(val);
		same = !strcmp(e1, e2);
		free(e1);
		free(e2);
		return same;
	}
	if (!strcmp(col, "phone") && appt_norm_phone(have, s->country, p1,
	    sizeof p1) == 0 && appt_norm_phone(val, s->country, p2,
	    sizeof p2) == 0)
		return !strcmp(p1, p2);
	return !strcasecmp(have, val);
}

static void
fill(struct appt_resolved *out, const struct appt_table *t,
    const struct appt_row *r)
{
	snprintf(out->id, sizeof out->id, "%s", appt_get(t, r, "id"));
	appt_person_of(t, r, &out->p);
}

int
appt_customer_resolve(struct appt_customers *cs,
    const struct appt_flags *flags, int force, const char *key,
    const struct appt_person *p, struct appt_resolved *out,
    void (*sayfn)(void *, const char *), void *ctx)
{
	static const char *const cols[] = { "name", "email", "phone",
	    "address", "postcode" };
	const struct say say = { sayfn, ctx };
	const struct appt_store *s = cs->s;
	struct appt_table *t = &cs->t;
	struct appt_row *r;
	const char *field = NULL, *vals[5];
	char why[512];
	long row;
	int i, code;

	memset(out, 0, sizeof *out);
	if (key) {
		if ((row = find(cs, key)) < 0)
			return tell(&say, APPT_EFAIL, "%s: no such customer",
			    key);
		fill(out, t, &t->row[row]);
		return flagged(s, flags, force, p, &out->p, out->flag,
		    sizeof out->flag, &say);
	}
	if ((code = personbad(s, p, why, sizeof why)))
		return tell(&say, code, "%s", why);
	if ((row = match(cs, p->email, p->phone, &field)) >= 0) {
		r = &t->row[row];
		fill(out, t, r);
		if ((code = flagged(s, flags, force, p, &out->p, out->flag,
		    sizeof out->flag, &say)))
			return code;
		vals[0] = p->name;
		vals[1] = p->email;
		vals[2] = p->phone;
		vals[3] = p->address;
		vals[4] = p->postcode;
		for (i = 0; i < 5; i++) {
			const char *have = appt_get(t, r, cols[i]);

			if (appt_empty(vals[i]))
				continue;
			if (!*have) {
				appt_set(t, r, cols[i], vals[i]);
				cs->dirty[row] = 1;
				rekey(cs, (size_t)row);
			} else if (!samevalue(s, cols[i], have, vals[i]))
				tell(&say, 0, "customer %s (by %s): %s is '%s', "
				    "not '%s'; kept as it is", out->id, field,
				    cols[i], have, vals[i]);
		}
		fill(out, t, r);
		return 0;
	}
	/* Only a new customer needs both. */
	if (appt_empty(p->name) || (appt_empty(p->email) &&
	    appt_empty(p->phone)))
		return tell(&say, APPT_EUSAGE, "a new customer needs --name "
		    "and --email or --phone (or -c CUSTOMER)");
	if ((code = flagged(s, flags, force, p, NULL, out->flag,
	    sizeof out->flag, &say)))
		return code;
	/* The note is the appointment's, and a new customer's notes too. */
	row = (long)add(cs, p);
	fill(out, t, &t->row[row]);
	out->isnew = 1;
	return 0;
}

int
appt_person_opt(struct appt_person *p, int c, const char *arg)
{
	switch (c) {
	case APPT_OPT_NAME: p->name = arg; break;
	case APPT_OPT_EMAIL: p->email = arg; break;
	case APPT_OPT_PHONE: p->phone = arg; break;
	case APPT_OPT_ADDRESS: p->address = arg; break;
	case APPT_OPT_POSTCODE: p->postcode = arg; break;
	case APPT_OPT_NOTE: p->notes = arg; break;
	default: return 0;
	}
	return 1;
}

int
appt_person_given(const struct appt_person *p)
{
	return p->name || p->email || p->phone || p->address || p->postcode ||
	    p->notes;
}
