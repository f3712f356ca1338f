/*
 * arch.c - reads an architecture (DESIGN 8): the `architecture:` mapping of a workload or a
 * model card, and the Hugging Face config.json its `hf_config:` key names.
 *
 * Reading goes in three steps, each over the same struct arch: the start (a model card's
 * architecture, or zeros), then the config.json when hf_config is given (it replaces the
 * start), then every key written in the mapping (each replaces one field). Defaults that
 * depend on other fields (kv_heads = heads, head_dim = hidden / heads) are applied last, and
 * only to fields still unknown; then the fields are checked against each other. A config.json
 * is read through a table of model types (hf_types[]): each says what its fields are called
 * and which MoE and attention variant it builds. Knows nothing of layouts or of the counts
 * (core/arch.c).
 */
#include "load/arch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* A config.json is a few kB; anything near this is not one. */
static const size_t HF_CONFIG_MAX_BYTES = 1u << 20;

#define N_RULES(r) ((int)(sizeof(r) / sizeof((r)[0])))

/* Where schema_read() stores a size: over the model card's or the config.json's (KEY_KEEP). */
#define ARCH(field) KEY_AT(struct arch, field)

static const struct key_rule arch_rules[] = {
    { .key = "layers", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e5, .dest = ARCH(layers),
      .doc = "transformer layers" },
    { .key = "hidden", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e7, .dest = ARCH(hidden),
      .doc = "model width (d_model)" },
    { .key = "ffn_hidden", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e8, .dest = ARCH(ffn_hidden),
      .doc = "dense FFN intermediate size" },
    { .key = "ffn_kind", .type = KEY_STRING, .dflt_text = "swiglu", .choices = "swiglu,gelu",
      .doc = "swiglu (3 FFN matrices, default) or gelu (2)" },
    { .key = "heads", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e5, .dest = ARCH(heads),
      .doc = "attention (query) heads" },
    { .key = "kv_heads", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e5, .dest = ARCH(kv_heads),
      .doc = "key/value heads; default heads (fewer: GQA/MQA)" },
    { .key = "head_dim", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e5, .dest = ARCH(head_dim),
      .doc = "per-head size; default hidden / heads" },
    { .key = "vocab", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e8, .dest = ARCH(vocab),
      .doc = "vocabulary size (embedding rows)" },
    { .key = "tied_embeddings", .type = KEY_STRING, .dflt_text = "false", .choices = "true,false",
      .doc = "true: LM head shares the embedding (default false)" },
    KEY_RULE("moe", KEY_MAP, 0, 0, 0, "mixture of experts"),
    KEY_RULE("mla", KEY_MAP, 0, 0, 0, "multi-head latent attention (DeepSeek-V2/V3)"),
    KEY_RULE("hf_config", KEY_STRING, 0, 0, 0, "a Hugging Face config.json to read the above from"),
    KEY_RULE("source", KEY_STRING, 0, 0, 0, "where the figures come from"),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, "caveats"),
};

static const struct key_rule moe_rules[] = {
    { .key = "experts", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e6, .dest = ARCH(experts),
      .doc = "routed experts per MoE layer" },
    { .key = "top_k", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e6, .dest = ARCH(top_k),
      .doc = "routed experts per token" },
    { .key = "shared_experts", .type = KEY_INT, .flags = KEY_KEEP, .hi = 1e6, .dest = ARCH(shared_experts),
      .doc = "experts every token passes through; default 0" },
    { .key = "expert_ffn_hidden", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e8, .dest = ARCH(expert_ffn_hidden),
      .doc = "intermediate size of one expert" },
    { .key = "dense_layers", .type = KEY_INT, .flags = KEY_KEEP, .hi = 1e5, .dest = ARCH(dense_layers),
      .doc = "layers with a dense FFN of ffn_hidden; default 0" },
};
static const char *const moe_required[] = { "experts", "top_k", "expert_ffn_hidden" };

static const struct key_rule mla_rules[] = {
    { .key = "q_lora_rank", .type = KEY_INT, .flags = KEY_KEEP, .hi = 1e6, .dest = ARCH(q_lora_rank),
      .doc = "query latent rank; 0: no query compression" },
    { .key = "kv_lora_rank", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e6, .dest = ARCH(kv_lora_rank),
      .doc = "key/value latent rank" },
    { .key = "rope_head_dim", .type = KEY_INT, .flags = KEY_KEEP, .hi = 1e5, .dest = ARCH(rope_head_dim),
      .doc = "rotary part of each query/key head" },
    { .key = "nope_head_dim", .type = KEY_INT, .flags = KEY_KEEP, .hi = 1e5, .dest = ARCH(nope_head_dim),
      .doc = "non-rotary part of each query/key head" },
    { .key = "v_head_dim", .type = KEY_INT, .flags = KEY_KEEP, .lo = 1, .hi = 1e5, .dest = ARCH(v_head_dim),
      .doc = "value head size" },
};

const struct key_table load_arch_tables[LOAD_ARCH_N_TABLES] = {
    { "workload.architecture", arch_rules, N_RULES(arch_rules), "the model's sizes (or hf_config); over the card's" },
    { "workload.architecture.moe", moe_rules, N_RULES(moe_rules), "mixture of experts" },
    { "workload.architecture.mla", mla_rules, N_RULES(mla_rules), "multi-head latent attention" },
};

/* ---- Hugging Face config.json */

/* How a model type's config.json names the dense fields (NULL: the type has no such field). */
struct hf_names {
    const char *layers, *hidden, *ffn_hidden, *heads, *kv_heads, *head_dim, *vocab;
};

static const struct hf_names hf_llama_names = { "num_hidden_layers", "hidden_size", "intermediate_size",
                                                "num_attention_heads", "num_key_value_heads", "head_dim",
                                                "vocab_size" };
static const struct hf_names hf_neox_names = { "num_hidden_layers", "hidden_size", "intermediate_size",
                                               "num_attention_heads", NULL, NULL, "vocab_size" };
static const struct hf_names hf_gpt2_names = { "n_layer", "n_embd", "n_inner", "n_head", NULL, NULL, "vocab_size" };

enum hf_moe {
    HF_DENSE,
    HF_MOE_MIXTRAL,  /* num_local_experts of intermediate_size, every layer */
    HF_MOE_QWEN,     /* num_experts of moe_intermediate_size, shared_expert_intermediate_size,
                        decoder_sparse_step, mlp_only_layers */
    HF_MOE_DEEPSEEK, /* n_routed_experts of moe_intermediate_size, n_shared_experts,
                        first_k_dense_replace, moe_layer_freq; MLA attention */
};

/* One supported model_type. ffn_kind is the block the type's modeling code builds (the
 * llama family's MLP is gated whatever hidden_act says); tied is the type's default for
 * tie_word_embeddings when the file omits it (PretrainedConfig's true for gpt2). */
struct hf_type {
    const char *model_type;
    const struct hf_names *names;
    enum ffn_kind ffn_kind;
    bool tied;
    enum hf_moe moe;
};

static const struct hf_type hf_types[] = {
    { "llama", &hf_llama_names, FFN_SWIGLU, false, HF_DENSE },
    { "mistral", &hf_llama_names, FFN_SWIGLU, false, HF_DENSE },
    { "qwen2", &hf_llama_names, FFN_SWIGLU, false, HF_DENSE },
    { "qwen3", &hf_llama_names, FFN_SWIGLU, false, HF_DENSE },
    { "mixtral", &hf_llama_names, FFN_SWIGLU, false, HF_MOE_MIXTRAL },
    { "qwen2_moe", &hf_llama_names, FFN_SWIGLU, false, HF_MOE_QWEN },
    { "qwen3_moe", &hf_llama_names, FFN_SWIGLU, false, HF_MOE_QWEN },
    { "deepseek_v2", &hf_llama_names, FFN_SWIGLU, false, HF_MOE_DEEPSEEK },
    { "deepseek_v3", &hf_llama_names, FFN_SWIGLU, false, HF_MOE_DEEPSEEK },
    { "gpt2", &hf_gpt2_names, FFN_GELU, true, HF_DENSE },
    { "gpt_neox", &hf_neox_names, FFN_GELU, false, HF_DENSE },
};

/* Reading one config.json: where messages go and how they name its fields. */
struct hf_reader {
    struct schema *c;
    const struct ynode *root;
    const char *path;        /* "workload.architecture.hf_config" */
    const char *model_type;
};

/* A JSON null (or an absent key) means "not set". */
static const struct ynode *hf_get(const struct hf_reader *r, const char *key)
{
    const struct ynode *v = key ? ytree_get(r->root, key) : NULL;
    if (v && v->kind == YNODE_SCALAR && v->is_plain && strcmp(v->text, "null") == 0)
        return NULL;
    return v;
}

/* Reads an integer field into *out with the range of 'rule_key' in rules; a missing required
 * field is reported at the top of the file. Returns true when the field was read. */
static bool hf_int(struct hf_reader *r, const char *key, const struct key_rule *rules, int n, const char *rule_key,
                   bool required, long *out)
{
    const struct ynode *v = hf_get(r, key);
    if (!v) {
        if (required)
            diag_error(r->c->diag, r->root->pos, "%s: missing '%s' (needed for model_type %s)", r->path, key,
                       r->model_type);
        return false;
    }
    char path[560];
    schema_join(path, sizeof path, r->path, key);
    return schema_int(r->c, v, path, schema_rule(rules, n, rule_key), out);
}

static bool hf_bool(struct hf_reader *r, const char *key, bool *out)
{
    const struct ynode *v = hf_get(r, key);
    if (!v)
        return false;
    if (v->kind == YNODE_SCALAR && v->is_plain && (strcmp(v->text, "true") == 0 || strcmp(v->text, "false") == 0)) {
        *out = strcmp(v->text, "true") == 0;
        return true;
    }
    char path[560];
    schema_join(path, sizeof path, r->path, key);
    diag_error(r->c->diag, v->pos, "%s: expected true or false, got %s%s%s", path, v->kind == YNODE_SCALAR ? "'" : "",
               v->kind == YNODE_SCALAR ? v->text : ytree_kind_name(v), v->kind == YNODE_SCALAR ? "'" : "");
    return false;
}

/* Number of layers of n that are dense: those listed in mlp_only_layers (qwen) and those the
 * sparse step (qwen's decoder_sparse_step, layer i MoE when (i + 1) % step == 0) or the
 * DeepSeek rule (i >= first_k_dense_replace and i % moe_layer_freq == 0) leave dense. The
 * count is what struct arch keeps: it places dense layers first, which changes no count. */
static long hf_dense_layers(struct hf_reader *r, const struct hf_type *t, long n)
{
    long step = 1, first_dense = 0;
    bool *dense = xcalloc((size_t)n, sizeof *dense);
    if (t->moe == HF_MOE_QWEN) {
        hf_int(r, "decoder_sparse_step", moe_rules, N_RULES(moe_rules), "experts", false, &step);
        const struct ynode *only = hf_get(r, "mlp_only_layers");
        if (only && only->kind != YNODE_SEQ) {
            diag_error(r->c->diag, only->pos, "%s.mlp_only_layers: expected a list of layer numbers", r->path);
        } else if (only) {
            const struct key_rule layer_rule = KEY_RULE("mlp_only_layers", KEY_INT, 0, 0, (double)n - 1, "");
            for (int i = 0; i < only->n; i++) {
                long k;
                char path[560];
                snprintf(path, sizeof path, "%s.mlp_only_layers[%d]", r->path, i);
                if (schema_int(r->c, only->vals[i], path, &layer_rule, &k))
                    dense[k] = true;
            }
        }
    } else if (t->moe == HF_MOE_DEEPSEEK) {
        hf_int(r, "first_k_dense_replace", moe_rules, N_RULES(moe_rules), "dense_layers", false, &first_dense);
        hf_int(r, "moe_layer_freq", moe_rules, N_RULES(moe_rules), "experts", false, &step);
    }
    long count = 0;
    for (long i = 0; i < n; i++) {
        const bool moe = t->moe == HF_MOE_QWEN       ? (i + 1) % step == 0
                         : t->moe == HF_MOE_DEEPSEEK ? i >= first_dense && i % step == 0
                                                     : true;
        count += dense[i] || !moe;
    }
    free(dense);
    return count;
}

static void hf_read_moe(struct hf_reader *r, const struct hf_type *t, struct arch *a)
{
    const int n = N_RULES(moe_rules);
    static const char *const experts_key[] = { [HF_MOE_MIXTRAL] = "num_local_experts", [HF_MOE_QWEN] = "num_experts",
                                               [HF_MOE_DEEPSEEK] = "n_routed_experts" };
    if (!hf_int(r, experts_key[t->moe], moe_rules, n, "experts", true, &a->experts))
        return;
    hf_int(r, "num_experts_per_tok", moe_rules, n, "top_k", true, &a->top_k);
    if (t->moe == HF_MOE_MIXTRAL) {
        a->expert_ffn_hidden = a->ffn_hidden;
    } else {
        hf_int(r, "moe_intermediate_size", moe_rules, n, "expert_ffn_hidden", true, &a->expert_ffn_hidden);
    }
    if (t->moe == HF_MOE_DEEPSEEK)
        hf_int(r, "n_shared_experts", moe_rules, n, "shared_experts", false, &a->shared_experts);
    long shared_w = 0;
    if (t->moe == HF_MOE_QWEN &&
        hf_int(r, "shared_expert_intermediate_size", moe_rules, n, "expert_ffn_hidden", false, &shared_w) &&
        a->expert_ffn_hidden > 0) {
        /* Qwen's one shared expert of shared_expert_intermediate_size is counted as that many
         * experts of moe_intermediate_size (5632 = 4 x 1408 in Qwen1.5-MoE-A2.7B). */
        if (shared_w % a->expert_ffn_hidden != 0)
            diag_error(r->c->diag, ytree_get(r->root, "shared_expert_intermediate_size")->pos,
                       "%s.shared_expert_intermediate_size: %ld is not a multiple of moe_intermediate_size %ld "
                       "(shared experts are counted in experts of that size)",
                       r->path, shared_w, a->expert_ffn_hidden);
        a->shared_experts = shared_w / a->expert_ffn_hidden;
    }
    if (a->layers > 0)
        a->dense_layers = hf_dense_layers(r, t, a->layers);
}

static void hf_read_mla(struct hf_reader *r, struct arch *a)
{
    const int n = N_RULES(mla_rules);
    a->has_mla = true;
    hf_int(r, "q_lora_rank", mla_rules, n, "q_lora_rank", false, &a->q_lora_rank); /* null: no compression */
    hf_int(r, "kv_lora_rank", mla_rules, n, "kv_lora_rank", true, &a->kv_lora_rank);
    hf_int(r, "qk_rope_head_dim", mla_rules, n, "rope_head_dim", true, &a->rope_head_dim);
    hf_int(r, "qk_nope_head_dim", mla_rules, n, "nope_head_dim", true, &a->nope_head_dim);
    hf_int(r, "v_head_dim", mla_rules, n, "v_head_dim", true, &a->v_head_dim);
}

static const struct hf_type *hf_find_type(struct hf_reader *r)
{
    const struct ynode *v = hf_get(r, "model_type");
    char path[560];
    schema_join(path, sizeof path, r->path, "model_type");
    const char *name;
    if (!v) {
        diag_error(r->c->diag, r->root->pos, "%s: missing 'model_type'", r->path);
        return NULL;
    }
    if (!schema_string(r->c, v, path, &name))
        return NULL;
    const char *names[N_RULES(hf_types)];
    char list[512] = "";
    for (int i = 0; i < N_RULES(hf_types); i++) {
        if (strcmp(hf_types[i].model_type, name) == 0)
            return &hf_types[i];
        names[i] = hf_types[i].model_type;
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    }
    const char *s = schema_suggest(name, names, N_RULES(hf_types));
    diag_error(r->c->diag, v->pos, "%s: unsupported model_type '%s'%s%s%s (supported: %s)", path, name,
               s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "", list);
    return NULL;
}

/* Reads the config.json root (a parsed file) into *a, from zeros. */
static void hf_read(struct schema *c, const struct ynode *root, const char *path, struct arch *a)
{
    struct hf_reader r = { c, root, path, "" };
    if (root->kind != YNODE_MAP) {
        diag_error(c->diag, root->pos, "%s: expected a JSON object, got %s", path, ytree_kind_name(root));
        return;
    }
    const struct hf_type *t = hf_find_type(&r);
    if (!t)
        return;
    r.model_type = t->model_type;
    const struct hf_names *k = t->names;
    const int n = N_RULES(arch_rules);
    memset(a, 0, sizeof *a);
    a->ffn_kind = t->ffn_kind;
    a->tied_embeddings = t->tied;
    hf_int(&r, k->layers, arch_rules, n, "layers", true, &a->layers);
    hf_int(&r, k->hidden, arch_rules, n, "hidden", true, &a->hidden);
    hf_int(&r, k->heads, arch_rules, n, "heads", true, &a->heads);
    hf_int(&r, k->vocab, arch_rules, n, "vocab", true, &a->vocab);
    hf_int(&r, k->kv_heads, arch_rules, n, "kv_heads", false, &a->kv_heads);
    hf_int(&r, k->head_dim, arch_rules, n, "head_dim", false, &a->head_dim);
    /* gpt2's n_inner null means 4 x n_embd (GPT2MLP). */
    if (!hf_int(&r, k->ffn_hidden, arch_rules, n, "ffn_hidden", t->ffn_kind != FFN_GELU, &a->ffn_hidden) &&
        t->ffn_kind == FFN_GELU)
        a->ffn_hidden = 4 * a->hidden;
    hf_bool(&r, "tie_word_embeddings", &a->tied_embeddings);
    if (t->moe != HF_DENSE)
        hf_read_moe(&r, t, a);
    if (t->moe == HF_MOE_DEEPSEEK) {
        hf_read_mla(&r, a);
        a->kv_heads = a->heads; /* MLA has no separate key/value heads */
    }
}

/* A path relative to the folder of the file 'at' was read from. */
static void resolve_beside(const struct ynode *at, const char *rel, char *buf, size_t size)
{
    const char *file = at->pos.file;
    const char *slash = file ? strrchr(file, '/') : NULL;
    if (rel[0] == '/' || !slash || file[0] == '<')
        snprintf(buf, size, "%s", rel);
    else
        snprintf(buf, size, "%.*s/%s", (int)(slash - file), file, rel);
}

static void load_hf_config(struct schema *c, const struct ynode *m, const char *path, struct arch *a)
{
    const char *rel = schema_string_key(c, m, path, "hf_config");
    if (!rel)
        return;
    char file[4096], hf_path[512];
    resolve_beside(ytree_get(m, "hf_config"), rel, file, sizeof file);
    schema_join(hf_path, sizeof hf_path, path, "hf_config");
    struct ynode *root = ytree_load_file(c->diag, file, HF_CONFIG_MAX_BYTES, ytree_get(m, "hf_config")->pos);
    if (root)
        hf_read(c, root, hf_path, a);
    ytree_free(root);
}

/* ---- The architecture mapping */

/* Where to report a problem with key: at its value when written in m, else at m. */
static struct src_pos pos_of_key(const struct ynode *m, const char *key)
{
    const struct ynode *v = ytree_get(m, key);
    return v ? v->pos : m->pos;
}

static void read_bool(struct schema *c, const struct ynode *m, const char *path, const char *key, bool *out)
{
    const char *s = schema_string_key(c, m, path, key);
    if (!s)
        return;
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
        *out = strcmp(s, "true") == 0;
    else
        diag_error(c->diag, pos_of_key(m, key), "%s.%s: expected true or false, got '%s'", path, key, s);
}

/* Reads a sub-mapping (moe or mla) over *a; when the start had no such block, the keys in
 * required[0..n_req) must all be written. Returns false when the block is absent. */
static bool read_block(struct schema *c, const struct ynode *m, const char *path, const char *key,
                       const struct key_rule *rules, int n, struct arch *a, const char *const *required, int n_req)
{
    const struct ynode *b = ytree_get(m, key);
    if (!b || b->kind != YNODE_MAP)
        return false; /* a wrong shape is reported by the key check */
    char sub[512];
    schema_join(sub, sizeof sub, path, key);
    schema_check_map(c, b, sub, rules, n);
    schema_read(c, b, sub, rules, n, a, NULL, 0);
    for (int i = 0; i < n_req; i++)
        if (ytree_find(b, required[i]) < 0)
            diag_error(c->diag, b->pos, "%s: missing required key '%s'", sub, required[i]);
    return true;
}

/* The divisors of n nearest to k from below and above, for "nearest valid" hints. */
static void nearest_divisors(long n, long k, long *below, long *above)
{
    *below = 1;
    *above = n;
    for (long d = 1; d <= n; d++) {
        if (n % d != 0)
            continue;
        if (d <= k)
            *below = d;
        if (d >= k) {
            *above = d;
            break;
        }
    }
}

/* Cross-field rules, after every source and default has been applied. */
static void check_arch(struct schema *c, const struct ynode *m, const char *path, const struct arch *a)
{
    if (a->heads > 0 && a->kv_heads > 0 && a->heads % a->kv_heads != 0) {
        long lo, hi;
        nearest_divisors(a->heads, a->kv_heads, &lo, &hi);
        diag_error(c->diag, pos_of_key(m, "kv_heads"),
                   "%s.kv_heads: %ld does not divide heads %ld (each key/value head serves a whole group of "
                   "query heads; nearest valid: %ld or %ld)",
                   path, a->kv_heads, a->heads, lo, hi);
    }
    const struct ynode *moe = ytree_get(m, "moe");
    const struct ynode *at = moe && moe->kind == YNODE_MAP ? moe : m;
    char sub[512];
    schema_join(sub, sizeof sub, path, "moe");
    if (a->experts > 0 && a->top_k > a->experts)
        diag_error(c->diag, pos_of_key(at, "top_k"), "%s.top_k: %ld exceeds the %ld experts", sub, a->top_k,
                   a->experts);
    if (a->experts > 0 && a->layers > 0 && a->dense_layers >= a->layers)
        diag_error(c->diag, pos_of_key(at, "dense_layers"),
                   "%s.dense_layers: %ld of %ld layers leaves no MoE layer (at most %ld)", sub, a->dense_layers,
                   a->layers, a->layers - 1);
    const struct ynode *mla = ytree_get(m, "mla");
    const bool mla_dims_given =
        !mla || (ytree_find(mla, "nope_head_dim") >= 0 && ytree_find(mla, "rope_head_dim") >= 0);
    if (a->has_mla && mla_dims_given && a->nope_head_dim + a->rope_head_dim == 0) {
        schema_join(sub, sizeof sub, path, "mla");
        diag_error(c->diag, mla ? mla->pos : m->pos, "%s: nope_head_dim + rope_head_dim must be positive", sub);
    }
}

/* Defaults that depend on other fields, for fields still unknown. */
static void default_arch(struct schema *c, const struct ynode *m, const char *path, struct arch *a)
{
    if (a->kv_heads == 0)
        a->kv_heads = a->heads;
    if (a->head_dim == 0 && a->has_mla)
        a->head_dim = a->nope_head_dim + a->rope_head_dim; /* the query/key head size */
    if (a->head_dim == 0 && a->heads > 0 && a->hidden > 0) {
        if (a->hidden % a->heads != 0)
            diag_error(c->diag, pos_of_key(m, "heads"),
                       "%s.heads: hidden %ld is not a multiple of heads %ld; give head_dim", path, a->hidden, a->heads);
        a->head_dim = a->hidden / a->heads;
    }
}

bool load_arch(struct schema *c, const struct ynode *m, const char *path, const struct arch *base, struct arch *out)
{
    const int before = c->diag->n_errors;
    if (base)
        *out = *base;
    else
        memset(out, 0, sizeof *out);
    if (!schema_check_map(c, m, path, arch_rules, N_RULES(arch_rules)) && m->kind != YNODE_MAP)
        return false;
    if (ytree_get(m, "hf_config"))
        load_hf_config(c, m, path, out);
    const bool had_moe = out->experts > 0, had_mla = out->has_mla;
    schema_read(c, m, path, arch_rules, N_RULES(arch_rules), out, NULL, 0);
    const char *kind = schema_string_key(c, m, path, "ffn_kind");
    if (kind && strcmp(kind, "swiglu") == 0)
        out->ffn_kind = FFN_SWIGLU;
    else if (kind && strcmp(kind, "gelu") == 0)
        out->ffn_kind = FFN_GELU;
    else if (kind)
        diag_error(c->diag, pos_of_key(m, "ffn_kind"), "%s.ffn_kind: expected swiglu or gelu, got '%s'", path, kind);
    read_bool(c, m, path, "tied_embeddings", &out->tied_embeddings);
    read_block(c, m, path, "moe", moe_rules, N_RULES(moe_rules), out, moe_required,
               had_moe ? 0 : N_RULES(moe_required));
    static const char *const mla_required[] = { "q_lora_rank", "kv_lora_rank", "rope_head_dim", "nope_head_dim",
                                                "v_head_dim" };
    if (read_block(c, m, path, "mla", mla_rules, N_RULES(mla_rules), out, mla_required,
                   had_mla ? 0 : N_RULES(mla_required)))
        out->has_mla = true;
    default_arch(c, m, path, out);
    check_arch(c, m, path, out);
    return c->diag->n_errors == before;
}

bool load_arch_complete(const struct arch *a)
{
    const bool dense_ffn = a->ffn_hidden > 0;
    const bool ffn = a->experts > 0 ? a->top_k > 0 && a->expert_ffn_hidden > 0 && (a->dense_layers == 0 || dense_ffn)
                                    : dense_ffn;
    return a->layers > 0 && a->hidden > 0 && a->heads > 0 && a->vocab > 0 && ffn;
}

