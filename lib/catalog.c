/*
 * catalog.c: what the business offers and who works there: services.csv,
 * staff.csv and closures.csv, read once. A service or staff member is
 * found by id or by name, in any case, the one way for an option (-s,
 * -w), a "-" row and an appointment's row alike, and is said to be
 * missing in one wording.
 *
 * Values are read when asked for: a bad duration or closure stops only
 * the command that needs it (exit 3, naming file and line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

struct appt_service {
	const struct appt_table *t;
	const struct appt_row *r;
};

struct appt_staff {
	const struct appt_table *t;
	const struct appt_row *r;
};

struct appt_catalog {
	struct appt_table services, staff, closures;
	struct appt_service *sv;	/* one per row of services */
	struct appt_staff *st;		/* one per row of staff */
};

struct appt_catalog *
appt_catalog_open(const struct appt_store *s)
{
	struct appt_catalog *c = xcalloc(1, sizeof *c);
	size_t i;

	appt_load(s, &c->staff, "staff.csv");
	appt_load(s, &c->services, "services.csv");
	appt_load(s, &c->closures, "closures.csv");
	c->st = xcalloc(c->staff.nrow + 1, sizeof *c->st);
	for (i = 0; i < c->staff.nrow; i++) {
		if (!*appt_get(&c->staff, &c->staff.row[i], "id"))
			appt_die(APPT_EDATA, "staff.csv:%ld: id: empty",
			    c->staff.row[i].line);
		c->st[i].t = &c->staff;
		c->st[i].r = &c->staff.row[i];
	}
	c->sv = xcalloc(c->services.nrow + 1, sizeof *c->sv);
	for (i = 0; i < c->services.nrow; i++) {
		c->sv[i].t = &c->services;
		c->sv[i].r = &c->services.row[i];
	}
	return c;
}

void
appt_catalog_close(struct appt_catalog *c)
{
	if (!c)
		return;
	appt_table_free(&c->staff);
	appt_table_free(&c->services);
	appt_table_free(&c->closures);
	free(c->st);
	free(c->sv);
	free(c);
}

/* The row of t whose id, else whose name, is key in any case; -1 if none. */
static long
lookup(const struct appt_table *t, const char *key)
{
	size_t i;

	if (appt_empty(key))
		return -1;
	for (i = 0; i < t->nrow; i++)
		if (!strcasecmp(appt_get(t, &t->row[i], "id"), key))
			return (long)i;
	for (i = 0; i < t->nrow; i++)
		if (!strcasecmp(appt_get(t, &t->row[i], "name"), key))
			return (long)i;
	return -1;
}

/* The one wording of a key that names nothing. */
static void
nosuch(char *why, size_t n, const char *what, const char *key,
    const char *thing)
{
	if (appt_empty(key))
		snprintf(why, n, "%s: empty", what);
	else
		snprintf(why, n, "%s %s: no such %s", what, key, thing);
}

/*
 * Services and staff are alike: rows of a table, each handed out as an
 * item that names its row, counted, taken by index, found by id or name
 * (and for an option, with the one wording). ROWS makes these accessors
 * for one kind: appt_service_count, _at, _find, _arg, _id and _name, and
 * the same of appt_staff.
 */
#define ROWS(kind, tab, item, thing)					\
size_t									\
appt_##kind##_count(const struct appt_catalog *c)			\
{									\
	return c->tab.nrow;						\
}									\
									\
const struct appt_##kind *						\
appt_##kind##_at(const struct appt_catalog *c, size_t i)		\
{									\
	return i < c->tab.nrow ? &c->item[i] : NULL;			\
}									\
									\
const struct appt_##kind *						\
appt_##kind##_find(const struct appt_catalog *c, const char *key)	\
{									\
	long i = lookup(&c->tab, key);					\
									\
	return i < 0 ? NULL : &c->item[i];				\
}									\
									\
const struct appt_##kind *						\
appt_##kind##_arg(const struct appt_catalog *c, const char *what,	\
    const char *key, char *why, size_t n)				\
{									\
	const struct appt_##kind *v = appt_##kind##_find(c, key);	\
									\
	if (!v)								\
		nosuch(why, n, what, key, thing);			\
	return v;							\
}									\
									\
const char *								\
appt_##kind##_id(const struct appt_##kind *v)				\
{									\
	return appt_get(v->t, v->r, "id");				\
}									\
									\
const char *								\
appt_##kind##_name(const struct appt_##kind *v)				\
{									\
	return appt_get(v->t, v->r, "name");				\
}

ROWS(service, services, sv, "service")
ROWS(staff, staff, st, "staff member")

/* A duration of services.csv; bad data stops the command (exit 3). */
static long
mins(const struct appt_service *v, const char *col)
{
	const char *s = appt_get(v->t, v->r, col);
	long m = 0;

	if (!appt_empty(s) && appt_parse_dur(s, &m) < 0)
		appt_die(APPT_EDATA, "%s:%ld: %s '%s': not a duration",
		    v->t->label, v->r->line, col, s);
	if (!strcmp(col, "duration") && m <= 0)
		appt_die(APPT_EDATA, "%s:%ld: duration: empty or zero",
		    v->t->label, v->r->line);
	return m;
}

void
appt_service_times(const struct appt_service *v, long *dur, long *before,
    long *after)
{
	if (dur)
		*dur = mins(v, "duration");
	if (before)
		*before = mins(v, "buffer_before");
	if (after)
		*after = mins(v, "buffer_after");
}

long
appt_service_recall(const struct appt_service *v)
{
	return mins(v, "recall");
}

int
appt_service_price(const struct appt_service *v, int digits, char out[32],
    char *why, size_t n)
{
	const char *p = appt_get(v->t, v->r, "price");
	int code;

	if ((code = appt_price_norm(p, digits, out)) == 0)
		return 0;
	snprintf(why, n, "%s:%ld: price '%s': %s", v->t->label, v->r->line,
	    p, code == -2 ? "negative" : "not an amount (45.00)");
	return APPT_EDATA;
}

int
appt_service_allows(const struct appt_service *v, const char *staff)
{
	const char *list = appt_get(v->t, v->r, "staff");

	if (appt_empty(staff))
		return 0;
	/* No list: everyone does it. */
	if (!*list)
		return 1;
	return appt_word_in(list, " ", staff, 1);
}

const char *
appt_staff_email(const struct appt_staff *v)
{
	return appt_get(v->t, v->r, "email");
}

const char *
appt_staff_col(const struct appt_staff *v, const char *col, long *line)
{
	if (line)
		*line = v->r->line;
	return appt_get(v->t, v->r, col);
}

size_t
appt_closure_count(const struct appt_catalog *c)
{
	return c->closures.nrow;
}

void
appt_closure_at(const struct appt_catalog *c, size_t i, time_t *a,
    time_t *b, const char **staff)
{
	const struct appt_table *t = &c->closures;
	const struct appt_row *r = &t->row[i];

	if (appt_parse_stamp(appt_get(t, r, "start"), 0, a) < 0 ||
	    appt_parse_stamp(appt_get(t, r, "end"), 1, b) < 0)
		appt_die(APPT_EDATA, "closures.csv:%ld: start or end is not a "
		    "time or date", r->line);
	*staff = appt_get(t, r, "staff");
}
