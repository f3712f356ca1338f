/*
 * write_layout.c - the ranking of `trainsim layout` (DESIGN 8): one row per valid layout,
 * fastest first, then the number of layouts each rule rejected.
 */
#include "output/write_layout.h"

#include <string.h>

static bool write_table(FILE *out, const struct layout_report *r)
{
    fprintf(out, "%s: stage '%s' on %ld x %s (%.0f GB)\n", r->scenario, r->stage, r->count, r->accelerator,
            r->memory_gb);
    fprintf(out, "%d valid layouts fit in memory; the %d fastest at central efficiencies:\n\n", r->n_valid, r->n_rows);
    fprintf(out, "%4s %4s %4s %4s %6s %4s %4s %-10s %-9s %4s %9s %12s %6s %9s %7s %7s\n", "tp", "pp", "cp", "ep", "dp",
            "mb", "il", "schedule", "recompute", "zero", "step_s", "tokens/s/GPU", "MFU", "memory_GB", "bubble",
            "comm");
    for (int i = 0; i < r->n_rows; i++) {
        const struct layout_row *w = &r->rows[i];
        fprintf(out, "%4ld %4ld %4ld %4ld %6ld %4ld %4ld %-10s %-9s %4d %9.3f %12.1f %5.1f%% %9.1f %6.1f%% %6.1f%%\n",
                w->tp, w->pp, w->cp, w->ep, w->dp, w->microbatch, w->interleave, w->schedule, w->recompute, w->zero,
                w->step_s, w->tokens_per_gpu_s, 100 * w->mfu, w->memory_gb, 100 * w->bubble_frac,
                100 * w->comm_frac);
    }
    bool any = false;
    for (int i = 0; i < r->n_reasons; i++)
        any |= r->n_rejected[i] > 0;
    if (any) {
        fputs("\nrejected:\n", out);
        for (int i = 0; i < r->n_reasons; i++)
            if (r->n_rejected[i])
                fprintf(out, "  %8ld  %s\n", r->n_rejected[i], r->reason[i]);
    }
    return !ferror(out);
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static bool write_json(FILE *out, const struct layout_report *r)
{
    fputs("{\"scenario\": ", out);
    json_string(out, r->scenario);
    fputs(", \"file\": ", out);
    json_string(out, r->file);
    fputs(", \"stage\": ", out);
    json_string(out, r->stage);
    fputs(", \"accelerator\": ", out);
    json_string(out, r->accelerator);
    fprintf(out, ", \"count\": %ld, \"memory_gb\": %.10g, \"valid\": %d,\n \"layouts\": [", r->count, r->memory_gb,
            r->n_valid);
    for (int i = 0; i < r->n_rows; i++) {
        const struct layout_row *w = &r->rows[i];
        fprintf(out,
                "%s\n  {\"tp\": %ld, \"pp\": %ld, \"cp\": %ld, \"ep\": %ld, \"dp\": %ld, \"microbatch\": %ld, "
                "\"interleave\": %ld, \"schedule\": \"%s\", \"recompute\": \"%s\", \"zero\": %d, \"step_time_s\": %.10g, "
                "\"tokens_per_gpu_s\": %.10g, \"mfu\": %.10g, \"memory_gb\": %.10g, \"bubble_frac\": %.10g, "
                "\"comm_frac\": %.10g}",
                i ? "," : "", w->tp, w->pp, w->cp, w->ep, w->dp, w->microbatch, w->interleave, w->schedule,
                w->recompute, w->zero, w->step_s, w->tokens_per_gpu_s, w->mfu, w->memory_gb, w->bubble_frac,
                w->comm_frac);
    }
    fputs("],\n \"rejected\": {", out);
    for (int i = 0; i < r->n_reasons; i++) {
        fputs(i ? ", " : "", out);
        json_string(out, r->reason[i]);
        fprintf(out, ": %ld", r->n_rejected[i]);
    }
    fputs("}}\n", out);
    return !ferror(out);
}

static bool write_csv(FILE *out, const struct layout_report *r)
{
    fputs("tp,pp,cp,ep,dp,microbatch,interleave,schedule,recompute,zero,step_time_s,tokens_per_gpu_s,mfu,memory_gb,"
          "bubble_frac,comm_frac\n", out);
    for (int i = 0; i < r->n_rows; i++) {
        const struct layout_row *w = &r->rows[i];
        fprintf(out, "%ld,%ld,%ld,%ld,%ld,%ld,%ld,%s,%s,%d,%.10g,%.10g,%.10g,%.10g,%.10g,%.10g\n", w->tp, w->pp, w->cp,
                w->ep, w->dp, w->microbatch, w->interleave, w->schedule, w->recompute, w->zero, w->step_s,
                w->tokens_per_gpu_s, w->mfu, w->memory_gb, w->bubble_frac, w->comm_frac);
    }
    return !ferror(out);
}

bool write_layout(FILE *out, const char *format, const struct layout_report *r)
{
    if (strcmp(format, "table") == 0)
        return write_table(out, r);
    if (strcmp(format, "json") == 0)
        return write_json(out, r);
    if (strcmp(format, "csv") == 0)
        return write_csv(out, r);
    return false;
}
