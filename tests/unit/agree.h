/*
 * agree.h - the fast engine against the reference walk, for the unit tests (issue 15).
 *
 * engine_run() is the fast engine (prefix sums of PUE/CI, checkpoint cycles in one move);
 * engine_step() to the end is the reference walk, today's stepping engine unchanged. Both
 * run the same trial (sample i of a seed, drawn as montecarlo_run draws it).
 */
#ifndef TS_TESTS_AGREE_H
#define TS_TESTS_AGREE_H

#include <math.h>

#include "core/engine.h"
#include "sample/montecarlo.h"

/* The largest relative difference between the metrics of a and b (0 when equal); HUGE_VAL
 * when the unfinished flag or the interruption count differ. lost_gpu_hours is relative to
 * gpu_hours: it is a sum of differences of times (failure minus last checkpoint), whose
 * rounding is that of the times, so a loss of seconds after a run of weeks carries a
 * relative error of 1e-9 in either engine. A metric NAN in one engine only is a difference. */
static double metrics_rel_diff(const struct run_result *a, const struct run_result *b)
{
    if (a->is_unfinished != b->is_unfinished || a->metric[METRIC_INTERRUPTIONS] != b->metric[METRIC_INTERRUPTIONS])
        return HUGE_VAL;
    double worst = 0;
    for (int m = 0; m < METRIC_COUNT; m++) {
        const double x = a->metric[m], y = b->metric[m];
        double scale = fmax(fabs(x), fabs(y));
        if (m == METRIC_LOST_GPU_HOURS)
            scale = fmax(scale, fabs(a->metric[METRIC_GPU_HOURS]));
        /* NAN in both: a metric the scenario does not model (core/model.c), the same in both */
        const double d = x == y || (isnan(x) && isnan(y)) ? 0 : fabs(x - y) / scale;
        worst = d > worst || isnan(d) ? d : worst;
    }
    return worst;
}

/* Sample i of s with seed through engine_run() (walk false) or the walk; returns the number
 * of engine_step() calls of the walk (1 for engine_run). */
static long agree_sample(struct engine *e, const struct spec *s, unsigned long seed, long i, bool walk,
                         struct run_result *r)
{
    struct mc_trial *t = montecarlo_trial_new(s, seed, i, false);
    long calls = 1;
    if (walk) {
        engine_start(e, montecarlo_trial_get(t));
        while (engine_step(e))
            calls++;
        engine_result(e, r);
    } else {
        engine_run(e, montecarlo_trial_get(t), r);
    }
    montecarlo_trial_free(t);
    return calls;
}

#endif
