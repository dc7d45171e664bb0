/*
 * inmail.c: one inbound mail, as a customer's mail client wrote it,
 * parsed by GMime 3. The mail comes from the internet: nothing in it is
 * trusted. What comes out is plain: valid UTF-8 everywhere, header
 * values on one line without control characters, the text with its line
 * breaks (LF) and tabs only, and attachment names that are safe file
 * names (appt_safe_name). The sizes are capped: the whole mail, the
 * number of parts kept and the depth of nesting.
 *
 * No file is touched here: the caller decides where it goes (messages.c)
 * and the fuzz harness can call it on any bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "appt.h"

#define DEPTH 16		/* of nested multiparts and messages */

static char *
cleaned(const char *s, int oneline)
{
	struct appt_buf b = { 0 };

	appt_text_clean(&b, s ? s : "", s ? strlen(s) : 0, oneline);
	return b.s;
}

/* The gmime warnings that make a mail malformed, and why. */
static void
warned(gint64 off, GMimeParserWarning w, const gchar *item, gpointer ctx)
{
	struct appt_inmail *m = ctx;
	const char *why = NULL;
	char *it;

	switch (w) {
	case GMIME_WARN_TRUNCATED_MESSAGE:
		why = "the mail is cut short";
		break;
	case GMIME_WARN_MALFORMED_MESSAGE:
		why = "the mail is malformed";
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		why = "an invalid header name";
		break;
	case GMIME_CRIT_CONFLICTING_HEADER:
		why = "conflicting headers";
		break;
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		why = "conflicting header parameters";
		break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		why = "a multipart without a boundary";
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		why = "parts nested too deep";
		break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		why = "a part without headers or content";
		break;
	default:
		return;
	}
	if (m->bad)
		return;
	it = cleaned(item, 1);
	if (strlen(it) > 80) {
		size_t k = 77;

		/* Cut at a character's start. */
		while (k > 0 && ((unsigned char)it[k] & 0xc0) == 0x80)
			k--;
		strcpy(it + k, "...");
	}
	m->bad = xasprintf("%s at byte %lld%s%s", why, (long long)off,
	    *it ? ": " : "", it);
	free(it);
}

static void
note(struct appt_inmail *m, char *s)
{
	m->notes = xreallocarray(m->notes, m->nnote + 1, sizeof *m->notes);
	m->notes[m->nnote++] = s;
}

/* Usual types and their extensions, both ways. */
static const char *const types[][2] = {
	{ "image/jpeg", ".jpg" }, { "image/jpeg", ".jpeg" },
	{ "image/png", ".png" }, { "image/gif", ".gif" },
	{ "image/heic", ".heic" }, { "image/webp", ".webp" },
	{ "application/pdf", ".pdf" }, { "text/plain", ".txt" },
	{ "text/html", ".html" }, { "text/calendar", ".ics" },
	{ "message/rfc822", ".eml" },
};

/* A usual extension for a type, for a part without a name. */
static const char *
extof(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (!g_ascii_strcasecmp(type, types[i][0]))
			return types[i][1];
	return ".bin";
}

const char *
appt_type_of(const char *name)
{
	const char *ext = strrchr(name, '.');
	size_t i;

	for (i = 0; ext && i < sizeof types / sizeof types[0]; i++)
		if (!g_ascii_strcasecmp(ext, types[i][1]))
			return types[i][0];
	return NULL;
}

/* Keep bytes as attachment number k of the mail. */
static void
keep(struct appt_inmail *m, const char *name, const char *type,
    GByteArray *a)
{
	struct appt_attachment *at;
	char dflt[32], safe[APPT_NAMEMAX + 1];

	if (m->natt == APPT_INMAIL_PARTS) {
		if (!m->dropped++)
			note(m, xasprintf("more than %d files: the others are "
			    "only in the mail as received", APPT_INMAIL_PARTS));
		return;
	}
	snprintf(dflt, sizeof dflt, "part-%zu%s", m->natt + 1, extof(type));
	appt_safe_name(name, dflt, safe, sizeof safe);
	m->att = xreallocarray(m->att, m->natt + 1, sizeof *m->att);
	at = &m->att[m->natt++];
	at->name = xstrdup(safe);
	at->type = cleaned(type, 1);
	at->len = a->len;
	at->data = xmalloc(a->len + 1);
	if (a->len)
		memcpy(at->data, a->data, a->len);
	at->data[a->len] = '\0';
}

/* The decoded content of a leaf part. */
static GByteArray *
content(GMimePart *p)
{
	GMimeDataWrapper *w = g_mime_part_get_content(p);
	GMimeStream *st = g_mime_stream_mem_new();
	GByteArray *a, *copy;

	if (w)
		g_mime_data_wrapper_write_to_stream(w, st);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st));
	copy = g_byte_array_sized_new(a->len);
	g_byte_array_append(copy, a->data, a->len);
	g_object_unref(st);
	return copy;
}

static void walk(struct appt_inmail *, GMimeObject *, int depth,
    int notext);

/* notext: the text is said by another alternative; keep only files. */
static void
leaf(struct appt_inmail *m, GMimePart *p, int notext)
{
	GMimeObject *o = GMIME_OBJECT(p);
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *disp = g_mime_object_get_disposition(o);
	int attached = disp && !g_ascii_strcasecmp(disp, "attachment");
	char *type = ct ? g_mime_content_type_get_mime_type(ct) :
	    g_strdup("application/octet-stream");
	GByteArray *a;

	if (!m->text && !attached && GMIME_IS_TEXT_PART(p) &&
	    !g_ascii_strcasecmp(type, "text/plain")) {
		char *t = g_mime_text_part_get_text(GMIME_TEXT_PART(p));

		m->text = cleaned(t, 0);
		g_free(t);
		g_free(type);
		return;
	}
	if (notext && !attached && !g_ascii_strncasecmp(type, "text/", 5)) {
		g_free(type);
		return;
	}
	a = content(p);
	keep(m, g_mime_part_get_filename(p), type, a);
	g_byte_array_unref(a);
	g_free(type);
}

static void
walk(struct appt_inmail *m, GMimeObject *o, int depth, int notext)
{
	int i, n, plain = -1;

	if (!o)
		return;
	if (depth > DEPTH) {
		if (!m->bad)
			m->bad = xasprintf("parts nested more than %d deep",
			    DEPTH);
		return;
	}
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		GMimeContentType *ct = g_mime_object_get_content_type(o);

		n = g_mime_multipart_get_count(mp);
		/*
		 * Alternatives say one thing: its plain text, if there is
		 * one, is the text; from the others (HTML with the photos
		 * in it, as a phone sends them) only the files are kept.
		 */
		if (ct && g_mime_content_type_is_type(ct, "multipart",
		    "alternative") && !m->text && !notext)
			for (i = 0; i < n && plain < 0; i++) {
				GMimeObject *c = g_mime_multipart_get_part(mp,
				    i);
				GMimeContentType *cc =
				    g_mime_object_get_content_type(c);

				if (GMIME_IS_PART(c) && cc &&
				    g_mime_content_type_is_type(cc, "text",
				    "plain"))
					plain = i;
			}
		if (plain >= 0)
			walk(m, g_mime_multipart_get_part(mp, plain),
			    depth + 1, 0);
		for (i = 0; i < n; i++)
			if (i != plain)
				walk(m, g_mime_multipart_get_part(mp, i),
				    depth + 1, notext || plain >= 0);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		/* A forwarded mail is kept whole, as a file. */
		GMimeMessage *in = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(o));
		GMimeStream *st = g_mime_stream_mem_new();
		GByteArray *a;

		if (in)
			g_mime_object_write_to_stream(GMIME_OBJECT(in), NULL,
			    st);
		a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st));
		keep(m, g_mime_object_get_content_disposition_parameter(o,
		    "filename"), "message/rfc822", a);
		g_object_unref(st);
	} else if (GMIME_IS_PART(o))
		leaf(m, GMIME_PART(o), notext);
}

/* The addresses of a header of message ids, in order, into m->refs. */
static void
refs(struct appt_inmail *m, GMimeParserOptions *po, const char *v,
    int reverse)
{
	GMimeReferences *r;
	int i, n;
	size_t first = m->nref;

	if (!v || !(r = g_mime_references_parse(po, v)))
		return;
	n = g_mime_references_length(r);
	for (i = 0; i < n && m->nref < 64; i++) {
		m->ref = xreallocarray(m->ref, m->nref + 1, sizeof *m->ref);
		m->ref[m->nref++] = cleaned(g_mime_references_get_message_id(r,
		    i), 1);
	}
	g_mime_references_free(r);
	if (reverse)
		for (size_t a = first, b = m->nref; a + 1 < b; a++, b--) {
			char *t = m->ref[a];

			m->ref[a] = m->ref[b - 1];
			m->ref[b - 1] = t;
		}
}

int
appt_inmail_parse(struct appt_inmail *m, const char *data, size_t len)
{
	GMimeStream *st;
	GMimeParser *p;
	GMimeParserOptions *po;
	GMimeMessage *msg;
	InternetAddressList *from;
	InternetAddress *ia;
	const char *v;
	size_t i;

	memset(m, 0, sizeof *m);
	m->from = xstrdup("");
	m->fromaddr = xstrdup("");
	if (len > APPT_INMAIL_MAX) {
		m->bad = xasprintf("over %ld MiB", APPT_INMAIL_MAX >> 20);
		goto done;
	}
	/* procmail gives the mbox "From " line first: not a header. */
	if (len > 5 && !strncmp(data, "From ", 5)) {
		const char *nl = memchr(data, '\n', len);

		i = nl ? (size_t)(nl + 1 - data) : len;
		data += i;
		len -= i;
	}
	/* No header at all is no mail: GMime would take it as a body. */
	for (i = 0; i < len && data[i] != ':' && data[i] != '\n'; i++)
		if ((unsigned char)data[i] <= ' ')
			break;
	if (i == 0 || i == len || data[i] != ':') {
		m->bad = xstrdup("it does not start with a header");
		goto done;
	}
	appt_gmime_init();
	st = g_mime_stream_mem_new_with_buffer(data, len);
	p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	po = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(po, warned, m);
	msg = g_mime_parser_construct_message(p, po);
	g_object_unref(p);
	g_object_unref(st);
	if (!msg) {
		if (!m->bad)
			m->bad = xstrdup("GMime finds no mail in it");
		g_mime_parser_options_free(po);
		goto done;
	}
	from = g_mime_message_get_from(msg);
	if (from && internet_address_list_length(from) > 0 &&
	    INTERNET_ADDRESS_IS_MAILBOX(ia = internet_address_list_get_address(
	    from, 0))) {
		const char *addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		const char *name = internet_address_get_name(ia);
		char *a = cleaned(addr, 1), *n = cleaned(name, 1);

		if (appt_email_valid(a)) {
			free(m->fromaddr);
			free(m->from);
			m->fromaddr = a;
			m->from = *n ? xasprintf("%s <%s>", n, a) :
			    xstrdup(a);
		} else
			free(a);
		free(n);
	}
	if (!*m->fromaddr && !m->bad)
		m->bad = xstrdup("no sender address (From:)");
	m->subject = cleaned(g_mime_message_get_subject(msg), 1);
	m->msgid = cleaned(g_mime_message_get_message_id(msg), 1);
	refs(m, po, g_mime_object_get_header(GMIME_OBJECT(msg),
	    "In-Reply-To"), 0);
	refs(m, po, g_mime_object_get_header(GMIME_OBJECT(msg),
	    "References"), 1);
	v = g_mime_object_get_header(GMIME_OBJECT(msg), "Auto-Submitted");
	if (v) {
		while (*v == ' ' || *v == '\t')
			v++;
		m->autosub = g_ascii_strncasecmp(v, "no", 2) != 0 ||
		    (v[2] && v[2] != ' ' && v[2] != ';' && v[2] != '\t' &&
		    v[2] != '(' && v[2] != '\r' && v[2] != '\n');
	}
	walk(m, g_mime_message_get_mime_part(msg), 0, 0);
	g_object_unref(msg);
	g_mime_parser_options_free(po);
done:
	if (!m->subject)
		m->subject = xstrdup("");
	if (!m->msgid)
		m->msgid = xstrdup("");
	if (!m->text)
		m->text = xstrdup("");
	return m->bad ? -1 : 0;
}

void
appt_inmail_free(struct appt_inmail *m)
{
	size_t i;

	if (!m)
		return;
	free(m->bad);
	free(m->from);
	free(m->fromaddr);
	free(m->subject);
	free(m->msgid);
	free(m->text);
	appt_strv_free(m->ref, m->nref);
	appt_strv_free(m->notes, m->nnote);
	for (i = 0; i < m->natt; i++) {
		free(m->att[i].name);
		free(m->att[i].type);
		free(m->att[i].data);
	}
	free(m->att);
	memset(m, 0, sizeof *m);
}
