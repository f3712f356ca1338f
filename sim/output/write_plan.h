/*
 * write_plan.h - writers of the planning commands' reports (sweep, compare, solve,
 * sensitivity) in the formats table, json and csv, and compare in markdown (DESIGN 4). Each returns false on an
 * I/O error or an unknown format.
 */
#ifndef TS_OUTPUT_WRITE_PLAN_H
#define TS_OUTPUT_WRITE_PLAN_H

#include <stdbool.h>
#include <stdio.h>

#include "output/report.h"

bool write_sweep(FILE *out, const char *format, const struct sweep_report *r);
bool write_compare(FILE *out, const char *format, const struct compare_report *r);
bool write_solve(FILE *out, const char *format, const struct solve_report *r);
bool write_sensitivity(FILE *out, const char *format, const struct sensitivity_report *r);

/* True when the writer of report ("sweep", "compare", "solve", "sensitivity") knows format:
 * table, json and csv for all, markdown for compare too. */
bool write_plan_format_known(const char *report, const char *format);

/* The formats of report, for messages ("table, json or csv"). */
const char *write_plan_formats(const char *report);

#endif
