/*
 * test_trainsim.c - the public C API (sim/trainsim.h) through libtrainsim.so only, against
 * hand-computed answers; run by the sanitizer build too (the Python tests are not).
 *
 * The scenario is tests/plan/grid-only.yaml as text: 96,000 GPU-hours on 64 H100 SXM
 * (700 W TDP), PUE 1.2, grid intensity uniform on [0.1, 0.7] kg/kWh. Nominal (central
 * values, no failures): wall = 96000 / 64 h = 1500 h = 62.5 days; IT energy =
 * 96000 h x 0.7 kW = 67,200 kWh; facility = 1.2 x that = 80,640 kWh; CO2e = 80,640 x 0.4
 * (the uniform's mean) = 32,256 kg.
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

int main(void)
{
    CHECK(strlen(trainsim_version()) > 0);
    test_metrics();
    test_nominal_by_hand();
    test_samples_and_statistics();
    test_errors_are_data();
    test_sweep_and_compare();
    return CHECK_EXIT();
}
