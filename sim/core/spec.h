/*
 * spec.h - plain-data description of one scenario: what the core simulates.
 *
 * A struct spec is produced by load/ (validated, catalog values filled in, no libyaml
 * types) and read by sample/ and core/. Every uncertain number ("num|dist" in the schema)
 * is an *input*: an entry of spec.inputs with its key path, its distribution and its
 * central value. Fields that hold such a number store the input's index (an `int`, suffix
 * `_in`); a trial carries one concrete value per input (trial.h). Everything else is a
 * plain value. Units are in the field names, as in the YAML keys.
 *
 * Ownership: a spec owns every pointer inside it; spec_release() frees them.
 */
#ifndef TS_CORE_SPEC_H
#define TS_CORE_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arch.h"
#include "core/layout.h"

/* sim.quantiles may list at most this many; equal to REPORT_MAX_QUANTILES -- grep MAX_QUANTILES */
enum { SPEC_MAX_QUANTILES = 16 };

/* ---- Distributions (DESIGN 2.9); keep in sync with dist_names[] in load/ -- grep DIST_KIND_ORDER */
enum dist_kind {
    DIST_FIXED,
    DIST_NORMAL,     /* a = mean, b = sd, lo/hi = optional truncation (±HUGE_VAL when absent) */
    DIST_UNIFORM,    /* lo, hi */
    DIST_TRIANGULAR, /* lo, mode = a, hi */
    DIST_PERT,       /* lo, mode = a, hi; Beta-PERT with lambda = 4 */
    DIST_LOGNORMAL,  /* a = median > 0, b = gsd > 1 */
    DIST_CHOICE,     /* values[], weights[] (normalised to sum 1) */
    DIST_KIND_COUNT
};

struct dist {
    enum dist_kind kind;
    double value;     /* DIST_FIXED */
    double a, b;      /* see enum */
    double lo, hi;    /* bounds of the support (truncation for normal) */
    int n_values;     /* DIST_CHOICE */
    double *values;   /* owned, n_values */
    double *weights;  /* owned, n_values, sum 1 */
};

/* How an input is drawn: once per sample, or afresh for each event of a process. */
enum input_draw { INPUT_PER_SAMPLE, INPUT_PER_RESTART, INPUT_PER_MAINTENANCE };

struct input {
    char *path;          /* owned key path, e.g. "facility.pue", "workload.stages[0].mfu" */
    struct dist dist;
    double central;      /* value used by --nominal (DESIGN 2.9) */
    enum input_draw draw;
    uint64_t stream;     /* hash of path: the random stream of this input (DESIGN 3.1) */
};

/* ---- Work */
/* WORK_LAYOUT: tokens + a parallel layout; the rate per accelerator is computed per sample
 * from the architecture, layout, hardware and efficiencies (core/layout.h, DESIGN 8). */
enum work_form { WORK_FLOPS, WORK_PARAMS, WORK_GPU_HOURS, WORK_TOKENS, WORK_LAYOUT };

struct curve {
    int n;       /* number of points, 0 = flat 1.0 */
    double *x;   /* owned; strictly increasing from 0 to 1 */
    double *y;   /* owned; factors > 0 */
};

struct stage_spec {
    char *name;               /* owned */
    enum work_form form;
    /* Work: W = flops_in | flops_per_token_in (or 6 * params_in when -1) * tokens_in |
     * gpu_hours_in | tokens_in, in FLOP, FLOP, accelerator-hours or tokens. */
    int flops_in, params_in, tokens_in, flops_per_token_in, gpu_hours_in;
    /* Rate per accelerator at curve 1: peak_tflops_in * 1e12 * mfu_in FLOP/s | speed_in | tokens_per_gpu_s_in */
    int peak_tflops_in, mfu_in, speed_in, tokens_per_gpu_s_in;
    char *precision;          /* owned, e.g. "bf16" (flops/params forms) */
    struct curve curve;       /* utilization_curve: throughput multiplier vs progress fraction */
    int busy_fraction_in;     /* stage override of power.busy_fraction, or the power one */
    /* WORK_LAYOUT (and the derived metrics of the other forms where an architecture is known) */
    long seq_len;             /* tokens per sequence; 0 when not given */
    long global_batch_seqs;   /* sequences per optimizer step; 0 when not given */
    struct layout layout;     /* resolved: dp filled in; for `auto`, the layout chosen at central values */
    bool is_layout_auto;      /* layout: auto */
    int eff_in[EFF_COUNT];    /* efficiency inputs (matmul, attention, network, overlap); -1 when unused */
    double memory_gb;         /* per-GPU memory estimate of the layout, GB (NAN for other forms) */
};

/* A time series looked up by absolute UTC time (the row in force), wrapping around. */
struct series {
    int n;
    double *t_unix_s;  /* owned, strictly increasing */
    double *value;     /* owned */
    char *path;        /* owned, as resolved (for messages and check) */
};

/* A published figure the scenario should reproduce (trainsim validate, DESIGN 7). */
struct reported {
    int metric;            /* enum metric (core/result.h) */
    double value;          /* in the metric's unit */
    bool is_prediction;    /* false: consistency (the figure was computed, not measured) */
    double tolerance_pct;  /* consistency cases fail validate beyond this |error| */
    char *source;          /* owned */
};

struct spec {
    char *name;          /* owned */
    char *description;   /* owned, may be NULL */
    char *file;          /* owned path of the scenario file ("-": standard input) */
    char file_sha256[65]; /* SHA-256 of the file's bytes, hex (provenance) */
    double start_unix_s; /* run start, seconds since 1970-01-01 UTC */

    struct input *inputs; /* owned, n_inputs */
    int n_inputs;

    struct stage_spec *stages; /* owned, n_stages >= 1 */
    int n_stages;
    char *model;               /* owned key of the model card, may be NULL */
    char *model_name;          /* owned display name from the model card ("DeepSeek-V3"), may be NULL */

    /* cluster */
    char *accelerator;         /* owned catalog key */
    long count;                /* accelerators, >= 1 */
    int gpus_per_node;
    long n_nodes;              /* ceil(count / gpus_per_node) */
    int tdp_w_in, overhead_factor_in, node_overhead_w_in;
    double catalog_tdp_w;      /* the catalog's figure, for the override warning */
    /* interconnect and memory (catalog values or cluster overrides; NAN / 0 when unknown) */
    double hbm_tb_s, nvlink_gb_s, network_gb_s, memory_gb;
    long nvlink_domain;

    /* the architecture of what is trained (workload.architecture or the model card's) */
    bool has_arch;
    struct arch arch;

    /* power */
    int busy_fraction_in, idle_fraction_in;

    /* facility: PUE(t) = max(1, pue + seasonal + diurnal) or series(t) * pue / central */
    int pue_in, wue_l_per_kwh_in;
    bool pue_given;            /* pue set explicitly (or by preset): scales a series */
    double pue_seasonal_amplitude, pue_peak_day, pue_diurnal_amplitude, pue_peak_hour;
    double utc_offset_h;
    struct series pue_series;  /* n == 0 when absent */
    char *facility_preset;     /* owned, may be NULL */

    /* grid: CI(t) = intensity * (1 + seasonal) * (1 + diurnal) or series(t) * intensity / central */
    int intensity_in, carbon_free_fraction_in;
    int water_l_per_kwh_in;    /* grid.water_l_per_kwh: off-site water per kWh generated */
    bool intensity_given;
    double grid_seasonal_amplitude, grid_peak_day, grid_diurnal_amplitude, grid_peak_hour;
    struct series grid_series;
    const char *grid_series_format; /* static: the file format recognised (load/series.c); NULL: plain CSV */
    char *grid_region;         /* owned, may be NULL */

    /* reliability */
    int failures_in;           /* failures_per_1000_node_days */
    int restart_min_in;        /* drawn per restart */
    int checkpoint_write_min_in;
    double checkpoint_interval_min; /* resolved: > 0, or HUGE_VAL for no checkpoints */
    bool checkpoint_auto;
    double planned_per_day;
    int planned_downtime_min_in;    /* drawn per maintenance */

    /* economics: rental + owned-cluster capex + energy + colocation (engine_cost_parts) */
    int gpu_hour_usd_in, electricity_usd_per_kwh_in;
    int capex_usd_per_gpu_in, amortisation_years_in, interconnect_share_in, cost_of_capital_in;
    int colocation_usd_per_kw_month_in;

    /* embodied */
    bool has_embodied;
    int kg_per_gpu_in;
    double lifetime_years;

    /* equivalences (from configs/equivalences.yaml) */
    double car_kg_per_year, household_kwh_per_year;

    /* sim */
    long samples;
    unsigned long seed;
    double step_min;
    int n_quantiles;
    double *quantiles;         /* owned, in (0, 1), increasing */
    double max_days;

    /* reported: published figures (validation scenarios only) */
    struct reported *reported; /* owned, n_reported */
    int n_reported;
};

/* Releases everything a spec owns; a zeroed spec is fine. */
void spec_release(struct spec *s);

/* Number of inputs drawn per sample whose distribution is not fixed. */
int spec_n_uncertain(const struct spec *s);

/* True when input i is drawn once per sample and is not fixed. */
bool spec_input_uncertain(const struct spec *s, int i);

#endif
