/*
 * customer.c: finding customers by id, email or phone, and the customer
 * of a booking: found, recognised or added (appt_customer_resolve).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int
appt_person_bad(const struct appt_store *s, const struct appt_person *p,
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

	if (appt_person_bad(s, p, why, sizeof why))
		appt_die(APPT_EUSAGE, "%s", why);
}

struct appt_row *
appt_customer_new(const struct appt_store *s, struct appt_table *t,
    const struct appt_person *p, struct appt_ids *ids)
{
	struct appt_row *r;
	char id[32], now[APPT_TIMELEN];

	snprintf(id, sizeof id, "%ld", ids ? appt_ids_take(ids, "customers", t,
	    1) : appt_next_id(s, "customers", t));
	r = appt_table_add(t);
	appt_set(t, r, "id", id);
	appt_set(t, r, "name", p->name);
	appt_set(t, r, "email", p->email);
	appt_set(t, r, "phone", p->phone);
	appt_set(t, r, "address", p->address);
	appt_set(t, r, "postcode", p->postcode);
	appt_set(t, r, "notes", p->notes);
	appt_set(t, r, "created", appt_fmt_time(appt_now(), now));
	return r;
}

/*
 * Customers as bookings decide on them. customers.csv is read once, when
 * first needed: a customer given by id alone is found through
 * .customers.idx. The first lookup in the table goes through
 * appt_customer_find or appt_customer_match; from the second on (a
 * batch) the normal forms of every row's email and phone are kept
 * sorted, so that a thousand requests do not each read every row.
 */
enum { K_EMAIL, K_PHONE };

struct ckey {
	char *key;		/* the normal form of an email or a phone */
	size_t row;		/* of the table */
};

struct appt_customers {
	const struct appt_store *s;
	struct appt_ids *ids;
	struct appt_table t;
	int loaded, changed;
	struct appt_people one;	/* a customer found by id alone */
	int looked;		/* lookups in the table so far */
	int indexed;
	struct ckey *key[2];	/* of the rows when indexed: by key, row */
	size_t nkey[2];
	struct ckey *more[2];	/* added since: new rows, filled fields */
	size_t nmore[2];
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
	size_t i;
	int k;

	if (!cs)
		return;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < cs->nkey[k]; i++)
			free(cs->key[k][i].key);
		for (i = 0; i < cs->nmore[k]; i++)
			free(cs->more[k][i].key);
		free(cs->key[k]);
		free(cs->more[k]);
	}
	appt_table_free(&cs->t);
	appt_people_free(&cs->one);
	free(cs);
}

void
appt_customers_save(struct appt_customers *cs)
{
	/*
	 * Rows added alone, no field filled in, could be appended to the
	 * file instead of writing it all again.
	 */
	if (cs->changed)
		appt_table_save(cs->s, &cs->t, "customers.csv");
	cs->changed = 0;
}

static void
load(struct appt_customers *cs)
{
	if (!cs->loaded) {
		appt_load(cs->s, &cs->t, "customers.csv");
		cs->loaded = 1;
	}
}

/* The normal form of an email or a phone as a match compares it; NULL. */
static char *
normkey(const struct appt_customers *cs, int k, const char *v)
{
	char buf[32];

	if (appt_empty(v))
		return NULL;
	if (k == K_EMAIL)
		return appt_norm_email(v);
	return appt_norm_phone(v, cs->s->country, buf, sizeof buf) == 0 ?
	    xstrdup(buf) : NULL;
}

static void
addkey(struct ckey **v, size_t *n, char *key, size_t row)
{
	if (!key)
		return;
	if (!(*n & (*n + 1)))
		*v = xreallocarray(*v, *n * 2 + 2, sizeof **v);
	(*v)[*n].key = key;
	(*v)[(*n)++].row = row;
}

static int
cmpckey(const void *a, const void *b)
{
	const struct ckey *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->row > y->row) - (x->row < y->row);
}

static int
findckey(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ckey *)elem)->key);
}

static void
keyrows(struct appt_customers *cs)
{
	static const char *const col[2] = { "email", "phone" };
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < cs->t.nrow; i++)
			addkey(&cs->key[k], &cs->nkey[k], normkey(cs, k,
			    appt_get(&cs->t, &cs->t.row[i], col[k])), i);
		if (cs->nkey[k])
			qsort(cs->key[k], cs->nkey[k], sizeof *cs->key[k],
			    cmpckey);
	}
	cs->indexed = 1;
}

/* Row i of the table has (now) v as its email or phone. */
static void
note(struct appt_customers *cs, int k, size_t i, const char *v)
{
	if (cs->indexed)
		addkey(&cs->more[k], &cs->nmore[k], normkey(cs, k, v), i);
}

/* The first row whose email or phone has normal form key; -1 if none. */
static long
firstrow(const struct appt_customers *cs, int k, const char *key)
{
	const struct ckey *hit;
	long row = -1;
	size_t i;

	if ((hit = appt_bsearch_first(key, cs->key[k], cs->nkey[k],
	    sizeof *cs->key[k], findckey)))
		row = (long)hit->row;
	for (i = 0; i < cs->nmore[k]; i++)
		if ((row < 0 || (long)cs->more[k][i].row < row) &&
		    !strcmp(cs->more[k][i].key, key))
			row = (long)cs->more[k][i].row;
	return row;
}

/* appt_customer_match in the table, through the keys once indexed. */
static struct appt_row *
match(struct appt_customers *cs, const char *email, const char *phone,
    const char **field)
{
	char *ke, *kp;
	long re, rp;

	if (!cs->indexed && cs->looked++ == 0)
		return appt_customer_match(cs->s, &cs->t, email, phone, NULL,
		    field);
	if (!cs->indexed)
		keyrows(cs);
	ke = normkey(cs, K_EMAIL, email);
	kp = normkey(cs, K_PHONE, phone);
	re = ke ? firstrow(cs, K_EMAIL, ke) : -1;
	rp = kp ? firstrow(cs, K_PHONE, kp) : -1;
	free(ke);
	free(kp);
	if (re >= 0 && (rp < 0 || re <= rp)) {
		*field = "email";
		return &cs->t.row[re];
	}
	if (rp >= 0) {
		*field = "phone";
		return &cs->t.row[rp];
	}
	return NULL;
}

/* appt_customer_find in the table, through the keys once indexed. */
static struct appt_row *
find(struct appt_customers *cs, const char *key)
{
	const char *field;
	size_t i;
	long id;

	if (!cs->indexed && cs->looked++ == 0)
		return appt_customer_find(cs->s, &cs->t, key);
	if (appt_parse_id(key, &id) == 0) {
		for (i = 0; i < cs->t.nrow; i++)
			if (!strcmp(appt_get(&cs->t, &cs->t.row[i], "id"), key))
				return &cs->t.row[i];
		/* A number that is not an id may still be a phone. */
		if (strlen(key) < 5)
			return NULL;
	}
	return strchr(key, '@') ? match(cs, key, NULL, &field) : match(cs,
	    NULL, key, &field);
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
	if (vasprintf(&msg, fmt, ap) < 0)
		appt_die(APPT_EFAIL, "out of memory");
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

	if (!flags || !flags->t->nrow)
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
	const char *field, *vals[5];
	char why[512];
	long id;
	int i, code;

	memset(out, 0, sizeof *out);
	if (key && !cs->loaded && appt_parse_id(key, &id) == 0) {
		appt_people_free(&cs->one);
		appt_people_want(&cs->one, s, &id, 1);
		if (cs->one.n) {
			snprintf(out->id, sizeof out->id, "%ld", id);
			appt_people_person(&cs->one, out->id, &out->p);
			return flagged(s, flags, force, p, &out->p, out->flag,
			    sizeof out->flag, &say);
		}
		/* Not an id: a phone number in digits, maybe. */
	}
	load(cs);
	if (key) {
		if (!(r = find(cs, key)))
			return tell(&say, APPT_EFAIL, "%s: no such customer",
			    key);
		fill(out, t, r);
		return flagged(s, flags, force, p, &out->p, out->flag,
		    sizeof out->flag, &say);
	}
	if ((code = appt_person_bad(s, p, why, sizeof why)))
		return tell(&say, code, "%s", why);
	if ((r = match(cs, p->email, p->phone, &field))) {
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
				cs->changed = 1;
				if (i == 1 || i == 2)
					note(cs, i == 1 ? K_EMAIL : K_PHONE,
					    (size_t)(r - t->row), vals[i]);
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
	r = appt_customer_new(s, t, p, cs->ids);
	cs->changed = 1;
	note(cs, K_EMAIL, (size_t)(r - t->row), p->email);
	note(cs, K_PHONE, (size_t)(r - t->row), p->phone);
	fill(out, t, r);
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
