/*
 * test_timeutil.c - UTC calendar arithmetic (util/timeutil.h) and the time-varying input
 * shapes built on it (core/profile.h).
 *
 * Expected epoch seconds were computed independently with Python:
 *   python3 -c "import datetime as D; print(D.datetime(Y,M,D_,h,m,s,tzinfo=D.timezone.utc).timestamp())"
 * and are cross-checked by hand in the comments (86,400 s per day).
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "fixed_input.h"
#include "core/profile.h"
#include "core/spec.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static const double TWO_PI = 6.28318530717958647692;

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

/* A series of n rows (the arrays are copied into owned memory, as the loader would). */
static struct series make_series(int n, const double *t, const double *v)
{
    struct series s = { n, xmalloc((size_t)n * sizeof(double)), xmalloc((size_t)n * sizeof(double)), NULL };
    memcpy(s.t_unix_s, t, (size_t)n * sizeof(double));
    memcpy(s.value, v, (size_t)n * sizeof(double));
    return s;
}

static void test_series_at(void)
{
    /* Rows at 00:00, 01:00 and 01:30 UTC on 2024-09-01: the intervals are 3600 s and 1800 s,
     * so the last row lasts 1800 s too and the span is 5400 + 1800 = 7200 s. */
    const double t0 = 1725148800.0;
    const double t[] = { t0, t0 + 3600, t0 + 5400 };
    const double v[] = { 1.125, 1.3125, 1.6875 };
    struct series s = make_series(3, t, v);

    /* The row in force: the last row whose time is <= t. */
    CHECK(profile_series_at(&s, t0) == 1.125);
    CHECK(profile_series_at(&s, t0 + 1) == 1.125);
    CHECK(profile_series_at(&s, t0 + 3599.5) == 1.125);
    CHECK(profile_series_at(&s, t0 + 3600) == 1.3125);
    CHECK(profile_series_at(&s, t0 + 5399) == 1.3125);
    CHECK(profile_series_at(&s, t0 + 5400) == 1.6875);
    /* The last row lasts as long as the interval before it (1800 s): until t0 + 7200. */
    CHECK(profile_series_at(&s, t0 + 7199) == 1.6875);
    /* Past the end: wraps around to the beginning with period 7200 s. */
    CHECK(profile_series_at(&s, t0 + 7200) == 1.125);
    CHECK(profile_series_at(&s, t0 + 7200 + 3600) == 1.3125);
    CHECK(profile_series_at(&s, t0 + 7200 + 5400) == 1.6875);
    CHECK(profile_series_at(&s, t0 + 100 * 7200.0 + 4000) == 1.3125);
    /* Before the first row: the same periodic extension, backwards. t0 - 1 is 7199 s into
     * the previous period (last row); t0 - 1801 is 5399 s into it (middle row). */
    CHECK(profile_series_at(&s, t0 - 1) == 1.6875);
    CHECK(profile_series_at(&s, t0 - 1800) == 1.6875);
    CHECK(profile_series_at(&s, t0 - 1801) == 1.3125);
    CHECK(profile_series_at(&s, t0 - 7200) == 1.125);
    free(s.t_unix_s);
    free(s.value);

    /* One row: constant everywhere. */
    const double t1[] = { t0 };
    const double v1[] = { 1.4375 };
    struct series one = make_series(1, t1, v1);
    CHECK(profile_series_at(&one, t0 - 1e6) == 1.4375);
    CHECK(profile_series_at(&one, t0 + 1e6) == 1.4375);
    free(one.t_unix_s);
    free(one.value);
}

/* A minimal spec for profile_new: start 2024-09-01T00:00Z, hourly steps for one day, PUE
 * central 1.3, intensity central 0.5, no variation until a test sets some. */
static void base_spec(struct spec *s)
{
    memset(s, 0, sizeof *s);
    s->start_unix_s = 1725148800.0;
    s->step_min = 60;
    s->max_days = 1;
    s->pue_in = fixed_input(s, "facility.pue", 1.3);
    s->intensity_in = fixed_input(s, "grid.intensity_kg_per_kwh", 0.5);
    s->pue_peak_day = 200;
    s->pue_peak_hour = 15;
    s->grid_peak_day = 15;
    s->grid_peak_hour = 19;
}

static void test_profile_constant(void)
{
    struct spec s;
    base_spec(&s);
    struct profile *p = profile_new(&s);
    CHECK(p->step_h == 1.0);
    /* ceil(1 day * 24 * 60 / 60 min) + 1 = 25 steps. */
    CHECK(p->n_steps == 25);
    CHECK(profile_steps_for(1, 60) == 25);
    CHECK(profile_steps_for(3650, 5) == 1051201); /* 3650 * 288 + 1 */
    CHECK(p->pue_shape == NULL);
    CHECK(p->ci_shape == NULL);
    CHECK(!p->pue_is_scaled);
    profile_free(p);
    profile_free(NULL);
    spec_release(&s);
}

static void test_profile_diurnal(void)
{
    struct spec s;
    base_spec(&s);
    /* PUE diurnal amplitude 0.05 peaking at 15:00 local, UTC+8: step n starts at UTC hour n,
     * local hour (n + 8) mod 24, and adds 0.05 cos(2 pi (local - 15) / 24). */
    s.pue_diurnal_amplitude = 0.05;
    s.utc_offset_h = 8;
    struct profile *p = profile_new(&s);
    CHECK(p->pue_shape != NULL);
    CHECK(p->ci_shape == NULL); /* the grid does not vary */
    CHECK(!p->pue_is_scaled);
    if (p->pue_shape) {
        /* n = 7: local 15:00, the peak: +0.05. */
        CHECK_NEAR(p->pue_shape[7], 0.05, 1e-14);
        /* n = 19: local 03:00, 12 h from the peak: cos(-pi) = -1. */
        CHECK_NEAR(p->pue_shape[19], -0.05, 1e-14);
        /* n = 13: local 21:00, 6 h after the peak: cos(pi/2) = 0. */
        CHECK_ABS(p->pue_shape[13], 0.0, 1e-15);
        /* n = 0: local 08:00, cos(-7 pi / 12) = -0.25881904510252074: -0.012940952255126037. */
        CHECK_NEAR(p->pue_shape[0], -0.012940952255126037, 1e-12);
        /* n = 24: the next day's 08:00 again. */
        CHECK_NEAR(p->pue_shape[24], p->pue_shape[0], 1e-12);
        /* The PUE a sample sees at the peak: max(1, 1.3 + 0.05) = 1.35. */
        CHECK_NEAR(s.inputs[s.pue_in].central + p->pue_shape[7], 1.35, 1e-14);
    }
    profile_free(p);

    /* A negative offset wraps the local hour: UTC-5, step n has local (n - 5) mod 24, so the
     * 15:00 peak is at n = 20 and step 0 is local 19:00: 0.05 cos(2 pi 4 / 24) = 0.025. */
    s.utc_offset_h = -5;
    p = profile_new(&s);
    if (p->pue_shape) {
        CHECK_NEAR(p->pue_shape[20], 0.05, 1e-14);
        CHECK_NEAR(p->pue_shape[0], 0.05 * cos(TWO_PI * 4 / 24), 1e-12);
        CHECK_NEAR(p->pue_shape[0], 0.025, 1e-12);
    }
    profile_free(p);
    spec_release(&s);
}

static void test_profile_seasonal_and_grid(void)
{
    struct spec s;
    base_spec(&s);
    /* 2024-09-01 is day 1 + 244 = 245 of 2024. A seasonal PUE peak on day 245 gives +0.1 at
     * step 0; one step (1 h) later the day is 245 + 1/24. */
    s.pue_seasonal_amplitude = 0.1;
    s.pue_peak_day = 245;
    /* Grid diurnal 0.2, peak 19:00 UTC (offset 0): step 19 gives x (1 + 0.2) = 1.2, step 7
     * gives x (1 - 0.2) = 0.8. */
    s.grid_diurnal_amplitude = 0.2;
    struct profile *p = profile_new(&s);
    CHECK(p->pue_shape != NULL && p->ci_shape != NULL);
    if (p->pue_shape && p->ci_shape) {
        CHECK_NEAR(p->pue_shape[0], 0.1, 1e-14);
        CHECK_NEAR(p->pue_shape[1], 0.1 * cos(TWO_PI * (1.0 / 24) / 365.25), 1e-14);
        CHECK_NEAR(p->ci_shape[19], 1.2, 1e-14);
        CHECK_NEAR(p->ci_shape[7], 0.8, 1e-14);
    }
    profile_free(p);
    spec_release(&s);
}

static void test_profile_series(void)
{
    struct spec s;
    base_spec(&s);
    /* A PUE series with rows at 00:00 (1.17) and 12:00 (1.43): the shape is series / central
     * (1.3), scaled (not added) by each sample's pue. */
    const double t[] = { s.start_unix_s, s.start_unix_s + 12 * 3600 };
    const double v[] = { 1.17, 1.43 };
    s.pue_series = make_series(2, t, v);
    struct profile *p = profile_new(&s);
    CHECK(p->pue_is_scaled);
    CHECK(p->pue_shape != NULL);
    if (p->pue_shape) {
        CHECK_NEAR(p->pue_shape[0], 0.9, 1e-14);   /* 1.17 / 1.3 */
        CHECK_NEAR(p->pue_shape[11], 0.9, 1e-14);
        CHECK_NEAR(p->pue_shape[12], 1.1, 1e-14);  /* 1.43 / 1.3 */
        CHECK_NEAR(p->pue_shape[23], 1.1, 1e-14);
        CHECK_NEAR(p->pue_shape[24], 0.9, 1e-14);  /* wrapped: span 24 h */
    }
    profile_free(p);
    spec_release(&s);
}

int main(void)
{
    test_parse_good();
    test_parse_bad();
    test_civil_round_trip();
    test_year_start();
    test_format();
    test_series_at();
    test_profile_constant();
    test_profile_diurnal();
    test_profile_seasonal_and_grid();
    test_profile_series();
    return CHECK_EXIT();
}
