/*
 * plan.h - the planning commands: sweep, compare, solve and sensitivity (issue "what-if
 * planning"). Each loads its scenarios through load/ with extra --set overrides, runs them
 * with sample/montecarlo.c on common random numbers, computes with sample/plan.c and
 * sample/sensitivity.c, and writes a report with output/write_plan.c. Each returns the
 * process exit code.
 */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include "cli.h"

int plan_sweep(const struct cli_options *o);
int plan_compare(const struct cli_options *o);
int plan_solve(const struct cli_options *o);
int plan_sensitivity(const struct cli_options *o);

#endif
