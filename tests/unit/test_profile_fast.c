/*
 * test_profile_fast.c - the profile's fast tabulation against the direct formulas (issue 15).
 *
 * profile_new() builds the sinusoid shapes a block of steps at a time (the cosine at the
 * block's first step and an angle-addition rotation for the others) and a series shape a
 * row at a time (a run of equal steps per row of the series). Here every tabulated step of
 * each profile is compared with the formula of DESIGN 3.4 evaluated directly at that step
 * (libm's cosine of the step's own angle; the series looked up at the step's time): a series
 * shape must be bit-identical, a sinusoid within 1e-11 (the direct angle
 * itself carries ~1e-11 rad of rounding from the absolute time in seconds). Steps past the
 * table (profile_pue_at, profile_ci_at) must give the table's own values (the table is only a
 * cache), checked by tabulating the same profile with a shorter table. Profiles: the bench
 * scenarios with time-varying inputs and a few hundred random ones (steps of 0.5 to 60 min,
 * any start, offsets, amplitudes and peaks, series with rows of irregular length).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/profile.h"
#include "fixed_input.h"
#include "load/catalog.h"
#include "load/load.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static const double TWO_PI = 6.28318530717958647692;

/* The direct formulas, as profile.c evaluated them per step before issue 15. */
static double direct_wave(double a, double x, double peak, double period)
{
    return a == 0 ? 0 : a * cos(TWO_PI * (x - peak) / period);
}

static void direct_clock(const struct spec *s, long n, double *day, double *local)
{
    const double t = s->start_unix_s + (double)n * (s->step_min / 60.0) * 3600.0;
    *day = 1.0 + (t - time_year_start(s->start_unix_s)) / 86400.0;
    *local = fmod(fmod(t / 3600.0, 24.0) + s->utc_offset_h, 24.0);
    if (*local < 0)
        *local += 24.0;
}

/* A shape given by a series: series / central value at the step's start. */
static double direct_series(const struct spec *s, const struct series *ser, int central_in, long n)
{
    const double t = s->start_unix_s + (double)n * (s->step_min / 60.0) * 3600.0;
    return profile_series_at(ser, t) / s->inputs[central_in].central;
}

static double direct_pue(const struct spec *s, long n)
{
    if (s->pue_series.n > 0)
        return direct_series(s, &s->pue_series, s->pue_in, n);
    double day, local;
    direct_clock(s, n, &day, &local);
    return direct_wave(s->pue_seasonal_amplitude, day, s->pue_peak_day, 365.25) +
           direct_wave(s->pue_diurnal_amplitude, local, s->pue_peak_hour, 24.0);
}

static double direct_ci(const struct spec *s, long n)
{
    if (s->grid_series.n > 0)
        return direct_series(s, &s->grid_series, s->intensity_in, n);
    double day, local;
    direct_clock(s, n, &day, &local);
    return (1.0 + direct_wave(s->grid_seasonal_amplitude, day, s->grid_peak_day, 365.25)) *
           (1.0 + direct_wave(s->grid_diurnal_amplitude, local, s->grid_peak_hour, 24.0));
}

struct tally {
    long profiles, steps, bad;
    long short_checks; /* intervals of profile_add_short() checked */
    double worst; /* largest difference of a sinusoid value */
};

/* One shape: the table against the direct formula. */
static void check_shape(const double *tab, long n_tab, bool is_series, const struct spec *s,
                        double (*direct)(const struct spec *, long), struct tally *t)
{
    for (long n = 0; n < n_tab; n++) {
        const double want = direct(s, n), d = fabs(tab[n] - want);
        t->worst = !is_series && d > t->worst ? d : t->worst;
        if (is_series ? tab[n] != want : !(d <= 1e-11)) {
            if (t->bad++ < 10)
                fprintf(stderr, "%s: step %ld: table %.17g, direct %.17g\n", s->name ? s->name : "spec", n, tab[n],
                        want);
        }
    }
}

/* profile_add_short() against profile_add_raw() (the prefix sums) on intervals of at most
 * two steps -- ending inside the next step, on its end, exactly one step from a step start --
 * and on longer ones and at the table's end, where it falls back to the prefix sums. */
static void check_add_short(const struct profile *p, struct tally *t)
{
    static const double from[] = { 0, 0.25, 0.5, 0.999 }, len[] = { 0.1, 0.75, 1, 1.5, 2, 2.5, 7 };
    const double h = p->step_h;
    for (long i = 0; i < 64; i++) {
        long n = (i * 7919) % p->n_tab;
        if (i < 4)
            n = p->n_tab - 1 - i; /* the table's last steps */
        for (size_t a = 0; a < sizeof from / sizeof from[0]; a++)
            for (size_t b = 0; b < sizeof len / sizeof len[0]; b++) {
                const double t0 = ((double)n + from[a]) * h, t1 = t0 + len[b] * h;
                if (t1 > (double)p->n_tab * h)
                    continue;
                double d_raw[3] = { 0, 0, 0 }, d_short[3] = { 0, 0, 0 };
                profile_add_raw(p, t0, t1, d_raw);
                profile_add_short(p, t0, t1, d_short);
                for (int c = 0; c < 3; c++)
                    if (!(fabs(d_short[c] - d_raw[c]) <= 1e-9 * (1 + fabs(d_raw[c])))) {
                        if (t->bad++ < 10)
                            fprintf(stderr, "add_short [%.17g, %.17g] sum %d: %.17g, prefix sums %.17g\n", t0, t1,
                                    c, d_short[c], d_raw[c]);
                    }
                t->short_checks++;
            }
    }
}

static void check_profile(const struct spec *s, struct tally *t)
{
    struct profile *p = profile_new(s);
    if (p->n_tab > 0)
        check_add_short(p, t);
    t->profiles++;
    t->steps += p->n_tab;
    if (p->pue_shape)
        check_shape(p->pue_shape, p->n_tab, s->pue_series.n > 0, s, direct_pue, t);
    if (p->ci_shape)
        check_shape(p->ci_shape, p->n_tab, s->grid_series.n > 0, s, direct_ci, t);
    /* Past the table: the same values as the table's. */
    for (long n = 0; n < p->n_tab; n += 1 + n / 7) {
        if (p->pue_shape && profile_pue_at(p, n) != p->pue_shape[n])
            t->bad++;
        if (p->ci_shape && profile_ci_at(p, n) != p->ci_shape[n])
            t->bad++;
    }
    profile_free(p);
}

/* ---- Random specs */

#define SPLITMIX_SEED 0x243f6a8885a308d3u
#include "splitmix.h"

/* A series of n rows from t0, rows of 1 to 3 hours (or all of one hour), some equal. */
static struct series random_series(double t0, int n, double mean, bool regular)
{
    struct series s = { .n = n };
    s.t_unix_s = xmalloc((size_t)n * sizeof *s.t_unix_s);
    s.value = xmalloc((size_t)n * sizeof *s.value);
    double t = t0, v = mean;
    for (int i = 0; i < n; i++) {
        s.t_unix_s[i] = t;
        if (unif() < 0.7)
            v = mean * between(0.8, 1.2);
        s.value[i] = v;
        t += regular ? 3600 : 3600 * (double)(1 + (int)(unif() * 3)) + (unif() < 0.2 ? 17 : 0);
    }
    return s;
}

static void random_spec(struct spec *s)
{
    memset(s, 0, sizeof *s);
    s->start_unix_s = 1704067200.0 + 60.0 * (double)(int)(unif() * 60 * 24 * 700); /* 2024 .. 2025, on a minute */
    s->step_min = (double[]){ 0.5, 1, 2.5, 5, 7, 10, 15, 30, 60 }[(int)(unif() * 9)];
    s->max_days = between(1, 30); /* no stages: at most 10 days are tabulated */
    s->pue_in = fixed_input(s, "facility.pue", between(1.05, 1.5));
    s->intensity_in = fixed_input(s, "grid.intensity_kg_per_kwh", between(0.05, 0.9));
    s->utc_offset_h = unif() < 0.5 ? 0 : (double)((int)(unif() * 27) - 12) + (unif() < 0.2 ? 0.5 : 0);
    s->pue_peak_day = between(1, 366);
    s->pue_peak_hour = between(0, 24);
    s->grid_peak_day = between(1, 366);
    s->grid_peak_hour = between(0, 24);
    const double t0 = s->start_unix_s + 3600.0 * (double)(int)between(-500, 500);
    if (unif() < 0.3)
        s->pue_series = random_series(t0, 2 + (int)(unif() * 300), s->inputs[s->pue_in].central, unif() < 0.5);
    else {
        s->pue_seasonal_amplitude = unif() < 0.6 ? between(0, 0.3) : 0;
        s->pue_diurnal_amplitude = unif() < 0.6 ? between(0, 0.2) : 0;
    }
    if (unif() < 0.3)
        s->grid_series = random_series(t0, 2 + (int)(unif() * 300), s->inputs[s->intensity_in].central, unif() < 0.5);
    else {
        s->grid_seasonal_amplitude = unif() < 0.6 ? between(0, 0.4) : 0;
        s->grid_diurnal_amplitude = unif() < 0.6 ? between(0, 0.4) : 0;
    }
    if (unif() < 0.1 && s->pue_series.n == 0) /* a constant profile */
        s->pue_seasonal_amplitude = s->pue_diurnal_amplitude = s->grid_seasonal_amplitude =
            s->grid_diurnal_amplitude = 0;
}

static void test_random(void)
{
    struct tally t = { 0 };
    for (int k = 0; k < 300; k++) {
        struct spec s;
        random_spec(&s);
        check_profile(&s, &t);
        spec_release(&s);
    }
    fprintf(stderr, "random profiles: %ld, %ld tabulated steps, %ld short intervals, %ld differ, largest sinusoid "
                    "difference %.2g\n",
            t.profiles, t.steps, t.short_checks, t.bad, t.worst);
    CHECK(t.bad == 0);
    CHECK(t.steps > 300000);
    CHECK(t.short_checks > 100000);
}

/* ---- The bench scenarios with time-varying inputs, through the loader */

static void test_bench(void)
{
    FILE *devnull = fopen("/dev/null", "w");
    struct diag dg;
    diag_init(&dg, devnull);
    struct catalog cat;
    CHECK(catalog_load(&cat, &dg, NULL));
    struct tally t = { 0 };
    static const char *const files[] = { "bench/a-2048-57d-varying.yaml", "bench/c-series-curve.yaml" };
    for (int i = 0; i < 2; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", TS_SOURCE_DIR, files[i]);
        const struct load_options o = { .catalog = &cat };
        struct spec s;
        const bool ok = load_scenario(&dg, path, &o, &s);
        CHECK(ok);
        if (ok)
            check_profile(&s, &t);
        spec_release(&s);
    }
    fprintf(stderr, "bench profiles: %ld, %ld tabulated steps, %ld differ, largest sinusoid difference %.2g\n",
            t.profiles, t.steps, t.bad, t.worst);
    CHECK(t.bad == 0);
    catalog_release(&cat);
    diag_release(&dg);
    fclose(devnull);
}

int main(void)
{
    test_random();
    test_bench();
    return CHECK_EXIT();
}
