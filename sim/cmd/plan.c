/*
 * plan.c - sweep, compare, solve and sensitivity: what-if questions on top of the engine.
 *
 * Every command here runs several variants of a scenario. Variants are made the way a user
 * makes them, with --set overrides applied by the loader, so each variant is validated like
 * a file. Because every draw is keyed by (seed, sample, key path), sample i of every variant
 * shares all draws except those of the inputs that differ: comparisons are paired (common
 * random numbers) and the answers are low-noise.
 *
 * This file is wiring: options -> loader -> the computations of sample/plan.c (--vary
 * values, grid, paired differences, target, range, solver) and sample/sensitivity.c (the
 * whole sensitivity analysis) -> output/write_plan.c. The library (trainsim.c) calls the
 * same functions.
 */
#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/result.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "load/schema.h"
#include "output/plot.h"
#include "output/write_plan.h"
#include "output/writer.h"
#include "provenance.h"
#include "sample/montecarlo.h"
#include "sample/plan.h"
#include "sample/sensitivity.h"
#include "util/diag.h"
#include "util/outfile.h"
#include "util/par.h"
#include "util/xalloc.h"

/* The metrics sweep and sensitivity report unless --metric says otherwise. */
static const char *const default_metrics[] = { "wall_days", "facility_energy_kwh", "total_co2e_kg", "cost_usd" };

struct session {
    const struct cli_options *o;
    struct diag d;
    struct catalog cat;
};

static int session_open(struct session *ss, const struct cli_options *o)
{
    ss->o = o;
    memset(&ss->cat, 0, sizeof ss->cat); /* session_close() releases it on every path */
    diag_init(&ss->d, stderr);
    ss->d.quiet_warnings = o->quiet;
    const char *report = o->command == CLI_SWEEP ? "sweep" : o->command == CLI_COMPARE ? "compare"
                       : o->command == CLI_SOLVE ? "solve" : "sensitivity";
    if (o->format && !write_plan_format_known(report, o->format)) {
        fprintf(stderr, "trainsim: error: --format: unknown format '%s' for %s (expected %s)\n", o->format, report,
                write_plan_formats(report));
        return EXIT_INPUT;
    }
    return command_load_catalogs(o, &ss->d, &ss->cat);
}

static void session_close(struct session *ss)
{
    catalog_release(&ss->cat);
    diag_release(&ss->d);
}

/* Loads file with the command line's --set overrides followed by 'extra' ones. When a
 * variant does not load, says which one (the problems themselves are reported above it):
 * a sweep point or a solve evaluation names the values it set. */
static int load_variant(struct session *ss, const char *file, const char *const *extra, int n_extra, struct spec *out)
{
    const int rc = command_load_scenario(ss->o, &ss->d, &ss->cat, file, extra, n_extra, out);
    if (rc != EXIT_OK && n_extra > 0) {
        fprintf(stderr, "trainsim: error: %s does not load at", file);
        for (int i = 0; i < n_extra; i++)
            if (strncmp(extra[i], "sim.quantiles=", 14) != 0) /* solve's own, not the user's */
                fprintf(stderr, " %s", extra[i]);
        fputs("\n", stderr);
    }
    return rc;
}

/* Metric indices from --metric (or the defaults); false after reporting an unknown one. */
static bool pick_metrics(const struct cli_options *o, bool all_by_default, int *metrics, int *n)
{
    *n = 0;
    if (o->n_metrics == 0) {
        if (all_by_default) {
            for (int m = 0; m < METRIC_COUNT; m++)
                metrics[(*n)++] = m;
        } else {
            for (size_t i = 0; i < sizeof default_metrics / sizeof default_metrics[0]; i++)
                metrics[(*n)++] = metric_find(default_metrics[i]);
        }
        return true;
    }
    for (int i = 0; i < o->n_metrics; i++) {
        int m;
        if (!command_find_metric("--metric", o->metrics[i], &m))
            return false;
        metrics[(*n)++] = m;
    }
    return true;
}

/* Runs one spec and summarises it. */
static void run_one(const struct spec *s, const struct cli_options *o, int threads, struct mc_result *res,
                    struct report *rep)
{
    const struct mc_options mo = { .samples = s->samples, .seed = s->seed, .threads = threads, .nominal = o->nominal,
                                   .show_progress = !o->quiet && threads != 1 };
    montecarlo_run(s, &mo, res);
    montecarlo_report(s, &mo, res, rep);
}

/* Writes through fn to -o (atomically) or standard output. */
static int emit(const struct cli_options *o, bool (*fn)(FILE *, const char *, const void *), const void *r)
{
    struct outfile out;
    if (!outfile_open(&out, o->output))
        return EXIT_RUNTIME;
    if (!fn(out.f, o->format ? o->format : "table", r)) {
        outfile_abort(&out);
        fputs("trainsim: error: writing the output failed\n", stderr);
        return EXIT_RUNTIME;
    }
    return outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
}

static bool emit_sweep(FILE *f, const char *fmt, const void *r)
{
    return writer_write(&sweep_writer, fmt, f, r);
}
static bool emit_compare(FILE *f, const char *fmt, const void *r)
{
    return writer_write(&compare_writer, fmt, f, r);
}
static bool emit_solve(FILE *f, const char *fmt, const void *r)
{
    return writer_write(&solve_writer, fmt, f, r);
}
static bool emit_sensitivity(FILE *f, const char *fmt, const void *r)
{
    return writer_write(&sensitivity_writer, fmt, f, r);
}

/* ---- sweep */

/* Prints a message of sample/plan.c as the CLI's error. */
static void plan_error(const char *msg)
{
    fprintf(stderr, "trainsim: error: %s\n", msg);
}

int plan_sweep(const struct cli_options *o)
{
    if (o->n_vary == 0) {
        fputs("trainsim: error: sweep needs at least one --vary PATH=VALUES\n", stderr);
        return EXIT_INPUT;
    }
    struct session ss;
    int rc = session_open(&ss, o);
    struct plan_vary vary[CLI_MAX_VARY];
    int n_vary = 0;
    char err[PLAN_ERR_SIZE];
    int metrics[REPORT_MAX_METRICS], n_metrics = 0;
    long n_points = 1;
    for (int i = 0; rc == EXIT_OK && i < o->n_vary; i++) {
        if (!plan_vary_parse(o->vary[i], true, &vary[i], err, sizeof err)) {
            plan_error(err);
            rc = EXIT_INPUT;
            break;
        }
        n_vary++;
        n_points *= vary[i].n;
        if (n_points > PLAN_MAX_POINTS) {
            fprintf(stderr, "trainsim: error: sweep: the grid has more than %d points\n", PLAN_MAX_POINTS);
            rc = EXIT_INPUT;
        }
    }
    if (rc == EXIT_OK && !pick_metrics(o, false, metrics, &n_metrics))
        rc = EXIT_INPUT;
    struct spec *specs = NULL;
    struct report *reps = NULL;
    const char **texts = NULL;
    double *nums = NULL;
    long loaded = 0;
    if (rc == EXIT_OK) {
        specs = xcalloc((size_t)n_points, sizeof *specs);
        reps = xcalloc((size_t)n_points, sizeof *reps);
        texts = xcalloc((size_t)(n_points * n_vary), sizeof *texts);
        nums = xcalloc((size_t)(n_points * n_vary), sizeof *nums);
        /* Point p takes value (p / stride_v) % n_v of each --vary: the last varies fastest. */
        for (long p = 0; p < n_points && rc == EXIT_OK; p++) {
            char sets[CLI_MAX_VARY][1024];
            const char *set_ptrs[CLI_MAX_VARY];
            int idx[CLI_MAX_VARY];
            plan_grid_point(vary, n_vary, p, idx);
            for (int v = 0; v < n_vary && rc == EXIT_OK; v++) {
                if (snprintf(sets[v], sizeof sets[v], "%s=%s", vary[v].path, vary[v].text[idx[v]]) >=
                    (int)sizeof sets[v]) {
                    fprintf(stderr, "trainsim: error: --vary %s: value too long\n", vary[v].path);
                    rc = EXIT_INPUT;
                }
                set_ptrs[v] = sets[v];
                texts[p * n_vary + v] = vary[v].text[idx[v]];
                nums[p * n_vary + v] = vary[v].num[idx[v]];
            }
            if (rc == EXIT_OK)
                rc = load_variant(&ss, o->files[0], set_ptrs, n_vary, &specs[p]);
            if (rc == EXIT_OK)
                loaded++;
            ss.d.quiet_warnings = true; /* say each warning once, for the first point */
        }
    }
    if (rc == EXIT_OK) {
        const int threads = montecarlo_threads(o->threads);
        /* Enough points to keep every thread busy: one point per thread, one thread per
         * point. Otherwise points in turn, samples in parallel. Results are the same. */
        const bool by_point = n_points >= threads && par_size() == 1; /* MPI calls stay on one thread */
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (by_point)
        for (long p = 0; p < n_points; p++) {
            struct mc_result res;
            run_one(&specs[p], o, by_point ? 1 : threads, &res, &reps[p]);
            mc_result_release(&res);
        }
        struct sweep_report sr = { .n_vary = n_vary, .n_points = (int)n_points, .value_text = texts,
                                   .value_num = nums, .points = reps, .n_metrics = n_metrics };
        const char *paths[CLI_MAX_VARY];
        for (int v = 0; v < n_vary; v++)
            paths[v] = vary[v].path;
        sr.vary = paths;
        memcpy(sr.metrics, metrics, sizeof metrics);
        struct provenance_store ps;
        provenance_build(&ps, &specs[0], o, &ss.d);
        sr.prov = &ps.p;
        for (long p = 0; p < n_points; p++)
            provenance_mark_not_modelled(&reps[p], &specs[p]);
        rc = emit(o, emit_sweep, &sr);
        if (rc == EXIT_OK && o->plot_dir && !plot_sweep(o->plot_dir, &sr))
            rc = EXIT_RUNTIME;
        provenance_release(&ps);
    }
    for (long p = 0; p < loaded; p++)
        spec_release(&specs[p]);
    free(specs);
    free(reps);
    free(texts);
    free(nums);
    for (int v = 0; v < n_vary; v++)
        plan_vary_release(&vary[v]);
    session_close(&ss);
    return rc;
}

/* ---- compare */

int plan_compare(const struct cli_options *o)
{
    struct session ss;
    int rc = session_open(&ss, o);
    const int n = o->n_files;
    int metrics[REPORT_MAX_METRICS], n_metrics = 0;
    if (rc == EXIT_OK && !pick_metrics(o, true, metrics, &n_metrics))
        rc = EXIT_INPUT;
    struct spec *specs = xcalloc((size_t)n, sizeof *specs);
    struct mc_result *res = xcalloc((size_t)n, sizeof *res);
    struct report *reps = xcalloc((size_t)n, sizeof *reps);
    int loaded = 0;
    for (int k = 0; k < n && rc == EXIT_OK; k++) {
        rc = load_variant(&ss, o->files[k], NULL, 0, &specs[k]);
        if (rc == EXIT_OK)
            loaded++;
    }
    if (rc == EXIT_OK) {
        /* Pairing needs the same samples and seed everywhere: the first scenario's. */
        for (int k = 1; k < n; k++) {
            if ((specs[k].samples != specs[0].samples || specs[k].seed != specs[0].seed) && !o->quiet)
                fprintf(stderr, "trainsim: warning: %s: using %ld samples and seed %lu of %s, to pair the samples\n",
                        o->files[k], specs[0].samples, specs[0].seed, o->files[0]);
            specs[k].samples = specs[0].samples;
            specs[k].seed = specs[0].seed;
        }
        for (int k = 0; k < n; k++)
            run_one(&specs[k], o, o->threads, &res[k], &reps[k]);
        const long ns = res[0].n_samples;
        struct metric_stats *diff = xcalloc((size_t)(n - 1) * REPORT_MAX_METRICS, sizeof *diff);
        double *p_less = xcalloc((size_t)(n - 1) * REPORT_MAX_METRICS, sizeof *p_less);
        for (int k = 1; k < n; k++)
            for (int i = 0; i < n_metrics; i++) {
                const int j = (k - 1) * REPORT_MAX_METRICS + i;
                plan_paired(res[0].metrics + metrics[i], res[k].metrics + metrics[i], ns, METRIC_COUNT,
                            specs[0].n_quantiles, specs[0].quantiles, &diff[j], &p_less[j]);
            }
        struct provenance_store *ps = xcalloc((size_t)n, sizeof *ps);
        struct provenance *provs = xcalloc((size_t)n, sizeof *provs);
        for (int k = 0; k < n; k++) {
            provenance_build(&ps[k], &specs[k], o, &ss.d);
            provenance_apply(&reps[k], &ps[k], &specs[k]);
            provs[k] = ps[k].p;
        }
        struct compare_report cr = { .n_scenarios = n, .scenarios = reps, .difference = diff, .p_a_less = p_less,
                                     .n_metrics = n_metrics, .provs = provs };
        memcpy(cr.metrics, metrics, sizeof metrics);
        rc = emit(o, emit_compare, &cr);
        if (rc == EXIT_OK && o->plot_dir) {
            struct compare_hist *hist = plan_compare_hists(res, n, metrics, n_metrics);
            cr.hist = hist;
            if (!plot_compare(o->plot_dir, &cr))
                rc = EXIT_RUNTIME;
            plan_compare_hists_free(hist, n_metrics);
        }
        for (int k = 0; k < n; k++)
            provenance_release(&ps[k]);
        free(ps);
        free(provs);
        free(diff);
        free(p_less);
    }
    for (int k = 0; k < n; k++)
        mc_result_release(&res[k]);
    for (int k = 0; k < loaded; k++)
        spec_release(&specs[k]);
    free(specs);
    free(res);
    free(reps);
    session_close(&ss);
    return rc;
}

/* ---- solve */

static bool parse_number_opt(const char *name, const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (end == text || *end || !isfinite(*out)) {
        fprintf(stderr, "trainsim: error: --%s: expected a number, got '%s'\n", name, text);
        return false;
    }
    return true;
}

/* What an evaluation of solve needs, and the report of each (by slot). */
struct solve_ctx {
    struct session *ss;
    const struct plan_target *t;
    const char *path;
    const char *quantiles; /* --set sim.quantiles=[...] with the target's quantile in */
    struct report *reps;   /* PLAN_MAX_EVALS */
    int rc;
};

/* Runs the scenario with PATH = x (a plan_eval_fn). */
static bool solve_eval(void *ctx, int slot, double x, struct solve_eval *e)
{
    struct solve_ctx *c = ctx;
    struct plan_overrides ov;
    struct spec s;
    c->rc = load_variant(c->ss, c->ss->o->files[0], plan_solve_overrides(c->quantiles, c->path, x, &ov), 2, &s);
    if (c->rc != EXIT_OK)
        return false;
    c->ss->d.quiet_warnings = true;
    struct mc_result res;
    run_one(&s, c->ss->o, c->ss->o->threads, &res, &c->reps[slot]);
    plan_solve_measure(c->t, &res, e);
    mc_result_release(&res);
    spec_release(&s);
    /* The marks see a spec without inputs (solve always did so: it marked after the
     * release), so every all-zero metric reads "not modelled" here, unlike in `run`. */
    provenance_mark_not_modelled(&c->reps[slot], &s);
    return true;
}

int plan_solve(const struct cli_options *o)
{
    if (o->n_vary != 1 || !o->target) {
        fputs("trainsim: error: solve needs one --vary PATH and a --target 'METRIC.STAT OP VALUE'\n", stderr);
        return EXIT_INPUT;
    }
    struct plan_target t;
    char err[PLAN_ERR_SIZE];
    const enum plan_target_status ts = plan_target_parse(o->target, &t, err, sizeof err);
    if (ts == PLAN_TARGET_BAD)
        plan_error(err);
    if (ts == PLAN_TARGET_UNKNOWN_METRIC)
        command_find_metric("--target", t.metric_name, &t.metric); /* says so, with the nearest */
    if (ts != PLAN_TARGET_OK)
        return EXIT_INPUT;
    struct plan_vary v;
    if (!plan_vary_parse(o->vary[0], false, &v, err, sizeof err)) {
        plan_error(err);
        return EXIT_INPUT;
    }
    if (v.n) {
        fputs("trainsim: error: solve: --vary takes a path only; give the range with --min, --max and --step\n", stderr);
        plan_vary_release(&v);
        return EXIT_INPUT;
    }
    struct session ss;
    int rc = session_open(&ss, o);
    struct spec base;
    if (rc == EXIT_OK)
        rc = load_variant(&ss, o->files[0], NULL, 0, &base);
    if (rc != EXIT_OK) {
        session_close(&ss);
        return rc;
    }
    struct plan_param pp;
    plan_param_of(&base, v.path, &pp);
    const struct key_rule *rule = load_key_rule(v.path);
    if (rule) {
        pp.has_rule = true;
        pp.rule_is_int = rule->type == KEY_INT;
        pp.rule_lo = rule->lo;
        pp.rule_hi = rule->hi;
        pp.rule_lo_open = rule->flags & KEY_LO_OPEN;
        pp.rule_hi_open = rule->flags & KEY_HI_OPEN;
    }
    double min = NAN, max = NAN, step = NAN;
    struct plan_solve_setup su = { 0 };
    if ((o->min && !parse_number_opt("min", o->min, &min)) || (o->max && !parse_number_opt("max", o->max, &max)) ||
        (o->step && !parse_number_opt("step", o->step, &step))) {
        rc = EXIT_INPUT;
    } else if (!plan_solve_setup(&base, v.path, &t, &pp, min, max, step, &su, err, sizeof err)) {
        plan_error(err);
        rc = EXIT_INPUT;
    }
    struct solve_ctx c = { .ss = &ss, .t = &t, .path = v.path, .quantiles = su.quantiles,
                           .reps = xcalloc(PLAN_MAX_EVALS, sizeof *c.reps) };
    struct plan_solver sv = { .lo = su.lo, .step = su.step, .k_max = su.k_max, .largest = o->largest, .eval = solve_eval,
                              .ctx = &c };
    if (rc == EXIT_OK) {
        plan_solver_run(&sv);
        if (sv.outcome == PLAN_SOLVE_FAILED)
            rc = c.rc != EXIT_OK ? c.rc : EXIT_RUNTIME;
    }
    if (rc == EXIT_OK) {
        char msg[512];
        plan_solve_message(&sv, v.path, o->target, msg, sizeof msg);
        struct solve_report sr = { .vary = v.path, .target = o->target, .is_largest = o->largest,
                                   .is_integer = su.is_int, .has_answer = sv.answer >= 0,
                                   .is_monotone = sv.is_monotone, .lo = su.lo,
                                   .hi = su.lo + (double)su.k_max * su.step, .step = su.step, .n_evals = sv.n_evals,
                                   .evals = sv.evals, .message = msg };
        if (sv.answer >= 0) {
            sr.answer = sv.evals[sv.answer].x;
            sr.is_met = sv.evals[sv.answer].is_met;
            sr.at_answer = &c.reps[sv.slot[sv.answer]];
        }
        if (sv.neighbour >= 0) {
            sr.has_neighbour = true;
            sr.neighbour = sv.evals[sv.neighbour].x;
            sr.at_neighbour = &c.reps[sv.slot[sv.neighbour]];
        }
        struct provenance_store ps;
        provenance_build(&ps, &base, o, &ss.d);
        sr.prov = &ps.p;
        rc = emit(o, emit_solve, &sr);
        provenance_release(&ps);
    }
    free(c.reps);
    spec_release(&base);
    plan_vary_release(&v);
    session_close(&ss);
    return rc;
}

/* ---- sensitivity */

int plan_sensitivity(const struct cli_options *o)
{
    struct session ss;
    int rc = session_open(&ss, o);
    int metrics[REPORT_MAX_METRICS], n_metrics = 0;
    if (rc == EXIT_OK && !pick_metrics(o, false, metrics, &n_metrics))
        rc = EXIT_INPUT;
    struct spec s;
    if (rc == EXIT_OK)
        rc = load_variant(&ss, o->files[0], NULL, 0, &s);
    if (rc != EXIT_OK) {
        session_close(&ss);
        return rc;
    }
    struct sensitivity_analysis an;
    sensitivity_analyse(&s, metrics, n_metrics, o->sobol_samples, o->threads, &an);
    struct sensitivity_report sr;
    sensitivity_analysis_report(&an, &s, &sr);
    if (an.n_uncertain == 0 && !o->quiet)
        fprintf(stderr, "trainsim: warning: %s has no uncertain inputs: only elasticities to rank\n", o->files[0]);
    struct provenance_store ps;
    provenance_build(&ps, &s, o, &ss.d);
    provenance_apply(&an.base_rep, &ps, &s);
    rc = emit(o, emit_sensitivity, &sr);
    provenance_release(&ps);
    if (rc == EXIT_OK && o->plot_dir && !plot_sensitivity(o->plot_dir, &sr))
        rc = EXIT_RUNTIME;
    sensitivity_analysis_release(&an);
    spec_release(&s);
    session_close(&ss);
    return rc;
}
