/*
 * csv.c: RFC 4180 tables over libcsv in strict mode.
 *
 * libcsv is permissive by default and does not count lines, so the
 * file is fed one line at a time: a record starts on the line fed when
 * the parser was between rows. A torn last field, a record without a
 * final newline, a NUL byte, text that is not UTF-8 or an over-long
 * field are errors.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

#define MAXFIELDS 1024

struct pstate {
	const char *label;
	appt_csv_cb cb;
	void *ctx;
	char **f;
	size_t n, cap;
	long recline;
	long lineno;	/* the line being fed */
	int nrec;	/* records it ended */
	int header;	/* the first record, the header, was read */
	char *err;
	int stop;
	int anytext;	/* rows may hold bad UTF-8: the caller reports them */
};

static void
fieldcb(void *s, size_t len, void *data)
{
	struct pstate *ps = data;

	if (ps->err || ps->stop)
		return;
	if (len > APPT_CSV_FIELDMAX) {
		ps->err = xasprintf("%s:%ld: field longer than %d bytes",
		    ps->label, ps->recline, APPT_CSV_FIELDMAX);
		return;
	}
	if (len && memchr(s, '\0', len)) {
		ps->err = xasprintf("%s:%ld: NUL byte in field", ps->label,
		    ps->recline);
		return;
	}
	if ((!ps->anytext || !ps->header) && !appt_utf8_valid(s, len)) {
		ps->err = xasprintf("%s:%ld: not valid UTF-8", ps->label,
		    ps->recline);
		return;
	}
	if (ps->n >= MAXFIELDS) {
		ps->err = xasprintf("%s:%ld: more than %d fields", ps->label,
		    ps->recline, MAXFIELDS);
		return;
	}
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->f = xreallocarray(ps->f, ps->cap, sizeof *ps->f);
	}
	ps->f[ps->n++] = xstrndup(s ? s : "", s ? len : 0);
}

/* libcsv ends a record at a CR: one alone, mid-line, would split a row. */
static void
barecr(struct pstate *ps)
{
	if (!ps->err)
		ps->err = xasprintf("%s:%ld: a CR inside a line, outside "
		    "quotes (line ends are LF or CRLF)", ps->label,
		    ps->lineno);
}

static void
recordcb(int c, void *data)
{
	struct pstate *ps = data;
	size_t i;

	(void)c;
	if (++ps->nrec > 1)
		barecr(ps);
	ps->header = 1;
	if (!ps->err && !ps->stop && ps->cb(ps->ctx, ps->n, ps->f,
	    ps->recline))
		ps->stop = 1;
	for (i = 0; i < ps->n; i++)
		free(ps->f[i]);
	ps->n = 0;
}

int
appt_csv_stream(FILE *fp, const char *label, appt_csv_cb cb, void *ctx,
    char **err)
{
	return appt_csv_stream_at(fp, label, cb, ctx, err, NULL);
}

/* A line that is a whole record and holds none of the needles. */
static int
skip(const char *s, size_t n, const char *const *needles)
{
	if (memchr(s, '"', n))
		return 0;
	for (; *needles; needles++)
		if (memmem(s, n, *needles, strlen(*needles)))
			return 0;
	return 1;
}

static int
stream(FILE *fp, const char *label, appt_csv_cb cb, void *ctx, char **err,
    long long *recoff, const char *const *needles, int anytext, long line0)
{
	long long off = recoff ? *recoff : 0;
	struct csv_parser p;
	struct pstate ps = { .label = label, .cb = cb, .ctx = ctx,
	    .anytext = anytext };
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	long lineno = line0;	/* lines before where fp stands */
	int lastnl = 1;

	*err = NULL;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		appt_die(APPT_EFAIL, "out of memory");
	while (!ps.err && !ps.stop && (len = getline(&line, &lcap, fp)) > 0) {
		const char *s = line;
		size_t n = (size_t)len;

		lineno++;
		if (recoff && p.pstate == 0)
			*recoff = off;
		off += len;
		if (lineno == 1 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
			s += 3;
			n -= 3;
		}
		lastnl = n && s[n - 1] == '\n';	/* n: a BOM alone */
		if (needles && ps.header && p.pstate == 0 && skip(s, n,
		    needles))
			continue;
		if (p.pstate == 0)	/* between records */
			ps.recline = lineno;
		ps.lineno = lineno;
		ps.nrec = 0;
		if (csv_parse(&p, s, n, fieldcb, recordcb, &ps) != n &&
		    !ps.err)
			ps.err = xasprintf("%s:%ld: %s", label, lineno,
			    csv_error(&p) == CSV_EPARSE ?
			    "malformed quoting" : csv_strerror(csv_error(&p)));
		/* A record ended on this line and another began on it. */
		if (ps.nrec && p.pstate != 0 && lastnl)
			barecr(&ps);
	}
	if (!ps.err && ferror(fp))
		ps.err = xasprintf("%s: %s", label, strerror(errno));
	if (!ps.err && !ps.stop) {
		if (p.pstate != 0 && p.quoted)
			ps.err = xasprintf("%s:%ld: unterminated quoted field",
			    label, ps.recline);
		else if (!lastnl)
			ps.err = xasprintf("%s:%ld: no newline at end of file "
			    "(truncated?)", label, lineno);
		else if (csv_fini(&p, fieldcb, recordcb, &ps) != 0 && !ps.err)
			ps.err = xasprintf("%s:%ld: malformed record", label,
			    ps.recline);
	}
	csv_free(&p);
	appt_strv_free(ps.f, ps.n);
	free(line);
	*err = ps.err;
	return ps.err ? -1 : 0;
}

int
appt_csv_stream_at(FILE *fp, const char *label, appt_csv_cb cb, void *ctx,
    char **err, long long *recoff)
{
	return stream(fp, label, cb, ctx, err, recoff, NULL, 0, 0);
}

long
appt_col(const struct appt_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (strcmp(t->col[i], name) == 0)
			return (long)i;
	return -1;
}

static void
addcol(struct appt_table *t, const char *name)
{
	size_t i;

	t->col = xreallocarray(t->col, t->ncol + 1, sizeof *t->col);
	t->col[t->ncol] = xstrdup(name);
	for (i = 0; i < t->nrow; i++) {
		t->row[i].f = xreallocarray(t->row[i].f, t->ncol + 1,
		    sizeof(char *));
		t->row[i].f[t->ncol] = xstrdup("");
	}
	t->ncol++;
}

void
appt_table_init(struct appt_table *t, const char *path, const char *label,
    const char *const *known)
{
	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	t->label = xstrdup(label);
	for (; known && *known; known++)
		if (appt_col(t, *known) < 0)
			addcol(t, *known);
}

struct rctx {
	struct appt_table *t;
	char *err;
	int header;
	int one;	/* stop after one record */
};

static int
readcb(void *ctx, size_t n, char **f, long line)
{
	struct rctx *rc = ctx;
	struct appt_table *t = rc->t;
	struct appt_row *r;
	size_t i, len = 0;
	char *p;

	if (!rc->header) {
		rc->header = 1;
		t->col = xcalloc(n, sizeof *t->col);
		for (i = 0; i < n; i++) {
			if (f[i][0] == '\0') {
				rc->err = xasprintf("%s:%ld: empty column "
				    "name in header", t->label, line);
				return 1;
			}
			if (appt_col(t, f[i]) >= 0) {
				rc->err = xasprintf("%s:%ld: column '%s' "
				    "twice in header", t->label, line, f[i]);
				return 1;
			}
			t->col[t->ncol++] = xstrdup(f[i]);
		}
		return rc->one;
	}
	if (n != t->ncol) {
		rc->err = xasprintf("%s:%ld: %zu fields, the header has %zu",
		    t->label, line, n, t->ncol);
		return 1;
	}
	if (t->nrow + 1 >= t->cap) {
		t->cap = t->cap * 2 + 16;
		t->row = xreallocarray(t->row, t->cap, sizeof *t->row);
	}
	r = &t->row[t->nrow++];
	for (i = 0; i < n; i++)
		len += strlen(f[i]) + 1;
	r->line = line;
	r->file = NULL;
	r->blen = len;
	r->blk = p = xmalloc(len);
	r->f = xreallocarray(NULL, n, sizeof *r->f);
	for (i = 0; i < n; i++) {
		size_t l = strlen(f[i]) + 1;

		memcpy(p, f[i], l);
		r->f[i] = p;
		p += l;
	}
	return rc->one;
}

int
appt_table_read(struct appt_table *t, const char *path, const char *label,
    const char *const *known, int mustexist, char **err)
{
	return appt_table_read_where(t, path, label, known, mustexist, NULL,
	    err);
}

/* The table of stream fp (NULL: a file that is not there). */
static int
fpread(struct appt_table *t, FILE *fp, const char *path, const char *label,
    const char *const *known, const char *const *needles, int anytext,
    char **err)
{
	struct rctx rc = { .t = t };

	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	t->label = xstrdup(label);
	t->missing = !fp;
	*err = NULL;
	if (fp && (stream(fp, label, readcb, &rc, err, NULL, needles, anytext,
	    0) < 0 || rc.err)) {
		if (!*err)
			*err = rc.err;
		else
			free(rc.err);
		appt_table_free(t);	/* what was read before the error */
		return -1;
	}
	for (; known && *known; known++)
		if (appt_col(t, *known) < 0)
			addcol(t, *known);
	return 0;
}

static int
tableread(struct appt_table *t, const char *path, const char *label,
    const char *const *known, int mustexist, const char *const *needles,
    int anytext, char **err)
{
	FILE *fp;
	int r;

	if (!(fp = fopen(path, "r")) && (errno != ENOENT || mustexist)) {
		memset(t, 0, sizeof *t);
		*err = xasprintf("%s: %s", label, strerror(errno));
		return -1;
	}
	r = fpread(t, fp, path, label, known, needles, anytext, err);
	if (fp)
		fclose(fp);
	return r;
}

long
appt_csv_count(const char *path, const char *label, char **err)
{
	struct appt_table t;
	char buf[1 << 16];
	size_t k, i;
	long n = 0;
	int on = 0, whole = 1;	/* a field on this line; plain lines */
	char last = '\n';
	FILE *fp = fopen(path, "r");

	*err = NULL;
	if (!fp && errno == ENOENT)
		return 0;
	if (!fp) {
		*err = xasprintf("%s: %s", label, strerror(errno));
		return -1;
	}
	while (whole && (k = fread(buf, 1, sizeof buf, fp)) > 0) {
		/* A quote can make one record of lines: parse it all. */
		if (memchr(buf, '"', k)) {
			whole = 0;
			break;
		}
		for (i = 0; i < k; i++)
			if (buf[i] == '\n') {
				n += on;
				on = 0;
			} else if (buf[i] != '\r' && buf[i] != ' ' &&
			    buf[i] != '\t')
				on = 1;	/* blanks alone: libcsv's no record */
		last = buf[k - 1];
	}
	if (ferror(fp)) {
		*err = xasprintf("%s: %s", label, strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	if (whole && last == '\n')
		return n ? n - 1 : 0;	/* the header is not a record */
	/* Quoted, or a last line without its newline (the reader says). */
	if (appt_table_read(&t, path, label, NULL, 0, err) < 0)
		return -1;
	n = (long)t.nrow;
	appt_table_free(&t);
	return n;
}

int
appt_table_read_fp(struct appt_table *t, FILE *fp, const char *path,
    const char *label, const char *const *known, char **err)
{
	return fpread(t, fp, path, label, known, NULL, 0, err);
}

int
appt_table_read_where(struct appt_table *t, const char *path,
    const char *label, const char *const *known, int mustexist,
    const char *const *needles, char **err)
{
	return tableread(t, path, label, known, mustexist, needles, 0, err);
}

int
appt_table_read_input(struct appt_table *t, char **err)
{
	return tableread(t, "/dev/stdin", "stdin", NULL, 1, NULL, 1, err);
}

int
appt_table_read_head(struct appt_table *t, FILE *fp, const char *path,
    const char *label, char **err)
{
	struct rctx rc = { .t = t, .one = 1 };

	memset(t, 0, sizeof *t);
	t->path = xstrdup(path);
	t->label = xstrdup(label);
	*err = NULL;
	if (fseeko(fp, 0, SEEK_SET) < 0)
		*err = xasprintf("%s: %s", label, strerror(errno));
	else if (stream(fp, label, readcb, &rc, err, NULL, NULL, 0, 0) == 0) {
		*err = rc.err;
		rc.err = NULL;
		if (!*err && !t->ncol)
			*err = xasprintf("%s: no header", label);
	}
	free(rc.err);
	if (*err) {
		appt_table_free(t);
		return -1;
	}
	return 0;
}

/* The number of lines before byte off of fp, for a message. */
static long
linesbefore(FILE *fp, long long off)
{
	char buf[65536];
	long n = 0;
	size_t k, i;

	if (fseeko(fp, 0, SEEK_SET) < 0)
		return 0;
	while (off > 0 && (k = fread(buf, 1, off < (long long)sizeof buf ?
	    (size_t)off : sizeof buf, fp)) > 0) {
		for (i = 0; i < k; i++)
			n += buf[i] == '\n';
		off -= (long long)k;
	}
	return n;
}

int
appt_table_read_at(struct appt_table *t, FILE *fp, long long off,
    long long *end, char **err)
{
	struct rctx rc = { .t = t, .header = 1, .one = 1 };
	size_t nrow = t->nrow;
	long line0 = 0;
	int pass;

	/* Lines are counted only to name the line of an error. */
	for (pass = 0; pass < 2; pass++) {
		*err = rc.err = NULL;
		if (fseeko(fp, (off_t)off, SEEK_SET) < 0) {
			*err = xasprintf("%s: %s", t->label, strerror(errno));
			return -1;
		}
		if (stream(fp, t->label, readcb, &rc, err, NULL, NULL, 0,
		    line0) == 0 && !rc.err && t->nrow > nrow) {
			if (end)
				*end = (long long)ftello(fp);
			return 0;
		}
		while (t->nrow > nrow)
			appt_table_remove(t, t->nrow - 1);
		if (!*err && !rc.err)
			*err = xasprintf("%s: no record at byte %lld", t->label,
			    off);
		if (pass == 0) {
			free(*err);
			free(rc.err);
			line0 = linesbefore(fp, off);
		}
	}
	if (!*err)
		*err = rc.err;
	else
		free(rc.err);
	return -1;
}

const char *
appt_row_badutf8(const struct appt_table *t, const struct appt_row *r)
{
	size_t i;

	for (i = 0; i < t->ncol; i++)
		if (!appt_utf8_valid(r->f[i], strlen(r->f[i])))
			return t->col[i];
	return NULL;
}

/* Is field p in the row's block as read (else malloc'd on its own)? */
static int
inblk(const struct appt_row *r, const char *p)
{
	return r->blk && p >= r->blk && p < r->blk + r->blen;
}

static void
freerow(struct appt_row *r, size_t ncol)
{
	size_t i;

	for (i = 0; i < ncol; i++)
		if (!inblk(r, r->f[i]))
			free(r->f[i]);
	free(r->f);
	free(r->blk);
}

void
appt_table_free(struct appt_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrow; i++)
		freerow(&t->row[i], t->ncol);
	appt_strv_free(t->col, t->ncol);
	appt_strv_free(t->files, t->nfile);
	free(t->row);
	free(t->path);
	free(t->label);
	memset(t, 0, sizeof *t);
}

void
appt_table_take(struct appt_table *dst, struct appt_table *src)
{
	struct appt_row *r;
	char **f, *label = xstrdup(src->label);
	size_t i, j;
	long *map = xreallocarray(NULL, dst->ncol + 1, sizeof *map);
	char *used = xcalloc(src->ncol + 1, 1);

	dst->files = xreallocarray(dst->files, dst->nfile + 1,
	    sizeof *dst->files);
	dst->files[dst->nfile++] = label;
	for (j = 0; j < dst->ncol; j++)
		if ((map[j] = appt_col(src, dst->col[j])) >= 0)
			used[map[j]] = 1;
	for (i = 0; i < src->nrow; i++) {
		r = &src->row[i];
		f = xreallocarray(NULL, dst->ncol ? dst->ncol : 1, sizeof *f);
		for (j = 0; j < dst->ncol; j++)
			f[j] = map[j] >= 0 ? r->f[map[j]] : xstrdup("");
		for (j = 0; j < src->ncol; j++)
			if (!used[j] && !inblk(r, r->f[j]))
				free(r->f[j]);
		free(r->f);
		r->f = f;
		if (!r->file)
			r->file = label;
		if (dst->nrow + 1 >= dst->cap) {
			dst->cap = dst->cap * 2 + 16;
			dst->row = xreallocarray(dst->row, dst->cap,
			    sizeof *dst->row);
		}
		dst->row[dst->nrow++] = *r;
	}
	/* Labels src's rows took from others are dst's now. */
	dst->files = xreallocarray(dst->files, dst->nfile + src->nfile + 1,
	    sizeof *dst->files);
	for (j = 0; j < src->nfile; j++)
		dst->files[dst->nfile++] = src->files[j];
	free(src->files);
	src->files = NULL;
	src->nfile = 0;
	src->nrow = 0;
	free(map);
	free(used);
	appt_table_free(src);
}

const char *
appt_row_label(const struct appt_table *t, const struct appt_row *r)
{
	return r->file ? r->file : t->label;
}

const char *
appt_get(const struct appt_table *t, const struct appt_row *r,
    const char *name)
{
	long c = appt_col(t, name);

	return c < 0 ? "" : r->f[c];
}

void
appt_set(struct appt_table *t, struct appt_row *r, const char *name,
    const char *value)
{
	long c = appt_col(t, name);

	if (c < 0) {
		addcol(t, name);
		c = (long)t->ncol - 1;
	}
	if (!r)
		return;		/* only the column was wanted */
	if (!inblk(r, r->f[c]))
		free(r->f[c]);
	r->f[c] = xstrdup(value ? value : "");
}

struct appt_row *
appt_table_add(struct appt_table *t)
{
	struct appt_row *r;
	size_t i;

	if (t->nrow + 1 >= t->cap) {
		t->cap = t->cap * 2 + 16;
		t->row = xreallocarray(t->row, t->cap, sizeof *t->row);
	}
	r = &t->row[t->nrow++];
	memset(r, 0, sizeof *r);
	r->f = xreallocarray(NULL, t->ncol ? t->ncol : 1, sizeof *r->f);
	for (i = 0; i < t->ncol; i++)
		r->f[i] = xstrdup("");
	return r;
}

void
appt_table_remove(struct appt_table *t, size_t i)
{
	if (i >= t->nrow)
		return;
	freerow(&t->row[i], t->ncol);
	memmove(&t->row[i], &t->row[i + 1],
	    (t->nrow - i - 1) * sizeof *t->row);
	t->nrow--;
}

void
appt_csv_field(FILE *fp, const char *s, int sep)
{
	size_t n = strlen(s);
	const char *p;

	if (sep == '\t') {
		for (p = s; *p; p++)
			if (*p == '\t' || *p == '\n' || *p == '\r')
				fputc(' ', fp);
			else
				fputc(*p, fp);
		return;
	}
	/* A byte order mark first would be dropped at the start of a file. */
	if (!strpbrk(s, ",\"\r\n") && !(n && (s[0] == ' ' || s[0] == '\t' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t')) &&
	    strncmp(s, "\xef\xbb\xbf", 3)) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', fp);
		fputc(*p, fp);
	}
	fputc('"', fp);
}

void
appt_csv_record(FILE *fp, size_t n, const char *const *f, int sep)
{
	size_t i;

	/* One empty field alone would be a blank line, which is no record. */
	if (n == 1 && sep == ',' && appt_empty(f[0])) {
		fputs("\"\"\n", fp);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			fputc(sep, fp);
		appt_csv_field(fp, f[i] ? f[i] : "", sep);
	}
	fputc('\n', fp);
}

int
appt_table_write(const struct appt_table *t, FILE *fp)
{
	size_t i;

	appt_csv_record(fp, t->ncol, (const char *const *)t->col, ',');
	for (i = 0; i < t->nrow; i++)
		appt_csv_record(fp, t->ncol, (const char *const *)t->row[i].f,
		    ',');
	return ferror(fp) ? -1 : 0;
}

struct appt_row *
appt_row_byid(struct appt_table *t, const char *id, const char *what)
{
	size_t i;
	long v, w;

	if (appt_parse_id(id, &v) < 0)
		appt_die(APPT_EUSAGE, "%s: not a %s id", id, what);
	for (i = 0; i < t->nrow; i++)
		if (appt_parse_id(appt_get(t, &t->row[i], "id"), &w) == 0 &&
		    w == v)
			return &t->row[i];
	appt_die(APPT_EFAIL, "%s: no %s with this id", id, what);
}
