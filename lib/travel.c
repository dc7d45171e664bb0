/*
 * travel.c: how long a field worker drives from one place to the next.
 * A place is a postcode and a latitude and longitude, any of them
 * unknown. travel.csv (from,to,minutes by postcode, either direction)
 * wins; else the great-circle distance times [eta] factor at [eta]
 * speed; else a default, which the caller flags. No network: the
 * coordinates come from the user's files.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

#define EARTH_KM 6371.0088	/* mean radius (IUGG) */

struct leg {
	char *from, *to;	/* postcodes, normalised */
	long minutes;
};

struct appt_travel {
	struct leg *v;
	size_t n;
	double speed, factor;
};

int
appt_parse_coord(const char *s, int islat, double *out)
{
	double v;

	if (appt_parse_real(s, &v) < 0 || v < (islat ? -90 : -180) ||
	    v > (islat ? 90 : 180))
		return -1;
	*out = v;
	return 0;
}

const char *
appt_coord_why(int islat)
{
	return islat ? "not a latitude (a decimal from -90 to 90)" :
	    "not a longitude (a decimal from -180 to 180)";
}

double
appt_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double r = M_PI / 180, dlat = (lat2 - lat1) * r,
	    dlon = (lon2 - lon1) * r, a;

	a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) *
	    sin(dlon / 2) * sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * EARTH_KM * asin(sqrt(a));
}

/* A postcode as compared: upper case, no blanks. malloc'd. */
static char *
normpc(const char *s)
{
	char *n = xmalloc(strlen(s) + 1), *q = n;

	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			*q++ = (char)toupper((unsigned char)*s);
	*q = '\0';
	return n;
}

/* A positive decimal number of [eta]; exit 3 naming the line if not. */
static double
cfgnum(const struct appt_store *s, const char *key, const char *def)
{
	const char *v = appt_cfg(&s->cfg, key, def);
	double d;

	if (appt_parse_real(v, &d) < 0 || d <= 0)
		appt_die(APPT_EDATA, "config.ini:%ld: %s: not a positive "
		    "number", appt_cfg_line(&s->cfg, key), key);
	return d;
}

struct appt_travel *
appt_travel_open(const struct appt_store *s)
{
	struct appt_travel *tr = xcalloc(1, sizeof *tr);
	struct appt_table t;
	struct appt_row *r;
	const char *from, *to, *m;
	char *path, *err;
	long min;
	size_t i;

	tr->speed = cfgnum(s, "eta:speed", "30");
	tr->factor = cfgnum(s, "eta:factor", "1.3");
	path = appt_path(s, "travel.csv");
	if (appt_table_read(&t, path, "travel.csv",
	    appt_schema_cols("travel.csv"), 0, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	free(path);
	tr->v = xcalloc(t.nrow + 1, sizeof *tr->v);
	for (i = 0; i < t.nrow; i++) {
		r = &t.row[i];
		from = appt_get(&t, r, "from");
		to = appt_get(&t, r, "to");
		m = appt_get(&t, r, "minutes");
		if (!*from || !*to)
			appt_die(APPT_EDATA, "travel.csv:%ld: %s: empty",
			    r->line, *from ? "to" : "from");
		if (appt_parse_dur(m, &min) < 0)
			appt_die(APPT_EDATA, "travel.csv:%ld: minutes '%s': "
			    "not a duration (25, 25m, 1h10m)", r->line, m);
		tr->v[tr->n].from = normpc(from);
		tr->v[tr->n].to = normpc(to);
		tr->v[tr->n++].minutes = min;
	}
	appt_table_free(&t);
	return tr;
}

void
appt_travel_close(struct appt_travel *tr)
{
	size_t i;

	if (!tr)
		return;
	for (i = 0; i < tr->n; i++) {
		free(tr->v[i].from);
		free(tr->v[i].to);
	}
	free(tr->v);
	free(tr);
}

/* travel.csv's minutes from a to b, or b to a: 0, or -1 if none. */
static int
lookup(const struct appt_travel *tr, const char *a, const char *b,
    long *min)
{
	char *x, *y;
	size_t i;
	int found = -1;

	if (appt_empty(a) || appt_empty(b))
		return -1;
	x = normpc(a);
	y = normpc(b);
	for (i = 0; i < tr->n && found < 0; i++)
		if (!strcmp(tr->v[i].from, x) && !strcmp(tr->v[i].to, y))
			found = (int)i;
	for (i = 0; i < tr->n && found < 0; i++)
		if (!strcmp(tr->v[i].from, y) && !strcmp(tr->v[i].to, x))
			found = (int)i;
	free(x);
	free(y);
	if (found < 0)
		return -1;
	*min = tr->v[found].minutes;
	return 0;
}

int
appt_travel_time(const struct appt_travel *tr, const struct appt_place *a,
    const struct appt_place *b, double *minutes)
{
	long m;

	if (lookup(tr, a->postcode, b->postcode, &m) == 0) {
		*minutes = (double)m;
		return APPT_TRAVEL_TABLE;
	}
	if (a->located && b->located) {
		*minutes = appt_distance_km(a->lat, a->lon, b->lat, b->lon) *
		    tr->factor / tr->speed * 60;
		return APPT_TRAVEL_DISTANCE;
	}
	*minutes = APPT_TRAVEL_DEFAULT_MIN;
	return APPT_TRAVEL_DEFAULT;
}

int
appt_parse_real(const char *s, double *out)
{
	const char *p;
	char *end;
	int digits = 0;

	if (appt_empty(s))
		return -1;
	/* Digits, one point, a sign first: no hex, exponent, inf or nan. */
	for (p = s; *p; p++)
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!(*p == '.' || (p == s && (*p == '-' ||
		    *p == '+'))))
			return -1;
	if (!digits || strchr(s, '.') != strrchr(s, '.'))
		return -1;
	*out = strtod(s, &end);
	return *end ? -1 : 0;
}
