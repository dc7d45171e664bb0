/*
 * Inbound mail (lib/inmail.c, appt-msg receive): any bytes, as a stranger
 * sends them. What comes out is valid UTF-8; header values hold no
 * control character and the text none but LF and tab; every attachment
 * name is a safe file name (no path, not hidden, no control character,
 * at most APPT_NAMEMAX bytes); no more parts are kept than the cap, nor
 * more bytes than the mail could decode to. The same checks hold for
 * appt_safe_name on the input taken as a name.
 */
#include "fuzz.h"

static int
cleanstr(const char *s, int text)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!appt_utf8_valid(s, strlen(s)))
		return 0;
	for (; *u; u++)
		if ((*u < 0x20 || *u == 0x7f) && !(text && (*u == '\n' ||
		    *u == '\t')))
			return 0;
	return 1;
}

static void
safename(const char *n)
{
	must(*n, "an empty name");
	must(strlen(n) <= APPT_NAMEMAX, "a name of %zu bytes", strlen(n));
	must(cleanstr(n, 0), "a name with a control character or not UTF-8");
	must(!strchr(n, '/') && !strchr(n, '\\'), "a path: %s", n);
	must(!strchr(".-~ ", n[0]), "a name starting with '%c': %s", n[0], n);
	must(strcmp(n, ".") && strcmp(n, ".."), "a name . or ..");
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct appt_inmail m;
	char name[APPT_NAMEMAX + 1], *s;
	size_t i, total = 0;

	if (n > 1 << 20)
		return 0;
	appt_inmail_parse(&m, (const char *)d, n);
	must(cleanstr(m.from, 0), "From: %s", m.from);
	must(cleanstr(m.fromaddr, 0), "From address");
	must(!*m.fromaddr || appt_email_valid(m.fromaddr), "address %s",
	    m.fromaddr);
	must(cleanstr(m.subject, 0), "Subject");
	must(cleanstr(m.msgid, 0), "Message-ID");
	for (i = 0; i < m.nref; i++)
		must(cleanstr(m.ref[i], 0), "a reference");
	for (i = 0; i < m.nnote; i++)
		must(cleanstr(m.notes[i], 0), "a note");
	must(!m.bad || cleanstr(m.bad, 0), "why malformed");
	must(cleanstr(m.text, 1), "the text");
	must(m.natt <= APPT_INMAIL_PARTS, "%zu parts kept", m.natt);
	for (i = 0; i < m.natt; i++) {
		safename(m.att[i].name);
		must(cleanstr(m.att[i].type, 0), "a type");
		total += m.att[i].len;
	}
	must(total <= 2 * n + 4096, "%zu bytes of parts from %zu", total, n);
	appt_inmail_free(&m);
	/* The input as a file name. */
	s = xstrndup((const char *)d, n);
	appt_safe_name(s, "file", name, sizeof name);
	safename(name);
	free(s);
	return 0;
}
