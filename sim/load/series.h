/*
 * series.h - reading time series files for facility.pue_series and grid.series.
 *
 * facility.pue_series is the project's CSV (timestamp,value). grid.series is recognised by
 * its header (DESIGN 9): the project's timestamp,kg_per_kwh CSV; an Electricity Maps CSV
 * export (old or new portal header, g/kWh, hour-start UTC; lifecycle column by default,
 * the direct one with grid.series_basis: direct); a WattTime v3 JSON response
 * (point_time, value in lbs_co2_per_mwh); a UK Carbon Intensity API JSON response
 * (half-hourly from/to, intensity.actual in g/kWh). Values become kg/kWh.
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

/* A grid intensity file of any recognised format, in kg/kWh. 'direct' picks the direct
 * (operational) column of a file that has both. Values above 2 kg/kWh are warned about
 * (probably g/kWh); a plain kg/kWh CSV whose values are all above 10 is refused as g/kWh. A
 * file that matches no format is refused with the formats named and its first line shown.
 * *format gets a description of the format found (static; NULL for the plain CSV). */
bool series_parse_grid(struct diag *d, const char *file, const char *text, size_t len, bool direct,
                       struct series *out, const char **format);
bool series_load_grid(struct diag *d, const char *path, struct src_pos from, bool direct, struct series *out,
                      const char **format);

#endif
