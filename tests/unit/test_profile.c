/*
 * test_profile.c - the time-varying input shapes on the step grid (core/profile.h): series
 * lookup with wrap-around, constant, diurnal (with UTC offsets), seasonal and grid shapes,
 * and series-scaled PUE. Expected values are worked out in the comments beside them.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "fixed_input.h"
#include "core/profile.h"
#include "core/spec.h"
#include "util/xalloc.h"

static const double TWO_PI = 6.28318530717958647692;

/* A series of n rows (the arrays are copied into owned memory, as the loader would). */
static struct series make_series(int n, const double *t, const double *v)
{
    struct series s = { n, xmalloc((size_t)n * sizeof(double)), xmalloc((size_t)n * sizeof(double)), NULL };
    memcpy(s.t_unix_s, t, (size_t)n * sizeof(double));
    memcpy(s.value, v, (size_t)n * sizeof(double));
    return s;
}

static void test_series_at(void)
{
    /* Rows at 00:00, 01:00 and 01:30 UTC on 2024-09-01: the intervals are 3600 s and 1800 s,
     * so the last row lasts 1800 s too and the span is 5400 + 1800 = 7200 s. */
    const double t0 = 1725148800.0;
    const double t[] = { t0, t0 + 3600, t0 + 5400 };
    const double v[] = { 1.125, 1.3125, 1.6875 };
    struct series s = make_series(3, t, v);

    /* The row in force: the last row whose time is <= t. */
    CHECK(profile_series_at(&s, t0) == 1.125);
    CHECK(profile_series_at(&s, t0 + 1) == 1.125);
    CHECK(profile_series_at(&s, t0 + 3599.5) == 1.125);
    CHECK(profile_series_at(&s, t0 + 3600) == 1.3125);
    CHECK(profile_series_at(&s, t0 + 5399) == 1.3125);
    CHECK(profile_series_at(&s, t0 + 5400) == 1.6875);
    /* The last row lasts as long as the interval before it (1800 s): until t0 + 7200. */
    CHECK(profile_series_at(&s, t0 + 7199) == 1.6875);
    /* Past the end: wraps around to the beginning with period 7200 s. */
    CHECK(profile_series_at(&s, t0 + 7200) == 1.125);
    CHECK(profile_series_at(&s, t0 + 7200 + 3600) == 1.3125);
    CHECK(profile_series_at(&s, t0 + 7200 + 5400) == 1.6875);
    CHECK(profile_series_at(&s, t0 + 100 * 7200.0 + 4000) == 1.3125);
    /* Before the first row: the same periodic extension, backwards. t0 - 1 is 7199 s into
     * the previous period (last row); t0 - 1801 is 5399 s into it (middle row). */
    CHECK(profile_series_at(&s, t0 - 1) == 1.6875);
    CHECK(profile_series_at(&s, t0 - 1800) == 1.6875);
    CHECK(profile_series_at(&s, t0 - 1801) == 1.3125);
    CHECK(profile_series_at(&s, t0 - 7200) == 1.125);
    free(s.t_unix_s);
    free(s.value);

    /* One row: constant everywhere. */
    const double t1[] = { t0 };
    const double v1[] = { 1.4375 };
    struct series one = make_series(1, t1, v1);
    CHECK(profile_series_at(&one, t0 - 1e6) == 1.4375);
    CHECK(profile_series_at(&one, t0 + 1e6) == 1.4375);
    free(one.t_unix_s);
    free(one.value);
}

/* A minimal spec for profile_new: start 2024-09-01T00:00Z, hourly steps for one day, PUE
 * central 1.3, intensity central 0.5, no variation until a test sets some. */
static void base_spec(struct spec *s)
{
    memset(s, 0, sizeof *s);
    s->start_unix_s = 1725148800.0;
    s->step_min = 60;
    s->max_days = 1;
    s->pue_in = fixed_input(s, "facility.pue", 1.3);
    s->intensity_in = fixed_input(s, "grid.intensity_kg_per_kwh", 0.5);
    s->pue_peak_day = 200;
    s->pue_peak_hour = 15;
    s->grid_peak_day = 15;
    s->grid_peak_hour = 19;
}

static void test_profile_constant(void)
{
    struct spec s;
    base_spec(&s);
    struct profile *p = profile_new(&s);
    CHECK(p->step_h == 1.0);
    /* ceil(1 day * 24 * 60 / 60 min) + 1 = 25 steps. */
    CHECK(p->n_steps == 25);
    CHECK(profile_steps_for(1, 60) == 25);
    CHECK(profile_steps_for(3650, 5) == 1051201); /* 3650 * 288 + 1 */
    CHECK(p->pue_shape == NULL);
    CHECK(p->ci_shape == NULL);
    CHECK(!p->pue_is_scaled);
    profile_free(p);
    profile_free(NULL);
    spec_release(&s);
}

static void test_profile_diurnal(void)
{
    struct spec s;
    base_spec(&s);
    /* PUE diurnal amplitude 0.05 peaking at 15:00 local, UTC+8: step n starts at UTC hour n,
     * local hour (n + 8) mod 24, and adds 0.05 cos(2 pi (local - 15) / 24). */
    s.pue_diurnal_amplitude = 0.05;
    s.utc_offset_h = 8;
    struct profile *p = profile_new(&s);
    CHECK(p->pue_shape != NULL);
    CHECK(p->ci_shape == NULL); /* the grid does not vary */
    CHECK(!p->pue_is_scaled);
    if (p->pue_shape) {
        /* n = 7: local 15:00, the peak: +0.05. */
        CHECK_NEAR(p->pue_shape[7], 0.05, 1e-14);
        /* n = 19: local 03:00, 12 h from the peak: cos(-pi) = -1. */
        CHECK_NEAR(p->pue_shape[19], -0.05, 1e-14);
        /* n = 13: local 21:00, 6 h after the peak: cos(pi/2) = 0. */
        CHECK_ABS(p->pue_shape[13], 0.0, 1e-15);
        /* n = 0: local 08:00, cos(-7 pi / 12) = -0.25881904510252074: -0.012940952255126037. */
        CHECK_NEAR(p->pue_shape[0], -0.012940952255126037, 1e-12);
        /* n = 24: the next day's 08:00 again. */
        CHECK_NEAR(p->pue_shape[24], p->pue_shape[0], 1e-12);
        /* The PUE a sample sees at the peak: max(1, 1.3 + 0.05) = 1.35. */
        CHECK_NEAR(s.inputs[s.pue_in].central + p->pue_shape[7], 1.35, 1e-14);
    }
    profile_free(p);

    /* A negative offset wraps the local hour: UTC-5, step n has local (n - 5) mod 24, so the
     * 15:00 peak is at n = 20 and step 0 is local 19:00: 0.05 cos(2 pi 4 / 24) = 0.025. */
    s.utc_offset_h = -5;
    p = profile_new(&s);
    if (p->pue_shape) {
        CHECK_NEAR(p->pue_shape[20], 0.05, 1e-14);
        CHECK_NEAR(p->pue_shape[0], 0.05 * cos(TWO_PI * 4 / 24), 1e-12);
        CHECK_NEAR(p->pue_shape[0], 0.025, 1e-12);
    }
    profile_free(p);
    spec_release(&s);
}

static void test_profile_seasonal_and_grid(void)
{
    struct spec s;
    base_spec(&s);
    /* 2024-09-01 is day 1 + 244 = 245 of 2024. A seasonal PUE peak on day 245 gives +0.1 at
     * step 0; one step (1 h) later the day is 245 + 1/24. */
    s.pue_seasonal_amplitude = 0.1;
    s.pue_peak_day = 245;
    /* Grid diurnal 0.2, peak 19:00 UTC (offset 0): step 19 gives x (1 + 0.2) = 1.2, step 7
     * gives x (1 - 0.2) = 0.8. */
    s.grid_diurnal_amplitude = 0.2;
    struct profile *p = profile_new(&s);
    CHECK(p->pue_shape != NULL && p->ci_shape != NULL);
    if (p->pue_shape && p->ci_shape) {
        CHECK_NEAR(p->pue_shape[0], 0.1, 1e-14);
        CHECK_NEAR(p->pue_shape[1], 0.1 * cos(TWO_PI * (1.0 / 24) / 365.25), 1e-14);
        CHECK_NEAR(p->ci_shape[19], 1.2, 1e-14);
        CHECK_NEAR(p->ci_shape[7], 0.8, 1e-14);
    }
    profile_free(p);
    spec_release(&s);
}

static void test_profile_series(void)
{
    struct spec s;
    base_spec(&s);
    /* A PUE series with rows at 00:00 (1.17) and 12:00 (1.43): the shape is series / central
     * (1.3), scaled (not added) by each sample's pue. */
    const double t[] = { s.start_unix_s, s.start_unix_s + 12 * 3600 };
    const double v[] = { 1.17, 1.43 };
    s.pue_series = make_series(2, t, v);
    struct profile *p = profile_new(&s);
    CHECK(p->pue_is_scaled);
    CHECK(p->pue_shape != NULL);
    if (p->pue_shape) {
        CHECK_NEAR(p->pue_shape[0], 0.9, 1e-14);   /* 1.17 / 1.3 */
        CHECK_NEAR(p->pue_shape[11], 0.9, 1e-14);
        CHECK_NEAR(p->pue_shape[12], 1.1, 1e-14);  /* 1.43 / 1.3 */
        CHECK_NEAR(p->pue_shape[23], 1.1, 1e-14);
        CHECK_NEAR(p->pue_shape[24], 0.9, 1e-14);  /* wrapped: span 24 h */
    }
    profile_free(p);
    spec_release(&s);
}

int main(void)
{
    test_series_at();
    test_profile_constant();
    test_profile_diurnal();
    test_profile_seasonal_and_grid();
    test_profile_series();
    return CHECK_EXIT();
}
