/*
 * write_validate.h - the validation table (trainsim validate) as table, JSON, CSV or Markdown.
 */
#ifndef TS_OUTPUT_WRITE_VALIDATE_H
#define TS_OUTPUT_WRITE_VALIDATE_H

#include <stdbool.h>
#include <stdio.h>

#include "output/report.h"

/* Writes n rows in format (table, json, csv, markdown); false on I/O error or unknown format. */
bool write_validate(FILE *out, const char *format, const struct validate_row *rows, int n);

#endif
