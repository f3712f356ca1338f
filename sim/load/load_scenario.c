/*
 * load_scenario.c - walks a scenario tree into a struct spec (DESIGN 2).
 *
 * One key table per mapping says which keys exist, their type and their valid range; the
 * code below only says what each key means. Catalog values fill whatever the scenario
 * leaves out. Every error is reported with its position and loading goes on, so that one
 * run lists every problem of the file.
 */
#include "load/load.h"

#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine.h"
#include "core/profile.h"
#include "core/model.h"
#include "load/arch.h"
#include "load/load_layout.h"
#include "load/override.h"
#include "load/schema.h"
#include "load/series.h"
#include "load/ytree.h"
#include "util/outfile.h"
#include "util/sha256.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define N_RULES(r) ((int)(sizeof(r) / sizeof((r)[0])))

/* Above this IT power a scenario is not a cluster but an overflow (a terawatt). */
static const double MAX_IT_POWER_W = 1e12;
/* Sample-steps one run may take (about 1.4 h at 2e8 per second); documented in README. */
static const double MAX_SAMPLE_STEPS = 1e12;
/* Expected events (failures, checkpoints, maintenance) per sample, at central values. */
static const double MAX_EVENTS_PER_SAMPLE = 1e7;

/* A tdp_w override further than this from the catalog is probably the wrong part. */
static const double TDP_WARN_FRACTION = 0.20;
static const char DEFAULT_START[] = "2025-01-01T00:00:00Z";

/* ---- Key tables (DESIGN 2) */

static const struct key_rule root_rules[] = {
    { "base", KEY_STRING, 0, 0, 0, "scenario this one inherits from" },
    { "name", KEY_STRING, KEY_REQUIRED, 0, 0, "scenario name" },
    { "description", KEY_STRING, 0, 0, 0, "free text" },
    { "start", KEY_TIME, 0, 0, 0, "run start, UTC" },
    { "workload", KEY_MAP, KEY_REQUIRED, 0, 0, "what is trained" },
    { "cluster", KEY_MAP, KEY_REQUIRED, 0, 0, "the accelerators" },
    { "power", KEY_MAP, 0, 0, 0, "accelerator draw per state" },
    { "facility", KEY_MAP, 0, 0, 0, "PUE and water" },
    { "grid", KEY_MAP, KEY_REQUIRED, 0, 0, "carbon intensity" },
    { "reliability", KEY_MAP, 0, 0, 0, "failures, checkpoints, restarts" },
    { "economics", KEY_MAP, 0, 0, 0, "prices" },
    { "embodied", KEY_MAP, 0, 0, 0, "manufacturing emissions" },
    { "sim", KEY_MAP, 0, 0, 0, "Monte Carlo settings" },
    { "reported", KEY_MAP, 0, 0, 0, "published figures to validate against" },
};

/* Stage keys; the workload mapping takes them too when it has no stages: list. */
#define STAGE_RULES                                                                                      \
    { "name", KEY_STRING, 0, 0, 0, "stage name" },                                                     \
    { "flops", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "FLOP of training compute" },                          \
    { "params", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "parameters (active parameters for MoE)" },           \
    { "tokens", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "training tokens" },                                  \
    { "flops_per_token", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "FLOP per token (default 6 x params)" },     \
    { "gpu_hours", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "accelerator-hours at nominal speed" },            \
    { "tokens_per_gpu_s", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "measured tokens per accelerator-second" },  \
    { "precision", KEY_STRING, 0, 0, 0, "bf16 (default), fp8, fp16, tf32 or fp32" },                   \
    { "mfu", KEY_PARAM, KEY_LO_OPEN, 0, 1, "model FLOP utilisation" },                                 \
    { "speed", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "throughput multiplier (gpu_hours form)" },            \
    { "utilization_curve", KEY_SEQ, 0, 0, 0, "[[progress, factor], ...]" },                            \
    { "busy_fraction", KEY_PARAM, KEY_LO_OPEN, 0, 1.5, "accelerator draw while training / TDP" },          \
    LOAD_LAYOUT_STAGE_RULES

static const struct key_rule stage_rules[] = { STAGE_RULES };
static const struct key_rule workload_rules[] = {
    { "model", KEY_STRING, 0, 0, 0, "model card key or path" },
    { "stages", KEY_SEQ, 0, 0, 0, "stages run in order" },
    { "architecture", KEY_MAP, 0, 0, 0, "layers, hidden, heads, ... (or hf_config); overrides the model card's" },
    STAGE_RULES,
};

static const struct key_rule cluster_rules[] = {
    { "accelerator", KEY_STRING, KEY_REQUIRED, 0, 0, "key of configs/accelerators.yaml" },
    { "count", KEY_INT, KEY_REQUIRED, 1, 1e7, "accelerators" },
    { "gpus_per_node", KEY_INT, 0, 1, 1024, "accelerators per node" },
    { "tdp_w", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "thermal design power, W" },
    { "idle_w", KEY_NUMBER, 0, 0, 1e5, "draw when not training, W" },
    { "peak_tflops", KEY_MAP, 0, 0, 0, "dense peak per precision" },
    { "memory_gb", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, "accelerator memory" },
    { "hbm_tb_s", KEY_NUMBER, KEY_LO_OPEN, 0, 1e3, "memory bandwidth, TB/s" },
    { "nvlink_gb_s", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, "NVLink bandwidth per GPU per direction, GB/s" },
    { "network_gb_s", KEY_NUMBER, KEY_LO_OPEN, 0, 1e5, "scale-out bandwidth per GPU per direction, GB/s" },
    { "nvlink_domain", KEY_INT, 0, 1, 1e6, "GPUs sharing one NVLink domain" },
    { "embodied_kg", KEY_NUMBER, 0, 0, 1e6, "manufacturing CO2e per accelerator" },
    { "overhead_factor", KEY_PARAM, 0, 1, HUGE_VAL, "rest of the IT load, x accelerator power" },
    { "node_overhead_w", KEY_PARAM, 0, 0, HUGE_VAL, "fixed extra watts per node" },
};

static const struct key_rule peak_rules[] = {
    { "bf16", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "TFLOP/s" }, { "fp8", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "TFLOP/s" },
    { "fp16", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "TFLOP/s" }, { "tf32", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "TFLOP/s" },
    { "fp32", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "TFLOP/s" },
};

static const struct key_rule power_rules[] = {
    { "busy_fraction", KEY_PARAM, KEY_LO_OPEN, 0, 1.5, "draw while training / TDP" },
    { "idle_fraction", KEY_PARAM, 0, 0, 1, "draw while not training / TDP" },
};

static const struct key_rule facility_rules[] = {
    { "preset", KEY_STRING, 0, 0, 0, "key of configs/facilities.yaml" },
    { "pue", KEY_PARAM, 0, 1, HUGE_VAL, "annual mean PUE" },
    { "pue_seasonal_amplitude", KEY_NUMBER, 0, 0, 5, "added a cos(2 pi (day - peak) / 365.25)" },
    { "pue_peak_day", KEY_NUMBER, 0, 1, 367, "day of year of the seasonal peak" },
    { "pue_diurnal_amplitude", KEY_NUMBER, 0, 0, 5, "added a cos(2 pi (hour - peak) / 24)" },
    { "pue_peak_hour", KEY_NUMBER, KEY_HI_OPEN, 0, 24, "local hour of the diurnal peak" },
    { "utc_offset_h", KEY_NUMBER, 0, -14, 14, "local time = UTC + offset" },
    { "pue_series", KEY_STRING, 0, 0, 0, "CSV timestamp,pue" },
    { "wue_l_per_kwh", KEY_PARAM, 0, 0, HUGE_VAL, "site water per kWh of IT energy" },
};

static const struct key_rule grid_rules[] = {
    { "region", KEY_STRING, 0, 0, 0, "key of configs/grids.yaml" },
    { "intensity_kg_per_kwh", KEY_PARAM, 0, 0, HUGE_VAL, "kg CO2e per kWh" },
    { "seasonal_amplitude", KEY_NUMBER, KEY_HI_OPEN, 0, 1, "relative" },
    { "peak_day", KEY_NUMBER, 0, 1, 367, "day of year of the seasonal peak" },
    { "diurnal_amplitude", KEY_NUMBER, KEY_HI_OPEN, 0, 1, "relative" },
    { "peak_hour", KEY_NUMBER, KEY_HI_OPEN, 0, 24, "local hour of the diurnal peak" },
    { "series", KEY_STRING, 0, 0, 0, "hourly file: timestamp,kg_per_kwh CSV, Electricity Maps CSV, WattTime or UK CI JSON" },
    { "series_basis", KEY_STRING, 0, 0, 0, "lifecycle (default) or direct: the column of a file that has both" },
    { "carbon_free_fraction", KEY_PARAM, 0, 0, 1, "contracted carbon-free share" },
    { "intensity_spread", KEY_STRING, 0, 0, 0, "triangular or uniform over the catalog's sources" },
    { "water_l_per_kwh", KEY_PARAM, 0, 0, HUGE_VAL, "off-site water per kWh generated" },
};

static const struct key_rule reliability_rules[] = {
    { "failures_per_1000_node_days", KEY_PARAM, 0, 0, HUGE_VAL, "unplanned interruptions" },
    { "restart_min", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "failure -> training resumed" },
    { "checkpoint_interval_min", KEY_AUTO, KEY_LO_OPEN, 0, 1e7, "minutes of RUNNING, or auto" },
    { "checkpoint_write_min", KEY_PARAM, 0, 0, HUGE_VAL, "stall per checkpoint" },
    { "planned_per_day", KEY_NUMBER, 0, 0, 1e3, "planned interruptions per day" },
    { "planned_downtime_min", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "maintenance length" },
};

static const struct key_rule economics_rules[] = {
    { "price", KEY_ANY, 0, 0, 0, "key (or list of keys) of configs/prices.yaml" },
    { "gpu_hour_usd", KEY_PARAM, 0, 0, HUGE_VAL, "price per allocated accelerator-hour" },
    { "electricity_usd_per_kwh", KEY_PARAM, 0, 0, HUGE_VAL, "price of facility energy" },
    { "capex_usd_per_gpu", KEY_PARAM, 0, 0, HUGE_VAL, "purchase price of one accelerator with its share of the server" },
    { "amortisation_years", KEY_PARAM, KEY_LO_OPEN, 0, 100, "years the hardware is paid off over (default 4)" },
    { "interconnect_share", KEY_PARAM, KEY_HI_OPEN, 0, 1, "network's share of total cluster capex (default 0)" },
    { "cost_of_capital", KEY_PARAM, 0, 0, 1, "annual rate; 0 = straight line (default), above 0 = annuity" },
    { "colocation_usd_per_kw_month", KEY_PARAM, 0, 0, HUGE_VAL, "colocation price on peak IT power" },
};

static const struct key_rule embodied_rules[] = {
    { "kg_per_gpu", KEY_PARAM, 0, 0, HUGE_VAL, "manufacturing CO2e per accelerator" },
    { "lifetime_years", KEY_NUMBER, KEY_LO_OPEN, 0, 100, "amortisation period" },
};

static const struct key_rule sim_rules[] = {
    { "samples", KEY_INT, 0, 1, LOAD_MAX_SAMPLES, "Monte Carlo samples" },
    { "seed", KEY_INT, 0, 0, 9007199254740992.0, "base seed" },
    { "step_min", KEY_NUMBER, KEY_LO_OPEN, 0, 1440, "step length, minutes" },
    { "quantiles", KEY_SEQ, 0, 0, 0, "reported quantiles in (0, 1)" },
    { "max_days", KEY_NUMBER, KEY_LO_OPEN, 0, 36525, "horizon" },
};

static const struct key_rule reported_rules[] = {
    { "value", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, HUGE_VAL, "the published figure, in the metric's unit (> 0: errors are relative)" },
    { "kind", KEY_STRING, KEY_REQUIRED, 0, 0, "consistency or prediction" },
    { "tolerance_pct", KEY_NUMBER, 0, 0, 1000, "allowed |error| of a consistency case, percent" },
    { "source", KEY_STRING, KEY_REQUIRED, 0, 0, "where the figure is published" },
};

/* The sections and their key tables, for lookups by key path (solve's default range) and the
 * scenario reference (trainsim help scenario). A new section needs a row here. */
static const struct key_table sections[] = {
    { "", root_rules, N_RULES(root_rules), "the sections of a scenario file" },
    { "workload", workload_rules, N_RULES(workload_rules), "what is trained (a single stage's keys, or stages:)" },
    { "workload.stages[]", stage_rules, N_RULES(stage_rules), "one stage of workload.stages" },
    { "cluster", cluster_rules, N_RULES(cluster_rules), "the accelerators (catalog values unless overridden)" },
    { "cluster.peak_tflops", peak_rules, N_RULES(peak_rules), "dense peak per precision" },
    { "power", power_rules, N_RULES(power_rules), "accelerator draw per state" },
    { "facility", facility_rules, N_RULES(facility_rules), "PUE and water" },
    { "grid", grid_rules, N_RULES(grid_rules), "carbon intensity" },
    { "reliability", reliability_rules, N_RULES(reliability_rules), "failures, checkpoints, restarts" },
    { "economics", economics_rules, N_RULES(economics_rules), "prices" },
    { "embodied", embodied_rules, N_RULES(embodied_rules), "manufacturing emissions" },
    { "sim", sim_rules, N_RULES(sim_rules), "Monte Carlo settings" },
    { "reported.<metric>", reported_rules, N_RULES(reported_rules), "published figures (validation scenarios)" },
};

/* Every key table: this file's sections, then those of the modules that read a mapping. */
static const struct {
    const struct key_table *tables;
    int n;
} key_tables[] = {
    { sections, (int)(sizeof sections / sizeof sections[0]) },
    { load_arch_tables, LOAD_ARCH_N_TABLES },
    { load_layout_tables, LOAD_LAYOUT_N_TABLES },
};
enum { N_KEY_GROUPS = (int)(sizeof key_tables / sizeof key_tables[0]) };

static const struct key_rule *find_rule(const char *section, const char *key)
{
    for (int g = 0; g < N_KEY_GROUPS; g++)
        for (int i = 0; i < key_tables[g].n; i++)
            if (strcmp(key_tables[g].tables[i].section, section) == 0)
                return schema_rule(key_tables[g].tables[i].rules, key_tables[g].tables[i].n, key);
    return NULL;
}

const struct key_rule *load_key_rule(const char *path)
{
    char section[256];
    const char *dot = strrchr(path, '.');
    const char *key = dot ? dot + 1 : path;
    snprintf(section, sizeof section, "%.*s", dot ? (int)(dot - path) : 0, path);
    char *bracket = strchr(section, '[');
    if (bracket && strchr(bracket, ']'))
        memmove(bracket + 1, strchr(bracket, ']'), strlen(strchr(bracket, ']')) + 1); /* stages[3] -> stages[] */
    const struct key_rule *r = find_rule(section, key);
    /* A workload without stages: takes a stage's keys itself (workload.layout = workload.stages[].layout) */
    static const char workload[] = "workload.";
    if (!r && strncmp(section, workload, strlen(workload)) == 0) {
        char alias[300];
        snprintf(alias, sizeof alias, "workload.stages[].%s", section + strlen(workload));
        r = find_rule(alias, key);
    }
    return r;
}

void load_print_keys(FILE *out)
{
    static const char *const types[] = { [KEY_STRING] = "string", [KEY_NUMBER] = "number", [KEY_INT] = "integer",
                                         [KEY_PARAM] = "num|dist", [KEY_MAP] = "mapping", [KEY_SEQ] = "list",
                                         [KEY_TIME] = "time", [KEY_AUTO] = "number|auto", [KEY_ANY] = "any" };
    for (int g = 0; g < N_KEY_GROUPS; g++)
        for (int i = 0; i < key_tables[g].n; i++) {
            const struct key_table *t = &key_tables[g].tables[i];
            fprintf(out, "%s%s  (%s)\n", g || i ? "\n" : "", t->section[0] ? t->section : "(top level)", t->doc);
            for (int k = 0; k < t->n; k++) {
                const struct key_rule *r = &t->rules[k];
                char range[64] = "";
                if (r->type == KEY_NUMBER || r->type == KEY_INT || r->type == KEY_PARAM || r->type == KEY_AUTO)
                    schema_format_range(range, sizeof range, r);
                const unsigned ty = (unsigned)r->type;
                fprintf(out, "  %-28s %-11s %-14s %s%s\n", r->key,
                        ty < sizeof types / sizeof types[0] && types[ty] ? types[ty] : "?", range,
                        r->flags & KEY_REQUIRED ? "(required) " : "", r->doc);
            }
        }
}

static const struct key_rule quantile_rule = { "quantiles", KEY_NUMBER, KEY_LO_OPEN | KEY_HI_OPEN, 0, 1, "" };
static const struct key_rule curve_x_rule = { "x", KEY_NUMBER, 0, 0, 1, "" };
static const struct key_rule curve_y_rule = { "y", KEY_NUMBER, KEY_LO_OPEN, 0, 1e3, "" };

/* ---- The loader */

struct loader {
    struct schema c;                 /* diag + spec */
    const struct catalog *cat;       /* borrowed */
    const struct accel_entry *acc;   /* NULL when the accelerator is unknown */
    struct model_card model;
    bool has_model;
    bool model_failed;               /* workload.model given but not loadable: skip work-form errors */
    const struct ynode *cluster;     /* cluster mapping, for peak_tflops overrides */
    double idle_w, embodied_kg;      /* cluster.idle_w / embodied_kg, else the catalog's (NaN: none) */
    int peak_in[CATALOG_MAX_PEAKS];  /* input of each precision's peak, -1 until used */
    struct src_pos root_pos;
};

static struct src_pos pos_or(const struct ynode *n, struct src_pos dflt)
{
    return n ? n->pos : dflt;
}

/* A mapping from the root, checked against its rules; NULL when absent or invalid. */
static const struct ynode *section(struct loader *L, const struct ynode *root, const char *key,
                                   const struct key_rule *rules, int n)
{
    const struct ynode *m = ytree_get(root, key);
    if (!m || m->kind != YNODE_MAP)
        return NULL;
    schema_check_map(&L->c, m, key, rules, n);
    return m;
}

static double central(const struct loader *L, int in)
{
    return L->c.spec->inputs[in].central;
}

/* The input holding the peak TFLOP/s of precision prec (created on first use). */
static int peak_input(struct loader *L, const char *prec, struct src_pos at, const char *path)
{
    int p = -1;
    for (int i = 0; i < CATALOG_MAX_PEAKS; i++)
        if (strcmp(catalog_precisions[i], prec) == 0)
            p = i;
    if (p < 0) {
        const char *sug = schema_suggest(prec, catalog_precisions, CATALOG_MAX_PEAKS);
        diag_error(L->c.diag, at, "%s: unknown precision '%s'%s%s%s", path, prec, sug ? " (did you mean '" : "",
                   sug ? sug : "", sug ? "'?)" : " (expected bf16, fp8, fp16, tf32 or fp32)");
        return schema_fixed_input(&L->c, "cluster.peak_tflops.bf16", 1.0);
    }
    if (L->peak_in[p] >= 0)
        return L->peak_in[p];
    char ppath[64];
    snprintf(ppath, sizeof ppath, "cluster.peak_tflops.%s", prec);
    const struct ynode *over = ytree_get(ytree_get(L->cluster, "peak_tflops"), prec);
    const double cat = L->acc ? L->acc->peak_tflops[p] : 1.0;
    if (!over && isnan(cat)) {
        diag_error(L->c.diag, at, "%s: the catalog has no %s peak for %s; set cluster.peak_tflops.%s", path, prec,
                   L->acc->key, prec);
    }
    L->peak_in[p] = schema_param(&L->c, over, ppath, schema_rule(peak_rules, N_RULES(peak_rules), prec),
                                 isnan(cat) ? 1.0 : cat, INPUT_PER_SAMPLE);
    return L->peak_in[p];
}

static void load_cluster(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(cluster_rules);
    const char *key = schema_string_key(&L->c, m, "cluster", "accelerator");
    if (key) {
        L->acc = catalog_accel(L->cat, key);
        s->accelerator = xstrdup(key);
        if (!L->acc) {
            char *sug = catalog_suggest(L->cat, "accelerators", key);
            if (sug) {
                diag_error(L->c.diag, ytree_get(m, "accelerator")->pos,
                           "cluster.accelerator: unknown accelerator '%s' (did you mean %s?)", key, sug);
                free(sug);
            } else {
                char *list = catalog_key_list(L->cat, "accelerators");
                diag_error(L->c.diag, ytree_get(m, "accelerator")->pos,
                           "cluster.accelerator: unknown accelerator '%s' (known: %s)", key, list);
                free(list);
            }
        }
    }
    L->cluster = m;
    s->count = 1;
    schema_int_key(&L->c, m, "cluster", cluster_rules, n, "count", &s->count);
    long gpn = L->acc ? L->acc->gpus_per_node : 8;
    schema_int_key(&L->c, m, "cluster", cluster_rules, n, "gpus_per_node", &gpn);
    s->gpus_per_node = (int)gpn;
    s->n_nodes = (s->count + gpn - 1) / gpn;
    s->catalog_tdp_w = L->acc ? L->acc->tdp_w : (double)NAN;
    s->tdp_w_in = schema_param_key(&L->c, m, "cluster", cluster_rules, n, "tdp_w", L->acc ? L->acc->tdp_w : 700);
    s->overhead_factor_in = schema_param_key(&L->c, m, "cluster", cluster_rules, n, "overhead_factor", 1.0);
    s->node_overhead_w_in = schema_param_key(&L->c, m, "cluster", cluster_rules, n, "node_overhead_w", 0.0);
    /* Catalog overrides are read (and so checked) here, whether or not a later section
     * uses them. */
    L->idle_w = L->acc ? L->acc->idle_w : 0;
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "idle_w", &L->idle_w);
    s->memory_gb = L->acc ? L->acc->memory_gb : (double)NAN;
    s->hbm_tb_s = L->acc ? L->acc->hbm_tb_s : (double)NAN;
    s->nvlink_gb_s = L->acc ? L->acc->nvlink_gb_s : (double)NAN;
    s->network_gb_s = L->acc ? L->acc->network_gb_s : (double)NAN;
    s->nvlink_domain = L->acc ? L->acc->nvlink_domain : 0;
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "memory_gb", &s->memory_gb);
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "hbm_tb_s", &s->hbm_tb_s);
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "nvlink_gb_s", &s->nvlink_gb_s);
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "network_gb_s", &s->network_gb_s);
    schema_int_key(&L->c, m, "cluster", cluster_rules, n, "nvlink_domain", &s->nvlink_domain);
    L->embodied_kg = L->acc && !isnan(L->acc->embodied_kg) ? L->acc->embodied_kg : (double)NAN;
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "embodied_kg", &L->embodied_kg);
    for (int p = 0; p < CATALOG_MAX_PEAKS; p++)
        L->peak_in[p] = -1;
    const struct ynode *peaks = ytree_get(m, "peak_tflops");
    if (peaks && peaks->kind == YNODE_MAP &&
        schema_check_map(&L->c, peaks, "cluster.peak_tflops", peak_rules, N_RULES(peak_rules)))
        for (int i = 0; i < peaks->n; i++)
            peak_input(L, peaks->keys[i]->text, peaks->keys[i]->pos, "cluster.peak_tflops");
}

static void load_power(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(power_rules);
    s->busy_fraction_in = schema_param_key(&L->c, m, "power", power_rules, n, "busy_fraction", 1.0);
    /* Default idle draw: the catalog's idle_w (or cluster.idle_w) over the central TDP. */
    const double tdp = central(L, s->tdp_w_in);
    double frac = tdp > 0 ? L->idle_w / tdp : 0;
    if (frac > 1)
        frac = 1;
    s->idle_fraction_in = schema_param_key(&L->c, m, "power", power_rules, n, "idle_fraction", frac);
}

static void load_curve(struct loader *L, const struct ynode *v, const char *path, struct curve *c)
{
    if (v->n < 2) {
        diag_error(L->c.diag, v->pos, "%s: a curve needs at least two points, [[0, f0], ..., [1, f1]]", path);
        return;
    }
    if (v->n > LOAD_MAX_CURVE_POINTS) {
        diag_error(L->c.diag, v->pos, "%s: more than %d points", path, LOAD_MAX_CURVE_POINTS);
        return;
    }
    double *x = xcalloc((size_t)v->n, sizeof *x), *y = xcalloc((size_t)v->n, sizeof *y);
    bool ok = true;
    for (int i = 0; i < v->n && ok; i++) {
        const struct ynode *pt = v->vals[i];
        char sub[700];
        snprintf(sub, sizeof sub, "%s[%d]", path, i);
        if (pt->kind != YNODE_SEQ || pt->n != 2) {
            diag_error(L->c.diag, pt->pos, "%s: expected a pair [progress, factor]", sub);
            ok = false;
            break;
        }
        ok &= schema_number(&L->c, pt->vals[0], sub, &curve_x_rule, &x[i]);
        ok &= schema_number(&L->c, pt->vals[1], sub, &curve_y_rule, &y[i]);
        if (ok && i > 0 && x[i] <= x[i - 1]) {
            diag_error(L->c.diag, pt->vals[0]->pos, "%s: progress values must increase strictly (%g after %g)", sub,
                       x[i], x[i - 1]);
            ok = false;
        }
    }
    if (ok && (x[0] != 0 || x[v->n - 1] != 1)) {
        diag_error(L->c.diag, v->pos, "%s: progress must run from 0 to 1 (got %g to %g)", path, x[0], x[v->n - 1]);
        ok = false;
    }
    if (!ok) {
        free(x);
        free(y);
        return;
    }
    c->n = v->n;
    c->x = x;
    c->y = y;
}

/* The work forms and the keys that mark them. */
static const char *const form_keys[] = { "flops", "params", "gpu_hours", "tokens_per_gpu_s", "layout" };
enum { N_FORMS = 5 };

static void load_stage(struct loader *L, const struct ynode *m, const char *path, int k, bool single,
                       struct stage_spec *st)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(stage_rules);
    const char *name = schema_string_key(&L->c, m, path, "name");
    char dflt[32];
    snprintf(dflt, sizeof dflt, single ? "training" : "stage %d", k);
    st->name = xstrdup(name ? name : dflt);

    /* Exactly one work form: flops | params (+tokens) | gpu_hours | tokens + tokens_per_gpu_s |
     * tokens + layout. */
    const bool has_fpt = ytree_get(m, "flops_per_token") != NULL;
    const bool has_tokens = ytree_get(m, "tokens") != NULL;
    const bool marks[N_FORMS] = { ytree_get(m, "flops") != NULL, ytree_get(m, "params") != NULL || has_fpt,
                                  ytree_get(m, "gpu_hours") != NULL, ytree_get(m, "tokens_per_gpu_s") != NULL,
                                  ytree_get(m, "layout") != NULL };
    int first = -1, n_forms = 0;
    for (int f = 0; f < N_FORMS; f++) {
        if (!marks[f])
            continue;
        if (first >= 0) {
            const char *key = f == 1 && !ytree_get(m, "params") ? "flops_per_token" : form_keys[f];
            diag_error(L->c.diag, ytree_get(m, key)->pos,
                       "%s: two work forms in one stage: '%s' and '%s' (give exactly one of flops, params + tokens, "
                       "gpu_hours, tokens + tokens_per_gpu_s, tokens + layout)",
                       path, form_keys[first], key);
        } else {
            first = f;
        }
        n_forms++;
    }
    if (first < 0 && (has_tokens || L->has_model || L->model_failed))
        first = 1; /* params form with params (and maybe tokens) from the model card */
    if (L->model_failed && n_forms == 0)
        return; /* the unknown model is already reported; what the stage lacks follows from it */
    if (first < 0) {
        diag_error(L->c.diag, m->pos, "%s: no work given: use one of flops, params + tokens, gpu_hours, "
                                      "tokens + tokens_per_gpu_s, tokens + layout (or workload.model)", path);
        first = 2;
    }
    if (has_tokens && (first == 0 || first == 2) && n_forms == 1)
        diag_error(L->c.diag, ytree_get(m, "tokens")->pos, "%s: 'tokens' does not go with '%s'", path,
                   form_keys[first]);
    static const enum work_form forms[N_FORMS] = { WORK_FLOPS, WORK_PARAMS, WORK_GPU_HOURS, WORK_TOKENS, WORK_LAYOUT };
    st->form = forms[first];
    st->flops_in = st->params_in = st->tokens_in = st->flops_per_token_in = st->gpu_hours_in = -1;
    st->peak_tflops_in = st->mfu_in = st->speed_in = st->tokens_per_gpu_s_in = -1;
    for (int i = 0; i < EFF_COUNT; i++)
        st->eff_in[i] = -1;
    st->memory_gb = NAN;

    const bool flop_form = st->form == WORK_FLOPS || st->form == WORK_PARAMS;
    const bool has_peak = flop_form || st->form == WORK_LAYOUT;
    if (!flop_form && ytree_get(m, "mfu"))
        diag_error(L->c.diag, ytree_get(m, "mfu")->pos, "%s: 'mfu' applies only to the flops and params forms%s", path,
                   st->form == WORK_LAYOUT ? " (the layout form computes it)" : "");
    if (!has_peak && ytree_get(m, "precision"))
        diag_error(L->c.diag, ytree_get(m, "precision")->pos,
                   "%s: 'precision' applies only to the flops, params and layout forms", path);
    if (st->form != WORK_GPU_HOURS && ytree_get(m, "speed"))
        diag_error(L->c.diag, ytree_get(m, "speed")->pos, "%s: 'speed' applies only to the gpu_hours form", path);
    if (st->form != WORK_LAYOUT) {
        static const char *const layout_only[] = { "seq_len", "global_batch_tokens", "global_batch_seqs", "efficiency" };
        for (int i = 0; i < 4; i++)
            if (ytree_get(m, layout_only[i]))
                diag_error(L->c.diag, ytree_get(m, layout_only[i])->pos, "%s: '%s' applies only to the layout form "
                                                                         "(tokens + layout)", path, layout_only[i]);
    }

    const double model_params = !L->has_model              ? (double)NAN
                                : isnan(L->model.active_params) ? L->model.params
                                                                : L->model.active_params;
    switch (st->form) {
    case WORK_FLOPS:
        st->flops_in = schema_param_key(&L->c, m, path, stage_rules, n, "flops", 1);
        break;
    case WORK_PARAMS:
        if (!ytree_get(m, "params") && !has_fpt && isnan(model_params))
            diag_error(L->c.diag, m->pos, "%s: the params form needs 'params' (or flops_per_token, or a "
                                          "workload.model)", path);
        if (!has_tokens && (!single || !L->has_model || isnan(L->model.tokens)))
            diag_error(L->c.diag, m->pos, "%s: missing required key 'tokens'%s", path,
                       L->has_model && !single ? " (a model card gives tokens only to a single-stage workload)" : "");
        st->params_in = schema_param_key(&L->c, m, path, stage_rules, n, "params", isnan(model_params) ? 1 : model_params);
        st->tokens_in = schema_param_key(&L->c, m, path, stage_rules, n, "tokens",
                                         L->has_model && !isnan(L->model.tokens) ? L->model.tokens : 1);
        if (has_fpt)
            st->flops_per_token_in = schema_param_key(&L->c, m, path, stage_rules, n, "flops_per_token", 1);
        break;
    case WORK_GPU_HOURS:
        st->gpu_hours_in = schema_param_key(&L->c, m, path, stage_rules, n, "gpu_hours", 1);
        st->speed_in = schema_param_key(&L->c, m, path, stage_rules, n, "speed", 1.0);
        break;
    case WORK_TOKENS:
        if (!has_tokens)
            diag_error(L->c.diag, m->pos, "%s: the tokens_per_gpu_s form needs 'tokens'", path);
        st->tokens_in = schema_param_key(&L->c, m, path, stage_rules, n, "tokens", 1);
        st->tokens_per_gpu_s_in = schema_param_key(&L->c, m, path, stage_rules, n, "tokens_per_gpu_s", 1);
        break;
    case WORK_LAYOUT:
        if (!has_tokens && (!single || !L->has_model || isnan(L->model.tokens)))
            diag_error(L->c.diag, m->pos, "%s: the layout form needs 'tokens'", path);
        st->tokens_in = schema_param_key(&L->c, m, path, stage_rules, n, "tokens",
                                         L->has_model && !isnan(L->model.tokens) ? L->model.tokens : 1);
        break;
    }
    if (has_peak) {
        const char *prec = schema_string_key(&L->c, m, path, "precision");
        char ppath[600];
        schema_join(ppath, sizeof ppath, path, "precision");
        st->precision = xstrdup(prec ? prec : "bf16");
        st->peak_tflops_in = peak_input(L, st->precision, pos_or(ytree_get(m, "precision"), m->pos), ppath);
    }
    if (st->form == WORK_LAYOUT)
        load_layout_stage(&L->c, m, path, L->acc, st);
    if (flop_form) {
        if (!ytree_get(m, "mfu"))
            diag_error(L->c.diag, m->pos, "%s: missing required key 'mfu' (the flops and params forms need it)", path);
        st->mfu_in = schema_param_key(&L->c, m, path, stage_rules, n, "mfu", 0.5);
    }
    const struct ynode *curve = ytree_get(m, "utilization_curve");
    if (curve && curve->kind == YNODE_SEQ) {
        char cpath[600];
        schema_join(cpath, sizeof cpath, path, "utilization_curve");
        load_curve(L, curve, cpath, &st->curve);
    }
    st->busy_fraction_in = ytree_get(m, "busy_fraction")
                               ? schema_param_key(&L->c, m, path, stage_rules, n, "busy_fraction", 1.0)
                               : s->busy_fraction_in;
}

/* A path given in a scenario is relative to the folder of the file it was written in (which
 * differs from the scenario's own under `base:`); one given with --set, to the current one. */
static void resolve_path(const struct ynode *at, const char *rel, char *buf, size_t size)
{
    char dir[4096] = "";
    if (at->pos.file && at->pos.file[0] != '<') {
        snprintf(dir, sizeof dir, "%s", at->pos.file);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            dir[0] = '\0';
    }
    if (rel[0] == '/' || !dir[0])
        snprintf(buf, size, "%s", rel);
    else
        snprintf(buf, size, "%s/%s", dir, rel);
}

static void load_workload(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    schema_check_map(&L->c, m, "workload", workload_rules, N_RULES(workload_rules));
    const char *model = schema_string_key(&L->c, m, "workload", "model");
    if (model) {
        s->model = xstrdup(model);
        char dir[4096];
        resolve_path(ytree_get(m, "model"), ".", dir, sizeof dir);
        L->has_model = catalog_load_model(L->c.diag, model, dir, ytree_get(m, "model")->pos, &L->model);
        L->model_failed = !L->has_model;
        if (L->has_model && L->model.name)
            s->model_name = xstrdup(L->model.name);
    }
    /* The architecture: the model card's, with workload.architecture's keys over it. */
    if (L->has_model && L->model.has_arch) {
        s->arch = L->model.arch;
        s->has_arch = true;
    }
    const struct ynode *arch = ytree_get(m, "architecture");
    if (arch && arch->kind == YNODE_MAP) {
        const struct arch base = s->arch;
        s->has_arch = load_arch(&L->c, arch, "workload.architecture", s->has_arch ? &base : NULL, &s->arch) &&
                      load_arch_complete(&s->arch);
    }
    const struct ynode *stages = ytree_get(m, "stages");
    if (stages && stages->kind != YNODE_SEQ)
        return; /* reported by the key check */
    if (stages) {
        for (int i = 0; i < m->n; i++) {
            const char *key = m->keys[i]->text;
            if (strcmp(key, "model") != 0 && strcmp(key, "stages") != 0 && schema_rule(stage_rules, N_RULES(stage_rules), key))
                diag_error(L->c.diag, m->keys[i]->pos,
                           "workload: '%s' belongs inside a stage when 'stages:' is given", key);
        }
        if (stages->n == 0 || stages->n > LOAD_MAX_STAGES) {
            diag_error(L->c.diag, stages->pos, "workload.stages: expected 1 to %d stages, got %d", LOAD_MAX_STAGES,
                       stages->n);
            return;
        }
        s->stages = xcalloc((size_t)stages->n, sizeof *s->stages);
        for (int k = 0; k < stages->n; k++) {
            char path[64];
            snprintf(path, sizeof path, "workload.stages[%d]", k);
            if (!schema_check_map(&L->c, stages->vals[k], path, stage_rules, N_RULES(stage_rules)) &&
                stages->vals[k]->kind != YNODE_MAP)
                continue;
            load_stage(L, stages->vals[k], path, k, false, &s->stages[s->n_stages++]);
        }
    } else {
        s->stages = xcalloc(1, sizeof *s->stages);
        load_stage(L, m, "workload", 0, true, &s->stages[s->n_stages++]);
    }
}

static void load_facility(struct loader *L, const struct ynode *m, const struct ynode *root)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(facility_rules);
    const struct facility_entry *preset = NULL;
    const char *key = m ? schema_string_key(&L->c, m, "facility", "preset") : NULL;
    if (key) {
        s->facility_preset = xstrdup(key);
        preset = catalog_facility(L->cat, key);
        if (!preset) {
            char *sug = catalog_suggest(L->cat, "facilities", key);
            char *list = catalog_key_list(L->cat, "facilities");
            diag_error(L->c.diag, ytree_get(m, "preset")->pos, "facility.preset: unknown facility '%s' (%s%s%s)", key,
                       sug ? "did you mean " : "known: ", sug ? sug : list, sug ? "?" : "");
            free(list);
            free(sug);
        }
    }
    const bool has_pue = ytree_get(m, "pue") != NULL;
    s->pue_in = schema_param_key(&L->c, m, "facility", facility_rules, n, "pue", preset ? preset->pue : 1.0);
    s->pue_given = has_pue || preset;
    s->wue_l_per_kwh_in = schema_param_key(&L->c, m, "facility", facility_rules, n, "wue_l_per_kwh",
                                           preset && !isnan(preset->wue_l_per_kwh) ? preset->wue_l_per_kwh : 0.0);
    s->pue_peak_day = 200;
    s->pue_peak_hour = 15;
    schema_number_key(&L->c, m, "facility", facility_rules, n, "pue_seasonal_amplitude", &s->pue_seasonal_amplitude);
    schema_number_key(&L->c, m, "facility", facility_rules, n, "pue_peak_day", &s->pue_peak_day);
    schema_number_key(&L->c, m, "facility", facility_rules, n, "pue_diurnal_amplitude", &s->pue_diurnal_amplitude);
    schema_number_key(&L->c, m, "facility", facility_rules, n, "pue_peak_hour", &s->pue_peak_hour);
    schema_number_key(&L->c, m, "facility", facility_rules, n, "utc_offset_h", &s->utc_offset_h);
    const char *series = m ? schema_string_key(&L->c, m, "facility", "pue_series") : NULL;
    if (series) {
        char path[4096];
        resolve_path(ytree_get(m, "pue_series"), series, path, sizeof path);
        series_load(L->c.diag, path, ytree_get(m, "pue_series")->pos, 1, 10, "facility.pue_series", &s->pue_series);
    }
    if (!has_pue && !preset && !series)
        diag_warning(L->c.diag, pos_or(m, pos_or(root, L->root_pos)),
                     "facility.pue not given: assuming 1.0, i.e. no cooling or power-conversion overhead "
                     "(set facility.pue or facility.preset)");
}

/* Above this a grid intensity is almost certainly g/kWh typed as kg/kWh (the dirtiest grids
 * are about 1.1 kg/kWh). */
static const double INTENSITY_WARN_KG_PER_KWH = 2.0;

static double plausible_max(const struct dist *d);

static void warn_intensity(struct loader *L, struct src_pos at, const char *what, double kg_per_kwh)
{
    if (kg_per_kwh > INTENSITY_WARN_KG_PER_KWH)
        diag_warning(L->c.diag, at,
                     "%s: %g kg/kWh is above any grid's (about 1.1 at most); was it g/kWh? (%g g/kWh = %g kg/kWh)",
                     what, kg_per_kwh, kg_per_kwh, kg_per_kwh / 1000);
}

/* grid.intensity_spread: the region's figures (its value and every other source's) as a
 * distribution: triangular (min, catalog value, max) or uniform (min, max). Returns a
 * parsed {dist: ...} node for schema_param (freed by the caller), or NULL after reporting. */
static struct ynode *grid_spread_dist(struct loader *L, const struct ynode *m, const struct grid_entry *region,
                                      bool has_intensity, const char *spread)
{
    const struct src_pos at = ytree_get(m, "intensity_spread")->pos;
    const bool tri = strcmp(spread, "triangular") == 0;
    if (!tri && strcmp(spread, "uniform") != 0) {
        diag_error(L->c.diag, at, "grid.intensity_spread: expected triangular or uniform, got '%s'", spread);
        return NULL;
    }
    if (has_intensity) {
        diag_error(L->c.diag, at, "grid.intensity_spread: give it or intensity_kg_per_kwh, not both");
        return NULL;
    }
    if (!region)
        return NULL; /* no region (reported when unknown) */
    double lo, hi;
    catalog_grid_range(region, &lo, &hi);
    if (!(hi > lo)) {
        diag_warning(L->c.diag, at, "grid.intensity_spread: region %s has one source only; the intensity stays fixed",
                     region->key);
        return NULL;
    }
    char text[256];
    if (tri)
        snprintf(text, sizeof text, "{dist: triangular, min: %.17g, mode: %.17g, max: %.17g}", lo,
                 region->intensity_kg_per_kwh, hi);
    else
        snprintf(text, sizeof text, "{dist: uniform, min: %.17g, max: %.17g}", lo, hi);
    return ytree_parse(L->c.diag, "<grid.intensity_spread>", text, strlen(text), 0);
}

static void load_grid(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(grid_rules);
    const struct grid_entry *region = NULL;
    const char *key = schema_string_key(&L->c, m, "grid", "region");
    if (key) {
        s->grid_region = xstrdup(key);
        region = catalog_grid(L->cat, key);
        if (!region) {
            /* the catalog is too long to list: name the command that shows it */
            char *sug = catalog_suggest(L->cat, "grids", key);
            diag_error(L->c.diag, ytree_get(m, "region")->pos,
                       "grid.region: unknown region '%s' (%s%s%s`trainsim catalog grids` lists them all)", key,
                       sug ? "did you mean " : "", sug ? sug : "", sug ? "? " : "");
            free(sug);
        }
    }
    const bool has_intensity = ytree_get(m, "intensity_kg_per_kwh") != NULL;
    const char *series = schema_string_key(&L->c, m, "grid", "series");
    if (!key && !has_intensity && !series)
        diag_error(L->c.diag, m->pos, "grid: give region or intensity_kg_per_kwh (or a series)");
    s->intensity_given = has_intensity || region;
    const char *spread = schema_string_key(&L->c, m, "grid", "intensity_spread");
    struct ynode *spread_dist = spread ? grid_spread_dist(L, m, region, has_intensity, spread) : NULL;
    if (spread_dist)
        s->intensity_in = schema_param(&L->c, spread_dist, "grid.intensity_kg_per_kwh",
                                       schema_rule(grid_rules, n, "intensity_kg_per_kwh"), 1.0, INPUT_PER_SAMPLE);
    else
        s->intensity_in = schema_param_key(&L->c, m, "grid", grid_rules, n, "intensity_kg_per_kwh",
                                           region ? region->intensity_kg_per_kwh : 1.0);
    ytree_free(spread_dist);
    warn_intensity(L, pos_or(ytree_get(m, "intensity_kg_per_kwh"), pos_or(ytree_get(m, "region"), m->pos)),
                   "grid.intensity_kg_per_kwh", plausible_max(&s->inputs[s->intensity_in].dist));
    s->water_l_per_kwh_in = schema_param_key(&L->c, m, "grid", grid_rules, n, "water_l_per_kwh",
                                             region && !isnan(region->water_l_per_kwh) ? region->water_l_per_kwh : 0.0);
    s->carbon_free_fraction_in = schema_param_key(&L->c, m, "grid", grid_rules, n, "carbon_free_fraction", 0.0);
    s->grid_peak_day = 15;
    s->grid_peak_hour = 19;
    schema_number_key(&L->c, m, "grid", grid_rules, n, "seasonal_amplitude", &s->grid_seasonal_amplitude);
    schema_number_key(&L->c, m, "grid", grid_rules, n, "peak_day", &s->grid_peak_day);
    schema_number_key(&L->c, m, "grid", grid_rules, n, "diurnal_amplitude", &s->grid_diurnal_amplitude);
    schema_number_key(&L->c, m, "grid", grid_rules, n, "peak_hour", &s->grid_peak_hour);
    const char *basis = schema_string_key(&L->c, m, "grid", "series_basis");
    bool direct = false;
    if (basis && strcmp(basis, "direct") == 0)
        direct = true;
    else if (basis && strcmp(basis, "lifecycle") != 0)
        diag_error(L->c.diag, ytree_get(m, "series_basis")->pos,
                   "grid.series_basis: expected lifecycle or direct, got '%s'", basis);
    if (basis && !series)
        diag_warning(L->c.diag, ytree_get(m, "series_basis")->pos, "grid.series_basis: no grid.series to apply it to");
    if (series) {
        char path[4096];
        resolve_path(ytree_get(m, "series"), series, path, sizeof path);
        series_load_grid(L->c.diag, path, ytree_get(m, "series")->pos, direct, &s->grid_series,
                         &s->grid_series_format);
    }
}

static void load_reliability(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(reliability_rules);
    s->failures_in = schema_param_key(&L->c, m, "reliability", reliability_rules, n, "failures_per_1000_node_days", 0.0);
    s->restart_min_in = schema_param(&L->c, ytree_get(m, "restart_min"), "reliability.restart_min",
                                     schema_rule(reliability_rules, n, "restart_min"), 30.0, INPUT_PER_RESTART);
    s->checkpoint_write_min_in =
        schema_param_key(&L->c, m, "reliability", reliability_rules, n, "checkpoint_write_min", 1.0);
    schema_number_key(&L->c, m, "reliability", reliability_rules, n, "planned_per_day", &s->planned_per_day);
    const struct ynode *pd = ytree_get(m, "planned_downtime_min");
    s->planned_downtime_min_in =
        pd ? schema_param(&L->c, pd, "reliability.planned_downtime_min",
                          schema_rule(reliability_rules, n, "planned_downtime_min"), 30.0, INPUT_PER_MAINTENANCE)
           : schema_copy_input(&L->c, s->restart_min_in, "reliability.planned_downtime_min", INPUT_PER_MAINTENANCE);

    /* checkpoint_interval_min: a number, or auto = Young/Daly from central values (DESIGN 3.5a). */
    const struct ynode *ci = ytree_get(m, "checkpoint_interval_min");
    s->checkpoint_auto = !ci || (ci->kind == YNODE_SCALAR && strcmp(ci->text, "auto") == 0);
    if (!s->checkpoint_auto && ci->kind != YNODE_SCALAR) {
        diag_error(L->c.diag, ci->pos, "reliability.checkpoint_interval_min: expected a number or auto, got %s",
                   ytree_kind_name(ci));
        s->checkpoint_interval_min = 60;
        return;
    }
    if (!s->checkpoint_auto) {
        s->checkpoint_interval_min = 60;
        schema_number(&L->c, ci, "reliability.checkpoint_interval_min",
                      schema_rule(reliability_rules, n, "checkpoint_interval_min"), &s->checkpoint_interval_min);
        return;
    }
    const double rate = central(L, s->failures_in);
    if (rate <= 0) {
        s->checkpoint_interval_min = HUGE_VAL;
        return;
    }
    const double delta = central(L, s->checkpoint_write_min_in);
    if (delta <= 0) {
        diag_error(L->c.diag, pos_or(ci, pos_or(ytree_get(m, "checkpoint_write_min"), m->pos)),
                   "reliability.checkpoint_interval_min: auto (Young/Daly) needs a checkpoint_write_min above 0; "
                   "give checkpoint_interval_min explicitly");
        s->checkpoint_interval_min = 60;
        return;
    }
    s->checkpoint_interval_min = engine_young_daly_min(delta, 1.0 / engine_failure_rate_per_h(s->n_nodes, rate));
}

/* economics.price: one key or a list of keys of configs/prices.yaml; each fills the fields its
 * entry carries (NAN in *d otherwise), and two entries may not fill the same field. */
static void economics_prices(struct loader *L, const struct ynode *price, double d[4])
{
    static const char *const fields[4] = { "gpu_hour_usd", "capex_usd_per_gpu", "electricity_usd_per_kwh",
                                           "colocation_usd_per_kw_month" };
    for (int f = 0; f < 4; f++)
        d[f] = NAN;
    if (!price)
        return;
    const int n = price->kind == YNODE_SEQ ? price->n : 1;
    for (int i = 0; i < n; i++) {
        const struct ynode *k = price->kind == YNODE_SEQ ? price->vals[i] : price;
        if (k->kind != YNODE_SCALAR) {
            diag_error(L->c.diag, k->pos, "economics.price: expected a key of configs/prices.yaml or a list of keys");
            continue;
        }
        const struct price_entry *p = catalog_price(L->cat, k->text);
        if (!p) {
            char *sug = catalog_suggest(L->cat, "prices", k->text);
            diag_error(L->c.diag, k->pos, "economics.price: unknown price '%s' (%s%s%s`trainsim catalog prices` lists them)",
                       k->text, sug ? "did you mean " : "", sug ? sug : "", sug ? "? " : "");
            free(sug);
            continue;
        }
        const double v[4] = { p->gpu_hour_usd, p->capex_usd_per_gpu, p->electricity_usd_per_kwh,
                              p->colocation_usd_per_kw_month };
        for (int f = 0; f < 4; f++) {
            if (isnan(v[f]))
                continue;
            if (!isnan(d[f]))
                diag_error(L->c.diag, k->pos, "economics.price: '%s' sets %s a second time", k->text, fields[f]);
            d[f] = v[f];
        }
    }
}

static void load_economics(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(economics_rules);
    double d[4];
    economics_prices(L, m ? ytree_get(m, "price") : NULL, d);
    s->gpu_hour_usd_in = schema_param_key(&L->c, m, "economics", economics_rules, n, "gpu_hour_usd", isnan(d[0]) ? 0 : d[0]);
    s->electricity_usd_per_kwh_in = schema_param_key(&L->c, m, "economics", economics_rules, n, "electricity_usd_per_kwh",
                                                     isnan(d[2]) ? 0 : d[2]);
    s->capex_usd_per_gpu_in =
        schema_param_key(&L->c, m, "economics", economics_rules, n, "capex_usd_per_gpu", isnan(d[1]) ? 0 : d[1]);
    s->amortisation_years_in = schema_param_key(&L->c, m, "economics", economics_rules, n, "amortisation_years", 4.0);
    s->interconnect_share_in = schema_param_key(&L->c, m, "economics", economics_rules, n, "interconnect_share", 0.0);
    s->cost_of_capital_in = schema_param_key(&L->c, m, "economics", economics_rules, n, "cost_of_capital", 0.0);
    s->colocation_usd_per_kw_month_in = schema_param_key(&L->c, m, "economics", economics_rules, n,
                                                         "colocation_usd_per_kw_month", isnan(d[3]) ? 0 : d[3]);
}

static void load_embodied(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(embodied_rules);
    s->has_embodied = m != NULL;
    const double kg = L->embodied_kg;
    if (m && !ytree_get(m, "kg_per_gpu") && isnan(kg) && L->acc)
        diag_warning(L->c.diag, m->pos, "embodied.kg_per_gpu: the catalog has no embodied figure for %s; counting 0",
                     L->acc->key);
    s->kg_per_gpu_in = schema_param_key(&L->c, m, "embodied", embodied_rules, n, "kg_per_gpu", isnan(kg) ? 0 : kg);
    s->lifetime_years = 4;
    schema_number_key(&L->c, m, "embodied", embodied_rules, n, "lifetime_years", &s->lifetime_years);
}

static void load_sim(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(sim_rules);
    s->samples = 1000;
    long seed = 1;
    s->step_min = 5;
    s->max_days = 3650;
    schema_int_key(&L->c, m, "sim", sim_rules, n, "samples", &s->samples);
    schema_int_key(&L->c, m, "sim", sim_rules, n, "seed", &seed);
    s->seed = (unsigned long)seed;
    schema_number_key(&L->c, m, "sim", sim_rules, n, "step_min", &s->step_min);
    schema_number_key(&L->c, m, "sim", sim_rules, n, "max_days", &s->max_days);
    const double steps = s->max_days * 24 * 60 / s->step_min;
    if (steps > LOAD_MAX_STEPS_PER_SAMPLE)
        diag_error(L->c.diag, pos_or(ytree_get(m, "step_min"), pos_or(m, L->root_pos)),
                   "sim: max_days %g / step_min %g gives %.3g steps per sample, above the limit of %.0e; raise "
                   "sim.step_min or lower sim.max_days", s->max_days, s->step_min, steps, LOAD_MAX_STEPS_PER_SAMPLE);
    const struct ynode *q = ytree_get(m, "quantiles");
    if (q && q->kind == YNODE_SEQ) {
        if (q->n < 1 || q->n > SPEC_MAX_QUANTILES) {
            diag_error(L->c.diag, q->pos, "sim.quantiles: expected 1 to %d quantiles, got %d",
                       SPEC_MAX_QUANTILES, q->n);
        } else {
            s->quantiles = xcalloc((size_t)q->n, sizeof *s->quantiles);
            for (int i = 0; i < q->n; i++) {
                char sub[64];
                snprintf(sub, sizeof sub, "sim.quantiles[%d]", i);
                if (schema_number(&L->c, q->vals[i], sub, &quantile_rule, &s->quantiles[i]) && i > 0 &&
                    s->quantiles[i] <= s->quantiles[i - 1])
                    diag_error(L->c.diag, q->vals[i]->pos, "%s: quantiles must increase strictly", sub);
            }
            s->n_quantiles = q->n;
        }
    }
    if (!s->quantiles) {
        static const double dflt[] = { 0.05, 0.5, 0.95 };
        s->quantiles = xmalloc(sizeof dflt);
        memcpy(s->quantiles, dflt, sizeof dflt);
        s->n_quantiles = 3;
    }
}

/* reported: metric -> {value, kind, tolerance_pct, source}. */
static void load_reported(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    const int n = N_RULES(reported_rules);
    s->reported = xcalloc((size_t)m->n, sizeof *s->reported);
    for (int i = 0; i < m->n; i++) {
        const char *key = m->keys[i]->text;
        char path[512];
        schema_join(path, sizeof path, "reported", key);
        const int metric = metric_find(key);
        if (metric < 0) {
            const char *keys[METRIC_COUNT];
            for (int k = 0; k < METRIC_COUNT; k++)
                keys[k] = metric_info(k)->key;
            const char *sug = schema_suggest(key, keys, METRIC_COUNT);
            diag_error(L->c.diag, m->keys[i]->pos, "reported: unknown metric '%s'%s%s%s", key,
                       sug ? " (did you mean '" : "", sug ? sug : "", sug ? "'?)" : "");
            continue;
        }
        const struct ynode *e = m->vals[i];
        if (!schema_check_map(&L->c, e, path, reported_rules, n))
            continue;
        struct reported *r = &s->reported[s->n_reported++];
        r->metric = metric;
        schema_number_key(&L->c, e, path, reported_rules, n, "value", &r->value);
        r->tolerance_pct = 1;
        schema_number_key(&L->c, e, path, reported_rules, n, "tolerance_pct", &r->tolerance_pct);
        r->source = xstrdup(schema_string_key(&L->c, e, path, "source"));
        const char *kind = schema_string_key(&L->c, e, path, "kind");
        if (kind && strcmp(kind, "prediction") == 0)
            r->is_prediction = true;
        else if (kind && strcmp(kind, "consistency") != 0)
            diag_error(L->c.diag, ytree_get(e, "kind")->pos, "%s.kind: expected consistency or prediction, got '%s'",
                       path, kind);
    }
}

/* A value a draw of d may plausibly reach: the top of a bounded support, else four standard
 * deviations (normal) or four geometric ones (lognormal) above the centre. */
static double plausible_max(const struct dist *d)
{
    switch (d->kind) {
    case DIST_FIXED:
        return d->value;
    case DIST_NORMAL:
        return fmin(d->hi, d->a + 4 * d->b);
    case DIST_LOGNORMAL:
        return d->a * pow(d->b, 4);
    default:
        return d->hi;
    }
}

/* Cross-field checks on central values: products that overflow or are not physical, and
 * runs too long to simulate (samples x expected steps). */
static void check_sizes(struct loader *L, const struct ynode *root)
{
    struct spec *s = L->c.spec;
    double *x = xmalloc((size_t)s->n_inputs * sizeof *x);
    for (int i = 0; i < s->n_inputs; i++)
        x[i] = s->inputs[i].central;
    const struct ynode *cl = ytree_get(root, "cluster"), *sim = ytree_get(root, "sim");
    double hours = 0, max_power_w = 0;
    for (int k = 0; k < s->n_stages; k++) {
        double work, rate;
        model_stage_numbers(s, x, k, &work, &rate);
        hours += work / rate;
        const double p = (double)s->count * x[s->tdp_w_in] * x[s->stages[k].busy_fraction_in] * x[s->overhead_factor_in] +
                         (double)s->n_nodes * x[s->node_overhead_w_in];
        max_power_w = fmax(max_power_w, p);
    }
    if (!isfinite(hours) || !(hours > 0))
        diag_error(L->c.diag, pos_or(ytree_get(root, "workload"), L->root_pos),
                   "workload: the work divided by the rate is not a finite time (%g h); a product of the inputs "
                   "overflows or vanishes", hours);
    if (!isfinite(max_power_w) || max_power_w > MAX_IT_POWER_W)
        diag_error(L->c.diag, pos_or(cl, L->root_pos),
                   "cluster: count x tdp_w x busy_fraction x overhead_factor gives %g W of IT power, above %g W: "
                   "not a physical cluster", max_power_w, MAX_IT_POWER_W);
    /* Failures stretch the run: with checkpoints every tau of work, each segment of tau work and
     * its write delta takes (e^{lambda (tau + delta)} - 1)(1/lambda + R) on average (the
     * closed form the engine tests check); failures too frequent for a checkpoint to complete
     * make that explode, and the run then lasts until max_days, event after event. */
    /* The failure rate a sample may draw, not only its centre: one sample at a rate far above
     * the centre would otherwise play events until the engine's cap. */
    const double lambda = engine_failure_rate_per_h(s->n_nodes, plausible_max(&s->inputs[s->failures_in].dist));
    const double tau_h = s->checkpoint_interval_min / 60, delta_h = x[s->checkpoint_write_min_in] / 60;
    double wall_h = hours;
    if (lambda > 0 && isfinite(tau_h))
        wall_h = hours / tau_h * expm1(lambda * (tau_h + delta_h)) * (1 / lambda + x[s->restart_min_in] / 60);
    else if (lambda > 0)
        wall_h = expm1(lambda * hours) * (1 / lambda + x[s->restart_min_in] / 60);
    const double horizon_h = fmin(isfinite(wall_h) ? fmax(wall_h, hours) : HUGE_VAL, s->max_days * 24);
    const double events = horizon_h * (lambda + 60.0 / s->checkpoint_interval_min + s->planned_per_day / 24);
    if (events > MAX_EVENTS_PER_SAMPLE)
        diag_error(L->c.diag, pos_or(ytree_get(root, "reliability"), L->root_pos),
                   "reliability: about %.3g failures, checkpoints and maintenance windows per sample, above the "
                   "limit of %.0e; check checkpoint_interval_min, failures_per_1000_node_days and planned_per_day",
                   events, MAX_EVENTS_PER_SAMPLE);
    const double steps = horizon_h * 60 / s->step_min;
    if ((double)s->samples * steps > MAX_SAMPLE_STEPS)
        diag_error(L->c.diag, pos_or(ytree_get(sim, "samples"), pos_or(sim, L->root_pos)),
                   "sim.samples: %ld samples x about %.3g steps each is %.3g sample-steps, above the ceiling of "
                   "%.0e; lower sim.samples or raise sim.step_min", s->samples, steps, (double)s->samples * steps,
                   MAX_SAMPLE_STEPS);
    free(x);
}

/* The node at an input's key path ("workload.stages[1].mfu"), or NULL. */
static const struct ynode *node_of_path(const struct ynode *root, const char *path)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    const struct ynode *n = root;
    for (char *part = strtok(buf, "."); n && part; part = strtok(NULL, ".")) {
        char *bracket = strchr(part, '[');
        if (bracket)
            *bracket = '\0';
        n = ytree_get(n, part);
        if (n && bracket) {
            const long i = strtol(bracket + 1, NULL, 10);
            n = n->kind == YNODE_SEQ && i >= 0 && i < n->n ? n->vals[i] : NULL;
        }
    }
    return n;
}

/* Plausibility: values the schema allows but that are far outside what has been observed,
 * usually a unit slip. Warnings, never errors. A rule matches an input's key path exactly,
 * or its last part (suffix starting with '.'), so stage values are covered too. */
static const struct {
    const char *path;
    double above;
    const char *why;
} plausibility_rules[] = {
    { "grid.intensity_kg_per_kwh", 2, "is above 2 kg/kWh, more than any grid's; did you give g/kWh? divide by 1000" },
    { ".mfu", 0.75, "is above 0.75, beyond any published large training run's model FLOPs utilisation (MFU)" },
    { "facility.pue", 3, "is above 3, beyond any reported data-centre PUE" },
    { ".busy_fraction", 1.1, "is above 1.1: accelerators rarely draw more than their TDP while training" },
};

static void check_plausible(struct loader *L, const struct ynode *root)
{
    const struct spec *s = L->c.spec;
    for (int i = 0; i < s->n_inputs; i++) {
        const struct input *in = &s->inputs[i];
        const double top = in->dist.kind == DIST_FIXED ? in->dist.value : isfinite(in->dist.hi) ? in->dist.hi
                                                                                              : in->central;
        const size_t len = strlen(in->path);
        for (size_t r = 0; r < sizeof plausibility_rules / sizeof plausibility_rules[0]; r++) {
            const char *p = plausibility_rules[r].path;
            const size_t n = strlen(p);
            const bool match = p[0] == '.' ? len > n && strcmp(in->path + len - n, p) == 0 : strcmp(in->path, p) == 0;
            if (match && top > plausibility_rules[r].above)
                diag_warning(L->c.diag, pos_or(node_of_path(root, in->path), L->root_pos), "%s: %g %s", in->path, top,
                             plausibility_rules[r].why);
        }
    }
}

/* Warnings that need the whole spec. */
static void check_spec(struct loader *L, const struct ynode *root)
{
    struct spec *s = L->c.spec;
    check_sizes(L, root);
    check_plausible(L, root);
    const double tdp = central(L, s->tdp_w_in);
    const double cat_tdp = s->catalog_tdp_w;
    if (L->acc && fabs(tdp - cat_tdp) > TDP_WARN_FRACTION * cat_tdp) {
        const struct ynode *cl = ytree_get(root, "cluster");
        diag_warning(L->c.diag, pos_or(ytree_get(cl, "tdp_w"), L->root_pos),
                     "cluster.tdp_w: %g W departs from the catalog's %g W for %s by %.0f%%; is this the right part?",
                     tdp, cat_tdp, L->acc->key, 100.0 * fabs(tdp - cat_tdp) / cat_tdp);
    }
}

static bool load_scenario_tree(struct diag *d, const char *path, struct ynode *root,
                               const struct load_options *o, struct spec *out, int before);

/* Deep merge for inheritance: mappings merge key by key, lists and scalars replace. Takes
 * ownership of child; base is modified in place. */
static void merge_into(struct ynode *base, struct ynode *child)
{
    for (int i = 0; i < child->n; i++) {
        const char *key = child->keys[i]->text;
        struct ynode *b = ytree_get(base, key);
        if (b && b->kind == YNODE_MAP && child->vals[i]->kind == YNODE_MAP) {
            merge_into(b, child->vals[i]);
        } else {
            ytree_put(base, key, child->vals[i]);
            ytree_key_at(base, key, child->keys[i]->pos);
        }
        child->vals[i] = NULL;
    }
    ytree_free(child);
}

/* root (owned) when it is a mapping, as a scenario must be; otherwise reports it, frees it
 * and returns NULL. A NULL root (already reported) gives NULL. */
static struct ynode *scenario_root(struct diag *d, struct ynode *root)
{
    if (root && root->kind != YNODE_MAP) {
        diag_error(d, root->pos, "a scenario must be a mapping of keys (name:, workload:, cluster:, ...), got %s",
                   ytree_kind_name(root));
        ytree_free(root);
        return NULL;
    }
    return root;
}

/* Levels of `base:` inheritance, and so the length of the chain load_tree() keeps. */
enum { MAX_BASE_DEPTH = 16 };

/* Loads the scenario tree at path with its `base:` chain resolved (DESIGN: inheritance).
 * 'chain' holds the files being loaded, to report cycles. Returns NULL after reporting. */
static struct ynode *load_tree(struct diag *d, const char *path, struct src_pos from, const char **chain, int depth,
                              char *sha256)
{
    struct ynode *root = scenario_root(d, ytree_load_file_hashed(d, path, LOAD_MAX_SCENARIO_BYTES, from, sha256));
    if (!root)
        return NULL;
    const int bi = ytree_find(root, "base");
    if (bi < 0)
        return root;
    const struct ynode *bn = root->vals[bi];
    if (bn->kind != YNODE_SCALAR || !bn->text[0]) {
        diag_error(d, bn->pos, "base: expected the path of another scenario");
        ytree_free(root);
        return NULL;
    }
    char *dir_copy = xstrdup(path);
    char base_path[4096];
    if (bn->text[0] == '/')
        snprintf(base_path, sizeof base_path, "%s", bn->text);
    else
        snprintf(base_path, sizeof base_path, "%s/%s", dirname(dir_copy), bn->text);
    free(dir_copy);
    chain[depth] = path;
    for (int i = 0; i <= depth; i++) {
        if (outfile_same_file(chain[i], base_path)) {
            diag_error(d, bn->pos, "base: '%s' inherits from itself (a cycle through %s)", bn->text, chain[i]);
            ytree_free(root);
            return NULL;
        }
    }
    if (depth + 1 >= MAX_BASE_DEPTH) {
        diag_error(d, bn->pos, "base: more than %d levels of inheritance", MAX_BASE_DEPTH);
        ytree_free(root);
        return NULL;
    }
    struct ynode *base = load_tree(d, base_path, bn->pos, chain, depth + 1, NULL);
    if (!base) {
        ytree_free(root);
        return NULL;
    }
    /* The child's keys win; 'base' itself is not part of the merged scenario. */
    ytree_free(root->keys[bi]);
    ytree_free(root->vals[bi]);
    for (int i = bi; i + 1 < root->n; i++) {
        root->keys[i] = root->keys[i + 1];
        root->vals[i] = root->vals[i + 1];
    }
    root->n--;
    merge_into(base, root);
    return base;
}

bool load_scenario(struct diag *d, const char *path, const struct load_options *o, struct spec *out)
{
    memset(out, 0, sizeof *out);
    const int before = d->n_errors;
    const char *chain[MAX_BASE_DEPTH];
    char sha256[SHA256_HEX_LEN + 1] = "";
    struct ynode *root = load_tree(d, path, (struct src_pos){ 0 }, chain, 0, sha256);
    if (!root)
        return false;
    const bool ok = load_scenario_tree(d, path, root, o, out, before);
    if (ok)
        memcpy(out->file_sha256, sha256, sizeof sha256);
    return ok;
}

bool load_scenario_text(struct diag *d, const char *name, const char *text, size_t len,
                        const struct load_options *o, struct spec *out)
{
    memset(out, 0, sizeof *out);
    const int before = d->n_errors;
    struct ynode *root = scenario_root(d, ytree_parse(d, name, text, len, 0));
    if (!root)
        return false;
    const bool ok = load_scenario_tree(d, name, root, o, out, before);
    if (ok)
        sha256_hex(text, len, out->file_sha256);
    return ok;
}

/* Walks root (owned; freed here) into *out. Succeeds when d has no more errors than
 * 'before' (problems found while parsing count too). */
static bool load_scenario_tree(struct diag *d, const char *path, struct ynode *root, const struct load_options *o,
                               struct spec *out, int before)
{
    for (int i = 0; i < o->n_sets; i++)
        override_apply(d, root, o->sets[i]);

    struct loader L = { .c = { .diag = d, .spec = out }, .cat = o->catalog,
                        .root_pos = root->pos };
    out->file = xstrdup(path);
    out->car_kg_per_year = o->catalog->car_kg_per_year;
    out->household_kwh_per_year = o->catalog->household_kwh_per_year;

    schema_check_map(&L.c, root, "", root_rules, N_RULES(root_rules));
    const char *name = schema_string_key(&L.c, root, "", "name");
    out->name = xstrdup(name ? name : "unnamed");
    out->description = xstrdup(schema_string_key(&L.c, root, "", "description"));
    const char *why;
    time_parse_iso8601(DEFAULT_START, &out->start_unix_s, &why);
    if (ytree_get(root, "start"))
        schema_time(&L.c, ytree_get(root, "start"), "start", &out->start_unix_s);

    const struct ynode *cluster = section(&L, root, "cluster", cluster_rules, N_RULES(cluster_rules));
    struct ynode empty = { .kind = YNODE_MAP, .pos = root->pos };
    load_cluster(&L, cluster ? cluster : &empty);
    load_power(&L, section(&L, root, "power", power_rules, N_RULES(power_rules)));
    const struct ynode *workload = ytree_get(root, "workload");
    if (workload && workload->kind == YNODE_MAP)
        load_workload(&L, workload);
    if (out->n_stages == 0) {
        /* Keep the spec well-formed for later checks even when the workload failed. */
        free(out->stages);
        out->stages = xcalloc(1, sizeof *out->stages);
        out->n_stages = 0;
    }
    load_facility(&L, section(&L, root, "facility", facility_rules, N_RULES(facility_rules)), root);
    const struct ynode *grid = section(&L, root, "grid", grid_rules, N_RULES(grid_rules));
    if (grid)
        load_grid(&L, grid);
    load_reliability(&L, section(&L, root, "reliability", reliability_rules, N_RULES(reliability_rules)));
    load_economics(&L, section(&L, root, "economics", economics_rules, N_RULES(economics_rules)));
    load_embodied(&L, section(&L, root, "embodied", embodied_rules, N_RULES(embodied_rules)));
    load_sim(&L, section(&L, root, "sim", sim_rules, N_RULES(sim_rules)));
    const struct ynode *reported = ytree_get(root, "reported");
    if (reported && reported->kind == YNODE_MAP)
        load_reported(&L, reported);
    if (d->n_errors == before)
        check_spec(&L, root);

    model_card_release(&L.model);
    ytree_free(root);
    if (d->n_errors != before || !grid || out->n_stages == 0) {
        spec_release(out);
        return false;
    }
    return true;
}
