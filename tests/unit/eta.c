/*
 * eta.c: the model of appt-eta: the PRNG (the same draws everywhere),
 * the normal distribution, the log-normal durations and their shrinkage
 * toward the service's average, and the choice of the window.
 */
#include <math.h>
#include <stdlib.h>

#include "appt.h"
#include "t.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static void
rng(void)
{
	struct appt_rng g, h;
	double sum = 0, sq = 0, z, u;
	int i, n = 200000, same = 1, inside = 1;

	/* Reference values of xoshiro256** seeded by splitmix64 with 42,
	 * computed independently (Python). */
	appt_rng_seed(&g, 42);
	ok(appt_rng_next(&g) == 0x15780b2e0c2ec716ULL, "rng: 1st draw");
	ok(appt_rng_next(&g) == 0x6104d9866d113a7eULL, "rng: 2nd draw");
	ok(appt_rng_next(&g) == 0xae17533239e499a1ULL, "rng: 3rd draw");
	appt_rng_seed(&g, 7);
	appt_rng_seed(&h, 7);
	for (i = 0; i < 1000; i++)
		if (appt_rng_normal(&g) != appt_rng_normal(&h))
			same = 0;
	ok(same, "rng: one seed, one sequence");
	appt_rng_seed(&g, 1);
	for (i = 0; i < n; i++) {
		u = appt_rng_unif(&g);
		if (!(u > 0 && u < 1))
			inside = 0;
	}
	ok(inside, "rng: uniforms in (0, 1)");
	appt_rng_seed(&g, 2);
	for (i = 0; i < n; i++) {
		z = appt_rng_normal(&g);
		sum += z;
		sq += z * z;
	}
	ok(NEAR(sum / n, 0, 0.01), "rng: normal mean %g", sum / n);
	ok(NEAR(sq / n, 1, 0.01), "rng: normal variance %g", sq / n);
}

static void
normal(void)
{
	ok(NEAR(appt_norm_cdf(0), 0.5, 1e-15), "cdf(0)");
	ok(NEAR(appt_norm_cdf(1.96), 0.9750021048517795, 1e-12),
	    "cdf(1.96)");
	ok(NEAR(appt_norm_quantile(0.975), 1.959963984540054, 1e-12),
	    "quantile(0.975)");
	ok(NEAR(appt_norm_quantile(0.001), -3.090232306167813, 1e-10),
	    "quantile(0.001)");
	ok(NEAR(appt_norm_quantile(appt_norm_cdf(-2.5)), -2.5, 1e-10),
	    "quantile(cdf(-2.5))");
}

/* The mean minutes of a log-normal of mu and sd. */
static double
mean(double mu, double sd)
{
	return exp(mu + sd * sd / 2);
}

static void
model(void)
{
	struct appt_durmodel *m;
	struct appt_rng g;
	double mu, sd, mu1, sd1, mu20, sd20, sum = 0;
	long n;
	int i;

	/* No history: services.csv's duration is the mean. */
	m = appt_durmodel_new();
	appt_durmodel_fit(m);
	n = appt_durmodel_get(m, "fix", "max", 60, &mu, &sd);
	ok(n == 0 && NEAR(mean(mu, sd), 60, 1e-9), "no history: mean 60 "
	    "(%g)", mean(mu, sd));
	ok(sd > 0.2 && sd < 0.5, "no history: a wide spread (%g)", sd);
	/* The log-normal: its draws average exp(mu + sd^2/2). */
	appt_rng_seed(&g, 3);
	for (i = 0; i < 200000; i++)
		sum += exp(mu + sd * appt_rng_normal(&g));
	ok(NEAR(sum / 200000, 60, 0.3), "log-normal mean %g", sum / 200000);
	appt_durmodel_free(m);

	/* Others take 45 to 80 minutes, about 60; max once took 120. */
	m = appt_durmodel_new();
	for (i = 0; i < 20; i++) {
		appt_durmodel_add(m, "fix", "sam", i % 3 ? i % 3 * 20 + 40 : 45);
		appt_durmodel_add(m, "fix", "ann", i % 3 ? i % 3 * 20 + 40 : 45);
	}
	appt_durmodel_add(m, "fix", "max", 120);
	appt_durmodel_add(m, "fix", "max", 0);	/* not a duration: skipped */
	appt_durmodel_fit(m);
	n = appt_durmodel_get(m, "fix", "max", 60, &mu1, &sd1);
	ok(n == 1, "max: one sample (%ld)", n);
	ok(mean(mu1, sd1) > 62 && mean(mu1, sd1) < 100, "one sample: "
	    "shrunk toward the others (%g)", mean(mu1, sd1));
	appt_durmodel_free(m);

	/* Twenty samples of 120: his own times win. */
	m = appt_durmodel_new();
	for (i = 0; i < 20; i++) {
		appt_durmodel_add(m, "fix", "sam", i % 3 ? i % 3 * 20 + 40 : 45);
		appt_durmodel_add(m, "fix", "ann", i % 3 ? i % 3 * 20 + 40 : 45);
		appt_durmodel_add(m, "fix", "max", i % 3 ? i % 3 * 40 + 80 :
		    90);
	}
	appt_durmodel_fit(m);
	n = appt_durmodel_get(m, "fix", "max", 60, &mu20, &sd20);
	ok(n == 20 && mean(mu20, sd20) > 110 && mean(mu20, sd20) < 135,
	    "twenty samples: his own (%g)", mean(mu20, sd20));
	ok(mean(mu20, sd20) > mean(mu1, sd1), "more samples, less shrinkage");
	ok(sd20 < sd1, "more samples, a narrower spread (%g < %g)", sd20,
	    sd1);
	/* Bob has none of his own: the service's average over all staff. */
	n = appt_durmodel_get(m, "FIX", "bob", 60, &mu, &sd);
	ok(n == 0 && mean(mu, sd) > 65 && mean(mu, sd) < 95, "no samples "
	    "of his own: the service's average (%g)", mean(mu, sd));
	/* Another service without history: its own nominal duration. */
	n = appt_durmodel_get(m, "wash", "max", 30, &mu, &sd);
	ok(n == 0 && NEAR(mean(mu, sd), 30, 1e-9), "another service: 30");
	appt_durmodel_free(m);
	appt_durmodel_free(NULL);
}

static void
window(void)
{
	double a[200], w, cov;
	int i;

	/* 0..99 evenly: 60 of them fit, the window centred on the median. */
	for (i = 0; i < 100; i++)
		a[i] = 99 - i;
	w = appt_eta_window(a, 100, 60, 5, &cov);
	ok(w == 20 && NEAR(cov, 0.6, 1e-12), "even: [20, 80) holds 0.60 "
	    "(%g, %g)", w, cov);
	/* All at 32: the window starts on the grid before. */
	for (i = 0; i < 10; i++)
		a[i] = 32;
	w = appt_eta_window(a, 10, 60, 5, &cov);
	ok(w == 30 && cov == 1, "one time: [30, 90), all (%g)", w);
	/* 70 early, 30 late: the window goes where most are. */
	for (i = 0; i < 70; i++)
		a[i] = 100 + i % 10;
	for (; i < 100; i++)
		a[i] = 300 + i % 10;
	w = appt_eta_window(a, 100, 60, 5, &cov);
	ok(w <= 100 && w + 60 >= 110 && NEAR(cov, 0.7, 1e-12), "two "
	    "humps: the bigger (%g, %g)", w, cov);
	w = appt_eta_window(a, 100, 90, 15, &cov);
	ok(fmod(w, 15) == 0, "on the grid of 15 (%g)", w);
	w = appt_eta_window(a, 0, 60, 5, &cov);
	ok(cov == 0, "no draws: nothing covered");
}

int
main(void)
{
	rng();
	normal();
	model();
	window();
	return done();
}
