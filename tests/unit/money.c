/* money.c: amounts as integer minor units, parsed and formatted. */
#include <limits.h>
#include <stdlib.h>

#include "appt.h"
#include "t.h"

static void
parse(const char *s, int digits, long long want)
{
	long long v = -999;
	char *dup = xstrdup(s);	/* on the heap, for ASan */

	ok(appt_money_parse(dup, digits, &v) == 0 && v == want,
	    "parse '%s' (%d digits) = %lld (got %lld)", s, digits, want, v);
	free(dup);
}

static void
bad(const char *s, int digits)
{
	long long v = -999;
	char *dup = xstrdup(s);

	ok(appt_money_parse(dup, digits, &v) < 0 && v == -999,
	    "parse '%s' (%d digits) refused", s, digits);
	free(dup);
}

static void
fmt(long long minor, int digits, const char *want)
{
	char buf[32];

	is(appt_money_fmt(minor, digits, buf), want, "fmt %lld (%d digits)",
	    minor, digits);
}

/* Parse what fmt gives back to the same value. */
static void
roundtrip(long long minor, int digits)
{
	char buf[32];
	long long v = -999;

	appt_money_fmt(minor, digits, buf);
	ok(appt_money_parse(buf, digits, &v) == 0 && v == minor,
	    "round trip %lld (%d digits) via '%s'", minor, digits, buf);
}

int
main(void)
{
	/* Two digits: EUR. */
	parse("45", 2, 4500);
	parse("45.5", 2, 4550);
	parse("45.50", 2, 4550);
	parse("45.00", 2, 4500);
	parse("0.01", 2, 1);
	parse("0", 2, 0);
	parse("0.00", 2, 0);
	parse("-3.20", 2, -320);
	parse("-3", 2, -300);
	parse("007.5", 2, 750);
	parse("1234567.89", 2, 123456789);
	bad("", 2);
	bad("4.555", 2);
	bad("1,00", 2);
	bad("1.000,00", 2);
	bad("abc", 2);
	bad("1e3", 2);
	bad(".5", 2);
	bad("5.", 2);
	bad("-", 2);
	bad("-.5", 2);
	bad("--5", 2);
	bad("+5", 2);
	bad(" 5", 2);
	bad("5 ", 2);
	bad("1.2.3", 2);
	bad("1..2", 2);
	bad("0x10", 2);
	bad("€5", 2);
	bad("99999999999999999999", 2);
	bad("99999999999999999999999999999999", 2);
	bad("-99999999999999999999", 2);
	ok(appt_money_parse(NULL, 2, &(long long){ 0 }) < 0, "parse NULL");

	/* Zero digits: JPY, no decimal point at all. */
	parse("1200", 0, 1200);
	parse("0", 0, 0);
	parse("-7", 0, -7);
	bad("1200.5", 0);
	bad("1200.", 0);
	bad("1200.0", 0);
	bad("99999999999999999999", 0);

	/* Three digits: KWD. */
	parse("1.234", 3, 1234);
	parse("1.5", 3, 1500);
	parse("1", 3, 1000);
	parse("-0.001", 3, -1);
	bad("1.2345", 3);
	bad("99999999999999999999", 3);
	/* No overflow when the minor digits are added after the digits. */
	bad("90000000000000000", 3);
	bad("99999999999999999", 3);
	bad("9000000000000000000", 2);

	/* Large amounts that fit are kept exactly, written either way. */
	parse("900000000000000", 2, 90000000000000000LL);
	parse("900000000000000.00", 2, 90000000000000000LL);
	parse("90000000000000", 3, 90000000000000000LL);
	parse("90000000000000.000", 3, 90000000000000000LL);
	parse("90000000000000000", 0, 90000000000000000LL);
	bad("9000000000000000", 2);
	bad("9000000000000000.00", 2);
	bad("900000000000000", 3);

	fmt(4500, 2, "45.00");
	fmt(4550, 2, "45.50");
	fmt(-320, 2, "-3.20");
	fmt(5, 2, "0.05");
	fmt(-5, 2, "-0.05");
	fmt(0, 2, "0.00");
	fmt(1200, 0, "1200");
	fmt(-1200, 0, "-1200");
	fmt(0, 0, "0");
	fmt(1234, 3, "1.234");
	fmt(5, 3, "0.005");
	fmt(-1500, 3, "-1.500");
	fmt(123456789, 2, "1234567.89");
	fmt(LLONG_MAX, 2, "92233720368547758.07");

	roundtrip(4500, 2);
	roundtrip(-320, 2);
	roundtrip(1, 2);
	roundtrip(0, 0);
	roundtrip(-1, 3);
	roundtrip(90000000000000000LL, 2);
	roundtrip(90000000000000000LL, 3);

	ok(appt_currency_digits("EUR") == 2, "EUR has 2 digits");
	ok(appt_currency_digits("USD") == 2, "USD has 2 digits");
	ok(appt_currency_digits("JPY") == 0, "JPY has 0 digits");
	ok(appt_currency_digits("jpy") == 0, "jpy has 0 digits");
	ok(appt_currency_digits("KRW") == 0, "KRW has 0 digits");
	ok(appt_currency_digits("KWD") == 3, "KWD has 3 digits");
	ok(appt_currency_digits("BHD") == 3, "BHD has 3 digits");
	ok(appt_currency_digits("XYZ") == 2, "unknown currency has 2 digits");
	ok(appt_currency_digits("") == 2, "empty currency has 2 digits");
	ok(appt_currency_digits(NULL) == 2, "no currency has 2 digits");
	return done();
}
