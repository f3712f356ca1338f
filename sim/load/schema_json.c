/*
 * schema_json.c - the JSON Schema (draft 2020-12) of the scenario format, generated from the
 * loader's key tables (`trainsim schema`, docs/scenario.schema.json).
 *
 * Every table becomes a $defs entry (an object with additionalProperties false and its
 * required keys); every key gets its type, range, default, unit and help line from its rule.
 * num|dist keys refer to one definition per range, a oneOf of a number and each distribution
 * form the loader accepts, with the range applied to every value the distribution can take
 * (DESIGN 2.9). Keys naming a catalog entry are enums of the built-in catalog's keys.
 * What the schema cannot say (cross-key rules, files, display names of grids) the loader
 * still checks.
 */
#include "load/load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/result.h"
#include "load/schema.h"
#include "util/xalloc.h"

/* ---- A small JSON writer: one key per line, two spaces per level. */

struct jw {
    FILE *out;
    int depth;
    bool first[32]; /* no member written yet at this level */
};

static void jw_string(struct jw *w, const char *s)
{
    fputc('"', w->out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(w->out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", w->out);
        else if (*p < 0x20)
            fprintf(w->out, "\\u%04x", *p);
        else
            fputc(*p, w->out);
    }
    fputc('"', w->out);
}

/* Starts a member (key may be NULL inside an array). */
static void jw_member(struct jw *w, const char *key)
{
    fprintf(w->out, "%s\n%*s", w->first[w->depth] ? "" : ",", 2 * w->depth, "");
    w->first[w->depth] = false;
    if (key) {
        jw_string(w, key);
        fputs(": ", w->out);
    }
}

static void jw_open(struct jw *w, const char *key, char bracket)
{
    jw_member(w, key);
    fputc(bracket, w->out);
    w->first[++w->depth] = true;
}

static void jw_close(struct jw *w, char bracket)
{
    const bool empty = w->first[w->depth--];
    if (!empty)
        fprintf(w->out, "\n%*s", 2 * w->depth, "");
    fputc(bracket, w->out);
}

static void jw_str(struct jw *w, const char *key, const char *value)
{
    jw_member(w, key);
    jw_string(w, value);
}

static void jw_num(struct jw *w, const char *key, double v)
{
    jw_member(w, key);
    fprintf(w->out, "%.15g", v);
}

static void jw_raw(struct jw *w, const char *key, const char *text)
{
    jw_member(w, key);
    fputs(text, w->out);
}

static void jw_ref(struct jw *w, const char *key, const char *def)
{
    char ref[1024];
    snprintf(ref, sizeof ref, "#/$defs/%.1000s", def);
    jw_open(w, key, '{');
    jw_str(w, "$ref", ref);
    jw_close(w, '}');
}

/* An enum of the words of a comma-separated list. */
static void jw_words(struct jw *w, const char *list)
{
    jw_open(w, "enum", '[');
    for (const char *p = list; *p;) {
        const size_t n = strcspn(p, ",");
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)n, p);
        jw_str(w, NULL, word);
        p += n + (p[n] == ',');
    }
    jw_close(w, ']');
}

static void jw_enum(struct jw *w, const char *const *words, int n)
{
    jw_open(w, "enum", '[');
    for (int i = 0; i < n; i++)
        jw_str(w, NULL, words[i]);
    jw_close(w, ']');
}

/* ---- Ranges */

static bool range_has(const struct key_rule *r, double v)
{
    if ((r->flags & KEY_LO_OPEN) ? v <= r->lo : v < r->lo)
        return false;
    return (r->flags & KEY_HI_OPEN) ? v < r->hi : v <= r->hi;
}

/* minimum / exclusiveMinimum / maximum / exclusiveMaximum of a rule's range. */
static void jw_range(struct jw *w, const struct key_rule *r)
{
    if (isfinite(r->lo))
        jw_num(w, r->flags & KEY_LO_OPEN ? "exclusiveMinimum" : "minimum", r->lo);
    if (isfinite(r->hi))
        jw_num(w, r->flags & KEY_HI_OPEN ? "exclusiveMaximum" : "maximum", r->hi);
}

/* The name of the num|dist definition of a range: num_dist_gt0_le1, num_dist_ge1, ... */
static void range_def(char *buf, size_t size, const struct key_rule *r)
{
    char part[2][40] = { "", "" };
    const double v[2] = { r->lo, r->hi };
    const char *op[2] = { r->flags & KEY_LO_OPEN ? "gt" : "ge", r->flags & KEY_HI_OPEN ? "lt" : "le" };
    for (int i = 0; i < 2; i++) {
        if (!isfinite(v[i]))
            continue;
        char num[32];
        snprintf(num, sizeof num, "%g", v[i]);
        for (char *p = num; *p; p++)
            *p = *p == '-' ? 'm' : *p == '.' ? 'p' : *p == '+' ? 'x' : *p;
        snprintf(part[i], sizeof part[i], "_%s%s", op[i], num);
    }
    snprintf(buf, size, "num_dist%s%s", part[0], part[1]);
}

/* ---- Descriptions */

static void jw_description(struct jw *w, const struct key_rule *r)
{
    char text[512];
    int n = snprintf(text, sizeof text, "%s", r->doc ? r->doc : "");
    if (r->unit)
        n += snprintf(text + n, sizeof text - (size_t)n, " (unit: %s)", r->unit);
    if (r->flags & KEY_REQUIRED)
        n += snprintf(text + n, sizeof text - (size_t)n, "; required");
    else if (r->dflt_note)
        n += snprintf(text + n, sizeof text - (size_t)n, "; default: %s", r->dflt_note);
    else if (r->flags & KEY_KEEP)
        n += snprintf(text + n, sizeof text - (size_t)n, "; default: the model card's or hf_config's");
    if (r->type == KEY_PARAM)
        snprintf(text + n, sizeof text - (size_t)n, "; a number or a distribution {dist: ...}");
    jw_str(w, "description", text);
}

/* The "default" member, when the table's default is the default (not a catalog's, ...). */
static void jw_default(struct jw *w, const struct key_rule *r)
{
    if ((r->flags & (KEY_REQUIRED | KEY_KEEP)) || r->dflt_note)
        return;
    switch (r->type) {
    case KEY_NUMBER:
    case KEY_INT:
    case KEY_PARAM:
        if (isfinite(r->dflt))
            jw_num(w, "default", r->dflt);
        break;
    case KEY_STRING:
    case KEY_TIME:
    case KEY_AUTO:
        if (r->dflt_text && r->choices && strcmp(r->choices, "true,false") == 0)
            jw_raw(w, "default", r->dflt_text);
        else if (r->dflt_text)
            jw_str(w, "default", r->dflt_text);
        break;
    default:
        break;
    }
}

/* ---- Keys */

/* ISO 8601 as time_parse_iso8601 reads it: a date, or a date and time with an optional zone. */
static const char TIME_PATTERN[] =
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$";

/* Keys of the built-in catalogs, for enums. */
struct catalog_keys {
    const struct catalog *cat;
    const char **models;
    int n_models;
};

static void jw_catalog_enum(struct jw *w, const struct catalog_keys *k, const char *which)
{
    const struct catalog *c = k->cat;
    jw_open(w, "enum", '[');
    if (strcmp(which, "accelerators") == 0)
        for (int i = 0; i < c->n_accels; i++)
            jw_str(w, NULL, c->accels[i].key);
    else if (strcmp(which, "facilities") == 0)
        for (int i = 0; i < c->n_facilities; i++)
            jw_str(w, NULL, c->facilities[i].key);
    else if (strcmp(which, "grids") == 0) {
        int n;
        const struct grid_entry *g = catalog_grids(c, &n);
        for (int i = 0; i < n; i++)
            jw_str(w, NULL, g[i].key);
    } else if (strcmp(which, "prices") == 0) {
        int n;
        const struct price_entry *p = catalog_prices(c, &n);
        for (int i = 0; i < n; i++)
            jw_str(w, NULL, p[i].key);
    }
    else if (strcmp(which, "models") == 0)
        for (int i = 0; i < k->n_models; i++)
            jw_str(w, NULL, k->models[i]);
    jw_close(w, ']');
}

/* A string naming a catalog entry: an enum of its keys, with what else the loader accepts. */
static void jw_catalog_key(struct jw *w, const struct catalog_keys *k, const char *which)
{
    if (strcmp(which, "accelerators") == 0 || strcmp(which, "facilities") == 0) {
        jw_str(w, "type", "string");
        jw_catalog_enum(w, k, which);
        return;
    }
    jw_open(w, "anyOf", '[');
    jw_open(w, NULL, '{');
    if (strcmp(which, "prices") != 0)
        jw_str(w, "type", "string");
    jw_catalog_enum(w, k, which);
    jw_close(w, '}');
    jw_open(w, NULL, '{');
    if (strcmp(which, "grids") == 0) {
        jw_str(w, "type", "string");
        jw_str(w, "description", "or the display name of an area, case-insensitive (Norway, virginia)");
    } else if (strcmp(which, "models") == 0) {
        jw_str(w, "type", "string");
        jw_str(w, "pattern", "(/|\\.yaml$)");
        jw_str(w, "description", "or the path of a model card (contains / or ends in .yaml)");
    } else {
        jw_str(w, "type", "array");
        jw_num(w, "minItems", 1);
        jw_open(w, "items", '{');
        jw_catalog_enum(w, k, which);
        jw_close(w, '}');
    }
    jw_close(w, '}');
    jw_close(w, ']');
}

/* The definition name of a table: its section with [] and <metric> spelled out. */
static void table_def(char *buf, size_t size, const char *section)
{
    size_t n = 0;
    for (const char *p = section; *p && n + 8 < size; p++) {
        if (strncmp(p, "[]", 2) == 0) {
            n += (size_t)snprintf(buf + n, size - n, "_item");
            p++;
        } else if (strncmp(p, "<metric>", 8) == 0) {
            n += (size_t)snprintf(buf + n, size - n, "metric");
            p += 7;
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    if (!section[0])
        snprintf(buf, size, "scenario");
}

/* The table of the mapping at path, with a single stage's keys under workload. */
static const struct key_table *table_at(const char *path)
{
    const struct key_table *t = load_key_table(path);
    static const char workload[] = "workload.";
    if (!t && strncmp(path, workload, strlen(workload)) == 0) {
        char alias[1024];
        snprintf(alias, sizeof alias, "workload.stages[].%.900s", path + strlen(workload));
        t = load_key_table(alias);
    }
    return t;
}

/* A list: its items by the rule's items (every item, or a fixed tuple), its length by lo..hi. */
static void jw_list(struct jw *w, const struct key_rule *r, const char *sub)
{
    jw_str(w, "type", "array");
    if (isfinite(r->lo) && r->lo > 0)
        jw_num(w, "minItems", r->lo);
    if (isfinite(r->hi) && r->hi > 0)
        jw_num(w, "maxItems", r->hi);
    char item_path[1024], def[1024];
    snprintf(item_path, sizeof item_path, "%.1000s[]", sub);
    const struct key_table *t = load_key_table(item_path);
    if (t) {
        table_def(def, sizeof def, t->section);
        jw_ref(w, "items", def);
    } else if (r->n_items == 1) {
        jw_open(w, "items", '{');
        jw_str(w, "type", "number");
        jw_range(w, r->items);
        jw_close(w, '}');
    } else if (r->n_items > 1) {
        jw_open(w, "items", '{');
        jw_open(w, "prefixItems", '[');
        for (int i = 0; i < r->n_items; i++) {
            jw_open(w, NULL, '{');
            jw_str(w, "type", "number");
            jw_range(w, &r->items[i]);
            jw_str(w, "description", r->items[i].doc);
            jw_close(w, '}');
        }
        jw_close(w, ']');
        jw_str(w, "type", "array");
        jw_num(w, "minItems", r->n_items);
        jw_num(w, "maxItems", r->n_items);
        jw_close(w, '}');
    }
}

static void jw_key(struct jw *w, const struct key_rule *r, const char *path, const struct catalog_keys *k)
{
    char sub[1024], def[1024];
    schema_join(sub, sizeof sub, path, r->key);
    jw_open(w, r->key, '{');
    jw_description(w, r);
    switch (r->type) {
    case KEY_STRING:
        if (r->catalog) {
            jw_catalog_key(w, k, r->catalog);
        } else if (r->choices && strcmp(r->choices, "true,false") == 0) {
            jw_open(w, "anyOf", '[');
            jw_open(w, NULL, '{');
            jw_str(w, "type", "boolean");
            jw_close(w, '}');
            jw_open(w, NULL, '{');
            jw_words(w, r->choices);
            jw_close(w, '}');
            jw_close(w, ']');
        } else {
            jw_str(w, "type", "string");
            if (r->choices)
                jw_words(w, r->choices);
            else
                jw_num(w, "minLength", 1);
        }
        break;
    case KEY_INT:
        jw_str(w, "type", "integer");
        jw_range(w, r);
        break;
    case KEY_NUMBER:
        jw_str(w, "type", "number");
        jw_range(w, r);
        break;
    case KEY_PARAM:
        range_def(def, sizeof def, r);
        snprintf(sub, sizeof sub, "#/$defs/%.1000s", def);
        jw_str(w, "$ref", sub);
        break;
    case KEY_TIME:
        jw_str(w, "type", "string");
        jw_str(w, "pattern", TIME_PATTERN);
        break;
    case KEY_AUTO:
        jw_open(w, "oneOf", '[');
        jw_open(w, NULL, '{');
        jw_str(w, "type", strcmp(r->key, "dp") == 0 ? "integer" : "number");
        jw_range(w, r);
        jw_close(w, '}');
        jw_open(w, NULL, '{');
        jw_str(w, "const", "auto");
        jw_close(w, '}');
        jw_close(w, ']');
        break;
    case KEY_MAP:
        if (strcmp(sub, "reported") == 0) {
            const char *metrics[METRIC_COUNT];
            for (int m = 0; m < METRIC_COUNT; m++)
                metrics[m] = metric_info(m)->key;
            jw_str(w, "type", "object");
            jw_open(w, "propertyNames", '{');
            jw_enum(w, metrics, METRIC_COUNT);
            jw_close(w, '}');
            jw_ref(w, "additionalProperties", "reported.metric");
        } else if (table_at(sub)) {
            table_def(def, sizeof def, table_at(sub)->section);
            snprintf(sub, sizeof sub, "#/$defs/%.1000s", def);
            jw_str(w, "$ref", sub);
        } else {
            jw_str(w, "type", "object");
        }
        break;
    case KEY_SEQ:
        jw_list(w, r, sub);
        break;
    case KEY_ANY:
        if (r->catalog) {
            jw_catalog_key(w, k, r->catalog);
        } else if (table_at(sub)) { /* layout: a mapping or the word auto */
            table_def(def, sizeof def, table_at(sub)->section);
            jw_open(w, "oneOf", '[');
            jw_open(w, NULL, '{');
            jw_str(w, "const", "auto");
            jw_close(w, '}');
            jw_ref(w, NULL, def);
            jw_close(w, ']');
        }
        break;
    }
    jw_default(w, r);
    jw_close(w, '}');
}

/* A table as an object definition. */
static void jw_table(struct jw *w, const struct key_table *t, const struct catalog_keys *k)
{
    char def[1024];
    table_def(def, sizeof def, t->section);
    jw_open(w, def, '{');
    jw_str(w, "description", t->doc);
    jw_str(w, "type", "object");
    jw_open(w, "properties", '{');
    for (int i = 0; i < t->n; i++)
        jw_key(w, &t->rules[i], t->section, k);
    jw_close(w, '}');
    int n_required = 0;
    for (int i = 0; i < t->n; i++)
        n_required += (t->rules[i].flags & KEY_REQUIRED) != 0;
    /* a scenario with base: inherits what it leaves out, so its own keys are not required */
    const bool root = !t->section[0];
    if (root) {
        jw_open(w, "if", '{');
        jw_open(w, "required", '[');
        jw_str(w, NULL, "base");
        jw_close(w, ']');
        jw_close(w, '}');
        jw_open(w, "else", '{');
    }
    if (n_required) {
        jw_open(w, "required", '[');
        for (int i = 0; i < t->n; i++)
            if (t->rules[i].flags & KEY_REQUIRED)
                jw_str(w, NULL, t->rules[i].key);
        jw_close(w, ']');
    }
    if (root)
        jw_close(w, '}');
    jw_raw(w, "additionalProperties", "false");
    jw_close(w, '}');
}

/* ---- num|dist */

/* A distribution parameter's schema: its own range, or, for a value the distribution can
 * take (value, min, mode, max, each of values), the range of the key. */
static void jw_dist_param(struct jw *w, const struct key_rule *dk, const struct key_rule *range, bool is_mean)
{
    jw_open(w, dk->key, '{');
    jw_str(w, "description", dk->doc);
    if (dk->type == KEY_SEQ) {
        jw_str(w, "type", "array");
        jw_num(w, "minItems", 1);
        jw_open(w, "items", '{');
        jw_str(w, "type", "number");
        if (strcmp(dk->key, "values") == 0)
            jw_range(w, range);
        else
            jw_num(w, "minimum", 0);
        jw_close(w, '}');
    } else {
        jw_str(w, "type", "number");
        jw_range(w, isfinite(dk->lo) || isfinite(dk->hi) || is_mean ? dk : range);
    }
    jw_close(w, '}');
}

static void jw_num_dist(struct jw *w, const struct key_rule *r)
{
    char def[64];
    range_def(def, sizeof def, r);
    jw_open(w, def, '{');
    char range[96], text[512];
    schema_format_range(range, sizeof range, r);
    snprintf(text, sizeof text, "a number in %s, or a distribution whose every value lies in %s (DESIGN 2.9)", range,
             range);
    jw_str(w, "description", text);
    jw_open(w, "oneOf", '[');
    jw_open(w, NULL, '{');
    jw_str(w, "type", "number");
    jw_range(w, r);
    jw_close(w, '}');
    for (int k = 0; k < DIST_KIND_COUNT; k++) {
        const bool lognormal_fits = range_has(r, 1e-300) && range_has(r, 1e308);
        if (k == DIST_LOGNORMAL && !lognormal_fits)
            continue;
        int n;
        const struct key_rule *dk = schema_dist_keys((enum dist_kind)k, &n);
        jw_open(w, NULL, '{');
        jw_str(w, "type", "object");
        jw_open(w, "properties", '{');
        jw_open(w, "dist", '{');
        jw_str(w, "const", schema_dist_name((enum dist_kind)k));
        jw_close(w, '}');
        for (int i = 0; i < n; i++)
            jw_dist_param(w, &dk[i], r, strcmp(dk[i].key, "mean") == 0);
        jw_close(w, '}');
        jw_open(w, "required", '[');
        jw_str(w, NULL, "dist");
        for (int i = 0; i < n; i++)
            if (dk[i].flags & KEY_REQUIRED)
                jw_str(w, NULL, dk[i].key);
        /* an untruncated normal must not leave a bounded range */
        if (k == DIST_NORMAL && !range_has(r, -1e308))
            jw_str(w, NULL, "min");
        if (k == DIST_NORMAL && !range_has(r, 1e308))
            jw_str(w, NULL, "max");
        jw_close(w, ']');
        jw_raw(w, "additionalProperties", "false");
        jw_close(w, '}');
    }
    jw_close(w, ']');
    jw_close(w, '}');
}

/* Every distinct range of a num|dist key, once. */
static void jw_num_dists(struct jw *w)
{
    char seen[64][64];
    int n_seen = 0;
    const struct key_table *tables;
    int n_tables;
    for (int g = 0; (tables = load_key_group(g, &n_tables)); g++)
        for (int i = 0; i < n_tables; i++)
            for (int j = 0; j < tables[i].n; j++) {
                const struct key_rule *r = &tables[i].rules[j];
                if (r->type != KEY_PARAM)
                    continue;
                char def[64];
                range_def(def, sizeof def, r);
                bool known = false;
                for (int s = 0; s < n_seen; s++)
                    known |= strcmp(seen[s], def) == 0;
                if (known || n_seen == 64)
                    continue;
                snprintf(seen[n_seen++], sizeof seen[0], "%s", def);
                jw_num_dist(w, r);
            }
}

bool load_print_json_schema(FILE *out, const struct catalog *cat)
{
    struct catalog_keys k = { .cat = cat };
    k.models = catalog_model_keys(&k.n_models);
    struct jw w = { .out = out, .depth = 1, .first = { true, true } };
    fputc('{', out);
    jw_str(&w, "$schema", "https://json-schema.org/draft/2020-12/schema");
    jw_str(&w, "$id", "urn:trainsim:scenario:v1");
    jw_str(&w, "title", "trainsim scenario (schema v1)");
    jw_str(&w, "description", "A trainsim scenario file (docs/scenario.md). Generated by `trainsim schema` from the "
                              "loader's key tables; do not edit. The loader also checks what a schema cannot: "
                              "work forms, catalog lookups by display name, files, and rules across keys.");
    jw_str(&w, "$ref", "#/$defs/scenario");
    jw_open(&w, "$defs", '{');
    const struct key_table *tables;
    int n_tables;
    for (int g = 0; (tables = load_key_group(g, &n_tables)); g++)
        for (int i = 0; i < n_tables; i++)
            jw_table(&w, &tables[i], &k);
    jw_num_dists(&w);
    jw_close(&w, '}');
    fputs("\n}\n", out);
    free(k.models);
    return !ferror(out);
}
