/*
 * writer.h - output formats as a table of function pointers (GSL's gsl_rng_type idea).
 *
 * Adding a format means adding one write_<name>.c that defines a struct writer and one
 * entry in writer.c. Writers read a struct report only; they return false on an I/O error.
 */
#ifndef TS_OUTPUT_WRITER_H
#define TS_OUTPUT_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#include "output/report.h"

struct writer {
    const char *name;                                  /* value of --format */
    bool (*write)(FILE *out, const struct report *r);  /* false on I/O error */
};

/* The writer called name, or NULL. */
const struct writer *writer_find(const char *name);

/* Comma-separated names of all formats, for usage messages. */
const char *writer_names(void);

extern const struct writer writer_table;
extern const struct writer writer_json;
extern const struct writer writer_csv;
extern const struct writer writer_markdown; /* write_markdown.c */

/* Writes the per-sample table as CSV (header, then one row per sample, %.17g). */
bool write_samples_csv(FILE *out, const struct sample_table *t);

/* Formats v for people: thousands separators, about four significant digits. */
void writer_human_number(double v, char *buf, int size);

/* Formats a count for people: the integer below 1000 in magnitude, else as writer_human_number. */
void writer_count(long n, char *buf, int size);

/* The column head of quantile q: its report_quantile_key with a capital P ("P5", "P97.5"). */
void writer_quantile_head(double q, char *buf, int size);

/* The index of r's quantile nearest to q (the first of equals). */
int writer_nearest_quantile(const struct report *r, double q);

/* Table columns (" %13s" each): "mean" and r's quantile heads; then, aligned with them, the
 * mean and r's quantiles of s, people-formatted. */
void writer_table_stats_head(FILE *out, const struct report *r);
void writer_table_stats(FILE *out, const struct report *r, const struct metric_stats *s);

/* Writes ",<prefix>p5,<prefix>p50,..." : one CSV header column per quantile of r. */
void writer_csv_quantile_columns(FILE *out, const struct report *r, const char *prefix);

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
