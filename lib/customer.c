/* customer.c: finding customers by id, email or phone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

struct appt_row *
appt_customer_match(const struct appt_store *s, struct appt_table *t,
    const char *email, const char *phone, const char **field)
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

	if (appt_parse_long(key, 1, 999999999999L, &id) == 0) {
		for (i = 0; i < t->nrow; i++)
			if (!strcmp(appt_get(t, &t->row[i], "id"), key))
				return &t->row[i];
		/* A number that is not an id may still be a phone. */
		if (strlen(key) < 5)
			return NULL;
	}
	return strchr(key, '@') ? appt_customer_match(s, t, key, NULL, NULL)
	    : appt_customer_match(s, t, NULL, key, NULL);
}
