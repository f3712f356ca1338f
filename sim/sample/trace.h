/*
 * trace.h - one sample's run, step by step (trainsim trace): the computation behind the
 * trace CSV and chart.
 *
 * trace_new() draws sample I's inputs exactly as `run` draws sample I (montecarlo_trial_new,
 * same seed policy) and starts the engine on them; each trace_step() advances one grid step
 * and gives the engine's state at its end as a struct trace_row (output/report.h), until it
 * returns false. The run is the one `run` simulates for that sample: this is the reference
 * walk, `run` the fast engine (issue 15), so the last row's cumulative energy, CO2e and time
 * agree with sample I's row of `run --samples-out` within 1e-9 and its event counts exactly.
 * GSL's INITIALIZE / ITERATE / TEST:
 *
 *   struct trace *t = trace_new(&spec, sample, nominal);
 *   struct trace_row row;
 *   while (trace_step(t, &row))
 *       ;                                   // write the row
 *   trace_timeline(t, &tl);                 // the chart's series and event times
 *   trace_free(t);
 *
 * Alongside, the trace keeps the chart's timeline: power, PUE, grid intensity and progress
 * at no more than TRACE_MAX_POINTS points (when a long run fills them, every other point is
 * dropped and the stride doubles; the last step always ends it), and the time of every
 * failure, restart, checkpoint and maintenance at full resolution.
 */
#ifndef TS_SAMPLE_TRACE_H
#define TS_SAMPLE_TRACE_H

#include <stdbool.h>

#include "core/spec.h"
#include "output/report.h"

enum { TRACE_MAX_POINTS = 1 << 16 };

struct trace; /* opaque: one sample's engine, trial and timeline */

/* Starts the run of sample (central values and no random events when nominal). Borrows s,
 * which must outlive the trace. */
struct trace *trace_new(const struct spec *s, long sample, bool nominal);

/* Advances one step and fills *row (its strings borrowed from s and the engine); false,
 * *row untouched, once the last step has been given. */
bool trace_step(struct trace *t, struct trace_row *row);

/* The chart's timeline so far: n points in time order, the event times when each event was
 * seen (the end of its step). Borrowed from t until the next trace_step() or trace_free(). */
struct trace_timeline {
    long n;
    const double *t_h;                                 /* hours since the start */
    const double *it_energy_kwh, *facility_energy_kwh; /* cumulative */
    const double *pue, *ci_kg_per_kwh;                 /* held per step */
    const double *progress_frac;                       /* work done, in [0, 1] */
    long n_failures, n_restarts, n_checkpoints, n_maintenances;
    const double *failure_t_h, *restart_t_h, *checkpoint_t_h, *maintenance_t_h;
};
void trace_timeline(const struct trace *t, struct trace_timeline *out);

void trace_free(struct trace *t); /* NULL is allowed */

#endif
