/*
 * change.c: the changes to a booked appointment, the same for the
 * commands (appt-status, appt-move) and for the booking page: a new
 * status, a new time, and the notices that tell both sides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

int
appt_status_change(struct appt_months *ms, struct appt_avail *av,
    const struct appt_catalog *cat, struct appt_table *t,
    struct appt_row *r, const char *to, int force, time_t now, char *why,
    size_t whylen)
{
	const struct appt_service *svc;
	const char *from = appt_get(t, r, "status"), *id = appt_get(t, r,
	    "id");
	char at[APPT_TIMELEN], w[512];
	time_t start;
	long v;

	if (!strcmp(from, to))
		return -1;
	if (appt_status_final(from) && !force) {
		snprintf(why, whylen, "appointment %s is %s, which is final "
		    "(--force changes it)", id, from);
		return APPT_EFAIL;
	}
	if (!strcmp(from, "cancelled")) {
		/* Back from cancelled: the slot must still be free. */
		svc = appt_service_find(cat, appt_get(t, r, "service"));
		if (appt_parse_id(id, &v) < 0)
			v = 0;
		if (!svc || appt_parse_iso(appt_get(t, r, "start"), &start) <
		    0 || appt_avail_check(av, svc, appt_get(t, r, "staff"),
		    start, 1, v, w, sizeof w)) {
			snprintf(why, whylen, "appointment %s: %s", id, svc ?
			    w : "its service is gone");
			return APPT_EFAIL;
		}
	}
	appt_fmt_time(now, at);
	appt_set(t, r, "status", to);
	appt_appt_changed(t, r, now);
	if ((!strcmp(to, "in-progress") || !strcmp(to, "done")) &&
	    !*appt_get(t, r, "started"))
		appt_set(t, r, "started", at);
	if (!strcmp(to, "done") && !*appt_get(t, r, "finished"))
		appt_set(t, r, "finished", at);
	/* Taken times have changed: the next check sees this one. */
	appt_months_changed(ms, t);
	return 0;
}

int
appt_move_change(struct appt_months *ms, struct appt_avail *av,
    const struct appt_catalog *cat, struct appt_table **tp,
    struct appt_row **rp, const char *staff, time_t start, int force,
    time_t now, char *oldstaff, size_t oldlen, char *why, size_t whylen)
{
	struct appt_table *t = *tp;
	struct appt_row *r = *rp;
	const struct appt_service *svc;
	const struct appt_staff *st;
	const char *status = appt_get(t, r, "status"), *id = appt_get(t, r,
	    "id");
	char w[512], b1[APPT_TIMELEN];
	long dur, before, after, v;
	time_t ostart, oend;

	snprintf(oldstaff, oldlen, "%s", appt_get(t, r, "staff"));
	if (appt_status_final(status)) {
		snprintf(why, whylen, "appointment %s is %s and cannot move",
		    id, status);
		return APPT_EFAIL;
	}
	if (!(svc = appt_service_find(cat, appt_get(t, r, "service")))) {
		snprintf(why, whylen, "%s:%ld: service '%s' is not in "
		    "services.csv", t->label, r->line, appt_get(t, r,
		    "service"));
		return APPT_EDATA;
	}
	if (staff) {
		if (!(st = appt_staff_arg(cat, "-w", staff, why, whylen)))
			return APPT_EUSAGE;
		staff = appt_staff_id(st);
	} else
		staff = oldstaff;	/* a copy: the row may go */
	appt_service_times(svc, &dur, &before, &after);
	/* Where it is already: nothing changes, no one is told. */
	if (appt_parse_iso(appt_get(t, r, "start"), &ostart) == 0 &&
	    ostart == start && appt_parse_iso(appt_get(t, r, "end"),
	    &oend) == 0 && oend == start + dur * 60 &&
	    !strcasecmp(oldstaff, staff)) {
		snprintf(why, whylen, "appointment %s is at %s with %s "
		    "already; not moved", id, appt_fmt_time(start, b1), staff);
		return -1;
	}
	if (appt_parse_id(id, &v) < 0)
		v = 0;
	if (appt_avail_check(av, svc, staff, start, force, v, w, sizeof w)) {
		snprintf(why, whylen, "%s: %s; not moved", appt_fmt_time(start,
		    b1), w);
		return APPT_EFAIL;
	}
	/* Before the row may move: staff can point into it. */
	appt_set(t, r, "start", appt_fmt_time(start, b1));
	appt_set(t, r, "end", appt_fmt_time(start + dur * 60, b1));
	appt_set(t, r, "staff", staff);
	appt_appt_changed(t, r, now);
	appt_months_changed(ms, t);
	*rp = appt_months_move(ms, tp, r);
	return 0;
}

void
appt_notify_moved(struct appt_notice *notes, const struct appt_store *s,
    const struct appt_catalog *cat, struct appt_appt *a,
    const char *const *who, const char *oldstaff)
{
	const char *staff = a->staff;

	appt_notify(notes, s, cat, "moved", a, who, NULL);
	appt_notify(notes, s, cat, "staff-moved", a, who, NULL);
	if (strcasecmp(oldstaff, staff)) {
		/* The one it leaves is told too. */
		a->staff = oldstaff;
		appt_notify(notes, s, cat, "staff-left", a, who, NULL);
		a->staff = staff;
	}
}

void
appt_notify_cancelled(struct appt_notice *notes,
    const struct appt_store *s, const struct appt_catalog *cat,
    const struct appt_appt *a, const char *const *who)
{
	appt_notify(notes, s, cat, "cancelled", a, who, NULL);
	appt_notify(notes, s, cat, "staff-cancelled", a, who, NULL);
}
