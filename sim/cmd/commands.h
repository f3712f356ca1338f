/*
 * commands.h - the commands of the CLI, each wiring the layers together for one task.
 * Each returns the process exit code: 0 success, 1 runtime failure, 2 invalid input.
 */
#ifndef TS_COMMANDS_H
#define TS_COMMANDS_H

#include "cli.h"
#include "util/diag.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_INPUT = 2 };

struct catalog;
struct spec;
struct trainsim_scenario;

/* A command that loads scenarios through the library (trainsim_internal.h): the diag that
 * prints their messages on stderr, and the first scenario, which holds the catalogs the
 * others share (ts_api_scenario_new_sharing). A failed load is summed up ("N errors in
 * FILE") and, for a sweep point or a solve evaluation, named by the values it set. The
 * scenarios call back into cs: it stays where it was started until closed. */
struct command_session {
    const struct cli_options *o;
    struct diag d;
    struct trainsim_scenario *sc;
};

/* Starts cs (warnings hidden when quiet_warnings) without output; close it on every path. */
void command_session_init(struct command_session *cs, const struct cli_options *o, bool quiet_warnings);
/* Loads the catalogs (o->configs, else the built-in ones). EXIT_OK, or the exit code after a summary. */
int command_session_catalogs(struct command_session *cs);
/* Both. */
int command_session_open(struct command_session *cs, const struct cli_options *o, bool quiet_warnings);
/* Loads file with o's --set overrides into sc (cs->sc or one sharing its catalogs).
 * EXIT_OK, or the exit code after a summary. */
int command_session_load(struct command_session *cs, struct trainsim_scenario *sc, const char *file);
/* The exit code after a library call on cs's scenarios failed with errors reported. */
int command_session_failure(const struct command_session *cs);
void command_session_close(struct command_session *cs);

/* Starts d on stderr (warnings hidden when quiet_warnings) and loads the catalogs and the
 * scenario o->files[0] (with o's --set overrides), reporting problems to d. Returns EXIT_OK, or the exit code after a summary. On EXIT_OK the caller
 * releases *s and *cat; on failure too (both are zeroed or partly filled, never garbage). */
int command_load(const struct cli_options *o, bool quiet_warnings, struct diag *d, struct catalog *cat,
                 struct spec *s);

/* The two steps of command_load(), for commands that load several scenarios: the catalogs
 * (o->configs, else the built-in ones), and one scenario file against them with o's --set
 * overrides. Each returns EXIT_OK, or the
 * exit code after a summary; the caller releases *cat either way. */
int command_load_catalogs(const struct cli_options *o, struct diag *d, struct catalog *cat);
int command_load_scenario(const struct cli_options *o, struct diag *d, const struct catalog *cat, const char *file,
                          struct spec *s);

/* The metric called name (*metric set); false after an error naming the option (e.g.
 * "--metric"), the closest metric and the list of them all. */
bool command_find_metric(const char *option, const char *name, int *metric);

int command_run(const struct cli_options *o);
int command_check(const struct cli_options *o);
int command_catalog(const struct cli_options *o);
/* trainsim schema: the JSON Schema of scenario files (load_print_json_schema). */
int command_schema(const struct cli_options *o);

#endif
