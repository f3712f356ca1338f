/*
 * test_load_arch.c - the architecture reader (load/arch.h): `architecture:` mappings, the
 * Hugging Face config.json files of tests/data/hf/ (argv[1]) and their published counts,
 * overrides over a config.json and over a model card's architecture, and the diagnostics.
 *
 * Expected counts are the models' published ones; where the checkpoint's tensor sum is known
 * (Hugging Face model pages) the count is checked exactly and the difference explained. The
 * per-block arithmetic is in tests/unit/test_arch.c; here each count is the sum of the blocks
 * a config.json describes, worked out in the comment above the check.
 */
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "dbuf.h"
#include "core/arch.h"
#include "load/arch.h"
#include "load/catalog.h"
#include "load/ytree.h"
#include "util/diag.h"

static const char *hf_dir = "tests/data/hf";

/* Reads 'yaml' (an architecture mapping) as if written in a file in tests/data/hf, so that
 * hf_config names resolve there. Returns load_arch's verdict; *msgs gets the diagnostics. */
static bool read_arch(struct dbuf *b, const char *yaml, const struct arch *base, struct arch *out)
{
    char name[4096];
    snprintf(name, sizeof name, "%s/scenario.yaml", hf_dir);
    struct ynode *root = ytree_parse(&b->d, name, yaml, strlen(yaml), 0);
    if (!root)
        return false;
    struct schema c = { .diag = &b->d };
    const bool ok = load_arch(&c, root, "workload.architecture", base, out);
    ytree_free(root);
    fflush(b->f);
    return ok;
}

/* Loads one file of tests/data/hf and checks that it reads without a message. */
static struct arch hf(const char *file)
{
    struct dbuf b;
    dbuf_open(&b);
    char yaml[256];
    snprintf(yaml, sizeof yaml, "hf_config: %s\n", file);
    struct arch a;
    const bool ok = read_arch(&b, yaml, NULL, &a);
    CHECK(ok);
    CHECK(b.len == 0);
    if (b.len)
        fprintf(stderr, "%s: %s", file, b.buf);
    CHECK(load_arch_complete(&a));
    dbuf_close(&b);
    return a;
}

static void test_hf_dense(void)
{
    /* Llama-2-7B: the count of tests/unit/test_arch.c, 6,738,415,616 (HF, exact). */
    struct arch a = hf("llama-2-7b.json");
    CHECK(a.layers == 32 && a.hidden == 4096 && a.heads == 32 && a.kv_heads == 32 && a.head_dim == 128);
    CHECK(a.ffn_kind == FFN_SWIGLU && !a.tied_embeddings && a.experts == 0 && !a.has_mla);
    CHECK_ABS(arch_params_total(&a), 6738415616.0, 0.5);
    /* Llama-3.1-8B: attention 2 x 4096^2 + 2 x 4096 x 1024 = 41,943,040; FFN 3 x 4096 x
     * 14336 = 176,160,768; norms 8,192; x 32 = 6,979,584,000; + 2 x 128256 x 4096 =
     * 1,050,673,152 + 4,096 = 8,030,261,248 (HF, exact; "8B"). */
    a = hf("llama-3.1-8b.json");
    CHECK(a.kv_heads == 8);
    CHECK_ABS(arch_params_total(&a), 8030261248.0, 0.5);
    /* Llama-3.1-405B: 405,853,388,800 (tests/unit/test_arch.c). */
    a = hf("llama-3.1-405b.json");
    CHECK_ABS(arch_params_total(&a), 405853388800.0, 0.5);
    /* Mistral-7B-v0.1: Mixtral's attention 41,943,040 + one FFN of 14336 (176,160,768) + norms
     * 8,192 = 218,112,000, x 32 = 6,979,584,000; + 2 x 32000 x 4096 = 262,144,000 + 4,096 =
     * 7,241,732,096 (HF, exact; 7.24B on the model page). */
    a = hf("mistral-7b.json");
    CHECK_ABS(arch_params_total(&a), 7241732096.0, 0.5);
    /* Qwen2.5-7B: attention 2 x 3584^2 + 2 x 3584 x 512 = 29,360,128; FFN 3 x 3584 x 18944 =
     * 203,685,888; norms 7,168; x 28 = 6,525,489,152; + 2 x 152064 x 3584 = 1,089,994,752 +
     * 3,584 = 7,615,487,488 (Qwen: 7.61B, 6.53B without embeddings: 6,525,492,736 here). The
     * Q/K/V biases, 28 x (3584 + 512 + 512) = 129,024, are left out by the swiglu convention. */
    a = hf("qwen2.5-7b.json");
    CHECK(a.kv_heads == 4 && a.head_dim == 128);
    CHECK_ABS(arch_params_total(&a), 7615487488.0, 0.5);
    CHECK_NEAR(arch_params_total(&a), 7.61e9, 0.001);
    /* Qwen3-8B: head_dim 128 given; attention 2 x 4096 x 4096 + 2 x 4096 x 1024 = 41,943,040;
     * FFN 3 x 4096 x 12288 = 150,994,944; norms 8,192; x 36 = 6,946,062,336; + 2 x 151936 x
     * 4096 = 1,244,659,712 + 4,096 = 8,190,726,144 (Qwen: 8.2B, 6.95B without embeddings;
     * the q/k norm gains, 36 x 256 = 9,216, are not in the schema). */
    a = hf("qwen3-8b.json");
    CHECK_ABS(arch_params_total(&a), 8190726144.0, 0.5);
    /* GPT-2: 123,653,376 (tests/unit/test_arch.c: HF 124,439,808 less the 786,432 learned
     * positions); n_inner absent -> 4 x 768, tie_word_embeddings absent -> true. */
    a = hf("gpt2.json");
    CHECK(a.ffn_hidden == 3072 && a.tied_embeddings && a.ffn_kind == FFN_GELU && a.head_dim == 64);
    CHECK_ABS(arch_params_total(&a), 123653376.0, 0.5);
    /* GPT-NeoX-20B, with biases and LayerNorms: attention 6144 x 18432 + 18432 + 6144^2 +
     * 6144 = 151,019,520; FFN 2 x 6144 x 24576 + 24576 + 6144 = 302,020,608; norms 4 x 6144 =
     * 24,576; per layer 453,064,704, x 44 = 19,934,846,976; + 2 x 50432 x 6144 = 619,708,416
     * and the final LayerNorm 12,288: 20,554,567,680 (HF, exact; 20.55B in the paper). */
    a = hf("gpt-neox-20b.json");
    CHECK(!a.tied_embeddings && a.ffn_kind == FFN_GELU);
    CHECK_ABS(arch_params_total(&a), 20554567680.0, 0.5);
}

static void test_hf_moe(void)
{
    /* Mixtral-8x7B: 46,702,792,704 total, 12,879,925,248 active (tests/unit/test_arch.c). */
    struct arch a = hf("mixtral-8x7b.json");
    CHECK(a.experts == 8 && a.top_k == 2 && a.expert_ffn_hidden == 14336 && a.dense_layers == 0);
    CHECK_ABS(arch_params_total(&a), 46702792704.0, 0.5);
    CHECK_ABS(arch_params_active(&a), 12879925248.0, 0.5);
    /* Qwen1.5-MoE-A2.7B: the shared expert of 5632 counts as 4 of 1408. Per layer attention
     * 4 x 2048^2 = 16,777,216, norms 4,096, router 2048 x 60 = 122,880, expert 3 x 2048 x 1408
     * = 8,650,752: total 24 x (16,777,216 + 4,096 + 122,880 + 64 x 8,650,752) + 2,048 +
     * 2 x 151936 x 2048 = 14,315,587,584 (Qwen: 14.3B); active with 4 routed + 4 shared:
     * 24 x (16,904,192 + 8 x 8,650,752) + 622,336,000 + 2,048 = 2,688,976,896 (Qwen: 2.7B
     * activated). */
    a = hf("qwen1.5-moe-a2.7b.json");
    CHECK(a.experts == 60 && a.top_k == 4 && a.shared_experts == 4 && a.expert_ffn_hidden == 1408);
    CHECK_ABS(arch_params_total(&a), 14315587584.0, 0.5);
    CHECK_ABS(arch_params_active(&a), 2688976896.0, 0.5);
    CHECK_NEAR(arch_params_active(&a), 2.7e9, 0.01);
    /* Qwen3-30B-A3B: attention 2 x 2048 x 4096 + 2 x 2048 x 512 = 18,874,368; norms 4,096;
     * router 2048 x 128 = 262,144; expert 3 x 2048 x 768 = 4,718,592. Total 48 x (18,874,368
     * + 4,096 + 262,144 + 128 x 4,718,592) + 2,048 + 2 x 151936 x 2048 = 30,532,110,336
     * (Qwen: 30.5B, 29.9B without embeddings: 29,909,780,480 here); active 48 x (19,140,608 +
     * 8 x 4,718,592) + 622,336,000 + 2,048 = 3,353,020,416 (Qwen: 3.3B activated). */
    a = hf("qwen3-30b-a3b.json");
    CHECK(a.experts == 128 && a.top_k == 8 && a.shared_experts == 0 && a.head_dim == 128 && a.kv_heads == 4);
    CHECK_ABS(arch_params_total(&a), 30532110336.0, 0.5);
    CHECK_ABS(arch_params_active(&a), 3353020416.0, 0.5);
    /* DeepSeek-V3: 671,026,404,352 total, 37,552,282,624 active (tests/unit/test_arch.c). */
    a = hf("deepseek-v3.json");
    CHECK(a.has_mla && a.q_lora_rank == 1536 && a.kv_lora_rank == 512 && a.dense_layers == 3);
    CHECK(a.shared_experts == 1 && a.head_dim == 192);
    CHECK_ABS(arch_params_total(&a), 671026404352.0, 0.5);
    CHECK_ABS(arch_params_active(&a), 37552282624.0, 0.5);
    /* DeepSeek's README_WEIGHTS.md: "36.6B activated (including 0.9B for the output head)",
     * i.e. without the input embedding: 37,552,282,624 - 129280 x 7168 = 36,625,603,584. */
    CHECK_NEAR(arch_params_active(&a) - 129280.0 * 7168, 36.6e9, 0.001);
    /* DeepSeek-V2-Lite: q_lora_rank null = no query compression; 15,706,484,224 (15.7B). */
    a = hf("deepseek-v2-lite.json");
    CHECK(a.has_mla && a.q_lora_rank == 0 && a.dense_layers == 1 && a.shared_experts == 2);
    CHECK_ABS(arch_params_total(&a), 15706484224.0, 0.5);
}

static void test_overrides(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct arch a;
    /* Keys beside hf_config replace the file's: Llama-3.1-8B with 16 layers is 16 x
     * 218,112,000 + 1,050,677,248 = 4,540,469,248. */
    CHECK(read_arch(&b, "hf_config: llama-3.1-8b.json\nlayers: 16\n", NULL, &a));
    CHECK(a.layers == 16 && a.hidden == 4096);
    CHECK_ABS(arch_params_total(&a), 4540469248.0, 0.5);
    /* Over a card's architecture (base): only the keys written change. */
    const struct arch base = a;
    CHECK(read_arch(&b, "vocab: 32000\nmoe: {experts: 8, top_k: 2, expert_ffn_hidden: 14336}\n", &base, &a));
    CHECK(a.layers == 16 && a.vocab == 32000 && a.experts == 8 && a.kv_heads == 8);
    /* A moe block over a base that has one may give a single key. */
    const struct arch moe_base = a;
    CHECK(read_arch(&b, "moe: {top_k: 1}\n", &moe_base, &a));
    CHECK(a.top_k == 1 && a.experts == 8);
    /* Defaults: kv_heads = heads, head_dim = hidden / heads, swiglu, untied. */
    CHECK(read_arch(&b, "layers: 2\nhidden: 96\nheads: 3\nvocab: 10\nffn_hidden: 200\n", NULL, &a));
    CHECK(a.kv_heads == 3 && a.head_dim == 32 && a.ffn_kind == FFN_SWIGLU && !a.tied_embeddings);
    CHECK(load_arch_complete(&a));
    /* A partial architecture is valid but not complete (the caller decides). */
    CHECK(read_arch(&b, "layers: 2\nhidden: 96\n", NULL, &a));
    CHECK(!load_arch_complete(&a));
    CHECK(b.len == 0);
    dbuf_close(&b);
}

/* Expects load_arch to fail on yaml with a message containing want. */
static void expect_error(const char *yaml, const char *want)
{
    struct dbuf b;
    dbuf_open(&b);
    struct arch a;
    CHECK(!read_arch(&b, yaml, NULL, &a));
    const bool found = b.buf && strstr(b.buf, want);
    CHECK(found);
    if (!found)
        fprintf(stderr, "  for: %s  got: %s  want: %s\n", yaml, b.buf ? b.buf : "", want);
    dbuf_close(&b);
}

static void test_errors(void)
{
    expect_error("heads: 32\nkv_heads: 6\n", "scenario.yaml:2:11: error: workload.architecture.kv_heads: 6 does not "
                                             "divide heads 32 (each key/value head serves a whole group of query "
                                             "heads; nearest valid: 4 or 8)");
    expect_error("hidden: 100\nheads: 3\n", "scenario.yaml:2:8: error: workload.architecture.heads: hidden 100 is not "
                                            "a multiple of heads 3; give head_dim");
    expect_error("ffn_kind: relu\n", "workload.architecture.ffn_kind: expected swiglu or gelu, got 'relu'");
    expect_error("tied_embeddings: yes\n", "workload.architecture.tied_embeddings: expected true or false, got 'yes'");
    expect_error("moe: {experts: 8}\n", "workload.architecture.moe: missing required key 'top_k'");
    expect_error("moe: {experts: 8, top_k: 9, expert_ffn_hidden: 10}\n",
                 "workload.architecture.moe.top_k: 9 exceeds the 8 experts");
    expect_error("layers: 4\nmoe: {experts: 8, top_k: 2, expert_ffn_hidden: 10, dense_layers: 4}\n",
                 "workload.architecture.moe.dense_layers: 4 of 4 layers leaves no MoE layer (at most 3)");
    expect_error("mla: {kv_lora_rank: 512}\n", "workload.architecture.mla: missing required key 'q_lora_rank'");
    expect_error("layer: 4\n", "workload.architecture: unknown key 'layer' (did you mean 'layers'?)");
    expect_error("hf_config: no-such.json\n", "no-such.json");
}

/* Writes text to a new temporary file; returns its path in buf (caller unlinks). */
static void write_temp(char *buf, size_t size, const char *text)
{
    snprintf(buf, size, "/tmp/test_load_arch_XXXXXX");
    const int fd = mkstemp(buf);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

static void test_sparse_layers(void)
{
    /* qwen2_moe with decoder_sparse_step 2 (layer i is MoE when (i + 1) % 2 == 0: layers 1, 3,
     * 5, 7 of 8) and mlp_only_layers [3] (layer 3 dense after all): MoE layers 1, 5, 7, so 5
     * dense. DeepSeek's first_k_dense_replace 2 and moe_layer_freq 3 on 8 layers: MoE where
     * i >= 2 and i % 3 == 0, layers 3 and 6, so 6 dense. A synthetic config, not a model's. */
    char path[64], yaml[128];
    write_temp(path, sizeof path,
               "{\"model_type\": \"qwen2_moe\", \"num_hidden_layers\": 8, \"hidden_size\": 64, "
               "\"intermediate_size\": 128, \"num_attention_heads\": 4, \"vocab_size\": 100, \"num_experts\": 4, "
               "\"num_experts_per_tok\": 2, \"moe_intermediate_size\": 32, \"shared_expert_intermediate_size\": 64, "
               "\"decoder_sparse_step\": 2, \"mlp_only_layers\": [3]}");
    struct dbuf b;
    dbuf_open(&b);
    struct arch a;
    snprintf(yaml, sizeof yaml, "hf_config: %s\n", path);
    CHECK(read_arch(&b, yaml, NULL, &a));
    CHECK(a.dense_layers == 5 && a.shared_experts == 2 && a.experts == 4);
    unlink(path);
    write_temp(path, sizeof path,
               "{\"model_type\": \"deepseek_v3\", \"num_hidden_layers\": 8, \"hidden_size\": 64, "
               "\"intermediate_size\": 128, \"num_attention_heads\": 4, \"vocab_size\": 100, \"n_routed_experts\": 4, "
               "\"num_experts_per_tok\": 2, \"moe_intermediate_size\": 32, \"first_k_dense_replace\": 2, "
               "\"moe_layer_freq\": 3, \"q_lora_rank\": 16, \"kv_lora_rank\": 8, \"qk_rope_head_dim\": 4, "
               "\"qk_nope_head_dim\": 8, \"v_head_dim\": 8}");
    snprintf(yaml, sizeof yaml, "hf_config: %s\n", path);
    CHECK(read_arch(&b, yaml, NULL, &a));
    CHECK(a.dense_layers == 6 && a.has_mla && a.head_dim == 12 && a.shared_experts == 0);
    unlink(path);
    CHECK(b.len == 0);
    dbuf_close(&b);
}

/* A file that is not JSON: libyaml's message, located in that file (line 2, column 25: the
 * second comma). */
static void test_bad_json(void)
{
    char path[64], yaml[128], want[128];
    write_temp(path, sizeof path, "{\"model_type\": \"llama\",\n \"num_hidden_layers\": 2,,\n}\n");
    snprintf(yaml, sizeof yaml, "hf_config: %s\n", path);
    snprintf(want, sizeof want, "%s:2:25: error: did not find expected node content", path);
    expect_error(yaml, want);
    unlink(path);
}

/* Every embedded card loads without a message: architectures read, counts within 3 %. */
static void test_cards(void)
{
    int n;
    const char **keys = catalog_model_keys(&n);
    int with_arch = 0;
    for (int i = 0; i < n; i++) {
        struct dbuf b;
        dbuf_open(&b);
        struct model_card m;
        CHECK(catalog_load_model(&b.d, keys[i], NULL, (struct src_pos){ 0 }, &m));
        fflush(b.f);
        CHECK(b.len == 0);
        if (b.len)
            fprintf(stderr, "%s: %s", keys[i], b.buf);
        if (m.has_arch) {
            with_arch++;
            CHECK(load_arch_complete(&m.arch));
        }
        model_card_release(&m);
        dbuf_close(&b);
    }
    CHECK(n == 24 && with_arch == 19); /* 5 without: see models/README.md */
    free(keys);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        hf_dir = argv[1];
    test_hf_dense();
    test_hf_moe();
    test_overrides();
    test_errors();
    test_sparse_layers();
    test_bad_json();
    test_cards();
    return CHECK_EXIT();
}
