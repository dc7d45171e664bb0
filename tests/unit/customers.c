/*
 * customers.c: customers.csv through its index, over many additions:
 * each customer is found again by id, email and phone, whether the index
 * is in memory, read back with what was added since, merged when that
 * grows many, or made again after a change in place.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appt.h"
#include "t.h"

#define N 1100		/* past one merge of what was added (1024) */

static char dir[] = "/tmp/appt-unit-customers.XXXXXX";
static const char *const files[] = { "config.ini", "customers.csv",
    "ids.csv", ".customers.idx", ".customers.added.idx", ".lock", NULL };
static struct appt_store s;

static void
put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");

	if (!fp || fputs(text, fp) == EOF || fclose(fp) != 0)
		appt_die(1, "%s: cannot write", path);
	free(path);
}

static void
person(int i, char *name, char *email, char *phone, size_t n)
{
	snprintf(name, n, "Person %d", i);
	snprintf(email, n, "p%d@example.com", i);
	snprintf(phone, n, "+49 170 %07d", i);
}

static void quiet(void *, const char *);

/* The customer of key, as a booking with -c finds one: NULL if none. */
static const struct appt_person *
bykey(struct appt_customers *cc, const char *key)
{
	static struct appt_resolved out;
	struct appt_person none = { 0 };

	return appt_customer_resolve(cc, NULL, 0, key, &none, &out, quiet,
	    NULL) ? NULL : &out.p;
}

/* Is customer i (id i + 3) found by id, by email and by phone? */
static int
found(struct appt_customers *cc, int i)
{
	char name[64], email[64], phone[64], key[64];
	const struct appt_person *p;
	struct appt_table *t = appt_customers_table(cc);
	struct appt_row *r;
	const char *field = NULL;
	long id = i + 3;

	person(i, name, email, phone, sizeof name);
	snprintf(key, sizeof key, "%ld", id);
	if (!(p = bykey(cc, key)) || strcmp(p->email, email))
		return 0;
	/* Another form of each. */
	snprintf(key, sizeof key, "P%d+x@Example.COM", i);
	if (!(r = appt_customers_match(cc, key, NULL, &field)) ||
	    strcmp(appt_get(t, r, "name"), name) || strcmp(field, "email"))
		return 0;
	snprintf(key, sizeof key, "0170 %07d", i);
	if (!(r = appt_customers_match(cc, NULL, key, &field)) ||
	    strcmp(appt_get(t, r, "name"), name) || strcmp(field, "phone"))
		return 0;
	return 1;
}

/* Every customer from 1 to n found, through a handle opened afresh. */
static int
allfound(int n)
{
	struct appt_customers *cc = appt_customers_open(&s, NULL);
	int i, ok = 1;

	for (i = 1; i <= n && ok; i++)
		ok = found(cc, i);
	appt_customers_close(cc);
	return ok;
}

static void
quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static off_t
size(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;

	if (stat(path, &st) < 0)
		st.st_size = -1;
	free(path);
	return st.st_size;
}

int
main(void)
{
	struct appt_customers *cc;
	struct appt_table *t;
	struct appt_row *r;
	struct appt_person p = { 0 };
	struct appt_resolved out;
	const struct appt_person *pp;
	char name[64], email[64], phone[64], *text, *path;
	size_t len;
	int i, ok1 = 1, merged = 0;
	off_t added, most = 0;

	if (!mkdtemp(dir))
		appt_die(1, "mkdtemp");
	setenv("TZ", "Europe/Berlin", 1);
	setenv("APPT_NOW", "2026-11-23T08:00", 1);
	put("config.ini", "[business]\ntimezone = Europe/Berlin\n"
	    "country = DE\n");
	put("customers.csv", "id,name,vip,email,phone,address,postcode,notes,"
	    "created\n"
	    "1,Zoë Müller,yes,zoe@example.net,+49 171 2345678,,,,"
	    "2026-01-12T10:00+01:00\n"
	    "2,Jonas Weber,,jonas@example.org,0170 1112233,,,\"two\nlines\","
	    "2026-02-03T15:30+01:00\n"
	    "3,Lukas Schmidt,,,+49 152 3334455,,,,2026-04-08T09:15+02:00\n");
	put("ids.csv", "table,last\ncustomers,3\n");
	appt_store_open(&s, dir);
	appt_lock(&s);

	/* One at a time, a handle each, as bookings come. */
	for (i = 1; i <= N; i++) {
		cc = appt_customers_open(&s, NULL);
		person(i, name, email, phone, sizeof name);
		p.name = name;
		p.email = email;
		p.phone = phone;
		if (appt_customers_match(cc, email, phone, NULL))
			ok1 = 0;
		appt_customers_add(cc, &p);
		appt_customers_save(cc);
		if (!found(cc, i) || !found(cc, (i + 1) / 2))
			ok1 = 0;
		appt_customers_close(cc);
		added = size(".customers.added.idx");
		if (added < most)
			merged++;
		most = added;
	}
	ok(ok1, "each of %d new customers is new, then found by id, email "
	    "and phone, and so is one added before", N);
	ok(merged >= 1, "what was added was merged into .customers.idx "
	    "(%d times)", merged);
	ok(allfound(N), "all found by a handle opened afresh");
	cc = appt_customers_open(&s, NULL);
	t = appt_customers_table(cc);
	pp = bykey(cc, "jonas@example.org");
	ok(pp && !strcmp(pp->notes, "two\nlines"),
	    "a record of two lines is read whole");
	r = appt_customers_match(cc, NULL, "+49 171 2345678", NULL);
	ok(r && !strcmp(appt_get(t, r, "vip"), "yes"), "a user column is read");
	ok(!bykey(cc, "nobody@example.com") && !bykey(cc, "0170 9999999") &&
	    !bykey(cc, "99999"), "no one else is found");

	/* Filled in, as a returning customer is: the rows after move. */
	p.name = "Person 2";
	p.email = "p2@example.com";
	p.phone = NULL;
	p.address = "A much longer street name 12";
	ok(appt_customer_resolve(cc, NULL, 0, NULL, &p, &out, quiet,
	    NULL) == 0 && !strcmp(out.id, "5") && !out.isnew,
	    "a returning customer is recognised");
	p.name = "Jonas Weber";
	p.email = "jonas@example.org";
	p.address = "X";
	ok(appt_customer_resolve(cc, NULL, 0, NULL, &p, &out, quiet,
	    NULL) == 0 && !strcmp(out.id, "2"), "and another");
	p.name = "New Person";
	p.email = "new@example.org";
	p.address = NULL;
	ok(appt_customer_resolve(cc, NULL, 0, NULL, &p, &out, quiet,
	    NULL) == 0 && out.isnew && !strcmp(out.id, "1104"),
	    "a new one among them");
	appt_customers_save(cc);
	ok(found(cc, 2) && found(cc, N) && bykey(cc, "new@example.org"),
	    "found after changes in place and an addition at once");
	appt_customers_close(cc);
	ok(allfound(N), "and by a handle opened afresh");
	path = xasprintf("%s/customers.csv", dir);
	text = appt_slurp(path, &len);
	ok(text && strstr(text, "\n2,Jonas Weber,,jonas@example.org,0170 "
	    "1112233,X,,\"two\nlines\",2026-02-03T15:30+01:00\n3,") &&
	    strstr(text, "\n5,Person 2,,p2@example.com,+49 170 0000002,A much "
	    "longer street name 12,,,2026-11-23T08:00+01:00\n6,") &&
	    strstr(text, "\n1104,New Person,,new@example.org,,,,,"
	    "2026-11-23T08:00+01:00\n") && text[len - 1] == '\n' &&
	    !strstr(strstr(text, "\n1104,"), "\n1103,"),
	    "the records changed in place, the new at the end, others kept");
	free(text);
	free(path);

	/* A user column new to the file: rewritten whole, still found. */
	cc = appt_customers_open(&s, NULL);
	t = appt_customers_table(cc);
	person(N + 1, name, email, phone, sizeof name);
	p.name = name;
	p.email = email;
	p.phone = phone;
	r = appt_customers_add(cc, &p);
	appt_set(t, r, "since", "2019");
	appt_customers_save(cc);
	pp = bykey(cc, "1105");
	ok(pp && !strcmp(pp->email, email) && bykey(cc, "0170 0001101") &&
	    found(cc, 1) && found(cc, N), "found after a rewrite");
	appt_customers_close(cc);
	ok(allfound(N), "and by a handle opened afresh");
	appt_store_close(&s);
	for (i = 0; files[i]; i++) {
		path = xasprintf("%s/%s", dir, files[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
	return done();
}
