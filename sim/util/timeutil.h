/*
 * timeutil.h - calendar arithmetic in UTC without the C library's time zone machinery.
 *
 * Parses the ISO 8601 subset the schema accepts and converts civil dates to and from
 * seconds since 1970-01-01 UTC (proleptic Gregorian; algorithms of H. Hinnant,
 * "chrono-compatible low-level date algorithms").
 */
#ifndef TS_UTIL_TIMEUTIL_H
#define TS_UTIL_TIMEUTIL_H

#include <stdbool.h>

/* Years accepted by time_parse_iso8601 (inclusive). */
enum { TIME_MIN_YEAR = 1970, TIME_MAX_YEAR = 2200 };

/* Days since 1970-01-01 of the civil date y-m-d. */
long time_days_from_civil(long y, int m, int d);

/* Civil date of day z since 1970-01-01. */
void time_civil_from_days(long z, long *y, int *m, int *d);

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" followed by "Z", "+HH:MM", "-HH:MM"
 * or nothing (UTC); a space may replace the 'T'. On success stores seconds since the epoch
 * and returns true; on failure returns false and sets *why to a static message. */
bool time_parse_iso8601(const char *text, double *unix_s, const char **why);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void time_format_iso8601(double unix_s, char *buf, int size);

/* Seconds since the epoch of 1 January 00:00 UTC of the year containing unix_s. */
double time_year_start(double unix_s);

#endif
