/*
 * trainsim.c - the library API of trainsim.h over the layers: load/ reads the scenario,
 * sample/montecarlo runs it, and the result is copied out of the layers' structs into one
 * handle that owns everything it hands out. The planning functions (compare, solve,
 * sensitivity) call sample/plan.c and sample/sensitivity.c.
 *
 * The CLI's run, sweep, compare, solve and sensitivity (sim/cmd/) are clients of this file
 * too, through trainsim_internal.h: their results keep the layers' structs instead of
 * copies, and their messages go to the CLI's diag (a sink) instead of records.
 *
 * This wires layers together and computes nothing of its own, and prints nothing: the diag
 * keeps its messages as records (util/diag.h), which become the scenario's diagnostics, or
 * is the sink's, which its owner set up.
 */
#include "trainsim.h"
#include "trainsim_internal.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/result.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "load/schema.h"
#include "output/report.h"
#include "sample/montecarlo.h"
#include "sample/plan.h"
#include "sample/sensitivity.h"
#include "util/diag.h"
#include "util/par.h"
#include "util/xalloc.h"

enum { N_MOMENTS = 4, MAX_STATS = N_MOMENTS + REPORT_MAX_QUANTILES };

static const char *const moment_names[N_MOMENTS] = { "mean", "sd", "min", "max" };

/* A diagnostic and the storage of its key path. */
struct diagnostic {
    struct trainsim_diagnostic pub;
    char *path; /* owned */
};

struct trainsim_scenario {
    char *configs_dir;       /* owned, may be NULL */
    struct catalog own_cat;
    const struct catalog *cat; /* &own_cat once loaded, or another scenario's; NULL before */
    /* The source: a file (path) or a text (name, text). */
    char *path, *name, *text;
    size_t len;
    char **sets;             /* owned, n_sets overrides */
    int n_sets;
    bool is_loaded;
    struct spec spec;        /* valid when is_loaded */
    struct diag *d;          /* &own_d, or the sink's (trainsim_internal.h) */
    struct diag own_d;       /* the messages of the last operation, as records */
    struct ts_api_sink sink; /* all NULL without one */
    struct diagnostic *diags; /* owned, n_diags: views of own_d.records */
    int n_diags;
};

struct trainsim_result {
    char *scenario, *file;   /* owned */
    unsigned long seed;
    long n_samples, n_unfinished;
    bool is_nominal;
    double step_min;
    int n_stats;
    char stat_names[MAX_STATS][16];
    double stats[METRIC_COUNT][MAX_STATS];
    double quantiles[REPORT_MAX_QUANTILES];
    int n_inputs;
    char **input_paths;      /* owned, n_inputs */
    double *values;          /* owned, (n_inputs + METRIC_COUNT) x n_samples, column by column;
                                NULL for the runs of trainsim_internal.h */
    /* What the runs of trainsim_internal.h keep for the CLI (NULL / false for the public
     * functions' results). */
    struct report *rep;      /* owned; scenario and file point at the copies above, the rest into *spec */
    const struct spec *spec; /* borrowed, or &own_spec */
    struct spec own_spec;
    bool owns_spec, has_rows, has_table;
    struct mc_result rows;
    struct sample_table table;
};

const char *trainsim_version(void)
{
    return TRAINSIM_VERSION;
}

/* ---- Metrics */

int trainsim_n_metrics(void)
{
    return METRIC_COUNT;
}

static bool is_metric(int m)
{
    return m >= 0 && m < METRIC_COUNT;
}

const char *trainsim_metric_key(int m)
{
    return is_metric(m) ? metric_info(m)->key : NULL;
}

const char *trainsim_metric_unit(int m)
{
    return is_metric(m) ? metric_info(m)->unit : NULL;
}

const char *trainsim_metric_label(int m)
{
    return is_metric(m) ? metric_info(m)->label : NULL;
}

int trainsim_metric_find(const char *key)
{
    return key ? metric_find(key) : -1;
}

/* ---- Diagnostics */

/* Length of the key path a message starts with ("cluster.count: ..."), or 0: a name
 * followed by ".name", "[N]" or "-" parts, then ": ". */
static size_t key_path_length(const char *msg)
{
    if (!isalpha((unsigned char)msg[0]) && msg[0] != '_')
        return 0;
    size_t n = 0;
    while (isalnum((unsigned char)msg[n]) || strchr("_.[]-", msg[n]) != NULL)
        n++;
    return msg[n] == ':' && msg[n + 1] == ' ' ? n : 0;
}

/* Starts the diagnostics of a new operation (a sink's diag goes on). */
static void diags_clear(struct trainsim_scenario *sc)
{
    for (int i = 0; i < sc->n_diags; i++)
        free(sc->diags[i].path);
    free(sc->diags);
    sc->diags = NULL;
    sc->n_diags = 0;
    if (sc->d != &sc->own_d)
        return;
    diag_release(&sc->own_d);
    diag_init(&sc->own_d, NULL);
    sc->own_d.keep_records = true;
}

/* Turns the records of sc->own_d into the scenario's diagnostics. */
static void diags_publish(struct trainsim_scenario *sc)
{
    sc->diags = xcalloc((size_t)(sc->own_d.n_records ? sc->own_d.n_records : 1), sizeof *sc->diags);
    sc->n_diags = sc->own_d.n_records;
    for (int i = 0; i < sc->own_d.n_records; i++) {
        const struct diag_record *rec = &sc->own_d.records[i];
        struct diagnostic *dg = &sc->diags[i];
        const size_t n = key_path_length(rec->message);
        dg->path = n ? xstrndup(rec->message, n) : NULL;
        dg->pub = (struct trainsim_diagnostic){
            .severity = strcmp(rec->kind, "error") == 0     ? TRAINSIM_ERROR
                      : strcmp(rec->kind, "warning") == 0 ? TRAINSIM_WARNING
                                                          : TRAINSIM_NOTE,
            .file = rec->file, .line = rec->line, .col = rec->col, .path = dg->path,
            .message = n ? rec->message + n + 2 : rec->message,
        };
    }
}

int trainsim_scenario_n_diagnostics(const struct trainsim_scenario *sc)
{
    return sc->n_diags;
}

const struct trainsim_diagnostic *trainsim_scenario_diagnostic(const struct trainsim_scenario *sc, int i)
{
    return i >= 0 && i < sc->n_diags ? &sc->diags[i].pub : NULL;
}

/* ---- Scenarios */

struct trainsim_scenario *trainsim_scenario_new(const char *configs_dir)
{
    struct trainsim_scenario *sc = xcalloc(1, sizeof *sc);
    sc->configs_dir = xstrdup(configs_dir);
    diag_init(&sc->own_d, NULL);
    sc->own_d.keep_records = true;
    sc->d = &sc->own_d;
    return sc;
}

struct trainsim_scenario *ts_api_scenario_new(const char *configs_dir, const struct ts_api_sink *sink)
{
    struct trainsim_scenario *sc = trainsim_scenario_new(configs_dir);
    sc->sink = *sink;
    sc->d = sink->d;
    return sc;
}

struct trainsim_scenario *ts_api_scenario_new_sharing(const struct trainsim_scenario *first)
{
    struct trainsim_scenario *sc = ts_api_scenario_new(first->configs_dir, &first->sink);
    sc->cat = first->cat;
    return sc;
}

bool ts_api_scenario_load_catalogs(struct trainsim_scenario *sc)
{
    if (sc->cat)
        return true;
    if (!catalog_load(&sc->own_cat, sc->d, sc->configs_dir)) {
        catalog_release(&sc->own_cat);
        return false;
    }
    sc->cat = &sc->own_cat;
    return true;
}

static void source_clear(struct trainsim_scenario *sc)
{
    free(sc->path);
    free(sc->name);
    free(sc->text);
    for (int i = 0; i < sc->n_sets; i++)
        free(sc->sets[i]);
    free(sc->sets);
    sc->path = sc->name = sc->text = NULL;
    sc->sets = NULL;
    sc->n_sets = 0;
    sc->len = 0;
}

static void unload(struct trainsim_scenario *sc)
{
    if (sc->is_loaded)
        spec_release(&sc->spec);
    sc->is_loaded = false;
}

void trainsim_scenario_free(struct trainsim_scenario *sc)
{
    if (!sc)
        return;
    unload(sc);
    source_clear(sc);
    diags_clear(sc);
    diag_release(&sc->own_d);
    if (sc->cat == &sc->own_cat)
        catalog_release(&sc->own_cat);
    free(sc->configs_dir);
    free(sc);
}

/* Loads sc's source with its overrides and then n_extra more into *out, reporting to sc->d
 * (the catalogs too, the first time) and a failure to the sink. */
static bool load_source(struct trainsim_scenario *sc, const char *const *extra, int n_extra, struct spec *out)
{
    memset(out, 0, sizeof *out);
    if (!ts_api_scenario_load_catalogs(sc))
        return false;
    const char **sets = xcalloc((size_t)(sc->n_sets + n_extra + 1), sizeof *sets);
    for (int i = 0; i < sc->n_sets; i++)
        sets[i] = sc->sets[i];
    for (int i = 0; i < n_extra; i++)
        sets[sc->n_sets + i] = extra[i];
    const struct load_options lo = { .sets = sets, .n_sets = sc->n_sets + n_extra, .catalog = sc->cat };
    const bool ok = sc->path ? load_scenario(sc->d, sc->path, &lo, out)
                             : load_scenario_text(sc->d, sc->name, sc->text, sc->len, &lo, out);
    free(sets);
    if (!ok && sc->sink.load_failed)
        sc->sink.load_failed(sc->sink.ctx, sc->path ? sc->path : sc->name, extra, n_extra);
    return ok;
}

/* Keeps copies of the overrides of the source just given to sc. */
static void keep_sets(struct trainsim_scenario *sc, const char *const *sets, int n_sets)
{
    sc->sets = xcalloc((size_t)(n_sets > 0 ? n_sets : 1), sizeof *sc->sets);
    for (int i = 0; i < n_sets; i++)
        sc->sets[i] = xstrdup(sets[i]);
    sc->n_sets = n_sets > 0 ? n_sets : 0;
}

/* Loads the source just given to sc (with its overrides) as its new state. */
static bool load_new_source(struct trainsim_scenario *sc, const char *const *sets, int n_sets)
{
    keep_sets(sc, sets, n_sets);
    diags_clear(sc);
    sc->is_loaded = load_source(sc, NULL, 0, &sc->spec);
    diags_publish(sc);
    if (!sc->is_loaded)
        source_clear(sc);
    return sc->is_loaded;
}

bool trainsim_scenario_load_file(struct trainsim_scenario *sc, const char *path, const char *const *sets,
                                 int n_sets)
{
    unload(sc);
    source_clear(sc);
    sc->path = xstrdup(path ? path : "");
    return load_new_source(sc, sets, n_sets);
}

void ts_api_scenario_source(struct trainsim_scenario *sc, const char *path, const char *const *sets, int n_sets)
{
    unload(sc);
    source_clear(sc);
    sc->path = xstrdup(path ? path : "");
    keep_sets(sc, sets, n_sets);
}

bool trainsim_scenario_load_text(struct trainsim_scenario *sc, const char *name, const char *yaml, size_t len,
                                 const char *const *sets, int n_sets)
{
    unload(sc);
    source_clear(sc);
    sc->name = xstrdup(name ? name : "<string>");
    sc->text = xstrndup(yaml ? yaml : "", yaml ? len : 0);
    sc->len = yaml ? len : 0;
    return load_new_source(sc, sets, n_sets);
}

bool trainsim_scenario_set(struct trainsim_scenario *sc, const char *const *sets, int n_sets)
{
    diags_clear(sc);
    if (!sc->is_loaded) {
        diag_error(sc->d, (struct src_pos){ 0 }, "no scenario is loaded to apply overrides to");
        diags_publish(sc);
        return false;
    }
    struct spec s;
    const bool ok = load_source(sc, sets, n_sets, &s);
    diags_publish(sc);
    if (!ok)
        return false;
    spec_release(&sc->spec);
    sc->spec = s;
    sc->sets = xrealloc(sc->sets, (size_t)(sc->n_sets + n_sets + 1) * sizeof *sc->sets);
    for (int i = 0; i < n_sets; i++)
        sc->sets[sc->n_sets++] = xstrdup(sets[i]);
    return true;
}

bool trainsim_scenario_is_loaded(const struct trainsim_scenario *sc)
{
    return sc->is_loaded;
}

const char *trainsim_scenario_name(const struct trainsim_scenario *sc)
{
    return sc->is_loaded ? sc->spec.name : NULL;
}

long trainsim_scenario_samples(const struct trainsim_scenario *sc)
{
    return sc->is_loaded ? sc->spec.samples : 0;
}

unsigned long trainsim_scenario_seed(const struct trainsim_scenario *sc)
{
    return sc->is_loaded ? sc->spec.seed : 0;
}

bool ts_api_scenario_pair(struct trainsim_scenario *sc, const struct trainsim_scenario *first)
{
    const bool differ = sc->spec.samples != first->spec.samples || sc->spec.seed != first->spec.seed;
    sc->spec.samples = first->spec.samples;
    sc->spec.seed = first->spec.seed;
    return differ;
}

const struct spec *ts_api_scenario_spec(const struct trainsim_scenario *sc)
{
    return sc->is_loaded ? &sc->spec : NULL;
}

/* ---- Runs */

/* A new result of what a run of s with options mo produced (res, borrowed): its report, and
 * either copies of the values (columns, the public functions) or s itself (the CLI's). */
static struct trainsim_result *result_new(const struct spec *s, const struct mc_options *mo, const struct mc_result *res,
                                          bool columns)
{
    struct trainsim_result *r = xcalloc(1, sizeof *r);
    struct report rep;
    montecarlo_report(s, mo, res, &rep);
    r->scenario = xstrdup(rep.scenario);
    r->file = xstrdup(rep.file);
    r->seed = rep.seed;
    r->n_samples = res->n_samples;
    r->n_unfinished = res->n_unfinished;
    r->is_nominal = mo->nominal;
    r->step_min = rep.step_min;
    r->n_stats = N_MOMENTS + rep.n_quantiles;
    for (int j = 0; j < N_MOMENTS; j++)
        snprintf(r->stat_names[j], sizeof r->stat_names[j], "%s", moment_names[j]);
    for (int k = 0; k < rep.n_quantiles; k++) {
        r->quantiles[k] = rep.quantiles[k];
        report_quantile_key(rep.quantiles[k], r->stat_names[N_MOMENTS + k], (int)sizeof r->stat_names[0]);
    }
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct metric_stats *st = &rep.metric[m].s;
        const double moments[N_MOMENTS] = { st->mean, st->sd, st->min, st->max };
        memcpy(r->stats[m], moments, sizeof moments);
        memcpy(&r->stats[m][N_MOMENTS], st->q, (size_t)rep.n_quantiles * sizeof st->q[0]);
    }
    r->n_inputs = res->n_inputs;
    r->input_paths = xcalloc((size_t)(res->n_inputs ? res->n_inputs : 1), sizeof *r->input_paths);
    for (int c = 0; c < res->n_inputs; c++)
        r->input_paths[c] = xstrdup(s->inputs[res->input_ids[c]].path);
    if (!columns) {
        r->rep = xmalloc(sizeof *r->rep);
        *r->rep = rep;
        r->rep->scenario = r->scenario;
        r->rep->file = r->file;
        r->spec = s;
        return r;
    }

    /* Rows of samples become columns: each input's and metric's values side by side. */
    const long n = res->n_samples;
    r->values = xmalloc((size_t)(res->n_inputs + METRIC_COUNT) * (size_t)n * sizeof *r->values);
    for (int c = 0; c < res->n_inputs; c++)
        for (long i = 0; i < n; i++)
            r->values[c * n + i] = res->inputs[i * res->n_inputs + c];
    double *metrics = r->values + (long)res->n_inputs * n;
    for (int m = 0; m < METRIC_COUNT; m++)
        for (long i = 0; i < n; i++)
            metrics[m * n + i] = res->metrics[i * METRIC_COUNT + m];
    return r;
}

/* How the public functions run: self-contained results (columns), no progress bar. */
struct run_how {
    struct ts_api_run_options o;
    bool columns;
};

static struct run_how public_run(int threads, bool nominal)
{
    return (struct run_how){ .o = { .threads = threads, .nominal = nominal }, .columns = true };
}

static void result_drop_rows(struct trainsim_result *r)
{
    if (r->has_rows)
        mc_result_release(&r->rows);
    r->has_rows = false;
}

/* Runs s as how says into a new result (with the rows when how->o.keep_rows). */
static struct trainsim_result *run_spec(const struct spec *s, const struct run_how *how)
{
    const struct mc_options mo = { .samples = s->samples, .seed = s->seed, .threads = how->o.threads,
                                   .nominal = how->o.nominal, .show_progress = how->o.show_progress };
    struct mc_result res;
    montecarlo_run(s, &mo, &res);
    struct trainsim_result *r = result_new(s, &mo, &res, how->columns);
    r->rows = res;
    r->has_rows = true;
    if (!how->o.keep_rows)
        result_drop_rows(r);
    return r;
}

/* Hands a spec that r was run from (*s, loaded for it) to r when it keeps one, else
 * releases it. */
static void result_take_spec(struct trainsim_result *r, struct spec *s)
{
    if (!r->spec) {
        spec_release(s);
        return;
    }
    r->own_spec = *s;
    r->owns_spec = true;
    r->spec = &r->own_spec;
}

struct trainsim_result *trainsim_run(const struct trainsim_scenario *sc, int threads, bool nominal)
{
    const struct run_how how = public_run(threads, nominal);
    return sc->is_loaded ? run_spec(&sc->spec, &how) : NULL;
}

struct trainsim_result *ts_api_run(const struct trainsim_scenario *sc, const struct ts_api_run_options *ro)
{
    const struct run_how how = { .o = *ro };
    return sc->is_loaded ? run_spec(&sc->spec, &how) : NULL;
}

struct report *ts_api_result_report(struct trainsim_result *r)
{
    return r->rep;
}

const struct spec *ts_api_result_spec(const struct trainsim_result *r)
{
    return r->spec;
}

const struct mc_result *ts_api_result_rows(const struct trainsim_result *r)
{
    return r->has_rows ? &r->rows : NULL;
}

const struct sample_table *ts_api_result_table(struct trainsim_result *r)
{
    if (!r->has_table && r->has_rows && r->spec) {
        montecarlo_table(r->spec, &r->rows, &r->table);
        r->has_table = true;
    }
    return r->has_table ? &r->table : NULL;
}

void trainsim_result_free(struct trainsim_result *r)
{
    if (!r)
        return;
    if (r->has_table)
        montecarlo_table_release(&r->table);
    result_drop_rows(r);
    if (r->owns_spec)
        spec_release(&r->own_spec);
    free(r->rep);
    for (int c = 0; c < r->n_inputs; c++)
        free(r->input_paths[c]);
    free(r->input_paths);
    free(r->values);
    free(r->scenario);
    free(r->file);
    free(r);
}

const char *trainsim_result_scenario(const struct trainsim_result *r)
{
    return r->scenario;
}

const char *trainsim_result_file(const struct trainsim_result *r)
{
    return r->file;
}

unsigned long trainsim_result_seed(const struct trainsim_result *r)
{
    return r->seed;
}

long trainsim_result_n_samples(const struct trainsim_result *r)
{
    return r->n_samples;
}

bool trainsim_result_is_nominal(const struct trainsim_result *r)
{
    return r->is_nominal;
}

double trainsim_result_step_min(const struct trainsim_result *r)
{
    return r->step_min;
}

long trainsim_result_n_unfinished(const struct trainsim_result *r)
{
    return r->n_unfinished;
}

int trainsim_result_n_stats(const struct trainsim_result *r)
{
    return r->n_stats;
}

const char *trainsim_result_stat_name(const struct trainsim_result *r, int j)
{
    return j >= 0 && j < r->n_stats ? r->stat_names[j] : NULL;
}

int trainsim_result_stat_find(const struct trainsim_result *r, const char *name)
{
    for (int j = 0; name && j < r->n_stats; j++)
        if (strcmp(r->stat_names[j], name) == 0)
            return j;
    return -1;
}

double trainsim_result_stat(const struct trainsim_result *r, int m, int j)
{
    return is_metric(m) && j >= 0 && j < r->n_stats ? r->stats[m][j] : 0.0;
}

int trainsim_result_n_inputs(const struct trainsim_result *r)
{
    return r->n_inputs;
}

const char *trainsim_result_input_path(const struct trainsim_result *r, int i)
{
    return i >= 0 && i < r->n_inputs ? r->input_paths[i] : NULL;
}

const double *trainsim_result_values(const struct trainsim_result *r)
{
    return r->values;
}

const double *trainsim_result_input_values(const struct trainsim_result *r, int i)
{
    return i >= 0 && i < r->n_inputs && r->values ? r->values + (long)i * r->n_samples : NULL;
}

const double *trainsim_result_metric_values(const struct trainsim_result *r, int m)
{
    return is_metric(m) && r->values ? r->values + (long)(r->n_inputs + m) * r->n_samples : NULL;
}

double trainsim_result_spearman(const struct trainsim_result *r, int i, int m)
{
    const double *x = trainsim_result_input_values(r, i), *y = trainsim_result_metric_values(r, m);
    return x && y ? sensitivity_spearman(x, y, r->n_samples) : 0.0;
}

/* ---- Planning */

/* The values of metric m in r: its column, or (rows kept, no columns) every
 * METRIC_COUNT-th double of the rows from m on; *stride says which. */
static const double *metric_samples(const struct trainsim_result *r, int m, long *stride)
{
    *stride = r->values ? 1 : METRIC_COUNT;
    return r->values ? trainsim_result_metric_values(r, m) : r->rows.metrics + m;
}

void ts_api_compare(const struct trainsim_result *a, const struct trainsim_result *b, int m, struct metric_stats *diff,
                    double *p_a_less)
{
    long stride_a, stride_b;
    const double *x = metric_samples(a, m, &stride_a), *y = metric_samples(b, m, &stride_b);
    assert(stride_a == stride_b); /* results of one kind: both public (columns) or both the CLI's (rows) */
    plan_paired(x, y, a->n_samples, stride_a, a->n_stats - N_MOMENTS, a->quantiles, diff, p_a_less);
}

bool trainsim_compare(const struct trainsim_result *a, const struct trainsim_result *b, int m, double *stats,
                      double *p_a_less)
{
    if (!is_metric(m) || a->n_samples != b->n_samples || a->n_samples < 1)
        return false;
    struct metric_stats st;
    ts_api_compare(a, b, m, &st, p_a_less);
    const double moments[N_MOMENTS] = { st.mean, st.sd, st.min, st.max };
    memcpy(stats, moments, sizeof moments);
    memcpy(&stats[N_MOMENTS], st.q, (size_t)(a->n_stats - N_MOMENTS) * sizeof st.q[0]);
    return true;
}

/* Loads every point of a sweep of sc's source, then (all loaded) runs them into out. */
static bool sweep(struct trainsim_scenario *sc, int n_points, int n_sets, const char *const *sets,
                  const struct run_how *how, struct trainsim_result **out)
{
    /* Every point is loaded (validated) before any runs. */
    struct spec *specs = xcalloc((size_t)(n_points > 0 ? n_points : 1), sizeof *specs);
    const bool quiet = sc->d->quiet_warnings;
    int loaded = 0;
    bool ok = true;
    for (int p = 0; p < n_points && ok; p++) {
        ok = load_source(sc, &sets[(long)p * n_sets], n_sets, &specs[p]);
        loaded += ok;
        sc->d->quiet_warnings = true; /* each warning once, for the first point */
    }
    sc->d->quiet_warnings = quiet;
    if (ok) {
        const int threads = montecarlo_threads(how->o.threads);
        /* Enough points to keep every thread busy: one point per thread, one thread per
         * point. Otherwise points in turn, samples in parallel. Results are the same. */
        const bool by_point = n_points >= threads && par_size() == 1; /* MPI calls stay on one thread */
        struct run_how point = *how;
        point.o.threads = by_point ? 1 : threads;
        point.o.show_progress = how->o.show_progress && point.o.threads != 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) if (by_point)
        for (int p = 0; p < n_points; p++)
            out[p] = run_spec(&specs[p], &point);
        for (int p = 0; p < n_points; p++)
            result_take_spec(out[p], &specs[p]);
    } else {
        for (int p = 0; p < loaded; p++)
            spec_release(&specs[p]);
    }
    free(specs);
    return ok;
}

bool trainsim_sweep(struct trainsim_scenario *sc, int n_points, int n_sets, const char *const *sets, int threads,
                    bool nominal, struct trainsim_result **out)
{
    diags_clear(sc);
    if (!sc->is_loaded) {
        diag_error(sc->d, (struct src_pos){ 0 }, "no scenario is loaded to sweep");
        diags_publish(sc);
        return false;
    }
    const struct run_how how = public_run(threads, nominal);
    const bool ok = sweep(sc, n_points, n_sets, sets, &how, out);
    diags_publish(sc);
    return ok;
}

bool ts_api_sweep(struct trainsim_scenario *sc, int n_points, int n_sets, const char *const *sets,
                  const struct ts_api_run_options *ro, struct trainsim_result **out)
{
    const struct run_how how = { .o = *ro };
    diags_clear(sc);
    const bool ok = sweep(sc, n_points, n_sets, sets, &how, out);
    diags_publish(sc);
    return ok;
}

/* ---- Solve */

struct trainsim_solve {
    struct plan_solver sv;     /* the evaluations, in order of value */
    struct plan_solve_setup su;
    char *path, *target;       /* owned copies, as given */
    char message[512];
    struct trainsim_result *at[PLAN_MAX_EVALS]; /* by slot; only the answer's and neighbour's kept */
};

/* What an evaluation needs (a plan_eval_fn's context). */
struct solve_ctx {
    struct trainsim_scenario *sc;
    const struct plan_target *t;
    const char *path, *quantiles;
    const struct run_how *how;
    struct trainsim_result **at;
};

/* Loads sc with PATH = x and runs it. */
static bool solve_eval(void *ctx, int slot, double x, struct solve_eval *e)
{
    struct solve_ctx *c = ctx;
    struct plan_overrides ov;
    struct spec s;
    if (!load_source(c->sc, plan_solve_overrides(c->quantiles, c->path, x, &ov), 2, &s))
        return false;
    c->sc->d->quiet_warnings = true; /* each warning once, for the first evaluation */
    struct run_how how = *c->how;
    how.o.keep_rows = true; /* to measure */
    c->at[slot] = run_spec(&s, &how);
    plan_solve_measure(c->t, &c->at[slot]->rows, e);
    if (!c->how->o.keep_rows)
        result_drop_rows(c->at[slot]);
    result_take_spec(c->at[slot], &s);
    return true;
}

/* Parses target into *t; false after a diagnostic on sc (an unknown metric with the nearest
 * one, as the CLI says it). */
static bool solve_target(struct trainsim_scenario *sc, const char *text, struct plan_target *t)
{
    char err[PLAN_ERR_SIZE];
    const enum plan_target_status st = plan_target_parse(text ? text : "", t, err, sizeof err);
    if (st == PLAN_TARGET_BAD)
        diag_error(sc->d, (struct src_pos){ 0 }, "%s", err);
    if (st == PLAN_TARGET_UNKNOWN_METRIC) {
        const char *keys[METRIC_COUNT];
        for (int m = 0; m < METRIC_COUNT; m++)
            keys[m] = metric_info(m)->key;
        const char *near = schema_suggest(t->metric_name, keys, METRIC_COUNT);
        diag_error(sc->d, (struct src_pos){ 0 }, "--target: unknown metric '%s'%s%s%s", t->metric_name,
                   near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    }
    return st == PLAN_TARGET_OK;
}

/* trainsim_solve with how; path NULL: none given (the CLI's "" is a path: the range says no). */
static struct trainsim_solve *solve(struct trainsim_scenario *sc, const char *path, const char *target, double min,
                                    double max, double step, bool largest, const struct run_how *how)
{
    diags_clear(sc);
    struct plan_target t;
    if (!sc->is_loaded || !path) {
        diag_error(sc->d, (struct src_pos){ 0 }, sc->is_loaded ? "solve needs a key path to vary"
                                                                 : "no scenario is loaded to solve");
        diags_publish(sc);
        return NULL;
    }
    if (!solve_target(sc, target, &t)) {
        diags_publish(sc);
        return NULL;
    }
    struct trainsim_solve *r = xcalloc(1, sizeof *r);
    r->path = xstrdup(path);
    r->target = xstrdup(target);
    struct plan_param pp;
    plan_param_of(&sc->spec, path, &pp);
    const struct key_rule *rule = load_key_rule(path);
    if (rule) /* the key's valid range bounds the default search range (as plan.c) */
        pp = (struct plan_param){ .is_count = pp.is_count, .count = pp.count, .gpus_per_node = pp.gpus_per_node,
                                  .current = pp.current, .has_rule = true, .rule_is_int = rule->type == KEY_INT,
                                  .rule_lo = rule->lo, .rule_hi = rule->hi, .rule_lo_open = rule->flags & KEY_LO_OPEN,
                                  .rule_hi_open = rule->flags & KEY_HI_OPEN };
    char err[PLAN_ERR_SIZE];
    bool ok = plan_solve_setup(&sc->spec, path, &t, &pp, min, max, step, &r->su, err, sizeof err);
    if (!ok)
        diag_error(sc->d, (struct src_pos){ 0 }, "%s", err);
    struct solve_ctx c = { .sc = sc, .t = &t, .path = path, .quantiles = r->su.quantiles, .how = how, .at = r->at };
    r->sv = (struct plan_solver){ .lo = r->su.lo, .step = r->su.step, .k_max = r->su.k_max, .largest = largest,
                                  .eval = solve_eval, .ctx = &c };
    const bool quiet = sc->d->quiet_warnings;
    if (ok) {
        plan_solver_run(&r->sv);
        ok = r->sv.outcome != PLAN_SOLVE_FAILED;
    }
    sc->d->quiet_warnings = quiet;
    diags_publish(sc);
    if (!ok) {
        trainsim_solve_free(r);
        return NULL;
    }
    plan_solve_message(&r->sv, path, target, r->message, sizeof r->message);
    /* Keep the runs at the answer and its neighbour. */
    for (int i = 0; i < PLAN_MAX_EVALS; i++) {
        const bool keep = (r->sv.answer >= 0 && r->sv.slot[r->sv.answer] == i) ||
                          (r->sv.neighbour >= 0 && r->sv.slot[r->sv.neighbour] == i);
        if (!keep) {
            trainsim_result_free(r->at[i]);
            r->at[i] = NULL;
        }
    }
    return r;
}

struct trainsim_solve *trainsim_solve(struct trainsim_scenario *sc, const char *path, const char *target, double min,
                                      double max, double step, bool largest, int threads, bool nominal)
{
    const struct run_how how = public_run(threads, nominal);
    return solve(sc, path && *path ? path : NULL, target, min, max, step, largest, &how);
}

struct trainsim_solve *ts_api_solve(struct trainsim_scenario *sc, const char *path, const char *target, double min,
                                    double max, double step, bool largest, const struct ts_api_run_options *ro)
{
    const struct run_how how = { .o = *ro };
    return solve(sc, path, target, min, max, step, largest, &how);
}

void trainsim_solve_free(struct trainsim_solve *s)
{
    if (!s)
        return;
    for (int i = 0; i < PLAN_MAX_EVALS; i++)
        trainsim_result_free(s->at[i]);
    free(s->path);
    free(s->target);
    free(s);
}

void ts_api_solve_report(const struct trainsim_solve *s, struct solve_report *out)
{
    const struct plan_solver *sv = &s->sv;
    *out = (struct solve_report){ .vary = s->path, .target = s->target, .is_largest = sv->largest,
                                  .is_integer = s->su.is_int, .has_answer = sv->answer >= 0,
                                  .is_monotone = sv->is_monotone, .lo = s->su.lo,
                                  .hi = s->su.lo + (double)s->su.k_max * s->su.step, .step = s->su.step,
                                  .n_evals = sv->n_evals, .evals = sv->evals, .message = s->message };
    if (sv->answer >= 0) {
        out->answer = sv->evals[sv->answer].x;
        out->is_met = sv->evals[sv->answer].is_met;
        out->at_answer = s->at[sv->slot[sv->answer]]->rep;
    }
    if (sv->neighbour >= 0) {
        out->has_neighbour = true;
        out->neighbour = sv->evals[sv->neighbour].x;
        out->at_neighbour = s->at[sv->slot[sv->neighbour]]->rep;
    }
}

bool trainsim_solve_has_answer(const struct trainsim_solve *s)
{
    return s->sv.answer >= 0;
}

double trainsim_solve_answer(const struct trainsim_solve *s)
{
    return s->sv.answer >= 0 ? s->sv.evals[s->sv.answer].x : (double)NAN;
}

bool trainsim_solve_answer_met(const struct trainsim_solve *s)
{
    return s->sv.answer >= 0 && s->sv.evals[s->sv.answer].is_met;
}

bool trainsim_solve_has_neighbour(const struct trainsim_solve *s)
{
    return s->sv.neighbour >= 0;
}

double trainsim_solve_neighbour(const struct trainsim_solve *s)
{
    return s->sv.neighbour >= 0 ? s->sv.evals[s->sv.neighbour].x : (double)NAN;
}

bool trainsim_solve_is_monotone(const struct trainsim_solve *s)
{
    return s->sv.is_monotone;
}

bool trainsim_solve_is_integer(const struct trainsim_solve *s)
{
    return s->su.is_int;
}

void trainsim_solve_range(const struct trainsim_solve *s, double *lo, double *hi, double *step)
{
    if (lo)
        *lo = s->su.lo;
    if (hi)
        *hi = s->su.lo + (double)s->su.k_max * s->su.step;
    if (step)
        *step = s->su.step;
}

const char *trainsim_solve_message(const struct trainsim_solve *s)
{
    return s->message;
}

int trainsim_solve_n_evals(const struct trainsim_solve *s)
{
    return s->sv.n_evals;
}

bool trainsim_solve_eval(const struct trainsim_solve *s, int i, struct trainsim_solve_eval *out)
{
    if (i < 0 || i >= s->sv.n_evals)
        return false;
    const struct solve_eval *e = &s->sv.evals[i];
    *out = (struct trainsim_solve_eval){ .value = e->x, .stat = e->stat, .met = e->is_met, .censored = e->is_censored };
    return true;
}

const struct trainsim_result *trainsim_solve_at_answer(const struct trainsim_solve *s)
{
    return s->sv.answer >= 0 ? s->at[s->sv.slot[s->sv.answer]] : NULL;
}

const struct trainsim_result *trainsim_solve_at_neighbour(const struct trainsim_solve *s)
{
    return s->sv.neighbour >= 0 ? s->at[s->sv.slot[s->sv.neighbour]] : NULL;
}

/* ---- Sensitivity */

struct trainsim_sensitivity {
    struct sensitivity_analysis an;
    char **paths;                 /* owned copies, an.n_inputs */
    struct trainsim_result *base; /* the base run */
    const struct spec *spec;      /* the scenario's, analysed (for ts_api_sensitivity_report) */
};

/* The metrics the CLI's sensitivity reports without --metric. */
static const char *const sensitivity_defaults[] = { "wall_days", "facility_energy_kwh", "total_co2e_kg", "cost_usd" };

struct trainsim_sensitivity *trainsim_sensitivity(struct trainsim_scenario *sc, const int *metrics, int n_metrics,
                                                  long sobol_samples, int threads)
{
    diags_clear(sc);
    int picked[REPORT_MAX_METRICS];
    int n = 0;
    bool ok = sc->is_loaded && n_metrics >= 0 && n_metrics <= REPORT_MAX_METRICS && sobol_samples >= 0;
    for (int i = 0; ok && metrics && i < n_metrics; i++) {
        ok = is_metric(metrics[i]);
        picked[n++] = metrics[i];
    }
    if (ok && n == 0)
        for (size_t i = 0; i < sizeof sensitivity_defaults / sizeof sensitivity_defaults[0]; i++)
            picked[n++] = metric_find(sensitivity_defaults[i]);
    if (!ok) {
        diag_error(sc->d, (struct src_pos){ 0 }, sc->is_loaded ? "sensitivity: invalid metrics or sobol_samples"
                                                                 : "no scenario is loaded to analyse");
        diags_publish(sc);
        return NULL;
    }
    struct trainsim_sensitivity *a = xcalloc(1, sizeof *a);
    sensitivity_analyse(&sc->spec, picked, n, sobol_samples, threads, &a->an);
    const struct mc_options mo = { .samples = a->an.samples, .seed = sc->spec.seed, .threads = threads };
    a->base = result_new(&sc->spec, &mo, &a->an.base, true);
    a->spec = &sc->spec;
    a->paths = xcalloc((size_t)(a->an.n_inputs ? a->an.n_inputs : 1), sizeof *a->paths);
    for (int i = 0; i < a->an.n_inputs; i++)
        a->paths[i] = xstrdup(a->an.paths[i]);
    diags_publish(sc);
    return a;
}

void trainsim_sensitivity_free(struct trainsim_sensitivity *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->an.n_inputs; i++)
        free(a->paths[i]);
    free(a->paths);
    trainsim_result_free(a->base);
    sensitivity_analysis_release(&a->an);
    free(a);
}

int trainsim_sensitivity_n_metrics(const struct trainsim_sensitivity *a)
{
    return a->an.n_metrics;
}

int trainsim_sensitivity_metric(const struct trainsim_sensitivity *a, int k)
{
    return k >= 0 && k < a->an.n_metrics ? a->an.metrics[k] : -1;
}

int trainsim_sensitivity_n_inputs(const struct trainsim_sensitivity *a)
{
    return a->an.n_inputs;
}

int trainsim_sensitivity_n_uncertain(const struct trainsim_sensitivity *a)
{
    return a->an.n_uncertain;
}

static bool is_input(const struct trainsim_sensitivity *a, int i)
{
    return i >= 0 && i < a->an.n_inputs;
}

const char *trainsim_sensitivity_input_path(const struct trainsim_sensitivity *a, int i)
{
    return is_input(a, i) ? a->paths[i] : NULL;
}

double trainsim_sensitivity_input_p5(const struct trainsim_sensitivity *a, int i)
{
    return is_input(a, i) ? a->an.p5[i] : (double)NAN;
}

double trainsim_sensitivity_input_p95(const struct trainsim_sensitivity *a, int i)
{
    return is_input(a, i) ? a->an.p95[i] : (double)NAN;
}

double trainsim_sensitivity_input_central(const struct trainsim_sensitivity *a, int i)
{
    return is_input(a, i) ? a->an.central[i] : (double)NAN;
}

bool trainsim_sensitivity_entry(const struct trainsim_sensitivity *a, int k, int i,
                                struct trainsim_sensitivity_entry *out)
{
    if (k < 0 || k >= a->an.n_metrics || !is_input(a, i))
        return false;
    const struct sensitivity_entry *e = &a->an.entries[k * a->an.n_inputs + i];
    *out = (struct trainsim_sensitivity_entry){
        .spearman = e->spearman, .tornado_low = e->tornado_low, .tornado_high = e->tornado_high,
        .sobol_first = e->sobol_first, .sobol_first_lo = e->sobol_first_lo, .sobol_first_hi = e->sobol_first_hi,
        .sobol_total = e->sobol_total, .sobol_total_lo = e->sobol_total_lo, .sobol_total_hi = e->sobol_total_hi,
        .elasticity = e->elasticity, .at_minus = e->at_minus, .at_plus = e->at_plus,
    };
    return true;
}

long trainsim_sensitivity_samples(const struct trainsim_sensitivity *a)
{
    return a->an.samples;
}

long trainsim_sensitivity_sobol_samples(const struct trainsim_sensitivity *a)
{
    return a->an.sobol_samples;
}

long trainsim_sensitivity_elasticity_samples(const struct trainsim_sensitivity *a)
{
    return a->an.elasticity_samples;
}

double trainsim_sensitivity_elasticity_step(const struct trainsim_sensitivity *a)
{
    return a->an.elasticity_step;
}

const struct trainsim_result *trainsim_sensitivity_base(const struct trainsim_sensitivity *a)
{
    return a->base;
}

void ts_api_sensitivity_report(struct trainsim_sensitivity *a, struct sensitivity_report *out)
{
    sensitivity_analysis_report(&a->an, a->spec, out);
}

struct report *ts_api_sensitivity_base_report(struct trainsim_sensitivity *a)
{
    return &a->an.base_rep;
}
