/*
 * format.h - the formatting helpers every writer shares: numbers for people, quantile heads,
 * table columns, CSV fields, JSON values and the JSON version and provenance blocks.
 *
 * They write pieces, never a whole output: the writers (writer.h) put the pieces together.
 * Code outside output/ that prints a number for people (provenance, messages) uses them too,
 * so the same value always reads the same way. Each writes to out and reports nothing:
 * the writer checks ferror(out) once at its end.
 */
#ifndef TS_OUTPUT_FORMAT_H
#define TS_OUTPUT_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "output/report.h"

/* ---- Numbers for people */

/* Formats v for people: thousands separators, about four significant digits. */
void writer_human_number(double v, char *buf, int size);

/* Formats a count for people: the integer below 1000 in magnitude, else as writer_human_number. */
void writer_count(long n, char *buf, int size);

/* The column head of quantile q: its report_quantile_key with a capital P ("P5", "P97.5"). */
void writer_quantile_head(double q, char *buf, int size);

/* The index of r's quantile nearest to q (the first of equals). */
int writer_nearest_quantile(const struct report *r, double q);

/* ---- Table columns */

/* Table columns (" %13s" each): "mean" and r's quantile heads; then, aligned with them, the
 * mean and r's quantiles of s, people-formatted. */
void writer_table_stats_head(FILE *out, const struct report *r);
void writer_table_stats(FILE *out, const struct report *r, const struct metric_stats *s);

/* ---- CSV */

/* Writes ",<prefix>p5,<prefix>p50,..." : one CSV header column per quantile of r. */
void writer_csv_quantile_columns(FILE *out, const struct report *r, const char *prefix);

/* Writes s (NULL: empty) as a quoted CSV field, quotes doubled. */
void writer_csv_quoted(FILE *out, const char *s);

/* Writes s as a CSV field: bare, or quoted as writer_csv_quoted when it holds a comma, a
 * quote or a line break. */
void writer_csv_field(FILE *out, const char *s);

/* ---- JSON */

/* Writes s as a JSON string literal (quotes and escapes). */
void writer_json_string(FILE *out, const char *s);

/* Writes v as a JSON number (%.17g), or null when not finite. */
void writer_json_number(FILE *out, double v);

/* Writes `, "name": v` (v as writer_json_number). */
void writer_json_field(FILE *out, const char *name, double v);

/* Writes `, "name": [lo, hi]`. */
void writer_json_interval(FILE *out, const char *name, double lo, double hi);

/* Writes v as a JSON number, or null when has is false. */
void writer_json_optional(FILE *out, bool has, double v);

/* Writes `"trainsim_version": "0.1.0",\n  "build": { "commit": ..., "features": [...] }` (the
 * build line alone on its line, so that comparisons across builds can leave it out). */
void writer_json_version(FILE *out);

/* Writes `,\n<indent>"file": ..., "file_sha256": ..., "overrides": [...], "inputs": {...},
 * "warnings": [...]` for p (DESIGN 9): the provenance block after writer_json_version. */
void writer_json_provenance(FILE *out, const struct provenance *p, const char *indent);

/* Writes {"unit": ..., "mean": ..., "sd", "min", "max", "p5", ...} for one metric. */
void writer_json_stats(FILE *out, const struct report *r, const struct report_metric *m);

#endif
