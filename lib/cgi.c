/*
 * cgi.c: a request of the booking page as RFC 3875 gives it to a CGI
 * program, parsed strictly. The method is GET, HEAD or POST; a POST is
 * application/x-www-form-urlencoded with a Content-Length of at most
 * APPT_CGI_BODYMAX; the path is a few short segments of plain letters;
 * the query and the form are at most APPT_CGI_FIELDS fields, each named
 * once, their values percent-decoded into valid UTF-8 without NUL, line
 * ends made LF. Anything else is refused with the HTTP status that says
 * why, before any of it is used. This faces the internet: no input can
 * make it read past what it was given, or allocate more than the caps.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static int
fail(const char **why, const char *what, int status)
{
	*why = what;
	return status;
}

int
appt_cgi_head(const char *method, const char *ctype, const char *clen,
    size_t *len, const char **why)
{
	const char *p;
	size_t n = 0;

	*len = 0;
	if (appt_empty(method))
		return fail(why, "no request method", 400);
	if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return 0;
	if (strcmp(method, "POST"))
		return fail(why, "method not allowed", 405);
	if (appt_empty(clen))
		return fail(why, "a form needs a Content-Length", 411);
	for (p = clen; *p; p++) {
		if (!isdigit((unsigned char)*p) || p - clen > 9)
			return fail(why, "Content-Length is not a number", 400);
		n = n * 10 + (size_t)(*p - '0');
	}
	if (n > APPT_CGI_BODYMAX)
		return fail(why, "the form is too large", 413);
	p = ctype ? ctype : "";
	if (strncasecmp(p, "application/x-www-form-urlencoded", 33) ||
	    (p[33] && p[33] != ';'))
		return fail(why, "a form must be "
		    "application/x-www-form-urlencoded", 415);
	*len = n;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode s[0..n) of a form into a malloc'd string: '+' a space, %XX a
 * byte, CR LF and a lone CR made LF. NULL with why on a bad escape, a
 * NUL, text that is not UTF-8, or more than max bytes.
 */
static char *
decode(const char *s, size_t n, size_t max, const char **why)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;
	int h, l, c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= n || (h = hexval(s[i + 1])) < 0 ||
			    (l = hexval(s[i + 2])) < 0)
				goto bad;
			c = h * 16 + l;
			i += 2;
		} else if (c < 0x21 || c > 0x7e)
			goto bad;	/* a raw byte has no place in a query */
		if (c == 0) {
			*why = "a NUL byte in a value";
			free(out);
			return NULL;
		}
		if (c == '\n' && o > out && o[-1] == '\r')
			o--;
		*o++ = (char)c;
	}
	*o = '\0';
	for (o = out; *o; o++)
		if (*o == '\r')
			*o = '\n';
	if (!appt_utf8_valid(out, strlen(out))) {
		*why = "a value is not valid UTF-8";
		free(out);
		return NULL;
	}
	if (strlen(out) > max) {
		*why = "a value is too long";
		free(out);
		return NULL;
	}
	return out;
bad:
	*why = "a value is not properly encoded";
	free(out);
	return NULL;
}

/* Add the fields of a query or form: 0, or 400 with why. */
static int
fields(struct appt_cgi *c, const char *s, size_t n, const char **why)
{
	const char *p = s, *end = s + n, *amp, *eq;
	char *name, *value;
	size_t i, k;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		if (amp == p) {		/* "a=1&&b=2", a trailing & */
			p++;
			continue;
		}
		if (c->n == APPT_CGI_FIELDS)
			return fail(why, "too many fields", 400);
		eq = memchr(p, '=', (size_t)(amp - p));
		k = eq ? (size_t)(eq - p) : (size_t)(amp - p);
		if (k == 0 || k > 32)
			return fail(why, "a field without a proper name", 400);
		for (i = 0; i < k; i++)
			if (!islower((unsigned char)p[i]) && p[i] != '_')
				return fail(why, "a field without a proper "
				    "name", 400);
		name = xstrndup(p, k);
		if (appt_cgi_get(c, name)) {
			free(name);
			return fail(why, "a field given twice", 400);
		}
		value = eq ? decode(eq + 1, (size_t)(amp - eq - 1),
		    APPT_CGI_VALUEMAX, why) : xstrdup("");
		if (!value) {
			free(name);
			return 400;
		}
		c->name[c->n] = name;
		c->value[c->n++] = value;
		p = amp + 1;
	}
	return 0;
}

int
appt_cgi_parse(struct appt_cgi *c, const char *method, const char *path,
    const char *query, const char *body, size_t bodylen, const char **why)
{
	const char *p, *q;
	size_t k;
	int st;

	memset(c, 0, sizeof *c);
	c->post = method && !strcmp(method, "POST");
	c->head = method && !strcmp(method, "HEAD");
	if (appt_empty(path))
		path = "/";
	if (strlen(path) > APPT_CGI_PATHMAX)
		return fail(why, "the path is too long", 404);
	if (path[0] != '/')
		return fail(why, "the path does not begin with /", 404);
	for (p = path; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/-_.", *p))
			return fail(why, "no such page", 404);
	/* The segments between slashes; "." and ".." are none of ours. */
	for (p = path + 1; *p; p = *q ? q + 1 : q) {
		q = p + strcspn(p, "/");
		k = (size_t)(q - p);
		if (k == 0 && !*q)
			break;		/* a trailing slash */
		if (k == 0 || (p[0] == '.') || c->nseg == APPT_CGI_SEGS)
			return fail(why, "no such page", 404);
		c->seg[c->nseg++] = xstrndup(p, k);
	}
	if (query && strlen(query) > APPT_CGI_QUERYMAX)
		return fail(why, "the query is too long", 400);
	if (query && (st = fields(c, query, strlen(query), why)))
		return st;
	if (c->post && body && (st = fields(c, body, bodylen, why)))
		return st;
	return 0;
}

const char *
appt_cgi_get(const struct appt_cgi *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->name[i], name))
			return c->value[i];
	return NULL;
}

void
appt_cgi_free(struct appt_cgi *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->name[i]);
		free(c->value[i]);
	}
	for (i = 0; i < c->nseg; i++)
		free(c->seg[i]);
	memset(c, 0, sizeof *c);
}
