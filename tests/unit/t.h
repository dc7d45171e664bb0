/* t.h: a tiny TAP producer for the C unit tests. */
#include <stdio.h>
#include <string.h>

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
