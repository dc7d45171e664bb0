/*
 * messages.c: the conversations. messages/ID/ holds the one about
 * appointment ID, messages/unmatched/ the mail that names none. Each
 * message is a folder of its own, numbered in order with its direction:
 *
 *	messages/12/0001-out/message.txt	header lines, a blank line, the text
 *	messages/12/0001-out/form.pdf		the files sent
 *	messages/12/0002-in/message.txt
 *	messages/12/0002-in/mail.eml		the mail as it came, byte for byte
 *	messages/12/0002-in/photo.jpg		its attachments, under safe names
 *
 * A folder is made whole as a hidden temporary (.0002-in.XXXXXX), each
 * file synced, and renamed into place: a reader or a crash sees all of
 * it or none. Numbers are given out under messages/.lock.
 *
 * Which appointment a reply is about: the Message-ID of every mail appt
 * sends is <KEY@DOMAIN> (lib/message.c), KEY its outbox key and DOMAIN
 * that of [business] email. The key of a message about an appointment
 * is KIND-ID or KIND-ID-MORE, KIND one of those below: a reply names it
 * in In-Reply-To or References, and it leads back to appointment ID if
 * the key is in the outbox (appt made it).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "appt.h"

/* The kinds of messages about one appointment (outbox keys). */
static const char *const kinds[] = { "confirm", "moved", "cancelled",
    "remind", "staff-booked", "staff-moved", "staff-cancelled",
    "staff-left", "msg", "staff-msg", "review", "recall", "eta", "delay",
    NULL };

int
appt_msg_lock(const struct appt_store *s)
{
	return appt_flock(s, "messages/.lock", "another appt-msg");
}

/* Is name a conversation's message folder, NNNN-in or NNNN-out: its n. */
static long
msgnum(const char *name, const char **dir)
{
	long n;
	size_t k = strspn(name, "0123456789");
	char *num;

	if (!k || k > 9 || (strcmp(name + k, "-in") && strcmp(name + k,
	    "-out")))
		return 0;
	num = xstrndup(name, k);
	while (*num == '0' && num[1])
		memmove(num, num + 1, strlen(num));
	if (appt_parse_long(num, 1, 999999999, &n) < 0)
		n = 0;
	free(num);
	if (dir)
		*dir = name + k + 1;
	return n;
}

/* Is where a conversation: an appointment id or "unmatched". */
static void
where_ok(const char *where)
{
	long id;

	if (strcmp(where, APPT_MSG_UNMATCHED) && appt_parse_id(where, &id) < 0)
		appt_die(APPT_EUSAGE, "%s: not an appointment id", where);
}

/* Remove a temporary folder and the files in it (no subfolders). */
static void
rmtemp(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	struct dirent *e;
	DIR *d;

	if (fd >= 0 && (d = fdopendir(fd))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(fd, e->d_name, 0);
		closedir(d);
	} else if (fd >= 0)
		close(fd);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* ".0002-in.XXXXXX": a temporary folder of ours. */
static int
istemp(const char *name)
{
	const char *dot;
	char *base;
	long n;

	if (name[0] != '.' || !(dot = strrchr(name, '.')) || dot == name ||
	    strlen(dot) != 7)
		return 0;
	if (!strncmp(name, ".seen.", 6) && strlen(name) == 12)
		return 2;
	base = xstrndup(name + 1, (size_t)(dot - name - 1));
	n = msgnum(base, NULL);
	free(base);
	return n > 0;
}

long
appt_msg_next(const struct appt_store *s, const char *where)
{
	char *rel = xasprintf("messages/%s", where);
	long max = 0, n;
	struct dirent *e;
	DIR *d;
	int fd;

	where_ok(where);
	if (mkdirat(s->dirfd, "messages", 0700) < 0 && errno != EEXIST)
		appt_die(APPT_EFAIL, "%s/messages: %s", s->dir,
		    strerror(errno));
	if (mkdirat(s->dirfd, rel, 0700) < 0 && errno != EEXIST)
		appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, rel, strerror(errno));
	if ((fd = openat(s->dirfd, rel, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || !(d = fdopendir(fd)))
		appt_die(APPT_EFAIL, "%s/%s: %s", s->dir, rel, strerror(errno));
	while ((e = readdir(d))) {
		if ((n = msgnum(e->d_name, NULL)) > max)
			max = n;
		/* Under the lock: what a killed writer left. */
		else if (istemp(e->d_name) == 1)
			rmtemp(dirfd(d), e->d_name);
		else if (istemp(e->d_name) == 2)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	free(rel);
	return max + 1;
}

/* Write a file of n bytes into folder dfd, new: 0 or -1 (errno). */
static int
putfile(int dfd, const char *name, const char *data, size_t n)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600), e;
	ssize_t w;

	if (fd < 0)
		return -1;
	while (n > 0) {
		if ((w = write(fd, data, n)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		data += w;
		n -= (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail;
	return close(fd);
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* name, or name-2.ext, -3... : one not in the folder yet, into out. */
static void
unique(int dfd, const char *name, char *out, size_t n)
{
	const char *ext = strrchr(name, '.');
	struct stat st;
	size_t base = ext && ext != name ? (size_t)(ext - name) :
	    strlen(name);
	int k;

	snprintf(out, n, "%s", name);
	for (k = 2; fstatat(dfd, out, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	    !strcmp(out, "message.txt") || !strcmp(out, "mail.eml"); k++)
		snprintf(out, n, "%.*s-%d%s", (int)base, name, k,
		    base < strlen(name) ? name + base : "");
}

int
appt_msg_write(const struct appt_store *s, const char *where, long num,
    const char *dir, const char *head, const char *text, const char *raw,
    size_t rawlen, const struct appt_msgfile *files, size_t nfiles,
    char **folder)
{
	struct appt_buf b = { 0 };
	char *rel = xasprintf("messages/%s", where), *tmp, *final;
	char name[APPT_NAMEMAX + 16], safe[APPT_NAMEMAX + 1];
	int pfd, tfd = -1, e, made = 0;
	size_t i;

	where_ok(where);
	*folder = NULL;
	final = xasprintf("%04ld-%s", num, dir);
	tmp = xasprintf("%s/%s/.%s.XXXXXX", s->dir, rel, final);
	if ((pfd = openat(s->dirfd, rel, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || !mkdtemp(tmp))
		goto fail;
	made = 1;
	if ((tfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto fail;
	appt_buf_adds(&b, head);
	if (raw && putfile(tfd, "mail.eml", raw, rawlen) < 0)
		goto fail;
	for (i = 0; i < nfiles; i++) {
		appt_safe_name(files[i].name, "file", safe, sizeof safe);
		unique(tfd, safe, name, sizeof name);
		if (putfile(tfd, name, files[i].data, files[i].len) < 0)
			goto fail;
		appt_buf_addf(&b, "File: %s\n", name);
	}
	appt_buf_addf(&b, "\n%s", text);
	if (b.len && b.s[b.len - 1] != '\n')
		appt_buf_addc(&b, '\n');
	if (putfile(tfd, "message.txt", b.s, b.len) < 0 || fsync(tfd) < 0)
		goto fail;
	close(tfd);
	tfd = -1;
	if (renameat(AT_FDCWD, tmp, pfd, final) < 0 || fsync(pfd) < 0)
		goto fail;
	close(pfd);
	*folder = xasprintf("%s/%s", rel, final);
	appt_buf_free(&b);
	free(final);
	free(tmp);
	free(rel);
	return 0;
fail:
	e = errno;
	if (tfd >= 0)
		close(tfd);
	if (pfd >= 0) {
		if (made)
			rmtemp(pfd, strrchr(tmp, '/') + 1);
		close(pfd);
	}
	appt_buf_free(&b);
	free(final);
	free(tmp);
	free(rel);
	errno = e;
	return -1;
}

static int
cmpent(const void *a, const void *b)
{
	const struct appt_msgent *x = a, *y = b;

	return x->n < y->n ? -1 : x->n > y->n;
}

/* message.txt of a folder into e: its head lines and its text. */
static void
readmsg(const struct appt_store *s, struct appt_msgent *e)
{
	char *rel = xasprintf("%s/message.txt", e->folder);
	char *path = appt_path(s, rel), *t = appt_slurp(path, NULL), *p, *nl;
	char *colon;

	free(rel);
	free(path);
	if (!t) {
		e->text = xstrdup("");
		return;
	}
	for (p = t; *p && *p != '\n'; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			break;
		*nl = '\0';
		if ((colon = strchr(p, ':'))) {
			e->name = xreallocarray(e->name, e->nhead + 1,
			    sizeof *e->name);
			e->value = xreallocarray(e->value, e->nhead + 1,
			    sizeof *e->value);
			e->name[e->nhead] = xstrndup(p, (size_t)(colon - p));
			e->value[e->nhead++] = xstrdup(colon + 1 +
			    strspn(colon + 1, " "));
		}
	}
	e->text = xstrdup(*p == '\n' ? p + 1 : "");
	/* The line break that ends the file is not the text's. */
	if (*e->text && e->text[strlen(e->text) - 1] == '\n')
		e->text[strlen(e->text) - 1] = '\0';
	free(t);
}

size_t
appt_msg_read(const struct appt_store *s, const char *where,
    struct appt_msgent **out)
{
	char *rel = xasprintf("messages/%s", where), *path;
	struct appt_msgent *v = NULL;
	struct dirent *e;
	const char *dir;
	size_t n = 0;
	long num;
	DIR *d;

	where_ok(where);
	path = appt_path(s, rel);
	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			if ((num = msgnum(e->d_name, &dir)) > 0) {
				v = xreallocarray(v, n + 1, sizeof *v);
				memset(&v[n], 0, sizeof v[n]);
				v[n].n = num;
				v[n].dir = xstrdup(dir);
				v[n].folder = xasprintf("%s/%s", rel,
				    e->d_name);
				n++;
			}
		closedir(d);
	}
	if (n)
		qsort(v, n, sizeof *v, cmpent);
	for (size_t i = 0; i < n; i++)
		readmsg(s, &v[i]);
	free(path);
	free(rel);
	*out = v;
	return n;
}

const char *
appt_msgent_get(const struct appt_msgent *e, const char *name, size_t nth)
{
	size_t i;

	for (i = 0; i < e->nhead; i++)
		if (!strcasecmp(e->name[i], name) && nth-- == 0)
			return e->value[i];
	return NULL;
}

void
appt_msg_free(struct appt_msgent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].dir);
		free(v[i].folder);
		free(v[i].text);
		appt_strv_free(v[i].name, v[i].nhead);
		appt_strv_free(v[i].value, v[i].nhead);
	}
	free(v);
}

int
appt_msgid_key(const struct appt_store *s, const char *msgid, char *id,
    size_t n)
{
	const char *from = appt_cfg(&s->cfg, "business:email", NULL);
	const char *at = strrchr(msgid, '@'), *p;
	char *key;
	size_t i, k, d;
	long v;
	int ours;

	*id = '\0';
	if (!from || !at || at == msgid || strcasecmp(at + 1,
	    strrchr(from, '@') + 1))
		return 0;
	key = xstrndup(msgid, (size_t)(at - msgid));
	/* A key is a file name of the outbox: nothing else can be one. */
	for (p = key; *p; p++)
		if (*p == '/' || (unsigned char)*p <= ' ' || *p == '\\')
			break;
	if (*p || key[0] == '.' || !(ours = appt_outbox_has(s, key))) {
		free(key);
		return 0;
	}
	for (i = 0; kinds[i]; i++) {
		k = strlen(kinds[i]);
		if (strncmp(key, kinds[i], k) || key[k] != '-')
			continue;
		d = strspn(key + k + 1, "0123456789");
		if (d && (key[k + 1 + d] == '-' || !key[k + 1 + d])) {
			key[k + 1 + d] = '\0';
			if (appt_parse_id(key + k + 1, &v) == 0)
				snprintf(id, n, "%ld", v);
			break;
		}
	}
	free(key);
	return 1;
}

int
appt_msg_bysender(const struct appt_store *s, const char *addr, char *id,
    size_t n)
{
	struct appt_customers *cs = appt_customers_open(s, NULL);
	struct appt_row *r = appt_customers_match(cs, addr, NULL, NULL);
	const char *needles[2], *f;
	char cid[32], **files, *path, *err, mon[16];
	time_t now = appt_now(), start, end, best = 0;
	struct appt_table t;
	size_t nf, i, j, first;
	int y, m, found = 0, pass;

	*id = '\0';
	if (!r) {
		appt_customers_close(cs);
		return 0;
	}
	snprintf(cid, sizeof cid, "%s", appt_get(appt_customers_table(cs), r,
	    "id"));
	appt_customers_close(cs);
	needles[0] = cid;
	needles[1] = NULL;
	nf = appt_month_files(s, 0, 0, &files);
	appt_local(now, &y, &m, NULL, NULL, NULL);
	snprintf(mon, sizeof mon, "%04d-%02d.csv", y, m);
	for (first = 0; first < nf && strcmp(files[first] + 13, mon) < 0;
	    first++)
		;
	/*
	 * Pass 0: the next booked or confirmed one not over yet, from the
	 * month of now on. Pass 1: the latest that started by now, from
	 * that month back.
	 */
	for (pass = 0; pass < 2 && !found; pass++)
		for (i = 0; i < nf && !found; i++) {
			if (pass == 0 && first + i >= nf)
				break;
			if (pass == 1 && i > first)
				break;
			j = pass == 0 ? first + i : first - i;
			if (pass == 1 && j >= nf)
				continue;
			path = appt_path(s, files[j]);
			if (appt_table_read_where(&t, path, files[j],
			    appt_appt_cols, 0, needles, &err) < 0)
				appt_die(APPT_EDATA, "%s", err);
			free(path);
			for (size_t k = 0; k < t.nrow; k++) {
				struct appt_row *row = &t.row[k];

				if (strcmp(appt_get(&t, row, "customer"), cid) ||
				    appt_parse_iso(appt_get(&t, row, "start"),
				    &start) < 0 || appt_parse_iso(appt_get(&t,
				    row, "end"), &end) < 0)
					continue;
				f = appt_get(&t, row, "status");
				if (pass == 0 ? !appt_status_active(f) ||
				    end <= now || (found && start >= best) :
				    start > now || (found && start <= best))
					continue;
				best = start;
				snprintf(id, n, "%s", appt_get(&t, row, "id"));
				found = 1;
			}
			appt_table_free(&t);
		}
	appt_strv_free(files, nf);
	return found;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check one message folder: its message.txt and the files it names. */
static long
checkmsg(const struct appt_store *s, const char *rel,
    void (*report)(void *, const char *), void *ctx)
{
	struct appt_msgent e = { .folder = (char *)rel };
	char *path = xasprintf("%s/%s/message.txt", s->dir, rel), *p, *msg;
	const char *v;
	struct stat st;
	long n = 0;
	size_t i;

	if (stat(path, &st) < 0) {
		msg = xasprintf("%s: no message.txt", rel);
		report(ctx, msg);
		free(msg);
		free(path);
		return 1;
	}
	free(path);
	readmsg(s, &e);
	for (i = 0; (v = appt_msgent_get(&e, "File", i)); i++) {
		p = xasprintf("%s/%s/%s", s->dir, rel, v);
		if (strchr(v, '/') || lstat(p, &st) < 0 || !S_ISREG(st.st_mode)) {
			msg = xasprintf("%s/message.txt: File: %s: no such "
			    "file in the folder", rel, v);
			report(ctx, msg);
			free(msg);
			n++;
		}
		free(p);
	}
	free(e.text);
	appt_strv_free(e.name, e.nhead);
	appt_strv_free(e.value, e.nhead);
	return n;
}

/* The entries of folder path not hidden, sorted: how many. */
static size_t
entries(const char *path, char ***out)
{
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				v = xreallocarray(v, n + 1, sizeof *v);
				v[n++] = xstrdup(e->d_name);
			}
		closedir(d);
	}
	if (n)
		qsort(v, n, sizeof *v, cmpstr);
	*out = v;
	return n;
}

/* Report "rel: what" (what made of fmt): 1. */
static long __attribute__((format(printf, 4, 5)))
say(void (*report)(void *, const char *), void *ctx, const char *rel,
    const char *fmt, ...)
{
	va_list ap;
	long n;

	va_start(ap, fmt);
	n = appt_vproblem(report, ctx, rel, 0, fmt, ap);
	va_end(ap);
	return n;
}

/* The message folders of one conversation, in order. */
static long
checkconv(const struct appt_store *s, const char *name,
    void (*report)(void *, const char *), void *ctx)
{
	char *dir = xasprintf("%s/messages/%s", s->dir, name), **v, *rel;
	size_t nv = entries(dir, &v), i;
	long n = 0, num, last = 0;

	for (i = 0; i < nv; i++) {
		rel = xasprintf("messages/%s/%s", name, v[i]);
		if ((num = msgnum(v[i], NULL)) <= 0)
			n += say(report, ctx, rel, "not a message folder "
			    "(NNNN-in or NNNN-out)");
		else {
			/* Sorted: one number twice is two in a row. */
			if (num == last)
				n += say(report, ctx, rel, "number %ld used "
				    "twice", num);
			last = num;
			n += checkmsg(s, rel, report, ctx);
		}
		free(rel);
	}
	appt_strv_free(v, nv);
	free(dir);
	return n;
}

long
appt_msg_check(const struct appt_store *s, int (*has)(void *, long),
    void *hasctx, void (*report)(void *, const char *), void *ctx)
{
	char *top = appt_path(s, "messages"), **v, *rel;
	size_t nv = entries(top, &v), i;
	long n = 0, id;

	for (i = 0; i < nv; i++) {
		rel = xasprintf("messages/%s", v[i]);
		if (!strcmp(v[i], APPT_MSG_UNMATCHED) || (appt_parse_id(v[i],
		    &id) == 0 && has(hasctx, id)))
			n += checkconv(s, v[i], report, ctx);
		else if (appt_parse_id(v[i], &id) < 0)
			n += say(report, ctx, rel, "not an appointment id nor "
			    "unmatched");
		else
			n += say(report, ctx, rel, "no appointment %s", v[i]);
		free(rel);
	}
	appt_strv_free(v, nv);
	free(top);
	return n;
}

/* The number of the last message of where shown (.seen), 0 if none. */
static long
seen(const struct appt_store *s, const char *where)
{
	char *rel = xasprintf("messages/%s/.seen", where);
	char *path = appt_path(s, rel), *t = appt_slurp(path, NULL), *nl;
	long n = 0;

	if (t && (nl = strchr(t, '\n')))
		*nl = '\0';
	if (!t || appt_parse_long(t, 0, 999999999, &n) < 0)
		n = 0;
	free(t);
	free(path);
	free(rel);
	return n;
}

long
appt_msg_unread(const struct appt_store *s, const char *where)
{
	char *path = xasprintf("%s/messages/%s", s->dir, where);
	const char *dir;
	struct dirent *e;
	long n = 0, last = -1, num;
	DIR *d;

	if ((d = opendir(path))) {
		while ((e = readdir(d)))
			if ((num = msgnum(e->d_name, &dir)) > 0 &&
			    !strcmp(dir, "in")) {
				if (last < 0)
					last = seen(s, where);
				n += num > last;
			}
		closedir(d);
	}
	free(path);
	return n;
}

int
appt_msg_seen(const struct appt_store *s, const char *where, long num)
{
	char *path = xasprintf("%s/messages/%s/.seen.XXXXXX", s->dir, where);
	char *final = xasprintf("%s/messages/%s/.seen", s->dir, where);
	char buf[32];
	int fd, lock, e, r = -1;

	where_ok(where);
	if (num <= seen(s, where)) {
		free(path);
		free(final);
		return 0;
	}
	lock = appt_msg_lock(s);
	snprintf(buf, sizeof buf, "%ld\n", num);
	if ((fd = mkostemp(path, O_CLOEXEC)) >= 0) {
		if (write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf) &&
		    fsync(fd) == 0 && close(fd) == 0)
			r = rename(path, final);
		else
			close(fd);
		if (r < 0) {
			e = errno;
			unlink(path);
			errno = e;
		}
	}
	close(lock);
	free(path);
	free(final);
	return r;
}
