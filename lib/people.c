/*
 * people.c: a compact, read-only view of customers.csv for joining
 * appointments with names and contacts: one block per customer, sorted
 * by id, so that a listing of every appointment stays small in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appt.h"

static const char *fields[] = { "id", "name", "email", "phone", "address",
    "postcode", NULL };

struct pctx {
	struct appt_people *p;
	long col[6];
	int header;
	long long off;		/* of the record being read */
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
 * .customers.idx: a line "appt-idx 2 DEV INO SIZE MTIME NSEC NID NEMAIL
 * NPHONE COUNTRY" naming the customers.csv it was made from and the
 * country its phone numbers were read in ("-" for none), then three
 * sections of pairs of 64-bit numbers, a key and the byte offset of a
 * record, each sorted by key and then offset: NID pairs keyed by the id,
 * NEMAIL by a hash of the normalised email, NPHONE by a hash of the phone
 * number in E.164 form.
 *
 * .customers.added.idx: the records added at the end of the file since,
 * so that a new customer costs a few bytes, not the whole index: a line
 * "appt-idx-added 1 DEV INO SIZE MTIME NSEC N" naming customers.csv as it
 * is now, the first line of the .customers.idx it adds to, and N triples
 * of 64-bit section, key and offset. When they grow many, or a record
 * changes in place, .customers.idx is written afresh and they are no
 * longer used.
 *
 * Both are derived data, safe to delete: a reader makes the index again
 * when they do not describe the file as it is.
 */
#define MAXADDED 3072		/* triples before the index is merged */

struct appt_custidx {
	struct stat st;		/* customers.csv as the index describes it */
	const char *country;
	char head[256];		/* the first line of .customers.idx */
	int fd;			/* .customers.idx, read by pread, or -1 */
	long long nb[APPT_IDX_N], at[APPT_IDX_N];  /* its sections */
	/* A section in memory: the file's and the added, or NULL. */
	long long (*v[APPT_IDX_N])[2];
	size_t n[APPT_IDX_N], cap[APPT_IDX_N];
	long long (*add)[3];	/* added since .customers.idx */
	size_t nadd, cadd;
	int rewrite;		/* .customers.idx is to be written afresh */
};

static int
cmppair(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Only the key: for the first pair of a key. */
static int
cmpkey(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static const char *
countryword(const char *cc)
{
	return appt_empty(cc) || strpbrk(cc, " \t\r\n") || strlen(cc) > 16 ?
	    "-" : cc;
}

static void
statwords(char *buf, size_t n, const struct stat *st)
{
	snprintf(buf, n, "%llu %llu %lld %lld %ld",
	    (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	    (long long)st->st_size, (long long)st->st_mtim.tv_sec,
	    st->st_mtim.tv_nsec);
}

/* The first line of .customers.idx for the file st with n pairs. */
static void
headline(char *buf, size_t len, const struct stat *st, const size_t *n,
    const char *country)
{
	char w[128];

	statwords(w, sizeof w, st);
	snprintf(buf, len, "appt-idx 2 %s %zu %zu %zu %s\n", w, n[0], n[1],
	    n[2], countryword(country));
}

int
appt_custkey(const char *country, int which, const char *v, long long *key)
{
	char buf[32], *e;
	long id;

	if (appt_empty(v))
		return -1;
	switch (which) {
	case APPT_IDX_ID:
		if (appt_parse_id(v, &id) < 0)
			return -1;
		*key = id;
		return 0;
	case APPT_IDX_EMAIL:
		e = appt_norm_email(v);
		*key = appt_hash64(e);
		free(e);
		return 0;
	default:
		if (appt_norm_phone(v, country, buf, sizeof buf) < 0)
			return -1;
		*key = appt_hash64(buf);
		return 0;
	}
}

/* The key of a value of a section: 0, or -1 if it has none. */
static int
keyof(const struct appt_custidx *x, int which, const char *v,
    long long *key)
{
	return appt_custkey(x->country, which, v, key);
}

static void
push(struct appt_custidx *x, int which, long long key, long long off)
{
	if (x->n[which] == x->cap[which]) {
		x->cap[which] = x->cap[which] * 2 + 1024;
		x->v[which] = xreallocarray(x->v[which], x->cap[which],
		    sizeof *x->v[which]);
	}
	x->v[which][x->n[which]][0] = key;
	x->v[which][x->n[which]++][1] = off;
}

struct bctx {
	struct appt_custidx *x;
	long col[APPT_IDX_N];
	int header;
	long long off;		/* of the record being read */
};

static int
buildcb(void *ctx, size_t n, char **f, long line)
{
	static const char *const names[] = { "id", "email", "phone" };
	struct bctx *c = ctx;
	long long key;
	size_t j;
	int i;

	(void)line;
	if (!c->header) {
		c->header = 1;
		for (i = 0; i < APPT_IDX_N; i++) {
			c->col[i] = -1;
			for (j = 0; j < n; j++)
				if (!strcmp(f[j], names[i]))
					c->col[i] = (long)j;
		}
		return 0;
	}
	for (i = 0; i < APPT_IDX_N; i++)
		if (c->col[i] >= 0 && (size_t)c->col[i] < n &&
		    keyof(c->x, i, f[c->col[i]], &key) == 0)
			push(c->x, i, key, c->off);
	return 0;
}

static void
rdfail(const char *what)
{
	appt_die(APPT_EFAIL, "%s: cannot read: %s", what, strerror(errno));
}

/* Pair k of section i of .customers.idx. */
static void
pairat(const struct appt_custidx *x, int i, long long k, long long p[2])
{
	if (pread(x->fd, p, 2 * sizeof *p, (off_t)(x->at[i] + k * 2 *
	    (long long)sizeof *p)) != 2 * sizeof *p)
		rdfail(".customers.idx");
}

/*
 * .customers.idx, if it is for the country: 1 if it describes the file
 * as it is (x->st), else 0 (it may still, with what was added), or -1.
 */
static int
baseopen(const struct appt_store *s, struct appt_custidx *x)
{
	char want[256], w[128];
	size_t n[APPT_IDX_N], len;
	struct stat st;
	ssize_t k;
	int i;

	x->fd = openat(s->dirfd, ".customers.idx", O_RDONLY | O_CLOEXEC);
	if (x->fd < 0 || (k = pread(x->fd, x->head, sizeof x->head - 1,
	    0)) <= 0)
		return -1;
	x->head[k] = '\0';
	if (!(len = strcspn(x->head, "\n")) || !x->head[len])
		return -1;
	x->head[len + 1] = '\0';
	if (sscanf(x->head, "appt-idx 2 %*u %*u %*d %*d %*d %zu %zu %zu %127s",
	    &n[0], &n[1], &n[2], w) != 4 || strcmp(w, countryword(x->country)))
		return -1;
	for (i = 0; i < APPT_IDX_N; i++) {
		x->nb[i] = (long long)n[i];
		x->at[i] = i ? x->at[i - 1] + x->nb[i - 1] * 16 :
		    (long long)len + 1;
	}
	/* Cut short (the disk failed it): made again. */
	if (fstat(x->fd, &st) < 0 || st.st_size != x->at[APPT_IDX_N - 1] +
	    x->nb[APPT_IDX_N - 1] * 16)
		return -1;
	headline(want, sizeof want, &x->st, n, x->country);
	return !strcmp(want, x->head);
}

/* .customers.added.idx, if it adds to the index up to the file as it is. */
static int
addedread(const struct appt_store *s, struct appt_custidx *x)
{
	char *path = appt_path(s, ".customers.added.idx"), want[160];
	char line[256], w[128];
	FILE *fp = fopen(path, "r");
	size_t n;
	int ok = 0;

	free(path);
	if (!fp)
		return 0;
	statwords(w, sizeof w, &x->st);
	snprintf(want, sizeof want, "appt-idx-added 1 %s ", w);
	if (fgets(line, sizeof line, fp) && !strncmp(line, want,
	    strlen(want)) && sscanf(line + strlen(want), "%zu", &n) == 1 &&
	    n <= 4 * MAXADDED && fgets(line, sizeof line, fp) &&
	    !strcmp(line, x->head)) {
		x->add = xreallocarray(NULL, n + 1, sizeof *x->add);
		x->cadd = n + 1;
		x->nadd = n;
		ok = fread(x->add, sizeof *x->add, n, fp) == n;
	}
	fclose(fp);
	return ok;
}

static int
baseput(FILE *fp, void *ctx)
{
	struct appt_custidx *x = ctx;
	int i;

	fputs(x->head, fp);
	for (i = 0; i < APPT_IDX_N; i++)
		if (x->n[i] && fwrite(x->v[i], sizeof *x->v[i], x->n[i],
		    fp) != x->n[i])
			return -1;
	return 0;
}

static int
addedput(FILE *fp, void *ctx)
{
	struct appt_custidx *x = ctx;
	char w[128];

	statwords(w, sizeof w, &x->st);
	fprintf(fp, "appt-idx-added 1 %s %zu\n%s", w, x->nadd, x->head);
	if (x->nadd && fwrite(x->add, sizeof *x->add, x->nadd, fp) !=
	    x->nadd)
		return -1;
	return 0;
}

static int
cmptriple(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return cmppair(x + 1, y + 1);
}

/* Section i in memory: the file's pairs and the added, merged. */
static void
secload(struct appt_custidx *x, int i)
{
	long long (*a)[3], (*o)[2];
	size_t na = 0, j, nb;
	ssize_t k, m;

	if (x->v[i])
		return;
	nb = x->fd >= 0 ? (size_t)x->nb[i] : 0;
	a = xreallocarray(NULL, x->nadd + 1, sizeof *a);
	for (j = 0; j < x->nadd; j++)
		if (x->add[j][0] == i)
			memcpy(a[na++], x->add[j], sizeof *a);
	if (na)
		qsort(a, na, sizeof *a, cmptriple);
	x->cap[i] = nb + na + 1;
	o = x->v[i] = xreallocarray(NULL, x->cap[i], sizeof *o);
	if (nb && pread(x->fd, o, nb * sizeof *o, (off_t)x->at[i]) !=
	    (ssize_t)(nb * sizeof *o))
		rdfail(".customers.idx");
	/* From the end: new ids, the most added, go after all the file's. */
	for (k = (ssize_t)nb - 1, j = na, m = (ssize_t)(nb + na) - 1; j > 0;
	    m--)
		if (k >= 0 && cmppair(o[k], a[j - 1] + 1) > 0)
			memcpy(o[m], o[k--], sizeof *o);
		else
			memcpy(o[m], a[--j] + 1, sizeof *o);
	x->n[i] = nb + na;
	free(a);
}

/*
 * The index of customers.csv open as fp: .customers.idx with what was
 * added, or made from the whole file and saved.
 */
static struct appt_custidx *
idxget(const struct appt_store *s, FILE *fp)
{
	struct appt_custidx *x = xcalloc(1, sizeof *x);
	struct bctx c = { .x = x };
	char *err;
	int i, rc;

	x->country = s->country;
	if (fstat(fileno(fp), &x->st) < 0)
		appt_die(APPT_EDATA, "customers.csv: %s", strerror(errno));
	if ((rc = baseopen(s, x)) > 0 || (rc == 0 && addedread(s, x)))
		return x;
	free(x->add);
	x->add = NULL;
	x->nadd = x->cadd = 0;
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	if (fseeko(fp, 0, SEEK_SET) < 0 || appt_csv_stream_at(fp,
	    "customers.csv", buildcb, &c, &err, &c.off) < 0)
		appt_die(APPT_EDATA, "%s", err ? err : "customers.csv: cannot "
		    "seek");
	for (i = 0; i < APPT_IDX_N; i++) {
		if (x->n[i])
			qsort(x->v[i], x->n[i], sizeof *x->v[i], cmppair);
		secload(x, i);		/* in memory, if empty */
	}
	/* A reader that cannot save it goes on: it is only for speed. */
	x->rewrite = 1;
	appt_custidx_save(x, s, &x->st);
	return x;
}

struct appt_custidx *
appt_custidx_open(const struct appt_store *s, FILE *fp)
{
	return idxget(s, fp);
}

void
appt_custidx_free(struct appt_custidx *x)
{
	int i;

	if (!x)
		return;
	for (i = 0; i < APPT_IDX_N; i++)
		free(x->v[i]);
	free(x->add);
	if (x->fd >= 0)
		close(x->fd);
	free(x);
}

size_t
appt_custidx_find(const struct appt_custidx *x, int which, const char *v,
    long long *off, size_t max)
{
	long long key[2] = { 0, 0 }, p[2], (*at)[2], (*end)[2];
	long long lo, hi, mid;
	size_t k = 0, j;

	if (keyof(x, which, v, &key[0]) < 0)
		return 0;
	if (x->v[which]) {
		if (!(at = appt_bsearch_first(key, x->v[which], x->n[which],
		    sizeof *x->v[which], cmpkey)))
			return 0;
		for (end = x->v[which] + x->n[which]; at < end &&
		    (*at)[0] == key[0]; at++, k++)
			if (k < max)
				off[k] = (*at)[1];
		return k;
	}
	/* The file's pairs (each before any added), then the added. */
	if (x->fd >= 0) {
		for (lo = 0, hi = x->nb[which]; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			pairat(x, which, mid, p);
			if (p[0] < key[0])
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < x->nb[which]; lo++, k++) {
			pairat(x, which, lo, p);
			if (p[0] != key[0])
				break;
			if (k < max)
				off[k] = p[1];
		}
	}
	for (j = 0; j < x->nadd; j++)
		if (x->add[j][0] == which && x->add[j][1] == key[0]) {
			if (k < max)
				off[k] = x->add[j][2];
			k++;
		}
	return k;
}

long
appt_custidx_maxid(const struct appt_custidx *x)
{
	long long p[2] = { 0, 0 }, max = 0;
	size_t j;

	if (x->v[APPT_IDX_ID])
		return x->n[APPT_IDX_ID] ? (long)x->v[APPT_IDX_ID][
		    x->n[APPT_IDX_ID] - 1][0] : 0;
	if (x->fd >= 0 && x->nb[APPT_IDX_ID])
		pairat(x, APPT_IDX_ID, x->nb[APPT_IDX_ID] - 1, p);
	max = p[0];
	for (j = 0; j < x->nadd; j++)
		if (x->add[j][0] == APPT_IDX_ID && x->add[j][1] > max)
			max = x->add[j][1];
	return (long)max;
}

/* Pair (key, off) into the sorted section i in memory. */
static void
insert(struct appt_custidx *x, int i, long long key, long long off)
{
	long long pair[2] = { key, off }, (*at)[2];
	size_t lo, hi, j;

	push(x, i, 0, 0);	/* room for it */
	x->n[i]--;
	for (lo = 0, hi = x->n[i]; lo < hi; ) {
		j = lo + (hi - lo) / 2;
		if (cmppair(x->v[i][j], pair) < 0)
			lo = j + 1;
		else
			hi = j;
	}
	at = x->v[i] + lo;
	memmove(at + 1, at, (x->n[i] - lo) * sizeof *at);
	(*at)[0] = key;
	(*at)[1] = off;
	x->n[i]++;
}

void
appt_custidx_put(struct appt_custidx *x, long long off, long long delta,
    const char *id, const char *email, const char *phone)
{
	const char *v[APPT_IDX_N] = { id, email, phone };
	long long key;
	size_t j, k;
	int i, append = off >= (long long)x->st.st_size;

	for (i = 0; i < APPT_IDX_N; i++) {
		if (!append) {
			/* The record at off goes; those after it move. */
			secload(x, i);
			for (j = k = 0; j < x->n[i]; j++) {
				if (x->v[i][j][1] == off)
					continue;
				if (x->v[i][j][1] > off)
					x->v[i][j][1] += delta;
				if (k != j)
					memcpy(x->v[i][k], x->v[i][j],
					    sizeof x->v[i][j]);
				k++;
			}
			x->n[i] = k;
		}
		if (keyof(x, i, v[i], &key) < 0)
			continue;
		if (x->v[i])
			insert(x, i, key, off);
		if (append) {
			if (x->nadd == x->cadd) {
				x->cadd = x->cadd * 2 + 16;
				x->add = xreallocarray(x->add, x->cadd,
				    sizeof *x->add);
			}
			x->add[x->nadd][0] = i;
			x->add[x->nadd][1] = key;
			x->add[x->nadd++][2] = off;
		}
	}
	if (!append)
		x->rewrite = 1;
	x->st.st_size += delta;
}

int
appt_custidx_save(struct appt_custidx *x, const struct appt_store *s,
    const struct stat *st)
{
	int i;

	x->st = *st;
	if (!x->rewrite && x->nadd < MAXADDED)
		return appt_replace(s, ".customers.added.idx", addedput, x);
	for (i = 0; i < APPT_IDX_N; i++)
		secload(x, i);
	headline(x->head, sizeof x->head, &x->st, x->n, x->country);
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	free(x->add);
	x->add = NULL;
	x->nadd = x->cadd = 0;
	x->rewrite = 0;
	return appt_replace(s, ".customers.idx", baseput, x);
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
	struct appt_custidx *x;
	long *want;
	long long off;
	char *path, *err, num[32];
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
	x = idxget(s, fp);
	/* Many: the ids in memory at once rather than a search each. */
	if (n > 32)
		secload(x, APPT_IDX_ID);
	/* The header, then each wanted record where it stands. */
	c.off = 0;
	if (fseeko(fp, 0, SEEK_SET) < 0 || appt_csv_stream_at(fp,
	    "customers.csv", firstcb, &c, &err, &c.off) < 0)
		appt_die(APPT_EDATA, "%s", err ? err : "customers.csv: cannot "
		    "seek");
	for (i = 0; i < n; i++) {
		if (i && want[i] == want[i - 1])
			continue;
		snprintf(num, sizeof num, "%ld", want[i]);
		/* The first record of the id, as a reading of all would. */
		if (!appt_custidx_find(x, APPT_IDX_ID, num, &off, 1))
			continue;
		c.off = off;
		if (fseeko(fp, (off_t)c.off, SEEK_SET) < 0 ||
		    appt_csv_stream_at(fp, "customers.csv", firstcb, &c, &err,
		    &c.off) < 0)
			appt_die(APPT_EDATA, "%s", err ? err : "customers.csv: "
			    "cannot seek");
	}
	fclose(fp);
	appt_custidx_free(x);
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
