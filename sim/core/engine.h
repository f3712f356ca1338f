/*
 * engine.h - the discrete-time simulation of one training run (DESIGN 3).
 *
 * An engine steps one sample from the run start to DONE (or max_days) on a fixed grid of
 * step_min. Events (stage ends, checkpoints, failures, restarts, planned maintenance) fall
 * at exact times inside a step, which is then split; PUE and grid intensity are held per
 * step. The engine is pure: no I/O, no randomness of its own (it asks trial->draws), and it
 * allocates only in engine_new(), so one engine serves many samples in turn.
 *
 * Two ways through the same model (issue 15): engine_step() walks the grid step by step
 * and is the reference; engine_run() is the fast engine, which integrates PUE and CI with
 * the profile's prefix sums and crosses whole checkpoint cycles and sloping curve pieces
 * in closed form between random events, so a sample costs O(random events); without a curve
 * it does not walk the grid at all, it plays the events in time order. They draw the
 * same random numbers in the same order and agree on every metric within 1e-9 relative,
 * counts exactly (tests/unit/test_agreement.c); they are not bit-identical.
 *
 *   struct engine *e = engine_new(&spec, profile);
 *   engine_start(e, &trial);
 *   while (engine_step(e))
 *       ;                      // a trace would read engine_state() here
 *   engine_result(e, &result);
 *   engine_free(e);
 */
#ifndef TS_CORE_ENGINE_H
#define TS_CORE_ENGINE_H

#include <stdbool.h>

#include "core/profile.h"
#include "core/result.h"
#include "core/spec.h"
#include "core/trial.h"

struct engine; /* opaque: the evolving state of one simulated training run */

/* keep in sync with engine_state_names[] in engine.c -- grep RUN_STATE_ORDER */
enum run_state { STATE_RUNNING, STATE_CHECKPOINTING, STATE_RESTARTING, STATE_MAINTENANCE, STATE_DONE };

/* A snapshot for traces (issue: trace). Energies are cumulative. */
struct engine_state {
    double t_h;              /* time since the run start */
    enum run_state state;
    int stage;               /* current stage index */
    double progress_frac;    /* overall progress: (finished stages + fraction of this one) / n_stages */
    double work_frac;        /* overall progress with each stage weighted by its time at full speed
                                (work / rate at curve factor 1), in [0, 1] */
    double accel_power_w;    /* accelerator power in the current state */
    double facility_power_w; /* IT power x PUE of the last step */
    double pue, ci_kg_per_kwh; /* values held for the last step */
    double it_energy_kwh, facility_energy_kwh, co2e_kg;
    long interruptions, checkpoints, restarts, maintenances;
};

/* Prepares an engine for spec and profile, which it borrows: both must outlive it.
 * All memory the runs need is allocated here. */
struct engine *engine_new(const struct spec *spec, const struct profile *profile);

/* Begins a run for trial (borrowed until the run ends). Never allocates. */
void engine_start(struct engine *e, const struct trial *trial);

/* Advances by one grid step (the last one may be shorter). Returns false once the work is
 * done or max_days is reached. Stepping to the end is the reference walk: engine_run()
 * gives the same metrics within 1e-9 relative. */
bool engine_step(struct engine *e);

/* Copies the metrics of the run so far into *out. */
void engine_result(const struct engine *e, struct run_result *out);

/* Copies a snapshot of the current state into *out. */
void engine_state(const struct engine *e, struct engine_state *out);

/* Name of a run state ("RUNNING", ...). */
const char *engine_state_name(enum run_state s);

/* Start, run to the end with the fast engine, result (engine_state() then gives the final
 * counts). */
void engine_run(struct engine *e, const struct trial *trial, struct run_result *out);

void engine_free(struct engine *e); /* NULL is allowed */

/* Young/Daly optimal checkpoint interval sqrt(2 delta M), minutes, for a write time delta_min
 * and a job MTBF mtbf_h; HUGE_VAL when mtbf_h is infinite. */
double engine_young_daly_min(double delta_min, double mtbf_h);

/* Job failure rate, per hour: nodes x failures_per_1000_node_days / 24 000. */
double engine_failure_rate_per_h(long n_nodes, double failures_per_1000_node_days);

#endif
