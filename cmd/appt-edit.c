/*
 * appt-edit: edit a data file as visudo edits sudoers. The editor works
 * on a private copy; on exit the copy is checked as appt-check would
 * check it in place, and only a sound copy replaces the file, atomically
 * and under the lock. The lock is not held while the editor runs (cron
 * would wait on a person); instead the file must be unchanged since the
 * copy was made, or the edit is refused and the copy kept.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appt.h"

static const char *synopsis = "appt-edit [-hV] [-d DIR] FILE";

static const char *editable[] = { "config.ini", "services.csv",
    "staff.csv", "closures.csv", "customers.csv", "flags.csv", NULL };

static int
putbytes(FILE *fp, void *ctx)
{
	struct appt_buf *b = ctx;

	return fwrite(b->s, 1, b->len, fp) == b->len ? 0 : -1;
}

/* Run the editor on path: 0, or -1 with why it failed in why. */
static int
runeditor(const char *path, char *why, size_t n)
{
	const char *ed = getenv("VISUAL");
	struct appt_argv argv = { 0 };
	struct appt_run r = { 0 };
	int rc;

	if (appt_empty(ed))
		ed = getenv("EDITOR");
	if (appt_empty(ed))
		ed = "vi";
	appt_argv_split(&argv, ed);
	appt_argv_add(&argv, path);
	rc = appt_run(&r, argv.v);
	appt_argv_free(&argv);
	if (rc == 0)
		return 0;
	snprintf(why, n, "editor %s failed%s%s", ed, rc < 0 ? ": " : "",
	    rc < 0 ? r.why : "");
	return -1;
}

static void
tostderr(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

/* Ask what to do about a bad copy: 1 to edit again, 0 to give up. */
static int
again(void)
{
	char line[64];

	fprintf(stderr, "What now? (e)dit again, (q)uit and change nothing: ");
	if (!fgets(line, sizeof line, stdin))
		return 0;
	return line[0] == 'e' || line[0] == 'E';
}

int
main(int argc, char *argv[])
{
	struct appt_store s;
	struct appt_buf orig = { 0 }, copy = { 0 };
	const char *dir = NULL, *file;
	char *path, *tmp, *now, why[512];
	size_t nlen;
	int c, i, fd;

	appt_setprog(argv[0]);
	while ((c = getopt(argc, argv, "d:hV")) != -1)
		appt_opt(c, optarg, synopsis, &dir, NULL);
	argc -= optind;
	argv += optind;
	if (argc != 1)
		appt_usage(synopsis, 0);
	file = argv[0];
	for (i = 0; editable[i] && strcmp(editable[i], file); i++)
		;
	if (!editable[i])
		appt_die(APPT_EUSAGE, "%s: not one of config.ini, services.csv, "
		    "staff.csv, closures.csv, customers.csv, flags.csv", file);
	appt_store_opendir_lax(&s, dir);
	path = appt_path(&s, file);
	orig.s = appt_slurp(path, &orig.len);
	if (!orig.s)
		appt_die(APPT_EFAIL, "%s: %s", file, strerror(errno));
	tmp = xasprintf("%s/appt-edit.XXXXXX-%s", appt_empty(getenv("TMPDIR"))
	    ? "/tmp" : getenv("TMPDIR"), file);
	if ((fd = mkstemps(tmp, (int)strlen(file) + 1)) < 0 ||
	    write(fd, orig.s, orig.len) != (ssize_t)orig.len || close(fd) < 0)
		appt_die(APPT_EFAIL, "%s: %s", tmp, strerror(errno));
	for (;;) {
		if (runeditor(tmp, why, sizeof why) < 0) {
			unlink(tmp);
			free(tmp);
			appt_die(APPT_EFAIL, "%s; nothing changed", why);
		}
		free(copy.s);
		copy.s = appt_slurp(tmp, &copy.len);
		if (!copy.s)
			appt_die(APPT_EFAIL, "%s: %s", tmp, strerror(errno));
		if (copy.len == orig.len && !memcmp(copy.s, orig.s, orig.len)) {
			unlink(tmp);
			appt_warn("%s: no changes", file);
			appt_exit(0);
		}
		if (appt_check(&s, file, tmp, tostderr, NULL) == 0)
			break;
		if (!again()) {
			unlink(tmp);
			appt_die(APPT_EFAIL, "%s: not changed", file);
		}
	}
	appt_lock(&s);
	now = appt_slurp(path, &nlen);
	if (!now || nlen != orig.len || memcmp(now, orig.s, nlen))
		appt_die(APPT_EFAIL, "%s: changed by someone else while you "
		    "edited; nothing changed, your copy is %s", file, tmp);
	if (appt_replace(&s, file, putbytes, &copy) < 0)
		appt_die(APPT_EFAIL, "%s: cannot write: %s; your copy is %s",
		    file, strerror(errno), tmp);
	unlink(tmp);
	free(now);
	free(orig.s);
	free(copy.s);
	free(tmp);
	free(path);
	appt_store_close(&s);
	appt_exit(0);
}
