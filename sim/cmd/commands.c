/*
 * commands.c - run, check, catalog and schema: each loads what it needs, runs, and writes; and the
 * helpers the other commands share (loading, --metric).
 *
 * This is the tool layer: the only code besides main.c that knows every library layer.
 * Nothing here computes: run (and the planning commands of plan.c) load and run through the
 * library, trainsim.c by trainsim_internal.h, the others wire load/ and output/ together;
 * all hand the results to output/ and turn the outcomes into exit codes.
 */
#include "commands.h"

#include <stdlib.h>
#include <string.h>

#include "core/result.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "load/schema.h"
#include "output/plot.h"
#include "output/writer.h"
#include "provenance.h"
#include "trainsim_internal.h"
#include "util/diag.h"
#include "util/outfile.h"

/* Exit code for a diag with errors: I/O problems are runtime failures, the rest input. */
static int input_failure(const struct diag *d)
{
    return d->n_io_errors > 0 ? EXIT_RUNTIME : EXIT_INPUT;
}

/* The exit code after the catalogs failed to load, with the summary. */
static int catalogs_failure(const struct cli_options *o, struct diag *d)
{
    diag_summary(d, o->configs ? o->configs : "the built-in catalogs");
    return input_failure(d);
}

int command_load_catalogs(const struct cli_options *o, struct diag *d, struct catalog *cat)
{
    return catalog_load(cat, d, o->configs) ? EXIT_OK : catalogs_failure(o, d);
}

/* A scenario of a session did not load (a ts_api_sink's load_failed): its summary, and
 * which values a sweep point or a solve evaluation set. */
static void session_load_failed(void *ctx, const char *file, const char *const *extra, int n_extra)
{
    struct command_session *cs = ctx;
    diag_summary(&cs->d, file);
    if (n_extra > 0) {
        fprintf(stderr, "trainsim: error: %s does not load at", file);
        for (int i = 0; i < n_extra; i++)
            if (strncmp(extra[i], "sim.quantiles=", 14) != 0) /* solve's own, not the user's */
                fprintf(stderr, " %s", extra[i]);
        fputs("\n", stderr);
    }
}

void command_session_init(struct command_session *cs, const struct cli_options *o, bool quiet_warnings)
{
    cs->o = o;
    diag_init(&cs->d, stderr);
    cs->d.quiet_warnings = quiet_warnings;
    const struct ts_api_sink sink = { .d = &cs->d, .load_failed = session_load_failed, .ctx = cs };
    cs->sc = ts_api_scenario_new(o->configs, &sink);
}

int command_session_catalogs(struct command_session *cs)
{
    return ts_api_scenario_load_catalogs(cs->sc) ? EXIT_OK : catalogs_failure(cs->o, &cs->d);
}

int command_session_open(struct command_session *cs, const struct cli_options *o, bool quiet_warnings)
{
    command_session_init(cs, o, quiet_warnings);
    return command_session_catalogs(cs);
}

int command_session_load(struct command_session *cs, struct trainsim_scenario *sc, const char *file)
{
    return trainsim_scenario_load_file(sc, file, cs->o->sets, cs->o->n_sets) ? EXIT_OK : input_failure(&cs->d);
}

int command_session_failure(const struct command_session *cs)
{
    return input_failure(&cs->d);
}

void command_session_close(struct command_session *cs)
{
    trainsim_scenario_free(cs->sc);
    diag_release(&cs->d);
}

int command_load_scenario(const struct cli_options *o, struct diag *d, const struct catalog *cat, const char *file,
                          struct spec *s)
{
    const struct load_options lo = { .sets = o->sets, .n_sets = o->n_sets, .catalog = cat };
    if (!load_scenario(d, file, &lo, s)) {
        diag_summary(d, file);
        return input_failure(d);
    }
    return EXIT_OK;
}

int command_load(const struct cli_options *o, bool quiet_warnings, struct diag *d, struct catalog *cat,
                 struct spec *s)
{
    diag_init(d, stderr);
    d->quiet_warnings = quiet_warnings;
    memset(s, 0, sizeof *s); /* released by the caller even when the catalogs fail */
    const int rc = command_load_catalogs(o, d, cat);
    return rc == EXIT_OK ? command_load_scenario(o, d, cat, o->files[0], s) : rc;
}

bool command_find_metric(const char *option, const char *name, int *metric)
{
    *metric = metric_find(name);
    if (*metric >= 0)
        return true;
    const char *keys[METRIC_COUNT];
    for (int m = 0; m < METRIC_COUNT; m++)
        keys[m] = metric_info(m)->key;
    const char *near = schema_suggest(name, keys, METRIC_COUNT);
    fprintf(stderr, "trainsim: error: %s: unknown metric '%s'", option, name);
    if (near)
        fprintf(stderr, " (did you mean '%s'?)", near);
    fputs("; the metrics are", stderr);
    for (int m = 0; m < METRIC_COUNT; m++)
        fprintf(stderr, "%s %s", m ? "," : "", keys[m]);
    fputc('\n', stderr);
    return false;
}

/* Keeps, in rep, the metrics --metric names (in the order given); all without --metric. */
static bool select_metrics(const struct cli_options *o, struct report *rep)
{
    if (o->n_metrics == 0)
        return true;
    struct report_metric kept[REPORT_MAX_METRICS];
    int n = 0;
    for (int i = 0; i < o->n_metrics; i++) {
        int m;
        if (!command_find_metric("--metric", o->metrics[i], &m))
            return false;
        kept[n++] = rep->metric[m];
    }
    memcpy(rep->metric, kept, (size_t)n * sizeof *kept);
    rep->n_metrics = n;
    return true;
}

int command_run(const struct cli_options *o)
{
    /* Machine formats stay clean for pipelines that merge the two streams: warnings go with the
     * formats people read (table, markdown) and into the JSON provenance; `check` always shows them. */
    const bool for_machines = strcmp(o->format, "json") == 0 || strcmp(o->format, "csv") == 0;
    const bool quiet = o->quiet || for_machines;
    for (int i = 0; i < o->n_metrics; i++) {
        int m;
        if (!command_find_metric("--metric", o->metrics[i], &m))
            return EXIT_INPUT; /* before any work */
    }
    struct command_session cs;
    int rc = command_session_open(&cs, o, quiet);
    if (rc == EXIT_OK)
        rc = command_session_load(&cs, cs.sc, o->files[0]);
    if (rc != EXIT_OK)
        goto done;

    const struct ts_api_run_options ro = { .threads = o->threads, .nominal = o->nominal, .show_progress = !o->quiet,
                                           .keep_rows = o->samples_out != NULL };
    struct trainsim_result *r = ts_api_run(cs.sc, &ro);
    const struct spec *s = ts_api_result_spec(r);
    struct report rep = *ts_api_result_report(r);
    if (trainsim_result_n_unfinished(r) && !quiet)
        fprintf(stderr, "trainsim: warning: %ld of %ld samples did not finish within sim.max_days = %g days\n",
                trainsim_result_n_unfinished(r), trainsim_result_n_samples(r), s->max_days);
    struct provenance_store ps;
    provenance_build(&ps, s, o, &cs.d);
    provenance_apply(&rep, &ps, s);
    struct report shown = rep; /* the charts take every metric, in table order */
    select_metrics(o, &shown);

    struct outfile out, samples;
    bool ok = outfile_open(&out, o->output);
    if (ok && o->samples_out && !outfile_open(&samples, o->samples_out)) {
        outfile_abort(&out);
        ok = false;
    }
    if (ok) {
        const bool wrote = writer_write(&run_writer, o->format, out.f, &shown);
        const bool wrote_samples = !o->samples_out || write_samples_csv(samples.f, ts_api_result_table(r));
        if (!wrote || !wrote_samples) {
            outfile_abort(&out);
            if (o->samples_out)
                outfile_abort(&samples);
            fprintf(stderr, "trainsim: error: writing the output failed\n");
            ok = false;
        } else {
            /* Commit the samples first: the report is the file a pipeline waits for. */
            ok = !o->samples_out || outfile_commit(&samples);
            if (ok)
                ok = outfile_commit(&out);
            else
                outfile_abort(&out);
        }
    }
    if (ok && o->plot_dir && !plot_run(o->plot_dir, &rep))
        ok = false;
    rc = ok ? EXIT_OK : EXIT_RUNTIME;
    provenance_release(&ps);
    trainsim_result_free(r);
done:
    command_session_close(&cs);
    return rc;
}

int command_check(const struct cli_options *o)
{
    struct diag d;
    struct catalog cat;
    struct spec s;
    int rc = command_load(o, o->quiet, &d, &cat, &s);
    if (rc == EXIT_OK) {
        struct outfile out;
        if (!outfile_open(&out, o->output)) {
            rc = EXIT_RUNTIME;
        } else {
            load_print_resolved(out.f, &s);
            if (d.n_warnings)
                fprintf(out.f, "# %d warning%s (see standard error)\n", d.n_warnings, d.n_warnings == 1 ? "" : "s");
            rc = outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
        }
    }
    spec_release(&s);
    catalog_release(&cat);
    diag_release(&d);
    return rc;
}

/* Loads the catalogs, then writes what write() prints of them to -o as '>' would. */
static int write_from_catalogs(const struct cli_options *o,
                               bool (*write)(FILE *out, const struct cli_options *o, const struct catalog *cat,
                                             struct diag *d))
{
    struct diag d;
    diag_init(&d, stderr);
    struct catalog cat;
    int rc = command_load_catalogs(o, &d, &cat);
    if (rc == EXIT_OK) {
        struct outfile out;
        if (!outfile_open(&out, o->output)) {
            rc = EXIT_RUNTIME;
        } else if (!write(out.f, o, &cat, &d)) {
            outfile_abort(&out);
            rc = d.n_errors ? input_failure(&d) : EXIT_RUNTIME;
        } else {
            rc = outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
        }
    }
    catalog_release(&cat);
    diag_release(&d);
    return rc;
}

static bool write_catalog(FILE *out, const struct cli_options *o, const struct catalog *cat, struct diag *d)
{
    const char *which = o->n_files ? o->files[0] : NULL;
    return strcmp(o->format, "table") == 0 ? catalog_print(out, cat, d, which)
                                           : load_print_catalog_data(out, o->format, which, cat, d);
}

int command_catalog(const struct cli_options *o)
{
    return write_from_catalogs(o, write_catalog);
}

static bool write_schema(FILE *out, const struct cli_options *o, const struct catalog *cat, struct diag *d)
{
    (void)o;
    (void)d;
    return load_print_json_schema(out, cat);
}

int command_schema(const struct cli_options *o)
{
    return write_from_catalogs(o, write_schema);
}
