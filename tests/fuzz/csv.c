/*
 * The CSV reader: a stream through fmemopen, strictly, each error naming
 * label:line; what reads must write back (appt_csv_record) and read again
 * as the same records. Then the same bytes as a table file, whole and
 * filtered by needles (appt_table_read_where), and written back.
 */
#include "fuzz.h"

struct recs {
	size_t n;
	size_t *nf;
	char ***f;
	long *line;
};

static int
collect(void *ctx, size_t n, char **f, long line)
{
	struct recs *r = ctx;
	size_t i;

	must(n > 0, "a record of no fields");
	must(line >= 1 && (!r->n || line > r->line[r->n - 1]),
	    "line %ld after %ld", line, r->n ? r->line[r->n - 1] : 0);
	r->nf = xreallocarray(r->nf, r->n + 1, sizeof *r->nf);
	r->f = xreallocarray(r->f, r->n + 1, sizeof *r->f);
	r->line = xreallocarray(r->line, r->n + 1, sizeof *r->line);
	r->nf[r->n] = n;
	r->line[r->n] = line;
	r->f[r->n] = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++)
		r->f[r->n][i] = xstrdup(f[i]);
	r->n++;
	return 0;
}

static void
freerecs(struct recs *r)
{
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->nf[i]; j++)
			free(r->f[i][j]);
		free(r->f[i]);
	}
	free(r->nf);
	free(r->f);
	free(r->line);
	memset(r, 0, sizeof *r);
}

static int
parse(const void *d, size_t n, struct recs *r, char **err)
{
	FILE *fp;
	int rc;

	/* fmemopen of 0 bytes fails; an empty stream is /dev/null. */
	fp = n ? fmemopen((void *)d, n, "r") : fopen("/dev/null", "r");
	must(fp, "fmemopen");
	rc = appt_csv_stream(fp, "fuzz.csv", collect, r, err);
	fclose(fp);
	must((rc == 0) == (*err == NULL), "rc %d, err %s", rc,
	    *err ? *err : "(none)");
	if (*err)
		must(!strncmp(*err, "fuzz.csv:", 9), "error %s", *err);
	return rc;
}

/* What was read, written back and read again, is the same. */
static void
roundtrip(const struct recs *a)
{
	struct recs b = { 0 };
	char *out = NULL, *err = NULL;
	size_t len = 0, i, j;
	FILE *fp = open_memstream(&out, &len);

	must(fp, "open_memstream");
	for (i = 0; i < a->n; i++)
		appt_csv_record(fp, a->nf[i], (const char *const *)a->f[i],
		    ',');
	fclose(fp);
	must(parse(out, len, &b, &err) == 0, "written back, it reads as "
	    "%s", err);
	must(b.n == a->n, "%zu records written, %zu read", a->n, b.n);
	for (i = 0; i < a->n; i++) {
		must(b.nf[i] == a->nf[i], "record %zu: %zu fields, then %zu",
		    i, a->nf[i], b.nf[i]);
		for (j = 0; j < a->nf[i]; j++)
			must(!strcmp(a->f[i][j], b.f[i][j]), "record %zu "
			    "field %zu: '%s', then '%s'", i, j, a->f[i][j],
			    b.f[i][j]);
	}
	freerecs(&b);
	free(out);
}

static void
sametable(const struct appt_table *a, const struct appt_table *b)
{
	size_t i, j;

	must(a->ncol == b->ncol && a->nrow == b->nrow, "%zux%zu, then "
	    "%zux%zu", a->ncol, a->nrow, b->ncol, b->nrow);
	for (j = 0; j < a->ncol; j++)
		must(!strcmp(a->col[j], b->col[j]), "column %zu", j);
	for (i = 0; i < a->nrow; i++)
		for (j = 0; j < a->ncol; j++)
			must(!strcmp(a->row[i].f[j], b->row[i].f[j]),
			    "row %zu column %zu", i, j);
}

/* As a table file: read, read filtered, write back, read again. */
static void
table(const uint8_t *d, size_t n)
{
	static const char *const known[] = { "id", "start", NULL };
	static const char *const needles[] = { "2026-11", NULL };
	struct appt_table t, w, again;
	char *path = fuzz_path("t.csv"), *err = NULL, *werr = NULL;
	char *out = NULL;
	size_t len = 0, i, j;
	FILE *fp;
	int ok;

	fuzz_write("t.csv", d, n);
	ok = appt_table_read(&t, path, "t.csv", known, 1, &err) == 0;
	must(ok == (err == NULL), "table: rc and err disagree");
	if (!ok) {
		must(!strncmp(err, "t.csv:", 6), "table error %s", err);
		free(err);
		free(path);
		return;
	}
	must(appt_col(&t, "id") >= 0 && appt_col(&t, "start") >= 0,
	    "the known columns");
	/* Skipping whole records that hold no needle cannot add errors. */
	must(appt_table_read_where(&w, path, "t.csv", known, 1, needles,
	    &werr) == 0, "filtered: %s", werr);
	for (i = 0, j = 0; i < w.nrow; i++) {
		while (j < t.nrow && t.row[j].line != w.row[i].line)
			j++;
		must(j < t.nrow, "filtered row of line %ld not read whole",
		    w.row[i].line);
	}
	appt_table_free(&w);
	fp = open_memstream(&out, &len);
	must(fp && appt_table_write(&t, fp) == 0, "table write");
	fclose(fp);
	fuzz_write("t.csv", out, len);
	must(appt_table_read(&again, path, "t.csv", known, 1, &err) == 0,
	    "table written back reads as %s", err);
	sametable(&t, &again);
	appt_table_free(&again);
	appt_table_free(&t);
	free(out);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct recs r = { 0 };
	char *err = NULL;

	if (n > 1 << 20)
		return 0;
	if (parse(d, n, &r, &err) == 0)
		roundtrip(&r);
	free(err);
	freerecs(&r);
	table(d, n);
	return 0;
}
