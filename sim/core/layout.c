/*
 * layout.c - the step time and memory of a parallel layout (DESIGN 8; docs/throughput.md).
 *
 * One optimizer step of a device of the pipeline stage that sets the pace:
 *
 *   step = compute + bubble + tp + pp + dp + ep + cp + optimizer
 *
 * each term its own function below with its equation. Notation: b micro-batch (sequences),
 * s seq_len, h hidden, t/p/c/e/d the tp/pp/cp/ep/dp degrees, v interleave, m = B/(d b)
 * micro-batches per step, L_dev the layers one device holds (v x ceil(layers/(p v))).
 * Bytes are per GPU; bandwidths nominal, per GPU per direction, times the network
 * efficiency. Rank order is Megatron-LM's (tp innermost, then cp, dp, pp), so a group of
 * g consecutive-stride ranks lies in one NVLink domain when its span fits the domain.
 */
#include "core/layout.h"

#include <math.h>
#include <stdlib.h>

#include "util/xalloc.h"

/* grep SCHEDULE_ORDER */
static const char *const layout_schedule_names[SCHEDULE_COUNT] = {"1f1b", "interleaved", "zero-bubble", "dualpipe"};
/* grep RECOMPUTE_ORDER */
static const char *const layout_recompute_names[RECOMPUTE_COUNT] = {"none", "selective", "full"};
/* grep EFF_ORDER */
static const char *const layout_eff_names[EFF_COUNT] = {"matmul", "attention", "network", "overlap"};
/* grep REASON_ORDER */
static const char *const layout_reason_names[LAYOUT_REASON_COUNT] = {
    "count not divisible by tp x pp x cp", "heads not divisible by tp", "experts not divisible by ep",
    "ep does not divide tp x dp",          "batch not divisible by dp x microbatch",
    "fewer micro-batches than stages",     "more stages than layers",
    "seq_len not divisible by 2 x cp",     "does not fit in memory"};

const char *layout_schedule_name(enum layout_schedule s) { return (unsigned)s < SCHEDULE_COUNT ? layout_schedule_names[s] : "?"; }
const char *layout_recompute_name(enum layout_recompute r) { return (unsigned)r < RECOMPUTE_COUNT ? layout_recompute_names[r] : "?"; }
const char *layout_eff_name(enum layout_eff_kind k) { return (unsigned)k < EFF_COUNT ? layout_eff_names[k] : "?"; }
const char *layout_reason_name(enum layout_reason r) { return (unsigned)r < LAYOUT_REASON_COUNT ? layout_reason_names[r] : "?"; }

/* ---- Constants of the model (each explained in docs/throughput.md) */

static const double BYTES_BF16 = 2.0;      /* activations, TP/PP/CP/EP-combine traffic, weights */
static const double BYTES_GRAD = 4.0;      /* fp32 main gradients (Megatron-LM) */
static const double BYTES_OPTIM = 12.0;    /* fp32 master copy + Adam m and v */
static const double BYTES_OPT_STEP = 28.0; /* Adam touches: read+write master, m, v (24) + grad + param */
/* Activations stored per layer per micro-batch, in units of s b h bytes (Korthikanti et al.
 * 2022, arXiv:2205.05198, Sec. 4 and Table 2, with tensor and sequence parallelism): */
static const double ACT_SELECTIVE = 34.0;  /* 34 s b h / t: everything but the attention core */
static const double ACT_SCORES = 5.0;      /* + 5 a s^2 b / t: attention scores, kept without recompute */
static const double ACT_FULL = 2.0;        /* 2 s b h / t: the layer input only */
/* Of the 34: the saved inputs of the layer's four GEMMs (QKV 2, output projection 2, fc1 2,
 * fc2 8). FP8 recipes (Transformer Engine, DeepSeek-V3 Sec. 3.3.3) keep these as the FP8 cast,
 * one byte instead of two, so an fp8 stage keeps 34 - 14 / 2 = 27. */
static const double ACT_GEMM_INPUTS = 14.0;
static const double WORKSPACE_BYTES = 1.0e9; /* CUDA context, NCCL and allocator slack (assumed) */
/* An FP8 recipe's GEMMs reach this fraction of the FP8 peak for each unit of the BF16
 * efficiency (FP8 attention stays BF16). Fitted on the paired BF16/FP8 rows of the
 * measured data (tests/data/throughput-measured.csv; docs/throughput.md). */
static const double FP8_GEMM_GAIN = 0.85;
/* Non-GEMM work (norms, activation functions, residuals, rotary, casts, dropout, MoE
 * permutation): HBM traffic per token per layer per hidden element, forward and backward,
 * at the matmul efficiency: ELEMENTWISE_BYTES h / (HBM eta_mm) per token per layer. Fitted
 * on the calibration rows (docs/throughput.md): it is why small hidden sizes, and parts with
 * a high peak-to-HBM ratio, reach a lower share of their peak. */
static const double ELEMENTWISE_BYTES = 200.0;

/* ---- The architecture, per layer */

static long moe_layers(const struct arch *a) { return a->experts > 0 ? a->layers - a->dense_layers : 0; }
static double ffn_matrices(const struct arch *a) { return a->ffn_kind == FFN_GELU ? 2.0 : 3.0; }
static double head_dim(const struct arch *a) { return a->head_dim > 0 ? (double)a->head_dim : (double)a->hidden / (double)a->heads; }

/* Attention projections of one layer. GQA: q, o of a hd and k, v of g hd each, times h.
 * MLA: q through its low rank (or direct), the joint k/v compression with its rope part,
 * the k/v up-projection and o. */
static double attn_params(const struct arch *a)
{
    const double h = (double)a->hidden, n = (double)a->heads;
    if (a->has_mla) {
        const double qk = (double)(a->nope_head_dim + a->rope_head_dim);
        const double q = a->q_lora_rank > 0 ? h * (double)a->q_lora_rank + (double)a->q_lora_rank * n * qk : h * n * qk;
        const double kv = h * (double)(a->kv_lora_rank + a->rope_head_dim) +
                          (double)a->kv_lora_rank * n * (double)(a->nope_head_dim + a->v_head_dim);
        return q + kv + n * (double)a->v_head_dim * h;
    }
    const double hd = head_dim(a), g = a->kv_heads > 0 ? (double)a->kv_heads : n;
    return 2.0 * h * n * hd + 2.0 * h * g * hd;
}

static double dense_ffn_params(const struct arch *a) { return ffn_matrices(a) * (double)a->hidden * (double)a->ffn_hidden; }
static double expert_params(const struct arch *a) { return ffn_matrices(a) * (double)a->hidden * (double)a->expert_ffn_hidden; }
static double router_params(const struct arch *a) { return (double)a->hidden * (double)a->experts; }

/* Matmul parameters one token passes through in a dense and in a MoE layer. */
static double dense_layer_active(const struct arch *a) { return attn_params(a) + dense_ffn_params(a); }
static double moe_layer_active(const struct arch *a)
{
    return attn_params(a) + (double)(a->top_k + a->shared_experts) * expert_params(a) + router_params(a);
}

/* Attention-core width: d_qk + d_v per head (2 hd for ordinary attention). */
static double attn_core_width(const struct arch *a)
{
    if (a->has_mla)
        return (double)(a->nope_head_dim + a->rope_head_dim + a->v_head_dim);
    return 2.0 * head_dim(a);
}

/* ---- Derived quantities of one (problem, layout) */

struct geom {
    double t, p, c, e, d, b, s, h, v, m;
    double etp;          /* expert tensor parallel: 1 with ep > 1 (Megatron's default), else t */
    double edp;          /* data-parallel degree of the experts: t d c / (e etp) */
    double l_dev;        /* layers on the device that sets the pace */
    double moe_dev, dense_dev;
    double dense_params; /* non-expert parameters on that device */
    double expert_params;
};

long layout_max_stage_layers(const struct arch *a, const struct layout *l)
{
    const long stages = (l->pp > 0 ? l->pp : 1) * (l->interleave > 0 ? l->interleave : 1);
    return (a->layers + stages - 1) / stages;
}

static long resolved_dp(const struct layout_problem *p, const struct layout *l)
{
    const long mp = l->tp * l->pp * l->cp;
    return l->dp > 0 ? l->dp : (mp > 0 ? p->count / mp : 0);
}

static void geom_of(const struct layout_problem *p, const struct layout *l, struct geom *g)
{
    const struct arch *a = p->arch;
    g->t = (double)l->tp, g->p = (double)l->pp, g->c = (double)l->cp, g->e = (double)l->ep;
    g->d = (double)(resolved_dp(p, l) > 0 ? resolved_dp(p, l) : 1);
    g->b = (double)l->microbatch, g->s = (double)p->seq_len, g->h = (double)a->hidden;
    g->v = (double)(l->interleave > 0 ? l->interleave : 1);
    g->m = fmax(1.0, floor((double)p->global_batch_seqs / (g->d * g->b)));
    g->etp = l->ep > 1 ? 1.0 : g->t;
    g->edp = fmax(1.0, g->t * g->d * g->c / (g->e * g->etp));
    g->l_dev = fmin((double)a->layers, g->v * (double)layout_max_stage_layers(a, l));
    g->moe_dev = fmin(g->l_dev, (double)moe_layers(a));
    g->dense_dev = g->l_dev - g->moe_dev;
    /* The first stage holds the embedding, the last the LM head (both when p = 1). */
    const double vh = (double)a->vocab * g->h;
    const double emb = l->pp == 1 && !a->tied_embeddings ? 2.0 * vh : vh;
    g->dense_params = (g->dense_dev * dense_layer_active(a) +
                       g->moe_dev * (attn_params(a) + (double)a->shared_experts * expert_params(a) + router_params(a)) + emb) /
                      g->t;
    g->expert_params = g->moe_dev * (double)a->experts * expert_params(a) / (g->e * g->etp);
}

/* Bandwidth of a group whose ranks span `span` consecutive ranks: NVLink inside one
 * domain, else the scale-out network; bytes/s at the network efficiency. */
static double group_bw(const struct layout_problem *p, double span, const struct layout_eff *eff)
{
    const double bw = span <= (double)p->hw.nvlink_domain ? p->hw.nvlink_bytes_per_s : p->hw.network_bytes_per_s;
    return bw * eff->frac[EFF_NETWORK];
}

/* Members of a group of n ranks at stride `stride` that share one NVLink domain. */
static double group_in_domain(const struct layout_problem *p, double n, double stride)
{
    return fmax(1.0, fmin(n, floor((double)p->hw.nvlink_domain / stride)));
}

/* A reduce-scatter or all-gather (passes = 1) or an all-reduce (passes = 2) of S bytes over
 * n ranks, g of them in each NVLink domain, N = n/g domains, done hierarchically (NCCL's
 * rings over the per-GPU NICs amount to the same):
 *   passes [ (g-1)/g S / W_nvl + (N-1)/N S / (g W_net) ]
 * i.e. passes (n-1)/n S / W_nvl inside one domain and passes (n-1)/n S / W_net with one GPU
 * per domain (NCCL-tests PERFORMANCE.md bus-bandwidth factors). */
static double collective_s(const struct layout_problem *p, const struct layout_eff *eff, double bytes, double n,
                           double g, double passes)
{
    if (n <= 1.0 || bytes <= 0.0)
        return 0.0;
    const double nd = n / g;
    const double nvl = p->hw.nvlink_bytes_per_s * eff->frac[EFF_NETWORK];
    const double net = p->hw.network_bytes_per_s * eff->frac[EFF_NETWORK];
    return passes * ((g - 1.0) / g * bytes / nvl + (nd - 1.0) / nd * bytes / (g * net));
}

/* ---- Terms, per micro-batch on the pacing device unless stated */

/* Compute of one micro-batch on one device, s:
 *   GEMMs:       6 b s (N_dense L_dense + N_moe L_moe) / (t c) / (C eta_mm gain)
 *   attention:   3 b s^2 a (d_qk + d_v) / (t c) / (C eta_att)   (causal: half the PaLM 6 -> 3)
 *   elementwise: ELEMENTWISE_BYTES b s h L / (t c) / (HBM eta_mm)
 * N_* = active matmul parameters of a layer; C the peak of the precision. Recompute: full
 * adds a forward of all three (x 4/3), selective a forward of the attention core (x 4/3 of it).
 * FP8 runs GEMMs at C x eta_mm x FP8_GEMM_GAIN and attention at C / 2 (BF16). The pace is
 * the device with the most layers, or the balanced share (layers + LM head 6 b s V h) / p
 * when the head makes that larger. */
static double term_compute_mb(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                              const struct geom *g, double *attn_s)
{
    const struct arch *a = p->arch;
    const double tok = g->b * g->s / (g->t * g->c);
    const double gemm_rate = p->hw.peak_flops * eff->frac[EFF_MATMUL] * (p->is_fp8 ? FP8_GEMM_GAIN : 1.0);
    const double attn_rate = p->hw.peak_flops * eff->frac[EFF_ATTENTION] * (p->is_fp8 ? 0.5 : 1.0);
    const double gemm_f = l->recompute == RECOMPUTE_FULL ? 8.0 : 6.0;
    const double attn_f = l->recompute == RECOMPUTE_NONE ? 3.0 : 4.0;
    const double attn_layer = attn_f / 2.0 * tok * g->s * (double)a->heads * attn_core_width(a) / attn_rate;
    const double elem_layer = (l->recompute == RECOMPUTE_FULL ? 4.0 / 3.0 : 1.0) * ELEMENTWISE_BYTES * tok * g->h /
                              (p->hw.hbm_bytes_per_s * eff->frac[EFF_MATMUL]);
    const double dense_layer = gemm_f * tok * dense_layer_active(a) / gemm_rate + attn_layer + elem_layer;
    const double moe_layer = gemm_f * tok * moe_layer_active(a) / gemm_rate + attn_layer + elem_layer;
    const double head = 6.0 * tok * (double)a->vocab * g->h / gemm_rate;
    const long nm = moe_layers(a);
    const double all = (double)(a->layers - nm) * dense_layer + (double)nm * moe_layer + head;
    *attn_s = g->l_dev * attn_layer;
    return fmax(g->dense_dev * dense_layer + g->moe_dev * moe_layer, all / g->p);
}

/* Tensor/sequence-parallel collectives of one micro-batch, s (Narayanan et al. 2021 Sec. 3;
 * SP as RS + AG has the same volume, Korthikanti Sec. 4.2.2): n_coll L_dev all-reduces of
 * b s h 2 / c bytes over the t ranks (collective_s), n_coll = 4 (+2 with full recompute);
 * inside one domain that is n_coll L_dev 2 (t-1)/t b s h 2 / c / W_nvl. Exposed in full. */
static double term_tp_mb(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                         const struct geom *g)
{
    if (l->tp <= 1)
        return 0.0;
    const double n_coll = l->recompute == RECOMPUTE_FULL ? 6.0 : 4.0;
    const double bytes = n_coll * g->l_dev * g->b * g->s * g->h * BYTES_BF16 / g->c;
    return collective_s(p, eff, bytes, g->t, group_in_domain(p, g->t, 1.0), 2.0);
}

/* Context-parallel exchange of one micro-batch, s: K/V gathered forward, K/V gathered and
 * their gradients reduce-scattered backward, 3 gathers of the whole sequence's K/V,
 *   S = L_dev b s w_kv 2 / t,   w_kv = 2 g hd (MLA: a (d_qk + d_v)),
 * over the c ranks at stride t (collective_s, passes 3: 3 (c-1)/c S / W_nvl in one domain),
 * exposed only where it outlasts the attention core it overlaps: max(0, t_cp - t_attn). */
static double term_cp_mb(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                         const struct geom *g, double attn_s)
{
    if (l->cp <= 1)
        return 0.0;
    const struct arch *a = p->arch;
    const double w_kv = a->has_mla ? (double)a->heads * attn_core_width(a)
                                   : 2.0 * (double)(a->kv_heads > 0 ? a->kv_heads : a->heads) * head_dim(a);
    const double bytes = g->l_dev * g->b * g->s * w_kv * BYTES_BF16 / g->t;
    return fmax(0.0, collective_s(p, eff, bytes, g->c, group_in_domain(p, g->c, g->t), 3.0) - attn_s);
}

/* Expert-parallel all-to-all of one micro-batch, s, before overlap: per MoE layer the
 * b s / (c t) tokens of a GPU go out top_k times, dispatch (1 byte in FP8, else 2) and
 * combine (2) forward, both gradients (2 + 2) backward, (e-1)/e of it off the GPU:
 *   V = L_moe b s / (c t) k h (d_disp + 6) (e-1)/e
 * all on NVLink when e fits the domain D, else max(V_in / W_nvl, V_out / W_net) with the
 * share (e - D)/(e - 1) of the peers in other domains. */
static double term_ep_mb(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                         const struct geom *g)
{
    if (l->ep <= 1 || g->moe_dev <= 0)
        return 0.0;
    const struct arch *a = p->arch;
    const double disp = p->is_fp8 ? 1.0 : BYTES_BF16;
    const double rc = l->recompute == RECOMPUTE_FULL ? disp + BYTES_BF16 : 0.0; /* recompute forward again */
    const double vol = g->moe_dev * g->b * g->s / (g->c * g->t) * (double)a->top_k * g->h *
                       (disp + 3.0 * BYTES_BF16 + rc) * (g->e - 1.0) / g->e;
    const double dom = (double)p->hw.nvlink_domain;
    const double nvl = p->hw.nvlink_bytes_per_s * eff->frac[EFF_NETWORK];
    if (g->e <= dom)
        return vol / nvl;
    const double out = (g->e - dom) / (g->e - 1.0);
    return fmax(vol * (1.0 - out) / nvl, vol * out / (p->hw.network_bytes_per_s * eff->frac[EFF_NETWORK]));
}

/* Pipeline point-to-point of one micro-batch, s: activation forward and gradient backward
 * over each of the v chunk boundaries, split over t by scatter/gather (Narayanan Sec. 4.1):
 *   2 v b s h 2 / (t c) / W_pp   (NVLink only when the whole t c d p group fits the domain) */
static double term_pp_mb(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                         const struct geom *g)
{
    if (l->pp <= 1)
        return 0.0;
    const double bytes = 2.0 * g->v * g->b * g->s * g->h * BYTES_BF16 / (g->t * g->c);
    return bytes / group_bw(p, g->t * g->c * g->d * g->p, eff);
}

/* Pipeline bubble, in units of one micro-batch's stage time T_mb (DeepSeek-V3 report
 * Table 2 with F = 1, B = 2, W = 1 and F&B = F + B):
 *   1f1b / interleaved  (p-1)/v           zero-bubble (ZB1P)  (p-1)(F+B-2W)/(F+B) = (p-1)/3
 *   dualpipe            (p/2-1)(F&B+B-3W)/(F+B) = (p/2-1) 2/3
 * so that bubble = units x T_mb, i.e. (p-1)/(v m) of the pipelined time for 1f1b. */
static double bubble_units(const struct layout *l)
{
    const double p = (double)l->pp, v = (double)(l->interleave > 0 ? l->interleave : 1);
    if (l->pp <= 1)
        return 0.0;
    switch (l->schedule) {
    case SCHEDULE_ZERO_BUBBLE: return (p - 1.0) / 3.0;
    case SCHEDULE_DUALPIPE: return fmax(0.0, (p / 2.0 - 1.0) * 2.0 / 3.0);
    default: return (p - 1.0) / v;
    }
}

/* Data-parallel collectives of one step, in passes of S = 2 P bytes (P the parameters of
 * the device) over its data-parallel group (collective_s; one pass inside a domain is
 * (d-1)/d S / W_nvl):
 *   zero 0 all-reduce, 1 reduce-scatter + all-gather:  2
 *   zero 2 gradients reduce-scattered every micro-batch:  m + 1
 *   zero 3 + parameters all-gathered forward and backward:  3 m */
static double dp_passes(const struct layout *l, double m)
{
    switch (l->zero) {
    case 2: return m + 1.0;
    case 3: return 3.0 * m;
    default: return 2.0;
    }
}

/* Exposed data-parallel time of one step, s: dense parameters over d c ranks at stride t,
 * experts over their t d c / (e etp) ranks at stride e etp; the overlap fraction is hidden,
 * but never more than the compute there is to hide it behind:  T_dp - min(ov T_dp, T_compute). */
static double term_dp(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                      const struct geom *g, double compute_s)
{
    const double passes = dp_passes(l, g->m), dd = g->d * g->c;
    const double dense = collective_s(p, eff, BYTES_BF16 * g->dense_params, dd, group_in_domain(p, dd, g->t), passes);
    const double experts = collective_s(p, eff, BYTES_BF16 * g->expert_params, g->edp,
                                        group_in_domain(p, g->edp, g->e * g->etp), passes);
    const double t_dp = dense + experts;
    return t_dp - fmin(eff->frac[EFF_OVERLAP] * t_dp, compute_s);
}

/* Optimizer step, s: memory bound, BYTES_OPT_STEP bytes per parameter the device updates
 * (its share 1/d when the optimizer is sharded, zero >= 1), at nominal HBM bandwidth. */
static double term_optimizer(const struct layout_problem *p, const struct layout *l, const struct geom *g)
{
    const double dense = l->zero >= 1 ? g->dense_params / (g->d * g->c) : g->dense_params;
    const double experts = l->zero >= 1 ? g->expert_params / g->edp : g->expert_params;
    return p->hw.hbm_bytes_per_s > 0 ? BYTES_OPT_STEP * (dense + experts) / p->hw.hbm_bytes_per_s : 0.0;
}

void layout_step(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                 struct layout_time *out)
{
    struct geom g;
    geom_of(p, l, &g);
    double attn_s = 0.0;
    const double compute_mb = term_compute_mb(p, l, eff, &g, &attn_s);
    const double tp_mb = term_tp_mb(p, l, eff, &g);
    const double cp_mb = term_cp_mb(p, l, eff, &g, attn_s);
    const double ep_mb = term_ep_mb(p, l, eff, &g);
    /* EP all-to-all: DualPipe overlaps it with the other micro-batch's compute (the overlap
     * fraction is hidden, never more than that compute); 1F1B-type schedules run it in line. */
    const double ep_hidden = l->schedule == SCHEDULE_DUALPIPE ? fmin(eff->frac[EFF_OVERLAP] * ep_mb, compute_mb) : 0.0;
    const double ep_exposed_mb = ep_mb - ep_hidden;
    const double stage_mb = compute_mb + tp_mb + cp_mb + ep_exposed_mb;

    out->compute_s = g.m * compute_mb;
    out->tp_s = g.m * tp_mb;
    out->cp_s = g.m * cp_mb;
    out->ep_s = g.m * ep_exposed_mb;
    out->pp_s = g.m * term_pp_mb(p, l, eff, &g);
    out->bubble_s = bubble_units(l) * stage_mb;
    out->dp_s = term_dp(p, l, eff, &g, out->compute_s);
    out->optimizer_s = term_optimizer(p, l, &g);
    out->step_s = out->compute_s + out->bubble_s + out->tp_s + out->pp_s + out->dp_s + out->ep_s + out->cp_s +
                  out->optimizer_s;
    out->tokens_per_gpu_s = (double)p->global_batch_seqs * (double)p->seq_len / out->step_s / (double)p->count;
    out->mfu = arch_model_flops_per_token(p->arch, p->seq_len) * out->tokens_per_gpu_s / p->hw.peak_flops;
}

/* ---- Memory */

/* Activations of the device, bytes: per layer per micro-batch (Korthikanti Table 2, with SP)
 *   none 34 s b h / (t c) + 5 a s^2 b / (t c),  selective 34 s b h / (t c),
 *   full 2 s b h / (t c) (+ one layer's 34 s b h / (t c) while it is recomputed),
 * times L_dev, times the micro-batches in flight on the first stage: min(m, p), x (1 + (p-1)/(p v))
 * interleaved (Korthikanti Sec. 4.2.3), min(m, p + 1) for DualPipe (DeepSeek-V3 Table 2).
 * An fp8 stage keeps the GEMM inputs in one byte: 34 becomes 27 (ACT_GEMM_INPUTS). */
static double mem_activations(const struct layout_problem *p, const struct layout *l, const struct geom *g)
{
    const double sbh = g->s * g->b * g->h / (g->t * g->c);
    const double kept = p->is_fp8 ? ACT_SELECTIVE - ACT_GEMM_INPUTS / 2 : ACT_SELECTIVE;
    double per_layer, extra = 0.0;
    switch (l->recompute) {
    case RECOMPUTE_NONE: per_layer = kept * sbh + ACT_SCORES * (double)p->arch->heads * g->s * g->s * g->b / (g->t * g->c); break;
    case RECOMPUTE_FULL: per_layer = ACT_FULL * sbh, extra = kept * sbh; break;
    default: per_layer = kept * sbh; break;
    }
    double in_flight = fmin(g->m, g->p);
    if (l->schedule == SCHEDULE_DUALPIPE)
        in_flight = fmin(g->m, g->p + 1.0);
    else if (g->v > 1.0 && g->p > 1.0)
        in_flight *= 1.0 + (g->p - 1.0) / (g->p * g->v);
    return per_layer * g->l_dev * in_flight + extra;
}

void layout_memory(const struct layout_problem *p, const struct layout *l, struct layout_memory *out)
{
    struct geom g;
    geom_of(p, l, &g);
    const double copies = l->schedule == SCHEDULE_DUALPIPE ? 2.0 : 1.0; /* DualPipe keeps two */
    const double dense = copies * g.dense_params, experts = copies * g.expert_params;
    const double dd = g.d * g.c, de = g.edp;
    out->weights = BYTES_BF16 * (l->zero >= 3 ? dense / dd + experts / de : dense + experts);
    out->gradients = BYTES_GRAD * (l->zero >= 2 ? dense / dd + experts / de : dense + experts);
    out->optimizer = BYTES_OPTIM * (l->zero >= 1 ? dense / dd + experts / de : dense + experts);
    out->activations = mem_activations(p, l, &g);
    /* fp32 logits and their gradient on the last stage, plus a fixed workspace. */
    out->buffers = 2.0 * 4.0 * g.b * g.s * (double)p->arch->vocab / (g.t * g.c) + WORKSPACE_BYTES;
    out->total = out->weights + out->gradients + out->optimizer + out->activations + out->buffers;
}

/* ---- Validity */

unsigned layout_check(const struct layout_problem *p, const struct layout *l)
{
    const struct arch *a = p->arch;
    unsigned bad = 0;
    const long mp = l->tp * l->pp * l->cp;
    if (l->tp < 1 || l->pp < 1 || l->cp < 1 || l->ep < 1 || l->microbatch < 1 || l->interleave < 1 || mp < 1)
        return 1u << LAYOUT_COUNT_NOT_DIVISIBLE;
    /* the rules that do not need dp hold whatever the count */
    if (a->heads % l->tp != 0)
        bad |= 1u << LAYOUT_HEADS_NOT_DIVISIBLE;
    if (l->ep > 1 && (a->experts == 0 || a->experts % l->ep != 0))
        bad |= 1u << LAYOUT_EXPERTS_NOT_DIVISIBLE;
    if (l->pp * l->interleave > a->layers)
        bad |= 1u << LAYOUT_TOO_MANY_STAGES;
    if (l->cp > 1 && p->seq_len % (2 * l->cp) != 0)
        bad |= 1u << LAYOUT_CP_NOT_DIVISIBLE;
    if (p->count % mp != 0 || (l->dp > 0 && l->dp != p->count / mp))
        return bad | 1u << LAYOUT_COUNT_NOT_DIVISIBLE; /* the others need dp */
    const long dp = p->count / mp;
    if ((l->tp * dp) % l->ep != 0)
        bad |= 1u << LAYOUT_EP_NOT_IN_DP;
    if (p->global_batch_seqs % (dp * l->microbatch) != 0)
        bad |= 1u << LAYOUT_BATCH_NOT_DIVISIBLE;
    else if (l->pp > 1 && p->global_batch_seqs / (dp * l->microbatch) < l->pp)
        bad |= 1u << LAYOUT_TOO_FEW_MICROBATCHES;
    return bad;
}

/* ---- layout: auto */

/* Fastest first; ties (within 1e-9) the smaller tp x pp, then a fixed order of the rest so
 * the ranking is reproducible. */
static int candidate_cmp(const void *x, const void *y)
{
    const struct layout_candidate *a = x, *b = y;
    const double ra = a->t.tokens_per_gpu_s, rb = b->t.tokens_per_gpu_s;
    if (fabs(ra - rb) > 1e-9 * fmax(ra, rb))
        return ra > rb ? -1 : 1;
    const long ka[] = {a->l.tp * a->l.pp, a->l.tp, a->l.pp, a->l.cp, a->l.ep, a->l.microbatch, a->l.interleave,
                       a->l.recompute, a->l.zero};
    const long kb[] = {b->l.tp * b->l.pp, b->l.tp, b->l.pp, b->l.cp, b->l.ep, b->l.microbatch, b->l.interleave,
                       b->l.recompute, b->l.zero};
    for (size_t i = 0; i < sizeof ka / sizeof ka[0]; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

static int lowest_bit(unsigned bits)
{
    int r = 0;
    while (!(bits & 1u)) {
        bits >>= 1;
        r++;
    }
    return r;
}

/* The search space (docs/throughput.md): tp, pp, cp, ep, microbatch and interleave over the
 * powers of two (tp <= 64, pp <= 64, cp <= 8, ep <= experts, microbatch <= 8, interleave
 * <= 8 and only with pp > 1 for 1f1b/interleaved), recompute none/selective/full, zero
 * 0-3. With base, its schedule and sequence_parallel are kept (interleave 1 unless the
 * schedule is 1f1b/interleaved); without, interleave 1 is 1f1b and > 1 interleaved. */
int layout_enumerate(const struct layout_problem *p, const struct layout *base, const struct layout_eff *eff,
                     struct layout_candidate **out, long n_rejected[LAYOUT_REASON_COUNT])
{
    const struct arch *a = p->arch;
    const bool interleaves = !base || base->schedule == SCHEDULE_1F1B || base->schedule == SCHEDULE_INTERLEAVED;
    const long ep_max = a->experts > 0 ? a->experts : 1;
    for (int r = 0; r < LAYOUT_REASON_COUNT; r++)
        n_rejected[r] = 0;
    size_t n = 0, cap = 256;
    struct layout_candidate *c = xmalloc(cap * sizeof *c);
    for (long tp = 1; tp <= 64; tp *= 2)
        for (long pp = 1; pp <= 64; pp *= 2)
            for (long cp = 1; cp <= 8; cp *= 2)
                for (long ep = 1; ep <= ep_max; ep *= 2)
                    for (long mb = 1; mb <= 8; mb *= 2)
                        for (long v = 1; v <= (interleaves && pp > 1 ? 8 : 1); v *= 2)
                            for (int rc = 0; rc < RECOMPUTE_COUNT; rc++)
                                for (int z = 0; z <= 3; z++) {
                                    /* 1F1B and interleaved are one family, told apart by v (as the loader
                                     * requires); zero-bubble and DualPipe keep v = 1 */
                                    struct layout l = {
                                        .tp = tp, .pp = pp, .cp = cp, .ep = ep, .dp = 0, .microbatch = mb,
                                        .interleave = v, .recompute = (enum layout_recompute)rc, .zero = z,
                                        .schedule = !interleaves ? base->schedule
                                                    : v > 1      ? SCHEDULE_INTERLEAVED
                                                                 : SCHEDULE_1F1B,
                                        .sequence_parallel = tp > 1 };
                                    unsigned bad = layout_check(p, &l);
                                    if (bad) {
                                        n_rejected[lowest_bit(bad)]++;
                                        continue;
                                    }
                                    l.dp = resolved_dp(p, &l);
                                    struct layout_memory mem;
                                    layout_memory(p, &l, &mem);
                                    if (p->hw.memory_bytes > 0 && mem.total > p->hw.memory_bytes) {
                                        n_rejected[LAYOUT_MEMORY]++;
                                        continue;
                                    }
                                    if (n == cap) {
                                        cap *= 2;
                                        c = xrealloc(c, cap * sizeof *c);
                                    }
                                    c[n].l = l;
                                    c[n].mem = mem;
                                    layout_step(p, &l, eff, &c[n].t);
                                    n++;
                                }
    if (n == 0) {
        free(c);
        *out = NULL;
        return 0;
    }
    qsort(c, n, sizeof *c, candidate_cmp);
    *out = c;
    return (int)n;
}
