/*
 * arch.h - a transformer's architecture as plain data, and what follows from it alone:
 * parameter counts and model FLOPs per token (DESIGN 8). Filled by load/arch.c from
 * workload.architecture, a model card's architecture: or a Hugging Face config.json.
 */
#ifndef TS_CORE_ARCH_H
#define TS_CORE_ARCH_H

#include <stdbool.h>

enum ffn_kind { FFN_SWIGLU, FFN_GELU };   /* 3 FFN matrices (gated) or 2 */

struct arch {
    long layers, hidden, ffn_hidden;      /* ffn_hidden: dense FFN intermediate size */
    enum ffn_kind ffn_kind;
    long heads, kv_heads, head_dim;       /* kv_heads < heads: GQA/MQA; head_dim default hidden/heads */
    long vocab;
    bool tied_embeddings;
    /* MoE (experts == 0: dense) */
    long experts, top_k, shared_experts, expert_ffn_hidden, dense_layers;
    /* MLA (DeepSeek-V2/V3); has_mla false: ordinary multi-head/GQA attention */
    bool has_mla;
    long q_lora_rank, kv_lora_rank, rope_head_dim, nope_head_dim, v_head_dim;
};

/* Parameters of the architecture: all of them, and those one token passes through (active:
 * routed top_k + shared experts for MoE). Embedding and LM head included (counted once when
 * tied). */
double arch_params_total(const struct arch *a);
double arch_params_active(const struct arch *a);

/* Model FLOPs per token (DESIGN 8, the PaLM convention): 6 x matmul parameters a token passes
 * through (active for MoE, LM head included, embedding lookup excluded) plus
 * 12 x layers x seq_len x heads x head_dim for attention. */
double arch_model_flops_per_token(const struct arch *a, long seq_len);

#endif
