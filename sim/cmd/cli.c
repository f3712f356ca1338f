/*
 * cli.c - command-line parsing with getopt_long, usage texts and --version, all generated
 * from the tables of cmdtable.c.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sample/montecarlo.h"
#include "util/buildinfo.h"
#include "util/outfile.h"

const struct cli_command_info *cli_command_find(const char *name)
{
    for (int i = 0; i < cli_n_commands; i++)
        if (strcmp(cli_command_table[i].name, name) == 0)
            return &cli_command_table[i];
    return NULL;
}

/* "  -o, --output FILE" or "  --samples N", padded to the help column. */
static void put_option(FILE *out, int id)
{
    const struct cli_option_info *op = &cli_option_table[id];
    char head[96];
    if (op->short_name)
        snprintf(head, sizeof head, "-%c, --%s%s%s", op->short_name, op->name, op->arg ? " " : "", op->arg ? op->arg : "");
    else
        snprintf(head, sizeof head, "--%s%s%s", op->name, op->arg ? " " : "", op->arg ? op->arg : "");
    if (strlen(head) > 22)
        fprintf(out, "  %s\n  %-22s %s\n", head, "", op->help);
    else
        fprintf(out, "  %-22s %s\n", head, op->help);
}

static void put_formats(FILE *out, const char *const *formats, const char *sep, const char *last)
{
    for (int i = 0; formats[i]; i++)
        fprintf(out, "%s%s", i == 0 ? "" : formats[i + 1] ? sep : last, formats[i]);
}

void cli_usage(FILE *out)
{
    fputs("usage: trainsim COMMAND [ARGS] [OPTIONS]\n"
          "\n"
          "Monte Carlo simulation of an AI training run: wall time, energy, CO2e and cost.\n"
          "\n"
          "commands:\n",
          out);
    for (int i = 0; i < cli_n_commands; i++) {
        const struct cli_command_info *c = &cli_command_table[i];
        char head[160];
        snprintf(head, sizeof head, "%s %s", c->name, c->args);
        if (strlen(head) > 22)
            fprintf(out, "  %s\n  %-22s %s\n", head, "", c->help);
        else
            fprintf(out, "  %-22s %s\n", head, c->help);
    }
    fputs("\noptions (under each, the commands that take it):\n", out);
    for (int id = 0; id < OPT_COUNT; id++) {
        put_option(out, id);
        if (id == OPT_HELP || id == OPT_VERSION)
            continue;
        fprintf(out, "  %-22s (", "");
        int n = 0;
        for (int i = 0; i < cli_n_commands; i++)
            if (cli_command_table[i].options & OPT_BIT(id))
                fprintf(out, "%s%s", n++ ? ", " : "", cli_command_table[i].name);
        fputs(")\n", out);
    }
    fputs("\nexit codes: 0 success, 1 runtime failure (I/O), 2 usage error or invalid input\n"
          "'trainsim help COMMAND' (or 'trainsim COMMAND --help') shows one command's options and an example;\n"
          "'trainsim help scenario' every scenario key, 'trainsim help metrics' every metric.\n",
          out);
}

void cli_command_usage(FILE *out, const struct cli_command_info *c)
{
    fprintf(out, "usage: trainsim %s%s%s [OPTIONS]\n\n%s\n\noptions:\n", c->name, *c->args ? " " : "", c->args,
            c->help);
    for (int id = 0; id < OPT_COUNT; id++)
        if (c->options & OPT_BIT(id))
            put_option(out, id);
    if (c->formats) {
        fputs("\nformats: ", out);
        put_formats(out, c->formats, ", ", ", ");
        fputs(" (the first is the default)\n", out);
    }
    fprintf(out, "\nexample:\n  %s\n", c->example);
}

void cli_version(FILE *out)
{
    fprintf(out, "trainsim %s\n", TRAINSIM_VERSION);
    fprintf(out, "commit: %s\n", build_commit());
    fprintf(out, "features: MPI %s, PLplot %s, OpenMP %s (%d threads)\n", build_has_mpi() ? "yes" : "no",
            build_has_plplot() ? "yes" : "no", build_has_openmp() ? "yes" : "no", montecarlo_threads(0));
}

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

static bool parse_long(const char *name, const char *arg, long lo, long hi, const char *range, long *out)
{
    char *end;
    const long v = strtol(arg, &end, 10);
    if (end == arg || *end || v < lo || v > hi) {
        fprintf(stderr, "trainsim: error: --%s: expected a whole number in %s, got '%s'\n", name, range, arg);
        return false;
    }
    *out = v;
    return true;
}

/* Whether -o or --samples-out names one of the scenario files the command reads (reported):
 * output never replaces its input, whatever the command. */
static bool writes_over_input(const struct cli_options *o)
{
    if (o->command == CLI_CATALOG || o->command == CLI_VALIDATE || o->command == CLI_HELP)
        return false; /* their arguments are a catalog name, a folder, a command */
    for (int a = 0; a < o->n_files; a++)
        if (outfile_same_file(o->output, o->files[a]) || outfile_same_file(o->samples_out, o->files[a])) {
            fprintf(stderr, "trainsim: error: refusing to overwrite the scenario '%s' with output\n", o->files[a]);
            return true;
        }
    return false;
}

/* The format named by path's extension (.json, .csv, .md), or NULL. */
static const char *format_of_name(const char *path)
{
    static const struct { const char *ext, *format; } by_ext[] = {
        { ".json", "json" }, { ".csv", "csv" }, { ".md", "markdown" }, { ".markdown", "markdown" },
        { ".txt", "table" },
    };
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < sizeof by_ext / sizeof by_ext[0]; i++)
        if (strcmp(dot, by_ext[i].ext) == 0)
            return by_ext[i].format;
    return NULL;
}

static bool offers_format(const struct cli_command_info *c, const char *format)
{
    for (int i = 0; c->formats && c->formats[i]; i++)
        if (strcmp(c->formats[i], format) == 0)
            return true;
    return false;
}

/* --format, else -o's extension when the command writes that format, else the default. */
static bool pick_format(struct cli_options *o)
{
    const struct cli_command_info *c = o->info;
    if (!c->formats)
        return true; /* --format is refused with the other options it does not take */
    if (o->format) {
        if (offers_format(c, o->format))
            return true;
        fprintf(stderr, "trainsim: error: --format: unknown format '%s' (expected ", o->format);
        put_formats(stderr, c->formats, ", ", ", ");
        fputs(")\n", stderr);
        return false;
    }
    const char *by_name = format_of_name(o->output);
    o->format = by_name && offers_format(c, by_name) ? by_name : c->formats[0];
    return true;
}

/* The options given that c does not take: a usage error naming the command. */
static bool refuse_options(const struct cli_options *o, const struct cli_command_info *c)
{
    for (int id = 0; id < OPT_COUNT; id++) {
        if (!(o->given & OPT_BIT(id)) || (c->options & OPT_BIT(id)))
            continue;
        const char *name = cli_option_table[id].name;
        fprintf(stderr, "trainsim: error: %s does not take --%s", c->name, name);
        /* --sample for --samples, --step for --step-min: a name one is the start of the other */
        for (int k = 0; k < OPT_COUNT; k++) {
            const char *other = cli_option_table[k].name;
            const size_t n = strlen(name) < strlen(other) ? strlen(name) : strlen(other);
            if (k != id && (c->options & OPT_BIT(k)) && strncmp(name, other, n) == 0) {
                fprintf(stderr, " (did you mean --%s?)", other);
                break;
            }
        }
        fprintf(stderr, " (see trainsim help %s)\n", c->name);
        return false;
    }
    if ((o->given & OPT_BIT(OPT_NOMINAL)) && (o->given & OPT_BIT(OPT_SAMPLES))) {
        fprintf(stderr, "trainsim: error: %s: --nominal runs one sample at central values; --samples cannot be given "
                        "with it\n", c->name);
        return false;
    }
    if ((o->given & OPT_BIT(OPT_NOMINAL)) && (o->given & OPT_BIT(OPT_SAMPLE))) {
        fprintf(stderr, "trainsim: error: %s: --nominal traces the central values; --sample cannot be given with it\n",
                c->name);
        return false;
    }
    return true;
}

static void unknown_command(const char *cmd)
{
    fprintf(stderr, "trainsim: error: unknown command '%s' (expected ", cmd);
    int n = 0;
    for (int i = 0; i < cli_n_commands; i++)
        n += cli_command_table[i].handler != NULL;
    for (int i = 0, k = 0; i < cli_n_commands; i++) {
        if (!cli_command_table[i].handler)
            continue; /* help */
        fprintf(stderr, "%s%s", k == 0 ? "" : k == n - 1 ? " or " : ", ", cli_command_table[i].name);
        k++;
    }
    fputs(")\n", stderr);
}

bool cli_parse(int argc, char **argv, struct cli_options *o)
{
    memset(o, 0, sizeof *o);
    o->stage = -1;
    o->configs = getenv("TRAINSIM_CONFIGS");
    if (o->configs && !*o->configs)
        o->configs = NULL;
    struct option long_options[OPT_COUNT + 1];
    for (int id = 0; id < OPT_COUNT; id++)
        long_options[id] = (struct option){ cli_option_table[id].name,
                                            cli_option_table[id].arg ? required_argument : no_argument, NULL, 256 + id };
    long_options[OPT_COUNT] = (struct option){ NULL, 0, NULL, 0 };
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", long_options, NULL)) != -1) {
        if (c == 'h')
            c = 256 + OPT_HELP;
        else if (c == 'o')
            c = 256 + OPT_OUTPUT;
        if (c == ':') {
            fprintf(stderr, "trainsim: error: option '%s' needs a value\n", argv[optind - 1]);
            return false;
        }
        if (c < 256 || c >= 256 + OPT_COUNT) {
            fprintf(stderr, "trainsim: error: unknown option '%s' (see trainsim --help)\n", argv[optind - 1]);
            return false;
        }
        const int id = c - 256;
        o->given |= OPT_BIT(id);
        long v;
        switch ((enum cli_option)id) {
        case OPT_SAMPLES:
            if (!add_sim_set(o, 0, "samples", optarg))
                return false;
            break;
        case OPT_SEED:
            if (!add_sim_set(o, 1, "seed", optarg))
                return false;
            break;
        case OPT_STEP_MIN:
            if (!add_sim_set(o, 2, "step_min", optarg))
                return false;
            break;
        case OPT_THREADS:
            if (!parse_long("threads", optarg, 1, 4096, "[1, 4096]", &v))
                return false;
            o->threads = (int)v;
            break;
        case OPT_NOMINAL:
            o->nominal = true;
            break;
        case OPT_SET:
            if (!add_set(o, optarg))
                return false;
            break;
        case OPT_VARY:
            if (o->n_vary == CLI_MAX_VARY) {
                fprintf(stderr, "trainsim: error: more than %d --vary options\n", CLI_MAX_VARY);
                return false;
            }
            o->vary[o->n_vary++] = optarg;
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
        case OPT_STEP:
            o->step = optarg;
            break;
        case OPT_LARGEST:
            o->largest = true;
            break;
        case OPT_METRIC:
            if (o->n_metrics == CLI_MAX_METRICS) {
                fprintf(stderr, "trainsim: error: more than %d --metric options\n", CLI_MAX_METRICS);
                return false;
            }
            o->metrics[o->n_metrics++] = optarg;
            break;
        case OPT_SOBOL_SAMPLES:
            if (!parse_long("sobol-samples", optarg, 8, 100000000, "[8, 1e8]", &o->sobol_samples))
                return false;
            break;
        case OPT_SAMPLE:
            if (!parse_long("sample", optarg, 0, 100000000, "[0, 1e8]", &o->sample_index))
                return false;
            break;
        case OPT_STAGE:
            if (!parse_long("stage", optarg, 0, 1000, "[0, 1000]", &v))
                return false;
            o->stage = (int)v;
            break;
        case OPT_TOP:
            if (!parse_long("top", optarg, 1, 100000, "[1, 100000]", &v))
                return false;
            o->top = (int)v;
            break;
        case OPT_FORMAT:
            o->format = optarg;
            break;
        case OPT_OUTPUT:
            o->output = optarg;
            break;
        case OPT_SAMPLES_OUT:
            o->samples_out = optarg;
            break;
        case OPT_PLOT:
            o->plot_dir = optarg;
            break;
        case OPT_CONFIGS:
            o->configs = optarg;
            break;
        case OPT_QUIET:
            o->quiet = true;
            break;
        case OPT_HELP:
        case OPT_VERSION:
        case OPT_COUNT:
            break;
        }
    }
    const bool want_help = o->given & OPT_BIT(OPT_HELP);
    if (optind >= argc) {
        if (want_help || (o->given & OPT_BIT(OPT_VERSION))) {
            o->command = want_help ? CLI_HELP : CLI_VERSION;
            return true;
        }
        fputs("trainsim: error: no command given (see trainsim --help)\n", stderr);
        return false;
    }
    const char *cmd = argv[optind++];
    const struct cli_command_info *info = cli_command_find(cmd);
    if (!info) {
        unknown_command(cmd);
        return false;
    }
    o->info = info;
    o->command = info->command;
    const int n_args = argc - optind;
    if (want_help) { /* COMMAND --help, whatever else is on the line */
        o->command = CLI_HELP;
        o->help_topic = info->command == CLI_HELP ? NULL : info;
        return true;
    }
    if (n_args < info->min_args || n_args > info->max_args) {
        fprintf(stderr, "trainsim: error: %s takes %s, got %d argument%s\n", cmd, info->args_what, n_args,
                n_args == 1 ? "" : "s");
        return false;
    }
    for (int a = 0; a < n_args; a++)
        o->files[o->n_files++] = argv[optind + a];
    if (info->command == CLI_HELP && n_args == 1) {
        o->help_topic = cli_command_find(o->files[0]);
        if (!o->help_topic && (strcmp(o->files[0], "scenario") == 0 || strcmp(o->files[0], "metrics") == 0)) {
            o->help_subject = o->files[0];
            return true;
        }
        if (!o->help_topic) {
            unknown_command(o->files[0]);
            return false;
        }
        if (o->help_topic->command == CLI_HELP)
            o->help_topic = NULL; /* help help: the global text */
    }
    if (!refuse_options(o, info) || !pick_format(o))
        return false;
    return !writes_over_input(o);
}
