/*
 * write_validate.c - published figures against simulated P50 and P5-P95 (DESIGN 4, 7).
 */
#include "output/format.h"
#include "output/write_formats.h"

bool write_validate_json(FILE *out, const void *report)
{
    const struct validate_row *rows = ((const struct validate_report *)report)->rows;
    const int n = ((const struct validate_report *)report)->n_rows;
    fputs("{ ", out);
    writer_json_version(out);
    fputs(",\n  \"rows\": [\n", out);
    for (int i = 0; i < n; i++) {
        const struct validate_row *r = &rows[i];
        fputs("    { \"run\": ", out);
        writer_json_string(out, r->run);
        fputs(", \"file\": ", out);
        writer_json_string(out, r->file);
        fputs(", \"metric\": ", out);
        writer_json_string(out, r->metric);
        fputs(", \"unit\": ", out);
        writer_json_string(out, r->unit);
        writer_json_field(out, "reported", r->reported);
        writer_json_field(out, "p5", r->p5);
        writer_json_field(out, "p50", r->p50);
        writer_json_field(out, "p95", r->p95);
        writer_json_field(out, "error_pct", r->error_pct);
        writer_json_field(out, "tolerance_pct", r->tolerance_pct);
        fprintf(out, ", \"inside\": %s, \"kind\": \"%s\", \"ok\": %s, \"source\": ", r->inside ? "true" : "false",
                r->is_prediction ? "prediction" : "consistency", r->ok ? "true" : "false");
        writer_json_string(out, r->source);
        fputs(i + 1 < n ? " },\n" : " }\n", out);
    }
    fputs("  ]\n}\n", out);
    return !ferror(out);
}

bool write_validate_csv(FILE *out, const void *report)
{
    const struct validate_row *rows = ((const struct validate_report *)report)->rows;
    const int n = ((const struct validate_report *)report)->n_rows;
    fputs("run,metric,unit,reported,p5,p50,p95,error_pct,inside,kind,tolerance_pct,ok,source\n", out);
    for (int i = 0; i < n; i++) {
        const struct validate_row *r = &rows[i];
        writer_csv_quoted(out, r->run);
        fprintf(out, ",%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%s,%s,%.17g,%s,", r->metric, r->unit, r->reported, r->p5,
                r->p50, r->p95, r->error_pct, r->inside ? "true" : "false",
                r->is_prediction ? "prediction" : "consistency", r->tolerance_pct, r->ok ? "true" : "false");
        writer_csv_quoted(out, r->source);
        fputc('\n', out);
    }
    return !ferror(out);
}

bool write_validate_table(FILE *out, const void *report)
{
    const struct validate_row *rows = ((const struct validate_report *)report)->rows;
    const int n = ((const struct validate_report *)report)->n_rows;
    fprintf(out, "%-44s %-20s %13s %13s %-27s %8s %-6s %-11s %s\n", "run", "metric", "reported", "simulated P50",
            "[P5, P95]", "error", "inside", "kind", "status");
    int n_fail = 0, n_cons = 0, n_pred = 0;
    for (int i = 0; i < n; i++) {
        const struct validate_row *r = &rows[i];
        char rep[64], p50[64], p5[64], p95[64], band[160], err[32], status[48];
        writer_human_number(r->reported, rep, sizeof rep);
        writer_human_number(r->p50, p50, sizeof p50);
        writer_human_number(r->p5, p5, sizeof p5);
        writer_human_number(r->p95, p95, sizeof p95);
        snprintf(band, sizeof band, "[%s, %s]", p5, p95);
        snprintf(err, sizeof err, "%+.1f%%", r->error_pct);
        if (r->is_prediction)
            snprintf(status, sizeof status, "reported (tol %g%%)", r->tolerance_pct);
        else
            snprintf(status, sizeof status, "%s (tol %g%%)", r->ok ? "pass" : "FAIL", r->tolerance_pct);
        fprintf(out, "%-44.44s %-20s %13s %13s %-27s %8s %-6s %-11s %s\n", r->run, r->metric, rep, p50, band, err,
                r->inside ? "yes" : "no", r->is_prediction ? "prediction" : "consistency", status);
        n_fail += !r->ok;
        n_cons += !r->is_prediction;
        n_pred += r->is_prediction;
    }
    fprintf(out, "\n%d consistency checks (%d outside tolerance), %d predictions (reported, never hidden)\n", n_cons,
            n_fail, n_pred);
    return !ferror(out);
}
