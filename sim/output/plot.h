/*
 * plot.h - charts of the reports, with PLplot (PNG and SVG).
 *
 * Every function writes DIR/<name>.png and DIR/<name>.svg (DIR is created if missing) and
 * returns false after printing one message when it cannot. Charts carry a title with the
 * scenario name and axis labels with units. The data are plain arrays; this file knows
 * nothing of the engine. When trainsim is built without PLplot, plot_available() is false
 * and every function says so and returns false.
 */
#ifndef TS_OUTPUT_PLOT_H
#define TS_OUTPUT_PLOT_H

#include <stdbool.h>

#include "output/report.h"

bool plot_available(void);

/* run: a histogram per key metric (wall_days, facility_energy_kwh, total_co2e_kg, cost_usd)
 * with P5/P50/P95 marked. values holds n samples x n_cols metrics, row-major, in the order of
 * r->metric[] (n_cols == r->n_metrics). */
bool plot_run(const char *dir, const struct report *r, const double *values, long n, int n_cols);

/* sweep: each shown metric's P50 line with its P5-P95 band against the (first) varied value. */
bool plot_sweep(const char *dir, const struct sweep_report *r);

/* compare: overlaid distributions of each shown metric; values[k] holds scenario k's samples
 * (n x n_cols, row-major, report metric order). */
bool plot_compare(const char *dir, const struct compare_report *r, const double *const *values, long n, int n_cols);

/* sensitivity: a tornado chart and a Sobol bar chart per shown metric. */
bool plot_sensitivity(const char *dir, const struct sensitivity_report *r);

#endif
