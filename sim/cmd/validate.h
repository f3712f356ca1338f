/*
 * validate.h - trainsim validate [DIR]: runs every published scenario and compares the
 * simulated P50 (and P5-P95) with each figure in its `reported:` block (DESIGN 7).
 * Consistency cases must fall within their tolerance: the command exits 1 otherwise.
 * Prediction cases are reported, never hidden, whatever their error.
 */
#ifndef TS_VALIDATE_H
#define TS_VALIDATE_H

#include "cli.h"

int validate_command(const struct cli_options *o);

#endif
