/* mime.c: a multipart/mixed body of a text and attachments. */
#include <stdlib.h>
#include <string.h>

#include "appt.h"
#include "t.h"

/* The boundary GMime chose, from the Content-Type: malloc'd. */
static char *
boundary(const char *m)
{
	const char *b = strstr(m, "boundary=\""), *e;

	if (!b)
		return NULL;
	b += 10;
	e = strchr(b, '"');
	return e ? xstrndup(b, (size_t)(e - b)) : NULL;
}

int
main(void)
{
	static const unsigned char bin[] = { 0, 1, 2, 0xff, '\n', '\r', 'x' };
	struct appt_part parts[] = {
		{ "INV-2026-0001.pdf", "application/pdf", bin, sizeof bin },
		{ "Rechnung März.html", "text/html", "<p>ä</p>", 9 },
		{ NULL, "bogus", "x", 1 },
	};
	char *m = appt_mime_mixed("Hello Jürgen,\n\nyour invoice.\n", parts,
	    3), *b, *sep;
	const char *p;
	size_t n = 0, lf = 0;

	ok(!strncmp(m, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed;",
	    49), "starts with MIME-Version and multipart/mixed");
	ok((b = boundary(m)) != NULL, "has a boundary");
	sep = xasprintf("\r\n--%s\r\n", b ? b : "?");
	for (p = m; (p = strstr(p, sep)); p++)
		n++;
	ok(n == 4, "four parts (got %zu)", n);
	free(sep);
	sep = xasprintf("\r\n--%s--", b ? b : "?");
	ok(strstr(m, sep) != NULL, "closing boundary");
	free(sep);
	for (p = m; *p; p++)
		if (*p == '\n' && (p == m || p[-1] != '\r'))
			lf++;
	ok(lf == 0, "CRLF lines only (%zu bare LF)", lf);
	for (p = m; *p; p++)
		if ((unsigned char)*p >= 0x80)
			break;
	ok(!*p, "7-bit clean");
	ok(strstr(m, "Content-Type: text/plain; charset=utf-8") != NULL,
	    "text part in UTF-8");
	ok(strstr(m, "Content-Type: application/pdf; name=INV-2026-0001.pdf\r\n") != NULL,
	    "pdf part");
	ok(strstr(m, "Content-Disposition: attachment; "
	    "filename=INV-2026-0001.pdf") != NULL, "pdf named");
	ok(strstr(m, "AAEC/woNeA==") != NULL, "pdf bytes in base64");
	ok(strstr(m, "filename*=UTF-8''Rechnung%20M%C3%A4rz.html") != NULL,
	    "non-ASCII file name by RFC 2231");
	ok(strstr(m, "Content-Type: application/octet-stream") != NULL,
	    "a bad type is application/octet-stream");
	free(b);
	free(m);
	m = appt_mime_mixed("", NULL, 0);
	ok(strstr(m, "multipart/mixed") != NULL, "text alone");
	free(m);
	return done();
}
