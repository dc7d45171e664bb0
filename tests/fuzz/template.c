/*
 * The template renderer of lib/message.c: the input is a template in the
 * scratch data directory's templates/, rendered as mail (fuzz.txt) and
 * as SMS (fuzz.sms). An error names the template and a line; a subject
 * never holds a line break.
 */
#include "fuzz.h"

static struct appt_store store;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *dir;

	(void)argc;
	(void)argv;
	fuzz_tz();
	dir = fuzz_path("templates");
	if (mkdir(dir, 0700) < 0)
		abort();
	free(dir);
	fuzz_store(&store);
	return 0;
}

static void
render(int sms, const struct appt_msgvars *v)
{
	char *subject, *body, *err;
	const char *label = sms ? "templates/fuzz.sms:" :
	    "templates/fuzz.txt:";

	if (appt_render(&store, "fuzz", sms, v, &subject, &body, &err) < 0) {
		must(err && !strncmp(err, label, strlen(label)), "error %s",
		    err ? err : "(none)");
		must(!subject && !body, "an error, and text");
	} else {
		must(!err && subject && body, "no error, and no text");
		must(!strchr(subject, '\n') && !strchr(subject, '\r'),
		    "subject with a line break");
		if (sms)
			must(!*subject, "an SMS with a subject");
	}
	free(subject);
	free(body);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct appt_msgvars v = { .n = 0 };

	if (n > 1 << 16)
		return 0;
	fuzz_write("templates/fuzz.txt", d, n);
	fuzz_write("templates/fuzz.sms", d, n);
	appt_msgvar(&v, "customer", "Zoë Müller");
	appt_msgvar(&v, "service", "Haircut");
	appt_msgvar(&v, "staff", "Sam");
	appt_msgvar(&v, "start", "");
	appt_msgvar(&v, "business", "Hair by Sam");
	appt_msgvar(&v, "address", "Hauptstr. 1, 10115 Berlin");
	appt_msgvar(&v, "phone", "+49 30 1234567");
	appt_msgvar(&v, "email", "sam@example.com");
	appt_msgvar(&v, "price", "45.00");
	appt_msgvar(&v, "id", "42");
	appt_msgvar(&v, "empty", NULL);
	v.start = 1795417200;	/* 2026-11-23T08:00+01:00 */
	render(0, &v);
	render(1, &v);
	return 0;
}
