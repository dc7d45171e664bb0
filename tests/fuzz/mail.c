/*
 * The mail of lib/message.c (appt_mail): a display name, a subject and a
 * body, cut from the input at NUL bytes. The header holds no line over
 * 998 octets nor a bare CR or LF; an RFC 2047 word is at most 75
 * characters and never starts inside a UTF-8 character; the words of
 * the Subject and of the To name decode to what was given.
 */
#include "fuzz.h"

static struct appt_store store;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char ini[] = "[business]\nname = Hair by Sam\n"
	    "email = sam@example.com\ntimezone = Europe/Berlin\n";
	char *path, *err;

	(void)argc;
	(void)argv;
	fuzz_tz();
	setenv("APPT_NOW", "2026-11-23T08:00", 1);
	fuzz_write("config.ini", ini, sizeof ini - 1);
	path = fuzz_path("config.ini");
	if (appt_config_load(&store.cfg, path, &err) < 0)
		abort();
	free(path);
	fuzz_store(&store);
	return 0;
}

static int
b64(int c)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(a, c) : NULL;

	return p ? (int)(p - a) : -1;
}

/* The text of a header value: encoded words decoded, or as it is. */
static char *
decode(const char *v, size_t n, int *words)
{
	struct appt_buf b = { 0 };
	const char *p = v, *e, *end = v + n;
	unsigned acc;
	int bits, c;

	appt_buf_add(&b, "", 0);
	*words = 0;
	if (n < 10 || strncmp(v, "=?UTF-8?B?", 10)) {
		appt_buf_add(&b, v, n);
		return b.s;
	}
	while (p < end) {
		must(!strncmp(p, "=?UTF-8?B?", 10), "not a word: %.*s",
		    (int)(end - p), p);
		e = strstr(p + 10, "?=");
		must(e && e < end, "a word without its end");
		must(e + 2 - p <= 75, "a word of %d characters",
		    (int)(e + 2 - p));
		acc = 0;
		bits = 0;
		for (p += 10; p < e; p++) {
			if (*p == '=')
				continue;
			must((c = b64((unsigned char)*p)) >= 0, "base64 %c",
			    *p);
			acc = acc << 6 | (unsigned)c;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				c = (int)(acc >> bits & 0xff);
				appt_buf_addc(&b, c);
			}
		}
		(*words)++;
		p = e + 2;
		if (p < end) {
			must(*p == ' ', "words not parted by a blank");
			p++;
		}
	}
	return b.s;
}

static int
utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int k;

	for (; *u; u++) {
		if (*u < 0x80)
			continue;
		k = *u >= 0xf0 && *u <= 0xf4 ? 3 : *u >= 0xe0 ? 2 :
		    *u >= 0xc2 && *u <= 0xdf ? 1 : -1;
		if (k < 0 || *u > 0xf4)
			return 0;
		while (k--)
			if ((*++u & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

/* The value of header name in the unfolded header block. */
static char *
header(const char *hdr, const char *name)
{
	const char *p = strstr(hdr, name), *e;

	must(p, "no %s header", name);
	p += strlen(name);
	e = strstr(p, "\r\n");
	return xstrndup(p, e ? (size_t)(e - p) : strlen(p));
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *part[3];
	char *buf, *m, *err, *hdr, *p, *q, *v, *t;
	size_t len;
	int words;

	if (n > 1 << 16)
		return 0;
	fuzz_split(d, n, &buf, part, 3);
	m = appt_mail(&store, "k1", part[0], "to@example.com", part[1],
	    part[2], &err);
	if (!m) {
		must(err, "no mail and no error");
		free(err);
		free(buf);
		return 0;
	}
	must(!err, "mail and an error");
	/* Lines: CRLF, at most 998 octets. */
	for (p = m; *p; p = q + 1) {
		q = strchr(p, '\n');
		if (!q)
			break;
		must(q > p && q[-1] == '\r', "an LF without CR");
		must(q - 1 - p <= 998, "a line of %d octets", (int)(q - 1 - p));
		must(!memchr(p, '\r', (size_t)(q - 1 - p)) || p >= strstr(m,
		    "\r\n\r\n") + 4, "a bare CR in the header");
	}
	/* The header unfolded: CRLF then a blank is a blank. */
	len = (size_t)(strstr(m, "\r\n\r\n") - m) + 2;
	hdr = xstrndup(m, len);
	for (p = q = hdr; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ')
			p += 2;
		*q++ = *p;
	}
	*q = '\0';
	v = header(hdr, "\r\nSubject: ");
	t = decode(v, strlen(v), &words);
	must(!strcmp(t, part[1]), "Subject '%s' reads as '%s'", part[1], t);
	free(t);
	free(v);
	if (*part[0]) {
		v = header(hdr, "\r\nTo: ");
		if (!strncmp(v, "=?", 2)) {
			t = decode(v, strrchr(v, '<') - 1 - v, &words);
			must(!strcmp(t, part[0]), "To '%s' reads as '%s'",
			    part[0], t);
			free(t);
		}
		free(v);
	}
	/* No word starts inside a character of valid UTF-8. */
	if (utf8(part[0]) && utf8(part[1]))
		for (p = hdr; (p = strstr(p, "=?UTF-8?B?")); p++) {
			int c0 = b64((unsigned char)p[10]);
			int c1 = b64((unsigned char)p[11]);

			must(c0 < 0 || c1 < 0 || ((c0 << 2 | c1 >> 4) & 0xc0)
			    != 0x80, "a word starts inside a character");
		}
	free(hdr);
	free(m);
	free(buf);
	return 0;
}
