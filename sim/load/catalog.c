/*
 * catalog.c - reading and querying the catalogs in configs/ and the model cards in models/.
 */
#include "load/catalog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "load/arch.h"
#include "load/embedded.h"
#include "load/schema.h"
#include "load/ytree.h"
#include "util/xalloc.h"

/* Catalog and model files are small; anything larger is a mistake. */
static const size_t CATALOG_MAX_BYTES = 4u << 20;

/* keep in sync with accel_peak_rules -- grep PRECISION_ORDER */
const char *const catalog_precisions[CATALOG_MAX_PEAKS] = { "bf16", "fp8", "fp16", "tf32", "fp32" };

static const struct key_rule accel_peak_rules[] = {
    KEY_RULE("bf16", KEY_NUMBER, KEY_LO_OPEN, 0, 1e6, "TFLOP/s"), KEY_RULE("fp8", KEY_NUMBER, KEY_LO_OPEN, 0, 1e6, "TFLOP/s"),
    KEY_RULE("fp16", KEY_NUMBER, KEY_LO_OPEN, 0, 1e6, "TFLOP/s"), KEY_RULE("tf32", KEY_NUMBER, KEY_LO_OPEN, 0, 1e6, "TFLOP/s"),
    KEY_RULE("fp32", KEY_NUMBER, KEY_LO_OPEN, 0, 1e6, "TFLOP/s"),
};

static const struct key_rule accel_rules[] = {
    KEY_RULE("name", KEY_STRING, KEY_REQUIRED, 0, 0, "display name"),
    KEY_RULE("tdp_w", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, 1e5, "thermal design power, W"),
    KEY_RULE("idle_w", KEY_NUMBER, KEY_REQUIRED, 0, 1e5, "draw when not training, W"),
    KEY_RULE("peak_tflops", KEY_MAP, KEY_REQUIRED, 0, 0, "dense peak TFLOP/s per precision"),
    KEY_RULE("memory_gb", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, "accelerator memory, GB"),
    KEY_RULE("gpus_per_node", KEY_INT, KEY_REQUIRED, 1, 1024, "accelerators per node"),
    KEY_RULE("embodied_kg", KEY_NUMBER, 0, 0, 1e6, "manufacturing CO2e per accelerator, kg"),
    KEY_RULE("hbm_tb_s", KEY_NUMBER, KEY_LO_OPEN, 0, 1e3, "HBM bandwidth, TB/s"),
    KEY_RULE("nvlink_gb_s", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, "NVLink per GPU per direction, GB/s"),
    KEY_RULE("network_gb_s", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, "scale-out network per GPU per direction, GB/s"),
    KEY_RULE("nvlink_domain", KEY_INT, 0, 1, 1e6, "GPUs sharing one NVLink domain"),
    KEY_RULE("interconnect_source", KEY_STRING, 0, 0, 0, "where hbm/nvlink/network/domain come from"),
    KEY_RULE("efficiency", KEY_MAP, 0, 0, 0, "layout-model efficiency defaults (num|dist each)"),
    KEY_RULE("estimated", KEY_SEQ, 0, 0, 0, "fields that are estimates"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, "where the figures come from"),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, "caveats"),
};

/* keep in sync with enum layout_eff_kind -- grep EFF_ORDER */
static const struct key_rule accel_eff_rules[] = {
    KEY_RULE("matmul", KEY_PARAM, KEY_REQUIRED | KEY_LO_OPEN, 0, 1, "achieved fraction of peak on large GEMMs"),
    KEY_RULE("attention", KEY_PARAM, KEY_REQUIRED | KEY_LO_OPEN, 0, 1, "achieved fraction of peak in the attention core"),
    KEY_RULE("network", KEY_PARAM, KEY_REQUIRED | KEY_LO_OPEN, 0, 1, "achieved fraction of nominal link bandwidth"),
    KEY_RULE("overlap", KEY_PARAM, KEY_REQUIRED, 0, 1, "fraction of DP/EP communication hidden behind compute"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, "how the defaults were calibrated"),
};

static const struct key_rule grid_rules[] = {
    KEY_RULE("name", KEY_STRING, KEY_REQUIRED, 0, 0, "display name"),
    KEY_RULE("kind", KEY_STRING, 0, 0, 0, "country, state, balancing-authority, ... (default other)"),
    KEY_RULE("intensity_kg_per_kwh", KEY_NUMBER, KEY_REQUIRED, 0, 10, "kg CO2e per kWh"),
    KEY_RULE("year", KEY_INT, 0, 1900, 2200, "year of the figure"),
    KEY_RULE("basis", KEY_STRING, 0, 0, 0, "location-based; consumption or generation; lifecycle or direct"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("others", KEY_SEQ, 0, 0, 0, "other sources' figures"),
    KEY_RULE("water_l_per_kwh", KEY_NUMBER, 0, 0, 100, "off-site water per kWh generated (EWIF)"),
    KEY_RULE("water_source", KEY_STRING, 0, 0, 0, "where the water figure comes from"),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
};

static const struct key_rule grid_other_rules[] = {
    KEY_RULE("intensity_kg_per_kwh", KEY_NUMBER, KEY_REQUIRED, 0, 10, "kg CO2e per kWh"),
    KEY_RULE("year", KEY_INT, 0, 1900, 2200, "year of the figure"),
    KEY_RULE("basis", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
};

static const struct key_rule price_rules[] = {
    KEY_RULE("item", KEY_STRING, KEY_REQUIRED, 0, 0, "what is priced"),
    KEY_RULE("kind", KEY_STRING, KEY_REQUIRED, 0, 0, "purchase, cloud, colocation or electricity"),
    KEY_RULE("date", KEY_STRING, KEY_REQUIRED, 0, 0, "when the price was read"),
    KEY_RULE("capex_usd_per_gpu", KEY_NUMBER, 0, 0, 1e8, "USD per accelerator with its share of the server"),
    KEY_RULE("price_usd", KEY_NUMBER, 0, 0, 1e8, "purchase price as read"),
    KEY_RULE("gpu_hour_usd", KEY_NUMBER, 0, 0, 1e4, "USD per accelerator-hour"),
    KEY_RULE("colocation_usd_per_kw_month", KEY_NUMBER, 0, 0, 1e5, "USD per kW of IT power per month"),
    KEY_RULE("electricity_usd_per_kwh", KEY_NUMBER, 0, 0, 100, "USD per kWh"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
};

static const struct key_rule facility_rules[] = {
    KEY_RULE("name", KEY_STRING, KEY_REQUIRED, 0, 0, "display name"),
    KEY_RULE("pue", KEY_NUMBER, KEY_REQUIRED, 1, 10, "annual mean PUE"),
    KEY_RULE("wue_l_per_kwh", KEY_NUMBER, 0, 0, 100, "site water, L per kWh of IT energy"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
};

static const struct key_rule equiv_rules[] = {
    KEY_RULE("car", KEY_MAP, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("household", KEY_MAP, KEY_REQUIRED, 0, 0, ""),
};
static const struct key_rule car_rules[] = {
    KEY_RULE("name", KEY_STRING, 0, 0, 0, ""),
    KEY_RULE("kg_co2_per_year", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, 1e9, ""),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
};
static const struct key_rule household_rules[] = {
    KEY_RULE("name", KEY_STRING, 0, 0, 0, ""),
    KEY_RULE("kwh_per_year", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, 1e9, ""),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
};

static const struct key_rule model_rules[] = {
    KEY_RULE("name", KEY_STRING, KEY_REQUIRED, 0, 0, "display name"),
    KEY_RULE("params", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, 1e16, "total parameters"),
    KEY_RULE("active_params", KEY_NUMBER, KEY_LO_OPEN, 0, 1e16, "parameters active per token (MoE)"),
    KEY_RULE("tokens", KEY_NUMBER, KEY_LO_OPEN, 0, 1e18, "pre-training tokens"),
    KEY_RULE("architecture", KEY_ANY, 0, 0, 0, "layers, hidden, heads, ... or hf_config (DESIGN 8)"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
    KEY_RULE("training", KEY_MAP, 0, 0, 0, "the published training record"),
};

static const struct key_rule training_rules[] = {
    KEY_RULE("accelerator", KEY_STRING, 0, 0, 0, ""),
    KEY_RULE("count", KEY_NUMBER, KEY_LO_OPEN, 0, 1e8, ""),
    KEY_RULE("gpu_hours", KEY_NUMBER, KEY_LO_OPEN, 0, 1e12, ""),
    KEY_RULE("days", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, ""),
    KEY_RULE("power_w", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, ""),
    KEY_RULE("pue", KEY_NUMBER, 0, 1, 10, ""),
    KEY_RULE("grid_kg_per_kwh", KEY_NUMBER, 0, 0, 10, ""),
    KEY_RULE("energy_mwh", KEY_NUMBER, 0, 0, 1e9, ""),
    KEY_RULE("co2e_t", KEY_NUMBER, 0, 0, 1e9, ""),
    KEY_RULE("co2e_market_t", KEY_NUMBER, 0, 0, 1e9, ""),
    KEY_RULE("cost_usd", KEY_NUMBER, 0, 0, 1e12, ""),
    KEY_RULE("energy_is_tdp_times_hours", KEY_STRING, 0, 0, 0, "true or false"),
    KEY_RULE("source", KEY_STRING, KEY_REQUIRED, 0, 0, ""),
    KEY_RULE("notes", KEY_STRING, 0, 0, 0, ""),
};

#define N_RULES(r) ((int)(sizeof(r) / sizeof((r)[0])))

static char *dup_key(struct schema *c, const struct ynode *map, const char *path, const char *key)
{
    return xstrdup(schema_string_key(c, map, path, key));
}

static double num_or_nan(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules,
                         int n, const char *key)
{
    double v = NAN;
    schema_number_key(c, map, path, rules, n, key, &v);
    return v;
}

/* Text of an embedded file, or NULL. */
static const struct embedded_file *embedded(const char *path)
{
    for (int i = 0; i < n_embedded_files; i++)
        if (strcmp(embedded_files[i].path, path) == 0)
            return &embedded_files[i];
    return NULL;
}

/* Parses configs/<name>.yaml from dir or the embedded copy; returns the value of its
 * single top-level key 'top', checked to be a mapping. *root_out receives the tree. */
static const struct ynode *load_catalog_file(struct schema *c, const char *dir, const char *name, const char *top,
                                             struct ynode **root_out)
{
    char path[4096];
    struct ynode *root;
    if (dir) {
        snprintf(path, sizeof path, "%s/%s.yaml", dir, name);
        root = ytree_load_file(c->diag, path, CATALOG_MAX_BYTES, (struct src_pos){ "--configs", 0, 0 });
    } else {
        snprintf(path, sizeof path, "configs/%s.yaml", name);
        const struct embedded_file *f = embedded(path);
        root = f ? ytree_parse(c->diag, path, f->text, f->len, 0) : NULL;
    }
    *root_out = root;
    if (!root)
        return NULL;
    const struct key_rule rule = KEY_RULE(top, KEY_MAP, KEY_REQUIRED, 0, 0, "");
    if (!schema_check_map(c, root, "", &rule, 1))
        return NULL;
    return ytree_get(root, top);
}

static void read_estimated(struct schema *c, const struct ynode *v, const char *path, struct accel_entry *a)
{
    size_t len = 0;
    for (int i = 0; i < v->n; i++) {
        const char *s;
        if (!schema_string(c, v->vals[i], path, &s))
            continue;
        if (!schema_rule(accel_rules, N_RULES(accel_rules), s)) {
            diag_error(c->diag, v->vals[i]->pos, "%s: '%s' is not a field of this entry", path, s);
            continue;
        }
        a->estimated = xrealloc(a->estimated, len + strlen(s) + 3);
        len += (size_t)sprintf(a->estimated + len, "%s%s", len ? ", " : "", s);
    }
}

/* efficiency: of an accelerator. Each value goes through the scenario's num|dist parser
 * (schema_param) on a scratch spec, and its distribution is moved out of it. */
static void read_efficiency(struct schema *c, const struct ynode *e, const char *path, struct accel_entry *a)
{
    if (!schema_check_map(c, e, path, accel_eff_rules, N_RULES(accel_eff_rules)))
        return;
    struct spec scratch = { 0 };
    struct schema sc = { .diag = c->diag, .spec = &scratch };
    const int before = c->diag->n_errors;
    for (int k = 0; k < EFF_COUNT; k++) {
        char sub[600];
        schema_join(sub, sizeof sub, path, accel_eff_rules[k].key);
        const int i = schema_param(&sc, ytree_get(e, accel_eff_rules[k].key), sub, &accel_eff_rules[k], NAN,
                                   INPUT_PER_SAMPLE);
        a->eff_dist[k] = scratch.inputs[i].dist;
        a->eff_central[k] = scratch.inputs[i].central;
        scratch.inputs[i].dist.values = scratch.inputs[i].dist.weights = NULL; /* moved */
    }
    spec_release(&scratch);
    a->eff_source = dup_key(c, e, path, "source");
    a->has_eff = c->diag->n_errors == before;
}

static void load_accels(struct schema *c, struct catalog *cat, const struct ynode *m)
{
    cat->accels = xcalloc((size_t)m->n, sizeof *cat->accels);
    for (int i = 0; i < m->n; i++) {
        const char *key = m->keys[i]->text;
        const struct ynode *e = m->vals[i];
        char path[512];
        schema_join(path, sizeof path, "accelerators", key);
        if (!schema_check_map(c, e, path, accel_rules, N_RULES(accel_rules)))
            continue;
        struct accel_entry *a = &cat->accels[cat->n_accels++];
        a->key = xstrdup(key);
        a->name = dup_key(c, e, path, "name");
        a->tdp_w = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "tdp_w");
        a->idle_w = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "idle_w");
        a->memory_gb = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "memory_gb");
        a->embodied_kg = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "embodied_kg");
        a->gpus_per_node = 8;
        schema_int_key(c, e, path, accel_rules, N_RULES(accel_rules), "gpus_per_node", &a->gpus_per_node);
        a->hbm_tb_s = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "hbm_tb_s");
        a->nvlink_gb_s = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "nvlink_gb_s");
        a->network_gb_s = num_or_nan(c, e, path, accel_rules, N_RULES(accel_rules), "network_gb_s");
        schema_int_key(c, e, path, accel_rules, N_RULES(accel_rules), "nvlink_domain", &a->nvlink_domain);
        const struct ynode *eff = ytree_get(e, "efficiency");
        if (eff) {
            char epath[560];
            schema_join(epath, sizeof epath, path, "efficiency");
            read_efficiency(c, eff, epath, a);
        }
        a->source = dup_key(c, e, path, "source");
        a->notes = dup_key(c, e, path, "notes");
        const struct ynode *peaks = ytree_get(e, "peak_tflops");
        char ppath[560];
        schema_join(ppath, sizeof ppath, path, "peak_tflops");
        for (int p = 0; p < CATALOG_MAX_PEAKS; p++)
            a->peak_tflops[p] = NAN;
        if (schema_check_map(c, peaks, ppath, accel_peak_rules, N_RULES(accel_peak_rules)))
            for (int p = 0; p < CATALOG_MAX_PEAKS; p++)
                a->peak_tflops[p] =
                    num_or_nan(c, peaks, ppath, accel_peak_rules, N_RULES(accel_peak_rules), catalog_precisions[p]);
        const struct ynode *est = ytree_get(e, "estimated");
        if (est) {
            schema_join(ppath, sizeof ppath, path, "estimated");
            read_estimated(c, est, ppath, a);
        }
    }
}

/* Grid area 'key' of entry e into *g; false when e is not a valid entry (reported). */
static bool read_grid(struct schema *c, const char *key, const struct ynode *e, struct grid_entry *g)
{
    char path[512];
    schema_join(path, sizeof path, "grids", key);
    if (!schema_check_map(c, e, path, grid_rules, N_RULES(grid_rules)))
        return false;
    g->key = xstrdup(key);
    g->name = dup_key(c, e, path, "name");
    g->kind = dup_key(c, e, path, "kind");
    if (!g->kind)
        g->kind = xstrdup("other");
    g->intensity_kg_per_kwh = num_or_nan(c, e, path, grid_rules, N_RULES(grid_rules), "intensity_kg_per_kwh");
    schema_int_key(c, e, path, grid_rules, N_RULES(grid_rules), "year", &g->year);
    g->basis = dup_key(c, e, path, "basis");
    if (!g->basis)
        g->basis = xstrdup("basis not stated");
    g->source = dup_key(c, e, path, "source");
    g->notes = dup_key(c, e, path, "notes");
    g->water_l_per_kwh = num_or_nan(c, e, path, grid_rules, N_RULES(grid_rules), "water_l_per_kwh");
    g->water_source = dup_key(c, e, path, "water_source");
    if (!isnan(g->water_l_per_kwh) && !g->water_source)
        diag_error(c->diag, e->pos, "%s: water_l_per_kwh needs a water_source", path);
    const struct ynode *o = ytree_get(e, "others");
    if (!o || o->kind != YNODE_SEQ)
        return true;
    g->others = xcalloc((size_t)o->n + 1, sizeof *g->others);
    for (int j = 0; j < o->n; j++) {
        char opath[600];
        snprintf(opath, sizeof opath, "%s.others[%d]", path, j);
        if (!schema_check_map(c, o->vals[j], opath, grid_other_rules, N_RULES(grid_other_rules)))
            continue;
        struct grid_figure *f = &g->others[g->n_others++];
        f->intensity_kg_per_kwh =
            num_or_nan(c, o->vals[j], opath, grid_other_rules, N_RULES(grid_other_rules), "intensity_kg_per_kwh");
        schema_int_key(c, o->vals[j], opath, grid_other_rules, N_RULES(grid_other_rules), "year", &f->year);
        f->basis = dup_key(c, o->vals[j], opath, "basis");
        f->source = dup_key(c, o->vals[j], opath, "source");
    }
    return true;
}

/* Price 'key' of entry e into *p; false when e is not a valid entry (reported). */
static bool read_price(struct schema *c, const char *key, const struct ynode *e, struct price_entry *p)
{
    const int n = N_RULES(price_rules);
    char path[512];
    schema_join(path, sizeof path, "prices", key);
    if (!schema_check_map(c, e, path, price_rules, n))
        return false;
    p->key = xstrdup(key);
    p->item = dup_key(c, e, path, "item");
    p->kind = dup_key(c, e, path, "kind");
    p->date = dup_key(c, e, path, "date");
    p->capex_usd_per_gpu = num_or_nan(c, e, path, price_rules, n, "capex_usd_per_gpu");
    p->gpu_hour_usd = num_or_nan(c, e, path, price_rules, n, "gpu_hour_usd");
    p->colocation_usd_per_kw_month = num_or_nan(c, e, path, price_rules, n, "colocation_usd_per_kw_month");
    p->electricity_usd_per_kwh = num_or_nan(c, e, path, price_rules, n, "electricity_usd_per_kwh");
    p->source = dup_key(c, e, path, "source");
    p->notes = dup_key(c, e, path, "notes");
    return true;
}

/* ---- Grids and prices, read when first asked for (issue 15)
 *
 * The built-in grids.yaml and prices.yaml are most of the catalogs' text, and most runs need
 * one entry of each or none. catalog_load() only indexes them: their entries are the lines
 * at an indentation of two spaces under the top key (the files' layout: each entry a block
 * mapping), so the index holds each entry's key and text span. An entry is read (parsed and
 * converted, exactly as the whole file would be) when catalog_grid() or catalog_price()
 * asks for it; lists, suggestions and display names read the whole file at once. A file
 * the scan does not recognise is read whole at once. --configs files are read whole by
 * catalog_load(), so their errors are reported there, as always.
 */

enum { SECTION_GRIDS, SECTION_PRICES, SECTION_COUNT };

struct lazy_entry {
    char *key;      /* owned */
    size_t at, len; /* the entry's text in the file */
    int line;       /* of its key, 1-based */
    bool is_read;
};

struct section {
    const char *name;               /* "grids" or "prices": file and top key */
    const struct embedded_file *f;  /* the built-in text; NULL once everything is read */
    struct lazy_entry *index;       /* owned, n entries, with f */
    int n;                          /* entries: indexed or read */
    void *entries;                  /* owned: struct grid_entry or struct price_entry, n */
};

struct catalog_deferred {
    struct section sec[SECTION_COUNT];
};

static size_t entry_size(int which)
{
    return which == SECTION_GRIDS ? sizeof(struct grid_entry) : sizeof(struct price_entry);
}

static bool read_entry(struct schema *c, int which, const char *key, const struct ynode *e, void *slot)
{
    return which == SECTION_GRIDS ? read_grid(c, key, e, slot) : read_price(c, key, e, slot);
}

/* Reads every entry of the top map m into sec (the old eager path; --configs). */
static void read_all_entries(struct schema *c, struct section *sec, int which, const struct ynode *m)
{
    sec->entries = xcalloc((size_t)m->n + 1, entry_size(which));
    for (int i = 0; i < m->n; i++)
        sec->n += read_entry(c, which, m->keys[i]->text, m->vals[i], (char *)sec->entries + (size_t)sec->n * entry_size(which));
}

/* The key of an entry line ("  KEY:" or "  \"KEY\":", at most len bytes), or NULL when the
 * line is not one the index understands. */
static char *entry_key(const char *line, size_t len)
{
    size_t i = 2, end;
    if (line[i] == '"') {
        end = ++i;
        while (end < len && line[end] != '"' && line[end] != '\\')
            end++;
        if (end >= len || line[end] != '"' || end + 1 >= len || line[end + 1] != ':')
            return NULL;
    } else {
        end = i;
        while (end < len && line[end] != ':' && line[end] != ' ' && line[end] != '"' && line[end] != '\'')
            end++;
        if (end >= len || line[end] != ':')
            return NULL;
    }
    return end > i ? xstrndup(line + i, end - i) : NULL;
}

/* Indexes the built-in file of sec; false when its layout is not the expected one. */
static bool index_section(struct section *sec)
{
    const char *t = sec->f->text;
    const size_t n = sec->f->len, top_len = strlen(sec->name);
    bool in_top = false;
    int line = 1, cap = 0;
    for (size_t at = 0; at < n; line++) {
        const char *nl = memchr(t + at, '\n', n - at);
        const size_t len = nl ? (size_t)(nl - (t + at)) : n - at;
        const char *l = t + at;
        if (!in_top) {
            in_top = len == top_len + 1 && strncmp(l, sec->name, top_len) == 0 && l[top_len] == ':';
            if (!in_top && len > 0 && l[0] != '#')
                return false;
        } else if (len > 0 && l[0] != '#') {
            if (l[0] != ' ' || len < 3)
                return false;
            if (l[1] == ' ' && l[2] != ' ' && l[2] != '#') {
                char *key = entry_key(l, len);
                if (!key)
                    return false;
                if (sec->n == cap) {
                    cap = cap ? 2 * cap : 256;
                    sec->index = xrealloc(sec->index, (size_t)cap * sizeof *sec->index);
                }
                if (sec->n > 0)
                    sec->index[sec->n - 1].len = at - sec->index[sec->n - 1].at;
                sec->index[sec->n++] = (struct lazy_entry){ .key = key, .at = at, .line = line };
            } else if (sec->n == 0 && l[1] == ' ' && l[2] != '#') {
                return false; /* text of no entry */
            }
        }
        at += len + 1;
    }
    if (sec->n > 0)
        sec->index[sec->n - 1].len = n - sec->index[sec->n - 1].at;
    return in_top && sec->n > 0;
}

static void release_entry(int which, void *slot);

static void drop_index(struct section *sec)
{
    for (int i = 0; i < sec->n; i++)
        free(sec->index[i].key);
    free(sec->index);
    sec->index = NULL;
}

/* Reads the built-in file of sec whole, the entries not read yet: every entry then is. */
static void read_section_whole(struct section *sec, int which)
{
    if (!sec->f)
        return;
    struct diag d;
    diag_init(&d, stderr); /* the built-in files are checked by the tests: nothing to report */
    struct schema c = { .diag = &d };
    char path[64];
    snprintf(path, sizeof path, "configs/%s.yaml", sec->name);
    struct ynode *root = ytree_parse(&d, path, sec->f->text, sec->f->len, 0);
    const struct ynode *m = root ? ytree_get(root, sec->name) : NULL;
    if (!sec->index) {
        if (m && m->kind == YNODE_MAP)
            read_all_entries(&c, sec, which, m);
    } else {
        for (int i = 0; i < sec->n; i++) {
            if (sec->index[i].is_read)
                continue;
            const struct ynode *e = m && m->kind == YNODE_MAP ? ytree_get(m, sec->index[i].key) : NULL;
            void *slot = (char *)sec->entries + (size_t)i * entry_size(which);
            if (!e || !read_entry(&c, which, sec->index[i].key, e, slot))
                diag_error(&d, (struct src_pos){ 0 }, "built-in %s: entry '%s' is unreadable", path,
                           sec->index[i].key);
            sec->index[i].is_read = true;
        }
        drop_index(sec);
    }
    ytree_free(root);
    diag_release(&d);
    sec->f = NULL;
}

/* Reads entry i of the indexed built-in file of sec: its lines alone, placed at their own
 * line numbers under the top key. */
static void read_section_entry(struct section *sec, int which, int i)
{
    struct lazy_entry *le = &sec->index[i];
    if (le->is_read)
        return;
    const size_t top_len = strlen(sec->name), pad = (size_t)(le->line > 1 ? le->line - 2 : 0);
    char *text = xmalloc(pad + top_len + 2 + le->len + 1);
    memset(text, '\n', pad);
    memcpy(text + pad, sec->name, top_len);
    memcpy(text + pad + top_len, ":\n", 2);
    memcpy(text + pad + top_len + 2, sec->f->text + le->at, le->len);
    const size_t len = pad + top_len + 2 + le->len;
    text[len] = '\0';
    struct diag d;
    diag_init(&d, stderr);
    struct schema c = { .diag = &d };
    char path[64];
    snprintf(path, sizeof path, "configs/%s.yaml", sec->name);
    struct ynode *root = ytree_parse(&d, path, text, len, 0);
    const struct ynode *m = root ? ytree_get(root, sec->name) : NULL;
    void *slot = (char *)sec->entries + (size_t)i * entry_size(which);
    if (!m || m->kind != YNODE_MAP || m->n != 1 || strcmp(m->keys[0]->text, le->key) != 0 ||
        !read_entry(&c, which, le->key, m->vals[0], slot))
        diag_error(&d, (struct src_pos){ 0 }, "built-in %s: entry '%s' is unreadable", path, le->key);
    le->is_read = true;
    ytree_free(root);
    diag_release(&d);
    free(text);
}

/* Section 'which' of cat with every entry read. */
static const struct section *section_all(const struct catalog *cat, int which)
{
    struct section *sec = &cat->deferred->sec[which];
    read_section_whole(sec, which);
    return sec;
}

/* The entry of section 'which' with this key, read if need be; NULL when there is none. */
static const void *section_entry(const struct catalog *cat, int which, const char *key)
{
    struct section *sec = &cat->deferred->sec[which];
    for (int i = 0; i < sec->n; i++) {
        const char *k = sec->index ? sec->index[i].key : *(char *const *)((char *)sec->entries + (size_t)i * entry_size(which));
        if (strcmp(k, key) != 0)
            continue;
        if (sec->index)
            read_section_entry(sec, which, i);
        return (char *)sec->entries + (size_t)i * entry_size(which);
    }
    return NULL;
}

/* Prepares section 'which': --configs (dir_file) read whole and checked now, reporting to
 * c; the built-in copy indexed (read whole when its layout is not the expected one). */
static void section_init(struct schema *c, struct section *sec, int which, const char *dir)
{
    sec->name = which == SECTION_GRIDS ? "grids" : "prices";
    if (dir) {
        struct ynode *root;
        const struct ynode *m = load_catalog_file(c, dir, sec->name, sec->name, &root);
        if (m)
            read_all_entries(c, sec, which, m);
        ytree_free(root);
        return;
    }
    char path[64];
    snprintf(path, sizeof path, "configs/%s.yaml", sec->name);
    sec->f = embedded(path);
    if (!sec->f)
        return;
    if (!index_section(sec)) {
        drop_index(sec);
        sec->n = 0;
        read_section_whole(sec, which);
        return;
    }
    sec->entries = xcalloc((size_t)sec->n + 1, entry_size(which));
}

static void section_release(struct section *sec, int which)
{
    for (int i = 0; i < sec->n; i++)
        if (!sec->index || sec->index[i].is_read)
            release_entry(which, (char *)sec->entries + (size_t)i * entry_size(which));
    if (sec->index)
        drop_index(sec);
    free(sec->entries);
}

static void load_facilities(struct schema *c, struct catalog *cat, const struct ynode *m)
{
    cat->facilities = xcalloc((size_t)m->n, sizeof *cat->facilities);
    for (int i = 0; i < m->n; i++) {
        const struct ynode *e = m->vals[i];
        char path[512];
        schema_join(path, sizeof path, "facilities", m->keys[i]->text);
        if (!schema_check_map(c, e, path, facility_rules, N_RULES(facility_rules)))
            continue;
        struct facility_entry *f = &cat->facilities[cat->n_facilities++];
        f->key = xstrdup(m->keys[i]->text);
        f->name = dup_key(c, e, path, "name");
        f->pue = num_or_nan(c, e, path, facility_rules, N_RULES(facility_rules), "pue");
        f->wue_l_per_kwh = num_or_nan(c, e, path, facility_rules, N_RULES(facility_rules), "wue_l_per_kwh");
        f->source = dup_key(c, e, path, "source");
        f->notes = dup_key(c, e, path, "notes");
    }
}

static void load_equivalences(struct schema *c, struct catalog *cat, const struct ynode *m)
{
    if (!schema_check_map(c, m, "equivalences", equiv_rules, N_RULES(equiv_rules)))
        return;
    const struct ynode *car = ytree_get(m, "car"), *hh = ytree_get(m, "household");
    if (schema_check_map(c, car, "equivalences.car", car_rules, N_RULES(car_rules))) {
        cat->car_kg_per_year = num_or_nan(c, car, "equivalences.car", car_rules, N_RULES(car_rules), "kg_co2_per_year");
        cat->car_source = dup_key(c, car, "equivalences.car", "source");
    }
    if (schema_check_map(c, hh, "equivalences.household", household_rules, N_RULES(household_rules))) {
        cat->household_kwh_per_year =
            num_or_nan(c, hh, "equivalences.household", household_rules, N_RULES(household_rules), "kwh_per_year");
        cat->household_source = dup_key(c, hh, "equivalences.household", "source");
    }
}

bool catalog_load(struct catalog *cat, struct diag *d, const char *dir)
{
    memset(cat, 0, sizeof *cat);
    cat->dir = xstrdup(dir);
    cat->deferred = xcalloc(1, sizeof *cat->deferred);
    struct schema c = { .diag = d };
    const int before = d->n_errors;
    struct ynode *root;
    const struct ynode *m;
    if ((m = load_catalog_file(&c, dir, "accelerators", "accelerators", &root)))
        load_accels(&c, cat, m);
    ytree_free(root);
    section_init(&c, &cat->deferred->sec[SECTION_GRIDS], SECTION_GRIDS, dir);
    if ((m = load_catalog_file(&c, dir, "facilities", "facilities", &root)))
        load_facilities(&c, cat, m);
    ytree_free(root);
    if ((m = load_catalog_file(&c, dir, "equivalences", "equivalences", &root)))
        load_equivalences(&c, cat, m);
    ytree_free(root);
    /* prices.yaml is newer than --configs folders made before it: the built-in copy stands in. */
    char prices[4096];
    snprintf(prices, sizeof prices, "%s/prices.yaml", dir ? dir : ".");
    section_init(&c, &cat->deferred->sec[SECTION_PRICES], SECTION_PRICES,
                 dir && access(prices, F_OK) == 0 ? dir : NULL);
    return d->n_errors == before;
}

static void release_entry(int which, void *slot)
{
    if (which == SECTION_GRIDS) {
        struct grid_entry *g = slot;
        free(g->key);
        free(g->name);
        free(g->kind);
        free(g->basis);
        free(g->source);
        free(g->notes);
        free(g->water_source);
        for (int j = 0; j < g->n_others; j++) {
            free(g->others[j].basis);
            free(g->others[j].source);
        }
        free(g->others);
    } else {
        struct price_entry *p = slot;
        free(p->key);
        free(p->item);
        free(p->kind);
        free(p->date);
        free(p->source);
        free(p->notes);
    }
}

void catalog_release(struct catalog *cat)
{
    if (!cat)
        return;
    for (int i = 0; i < cat->n_accels; i++) {
        struct accel_entry *a = &cat->accels[i];
        free(a->key);
        free(a->name);
        free(a->estimated);
        free(a->eff_source);
        for (int k = 0; k < EFF_COUNT; k++) {
            free(a->eff_dist[k].values);
            free(a->eff_dist[k].weights);
        }
        free(a->source);
        free(a->notes);
    }
    if (cat->deferred)
        for (int k = 0; k < SECTION_COUNT; k++)
            section_release(&cat->deferred->sec[k], k);
    free(cat->deferred);
    for (int i = 0; i < cat->n_facilities; i++) {
        free(cat->facilities[i].key);
        free(cat->facilities[i].name);
        free(cat->facilities[i].source);
        free(cat->facilities[i].notes);
    }
    free(cat->accels);
    free(cat->facilities);
    free(cat->car_source);
    free(cat->household_source);
    free(cat->dir);
    memset(cat, 0, sizeof *cat);
}

const struct accel_entry *catalog_accel(const struct catalog *cat, const char *key)
{
    for (int i = 0; i < cat->n_accels; i++)
        if (strcmp(cat->accels[i].key, key) == 0)
            return &cat->accels[i];
    return NULL;
}

/* True when 'name' is the display name, or the part of it before its first ',' or ' (',
 * ignoring case. */
static bool is_display_name(const char *display, const char *name)
{
    size_t n = strcspn(display, ",(");
    while (n > 0 && display[n - 1] == ' ')
        n--;
    return strcasecmp(display, name) == 0 || (strlen(name) == n && strncasecmp(display, name, n) == 0);
}

const struct grid_entry *catalog_grid(const struct catalog *cat, const char *key)
{
    const struct grid_entry *g = section_entry(cat, SECTION_GRIDS, key);
    if (g)
        return g;
    const struct section *sec = section_all(cat, SECTION_GRIDS);
    const struct grid_entry *grids = sec->entries;
    for (int i = 0; i < sec->n; i++)
        if (is_display_name(grids[i].name, key))
            return &grids[i];
    return NULL;
}

const struct price_entry *catalog_price(const struct catalog *cat, const char *key)
{
    return section_entry(cat, SECTION_PRICES, key);
}

const struct grid_entry *catalog_grids(const struct catalog *cat, int *n)
{
    const struct section *sec = section_all(cat, SECTION_GRIDS);
    *n = sec->n;
    return sec->entries;
}

const struct price_entry *catalog_prices(const struct catalog *cat, int *n)
{
    const struct section *sec = section_all(cat, SECTION_PRICES);
    *n = sec->n;
    return sec->entries;
}

void catalog_grid_range(const struct grid_entry *g, double *lo, double *hi)
{
    *lo = *hi = g->intensity_kg_per_kwh;
    for (int j = 0; j < g->n_others; j++) {
        *lo = fmin(*lo, g->others[j].intensity_kg_per_kwh);
        *hi = fmax(*hi, g->others[j].intensity_kg_per_kwh);
    }
}

const struct facility_entry *catalog_facility(const struct catalog *cat, const char *key)
{
    for (int i = 0; i < cat->n_facilities; i++)
        if (strcmp(cat->facilities[i].key, key) == 0)
            return &cat->facilities[i];
    return NULL;
}

/* Keys of one catalog into a new array (strings borrowed); *n gets the count. */
static const char **keys_of(const struct catalog *cat, const char *which, int *n)
{
    *n = 0;
    if (strcmp(which, "models") == 0)
        return catalog_model_keys(n);
    const char **k = NULL;
    if (strcmp(which, "accelerators") == 0) {
        k = xcalloc((size_t)cat->n_accels + 1, sizeof *k);
        for (int i = 0; i < cat->n_accels; i++)
            k[(*n)++] = cat->accels[i].key;
    } else if (strcmp(which, "grids") == 0) {
        const struct section *sec = section_all(cat, SECTION_GRIDS);
        const struct grid_entry *grids = sec->entries;
        k = xcalloc((size_t)sec->n + 1, sizeof *k);
        for (int i = 0; i < sec->n; i++)
            k[(*n)++] = grids[i].key;
    } else if (strcmp(which, "prices") == 0) {
        const struct section *sec = section_all(cat, SECTION_PRICES);
        const struct price_entry *prices = sec->entries;
        k = xcalloc((size_t)sec->n + 1, sizeof *k);
        for (int i = 0; i < sec->n; i++)
            k[(*n)++] = prices[i].key;
    } else {
        k = xcalloc((size_t)cat->n_facilities + 1, sizeof *k);
        for (int i = 0; i < cat->n_facilities; i++)
            k[(*n)++] = cat->facilities[i].key;
    }
    return k;
}

/* Display names parallel to keys_of() (NULL where a catalog has none). */
static const char *name_of(const struct catalog *cat, const char *which, int i)
{
    if (strcmp(which, "accelerators") == 0)
        return cat->accels[i].name;
    if (strcmp(which, "grids") == 0)
        return ((const struct grid_entry *)section_all(cat, SECTION_GRIDS)->entries)[i].name;
    if (strcmp(which, "facilities") == 0)
        return cat->facilities[i].name;
    return NULL;
}

/* Length of the first '-'-separated segment of s ("US" of "US-VA"). */
static size_t segment_len(const char *s)
{
    const char *dash = strchr(s, '-');
    return dash ? (size_t)(dash - s) : strlen(s);
}

/* Whether the display name names what the user typed: the whole name, or its first part
 * before a comma or parenthesis ("Norway" for "Norway (2023 mix)"), ignoring case. */
static bool name_matches(const char *name, const char *word)
{
    if (!name)
        return false;
    const size_t n = strlen(word), part = strcspn(name, ",(");
    size_t end = part;
    while (end > 0 && name[end - 1] == ' ')
        end--;
    return strcasecmp(name, word) == 0 || (end == n && strncasecmp(name, word, n) == 0);
}

/* Suggestions named in one message; more are counted. */
enum { SUGGEST_MAX = 8 };

char *catalog_suggest(const struct catalog *cat, const char *which, const char *key)
{
    int n;
    const char **k = keys_of(cat, which, &n);
    bool *pick = xcalloc((size_t)n + 1, sizeof *pick);
    int n_pick = 0;
    const size_t len = strlen(key), seg = segment_len(key);
    /* 1. the same key in another case, or a display name */
    for (int i = 0; i < n; i++)
        if (strcasecmp(k[i], key) == 0 || name_matches(name_of(cat, which, i), key)) {
            pick[i] = true;
            n_pick++;
        }
    /* 2. keys that the word starts (H100 -> H100-SXM, H100-PCIe; A100 -> every A100) */
    if (!n_pick)
        for (int i = 0; i < n; i++)
            if (len >= 2 && strncasecmp(k[i], key, len) == 0) {
                pick[i] = true;
                n_pick++;
            }
    /* 3. the nearest by edit distance; on a tie, every key of the same first segment too
     *    (US-VA -> US-IA, US-GA, then the other US regions) */
    const char *near = n_pick ? NULL : schema_suggest(key, k, n);
    int tied = 0;
    if (near) {
        const int d = schema_edit_distance(key, near);
        for (int i = 0; i < n; i++)
            if (schema_edit_distance(key, k[i]) == d) {
                pick[i] = true;
                tied++;
            }
        n_pick = tied;
    }
    /* 4. nothing near among the keys: the nearest display name (Norwey -> Norway -> 'NO') */
    if (!n_pick) {
        const char **names = xcalloc((size_t)n + 1, sizeof *names);
        int n_names = 0;
        for (int i = 0; i < n; i++)
            names[n_names++] = name_of(cat, which, i) ? name_of(cat, which, i) : "";
        const char *nn = schema_suggest(key, names, n_names);
        for (int i = 0; nn && i < n; i++)
            if (names[i] == nn) {
                pick[i] = true;
                n_pick++;
            }
        free(names);
    }
    if (!n_pick || tied > 1)
        for (int i = 0; i < n && seg >= 2 && seg < len; i++)
            if (segment_len(k[i]) == seg && strncasecmp(k[i], key, seg) == 0 && !pick[i]) {
                pick[i] = true;
                n_pick++;
            }
    char *out = NULL;
    if (n_pick) {
        size_t size = 1;
        for (int i = 0; i < n; i++)
            size += pick[i] ? strlen(k[i]) + 6 : 0;
        out = xcalloc(size + 32, 1);
        /* ties first (they are nearest), then the rest, in catalog order; at most
         * SUGGEST_MAX named, the rest counted */
        const int shown = n_pick < SUGGEST_MAX ? n_pick : SUGGEST_MAX;
        int done = 0;
        for (int pass = 0; pass < 2 && done < shown; pass++)
            for (int i = 0; i < n && done < shown; i++) {
                if (!pick[i] || (pass == 0) != (!near || schema_edit_distance(key, k[i]) ==
                                                            schema_edit_distance(key, near)))
                    continue;
                strcat(out, done == 0 ? "'" : done + 1 == n_pick ? " or '" : ", '");
                strcat(out, k[i]);
                strcat(out, "'");
                done++;
            }
        if (n_pick > shown)
            snprintf(out + strlen(out), 32, " or one of %d more", n_pick - shown);
    }
    free(pick);
    free(k);
    return out;
}

char *catalog_key_list(const struct catalog *cat, const char *which)
{
    int n;
    const char **k = keys_of(cat, which, &n);
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(k[i]) + 2;
    char *s = xcalloc(len, 1);
    for (int i = 0; i < n; i++) {
        strcat(s, k[i]);
        if (i + 1 < n)
            strcat(s, ", ");
    }
    free(k);
    return s;
}

/* ---- Model cards */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **catalog_model_keys(int *n)
{
    static const char prefix[] = "models/";
    const char **k = xcalloc((size_t)n_embedded_files + 1, sizeof *k);
    *n = 0;
    for (int i = 0; i < n_embedded_files; i++)
        if (strncmp(embedded_files[i].path, prefix, sizeof prefix - 1) == 0)
            k[(*n)++] = embedded_files[i].key;
    qsort(k, (size_t)*n, sizeof *k, cmp_str);
    return k;
}

static void load_training(struct schema *c, const struct ynode *t, struct model_training *tr)
{
    const char *path = "training";
    const int n = N_RULES(training_rules);
    if (!schema_check_map(c, t, path, training_rules, n))
        return;
    tr->present = true;
    tr->accelerator = dup_key(c, t, path, "accelerator");
    tr->count = num_or_nan(c, t, path, training_rules, n, "count");
    tr->gpu_hours = num_or_nan(c, t, path, training_rules, n, "gpu_hours");
    tr->days = num_or_nan(c, t, path, training_rules, n, "days");
    tr->power_w = num_or_nan(c, t, path, training_rules, n, "power_w");
    tr->pue = num_or_nan(c, t, path, training_rules, n, "pue");
    tr->grid_kg_per_kwh = num_or_nan(c, t, path, training_rules, n, "grid_kg_per_kwh");
    tr->energy_mwh = num_or_nan(c, t, path, training_rules, n, "energy_mwh");
    tr->co2e_t = num_or_nan(c, t, path, training_rules, n, "co2e_t");
    tr->co2e_market_t = num_or_nan(c, t, path, training_rules, n, "co2e_market_t");
    tr->cost_usd = num_or_nan(c, t, path, training_rules, n, "cost_usd");
    tr->energy_is_tdp_times_hours = -1;
    const char *b = schema_string_key(c, t, path, "energy_is_tdp_times_hours");
    if (b && strcmp(b, "true") == 0)
        tr->energy_is_tdp_times_hours = 1;
    else if (b && strcmp(b, "false") == 0)
        tr->energy_is_tdp_times_hours = 0;
    else if (b)
        diag_error(c->diag, ytree_get(t, "energy_is_tdp_times_hours")->pos,
                   "training.energy_is_tdp_times_hours: expected true or false, got '%s'", b);
    tr->source = dup_key(c, t, path, "source");
    tr->notes = dup_key(c, t, path, "notes");
}

/* Warns when a card's stated count (params or active_params, at key of root) is further than
 * CATALOG_PARAMS_TOLERANCE from the count of its architecture. */
static void check_card_count(struct schema *c, const struct ynode *root, const char *key, double stated,
                             double counted)
{
    if (isnan(stated) || fabs(counted / stated - 1) <= CATALOG_PARAMS_TOLERANCE)
        return;
    diag_warning(c->diag, ytree_get(root, key)->pos,
                 "%s: the card says %.4g but its architecture counts %.4g (%+.1f %%, beyond %g %%)", key, stated,
                 counted, 100 * (counted / stated - 1), 100 * CATALOG_PARAMS_TOLERANCE);
}

/* The card's architecture: a mapping read by load/arch.c, its counts checked against the
 * card's. The old one-word form (dense or moe) is gone: params and active_params say it. */
static void load_card_arch(struct schema *c, const struct ynode *root, const struct ynode *arch,
                           struct model_card *out)
{
    if (arch->kind != YNODE_MAP) {
        diag_error(c->diag, arch->pos,
                   "architecture: expected a mapping of the model's sizes (layers, hidden, heads, vocab, ...; "
                   "DESIGN 8), got %s%s%s%s",
                   ytree_kind_name(arch), arch->kind == YNODE_SCALAR ? " '" : "",
                   arch->kind == YNODE_SCALAR ? arch->text : "", arch->kind == YNODE_SCALAR ? "'" : "");
        return;
    }
    out->has_arch = load_arch(c, arch, "architecture", NULL, &out->arch);
    if (!out->has_arch || !load_arch_complete(&out->arch))
        return;
    check_card_count(c, root, "params", out->params, arch_params_total(&out->arch));
    check_card_count(c, root, "active_params", out->active_params, arch_params_active(&out->arch));
}

bool catalog_load_model(struct diag *d, const char *ref, const char *base_dir, struct src_pos from,
                        struct model_card *out)
{
    memset(out, 0, sizeof *out);
    struct schema c = { .diag = d };
    const int before = d->n_errors;
    const bool is_path = strchr(ref, '/') || strstr(ref, ".yaml");
    struct ynode *root = NULL;
    if (is_path) {
        char path[4096];
        if (ref[0] == '/' || !base_dir || !*base_dir)
            snprintf(path, sizeof path, "%s", ref);
        else
            snprintf(path, sizeof path, "%s/%s", base_dir, ref);
        root = ytree_load_file(d, path, CATALOG_MAX_BYTES, from);
    } else {
        char path[512];
        snprintf(path, sizeof path, "models/%s.yaml", ref);
        const struct embedded_file *f = embedded(path);
        if (!f) {
            int n;
            const char **keys = catalog_model_keys(&n);
            const char *s = schema_suggest(ref, keys, n);
            if (s)
                diag_error(d, from, "workload.model: unknown model '%s' (did you mean '%s'?)", ref, s);
            else
                diag_error(d, from, "workload.model: unknown model '%s' (see 'trainsim catalog models', or give a path)",
                           ref);
            free(keys);
            return false;
        }
        root = ytree_parse(d, path, f->text, f->len, 0);
    }
    if (!root)
        return false;
    if (schema_check_map(&c, root, "", model_rules, N_RULES(model_rules))) {
        const int n = N_RULES(model_rules);
        out->key = xstrdup(ref);
        out->name = dup_key(&c, root, "", "name");
        out->params = num_or_nan(&c, root, "", model_rules, n, "params");
        out->active_params = num_or_nan(&c, root, "", model_rules, n, "active_params");
        out->tokens = num_or_nan(&c, root, "", model_rules, n, "tokens");
        const struct ynode *arch = ytree_get(root, "architecture");
        if (arch)
            load_card_arch(&c, root, arch, out);
        out->source = dup_key(&c, root, "", "source");
        out->notes = dup_key(&c, root, "", "notes");
        const struct ynode *t = ytree_get(root, "training");
        if (t)
            load_training(&c, t, &out->training);
    }
    ytree_free(root);
    return d->n_errors == before;
}

void model_card_release(struct model_card *m)
{
    if (!m)
        return;
    free(m->key);
    free(m->name);
    free(m->source);
    free(m->notes);
    free(m->training.accelerator);
    free(m->training.source);
    free(m->training.notes);
    memset(m, 0, sizeof *m);
}

/* ---- Printing */

/* v / scale with 'decimals' decimals, or 4 significant digits when decimals < 0; "-" for NAN. */
static void fmt_num(char *buf, size_t size, double v, double scale, int decimals)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (decimals < 0)
        snprintf(buf, size, "%.4g", v / scale);
    else
        snprintf(buf, size, "%.*f", decimals, v / scale);
}

static void print_accels(FILE *out, const struct catalog *cat)
{
    fprintf(out, "%-16s %-28s %6s %6s %8s %8s %5s %9s %5s %6s %5s %4s %6s  %s\n", "key", "name", "tdp_w", "idle_w",
            "bf16", "fp8", "/node", "embodied", "hbm", "nvlink", "net", "dom", "matmul", "estimated");
    for (int i = 0; i < cat->n_accels; i++) {
        const struct accel_entry *a = &cat->accels[i];
        char bf16[16] = "-", fp8[16] = "-", emb[16] = "-", hbm[16], nvl[16], net[16], dom[24] = "-", mm[16] = "-";
        fmt_num(hbm, sizeof hbm, a->hbm_tb_s, 1, -1);
        fmt_num(nvl, sizeof nvl, a->nvlink_gb_s, 1, -1);
        fmt_num(net, sizeof net, a->network_gb_s, 1, -1);
        if (a->nvlink_domain > 0)
            snprintf(dom, sizeof dom, "%ld", a->nvlink_domain);
        if (a->has_eff)
            snprintf(mm, sizeof mm, "%.3g", a->eff_central[EFF_MATMUL]);
        if (!isnan(a->peak_tflops[0]))
            snprintf(bf16, sizeof bf16, "%g", a->peak_tflops[0]);
        if (!isnan(a->peak_tflops[1]))
            snprintf(fp8, sizeof fp8, "%g", a->peak_tflops[1]);
        if (!isnan(a->embodied_kg))
            snprintf(emb, sizeof emb, "%g", a->embodied_kg);
        fprintf(out, "%-16s %-28s %6g %6g %8s %8s %5ld %9s %5s %6s %5s %4s %6s  %s\n", a->key, a->name, a->tdp_w,
                a->idle_w, bf16, fp8, a->gpus_per_node, emb, hbm, nvl, net, dom, mm, a->estimated ? a->estimated : "");
    }
}

/* Grid areas grouped by kind, in the order kinds first appear in the file; the range over
 * every source's figure beside the value. */
static void print_grids(FILE *out, const struct catalog *cat)
{
    const struct section *sec = section_all(cat, SECTION_GRIDS);
    const struct grid_entry *grids = sec->entries;
    const int n_grids = sec->n;
    bool *done = xcalloc((size_t)n_grids + 1, sizeof *done);
    for (int i = 0; i < n_grids; i++) {
        if (done[i])
            continue;
        const char *kind = grids[i].kind;
        int n = 0;
        for (int j = i; j < n_grids; j++)
            n += strcmp(grids[j].kind, kind) == 0;
        fprintf(out, "%s# %s (%d)\n%-18s %-44s %8s %6s %17s %-s\n", i ? "\n" : "", kind, n, "key", "name", "kg/kWh",
                "year", "sources' range", "basis");
        for (int j = i; j < n_grids; j++) {
            const struct grid_entry *g = &grids[j];
            if (strcmp(g->kind, kind) != 0)
                continue;
            done[j] = true;
            char year[16] = "-", range[48] = "-";
            if (g->year)
                snprintf(year, sizeof year, "%ld", g->year);
            double lo, hi;
            catalog_grid_range(g, &lo, &hi);
            if (g->n_others)
                snprintf(range, sizeof range, "%.4g-%.4g (%d)", lo, hi, g->n_others + 1);
            fprintf(out, "%-18s %-44.44s %8.4g %6s %19s %s\n", g->key, g->name, g->intensity_kg_per_kwh, year, range,
                    g->basis);
        }
    }
    fputs("\n(n) = number of sources; `trainsim catalog KEY` (or a name: Norway) prints one area with every source.\n",
          out);
    free(done);
}

static void print_grid_entry(FILE *out, const struct grid_entry *g)
{
    fprintf(out, "%s: %s (%s)\n", g->key, g->name, g->kind);
    fprintf(out, "  %.6g kg/kWh", g->intensity_kg_per_kwh);
    if (g->year)
        fprintf(out, ", %ld", g->year);
    fprintf(out, "; %s\n  source: %s\n", g->basis, g->source);
    for (int j = 0; j < g->n_others; j++) {
        const struct grid_figure *f = &g->others[j];
        fprintf(out, "  other: %.6g kg/kWh", f->intensity_kg_per_kwh);
        if (f->year)
            fprintf(out, ", %ld", f->year);
        fprintf(out, "; %s\n         %s\n", f->basis, f->source);
    }
    if (g->n_others) {
        double lo, hi;
        catalog_grid_range(g, &lo, &hi);
        fprintf(out, "  range over %d sources: %.6g to %.6g kg/kWh (grid.intensity_spread: triangular uses it)\n",
                g->n_others + 1, lo, hi);
    }
    if (!isnan(g->water_l_per_kwh))
        fprintf(out, "  water: %g L/kWh off site (grid.water_l_per_kwh); %s\n", g->water_l_per_kwh, g->water_source);
    if (g->notes)
        fprintf(out, "  notes: %s\n", g->notes);
}

/* "-" for NAN, else %g of v. */
static const char *num_text(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%g", v);
    return buf;
}

static void print_prices(FILE *out, const struct catalog *cat)
{
    fprintf(out, "%-64s %-11s %-10s %10s %8s %8s %8s\n", "key", "kind", "date", "capex/GPU", "USD/GPUh", "USD/kWmo",
            "USD/kWh");
    const struct section *sec = section_all(cat, SECTION_PRICES);
    for (int i = 0; i < sec->n; i++) {
        const struct price_entry *p = &((const struct price_entry *)sec->entries)[i];
        char a[32], b[32], c[32], d[32];
        fprintf(out, "%-64s %-11s %-10s %10s %8s %8s %8s\n", p->key, p->kind, p->date,
                num_text(a, sizeof a, p->capex_usd_per_gpu), num_text(b, sizeof b, p->gpu_hour_usd),
                num_text(c, sizeof c, p->colocation_usd_per_kw_month), num_text(d, sizeof d, p->electricity_usd_per_kwh));
    }
}

static void print_price_entry(FILE *out, const struct price_entry *p)
{
    char v[32];
    fprintf(out, "%s: %s (%s, %s)\n", p->key, p->item, p->kind, p->date);
    if (!isnan(p->capex_usd_per_gpu))
        fprintf(out, "  capex_usd_per_gpu: %s\n", num_text(v, sizeof v, p->capex_usd_per_gpu));
    if (!isnan(p->gpu_hour_usd))
        fprintf(out, "  gpu_hour_usd: %s\n", num_text(v, sizeof v, p->gpu_hour_usd));
    if (!isnan(p->colocation_usd_per_kw_month))
        fprintf(out, "  colocation_usd_per_kw_month: %s\n", num_text(v, sizeof v, p->colocation_usd_per_kw_month));
    if (!isnan(p->electricity_usd_per_kwh))
        fprintf(out, "  electricity_usd_per_kwh: %s\n", num_text(v, sizeof v, p->electricity_usd_per_kwh));
    fprintf(out, "  source: %s\n", p->source);
    if (p->notes)
        fprintf(out, "  notes: %s\n", p->notes);
}

static void print_facilities(FILE *out, const struct catalog *cat)
{
    fprintf(out, "%-18s %-50s %6s %6s\n", "key", "name", "pue", "wue");
    for (int i = 0; i < cat->n_facilities; i++) {
        const struct facility_entry *f = &cat->facilities[i];
        char wue[16] = "-";
        if (!isnan(f->wue_l_per_kwh))
            snprintf(wue, sizeof wue, "%g", f->wue_l_per_kwh);
        fprintf(out, "%-18s %-50.50s %6g %6s\n", f->key, f->name, f->pue, wue);
    }
}

static void print_equivalences(FILE *out, const struct catalog *cat)
{
    fprintf(out, "car        %g kg CO2 per year   (%s)\n", cat->car_kg_per_year, cat->car_source);
    fprintf(out, "household  %g kWh per year   (%s)\n", cat->household_kwh_per_year, cat->household_source);
}

/* Dense peak used to compare parts: bf16, else fp16 (V100, whose tensor peak is fp16). */
static double compare_peak(const struct accel_entry *a)
{
    return !isnan(a->peak_tflops[0]) ? a->peak_tflops[0] : a->peak_tflops[2];
}

/* The published runs side by side in common units (issue: "it's hard to compare it all"). */
static bool print_models(FILE *out, const struct catalog *cat, struct diag *d)
{
    int n;
    const char **keys = catalog_model_keys(&n);
    bool ok = true;
    const struct accel_entry *h100 = catalog_accel(cat, "H100-SXM");
    fprintf(out, "%-20s %7s %7s %7s %-14s %6s %11s %11s %8s %8s %7s %8s\n", "model", "params", "active", "tokens",
            "accelerator", "count", "GPU-hours", "H100-eq h", "MWh", "t CO2e", "M$", "tok/GPUh");
    fprintf(out, "%-20s %7s %7s %7s %-14s %6s %11s %11s %8s %8s %7s %8s\n", "", "(B)", "(B)", "(T)", "", "", "", "",
            "", "", "", "(M)");
    for (int i = 0; i < n; i++) {
        struct model_card m;
        if (!catalog_load_model(d, keys[i], NULL, (struct src_pos){ 0 }, &m)) {
            ok = false;
            model_card_release(&m);
            continue;
        }
        const struct model_training *t = &m.training;
        const struct accel_entry *acc = t->accelerator ? catalog_accel(cat, t->accelerator) : NULL;
        const double h100_eq = acc && h100 ? t->gpu_hours * compare_peak(acc) / compare_peak(h100) : (double)NAN;
        char p[32], a[32], tk[32], cnt[32], gh[32], he[32], e[32], co2[32], usd[32], tpg[32];
        fmt_num(p, sizeof p, m.params, 1e9, 1);
        fmt_num(a, sizeof a, m.active_params, 1e9, 1);
        fmt_num(tk, sizeof tk, m.tokens, 1e12, 2);
        fmt_num(cnt, sizeof cnt, t->count, 1, 0);
        fmt_num(gh, sizeof gh, t->gpu_hours, 1, 0);
        fmt_num(he, sizeof he, h100_eq, 1, 0);
        fmt_num(e, sizeof e, t->energy_mwh, 1, -1);
        fmt_num(co2, sizeof co2, t->co2e_t, 1, -1);
        fmt_num(usd, sizeof usd, t->cost_usd, 1e6, 3);
        fmt_num(tpg, sizeof tpg, m.tokens / t->gpu_hours, 1e6, 2);
        fprintf(out, "%-20s %7s %7s %7s %-14s %6s %11s %11s %8s %8s %7s %8s\n", keys[i], p, a, tk,
                t->accelerator ? t->accelerator : "-", cnt, gh, he, e, co2, usd, tpg);
        model_card_release(&m);
    }
    fputs("\nH100-eq h = GPU-hours x the part's dense bf16 (V100: fp16) peak / the H100 SXM's; energy and CO2e are\n"
          "as published (scopes differ: see each card's notes, `trainsim validate` and models/README.md).\n",
          out);
    free(keys);
    return ok;
}

bool catalog_print(FILE *out, const struct catalog *cat, struct diag *d, const char *which)
{
    static const char *const names[] = { "accelerators", "grids", "facilities", "equivalences", "models", "prices" };
    if (which) {
        int k = -1;
        for (int i = 0; i < 6; i++)
            if (strcmp(which, names[i]) == 0)
                k = i;
        const struct grid_entry *g = k < 0 ? catalog_grid(cat, which) : NULL;
        const struct price_entry *p = k < 0 ? catalog_price(cat, which) : NULL;
        if (g || p) {
            if (g)
                print_grid_entry(out, g);
            else
                print_price_entry(out, p);
            return true;
        }
        if (k < 0) {
            const char *s = schema_suggest(which, names, 6);
            diag_error(d, (struct src_pos){ 0 }, "catalog: unknown catalog '%s'%s%s%s (expected accelerators, grids, "
                                                 "facilities, equivalences, models or prices, or the key or name of "
                                                 "a grid area or a price)",
                       which, s ? " (did you mean '" : "", s ? s : "", s ? "'?)" : "");
            return false;
        }
    }
    const bool all = !which;
    if (all || strcmp(which, "accelerators") == 0) {
        fputs(all ? "# accelerators (configs/accelerators.yaml)\n" : "", out);
        print_accels(out, cat);
    }
    if (all || strcmp(which, "grids") == 0) {
        fputs(all ? "\n# grids (configs/grids.yaml)\n" : "", out);
        print_grids(out, cat);
    }
    if (all || strcmp(which, "facilities") == 0) {
        fputs(all ? "\n# facilities (configs/facilities.yaml)\n" : "", out);
        print_facilities(out, cat);
    }
    if (all || strcmp(which, "equivalences") == 0) {
        fputs(all ? "\n# equivalences (configs/equivalences.yaml)\n" : "", out);
        print_equivalences(out, cat);
    }
    if (!all && strcmp(which, "prices") == 0)
        print_prices(out, cat);
    if (all)
        fputs("\n# models (models/)\n", out);
    if (all || strcmp(which, "models") == 0)
        return print_models(out, cat, d);
    return true;
}
