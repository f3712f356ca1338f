/*
 * write_layout.h - the ranking of `trainsim layout` as a table, JSON or CSV.
 */
#ifndef TS_OUTPUT_WRITE_LAYOUT_H
#define TS_OUTPUT_WRITE_LAYOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "output/report.h"

/* format: "table", "json" or "csv"; false when the format is not one of them or writing failed. */
bool write_layout(FILE *out, const char *format, const struct layout_report *r);

#endif
