/*
 * test_model.c - core/model.c against hand calculations: the stage rate of every work form
 * and the throughput metrics (DESIGN 3.2, 8), including a layout stage whose rate must be
 * exactly count x the layout model's tokens/s x 3600.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "fixed_input.h"
#include "core/model.h"
#include "core/result.h"
#include "core/spec.h"
#include "util/xalloc.h"

static struct stage_spec *add_stage(struct spec *s, enum work_form form)
{
    s->stages = xrealloc(s->stages, (size_t)(s->n_stages + 1) * sizeof *s->stages);
    struct stage_spec *st = &s->stages[s->n_stages++];
    memset(st, 0, sizeof *st);
    st->name = xstrdup("stage");
    st->form = form;
    st->flops_in = st->params_in = st->tokens_in = st->flops_per_token_in = st->gpu_hours_in = -1;
    st->peak_tflops_in = st->mfu_in = st->speed_in = st->tokens_per_gpu_s_in = -1;
    for (int i = 0; i < EFF_COUNT; i++)
        st->eff_in[i] = -1;
    st->memory_gb = NAN;
    return st;
}

static double *central(const struct spec *s)
{
    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    return x;
}

/* 512 accelerators: a params stage (7e9 params, 1e12 tokens, 989 TFLOP/s, mfu 0.4) and a
 * tokens stage (2e11 tokens at 3,000 tokens/s per accelerator). */
static void test_forms(void)
{
    struct spec s;
    memset(&s, 0, sizeof s);
    s.count = 512;
    struct stage_spec *a = add_stage(&s, WORK_PARAMS);
    a->params_in = fixed_input(&s, "workload.stages[0].params", 7e9);
    a->tokens_in = fixed_input(&s, "workload.stages[0].tokens", 1e12);
    a->peak_tflops_in = fixed_input(&s, "cluster.peak_tflops.bf16", 989);
    a->mfu_in = fixed_input(&s, "workload.stages[0].mfu", 0.4);
    struct stage_spec *b = add_stage(&s, WORK_TOKENS);
    b->tokens_in = fixed_input(&s, "workload.stages[1].tokens", 2e11);
    b->tokens_per_gpu_s_in = fixed_input(&s, "workload.stages[1].tokens_per_gpu_s", 3000);
    double *x = central(&s);

    double work, rate;
    model_stage_numbers(&s, x, 0, &work, &rate);
    CHECK_NEAR(work, 6 * 7e9 * 1e12, 1e-15);                 /* 4.2e22 FLOP */
    CHECK_NEAR(rate, 512 * 989e12 * 0.4 * 3600, 1e-15);      /* 7.29e20 FLOP/h */
    model_stage_numbers(&s, x, 1, &work, &rate);
    CHECK_NEAR(work, 2e11, 1e-15);
    CHECK_NEAR(rate, 512 * 3000.0 * 3600, 1e-15);

    struct stage_throughput t;
    model_stage_throughput(&s, x, 0, &t);
    /* tokens/s per GPU = 989e12 x 0.4 / (6 x 7e9) = 9,419.05 */
    CHECK_NEAR(t.tokens_per_gpu_s, 989e12 * 0.4 / 42e9, 1e-14);
    CHECK_NEAR(t.mfu, 0.4, 1e-15);
    CHECK(isnan(t.step_time_s) && isnan(t.memory_gb));
    /* full-speed hours: 4.2e22 / 7.29216e20 = 57.597 h */
    const double h0 = 4.2e22 / (512 * 989e12 * 0.4 * 3600);
    CHECK_NEAR(t.full_speed_h, h0, 1e-14);

    /* Two stages: tokens_per_gpu_s is time-weighted; mfu is unknown for the tokens stage, so
     * the run's mfu (and effective mfu) are NAN: "not modelled". */
    double m[METRIC_COUNT];
    model_throughput_metrics(&s, x, 100.0, m);
    const double h1 = 2e11 / (512 * 3000.0 * 3600);
    CHECK_NEAR(m[METRIC_TOKENS_PER_GPU_S], (h0 * 989e12 * 0.4 / 42e9 + h1 * 3000) / (h0 + h1), 1e-14);
    CHECK(isnan(m[METRIC_MFU]) && isnan(m[METRIC_EFFECTIVE_MFU]) && isnan(m[METRIC_STEP_TIME_S]));

    /* One params stage alone: effective mfu = model FLOPs / (count x peak x wall) = mfu x
     * (full-speed hours / wall hours), so a run twice as long as at full speed has half. */
    s.n_stages = 1;
    model_throughput_metrics(&s, x, 2 * h0, m);
    CHECK_NEAR(m[METRIC_MFU], 0.4, 1e-15);
    CHECK_NEAR(m[METRIC_EFFECTIVE_MFU], 0.2, 1e-14);
    s.n_stages = 2;
    free(x);
    spec_release(&s);
}

/* Two params stages of different precisions (989 and 1979 TFLOP/s peaks, mfu 0.4 and 0.3): run
 * at full speed, effective mfu equals the time-weighted mfu (peaks weighted by FLOPs). */
static void test_mixed_precision(void)
{
    struct spec s;
    memset(&s, 0, sizeof s);
    s.count = 64;
    const double peak[2] = { 989, 1979 }, u[2] = { 0.4, 0.3 }, tok[2] = { 1e12, 3e11 };
    for (int k = 0; k < 2; k++) {
        struct stage_spec *st = add_stage(&s, WORK_PARAMS);
        st->params_in = fixed_input(&s, "workload.stages[k].params", 8e9);
        st->tokens_in = fixed_input(&s, "workload.stages[k].tokens", tok[k]);
        st->peak_tflops_in = fixed_input(&s, "cluster.peak_tflops.x", peak[k]);
        st->mfu_in = fixed_input(&s, "workload.stages[k].mfu", u[k]);
    }
    double *x = central(&s);
    /* full-speed hours t_k = 6 N T_k / (count peak_k mfu_k 3600) */
    double t[2], wall = 0;
    for (int k = 0; k < 2; k++)
        wall += t[k] = 6 * 8e9 * tok[k] / (64 * peak[k] * 1e12 * u[k] * 3600);
    double m[METRIC_COUNT];
    model_throughput_metrics(&s, x, wall, m);
    const double mfu_tw = (t[0] * u[0] + t[1] * u[1]) / wall;
    CHECK_NEAR(m[METRIC_MFU], mfu_tw, 1e-14);
    CHECK_NEAR(m[METRIC_EFFECTIVE_MFU], mfu_tw, 1e-13);
    /* with a tenth more wall time (losses), a tenth less */
    model_throughput_metrics(&s, x, 1.1 * wall, m);
    CHECK_NEAR(m[METRIC_EFFECTIVE_MFU], mfu_tw / 1.1, 1e-13);
    free(x);
    spec_release(&s);
}

/* A layout stage: the engine's rate is count x the layout model's tokens/s x 3600, and the
 * metrics are the layout model's figures. A 1.3B-parameter-class dense model on 64 GPUs. */
static void test_layout_stage(void)
{
    struct spec s;
    memset(&s, 0, sizeof s);
    s.count = 64;
    s.has_arch = true;
    s.arch = (struct arch){ .layers = 24, .hidden = 2048, .ffn_hidden = 8192, .ffn_kind = FFN_GELU, .heads = 16,
                            .kv_heads = 16, .head_dim = 128, .vocab = 50304 };
    s.hbm_tb_s = 2.0;
    s.nvlink_gb_s = 300;
    s.network_gb_s = 25;
    s.nvlink_domain = 8;
    s.memory_gb = 80;
    struct stage_spec *st = add_stage(&s, WORK_LAYOUT);
    st->tokens_in = fixed_input(&s, "workload.tokens", 1e11);
    st->peak_tflops_in = fixed_input(&s, "cluster.peak_tflops.bf16", 312);
    st->precision = xstrdup("bf16");
    st->seq_len = 2048;
    st->global_batch_seqs = 512;
    st->layout = (struct layout){ .tp = 2, .pp = 2, .cp = 1, .ep = 1, .dp = 16, .microbatch = 2, .interleave = 1,
                                  .schedule = SCHEDULE_1F1B, .recompute = RECOMPUTE_SELECTIVE, .zero = 1,
                                  .sequence_parallel = true };
    static const double eff[EFF_COUNT] = { 0.7, 0.5, 0.8, 0.9 };
    for (int i = 0; i < EFF_COUNT; i++)
        st->eff_in[i] = fixed_input(&s, "workload.efficiency.x", eff[i]);
    st->memory_gb = 33.0;
    double *x = central(&s);

    struct layout_problem p;
    struct layout_eff e;
    model_layout_problem(&s, x, 0, &p);
    model_layout_eff(&s, x, 0, &e);
    CHECK(p.count == 64 && p.seq_len == 2048 && p.global_batch_seqs == 512 && !p.is_fp8);
    CHECK_NEAR(p.hw.peak_flops, 312e12, 1e-15);
    CHECK_NEAR(p.hw.nvlink_bytes_per_s, 300e9, 1e-15);
    CHECK_NEAR(p.hw.network_bytes_per_s, 25e9, 1e-15);
    CHECK_NEAR(p.hw.memory_bytes, 80e9, 1e-15);
    CHECK(e.frac[EFF_MATMUL] == 0.7 && e.frac[EFF_OVERLAP] == 0.9);
    struct layout_time t;
    layout_step(&p, &st->layout, &e, &t);
    CHECK(t.step_s > 0 && t.tokens_per_gpu_s > 0);
    /* tokens/s per GPU = batch tokens / step / count */
    CHECK_NEAR(t.tokens_per_gpu_s, 512.0 * 2048 / t.step_s / 64, 1e-12);

    double work, rate;
    model_stage_numbers(&s, x, 0, &work, &rate);
    CHECK_NEAR(work, 1e11, 1e-15);
    CHECK_NEAR(rate, 64 * t.tokens_per_gpu_s * 3600, 1e-14);

    double m[METRIC_COUNT];
    const double full_h = 1e11 / rate;
    model_throughput_metrics(&s, x, full_h, m);
    CHECK_NEAR(m[METRIC_TOKENS_PER_GPU_S], t.tokens_per_gpu_s, 1e-14);
    CHECK_NEAR(m[METRIC_MFU], t.mfu, 1e-14);
    CHECK_NEAR(m[METRIC_STEP_TIME_S], t.step_s, 1e-14);
    CHECK_NEAR(m[METRIC_MEMORY_GB_PER_GPU], 33.0, 1e-15);
    /* at full speed the effective mfu is the steady-state one */
    CHECK_NEAR(m[METRIC_EFFECTIVE_MFU], t.mfu, 1e-12);
    /* mfu is model FLOPs per token x tokens/s / peak (DESIGN 8) */
    CHECK_NEAR(t.mfu, arch_model_flops_per_token(&s.arch, 2048) * t.tokens_per_gpu_s / 312e12, 1e-12);
    free(x);
    spec_release(&s);
}

int main(void)
{
    test_forms();
    test_mixed_precision();
    test_layout_stage();
    return CHECK_EXIT();
}
