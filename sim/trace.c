/*
 * trace.c - one sample's timeline. (Placeholder until the implementation lands.)
 */
#include "trace.h"

#include <stdio.h>

#include "commands.h"

int trace_command(const struct cli_options *o)
{
    (void)o;
    fputs("trainsim: error: trace is not available yet\n", stderr);
    return EXIT_INPUT;
}
