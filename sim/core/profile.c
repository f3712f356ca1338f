/*
 * profile.c - tabulating PUE(t) and CI(t) shapes on the step grid (DESIGN 3.4).
 *
 * Day of year d = 1 + days since 1 January 00:00 UTC of the start's year, continuous;
 * local hour = (UTC hour + utc_offset_h) mod 24. Each step uses the value at its start.
 * Tabulating is cheap (issue 15): a sinusoid costs two libm calls per term and block of
 * WAVE_BLOCK steps (fill_waves), a series a few row lookups per row (fill_series).
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


/* The angle of a cosine term a cos(2 pi (x - peak) / period) at x. */
static double wave_angle(double x, double peak, double period)
{
    return TWO_PI * (x - peak) / period;
}

/* Absolute time of the start of step n. */
static double step_unix_s(const struct profile *p, long n)
{
    return p->spec->start_unix_s + (double)n * p->step_h * 3600.0;
}

/* fmod(x, 24), without the library call where the answer is known to be exact: for
 * 24 <= x < 2^52, x - 24 floor(x / 24) is a multiple of ulp(x) below x, so representable
 * (a quotient rounded up or down is corrected by one day, exactly); for |x| < 24 it is x. */
static double mod_day(double x)
{
    if (x > -HOURS_PER_DAY && x < HOURS_PER_DAY)
        return x;
    if (!(x >= HOURS_PER_DAY && x < 0x1p52))
        return fmod(x, HOURS_PER_DAY);
    const double r = x - HOURS_PER_DAY * floor(x / HOURS_PER_DAY);
    return r < 0 ? r + HOURS_PER_DAY : (r >= HOURS_PER_DAY ? r - HOURS_PER_DAY : r);
}

/* Day of year and local hour at absolute time t_abs. */
static void day_and_hour(const struct profile *p, double t_abs, double *day, double *local)
{
    *day = 1.0 + (t_abs - p->year0_unix_s) / 86400.0;
    const double utc_hour = mod_day(t_abs / 3600.0);
    *local = mod_day(utc_hour + p->spec->utc_offset_h);
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

/* The time of a step start as the shapes read it. */
struct when {
    double t_abs;      /* absolute, s */
    double day, local; /* day of year and local hour */
};

static void when_at(const struct profile *p, long n, struct when *w)
{
    w->t_abs = step_unix_s(p, n);
    day_and_hour(p, w->t_abs, &w->day, &w->local);
}

/*
 * The cosine terms of the sinusoid shapes. Term k is a_k cos(theta_k(n)) with theta_k the
 * angle of wave_angle() at step n's day of year or local hour. Both grow by a fixed delta_k
 * per step, so within a block of WAVE_BLOCK steps from an anchor m (a multiple of
 * WAVE_BLOCK), theta_k(m + i) = theta_k(m) + i delta_k and
 *   cos(theta_k(m + i)) = cos(theta_k(m)) cos(i delta_k) - sin(theta_k(m)) sin(i delta_k):
 * two libm calls per term and block (at the anchor, from its clock as before), the rotations
 * cos(i delta_k), sin(i delta_k) tabulated once. Every value is within a few ulps of the
 * direct cosine (whose own angle carries the rounding of an absolute time in seconds, about
 * 1e-11 rad), with no growth along the run. Steps past the table use the same formula, so
 * the table stays a cache.
 */
enum { WAVE_BLOCK = 256 };
enum { PUE_SEASONAL, PUE_DIURNAL, GRID_SEASONAL, GRID_DIURNAL, WAVE_COUNT };

struct wave {
    double a, peak, period; /* a = 0: the term is absent (or its shape is a series) */
    bool seasonal;          /* the angle follows the day of year, else the local hour */
    double rot[2 * WAVE_BLOCK]; /* cos(i delta), sin(i delta) */
};

struct profile_waves {
    struct wave w[WAVE_COUNT];
};

/* cos and sin of every present term's angle at anchor step m. */
struct anchor {
    double c[WAVE_COUNT], s[WAVE_COUNT];
};

static void wave_init(struct wave *w, double a, double peak, bool seasonal, double step_h)
{
    w->a = a;
    w->peak = peak;
    w->seasonal = seasonal;
    w->period = seasonal ? DAYS_PER_YEAR : HOURS_PER_DAY;
    if (a == 0)
        return;
    const double per_step = seasonal ? step_h / HOURS_PER_DAY : step_h; /* in the angle's unit */
    for (int i = 0; i < WAVE_BLOCK; i++) {
        const double th = TWO_PI * ((double)i * per_step) / w->period;
        w->rot[2 * i] = cos(th);
        w->rot[2 * i + 1] = sin(th);
    }
}

static struct profile_waves *waves_new(const struct spec *s, double step_h)
{
    struct profile_waves *ws = xmalloc(sizeof *ws);
    const bool pue = s->pue_series.n == 0, grid = s->grid_series.n == 0;
    wave_init(&ws->w[PUE_SEASONAL], pue ? s->pue_seasonal_amplitude : 0, s->pue_peak_day, true, step_h);
    wave_init(&ws->w[PUE_DIURNAL], pue ? s->pue_diurnal_amplitude : 0, s->pue_peak_hour, false, step_h);
    wave_init(&ws->w[GRID_SEASONAL], grid ? s->grid_seasonal_amplitude : 0, s->grid_peak_day, true, step_h);
    wave_init(&ws->w[GRID_DIURNAL], grid ? s->grid_diurnal_amplitude : 0, s->grid_peak_hour, false, step_h);
    return ws;
}

static void anchor_at(const struct profile *p, long m, struct anchor *an)
{
    struct when w;
    when_at(p, m, &w);
    for (int k = 0; k < WAVE_COUNT; k++) {
        const struct wave *wv = &p->waves->w[k];
        an->c[k] = an->s[k] = 0;
        if (wv->a == 0)
            continue;
        const double th = wave_angle(wv->seasonal ? w.day : w.local, wv->peak, wv->period);
        an->c[k] = cos(th);
        an->s[k] = sin(th);
    }
}

/* Term k at step m + i of the anchor's block. */
static double wave_at(const struct profile *p, const struct anchor *an, int k, long i)
{
    const struct wave *wv = &p->waves->w[k];
    if (wv->a == 0)
        return 0;
    return wv->a * (an->c[k] * wv->rot[2 * i] - an->s[k] * wv->rot[2 * i + 1]);
}

/* The sinusoid shapes at step m + i: PUE seasonal + diurnal, CI (1 + seasonal)(1 + diurnal). */
static double pue_wave_shape(const struct profile *p, const struct anchor *an, long i)
{
    return wave_at(p, an, PUE_SEASONAL, i) + wave_at(p, an, PUE_DIURNAL, i);
}

static double ci_wave_shape(const struct profile *p, const struct anchor *an, long i)
{
    return (1.0 + wave_at(p, an, GRID_SEASONAL, i)) * (1.0 + wave_at(p, an, GRID_DIURNAL, i));
}

/* A series shape: the series' value / central value. */
static double series_shape(const struct profile *p, const struct series *s, double central, long n, int *hint)
{
    return series_value(s, step_unix_s(p, n), hint) / central;
}

/* Shape value of step n computed (not from the table): PUE (is_pue) or CI. */
static double shape_at(const struct profile *p, long n, bool is_pue)
{
    const struct spec *s = p->spec;
    const struct series *ser = is_pue ? &s->pue_series : &s->grid_series;
    if (ser->n > 0) {
        int hint = -1;
        return series_shape(p, ser, is_pue ? p->pue_central : p->ci_central, n, &hint);
    }
    struct anchor an;
    anchor_at(p, n - n % WAVE_BLOCK, &an);
    return is_pue ? pue_wave_shape(p, &an, n % WAVE_BLOCK) : ci_wave_shape(p, &an, n % WAVE_BLOCK);
}

double profile_pue_at(const struct profile *p, long n)
{
    return shape_at(p, n, true);
}

double profile_ci_at(const struct profile *p, long n)
{
    return shape_at(p, n, false);
}

/* The sinusoid shapes of the table, a block at a time. */
static void fill_waves(struct profile *p, bool pue, bool ci)
{
    for (long m = 0; (pue || ci) && m < p->n_tab; m += WAVE_BLOCK) {
        struct anchor an;
        anchor_at(p, m, &an);
        const long len = p->n_tab - m < WAVE_BLOCK ? p->n_tab - m : WAVE_BLOCK;
        for (long i = 0; i < len; i++) {
            if (pue)
                p->pue_shape[m + i] = pue_wave_shape(p, &an, i);
            if (ci)
                p->ci_shape[m + i] = ci_wave_shape(p, &an, i);
        }
    }
}

/* The first step after n (at most n_tab) whose row of s is not r, the row of step n; g
 * guesses the steps left in the row. A row holds an interval of steps (the series' time
 * grows with the step, and a row is shorter than the span), and every probe stays within
 * about a row of n, so the answer is that of series_row() at every step. */
static long row_end(const struct profile *p, const struct series *s, long n, int r, long g)
{
    long good = n, bad = p->n_tab;
    long probe = n + (g > 1 ? g - 1 : 1);
    while (bad - good > 1) {
        if (probe <= good || probe >= bad)
            probe = good + (bad - good) / 2;
        int h = r;
        if (series_row(s, step_unix_s(p, probe), &h) == r) {
            good = probe;
            probe = good + 1; /* the guess is at most a step short */
        } else {
            bad = probe;
            probe = good + (bad - good) / 2;
        }
    }
    return bad;
}

/* A series shape of the table, a row's run of steps at a time: a few series_row() calls
 * per row instead of one per step. */
static void fill_series(struct profile *p, const struct series *s, double central, double *shape)
{
    int hint = 0;
    const double step_s = p->step_h * 3600.0;
    for (long n = 0; n < p->n_tab;) {
        const double v = series_shape(p, s, central, n, &hint);
        long end = p->n_tab;
        if (s->n > 1) {
            const int r = hint;
            const double len_s = r + 1 < s->n ? s->t_unix_s[r + 1] - s->t_unix_s[r]
                                              : s->t_unix_s[s->n - 1] - s->t_unix_s[s->n - 2];
            const double g = floor(len_s / step_s);
            end = row_end(p, s, n, r, g < (double)p->n_tab ? (long)g : p->n_tab);
        }
        while (n < end)
            shape[n++] = v;
    }
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

/* The interleaved prefix sums of the shapes and of their product, summed in long double
 * (64-bit mantissa: over 2^20 steps the sum's error stays below a double's rounding), each
 * entry rounded once. */
static void tabulate_sums(struct profile *p)
{
    p->cum = xmalloc_huge((size_t)(3 * (p->n_tab + 1)) * sizeof *p->cum);
    long double s_pue = 0, s_ci = 0, s_pc = 0;
    for (long n = 0;; n++) {
        p->cum[3 * n] = (double)s_pue;
        p->cum[3 * n + 1] = (double)s_ci;
        p->cum[3 * n + 2] = (double)s_pc;
        if (n == p->n_tab)
            break;
        const double ps = p->pue_shape ? p->pue_shape[n] : 0, cs = p->ci_shape ? p->ci_shape[n] : 1;
        s_pue += ps;
        s_ci += cs;
        s_pc += ps * cs;
    }
    if (p->pue_shape) {
        const long n_blocks = (p->n_tab + PROFILE_BLOCK - 1) / PROFILE_BLOCK;
        p->block_min = xmalloc((size_t)n_blocks * sizeof *p->block_min);
        p->pue_shape_min = HUGE_VAL;
        for (long b = 0; b < n_blocks; b++) {
            double m = HUGE_VAL;
            for (long n = b * PROFILE_BLOCK; n < p->n_tab && n < (b + 1) * PROFILE_BLOCK; n++)
                m = p->pue_shape[n] < m ? p->pue_shape[n] : m;
            p->block_min[b] = m;
            p->pue_shape_min = m < p->pue_shape_min ? m : p->pue_shape_min;
        }
    }
}

/* Raw (unclipped) PUE of a shape value v. */
static double raw_pue(const struct profile *p, const struct profile_scale *sc, double v)
{
    return p->pue_is_scaled ? sc->pue * v : sc->pue + v;
}

void profile_scale_init(const struct profile *p, double pue, double ci, struct profile_scale *out)
{
    out->pue = pue;
    out->ci = ci;
    out->may_clip = p->pue_shape ? !(raw_pue(p, out, p->pue_shape_min) >= 1.0) : !(pue >= 1.0);
    /* PUE_n = pue + s_n: pue hours + the s sum; PUE_n CI_n = ci pue c_n + ci s_n c_n.
     * PUE_n = pue s_n:    pue x the s sum;        PUE_n CI_n = pue ci s_n c_n. */
    const double h = p->step_h;
    out->k_t = p->pue_is_scaled ? 0 : pue;
    out->k_pue = (p->pue_is_scaled ? pue : 1) * h;
    out->k_ci = p->pue_is_scaled ? 0 : ci * pue * h;
    out->k_pc = (p->pue_is_scaled ? pue * ci : ci) * h;
}

void profile_held(const struct profile *p, const struct profile_scale *sc, long n, double *pue, double *ci)
{
    double v = sc->pue;
    if (p->pue_shape)
        v = raw_pue(p, sc, profile_pue_shape(p, n));
    *pue = v < 1.0 ? 1.0 : v;
    *ci = p->ci_shape ? sc->ci * profile_ci_shape(p, n) : sc->ci;
}

/* Adds the integrals over [t0, t1] of steps summed one by one: every step of [n0, n1]
 * (clip_only: only those that clip, as the correction to unclipped sums). */
static void add_steps(const struct profile *p, const struct profile_scale *sc, double t0, double t1, long n0, long n1,
                      bool clip_only, double *pue_h, double *pue_ci_h)
{
    for (long n = n0; n <= n1; n++) {
        const double a = (double)n * p->step_h, b = (double)(n + 1) * p->step_h;
        const double dt = (t1 < b ? t1 : b) - (t0 > a ? t0 : a);
        if (!(dt > 0))
            continue;
        double pue, ci;
        profile_held(p, sc, n, &pue, &ci);
        if (clip_only) {
            const double raw = p->pue_shape ? raw_pue(p, sc, profile_pue_shape(p, n)) : sc->pue;
            if (raw < 1.0) {
                *pue_h += (1.0 - raw) * dt;
                *pue_ci_h += (1.0 - raw) * ci * dt;
            }
        } else {
            *pue_h += pue * dt;
            *pue_ci_h += pue * ci * dt;
        }
    }
}

void profile_integrate_steps(const struct profile *p, const struct profile_scale *sc, double t0_h, double t1_h,
                             double *pue_h, double *pue_ci_h)
{
    *pue_h = *pue_ci_h = 0;
    const double t_tab = (double)p->n_tab * p->step_h;
    if (t0_h < t_tab) {
        const double ta = t0_h, tb = t1_h < t_tab ? t1_h : t_tab;
        const double g0 = ta * p->per_step_h, g1 = tb * p->per_step_h;
        double d[3] = { 0, 0, 0 };
        profile_add_raw(p, ta, tb, d);
        profile_combine(sc, tb - ta, d, pue_h, pue_ci_h);
        if (sc->may_clip) {
            /* The clip's correction, in the blocks whose least value clips. */
            long n0 = (long)g0, n1 = (long)g1;
            n1 = n1 < p->n_tab ? n1 : p->n_tab - 1;
            n0 = n0 < n1 ? n0 : n1;
            if (!p->pue_shape) {
                add_steps(p, sc, ta, tb, n0, n1, true, pue_h, pue_ci_h);
            } else {
                for (long b = n0 / PROFILE_BLOCK; b <= n1 / PROFILE_BLOCK; b++) {
                    if (raw_pue(p, sc, p->block_min[b]) >= 1.0)
                        continue;
                    const long lo = b * PROFILE_BLOCK > n0 ? b * PROFILE_BLOCK : n0;
                    const long hi = (b + 1) * PROFILE_BLOCK - 1 < n1 ? (b + 1) * PROFILE_BLOCK - 1 : n1;
                    add_steps(p, sc, ta, tb, lo, hi, true, pue_h, pue_ci_h);
                }
            }
        }
    }
    if (t1_h > t_tab) {
        const double ta = t0_h > t_tab ? t0_h : t_tab;
        add_steps(p, sc, ta, t1_h, (long)(ta / p->step_h), (long)(t1_h / p->step_h), false, pue_h, pue_ci_h);
    }
}

struct profile *profile_new(const struct spec *s)
{
    struct profile *p = xcalloc(1, sizeof *p);
    p->spec = s;
    p->step_h = s->step_min / 60.0;
    p->per_step_h = 1.0 / p->step_h;
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
        p->pue_shape = xmalloc_huge((size_t)p->n_tab * sizeof *p->pue_shape);
    if (ci_varies)
        p->ci_shape = xmalloc_huge((size_t)p->n_tab * sizeof *p->ci_shape);
    if (s->pue_series.n == 0 || s->grid_series.n == 0)
        p->waves = waves_new(s, p->step_h);
    if (p->pue_shape && s->pue_series.n > 0)
        fill_series(p, &s->pue_series, p->pue_central, p->pue_shape);
    if (p->ci_shape && s->grid_series.n > 0)
        fill_series(p, &s->grid_series, p->ci_central, p->ci_shape);
    fill_waves(p, p->pue_shape && s->pue_series.n == 0, p->ci_shape && s->grid_series.n == 0);
    /* Runs of equal values (an hourly series on a 1-minute grid: 60 steps), from the end;
     * the last tabulated step's run stops at the table's end. A sinusoid changes at every
     * step: then there are no runs to find (same_len stays NULL, every run one step). */
    const bool has_runs = (!p->pue_shape || s->pue_series.n > 0) && (!p->ci_shape || s->grid_series.n > 0);
    if (has_runs)
        p->same_len = xmalloc_huge((size_t)p->n_tab * sizeof *p->same_len);
    for (long n = p->n_tab - 1; has_runs && n >= 0; n--) {
        const bool same_next = n + 1 < p->n_tab && (!p->pue_shape || p->pue_shape[n + 1] == p->pue_shape[n]) &&
                               (!p->ci_shape || p->ci_shape[n + 1] == p->ci_shape[n]);
        p->same_len[n] = same_next && p->same_len[n + 1] < UINT32_MAX ? p->same_len[n + 1] + 1 : 1;
    }
    tabulate_sums(p);
    return p;
}

void profile_free(struct profile *p)
{
    if (!p)
        return;
    free(p->pue_shape);
    free(p->ci_shape);
    free(p->same_len);
    free(p->cum);
    free(p->block_min);
    free(p->waves);
    free(p);
}
