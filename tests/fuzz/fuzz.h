/*
 * fuzz.h: what the libFuzzer harnesses share. Each harness is one file,
 * tests/fuzz/NAME.c, built by make fuzz with clang and
 * -fsanitize=fuzzer,address,undefined; its seeds are in corpus/NAME/.
 * A harness writes only into its own scratch directory (removed at
 * exit) and frees what it allocates: leak detection is on.
 */
#include <sys/stat.h>

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void fuzz_cleanup(void);

/* A property that must hold: say which and abort, for a crash input. */
#define must(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, \
		    #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fprintf(stderr, "\n"); \
		fuzz_cleanup(); \
		abort(); \
	} \
} while (0)

static char fuzz_scratch[4096];

static inline int
fuzz_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
fuzz_cleanup(void)
{
	if (fuzz_scratch[0])
		nftw(fuzz_scratch, fuzz_rm, 8, FTW_DEPTH | FTW_PHYS);
	fuzz_scratch[0] = '\0';
}

/* A private temporary directory, made once; also $TMPDIR from now on. */
static inline const char *
fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (fuzz_scratch[0])
		return fuzz_scratch;
	snprintf(fuzz_scratch, sizeof fuzz_scratch, "%s/appt-fuzz.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(fuzz_scratch)) {
		perror(fuzz_scratch);
		abort();
	}
	atexit(fuzz_cleanup);
	setenv("TMPDIR", fuzz_scratch, 1);
	return fuzz_scratch;
}

/* The file rel of the scratch directory: malloc'd. */
static inline char *
fuzz_path(const char *rel)
{
	return xasprintf("%s/%s", fuzz_dir(), rel);
}

/* Write n bytes to the file rel of the scratch directory. */
static inline void
fuzz_write(const char *rel, const void *d, size_t n)
{
	char *path = fuzz_path(rel);
	FILE *fp = fopen(path, "w");

	if (!fp || fwrite(d, 1, n, fp) != n || fclose(fp) == EOF) {
		perror(path);
		abort();
	}
	free(path);
}

/* The time zone of the tests, Europe/Berlin, or abort. */
static inline void
fuzz_tz(void)
{
	char why[512];

	if (appt_tz_set("Europe/Berlin", why, sizeof why) < 0) {
		fprintf(stderr, "%s\n", why);
		abort();
	}
}

/* A store of the scratch directory, without a descriptor or a lock. */
static inline void
fuzz_store(struct appt_store *s)
{
	s->dir = xstrdup(fuzz_dir());
	s->dirfd = s->lockfd = -1;
}

/*
 * The input cut at NUL bytes into max strings ("" for those missing):
 * *buf is one malloc'd block holding them all.
 */
static inline size_t
fuzz_split(const uint8_t *d, size_t n, char **buf, const char **part,
    size_t max)
{
	size_t i, k = 0;

	*buf = xmalloc(n + 1);
	memcpy(*buf, d, n);
	(*buf)[n] = '\0';
	part[k++] = *buf;
	for (i = 0; i < n && k < max; i++)
		if ((*buf)[i] == '\0')
			part[k++] = *buf + i + 1;
	for (i = k; i < max; i++)
		part[i] = "";
	return k;
}
