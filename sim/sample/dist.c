/*
 * dist.c - distributions of DESIGN 2.9 on top of gsl_ran_* and gsl_cdf_*.
 *
 * normal: gsl_ran_gaussian; with min/max, the truncated normal is drawn by inversion
 *   (the same law as rejection, at a fixed cost; load/ refuses truncations that keep
 *   almost no mass). uniform: gsl_ran_flat. PERT: lo + (hi - lo) Beta(1 + 4 (mode - lo) /
 *   (hi - lo), 1 + 4 (hi - mode) / (hi - lo)) via gsl_ran_beta. lognormal: gsl_ran_lognormal
 *   with zeta = ln median, sigma = ln gsd. choice: gsl_ran_discrete. triangular: GSL has no
 *   triangular law, so it is drawn by inverting its closed-form CDF.
 */
#include "sample/dist.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

void dist_sampler_init(struct dist_sampler *s, const struct dist *d)
{
    s->d = d;
    s->table = NULL;
    if (d->kind == DIST_CHOICE)
        s->table = gsl_ran_discrete_preproc((size_t)d->n_values, d->weights);
    s->zeta = s->sigma = 0;
    if (d->kind == DIST_LOGNORMAL) {
        s->zeta = log(d->a);
        s->sigma = log(d->b);
    }
}

void dist_sampler_release(struct dist_sampler *s)
{
    if (s && s->table)
        gsl_ran_discrete_free(s->table);
    if (s)
        s->table = NULL;
}

static double triangular_inv(const struct dist *d, double u)
{
    const double lo = d->lo, hi = d->hi, mode = d->a;
    const double fc = (mode - lo) / (hi - lo);
    if (u < fc)
        return lo + sqrt(u * (hi - lo) * (mode - lo));
    return hi - sqrt((1.0 - u) * (hi - lo) * (hi - mode));
}

/* Truncated normal by inversion; uses the upper tail when the interval lies above the mean
 * so that far-tail intervals keep their precision. */
static double normal_trunc_inv(const struct dist *d, double u)
{
    const double z_lo = (d->lo - d->a) / d->b, z_hi = (d->hi - d->a) / d->b;
    double z;
    if (z_lo > 0) {
        const double q_lo = gsl_cdf_ugaussian_Q(z_lo), q_hi = gsl_cdf_ugaussian_Q(z_hi);
        z = gsl_cdf_ugaussian_Qinv(q_lo - u * (q_lo - q_hi));
    } else {
        const double p_lo = gsl_cdf_ugaussian_P(z_lo), p_hi = gsl_cdf_ugaussian_P(z_hi);
        z = gsl_cdf_ugaussian_Pinv(p_lo + u * (p_hi - p_lo));
    }
    const double x = d->a + d->b * z;
    return x < d->lo ? d->lo : (x > d->hi ? d->hi : x);
}

static void pert_shape(const struct dist *d, double *alpha, double *beta)
{
    *alpha = 1.0 + 4.0 * (d->a - d->lo) / (d->hi - d->lo);
    *beta = 1.0 + 4.0 * (d->hi - d->a) / (d->hi - d->lo);
}

double dist_sample(const struct dist_sampler *s, gsl_rng *r)
{
    const struct dist *d = s->d;
    switch (d->kind) {
    case DIST_FIXED:
        return d->value;
    case DIST_NORMAL:
        if (isinf(d->lo) && isinf(d->hi))
            return d->a + gsl_ran_gaussian(r, d->b);
        return normal_trunc_inv(d, gsl_rng_uniform_pos(r));
    case DIST_UNIFORM:
        return gsl_ran_flat(r, d->lo, d->hi);
    case DIST_TRIANGULAR:
        return triangular_inv(d, gsl_rng_uniform_pos(r));
    case DIST_PERT: {
        double alpha, beta;
        pert_shape(d, &alpha, &beta);
        return d->lo + (d->hi - d->lo) * gsl_ran_beta(r, alpha, beta);
    }
    case DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, s->zeta, s->sigma);
    case DIST_CHOICE:
        return d->values[gsl_ran_discrete(r, s->table)];
    case DIST_KIND_COUNT:
        break;
    }
    return NAN;
}

double dist_quantile(const struct dist *d, double p)
{
    switch (d->kind) {
    case DIST_FIXED:
        return d->value;
    case DIST_NORMAL:
        if (isinf(d->lo) && isinf(d->hi))
            return gsl_cdf_gaussian_Pinv(p, d->b) + d->a;
        return normal_trunc_inv(d, p);
    case DIST_UNIFORM:
        return d->lo + p * (d->hi - d->lo);
    case DIST_TRIANGULAR:
        return triangular_inv(d, p);
    case DIST_PERT: {
        double alpha, beta;
        pert_shape(d, &alpha, &beta);
        return d->lo + (d->hi - d->lo) * gsl_cdf_beta_Pinv(p, alpha, beta);
    }
    case DIST_LOGNORMAL:
        return gsl_cdf_lognormal_Pinv(p, log(d->a), log(d->b));
    case DIST_CHOICE: {
        /* Smallest value whose cumulative weight (values in increasing order) reaches p. */
        double best = HUGE_VAL;
        for (int i = 0; i < d->n_values; i++) {
            double below = 0;
            for (int j = 0; j < d->n_values; j++)
                if (d->values[j] <= d->values[i])
                    below += d->weights[j];
            if (below >= p && d->values[i] < best)
                best = d->values[i];
        }
        return best;
    }
    case DIST_KIND_COUNT:
        break;
    }
    return NAN;
}
