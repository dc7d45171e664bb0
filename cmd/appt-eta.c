/*
 * appt-eta: the arrival windows of a day's visits (eta.c works them
 * out), and with --notify the notices of them to the customers.
 *
 * Each customer hears of their window once (template eta) and again
 * (template delay) whenever it has moved by [eta] renotify or more from
 * the one they were last told. What they were told is read back from
 * the outbox keys, which carry the window:
 *
 *	eta-ID-START-WINDOW-CHANNEL
 *	delay-ID-START-N-WINDOW-CHANNEL		N = 1, 2, ...: the Nth delay
 *
 * START and WINDOW are times as 20261123T0900+0100. A key is made once
 * (the outbox), under the lock of the data directory, so each window is
 * told exactly once however runs overlap or die; an appointment moved to
 * another start is a new START, told afresh.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

static const char *synopsis = "appt-eta [-hV] [-d DIR] [-o FMT] "
    "[-w STAFF] [--notify] [DATE]";

/* A time as outbox keys write it (20261123T0900+0100) into buf. */
static char *
compact(const char *iso, char *buf, size_t n)
{
	size_t k = 0;

	for (; *iso && k + 1 < n; iso++)
		if (*iso != '-' && *iso != ':')
			buf[k++] = *iso;
	buf[k] = '\0';
	return buf;
}

/* The time of a key's WINDOW part (up to the next '-'); -1 if none. */
static time_t
uncompact(const char *p)
{
	int y, mo, d, h, mi, oh, om, used = 0;
	char sign, iso[40];
	time_t t;

	if (sscanf(p, "%4d%2d%2dT%2d%2d%c%2d%2d%n", &y, &mo, &d, &h, &mi,
	    &sign, &oh, &om, &used) != 8 || (sign != '+' && sign != '-') ||
	    (p[used] && p[used] != '-'))
		return -1;
	snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d%c%02d:%02d", y,
	    mo, d, h, mi, sign, oh, om);
	return appt_parse_iso(iso, &t) < 0 ? -1 : t;
}

/* Every key of the outbox that was not withdrawn. */
struct keys {
	char **v;
	size_t n;
};

static void
allkeys(const struct appt_store *s, struct keys *k)
{
	static const char *folders[] = { "queue", "sending", "sent", "held" };
	char **v;
	size_t i, j, n;

	for (i = 0; i < sizeof folders / sizeof folders[0]; i++) {
		n = appt_outbox_list(s, folders[i], &v);
		k->v = xreallocarray(k->v, k->n + n + 1, sizeof *k->v);
		for (j = 0; j < n; j++)
			k->v[k->n++] = v[j];
		free(v);
	}
}

/*
 * The window last told for appointment id at start on chan: its start
 * time, -1 if none was; the number of delays told into *ndelay.
 */
static time_t
told(const struct keys *k, const char *id, const char *start,
    const char *chan, long *ndelay)
{
	char *eta = xasprintf("eta-%s-%s-", id, start);
	char *delay = xasprintf("delay-%s-%s-", id, start);
	char *end = xasprintf("-%s", chan);
	const char *key, *p;
	time_t last = -1, w;
	long n, most = 0;
	size_t i, len;
	char *q;

	for (i = 0; i < k->n; i++) {
		key = k->v[i];
		len = strlen(key);
		if (len < strlen(end) || strcmp(key + len - strlen(end), end))
			continue;
		if (!strncmp(key, eta, strlen(eta))) {
			if (most == 0 && (w = uncompact(key + strlen(eta))) >= 0)
				last = w;
		} else if (!strncmp(key, delay, strlen(delay))) {
			p = key + strlen(delay);
			n = strtol(p, &q, 10);
			if (q == p || *q != '-' || n <= most ||
			    (w = uncompact(q + 1)) < 0)
				continue;
			most = n;
			last = w;
		}
	}
	free(eta);
	free(delay);
	free(end);
	*ndelay = most;
	return last;
}

/* Queue one notice (kind eta or delay) of row x on chan under key. */
static void
queue(const struct appt_store *s, const struct appt_catalog *cat,
    const struct appt_eta_row *x, const char *kind, const char *key,
    const char *chan, const char *to, struct appt_notice *n)
{
	struct appt_msgvars v = { .n = 0 };
	const struct appt_service *svc = appt_service_find(cat,
	    x->appt.service);
	const struct appt_staff *st = appt_staff_find(cat, x->appt.staff);
	char ws[8], we[8], *subject, *body, *err, *data;
	int sms = !strcmp(chan, "sms");

	strftime(ws, sizeof ws, "%H:%M", localtime(&x->wstart));
	strftime(we, sizeof we, "%H:%M", localtime(&x->wend));
	appt_parse_iso(x->appt.start, &v.start);
	appt_msgvar(&v, "customer", x->customer_name);
	appt_msgvar(&v, "service", svc ? appt_service_name(svc) :
	    x->appt.service);
	appt_msgvar(&v, "staff", st ? appt_staff_name(st) : x->appt.staff);
	appt_msgvar(&v, "start", "");
	appt_msgvar(&v, "business", appt_cfg(&s->cfg, "business:name", ""));
	appt_msgvar(&v, "address", appt_cfg(&s->cfg, "business:address", ""));
	appt_msgvar(&v, "phone", appt_cfg(&s->cfg, "business:phone", ""));
	appt_msgvar(&v, "email", appt_cfg(&s->cfg, "business:email", ""));
	appt_msgvar(&v, "price", x->appt.price);
	appt_msgvar(&v, "id", x->appt.id);
	appt_msgvar(&v, "window_start", ws);
	appt_msgvar(&v, "window_end", we);
	if (appt_render(s, kind, sms, &v, &subject, &body, &err) < 0) {
		appt_warn("%s: not queued: %s", key, err);
		free(err);
		n->failed++;
		return;
	}
	data = sms ? xasprintf("%s\n", body) : appt_mail(s, key,
	    x->customer_name, to, subject, body, &err);
	if (!data) {
		appt_warn("%s: not queued: %s", key, err);
		free(err);
		n->failed++;
	} else if (appt_outbox_put(s, key, to, data)) {
		n->key = xreallocarray(n->key, n->nkey + 1, sizeof *n->key);
		n->key[n->nkey++] = xstrdup(key);
	}
	free(data);
	free(subject);
	free(body);
}

/* Tell each customer whose window is new or has moved, on each channel. */
static void
notify(const struct appt_store *s, const struct appt_catalog *cat,
    const struct appt_eta *e, time_t now, struct appt_notice *n)
{
	const struct appt_eta_row *x;
	struct keys k = { 0 };
	long renotify = appt_cfg_dur(&s->cfg, "eta:renotify", "15m"), nd;
	const char *chans = appt_cfg(&s->cfg, "notify:channels",
	    "email, sms"), *to;
	char start[40], win[40], buf[APPT_TIMELEN], phone[32], *key;
	time_t last;
	size_t i;
	int c;

	allkeys(s, &k);
	for (i = 0; i < appt_eta_count(e); i++) {
		x = appt_eta_at(e, i);
		/* Only visits still to come: not begun, window not over. */
		if (!appt_status_active(x->appt.status) || x->known ||
		    x->wend <= now)
			continue;
		compact(x->appt.start, start, sizeof start);
		compact(appt_fmt_time(x->wstart, buf), win, sizeof win);
		for (c = 0; c < 2; c++) {
			const char *chan = c ? "sms" : "email";

			if (!appt_word_in(chans, ", ", chan, 0))
				continue;
			if (!c) {
				to = x->email;
				if (appt_empty(to) || !appt_cfg(&s->cfg,
				    "business:email", NULL))
					continue;
			} else {
				if (appt_empty(x->phone) || !appt_cfg(&s->cfg,
				    "sms:command", NULL) ||
				    appt_norm_phone(x->phone, s->country,
				    phone, sizeof phone) < 0 || phone[0] != '+')
					continue;
				to = phone;
			}
			last = told(&k, x->appt.id, start, chan, &nd);
			if (last < 0)
				key = xasprintf("eta-%s-%s-%s-%s", x->appt.id,
				    start, win, chan);
			else if (labs((long)(x->wstart - last)) >=
			    renotify * 60)
				key = xasprintf("delay-%s-%s-%ld-%s-%s",
				    x->appt.id, start, nd + 1, win, chan);
			else
				continue;
			queue(s, cat, x, last < 0 ? "eta" : "delay", key,
			    chan, to, n);
			free(key);
		}
	}
	appt_strv_free(k.v, k.n);
}

static void
print(const struct appt_eta *e, int fmt)
{
	static const char *cols[] = { "id", "staff", "start", "customer",
	    "customer_name", "address", "window_start", "window_end",
	    "expected_duration", "travel", "coverage", "travel_by" };
	static const char *by[] = { "travel.csv", "distance", "default" };
	const struct appt_eta_row *x;
	struct appt_out out;
	char ws[APPT_TIMELEN], we[APPT_TIMELEN], dur[24], tr[24], cov[16];
	const char *f[12];
	size_t i;

	appt_out_begin(&out, fmt, 12, cols);
	/* On a narrow terminal: who and when, the window last to go. */
	appt_out_fit(&out, "travel_by address customer coverage travel "
	    "expected_duration id staff | start customer_name:12 window_end "
	    "window_start");
	for (i = 0; i < appt_eta_count(e); i++) {
		x = appt_eta_at(e, i);
		snprintf(dur, sizeof dur, "%ld", x->expected);
		snprintf(tr, sizeof tr, "%ld", x->travel);
		snprintf(cov, sizeof cov, "%.2f", x->coverage);
		f[0] = x->appt.id;
		f[1] = x->appt.staff;
		f[2] = x->appt.start;
		f[3] = x->appt.customer;
		f[4] = x->customer_name;
		f[5] = x->address;
		f[6] = appt_fmt_time(x->wstart, ws);
		f[7] = appt_fmt_time(x->wend, we);
		f[8] = dur;
		f[9] = tr;
		f[10] = cov;
		f[11] = by[x->travel_by];
		appt_out_row(&out, f, 0);
	}
	appt_out_end(&out);
}

/* The day of DATE: a date word or YYYY-MM-DD, one day; exit 2 if not. */
static time_t
dayof(const char *arg, time_t now)
{
	time_t from, to, next;
	const char *err;
	int y, m, d;

	if (appt_parse_range(arg, now, &from, &to, &err) < 0)
		appt_die(APPT_EUSAGE, "%s: %s", arg, err);
	appt_local(from, &y, &m, &d, NULL, NULL);
	appt_adddays(&y, &m, &d, 1);
	next = appt_day_start(y, m, d);
	if (to != next)
		appt_die(APPT_EUSAGE, "%s: not one day (today, tomorrow, "
		    "2026-11-24)", arg);
	return from;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "notify", no_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_eta *e;
	struct appt_notice notes = { 0 };
	const struct appt_staff *st;
	size_t i, mobile = 0;
	const char *dir = NULL, *ofmt = NULL, *staff = NULL;
	time_t now = appt_now(), day;
	char why[256];
	int c, fmt, tell = 0;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:ho:Vw:", longopts, NULL)) !=
	    -1)
		switch (c) {
		case 'N': tell = 1; break;
		case 'w': staff = optarg; break;
		default: appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	day = dayof(appt_operand(argc, argv, "today", synopsis), now);
	fmt = appt_out_arg(ofmt);
	appt_check_arg("-w", staff);
	appt_store_opendir(&s, dir);
	if (tell)
		appt_lock(&s);
	cat = appt_catalog_open(&s);
	if (staff) {
		if (!(st = appt_staff_arg(cat, "-w", staff, why, sizeof why)))
			appt_die(APPT_EUSAGE, "%s", why);
		staff = appt_staff_id(st);
		if (!appt_staff_mobile(st))
			appt_die(APPT_EFAIL, "-w %s: does not travel (mobile "
			    "= yes in staff.csv)", staff);
	}
	for (i = 0; i < appt_staff_count(cat); i++)
		mobile += (size_t)appt_staff_mobile(appt_staff_at(cat, i));
	if (!mobile)
		appt_warn("no staff member travels: no windows (mobile = yes "
		    "in staff.csv)");
	e = appt_eta_open(&s, cat, day, staff, now);
	if (tell)
		notify(&s, cat, e, now, &notes);
	appt_unlock(&s);
	print(e, fmt);
	if (tell)
		appt_notice_send(&notes, &s);
	appt_eta_close(e);
	appt_catalog_close(cat);
	appt_store_close(&s);
	/* A template that cannot be rendered is bad data. */
	appt_exit(notes.failed ? APPT_EDATA : 0);
}
