/*
 * The flag matcher of lib/flagmatch.c. Each line of the input is a flag:
 * name, email, phone, address, postcode and cleared, parted by tabs; the
 * first byte picks the business's country. Every flag is indexed, then
 * each one as a person is looked up: a person with the very fields of a
 * flag matches it on every field whose normal form is not empty and not
 * cleared (or another flag on at least as many fields).
 */
#include "fuzz.h"

static const char *const cols[] = { "id", "name", "email", "phone",
    "address", "postcode", "cleared", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char *cc[] = { "DE", "US", "GB", "", "XX", "FR" };
	struct appt_store s;
	struct appt_table t;
	struct appt_flags fl;
	struct appt_person p;
	char *buf, *line, *save = NULL, num[32], names[64];
	const char *f[6];
	size_t i, k, flag;
	int mask, want, fields, bits;

	if (n < 1 || n > 4096)
		return 0;
	memset(&s, 0, sizeof s);
	s.country = cc[d[0] % 6];
	appt_table_init(&t, "", "flags.csv", cols);
	buf = xstrndup((const char *)d + 1, n - 1);
	for (line = strtok_r(buf, "\n", &save); line && t.nrow < 64;
	    line = strtok_r(NULL, "\n", &save)) {
		struct appt_row *r = appt_table_add(&t);
		char *q = line;

		for (k = 0; k < 6; k++) {
			f[k] = q;
			if ((q = strchr(q, '\t')))
				*q++ = '\0';
			else
				q = "";
		}
		snprintf(num, sizeof num, "%zu", t.nrow);
		appt_set(&t, r, "id", num);
		for (k = 0; k < 6; k++)
			appt_set(&t, r, cols[k + 1], f[k]);
	}
	appt_flags_index(&fl, &s, &t);
	for (i = 0; i < t.nrow; i++) {
		p.name = appt_get(&t, &t.row[i], "name");
		p.email = appt_get(&t, &t.row[i], "email");
		p.phone = appt_get(&t, &t.row[i], "phone");
		p.address = appt_get(&t, &t.row[i], "address");
		p.postcode = appt_get(&t, &t.row[i], "postcode");
		p.notes = "";
		want = appt_flag_fields(&fl, i, &p);
		flag = (size_t)-1;
		mask = appt_flags_match(&fl, &p, &flag);
		for (fields = 0, bits = want; bits; bits >>= 1)
			fields += bits & 1;
		if (want) {
			must(mask && flag < t.nrow, "flag %zu (%s) not matched",
			    i, appt_flag_names(want, names, sizeof names));
			for (bits = mask, k = 0; bits; bits >>= 1)
				k += bits & 1;
			must((int)k >= fields, "flag %zu: %zu fields of "
			    "flag %zu, not %d", i, k, flag, fields);
		}
		if (mask)
			must(mask == appt_flag_fields(&fl, flag, &p), "mask");
		appt_flag_names(mask, names, sizeof names);
	}
	appt_flags_free(&fl);
	appt_table_free(&t);
	free(buf);
	return 0;
}
