/* schema.c: the columns of every data file (appt-files(5)). */
#include <stdio.h>
#include <string.h>

#include "appt.h"

static const char *const services[] = { "id", "name", "duration", "price",
    "tax", "buffer_before", "buffer_after", "staff", "recall",
    "description", NULL };
static const char *const staff[] = { "id", "name", "email", "phone", NULL };
static const char *const closures[] = { "staff", "start", "end", "reason",
    NULL };
static const char *const customers[] = { "id", "name", "email", "phone",
    "address", "postcode", "notes", "created", NULL };
const char *const appt_appt_cols[] = { "id", "start", "end", "service",
    "staff", "customer", "status", "price", "series", "notes", "created",
    "updated", "started", "finished", NULL };
static const char *const flags[] = { "id", "name", "email", "phone",
    "address", "postcode", "reason", "created", "cleared", NULL };
static const char *const reviews[] = { "appointment", "customer", "step",
    "due", "status", "created", NULL };
static const char *const ids[] = { "table", "last", NULL };
static const char *const travel[] = { "from", "to", "minutes", NULL };

const struct appt_schema appt_schemas[] = {
	{ "services.csv", services },
	{ "staff.csv", staff },
	{ "closures.csv", closures },
	{ "customers.csv", customers },
	{ "flags.csv", flags },
	{ "reviews.csv", reviews },
	{ "ids.csv", ids },
	{ "travel.csv", travel },
	{ NULL, NULL }
};

const char *const *
appt_schema_cols(const char *file)
{
	int i;

	if (!strncmp(file, "appointments/", 13))
		return appt_appt_cols;
	/* The invoice store: invoices/YYYY/, or the top of older stores. */
	if (!strncmp(file, "invoices/", 9) && strrchr(file, '/'))
		file = strrchr(file, '/') + 1;
	if (!strcmp(file, "invoices.csv"))
		return appt_invoice_cols;
	if (!strcmp(file, "invoice-lines.csv"))
		return appt_invline_cols;
	if (!strcmp(file, "payments.csv"))
		return appt_payment_cols;
	for (i = 0; appt_schemas[i].file; i++)
		if (!strcmp(appt_schemas[i].file, file))
			return appt_schemas[i].cols;
	return NULL;
}

const char *
appt_schema_fit(const char *file)
{
	/* Who it is and how to reach them; a flag's reason. */
	if (file && !strcmp(file, "customers.csv"))
		return "created notes postcode address | email:12 phone "
		    "name:12 id";
	if (file && !strcmp(file, "flags.csv"))
		return "created cleared postcode address email phone | "
		    "reason:12 name:12 id";
	return NULL;
}

/* In the order of an appointment's day. */
static const char *const statuses[] = { "booked", "confirmed",
    "arrived", "in-progress", "done", "cancelled", "no-show", NULL };

int
appt_status_valid(const char *st)
{
	int i;

	for (i = 0; statuses[i]; i++)
		if (!strcmp(st, statuses[i]))
			return 1;
	return 0;
}

int
appt_status_final(const char *st)
{
	return !strcmp(st, "done") || !strcmp(st, "cancelled") ||
	    !strcmp(st, "no-show");
}

int
appt_status_active(const char *st)
{
	return !strcmp(st, "booked") || !strcmp(st, "confirmed");
}

char *
appt_status_list(char *buf, size_t n)
{
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; statuses[i] && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    i ? ", " : "", statuses[i]);
	return buf;
}

char *
appt_month_file(time_t t)
{
	int y, m;

	appt_local(t, &y, &m, NULL, NULL, NULL);
	return xasprintf("appointments/%04d-%02d.csv", y, m);
}

void
appt_appt_changed(struct appt_table *t, struct appt_row *r, time_t now)
{
	char buf[APPT_TIMELEN], num[32];
	const char *v = appt_get(t, r, "seq");
	long n = 0;

	if (*v && appt_parse_long(v, 0, APPT_SEQMAX - 1, &n) < 0)
		appt_die(APPT_EDATA, "%s:%ld: seq '%s': not a whole number "
		    "(0, 1, 2, ...)", t->label, r->line, v);
	snprintf(num, sizeof num, "%ld", n + 1);
	appt_set(t, r, "seq", num);
	appt_set(t, r, "updated", appt_fmt_time(now, buf));
}
