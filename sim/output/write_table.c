/*
 * write_table.c - the report as a table for people: one row per metric with its unit,
 * mean, quantiles (rounded, thousands separated) and a small Unicode histogram.
 */
#include "output/write_formats.h"

#include <math.h>
#include <string.h>

#include "output/format.h"

/* Eighth blocks, lowest to full. */
static const char *const bars[] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };

static void histogram(FILE *out, const struct metric_stats *s)
{
    double top = 0;
    for (int b = 0; b < REPORT_HIST_BINS; b++)
        top = fmax(top, s->hist[b]);
    for (int b = 0; b < REPORT_HIST_BINS; b++) {
        if (s->hist[b] <= 0 || top <= 0) {
            fputc(' ', out);
            continue;
        }
        int level = (int)ceil(8.0 * s->hist[b] / top) - 1;
        fputs(bars[level < 0 ? 0 : (level > 7 ? 7 : level)], out);
    }
}

bool write_run_table(FILE *out, const void *report)
{
    const struct report *r = report;
    fprintf(out, "%s\n", r->scenario);
    if (r->nominal)
        fprintf(out, "nominal run (central values, no random events), step %g min\n\n", r->step_min);
    else
        fprintf(out, "%ld samples, seed %lu, step %g min\n\n", r->samples, r->seed, r->step_min);
    fprintf(out, "%-20s %-16s", "metric", "unit");
    writer_table_stats_head(out, r);
    fputs("  distribution (min..max)\n", out);
    for (int m = 0; m < r->n_metrics; m++) {
        const struct report_metric *rm = &r->metric[m];
        fprintf(out, "%-20s %-16s", rm->key, rm->unit);
        if (rm->not_modelled) { /* no input of it was given: a 0 here would read as measured */
            fprintf(out, " %13s (set %s)\n", "not modelled", rm->not_modelled);
            continue;
        }
        writer_table_stats(out, r, &rm->s);
        fputs("  ", out);
        histogram(out, &rm->s);
        fputc('\n', out);
    }
    if (r->unfinished_samples)
        fprintf(out, "\nwarning: %ld of %ld samples did not finish within sim.max_days; their values are censored "
                     "at the horizon\n", r->unfinished_samples, r->samples);
    return !ferror(out);
}
