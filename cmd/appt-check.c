/* appt-check: every problem of the data directory, one per line. */
#include <getopt.h>
#include <stdio.h>

#include "appt.h"

static const char *synopsis = "appt-check [-hV] [-d DIR]";

static void
print(void *ctx, const char *msg)
{
	(void)ctx;
	puts(msg);
}

int
main(int argc, char *argv[])
{
	struct appt_store s;
	const char *dir = NULL;
	long n;
	int c;

	appt_setprog(argv[0]);
	while ((c = getopt(argc, argv, "d:hV")) != -1)
		appt_opt(c, optarg, synopsis, &dir, NULL);
	if (optind != argc)
		appt_usage(synopsis, 0);
	appt_store_opendir_lax(&s, dir);
	n = appt_check(&s, NULL, NULL, print, NULL);
	if (n)
		appt_warn("%s: %ld problem%s", s.dir, n, n == 1 ? "" : "s");
	appt_store_close(&s);
	appt_exit(n ? APPT_EDATA : 0);
}
