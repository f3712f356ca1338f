/*
 * trainsim.c - the library API of trainsim.h over the layers: load/ reads the scenario,
 * sample/montecarlo runs it, and the result is copied out of the layers' structs into one
 * handle that owns everything it hands out.
 *
 * Like commands.c this wires layers together and computes nothing of its own; unlike it,
 * it prints nothing: the diag keeps its messages as records (util/diag.h), which become
 * the scenario's diagnostics.
 */
#include "trainsim.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/result.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "output/report.h"
#include "sample/montecarlo.h"
#include "sample/sensitivity.h"
#include "util/diag.h"
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
    struct catalog cat;
    bool has_catalog;
    /* The source: a file (path) or a text (name, text). */
    char *path, *name, *text;
    size_t len;
    char **sets;             /* owned, n_sets overrides */
    int n_sets;
    bool is_loaded;
    struct spec spec;        /* valid when is_loaded */
    struct diag d;           /* the messages of the last operation, as records */
    struct diagnostic *diags; /* owned, n_diags: views of d.records */
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
    double *values;          /* owned, (n_inputs + METRIC_COUNT) x n_samples, column by column */
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

static void diags_clear(struct trainsim_scenario *sc)
{
    for (int i = 0; i < sc->n_diags; i++)
        free(sc->diags[i].path);
    free(sc->diags);
    sc->diags = NULL;
    sc->n_diags = 0;
    diag_release(&sc->d);
    diag_init(&sc->d, NULL);
    sc->d.keep_records = true;
}

/* Turns the records of sc->d into the scenario's diagnostics. */
static void diags_publish(struct trainsim_scenario *sc)
{
    sc->diags = xcalloc((size_t)(sc->d.n_records ? sc->d.n_records : 1), sizeof *sc->diags);
    sc->n_diags = sc->d.n_records;
    for (int i = 0; i < sc->d.n_records; i++) {
        const struct diag_record *rec = &sc->d.records[i];
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
    diag_init(&sc->d, NULL);
    sc->d.keep_records = true;
    return sc;
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
    diag_release(&sc->d);
    if (sc->has_catalog)
        catalog_release(&sc->cat);
    free(sc->configs_dir);
    free(sc);
}

/* Loads sc's source with its overrides and then n_extra more into *out, reporting to d
 * (the catalogs too, the first time). */
static bool load_source(struct trainsim_scenario *sc, struct diag *d, const char *const *extra, int n_extra,
                        struct spec *out)
{
    memset(out, 0, sizeof *out);
    if (!sc->has_catalog) {
        if (!catalog_load(&sc->cat, d, sc->configs_dir)) {
            catalog_release(&sc->cat);
            return false;
        }
        sc->has_catalog = true;
    }
    const char **sets = xcalloc((size_t)(sc->n_sets + n_extra + 1), sizeof *sets);
    for (int i = 0; i < sc->n_sets; i++)
        sets[i] = sc->sets[i];
    for (int i = 0; i < n_extra; i++)
        sets[sc->n_sets + i] = extra[i];
    const struct load_options lo = { .sets = sets, .n_sets = sc->n_sets + n_extra, .catalog = &sc->cat };
    const bool ok = sc->path ? load_scenario(d, sc->path, &lo, out)
                             : load_scenario_text(d, sc->name, sc->text, sc->len, &lo, out);
    free(sets);
    return ok;
}

/* Loads the source just given to sc (with its overrides) as its new state. */
static bool load_new_source(struct trainsim_scenario *sc, const char *const *sets, int n_sets)
{
    sc->sets = xcalloc((size_t)(n_sets > 0 ? n_sets : 1), sizeof *sc->sets);
    for (int i = 0; i < n_sets; i++)
        sc->sets[i] = xstrdup(sets[i]);
    sc->n_sets = n_sets > 0 ? n_sets : 0;
    diags_clear(sc);
    sc->is_loaded = load_source(sc, &sc->d, NULL, 0, &sc->spec);
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
        diag_error(&sc->d, (struct src_pos){ 0 }, "no scenario is loaded to apply overrides to");
        diags_publish(sc);
        return false;
    }
    struct spec s;
    const bool ok = load_source(sc, &sc->d, sets, n_sets, &s);
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

/* ---- Runs */

/* Runs s and copies what the layers produced into a new result. */
static struct trainsim_result *run_spec(const struct spec *s, int threads, bool nominal)
{
    const struct mc_options mo = { .samples = s->samples, .seed = s->seed, .threads = threads, .nominal = nominal };
    struct mc_result res;
    montecarlo_run(s, &mo, &res);
    struct report rep;
    montecarlo_report(s, &mo, &res, &rep);

    struct trainsim_result *r = xcalloc(1, sizeof *r);
    r->scenario = xstrdup(rep.scenario);
    r->file = xstrdup(rep.file);
    r->seed = rep.seed;
    r->n_samples = res.n_samples;
    r->n_unfinished = res.n_unfinished;
    r->is_nominal = nominal;
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

    /* Rows of samples become columns: each input's and metric's values side by side. */
    const long n = res.n_samples;
    r->n_inputs = res.n_inputs;
    r->input_paths = xcalloc((size_t)(res.n_inputs ? res.n_inputs : 1), sizeof *r->input_paths);
    for (int c = 0; c < res.n_inputs; c++)
        r->input_paths[c] = xstrdup(s->inputs[res.input_ids[c]].path);
    r->values = xmalloc((size_t)(res.n_inputs + METRIC_COUNT) * (size_t)n * sizeof *r->values);
    for (int c = 0; c < res.n_inputs; c++)
        for (long i = 0; i < n; i++)
            r->values[c * n + i] = res.inputs[i * res.n_inputs + c];
    double *metrics = r->values + (long)res.n_inputs * n;
    for (int m = 0; m < METRIC_COUNT; m++)
        for (long i = 0; i < n; i++)
            metrics[m * n + i] = res.metrics[i * METRIC_COUNT + m];
    mc_result_release(&res);
    return r;
}

struct trainsim_result *trainsim_run(const struct trainsim_scenario *sc, int threads, bool nominal)
{
    return sc->is_loaded ? run_spec(&sc->spec, threads, nominal) : NULL;
}

void trainsim_result_free(struct trainsim_result *r)
{
    if (!r)
        return;
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
    return i >= 0 && i < r->n_inputs ? r->values + (long)i * r->n_samples : NULL;
}

const double *trainsim_result_metric_values(const struct trainsim_result *r, int m)
{
    return is_metric(m) ? r->values + (long)(r->n_inputs + m) * r->n_samples : NULL;
}

double trainsim_result_spearman(const struct trainsim_result *r, int i, int m)
{
    const double *x = trainsim_result_input_values(r, i), *y = trainsim_result_metric_values(r, m);
    return x && y ? sensitivity_spearman(x, y, r->n_samples) : 0.0;
}

/* ---- Planning */

bool trainsim_compare(const struct trainsim_result *a, const struct trainsim_result *b, int m, double *stats,
                      double *p_a_less)
{
    if (!is_metric(m) || a->n_samples != b->n_samples || a->n_samples < 1)
        return false;
    const long n = a->n_samples;
    const double *va = trainsim_result_metric_values(a, m), *vb = trainsim_result_metric_values(b, m);
    double *d = xmalloc((size_t)n * sizeof *d);
    long less = 0;
    bool modelled = true; /* a metric one of them does not model (NAN) has no P(a < b) */
    for (long i = 0; i < n; i++) {
        d[i] = vb[i] - va[i];
        less += va[i] < vb[i];
        modelled &= !isnan(d[i]);
    }
    struct metric_stats st;
    montecarlo_stats(d, n, a->n_stats - N_MOMENTS, a->quantiles, &st);
    free(d);
    const double moments[N_MOMENTS] = { st.mean, st.sd, st.min, st.max };
    memcpy(stats, moments, sizeof moments);
    memcpy(&stats[N_MOMENTS], st.q, (size_t)(a->n_stats - N_MOMENTS) * sizeof st.q[0]);
    *p_a_less = modelled ? (double)less / (double)n : (double)NAN;
    return true;
}

bool trainsim_sweep(struct trainsim_scenario *sc, int n_points, int n_sets, const char *const *sets, int threads,
                    bool nominal, struct trainsim_result **out)
{
    diags_clear(sc);
    if (!sc->is_loaded) {
        diag_error(&sc->d, (struct src_pos){ 0 }, "no scenario is loaded to sweep");
        diags_publish(sc);
        return false;
    }
    /* Every point is loaded (validated) before any runs, as the CLI's sweep does. */
    struct spec *specs = xcalloc((size_t)(n_points > 0 ? n_points : 1), sizeof *specs);
    int loaded = 0;
    bool ok = true;
    for (int p = 0; p < n_points && ok; p++) {
        ok = load_source(sc, &sc->d, &sets[(long)p * n_sets], n_sets, &specs[p]);
        loaded += ok;
        sc->d.quiet_warnings = true; /* each warning once, for the first point */
    }
    diags_publish(sc);
    for (int p = 0; p < n_points && ok; p++)
        out[p] = run_spec(&specs[p], threads, nominal);
    for (int p = 0; p < loaded; p++)
        spec_release(&specs[p]);
    free(specs);
    return ok;
}
