/*
 * test_agreement.c - the fast engine equals the reference walk (issue 15).
 *
 * engine_run() (prefix sums of PUE/CI over the step grid, whole checkpoint cycles in one
 * move) must give every metric of engine_step() walked to the end -- today's stepping
 * engine -- within 1e-9 relative, and the same counts, on
 *   1. every scenario of scenarios/, scenarios/published/ and bench/, a few samples each;
 *   2. a corpus of random scenarios drawn over the schema: one to three stages of every
 *      work form, utilization curves with flat and sloping pieces, sinusoidal and series
 *      PUE and grid profiles (with the PUE >= 1 clip binding for some samples), failures,
 *      fixed and auto checkpoints, planned maintenance, uncertain inputs, step lengths from
 *      1 to 60 minutes, and runs cut off at max_days.
 * The corpus is generated from a fixed seed as YAML text and read by the loader, so every
 * scenario is one the schema accepts; its series CSVs are written to a temporary folder.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agree.h"
#include "check.h"
#include "core/profile.h"
#include "load/catalog.h"
#include "load/load.h"
#include "util/xalloc.h"

static const double TOL_REL = 1e-9;

struct tally {
    long scenarios, samples, steps, failures;
    long varying, series, curves, clipped, unfinished; /* what the samples exercised */
    int bad;
    double worst;
};

/* Compares engine_run with the walk on samples 0 .. n - 1 of s; 'what' names s in messages. */
static void agree_spec(const struct spec *s, long n, const char *what, struct tally *t)
{
    struct profile *p = profile_new(s);
    struct engine *e = engine_new(s, p);
    bool has_curve = false;
    for (int k = 0; k < s->n_stages; k++)
        has_curve |= s->stages[k].curve.n > 0;
    for (long i = 0; i < n; i++) {
        struct mc_trial *mt = montecarlo_trial_new(s, s->seed, i, false);
        const double *x = montecarlo_trial_get(mt)->x;
        struct profile_scale sc;
        profile_scale_init(p, x[s->pue_in], x[s->intensity_in], &sc);
        montecarlo_trial_free(mt);
        t->clipped += sc.may_clip;
        t->varying += p->pue_shape || p->ci_shape;
        t->series += s->pue_series.n > 0 || s->grid_series.n > 0;
        t->curves += has_curve;
        struct run_result fast, walk;
        agree_sample(e, s, s->seed, i, false, &fast);
        t->steps += agree_sample(e, s, s->seed, i, true, &walk);
        const double d = metrics_rel_diff(&fast, &walk);
        if (!(d <= TOL_REL)) {
            t->bad++;
            fprintf(stderr, "%s: sample %ld differs (largest relative difference %.3g)\n", what, i, d);
            for (int m = 0; m < METRIC_COUNT; m++)
                if (fast.metric[m] != walk.metric[m])
                    fprintf(stderr, "  %-22s fast %.17g walk %.17g\n", metric_info(m)->key, fast.metric[m],
                            walk.metric[m]);
        }
        t->worst = d > t->worst ? d : t->worst;
        t->failures += (long)walk.metric[METRIC_INTERRUPTIONS];
        t->unfinished += walk.is_unfinished;
        t->samples++;
    }
    t->scenarios++;
    engine_free(e);
    profile_free(p);
}

/* ---- 1. The scenarios in the tree */

static void agree_folder(const struct catalog *cat, const char *dir, struct tally *t)
{
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *devnull = fopen("/dev/null", "w");
        struct diag dg;
        diag_init(&dg, devnull);
        const struct load_options o = { .catalog = cat };
        struct spec s;
        const bool ok = load_scenario(&dg, path, &o, &s);
        diag_release(&dg);
        fclose(devnull);
        CHECK(ok);
        if (!ok) {
            fprintf(stderr, "%s: does not load\n", path);
            continue;
        }
        /* A handful of samples: the walk of bench B or C takes a few milliseconds a sample. */
        agree_spec(&s, strstr(path, "bench/") ? 4 : 6, path, t);
        spec_release(&s);
    }
    closedir(d);
}

/* ---- 2. The random corpus */

#define SPLITMIX_SEED 0x9e3779b97f4a7c15u
#include "splitmix.h"

static bool chance(double p)
{
    return unif() < p;
}

struct text {
    char buf[8192];
    size_t len;
};

static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n < sizeof t->buf - t->len ? (size_t)n : sizeof t->buf - t->len - 1;
}

/* A number or, with probability p_dist, a uniform distribution of +-spread around it. */
static void put_num(struct text *t, const char *key, double v, double spread, double p_dist)
{
    if (chance(p_dist))
        put(t, "%s: {dist: uniform, min: %.6g, max: %.6g}\n", key, v * (1 - spread), v * (1 + spread));
    else
        put(t, "%s: %.6g\n", key, v);
}

/* A utilization curve of 2 to 5 points, pieces flat or sloping. */
static void put_curve(struct text *t)
{
    const int n = 2 + (int)(unif() * 4);
    double x[5], y[5];
    x[0] = 0;
    for (int i = 1; i < n - 1; i++)
        x[i] = x[i - 1] + between(0.02, (1 - x[i - 1]) * 0.7);
    x[n - 1] = 1;
    for (int i = 0; i < n; i++)
        y[i] = i > 0 && chance(0.5) ? y[i - 1] : between(0.5, 1.1);
    put(t, "      utilization_curve: [");
    for (int i = 0; i < n; i++)
        put(t, "%s[%.6g, %.6g]", i ? ", " : "", x[i], y[i]);
    put(t, "]\n");
}

/* Writes an hourly series CSV of n rows starting at unix time t0 (values around mean, at
 * least floor_v, some hours repeating the previous one) to dir/name. */
static void write_series(const char *dir, const char *name, const char *col, double t0, int n, double mean, double amp,
                         double floor_v)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "timestamp,%s\n", col);
    double v = mean;
    for (int i = 0; i < n; i++) {
        const long ts = (long)t0 + 3600L * i;
        const long days = ts / 86400, sod = ts % 86400;
        /* civil date from days since 1970 (Howard Hinnant's algorithm) */
        const long z = days + 719468, era = z / 146097, doe = z - era * 146097;
        const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        const long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
        if (!chance(0.3))
            v = fmax(mean * (1 + amp * between(-1, 1)), floor_v);
        fprintf(f, "%04ld-%02ld-%02ldT%02ld:00:00Z,%.5f\n", y, m, d, sod / 3600, v);
    }
    fclose(f);
}

static const double START_2025 = 1735689600; /* 2025-01-01T00:00:00Z */

/* Scenario number k of the corpus, as YAML text; its series (if any) written to dir. */
static void corpus_scenario(int k, const char *dir, struct text *t)
{
    t->len = 0;
    const double step_min = (double[]){ 1, 2.5, 5, 10, 15, 30, 60 }[(int)(unif() * 7)];
    const long count = 8L << (int)(unif() * 9);        /* 8 .. 2048 H100s */
    /* Wall time at full speed, hours: at most ~15,000 steps, so the walk stays fast. */
    const double hours = between(2, 15000 * step_min / 60);
    const int day = 1 + (int)(unif() * 27), month = 1 + (int)(unif() * 12), hour = (int)(unif() * 24);
    put(t, "name: corpus %d\nstart: 2025-%02d-%02dT%02d:00:00Z\n", k, month, day, hour);
    put(t, "workload:\n  stages:\n");
    const int n_stages = 1 + (int)(unif() * 3);
    const double tflops = 989.4e12;
    for (int i = 0; i < n_stages; i++) {
        const double h = hours / n_stages * between(0.5, 1.5);
        put(t, "    - name: s%d\n", i);
        switch ((int)(unif() * 4)) {
        case 0:
            put(t, "      gpu_hours: %.6g\n", h * (double)count);
            if (chance(0.5))
                put_num(t, "      speed", between(0.8, 1.2), 0.1, 0.5);
            break;
        case 1:
            put(t, "      flops: %.6g\n", h * 3600 * (double)count * tflops * 0.4);
            put_num(t, "      mfu", 0.4, 0.1, 0.6);
            break;
        case 2:
            put(t, "      params: 7e9\n      tokens: %.6g\n", h * 3600 * (double)count * tflops * 0.4 / 42e9);
            put_num(t, "      mfu", 0.4, 0.1, 0.6);
            break;
        default:
            put(t, "      tokens: %.6g\n", h * 3600 * (double)count * 3000);
            put_num(t, "      tokens_per_gpu_s", 3000, 0.1, 0.6);
            break;
        }
        if (chance(0.5))
            put_curve(t);
        if (chance(0.2))
            put(t, "      busy_fraction: %.4g\n", between(0.7, 1.0));
    }
    put(t, "cluster:\n  accelerator: H100-SXM\n  count: %ld\n", count);
    put_num(t, "  overhead_factor", between(1.06, 1.4), 0.05, 0.5);
    if (chance(0.3))
        put_num(t, "  node_overhead_w", between(0, 500), 0.2, 0.5);
    put(t, "power:\n");
    put_num(t, "  busy_fraction", between(0.8, 1.0), 0.05, 0.5);
    put(t, "facility:\n");
    const double pue = between(1.0, 1.5);
    const int pue_kind = (int)(unif() * 4); /* constant, sinusoids, series, series scaled by an uncertain pue */
    const char *pue_file = NULL;
    if (pue_kind == 2 || pue_kind == 3) {
        static char name[64];
        snprintf(name, sizeof name, "pue-%d.csv", k);
        write_series(dir, name, "pue", START_2025 + 3600.0 * (double)(int)(unif() * 24 * 300),
                     24 * (2 + (int)(unif() * 60)), between(1.02, 1.3), between(0, 0.15), 1.0);
        pue_file = name;
        put(t, "  pue_series: %s\n", pue_file);
        if (pue_kind == 3)
            put(t, "  pue: {dist: uniform, min: %.4g, max: %.4g}\n", pue * 0.85 < 1 ? 1 : pue * 0.85, pue * 1.1);
    } else {
        /* low means with large terms: the clip binds */
        if (chance(0.5))
            put(t, "  pue: {dist: uniform, min: %.4g, max: %.4g}\n", fmax(1.0, pue - 0.08), pue + 0.08);
        else
            put(t, "  pue: %.4g\n", pue);
        if (pue_kind == 1) {
            if (chance(0.7))
                put(t, "  pue_seasonal_amplitude: %.4g\n  pue_peak_day: %d\n", between(0, 0.25), 1 + (int)(unif() * 365));
            if (chance(0.7))
                put(t, "  pue_diurnal_amplitude: %.4g\n  pue_peak_hour: %d\n", between(0, 0.2), (int)(unif() * 24));
        }
    }
    if (chance(0.5))
        put(t, "  utc_offset_h: %d\n", (int)(unif() * 24) - 12);
    if (chance(0.3))
        put_num(t, "  wue_l_per_kwh", between(0, 2), 0.2, 0.5);
    put(t, "grid:\n");
    const double ci = between(0.02, 0.9);
    switch ((int)(unif() * 3)) {
    case 0:
        put_num(t, "  intensity_kg_per_kwh", ci, 0.3, 0.5);
        break;
    case 1:
        put_num(t, "  intensity_kg_per_kwh", ci, 0.3, 0.5);
        if (chance(0.6))
            put(t, "  seasonal_amplitude: %.4g\n  peak_day: %d\n", between(0, 0.4), 1 + (int)(unif() * 365));
        if (chance(0.7))
            put(t, "  diurnal_amplitude: %.4g\n  peak_hour: %d\n", between(0, 0.4), (int)(unif() * 24));
        break;
    default: {
        char name[64];
        snprintf(name, sizeof name, "grid-%d.csv", k);
        write_series(dir, name, "kg_per_kwh", START_2025 + 3600.0 * (double)(int)(unif() * 24 * 300),
                     24 * (2 + (int)(unif() * 60)), ci, between(0, 0.5), 0.0);
        put(t, "  series: %s\n", name);
        if (chance(0.5))
            put(t, "  intensity_kg_per_kwh: {dist: uniform, min: %.4g, max: %.4g}\n", ci * 0.7, ci * 1.3);
        break;
    }
    }
    if (chance(0.3))
        put_num(t, "  carbon_free_fraction", between(0, 0.8), 0.2, 0.5);
    put(t, "reliability:\n");
    /* Job failure rate count/8 x f / 24000 per hour: from none to about one every few hours. */
    if (chance(0.85)) {
        const double per_h = between(0.02, 0.6) * (chance(0.3) ? 0.1 : 1);
        put_num(t, "  failures_per_1000_node_days", per_h * 24000 / ((double)count / 8), 0.3, 0.5);
        put(t, "  restart_min: {dist: lognormal, median: %.4g, gsd: 1.8}\n", between(2, 40));
    }
    const bool no_write = chance(0.1); /* then auto (the default) is refused */
    if (no_write || chance(0.5))
        put(t, "  checkpoint_interval_min: %.4g\n", between(step_min * 0.3, 240));
    else if (chance(0.2))
        put(t, "  checkpoint_interval_min: 1e7\n"); /* no checkpoint in the run */
    put_num(t, "  checkpoint_write_min", no_write ? 0 : between(0.2, 8), 0.3, no_write ? 0 : 0.4);
    if (chance(0.4)) {
        put(t, "  planned_per_day: %.4g\n", between(0.05, 3));
        put(t, "  planned_downtime_min: {dist: lognormal, median: %.4g, gsd: 1.5}\n", between(5, 60));
    }
    put(t, "economics:\n");
    put_num(t, "  gpu_hour_usd", between(1, 4), 0.2, 0.5);
    put_num(t, "  electricity_usd_per_kwh", between(0, 0.2), 0.2, 0.5);
    put(t, "sim:\n  seed: %d\n  step_min: %g\n", 1 + k, step_min);
    /* Some runs cut off (censored samples); the others may take 3x their time at full speed
     * (a run with frequent failures and no checkpoint may never finish). */
    put(t, "  max_days: %.4g\n", hours / 24 * (chance(0.2) ? between(0.3, 1.1) : 3));
}

static void agree_corpus(const struct catalog *cat, int want, struct tally *t)
{
    char dir[] = "/tmp/trainsim_agreement_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int loaded = 0, refused = 0;
    struct text *txt = xmalloc(sizeof *txt);
    for (int k = 0; loaded < want && k < 4 * want; k++) {
        corpus_scenario(k, dir, txt);
        char name[4200];
        snprintf(name, sizeof name, "%s/corpus-%d.yaml", dir, k);
        char *msg = NULL;
        size_t msg_len = 0;
        FILE *mf = open_memstream(&msg, &msg_len);
        struct diag dg;
        diag_init(&dg, mf);
        const struct load_options o = { .catalog = cat };
        struct spec s;
        const bool ok = load_scenario_text(&dg, name, txt->buf, txt->len, &o, &s);
        diag_release(&dg);
        fclose(mf);
        if (ok) {
            loaded++;
            agree_spec(&s, 3, name, t);
            spec_release(&s);
        } else {
            refused++;
            if (refused <= 10)
                fprintf(stderr, "corpus %d refused by the loader (skipped):\n%s%s", k, msg, txt->buf);
        }
        free(msg);
    }
    free(txt);
    fprintf(stderr, "corpus: %d scenarios loaded, %d refused by the loader\n", loaded, refused);
    CHECK(loaded >= want);
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void report(const char *what, const struct tally *t)
{
    fprintf(stderr, "%s: %ld scenarios, %ld samples, %ld walk steps, %ld failures; %d differ; largest relative "
                    "difference %.3g\n",
            what, t->scenarios, t->samples, t->steps, t->failures, t->bad, t->worst);
    fprintf(stderr, "  samples with: time-varying PUE or CI %ld, a series %ld, a utilization curve %ld, the PUE clip "
                    "able to bind %ld, unfinished at max_days %ld\n",
            t->varying, t->series, t->curves, t->clipped, t->unfinished);
}

int main(void)
{
    FILE *devnull = fopen("/dev/null", "w");
    struct diag dg;
    diag_init(&dg, devnull);
    struct catalog cat;
    const bool cat_ok = catalog_load(&cat, &dg, NULL);
    diag_release(&dg);
    fclose(devnull);
    CHECK(cat_ok);
    if (!cat_ok)
        return CHECK_EXIT();

    struct tally tree = { 0 };
    agree_folder(&cat, TS_SOURCE_DIR "/scenarios", &tree);
    agree_folder(&cat, TS_SOURCE_DIR "/scenarios/published", &tree);
    agree_folder(&cat, TS_SOURCE_DIR "/bench", &tree);
    report("scenarios in the tree", &tree);
    CHECK(tree.bad == 0 && tree.scenarios >= 25);

    struct tally corpus = { 0 };
    agree_corpus(&cat, 500, &corpus);
    report("random corpus", &corpus);
    CHECK(corpus.bad == 0);
    /* Both ways through the fast engine are exercised: events in time order only (no curve)
     * and with the grid where a curve is re-read. */
    CHECK(corpus.curves > 500 && corpus.samples - corpus.curves > 200);

    catalog_release(&cat);
    return CHECK_EXIT();
}
