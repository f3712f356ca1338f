/*
 * trainsim.h - the trainsim library: load a scenario, run its Monte Carlo samples, and
 * read the results back as data.
 *
 *   struct trainsim_scenario *sc = trainsim_scenario_new(NULL);
 *   const char *sets[] = { "cluster.count=4096", "sim.samples=10000" };
 *   if (!trainsim_scenario_load_file(sc, "scenarios/deepseek-v3-h800.yaml", sets, 2))
 *       ... read trainsim_scenario_diagnostic(sc, i) for i < trainsim_scenario_n_diagnostics(sc)
 *   struct trainsim_result *r = trainsim_run(sc, 0, false);
 *   int m = trainsim_metric_find("wall_days");
 *   double p90 = trainsim_result_stat(r, m, trainsim_result_stat_find(r, "p90"));
 *   const double *days = trainsim_result_metric_values(r, m);   (one value per sample)
 *   trainsim_result_free(r);
 *   trainsim_scenario_free(sc);
 *
 * The numbers are the CLI's: a scenario loaded with the same overrides and run with the
 * same seed gives the values `trainsim run --format json` prints, for any thread count.
 * The sample count and the seed are scenario keys (sim.samples, sim.seed): set them with
 * overrides, as the CLI's --samples and --seed do.
 *
 * Conventions. Handles are opaque; every _new has its _free, and _free(NULL) does nothing.
 * Strings and arrays a function returns are borrowed from the handle passed in and stay
 * valid until that handle is freed or (for a scenario) loaded again. Problems in the input
 * come back as diagnostics (the located messages the CLI prints); the library never prints
 * and never exits, except when memory runs out (as the CLI). A handle is used by one
 * thread at a time; runs use OpenMP threads inside.
 */
#ifndef TRAINSIM_H
#define TRAINSIM_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library, e.g. "0.1.0" (the CLI's `trainsim --version`). */
const char *trainsim_version(void);

/* ---- Metrics: what every run reports (the metrics table of README.md). */

int trainsim_n_metrics(void);
const char *trainsim_metric_key(int m);   /* JSON key, e.g. "wall_days"; 0 <= m < trainsim_n_metrics() */
const char *trainsim_metric_unit(int m);  /* e.g. "days" */
const char *trainsim_metric_label(int m); /* e.g. "wall time" */
int trainsim_metric_find(const char *key); /* index of the metric, or -1 */

/* ---- Diagnostics: one per message the CLI would print. */

enum trainsim_severity { TRAINSIM_ERROR, TRAINSIM_WARNING, TRAINSIM_NOTE };

struct trainsim_diagnostic {
    enum trainsim_severity severity;
    const char *file;    /* file (or "<command line>" for an override); NULL without a location */
    int line, col;       /* 1-based; 0 when unknown */
    const char *path;    /* key path the message is about, e.g. "cluster.count"; NULL when none */
    const char *message; /* the text after the key path, e.g. "0 is outside the valid range [1, 1e+07]" */
};

/* ---- Scenarios */

struct trainsim_scenario;

/* A scenario with no source yet. configs_dir: a folder with accelerators.yaml, grids.yaml,
 * facilities.yaml and equivalences.yaml (the CLI's --configs), or NULL for the built-in
 * catalogs. Never NULL. */
struct trainsim_scenario *trainsim_scenario_new(const char *configs_dir);
void trainsim_scenario_free(struct trainsim_scenario *sc);

/* Loads the scenario file at path (or YAML text of len bytes, named 'name' in messages;
 * series paths are relative to the folder of 'name'), with n_sets "PATH=VALUE" overrides
 * applied in order, as the CLI's --set. Returns true when the scenario has no error; its
 * diagnostics (warnings too) are then readable. On false the scenario holds no source and
 * the diagnostics say why. A `base:` key is resolved for files only, as the CLI does. */
bool trainsim_scenario_load_file(struct trainsim_scenario *sc, const char *path, const char *const *sets,
                                 int n_sets);
bool trainsim_scenario_load_text(struct trainsim_scenario *sc, const char *name, const char *yaml, size_t len,
                                 const char *const *sets, int n_sets);

/* Adds n_sets overrides after the ones sc has and loads it again. All or nothing: on false
 * sc is as it was, and the diagnostics say why. */
bool trainsim_scenario_set(struct trainsim_scenario *sc, const char *const *sets, int n_sets);

bool trainsim_scenario_is_loaded(const struct trainsim_scenario *sc);

/* The diagnostics of the last load, set, sweep, solve or sensitivity on sc, in the order
 * they were found. */
int trainsim_scenario_n_diagnostics(const struct trainsim_scenario *sc);
const struct trainsim_diagnostic *trainsim_scenario_diagnostic(const struct trainsim_scenario *sc, int i);

/* What the loaded scenario says (NULL / 0 before a successful load). */
const char *trainsim_scenario_name(const struct trainsim_scenario *sc);
long trainsim_scenario_samples(const struct trainsim_scenario *sc);        /* sim.samples */
unsigned long trainsim_scenario_seed(const struct trainsim_scenario *sc);  /* sim.seed */

/* ---- Runs */

struct trainsim_result;

/* Runs every sample of sc (loaded) on 'threads' OpenMP threads (0 = all cores; the
 * result does not depend on it). nominal: one sample at the central values, no random
 * events (the CLI's --nominal). Returns NULL when sc is not loaded. */
struct trainsim_result *trainsim_run(const struct trainsim_scenario *sc, int threads, bool nominal);
void trainsim_result_free(struct trainsim_result *r);

const char *trainsim_result_scenario(const struct trainsim_result *r); /* scenario name */
const char *trainsim_result_file(const struct trainsim_result *r);     /* as loaded */
unsigned long trainsim_result_seed(const struct trainsim_result *r);
long trainsim_result_n_samples(const struct trainsim_result *r);
bool trainsim_result_is_nominal(const struct trainsim_result *r);
double trainsim_result_step_min(const struct trainsim_result *r);
long trainsim_result_n_unfinished(const struct trainsim_result *r); /* samples stopped at sim.max_days */

/* Summary statistics of each metric: "mean", "sd", "min", "max", then one per quantile of
 * sim.quantiles ("p5", "p50", ...), in this order (the JSON's). */
int trainsim_result_n_stats(const struct trainsim_result *r);
const char *trainsim_result_stat_name(const struct trainsim_result *r, int j);
int trainsim_result_stat_find(const struct trainsim_result *r, const char *name); /* index, or -1 */
double trainsim_result_stat(const struct trainsim_result *r, int m, int j);

/* Per-sample values. The uncertain inputs (those drawn per sample, not fixed; the columns
 * of --samples-out) come first, then the metrics: column c of the n_inputs + n_metrics
 * columns is trainsim_result_values(r) + c * n_samples, one double per sample. */
int trainsim_result_n_inputs(const struct trainsim_result *r);
const char *trainsim_result_input_path(const struct trainsim_result *r, int i); /* e.g. "facility.pue" */
const double *trainsim_result_values(const struct trainsim_result *r);
const double *trainsim_result_input_values(const struct trainsim_result *r, int i);
const double *trainsim_result_metric_values(const struct trainsim_result *r, int m);

/* Spearman rank correlation between uncertain input i and metric m across the samples
 * (the CLI's `sensitivity` column spearman); 0 when either is constant. */
double trainsim_result_spearman(const struct trainsim_result *r, int i, int m);

/* ---- Planning */

/* Paired comparison of metric m, sample by sample (b minus a): the statistics of the
 * differences, in trainsim_result_stat order (a's quantiles), into stats (room for
 * trainsim_result_n_stats(a) values), and the fraction of samples with a < b into
 * *p_a_less (NaN when the metric is not modelled, NaN, in either). The pairing holds when both ran with the same samples and seed (what the
 * CLI's compare enforces); returns false when the sample counts differ. */
bool trainsim_compare(const struct trainsim_result *a, const struct trainsim_result *b, int m, double *stats,
                      double *p_a_less);

/* Runs sc once per point, with n_sets overrides of that point after sc's own: point p
 * uses sets[p * n_sets] .. sets[p * n_sets + n_sets - 1]. Every point keeps sc's seed, so
 * sample i of every point shares its draws (common random numbers), as the CLI's sweep.
 * Fills out[0 .. n_points - 1] with results (the caller frees each) and returns true; or
 * returns false with nothing in out, the diagnostics of the failing point in sc. */
bool trainsim_sweep(struct trainsim_scenario *sc, int n_points, int n_sets, const char *const *sets, int threads,
                    bool nominal, struct trainsim_result **out);

/* ---- Solve: the smallest (or largest) value of a parameter meeting a target */

struct trainsim_solve;

/* One evaluation of a solve: the parameter's value, the target statistic there, whether
 * the target holds, and whether some samples stopped at sim.max_days (the statistic is
 * then a bound). */
struct trainsim_solve_eval {
    double value;
    double stat;
    bool met;
    bool censored;
};

/* The CLI's `trainsim solve`: bisects on common random numbers for the smallest value of
 * the key 'path' (largest: the largest) on the grid min, min + step, ... <= max for which
 * target ("METRIC.STAT OP VALUE", STAT mean or a quantile like p90, OP <= or >=) holds,
 * then probes three more points to see whether the metric is monotone there. min, max or
 * step NAN: the CLI's defaults (the key's valid range within /8 .. x8 of its value; for
 * cluster.count one node .. 64 x the count, step 1). Each evaluation loads sc with the
 * overrides sim.quantiles=[...] (the target's quantile added) and PATH=value after sc's
 * own, keeps sc's seed and runs it on 'threads' threads (nominal as trainsim_run).
 * Returns NULL with sc's diagnostics saying why when sc is not loaded, the target or the
 * range is invalid, or an end of the range does not load. An unreachable target is a
 * result (no answer, and a message saying so), not an error. Free with trainsim_solve_free. */
struct trainsim_solve *trainsim_solve(struct trainsim_scenario *sc, const char *path, const char *target, double min,
                                      double max, double step, bool largest, int threads, bool nominal);
void trainsim_solve_free(struct trainsim_solve *s);

bool trainsim_solve_has_answer(const struct trainsim_solve *s);
double trainsim_solve_answer(const struct trainsim_solve *s);     /* NAN without an answer */
bool trainsim_solve_answer_met(const struct trainsim_solve *s);   /* the target holds at the answer */
bool trainsim_solve_has_neighbour(const struct trainsim_solve *s);
double trainsim_solve_neighbour(const struct trainsim_solve *s);  /* answer -+ step, where it fails; NAN without */
bool trainsim_solve_is_monotone(const struct trainsim_solve *s);  /* no evaluation contradicts one boundary */
bool trainsim_solve_is_integer(const struct trainsim_solve *s);   /* the parameter takes whole numbers */
/* The grid searched: lo, hi (the last grid point) and step; any pointer may be NULL. */
void trainsim_solve_range(const struct trainsim_solve *s, double *lo, double *hi, double *step);
/* The outcome in words, as the CLI's "message" ("answer: cluster.count = 7616 meets ..."). */
const char *trainsim_solve_message(const struct trainsim_solve *s);
/* The evaluations in order of value: false when i is out of range. */
int trainsim_solve_n_evals(const struct trainsim_solve *s);
bool trainsim_solve_eval(const struct trainsim_solve *s, int i, struct trainsim_solve_eval *out);
/* The runs at the answer and at its neighbour (borrowed from s; NULL when absent). */
const struct trainsim_result *trainsim_solve_at_answer(const struct trainsim_solve *s);
const struct trainsim_result *trainsim_solve_at_neighbour(const struct trainsim_solve *s);

/* ---- Sensitivity: which inputs matter */

struct trainsim_sensitivity;

/* One metric against one input, the CLI's sensitivity entry. Spearman, tornado and Sobol
 * are NAN for an input that is not uncertain; the elasticity is NAN where undefined (an
 * input at 0, or a metric whose mean is 0). */
struct trainsim_sensitivity_entry {
    double spearman;                    /* rank correlation of the drawn input and the metric */
    double tornado_low, tornado_high;   /* mean of the metric with the input at its P5 / P95 */
    double sobol_first, sobol_first_lo, sobol_first_hi; /* first-order index, bootstrap 95 % interval */
    double sobol_total, sobol_total_lo, sobol_total_hi; /* total-effect index and interval */
    double elasticity;                  /* % change of the metric per % change of the input */
    double at_minus, at_plus;           /* mean of the metric with the input x 0.9 / x 1.1, others central */
};

/* The CLI's `trainsim sensitivity` on sc: Spearman and the tornado from sc's samples and
 * seed, Sobol first-order (Saltelli et al. 2010) and total (Jansen 1999) indices on a
 * Saltelli design of sobol_samples rows (0: 512; (k + 2) N runs for k uncertain inputs)
 * with 200-resample bootstrap intervals, and the elasticity (+-10 %) of every numeric
 * input, for the n_metrics metrics (metric indices; NULL and 0: wall_days,
 * facility_energy_kwh, total_co2e_kg, cost_usd, the CLI's defaults). Returns NULL with a
 * diagnostic on sc when it is not loaded or a metric index is invalid. Free with
 * trainsim_sensitivity_free. */
struct trainsim_sensitivity *trainsim_sensitivity(struct trainsim_scenario *sc, const int *metrics, int n_metrics,
                                                  long sobol_samples, int threads);
void trainsim_sensitivity_free(struct trainsim_sensitivity *a);

int trainsim_sensitivity_n_metrics(const struct trainsim_sensitivity *a);
int trainsim_sensitivity_metric(const struct trainsim_sensitivity *a, int k);  /* metric index of the k-th; -1 */
/* The inputs: the uncertain ones first (in the order of trainsim_result_input_path), then
 * every other numeric input of the scenario. */
int trainsim_sensitivity_n_inputs(const struct trainsim_sensitivity *a);
int trainsim_sensitivity_n_uncertain(const struct trainsim_sensitivity *a);
const char *trainsim_sensitivity_input_path(const struct trainsim_sensitivity *a, int i);
double trainsim_sensitivity_input_p5(const struct trainsim_sensitivity *a, int i);
double trainsim_sensitivity_input_p95(const struct trainsim_sensitivity *a, int i);
double trainsim_sensitivity_input_central(const struct trainsim_sensitivity *a, int i);
/* The entry of the k-th metric and input i: false when either is out of range. */
bool trainsim_sensitivity_entry(const struct trainsim_sensitivity *a, int k, int i,
                                struct trainsim_sensitivity_entry *out);
/* Run sizes: Spearman and tornado samples, N of the Sobol design, samples per elasticity
 * run (1 when nothing in the scenario is random), and the elasticity step h (0.1). */
long trainsim_sensitivity_samples(const struct trainsim_sensitivity *a);
long trainsim_sensitivity_sobol_samples(const struct trainsim_sensitivity *a);
long trainsim_sensitivity_elasticity_samples(const struct trainsim_sensitivity *a);
double trainsim_sensitivity_elasticity_step(const struct trainsim_sensitivity *a);
/* The base run (sc's samples and seed): its statistics and per-sample values (borrowed). */
const struct trainsim_result *trainsim_sensitivity_base(const struct trainsim_sensitivity *a);

#ifdef __cplusplus
}
#endif

#endif
