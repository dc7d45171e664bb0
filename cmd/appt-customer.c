/*
 * appt-customer: the customer file. add refuses a second record with the
 * same email or phone (compared normalised) and names the one there is;
 * find matches any field, and phone and email in normalised form.
 */
#include <ctype.h>
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "appt.h"

static const char *synopsis =
    "appt-customer [-hV] [-d DIR] [-o FMT] add --name N [--email E] "
    "[--phone P] [--address A] [--postcode P] [--note T] "
    "[--lat L --lon L] [--set COL=VALUE]\n"
    "       appt-customer [-d DIR] [-o FMT] find TEXT\n"
    "       appt-customer [-d DIR] [-o FMT] show ID\n"
    "       appt-customer [-d DIR] [-o FMT] edit ID [--name N] [--email E] "
    "[--phone P] [--address A] [--postcode P] [--note T] [--lat L --lon L] "
    "[--set COL=VALUE]\n"
    "       appt-customer [-d DIR] [-o FMT] list";

static const struct option longopts[] = {
	APPT_PERSON_LONGOPTS,
	APPT_NOTE_LONGOPT,
	{ "set", required_argument, NULL, 's' },
	{ "lat", required_argument, NULL, 'y' },
	{ "lon", required_argument, NULL, 'x' },
	{ NULL, 0, NULL, 0 }
};

/* The options, before the subcommand and after it. */
struct opts {
	const char *dir;
	int fmt;			/* -1 until -o */
	struct appt_person who;		/* --name, --email, ... */
	char **sets;			/* --set COL=VALUE */
	size_t nsets;
	const char *lat, *lon;		/* --lat, --lon */
};

/* A --lat or --lon that is a coordinate, or "" to clear it; else exit 2. */
static void
coord(int islat, const char *v)
{
	double d;

	if (*v && appt_parse_coord(v, islat, &d) < 0)
		appt_die(APPT_EUSAGE, "--%s %s: %s", islat ? "lat" : "lon", v,
		    appt_coord_why(islat));
}

static void
options(struct opts *o, int argc, char *argv[], const char *optstring)
{
	int c;

	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1)
		switch (c) {
		case 'o':
			o->fmt = appt_out_arg(optarg);
			break;
		case 's':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				appt_die(APPT_EUSAGE, "--set %s: not "
				    "COLUMN=VALUE", optarg);
			appt_check_arg("--set", optarg);
			o->sets = xreallocarray(o->sets, o->nsets + 1,
			    sizeof *o->sets);
			o->sets[o->nsets++] = optarg;
			break;
		case 'x':
		case 'y':
			coord(c == 'y', optarg);
			*(c == 'y' ? &o->lat : &o->lon) = optarg;
			break;
		default:
			if (!appt_person_opt(&o->who, c, optarg))
				appt_opt(c, optarg, synopsis, &o->dir, NULL);
		}
}

static void
printrow(struct appt_table *t, struct appt_row *r, int fmt)
{
	size_t i = (size_t)(r - t->row);

	appt_print_table(t, fmt, &i, 1);
}

/* Refuse the email or phone that customer r (if any) has (exit 1). */
static void
taken(const struct appt_table *t, const struct appt_row *r,
    const char *field)
{
	if (r)
		appt_die(APPT_EFAIL, "customer %s (%s) has this %s already",
		    appt_get(t, r, "id"), appt_get(t, r, "name"), field);
}

/* Refuse an email or phone another customer has (exit 1). */
static void
unique(const struct appt_store *s, struct appt_table *t, const char *email,
    const char *phone, const struct appt_row *self)
{
	const struct appt_row *r;
	const char *field = NULL;

	r = appt_customer_match(s, t, email, phone, self, &field);
	taken(t, r, field);
}

/* --set COL=VALUE: user columns, not the ones with options. */
static void
checksets(const struct opts *o)
{
	static const char *own[] = { "id", "created", "name", "email",
	    "phone", "address", "postcode", "notes", "lat", "lon", NULL };
	size_t i, j;
	char *col;

	/* A place is both or neither: one alone is half an address. */
	if (!o->lat != !o->lon || (o->lat && !*o->lat != !*o->lon))
		appt_die(APPT_EUSAGE, "--lat and --lon go together");

	for (i = 0; i < o->nsets; i++) {
		col = xstrndup(o->sets[i], strcspn(o->sets[i], "="));
		for (j = 0; own[j]; j++)
			if (!strcmp(col, own[j]))
				appt_die(APPT_EUSAGE, "--set %s: %s has its "
				    "own option or cannot be set", o->sets[i],
				    col);
		free(col);
	}
}

static void
setcols(const struct opts *o, struct appt_table *t, struct appt_row *r)
{
	size_t i;
	char *col;

	if (o->lat) {
		appt_set(t, r, "lat", o->lat);
		appt_set(t, r, "lon", o->lon);
	}

	for (i = 0; i < o->nsets; i++) {
		col = xstrndup(o->sets[i], strcspn(o->sets[i], "="));
		appt_set(t, r, col, strchr(o->sets[i], '=') + 1);
		free(col);
	}
}

static void
add(struct appt_store *s, const struct opts *o)
{
	const struct appt_person *who = &o->who;
	struct appt_customers *cs;
	struct appt_table *t;
	struct appt_row *r;
	const char *field = NULL;

	if (appt_empty(who->name))
		appt_die(APPT_EUSAGE, "add: --name is required");
	if (appt_empty(who->email) && appt_empty(who->phone))
		appt_die(APPT_EUSAGE, "add: --email or --phone is required");
	appt_person_check(s, who);
	checksets(o);
	appt_lock(s);
	/* Through the index: the cost does not grow with the customers. */
	cs = appt_customers_open(s, NULL);
	t = appt_customers_table(cs);
	r = appt_customers_match(cs, who->email, who->phone, &field);
	taken(t, r, field);
	r = appt_customers_add(cs, who);
	setcols(o, t, r);
	appt_customers_save(cs);
	printrow(t, r, o->fmt);
	appt_customers_close(cs);
}

static int
phonelike(const char *s)
{
	int digits = 0;

	for (; *s; s++)
		if (isdigit((unsigned char)*s))
			digits++;
		else if (!strchr("+ -./()", *s))
			return 0;
	return digits >= 4;
}

static void
digitsof(const char *in, char *out, size_t n)
{
	size_t k = 0;

	for (; *in && k + 1 < n; in++)
		if (isdigit((unsigned char)*in))
			out[k++] = *in;
	out[k] = '\0';
}

/* s as wide characters in lower case, or NULL if it is not UTF-8. */
static wchar_t *
wfold(const char *s)
{
	size_t n = mbstowcs(NULL, s, 0), i;
	wchar_t *w;

	if (n == (size_t)-1)
		return NULL;
	w = xreallocarray(NULL, n + 1, sizeof *w);
	mbstowcs(w, s, n + 1);
	for (i = 0; i < n; i++)
		w[i] = (wchar_t)towlower((wint_t)w[i]);
	return w;
}

/* Whether s holds text (folded by wfold), ignoring case beyond ASCII. */
static int
contains(const char *s, const wchar_t *wtext, const char *text)
{
	wchar_t *w;
	int hit;

	if (!wtext || !(w = wfold(s)))
		return strcasestr(s, text) != NULL;
	hit = wcsstr(w, wtext) != NULL;
	free(w);
	return hit;
}

static void
find(const struct appt_store *s, const char *text, int fmt)
{
	struct appt_table t;
	size_t i, j, *hits, nhits = 0;
	char want[32], have[32], wd[32], hd[32], *ne;
	int isphone = phonelike(text);
	wchar_t *wtext;

	appt_check_arg("TEXT", text);
	/* The data is UTF-8 whatever the locale: fold case as such. */
	setlocale(LC_CTYPE, "C.UTF-8");
	wtext = wfold(text);
	appt_load(s, &t, "customers.csv");
	hits = xcalloc(t.nrow + 1, sizeof *hits);
	ne = strchr(text, '@') ? appt_norm_email(text) : NULL;
	if (isphone && appt_norm_phone(text, s->country, want, sizeof want) <
	    0)
		want[0] = '\0';
	digitsof(text, wd, sizeof wd);
	for (i = 0; i < t.nrow; i++) {
		struct appt_row *r = &t.row[i];
		int hit = 0;

		for (j = 0; j < t.ncol && !hit; j++)
			hit = contains(r->f[j], wtext, text);
		if (!hit && ne && *appt_get(&t, r, "email")) {
			char *n2 = appt_norm_email(appt_get(&t, r, "email"));

			hit = !strcmp(n2, ne);
			free(n2);
		}
		if (!hit && isphone && appt_norm_phone(appt_get(&t, r,
		    "phone"), s->country, have, sizeof have) == 0) {
			digitsof(have, hd, sizeof hd);
			hit = (*want && !strcmp(want, have)) ||
			    strstr(hd, wd) != NULL;
		}
		if (hit)
			hits[nhits++] = i;
	}
	appt_print_table(&t, fmt, hits, nhits);
	free(hits);
	free(ne);
	free(wtext);
	appt_table_free(&t);
}

struct hist {
	time_t start;
	char *f[7];
};

static int
cmphist(const void *a, const void *b)
{
	const struct hist *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The flag the customer matches, in *flag, and the fields; 0 if none. */
static int
flagged(const struct appt_flags *fl, struct appt_table *t,
    struct appt_row *r, size_t *flag)
{
	struct appt_person p;

	appt_person_of(t, r, &p);
	return appt_flags_match(fl, &p, flag);
}

/*
 * show -o json: one object on one line, the record, the flag it matches,
 * its appointments and its invoices, each a list of objects of strings.
 */
static void
showjson(struct appt_table *t, struct appt_row *r,
    const struct appt_flags *fl, int mask, size_t flag,
    const char *const *cols, const struct hist *h, size_t nh,
    const struct appt_invlist *il)
{
	static const char *fk[] = { "id", "match", "reason" };
	const char *fv[3];
	char names[64];
	size_t i;

	fputs("{\"customer\":", stdout);
	appt_json_obj(stdout, t->ncol, (const char *const *)t->col,
	    (const char *const *)r->f);
	fputs(",\"flags\":[", stdout);
	if (mask) {
		fv[0] = appt_get(fl->t, &fl->t->row[flag], "id");
		fv[1] = appt_flag_names(mask, names, sizeof names);
		fv[2] = appt_get(fl->t, &fl->t->row[flag], "reason");
		appt_json_obj(stdout, 3, fk, fv);
	}
	fputs("],\"appointments\":[", stdout);
	for (i = 0; i < nh; i++) {
		if (i)
			putchar(',');
		appt_json_obj(stdout, 7, cols, (const char *const *)h[i].f);
	}
	fputs("],\"invoices\":[", stdout);
	for (i = 0; i < il->n; i++) {
		if (i)
			putchar(',');
		appt_json_obj(stdout, APPT_INVLIST_NCOL, appt_invlist_cols,
		    (const char *const *)il->row[i]);
	}
	puts("]}");
}

/* The customer's invoices: how many, the open balance, and a table. */
static void
showinvoices(const struct appt_store *s, const struct appt_invlist *il)
{
	static const char *cols[] = { "number", "date", "total", "balance",
	    "status", "due" };
	static const int from[] = { 0, 1, 7, 9, 10, 11 };
	struct appt_out o;
	const char *f[6];
	char bal[32];
	size_t i, k;

	if (!il->n)
		return;
	printf("\ninvoices: %zu, open balance %s\n", il->n,
	    appt_money_fmt(il->balance, s->digits, bal));
	appt_out_begin(&o, APPT_OUT_TABLE, 6, cols);
	for (i = 0; i < il->n; i++) {
		for (k = 0; k < 6; k++)
			f[k] = il->row[i][from[k]];
		appt_out_row(&o, f, 0);
	}
	appt_out_end(&o);
}

static void
show(const struct appt_store *s, const char *id, int fmt)
{
	static const char *cols[] = { "id", "start", "end", "status",
	    "service", "staff", "price" };
	struct appt_table t, m;
	struct appt_row *r;
	struct appt_out o;
	struct appt_flags fl;
	struct appt_invoices iv;
	struct appt_invlist il;
	struct hist *h = NULL;
	size_t i, j, k, nh = 0, nf, flag = 0;
	char **files, names[64];
	time_t now = appt_now();
	int upcoming = 0, mask;

	appt_load(s, &t, "customers.csv");
	r = appt_row_byid(&t, id, "customer");
	id = appt_get(&t, r, "id");	/* as stored: "08" is 8 */
	appt_flags_load(&fl, s);
	mask = flagged(&fl, &t, r, &flag);
	nf = appt_month_files(s, 0, 0, &files);
	for (i = 0; i < nf; i++) {
		appt_load(s, &m, files[i]);
		for (j = 0; j < m.nrow; j++) {
			if (strcmp(appt_get(&m, &m.row[j], "customer"), id))
				continue;
			h = xreallocarray(h, nh + 1, sizeof *h);
			appt_parse_iso(appt_get(&m, &m.row[j], "start"),
			    &h[nh].start);
			for (k = 0; k < 7; k++)
				h[nh].f[k] = xstrdup(appt_get(&m, &m.row[j],
				    cols[k]));
			nh++;
		}
		appt_table_free(&m);
	}
	appt_strv_free(files, nf);
	if (nh)
		qsort(h, nh, sizeof *h, cmphist);
	appt_invoices_read(&iv, s);
	appt_invoice_list(&iv, id, 0, 0, 0, &il);
	if (fmt == APPT_OUT_JSON)
		showjson(&t, r, &fl, mask, flag, cols, h, nh, &il);
	else {
		for (i = 0; i < t.ncol; i++)
			if (*r->f[i])
				printf("%-10s %s\n", t.col[i], r->f[i]);
			else if (i < 8)
				printf("%s\n", t.col[i]);
		if (mask)
			printf("%-10s flag %s matches on %s: %s\n", "FLAGGED",
			    appt_get(fl.t, &fl.t->row[flag], "id"),
			    appt_flag_names(mask, names, sizeof names),
			    appt_get(fl.t, &fl.t->row[flag], "reason"));
		/* Mail not read yet (appt-msg): named, and by the status. */
		for (i = k = 0; i < nh; i++) {
			long un = appt_msg_unread(s, h[i].f[0]);
			char *mark;

			if (un <= 0)
				continue;
			printf("%s %s (%ld)", k++ ? "," : "unread    ", h[i].f[0],
			    un);
			mark = xasprintf("%s \u2709", h[i].f[3]);
			free(h[i].f[3]);
			h[i].f[3] = mark;
		}
		if (k)
			printf(": appt-msg thread ID shows them\n");
		for (i = 0; i < nh; i++)
			if (h[i].start >= now)
				upcoming++;
		printf("\nappointments: %zu, %d upcoming\n", nh, upcoming);
	}
	if (nh && fmt != APPT_OUT_JSON) {
		appt_out_begin(&o, APPT_OUT_TABLE, 7, cols);
		appt_out_fit(&o, "end staff price | service status id "
		    "start:17");
		for (i = 0; i < nh; i++)
			appt_out_row(&o, (const char *const *)h[i].f, 0);
		appt_out_end(&o);
	}
	if (fmt != APPT_OUT_JSON)
		showinvoices(s, &il);
	appt_invlist_free(&il);
	appt_invoices_free(&iv);
	for (i = 0; i < nh; i++)
		for (k = 0; k < 7; k++)
			free(h[i].f[k]);
	free(h);
	appt_flags_free(&fl);
	appt_table_free(&t);
}

static void
edit(struct appt_store *s, const struct opts *o, const char *id)
{
	const struct appt_person *who = &o->who;
	const char *col[] = { "name", "email", "phone", "address",
	    "postcode", "notes" };
	const char *val[] = { who->name, who->email, who->phone,
	    who->address, who->postcode, who->notes };
	struct appt_customers *cs;
	struct appt_table *t;
	struct appt_row *r;
	size_t i;
	long v, w;

	if (appt_parse_id(id, &v) < 0)
		appt_die(APPT_EUSAGE, "%s: not a customer id", id);
	appt_person_check(s, who);
	if (who->name && !*who->name)
		appt_die(APPT_EUSAGE, "--name: may not be empty");
	checksets(o);
	appt_lock(s);
	/*
	 * Through the index: the record and those of the email and phone
	 * given are read, and the record is written in its place.
	 */
	cs = appt_customers_open(s, NULL);
	appt_customers_match(cs, who->email, who->phone, NULL);
	t = appt_customers_table(cs);
	if (!(r = appt_customers_find(cs, id)) || appt_parse_id(appt_get(t,
	    r, "id"), &w) < 0 || w != v)
		appt_die(APPT_EFAIL, "%s: no customer with this id", id);
	unique(s, t, who->email, who->phone, r);
	/* The fields given change; the others stay. */
	for (i = 0; i < sizeof col / sizeof col[0]; i++)
		if (val[i])
			appt_set(t, r, col[i], val[i]);
	setcols(o, t, r);
	if (appt_empty(appt_get(t, r, "email")) &&
	    appt_empty(appt_get(t, r, "phone")))
		appt_die(APPT_EUSAGE, "%s: a customer needs an email or a "
		    "phone", id);
	appt_customers_changed(cs, r);
	appt_customers_save(cs);
	printrow(t, r, o->fmt);
	appt_customers_close(cs);
}

int
main(int argc, char *argv[])
{
	struct appt_store s;
	struct opts o = { .fmt = -1 };
	const struct appt_person *who = &o.who;
	const char *cmd;

	appt_setprog(argv[0]);
	options(&o, argc, argv, "+d:ho:V");
	cmd = appt_subcommand(&argc, &argv, synopsis);
	options(&o, argc, argv, "d:o:");
	argc -= optind;
	argv += optind;
	if (strcmp(cmd, "add") && strcmp(cmd, "edit") &&
	    (appt_person_given(who) || o.nsets || o.lat || o.lon))
		appt_die(APPT_EUSAGE, "%s: takes no field options", cmd);
	appt_store_opendir(&s, o.dir);
	if (o.fmt < 0)
		o.fmt = appt_out_parse(NULL);
	if (!strcmp(cmd, "add") && argc == 0)
		add(&s, &o);
	else if (!strcmp(cmd, "find") && argc == 1)
		find(&s, argv[0], o.fmt);
	else if (!strcmp(cmd, "show") && argc == 1)
		show(&s, argv[0], o.fmt);
	else if (!strcmp(cmd, "edit") && argc == 1)
		edit(&s, &o, argv[0]);
	else if (!strcmp(cmd, "list") && argc == 0) {
		struct appt_table t;

		appt_load(&s, &t, "customers.csv");
		appt_print_table(&t, o.fmt, NULL, 0);
		appt_table_free(&t);
	} else
		appt_usage(synopsis, 0);
	appt_store_close(&s);
	free(o.sets);
	appt_exit(0);
}
