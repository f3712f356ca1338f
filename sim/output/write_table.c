/*
 * write_table.c - the report as a table for people: one row per metric with its unit,
 * mean, quantiles (rounded, thousands separated) and a small Unicode histogram.
 */
#include "output/writer.h"

#include <math.h>
#include <string.h>

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

static bool write_table(FILE *out, const struct report *r)
{
    fprintf(out, "%s\n", r->scenario);
    if (r->nominal)
        fprintf(out, "nominal run (central values, no random events), step %g min\n\n", r->step_min);
    else
        fprintf(out, "%ld samples, seed %lu, step %g min%s\n\n", r->samples, r->seed, r->step_min,
                r->unfinished_samples ? "" : "");
    fprintf(out, "%-20s %-16s %13s", "metric", "unit", "mean");
    for (int k = 0; k < r->n_quantiles; k++) {
        char key[32];
        report_quantile_key(r->quantiles[k], key, sizeof key);
        key[0] = 'P';
        fprintf(out, " %13s", key);
    }
    fputs("  distribution (min..max)\n", out);
    for (int m = 0; m < r->n_metrics; m++) {
        const struct report_metric *rm = &r->metric[m];
        char num[64];
        writer_human_number(rm->s.mean, num, sizeof num);
        fprintf(out, "%-20s %-16s %13s", rm->key, rm->unit, num);
        for (int k = 0; k < r->n_quantiles; k++) {
            writer_human_number(rm->s.q[k], num, sizeof num);
            fprintf(out, " %13s", num);
        }
        fputs("  ", out);
        histogram(out, &rm->s);
        fputc('\n', out);
    }
    if (r->unfinished_samples)
        fprintf(out, "\nwarning: %ld of %ld samples did not finish within sim.max_days; their values are censored "
                     "at the horizon\n", r->unfinished_samples, r->samples);
    return !ferror(out);
}

const struct writer writer_table = { "table", write_table };
