/*
 * trace.c - trainsim trace: one sample's timeline, step by step. Wiring only: the steps come
 * from sample/trace.h, the CSV from the output layer (trace_writer, a block of rows at a
 * time, so a long run is never held whole), the chart from output/plot.c.
 */
#include "trace.h"

#include <stdlib.h>

#include "commands.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "output/plot.h"
#include "output/writer.h"
#include "sample/trace.h"
#include "util/diag.h"
#include "util/outfile.h"
#include "util/xalloc.h"

enum { TRACE_BLOCK_ROWS = 4096 }; /* rows handed to the writer at a time */

/* Steps t to its end, writing every row to out; false when writing failed. */
static bool write_rows(struct trace *t, const struct spec *s, const char *format, FILE *out)
{
    struct trace_row *rows = xmalloc(TRACE_BLOCK_ROWS * sizeof *rows);
    struct trace_report block = { .start_unix_s = s->start_unix_s, .is_first = true, .rows = rows };
    bool ok = true, more = true;
    while (more) {
        block.n_rows = 0;
        while (block.n_rows < TRACE_BLOCK_ROWS && (more = trace_step(t, &rows[block.n_rows])))
            block.n_rows++;
        if (block.n_rows || block.is_first)
            ok = writer_write(&trace_writer, format, out, &block) && ok;
        block.is_first = false;
    }
    free(rows);
    return ok;
}

static bool draw(const struct cli_options *o, const struct spec *s, const struct trace *t)
{
    struct trace_timeline tl;
    trace_timeline(t, &tl);
    const struct plot_trace pt = {
        .scenario = s->name, .sample = o->sample_index, .seed = s->seed, .is_nominal = o->nominal,
        .start_unix_s = s->start_unix_s, .n = tl.n, .t_h = tl.t_h, .it_energy_kwh = tl.it_energy_kwh,
        .facility_energy_kwh = tl.facility_energy_kwh, .pue = tl.pue, .ci_kg_per_kwh = tl.ci_kg_per_kwh,
        .progress_frac = tl.progress_frac, .n_failures = tl.n_failures, .failure_t_h = tl.failure_t_h,
        .n_restarts = tl.n_restarts, .restart_t_h = tl.restart_t_h, .n_checkpoints = tl.n_checkpoints,
        .checkpoint_t_h = tl.checkpoint_t_h, .n_maintenances = tl.n_maintenances,
        .maintenance_t_h = tl.maintenance_t_h,
    };
    return plot_trace(o->plot_dir, &pt);
}

int trace_command(const struct cli_options *o)
{
    /* --format (csv only) and --plot DIR are checked before any command runs (cli.c, main.c) */
    struct diag d;
    struct catalog cat;
    struct spec s;
    int rc = command_load(o, o->quiet, &d, &cat, &s);
    if (rc != EXIT_OK)
        goto done;

    struct outfile out;
    if (!outfile_open(&out, o->output)) {
        rc = EXIT_RUNTIME;
        goto done;
    }
    struct trace *t = trace_new(&s, o->sample_index, o->nominal);
    if (!write_rows(t, &s, o->format, out.f)) {
        outfile_abort(&out);
        fputs("trainsim: error: writing the output failed\n", stderr);
        rc = EXIT_RUNTIME;
    } else {
        rc = outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
    }
    if (rc == EXIT_OK && o->plot_dir && !draw(o, &s, t))
        rc = EXIT_RUNTIME;
    trace_free(t);
done:
    spec_release(&s);
    catalog_release(&cat);
    diag_release(&d);
    return rc;
}
