/*
 * test_trainsim.c - the public C API (sim/trainsim.h) through libtrainsim.so only, against
 * hand-computed answers; run by the sanitizer build too (the Python tests are not).
 *
 * The scenario is tests/plan/grid-only.yaml as text: 96,000 GPU-hours on 64 H100 SXM
 * (700 W TDP), PUE 1.2, grid intensity uniform on [0.1, 0.7] kg/kWh. Nominal (central
 * values, no failures): wall = 96000 / 64 h = 1500 h = 62.5 days; IT energy =
 * 96000 h x 0.7 kW = 67,200 kWh; facility = 1.2 x that = 80,640 kWh; CO2e = 80,640 x 0.4
 * (the uniform's mean) = 32,256 kg.
 *
 * With arguments TRAINSIM FILE (the CLI and tests/plan/grid-only.yaml), solve and
 * sensitivity are also checked against the CLI's own output on that file: the same
 * numbers, exactly (its CSV prints %.17g).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "trainsim.h"

static const char SCENARIO[] = "name: grid intensity only\n"
                               "workload:\n  gpu_hours: 96000\n"
                               "cluster:\n  accelerator: H100-SXM\n  count: 64\n"
                               "facility:\n  pue: 1.2\n"
                               "grid:\n  intensity_kg_per_kwh: {dist: uniform, min: 0.1, max: 0.7}\n"
                               "sim:\n  samples: 300\n";

static struct trainsim_scenario *load(const char *const *sets, int n)
{
    struct trainsim_scenario *sc = trainsim_scenario_new(NULL);
    CHECK(trainsim_scenario_load_text(sc, "grid-only.yaml", SCENARIO, strlen(SCENARIO), sets, n));
    return sc;
}

static double stat(const struct trainsim_result *r, const char *metric, const char *name)
{
    return trainsim_result_stat(r, trainsim_metric_find(metric), trainsim_result_stat_find(r, name));
}

static void test_metrics(void)
{
    CHECK(trainsim_n_metrics() >= 16);
    CHECK(trainsim_metric_find("wall_days") == 0);
    CHECK(strcmp(trainsim_metric_unit(0), "days") == 0);
    CHECK(trainsim_metric_find("no_such_metric") == -1);
    CHECK(trainsim_metric_key(trainsim_n_metrics()) == NULL);
    for (int m = 0; m < trainsim_n_metrics(); m++)
        CHECK(trainsim_metric_find(trainsim_metric_key(m)) == m);
}

static void test_nominal_by_hand(void)
{
    struct trainsim_scenario *sc = load(NULL, 0);
    CHECK(trainsim_scenario_n_diagnostics(sc) == 0);
    CHECK(strcmp(trainsim_scenario_name(sc), "grid intensity only") == 0);
    CHECK(trainsim_scenario_samples(sc) == 300);
    struct trainsim_result *r = trainsim_run(sc, 1, true);
    CHECK(trainsim_result_n_samples(r) == 1 && trainsim_result_is_nominal(r));
    CHECK_NEAR(stat(r, "wall_days", "mean"), 62.5, 1e-12);
    CHECK_NEAR(stat(r, "it_energy_kwh", "p50"), 67200, 1e-12);
    CHECK_NEAR(stat(r, "facility_energy_kwh", "max"), 80640, 1e-12);
    CHECK_NEAR(stat(r, "co2e_kg", "min"), 32256, 1e-12);
    CHECK(stat(r, "wall_days", "sd") == 0);
    CHECK(trainsim_result_n_inputs(r) == 1);
    CHECK(strcmp(trainsim_result_input_path(r, 0), "grid.intensity_kg_per_kwh") == 0);
    CHECK_NEAR(trainsim_result_input_values(r, 0)[0], 0.4, 1e-15); /* (0.1 + 0.7) / 2 */
    CHECK(trainsim_result_input_values(r, 1) == NULL);
    trainsim_result_free(r);
    trainsim_scenario_free(sc);
}

static void test_samples_and_statistics(void)
{
    const char *sets[] = { "sim.samples=400", "sim.seed=17" };
    struct trainsim_scenario *sc = load(sets, 2);
    struct trainsim_result *a = trainsim_run(sc, 1, false), *b = trainsim_run(sc, 2, false);
    const long n = trainsim_result_n_samples(a);
    CHECK(n == 400 && trainsim_result_seed(a) == 17);
    CHECK(trainsim_result_n_stats(a) == 7); /* mean sd min max p5 p50 p95 */
    CHECK(strcmp(trainsim_result_stat_name(a, 4), "p5") == 0);
    const int cols = trainsim_result_n_inputs(a) + trainsim_n_metrics();
    CHECK(memcmp(trainsim_result_values(a), trainsim_result_values(b), (size_t)(cols * n) * sizeof(double)) == 0);
    /* Columns are contiguous and in order: inputs, then metrics. */
    CHECK(trainsim_result_metric_values(a, 0) == trainsim_result_values(a) + n);
    const double *intensity = trainsim_result_input_values(a, 0);
    const double *co2 = trainsim_result_metric_values(a, trainsim_metric_find("co2e_kg"));
    double sum = 0, lo = HUGE_VAL, hi = -HUGE_VAL;
    for (long i = 0; i < n; i++) {
        CHECK(intensity[i] >= 0.1 && intensity[i] <= 0.7);
        sum += co2[i];
        lo = fmin(lo, co2[i]);
        hi = fmax(hi, co2[i]);
    }
    CHECK_NEAR(stat(a, "co2e_kg", "mean"), sum / (double)n, 1e-12);
    CHECK(stat(a, "co2e_kg", "min") == lo && stat(a, "co2e_kg", "max") == hi);
    /* CO2e rises with the intensity: rank correlation near 1 (failures add a little noise). */
    const double rho = trainsim_result_spearman(a, 0, trainsim_metric_find("co2e_kg"));
    CHECK(rho > 0.95 && rho <= 1);
    CHECK(trainsim_result_spearman(a, 0, trainsim_metric_find("cost_usd")) == 0); /* constant: 0 */
    trainsim_result_free(a);
    trainsim_result_free(b);
    trainsim_scenario_free(sc);
}

static void test_errors_are_data(void)
{
    struct trainsim_scenario *sc = trainsim_scenario_new(NULL);
    const char bad[] = "name: x\nworkload:\n  gpu_hours: 96000\ncluster:\n  accelerator: H100-SXM\n  count: -3\n"
                       "grid:\n  region: FR\n  colour: green\n";
    CHECK(!trainsim_scenario_load_text(sc, "bad.yaml", bad, strlen(bad), NULL, 0));
    CHECK(!trainsim_scenario_is_loaded(sc) && trainsim_run(sc, 1, false) == NULL);
    int errors = 0;
    for (int i = 0; i < trainsim_scenario_n_diagnostics(sc); i++) {
        const struct trainsim_diagnostic *d = trainsim_scenario_diagnostic(sc, i);
        if (d->severity != TRAINSIM_ERROR)
            continue;
        errors++;
        CHECK(strcmp(d->file, "bad.yaml") == 0);
        if (d->line == 6) {
            CHECK(d->col == 10 && strcmp(d->path, "cluster.count") == 0);
            CHECK(strcmp(d->message, "-3 is outside the valid range [1, 1e+07]") == 0);
        } else {
            CHECK(d->line == 9 && d->col == 3 && strcmp(d->path, "grid") == 0);
            CHECK(strncmp(d->message, "unknown key 'colour'", 20) == 0);
        }
    }
    CHECK(errors == 2);
    CHECK(trainsim_scenario_diagnostic(sc, -1) == NULL);

    /* A failed set changes nothing; the next good one applies. */
    struct trainsim_scenario *ok = load(NULL, 0);
    const char *set_bad[] = { "sim.samples=20", "cluster.count=0" };
    CHECK(!trainsim_scenario_set(ok, set_bad, 2));
    const struct trainsim_diagnostic *d = trainsim_scenario_diagnostic(ok, 0);
    CHECK(d && strcmp(d->file, "<command line>") == 0 && d->line == 1 && d->col == 15);
    CHECK(trainsim_scenario_is_loaded(ok) && trainsim_scenario_samples(ok) == 300);
    CHECK(trainsim_scenario_set(ok, set_bad, 1) && trainsim_scenario_samples(ok) == 20);
    CHECK(trainsim_scenario_n_diagnostics(ok) == 0);
    /* A missing file is an error with the file's name and no line. */
    CHECK(!trainsim_scenario_load_file(sc, "no/such.yaml", NULL, 0));
    CHECK(trainsim_scenario_n_diagnostics(sc) >= 1 && strstr(trainsim_scenario_diagnostic(sc, 0)->message, "no/such.yaml"));
    trainsim_scenario_free(ok);
    trainsim_scenario_free(sc);
    trainsim_scenario_free(NULL);
    trainsim_result_free(NULL);
}

static void test_sweep_and_compare(void)
{
    const char *base_sets[] = { "sim.samples=50" };
    struct trainsim_scenario *sc = load(base_sets, 1);
    const char *points[] = { "cluster.count=64", "cluster.count=128", "cluster.count=256" };
    struct trainsim_result *out[3] = { 0 };
    CHECK(trainsim_sweep(sc, 3, 1, points, 1, true, out));
    /* Nominal: the wall time halves with each doubling of the GPUs (62.5, 31.25, 15.625 days). */
    CHECK_NEAR(stat(out[0], "wall_days", "mean"), 62.5, 1e-12);
    CHECK_NEAR(stat(out[1], "wall_days", "mean"), 31.25, 1e-12);
    CHECK_NEAR(stat(out[2], "wall_days", "mean"), 15.625, 1e-12);
    double st[16], p_less = -1;
    const int wall = trainsim_metric_find("wall_days");
    CHECK(trainsim_compare(out[0], out[1], wall, st, &p_less));
    CHECK_NEAR(st[0], -31.25, 1e-12);
    CHECK(p_less == 0); /* out[0] is never below out[1] */
    for (int p = 0; p < 3; p++)
        trainsim_result_free(out[p]);

    /* Paired: the same scenario against itself differs by exactly 0. */
    struct trainsim_result *a = trainsim_run(sc, 1, false), *b = trainsim_run(sc, 2, false);
    CHECK(trainsim_compare(a, b, trainsim_metric_find("co2e_kg"), st, &p_less));
    CHECK(st[0] == 0 && st[2] == 0 && st[3] == 0 && p_less == 0);
    const char *fewer[] = { "sim.samples=40" };
    CHECK(trainsim_scenario_set(sc, fewer, 1));
    struct trainsim_result *c = trainsim_run(sc, 1, false);
    CHECK(!trainsim_compare(a, c, wall, st, &p_less)); /* different sample counts */
    trainsim_result_free(a);
    trainsim_result_free(b);
    trainsim_result_free(c);

    /* A bad point fails the sweep before anything runs, with that point's diagnostic. */
    const char *bad[] = { "cluster.count=64", "cluster.count=zero" };
    struct trainsim_result *none[2] = { 0 };
    CHECK(!trainsim_sweep(sc, 2, 1, bad, 1, false, none));
    CHECK(none[0] == NULL && none[1] == NULL);
    CHECK(trainsim_scenario_n_diagnostics(sc) == 1);
    CHECK(strcmp(trainsim_scenario_diagnostic(sc, 0)->path, "cluster.count") == 0);
    trainsim_scenario_free(sc);
}

static void test_solve_by_hand(void)
{
    /* 96,000 GPU-h / (count x 24 h) <= 10 days first holds at count = 400 (tests/test_plan.sh 6). */
    const char *sets[] = { "sim.samples=5" };
    struct trainsim_scenario *sc = load(sets, 1);
    struct trainsim_solve *s = trainsim_solve(sc, "cluster.count", "wall_days.mean<=10", NAN, NAN, NAN, false, 1, false);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK(trainsim_solve_has_answer(s) && trainsim_solve_answer(s) == 400 && trainsim_solve_answer_met(s));
    CHECK(trainsim_solve_has_neighbour(s) && trainsim_solve_neighbour(s) == 399);
    CHECK(trainsim_solve_is_monotone(s) && trainsim_solve_is_integer(s));
    double lo, hi, step;
    trainsim_solve_range(s, &lo, &hi, &step);
    CHECK(lo == 8 && hi == 4096 && step == 1); /* one node .. 64 x the count */
    CHECK(strcmp(trainsim_solve_message(s), "answer: cluster.count = 400 meets wall_days.mean<=10; one step below "
                                            "fails it") == 0);
    const struct trainsim_result *at = trainsim_solve_at_answer(s), *nb = trainsim_solve_at_neighbour(s);
    CHECK(at && nb && at != nb);
    if (at && nb) {
        CHECK_NEAR(stat(at, "wall_days", "mean"), 10, 1e-12);
        CHECK(stat(nb, "wall_days", "mean") > 10);
    }
    struct trainsim_solve_eval e, prev = { .value = -1 };
    for (int i = 0; i < trainsim_solve_n_evals(s); i++) {
        CHECK(trainsim_solve_eval(s, i, &e));
        CHECK(e.value > prev.value && !e.censored);
        CHECK(e.met == (e.value >= 400));
        prev = e;
    }
    CHECK(!trainsim_solve_eval(s, -1, &e) && !trainsim_solve_eval(s, trainsim_solve_n_evals(s), &e));
    trainsim_solve_free(s);

    /* Unreachable is a result, not an error. */
    s = trainsim_solve(sc, "cluster.count", "wall_days.mean<=0.001", 8, 16, NAN, false, 1, false);
    CHECK(s && !trainsim_solve_has_answer(s) && isnan(trainsim_solve_answer(s)) && !trainsim_solve_at_answer(s));
    CHECK(s && strcmp(trainsim_solve_message(s), "unreachable: the target wall_days.mean<=0.001 is not met anywhere "
                                                 "in [8, 16]") == 0);
    trainsim_solve_free(s);

    /* Errors are diagnostics. */
    CHECK(!trainsim_solve(sc, "cluster.count", "wall_days.p90<30", NAN, NAN, NAN, false, 1, false));
    CHECK(trainsim_scenario_n_diagnostics(sc) == 1);
    CHECK(strstr(trainsim_scenario_diagnostic(sc, 0)->message, "'<' is not allowed") != NULL);
    CHECK(!trainsim_solve(sc, "cluster.count", "wall_dayz.mean<=1", NAN, NAN, NAN, false, 1, false));
    CHECK(strcmp(trainsim_scenario_diagnostic(sc, 0)->message,
                 "--target: unknown metric 'wall_dayz' (did you mean 'wall_days'?)") == 0);
    CHECK(!trainsim_solve(sc, "sim.seed", "wall_days.mean<=1", NAN, NAN, NAN, false, 1, false));
    CHECK(strstr(trainsim_scenario_diagnostic(sc, 0)->message, "no default range") != NULL);
    CHECK(!trainsim_solve(sc, "cluster.count", "wall_days.mean<=1", 0, 10, 1, false, 1, false)); /* count 0 */
    CHECK(strcmp(trainsim_scenario_diagnostic(sc, 0)->path, "cluster.count") == 0);
    trainsim_scenario_free(sc);
}

static void test_sensitivity_by_hand(void)
{
    const char *sets[] = { "sim.samples=200" };
    struct trainsim_scenario *sc = load(sets, 1);
    const int m[] = { trainsim_metric_find("co2e_kg"), trainsim_metric_find("wall_days") };
    struct trainsim_sensitivity *a = trainsim_sensitivity(sc, m, 2, 64, 1);
    CHECK(a != NULL);
    if (!a)
        return;
    CHECK(trainsim_sensitivity_n_metrics(a) == 2 && trainsim_sensitivity_metric(a, 1) == m[1]);
    CHECK(trainsim_sensitivity_n_uncertain(a) == 1);
    CHECK(strcmp(trainsim_sensitivity_input_path(a, 0), "grid.intensity_kg_per_kwh") == 0);
    CHECK_NEAR(trainsim_sensitivity_input_p5(a, 0), 0.13, 1e-12);   /* U(0.1, 0.7) */
    CHECK_NEAR(trainsim_sensitivity_input_p95(a, 0), 0.67, 1e-12);
    CHECK_NEAR(trainsim_sensitivity_input_central(a, 0), 0.4, 1e-12);
    CHECK(trainsim_sensitivity_samples(a) == 200 && trainsim_sensitivity_sobol_samples(a) == 64);
    CHECK(trainsim_sensitivity_elasticity_samples(a) == 1 && trainsim_sensitivity_elasticity_step(a) == 0.1);
    struct trainsim_sensitivity_entry e;
    CHECK(trainsim_sensitivity_entry(a, 0, 0, &e));
    /* co2e is linear in the intensity, the only uncertain input: Spearman 1, tornado
     * 80,640 kWh x 0.13 and x 0.67, elasticity 1, first-order index near 1. */
    CHECK_NEAR(e.spearman, 1, 1e-12);
    CHECK_NEAR(e.tornado_low, 80640 * 0.13, 1e-9);
    CHECK_NEAR(e.tornado_high, 80640 * 0.67, 1e-9);
    CHECK_NEAR(e.elasticity, 1, 1e-9);
    CHECK_ABS(e.sobol_first, 1, 0.1);
    CHECK(trainsim_sensitivity_entry(a, 1, 0, &e) && e.sobol_first == 0 && e.sobol_total == 0);
    /* cluster.count is a fixed input: elasticity only (wall = 96,000 / count: -1.0101 by the central difference) */
    int count = -1;
    for (int i = 0; i < trainsim_sensitivity_n_inputs(a); i++)
        if (strcmp(trainsim_sensitivity_input_path(a, i), "cluster.count") == 0)
            count = i;
    CHECK(count < 0); /* the count is not a num|dist input */
    CHECK(!trainsim_sensitivity_entry(a, 2, 0, &e) && !trainsim_sensitivity_entry(a, 0, -1, &e));
    const struct trainsim_result *base = trainsim_sensitivity_base(a);
    CHECK(base && trainsim_result_n_samples(base) == 200);
    trainsim_sensitivity_free(a);
    const int bad[] = { 999 };
    CHECK(!trainsim_sensitivity(sc, bad, 1, 0, 1) && trainsim_scenario_n_diagnostics(sc) == 1);
    trainsim_sensitivity_free(NULL);
    trainsim_solve_free(NULL);
    trainsim_scenario_free(sc);
}

/* ---- Against the CLI */

/* Runs the CLI with args (a shell command tail) and returns its standard output (malloc'd). */
static char *cli(const char *bin, const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s", bin, args);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p)
        return NULL;
    size_t n = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n - 1, p)) > 0;) {
        n += got;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    CHECK(pclose(p) == 0);
    return buf;
}

/* The same double, or both NAN (%.17g round-trips). */
static bool same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* The CSV of `bin CMD 'file' ARGS --samples N --format csv --quiet`, and in *sc the file
 * loaded with sim.samples=N, to ask the API the same question. */
static char *cli_and_load(const char *bin, const char *cmd, const char *file, const char *args, int samples,
                          struct trainsim_scenario **sc)
{
    char line[1024], set[64];
    snprintf(line, sizeof line, "%s '%s' %s --samples %d --format csv --quiet", cmd, file, args, samples);
    snprintf(set, sizeof set, "sim.samples=%d", samples);
    const char *sets[] = { set };
    *sc = trainsim_scenario_new(NULL);
    CHECK(trainsim_scenario_load_file(*sc, file, sets, 1));
    return cli(bin, line);
}

static void test_solve_equals_cli(const char *bin, const char *file)
{
    struct trainsim_scenario *sc;
    char *csv = cli_and_load(bin, "solve", file, "--vary facility.pue --target 'co2e_kg.p90<=100000' --largest", 40, &sc);
    struct trainsim_solve *s = trainsim_solve(sc, "facility.pue", "co2e_kg.p90<=100000", NAN, NAN, NAN, true, 2, false);
    CHECK(s && csv);
    if (s && csv) {
        /* facility.pue,stat,met,censored, then one row per evaluation in order of value */
        CHECK(strncmp(csv, "facility.pue,stat,met,censored\n", 31) == 0);
        const char *p = strchr(csv, '\n') + 1;
        int rows = 0;
        for (char *end; *p; p = end + 1, rows++) {
            end = strchr(p, '\n');
            double x, st;
            int met, cens;
            CHECK(sscanf(p, "%lf,%lf,%d,%d", &x, &st, &met, &cens) == 4);
            struct trainsim_solve_eval e;
            CHECK(trainsim_solve_eval(s, rows, &e));
            CHECK(e.value == x && same(e.stat, st) && e.met == (met != 0) && e.censored == (cens != 0));
        }
        CHECK(rows == trainsim_solve_n_evals(s) && rows > 5);
        CHECK(trainsim_solve_has_answer(s) && trainsim_solve_is_monotone(s));
    }
    trainsim_solve_free(s);
    trainsim_scenario_free(sc);
    free(csv);
}

static void test_sensitivity_equals_cli(const char *bin, const char *file)
{
    struct trainsim_scenario *sc;
    char *csv = cli_and_load(bin, "sensitivity", file, "--metric co2e_kg --metric facility_energy_kwh --sobol-samples 64",
                             100, &sc);
    const int m[] = { trainsim_metric_find("co2e_kg"), trainsim_metric_find("facility_energy_kwh") };
    struct trainsim_sensitivity *a = trainsim_sensitivity(sc, m, 2, 64, 2);
    CHECK(a && csv);
    int rows = 0;
    for (const char *p = csv && a ? strchr(csv, '\n') + 1 : ""; *p; p = strchr(p, '\n') + 1, rows++) {
        char metric[64], path[128];
        double v[11];
        int uncertain;
        /* metric,path,spearman,tornado_low,tornado_high,sobol_first,_lo,_hi,sobol_total,_lo,_hi,elasticity,uncertain */
        CHECK(sscanf(p, "%63[^,],%127[^,],%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%d", metric, path, &v[0], &v[1],
                     &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &uncertain) == 13);
        const int k = strcmp(metric, "co2e_kg") == 0 ? 0 : 1;
        int i = 0;
        while (i < trainsim_sensitivity_n_inputs(a) && strcmp(trainsim_sensitivity_input_path(a, i), path) != 0)
            i++;
        struct trainsim_sensitivity_entry e;
        CHECK(trainsim_sensitivity_entry(a, k, i, &e));
        const double got[10] = { e.spearman, e.tornado_low, e.tornado_high, e.sobol_first, e.sobol_first_lo,
                                 e.sobol_first_hi, e.sobol_total, e.sobol_total_lo, e.sobol_total_hi, e.elasticity };
        for (int j = 0; j < 10; j++)
            if (!same(got[j], v[j]))
                fprintf(stderr, "sensitivity %s %s field %d: API %.17g, CLI %.17g\n", metric, path, j, got[j], v[j]);
        for (int j = 0; j < 10; j++)
            CHECK(same(got[j], v[j]));
        CHECK((i < trainsim_sensitivity_n_uncertain(a)) == (uncertain != 0));
    }
    CHECK(a && rows == 2 * trainsim_sensitivity_n_inputs(a) && rows > 2);
    trainsim_sensitivity_free(a);
    trainsim_scenario_free(sc);
    free(csv);
}

int main(int argc, char **argv)
{
    CHECK(strlen(trainsim_version()) > 0);
    test_metrics();
    test_nominal_by_hand();
    test_samples_and_statistics();
    test_errors_are_data();
    test_sweep_and_compare();
    test_solve_by_hand();
    test_sensitivity_by_hand();
    if (argc == 3) {
        test_solve_equals_cli(argv[1], argv[2]);
        test_sensitivity_equals_cli(argv[1], argv[2]);
    }
    return CHECK_EXIT();
}
