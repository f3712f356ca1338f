/*
 * plan.h - the planning commands: sweep, compare, solve and sensitivity (issue "what-if
 * planning"). Each loads and runs its scenarios through the library (trainsim.c by
 * trainsim_internal.h: variants made with extra --set overrides, on common random numbers,
 * computed by sample/plan.c and sample/sensitivity.c, as libtrainsim.so's trainsim_sweep,
 * trainsim_compare, trainsim_solve and trainsim_sensitivity), and writes a report with
 * output/write_plan.c. Each returns the process exit code.
 */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include "cli.h"

int plan_sweep(const struct cli_options *o);
int plan_compare(const struct cli_options *o);
int plan_solve(const struct cli_options *o);
int plan_sensitivity(const struct cli_options *o);

#endif
