/*
 * series.h - reading a time series CSV (timestamp,value) for pue_series and grid.series.
 */
#ifndef TS_LOAD_SERIES_H
#define TS_LOAD_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/spec.h"
#include "util/diag.h"

enum { SERIES_MAX_BYTES = 64 << 20, SERIES_MAX_ROWS = 2000000 };

/* Parses CSV text (borrowed) named 'file' into *out: one "timestamp,value" row per line,
 * timestamps ISO 8601 (UTC unless an offset is given) strictly increasing, values finite
 * and in [lo, hi]. Blank lines and lines starting with '#' are skipped; a first line whose
 * first field is not a timestamp is taken as a header. CRLF line ends are accepted.
 * Reports every bad row (up to a limit) and returns false on any error. */
bool series_parse(struct diag *d, const char *file, const char *text, size_t len, double lo, double hi,
                  const char *what, struct series *out);

/* Reads and parses the CSV file at path; a missing or unreadable file is reported at 'from'. */
bool series_load(struct diag *d, const char *path, struct src_pos from, double lo, double hi, const char *what,
                 struct series *out);

#endif
