/*
 * write_json.c - the report as JSON (DESIGN 4, 9): the provenance block, run metadata, then every
 * metric's statistics.
 */
#include "output/write_formats.h"

#include "output/format.h"

bool write_run_json(FILE *out, const void *report)
{
    const struct report *r = report;
    fputs("{ ", out);
    writer_json_version(out);
    if (r->prov) {
        writer_json_provenance(out, r->prov, "  ");
    } else {
        fputs(",\n  \"file\": ", out);
        writer_json_string(out, r->file);
    }
    fputs(",\n  \"scenario\": ", out);
    writer_json_string(out, r->scenario);
    fprintf(out, ", \"seed\": %lu,\n  \"samples\": %ld, \"nominal\": %s, \"step_min\": ", r->seed, r->samples,
            r->nominal ? "true" : "false");
    writer_json_number(out, r->step_min);
    fprintf(out, ", \"unfinished_samples\": %ld,\n  \"metrics\": {\n", r->unfinished_samples);
    for (int m = 0; m < r->n_metrics; m++) {
        fputs("    ", out);
        writer_json_string(out, r->metric[m].key);
        fputs(": ", out);
        writer_json_stats(out, r, &r->metric[m]);
        fputs(m + 1 < r->n_metrics ? ",\n" : "\n", out);
    }
    fputs("  }\n}\n", out);
    return !ferror(out);
}
