/*
 * write_layout.c - the ranking of `trainsim layout` (DESIGN 8): one row per valid layout,
 * fastest first, then the number of layouts each rule rejected.
 */
#include "output/format.h"
#include "output/write_formats.h"

bool write_layout_table(FILE *out, const void *report)
{
    const struct layout_report *r = report;
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

bool write_layout_json(FILE *out, const void *report)
{
    const struct layout_report *r = report;
    fputs("{\"scenario\": ", out);
    writer_json_string(out, r->scenario);
    fputs(", \"file\": ", out);
    writer_json_string(out, r->file);
    fputs(", \"stage\": ", out);
    writer_json_string(out, r->stage);
    fputs(", \"accelerator\": ", out);
    writer_json_string(out, r->accelerator);
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
        writer_json_string(out, r->reason[i]);
        fprintf(out, ": %ld", r->n_rejected[i]);
    }
    fputs("}}\n", out);
    return !ferror(out);
}

bool write_layout_csv(FILE *out, const void *report)
{
    const struct layout_report *r = report;
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
