/*
 * montecarlo.h - the sample loop: spec in, per-sample metrics and a report out.
 *
 * montecarlo_run() draws every sample's inputs (sample/dist.c, seeded as sample/rng.h
 * says), runs the core engine on it, and keeps one row of metrics and one row of drawn
 * inputs per sample. Samples are spread over OpenMP threads; each thread owns its engine,
 * generators and buffers, so the result is bit-identical for any thread count.
 * Under MPI each rank runs a contiguous block of the samples and the blocks are gathered
 * to every rank (util/par.h), so the rows are the same for any number of ranks too.
 * montecarlo_report() turns those rows into statistics (GSL sort, mean, sd, quantiles,
 * histogram).
 */
#ifndef TS_SAMPLE_MONTECARLO_H
#define TS_SAMPLE_MONTECARLO_H

#include <stdbool.h>

#include "core/spec.h"
#include "core/trial.h"
#include "output/report.h"

struct mc_options {
    long samples;         /* >= 1 */
    unsigned long seed;
    int threads;          /* 0 = OpenMP default */
    bool nominal;         /* one sample, central values, no random events */
    long first_sample;    /* index of the first sample (for splitting work); usually 0 */
    /* Optional: the values of the uncertain inputs, n x spec_n_uncertain(), row-major in input
     * order, used instead of draws (sensitivity designs). Event streams stay seeded by the
     * sample index. Borrowed. */
    const double *given_inputs;
    bool show_progress;   /* a progress bar on a terminal's standard error for long runs */
};

struct mc_result {
    long n_samples;
    double *metrics;        /* owned, n_samples x METRIC_COUNT, row-major */
    bool *is_unfinished;    /* owned, n_samples */
    long n_unfinished;
    int n_inputs;           /* uncertain per-sample inputs recorded */
    int *input_ids;         /* owned, n_inputs: spec input index of each column */
    double *inputs;         /* owned, n_samples x n_inputs */
    bool is_interrupted;    /* SIGINT/SIGTERM arrived: the results are incomplete, do not use */
};

/* Runs the samples of spec (borrowed) with options o. Fills *out; release it with
 * mc_result_release(). */
void montecarlo_run(const struct spec *s, const struct mc_options *o, struct mc_result *out);
void mc_result_release(struct mc_result *r); /* zeroed r is fine */

/* Draws the uncertain inputs of samples first .. first + n - 1 exactly as montecarlo_run
 * would, into out (n x spec_n_uncertain(), row-major, input order). */
void montecarlo_draw_inputs(const struct spec *s, unsigned long seed, long first, long n, double *out);

/* Statistics of every metric of r. Borrows strings from s; *out owns nothing. */
void montecarlo_report(const struct spec *s, const struct mc_options *o, const struct mc_result *r,
                       struct report *out);

/* The OpenMP threads a run uses for 'requested' (0 = all available; 1 without OpenMP). */
int montecarlo_threads(int requested);

/* Inverse CDF of a distribution at p in (0, 1) (for tornado ends). */
double montecarlo_quantile(const struct dist *d, double p);

/* Statistics of n values (sorts a copy) at the given quantiles. */
void montecarlo_stats(const double *v, long n, int n_q, const double *q, struct metric_stats *out);

/* The same for one metric of r: its column of r->metrics. */
void montecarlo_metric_stats(const struct mc_result *r, int metric, int n_q, const double *q,
                             struct metric_stats *out);

/* The per-sample table for --samples-out: sample index, every recorded input, every metric.
 * Column names are borrowed from s; the arrays are owned by *out until
 * montecarlo_table_release(). */
void montecarlo_table(const struct spec *s, const struct mc_result *r, struct sample_table *out);
void montecarlo_table_release(struct sample_table *t);

/* One sample for a caller that steps the engine itself (trainsim trace): sample 'index' of
 * seed drawn exactly as montecarlo_run() draws it (nominal: central values, no random
 * events), so its run is bit-identical to that sample's row of --samples-out.
 * montecarlo_trial_get() is the trial to pass to engine_start(); it borrows s, which must
 * outlive it, and is valid until montecarlo_trial_free(). */
struct mc_trial;
struct mc_trial *montecarlo_trial_new(const struct spec *s, unsigned long seed, long index, bool nominal);
const struct trial *montecarlo_trial_get(const struct mc_trial *t);
void montecarlo_trial_free(struct mc_trial *t); /* NULL is allowed */

#endif
