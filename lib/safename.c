/*
 * safename.c: outside text made safe to keep: valid UTF-8 without
 * control characters, and file names that cannot leave their folder.
 * Apart from inmail.c (GMime), so that a command that only lists
 * messages does not load GMime.
 */
#include <stdlib.h>
#include <string.h>

#include "appt.h"

/*
 * s (n bytes) into b as valid UTF-8: a byte that starts no valid
 * character becomes U+FFFD. With oneline, every control character (tab,
 * CR and LF too) is a space; else CR LF and lone CR are LF, tab and LF
 * stay, and the other control characters go.
 */
void
appt_text_clean(struct appt_buf *b, const char *s, size_t n, int oneline)
{
	size_t i = 0, k;
	unsigned char c;

	appt_buf_add(b, "", 0);
	while (i < n) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			if ((k = appt_utf8_len(s + i, n - i)) > 0) {
				/* U+0080..U+009F are controls too. */
				if (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0)
					appt_buf_addc(b, oneline ? ' ' : '?');
				else
					appt_buf_add(b, s + i, k);
				i += k;
			} else {
				appt_buf_adds(b, "\xef\xbf\xbd");
				i++;
			}
			continue;
		}
		i++;
		if (c >= 0x20 && c != 0x7f)
			appt_buf_addc(b, c);
		else if (oneline)
			appt_buf_addc(b, ' ');
		else if (c == '\r') {
			if (i < n && s[i] == '\n')
				i++;
			appt_buf_addc(b, '\n');
		} else if (c == '\n' || c == '\t')
			appt_buf_addc(b, c);
	}
}

/*
 * The last path element of name (after / or \), made a safe file name:
 * valid UTF-8 with no control character, none of / \ : * ? " < > |
 * (as _), not starting with a dot, a dash or a blank, no trailing dot or
 * blank, at most APPT_NAMEMAX bytes cut at a character with its
 * extension kept; dflt when nothing is left.
 */
void
appt_safe_name(const char *name, const char *dflt, char *out, size_t outn)
{
	struct appt_buf b = { 0 };
	const char *p, *base = name ? name : "", *ext;
	char *s, *e;
	size_t n, keep, elen, i;

	for (p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	appt_text_clean(&b, base, strlen(base), 1);
	s = b.s;
	for (e = s; *e; e++)
		if (strchr("/\\:*?\"<>|", *e))
			*e = '_';
	while (*s == '.' || *s == '-' || *s == ' ' || *s == '~')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == '.' || s[n - 1] == ' '))
		s[--n] = '\0';
	if (n > APPT_NAMEMAX) {
		/* Cut before the extension, at a character's start. */
		ext = strrchr(s, '.');
		elen = ext && strlen(ext) <= 16 ? strlen(ext) : 0;
		keep = APPT_NAMEMAX - elen;
		while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80)
			keep--;
		if (elen)
			memmove(s + keep, s + n - elen, elen);
		n = keep + elen;
		s[n] = '\0';
	}
	if (!n)
		s = (char *)(dflt ? dflt : "file");
	snprintf(out, outn, "%s", s);
	/* A cut by snprintf: back to a character's start. */
	n = strlen(out);
	for (i = n; i > 0 && ((unsigned char)out[i - 1] & 0xc0) == 0x80; i--)
		;
	if (i > 0 && (unsigned char)out[i - 1] >= 0xc0 &&
	    appt_utf8_len(out + i - 1, n - i + 1) == 0)
		out[i - 1] = '\0';
	appt_buf_free(&b);
}
