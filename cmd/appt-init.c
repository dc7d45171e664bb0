/*
 * appt-init: make a data directory. It refuses one that holds anything,
 * so that it can never overwrite a business's data. --example fills the
 * new directory with a small hair salon whose week of appointments lies
 * around now (APPT_NOW), so that every command has something to show.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appt.h"

static const char *synopsis = "appt-init [-hV] [-d DIR] [--example] [DIR]";

static const char *subdirs[] = { "appointments", "outbox", "busy",
    "templates", "invoices", NULL };

static char *building;	/* the directory being made, removed on failure */

static int
rmtree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char *sub;

	if (!d)
		return unlink(path);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = xasprintf("%s/%s", path, e->d_name);
		rmtree(sub);
		free(sub);
	}
	closedir(d);
	return rmdir(path);
}

static void
cleanup(void)
{
	if (building)
		rmtree(building);
}

static void
mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;

	for (s = p + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			appt_die(APPT_EFAIL, "%s: %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		appt_die(APPT_EFAIL, "%s: %s", p, strerror(errno));
	free(p);
}

static int
isempty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		appt_die(APPT_EFAIL, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n == 0;
}

static int
copyfp(FILE *out, void *ctx)
{
	FILE *in = ctx;
	char buf[8192];
	size_t n;

	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			return -1;
	return ferror(in) ? -1 : 0;
}

/* Copy a file of share/appt into the data directory. */
static void
copy(const struct appt_store *s, const char *src, const char *rel)
{
	FILE *in = fopen(src, "r");

	if (!in)
		appt_die(APPT_EFAIL, "%s: %s (is appt installed?)", src,
		    strerror(errno));
	if (appt_replace(s, rel, copyfp, in) < 0)
		appt_die(APPT_EFAIL, "%s: %s", rel, strerror(errno));
	fclose(in);
}

static void
templates(const struct appt_store *s)
{
	char *dir = appt_sharepath("templates"), *src, *rel;
	struct dirent *e;
	DIR *d;

	if (!(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		src = xasprintf("%s/%s", dir, e->d_name);
		rel = xasprintf("templates/%s", e->d_name);
		copy(s, src, rel);
		free(src);
		free(rel);
	}
	closedir(d);
	free(dir);
}

/* The table of a file: from the example, or just the header. */
static void
table(const struct appt_store *s, const char *rel, int example)
{
	struct appt_table t;
	char *ex = xasprintf("example/%s", rel), *src = appt_sharepath(ex);
	char *err;

	free(ex);
	if (!example || access(src, F_OK) != 0)
		appt_table_init(&t, "", rel, appt_schema_cols(rel));
	else if (appt_table_read(&t, src, src, appt_schema_cols(rel), 1,
	    &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	appt_table_save(s, &t, rel);
	appt_table_free(&t);
	free(src);
}

struct month {
	char *rel;
	struct appt_table t;
};

/*
 * A new appointment row of the example in its month's table (read from
 * the data directory the first time; mo ends with an empty entry and
 * has room for one more), with its id, times, service and staff; its
 * table into *tp.
 */
static struct appt_row *
newrow(const struct appt_store *s, struct month *mo, struct appt_table **tp,
    long id, time_t start, time_t end, const char *sid, const char *staff)
{
	char b[APPT_TIMELEN], num[32], *rel = appt_month_file(start), *path;
	char *err;
	struct appt_row *r;
	size_t x;

	for (x = 0; mo[x].rel && strcmp(mo[x].rel, rel); x++)
		;
	if (!mo[x].rel) {
		mo[x].rel = rel;
		path = appt_path(s, rel);
		if (appt_table_read(&mo[x].t, path, rel, appt_appt_cols, 0,
		    &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		free(path);
	} else
		free(rel);
	*tp = &mo[x].t;
	r = appt_table_add(*tp);
	snprintf(num, sizeof num, "%ld", id);
	appt_set(*tp, r, "id", num);
	appt_set(*tp, r, "start", appt_fmt_time(start, b));
	appt_set(*tp, r, "end", appt_fmt_time(end, b));
	appt_set(*tp, r, "service", sid);
	appt_set(*tp, r, "staff", staff);
	return r;
}

/* Write the month tables of the example and free them. */
static void
savemonths(const struct appt_store *s, struct month *mo)
{
	size_t x;

	for (x = 0; mo[x].rel; x++) {
		appt_table_save(s, &mo[x].t, mo[x].rel);
		appt_table_free(&mo[x].t);
		free(mo[x].rel);
	}
}

/* A believable week around now: full days, some gaps, some no-shows. */
static long
week(const struct appt_store *s)
{
	static const char *staff[] = { "sam", "alice" };
	static const char *menu[2][4] = {
		{ "cut", "colour", "cut", "consult" },
		{ "cut", "beard", "cut", "beard" },
	};
	struct appt_table sv, *tt;
	struct month mo[3] = { { 0 } };
	struct appt_row *r, *svr;
	time_t now = appt_now(), start, end, made;
	char b1[APPT_TIMELEN], b2[APPT_TIMELEN], num[32];
	int y, m, d, wd, off, i, k, n, st[8], en[8], t, flagged = 0;
	int slotn = 0;
	long id = 0, dur, before, after;
	size_t j;

	appt_load(s, &sv, "services.csv");
	made = now - 7 * 86400;
	appt_fmt_time(made, b2);
	for (off = -3; off <= 4; off++) {
		appt_local(now, &y, &m, &d, NULL, NULL);
		appt_adddays(&y, &m, &d, off);
		appt_local(appt_day_start(y, m, d) + 43200, NULL, NULL, NULL,
		    &wd, NULL);
		for (i = 0; i < 2; i++) {
			n = appt_staff_hours(&s->cfg, staff[i], wd, st, en, 8);
			for (k = 0; k < n; k++) {
				for (t = st[k]; ; t += 15) {
					const char *sid = menu[i][(id + off +
					    3) % 4];

					svr = NULL;
					for (j = 0; j < sv.nrow; j++)
						if (!strcmp(appt_get(&sv,
						    &sv.row[j], "id"), sid))
							svr = &sv.row[j];
					if (!svr)
						break;
					appt_parse_dur(appt_get(&sv, svr,
					    "duration"), &dur);
					before = after = 0;
					appt_parse_dur(appt_get(&sv, svr,
					    "buffer_before"), &before);
					appt_parse_dur(appt_get(&sv, svr,
					    "buffer_after"), &after);
					t += (int)before;
					if (t + dur > en[k])
						break;
					if (appt_mklocal(y, m, d, t / 60,
					    t % 60, &start, NULL) < 0)
						break;
					end = start + dur * 60;
					t += (int)(dur + after);
					if (++slotn % 4 == 0)
						continue;	/* a gap */
					r = newrow(s, mo, &tt, ++id, start, end,
					    sid, staff[i]);
					/* Customer 8 matches the flag. */
					snprintf(num, sizeof num, "%ld",
					    start > now + 3600 && !flagged++ ?
					    8 : 1 + (id * 5 + off + 7) % 7);
					appt_set(tt, r, "customer", num);
					appt_set(tt, r, "price",
					    appt_get(&sv, svr, "price"));
					appt_set(tt, r, "created", b2);
					appt_set(tt, r, "updated", b2);
					if (end <= now && id % 9 == 4)
						appt_set(tt, r, "status",
						    "no-show");
					else if (end <= now) {
						appt_set(tt, r, "status",
						    "done");
						appt_set(tt, r,
						    "started",
						    appt_fmt_time(start, b1));
						appt_set(tt, r,
						    "finished",
						    appt_fmt_time(end, b1));
					} else if (start <= now) {
						appt_set(tt, r, "status",
						    "in-progress");
						appt_set(tt, r,
						    "started",
						    appt_fmt_time(start, b1));
					} else
						appt_set(tt, r, "status",
						    off <= 1 ? "confirmed" :
						    "booked");
				}
			}
		}
	}
	savemonths(s, mo);
	appt_table_free(&sv);
	return id;
}

/* A fixed random sequence, so that every example is the same. */
static double
draw(unsigned long *x)
{
	*x = *x * 6364136223846793005UL + 1442695040888963407UL;
	return (double)((*x >> 11) & 0xfffffffUL) / 0x10000000;
}

/* Whether the business or staff member is closed on day [a, a + 1 day). */
static int
closed(const struct appt_catalog *cat, const char *staff, time_t a)
{
	const char *who;
	time_t b, e;
	size_t i;

	for (i = 0; i < appt_closure_count(cat); i++) {
		appt_closure_at(cat, i, &b, &e, &who);
		if ((!*who || !strcmp(who, staff)) && b < a + 86400 && e > a)
			return 1;
	}
	return 0;
}

/*
 * Lea visits her customers at home (appt-eta): four weeks of done jobs
 * that took her longer than services.csv says, each started when she
 * got there, and today's day of visits, done up to now, confirmed after.
 * Ids follow last, the week's last id; returns the last one used.
 */
static long
visits(const struct appt_store *s, long last)
{
	static const char *menu[] = { "homecut", "homecut", "homecolour",
	    "homecut" };
	struct appt_catalog *cat = appt_catalog_open(s);
	struct month mo[4] = { { 0 } };
	struct appt_row *r;
	struct appt_table *tt;
	time_t now = appt_now(), day, start, end, arrive, done, free_at;
	char b1[APPT_TIMELEN], num[32];
	int y, m, d, wd, off, k, n, st[8], en[8], t, nv = 0;
	unsigned long seed = 2026;
	long id = last, dur;

	for (off = -28; off <= 0; off++) {
		appt_local(now, &y, &m, &d, NULL, NULL);
		appt_adddays(&y, &m, &d, off);
		day = appt_day_start(y, m, d);
		appt_local(day + 43200, NULL, NULL, NULL, &wd, NULL);
		if (closed(cat, "lea", day))
			continue;
		n = appt_staff_hours(&s->cfg, "lea", wd, st, en, 8);
		free_at = 0;
		for (k = 0; k < n; k++)
			for (t = st[k] + 15; ; nv++) {
				const char *sid = menu[nv % 4];

				dur = strcmp(sid, "homecut") ? 90 : 45;
				if (t + dur > en[k] || appt_mklocal(y, m, d,
				    t / 60, t % 60, &start, NULL) < 0)
					break;
				end = start + dur * 60;
				/* Travel and a job that takes its time. */
				arrive = start + (time_t)(draw(&seed) * 10) *
				    60;
				if (free_at && free_at + 600 > arrive)
					arrive = free_at + 600 + (time_t)(
					    draw(&seed) * 15) * 60;
				done = arrive + (time_t)(dur * (1.2 +
				    0.3 * (draw(&seed) + draw(&seed) - 1))) *
				    60;
				free_at = done;
				t = (t + (int)dur + 30 + 14) / 15 * 15;
				r = newrow(s, mo, &tt, ++id, start, end, sid,
				    "lea");
				snprintf(num, sizeof num, "%d", 9 + nv % 5);
				appt_set(tt, r, "customer", num);
				appt_set(tt, r, "price",
				    strcmp(sid, "homecut") ? "120.00" :
				    "60.00");
				appt_set(tt, r, "created",
				    appt_fmt_time(start - 7 * 86400, b1));
				appt_set(tt, r, "updated",
				    appt_fmt_time(start - 7 * 86400, b1));
				if (done <= now) {
					appt_set(tt, r, "status",
					    "done");
					appt_set(tt, r, "started",
					    appt_fmt_time(arrive, b1));
					appt_set(tt, r, "finished",
					    appt_fmt_time(done, b1));
					appt_set(tt, r, "updated",
					    appt_fmt_time(done, b1));
				} else if (arrive <= now) {
					appt_set(tt, r, "status",
					    "in-progress");
					appt_set(tt, r, "started",
					    appt_fmt_time(arrive, b1));
					appt_set(tt, r, "updated",
					    appt_fmt_time(arrive, b1));
				} else
					appt_set(tt, r, "status",
					    "confirmed");
			}
	}
	savemonths(s, mo);
	appt_catalog_close(cat);
	return id;
}

struct text {
	const char *s;
};

static int
puttext(FILE *fp, void *ctx)
{
	const struct text *t = ctx;

	return fputs(t->s, fp) == EOF ? -1 : 0;
}

/*
 * A busy calendar for sam (appt-ics busy): the school run every
 * Wednesday from the week after the example's, the second one an hour
 * late (an override), the third not at all (an exception).
 */
static void
busycal(const struct appt_store *s)
{
	const char *tz = appt_cfg(&s->cfg, "business:timezone", "UTC");
	char d[3][16];
	struct text t;
	int y, m, dd, wd, i;

	appt_local(appt_now(), &y, &m, &dd, &wd, NULL);
	appt_adddays(&y, &m, &dd, 7 + (3 - wd + 7) % 7);
	for (i = 0; i < 3; i++) {
		snprintf(d[i], sizeof d[i], "%04d%02d%02d", y, m, dd);
		appt_adddays(&y, &m, &dd, 7);
	}
	t.s = xasprintf("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//appt//appt-init example//EN\r\n"
	    "BEGIN:VEVENT\r\nUID:school-run@example.com\r\n"
	    "DTSTAMP:%sT080000Z\r\nSUMMARY:School run\r\n"
	    "DTSTART;TZID=%s:%sT160000\r\nDTEND;TZID=%s:%sT170000\r\n"
	    "RRULE:FREQ=WEEKLY;BYDAY=WE\r\nEXDATE;TZID=%s:%sT160000\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:school-run@example.com\r\n"
	    "DTSTAMP:%sT080000Z\r\nSUMMARY:School run (late)\r\n"
	    "RECURRENCE-ID;TZID=%s:%sT160000\r\n"
	    "DTSTART;TZID=%s:%sT170000\r\nDTEND;TZID=%s:%sT180000\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n", d[0], tz, d[0], tz, d[0],
	    tz, d[2], d[0], tz, d[1], tz, d[1], tz, d[1]);
	if (appt_replace(s, "busy/sam/private.ics", puttext, &t) < 0)
		appt_die(APPT_EFAIL, "busy/sam/private.ics: %s",
		    strerror(errno));
	free((char *)t.s);
}

/* One invoice of the example: appointment r of t and an item, if any. */
static void
invoice(const struct appt_store *s, const struct appt_catalog *cat,
    const struct appt_table *sv, const struct appt_table *t,
    const struct appt_row *r, const char *item, const char *type,
    const char *cancels, char *number, size_t n)
{
	struct appt_table I, L;
	struct appt_row *ir;
	char date[16], made[APPT_TIMELEN];
	time_t now = appt_now();
	int y, m, d;

	appt_local(now, &y, &m, &d, NULL, NULL);
	snprintf(date, sizeof date, "%04d-%02d-%02d", y % 10000, m % 100,
	    d % 100);
	if (appt_invoice_next(s, appt_cfg(&s->cfg, "invoice:number",
	    "INV-%Y-%04n"), y, number, n) < 0)
		appt_die(APPT_EDATA, "config.ini: invoice:number: makes no "
		    "number");
	appt_table_init(&I, "", "invoices.csv", appt_invoice_cols);
	appt_table_init(&L, "", "invoice-lines.csv", appt_invline_cols);
	ir = appt_table_add(&I);
	appt_set(&I, ir, "number", number);
	appt_set(&I, ir, "type", type);
	appt_set(&I, ir, "date", date);
	appt_set(&I, ir, "customer", appt_get(t, r, "customer"));
	appt_set(&I, ir, "appointments", appt_get(t, r, "id"));
	appt_set(&I, ir, "currency", appt_cfg(&s->cfg, "business:currency",
	    "EUR"));
	appt_set(&I, ir, "prices", "gross");
	appt_set(&I, ir, "cancels", cancels);
	appt_set(&I, ir, "created", appt_fmt_time(now, made));
	appt_invoice_appt_line(s, cat, sv, t, r, appt_invoice_tax(s), &L);
	if (item) {
		struct appt_row *l = appt_table_add(&L);

		appt_set(&L, l, "date", date);
		appt_set(&L, l, "description", item);
		appt_set(&L, l, "qty", "1");
		appt_set(&L, l, "price", "12.90");
		appt_set(&L, l, "tax", "7");
	}
	if (cancels) {
		/* The credit note: the same line at the negated price. */
		char neg[40];

		snprintf(neg, sizeof neg, "-%s", appt_get(&L, &L.row[0],
		    "price"));
		appt_set(&L, &L.row[0], "price", neg);
		appt_set(&I, ir, "reason", "charged twice by mistake");
	} else {
		appt_local(now + 14 * 86400, &y, &m, &d, NULL, NULL);
		snprintf(date, sizeof date, "%04d-%02d-%02d", y % 10000,
		    m % 100, d % 100);
		appt_set(&I, ir, "due", date);
	}
	appt_invoice_issue(s, &I, &L);
	appt_table_free(&I);
	appt_table_free(&L);
}

/*
 * A few invoices of the week's done appointments (ids up to last), of
 * three customers: one paid by card, one open with a shampoo added, one
 * voided by a credit note.
 */
static void
invoices(const struct appt_store *s, long last)
{
	struct appt_catalog *cat = appt_catalog_open(s);
	struct appt_table sv, m[8], P;
	struct appt_row *p;
	const struct appt_row *pick[3];
	const struct appt_table *pt[3];
	char **files, num[3][64], made[APPT_TIMELEN], date[16];
	size_t nf, i, j, n = 0;
	int y, mo, d;

	appt_load(s, &sv, "services.csv");
	nf = appt_month_files(s, 0, 0, &files);
	for (i = 0; i < nf && i < 8; i++) {
		appt_load(s, &m[i], files[i]);
		for (j = 0; j < m[i].nrow && n < 3; j++) {
			const struct appt_row *r = &m[i].row[j];
			size_t k;

			if (strcmp(appt_get(&m[i], r, "status"), "done") ||
			    !strcmp(appt_get(&m[i], r, "price"), "0.00") ||
			    atol(appt_get(&m[i], r, "id")) > last)
				continue;
			for (k = 0; k < n && strcmp(appt_get(pt[k], pick[k],
			    "customer"), appt_get(&m[i], r, "customer")); k++)
				;
			if (k < n)
				continue;
			pt[n] = &m[i];
			pick[n++] = r;
		}
	}
	for (i = 0; i < n; i++)
		invoice(s, cat, &sv, pt[i], pick[i], i == 1 ? "Shampoo" : NULL,
		    "invoice", NULL, num[i], sizeof num[i]);
	if (n == 3) {
		char credit[64];

		invoice(s, cat, &sv, pt[2], pick[2], NULL, "credit", num[2],
		    credit, sizeof credit);
		appt_table_init(&P, "", "payments.csv", appt_payment_cols);
		p = appt_table_add(&P);
		appt_local(appt_now(), &y, &mo, &d, NULL, NULL);
		snprintf(date, sizeof date, "%04d-%02d-%02d", y % 10000,
		    mo % 100, d % 100);
		appt_set(&P, p, "id", "1");
		appt_set(&P, p, "invoice", num[0]);
		appt_set(&P, p, "date", date);
		appt_set(&P, p, "amount", appt_get(pt[0], pick[0], "price"));
		appt_set(&P, p, "method", "card");
		appt_set(&P, p, "created", appt_fmt_time(appt_now(), made));
		appt_payment_write(s, y, &P);
		appt_table_free(&P);
	}
	for (i = 0; i < nf && i < 8; i++)
		appt_table_free(&m[i]);
	appt_strv_free(files, nf);
	appt_table_free(&sv);
	appt_catalog_close(cat);
}

/*
 * The week's visits done so far in the review queue, as appt-review
 * queue (ids up to last: not Lea's history).
 */
static void
reviews(const struct appt_store *s, long last)
{
	struct appt_months *ms = appt_months_open(s);
	struct appt_reviews *rv = appt_reviews_open(s, ms, appt_now());
	const char *max = NULL;
	char num[32], why[512];
	long id, n = appt_months_maxid(ms, &max);

	for (id = 1; id <= n && id <= last; id++) {
		snprintf(num, sizeof num, "%ld", id);
		appt_reviews_queue(rv, num, NULL, why, sizeof why);
	}
	appt_reviews_save(rv);
	appt_reviews_close(rv);
	appt_months_close(ms);
}

/* An 8x8 PNG of a warm brown: the colour a customer has in mind. */
static const char photo[] =
	"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52"
	"\x00\x00\x00\x08\x00\x00\x00\x08\x08\x02\x00\x00\x00\x4b\x6d\x29"
	"\xdc\x00\x00\x00\x82\x49\x44\x41\x54\x78\xda\x0d\xc9\x21\x0e\x44"
	"\x21\x0c\x40\xc1\xbd\xc3\x3b\x13\x21\xa4\x69\x1a\xf2\x0f\x82\x40"
	"\x54\x54\x54\x54\x20\xb8\xf4\x32\x76\x7e\xb7\x71\x3b\x77\x70\x85"
	"\xab\x5c\xe3\x4e\xee\xc7\xef\x34\x4e\xe7\x0c\x8e\x70\x94\x63\x9c"
	"\xc9\x79\x51\x8d\xea\xd4\xa0\x84\x52\xca\xa8\x49\xbd\xc8\x46\x76"
	"\x72\x90\x42\x2a\x69\xe4\x24\x5f\x44\x23\x3a\x31\x08\x21\x94\x30"
	"\x62\x12\x2f\xbc\xe1\x1d\x1f\xb8\xe0\x8a\x1b\x3e\xf1\x17\xbb\xb1"
	"\x3b\x7b\xb0\x85\xad\x6c\x63\x4f\xf6\x8b\xd5\x58\x9d\x35\x58\xc2"
	"\x52\x96\xb1\x26\xeb\xe3\x0f\x13\xf2\x37\x01\x41\xce\x80\xa6\x00"
	"\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/*
 * A conversation (appt-msg) about the first colour to come: the salon
 * asks for a photo of the colour, the customer answers with one. The
 * answer is unread, so appt-list marks the appointment.
 */
static void
conversation(const struct appt_store *s)
{
	struct appt_table m, c;
	struct appt_row *r = NULL, *cr;
	struct appt_buf head = { 0 }, raw = { 0 };
	struct appt_part part = { "colour.png", "image/png", photo,
	    sizeof photo - 1 };
	struct appt_msgfile f = { "colour.png", photo, sizeof photo - 1 };
	const char *id, *name, *email;
	const char *business = appt_cfg(&s->cfg, "business:email",
	    "salon@example.com");
	char **files, t[APPT_TIMELEN], *folder, *mime, *subject;
	time_t now = appt_now(), start;
	size_t nf, i, j;
	long num;
	int lock;

	nf = appt_month_files(s, 0, 0, &files);
	memset(&m, 0, sizeof m);
	for (i = 0; i < nf && !r; i++) {
		appt_table_free(&m);
		appt_load(s, &m, files[i]);
		for (j = 0; j < m.nrow && !r; j++)
			if (!strcmp(appt_get(&m, &m.row[j], "service"),
			    "colour") && appt_parse_iso(appt_get(&m,
			    &m.row[j], "start"), &start) == 0 && start > now)
				r = &m.row[j];
	}
	appt_strv_free(files, nf);
	appt_load(s, &c, "customers.csv");
	if (!r || !(cr = appt_customer_find(s, &c, appt_get(&m, r,
	    "customer"))) || appt_empty(appt_get(&c, cr, "email"))) {
		appt_table_free(&m);
		appt_table_free(&c);
		return;
	}
	id = appt_get(&m, r, "id");
	name = appt_get(&c, cr, "name");
	email = appt_get(&c, cr, "email");
	subject = xstrdup("About your Colour");
	lock = appt_msg_lock(s);
	num = appt_msg_next(s, id);
	appt_buf_addf(&head, "Date: %s\nTo: %s <%s>\nSubject: %s\n",
	    appt_fmt_time(now - 86400, t), name, email, subject);
	if (appt_msg_write(s, id, num, "out", head.s, "Could you send us a "
	    "photo of the colour you have in mind? Then it is mixed when "
	    "you arrive.\n", NULL, 0, NULL, 0, &folder) < 0)
		appt_die(APPT_EFAIL, "messages/%s: %s", id, strerror(errno));
	free(folder);
	appt_buf_free(&head);
	/* The answer, as her mail client sent it. */
	mime = appt_mime_mixed("Here it is, a little warmer than now.\n",
	    &part, 1);
	appt_buf_addf(&raw, "From: %s <%s>\r\nTo: %s\r\nSubject: Re: %s\r\n"
	    "Message-ID: <%ld.reply@example.net>\r\nIn-Reply-To: "
	    "<msg-%s-%04ld-email@%s>\r\n%s", name, email, business, subject,
	    num, id, num, strchr(business, '@') ? strchr(business, '@') + 1 :
	    "example.com", mime);
	appt_buf_addf(&head, "Date: %s\nFrom: %s <%s>\nSubject: Re: %s\n"
	    "Message-ID: <%ld.reply@example.net>\nFiled: by reply\n",
	    appt_fmt_time(now - 64800, t), name, email, subject, num);
	if (appt_msg_write(s, id, num + 1, "in", head.s, "Here it is, a "
	    "little warmer than now.\n", raw.s, raw.len, &f, 1, &folder) < 0)
		appt_die(APPT_EFAIL, "messages/%s: %s", id, strerror(errno));
	close(lock);
	free(folder);
	free(mime);
	free(subject);
	appt_buf_free(&head);
	appt_buf_free(&raw);
	appt_table_free(&m);
	appt_table_free(&c);
}

static void
ids(const struct appt_store *s, long appts)
{
	struct appt_table t;
	struct appt_row *r;
	char num[32];

	appt_table_init(&t, "", "ids.csv", appt_schema_cols("ids.csv"));
	r = appt_table_add(&t);
	appt_set(&t, r, "table", "customers");
	appt_set(&t, r, "last", "13");
	r = appt_table_add(&t);
	appt_set(&t, r, "table", "flags");
	appt_set(&t, r, "last", "1");
	r = appt_table_add(&t);
	appt_set(&t, r, "table", "appointments");
	snprintf(num, sizeof num, "%ld", appts);
	appt_set(&t, r, "last", num);
	r = appt_table_add(&t);
	appt_set(&t, r, "table", "payments");
	appt_set(&t, r, "last", "1");
	appt_table_save(s, &t, "ids.csv");
	appt_table_free(&t);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "example", no_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s = { 0 };
	const char *opt = NULL;
	char *dir, *src, *tmp, *parent, *slash;
	struct stat st;
	int c, example = 0, i;
	long n;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hV", longopts, NULL)) != -1)
		switch (c) {
		case 'x': example = 1; break;
		default: appt_opt(c, optarg, synopsis, &opt, NULL);
		}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 1 && opt))
		appt_usage(synopsis, 0);
	dir = appt_datadir(argc ? argv[0] : opt);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			appt_die(APPT_EFAIL, "%s: exists and is not a "
			    "directory", dir);
		if (!isempty(dir))
			appt_die(APPT_EFAIL, "%s: not empty; appt-init makes "
			    "a new data directory and changes nothing here",
			    dir);
	}
	/*
	 * Build the directory beside its place and rename it in, so that a
	 * failure or a kill leaves no half-made data directory.
	 */
	slash = strrchr(dir, '/');
	parent = slash ? (slash == dir ? xstrdup("/") :
	    xstrndup(dir, (size_t)(slash - dir))) : xstrdup(".");
	mkdirs(parent);
	tmp = xasprintf("%s/.%s.init.XXXXXX", parent, slash ? slash + 1 :
	    dir);
	if (!mkdtemp(tmp))
		appt_die(APPT_EFAIL, "%s: %s", parent, strerror(errno));
	atexit(cleanup);
	building = tmp;
	s.dir = tmp;
	if ((s.dirfd = open(tmp, O_RDONLY | O_DIRECTORY)) < 0)
		appt_die(APPT_EFAIL, "%s: %s", tmp, strerror(errno));
	src = appt_sharepath(example ? "example/config.ini" : "config.ini");
	copy(&s, src, "config.ini");
	free(src);
	close(s.dirfd);
	appt_store_open(&s, tmp);
	for (i = 0; subdirs[i]; i++)
		if (mkdirat(s.dirfd, subdirs[i], 0700) < 0)
			appt_die(APPT_EFAIL, "%s/%s: %s", dir, subdirs[i],
			    strerror(errno));
	for (i = 0; appt_schemas[i].file; i++)
		table(&s, appt_schemas[i].file, example);
	{
		/* This year's place of the invoices, its three files empty. */
		static const char *const inv[] = { "invoices.csv",
		    "invoice-lines.csv", "payments.csv" };
		int y;
		char *rel;

		appt_local(appt_now(), &y, NULL, NULL, NULL, NULL);
		for (i = 0; i < 3; i++) {
			rel = xasprintf("invoices/%04d/%s", y % 10000, inv[i]);
			table(&s, rel, 0);
			free(rel);
		}
	}
	templates(&s);
	if (example) {
		n = week(&s);
		ids(&s, visits(&s, n));
		busycal(&s);
		invoices(&s, n);
		reviews(&s, n);
		conversation(&s);
	}
	if (chmod(tmp, 0700) < 0 || rename(tmp, dir) < 0)
		appt_die(APPT_EFAIL, "%s: %s", dir, strerror(errno));
	building = NULL;
	free(tmp);
	free(parent);
	appt_store_close(&s);
	free(dir);
	appt_exit(0);
}
