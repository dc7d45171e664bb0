/*
 * store.c: the data directory. Writers hold an exclusive flock on .lock
 * and replace whole files: a hidden 0600 temporary in the same directory,
 * written, flushed and fsynced, renamed over the old file, and the
 * directory fsynced. A reader sees the old file or the new, never half.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "appt.h"

char *
appt_datadir(const char *opt)
{
	const char *e;

	if (!appt_empty(opt))
		return xstrdup(opt);
	if (!appt_empty(e = getenv("APPT_DIR")))
		return xstrdup(e);
	if (!appt_empty(e = getenv("XDG_DATA_HOME")))
		return xasprintf("%s/appt", e);
	if (!appt_empty(e = getenv("HOME")))
		return xasprintf("%s/.local/share/appt", e);
	appt_die(APPT_EUSAGE, "no data directory: use -d DIR or set APPT_DIR");
}

char *
appt_path(const struct appt_store *s, const char *rel)
{
	return xasprintf("%s/%s", s->dir, rel);
}

static void
firstproblem(void *ctx, const char *msg)
{
	char **first = ctx;

	if (!*first)
		*first = xstrdup(msg);
}

static void
storeopen(struct appt_store *s, const char *dir, int lax)
{
	struct stat st;
	char *path, *err, *first = NULL, why[512];
	const char *tz;

	memset(s, 0, sizeof *s);
	s->lockfd = -1;
	s->dir = xstrdup(dir);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		appt_die(APPT_EDATA, "%s: no data directory here (appt-init "
		    "makes one)", dir);
	if ((s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		appt_die(APPT_EDATA, "%s: %s", dir, strerror(errno));
	/* Never write into a directory that appt-init did not make. */
	if (fstatat(s->dirfd, "config.ini", &st, 0) < 0 ||
	    !S_ISREG(st.st_mode))
		appt_die(APPT_EDATA, "%s: not an appt data directory (no "
		    "config.ini; appt-init makes one)", dir);
	path = appt_path(s, "config.ini");
	if (appt_config_load(&s->cfg, path, &err) < 0) {
		if (!lax)
			appt_die(APPT_EDATA, "%s", err);
		free(err);
		appt_config_free(&s->cfg);
		appt_config_load(&s->cfg, "/nonexistent", &err);
	}
	free(path);
	if (appt_config_validate(&s->cfg, firstproblem, &first) && !lax)
		appt_die(APPT_EDATA, "%s", first);
	free(first);
	/*
	 * A zone that does not load is UTC to glibc, without a word. A bad
	 * timezone in config.ini was reported above (lax: appt-check says
	 * it); $TZ or the system's has no other place to be said.
	 */
	tz = appt_cfg(&s->cfg, "business:timezone", NULL);
	if (appt_tz_set(tz, why, sizeof why) < 0 && (!lax || appt_empty(tz)))
		appt_die(APPT_EDATA, "%s", why);
	s->country = appt_cfg(&s->cfg, "business:country", "");
	s->digits = appt_currency_digits(appt_cfg(&s->cfg,
	    "business:currency", "EUR"));
}

void
appt_store_open(struct appt_store *s, const char *dir)
{
	storeopen(s, dir, 0);
}

void
appt_store_opendir(struct appt_store *s, const char *opt)
{
	char *d = appt_datadir(opt);

	storeopen(s, d, 0);
	free(d);
}

void
appt_store_opendir_lax(struct appt_store *s, const char *opt)
{
	char *d = appt_datadir(opt);

	storeopen(s, d, 1);
	free(d);
}

void
appt_store_close(struct appt_store *s)
{
	if (!s || !s->dir)
		return;
	appt_unlock(s);
	if (s->dirfd >= 0)
		close(s->dirfd);
	appt_config_free(&s->cfg);
	free(s->dir);
	memset(s, 0, sizeof *s);
}

struct intent {
	const char *id, *oldrel, *newrel;
};

static int
putintent(FILE *fp, void *ctx)
{
	struct intent *in = ctx;

	fprintf(fp, "%s %s %s\n", in->id, in->oldrel, in->newrel);
	return ferror(fp) ? -1 : 0;
}

void
appt_intent_move(const struct appt_store *s, const char *id,
    const char *oldrel, const char *newrel)
{
	struct intent in = { id, oldrel, newrel };

	if (appt_replace(s, ".move", putintent, &in) < 0)
		appt_die(APPT_EFAIL, ".move: cannot write: %s (nothing "
		    "changed)", strerror(errno));
}

void
appt_intent_done(const struct appt_store *s)
{
	if (unlinkat(s->dirfd, ".move", 0) == 0)
		fsync(s->dirfd);
}

static int
hasid(const struct appt_table *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->nrow; i++)
		if (!strcmp(appt_get(t, &t->row[i], "id"), id))
			return (int)i + 1;
	return 0;
}

/*
 * A move into another month that was cut short: if the new month has the
 * row, the old copy goes; if not, the old one stands and nothing moved.
 */
static void
mendmove(struct appt_store *s)
{
	char *path = appt_path(s, ".move"), *text, id[32], a[64], b[64];
	struct appt_table nt, ot;
	int at;

	text = appt_slurp(path, NULL);
	free(path);
	if (!text)
		return;
	if (sscanf(text, "%31s %63s %63s", id, a, b) == 3 &&
	    !strncmp(a, "appointments/", 13) &&
	    !strncmp(b, "appointments/", 13) && !strstr(a, "..") &&
	    !strstr(b, "..")) {
		appt_load(s, &nt, b);
		appt_load(s, &ot, a);
		if (hasid(&nt, id) && (at = hasid(&ot, id))) {
			appt_table_remove(&ot, (size_t)at - 1);
			appt_table_save(s, &ot, a);
		}
		appt_table_free(&nt);
		appt_table_free(&ot);
	}
	free(text);
	appt_intent_done(s);
}

int
appt_flock(const struct appt_store *s, const char *rel, const char *holder)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	const char *e = getenv("APPT_LOCK_WAIT"), *slash = strrchr(rel, '/');
	long wait = 30, tries;
	char *sub;
	int fd;

	if (!appt_empty(e) && appt_parse_long(e, 0, 3600, &wait) < 0)
		appt_die(APPT_EUSAGE, "APPT_LOCK_WAIT=%s: not a number of "
		    "seconds", e);
	if (slash) {
		sub = xstrndup(rel, (size_t)(slash - rel));
		if (mkdirat(s->dirfd, sub, 0700) < 0 && errno != EEXIST)
			appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, sub,
			    strerror(errno));
		free(sub);
	}
	if ((fd = openat(s->dirfd, rel, O_RDWR | O_CREAT | O_CLOEXEC,
	    0600)) < 0)
		appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, rel, strerror(errno));
	for (tries = wait * 50; flock(fd, LOCK_EX | LOCK_NB) < 0; tries--) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, rel,
			    strerror(errno));
		if (tries <= 0)
			appt_die(APPT_EBUSY, "%s%s%.*s: busy: %s held the lock "
			    "for %lds", s->dir, slash ? "/" : "",
			    slash ? (int)(slash - rel) : 0, rel, holder, wait);
		nanosleep(&ts, NULL);
	}
	return fd;
}

void
appt_lock(struct appt_store *s)
{
	if (s->lockfd >= 0)
		return;
	s->lockfd = appt_flock(s, ".lock", "another appt command");
	appt_remove_stale(s, NULL);
	appt_remove_stale(s, "appointments");
	mendmove(s);
}

void
appt_unlock(struct appt_store *s)
{
	if (s->lockfd >= 0) {
		close(s->lockfd);
		s->lockfd = -1;
	}
}

/*
 * Our temporaries (appt_replace): ".NAME.XXXXXX", the six letters or
 * digits of mkostemp, NAME being a file appt writes: a table (.csv), the
 * config (.ini), an index (.idx), a message of the outbox (-email,
 * -sms) or a busy calendar (.ics). Any other hidden file is the user's
 * and stays.
 */
static int
istemp(const char *name)
{
	static const char *const ends[] = { ".csv", ".ini", ".idx", "-email",
	    "-sms", ".ics" };
	size_t n = strlen(name), i, k;

	if (name[0] != '.' || n < 9 || name[n - 7] != '.')
		return 0;
	for (i = n - 6; i < n; i++)
		if (!isalnum((unsigned char)name[i]))
			return 0;
	for (i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		k = strlen(ends[i]);
		if (n - 7 > k && !strncmp(name + n - 7 - k, ends[i], k))
			return 1;
	}
	return 0;
}

void
appt_remove_stale(const struct appt_store *s, const char *sub)
{
	DIR *d;
	struct dirent *e;
	int fd;

	fd = sub ? openat(s->dirfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC) :
	    dup(s->dirfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (istemp(e->d_name))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

struct appt_pending {
	const struct appt_store *s;
	char *tmp, *dst, *sub;
};

static void
pendingfree(struct appt_pending *p)
{
	int saved = errno;

	free(p->tmp);
	free(p->dst);
	free(p->sub);
	free(p);
	errno = saved;
}

struct appt_pending *
appt_replace_begin(const struct appt_store *s, const char *rel,
    int (*fn)(FILE *, void *), void *ctx)
{
	struct appt_pending *p = xcalloc(1, sizeof *p);
	const char *base = strrchr(rel, '/');
	int fd, saved;
	FILE *fp;

	p->s = s;
	if (base) {
		p->sub = xstrndup(rel, (size_t)(base - rel));
		base++;
		if (mkdirat(s->dirfd, p->sub, 0700) < 0 && errno != EEXIST) {
			pendingfree(p);
			return NULL;
		}
		p->tmp = xasprintf("%s/%s/.%s.XXXXXX", s->dir, p->sub, base);
	} else {
		base = rel;
		p->tmp = xasprintf("%s/.%s.XXXXXX", s->dir, base);
	}
	p->dst = appt_path(s, rel);
	if ((fd = mkostemp(p->tmp, O_CLOEXEC)) < 0) {
		pendingfree(p);
		return NULL;
	}
	if (fchmod(fd, 0600) < 0 || !(fp = fdopen(fd, "w"))) {
		saved = errno;
		close(fd);
		errno = saved;
		appt_replace_abort(p);
		return NULL;
	}
	errno = 0;
	if (fn(fp, ctx) < 0 || fflush(fp) == EOF || ferror(fp) ||
	    fsync(fileno(fp)) < 0) {
		saved = errno ? errno : EIO;
		fclose(fp);
		errno = saved;
		appt_replace_abort(p);
		return NULL;
	}
	if (fclose(fp) == EOF) {
		appt_replace_abort(p);
		return NULL;
	}
	return p;
}

void
appt_replace_abort(struct appt_pending *p)
{
	int saved = errno;

	if (!p)
		return;
	unlink(p->tmp);
	errno = saved;
	pendingfree(p);
}

int
appt_replace_end(struct appt_pending *p)
{
	int dfd, saved;

	if (rename(p->tmp, p->dst) < 0) {
		appt_replace_abort(p);
		return -1;
	}
	dfd = p->sub ? openat(p->s->dirfd, p->sub, O_RDONLY | O_DIRECTORY) :
	    dup(p->s->dirfd);
	if (dfd < 0 || fsync(dfd) < 0) {
		saved = errno;
		if (dfd >= 0)
			close(dfd);
		errno = saved;
		pendingfree(p);
		return -1;
	}
	close(dfd);
	pendingfree(p);
	return 0;
}

int
appt_replace(const struct appt_store *s, const char *rel,
    int (*fn)(FILE *, void *), void *ctx)
{
	struct appt_pending *p = appt_replace_begin(s, rel, fn, ctx);

	return p ? appt_replace_end(p) : -1;
}

/*
 * n bytes of in from *off on to out (where it stands), in the kernel,
 * and on their way to the disk in chunks while the rest is copied, so
 * that the fsync after has little left to wait for.
 */
#define CHUNK (2L << 20)
static int
copybytes(int in, off_t *off, int out, off_t n)
{
	static char buf[1 << 20];
	ssize_t k, w;
	off_t at = lseek(out, 0, SEEK_CUR), sent = at;
	int plain = 0;

	while (n > 0) {
		if (!plain) {
			k = copy_file_range(in, off, out, NULL, (size_t)(n <
			    CHUNK ? n : CHUNK), 0);
			if (k < 0 && (errno == EXDEV || errno == ENOSYS ||
			    errno == EOPNOTSUPP || errno == EINVAL)) {
				plain = 1;	/* no kernel copy here */
				continue;
			}
		} else if ((k = pread(in, buf, n < (off_t)sizeof buf ?
		    (size_t)n : sizeof buf, *off)) > 0) {
			if ((w = write(out, buf, (size_t)k)) != k) {
				if (w >= 0)	/* short: the disk is full */
					errno = ENOSPC;
				return -1;
			}
			*off += k;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {		/* the file shrank under us */
			errno = EIO;
			return -1;
		}
		n -= k;
		at += k;
		/* Only a start: fsync says whether it was written. */
		if (at >= 0 && sent >= 0 && at - sent >= CHUNK) {
			sync_file_range(out, sent, at - sent,
			    SYNC_FILE_RANGE_WRITE);
			sent = at;
		}
	}
	return 0;
}

static int
writeall(int fd, const char *s, size_t n)
{
	ssize_t k;

	while (n > 0) {
		if ((k = write(fd, s, n)) <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			if (k == 0)
				errno = ENOSPC;
			return -1;
		}
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

struct edits {
	int fd;
	off_t size;
	const struct appt_edit *e;
	size_t n;
	struct stat st;
};

/* The temporary of appt_replace_edits: the old bytes and the new. */
static int
putedits(FILE *fp, void *ctx)
{
	struct edits *x = ctx;
	int out = fileno(fp);
	off_t at = 0;
	size_t i;

	if (fflush(fp) == EOF)
		return -1;
	for (i = 0; i < x->n; i++) {
		if (copybytes(x->fd, &at, out, (off_t)x->e[i].off - at) < 0 ||
		    writeall(out, x->e[i].text, x->e[i].n) < 0)
			return -1;
		at = (off_t)(x->e[i].off + x->e[i].len);
	}
	if (copybytes(x->fd, &at, out, x->size - at) < 0 ||
	    fstat(out, &x->st) < 0)
		return -1;
	return 0;
}

int
appt_replace_edits(const struct appt_store *s, const char *rel, int fd,
    const struct appt_edit *e, size_t n, struct stat *st)
{
	struct edits x = { .fd = fd, .e = e, .n = n };
	struct stat old;
	long long end = 0;
	size_t i;

	if (fstat(fd, &old) < 0)
		return -1;
	x.size = old.st_size;
	for (i = 0; i < n; i++) {
		if (e[i].off < end || e[i].len < 0 || e[i].off + e[i].len >
		    (long long)old.st_size) {
			errno = EINVAL;
			return -1;
		}
		end = e[i].off + e[i].len;
	}
	if (appt_replace(s, rel, putedits, &x) < 0)
		return -1;
	if (st)
		*st = x.st;
	return 0;
}

/*
 * Can rows be written into the bytes of rel (open as fd) as they are?
 * 0 yes; 1 no, it is to be rewritten whole: it is empty, or starts with
 * a byte order mark or ends in CRLF (a rewrite makes it plain LF). A
 * last line without its newline is bad data, as the reader says: exit 3.
 */
static int
editable(int fd, const char *rel, off_t size)
{
	char b[65536];
	long lines = 1;
	off_t at;
	ssize_t k, i;

	if (size < 2)
		return 1;
	if (pread(fd, b, 3, 0) == 3 && !memcmp(b, "\xef\xbb\xbf", 3))
		return 1;
	if (pread(fd, b, 2, size - 2) != 2)
		return 1;
	if (b[1] == '\n')
		return b[0] == '\r';
	for (at = 0; (k = pread(fd, b, sizeof b, at)) > 0; at += k)
		for (i = 0; i < k; i++)
			lines += b[i] == '\n';
	appt_die(APPT_EDATA, "%s:%ld: no newline at end of file (truncated?)",
	    rel, lines);
}

/*
 * Row r of t as CSV text in the columns of the header h, by name, added
 * to b: 0, or 1 if it holds a value in a column h lacks.
 */
static int
rowtext(struct appt_buf *b, const struct appt_table *h,
    const struct appt_table *t, const struct appt_row *r)
{
	const char **f = xreallocarray(NULL, h->ncol + 1, sizeof *f);
	char *text = NULL;
	size_t i, len = 0;
	FILE *fp;
	int rc = 0;

	for (i = 0; i < t->ncol; i++)
		if (*r->f[i] && appt_col(h, t->col[i]) < 0)
			rc = 1;
	for (i = 0; i < h->ncol; i++)
		f[i] = appt_get(t, r, h->col[i]);
	if (!(fp = open_memstream(&text, &len)))
		appt_die(APPT_EFAIL, "out of memory");
	appt_csv_record(fp, h->ncol, f, ',');
	if (fclose(fp) == EOF)
		appt_die(APPT_EFAIL, "out of memory");
	appt_buf_add(b, text, len);
	free(text);
	free(f);
	return rc;
}

int
appt_csv_put(const struct appt_store *s, const char *rel, FILE *fp,
    const struct appt_table *t, const size_t *rows, const long long *at,
    size_t n, struct stat *st, long long *newat)
{
	struct appt_table h;
	struct appt_edit *e;
	struct appt_buf *b, add = { 0 };
	struct stat old;
	char *path = appt_path(s, rel), *err;
	FILE *own = NULL;
	long long prev = -1, grow = 0;
	size_t i, ne = 0;
	int rc = 0;

	if (!fp && !(fp = own = fopen(path, "r"))) {
		rc = errno == ENOENT ? 1 : -1;
		free(path);
		return rc;
	}
	if (fstat(fileno(fp), &old) < 0)
		rc = -1;
	else if ((rc = editable(fileno(fp), rel, old.st_size)) == 0) {
		if (appt_table_read_head(&h, fp, path, rel, &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		e = xcalloc(n + 1, sizeof *e);
		b = xcalloc(n + 1, sizeof *b);
		/* The records replaced, in file order; then those added. */
		for (i = 0; i < n && !rc; i++) {
			const struct appt_row *r = &t->row[rows ? rows[i] : i];
			long long end;

			if (at[i] < 0) {
				if (newat)	/* from the end of the old file */
					newat[i] = (long long)add.len;
				rc = rowtext(&add, &h, t, r);
				continue;
			}
			if (at[i] <= prev) {
				errno = EINVAL;	/* out of order */
				rc = -1;
				break;
			}
			if (appt_table_read_at(&h, fp, at[i], &end, &err) < 0)
				appt_die(APPT_EDATA, "%s", err);
			appt_table_remove(&h, h.nrow - 1);
			rc = rowtext(&b[ne], &h, t, r);
			e[ne].off = prev = at[i];
			e[ne].len = end - at[i];
			e[ne].text = b[ne].s;
			e[ne].n = b[ne].len;
			if (newat)
				newat[i] = at[i] + grow;
			grow += (long long)b[ne].len - e[ne].len;
			ne++;
		}
		for (i = 0; newat && !rc && i < n; i++)
			if (at[i] < 0)
				newat[i] += (long long)old.st_size + grow;
		if (!rc && add.len) {
			e[ne].off = (long long)old.st_size;
			e[ne].text = add.s;
			e[ne++].n = add.len;
		}
		if (!rc)
			rc = appt_replace_edits(s, rel, fileno(fp), e, ne, st);
		for (i = 0; i <= n; i++)
			appt_buf_free(&b[i]);
		appt_buf_free(&add);
		free(b);
		free(e);
		appt_table_free(&h);
	}
	if (own)
		fclose(own);
	free(path);
	return rc;
}

int
appt_csv_append(const struct appt_store *s, const char *rel, FILE *fp,
    const struct appt_table *t, const size_t *rows, size_t n,
    struct stat *st)
{
	long long *at;
	size_t i;
	int rc;

	if (!rows)
		n = t->nrow;
	at = xreallocarray(NULL, n + 1, sizeof *at);
	for (i = 0; i < n; i++)
		at[i] = -1;
	rc = appt_csv_put(s, rel, fp, t, rows, at, n, st, NULL);
	free(at);
	return rc;
}

static int
writetable(FILE *fp, void *ctx)
{
	return appt_table_write(ctx, fp);
}

void
appt_table_save(const struct appt_store *s, const struct appt_table *t,
    const char *rel)
{
	if (appt_replace(s, rel, writetable, (void *)t) < 0)
		appt_die(APPT_EFAIL, "%s: cannot write: %s (the old file is "
		    "kept)", rel, strerror(errno));
}

void
appt_load(const struct appt_store *s, struct appt_table *t, const char *rel)
{
	char *path = appt_path(s, rel), *err;

	if (appt_table_read(t, path, rel, appt_schema_cols(rel), 0, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	free(path);
}

static long nextids(const struct appt_store *, const char *,
    const struct appt_table *, long);

long
appt_next_id(const struct appt_store *s, const char *table,
    const struct appt_table *t)
{
	return nextids(s, table, t, 1);
}

static long
nextids(const struct appt_store *s, const char *table,
    const struct appt_table *t, long count)
{
	struct appt_ids *ids = appt_ids_open(s);
	long first = appt_ids_take(ids, table, t, count);

	appt_ids_save(ids);
	appt_ids_close(ids);
	return first;
}

/* The ids of one table as they are handed out. */
struct idtable {
	char *name;
	size_t row;		/* its row of ids.csv */
	long last;		/* the last id given */
	const struct appt_table **seen;	/* the tables looked through */
	size_t nseen;
};

struct appt_ids {
	const struct appt_store *s;
	struct appt_table t;	/* ids.csv */
	struct idtable *v;
	size_t n;
	int changed;
};

struct appt_ids *
appt_ids_open(const struct appt_store *s)
{
	struct appt_ids *ids = xcalloc(1, sizeof *ids);

	ids->s = s;
	appt_load(s, &ids->t, "ids.csv");
	return ids;
}

void
appt_ids_close(struct appt_ids *ids)
{
	size_t i;

	if (!ids)
		return;
	for (i = 0; i < ids->n; i++) {
		free(ids->v[i].name);
		free(ids->v[i].seen);
	}
	free(ids->v);
	appt_table_free(&ids->t);
	free(ids);
}

/* The highest id of t, naming it in *where when above *seen. */
static void
highest(const struct appt_table *t, long *seen, const char **where)
{
	size_t i;
	long v;

	for (i = 0; t && i < t->nrow; i++)
		if (appt_parse_long(appt_get(t, &t->row[i], "id"), 1,
		    LONG_MAX - 1, &v) == 0 && v > *seen) {
			*seen = v;
			*where = t->label;
		}
}

/* A table's ids, as ids.csv has them, the first time they are asked for. */
static struct idtable *
idtable(struct appt_ids *ids, const char *table, int *fresh)
{
	struct appt_table *t = &ids->t;
	struct idtable *it;
	struct appt_row *r = NULL;
	size_t i;
	long last = 0;

	*fresh = 0;
	for (i = 0; i < ids->n; i++)
		if (!strcmp(ids->v[i].name, table))
			return &ids->v[i];
	for (i = 0; i < t->nrow; i++)
		if (!strcmp(appt_get(t, &t->row[i], "table"), table)) {
			r = &t->row[i];
			if (appt_parse_long(appt_get(t, r, "last"), 0,
			    LONG_MAX - 1, &last) < 0)
				appt_die(APPT_EDATA, "ids.csv:%ld: last: not a "
				    "number", r->line);
		}
	if (!r) {
		r = appt_table_add(t);
		appt_set(t, r, "table", table);
	}
	ids->v = xreallocarray(ids->v, ids->n + 1, sizeof *ids->v);
	it = &ids->v[ids->n++];
	memset(it, 0, sizeof *it);
	it->name = xstrdup(table);
	it->row = (size_t)(r - t->row);
	it->last = last;
	*fresh = 1;
	return it;
}

long
appt_ids_take(struct appt_ids *ids, const char *table,
    const struct appt_table *t, long count)
{
	struct idtable *it;
	struct appt_row *r;
	const char *where = NULL;
	char buf[32];
	long seen, v;
	size_t i;
	int fresh;

	it = idtable(ids, table, &fresh);
	r = &ids->t.row[it->row];
	seen = it->last;
	/*
	 * Never an id below one in use, whatever ids.csv says: the tables
	 * at hand, each looked through once (the ids added to it since are
	 * ours), and for appointments the highest id of every month file
	 * (.months.idx keeps it, so that this does not read them all).
	 */
	for (i = 0; t && i < it->nseen; i++)
		if (it->seen[i] == t)
			break;
	if (t && i == it->nseen) {
		it->seen = xreallocarray(it->seen, it->nseen + 1,
		    sizeof *it->seen);
		it->seen[it->nseen++] = t;
		highest(t, &seen, &where);
	}
	if (fresh && !strcmp(table, "appointments")) {
		struct appt_months *ms = appt_months_open(ids->s);
		const char *name;

		if ((v = appt_months_maxid(ms, &name)) > seen) {
			seen = v;
			snprintf(buf, sizeof buf, "%s", name);
			where = buf;
		}
		appt_months_close(ms);
	}
	if (where && r->line)
		appt_warn("ids.csv:%ld: %s: last id %ld is below id %ld in "
		    "%s%s; going on from %ld", r->line, table, it->last, seen,
		    where == buf ? "appointments/" : "", where, seen);
	it->last = seen;
	if (it->last > LONG_MAX - 1 - count)
		appt_die(APPT_EDATA, "ids.csv: %s: no id left after %ld", table,
		    it->last);
	it->last += count;
	snprintf(buf, sizeof buf, "%ld", it->last);
	appt_set(&ids->t, r, "last", buf);
	ids->changed = 1;
	return it->last - count + 1;
}

void
appt_ids_floor(struct appt_ids *ids, const char *table, long inuse,
    const char *where)
{
	struct idtable *it;
	struct appt_row *r;
	int fresh;

	it = idtable(ids, table, &fresh);
	r = &ids->t.row[it->row];
	if (inuse <= it->last)
		return;
	if (r->line)
		appt_warn("ids.csv:%ld: %s: last id %ld is below id %ld in %s; "
		    "going on from %ld", r->line, table, it->last, inuse, where,
		    inuse);
	it->last = inuse;
}

void
appt_ids_save(struct appt_ids *ids)
{
	if (!ids->changed)
		return;
	appt_table_save(ids->s, &ids->t, "ids.csv");
	ids->changed = 0;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
appt_month_files(const struct appt_store *s, time_t from, time_t to,
    char ***out)
{
	char **v = NULL, *dir, *rel;
	size_t n = 0;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int y, m, y2, m2;

	if (from == to) {
		dir = appt_path(s, "appointments");
		if ((d = opendir(dir))) {
			while ((e = readdir(d)))
				if (e->d_name[0] != '.' &&
				    strlen(e->d_name) == 11 &&
				    sscanf(e->d_name, "%4d-%2d.csv", &y,
				    &m) == 2) {
					v = xreallocarray(v, n + 1, sizeof *v);
					v[n++] = xasprintf("appointments/%s",
					    e->d_name);
				}
			closedir(d);
		}
		free(dir);
		if (n)
			qsort(v, n, sizeof *v, cmpstr);
		*out = v;
		return n;
	}
	appt_local(from, &y, &m, NULL, NULL, NULL);
	appt_local(to - 1, &y2, &m2, NULL, NULL, NULL);
	while (y < y2 || (y == y2 && m <= m2)) {
		rel = xasprintf("appointments/%04d-%02d.csv", y, m);
		if (fstatat(s->dirfd, rel, &st, 0) == 0) {
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = rel;
		} else
			free(rel);
		if (++m == 13) {
			m = 1;
			y++;
		}
	}
	*out = v;
	return n;
}

void
appt_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
