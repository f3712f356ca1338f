/*
 * main.c - trainsim's entry point: parse the command line, run one command, map the
 * outcome to an exit code (0 success, 1 runtime failure, 2 usage or invalid input).
 *
 * The commands are the rows of cmd/cmdtable.c; each row names its handler.
 *
 * The pipeline of `run` (see cmd/commands.c):
 *   cli -> load (YAML -> struct spec) -> sample (GSL draws, OpenMP) -> core engine per
 *   sample -> sample/montecarlo (statistics -> struct report) -> output writer.
 */
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "core/result.h"
#include "load/load.h"
#include "output/plot.h"
#include "util/interrupt.h"
#include "util/outfile.h"
#include "util/par.h"

static int dispatch(const struct cli_options *o);

int main(int argc, char **argv)
{
    par_init(&argc, &argv);
    if (!par_is_root()) {
        /* Under mpirun, rank 0 speaks for all: the others hold the same results. */
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
    }
    /* GSL's default handler abort()s; every GSL call we make has its inputs validated. */
    gsl_set_error_handler_off();
    interrupt_install();

    struct cli_options o;
    int rc = cli_parse(argc, argv, &o) ? dispatch(&o) : EXIT_INPUT;
    if (interrupt_requested() && rc == EXIT_OK)
        rc = EXIT_RUNTIME;
    par_finalize();
    return rc;
}

static int dispatch(const struct cli_options *o)
{
    switch (o->command) {
    case CLI_HELP:
        if (o->help_subject && strcmp(o->help_subject, "scenario") == 0)
            load_print_keys(stdout);
        else if (o->help_subject)
            for (int m = 0; m < METRIC_COUNT; m++)
                printf("%-22s %-16s %s\n", metric_info(m)->key, metric_info(m)->unit, metric_info(m)->label);
        else if (o->help_topic)
            cli_command_usage(stdout, o->help_topic);
        else
            cli_usage(stdout);
        return EXIT_OK;
    case CLI_VERSION:
        cli_version(stdout);
        return EXIT_OK;
    default:
        break;
    }
    /* --plot DIR: PLplot present and the folder writable, before any work or output. */
    if (o->plot_dir && !plot_check())
        return EXIT_INPUT;
    if (o->plot_dir && !outfile_prepare_dir("--plot", o->plot_dir))
        return EXIT_RUNTIME;
    return o->info->handler(o);
}
