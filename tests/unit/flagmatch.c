/*
 * flagmatch.c: the normal forms of names and addresses, and which flag a
 * person matches on which fields (lib/flagmatch.c).
 */
#include <stdlib.h>
#include <string.h>

#include "appt.h"
#include "t.h"

static const char *const flagcols[] = { "id", "name", "email", "phone",
    "address", "postcode", "reason", "created", "cleared", NULL };

#define NAME	(1 << APPT_F_NAME)
#define EMAIL	(1 << APPT_F_EMAIL)
#define PHONE	(1 << APPT_F_PHONE)
#define ADDRESS	(1 << APPT_F_ADDRESS)

/* Pairs of names that must have the same normal form. */
static const char *const name_eq[][2] = {
	{ "Smith, John", "john smith" },
	{ "Smith,John", "John Smith" },
	{ "John Smith", "JOHN SMITH" },
	{ "  John \t  Smith  ", "John Smith" },
	{ "Zoë Müller", "Zoe Muller" },
	{ "ZOË MÜLLER", "zoë müller" },
	{ "Müller, Zoë", "zoe muller" },
	{ "José García", "Garcia Jose" },
	{ "François Lefèvre", "LEFEVRE, FRANCOIS" },
	{ "Jean-Luc Picard", "Jean Luc Picard" },
	{ "Picard, Jean-Luc", "jean luc picard" },
	{ "J. R. R. Tolkien", "Tolkien J R R" },
	{ "J.R.R. Tolkien", "j r r tolkien" },
	{ "Łukasz Żuk", "lukasz zuk" },
	{ "ŁUKASZ ŻUK", "Łukasz Żuk" },
	{ "Søren Ørsted", "soren orsted" },
	{ "Strauß", "Strauss" },
	{ "Œuvre", "oeuvre" },
	{ "Dvořák, Antonín", "antonin dvorak" },
	/* Upper-case letters with marks fold as their lower case does. */
	{ "ŚLĄZAK, EWA", "Ewa Ślązak" },
	{ "ĆWIK", "ćwik" },
	{ "ŘEHOŘ", "Řehoř" },
	{ "ŞAHİN", "Şahin" },
	{ "YILDIZ, AYŞE", "ayşe yıldız" },
	{ "ĞÜL", "gül" },
	/* Spacing and punctuation outside ASCII. */
	{ "John\u00a0Smith", "John Smith" },		/* no-break space */
	{ "O\u2019Brien", "O'Brien" },			/* ’ */
	{ "Anna\u2013Lena Schmidt", "Anna-Lena Schmidt" },	/* – */
	{ "\u201cKevin\u201d Lang", "Kevin Lang" },	/* “ ” */
	{ "Lang\u00a0, Kevin", "kevin lang" },
};

/* Pairs that must not: no sound-alike, no fuzzy matching. */
static const char *const name_ne[][2] = {
	{ "Jon Smyth", "John Smith" },
	{ "Jon Smith", "John Smith" },
	{ "John Smyth", "John Smith" },
	{ "John Smith", "John" },
	{ "John Smith", "John Smith-Jones" },
	{ "Anna Schmidt", "Anna Schmitt" },
	{ "Ann Lee", "Anne Lee" },
	{ "K. Lang", "Kevin Lang" },
	{ "Lang", "Kevin Lang" },
	{ "Kevin Lang", "Kevin Lange" },
	{ "Zoë Müller", "Zoe Miller" },
	{ "Łukasz Żuk", "Lukasz Zak" },
	{ "Paul Fischer", "Paula Fischer" },
	{ "Mei Chen", "Mei Cheng" },
	{ "Jo Anne", "Joanne" },
};

static const char *const addr_eq[][2] = {
	{ "Wrangelstraße 80", "Wrangelstr. 80" },
	{ "Wrangelstrasse 80", "wrangelstr 80" },
	{ "WRANGELSTRASSE 80", "Wrangelstraße 80" },
	{ "Wrangelstr.80", "Wrangelstr. 80" },
	{ "Oranienstraße 12", "Oranienstr. 12" },
	{ "Schloßstraße 3", "Schlossstr. 3" },
	{ "Berliner Straße 5", "Berliner Str. 5" },
	{ "Berliner Strasse 5", "berliner str 5" },
	{ "Karl-Marx-Straße 12", "Karl-Marx-Str. 12" },
	{ "Karl-Marx-Straße 12", "karl marx str 12" },
	{ "Alexanderplatz 1", "Alexanderpl. 1" },
	{ "Lindenstr. 5, 2. OG", "Lindenstr 5 2 OG" },
	{ "10 Downing Street", "10 Downing St." },
	{ "10 Downing Street", "10 DOWNING ST" },
	{ "221B Baker Street", "221b Baker St" },
	{ "5 Abbey Road", "5 Abbey Rd." },
	{ "5 Abbey Road", "5 abbey rd" },
	{ "350 Fifth Avenue", "350 Fifth Ave" },
	{ "350 Fifth Avenue", "350 fifth ave." },
	{ "Rue de Rivoli 5", "rue de rivoli, 5" },
	{ "Müllerstraße 3", "Mullerstr. 3" },
	{ "  Hauptstr.   1 ", "Hauptstr. 1" },
	{ "Hauptstraße\u00a01", "Hauptstr. 1" },	/* no-break space */
};

static const char *const addr_ne[][2] = {
	{ "Wrangelstr. 80", "Wrangelstr. 81" },
	{ "Hauptstr. 1", "Hauptstr. 10" },
	{ "Wrangelstr. 80", "Wrangelplatz 80" },
	{ "Lindenstr. 5", "Lindenallee 5" },
	{ "Berliner Str. 5", "Berliner Weg 5" },
	{ "Baker Street 5", "Baker Road 5" },
	{ "5 Abbey Road", "5 Abbey Avenue" },
	{ "10 Downing Street", "11 Downing Street" },
	{ "Oranienstr. 12", "Oranienstr. 21" },
	{ "Oranienstr. 12", "Oranienplatz 12" },
	{ "Wrangelstr. 80", "Wrangel 80" },
};

static void
pairs(const char *what, char *(*norm)(const char *),
    const char *const (*v)[2], size_t n, int want)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *a = norm(v[i][0]), *b = norm(v[i][1]);

		ok((strcmp(a, b) == 0) == want, "%s '%s' %s '%s'", what,
		    v[i][0], want ? "=" : "!=", v[i][1]);
		if ((strcmp(a, b) == 0) != want)
			printf("#   '%s' and '%s'\n", a, b);
		free(a);
		free(b);
	}
}

#define nname(s, want) is_norm(appt_norm_name, "name", s, want)
#define naddr(s, want) is_norm(appt_norm_address, "address", s, want)

static void
test_norm(void)
{
	pairs("name", appt_norm_name, name_eq,
	    sizeof name_eq / sizeof name_eq[0], 1);
	pairs("name", appt_norm_name, name_ne,
	    sizeof name_ne / sizeof name_ne[0], 0);
	pairs("address", appt_norm_address, addr_eq,
	    sizeof addr_eq / sizeof addr_eq[0], 1);
	pairs("address", appt_norm_address, addr_ne,
	    sizeof addr_ne / sizeof addr_ne[0], 0);

	nname("Smith, John", "john smith");
	nname("Zoë Müller", "muller zoe");
	nname("", "");
	nname("  ,.- ", "");
	nname(NULL, "");
	naddr("Wrangelstraße 80", "wrangelstr 80");
	naddr("10 Downing Street", "10 downing st");
	naddr("", "");
	naddr(" , ", "");
	naddr(NULL, "");
}

static struct appt_store st;

/* A flags table from rows of id, name, email, phone, address, postcode,
 * cleared. */
static void
table(struct appt_table *t, const char *const (*v)[7], size_t n)
{
	struct appt_row *r;
	size_t i;

	appt_table_init(t, "/nonexistent/flags.csv", "flags.csv", flagcols);
	for (i = 0; i < n; i++) {
		r = appt_table_add(t);
		appt_set(t, r, "id", v[i][0]);
		appt_set(t, r, "name", v[i][1]);
		appt_set(t, r, "email", v[i][2]);
		appt_set(t, r, "phone", v[i][3]);
		appt_set(t, r, "address", v[i][4]);
		appt_set(t, r, "postcode", v[i][5]);
		appt_set(t, r, "reason", "test");
		appt_set(t, r, "cleared", v[i][6]);
	}
}

static const char *const flagrows[][7] = {
	{ "1", "Kevin Lang", "kevin.lang@example.com", "+49 171 9998877",
	    "Wrangelstr. 80", "10997", "" },
	{ "2", "Anna Schmidt", "anna.s@gmail.com", "030 1234567",
	    "Baker Street 5", "", "" },
	{ "3", "Erika Muster", "erika@example.org", "0151 1111111",
	    "Hauptstr. 1", "10115", "phone" },
	{ "4", "Hans Meier", "", "", "", "", "" },
	{ "7", "Otto Normal", "otto@example.com", "0160 2222222",
	    "Ringstr. 9", "", "phone address" },
};

/* The fields person p matches, and the id of the flag. */
static void
match(const struct appt_flags *fl, const struct appt_person *p,
    int wantmask, const char *wantid, const char *what)
{
	size_t flag = (size_t)-1;
	int mask = appt_flags_match(fl, p, &flag);
	char got[64], want[64];

	appt_flag_names(mask, got, sizeof got);
	appt_flag_names(wantmask, want, sizeof want);
	if (!wantmask) {
		ok(mask == 0, "%s: no match (got '%s')", what, got);
		return;
	}
	ok(mask == wantmask && flag < fl->t->nrow &&
	    !strcmp(appt_get(fl->t, &fl->t->row[flag], "id"), wantid),
	    "%s: flag %s on %s", what, wantid, want);
	if (mask != wantmask || flag >= fl->t->nrow)
		printf("#   got '%s' of row %zu\n", got, flag);
	else
		ok(appt_flag_fields(fl, flag, p) == mask,
		    "%s: appt_flag_fields agrees", what);
}

/* People and the flag of flagrows each matches (mask 0: none), and why. */
static const struct {
	struct appt_person p;
	int mask;
	const char *id, *what;
} cases[] = {
	/* Each field alone. */
	{ { .name = "lang, kevin" }, NAME, "1", "name alone" },
	{ { .name = "KEVIN  LANG" }, NAME, "1", "name in capitals" },
	{ { .email = "Kevin.Lang+spam@Example.COM" }, EMAIL, "1",
	    "email alone, case and +tag" },
	{ { .email = "kevinlang@example.com" }, 0, NULL,
	    "email dots count outside Gmail" },
	{ { .email = "a.n.n.a.s+x@googlemail.com" }, EMAIL, "2",
	    "Gmail dots and googlemail.com" },
	{ { .phone = "0171 9998877" }, PHONE, "1", "phone national" },
	{ { .phone = "0171/9998877" }, PHONE, "1", "phone with a slash" },
	{ { .phone = "0049 171 9998877" }, PHONE, "1", "phone with 0049" },
	{ { .phone = "+49 30 1234567" }, PHONE, "2",
	    "phone +49 against a national flag" },
	{ { .phone = "0171 9998878" }, 0, NULL, "another phone number" },
	{ { .address = "Wrangelstraße 80" }, ADDRESS, "1",
	    "address alone, no postcode" },
	{ { .name = "Jon Smyth", .address = "Baker St. 5" }, ADDRESS, "2",
	    "address, abbreviated" },

	/* The postcode counts when both sides have one. */
	{ { .address = "Wrangelstraße 80", .postcode = "10997" }, ADDRESS, "1",
	    "address with the same postcode" },
	{ { .address = "Wrangelstraße 80", .postcode = "10999" }, 0, NULL,
	    "address with another postcode" },
	{ { .address = "Baker St 5", .postcode = "NW1 6XE" }, ADDRESS, "2",
	    "postcode given, the flag has none" },
	{ { .address = "Hauptstraße 1", .postcode = " 10115 " }, ADDRESS, "3",
	    "postcode with blanks" },
	{ { .postcode = "10997" }, 0, NULL, "postcode alone" },
	{ { .phone = "0171 9998877", .address = "Wrangelstraße 80",
	    .postcode = "10999" }, PHONE, "1",
	    "phone matches, address not by postcode" },

	/* Two fields at once, as customer 8 of the example. */
	{ { .name = "Kevin Lang", .phone = "0171 9998877" }, NAME | PHONE, "1",
	    "name and phone" },
	{ { .name = "K. Lang", .email = "k.lang@example.net",
	    .phone = "0171 9998877", .address = "Wrangelstraße 80",
	    .postcode = "10997" }, PHONE | ADDRESS, "1",
	    "customer 8: phone and address" },
	{ { .name = "Schmidt, Anna", .email = "ANNAS@gmail.com",
	    .phone = "+49 30 1234567", .address = "Baker Street 5" },
	    NAME | EMAIL | PHONE | ADDRESS, "2", "all four" },

	/* A cleared field no longer matches; the others still do. */
	{ { .phone = "0151 1111111" }, 0, NULL, "cleared phone alone" },
	{ { .name = "Erika Muster", .phone = "0151 1111111" }, NAME, "3",
	    "cleared phone, name still matches" },
	{ { .email = "erika@example.org" }, EMAIL, "3",
	    "cleared phone, email still matches" },
	{ { .phone = "0160 2222222", .address = "Ringstraße 9" }, 0, NULL,
	    "cleared phone and address" },
	{ { .name = "Otto Normal", .phone = "0160 2222222",
	    .address = "Ringstraße 9" }, NAME, "7",
	    "cleared phone and address, name matches" },

	/* An empty field never matches, nor one with no normal form. */
	{ { 0 }, 0, NULL, "a person with nothing (NULL)" },
	{ { .name = "", .email = "", .phone = "", .address = "",
	    .postcode = "" }, 0, NULL, "a person with nothing (\"\")" },
	{ { .name = "  ", .email = " ", .phone = " ", .address = " , " }, 0,
	    NULL, "blanks and punctuation only" },
	{ { .name = "-", .email = "not an email", .phone = "n/a",
	    .address = "--" }, 0, NULL, "values without a normal form" },
	{ { .name = "hans meier" }, NAME, "4", "flag 4 by its name" },
};

static void
test_match(void)
{
	struct appt_table t;
	struct appt_flags fl;
	struct appt_person p;
	char buf[64];
	size_t i;

	table(&t, flagrows, sizeof flagrows / sizeof flagrows[0]);
	appt_flags_index(&fl, &st, &t);

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		match(&fl, &cases[i].p, cases[i].mask, cases[i].id,
		    cases[i].what);
	p = (struct appt_person){ .name = "Nobody", .email = "",
	    .phone = "n/a", .address = "?" };
	ok(appt_flag_fields(&fl, 3, &p) == 0,
	    "flag 4 (only a name) does not match on its empty fields");

	appt_flags_free(&fl);
	appt_table_free(&t);

	/* No flags at all. */
	table(&t, NULL, 0);
	appt_flags_index(&fl, &st, &t);
	p = (struct appt_person){ .name = "Kevin Lang" };
	match(&fl, &p, 0, NULL, "an empty flags table");
	appt_flags_free(&fl);
	appt_table_free(&t);

	ok(appt_flag_field("name") == APPT_F_NAME, "field name");
	ok(appt_flag_field("email") == APPT_F_EMAIL, "field email");
	ok(appt_flag_field("phone") == APPT_F_PHONE, "field phone");
	ok(appt_flag_field("address") == APPT_F_ADDRESS, "field address");
	ok(appt_flag_field("postcode") < 0, "postcode is not a field");
	ok(appt_flag_field("") < 0, "'' is not a field");
	/* The cleared column: field names, separated by spaces. */
	ok(appt_word_in("phone", " ", "phone", 0), "cleared 'phone'");
	ok(appt_word_in("name phone address", " ", "phone", 0),
	    "cleared in the middle");
	ok(appt_word_in("phone address", " ", "address", 0), "cleared last");
	ok(!appt_word_in("", " ", "phone", 0), "nothing cleared");
	ok(!appt_word_in("telephone", " ", "phone", 0), "not part of a word");
	ok(!appt_word_in("phones", " ", "phone", 0), "not a longer word");
	is(appt_flag_names(0, buf, sizeof buf), "", "names of no field");
	is(appt_flag_names(PHONE | ADDRESS, buf, sizeof buf), "phone+address",
	    "names phone+address");
	is(appt_flag_names(NAME | EMAIL | PHONE | ADDRESS, buf, sizeof buf),
	    "name+email+phone+address", "names of all fields");
}

/* Of several flags that match, the one that matches on most fields. */
static void
test_most(void)
{
	static const char *const a[][7] = {
		{ "1", "Max Power", "", "", "", "", "" },
		{ "2", "Max Power", "max@example.org", "", "", "", "" },
		{ "3", "", "", "0160 5555555", "", "", "" },
		{ "4", "Maria Power", "max@example.org", "0160 5555555",
		    "Hauptstr. 1", "", "" },
	};
	static const char *const b[][7] = {
		{ "9", "Max Power", "max@example.org", "", "", "", "" },
		{ "8", "Max Power", "", "", "", "", "" },
	};
	struct appt_table t;
	struct appt_flags fl;
	struct appt_person p;
	char ids[40][8], names[40][16];
	const char *many[40][7];
	size_t i;

	table(&t, a, sizeof a / sizeof a[0]);
	appt_flags_index(&fl, &st, &t);
	p = (struct appt_person){ .name = "power, max",
	    .email = "MAX@example.org" };
	match(&fl, &p, NAME | EMAIL, "2", "name+email beats name");
	p = (struct appt_person){ .name = "Maria Power",
	    .phone = "0160 5555555" };
	match(&fl, &p, NAME | PHONE, "4", "name+phone beats phone");
	p = (struct appt_person){ .name = "Max Power",
	    .email = "max@example.org", .phone = "0160 5555555",
	    .address = "Hauptstraße 1" };
	match(&fl, &p, EMAIL | PHONE | ADDRESS, "4", "three beat two");
	appt_flags_free(&fl);
	appt_table_free(&t);

	/* The same with the better flag first. */
	table(&t, b, sizeof b / sizeof b[0]);
	appt_flags_index(&fl, &st, &t);
	p = (struct appt_person){ .name = "max power",
	    .email = "max@example.org" };
	match(&fl, &p, NAME | EMAIL, "9", "name+email first beats name");
	appt_flags_free(&fl);
	appt_table_free(&t);

	/*
	 * A common name flagged many times: the flag that also has the
	 * person's email is still the one found.
	 */
	for (i = 0; i < 40; i++) {
		snprintf(ids[i], sizeof ids[i], "%zu", i + 1);
		snprintf(names[i], sizeof names[i], "m%zu@example.org", i + 1);
		many[i][0] = ids[i];
		many[i][1] = "Anna Schmidt";
		many[i][2] = names[i];
		many[i][3] = many[i][4] = many[i][5] = many[i][6] = "";
	}
	table(&t, many, 40);
	appt_flags_index(&fl, &st, &t);
	p = (struct appt_person){ .name = "Anna Schmidt",
	    .email = "m37@example.org" };
	match(&fl, &p, NAME | EMAIL, "37", "40 flags of one name");
	p = (struct appt_person){ .name = "Schmidt, Anna" };
	match(&fl, &p, NAME, "1", "40 flags of one name, name only");
	appt_flags_free(&fl);
	appt_table_free(&t);
}

int
main(void)
{
	st.country = "DE";
	test_norm();
	test_match();
	test_most();
	return done();
}
