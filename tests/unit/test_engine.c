/*
 * test_engine.c - the core engine against closed forms (DESIGN 3).
 *
 * Specs and trials are built by hand; event randomness comes from scripted tapes, so every
 * expected number below is worked out by hand in the comment beside it. The last tests use
 * the sample layer for the Poisson case and thread invariance.
 */
#include <math.h>
#include <string.h>

#include "agree.h"
#include "check.h"
#include "fixed_input.h"
#include "core/engine.h"
#include "core/profile.h"
#include "core/spec.h"
#include "sample/montecarlo.h"
#include "util/xalloc.h"

/* A gpu_hours stage of W accelerator-hours. */
static void add_gpu_hours_stage(struct spec *s, double w)
{
    s->stages = xrealloc(s->stages, (size_t)(s->n_stages + 1) * sizeof *s->stages);
    struct stage_spec *st = &s->stages[s->n_stages++];
    memset(st, 0, sizeof *st);
    st->name = xstrdup("stage");
    st->form = WORK_GPU_HOURS;
    st->flops_in = st->params_in = st->tokens_in = st->flops_per_token_in = -1;
    st->peak_tflops_in = st->mfu_in = st->tokens_per_gpu_s_in = -1;
    st->gpu_hours_in = fixed_input(s, "workload.gpu_hours", w);
    st->speed_in = fixed_input(s, "workload.speed", 1.0);
    st->busy_fraction_in = s->busy_fraction_in;
}

/* Gives stage st the utilisation curve of the n points (x, y), copied; a curve it had is freed. */
static void set_curve(struct stage_spec *st, int n, const double *x, const double *y)
{
    free(st->curve.x);
    free(st->curve.y);
    st->curve = (struct curve){ n, xmalloc((size_t)n * sizeof *x), xmalloc((size_t)n * sizeof *y) };
    memcpy(st->curve.x, x, (size_t)n * sizeof *x);
    memcpy(st->curve.y, y, (size_t)n * sizeof *y);
}

/* 96 accelerators of 612.5 W, 12 per node (8 nodes), busy 0.875, idle 0.15, overhead 1.25,
 * 180 W per node, PUE 1.17, 0.4375 kg/kWh, no failures, 2.5-minute steps. */
static void base_spec(struct spec *s)
{
    memset(s, 0, sizeof *s);
    s->name = xstrdup("test");
    s->file = xstrdup("test.yaml");
    s->count = 96;
    s->gpus_per_node = 12;
    s->n_nodes = 8;
    s->tdp_w_in = fixed_input(s, "cluster.tdp_w", 612.5);
    s->overhead_factor_in = fixed_input(s, "cluster.overhead_factor", 1.25);
    s->node_overhead_w_in = fixed_input(s, "cluster.node_overhead_w", 180);
    s->busy_fraction_in = fixed_input(s, "power.busy_fraction", 0.875);
    s->idle_fraction_in = fixed_input(s, "power.idle_fraction", 0.15);
    s->pue_in = fixed_input(s, "facility.pue", 1.17);
    s->wue_l_per_kwh_in = fixed_input(s, "facility.wue_l_per_kwh", 0.3);
    s->intensity_in = fixed_input(s, "grid.intensity_kg_per_kwh", 0.4375);
    s->carbon_free_fraction_in = fixed_input(s, "grid.carbon_free_fraction", 0.25);
    s->failures_in = fixed_input(s, "reliability.failures_per_1000_node_days", 0);
    s->restart_min_in = fixed_input(s, "reliability.restart_min", 30);
    s->inputs[s->restart_min_in].draw = INPUT_PER_RESTART;
    s->checkpoint_write_min_in = fixed_input(s, "reliability.checkpoint_write_min", 6);
    s->planned_downtime_min_in = fixed_input(s, "reliability.planned_downtime_min", 30);
    s->inputs[s->planned_downtime_min_in].draw = INPUT_PER_MAINTENANCE;
    s->checkpoint_interval_min = HUGE_VAL;
    s->gpu_hour_usd_in = fixed_input(s, "economics.gpu_hour_usd", 2.25);
    s->electricity_usd_per_kwh_in = fixed_input(s, "economics.electricity_usd_per_kwh", 0.085);
    s->capex_usd_per_gpu_in = fixed_input(s, "economics.capex_usd_per_gpu", 0); /* owned-cluster parts: tests/unit/test_cost.c */
    s->amortisation_years_in = fixed_input(s, "economics.amortisation_years", 4);
    s->interconnect_share_in = fixed_input(s, "economics.interconnect_share", 0);
    s->cost_of_capital_in = fixed_input(s, "economics.cost_of_capital", 0);
    s->colocation_usd_per_kw_month_in = fixed_input(s, "economics.colocation_usd_per_kw_month", 0);
    s->water_l_per_kwh_in = fixed_input(s, "grid.water_l_per_kwh", 0);
    s->kg_per_gpu_in = fixed_input(s, "embodied.kg_per_gpu", 463);
    s->has_embodied = true;
    s->lifetime_years = 4;
    s->car_kg_per_year = 4600;
    s->household_kwh_per_year = 10791;
    s->pue_peak_day = 200;
    s->pue_peak_hour = 15;
    s->grid_peak_day = 15;
    s->grid_peak_hour = 19;
    s->samples = 1;
    s->seed = 1;
    s->step_min = 2.5;
    s->max_days = 3650;
    s->n_quantiles = 3;
    s->quantiles = xmalloc(3 * sizeof *s->quantiles);
    s->quantiles[0] = 0.05;
    s->quantiles[1] = 0.5;
    s->quantiles[2] = 0.95;
}

/* ---- Scripted event tapes */

struct tape {
    double fail_gaps[8];  /* exposure hours between failures (after scaling by lambda) */
    int n_fail, next_fail;
    double restart_min;
    double lambda;        /* the engine divides unit exponentials by lambda: pre-multiply */
};

static double tape_next(void *ctx, enum draw_kind k)
{
    struct tape *t = ctx;
    switch (k) {
    case DRAW_FAILURE_EXP:
        return t->next_fail < t->n_fail ? t->fail_gaps[t->next_fail++] * t->lambda : HUGE_VAL;
    case DRAW_RESTART_MIN:
    case DRAW_MAINTENANCE_MIN:
        return t->restart_min;
    case DRAW_PLANNED_EXP:
    case DRAW_KIND_COUNT:
        break;
    }
    return HUGE_VAL;
}

static void run(const struct spec *s, struct tape *tp, struct run_result *r)
{
    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    const struct trial trial = { x, { tape_next, tp } };
    struct profile *p = profile_new(s);
    struct engine *e = engine_new(s, p);
    engine_run(e, &trial, r);
    engine_free(e);
    profile_free(p);
    free(x);
}

/* No failures: wall = W / rate exactly, energy = power x time. */
static void test_no_failures(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 238500);
    struct tape tp = { 0 };
    struct run_result r;
    run(&s, &tp, &r);
    /* 238,500 GPU-h / 96 GPUs = 2,484.375 h = 103.5156 days. */
    const double wall_h = 238500.0 / 96;
    CHECK_NEAR(r.metric[METRIC_WALL_DAYS], wall_h / 24, 1e-12);
    CHECK_NEAR(r.metric[METRIC_GPU_HOURS], 238500, 1e-12);
    CHECK_NEAR(r.metric[METRIC_TRAINING_GPU_HOURS], 238500, 1e-12);
    CHECK_ABS(r.metric[METRIC_LOST_GPU_HOURS], 0, 0);
    CHECK_NEAR(r.metric[METRIC_ETTR], 1, 1e-12);
    /* IT power = 96 x 612.5 x 0.875 x 1.25 + 8 x 180 = 64,312.5 + 1,440 = 65,752.5 W. */
    const double it_kwh = 65752.5 * wall_h / 1000;
    CHECK_NEAR(r.metric[METRIC_IT_ENERGY_KWH], it_kwh, 1e-11);
    CHECK_NEAR(r.metric[METRIC_FACILITY_ENERGY_KWH], it_kwh * 1.17, 1e-11);
    CHECK_NEAR(r.metric[METRIC_CO2E_KG], it_kwh * 1.17 * 0.4375, 1e-11);
    CHECK_NEAR(r.metric[METRIC_CO2E_MARKET_KG], it_kwh * 1.17 * 0.4375 * 0.75, 1e-11);
    /* Embodied: 96 x 463 kg x wall / (4 x 365.25 x 24 h). */
    const double emb = 96 * 463 * wall_h / (4 * 365.25 * 24);
    CHECK_NEAR(r.metric[METRIC_EMBODIED_CO2E_KG], emb, 1e-12);
    CHECK_NEAR(r.metric[METRIC_TOTAL_CO2E_KG], it_kwh * 1.17 * 0.4375 + emb, 1e-11);
    CHECK_NEAR(r.metric[METRIC_WATER_L], it_kwh * 0.3, 1e-11);
    CHECK_NEAR(r.metric[METRIC_COST_USD], 2.25 * 238500 + 0.085 * it_kwh * 1.17, 1e-11);
    CHECK_NEAR(r.metric[METRIC_CAR_YEARS], (it_kwh * 1.17 * 0.4375 + emb) / 4600, 1e-11);
    CHECK_NEAR(r.metric[METRIC_HOUSEHOLD_YEARS], it_kwh * 1.17 / 10791, 1e-11);
    CHECK(!r.is_unfinished);
    spec_release(&s);
}

/* Fixed checkpoint interval, no failures: every tau hours of RUNNING a write of delta at
 * idle power. 250 h of work with tau = 7.5 h gives floor(250 / 7.5) = 33 checkpoints (the
 * 34th would fall after the end). */
static void test_checkpoints(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 250.0 * 96);
    s.checkpoint_interval_min = 450;
    struct tape tp = { 0 };
    struct run_result r;
    run(&s, &tp, &r);
    const double wall_h = 250 + 33 * 0.1;
    CHECK_NEAR(r.metric[METRIC_WALL_DAYS] * 24, wall_h, 1e-12);
    CHECK_NEAR(r.metric[METRIC_TRAINING_GPU_HOURS], 250.0 * 96, 1e-12);
    /* Idle IT power = 96 x 612.5 x 0.15 x 1.25 + 1,440 = 12,465 W. */
    const double it_kwh = (65752.5 * 250 + 12465 * 33 * 0.1) / 1000;
    CHECK_NEAR(r.metric[METRIC_IT_ENERGY_KWH], it_kwh, 1e-11);
    CHECK_NEAR(r.metric[METRIC_ETTR], 250 / wall_h, 1e-12);
    spec_release(&s);
}

/* One scripted failure: tau = 1 h, delta = 0.1 h, restart 0.5 h, failure after 2.5 h of
 * exposure: RUN 1, CK 0.1, RUN 1, CK 0.1, RUN 0.3 -> failure (0.3 h lost), RESTART 0.5,
 * then the remaining 3 h of work as RUN 1, CK, RUN 1, CK, RUN 1 (done; no final checkpoint). */
static void test_scripted_failure(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 5.0 * 96);
    s.failures_in = fixed_input(&s, "reliability.failures_per_1000_node_days", 30); /* lambda = 8 x 30 / 24000 = 0.01/h */
    s.checkpoint_interval_min = 60;
    struct tape tp = { .fail_gaps = { 2.5 }, .n_fail = 1, .restart_min = 30, .lambda = 0.01 };
    struct run_result r;
    run(&s, &tp, &r);
    const double wall_h = 1 + 0.1 + 1 + 0.1 + 0.3 + 0.5 + 1 + 0.1 + 1 + 0.1 + 1;
    CHECK_NEAR(r.metric[METRIC_WALL_DAYS] * 24, wall_h, 1e-12);
    CHECK_ABS(r.metric[METRIC_INTERRUPTIONS], 1, 0);
    CHECK_NEAR(r.metric[METRIC_LOST_GPU_HOURS], 0.3 * 96, 1e-9);
    CHECK_NEAR(r.metric[METRIC_TRAINING_GPU_HOURS], 5.3 * 96, 1e-12);
    CHECK_NEAR(r.metric[METRIC_ETTR], 5.0 / wall_h, 1e-9);
    /* Energy: 5.3 h RUNNING, 0.4 h CHECKPOINTING + 0.5 h RESTARTING idle. */
    CHECK_NEAR(r.metric[METRIC_IT_ENERGY_KWH], (65752.5 * 5.3 + 12465 * 0.9) / 1000, 1e-11);
    spec_release(&s);
}

/* A failure during a checkpoint write loses the work since the last completed checkpoint:
 * RUN 1, CK 0.05 of 0.1 -> failure at exposure 1.05: lost 1 h, restart 0.5, then 2 h of
 * work: RUN 1, CK 0.1, RUN 1. */
static void test_failure_during_checkpoint(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 2.0 * 96);
    s.failures_in = fixed_input(&s, "reliability.failures_per_1000_node_days", 30);
    s.checkpoint_interval_min = 60;
    struct tape tp = { .fail_gaps = { 1.05 }, .n_fail = 1, .restart_min = 30, .lambda = 0.01 };
    struct run_result r;
    run(&s, &tp, &r);
    CHECK_NEAR(r.metric[METRIC_WALL_DAYS] * 24, 1 + 0.05 + 0.5 + 1 + 0.1 + 1, 1e-12);
    CHECK_NEAR(r.metric[METRIC_LOST_GPU_HOURS], 1.0 * 96, 1e-12);
    spec_release(&s);
}

/* Two stages run in order; a flat curve factor of 0.5 halves the rate. */
static void test_stages_and_curve(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 1000);
    add_gpu_hours_stage(&s, 2000);
    const double cx[] = { 0, 1 }, cy[] = { 0.5, 0.5 };
    set_curve(&s.stages[1], 2, cx, cy);
    struct tape tp = { 0 };
    struct run_result r;
    run(&s, &tp, &r);
    CHECK_NEAR(r.metric[METRIC_WALL_DAYS] * 24, 1000.0 / 96 + 2000.0 / 96 / 0.5, 1e-12);
    spec_release(&s);
}

/* A linear curve 0.5 -> 1 held per step converges, as the step shrinks, to
 * T = (W / rate) * integral_0^1 df / (0.5 + 0.5 f) = (W / rate) * 2 ln 2. */
static void test_curve_convergence(void)
{
    const double exact_h = 100.0 * 2 * log(2.0);
    double prev_err = HUGE_VAL;
    const double steps[] = { 60, 15, 5, 1 };
    for (int i = 0; i < 4; i++) {
        struct spec s;
        base_spec(&s);
        add_gpu_hours_stage(&s, 100.0 * 96);
        const double cx[] = { 0, 1 }, cy[] = { 0.5, 1 };
        set_curve(&s.stages[0], 2, cx, cy);
        s.step_min = steps[i];
        struct tape tp = { 0 };
        struct run_result r;
        run(&s, &tp, &r);
        const double err = fabs(r.metric[METRIC_WALL_DAYS] * 24 - exact_h);
        CHECK(err < prev_err);
        prev_err = err;
        spec_release(&s);
    }
    CHECK(prev_err / exact_h < 2e-4);
}

/* A diurnal PUE term held per step converges to the integral of the sinusoid:
 * E = P [pue T + a (24 / 2 pi) (sin(2 pi (T - 15) / 24) - sin(2 pi (0 - 15) / 24))]
 * for a start at 00:00 UTC, offset 0, peak hour 15. */
static void test_pue_convergence(void)
{
    const double T = 100.0, a = 0.08, P = 65752.5;
    const double two_pi = 2 * 3.14159265358979323846;
    const double exact_kwh =
        P / 1000 * (1.17 * T + a * 24 / two_pi * (sin(two_pi * (T - 15) / 24) - sin(two_pi * (0 - 15) / 24)));
    double prev_err = HUGE_VAL;
    const double steps[] = { 60, 15, 5, 1 };
    for (int i = 0; i < 4; i++) {
        struct spec s;
        base_spec(&s);
        add_gpu_hours_stage(&s, T * 96);
        s.start_unix_s = 1735689600; /* 2025-01-01T00:00:00Z */
        s.pue_diurnal_amplitude = a;
        s.step_min = steps[i];
        s.max_days = 10;
        struct tape tp = { 0 };
        struct run_result r;
        run(&s, &tp, &r);
        const double err = fabs(r.metric[METRIC_FACILITY_ENERGY_KWH] - exact_kwh);
        CHECK(err < prev_err);
        prev_err = err;
        spec_release(&s);
    }
    CHECK(prev_err / exact_kwh < 1e-4);
}

/* A run longer than max_days stops there and is flagged. */
static void test_unfinished(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 1e6);
    s.max_days = 2;
    struct tape tp = { 0 };
    struct run_result r;
    run(&s, &tp, &r);
    CHECK(r.is_unfinished);
    CHECK_NEAR(r.metric[METRIC_WALL_DAYS], 2, 1e-12);
    /* Censored values at max_days: 48 h RUNNING on 96 accelerators, nothing lost. */
    CHECK_NEAR(r.metric[METRIC_TRAINING_GPU_HOURS], 96 * 48.0, 1e-9);
    CHECK_NEAR(r.metric[METRIC_ETTR], 1, 1e-12);
    CHECK_NEAR(r.metric[METRIC_IT_ENERGY_KWH], 65752.5 * 48 / 1000, 1e-9);
    spec_release(&s);
}

/* Poisson failures, fixed checkpoint interval tau, write delta, restart R (constant
 * inputs): each segment of tau work plus its write completes in expected time
 * (e^{lambda (tau + delta)} - 1)(1/lambda + R); the last segment has no write. So with
 * W = N tau: E[wall] = (N - 1)(e^{lambda(tau+delta)} - 1)(1/lambda + R) + (e^{lambda tau} - 1)(1/lambda + R). */
static void test_poisson_closed_form(void)
{
    struct spec s;
    base_spec(&s);
    const int N = 40;
    const double tau = 2.0, delta = 0.25, R = 0.75;
    add_gpu_hours_stage(&s, N * tau * 96);
    /* lambda = 8 nodes x 75 / 24000 = 0.025 per hour (job MTBF 40 h). */
    s.failures_in = fixed_input(&s, "reliability.failures_per_1000_node_days", 75);
    s.inputs[s.restart_min_in].dist.value = s.inputs[s.restart_min_in].central = R * 60;
    s.inputs[s.checkpoint_write_min_in].dist.value = s.inputs[s.checkpoint_write_min_in].central = delta * 60;
    s.checkpoint_interval_min = tau * 60;
    s.samples = 20000;
    const double lambda = 0.025;
    const double seg = (exp(lambda * (tau + delta)) - 1) * (1 / lambda + R);
    const double last = (exp(lambda * tau) - 1) * (1 / lambda + R);
    const double want_h = (N - 1) * seg + last;

    struct mc_options o = { .samples = s.samples, .seed = 7, .threads = 0 };
    struct mc_result res;
    montecarlo_run(&s, &o, &res);
    double sum = 0, sum2 = 0;
    for (long i = 0; i < res.n_samples; i++) {
        const double w = res.metrics[i * METRIC_COUNT + METRIC_WALL_DAYS] * 24;
        sum += w;
        sum2 += w * w;
    }
    const double mean = sum / (double)res.n_samples;
    const double se = sqrt((sum2 / (double)res.n_samples - mean * mean) / (double)res.n_samples);
    fprintf(stderr, "poisson: mean wall %.4f h, closed form %.4f h, se %.4f\n", mean, want_h, se);
    CHECK(fabs(mean - want_h) < 4 * se);
    mc_result_release(&res);

    /* The same with the sample layer's thread count changed: bit-identical metrics. */
    struct mc_options o1 = o, o2 = o;
    o1.threads = 1;
    o2.threads = 2;
    s.samples = 300;
    o1.samples = o2.samples = 300;
    struct mc_result r1, r2;
    montecarlo_run(&s, &o1, &r1);
    montecarlo_run(&s, &o2, &r2);
    CHECK(memcmp(r1.metrics, r2.metrics, (size_t)r1.n_samples * METRIC_COUNT * sizeof *r1.metrics) == 0);
    mc_result_release(&r1);
    mc_result_release(&r2);
    spec_release(&s);
}

/* Runs sample i of s twice, once through engine_run() (the fast engine: prefix sums of the
 * profile, checkpoint cycles in one move) and once step by step through engine_step() (the
 * reference walk): every metric must agree within 1e-9 relative (DESIGN 3's numbers, summed
 * in another order), the counts exactly, and the walk must take one call per grid step. */
static void check_jump_equals_walk(const struct spec *s, long n_samples, const char *what)
{
    struct profile *p = profile_new(s);
    struct engine *e = engine_new(s, p);
    int bad = 0;
    long events = 0;
    double worst = 0;
    for (long i = 0; i < n_samples; i++) {
        struct run_result jump, walk;
        agree_sample(e, s, 11, i, false, &jump);
        const long calls = agree_sample(e, s, 11, i, true, &walk);
        const double wall_h = walk.metric[METRIC_WALL_DAYS] * 24;
        const long want_calls = (long)ceil(wall_h / (s->step_min / 60) - 1e-9);
        const double d = metrics_rel_diff(&jump, &walk);
        worst = d > worst ? d : worst;
        if (!(d <= 1e-9) || calls != want_calls)
            bad++;
        events += (long)walk.metric[METRIC_INTERRUPTIONS];
    }
    fprintf(stderr, "jump = walk (%s): %ld samples, %ld failures, %d differ, largest relative difference %.2g\n",
            what, n_samples, events, bad, worst);
    CHECK(bad == 0);
    CHECK(events > 0);
    engine_free(e);
    profile_free(p);
}

/* The profile's table is only a cache: with all but its first 1000 steps dropped (later
 * steps computed when asked, and no runs of equal values known past the table) every
 * metric of the walk is bit-identical, and of the fast engine (whose prefix sums then
 * stop at step 1000, later steps summed one by one) equal within 1e-9. */
static void check_table_is_a_cache(const struct spec *s, long n_samples, const char *what)
{
    struct profile *full = profile_new(s), *cut = profile_new(s);
    CHECK(full->n_tab > 1000);
    cut->n_tab = 1000;
    struct engine *e1 = engine_new(s, full), *e2 = engine_new(s, cut);
    int bad = 0;
    for (long i = 0; i < n_samples; i++) {
        struct run_result r1, r2;
        agree_sample(e1, s, 11, i, true, &r1);
        agree_sample(e2, s, 11, i, true, &r2);
        bad += memcmp(r1.metric, r2.metric, sizeof r1.metric) != 0;
        agree_sample(e1, s, 11, i, false, &r1);
        agree_sample(e2, s, 11, i, false, &r2);
        bad += !(metrics_rel_diff(&r1, &r2) <= 1e-9);
    }
    fprintf(stderr, "table is a cache (%s): %ld samples, %d differ\n", what, n_samples, bad);
    CHECK(bad == 0);
    engine_free(e1);
    engine_free(e2);
    profile_free(full);
    profile_free(cut);
}

/* Quiet steps: every kind of event, a curve with ramps and flat pieces over two stages,
 * a time-varying PUE, and a run cut off at max_days. */
static void test_jump_equals_walk(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 400.0 * 96);
    add_gpu_hours_stage(&s, 300.0 * 96);
    const double cx[] = { 0, 0.1, 0.5, 0.7, 1 }, cy[] = { 0.6, 1, 1, 0.8, 0.8 };
    for (int k = 0; k < 2; k++)
        set_curve(&s.stages[k], 5, cx, cy);
    /* lambda = 8 nodes x 150 / 24000 = 0.05 per hour; restarts lognormal; planned 2 a day. */
    s.inputs[s.failures_in].dist.value = s.inputs[s.failures_in].central = 150;
    s.inputs[s.restart_min_in].dist = (struct dist){ .kind = DIST_LOGNORMAL, .a = 30, .b = 1.8, .lo = 0, .hi = HUGE_VAL };
    s.inputs[s.planned_downtime_min_in].dist = s.inputs[s.restart_min_in].dist;
    s.planned_per_day = 2;
    s.checkpoint_interval_min = 95;
    s.step_min = 1;
    check_jump_equals_walk(&s, 40, "curve, failures, planned");
    s.checkpoint_interval_min = 7; /* a checkpoint every few steps */
    s.step_min = 5;
    check_jump_equals_walk(&s, 40, "5-min steps, 7-min checkpoints");
    s.max_days = 20; /* ~780 h of work: cut off */
    check_jump_equals_walk(&s, 10, "unfinished at max_days");
    s.max_days = 3650;
    /* A redundant curve point: a new flat piece with the same factor. */
    const double rx[] = { 0, 0.3, 0.6, 1 }, ry[] = { 1, 1, 1, 0.7 };
    for (int k = 0; k < 2; k++)
        set_curve(&s.stages[k], 4, rx, ry);
    check_jump_equals_walk(&s, 20, "curve with a redundant point");
    s.pue_diurnal_amplitude = 0.1;
    s.start_unix_s = 1735689600;
    check_jump_equals_walk(&s, 10, "diurnal PUE");
    /* An hourly grid series, two weeks, wrapping; 1-minute steps: runs of 60 equal steps. */
    s.pue_diurnal_amplitude = 0;
    s.step_min = 1;
    const int rows = 24 * 14;
    s.grid_series = (struct series){ rows, xmalloc((size_t)rows * sizeof(double)), xmalloc((size_t)rows * sizeof(double)), NULL };
    for (int i = 0; i < rows; i++) {
        s.grid_series.t_unix_s[i] = s.start_unix_s + 3600.0 * i;
        s.grid_series.value[i] = 0.3 + 0.1 * ((i * 7) % 5); /* some hours repeat their neighbour */
    }
    check_jump_equals_walk(&s, 10, "hourly grid series");
    check_table_is_a_cache(&s, 10, "hourly grid series");
    s.pue_diurnal_amplitude = 0.1;
    check_table_is_a_cache(&s, 10, "diurnal PUE and hourly grid series");
    /* PUE 1.05 with a diurnal term of 0.1: the clip at 1 binds for a third of every day,
     * in the table and past it. */
    s.inputs[s.pue_in].dist.value = s.inputs[s.pue_in].central = 1.05;
    check_jump_equals_walk(&s, 10, "PUE clipped at 1 part of each day");
    check_table_is_a_cache(&s, 10, "PUE clipped at 1 part of each day");
    /* Without a curve the fast engine never visits the grid (run_events): the same cases,
     * clipped and not, in the table and past it, and cut off at max_days. */
    for (int k = 0; k < 2; k++)
        s.stages[k].curve.n = 0;
    check_jump_equals_walk(&s, 10, "no curve, PUE clipped at 1 part of each day");
    check_table_is_a_cache(&s, 10, "no curve, PUE clipped at 1 part of each day");
    s.inputs[s.pue_in].dist.value = s.inputs[s.pue_in].central = 1.3;
    check_jump_equals_walk(&s, 10, "no curve, diurnal PUE and hourly grid series");
    check_table_is_a_cache(&s, 10, "no curve, diurnal PUE and hourly grid series");
    s.max_days = 20;
    check_jump_equals_walk(&s, 10, "no curve, unfinished at max_days");
    spec_release(&s);
}

/* profile_integrate() against the held values summed step by step over random intervals
 * (partial first and last steps, one step, many, past the table), for a pue that never
 * clips and one that clips for part of every day, additive sinusoids and a scaled series. */
static void check_integrals(const struct spec *s, double pue, double ci, const char *what)
{
    struct profile *p = profile_new(s);
    p->n_tab = p->n_tab > 5000 ? 5000 : p->n_tab; /* and past the table */
    struct profile_scale sc;
    profile_scale_init(p, pue, ci, &sc);
    double worst = 0;
    unsigned long r = 12345;
    for (int i = 0; i < 400; i++) {
        r = r * 6364136223846793005UL + 1442695040888963407UL;
        const double t0 = (double)(r >> 11) * 0x1.0p-53 * 6000 * p->step_h;
        r = r * 6364136223846793005UL + 1442695040888963407UL;
        const double len = i % 4 == 0 ? 0.3 * p->step_h : (double)(r >> 11) * 0x1.0p-53 * 500 * p->step_h;
        const double t1 = t0 + len;
        double got_pue, got_pc;
        profile_integrate(p, &sc, t0, t1, &got_pue, &got_pc);
        double want_pue = 0, want_pc = 0;
        for (long n = (long)(t0 / p->step_h); (double)n * p->step_h < t1; n++) {
            const double a = fmax(t0, (double)n * p->step_h), b = fmin(t1, (double)(n + 1) * p->step_h);
            double v, c;
            profile_held(p, &sc, n, &v, &c);
            want_pue += v * (b - a);
            want_pc += v * c * (b - a);
        }
        worst = fmax(worst, fmax(fabs(got_pue - want_pue) / want_pue, fabs(got_pc - want_pc) / want_pc));
    }
    fprintf(stderr, "integrals (%s, clip %s): 400 intervals, largest relative difference %.2g\n", what,
            sc.may_clip ? "binds" : "never binds", worst);
    CHECK(worst < 1e-11);
    profile_free(p);
}

static void test_integrals(void)
{
    struct spec s;
    base_spec(&s);
    add_gpu_hours_stage(&s, 400.0 * 96);
    s.start_unix_s = 1735689600;
    s.step_min = 2.5;
    s.pue_seasonal_amplitude = 0.05;
    s.pue_diurnal_amplitude = 0.1;
    s.grid_diurnal_amplitude = 0.3;
    check_integrals(&s, 1.3, 0.4, "sinusoids");
    check_integrals(&s, 1.04, 0.4, "sinusoids");
    /* A PUE series of 1.0 .. 1.3 around a central 1.17 scaled by pue, no grid term. */
    s.grid_diurnal_amplitude = 0;
    const int rows = 24 * 10;
    s.pue_series = (struct series){ rows, xmalloc((size_t)rows * sizeof(double)), xmalloc((size_t)rows * sizeof(double)), NULL };
    for (int i = 0; i < rows; i++) {
        s.pue_series.t_unix_s[i] = s.start_unix_s + 3600.0 * i;
        s.pue_series.value[i] = 1.0 + 0.3 * ((i * 7) % 11) / 10.0;
    }
    check_integrals(&s, 1.3, 0.4, "series");
    check_integrals(&s, 1.0, 0.4, "series");
    spec_release(&s);
}

/* Young/Daly: tau = sqrt(2 delta M). delta 1 min, M = 1/(256 x 3.8 / 24000) h = 24.67 h
 * -> sqrt(2 x 1 x 1480.26) = 54.41 min. */
static void test_young_daly(void)
{
    const double m_h = 1.0 / engine_failure_rate_per_h(256, 3.8);
    CHECK_NEAR(m_h, 24000.0 / (256 * 3.8), 1e-15);
    CHECK_NEAR(engine_young_daly_min(1.0, m_h), sqrt(2 * 24000.0 / (256 * 3.8) * 60), 1e-15);
    CHECK(isinf(engine_young_daly_min(1.0, HUGE_VAL)));
}

int main(void)
{
    test_no_failures();
    test_checkpoints();
    test_scripted_failure();
    test_failure_during_checkpoint();
    test_stages_and_curve();
    test_curve_convergence();
    test_pue_convergence();
    test_unfinished();
    test_poisson_closed_form();
    test_young_daly();
    test_jump_equals_walk();
    test_integrals();
    return CHECK_EXIT();
}
