/*
 * layout_cmd.h - `trainsim layout FILE [--stage K] [--top N]`: ranks the valid layouts of a
 * layout-form stage (DESIGN 8).
 */
#ifndef TS_LAYOUT_CMD_H
#define TS_LAYOUT_CMD_H

#include "cli.h"

int layout_command(const struct cli_options *o);

#endif
