/*
 * eta.c: arrival windows for staff who travel. How long a job takes is
 * learnt from the started and finished times of past appointments, per
 * staff member and service, in log minutes, with few samples shrunk
 * toward the service's average over all staff (a normal-normal
 * empirical Bayes model). The day is then simulated forward from what
 * is known now, many times with a fixed seed: travel, each job in its
 * booked order, the jobs already started or finished. Each job's window
 * is the stretch of [eta] window that holds the most simulated
 * arrivals. appt-eta(1) gives the formulas and the assumptions.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "appt.h"

/* ---- the random numbers ---- */

static unsigned long long
splitmix(unsigned long long *x)
{
	unsigned long long z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
appt_rng_seed(struct appt_rng *g, unsigned long long seed)
{
	int i;

	for (i = 0; i < 4; i++)
		g->s[i] = splitmix(&seed);
}

static unsigned long long
rotl(unsigned long long x, int k)
{
	return (x << k) | (x >> (64 - k));
}

unsigned long long
appt_rng_next(struct appt_rng *g)
{
	unsigned long long *s = g->s, r = rotl(s[1] * 5, 7) * 9,
	    t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

double
appt_rng_unif(struct appt_rng *g)
{
	/* 53 bits, centred in their cell: never 0, never 1. */
	return ((double)(appt_rng_next(g) >> 11) + 0.5) * 0x1.0p-53;
}

/* Acklam's rational approximation of the normal quantile (1.2e-9). */
static double
acklam(double p)
{
	static const double a[] = { -3.969683028665376e+01,
	    2.209460984245205e+02, -2.759285104469687e+02,
	    1.383577518672690e+02, -3.066479806614716e+01,
	    2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01,
	    1.615858368580409e+02, -1.556989798598866e+02,
	    6.680131188771972e+01, -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03,
	    -3.223964580411365e-01, -2.400758277161838e+00,
	    -2.549732539343734e+00, 4.374664141464968e+00,
	    2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03,
	    3.224671290700398e-01, 2.445134137142996e+00,
	    3.754408661907416e+00 };
	double q, r;

	if (p < 0.02425) {
		q = sqrt(-2 * log(p));
		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q +
		    c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q +
		    d[3]) * q + 1);
	}
	if (p > 1 - 0.02425)
		return -acklam(1 - p);
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r +
	    a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r +
	    b[4]) * r + 1);
}

double
appt_rng_normal(struct appt_rng *g)
{
	/* Inversion: one uniform a draw, and only log and sqrt. */
	return acklam(appt_rng_unif(g));
}

double
appt_norm_cdf(double x)
{
	return 0.5 * erfc(-x / sqrt(2));
}

double
appt_norm_quantile(double p)
{
	double x, e, u;

	if (p <= 0)
		return -HUGE_VAL;
	if (p >= 1)
		return HUGE_VAL;
	x = acklam(p);
	/* One step of Halley's method: full double precision. */
	e = appt_norm_cdf(x) - p;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

/* ---- the duration model ---- */

/*
 * The prior, in log minutes: a job's spread about a staff member's own
 * typical time (sigma0, worth nu0 samples), the spread of staff about
 * the service's (tau0, worth nutau groups), and the weight of
 * services.csv's duration against the service's samples (k0 samples).
 */
#define SIGMA0 0.25
#define NU0 4.0
#define TAU0 0.15
#define NUTAU 2.0
#define K0 2.0

struct sample {
	const char *service, *staff;	/* the model's copies */
	double x;			/* log minutes */
};

struct group {			/* one staff member and service */
	const char *service, *staff;
	long n;
	double mean;
};

struct svcfit {
	const char *service;
	long n;			/* samples of all staff */
	double mean;		/* their mean */
	double sigma2, tau2;
};

struct appt_durmodel {
	struct sample *v;
	size_t n, cap;
	char **str;		/* the copies of the names */
	size_t nstr;
	struct group *g;
	size_t ng;
	struct svcfit *sf;
	size_t nsf;
};

struct appt_durmodel *
appt_durmodel_new(void)
{
	return xcalloc(1, sizeof(struct appt_durmodel));
}

void
appt_durmodel_free(struct appt_durmodel *m)
{
	if (!m)
		return;
	appt_strv_free(m->str, m->nstr);
	free(m->v);
	free(m->g);
	free(m->sf);
	free(m);
}

/* One copy of each name: the last one, when the same. */
static const char *
keep(struct appt_durmodel *m, const char *s)
{
	if (m->nstr && !strcmp(m->str[m->nstr - 1], s))
		return m->str[m->nstr - 1];
	m->str = xreallocarray(m->str, m->nstr + 1, sizeof *m->str);
	return m->str[m->nstr++] = xstrdup(s);
}

void
appt_durmodel_add(struct appt_durmodel *m, const char *service,
    const char *staff, double minutes)
{
	if (!(minutes > 0))
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].service = keep(m, service);
	m->v[m->n].staff = keep(m, staff);
	m->v[m->n++].x = log(minutes);
}

static int
cmpsample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	int c;

	if ((c = strcasecmp(x->service, y->service)))
		return c;
	if ((c = strcasecmp(x->staff, y->staff)))
		return c;
	return x->x < y->x ? -1 : x->x > y->x;
}

/* Fit the service of samples v[0..n) (sorted), groups from g[0..ng). */
static void
fitservice(struct svcfit *f, const struct sample *v, size_t n,
    const struct group *g, size_t ng)
{
	double sum = 0, ss = 0, gm = 0, sm = 0, noise = 0, mom;
	size_t i, j, k = 0;

	f->service = v[0].service;
	f->n = (long)n;
	for (i = 0; i < n; i++)
		sum += v[i].x;
	f->mean = sum / (double)n;
	/* Within staff: each sample about its staff member's mean. */
	for (j = 0; j < ng; j++)
		for (i = 0; i < (size_t)g[j].n; i++, k++)
			ss += (v[k].x - g[j].mean) * (v[k].x - g[j].mean);
	f->sigma2 = (NU0 * SIGMA0 * SIGMA0 + ss) /
	    (NU0 + (double)n - (double)ng);
	f->tau2 = TAU0 * TAU0;
	if (ng < 2)
		return;
	/* Between staff, by the method of moments, with the prior's weight. */
	for (j = 0; j < ng; j++)
		gm += g[j].mean / (double)ng;
	for (j = 0; j < ng; j++) {
		sm += (g[j].mean - gm) * (g[j].mean - gm) / (double)(ng - 1);
		noise += f->sigma2 / (double)g[j].n / (double)ng;
	}
	mom = sm - noise > 0 ? sm - noise : 0;
	f->tau2 = (NUTAU * TAU0 * TAU0 + (double)(ng - 1) * mom) /
	    (NUTAU + (double)(ng - 1));
}

void
appt_durmodel_fit(struct appt_durmodel *m)
{
	size_t i, j, s0, g0;
	double sum;

	if (m->n)
		qsort(m->v, m->n, sizeof *m->v, cmpsample);
	m->g = xcalloc(m->n + 1, sizeof *m->g);
	m->sf = xcalloc(m->n + 1, sizeof *m->sf);
	for (i = 0; i < m->n; i = j) {
		for (j = i, sum = 0; j < m->n && !strcasecmp(m->v[j].service,
		    m->v[i].service) && !strcasecmp(m->v[j].staff,
		    m->v[i].staff); j++)
			sum += m->v[j].x;
		m->g[m->ng].service = m->v[i].service;
		m->g[m->ng].staff = m->v[i].staff;
		m->g[m->ng].n = (long)(j - i);
		m->g[m->ng++].mean = sum / (double)(j - i);
	}
	for (s0 = 0, g0 = 0; s0 < m->n; ) {
		for (i = s0; i < m->n && !strcasecmp(m->v[i].service,
		    m->v[s0].service); i++)
			;
		for (j = g0; j < m->ng && !strcasecmp(m->g[j].service,
		    m->v[s0].service); j++)
			;
		fitservice(&m->sf[m->nsf++], m->v + s0, i - s0, m->g + g0,
		    j - g0);
		s0 = i;
		g0 = j;
	}
}

long
appt_durmodel_get(const struct appt_durmodel *m, const char *service,
    const char *staff, double nominal, double *mu, double *sd)
{
	const struct svcfit *f = NULL;
	const struct group *g = NULL;
	double mu0, mus, w, v;
	size_t i;

	for (i = 0; i < m->nsf && !f; i++)
		if (!strcasecmp(m->sf[i].service, service))
			f = &m->sf[i];
	for (i = 0; i < m->ng && !g; i++)
		if (!strcasecmp(m->g[i].service, service) &&
		    !strcasecmp(m->g[i].staff, staff))
			g = &m->g[i];
	if (!f) {
		/* No history at all: services.csv's duration is the mean. */
		v = SIGMA0 * SIGMA0 + TAU0 * TAU0;
		*mu = log(nominal) - v / 2;
		*sd = sqrt(v);
		return 0;
	}
	mu0 = log(nominal) - (f->sigma2 + f->tau2) / 2;
	mus = (K0 * mu0 + (double)f->n * f->mean) / (K0 + (double)f->n);
	if (!g) {
		*mu = mus;
		*sd = sqrt(f->sigma2 + f->tau2);
		return 0;
	}
	w = (double)g->n * f->tau2 / ((double)g->n * f->tau2 + f->sigma2);
	*mu = mus + w * (g->mean - mus);
	*sd = sqrt(f->sigma2 + (1 - w) * f->tau2);
	return g->n;
}

/* ---- the window ---- */

static int
cmpdouble(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The first of a[0..n) (sorted) at or above v. */
static size_t
lower(const double *a, size_t n, double v)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

double
appt_eta_window(double *a, size_t n, double width, double grid,
    double *coverage)
{
	double c, best = 0, med;
	size_t k, most = 0;

	if (!n) {
		*coverage = 0;
		return 0;
	}
	qsort(a, n, sizeof *a, cmpdouble);
	med = a[n / 2];
	/* Of windows that hold as many, the one centred nearest the median. */
	for (c = floor(a[0] / grid) * grid; c <= a[n - 1]; c += grid) {
		k = lower(a, n, c + width) - lower(a, n, c);
		if (k > most || (k == most && fabs(c + width / 2 - med) <
		    fabs(best + width / 2 - med))) {
			most = k;
			best = c;
		}
	}
	*coverage = (double)most / (double)n;
	return best;
}

/* ---- the day ---- */

#define DRAWS 2000		/* simulated days */
#define TRAVEL_SD 0.2		/* log-sd of travel about its estimate */
#define DEFAULT_SD 0.5		/* the same for the default */
#define HISTORY_DAYS 365	/* how far back durations are learnt */
#define GRID 5			/* windows start on whole 5 minutes */

struct job {
	struct appt_eta_row row;	/* what is printed, and told */
	size_t staff;		/* index in staff.csv */
	time_t start, started, finished;	/* -1: not known */
	struct appt_place at;	/* the customer's */
	double mu, sd;		/* of ln(minutes) of the job */
	double travel;		/* minutes from the place before */
};

struct appt_eta {
	struct appt_table *month;
	size_t nmonth;
	struct appt_table cust;
	struct job *job;
	size_t njob;
	struct appt_place *home;	/* each staff member's start */
	struct appt_eta_row **rows;	/* in start order */
};

int
appt_staff_mobile(const struct appt_staff *st)
{
	long line;
	const char *v = appt_staff_col(st, "mobile", &line);
	int b;

	if (!*v)
		return 0;
	if ((b = appt_parse_bool(v)) < 0)
		appt_die(APPT_EDATA, "staff.csv:%ld: mobile '%s': not yes or "
		    "no", line, v);
	return b;
}

/* lat and lon of a row into p: both, or neither; exit 3 if bad. */
static void
locate(struct appt_place *p, const char *file, long line, const char *lat,
    const char *lon)
{
	p->located = 0;
	if (!*lat && !*lon)
		return;
	if (!*lat || !*lon)
		appt_die(APPT_EDATA, "%s:%ld: %s: empty, but %s is given",
		    file, line, *lat ? "lon" : "lat", *lat ? "lat" : "lon");
	if (appt_parse_coord(lat, 1, &p->lat) < 0)
		appt_die(APPT_EDATA, "%s:%ld: lat '%s': %s", file, line, lat,
		    appt_coord_why(1));
	if (appt_parse_coord(lon, 0, &p->lon) < 0)
		appt_die(APPT_EDATA, "%s:%ld: lon '%s': %s", file, line, lon,
		    appt_coord_why(0));
	p->located = 1;
}

static time_t
stamp(const struct appt_table *t, const struct appt_row *r, const char *col)
{
	const char *v = appt_get(t, r, col);
	time_t when;

	if (!*v)
		return -1;
	if (appt_parse_iso(v, &when) < 0)
		appt_die(APPT_EDATA, "%s:%ld: %s '%s': not a time", t->label,
		    r->line, col, v);
	return when;
}

/* Learn from every appointment of the months that finished before now. */
static void
learn(struct appt_durmodel *m, const struct appt_eta *e, time_t now)
{
	const struct appt_table *t;
	const struct appt_row *r;
	time_t a, b;
	size_t i, j;

	for (i = 0; i < e->nmonth; i++) {
		t = &e->month[i];
		for (j = 0; j < t->nrow; j++) {
			r = &t->row[j];
			if (!strcmp(appt_get(t, r, "status"), "cancelled"))
				continue;
			a = stamp(t, r, "started");
			b = stamp(t, r, "finished");
			/* A day or more is a status set late, not a job. */
			if (a < 0 || b <= a || b > now || b - a >= 86400)
				continue;
			appt_durmodel_add(m, appt_get(t, r, "service"),
			    appt_get(t, r, "staff"), (double)(b - a) / 60);
		}
	}
	appt_durmodel_fit(m);
}

static int
cmpjob(const void *a, const void *b)
{
	const struct job *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->staff != y->staff)
		return x->staff < y->staff ? -1 : 1;
	return strtol(x->row.appt.id, NULL, 10) <
	    strtol(y->row.appt.id, NULL, 10) ? -1 : 1;
}

/* Say once of a place without location that the default stands in. */
static void
nolocation(char **said, size_t *nsaid, const char *who)
{
	size_t i;

	for (i = 0; i < *nsaid; i++)
		if (!strcmp(said[i], who))
			return;
	said[(*nsaid)++] = xstrdup(who);
	appt_warn("%s: no location (lat and lon, or a travel.csv row for its "
	    "postcode): %d minutes of travel assumed", who,
	    APPT_TRAVEL_DEFAULT_MIN);
}

struct custkey {
	long id;
	const struct appt_row *r;
};

static int
cmpcust(const void *a, const void *b)
{
	const struct custkey *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The customers of the jobs: their names, ways to reach, places. */
static void
customers(struct appt_eta *e, const struct appt_store *s)
{
	struct custkey *idx, key, *hit;
	const struct appt_table *t = &e->cust;
	const struct appt_row *c;
	size_t i, n = 0;
	struct job *j;

	appt_load(s, &e->cust, "customers.csv");
	idx = xcalloc(t->nrow + 1, sizeof *idx);
	for (i = 0; i < t->nrow; i++)
		if (appt_parse_id(appt_get(t, &t->row[i], "id"),
		    &idx[n].id) == 0)
			idx[n++].r = &t->row[i];
	if (n)
		qsort(idx, n, sizeof *idx, cmpcust);
	for (i = 0; i < e->njob; i++) {
		j = &e->job[i];
		j->row.customer_name = j->row.address = j->row.email =
		    j->row.phone = j->at.postcode = "";
		if (appt_parse_id(j->row.appt.customer, &key.id) < 0 ||
		    !(hit = appt_bsearch_first(&key, idx, n, sizeof *idx,
		    cmpcust)))
			continue;
		c = hit->r;
		j->row.customer_name = appt_get(t, c, "name");
		j->row.address = appt_get(t, c, "address");
		j->row.email = appt_get(t, c, "email");
		j->row.phone = appt_get(t, c, "phone");
		j->at.postcode = appt_get(t, c, "postcode");
		locate(&j->at, "customers.csv", c->line, appt_get(t, c, "lat"),
		    appt_get(t, c, "lon"));
	}
	free(idx);
}

/* The seed of a staff member's draws: theirs alone, the same each run. */
static unsigned long long
seedof(const char *staff)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	for (; *staff; staff++)
		h = (h ^ (unsigned char)*staff) * 0x100000001b3ULL;
	return h ^ 0x6170707465746121ULL;
}

/*
 * A duration in minutes from the standard normal z: from the model, or,
 * for a job started elapsed minutes ago, from the model given that it
 * has lasted that long (the same quantile of what is left of it).
 */
static double
duration(const struct job *j, double z, double elapsed)
{
	double lo, u;

	if (elapsed < 0)
		return exp(j->mu + j->sd * z);
	lo = elapsed > 0 ? appt_norm_cdf((log(elapsed) - j->mu) / j->sd) : 0;
	u = lo + (1 - lo) * appt_norm_cdf(z);
	if (u >= 1 - 1e-12)
		return elapsed;
	u = exp(j->mu + j->sd * appt_norm_quantile(u));
	return u > elapsed ? u : elapsed;
}

/* Simulate the day of the n jobs of one staff member, in booked order. */
static void
simulate(struct job *job, size_t n, const char *staff, time_t now,
    double width, double *arr, double *dur)
{
	struct appt_rng g;
	struct job *j;
	double free, a, f, t, z1, z2, sd, sum, cov, w;
	size_t i, k;
	int have;

	appt_rng_seed(&g, seedof(staff));
	for (k = 0; k < DRAWS; k++) {
		have = 0;
		free = 0;
		for (i = 0; i < n; i++) {
			j = &job[i];
			/* Two draws a job, always: common random numbers. */
			z1 = appt_rng_normal(&g);
			z2 = appt_rng_normal(&g);
			if (j->finished >= 0) {
				a = (double)(j->started >= 0 ? j->started :
				    j->start);
				f = (double)j->finished;
				dur[i * DRAWS + k] = (f - a) / 60;
			} else if (j->started >= 0) {
				a = (double)j->started;
				dur[i * DRAWS + k] = duration(j, z2,
				    (double)(now - j->started) / 60);
				f = a + 60 * dur[i * DRAWS + k];
			} else {
				sd = j->row.travel_by == APPT_TRAVEL_DEFAULT ?
				    DEFAULT_SD : TRAVEL_SD;
				t = j->travel * exp(sd * z1 - sd * sd / 2);
				a = (double)j->start;
				if (have && free + 60 * t > a)
					a = free + 60 * t;
				if (a < (double)now)
					a = (double)now;
				dur[i * DRAWS + k] = duration(j, z2, -1);
				f = a + 60 * dur[i * DRAWS + k];
			}
			arr[i * DRAWS + k] = a / 60;
			free = f;
			have = 1;
		}
	}
	for (i = 0; i < n; i++) {
		j = &job[i];
		w = appt_eta_window(arr + i * DRAWS, DRAWS, width,
		    width < GRID ? width : GRID, &cov);
		j->row.wstart = (time_t)(w * 60);
		j->row.wend = j->row.wstart + (time_t)(width * 60);
		j->row.coverage = cov;
		j->row.known = j->started >= 0 || j->finished >= 0;
		if (j->row.known) {
			for (sum = 0, k = 0; k < DRAWS; k++)
				sum += dur[i * DRAWS + k];
			j->row.expected = lround(sum / DRAWS);
		} else
			j->row.expected = lround(exp(j->mu + j->sd * j->sd /
			    2));
	}
}

/* The jobs of the day: of mobile staff (or the one), neither cancelled
 * nor a no-show. */
static void
gather(struct appt_eta *e, const struct appt_catalog *cat, time_t day0,
    time_t day1, const char *only)
{
	const struct appt_table *t;
	const struct appt_row *r;
	const struct appt_staff *st;
	const char *status;
	struct job *j;
	size_t m, i, k;
	time_t start;

	for (m = 0; m < e->nmonth; m++) {
		t = &e->month[m];
		for (i = 0; i < t->nrow; i++) {
			r = &t->row[i];
			status = appt_get(t, r, "status");
			if (!strcmp(status, "cancelled") ||
			    !strcmp(status, "no-show"))
				continue;
			if ((start = stamp(t, r, "start")) < day0 ||
			    start >= day1)
				continue;
			if (!(st = appt_staff_find(cat, appt_get(t, r,
			    "staff"))) || (only && strcasecmp(only,
			    appt_staff_id(st))) || !appt_staff_mobile(st))
				continue;
			for (k = 0; appt_staff_at(cat, k) != st; k++)
				;
			e->job = xreallocarray(e->job, e->njob + 1,
			    sizeof *e->job);
			j = &e->job[e->njob++];
			memset(j, 0, sizeof *j);
			j->staff = k;
			j->start = start;
			j->started = stamp(t, r, "started");
			j->finished = stamp(t, r, "finished");
			/* Done without a finished time: its booked end. */
			if (j->finished < 0 && !strcmp(status, "done") &&
			    (j->finished = stamp(t, r, "end")) < 0)
				j->finished = start;
			appt_appt_of(t, r, &j->row.appt);
		}
	}
	if (e->njob)
		qsort(e->job, e->njob, sizeof *e->job, cmpjob);
}

/* Where each staff member starts the day: their lat, lon and postcode. */
static void
homes(struct appt_eta *e, const struct appt_catalog *cat)
{
	const struct appt_staff *st;
	size_t i, n = appt_staff_count(cat);
	long line;

	e->home = xcalloc(n + 1, sizeof *e->home);
	for (i = 0; i < n; i++) {
		st = appt_staff_at(cat, i);
		e->home[i].postcode = appt_staff_col(st, "postcode", &line);
		locate(&e->home[i], "staff.csv", line,
		    appt_staff_col(st, "lat", NULL),
		    appt_staff_col(st, "lon", NULL));
	}
}

/* Each job's travel from the one before (the first from home). */
static void
travel(struct appt_eta *e, const struct appt_store *s,
    const struct appt_catalog *cat)
{
	struct appt_travel *tr = appt_travel_open(s);
	const struct appt_place *from;
	char **said = xcalloc(2 * e->njob + 1, sizeof *said), *who;
	size_t nsaid = 0, i, p;
	struct job *j;

	for (i = 0; i < e->njob; i++) {
		j = &e->job[i];
		for (p = i; p > 0 && e->job[p - 1].staff != j->staff; p--)
			;
		from = p > 0 ? &e->job[p - 1].at : &e->home[j->staff];
		j->row.travel_by = appt_travel_time(tr, from, &j->at,
		    &j->travel);
		j->row.travel = lround(j->travel);
		if (j->row.travel_by != APPT_TRAVEL_DEFAULT)
			continue;
		if (!j->at.located) {
			who = xasprintf("customer %s (%s)", j->row.appt.customer,
			    j->row.customer_name);
			nolocation(said, &nsaid, who);
			free(who);
		}
		if (!from->located) {
			who = p > 0 ? xasprintf("customer %s (%s)",
			    e->job[p - 1].row.appt.customer,
			    e->job[p - 1].row.customer_name) :
			    xasprintf("staff %s", appt_staff_id(
			    appt_staff_at(cat, j->staff)));
			nolocation(said, &nsaid, who);
			free(who);
		}
	}
	appt_strv_free(said, nsaid);
	appt_travel_close(tr);
}

struct appt_eta *
appt_eta_open(const struct appt_store *s, const struct appt_catalog *cat,
    time_t day, const char *staff, time_t now)
{
	struct appt_eta *e = xcalloc(1, sizeof *e);
	struct appt_durmodel *m = appt_durmodel_new();
	const struct appt_service *svc;
	char **files;
	double width, *arr, *dur;
	size_t i, a, b, nf;
	int y, mo, d;
	time_t day0, day1, from;
	long nominal;

	width = (double)appt_cfg_dur(&s->cfg, "eta:window", "60m");
	if (width < 1)
		appt_die(APPT_EDATA, "config.ini:%ld: eta:window: not a "
		    "duration of a minute or more",
		    appt_cfg_line(&s->cfg, "eta:window"));
	appt_local(day, &y, &mo, &d, NULL, NULL);
	day0 = appt_day_start(y, mo, d);
	appt_adddays(&y, &mo, &d, 1);
	day1 = appt_day_start(y, mo, d);
	from = (day0 < now ? day0 : now) - (time_t)HISTORY_DAYS * 86400;
	nf = appt_month_files(s, from, day1 > now ? day1 : now + 1, &files);
	e->month = xcalloc(nf + 1, sizeof *e->month);
	for (i = 0; i < nf; i++)
		appt_load(s, &e->month[e->nmonth++], files[i]);
	appt_strv_free(files, nf);
	learn(m, e, now);
	gather(e, cat, day0, day1, staff);
	customers(e, s);
	homes(e, cat);
	travel(e, s, cat);
	for (i = 0; i < e->njob; i++) {
		struct job *j = &e->job[i];

		nominal = 60;
		if ((svc = appt_service_find(cat, j->row.appt.service)))
			appt_service_times(svc, &nominal, NULL, NULL);
		appt_durmodel_get(m, j->row.appt.service, j->row.appt.staff,
		    (double)nominal, &j->mu, &j->sd);
	}
	appt_durmodel_free(m);
	/* Each staff member's day, their jobs in booked order. */
	arr = xcalloc((e->njob + 1) * DRAWS, sizeof *arr);
	dur = xcalloc((e->njob + 1) * DRAWS, sizeof *dur);
	for (a = 0; a < e->njob; a++) {
		struct job *day_j;
		size_t n = 0, k;

		for (b = 0; b < a && e->job[b].staff != e->job[a].staff; b++)
			;
		if (b < a)
			continue;
		/* Gather this staff member's jobs together, in order. */
		day_j = xcalloc(e->njob + 1, sizeof *day_j);
		for (b = a; b < e->njob; b++)
			if (e->job[b].staff == e->job[a].staff)
				day_j[n++] = e->job[b];
		simulate(day_j, n, e->job[a].row.appt.staff, now, width, arr,
		    dur);
		for (b = a, k = 0; b < e->njob; b++)
			if (e->job[b].staff == e->job[a].staff)
				e->job[b].row = day_j[k++].row;
		free(day_j);
	}
	free(arr);
	free(dur);
	return e;
}

size_t
appt_eta_count(const struct appt_eta *e)
{
	return e->njob;
}

const struct appt_eta_row *
appt_eta_at(const struct appt_eta *e, size_t i)
{
	return i < e->njob ? &e->job[i].row : NULL;
}

void
appt_eta_close(struct appt_eta *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->nmonth; i++)
		appt_table_free(&e->month[i]);
	free(e->month);
	appt_table_free(&e->cust);
	free(e->job);
	free(e->home);
	free(e);
}
