/*
 * cli.h - argv -> struct cli_options, driven by the command table of cmdtable.c.
 *
 * One table (git's cmd_struct, Redis's command table) says, for every command, its name,
 * its positional arguments, the options it accepts, its formats, its handler, its one-line
 * help and an example; the option table says each option's name, argument and help. The
 * parser, the usage texts (global and per command), the unknown-command message and the
 * "does not take" refusals are all generated from them, so they cannot drift.
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
    CLI_TRACE, CLI_LAYOUT, CLI_SCHEMA, CLI_HELP, CLI_VERSION
};

/* Every option; keep in sync with cli_option_table[] in cmdtable.c -- grep OPTION_ORDER */
enum cli_option {
    OPT_SAMPLES, OPT_SEED, OPT_STEP_MIN, OPT_THREADS, OPT_NOMINAL, OPT_SET, OPT_VARY, OPT_TARGET, OPT_MIN, OPT_MAX,
    OPT_STEP, OPT_LARGEST, OPT_METRIC, OPT_SOBOL_SAMPLES, OPT_SAMPLE, OPT_STAGE, OPT_TOP, OPT_FORMAT, OPT_OUTPUT, OPT_SAMPLES_OUT,
    OPT_PLOT, OPT_CONFIGS, OPT_QUIET, OPT_HELP, OPT_VERSION, OPT_COUNT
};
#define OPT_BIT(id) (1ul << (id))

enum { CLI_MAX_SETS = 256, CLI_MAX_FILES = 64, CLI_MAX_VARY = 8, CLI_MAX_METRICS = 32 };

struct cli_options;

struct cli_option_info {
    const char *name;   /* long name without "--" */
    char short_name;    /* 'o', or 0 */
    const char *arg;    /* argument's name in usage, NULL for a flag */
    const char *help;   /* one line */
};

struct cli_command_info {
    const char *name;
    enum cli_command command;
    int min_args, max_args;
    const char *args;          /* synopsis of the positional arguments, e.g. "FILE" */
    const char *args_what;     /* for arity errors: "one scenario file" */
    unsigned long options;     /* OPT_BIT()s of the options it accepts */
    const char *const *formats; /* --format values, the default first; NULL-terminated; NULL: none */
    int (*handler)(const struct cli_options *o);
    const char *help;          /* one line */
    const char *example;       /* one command line */
};

struct cli_options {
    enum cli_command command;
    const struct cli_command_info *info; /* the command's table entry; NULL for --help/--version alone */
    const struct cli_command_info *help_topic; /* help COMMAND, COMMAND --help */
    const char *help_subject;         /* help scenario | metrics: the reference tables */
    unsigned long given;              /* OPT_BIT()s of the options on the command line */
    const char *files[CLI_MAX_FILES]; /* positional arguments after the command */
    int n_files;
    const char *sets[CLI_MAX_SETS];   /* --set values, plus --samples/--seed/--step-min as sim.* */
    int n_sets;
    char set_storage[3][64];          /* text of the sim.* overrides made from --samples etc. */
    const char *vary[CLI_MAX_VARY];   /* sweep, solve: --vary */
    int n_vary;
    const char *metrics[CLI_MAX_METRICS]; /* run, sweep, compare, sensitivity: --metric */
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
    const char *format;               /* --format, else from -o's extension, else the command's default */
    const char *output;               /* -o FILE, NULL = stdout */
    const char *samples_out;          /* --samples-out FILE */
    const char *configs;              /* --configs DIR (or TRAINSIM_CONFIGS) */
};

/* The tables (cmdtable.c). */
extern const struct cli_option_info cli_option_table[OPT_COUNT];
extern const struct cli_command_info cli_command_table[];
extern const int cli_n_commands;

/* The command called name, or NULL. */
const struct cli_command_info *cli_command_find(const char *name);

/* Parses argv into *o. On a usage error prints a message to stderr and returns false. */
bool cli_parse(int argc, char **argv, struct cli_options *o);

/* The global --help text. */
void cli_usage(FILE *out);

/* One command's help: synopsis, one line, every option it takes, an example. */
void cli_command_usage(FILE *out, const struct cli_command_info *c);

/* The --version text: version, git commit, features compiled in. */
void cli_version(FILE *out);

#endif
