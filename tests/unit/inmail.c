/* inmail.c: safe file names, and what a parsed mail gives. */
#include <stdlib.h>
#include <string.h>

#include "appt.h"
#include "t.h"

static void
safe(const char *name, const char *want)
{
	char out[APPT_NAMEMAX + 1];

	appt_safe_name(name, "dflt.bin", out, sizeof out);
	is(out, want, "safe name of '%s'", name ? name : "(null)");
}

int
main(void)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
		{ "photo.jpg", "photo.jpg" },
		{ "Farbe für Zoë.png", "Farbe für Zoë.png" },
		{ "../../etc/passwd", "passwd" },
		{ "/etc/passwd", "passwd" },
		{ "C:\\Users\\zoe\\scan.pdf", "scan.pdf" },
		{ "dir/", "dflt.bin" },
		{ "..", "dflt.bin" },
		{ ".", "dflt.bin" },
		{ "", "dflt.bin" },
		{ NULL, "dflt.bin" },
		{ ".bashrc", "bashrc" },
		{ "-rf", "rf" },
		{ "~root", "root" },
		{ "  spaced .txt. . ", "spaced .txt" },
		{ "a\x01" "b\x1b[31mc.txt", "a b [31mc.txt" },
		{ "tab\there", "tab here" },
		{ "what?*:<>|\".txt", "what_______.txt" },
		{ "bad \xff\xfe byte", "bad \xef\xbf\xbd\xef\xbf\xbd byte" },
		{ "c1 \xc2\x85 control", "c1   control" },
	};
	char longname[400], out[APPT_NAMEMAX + 1], *p;
	struct appt_inmail m;
	size_t i;
	const char *mail =
	    "From: =?utf-8?q?Zo=C3=AB_M=C3=BCller?= <zoe@example.org>\r\n"
	    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n"
	    "Message-ID: <r1@mail.example>\r\n"
	    "In-Reply-To: <b@x>\r\n"
	    "References: <a@x> <b@x> <c@x>\r\n"
	    "Auto-Submitted: no\r\n"
	    "Content-Type: text/plain; charset=iso-8859-1\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "Gr=FC=DFe\r\nline two\x1b[2J\r\n";

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		safe(cases[i].name, cases[i].want);
	/* Long: 100 bytes, the extension kept, cut at a character. */
	memset(longname, 'A', 300);
	strcpy(longname + 300, ".jpg");
	appt_safe_name(longname, "x", out, sizeof out);
	ok(strlen(out) == APPT_NAMEMAX && !strcmp(out + 96, ".jpg"),
	    "a long name is %d bytes with its extension", APPT_NAMEMAX);
	for (p = longname, i = 0; i < 150; i++) {
		memcpy(p, "\xc3\xa4", 2);	/* ä */
		p += 2;
	}
	strcpy(p, ".pdf");
	appt_safe_name(longname, "x", out, sizeof out);
	ok(strlen(out) <= APPT_NAMEMAX && appt_utf8_valid(out, strlen(out))
	    && strstr(out, ".pdf"), "a long UTF-8 name is cut at a character");

	ok(appt_inmail_parse(&m, mail, strlen(mail)) == 0, "a plain mail "
	    "parses");
	is(m.from, "Zoë Müller <zoe@example.org>", "From decoded");
	is(m.fromaddr, "zoe@example.org", "From address");
	is(m.subject, "Grüße", "Subject decoded");
	is(m.msgid, "r1@mail.example", "Message-ID without <>");
	ok(m.nref == 4, "In-Reply-To and three References");
	if (m.nref == 4) {
		is(m.ref[0], "b@x", "In-Reply-To first");
		is(m.ref[1], "c@x", "then References from the last");
		is(m.ref[3], "a@x", "the first Reference last");
	}
	ok(!m.autosub, "Auto-Submitted: no is a person's mail");
	is(m.text, "Grüße\nline two[2J\n", "text in UTF-8, LF, no control");
	ok(m.natt == 0, "no attachment");
	appt_inmail_free(&m);

	ok(appt_inmail_parse(&m, "no header here\n", 15) < 0 && m.bad,
	    "no header is malformed");
	appt_inmail_free(&m);
	ok(appt_inmail_parse(&m, "Subject: x\n\nbody\n", 17) < 0 && m.bad &&
	    strstr(m.bad, "From"), "no From: is malformed: %s",
	    m.bad ? m.bad : "");
	appt_inmail_free(&m);
	mail = "From zoe@example.org Mon Nov 23\n"
	    "From: zoe@example.org\nAuto-Submitted: auto-replied\n\nhi\n";
	ok(appt_inmail_parse(&m, mail, strlen(mail)) == 0 && m.autosub &&
	    !strcmp(m.text, "hi\n"), "an mbox From line skipped; "
	    "auto-replied");
	appt_inmail_free(&m);
	return done();
}
