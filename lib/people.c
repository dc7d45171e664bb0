/*
 * people.c: a compact, read-only view of customers.csv for joining
 * appointments with names and contacts: one block per customer, sorted
 * by id, so that a listing of every appointment stays small in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "appt.h"

static const char *fields[] = { "id", "name", "email", "phone", "address",
    "postcode", NULL };

struct pctx {
	struct appt_people *p;
	long col[6];
	int header;
	long long off;		/* of the record being read */
	long long (*idx)[2];	/* id and offset of each record, or NULL */
	size_t nidx, cidx;
	const long *want;	/* only these ids (sorted), or NULL */
	size_t nwant;
};

static int
wanted(const struct pctx *c, long id)
{
	return !c->want || (c->nwant && bsearch(&id, c->want, c->nwant,
	    sizeof *c->want, appt_cmplong));
}

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
	    appt_parse_id(f[c->col[0]], &id) < 0)
		return 0;
	if (c->idx) {
		if (c->nidx == c->cidx) {
			c->cidx = c->cidx * 2 + 1024;
			c->idx = xreallocarray(c->idx, c->cidx, sizeof *c->idx);
		}
		c->idx[c->nidx][0] = id;
		c->idx[c->nidx++][1] = c->off;
	}
	if (!wanted(c, id))
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

/* One record only: the header first, then the record at the offset. */
static int
firstcb(void *ctx, size_t n, char **f, long line)
{
	struct pctx *c = ctx;

	cb(ctx, n, f, line);
	return c->header == 2 ? 1 : (c->header = 2, 1);
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

/*
 * .customers.idx: a line "appt-idx 1 DEV INO SIZE MTIME NSEC COUNT"
 * naming the customers.csv it was made from, then COUNT pairs of 64-bit
 * id and byte offset, sorted by id. It is derived data, safe to delete.
 */
struct idx {
	struct stat st;
	long long (*v)[2];
	size_t n;
};

static int
cmppair(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void
stamp(char *buf, size_t n, const struct stat *st, size_t count)
{
	snprintf(buf, n, "appt-idx 1 %llu %llu %lld %lld %ld %zu\n",
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	    (long long)st->st_size, (long long)st->st_mtim.tv_sec,
	    st->st_mtim.tv_nsec, count);
}

static int
idxread(const struct appt_store *s, const struct stat *st, struct idx *x)
{
	char *path = appt_path(s, ".customers.idx"), want[160], line[160];
	FILE *fp = fopen(path, "r");
	size_t count;
	int ok = 0;

	free(path);
	if (!fp)
		return 0;
	if (fgets(line, sizeof line, fp) &&
	    sscanf(line, "appt-idx 1 %*u %*u %*d %*d %*d %zu", &count) == 1) {
		stamp(want, sizeof want, st, count);
		if (!strcmp(want, line) && count < 1000000000) {
			x->v = xreallocarray(NULL, count + 1, sizeof *x->v);
			x->n = count;
			ok = fread(x->v, sizeof *x->v, count, fp) == count;
		}
	}
	fclose(fp);
	return ok;
}

struct idxw {
	const struct stat *st;
	long long (*v)[2];
	size_t n;
};

static int
idxput(FILE *fp, void *ctx)
{
	struct idxw *w = ctx;
	char head[160];

	stamp(head, sizeof head, w->st, w->n);
	fputs(head, fp);
	if (w->n && fwrite(w->v, sizeof *w->v, w->n, fp) != w->n)
		return -1;
	return 0;
}

static void
sortpeople(struct appt_people *p)
{
	if (p->n)
		qsort(p->v, p->n, sizeof *p->v, cmpid);
}

void
appt_people_want(struct appt_people *p, const struct appt_store *s,
    const long *ids, size_t n)
{
	struct pctx c = { .p = p };
	struct idx x = { 0 };
	struct idxw w;
	long *want;
	long long key[2] = { 0, 0 }, (*at)[2];
	char *path, *err;
	FILE *fp;
	size_t i;

	memset(p, 0, sizeof *p);
	path = appt_path(s, "customers.csv");
	fp = fopen(path, "r");
	free(path);
	if (!fp)
		return;
	want = xreallocarray(NULL, n + 1, sizeof *want);
	if (n)
		memcpy(want, ids, n * sizeof *ids);
	if (n)
		qsort(want, n, sizeof *want, appt_cmplong);
	c.want = want;
	c.nwant = n;
	if (fstat(fileno(fp), &x.st) == 0 && idxread(s, &x.st, &x)) {
		/* The header, then each wanted record where it stands. */
		c.off = 0;
		if (appt_csv_stream_at(fp, "customers.csv", firstcb, &c, &err,
		    &c.off) < 0)
			appt_die(APPT_EDATA, "%s", err);
		for (i = 0; i < n; i++) {
			if (i && want[i] == want[i - 1])
				continue;
			key[0] = want[i];
			if (!(at = appt_bsearch_first(key, x.v, x.n,
			    sizeof *x.v, cmppair)))
				continue;
			c.off = (*at)[1];
			if (fseeko(fp, (off_t)c.off, SEEK_SET) < 0 ||
			    appt_csv_stream_at(fp, "customers.csv", firstcb,
			    &c, &err, &c.off) < 0)
				appt_die(APPT_EDATA, "%s", err ? err :
				    "customers.csv: cannot seek");
		}
	} else {
		/* Read it all once, and leave an index for the next time. */
		c.idx = xreallocarray(NULL, 1024, sizeof *c.idx);
		c.cidx = 1024;
		if (appt_csv_stream_at(fp, "customers.csv", cb, &c, &err,
		    &c.off) < 0)
			appt_die(APPT_EDATA, "%s", err);
		if (c.nidx)
			qsort(c.idx, c.nidx, sizeof *c.idx, cmppair);
		w.st = &x.st;
		w.v = c.idx;
		w.n = c.nidx;
		appt_replace(s, ".customers.idx", idxput, &w);
		free(c.idx);
	}
	fclose(fp);
	free(x.v);
	free(want);
	sortpeople(p);
}

const char *
appt_people_get(const struct appt_people *p, const char *id, int which)
{
	long key;
	const char *b, *hit;

	/* Each of p->v begins with its id: cmpid compares them. */
	if (appt_parse_id(id, &key) < 0 || !(hit = appt_bsearch_first(&key,
	    p->v, p->n, sizeof *p->v, cmpid)))
		return "";
	b = p->v[(size_t)(hit - (const char *)p->v) / sizeof *p->v].blob;
	for (; which > 0; which--)
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

void
appt_people_person(const struct appt_people *pp, const char *id,
    struct appt_person *p)
{
	p->name = appt_people_get(pp, id, APPT_P_NAME);
	p->email = appt_people_get(pp, id, APPT_P_EMAIL);
	p->phone = appt_people_get(pp, id, APPT_P_PHONE);
	p->address = appt_people_get(pp, id, APPT_P_ADDRESS);
	p->postcode = appt_people_get(pp, id, APPT_P_POSTCODE);
	p->notes = "";
}

void
appt_people_who(const struct appt_people *p, const char *id,
    const char *who[3])
{
	who[0] = appt_people_get(p, id, APPT_P_NAME);
	who[1] = appt_people_get(p, id, APPT_P_EMAIL);
	who[2] = appt_people_get(p, id, APPT_P_PHONE);
}
