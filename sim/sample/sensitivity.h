/*
 * sensitivity.h - which inputs matter: rank correlation, a tornado and variance-based
 * (Sobol) indices for the uncertain inputs, one-at-a-time elasticities for every numeric
 * input.
 *
 * Two levels: the estimators and designs (functions of arrays, unit-tested on closed
 * forms), and sensitivity_analyse(), which builds the designs for a spec, runs them with
 * montecarlo_run(given_inputs) and fills the entries the CLI's `sensitivity` and the
 * library's trainsim_sensitivity() report.
 */
#ifndef TS_SAMPLE_SENSITIVITY_H
#define TS_SAMPLE_SENSITIVITY_H

#include "core/spec.h"
#include "output/report.h"
#include "sample/montecarlo.h"

enum {
    SENSITIVITY_DEFAULT_SOBOL = 512, /* N of the Saltelli design when none is given */
    SENSITIVITY_BOOTSTRAP = 200,     /* bootstrap resamples for the Sobol intervals */
};

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

/* ---- Designs */

/* The Saltelli design of k inputs and N rows: A holds the draws of samples 0 .. N-1, B
 * those of samples N .. 2N-1 (sensitivity_analyse draws them so), both N x k row-major.
 * AB_j (into ab, N x k) is A with column j taken from B: ab[i k + c] = (c == j ? b : a)[i k + c]. */
void sensitivity_saltelli_ab(const double *a, const double *b, long n, int k, int j, double *ab);

/* The bootstrap seed of the Sobol interval of metric mi (of the reported ones) and input j
 * of k: seed + mi k + j, so every (metric, input) pair has its own resamples. */
unsigned long sensitivity_sobol_seed(unsigned long seed, int mi, int k, int j);

/* The tornado design of input j: the n x k drawn inputs with column j set to value (its P5
 * or P95), into out. */
void sensitivity_tornado_inputs(const double *inputs, long n, int k, int j, double value, double *out);

/* ---- The analysis of a spec */

struct sensitivity_analysis {
    int n_metrics;
    int metrics[REPORT_MAX_METRICS]; /* metric indices, as asked */
    int n_inputs;             /* every numeric input of the spec */
    int n_uncertain;          /* rows 0 .. n_uncertain) are the uncertain ones (input order of a run) */
    int *ids;                 /* owned, n_inputs: spec input index of each row */
    const char **paths;       /* owned array, n_inputs; the strings are borrowed from the spec */
    double *p5, *p95, *central; /* owned, n_inputs: the input's P5, P95 and central value */
    struct sensitivity_entry *entries; /* owned, n_metrics x n_inputs: entries[mi n_inputs + row] */
    long samples;             /* Spearman and tornado runs */
    long sobol_samples;       /* N of the design: (k + 2) N runs */
    long elasticity_samples;  /* per one-at-a-time run: the spec's samples, or 1 when nothing is random */
    double elasticity_step;   /* h: inputs x (1 -+ h) */
    struct mc_result base;    /* the base run (spec's samples and seed) */
    struct report base_rep;   /* its statistics; borrows strings from the spec */
};

/* Every entry for n_metrics metrics of s, as `trainsim sensitivity`: Spearman between each
 * drawn input and each metric over the spec's samples; the tornado (the mean of the metric
 * with the input at its P5, then its P95, every other input as drawn in the same samples);
 * first-order and total Sobol indices on a Saltelli design of n_sobol rows (0: the default)
 * with SENSITIVITY_BOOTSTRAP bootstrap intervals; and the elasticity of every numeric input
 * (every per-sample input at its central value, the one of interest x (1 -+ h), event
 * processes as drawn on the same streams). s is changed during the elasticity runs and
 * restored before returning; it must outlive *out. Release with sensitivity_analysis_release(). */
void sensitivity_analyse(struct spec *s, const int *metrics, int n_metrics, long n_sobol, int threads,
                         struct sensitivity_analysis *out);
void sensitivity_analysis_release(struct sensitivity_analysis *a);

/* The report of a (for the writers and charts); borrows from a and s. */
void sensitivity_analysis_report(const struct sensitivity_analysis *a, const struct spec *s,
                                 struct sensitivity_report *out);

#endif
