/*
 * example.c - trainsim as a C library: run a scenario with overrides, print its summary,
 * read the per-sample arrays, and show the diagnostics of a bad override.
 *
 *   cc example.c $(pkg-config --cflags --libs trainsim) -o example
 *   ./example scenarios/deepseek-v3-h800.yaml
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <trainsim.h>

static void print_diagnostics(const struct trainsim_scenario *sc)
{
    static const char *const severity[] = { "error", "warning", "note" };
    for (int i = 0; i < trainsim_scenario_n_diagnostics(sc); i++) {
        const struct trainsim_diagnostic *d = trainsim_scenario_diagnostic(sc, i);
        printf("%s:%d:%d: %s: %s: %s\n", d->file ? d->file : "-", d->line, d->col, severity[d->severity],
               d->path ? d->path : "-", d->message);
    }
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : "scenarios/deepseek-v3-h800.yaml";
    struct trainsim_scenario *sc = trainsim_scenario_new(NULL);
    const char *sets[] = { "cluster.count=4096", "sim.samples=2000", "sim.seed=7" };
    if (!trainsim_scenario_load_file(sc, file, sets, 3)) {
        print_diagnostics(sc);
        trainsim_scenario_free(sc);
        return 2;
    }
    struct trainsim_result *r = trainsim_run(sc, 0, false);
    printf("%s: %ld samples, seed %lu\n", trainsim_result_scenario(r), trainsim_result_n_samples(r),
           trainsim_result_seed(r));

    /* The summary: every metric, in its unit, at the mean and three quantiles. */
    const char *stats[] = { "mean", "p5", "p50", "p95" };
    printf("%-20s %-16s", "metric", "unit");
    for (int j = 0; j < 4; j++)
        printf(" %12s", stats[j]);
    putchar('\n');
    for (int m = 0; m < trainsim_n_metrics(); m++) {
        printf("%-20s %-16s", trainsim_metric_key(m), trainsim_metric_unit(m));
        for (int j = 0; j < 4; j++)
            printf(" %12.5g", trainsim_result_stat(r, m, trainsim_result_stat_find(r, stats[j])));
        putchar('\n');
    }

    /* The samples: one array per input and per metric, borrowed from the result. */
    const int wall = trainsim_metric_find("wall_days");
    const double *days = trainsim_result_metric_values(r, wall);
    long over_30 = 0;
    for (long i = 0; i < trainsim_result_n_samples(r); i++)
        over_30 += days[i] > 30;
    printf("P(wall_days > 30) = %.3f\n", (double)over_30 / (double)trainsim_result_n_samples(r));
    for (int i = 0; i < trainsim_result_n_inputs(r); i++)
        printf("spearman(%s, wall_days) = %+.3f\n", trainsim_result_input_path(r, i),
               trainsim_result_spearman(r, i, wall));
    trainsim_result_free(r);

    /* Errors are data: a bad override leaves the scenario as it was. */
    const char *bad[] = { "cluster.count=0" };
    if (!trainsim_scenario_set(sc, bad, 1))
        print_diagnostics(sc);
    printf("still loaded: %s, %ld samples\n", trainsim_scenario_is_loaded(sc) ? "yes" : "no",
           trainsim_scenario_samples(sc));
    trainsim_scenario_free(sc);
    return 0;
}
