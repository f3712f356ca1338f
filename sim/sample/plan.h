/*
 * plan.h - the computations of the planning commands sweep, compare and solve, as
 * functions of plain data: the values of a --vary, the points of a sweep grid, the paired
 * differences and chart histograms of compare, the --target of solve, solve's search range and the bisection
 * solver over an evaluation callback.
 *
 * Nothing here loads a scenario or prints: the CLI (sim/cmd/plan.c) and the library
 * (sim/trainsim.c) make the variants with their own loaders and call these, so both
 * compute the same numbers by one code path. Problems come back as message text, without
 * the "trainsim: error: " the CLI puts in front. Sensitivity (Spearman, tornado, Sobol,
 * elasticities) is in sample/sensitivity.h.
 */
#ifndef TS_SAMPLE_PLAN_H
#define TS_SAMPLE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "output/report.h"
#include "sample/montecarlo.h"

enum {
    PLAN_MAX_POINTS = 10000, /* values of one --vary, and points of a sweep grid */
    PLAN_MAX_EVALS = 64,     /* evaluations of one solve */
    PLAN_ERR_SIZE = 512,     /* room for a message */
};

/* ---- sweep: --vary PATH=SPEC */

/* The values of one --vary PATH=SPEC: a list V1,V2 (commas inside {} or [] do not split),
 * a range START:STOP:STEP, or a geometric range START:STOP*FACTOR (each value printed with
 * %.10g; STOP is included up to a relative 1e-9). */
struct plan_vary {
    char path[256];
    int n;
    char **text;   /* owned, n values as given (ranges: as generated) */
    double *num;   /* owned, n: the number, seconds since 1970 for a date, NAN otherwise */
};

/* Parses arg into *v. values_required false: a bare PATH is accepted too (solve), with
 * n = 0. Returns false with a message in err (and nothing to release). */
bool plan_vary_parse(const char *arg, bool values_required, struct plan_vary *v, char *err, size_t n_err);
void plan_vary_release(struct plan_vary *v);

/* Point p of the grid of n_vary --vary (p in [0, product of the n)): idx[v] is the index
 * of the value of vary[v]; the last varies fastest. */
void plan_grid_point(const struct plan_vary *vary, int n_vary, long p, int *idx);

/* ---- compare: paired differences */

/* The statistics of b[i] - a[i] over n samples (a and b read every stride-th double:
 * metric m of a row-major mc_result is metrics + m with stride METRIC_COUNT) at the n_q
 * quantiles q, into *diff, and P(a < b) (ties count as not less) into *p_a_less; NAN when
 * a difference is NAN (a metric one side does not model). */
void plan_paired(const double *a, const double *b, long n, long stride, int n_q, const double *q,
                 struct metric_stats *diff, double *p_a_less);

/* compare --plot: the distributions of the n_metrics shown metrics (metric indices) of the
 * results of n scenarios (the same number of samples each), one compare_hist per metric:
 * every scenario's samples in shared bins, as many over the whole span as Rice's rule
 * (2 n^(1/3)) gives the widest distribution on its own (10 to 60), so distributions far
 * apart keep their shape; and each scenario's median. Free with plan_compare_hists_free(). */
struct compare_hist *plan_compare_hists(const struct mc_result *const *res, int n, const int *metrics, int n_metrics);
void plan_compare_hists_free(struct compare_hist *h, int n_metrics);

/* ---- solve: the target */

/* METRIC.STAT OP VALUE: STAT is mean or a quantile pNN; OP is <= or >=. */
struct plan_target {
    int metric;            /* index in the metric table; -1 when unknown */
    char metric_name[64];  /* as written */
    bool is_mean;
    double q;              /* the quantile in (0, 1) when !is_mean */
    bool is_le;            /* <= (else >=) */
    double value;
};

enum plan_target_status {
    PLAN_TARGET_OK,
    PLAN_TARGET_BAD,            /* err says why */
    PLAN_TARGET_UNKNOWN_METRIC, /* t->metric_name is no metric: the caller reports it (with suggestions) */
};
enum plan_target_status plan_target_parse(const char *text, struct plan_target *t, char *err, size_t n_err);

/* The override sim.quantiles=[...] of every evaluation: the scenario's n_q quantiles q
 * with the target's inserted in order (when it is a quantile not among them), so the
 * report of each evaluation shows the statistic solved for. */
void plan_solve_quantiles(const struct plan_target *t, int n_q, const double *q, char *buf, size_t n_buf);

/* The two overrides of the evaluation at x, in order: quantiles (from
 * plan_solve_quantiles), then "PATH=x" (x printed with %.10g), kept in *o; returns o->sets. */
struct plan_overrides {
    char set[1024];
    const char *sets[2];
};
const char *const *plan_solve_overrides(const char *quantiles, const char *path, double x, struct plan_overrides *o);

/* The target statistic of a run and whether it meets the target: e->x is left alone. */
void plan_solve_measure(const struct plan_target *t, const struct mc_result *res, struct solve_eval *e);

/* ---- solve: the range */

/* What the search range of PATH depends on: the key's current value and its validity rule. */
struct plan_param {
    bool is_count;          /* PATH is cluster.count */
    long count, gpus_per_node;
    double current;         /* the scenario's value of PATH (central value); NAN when not a number it sets */
    bool has_rule;          /* the key has a validity rule (load/schema.h), then: */
    bool rule_is_int;
    double rule_lo, rule_hi;
    bool rule_lo_open, rule_hi_open;
};

/* The fields of *p the spec gives (is_count, count, gpus_per_node, current); the rule's are
 * left false / 0 for the caller, which knows the key tables (load/schema.h). */
void plan_param_of(const struct spec *s, const char *path, struct plan_param *p);

/* The default range: the key's valid range intersected with current / 8 .. current x 8
 * (counts: one node .. 64 x the count); whole numbers for integer keys. */
void plan_solve_range(const struct plan_param *p, double *lo, double *hi, bool *is_int);

/* Fills in the default step when *step is NAN (counts 1, integers a whole number near a
 * thousandth of the range, else a thousandth) and checks the grid: false with a message
 * when the range is empty or has more than 1e9 steps. *k_max: the last grid point. */
bool plan_solve_grid(const char *path, const struct plan_param *p, bool is_int, double lo, double hi,
                     double *step, long *k_max, char *err, size_t n_err);

/* The whole setup of a solve of PATH from the loaded scenario: the default range
 * (plan_solve_range), then min, max and step where given (NAN: the default), the grid
 * (plan_solve_grid) and the quantiles override (plan_solve_quantiles). p: filled by
 * plan_param_of() and the caller's key rule. False with a message in err. */
struct plan_solve_setup {
    double lo, hi, step;
    bool is_int;
    long k_max;
    char quantiles[512];
};
bool plan_solve_setup(const struct spec *base, const char *path, const struct plan_target *t,
                      const struct plan_param *p, double min, double max, double step, struct plan_solve_setup *out,
                      char *err, size_t n_err);

/* ---- solve: the bisection */

/* Evaluates the parameter at x: fills e->stat, e->is_met and e->is_censored. slot is this
 * evaluation's place in call order (0, 1, ...), where the caller keeps what it wants of it
 * (a report, a result). Returns false on an error: the solve stops. */
typedef bool (*plan_eval_fn)(void *ctx, int slot, double x, struct solve_eval *e);

enum plan_solve_outcome {
    PLAN_SOLVE_ANSWER,      /* a boundary: answer meets, the neighbour one step away fails */
    PLAN_SOLVE_RANGE_END,   /* met at both ends: the answer is the range's end */
    PLAN_SOLVE_UNREACHABLE, /* met at neither end */
    PLAN_SOLVE_WRONG_WAY,   /* met at the end where it should fail only: try the other direction */
    PLAN_SOLVE_FAILED,      /* an evaluation at an end of the range failed */
};

struct plan_solver {
    /* in: the grid x = lo + k step, k = 0 .. k_max, and what to look for */
    double lo, step;
    long k_max;
    bool largest;           /* the largest x meeting the target (else the smallest) */
    plan_eval_fn eval;
    void *ctx;
    /* out, after plan_solver_run(): the evaluations in order of x */
    int n_evals;
    struct solve_eval evals[PLAN_MAX_EVALS];
    long eval_k[PLAN_MAX_EVALS];
    int slot[PLAN_MAX_EVALS];   /* the slot each was evaluated in */
    enum plan_solve_outcome outcome;
    int answer, neighbour;      /* indices in evals, or -1 */
    bool is_monotone;           /* no evaluation contradicts a single boundary */
    int n_failed;               /* evaluations that failed inside the range (skipped, see below) */
};

/* Bisects for the boundary between "fails" and "meets" along k, assuming there is one
 * (smallest: fails .. fails meets .. meets; largest: the mirror), after evaluating both
 * ends; then probes k_max / 4, / 2 and 3/4 so that a pattern of several crossings is seen
 * (is_monotone false). Evaluations are cached: each k is evaluated once. A failed
 * evaluation at an end stops the solve (PLAN_SOLVE_FAILED); inside the range one ends the
 * bisection where it is (answer and neighbour may then be more than a step apart) and a
 * failed probe is left out: a count where layout: auto finds no layout does not spoil
 * the search, as `trainsim solve` always did (tests/test_layout.sh). */
void plan_solver_run(struct plan_solver *sv);

/* The plain-language outcome ("answer: PATH = X meets TARGET; one step below fails it", ...). */
void plan_solve_message(const struct plan_solver *sv, const char *path, const char *target, char *buf,
                        size_t n_buf);

#endif
