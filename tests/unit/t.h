/* t.h: a tiny TAP producer for the C unit tests (after appt.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_n, t_fail;

#define ok(cond, ...) do { \
	t_n++; \
	if (cond) \
		printf("ok %d - ", t_n); \
	else { \
		printf("not ok %d - ", t_n); \
		t_fail++; \
	} \
	printf(__VA_ARGS__); \
	printf("\n"); \
} while (0)

#define is(a, b, ...) do { \
	const char *t_a = (a), *t_b = (b); \
	ok(t_a && t_b && strcmp(t_a, t_b) == 0, __VA_ARGS__); \
	if (!(t_a && t_b && strcmp(t_a, t_b) == 0)) \
		printf("#   got '%s', want '%s'\n", t_a ? t_a : "(null)", \
		    t_b ? t_b : "(null)"); \
} while (0)

#define done() (printf("1..%d\n", t_n), t_fail ? 1 : 0)

/* The normaliser f (what: "name") makes want of s; f's result is freed. */
static inline void
is_norm(char *(*f)(const char *), const char *what, const char *s,
    const char *want)
{
	char *n = f(s);

	is(n, want, "norm %s '%s'", what, s ? s : "(null)");
	free(n);
}

/*
 * A scratch file for the tests that read files, in a directory of its
 * own: t_scratch makes the directory and gives the file's path
 * (malloc'd), t_write fills the file, t_scratch_rm removes both.
 */
static char t_dir[] = "/tmp/appt-unit.XXXXXX";

static inline char *
t_scratch(const char *name)
{
	if (!mkdtemp(t_dir))
		appt_die(1, "mkdtemp");
	return xasprintf("%s/%s", t_dir, name);
}

static inline void
t_write(const char *path, const char *s, size_t len)
{
	FILE *fp = fopen(path, "w");

	if (!fp || fwrite(s, 1, len, fp) != len || fclose(fp) != 0)
		appt_die(1, "%s: cannot write", path);
}

static inline void
t_scratch_rm(char *path)
{
	unlink(path);
	rmdir(t_dir);
	free(path);
}
