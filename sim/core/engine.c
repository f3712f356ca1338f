/*
 * engine.c - the discrete-time loop of one training run (DESIGN 3.2-3.5a).
 *
 * State machine: RUNNING makes progress at the stage's rate; a checkpoint falls due after
 * tau hours of RUNNING since the last completed checkpoint (or since the run or a restart
 * began) and stalls training for delta; a failure (Poisson in RUNNING + CHECKPOINTING wall
 * time) throws away the progress since the last completed checkpoint, then RESTARTING lasts
 * a fresh restart_min draw; a planned interruption (Poisson in RUNNING time) writes a
 * checkpoint, then MAINTENANCE lasts a fresh planned_downtime_min draw. Every event falls at
 * its exact time: the step is split at it. Power follows the state at the event time;
 * PUE, CI and the utilization-curve factor are held per step (the curve is re-read on
 * every stage change and rollback). Energy is integrated in watt-hours over segments of
 * constant IT power, PUE and CI (split at events and wherever the held PUE or CI changes),
 * each multiplied by its PUE and CI.
 *
 * engine_step() is that walk, the reference. engine_run() is the fast engine on the same
 * state machine (issue 15): energy over a stretch at constant IT power is the profile's
 * integral of the held PUE and PUE x CI (profile_integrate, O(1)), so a change of PUE or CI
 * is no reason to stop; jump_cycles() crosses the whole checkpoint cycles before the next
 * random event in one move; jump_slope() crosses the steps of a sloping curve piece between
 * time-based events, and slope_cycles() the checkpoint cycles on such a piece (a tight loop
 * of closed-form steps and writes, without the event machinery). All keep a margin from
 * every event they must not cross, so every near tie is decided by the event loop itself.
 * Between events nothing happens at a step boundary in the fast engine unless a utilization
 * curve must be re-read there, so it plays the events in time order (run_events) and goes
 * to the grid only where a re-read may change the factor: without a curve, never.
 */
#include "core/engine.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "core/cost.h"
#include "core/model.h"
#include "util/xalloc.h"

static const double MIN_PER_H = 60.0;
static const double HOURS_PER_DAY = 24.0;
static const double WH_PER_KWH = 1000.0;
static const double NODE_DAYS_PER_1000 = 1000.0; /* failures are counted per 1000 node-days */
static const double HOURS_PER_YEAR = 365.25 * 24.0;
/* Events closer than this fraction of the segment to the stage end count as simultaneous
 * with it, and the stage end wins: without it, float noise in progress would make a
 * checkpoint "due" an ulp before the work is done (W a multiple of tau). */
static const double TIE_REL = 1e-9;
/* A sample that has seen this many events stops there and counts as unfinished: a guard
 * against inputs that make events pile up (the loader refuses the likely cases first). */
static const long MAX_EVENTS = 100000000;

/* Per-sample numbers of one stage. */
struct stage_rt {
    double work;      /* in the form's unit */
    double rate0;     /* units per hour at curve factor 1 */
    double it_run_w;  /* IT power while RUNNING in this stage */
    double accel_run_w;
    const struct curve *curve;
};

enum event { EV_NONE, EV_STAGE_END, EV_CHECKPOINT_DUE, EV_FAILURE, EV_PLANNED, EV_STATE_END };

/*
 * Everything that changes continuously (work done, time since the last checkpoint, exposure
 * left before the next failure, energy, ...) is brought up to date lazily: counters at
 * events, at curve re-reads and when read; energy at events and wherever the held PUE or CI
 * changes. Between those points IT power, PUE and CI are constant, so a grid step that holds
 * no event, no change of PUE or CI and no curve re-read has nothing to do: it is "quiet".
 * engine_run() crosses a run of quiet steps in one move (quiet_until); engine_step() walks
 * them one by one and does the same (nothing). The fast engine (is_fast) also ignores the
 * changes of PUE and CI (its energy is integrated) and jumps over checkpoint cycles and
 * sloping curve pieces, so it needs a step only at random events and where a jump stops.
 */
struct engine {
    const struct spec *spec;       /* borrowed */
    const struct profile *prof;    /* borrowed */
    const struct trial *trial;     /* borrowed for the current run */
    struct stage_rt *st;           /* owned, spec->n_stages */
    int n_stages;

    /* per-sample constants */
    double horizon_h, it_idle_w, accel_idle_w, lambda_per_h, planned_per_h;
    double tau_h, delta_h, pue_s, ci_s;
    double step_h;          /* grid step */
    double per_step_h;      /* 1 / step_h: a first guess of a step index, corrected exactly */
    long n_steps;           /* steps to the horizon; the last may be shorter */
    long held_until;        /* steps before this one keep the held PUE and CI (LONG_MAX:
                               a constant profile) */
    bool is_fast;           /* engine_run: energy by the profile's integrals, checkpoint
                               cycles jumped over (engine_step: the reference walk) */
    bool is_const_profile;  /* PUE and CI never change: energy is power x time x held values */
    struct profile_scale scale; /* the sample's PUE and CI numbers for profile_integrate */
    bool has_curve;         /* the current stage has a utilization curve */

    /* state */
    long n;                 /* index of the next grid step */
    double t;               /* hours since the start */
    double t_sync;          /* the counters below are up to date at this time */
    double t_next;          /* time of the next event (HUGE_VAL: none) */
    enum event ev_next;     /* what happens at t_next */
    double p_now;           /* IT power in the current state, W */
    enum run_state state;
    enum run_state after_checkpoint; /* RUNNING or MAINTENANCE */
    int k;                  /* current stage */
    double w;               /* work done in stage k (at t_sync) */
    int ck_k;               /* last completed checkpoint: stage and work */
    double ck_w;
    double since_ck_h;      /* RUNNING time since the last completed checkpoint or restart */
    double state_left_h;    /* time left in CHECKPOINTING / RESTARTING / MAINTENANCE */
    double fail_left_h;     /* exposure left until the next failure */
    double planned_left_h;  /* RUNNING time left until the next planned interruption */
    double cf;              /* curve factor in force */
    bool cf_fresh;          /* cf was read at the current w (no re-read can change it) */
    double flat_until_w;    /* the factor is constant while w stays below this (-1: not known) */
    double t_flat_end;      /* RUNNING: time at which w reaches flat_until_w */
    int curve_seg;          /* hint: curve segment of the last lookup */
    double t_done;
    bool is_done, is_unfinished;

    /* accumulators */
    double running_h, lost_h;
    double it_wh, fac_wh, co2_kg; /* up to t_e */
    double t_e;             /* energy is summed up to this time */
    double pue_h, kg_per_wh_h; /* PUE and kg CO2e per IT Wh held since t_e */
    double cum_e[3];        /* the profile's prefix sums at t_e (the fast engine) */
    bool cum_e_ok;          /* cum_e is current */
    long n_failures, n_checkpoints, n_maintenances;
    long n_events;
};

double engine_failure_rate_per_h(long n_nodes, double failures_per_1000_node_days)
{
    return (double)n_nodes * failures_per_1000_node_days / (NODE_DAYS_PER_1000 * HOURS_PER_DAY);
}

double engine_young_daly_min(double delta_min, double mtbf_h)
{
    if (!isfinite(mtbf_h))
        return HUGE_VAL;
    return sqrt(2.0 * delta_min * mtbf_h * MIN_PER_H);
}

struct engine *engine_new(const struct spec *spec, const struct profile *profile)
{
    struct engine *e = xcalloc(1, sizeof *e);
    e->spec = spec;
    e->prof = profile;
    e->n_stages = spec->n_stages;
    e->st = xcalloc((size_t)spec->n_stages, sizeof *e->st);
    return e;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    free(e->st);
    free(e);
}

/* Piecewise-linear curve factor at progress fraction f, using and updating the hint. */
static double curve_at(const struct curve *c, double f, int *seg)
{
    if (c->n == 0)
        return 1.0;
    if (f <= 0)
        return c->y[0];
    if (f >= 1)
        return c->y[c->n - 1];
    int i = *seg;
    if (i < 0 || i > c->n - 2 || f < c->x[i])
        i = 0;
    while (i < c->n - 2 && f > c->x[i + 1])
        i++;
    *seg = i;
    const double span = c->x[i + 1] - c->x[i];
    return c->y[i] + (c->y[i + 1] - c->y[i]) * (f - c->x[i]) / span;
}

static void reread_curve(struct engine *e)
{
    e->has_curve = e->k < e->n_stages && e->st[e->k].curve->n > 0;
    e->flat_until_w = -1;
    e->cf_fresh = true;
    if (!e->has_curve) {
        e->cf = 1.0;
        return;
    }
    const struct curve *c = e->st[e->k].curve;
    const double f = e->w / e->st[e->k].work;
    e->cf = curve_at(c, f, &e->curve_seg);
    /* On a flat piece of the curve the factor cannot change before the piece ends. */
    const int i = e->curve_seg;
    if (f >= c->x[c->n - 1] || f >= 1)
        e->flat_until_w = HUGE_VAL;
    else if (f >= c->x[i] && c->y[i] == c->y[i + 1])
        e->flat_until_w = c->x[i + 1] * e->st[e->k].work;
}

static double draw(const struct engine *e, enum draw_kind kind)
{
    return e->trial->draws.next(e->trial->draws.ctx, kind);
}

/* Advances the continuous counters by dt hours of the current state. */
static void advance(struct engine *e, double dt)
{
    switch (e->state) {
    case STATE_RUNNING:
        e->w += e->st[e->k].rate0 * e->cf * dt;
        e->since_ck_h += dt;
        e->running_h += dt;
        e->fail_left_h -= dt;
        e->planned_left_h -= dt;
        break;
    case STATE_CHECKPOINTING:
        e->fail_left_h -= dt;
        e->state_left_h -= dt;
        break;
    case STATE_RESTARTING:
    case STATE_MAINTENANCE:
        e->state_left_h -= dt;
        break;
    case STATE_DONE:
        break;
    }
}

/* Brings the counters up to time t. */
static void sync(struct engine *e)
{
    if (e->t == e->t_sync)
        return;
    advance(e, e->t - e->t_sync);
    e->t_sync = e->t;
}

/* Energy of [t0, t1] at constant IT power p_w: IT and facility watt-hours and kg CO2e. The
 * walk holds PUE and CI over it (it splits segments where they change); the fast engine
 * integrates them over the step grid with the profile's prefix sums. */
static void segment_energy(const struct engine *e, double t0, double t1, double p_w, double *it_wh, double *fac_wh,
                           double *co2_kg)
{
    const double wh = p_w * (t1 - t0);
    *it_wh = wh;
    if (!e->is_fast || e->is_const_profile) {
        *fac_wh = wh * e->pue_h;
        *co2_kg = wh * e->kg_per_wh_h;
        return;
    }
    double pue_h, pue_ci_h;
    profile_integrate(e->prof, &e->scale, t0, t1, &pue_h, &pue_ci_h);
    *fac_wh = p_w * pue_h;
    *co2_kg = p_w * pue_ci_h * (1.0 / WH_PER_KWH);
}

/* Adds the energy of [t_e, t) at the current IT power. Where the fast engine integrates
 * in O(1), the prefix sums at t are kept for the next call, which starts there. */
static void energy_sync(struct engine *e, double t)
{
    if (t == e->t_e)
        return;
    double it_wh, fac_wh, co2_kg;
    if (e->is_fast && !e->is_const_profile && profile_is_quick(e->prof, &e->scale, t)) {
        const struct profile *p = e->prof;
        double c1[3], d[3], pue_h, pue_ci_h;
        if (!e->cum_e_ok)
            profile_cum_at(p, e->t_e * p->per_step_h, e->cum_e);
        profile_cum_at(p, t * p->per_step_h, c1);
        for (int i = 0; i < 3; i++) {
            d[i] = c1[i] - e->cum_e[i];
            e->cum_e[i] = c1[i];
        }
        e->cum_e_ok = true;
        profile_combine(&e->scale, t - e->t_e, d, &pue_h, &pue_ci_h);
        it_wh = e->p_now * (t - e->t_e);
        fac_wh = e->p_now * pue_h;
        co2_kg = e->p_now * pue_ci_h * (1.0 / WH_PER_KWH);
    } else {
        segment_energy(e, e->t_e, t, e->p_now, &it_wh, &fac_wh, &co2_kg);
        e->cum_e_ok = false;
    }
    e->it_wh += it_wh;
    e->fac_wh += fac_wh;
    e->co2_kg += co2_kg;
    e->t_e = t;
}

/* RUNNING, counters current: the time at which w reaches flat_until_w (the curve factor
 * cannot change before it), or now when not on a flat piece. */
static double flat_end(const struct engine *e)
{
    return e->flat_until_w > e->w ? e->t + (e->flat_until_w - e->w) / (e->st[e->k].rate0 * e->cf) : e->t;
}

/* With the counters current at t, finds the next event of the current state and its time,
 * and the IT power until then. A later event must come earlier than the stage end by more
 * than TIE_REL of the interval to win the tie. */
static void plan_next(struct engine *e)
{
    double dt;
    enum event ev;
    switch (e->state) {
    case STATE_RUNNING: {
        const struct stage_rt *r = &e->st[e->k];
        dt = (r->work - e->w) / (r->rate0 * e->cf);
        ev = EV_STAGE_END;
        const double margin = dt * TIE_REL;
        const double to_ck = e->tau_h - e->since_ck_h;
        if (to_ck < dt - margin) {
            dt = to_ck;
            ev = EV_CHECKPOINT_DUE;
        }
        if (e->fail_left_h < dt - margin) {
            dt = e->fail_left_h;
            ev = EV_FAILURE;
        }
        if (e->planned_left_h < dt - margin) {
            dt = e->planned_left_h;
            ev = EV_PLANNED;
        }
        e->p_now = r->it_run_w;
        e->t_flat_end = flat_end(e);
        break;
    }
    case STATE_CHECKPOINTING:
        dt = e->state_left_h;
        ev = EV_STATE_END;
        if (e->fail_left_h < dt) {
            dt = e->fail_left_h;
            ev = EV_FAILURE;
        }
        e->p_now = e->it_idle_w;
        break;
    case STATE_RESTARTING:
    case STATE_MAINTENANCE:
        dt = e->state_left_h;
        ev = EV_STATE_END;
        e->p_now = e->it_idle_w;
        break;
    default:
        dt = HUGE_VAL;
        ev = EV_NONE;
        e->p_now = 0;
        break;
    }
    if (dt < 0)
        dt = 0; /* rounding: an event already due */
    e->t_next = e->t + dt;
    e->ev_next = ev;
}

/* PUE and kg CO2e per IT watt-hour held for step n. */
static void held_inputs(const struct engine *e, long n, double *pue, double *kg_per_wh)
{
    double ci;
    profile_held(e->prof, &e->scale, n, pue, &ci);
    *kg_per_wh = *pue * ci * (1.0 / WH_PER_KWH);
}

void engine_start(struct engine *e, const struct trial *trial)
{
    const struct spec *s = e->spec;
    const double *x = trial->x;
    e->trial = trial;

    const double count = (double)s->count;
    const double tdp = x[s->tdp_w_in];
    const double overhead = x[s->overhead_factor_in];
    const double node_w = (double)s->n_nodes * x[s->node_overhead_w_in];
    for (int k = 0; k < e->n_stages; k++) {
        const struct stage_spec *ss = &s->stages[k];
        struct stage_rt *r = &e->st[k];
        model_stage_numbers(s, x, k, &r->work, &r->rate0);
        r->accel_run_w = count * tdp * x[ss->busy_fraction_in];
        r->it_run_w = r->accel_run_w * overhead + node_w;
        r->curve = &ss->curve;
    }
    e->accel_idle_w = count * tdp * x[s->idle_fraction_in];
    e->it_idle_w = e->accel_idle_w * overhead + node_w;
    e->horizon_h = s->max_days * HOURS_PER_DAY;
    e->lambda_per_h = engine_failure_rate_per_h(s->n_nodes, x[s->failures_in]);
    e->planned_per_h = s->planned_per_day / HOURS_PER_DAY;
    e->tau_h = s->checkpoint_interval_min / MIN_PER_H;
    e->delta_h = x[s->checkpoint_write_min_in] / MIN_PER_H;
    e->pue_s = x[s->pue_in];
    e->ci_s = x[s->intensity_in];
    profile_scale_init(e->prof, e->pue_s, e->ci_s, &e->scale);
    e->is_const_profile = !e->prof->pue_shape && !e->prof->ci_shape;
    e->is_fast = false;
    e->step_h = e->prof->step_h;
    e->per_step_h = 1.0 / e->step_h;
    e->n_steps = (long)ceil(e->horizon_h / e->step_h - 1e-9);
    if (e->n_steps > e->prof->n_steps)
        e->n_steps = e->prof->n_steps;
    if (e->n_steps < 1)
        e->n_steps = 1; /* a horizon shorter than a step is one short step */

    e->n = 0;
    e->t = 0;
    e->t_sync = 0;
    e->state = STATE_RUNNING;
    e->after_checkpoint = STATE_RUNNING;
    e->k = 0;
    e->w = 0;
    e->ck_k = 0;
    e->ck_w = 0;
    e->since_ck_h = 0;
    e->state_left_h = 0;
    e->fail_left_h = e->lambda_per_h > 0 ? draw(e, DRAW_FAILURE_EXP) / e->lambda_per_h : HUGE_VAL;
    e->planned_left_h = e->planned_per_h > 0 ? draw(e, DRAW_PLANNED_EXP) / e->planned_per_h : HUGE_VAL;
    e->curve_seg = 0;
    e->t_done = 0;
    e->is_done = false;
    e->is_unfinished = false;
    e->running_h = e->lost_h = 0;
    e->it_wh = e->fac_wh = e->co2_kg = 0;
    e->t_e = 0;
    e->cum_e_ok = false;
    held_inputs(e, 0, &e->pue_h, &e->kg_per_wh_h);
    e->held_until = profile_same_until(e->prof, 0);
    e->n_failures = e->n_checkpoints = e->n_maintenances = 0;
    e->n_events = 0;
    reread_curve(e);
    plan_next(e);
}

/* A failure: lose the work since the last completed checkpoint, roll back, restart. */
static void on_failure(struct engine *e)
{
    e->n_failures++;
    e->lost_h += e->since_ck_h;
    e->since_ck_h = 0;
    e->k = e->ck_k;
    e->w = e->ck_w;
    e->state = STATE_RESTARTING;
    e->state_left_h = draw(e, DRAW_RESTART_MIN) / MIN_PER_H;
    e->fail_left_h = draw(e, DRAW_FAILURE_EXP) / e->lambda_per_h;
    e->curve_seg = 0;
    reread_curve(e);
}

static void begin_checkpoint(struct engine *e, enum run_state after)
{
    e->state = STATE_CHECKPOINTING;
    e->after_checkpoint = after;
    e->cf_fresh = false; /* w has moved since the curve was last read */
    e->state_left_h = e->delta_h;
}

/* The event planned for t_next happens now (e->t == e->t_next). */
static void fire(struct engine *e)
{
    sync(e); /* not advance(dt_next): a curve re-read may have synced since the plan */
    energy_sync(e, e->t);
    if (++e->n_events > MAX_EVENTS) {
        e->state = STATE_DONE;
        e->is_done = true;
        e->is_unfinished = true;
        return;
    }
    switch (e->ev_next) {
    case EV_NONE:
        break;
    case EV_STAGE_END:
        e->w = 0; /* exactly: the stage's work is done */
        e->k++;
        if (e->k == e->n_stages) {
            e->state = STATE_DONE;
            e->is_done = true;
            e->t_done = e->t;
            return;
        }
        e->curve_seg = 0;
        reread_curve(e);
        break;
    case EV_CHECKPOINT_DUE:
        begin_checkpoint(e, STATE_RUNNING);
        break;
    case EV_FAILURE:
        on_failure(e);
        break;
    case EV_PLANNED:
        e->planned_left_h = draw(e, DRAW_PLANNED_EXP) / e->planned_per_h;
        begin_checkpoint(e, STATE_MAINTENANCE);
        break;
    case EV_STATE_END:
        if (e->state == STATE_CHECKPOINTING) {
            e->n_checkpoints++;
            e->ck_k = e->k;
            e->ck_w = e->w;
            e->since_ck_h = 0;
            if (e->after_checkpoint == STATE_MAINTENANCE) {
                e->n_maintenances++;
                e->state = STATE_MAINTENANCE;
                e->state_left_h = draw(e, DRAW_MAINTENANCE_MIN) / MIN_PER_H;
            } else {
                e->state = STATE_RUNNING;
            }
        } else {
            e->state = STATE_RUNNING;
        }
        break;
    }
    plan_next(e);
}

/* The run stops unfinished at e->t (the horizon): counters and energy brought up to it. */
static void end_unfinished(struct engine *e)
{
    sync(e);
    energy_sync(e, e->t);
    e->is_done = true;
    e->is_unfinished = true;
}

/* Plays the events of the current step that fall before t_end. */
static void step_events(struct engine *e, double t_end)
{
    while (e->t_next < t_end) {
        e->t = e->t_next;
        fire(e);
        if (e->is_done)
            return;
    }
    e->t = t_end;
}

/* One grid step that is not quiet: the held PUE and CI may change at its start, the curve
 * may be re-read, events may fall inside it, and the last step ends the run. */
static bool step(struct engine *e)
{
    const long n = e->n;
    assert(n < e->n_steps);
    const double t_end = n + 1 < e->n_steps ? (double)(n + 1) * e->step_h : e->horizon_h;
    if (!e->is_fast && n >= e->held_until) {
        double pue, kg_per_wh;
        held_inputs(e, n, &pue, &kg_per_wh);
        if (pue != e->pue_h || kg_per_wh != e->kg_per_wh_h) {
            energy_sync(e, e->t);
            e->pue_h = pue;
            e->kg_per_wh_h = kg_per_wh;
        }
        e->held_until = profile_same_until(e->prof, n);
    }
    if (e->has_curve && e->state != STATE_DONE) {
        /* The curve factor is held per step: re-read it at the step's start, unless it
         * cannot have changed -- RUNNING on a flat piece of the curve before t_flat_end, or
         * a stalled state whose work has not moved since the last read. */
        if (e->state == STATE_RUNNING) {
            if (!(e->t < e->t_flat_end)) {
                sync(e);
                const double cf = e->cf;
                reread_curve(e);
                if (e->cf != cf)
                    plan_next(e);
                else
                    e->t_flat_end = flat_end(e); /* perhaps a new flat piece, same factor */
            }
        } else if (!e->cf_fresh) {
            reread_curve(e); /* w is current: it does not move outside RUNNING */
        }
    }
    step_events(e, t_end);
    e->n = n + 1;
    if (e->is_done)
        return false;
    if (n + 1 >= e->n_steps) {
        end_unfinished(e);
        return false;
    }
    return true;
}

/* The first step j >= e->n, below the last step, whose end lies after time t (the step in
 * which an event at t is played); the last step when there is none. */
static long step_after(const struct engine *e, double t)
{
    const long last = e->n_steps - 1;
    if (!(t < (double)last * e->step_h))
        return last;
    const double g = t * e->per_step_h; /* a guess; inf or NaN for a subnormal step */
    long j = g > (double)e->n && g < (double)last ? (long)g : e->n;
    while (j > e->n && !(t >= (double)j * e->step_h))
        j--;
    while (!(t < (double)(j + 1) * e->step_h))
        j++;
    return j;
}

/* The first step j >= e->n, below the last step, that starts at or after time t; the last
 * step when there is none. */
static long step_from(const struct engine *e, double t)
{
    const long last = e->n_steps - 1;
    if (isnan(t))
        return e->n; /* nothing is known: re-read at every step */
    if (!(t < (double)last * e->step_h))
        return last;
    const double g = ceil(t * e->per_step_h);
    long j = g > (double)e->n && g < (double)last ? (long)g : e->n;
    while (j > e->n && (double)(j - 1) * e->step_h >= t)
        j--;
    while ((double)j * e->step_h < t)
        j++;
    return j;
}

/* The first step from e->n on that is not quiet. A quiet step is not the last one, holds
 * no event (t_next lies past its end), keeps the held PUE and CI (it lies before
 * held_until) and needs no curve re-read; nothing in a run of quiet steps changes the
 * state, so every step of it gives the same answer. */
static long quiet_until(const struct engine *e)
{
    /* Most often the next event falls in this very step (a checkpoint write of one step). */
    if (e->n + 1 >= e->n_steps || e->t_next < (double)(e->n + 1) * e->step_h)
        return e->n;
    long m = step_after(e, e->t_next);
    if (!e->is_fast && e->held_until < m)
        m = e->held_until; /* >= e->n: set at a step before this one, past it */
    if (e->has_curve && e->state != STATE_DONE) {
        if (e->state != STATE_RUNNING)
            return e->cf_fresh ? m : e->n;
        const long j = step_from(e, e->t_flat_end);
        if (j < m)
            m = j;
    }
    return m;
}

bool engine_step(struct engine *e)
{
    if (e->is_done)
        return false;
    if (quiet_until(e) > e->n) {
        e->n++;
        e->t = (double)e->n * e->step_h;
        return true;
    }
    return step(e);
}

/* Energy totals brought up to e->t without changing e. */
static void current_energy(const struct engine *e, double *it_wh, double *fac_wh, double *co2_kg)
{
    segment_energy(e, e->t_e, e->t, e->p_now, it_wh, fac_wh, co2_kg);
    *it_wh += e->it_wh;
    *fac_wh += e->fac_wh;
    *co2_kg += e->co2_kg;
}

/* RUNNING time and work done, brought up to e->t without changing e. */
static void current(const struct engine *e, double *running_h, double *w)
{
    *running_h = e->running_h;
    *w = e->w;
    if (e->state == STATE_RUNNING && !e->is_done) {
        const double dt = e->t - e->t_sync;
        *running_h += dt;
        *w += e->st[e->k].rate0 * e->cf * dt;
    }
}

void engine_result(const struct engine *e, struct run_result *out)
{
    const struct spec *s = e->spec;
    const double *x = e->trial->x;
    const double count = (double)s->count;
    const double wall_h = e->is_done && !e->is_unfinished ? e->t_done : e->t;
    double running_h, w, it_wh, fac_wh, co2_kg;
    current(e, &running_h, &w);
    current_energy(e, &it_wh, &fac_wh, &co2_kg);
    double *m = out->metric;
    m[METRIC_WALL_DAYS] = wall_h / HOURS_PER_DAY;
    m[METRIC_GPU_HOURS] = count * wall_h;
    m[METRIC_TRAINING_GPU_HOURS] = count * running_h;
    m[METRIC_LOST_GPU_HOURS] = count * e->lost_h;
    m[METRIC_ETTR] = wall_h > 0 ? (running_h - e->lost_h) / wall_h : 0;
    m[METRIC_INTERRUPTIONS] = (double)e->n_failures;
    m[METRIC_IT_ENERGY_KWH] = it_wh / WH_PER_KWH;
    m[METRIC_FACILITY_ENERGY_KWH] = fac_wh / WH_PER_KWH;
    m[METRIC_CO2E_KG] = co2_kg;
    m[METRIC_CO2E_MARKET_KG] = co2_kg * (1.0 - x[s->carbon_free_fraction_in]);
    m[METRIC_EMBODIED_CO2E_KG] =
        s->has_embodied ? count * x[s->kg_per_gpu_in] * wall_h / (s->lifetime_years * HOURS_PER_YEAR) : 0;
    m[METRIC_TOTAL_CO2E_KG] = m[METRIC_CO2E_KG] + m[METRIC_EMBODIED_CO2E_KG];
    m[METRIC_WATER_L] = m[METRIC_IT_ENERGY_KWH] * x[s->wue_l_per_kwh_in];
    cost_metrics(s, x, wall_h, m); /* cost_usd, its parts, water_offsite_l */
    m[METRIC_CAR_YEARS] = m[METRIC_TOTAL_CO2E_KG] / s->car_kg_per_year;
    m[METRIC_HOUSEHOLD_YEARS] = m[METRIC_FACILITY_ENERGY_KWH] / s->household_kwh_per_year;
    model_throughput_metrics(s, x, wall_h, m);
    out->is_unfinished = e->is_unfinished;
}

/* keep in sync with enum run_state -- grep RUN_STATE_ORDER */
static const char *const state_names[] = { "RUNNING", "CHECKPOINTING", "RESTARTING", "MAINTENANCE", "DONE" };

const char *engine_state_name(enum run_state s)
{
    return state_names[s];
}

void engine_state(const struct engine *e, struct engine_state *out)
{
    const struct spec *s = e->spec;
    out->t_h = e->t;
    out->state = e->state;
    out->stage = e->k < e->n_stages ? e->k : e->n_stages - 1;
    double running_h, w;
    current(e, &running_h, &w);
    if (e->k >= e->n_stages)
        out->progress_frac = 1.0;
    else
        out->progress_frac = ((double)e->k + w / e->st[e->k].work) / (double)e->n_stages;
    double total_h = 0, done_h = 0; /* stage durations at full speed */
    for (int k = 0; k < e->n_stages; k++) {
        const double h = e->st[k].work / e->st[k].rate0;
        total_h += h;
        done_h += k < e->k ? h : (k == e->k ? w / e->st[k].rate0 : 0);
    }
    out->work_frac = e->k >= e->n_stages ? 1.0 : done_h / total_h;
    out->accel_power_w = e->state == STATE_RUNNING ? e->st[out->stage].accel_run_w
                                                   : (e->state == STATE_DONE ? 0 : e->accel_idle_w);
    const long n = e->n > 0 ? e->n - 1 : 0; /* the step just done */
    double pue, ci;
    profile_held(e->prof, &e->scale, n, &pue, &ci);
    out->facility_power_w = (e->is_done ? 0 : e->p_now) * pue;
    out->pue = pue;
    out->ci_kg_per_kwh = ci;
    double it_wh, fac_wh, co2_kg;
    current_energy(e, &it_wh, &fac_wh, &co2_kg);
    out->it_energy_kwh = it_wh / WH_PER_KWH;
    out->facility_energy_kwh = fac_wh / WH_PER_KWH;
    out->co2e_kg = co2_kg;
    out->interruptions = e->n_failures;
    out->checkpoints = e->n_checkpoints;
    out->restarts = e->n_failures;
    out->maintenances = e->n_maintenances;
    (void)s;
}

/* Margin, relative to a checkpoint cycle, by which a jump stays clear of the next event it
 * must not cross: far above rounding, so the event loop decides every near tie. */
static const double JUMP_MARGIN_REL = 1e-6;

/* Energy of k checkpoint cycles from t0: RUNNING for run1_h then tau (power p_run), each
 * followed by CHECKPOINTING delta (idle power); the cycles last wall_h in all. */
static void cycles_energy(const struct engine *e, double t0, long k, double run1_h, double wall_h, double *it_wh,
                          double *fac_wh, double *co2_kg)
{
    const double p_run = e->st[e->k].it_run_w, p_idle = e->it_idle_w;
    const double run_h = run1_h + (double)(k - 1) * e->tau_h;
    *it_wh = p_run * run_h + p_idle * (wall_h - run_h);
    if (e->is_const_profile) {
        *fac_wh = *it_wh * e->pue_h;
        *co2_kg = *it_wh * e->kg_per_wh_h;
        return;
    }
    const double cycle_h = e->tau_h + e->delta_h;
    if (profile_is_quick(e->prof, &e->scale, t0 + wall_h)) {
        /* Time-varying PUE or CI, O(1) integrals: RUNNING power over the whole span, less the
         * RUNNING excess over each write (short: summed from the shape values). */
        double d_all[3] = { 0, 0, 0 }, d_ck[3] = { 0, 0, 0 }, pue_all, pc_all, pue_ck, pc_ck;
        profile_add_raw(e->prof, t0, t0 + wall_h, d_all);
        for (long j = 0; j < k; j++) {
            const double b = t0 + run1_h + (double)j * cycle_h;
            profile_add_short(e->prof, b, b + e->delta_h, d_ck);
        }
        profile_combine(&e->scale, wall_h, d_all, &pue_all, &pc_all);
        profile_combine(&e->scale, wall_h - run_h, d_ck, &pue_ck, &pc_ck);
        *fac_wh = p_run * pue_all - (p_run - p_idle) * pue_ck;
        *co2_kg = (p_run * pc_all - (p_run - p_idle) * pc_ck) * (1.0 / WH_PER_KWH);
        return;
    }
    /* Where the clip may bind or past the table: idle power over the whole span, plus the
     * RUNNING excess over each RUNNING stretch. */
    double pue_all, pc_all, pue_run = 0, pc_run = 0;
    profile_integrate(e->prof, &e->scale, t0, t0 + wall_h, &pue_all, &pc_all);
    const double tau = e->tau_h, t1 = t0 + run1_h + e->delta_h;
    for (long j = 0; j < k; j++) {
        const double a = j == 0 ? t0 : t1 + (double)(j - 1) * cycle_h;
        const double b = a + (j == 0 ? run1_h : tau);
        double pue_h, pc_h;
        profile_integrate(e->prof, &e->scale, a, b, &pue_h, &pc_h);
        pue_run += pue_h;
        pc_run += pc_h;
    }
    *fac_wh = p_idle * pue_all + (p_run - p_idle) * pue_run;
    *co2_kg = (p_idle * pc_all + (p_run - p_idle) * pc_run) * (1.0 / WH_PER_KWH);
}

/* The fast engine at a step start, RUNNING with a checkpoint due next: crosses in one move
 * the whole checkpoint cycles (RUNNING up to the checkpoint, then its write of delta) that
 * end before anything else can happen -- the next failure or planned interruption, the
 * stage end, the end of a flat piece of the curve, the last step, the event cap -- with the
 * counters and energy the event loop would give (up to rounding). Every bound keeps
 * JUMP_MARGIN_REL of a cycle clear, so the ties are left to the event loop. The run then
 * stands just after the k-th write (on the grid, the caller finds the step where it ends).
 * The cycles end before t_end: the horizon between events, the last step's start on the
 * grid (whose last step ends the run). Returns whether it moved. */
static bool jump_cycles(struct engine *e, double t_end)
{
    if (e->state != STATE_RUNNING || e->ev_next != EV_CHECKPOINT_DUE)
        return false;
    const struct stage_rt *r = &e->st[e->k];
    double w_lim = r->work;
    if (e->has_curve) {
        if (!(e->flat_until_w >= 0))
            return false; /* a sloping piece: the factor is re-read every step */
        if (e->flat_until_w < w_lim)
            w_lim = e->flat_until_w;
    }
    sync(e);
    const double tau = e->tau_h, cycle_h = e->tau_h + e->delta_h;
    const double rate = r->rate0 * e->cf;
    const double a = e->since_ck_h < tau ? tau - e->since_ck_h : 0; /* RUNNING until the first write */
    const double margin = JUMP_MARGIN_REL * cycle_h + 1e-12 * (e->t + cycle_h);
    const double to_lim_h = (w_lim - e->w) / rate;
    /* The k-th write begins after a + (k - 1) tau of RUNNING and ends a - tau + k cycles later. */
    double kmax = (to_lim_h * (1 - JUMP_MARGIN_REL) - 1e-12 * w_lim / rate - a) / tau + 1; /* before the stage end */
    const double by_fail = (e->fail_left_h - margin - a + tau) / cycle_h;             /* before the failure */
    const double by_planned = (e->planned_left_h - margin - a) / tau + 1;                /* before maintenance */
    const double by_last = (t_end - margin - e->t - a + tau) / cycle_h;
    const double by_cap = (double)(MAX_EVENTS - e->n_events) / 2 - 1;
    kmax = by_fail < kmax ? by_fail : kmax;
    kmax = by_planned < kmax ? by_planned : kmax;
    kmax = by_last < kmax ? by_last : kmax;
    kmax = by_cap < kmax ? by_cap : kmax;
    if (!(kmax >= 1))
        return false;
    const long k = (long)kmax;
    const double run_h = a + (double)(k - 1) * tau;
    const double wall_h = a - tau + (double)k * cycle_h;
    energy_sync(e, e->t);
    double it_wh, fac_wh, co2_kg;
    cycles_energy(e, e->t, k, a, wall_h, &it_wh, &fac_wh, &co2_kg);
    e->it_wh += it_wh;
    e->fac_wh += fac_wh;
    e->co2_kg += co2_kg;
    e->t += wall_h;
    e->t_sync = e->t_e = e->t;
    e->w += rate * run_h;
    e->running_h += run_h;
    e->fail_left_h -= wall_h;
    e->planned_left_h -= run_h;
    e->since_ck_h = 0;
    e->n_checkpoints += k;
    e->n_events += 2 * k;
    e->ck_k = e->k;
    e->ck_w = e->w;
    e->cf_fresh = false;
    e->cum_e_ok = false;
    e->after_checkpoint = STATE_RUNNING;
    plan_next(e);
    return true;
}

/* Work done after m whole RUNNING steps from w on a sloping piece, where the factor re-read
 * at each step start makes every step's work an affine function of the last:
 * w_{j+1} = w_j + inc_j, inc_{j+1} = (1 + a) inc_j, so w_m = w + inc ((1 + a)^m - 1) / a. */
static double slope_w_after(double w, double inc, double a, double m)
{
    return a == 0 ? w + inc * m : w + inc * (expm1(m * log1p(a)) / a);
}

/* The most whole steps m (a real number; HUGE_VAL for no limit) after which w_m <= lim. */
static double slope_steps_to(double w, double inc, double a, double lim)
{
    if (!(lim >= w))
        return -1;
    if (a == 0)
        return (lim - w) / inc;
    const double z = (lim - w) * a / inc;
    return z <= -1 ? HUGE_VAL : log1p(z) / log1p(a);
}

/* The fast engine at a step start, RUNNING on a sloping piece of the curve: plays this
 * step's re-read of the curve and then crosses, in one move, the whole steps that hold no
 * event and start on the same piece. Each of them re-reads the factor at its start, so the
 * work of one step is an affine function of the work before it (slope_w_after); time-based
 * events (checkpoint due, failure, planned interruption) bound the steps from the times,
 * the stage end and the piece's end from the work. The run then stands at a step start
 * with the factor read there, as step() leaves it. */
static void jump_slope(struct engine *e)
{
    if (e->state != STATE_RUNNING || !e->has_curve || e->t != (double)e->n * e->step_h || e->t < e->t_flat_end)
        return;
    sync(e);
    reread_curve(e); /* this step's re-read */
    plan_next(e);
    if (e->flat_until_w >= 0)
        return; /* a flat piece: jump_cycles' business */
    const struct stage_rt *r = &e->st[e->k];
    const struct curve *c = r->curve;
    const int i = e->curve_seg;
    const double h = e->step_h;
    const double inc = r->rate0 * e->cf * h;
    const double a = r->rate0 * h * ((c->y[i + 1] - c->y[i]) / (c->x[i + 1] - c->x[i])) / r->work;
    /* Steps that end before the first time-based event, and before the last step. */
    double t_ev = e->t + (e->tau_h - e->since_ck_h);
    t_ev = e->t + e->fail_left_h < t_ev ? e->t + e->fail_left_h : t_ev;
    t_ev = e->t + e->planned_left_h < t_ev ? e->t + e->planned_left_h : t_ev;
    double m = floor((t_ev - JUMP_MARGIN_REL * h) / h) - (double)e->n;
    const double m_last = (double)(e->n_steps - 1 - e->n);
    m = m_last < m ? m_last : m;
    /* The stage end must stay a margin beyond the last step's end; every step but the
     * next one must start on this piece. */
    if (!(m >= 2))
        return;
    const double w_stage = r->work - (JUMP_MARGIN_REL * inc + 1e-12 * r->work);
    const double w_piece = c->x[i + 1] * r->work;
    double w_to = slope_w_after(e->w, inc, a, m);
    if (!(w_to <= w_stage && w_to <= w_piece)) { /* the work limits come first */
        const double m_stage = floor(slope_steps_to(e->w, inc, a, w_stage));
        const double m_piece = floor(slope_steps_to(e->w, inc, a, w_piece)) + 1;
        m = m_stage < m ? m_stage : m;
        m = m_piece < m ? m_piece : m;
        while (m >= 2 && (slope_w_after(e->w, inc, a, m) > w_stage || slope_w_after(e->w, inc, a, m - 1) > w_piece))
            m--; /* rounding in the logarithms */
        if (!(m >= 2))
            return;
        w_to = slope_w_after(e->w, inc, a, m);
    }
    const long n_to = e->n + (long)m;
    const double t_to = (double)n_to * h;
    const double dt = t_to - e->t;
    e->w = w_to;
    e->since_ck_h += dt;
    e->running_h += dt;
    e->fail_left_h -= dt;
    e->planned_left_h -= dt;
    e->t = e->t_sync = t_to;
    e->n = n_to;
    reread_curve(e); /* the factor step n_to reads at its start */
    plan_next(e);
}

/* RUNNING stretches of a crossing on a sloping piece, for their energy: the total RUNNING
 * time, and the integrals of PUE and PUE x CI over the stretches (raw prefix sums where
 * profile_integrate() is O(1), summed integrals elsewhere). */
struct run_stretches {
    double run_h, quick_h, d[3], pue_h, pc_h;
};

static void add_stretch(const struct engine *e, struct run_stretches *rs, double a, double b)
{
    rs->run_h += b - a;
    if (!e->is_fast || e->is_const_profile)
        return;
    if (profile_is_quick(e->prof, &e->scale, b)) {
        rs->quick_h += b - a;
        profile_add_raw(e->prof, a, b, rs->d);
        return;
    }
    double pue_h, pc_h;
    profile_integrate(e->prof, &e->scale, a, b, &pue_h, &pc_h);
    rs->pue_h += pue_h;
    rs->pc_h += pc_h;
}

/* Adds the energy of [t0, t1], RUNNING over the stretches rs and idle in between. */
static void stretches_energy(struct engine *e, double t0, double t1, const struct run_stretches *rs)
{
    const double p_run = e->st[e->k].it_run_w, p_idle = e->it_idle_w;
    const double it_wh = p_run * rs->run_h + p_idle * (t1 - t0 - rs->run_h);
    e->it_wh += it_wh;
    if (e->is_const_profile) {
        e->fac_wh += it_wh * e->pue_h;
        e->co2_kg += it_wh * e->kg_per_wh_h;
        return;
    }
    double pue_all, pc_all, pue_q, pc_q;
    profile_integrate(e->prof, &e->scale, t0, t1, &pue_all, &pc_all);
    profile_combine(&e->scale, rs->quick_h, rs->d, &pue_q, &pc_q);
    e->fac_wh += p_idle * pue_all + (p_run - p_idle) * (pue_q + rs->pue_h);
    e->co2_kg += (p_idle * pc_all + (p_run - p_idle) * (pc_q + rs->pc_h)) * (1.0 / WH_PER_KWH);
}

/* The fast engine at a step start, RUNNING on a sloping piece of the curve with a checkpoint
 * due before any other time-based event: crosses whole checkpoint cycles in a loop, each
 * played as the walk plays it -- the whole steps to the checkpoint's step in closed form
 * (slope_w_after), the factor re-read at that step's start, the RUNNING part before the
 * write, the write (the factor re-read at the first step start inside it, if any), the
 * RUNNING part after it to the next step start -- without the event machinery. Each cycle
 * must end a margin before the next failure, planned interruption, the stage's or the piece's
 * end (every read on this piece) and the last step, and neither the checkpoint nor the end of
 * its write may lie within the margin of a step boundary; the event loop decides those. The
 * run then stands at a step start with the factor read there, as step() leaves it. */
static void slope_cycles(struct engine *e)
{
    if (e->state != STATE_RUNNING || !e->has_curve || e->t != (double)e->n * e->step_h || e->t < e->t_flat_end ||
        !(e->tau_h < HUGE_VAL))
        return;
    sync(e);
    reread_curve(e);
    plan_next(e);
    if (e->flat_until_w >= 0 || e->ev_next != EV_CHECKPOINT_DUE)
        return;
    const struct stage_rt *r = &e->st[e->k];
    const struct curve *c = r->curve;
    const int i = e->curve_seg;
    const double h = e->step_h, work = r->work, rate0 = r->rate0;
    const double a = rate0 * h * ((c->y[i + 1] - c->y[i]) / (c->x[i + 1] - c->x[i])) / work;
    const double margin = JUMP_MARGIN_REL * h + 1e-12 * (e->t + e->tau_h + e->delta_h);
    const double w_lim = fmin(work * (1 - 4e-9), c->x[i + 1] * work * (1 - 1e-12));
    const double t0 = e->t, fail0 = e->fail_left_h, planned0 = e->planned_left_h;
    long n = e->n, k = 0;
    double w = e->w, cf = e->cf, since = e->since_ck_h, run_from = t0, w_ck = e->ck_w;
    struct run_stretches rs = { 0 };
    for (;;) {
        const double t = (double)n * h, t_ck = t + (e->tau_h - since), t_we = t_ck + e->delta_h;
        if (!(t_ck > t))
            break;
        const double g_ck = floor(t_ck / h), g_we = floor(t_we / h);
        const long n_ck = (long)g_ck, n_we = (long)g_we;
        const double t_end = (double)(n_we + 1) * h;
        if (t_ck - g_ck * h < margin || (g_ck + 1) * h - t_ck < margin || t_we - g_we * h < margin ||
            t_end - t_we < margin || !(t_end - t_we < e->tau_h - margin) || n_we + 2 >= e->n_steps || n_ck < n)
            break;
        if (!(t_end - t0 < fail0 - margin) || !(rs.run_h + (t_ck - run_from) + (t_end - t_we) < planned0 - margin) ||
            e->n_events + 2 * (k + 1) > MAX_EVENTS)
            break;
        /* the whole steps before the checkpoint's step, then that step's read */
        double w_m = w, cf_m = cf;
        int seg = i;
        if (n_ck > n) {
            w_m = slope_w_after(w, rate0 * cf * h, a, (double)(n_ck - n));
            cf_m = curve_at(c, w_m / work, &seg);
        }
        const double w_c = w_m + rate0 * cf_m * (t_ck - g_ck * h);
        double cf_after = cf_m;
        if (n_we > n_ck)
            cf_after = curve_at(c, w_c / work, &seg); /* the first step start inside the write */
        const double w_end = w_c + rate0 * cf_after * (t_end - t_we);
        if (seg != i || !(w_end <= w_lim))
            break;
        add_stretch(e, &rs, run_from, t_ck);
        run_from = t_we;
        w_ck = w_c;
        w = w_end;
        since = t_end - t_we;
        n = n_we + 1;
        k++;
        cf = curve_at(c, w / work, &seg); /* the next step start's read */
        if (seg != i)
            break; /* on the next piece: reread_curve() below takes over */
    }
    if (k == 0)
        return;
    const double t1 = (double)n * h;
    add_stretch(e, &rs, run_from, t1);
    energy_sync(e, e->t);
    stretches_energy(e, t0, t1, &rs);
    e->t = e->t_sync = e->t_e = t1;
    e->cum_e_ok = false;
    e->n = n;
    e->w = w;
    e->running_h += rs.run_h;
    e->fail_left_h = fail0 - (t1 - t0);
    e->planned_left_h = planned0 - rs.run_h;
    e->since_ck_h = since;
    e->n_checkpoints += k;
    e->n_events += 2 * k;
    e->ck_k = e->k;
    e->ck_w = w_ck;
    e->after_checkpoint = STATE_RUNNING;
    reread_curve(e); /* the factor step n reads at its start */
    plan_next(e);
}

/* The fast engine between events: the first step start at which the grid can change
 * anything, a re-read of the utilization curve that may give a new factor (HUGE_VAL: none
 * before the horizon), and its step in *j. RUNNING, the factor can change from t_flat_end on
 * (at once on a sloping piece); in a stall the walk re-reads the curve at step starts only
 * after a checkpoint began (!cf_fresh), at a w that has not moved since, which gives the
 * factor held unless w had left its flat piece. Inside the last step no step start is left. */
static double grid_needed_from(const struct engine *e, long *j)
{
    if (!e->has_curve || e->state == STATE_DONE)
        return HUGE_VAL;
    double t;
    if (e->state == STATE_RUNNING)
        t = e->t_flat_end;
    else if (e->cf_fresh || (e->flat_until_w >= 0 && e->w < e->flat_until_w))
        return HUGE_VAL;
    else
        t = e->t;
    *j = step_from(e, t);
    const double t_j = (double)*j * e->step_h;
    return t_j >= e->t ? t_j : HUGE_VAL;
}

/* The fast engine plays the events in time order, whole checkpoint cycles jumped over, for as
 * long as nothing can happen at a step boundary: PUE and CI are integrated, so only a curve
 * re-read needs the grid (grid_needed_from) -- without a curve, never. Returns false once the
 * run is over (done, the event cap, or the horizon); true when the grid must take over: the
 * run then stands at the start of step e->n, with no event before it. */
static bool run_events(struct engine *e)
{
    long j = e->n;
    double t_grid;
    for (;;) {
        jump_cycles(e, e->horizon_h);
        t_grid = grid_needed_from(e, &j);
        if (!(e->t_next < t_grid && e->t_next < e->horizon_h))
            break;
        e->t = e->t_next;
        fire(e);
        if (e->is_done) {
            e->n = 0;
            e->n = step_after(e, e->t) + 1; /* as the walk leaves it: past the event's step */
            return false;
        }
    }
    if (t_grid < e->horizon_h) {
        e->t = t_grid;
        e->n = j;
        return true;
    }
    e->t = e->horizon_h;
    end_unfinished(e);
    e->n = e->n_steps;
    return false;
}

void engine_run(struct engine *e, const struct trial *trial, struct run_result *out)
{
    engine_start(e, trial);
    e->is_fast = true;
    while (run_events(e)) {
        /* One pass on the grid, where a curve re-read may change the factor. */
        if (jump_cycles(e, (double)(e->n_steps - 1) * e->step_h))
            e->n = step_after(e, e->t);
        const long m = quiet_until(e);
        if (m > e->n) {
            e->n = m;
            e->t = (double)m * e->step_h;
        }
        jump_slope(e);
        slope_cycles(e);
        if (!step(e))
            break;
    }
    engine_result(e, out);
}
