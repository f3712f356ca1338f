/*
 * write_json.c - the report as JSON (DESIGN 4): metadata, then every metric's statistics.
 */
#include "output/writer.h"

static bool write_json(FILE *out, const struct report *r)
{
    fprintf(out, "{ \"trainsim_version\": \"%s\", \"scenario\": ", TRAINSIM_VERSION);
    writer_json_string(out, r->scenario);
    fputs(", \"file\": ", out);
    writer_json_string(out, r->file);
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

const struct writer writer_json = { "json", write_json };
