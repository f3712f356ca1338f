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
#define LOAD_LAYOUT_STAGE_RULES                                                                         \
    { "seq_len", KEY_INT, 0, 1, 1e7, "tokens per sequence (layout form)" },                           \
    { "global_batch_tokens", KEY_INT, 0, 1, 1e13, "tokens per optimizer step (layout form)" },        \
    { "global_batch_seqs", KEY_INT, 0, 1, 1e10, "sequences per optimizer step (layout form)" },       \
    { "layout", KEY_ANY, 0, 0, 0, "parallel layout (tp, pp, cp, ep, dp, ...) or auto" },               \
    { "efficiency", KEY_MAP, 0, 0, 0, "achieved fractions of peak: matmul, attention, network, overlap" }

/* The key tables of layout: and efficiency: (for `trainsim help scenario` and solve's ranges). */
const struct key_rule *load_layout_key_rules(int *n);
const struct key_rule *load_efficiency_key_rules(int *n);

/* Reads the layout form of stage st from its mapping m at key path 'path' (tokens and the
 * precision's peak input are already set), with the accelerator's catalog entry acc (may be
 * NULL). Resolves `auto` at the central values, reports every validity problem at its key
 * with the nearest valid values, and the memory estimate against memory_gb. */
void load_layout_stage(struct schema *c, const struct ynode *m, const char *path, const struct accel_entry *acc,
                       struct stage_spec *st);

#endif
