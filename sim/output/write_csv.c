/*
 * write_csv.c - the report as CSV: metric,unit,mean,sd,min,<quantiles>,max (DESIGN 4).
 */
#include "output/write_formats.h"

#include "output/format.h"

bool write_run_csv(FILE *out, const void *report)
{
    const struct report *r = report;
    fputs("metric,unit,mean,sd,min", out);
    writer_csv_quantile_columns(out, r, "");
    fputs(",max\n", out);
    for (int m = 0; m < r->n_metrics; m++) {
        const struct metric_stats *s = &r->metric[m].s;
        fprintf(out, "%s,%s,%.17g,%.17g,%.17g", r->metric[m].key, r->metric[m].unit, s->mean, s->sd, s->min);
        for (int k = 0; k < r->n_quantiles; k++)
            fprintf(out, ",%.17g", s->q[k]);
        fprintf(out, ",%.17g\n", s->max);
    }
    return !ferror(out);
}
