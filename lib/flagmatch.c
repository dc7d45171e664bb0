/*
 * flagmatch.c: is this person a flagged problem customer? Any one field
 * is a match, compared in a normal form (lib/norm.c):
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
