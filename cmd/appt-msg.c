/*
 * appt-msg: the conversation about an appointment. Out: a message to the
 * customer (mail with files attached, or SMS), through the outbox. In:
 * one mail from a mail filter (procmail, maildrop, fdm, .forward), filed
 * under its appointment with its files, and the staff member told.
 *
 * receive is a mail delivery agent, and the mail is a stranger's: the
 * process that reads it only supervises. A first child parses and files
 * it; should it fail in any way (bad data, a crash in the parser) before
 * the mail is stored, a second child keeps the mail raw in
 * messages/unmatched/ with a note of what went wrong; should that fail
 * too, the exit status is 75 (EX_TEMPFAIL), and the mail filter keeps
 * the mail and tries again later. A child says "stored" through a
 * memory file once the message folder is renamed into place.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "appt.h"

static const char *synopsis =
    "appt-msg [-hV] [-d DIR] ID [--attach FILE]... TEXT|-\n"
    "       appt-msg [-d DIR] receive\n"
    "       appt-msg [-d DIR] [-o FMT] thread ID|unmatched";

#define EX_TEMPFAIL 75
/* Bytes of files one message takes along (base64 makes them 4/3). */
#define ATTACHMAX (15L * 1024 * 1024)
/* Bytes of inbound text a staff notice quotes. */
#define QUOTEMAX 4000
/* Bytes of an oversized mail kept: its head. */
#define HEADKEEP (64 * 1024)

/* What receive hands each child. */
struct job {
	const char *dir;
	const char *raw;
	size_t len;		/* bytes of raw */
	size_t total;		/* bytes of the mail as it came */
	const char *why;	/* why the first child failed */
};

struct file {
	char *name, *data;
	size_t len;
};

static int
channel(const struct appt_store *s, const char *name)
{
	return appt_word_in(appt_cfg(&s->cfg, "notify:channels",
	    "email, sms"), ", ", name, 0);
}

/* The placeholders of a message about appointment a (NULL: none). */
static void
vars(struct appt_msgvars *v, const struct appt_store *s,
    const struct appt_catalog *cat, const struct appt_appt *a,
    const char *customer)
{
	const struct appt_service *svc = a ? appt_service_find(cat,
	    a->service) : NULL;
	const struct appt_staff *st = a ? appt_staff_find(cat, a->staff) :
	    NULL;

	v->n = 0;
	v->start = appt_now();
	if (a)
		appt_parse_iso(a->start, &v->start);
	appt_msgvar(v, "customer", customer);
	appt_msgvar(v, "service", svc ? appt_service_name(svc) : a ?
	    a->service : "");
	appt_msgvar(v, "staff", st ? appt_staff_name(st) : a ? a->staff : "");
	appt_msgvar(v, "start", "");
	appt_msgvar(v, "business", appt_cfg(&s->cfg, "business:name", ""));
	appt_msgvar(v, "address", appt_cfg(&s->cfg, "business:address", ""));
	appt_msgvar(v, "phone", appt_cfg(&s->cfg, "business:phone", ""));
	appt_msgvar(v, "email", appt_cfg(&s->cfg, "business:email", ""));
	appt_msgvar(v, "price", a ? a->price : "");
	appt_msgvar(v, "id", a ? a->id : APPT_MSG_UNMATCHED);
}

/* Read the whole of stdin, or arg: the text, checked. Exits 2. */
static char *
readtext(const char *arg)
{
	struct appt_buf b = { 0 };
	const char *bad;
	char buf[4096], *a, *p, *flat;
	size_t n;

	if (!strcmp(arg, "-")) {
		while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
			appt_buf_add(&b, buf, n);
			if (b.len > APPT_CSV_FIELDMAX)
				appt_die(APPT_EUSAGE, "stdin: more than %d "
				    "bytes of text", APPT_CSV_FIELDMAX);
		}
		if (ferror(stdin))
			appt_die(APPT_EUSAGE, "stdin: %s", strerror(errno));
	} else
		appt_buf_adds(&b, arg);
	appt_buf_add(&b, "", 0);
	for (a = p = b.s; *p; p++)
		if (!(*p == '\r' && p[1] == '\n'))
			*a++ = *p;
	*a = '\0';
	/* Text, line breaks and tabs: no other control character. */
	flat = xstrdup(b.s);
	for (p = flat; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	bad = appt_input_bad(flat);
	free(flat);
	if (!bad && !b.s[strspn(b.s, " \t\n")])
		bad = "is empty";
	if (bad) {
		appt_buf_free(&b);
		appt_die(APPT_EUSAGE, "%s: the text %s", strcmp(arg, "-") ?
		    "TEXT" : "stdin", bad);
	}
	return b.s;
}

/* The files to attach, read whole; exits 2 on any that is not fit. */
static struct file *
readfiles(char **names, size_t n)
{
	struct file *f = xcalloc(n + 1, sizeof *f);
	struct stat st;
	size_t i, total = 0;
	ssize_t r;
	int fd;

	for (i = 0; i < n; i++) {
		if ((fd = open(names[i], O_RDONLY | O_CLOEXEC)) < 0)
			appt_die(APPT_EUSAGE, "%s: %s", names[i],
			    strerror(errno));
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
			appt_die(APPT_EUSAGE, "%s: not a file", names[i]);
		if (st.st_size > ATTACHMAX || (total += (size_t)st.st_size) >
		    (size_t)ATTACHMAX)
			appt_die(APPT_EUSAGE, "%s: the files of a message may "
			    "be %ld MiB in all: send a link instead",
			    names[i], ATTACHMAX >> 20);
		f[i].data = xmalloc((size_t)st.st_size + 1);
		while (f[i].len < (size_t)st.st_size && (r = read(fd,
		    f[i].data + f[i].len, (size_t)st.st_size - f[i].len)) > 0)
			f[i].len += (size_t)r;
		if (f[i].len != (size_t)st.st_size)
			appt_die(APPT_EUSAGE, "%s: cannot read it", names[i]);
		close(fd);
		f[i].name = xstrdup(names[i]);
	}
	return f;
}

/* Deliver keys now; what failed says so on stderr: how many. */
static int
deliver(const struct appt_store *s, char **keys, size_t n)
{
	int failed = appt_outbox_send(s, keys, n, 0);
	size_t held = appt_outbox_held(s, keys, n);

	if (failed > (int)held)
		appt_warn("%d message%s not delivered yet: queued in the "
		    "outbox for appt-send", failed - (int)held,
		    failed - (int)held == 1 ? "" : "s");
	return failed;
}

static int
msgsend(const char *dir, const char *id, char **names, size_t nnames,
    const char *textarg)
{
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_table *t;
	struct appt_row *r;
	struct appt_people pp = { 0 };
	struct appt_appt a;
	struct appt_msgvars v;
	struct appt_buf head = { 0 };
	struct appt_msgfile *mf;
	struct appt_part *parts;
	char *text, *subject, *body, *err, *mail = NULL, *sms = NULL;
	char *keys[2], *folder, phone[32], base[APPT_NAMEMAX + 1];
	const char *who[3], *slash;
	struct file *f;
	size_t i, nk = 0;
	long cid, num;
	int email, sendsms, lock, rc = 0;

	if (appt_parse_id(id, &cid) < 0)
		appt_die(APPT_EUSAGE, "%s: not an appointment id", id);
	text = readtext(textarg);
	f = readfiles(names, nnames);
	appt_store_opendir(&s, dir);
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	if (!(r = appt_months_find(ms, id, NULL, &t)))
		appt_die(APPT_EFAIL, "%s: no such appointment", id);
	appt_appt_of(t, r, &a);
	if (appt_parse_id(a.customer, &cid) == 0)
		appt_people_want(&pp, &s, &cid, 1);
	appt_people_who(&pp, a.customer, who);
	email = channel(&s, "email") && !appt_empty(who[1]) &&
	    appt_cfg(&s.cfg, "business:email", NULL);
	sendsms = channel(&s, "sms") && !appt_empty(who[2]) &&
	    appt_cfg(&s.cfg, "sms:command", NULL) &&
	    appt_norm_phone(who[2], s.country, phone, sizeof phone) == 0 &&
	    phone[0] == '+';
	if (nnames && !email)
		appt_die(APPT_EFAIL, "appointment %s: %s has no email address "
		    "to send files to (an SMS takes text only)", id,
		    *who[0] ? who[0] : "the customer");
	if (!email && !sendsms)
		appt_die(APPT_EFAIL, "appointment %s: no way to write to %s: "
		    "no email address or mobile number (or [notify] "
		    "channels, [business] email or [sms] command unset)", id,
		    *who[0] ? who[0] : "the customer");
	vars(&v, &s, cat, &a, who[0]);
	appt_msgvar(&v, "text", text);
	/* Everything is made before anything is written. */
	lock = appt_msg_lock(&s);
	num = appt_msg_next(&s, id);
	appt_buf_addf(&head, "Date: %s\n", appt_fmt_time(appt_now(),
	    (char[APPT_TIMELEN]){ 0 }));
	if (email) {
		keys[nk] = xasprintf("msg-%s-%04ld-email", id, num);
		if (appt_render(&s, "msg", 0, &v, &subject, &body, &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		parts = xcalloc(nnames + 1, sizeof *parts);
		for (i = 0; i < nnames; i++) {
			slash = strrchr(f[i].name, '/');
			appt_safe_name(slash ? slash + 1 : f[i].name, "file",
			    base, sizeof base);
			parts[i].name = xstrdup(base);
			parts[i].type = appt_type_of(base);
			parts[i].data = f[i].data;
			parts[i].len = f[i].len;
		}
		if (nnames) {
			char *mime = appt_mime_mixed(body, parts, nnames);

			mail = appt_mail_mime(&s, keys[nk], who[0], who[1],
			    subject, mime, &err);
			free(mime);
		} else
			mail = appt_mail(&s, keys[nk], who[0], who[1], subject,
			    body, &err);
		for (i = 0; i < nnames; i++)
			free((char *)parts[i].name);
		free(parts);
		if (!mail)
			appt_die(APPT_EDATA, "%s", err);
		if (*who[0])
			appt_buf_addf(&head, "To: %s <%s>\n", who[0], who[1]);
		else
			appt_buf_addf(&head, "To: %s\n", who[1]);
		appt_buf_addf(&head, "Subject: %s\n", subject);
		free(subject);
		free(body);
		nk++;
	}
	if (sendsms) {
		keys[nk] = xasprintf("msg-%s-%04ld-sms", id, num);
		if (appt_render(&s, "msg", 1, &v, &subject, &body, &err) < 0)
			appt_die(APPT_EDATA, "%s", err);
		sms = xasprintf("%s\n", body);
		appt_buf_addf(&head, "To: %s%s%s\n", who[0], *who[0] ? " " :
		    "", phone);
		free(subject);
		free(body);
		nk++;
	}
	for (i = 0; i < nk; i++)
		appt_buf_addf(&head, "Key: %s\n", keys[i]);
	mf = xcalloc(nnames + 1, sizeof *mf);
	for (i = 0; i < nnames; i++) {
		slash = strrchr(f[i].name, '/');
		mf[i].name = slash ? slash + 1 : f[i].name;
		mf[i].data = f[i].data;
		mf[i].len = f[i].len;
	}
	/* Kept first, then queued: never a message sent that is not kept. */
	if (appt_msg_write(&s, id, num, "out", head.s, text, NULL, 0, mf,
	    nnames, &folder) < 0)
		appt_die(APPT_EFAIL, "messages/%s: cannot write: %s", id,
		    strerror(errno));
	if (mail)
		appt_outbox_put(&s, keys[0], who[1], mail);
	if (sms)
		appt_outbox_put(&s, keys[nk - 1], phone, sms);
	close(lock);
	if (deliver(&s, keys, nk))
		rc = APPT_EDELIVER;
	free(folder);
	free(mf);
	free(mail);
	free(sms);
	for (i = 0; i < nk; i++)
		free(keys[i]);
	for (i = 0; i < nnames; i++) {
		free(f[i].name);
		free(f[i].data);
	}
	free(f);
	free(text);
	appt_buf_free(&head);
	appt_people_free(&pp);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	return rc;
}

/* Say "stored" to the supervisor, through fd. */
static void
stored(int fd, const char *folder)
{
	dprintf(fd, "%s\n", folder);
	fsync(fd);
}

/*
 * Tell the staff member (of the appointment, else the business) of
 * message folder num of where, through the outbox.
 */
static void
tellstaff(const struct appt_store *s, const struct appt_catalog *cat,
    const struct appt_appt *a, const char *where, long num,
    const struct appt_inmail *m, const char *folder, const char *note)
{
	const struct appt_staff *st = a ? appt_staff_find(cat, a->staff) :
	    NULL;
	const char *to = st ? appt_staff_email(st) : "";
	struct appt_msgvars v;
	struct appt_buf files = { 0 }, about = { 0 }, quote = { 0 };
	char *subject, *body, *err, *mail, *key;
	char when[64];
	size_t i;
	struct tm tm;

	if (appt_empty(to))
		to = appt_cfg(&s->cfg, "business:email", "");
	/* Not to the business without one, nor to who wrote it. */
	if (!*to || !appt_cfg(&s->cfg, "business:email", NULL) ||
	    !strcasecmp(to, m->fromaddr))
		return;
	vars(&v, s, cat, a, *m->from ? m->from : "someone");
	if (a) {
		localtime_r(&v.start, &tm);
		strftime(when, sizeof when, "%a %e %b %H:%M", &tm);
		appt_buf_addf(&about, "appointment %s (%s, %s)", a->id,
		    v.value[1], when[0] ? when : a->start);
	} else
		appt_buf_adds(&about, "no appointment (unmatched)");
	/* A line each, or nothing at all. */
	for (i = 0; i < m->natt; i++)
		appt_buf_addf(&files, "File: %s\n", m->att[i].name);
	if (note)
		appt_buf_addf(&files, "Note: %s\n", note);
	appt_buf_add(&files, "", 0);
	appt_buf_add(&quote, m->text, strlen(m->text) > QUOTEMAX ? QUOTEMAX :
	    strlen(m->text));
	while (quote.len && ((unsigned char)quote.s[quote.len - 1] & 0xc0) ==
	    0x80)
		quote.s[--quote.len] = '\0';
	if (quote.len && strlen(m->text) > QUOTEMAX) {
		if ((unsigned char)quote.s[quote.len - 1] >= 0xc0)
			quote.s[--quote.len] = '\0';
		appt_buf_adds(&quote, " [...]");
	}
	appt_buf_add(&quote, "", 0);
	appt_msgvar(&v, "text", quote.s);
	appt_msgvar(&v, "from", *m->from ? m->from : "someone");
	appt_msgvar(&v, "subject", m->subject);
	appt_msgvar(&v, "files", files.s);
	appt_msgvar(&v, "folder", folder);
	appt_msgvar(&v, "about", about.s);
	key = xasprintf("staff-msg-%s-%04ld-email", where, num);
	subject = body = mail = NULL;
	if (appt_render(s, "staff-msg", 0, &v, &subject, &body, &err) < 0 ||
	    !(mail = appt_mail(s, key, st ? appt_staff_name(st) : "", to,
	    subject, body, &err))) {
		appt_warn("%s: not queued: %s", key, err);
		free(err);
	} else {
		appt_outbox_put(s, key, to, mail);
		deliver(s, &key, 1);
	}
	free(mail);
	free(subject);
	free(body);
	free(key);
	appt_buf_free(&files);
	appt_buf_free(&about);
	appt_buf_free(&quote);
}

/*
 * The first child of receive: parse, file and store the mail, say so
 * on fd, tell the staff member. total is its size as it came (len of it
 * were read).
 */
static int
file(const struct job *j, int fd)
{
	const char *raw = j->raw;
	size_t len = j->len, total = j->total;
	struct appt_store s;
	struct appt_catalog *cat;
	struct appt_months *ms;
	struct appt_table *t;
	struct appt_row *r = NULL;
	struct appt_appt a;
	struct appt_inmail m;
	struct appt_msgfile *mf;
	struct appt_buf head = { 0 };
	char id[32] = "", *folder, *note = NULL;
	const char *where = APPT_MSG_UNMATCHED, *how = "no appointment";
	size_t i;
	long num;
	int lock;

	appt_store_opendir(&s, j->dir);
	cat = appt_catalog_open(&s);
	ms = appt_months_open(&s);
	appt_inmail_parse(&m, raw, len);
	if (total > (size_t)APPT_INMAIL_MAX) {
		note = xasprintf("the mail is over %ld MiB (%zu bytes): only "
		    "its first %d KiB are kept; ask for smaller files",
		    APPT_INMAIL_MAX >> 20, total, HEADKEEP / 1024);
		len = len > HEADKEEP ? HEADKEEP : len;
	} else if (m.bad)
		note = xasprintf("malformed mail (%s): kept as it came, in "
		    "mail.eml", m.bad);
	/* Our own mail come back (a notice to the address that pipes here). */
	if (!m.bad && *m.msgid && appt_msgid_key(&s, m.msgid, id, sizeof id)) {
		appt_warn("<%s>: a message appt sent came back: not filed",
		    m.msgid);
		stored(fd, "");
		appt_inmail_free(&m);
		appt_months_close(ms);
		appt_catalog_close(cat);
		appt_store_close(&s);
		return 0;
	}
	for (i = 0; !note && i < m.nref && !r; i++)
		if (appt_msgid_key(&s, m.ref[i], id, sizeof id) && *id &&
		    (r = appt_months_find(ms, id, NULL, &t)))
			how = "by reply";
	if (!note && !r && appt_msg_bysender(&s, m.fromaddr, id, sizeof id) &&
	    (r = appt_months_find(ms, id, NULL, &t)))
		how = "by sender";
	if (r) {
		appt_appt_of(t, r, &a);
		where = a.id;
	}
	lock = appt_msg_lock(&s);
	num = appt_msg_next(&s, where);
	appt_buf_addf(&head, "Date: %s\n", appt_fmt_time(appt_now(),
	    (char[APPT_TIMELEN]){ 0 }));
	if (*m.from)
		appt_buf_addf(&head, "From: %s\n", m.from);
	if (*m.subject)
		appt_buf_addf(&head, "Subject: %s\n", m.subject);
	if (*m.msgid)
		appt_buf_addf(&head, "Message-ID: <%s>\n", m.msgid);
	appt_buf_addf(&head, "Filed: %s\n", how);
	if (note)
		appt_buf_addf(&head, "Note: %s\n", note);
	for (i = 0; i < m.nnote; i++)
		appt_buf_addf(&head, "Note: %s\n", m.notes[i]);
	mf = xcalloc(m.natt + 1, sizeof *mf);
	for (i = 0; !note && i < m.natt; i++) {
		mf[i].name = m.att[i].name;
		mf[i].data = m.att[i].data;
		mf[i].len = m.att[i].len;
	}
	if (appt_msg_write(&s, where, num, "in", head.s, note ? "" : m.text,
	    raw, len, mf, note ? 0 : m.natt, &folder) < 0)
		appt_die(EX_TEMPFAIL, "messages/%s: cannot write: %s", where,
		    strerror(errno));
	stored(fd, folder);
	close(lock);
	if (!m.autosub) {
		if (note)
			m.natt = 0;
		tellstaff(&s, cat, r ? &a : NULL, where, num, &m, folder,
		    note);
	}
	free(folder);
	free(note);
	free(mf);
	appt_buf_free(&head);
	appt_inmail_free(&m);
	appt_months_close(ms);
	appt_catalog_close(cat);
	appt_store_close(&s);
	return 0;
}

/* The second child: keep the mail raw in unmatched, with why. */
static int
keepraw(const struct job *j, int fd)
{
	struct appt_store s;
	struct appt_buf head = { 0 };
	char *folder;
	long num;
	int lock;

	appt_store_opendir_lax(&s, j->dir);
	lock = appt_msg_lock(&s);
	num = appt_msg_next(&s, APPT_MSG_UNMATCHED);
	appt_buf_addf(&head, "Date: %s\nFiled: no appointment\n"
	    "Note: could not be filed (%s): kept as it came, in mail.eml\n",
	    appt_fmt_time(appt_now(), (char[APPT_TIMELEN]){ 0 }), j->why);
	if (appt_msg_write(&s, APPT_MSG_UNMATCHED, num, "in", head.s, "",
	    j->raw, j->len, NULL, 0, &folder) < 0)
		appt_die(EX_TEMPFAIL, "messages/unmatched: cannot write: %s",
		    strerror(errno));
	stored(fd, folder);
	close(lock);
	appt_warn("kept in %s: %s", folder, j->why);
	free(folder);
	appt_buf_free(&head);
	appt_store_close(&s);
	return 0;
}

/*
 * Run fn in a child, its stderr copied to ours and kept in *err: did
 * it say stored?
 */
static int
child(int (*fn)(const struct job *, int), const struct job *j, char **err)
{
	int sfd = memfd_create("stored", MFD_CLOEXEC);
	int efd = memfd_create("stderr", MFD_CLOEXEC), status, said;
	char buf[4096];
	struct appt_buf e = { 0 };
	ssize_t n;
	pid_t pid;

	if (sfd < 0 || efd < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		dup2(efd, 2);
		exit(fn(j, sfd) ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	said = lseek(sfd, 0, SEEK_END) > 0;
	lseek(efd, 0, SEEK_SET);
	while ((n = read(efd, buf, sizeof buf)) > 0) {
		appt_buf_add(&e, buf, (size_t)n);
		fwrite(buf, 1, (size_t)n, stderr);
	}
	appt_buf_add(&e, "", 0);
	while (e.len && e.s[e.len - 1] == '\n')
		e.s[--e.len] = '\0';
	if (WIFSIGNALED(status))
		*err = xasprintf("killed by signal %d%s%s", WTERMSIG(status),
		    e.len ? ": " : "", e.s);
	else if (!said)
		*err = xasprintf("exit %d%s%s", WEXITSTATUS(status),
		    e.len ? ": " : "", e.s);
	else
		*err = NULL;
	appt_buf_free(&e);
	close(sfd);
	close(efd);
	return said;
}

static int
receive(const char *dir)
{
	struct appt_buf b = { 0 };
	struct job j = { 0 };
	char buf[65536], *err, *err2 = NULL, *p;
	size_t total = 0;
	ssize_t n;

	/* Read it all, keeping no more than the cap and a byte. */
	for (;;) {
		if ((n = read(0, buf, sizeof buf)) < 0) {
			if (errno == EINTR)
				continue;
			appt_warn("stdin: %s", strerror(errno));
			return EX_TEMPFAIL;
		}
		if (n == 0)
			break;
		total += (size_t)n;
		if (b.len <= (size_t)APPT_INMAIL_MAX)
			appt_buf_add(&b, buf, (size_t)n);
	}
	appt_buf_add(&b, "", 0);
	j.dir = dir;
	j.raw = b.s;
	j.len = b.len;
	j.total = total;
	if (child(file, &j, &err) > 0) {
		free(b.s);
		return 0;
	}
	/* One line of why, for the note. */
	for (p = err; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	j.why = err ? err : "it failed";
	if (total > (size_t)APPT_INMAIL_MAX)
		j.len = HEADKEEP;
	if (child(keepraw, &j, &err2) > 0) {
		free(err);
		free(b.s);
		return 0;
	}
	appt_warn("the mail could not be stored: the mail filter keeps it "
	    "and tries again later (exit 75)");
	free(err);
	free(err2);
	free(b.s);
	return EX_TEMPFAIL;
}

/* The outbox state of a key: sent, queued, held... or "not queued". */
static const char *
state(const struct appt_store *s, const char *key)
{
	static const char *const folders[][2] = { { "sent", "sent" },
	    { "queue", "queued" }, { "sending", "sending" },
	    { "held", "held" }, { "withdrawn", "withdrawn" } };
	char **v;
	size_t n, i, k;
	int found;

	for (k = 0; k < sizeof folders / sizeof folders[0]; k++) {
		n = appt_outbox_list(s, folders[k][0], &v);
		for (i = 0, found = 0; i < n && !found; i++)
			found = !strcmp(v[i], key);
		appt_strv_free(v, n);
		if (found)
			return folders[k][1];
	}
	return "not queued";
}

/* A head line's values joined by sep, into b. */
static void
joined(struct appt_buf *b, const struct appt_msgent *e, const char *name,
    const char *sep)
{
	const char *v;
	size_t i;

	appt_buf_add(b, "", 0);
	for (i = 0; (v = appt_msgent_get(e, name, i)); i++)
		appt_buf_addf(b, "%s%s", i ? sep : "", v);
}

/* Text for a terminal: no control character but LF and tab. */
static void
putclean(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
			putchar(*s);
}

static int
thread(const char *dir, const char *where, const char *ofmt)
{
	static const char *cols[] = { "n", "date", "direction", "from", "to",
	    "subject", "files", "status", "note", "text", "folder" };
	struct appt_store s;
	struct appt_msgent *v;
	struct appt_out o;
	struct appt_buf to = { 0 }, files = { 0 }, status = { 0 },
	    note = { 0 };
	const char *f[11], *k, *chan;
	char num[16], *rel, *path;
	size_t n, i, j;
	int fmt = appt_out_arg(ofmt);
	long id;
	struct stat st;

	if (strcmp(where, APPT_MSG_UNMATCHED) && appt_parse_id(where, &id) < 0)
		appt_die(APPT_EUSAGE, "%s: not an appointment id", where);
	appt_store_opendir(&s, dir);
	rel = xasprintf("messages/%s", where);
	path = appt_path(&s, rel);
	if (stat(path, &st) < 0 && strcmp(where, APPT_MSG_UNMATCHED)) {
		struct appt_months *ms = appt_months_open(&s);
		struct appt_table *t;

		if (!appt_months_find(ms, where, NULL, &t))
			appt_die(APPT_EFAIL, "%s: no such appointment", where);
		appt_months_close(ms);
	}
	free(path);
	free(rel);
	n = appt_msg_read(&s, where, &v);
	if (fmt != APPT_OUT_TABLE)
		appt_out_begin(&o, fmt, 11, cols);
	for (i = 0; i < n; i++) {
		joined(&to, &v[i], "To", "; ");
		joined(&files, &v[i], "File", "; ");
		joined(&note, &v[i], "Note", "; ");
		appt_buf_add(&status, "", 0);
		if (!strcmp(v[i].dir, "out"))
			for (j = 0; (k = appt_msgent_get(&v[i], "Key", j));
			    j++) {
				chan = strrchr(k, '-') ? strrchr(k, '-') + 1 :
				    k;
				appt_buf_addf(&status, "%s%s %s", j ? ", " :
				    "", chan, state(&s, k));
			}
		else if ((k = appt_msgent_get(&v[i], "Filed", 0)))
			appt_buf_addf(&status, "filed %s", k);
		snprintf(num, sizeof num, "%ld", v[i].n);
		f[0] = num;
		f[1] = appt_msgent_get(&v[i], "Date", 0);
		f[2] = v[i].dir;
		f[3] = appt_msgent_get(&v[i], "From", 0);
		f[4] = to.s;
		f[5] = appt_msgent_get(&v[i], "Subject", 0);
		f[6] = files.s;
		f[7] = status.s;
		f[8] = note.s;
		f[9] = v[i].text;
		f[10] = v[i].folder;
		for (j = 0; j < 11; j++)
			if (!f[j])
				f[j] = "";
		if (fmt != APPT_OUT_TABLE)
			appt_out_row(&o, f, 0);
		else {
			printf("%s#%s %s %s ", i ? "\n" : "", f[0], f[2], f[1]);
			putclean(!strcmp(f[2], "out") ? "to " : "from ");
			putclean(!strcmp(f[2], "out") ? f[4] : *f[3] ? f[3] :
			    "(unknown)");
			if (*f[7]) {
				printf(" (");
				putclean(f[7]);
				printf(")");
			}
			printf("\n");
			if (*f[5]) {
				printf("Subject: ");
				putclean(f[5]);
				printf("\n");
			}
			for (j = 0; (k = appt_msgent_get(&v[i], "Note", j));
			    j++) {
				printf("Note: ");
				putclean(k);
				printf("\n");
			}
			putclean(f[9]);
			if (*f[9] && f[9][strlen(f[9]) - 1] != '\n')
				printf("\n");
			for (j = 0; (k = appt_msgent_get(&v[i], "File", j));
			    j++) {
				printf("  file: ");
				putclean(f[10]);
				printf("/");
				putclean(k);
				printf("\n");
			}
		}
		appt_buf_free(&to);
		appt_buf_free(&files);
		appt_buf_free(&note);
		appt_buf_free(&status);
	}
	if (fmt != APPT_OUT_TABLE)
		appt_out_end(&o);
	/* Shown to a person: read. */
	else if (n && appt_msg_seen(&s, where, v[n - 1].n) < 0)
		appt_warn("messages/%s/.seen: %s", where, strerror(errno));
	appt_msg_free(v, n);
	appt_store_close(&s);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "attach", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *ofmt = NULL;
	char **files = NULL;
	size_t nfiles = 0;
	int c, rc;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:ho:V", longopts, NULL)) != -1)
		switch (c) {
		case 'a':
			files = xreallocarray(files, nfiles + 1,
			    sizeof *files);
			files[nfiles++] = optarg;
			break;
		default:
			appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		appt_usage(synopsis, 0);
	if (!strcmp(argv[0], "receive")) {
		if (argc != 1 || nfiles || ofmt)
			appt_usage(synopsis, 0);
		rc = receive(dir);
	} else if (!strcmp(argv[0], "thread")) {
		if (argc != 2 || nfiles)
			appt_usage(synopsis, 0);
		rc = thread(dir, argv[1], ofmt);
	} else {
		if (argc != 2 || ofmt)
			appt_usage(synopsis, 0);
		rc = msgsend(dir, argv[0], files, nfiles, argv[1]);
	}
	free(files);
	appt_exit(rc);
}
