/*
 * main.c - trainsim's entry point: parse the command line, run one command, map the
 * outcome to an exit code (0 success, 1 runtime failure, 2 usage or invalid input).
 *
 * The pipeline of `run` (see commands.c):
 *   cli -> load (YAML -> struct spec) -> sample (GSL draws, OpenMP) -> core engine per
 *   sample -> sample/montecarlo (statistics -> struct report) -> output writer.
 */
#include <stdio.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "commands.h"
#include "layout_cmd.h"
#include "plan.h"
#include "trace.h"
#include "util/interrupt.h"
#include "util/par.h"
#include "validate.h"

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
        cli_usage(stdout);
        return EXIT_OK;
    case CLI_VERSION:
        printf("trainsim %s\n", TRAINSIM_VERSION);
        return EXIT_OK;
    case CLI_RUN:
        return command_run(o);
    case CLI_CHECK:
        return command_check(o);
    case CLI_CATALOG:
        return command_catalog(o);
    case CLI_SWEEP:
        return plan_sweep(o);
    case CLI_COMPARE:
        return plan_compare(o);
    case CLI_SOLVE:
        return plan_solve(o);
    case CLI_SENSITIVITY:
        return plan_sensitivity(o);
    case CLI_VALIDATE:
        return validate_command(o);
    case CLI_TRACE:
        return trace_command(o);
    case CLI_LAYOUT:
        return layout_command(o);
    case CLI_NONE:
        break;
    }
    cli_usage(stderr);
    return EXIT_INPUT;
}
