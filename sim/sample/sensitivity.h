/*
 * sensitivity.h - which inputs matter: rank correlation and variance-based (Sobol) indices
 * for the uncertain inputs, one-at-a-time elasticities for every numeric input.
 *
 * The estimators only; the tool layer builds the designs (sample matrices A, B and AB_j),
 * runs the model on them with montecarlo_run(given_inputs) and hands the outputs here.
 */
#ifndef TS_SAMPLE_SENSITIVITY_H
#define TS_SAMPLE_SENSITIVITY_H

#include "core/spec.h"

/* Spearman rank correlation of x and y (n values each, n >= 2); 0 when either is constant. */
double sensitivity_spearman(const double *x, const double *y, long n);

struct sobol_estimate {
    double first, first_lo, first_hi; /* first-order index and its bootstrap 95 % interval */
    double total, total_lo, total_hi; /* total-effect index and its interval */
};

/* Sobol indices of one input from model outputs on the matrices A, B and AB_j (A with
 * column j taken from B), n rows each: first order by Saltelli et al. (2010),
 * S_j = mean((f(B) - f0) (f(AB_j) - f(A))) / V with f0 the mean of f; total effect by Jansen (1999),
 * ST_j = mean((f(A) - f(AB_j))^2) / (2 V); V = variance of f over A and B together.
 * 95 % intervals are percentile bootstraps over rows (n_boot resamples, GSL generator
 * seeded with seed). A constant output gives 0 for both. V includes the variance from
 * event randomness (failures), which no input explains, so the indices of a stochastic
 * output need not add up to 1. */
void sensitivity_sobol(const double *f_a, const double *f_b, const double *f_ab, long n, int n_boot,
                       unsigned long seed, struct sobol_estimate *out);

/* One-at-a-time elasticity: the % change of the metric per % change of the input, by the
 * central difference over input x (1 - h) and x (1 + h): (f_plus - f_minus) / (2 h f0).
 * NAN when f0 is 0 or not finite (no relative change to speak of). */
double sensitivity_elasticity(double f_minus, double f0, double f_plus, double h);

/* d with every location and scale parameter multiplied by c > 0 (value, mean and sd, median,
 * min/mode/max, choice values; a lognormal's gsd is unchanged), so that a draw of the result
 * is c times the same draw of d. Choice values are copied: release *out with
 * sensitivity_dist_release(). */
void sensitivity_scale_dist(const struct dist *d, double c, struct dist *out);
void sensitivity_dist_release(struct dist *d);

#endif
