/*
 * cli.c - command-line parsing with getopt_long.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

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
          "\n"
          "options (run, check):\n"
          "  --samples N        Monte Carlo samples (sim.samples)\n"
          "  --seed S           base seed (sim.seed)\n"
          "  --step-min M       step length in minutes (sim.step_min)\n"
          "  --threads T        OpenMP threads (default: all cores); results do not depend on it\n"
          "  --nominal          one sample at central values, no random events\n"
          "  --set PATH=VALUE   override a scenario value, e.g. --set cluster.count=4096,\n"
          "                     --set 'facility.pue={dist: uniform, min: 1.1, max: 1.5}'\n"
          "  --format F         table (default), json or csv\n"
          "  -o FILE            write the report to FILE (atomically) instead of standard output\n"
          "  --samples-out FILE write one CSV row per sample: drawn inputs and metrics\n"
          "  --configs DIR      read catalogs from DIR instead of the built-in copies\n"
          "                     (also TRAINSIM_CONFIGS)\n"
          "  --quiet            no warnings\n"
          "  -h, --help         this text\n"
          "  --version          print the version\n"
          "\n"
          "exit codes: 0 success, 1 runtime failure (I/O), 2 usage error or invalid input\n",
          out);
}

enum { OPT_SAMPLES = 256, OPT_SEED, OPT_STEP, OPT_THREADS, OPT_NOMINAL, OPT_SET, OPT_FORMAT, OPT_SAMPLES_OUT,
       OPT_CONFIGS, OPT_QUIET, OPT_VERSION };

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

bool cli_parse(int argc, char **argv, struct cli_options *o)
{
    memset(o, 0, sizeof *o);
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
    const int n_args = argc - optind;
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "check") == 0) {
        o->command = cmd[0] == 'r' ? CLI_RUN : CLI_CHECK;
        if (n_args != 1) {
            fprintf(stderr, "trainsim: error: %s takes one scenario file, got %d arguments\n", cmd, n_args);
            return false;
        }
        o->file = argv[optind];
    } else if (strcmp(cmd, "catalog") == 0) {
        o->command = CLI_CATALOG;
        if (n_args > 1) {
            fprintf(stderr, "trainsim: error: catalog takes at most one name, got %d\n", n_args);
            return false;
        }
        o->catalog_name = n_args ? argv[optind] : NULL;
    } else if (strcmp(cmd, "help") == 0) {
        o->command = CLI_HELP;
    } else {
        fprintf(stderr, "trainsim: error: unknown command '%s' (expected run, check or catalog)\n", cmd);
        return false;
    }
    return true;
}
