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

/* ---- Key tables (DESIGN 2) */

/* Where schema_read() stores a key: a field of the spec, of a stage or of a reported figure. */
#define SPEC(field) KEY_AT(struct spec, field)
#define STAGE(field) KEY_AT(struct stage_spec, field)

static const struct key_rule root_rules[] = {
    { .key = "base", .type = KEY_STRING, .doc = "scenario this one inherits from" },
    { .key = "name", .type = KEY_STRING, .flags = KEY_REQUIRED, .dflt_text = "unnamed", .dest = SPEC(name),
      .show = SHOW_QUOTED, .doc = "scenario name" },
    { .key = "description", .type = KEY_STRING, .dest = SPEC(description), .show = SHOW_QUOTED, .doc = "free text" },
    { .key = "start", .type = KEY_TIME, .dflt_text = "2025-01-01T00:00:00Z", .dest = SPEC(start_unix_s),
      .doc = "run start, UTC" },
    { .key = "workload", .type = KEY_MAP, .flags = KEY_REQUIRED, .show = SHOW_WORKLOAD, .doc = "what is trained" },
    { .key = "cluster", .type = KEY_MAP, .flags = KEY_REQUIRED, .show = SHOW_SECTION, .doc = "the accelerators" },
    { .key = "power", .type = KEY_MAP, .show = SHOW_SECTION, .doc = "accelerator draw per state" },
    { .key = "facility", .type = KEY_MAP, .show = SHOW_SECTION, .doc = "PUE and water" },
    { .key = "grid", .type = KEY_MAP, .flags = KEY_REQUIRED, .show = SHOW_SECTION, .doc = "carbon intensity" },
    { .key = "reliability", .type = KEY_MAP, .show = SHOW_SECTION, .doc = "failures, checkpoints, restarts" },
    { .key = "economics", .type = KEY_MAP, .show = SHOW_SECTION, .doc = "prices" },
    { .key = "embodied", .type = KEY_MAP, .at = SPEC(has_embodied), .show = SHOW_SECTION_IF,
      .doc = "manufacturing emissions" },
    { .key = "sim", .type = KEY_MAP, .show = SHOW_SECTION, .doc = "Monte Carlo settings" },
    { .key = "reported", .type = KEY_MAP, .show = SHOW_REPORTED, .doc = "published figures to validate against" },
};

/* The items of the lists: a quantile; a curve's point [progress, factor]. */
static const struct key_rule quantile_rule = KEY_RULE("quantiles", KEY_NUMBER, KEY_LO_OPEN | KEY_HI_OPEN, 0, 1, "");
static const struct key_rule curve_point_rules[2] = {
    KEY_RULE("x", KEY_NUMBER, 0, 0, 1, "progress of the stage, 0 to 1"),
    KEY_RULE("y", KEY_NUMBER, KEY_LO_OPEN, 0, 1e3, "throughput multiplier"),
};

/* Stage keys; the workload mapping takes them too when it has no stages: list. Which of them
 * a stage reads depends on its work form, so load_stage() reads them one by one
 * (schema_read_key), with the defaults of this table. In check's print they follow this order:
 * the work form's keys, then the rate's, the layout form's, and what every form takes. */
#define STAGE_RULES                                                                                                  \
    { .key = "name", .type = KEY_STRING, .dflt_note = "training, or stage K", .at = STAGE(name),                    \
      .show = SHOW_WORK_FORM, .doc = "stage name" },                                                                 \
    { .key = "flops", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "FLOP", .dflt = 1,          \
      .dflt_note = "none: one work form is required", .dest = STAGE(flops_in), .doc = "FLOP of training compute" },  \
    { .key = "params", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .dflt = 1,                          \
      .dflt_note = "the model card's", .dest = STAGE(params_in), .doc = "parameters (active parameters for MoE)" },  \
    { .key = "flops_per_token", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "FLOP/token",      \
      .dflt = 1, .dflt_note = "6 x params", .dest = STAGE(flops_per_token_in),                                      \
      .doc = "FLOP per token (default 6 x params)" },                                                               \
    { .key = "tokens", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "tokens", .dflt = 1,        \
      .dflt_note = "the model card's (single-stage workload)", .dest = STAGE(tokens_in), .doc = "training tokens" }, \
    { .key = "gpu_hours", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "h", .dflt = 1,          \
      .dflt_note = "none: one work form is required", .dest = STAGE(gpu_hours_in),                                  \
      .doc = "accelerator-hours at nominal speed" },                                                                \
    { .key = "tokens_per_gpu_s", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "tokens/s",       \
      .dflt = 1, .dflt_note = "none: one work form is required", .dest = STAGE(tokens_per_gpu_s_in),                \
      .doc = "measured tokens per accelerator-second" },                                                            \
    { .key = "precision", .type = KEY_STRING, .dflt_text = "bf16", .choices = "bf16,fp8,fp16,tf32,fp32",            \
      .at = STAGE(precision), .show = SHOW_PEAK, .doc = "bf16 (default), fp8, fp16, tf32 or fp32" },                \
    { .key = "mfu", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 1, .unit = "fraction", .dflt = 0.5,              \
      .dflt_note = "none: required by the flops and params forms", .dest = STAGE(mfu_in),                           \
      .doc = "model FLOP utilisation" },                                                                            \
    { .key = "speed", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .dflt = 1, .dest = STAGE(speed_in),  \
      .doc = "throughput multiplier (gpu_hours form)" },                                                            \
    LOAD_LAYOUT_STAGE_RULES,                                                                                        \
    { .key = "utilization_curve", .type = KEY_SEQ, .lo = 2, .hi = LOAD_MAX_CURVE_POINTS, .items = curve_point_rules, \
      .n_items = 2, .at = STAGE(curve), .show = SHOW_CURVE, .doc = "[[progress, factor], ...]" },                  \
    { .key = "busy_fraction", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 1.5, .unit = "fraction of TDP",        \
      .dflt = 1, .dflt_note = "power.busy_fraction", .dest = STAGE(busy_fraction_in), .show = SHOW_OVERRIDE,        \
      .doc = "accelerator draw while training / TDP" }

static const struct key_rule stage_rules[] = { STAGE_RULES };
static const struct key_rule workload_rules[] = {
    { .key = "model", .type = KEY_STRING, .catalog = "models", .doc = "model card key or path" },
    { .key = "stages", .type = KEY_SEQ, .lo = 1, .hi = LOAD_MAX_STAGES, .doc = "stages run in order" },
    { .key = "architecture", .type = KEY_MAP,
      .doc = "layers, hidden, heads, ... (or hf_config); overrides the model card's" },
    STAGE_RULES,
};

static const struct key_rule cluster_rules[] = {
    { .key = "accelerator", .type = KEY_STRING, .flags = KEY_REQUIRED, .catalog = "accelerators",
      .at = SPEC(accelerator), .doc = "key of configs/accelerators.yaml" },
    { .key = "count", .type = KEY_INT, .flags = KEY_REQUIRED, .lo = 1, .hi = 1e7, .dflt = 1, .dest = SPEC(count),
      .doc = "accelerators" },
    { .key = "gpus_per_node", .type = KEY_INT, .flags = KEY_TO_INT, .lo = 1, .hi = 1024, .dflt = 8,
      .dflt_note = "the catalog's", .dest = SPEC(gpus_per_node), .show = SHOW_NODES, .doc = "accelerators per node" },
    { .key = "tdp_w", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "W", .dflt = 700,
      .dflt_note = "the catalog's", .dest = SPEC(tdp_w_in), .doc = "thermal design power, W" },
    { .key = "overhead_factor", .type = KEY_PARAM, .lo = 1, .hi = HUGE_VAL, .unit = "x accelerator power", .dflt = 1,
      .dest = SPEC(overhead_factor_in), .doc = "rest of the IT load, x accelerator power" },
    { .key = "node_overhead_w", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "W", .dest = SPEC(node_overhead_w_in),
      .doc = "fixed extra watts per node" },
    { .key = "idle_w", .type = KEY_NUMBER, .hi = 1e5, .unit = "W", .dflt_note = "the catalog's",
      .doc = "draw when not training, W" },
    { .key = "peak_tflops", .type = KEY_MAP, .doc = "dense peak per precision" },
    { .key = "memory_gb", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 1e5, .unit = "GB", .dflt = NAN,
      .dflt_note = "the catalog's", .dest = SPEC(memory_gb), .show = SHOW_KNOWN, .doc = "accelerator memory" },
    { .key = "hbm_tb_s", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 1e3, .unit = "TB/s", .dflt = NAN,
      .dflt_note = "the catalog's", .dest = SPEC(hbm_tb_s), .show = SHOW_KNOWN, .doc = "memory bandwidth, TB/s" },
    { .key = "nvlink_gb_s", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 1e5, .unit = "GB/s", .dflt = NAN,
      .dflt_note = "the catalog's", .dest = SPEC(nvlink_gb_s), .show = SHOW_KNOWN,
      .doc = "NVLink bandwidth per GPU per direction, GB/s" },
    { .key = "network_gb_s", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 1e5, .unit = "GB/s", .dflt = NAN,
      .dflt_note = "the catalog's", .dest = SPEC(network_gb_s), .show = SHOW_KNOWN,
      .doc = "scale-out bandwidth per GPU per direction, GB/s" },
    { .key = "nvlink_domain", .type = KEY_INT, .lo = 1, .hi = 1e6, .dflt_note = "the catalog's",
      .dest = SPEC(nvlink_domain), .show = SHOW_KNOWN, .doc = "GPUs sharing one NVLink domain" },
    { .key = "embodied_kg", .type = KEY_NUMBER, .hi = 1e6, .unit = "kg CO2e", .dflt_note = "the catalog's",
      .doc = "manufacturing CO2e per accelerator" },
};

/* Read by peak_input() when a stage uses the precision (or the cluster gives it). */
static const struct key_rule peak_rules[] = {
    { .key = "bf16", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "TFLOP/s", .dflt = 1,
      .dflt_note = "the catalog's", .doc = "TFLOP/s" },
    { .key = "fp8", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "TFLOP/s", .dflt = 1,
      .dflt_note = "the catalog's", .doc = "TFLOP/s" },
    { .key = "fp16", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "TFLOP/s", .dflt = 1,
      .dflt_note = "the catalog's", .doc = "TFLOP/s" },
    { .key = "tf32", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "TFLOP/s", .dflt = 1,
      .dflt_note = "the catalog's", .doc = "TFLOP/s" },
    { .key = "fp32", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .unit = "TFLOP/s", .dflt = 1,
      .dflt_note = "the catalog's", .doc = "TFLOP/s" },
};

static const struct key_rule power_rules[] = {
    { .key = "busy_fraction", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 1.5, .unit = "fraction of TDP", .dflt = 1,
      .dest = SPEC(busy_fraction_in), .doc = "draw while training / TDP" },
    { .key = "idle_fraction", .type = KEY_PARAM, .hi = 1, .unit = "fraction of TDP",
      .dflt_note = "the catalog's idle_w / tdp_w", .dest = SPEC(idle_fraction_in),
      .doc = "draw while not training / TDP" },
};

static const struct key_rule facility_rules[] = {
    { .key = "preset", .type = KEY_STRING, .catalog = "facilities", .at = SPEC(facility_preset),
      .doc = "key of configs/facilities.yaml" },
    { .key = "pue", .type = KEY_PARAM, .lo = 1, .hi = HUGE_VAL, .dflt = 1, .dflt_note = "the preset's, else 1 (warned)",
      .dest = SPEC(pue_in), .doc = "annual mean PUE" },
    { .key = "pue_seasonal_amplitude", .type = KEY_NUMBER, .hi = 5, .dest = SPEC(pue_seasonal_amplitude),
      .doc = "added a cos(2 pi (day - peak) / 365.25)" },
    { .key = "pue_peak_day", .type = KEY_NUMBER, .lo = 1, .hi = 367, .unit = "day of year", .dflt = 200,
      .dest = SPEC(pue_peak_day), .doc = "day of year of the seasonal peak" },
    { .key = "pue_diurnal_amplitude", .type = KEY_NUMBER, .hi = 5, .dest = SPEC(pue_diurnal_amplitude),
      .doc = "added a cos(2 pi (hour - peak) / 24)" },
    { .key = "pue_peak_hour", .type = KEY_NUMBER, .flags = KEY_HI_OPEN, .hi = 24, .unit = "h", .dflt = 15,
      .dest = SPEC(pue_peak_hour), .doc = "local hour of the diurnal peak" },
    { .key = "utc_offset_h", .type = KEY_NUMBER, .lo = -14, .hi = 14, .unit = "h", .dest = SPEC(utc_offset_h),
      .doc = "local time = UTC + offset" },
    { .key = "pue_series", .type = KEY_STRING, .at = SPEC(pue_series), .show = SHOW_SERIES,
      .doc = "CSV timestamp,pue" },
    { .key = "wue_l_per_kwh", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "L/kWh", .dflt_note = "the preset's, else 0",
      .dest = SPEC(wue_l_per_kwh_in), .doc = "site water per kWh of IT energy" },
};

/* intensity_kg_per_kwh and carbon_free_fraction are read by load_grid() itself: the first may
 * come from intensity_spread, and the second is an input made after water_l_per_kwh's. */
static const struct key_rule grid_rules[] = {
    { .key = "region", .type = KEY_STRING, .catalog = "grids", .at = SPEC(grid_region),
      .doc = "key of configs/grids.yaml" },
    { .key = "intensity_kg_per_kwh", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "kg CO2e/kWh", .dflt = 1,
      .dflt_note = "the region's", .at = SPEC(intensity_in), .doc = "kg CO2e per kWh" },
    { .key = "seasonal_amplitude", .type = KEY_NUMBER, .flags = KEY_HI_OPEN, .hi = 1, .unit = "fraction",
      .dest = SPEC(grid_seasonal_amplitude), .doc = "relative" },
    { .key = "peak_day", .type = KEY_NUMBER, .lo = 1, .hi = 367, .unit = "day of year", .dflt = 15,
      .dest = SPEC(grid_peak_day), .doc = "day of year of the seasonal peak" },
    { .key = "diurnal_amplitude", .type = KEY_NUMBER, .flags = KEY_HI_OPEN, .hi = 1, .unit = "fraction",
      .dest = SPEC(grid_diurnal_amplitude), .doc = "relative" },
    { .key = "peak_hour", .type = KEY_NUMBER, .flags = KEY_HI_OPEN, .hi = 24, .unit = "h", .dflt = 19,
      .dest = SPEC(grid_peak_hour), .doc = "local hour of the diurnal peak" },
    { .key = "series", .type = KEY_STRING, .at = SPEC(grid_series), .show = SHOW_SERIES,
      .doc = "hourly file: timestamp,kg_per_kwh CSV, Electricity Maps CSV, WattTime or UK CI JSON" },
    { .key = "series_basis", .type = KEY_STRING, .dflt_text = "lifecycle", .choices = "lifecycle,direct",
      .doc = "lifecycle (default) or direct: the column of a file that has both" },
    { .key = "carbon_free_fraction", .type = KEY_PARAM, .hi = 1, .unit = "fraction",
      .at = SPEC(carbon_free_fraction_in), .doc = "contracted carbon-free share" },
    { .key = "intensity_spread", .type = KEY_STRING, .choices = "triangular,uniform",
      .doc = "triangular or uniform over the catalog's sources" },
    { .key = "water_l_per_kwh", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "L/kWh", .dflt_note = "the region's, else 0",
      .dest = SPEC(water_l_per_kwh_in), .doc = "off-site water per kWh generated" },
};

/* checkpoint_interval_min (a number or auto) and planned_downtime_min (default: a copy of
 * restart_min) are read by load_reliability() itself. */
static const struct key_rule reliability_rules[] = {
    { .key = "failures_per_1000_node_days", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "per 1000 node-days",
      .dest = SPEC(failures_in), .doc = "unplanned interruptions" },
    { .key = "restart_min", .type = KEY_PARAM, .flags = KEY_LO_OPEN | KEY_PER_RESTART, .hi = HUGE_VAL, .unit = "min",
      .dflt = 30, .dest = SPEC(restart_min_in), .doc = "failure -> training resumed" },
    { .key = "checkpoint_interval_min", .type = KEY_AUTO, .flags = KEY_LO_OPEN, .hi = 1e7, .unit = "min",
      .dflt = 60, .dflt_text = "auto", .at = SPEC(checkpoint_interval_min), .show = SHOW_CHECKPOINT,
      .doc = "minutes of RUNNING, or auto" },
    { .key = "checkpoint_write_min", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "min", .dflt = 1,
      .dest = SPEC(checkpoint_write_min_in), .doc = "stall per checkpoint" },
    { .key = "planned_per_day", .type = KEY_NUMBER, .hi = 1e3, .unit = "per day", .dest = SPEC(planned_per_day),
      .doc = "planned interruptions per day" },
    { .key = "planned_downtime_min", .type = KEY_PARAM, .flags = KEY_LO_OPEN | KEY_PER_MAINTENANCE, .hi = HUGE_VAL,
      .unit = "min", .dflt = 30, .dflt_note = "= restart_min", .at = SPEC(planned_downtime_min_in),
      .doc = "maintenance length" },
};

/* The fields a price of configs/prices.yaml can fill come first in the defaults of load_economics(). */
static const struct key_rule economics_rules[] = {
    { .key = "price", .type = KEY_ANY, .catalog = "prices", .doc = "key (or list of keys) of configs/prices.yaml" },
    { .key = "gpu_hour_usd", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "USD/h", .dflt_note = "the price's, else 0",
      .dest = SPEC(gpu_hour_usd_in), .doc = "price per allocated accelerator-hour" },
    { .key = "electricity_usd_per_kwh", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "USD/kWh",
      .dflt_note = "the price's, else 0", .dest = SPEC(electricity_usd_per_kwh_in), .doc = "price of facility energy" },
    { .key = "capex_usd_per_gpu", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "USD", .dflt_note = "the price's, else 0",
      .dest = SPEC(capex_usd_per_gpu_in), .doc = "purchase price of one accelerator with its share of the server" },
    { .key = "amortisation_years", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = 100, .unit = "years", .dflt = 4,
      .dest = SPEC(amortisation_years_in), .doc = "years the hardware is paid off over (default 4)" },
    { .key = "interconnect_share", .type = KEY_PARAM, .flags = KEY_HI_OPEN, .hi = 1, .unit = "fraction",
      .dest = SPEC(interconnect_share_in), .doc = "network's share of total cluster capex (default 0)" },
    { .key = "cost_of_capital", .type = KEY_PARAM, .hi = 1, .unit = "per year", .dest = SPEC(cost_of_capital_in),
      .doc = "annual rate; 0 = straight line (default), above 0 = annuity" },
    { .key = "colocation_usd_per_kw_month", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "USD/(kW month)",
      .dflt_note = "the price's, else 0", .dest = SPEC(colocation_usd_per_kw_month_in),
      .doc = "colocation price on peak IT power" },
};

static const struct key_rule embodied_rules[] = {
    { .key = "kg_per_gpu", .type = KEY_PARAM, .hi = HUGE_VAL, .unit = "kg CO2e",
      .dflt_note = "the catalog's embodied_kg, else 0 (warned)", .dest = SPEC(kg_per_gpu_in),
      .doc = "manufacturing CO2e per accelerator" },
    { .key = "lifetime_years", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 100, .unit = "years", .dflt = 4,
      .dest = SPEC(lifetime_years), .doc = "amortisation period" },
};

static const struct key_rule sim_rules[] = {
    { .key = "samples", .type = KEY_INT, .lo = 1, .hi = LOAD_MAX_SAMPLES, .dflt = 1000, .dest = SPEC(samples),
      .doc = "Monte Carlo samples" },
    { .key = "seed", .type = KEY_INT, .hi = 9007199254740992.0, .dflt = 1, .dest = SPEC(seed), .doc = "base seed" },
    { .key = "step_min", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 1440, .unit = "min", .dflt = 5,
      .dest = SPEC(step_min), .doc = "step length, minutes" },
    { .key = "quantiles", .type = KEY_SEQ, .lo = 1, .hi = SPEC_MAX_QUANTILES, .items = &quantile_rule, .n_items = 1,
      .show = SHOW_QUANTILES, .doc = "reported quantiles in (0, 1)" },
    { .key = "max_days", .type = KEY_NUMBER, .flags = KEY_LO_OPEN, .hi = 36525, .unit = "days", .dflt = 3650,
      .dest = SPEC(max_days), .doc = "horizon" },
};

static const struct key_rule reported_rules[] = {
    { .key = "value", .type = KEY_NUMBER, .flags = KEY_REQUIRED | KEY_LO_OPEN, .hi = HUGE_VAL,
      .dest = KEY_AT(struct reported, value),
      .doc = "the published figure, in the metric's unit (> 0: errors are relative)" },
    { .key = "kind", .type = KEY_STRING, .flags = KEY_REQUIRED, .choices = "consistency,prediction",
      .doc = "consistency or prediction" },
    { .key = "tolerance_pct", .type = KEY_NUMBER, .hi = 1000, .unit = "%", .dflt = 1,
      .dest = KEY_AT(struct reported, tolerance_pct), .doc = "allowed |error| of a consistency case, percent" },
    { .key = "source", .type = KEY_STRING, .flags = KEY_REQUIRED, .dest = KEY_AT(struct reported, source),
      .doc = "where the figure is published" },
};

/* The sections and their key tables, for lookups by key path (solve's default range), the
 * scenario reference (trainsim help scenario) and check's print. A new section needs a row
 * here (and one in root_rules). */
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
    const struct key_table *t = load_key_table(section);
    return t ? schema_rule(t->rules, t->n, key) : NULL;
}

const struct key_table *load_key_table(const char *section)
{
    for (int g = 0; g < N_KEY_GROUPS; g++)
        for (int i = 0; i < key_tables[g].n; i++)
            if (strcmp(key_tables[g].tables[i].section, section) == 0)
                return &key_tables[g].tables[i];
    return NULL;
}

const struct key_table *load_key_group(int g, int *n)
{
    if (g < 0 || g >= N_KEY_GROUPS)
        return NULL;
    *n = key_tables[g].n;
    return key_tables[g].tables;
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
    const double cat = L->acc ? L->acc->peak_tflops[p] : (double)NAN;
    /* Without a known accelerator, cluster.accelerator has been reported already. */
    if (!over && isnan(cat) && L->acc)
        diag_error(L->c.diag, at, "%s: the catalog has no %s peak for %s; set cluster.peak_tflops.%s", path, prec,
                   L->acc->key, prec);
    const struct key_rule *rule = schema_rule(peak_rules, N_RULES(peak_rules), prec);
    L->peak_in[p] = schema_param(&L->c, over, ppath, rule, isnan(cat) ? rule->dflt : cat, INPUT_PER_SAMPLE);
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
    /* Catalog overrides are read (and so checked) here, whether or not a later section
     * uses them. */
    const struct accel_entry *a = L->acc;
    const struct key_default catalog[] = {
        { "gpus_per_node", a ? (double)a->gpus_per_node : (double)NAN }, { "tdp_w", a ? a->tdp_w : (double)NAN },
        { "memory_gb", a ? a->memory_gb : (double)NAN },                 { "hbm_tb_s", a ? a->hbm_tb_s : (double)NAN },
        { "nvlink_gb_s", a ? a->nvlink_gb_s : (double)NAN },             { "network_gb_s", a ? a->network_gb_s : (double)NAN },
        { "nvlink_domain", a ? (double)a->nvlink_domain : (double)NAN },
    };
    schema_read(&L->c, m, "cluster", cluster_rules, n, s, catalog, N_RULES(catalog));
    s->n_nodes = (s->count + s->gpus_per_node - 1) / s->gpus_per_node;
    s->catalog_tdp_w = a ? a->tdp_w : (double)NAN;
    /* idle_w and embodied_kg are the loader's, for the power and embodied sections. */
    L->idle_w = a ? a->idle_w : 0;
    schema_number_key(&L->c, m, "cluster", cluster_rules, n, "idle_w", &L->idle_w);
    L->embodied_kg = a && !isnan(a->embodied_kg) ? a->embodied_kg : (double)NAN;
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
    /* Default idle draw: the catalog's idle_w (or cluster.idle_w) over the central TDP. */
    const double tdp = central(L, s->tdp_w_in);
    const struct key_default idle[] = { { "idle_fraction", tdp > 0 ? fmin(L->idle_w / tdp, 1) : 0 } };
    schema_read(&L->c, m, "power", power_rules, N_RULES(power_rules), s, idle, N_RULES(idle));
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
        ok &= schema_number(&L->c, pt->vals[0], sub, &curve_point_rules[0], &x[i]);
        ok &= schema_number(&L->c, pt->vals[1], sub, &curve_point_rules[1], &y[i]);
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

/* Reads the stage key 'key' of m into st, with default dflt (NAN: the table's). */
static void stage_key(struct loader *L, const struct ynode *m, const char *path, struct stage_spec *st, const char *key,
                      double dflt)
{
    schema_read_key(&L->c, m, path, schema_rule(stage_rules, N_RULES(stage_rules), key), st, dflt);
}

/* The work forms and the keys that mark them. */
static const char *const form_keys[] = { "flops", "params", "gpu_hours", "tokens_per_gpu_s", "layout" };
enum { N_FORMS = 5 };

static void load_stage(struct loader *L, const struct ynode *m, const char *path, int k, bool single,
                       struct stage_spec *st)
{
    struct spec *s = L->c.spec;
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
    const double model_tokens = L->has_model ? L->model.tokens : (double)NAN;
    switch (st->form) {
    case WORK_FLOPS:
        stage_key(L, m, path, st, "flops", NAN);
        break;
    case WORK_PARAMS:
        if (!ytree_get(m, "params") && !has_fpt && isnan(model_params))
            diag_error(L->c.diag, m->pos, "%s: the params form needs 'params' (or flops_per_token, or a "
                                          "workload.model)", path);
        if (!has_tokens && (!single || !L->has_model || isnan(L->model.tokens)))
            diag_error(L->c.diag, m->pos, "%s: missing required key 'tokens'%s", path,
                       L->has_model && !single ? " (a model card gives tokens only to a single-stage workload)" : "");
        stage_key(L, m, path, st, "params", model_params);
        stage_key(L, m, path, st, "tokens", model_tokens);
        if (has_fpt)
            stage_key(L, m, path, st, "flops_per_token", NAN);
        break;
    case WORK_GPU_HOURS:
        stage_key(L, m, path, st, "gpu_hours", NAN);
        stage_key(L, m, path, st, "speed", NAN);
        break;
    case WORK_TOKENS:
        if (!has_tokens)
            diag_error(L->c.diag, m->pos, "%s: the tokens_per_gpu_s form needs 'tokens'", path);
        stage_key(L, m, path, st, "tokens", NAN);
        stage_key(L, m, path, st, "tokens_per_gpu_s", NAN);
        break;
    case WORK_LAYOUT:
        if (!has_tokens && (!single || !L->has_model || isnan(L->model.tokens)))
            diag_error(L->c.diag, m->pos, "%s: the layout form needs 'tokens'", path);
        stage_key(L, m, path, st, "tokens", model_tokens);
        break;
    }
    if (has_peak) {
        const char *prec = schema_string_key(&L->c, m, path, "precision");
        char ppath[600];
        schema_join(ppath, sizeof ppath, path, "precision");
        st->precision = xstrdup(prec ? prec : schema_rule(stage_rules, N_RULES(stage_rules), "precision")->dflt_text);
        st->peak_tflops_in = peak_input(L, st->precision, pos_or(ytree_get(m, "precision"), m->pos), ppath);
    }
    if (st->form == WORK_LAYOUT)
        load_layout_stage(&L->c, m, path, L->acc, st);
    if (flop_form) {
        if (!ytree_get(m, "mfu"))
            diag_error(L->c.diag, m->pos, "%s: missing required key 'mfu' (the flops and params forms need it)", path);
        stage_key(L, m, path, st, "mfu", NAN);
    }
    const struct ynode *curve = ytree_get(m, "utilization_curve");
    if (curve && curve->kind == YNODE_SEQ) {
        char cpath[600];
        schema_join(cpath, sizeof cpath, path, "utilization_curve");
        load_curve(L, curve, cpath, &st->curve);
    }
    if (ytree_get(m, "busy_fraction"))
        stage_key(L, m, path, st, "busy_fraction", NAN);
    else
        st->busy_fraction_in = s->busy_fraction_in;
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
    const struct key_default from_preset[] = { { "pue", preset ? preset->pue : (double)NAN },
                                               { "wue_l_per_kwh", preset ? preset->wue_l_per_kwh : (double)NAN } };
    schema_read(&L->c, m, "facility", facility_rules, n, s, from_preset, N_RULES(from_preset));
    s->pue_given = has_pue || preset;
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
    const struct key_rule *ir = schema_rule(grid_rules, n, "intensity_kg_per_kwh");
    if (spread_dist)
        s->intensity_in = schema_param(&L->c, spread_dist, "grid.intensity_kg_per_kwh", ir, ir->dflt, INPUT_PER_SAMPLE);
    else
        s->intensity_in = schema_param_key(&L->c, m, "grid", grid_rules, n, ir->key,
                                           region ? region->intensity_kg_per_kwh : ir->dflt);
    ytree_free(spread_dist);
    warn_intensity(L, pos_or(ytree_get(m, "intensity_kg_per_kwh"), pos_or(ytree_get(m, "region"), m->pos)),
                   "grid.intensity_kg_per_kwh", plausible_max(&s->inputs[s->intensity_in].dist));
    const struct key_default from_region[] = { { "water_l_per_kwh", region ? region->water_l_per_kwh : (double)NAN } };
    schema_read(&L->c, m, "grid", grid_rules, n, s, from_region, N_RULES(from_region));
    const struct key_rule *cff = schema_rule(grid_rules, n, "carbon_free_fraction");
    s->carbon_free_fraction_in = schema_param_key(&L->c, m, "grid", grid_rules, n, cff->key, cff->dflt);
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
    schema_read(&L->c, m, "reliability", reliability_rules, n, s, NULL, 0);
    const struct ynode *pd = ytree_get(m, "planned_downtime_min");
    const struct key_rule *pdr = schema_rule(reliability_rules, n, "planned_downtime_min");
    s->planned_downtime_min_in =
        pd ? schema_param(&L->c, pd, "reliability.planned_downtime_min", pdr, pdr->dflt, INPUT_PER_MAINTENANCE)
           : schema_copy_input(&L->c, s->restart_min_in, "reliability.planned_downtime_min", INPUT_PER_MAINTENANCE);

    /* checkpoint_interval_min: a number, or auto = Young/Daly from central values (DESIGN 3.5a). */
    const struct ynode *ci = ytree_get(m, "checkpoint_interval_min");
    const struct key_rule *cir = schema_rule(reliability_rules, n, "checkpoint_interval_min");
    s->checkpoint_auto = !ci || (ci->kind == YNODE_SCALAR && strcmp(ci->text, "auto") == 0);
    if (!s->checkpoint_auto && ci->kind != YNODE_SCALAR) {
        diag_error(L->c.diag, ci->pos, "reliability.checkpoint_interval_min: expected a number or auto, got %s",
                   ytree_kind_name(ci));
        s->checkpoint_interval_min = cir->dflt;
        return;
    }
    if (!s->checkpoint_auto) {
        s->checkpoint_interval_min = cir->dflt;
        schema_number(&L->c, ci, "reliability.checkpoint_interval_min", cir, &s->checkpoint_interval_min);
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
        s->checkpoint_interval_min = cir->dflt;
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
    double d[4];
    economics_prices(L, m ? ytree_get(m, "price") : NULL, d);
    const struct key_default from_price[] = { { "gpu_hour_usd", d[0] }, { "capex_usd_per_gpu", d[1] },
                                              { "electricity_usd_per_kwh", d[2] }, { "colocation_usd_per_kw_month", d[3] } };
    schema_read(&L->c, m, "economics", economics_rules, N_RULES(economics_rules), L->c.spec, from_price,
                N_RULES(from_price));
}

static void load_embodied(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    s->has_embodied = m != NULL;
    if (m && !ytree_get(m, "kg_per_gpu") && isnan(L->embodied_kg) && L->acc)
        diag_warning(L->c.diag, m->pos, "embodied.kg_per_gpu: the catalog has no embodied figure for %s; counting 0",
                     L->acc->key);
    const struct key_default from_catalog[] = { { "kg_per_gpu", L->embodied_kg } };
    schema_read(&L->c, m, "embodied", embodied_rules, N_RULES(embodied_rules), s, from_catalog, N_RULES(from_catalog));
}

static void load_sim(struct loader *L, const struct ynode *m)
{
    struct spec *s = L->c.spec;
    schema_read(&L->c, m, "sim", sim_rules, N_RULES(sim_rules), s, NULL, 0); /* seed: a long into the unsigned long */
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
        schema_read(&L->c, e, path, reported_rules, n, r, NULL, 0);
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
    schema_read(&L.c, root, "", root_rules, N_RULES(root_rules), out, NULL, 0);

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
