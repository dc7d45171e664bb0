/*
 * output.c: rows for people (an aligned table, red rows marked) or for
 * programs (CSV, TSV, JSON lines). CSV is the default off a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"

int
appt_out_parse(const char *s)
{
	if (!s)
		return isatty(STDOUT_FILENO) ? APPT_OUT_TABLE : APPT_OUT_CSV;
	if (!strcmp(s, "table"))
		return APPT_OUT_TABLE;
	if (!strcmp(s, "csv"))
		return APPT_OUT_CSV;
	if (!strcmp(s, "tsv"))
		return APPT_OUT_TSV;
	if (!strcmp(s, "json"))
		return APPT_OUT_JSON;
	return -1;
}

void
appt_out_begin(struct appt_out *o, int fmt, size_t ncol,
    const char *const *col)
{
	size_t i;

	memset(o, 0, sizeof *o);
	o->fmt = fmt;
	o->color = fmt == APPT_OUT_TABLE && isatty(STDOUT_FILENO) &&
	    appt_empty(getenv("NO_COLOR"));
	o->ncol = ncol;
	o->col = xcalloc(ncol, sizeof *o->col);
	for (i = 0; i < ncol; i++)
		o->col[i] = xstrdup(col[i]);
	if (fmt == APPT_OUT_CSV || fmt == APPT_OUT_TSV)
		appt_csv_record(stdout, ncol, col, fmt == APPT_OUT_CSV ? ','
		    : '\t');
}

/* A JSON string; a byte that is not UTF-8 (never from sound data) is U+FFFD. */
static void
jsonstr(const char *s)
{
	size_t k;

	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x80) {
			if ((k = appt_utf8_len(s, strnlen(s, 4)))) {
				fwrite(s, 1, k, stdout);
				s += k - 1;
			} else
				fputs("\\ufffd", stdout);
		} else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void
appt_out_row(struct appt_out *o, const char *const *f, int mark)
{
	size_t i;

	switch (o->fmt) {
	case APPT_OUT_CSV:
	case APPT_OUT_TSV:
		appt_csv_record(stdout, o->ncol, f,
		    o->fmt == APPT_OUT_CSV ? ',' : '\t');
		break;
	case APPT_OUT_JSON:
		putchar('{');
		for (i = 0; i < o->ncol; i++) {
			if (i)
				putchar(',');
			jsonstr(o->col[i]);
			putchar(':');
			jsonstr(f[i] ? f[i] : "");
		}
		puts("}");
		break;
	default:
		if (o->nrow == o->cap) {
			o->cap = o->cap * 2 + 16;
			o->rows = xreallocarray(o->rows, o->cap,
			    sizeof *o->rows);
			o->mark = xreallocarray(o->mark, o->cap,
			    sizeof *o->mark);
		}
		o->rows[o->nrow] = xcalloc(o->ncol, sizeof(char *));
		for (i = 0; i < o->ncol; i++)
			o->rows[o->nrow][i] = xstrdup(f[i] ? f[i] : "");
		o->mark[o->nrow++] = mark;
	}
}

/* Display width: code points, a newline shown as a space. */
static size_t
width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void
cell(const char *s, size_t w, int last)
{
	size_t n = 0;

	for (; *s; s++) {
		putchar(*s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	if (!last)
		for (; n < w + 2; n++)
			putchar(' ');
}

void
appt_out_end(struct appt_out *o)
{
	size_t i, j, *w;

	if (o->fmt == APPT_OUT_TABLE) {
		w = xcalloc(o->ncol, sizeof *w);
		for (j = 0; j < o->ncol; j++)
			w[j] = width(o->col[j]);
		for (i = 0; i < o->nrow; i++)
			for (j = 0; j < o->ncol; j++)
				if (width(o->rows[i][j]) > w[j])
					w[j] = width(o->rows[i][j]);
		if (o->color)
			fputs("\033[1m", stdout);
		for (j = 0; j < o->ncol; j++)
			cell(o->col[j], w[j], j + 1 == o->ncol);
		if (o->color)
			fputs("\033[0m", stdout);
		putchar('\n');
		for (i = 0; i < o->nrow; i++) {
			if (o->color && o->mark[i])
				fputs("\033[31m", stdout);
			for (j = 0; j < o->ncol; j++)
				cell(o->rows[i][j], w[j], j + 1 == o->ncol);
			if (o->color && o->mark[i])
				fputs("\033[0m", stdout);
			putchar('\n');
			for (j = 0; j < o->ncol; j++)
				free(o->rows[i][j]);
			free(o->rows[i]);
		}
		free(w);
	}
	for (j = 0; j < o->ncol; j++)
		free(o->col[j]);
	free(o->col);
	free(o->rows);
	free(o->mark);
	memset(o, 0, sizeof *o);
}

void
appt_print_table(const struct appt_table *t, int fmt, const size_t *rows,
    size_t nrows)
{
	struct appt_out o;
	size_t i;

	appt_out_begin(&o, fmt, t->ncol, (const char *const *)t->col);
	for (i = 0; i < (rows ? nrows : t->nrow); i++)
		appt_out_row(&o, (const char *const *)t->row[rows ? rows[i] :
		    i].f, 0);
	appt_out_end(&o);
}

void
appt_pad(FILE *fp, const char *s, size_t w)
{
	size_t n = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && n++ == w)
			break;
		fputc(*p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p, fp);
	}
	if (n > w)
		n = w;
	for (; n < w; n++)
		fputc(' ', fp);
}

int
appt_out_arg(const char *s)
{
	int fmt = appt_out_parse(s);

	if (fmt < 0)
		appt_die(APPT_EUSAGE, "-o %s: not table, csv, tsv or json", s);
	return fmt;
}
