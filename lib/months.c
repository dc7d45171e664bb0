/*
 * months.c: the month files of appointments. Each is read once and kept,
 * so that a command that decided on a table can change it and save it;
 * a row that moves to another month is written to its new month first,
 * under a note of the move (.move) that appt_lock mends a crash by.
 *
 * And three figures for each month file, so that a command can tell
 * which months to read without reading them all:
 *
 *   reach    the latest start or end of its rows: an appointment of an
 *            earlier month can overlap a time only if the month's reach
 *            passes it, however long the appointment (a boarding of
 *            weeks, forced or written by hand);
 *   longest  its longest appointment, for the days a listing looks back;
 *   maxid    its highest id, so that a stale ids.csv hands out no id again.
 *
 * They are kept in .months.idx, derived data that is safe to delete: a
 * line per month file with the device, inode, size, modification and
 * change times of the file it was worked out from. A file whose line does
 * not match, as after any write or hand-edit, is read again. A file
 * a reader finds changed within the last two seconds is not written
 * down: an edit in the same clock tick as the one before could leave its
 * times alone (git's "racy" index entries). The command that writes a
 * month file, under the lock, knows its rows: it writes their figures
 * down with the file's new times at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "appt.h"

#define IDX ".months.idx"
#define MAGIC "appt-months 1\n"

struct mkey {
	unsigned long long dev, ino;
	long long size, msec, csec;
	long mnsec, cnsec;
};

struct mfig {
	char name[16];		/* 2026-11.csv */
	int ym;			/* year * 12 + month - 1 */
	struct mkey key;
	long long reach, longest;
	long maxid;
	int keep;		/* may be written down */
};

/* The figures of every month file, in order of the files. */
struct midx {
	struct mfig *v;
	size_t n;
};

/* A month file read, kept until the months are closed. */
struct month {
	char *rel;
	struct appt_table t;
	int changed;
	int first;		/* where a row moved to: saved before the rest */
	int figured;		/* its figures are of its rows in memory */
};

struct appt_months {
	const struct appt_store *s;
	struct month **mon;	/* each on its own: the tables must not move */
	size_t nmon;
	struct midx *idx;	/* read once needed */
	unsigned long version;	/* one more at every change */
	unsigned long other;	/* the version after the last change that */
				/* was not a row added */
	struct added {		/* the rows added, in order */
		struct appt_table *t;
		size_t row;
	} *added;
	size_t nadded;
	int moving;		/* .move is written, not yet done */
};

static void
keyof(const struct stat *st, struct mkey *k)
{
	memset(k, 0, sizeof *k);
	k->dev = (unsigned long long)st->st_dev;
	k->ino = (unsigned long long)st->st_ino;
	k->size = (long long)st->st_size;
	k->msec = (long long)st->st_mtim.tv_sec;
	k->mnsec = st->st_mtim.tv_nsec;
	k->csec = (long long)st->st_ctim.tv_sec;
	k->cnsec = st->st_ctim.tv_nsec;
}

static int
samekey(const struct mkey *a, const struct mkey *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->msec == b->msec && a->mnsec == b->mnsec &&
	    a->csec == b->csec && a->cnsec == b->cnsec;
}

static int
ymof(const char *name, int *ym)
{
	int y, m;
	char tail[8];

	if (strlen(name) != 11 || sscanf(name, "%4d-%2d%7s", &y, &m,
	    tail) != 3 || strcmp(tail, ".csv") || m < 1 || m > 12)
		return -1;
	*ym = y * 12 + m - 1;
	return 0;
}

static int
ymat(time_t t)
{
	int y, m;

	appt_local(t, &y, &m, NULL, NULL, NULL);
	return y * 12 + m - 1;
}

/* The figures of a month's rows, as a table or as a stream gives them. */
static void
addrow(struct mfig *f, const char *id, const char *start, const char *end)
{
	time_t a, b;
	int ha, hb;
	long v;

	if (appt_parse_id(id, &v) == 0 && v > f->maxid)
		f->maxid = v;
	/* A row whose times cannot be read stops whoever reads its month. */
	ha = appt_parse_iso(start, &a) == 0;
	hb = appt_parse_iso(end, &b) == 0;
	if (ha && a > f->reach)
		f->reach = a;
	if (hb && b > f->reach)
		f->reach = b;
	if (ha && hb && b - a > f->longest)
		f->longest = b - a;
}

struct sctx {
	struct mfig *f;
	long col[3];		/* id, start, end */
};

static int
rowcb(void *ctx, size_t n, char **fv, long line)
{
	static const char *names[] = { "id", "start", "end" };
	struct sctx *c = ctx;
	const char *v[3];
	size_t i, j;

	if (line == 1) {
		for (i = 0; i < 3; i++) {
			c->col[i] = -1;
			for (j = 0; j < n; j++)
				if (!strcmp(fv[j], names[i]))
					c->col[i] = (long)j;
		}
		return 0;
	}
	for (i = 0; i < 3; i++)
		v[i] = c->col[i] >= 0 && (size_t)c->col[i] < n ?
		    fv[c->col[i]] : "";
	addrow(c->f, v[0], v[1], v[2]);
	return 0;
}

/* Work the figures out from the file itself. */
static void
measure(const struct appt_store *s, const char *rel, struct mfig *f)
{
	struct sctx c = { .f = f };
	struct stat st;
	char *err;
	FILE *fp;
	int fd;

	f->reach = f->longest = 0;
	f->maxid = 0;
	f->keep = 0;
	if ((fd = openat(s->dirfd, rel, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0 || !(fp = fdopen(fd, "r")))
		appt_die(APPT_EDATA, "%s: %s", rel, strerror(errno));
	if (appt_csv_stream(fp, rel, rowcb, &c, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	fclose(fp);
	keyof(&st, &f->key);
	f->keep = st.st_ctim.tv_sec < time(NULL) - 1;
}

static int
putidx(FILE *fp, void *ctx)
{
	const struct midx *ms = ctx;
	const struct mfig *f;
	size_t i;

	fputs(MAGIC, fp);
	for (i = 0; i < ms->n; i++) {
		f = &ms->v[i];
		if (f->keep)
			fprintf(fp, "%s %llu %llu %lld %lld %ld %lld %ld %lld "
			    "%lld %ld\n", f->name, f->key.dev, f->key.ino,
			    f->key.size, f->key.msec, f->key.mnsec,
			    f->key.csec, f->key.cnsec, f->reach, f->longest,
			    f->maxid);
	}
	return ferror(fp) ? -1 : 0;
}

/* The lines of .months.idx; a line that does not read is left out. */
static size_t
readidx(const struct appt_store *s, struct mfig **out)
{
	char *path = appt_path(s, IDX), line[256];
	struct mfig *v = NULL, f;
	size_t n = 0;
	FILE *fp;

	*out = NULL;
	fp = fopen(path, "r");
	free(path);
	if (!fp)
		return 0;
	if (!fgets(line, sizeof line, fp) || strcmp(line, MAGIC)) {
		fclose(fp);
		return 0;
	}
	while (fgets(line, sizeof line, fp)) {
		memset(&f, 0, sizeof f);
		if (sscanf(line, "%15s %llu %llu %lld %lld %ld %lld %ld %lld "
		    "%lld %ld", f.name, &f.key.dev, &f.key.ino, &f.key.size,
		    &f.key.msec, &f.key.mnsec, &f.key.csec, &f.key.cnsec,
		    &f.reach, &f.longest, &f.maxid) != 11 ||
		    ymof(f.name, &f.ym) < 0)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = f;
	}
	fclose(fp);
	*out = v;
	return n;
}

static struct midx *
idxload(const struct appt_store *s)
{
	struct midx *ms = xcalloc(1, sizeof *ms);
	struct mfig *old, *f;
	struct stat st;
	struct mkey k;
	char **files;
	size_t nold, nf, i, j, kept = 0;
	int changed = 0;

	nold = readidx(s, &old);
	nf = appt_month_files(s, 0, 0, &files);
	ms->v = xcalloc(nf + 1, sizeof *ms->v);
	for (i = 0; i < nf; i++) {
		const char *name = files[i] + strlen("appointments/");

		f = &ms->v[ms->n];
		if (ymof(name, &f->ym) < 0)
			continue;
		snprintf(f->name, sizeof f->name, "%s", name);
		ms->n++;
		if (fstatat(s->dirfd, files[i], &st, 0) == 0) {
			keyof(&st, &k);
			for (j = 0; j < nold; j++)
				if (!strcmp(old[j].name, name) &&
				    samekey(&old[j].key, &k))
					break;
			if (j < nold) {
				*f = old[j];
				f->keep = 1;
				kept++;
				continue;
			}
		}
		measure(s, files[i], f);
		changed |= f->keep;
	}
	/* Write down what was worked out; a reader that cannot does without. */
	if (changed || kept != nold)
		appt_replace(s, IDX, putidx, ms);
	free(old);
	appt_strv_free(files, nf);
	return ms;
}

static void
idxfree(struct midx *ms)
{
	if (!ms)
		return;
	free(ms->v);
	free(ms);
}

/* The figures of month file rel; NULL if none. */
static struct mfig *
figfind(struct midx *ms, const char *rel)
{
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	size_t i;

	for (i = 0; ms && i < ms->n; i++)
		if (!strcmp(ms->v[i].name, name))
			return &ms->v[i];
	return NULL;
}

/* The figures of month file rel, a new one added in order; NULL if none. */
static struct mfig *
figof(struct midx *ms, const char *rel)
{
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	struct mfig *f;
	size_t i;
	int ym;

	if (!ms || ymof(name, &ym) < 0)
		return NULL;
	for (i = 0; i < ms->n; i++)
		if (!strcmp(ms->v[i].name, name))
			return &ms->v[i];
	/* A new month file: kept in order, as the files are. */
	ms->v = xreallocarray(ms->v, ms->n + 1, sizeof *ms->v);
	for (i = ms->n; i > 0 && strcmp(ms->v[i - 1].name, name) > 0; i--)
		ms->v[i] = ms->v[i - 1];
	f = &ms->v[i];
	ms->n++;
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	f->ym = ym;
	return f;
}

/* The figures of rel from its rows as they are now in memory. */
static void
idxnote(struct midx *ms, const char *rel, const struct appt_table *t)
{
	struct mfig *f = figof(ms, rel);
	size_t i;

	if (!f)
		return;
	f->reach = f->longest = 0;
	f->maxid = 0;
	f->keep = 0;
	for (i = 0; i < t->nrow; i++)
		addrow(f, appt_get(t, &t->row[i], "id"),
		    appt_get(t, &t->row[i], "start"),
		    appt_get(t, &t->row[i], "end"));
}

/*
 * The figures of every month file, and of each month changed in memory
 * and not yet saved (a batch decides on all it changed before it writes).
 */
static struct midx *
idx(struct appt_months *m)
{
	size_t i;

	if (!m->idx)
		m->idx = idxload(m->s);
	for (i = 0; i < m->nmon; i++)
		if (m->mon[i]->changed && !m->mon[i]->figured) {
			idxnote(m->idx, m->mon[i]->rel, &m->mon[i]->t);
			m->mon[i]->figured = 1;
		}
	return m->idx;
}

size_t
appt_months_over(struct appt_months *m, time_t from, time_t to,
    long slack, char ***out)
{
	struct midx *ms = idx(m);
	char **v = xcalloc(ms->n + 1, sizeof *v);
	int a = ymat(from), b = ymat(to > from ? to - 1 : from);
	size_t i, n = 0;

	for (i = 0; i < ms->n; i++) {
		const struct mfig *f = &ms->v[i];

		if (f->ym > b || (f->ym < a && f->reach + slack <= from))
			continue;
		v[n++] = xasprintf("appointments/%s", f->name);
	}
	*out = v;
	return n;
}

long long
appt_months_longest(struct appt_months *m, const char *rel)
{
	const struct midx *ms = idx(m);
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	size_t i;

	for (i = 0; i < ms->n; i++)
		if (!strcmp(ms->v[i].name, name))
			return ms->v[i].longest;
	return 0;
}

long
appt_months_maxid(struct appt_months *m, const char **where)
{
	const struct midx *ms = idx(m);
	long max = 0;
	size_t i;

	if (where)
		*where = NULL;
	for (i = 0; i < ms->n; i++)
		if (ms->v[i].maxid > max) {
			max = ms->v[i].maxid;
			if (where)
				*where = ms->v[i].name;
		}
	return max;
}

struct appt_months *
appt_months_open(const struct appt_store *s)
{
	struct appt_months *m = xcalloc(1, sizeof *m);

	m->s = s;
	return m;
}

void
appt_months_close(struct appt_months *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->nmon; i++) {
		appt_table_free(&m->mon[i]->t);
		free(m->mon[i]->rel);
		free(m->mon[i]);
	}
	free(m->mon);
	free(m->added);
	idxfree(m->idx);
	free(m);
}

static struct month *
monthof(struct appt_months *m, const struct appt_table *t)
{
	size_t i;

	for (i = 0; i < m->nmon; i++)
		if (&m->mon[i]->t == t)
			return m->mon[i];
	return NULL;
}

struct appt_table *
appt_months_table(struct appt_months *m, const char *rel)
{
	struct month *mo;
	struct mfig *f;
	struct stat st[2];
	struct mkey k[2];
	size_t i;

	for (i = 0; i < m->nmon; i++)
		if (!strcmp(m->mon[i]->rel, rel))
			return &m->mon[i]->t;
	m->mon = xreallocarray(m->mon, m->nmon + 1, sizeof *m->mon);
	mo = m->mon[m->nmon++] = xcalloc(1, sizeof *mo);
	mo->rel = xstrdup(rel);
	st[0].st_ino = st[1].st_ino = 0;
	fstatat(m->s->dirfd, rel, &st[0], 0);
	appt_load(m->s, &mo->t, rel);
	/* Figures known of the very file read are of its rows. */
	if (m->idx && st[0].st_ino && fstatat(m->s->dirfd, rel, &st[1],
	    0) == 0 && (f = figfind(m->idx, rel))) {
		keyof(&st[0], &k[0]);
		keyof(&st[1], &k[1]);
		mo->figured = samekey(&k[0], &k[1]) && samekey(&k[0], &f->key);
	}
	return &mo->t;
}

struct appt_table *
appt_months_at(struct appt_months *m, time_t t)
{
	char *rel = appt_month_file(t);
	struct appt_table *tab = appt_months_table(m, rel);

	free(rel);
	return tab;
}

void
appt_months_changed(struct appt_months *m, const struct appt_table *t)
{
	struct month *mo = monthof(m, t);

	if (mo) {
		mo->changed = 1;
		mo->figured = 0;
	}
	m->other = ++m->version;
}

void
appt_months_added(struct appt_months *m, const struct appt_table *t,
    const struct appt_row *r)
{
	struct month *mo = monthof(m, t);
	struct mfig *f;

	if (!mo) {
		appt_months_changed(m, t);
		return;
	}
	mo->changed = 1;
	/* Figures of the rows in memory take the row in alone. */
	if (mo->figured && (f = figof(m->idx, mo->rel))) {
		addrow(f, appt_get(t, r, "id"), appt_get(t, r, "start"),
		    appt_get(t, r, "end"));
		f->keep = 0;
	} else
		mo->figured = 0;
	if (!(m->nadded & (m->nadded + 1)))
		m->added = xreallocarray(m->added, m->nadded * 2 + 2,
		    sizeof *m->added);
	m->added[m->nadded].t = &mo->t;
	m->added[m->nadded++].row = (size_t)(r - t->row);
	m->version++;
}

long
appt_months_added_since(const struct appt_months *m, unsigned long v)
{
	if (v < m->other || v > m->version ||
	    m->version - v > (unsigned long)m->nadded)
		return -1;
	return (long)(m->version - v);
}

const struct appt_row *
appt_months_added_row(const struct appt_months *m, unsigned long v,
    size_t i, const struct appt_table **t)
{
	const struct added *a = &m->added[m->nadded - (m->version - v) + i];

	*t = a->t;
	return &a->t->row[a->row];
}

unsigned long
appt_months_version(const struct appt_months *m)
{
	return m->version;
}

static int
puttable(FILE *fp, void *t)
{
	return appt_table_write(t, fp);
}

void
appt_months_save(struct appt_months *m)
{
	struct month **v = xcalloc(m->nmon + 1, sizeof *v);
	struct appt_pending **p = xcalloc(m->nmon + 1, sizeof *p);
	size_t i, n = 0, k;

	/* Where rows moved to first: a crash between leaves two, not none. */
	for (i = 0; i < m->nmon; i++)
		if (m->mon[i]->changed && m->mon[i]->first)
			v[n++] = m->mon[i];
	for (i = 0; i < m->nmon; i++)
		if (m->mon[i]->changed && !m->mon[i]->first)
			v[n++] = m->mon[i];
	/*
	 * Every file written before any is renamed: a full disk changes
	 * none of them.
	 */
	for (i = 0; i < n; i++)
		if (!(p[i] = appt_replace_begin(m->s, v[i]->rel, puttable,
		    &v[i]->t))) {
			for (k = 0; k < i; k++)
				appt_replace_abort(p[k]);
			appt_die(APPT_EFAIL, "%s: cannot write: %s (%s)",
			    v[i]->rel, strerror(errno), n > 1 ? "every month "
			    "file is kept as it was" : "the old file is kept");
		}
	for (i = 0; i < n; i++) {
		if (appt_replace_end(p[i]) < 0) {
			for (k = i + 1; k < n; k++)
				appt_replace_abort(p[k]);
			appt_die(APPT_EFAIL, "%s: cannot write: %s (the old "
			    "file is kept)", v[i]->rel, strerror(errno));
		}
		v[i]->changed = v[i]->first = 0;
		/* The next look at the months must see how far it reaches. */
		if (m->idx && !v[i]->figured) {
			idxnote(m->idx, v[i]->rel, &v[i]->t);
			v[i]->figured = 1;
		}
	}
	/*
	 * What was written is known, under the lock: its figures go down
	 * now, so that the next command need not read the month again.
	 */
	if (m->idx && n) {
		for (i = 0; i < n; i++) {
			struct mfig *f = figof(m->idx, v[i]->rel);
			struct stat st;

			if (f && fstatat(m->s->dirfd, v[i]->rel, &st, 0) == 0) {
				keyof(&st, &f->key);
				f->keep = 1;
			}
		}
		appt_replace(m->s, IDX, putidx, m->idx);
	}
	free(v);
	free(p);
	if (m->moving) {
		appt_intent_done(m->s);
		m->moving = 0;
	}
}

struct appt_row *
appt_months_move(struct appt_months *m, struct appt_table **tp,
    struct appt_row *r)
{
	struct appt_table *t = *tp, *nt;
	struct month *from = monthof(m, t), *to;
	struct appt_row *nr;
	time_t start;
	size_t i;

	if (!from || appt_parse_iso(appt_get(t, r, "start"), &start) < 0 ||
	    (nt = appt_months_at(m, start)) == t)
		return r;
	to = monthof(m, nt);
	/* .move names one move: an earlier one is written out first. */
	if (m->moving)
		appt_months_save(m);
	/* Say what is under way, so that a crash halfway is mended. */
	appt_intent_move(m->s, appt_get(t, r, "id"), from->rel, to->rel);
	m->moving = 1;
	nr = appt_table_add(nt);
	for (i = 0; i < t->ncol; i++)
		appt_set(nt, nr, t->col[i], r->f[i]);
	appt_table_remove(t, (size_t)(r - t->row));
	from->changed = to->changed = to->first = 1;
	from->figured = to->figured = 0;
	m->other = ++m->version;
	*tp = nt;
	return nr;
}

static int
bydistance(const void *a, const void *b)
{
	const long *x = a, *y = b;

	return x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : (x[0] > y[0]) - (x[0] <
	    y[0]);
}

/* Row id of t, or NULL. */
static struct appt_row *
rowof(struct appt_table *t, const char *id)
{
	size_t j;

	for (j = 0; j < t->nrow; j++)
		if (!strcmp(appt_get(t, &t->row[j], "id"), id))
			return &t->row[j];
	return NULL;
}

struct appt_row *
appt_months_find(struct appt_months *m, const char *id, const char *hint,
    struct appt_table **tp)
{
	struct appt_table *t;
	struct appt_row *best = NULL;
	char **files;
	size_t nf, i;
	long (*order)[2], cur, v;
	time_t h;
	int y, mo;

	if (appt_parse_id(id, &v) < 0)
		return NULL;
	/* The start a pipe gives says which month to read. */
	if (!appt_empty(hint) && appt_parse_iso(hint, &h) == 0) {
		t = appt_months_at(m, h);
		if ((best = rowof(t, id))) {
			*tp = t;
			return best;
		}
	}
	/* Else months nearest to now first: that is where ids move. */
	nf = appt_month_files(m->s, 0, 0, &files);
	order = xcalloc(nf + 1, sizeof *order);
	appt_local(appt_now(), &y, &mo, NULL, NULL, NULL);
	cur = y * 12L + mo;
	for (i = 0; i < nf; i++) {
		sscanf(files[i], "appointments/%4d-%2d", &y, &mo);
		order[i][0] = (long)i;
		order[i][1] = labs(y * 12L + mo - cur);
	}
	if (nf)
		qsort(order, nf, sizeof *order, bydistance);
	for (i = 0; i < nf && !best; i++) {
		t = appt_months_table(m, files[order[i][0]]);
		if ((best = rowof(t, id)))
			*tp = t;
	}
	free(order);
	appt_strv_free(files, nf);
	return best;
}
