/*
 * write_trace.c - one sample's timeline (trainsim trace) as CSV: a header, then one row per
 * step with its UTC time, engine state, stage, power, PUE, grid intensity and cumulative
 * energy, CO2e and event counts (DESIGN 4). Every number is %.17g, so the last row equals
 * the sample's row of `run --samples-out` bit for bit.
 */
#include "output/write_formats.h"

#include "output/format.h"
#include "output/report.h"
#include "util/timeutil.h"

static const double S_PER_H = 3600.0;

static const char CSV_HEADER[] = "t_h,utc,state,stage,progress_frac,accel_power_w,facility_power_w,pue,"
                                 "ci_kg_per_kwh,it_energy_kwh,facility_energy_kwh,co2e_kg,interruptions,"
                                 "checkpoints,maintenances\n";

bool write_trace_csv(FILE *out, const void *report)
{
    const struct trace_report *r = report;
    if (r->is_first)
        fputs(CSV_HEADER, out);
    for (long i = 0; i < r->n_rows; i++) {
        const struct trace_row *w = &r->rows[i];
        char utc[32];
        time_format_iso8601(r->start_unix_s + w->t_h * S_PER_H, utc, sizeof utc);
        fprintf(out, "%.17g,%s,%s,", w->t_h, utc, w->state);
        writer_csv_field(out, w->stage);
        fprintf(out, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%ld,%ld,%ld\n", w->progress_frac,
                w->accel_power_w, w->facility_power_w, w->pue, w->ci_kg_per_kwh, w->it_energy_kwh,
                w->facility_energy_kwh, w->co2e_kg, w->interruptions, w->checkpoints, w->maintenances);
    }
    return !ferror(out);
}
