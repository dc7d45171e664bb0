/*
 * notify.c: the messages about an appointment: to the customer on every
 * channel of [notify] channels they have, and to the staff member by
 * mail. Each is queued in the outbox under a key of its kind, the
 * appointment, its start and (for reminders) the lead, so that it is
 * made once however often a command runs. And which reminders are due.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static int
channel(const struct appt_store *s, const char *name)
{
	return appt_word_in(appt_cfg(&s->cfg, "notify:channels",
	    "email, sms"), ", ", name, 0);
}

static void
addkey(struct appt_notice *n, const char *key)
{
	n->key = xreallocarray(n->key, n->nkey + 1, sizeof *n->key);
	n->key[n->nkey++] = xstrdup(key);
}

/*
 * The outbox key of a message, malloc'd:
 * "kind-ID-20261124T0900+0100[-lead or seq]-channel".
 */
static char *
noticekey(const char *kind, const char *id, const char *start,
    const char *lead, const char *chan)
{
	struct appt_buf b = { 0 };
	const char *p;

	appt_buf_addf(&b, "%s-%s-", kind, id);
	for (p = start; *p; p++)
		if (*p != '-' && *p != ':')
			appt_buf_addc(&b, *p);
	if (lead)
		appt_buf_addf(&b, "-%s", lead);
	appt_buf_addf(&b, "-%s", chan);
	return b.s;
}

static void
queue(struct appt_notice *n, const struct appt_store *s, const char *key,
    const char *tmpl, int sms, const struct appt_msgvars *v,
    const char *toname, const char *to)
{
	char *subject, *body, *err, *data;

	if (appt_render(s, tmpl, sms, v, &subject, &body, &err) < 0) {
		appt_warn("%s: not queued: %s", key, err);
		free(err);
		n->failed++;
		return;
	}
	if (sms)
		data = xasprintf("%s\n", body);
	else if (!(data = appt_mail(s, key, toname, to, subject, body,
	    &err))) {
		appt_warn("%s: not queued: %s", key, err);
		free(err);
		free(subject);
		free(body);
		n->failed++;
		return;
	}
	if (n->dryrun)
		printf("would queue %s to %s\n%s\n", key, to, data);
	else if (appt_outbox_put(s, key, to, data))
		addkey(n, key);
	free(data);
	free(subject);
	free(body);
}

void
appt_appt_of(const struct appt_table *t, const struct appt_row *r,
    struct appt_appt *a)
{
	a->id = appt_get(t, r, "id");
	a->start = appt_get(t, r, "start");
	a->end = appt_get(t, r, "end");
	a->service = appt_get(t, r, "service");
	a->staff = appt_get(t, r, "staff");
	a->customer = appt_get(t, r, "customer");
	a->status = appt_get(t, r, "status");
	a->price = appt_get(t, r, "price");
	a->seq = appt_get(t, r, "seq");
	a->notes = appt_get(t, r, "notes");
}

void
appt_notify(struct appt_notice *n, const struct appt_store *s,
    const struct appt_catalog *cat, const char *kind,
    const struct appt_appt *a, const char *const *who, const char *lead)
{
	struct appt_msgvars v = { .n = 0 };
	const struct appt_service *svc;
	const struct appt_staff *st;
	char *key, *staffkind, phone[32];
	const char *id = a->id, *start = a->start;
	const char *semail;

	/*
	 * A change can happen again to the same start (moved away and
	 * back, within a minute too): its notices carry the appointment's
	 * change counter in their key, so a new change is told and a retry
	 * of the same one is not.
	 */
	if (!lead && (strstr(kind, "moved") || strstr(kind, "cancelled") ||
	    strstr(kind, "left"))) {
		lead = a->seq;
		if (appt_empty(lead))
			lead = "0";
	}
	svc = appt_service_find(cat, a->service);
	st = appt_staff_find(cat, a->staff);
	appt_parse_iso(start, &v.start);
	appt_msgvar(&v, "customer", who[0]);
	appt_msgvar(&v, "service", svc ? appt_service_name(svc) : a->service);
	appt_msgvar(&v, "staff", st ? appt_staff_name(st) : a->staff);
	appt_msgvar(&v, "start", "");
	appt_msgvar(&v, "business", appt_cfg(&s->cfg, "business:name", ""));
	appt_msgvar(&v, "address", appt_cfg(&s->cfg, "business:address", ""));
	appt_msgvar(&v, "phone", appt_cfg(&s->cfg, "business:phone", ""));
	appt_msgvar(&v, "email", appt_cfg(&s->cfg, "business:email", ""));
	appt_msgvar(&v, "price", a->price);
	appt_msgvar(&v, "id", id);
	if (!strncmp(kind, "staff-", 6)) {
		semail = st ? appt_staff_email(st) : "";
		if (!appt_cfg(&s->cfg, "business:email", NULL))
			return;
		if (!*semail)
			semail = appt_cfg(&s->cfg, "business:email", "");
		if (!*semail)
			return;
		staffkind = xstrdup(kind);
		key = noticekey(staffkind, id, start, lead, "email");
		queue(n, s, key, kind, 0, &v, st ? appt_staff_name(st) : "",
		    semail);
		free(key);
		free(staffkind);
		return;
	}
	/* Mail needs a From: [business] email unset means no mail. */
	if (channel(s, "email") && (!n->only || !strcmp(n->only, "email")) &&
	    !appt_empty(who[1]) &&
	    appt_cfg(&s->cfg, "business:email", NULL)) {
		key = noticekey(kind, id, start, lead, "email");
		queue(n, s, key, kind, 0, &v, who[0], who[1]);
		free(key);
	}
	if (channel(s, "sms") && (!n->only || !strcmp(n->only, "sms")) &&
	    !appt_empty(who[2]) &&
	    appt_cfg(&s->cfg, "sms:command", NULL) &&
	    appt_norm_phone(who[2], s->country, phone, sizeof phone) == 0 &&
	    phone[0] == '+') {
		key = noticekey(kind, id, start, lead, "sms");
		queue(n, s, key, kind, 1, &v, who[0], phone);
		free(key);
	}
}

void
appt_notice_withdraw(const struct appt_store *s, const char *id)
{
	static const char *kinds[] = { "confirm", "moved", "cancelled",
	    "remind", "staff-booked", "staff-moved", "staff-cancelled",
	    "staff-left" };
	char *prefix;
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		prefix = xasprintf("%s-%s-", kinds[i], id);
		appt_outbox_withdraw(s, prefix);
		free(prefix);
	}
}

void
appt_notice_mail(struct appt_notice *n, const struct appt_store *s,
    const char *key, const char *tmpl, const struct appt_msgvars *v,
    const char *toname, const char *to)
{
	queue(n, s, key, tmpl, 0, v, toname, to);
}

void
appt_notice_free(struct appt_notice *n)
{
	appt_strv_free(n->key, n->nkey);
	n->key = NULL;
	n->nkey = 0;
}

int
appt_notice_send(struct appt_notice *n, const struct appt_store *s)
{
	int failed = 0, held = 0;

	if (n->nkey && !n->dryrun) {
		failed = appt_outbox_send(s, n->key, n->nkey, 0);
		held = (int)appt_outbox_held(s, n->key, n->nkey);
	}
	if (failed > held)
		appt_warn("%d message%s not delivered yet: queued in the "
		    "outbox for appt-send", failed - held,
		    failed - held == 1 ? "" : "s");
	appt_notice_free(n);
	return failed + n->failed;
}

/*
 * Reminders. Each booked or confirmed appointment gets one per channel
 * once a lead of [notify] remind is reached. Only the shortest lead
 * already reached is due, and none if a reminder of that lead or a
 * shorter one exists: a late run never sends a longer lead after a
 * shorter one, and a reminder is made once for an appointment, lead and
 * start (the outbox key), however runs overlap or die.
 */
#define DAY 86400
#define NLEAD 16

static const char *const chans[] = { "email", "sms" };
#define NCHAN (sizeof chans / sizeof chans[0])

struct appt_remind {
	const struct appt_store *s;
	struct appt_months *ms;
	time_t now;
	long lead[NLEAD];	/* minutes, ascending, none 0 */
	int nlead;
	char **files;
	size_t nfile;
	size_t file, row, chan;	/* where appt_remind_next goes on */
	struct appt_people pp;	/* the customers of those files */
};

struct appt_remind *
appt_remind_open(const struct appt_store *s, struct appt_months *ms,
    time_t now)
{
	struct appt_remind *d = xcalloc(1, sizeof *d);
	long leads[NLEAD], id, *ids = NULL;
	size_t k, j, nids = 0;
	int i, n;

	d->s = s;
	d->ms = ms;
	d->now = now;
	/* A lead of zero is left out: "remind = 0" turns reminders off. */
	n = appt_cfg_durs(&s->cfg, "notify:remind", "24h, 2h", leads, NLEAD);
	for (i = 0; i < n; i++)
		if (leads[i] > 0)
			d->lead[d->nlead++] = leads[i];
	qsort(d->lead, (size_t)d->nlead, sizeof *d->lead, appt_cmplong);
	if (d->nlead)
		d->nfile = appt_month_files(s, now - DAY,
		    now + d->lead[d->nlead - 1] * 60 + DAY, &d->files);
	/* Who the reminders go to: only the customers concerned. */
	for (k = 0; k < d->nfile; k++) {
		struct appt_table *t = appt_months_table(ms, d->files[k]);

		ids = xreallocarray(ids, nids + t->nrow + 1, sizeof *ids);
		for (j = 0; j < t->nrow; j++)
			if (appt_parse_id(appt_get(t, &t->row[j], "customer"),
			    &id) == 0)
				ids[nids++] = id;
	}
	appt_people_want(&d->pp, s, ids, nids);
	free(ids);
	return d;
}

void
appt_remind_close(struct appt_remind *d)
{
	if (!d)
		return;
	appt_strv_free(d->files, d->nfile);
	appt_people_free(&d->pp);
	free(d);
}

/* The shortest lead appointment r has reached, -1 if none is due. */
static long
due(const struct appt_remind *d, const struct appt_table *t,
    const struct appt_row *r)
{
	time_t start;
	int i;

	if (!appt_status_active(appt_get(t, r, "status")) ||
	    appt_parse_iso(appt_get(t, r, "start"), &start) < 0 ||
	    start <= d->now)
		return -1;
	for (i = 0; i < d->nlead; i++)
		if (start - d->lead[i] * 60 <= d->now)
			return d->lead[i];
	return -1;
}

/* Has a reminder with a lead up to lead been made on this channel? */
static int
reminded(const struct appt_remind *d, const char *id, const char *start,
    long lead, const char *chan)
{
	char num[32], *key;
	int i, found = 0;

	for (i = 0; i < d->nlead && d->lead[i] <= lead && !found; i++) {
		snprintf(num, sizeof num, "%ld", d->lead[i]);
		key = noticekey("remind", id, start, num, chan);
		found = appt_outbox_has(d->s, key);
		free(key);
	}
	return found;
}

int
appt_remind_next(struct appt_remind *d, struct appt_reminder *out)
{
	struct appt_table *t;
	struct appt_row *r;
	long lead;

	for (; d->file < d->nfile; d->file++, d->row = 0) {
		t = appt_months_table(d->ms, d->files[d->file]);
		for (; d->row < t->nrow; d->row++, d->chan = 0) {
			r = &t->row[d->row];
			if ((lead = due(d, t, r)) < 0)
				continue;
			/* Each channel on its own: one may lag the other. */
			while (d->chan < NCHAN) {
				const char *chan = chans[d->chan++];

				if (reminded(d, appt_get(t, r, "id"),
				    appt_get(t, r, "start"), lead, chan))
					continue;
				appt_appt_of(t, r, &out->appt);
				appt_people_who(&d->pp, out->appt.customer,
				    out->who);
				out->channel = chan;
				snprintf(out->lead, sizeof out->lead, "%ld",
				    lead);
				return 1;
			}
		}
	}
	return 0;
}
