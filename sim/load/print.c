/*
 * print.c - the resolved scenario as YAML, for `trainsim check`; the catalogs as JSON or CSV,
 * for `trainsim catalog --format json|csv`.
 *
 * Shows what the simulator will actually use: catalog values filled in, defaults made
 * explicit, every num|dist parameter with its distribution and central value, and the
 * resolved checkpoint interval. Runs of scalar keys are printed from the key tables (put_keys).
 */
#include "load/load.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stdlib.h>

#include "core/model.h"
#include "core/result.h"
#include "load/embedded.h"
#include "load/schema.h"
#include "load/ytree.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* Prints s double-quoted, escaping quotes, backslashes and control characters: as a YAML
 * scalar (\xNN) or as a JSON string (\uNNNN). */
static void put_quoted(FILE *out, const char *s, bool is_json)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, is_json ? "\\u%04x" : "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_string(FILE *out, const char *s)
{
    put_quoted(out, s, false);
}

/* Prints input i: "3.5" or "{dist: uniform, min: 1, max: 2}  # central 1.5". */
static void put_input(FILE *out, const struct spec *s, int indent, const char *key, int i)
{
    const struct input *in = &s->inputs[i];
    const struct dist *d = &in->dist;
    fprintf(out, "%*s%s: ", indent, "", key);
    switch (d->kind) {
    case DIST_FIXED:
        fprintf(out, "%.10g\n", d->value);
        return;
    case DIST_NORMAL:
        fprintf(out, "{dist: normal, mean: %.10g, sd: %.10g", d->a, d->b);
        if (!isinf(d->lo))
            fprintf(out, ", min: %.10g", d->lo);
        if (!isinf(d->hi))
            fprintf(out, ", max: %.10g", d->hi);
        fputc('}', out);
        break;
    case DIST_UNIFORM:
        fprintf(out, "{dist: uniform, min: %.10g, max: %.10g}", d->lo, d->hi);
        break;
    case DIST_TRIANGULAR:
    case DIST_PERT:
        fprintf(out, "{dist: %s, min: %.10g, mode: %.10g, max: %.10g}", schema_dist_name(d->kind), d->lo, d->a, d->hi);
        break;
    case DIST_LOGNORMAL:
        fprintf(out, "{dist: lognormal, median: %.10g, gsd: %.10g}", d->a, d->b);
        break;
    case DIST_CHOICE:
        fputs("{dist: choice, values: [", out);
        for (int k = 0; k < d->n_values; k++)
            fprintf(out, "%s%.10g", k ? ", " : "", d->values[k]);
        fputs("], weights: [", out);
        for (int k = 0; k < d->n_values; k++)
            fprintf(out, "%s%.6g", k ? ", " : "", d->weights[k]);
        fputs("]}", out);
        break;
    case DIST_KIND_COUNT:
        break;
    }
    fprintf(out, "   # central %.6g%s\n", in->central,
            in->draw == INPUT_PER_SAMPLE ? "" : ", drawn afresh for each event");
}

/* Prints, in table order, the keys of a section from 'first' through 'last' that the loader
 * stored in the spec (those with a destination): num|dist as put_input, numbers with %g,
 * integers with %ld. A key added to such a run of a table is printed with no code here. */
static void put_keys(FILE *out, const struct spec *s, const char *section, const char *first, const char *last)
{
    const struct key_table *t = load_key_table(section);
    bool on = false;
    for (int i = 0; t && i < t->n; i++) {
        const struct key_rule *r = &t->rules[i];
        on |= strcmp(r->key, first) == 0;
        if (on && r->dest) {
            const void *at = (const char *)s + r->dest - 1;
            if (r->type == KEY_PARAM)
                put_input(out, s, 2, r->key, *(const int *)at);
            else if (r->type == KEY_NUMBER)
                fprintf(out, "  %s: %g\n", r->key, *(const double *)at);
            else if (r->type == KEY_INT)
                fprintf(out, "  %s: %ld\n", r->key, *(const long *)at);
        }
        if (on && strcmp(r->key, last) == 0)
            break;
    }
}

/* A layout stage: batch, layout, efficiencies, and at the central values the step-time
 * breakdown and the memory by component (DESIGN 8). */
static void put_layout(FILE *out, const struct spec *s, const struct stage_spec *st, int indent)
{
    const struct layout *l = &st->layout;
    fprintf(out, "%*sseq_len: %ld\n%*sglobal_batch_seqs: %ld   # %.6g tokens per step\n", indent, "", st->seq_len,
            indent, "", st->global_batch_seqs, (double)st->global_batch_seqs * (double)st->seq_len);
    fprintf(out,
            "%*slayout: {tp: %ld, pp: %ld, cp: %ld, ep: %ld, dp: %ld, microbatch: %ld, interleave: %ld, schedule: %s, "
            "recompute: %s, zero: %d, sequence_parallel: %s}%s\n",
            indent, "", l->tp, l->pp, l->cp, l->ep, l->dp, l->microbatch, l->interleave,
            layout_schedule_name(l->schedule), layout_recompute_name(l->recompute), l->zero,
            l->sequence_parallel ? "true" : "false", st->is_layout_auto ? "   # chosen by auto" : "");
    fprintf(out, "%*sefficiency:\n", indent, "");
    for (int i = 0; i < EFF_COUNT; i++)
        put_input(out, s, indent + 2, layout_eff_name((enum layout_eff_kind)i), st->eff_in[i]);

    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    struct layout_problem p;
    struct layout_eff eff;
    struct layout_time t;
    struct layout_memory mem;
    const int k = (int)(st - s->stages);
    model_layout_problem(s, x, k, &p);
    model_layout_eff(s, x, k, &eff);
    free(x);
    layout_step(&p, l, &eff, &t);
    layout_memory(&p, l, &mem);
    fprintf(out,
            "%*s# at central values: step %.4g s = compute %.4g + bubble %.4g + tp %.4g + pp %.4g + dp %.4g + ep %.4g + "
            "cp %.4g + optimizer %.4g\n",
            indent, "", t.step_s, t.compute_s, t.bubble_s, t.tp_s, t.pp_s, t.dp_s, t.ep_s, t.cp_s, t.optimizer_s);
    fprintf(out, "%*s# %.6g tokens/s per GPU, MFU %.1f %%\n", indent, "", t.tokens_per_gpu_s, 100 * t.mfu);
    fprintf(out,
            "%*s# memory %.1f GB per GPU of %.0f: weights %.1f, gradients %.1f, optimizer %.1f, activations %.1f, "
            "buffers %.1f\n",
            indent, "", mem.total / 1e9, s->memory_gb, mem.weights / 1e9, mem.gradients / 1e9, mem.optimizer / 1e9,
            mem.activations / 1e9, mem.buffers / 1e9);
    const long stages = l->pp * l->interleave;
    if (s->arch.layers % stages != 0)
        fprintf(out, "%*s# %ld layers on %ld pipeline stages: the stage with %ld layers sets the pace\n", indent, "",
                s->arch.layers, stages, layout_max_stage_layers(&s->arch, l));
}

/* The architecture as one flow mapping (DESIGN 8 keys), the model card's included. */
static void put_arch(FILE *out, const struct arch *a)
{
    fprintf(out,
            "  architecture: {layers: %ld, hidden: %ld, ffn_hidden: %ld, ffn_kind: %s, heads: %ld, kv_heads: %ld, "
            "head_dim: %ld, vocab: %ld, tied_embeddings: %s",
            a->layers, a->hidden, a->ffn_hidden, a->ffn_kind == FFN_GELU ? "gelu" : "swiglu", a->heads, a->kv_heads,
            a->head_dim, a->vocab, a->tied_embeddings ? "true" : "false");
    if (a->experts > 0)
        fprintf(out, ",\n                 moe: {experts: %ld, top_k: %ld, shared_experts: %ld, expert_ffn_hidden: %ld, "
                     "dense_layers: %ld}",
                a->experts, a->top_k, a->shared_experts, a->expert_ffn_hidden, a->dense_layers);
    if (a->has_mla)
        fprintf(out, ",\n                 mla: {q_lora_rank: %ld, kv_lora_rank: %ld, rope_head_dim: %ld, nope_head_dim: "
                     "%ld, v_head_dim: %ld}",
                a->q_lora_rank, a->kv_lora_rank, a->rope_head_dim, a->nope_head_dim, a->v_head_dim);
    fputs("}\n", out);
}

static void put_stage(FILE *out, const struct spec *s, const struct stage_spec *st, int indent)
{
    static const char *const forms[] = { "flops", "params", "gpu_hours", "tokens", "layout" };
    fprintf(out, "%*sname: ", indent, "");
    put_string(out, st->name);
    fputc('\n', out);
    fprintf(out, "%*s# work form: %s\n", indent, "", forms[st->form]);
    if (st->flops_in >= 0)
        put_input(out, s, indent, "flops", st->flops_in);
    if (st->params_in >= 0)
        put_input(out, s, indent, "params", st->params_in);
    if (st->flops_per_token_in >= 0)
        put_input(out, s, indent, "flops_per_token", st->flops_per_token_in);
    if (st->tokens_in >= 0)
        put_input(out, s, indent, "tokens", st->tokens_in);
    if (st->gpu_hours_in >= 0)
        put_input(out, s, indent, "gpu_hours", st->gpu_hours_in);
    if (st->speed_in >= 0)
        put_input(out, s, indent, "speed", st->speed_in);
    if (st->tokens_per_gpu_s_in >= 0)
        put_input(out, s, indent, "tokens_per_gpu_s", st->tokens_per_gpu_s_in);
    if (st->precision) {
        fprintf(out, "%*sprecision: %s   # peak %.6g TFLOP/s\n", indent, "", st->precision,
                s->inputs[st->peak_tflops_in].central);
        if (st->mfu_in >= 0)
            put_input(out, s, indent, "mfu", st->mfu_in);
    }
    if (st->form == WORK_LAYOUT)
        put_layout(out, s, st, indent);
    if (st->curve.n) {
        fprintf(out, "%*sutilization_curve: [", indent, "");
        for (int i = 0; i < st->curve.n; i++)
            fprintf(out, "%s[%.6g, %.6g]", i ? ", " : "", st->curve.x[i], st->curve.y[i]);
        fputs("]\n", out);
    }
    if (st->busy_fraction_in != s->busy_fraction_in)
        put_input(out, s, indent, "busy_fraction", st->busy_fraction_in);
}

void load_print_resolved(FILE *out, const struct spec *s)
{
    char start[32];
    time_format_iso8601(s->start_unix_s, start, sizeof start);
    fprintf(out, "# resolved scenario: %s\nname: ", s->file);
    put_string(out, s->name);
    if (s->description) {
        fputs("\ndescription: ", out);
        put_string(out, s->description);
    }
    fputc('\n', out);
    fprintf(out, "start: %s\n", start);

    fputs("workload:\n", out);
    if (s->model)
        fprintf(out, "  model: %s\n", s->model);
    if (s->has_arch)
        put_arch(out, &s->arch);
    fputs("  stages:\n", out);
    for (int k = 0; k < s->n_stages; k++) {
        fputs("    -\n", out);
        put_stage(out, s, &s->stages[k], 6);
    }

    fprintf(out, "cluster:\n  accelerator: %s\n  count: %ld\n  gpus_per_node: %d   # %ld nodes\n", s->accelerator,
            s->count, s->gpus_per_node, s->n_nodes);
    put_input(out, s, 2, "tdp_w", s->tdp_w_in);
    put_input(out, s, 2, "overhead_factor", s->overhead_factor_in);
    put_input(out, s, 2, "node_overhead_w", s->node_overhead_w_in);
    /* the figures the layout model uses (catalog values unless overridden), where known */
    const struct { const char *key; double v; } hw[] = {
        { "memory_gb", s->memory_gb }, { "hbm_tb_s", s->hbm_tb_s }, { "nvlink_gb_s", s->nvlink_gb_s },
        { "network_gb_s", s->network_gb_s }, { "nvlink_domain", (double)s->nvlink_domain },
    };
    for (size_t i = 0; i < sizeof hw / sizeof hw[0]; i++)
        if (hw[i].v > 0)
            fprintf(out, "  %s: %.10g\n", hw[i].key, hw[i].v);

    fputs("power:\n", out);
    put_keys(out, s, "power", "busy_fraction", "idle_fraction");

    fputs("facility:\n", out);
    if (s->facility_preset)
        fprintf(out, "  preset: %s\n", s->facility_preset);
    put_keys(out, s, "facility", "pue", "utc_offset_h");
    if (s->pue_series.n)
        fprintf(out, "  pue_series: %s   # %d rows\n", s->pue_series.path, s->pue_series.n);
    put_keys(out, s, "facility", "wue_l_per_kwh", "wue_l_per_kwh");

    fputs("grid:\n", out);
    if (s->grid_region)
        fprintf(out, "  region: %s\n", s->grid_region);
    put_input(out, s, 2, "intensity_kg_per_kwh", s->intensity_in);
    put_keys(out, s, "grid", "seasonal_amplitude", "peak_hour");
    if (s->grid_series.n)
        fprintf(out, "  series: %s   # %d rows%s%s\n", s->grid_series.path, s->grid_series.n,
                s->grid_series_format ? ", " : "", s->grid_series_format ? s->grid_series_format : "");
    put_input(out, s, 2, "carbon_free_fraction", s->carbon_free_fraction_in);
    put_input(out, s, 2, "water_l_per_kwh", s->water_l_per_kwh_in);

    fputs("reliability:\n", out);
    put_keys(out, s, "reliability", "failures_per_1000_node_days", "restart_min");
    if (isinf(s->checkpoint_interval_min))
        fprintf(out, "  checkpoint_interval_min: %s   # no checkpoints\n", s->checkpoint_auto ? "auto" : "inf");
    else
        fprintf(out, "  checkpoint_interval_min: %.6g%s\n", s->checkpoint_interval_min,
                s->checkpoint_auto ? "   # auto: Young/Daly sqrt(2 delta M)" : "");
    put_keys(out, s, "reliability", "checkpoint_write_min", "planned_per_day");
    put_input(out, s, 2, "planned_downtime_min", s->planned_downtime_min_in);

    fputs("economics:\n", out);
    put_keys(out, s, "economics", "gpu_hour_usd", "colocation_usd_per_kw_month");
    if (s->has_embodied) {
        fputs("embodied:\n", out);
        put_keys(out, s, "embodied", "kg_per_gpu", "lifetime_years");
    }
    fputs("sim:\n", out);
    put_keys(out, s, "sim", "samples", "step_min"); /* the seed is at most 2^53: %ld prints it as %lu */
    fputs("  quantiles: [", out);
    for (int i = 0; i < s->n_quantiles; i++)
        fprintf(out, "%s%g", i ? ", " : "", s->quantiles[i]);
    fputs("]\n", out);
    put_keys(out, s, "sim", "max_days", "max_days");
    if (s->n_reported) {
        fputs("reported:\n", out);
        for (int i = 0; i < s->n_reported; i++) {
            const struct reported *r = &s->reported[i];
            fprintf(out, "  %s: {value: %.10g, kind: %s, tolerance_pct: %g, source: ", metric_info(r->metric)->key,
                    r->value, r->is_prediction ? "prediction" : "consistency", r->tolerance_pct);
            put_string(out, r->source ? r->source : "");
            fputs("}\n", out);
        }
    }
}

/* ---- catalog --format json|csv: the catalog files themselves, generically (any key an entry
 * has appears, so a new catalog field needs no code here). */

static void put_json_string(FILE *out, const char *s)
{
    put_quoted(out, s, true);
}

/* Whether a plain scalar is a JSON number as it stands (YAML's 175e9, 1.10, 700). */
static bool is_number_text(const struct ynode *n)
{
    if (!n->is_plain || !*n->text)
        return false;
    char *end;
    const double v = strtod(n->text, &end);
    return !*end && isfinite(v) && (isdigit((unsigned char)n->text[0]) || n->text[0] == '-') &&
           !strchr(n->text, 'x') && !strchr(n->text, 'X');
}

static void put_json_node(FILE *out, const struct ynode *n, int indent)
{
    switch (n->kind) {
    case YNODE_SCALAR:
        if (is_number_text(n)) {
            char *end;
            fprintf(out, "%.17g", strtod(n->text, &end));
        } else if (n->is_plain && (!strcmp(n->text, "true") || !strcmp(n->text, "false") || !strcmp(n->text, "null"))) {
            fputs(n->text, out);
        } else {
            put_json_string(out, n->text);
        }
        return;
    case YNODE_SEQ:
        fputc('[', out);
        for (int i = 0; i < n->n; i++) {
            fputs(i ? ", " : "", out);
            put_json_node(out, n->vals[i], indent);
        }
        fputc(']', out);
        return;
    case YNODE_MAP:
        fputs("{", out);
        for (int i = 0; i < n->n; i++) {
            fprintf(out, "%s\n%*s", i ? "," : "", indent + 2, "");
            put_json_string(out, n->keys[i]->text);
            fputs(": ", out);
            put_json_node(out, n->vals[i], indent + 2);
        }
        fprintf(out, "\n%*s}", indent, "");
        return;
    }
}

/* CSV columns: the leaf paths of entries (nested keys joined with '.'), first seen first. */
struct columns {
    char **name;
    int n;
};

static void collect_columns(struct columns *c, const struct ynode *n, const char *prefix)
{
    if (n->kind != YNODE_MAP) {
        for (int i = 0; i < c->n; i++)
            if (strcmp(c->name[i], prefix) == 0)
                return;
        c->name = xrealloc(c->name, (size_t)(c->n + 1) * sizeof *c->name);
        c->name[c->n++] = xstrdup(prefix);
        return;
    }
    for (int i = 0; i < n->n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", n->keys[i]->text);
        collect_columns(c, n->vals[i], path);
    }
}

static const struct ynode *node_at(const struct ynode *n, const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *part = buf, *dot; n && part; part = dot ? dot + 1 : NULL) {
        dot = strchr(part, '.');
        if (dot)
            *dot = '\0';
        n = ytree_get(n, part);
    }
    return n;
}

/* One CSV cell (RFC 4180 quoting); a list is its items joined with ';'. */
static void put_csv_cell(FILE *out, const struct ynode *n)
{
    if (!n || n->kind == YNODE_MAP)
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (n->kind == YNODE_SEQ)
        for (int i = 0; i < n->n; i++)
            fprintf(m, "%s%s", i ? ";" : "", n->vals[i]->kind == YNODE_SCALAR ? n->vals[i]->text : "");
    else
        fputs(n->text, m);
    fclose(m);
    if (strpbrk(text, ",\"\n\r")) {
        fputc('"', out);
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
        fputc('"', out);
    } else {
        fputs(text, out);
    }
    free(text);
}

/* The parsed catalogs in order, as (catalog, key, entry) rows: each configs/ file's top map,
 * and the model cards. */
struct catalog_rows {
    struct ynode **trees; /* owned roots */
    int n_trees;
    const char **catalog; /* per row */
    const char **key;
    const struct ynode **entry;
    int n;
};

static void rows_add_tree(struct catalog_rows *r, struct ynode *root)
{
    r->trees = xrealloc(r->trees, (size_t)(r->n_trees + 1) * sizeof *r->trees);
    r->trees[r->n_trees++] = root;
}

static void rows_add(struct catalog_rows *r, const char *catalog, const char *key, const struct ynode *entry)
{
    r->catalog = xrealloc(r->catalog, (size_t)(r->n + 1) * sizeof *r->catalog);
    r->key = xrealloc(r->key, (size_t)(r->n + 1) * sizeof *r->key);
    r->entry = xrealloc(r->entry, (size_t)(r->n + 1) * sizeof *r->entry);
    r->catalog[r->n] = catalog;
    r->key[r->n] = key;
    r->entry[r->n] = entry;
    r->n++;
}

bool load_print_catalog_data(FILE *out, const char *format, const char *which, const struct catalog *cat,
                             struct diag *d)
{
    static const char *const names[] = { "accelerators", "grids", "facilities", "equivalences", "models" };
    const char *configs = cat->dir;
    bool known = !which;
    for (int k = 0; k < 5; k++)
        known = known || strcmp(which, names[k]) == 0;
    if (!known)
        return catalog_print(out, cat, d, which); /* reports the unknown name, with a suggestion */
    struct catalog_rows r = { 0 };
    bool ok = true;
    for (int k = 0; k < 5 && ok; k++) {
        if (which && strcmp(which, names[k]) != 0)
            continue;
        if (k == 4) { /* the model cards, compiled in */
            for (int i = 0; i < n_embedded_files && ok; i++) {
                const struct embedded_file *f = &embedded_files[i];
                if (strncmp(f->path, "models/", 7) != 0)
                    continue;
                struct ynode *root = ytree_parse(d, f->path, f->text, f->len, 0);
                ok = root != NULL;
                if (ok) {
                    rows_add_tree(&r, root);
                    rows_add(&r, names[k], f->key, root);
                }
            }
            continue;
        }
        char path[4096];
        struct ynode *root = NULL;
        if (configs) {
            snprintf(path, sizeof path, "%s/%s.yaml", configs, names[k]);
            root = ytree_load_file(d, path, LOAD_MAX_SCENARIO_BYTES * 4, (struct src_pos){ "--configs", 0, 0 });
        } else {
            snprintf(path, sizeof path, "configs/%s.yaml", names[k]);
            for (int i = 0; i < n_embedded_files; i++)
                if (strcmp(embedded_files[i].path, path) == 0)
                    root = ytree_parse(d, path, embedded_files[i].text, embedded_files[i].len, 0);
        }
        ok = root != NULL;
        if (!ok)
            break;
        rows_add_tree(&r, root);
        const struct ynode *top = ytree_get(root, names[k]);
        for (int i = 0; top && top->kind == YNODE_MAP && i < top->n; i++)
            rows_add(&r, names[k], top->keys[i]->text, top->vals[i]);
    }
    if (ok && strcmp(format, "json") == 0) {
        fputc('{', out);
        const char *open = NULL;
        for (int i = 0; i < r.n; i++) {
            if (!open || strcmp(open, r.catalog[i]) != 0) {
                fprintf(out, "%s\n  ", open ? "\n  }," : "");
                put_json_string(out, r.catalog[i]);
                fputs(": {", out);
                open = r.catalog[i];
            } else {
                fputc(',', out);
            }
            fputs("\n    ", out);
            put_json_string(out, r.key[i]);
            fputs(": ", out);
            put_json_node(out, r.entry[i], 4);
        }
        fputs(open ? "\n  }\n}\n" : "}\n", out);
    } else if (ok) { /* csv: one table, a row per entry */
        struct columns c = { 0 };
        for (int i = 0; i < r.n; i++)
            collect_columns(&c, r.entry[i], "");
        fputs("catalog,key", out);
        for (int j = 0; j < c.n; j++)
            fprintf(out, ",%s", c.name[j]);
        fputc('\n', out);
        for (int i = 0; i < r.n; i++) {
            fprintf(out, "%s,%s", r.catalog[i], r.key[i]);
            for (int j = 0; j < c.n; j++) {
                fputc(',', out);
                put_csv_cell(out, node_at(r.entry[i], c.name[j]));
            }
            fputc('\n', out);
        }
        for (int j = 0; j < c.n; j++)
            free(c.name[j]);
        free(c.name);
    }
    for (int i = 0; i < r.n_trees; i++)
        ytree_free(r.trees[i]);
    free(r.trees);
    free(r.catalog);
    free(r.key);
    free(r.entry);
    return ok && !ferror(out);
}
