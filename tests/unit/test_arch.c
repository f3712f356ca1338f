/*
 * test_arch.c - parameter counts and model FLOPs per token (core/arch.h) against hand
 * calculations and the published counts.
 *
 * The architectures are those of the models' config.json files (tests/data/hf/) or papers;
 * every expected number is worked out in the comment above its check. "HF" counts are the
 * sums of the tensors of the published checkpoints (Hugging Face model pages, safetensors
 * metadata), which the hand counts must match exactly where the schema covers every tensor.
 */
#include <string.h>

#include "check.h"
#include "core/arch.h"

/* Llama-2-7B (meta-llama/Llama-2-7b-hf config.json): 32 layers, hidden 4096, SwiGLU 11008,
 * 32 heads (no GQA), vocab 32000, untied. */
static struct arch llama2_7b(void)
{
    return (struct arch){ .layers = 32, .hidden = 4096, .ffn_hidden = 11008, .ffn_kind = FFN_SWIGLU, .heads = 32,
                          .kv_heads = 32, .head_dim = 128, .vocab = 32000 };
}

static void test_llama2_7b(void)
{
    const struct arch a = llama2_7b();
    /* Per layer: attention 4 x 4096^2 = 67,108,864; FFN 3 x 4096 x 11008 = 135,266,304;
     * two RMSNorms 2 x 4096 = 8,192; sum 202,383,360. x 32 = 6,476,267,520. Embedding and
     * head 2 x 32000 x 4096 = 262,144,000; final norm 4,096. Total 6,738,415,616, the HF
     * count of the checkpoint ("7B", 6.74B in the Llama 2 paper's Table 1 family). */
    CHECK_ABS(arch_params_total(&a), 6738415616.0, 0.5);
    CHECK_ABS(arch_params_active(&a), 6738415616.0, 0.5);
    /* FLOPs at seq 4096: matmul params = total - norms - embedding table
     *   = 6,738,415,616 - (32 x 8,192 + 4,096) - 131,072,000 = 6,607,077,376;
     * 6 x that = 39,642,464,256; attention 12 x 32 x 4096 x 32 x 128 = 6,442,450,944.
     * Sum 46,084,915,200. */
    CHECK_ABS(arch_model_flops_per_token(&a, 4096), 46084915200.0, 1);
}

static void test_llama31_405b(void)
{
    /* meta-llama/Llama-3.1-405B config.json: 126 layers, hidden 16384, ffn 53248, 128 heads,
     * 8 KV heads, head_dim 128, vocab 128256, untied. */
    const struct arch a = { .layers = 126, .hidden = 16384, .ffn_hidden = 53248, .heads = 128, .kv_heads = 8,
                            .head_dim = 128, .vocab = 128256 };
    /* Per layer: Q and O 2 x 16384^2 = 536,870,912; K and V 2 x 16384 x 1024 = 33,554,432;
     * FFN 3 x 16384 x 53248 = 2,617,245,696; norms 32,768; sum 3,187,703,808. x 126 =
     * 401,650,679,808. Embedding and head 2 x 128256 x 16384 = 4,202,692,608; final norm
     * 16,384. Total 405,853,388,800 (HF: 405.85B; the paper's "405B"). */
    CHECK_ABS(arch_params_total(&a), 405853388800.0, 0.5);
    CHECK_NEAR(arch_params_total(&a), 405e9, 0.003);
    /* FLOPs at seq 8192: matmul = 405,853,388,800 - 126 x 32,768 - 16,384 - 2,101,346,304
     * = 403,747,897,344 -> x 6 = 2,422,487,384,064; attention 12 x 126 x 8192 x 128 x 128
     * = 202,937,204,736. Sum 2,625,424,588,800. Over 15.6T tokens that is 4.10e25, 8 % above
     * the paper's 3.8e25 (Llama 3 paper Sec.3.2.1; its own FLOP convention is not given). */
    CHECK_ABS(arch_model_flops_per_token(&a, 8192), 2625424588800.0, 1);
}

static void test_mixtral(void)
{
    /* mistralai/Mixtral-8x7B-v0.1 config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads,
     * 8 local experts of intermediate 14336, 2 per token, vocab 32000, untied. */
    const struct arch a = { .layers = 32, .hidden = 4096, .ffn_hidden = 14336, .heads = 32, .kv_heads = 8,
                            .head_dim = 128, .vocab = 32000, .experts = 8, .top_k = 2, .expert_ffn_hidden = 14336 };
    /* Per layer: attention 2 x 4096^2 + 2 x 4096 x 1024 = 41,943,040; router 4096 x 8 =
     * 32,768; expert 3 x 4096 x 14336 = 176,160,768, x 8 = 1,409,286,144; norms 8,192.
     * Sum 1,451,270,144, x 32 = 46,440,644,608; + 262,144,000 + 4,096 = 46,702,792,704
     * (HF 46.7B; Mistral: "46.7B total"). Active: 2 experts 352,321,536 + 41,943,040 +
     * 32,768 + 8,192 = 394,305,536, x 32 = 12,617,777,152, + 262,148,096 = 12,879,925,248
     * (Mistral: "12.9B active"). */
    CHECK_ABS(arch_params_total(&a), 46702792704.0, 0.5);
    CHECK_ABS(arch_params_active(&a), 12879925248.0, 0.5);
    CHECK_NEAR(arch_params_total(&a), 46.7e9, 0.001);
    CHECK_NEAR(arch_params_active(&a), 12.9e9, 0.002);
}

static struct arch deepseek_v3(void)
{
    /* deepseek-ai/DeepSeek-V3 config.json: 61 layers (first 3 dense of 18432), hidden 7168,
     * 128 heads, MLA q_lora 1536, kv_lora 512, rope 64, nope 128, v 128; 256 routed experts
     * of 2048, 8 per token, 1 shared; vocab 129280, untied. */
    return (struct arch){ .layers = 61, .hidden = 7168, .ffn_hidden = 18432, .heads = 128, .kv_heads = 128,
                          .head_dim = 192, .vocab = 129280, .experts = 256, .top_k = 8, .shared_experts = 1,
                          .expert_ffn_hidden = 2048, .dense_layers = 3, .has_mla = true, .q_lora_rank = 1536,
                          .kv_lora_rank = 512, .rope_head_dim = 64, .nope_head_dim = 128, .v_head_dim = 128 };
}

static void test_deepseek_v3(void)
{
    const struct arch a = deepseek_v3();
    /* MLA per layer: q_a 7168 x 1536 = 11,010,048; q_b 1536 x 128 x 192 = 37,748,736;
     * kv_a 7168 x 576 = 4,128,768; kv_b 512 x 128 x 256 = 16,777,216; o 16384 x 7168 =
     * 117,440,512; latent norms 1536 + 512; sum 187,107,328. Layer norms 14,336.
     * Dense layer FFN 3 x 7168 x 18432 = 396,361,728. MoE layer: router 7168 x 256 =
     * 1,835,008; expert 3 x 7168 x 2048 = 44,040,192, x (256 + 1) = 11,318,329,344.
     * Total = 61 x (187,107,328 + 14,336) + 3 x 396,361,728 + 58 x 11,320,164,352
     *       + 2 x 129280 x 7168 + 7168
     *       = 11,414,421,504 + 1,189,085,184 + 656,569,532,416 + 1,853,358,080 + 7,168
     *       = 671,026,404,352 (DeepSeek: 671B without the 14B MTP module; HF 685B with it). */
    CHECK_ABS(arch_params_total(&a), 671026404352.0, 0.5);
    CHECK_NEAR(arch_params_total(&a), 671e9, 0.001);
    /* Active: MoE layer router + 9 experts = 1,835,008 + 396,361,728 = 398,196,736, x 58 =
     * 23,095,410,688; + 11,414,421,504 + 1,189,085,184 + 1,853,358,080 + 7,168 =
     * 37,552,282,624 (DeepSeek: "37B activated"; 1.5 % above, the embedding table included). */
    CHECK_ABS(arch_params_active(&a), 37552282624.0, 0.5);
    CHECK_NEAR(arch_params_active(&a), 37e9, 0.02);
    /* FLOPs at seq 4096: matmul = active - norms (61 x 16,384 + 7,168 = 1,006,592) - embedding
     * table 926,679,040 = 36,624,596,992, x 6 = 219,747,581,952; attention with the mean head
     * dim (128 + 64 + 128) / 2 = 160: 12 x 61 x 4096 x 128 x 160 = 61,404,610,560.
     * Sum 281,152,192,512. */
    CHECK_ABS(arch_model_flops_per_token(&a, 4096), 281152192512.0, 1);
}

static void test_deepseek_v2_lite(void)
{
    /* deepseek-ai/DeepSeek-V2-Lite config.json: 27 layers (first 1 dense of 10944), hidden
     * 2048, 16 heads, q_lora_rank null (no q compression), kv_lora 512, rope 64, nope 128,
     * v 128; 64 routed experts of 1408, 6 per token, 2 shared; vocab 102400, untied.
     * Published (DeepSeek-V2 paper, Appendix B): 15.7B total, 2.4B activated. */
    struct arch a = deepseek_v3();
    a.layers = 27;
    a.hidden = 2048;
    a.ffn_hidden = 10944;
    a.heads = 16;
    a.kv_heads = 16;
    a.vocab = 102400;
    a.experts = 64;
    a.top_k = 6;
    a.shared_experts = 2;
    a.expert_ffn_hidden = 1408;
    a.dense_layers = 1;
    a.q_lora_rank = 0;
    /* MLA per layer: q 2048 x 16 x 192 = 6,291,456; kv_a 2048 x 576 = 1,179,648; kv norm 512;
     * kv_b 512 x 16 x 256 = 2,097,152; o 2048 x 2048 = 4,194,304; sum 13,763,072; + layer
     * norms 4,096 = 13,767,168, x 27 = 371,713,536. Dense FFN 3 x 2048 x 10944 = 67,239,936.
     * MoE: router 2048 x 64 = 131,072 + 66 experts x 3 x 2048 x 1408 (8,650,752 each) =
     * 571,080,704, x 26 = 14,848,098,304. Embedding and head 419,430,400; final norm 2,048.
     * Total 371,713,536 + 67,239,936 + 14,848,098,304 + 419,430,400 + 2,048 = 15,706,484,224
     * (15.7B). Active: 131,072 + 8 x 8,650,752 = 69,337,088, x 26 = 1,802,764,288;
     * + 371,713,536 + 67,239,936 + 419,432,448 = 2,661,150,208. The paper's 2.4B is between
     * this count without the embedding and head (2.24B) and with them (2.66B): its convention
     * is not stated, so only our own count is checked. */
    CHECK_ABS(arch_params_total(&a), 15706484224.0, 0.5);
    CHECK_NEAR(arch_params_total(&a), 15.7e9, 0.001);
    CHECK_ABS(arch_params_active(&a), 2661150208.0, 0.5);
}

static void test_gpt2(void)
{
    /* openai-community/gpt2 config.json: 12 layers, n_embd 768, n_inner null (4 x 768 =
     * 3072), 12 heads, vocab 50257, tied; GELU block: biases on every linear layer,
     * LayerNorms with gain and bias. Per layer: c_attn 768 x 2304 + 2304 = 1,771,776; attn
     * c_proj 589,824 + 768 = 590,592; c_fc 2,359,296 + 3072 = 2,362,368; mlp c_proj
     * 2,359,296 + 768 = 2,360,064; ln_1 and ln_2 4 x 768 = 3,072; sum 7,087,872, x 12 =
     * 85,054,464. Tied wte 50257 x 768 = 38,597,376; ln_f 1,536. Total 123,653,376: the HF
     * count 124,439,808 less wpe (1024 x 768 = 786,432 learned positions, not in the schema). */
    const struct arch a = { .layers = 12, .hidden = 768, .ffn_hidden = 3072, .ffn_kind = FFN_GELU, .heads = 12,
                            .kv_heads = 12, .head_dim = 64, .vocab = 50257, .tied_embeddings = true };
    CHECK_ABS(arch_params_total(&a), 123653376.0, 0.5);
    CHECK_NEAR(arch_params_total(&a), 124439808.0, 0.007);
    /* FLOPs at seq 1024 with the tied head: matmul = 12 x (1,769,472 + 589,824 + 2 x
     * 2,359,296) + 38,597,376 = 84,934,656 + 38,597,376 = 123,532,032, x 6 = 741,192,192;
     * attention 12 x 12 x 1024 x 12 x 64 = 113,246,208. Sum 854,438,400. */
    CHECK_ABS(arch_model_flops_per_token(&a, 1024), 854438400.0, 1);
}

static void test_tied_and_dense_layers(void)
{
    /* Tying removes one vocab x hidden table from the count but not from the FLOPs. */
    struct arch a = llama2_7b();
    const double untied = arch_params_total(&a), f_untied = arch_model_flops_per_token(&a, 2048);
    a.tied_embeddings = true;
    CHECK_ABS(untied - arch_params_total(&a), 32000.0 * 4096, 0.5);
    CHECK_ABS(arch_model_flops_per_token(&a, 2048), f_untied, 1);
    /* MoE with every layer dense is the dense model plus nothing (no router, no experts). */
    struct arch m = llama2_7b();
    m.experts = 4;
    m.top_k = 1;
    m.expert_ffn_hidden = 1000;
    m.dense_layers = m.layers;
    CHECK_ABS(arch_params_total(&m), 6738415616.0, 0.5);
    /* One MoE layer of 4 experts of 1000, top 1, 1 shared, in place of a dense FFN:
     * - 3 x 4096 x 11008 + 4096 x 4 + (4 + 1) x 3 x 4096 x 1000 = 6,738,415,616
     *   - 135,266,304 + 16,384 + 61,440,000 = 6,664,605,696; active: 2 experts, 24,576,000
     *   instead of 61,440,000 = 6,627,741,696. */
    m.dense_layers = 31;
    m.shared_experts = 1;
    CHECK_ABS(arch_params_total(&m), 6664605696.0, 0.5);
    CHECK_ABS(arch_params_active(&m), 6627741696.0, 0.5);
}

int main(void)
{
    test_llama2_7b();
    test_llama31_405b();
    test_mixtral();
    test_deepseek_v3();
    test_deepseek_v2_lite();
    test_gpt2();
    test_tied_and_dense_layers();
    return CHECK_EXIT();
}
