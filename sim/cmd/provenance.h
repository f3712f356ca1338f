/*
 * provenance.h - what a report records about how it was made (DESIGN 9), and the parts of a
 * report that depend on how the scenario was given rather than on the samples: the header
 * naming the scenario as run, and the metrics no input of which was given ("not modelled").
 *
 * Everything is read from the tables: the spec's inputs (so new scenario keys appear without
 * edits) and the not-modelled rules below, keyed by metric name (so new metrics only need a
 * row when they depend on optional inputs).
 */
#ifndef TS_PROVENANCE_H
#define TS_PROVENANCE_H

#include "cli.h"
#include "output/report.h"

struct spec;
struct diag;

struct provenance_store {
    struct provenance p;
    struct provenance_input *inputs; /* owned */
    char as_run[512];                /* "" when no --set changed the scenario */
};

/* Fills *ps from the loaded spec s, o's --set overrides and the warnings d collected. The
 * store borrows from s, o and d: keep them alive while it is used. */
void provenance_build(struct provenance_store *ps, const struct spec *s, const struct cli_options *o,
                      const struct diag *d);
void provenance_release(struct provenance_store *ps);

/* Points rep at ps (provenance and the as-run header) and marks rep's metrics that are not
 * modelled by s. */
void provenance_apply(struct report *rep, const struct provenance_store *ps, const struct spec *s);

/* Marks rep's metrics that are not modelled by s (provenance_apply does it too). */
void provenance_mark_not_modelled(struct report *rep, const struct spec *s);

#endif
