/*
 * cli.c - command-line parsing with getopt_long.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "util/outfile.h"

void cli_usage(FILE *out)
{
    fputs("usage: trainsim COMMAND [ARGS]\n"
          "\n"
          "Monte Carlo simulation of an AI training run: wall time, energy, CO2e and cost.\n"
          "\n"
          "commands:\n"
          "  run FILE       simulate a scenario and report the distribution of every metric\n"
          "  check FILE     validate a scenario; print it resolved (catalog values filled in)\n"
          "  catalog [accelerators|grids|facilities|equivalences|models]\n"
          "                 list what the catalogs hold\n"
          "  sweep FILE --vary PATH=V1,V2,... | PATH=START:STOP:STEP | PATH=START:STOP*FACTOR\n"
          "                 run every combination of the varied values (repeat --vary for a grid)\n"
          "  compare A.yaml B.yaml ...\n"
          "                 side by side, with the paired difference B - A and P(A < B)\n"
          "  solve FILE --vary PATH --target 'METRIC.STAT OP VALUE' [--min X] [--max Y] [--step S]\n"
          "                 [--largest]   smallest (largest) value meeting the target, e.g.\n"
          "                 --vary cluster.count --target 'wall_days.p90<=30' --step 8\n"
          "  sensitivity FILE [--metric M]... [--sobol-samples N]\n"
          "                 Spearman, tornado (P5/P95 swings) and Sobol indices of every uncertain input\n"
          "  validate [DIR] published runs (scenarios/published) against their reported figures\n"
          "  trace FILE [--sample I] [-o trace.csv] [--plot DIR]\n"
          "                 one sample's timeline, one CSV row per step (sample I as run draws it)\n"
          "  layout FILE [--stage K] [--top N]\n"
          "                 rank the valid parallel layouts of a layout-form stage (tokens/s per GPU)\n"
          "\n"
          "options (run, check):\n"
          "  --samples N        Monte Carlo samples (sim.samples)\n"
          "  --seed S           base seed (sim.seed)\n"
          "  --step-min M       step length in minutes (sim.step_min)\n"
          "  --threads T        OpenMP threads (default: all cores); results do not depend on it\n"
          "  --nominal          one sample at central values, no random events\n"
          "  --set PATH=VALUE   override a scenario value, e.g. --set cluster.count=4096,\n"
          "                     --set 'facility.pue={dist: uniform, min: 1.1, max: 1.5}'\n"
          "  --format F         table (default), json or csv; markdown for run, compare, validate\n"
          "  -o FILE            write the report to FILE (atomically) instead of standard output\n"
          "  --samples-out FILE write one CSV row per sample: drawn inputs and metrics\n"
          "  --configs DIR      read catalogs from DIR instead of the built-in copies\n"
          "                     (also TRAINSIM_CONFIGS)\n"
          "  --metric M         sweep, sensitivity: a metric to report (repeatable)\n"
          "  --plot DIR         run, sweep, compare, sensitivity, trace: write PNG and SVG charts to DIR\n"
          "  --sample I         trace: the sample to trace (default 0)\n"
          "  --stage K          layout: the stage to rank (default: the first of the layout form)\n"
          "  --top N            layout: how many layouts to show (default 20)\n"
          "  --quiet            no warnings\n"
          "  -h, --help         this text\n"
          "  --version          print the version\n"
          "\n"
          "exit codes: 0 success, 1 runtime failure (I/O), 2 usage error or invalid input\n",
          out);
}

enum { OPT_SAMPLES = 256, OPT_SEED, OPT_STEP, OPT_THREADS, OPT_NOMINAL, OPT_SET, OPT_FORMAT, OPT_SAMPLES_OUT,
       OPT_CONFIGS, OPT_QUIET, OPT_VERSION, OPT_VARY, OPT_METRIC, OPT_TARGET, OPT_MIN, OPT_MAX, OPT_STEP_SOLVE,
       OPT_LARGEST, OPT_SOBOL, OPT_SAMPLE, OPT_PLOT, OPT_STAGE, OPT_TOP };

static const struct option long_options[] = {
    { "samples", required_argument, NULL, OPT_SAMPLES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "step-min", required_argument, NULL, OPT_STEP },
    { "threads", required_argument, NULL, OPT_THREADS },
    { "nominal", no_argument, NULL, OPT_NOMINAL },
    { "set", required_argument, NULL, OPT_SET },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "output", required_argument, NULL, 'o' },
    { "samples-out", required_argument, NULL, OPT_SAMPLES_OUT },
    { "configs", required_argument, NULL, OPT_CONFIGS },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, OPT_VERSION },
    { "vary", required_argument, NULL, OPT_VARY },
    { "metric", required_argument, NULL, OPT_METRIC },
    { "target", required_argument, NULL, OPT_TARGET },
    { "min", required_argument, NULL, OPT_MIN },
    { "max", required_argument, NULL, OPT_MAX },
    { "step", required_argument, NULL, OPT_STEP_SOLVE },
    { "largest", no_argument, NULL, OPT_LARGEST },
    { "sobol-samples", required_argument, NULL, OPT_SOBOL },
    { "sample", required_argument, NULL, OPT_SAMPLE },
    { "plot", required_argument, NULL, OPT_PLOT },
    { "stage", required_argument, NULL, OPT_STAGE },
    { "top", required_argument, NULL, OPT_TOP },
    { NULL, 0, NULL, 0 },
};

static bool add_set(struct cli_options *o, const char *s)
{
    if (o->n_sets == CLI_MAX_SETS) {
        fprintf(stderr, "trainsim: error: more than %d --set options\n", CLI_MAX_SETS);
        return false;
    }
    o->sets[o->n_sets++] = s;
    return true;
}

/* --samples N and friends become --set sim.KEY=N, validated by the loader. */
static bool add_sim_set(struct cli_options *o, int slot, const char *key, const char *value)
{
    snprintf(o->set_storage[slot], sizeof o->set_storage[slot], "sim.%s=%s", key, value);
    if (strlen(value) > 40) {
        fprintf(stderr, "trainsim: error: --%s: value too long\n", key);
        return false;
    }
    return add_set(o, o->set_storage[slot]);
}

/* Whether -o or --samples-out names one of the scenario files the command reads (reported):
 * output never replaces its input, whatever the command. */
static bool writes_over_input(const struct cli_options *o)
{
    if (o->command == CLI_CATALOG || o->command == CLI_VALIDATE)
        return false; /* their arguments are a catalog name and a folder */
    for (int a = 0; a < o->n_files; a++)
        if (outfile_same_file(o->output, o->files[a]) || outfile_same_file(o->samples_out, o->files[a])) {
            fprintf(stderr, "trainsim: error: refusing to overwrite the scenario '%s' with output\n", o->files[a]);
            return true;
        }
    return false;
}

bool cli_parse(int argc, char **argv, struct cli_options *o)
{
    memset(o, 0, sizeof *o);
    o->stage = -1;
    o->configs = getenv("TRAINSIM_CONFIGS");
    if (o->configs && !*o->configs)
        o->configs = NULL;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_SAMPLES:
            if (!add_sim_set(o, 0, "samples", optarg))
                return false;
            break;
        case OPT_SEED:
            if (!add_sim_set(o, 1, "seed", optarg))
                return false;
            break;
        case OPT_STEP:
            if (!add_sim_set(o, 2, "step_min", optarg))
                return false;
            break;
        case OPT_THREADS: {
            char *end;
            const long t = strtol(optarg, &end, 10);
            if (end == optarg || *end || t < 1 || t > 4096) {
                fprintf(stderr, "trainsim: error: --threads: expected a whole number in [1, 4096], got '%s'\n", optarg);
                return false;
            }
            o->threads = (int)t;
            break;
        }
        case OPT_NOMINAL:
            o->nominal = true;
            break;
        case OPT_SET:
            if (!add_set(o, optarg))
                return false;
            break;
        case OPT_FORMAT:
            o->format = optarg;
            break;
        case 'o':
            o->output = optarg;
            break;
        case OPT_SAMPLES_OUT:
            o->samples_out = optarg;
            break;
        case OPT_CONFIGS:
            o->configs = optarg;
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        case OPT_VARY:
            if (o->n_vary == CLI_MAX_VARY) {
                fprintf(stderr, "trainsim: error: more than %d --vary options\n", CLI_MAX_VARY);
                return false;
            }
            o->vary[o->n_vary++] = optarg;
            break;
        case OPT_METRIC:
            if (o->n_metrics == CLI_MAX_METRICS) {
                fprintf(stderr, "trainsim: error: more than %d --metric options\n", CLI_MAX_METRICS);
                return false;
            }
            o->metrics[o->n_metrics++] = optarg;
            break;
        case OPT_TARGET:
            o->target = optarg;
            break;
        case OPT_MIN:
            o->min = optarg;
            break;
        case OPT_MAX:
            o->max = optarg;
            break;
        case OPT_STEP_SOLVE:
            o->step = optarg;
            break;
        case OPT_LARGEST:
            o->largest = true;
            break;
        case OPT_SOBOL:
        case OPT_SAMPLE: {
            char *end;
            const long v = strtol(optarg, &end, 10);
            const long lo = c == OPT_SOBOL ? 8 : 0;
            if (end == optarg || *end || v < lo || v > 100000000) {
                fprintf(stderr, "trainsim: error: --%s: expected a whole number in [%ld, 1e8], got '%s'\n",
                        c == OPT_SOBOL ? "sobol-samples" : "sample", lo, optarg);
                return false;
            }
            if (c == OPT_SOBOL)
                o->sobol_samples = v;
            else
                o->sample_index = v;
            break;
        }
        case OPT_PLOT:
            o->plot_dir = optarg;
            break;
        case OPT_STAGE:
        case OPT_TOP: {
            char *end;
            const long v = strtol(optarg, &end, 10);
            const long lo = c == OPT_STAGE ? 0 : 1;
            if (end == optarg || *end || v < lo || v > 100000) {
                fprintf(stderr, "trainsim: error: --%s: expected a whole number in [%ld, 100000], got '%s'\n",
                        c == OPT_STAGE ? "stage" : "top", lo, optarg);
                return false;
            }
            if (c == OPT_STAGE)
                o->stage = (int)v;
            else
                o->top = (int)v;
            break;
        }
        case 'h':
            o->command = CLI_HELP;
            return true;
        case OPT_VERSION:
            o->command = CLI_VERSION;
            return true;
        case ':':
            fprintf(stderr, "trainsim: error: option '%s' needs a value\n", argv[optind - 1]);
            return false;
        default:
            fprintf(stderr, "trainsim: error: unknown option '%s' (see trainsim --help)\n", argv[optind - 1]);
            return false;
        }
    }
    if (optind >= argc) {
        fputs("trainsim: error: no command given (see trainsim --help)\n", stderr);
        return false;
    }
    const char *cmd = argv[optind++];
    /* name, command, least and most positional arguments */
    static const struct {
        const char *name;
        enum cli_command command;
        int min_args, max_args;
        const char *what;
    } commands[] = {
        { "run", CLI_RUN, 1, 1, "one scenario file" },
        { "check", CLI_CHECK, 1, 1, "one scenario file" },
        { "catalog", CLI_CATALOG, 0, 1, "at most one catalog name" },
        { "sweep", CLI_SWEEP, 1, 1, "one scenario file" },
        { "compare", CLI_COMPARE, 2, CLI_MAX_FILES, "two or more scenario files" },
        { "solve", CLI_SOLVE, 1, 1, "one scenario file" },
        { "sensitivity", CLI_SENSITIVITY, 1, 1, "one scenario file" },
        { "validate", CLI_VALIDATE, 0, 1, "at most one folder" },
        { "trace", CLI_TRACE, 1, 1, "one scenario file" },
        { "layout", CLI_LAYOUT, 1, 1, "one scenario file" },
        { "help", CLI_HELP, 0, 0, "no arguments" },
    };
    const int n_args = argc - optind;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name) != 0)
            continue;
        if (n_args < commands[i].min_args || n_args > commands[i].max_args) {
            fprintf(stderr, "trainsim: error: %s takes %s, got %d argument%s\n", cmd, commands[i].what, n_args,
                    n_args == 1 ? "" : "s");
            return false;
        }
        o->command = commands[i].command;
        for (int a = 0; a < n_args; a++)
            o->files[o->n_files++] = argv[optind + a];
        return !writes_over_input(o);
    }
    fprintf(stderr, "trainsim: error: unknown command '%s' (expected run, check, catalog, sweep, compare, solve, "
                    "sensitivity, validate, trace or layout)\n", cmd);
    return false;
}
