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

/* A metric the scenario's inputs do not determine (mfu of a gpu_hours stage, ...) has every
 * statistic NAN: "not modelled". */
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
    const char *not_modelled; /* NULL, or what to set when no input of the metric was given
                                 ("facility.wue_l_per_kwh"): its zeros are not a measurement */
};

/* Where a machine output came from (DESIGN 9): the header block of every JSON output. */
struct provenance_input {
    const char *path;          /* key path, e.g. "facility.pue"; borrowed */
    const char *dist;          /* distribution name, NULL for a fixed value */
    double central;            /* the fixed value, or the distribution's central value */
    int n_params;
    const char *param_name[4]; /* "min", "mode", "max", "mean", "sd", "median", "gsd" */
    double param[4];
    int n_values;              /* choice */
    const double *values, *weights;
    bool per_event;            /* drawn afresh for each event (restart, maintenance) */
};
struct provenance {
    const char *file;          /* scenario path as given ("-" for standard input) */
    const char *file_sha256;   /* 64 hex digits of the file's bytes */
    int n_overrides;
    const char *const *overrides; /* the --set strings as given (--samples N as sim.samples=N) */
    int n_inputs;
    const struct provenance_input *inputs;
    int n_warnings;
    const char *const *warnings;
};

struct report {
    const char *scenario;  /* scenario name; borrowed */
    const char *file;      /* scenario path; borrowed */
    const char *model;     /* model name for statements, e.g. "DeepSeek-V3"; borrowed, may be NULL */
    const char *accelerator; /* accelerator catalog key; borrowed */
    long accelerator_count;
    unsigned long seed;
    long samples;
    bool nominal;
    double step_min;
    long unfinished_samples;
    int n_quantiles;
    double quantiles[REPORT_MAX_QUANTILES];
    int n_metrics;
    struct report_metric metric[REPORT_MAX_METRICS];
    const char *as_run;              /* the scenario as run when --set changed it, for headers; may be NULL */
    const struct provenance *prov;   /* may be NULL (then JSON has no provenance block) */
};

/* ---- Planning commands (sweep, compare, solve, sensitivity). Plain data, strings borrowed. */

/* sweep: one report per point of the grid of varied values. */
struct sweep_report {
    int n_vary;
    const char **vary;          /* n_vary key paths */
    int n_points;
    const char **value_text;    /* n_points x n_vary: each value as given */
    const double *value_num;    /* n_points x n_vary: numeric value (dates: seconds since 1970), or NAN */
    const struct report *points; /* n_points */
    int n_metrics;
    int metrics[REPORT_MAX_METRICS]; /* which of report.metric[] to show */
    const struct provenance *prov;   /* the scenario as at the first point; may be NULL */
};

/* compare: one shown metric's distributions, as compare's chart overlays them: every
 * scenario's samples counted in the same bins (sample/plan.c: plan_compare_hists). */
struct compare_hist {
    long n;                /* samples of each scenario */
    double lo, hi;         /* the bins' span: the least minimum and the greatest maximum of the scenarios */
    int n_bins;            /* equal bins over [lo, hi]; the maximum goes in the last */
    double *count;         /* n_scenarios x n_bins; no counts for a scenario that does not model the metric */
    double *median;        /* n_scenarios (NAN: not modelled) */
};

/* compare: one report per scenario, and the paired differences against the first. */
struct compare_report {
    int n_scenarios;
    const struct report *scenarios;          /* n_scenarios */
    struct metric_stats *difference;         /* (n_scenarios - 1) x REPORT_MAX_METRICS: scenario k+1 minus the first */
    double *p_a_less;                        /* (n_scenarios - 1) x REPORT_MAX_METRICS: P(first < scenario k+1) */
    int n_metrics;
    int metrics[REPORT_MAX_METRICS];
    const struct provenance *provs;          /* n_scenarios, or NULL */
    const struct compare_hist *hist;         /* n_metrics, for metrics[i]: what a chart draws; NULL: none made */
};

/* solve: the smallest (largest) value of a parameter meeting a target. */
struct solve_eval {
    double x;        /* the parameter value */
    double stat;     /* the target statistic there */
    bool is_met;
    bool is_censored; /* some samples hit sim.max_days: the statistic is a lower bound */
};
struct solve_report {
    const char *vary;          /* key path */
    const char *target;        /* as given, e.g. "wall_days.p90<=30" */
    bool is_largest;
    bool is_integer;           /* the parameter takes whole numbers: printed as such */
    bool has_answer;           /* false: unreachable in [min, max] */
    double answer;
    bool is_met;               /* the target holds at the answer */
    bool has_neighbour;
    double neighbour;          /* answer -/+ step, where the target fails */
    bool is_monotone;          /* no contradiction seen among the evaluations */
    double lo, hi, step;
    const char *message;       /* plain-language outcome */
    const struct report *at_answer, *at_neighbour; /* NULL when absent */
    int n_evals;
    const struct solve_eval *evals;
    const struct provenance *prov; /* the scenario as given; may be NULL */
};

/* sensitivity: for each metric and input. Spearman, tornado and Sobol exist for the uncertain
 * inputs only (NAN for the others); the elasticity for every numeric input. */
struct sensitivity_entry {
    double spearman;
    double tornado_low, tornado_high;   /* mean of the metric with the input at its P5 / P95 */
    double sobol_first, sobol_first_lo, sobol_first_hi;
    double sobol_total, sobol_total_lo, sobol_total_hi;
    double elasticity;                  /* % change of the metric per % change of the input (NAN: undefined) */
    double at_minus, at_plus;           /* mean of the metric with the input x 0.9 / x 1.1, others central */
};
struct sensitivity_report {
    const char *scenario, *file;
    unsigned long seed;
    long samples;              /* for Spearman and the tornado */
    long sobol_samples;        /* N of the Saltelli design: (k + 2) N runs */
    long elasticity_samples;   /* samples per one-at-a-time run (1 when nothing is random) */
    double elasticity_step;    /* h of the +-h steps (0.1) */
    int n_inputs;              /* every numeric input */
    int n_uncertain;           /* inputs[0 .. n_uncertain) are the uncertain ones */
    const char **inputs;       /* key paths */
    const double *input_p5, *input_p95; /* n_inputs */
    const double *input_central;        /* n_inputs */
    int n_metrics;
    int metrics[REPORT_MAX_METRICS];
    const struct report *base; /* statistics of the base run; its prov heads the JSON */
    const struct sensitivity_entry *entries; /* n_metrics x n_inputs, in input order */
};

/* layout: the valid layouts of one stage, fastest first (DESIGN 8), at central values. */
struct layout_row {
    long tp, pp, cp, ep, dp, microbatch, interleave;
    const char *schedule, *recompute; /* borrowed names */
    int zero;
    double step_s, tokens_per_gpu_s, mfu, memory_gb;
    double bubble_frac;               /* bubble / step */
    double comm_frac;                 /* exposed communication (tp + pp + dp + ep + cp) / step */
    /* the step's terms, seconds (they sum to step_s) */
    double compute_s, bubble_s, tp_s, pp_s, dp_s, ep_s, cp_s, optimizer_s;
};
struct layout_report {
    const char *scenario, *file, *stage; /* borrowed */
    const char *accelerator;
    long count;
    double memory_gb;                 /* of one accelerator */
    int n_rows;                       /* shown (at most --top) */
    int n_valid;                      /* valid layouts that fit, in all */
    const struct layout_row *rows;
    int n_reasons;
    const char *const *reason;        /* n_reasons phrases */
    const long *n_rejected;           /* n_reasons counts */
};

/* validate: one row per reported figure of a published run (DESIGN 7). */
struct validate_row {
    const char *run;          /* scenario name */
    const char *file;
    const char *metric, *unit;
    bool is_prediction;       /* false: consistency */
    double reported;
    double p5, p50, p95;      /* simulated */
    double error_pct;         /* 100 (p50 - reported) / reported */
    double tolerance_pct;
    bool inside;              /* p5 <= reported <= p95 */
    bool ok;                  /* consistency: |error_pct| <= tolerance_pct; predictions: always true */
    const char *source;
};

/* validate: the rows of every published run, in file order. */
struct validate_report {
    int n_rows;
    const struct validate_row *rows;
};

/* trace: the state of one sample's run at the end of one step (DESIGN 4, trace columns). */
struct trace_row {
    double t_h;                          /* hours since the start */
    const char *state, *stage;           /* engine state and stage names; borrowed */
    double progress_frac;                /* of all the work, in [0, 1] */
    double accel_power_w, facility_power_w, pue, ci_kg_per_kwh;
    double it_energy_kwh, facility_energy_kwh, co2e_kg; /* cumulative */
    long interruptions, checkpoints, maintenances;      /* cumulative counts */
};

/* trace: a block of consecutive rows of one run (a long run is written block by block,
 * never held whole); the CSV header goes before the first block. */
struct trace_report {
    double start_unix_s;                 /* run start: the utc column is start + t_h */
    bool is_first;                       /* the first block: write the header */
    long n_rows;
    const struct trace_row *rows;
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
