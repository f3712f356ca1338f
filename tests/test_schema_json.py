#!/usr/bin/env python3
"""test_schema_json.py TRAINSIM ROOT - the scenario JSON Schema (docs/scenario.schema.json).

1. `trainsim schema` prints exactly the committed docs/scenario.schema.json.
2. The schema is a valid draft 2020-12 schema (Draft202012Validator.check_schema).
3. Every shipped scenario (scenarios/, scenarios/published/, bench/) validates, and carries the
   `# yaml-language-server: $schema=...` line pointing at the schema.
4. Every case of tests/errors that is a schema-level error (unknown key, wrong type, out of
   range, missing required key) is rejected by the schema too; the other cases are listed
   below with the reason the schema cannot see them. tests/schema/*.yaml are hand-written
   cases the corpus lacks, each rejected.

YAML is read the way the loader reads it (and yaml-language-server, which follows YAML 1.2):
numbers with exponents without a dot or a sign (14.8e12), '_' separators, dates as strings.
Skips (exit 77) only when python3-jsonschema or python3-yaml is missing.
"""
import json
import os
import re
import subprocess
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:  # pragma: no cover
    print(f"SKIP: {e.name} is not installed (Debian: apt-get install python3-jsonschema python3-yaml)")
    sys.exit(77)

BIN, ROOT = sys.argv[1], sys.argv[2]
SCHEMA_FILE = os.path.join(ROOT, "docs", "scenario.schema.json")
failures = []


def ok(msg):
    print(f"ok: {msg}")


def bad(msg):
    print(f"FAIL: {msg}")
    failures.append(msg)


class Loader(yaml.SafeLoader):
    """SafeLoader with the loader's numbers (YAML 1.2 floats, '_' separators) and no timestamps."""


Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def merge_into(base, child):
    """The loader's deep merge: mappings key by key, lists and scalars replace."""
    for k, v in child.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            merge_into(base[k], v)
        else:
            base[k] = v


def merged(path):
    doc = load_yaml(path)
    if "base" not in doc:
        return doc
    base = merged(os.path.join(os.path.dirname(path), doc.pop("base")))
    merge_into(base, doc)
    return base


# ---- 1. the committed schema is the generated one
generated = subprocess.run([BIN, "schema"], capture_output=True, text=True, check=False)
with open(SCHEMA_FILE, encoding="utf-8") as f:
    committed = f.read()
if generated.returncode != 0:
    bad(f"trainsim schema exited {generated.returncode}: {generated.stderr}")
elif generated.stdout != committed:
    bad("docs/scenario.schema.json differs from `trainsim schema`; regenerate it with "
        "./build/trainsim schema -o docs/scenario.schema.json")
else:
    ok("docs/scenario.schema.json is the output of trainsim schema")

# ---- 2. a valid draft 2020-12 schema
schema = json.loads(committed)
try:
    jsonschema.Draft202012Validator.check_schema(schema)
    ok("the schema is a valid draft 2020-12 schema")
except jsonschema.SchemaError as e:
    bad(f"not a valid draft 2020-12 schema: {e.message}")
validator = jsonschema.Draft202012Validator(schema)


def errors_of(doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


# ---- 3. every shipped scenario validates and names the schema
shipped = []
for folder in ("scenarios", "scenarios/published", "bench"):
    d = os.path.join(ROOT, folder)
    shipped += [os.path.join(d, n) for n in sorted(os.listdir(d)) if n.endswith(".yaml")]
for path in shipped:
    rel = os.path.relpath(path, ROOT)
    with open(path, encoding="utf-8") as f:
        first = f.readline().rstrip("\n")
    target = os.path.relpath(SCHEMA_FILE, os.path.dirname(path))
    if first != f"# yaml-language-server: $schema={target}":
        bad(f"{rel}: first line is not '# yaml-language-server: $schema={target}'")
    doc = load_yaml(path)
    if "base" in doc:  # what the loader checks: the file merged over its base
        doc = merged(path)
    errs = errors_of(doc)
    if errs:
        bad(f"{rel}: " + "; ".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message[:160]}" for e in errs[:3]))
print(f"ok: {len(shipped)} shipped scenarios checked against the schema")

# ---- 4. the error corpus
# Schema-level errors: an unknown key, a value of the wrong type, a number out of range, a
# required key missing (catalog keys count: the schema lists them as enums). Each must be
# rejected by the schema.
SCHEMA_LEVEL = [
    "base_not_string", "catalog_accelerator_prefix", "catalog_accelerator_suggest",
    "catalog_accelerator_unknown", "catalog_facility_suggest", "catalog_facility_unknown",
    "catalog_model_cascade", "catalog_model_suggest", "catalog_model_unknown", "catalog_precision_suggest",
    "catalog_precision_unknown", "curve_factor_zero", "curve_item_not_number", "curve_item_scalar",
    "curve_not_pair", "curve_one_point", "curve_too_many_points", "curve_x_above_one", "dist_choice_empty",
    "dist_choice_range", "dist_choice_value_not_number", "dist_choice_values_not_list",
    "dist_choice_weight_negative", "dist_fixed_missing_value", "dist_fixed_range", "dist_lognormal_gsd",
    "dist_lognormal_median", "dist_lognormal_mfu", "dist_missing_key", "dist_missing_param",
    "dist_name_not_string", "dist_normal_sd_zero", "dist_normal_support", "dist_normal_untruncated",
    "dist_normal_untruncated_max", "dist_normal_untruncated_min", "dist_param_not_number",
    "dist_several_params", "dist_triangular_support", "dist_uniform_support", "dist_unknown",
    "dist_unknown_param", "dist_unknown_suggest", "empty_comments_only", "empty_file", "int_not_whole",
    "int_samples_zero", "int_seed_negative", "layout_every_problem", "layout_not_a_mapping",
    "layout_schedule_unknown", "many_errors", "many_errors_stages", "missing_accelerator", "missing_cluster",
    "missing_count", "missing_grid", "missing_name", "missing_several", "missing_workload", "number_two_dots",
    "number_underflow", "quantiles_empty", "quantiles_out_of_range", "quantiles_percent",
    "quantiles_too_many", "range_busy_fraction", "range_carbon_free", "range_catalog_overrides",
    "range_checkpoint_interval_word", "range_checkpoint_interval_zero", "range_count_zero",
    "range_failures_negative", "range_flops_zero", "range_gpu_hour_usd", "range_gpus_per_node",
    "range_grid_amplitude", "range_idle_fraction", "range_lifetime_zero", "range_memory_gb", "range_mfu",
    "range_peak_hour", "range_peak_tflops", "range_peak_tflops_unused", "range_pue_below_one",
    "range_restart_negative", "range_stage_busy_fraction", "range_utc_offset", "sim_max_days_zero",
    "sim_step_zero", "stages_empty", "stages_item_not_map", "stages_not_list", "stages_too_many",
    "start_garbage", "toplevel_list", "toplevel_scalar",
    "type_empty_name", "type_empty_value", "type_list_for_auto", "type_list_for_map", "type_list_for_param",
    "type_map_for_number", "type_map_for_string", "type_map_for_time", "type_not_a_number",
    "type_null_workload", "type_quoted_number", "type_scalar_for_list", "type_scalar_for_map",
    "type_seq_for_quantiles", "unknown_key_cluster", "unknown_key_dist", "unknown_key_economics",
    "unknown_key_embodied", "unknown_key_facility", "unknown_key_grid", "unknown_key_no_suggestion",
    "unknown_key_peak_tflops", "unknown_key_power", "unknown_key_reliability", "unknown_key_sim",
    "unknown_key_stage", "unknown_key_top", "unknown_key_transposed", "unknown_key_workload"
]
NOT_SCHEMA_REASONS = {
    "arch_": "the architecture: hf_config files and rules across its keys",
    "base_": "files: base: inheritance is resolved by the loader",
    "catalog_": "catalog lookups a schema cannot make: display names, model card files, peaks per precision",
    "checkpoint_auto": "a rule across keys: auto needs checkpoint_write_min above 0",
    "curve_not": "a rule across the items of a curve: from 0 to 1, increasing",
    "dist_": "a rule across distribution parameters (min below max, mode inside, weights, probability mass)",
    "duplicate_key": "YAML: a JSON Schema sees one value per key",
    "form_": "work forms: which stage keys go together",
    "layout_": "rules across layout, cluster and architecture (divisibility, memory, schedule)",
    "missing_": "required by the work form or the grid (one of region, intensity, series), not always",
    "number_": "number syntax: YAML readers differ on hex, .inf, .nan and overflow",
    "quantiles_not": "a rule across items: quantiles increase",
    "series_": "files: series contents",
    "sim_too_many": "a rule across keys: max_days / step_min",
    "stages_": "a rule across keys: stage keys beside stages:, errors inside a stage of another form",
    "start_": "calendar validity (day of month, zone range, year range)",
    "syntax_": "YAML syntax",
    "key_not_scalar": "YAML: a key that is not a scalar does not parse as JSON",
    "second_document": "YAML: a second document in the file",
}
NOT_SCHEMA = [
    "syntax_alias_bomb", "syntax_too_deep",
    "arch_consistency", "arch_hf_fields", "arch_hf_missing", "arch_hf_suggest", "arch_hf_unsupported",
    "arch_keys", "base_cycle", "base_error_in_parent", "base_missing", "base_self",
    "catalog_model_architecture", "catalog_model_path_bad", "catalog_model_path_missing",
    "catalog_model_path_syntax", "catalog_model_tokens_multistage", "catalog_precision_no_peak",
    "catalog_precision_no_peak_default", "catalog_region_display_name", "catalog_region_segment",
    "catalog_region_suggest", "catalog_region_unknown", "checkpoint_auto_default_no_write",
    "checkpoint_auto_no_write", "curve_not_from_zero", "curve_not_increasing", "curve_not_to_one",
    "dist_choice_weights_length", "dist_choice_weights_zero", "dist_normal_min_max", "dist_normal_no_mass",
    "dist_pert_min_max", "dist_pert_mode", "dist_triangular_mode", "dist_uniform_min_max", "duplicate_key",
    "duplicate_key_flow", "duplicate_key_top", "form_flops_per_token", "form_mfu_with_gpu_hours",
    "form_mfu_with_tokens_per_gpu_s", "form_none", "form_precision_with_gpu_hours", "form_speed_with_flops",
    "form_three", "form_tokens_with_flops", "form_tokens_with_gpu_hours", "form_two",
    "layout_auto_nothing_fits", "layout_batch_both", "layout_batch_not_divisible",
    "layout_batch_tokens_partial", "layout_count_and_heads", "layout_count_not_divisible",
    "layout_dp_disagrees", "layout_ep_dense", "layout_ep_not_in_dp", "layout_experts_not_divisible",
    "layout_heads_not_divisible", "layout_interleave_schedule", "layout_memory", "layout_mfu_given",
    "layout_no_architecture", "layout_no_seq_len", "layout_sequence_parallel_word",
    "layout_too_few_microbatches", "layout_too_many_stages", "missing_grid_intensity", "missing_mfu",
    "missing_params", "missing_tokens", "missing_tokens_throughput", "number_hex", "number_inf", "number_nan",
    "number_overflow", "quantiles_not_increasing", "series_grid_bad_timestamp", "series_grid_bad_value",
    "series_grid_empty", "series_grid_missing", "series_grid_not_increasing", "series_grid_out_of_range",
    "series_pue_bad_first_row", "series_pue_bad_timestamp", "series_pue_bad_value", "series_pue_directory",
    "series_pue_duplicate_time", "series_pue_empty", "series_pue_header_only", "series_pue_long_line",
    "series_pue_missing", "series_pue_no_comma", "series_pue_not_csv", "series_pue_not_increasing",
    "series_pue_nul", "series_pue_out_of_range", "series_pue_several", "series_pue_three_columns",
    "sim_too_many_steps", "stages_keys_beside", "stages_second_bad", "start_bad_day", "start_bad_month",
    "start_bad_time", "start_bad_zone", "start_year_1900", "syntax_nul_escape", "key_not_scalar",
    "second_document", "second_document_bad", "syntax_bad_indent", "syntax_bad_utf8", "syntax_dedent_key",
    "syntax_nul_byte", "syntax_tab_indent", "syntax_unclosed_flow_map", "syntax_unclosed_flow_seq",
    "syntax_unclosed_quote", "syntax_undefined_alias"
]


def reason_for(case):
    return next((why for prefix, why in NOT_SCHEMA_REASONS.items() if case.startswith(prefix)), None)


err_dir = os.path.join(ROOT, "tests", "errors")
cases = sorted(n[:-len(".stderr")] for n in os.listdir(err_dir) if n.endswith(".stderr"))
checked = 0
for case in SCHEMA_LEVEL:
    checked += 1
    if not errors_of(load_yaml(os.path.join(err_dir, case + ".yaml"))):
        bad(f"errors/{case}: a schema-level error the schema accepts")
print(f"ok: {checked} schema-level cases of tests/errors rejected by the schema")
for case in NOT_SCHEMA:
    if not reason_for(case):
        bad(f"errors/{case}: listed as not schema-level without a reason")
print(f"ok: {len(NOT_SCHEMA)} cases are loader checks beyond a schema (reasons in NOT_SCHEMA_REASONS)")
scenario_cases = [c for c in cases if os.path.exists(os.path.join(err_dir, c + ".yaml"))
                  and not os.path.exists(os.path.join(err_dir, c + ".args"))]
for case in scenario_cases:
    if case not in SCHEMA_LEVEL and case not in NOT_SCHEMA:
        bad(f"errors/{case}: not classified: add it to SCHEMA_LEVEL or NOT_SCHEMA in tests/test_schema_json.py")

# ---- 5. hand-written cases for kinds the corpus lacks
hand = os.path.join(ROOT, "tests", "schema")
for name in sorted(os.listdir(hand)):
    if not name.endswith(".yaml"):
        continue
    doc = load_yaml(os.path.join(hand, name))
    if errors_of(doc):
        ok(f"schema/{name} rejected")
    else:
        bad(f"schema/{name}: accepted, should be rejected")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all schema checks passed")
