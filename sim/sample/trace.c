/*
 * trace.c - one sample's run stepped for its timeline (sample/trace.h): the trial drawn as
 * montecarlo_run() draws it, the engine stepped here, every step's state as a row and the
 * chart's thinned series and event times kept on the side.
 */
#include "sample/trace.h"

#include <stdlib.h>

#include "core/engine.h"
#include "core/profile.h"
#include "sample/montecarlo.h"
#include "util/xalloc.h"

/* A growable array of doubles. */
struct vec {
    double *v;
    long n, cap;
};

static void vec_push(struct vec *a, double x)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 256;
        a->v = xrealloc(a->v, (size_t)a->cap * sizeof *a->v);
    }
    a->v[a->n++] = x;
}

/* The chart's series, thinned to TRACE_MAX_POINTS, and the event times. */
enum { SER_T, SER_IT_KWH, SER_FACILITY_KWH, SER_PUE, SER_CI, SER_PROGRESS, SER_COUNT };
enum { EV_FAILURE, EV_RESTART, EV_CHECKPOINT, EV_MAINTENANCE, EV_COUNT };

struct trace {
    const struct spec *s;
    struct profile *prof;
    struct engine *e;
    struct mc_trial *mt;
    struct engine_state prev; /* the state at the end of the last step given */
    bool is_done;
    struct vec series[SER_COUNT];
    struct vec events[EV_COUNT];
    long stride; /* steps per kept point */
    long seen;   /* steps offered */
};

/* Appends the chart point of st. */
static void timeline_push(struct trace *t, const struct engine_state *st)
{
    const double row[SER_COUNT] = { st->t_h, st->it_energy_kwh, st->facility_energy_kwh,
                                    st->pue, st->ci_kg_per_kwh, st->work_frac };
    for (int k = 0; k < SER_COUNT; k++)
        vec_push(&t->series[k], row[k]);
}

/* Offers st to the chart: kept every stride steps; a full chart drops every other point. */
static void timeline_add(struct trace *t, const struct engine_state *st)
{
    if (t->seen++ % t->stride != 0)
        return;
    if (t->series[SER_T].n == TRACE_MAX_POINTS) {
        for (int k = 0; k < SER_COUNT; k++) {
            struct vec *a = &t->series[k];
            for (long i = 0; 2 * i < a->n; i++)
                a->v[i] = a->v[2 * i];
            a->n = (a->n + 1) / 2;
        }
        t->stride *= 2;
        if ((t->seen - 1) % t->stride != 0)
            return;
    }
    timeline_push(t, st);
}

/* The events seen between prev and st, timed at the end of st's step. */
static void add_events(struct trace *t, const struct engine_state *prev, const struct engine_state *st)
{
    for (long i = prev->interruptions; i < st->interruptions; i++)
        vec_push(&t->events[EV_FAILURE], st->t_h);
    for (long i = prev->checkpoints; i < st->checkpoints; i++)
        vec_push(&t->events[EV_CHECKPOINT], st->t_h);
    for (long i = prev->maintenances; i < st->maintenances; i++)
        vec_push(&t->events[EV_MAINTENANCE], st->t_h);
    /* Restarts finished so far: every failure, less one still restarting. */
    const long resumed_before = prev->interruptions - (prev->state == STATE_RESTARTING);
    const long resumed = st->interruptions - (st->state == STATE_RESTARTING);
    for (long i = resumed_before; i < resumed; i++)
        vec_push(&t->events[EV_RESTART], st->t_h);
}

struct trace *trace_new(const struct spec *s, long sample, bool nominal)
{
    struct trace *t = xcalloc(1, sizeof *t);
    t->s = s;
    t->stride = 1;
    t->prof = profile_new(s);
    t->e = engine_new(s, t->prof);
    t->mt = montecarlo_trial_new(s, s->seed, sample, nominal);
    engine_start(t->e, montecarlo_trial_get(t->mt));
    engine_state(t->e, &t->prev);
    return t;
}

bool trace_step(struct trace *t, struct trace_row *row)
{
    if (t->is_done)
        return false;
    t->is_done = !engine_step(t->e);
    struct engine_state st;
    engine_state(t->e, &st);
    *row = (struct trace_row){ .t_h = st.t_h, .state = engine_state_name(st.state),
                               .stage = t->s->stages[st.stage].name, .progress_frac = st.work_frac,
                               .accel_power_w = st.accel_power_w, .facility_power_w = st.facility_power_w,
                               .pue = st.pue, .ci_kg_per_kwh = st.ci_kg_per_kwh, .it_energy_kwh = st.it_energy_kwh,
                               .facility_energy_kwh = st.facility_energy_kwh, .co2e_kg = st.co2e_kg,
                               .interruptions = st.interruptions, .checkpoints = st.checkpoints,
                               .maintenances = st.maintenances };
    timeline_add(t, &st);
    add_events(t, &t->prev, &st);
    t->prev = st;
    if (t->is_done && t->seen > 1 && (t->seen - 1) % t->stride != 0)
        timeline_push(t, &st); /* the last step always ends the chart */
    return true;
}

void trace_timeline(const struct trace *t, struct trace_timeline *out)
{
    *out = (struct trace_timeline){
        .n = t->series[SER_T].n, .t_h = t->series[SER_T].v, .it_energy_kwh = t->series[SER_IT_KWH].v,
        .facility_energy_kwh = t->series[SER_FACILITY_KWH].v, .pue = t->series[SER_PUE].v,
        .ci_kg_per_kwh = t->series[SER_CI].v, .progress_frac = t->series[SER_PROGRESS].v,
        .n_failures = t->events[EV_FAILURE].n, .failure_t_h = t->events[EV_FAILURE].v,
        .n_restarts = t->events[EV_RESTART].n, .restart_t_h = t->events[EV_RESTART].v,
        .n_checkpoints = t->events[EV_CHECKPOINT].n, .checkpoint_t_h = t->events[EV_CHECKPOINT].v,
        .n_maintenances = t->events[EV_MAINTENANCE].n, .maintenance_t_h = t->events[EV_MAINTENANCE].v,
    };
}

void trace_free(struct trace *t)
{
    if (!t)
        return;
    for (int k = 0; k < SER_COUNT; k++)
        free(t->series[k].v);
    for (int k = 0; k < EV_COUNT; k++)
        free(t->events[k].v);
    montecarlo_trial_free(t->mt);
    engine_free(t->e);
    profile_free(t->prof);
    free(t);
}
