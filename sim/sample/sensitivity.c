/*
 * sensitivity.c - Spearman correlation (GSL), Sobol indices with bootstrap intervals, the
 * Saltelli and tornado designs, and the whole analysis of a spec (see sensitivity.h).
 */
#include "sample/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "core/result.h"
#include "sample/rng.h"
#include "util/xalloc.h"

double sensitivity_spearman(const double *x, const double *y, long n)
{
    if (n < 2)
        return 0;
    if (gsl_stats_variance(x, 1, (size_t)n) == 0 || gsl_stats_variance(y, 1, (size_t)n) == 0)
        return 0;
    double *work = xmalloc(2 * (size_t)n * sizeof *work);
    const double r = gsl_stats_spearman(x, 1, y, 1, (size_t)n, work);
    free(work);
    return r;
}

/* The two estimators over rows idx[0..n) (idx NULL: all rows in order). f(B) is centred on
 * the mean of f over A and B before the first-order product: the same expectation, far less
 * variance when the output's mean is large against its spread (Saltelli et al. 2010, sec. 4). */
static void estimate(const double *f_a, const double *f_b, const double *f_ab, long n, const long *idx,
                     double *first, double *total)
{
    double sum = 0;
    for (long r = 0; r < n; r++) {
        const long i = idx ? idx[r] : r;
        sum += f_a[i] + f_b[i];
    }
    const double m = sum / (2.0 * (double)n);
    double var = 0, s1 = 0, st = 0;
    for (long r = 0; r < n; r++) {
        const long i = idx ? idx[r] : r;
        var += (f_a[i] - m) * (f_a[i] - m) + (f_b[i] - m) * (f_b[i] - m);
        s1 += (f_b[i] - m) * (f_ab[i] - f_a[i]);
        const double d = f_a[i] - f_ab[i];
        st += d * d;
    }
    var /= 2.0 * (double)n;
    if (!(var > 1e-24 * (m * m + 1e-300))) {
        *first = *total = 0;
        return;
    }
    *first = s1 / (double)n / var;
    *total = st / (2.0 * (double)n) / var;
}

void sensitivity_sobol(const double *f_a, const double *f_b, const double *f_ab, long n, int n_boot,
                       unsigned long seed, struct sobol_estimate *out)
{
    estimate(f_a, f_b, f_ab, n, NULL, &out->first, &out->total);
    out->first_lo = out->first_hi = out->first;
    out->total_lo = out->total_hi = out->total;
    if (n_boot < 2 || n < 2)
        return;
    double *b1 = xmalloc((size_t)n_boot * sizeof *b1), *bt = xmalloc((size_t)n_boot * sizeof *bt);
    long *idx = xmalloc((size_t)n * sizeof *idx);
    gsl_rng *r = rng_new();
    gsl_rng_set(r, rng_seed_of(seed, 0, 0x50b01ULL));
    for (int b = 0; b < n_boot; b++) {
        for (long i = 0; i < n; i++)
            idx[i] = (long)gsl_rng_uniform_int(r, (unsigned long)n);
        estimate(f_a, f_b, f_ab, n, idx, &b1[b], &bt[b]);
    }
    gsl_sort(b1, 1, (size_t)n_boot);
    gsl_sort(bt, 1, (size_t)n_boot);
    out->first_lo = gsl_stats_quantile_from_sorted_data(b1, 1, (size_t)n_boot, 0.025);
    out->first_hi = gsl_stats_quantile_from_sorted_data(b1, 1, (size_t)n_boot, 0.975);
    out->total_lo = gsl_stats_quantile_from_sorted_data(bt, 1, (size_t)n_boot, 0.025);
    out->total_hi = gsl_stats_quantile_from_sorted_data(bt, 1, (size_t)n_boot, 0.975);
    gsl_rng_free(r);
    free(idx);
    free(b1);
    free(bt);
}

double sensitivity_elasticity(double f_minus, double f0, double f_plus, double h)
{
    if (!(f0 != 0) || !isfinite(f0) || !(h > 0))
        return NAN;
    return (f_plus - f_minus) / (2 * h * f0);
}

void sensitivity_scale_dist(const struct dist *d, double c, struct dist *out)
{
    *out = *d;
    out->value *= c;
    out->lo *= c; /* +-HUGE_VAL stays as it is */
    out->hi *= c;
    out->a *= c;
    if (d->kind == DIST_NORMAL)
        out->b *= c; /* sd; a lognormal's b is its gsd, a ratio */
    if (d->kind == DIST_CHOICE) {
        out->values = xmalloc((size_t)d->n_values * sizeof *out->values);
        out->weights = xmalloc((size_t)d->n_values * sizeof *out->weights);
        for (int i = 0; i < d->n_values; i++)
            out->values[i] = c * d->values[i];
        memcpy(out->weights, d->weights, (size_t)d->n_values * sizeof *out->weights);
    } else {
        out->values = out->weights = NULL;
    }
}

void sensitivity_dist_release(struct dist *d)
{
    free(d->values);
    free(d->weights);
    d->values = d->weights = NULL;
}

/* ---- Designs */

void sensitivity_saltelli_ab(const double *a, const double *b, long n, int k, int j, double *ab)
{
    memcpy(ab, a, (size_t)(n * k) * sizeof *ab);
    for (long i = 0; i < n; i++)
        ab[i * k + j] = b[i * k + j];
}

unsigned long sensitivity_sobol_seed(unsigned long seed, int mi, int k, int j)
{
    return seed + (unsigned long)(mi * k + j);
}

void sensitivity_tornado_inputs(const double *inputs, long n, int k, int j, double value, double *out)
{
    memcpy(out, inputs, (size_t)(n * k) * sizeof *out);
    for (long i = 0; i < n; i++)
        out[i * k + j] = value;
}

/* ---- The analysis of a spec */

/* One-at-a-time steps: each input x (1 - h) and x (1 + h) around its central value. */
static const double ELASTICITY_STEP = 0.10;

/* Mean of metric m over the n_samples rows of r. */
static double metric_mean(const struct mc_result *r, int m)
{
    double sum = 0;
    for (long i = 0; i < r->n_samples; i++)
        sum += r->metrics[i * METRIC_COUNT + m];
    return sum / (double)r->n_samples;
}

/* Means of the chosen metrics over a run of s with options mo. */
static void run_means(const struct spec *s, const struct mc_options *mo, const int *metrics, int n_metrics,
                      double *out)
{
    struct mc_result r;
    montecarlo_run(s, mo, &r);
    for (int mi = 0; mi < n_metrics; mi++)
        out[mi] = metric_mean(&r, metrics[mi]);
    mc_result_release(&r);
}

/* Spearman of every uncertain input (columns of the base run) and every metric. */
static void spearman_all(struct sensitivity_analysis *a)
{
    const long n = a->base.n_samples;
    const int k = a->n_uncertain;
    double *x = xmalloc((size_t)n * sizeof *x), *y = xmalloc((size_t)n * sizeof *y);
    for (int j = 0; j < k; j++) {
        for (long i = 0; i < n; i++)
            x[i] = a->base.inputs[i * k + j];
        for (int mi = 0; mi < a->n_metrics; mi++) {
            for (long i = 0; i < n; i++)
                y[i] = a->base.metrics[i * METRIC_COUNT + a->metrics[mi]];
            a->entries[mi * a->n_inputs + j].spearman = sensitivity_spearman(x, y, n);
        }
    }
    free(x);
    free(y);
}

/* Tornado: input j at its P5, then at its P95, every other input as drawn (same draws). */
static void tornado_all(struct sensitivity_analysis *a, const struct spec *s, const struct mc_options *mo)
{
    const long n = a->samples;
    const int k = a->n_uncertain;
    double *given = xmalloc((size_t)(n * (k ? k : 1)) * sizeof *given);
    for (int j = 0; j < k; j++) {
        for (int side = 0; side < 2; side++) {
            sensitivity_tornado_inputs(a->base.inputs, n, k, j, side ? a->p95[j] : a->p5[j], given);
            struct mc_options tmo = *mo;
            tmo.given_inputs = given;
            struct mc_result tr;
            montecarlo_run(s, &tmo, &tr);
            for (int mi = 0; mi < a->n_metrics; mi++) {
                struct sensitivity_entry *e = &a->entries[mi * a->n_inputs + j];
                *(side ? &e->tornado_high : &e->tornado_low) = metric_mean(&tr, a->metrics[mi]);
            }
            mc_result_release(&tr);
        }
    }
    free(given);
}

/* Sobol on the Saltelli design: A = draws of samples 0..N-1, B = draws of samples N..2N-1,
 * AB_j = A with column j from B. Every run of row i shares the event streams of sample i,
 * so the events do not add noise between the matrices. */
static void sobol_all(struct sensitivity_analysis *a, const struct spec *s, int threads)
{
    const long n = a->sobol_samples;
    const int k = a->n_uncertain;
    double *ma = xmalloc((size_t)(n * k) * sizeof *ma), *mb = xmalloc((size_t)(n * k) * sizeof *mb);
    double *ab = xmalloc((size_t)(n * k) * sizeof *ab);
    montecarlo_draw_inputs(s, s->seed, 0, n, ma);
    montecarlo_draw_inputs(s, s->seed, n, n, mb);
    struct mc_options so = { .samples = n, .seed = s->seed, .threads = threads };
    struct mc_result ra, rb;
    so.given_inputs = ma;
    montecarlo_run(s, &so, &ra);
    so.given_inputs = mb;
    montecarlo_run(s, &so, &rb);
    double *fa = xmalloc((size_t)n * sizeof *fa), *fb = xmalloc((size_t)n * sizeof *fb);
    double *fab = xmalloc((size_t)n * sizeof *fab);
    for (int j = 0; j < k; j++) {
        sensitivity_saltelli_ab(ma, mb, n, k, j, ab);
        so.given_inputs = ab;
        struct mc_result rab;
        montecarlo_run(s, &so, &rab);
        for (int mi = 0; mi < a->n_metrics; mi++) {
            const int m = a->metrics[mi];
            for (long i = 0; i < n; i++) {
                fa[i] = ra.metrics[i * METRIC_COUNT + m];
                fb[i] = rb.metrics[i * METRIC_COUNT + m];
                fab[i] = rab.metrics[i * METRIC_COUNT + m];
            }
            struct sobol_estimate est;
            sensitivity_sobol(fa, fb, fab, n, SENSITIVITY_BOOTSTRAP, sensitivity_sobol_seed(s->seed, mi, k, j), &est);
            struct sensitivity_entry *e = &a->entries[mi * a->n_inputs + j];
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
    free(ma);
    free(mb);
    free(ab);
}

/* Elasticity of each metric to every input (DESIGN 9): every per-sample input held at its
 * central value, the input of interest x (1 -+ h) in turn; event processes (failures,
 * restarts, maintenance) as drawn, with the same streams in every run, so their noise
 * cancels. A per-event input (restart_min) has its distribution scaled. The central values
 * themselves are left alone (a series is still scaled by drawn / central). The spec's
 * inputs are restored before returning. */
static void elasticities(struct sensitivity_analysis *a, struct spec *s, int threads)
{
    struct dist *saved = xmalloc((size_t)(s->n_inputs ? s->n_inputs : 1) * sizeof *saved);
    for (int i = 0; i < s->n_inputs; i++) {
        struct input *in = &s->inputs[i];
        saved[i] = in->dist;
        if (in->draw == INPUT_PER_SAMPLE)
            in->dist = (struct dist){ .kind = DIST_FIXED, .value = in->central, .lo = in->central, .hi = in->central };
    }
    const bool random = s->inputs[s->failures_in].central > 0 || s->planned_per_day > 0;
    const struct mc_options mo = { .samples = random ? s->samples : 1, .seed = s->seed, .threads = threads };
    double f0[REPORT_MAX_METRICS], fm[REPORT_MAX_METRICS], fp[REPORT_MAX_METRICS];
    run_means(s, &mo, a->metrics, a->n_metrics, f0);
    for (int j = 0; j < a->n_inputs; j++) {
        struct input *in = &s->inputs[a->ids[j]];
        const struct dist base = in->dist;
        for (int side = 0; side < 2; side++) {
            struct dist scaled;
            sensitivity_scale_dist(&base, side ? 1 + ELASTICITY_STEP : 1 - ELASTICITY_STEP, &scaled);
            in->dist = scaled;
            run_means(s, &mo, a->metrics, a->n_metrics, side ? fp : fm);
            sensitivity_dist_release(&scaled);
        }
        in->dist = base;
        for (int mi = 0; mi < a->n_metrics; mi++) {
            struct sensitivity_entry *e = &a->entries[mi * a->n_inputs + j];
            e->at_minus = fm[mi];
            e->at_plus = fp[mi];
            e->elasticity = in->central != 0 ? sensitivity_elasticity(fm[mi], f0[mi], fp[mi], ELASTICITY_STEP)
                                             : (double)NAN;
        }
    }
    for (int i = 0; i < s->n_inputs; i++)
        s->inputs[i].dist = saved[i];
    free(saved);
    a->elasticity_samples = mo.samples;
}

void sensitivity_analyse(struct spec *s, const int *metrics, int n_metrics, long n_sobol, int threads,
                         struct sensitivity_analysis *out)
{
    struct sensitivity_analysis *a = out;
    memset(a, 0, sizeof *a);
    a->n_metrics = n_metrics;
    memcpy(a->metrics, metrics, (size_t)n_metrics * sizeof *metrics);
    a->samples = s->samples;
    a->sobol_samples = n_sobol > 0 ? n_sobol : SENSITIVITY_DEFAULT_SOBOL;
    a->elasticity_step = ELASTICITY_STEP;
    const int k = spec_n_uncertain(s);
    a->n_uncertain = k;

    /* Base run: Spearman correlations between each drawn input and each metric. */
    const struct mc_options mo = { .samples = a->samples, .seed = s->seed, .threads = threads };
    montecarlo_run(s, &mo, &a->base);
    montecarlo_report(s, &mo, &a->base, &a->base_rep);

    /* Rows: the k uncertain inputs (columns of base.inputs), then every other input. */
    const int n_all = s->n_inputs;
    const size_t rows = (size_t)(n_all ? n_all : 1);
    a->n_inputs = n_all;
    a->ids = xcalloc(rows, sizeof *a->ids);
    for (int j = 0; j < k; j++)
        a->ids[j] = a->base.input_ids[j];
    for (int i = 0, r = k; i < s->n_inputs; i++)
        if (!spec_input_uncertain(s, i))
            a->ids[r++] = i;
    a->paths = xcalloc(rows, sizeof *a->paths);
    a->p5 = xcalloc(rows, sizeof *a->p5);
    a->p95 = xcalloc(rows, sizeof *a->p95);
    a->central = xcalloc(rows, sizeof *a->central);
    a->entries = xcalloc((size_t)n_metrics * rows, sizeof *a->entries);
    for (int j = 0; j < n_all; j++) {
        const struct input *in = &s->inputs[a->ids[j]];
        a->paths[j] = in->path;
        a->central[j] = in->central;
        a->p5[j] = montecarlo_quantile(&in->dist, 0.05);
        a->p95[j] = montecarlo_quantile(&in->dist, 0.95);
        for (int mi = 0; j >= k && mi < n_metrics; mi++) {
            struct sensitivity_entry *e = &a->entries[mi * n_all + j];
            e->spearman = e->tornado_low = e->tornado_high = NAN;
            e->sobol_first = e->sobol_first_lo = e->sobol_first_hi = NAN;
            e->sobol_total = e->sobol_total_lo = e->sobol_total_hi = NAN;
        }
    }
    spearman_all(a);
    tornado_all(a, s, &mo);
    if (k > 0)
        sobol_all(a, s, threads);
    elasticities(a, s, threads); /* every numeric input, fixed or uncertain */
}

void sensitivity_analysis_release(struct sensitivity_analysis *a)
{
    free(a->ids);
    free(a->paths);
    free(a->p5);
    free(a->p95);
    free(a->central);
    free(a->entries);
    mc_result_release(&a->base);
    memset(a, 0, sizeof *a);
}

void sensitivity_analysis_report(const struct sensitivity_analysis *a, const struct spec *s,
                                 struct sensitivity_report *out)
{
    *out = (struct sensitivity_report){ .scenario = s->name, .file = s->file, .seed = s->seed, .samples = a->samples,
                                        .sobol_samples = a->sobol_samples, .elasticity_samples = a->elasticity_samples,
                                        .elasticity_step = a->elasticity_step, .n_inputs = a->n_inputs,
                                        .n_uncertain = a->n_uncertain, .inputs = a->paths, .input_p5 = a->p5,
                                        .input_p95 = a->p95, .input_central = a->central, .n_metrics = a->n_metrics,
                                        .base = &a->base_rep, .entries = a->entries };
    memcpy(out->metrics, a->metrics, sizeof out->metrics);
}
