/*
 * dist.h - drawing from the distributions named in YAML (DESIGN 2.9) with GSL.
 *
 * A struct dist (core/spec.h) is plain data; a dist_sampler adds what GSL needs to draw
 * from it quickly (the lookup table of a discrete choice, the CDF bounds of a truncated
 * normal). Samplers are built once per scenario and are read-only afterwards, so threads
 * can share them.
 */
#ifndef TS_SAMPLE_DIST_H
#define TS_SAMPLE_DIST_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/spec.h"

struct dist_sampler {
    const struct dist *d;        /* borrowed */
    gsl_ran_discrete_t *table;   /* owned; DIST_CHOICE only */
    double zeta, sigma;          /* DIST_LOGNORMAL: ln median, ln gsd (computed once, not per draw) */
};

/* Prepares s for d (borrowed; must outlive s). Release with dist_sampler_release(). */
void dist_sampler_init(struct dist_sampler *s, const struct dist *d);
void dist_sampler_release(struct dist_sampler *s);

/* One draw. */
double dist_sample(const struct dist_sampler *s, gsl_rng *r);

/* Inverse CDF at probability p in (0, 1). */
double dist_quantile(const struct dist *d, double p);

#endif
