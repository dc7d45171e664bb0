/*
 * weblimit.c: at most [web] limit attempts (bookings, changes) per
 * client address in a window of time, for the booking page. The state,
 * .web-limit.csv, is read and written under the lock of the data
 * directory: a keyed hash of each address (crypto_generichash under
 * web.key, so that the file holds no address) and the time of each
 * attempt still in the window. It never holds more than LIMITROWS rows:
 * the oldest go first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "appt.h"

#define LIMITROWS 20000
#define FILE_ ".web-limit.csv"

int
appt_parse_limit(const char *s, long *count, long *minutes)
{
	const char *slash = strchr(s, '/');
	char *n;
	long c, m;
	int rc;

	if (!slash) {
		if (strcmp(s, "0"))
			return -1;
		*count = 0;
		*minutes = 0;
		return 0;
	}
	n = xstrndup(s, (size_t)(slash - s));
	rc = appt_parse_long(n, 0, 1000000, &c);
	free(n);
	if (rc < 0)
		return -1;
	slash++;
	if (!strcmp(slash, "m") || !strcmp(slash, "h") ||
	    !strcmp(slash, "d") || !strcmp(slash, "w")) {
		char one[3] = { '1', slash[0], '\0' };

		rc = appt_parse_dur(one, &m);
	} else
		rc = appt_parse_dur(slash, &m);
	if (rc < 0 || m <= 0)
		return -1;
	*count = c;
	*minutes = m;
	return 0;
}

static int
writeout(FILE *fp, void *ctx)
{
	return appt_table_write(ctx, fp);
}

int
appt_web_attempt(const struct appt_store *s, const char *addr, time_t now)
{
	static const char *const cols[] = { "client", "time", NULL };
	unsigned char key[APPT_WEBKEY_LEN], h[16];
	char hex[2 * sizeof h + 1], t[APPT_TIMELEN], *path, *err;
	struct appt_table tb;
	struct appt_row *r;
	long count, minutes, n = 0;
	time_t at;
	size_t i;

	if (appt_parse_limit(appt_cfg(&s->cfg, "web:limit", "10/h"), &count,
	    &minutes) < 0)
		appt_die(APPT_EDATA, "config.ini:%ld: [web] limit: not a "
		    "number of attempts per time", appt_cfg_line(&s->cfg,
		    "web:limit"));
	if (count == 0)
		return 1;
	appt_webkey(s, 1, key);
	crypto_generichash(h, sizeof h, (const unsigned char *)(addr ? addr :
	    ""), addr ? strlen(addr) : 0, key, sizeof key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	path = appt_path(s, FILE_);
	/* A torn or foreign file is started afresh: it is only a counter. */
	if (appt_table_read(&tb, path, FILE_, cols, 0, &err) < 0) {
		free(err);
		appt_table_init(&tb, path, FILE_, cols);
	}
	free(path);
	for (i = tb.nrow; i-- > 0; ) {
		if (appt_parse_iso(appt_get(&tb, &tb.row[i], "time"), &at) < 0 ||
		    at <= now - minutes * 60 || at > now + 60)
			appt_table_remove(&tb, i);
		else if (!strcmp(appt_get(&tb, &tb.row[i], "client"), hex))
			n++;
	}
	if (n >= count) {
		appt_table_free(&tb);
		return 0;
	}
	while (tb.nrow >= LIMITROWS)
		appt_table_remove(&tb, 0);
	r = appt_table_add(&tb);
	appt_set(&tb, r, "client", hex);
	appt_set(&tb, r, "time", appt_fmt_time(now, t));
	if (appt_replace(s, FILE_, writeout, &tb) < 0)
		appt_die(APPT_EFAIL, "%s/%s: cannot write", s->dir, FILE_);
	appt_table_free(&tb);
	return 1;
}
