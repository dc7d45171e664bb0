/*
 * mime.c: the MIME body of a mail with attachments, made by GMime 3.
 *
 * A hand-written MIME layer grows its own bugs (boundaries, encodings,
 * RFC 2231 file names); GMime has them right. What comes out is the
 * part of a message from "MIME-Version:" on, CRLF lines, for appt_mail_mime
 * to put after the headers it writes: Date, Message-ID, From, To and
 * Subject stay in message.c, the one place that makes them.
 */
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "appt.h"

void
appt_gmime_init(void)
{
	static int done;

	if (!done) {
		g_mime_init();
		done = 1;
	}
}

/* A parameter's text in UTF-8 when it is not ASCII, not Latin-1. */
static void
utf8(GMimeParamList *l, const char *name)
{
	GMimeParam *p = l ? g_mime_param_list_get_parameter(l, name) : NULL;

	if (p)
		g_mime_param_set_charset(p, "utf-8");
}

/* "type/subtype" as GMime wants it; application/octet-stream if bad. */
static GMimePart *
newpart(const char *type)
{
	const char *slash = type ? strchr(type, '/') : NULL;
	GMimePart *p;
	char *t;

	if (!slash || slash == type || !slash[1])
		return g_mime_part_new_with_type("application",
		    "octet-stream");
	t = xstrndup(type, (size_t)(slash - type));
	p = g_mime_part_new_with_type(t, slash + 1);
	free(t);
	return p;
}

char *
appt_mime_mixed(const char *text, const struct appt_part *parts,
    size_t nparts)
{
	GMimeMultipart *mp;
	GMimeTextPart *tp;
	GMimeFormatOptions *fo;
	char *s, *out;
	size_t i;

	appt_gmime_init();
	mp = g_mime_multipart_new_with_subtype("mixed");
	tp = g_mime_text_part_new_with_subtype("plain");
	/* The text as it is, in UTF-8 (set_text would pick Latin-1). */
	{
		GMimeStream *st = g_mime_stream_mem_new_with_buffer(
		    text ? text : "", text ? strlen(text) : 0);
		GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(st,
		    GMIME_CONTENT_ENCODING_DEFAULT);

		g_mime_part_set_content(GMIME_PART(tp), w);
		g_object_unref(w);
		g_object_unref(st);
	}
	g_mime_text_part_set_charset(tp, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(tp),
	    g_mime_part_get_best_content_encoding(GMIME_PART(tp),
	    GMIME_ENCODING_CONSTRAINT_7BIT));
	g_mime_multipart_add(mp, GMIME_OBJECT(tp));
	g_object_unref(tp);
	for (i = 0; i < nparts; i++) {
		GMimePart *p = newpart(parts[i].type);
		GMimeStream *st = g_mime_stream_mem_new_with_buffer(
		    parts[i].data ? parts[i].data : "", parts[i].len);
		GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(st,
		    GMIME_CONTENT_ENCODING_DEFAULT);

		g_mime_part_set_content(p, w);
		g_object_unref(w);
		g_object_unref(st);
		g_mime_object_set_disposition(GMIME_OBJECT(p),
		    GMIME_DISPOSITION_ATTACHMENT);
		if (!appt_empty(parts[i].name)) {
			g_mime_part_set_filename(p, parts[i].name);
			utf8(g_mime_content_disposition_get_parameters(
			    g_mime_object_get_content_disposition(
			    GMIME_OBJECT(p))), "filename");
			utf8(g_mime_content_type_get_parameters(
			    g_mime_object_get_content_type(GMIME_OBJECT(p))),
			    "name");
		}
		g_mime_part_set_content_encoding(p,
		    GMIME_CONTENT_ENCODING_BASE64);
		g_mime_multipart_add(mp, GMIME_OBJECT(p));
		g_object_unref(p);
	}
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo,
	    GMIME_NEWLINE_FORMAT_DOS);
	s = g_mime_object_to_string(GMIME_OBJECT(mp), fo);
	g_mime_format_options_free(fo);
	g_object_unref(mp);
	out = xasprintf("MIME-Version: 1.0\r\n%s", s);
	g_free(s);
	return out;
}
