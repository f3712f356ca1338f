/*
 * cli.h - argv -> struct cli_options (getopt_long), and the usage text.
 *
 * Option-setting only: values are checked where they are used (the loader validates
 * --set, --samples, --seed and --step-min like any other scenario value, because they are
 * turned into --set overrides of sim.*; the planning commands check --vary and --target).
 */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum cli_command {
    CLI_NONE, CLI_RUN, CLI_CHECK, CLI_CATALOG, CLI_SWEEP, CLI_COMPARE, CLI_SOLVE, CLI_SENSITIVITY, CLI_VALIDATE,
    CLI_TRACE, CLI_LAYOUT, CLI_HELP, CLI_VERSION
};

enum { CLI_MAX_SETS = 256, CLI_MAX_FILES = 64, CLI_MAX_VARY = 8, CLI_MAX_METRICS = 32 };

struct cli_options {
    enum cli_command command;
    const char *files[CLI_MAX_FILES]; /* positional arguments after the command */
    int n_files;
    const char *sets[CLI_MAX_SETS];   /* --set values, plus --samples/--seed/--step-min as sim.* */
    int n_sets;
    char set_storage[3][64];          /* text of the sim.* overrides made from --samples etc. */
    const char *vary[CLI_MAX_VARY];   /* sweep, solve: --vary */
    int n_vary;
    const char *metrics[CLI_MAX_METRICS]; /* sweep, sensitivity: --metric */
    int n_metrics;
    const char *target;               /* solve: --target 'METRIC.STAT OP VALUE' */
    const char *min, *max, *step;     /* solve: --min, --max, --step (text, parsed by solve) */
    bool largest;                     /* solve: --largest */
    long sobol_samples;               /* sensitivity: --sobol-samples (0 = default) */
    long sample_index;                /* trace: --sample */
    int stage;                        /* layout: --stage K (-1 = the first layout stage) */
    int top;                          /* layout: --top N (0 = default) */
    const char *plot_dir;             /* --plot DIR */
    int threads;                      /* 0 = all */
    bool nominal;
    bool quiet;
    const char *format;               /* NULL = table */
    const char *output;               /* -o FILE, NULL = stdout */
    const char *samples_out;          /* --samples-out FILE */
    const char *configs;              /* --configs DIR (or TRAINSIM_CONFIGS) */
};

/* Parses argv into *o. On a usage error prints a message to stderr and returns false. */
bool cli_parse(int argc, char **argv, struct cli_options *o);

/* The --help text. */
void cli_usage(FILE *out);

#endif
