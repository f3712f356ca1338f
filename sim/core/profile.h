/*
 * profile.h - the time-varying inputs PUE(t) and CI(t), tabulated on the step grid.
 *
 * PUE and grid intensity are held for each step (DESIGN 3.4, 3.5a) and their shape does not
 * depend on the sample: only the sampled mean (or scale) does. So the shape is computed once
 * per scenario, here, and each sample applies its own numbers:
 *   without a series: PUE_n = max(1, pue + pue_shape[n])       CI_n = intensity * ci_shape[n]
 *   with a series:    PUE_n = max(1, pue * pue_shape[n])       CI_n = intensity * ci_shape[n]
 * where a series shape is series(t) / central value. A NULL shape means constant (0 or 1).
 * A profile is read-only once built and may be shared by any number of engines and threads.
 */
#ifndef TS_CORE_PROFILE_H
#define TS_CORE_PROFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/spec.h"

struct profile {
    double step_h;         /* step length, hours */
    long n_steps;          /* steps to reach max_days */
    long n_tab;            /* steps tabulated (the expected run with room to spare, at most
                              2^20); later steps are computed when asked, same formula */
    bool pue_is_scaled;    /* true: pue * shape (series); false: pue + shape (sinusoids) */
    double *pue_shape;     /* owned, n_tab, or NULL when constant */
    double *ci_shape;      /* owned, n_tab, or NULL when constant 1 */
    uint32_t *same_len;    /* owned, n_tab (with a shape): both shapes keep their step-n
                              values for steps n .. n + same_len[n] - 1 */
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
    return n < p->n_tab ? n + (long)p->same_len[n] : n + 1;
}

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
