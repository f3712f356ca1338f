/*
 * trace.h - trainsim trace FILE [--sample I] [-o trace.csv] [--plot DIR]: one sample's
 * timeline (state, accelerator and facility power, PUE, grid intensity, progress,
 * cumulative energy and CO2e) as CSV, and as a chart with failures, restarts and
 * checkpoints marked.
 */
#ifndef TS_TRACE_H
#define TS_TRACE_H

#include "cli.h"

int trace_command(const struct cli_options *o);

#endif
