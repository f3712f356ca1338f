/*
 * write_plan.h - which formats the planning reports (sweep, compare, solve, sensitivity)
 * offer, by report name: read from their slots in writer.c (writer.h). The reports
 * themselves are written with writer_write(&sweep_writer, ...) and so on.
 */
#ifndef TS_OUTPUT_WRITE_PLAN_H
#define TS_OUTPUT_WRITE_PLAN_H

#include <stdbool.h>

/* True when the report called report ("sweep", "compare", "solve", "sensitivity") offers format. */
bool write_plan_format_known(const char *report, const char *format);

/* The formats of report, for messages ("table, json or csv"); valid until the next call. */
const char *write_plan_formats(const char *report);

#endif
