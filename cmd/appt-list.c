/*
 * appt-list: the appointments of a range in start order, joined with
 * customer and service names. Month files are read one at a time, so a
 * day costs one or two files and a listing of years streams.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "appt.h"

#define DAY 86400

static const char *synopsis = "appt-list [-hV] [-d DIR] [-o FMT] "
    "[-w STAFF] [-c CUSTOMER] [-S STATUS[,STATUS...]] [--agenda] [RANGE]";

struct hit {
	time_t start, end;
	size_t row;
};

/* Which appointments: -w, -c and -S. */
struct filter {
	const char *staff;	/* a staff id, NULL for everyone */
	const char *cust;	/* a customer id, NULL for everyone */
	const char *status;	/* "booked,confirmed", NULL for any */
};

/* What a listing reads, open for the whole run. */
struct ctx {
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *months;
	struct appt_people pp;	/* the customers of what is listed */
	struct appt_flags flags;
	int color;
	size_t width;	/* of the terminal, for --agenda; 0: no limit */
	int msgs;	/* is there a messages/ folder (appt-msg)? */
};

/* Has appointment id mail not yet read (appt-msg thread)? */
static int
unread(const struct ctx *x, const char *id)
{
	return x->msgs && appt_msg_unread(&x->s, id) > 0;
}

/* The fields of customer id that match a flag: "phone+address" or "". */
static const char *
flagof(const struct ctx *x, const char *id, char *names, size_t n)
{
	struct appt_person p;
	size_t flag;
	int mask;

	appt_people_person(&x->pp, id, &p);
	mask = x->flags.t->nrow ? appt_flags_match(&x->flags, &p, &flag) :
	    0;
	return appt_flag_names(mask, names, n);
}

static int
cmphit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Is appointment r one of those the options ask for? */
static int
wanted(const struct filter *fl, const struct appt_table *t,
    const struct appt_row *r)
{
	if (fl->staff && strcasecmp(fl->staff, appt_get(t, r, "staff")))
		return 0;
	if (fl->cust && strcmp(fl->cust, appt_get(t, r, "customer")))
		return 0;
	return !fl->status || appt_word_in(fl->status, ",",
	    appt_get(t, r, "status"), 0);
}

/* The rows of one month file that fall in [from, to), in order. */
static size_t
select_rows(struct appt_table *t, const struct filter *fl, time_t from,
    time_t to, struct hit **out)
{
	struct hit *h = xcalloc(t->nrow + 1, sizeof *h);
	size_t i, n = 0;

	for (i = 0; i < t->nrow; i++) {
		struct appt_row *r = &t->row[i];

		if (appt_parse_iso(appt_get(t, r, "start"), &h[n].start) < 0 ||
		    appt_parse_iso(appt_get(t, r, "end"), &h[n].end) < 0)
			appt_die(APPT_EDATA, "%s:%ld: start or end is not a "
			    "time", t->label, r->line);
		if (from != to && (h[n].start >= to || h[n].end <= from))
			continue;
		if (!wanted(fl, t, r))
			continue;
		h[n++].row = i;
	}
	if (n)
		qsort(h, n, sizeof *h, cmphit);
	*out = h;
	return n;
}

/* The customers of the selected rows of t, into x->pp. */
static void
people(struct ctx *x, const struct appt_table *t, const struct hit *h,
    size_t n)
{
	long *ids = xcalloc(n + 1, sizeof *ids);
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (appt_parse_id(appt_get(t, &t->row[h[i].row], "customer"),
		    &ids[k]) == 0)
			k++;
	appt_people_want(&x->pp, &x->s, ids, k);
	free(ids);
}

/*
 * The dates from back seconds before from up to to: a row of a month
 * whose appointments last at most back - DAY starts on one of them if it
 * overlaps [from, to). 0 if there are too many to be worth it.
 */
static size_t
needles(time_t from, time_t to, long long back, char *days[41])
{
	size_t nd = 0;
	time_t t0;

	if (back < 2 * DAY)
		back = 2 * DAY;
	if (to - from + back > 40 * DAY)
		return 0;
	for (t0 = from - back; t0 < to && nd < 40; t0 += DAY) {
		int y, m, dd;

		appt_local(t0 + DAY / 2, &y, &m, &dd, NULL, NULL);
		days[nd++] = xasprintf("%04d-%02d-%02d", y, m, dd);
	}
	days[nd] = NULL;
	return nd;
}

static void
list(struct ctx *x, const struct filter *fl, time_t from, time_t to,
    int fmt)
{
	int many = from == to || to - from > 62 * DAY;
	char *days[41];
	size_t nd = 0;
	struct appt_out o;
	struct appt_table t;
	struct hit *h;
	const char *f[APPT_LIST_NCOL], *w[3], *c;
	char **files, names[64], st[64];
	size_t nf, i, j, n;

	/* Earlier months, too, whose appointments run into the range. */
	if (from == to)
		nf = appt_month_files(&x->s, 0, 0, &files);
	else
		nf = appt_months_over(x->months, from, to, 0, &files);
	/* Years of listing: every customer once; a day: only its own. */
	if (many)
		appt_people_load(&x->pp, &x->s);
	appt_list_begin(&o, fmt);
	for (i = 0; i < nf; i++) {
		char *path = appt_path(&x->s, files[i]), *err;

		/*
		 * A few days: only the lines that name a date on which an
		 * appointment of this month overlapping them can start are
		 * parsed, so a day costs little more in a month of thousands.
		 */
		nd = many ? 0 : needles(from, to,
		    appt_months_longest(x->months, files[i]) + DAY, days);
		if (appt_table_read_where(&t, path, files[i],
		    appt_appt_cols, 0, nd ? (const char *const *)days : NULL,
		    &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		free(path);
		for (j = 0; j < nd; j++)
			free(days[j]);
		n = select_rows(&t, fl, from, to, &h);
		if (!many)
			people(x, &t, h, n);
		for (j = 0; j < n; j++) {
			c = appt_get(&t, &t.row[h[j].row], "customer");
			appt_people_who(&x->pp, c, w);
			appt_list_fields(&t, &t.row[h[j].row], x->cat, w,
			    flagof(x, c, names, sizeof names), f);
			/* For people: mail not read yet, by the status. */
			if (fmt == APPT_OUT_TABLE && unread(x, f[APPT_L_ID])) {
				snprintf(st, sizeof st, "%s \u2709",
				    f[APPT_L_STATUS]);
				f[APPT_L_STATUS] = st;
			}
			appt_out_row(&o, f, *f[APPT_L_FLAG] != '\0');
		}
		free(h);
		appt_table_free(&t);
		if (!many)
			appt_people_free(&x->pp);
	}
	if (many)
		appt_people_free(&x->pp);
	appt_out_end(&o);
	appt_strv_free(files, nf);
}

static void
hm(time_t t, char buf[8])
{
	int min;

	appt_local(t, NULL, NULL, NULL, NULL, &min);
	snprintf(buf, 8, "%02d:%02d", (min / 60) % 24, min % 60);
}

/* A line of the agenda, cut to the terminal, red for a flagged customer. */
static void
say(const struct ctx *x, struct appt_buf *b, int red)
{
	struct appt_buf cut = { 0 };

	while (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	/* Control characters in a name shown as spaces, even uncut. */
	appt_buf_addw(&cut, b->s ? b->s : "", x->width ? x->width :
	    SIZE_MAX);
	b->len = 0;
	appt_buf_add(b, cut.s ? cut.s : "", cut.len);
	appt_buf_free(&cut);
	if (red && x->color) {
		printf("\033[31m%s\033[0m\n", b->s ? b->s : "");
		b->len = 0;
	} else
		appt_out_line(stdout, b);
}

static void
gap(const struct ctx *x, time_t a, time_t b)
{
	struct appt_buf l = { 0 };
	char ha[8], hb[8];

	if (b - a < 60)
		return;
	hm(a, ha);
	hm(b, hb);
	appt_buf_addf(&l, "  %s-%s  free", ha, hb);
	say(x, &l, 0);
	appt_buf_free(&l);
}

/*
 * An appointment's service, customer, phone and status, in the columns
 * of the widest layout that fits the terminal: 79 columns with all of
 * them; then without the phone, with shorter names, without the status,
 * and last the customer alone.
 */
static void
fields(struct appt_buf *b, size_t width, const char *svc, const char *name,
    const char *phone, const char *st)
{
	static const struct {
		size_t svc, name, phone, status;
	} lay[] = {
		{ 14, 20, 16, 11 }, { 14, 20, 0, 11 }, { 10, 12, 0, 11 },
		{ 10, 12, 0, 0 }, { 0, 20, 0, 0 },
	};
	size_t i = 0, n, need, have = b->s ? appt_width(b->s) : 0;

	for (; width && i + 1 < sizeof lay / sizeof *lay; i++) {
		need = have + lay[i].svc + 1 + lay[i].name;
		need += lay[i].phone ? lay[i].phone + 1 : 0;
		need += lay[i].status ? lay[i].status + 1 : 0;
		if (need <= width)
			break;
	}
	/* Cut fields keep a space between them. */
	if (lay[i].svc) {
		for (n = appt_buf_addw(b, svc, lay[i].svc); n <= lay[i].svc;
		    n++)
			appt_buf_addc(b, ' ');
	}
	for (n = appt_buf_addw(b, name, lay[i].name); n < lay[i].name; n++)
		appt_buf_addc(b, ' ');
	if (lay[i].phone) {
		appt_buf_addc(b, ' ');
		for (n = appt_buf_addw(b, phone, lay[i].phone);
		    n < lay[i].phone; n++)
			appt_buf_addc(b, ' ');
	}
	if (lay[i].status)
		appt_buf_addf(b, " %s", st);
}

/* One staff member's day: appointments in order, free gaps between. */
static void
agendaday(struct ctx *x, const struct filter *fl, const char *sid, int y,
    int m, int d, time_t ds, time_t de)
{
	const struct appt_staff *sr = appt_staff_find(x->cat, sid);
	struct filter one = *fl;
	time_t a[16], b[16], cur;
	struct appt_table *t;
	struct hit *h;
	char **files, ha[8], hb[8], head[128], names[64];
	struct appt_buf l = { 0 };
	size_t nf, i, j, n;
	int nk, k, any = 0;

	nk = appt_workday(&x->s, sid, y, m, d, a, b, 16);
	strftime(head, sizeof head, "%a %e %b %Y", localtime(&ds));
	appt_buf_addf(&l, "%s  %s (%s)", head, appt_staff_name(sr), sid);
	say(x, &l, 0);
	nf = appt_months_over(x->months, ds, de, 0, &files);
	k = 0;
	cur = nk ? a[0] : de;
	one.staff = sid;
	for (i = 0; i < nf; i++) {
		t = appt_months_table(x->months, files[i]);
		n = select_rows(t, &one, ds, de, &h);
		for (j = 0; j < n; j++) {
			struct appt_row *r = &t->row[h[j].row];
			const char *c = appt_get(t, r, "customer");
			const char *st = appt_get(t, r, "status");
			const char *f[APPT_LIST_NCOL], *w[3];

			if (!strcmp(st, "cancelled"))
				continue;
			appt_people_who(&x->pp, c, w);
			appt_list_fields(t, r, x->cat, w, flagof(x, c, names,
			    sizeof names), f);
			/* Free time in the plan before this appointment. */
			for (; k < nk && a[k] < h[j].start; k++) {
				if (cur < a[k])
					cur = a[k];
				gap(x, cur, b[k] < h[j].start ? b[k] :
				    h[j].start);
				if (b[k] > h[j].start)
					break;
			}
			hm(h[j].start, ha);
			hm(h[j].end, hb);
			/*
			 * A flagged customer: "!" in the margin, in red; else
			 * mail not read yet (appt-msg): an envelope.
			 */
			appt_buf_addf(&l, "%s %s-%s  ",
			    *f[APPT_L_FLAG] ? "!" : unread(x, f[APPT_L_ID]) ?
			    "\u2709" : " ", ha, hb);
			fields(&l, x->width, *f[APPT_L_SERVICE_NAME] ?
			    f[APPT_L_SERVICE_NAME] : f[APPT_L_SERVICE],
			    f[APPT_L_CUSTOMER_NAME], f[APPT_L_PHONE], st);
			say(x, &l, *f[APPT_L_FLAG] != '\0');
			if (h[j].end > cur)
				cur = h[j].end;
			any = 1;
		}
		free(h);
	}
	for (; k < nk; k++) {
		if (cur < a[k])
			cur = a[k];
		if (cur < b[k])
			gap(x, cur, b[k]);
	}
	if (!nk && !any) {
		appt_buf_adds(&l, "  not working");
		say(x, &l, 0);
	}
	putchar('\n');
	appt_buf_free(&l);
	appt_strv_free(files, nf);
}

static void
agenda(struct ctx *x, const struct filter *fl, time_t from, time_t to)
{
	int y, m, d, y2, m2, d2;
	size_t i, nf, n, k = 0;
	time_t ds, de;
	struct appt_table *t;
	struct hit *h;
	char **files;
	long *ids = NULL;

	nf = appt_months_over(x->months, from, to, 0, &files);
	for (i = 0; i < nf; i++) {
		size_t j;

		t = appt_months_table(x->months, files[i]);
		n = select_rows(t, fl, from, to, &h);
		ids = xreallocarray(ids, k + n + 1, sizeof *ids);
		for (j = 0; j < n; j++)
			if (appt_parse_id(appt_get(t, &t->row[h[j].row],
			    "customer"), &ids[k]) == 0)
				k++;
		free(h);
	}
	appt_strv_free(files, nf);
	appt_people_want(&x->pp, &x->s, ids, k);
	free(ids);

	appt_local(from, &y, &m, &d, NULL, NULL);
	appt_local(to - 1, &y2, &m2, &d2, NULL, NULL);
	for (;;) {
		ds = appt_day_start(y, m, d);
		{
			int ny = y, nm = m, nd = d;

			appt_adddays(&ny, &nm, &nd, 1);
			de = appt_day_start(ny, nm, nd);
		}
		for (i = 0; i < appt_staff_count(x->cat); i++) {
			const char *id = appt_staff_id(appt_staff_at(x->cat,
			    i));

			if (!fl->staff || !strcasecmp(fl->staff, id))
				agendaday(x, fl, id, y, m, d, ds, de);
		}
		if (y == y2 && m == m2 && d == d2)
			break;
		appt_adddays(&y, &m, &d, 1);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "agenda", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *range, *err, *ofmt = NULL;
	char *tok, *save, *copy, *custid = NULL, names[APPT_STATUSLEN];
	char why[256];
	struct ctx x = { .color = 0 };
	struct filter fl = { NULL, NULL, NULL };
	const struct appt_staff *st;
	struct appt_row *r;
	time_t from, to;
	int c, fmt, ag = 0;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "Ac:d:ho:S:Vw:", longopts,
	    NULL)) != -1)
		switch (c) {
		case 'A': ag = 1; break;
		case 'c': fl.cust = optarg; break;
		case 'S': fl.status = optarg; break;
		case 'w': fl.staff = optarg; break;
		default: appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	range = appt_operand(argc, argv, "today", synopsis);
	fmt = appt_out_arg(ofmt);
	if (fl.status) {
		copy = xstrdup(fl.status);
		for (tok = strtok_r(copy, ",", &save); tok;
		    tok = strtok_r(NULL, ",", &save))
			if (!appt_status_valid(tok))
				appt_die(APPT_EUSAGE, "-S %s: not a status "
				    "(%s)", tok, appt_status_list(names,
				    sizeof names));
		free(copy);
	}
	appt_store_opendir(&x.s, dir);
	{
		char *mp = appt_path(&x.s, "messages");

		x.msgs = access(mp, F_OK) == 0;
		free(mp);
	}
	if (!strcmp(range, "all"))
		from = to = 0;
	else if (appt_parse_range(range, appt_now(), &from, &to, &err) < 0)
		appt_die(APPT_EUSAGE, "%s: %s", range, err);
	x.months = appt_months_open(&x.s);
	x.cat = appt_catalog_open(&x.s);
	appt_flags_load(&x.flags, &x.s);
	x.color = isatty(STDOUT_FILENO) && appt_empty(getenv("NO_COLOR"));
	if (fl.staff) {
		appt_check_arg("-w", fl.staff);
		if (!(st = appt_staff_arg(x.cat, "-w", fl.staff, why,
		    sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
		fl.staff = appt_staff_id(st);
	}
	if (fl.cust) {
		struct appt_table ct;

		appt_check_arg("-c", fl.cust);
		appt_load(&x.s, &ct, "customers.csv");
		if (!(r = appt_customer_find(&x.s, &ct, fl.cust)))
			appt_die(APPT_EFAIL, "-c %s: no such customer",
			    fl.cust);
		fl.cust = custid = xstrdup(appt_get(&ct, r, "id"));
		appt_table_free(&ct);
	}
	if (ag) {
		if (from == to)
			appt_die(APPT_EUSAGE, "--agenda: give a range of days");
		x.width = appt_termwidth();
		agenda(&x, &fl, from, to);
	} else
		list(&x, &fl, from, to, fmt);
	free(custid);
	appt_people_free(&x.pp);
	appt_flags_free(&x.flags);
	appt_catalog_close(x.cat);
	appt_months_close(x.months);
	appt_store_close(&x.s);
	appt_exit(0);
}
