/*
 * test_timeutil.c - UTC calendar arithmetic (util/timeutil.h): parsing, formatting, the
 * civil calendar and year starts. The time-varying input shapes built on it are tested in
 * test_profile.c.
 *
 * Expected epoch seconds were computed independently with Python:
 *   python3 -c "import datetime as D; print(D.datetime(Y,M,D_,h,m,s,tzinfo=D.timezone.utc).timestamp())"
 * and are cross-checked by hand in the comments (86,400 s per day).
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "util/timeutil.h"

/* Parses text, expecting success; returns the time or NAN. */
static double parse_ok(const char *text)
{
    double t = NAN;
    const char *why = NULL;
    if (!time_parse_iso8601(text, &t, &why)) {
        fprintf(stderr, "  time_parse_iso8601(\"%s\") failed: %s\n", text, why ? why : "(no reason)");
        return NAN;
    }
    return t;
}

/* True when text is rejected with a reason, and *unix_s is left alone. */
static bool parse_fails(const char *text)
{
    double t = -12345.5;
    const char *why = NULL;
    const bool ok = time_parse_iso8601(text, &t, &why);
    if (ok)
        fprintf(stderr, "  time_parse_iso8601(\"%s\") accepted it as %.17g\n", text, t);
    return !ok && why != NULL && why[0] != '\0' && t == -12345.5;
}

static void test_parse_good(void)
{
    /* 2025-01-01: 55 years, 14 of them leap (1972..2024): (55*365 + 14) * 86400 = 20089 d = 1735689600 s. */
    CHECK(parse_ok("2025-01-01") == 1735689600.0);
    /* 2024-09-01T00:00:00Z: 2024-01-01 is 19723 d = 1704067200 s, + 244 d (Jan..Aug of a leap year). */
    CHECK(parse_ok("2024-09-01T00:00:00Z") == 1725148800.0);
    /* Leap day: 1704067200 + 59 d (31 + 28) = 1709164800, + 12:30:15 = 45015 s. */
    CHECK(parse_ok("2024-02-29T12:30:15Z") == 1709209815.0);
    CHECK(parse_ok("1970-01-01") == 0.0);
    CHECK(parse_ok("1970-01-01T00:00:01Z") == 1.0);
    /* Last accepted day: 2200-12-31 is day 84370 (Python date arithmetic). */
    CHECK(parse_ok("2200-12-31T23:59:59Z") == 84370.0 * 86400 + 86399);
    /* 2000 is a leap year (divisible by 400): 2000-03-01 is day 11017, so Feb 29 is day 11016. */
    CHECK(parse_ok("2000-02-29") == 11016.0 * 86400);

    /* Offsets: local 08:00 at +08:00 and 18:30 the day before at -05:30 are both 00:00Z. */
    CHECK(parse_ok("2024-09-01T08:00:00+08:00") == 1725148800.0);
    CHECK(parse_ok("2024-08-31T18:30:00-05:30") == 1725148800.0);
    CHECK(parse_ok("2024-09-01T08:00:00+0800") == 1725148800.0);
    /* +00:00 and -00:00 equal Z; lower-case z and t are accepted. */
    CHECK(parse_ok("2024-09-01T00:00:00+00:00") == 1725148800.0);
    CHECK(parse_ok("2024-09-01t00:00:00z") == 1725148800.0);
    /* An offset that crosses a year boundary: 2025-01-01T02:00+14:00 = 2024-12-31T12:00Z
     * = 1735689600 - 12 h. */
    CHECK(parse_ok("2025-01-01T02:00:00+14:00") == 1735689600.0 - 12 * 3600);

    /* Fractional seconds (dyadic fractions, so exactly representable). */
    CHECK(parse_ok("2024-09-01T00:00:00.25Z") == 1725148800.25);
    CHECK(parse_ok("2024-09-01T00:00:07.125Z") == 1725148807.125);
    CHECK_NEAR(parse_ok("2024-09-01T00:00:00.1Z"), 1725148800.1, 1e-15);

    /* 'T' or ' ' between date and time; no offset means UTC; seconds are optional. */
    CHECK(parse_ok("2024-09-01 00:00:00Z") == 1725148800.0);
    CHECK(parse_ok("2024-09-01T00:00:00") == 1725148800.0);
    CHECK(parse_ok("2024-09-01 06:30") == 1725148800.0 + 6.5 * 3600);
}

static void test_parse_bad(void)
{
    CHECK(parse_fails("2025-13-01")); /* month 13 */
    CHECK(parse_fails("2025-00-10")); /* month 0 */
    CHECK(parse_fails("2025-02-30")); /* February never has 30 days */
    CHECK(parse_fails("2023-02-29")); /* 2023 is not a leap year */
    CHECK(parse_fails("2100-02-29")); /* divisible by 100, not by 400 */
    CHECK(parse_fails("2025-04-31")); /* April has 30 days */
    CHECK(parse_fails("2025-01-00"));
    CHECK(parse_fails("1969-12-31")); /* before TIME_MIN_YEAR */
    CHECK(parse_fails("1969-12-31T23:00:00-05:00"));
    CHECK(parse_fails("2201-01-01")); /* after TIME_MAX_YEAR */
    CHECK(parse_fails("2025-01-01x"));
    CHECK(parse_fails("2025-01-01T00:00:00Zjunk"));
    CHECK(parse_fails("2025-01-01T00:00:00Z "));
    CHECK(parse_fails(""));
    CHECK(parse_fails("2025"));
    CHECK(parse_fails("2025-1-01"));
    CHECK(parse_fails("25-01-01"));
    CHECK(parse_fails("2025/01/01"));
    CHECK(parse_fails("2025-01-01T"));
    CHECK(parse_fails("2025-01-01T1:00"));
    CHECK(parse_fails("2025-01-01T24:00:00Z"));
    CHECK(parse_fails("2025-01-01T23:60:00Z"));
    CHECK(parse_fails("2025-01-01T00:00:00.Z")); /* a '.' needs digits */
    CHECK(parse_fails("2025-01-01T00:00.5Z"));   /* fraction without seconds */
    CHECK(parse_fails("2025-01-01T00:00:00+15:00")); /* offsets stop at 14 h */
    CHECK(parse_fails("2025-01-01T00:00:00+08:60"));
    CHECK(parse_fails("2025-01-01T00:00:00+8:00"));
    CHECK(parse_fails("2025-01-01T00:00:00+"));
    /* The offset is "+HH:MM" (or "+HHMM"): a dangling ':' with no minutes is malformed. */
    CHECK(parse_fails("2025-01-01T00:00:00+08:"));

    /* The reason names the problem. */
    double t;
    const char *why = NULL;
    CHECK(!time_parse_iso8601("2201-01-01", &t, &why) && why && strstr(why, "year out of range"));
    CHECK(!time_parse_iso8601("2023-02-29", &t, &why) && why && strstr(why, "not a valid calendar date"));
    CHECK(!time_parse_iso8601("2025-01-01T00:00:00+15:00", &t, &why) && why && strstr(why, "offset"));
    CHECK(!time_parse_iso8601("", &t, &why) && why && strstr(why, "expected a date"));
}

static bool is_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Every day of 1970..2200, against an independent day-by-day calendar counter. */
static void test_civil_round_trip(void)
{
    static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    long y = 1970;
    int m = 1, d = 1;
    long z = 0, bad = 0;
    for (; y <= 2200; z++) {
        long yy;
        int mm, dd;
        time_civil_from_days(z, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d || time_days_from_civil(y, m, d) != z) {
            if (bad++ < 5)
                fprintf(stderr, "  day %ld: want %ld-%02d-%02d, civil_from_days gives %ld-%02d-%02d, "
                                "days_from_civil gives %ld\n", z, y, m, d, yy, mm, dd, time_days_from_civil(y, m, d));
        }
        /* Advance the reference calendar by one day. */
        const int len = m == 2 && is_leap(y) ? 29 : dim[m - 1];
        if (++d > len) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    CHECK(bad == 0);
    /* 2201-01-01 is day 84371: 231 years = 231 * 365 + 56 leap days (1972..2196 minus 2100) = 84371. */
    CHECK(z == 84371);
    CHECK(time_days_from_civil(2200, 12, 31) == 84370);
    CHECK(time_days_from_civil(2000, 3, 1) == 11017);
    CHECK(time_days_from_civil(1970, 1, 1) == 0);
    /* Before the epoch the algorithm still works (it is used by time_format_iso8601 for t < 0). */
    CHECK(time_days_from_civil(1969, 12, 31) == -1);
    long yy;
    int mm, dd;
    time_civil_from_days(-1, &yy, &mm, &dd);
    CHECK(yy == 1969 && mm == 12 && dd == 31);
}

static void test_year_start(void)
{
    /* Any instant of 2024 -> 2024-01-01T00:00Z = 1704067200. */
    CHECK(time_year_start(1725148800.0 + 123.5) == 1704067200.0);
    CHECK(time_year_start(1704067200.0) == 1704067200.0);
    /* One second earlier is still 2023: 2023-01-01 = 1704067200 - 365 d = 1672531200. */
    CHECK(time_year_start(1704067199.0) == 1672531200.0);
    CHECK(time_year_start(1704067199.999) == 1672531200.0);
    /* Last second of 2024 (a leap year): 2025-01-01 - 1 s. */
    CHECK(time_year_start(1735689599.0) == 1704067200.0);
    CHECK(time_year_start(0.0) == 0.0);
    CHECK(time_year_start(84370.0 * 86400) == (double)time_days_from_civil(2200, 1, 1) * 86400);
}

static void test_format(void)
{
    char buf[32];
    time_format_iso8601(1709209815.0, buf, sizeof buf);
    CHECK(strcmp(buf, "2024-02-29T12:30:15Z") == 0);
    time_format_iso8601(0.0, buf, sizeof buf);
    CHECK(strcmp(buf, "1970-01-01T00:00:00Z") == 0);
    /* Fractions of a second are dropped (truncated, not rounded). */
    time_format_iso8601(1725148800.75, buf, sizeof buf);
    CHECK(strcmp(buf, "2024-09-01T00:00:00Z") == 0);
    time_format_iso8601(84370.0 * 86400 + 86399, buf, sizeof buf);
    CHECK(strcmp(buf, "2200-12-31T23:59:59Z") == 0);
    /* One second before the epoch. */
    time_format_iso8601(-1.0, buf, sizeof buf);
    CHECK(strcmp(buf, "1969-12-31T23:59:59Z") == 0);
    /* The output is exactly 20 characters; a 21-byte buffer is enough. */
    char small[21];
    time_format_iso8601(1735689600.0, small, sizeof small);
    CHECK(strcmp(small, "2025-01-01T00:00:00Z") == 0);

    /* Round trip format -> parse over 1970..2200 with an odd stride (97,003 s, about 1.1 days)
     * so that every hour, minute and second value comes up. */
    long bad = 0;
    const double end = 84371.0 * 86400;
    for (double t = 0; t < end; t += 97003.0) {
        time_format_iso8601(t, buf, sizeof buf);
        double back = NAN;
        const char *why;
        if (!time_parse_iso8601(buf, &back, &why) || back != t) {
            if (bad++ < 5)
                fprintf(stderr, "  round trip of %.0f via '%s' gave %.17g\n", t, buf, back);
        }
    }
    CHECK(bad == 0);
}

int main(void)
{
    test_parse_good();
    test_parse_bad();
    test_civil_round_trip();
    test_year_start();
    test_format();
    return CHECK_EXIT();
}
