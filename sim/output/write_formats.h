/*
 * write_formats.h - the per-format functions of every report kind, for the slots of
 * writer.c. Each has the writer_fn signature and reads the report struct its kind names
 * (writer.h); callers outside output/ go through writer_write().
 */
#ifndef TS_OUTPUT_WRITE_FORMATS_H
#define TS_OUTPUT_WRITE_FORMATS_H

#include <stdbool.h>
#include <stdio.h>

/* run (struct report): write_table.c, write_json.c, write_csv.c, write_markdown.c */
bool write_run_table(FILE *out, const void *report);
bool write_run_json(FILE *out, const void *report);
bool write_run_csv(FILE *out, const void *report);
bool write_run_markdown(FILE *out, const void *report);

/* sweep, compare, solve, sensitivity: write_plan.c (compare's markdown: write_markdown.c) */
bool write_sweep_table(FILE *out, const void *report);
bool write_sweep_json(FILE *out, const void *report);
bool write_sweep_csv(FILE *out, const void *report);
bool write_compare_table(FILE *out, const void *report);
bool write_compare_json(FILE *out, const void *report);
bool write_compare_csv(FILE *out, const void *report);
bool write_compare_markdown(FILE *out, const void *report);
bool write_solve_table(FILE *out, const void *report);
bool write_solve_json(FILE *out, const void *report);
bool write_solve_csv(FILE *out, const void *report);
bool write_sensitivity_table(FILE *out, const void *report);
bool write_sensitivity_json(FILE *out, const void *report);
bool write_sensitivity_csv(FILE *out, const void *report);

/* validate (struct validate_report): write_validate.c (markdown: write_markdown.c) */
bool write_validate_table(FILE *out, const void *report);
bool write_validate_json(FILE *out, const void *report);
bool write_validate_csv(FILE *out, const void *report);
bool write_validate_markdown(FILE *out, const void *report);

/* layout (struct layout_report): write_layout.c */
bool write_layout_table(FILE *out, const void *report);
bool write_layout_json(FILE *out, const void *report);
bool write_layout_csv(FILE *out, const void *report);

/* trace (struct trace_report): write_trace.c */
bool write_trace_csv(FILE *out, const void *report);

#endif
