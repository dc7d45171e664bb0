/*
 * config.c: config.ini through iniparser, strings only.
 *
 * iniparser 4.1 gives no line numbers, fails a whole load on one long
 * line and parses numbers in base 0, so the file is first scanned here:
 * every syntax problem is reported as config.ini:LINE, the line of each
 * key is kept for later messages, and numbers are parsed by us.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <iniparser.h>

#include "appt.h"

#define LINEMAX 1000

static struct appt_buf inierr;

static int
errback(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) >= 0) {
		appt_buf_adds(&inierr, s);
		free(s);
	}
	va_end(ap);
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static long
findkey(const struct appt_config *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nkey; i++)
		if (!strcmp(c->key[i], key))
			return (long)i;
	return -1;
}

/*
 * iniparser ends an unquoted value at its first ';' or '#', and a quoted
 * one at its closing quote, dropping what follows without a word. Allow
 * only what is meant as a comment: a blank and ';' after the value,
 * quoted or not. Anything else would cut the value ("name = Salon #1"
 * gives "Salon"): say so, with the quoted form. key is the section:key,
 * name the key as written, v the value.
 */
static char *
cutvalue(long n, const char *key, const char *name, const char *v)
{
	const char *p, *e, *rest;
	char q;
	int len;

	if (*v == '"' || *v == '\'') {
		if (!(e = strchr(v + 1, *v)))
			return xasprintf("config.ini:%ld: %s: no closing %c "
			    "(a value that starts with a quote ends with one)",
			    n, key, *v);
		rest = e + 1 + strspn(e + 1, " \t");
		if (*rest && (*rest != ';' || rest == e + 1))
			return xasprintf("config.ini:%ld: %s: '%s' after "
			    "the closing %c would be dropped; a value is all "
			    "inside the quotes or not quoted", n, key, rest,
			    *v);
		return NULL;
	}
	p = strpbrk(v, ";#");
	if (!p || (*p == ';' && (p == v || p[-1] == ' ' || p[-1] == '\t')))
		return NULL;
	/* The value the user meant: up to a comment, if one follows. */
	for (e = p; *e && !(*e == ';' && (e[-1] == ' ' || e[-1] == '\t'));
	    e++)
		;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	len = (int)(e - v);
	q = memchr(v, '"', (size_t)len) ? '\'' : '"';
	if (q == '\'' && memchr(v, '\'', (size_t)len))
		return xasprintf("config.ini:%ld: %s: '%c' starts a comment "
		    "here, cutting the value, which holds both quote "
		    "characters and so cannot be quoted", n, key, *p);
	return xasprintf("config.ini:%ld: %s: '%c' starts a comment here, "
	    "cutting the value; quote it: %s = %c%.*s%c", n, key, *p, name, q,
	    len, v, q);
}

/* Scan for syntax and record the line of every key. */
static int
scan(struct appt_config *c, FILE *fp, char **err)
{
	char *line = NULL, *s, *eq, *k, *name, sect[LINEMAX + 1] = "";
	size_t cap = 0;
	ssize_t len;
	long n = 0, prev;

	while ((len = getline(&line, &cap, fp)) > 0) {
		n++;
		if (len > LINEMAX) {
			*err = xasprintf("config.ini:%ld: line longer than %d "
			    "bytes", n, LINEMAX);
			break;
		}
		if (memchr(line, '\0', (size_t)len)) {
			*err = xasprintf("config.ini:%ld: NUL byte", n);
			break;
		}
		if (!appt_utf8_valid(line, (size_t)len)) {
			*err = xasprintf("config.ini:%ld: not valid UTF-8", n);
			break;
		}
		s = trim(n == 1 && !strncmp(line, "\xef\xbb\xbf", 3) ?
		    line + 3 : line);
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (appt_bad_text(s)) {
			*err = xasprintf("config.ini:%ld: a control character "
			    "(CR, escape, ...) in the line", n);
			break;
		}
		if (s[strlen(s) - 1] == '\\') {
			*err = xasprintf("config.ini:%ld: a line may not end "
			    "in \\", n);
			break;
		}
		if (*s == '[') {
			char *e = strchr(s, ']');

			if (!e || e == s + 1 || *trim(e + 1)) {
				*err = xasprintf("config.ini:%ld: malformed "
				    "section header (nothing may follow ], not "
				    "even a comment)", n);
				break;
			}
			*e = '\0';
			snprintf(sect, sizeof sect, "%s", trim(s + 1));
			for (k = sect; *k; k++)
				*k = (char)tolower((unsigned char)*k);
			continue;
		}
		if (!(eq = strchr(s, '=')) || eq == s) {
			*err = xasprintf("config.ini:%ld: not a [section] or "
			    "'key = value' line", n);
			break;
		}
		if (!*sect) {
			*err = xasprintf("config.ini:%ld: key outside a "
			    "[section]", n);
			break;
		}
		*eq = '\0';
		name = trim(s);
		k = xasprintf("%s:%s", sect, name);
		for (s = k; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		if ((prev = findkey(c, k)) >= 0) {
			*err = xasprintf("config.ini:%ld: %s set again (first "
			    "at line %ld)", n, k, c->line[prev]);
			free(k);
			break;
		}
		if ((*err = cutvalue(n, k, name, trim(eq + 1)))) {
			free(k);
			break;
		}
		c->key = xreallocarray(c->key, c->nkey + 1, sizeof *c->key);
		c->line = xreallocarray(c->line, c->nkey + 1, sizeof *c->line);
		c->key[c->nkey] = k;
		c->line[c->nkey++] = n;
	}
	if (!*err && ferror(fp))
		*err = xasprintf("config.ini: %s", strerror(errno));
	free(line);
	return *err ? -1 : 0;
}

int
appt_config_load(struct appt_config *c, const char *path, char **err)
{
	FILE *fp, *out;
	char bom[3], buf[8192], *tmp = NULL;
	size_t n;
	int fd = -1, failed;

	memset(c, 0, sizeof *c);
	c->path = xstrdup(path);
	*err = NULL;
	if (!(fp = fopen(path, "r"))) {
		if (errno == ENOENT) {
			c->dict = dictionary_new(0);
			return 0;
		}
		*err = xasprintf("config.ini: %s", strerror(errno));
		return -1;
	}
	if (scan(c, fp, err) < 0) {
		fclose(fp);
		return -1;
	}
	/*
	 * iniparser reads a UTF-8 BOM as part of the first line, which then
	 * fails to load: give it a copy without the BOM.
	 */
	rewind(fp);
	if (fread(bom, 1, 3, fp) == 3 && !memcmp(bom, "\xef\xbb\xbf", 3)) {
		tmp = xasprintf("%s/appt-ini.XXXXXX", appt_empty(getenv(
		    "TMPDIR")) ? "/tmp" : getenv("TMPDIR"));
		if ((fd = mkstemp(tmp)) < 0 || !(out = fdopen(fd, "w"))) {
			*err = xasprintf("config.ini: %s: %s", tmp,
			    strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			fclose(fp);
			return -1;
		}
		while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
			fwrite(buf, 1, n, out);
		failed = ferror(fp) || ferror(out);
		if (fclose(out) == EOF || failed) {
			*err = xasprintf("config.ini: %s", strerror(errno));
			unlink(tmp);
			free(tmp);
			fclose(fp);
			return -1;
		}
	}
	fclose(fp);
	iniparser_set_error_callback(errback);
	c->dict = iniparser_load(tmp ? tmp : path);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (!c->dict) {
		*err = xasprintf("config.ini: %s", inierr.s ? trim(inierr.s) :
		    "cannot be read");
		appt_buf_free(&inierr);
		return -1;
	}
	return 0;
}

void
appt_config_free(struct appt_config *c)
{
	if (c->dict)
		iniparser_freedict(c->dict);
	appt_strv_free(c->key, c->nkey);
	free(c->line);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const char *
appt_cfg(const struct appt_config *c, const char *key, const char *def)
{
	const char *v = c->dict ? iniparser_getstring(c->dict, key, NULL) :
	    NULL;

	return appt_empty(v) ? def : v;
}

long
appt_cfg_line(const struct appt_config *c, const char *key)
{
	long i = findkey(c, key);

	return i < 0 ? 0 : c->line[i];
}

static void __attribute__((noreturn))
cfgdie(const struct appt_config *c, const char *key, const char *why)
{
	appt_die(APPT_EDATA, "config.ini:%ld: %s: %s", appt_cfg_line(c, key),
	    key, why);
}

long
appt_cfg_dur(const struct appt_config *c, const char *key, const char *def)
{
	long m;

	if (appt_parse_dur(appt_cfg(c, key, def), &m) < 0)
		cfgdie(c, key, "not a duration (30m, 2h, 1d, 1h30m)");
	return m;
}

static int
parsebool(const char *v)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return 1;
		if (!strcasecmp(v, no[i]))
			return 0;
	}
	return -1;
}

int
appt_parse_bool(const char *v)
{
	return parsebool(v);
}

int
appt_cfg_bool(const struct appt_config *c, const char *key, int def)
{
	const char *v = appt_cfg(c, key, NULL);
	int b;

	if (!v)
		return def;
	if ((b = parsebool(v)) < 0)
		cfgdie(c, key, "not yes or no");
	return b;
}

/*
 * A list of durations, "24h, 2h": the first max of them into out, empty
 * items left out. The count, or -1 when an item is not a duration.
 */
static int
parse_durs(const char *v, long *out, int max)
{
	char *s = xstrdup(v), *tok, *save = NULL;
	long m;
	int n = 0, bad = 0;

	for (tok = strtok_r(s, ",", &save); tok && !bad;
	    tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (!*tok)
			continue;
		if (appt_parse_dur(tok, &m) < 0)
			bad = 1;
		else if (n < max)
			out[n++] = m;
	}
	free(s);
	return bad ? -1 : n;
}

int
appt_cfg_durs(const struct appt_config *c, const char *key, const char *def,
    long *out, int max)
{
	int n = parse_durs(appt_cfg(c, key, def), out, max);

	if (n < 0)
		cfgdie(c, key, "not a list of durations (24h, 2h)");
	return n;
}

int
appt_parse_hours(const char *s, int *start, int *end, int max)
{
	int n = 0, h1, m1, h2, m2, used;
	const char *p = s;

	if (!strcasecmp(s, "closed"))
		return 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (sscanf(p, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2,
		    &used) != 4 || n == max)
			return -1;
		if (h1 < 0 || h1 > 24 || m1 < 0 || m1 > 59 ||
		    h2 < 0 || h2 > 24 || m2 < 0 || m2 > 59)
			return -1;
		start[n] = h1 * 60 + m1;
		end[n] = h2 * 60 + m2;
		if (end[n] <= start[n] || end[n] > 1440 ||
		    (n && start[n] < end[n - 1]))
			return -1;
		n++;
		p += used;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (*p++ != ',')
			return -1;
	}
}

int
appt_staff_hours(const struct appt_config *c, const char *staff, int wday,
    int *start, int *end, int max)
{
	static const char *days[] = { "sun", "mon", "tue", "wed", "thu",
	    "fri", "sat" };
	const char *v = NULL;
	char key[128];
	size_t i;
	int any = 0;

	if (!appt_empty(staff)) {
		snprintf(key, sizeof key, "hours.%s:%s", staff, days[wday]);
		for (i = 0; key[i]; i++)
			key[i] = (char)tolower((unsigned char)key[i]);
		v = appt_cfg(c, key, NULL);
	}
	if (!v)
		{
		snprintf(key, sizeof key, "hours:%s", days[wday]);
		v = appt_cfg(c, key, NULL);
	}
	if (!v) {
		for (i = 0; i < c->nkey; i++)
			if (!strncmp(c->key[i], "hours:", 6))
				any = 1;
		if (any || wday == 0 || wday == 6)
			return 0;
		v = "09:00-17:00";
	}
	return appt_parse_hours(v, start, end, max) < 0 ? 0 :
	    appt_parse_hours(v, start, end, max);
}

/* The keys of DESIGN.md and what each must hold. */
enum { T_STR, T_EMAIL, T_TZ, T_CUR, T_COUNTRY, T_HOURS, T_DUR, T_DURS,
    T_FLAG, T_BOOL, T_CHANNELS, T_PERCENT, T_NUMBER, T_STEP, T_POSREAL,
    T_PRICES };
static const struct {
	const char *key;
	int type;
} keys[] = {
	{ "business:name", T_STR }, { "business:email", T_EMAIL },
	{ "business:phone", T_STR }, { "business:address", T_STR },
	{ "business:timezone", T_TZ }, { "business:currency", T_CUR },
	{ "business:country", T_COUNTRY },
	{ "hours:mon", T_HOURS }, { "hours:tue", T_HOURS },
	{ "hours:wed", T_HOURS }, { "hours:thu", T_HOURS },
	{ "hours:fri", T_HOURS }, { "hours:sat", T_HOURS },
	{ "hours:sun", T_HOURS },
	{ "booking:granularity", T_STEP }, { "booking:min_notice", T_DUR },
	{ "booking:horizon", T_DUR }, { "booking:on_flag", T_FLAG },
	{ "notify:confirm", T_BOOL }, { "notify:changes", T_BOOL },
	{ "notify:remind", T_DURS }, { "notify:channels", T_CHANNELS },
	{ "mail:sendmail", T_STR }, { "mail:args", T_STR },
	{ "report:late", T_DUR }, { "report:lapse", T_DUR },
	{ "sms:command", T_STR },
	{ "invoice:number", T_NUMBER }, { "invoice:tax", T_PERCENT },
	{ "invoice:due", T_DUR },
	{ "business:tax_id", T_STR }, { "invoice:prices", T_PRICES },
	{ "invoice:note", T_STR }, { "invoice:pdf", T_STR },
	{ "review:url", T_STR }, { "review:steps", T_DURS },
	{ "review:auto", T_BOOL }, { "review:cooldown", T_DUR },
	{ "eta:window", T_STEP }, { "eta:speed", T_POSREAL },
	{ "eta:factor", T_POSREAL }, { "eta:renotify", T_DUR },
};

static const char *
channels(const char *v)
{
	char *s = xstrdup(v), *tok, *save = NULL;
	const char *why = NULL;

	for (tok = strtok_r(s, ",", &save); tok && !why;
	    tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (strcmp(tok, "email") && strcmp(tok, "sms"))
			why = "not a list of email, sms";
	}
	free(s);
	return why;
}

static const char *
badvalue(int type, const char *v, char *why, size_t len)
{
	int st[16], en[16];
	long m;
	long long pct;
	double real;

	switch (type) {
	case T_EMAIL:
		return appt_email_valid(v) ? NULL : "not an email address";
	case T_TZ:
		return appt_tz_set(v, why, len) == 0 ? NULL : why;
	case T_CUR:
		return strlen(v) == 3 && isupper((unsigned char)v[0]) &&
		    isupper((unsigned char)v[1]) &&
		    isupper((unsigned char)v[2]) ? NULL :
		    "not a currency code (EUR, USD)";
	case T_COUNTRY:
		return appt_country_known(v) ? NULL :
		    "unknown country (a code such as DE, GB, US)";
	case T_HOURS:
		return appt_parse_hours(v, st, en, 16) >= 0 ? NULL :
		    "not 'closed' or times like 09:00-12:30, 13:30-18:00";
	case T_DUR:
		return appt_parse_dur(v, &m) == 0 ? NULL :
		    "not a duration (30m, 2h, 1d, 1h30m)";
	case T_STEP:
		return appt_parse_dur(v, &m) == 0 && m > 0 ? NULL :
		    "not a duration of a minute or more (5m, 15m, 1h)";
	case T_DURS:
		return parse_durs(v, NULL, 0) >= 0 ? NULL :
		    "not a list of durations (24h, 2h)";
	case T_CHANNELS:
		return channels(v);
	case T_FLAG:
		return !strcmp(v, "warn") || !strcmp(v, "refuse") ? NULL :
		    "not warn or refuse";
	case T_BOOL:
		return parsebool(v) >= 0 ? NULL : "not yes or no";
	case T_PERCENT:
		return appt_money_parse(v, 2, &pct) == 0 && pct >= 0 &&
		    pct <= 10000 ? NULL : "not a percentage (19, 7.5)";
	case T_POSREAL:
		return appt_parse_real(v, &real) == 0 && real > 0 ? NULL :
		    "not a positive number (30, 1.3)";
	case T_PRICES:
		return !strcmp(v, "gross") || !strcmp(v, "net") ? NULL :
		    "not gross or net";
	case T_NUMBER:
		if (appt_invoice_number(v, 2026, 1, why, len) == 0)
			return NULL;
		while ((v = strchr(v, '%'))) {
			v += 1 + strspn(v + 1, "0123456789");
			if (*v == 'n')
				return "makes no number: %Y, %n or %04n, %% "
				    "and text without / only";
		}
		return "has no %n (the running number)";
	}
	return NULL;
}

int
appt_config_validate(const struct appt_config *c,
    void (*report)(void *, const char *), void *ctx)
{
	size_t i, j;
	int bad = 0;
	char *msg, buf[512];
	const char *v, *why, *colon;
	char *tz = getenv("TZ") ? xstrdup(getenv("TZ")) : NULL;

	for (i = 0; i < c->nkey; i++) {
		const char *k = c->key[i];
		int type = -1;

		colon = strchr(k, ':');
		for (j = 0; j < sizeof keys / sizeof keys[0]; j++)
			if (!strcmp(keys[j].key, k))
				type = keys[j].type;
		if (type < 0 && !strncmp(k, "hours.", 6) && colon) {
			char day[16];

			snprintf(day, sizeof day, "hours%s", colon);
			for (j = 0; j < sizeof keys / sizeof keys[0]; j++)
				if (!strcmp(keys[j].key, day))
					type = T_HOURS;
		}
		v = appt_cfg(c, k, "");
		if (type < 0)
			why = "unknown key (appt.ini(5) lists them)";
		else if (!*v)
			continue;
		else
			why = badvalue(type, v, buf, sizeof buf);
		if (why) {
			msg = xasprintf("config.ini:%ld: %s: %s", c->line[i],
			    k, why);
			report(ctx, msg);
			free(msg);
			bad++;
		}
	}
	/* appt_tz_set above may have switched zones; restore. */
	if (tz)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	free(tz);
	return bad;
}
