/* listing.c: an appointment as appt-list and appt-book print it. */
#include <stdio.h>

#include "appt.h"

static const char *const cols[] = {
	[APPT_L_ID] = "id", [APPT_L_START] = "start", [APPT_L_END] = "end",
	[APPT_L_STATUS] = "status", [APPT_L_SERVICE] = "service",
	[APPT_L_SERVICE_NAME] = "service_name", [APPT_L_STAFF] = "staff",
	[APPT_L_CUSTOMER] = "customer",
	[APPT_L_CUSTOMER_NAME] = "customer_name", [APPT_L_EMAIL] = "email",
	[APPT_L_PHONE] = "phone", [APPT_L_FLAG] = "flag",
	[APPT_L_NOTES] = "notes", [APPT_LIST_NCOL] = NULL
};

void
appt_list_begin(struct appt_out *o, int fmt)
{
	appt_out_begin(o, fmt, APPT_LIST_NCOL, cols);
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

	out[APPT_L_ID] = appt_get(t, r, "id");
	out[APPT_L_START] = appt_get(t, r, "start");
	out[APPT_L_END] = appt_get(t, r, "end");
	out[APPT_L_STATUS] = appt_get(t, r, "status");
	out[APPT_L_SERVICE] = svc;
	out[APPT_L_SERVICE_NAME] = v ? appt_service_name(v) : "";
	out[APPT_L_STAFF] = appt_get(t, r, "staff");
	out[APPT_L_CUSTOMER] = appt_get(t, r, "customer");
	out[APPT_L_CUSTOMER_NAME] = who && who[0] ? who[0] : "";
	out[APPT_L_EMAIL] = who && who[1] ? who[1] : "";
	out[APPT_L_PHONE] = who && who[2] ? who[2] : "";
	out[APPT_L_FLAG] = flag ? flag : "";
	out[APPT_L_NOTES] = appt_get(t, r, "notes");
}
