/* config.c: config.ini syntax, values, validation and opening hours. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"
#include "t.h"

static char *path;

static const char sample[] =
    "; the DESIGN.md example\n"				/* 1 */
    "[business]\n"
    "name = Hair by Sam\n"
    "email = sam@example.com          ; From: of every message\n"
    "phone = +49 30 1234567\n"					/* 5 */
    "address = Hauptstr. 1, 10115 Berlin\n"
    "timezone = Europe/Berlin\n"
    "currency = EUR\n"
    "country = DE                     ; for numbers without +CC\n"
    "\n"							/* 10 */
    "[hours]\n"
    "mon = 09:00-12:30, 13:30-18:00\n"
    "tue = 09:00-18:00\n"
    "wed = 09:00-18:00\n"
    "thu = 09:00-20:00\n"					/* 15 */
    "fri = 09:00-18:00\n"
    "sat = 10:00-14:00\n"
    "sun = closed\n"
    "\n"
    "[hours.alice]\n"					/* 20 */
    "mon = closed\n"
    "\n"
    "[booking]\n"
    "granularity = 15m\n"
    "min_notice = 2h\n"						/* 25 */
    "horizon = 90d\n"
    "on_flag = warn                   ; warn | refuse\n"
    "\n"
    "[notify]\n"
    "confirm = yes\n"						/* 30 */
    "changes = yes\n"
    "remind = 24h, 2h\n"
    "channels = email, sms\n"
    "\n"
    "[mail]\n"							/* 35 */
    "sendmail = msmtp\n"
    "args = -a default\n"
    "\n"
    "[sms]\n"
    "command = /usr/local/bin/sms-send {phone}   ; on stdin\n"	/* 40 */
    "\n"
    "[invoice]\n"
    "number = INV-%Y-%04n\n"
    "tax = 19\n"
    "due = 14d\n"						/* 45 */
    "\n"
    "[review]\n"
    "url = https://example.com/review\n"
    "steps = 1d, 4d, 10d\n";

static int
load(struct appt_config *c, const char *s, char **err)
{
	t_write(path, s, strlen(s));
	return appt_config_load(c, path, err);
}

/* s must fail to load with an error that starts with want. */
static void
bad(const char *s, size_t len, const char *want, const char *what)
{
	struct appt_config c;
	char *err = NULL;

	t_write(path, s, len ? len : strlen(s));
	ok(appt_config_load(&c, path, &err) < 0 && err, "%s: refused", what);
	ok(err && !strncmp(err, want, strlen(want)), "%s: message '%s' "
	    "starts '%s'", what, err ? err : "(null)", want);
	free(err);
	appt_config_free(&c);
}

struct msgs {
	size_t n;
	char *m[32];
};

static void
collect(void *ctx, const char *msg)
{
	struct msgs *ms = ctx;

	if (ms->n < 32)
		ms->m[ms->n] = xstrdup(msg);
	ms->n++;
}

static void
msgs_free(struct msgs *ms)
{
	size_t i;

	for (i = 0; i < ms->n && i < 32; i++)
		free(ms->m[i]);
	ms->n = 0;
}

/* Was a message reported that starts with want? */
static int
reported(const struct msgs *ms, const char *want)
{
	size_t i;

	for (i = 0; i < ms->n && i < 32; i++)
		if (!strncmp(ms->m[i], want, strlen(want)))
			return 1;
	return 0;
}

static void
test_load(void)
{
	struct appt_config c;
	struct msgs ms = { 0 };
	char *err = NULL, *s;
	int r;

	ok(load(&c, sample, &err) == 0 && !err, "the sample loads (%s)",
	    err ? err : "ok");
	is(appt_cfg(&c, "business:name", NULL), "Hair by Sam", "name");
	is(appt_cfg(&c, "business:email", NULL), "sam@example.com",
	    "a comment after a value is dropped");
	is(appt_cfg(&c, "business:address", NULL),
	    "Hauptstr. 1, 10115 Berlin", "address with a comma");
	is(appt_cfg(&c, "hours:mon", NULL), "09:00-12:30, 13:30-18:00",
	    "hours:mon");
	is(appt_cfg(&c, "hours.alice:mon", NULL), "closed", "hours.alice:mon");
	is(appt_cfg(&c, "invoice:number", NULL), "INV-%Y-%04n", "a %% kept");
	is(appt_cfg(&c, "sms:command", NULL),
	    "/usr/local/bin/sms-send {phone}", "sms:command");
	is(appt_cfg(&c, "business:nothing", "def"), "def", "absent key: def");
	is(appt_cfg(&c, "nosection:name", "def"), "def", "absent section: def");
	ok(appt_cfg(&c, "business:nothing", NULL) == NULL, "absent: NULL");
	ok(appt_cfg_line(&c, "business:name") == 3, "line of business:name");
	ok(appt_cfg_line(&c, "booking:granularity") == 24,
	    "line of booking:granularity");
	ok(appt_cfg_line(&c, "hours.alice:mon") == 21, "line of "
	    "hours.alice:mon");
	ok(appt_cfg_line(&c, "review:steps") == 49, "line of review:steps");
	ok(appt_cfg_line(&c, "business:nothing") == 0, "line of absent key");
	ok(appt_cfg_dur(&c, "booking:granularity", "30m") == 15, "cfg_dur");
	ok(appt_cfg_dur(&c, "booking:nothing", "1h30m") == 90,
	    "cfg_dur default");
	ok(appt_cfg_bool(&c, "notify:confirm", 0) == 1, "cfg_bool");
	ok(appt_cfg_bool(&c, "notify:nothing", 0) == 0 &&
	    appt_cfg_bool(&c, "notify:nothing", 1) == 1, "cfg_bool default");
	r = appt_config_validate(&c, collect, &ms);
	ok(r == 0 && ms.n == 0, "the sample validates (%d: %s)", r,
	    ms.n ? ms.m[0] : "");
	msgs_free(&ms);
	s = getenv("TZ");
	is(s, "Europe/Berlin", "validate leaves TZ as it was");
	appt_config_free(&c);
	appt_config_free(&c);

	/* Keys and sections are lowercased; spacing is free. */
	ok(load(&c, "[Business]\nName=Sam\n  Email   =   s@x.de  \n", &err) ==
	    0, "mixed case loads");
	is(appt_cfg(&c, "business:name", NULL), "Sam", "Name lowercased");
	is(appt_cfg(&c, "business:email", NULL), "s@x.de", "spaces trimmed");
	ok(appt_cfg_line(&c, "business:email") == 3, "line of Email");
	appt_config_free(&c);

	/* Quoted values keep ; and #. */
	ok(load(&c, "[business]\nname = \"Salon; Spa\"\n"
	    "address = \"Hof #2; Berlin\"   ; a comment\n"
	    "phone = 030 1234 ; a comment\n", &err) == 0, "quoted values load");
	is(appt_cfg(&c, "business:name", NULL), "Salon; Spa", "quoted ; kept");
	is(appt_cfg(&c, "business:address", NULL), "Hof #2; Berlin",
	    "quoted # and ; kept, comment dropped");
	is(appt_cfg(&c, "business:phone", NULL), "030 1234",
	    "unquoted value ends at ;");
	appt_config_free(&c);

	/* Comments, blank lines, CRLF, a BOM, an empty value. */
	ok(load(&c, "\xef\xbb\xbf; comment\r\n# another\r\n\r\n[business]\r\n"
	    "name = Sam\r\ncurrency =\r\n", &err) == 0, "BOM, CRLF, comments "
	    "load (%s)", err ? err : "ok");
	is(appt_cfg(&c, "business:name", NULL), "Sam", "CRLF value");
	is(appt_cfg(&c, "business:currency", "EUR"), "EUR",
	    "an empty value is the default");
	ok(appt_cfg_line(&c, "business:name") == 5, "CRLF line numbers");
	appt_config_free(&c);
	free(err);
	err = NULL;
	ok(load(&c, "\xef\xbb\xbf[business]\nname = Sam\n", &err) == 0,
	    "a BOM before a section loads (%s)", err ? err : "ok");
	is(appt_cfg(&c, "business:name", NULL), "Sam", "value after a BOM");
	appt_config_free(&c);
	free(err);
	err = NULL;

	/* Empty and missing files. */
	ok(load(&c, "", &err) == 0 && c.nkey == 0, "empty file");
	is(appt_cfg(&c, "business:name", "def"), "def", "empty file: def");
	appt_config_free(&c);
	unlink(path);
	ok(appt_config_load(&c, path, &err) == 0 && !err, "missing file");
	is(appt_cfg(&c, "business:name", "def"), "def", "missing file: def");
	ok(appt_staff_hours(&c, NULL, 1, (int[4]){ 0 }, (int[4]){ 0 }, 4) == 1,
	    "missing file: default hours");
	appt_config_free(&c);

	/* A line just under the limit is fine. */
	{
		char *v = xmalloc(1100);

		memset(v, 'x', 1100);
		memcpy(v + 983, "\n", 2);
		s = xasprintf("[business]\nname = %s", v);	/* 990 + LF */
		ok(load(&c, s, &err) == 0, "a line of 991 bytes (%s)",
		    err ? err : "ok");
		ok(appt_cfg(&c, "business:name", NULL) &&
		    strlen(appt_cfg(&c, "business:name", NULL)) == 983,
		    "its value");
		appt_config_free(&c);
		free(s);
		free(err);
		err = NULL;
		memset(v, 'x', 1100);
		memcpy(v + 1083, "\n", 2);
		s = xasprintf("[business]\n; ok\nname = %s", v);
		bad(s, 0, "config.ini:3: line longer than 1000 bytes",
		    "a line over 1000 bytes");
		free(s);
		s = xasprintf("[business]\n;%s", v);
		bad(s, 0, "config.ini:2: line longer", "a long comment");
		free(s);
		free(v);
	}
}

static void
test_syntax(void)
{
	bad("[business]\nname = Sam\njust words\n", 0, "config.ini:3: not a "
	    "[section] or 'key = value' line", "syntax error");
	bad("[business]\n= Sam\n", 0, "config.ini:2: not a", "empty key");
	bad("name = Sam\n[business]\n", 0, "config.ini:1: key outside a "
	    "[section]", "key outside a section");
	bad("; c\n\nname = Sam\n", 0, "config.ini:3: key outside",
	    "key outside a section after comments");
	bad("[business]\nname = a\nemail = b\nname = c\n", 0,
	    "config.ini:4: business:name set again (first at line 2)",
	    "key set twice");
	bad("[business]\nname = a\n[booking]\n[Business]\nNAME = c\n", 0,
	    "config.ini:5: business:name set again", "key set twice, any case");
	bad("[business] ; the shop\nname = a\n", 0, "config.ini:1: malformed "
	    "section header", "comment after [section]");
	bad("[business] # the shop\n", 0, "config.ini:1: malformed",
	    "# comment after [section]");
	bad("[]\nname = a\n", 0, "config.ini:1: malformed", "empty section");
	bad("[business\nname = a\n", 0, "config.ini:1: malformed",
	    "unclosed section");
	bad("[business]\nname = a \\\n", 0, "config.ini:2: a line may not end",
	    "line ending in backslash");
	bad("[business]\nname = S\0m\n", 22, "config.ini:2: NUL byte",
	    "NUL byte");
}

static void
test_validate(void)
{
	/* The problems of the file below, by what is wrong. */
	static const char *const want[][2] = {
		{ "config.ini:2: business:email: not an email", "bad email" },
		{ "config.ini:3: business:timezone: unknown time zone",
		    "bad time zone" },
		{ "config.ini:4: business:currency: not a currency",
		    "bad currency" },
		{ "config.ini:5: business:country: unknown country",
		    "bad country" },
		{ "config.ini:6: business:colour: unknown key", "unknown key" },
		{ "config.ini:8: booking:granularity: not a duration",
		    "bad duration" },
		{ "config.ini:10: booking:on_flag: not warn or refuse",
		    "on_flag = maybe" },
		{ "config.ini:13: hours:mon: not 'closed' or times",
		    "bad hours" },
		{ "config.ini:14: hours:tue: ", "reversed hours" },
		{ "config.ini:15: hours:wed: ", "overlapping hours" },
		{ "config.ini:16: hours:thu: ", "negative hours" },
		{ "config.ini:18: hours.alice:mon: not 'closed'",
		    "bad staff hours" },
		{ "config.ini:19: hours.alice:holiday: unknown key",
		    "unknown staff day" },
		{ "config.ini:21: notify:confirm: not yes or no", "bad bool" },
		{ "config.ini:22: notify:remind: not a list of durations",
		    "bad duration list" },
		{ "config.ini:23: notify:channels: not a list of email, sms",
		    "bad channels" },
		{ "config.ini:25: invoice:number: has no %n",
		    "number without %n" },
		{ "config.ini:26: invoice:tax: not a percentage",
		    "tax over 100" },
		{ "config.ini:28: nosuch:key: unknown key", "unknown section" },
	};
	struct appt_config c;
	struct msgs ms = { 0 };
	char *err = NULL;
	size_t i;
	int r;

	ok(load(&c,
	    "[business]\n"					/* 1 */
	    "email = not-an-address\n"
	    "timezone = Mars/Olympus\n"
	    "currency = eur\n"
	    "country = XX\n"					/* 5 */
	    "colour = red\n"
	    "[booking]\n"
	    "granularity = 5x\n"
	    "min_notice = 2h\n"
	    "on_flag = maybe\n"					/* 10 */
	    "horizon =\n"
	    "[hours]\n"
	    "mon = 9-17\n"
	    "tue = 17:00-09:00\n"
	    "wed = 09:00-12:00, 11:00-13:00\n"			/* 15 */
	    "thu = -1:00-17:00\n"
	    "[hours.alice]\n"
	    "mon = whenever\n"
	    "holiday = closed\n"
	    "[notify]\n"					/* 20 */
	    "confirm = perhaps\n"
	    "remind = 24h, soon\n"
	    "channels = email, fax\n"
	    "[invoice]\n"
	    "number = INV-%Y\n"					/* 25 */
	    "tax = 120\n"
	    "[nosuch]\n"
	    "key = 1\n", &err) == 0, "a file of bad values loads (%s)",
	    err ? err : "ok");
	setenv("TZ", "Europe/Berlin", 1);
	r = appt_config_validate(&c, collect, &ms);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		ok(reported(&ms, want[i][0]), "%s", want[i][1]);
	ok(r == 19 && ms.n == 19, "19 problems, no more (%d)", r);
	ok(!reported(&ms, "config.ini:9:") && !reported(&ms, "config.ini:11:"),
	    "good and empty values not reported");
	is(getenv("TZ"), "Europe/Berlin", "TZ restored after a bad zone");
	msgs_free(&ms);
	appt_config_free(&c);

	ok(load(&c, "[invoice]\nnumber = %n\ntax = 7.5\n[booking]\n"
	    "on_flag = refuse\n[notify]\nconfirm = Off\nchannels = sms\n"
	    "[business]\ncurrency = JPY\ntimezone = UTC\n", &err) == 0,
	    "good values load");
	ok(appt_config_validate(&c, collect, &ms) == 0 && ms.n == 0,
	    "good values validate (%s)", ms.n ? ms.m[0] : "ok");
	msgs_free(&ms);
	appt_config_free(&c);
}

static void
test_hours(void)
{
	int st[8], en[8];
	struct appt_config c;
	char *err = NULL;

	ok(appt_parse_hours("09:00-12:30, 13:30-18:00", st, en, 8) == 2,
	    "two intervals");
	ok(st[0] == 540 && en[0] == 750 && st[1] == 810 && en[1] == 1080,
	    "their minutes");
	ok(appt_parse_hours("09:00-17:00", st, en, 8) == 1 && st[0] == 540 &&
	    en[0] == 1020, "one interval");
	ok(appt_parse_hours("9:00-17:00", st, en, 8) == 1 && st[0] == 540,
	    "one-digit hour");
	ok(appt_parse_hours("closed", st, en, 8) == 0, "closed");
	ok(appt_parse_hours("Closed", st, en, 8) == 0, "Closed");
	ok(appt_parse_hours("00:00-24:00", st, en, 8) == 1 && st[0] == 0 &&
	    en[0] == 1440, "the whole day");
	ok(appt_parse_hours("09:00-12:00,12:00-13:00", st, en, 8) == 2,
	    "adjacent intervals");
	ok(appt_parse_hours(" 09:00-12:00 ,\t13:00-14:00 ", st, en, 8) == 2,
	    "spaces and tabs");
	ok(appt_parse_hours("09:00-12:00, 11:00-13:00", st, en, 8) == -1,
	    "overlapping");
	ok(appt_parse_hours("13:00-14:00, 09:00-10:00", st, en, 8) == -1,
	    "out of order");
	ok(appt_parse_hours("17:00-09:00", st, en, 8) == -1, "reversed");
	ok(appt_parse_hours("09:00-09:00", st, en, 8) == -1, "empty");
	ok(appt_parse_hours("09:00-24:30", st, en, 8) == -1, "past midnight");
	ok(appt_parse_hours("09:00-25:00", st, en, 8) == -1, "hour 25");
	ok(appt_parse_hours("09:60-10:00", st, en, 8) == -1, "minute 60");
	ok(appt_parse_hours("-1:00-17:00", st, en, 8) == -1, "negative hour");
	ok(appt_parse_hours("09:00-17:-5", st, en, 8) == -1, "negative minute");
	ok(appt_parse_hours("9-17", st, en, 8) == -1, "9-17");
	ok(appt_parse_hours("", st, en, 8) == -1, "empty string");
	ok(appt_parse_hours("09:00-12:00,", st, en, 8) == -1, "trailing comma");
	ok(appt_parse_hours("09:00-12:00 13:00-14:00", st, en, 8) == -1,
	    "no comma");
	ok(appt_parse_hours("09:00-12:00x", st, en, 8) == -1, "trailing junk");
	ok(appt_parse_hours("09:00-10:00, 11:00-12:00, 13:00-14:00", st, en,
	    2) == -1, "more than max");
	ok(appt_parse_hours("09:00-10:00, 11:00-12:00", st, en, 2) == 2,
	    "exactly max");

	ok(load(&c, sample, &err) == 0, "sample for staff hours");
	ok(appt_staff_hours(&c, NULL, 1, st, en, 8) == 2 && st[0] == 540 &&
	    en[1] == 1080, "business monday");
	ok(appt_staff_hours(&c, NULL, 0, st, en, 8) == 0, "business sunday");
	ok(appt_staff_hours(&c, NULL, 6, st, en, 8) == 1 && st[0] == 600 &&
	    en[0] == 840, "business saturday");
	ok(appt_staff_hours(&c, "alice", 1, st, en, 8) == 0,
	    "[hours.alice] mon = closed overrides");
	ok(appt_staff_hours(&c, "Alice", 1, st, en, 8) == 0,
	    "staff id in any case");
	ok(appt_staff_hours(&c, "alice", 2, st, en, 8) == 1 && st[0] == 540 &&
	    en[0] == 1080, "alice tuesday follows [hours]");
	ok(appt_staff_hours(&c, "alice", 4, st, en, 8) == 1 && en[0] == 1200,
	    "alice thursday follows [hours]");
	ok(appt_staff_hours(&c, "bob", 1, st, en, 8) == 2, "bob follows "
	    "[hours]");
	ok(appt_staff_hours(&c, "", 1, st, en, 8) == 2, "'' is the business");
	appt_config_free(&c);

	ok(load(&c, "[business]\nname = x\n", &err) == 0, "no [hours]");
	ok(appt_staff_hours(&c, NULL, 1, st, en, 8) == 1 && st[0] == 540 &&
	    en[0] == 1020, "default monday 09:00-17:00");
	ok(appt_staff_hours(&c, NULL, 5, st, en, 8) == 1, "default friday");
	ok(appt_staff_hours(&c, NULL, 6, st, en, 8) == 0, "default saturday "
	    "closed");
	ok(appt_staff_hours(&c, NULL, 0, st, en, 8) == 0, "default sunday "
	    "closed");
	ok(appt_staff_hours(&c, "alice", 3, st, en, 8) == 1, "default for "
	    "staff");
	appt_config_free(&c);

	ok(load(&c, "[hours]\nmon = 10:00-11:00\n[hours.alice]\n"
	    "sat = 08:00-12:00\n", &err) == 0, "[hours] with monday only");
	ok(appt_staff_hours(&c, NULL, 1, st, en, 8) == 1 && st[0] == 600,
	    "monday as given");
	ok(appt_staff_hours(&c, NULL, 2, st, en, 8) == 0, "a day [hours] does "
	    "not name is closed");
	ok(appt_staff_hours(&c, "alice", 6, st, en, 8) == 1 && st[0] == 480,
	    "alice's own saturday");
	ok(appt_staff_hours(&c, "alice", 2, st, en, 8) == 0, "alice tuesday "
	    "follows [hours]");
	appt_config_free(&c);

	ok(load(&c, "[hours.alice]\ntue = 12:00-13:00\n", &err) == 0,
	    "only [hours.alice]");
	ok(appt_staff_hours(&c, "alice", 2, st, en, 8) == 1 && st[0] == 720,
	    "alice's tuesday");
	ok(appt_staff_hours(&c, "alice", 1, st, en, 8) == 1 && st[0] == 540,
	    "alice's monday: the default");
	ok(appt_staff_hours(&c, NULL, 2, st, en, 8) == 1 && st[0] == 540,
	    "business tuesday: the default");
	appt_config_free(&c);

	ok(load(&c, "[hours]\nmon = nonsense\n", &err) == 0, "bad hours load");
	ok(appt_staff_hours(&c, NULL, 1, st, en, 8) == 0, "bad hours: closed");
	appt_config_free(&c);
}

/* An unquoted ';' or '#' that iniparser would take for a comment. */
static void
test_cut(void)
{
	struct appt_config c;
	char *err = NULL;

	bad("[business]\nname = Salon #1\n", 0, "config.ini:2: business:name: "
	    "'#' starts a comment here, cutting the value; quote it: "
	    "name = \"Salon #1\"", "name = Salon #1");
	bad("[business]\nName = Salon#1\n", 0, "config.ini:2: business:name: "
	    "'#' starts a comment here, cutting the value; quote it: "
	    "Name = \"Salon#1\"", "Name = Salon#1, key as written");
	bad("[business]\nname = #1 Salon\n", 0, "config.ini:2: business:name: "
	    "'#'", "a value starting with #");
	bad("; c\n[business]\naddress = Hof 2;Berlin\n", 0, "config.ini:3: "
	    "business:address: ';' starts a comment here, cutting the value; "
	    "quote it: address = \"Hof 2;Berlin\"", "a ; after a letter");
	bad("[review]\nurl = https://example.com/r#top   ; the page\n", 0,
	    "config.ini:2: review:url: '#' starts a comment here, cutting the "
	    "value; quote it: url = \"https://example.com/r#top\"",
	    "a # in a URL, the comment left out of the quoted form");
	bad("[business]\nname = Salon  # the shop\n", 0, "config.ini:2: "
	    "business:name: '#' starts a comment here, cutting the value; "
	    "quote it: name = \"Salon  # the shop\"",
	    "a # after blanks is not a comment");
	bad("[business]\nname = Say \"hi\" #1\n", 0, "config.ini:2: "
	    "business:name: '#' starts a comment here, cutting the value; "
	    "quote it: name = 'Say \"hi\" #1'", "a value with \" is quoted "
	    "with '");
	bad("[business]\nname = It's \"#1\"\n", 0, "config.ini:2: "
	    "business:name: '#' starts a comment here, cutting the value, "
	    "which holds both quote characters", "both quotes");
	bad("[business]\nname = \"Salon #1\n", 0, "config.ini:2: "
	    "business:name: no closing \"", "unclosed quote");
	bad("[business]\nname = 'Salon #1\n", 0, "config.ini:2: "
	    "business:name: no closing '", "unclosed single quote");
	bad("[business]\nname = \"Salon\" #1\n", 0, "config.ini:2: "
	    "business:name: '#1' after the closing \" would be dropped",
	    "text after the closing quote");
	bad("[business]\nname = \"Salon\";x\n", 0, "config.ini:2: "
	    "business:name: ';x' after", "; right after the closing quote");

	ok(load(&c, "[business]\n"
	    "name = \"Salon #1\"\n"
	    "address = 'Hof #2; Berlin'  ; a comment\n"
	    "phone = 030 1234\t; after a tab\n"
	    "email = ; nothing but a comment\n"
	    "country = \"\"\n"
	    "timezone = Europe/Berlin ; #a comment with both\n", &err) == 0,
	    "quoted values and comments after a blank load (%s)",
	    err ? err : "ok");
	is(appt_cfg(&c, "business:name", NULL), "Salon #1", "quoted # kept");
	is(appt_cfg(&c, "business:address", NULL), "Hof #2; Berlin",
	    "single-quoted # and ; kept");
	is(appt_cfg(&c, "business:phone", NULL), "030 1234", "tab then ;");
	is(appt_cfg(&c, "business:email", "none"), "none", "only a comment");
	is(appt_cfg(&c, "business:country", "none"), "none", "\"\" is empty");
	is(appt_cfg(&c, "business:timezone", NULL), "Europe/Berlin",
	    "a comment holding #");
	appt_config_free(&c);
	free(err);
}

int
main(void)
{
	path = t_scratch("config.ini");
	setenv("TZ", "Europe/Berlin", 1);
	unsetenv("TZDIR");
	test_load();
	test_syntax();
	test_validate();
	test_hours();
	test_cut();
	t_scratch_rm(path);
	return done();
}
