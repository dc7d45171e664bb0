/*
 * outbox.c: every message is written to the outbox first, then
 * delivered. A message is a file named by its key (kind, appointment,
 * start, lead, channel) that moves between four folders:
 *
 *	outbox/queue/KEY	waiting for delivery
 *	outbox/sending/KEY	handed to sendmail or the SMS command now
 *	outbox/sent/KEY		delivered
 *	outbox/held/KEY		failed in a way a retry will not mend
 *
 * All moves, and the making of a message, happen under outbox/.lock, so
 * a key is made once and delivered by one sender at a time; a key that
 * exists in any folder is never made again. The lock is not held while a
 * program delivers: the sender holds a lock on the message file itself
 * instead. A message found in sending/ whose file is not locked was left
 * by a sender that was killed after handing it over and before recording
 * the outcome: it may have gone out, so it is held, never sent twice on
 * a guess. Every attempt is a row of outbox/log-YYYY-MM.csv.
 *
 * The first line of a message file is "appt-to: ADDRESS" (the envelope),
 * the rest is what the program gets on stdin.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "appt.h"

static const char *folders[] = { "queue", "sending", "sent", "held",
    "withdrawn" };
#define NFOLDERS 5

static const char *const logcols[] = { "time", "key", "channel", "to",
    "result", "status", "error", NULL };

static int obfd = -1;

/* The lock of the outbox, its folders made; exits 5 when busy. */
static void
oblock(const struct appt_store *s)
{
	int i;

	if (obfd >= 0)
		return;
	obfd = appt_flock(s, "outbox/.lock", "another sender");
	for (i = 0; i < NFOLDERS; i++) {
		char *d = xasprintf("outbox/%s", folders[i]);

		if (mkdirat(s->dirfd, d, 0700) < 0 && errno != EEXIST)
			appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, d,
			    strerror(errno));
		free(d);
	}
	/* Every outbox write is made under this lock: what is left is stale. */
	appt_remove_stale(s, "outbox");
	appt_remove_stale(s, "outbox/queue");
}

static void
obunlock(void)
{
	if (obfd >= 0) {
		close(obfd);
		obfd = -1;
	}
}

static int
exists(const struct appt_store *s, const char *key)
{
	struct stat st;
	char *p;
	int i, found = 0;

	for (i = 0; i < NFOLDERS && !found; i++) {
		p = xasprintf("outbox/%s/%s", folders[i], key);
		found = fstatat(s->dirfd, p, &st, 0) == 0;
		free(p);
	}
	return found;
}

struct put {
	const char *to, *data;
};

static int
putmsg(FILE *fp, void *ctx)
{
	struct put *p = ctx;

	fprintf(fp, "appt-to: %s\n%s", p->to, p->data);
	return ferror(fp) ? -1 : 0;
}

/* Has the outbox its folders? A dry run must not make them. */
static int
used(const struct appt_store *s)
{
	struct stat st;

	return fstatat(s->dirfd, "outbox/queue", &st, 0) == 0;
}

int
appt_outbox_has(const struct appt_store *s, const char *key)
{
	int r;

	if (!used(s))
		return 0;
	oblock(s);
	r = exists(s, key);
	obunlock();
	return r;
}

int
appt_outbox_put(const struct appt_store *s, const char *key, const char *to,
    const char *data)
{
	struct put p = { to, data };
	char *rel;
	int made = 0;

	oblock(s);
	if (!exists(s, key)) {
		rel = xasprintf("outbox/queue/%s", key);
		if (appt_replace(s, rel, putmsg, &p) < 0)
			appt_die(APPT_EFAIL, "%s: cannot write: %s", rel,
			    strerror(errno));
		free(rel);
		made = 1;
	}
	obunlock();
	return made;
}

static int
logrow(FILE *fp, void *ctx)
{
	return appt_table_write(ctx, fp);
}

/* One more row in this month's log. */
static void
logit(const struct appt_store *s, const char *key, const char *to,
    const char *result, int status, const char *error)
{
	struct appt_table t;
	struct appt_row *r;
	char now[APPT_TIMELEN], *rel, *path, *err, num[16];
	int y, m;

	appt_local(appt_now(), &y, &m, NULL, NULL, NULL);
	rel = xasprintf("outbox/log-%04d-%02d.csv", y, m);
	path = appt_path(s, rel);
	if (appt_table_read(&t, path, rel, logcols, 0, &err) < 0)
		appt_die(APPT_EDATA, "%s", err);
	r = appt_table_add(&t);
	appt_set(&t, r, "time", appt_fmt_time(appt_now(), now));
	appt_set(&t, r, "key", key);
	appt_set(&t, r, "channel", strstr(key, "-sms") ? "sms" : "email");
	appt_set(&t, r, "to", to);
	appt_set(&t, r, "result", result);
	snprintf(num, sizeof num, "%d", status);
	appt_set(&t, r, "status", num);
	appt_set(&t, r, "error", error);
	if (appt_replace(s, rel, logrow, &t) < 0)
		appt_warn("%s: cannot write: %s", rel, strerror(errno));
	appt_table_free(&t);
	free(path);
	free(rel);
}

static int
move(const struct appt_store *s, const char *key, const char *from,
    const char *to)
{
	char *a = xasprintf("outbox/%s/%s", from, key);
	char *b = xasprintf("outbox/%s/%s", to, key);
	int r = renameat(s->dirfd, a, s->dirfd, b);

	free(a);
	free(b);
	return r;
}

/* The keys in one folder, sorted. */
static size_t
keys(const struct appt_store *s, const char *folder, char ***out)
{
	char *dir = xasprintf("%s/outbox/%s", s->dir, folder), **v = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				v = xreallocarray(v, n + 1, sizeof *v);
				v[n++] = xstrdup(e->d_name);
			}
		closedir(d);
	}
	free(dir);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

/* Messages left in sending/ by a killed sender: held, not resent. */
static void
stale(const struct appt_store *s)
{
	char **v, *p;
	size_t n, i;
	int fd;

	n = keys(s, "sending", &v);
	for (i = 0; i < n; i++) {
		p = xasprintf("outbox/sending/%s", v[i]);
		fd = openat(s->dirfd, p, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
			move(s, v[i], "sending", "held");
			logit(s, v[i], "", "held", -1, "a sender was stopped "
			    "while delivering it: it may have gone out; "
			    "'appt-send retry' sends it again");
		}
		if (fd >= 0)
			close(fd);
		free(p);
	}
	appt_strv_free(v, n);
}

/*
 * Run argv with data on stdin, its stdout dropped: its exit status (-1
 * if it could not be run), and one line of its stderr in err.
 */
static int
run(char **argv, const char *data, char *err, size_t errlen)
{
	struct appt_buf e = { 0 };
	struct appt_run r = { .in = data, .inlen = strlen(data), .err = &e,
	    .flags = APPT_RUN_NOOUT };
	size_t i;
	int status = appt_run(&r, argv);

	snprintf(err, errlen, "%s", status < 0 ? r.why : e.s ? e.s : "");
	appt_buf_free(&e);
	/* One line of what it said, for the log. */
	for (i = 0; err[i]; i++)
		if (err[i] == '\n' || err[i] == '\r')
			err[i] = err[i + 1] ? ' ' : '\0';
	return status;
}

/* argv of the delivery: sendmail args -- to, or the SMS command. */
static int
command(const struct appt_store *s, int sms, const char *to,
    struct appt_argv *a)
{
	const char *cmd = sms ? appt_cfg(&s->cfg, "sms:command", NULL) :
	    appt_cfg(&s->cfg, "mail:sendmail", "msmtp");
	size_t i;

	if (!cmd)
		return -1;
	appt_argv_split(a, cmd);
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], "{phone}")) {
			free(a->v[i]);
			a->v[i] = xstrdup(to);
		}
	if (!sms) {
		appt_argv_split(a, appt_cfg(&s->cfg, "mail:args", ""));
		appt_argv_add(a, "--");
		appt_argv_add(a, to);
	}
	return a->n ? 0 : -1;
}

static const char *
why(int status, int sms)
{
	if (status > 128 && status < 160)
		return "the program was killed while delivering: it may have "
		    "gone out; 'appt-send retry' sends it again";
	if (sms)
		return status == 126 || status == 127 ? "the SMS command "
		    "could not be run: check [sms] command" : NULL;
	switch (status) {
	case 65:
		return "the server refused the message for good (5xx): check "
		    "the address";
	case 77:
		return "the server refused the login: check the user and "
		    "password of the msmtp account";
	case 78:
		return "the mail program's configuration is wrong: check "
		    "~/.msmtprc and [mail] args";
	case 127:
		return "the program could not be run: check [mail] sendmail "
		    "or [sms] command";
	}
	return NULL;
}

/* Deliver one claimed message; 0 sent, 1 retry later, 2 held. */
static int
deliver(const struct appt_store *s, const char *key, int fd, char *msg,
    size_t msglen)
{
	char err[1024], *to, *nl;
	struct appt_argv argv = { 0 };
	int sms = strstr(key, "-sms") != NULL, status;
	const char *w;

	(void)fd;
	(void)msglen;
	if (strncmp(msg, "appt-to: ", 9) || !(nl = strchr(msg, '\n'))) {
		snprintf(err, sizeof err, "not a message of the outbox");
		status = -1;
		goto held;
	}
	to = xstrndup(msg + 9, (size_t)(nl - msg - 9));
	if (command(s, sms, to, &argv) < 0) {
		snprintf(err, sizeof err, "[sms] command is not set");
		appt_argv_free(&argv);
		free(to);
		status = -1;
		goto held;
	}
	status = run(argv.v, nl + 1, err, sizeof err);
	appt_argv_free(&argv);
	oblock(s);
	if (status == 0) {
		move(s, key, "sending", "sent");
		logit(s, key, to, "sent", 0, "");
		obunlock();
		free(to);
		return 0;
	}
	if (status < 0) {
		/* A pipe or fork that failed: nothing left; try again. */
		move(s, key, "sending", "queue");
		logit(s, key, to, "retry", status, err);
		appt_warn("%s: not delivered yet: %s", key, err);
		obunlock();
		free(to);
		return 1;
	}
	if ((w = why(status, sms))) {
		char *full = xasprintf("%s%s%s", w, *err ? ": " : "", err);

		/* Said by appt_outbox_held, with the ones held before. */
		move(s, key, "sending", "held");
		logit(s, key, to, "held", status, full);
		free(full);
		obunlock();
		free(to);
		return 2;
	}
	move(s, key, "sending", "queue");
	logit(s, key, to, "retry", status, *err ? err : "temporary failure");
	appt_warn("%s: not delivered yet (exit %d%s%s): queued for the next "
	    "run", key, status, *err ? ": " : "", err);
	obunlock();
	free(to);
	return 1;
held:
	oblock(s);
	move(s, key, "sending", "held");
	logit(s, key, "", "held", status, err);
	obunlock();
	return 2;
}

static char *
readall(int fd)
{
	struct appt_buf b = { 0 };
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		appt_buf_add(&b, buf, (size_t)n);
	appt_buf_add(&b, "", 0);
	return b.s;
}

int
appt_outbox_send(const struct appt_store *s, char *const *only, size_t nonly,
    int dryrun)
{
	char **v, *p, *msg;
	size_t n, i, j;
	int failed = 0, fd, r;

	if (dryrun && !used(s))
		return 0;
	oblock(s);
	if (!dryrun)
		stale(s);
	n = keys(s, "queue", &v);
	obunlock();
	for (i = 0; i < n; i++) {
		for (j = 0; j < nonly && strcmp(only[j], v[i]); j++)
			;
		if (nonly && j == nonly)
			continue;
		if (dryrun) {
			p = xasprintf("%s/outbox/queue/%s", s->dir, v[i]);
			if ((fd = open(p, O_RDONLY | O_CLOEXEC)) >= 0) {
				msg = readall(fd);
				close(fd);
				printf("would deliver %s\n%s\n", v[i], msg);
				free(msg);
			}
			free(p);
			continue;
		}
		/* Claim it: queue/ to sending/, locked, under the lock. */
		oblock(s);
		if (move(s, v[i], "queue", "sending") < 0) {
			obunlock();
			continue;	/* another sender has it */
		}
		p = xasprintf("outbox/sending/%s", v[i]);
		fd = openat(s->dirfd, p, O_RDONLY | O_CLOEXEC);
		free(p);
		if (fd < 0 || flock(fd, LOCK_EX) < 0) {
			obunlock();
			if (fd >= 0)
				close(fd);
			failed++;
			continue;
		}
		obunlock();
		msg = readall(fd);
		r = deliver(s, v[i], fd, msg, strlen(msg));
		free(msg);
		close(fd);
		if (r)
			failed++;
	}
	appt_strv_free(v, n);
	return failed;
}

size_t
appt_outbox_held(const struct appt_store *s, char *const *only,
    size_t nonly)
{
	struct appt_table t;
	char **v, **why, **logs, *rel, *path, *err;
	size_t n, nlog, i, j, k, left;
	long r;

	n = keys(s, "held", &v);
	for (i = k = 0; i < n; i++) {
		for (j = 0; j < nonly && strcmp(only[j], v[i]); j++)
			;
		if (nonly && j == nonly)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	if (!(n = k)) {
		free(v);
		return 0;
	}
	/* The latest log row of each: the newest month's log first. */
	why = xcalloc(n, sizeof *why);
	left = n;
	nlog = keys(s, "", &logs);
	for (k = nlog; k-- > 0 && left;) {
		if (strncmp(logs[k], "log-", 4) || !strstr(logs[k], ".csv"))
			continue;
		rel = xasprintf("outbox/%s", logs[k]);
		path = appt_path(s, rel);
		if (appt_table_read(&t, path, rel, logcols, 0, &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		for (r = (long)t.nrow - 1; r >= 0 && left; r--)
			for (i = 0; i < n; i++)
				if (!why[i] && !strcmp(v[i], appt_get(&t,
				    &t.row[r], "key"))) {
					why[i] = xstrdup(appt_get(&t, &t.row[r],
					    "error"));
					left--;
				}
		appt_table_free(&t);
		free(path);
		free(rel);
	}
	for (i = 0; i < n; i++) {
		appt_warn("%s: held: %s, see appt-send list", v[i],
		    why[i] && *why[i] ? why[i] : "no reason in the log");
		free(why[i]);
	}
	free(why);
	appt_strv_free(logs, nlog);
	appt_strv_free(v, n);
	return n;
}

size_t
appt_outbox_list(const struct appt_store *s, const char *folder,
    char ***out)
{
	return keys(s, folder, out);
}

int
appt_outbox_release(const struct appt_store *s, const char *key)
{
	int r;

	oblock(s);
	r = move(s, key, "held", "queue");
	if (r == 0)
		logit(s, key, "", "released", 0, "appt-send retry");
	obunlock();
	return r;
}

size_t
appt_outbox_withdraw(const struct appt_store *s, const char *prefix)
{
	char **v;
	size_t n, i, k = 0;

	oblock(s);
	n = keys(s, "queue", &v);
	for (i = 0; i < n; i++)
		if (!strncmp(v[i], prefix, strlen(prefix)) &&
		    move(s, v[i], "queue", "withdrawn") == 0) {
			logit(s, v[i], "", "withdrawn", 0, "the appointment "
			    "changed before it went out");
			k++;
		}
	appt_strv_free(v, n);
	obunlock();
	return k;
}
