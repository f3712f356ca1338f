/*
 * arch.c - parameter counts and model FLOPs per token of a transformer's architecture
 * (DESIGN 8), from struct arch alone.
 *
 * A decoder-only transformer is counted as: the token embedding (vocab x hidden); per layer
 * an attention block, a feed-forward block (dense, or MoE with a router, routed and shared
 * experts) and two norms; a final norm; and the LM head (vocab x hidden, nothing extra when
 * tied to the embedding). Conventions the data cannot tell apart, stated once here:
 *  - ffn_kind gelu is the GPT-2 family's block: every linear layer has a bias and the norms
 *    are LayerNorms (gain and bias, 2 x width); swiglu is the Llama family's: no biases,
 *    RMSNorms (gain only). Biases and norms are under 0.2 % of any model counted here.
 *  - Learned absolute position embeddings (GPT-2, OPT: positions x hidden) have no field in
 *    struct arch and are not counted: GPT-2 124M counts 0.6 % low for it.
 *  - MoE: each of the layers - dense_layers MoE layers has a router (hidden x experts), the
 *    routed experts and shared_experts shared ones, all of width expert_ffn_hidden and of
 *    the block of ffn_kind. A token passes through the router, top_k routed experts and the
 *    shared ones.
 *  - MLA (DeepSeek-V2/V3): queries through a low-rank q_lora_rank bottleneck (or one
 *    hidden x heads x (nope + rope) matrix when q_lora_rank is 0, as in DeepSeek-V2-Lite),
 *    keys and values through a kv_lora_rank latent plus one shared rope key, with norms on
 *    both latents; kv_heads and head_dim are not used.
 * Knows nothing of layouts or hardware (core/layout.c) or of YAML (load/arch.c).
 */
#include "core/arch.h"

/* Weights of one block split by what they are: matrix entries (what a matmul multiplies)
 * and vectors (biases, norm gains), so that FLOPs can count the first alone. */
struct params {
    double matrix, vector;
};

static struct params params_add(struct params a, struct params b)
{
    return (struct params){ a.matrix + b.matrix, a.vector + b.vector };
}

static struct params params_scale(struct params a, double k)
{
    return (struct params){ k * a.matrix, k * a.vector };
}

/* A linear layer in x out, with a bias when the architecture has them (ffn_kind gelu). */
static struct params linear(const struct arch *a, double in, double out)
{
    return (struct params){ in * out, a->ffn_kind == FFN_GELU ? out : 0 };
}

/* A norm over width channels: LayerNorm (gain, bias) with gelu, RMSNorm (gain) with swiglu. */
static struct params norm(const struct arch *a, double width)
{
    return (struct params){ 0, (a->ffn_kind == FFN_GELU ? 2 : 1) * width };
}

/* Multi-head attention with kv_heads key/value heads (GQA/MQA when fewer than heads):
 * Q (hidden -> heads x head_dim), K and V (hidden -> kv_heads x head_dim), O back. */
static struct params attention_mha(const struct arch *a)
{
    const double q = (double)a->heads * (double)a->head_dim, kv = (double)a->kv_heads * (double)a->head_dim;
    const double d = (double)a->hidden;
    struct params p = linear(a, d, q);
    p = params_add(p, params_scale(linear(a, d, kv), 2));
    return params_add(p, linear(a, q, d));
}

/* Multi-head latent attention (DeepSeek-V2 Sec.2.1, as in the models' modeling code):
 *   q:  hidden -> q_lora_rank (norm) -> heads x (nope + rope), or hidden -> heads x (nope + rope)
 *   kv: hidden -> kv_lora_rank + rope (the latent, normed, and one shared rope key),
 *       kv_lora_rank -> heads x (nope + v)
 *   o:  heads x v -> hidden */
static struct params attention_mla(const struct arch *a)
{
    const double d = (double)a->hidden, h = (double)a->heads;
    const double qk_head = (double)(a->nope_head_dim + a->rope_head_dim), r_q = (double)a->q_lora_rank;
    const double r_kv = (double)a->kv_lora_rank;
    struct params p = { 0, 0 };
    if (a->q_lora_rank > 0) {
        p = params_add(linear(a, d, r_q), norm(a, r_q));
        p = params_add(p, linear(a, r_q, h * qk_head));
    } else {
        p = linear(a, d, h * qk_head);
    }
    p = params_add(p, linear(a, d, r_kv + (double)a->rope_head_dim));
    p = params_add(p, norm(a, r_kv));
    p = params_add(p, linear(a, r_kv, h * (double)(a->nope_head_dim + a->v_head_dim)));
    return params_add(p, linear(a, h * (double)a->v_head_dim, d));
}

/* A feed-forward block of intermediate width w: gate, up and down (swiglu) or up and down (gelu). */
static struct params ffn(const struct arch *a, double w)
{
    const double d = (double)a->hidden;
    struct params p = linear(a, d, w);
    if (a->ffn_kind == FFN_SWIGLU)
        p = params_add(p, linear(a, d, w));
    return params_add(p, linear(a, w, d));
}

/* The MoE feed-forward block a token sees: the router and n_routed of the routed experts
 * (all of them for the total, top_k for the active count), plus the shared experts. */
static struct params moe_ffn(const struct arch *a, double n_routed)
{
    const struct params router = { (double)a->hidden * (double)a->experts, 0 };
    const struct params expert = ffn(a, (double)a->expert_ffn_hidden);
    return params_add(router, params_scale(expert, n_routed + (double)a->shared_experts));
}

/* Every weight a token passes through (active) or that the model has (!active), embedding
 * table and LM head included (the head counted once when tied). */
static struct params count(const struct arch *a, bool active)
{
    const double d = (double)a->hidden, v = (double)a->vocab;
    const struct params attn = a->has_mla ? attention_mla(a) : attention_mha(a);
    const struct params layer_base = params_add(attn, norm(a, d * 2));
    const long moe_layers = a->experts > 0 ? a->layers - a->dense_layers : 0;
    const long dense_layers = a->layers - moe_layers;
    struct params p = params_scale(params_add(layer_base, ffn(a, (double)a->ffn_hidden)), (double)dense_layers);
    if (moe_layers > 0) {
        const double n_routed = (double)(active ? a->top_k : a->experts);
        p = params_add(p, params_scale(params_add(layer_base, moe_ffn(a, n_routed)), (double)moe_layers));
    }
    p = params_add(p, norm(a, d));
    p.matrix += v * d * (a->tied_embeddings ? 1 : 2);
    return p;
}

double arch_params_total(const struct arch *a)
{
    const struct params p = count(a, false);
    return p.matrix + p.vector;
}

double arch_params_active(const struct arch *a)
{
    const struct params p = count(a, true);
    return p.matrix + p.vector;
}

/* PaLM (Chowdhery et al. 2022, Appendix B): 6 N + 12 L H Q T per token, N the matmul
 * parameters a token passes through, H heads, Q head dim, T sequence length (full, not
 * causal, attention). Here N = the active matrices without the embedding lookup (a gather,
 * not a matmul) but with the LM head, which multiplies even when tied. The 12 is 3 (forward
 * and backward) x 2 (multiply-add) x 2 (scores Q K^T and the weighted sum with V), each
 * of head dim Q; MLA's scores use nope + rope and its sum uses v_head_dim, so Q is their mean
 * (nope + rope + v) / 2 (160 for DeepSeek-V3). */
double arch_model_flops_per_token(const struct arch *a, long seq_len)
{
    const struct params p = count(a, true);
    const double v = (double)a->vocab, d = (double)a->hidden;
    const double matmul = p.matrix - (a->tied_embeddings ? 0 : v * d);
    const double q = a->has_mla ? (double)(a->nope_head_dim + a->rope_head_dim + a->v_head_dim) / 2
                                : (double)a->head_dim;
    return 6 * matmul + 12 * (double)a->layers * (double)seq_len * (double)a->heads * q;
}
