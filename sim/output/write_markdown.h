/*
 * write_markdown.h - reports as Markdown for a paper or a planning document: a short
 * plain-language statement, a table, and a note on how the numbers were made.
 *
 * `run` reaches this format through the writer table (writer_markdown in writer.h);
 * compare and validate through their writers' format names (write_compare(),
 * write_validate()), which call these. Each returns false on an I/O error.
 */
#ifndef TS_OUTPUT_WRITE_MARKDOWN_H
#define TS_OUTPUT_WRITE_MARKDOWN_H

#include <stdbool.h>
#include <stdio.h>

#include "output/report.h"

bool write_markdown_compare(FILE *out, const struct compare_report *r);
bool write_markdown_validate(FILE *out, const struct validate_row *rows, int n);

#endif
