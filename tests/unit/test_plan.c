/*
 * test_plan.c - sample/plan.c by hand: the bisection solver on known functions (the least
 * integer meeting a target, censoring carried, several crossings detected, unreachable,
 * the wrong direction, a failing evaluation), paired differences worked out by hand, the
 * --vary values and sweep grid, the --target parser, solve's quantiles and range.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/result.h"
#include "sample/plan.h"

/* ---- the solver */

/* A model of the evaluation: metric(x) and what counts as met. */
struct model {
    double (*f)(double x);
    double target;        /* met when f(x) <= target (or >= with ge) */
    bool ge;
    bool (*met)(double x);  /* instead of f and target when set */
    double censored_below; /* evaluations at x below this are censored */
    int calls, n_ok;
    int fail_at;           /* the call (1-based) that fails; 0 never */
    double seen[PLAN_MAX_EVALS];
};

static bool model_eval(void *ctx, int slot, double x, struct solve_eval *e)
{
    struct model *m = ctx;
    m->calls++;
    if (m->fail_at && m->calls == m->fail_at)
        return false;
    CHECK(slot == m->n_ok++); /* slots run 0, 1, ... over the evaluations that succeed */
    m->seen[slot] = x;
    e->stat = m->f ? m->f(x) : x;
    e->is_met = m->met ? m->met(x) : m->ge ? e->stat >= m->target : e->stat <= m->target;
    e->is_censored = x < m->censored_below;
    return true;
}

/* Days for 96,000 GPU-hours on x GPUs: 4000 / x, monotone decreasing. */
static double days(double x)
{
    return 96000.0 / (x * 24.0);
}

static void solve(struct plan_solver *sv, struct model *m, double lo, double hi, double step, bool largest)
{
    m->calls = m->n_ok = 0;
    *sv = (struct plan_solver){ .lo = lo, .step = step, .k_max = (long)floor((hi - lo) / step + 1e-9),
                                .largest = largest, .eval = model_eval, .ctx = m };
    plan_solver_run(sv);
}

static void check_sorted_and_unique(const struct plan_solver *sv, const struct model *m)
{
    CHECK(sv->n_evals == m->calls); /* every point evaluated once: the cache works */
    for (int i = 1; i < sv->n_evals; i++)
        CHECK(sv->evals[i - 1].x < sv->evals[i].x);
    for (int i = 0; i < sv->n_evals; i++)
        CHECK(m->seen[sv->slot[i]] == sv->evals[i].x); /* slot i of the caller holds evaluation i */
}

static void test_least_integer(void)
{
    /* 4000 / x <= 10 first holds at x = 400 exactly; 399 gives 10.03. */
    struct model m = { .f = days, .target = 10, .censored_below = 100 };
    struct plan_solver sv;
    solve(&sv, &m, 8, 4096, 1, false);
    CHECK(sv.outcome == PLAN_SOLVE_ANSWER);
    CHECK(sv.answer >= 0 && sv.evals[sv.answer].x == 400 && sv.evals[sv.answer].is_met);
    CHECK(sv.neighbour >= 0 && sv.evals[sv.neighbour].x == 399 && !sv.evals[sv.neighbour].is_met);
    CHECK(sv.is_monotone);
    check_sorted_and_unique(&sv, &m);
    /* 2 ends, at most ceil(log2(4088)) = 12 bisection steps, 3 probes */
    CHECK(sv.n_evals <= 2 + 12 + 3);
    /* censoring is carried with each evaluation */
    CHECK(sv.evals[0].x == 8 && sv.evals[0].is_censored && sv.evals[0].stat == 500);
    CHECK(!sv.evals[sv.answer].is_censored);
    char msg[512];
    plan_solve_message(&sv, "cluster.count", "wall_days.mean<=10", msg, sizeof msg);
    CHECK(strcmp(msg, "answer: cluster.count = 400 meets wall_days.mean<=10; one step below fails it") == 0);

    /* On a grid of 64 from 1024: 1024 already meets, so the answer is the range's end. */
    struct model m2 = { .f = days, .target = 10 };
    solve(&sv, &m2, 1024, 8192, 64, false);
    CHECK(sv.outcome == PLAN_SOLVE_RANGE_END && sv.evals[sv.answer].x == 1024 && sv.neighbour < 0);
    plan_solve_message(&sv, "cluster.count", "t", msg, sizeof msg);
    CHECK(strstr(msg, "everywhere in the range (the answer is the range's end)") != NULL);

    /* A step of 7 from 8, target 9.9: */
    struct model m3 = { .f = days, .target = 9.9 };
    solve(&sv, &m3, 8, 4096, 7, false);
    /* 4000 / x <= 9.9 needs x >= 404.04: grid points 8 + 7k, the first above is 407 */
    CHECK(sv.outcome == PLAN_SOLVE_ANSWER && sv.evals[sv.answer].x == 407 && sv.evals[sv.neighbour].x == 400);
}

static void test_largest(void)
{
    /* The largest x with 4000 / x >= 10: x = 400; 401 fails. */
    struct model m = { .f = days, .target = 10, .ge = true };
    struct plan_solver sv;
    solve(&sv, &m, 8, 4096, 1, true);
    CHECK(sv.outcome == PLAN_SOLVE_ANSWER && sv.evals[sv.answer].x == 400 && sv.evals[sv.neighbour].x == 401);
    CHECK(sv.is_monotone);
    check_sorted_and_unique(&sv, &m);
    char msg[512];
    plan_solve_message(&sv, "cluster.count", "wall_days.mean>=10", msg, sizeof msg);
    CHECK(strstr(msg, "; one step above fails it") != NULL);
}

static bool two_crossings(double x)
{
    return (x >= 100 && x < 300) || x >= 700; /* the probe at k_max / 2 = 500 fails */
}

static bool only_low(double x)
{
    return x < 50;
}

static bool never(double x)
{
    (void)x;
    return false;
}

static void test_not_monotone_unreachable_wrong_way(void)
{
    struct plan_solver sv;
    char msg[512];
    struct model m = { .met = two_crossings };
    solve(&sv, &m, 0, 1000, 1, false);
    CHECK(sv.outcome == PLAN_SOLVE_ANSWER && !sv.is_monotone);
    CHECK(sv.answer >= 0 && sv.evals[sv.answer].is_met && !sv.evals[sv.neighbour].is_met);
    CHECK(sv.evals[sv.neighbour].x + 1 == sv.evals[sv.answer].x);
    plan_solve_message(&sv, "p", "t", msg, sizeof msg);
    CHECK(strstr(msg, "; WARNING: the metric is not monotone in the range") != NULL);

    struct model never_met = { .met = never };
    solve(&sv, &never_met, 8, 16, 1, false);
    CHECK(sv.outcome == PLAN_SOLVE_UNREACHABLE && sv.answer < 0 && sv.neighbour < 0 && sv.n_evals == 2);
    plan_solve_message(&sv, "cluster.count", "wall_days.mean<=0.001", msg, sizeof msg);
    CHECK(strcmp(msg, "unreachable: the target wall_days.mean<=0.001 is not met anywhere in [8, 16]") == 0);

    struct model low = { .met = only_low };
    solve(&sv, &low, 0, 1000, 1, false);
    CHECK(sv.outcome == PLAN_SOLVE_WRONG_WAY && sv.answer < 0);
    plan_solve_message(&sv, "x", "t", msg, sizeof msg);
    CHECK(strcmp(msg, "not monotone the expected way: the target is met at x = 0 but not at 1000; try --largest") == 0);
    solve(&sv, &low, 0, 1000, 1, true); /* the same with --largest: 49 */
    CHECK(sv.outcome == PLAN_SOLVE_ANSWER && sv.evals[sv.answer].x == 49 && sv.evals[sv.neighbour].x == 50);
}

static void test_failure(void)
{
    struct plan_solver sv;
    struct model m = { .f = days, .target = 10, .fail_at = 1 };
    solve(&sv, &m, 8, 4096, 1, false);
    CHECK(sv.outcome == PLAN_SOLVE_FAILED && sv.answer < 0);
    CHECK(sv.n_failed == 1);
    /* During the bisection: it stops there, the answer is the best met point so far. */
    struct model mid = { .f = days, .target = 10, .fail_at = 4 };
    solve(&sv, &mid, 8, 4096, 1, false);
    CHECK(sv.outcome == PLAN_SOLVE_ANSWER && sv.n_failed == 1 && sv.evals[sv.answer].is_met);
    CHECK(sv.evals[sv.answer].x - sv.evals[sv.neighbour].x > 1);
}

/* ---- paired differences */

static void test_paired(void)
{
    /* d = b - a = {1, 0, 2, -1}: mean 0.5, sd sqrt(5/3), min -1, max 2, median 0.5;
     * a < b in samples 0 and 2 (the tie in sample 1 is not "less"): P = 0.5. */
    const double a[] = { 1, 2, 3, 4 }, b[] = { 2, 2, 5, 3 };
    const double q[] = { 0.5, 0.25 };
    struct metric_stats st;
    double p;
    plan_paired(a, b, 4, 1, 2, q, &st, &p);
    CHECK_NEAR(st.mean, 0.5, 1e-15);
    CHECK_NEAR(st.sd, sqrt(5.0 / 3.0), 1e-15);
    CHECK(st.min == -1 && st.max == 2);
    CHECK_NEAR(st.q[0], 0.5, 1e-15);
    CHECK_NEAR(st.q[1], -0.25, 1e-15); /* sorted {-1, 0, 1, 2} at 0.25: -1 + 0.75 x 1 */
    CHECK(p == 0.5);

    /* Strided: metric 1 of rows of 3 values. */
    const double ra[] = { 9, 1, 9, 9, 2, 9 }, rb[] = { 0, 4, 0, 0, 1, 0 };
    plan_paired(ra + 1, rb + 1, 2, 3, 1, q, &st, &p);
    CHECK(st.mean == 1 && st.min == -1 && st.max == 3 && p == 0.5);

    /* A side that does not model the metric: no P(a < b). */
    const double na[] = { 1, NAN }, nb[] = { 2, 3 };
    plan_paired(na, nb, 2, 1, 1, q, &st, &p);
    CHECK(isnan(p));

    /* A scenario against itself: all zero, P = 0. */
    plan_paired(a, a, 4, 1, 1, q, &st, &p);
    CHECK(st.mean == 0 && st.sd == 0 && st.min == 0 && st.max == 0 && p == 0);
}

/* compare's chart histograms: shared bins over both scenarios (Rice: 2 8^(1/3) = 4, at least
 * 10, for the widest span 7 of the 17 shown: 24), each scenario's median; a scenario that does
 * not model the metric has no counts and a NAN median. */
static void test_compare_hists(void)
{
    enum { N = 8 };
    static double rows[3][N * METRIC_COUNT];
    for (int j = 0; j < N; j++) {
        rows[0][j * METRIC_COUNT + 1] = j;      /* metric 1: 0 .. 7 */
        rows[1][j * METRIC_COUNT + 1] = 10 + j; /* 10 .. 17 */
        rows[2][j * METRIC_COUNT + 1] = NAN;
    }
    struct mc_result res[3] = { { .n_samples = N, .metrics = rows[0] }, { .n_samples = N, .metrics = rows[1] },
                                { .n_samples = N, .metrics = rows[2] } };
    const struct mc_result *ptrs[3] = { &res[0], &res[1], &res[2] };
    const int metrics[1] = { 1 };
    struct compare_hist *h = plan_compare_hists(ptrs, 3, metrics, 1);
    CHECK(h[0].n == N && h[0].lo == 0 && h[0].hi == 17 && h[0].n_bins == 24);
    CHECK(h[0].median[0] == 3.5 && h[0].median[1] == 13.5 && isnan(h[0].median[2]));
    double sum[3] = { 0, 0, 0 };
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < h[0].n_bins; b++)
            sum[k] += h[0].count[k * h[0].n_bins + b];
    CHECK(sum[0] == N && sum[1] == N && sum[2] == 0);
    CHECK(h[0].count[0] == 1 && h[0].count[24 + 23] == 1); /* the minimum in the first bin, the maximum in the last */
    CHECK(h[0].count[10] == 0 && h[0].count[24 + 10] == 0); /* the gap between them is empty */
    plan_compare_hists_free(h, 1);
}

/* ---- --vary and the grid */

static void test_vary(void)
{
    struct plan_vary v;
    char err[PLAN_ERR_SIZE];
    CHECK(plan_vary_parse("cluster.count=512:4096*2", true, &v, err, sizeof err));
    CHECK(strcmp(v.path, "cluster.count") == 0 && v.n == 4);
    CHECK(strcmp(v.text[0], "512") == 0 && strcmp(v.text[3], "4096") == 0 && v.num[2] == 2048);
    plan_vary_release(&v);

    CHECK(plan_vary_parse("facility.pue=1.1:1.2:0.025", true, &v, err, sizeof err));
    CHECK(v.n == 5 && strcmp(v.text[4], "1.2") == 0); /* STOP included despite rounding */
    plan_vary_release(&v);

    CHECK(plan_vary_parse("facility.pue={dist: uniform, min: 1.1, max: 1.2},1.3", true, &v, err, sizeof err));
    CHECK(v.n == 2 && strcmp(v.text[0], "{dist: uniform, min: 1.1, max: 1.2}") == 0 && isnan(v.num[0]));
    CHECK(v.num[1] == 1.3);
    plan_vary_release(&v);

    CHECK(plan_vary_parse("start=2025-01-01,2025-01-02T00:00:00Z", true, &v, err, sizeof err));
    CHECK(v.n == 2 && v.num[0] == 1735689600.0 && v.num[1] - v.num[0] == 86400.0);
    plan_vary_release(&v);

    CHECK(plan_vary_parse("cluster.count", false, &v, err, sizeof err) && v.n == 0);
    CHECK(!plan_vary_parse("cluster.count", true, &v, err, sizeof err));
    CHECK(strncmp(err, "--vary: expected PATH=V1,V2,...", 31) == 0);
    CHECK(!plan_vary_parse("x=5:1:1", true, &v, err, sizeof err) && strstr(err, "empty or endless"));
    CHECK(!plan_vary_parse("x=1:5*1", true, &v, err, sizeof err) && strstr(err, "empty or endless"));
    CHECK(!plan_vary_parse("x=1,,2", true, &v, err, sizeof err));
    CHECK(strcmp(err, "--vary x: empty value in '1,,2'") == 0);
    CHECK(!plan_vary_parse("x=1:100000:1", true, &v, err, sizeof err));
    CHECK(strcmp(err, "--vary x: more than 10000 values") == 0);

    /* A 3 x 2 grid: the last --vary varies fastest. */
    struct plan_vary g[2] = { { .n = 3 }, { .n = 2 } };
    const int want[6][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 }, { 2, 0 }, { 2, 1 } };
    for (long p = 0; p < 6; p++) {
        int idx[2];
        plan_grid_point(g, 2, p, idx);
        CHECK(idx[0] == want[p][0] && idx[1] == want[p][1]);
    }
}

/* ---- the target, quantiles and range */

static void test_target(void)
{
    struct plan_target t;
    char err[PLAN_ERR_SIZE];
    CHECK(plan_target_parse("wall_days.p90<=30", &t, err, sizeof err) == PLAN_TARGET_OK);
    CHECK(t.metric == metric_find("wall_days") && !t.is_mean && t.q == 0.9 && t.is_le && t.value == 30);
    CHECK(plan_target_parse("cost_usd.mean >= 5e6", &t, err, sizeof err) == PLAN_TARGET_OK);
    CHECK(t.is_mean && !t.is_le && t.value == 5e6);
    CHECK(plan_target_parse("co2e_kg.p99.5<=1", &t, err, sizeof err) == PLAN_TARGET_OK && t.q == 0.995);
    CHECK(plan_target_parse("wall_days.p90<30", &t, err, sizeof err) == PLAN_TARGET_BAD);
    CHECK(strncmp(err, "--target: '<' is not allowed, only <= and >=", 44) == 0);
    CHECK(plan_target_parse("wall_dayz.p90<=30", &t, err, sizeof err) == PLAN_TARGET_UNKNOWN_METRIC);
    CHECK(strcmp(t.metric_name, "wall_dayz") == 0);
    CHECK(plan_target_parse("wall_days.q90<=30", &t, err, sizeof err) == PLAN_TARGET_BAD);
    CHECK(strcmp(err, "--target: the statistic must be mean or a quantile like p90 or p99.5, got 'q90'") == 0);
    CHECK(plan_target_parse("wall_days.p100<=30", &t, err, sizeof err) == PLAN_TARGET_BAD);
    CHECK(plan_target_parse("wall_days.p90<=x", &t, err, sizeof err) == PLAN_TARGET_BAD);
    CHECK(strstr(err, "expected 'METRIC.STAT OP VALUE'") != NULL);
    CHECK(plan_target_parse("nonsense", &t, err, sizeof err) == PLAN_TARGET_BAD);
}

static void test_quantiles(void)
{
    const double q[] = { 0.05, 0.5, 0.95 };
    struct plan_target t = { .q = 0.9 };
    char buf[512];
    plan_solve_quantiles(&t, 3, q, buf, sizeof buf);
    CHECK(strcmp(buf, "sim.quantiles=[0.05, 0.5, 0.9, 0.95]") == 0);
    t.q = 0.5;
    plan_solve_quantiles(&t, 3, q, buf, sizeof buf);
    CHECK(strcmp(buf, "sim.quantiles=[0.05, 0.5, 0.95]") == 0);
    t.q = 0.01;
    plan_solve_quantiles(&t, 3, q, buf, sizeof buf);
    CHECK(strcmp(buf, "sim.quantiles=[0.01, 0.05, 0.5, 0.95]") == 0);
    t.q = 0.995;
    plan_solve_quantiles(&t, 3, q, buf, sizeof buf);
    CHECK(strcmp(buf, "sim.quantiles=[0.05, 0.5, 0.95, 0.995]") == 0);
    t.is_mean = true;
    plan_solve_quantiles(&t, 3, q, buf, sizeof buf);
    CHECK(strcmp(buf, "sim.quantiles=[0.05, 0.5, 0.95]") == 0);
    /* every evaluation's overrides: the quantiles, then PATH=x with %.10g */
    struct plan_overrides ov;
    const char *const *sets = plan_solve_overrides(buf, "facility.pue", 1.0 / 3.0, &ov);
    CHECK(sets[0] == buf && strcmp(sets[1], "facility.pue=0.3333333333") == 0);
}

static void test_range(void)
{
    double lo, hi, step;
    bool is_int;
    long k_max;
    char err[PLAN_ERR_SIZE];
    /* counts: one node to 64 x the count, step 1 */
    const struct plan_param count = { .is_count = true, .count = 64, .gpus_per_node = 8, .current = 64 };
    plan_solve_range(&count, &lo, &hi, &is_int);
    CHECK(lo == 8 && hi == 4096 && is_int);
    step = NAN;
    CHECK(plan_solve_grid("cluster.count", &count, is_int, lo, hi, &step, &k_max, err, sizeof err));
    CHECK(step == 1 && k_max == 4088);
    /* a PUE of 1.2, valid in [1, inf): 1 .. 9.6, a thousandth of the range per step */
    const struct plan_param pue = { .current = 1.2, .has_rule = true, .rule_lo = 1, .rule_hi = HUGE_VAL };
    plan_solve_range(&pue, &lo, &hi, &is_int);
    CHECK(lo == 1 && hi == 9.6 && !is_int);
    step = NAN;
    CHECK(plan_solve_grid("facility.pue", &pue, is_int, lo, hi, &step, &k_max, err, sizeof err));
    CHECK_NEAR(step, 8.6 / 1000, 1e-12);
    CHECK(k_max == 1000);
    /* an MFU of 0.4 in (0, 1]: never above 1 */
    const struct plan_param mfu = { .current = 0.4, .has_rule = true, .rule_lo = 0, .rule_hi = 1, .rule_lo_open = true };
    plan_solve_range(&mfu, &lo, &hi, &is_int);
    CHECK(lo == 0.05 && hi == 1);
    /* an integer key valid in [0, inf) at 10 */
    const struct plan_param n = { .current = 10, .has_rule = true, .rule_is_int = true, .rule_lo = 0, .rule_hi = HUGE_VAL };
    plan_solve_range(&n, &lo, &hi, &is_int);
    CHECK(lo == 2 && hi == 80 && is_int);
    /* no default range for a path the scenario does not set */
    const struct plan_param none = { .current = NAN };
    plan_solve_range(&none, &lo, &hi, &is_int);
    step = NAN;
    CHECK(!plan_solve_grid("sim.seed", &none, is_int, lo, hi, &step, &k_max, err, sizeof err));
    CHECK(strcmp(err, "solve: give --min < --max and --step > 0 for sim.seed (it is not a number the scenario sets, "
                      "so there is no default range)") == 0);
    step = 1;
    CHECK(!plan_solve_grid("x", &pue, false, 5, 1, &step, &k_max, err, sizeof err));
}

int main(void)
{
    test_least_integer();
    test_largest();
    test_not_monotone_unreachable_wrong_way();
    test_failure();
    test_paired();
    test_compare_hists();
    test_vary();
    test_target();
    test_quantiles();
    test_range();
    return CHECK_EXIT();
}
