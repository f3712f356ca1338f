/*
 * test_layout.c - the layout model (core/layout.c) term by term against hand calculations,
 * its memory components, its validity rules, layout_enumerate on a case whose best layout
 * is known, and the H800/H100 NVLink contrast (DESIGN 8). The arithmetic is in the comments.
 */
#include "check.h"

#include <string.h>

#include "core/layout.h"
#include "load/catalog.h"

/* A 5-layer GELU model: h 1024, ffn 4096, 16 heads of 64, vocab 4096, untied.
 *   attention params 2 h a hd + 2 h g hd = 4 x 1024 x 1024 = 4,194,304
 *   FFN params 2 h f = 2 x 1024 x 4096 = 8,388,608; one layer 12,582,912 */
static const struct arch small = {
    .layers = 5, .hidden = 1024, .ffn_hidden = 4096, .ffn_kind = FFN_GELU, .heads = 16, .kv_heads = 16,
    .head_dim = 64, .vocab = 4096};

/* Peak 1e15 FLOP/s, HBM 2e12 B/s, NVLink 400 GB/s, network 50 GB/s, domain 8, 80 GB. */
static struct layout_problem problem(const struct arch *a, long count, long seq_len, long batch)
{
    struct layout_problem p = {.arch = a, .count = count, .seq_len = seq_len, .global_batch_seqs = batch};
    p.hw = (struct layout_hw){.peak_flops = 1e15, .hbm_bytes_per_s = 2e12, .nvlink_bytes_per_s = 4e11,
                              .network_bytes_per_s = 5e10, .nvlink_domain = 8, .memory_bytes = 80e9};
    return p;
}

static struct layout layout_of(long tp, long pp, long cp, long ep, long mb)
{
    return (struct layout){.tp = tp, .pp = pp, .cp = cp, .ep = ep, .dp = 0, .microbatch = mb, .interleave = 1,
                           .schedule = SCHEDULE_1F1B, .recompute = RECOMPUTE_SELECTIVE, .zero = 1,
                           .sequence_parallel = tp > 1};
}

static const struct layout_eff eff_test = {.frac = {0.5, 0.4, 0.8, 0.5}};

/* 16 GPUs, s 2048, B 64; tp 2 pp 2 -> dp 4; microbatch 2 -> m = 64 / (4 x 2) = 8. */
static void test_terms_dense(void)
{
    struct layout_problem p = problem(&small, 16, 2048, 64);
    struct layout l = layout_of(2, 2, 1, 1, 2);
    CHECK(layout_check(&p, &l) == 0);
    CHECK(layout_max_stage_layers(&small, &l) == 3); /* ceil(5 / 2): the stage with 3 layers sets the pace */
    struct layout_time t;
    layout_step(&p, &l, &eff_test, &t);

    /* Compute per micro-batch: tokens per GPU b s / t = 2048; GEMM rate 1e15 x 0.5 = 5e14,
     * attention rate 4e14. Selective recompute: attention core x 4/3 -> factor 4/2.
     *   attention/layer = 2 x 2048 x 2048 x 16 x 128 / 4e14 = 4.294967296e-5 s
     *   GEMM/layer = 6 x 2048 x 12,582,912 / 5e14 = 3.09237645312e-4 s
     *   elementwise/layer = 200 B x 2048 x 1024 / (2e12 x 0.5) = 4.194304e-4 s
     *   layer = 7.71617718272e-4; 3 layers on the pacing stage = 2.314853154816e-3
     *   LM head 6 x 2048 x 4096 x 1024 / 5e14 = 1.03079215104e-4; balanced share
     *   (5 layers + head) / 2 = 1.980583903232e-3 < 2.3149e-3, so the 3-layer stage paces.
     *   compute = m x 2.314853154816e-3 = 1.8518825238528e-2 */
    const double compute_mb = 2.314853154816e-3;
    CHECK_NEAR(t.compute_s, 8 * compute_mb, 1e-12);
    /* TP: 4 collectives x 3 layers x 2 (t-1)/t = 1 x b s h 2 B = 8,388,608 -> 100,663,296 B on
     * NVLink (t = 2 <= 8) at 4e11 x 0.8 = 3.2e11: 3.145728e-4 s per micro-batch, x 8. */
    const double tp_mb = 3.145728e-4;
    CHECK_NEAR(t.tp_s, 8 * tp_mb, 1e-12);
    /* PP: 2 x v 1 x b s h 2 B / t = 8,388,608 B; t c d p = 16 > 8 -> network 5e10 x 0.8 = 4e10:
     * 2.097152e-4 s per micro-batch, x 8 = 1.6777216e-3. */
    CHECK_NEAR(t.pp_s, 1.6777216e-3, 1e-12);
    /* Bubble (p-1)/v = 1 micro-batch stage time = compute + TP = 2.629425954816e-3. */
    CHECK_NEAR(t.bubble_s, compute_mb + tp_mb, 1e-12);
    /* DP: device params (3 x 12,582,912 + embedding 4096 x 1024) / t = 20,971,520; zero 1:
     * 2 x 3/4 x 2 B x 20,971,520 = 62,914,560 B; t d = 8 fits the domain -> 3.2e11: 1.96608e-4
     * s, half hidden: 9.8304e-5 exposed. */
    CHECK_NEAR(t.dp_s, 9.8304e-5, 1e-12);
    /* Optimizer: 20,971,520 / 4 = 5,242,880 params x 28 B / 2e12 = 7.340032e-5 s. */
    CHECK_NEAR(t.optimizer_s, 7.340032e-5, 1e-12);
    CHECK_ABS(t.ep_s, 0.0, 0.0);
    CHECK_ABS(t.cp_s, 0.0, 0.0);
    const double step = 8 * compute_mb + (compute_mb + tp_mb) + 8 * tp_mb + 1.6777216e-3 + 9.8304e-5 + 7.340032e-5;
    CHECK_NEAR(step, 2.5514259513344e-2, 1e-12);
    CHECK_NEAR(t.step_s, step, 1e-12);
    CHECK_NEAR(t.tokens_per_gpu_s, 64.0 * 2048 / step / 16, 1e-12);
    /* Model FLOPs per token: 6 (5 x 12,582,912 + 4096 x 1024) + 12 x 5 x 2048 x 16 x 64
     * = 402,653,184 + 125,829,120 = 528,482,304. */
    CHECK_NEAR(t.mfu, 528482304.0 * t.tokens_per_gpu_s / 1e15, 1e-12);

    /* Full recompute: GEMMs and elementwise 8/6, the attention core 4/3 as before -> per
     * layer 4.12316860416e-4 + 4.294967296e-5 + 5.592405333e-4; 2 more TP collectives per
     * layer (6/4). */
    l.recompute = RECOMPUTE_FULL;
    layout_step(&p, &l, &eff_test, &t);
    CHECK_NEAR(t.compute_s, 8 * 3 * (3.09237645312e-4 * 8 / 6 + 4.294967296e-5 + 4.194304e-4 * 4 / 3), 1e-12);
    CHECK_NEAR(t.tp_s, 8 * tp_mb * 1.5, 1e-12);
    /* No recompute: attention 3/4 of the selective one. */
    l.recompute = RECOMPUTE_NONE;
    layout_step(&p, &l, &eff_test, &t);
    CHECK_NEAR(t.compute_s, 8 * 3 * (3.09237645312e-4 + 4.294967296e-5 * 3 / 4 + 4.194304e-4), 1e-12);

    /* Network efficiency halves: every communication term doubles, compute does not. */
    struct layout_eff slow = eff_test;
    slow.frac[EFF_NETWORK] = 0.4;
    l.recompute = RECOMPUTE_SELECTIVE;
    struct layout_time t2;
    layout_step(&p, &l, &eff_test, &t);
    layout_step(&p, &l, &slow, &t2);
    CHECK_NEAR(t2.tp_s, 2 * t.tp_s, 1e-12);
    CHECK_NEAR(t2.pp_s, 2 * t.pp_s, 1e-12);
    CHECK_NEAR(t2.dp_s, 2 * t.dp_s, 1e-12);
    CHECK_NEAR(t2.compute_s, t.compute_s, 1e-12);

    /* tp beyond the NVLink domain: tp 16 over 2 domains of 8, all-reduced hierarchically:
     * S = 4 x 5 layers x b s h 2 B = 83,886,080 per micro-batch (32 GPUs, pp 1);
     * 2 [7/8 S / 3.2e11 + 1/2 S / (8 x 4e10)] = 2 (2.29376e-4 + 1.31072e-4) = 7.20896e-4 s. */
    struct layout_problem p32 = problem(&small, 32, 2048, 64);
    struct layout l16 = layout_of(16, 1, 1, 1, 1);
    CHECK(layout_check(&p32, &l16) == 0);
    layout_step(&p32, &l16, &eff_test, &t);
    CHECK_NEAR(t.tp_s / 32.0, 7.20896e-4, 1e-12); /* m = 64/2 = 32 */
}

/* Bubbles by schedule, in micro-batch stage times: 1f1b (p-1)/v, zero-bubble (p-1)/3,
 * dualpipe (p/2-1) 2/3. p = 4, so 3, 3/v, 1, 2/3. */
static void test_bubbles(void)
{
    struct arch a = small;
    a.layers = 16;
    struct layout_problem p = problem(&a, 32, 2048, 64); /* tp 2 pp 4 -> dp 4, mb 1 -> m = 16 */
    struct layout l = layout_of(2, 4, 1, 1, 1);
    const struct {
        enum layout_schedule s;
        long v;
        double units;
    } cases[] = {{SCHEDULE_1F1B, 1, 3.0}, {SCHEDULE_INTERLEAVED, 2, 1.5}, {SCHEDULE_INTERLEAVED, 4, 0.75},
                 {SCHEDULE_ZERO_BUBBLE, 1, 1.0}, {SCHEDULE_DUALPIPE, 1, 2.0 / 3.0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        l.schedule = cases[i].s;
        l.interleave = cases[i].v;
        CHECK(layout_check(&p, &l) == 0);
        struct layout_time t;
        layout_step(&p, &l, &eff_test, &t);
        const double stage_mb = (t.compute_s + t.tp_s + t.cp_s + t.ep_s) / 16.0;
        CHECK_NEAR(t.bubble_s, cases[i].units * stage_mb, 1e-12);
        /* Interleaving multiplies the point-to-point sends by v. */
        CHECK_NEAR(t.pp_s, 16.0 * 2 * (double)cases[i].v * 2048 * 1024 * 2 / 2 / 4e10, 1e-12);
    }
    /* The 1f1b bubble (p-1)/m of the pipelined compute: 3/16. */
    l.schedule = SCHEDULE_1F1B, l.interleave = 1, l.tp = 1;
    p.count = 16;
    struct layout_time t;
    layout_step(&p, &l, &eff_test, &t);
    CHECK_NEAR(t.bubble_s / t.compute_s, 3.0 / 16.0, 1e-12);
    /* pp 1 has no bubble and no sends. */
    l.pp = 1;
    layout_step(&p, &l, &eff_test, &t);
    CHECK_ABS(t.bubble_s, 0.0, 0.0);
    CHECK_ABS(t.pp_s, 0.0, 0.0);
}

/* DP by zero stage: 8 GPUs tp 1 pp 1 dp 8 (one NVLink domain), B 32, mb 1 -> m 4. Device
 * params 5 x 12,582,912 + 2 x 4096 x 1024 = 71,303,168; ring 7/8 x 2 B x P = 124,780,544 B.
 *   zero 0/1: 2 ring;  zero 2: (m+1) ring = 5 ring;  zero 3: 3 m ring = 12 ring
 * over 3.2e11 B/s; overlap 0 so all of it is exposed. */
static void test_dp_zero(void)
{
    struct layout_problem p = problem(&small, 8, 2048, 32);
    struct layout l = layout_of(1, 1, 1, 1, 1);
    struct layout_eff e = eff_test;
    e.frac[EFF_OVERLAP] = 0.0;
    const double ring = 7.0 / 8 * 2 * 71303168.0 / 3.2e11;
    const double factor[4] = {2, 2, 5, 12};
    for (int z = 0; z <= 3; z++) {
        l.zero = z;
        struct layout_time t;
        layout_step(&p, &l, &e, &t);
        CHECK_NEAR(t.dp_s, factor[z] * ring, 1e-12);
        /* Optimizer: 28 B per parameter, sharded over 8 from zero 1. */
        CHECK_NEAR(t.optimizer_s, 28.0 * 71303168.0 / (z >= 1 ? 8 : 1) / 2e12, 1e-12);
    }
    /* Full overlap hides it all (compute is larger); the hidden part never exceeds compute. */
    e.frac[EFF_OVERLAP] = 1.0;
    l.zero = 1;
    struct layout_time t;
    layout_step(&p, &l, &e, &t);
    CHECK_ABS(t.dp_s, 0.0, 1e-15);
    /* Across two domains (16 GPUs, dp 16, 8 per domain), S = 2 B x P = 142,606,336:
     * 2 [7/8 S / 3.2e11 + 1/2 S / (8 x 4e10)] (hierarchical). */
    p.count = 16;
    e.frac[EFF_OVERLAP] = 0.0;
    layout_step(&p, &l, &e, &t);
    CHECK_NEAR(t.dp_s, 2 * (7.0 / 8 * 142606336.0 / 3.2e11 + 0.5 * 142606336.0 / (8 * 4e10)), 1e-12);
    /* One GPU per domain (domain 1): flat ring on the network, 2 x 15/16 x S / 4e10. */
    p.hw.nvlink_domain = 1;
    layout_step(&p, &l, &e, &t);
    CHECK_NEAR(t.dp_s, 2 * 15.0 / 16 * 142606336.0 / 4e10, 1e-12);
}

/* A 2-layer MoE: 16 experts of 512 (SwiGLU: 3 h f_e = 1,572,864 each), top 2, no shared. */
static const struct arch moe = {
    .layers = 2, .hidden = 1024, .ffn_hidden = 4096, .ffn_kind = FFN_SWIGLU, .heads = 16, .kv_heads = 16,
    .head_dim = 64, .vocab = 4096, .experts = 16, .top_k = 2, .expert_ffn_hidden = 512};

/* EP all-to-all, s 1024, mb 1: per micro-batch 2 MoE layers x 1024 tokens x k 2 x h 1024 x
 * (dispatch 2 + combine 2 + backward 4 = 8 B) x (e-1)/e. overlap 0. */
static void test_ep(void)
{
    struct layout_problem p = problem(&moe, 16, 1024, 16); /* dp 16, m = 1 */
    struct layout l = layout_of(1, 1, 1, 8, 1);
    struct layout_eff e = eff_test;
    e.frac[EFF_OVERLAP] = 0.0;
    CHECK(layout_check(&p, &l) == 0);
    struct layout_time t;
    layout_step(&p, &l, &e, &t);
    /* e 8 inside the domain: 2 x 1024 x 2 x 1024 x 8 x 7/8 = 29,360,128 B / 3.2e11 = 9.17504e-5 s */
    CHECK_NEAR(t.ep_s, 9.17504e-5, 1e-12);
    /* FP8 dispatch: 1 + 2 + 4 = 7 B instead of 8. */
    p.is_fp8 = true;
    layout_step(&p, &l, &e, &t);
    CHECK_NEAR(t.ep_s, 9.17504e-5 * 7 / 8, 1e-12);
    p.is_fp8 = false;
    /* e 16 over two domains (32 GPUs): V = 2 x 1024 x 2 x 1024 x 8 x 15/16 = 31,457,280 B; the
     * share (16-8)/15 off the domain: 16,777,216 B / 4e10 = 4.194304e-4 s, which outlasts the
     * NVLink share 14,680,064 B / 3.2e11 = 4.58752e-5 s. */
    p.count = 32, p.global_batch_seqs = 32;
    l.ep = 16;
    CHECK(layout_check(&p, &l) == 0);
    layout_step(&p, &l, &e, &t);
    CHECK_NEAR(t.ep_s, 4.194304e-4, 1e-12);
    /* Overlap 0.5 hides nothing under 1F1B, half under DualPipe (compute is larger than that). */
    e.frac[EFF_OVERLAP] = 0.5;
    layout_step(&p, &l, &e, &t);
    CHECK_NEAR(t.ep_s, 4.194304e-4, 1e-12);
    l.schedule = SCHEDULE_DUALPIPE;
    layout_step(&p, &l, &e, &t);
    CHECK_NEAR(t.ep_s, 4.194304e-4 / 2, 1e-12);
    l.schedule = SCHEDULE_1F1B;
    /* Experts on the device: 2 layers x 16 x 1,572,864 / ep 16 = 3,145,728 params; their
     * data-parallel degree t d c / e = 32 / 16 = 2 -> optimizer 12 B x / 2 (zero 1). Dense part:
     * attention 2 x 4,194,304 + router 2 x 16,384 + embedding and head 2 x 4,194,304 = 16,809,984,
     * sharded over d = 32. */
    struct layout_memory m;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.weights, 2.0 * (16809984.0 + 3145728.0), 1e-12);
    CHECK_NEAR(m.gradients, 4.0 * (16809984.0 + 3145728.0), 1e-12);
    CHECK_NEAR(m.optimizer, 12.0 * (16809984.0 / 32 + 3145728.0 / 2), 1e-12);
    /* MoE compute per layer: GEMMs over attention + 2 experts + router = 4,194,304 + 3,145,728
     * + 16,384 = 7,356,416 active params; 6 x 1024 x 7,356,416 / 5e14, attention 2 x 1024 x 1024
     * x 16 x 128 / 4e14, 2 layers; LM head 6 x 1024 x 4096 x 1024 / 5e14 is in the balanced
     * share only (pp 1: the device holds it all; the head makes all/p larger); elementwise
     * 200 B x 1024 x 1024 / (2e12 x 0.5) = 2.097152e-4 per layer. */
    const double layer = 6.0 * 1024 * 7356416 / 5e14 + 2.0 * 1024 * 1024 * 16 * 128 / 4e14 + 2.097152e-4;
    CHECK_NEAR(t.compute_s, 2 * layer + 6.0 * 1024 * 4096 * 1024 / 5e14, 1e-12);
}

/* CP: ring exchange 3 L (c-1) b (s/c) 2 g hd 2 B / t, exposed beyond the attention core. */
static void test_cp(void)
{
    struct layout_problem p = problem(&small, 16, 8192, 16); /* tp 1 pp 1 cp 2 -> dp 8, m = 2 */
    struct layout l = layout_of(1, 1, 2, 1, 1);
    CHECK(layout_check(&p, &l) == 0);
    struct layout_eff e = eff_test;
    e.frac[EFF_NETWORK] = 0.001; /* slow enough that the exchange outlasts the attention core */
    struct layout_time t;
    layout_step(&p, &l, &e, &t);
    /* bytes = 3 x 5 x 1 x 1 x 4096 x (2 x 16 x 64) x 2 = 251,658,240 B over NVLink at 4e8 B/s;
     * attention core: 5 layers x 2 x (1 x 8192 / 2) x 8192 x 16 x 128 / 4e14 */
    const double xchg = 251658240.0 / 4e8;
    const double attn = 5 * 2.0 * 4096 * 8192 * 16 * 128 / 4e14;
    CHECK_NEAR(t.cp_s, 2 * (xchg - attn), 1e-12);
    layout_step(&p, &l, &eff_test, &t); /* fast network: hidden behind attention */
    CHECK_ABS(t.cp_s, 0.0, 0.0);
}

/* Memory of the dense case by component (tp 2 pp 2 dp 4 mb 2, selective, zero 1). */
static void test_memory(void)
{
    struct layout_problem p = problem(&small, 16, 2048, 64);
    struct layout l = layout_of(2, 2, 1, 1, 2);
    struct layout_memory m;
    layout_memory(&p, &l, &m);
    /* device params 20,971,520 (see test_terms_dense) */
    CHECK_NEAR(m.weights, 2.0 * 20971520, 1e-12);
    CHECK_NEAR(m.gradients, 4.0 * 20971520, 1e-12);
    CHECK_NEAR(m.optimizer, 12.0 * 20971520 / 4, 1e-12);
    /* s b h / t = 2048 x 2 x 1024 / 2 = 2,097,152; selective 34 x that per layer x 3 layers x
     * min(m 8, p 2) in flight = 427,819,008 */
    CHECK_NEAR(m.activations, 34.0 * 2097152 * 3 * 2, 1e-12);
    /* fp32 logits + gradient 8 x b s V / t = 67,108,864 + 1e9 workspace */
    CHECK_NEAR(m.buffers, 67108864.0 + 1e9, 1e-12);
    CHECK_NEAR(m.total, 1683671552.0, 1e-12);
    /* Sharding: zero 2 shards gradients, zero 3 weights too. */
    l.zero = 3;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.weights, 2.0 * 20971520 / 4, 1e-12);
    CHECK_NEAR(m.gradients, 4.0 * 20971520 / 4, 1e-12);
    /* Full recompute keeps 2 s b h / t per layer + one layer's 34; none adds the scores
     * 5 a s^2 b / t = 5 x 16 x 2048^2 x 2 / 2 = 335,544,320 per layer. */
    l.zero = 1, l.recompute = RECOMPUTE_FULL;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.activations, 2.0 * 2097152 * 3 * 2 + 34.0 * 2097152, 1e-12);
    l.recompute = RECOMPUTE_NONE;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.activations, (34.0 * 2097152 + 335544320.0) * 3 * 2, 1e-12);
    /* Interleaving v = 2 with p = 2 keeps 1 + (p-1)/(p v) = 1.25 x; DualPipe 2 weight copies,
     * min(m, p + 1) = 3 micro-batches. */
    l.recompute = RECOMPUTE_SELECTIVE, l.interleave = 2, l.schedule = SCHEDULE_INTERLEAVED;
    struct arch a = small;
    a.layers = 8; /* 8 / (2 x 2) = 2 per chunk, 4 per device */
    p.arch = &a;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.activations, 34.0 * 2097152 * 4 * 2 * 1.25, 1e-12);
    l.interleave = 1, l.schedule = SCHEDULE_DUALPIPE;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.activations, 34.0 * 2097152 * 4 * 3, 1e-12);
    CHECK_NEAR(m.weights, 2.0 * 2 * (4 * 12582912.0 + 4096 * 1024) / 2, 1e-12);
    /* An fp8 stage keeps the inputs of the four GEMMs (14 of the 34) in one byte: 27 */
    p.is_fp8 = true;
    layout_memory(&p, &l, &m);
    CHECK_NEAR(m.activations, 27.0 * 2097152 * 4 * 3, 1e-12);
}

static void test_validity(void)
{
    struct layout_problem p = problem(&moe, 16, 1024, 16);
    struct layout l = layout_of(1, 1, 1, 1, 1);
    CHECK(layout_check(&p, &l) == 0);
    l.tp = 3; /* 16 % 3, and the heads are not divisible by 3 either: every broken rule is reported */
    CHECK(layout_check(&p, &l) == ((1u << LAYOUT_COUNT_NOT_DIVISIBLE) | (1u << LAYOUT_HEADS_NOT_DIVISIBLE)));
    l = layout_of(1, 1, 1, 1, 1), l.dp = 8; /* explicit dp disagrees with 16 */
    CHECK(layout_check(&p, &l) == 1u << LAYOUT_COUNT_NOT_DIVISIBLE);
    struct arch a = moe;
    a.heads = 12; /* 12 % 8 */
    struct layout_problem pa = p;
    pa.arch = &a;
    l = layout_of(8, 1, 1, 1, 1);
    CHECK(layout_check(&pa, &l) == 1u << LAYOUT_HEADS_NOT_DIVISIBLE);
    l = layout_of(1, 1, 1, 32, 1); /* 16 experts % 32, and 32 does not divide t d = 16 */
    CHECK(layout_check(&p, &l) == ((1u << LAYOUT_EXPERTS_NOT_DIVISIBLE) | (1u << LAYOUT_EP_NOT_IN_DP)));
    struct layout_problem pd = problem(&small, 16, 1024, 16);
    l = layout_of(1, 1, 1, 2, 1); /* ep on a dense model */
    CHECK(layout_check(&pd, &l) == 1u << LAYOUT_EXPERTS_NOT_DIVISIBLE);
    l = layout_of(1, 1, 1, 1, 2); /* 16 % (16 x 2) */
    CHECK(layout_check(&p, &l) == 1u << LAYOUT_BATCH_NOT_DIVISIBLE);
    struct layout_problem pb = problem(&small, 16, 1024, 32);
    l = layout_of(1, 4, 1, 1, 4); /* dp 4, m = 32 / 16 = 2 < p 4 */
    CHECK(layout_check(&pb, &l) == 1u << LAYOUT_TOO_FEW_MICROBATCHES);
    l = layout_of(1, 4, 1, 1, 1), l.interleave = 2; /* 8 stages > 5 layers */
    CHECK(layout_check(&pb, &l) == 1u << LAYOUT_TOO_MANY_STAGES);
    struct layout_problem pc = problem(&small, 16, 1000, 16);
    l = layout_of(1, 1, 8, 1, 1); /* 1000 % 16 */
    CHECK(layout_check(&pc, &l) == 1u << LAYOUT_CP_NOT_DIVISIBLE);
    for (int r = 0; r < LAYOUT_REASON_COUNT; r++)
        CHECK(strlen(layout_reason_name((enum layout_reason)r)) > 0);
    CHECK(strcmp(layout_schedule_name(SCHEDULE_DUALPIPE), "dualpipe") == 0);
    CHECK(strcmp(layout_recompute_name(RECOMPUTE_FULL), "full") == 0);
    CHECK(strcmp(layout_eff_name(EFF_OVERLAP), "overlap") == 0);
}

/* auto on 8 GPUs with ample memory: any tp > 1 adds TP traffic and saves no compute, pp > 1
 * a bubble, cp an exchange, recompute compute; the step's compute does not depend on the
 * micro-batch (ties: microbatch 1); zero 0 updates all parameters (8x optimizer time), zero 2
 * and 3 move more bytes with m > 1. So the best is tp 1 pp 1 cp 1 mb 1, no recompute, zero 1. */
static void test_enumerate(void)
{
    struct layout_problem p = problem(&small, 8, 2048, 64);
    struct layout_candidate *c = NULL;
    long rej[LAYOUT_REASON_COUNT];
    int n = layout_enumerate(&p, NULL, &eff_test, &c, rej);
    CHECK(n > 0 && c != NULL);
    if (!c)
        return;
    const struct layout *b = &c[0].l;
    CHECK(b->tp == 1 && b->pp == 1 && b->cp == 1 && b->ep == 1 && b->dp == 8 && b->microbatch == 1);
    CHECK(b->recompute == RECOMPUTE_NONE && b->zero == 1 && b->schedule == SCHEDULE_1F1B);
    for (int i = 1; i < n; i++)
        CHECK(c[i].t.tokens_per_gpu_s <= c[i - 1].t.tokens_per_gpu_s * (1 + 1e-9));
    /* Every layout of the space is counted once: tp 7 x cp 4 x mb 4 x recompute 3 x zero 4 x
     * (pp 1 + 6 pp values x 4 interleaves) = 33,600. */
    long total = n;
    for (int r = 0; r < LAYOUT_REASON_COUNT; r++)
        total += rej[r];
    CHECK(total == 33600);
    CHECK(rej[LAYOUT_MEMORY] == 0);
    const double none_total = c[0].mem.total;
    free(c);
    /* Memory just below the no-recompute layout: it is rejected and selective takes its place. */
    p.hw.memory_bytes = none_total * 0.999;
    n = layout_enumerate(&p, NULL, &eff_test, &c, rej);
    CHECK(n > 0 && rej[LAYOUT_MEMORY] > 0);
    if (c) {
        CHECK(c[0].mem.total <= p.hw.memory_bytes);
        CHECK(!(c[0].l.tp == 1 && c[0].l.pp == 1 && c[0].l.recompute == RECOMPUTE_NONE && c[0].l.zero == 1 &&
                c[0].l.microbatch == 1 && c[0].l.cp == 1));
    }
    free(c);
    /* With a base layout its schedule is kept: DualPipe, so interleave 1 throughout. */
    p.hw.memory_bytes = 80e9;
    const struct layout base = {.schedule = SCHEDULE_DUALPIPE, .sequence_parallel = true};
    n = layout_enumerate(&p, &base, &eff_test, &c, rej);
    CHECK(n > 0);
    for (int i = 0; i < n; i++)
        CHECK(c[i].l.schedule == SCHEDULE_DUALPIPE && c[i].l.interleave == 1);
    total = n;
    for (int r = 0; r < LAYOUT_REASON_COUNT; r++)
        total += rej[r];
    CHECK(total == 7 * 4 * 4 * 3 * 4 * 7); /* pp 7 values, no interleaves */
    free(c);
    /* Nothing fits in 1 MB. */
    p.hw.memory_bytes = 1e6;
    n = layout_enumerate(&p, NULL, &eff_test, &c, rej);
    CHECK(n == 0 && c == NULL);
}

/* H800 (NVLink 200 GB/s) against H100 (450 GB/s), both 989 TFLOP/s, 400 Gb/s network: a
 * Llama-3-70B-like model on 64 GPUs, s 4096, B 256. tp 8 is slower on the H800; tp 1 (all
 * communication on the network, which the two share) within a few percent. */
static void test_h800_h100(void)
{
    const struct arch llama = {.layers = 80, .hidden = 8192, .ffn_hidden = 28672, .ffn_kind = FFN_SWIGLU,
                               .heads = 64, .kv_heads = 8, .head_dim = 128, .vocab = 128256};
    struct layout_problem h100 = problem(&llama, 64, 4096, 256);
    h100.hw = (struct layout_hw){.peak_flops = 989e12, .hbm_bytes_per_s = 3.35e12, .nvlink_bytes_per_s = 450e9,
                                 .network_bytes_per_s = 50e9, .nvlink_domain = 8, .memory_bytes = 80e9};
    struct layout_problem h800 = h100;
    h800.hw.nvlink_bytes_per_s = 200e9;
    const struct layout_eff e = {.frac = {0.7, 0.5, 0.75, 0.8}};
    struct layout_time a, b;
    struct layout l = layout_of(8, 4, 1, 1, 1); /* dp 2, m = 128 */
    CHECK(layout_check(&h100, &l) == 0);
    layout_step(&h100, &l, &e, &a);
    layout_step(&h800, &l, &e, &b);
    CHECK(b.tokens_per_gpu_s < a.tokens_per_gpu_s * 0.95);
    CHECK_NEAR(b.tp_s, a.tp_s * 450.0 / 200.0, 1e-12);
    l = layout_of(1, 8, 1, 1, 1); /* dp 8, m = 32, every collective across nodes */
    l.zero = 1;
    CHECK(layout_check(&h100, &l) == 0);
    layout_step(&h100, &l, &e, &a);
    layout_step(&h800, &l, &e, &b);
    CHECK_NEAR(b.tokens_per_gpu_s, a.tokens_per_gpu_s, 0.03);
}

/* The catalog's interconnect and efficiency defaults (configs/accelerators.yaml), and the
 * H800/H100 contrast with them: same die and peaks, NVLink 200 vs 450 GB/s. */
static void test_catalog(void)
{
    struct diag d;
    diag_init(&d, stderr);
    struct catalog cat;
    CHECK(catalog_load(&cat, &d, NULL));
    const struct accel_entry *h100 = catalog_accel(&cat, "H100-SXM"), *h800 = catalog_accel(&cat, "H800-SXM");
    CHECK(h100 && h800);
    if (h100 && h800) {
        CHECK(h100->nvlink_gb_s == 450 && h800->nvlink_gb_s == 200);
        CHECK(h100->network_gb_s == 50 && h800->network_gb_s == 50);
        CHECK(h100->nvlink_domain == 8 && h800->nvlink_domain == 8);
        CHECK(h100->has_eff && h800->has_eff);
        CHECK(h100->eff_dist[EFF_MATMUL].kind == DIST_TRIANGULAR && h100->eff_dist[EFF_NETWORK].kind == DIST_UNIFORM);
        for (int k = 0; k < EFF_COUNT; k++)
            CHECK(h100->eff_central[k] > 0 && h100->eff_central[k] <= 1);
        const struct arch llama = {.layers = 80, .hidden = 8192, .ffn_hidden = 28672, .ffn_kind = FFN_SWIGLU,
                                   .heads = 64, .kv_heads = 8, .head_dim = 128, .vocab = 128256};
        struct layout_problem p[2];
        const struct accel_entry *acc[2] = {h100, h800};
        struct layout_eff e[2];
        for (int i = 0; i < 2; i++) {
            p[i] = problem(&llama, 64, 4096, 256);
            p[i].hw = (struct layout_hw){.peak_flops = acc[i]->peak_tflops[0] * 1e12,
                                         .hbm_bytes_per_s = acc[i]->hbm_tb_s * 1e12,
                                         .nvlink_bytes_per_s = acc[i]->nvlink_gb_s * 1e9,
                                         .network_bytes_per_s = acc[i]->network_gb_s * 1e9,
                                         .nvlink_domain = acc[i]->nvlink_domain, .memory_bytes = 80e9};
            for (int k = 0; k < EFF_COUNT; k++)
                e[i].frac[k] = acc[i]->eff_central[k];
        }
        struct layout_time a, b;
        struct layout l = layout_of(8, 4, 1, 1, 1);
        layout_step(&p[0], &l, &e[0], &a);
        layout_step(&p[1], &l, &e[1], &b);
        CHECK(b.tokens_per_gpu_s < a.tokens_per_gpu_s * 0.97); /* tp 8: the H800 is slower */
        l = layout_of(1, 8, 1, 1, 1);
        layout_step(&p[0], &l, &e[0], &a);
        layout_step(&p[1], &l, &e[1], &b);
        CHECK_NEAR(b.tokens_per_gpu_s, a.tokens_per_gpu_s, 0.03); /* tp 1: within 3 % */
    }
    catalog_release(&cat);
    diag_release(&d);
}

int main(void)
{
    test_terms_dense();
    test_bubbles();
    test_dp_zero();
    test_ep();
    test_cp();
    test_memory();
    test_validity();
    test_enumerate();
    test_h800_h100();
    test_catalog();
    return CHECK_EXIT();
}
