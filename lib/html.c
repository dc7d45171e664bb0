/*
 * html.c: the booking page's HTML, every value escaped (cgit's html.c).
 * The format is the program's own text; what its conversions add is
 * escaped: %s as HTML text, fit for an attribute in double quotes too,
 * %U percent-encoded for a URL's query or path. Nothing a customer or
 * the data directory holds reaches a page unescaped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "appt.h"

void
appt_html_esc(struct appt_buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': appt_buf_adds(b, "&amp;"); break;
		case '<': appt_buf_adds(b, "&lt;"); break;
		case '>': appt_buf_adds(b, "&gt;"); break;
		case '"': appt_buf_adds(b, "&quot;"); break;
		case '\'': appt_buf_adds(b, "&#39;"); break;
		default: appt_buf_addc(b, *s);
		}
}

void
appt_url_esc(struct appt_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;

	for (; s && *s; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c))
			appt_buf_addc(b, c);
		else {
			appt_buf_addc(b, '%');
			appt_buf_addc(b, hex[c >> 4]);
			appt_buf_addc(b, hex[c & 15]);
		}
	}
}

void
appt_html(struct appt_buf *b, const char *fmt, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			appt_buf_addc(b, *p);
			continue;
		}
		switch (*++p) {
		case 's':
			appt_html_esc(b, va_arg(ap, const char *));
			break;
		case 'U':
			appt_url_esc(b, va_arg(ap, const char *));
			break;
		case 'd':
			appt_buf_addf(b, "%d", va_arg(ap, int));
			break;
		case 'l':	/* %ld */
			p++;
			appt_buf_addf(b, "%ld", va_arg(ap, long));
			break;
		case '%':
			appt_buf_addc(b, '%');
			break;
		default:
			appt_die(APPT_EFAIL, "appt_html: bad format %s", fmt);
		}
	}
	va_end(ap);
}
