/*
 * print.c - the resolved scenario as YAML, for `trainsim check`; the catalogs as JSON or CSV,
 * for `trainsim catalog --format json|csv`.
 *
 * Shows what the simulator will actually use: catalog values filled in, defaults made
 * explicit, every num|dist parameter with its distribution and central value, and the
 * resolved checkpoint interval. Every key is printed from its section's key table (put_table),
 * in table order, as its rule's show hint says (schema.h): a key added to a table appears here
 * with no code.
 */
#include "load/load.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Where check's print is: the stream, the spec, the stage being printed (NULL outside
 * workload.stages) and the indentation of the keys. */
struct shown {
    FILE *out;
    const struct spec *s;
    const struct stage_spec *st;
    int indent;
};

static void put_table(const struct shown *c, const char *section, const void *base);

/* The layout form's resolved layout, efficiencies and, at the central values, the step-time
 * breakdown and the memory by component (DESIGN 8). */
static void put_layout(const struct shown *c)
{
    FILE *out = c->out;
    const struct spec *s = c->s;
    const struct stage_spec *st = c->st;
    const int indent = c->indent;
    const struct layout *l = &st->layout;
    fprintf(out,
            "%*slayout: {tp: %ld, pp: %ld, cp: %ld, ep: %ld, dp: %ld, microbatch: %ld, interleave: %ld, schedule: %s, "
            "recompute: %s, zero: %d, sequence_parallel: %s}%s\n",
            indent, "", l->tp, l->pp, l->cp, l->ep, l->dp, l->microbatch, l->interleave,
            layout_schedule_name(l->schedule), layout_recompute_name(l->recompute), l->zero,
            l->sequence_parallel ? "true" : "false", st->is_layout_auto ? "   # chosen by auto" : "");
    fprintf(out, "%*sefficiency:\n", indent, "");
    const struct key_table *eff = load_key_table("workload.stages[].efficiency"); /* indexed by enum layout_eff_kind */
    for (int i = 0; eff && i < eff->n && i < EFF_COUNT; i++)
        put_input(out, s, indent + 2, eff->rules[i].key, st->eff_in[i]);

    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    struct layout_problem p;
    struct layout_eff e;
    struct layout_time t;
    struct layout_memory mem;
    const int k = (int)(st - s->stages);
    model_layout_problem(s, x, k, &p);
    model_layout_eff(s, x, k, &e);
    free(x);
    layout_step(&p, l, &e, &t);
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

/* The workload: its model card, architecture and each stage from the stage table. */
static void put_workload(const struct shown *c)
{
    FILE *out = c->out;
    const struct spec *s = c->s;
    if (s->model)
        fprintf(out, "  model: %s\n", s->model);
    if (s->has_arch)
        put_arch(out, &s->arch);
    fputs("  stages:\n", out);
    for (int k = 0; k < s->n_stages; k++) {
        fputs("    -\n", out);
        const struct shown sc = { out, s, &s->stages[k], 6 };
        put_table(&sc, "workload.stages[]", &s->stages[k]);
    }
}

static void put_reported(FILE *out, const struct spec *s)
{
    for (int i = 0; i < s->n_reported; i++) {
        const struct reported *r = &s->reported[i];
        fprintf(out, "%s  %s: {value: %.10g, kind: %s, tolerance_pct: %g, source: ", i ? "" : "reported:\n",
                metric_info(r->metric)->key, r->value, r->is_prediction ? "prediction" : "consistency",
                r->tolerance_pct);
        put_string(out, r->source ? r->source : "");
        fputs("}\n", out);
    }
}

/* "  key: " at the indentation of c. */
static void put_head(const struct shown *c, const struct key_rule *r)
{
    fprintf(c->out, "%*s%s: ", c->indent, "", r->key);
}

/* Prints one key of a table whose offsets are into base (the spec or c->st), as its rule's
 * show says; the value at its place (dest, else at) is what schema_read stores for its type
 * (an input index, -1 when unused; a long, or an int with KEY_TO_INT; a double; a string),
 * unless the hint names another. A key with no place and no hint of its own is not printed. */
static void put_rule(const struct shown *c, const char *section, const struct key_rule *r, const void *base)
{
    FILE *out = c->out;
    const struct spec *s = c->s;
    const size_t off = r->dest ? r->dest : r->at;
    const void *at = off ? (const char *)base + off - 1 : NULL;
    const bool by_type = at && r->show != SHOW_SERIES; /* what at points to is the type's */
    const int in = by_type && r->type == KEY_PARAM ? *(const int *)at : -1;
    const long n = !by_type || r->type != KEY_INT ? 0 : r->flags & KEY_TO_INT ? *(const int *)at : *(const long *)at;
    const double v = by_type && r->type == KEY_NUMBER ? *(const double *)at : (double)NAN;
    const char *text = by_type && r->type == KEY_STRING ? *(const char *const *)at : NULL;
    switch (r->show) {
    case SHOW_TYPE:
        if (in >= 0) {
            put_input(out, s, c->indent, r->key, in);
        } else if (at && (r->type == KEY_NUMBER || r->type == KEY_INT || r->type == KEY_TIME || text)) {
            char iso[32] = "";
            if (r->type == KEY_TIME)
                time_format_iso8601(*(const double *)at, iso, sizeof iso);
            put_head(c, r);
            if (r->type == KEY_NUMBER)
                fprintf(out, "%g\n", v);
            else if (r->type == KEY_INT) /* the seed is at most 2^53: %ld prints it as %lu */
                fprintf(out, "%ld\n", n);
            else
                fprintf(out, "%s\n", text ? text : iso);
        }
        return;
    case SHOW_QUOTED:
    case SHOW_WORK_FORM:
        if (!text)
            return;
        put_head(c, r);
        put_string(out, text);
        fputc('\n', out);
        if (r->show == SHOW_WORK_FORM) {
            static const char *const forms[] = { "flops", "params", "gpu_hours", "tokens", "layout" };
            fprintf(out, "%*s# work form: %s\n", c->indent, "", forms[c->st->form]);
        }
        return;
    case SHOW_KNOWN:
        if (v > 0 || n > 0) {
            put_head(c, r);
            fprintf(out, v > 0 ? "%.10g\n" : "%.0f\n", v > 0 ? v : (double)n);
        }
        return;
    case SHOW_NODES:
        put_head(c, r);
        fprintf(out, "%ld   # %ld nodes\n", n, s->n_nodes);
        return;
    case SHOW_PEAK:
        if (text) {
            put_head(c, r);
            fprintf(out, "%s   # peak %.6g TFLOP/s\n", text, s->inputs[c->st->peak_tflops_in].central);
        }
        return;
    case SHOW_BATCH:
        if (n > 0) {
            put_head(c, r);
            fprintf(out, "%ld   # %.6g tokens per step\n", n, (double)n * (double)c->st->seq_len);
        }
        return;
    case SHOW_LAYOUT:
        if (c->st->form == WORK_LAYOUT)
            put_layout(c);
        return;
    case SHOW_CURVE: {
        const struct curve *cv = at;
        if (!cv->n)
            return;
        put_head(c, r);
        for (int i = 0; i < cv->n; i++)
            fprintf(out, "%s[%.6g, %.6g]", i ? ", " : "[", cv->x[i], cv->y[i]);
        fputs("]\n", out);
        return;
    }
    case SHOW_OVERRIDE: {
        const struct key_table *power = load_key_table("power");
        const struct key_rule *pr = power ? schema_rule(power->rules, power->n, r->key) : NULL;
        if (in >= 0 && (!pr || !pr->dest || in != *(const int *)((const char *)s + pr->dest - 1)))
            put_input(out, s, c->indent, r->key, in);
        return;
    }
    case SHOW_SERIES: {
        const struct series *sr = at;
        const char *format = sr == &s->grid_series ? s->grid_series_format : NULL; /* a file format recognised */
        if (sr->n) {
            put_head(c, r);
            fprintf(out, "%s   # %d rows%s%s\n", sr->path, sr->n, format ? ", " : "", format ? format : "");
        }
        return;
    }
    case SHOW_CHECKPOINT: {
        const double m = *(const double *)at;
        put_head(c, r);
        if (isinf(m))
            fprintf(out, "%s   # no checkpoints\n", s->checkpoint_auto ? "auto" : "inf");
        else
            fprintf(out, "%.6g%s\n", m, s->checkpoint_auto ? "   # auto: Young/Daly sqrt(2 delta M)" : "");
        return;
    }
    case SHOW_QUANTILES:
        put_head(c, r);
        for (int i = 0; i < s->n_quantiles; i++)
            fprintf(out, "%s%g", i ? ", " : "[", s->quantiles[i]);
        fputs("]\n", out);
        return;
    case SHOW_SECTION:
    case SHOW_SECTION_IF: {
        if (r->show == SHOW_SECTION_IF && !*(const bool *)at)
            return;
        char path[256];
        schema_join(path, sizeof path, section, r->key);
        fprintf(out, "%*s%s:\n", c->indent, "", r->key);
        const struct shown sc = { out, s, c->st, c->indent + 2 };
        put_table(&sc, path, base);
        return;
    }
    case SHOW_WORKLOAD:
        fprintf(out, "%*s%s:\n", c->indent, "", r->key);
        put_workload(c);
        return;
    case SHOW_REPORTED:
        put_reported(out, s);
        return;
    }
}

/* Prints the keys of a section's table in table order: a key added to a table appears here
 * with no code, as its type or show hint says. */
static void put_table(const struct shown *c, const char *section, const void *base)
{
    const struct key_table *t = load_key_table(section);
    for (int i = 0; t && i < t->n; i++)
        put_rule(c, section, &t->rules[i], base);
}

void load_print_resolved(FILE *out, const struct spec *s)
{
    fprintf(out, "# resolved scenario: %s\n", s->file);
    const struct shown c = { out, s, NULL, 0 };
    put_table(&c, "", s);
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
