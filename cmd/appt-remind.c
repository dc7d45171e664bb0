/*
 * appt-remind: for cron, every few minutes. Each booked or confirmed
 * appointment gets a reminder per channel once a lead of [notify] remind
 * is reached. Only the shortest lead already reached is sent, and none
 * if a reminder of that lead or a shorter one exists: a late run never
 * sends a longer lead after a shorter one, and a reminder is made once
 * for an appointment, lead and start (the outbox key), however runs
 * overlap or die. Then the whole queue is delivered.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

#define DAY 86400

static const char *synopsis = "appt-remind [-hV] [-d DIR] [--dry-run]";
static const char *chans[] = { "email", "sms" };

/* Has a reminder with a lead up to lead been made on this channel? */
static int
reminded(const struct appt_store *s, const char *id, const char *start,
    const long *leads, int nl, long lead, const char *chan)
{
	char num[32], *key;
	int i, found = 0;

	for (i = 0; i < nl && leads[i] <= lead && !found; i++) {
		snprintf(num, sizeof num, "%ld", leads[i]);
		key = appt_notice_key("remind", id, start, num, chan);
		found = appt_outbox_has(s, key);
		free(key);
	}
	return found;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_people pp;
	struct appt_notice notes = { 0 };
	const char *dir = NULL, *v;
	char **files = NULL, num[32];
	long leads[16], maxlead = 0, id, *ids = NULL;
	int c, dry = 0, nl = 0, n, i, failed;
	size_t nf, k, j, nids = 0;
	time_t now, start;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hV", longopts, NULL)) != -1)
		switch (c) {
		case 'd': dir = optarg; break;
		case 'h': appt_usage(synopsis, 1);
		case 'n': dry = 1; break;
		case 'V': appt_version();
		default: appt_usage(synopsis, 0);
		}
	if (optind != argc)
		appt_usage(synopsis, 0);
	appt_store_opendir(&s, dir);
	/* A lead of zero is left out: "remind = 0" turns reminders off. */
	n = appt_cfg_durs(&s.cfg, "notify:remind", "24h, 2h", leads, 16);
	for (i = 0; i < n; i++)
		if (leads[i] > 0)
			leads[nl++] = leads[i];
	qsort(leads, (size_t)nl, sizeof *leads, appt_cmplong);
	if (nl)
		maxlead = leads[nl - 1];
	notes.dryrun = dry;
	if (!dry)
		appt_lock(&s);
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	now = appt_now();
	nf = nl ? appt_month_files(&s, now - DAY, now + maxlead * 60 + DAY,
	    &files) : 0;
	/* Who the reminders go to: only the customers concerned. */
	for (k = 0; k < nf; k++) {
		struct appt_table *t = appt_months_table(ms, files[k]);

		ids = xreallocarray(ids, nids + t->nrow + 1, sizeof *ids);
		for (j = 0; j < t->nrow; j++)
			if (appt_parse_id(appt_get(t, &t->row[j], "customer"),
			    &id) == 0)
				ids[nids++] = id;
	}
	appt_people_want(&pp, &s, ids, nids);
	free(ids);
	for (k = 0; k < nf; k++) {
		struct appt_table *t = appt_months_table(ms, files[k]);

		for (j = 0; j < t->nrow; j++) {
			struct appt_row *r = &t->row[j];
			const char *w[3], *cid = appt_get(t, r, "customer");
			struct appt_appt a;
			long lead = -1;

			v = appt_get(t, r, "status");
			if (!appt_status_active(v) ||
			    appt_parse_iso(appt_get(t, r, "start"), &start) <
			    0 || start <= now)
				continue;
			/* The shortest lead reached. */
			for (i = 0; i < nl; i++)
				if (start - leads[i] * 60 <= now) {
					lead = leads[i];
					break;
				}
			if (lead < 0)
				continue;
			appt_people_who(&pp, cid, w);
			appt_appt_of(t, r, &a);
			snprintf(num, sizeof num, "%ld", lead);
			/* Each channel on its own: one may lag the other. */
			for (i = 0; i < 2; i++) {
				if (reminded(&s, appt_get(t, r, "id"),
				    appt_get(t, r, "start"), leads, nl, lead,
				    chans[i]))
					continue;
				notes.only = chans[i];
				appt_notify(&notes, &s, cat, "remind", &a, w,
				    num);
			}
		}
	}
	appt_strv_free(files, nf);
	appt_people_free(&pp);
	appt_unlock(&s);
	/* Deliver everything queued, these and earlier failures alike. */
	for (k = 0; k < notes.nkey; k++)
		free(notes.key[k]);
	free(notes.key);
	failed = appt_outbox_send(&s, NULL, 0, dry);
	/* Whatever is held, now or before, until a person sees to it. */
	if (!dry && appt_outbox_held(&s, NULL, 0))
		failed++;
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	/* A template that cannot be rendered is bad data; it outranks 4. */
	appt_exit(notes.failed ? APPT_EDATA : failed ? APPT_EDELIVER : 0);
}
