/*
 * model.c - the formulas the engine, the profile and the loader share (DESIGN 3.2, 8).
 */
#include "core/model.h"

#include <math.h>
#include <string.h>

#include "core/result.h"

static const double FLOP_PER_TFLOP = 1e12;
static const double S_PER_H = 3600.0;
static const double BYTES_PER_GB = 1e9;
static const double BYTES_PER_TB = 1e12;

void model_layout_problem(const struct spec *s, const double *x, int k, struct layout_problem *out)
{
    const struct stage_spec *st = &s->stages[k];
    memset(out, 0, sizeof *out);
    out->arch = &s->arch;
    out->hw.peak_flops = x[st->peak_tflops_in] * FLOP_PER_TFLOP;
    out->hw.hbm_bytes_per_s = s->hbm_tb_s * BYTES_PER_TB;
    out->hw.nvlink_bytes_per_s = s->nvlink_gb_s * BYTES_PER_GB;
    out->hw.network_bytes_per_s = s->network_gb_s * BYTES_PER_GB;
    out->hw.nvlink_domain = s->nvlink_domain;
    out->hw.memory_bytes = s->memory_gb * BYTES_PER_GB;
    out->count = s->count;
    out->seq_len = st->seq_len;
    out->global_batch_seqs = st->global_batch_seqs;
    out->is_fp8 = st->precision && strcmp(st->precision, "fp8") == 0;
}

void model_layout_eff(const struct spec *s, const double *x, int k, struct layout_eff *out)
{
    for (int i = 0; i < EFF_COUNT; i++)
        out->frac[i] = x[s->stages[k].eff_in[i]];
}

/* The step time of a layout stage at x. */
static void layout_time_at(const struct spec *s, const double *x, int k, struct layout_time *t)
{
    struct layout_problem p;
    struct layout_eff eff;
    model_layout_problem(s, x, k, &p);
    model_layout_eff(s, x, k, &eff);
    layout_step(&p, &s->stages[k].layout, &eff, t);
}

void model_stage_numbers(const struct spec *s, const double *x, int k, double *work, double *rate_per_h)
{
    const struct stage_spec *ss = &s->stages[k];
    const double count = (double)s->count;
    switch (ss->form) {
    case WORK_FLOPS:
        *work = x[ss->flops_in];
        *rate_per_h = count * x[ss->peak_tflops_in] * FLOP_PER_TFLOP * x[ss->mfu_in] * S_PER_H;
        break;
    case WORK_PARAMS: {
        const double fpt = ss->flops_per_token_in >= 0 ? x[ss->flops_per_token_in] : 6.0 * x[ss->params_in];
        *work = fpt * x[ss->tokens_in];
        *rate_per_h = count * x[ss->peak_tflops_in] * FLOP_PER_TFLOP * x[ss->mfu_in] * S_PER_H;
        break;
    }
    case WORK_GPU_HOURS:
        *work = x[ss->gpu_hours_in];
        *rate_per_h = count * x[ss->speed_in];
        break;
    case WORK_TOKENS:
        *work = x[ss->tokens_in];
        *rate_per_h = count * x[ss->tokens_per_gpu_s_in] * S_PER_H;
        break;
    case WORK_LAYOUT: {
        struct layout_time t;
        layout_time_at(s, x, k, &t);
        *work = x[ss->tokens_in];
        *rate_per_h = count * t.tokens_per_gpu_s * S_PER_H;
        break;
    }
    }
}

void model_stage_throughput(const struct spec *s, const double *x, int k, struct stage_throughput *out)
{
    const struct stage_spec *ss = &s->stages[k];
    double work, rate;
    model_stage_numbers(s, x, k, &work, &rate);
    out->full_speed_h = work / rate;
    out->tokens_per_gpu_s = out->mfu = out->step_time_s = out->memory_gb = NAN;
    out->model_flop = out->peak_flops = NAN;
    switch (ss->form) {
    case WORK_FLOPS:
        out->mfu = x[ss->mfu_in];
        out->model_flop = work;
        out->peak_flops = x[ss->peak_tflops_in] * FLOP_PER_TFLOP;
        break;
    case WORK_PARAMS: {
        /* tokens/s per accelerator = peak x mfu / FLOP per token */
        const double fpt = work / x[ss->tokens_in];
        out->mfu = x[ss->mfu_in];
        out->peak_flops = x[ss->peak_tflops_in] * FLOP_PER_TFLOP;
        out->tokens_per_gpu_s = out->peak_flops * out->mfu / fpt;
        out->model_flop = work;
        break;
    }
    case WORK_GPU_HOURS:
        break;
    case WORK_TOKENS:
        out->tokens_per_gpu_s = x[ss->tokens_per_gpu_s_in];
        break;
    case WORK_LAYOUT: {
        struct layout_time t;
        layout_time_at(s, x, k, &t);
        out->tokens_per_gpu_s = t.tokens_per_gpu_s;
        out->mfu = t.mfu;
        out->step_time_s = t.step_s;
        out->memory_gb = ss->memory_gb;
        out->peak_flops = x[ss->peak_tflops_in] * FLOP_PER_TFLOP;
        out->model_flop = arch_model_flops_per_token(&s->arch, ss->seq_len) * work;
        break;
    }
    }
}

void model_throughput_metrics(const struct spec *s, const double *x, double wall_h, double *metric)
{
    double w_sum = 0, tps = 0, mfu = 0, step = 0, flop = 0, flop_per_peak = 0, mem = NAN;
    for (int k = 0; k < s->n_stages; k++) {
        struct stage_throughput st;
        model_stage_throughput(s, x, k, &st);
        const double w = st.full_speed_h;
        w_sum += w;
        tps += w * st.tokens_per_gpu_s; /* a NAN anywhere makes the weighted value NAN */
        mfu += w * st.mfu;
        step += w * st.step_time_s;
        flop += st.model_flop;
        flop_per_peak += st.model_flop / st.peak_flops; /* seconds of one accelerator at peak */
        if (k == 0 || isnan(st.memory_gb))
            mem = st.memory_gb; /* the largest over stages; a NAN stays */
        else if (!isnan(mem))
            mem = fmax(mem, st.memory_gb);
    }
    metric[METRIC_TOKENS_PER_GPU_S] = tps / w_sum;
    metric[METRIC_MFU] = mfu / w_sum;
    /* model FLOPs over what the accelerators could have done in the wall time at the peak of
     * each stage's precision (the FLOP-weighted harmonic peak), so that a run without losses has
     * effective_mfu = mfu whatever the mix of precisions */
    metric[METRIC_EFFECTIVE_MFU] = flop_per_peak / ((double)s->count * wall_h * S_PER_H);
    metric[METRIC_STEP_TIME_S] = step / w_sum;
    metric[METRIC_MEMORY_GB_PER_GPU] = mem;
}
