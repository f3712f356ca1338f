/*
 * plan.c - sweep, compare, solve and sensitivity: what-if questions on top of the engine.
 *
 * Every command here runs several variants of a scenario. Variants are made the way a user
 * makes them, with --set overrides applied by the loader, so each variant is validated like
 * a file. Because every draw is keyed by (seed, sample, key path), sample i of every variant
 * shares all draws except those of the inputs that differ: comparisons are paired (common
 * random numbers) and the answers are low-noise.
 *
 * This file is wiring: options -> the library (trainsim.c, through trainsim_internal.h:
 * the same sweep, compare, solve and sensitivity as libtrainsim.so's, over sample/plan.c
 * and sample/sensitivity.c) -> output/write_plan.c. What is parsed here is the command
 * line: --vary values and the grid of points, --target, --min/--max/--step, --metric.
 */
#include "plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/result.h"
#include "core/spec.h"
#include "output/plot.h"
#include "output/write_plan.h"
#include "output/writer.h"
#include "provenance.h"
#include "sample/plan.h"
#include "trainsim_internal.h"
#include "util/outfile.h"
#include "util/xalloc.h"

/* The metrics sweep and sensitivity report unless --metric says otherwise. */
static const char *const default_metrics[] = { "wall_days", "facility_energy_kwh", "total_co2e_kg", "cost_usd" };

/* Starts the session of a planning command: the --format check, then the catalogs. */
static int session_open(struct command_session *ss, const struct cli_options *o)
{
    command_session_init(ss, o, o->quiet);
    const char *report = o->command == CLI_SWEEP ? "sweep" : o->command == CLI_COMPARE ? "compare"
                       : o->command == CLI_SOLVE ? "solve" : "sensitivity";
    if (o->format && !write_plan_format_known(report, o->format)) {
        fprintf(stderr, "trainsim: error: --format: unknown format '%s' for %s (expected %s)\n", o->format, report,
                write_plan_formats(report));
        return EXIT_INPUT;
    }
    return command_session_catalogs(ss);
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

/* How compare and solve run their scenarios: as the command line says. */
static struct ts_api_run_options run_options(const struct cli_options *o, bool keep_rows)
{
    return (struct ts_api_run_options){ .threads = o->threads, .nominal = o->nominal,
                                        .show_progress = !o->quiet && o->threads != 1, .keep_rows = keep_rows };
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
    struct command_session ss;
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
    char **sets = NULL;
    const char **texts = NULL;
    double *nums = NULL;
    long n_made = 0;
    struct trainsim_result **res = NULL;
    if (rc == EXIT_OK) {
        sets = xcalloc((size_t)(n_points * n_vary), sizeof *sets);
        texts = xcalloc((size_t)(n_points * n_vary), sizeof *texts);
        nums = xcalloc((size_t)(n_points * n_vary), sizeof *nums);
        /* Point p takes value (p / stride_v) % n_v of each --vary: the last varies fastest. */
        for (long p = 0; p < n_points && rc == EXIT_OK; p++) {
            int idx[CLI_MAX_VARY];
            plan_grid_point(vary, n_vary, p, idx);
            for (int v = 0; v < n_vary && rc == EXIT_OK; v++) {
                const long j = p * n_vary + v;
                const int len = snprintf(NULL, 0, "%s=%s", vary[v].path, vary[v].text[idx[v]]);
                if (len >= 1024) {
                    fprintf(stderr, "trainsim: error: --vary %s: value too long\n", vary[v].path);
                    rc = EXIT_INPUT;
                }
                sets[j] = xmalloc((size_t)len + 1);
                snprintf(sets[j], (size_t)len + 1, "%s=%s", vary[v].path, vary[v].text[idx[v]]);
                n_made = j + 1;
                texts[j] = vary[v].text[idx[v]];
                nums[j] = vary[v].num[idx[v]];
            }
        }
    }
    if (rc == EXIT_OK) {
        res = xcalloc((size_t)n_points, sizeof *res);
        ts_api_scenario_source(ss.sc, o->files[0], o->sets, o->n_sets);
        const struct ts_api_run_options ro = { .threads = o->threads, .nominal = o->nominal, .show_progress = !o->quiet };
        if (!ts_api_sweep(ss.sc, (int)n_points, n_vary, (const char *const *)sets, &ro, res))
            rc = command_session_failure(&ss);
    }
    if (rc == EXIT_OK) {
        struct report *reps = xcalloc((size_t)n_points, sizeof *reps);
        for (long p = 0; p < n_points; p++) {
            reps[p] = *ts_api_result_report(res[p]);
            provenance_mark_not_modelled(&reps[p], ts_api_result_spec(res[p]));
        }
        struct sweep_report sr = { .n_vary = n_vary, .n_points = (int)n_points, .value_text = texts,
                                   .value_num = nums, .points = reps, .n_metrics = n_metrics };
        const char *paths[CLI_MAX_VARY];
        for (int v = 0; v < n_vary; v++)
            paths[v] = vary[v].path;
        sr.vary = paths;
        memcpy(sr.metrics, metrics, sizeof metrics);
        struct provenance_store ps;
        provenance_build(&ps, ts_api_result_spec(res[0]), o, &ss.d);
        sr.prov = &ps.p;
        rc = emit(o, emit_sweep, &sr);
        if (rc == EXIT_OK && o->plot_dir && !plot_sweep(o->plot_dir, &sr))
            rc = EXIT_RUNTIME;
        provenance_release(&ps);
        free(reps);
    }
    for (long p = 0; res && p < n_points; p++)
        trainsim_result_free(res[p]);
    free(res);
    for (long j = 0; j < n_made; j++)
        free(sets[j]);
    free(sets);
    free(texts);
    free(nums);
    for (int v = 0; v < n_vary; v++)
        plan_vary_release(&vary[v]);
    command_session_close(&ss);
    return rc;
}

/* ---- compare */

int plan_compare(const struct cli_options *o)
{
    struct command_session ss;
    int rc = session_open(&ss, o);
    const int n = o->n_files;
    int metrics[REPORT_MAX_METRICS], n_metrics = 0;
    if (rc == EXIT_OK && !pick_metrics(o, true, metrics, &n_metrics))
        rc = EXIT_INPUT;
    struct trainsim_scenario **scs = xcalloc((size_t)n, sizeof *scs);
    struct trainsim_result **res = xcalloc((size_t)n, sizeof *res);
    struct report *reps = xcalloc((size_t)n, sizeof *reps);
    for (int k = 0; k < n && rc == EXIT_OK; k++) {
        scs[k] = k ? ts_api_scenario_new_sharing(ss.sc) : ss.sc;
        rc = command_session_load(&ss, scs[k], o->files[k]);
    }
    if (rc == EXIT_OK) {
        /* Pairing needs the same samples and seed everywhere: the first scenario's. */
        for (int k = 1; k < n; k++)
            if (ts_api_scenario_pair(scs[k], scs[0]) && !o->quiet)
                fprintf(stderr, "trainsim: warning: %s: using %ld samples and seed %lu of %s, to pair the samples\n",
                        o->files[k], trainsim_scenario_samples(scs[0]), trainsim_scenario_seed(scs[0]), o->files[0]);
        const struct ts_api_run_options ro = run_options(o, true);
        for (int k = 0; k < n; k++)
            res[k] = ts_api_run(scs[k], &ro);
        struct metric_stats *diff = xcalloc((size_t)(n - 1) * REPORT_MAX_METRICS, sizeof *diff);
        double *p_less = xcalloc((size_t)(n - 1) * REPORT_MAX_METRICS, sizeof *p_less);
        for (int k = 1; k < n; k++)
            for (int i = 0; i < n_metrics; i++) {
                const int j = (k - 1) * REPORT_MAX_METRICS + i;
                ts_api_compare(res[0], res[k], metrics[i], &diff[j], &p_less[j]);
            }
        struct provenance_store *ps = xcalloc((size_t)n, sizeof *ps);
        struct provenance *provs = xcalloc((size_t)n, sizeof *provs);
        for (int k = 0; k < n; k++) {
            const struct spec *s = ts_api_result_spec(res[k]);
            reps[k] = *ts_api_result_report(res[k]);
            provenance_build(&ps[k], s, o, &ss.d);
            provenance_apply(&reps[k], &ps[k], s);
            provs[k] = ps[k].p;
        }
        struct compare_report cr = { .n_scenarios = n, .scenarios = reps, .difference = diff, .p_a_less = p_less,
                                     .n_metrics = n_metrics, .provs = provs };
        memcpy(cr.metrics, metrics, sizeof metrics);
        rc = emit(o, emit_compare, &cr);
        if (rc == EXIT_OK && o->plot_dir) {
            const struct mc_result **rows = xcalloc((size_t)n, sizeof *rows);
            for (int k = 0; k < n; k++)
                rows[k] = ts_api_result_rows(res[k]);
            struct compare_hist *hist = plan_compare_hists(rows, n, metrics, n_metrics);
            free(rows);
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
        trainsim_result_free(res[k]);
    for (int k = 1; k < n; k++)
        trainsim_scenario_free(scs[k]); /* before ss.sc, whose catalogs they share */
    free(scs);
    free(res);
    free(reps);
    command_session_close(&ss);
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

/* The reports of a solve at the answer and its neighbour, marked as solve always marked
 * them: against a spec without inputs (it marked after releasing the evaluation's spec), so
 * every all-zero metric reads "not modelled" here, unlike in `run`. */
static void solve_marks(struct solve_report *sr, struct report at[2])
{
    const struct spec none = { 0 };
    const struct report **which[2] = { &sr->at_answer, &sr->at_neighbour };
    for (int i = 0; i < 2; i++)
        if (*which[i]) {
            at[i] = **which[i];
            provenance_mark_not_modelled(&at[i], &none);
            *which[i] = &at[i];
        }
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
    struct command_session ss;
    int rc = session_open(&ss, o);
    if (rc == EXIT_OK)
        rc = command_session_load(&ss, ss.sc, o->files[0]);
    double min = NAN, max = NAN, step = NAN;
    if (rc == EXIT_OK &&
        ((o->min && !parse_number_opt("min", o->min, &min)) || (o->max && !parse_number_opt("max", o->max, &max)) ||
         (o->step && !parse_number_opt("step", o->step, &step))))
        rc = EXIT_INPUT;
    struct trainsim_solve *sol = NULL;
    if (rc == EXIT_OK) {
        const struct ts_api_run_options ro = run_options(o, false);
        sol = ts_api_solve(ss.sc, v.path, o->target, min, max, step, o->largest, &ro);
        if (!sol)
            rc = command_session_failure(&ss);
    }
    if (rc == EXIT_OK) {
        struct solve_report sr;
        ts_api_solve_report(sol, &sr);
        struct report at[2];
        solve_marks(&sr, at);
        struct provenance_store ps;
        provenance_build(&ps, ts_api_scenario_spec(ss.sc), o, &ss.d);
        sr.prov = &ps.p;
        rc = emit(o, emit_solve, &sr);
        provenance_release(&ps);
    }
    trainsim_solve_free(sol);
    plan_vary_release(&v);
    command_session_close(&ss);
    return rc;
}

/* ---- sensitivity */

int plan_sensitivity(const struct cli_options *o)
{
    struct command_session ss;
    int rc = session_open(&ss, o);
    int metrics[REPORT_MAX_METRICS], n_metrics = 0;
    if (rc == EXIT_OK && !pick_metrics(o, false, metrics, &n_metrics))
        rc = EXIT_INPUT;
    if (rc == EXIT_OK)
        rc = command_session_load(&ss, ss.sc, o->files[0]);
    struct trainsim_sensitivity *an = NULL;
    if (rc == EXIT_OK) {
        an = trainsim_sensitivity(ss.sc, metrics, n_metrics, o->sobol_samples, o->threads);
        if (!an)
            rc = command_session_failure(&ss);
    }
    if (rc == EXIT_OK) {
        struct sensitivity_report sr;
        ts_api_sensitivity_report(an, &sr);
        if (trainsim_sensitivity_n_uncertain(an) == 0 && !o->quiet)
            fprintf(stderr, "trainsim: warning: %s has no uncertain inputs: only elasticities to rank\n", o->files[0]);
        const struct spec *s = ts_api_scenario_spec(ss.sc);
        struct provenance_store ps;
        provenance_build(&ps, s, o, &ss.d);
        provenance_apply(ts_api_sensitivity_base_report(an), &ps, s);
        rc = emit(o, emit_sensitivity, &sr);
        provenance_release(&ps);
        if (rc == EXIT_OK && o->plot_dir && !plot_sensitivity(o->plot_dir, &sr))
            rc = EXIT_RUNTIME;
    }
    trainsim_sensitivity_free(an);
    command_session_close(&ss);
    return rc;
}
