/*
 * appt-web: the booking page, a CGI program (RFC 3875) as cgit is: one
 * binary behind any web server, over the data directory and the library
 * of the commands. Customers book themselves, and cancel or move their
 * appointment from the link in their confirmation.
 *
 *   GET  /                 the services offered ([web] services)
 *   GET  /SERVICE?from=D   a week of free times (appt_avail_slots)
 *   GET  /SERVICE?start=T  the form for one time
 *   POST /book             a booking, decided by book.c under the lock
 *   GET  /m/ID/TOKEN       the customer's own appointment
 *   POST /m/ID/TOKEN       action=cancel, or action=move with start
 *
 * It faces the internet. The request is parsed strictly with caps
 * (cgi.c) before anything else; every value on a page is escaped
 * (html.c); changes are POST only, counted per client address
 * ([web] limit, weblimit.c) and decided under the lock by the code of
 * appt-book, appt-status and appt-move (book.c, change.c). A manage link
 * carries an HMAC of the appointment (webkey.c), compared in constant
 * time. No page shows a customer's data: not even the customer's own
 * page shows more than the appointment, since whoever books with a
 * returning customer's email gets that page too.
 *
 * The words of the pages come from share/appt/web/strings.txt, and the
 * look from style.css there; the data directory's web/ overrides both.
 *
 * A library call that exits (bad data, a busy lock) leaves the response
 * to an exit handler: 503 while the lock was being waited for, else 500.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "appt.h"

static const char *synopsis = "appt-web [-hV] [-d DIR]";

#define NEXTMAX 8		/* the next free times a 409 offers */
#define NOTEMAX 1000
#define NAMEMAX 200

/* A growing vector of malloc'd strings. */
struct appt_strv_ {
	char **v;
	size_t n;
};

static char *
keep(struct appt_strv_ *sv, char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof *sv->v);
	return sv->v[sv->n++] = s;
}

/* A response: status, body, and what the headers say besides. */
struct page {
	int status;
	struct appt_buf body;
	char *location;		/* of a 303 */
	const char *allow;	/* of a 405 */
};

struct web {
	struct appt_store s;
	int open;
	struct appt_cgi req;
	const char *base;	/* SCRIPT_NAME, "" if none or odd */
	const char *addr;	/* REMOTE_ADDR */
	time_t now;
	struct page pg;
	char *css;
	char csp[256];
	struct appt_strv_ texts;	/* key, text, key, text ... */
	struct appt_strv_ pool;		/* what tstr made, freed at the end */
};

/*
 * For the exit handler alone: what a library call that exits leaves
 * behind. Phases: nothing sent yet, waiting for the lock, sent.
 */
enum { PH_WORK, PH_LOCK, PH_SENT };
static int phase = PH_WORK;
static int headonly;

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* The headers every response has: no script, no referrer, no sniffing. */
static void
headers(int status, const char *csp)
{
	printf("Status: %d %s\r\n", status, reason(status));
	printf("Content-Type: text/html; charset=utf-8\r\n");
	printf("Content-Security-Policy: %s\r\n", csp);
	printf("Referrer-Policy: no-referrer\r\n");
	printf("X-Content-Type-Options: nosniff\r\n");
	printf("X-Frame-Options: DENY\r\n");
	printf("Cache-Control: no-store\r\n");
}

static const char *bare_csp = "default-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

/* A library call exited before a response: say so to the client. */
static void
onexit(void)
{
	int st = phase == PH_LOCK ? 503 : 500;

	if (phase == PH_SENT)
		return;
	phase = PH_SENT;
	headers(st, bare_csp);
	if (st == 503)
		printf("Retry-After: 5\r\n");
	printf("\r\n");
	if (!headonly)
		printf("<!doctype html><html lang=\"en\"><meta charset=\"utf-8"
		    "\"><title>%s</title><p>%s</p></html>\n", reason(st),
		    st == 503 ? "We are busy right now. Please try again in "
		    "a moment." : "Something went wrong on our side. Please "
		    "try again later, or call us.");
	fflush(stdout);
}

/* ---- the page around the content ---- */

/* The style: the data directory's web/style.css, else share/appt/web. */
static void
loadcss(struct web *w)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char *path = appt_path(&w->s, "web/style.css"), b64[64];

	if (!(w->css = appt_slurp(path, NULL))) {
		free(path);
		path = appt_sharepath("web/style.css");
		w->css = appt_slurp(path, NULL);
	}
	free(path);
	if (!w->css)
		w->css = xstrdup("body{font-family:sans-serif}");
	/* Inline, allowed by its hash: no other style or script runs. */
	if (sodium_init() < 0)
		appt_die(APPT_EFAIL, "libsodium: cannot initialise");
	crypto_hash_sha256(h, (const unsigned char *)w->css, strlen(w->css));
	sodium_bin2base64(b64, sizeof b64, h, sizeof h,
	    sodium_base64_VARIANT_ORIGINAL);
	snprintf(w->csp, sizeof w->csp, "default-src 'none'; style-src "
	    "'sha256-%s'; img-src 'self' data:; base-uri 'none'; "
	    "form-action 'self'; frame-ancestors 'none'", b64);
}

/*
 * The page's words: share/appt/web/strings.txt, then web/strings.txt of
 * the data directory, whose lines win. "key = text" a line.
 */
static void
textload(struct web *w, const char *path)
{
	char *t = appt_slurp(path, NULL), *line, *save = NULL, *eq, *k, *v;
	size_t n;

	if (!t)
		return;
	for (line = strtok_r(t, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		if (*line == '#' || !(eq = strchr(line, '=')))
			continue;
		for (n = (size_t)(eq - line); n && line[n - 1] == ' '; n--)
			;
		k = xstrndup(line, n);
		for (v = eq + 1; *v == ' '; v++)
			;
		n = strlen(v);
		while (n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
			n--;
		keep(&w->texts, k);
		keep(&w->texts, xstrndup(v, n));
	}
	free(t);
}

static void
texts(struct web *w)
{
	char *path = appt_sharepath("web/strings.txt");

	textload(w, path);
	free(path);
	path = appt_path(&w->s, "web/strings.txt");
	textload(w, path);
	free(path);
}

/* The text of key: borrowed; the key itself when there is none. */
static const char *
T(const struct web *w, const char *key)
{
	size_t i;

	for (i = w->texts.n; i >= 2; i -= 2)
		if (!strcmp(w->texts.v[i - 2], key))
			return w->texts.v[i - 1];
	return key;
}

/*
 * The text of key with its {name}s filled from the NULL-ended pairs of
 * names and values that follow: plain text, kept until the end (the
 * page escapes it).
 */
static const char *
tstr(struct web *w, const char *key, ...)
{
	struct appt_buf b = { 0 };
	const char *p = T(w, key), *e, *name, *val;
	va_list ap;
	size_t n;

	appt_buf_add(&b, "", 0);
	for (; *p; p++) {
		if (*p != '{' || !(e = strchr(p, '}'))) {
			appt_buf_addc(&b, *p);
			continue;
		}
		n = (size_t)(e - p - 1);
		va_start(ap, key);
		while ((name = va_arg(ap, const char *))) {
			val = va_arg(ap, const char *);
			if (strlen(name) == n && !strncmp(name, p + 1, n))
				break;
		}
		va_end(ap);
		if (name) {
			appt_buf_adds(&b, val);
			p = e;
		} else
			appt_buf_addc(&b, *p);
	}
	return keep(&w->pool, b.s);
}

/* The n-th (from 0) word of the text of key. */
static const char *
tword(struct web *w, const char *key, int n)
{
	const char *p = T(w, key);
	size_t k;

	for (;;) {
		p += strspn(p, " ");
		k = strcspn(p, " ");
		if (!n-- || !*p)
			return keep(&w->pool, xstrndup(p, k));
		p += k;
	}
}

static const char *
business(const struct web *w)
{
	return appt_cfg(&w->s.cfg, "business:name", "Booking");
}

static void
begin(struct web *w, int status, const char *title)
{
	struct appt_buf *b = &w->pg.body;
	const char *site = appt_cfg(&w->s.cfg, "web:title", business(w));

	w->pg.status = status;
	b->len = 0;
	appt_buf_add(b, "", 0);
	appt_html(b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"referrer\" "
	    "content=\"no-referrer\">\n<title>%s · %s</title>\n",
	    T(w, "lang"), title, site);
	appt_buf_adds(b, "<style>");
	appt_buf_adds(b, w->css);
	appt_buf_adds(b, "</style>\n</head>\n<body>\n");
	appt_html(b, "<header class=\"top\"><div class=\"wrap\">"
	    "<a class=\"brand\" href=\"%s/\">%s</a></div></header>\n"
	    "<main class=\"wrap\">\n", w->base, site);
}

static void
end(struct web *w)
{
	struct appt_buf *b = &w->pg.body;
	const char *addr = appt_cfg(&w->s.cfg, "business:address", "");
	const char *phone = appt_cfg(&w->s.cfg, "business:phone", "");

	appt_html(b, "</main>\n<footer class=\"wrap\"><p><strong>%s</strong>",
	    business(w));
	if (*addr)
		appt_html(b, "<br>%s", addr);
	if (*phone)
		appt_html(b, "<br>%s <a href=\"tel:%U\">%s</a>",
		    T(w, "phone"), phone, phone);
	appt_buf_adds(b, "</p></footer>\n</body>\n</html>\n");
}

/* A page that says one thing: an error, or a refusal. */
static void
message(struct web *w, int status, const char *title, const char *text)
{
	begin(w, status, title);
	appt_html(&w->pg.body, "<h1>%s</h1>\n<p>%s</p>\n<p><a class=\"btn "
	    "secondary\" href=\"%s/\">%s</a></p>\n", title, text, w->base,
	    T(w, "services.all"));
	end(w);
}

/* "please call us", and nothing else. */
static void
callus(struct web *w, int status, const char *title)
{
	const char *phone = appt_cfg(&w->s.cfg, "business:phone", "");

	begin(w, status, title);
	appt_html(&w->pg.body, "<h1>%s</h1>\n", title);
	if (*phone)
		appt_html(&w->pg.body, "<p><a href=\"tel:%U\">%s</a></p>\n",
		    phone, tstr(w, "call.phone", "phone", phone, NULL));
	else
		appt_html(&w->pg.body, "<p>%s</p>\n", T(w, "call.nophone"));
	end(w);
}

static void
respond(struct web *w)
{
	phase = PH_SENT;
	headers(w->pg.status, w->css ? w->csp : bare_csp);
	if (w->pg.status == 303)
		printf("Location: %s\r\n", w->pg.location);
	if (w->pg.allow)
		printf("Allow: %s\r\n", w->pg.allow);
	if (w->pg.status == 429)
		printf("Retry-After: 3600\r\n");
	printf("Content-Length: %zu\r\n\r\n", w->pg.body.len);
	if (!headonly && w->pg.body.len)
		fwrite(w->pg.body.s, 1, w->pg.body.len, stdout);
}

/* ---- times ---- */

/* "Tuesday 24 November" and the like, in the page's words. */
static const char *
fmtday(struct web *w, time_t t)
{
	struct tm tm;
	char d[8];

	localtime_r(&t, &tm);
	snprintf(d, sizeof d, "%d", tm.tm_mday);
	return tstr(w, "day", "weekday", tword(w, "weekdays", tm.tm_wday),
	    "day", d, "month", tword(w, "months", tm.tm_mon), NULL);
}

static char *
fmthm(time_t t, char *buf, size_t n)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, n, "%H:%M", &tm);
	return buf;
}

static char *
fmtdate(time_t t, char *buf, size_t n)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
	return buf;
}

/* "45 min", "1 h 30 min". */
static const char *
fmtdur(struct web *w, long m)
{
	if (m >= 60 && m % 60)
		return keep(&w->pool, xasprintf("%ld %s %ld %s", m / 60,
		    T(w, "h"), m % 60, T(w, "min")));
	if (m >= 60)
		return keep(&w->pool, xasprintf("%ld %s", m / 60, T(w, "h")));
	return keep(&w->pool, xasprintf("%ld %s", m, T(w, "min")));
}

/* A date of a query, YYYY-MM-DD: its midnight, or -1. */
static time_t
parsedate(const char *s)
{
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    strspn(s, "0123456789-") != 10 ||
	    sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    !appt_valid_date(y, m, d))
		return -1;
	return appt_day_start(y, m, d);
}

static time_t
midnight(time_t t)
{
	int y, m, d;

	appt_local(t, &y, &m, &d, NULL, NULL);
	return appt_day_start(y, m, d);
}

static time_t
adddays(time_t t, int n)
{
	int y, m, d;

	appt_local(t, &y, &m, &d, NULL, NULL);
	appt_adddays(&y, &m, &d, n);
	return appt_day_start(y, m, d);
}

/* Free starts, each once (the first staff member free then). */
struct starts {
	time_t *v;
	size_t n, max;
};

static int
addstart(void *ctx, time_t start, time_t end, const char *staff)
{
	struct starts *st = ctx;

	(void)end;
	(void)staff;
	if (st->n && st->v[st->n - 1] == start)
		return 0;
	st->v = xreallocarray(st->v, st->n + 1, sizeof *st->v);
	st->v[st->n++] = start;
	return st->max && st->n >= st->max;
}

/* ---- the services ---- */

/* Is the service offered here: [web] services, or every one. */
static int
offered(const struct web *w, const struct appt_service *svc)
{
	const char *list = appt_cfg(&w->s.cfg, "web:services", "");

	return !*list || appt_word_in(list, ", ", appt_service_id(svc), 1);
}

static const struct appt_service *
findsvc(const struct web *w, const struct appt_catalog *cat, const char *id)
{
	const struct appt_service *svc;
	size_t i;

	/* By id alone, as the links give it. */
	for (i = 0; id && i < appt_service_count(cat); i++) {
		svc = appt_service_at(cat, i);
		if (!strcmp(appt_service_id(svc), id))
			return offered(w, svc) ? svc : NULL;
	}
	return NULL;
}

/* "45 min · 45.00 EUR" of a service. */
static void
facts(struct web *w, const struct appt_service *svc)
{
	char price[32], why[256];
	long dur;

	appt_service_times(svc, &dur, NULL, NULL);
	appt_html(&w->pg.body, "<span>%s</span>", fmtdur(w, dur));
	if (appt_service_price(svc, w->s.digits, price, why, sizeof why) == 0 &&
	    *price) {
		if (!price[strspn(price, "0.")])
			appt_html(&w->pg.body, " · <span>%s</span>",
			    T(w, "free"));
		else
			appt_html(&w->pg.body, " · <span>%s %s</span>", price,
			    appt_cfg(&w->s.cfg, "business:currency", ""));
	}
}

static void
services(struct web *w)
{
	struct appt_catalog *cat = appt_catalog_open(&w->s);
	struct appt_buf *b = &w->pg.body;
	const struct appt_service *svc;
	const char *desc;
	size_t i, n = 0;

	begin(w, 200, T(w, "services.title"));
	appt_html(b, "<h1>%s</h1>\n<p class=\"muted\">%s</p>\n",
	    T(w, "services.title"), T(w, "services.intro"));
	for (i = 0; i < appt_service_count(cat); i++) {
		svc = appt_service_at(cat, i);
		if (!offered(w, svc))
			continue;
		n++;
		appt_html(b, "<section class=\"card svc\"><div><h2>%s</h2>"
		    "<p class=\"muted\">", appt_service_name(svc));
		facts(w, svc);
		appt_buf_adds(b, "</p>");
		if (*(desc = appt_service_get(svc, "description")))
			appt_html(b, "<p>%s</p>", desc);
		appt_html(b, "</div><a class=\"btn\" href=\"%s/%U\" "
		    "aria-label=\"%s: %s\">%s</a></section>\n", w->base,
		    appt_service_id(svc), T(w, "services.choose"),
		    appt_service_name(svc), T(w, "services.choose"));
	}
	if (!n)
		appt_html(b, "<p>%s</p>\n", T(w, "services.none"));
	end(w);
	appt_catalog_close(cat);
}

/* ---- a week of free times ---- */

/*
 * The times of starts as links to the form (or buttons of a move form
 * when move is set), grouped by day.
 */
static void
timelist(struct web *w, const struct appt_service *svc,
    const struct starts *st, int move)
{
	struct appt_buf *b = &w->pg.body;
	char hm[16], iso[APPT_TIMELEN];
	time_t d = -1;
	size_t i;

	for (i = 0; i < st->n; i++) {
		if (midnight(st->v[i]) != d) {
			if (d != -1)
				appt_buf_adds(b, "</div>\n");
			d = midnight(st->v[i]);
			appt_html(b, "<h2>%s</h2>\n<div class=\"times\">",
			    fmtday(w, st->v[i]));
		}
		appt_fmt_time(st->v[i], iso);
		fmthm(st->v[i], hm, sizeof hm);
		if (move)
			appt_html(b, "<button class=\"slot\" name=\"start\" "
			    "value=\"%s\">%s</button>", iso, hm);
		else
			appt_html(b, "<a class=\"slot\" href=\"%s/%U?start=%U\">"
			    "%s</a>", w->base, appt_service_id(svc), iso, hm);
	}
	if (d != -1)
		appt_buf_adds(b, "</div>\n");
}

/* The links to the weeks before and after [from, to). */
static void
weeknav(struct web *w, time_t from, time_t to, time_t today,
    const char *link)
{
	struct appt_buf *b = &w->pg.body;
	long horizon = appt_cfg_dur(&w->s.cfg, "booking:horizon", "90d");
	char q[16];

	appt_buf_adds(b, "<nav class=\"weeks\" aria-label=\"Weeks\">");
	if (from > today)
		appt_html(b, "<a class=\"btn secondary\" href=\"%s?from=%U\">"
		    "%s</a>", link, fmtdate(adddays(from, -7) < today ? today :
		    adddays(from, -7), q, sizeof q), T(w, "week.earlier"));
	else
		appt_buf_adds(b, "<span></span>");
	if (to < w->now + horizon * 60)
		appt_html(b, "<a class=\"btn secondary\" href=\"%s?from=%U\">"
		    "%s</a>", link, fmtdate(to, q, sizeof q),
		    T(w, "week.later"));
	appt_buf_adds(b, "</nav>\n");
}

/*
 * A week of svc's free times from the day of from (with staff, NULL for
 * anyone), with links to the weeks around it and the next free day when
 * it has none. link is the page the week links go to.
 */
static void
week(struct web *w, const struct appt_service *svc, const char *staff,
    time_t from, const char *link, int move)
{
	struct appt_catalog *cat = appt_catalog_open(&w->s);
	struct appt_months *ms = appt_months_open(&w->s);
	struct appt_avail *av = appt_avail_open(&w->s, cat, ms, w->now);
	struct appt_buf *b = &w->pg.body;
	struct starts st = { 0 };
	char q[16];
	time_t today = midnight(w->now), to, next;
	const char *who;

	from = midnight(from);
	if (from < today)
		from = today;
	to = adddays(from, 7);
	appt_avail_slots(av, svc, staff, from, to, addstart, &st);
	appt_html(b, "<p class=\"muted\">%s – %s</p>\n", fmtday(w, from),
	    fmtday(w, adddays(to, -1)));
	weeknav(w, from, to, today, link);
	if (st.n) {
		timelist(w, svc, &st, move);
		if (st.n > 12)
			weeknav(w, from, to, today, link);
	} else if (appt_avail_first(av, svc, staff, to, &next, &who) == 0)
		appt_html(b, "<div class=\"card\"><p>%s</p><p><strong>%s</strong>"
		    "</p><p><a class=\"btn\" href=\"%s?from=%U\">%s</a></p>"
		    "</div>\n", T(w, "week.full"), tstr(w, "week.next", "day",
		    fmtday(w, next), NULL), link, fmtdate(next, q, sizeof q),
		    tstr(w, "week.see", "day", fmtday(w, next), NULL));
	else
		appt_html(b, "<div class=\"card\"><p>%s</p></div>\n",
		    T(w, "week.nothing"));
	free(st.v);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
}

/* ---- the form ---- */

struct form {
	const char *service, *start, *staff, *name, *email, *phone, *note;
};

static void
form(struct web *w, int status, const struct appt_service *svc,
    time_t start, const struct form *f, const char *problem)
{
	struct appt_buf *b = &w->pg.body;
	char day[64], hm[16], iso[APPT_TIMELEN];

	begin(w, status, T(w, "form.title"));
	appt_html(b, "<p><a href=\"%s/%U?from=%U\">%s</a></p>\n<h1>%s</h1>\n",
	    w->base, appt_service_id(svc), fmtdate(start, day, sizeof day),
	    T(w, "form.other"), T(w, "form.title"));
	appt_html(b, "<div class=\"card summary\"><strong>%s</strong><br>"
	    "%s, %s<br><span class=\"muted\">", appt_service_name(svc),
	    fmtday(w, start), fmthm(start, hm, sizeof hm));
	facts(w, svc);
	appt_buf_adds(b, "</span></div>\n");
	if (problem)
		appt_html(b, "<div class=\"alert\" role=\"alert\" id=\"problem\">"
		    "<strong>%s</strong> %s</div>\n", T(w, "form.check"),
		    problem);
	appt_html(b, "<form method=\"post\" action=\"%s/book\">\n"
	    "<input type=\"hidden\" name=\"service\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"start\" value=\"%s\">\n",
	    w->base, appt_service_id(svc), appt_fmt_time(start, iso));
	if (f && !appt_empty(f->staff))
		appt_html(b, "<input type=\"hidden\" name=\"staff\" "
		    "value=\"%s\">\n", f->staff);
	appt_html(b, "<label for=\"name\">%s</label>\n"
	    "<input id=\"name\" name=\"name\" required maxlength=\"200\" "
	    "autocomplete=\"name\" value=\"%s\">\n", T(w, "form.name"),
	    f ? f->name : "");
	appt_html(b, "<label for=\"email\">%s</label>\n"
	    "<input id=\"email\" name=\"email\" type=\"email\" "
	    "maxlength=\"200\" autocomplete=\"email\" value=\"%s\">\n",
	    T(w, "form.email"), f ? f->email : "");
	appt_html(b, "<label for=\"phone\">%s</label>\n"
	    "<input id=\"phone\" name=\"phone\" type=\"tel\" maxlength=\"40\" "
	    "autocomplete=\"tel\" value=\"%s\">\n"
	    "<p class=\"muted hint\">%s</p>\n", T(w, "form.phone"),
	    f ? f->phone : "", T(w, "form.hint"));
	appt_html(b, "<label for=\"note\">%s <span class=\"muted\">%s</span>"
	    "</label>\n<textarea id=\"note\" name=\"note\" rows=\"3\" "
	    "maxlength=\"1000\">%s</textarea>\n", T(w, "form.note"),
	    T(w, "form.optional"), f ? f->note : "");
	/* For robots: people neither see it nor reach it with the tab key. */
	appt_html(b, "<div class=\"hp\" aria-hidden=\"true\"><label "
	    "for=\"website\">Website</label><input id=\"website\" "
	    "name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"
	    "<p><button class=\"btn wide\" type=\"submit\">%s</button></p>\n"
	    "</form>\n", tstr(w, "form.book", "day", fmtday(w, start), "time",
	    hm, NULL));
	end(w);
}

/* ---- GET /SERVICE ---- */

static void
servicepage(struct web *w)
{
	struct appt_catalog *cat = appt_catalog_open(&w->s);
	const struct appt_service *svc = findsvc(w, cat, w->req.seg[0]);
	const char *from = appt_cgi_get(&w->req, "from");
	const char *start = appt_cgi_get(&w->req, "start");
	char *link;
	time_t t = w->now, st;

	if (!svc) {
		message(w, 404, T(w, "notfound.title"), T(w,
		    "notfound.service"));
		goto out;
	}
	if (start) {
		if (appt_parse_iso(start, &st) < 0) {
			message(w, 400, T(w, "time.title"), T(w, "time.bad"));
			goto out;
		}
		form(w, 200, svc, st, NULL, NULL);
		goto out;
	}
	if (from && (t = parsedate(from)) == -1) {
		message(w, 400, T(w, "date.title"), T(w, "date.bad"));
		goto out;
	}
	begin(w, 200, appt_service_name(svc));
	appt_html(&w->pg.body, "<p><a href=\"%s/\">%s</a></p>\n<h1>%s</h1>\n"
	    "<p class=\"muted\">", w->base, T(w, "week.back"),
	    appt_service_name(svc));
	facts(w, svc);
	appt_buf_adds(&w->pg.body, "</p>\n");
	link = xasprintf("%s/%s", w->base, appt_service_id(svc));
	week(w, svc, NULL, t, link, 0);
	free(link);
	end(w);
out:
	appt_catalog_close(cat);
}

/* ---- POST /book ---- */

static void
collect(void *ctx, const char *msg)
{
	struct appt_buf *b = ctx;

	/* Only the last, and only shown for a bad value of the request. */
	b->len = 0;
	appt_buf_adds(b, msg[0] == '-' && msg[1] == '-' ? msg + 2 : msg);
}

/* Why a value of the form cannot be taken, for the person; NULL if fine. */
static const char *
badfield(struct web *w, const char *what, const char *v, size_t max,
    int lines)
{
	const char *p, *field = T(w, what);

	if (!v || !*v)
		return NULL;
	if (strlen(v) > max)
		return tstr(w, "bad.long", "field", field, NULL);
	for (p = v; *p; p++)
		if (((unsigned char)*p < 0x20 && !(lines && *p == '\n')) ||
		    *p == 0x7f)
			return tstr(w, "bad.control", "field", field, NULL);
	/* A spreadsheet would run it as a formula (appt-web(1)). */
	if (strchr("=+-@", v[0]))
		return tstr(w, "bad.formula", "field", field, NULL);
	return NULL;
}

static const char *
trim(const char *v, char **own)
{
	size_t a, n;

	if (!v)
		return "";
	a = strspn(v, " \t\n");
	n = strlen(v + a);
	while (n && strchr(" \t\n", v[a + n - 1]))
		n--;
	return *own = xstrndup(v + a, n);
}

/* The next free times from t, to offer when a time was taken. */
static void
nexttimes(struct web *w, struct appt_avail *av,
    const struct appt_service *svc, const char *staff, time_t t, int move,
    const char *link)
{
	struct starts st = { .max = NEXTMAX };

	appt_avail_slots(av, svc, staff, t, adddays(t, 14), addstart, &st);
	if (st.n) {
		appt_html(&w->pg.body, "<p>%s</p>\n", T(w, "taken.free"));
		timelist(w, svc, &st, move);
	}
	appt_html(&w->pg.body, "<p><a class=\"btn secondary\" href=\"%s\">"
	    "%s</a></p>\n", link, T(w, "taken.all"));
	free(st.v);
}

/* The manage link of an appointment, for a redirect: malloc'd. */
static char *
managepath(struct web *w, const char *id, const char *created,
    const char *done)
{
	unsigned char key[APPT_WEBKEY_LEN];
	char tok[APPT_WEBTOKEN_LEN];
	const char *url = appt_cfg(&w->s.cfg, "web:url", NULL);
	const char *host = getenv("SERVER_NAME"), *port = getenv("SERVER_PORT");
	const char *https = getenv("HTTPS");
	char *base, *r;
	size_t n;

	appt_webkey(&w->s, 1, key);
	appt_webtoken(key, id, created, tok);
	if (!appt_empty(url)) {
		n = strlen(url);
		while (n && url[n - 1] == '/')
			n--;
		base = xstrndup(url, n);
	} else {
		int tls = !appt_empty(https) && strcasecmp(https, "off");

		if (appt_empty(host) || strspn(host, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
		    strlen(host))
			host = "localhost";
		if (appt_empty(port) || strspn(port, "0123456789") !=
		    strlen(port) || !strcmp(port, tls ? "443" : "80"))
			base = xasprintf("%s://%s%s", tls ? "https" : "http",
			    host, w->base);
		else
			base = xasprintf("%s://%s:%s%s", tls ? "https" :
			    "http", host, port, w->base);
	}
	r = xasprintf("%s/m/%s/%s?done=%s", base, id, tok, done);
	free(base);
	return r;
}

static int
attempt(struct web *w)
{
	phase = PH_LOCK;
	appt_lock(&w->s);
	phase = PH_WORK;
	if (appt_web_attempt(&w->s, w->addr, w->now))
		return 1;
	appt_unlock(&w->s);
	callus(w, 429, T(w, "limit.title"));
	return 0;
}

static void
book(struct web *w)
{
	struct appt_catalog *cat = appt_catalog_open(&w->s);
	struct appt_bookreq q = { 0 };
	struct appt_booker *run;
	struct appt_notice notes = { 0 };
	struct appt_buf said = { 0 };
	struct appt_appt a;
	struct form f = { 0 };
	const struct appt_service *svc;
	const char *problem = NULL, *who[3], *hp;
	char *own[4] = { 0 }, phone[32], *link;
	time_t start;
	int rc, i;

	if (!attempt(w))
		goto out;
	hp = appt_cgi_get(&w->req, "website");
	f.service = appt_cgi_get(&w->req, "service");
	f.start = appt_cgi_get(&w->req, "start");
	f.staff = appt_cgi_get(&w->req, "staff");
	f.name = trim(appt_cgi_get(&w->req, "name"), &own[0]);
	f.email = trim(appt_cgi_get(&w->req, "email"), &own[1]);
	f.phone = trim(appt_cgi_get(&w->req, "phone"), &own[2]);
	f.note = trim(appt_cgi_get(&w->req, "note"), &own[3]);
	if (!(svc = findsvc(w, cat, f.service)) || !f.start ||
	    appt_parse_iso(f.start, &start) < 0) {
		message(w, 400, T(w, "time.title"), T(w, "time.first"));
		goto out;
	}
	if (!appt_empty(hp)) {
		/* A robot filled the hidden field: say nothing of it. */
		message(w, 200, T(w, "thanks.title"), T(w, "thanks.text"));
		goto out;
	}
	if (!*f.name)
		problem = T(w, "bad.name");
	else if (!*f.email && !*f.phone)
		problem = T(w, "bad.contact");
	else if ((problem = badfield(w, "field.name", f.name, NAMEMAX, 0)) ||
	    (problem = badfield(w, "field.email", f.email, NAMEMAX, 0)) ||
	    (problem = badfield(w, "field.phone", f.phone, 40, 0)) ||
	    (problem = badfield(w, "field.note", f.note, NOTEMAX, 1)))
		;
	else if (*f.email && !appt_email_valid(f.email))
		problem = T(w, "bad.email");
	else if (*f.phone && appt_norm_phone(f.phone, w->s.country, phone,
	    sizeof phone) < 0)
		problem = T(w, "bad.phone");
	if (problem) {
		form(w, 400, svc, start, &f, problem);
		goto out;
	}
	q.service = appt_service_id(svc);
	q.at = f.start;
	q.staff = appt_empty(f.staff) ? NULL : f.staff;
	q.p.name = f.name;
	q.p.email = *f.email ? f.email : NULL;
	q.p.phone = *f.phone ? f.phone : NULL;
	q.note = f.note;
	run = appt_booker_open(&w->s, 0, collect, &said);
	if ((rc = appt_book(run, &q))) {
		if (rc == APPT_EFAIL && appt_book_step(run) == APPT_BOOK_SLOT) {
			link = xasprintf("%s/%s?from=%.10s", w->base,
			    appt_service_id(svc), f.start);
			begin(w, 409, T(w, "taken.title"));
			appt_html(&w->pg.body, "<h1>%s</h1>\n",
			    T(w, "taken.title"));
			nexttimes(w, appt_booker_avail(run), svc, NULL,
			    start, 0, link);
			end(w);
			free(link);
		} else if (rc == APPT_EFAIL &&
		    appt_book_step(run) == APPT_BOOK_CUSTOMER)
			callus(w, 200, T(w, "call.title"));
		else
			form(w, 400, svc, start, &f, said.len ? said.s :
			    T(w, "bad.form"));
		appt_booker_close(run);
		goto out;
	}
	appt_booker_save(run);
	if (appt_cfg_bool(&w->s.cfg, "notify:confirm", 1))
		appt_booker_notify(run, &notes);
	appt_booker_appt(run, 0, &a, who);
	w->pg.status = 303;
	w->pg.location = managepath(w, a.id, a.created, "booked");
	appt_unlock(&w->s);
	appt_booker_close(run);
	/* Delivered now, the lock let go: a slow mail server waits alone. */
	appt_notice_send(&notes, &w->s);
	begin(w, 303, T(w, "manage.open"));
	appt_html(&w->pg.body, "<p><a href=\"%s\">%s</a></p>",
	    w->pg.location, T(w, "manage.open"));
	end(w);
	w->pg.status = 303;
out:
	appt_buf_free(&said);
	for (i = 0; i < 4; i++)
		free(own[i]);
	appt_catalog_close(cat);
}

/* ---- /m/ID/TOKEN ---- */

/* The appointment of a manage link, its token checked: NULL if none. */
static struct appt_row *
manageable(struct web *w, struct appt_months *ms, struct appt_table **t)
{
	unsigned char key[APPT_WEBKEY_LEN];
	struct appt_row *r;
	long id;
	int ok;

	if (appt_parse_id(w->req.seg[1], &id) < 0 ||
	    appt_webkey(&w->s, 0, key) < 0)
		return NULL;
	if (!(r = appt_months_find(ms, w->req.seg[1], NULL, t)))
		return NULL;
	ok = appt_webtoken_ok(key, appt_get(*t, r, "id"), appt_get(*t, r,
	    "created"), w->req.seg[2]);
	sodium_memzero(key, sizeof key);
	return ok ? r : NULL;
}

/* Can the customer still change it: active, and notice before it. */
static int
changeable(struct web *w, const struct appt_table *t,
    const struct appt_row *r)
{
	long notice = appt_cfg_dur(&w->s.cfg, "booking:min_notice", "0m");
	time_t start;

	return appt_status_active(appt_get(t, r, "status")) &&
	    appt_parse_iso(appt_get(t, r, "start"), &start) == 0 &&
	    start >= w->now + notice * 60;
}

static void
managepage(struct web *w, struct appt_catalog *cat,
    const struct appt_table *t, const struct appt_row *r, int status,
    const char *note)
{
	struct appt_buf *b = &w->pg.body;
	const struct appt_service *svc = appt_service_find(cat,
	    appt_get(t, r, "service"));
	const struct appt_staff *st = appt_staff_find(cat, appt_get(t, r,
	    "staff"));
	const char *done = appt_cgi_get(&w->req, "done");
	const char *ask = appt_cgi_get(&w->req, "ask");
	const char *from = appt_cgi_get(&w->req, "from");
	const char *stat = appt_get(t, r, "status");
	const char *addr = appt_cfg(&w->s.cfg, "business:address", "");
	char hm[16], d[32], *self;
	time_t start = 0, stop = 0, f;
	int can = changeable(w, t, r);

	appt_parse_iso(appt_get(t, r, "start"), &start);
	appt_parse_iso(appt_get(t, r, "end"), &stop);
	self = xasprintf("%s/m/%s/%s", w->base, w->req.seg[1], w->req.seg[2]);
	begin(w, status, T(w, "manage.title"));
	if (note)
		appt_html(b, "<div class=\"alert\" role=\"alert\">%s</div>\n",
		    note);
	else if (done && !strcmp(done, "booked") && appt_status_active(stat))
		appt_html(b, "<div class=\"ok\" role=\"status\"><strong>%s"
		    "</strong> %s</div>\n", T(w, "manage.booked"),
		    T(w, "manage.booked2"));
	else if (done && !strcmp(done, "moved") && appt_status_active(stat))
		appt_html(b, "<div class=\"ok\" role=\"status\"><strong>%s"
		    "</strong> %s</div>\n", T(w, "manage.moved"),
		    T(w, "manage.moved2"));
	else if (!strcmp(stat, "cancelled"))
		appt_html(b, "<div class=\"ok\" role=\"status\"><strong>%s"
		    "</strong></div>\n", T(w, "manage.cancelled"));
	appt_html(b, "<h1>%s</h1>\n<dl class=\"card facts\">"
	    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s, %s</dd>",
	    T(w, "manage.title"), T(w, "manage.service"),
	    svc ? appt_service_name(svc) : appt_get(t, r, "service"),
	    T(w, "manage.when"), fmtday(w, start), fmthm(start, hm,
	    sizeof hm));
	appt_html(b, "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
	    T(w, "manage.duration"), fmtdur(w, (long)(stop - start) / 60),
	    T(w, "manage.with"), st ? appt_staff_name(st) : appt_get(t, r,
	    "staff"));
	if (*appt_get(t, r, "price"))
		appt_html(b, "<dt>%s</dt><dd>%s %s</dd>", T(w, "manage.price"),
		    appt_get(t, r, "price"), appt_cfg(&w->s.cfg,
		    "business:currency", ""));
	if (*addr)
		appt_html(b, "<dt>%s</dt><dd>%s</dd>", T(w, "manage.where"),
		    addr);
	snprintf(d, sizeof d, "status.%s", stat);
	appt_html(b, "<dt>%s</dt><dd>%s</dd></dl>\n", T(w, "manage.status"),
	    appt_status_valid(stat) ? T(w, d) : stat);
	if (can && ask && !strcmp(ask, "cancel")) {
		appt_html(b, "<h2>%s</h2>\n"
		    "<form method=\"post\" action=\"%s\" class=\"actions\">"
		    "<input type=\"hidden\" name=\"action\" value=\"cancel\">"
		    "<button class=\"btn danger\" type=\"submit\">%s</button> "
		    "<a class=\"btn secondary\" href=\"%s\">%s</a></form>\n",
		    T(w, "manage.ask"), self, T(w, "manage.yes"), self,
		    T(w, "manage.no"));
	} else if (can && svc && from) {
		f = parsedate(from);
		appt_html(b, "<h2>%s</h2>\n<p><a href=\"%s\">%s</a></p>\n"
		    "<form method=\"post\" action=\"%s\" id=\"times\">"
		    "<input type=\"hidden\" name=\"action\" value=\"move\">\n",
		    T(w, "manage.move"), self, T(w, "manage.keep"), self);
		week(w, svc, appt_get(t, r, "staff"), f == -1 ? w->now : f,
		    self, 1);
		appt_buf_adds(b, "</form>\n");
	} else if (can)
		appt_html(b, "<div class=\"actions\"><a class=\"btn secondary\" "
		    "href=\"%s?from=%U\">%s</a> <a class=\"btn secondary\" "
		    "href=\"%s?ask=cancel\">%s</a></div>\n", self,
		    fmtdate(start, d, sizeof d), T(w, "manage.move"), self,
		    T(w, "manage.cancel"));
	else if (appt_status_active(stat))
		appt_html(b, "<p class=\"muted\">%s</p>\n", T(w, "manage.late"));
	end(w);
	free(self);
}

static void
manage(struct web *w)
{
	struct appt_catalog *cat = appt_catalog_open(&w->s);
	struct appt_months *ms = appt_months_open(&w->s);
	struct appt_table *t;
	struct appt_row *r;

	if (!(r = manageable(w, ms, &t)))
		message(w, 403, T(w, "manage.link"), T(w, "manage.linktext"));
	else
		managepage(w, cat, t, r, 200, NULL);
	appt_months_close(ms);
	appt_catalog_close(cat);
}

static void
change(struct web *w)
{
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_avail *av;
	struct appt_people pp = { 0 };
	struct appt_notice notes = { 0 };
	struct appt_table *t;
	struct appt_row *r;
	struct appt_appt a;
	const struct appt_service *svc;
	const char *action = appt_cgi_get(&w->req, "action");
	const char *start = appt_cgi_get(&w->req, "start"), *who[3];
	char why[512], oldstaff[1024], *self, *id = NULL, *created = NULL;
	const char *done;
	time_t st;
	long cid;
	int rc;

	if (!attempt(w))
		return;
	cat = appt_catalog_open(&w->s);
	ms = appt_months_open(&w->s);
	av = appt_avail_open(&w->s, cat, ms, w->now);
	self = xasprintf("%s/m/%s/%s", w->base, w->req.seg[1], w->req.seg[2]);
	if (!(r = manageable(w, ms, &t))) {
		message(w, 403, T(w, "manage.link"), T(w, "manage.linktext"));
		goto out;
	}
	if (!action || (strcmp(action, "cancel") && strcmp(action, "move")) ||
	    (!strcmp(action, "move") && (!start || appt_parse_iso(start,
	    &st) < 0))) {
		managepage(w, cat, t, r, 400, T(w, "manage.what"));
		goto out;
	}
	if (!changeable(w, t, r)) {
		managepage(w, cat, t, r, 409, appt_status_active(appt_get(t, r,
		    "status")) ? T(w, "manage.late") : T(w, "manage.final"));
		goto out;
	}
	if (!strcmp(action, "cancel")) {
		rc = appt_status_change(ms, av, cat, t, r, "cancelled", 0,
		    w->now, why, sizeof why);
		done = "cancelled";
	} else {
		rc = appt_move_change(ms, av, cat, &t, &r, NULL, st, 0, w->now,
		    oldstaff, sizeof oldstaff, why, sizeof why);
		done = "moved";
		if (rc == APPT_EFAIL) {
			svc = appt_service_find(cat, appt_get(t, r, "service"));
			if (!svc)
				managepage(w, cat, t, r, 409, T(w,
				    "moved.taken"));
			else {
				/* The page again, with times to choose. */
				char *link = xasprintf("%s?from=%.10s", self,
				    start);

				begin(w, 409, T(w, "moved.taken"));
				appt_html(&w->pg.body, "<h1>%s</h1>\n<form "
				    "method=\"post\" action=\"%s\"><input "
				    "type=\"hidden\" name=\"action\" "
				    "value=\"move\">\n", T(w, "moved.taken"),
				    self);
				nexttimes(w, av, svc, appt_get(t, r, "staff"),
				    st, 1, link);
				appt_buf_adds(&w->pg.body, "</form>\n");
				end(w);
				free(link);
			}
			goto out;
		}
	}
	if (rc > 0) {
		managepage(w, cat, t, r, 409, T(w, "manage.final"));
		goto out;
	}
	id = xstrdup(appt_get(t, r, "id"));
	created = xstrdup(appt_get(t, r, "created"));
	if (rc == 0) {
		appt_months_save(ms);
		appt_notice_withdraw(&w->s, id);
		if (appt_cfg_bool(&w->s.cfg, "notify:changes", 1)) {
			appt_appt_of(t, r, &a);
			if (appt_parse_id(a.customer, &cid) < 0)
				cid = 0;
			appt_people_want(&pp, &w->s, &cid, 1);
			appt_people_who(&pp, a.customer, who);
			if (!strcmp(done, "moved"))
				appt_notify_moved(&notes, &w->s, cat, &a, who,
				    oldstaff);
			else
				appt_notify_cancelled(&notes, &w->s, cat, &a,
				    who);
		}
	}
	w->pg.location = managepath(w, id, created, done);
	appt_unlock(&w->s);
	appt_notice_send(&notes, &w->s);
	begin(w, 303, T(w, "manage.open"));
	appt_html(&w->pg.body, "<p><a href=\"%s\">%s</a></p>",
	    w->pg.location, T(w, "manage.open"));
	end(w);
out:
	free(id);
	free(created);
	free(self);
	appt_people_free(&pp);
	appt_avail_close(av);
	appt_months_close(ms);
	appt_catalog_close(cat);
}

/* ---- the request ---- */

static void
route(struct web *w)
{
	struct appt_cgi *q = &w->req;

	if (q->nseg == 0) {
		if (q->post) {
			w->pg.allow = "GET, HEAD";
			message(w, 405, T(w, "method.title"), T(w,
			    "method.text"));
		} else
			services(w);
	} else if (q->nseg == 1 && !strcmp(q->seg[0], "book")) {
		if (q->post)
			book(w);
		else {
			w->pg.allow = "POST";
			message(w, 405, T(w, "method.title"), T(w,
			    "method.book"));
		}
	} else if (q->nseg == 3 && !strcmp(q->seg[0], "m")) {
		if (q->post)
			change(w);
		else
			manage(w);
	} else if (q->nseg == 1) {
		if (q->post) {
			w->pg.allow = "GET, HEAD";
			message(w, 405, T(w, "method.title"), T(w,
			    "method.text"));
		} else
			servicepage(w);
	} else
		message(w, 404, T(w, "notfound.title"), T(w,
		    "notfound.text"));
}

/* SCRIPT_NAME as links can use it: "" when absent or odd. */
static const char *
scriptname(void)
{
	const char *s = getenv("SCRIPT_NAME"), *p;

	if (appt_empty(s) || s[0] != '/' || strlen(s) > 200)
		return "";
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/-_.~", *p))
			return "";
	return strcmp(s, "/") ? s : "";
}

int
main(int argc, char *argv[])
{
	static struct web web;
	struct web *w = &web;
	const char *dir = NULL, *why = NULL;
	char *body = NULL;
	size_t len = 0;
	int c, st;

	appt_setprog(argv[0]);
	while ((c = getopt(argc, argv, "d:hV")) != -1)
		appt_opt(c, optarg, synopsis, &dir, NULL);
	/* A CGI query without "=" may come as arguments (RFC 3875 4.4). */
	headonly = !appt_empty(getenv("REQUEST_METHOD")) &&
	    !strcmp(getenv("REQUEST_METHOD"), "HEAD");
	atexit(onexit);
	if (appt_empty(getenv("APPT_LOCK_WAIT")))
		setenv("APPT_LOCK_WAIT", "10", 1);
	w->base = scriptname();
	w->addr = getenv("REMOTE_ADDR");
	st = appt_cgi_head(getenv("REQUEST_METHOD"), getenv("CONTENT_TYPE"),
	    getenv("CONTENT_LENGTH"), &len, &why);
	if (st == 0 && len) {
		body = xmalloc(len);
		if (fread(body, 1, len, stdin) != len) {
			st = 400;
			why = "the form was cut short";
		}
	}
	if (st == 0)
		st = appt_cgi_parse(&w->req, getenv("REQUEST_METHOD"),
		    getenv("PATH_INFO"), getenv("QUERY_STRING"), body, len,
		    &why);
	free(body);
	appt_store_opendir(&w->s, dir);
	w->open = 1;
	w->now = appt_now();
	loadcss(w);
	texts(w);
	if (st) {
		if (st == 405)
			w->pg.allow = "GET, HEAD, POST";
		message(w, st, st == 404 ? T(w, "notfound.title") : reason(st),
		    why);
	} else
		route(w);
	respond(w);
	appt_cgi_free(&w->req);
	appt_buf_free(&w->pg.body);
	free(w->pg.location);
	free(w->css);
	appt_strv_free(w->texts.v, w->texts.n);
	appt_strv_free(w->pool.v, w->pool.n);
	appt_store_close(&w->s);
	appt_exit(0);
}
