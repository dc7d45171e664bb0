/*
 * flagmatch.c: is this person a flagged problem customer? Any one field
 * is a match, compared in a normal form (lib/norm.c):
 *   name     case, accents, punctuation, spacing and word order ignored
 *   email    case, +tag and (Gmail) dots ignored
 *   phone    E.164 with the business's country
 *   address  case, accents and punctuation ignored, street types in one
 *            short form, and the postcode when both sides have one
 * There is no sound-alike matching. The flags are indexed per field,
 * sorted, so a check costs a few lookups whatever the number of flags.
 *
 * A command that checks a few people (appt-book) need not read every
 * flag: .flags.idx, derived data that is safe to delete, holds for each
 * field the sorted pairs (hash of the normal form, byte offset of the
 * record in flags.csv), after a line naming the file it was made from
 * (device, inode, size, modification and change times) and the country
 * phone numbers were read with:
 *
 *	appt-flags-idx 1 DEV INO SIZE MSEC MNSEC CSEC CNSEC COUNTRY TOTAL N0 N1 N2 N3
 *
 * The records a person's fields point at are read, and matched as the
 * whole table would be: a hash that collides only reads one more record.
 * It is made again when flags.csv is not the file it names, and not
 * written for a file changed in the last two seconds, which an edit in
 * the same clock tick could leave with the same times.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "appt.h"

static char *
normpost(const char *s)
{
	struct appt_buf b = { 0 };

	appt_buf_add(&b, "", 0);
	for (; s && *s; s++)
		if (isalnum((unsigned char)*s))
			appt_buf_addc(&b, toupper((unsigned char)*s));
	return b.s;
}

/* The normal form of one field of a person; "" never matches. */
static char *
norm(const struct appt_store *s, int field, const char *v)
{
	char buf[32];

	if (appt_empty(v))
		return xstrdup("");
	switch (field) {
	case APPT_F_NAME:
		return appt_norm_name(v);
	case APPT_F_EMAIL:
		return appt_email_valid(v) ? appt_norm_email(v) : xstrdup("");
	case APPT_F_PHONE:
		return appt_norm_phone(v, s->country, buf, sizeof buf) == 0 ?
		    xstrdup(buf) : xstrdup("");
	default:
		return appt_norm_address(v);
	}
}

static int
cmpkey(const void *a, const void *b)
{
	const struct appt_flagkey *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->flag > y->flag) - (x->flag < y->flag);
}

static const char *fieldnames[] = { "name", "email", "phone", "address" };

int
appt_flag_field(const char *name)
{
	int i;

	for (i = 0; i < APPT_F_N; i++)
		if (!strcmp(name, fieldnames[i]))
			return i;
	return -1;
}

void
appt_flags_index(struct appt_flags *fl, const struct appt_store *s,
    struct appt_table *t)
{
	size_t i;
	int f;

	memset(fl->key, 0, sizeof fl->key);
	memset(fl->n, 0, sizeof fl->n);
	fl->s = s;
	fl->t = t;
	fl->own = 0;
	fl->total = t->nrow;
	fl->idx = NULL;
	for (f = 0; f < APPT_F_N; f++) {
		fl->key[f] = xcalloc(t->nrow + 1, sizeof *fl->key[f]);
		for (i = 0; i < t->nrow; i++) {
			struct appt_row *r = &t->row[i];
			const char *cl = appt_get(t, r, "cleared");
			char *k;

			if (appt_word_in(cl, " ", fieldnames[f], 0))
				continue;
			k = norm(s, f, appt_get(t, r, fieldnames[f]));
			if (!*k) {
				free(k);
				continue;
			}
			fl->key[f][fl->n[f]].key = k;
			fl->key[f][fl->n[f]++].flag = i;
		}
		if (fl->n[f])
			qsort(fl->key[f], fl->n[f], sizeof *fl->key[f],
			    cmpkey);
	}
}

void
appt_flags_load(struct appt_flags *fl, const struct appt_store *s)
{
	struct appt_table *t = xcalloc(1, sizeof *t);

	appt_load(s, t, "flags.csv");
	appt_flags_index(fl, s, t);
	fl->own = 1;
}

#define FIDX ".flags.idx"

struct appt_flagidx {
	int fd;			/* .flags.idx */
	FILE *fp;		/* flags.csv */
	long long at[APPT_F_N], nb[APPT_F_N];
	long long *done;	/* offsets of the records read into t */
	size_t ndone;
	struct appt_flags sub;	/* the index of the rows read */
};

struct fbuild {
	const struct appt_store *s;
	long col[APPT_F_N], cleared;
	int header;
	long long off;		/* of the record being read */
	long long (*v[APPT_F_N])[2];
	size_t n[APPT_F_N], cap[APPT_F_N], total;
};

static int
fbuildcb(void *ctx, size_t n, char **fv, long line)
{
	struct fbuild *c = ctx;
	const char *cl;
	size_t j;
	int f;

	(void)line;
	if (!c->header) {
		c->header = 1;
		c->cleared = -1;
		for (f = 0; f < APPT_F_N; f++)
			c->col[f] = -1;
		for (j = 0; j < n; j++) {
			if (!strcmp(fv[j], "cleared"))
				c->cleared = (long)j;
			if ((f = appt_flag_field(fv[j])) >= 0)
				c->col[f] = (long)j;
		}
		return 0;
	}
	c->total++;
	cl = c->cleared >= 0 && (size_t)c->cleared < n ? fv[c->cleared] : "";
	for (f = 0; f < APPT_F_N; f++) {
		char *k;

		if (c->col[f] < 0 || (size_t)c->col[f] >= n ||
		    appt_word_in(cl, " ", fieldnames[f], 0))
			continue;
		k = norm(c->s, f, fv[c->col[f]]);
		if (*k) {
			if (c->n[f] == c->cap[f]) {
				c->cap[f] = c->cap[f] * 2 + 256;
				c->v[f] = xreallocarray(c->v[f], c->cap[f],
				    sizeof *c->v[f]);
			}
			c->v[f][c->n[f]][0] = appt_hash64(k);
			c->v[f][c->n[f]++][1] = c->off;
		}
		free(k);
	}
	return 0;
}

static int
cmppair(const void *a, const void *b)
{
	const long long *x = a, *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* The first line of .flags.idx for flags.csv as st describes it. */
static void
fhead(char *buf, size_t len, const struct stat *st, const char *country,
    size_t total, const size_t *n)
{
	snprintf(buf, len, "appt-flags-idx 1 %llu %llu %lld %lld %ld %lld %ld "
	    "%s %zu %zu %zu %zu %zu\n", (unsigned long long)st->st_dev,
	    (unsigned long long)st->st_ino, (long long)st->st_size,
	    (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
	    (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec,
	    appt_empty(country) || strpbrk(country, " \t\r\n") ||
	    strlen(country) > 16 ? "-" : country, total, n[0], n[1], n[2],
	    n[3]);
}

struct fput {
	const char *head;
	struct fbuild *c;
};

static int
fput(FILE *fp, void *ctx)
{
	const struct fput *w = ctx;
	int f;

	fputs(w->head, fp);
	for (f = 0; f < APPT_F_N; f++)
		if (w->c->n[f])
			fwrite(w->c->v[f], sizeof *w->c->v[f], w->c->n[f], fp);
	return ferror(fp) ? -1 : 0;
}

/* Make .flags.idx from flags.csv, open as fp and st; its flags: total. */
static size_t
fbuild(const struct appt_store *s, FILE *fp, const struct stat *st)
{
	struct fbuild c = { .s = s };
	char head[256], *err;
	struct fput w = { head, &c };
	int f;

	if (fseeko(fp, 0, SEEK_SET) < 0 || appt_csv_stream_at(fp,
	    "flags.csv", fbuildcb, &c, &err, &c.off) < 0)
		appt_die(APPT_EDATA, "%s", err ? err : "flags.csv: cannot seek");
	for (f = 0; f < APPT_F_N; f++)
		if (c.n[f])
			qsort(c.v[f], c.n[f], sizeof *c.v[f], cmppair);
	fhead(head, sizeof head, st, s->country, c.total, c.n);
	/* Only for speed: a reader that cannot save it goes on without. */
	if (st->st_ctim.tv_sec < time(NULL) - 1)
		appt_replace(s, FIDX, fput, &w);
	for (f = 0; f < APPT_F_N; f++)
		free(c.v[f]);
	return c.total;
}

/* .flags.idx if it describes flags.csv as st does: 0, else -1. */
static int
fopenidx(const struct appt_store *s, const struct stat *st,
    struct appt_flagidx *x, size_t *total)
{
	char got[256], want[256];
	size_t n[APPT_F_N], len;
	struct stat ist;
	ssize_t k;
	int f;

	x->fd = openat(s->dirfd, FIDX, O_RDONLY | O_CLOEXEC);
	if (x->fd < 0 || (k = pread(x->fd, got, sizeof got - 1, 0)) <= 0)
		return -1;
	got[k] = '\0';
	if (!(len = strcspn(got, "\n")) || !got[len])
		return -1;
	got[len + 1] = '\0';
	if (sscanf(got, "appt-flags-idx 1 %*u %*u %*d %*d %*d %*d %*d %*s "
	    "%zu %zu %zu %zu %zu", total, &n[0], &n[1], &n[2], &n[3]) != 5)
		return -1;
	fhead(want, sizeof want, st, s->country, *total, n);
	if (strcmp(got, want))
		return -1;
	for (f = 0; f < APPT_F_N; f++) {
		x->nb[f] = (long long)n[f];
		x->at[f] = f ? x->at[f - 1] + x->nb[f - 1] * 16 :
		    (long long)len + 1;
	}
	/* Cut short: made again. */
	if (fstat(x->fd, &ist) < 0 || ist.st_size != x->at[APPT_F_N - 1] +
	    x->nb[APPT_F_N - 1] * 16)
		return -1;
	return 0;
}

void
appt_flags_open(struct appt_flags *fl, const struct appt_store *s)
{
	struct appt_flagidx *x = xcalloc(1, sizeof *x);
	struct appt_table *t = xcalloc(1, sizeof *t);
	char *path = appt_path(s, "flags.csv"), *err;
	struct stat st;
	size_t total;

	memset(fl, 0, sizeof *fl);
	x->fd = -1;
	if (!(x->fp = fopen(path, "r"))) {
		free(path);
		free(x);
		free(t);
		if (errno != ENOENT)
			appt_die(APPT_EDATA, "flags.csv: %s", strerror(errno));
		appt_flags_load(fl, s);
		return;
	}
	if (fstat(fileno(x->fp), &st) < 0)
		appt_die(APPT_EDATA, "flags.csv: %s", strerror(errno));
	if (fopenidx(s, &st, x, &total) < 0) {
		if (x->fd >= 0)
			close(x->fd);
		total = fbuild(s, x->fp, &st);
		if (fopenidx(s, &st, x, &total) < 0) {
			/* Not saved (a file just changed): the whole table. */
			if (x->fd >= 0)
				close(x->fd);
			fclose(x->fp);
			free(x);
			free(t);
			free(path);
			appt_flags_load(fl, s);
			return;
		}
	}
	if (fseeko(x->fp, 0, SEEK_SET) < 0 || appt_table_read_head(t, x->fp,
	    path, "flags.csv", &err) < 0)
		appt_die(APPT_EDATA, "%s", err ? err : "flags.csv: cannot seek");
	free(path);
	appt_flags_index(&x->sub, s, t);
	fl->s = s;
	fl->t = t;
	fl->own = 1;
	fl->total = total;
	fl->idx = x;
}

static void
rdfail(void)
{
	appt_die(APPT_EFAIL, "%s: cannot read: %s", FIDX, strerror(errno));
}

/* Pair k of section f of .flags.idx. */
static void
pairat(const struct appt_flagidx *x, int f, long long k, long long p[2])
{
	if (pread(x->fd, p, 2 * sizeof *p, (off_t)(x->at[f] + k * 2 *
	    (long long)sizeof *p)) != 2 * sizeof *p)
		rdfail();
}

/* Read the flags whose field f has the normal form key, if not yet read. */
static int
fwant(const struct appt_flags *fl, int f, const char *key)
{
	struct appt_flagidx *x = fl->idx;
	long long h = appt_hash64(key), lo = 0, hi = x->nb[f], mid, p[2];
	size_t i;
	char *err;
	int added = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		pairat(x, f, mid, p);
		if (p[0] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < x->nb[f]; lo++) {
		pairat(x, f, lo, p);
		if (p[0] != h)
			break;
		for (i = 0; i < x->ndone && x->done[i] != p[1]; i++)
			;
		if (i < x->ndone)
			continue;
		if (appt_table_read_at(fl->t, x->fp, p[1], NULL, &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		x->done = xreallocarray(x->done, x->ndone + 1,
		    sizeof *x->done);
		x->done[x->ndone++] = p[1];
		added = 1;
	}
	return added;
}

void
appt_flags_free(struct appt_flags *fl)
{
	size_t i;
	int f;

	if (fl->idx) {
		fl->idx->sub.t = NULL;
		appt_flags_free(&fl->idx->sub);
		if (fl->idx->fd >= 0)
			close(fl->idx->fd);
		fclose(fl->idx->fp);
		free(fl->idx->done);
		free(fl->idx);
	}
	for (f = 0; f < APPT_F_N; f++) {
		for (i = 0; i < fl->n[f]; i++)
			free(fl->key[f][i].key);
		free(fl->key[f]);
	}
	if (fl->own) {
		appt_table_free(fl->t);
		free(fl->t);
	}
	memset(fl, 0, sizeof *fl);
}

static int
cmpfind(const void *key, const void *elem)
{
	return strcmp(key, ((const struct appt_flagkey *)elem)->key);
}

/* The first flag whose normal form of field f is key; -1 if none. */
static long
lookup(const struct appt_flags *fl, int f, const char *key)
{
	const struct appt_flagkey *hit = appt_bsearch_first(key, fl->key[f],
	    fl->n[f], sizeof *fl->key[f], cmpfind);

	return hit ? (long)(hit - fl->key[f]) : -1;
}

int
appt_flags_match(const struct appt_flags *fl, const struct appt_person *p,
    size_t *flag)
{
	const char *v[APPT_F_N];
	int f, best = 0, mask, nf;
	size_t i, j, cand;

	v[APPT_F_NAME] = p->name;
	v[APPT_F_EMAIL] = p->email;
	v[APPT_F_PHONE] = p->phone;
	v[APPT_F_ADDRESS] = p->address;
	/* Through .flags.idx: read the flags it points at, then match them. */
	if (fl->idx) {
		struct appt_flags *sub = &fl->idx->sub;
		int added = 0;

		for (f = 0; f < APPT_F_N; f++) {
			char *k;

			if (appt_empty(v[f]))
				continue;
			k = norm(fl->s, f, v[f]);
			if (*k)
				added |= fwant(fl, f, k);
			free(k);
		}
		if (added) {
			sub->t = NULL;
			appt_flags_free(sub);
			appt_flags_index(sub, fl->s, fl->t);
		}
		return appt_flags_match(sub, p, flag);
	}
	/* Of the flags any field points at, the one matching most fields. */
	for (f = 0; f < APPT_F_N; f++) {
		char *k;
		long at;

		if (!fl->n[f] || appt_empty(v[f]))
			continue;
		k = norm(fl->s, f, v[f]);
		if (*k && (at = lookup(fl, f, k)) >= 0)
			for (i = (size_t)at; i < fl->n[f] &&
			    !strcmp(fl->key[f][i].key, k); i++) {
				cand = fl->key[f][i].flag;
				mask = appt_flag_fields(fl, cand, p);
				for (j = 0, nf = 0; j < APPT_F_N; j++)
					nf += (mask >> j) & 1;
				if (nf > best) {
					best = nf;
					*flag = cand;
				}
			}
		free(k);
	}
	return best ? appt_flag_fields(fl, *flag, p) : 0;
}

int
appt_flag_fields(const struct appt_flags *fl, size_t flag,
    const struct appt_person *p)
{
	const struct appt_table *t = fl->t;
	const struct appt_row *r = &t->row[flag];
	const char *cl = appt_get(t, r, "cleared");
	const char *v[APPT_F_N];
	int f, mask = 0;

	v[APPT_F_NAME] = p->name;
	v[APPT_F_EMAIL] = p->email;
	v[APPT_F_PHONE] = p->phone;
	v[APPT_F_ADDRESS] = p->address;
	for (f = 0; f < APPT_F_N; f++) {
		char *a, *b;

		if (appt_empty(v[f]) || appt_word_in(cl, " ", fieldnames[f],
		    0))
			continue;
		a = norm(fl->s, f, v[f]);
		b = norm(fl->s, f, appt_get(t, r, fieldnames[f]));
		if (*a && !strcmp(a, b)) {
			if (f != APPT_F_ADDRESS)
				mask |= 1 << f;
			else {
				/* The postcode counts when both have one. */
				char *x = normpost(p->postcode);
				char *y = normpost(appt_get(t, r, "postcode"));

				if (!*x || !*y || !strcmp(x, y))
					mask |= 1 << f;
				free(x);
				free(y);
			}
		}
		free(a);
		free(b);
	}
	return mask;
}

char *
appt_flag_names(int mask, char *buf, size_t n)
{
	int f;

	buf[0] = '\0';
	for (f = 0; f < APPT_F_N; f++)
		if (mask & (1 << f)) {
			if (buf[0])
				strncat(buf, "+", n - strlen(buf) - 1);
			strncat(buf, fieldnames[f], n - strlen(buf) - 1);
		}
	return buf;
}
