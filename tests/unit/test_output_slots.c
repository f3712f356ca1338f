/*
 * test_output_slots.c - the writer's slots (output/writer.h): which report kind offers which
 * format, the one check that refuses a format a kind does not offer (nothing written), the
 * format names and messages, and the run writers by name pointing at run's slots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "output/writer.h"

/* The formats kind offers, as "table,json" (in enum order). */
static void offered(const struct report_writer *w, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int f = 0; f < FORMAT_COUNT; f++)
        if (w->write[f]) {
            const size_t len = strlen(buf);
            snprintf(buf + len, size - len, "%s%s", len ? "," : "", writer_format_name((enum writer_format)f));
        }
}

static void test_matrix(void)
{
    static const struct {
        const struct report_writer *w;
        const char *kind, *formats, *text;
    } want[] = {
        { &run_writer, "run", "table,json,csv,markdown", "table, json, csv or markdown" },
        { &sweep_writer, "sweep", "table,json,csv", "table, json or csv" },
        { &compare_writer, "compare", "table,json,csv,markdown", "table, json, csv or markdown" },
        { &solve_writer, "solve", "table,json,csv", "table, json or csv" },
        { &sensitivity_writer, "sensitivity", "table,json,csv", "table, json or csv" },
        { &validate_writer, "validate", "table,json,csv,markdown", "table, json, csv or markdown" },
        { &layout_writer, "layout", "table,json,csv", "table, json or csv" },
        { &trace_writer, "trace", "csv", "csv" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char got[128];
        offered(want[i].w, got, sizeof got);
        CHECK(strcmp(want[i].w->kind, want[i].kind) == 0);
        CHECK(strcmp(got, want[i].formats) == 0);
        CHECK(strcmp(writer_formats_text(want[i].w), want[i].text) == 0);
        CHECK(writer_kind(want[i].kind) == want[i].w);
        for (int f = 0; f < FORMAT_COUNT; f++)
            CHECK(writer_offers(want[i].w, writer_format_name((enum writer_format)f)) == (want[i].w->write[f] != NULL));
        CHECK(!writer_offers(want[i].w, "xml"));
        CHECK(!writer_offers(want[i].w, NULL));
    }
    CHECK(writer_kind("plot") == NULL);
    CHECK(!writer_offers(NULL, "table"));
}

static void test_names(void)
{
    CHECK(writer_format_find("table") == FORMAT_TABLE);
    CHECK(writer_format_find("json") == FORMAT_JSON);
    CHECK(writer_format_find("csv") == FORMAT_CSV);
    CHECK(writer_format_find("markdown") == FORMAT_MARKDOWN);
    CHECK(writer_format_find("md") == -1); /* -o's extension is the parser's business */
    CHECK(writer_format_find("Table") == -1);
    CHECK(writer_format_find(NULL) == -1);
    /* run's writers by name are run's slots */
    CHECK(writer_table.write == run_writer.write[FORMAT_TABLE]);
    CHECK(writer_json.write == run_writer.write[FORMAT_JSON]);
    CHECK(writer_csv.write == run_writer.write[FORMAT_CSV]);
    CHECK(writer_markdown.write == run_writer.write[FORMAT_MARKDOWN]);
}

/* An unoffered format writes nothing and fails; an offered one writes. */
static void test_refusal(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const struct trace_row row = { .t_h = 0.5, .state = "TRAINING", .stage = "pre, main", .progress_frac = 0.25,
                                   .interruptions = 1 };
    const struct trace_report tr = { .start_unix_s = 1725148800.0, .is_first = true, .n_rows = 1, .rows = &row };
    CHECK(!writer_write(&trace_writer, "table", f, &tr));
    CHECK(!writer_write(&trace_writer, "json", f, &tr));
    CHECK(!writer_write(&trace_writer, "xml", f, &tr));
    fflush(f);
    CHECK(len == 0);
    CHECK(writer_write(&trace_writer, "csv", f, &tr));
    const struct trace_report more = { .start_unix_s = 1725148800.0, .is_first = false, .n_rows = 1, .rows = &row };
    CHECK(writer_write(&trace_writer, "csv", f, &more));
    fclose(f);
    /* the header once, then the rows; a stage name with a comma is quoted */
    const char *want_row = "0.5,2024-09-01T00:30:00Z,TRAINING,\"pre, main\",0.25,0,0,0,0,0,0,0,1,0,0\n";
    CHECK(strncmp(buf, "t_h,utc,state,stage,", 20) == 0);
    const char *first = strchr(buf, '\n');
    CHECK(first && strcmp(first + 1, want_row) != 0 && strncmp(first + 1, want_row, strlen(want_row)) == 0);
    CHECK(first && strcmp(first + 1 + strlen(want_row), want_row) == 0);
    free(buf);

    const struct validate_report none = { 0, NULL };
    CHECK(!writer_write(&validate_writer, "xml", stdout, &none));
}

int main(void)
{
    test_matrix();
    test_names();
    test_refusal();
    return CHECK_EXIT();
}
