/* listing.c: an appointment as appt-list and appt-book print it. */
#include <stdio.h>

#include "appt.h"

const char *const appt_list_cols[] = { "id", "start", "end", "status",
    "service", "service_name", "staff", "customer", "customer_name",
    "email", "phone", "flag", "notes", NULL };

void
appt_list_begin(struct appt_out *o, int fmt)
{
	appt_out_begin(o, fmt, APPT_LIST_NCOL, appt_list_cols);
	/* On a narrow terminal: when, who, what, and how it stands. */
	appt_out_fit(o, "notes email service customer end staff phone id | "
	    "service_name status flag:8 customer_name:10 start:17");
}

void
appt_list_fields(const struct appt_table *t, const struct appt_row *r,
    const struct appt_catalog *cat, const char *const *who,
    const char *flag, const char **out)
{
	const char *svc = appt_get(t, r, "service");
	const struct appt_service *v = cat ? appt_service_find(cat, svc) :
	    NULL;

	out[0] = appt_get(t, r, "id");
	out[1] = appt_get(t, r, "start");
	out[2] = appt_get(t, r, "end");
	out[3] = appt_get(t, r, "status");
	out[4] = svc;
	out[5] = v ? appt_service_name(v) : "";
	out[6] = appt_get(t, r, "staff");
	out[7] = appt_get(t, r, "customer");
	out[8] = who && who[0] ? who[0] : "";
	out[9] = who && who[1] ? who[1] : "";
	out[10] = who && who[2] ? who[2] : "";
	out[11] = flag ? flag : "";
	out[12] = appt_get(t, r, "notes");
}
