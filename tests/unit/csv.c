/* csv.c: strict reading, columns by name, minimal quoting, errors. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"
#include "t.h"

static char *path;

static const char *const known[] = { "id", "name", "email", "phone", NULL };

static void
writestr(const char *s)
{
	t_write(path, s, strlen(s));
}

/* Read s as t.csv; 0 or -1 with *err. */
static int
readn(struct appt_table *t, const char *s, size_t len,
    const char *const *cols, char **err)
{
	t_write(path, s, len);
	return appt_table_read(t, path, "t.csv", cols, 1, err);
}

static int
readstr(struct appt_table *t, const char *s, const char *const *cols,
    char **err)
{
	return readn(t, s, strlen(s), cols, err);
}

/* What appt_table_write gives, malloc'd. */
static char *
written(const struct appt_table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		appt_die(1, "open_memstream");
	if (appt_table_write(t, fp) != 0)
		buf = NULL;
	fclose(fp);
	return buf;
}

static void
rewrite(const char *in, const char *const *cols, const char *want,
    const char *what)
{
	struct appt_table t;
	char *err, *out;

	if (readstr(&t, in, cols, &err) < 0) {
		ok(0, "%s: read (%s)", what, err);
		free(err);
		return;
	}
	out = written(&t);
	is(out, want, "%s: written", what);
	free(out);
	appt_table_free(&t);
}

/* in (len bytes, or a string) must fail with an error starting want. */
static void
bad(const char *in, size_t len, const char *want, const char *what)
{
	struct appt_table t;
	char *err = NULL;
	int r;

	r = readn(&t, in, len ? len : strlen(in), known, &err);
	ok(r < 0 && err, "%s: refused", what);
	ok(err && strncmp(err, want, strlen(want)) == 0,
	    "%s: message '%s' starts '%s'", what, err ? err : "(null)", want);
	free(err);
	appt_table_free(&t);
}

static char *
field(const char *s, int sep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	appt_csv_field(fp, s, sep);
	fclose(fp);
	return buf;
}

struct seen {
	int n;
	long line[8];
	size_t nf[8];
	int stopat;
};

static int
seencb(void *ctx, size_t n, char **f, long line)
{
	struct seen *s = ctx;

	(void)f;
	if (s->n < 8) {
		s->line[s->n] = line;
		s->nf[s->n] = n;
	}
	s->n++;
	return s->stopat && s->n == s->stopat;
}

static void
test_read(void)
{
	struct appt_table t;
	char *err, *out;

	ok(readstr(&t, "id,name,email\n1,Sam,s@x.de\n2,Al,a@x.de\n", known,
	    &err) == 0, "basic table read");
	ok(t.ncol == 4 && t.nrow == 2, "4 columns (phone appended), 2 rows");
	ok(appt_col(&t, "id") == 0 && appt_col(&t, "email") == 2 &&
	    appt_col(&t, "phone") == 3, "columns by name");
	ok(appt_col(&t, "nope") == -1, "absent column is -1");
	is(appt_get(&t, &t.row[0], "name"), "Sam", "row 1 name");
	is(appt_get(&t, &t.row[1], "email"), "a@x.de", "row 2 email");
	is(appt_get(&t, &t.row[1], "phone"), "", "appended column is empty");
	is(appt_get(&t, &t.row[1], "nope"), "", "absent column reads ''");
	ok(t.row[0].line == 2 && t.row[1].line == 3, "row lines 2 and 3");
	ok(!t.missing, "not missing");
	is(t.label, "t.csv", "label kept");
	out = written(&t);
	is(out, "id,name,email,phone\n1,Sam,s@x.de,\n2,Al,a@x.de,\n",
	    "written with phone appended");
	free(out);

	/* Changes: set, a new column, add and remove rows. */
	appt_set(&t, &t.row[0], "name", "Sam Smith");
	appt_set(&t, &t.row[1], "phone", "+49 30 1");
	appt_set(&t, &t.row[0], "created", "2026-11-23");
	ok(t.ncol == 5 && appt_col(&t, "created") == 4, "appt_set adds a "
	    "column");
	appt_set(&t, appt_table_add(&t), "id", "3");
	ok(t.nrow == 3 && t.row[2].line == 0, "row added, line 0");
	out = written(&t);
	is(out, "id,name,email,phone,created\n1,Sam Smith,s@x.de,,2026-11-23\n"
	    "2,Al,a@x.de,+49 30 1,\n3,,,,\n", "written after changes");
	free(out);
	appt_table_remove(&t, 0);
	appt_table_remove(&t, 5);
	ok(t.nrow == 2, "a row removed, an out-of-range remove ignored");
	out = written(&t);
	is(out, "id,name,email,phone,created\n2,Al,a@x.de,+49 30 1,\n3,,,,\n",
	    "written after remove");
	free(out);
	appt_table_free(&t);
	appt_table_free(&t);
	appt_table_free(NULL);

	/* Unknown columns are kept, in place. */
	rewrite("id,mine,name,extra\n1,x,Sam,y\n", known,
	    "id,mine,name,extra,email,phone\n1,x,Sam,y,,\n", "unknown columns");
	rewrite("phone,id\n+49,7\n", known, "phone,id,name,email\n+49,7,,\n",
	    "columns in the file's order");
	rewrite("id,name\n1,Sam\n", NULL, "id,name\n1,Sam\n", "no known");

	/* CRLF and a BOM. */
	ok(readstr(&t, "\xef\xbb\xbfid,name\r\n1,Sam\r\n2,Al\r\n", known,
	    &err) == 0, "BOM and CRLF read");
	ok(appt_col(&t, "id") == 0, "BOM not part of the first column");
	ok(t.nrow == 2, "CRLF: 2 rows");
	is(appt_get(&t, &t.row[0], "name"), "Sam", "CRLF: no CR in field");
	ok(t.row[1].line == 3, "CRLF: row line 3");
	out = written(&t);
	is(out, "id,name,email,phone\n1,Sam,,\n2,Al,,\n", "written as LF");
	free(out);
	appt_table_free(&t);
	rewrite("id,note\r\n1,\"a\r\nb\"\r\n", NULL, "id,note\n1,\"a\r\nb\"\n",
	    "CRLF inside quotes is kept");

	/* Quoted fields. */
	ok(readstr(&t, "id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n"
	    "3,\"line1\nline2\nline3\"\n4,last\n5,\"\"\n6,\" padded \"\n",
	    known, &err) == 0, "quoted fields read");
	ok(t.nrow == 6, "6 rows");
	is(appt_get(&t, &t.row[0], "note"), "a, b", "comma in quotes");
	is(appt_get(&t, &t.row[1], "note"), "say \"hi\"", "quotes in quotes");
	is(appt_get(&t, &t.row[2], "note"), "line1\nline2\nline3",
	    "newlines in quotes");
	is(appt_get(&t, &t.row[3], "note"), "last", "after the newlines");
	is(appt_get(&t, &t.row[4], "note"), "", "empty quoted field");
	is(appt_get(&t, &t.row[5], "note"), " padded ", "spaces in quotes");
	ok(t.row[0].line == 2 && t.row[1].line == 3 && t.row[2].line == 4 &&
	    t.row[3].line == 7 && t.row[4].line == 8 && t.row[5].line == 9,
	    "line numbers after a multi-line field (%ld %ld %ld %ld %ld %ld)",
	    t.row[0].line, t.row[1].line, t.row[2].line, t.row[3].line,
	    t.row[4].line, t.row[5].line);
	out = written(&t);
	is(out, "id,note,name,email,phone\n1,\"a, b\",,,\n"
	    "2,\"say \"\"hi\"\"\",,,\n3,\"line1\nline2\nline3\",,,\n"
	    "4,last,,,\n5,,,,\n6,\" padded \",,,\n", "quoted fields written");
	free(out);
	appt_table_free(&t);

	/* Blank lines are skipped; the lines still count. */
	ok(readstr(&t, "id\n1\n\n2\n", NULL, &err) == 0 && t.nrow == 2 &&
	    t.row[1].line == 4, "blank line skipped, line 4 kept");
	appt_table_free(&t);

	/* A field of exactly APPT_CSV_FIELDMAX bytes is fine. */
	{
		size_t n = APPT_CSV_FIELDMAX;
		char *s = xmalloc(n + 16);

		memcpy(s, "id\n", 3);
		memset(s + 3, 'x', n);
		memcpy(s + 3 + n, "\n", 2);
		ok(readn(&t, s, n + 4, NULL, &err) == 0 && t.nrow == 1 &&
		    strlen(t.row[0].f[0]) == n, "field of FIELDMAX bytes read");
		appt_table_free(&t);
		free(s);
	}

	/* Empty and missing files. */
	ok(readstr(&t, "", known, &err) == 0, "empty file read");
	ok(t.ncol == 4 && t.nrow == 0 && !t.missing, "empty file: the known "
	    "columns, no rows");
	out = written(&t);
	is(out, "id,name,email,phone\n", "empty file written");
	free(out);
	appt_table_free(&t);
	ok(readstr(&t, "id,name\n", known, &err) == 0 && t.ncol == 4 &&
	    t.nrow == 0, "header alone");
	appt_table_free(&t);
	unlink(path);
	ok(appt_table_read(&t, path, "t.csv", known, 0, &err) == 0,
	    "missing file read");
	ok(t.missing && t.ncol == 4 && t.nrow == 0, "missing file: empty, "
	    "known columns");
	appt_table_free(&t);
	err = NULL;
	ok(appt_table_read(&t, path, "t.csv", known, 1, &err) < 0,
	    "missing file with mustexist refused");
	ok(err && strncmp(err, "t.csv: ", 7) == 0, "missing file message "
	    "'%s'", err ? err : "(null)");
	free(err);
	appt_table_free(&t);

	/* appt_table_init. */
	appt_table_init(&t, "/nowhere/x.csv", "x.csv", known);
	ok(t.ncol == 4 && t.nrow == 0 && appt_col(&t, "phone") == 3,
	    "table_init has the known columns");
	appt_table_free(&t);
}

static void
test_errors(void)
{
	char big[APPT_CSV_FIELDMAX + 64];
	size_t n;

	bad("id,note\n1,ok\n2,\"torn\nmore\n", 0, "t.csv:3: ", "torn quoted "
	    "field at EOF");
	bad("id,note\n1,\"torn", 0, "t.csv:2: ", "torn quoted field without "
	    "newline");
	bad("id,name\n1,Sam\n2\n3,a,b\n", 0, "t.csv:3: 1 fields, the header "
	    "has 2", "short row");
	bad("id,name\n1,Sam\n3,a,b\n", 0, "t.csv:3: 3 fields, the header "
	    "has 2", "long row");
	bad("id,note\n1,\"a\nb\nc\"\n2,x,y\n", 0, "t.csv:5: ", "ragged row "
	    "after a multi-line field");
	bad("id,name\r\n1,Sam\r\n2\r\n", 0, "t.csv:3: ", "ragged CRLF row");
	bad("id,name\n1,Sam", 0, "t.csv:2: no newline", "no newline at end");
	bad("id,name\n1,Sam\r", 0, "t.csv:2: ", "CR without LF at end");
	bad("id,name\n1,a\"b\n", 0, "t.csv:2: ", "quote in unquoted field");
	bad("id,name\n1,\"a\"b\n", 0, "t.csv:2: ", "text after closing quote");
	bad("id,name,id\n1,a,b\n", 0, "t.csv:1: column 'id' twice",
	    "duplicate header column");
	bad("id,,name\n", 0, "t.csv:1: empty column name", "empty header "
	    "column");
	bad("id,name\n1,S\0m\n", 15, "t.csv:2: NUL byte", "NUL byte");
	bad("id,name\n1,\"S\0m\"\n", 17, "t.csv:2: NUL byte", "quoted NUL "
	    "byte");

	/* A field one byte over the cap, on line 3. */
	n = 0;
	memcpy(big, "id,note\n1,a\n2,", 14);
	n = 14;
	memset(big + n, 'x', APPT_CSV_FIELDMAX + 1);
	n += APPT_CSV_FIELDMAX + 1;
	big[n++] = '\n';
	bad(big, n, "t.csv:3: field longer", "field over FIELDMAX");
	/* The same, quoted over lines. */
	memcpy(big, "id,note\n1,a\n2,\"", 15);
	n = 15;
	memset(big + n, 'x', APPT_CSV_FIELDMAX + 1);
	big[n + 100] = '\n';
	n += APPT_CSV_FIELDMAX + 1;
	memcpy(big + n, "\"\n", 2);
	n += 2;
	bad(big, n, "t.csv:3: field longer", "quoted field over FIELDMAX");
}

static void
test_stream(void)
{
	struct seen s = { 0 };
	char *err = NULL;
	FILE *fp;

	writestr("a,b\n1,\"x\ny\"\n\n2,3\n");
	fp = fopen(path, "r");
	ok(appt_csv_stream(fp, "s.csv", seencb, &s, &err) == 0 && !err,
	    "stream read");
	fclose(fp);
	ok(s.n == 3, "3 records, the header included (%d)", s.n);
	ok(s.line[0] == 1 && s.line[1] == 2 && s.line[2] == 5,
	    "record lines 1 2 5 (%ld %ld %ld)", s.line[0], s.line[1],
	    s.line[2]);
	ok(s.nf[0] == 2 && s.nf[1] == 2 && s.nf[2] == 2, "2 fields each");

	/* A callback that stops early is not an error. */
	memset(&s, 0, sizeof s);
	s.stopat = 2;
	writestr("a,b\n1,2\n3,4\n5");
	fp = fopen(path, "r");
	ok(appt_csv_stream(fp, "s.csv", seencb, &s, &err) == 0 && !err &&
	    s.n == 2, "stopped after 2 records");
	fclose(fp);

	/* The stream itself does not mind ragged rows. */
	memset(&s, 0, sizeof s);
	writestr("a,b\n1\n");
	fp = fopen(path, "r");
	ok(appt_csv_stream(fp, "s.csv", seencb, &s, &err) == 0 && s.n == 2 &&
	    s.nf[1] == 1, "ragged rows are the caller's business");
	fclose(fp);

	memset(&s, 0, sizeof s);
	writestr("a,\"b\n");
	fp = fopen(path, "r");
	ok(appt_csv_stream(fp, "s.csv", seencb, &s, &err) < 0 && err &&
	    !strncmp(err, "s.csv:1: ", 9), "stream: torn field '%s'",
	    err ? err : "(null)");
	fclose(fp);
	free(err);
}

static void
test_write(void)
{
	static const struct {
		const char *in, *csv, *tsv;
	} f[] = {
		{ "plain", "plain", "plain" },
		{ "", "", "" },
		{ "a b", "a b", "a b" },
		{ "a,b", "\"a,b\"", "a,b" },
		{ "a\"b", "\"a\"\"b\"", "a\"b" },
		{ "\"", "\"\"\"\"", "\"" },
		{ "a\nb", "\"a\nb\"", "a b" },
		{ "a\rb", "\"a\rb\"", "a b" },
		{ "a\r\nb", "\"a\r\nb\"", "a  b" },
		{ " a", "\" a\"", " a" },
		{ "a ", "\"a \"", "a " },
		{ "\ta", "\"\ta\"", " a" },
		{ "a\tb", "a\tb", "a b" },
		{ "45.00", "45.00", "45.00" },
		{ "2026-11-23T09:00+01:00", "2026-11-23T09:00+01:00",
		    "2026-11-23T09:00+01:00" },
		{ "Müller; Café", "Müller; Café", "Müller; Café" },
		{ "'quote'", "'quote'", "'quote'" },
	};
	const char *rec[] = { "1", "a,b", NULL, "" };
	char *buf = NULL, *s;
	size_t i, len = 0;
	FILE *fp;

	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		s = field(f[i].in, ',');
		is(s, f[i].csv, "csv field %zu", i);
		free(s);
		s = field(f[i].in, '\t');
		is(s, f[i].tsv, "tsv field %zu", i);
		free(s);
	}
	fp = open_memstream(&buf, &len);
	appt_csv_record(fp, 4, rec, ',');
	appt_csv_record(fp, 4, rec, '\t');
	appt_csv_record(fp, 0, rec, ',');
	fclose(fp);
	is(buf, "1,\"a,b\",,\n1\ta,b\t\t\n\n", "records, NULL as ''");
	free(buf);
}

/* What the fuzzer (tests/fuzz/csv.c) found. */
static void
test_fuzzfound(void)
{
	struct appt_table t;
	const char *one[] = { "" };
	char *err = NULL, *buf = NULL;
	size_t len = 0;
	FILE *fp;

	bad("id,name\n1,a\r2,b\n", 0, "t.csv:2: a CR inside a line",
	    "a CR alone does not split a row");
	bad("id,\r\rname\n1\n", 0, "t.csv:1: a CR inside a line",
	    "a CR alone in the header");
	bad("id,notes\r\",\nx\"\n", 0, "t.csv:1: a CR inside a line",
	    "a CR alone, then a quoted field over lines");
	bad("\xef\xbb\xbf", 0, "t.csv:1: no newline", "a BOM alone");
	fp = open_memstream(&buf, &len);
	appt_csv_record(fp, 1, one, ',');
	fclose(fp);
	is(buf, "\"\"\n", "one empty field is written quoted");
	free(buf);
	ok(readstr(&t, "note\n\"\"\nx\n", NULL, &err) == 0 && t.nrow == 2,
	    "one column, an empty row");
	buf = written(&t);
	is(buf, "note\n\"\"\nx\n", "written back with its empty row");
	free(buf);
	appt_table_free(&t);
	{
		static const char *const needle[] = { "2026-11", NULL };

		writestr("\n\nid,start\n1,2026-11-24\n2,2026-12-01\n");
		ok(appt_table_read_where(&t, path, "t.csv", NULL, 1, needle,
		    &err) == 0 && t.ncol == 2 && !strcmp(t.col[0], "id") &&
		    t.nrow == 1 && !strcmp(t.row[0].f[0], "1"),
		    "filtered read: the header after blank lines");
		appt_table_free(&t);
	}
	ok(readstr(&t, "\n\xef\xbb\xbfid,x\n1,2\n", NULL, &err) == 0 &&
	    !strcmp(t.col[0], "\xef\xbb\xbfid"), "a BOM not at the start");
	buf = written(&t);
	is(buf, "\"\xef\xbb\xbfid\",x\n1,2\n", "is quoted when written");
	free(buf);
	appt_table_free(&t);
}

int
main(void)
{
	path = t_scratch("t.csv");
	test_read();
	test_errors();
	test_stream();
	test_write();
	test_fuzzfound();
	t_scratch_rm(path);
	return done();
}
