/*
 * The booking page's request parser (lib/cgi.c): the input cut at NUL
 * bytes into REQUEST_METHOD, CONTENT_TYPE, CONTENT_LENGTH, PATH_INFO,
 * QUERY_STRING and the body. What it accepts holds to the caps: a body
 * no longer than APPT_CGI_BODYMAX, at most APPT_CGI_FIELDS fields, each
 * named once in lower case, values valid UTF-8 without NUL or CR, path
 * segments of plain letters.
 */
#include <ctype.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct appt_cgi c;
	const char *part[6], *why = NULL, *p;
	char *buf;
	size_t len, i, j;
	int st;

	fuzz_split(d, n, &buf, part, 6);
	st = appt_cgi_head(part[0], part[1], part[2], &len, &why);
	must(st == 0 || (st >= 400 && st < 500 && why), "status %d", st);
	if (st == 0) {
		must(len <= APPT_CGI_BODYMAX, "body of %zu", len);
		if (len > strlen(part[5]))
			len = strlen(part[5]);
		st = appt_cgi_parse(&c, part[0], part[3], part[4], part[5],
		    len, &why);
		must(st == 0 || st == 400 || st == 404, "status %d", st);
		if (st == 0) {
			must(c.n <= APPT_CGI_FIELDS, "%zu fields", c.n);
			for (i = 0; i < c.n; i++) {
				must(*c.name[i] && strlen(c.name[i]) <= 32,
				    "name");
				for (p = c.name[i]; *p; p++)
					must(islower((unsigned char)*p) ||
					    *p == '_', "name %s", c.name[i]);
				for (j = 0; j < i; j++)
					must(strcmp(c.name[i], c.name[j]),
					    "twice %s", c.name[i]);
				must(appt_utf8_valid(c.value[i],
				    strlen(c.value[i])), "utf-8");
				must(!strchr(c.value[i], '\r'), "CR");
				must(strlen(c.value[i]) <= APPT_CGI_VALUEMAX,
				    "long value");
				must(appt_cgi_get(&c, c.name[i]) == c.value[i],
				    "get");
			}
			for (i = 0; i < c.nseg; i++) {
				must(*c.seg[i] && c.seg[i][0] != '.', "seg");
				for (p = c.seg[i]; *p; p++)
					must(isalnum((unsigned char)*p) ||
					    strchr("-_.", *p), "seg %s",
					    c.seg[i]);
			}
		}
		appt_cgi_free(&c);
	}
	free(buf);
	return 0;
}
