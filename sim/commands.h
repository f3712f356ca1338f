/*
 * commands.h - the commands of the CLI, each wiring the layers together for one task.
 * Each returns the process exit code: 0 success, 1 runtime failure, 2 invalid input.
 */
#ifndef TS_COMMANDS_H
#define TS_COMMANDS_H

#include "cli.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

int command_run(const struct cli_options *o);
int command_check(const struct cli_options *o);
int command_catalog(const struct cli_options *o);

#endif
