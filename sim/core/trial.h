/*
 * trial.h - one Monte Carlo sample as the core sees it: concrete numbers and a source
 * of event randomness.
 *
 * sample/ fills a trial (GSL draws); tests build one by hand. The core never sees an RNG:
 * when the engine needs the next random quantity of an event process it calls
 * draws.next(), which returns a value in the unit the scenario uses for it.
 */
#ifndef TS_CORE_TRIAL_H
#define TS_CORE_TRIAL_H

/* The event processes of DESIGN 3.5a, each with its own random stream. */
enum draw_kind {
    DRAW_FAILURE_EXP,   /* unit-rate exponential: exposure to the next failure is this / lambda */
    DRAW_PLANNED_EXP,   /* unit-rate exponential: RUNNING time to the next planned interruption */
    DRAW_RESTART_MIN,   /* a fresh restart_min draw, minutes */
    DRAW_MAINTENANCE_MIN, /* a fresh planned_downtime_min draw, minutes */
    DRAW_KIND_COUNT
};

struct draws {
    double (*next)(void *ctx, enum draw_kind kind); /* must return a value >= 0 (HUGE_VAL allowed) */
    void *ctx;                                     /* borrowed */
};

struct trial {
    const double *x;     /* borrowed: one value per spec input, indexed by input id */
    struct draws draws;
};

#endif
