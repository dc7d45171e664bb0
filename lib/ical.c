/*
 * ical.c: an iCalendar file read through libical, with the checks libical
 * leaves out (DESIGN "Known traps"): it never fails on bad input but
 * inserts X-LIC-ERROR properties, which are counted here and refused; and
 * an unknown TZID silently becomes floating time, so every TZID is
 * resolved here: an IANA name, a Windows name through CLDR's table
 * (share/appt/windows-zones.txt), or a VTIMEZONE of the file, else an
 * error naming the file and line. libical does not keep line numbers:
 * the line of an event is that of its BEGIN:VEVENT, found in the text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "appt.h"

struct zone {
	char *name;
	icaltimezone *z;	/* NULL: unknown */
};

struct appt_ical {
	icalcomponent *root;	/* the VCALENDAR */
	char *label;
	char *text;		/* a copy, for the lines */
	long *evline;		/* the line of each BEGIN:VEVENT */
	size_t nev;
	struct zone *zone;
	size_t nzone;
};

/* Each line of the text starts at: the offsets into *v, the count. */
static size_t
linestarts(const char *s, long **v)
{
	size_t n = 1, i = 0;
	const char *p;

	for (p = s; (p = strchr(p, '\n')); p++)
		n++;
	*v = xcalloc(n, sizeof **v);
	(*v)[i++] = 0;
	for (p = s; (p = strchr(p, '\n')) && i < n; p++)
		(*v)[i++] = p + 1 - s;
	return n;
}

/* Does line (from s, up to its newline) equal word, in any case? */
static int
lineis(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(s, word, n))
		return 0;
	s += n;
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return *s == '\n' || !*s;
}

/*
 * The first line, from line from (1 = the first) to the end of its event
 * (to the end of the file when from is 0), that holds needle in any case:
 * its number, 0 if none does.
 */
static long
findline(const struct appt_ical *ic, long from, const char *needle)
{
	const char *p = ic->text;
	size_t n = strlen(needle);
	long line = 1;

	if (!n)
		return 0;
	for (; *p; line++) {
		const char *e = strchr(p, '\n'), *q;

		if (!e)
			e = p + strlen(p);
		if (line >= from) {
			if (from && line > from && lineis(p, "END:VEVENT"))
				return 0;
			for (q = p; q + n <= e; q++)
				if (!strncasecmp(q, needle, n))
					return line;
		}
		if (!*e)
			break;
		p = e + 1;
	}
	return 0;
}

long
appt_ical_evline(const struct appt_ical *ic, size_t k)
{
	return k < ic->nev ? ic->evline[k] : 1;
}

long
appt_ical_propline(const struct appt_ical *ic, size_t k, const char *needle)
{
	long l = findline(ic, appt_ical_evline(ic, k), needle);

	return l ? l : appt_ical_evline(ic, k);
}

const char *
appt_ical_label(const struct appt_ical *ic)
{
	return ic->label;
}

icalcomponent *
appt_ical_root(const struct appt_ical *ic)
{
	return ic->root;
}

/* The first X-LIC-ERROR of c or of a component inside it. */
static icalproperty *
firsterror(icalcomponent *c)
{
	icalproperty *p;
	icalcomponent *k;

	if ((p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY)))
		return p;
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
	    k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		if ((p = firsterror(k)))
			return p;
	return NULL;
}

/*
 * Where an error of libical's is: its message ends with the text it
 * could not read ("...: garbage"), found in the file if it can be, else
 * the line of the event it is in, else line 1.
 */
static long
errline(const struct appt_ical *ic, icalproperty *err)
{
	const char *msg = icalproperty_get_xlicerror(err), *tail;
	icalcomponent *c = icalproperty_get_parent(err), *k;
	size_t i = 0;
	long line = 0;

	if (msg && (tail = strrchr(msg, ':')) && tail[1] == ' ' && tail[2])
		line = findline(ic, 0, tail + 2);
	if (line)
		return line;
	for (k = icalcomponent_get_first_component(ic->root,
	    ICAL_VEVENT_COMPONENT); k; k = icalcomponent_get_next_component(
	    ic->root, ICAL_VEVENT_COMPONENT), i++)
		if (k == c)
			return appt_ical_evline(ic, i);
	return 1;
}

/* A message of libical's on one line, the word before its colon kept. */
static void
oneline(char *s)
{
	for (; *s; s++)
		if (*s == '\r' || *s == '\n' || *s == '\t')
			*s = ' ';
}

struct appt_ical *
appt_ical_read(const char *text, size_t len, const char *label, char **err)
{
	struct appt_ical *ic;
	icalcomponent *root;
	icalproperty *e;
	long *ls, bad;
	size_t nl, i;
	int nerr;

	*err = NULL;
	if (memchr(text, '\0', len)) {
		*err = xasprintf("%s: a NUL byte: not an iCalendar file",
		    label);
		return NULL;
	}
	if ((bad = appt_utf8_badline(text, len))) {
		*err = xasprintf("%s:%ld: not UTF-8", label, bad);
		return NULL;
	}
	icalerror_set_errors_are_fatal(0);
	root = icalparser_parse_string(text);
	icalerror_clear_errno();
	if (!root || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
		if (root && icalcomponent_isa(root) == ICAL_XROOT_COMPONENT)
			*err = xasprintf("%s: more than one VCALENDAR", label);
		else
			*err = xasprintf("%s: not an iCalendar file (no "
			    "BEGIN:VCALENDAR ... END:VCALENDAR)", label);
		if (root)
			icalcomponent_free(root);
		return NULL;
	}
	ic = xcalloc(1, sizeof *ic);
	ic->root = root;
	ic->label = xstrdup(label);
	ic->text = xstrndup(text, len);
	nl = linestarts(ic->text, &ls);
	ic->evline = xcalloc(nl, sizeof *ic->evline);
	for (i = 0; i < nl; i++)
		if (lineis(ic->text + ls[i], "BEGIN:VEVENT"))
			ic->evline[ic->nev++] = (long)i + 1;
	free(ls);
	if ((nerr = icalcomponent_count_errors(root)) > 0) {
		char *msg;

		e = firsterror(root);
		msg = xstrdup(e ? icalproperty_get_xlicerror(e) : "?");
		oneline(msg);
		*err = xasprintf("%s:%ld: %s (%d error%s in the file)", label,
		    e ? errline(ic, e) : 1, msg, nerr, nerr > 1 ? "s" : "");
		free(msg);
		appt_ical_free(ic);
		return NULL;
	}
	return ic;
}

void
appt_ical_free(struct appt_ical *ic)
{
	size_t i;

	if (!ic)
		return;
	icalcomponent_free(ic->root);
	for (i = 0; i < ic->nzone; i++)
		free(ic->zone[i].name);
	free(ic->zone);
	free(ic->evline);
	free(ic->text);
	free(ic->label);
	free(ic);
}

/*
 * The IANA zone of a Windows zone name (CLDR's windowsZones.xml, as
 * share/appt/windows-zones.txt has it) into out: 0, or -1 if unknown.
 */
int
appt_windows_zone(const char *name, char *out, size_t n)
{
	char *path = appt_sharepath("windows-zones.txt"), *text, *p, *tab;
	int found = -1;

	text = appt_slurp(path, NULL);
	free(path);
	for (p = text; p && *p && found < 0; ) {
		char *e = strchr(p, '\n');

		if (e)
			*e = '\0';
		if (*p != '#' && (tab = strchr(p, '\t'))) {
			*tab = '\0';
			if (!strcasecmp(p, name) && strlen(tab + 1) < n) {
				strcpy(out, tab + 1);
				found = 0;
			}
		}
		if (!e)
			break;
		p = e + 1;
	}
	free(text);
	return found;
}

/* An IANA zone that libical knows from the system's zone files. */
static icaltimezone *
iana(const char *name)
{
	if (!*name || strstr(name, ".."))
		return NULL;
	if (!strcasecmp(name, "UTC") || !strcasecmp(name, "GMT") ||
	    !strcasecmp(name, "Z"))
		return icaltimezone_get_utc_timezone();
	return icaltimezone_get_builtin_timezone(name);
}

/*
 * The zone of a TZID: an IANA name (a prefix such as libical's own
 * "/freeassociation.sourceforge.net/" dropped), a Windows name, or a
 * VTIMEZONE of the file. Looked up once per name.
 */
icaltimezone *
appt_ical_zone(struct appt_ical *ic, const char *tzid)
{
	icaltimezone *z = NULL;
	const char *p;
	char win[128];
	size_t i;

	for (i = 0; i < ic->nzone; i++)
		if (!strcmp(ic->zone[i].name, tzid))
			return ic->zone[i].z;
	if (!(z = iana(tzid)) && *tzid == '/')
		for (p = tzid + 1; !z && (p = strchr(p, '/')); p++)
			z = iana(p + 1);
	if (!z && appt_windows_zone(tzid, win, sizeof win) == 0)
		z = iana(win);
	if (!z)
		z = icalcomponent_get_timezone(ic->root, tzid);
	ic->zone = xreallocarray(ic->zone, ic->nzone + 1, sizeof *ic->zone);
	ic->zone[ic->nzone].name = xstrdup(tzid);
	ic->zone[ic->nzone++].z = z;
	return z;
}

/*
 * A property's time as an instant: a date is the local (business) day's
 * start, floating time the business's zone, UTC as it is, else the zone
 * of its TZID, which must be known: 0, or -1 with *err naming the line.
 */
int
appt_ical_time(struct appt_ical *ic, size_t ev, icalproperty *prop,
    const struct icaltimetype *t, time_t *out, icaltimezone **zone,
    char **err)
{
	icalparameter *par;
	const char *tzid;
	icaltimezone *z = NULL;

	*err = NULL;
	if (zone)
		*zone = NULL;
	if (!(par = icalproperty_get_first_parameter(prop,
	    ICAL_TZID_PARAMETER)) || t->is_date || icaltime_is_utc(*t)) {
		*out = appt_ical_wall(t, NULL);
		return 0;
	}
	tzid = icalparameter_get_tzid(par);
	if (!tzid || !(z = appt_ical_zone(ic, tzid))) {
		char needle[300];

		snprintf(needle, sizeof needle, "TZID=%s", tzid ? tzid : "");
		*err = xasprintf("%s:%ld: unknown time zone '%s' (TZID)",
		    ic->label, appt_ical_propline(ic, ev, needle),
		    tzid ? tzid : "");
		return -1;
	}
	if (zone)
		*zone = z;
	*out = appt_ical_wall(t, z);
	return 0;
}

/* A wall time of zone z (NULL: a date, UTC, or floating) as an instant. */
time_t
appt_ical_wall(const struct icaltimetype *t, icaltimezone *zone)
{
	struct tm tm;

	if (t->is_date)
		return appt_day_start(t->year, t->month, t->day);
	if (icaltime_is_utc(*t))
		return icaltime_as_timet(*t);
	if (zone)
		return icaltime_as_timet_with_zone(*t, zone);
	/* Floating: the business's zone, the process's. */
	memset(&tm, 0, sizeof tm);
	tm.tm_year = t->year - 1900;
	tm.tm_mon = t->month - 1;
	tm.tm_mday = t->day;
	tm.tm_hour = t->hour;
	tm.tm_min = t->minute;
	tm.tm_sec = t->second;
	tm.tm_isdst = -1;
	return mktime(&tm);
}
