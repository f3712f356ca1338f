/*
 * writer.h - the output formats of every report kind, as tables of function pointers
 * (GSL's gsl_rng_type idea).
 *
 * Each report kind (run, sweep, compare, solve, sensitivity, validate, layout, trace) is one
 * struct report_writer: a slot per format, holding the function that writes that kind's
 * report in that format, or NULL when the kind does not offer the format. writer_write() is
 * the one place that looks a format up and refuses a NULL slot; the slots themselves are
 * filled in writer.c, so the whole matrix of kinds and formats reads in one table.
 *
 * Adding a format: one enum value and its name here, a function per kind that offers it,
 * and its slots in writer.c. Adding a kind: its report struct (report.h), its functions
 * (write_formats.h) and one struct report_writer. Writers read their report only; they
 * return false on an I/O error. The pieces they share are in output/format.h.
 */
#ifndef TS_OUTPUT_WRITER_H
#define TS_OUTPUT_WRITER_H

#include <stdbool.h>
#include <stdio.h>

#include "output/format.h"
#include "output/report.h"

/* The --format values, in the order usage messages list them. */
enum writer_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV, FORMAT_MARKDOWN, FORMAT_COUNT };

/* Writes one report (of the kind whose slot holds the function) to out; false on I/O error. */
typedef bool writer_fn(FILE *out, const void *report);

struct report_writer {
    const char *kind;                /* "run", "sweep", ... */
    writer_fn *write[FORMAT_COUNT];  /* NULL: the kind does not offer that format */
};

/* The report kinds. The report each slot function reads:
 *   run_writer          struct report            table, json, csv, markdown
 *   sweep_writer        struct sweep_report      table, json, csv
 *   compare_writer      struct compare_report    table, json, csv, markdown
 *   solve_writer        struct solve_report      table, json, csv
 *   sensitivity_writer  struct sensitivity_report table, json, csv
 *   validate_writer     struct validate_report   table, json, csv, markdown
 *   layout_writer       struct layout_report     table, json, csv
 *   trace_writer        struct trace_report      csv (a block of rows; the header with the first) */
extern const struct report_writer run_writer, sweep_writer, compare_writer, solve_writer, sensitivity_writer,
    validate_writer, layout_writer, trace_writer;

/* The format called name ("table", ...), or -1. */
int writer_format_find(const char *name);

/* The name of format f. */
const char *writer_format_name(enum writer_format f);

/* True when w offers the format called name. */
bool writer_offers(const struct report_writer *w, const char *format);

/* Writes report (the kind's struct) in the format called name. False when w does not offer
 * that format (nothing is written) or on an I/O error. */
bool writer_write(const struct report_writer *w, const char *format, FILE *out, const void *report);

/* The formats w offers for messages, e.g. "table, json or csv". */
const char *writer_formats_text(const struct report_writer *w);

/* The report kind called kind ("run", "sweep", ...), or NULL. */
const struct report_writer *writer_kind(const char *kind);

/* ---- run's formats by name (the first writer interface, kept for its callers and tests):
 * writer_table.write is run_writer.write[FORMAT_TABLE], and so on. */
struct writer {
    const char *name;   /* value of --format */
    writer_fn *write;   /* reads a struct report; false on I/O error */
};

/* run's writer called name, or NULL. */
const struct writer *writer_find(const char *name);

/* Comma-separated names of run's formats, for usage messages. */
const char *writer_names(void);

extern const struct writer writer_table;
extern const struct writer writer_json;
extern const struct writer writer_csv;
extern const struct writer writer_markdown;

/* Writes the per-sample table as CSV (header, then one row per sample, %.17g). */
bool write_samples_csv(FILE *out, const struct sample_table *t);

#endif
