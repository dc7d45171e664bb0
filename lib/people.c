/*
 * people.c: a compact, read-only view of customers.csv for joining
 * appointments with names and contacts: one block per customer, sorted
 * by id, so that a listing of every appointment stays small in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *fields[] = { "id", "name", "email", "phone", "address",
    "postcode", NULL };

struct pctx {
	struct appt_people *p;
	long col[6];
	int header;
};

static int
cb(void *ctx, size_t n, char **f, long line)
{
	struct pctx *c = ctx;
	struct appt_people *p = c->p;
	size_t i, len = 0;
	char *b;
	long id;

	(void)line;
	if (!c->header) {
		c->header = 1;
		for (i = 0; fields[i]; i++) {
			size_t j;

			c->col[i] = -1;
			for (j = 0; j < n; j++)
				if (!strcmp(f[j], fields[i]))
					c->col[i] = (long)j;
		}
		return 0;
	}
	if (c->col[0] < 0 || (size_t)c->col[0] >= n ||
	    appt_parse_long(f[c->col[0]], 1, 999999999999L, &id) < 0)
		return 0;
	for (i = 1; fields[i]; i++)
		if (c->col[i] >= 0 && (size_t)c->col[i] < n)
			len += strlen(f[c->col[i]]);
	b = xmalloc(len + 5);
	for (i = 1, len = 0; fields[i]; i++) {
		const char *v = c->col[i] >= 0 && (size_t)c->col[i] < n ?
		    f[c->col[i]] : "";
		size_t l = strlen(v) + 1;

		memcpy(b + len, v, l);
		len += l;
	}
	if (p->n == p->cap) {
		p->cap = p->cap * 2 + 64;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n].id = id;
	p->v[p->n++].blob = b;
	return 0;
}

static int
cmpid(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

void
appt_people_load(struct appt_people *p, const struct appt_store *s)
{
	struct pctx c = { .p = p };
	char *path = appt_path(s, "customers.csv"), *err;
	FILE *fp;

	memset(p, 0, sizeof *p);
	if (!(fp = fopen(path, "r"))) {
		free(path);
		return;
	}
	if (appt_csv_stream(fp, "customers.csv", cb, &c, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	fclose(fp);
	free(path);
	if (p->n)
		qsort(p->v, p->n, sizeof *p->v, cmpid);
}

const char *
appt_people_get(const struct appt_people *p, const char *id, int which)
{
	long key;
	size_t lo = 0, hi = p->n, mid;
	const char *b;

	if (appt_parse_long(id, 1, 999999999999L, &key) < 0)
		return "";
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (p->v[mid].id < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == p->n || p->v[lo].id != key)
		return "";
	for (b = p->v[lo].blob; which > 0; which--)
		b += strlen(b) + 1;
	return b;
}

void
appt_people_free(struct appt_people *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].blob);
	free(p->v);
	memset(p, 0, sizeof *p);
}
