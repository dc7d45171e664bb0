/*
 * output.c: rows for people (an aligned table, red rows marked) or for
 * programs (CSV, TSV, JSON lines). CSV is the default off a terminal.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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
jsonstr(FILE *fp, const char *s)
{
	size_t k;

	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x80) {
			if ((k = appt_utf8_len(s, strnlen(s, 4)))) {
				fwrite(s, 1, k, fp);
				s += k - 1;
			} else
				fputs("\\ufffd", fp);
		} else if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\r')
			fputs("\\r", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

void
appt_json_obj(FILE *fp, size_t n, const char *const *key,
    const char *const *val)
{
	size_t i;

	fputc('{', fp);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		jsonstr(fp, key[i]);
		fputc(':', fp);
		jsonstr(fp, val[i] ? val[i] : "");
	}
	fputc('}', fp);
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
		appt_json_obj(stdout, o->ncol, (const char *const *)o->col, f);
		putchar('\n');
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

size_t
appt_termwidth(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	long n;

	if (c && appt_parse_long(c, 1, 100000, &n) == 0)
		return (size_t)n;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

void
appt_out_fit(struct appt_out *o, const char *spec)
{
	o->fit = spec;
}

void
appt_out_line(FILE *fp, struct appt_buf *b)
{
	while (b->len && b->s[b->len - 1] == ' ')
		b->len--;
	fwrite(b->s ? b->s : "", 1, b->len, fp);
	fputc('\n', fp);
	b->len = 0;
}

struct fit {
	size_t n, *w, *min, width;
	int *vis;
};

static size_t
total(const struct fit *f)
{
	size_t j, t = 0, nv = 0;

	for (j = 0; j < f->n; j++)
		if (f->vis[j]) {
			t += f->w[j];
			nv++;
		}
	return nv ? t + 2 * (nv - 1) : 0;
}

static size_t
nvis(const struct fit *f)
{
	size_t j, nv = 0;

	for (j = 0; j < f->n; j++)
		nv += f->vis[j] != 0;
	return nv;
}

/* Cut the widest visible column by one, down to min; 0 if none can. */
static int
shrink(struct fit *f, const size_t *min)
{
	size_t j, best = f->n;

	for (j = 0; j < f->n; j++)
		if (f->vis[j] && f->w[j] > min[j] && (best == f->n ||
		    f->w[j] > f->w[best]))
			best = j;
	if (best == f->n)
		return 0;
	f->w[best]--;
	return 1;
}

static void
drop(struct fit *f, size_t j)
{
	if (f->vis[j] && nvis(f) > 1 && total(f) > f->width)
		f->vis[j] = 0;
}

/*
 * Which columns to show, how wide, in f->width columns: see appt_out_fit
 * in appt.h for the order.
 */
static void
fit(const struct appt_out *o, struct fit *f, const size_t *nat)
{
	size_t j, i, nk = 0, nopt = 0, *keep, *opt, *one;
	char *spec, *tok, *save, *colon;
	int *named, kept = 0;
	long n;

	keep = xcalloc(o->ncol + 1, sizeof *keep);
	opt = xcalloc(o->ncol + 1, sizeof *opt);
	one = xcalloc(o->ncol + 1, sizeof *one);
	named = xcalloc(o->ncol + 1, sizeof *named);
	for (j = 0; j < o->ncol; j++)
		one[j] = 1;
	spec = xstrdup(o->fit ? o->fit : "");
	if (!o->fit && o->ncol) {	/* the first column stays */
		named[0] = 1;
		keep[nk++] = 0;
	}
	for (tok = strtok_r(spec, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		if (!strcmp(tok, "|")) {
			kept = 1;
			continue;
		}
		n = LONG_MAX;	/* not cut, but as a last resort */
		if ((colon = strchr(tok, ':'))) {
			*colon = '\0';
			if (appt_parse_long(colon + 1, 1, 1000, &n) < 0)
				n = LONG_MAX;
		}
		for (j = 0; j < o->ncol && strcmp(o->col[j], tok); j++)
			;
		if (j == o->ncol || named[j])
			continue;
		named[j] = 1;
		if (kept) {
			f->min[j] = (long)nat[j] < n ? nat[j] : (size_t)n;
			keep[nk++] = j;
		} else
			opt[nopt++] = j;
	}
	/* Columns empty in every row show nothing but their name. */
	for (j = o->ncol; j-- > 0 && o->nrow;) {
		for (i = 0; i < o->nrow && !*o->rows[i][j]; i++)
			;
		if (i == o->nrow)
			drop(f, j);
	}
	/* Those the spec does not name, from the right; then its own. */
	for (j = o->ncol; j-- > 0;)
		if (!named[j])
			drop(f, j);
	for (i = 0; i < nopt; i++)
		drop(f, opt[i]);
	/* Those to keep are cut, then left out one by one if need be. */
	for (i = 0;; i++) {
		for (j = 0; j < o->ncol; j++)
			f->w[j] = nat[j];
		while (total(f) > f->width && shrink(f, f->min))
			;
		if (total(f) <= f->width || i >= nk)
			break;
		drop(f, keep[i]);
	}
	/* Still too wide: cut every column, then leave out from the right. */
	while (total(f) > f->width)
		if (!shrink(f, one)) {
			for (j = o->ncol; j-- > 0 && !f->vis[j];)
				;
			f->vis[j] = 0;
		}
	free(spec);
	free(named);
	free(keep);
	free(opt);
	free(one);
}

/* One line of the table: the visible cells, two spaces apart. */
static void
line(const struct fit *f, char *const *cell, struct appt_buf *b)
{
	size_t j, n;
	int first = 1;

	for (j = 0; j < f->n; j++) {
		if (!f->vis[j])
			continue;
		if (!first)
			appt_buf_adds(b, "  ");
		first = 0;
		for (n = appt_buf_addw(b, cell[j], f->w[j]); n < f->w[j]; n++)
			appt_buf_addc(b, ' ');
	}
	while (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
}

void
appt_out_end(struct appt_out *o)
{
	struct appt_buf b = { 0 };
	struct fit f;
	size_t i, j, *nat;

	if (o->fmt == APPT_OUT_TABLE) {
		f.n = o->ncol;
		f.w = xcalloc(o->ncol + 1, sizeof *f.w);
		f.min = xcalloc(o->ncol + 1, sizeof *f.min);
		f.vis = xcalloc(o->ncol + 1, sizeof *f.vis);
		nat = xcalloc(o->ncol + 1, sizeof *nat);
		for (j = 0; j < o->ncol; j++) {
			nat[j] = appt_width(o->col[j]);
			for (i = 0; i < o->nrow; i++)
				if (appt_width(o->rows[i][j]) > nat[j])
					nat[j] = appt_width(o->rows[i][j]);
			f.w[j] = nat[j];
			f.min[j] = nat[j];
			f.vis[j] = 1;
		}
		if ((f.width = appt_termwidth()) && total(&f) > f.width)
			fit(o, &f, nat);
		line(&f, o->col, &b);
		if (o->color)
			printf("\033[1m%s\033[0m\n", b.s ? b.s : "");
		else
			appt_out_line(stdout, &b);
		for (i = 0; i < o->nrow; i++) {
			b.len = 0;
			line(&f, o->rows[i], &b);
			if (o->color && o->mark[i])
				printf("\033[31m%s\033[0m\n", b.s ? b.s : "");
			else
				appt_out_line(stdout, &b);
			appt_strv_free(o->rows[i], o->ncol);
		}
		appt_buf_free(&b);
		free(nat);
		free(f.w);
		free(f.min);
		free(f.vis);
	}
	appt_strv_free(o->col, o->ncol);
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
	appt_out_fit(&o, appt_schema_fit(t->label));
	for (i = 0; i < (rows ? nrows : t->nrow); i++)
		appt_out_row(&o, (const char *const *)t->row[rows ? rows[i] :
		    i].f, 0);
	appt_out_end(&o);
}

int
appt_out_arg(const char *s)
{
	int fmt = appt_out_parse(s);

	if (fmt < 0)
		appt_die(APPT_EUSAGE, "-o %s: not table, csv, tsv or json", s);
	return fmt;
}
