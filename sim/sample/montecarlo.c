/*
 * montecarlo.c - the sample loop and the statistics across samples.
 */
#include "sample/montecarlo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_histogram.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "core/engine.h"
#include "core/profile.h"
#include "sample/dist.h"
#include "sample/rng.h"
#include "util/hash.h"
#include "util/interrupt.h"
#include "util/par.h"
#include "util/progress.h"
#include "util/xalloc.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* What a thread needs to run samples: its own generators, engine and input buffer. */
struct worker {
    const struct spec *spec;
    const struct dist_sampler *samplers; /* shared, read-only */
    unsigned long seed;
    bool nominal;
    gsl_rng *param;                      /* reseeded per input */
    gsl_rng *stream[DRAW_KIND_COUNT];    /* reseeded per sample */
    uint64_t stream_hash[DRAW_KIND_COUNT]; /* hash_string of each stream's name */
    double *x;                           /* n_inputs */
    struct engine *engine;
};

/* The draws.next of the core: event randomness from the sample's streams. */
static double next_draw(void *ctx, enum draw_kind kind)
{
    struct worker *w = ctx;
    const struct spec *s = w->spec;
    switch (kind) {
    case DRAW_FAILURE_EXP:
    case DRAW_PLANNED_EXP:
        return w->nominal ? HUGE_VAL : gsl_ran_exponential(w->stream[kind], 1.0);
    case DRAW_RESTART_MIN:
        return w->nominal ? s->inputs[s->restart_min_in].central
                          : dist_sample(&w->samplers[s->restart_min_in], w->stream[kind]);
    case DRAW_MAINTENANCE_MIN:
        return w->nominal ? s->inputs[s->planned_downtime_min_in].central
                          : dist_sample(&w->samplers[s->planned_downtime_min_in], w->stream[kind]);
    case DRAW_KIND_COUNT:
        break;
    }
    return NAN;
}

static const char *const stream_names[DRAW_KIND_COUNT] = {
    [DRAW_FAILURE_EXP] = RNG_STREAM_FAILURES,
    [DRAW_PLANNED_EXP] = RNG_STREAM_PLANNED,
    [DRAW_RESTART_MIN] = RNG_STREAM_RESTARTS,
    [DRAW_MAINTENANCE_MIN] = RNG_STREAM_MAINTENANCE,
};

/* Draws the per-sample inputs of sample i into w->x (or copies them from given, one value
 * per uncertain input) and reseeds the event streams. */
static void draw_sample(struct worker *w, long i, const double *given)
{
    const struct spec *s = w->spec;
    int c = 0;
    for (int j = 0; j < s->n_inputs; j++) {
        const struct input *in = &s->inputs[j];
        if (w->nominal || in->draw != INPUT_PER_SAMPLE) {
            w->x[j] = in->central;
        } else if (in->dist.kind == DIST_FIXED) {
            w->x[j] = in->dist.value;
        } else if (given) {
            w->x[j] = given[c++];
        } else {
            rng_reseed(w->param, w->seed, i, in->stream);
            w->x[j] = dist_sample(&w->samplers[j], w->param);
        }
    }
    if (!w->nominal)
        for (int k = 0; k < DRAW_KIND_COUNT; k++)
            rng_reseed(w->stream[k], w->seed, i, w->stream_hash[k]);
}

/* The samplers of every input of s (read-only once built, shared by the threads). */
static struct dist_sampler *samplers_new(const struct spec *s)
{
    struct dist_sampler *samplers = xcalloc((size_t)s->n_inputs, sizeof *samplers);
    for (int j = 0; j < s->n_inputs; j++)
        dist_sampler_init(&samplers[j], &s->inputs[j].dist);
    return samplers;
}

static void samplers_free(const struct spec *s, struct dist_sampler *samplers)
{
    for (int j = 0; j < s->n_inputs; j++)
        dist_sampler_release(&samplers[j]);
    free(samplers);
}

/* Gives w its own generators and input buffer; worker_release() frees them. */
static void worker_init(struct worker *w, const struct spec *s, const struct dist_sampler *samplers,
                        unsigned long seed, bool nominal)
{
    *w = (struct worker){ .spec = s, .samplers = samplers, .seed = seed, .nominal = nominal };
    w->param = rng_new();
    for (int k = 0; k < DRAW_KIND_COUNT; k++) {
        w->stream[k] = rng_new();
        w->stream_hash[k] = hash_string(stream_names[k]);
    }
    w->x = xcalloc((size_t)s->n_inputs, sizeof *w->x);
}

static void worker_release(struct worker *w)
{
    free(w->x);
    for (int k = 0; k < DRAW_KIND_COUNT; k++)
        gsl_rng_free(w->stream[k]);
    gsl_rng_free(w->param);
}

void montecarlo_run(const struct spec *s, const struct mc_options *o, struct mc_result *out)
{
    memset(out, 0, sizeof *out);
    const long n = o->nominal ? 1 : o->samples;
    out->n_samples = n;
    out->metrics = xcalloc_huge((size_t)n * METRIC_COUNT, sizeof *out->metrics); /* filled once */
    out->is_unfinished = xcalloc((size_t)n, sizeof *out->is_unfinished);
    out->input_ids = xcalloc((size_t)s->n_inputs, sizeof *out->input_ids);
    for (int j = 0; j < s->n_inputs; j++)
        if (spec_input_uncertain(s, j))
            out->input_ids[out->n_inputs++] = j;
    out->inputs = xcalloc((size_t)n * (size_t)(out->n_inputs ? out->n_inputs : 1), sizeof *out->inputs);

    struct dist_sampler *samplers = samplers_new(s);
    struct profile *prof = profile_new(s);

    int threads = montecarlo_threads(o->threads);
    if (n < threads)
        threads = (int)n;

    long first, end;
    par_block(n, &first, &end);
    struct progress bar;
    progress_init(&bar, o->show_progress && par_is_root(), end - first, "samples");
    long done = 0;

#pragma omp parallel num_threads(threads)
    {
        struct worker w;
        worker_init(&w, s, samplers, o->seed, o->nominal);
        w.engine = engine_new(s, prof);
        const struct trial trial = { .x = w.x, .draws = { next_draw, &w } };
        struct run_result res;

#pragma omp for schedule(dynamic, 8)
        for (long i = first; i < end; i++) {
            if (interrupt_requested())
                continue; /* an OpenMP loop cannot break: skip what is left */
            draw_sample(&w, o->first_sample + i,
                        o->given_inputs ? &o->given_inputs[i * out->n_inputs] : NULL);
            engine_run(w.engine, &trial, &res);
            memcpy(&out->metrics[i * METRIC_COUNT], res.metric, sizeof res.metric);
            out->is_unfinished[i] = res.is_unfinished;
            for (int c = 0; c < out->n_inputs; c++)
                out->inputs[i * out->n_inputs + c] = w.x[out->input_ids[c]];
            long now;
#pragma omp atomic capture
            now = ++done;
#ifdef _OPENMP
            if (omp_get_thread_num() == 0)
#endif
                progress_update(&bar, now);
        }

        engine_free(w.engine);
        worker_release(&w);
    }

    progress_end(&bar);
    out->is_interrupted = interrupt_requested();

    if (par_size() > 1) {
        /* Every rank computed its block; gather all blocks everywhere (util/par.h). */
        par_allgather(out->metrics, n, METRIC_COUNT);
        if (out->n_inputs)
            par_allgather(out->inputs, n, out->n_inputs);
        double *flags = xcalloc((size_t)n, sizeof *flags);
        for (long i = first; i < end; i++)
            flags[i] = out->is_unfinished[i];
        par_allgather(flags, n, 1);
        for (long i = 0; i < n; i++)
            out->is_unfinished[i] = flags[i] != 0;
        free(flags);
    }
    for (long i = 0; i < n; i++)
        out->n_unfinished += out->is_unfinished[i];
    profile_free(prof);
    samplers_free(s, samplers);
}

void montecarlo_draw_inputs(const struct spec *s, unsigned long seed, long first, long n, double *out)
{
    struct dist_sampler *samplers = samplers_new(s);
    gsl_rng *r = rng_new();
    const int k = spec_n_uncertain(s);
    for (long i = 0; i < n; i++) {
        int c = 0;
        for (int j = 0; j < s->n_inputs; j++) {
            if (!spec_input_uncertain(s, j))
                continue;
            rng_reseed(r, seed, first + i, s->inputs[j].stream);
            out[i * k + c++] = dist_sample(&samplers[j], r);
        }
    }
    gsl_rng_free(r);
    samplers_free(s, samplers);
}

int montecarlo_threads(int requested)
{
#ifdef _OPENMP
    return requested > 0 ? requested : omp_get_max_threads();
#else
    (void)requested;
    return 1;
#endif
}

double montecarlo_quantile(const struct dist *d, double p)
{
    return dist_quantile(d, p);
}

void mc_result_release(struct mc_result *r)
{
    if (!r)
        return;
    free(r->metrics);
    free(r->is_unfinished);
    free(r->input_ids);
    free(r->inputs);
    memset(r, 0, sizeof *r);
}

/* montecarlo_stats() of v[0], v[stride], ..., v[(n - 1) stride]. */
static void stats_strided(const double *v, long stride, long n, int n_q, const double *q, struct metric_stats *out)
{
    memset(out, 0, sizeof *out);
    if (n <= 0)
        return;
    for (long i = 0; i < n; i++) {
        if (isnan(v[i * stride])) {
            /* a metric the scenario's inputs do not determine (e.g. mfu of a gpu_hours stage) */
            out->mean = out->sd = out->min = out->max = NAN;
            for (int k = 0; k < n_q; k++)
                out->q[k] = NAN;
            return;
        }
    }
    double *sorted = xmalloc((size_t)n * sizeof *sorted);
    for (long i = 0; i < n; i++)
        sorted[i] = v[i * stride];
    gsl_sort(sorted, 1, (size_t)n);
    out->mean = gsl_stats_mean(sorted, 1, (size_t)n);
    out->sd = n > 1 ? gsl_stats_sd_m(sorted, 1, (size_t)n, out->mean) : 0.0;
    out->min = sorted[0];
    out->max = sorted[n - 1];
    for (int k = 0; k < n_q; k++)
        out->q[k] = gsl_stats_quantile_from_sorted_data(sorted, 1, (size_t)n, q[k]);
    if (out->max > out->min) {
        gsl_histogram *h = gsl_histogram_alloc(REPORT_HIST_BINS);
        gsl_histogram_set_ranges_uniform(h, out->min, out->max);
        /* gsl_histogram bins are half-open [lo, hi): the maximum goes into the last bin. */
        const double below_max = nextafter(out->max, out->min);
        for (long i = 0; i < n; i++)
            gsl_histogram_increment(h, sorted[i] < below_max ? sorted[i] : below_max);
        for (int b = 0; b < REPORT_HIST_BINS; b++)
            out->hist[b] = gsl_histogram_get(h, (size_t)b);
        gsl_histogram_free(h);
    } else {
        out->hist[REPORT_HIST_BINS / 2] = (double)n;
    }
    free(sorted);
}

void montecarlo_stats(const double *v, long n, int n_q, const double *q, struct metric_stats *out)
{
    stats_strided(v, 1, n, n_q, q, out);
}

void montecarlo_metric_stats(const struct mc_result *r, int metric, int n_q, const double *q,
                             struct metric_stats *out)
{
    stats_strided(&r->metrics[metric], METRIC_COUNT, r->n_samples, n_q, q, out);
}

void montecarlo_report(const struct spec *s, const struct mc_options *o, const struct mc_result *r,
                       struct report *out)
{
    memset(out, 0, sizeof *out);
    out->scenario = s->name;
    out->file = s->file;
    out->model = s->model_name;
    out->accelerator = s->accelerator;
    out->accelerator_count = s->count;
    out->seed = o->seed;
    out->samples = r->n_samples;
    out->nominal = o->nominal;
    out->step_min = s->step_min;
    out->unfinished_samples = r->n_unfinished;
    out->n_quantiles = s->n_quantiles;
    memcpy(out->quantiles, s->quantiles, (size_t)s->n_quantiles * sizeof *s->quantiles);
    out->n_metrics = METRIC_COUNT;
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct metric_info *mi = metric_info(m);
        out->metric[m].key = mi->key;
        out->metric[m].unit = mi->unit;
        out->metric[m].label = mi->label;
        montecarlo_metric_stats(r, m, s->n_quantiles, s->quantiles, &out->metric[m].s);
    }
}

void montecarlo_table(const struct spec *s, const struct mc_result *r, struct sample_table *out)
{
    const int n_cols = 1 + r->n_inputs + METRIC_COUNT;
    const char **names = xcalloc((size_t)n_cols, sizeof *names);
    double *v = xcalloc((size_t)r->n_samples * (size_t)n_cols, sizeof *v);
    names[0] = "sample";
    for (int c = 0; c < r->n_inputs; c++)
        names[1 + c] = s->inputs[r->input_ids[c]].path;
    for (int m = 0; m < METRIC_COUNT; m++)
        names[1 + r->n_inputs + m] = metric_info(m)->key;
    for (long i = 0; i < r->n_samples; i++) {
        double *row = &v[i * n_cols];
        row[0] = (double)i;
        for (int c = 0; c < r->n_inputs; c++)
            row[1 + c] = r->inputs[i * r->n_inputs + c];
        for (int m = 0; m < METRIC_COUNT; m++)
            row[1 + r->n_inputs + m] = r->metrics[i * METRIC_COUNT + m];
    }
    out->n_rows = r->n_samples;
    out->n_cols = n_cols;
    out->col_names = names;
    out->values = v;
}

void montecarlo_table_release(struct sample_table *t)
{
    if (!t)
        return;
    free(t->col_names);
    free(t->values);
    memset(t, 0, sizeof *t);
}

/* One sample for a caller that steps the engine itself: a worker of its own, drawn once. */
struct mc_trial {
    struct dist_sampler *samplers; /* owned, spec->n_inputs */
    struct worker w;               /* owns its generators and x */
    struct trial trial;            /* points into w */
};

struct mc_trial *montecarlo_trial_new(const struct spec *s, unsigned long seed, long index, bool nominal)
{
    struct mc_trial *t = xcalloc(1, sizeof *t);
    t->samplers = samplers_new(s);
    worker_init(&t->w, s, t->samplers, seed, nominal);
    draw_sample(&t->w, index, NULL); /* exactly what montecarlo_run() does for sample index */
    t->trial = (struct trial){ .x = t->w.x, .draws = { next_draw, &t->w } };
    return t;
}

const struct trial *montecarlo_trial_get(const struct mc_trial *t)
{
    return &t->trial;
}

void montecarlo_trial_free(struct mc_trial *t)
{
    if (!t)
        return;
    samplers_free(t->w.spec, t->samplers);
    worker_release(&t->w);
    free(t);
}
