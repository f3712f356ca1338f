/*
 * plot.h - charts of the reports, with PLplot (PNG and SVG).
 *
 * Every function writes DIR/<name>.png and DIR/<name>.svg for each chart it draws (DIR is
 * created if missing; each file appears complete or not at all) and returns false after
 * printing one message when it cannot. Charts carry a title with the scenario name and axis
 * labels with units. The data are plain arrays; this file knows nothing of the engine. When
 * trainsim is built without PLplot, plot_available() is false and every function says so
 * and returns false.
 *
 * Chart names (<metric> is a metric key such as total_co2e_kg):
 *   run          run-<metric>            histogram, P5/P50/P95 marked (the four key metrics)
 *   sweep        sweep-<metric>          P50 line and P5-P95 band against the first --vary
 *   compare      compare-<metric>        overlaid histograms, medians marked
 *   sensitivity  tornado-<metric>        swing of the mean with each input at its P5 / P95
 *                sobol-<metric>          first-order and total Sobol indices, 95 % whiskers
 *   trace        trace                   power, PUE, grid intensity, progress over time
 *   layout       layout-step             step-time breakdown of the fastest layouts (stacked bars)
 * Pixel sizes: PLOT_WIDTH x PLOT_HEIGHT (PLOT_TRACE_HEIGHT for trace); the SVG's size is
 * the same number of points.
 */
#ifndef TS_OUTPUT_PLOT_H
#define TS_OUTPUT_PLOT_H

#include <stdbool.h>

#include "output/report.h"

enum { PLOT_WIDTH = 1000, PLOT_HEIGHT = 650, PLOT_TRACE_HEIGHT = 900 };

/* True when charts can be drawn: built with PLplot and its pngcairo and svgcairo devices
 * are installed (plplot-driver-cairo). */
bool plot_available(void);

/* For commands given --plot, before they run: true when charts can be drawn; otherwise
 * prints why (one message) and returns false. */
bool plot_check(void);

/* run: a histogram per key metric (wall_days, facility_energy_kwh, total_co2e_kg, cost_usd)
 * with P5/P50/P95 marked (the report's quantiles nearest them), drawn from the report's
 * statistics: its histogram (REPORT_HIST_BINS bins over [min, max]) and quantiles. A metric
 * the report does not model, or does not hold, has no chart. */
bool plot_run(const char *dir, const struct report *r);

/* sweep: each shown metric's P50 line with its P5-P95 band against the (first) varied value. */
bool plot_sweep(const char *dir, const struct sweep_report *r);

/* compare: overlaid distributions of each shown metric, drawn from the report: its shared-bin
 * histograms and medians (r->hist; none when NULL), and each scenario's minimum and maximum. */
bool plot_compare(const char *dir, const struct compare_report *r);

/* sensitivity: a tornado chart and a Sobol bar chart per shown metric. */
bool plot_sensitivity(const char *dir, const struct sensitivity_report *r);

/* trace: one sample's timeline. The series hold n points in time order (t_h ascending);
 * the event times are when each event was seen (the end of its step). Borrowed. */
struct plot_trace {
    const char *scenario;
    long sample;               /* index of the sample; ignored when is_nominal */
    unsigned long seed;
    bool is_nominal;
    double start_unix_s;       /* run start */
    long n;
    const double *t_h;         /* hours since the start */
    const double *it_energy_kwh, *facility_energy_kwh; /* cumulative; drawn as average power */
    const double *pue, *ci_kg_per_kwh; /* held per step */
    const double *progress_frac;       /* in [0, 1] */
    long n_failures, n_restarts, n_checkpoints, n_maintenances;
    const double *failure_t_h, *restart_t_h, *checkpoint_t_h, *maintenance_t_h;
};

bool plot_trace(const char *dir, const struct plot_trace *t);

/* layout: the step time of the fastest layouts split into compute, bubble and exposed
 * communication (stacked horizontal bars, fastest at the top). */
bool plot_layout(const char *dir, const struct layout_report *r);

#endif
