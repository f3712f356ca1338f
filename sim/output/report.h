/*
 * report.h - statistics across samples, as plain data: what every writer reads.
 *
 * sample/montecarlo.c fills a report; output/ writers print it. A report borrows its
 * strings (scenario name, file, metric keys) from whoever built it and owns nothing, so
 * it needs no release function.
 */
#ifndef TS_OUTPUT_REPORT_H
#define TS_OUTPUT_REPORT_H

#include <stdbool.h>

enum {
    REPORT_MAX_QUANTILES = 16, /* equal to SPEC_MAX_QUANTILES -- grep MAX_QUANTILES */
    REPORT_HIST_BINS = 10,     /* bins of the histogram drawn in the table */
    REPORT_MAX_METRICS = 32
};

struct metric_stats {
    double mean, sd, min, max;             /* sd: sample standard deviation (n - 1) */
    double q[REPORT_MAX_QUANTILES];        /* at report.quantiles, linear interpolation */
    double hist[REPORT_HIST_BINS];         /* counts over [min, max] in equal bins */
};

struct report_metric {
    const char *key;   /* JSON key, e.g. "wall_days"; borrowed */
    const char *unit;  /* borrowed */
    const char *label; /* borrowed */
    struct metric_stats s;
};

struct report {
    const char *scenario;  /* scenario name; borrowed */
    const char *file;      /* scenario path; borrowed */
    unsigned long seed;
    long samples;
    bool nominal;
    double step_min;
    long unfinished_samples;
    int n_quantiles;
    double quantiles[REPORT_MAX_QUANTILES];
    int n_metrics;
    struct report_metric metric[REPORT_MAX_METRICS];
};

/* One row per sample: the raw material of --samples-out. */
struct sample_table {
    long n_rows;
    int n_cols;
    const char **col_names;       /* n_cols; the strings are borrowed */
    double *values;               /* n_rows x n_cols, row-major */
};

/* The key of quantile q: "p" + 100 q printed with %g (0.025 -> "p2.5"). */
void report_quantile_key(double q, char *buf, int size);

#endif
