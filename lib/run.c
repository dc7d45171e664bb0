/*
 * run.c: running another program (the editor, sendmail, the SMS
 * command, a PDF maker) without a shell: a configured command split at
 * blanks into an argv, fork and execvp, and the status it ends with.
 * Its stdin is fed while its stdout and stderr are read, all through
 * poll(2), so a program that writes much before it has read all its
 * input never waits on us while we wait on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "appt.h"

/* Of stderr, what is kept: enough for any message, not a flood. */
#define ERRMAX (64 * 1024)

void
appt_argv_add(struct appt_argv *a, const char *arg)
{
	a->v = xreallocarray(a->v, a->n + 2, sizeof *a->v);
	a->v[a->n++] = xstrdup(arg);
	a->v[a->n] = NULL;
}

void
appt_argv_split(struct appt_argv *a, const char *cmd)
{
	size_t k;

	while (cmd && *cmd) {
		cmd += strspn(cmd, " \t");
		if (!(k = strcspn(cmd, " \t")))
			break;
		a->v = xreallocarray(a->v, a->n + 2, sizeof *a->v);
		a->v[a->n++] = xstrndup(cmd, k);
		a->v[a->n] = NULL;
		cmd += k;
	}
}

void
appt_argv_free(struct appt_argv *a)
{
	appt_strv_free(a->v, a->n);
	a->v = NULL;
	a->n = 0;
}

static void
closep(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* fd as descriptor to in the child (a pipe's ends are close-on-exec). */
static void
todesc(int fd, int to)
{
	if (fd == to)
		fcntl(fd, F_SETFD, 0);
	else
		dup2(fd, to);
}

static void __attribute__((noreturn))
child(const struct appt_run *r, char *const *argv, int in, int out, int err)
{
	int devnull;

	if (in >= 0)
		todesc(in, 0);
	if (out >= 0)
		todesc(out, 1);
	else if (r->flags & APPT_RUN_NOOUT &&
	    (devnull = open("/dev/null", O_WRONLY)) >= 0)
		todesc(devnull, 1);
	if (err >= 0)
		todesc(err, 2);
	execvp(argv[0], argv);
	/* A captured stderr is the caller's to put in context. */
	if (err >= 0)
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
	else
		dprintf(2, "%s: %s: %s\n", appt_progname, argv[0],
		    strerror(errno));
	_exit(127);
}

/* Read what there is on *fd into b (its first max bytes); EOF closes. */
static void
drain(int *fd, struct appt_buf *b, size_t max)
{
	char buf[8192];
	ssize_t n = read(*fd, buf, sizeof buf);

	if (n > 0) {
		if (b->len < max)
			appt_buf_add(b, buf, (size_t)n < max - b->len ?
			    (size_t)n : max - b->len);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		closep(fd);
}

/* Feed stdin, collect stdout and stderr, until all three are closed. */
static void
pump(struct appt_run *r, int *in, int *out, int *err)
{
	struct pollfd p[3];
	size_t off = 0;
	ssize_t w;
	int n, i;

	if (*in >= 0 && (!r->inlen || fcntl(*in, F_SETFL, O_NONBLOCK) < 0))
		closep(in);
	while (*in >= 0 || *out >= 0 || *err >= 0) {
		n = 0;
		if (*in >= 0)
			p[n++] = (struct pollfd){ *in, POLLOUT, 0 };
		if (*out >= 0)
			p[n++] = (struct pollfd){ *out, POLLIN, 0 };
		if (*err >= 0)
			p[n++] = (struct pollfd){ *err, POLLIN, 0 };
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			if (p[i].fd == *in) {
				w = write(*in, r->in + off, r->inlen - off);
				if (w > 0)
					off += (size_t)w;
				/* A program may stop reading: that is its say. */
				if (off == r->inlen || (w < 0 &&
				    errno != EAGAIN && errno != EINTR))
					closep(in);
			} else if (p[i].fd == *out)
				drain(out, r->out, (size_t)-1);
			else
				drain(err, r->err, ERRMAX);
		}
	}
	closep(in);
	closep(out);
	closep(err);
}

int
appt_run(struct appt_run *r, char *const *argv)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int st, e;
	void (*old)(int) = SIG_DFL;
	pid_t pid;

	r->status = -1;
	r->sig = 0;
	r->why[0] = '\0';
	if (!argv || !argv[0]) {
		snprintf(r->why, sizeof r->why, "no program to run");
		return -1;
	}
	if ((r->in && pipe2(in, O_CLOEXEC) < 0) ||
	    (r->out && pipe2(out, O_CLOEXEC) < 0) ||
	    (r->err && pipe2(err, O_CLOEXEC) < 0)) {
		snprintf(r->why, sizeof r->why, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		snprintf(r->why, sizeof r->why, "fork: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child(r, argv, in[0], out[1], err[1]);
	closep(&in[0]);
	closep(&out[1]);
	closep(&err[1]);
	/* A program that exits before it has read all: not our death. */
	if (r->in)
		old = signal(SIGPIPE, SIG_IGN);
	pump(r, &in[1], &out[0], &err[0]);
	if (r->in)
		signal(SIGPIPE, old);
	if (r->out)
		appt_buf_add(r->out, "", 0);
	if (r->err)
		appt_buf_add(r->err, "", 0);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			snprintf(r->why, sizeof r->why, "waitpid: %s",
			    strerror(errno));
			return -1;
		}
	if (WIFSIGNALED(st)) {
		r->sig = WTERMSIG(st);
		r->status = 128 + r->sig;
		snprintf(r->why, sizeof r->why, "%s was killed by signal %d "
		    "(%s)", argv[0], r->sig, strsignal(r->sig));
	} else {
		r->status = WEXITSTATUS(st);
		if (r->status)
			snprintf(r->why, sizeof r->why, "%s exited with "
			    "status %d", argv[0], r->status);
	}
	return r->status;
fail:
	e = errno;
	closep(&in[0]);
	closep(&in[1]);
	closep(&out[0]);
	closep(&out[1]);
	closep(&err[0]);
	closep(&err[1]);
	errno = e;
	return -1;
}
