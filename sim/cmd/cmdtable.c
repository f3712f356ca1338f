/*
 * cmdtable.c - the command table and the option table: the one source of the parser, the
 * usage texts, the refusals and (tested) the man page and completions. cli.c reads them.
 */
#include "cli.h"

#include "commands.h"
#include "layout_cmd.h"
#include "plan.h"
#include "trace.h"
#include "validate.h"

/* keep in sync with enum cli_option -- grep OPTION_ORDER */
const struct cli_option_info cli_option_table[OPT_COUNT] = {
    [OPT_SAMPLES] = { "samples", 0, "N", "Monte Carlo samples (sets sim.samples)" },
    [OPT_SEED] = { "seed", 0, "S", "base seed (sets sim.seed)" },
    [OPT_STEP_MIN] = { "step-min", 0, "M", "step length in minutes (sets sim.step_min)" },
    [OPT_THREADS] = { "threads", 0, "T", "OpenMP threads (default: all cores); results do not depend on it" },
    [OPT_NOMINAL] = { "nominal", 0, NULL, "one sample at central values, no random events" },
    [OPT_SET] = { "set", 0, "PATH=VALUE", "override a scenario value, e.g. --set cluster.count=4096 (repeatable)" },
    [OPT_VARY] = { "vary", 0, "PATH=VALUES", "sweep: PATH=V1,V2,... | START:STOP:STEP | START:STOP*FACTOR (repeatable); "
                                             "solve: PATH only" },
    [OPT_TARGET] = { "target", 0, "'METRIC.STAT OP VALUE'", "solve: the target, e.g. 'wall_days.p90<=30' (OP is <= or >=)" },
    [OPT_MIN] = { "min", 0, "X", "solve: lowest value searched" },
    [OPT_MAX] = { "max", 0, "Y", "solve: highest value searched" },
    [OPT_STEP] = { "step", 0, "S", "solve: resolution of the answer" },
    [OPT_LARGEST] = { "largest", 0, NULL, "solve: the largest value meeting the target instead of the smallest" },
    [OPT_METRIC] = { "metric", 0, "M", "a metric to report, e.g. wall_days (repeatable; default: all or the main four)" },
    [OPT_SOBOL_SAMPLES] = { "sobol-samples", 0, "N", "sensitivity: N of the Saltelli design, (k + 2) N runs (default 512)" },
    [OPT_SAMPLE] = { "sample", 0, "I", "trace: the sample to trace, as run draws it (default 0)" },
    [OPT_STAGE] = { "stage", 0, "K", "layout: the stage to rank (default: the first of the layout form)" },
    [OPT_TOP] = { "top", 0, "N", "layout: how many layouts to show (default 20)" },
    [OPT_FORMAT] = { "format", 0, "F", "output format (default: from -o's extension .json/.csv/.md, else the first listed)" },
    [OPT_OUTPUT] = { "output", 'o', "FILE", "write to FILE as '>' would (atomically for files; - is standard output)" },
    [OPT_SAMPLES_OUT] = { "samples-out", 0, "FILE", "write one CSV row per sample: drawn inputs and metrics" },
    [OPT_PLOT] = { "plot", 0, "DIR", "write PNG and SVG charts to DIR (created; checked before any work)" },
    [OPT_CONFIGS] = { "configs", 0, "DIR", "read catalogs from DIR instead of the built-in copies (also TRAINSIM_CONFIGS)" },
    [OPT_QUIET] = { "quiet", 0, NULL, "no warnings, no progress" },
    [OPT_HELP] = { "help", 'h', NULL, "this command's help" },
    [OPT_VERSION] = { "version", 0, NULL, "print the version, git commit and compiled-in features" },
};

/* Options every command that loads scenarios takes. */
#define LOAD (OPT_BIT(OPT_SET) | OPT_BIT(OPT_SAMPLES) | OPT_BIT(OPT_SEED) | OPT_BIT(OPT_STEP_MIN) | \
              OPT_BIT(OPT_CONFIGS) | OPT_BIT(OPT_QUIET))
#define MC (OPT_BIT(OPT_THREADS) | OPT_BIT(OPT_NOMINAL))
#define OUT (OPT_BIT(OPT_FORMAT) | OPT_BIT(OPT_OUTPUT))
#define ALWAYS OPT_BIT(OPT_HELP)

static const char *const formats_report[] = { "table", "json", "csv", "markdown", NULL };
static const char *const formats_plan[] = { "table", "json", "csv", NULL };
static const char *const formats_csv[] = { "csv", NULL };

const struct cli_command_info cli_command_table[] = {
    { "run", CLI_RUN, 1, 1, "FILE", "one scenario file",
      ALWAYS | LOAD | MC | OUT | OPT_BIT(OPT_METRIC) | OPT_BIT(OPT_SAMPLES_OUT) | OPT_BIT(OPT_PLOT), formats_report,
      command_run, "simulate a scenario (FILE, or - for standard input) and report every metric's distribution",
      "trainsim run scenarios/deepseek-v3-h800.yaml --samples 2000 -o out.json" },
    { "check", CLI_CHECK, 1, 1, "FILE", "one scenario file", ALWAYS | LOAD | OPT_BIT(OPT_OUTPUT), NULL, command_check,
      "validate a scenario; print it resolved (catalog values filled in) and its warnings",
      "trainsim check scenarios/deepseek-v3-h800.yaml --set cluster.count=4096" },
    { "catalog", CLI_CATALOG, 0, 1, "[accelerators|grids|facilities|equivalences|models|prices|KEY]", "at most one catalog name",
      ALWAYS | OUT | OPT_BIT(OPT_CONFIGS), formats_plan, command_catalog,
      "list what the catalogs hold (all of them without an argument); a key or name (US-VA, Norway) prints one entry", "trainsim catalog accelerators --format csv" },
    { "sweep", CLI_SWEEP, 1, 1, "FILE --vary PATH=VALUES...", "one scenario file",
      ALWAYS | LOAD | MC | OUT | OPT_BIT(OPT_VARY) | OPT_BIT(OPT_METRIC) | OPT_BIT(OPT_PLOT), formats_plan, plan_sweep,
      "run every combination of the varied values (repeat --vary for a grid)",
      "trainsim sweep scenarios/deepseek-v3-h800.yaml --vary cluster.count=1024,2048,4096" },
    { "compare", CLI_COMPARE, 2, CLI_MAX_FILES, "A.yaml B.yaml...", "two or more scenario files",
      ALWAYS | LOAD | MC | OUT | OPT_BIT(OPT_METRIC) | OPT_BIT(OPT_PLOT), formats_report, plan_compare,
      "side by side, with each paired difference against the first and P(first < other)",
      "trainsim compare scenarios/deepseek-v3-h800.yaml scenarios/h100-1024-70b-us.yaml --samples 500" },
    { "solve", CLI_SOLVE, 1, 1, "FILE --vary PATH --target 'METRIC.STAT OP VALUE'", "one scenario file",
      ALWAYS | LOAD | MC | OUT | OPT_BIT(OPT_VARY) | OPT_BIT(OPT_TARGET) | OPT_BIT(OPT_MIN) | OPT_BIT(OPT_MAX) |
          OPT_BIT(OPT_STEP) | OPT_BIT(OPT_LARGEST),
      formats_plan, plan_solve, "the smallest (or --largest) value of a parameter meeting a target",
      "trainsim solve scenarios/deepseek-v3-h800.yaml --vary cluster.count --target 'wall_days.p90<=30' --step 8" },
    { "sensitivity", CLI_SENSITIVITY, 1, 1, "FILE", "one scenario file",
      ALWAYS | LOAD | OUT | OPT_BIT(OPT_THREADS) | OPT_BIT(OPT_METRIC) | OPT_BIT(OPT_SOBOL_SAMPLES) | OPT_BIT(OPT_PLOT),
      formats_plan, plan_sensitivity, "Spearman, tornado and Sobol indices of every uncertain input; elasticity (+-10 %) of every numeric input",
      "trainsim sensitivity scenarios/deepseek-v3-h800.yaml --metric total_co2e_kg" },
    { "validate", CLI_VALIDATE, 0, 1, "[DIR]", "at most one folder", ALWAYS | LOAD | OUT | OPT_BIT(OPT_THREADS),
      formats_report, validate_command, "published runs (default scenarios/published) against their reported figures",
      "trainsim validate scenarios/published --format markdown" },
    { "trace", CLI_TRACE, 1, 1, "FILE", "one scenario file",
      ALWAYS | (LOAD & ~OPT_BIT(OPT_SAMPLES)) | OPT_BIT(OPT_NOMINAL) | OUT | OPT_BIT(OPT_SAMPLE) | OPT_BIT(OPT_PLOT),
      formats_csv, trace_command, "one sample's timeline, one CSV row per step (sample I as run draws it)",
      "trainsim trace scenarios/deepseek-v3-h800.yaml --sample 3 -o trace.csv" },
    { "layout", CLI_LAYOUT, 1, 1, "FILE", "one scenario file",
      ALWAYS | (LOAD & ~OPT_BIT(OPT_SAMPLES) & ~OPT_BIT(OPT_SEED)) | OUT | OPT_BIT(OPT_STAGE) | OPT_BIT(OPT_TOP) |
          OPT_BIT(OPT_PLOT),
      formats_plan, layout_command, "rank the valid parallel layouts of a layout-form stage by tokens/s per GPU",
      "trainsim layout scenarios/deepseek-v3-h800-layout.yaml --top 10" },
    { "schema", CLI_SCHEMA, 0, 0, "", "no arguments", ALWAYS | OPT_BIT(OPT_OUTPUT) | OPT_BIT(OPT_CONFIGS), NULL,
      command_schema, "print the JSON Schema (draft 2020-12) of scenario files, generated from the loader's key tables",
      "trainsim schema -o docs/scenario.schema.json" },
    { "help", CLI_HELP, 0, 1, "[COMMAND|scenario|metrics]", "at most one command name", ALWAYS, NULL, NULL,
      "this text, one command's options, every scenario key or every metric", "trainsim help run" },
};

const int cli_n_commands = (int)(sizeof cli_command_table / sizeof cli_command_table[0]);
