/*
 * writer.c - the slots of every report kind (writer.h): which function writes which kind in
 * which format, the one lookup that refuses a format a kind does not offer, and the
 * per-sample CSV of --samples-out.
 */
#include "output/writer.h"

#include <stdio.h>
#include <string.h>

#include "output/write_formats.h"
#include "output/write_plan.h"

/* The matrix of report kinds and formats: a function where the kind offers the format. */
const struct report_writer run_writer = { "run", { [FORMAT_TABLE] = write_run_table, [FORMAT_JSON] = write_run_json,
                                                   [FORMAT_CSV] = write_run_csv, [FORMAT_MARKDOWN] = write_run_markdown } };
const struct report_writer sweep_writer = { "sweep", { [FORMAT_TABLE] = write_sweep_table, [FORMAT_JSON] = write_sweep_json,
                                                       [FORMAT_CSV] = write_sweep_csv } };
const struct report_writer compare_writer = { "compare", { [FORMAT_TABLE] = write_compare_table,
                                                           [FORMAT_JSON] = write_compare_json,
                                                           [FORMAT_CSV] = write_compare_csv,
                                                           [FORMAT_MARKDOWN] = write_compare_markdown } };
const struct report_writer solve_writer = { "solve", { [FORMAT_TABLE] = write_solve_table, [FORMAT_JSON] = write_solve_json,
                                                       [FORMAT_CSV] = write_solve_csv } };
const struct report_writer sensitivity_writer = { "sensitivity", { [FORMAT_TABLE] = write_sensitivity_table,
                                                                   [FORMAT_JSON] = write_sensitivity_json,
                                                                   [FORMAT_CSV] = write_sensitivity_csv } };
const struct report_writer validate_writer = { "validate", { [FORMAT_TABLE] = write_validate_table,
                                                             [FORMAT_JSON] = write_validate_json,
                                                             [FORMAT_CSV] = write_validate_csv,
                                                             [FORMAT_MARKDOWN] = write_validate_markdown } };
const struct report_writer layout_writer = { "layout", { [FORMAT_TABLE] = write_layout_table,
                                                         [FORMAT_JSON] = write_layout_json,
                                                         [FORMAT_CSV] = write_layout_csv } };
const struct report_writer trace_writer = { "trace", { [FORMAT_CSV] = write_trace_csv } };

static const struct report_writer *const kinds[] = { &run_writer,         &sweep_writer,    &compare_writer,
                                                     &solve_writer,       &sensitivity_writer, &validate_writer,
                                                     &layout_writer,      &trace_writer };

static const char *const format_names[FORMAT_COUNT] = { [FORMAT_TABLE] = "table", [FORMAT_JSON] = "json",
                                                        [FORMAT_CSV] = "csv", [FORMAT_MARKDOWN] = "markdown" };

int writer_format_find(const char *name)
{
    for (int f = 0; f < FORMAT_COUNT; f++)
        if (name && strcmp(format_names[f], name) == 0)
            return f;
    return -1;
}

const char *writer_format_name(enum writer_format f)
{
    return format_names[f];
}

bool writer_offers(const struct report_writer *w, const char *format)
{
    const int f = writer_format_find(format);
    return w && f >= 0 && w->write[f] != NULL;
}

bool writer_write(const struct report_writer *w, const char *format, FILE *out, const void *report)
{
    return writer_offers(w, format) && w->write[writer_format_find(format)](out, report);
}

const char *writer_formats_text(const struct report_writer *w)
{
    static char text[FORMAT_COUNT * 16];
    int n = 0, shown = 0;
    for (int f = 0; f < FORMAT_COUNT; f++)
        n += w->write[f] != NULL;
    text[0] = '\0';
    for (int f = 0; f < FORMAT_COUNT; f++) {
        if (!w->write[f])
            continue;
        const size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s%s", shown == 0 ? "" : shown + 1 == n ? " or " : ", ",
                 format_names[f]);
        shown++;
    }
    return text;
}

const struct report_writer *writer_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i]->kind, kind) == 0)
            return kinds[i];
    return NULL;
}

/* ---- run's formats by name */

const struct writer writer_table = { "table", write_run_table };
const struct writer writer_json = { "json", write_run_json };
const struct writer writer_csv = { "csv", write_run_csv };
const struct writer writer_markdown = { "markdown", write_run_markdown };

static const struct writer *const writers[] = { &writer_table, &writer_json, &writer_csv, &writer_markdown };

const struct writer *writer_find(const char *name)
{
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
        if (strcmp(writers[i]->name, name) == 0)
            return writers[i];
    return NULL;
}

const char *writer_names(void)
{
    return "table, json, csv, markdown";
}

/* ---- write_plan.h: the planning reports' formats, from the slots above */

bool write_plan_format_known(const char *report, const char *format)
{
    return writer_offers(writer_kind(report), format);
}

const char *write_plan_formats(const char *report)
{
    return writer_formats_text(writer_kind(report));
}

bool write_samples_csv(FILE *out, const struct sample_table *t)
{
    for (int c = 0; c < t->n_cols; c++)
        fprintf(out, "%s%s", c ? "," : "", t->col_names[c]);
    fputc('\n', out);
    for (long i = 0; i < t->n_rows; i++) {
        const double *row = &t->values[i * t->n_cols];
        for (int c = 0; c < t->n_cols; c++)
            fprintf(out, c ? ",%.17g" : "%.17g", row[c]);
        fputc('\n', out);
    }
    return !ferror(out);
}
