/*
 * plan.c - sweep, compare, solve and sensitivity: what-if questions on top of the engine.
 *
 * Every command here runs several variants of a scenario. Variants are made the way a user
 * makes them, with --set overrides applied by the loader, so each variant is validated like
 * a file. Because every draw is keyed by (seed, sample, key path), sample i of every variant
 * shares all draws except those of the inputs that differ: comparisons are paired (common
 * random numbers) and the answers are low-noise.
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
#include "sample/sensitivity.h"
#include "util/diag.h"
#include "util/outfile.h"
#include "util/par.h"
#include "util/timeutil.h"
#include "util/xalloc.h"


enum {
    PLAN_MAX_POINTS = 10000,   /* sweep grid */
    PLAN_MAX_EVALS = 64,       /* solve */
    PLAN_DEFAULT_SOBOL = 512,  /* sensitivity: N of the Saltelli design */
    PLAN_BOOTSTRAP = 200,      /* bootstrap resamples for the Sobol intervals */
};

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

/* The values of one --vary PATH=SPEC: a list V1,V2 (commas inside {} or [] do not split),
 * a range START:STOP:STEP, or a geometric range START:STOP*FACTOR. */
struct vary {
    char path[256];
    int n;
    char **text;   /* owned */
    double *num;   /* numeric value, seconds since 1970 for dates, NAN otherwise */
};

static void vary_release(struct vary *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->text[i]);
    free(v->text);
    free(v->num);
}

static void vary_add(struct vary *v, const char *text, size_t len)
{
    v->text = xrealloc(v->text, (size_t)(v->n + 1) * sizeof *v->text);
    v->num = xrealloc(v->num, (size_t)(v->n + 1) * sizeof *v->num);
    v->text[v->n] = xstrndup(text, len);
    char *end;
    double x = strtod(v->text[v->n], &end);
    const char *why;
    if (end == v->text[v->n] || *end)
        x = time_parse_iso8601(v->text[v->n], &x, &why) ? x : (double)NAN;
    v->num[v->n] = x;
    v->n++;
}

/* Parses "a:b:c" or "a:b*c" when all three are numbers. */
static bool parse_range(const char *spec, double *a, double *b, double *c, bool *geometric)
{
    char *end;
    *a = strtod(spec, &end);
    if (end == spec || *end != ':')
        return false;
    const char *p = end + 1;
    *b = strtod(p, &end);
    if (end == p || (*end != ':' && *end != '*'))
        return false;
    *geometric = *end == '*';
    p = end + 1;
    *c = strtod(p, &end);
    return end != p && *end == '\0' && isfinite(*a) && isfinite(*b) && isfinite(*c);
}

static bool parse_vary(const char *arg, struct vary *v, bool values_required)
{
    memset(v, 0, sizeof *v);
    const char *eq = strchr(arg, '=');
    if (!values_required && !eq) {
        snprintf(v->path, sizeof v->path, "%s", arg);
        return true;
    }
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof v->path || !eq[1]) {
        fprintf(stderr, "trainsim: error: --vary: expected PATH=V1,V2,... or PATH=START:STOP:STEP or "
                        "PATH=START:STOP*FACTOR, got '%s'\n", arg);
        return false;
    }
    snprintf(v->path, sizeof v->path, "%.*s", (int)(eq - arg), arg);
    const char *spec = eq + 1;
    double a, b, c;
    bool geometric;
    if (parse_range(spec, &a, &b, &c, &geometric)) {
        if (b < a || (geometric ? !(c > 1) || !(a > 0) : !(c > 0))) {
            fprintf(stderr, "trainsim: error: --vary %s: the range %s is empty or endless (need START <= STOP and "
                            "STEP > 0, or START > 0 and FACTOR > 1)\n", v->path, spec);
            return false;
        }
        for (int k = 0; k <= PLAN_MAX_POINTS; k++) {
            const double x = geometric ? a * pow(c, k) : a + k * c;
            if (x > b + 1e-9 * fabs(b))
                break;
            char buf[64];
            snprintf(buf, sizeof buf, "%.10g", x);
            vary_add(v, buf, strlen(buf));
        }
    } else {
        int depth = 0;
        const char *start = spec;
        for (const char *p = spec;; p++) {
            if (*p == '{' || *p == '[')
                depth++;
            else if (*p == '}' || *p == ']')
                depth--;
            if ((*p == ',' && depth == 0) || *p == '\0') {
                if (p == start) {
                    fprintf(stderr, "trainsim: error: --vary %s: empty value in '%s'\n", v->path, spec);
                    vary_release(v);
                    return false;
                }
                vary_add(v, start, (size_t)(p - start));
                start = p + 1;
            }
            if (*p == '\0')
                break;
        }
    }
    if (v->n > PLAN_MAX_POINTS) {
        fprintf(stderr, "trainsim: error: --vary %s: more than %d values\n", v->path, PLAN_MAX_POINTS);
        vary_release(v);
        return false;
    }
    return true;
}

int plan_sweep(const struct cli_options *o)
{
    if (o->n_vary == 0) {
        fputs("trainsim: error: sweep needs at least one --vary PATH=VALUES\n", stderr);
        return EXIT_INPUT;
    }
    struct session ss;
    int rc = session_open(&ss, o);
    struct vary vary[CLI_MAX_VARY];
    int n_vary = 0;
    int metrics[REPORT_MAX_METRICS], n_metrics = 0;
    long n_points = 1;
    for (int i = 0; rc == EXIT_OK && i < o->n_vary; i++) {
        if (!parse_vary(o->vary[i], &vary[i], true)) {
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
            long stride = 1;
            for (int v = n_vary - 1; v >= 0; v--) {
                const int idx = (int)((p / stride) % vary[v].n);
                stride *= vary[v].n;
                snprintf(sets[v], sizeof sets[v], "%s=%s", vary[v].path, vary[v].text[idx]);
                set_ptrs[v] = sets[v];
                texts[p * n_vary + v] = vary[v].text[idx];
                nums[p * n_vary + v] = vary[v].num[idx];
            }
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
        vary_release(&vary[v]);
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
        double *d = xmalloc((size_t)ns * sizeof *d);
        for (int k = 1; k < n; k++) {
            for (int i = 0; i < n_metrics; i++) {
                const int m = metrics[i];
                long less = 0;
                bool modelled = true; /* a metric one scenario does not model has no difference */
                for (long j = 0; j < ns; j++) {
                    const double a = res[0].metrics[j * METRIC_COUNT + m], b = res[k].metrics[j * METRIC_COUNT + m];
                    d[j] = b - a;
                    less += a < b;
                    modelled &= !isnan(d[j]);
                }
                montecarlo_stats(d, ns, specs[0].n_quantiles, specs[0].quantiles,
                                 &diff[(k - 1) * REPORT_MAX_METRICS + i]);
                p_less[(k - 1) * REPORT_MAX_METRICS + i] = modelled ? (double)less / (double)ns : (double)NAN;
            }
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
            const double **values = xcalloc((size_t)n, sizeof *values);
            for (int k = 0; k < n; k++)
                values[k] = res[k].metrics;
            if (!plot_compare(o->plot_dir, &cr, values, ns, METRIC_COUNT))
                rc = EXIT_RUNTIME;
            free(values);
        }
        for (int k = 0; k < n; k++)
            provenance_release(&ps[k]);
        free(ps);
        free(provs);
        free(d);
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

struct target {
    int metric;
    bool is_mean;
    double q;          /* quantile in (0, 1) when !is_mean */
    bool is_le;        /* <= (else >=) */
    double value;
};

static bool parse_target(const char *text, struct target *t)
{
    char metric[64], stat[32], op[3];
    const char *dot = strchr(text, '.');
    const char *opp = strpbrk(text, "<>");
    if (!dot || !opp || dot > opp || (size_t)(dot - text) >= sizeof metric || (size_t)(opp - dot - 1) >= sizeof stat)
        goto bad;
    snprintf(metric, sizeof metric, "%.*s", (int)(dot - text), text);
    snprintf(stat, sizeof stat, "%.*s", (int)(opp - dot - 1), dot + 1);
    while (strlen(stat) && stat[strlen(stat) - 1] == ' ')
        stat[strlen(stat) - 1] = '\0';
    if (opp[1] != '=') {
        fprintf(stderr, "trainsim: error: --target: '%c' is not allowed, only <= and >= (a statistic of samples "
                        "meets a bound or not), got '%s'\n", opp[0], text);
        return false;
    }
    snprintf(op, sizeof op, "%.2s", opp);
    t->is_le = op[0] == '<';
    char *end;
    t->value = strtod(opp + 2, &end);
    while (*end == ' ')
        end++;
    if (end == opp + 2 || *end || !isfinite(t->value))
        goto bad;
    if (!command_find_metric("--target", metric, &t->metric))
        return false;
    t->is_mean = strcmp(stat, "mean") == 0;
    if (!t->is_mean) {
        t->q = stat[0] == 'p' ? strtod(stat + 1, &end) / 100.0 : (double)NAN;
        if (stat[0] != 'p' || end == stat + 1 || *end || !(t->q > 0 && t->q < 1)) {
            fprintf(stderr, "trainsim: error: --target: the statistic must be mean or a quantile like p90 or p99.5, "
                            "got '%s'\n", stat);
            return false;
        }
    }
    return true;
bad:
    fprintf(stderr, "trainsim: error: --target: expected 'METRIC.STAT OP VALUE' such as 'wall_days.p90<=30', got "
                    "'%s'\n", text);
    return false;
}

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

struct solver {
    struct session *ss;
    const struct target *t;
    const char *path;
    double lo, step;
    long k_max;
    struct solve_eval evals[PLAN_MAX_EVALS];
    long eval_k[PLAN_MAX_EVALS];
    struct report reps[PLAN_MAX_EVALS];
    int n_evals;
    int rc;
    const char *quantiles; /* --set sim.quantiles=[...] with the target's quantile in */
};

/* Evaluates grid point k (cached): runs the scenario with PATH = lo + k step. Returns the
 * index of the evaluation, or -1 on error (rc set). */
static int solver_eval(struct solver *sv, long k)
{
    for (int i = 0; i < sv->n_evals; i++)
        if (sv->eval_k[i] == k)
            return i;
    if (sv->n_evals == PLAN_MAX_EVALS)
        return -1;
    const double x = sv->lo + (double)k * sv->step;
    char set[1024];
    snprintf(set, sizeof set, "%s=%.10g", sv->path, x);
    const char *sets[2] = { sv->quantiles, set };
    struct spec s;
    sv->rc = load_variant(sv->ss, sv->ss->o->files[0], sets, 2, &s);
    if (sv->rc != EXIT_OK)
        return -1;
    sv->ss->d.quiet_warnings = true;
    const int i = sv->n_evals++;
    struct mc_result res;
    run_one(&s, sv->ss->o, sv->ss->o->threads, &res, &sv->reps[i]);
    struct metric_stats st;
    montecarlo_metric_stats(&res, sv->t->metric, 1, &sv->t->q, &st);
    const double stat = sv->t->is_mean ? st.mean : st.q[0];
    mc_result_release(&res);
    spec_release(&s);
    sv->eval_k[i] = k;
    sv->evals[i] = (struct solve_eval){ x, stat, sv->t->is_le ? stat <= sv->t->value : stat >= sv->t->value,
                                        sv->reps[i].unfinished_samples > 0 };
    provenance_mark_not_modelled(&sv->reps[i], &s);
    return i;
}

int plan_solve(const struct cli_options *o)
{
    struct target t = { 0 };
    if (o->n_vary != 1 || !o->target) {
        fputs("trainsim: error: solve needs one --vary PATH and a --target 'METRIC.STAT OP VALUE'\n", stderr);
        return EXIT_INPUT;
    }
    if (!parse_target(o->target, &t))
        return EXIT_INPUT;
    struct vary v;
    if (!parse_vary(o->vary[0], &v, false))
        return EXIT_INPUT;
    if (v.n) {
        fputs("trainsim: error: solve: --vary takes a path only; give the range with --min, --max and --step\n", stderr);
        vary_release(&v);
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
    /* Defaults: the current value /8 .. x8; counts step by 1 from one node. */
    const bool is_count = strcmp(v.path, "cluster.count") == 0;
    double current = NAN;
    if (is_count)
        current = (double)base.count;
    for (int i = 0; i < base.n_inputs; i++)
        if (strcmp(base.inputs[i].path, v.path) == 0)
            current = base.inputs[i].central;
    /* The search range: the key's valid range intersected with /8 .. x8 of the current value
     * (never a PUE below 1 or an MFU above 1); integers step by whole numbers. */
    const struct key_rule *rule = load_key_rule(v.path);
    const bool is_int = is_count || (rule && rule->type == KEY_INT);
    double lo = is_count ? (double)base.gpus_per_node : current / 8, hi = current * 8, step = NAN;
    if (is_count)
        hi = 64.0 * (double)base.count;
    if (rule && !is_count && !isnan(current)) {
        const double span = rule->hi - rule->lo;
        const double nudge = isfinite(span) && span > 0 ? 1e-6 * span : 1e-6 * fmax(fabs(current), 1e-300);
        lo = fmax(lo, (rule->flags & KEY_LO_OPEN) ? rule->lo + nudge : rule->lo);
        hi = fmin(hi, (rule->flags & KEY_HI_OPEN) ? rule->hi - nudge : rule->hi);
    }
    if (is_int && !isnan(lo)) {
        lo = ceil(lo);
        hi = floor(hi);
    }
    /* The target's statistic is among the reported quantiles, so the table shows it. */
    char quantiles[512];
    int nq = snprintf(quantiles, sizeof quantiles, "sim.quantiles=[");
    bool have_q = t.is_mean;
    for (int i = 0; i < base.n_quantiles; i++) {
        if (!have_q && t.q < base.quantiles[i]) {
            nq += snprintf(quantiles + nq, sizeof quantiles - (size_t)nq, "%s%.10g", i ? ", " : "", t.q);
            have_q = true;
        } else if (!have_q && t.q == base.quantiles[i]) {
            have_q = true;
        }
        nq += snprintf(quantiles + nq, sizeof quantiles - (size_t)nq, "%s%.10g", i || nq > 16 ? ", " : "",
                       base.quantiles[i]);
    }
    if (!have_q)
        nq += snprintf(quantiles + nq, sizeof quantiles - (size_t)nq, ", %.10g", t.q);
    snprintf(quantiles + nq, sizeof quantiles - (size_t)nq, "]");
    if ((o->min && !parse_number_opt("min", o->min, &lo)) || (o->max && !parse_number_opt("max", o->max, &hi)) ||
        (o->step && !parse_number_opt("step", o->step, &step))) {
        spec_release(&base);
        session_close(&ss);
        return EXIT_INPUT;
    }
    if (isnan(step))
        step = is_count ? 1 : is_int ? fmax(1, floor((hi - lo) / 1000)) : (hi - lo) / 1000;
    if (isnan(lo) || isnan(hi) || !(hi > lo) || !(step > 0) || (hi - lo) / step > 1e9) {
        fprintf(stderr, "trainsim: error: solve: give --min < --max and --step > 0 for %s%s\n", v.path,
                isnan(current) ? " (it is not a number the scenario sets, so there is no default range)" : "");
        spec_release(&base);
        session_close(&ss);
        return EXIT_INPUT;
    }
    struct solver sv = { .ss = &ss, .t = &t, .path = v.path, .lo = lo, .step = step, .quantiles = quantiles,
                         .k_max = (long)floor((hi - lo) / step + 1e-9) };
    /* Look for the boundary between "fails" and "meets" along k, assuming one exists:
     * smallest: fails ... fails meets ... meets; largest: meets ... meets fails ... fails. */
    const bool largest = o->largest;
    long good = -1, bad = -1; /* k where the target holds / fails, adjacent at the end */
    char msg[512] = "";
    const int e_lo = solver_eval(&sv, 0), e_hi = e_lo >= 0 ? solver_eval(&sv, sv.k_max) : -1;
    if (e_lo < 0 || e_hi < 0) {
        rc = sv.rc != EXIT_OK ? sv.rc : EXIT_RUNTIME;
    } else {
        const bool met_lo = sv.evals[e_lo].is_met, met_hi = sv.evals[e_hi].is_met;
        const bool want_at_far_end = largest ? met_lo : met_hi; /* the end that should meet */
        const bool other_end = largest ? met_hi : met_lo;
        if (!want_at_far_end && !other_end) {
            snprintf(msg, sizeof msg, "unreachable: the target %s is not met anywhere in [%.10g, %.10g]", o->target,
                     lo, lo + (double)sv.k_max * step);
        } else if (!want_at_far_end && other_end) {
            snprintf(msg, sizeof msg, "not monotone the expected way: the target is met at %s = %.10g but not at "
                                      "%.10g; try %s",
                     v.path, largest ? lo + (double)sv.k_max * step : lo, largest ? lo : lo + (double)sv.k_max * step,
                     largest ? "without --largest" : "--largest");
        } else if (other_end) {
            good = largest ? sv.k_max : 0; /* met everywhere the search looks: the range's end */
        } else {
            long k_bad = largest ? sv.k_max : 0, k_good = largest ? 0 : sv.k_max;
            while (labs(k_good - k_bad) > 1) {
                const long mid = (k_good + k_bad) / 2;
                const int e = solver_eval(&sv, mid);
                if (e < 0)
                    break;
                if (sv.evals[e].is_met)
                    k_good = mid;
                else
                    k_bad = mid;
            }
            good = k_good;
            bad = k_bad;
        }
        if (good >= 0) {
            /* Probe a few more points: a met/failed pattern that is not one boundary means the
             * metric is not monotone in the range, and the answer is only a local one. */
            const long probes[] = { sv.k_max / 4, sv.k_max / 2, 3 * sv.k_max / 4 };
            for (int i = 0; i < 3; i++)
                solver_eval(&sv, probes[i]);
        }
    }
    bool monotone = true;
    for (int i = 0; i < sv.n_evals; i++)
        for (int j = 0; j < sv.n_evals; j++)
            if (sv.eval_k[i] < sv.eval_k[j] && sv.evals[i].is_met != sv.evals[j].is_met &&
                sv.evals[i].is_met == !largest)
                monotone = false;
    if (rc == EXIT_OK) {
        struct solve_report sr = { .vary = v.path, .target = o->target, .is_largest = largest, .is_integer = is_int,
                                   .has_answer = good >= 0,
                                   .is_monotone = monotone, .lo = lo, .hi = lo + (double)sv.k_max * step,
                                   .step = step, .n_evals = sv.n_evals, .evals = sv.evals };
        /* Evaluations in order of the parameter, for the report. */
        for (int a = 1; a < sv.n_evals; a++)
            for (int b = a; b > 0 && sv.eval_k[b - 1] > sv.eval_k[b]; b--) {
                const long tk = sv.eval_k[b];
                sv.eval_k[b] = sv.eval_k[b - 1];
                sv.eval_k[b - 1] = tk;
                const struct solve_eval te = sv.evals[b];
                sv.evals[b] = sv.evals[b - 1];
                sv.evals[b - 1] = te;
                const struct report tr = sv.reps[b];
                sv.reps[b] = sv.reps[b - 1];
                sv.reps[b - 1] = tr;
            }
        for (int i = 0; i < sv.n_evals; i++) {
            if (sv.eval_k[i] == good) {
                sr.answer = sv.evals[i].x;
                sr.is_met = sv.evals[i].is_met;
                sr.at_answer = &sv.reps[i];
            }
            if (sv.eval_k[i] == bad) {
                sr.has_neighbour = true;
                sr.neighbour = sv.evals[i].x;
                sr.at_neighbour = &sv.reps[i];
            }
        }
        if (good >= 0) {
            char ans[64];
            writer_human_number(sr.answer, ans, sizeof ans);
            snprintf(msg, sizeof msg, "answer: %s = %.10g meets %s%s%s", v.path, sr.answer, o->target,
                     bad >= 0 ? "; one step " : " everywhere in the range (the answer is the range's end)",
                     bad >= 0 ? (largest ? "above fails it" : "below fails it") : "");
            if (!monotone)
                strncat(msg, "; WARNING: the metric is not monotone in the range, this is one crossing of several",
                        sizeof msg - strlen(msg) - 1);
        }
        sr.message = msg;
        struct provenance_store ps;
        provenance_build(&ps, &base, o, &ss.d);
        sr.prov = &ps.p;
        rc = emit(o, emit_solve, &sr);
        provenance_release(&ps);
    }
    spec_release(&base);
    vary_release(&v);
    session_close(&ss);
    return rc;
}

/* ---- sensitivity */

/* One-at-a-time steps: each input x (1 - h) and x (1 + h) around its central value. */
static const double ELASTICITY_STEP = 0.10;

/* Means of the chosen metrics over a run of s with options mo. */
static void run_means(const struct spec *s, const struct mc_options *mo, const int *metrics, int n_metrics,
                      double *out)
{
    struct mc_result r;
    montecarlo_run(s, mo, &r);
    for (int mi = 0; mi < n_metrics; mi++) {
        double sum = 0;
        for (long i = 0; i < r.n_samples; i++)
            sum += r.metrics[i * METRIC_COUNT + metrics[mi]];
        out[mi] = sum / (double)r.n_samples;
    }
    mc_result_release(&r);
}

/* Elasticity of each metric to each input ids[0 .. n) (DESIGN 9): every per-sample input
 * held at its central value, the input of interest x (1 -+ h) in turn; event processes
 * (failures, restarts, maintenance) as drawn, with the same streams in every run, so their
 * noise cancels. A per-event input (restart_min) has its distribution scaled. The central
 * values themselves are left alone (a series is still scaled by drawn / central). The spec's
 * inputs are restored before returning. Returns the samples per run. */
static long elasticities(struct spec *s, const struct cli_options *o, const int *metrics, int n_metrics,
                         const int *ids, int n, struct sensitivity_entry *entries)
{
    struct dist *saved = xmalloc((size_t)s->n_inputs * sizeof *saved);
    for (int i = 0; i < s->n_inputs; i++) {
        struct input *in = &s->inputs[i];
        saved[i] = in->dist;
        if (in->draw == INPUT_PER_SAMPLE)
            in->dist = (struct dist){ .kind = DIST_FIXED, .value = in->central, .lo = in->central, .hi = in->central };
    }
    const bool random = s->inputs[s->failures_in].central > 0 || s->planned_per_day > 0;
    const struct mc_options mo = { .samples = random ? s->samples : 1, .seed = s->seed, .threads = o->threads };
    double f0[REPORT_MAX_METRICS], fm[REPORT_MAX_METRICS], fp[REPORT_MAX_METRICS];
    run_means(s, &mo, metrics, n_metrics, f0);
    for (int j = 0; j < n; j++) {
        struct input *in = &s->inputs[ids[j]];
        const struct dist base = in->dist;
        for (int side = 0; side < 2; side++) {
            struct dist scaled;
            sensitivity_scale_dist(&base, side ? 1 + ELASTICITY_STEP : 1 - ELASTICITY_STEP, &scaled);
            in->dist = scaled;
            run_means(s, &mo, metrics, n_metrics, side ? fp : fm);
            sensitivity_dist_release(&scaled);
        }
        in->dist = base;
        for (int mi = 0; mi < n_metrics; mi++) {
            struct sensitivity_entry *e = &entries[mi * n + j];
            e->at_minus = fm[mi];
            e->at_plus = fp[mi];
            e->elasticity = in->central != 0 ? sensitivity_elasticity(fm[mi], f0[mi], fp[mi], ELASTICITY_STEP) : (double)NAN;
        }
    }
    for (int i = 0; i < s->n_inputs; i++)
        s->inputs[i].dist = saved[i];
    free(saved);
    return mo.samples;
}

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
    const int k = spec_n_uncertain(&s);
    const long n = s.samples;
    const long n_sobol = o->sobol_samples ? o->sobol_samples : PLAN_DEFAULT_SOBOL;

    /* Base run: Spearman correlations between each drawn input and each metric. */
    struct mc_options mo = { .samples = n, .seed = s.seed, .threads = o->threads };
    struct mc_result base;
    montecarlo_run(&s, &mo, &base);
    struct report base_rep;
    montecarlo_report(&s, &mo, &base, &base_rep);

    /* Rows: the k uncertain inputs (columns of base.inputs), then every other input. */
    const int n_all = s.n_inputs;
    int *ids = xcalloc((size_t)(n_all ? n_all : 1), sizeof *ids);
    for (int j = 0; j < k; j++)
        ids[j] = base.input_ids[j];
    for (int i = 0, r = k; i < s.n_inputs; i++)
        if (!spec_input_uncertain(&s, i))
            ids[r++] = i;
    const char **paths = xcalloc((size_t)(n_all ? n_all : 1), sizeof *paths);
    double *p5 = xcalloc((size_t)(n_all ? n_all : 1), sizeof *p5), *p95 = xcalloc((size_t)(n_all ? n_all : 1), sizeof *p95);
    double *centre = xcalloc((size_t)(n_all ? n_all : 1), sizeof *centre);
    struct sensitivity_entry *entries = xcalloc((size_t)(n_metrics * (n_all ? n_all : 1)), sizeof *entries);
    for (int j = 0; j < n_all; j++) {
        const struct input *in = &s.inputs[ids[j]];
        paths[j] = in->path;
        centre[j] = in->central;
        p5[j] = montecarlo_quantile(&in->dist, 0.05);
        p95[j] = montecarlo_quantile(&in->dist, 0.95);
        for (int mi = 0; j >= k && mi < n_metrics; mi++) {
            struct sensitivity_entry *e = &entries[mi * n_all + j];
            e->spearman = e->tornado_low = e->tornado_high = NAN;
            e->sobol_first = e->sobol_first_lo = e->sobol_first_hi = NAN;
            e->sobol_total = e->sobol_total_lo = e->sobol_total_hi = NAN;
        }
    }
    double *x = xmalloc((size_t)n * sizeof *x), *y = xmalloc((size_t)n * sizeof *y);
    for (int j = 0; j < k; j++) {
        for (long i = 0; i < n; i++)
            x[i] = base.inputs[i * k + j];
        for (int mi = 0; mi < n_metrics; mi++) {
            for (long i = 0; i < n; i++)
                y[i] = base.metrics[i * METRIC_COUNT + metrics[mi]];
            entries[mi * n_all + j].spearman = sensitivity_spearman(x, y, n);
        }
    }

    /* Tornado: input j at its P5, then at its P95, every other input as drawn (same draws). */
    double *given = xmalloc((size_t)(n * (k ? k : 1)) * sizeof *given);
    for (int j = 0; j < k; j++) {
        for (int side = 0; side < 2; side++) {
            memcpy(given, base.inputs, (size_t)(n * k) * sizeof *given);
            for (long i = 0; i < n; i++)
                given[i * k + j] = side ? p95[j] : p5[j];
            struct mc_options tmo = mo;
            tmo.given_inputs = given;
            struct mc_result tr;
            montecarlo_run(&s, &tmo, &tr);
            for (int mi = 0; mi < n_metrics; mi++) {
                double sum = 0;
                for (long i = 0; i < n; i++)
                    sum += tr.metrics[i * METRIC_COUNT + metrics[mi]];
                if (side)
                    entries[mi * n_all + j].tornado_high = sum / (double)n;
                else
                    entries[mi * n_all + j].tornado_low = sum / (double)n;
            }
            mc_result_release(&tr);
        }
    }
    free(given);

    /* Sobol (Saltelli design): A = draws of samples 0..N-1, B = draws of samples N..2N-1,
     * AB_j = A with column j from B. Every run of row i shares the event streams of sample
     * i, so the events do not add noise between the matrices. */
    if (k > 0) {
        double *a = xmalloc((size_t)(n_sobol * k) * sizeof *a), *b = xmalloc((size_t)(n_sobol * k) * sizeof *b);
        double *ab = xmalloc((size_t)(n_sobol * k) * sizeof *ab);
        montecarlo_draw_inputs(&s, s.seed, 0, n_sobol, a);
        montecarlo_draw_inputs(&s, s.seed, n_sobol, n_sobol, b);
        struct mc_options so = { .samples = n_sobol, .seed = s.seed, .threads = o->threads };
        struct mc_result ra, rb;
        so.given_inputs = a;
        montecarlo_run(&s, &so, &ra);
        so.given_inputs = b;
        montecarlo_run(&s, &so, &rb);
        double *fa = xmalloc((size_t)n_sobol * sizeof *fa), *fb = xmalloc((size_t)n_sobol * sizeof *fb);
        double *fab = xmalloc((size_t)n_sobol * sizeof *fab);
        for (int j = 0; j < k; j++) {
            memcpy(ab, a, (size_t)(n_sobol * k) * sizeof *ab);
            for (long i = 0; i < n_sobol; i++)
                ab[i * k + j] = b[i * k + j];
            so.given_inputs = ab;
            struct mc_result rab;
            montecarlo_run(&s, &so, &rab);
            for (int mi = 0; mi < n_metrics; mi++) {
                const int m = metrics[mi];
                for (long i = 0; i < n_sobol; i++) {
                    fa[i] = ra.metrics[i * METRIC_COUNT + m];
                    fb[i] = rb.metrics[i * METRIC_COUNT + m];
                    fab[i] = rab.metrics[i * METRIC_COUNT + m];
                }
                struct sobol_estimate est;
                sensitivity_sobol(fa, fb, fab, n_sobol, PLAN_BOOTSTRAP, s.seed + (unsigned long)(mi * k + j), &est);
                struct sensitivity_entry *e = &entries[mi * n_all + j];
                e->sobol_first = est.first;
                e->sobol_first_lo = est.first_lo;
                e->sobol_first_hi = est.first_hi;
                e->sobol_total = est.total;
                e->sobol_total_lo = est.total_lo;
                e->sobol_total_hi = est.total_hi;
            }
            mc_result_release(&rab);
        }
        free(fa);
        free(fb);
        free(fab);
        mc_result_release(&ra);
        mc_result_release(&rb);
        free(a);
        free(b);
        free(ab);
    }
    /* Elasticities: every numeric input, fixed or uncertain. */
    const long n_elast = elasticities(&s, o, metrics, n_metrics, ids, n_all, entries);
    struct sensitivity_report sr = { .scenario = s.name, .file = s.file, .seed = s.seed, .samples = n,
                                     .sobol_samples = n_sobol, .elasticity_samples = n_elast,
                                     .elasticity_step = ELASTICITY_STEP, .n_inputs = n_all, .n_uncertain = k,
                                     .inputs = paths, .input_p5 = p5, .input_p95 = p95, .input_central = centre,
                                     .n_metrics = n_metrics, .base = &base_rep, .entries = entries };
    memcpy(sr.metrics, metrics, sizeof metrics);
    if (k == 0 && !o->quiet)
        fprintf(stderr, "trainsim: warning: %s has no uncertain inputs: only elasticities to rank\n", o->files[0]);
    struct provenance_store ps;
    provenance_build(&ps, &s, o, &ss.d);
    provenance_apply(&base_rep, &ps, &s);
    rc = emit(o, emit_sensitivity, &sr);
    provenance_release(&ps);
    if (rc == EXIT_OK && o->plot_dir && !plot_sensitivity(o->plot_dir, &sr))
        rc = EXIT_RUNTIME;
    free(x);
    free(y);
    free(paths);
    free(p5);
    free(p95);
    free(centre);
    free(ids);
    free(entries);
    mc_result_release(&base);
    spec_release(&s);
    session_close(&ss);
    return rc;
}
