/*
 * iCalendar (busy calendars, import): read through libical and checked
 * (ical.c), every event made ready and expanded over a window (busy.c)
 * with the cap on occurrences. A refusal names the input and a line, on
 * one line; what is accepted expands in bounded time, within the window.
 */
#include "fuzz.h"

struct span {
	time_t from, to;
	long n;
};

static int
blocked(void *ctx, time_t a, time_t b, const char *staff)
{
	struct span *s = ctx;

	must(a < s->to && b > s->from, "%lld-%lld outside the window",
	    (long long)a, (long long)b);
	must(staff && !strcmp(staff, "sam"), "staff %s", staff ? staff : "");
	s->n++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct appt_busy *bu;
	struct span s;
	char *text, *err = NULL;

	if (n > 1 << 16)
		return 0;
	if (!getenv("APPT_SHARE"))
		setenv("APPT_SHARE", "share/appt", 1);
	fuzz_tz();
	text = xmalloc(n + 1);
	memcpy(text, d, n);
	text[n] = '\0';
	bu = appt_busy_new();
	if (appt_busy_add(bu, text, n, "in.ics", "sam", &err) < 0) {
		must(err && !strncmp(err, "in.ics", 6), "error %s",
		    err ? err : "(none)");
		must(!strchr(err, '\n') && !strchr(err, '\r'), "a line break "
		    "in %s", err);
		free(err);
	} else {
		must(!err, "accepted, with error %s", err);
		/* A week around APPT_NOW of the tests, and five years on. */
		s.from = 1795417200;
		s.to = s.from + 7 * 86400;
		s.n = 0;
		appt_busy_each(bu, s.from, s.to, blocked, &s);
		s.from += 5 * 365 * 86400L;
		s.to = s.from + 86400;
		appt_busy_each(bu, s.from, s.to, blocked, &s);
	}
	appt_busy_close(bu);
	free(text);
	return 0;
}
