/*
 * config.ini: load (the syntax scan, then iniparser) and validate; every
 * problem names config.ini:LINE. Then every value through the getters
 * that return errors, and the working plans of every day.
 * (appt_cfg_dur and appt_cfg_bool exit on a bad value: not called here;
 * validation has checked the same values with the same parsers.)
 */
#include "fuzz.h"

static void
report(void *ctx, const char *msg)
{
	int *n = ctx;

	must(!strncmp(msg, "config.ini:", 11), "problem %s", msg);
	must(!strchr(msg, '\n') && !strchr(msg, '\r'), "a line break in "
	    "%s", msg);
	(*n)++;
}

static void
plan(const struct appt_config *c, const char *staff)
{
	int st[16], en[16], n, i, wd;

	for (wd = 0; wd < 7; wd++) {
		n = appt_staff_hours(c, staff, wd, st, en, 16);
		must(n >= 0 && n <= 16, "%d intervals", n);
		for (i = 0; i < n; i++)
			must(st[i] >= 0 && st[i] < en[i] && en[i] <= 1440 &&
			    (!i || st[i] >= en[i - 1]), "interval %d: %d-%d",
			    i, st[i], en[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct appt_config c;
	char *path, *err = NULL;
	const char *tz = getenv("TZ");
	size_t i;
	int problems = 0;

	if (n > 1 << 16)
		return 0;
	fuzz_write("config.ini", d, n);
	path = fuzz_path("config.ini");
	if (appt_config_load(&c, path, &err) < 0) {
		must(err && !strncmp(err, "config.ini", 10), "load error %s",
		    err ? err : "(none)");
		free(err);
		appt_config_free(&c);
		free(path);
		return 0;
	}
	must(!err, "loaded, with error %s", err);
	appt_config_validate(&c, report, &problems);
	must(!strcmp(getenv("TZ") ? getenv("TZ") : "", tz ? tz : ""),
	    "validation left TZ=%s", getenv("TZ"));
	for (i = 0; i < c.nkey; i++) {
		must(c.line[i] >= 1, "key %s at line %ld", c.key[i],
		    c.line[i]);
		must(appt_cfg_line(&c, c.key[i]) == c.line[i], "line of %s",
		    c.key[i]);
		(void)appt_cfg(&c, c.key[i], NULL);
		if (!strncmp(c.key[i], "hours.", 6)) {
			char *staff = xstrdup(c.key[i] + 6);

			*strchr(staff, ':') = '\0';
			plan(&c, staff);
			free(staff);
		}
	}
	plan(&c, NULL);
	plan(&c, "sam");
	appt_config_free(&c);
	free(path);
	return 0;
}
