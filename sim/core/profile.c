/*
 * profile.c - tabulating PUE(t) and CI(t) shapes on the step grid (DESIGN 3.4).
 *
 * Day of year d = 1 + days since 1 January 00:00 UTC of the start's year, continuous;
 * local hour = (UTC hour + utc_offset_h) mod 24. Each step uses the value at its start.
 */
#include "core/profile.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "core/model.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static const double DAYS_PER_YEAR = 365.25; /* period of the seasonal terms */
static const double HOURS_PER_DAY = 24.0;
static const double TWO_PI = 6.28318530717958647692;
/* At most this many steps are tabulated (20 MB with both shapes): about two years at a
 * 1-minute step. Later steps are computed when asked, so memory stays bounded however long
 * the run; the table is only a cache (same formula, same values). */
static const long PROFILE_TAB_MAX = 1L << 20;

long profile_steps_for(double max_days, double step_min)
{
    return (long)ceil(max_days * 24.0 * 60.0 / step_min) + 1;
}

/* The row of s in force at unix_s, wrapping around the series' span. *hint is a row to try
 * first (the previous answer: consecutive lookups move forward a row at a time); the
 * answer is the same with any hint. */
static int series_row(const struct series *s, double unix_s, int *hint)
{
    const double t0 = s->t_unix_s[0];
    const double last = s->t_unix_s[s->n - 1];
    const double span = last - t0 + (last - s->t_unix_s[s->n - 2]);
    /* u = (unix_s - t0) mod span. In the first two spans the subtraction is exact (in the
     * second by Sterbenz's lemma), so it equals fmod's exact result without its cost. */
    double u = unix_s - t0;
    if (u >= span && u < 2 * span)
        u -= span;
    else if (!(u >= 0 && u < span)) {
        u = fmod(u, span);
        if (u < 0)
            u += span;
    }
    const double t = t0 + u;
    /* The last row whose time is <= t: the hint or its successor, else a binary search. */
    for (int i = *hint; i >= 0 && i < s->n && i <= *hint + 1; i++)
        if (s->t_unix_s[i] <= t && (i == s->n - 1 || t < s->t_unix_s[i + 1]))
            return *hint = i;
    int lo = 0, hi = s->n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (s->t_unix_s[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return *hint = lo;
}


/* Cosine term a * cos(2 pi (x - peak) / period). */
static double wave(double a, double x, double peak, double period)
{
    return a == 0 ? 0 : a * cos(TWO_PI * (x - peak) / period);
}

/* Absolute time of the start of step n. */
static double step_unix_s(const struct profile *p, long n)
{
    return p->spec->start_unix_s + (double)n * p->step_h * 3600.0;
}

/* Day of year and local hour at absolute time t_abs. */
static void day_and_hour(const struct profile *p, double t_abs, double *day, double *local)
{
    *day = 1.0 + (t_abs - p->year0_unix_s) / 86400.0;
    const double utc_hour = fmod(t_abs / 3600.0, HOURS_PER_DAY);
    *local = fmod(utc_hour + p->spec->utc_offset_h, HOURS_PER_DAY);
    if (*local < 0)
        *local += HOURS_PER_DAY;
}

/* Value of series s at t_abs, with a row hint (series_row). */
static double series_value(const struct series *s, double t_abs, int *hint)
{
    return s->n == 1 ? s->value[0] : s->value[series_row(s, t_abs, hint)];
}

double profile_series_at(const struct series *s, double unix_s)
{
    int hint = -1;
    return series_value(s, unix_s, &hint);
}

static double pue_shape_at(const struct profile *p, long n, int *hint)
{
    const struct spec *s = p->spec;
    const double t_abs = step_unix_s(p, n);
    if (s->pue_series.n > 0)
        return series_value(&s->pue_series, t_abs, hint) / p->pue_central;
    double day, local;
    day_and_hour(p, t_abs, &day, &local);
    return wave(s->pue_seasonal_amplitude, day, s->pue_peak_day, DAYS_PER_YEAR) +
           wave(s->pue_diurnal_amplitude, local, s->pue_peak_hour, HOURS_PER_DAY);
}

static double ci_shape_at(const struct profile *p, long n, int *hint)
{
    const struct spec *s = p->spec;
    const double t_abs = step_unix_s(p, n);
    if (s->grid_series.n > 0)
        return series_value(&s->grid_series, t_abs, hint) / p->ci_central;
    double day, local;
    day_and_hour(p, t_abs, &day, &local);
    return (1.0 + wave(s->grid_seasonal_amplitude, day, s->grid_peak_day, DAYS_PER_YEAR)) *
           (1.0 + wave(s->grid_diurnal_amplitude, local, s->grid_peak_hour, HOURS_PER_DAY));
}

double profile_pue_at(const struct profile *p, long n)
{
    int hint = -1;
    return pue_shape_at(p, n, &hint);
}

double profile_ci_at(const struct profile *p, long n)
{
    int hint = -1;
    return ci_shape_at(p, n, &hint);
}

/* Steps worth tabulating: the run at central values, three times over, plus ten days; a
 * sample that runs longer computes its later steps one by one (same values). */
static long steps_worth_tabulating(const struct spec *s, double step_h)
{
    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    double hours = 0;
    for (int k = 0; k < s->n_stages; k++) {
        double work, rate;
        model_stage_numbers(s, x, k, &work, &rate);
        hours += work / rate;
    }
    free(x);
    const double steps = (3.0 * hours + 10.0 * HOURS_PER_DAY) / step_h;
    return steps < (double)(LONG_MAX / 2) ? (long)ceil(steps) + 1 : LONG_MAX; /* also false for NaN */
}

struct profile *profile_new(const struct spec *s)
{
    struct profile *p = xcalloc(1, sizeof *p);
    p->spec = s;
    p->step_h = s->step_min / 60.0;
    p->n_steps = profile_steps_for(s->max_days, s->step_min);
    p->pue_is_scaled = s->pue_series.n > 0;
    p->year0_unix_s = time_year_start(s->start_unix_s);
    p->pue_central = s->inputs[s->pue_in].central;
    p->ci_central = s->inputs[s->intensity_in].central;

    const bool pue_varies = s->pue_series.n > 0 || s->pue_seasonal_amplitude != 0 || s->pue_diurnal_amplitude != 0;
    const bool ci_varies = s->grid_series.n > 0 || s->grid_seasonal_amplitude != 0 || s->grid_diurnal_amplitude != 0;
    if (!pue_varies && !ci_varies)
        return p;
    const long worth = steps_worth_tabulating(s, p->step_h);
    p->n_tab = worth < p->n_steps ? worth : p->n_steps;
    if (p->n_tab > PROFILE_TAB_MAX)
        p->n_tab = PROFILE_TAB_MAX;
    if (pue_varies)
        p->pue_shape = xmalloc((size_t)p->n_tab * sizeof *p->pue_shape);
    if (ci_varies)
        p->ci_shape = xmalloc((size_t)p->n_tab * sizeof *p->ci_shape);
    p->same_len = xmalloc((size_t)p->n_tab * sizeof *p->same_len);
    int pue_hint = 0, ci_hint = 0; /* the rows in force move forward step by step */
    for (long n = 0; n < p->n_tab; n++) {
        if (p->pue_shape)
            p->pue_shape[n] = pue_shape_at(p, n, &pue_hint);
        if (p->ci_shape)
            p->ci_shape[n] = ci_shape_at(p, n, &ci_hint);
    }
    /* Runs of equal values (an hourly series on a 1-minute grid: 60 steps), from the end;
     * the last tabulated step's run stops at the table's end. */
    for (long n = p->n_tab - 1; n >= 0; n--) {
        const bool same_next = n + 1 < p->n_tab && (!p->pue_shape || p->pue_shape[n + 1] == p->pue_shape[n]) &&
                               (!p->ci_shape || p->ci_shape[n + 1] == p->ci_shape[n]);
        p->same_len[n] = same_next && p->same_len[n + 1] < UINT32_MAX ? p->same_len[n + 1] + 1 : 1;
    }
    return p;
}

void profile_free(struct profile *p)
{
    if (!p)
        return;
    free(p->pue_shape);
    free(p->ci_shape);
    free(p->same_len);
    free(p);
}
