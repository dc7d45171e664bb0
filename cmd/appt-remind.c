/*
 * appt-remind: for cron, every few minutes. The reminders due (which
 * lead, which channel: notify.c) and the review steps and recalls due
 * (review.c) are queued, then the whole queue is delivered.
 */
#include <getopt.h>

#include "appt.h"

static const char *synopsis = "appt-remind [-hV] [-d DIR] [--dry-run]";

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
	struct appt_remind *due;
	struct appt_reminder r;
	struct appt_notice notes = { 0 };
	const char *dir = NULL;
	int c, dry = 0, failed;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:hV", longopts, NULL)) != -1)
		switch (c) {
		case 'n': dry = 1; break;
		default: appt_opt(c, optarg, synopsis, &dir, NULL);
		}
	if (optind != argc)
		appt_usage(synopsis, 0);
	appt_store_opendir(&s, dir);
	notes.dryrun = dry;
	if (!dry)
		appt_lock(&s);
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	due = appt_remind_open(&s, ms, appt_now());
	while (appt_remind_next(due, &r)) {
		notes.only = r.channel;
		appt_notify(&notes, &s, cat, "remind", &r.appt, r.who, r.lead);
	}
	appt_remind_close(due);
	/* Review steps and recalls too: one cron line serves everything. */
	appt_followups(&s, ms, &notes, appt_now());
	appt_unlock(&s);
	/* Deliver everything queued, these and earlier failures alike. */
	appt_notice_free(&notes);
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
