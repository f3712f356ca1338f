/*
 * sensitivity.c - Spearman correlation (GSL) and Sobol indices with bootstrap intervals.
 */
#include "sample/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "sample/rng.h"
#include "util/xalloc.h"

double sensitivity_spearman(const double *x, const double *y, long n)
{
    if (n < 2)
        return 0;
    if (gsl_stats_variance(x, 1, (size_t)n) == 0 || gsl_stats_variance(y, 1, (size_t)n) == 0)
        return 0;
    double *work = xmalloc(2 * (size_t)n * sizeof *work);
    const double r = gsl_stats_spearman(x, 1, y, 1, (size_t)n, work);
    free(work);
    return r;
}

/* The two estimators over rows idx[0..n) (idx NULL: all rows in order). f(B) is centred on
 * the mean of f over A and B before the first-order product: the same expectation, far less
 * variance when the output's mean is large against its spread (Saltelli et al. 2010, sec. 4). */
static void estimate(const double *f_a, const double *f_b, const double *f_ab, long n, const long *idx,
                     double *first, double *total)
{
    double sum = 0;
    for (long r = 0; r < n; r++) {
        const long i = idx ? idx[r] : r;
        sum += f_a[i] + f_b[i];
    }
    const double m = sum / (2.0 * (double)n);
    double var = 0, s1 = 0, st = 0;
    for (long r = 0; r < n; r++) {
        const long i = idx ? idx[r] : r;
        var += (f_a[i] - m) * (f_a[i] - m) + (f_b[i] - m) * (f_b[i] - m);
        s1 += (f_b[i] - m) * (f_ab[i] - f_a[i]);
        const double d = f_a[i] - f_ab[i];
        st += d * d;
    }
    var /= 2.0 * (double)n;
    if (!(var > 1e-24 * (m * m + 1e-300))) {
        *first = *total = 0;
        return;
    }
    *first = s1 / (double)n / var;
    *total = st / (2.0 * (double)n) / var;
}

void sensitivity_sobol(const double *f_a, const double *f_b, const double *f_ab, long n, int n_boot,
                       unsigned long seed, struct sobol_estimate *out)
{
    estimate(f_a, f_b, f_ab, n, NULL, &out->first, &out->total);
    out->first_lo = out->first_hi = out->first;
    out->total_lo = out->total_hi = out->total;
    if (n_boot < 2 || n < 2)
        return;
    double *b1 = xmalloc((size_t)n_boot * sizeof *b1), *bt = xmalloc((size_t)n_boot * sizeof *bt);
    long *idx = xmalloc((size_t)n * sizeof *idx);
    gsl_rng *r = rng_new();
    gsl_rng_set(r, rng_seed_of(seed, 0, 0x50b01ULL));
    for (int b = 0; b < n_boot; b++) {
        for (long i = 0; i < n; i++)
            idx[i] = (long)gsl_rng_uniform_int(r, (unsigned long)n);
        estimate(f_a, f_b, f_ab, n, idx, &b1[b], &bt[b]);
    }
    gsl_sort(b1, 1, (size_t)n_boot);
    gsl_sort(bt, 1, (size_t)n_boot);
    out->first_lo = gsl_stats_quantile_from_sorted_data(b1, 1, (size_t)n_boot, 0.025);
    out->first_hi = gsl_stats_quantile_from_sorted_data(b1, 1, (size_t)n_boot, 0.975);
    out->total_lo = gsl_stats_quantile_from_sorted_data(bt, 1, (size_t)n_boot, 0.025);
    out->total_hi = gsl_stats_quantile_from_sorted_data(bt, 1, (size_t)n_boot, 0.975);
    gsl_rng_free(r);
    free(idx);
    free(b1);
    free(bt);
}

double sensitivity_elasticity(double f_minus, double f0, double f_plus, double h)
{
    if (!(f0 != 0) || !isfinite(f0) || !(h > 0))
        return NAN;
    return (f_plus - f_minus) / (2 * h * f0);
}

void sensitivity_scale_dist(const struct dist *d, double c, struct dist *out)
{
    *out = *d;
    out->value *= c;
    out->lo *= c; /* +-HUGE_VAL stays as it is */
    out->hi *= c;
    out->a *= c;
    if (d->kind == DIST_NORMAL)
        out->b *= c; /* sd; a lognormal's b is its gsd, a ratio */
    if (d->kind == DIST_CHOICE) {
        out->values = xmalloc((size_t)d->n_values * sizeof *out->values);
        out->weights = xmalloc((size_t)d->n_values * sizeof *out->weights);
        for (int i = 0; i < d->n_values; i++)
            out->values[i] = c * d->values[i];
        memcpy(out->weights, d->weights, (size_t)d->n_values * sizeof *out->weights);
    } else {
        out->values = out->weights = NULL;
    }
}

void sensitivity_dist_release(struct dist *d)
{
    free(d->values);
    free(d->weights);
    d->values = d->weights = NULL;
}
