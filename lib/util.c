/* util.c: messages, memory, strings, checked exit. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appt.h"

#ifndef APPT_SHAREDIR
#define APPT_SHAREDIR "/usr/local/share/appt"
#endif

const char *appt_progname = "appt";

void
appt_setprog(const char *argv0)
{
	const char *p;

	if (!argv0)
		return;
	p = strrchr(argv0, '/');
	appt_progname = p ? p + 1 : argv0;
}

static void
vmsg(const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", appt_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
appt_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(code);
}

void
appt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		appt_die(APPT_EFAIL, "out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		appt_die(APPT_EFAIL, "out of memory");
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		appt_die(APPT_EFAIL, "out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t m)
{
	if (m && n > SIZE_MAX / m)
		appt_die(APPT_EFAIL, "out of memory");
	return xrealloc(p, n * m);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		appt_die(APPT_EFAIL, "out of memory");
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
appt_buf_add(struct appt_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void
appt_buf_adds(struct appt_buf *b, const char *s)
{
	appt_buf_add(b, s, strlen(s));
}

void
appt_buf_addc(struct appt_buf *b, int c)
{
	char ch = (char)c;

	appt_buf_add(b, &ch, 1);
}

void
appt_buf_addf(struct appt_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		appt_die(APPT_EFAIL, "out of memory");
	appt_buf_add(b, s, (size_t)n);
	free(s);
}

void
appt_buf_free(struct appt_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* Flush and close fp checked (sbase fshut): -1, said, if anything failed. */
static int
fclosed(FILE *fp, const char *name)
{
	int bad = 0;

	if (fflush(fp) == EOF || ferror(fp))
		bad = 1;
	if (fclose(fp) == EOF)
		bad = 1;
	if (bad)
		appt_warn("%s: %s", name, strerror(errno ? errno : EIO));
	return bad ? -1 : 0;
}

void
appt_exit(int code)
{
	if (fclosed(stdout, "stdout") < 0 && code == 0)
		code = APPT_EFAIL;
	exit(code);
}

int
appt_empty(const char *s)
{
	return !s || !*s;
}

/*
 * The length of the UTF-8 character at s (at most n bytes): 1 to 4, or 0
 * when no valid one starts there. Overlong forms, surrogates and code
 * points past U+10FFFF are not valid (RFC 3629).
 */
size_t
appt_utf8_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (!n)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] < 0xc2)
		return 0;		/* continuation, or overlong 2 bytes */
	if (u[0] < 0xe0)
		len = 2;
	else if (u[0] < 0xf0) {
		len = 3;
		if (u[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (u[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else if (u[0] < 0xf5) {
		len = 4;
		if (u[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (u[0] == 0xf4)
			hi = 0x8f;	/* past U+10FFFF */
	} else
		return 0;
	if (n < len || u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

int
appt_utf8_valid(const char *s, size_t n)
{
	size_t k;

	while (n) {
		if (!(k = appt_utf8_len(s, n)))
			return 0;
		s += k;
		n -= k;
	}
	return 1;
}

long
appt_utf8_badline(const char *s, size_t n)
{
	long line = 1;
	size_t k;

	while (n) {
		if (!(k = appt_utf8_len(s, n)))
			return line;
		if (*s == '\n')
			line++;
		s += k;
		n -= k;
	}
	return 0;
}

int
appt_bad_text(const char *s)
{
	const char *p;

	for (p = s; p && *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return 1;
		else if (*p == 0x7f)
			return 1;
	return s && !appt_utf8_valid(s, strlen(s));
}

const char *
appt_input_bad(const char *s)
{
	const char *p;

	if (!s)
		return NULL;
	if (!appt_utf8_valid(s, strlen(s)))
		return "not valid UTF-8";
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return "control character (tab, CR, LF, ...) not "
			    "allowed";
	return NULL;
}

void
appt_check_arg(const char *what, const char *value)
{
	const char *why;

	if ((why = appt_input_bad(value)))
		appt_die(APPT_EUSAGE, "%s: %s", what, why);
	if (value && strlen(value) > APPT_CSV_FIELDMAX)
		appt_die(APPT_EUSAGE, "%s: longer than %d bytes", what,
		    APPT_CSV_FIELDMAX);
}

int
appt_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
appt_parse_id(const char *s, long *out)
{
	return appt_parse_long(s, 1, APPT_ID_MAX, out);
}

int
appt_word_in(const char *list, const char *seps, const char *word, int icase)
{
	size_t n = strlen(word), k;
	const char *p = list;

	while (*word == ' ')
		word++, n--;
	while (n && word[n - 1] == ' ')
		n--;
	if (!n)
		return 0;
	while (*p) {
		p += strspn(p, seps);
		while (*p == ' ')
			p++;
		k = strcspn(p, seps);
		while (k && p[k - 1] == ' ')
			k--;
		if (k == n && !(icase ? strncasecmp(p, word, n) :
		    strncmp(p, word, n)))
			return 1;
		p += strcspn(p, seps);
	}
	return 0;
}

void
appt_usage(const char *synopsis, int tostdout)
{
	FILE *fp = tostdout ? stdout : stderr;

	fprintf(fp, "usage: %s\n", synopsis);
	if (tostdout)
		appt_exit(0);
	exit(APPT_EUSAGE);
}

void
appt_version(void)
{
	printf("%s %s\n", appt_progname, APPT_VERSION);
	appt_exit(0);
}

void
appt_opt(int c, const char *arg, const char *synopsis, const char **dir,
    const char **fmt)
{
	switch (c) {
	case 'd': *dir = arg; break;
	case 'h': appt_usage(synopsis, 1);
	case 'o':
		if (!fmt)
			appt_usage(synopsis, 0);
		*fmt = arg;
		break;
	case 'V': appt_version();
	default: appt_usage(synopsis, 0);
	}
}

const char *
appt_operand(int argc, char *argv[], const char *dflt, const char *synopsis)
{
	if (argc - optind > 1)
		appt_usage(synopsis, 0);
	return optind < argc ? argv[optind] : dflt;
}

const char *
appt_subcommand(int *argc, char ***argv, const char *synopsis)
{
	const char *cmd;

	*argc -= optind;
	*argv += optind;
	if (*argc < 1)
		appt_usage(synopsis, 0);
	cmd = (*argv)[0];
	(*argv)[0] = (char *)appt_progname;	/* for getopt's messages */
	optind = 0;	/* glibc: start the scan afresh */
	return cmd;
}

static int
isdir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory of share/appt, malloc'd. */
static char *
sharedir(void)
{
	char exe[PATH_MAX], *p, *dir, *mk;
	ssize_t n;
	int tree;

	if (!appt_empty(getenv("APPT_SHARE")))
		return xstrdup(getenv("APPT_SHARE"));
	/* Run from a build tree: bin/appt-x beside share/appt. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((p = strrchr(exe, '/'))) {
			*p = '\0';
			if ((p = strrchr(exe, '/'))) {
				*p = '\0';
				mk = xasprintf("%s/Makefile", exe);
				tree = access(mk, F_OK) == 0;
				free(mk);
				dir = xasprintf("%s/share/appt", exe);
				if (tree && isdir(dir))
					return dir;
				free(dir);
			}
		}
	}
	return xstrdup(APPT_SHAREDIR);
}

char *
appt_sharepath(const char *rel)
{
	char *dir = sharedir(), *path = xasprintf("%s/%s", dir, rel);

	free(dir);
	return path;
}

char *
appt_slurp(const char *path, size_t *len)
{
	struct appt_buf b = { 0 };
	char buf[8192];
	size_t n;
	FILE *fp = fopen(path, "r");

	if (len)
		*len = 0;
	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		appt_buf_add(&b, buf, n);
	fclose(fp);
	appt_buf_add(&b, "", 0);
	if (len)
		*len = b.len;
	return b.s;
}

int
appt_cmplong(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

long long
appt_hash64(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (long long)h;
}

void *
appt_bsearch_first(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	const char *hit = n ? bsearch(key, base, n, size, cmp) : NULL;

	while (hit && hit > (const char *)base && cmp(key, hit - size) == 0)
		hit -= size;
	return (void *)hit;
}
