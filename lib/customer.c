/* customer.c: finding customers by id, email or phone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

struct appt_row *
appt_customer_match(const struct appt_store *s, struct appt_table *t,
    const char *email, const char *phone, const struct appt_row *except,
    const char **field)
{
	char *ne = appt_empty(email) ? NULL : appt_norm_email(email);
	char np[32], p2[32];
	int hasphone = !appt_empty(phone) &&
	    appt_norm_phone(phone, s->country, np, sizeof np) == 0;
	struct appt_row *hit = NULL;
	size_t i;

	for (i = 0; i < t->nrow && !hit; i++) {
		struct appt_row *r = &t->row[i];
		const char *e = appt_get(t, r, "email");

		if (r == except)
			continue;
		if (ne && *e) {
			char *n2 = appt_norm_email(e);

			if (!strcmp(n2, ne)) {
				hit = r;
				if (field)
					*field = "email";
			}
			free(n2);
		}
		if (!hit && hasphone && appt_norm_phone(appt_get(t, r,
		    "phone"), s->country, p2, sizeof p2) == 0 &&
		    !strcmp(np, p2)) {
			hit = r;
			if (field)
				*field = "phone";
		}
	}
	free(ne);
	return hit;
}

struct appt_row *
appt_customer_find(const struct appt_store *s, struct appt_table *t,
    const char *key)
{
	long id;
	size_t i;

	if (appt_parse_id(key, &id) == 0) {
		for (i = 0; i < t->nrow; i++)
			if (!strcmp(appt_get(t, &t->row[i], "id"), key))
				return &t->row[i];
		/* A number that is not an id may still be a phone. */
		if (strlen(key) < 5)
			return NULL;
	}
	return strchr(key, '@') ? appt_customer_match(s, t, key, NULL, NULL,
	    NULL) : appt_customer_match(s, t, NULL, key, NULL, NULL);
}

int
appt_person_bad(const struct appt_store *s, const struct appt_person *p,
    char *why, size_t n)
{
	const char *names[] = { "name", "email", "phone", "address",
	    "postcode", "note" };
	const char *v[] = { p->name, p->email, p->phone, p->address,
	    p->postcode, p->notes };
	char buf[32];
	const char *bad;
	size_t i;

	for (i = 0; i < 6; i++) {
		if ((bad = appt_input_bad(v[i]))) {
			snprintf(why, n, "--%s: %s", names[i], bad);
			return APPT_EUSAGE;
		}
		if (v[i] && strlen(v[i]) > APPT_CSV_FIELDMAX) {
			snprintf(why, n, "--%s: longer than %d bytes",
			    names[i], APPT_CSV_FIELDMAX);
			return APPT_EUSAGE;
		}
	}
	if (!appt_empty(p->name) && !p->name[strspn(p->name, " ")]) {
		snprintf(why, n, "--name: blank");
		return APPT_EUSAGE;
	}
	if (!appt_empty(p->email) && !appt_email_valid(p->email)) {
		snprintf(why, n, "--email %s: not an address of the form "
		    "local@domain", p->email);
		return APPT_EUSAGE;
	}
	if (!appt_empty(p->phone) && appt_norm_phone(p->phone, s->country,
	    buf, sizeof buf) < 0) {
		snprintf(why, n, "--phone %s: not a phone number", p->phone);
		return APPT_EUSAGE;
	}
	return 0;
}

void
appt_person_of(const struct appt_table *t, const struct appt_row *r,
    struct appt_person *p)
{
	p->name = appt_get(t, r, "name");
	p->email = appt_get(t, r, "email");
	p->phone = appt_get(t, r, "phone");
	p->address = appt_get(t, r, "address");
	p->postcode = appt_get(t, r, "postcode");
	p->notes = appt_get(t, r, "notes");
}

void
appt_person_check(const struct appt_store *s, const struct appt_person *p)
{
	char why[512];

	if (appt_person_bad(s, p, why, sizeof why))
		appt_die(APPT_EUSAGE, "%s", why);
}

struct appt_row *
appt_customer_new(const struct appt_store *s, struct appt_table *t,
    const struct appt_person *p)
{
	struct appt_row *r;
	char id[32], now[APPT_TIMELEN];

	snprintf(id, sizeof id, "%ld", appt_next_id(s, "customers", t));
	r = appt_table_add(t);
	appt_set(t, r, "id", id);
	appt_set(t, r, "name", p->name);
	appt_set(t, r, "email", p->email);
	appt_set(t, r, "phone", p->phone);
	appt_set(t, r, "address", p->address);
	appt_set(t, r, "postcode", p->postcode);
	appt_set(t, r, "notes", p->notes);
	appt_set(t, r, "created", appt_fmt_time(appt_now(), now));
	return r;
}

int
appt_person_opt(struct appt_person *p, int c, const char *arg)
{
	switch (c) {
	case APPT_OPT_NAME: p->name = arg; break;
	case APPT_OPT_EMAIL: p->email = arg; break;
	case APPT_OPT_PHONE: p->phone = arg; break;
	case APPT_OPT_ADDRESS: p->address = arg; break;
	case APPT_OPT_POSTCODE: p->postcode = arg; break;
	case APPT_OPT_NOTE: p->notes = arg; break;
	default: return 0;
	}
	return 1;
}

int
appt_person_given(const struct appt_person *p)
{
	return p->name || p->email || p->phone || p->address || p->postcode ||
	    p->notes;
}
