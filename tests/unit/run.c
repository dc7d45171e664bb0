/* run.c: argv from a command string, and running a program. */
#include <stdlib.h>
#include <string.h>

#include "appt.h"
#include "t.h"

static void
split(const char *cmd, const char *want)
{
	struct appt_argv a = { 0 };
	struct appt_buf b = { 0 };
	size_t i;

	appt_argv_split(&a, cmd);
	appt_buf_add(&b, "", 0);
	for (i = 0; i < a.n; i++)
		appt_buf_addf(&b, "%s[%s]", i ? " " : "", a.v[i]);
	is(b.s, want, "split '%s'", cmd);
	ok(a.n == 0 || a.v[a.n] == NULL, "split '%s' is NULL-ended", cmd);
	appt_buf_free(&b);
	appt_argv_free(&a);
}

int
main(void)
{
	struct appt_argv a = { 0 };
	struct appt_buf out = { 0 }, err = { 0 };
	struct appt_run r;
	char *big;
	size_t i, n = 4 * 1024 * 1024;
	char *sh[] = { "sh", "-c", NULL, NULL };

	split("msmtp", "[msmtp]");
	split("  msmtp  -a  default\t-oi ", "[msmtp] [-a] [default] [-oi]");
	split("", "");
	split(" \t ", "");
	split("sms-send --to {phone}", "[sms-send] [--to] [{phone}]");
	appt_argv_split(&a, "code --wait");
	appt_argv_add(&a, "/tmp/x y");
	appt_argv_split(&a, "-- more");
	ok(a.n == 5 && !strcmp(a.v[2], "/tmp/x y") && !strcmp(a.v[4], "more")
	    && !a.v[5], "split, add and split again");
	appt_argv_free(&a);
	ok(a.v == NULL && a.n == 0, "freed argv is empty");

	/* More stdin than a pipe holds, all of it echoed: no deadlock. */
	big = xmalloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	memset(&r, 0, sizeof r);
	r.in = big;
	r.inlen = n;
	r.out = &out;
	appt_argv_split(&a, "cat");
	ok(appt_run(&r, a.v) == 0 && r.status == 0 && r.sig == 0 &&
	    !*r.why, "cat exits 0");
	ok(out.len == n && !memcmp(out.s, big, n), "cat gives back 4 MiB");
	appt_argv_free(&a);
	free(big);
	appt_buf_free(&out);

	/* stdout and stderr apart, stdin empty. */
	memset(&r, 0, sizeof r);
	r.in = "";
	r.out = &out;
	r.err = &err;
	sh[2] = "cat; echo out; echo err >&2; exit 3";
	ok(appt_run(&r, sh) == 3 && r.status == 3 && r.sig == 0,
	    "exit 3 is status 3");
	is(out.s, "out\n", "stdout captured");
	is(err.s, "err\n", "stderr captured");
	is(r.why, "sh exited with status 3", "why of exit 3");
	appt_buf_free(&out);
	appt_buf_free(&err);

	/* A program that reads nothing of a large stdin. */
	memset(&r, 0, sizeof r);
	big = xcalloc(1, n);
	r.in = big;
	r.inlen = n;
	r.flags = APPT_RUN_NOOUT;
	sh[2] = "echo gone; exit 0";
	ok(appt_run(&r, sh) == 0, "a program may leave its stdin unread");
	free(big);

	memset(&r, 0, sizeof r);
	r.err = &err;
	sh[2] = "kill -9 $$";
	ok(appt_run(&r, sh) == 137 && r.status == 137 && r.sig == 9,
	    "killed by signal 9 is 137");
	ok(strstr(r.why, "killed by signal 9") != NULL, "why of a kill: %s",
	    r.why);
	appt_buf_free(&err);

	memset(&r, 0, sizeof r);
	r.err = &err;
	appt_argv_split(&a, "/nonexistent/appt-no-such-program -x");
	ok(appt_run(&r, a.v) == 127, "no such program exits 127");
	is(err.s, "/nonexistent/appt-no-such-program: No such file or "
	    "directory\n", "and says so on its stderr");
	appt_argv_free(&a);
	appt_buf_free(&err);

	memset(&r, 0, sizeof r);
	ok(appt_run(&r, a.v) == -1 && r.status == -1 && *r.why,
	    "no argv: -1, why '%s'", r.why);
	return done();
}
