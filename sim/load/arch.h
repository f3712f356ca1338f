/*
 * arch.h - reads an architecture (DESIGN 8): the `architecture:` mapping of a scenario's
 * workload or of a model card, or a Hugging Face config.json named by its `hf_config:` key.
 *
 * Keys given beside hf_config override what the file says; a scenario's keys override the
 * model card's. Every problem is a located diagnostic; nothing is printed.
 */
#ifndef TS_LOAD_ARCH_H
#define TS_LOAD_ARCH_H

#include <stdbool.h>

#include "core/arch.h"
#include "load/schema.h"
#include "load/ytree.h"

/* The key tables of an architecture mapping, for the scenario reference. */
enum { LOAD_ARCH_N_TABLES = 3 };
extern const struct key_table load_arch_tables[LOAD_ARCH_N_TABLES];

/* Reads the architecture mapping m (key path 'path', e.g. "workload.architecture") into *out,
 * starting from *base (a model card's architecture) when base is not NULL. A relative
 * hf_config path resolves against the folder of the file m was read from. Returns false on
 * any error (reported to c->diag); *out is then still a usable, fully defaulted value. */
bool load_arch(struct schema *c, const struct ynode *m, const char *path, const struct arch *base, struct arch *out);

/* True when every size an architecture needs is known (layers, hidden, heads, vocab, and
 * ffn_hidden or an MoE block). */
bool load_arch_complete(const struct arch *a);


#endif
