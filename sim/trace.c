/*
 * trace.c - trainsim trace: one sample's timeline, step by step.
 *
 * Draws sample I's inputs exactly as `run` draws sample I (sample/montecarlo.c, same seed
 * policy), steps the engine itself and reads engine_state() after every step: one CSV row
 * per step, and with --plot a chart of power, PUE, grid intensity and progress with the
 * failures, restarts, checkpoints and maintenances marked. The run is the one `run`
 * simulates for that sample (engine_run() is this same loop), so the last row's
 * cumulative energy and CO2e equal sample I's metrics in `run --samples-out`, bit for bit.
 *
 * The chart keeps at most TRACE_MAX_POINTS points: when a long run fills them, every other
 * one is dropped and the stride doubles (events are kept at full resolution).
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/engine.h"
#include "core/profile.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "output/plot.h"
#include "sample/montecarlo.h"
#include "util/diag.h"
#include "util/outfile.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

enum { TRACE_MAX_POINTS = 1 << 16 };

static const double S_PER_H = 3600.0;

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
struct timeline {
    struct vec series[SER_COUNT];
    struct vec events[EV_COUNT];
    long stride;   /* steps per kept point */
    long seen;     /* steps offered */
};

/* Appends the chart point of st. */
static void timeline_push(struct timeline *tl, const struct engine_state *st)
{
    const double row[SER_COUNT] = { st->t_h, st->it_energy_kwh, st->facility_energy_kwh,
                                    st->pue, st->ci_kg_per_kwh, st->work_frac };
    for (int s = 0; s < SER_COUNT; s++)
        vec_push(&tl->series[s], row[s]);
}

static void timeline_add(struct timeline *tl, const struct engine_state *st)
{
    if (tl->seen++ % tl->stride != 0)
        return;
    if (tl->series[SER_T].n == TRACE_MAX_POINTS) {
        for (int s = 0; s < SER_COUNT; s++) {
            struct vec *a = &tl->series[s];
            for (long i = 0; 2 * i < a->n; i++)
                a->v[i] = a->v[2 * i];
            a->n = (a->n + 1) / 2;
        }
        tl->stride *= 2;
        if ((tl->seen - 1) % tl->stride != 0)
            return;
    }
    timeline_push(tl, st);
}

static void timeline_release(struct timeline *tl)
{
    for (int s = 0; s < SER_COUNT; s++)
        free(tl->series[s].v);
    for (int k = 0; k < EV_COUNT; k++)
        free(tl->events[k].v);
}

/* Writes s as a CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void write_row(FILE *f, const struct spec *s, const struct engine_state *st)
{
    char utc[32];
    time_format_iso8601(s->start_unix_s + st->t_h * S_PER_H, utc, sizeof utc);
    fprintf(f, "%.17g,%s,%s,", st->t_h, utc, engine_state_name(st->state));
    csv_field(f, s->stages[st->stage].name);
    fprintf(f, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%ld,%ld,%ld\n", st->work_frac,
            st->accel_power_w, st->facility_power_w, st->pue, st->ci_kg_per_kwh, st->it_energy_kwh,
            st->facility_energy_kwh, st->co2e_kg, st->interruptions, st->checkpoints, st->maintenances);
}

static const char CSV_HEADER[] = "t_h,utc,state,stage,progress_frac,accel_power_w,facility_power_w,pue,"
                                 "ci_kg_per_kwh,it_energy_kwh,facility_energy_kwh,co2e_kg,interruptions,"
                                 "checkpoints,maintenances\n";

int trace_command(const struct cli_options *o)
{
    /* --format (csv only) and --plot DIR are checked before any command runs (cli.c, main.c) */
    struct diag d;
    diag_init(&d, stderr);
    d.quiet_warnings = o->quiet;
    struct catalog cat;
    struct spec s;
    int rc = command_load(o, &d, &cat, &s);
    if (rc != EXIT_OK)
        goto done;

    struct outfile out;
    if (!outfile_open(&out, o->output)) {
        rc = EXIT_RUNTIME;
        goto done;
    }
    struct profile *prof = profile_new(&s);
    struct engine *e = engine_new(&s, prof);
    struct mc_trial *mt = montecarlo_trial_new(&s, s.seed, o->sample_index, o->nominal);
    struct timeline tl = { .stride = 1 };
    fputs(CSV_HEADER, out.f);
    engine_start(e, montecarlo_trial_get(mt));
    struct engine_state prev;
    engine_state(e, &prev);
    bool more;
    do {
        more = engine_step(e);
        struct engine_state st;
        engine_state(e, &st);
        write_row(out.f, &s, &st);
        timeline_add(&tl, &st);
        /* Events seen in this step, at its end. */
        for (long i = prev.interruptions; i < st.interruptions; i++)
            vec_push(&tl.events[EV_FAILURE], st.t_h);
        for (long i = prev.checkpoints; i < st.checkpoints; i++)
            vec_push(&tl.events[EV_CHECKPOINT], st.t_h);
        for (long i = prev.maintenances; i < st.maintenances; i++)
            vec_push(&tl.events[EV_MAINTENANCE], st.t_h);
        /* Restarts finished so far: every failure, less one still restarting. */
        const long resumed_before = prev.interruptions - (prev.state == STATE_RESTARTING);
        const long resumed = st.interruptions - (st.state == STATE_RESTARTING);
        for (long i = resumed_before; i < resumed; i++)
            vec_push(&tl.events[EV_RESTART], st.t_h);
        prev = st;
    } while (more);
    if (tl.seen > 1 && (tl.seen - 1) % tl.stride != 0)
        timeline_push(&tl, &prev); /* the last step always ends the chart */
    if (ferror(out.f)) {
        outfile_abort(&out);
        fputs("trainsim: error: writing the output failed\n", stderr);
        rc = EXIT_RUNTIME;
    } else {
        rc = outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
    }
    if (rc == EXIT_OK && o->plot_dir) {
        const struct plot_trace pt = {
            .scenario = s.name, .sample = o->sample_index, .seed = s.seed, .is_nominal = o->nominal,
            .start_unix_s = s.start_unix_s, .n = tl.series[SER_T].n, .t_h = tl.series[SER_T].v,
            .it_energy_kwh = tl.series[SER_IT_KWH].v, .facility_energy_kwh = tl.series[SER_FACILITY_KWH].v,
            .pue = tl.series[SER_PUE].v, .ci_kg_per_kwh = tl.series[SER_CI].v,
            .progress_frac = tl.series[SER_PROGRESS].v,
            .n_failures = tl.events[EV_FAILURE].n, .failure_t_h = tl.events[EV_FAILURE].v,
            .n_restarts = tl.events[EV_RESTART].n, .restart_t_h = tl.events[EV_RESTART].v,
            .n_checkpoints = tl.events[EV_CHECKPOINT].n, .checkpoint_t_h = tl.events[EV_CHECKPOINT].v,
            .n_maintenances = tl.events[EV_MAINTENANCE].n, .maintenance_t_h = tl.events[EV_MAINTENANCE].v,
        };
        if (!plot_trace(o->plot_dir, &pt))
            rc = EXIT_RUNTIME;
    }
    timeline_release(&tl);
    montecarlo_trial_free(mt);
    engine_free(e);
    profile_free(prof);
done:
    spec_release(&s);
    catalog_release(&cat);
    diag_release(&d);
    return rc;
}
