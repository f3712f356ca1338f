/*
 * load.h - reading a scenario: YAML file + --set overrides + catalogs -> struct spec.
 *
 * load_scenario() is the load layer's entry point. It parses the file (load/ytree.c),
 * resolves `base:` inheritance (deep merge: mappings key by key, lists and scalars
 * replace; cycles are errors), applies every --set override to the tree (load/override.c), walks the tree with the key
 * tables of load_scenario.c, resolves catalog and model references, reads series CSVs
 * relative to the scenario's folder, and runs the cross-field checks. Every problem in the
 * input is reported to the diag; the spec is usable only when it returns true.
 */
#ifndef TS_LOAD_LOAD_H
#define TS_LOAD_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/spec.h"
#include "load/catalog.h"
#include "util/diag.h"

/* Upper bounds that keep a run's memory and time sane; documented in the README. */
enum {
    LOAD_MAX_SCENARIO_BYTES = 1 << 20,  /* a scenario file */
    LOAD_MAX_STAGES = 64,
    LOAD_MAX_CURVE_POINTS = 1000,
};
#define LOAD_MAX_STEPS_PER_SAMPLE 2e7   /* max_days / step_min */
#define LOAD_MAX_SAMPLES 1e7

struct load_options {
    const char *const *sets;        /* "PATH=VALUE" overrides, applied in order; borrowed */
    int n_sets;
    const struct catalog *catalog;  /* borrowed */
};

/* Loads the scenario at path into *out (zeroed first). Returns true when the input has no
 * error; warnings do not count. On false, *out is released. */
bool load_scenario(struct diag *d, const char *path, const struct load_options *o, struct spec *out);

/* The same for a scenario held in memory (text borrowed; 'name' is used in messages and as
 * the folder series paths are relative to). A `base:` key is not resolved here. */
bool load_scenario_text(struct diag *d, const char *name, const char *text, size_t len,
                        const struct load_options *o, struct spec *out);

/* The key rule (type, valid range, doc) of a scenario key path such as "facility.pue" or
 * "workload.stages[1].mfu", or NULL when the path names no key. */
struct key_rule;
const struct key_rule *load_key_rule(const char *path);

/* The key table of a section ("facility", "workload.stages[]", "workload.architecture.moe"),
 * or NULL. */
struct key_table;
const struct key_table *load_key_table(const char *section);

/* The key tables in groups (0: the sections of load_scenario.c, 1: the architecture's, 2: the
 * layout's), for generators that walk them all (the JSON Schema); NULL past the last group. */
const struct key_table *load_key_group(int g, int *n);

/* Prints every scenario key, section by section, with its type, valid range and doc (the
 * scenario reference, `trainsim help scenario`). */
void load_print_keys(FILE *out);

/* Prints the JSON Schema (draft 2020-12) of the scenario format, from the key tables, with
 * the keys of cat's catalogs as enums (`trainsim schema`). Returns false on an I/O error. */
bool load_print_json_schema(FILE *out, const struct catalog *cat);

/* Prints the resolved scenario (catalog values filled in, defaults shown) as YAML. */
void load_print_resolved(FILE *out, const struct spec *s);

/* Prints the catalogs (all, or the one called which) as format "json" (an object per catalog,
 * entries as their files hold them) or "csv" (one table: catalog, key, then every field,
 * nested ones as a.b), read from the files cat was loaded from (cat->dir or the built-in
 * copies). Problems go to d; returns false then, or on an I/O error. */
bool load_print_catalog_data(FILE *out, const char *format, const char *which, const struct catalog *cat,
                             struct diag *d);

#endif
