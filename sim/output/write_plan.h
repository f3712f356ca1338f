/*
 * write_plan.h - writers of the planning commands' reports (sweep, compare, solve,
 * sensitivity) in the formats table, json and csv (DESIGN 4). Each returns false on an
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

/* True when format is one the planning writers know. */
bool write_plan_format_known(const char *format);

#endif
