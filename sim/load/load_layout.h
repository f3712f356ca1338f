/*
 * load_layout.h - the layout work form of a stage (DESIGN 8): batch, layout (or auto) and
 * efficiencies, resolved and checked against the architecture and the hardware.
 */
#ifndef TS_LOAD_LOAD_LAYOUT_H
#define TS_LOAD_LOAD_LAYOUT_H

#include "core/spec.h"
#include "load/catalog.h"
#include "load/schema.h"
#include "load/ytree.h"

/* Key rules of a stage's layout-form keys, for the stage key table (STAGE_RULES). */
#define LOAD_LAYOUT_STAGE_RULES                                                                                      \
    { .key = "seq_len", .type = KEY_INT, .lo = 1, .hi = 1e7, .unit = "tokens",                                      \
      .dest = KEY_AT(struct stage_spec, seq_len), .show = SHOW_KNOWN, .doc = "tokens per sequence (layout form)" },  \
    { .key = "global_batch_tokens", .type = KEY_INT, .lo = 1, .hi = 1e13, .unit = "tokens",                         \
      .doc = "tokens per optimizer step (layout form)" },                                                            \
    { .key = "global_batch_seqs", .type = KEY_INT, .lo = 1, .hi = 1e10, .unit = "sequences",                        \
      .dest = KEY_AT(struct stage_spec, global_batch_seqs), .show = SHOW_BATCH,                                      \
      .doc = "sequences per optimizer step (layout form)" },                                                         \
    { .key = "layout", .type = KEY_ANY, .show = SHOW_LAYOUT,                                                         \
      .doc = "parallel layout (tp, pp, cp, ep, dp, ...) or auto" },                                                  \
    { .key = "efficiency", .type = KEY_MAP, .doc = "achieved fractions of peak: matmul, attention, network, overlap" }

/* The key tables of a stage's layout: and efficiency: mappings, for the scenario reference. */
enum { LOAD_LAYOUT_N_TABLES = 2 };
extern const struct key_table load_layout_tables[LOAD_LAYOUT_N_TABLES];

/* Reads the layout form of stage st from its mapping m at key path 'path' (tokens and the
 * precision's peak input are already set), with the accelerator's catalog entry acc (may be
 * NULL). Resolves `auto` at the central values, reports every validity problem at its key
 * with the nearest valid values, and the memory estimate against memory_gb. */
void load_layout_stage(struct schema *c, const struct ynode *m, const char *path, const struct accel_entry *acc,
                       struct stage_spec *st);

#endif
