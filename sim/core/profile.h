/*
 * profile.h - the time-varying inputs PUE(t) and CI(t), tabulated on the step grid.
 *
 * PUE and grid intensity are held for each step (DESIGN 3.4, 3.5a) and their shape does not
 * depend on the sample: only the sampled mean (or scale) does. So the shape is computed once
 * per scenario, here, and each sample applies its own numbers:
 *   without a series: PUE_n = max(1, pue + pue_shape[n])       CI_n = intensity * ci_shape[n]
 *   with a series:    PUE_n = max(1, pue * pue_shape[n])       CI_n = intensity * ci_shape[n]
 * where a series shape is series(t) / central value. A NULL shape means constant (0 or 1).
 * Beside the shapes it keeps their prefix sums (and those of their product), so that the
 * integral of PUE and of PUE x CI over any interval costs O(1) for any sample's numbers
 * (profile_integrate).
 * A profile is read-only once built and may be shared by any number of engines and threads.
 */
#ifndef TS_CORE_PROFILE_H
#define TS_CORE_PROFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/spec.h"

struct profile_waves;

struct profile {
    double step_h;         /* step length, hours */
    long n_steps;          /* steps to reach max_days */
    long n_tab;            /* steps tabulated (the expected run with room to spare, at most
                              2^20); later steps are computed when asked, same formula */
    bool pue_is_scaled;    /* true: pue * shape (series); false: pue + shape (sinusoids) */
    double *pue_shape;     /* owned, n_tab, or NULL when constant */
    double *ci_shape;      /* owned, n_tab, or NULL when constant 1 */
    uint32_t *same_len;    /* owned, n_tab (with series shapes only; NULL with a sinusoid,
                              which changes every step): both shapes keep their step-n
                              values for steps n .. n + same_len[n] - 1 */
    /* Prefix sums over steps 0 .. n-1, n = 0 .. n_tab, interleaved (owned, 3 (n_tab + 1),
     * with a shape): cum[3n] of pue_shape (0 without one), cum[3n + 1] of ci_shape (1
     * without one), cum[3n + 2] of their product. */
    double *cum;
    double per_step_h;     /* 1 / step_h */
    double *block_min;     /* owned, one per PROFILE_BLOCK steps of the table: the least
                              pue_shape in the block (NULL without a PUE shape) */
    double pue_shape_min;  /* the least pue_shape in the table */
    struct profile_waves *waves; /* owned, with a sinusoid shape: its cosine terms (profile.c) */
    const struct spec *spec; /* borrowed: for steps past n_tab */
    double year0_unix_s, pue_central, ci_central;
};

/* Shape values of step n (n < n_steps), from the table or computed. Only valid when the
 * corresponding shape pointer is not NULL. */
double profile_pue_at(const struct profile *p, long n);
double profile_ci_at(const struct profile *p, long n);

static inline double profile_pue_shape(const struct profile *p, long n)
{
    return n < p->n_tab ? p->pue_shape[n] : profile_pue_at(p, n);
}

static inline double profile_ci_shape(const struct profile *p, long n)
{
    return n < p->n_tab ? p->ci_shape[n] : profile_ci_at(p, n);
}

/* The first step after n at which a shape may differ from its value at step n: LONG_MAX
 * for a constant profile, n + 1 past the table (where nothing is known in advance). */
static inline long profile_same_until(const struct profile *p, long n)
{
    if (!p->pue_shape && !p->ci_shape)
        return LONG_MAX;
    return n < p->n_tab && p->same_len ? n + (long)p->same_len[n] : n + 1;
}

/* A sample's numbers as profile_integrate() uses them. */
struct profile_scale {
    double pue, ci;        /* the sampled facility.pue and grid intensity */
    bool may_clip;         /* the PUE >= 1 clip can bind somewhere in the table */
    /* Unclipped, over steps: integral of PUE = k_t x hours + k_pue x steps of the pue_shape
     * sum; of PUE x CI = k_ci x steps of the ci_shape sum + k_pc x steps of the product's. */
    double k_t, k_pue, k_ci, k_pc;
};

/* Steps per block of block_min. */
enum { PROFILE_BLOCK = 64 };

/* The scale of a sample with PUE pue and intensity ci (kg/kWh). */
void profile_scale_init(const struct profile *p, double pue, double ci, struct profile_scale *out);

/* profile_integrate() where the clip may bind or past the table (see there). */
void profile_integrate_steps(const struct profile *p, const struct profile_scale *sc, double t0_h, double t1_h,
                             double *pue_h, double *pue_ci_h);

/* The three prefix sums at fractional step g (0 <= g <= n_tab), linear in between: the
 * integrals, in steps, of the held shapes from 0 to g. */
static inline void profile_cum_at(const struct profile *p, double g, double out[3])
{
    const long last = p->n_tab - 1;
    long n = (long)g;
    n = n < last ? n : last;
    const double *c = &p->cum[3 * n];
    const double f = g - (double)n;
    const double c0 = c[0], c1 = c[1], c2 = c[2];
    out[0] = c0 + (c[3] - c0) * f;
    out[1] = c1 + (c[4] - c1) * f;
    out[2] = c2 + (c[5] - c2) * f;
}

/* True when profile_integrate() over [0, t_h] is O(1) for sc: within the table, no clip. */
static inline bool profile_is_quick(const struct profile *p, const struct profile_scale *sc, double t_h)
{
    return !sc->may_clip && t_h < (double)p->n_tab * p->step_h;
}

/* Adds to d[3] the raw integrals, in steps, of the three shape sums over [t0_h, t1_h]
 * (within the table). */
static inline void profile_add_raw(const struct profile *p, double t0_h, double t1_h, double d[3])
{
    const double inv = p->per_step_h;
    double c0[3], c1[3];
    profile_cum_at(p, t0_h * inv, c0);
    profile_cum_at(p, t1_h * inv, c1);
    d[0] += c1[0] - c0[0];
    d[1] += c1[1] - c0[1];
    d[2] += c1[2] - c0[2];
}

/* profile_add_raw() for a short interval: one of at most two steps, both within the table,
 * is summed from the shape values themselves (their lengths in steps times the values);
 * a longer one, or one near the table's end, from the prefix sums. */
static inline void profile_add_short(const struct profile *p, double t0_h, double t1_h, double d[3])
{
    const double g0 = t0_h * p->per_step_h, g1 = t1_h * p->per_step_h;
    const long n = (long)g0;
    if (!(g1 <= (double)(n + 2)) || n + 2 > p->n_tab) {
        profile_add_raw(p, t0_h, t1_h, d);
        return;
    }
    const double split = (double)(n + 1);
    const double f0 = (g1 < split ? g1 : split) - g0, f1 = g1 > split ? g1 - split : 0;
    const double v0 = p->pue_shape ? p->pue_shape[n] : 0, c0 = p->ci_shape ? p->ci_shape[n] : 1;
    const double v1 = p->pue_shape ? p->pue_shape[n + 1] : 0, c1 = p->ci_shape ? p->ci_shape[n + 1] : 1;
    d[0] += v0 * f0 + v1 * f1;
    d[1] += c0 * f0 + c1 * f1;
    d[2] += v0 * c0 * f0 + v1 * c1 * f1;
}

/* The unclipped integrals of PUE and PUE x CI over dt_h hours whose raw integrals are d. */
static inline void profile_combine(const struct profile_scale *sc, double dt_h, const double d[3], double *pue_h,
                                   double *pue_ci_h)
{
    *pue_h = sc->k_t * dt_h + sc->k_pue * d[0];
    *pue_ci_h = sc->k_ci * d[1] + sc->k_pc * d[2];
}

/* Integrals over [t0_h, t1_h] (hours since the start, 0 <= t0_h <= t1_h) of the PUE held
 * per step (*pue_h, hours) and of PUE x CI held per step (*pue_ci_h, kg/kWh x hours), with
 * the values the engine holds: PUE_n = max(1, ...) and CI_n of the comment above. Only for
 * a profile with a shape. O(1) in the table where the clip cannot bind; where it can, the
 * steps of blocks whose least value clips are summed one by one; past the table every
 * step is. */
static inline void profile_integrate(const struct profile *p, const struct profile_scale *sc, double t0_h,
                                     double t1_h, double *pue_h, double *pue_ci_h)
{
    if (!profile_is_quick(p, sc, t1_h)) {
        profile_integrate_steps(p, sc, t0_h, t1_h, pue_h, pue_ci_h);
        return;
    }
    double d[3] = { 0, 0, 0 };
    profile_add_raw(p, t0_h, t1_h, d);
    profile_combine(sc, t1_h - t0_h, d, pue_h, pue_ci_h);
}

/* Held PUE and CI (kg/kWh) of step n for a sample's scale. */
void profile_held(const struct profile *p, const struct profile_scale *sc, long n, double *pue, double *ci);

/* Tabulates the profile of spec s (borrowed: it must outlive the profile). Returns a new
 * profile; free with profile_free(). */
struct profile *profile_new(const struct spec *s);
void profile_free(struct profile *p); /* NULL is allowed */

/* Value of a series at absolute time unix_s: the row in force, wrapping around its span
 * (the last row lasts as long as the interval before it). */
double profile_series_at(const struct series *s, double unix_s);

/* Number of grid steps needed to reach max_days with step_min (both > 0). */
long profile_steps_for(double max_days, double step_min);

#endif
