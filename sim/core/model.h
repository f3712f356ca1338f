/*
 * model.h - formulas of the model that the engine, the profile and the loader share:
 * a stage's work and rate (DESIGN 3.2), the layout form's throughput per sample and the
 * steady-state throughput metrics (DESIGN 8). Pure: no I/O, no state.
 */
#ifndef TS_CORE_MODEL_H
#define TS_CORE_MODEL_H

#include "core/layout.h"
#include "core/spec.h"

/* Work of stage k (FLOP, accelerator-hours or tokens) and the cluster's rate on it at curve
 * factor 1 (units per hour), for input values x (DESIGN 3.2; the layout form: tokens at
 * count x tokens_per_gpu_s x 3600). */
void model_stage_numbers(const struct spec *s, const double *x, int k, double *work, double *rate_per_h);

/* The layout problem and the efficiencies of stage k (a WORK_LAYOUT stage) at input values x. */
void model_layout_problem(const struct spec *s, const double *x, int k, struct layout_problem *out);
void model_layout_eff(const struct spec *s, const double *x, int k, struct layout_eff *out);

/* Steady-state figures of stage k at x; NAN where the stage's form does not determine them. */
struct stage_throughput {
    double tokens_per_gpu_s;  /* training tokens per accelerator-second */
    double mfu;               /* model FLOPs per token x tokens_per_gpu_s / peak */
    double step_time_s;       /* one optimizer step (layout form only) */
    double memory_gb;         /* per-GPU memory estimate (layout form only) */
    double model_flop;        /* model FLOPs of the whole stage */
    double peak_flops;        /* peak FLOP/s per accelerator used for mfu */
    double full_speed_h;      /* the stage's wall time at curve factor 1 without interruptions */
};
void model_stage_throughput(const struct spec *s, const double *x, int k, struct stage_throughput *out);

/* Fills the throughput metrics of a run of wall_h hours (tokens_per_gpu_s, mfu, effective_mfu,
 * step_time_s, memory_gb_per_gpu; DESIGN 8): stages are weighted by their time at full speed
 * (memory: the largest); effective_mfu is sum(F_k / peak_k) / (count x wall), the model FLOPs
 * over the peak of each stage's precision; a metric is NAN when some stage cannot give it. */
void model_throughput_metrics(const struct spec *s, const double *x, double wall_h, double *metric);

#endif
