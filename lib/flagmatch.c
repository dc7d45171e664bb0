/*
 * flagmatch.c: is this person a flagged problem customer? Any one field
 * is a match, compared in a normal form:
 *   name     case, accents, punctuation, spacing and word order ignored
 *   email    case, +tag and (Gmail) dots ignored
 *   phone    E.164 with the business's country
 *   address  case, accents and punctuation ignored, street types in one
 *            short form, and the postcode when both sides have one
 * There is no sound-alike matching. The flags are indexed per field,
 * sorted, so a check costs a few lookups whatever the number of flags.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

/* Latin letters with marks, and what they are without. */
static const struct {
	const char *from, *to;
} fold[] = {
	{ "à", "a" }, { "á", "a" }, { "â", "a" }, { "ã", "a" }, { "ä", "a" },
	{ "å", "a" }, { "ā", "a" }, { "ą", "a" }, { "æ", "ae" }, { "ç", "c" },
	{ "ć", "c" }, { "č", "c" }, { "ď", "d" }, { "đ", "d" }, { "è", "e" },
	{ "é", "e" }, { "ê", "e" }, { "ë", "e" }, { "ē", "e" }, { "ę", "e" },
	{ "ě", "e" }, { "ğ", "g" }, { "ì", "i" }, { "í", "i" }, { "î", "i" },
	{ "ï", "i" }, { "ī", "i" }, { "ı", "i" }, { "ł", "l" }, { "ñ", "n" },
	{ "ń", "n" }, { "ň", "n" }, { "ò", "o" }, { "ó", "o" }, { "ô", "o" },
	{ "õ", "o" }, { "ö", "o" }, { "ø", "o" }, { "ō", "o" }, { "ő", "o" },
	{ "œ", "oe" }, { "ř", "r" }, { "ś", "s" }, { "š", "s" }, { "ş", "s" },
	{ "ß", "ss" }, { "ť", "t" }, { "ù", "u" }, { "ú", "u" }, { "û", "u" },
	{ "ü", "u" }, { "ū", "u" }, { "ů", "u" }, { "ű", "u" }, { "ý", "y" },
	{ "ÿ", "y" }, { "ź", "z" }, { "ż", "z" }, { "ž", "z" }, { "À", "a" },
	{ "Á", "a" }, { "Â", "a" }, { "Ã", "a" }, { "Ä", "a" }, { "Å", "a" },
	{ "Æ", "ae" }, { "Ç", "c" }, { "Č", "c" }, { "È", "e" }, { "É", "e" },
	{ "Ê", "e" }, { "Ë", "e" }, { "Ì", "i" }, { "Í", "i" }, { "Î", "i" },
	{ "Ï", "i" }, { "Ł", "l" }, { "Ñ", "n" }, { "Ò", "o" }, { "Ó", "o" },
	{ "Ô", "o" }, { "Õ", "o" }, { "Ö", "o" }, { "Ø", "o" }, { "Œ", "oe" },
	{ "Š", "s" }, { "Ù", "u" }, { "Ú", "u" }, { "Û", "u" }, { "Ü", "u" },
	{ "Ý", "y" }, { "Ž", "z" }, { "Ā", "a" }, { "Ą", "a" }, { "Ć", "c" },
	{ "Ď", "d" }, { "Đ", "d" }, { "Ē", "e" }, { "Ę", "e" }, { "Ě", "e" },
	{ "Ğ", "g" }, { "Ī", "i" }, { "İ", "i" }, { "Ń", "n" }, { "Ň", "n" },
	{ "Ō", "o" }, { "Ő", "o" }, { "Ř", "r" }, { "Ś", "s" }, { "Ş", "s" },
	{ "Ť", "t" }, { "Ū", "u" }, { "Ů", "u" }, { "Ű", "u" }, { "Ÿ", "y" },
	{ "Ź", "z" }, { "Ż", "z" }, { "ẞ", "ss" },
};

/*
 * The length of a space or punctuation mark outside ASCII at s (no-break
 * space, typographic quotes and dashes, ...), 0 if there is none there.
 */
static size_t
blank(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	/* U+0080-U+00BF but the letters ª µ º; × and ÷ */
	if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0xbf && u[1] != 0xaa &&
	    u[1] != 0xb5 && u[1] != 0xba)
		return 2;
	if (u[0] == 0xc3 && (u[1] == 0x97 || u[1] == 0xb7))
		return 2;
	/* U+2000-U+206F general punctuation, U+3000, U+FEFF */
	if (u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0xbf) ||
	    (u[1] == 0x81 && u[2] >= 0x80 && u[2] <= 0xaf)))
		return 3;
	if ((u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) ||
	    (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf))
		return 3;
	return 0;
}

/* Lower case ASCII words of s, accents folded, separated by one space. */
static char *
words(const char *s)
{
	struct appt_buf b = { 0 };
	size_t i, n;
	int space = 0;

	appt_buf_add(&b, "", 0);
	while (s && *s) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c)) {
			if (space && b.len)
				appt_buf_addc(&b, ' ');
			space = 0;
			appt_buf_addc(&b, tolower(c));
			s++;
			continue;
		}
		if (c >= 0x80) {
			for (i = 0; i < sizeof fold / sizeof fold[0]; i++) {
				n = strlen(fold[i].from);
				if (!strncmp(s, fold[i].from, n))
					break;
			}
			if (i < sizeof fold / sizeof fold[0]) {
				if (space && b.len)
					appt_buf_addc(&b, ' ');
				space = 0;
				appt_buf_adds(&b, fold[i].to);
				s += n;
				continue;
			}
			if ((n = blank(s)) > 0) {
				space = 1;
				s += n;
				continue;
			}
			/* Another letter: keep its bytes as they are. */
			if (space && b.len)
				appt_buf_addc(&b, ' ');
			space = 0;
			do
				appt_buf_addc(&b, *s++);
			while (((unsigned char)*s & 0xc0) == 0x80);
			continue;
		}
		space = 1;	/* punctuation and blanks separate words */
		s++;
	}
	return b.s;
}

static int
cmpword(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
appt_norm_name(const char *s)
{
	char *w = words(s), *tok, *save, **v = NULL, *out;
	struct appt_buf b = { 0 };
	size_t n = 0, i;

	for (tok = strtok_r(w, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = tok;
	}
	if (n)
		qsort(v, n, sizeof *v, cmpword);
	appt_buf_add(&b, "", 0);
	for (i = 0; i < n; i++) {
		if (i)
			appt_buf_addc(&b, ' ');
		appt_buf_adds(&b, v[i]);
	}
	free(v);
	free(w);
	out = b.s;
	return out;
}

/* Street types in one short form; German compounds by their suffix. */
static const struct {
	const char *word, *as;
} street[] = {
	{ "street", "st" }, { "st", "st" }, { "road", "rd" }, { "rd", "rd" },
	{ "avenue", "ave" }, { "ave", "ave" }, { "av", "ave" },
	{ "boulevard", "blvd" }, { "blvd", "blvd" }, { "drive", "dr" },
	{ "dr", "dr" }, { "lane", "ln" }, { "ln", "ln" }, { "place", "pl" },
	{ "pl", "pl" }, { "court", "ct" }, { "ct", "ct" }, { "square", "sq" },
	{ "sq", "sq" }, { "terrace", "ter" }, { "ter", "ter" },
	{ "highway", "hwy" }, { "hwy", "hwy" }, { "parkway", "pkwy" },
	{ "pkwy", "pkwy" }, { "apartment", "apt" }, { "apt", "apt" },
	{ "strasse", "str" }, { "str", "str" }, { "platz", "pl" },
	{ "gasse", "g" }, { "weg", "weg" }, { "allee", "allee" },
	{ "rue", "rue" }, { "via", "via" }, { "calle", "c" },
};

static const char *suffixes[][2] = {
	{ "strasse", "str" }, { "str", "str" }, { "platz", "pl" },
	{ "gasse", "g" },
};

char *
appt_norm_address(const char *s)
{
	char *w = words(s), *tok, *save;
	struct appt_buf b = { 0 };
	size_t i, n;

	appt_buf_add(&b, "", 0);
	for (tok = strtok_r(w, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		const char *as = tok;
		char *own = NULL;

		for (i = 0; i < sizeof street / sizeof street[0]; i++)
			if (!strcmp(tok, street[i].word))
				as = street[i].as;
		if (as == tok)
			for (i = 0; i < sizeof suffixes / sizeof suffixes[0];
			    i++) {
				n = strlen(tok);
				if (n > strlen(suffixes[i][0]) + 2 &&
				    !strcmp(tok + n - strlen(suffixes[i][0]),
				    suffixes[i][0])) {
					own = xasprintf("%.*s%s",
					    (int)(n - strlen(suffixes[i][0])),
					    tok, suffixes[i][1]);
					as = own;
					break;
				}
			}
		if (b.len)
			appt_buf_addc(&b, ' ');
		appt_buf_adds(&b, as);
		free(own);
	}
	free(w);
	return b.s;
}

static char *
normpost(const char *s)
{
	struct appt_buf b = { 0 };

	appt_buf_add(&b, "", 0);
	for (; s && *s; s++)
		if (isalnum((unsigned char)*s))
			appt_buf_addc(&b, toupper((unsigned char)*s));
	return b.s;
}

/* The normal form of one field of a person; "" never matches. */
static char *
norm(const struct appt_store *s, int field, const char *v)
{
	char buf[32];

	if (appt_empty(v))
		return xstrdup("");
	switch (field) {
	case APPT_F_NAME:
		return appt_norm_name(v);
	case APPT_F_EMAIL:
		return appt_email_valid(v) ? appt_norm_email(v) : xstrdup("");
	case APPT_F_PHONE:
		return appt_norm_phone(v, s->country, buf, sizeof buf) == 0 ?
		    xstrdup(buf) : xstrdup("");
	default:
		return appt_norm_address(v);
	}
}

static int
cmpkey(const void *a, const void *b)
{
	const struct appt_flagkey *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->flag > y->flag) - (x->flag < y->flag);
}

static const char *fieldnames[] = { "name", "email", "phone", "address" };

int
appt_flag_field(const char *name)
{
	int i;

	for (i = 0; i < APPT_F_N; i++)
		if (!strcmp(name, fieldnames[i]))
			return i;
	return -1;
}

void
appt_flags_index(struct appt_flags *fl, const struct appt_store *s,
    struct appt_table *t)
{
	size_t i;
	int f;

	memset(fl->key, 0, sizeof fl->key);
	memset(fl->n, 0, sizeof fl->n);
	fl->s = s;
	fl->t = t;
	fl->own = 0;
	for (f = 0; f < APPT_F_N; f++) {
		fl->key[f] = xcalloc(t->nrow + 1, sizeof *fl->key[f]);
		for (i = 0; i < t->nrow; i++) {
			struct appt_row *r = &t->row[i];
			const char *cl = appt_get(t, r, "cleared");
			char *k;

			if (appt_word_in(cl, " ", fieldnames[f], 0))
				continue;
			k = norm(s, f, appt_get(t, r, fieldnames[f]));
			if (!*k) {
				free(k);
				continue;
			}
			fl->key[f][fl->n[f]].key = k;
			fl->key[f][fl->n[f]++].flag = i;
		}
		if (fl->n[f])
			qsort(fl->key[f], fl->n[f], sizeof *fl->key[f],
			    cmpkey);
	}
}

void
appt_flags_load(struct appt_flags *fl, const struct appt_store *s)
{
	struct appt_table *t = xcalloc(1, sizeof *t);

	appt_load(s, t, "flags.csv");
	appt_flags_index(fl, s, t);
	fl->own = 1;
}

void
appt_flags_free(struct appt_flags *fl)
{
	size_t i;
	int f;

	for (f = 0; f < APPT_F_N; f++) {
		for (i = 0; i < fl->n[f]; i++)
			free(fl->key[f][i].key);
		free(fl->key[f]);
	}
	if (fl->own) {
		appt_table_free(fl->t);
		free(fl->t);
	}
	memset(fl, 0, sizeof *fl);
}

static int
cmpfind(const void *key, const void *elem)
{
	return strcmp(key, ((const struct appt_flagkey *)elem)->key);
}

/* The first flag whose normal form of field f is key; -1 if none. */
static long
lookup(const struct appt_flags *fl, int f, const char *key)
{
	const struct appt_flagkey *hit = appt_bsearch_first(key, fl->key[f],
	    fl->n[f], sizeof *fl->key[f], cmpfind);

	return hit ? (long)(hit - fl->key[f]) : -1;
}

int
appt_flags_match(const struct appt_flags *fl, const struct appt_person *p,
    size_t *flag)
{
	const char *v[APPT_F_N];
	int f, best = 0, mask, nf;
	size_t i, j, cand;

	v[APPT_F_NAME] = p->name;
	v[APPT_F_EMAIL] = p->email;
	v[APPT_F_PHONE] = p->phone;
	v[APPT_F_ADDRESS] = p->address;
	/* Of the flags any field points at, the one matching most fields. */
	for (f = 0; f < APPT_F_N; f++) {
		char *k;
		long at;

		if (!fl->n[f] || appt_empty(v[f]))
			continue;
		k = norm(fl->s, f, v[f]);
		if (*k && (at = lookup(fl, f, k)) >= 0)
			for (i = (size_t)at; i < fl->n[f] &&
			    !strcmp(fl->key[f][i].key, k); i++) {
				cand = fl->key[f][i].flag;
				mask = appt_flag_fields(fl, cand, p);
				for (j = 0, nf = 0; j < APPT_F_N; j++)
					nf += (mask >> j) & 1;
				if (nf > best) {
					best = nf;
					*flag = cand;
				}
			}
		free(k);
	}
	return best ? appt_flag_fields(fl, *flag, p) : 0;
}

int
appt_flag_fields(const struct appt_flags *fl, size_t flag,
    const struct appt_person *p)
{
	const struct appt_table *t = fl->t;
	const struct appt_row *r = &t->row[flag];
	const char *cl = appt_get(t, r, "cleared");
	const char *v[APPT_F_N];
	int f, mask = 0;

	v[APPT_F_NAME] = p->name;
	v[APPT_F_EMAIL] = p->email;
	v[APPT_F_PHONE] = p->phone;
	v[APPT_F_ADDRESS] = p->address;
	for (f = 0; f < APPT_F_N; f++) {
		char *a, *b;

		if (appt_empty(v[f]) || appt_word_in(cl, " ", fieldnames[f],
		    0))
			continue;
		a = norm(fl->s, f, v[f]);
		b = norm(fl->s, f, appt_get(t, r, fieldnames[f]));
		if (*a && !strcmp(a, b)) {
			if (f != APPT_F_ADDRESS)
				mask |= 1 << f;
			else {
				/* The postcode counts when both have one. */
				char *x = normpost(p->postcode);
				char *y = normpost(appt_get(t, r, "postcode"));

				if (!*x || !*y || !strcmp(x, y))
					mask |= 1 << f;
				free(x);
				free(y);
			}
		}
		free(a);
		free(b);
	}
	return mask;
}

char *
appt_flag_names(int mask, char *buf, size_t n)
{
	int f;

	buf[0] = '\0';
	for (f = 0; f < APPT_F_N; f++)
		if (mask & (1 << f)) {
			if (buf[0])
				strncat(buf, "+", n - strlen(buf) - 1);
			strncat(buf, fieldnames[f], n - strlen(buf) - 1);
		}
	return buf;
}
