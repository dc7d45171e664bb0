/*
 * message.c: messages from templates, and mail as RFC 5322 wants it.
 *
 * A template is a Subject line, a blank line and the body (NAME.txt), or
 * a body alone for SMS (NAME.sms). The data directory's templates/ wins
 * over share/appt/templates. Placeholders are {name} or {start:FORMAT}
 * (strftime); an unknown one is an error naming the template and line.
 * No value can add a header: CR and LF are refused at input and again
 * here, and non-ASCII header text is RFC 2047 encoded.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "appt.h"

/* The template text and the name to call it by in messages. */
static char *
template(const struct appt_store *s, const char *file, char **label)
{
	char *rel = xasprintf("templates/%s", file), *path = appt_path(s, rel);
	char *t;

	if ((t = appt_slurp(path, NULL))) {
		*label = rel;
		free(path);
		return t;
	}
	free(path);
	path = appt_sharepath(rel);
	free(rel);
	t = appt_slurp(path, NULL);
	*label = path;
	return t;
}

static const char *
value(const struct appt_msgvars *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->name[i], name))
			return v->value[i];
	return NULL;
}

void
appt_msgvar(struct appt_msgvars *v, const char *name, const char *value)
{
	if (v->n == sizeof v->name / sizeof v->name[0])
		appt_die(APPT_EFAIL, "too many template variables");
	v->name[v->n] = name;
	v->value[v->n++] = value ? value : "";
}

/*
 * strftime into a buffer that grows: no silent limit on what a
 * {start:FORMAT} gives. A space after the format tells an empty result
 * from one that did not fit. NULL only past 64 KiB.
 */
static char *
timefmt(const char *fmt, const struct tm *tm)
{
	char *f = xasprintf("%s ", fmt), *buf = NULL;
	size_t cap, n = 0;

	for (cap = 256; cap <= APPT_CSV_FIELDMAX; cap *= 2) {
		buf = xrealloc(buf, cap);
		if ((n = strftime(buf, cap, f, tm)) > 0)
			break;
	}
	free(f);
	if (!n) {
		free(buf);
		return NULL;
	}
	buf[n - 1] = '\0';	/* the space */
	return buf;
}

/* Expand the placeholders of text; -1 with *err on a bad one. */
static int
expand(const char *text, const char *label, const struct appt_msgvars *v,
    struct appt_buf *out, char **err)
{
	const char *p = text, *e, *val, *fmt;
	long line = 1;
	char *name, *tbuf;
	struct tm tm;

	appt_buf_add(out, "", 0);
	for (; *p; p++) {
		if (*p == '\n')
			line++;
		if (*p != '{') {
			appt_buf_addc(out, *p);
			continue;
		}
		if (!(e = strchr(p, '}')) || memchr(p, '\n', (size_t)(e - p))) {
			*err = xasprintf("%s:%ld: '{' without '}'", label,
			    line);
			return -1;
		}
		name = xstrndup(p + 1, (size_t)(e - p - 1));
		fmt = NULL;
		if (!strncmp(name, "start:", 6)) {
			fmt = name[6] ? name + 6 : NULL;
			name[5] = '\0';
		}
		if (!(val = value(v, name))) {
			*err = xasprintf("%s:%ld: unknown placeholder {%s}",
			    label, line, name);
			free(name);
			return -1;
		}
		if (fmt || !strcmp(name, "start")) {
			localtime_r(&v->start, &tm);
			if (!(tbuf = timefmt(fmt ? fmt : "%A %e %B %Y, %H:%M",
			    &tm))) {
				*err = xasprintf("%s:%ld: {start:FORMAT} "
				    "gives more than %d bytes", label, line,
				    APPT_CSV_FIELDMAX);
				free(name);
				return -1;
			}
			/* %e pads with a space: none twice, none leading. */
			{
				char *a, *b;

				for (a = b = tbuf; *b; b++)
					if (!(*b == ' ' && (a == tbuf ||
					    a[-1] == ' ')))
						*a++ = *b;
				*a = '\0';
			}
			appt_buf_adds(out, tbuf);
			free(tbuf);
		} else
			appt_buf_adds(out, val);
		free(name);
		p = e;
	}
	return 0;
}

int
appt_render(const struct appt_store *s, const char *name, int sms,
    const struct appt_msgvars *v, char **subject, char **body, char **err)
{
	struct appt_buf b = { 0 };
	char *file = xasprintf("%s.%s", name, sms ? "sms" : "txt");
	char *label, *t = template(s, file, &label), *nl;
	long line;

	*subject = *body = *err = NULL;
	free(file);
	if (t) {
		/* Templates saved with CRLF line ends read as LF. */
		char *a, *b;

		for (a = b = t; *b; b++)
			if (!(*b == '\r' && b[1] == '\n'))
				*a++ = *b;
		*a = '\0';
	}
	if (!t) {
		*err = xasprintf("%s: no such template", label);
		free(label);
		return -1;
	}
	if ((line = appt_utf8_badline(t, strlen(t)))) {
		*err = xasprintf("%s:%ld: not valid UTF-8", label, line);
		free(t);
		free(label);
		return -1;
	}
	if (expand(t, label, v, &b, err) < 0) {
		free(t);
		free(label);
		appt_buf_free(&b);
		return -1;
	}
	free(t);
	if (sms) {
		/* One line of text; trailing newlines dropped. */
		while (b.len && (b.s[b.len - 1] == '\n' || b.s[b.len - 1] ==
		    '\r'))
			b.s[--b.len] = '\0';
		*body = b.s;
		*subject = xstrdup("");
		free(label);
		return 0;
	}
	if (strncasecmp(b.s, "Subject:", 8) || !(nl = strstr(b.s, "\n\n"))) {
		*err = xasprintf("%s:1: must start with a Subject: line and a "
		    "blank line", label);
		free(label);
		appt_buf_free(&b);
		return -1;
	}
	*nl = '\0';
	*subject = xstrdup(b.s + 8 + strspn(b.s + 8, " "));
	*body = xstrdup(nl + 2);
	appt_buf_free(&b);
	if (appt_bad_text(*subject)) {
		*err = xasprintf("%s:1: the subject holds a line break",
		    label);
		free(label);
		free(*subject);
		free(*body);
		*subject = *body = NULL;
		return -1;
	}
	free(label);
	return 0;
}

/*
 * Can s go into a header as it is: ASCII and short? A longer text goes
 * as encoded words, which fold, so that no header line is over 998
 * octets (RFC 5322 2.1.1) however long a name or subject is. So does
 * text with "=?" in it, which a mail reader would decode as if it were
 * an encoded word of ours (RFC 2047 section 5).
 */
static int
ascii(const char *s)
{
	size_t n = 0;

	if (strstr(s, "=?"))
		return 0;
	for (; *s; s++, n++)
		if ((unsigned char)*s >= 0x80 || n >= 72)
			return 0;
	return 1;
}

/*
 * RFC 2047 B-encoding in words of at most 75 characters. Every word
 * takes at least one byte, whatever the bytes: text that is not UTF-8
 * never reaches here from the data, and would not hang it if it did.
 */
void
appt_encword(struct appt_buf *b, const char *s)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), i = 0, chunk, j;

	while (i < n) {
		/* 45 bytes -> 60 base64 characters, cut at a character. */
		chunk = n - i < 45 ? n - i : 45;
		while (chunk < n - i && chunk > 0 &&
		    ((unsigned char)s[i + chunk] & 0xc0) == 0x80)
			chunk--;
		if (chunk == 0)		/* no character boundary: cut anyway */
			chunk = n - i < 45 ? n - i : 45;
		if (i)
			appt_buf_adds(b, "\r\n ");
		appt_buf_adds(b, "=?UTF-8?B?");
		for (j = 0; j < chunk; j += 3) {
			unsigned v = (unsigned char)s[i + j] << 16;

			if (j + 1 < chunk)
				v |= (unsigned char)s[i + j + 1] << 8;
			if (j + 2 < chunk)
				v |= (unsigned char)s[i + j + 2];
			appt_buf_addc(b, b64[v >> 18 & 63]);
			appt_buf_addc(b, b64[v >> 12 & 63]);
			appt_buf_addc(b, j + 1 < chunk ? b64[v >> 6 & 63] :
			    '=');
			appt_buf_addc(b, j + 2 < chunk ? b64[v & 63] : '=');
		}
		appt_buf_adds(b, "?=");
		i += chunk;
	}
}

/* A display name: as it is, quoted, or encoded. */
static void
phrase(struct appt_buf *b, const char *s)
{
	const char *p;

	if (!ascii(s)) {
		appt_encword(b, s);
		return;
	}
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(" !#$%&'*+-/=?^_`{|}~",
		    *p))
			break;
	if (!*p) {
		appt_buf_adds(b, s);
		return;
	}
	appt_buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			appt_buf_addc(b, '\\');
		appt_buf_addc(b, *p);
	}
	appt_buf_addc(b, '"');
}

static void
mailbox(struct appt_buf *b, const char *name, const char *addr)
{
	if (!appt_empty(name)) {
		phrase(b, name);
		appt_buf_addf(b, " <%s>", addr);
	} else
		appt_buf_adds(b, addr);
}

char *
appt_optout_url(const struct appt_store *s)
{
	const char *from = appt_cfg(&s->cfg, "business:email", NULL), *p;
	struct appt_buf b = { 0 };

	if (!from)
		return NULL;
	/* RFC 6068: what could end the address part is %-encoded. */
	appt_buf_adds(&b, "mailto:");
	for (p = from; *p; p++)
		if (isalnum((unsigned char)*p) || strchr("@.-_~+!$'()*,;:=",
		    *p))
			appt_buf_addc(&b, *p);
		else
			appt_buf_addf(&b, "%%%02X", (unsigned char)*p);
	appt_buf_adds(&b, "?subject=unsubscribe");
	return b.s;
}

/* Date, Message-ID, From, To and Subject into b: 0, or -1 with *err. */
static int
headers(struct appt_buf *bp, const struct appt_store *s, const char *key,
    const char *toname, const char *to, const char *subject, char **err)
{
	struct appt_buf b = { 0 };
	const char *from = appt_cfg(&s->cfg, "business:email", NULL);
	const char *fname = appt_cfg(&s->cfg, "business:name", NULL);
	const char *domain;
	char date[64];
	time_t now = appt_now();
	struct tm tm;

	*err = NULL;
	if (!from) {
		*err = xstrdup("config.ini: [business] email is not set: it is "
		    "the From: of every message");
		return -1;
	}
	if (!appt_email_valid(to) || appt_bad_text(toname) ||
	    appt_bad_text(subject) || appt_bad_text(fname)) {
		*err = xasprintf("%s: not a safe recipient or header", to);
		return -1;
	}
	domain = strrchr(from, '@') + 1;
	localtime_r(&now, &tm);
	{
		/* RFC 5322 dates are English whatever the locale. */
		static const char *wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
		    "Fri", "Sat" };
		static const char *mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
		    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
		long off = tm.tm_gmtoff / 60;

		snprintf(date, sizeof date, "%s, %d %s %d %02d:%02d:%02d "
		    "%c%02ld%02ld", wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon],
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	}
	appt_buf_addf(&b, "Date: %s\r\n", date);
	appt_buf_addf(&b, "Message-ID: <%s@%s>\r\n", key, domain);
	appt_buf_adds(&b, "From: ");
	mailbox(&b, fname, from);
	appt_buf_adds(&b, "\r\nTo: ");
	mailbox(&b, toname, to);
	appt_buf_adds(&b, "\r\nSubject: ");
	if (ascii(subject))
		appt_buf_adds(&b, subject);
	else
		appt_encword(&b, subject);
	/* Follow-ups, not about a booking: a way out (RFC 2369). */
	if (!strncmp(key, "review-", 7) || !strncmp(key, "recall-", 7)) {
		char *u = appt_optout_url(s);

		appt_buf_addf(&b, "\r\nList-Unsubscribe: <%s>", u);
		free(u);
	}
	appt_buf_adds(&b, "\r\n");
	*bp = b;
	return 0;
}

char *
appt_mail_mime(const struct appt_store *s, const char *key,
    const char *toname, const char *to, const char *subject,
    const char *mime, char **err)
{
	struct appt_buf b = { 0 };

	if (headers(&b, s, key, toname, to, subject, err) < 0)
		return NULL;
	appt_buf_adds(&b, mime);
	return b.s;
}

char *
appt_mail(const struct appt_store *s, const char *key, const char *toname,
    const char *to, const char *subject, const char *body, char **err)
{
	struct appt_buf b = { 0 };
	const char *p, *nl;
	size_t n;

	if (headers(&b, s, key, toname, to, subject, err) < 0)
		return NULL;
	appt_buf_adds(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n");
	/* The body in CRLF lines of at most 998 octets. */
	for (p = body; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		while (n > 998) {
			size_t cut = 998;

			while (cut > 900 && ((unsigned char)p[cut] & 0xc0) ==
			    0x80)
				cut--;
			appt_buf_add(&b, p, cut);
			appt_buf_adds(&b, "\r\n");
			p += cut;
			n -= cut;
		}
		appt_buf_add(&b, p, n);
		appt_buf_adds(&b, "\r\n");
		if (!nl)
			break;
	}
	return b.s;
}
