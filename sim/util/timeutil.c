/*
 * timeutil.c - UTC calendar arithmetic and ISO 8601 parsing.
 */
#include "util/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

long time_days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void time_civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(long y, int m)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n decimal digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

bool time_parse_iso8601(const char *text, double *unix_s, const char **why)
{
    const char *p = text;
    int y, mo, d, h = 0, mi = 0, s = 0;
    double frac = 0;
    *why = "expected a date like 2025-01-01 or 2025-01-01T00:00:00Z";
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
        return false;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &s))
                return false;
            if (*p == '.') {
                p++;
                double scale = 0.1;
                if (*p < '0' || *p > '9')
                    return false;
                while (*p >= '0' && *p <= '9') {
                    frac += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                }
            }
        }
    }
    int off_s = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        int oh, om = 0;
        p++;
        if (!digits(&p, 2, &oh))
            return false;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &om))
                return false;
        } else if (*p && !digits(&p, 2, &om)) {
            return false;
        }
        if (oh > 14 || om > 59) {
            *why = "time zone offset out of range";
            return false;
        }
        off_s = sign * (oh * 3600 + om * 60);
    }
    if (*p != '\0')
        return false;
    if (y < TIME_MIN_YEAR || y > TIME_MAX_YEAR) {
        *why = "year out of range [1970, 2200]";
        return false;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60) {
        *why = "not a valid calendar date and time";
        return false;
    }
    *unix_s = (double)time_days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 + mi * 60.0 + s + frac - off_s;
    return true;
}

void time_format_iso8601(double unix_s, char *buf, int size)
{
    double days = floor(unix_s / 86400.0);
    long sec = (long)(unix_s - days * 86400.0);
    long y;
    int m, d;
    time_civil_from_days((long)days, &y, &m, &d);
    snprintf(buf, (size_t)size, "%04ld-%02d-%02dT%02ld:%02ld:%02ldZ", y, m, d, sec / 3600, sec / 60 % 60, sec % 60);
}

double time_year_start(double unix_s)
{
    long y;
    int m, d;
    time_civil_from_days((long)floor(unix_s / 86400.0), &y, &m, &d);
    return (double)time_days_from_civil(y, 1, 1) * 86400.0;
}
