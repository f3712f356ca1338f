/*
 * load_layout.c - the layout work form of a stage (DESIGN 8).
 *
 * A stage with `layout:` trains `tokens` at a rate the layout model computes per sample
 * (core/layout.h). This file reads the batch, the layout and the efficiencies, and checks
 * what can be checked before any sample runs, at the central values: validity (each broken
 * rule a located error naming the nearest valid values), the memory estimate (an error
 * above memory_gb by more than 25 %, a warning up to that), and `layout: auto`, the fastest
 * valid layout that fits.
 */
#include "load/load_layout.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "util/xalloc.h"

#define N_RULES(r) ((int)(sizeof(r) / sizeof((r)[0])))

/* An explicit layout whose memory estimate exceeds memory_gb by more than this is an error. */
static const double MEMORY_ERROR_FRACTION = 0.25;
static const double BYTES_PER_GB = 1e9;

#define LAYOUT(field) KEY_AT(struct layout, field)

/* dp (a number or auto), schedule, recompute and sequence_parallel are read by read_layout(). */
static const struct key_rule layout_rules[] = {
    { .key = "tp", .type = KEY_INT, .lo = 1, .hi = 4096, .dflt = 1, .dest = LAYOUT(tp),
      .doc = "tensor parallel degree" },
    { .key = "pp", .type = KEY_INT, .lo = 1, .hi = 4096, .dflt = 1, .dest = LAYOUT(pp),
      .doc = "pipeline parallel degree" },
    { .key = "cp", .type = KEY_INT, .lo = 1, .hi = 4096, .dflt = 1, .dest = LAYOUT(cp),
      .doc = "context parallel degree (default 1)" },
    { .key = "ep", .type = KEY_INT, .lo = 1, .hi = 65536, .dflt = 1, .dest = LAYOUT(ep),
      .doc = "expert parallel degree (default 1)" },
    { .key = "dp", .type = KEY_AUTO, .lo = 1, .hi = 1e7, .dflt_text = "auto",
      .doc = "data parallel degree, or auto = count / (tp pp cp)" },
    { .key = "microbatch", .type = KEY_INT, .lo = 1, .hi = 65536, .unit = "sequences", .dflt = 1,
      .dest = LAYOUT(microbatch), .doc = "sequences per micro-batch (default 1)" },
    { .key = "interleave", .type = KEY_INT, .lo = 1, .hi = 256, .dflt = 1, .dest = LAYOUT(interleave),
      .doc = "virtual pipeline stages per device (default 1)" },
    { .key = "schedule", .type = KEY_STRING, .dflt_text = "1f1b", .choices = "1f1b,interleaved,zero-bubble,dualpipe",
      .doc = "1f1b (default), interleaved, zero-bubble or dualpipe" },
    { .key = "recompute", .type = KEY_STRING, .dflt_text = "selective", .choices = "none,selective,full",
      .doc = "none, selective (default) or full" },
    { .key = "zero", .type = KEY_INT, .flags = KEY_TO_INT, .hi = 3, .dflt = 1, .dest = LAYOUT(zero),
      .doc = "0-3: optimizer (1), + gradients (2), + parameters (3) sharded over DP" },
    { .key = "sequence_parallel", .type = KEY_STRING, .choices = "true,false", .dflt_note = "true when tp > 1",
      .doc = "true or false (default true when tp > 1)" },
};

/* Read by load_layout_stage(): the stage's, else the accelerator's calibrated defaults. */
static const struct key_rule eff_rules[EFF_COUNT] = {
    [EFF_MATMUL] = { .key = "matmul", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 1, .unit = "fraction", .dflt = 0.5,
                     .dflt_note = "the accelerator's catalog entry", .doc = "achieved fraction of peak on large GEMMs" },
    [EFF_ATTENTION] = { .key = "attention", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 1, .unit = "fraction",
                        .dflt = 0.5, .dflt_note = "the accelerator's catalog entry",
                        .doc = "achieved fraction of peak in attention" },
    [EFF_NETWORK] = { .key = "network", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 1, .unit = "fraction",
                      .dflt = 0.5, .dflt_note = "the accelerator's catalog entry",
                      .doc = "achieved fraction of link bandwidth" },
    [EFF_OVERLAP] = { .key = "overlap", .type = KEY_PARAM, .hi = 1, .unit = "fraction", .dflt = 0.5,
                      .dflt_note = "the accelerator's catalog entry", .doc = "fraction of DP and EP communication hidden" },
};

const struct key_table load_layout_tables[LOAD_LAYOUT_N_TABLES] = {
    { "workload.stages[].layout", layout_rules, N_RULES(layout_rules), "the parallel layout (or the word auto)" },
    { "workload.stages[].efficiency", eff_rules, EFF_COUNT, "achieved fractions; defaults from the accelerator's catalog entry" },
};

static struct src_pos pos_of(const struct ynode *map, const char *key, const struct ynode *dflt)
{
    const struct ynode *n = ytree_get(map, key);
    return n ? n->pos : dflt->pos;
}

/* The index of text in names[0..n), or -1 (reported, with the choices). */
static int pick(struct schema *c, const struct ynode *map, const char *path, const char *key,
                const char *(*name)(int), int n, int dflt)
{
    const char *text = schema_string_key(c, map, path, key);
    if (!text)
        return dflt;
    char list[256] = "";
    for (int i = 0; i < n; i++) {
        if (strcmp(text, name(i)) == 0)
            return i;
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", name(i));
    }
    diag_error(c->diag, ytree_get(map, key)->pos, "%s.%s: unknown value '%s' (expected %s)", path, key, text, list);
    return dflt;
}

static const char *schedule_name(int i) { return layout_schedule_name((enum layout_schedule)i); }
static const char *recompute_name(int i) { return layout_recompute_name((enum layout_recompute)i); }

/* The explicit layout mapping m into *l (dp 0 = auto). */
static void read_layout(struct schema *c, const struct ynode *m, const char *path, struct layout *l)
{
    const int n = N_RULES(layout_rules);
    schema_check_map(c, m, path, layout_rules, n);
    *l = (struct layout){ .dp = 0, .schedule = SCHEDULE_1F1B, .recompute = RECOMPUTE_SELECTIVE };
    schema_read(c, m, path, layout_rules, n, l, NULL, 0);
    const struct ynode *dp = ytree_get(m, "dp");
    if (dp && !(dp->kind == YNODE_SCALAR && strcmp(dp->text, "auto") == 0)) {
        char sub[600];
        schema_join(sub, sizeof sub, path, "dp");
        schema_int(c, dp, sub, schema_rule(layout_rules, n, "dp"), &l->dp);
    }
    l->schedule = (enum layout_schedule)pick(c, m, path, "schedule", schedule_name, SCHEDULE_COUNT, SCHEDULE_1F1B);
    l->recompute =
        (enum layout_recompute)pick(c, m, path, "recompute", recompute_name, RECOMPUTE_COUNT, RECOMPUTE_SELECTIVE);
    l->sequence_parallel = l->tp > 1;
    const char *sp = schema_string_key(c, m, path, "sequence_parallel");
    if (sp && (strcmp(sp, "true") == 0 || strcmp(sp, "false") == 0))
        l->sequence_parallel = strcmp(sp, "true") == 0;
    else if (sp)
        diag_error(c->diag, ytree_get(m, "sequence_parallel")->pos, "%s.sequence_parallel: expected true or false, got '%s'",
                   path, sp);
    if (l->interleave > 1 && l->schedule != SCHEDULE_INTERLEAVED)
        diag_error(c->diag, pos_of(m, "interleave", m), "%s.interleave: %ld virtual stages need schedule: interleaved",
                   path, l->interleave);
    if (l->schedule == SCHEDULE_INTERLEAVED && l->interleave < 2)
        diag_error(c->diag, pos_of(m, "schedule", m), "%s.schedule: interleaved needs interleave of 2 or more", path);
}

/* The divisors of n nearest to v, below and above (either may equal v's neighbour or 0). */
static void near_divisors(long n, long v, long *below, long *above)
{
    *below = 0;
    *above = 0;
    for (long d = v - 1; d >= 1; d--)
        if (n % d == 0) {
            *below = d;
            break;
        }
    for (long d = v + 1; d <= n; d++)
        if (n % d == 0) {
            *above = d;
            break;
        }
}

static long gcd(long a, long b)
{
    while (b) {
        const long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static void format_pair(char *buf, size_t size, long a, long b)
{
    if (a > 0 && b > 0)
        snprintf(buf, size, "%ld or %ld", a, b);
    else
        snprintf(buf, size, "%ld", a > 0 ? a : b);
}

/* One located error for each rule the layout breaks, with the nearest valid values. */
static void report_invalid(struct schema *c, const struct ynode *lm, const char *path, const struct layout_problem *p,
                           const struct layout *l, long dp_given, unsigned bad)
{
    const struct arch *a = p->arch;
    const long tpc = l->tp * l->pp * l->cp;
    char near[64];
    long lo, hi;
    if (bad & (1u << LAYOUT_COUNT_NOT_DIVISIBLE)) {
        if (p->count % tpc == 0) {
            diag_error(c->diag, pos_of(lm, "dp", lm), "%s.dp: %ld, but count / (tp x pp x cp) = %ld / %ld = %ld", path,
                       dp_given, p->count, tpc, p->count / tpc);
        } else {
            const long down = p->count / tpc * tpc, up = down + tpc;
            format_pair(near, sizeof near, down, up);
            diag_error(c->diag, lm->pos,
                       "%s: cluster.count %ld is not divisible by tp x pp x cp = %ld (nearest valid counts: %s)", path,
                       p->count, tpc, near);
        }
    }
    if (bad & (1u << LAYOUT_HEADS_NOT_DIVISIBLE)) {
        near_divisors(a->heads, l->tp, &lo, &hi);
        format_pair(near, sizeof near, lo, hi);
        diag_error(c->diag, pos_of(lm, "tp", lm), "%s.tp: %ld does not divide the %ld attention heads (nearest valid: %s)",
                   path, l->tp, a->heads, near);
    }
    if (bad & (1u << LAYOUT_EXPERTS_NOT_DIVISIBLE)) {
        if (a->experts == 0) {
            diag_error(c->diag, pos_of(lm, "ep", lm), "%s.ep: %ld, but the architecture has no experts (use ep: 1)", path,
                       l->ep);
        } else {
            /* valid ep divide both the experts and tp x dp */
            near_divisors(gcd(a->experts, l->tp * l->dp), l->ep, &lo, &hi);
            format_pair(near, sizeof near, lo, hi);
            diag_error(c->diag, pos_of(lm, "ep", lm), "%s.ep: %ld does not divide the %ld experts (nearest valid: %s)",
                       path, l->ep, a->experts, near);
        }
    }
    if (bad & (1u << LAYOUT_EP_NOT_IN_DP)) {
        const long tdp = l->tp * l->dp;
        near_divisors(a->experts > 0 ? gcd(a->experts, tdp) : tdp, l->ep, &lo, &hi);
        format_pair(near, sizeof near, lo, hi);
        diag_error(c->diag, pos_of(lm, "ep", lm),
                   "%s.ep: %ld must divide tp x dp = %ld (the expert-parallel group lies inside the data-parallel "
                   "group; nearest valid: %s)", path, l->ep, tdp, near);
    }
    if (bad & (1u << LAYOUT_BATCH_NOT_DIVISIBLE)) {
        const long q = l->dp * l->microbatch, down = p->global_batch_seqs / q * q;
        format_pair(near, sizeof near, down, down + q);
        diag_error(c->diag, lm->pos,
                   "%s: the global batch of %ld sequences is not divisible by dp x microbatch = %ld x %ld (nearest "
                   "valid batches: %s sequences)", path, p->global_batch_seqs, l->dp, l->microbatch, near);
    }
    if (bad & (1u << LAYOUT_TOO_FEW_MICROBATCHES)) {
        const long m = p->global_batch_seqs / (l->dp * l->microbatch);
        diag_error(c->diag, pos_of(lm, "pp", lm),
                   "%s.pp: %ld pipeline stages but only %ld micro-batches per step (global batch / (dp x microbatch)); "
                   "need at least %ld: a global batch of %ld sequences or more, or a smaller pp or microbatch", path,
                   l->pp, m, l->pp, l->pp * l->dp * l->microbatch);
    }
    if (bad & (1u << LAYOUT_TOO_MANY_STAGES))
        diag_error(c->diag, pos_of(lm, "pp", lm), "%s.pp: pp x interleave = %ld exceeds the %ld layers", path,
                   l->pp * l->interleave, a->layers);
    if (bad & (1u << LAYOUT_CP_NOT_DIVISIBLE))
        diag_error(c->diag, pos_of(lm, "cp", lm), "%s.cp: seq_len %ld is not divisible by 2 x cp = %ld", path, p->seq_len,
                   2 * l->cp);
}

/* "weights 12.3 GB, gradients ..." */
static void format_memory(char *buf, size_t size, const struct layout_memory *m)
{
    snprintf(buf, size, "weights %.1f GB, gradients %.1f GB, optimizer %.1f GB, activations %.1f GB, buffers %.1f GB",
             m->weights / BYTES_PER_GB, m->gradients / BYTES_PER_GB, m->optimizer / BYTES_PER_GB,
             m->activations / BYTES_PER_GB, m->buffers / BYTES_PER_GB);
}

static void check_memory(struct schema *c, const struct ynode *lm, const char *path, const struct layout_problem *p,
                         const struct layout *l, const struct layout_memory *mem)
{
    const double cap = p->hw.memory_bytes;
    if (!(mem->total > cap))
        return;
    char parts[256];
    format_memory(parts, sizeof parts, mem);
    const char *hint = l->recompute != RECOMPUTE_FULL ? "recompute: full, a higher zero stage, more tp or pp"
                       : l->zero < 3                  ? "a higher zero stage, more tp or pp, a smaller microbatch"
                                                      : "more tp or pp, a smaller microbatch";
    if (mem->total > cap * (1 + MEMORY_ERROR_FRACTION))
        diag_error(c->diag, lm->pos, "%s: needs about %.1f GB per GPU (%s), above the %.0f GB of the accelerator; try %s",
                   path, mem->total / BYTES_PER_GB, parts, cap / BYTES_PER_GB, hint);
    else
        diag_warning(c->diag, lm->pos,
                     "%s: needs about %.1f GB per GPU (%s), above the %.0f GB of the accelerator by up to 25 %%; real "
                     "runs may fit with tricks the estimate does not model, else try %s", path,
                     mem->total / BYTES_PER_GB, parts, cap / BYTES_PER_GB, hint);
}

static void choose_auto(struct schema *c, const struct ynode *lm, const char *path, const struct layout_problem *p,
                        const struct layout_eff *eff, struct stage_spec *st)
{
    struct layout_candidate *cand = NULL;
    long rejected[LAYOUT_REASON_COUNT] = { 0 };
    const int n = layout_enumerate(p, NULL, eff, &cand, rejected);
    if (n > 0) {
        st->layout = cand[0].l;
        st->memory_gb = cand[0].mem.total / BYTES_PER_GB;
        free(cand);
        return;
    }
    free(cand);
    char why[512] = "";
    for (int r = 0; r < LAYOUT_REASON_COUNT; r++)
        if (rejected[r])
            snprintf(why + strlen(why), sizeof why - strlen(why), "%s%ld %s", why[0] ? ", " : "", rejected[r],
                     layout_reason_name((enum layout_reason)r));
    diag_error(c->diag, lm->pos, "%s: auto found no valid layout that fits in memory (%s)", path,
               why[0] ? why : "no candidates");
}

void load_layout_stage(struct schema *c, const struct ynode *m, const char *path, const struct accel_entry *acc,
                       struct stage_spec *st)
{
    struct spec *s = c->spec;
    const int errors_before = c->diag->n_errors;
    char sub[600];
    const struct ynode *lm = ytree_get(m, "layout");
    for (int i = 0; i < EFF_COUNT; i++)
        st->eff_in[i] = -1;
    st->memory_gb = NAN;

    /* The batch: seq_len and one of global_batch_tokens / global_batch_seqs. */
    static const struct key_rule batch_rules[] = { LOAD_LAYOUT_STAGE_RULES };
    const int nb = N_RULES(batch_rules);
    if (!ytree_get(m, "seq_len"))
        diag_error(c->diag, m->pos, "%s: the layout form needs 'seq_len'", path);
    schema_int_key(c, m, path, batch_rules, nb, "seq_len", &st->seq_len);
    const bool has_bt = ytree_get(m, "global_batch_tokens"), has_bs = ytree_get(m, "global_batch_seqs");
    if (has_bt == has_bs)
        diag_error(c->diag, has_bt ? ytree_get(m, "global_batch_seqs")->pos : m->pos,
                   "%s: give exactly one of global_batch_tokens and global_batch_seqs", path);
    if (has_bs)
        schema_int_key(c, m, path, batch_rules, nb, "global_batch_seqs", &st->global_batch_seqs);
    long tokens = 0;
    if (has_bt && schema_int_key(c, m, path, batch_rules, nb, "global_batch_tokens", &tokens) && st->seq_len > 0) {
        if (tokens % st->seq_len != 0)
            diag_error(c->diag, ytree_get(m, "global_batch_tokens")->pos,
                       "%s.global_batch_tokens: %ld is not a whole number of %ld-token sequences (nearest: %ld or %ld)",
                       path, tokens, st->seq_len, tokens / st->seq_len * st->seq_len,
                       (tokens / st->seq_len + 1) * st->seq_len);
        st->global_batch_seqs = tokens / st->seq_len;
    }

    /* Efficiencies: the stage's, else the accelerator's calibrated defaults. */
    const struct ynode *em = ytree_get(m, "efficiency");
    if (em && em->kind == YNODE_MAP) {
        schema_join(sub, sizeof sub, path, "efficiency");
        schema_check_map(c, em, sub, eff_rules, EFF_COUNT);
    }
    char missing[128] = "";
    for (int i = 0; i < EFF_COUNT; i++) {
        char epath[640];
        schema_join(sub, sizeof sub, path, "efficiency");
        schema_join(epath, sizeof epath, sub, eff_rules[i].key);
        const struct ynode *v = em && em->kind == YNODE_MAP ? ytree_get(em, eff_rules[i].key) : NULL;
        if (v || !acc || !acc->has_eff) {
            if (!v && acc)
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", missing[0] ? ", " : "",
                         eff_rules[i].key);
            st->eff_in[i] = schema_param(c, v, epath, &eff_rules[i], eff_rules[i].dflt, INPUT_PER_SAMPLE);
        } else {
            st->eff_in[i] = schema_dist_input(c, epath, &acc->eff_dist[i], acc->eff_central[i]);
        }
    }
    if (missing[0])
        diag_error(c->diag, pos_of(m, "efficiency", m),
                   "%s: the catalog has no calibrated efficiencies for %s; set %s.efficiency: %s", path, acc->key,
                   path, missing);

    /* What the model needs of the architecture and the hardware. */
    bool ok = true;
    if (!s->has_arch) {
        diag_error(c->diag, lm->pos, "%s: the layout form needs the architecture (workload.architecture, or a "
                                     "workload.model whose card has one)", path);
        ok = false;
    }
    static const struct { const char *key; size_t off; } hw[] = {
        { "hbm_tb_s", offsetof(struct spec, hbm_tb_s) },       { "nvlink_gb_s", offsetof(struct spec, nvlink_gb_s) },
        { "network_gb_s", offsetof(struct spec, network_gb_s) }, { "memory_gb", offsetof(struct spec, memory_gb) },
    };
    for (size_t i = 0; i < sizeof hw / sizeof hw[0]; i++) {
        const double v = *(const double *)(const void *)((const char *)s + hw[i].off);
        if (!(v > 0)) {
            diag_error(c->diag, lm->pos, "%s: the catalog has no %s for %s; set cluster.%s", path, hw[i].key,
                       s->accelerator ? s->accelerator : "this accelerator", hw[i].key);
            ok = false;
        }
    }
    if (s->nvlink_domain < 1) {
        diag_error(c->diag, lm->pos, "%s: the catalog has no nvlink_domain for %s; set cluster.nvlink_domain", path,
                   s->accelerator ? s->accelerator : "this accelerator");
        ok = false;
    }
    /* The layout itself: the word auto, or a mapping whose keys and values are checked here,
     * before anything else can stop the stage, so that every problem of the file is reported. */
    schema_join(sub, sizeof sub, path, "layout");
    const bool is_auto = lm->kind == YNODE_SCALAR && strcmp(lm->text, "auto") == 0;
    if (!is_auto && lm->kind != YNODE_MAP) {
        diag_error(c->diag, lm->pos, "%s.layout: expected a mapping (tp, pp, ...) or auto, got %s", path,
                   ytree_kind_name(lm));
        return;
    }
    if (!is_auto)
        read_layout(c, lm, sub, &st->layout);
    if (!ok || st->seq_len <= 0 || st->global_batch_seqs <= 0 || c->diag->n_errors != errors_before)
        return;

    /* Central values: the problem and the efficiencies the checks and `auto` use. */
    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    const int k = (int)(st - s->stages);
    struct layout_problem p;
    struct layout_eff eff;
    model_layout_problem(s, x, k, &p);
    model_layout_eff(s, x, k, &eff);
    free(x);

    if (is_auto) {
        st->is_layout_auto = true;
        choose_auto(c, lm, sub, &p, &eff, st);
        return;
    }
    const long dp_given = st->layout.dp;
    const long tpc = st->layout.tp * st->layout.pp * st->layout.cp;
    if (dp_given == 0)
        st->layout.dp = p.count % tpc == 0 ? p.count / tpc : 1;
    unsigned bad = layout_check(&p, &st->layout);
    if (dp_given == 0 && p.count % tpc != 0)
        bad |= 1u << LAYOUT_COUNT_NOT_DIVISIBLE;
    if (bad) {
        report_invalid(c, lm, sub, &p, &st->layout, dp_given, bad);
        return;
    }
    struct layout_memory mem;
    layout_memory(&p, &st->layout, &mem);
    st->memory_gb = mem.total / BYTES_PER_GB;
    check_memory(c, lm, sub, &p, &st->layout, &mem);
}


