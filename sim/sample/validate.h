/*
 * validate.h - the published runs against their reported figures (trainsim validate,
 * DESIGN 7): each case is run as `run` runs it and every figure of its `reported:` block
 * becomes one struct validate_row (output/report.h) with the simulated P5, P50 and P95 and
 * the verdict of core/verdict.h.
 */
#ifndef TS_SAMPLE_VALIDATE_H
#define TS_SAMPLE_VALIDATE_H

#include "core/spec.h"
#include "output/report.h"

/* Runs s (its samples and seed, on threads threads; 0: all cores) and appends one row per
 * reported figure to *rows (grown with xrealloc; owned by the caller, who frees it) and
 * *n_rows. The rows borrow their strings from s. A case with no reported figure adds none
 * and is not run. */
void validate_case(const struct spec *s, int threads, struct validate_row **rows, int *n_rows);

/* The consistency rows of rows outside their tolerance. */
int validate_failures(const struct validate_row *rows, int n_rows);

#endif
