/*
 * trainsim_internal.h - what the CLI (sim/cmd/) needs of the library beyond trainsim.h,
 * so that `trainsim run`, sweep, compare, solve and sensitivity are clients of the same
 * code as libtrainsim.so. Not installed; the names are ts_api_*, which the .so's version
 * script (trainsim_* only) keeps local.
 *
 * What the public API copies out, these hand over as the layers' structs: the spec a run
 * was made from, its report and its rows, for the CLI's provenance and writers. And where
 * the public API keeps diagnostics as records, a sink sends them to the CLI's diag, which
 * prints them as they come. The library itself still prints nothing: the sink's diag and
 * its load_failed callback are the caller's.
 */
#ifndef TRAINSIM_INTERNAL_H
#define TRAINSIM_INTERNAL_H

#include "trainsim.h"

struct diag;
struct spec;
struct mc_result;
struct metric_stats;
struct report;
struct sample_table;
struct sensitivity_report;
struct solve_report;

/* ---- Scenarios with a sink */

/* Where the messages of a scenario go instead of its diagnostics (trainsim_scenario_n_diagnostics
 * stays 0). d is borrowed and keeps its settings (the caller's quiet_warnings; sweep and
 * solve say each warning once, and give the setting back). load_failed, when not NULL, is
 * called right after a load of the scenario's source fails (its errors are in d), with the
 * overrides the operation added to the scenario's own: none for a load, a sweep point's
 * "PATH=VALUE"s, a solve evaluation's sim.quantiles=[...] and "PATH=x". */
struct ts_api_sink {
    struct diag *d;
    void (*load_failed)(void *ctx, const char *file, const char *const *extra, int n_extra);
    void *ctx;
};

/* A scenario as trainsim_scenario_new(configs_dir) whose messages go to *sink (copied). */
struct trainsim_scenario *ts_api_scenario_new(const char *configs_dir, const struct ts_api_sink *sink);
/* A scenario with the catalogs and the sink of first (loaded; borrowed: free this one first). */
struct trainsim_scenario *ts_api_scenario_new_sharing(const struct trainsim_scenario *first);
/* Loads the catalogs now (otherwise the first load does): false after errors to the sink. */
bool ts_api_scenario_load_catalogs(struct trainsim_scenario *sc);
/* Gives sc a source (the file at path, with n_sets overrides) without loading it: a
 * ts_api_sweep loads its points only. */
void ts_api_scenario_source(struct trainsim_scenario *sc, const char *path, const char *const *sets, int n_sets);
/* Gives sc (loaded) the sample count and seed of first, so that their samples pair (the
 * CLI's compare). True when either was different. */
bool ts_api_scenario_pair(struct trainsim_scenario *sc, const struct trainsim_scenario *first);
/* The loaded spec (NULL before a load); valid until sc is loaded again or freed. */
const struct spec *ts_api_scenario_spec(const struct trainsim_scenario *sc);

/* ---- Runs that keep the layers' structs */

/* How a run goes and what its result keeps. Results of ts_api_* runs hold their report and
 * spec (and rows when keep_rows), not the per-sample columns of trainsim_result_values:
 * only the scalar trainsim_result_* accessors apply to them. */
struct ts_api_run_options {
    int threads;          /* as trainsim_run */
    bool nominal;
    bool show_progress;   /* the progress bar of a long run on a terminal's standard error */
    bool keep_rows;       /* keep the rows of the run (ts_api_result_rows) */
};

/* trainsim_run with options ro. */
struct trainsim_result *ts_api_run(const struct trainsim_scenario *sc, const struct ts_api_run_options *ro);
/* trainsim_sweep with options ro, on sc's source: sc need not be loaded
 * (ts_api_scenario_source), and only the points are. */
bool ts_api_sweep(struct trainsim_scenario *sc, int n_points, int n_sets, const char *const *sets,
                  const struct ts_api_run_options *ro, struct trainsim_result **out);
/* trainsim_compare of two results of ts_api_run with keep_rows, as the report's statistics. */
void ts_api_compare(const struct trainsim_result *a, const struct trainsim_result *b, int m, struct metric_stats *diff,
                    double *p_a_less);
/* trainsim_solve with options ro (threads and nominal from it). */
struct trainsim_solve *ts_api_solve(struct trainsim_scenario *sc, const char *path, const char *target, double min,
                                    double max, double step, bool largest, const struct ts_api_run_options *ro);

/* The report of a run: statistics, and strings borrowed from r (scenario, file) and its spec
 * (the rest). The caller may change it (provenance, not-modelled marks). */
struct report *ts_api_result_report(struct trainsim_result *r);
/* The spec r was run from: sc's for ts_api_run (valid while sc is), r's own for a sweep
 * point or a solve evaluation. NULL for results of the public functions. */
const struct spec *ts_api_result_spec(const struct trainsim_result *r);
/* The rows (NULL unless kept), and the --samples-out table of them (built on first call,
 * owned by r). */
const struct mc_result *ts_api_result_rows(const struct trainsim_result *r);
const struct sample_table *ts_api_result_table(struct trainsim_result *r);

/* The solve as the writers take it; strings and reports borrowed from s, prov NULL. */
void ts_api_solve_report(const struct trainsim_solve *s, struct solve_report *out);
/* The sensitivity analysis as the writers take it, borrowed from a (and the scenario it ran
 * on, which must stay loaded); the base report is a's, and the caller may change it. */
void ts_api_sensitivity_report(struct trainsim_sensitivity *a, struct sensitivity_report *out);
struct report *ts_api_sensitivity_base_report(struct trainsim_sensitivity *a);

#endif
