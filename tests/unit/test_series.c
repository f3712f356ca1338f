/*
 * test_series.c - grid.series formats (load/series.c) on the fixtures of tests/data/, whose
 * headers are the real exports' and whose values are made up: recognition by header, unit
 * conversion to kg/kWh, the lifecycle/direct column, and the messages for files that match
 * no format or hold g/kWh in a kg/kWh file.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dbuf.h"
#include "core/spec.h"
#include "load/series.h"
#include "util/diag.h"

#ifndef TS_TEST_DATA
#error "TS_TEST_DATA must name tests/data"
#endif

/* Loads tests/data/name; the diagnostics go to c (opened here, closed by the caller). */
static bool load(const char *name, bool direct, struct series *s, const char **format, struct dbuf *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", TS_TEST_DATA, name);
    dbuf_open(c);
    return series_load_grid(&c->d, path, (struct src_pos){ "test", 1, 1 }, direct, s, format);
}

static void check_values(const struct series *s, int n, const double *want)
{
    CHECK(s->n == n);
    for (int i = 0; i < n && i < s->n; i++)
        CHECK_NEAR(s->value[i], want[i], 1e-12);
}

static void release(struct series *s)
{
    free(s->t_unix_s);
    free(s->value);
    free(s->path);
}

static void test_electricity_maps(void)
{
    struct dbuf c;
    struct series s;
    const char *fmt;
    /* new portal: lifecycle column by default, g/kWh / 1000 */
    CHECK(load("em_new_portal_hourly.csv", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    dbuf_close(&c);
    check_values(&s, 4, (const double[]){ 0.3, 0.4, 0.5, 0.6 });
    CHECK(fmt && strstr(fmt, "new portal") && strstr(fmt, "life cycle"));
    CHECK(s.t_unix_s[0] == 1719792000.0); /* 2024-07-01 00:00:00 UTC, hour start */
    CHECK(s.t_unix_s[1] - s.t_unix_s[0] == 3600.0);
    release(&s);
    /* grid.series_basis: direct */
    CHECK(load("em_new_portal_hourly.csv", true, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    dbuf_close(&c);
    check_values(&s, 4, (const double[]){ 0.25, 0.35, 0.45, 0.55 });
    CHECK(fmt && strstr(fmt, "direct"));
    release(&s);
    /* old portal: capitalised names, (LCA) */
    CHECK(load("em_old_portal_hourly.csv", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    dbuf_close(&c);
    check_values(&s, 4, (const double[]){ 0.1, 0.2, 0.3, 0.4 });
    CHECK(fmt && strstr(fmt, "old portal"));
    release(&s);
}

static void test_watttime(void)
{
    struct dbuf c;
    struct series s;
    const char *fmt;
    CHECK(load("watttime_v3.json", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    dbuf_close(&c);
    /* lb/MWh x 0.45359237 kg/lb / 1000 kWh/MWh: 1000 lb/MWh = 0.45359237 kg/kWh */
    check_values(&s, 6, (const double[]){ 0.45359237, 0.362873896, 0.272155422, 0.181436948, 0.090718474, 0 });
    CHECK(s.t_unix_s[1] - s.t_unix_s[0] == 300.0);
    CHECK(fmt && strstr(fmt, "WattTime"));
    release(&s);
}

static void test_uk(void)
{
    struct dbuf c;
    struct series s;
    const char *fmt;
    CHECK(load("uk_carbon_intensity.json", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    /* intensity.actual in g/kWh; the last half-hour has none and takes its forecast (210) */
    check_values(&s, 4, (const double[]){ 0.263, 0.240, 0.220, 0.210 });
    CHECK(s.t_unix_s[1] - s.t_unix_s[0] == 1800.0);
    CHECK(strstr(c.buf, "1 of 4 half-hours have no intensity.actual") != NULL);
    CHECK(fmt && strstr(fmt, "UK Carbon Intensity"));
    dbuf_close(&c);
    release(&s);
}

static void test_plain_and_sanity(void)
{
    struct dbuf c;
    struct series s;
    const char *fmt;
    CHECK(load("kg_per_kwh.csv", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    check_values(&s, 4, (const double[]){ 0.2, 0.4, 0.1, 0.3 });
    CHECK(fmt == NULL);
    CHECK(c.len == 0);
    dbuf_close(&c);
    release(&s);
    /* g/kWh in a kg/kWh file: one error that says so */
    CHECK(!load("g_as_kg.csv", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    CHECK(strstr(c.buf, "look like g/kWh") != NULL && strstr(c.buf, "median 429") != NULL);
    dbuf_close(&c);
    /* 2.5 kg/kWh: loaded, with the g/kWh hint */
    CHECK(load("high_kg.csv", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    CHECK(strstr(c.buf, "warning: grid.series: 2.5 kg/kWh at 2024-07-01T01:00:00Z") != NULL);
    CHECK(strstr(c.buf, "g/kWh") != NULL);
    dbuf_close(&c);
    release(&s);
}

static void test_unmatched(void)
{
    struct dbuf c;
    struct series s;
    const char *fmt;
    CHECK(!load("eia930_balance.csv", false, &s, &fmt, &c));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    /* names the formats and shows the first line */
    CHECK(strstr(c.buf, "matches no known format") != NULL);
    CHECK(strstr(c.buf, "Balancing Authority,Data Date,Hour Number") != NULL);
    CHECK(strstr(c.buf, "Electricity Maps") && strstr(c.buf, "WattTime") && strstr(c.buf, "UK Carbon Intensity") &&
          strstr(c.buf, "timestamp,kg_per_kwh"));
    dbuf_close(&c);
    /* a JSON of another shape */
    dbuf_open(&c);
    static const char other[] = "{\"zone\": \"DE\", \"carbonIntensity\": 302}";
    CHECK(!series_parse_grid(&c.d, "em-api.json", other, sizeof other - 1, false, &s, &fmt));
    dbuf_text(&c); /* the messages so far: c.buf, c.len */
    CHECK(strstr(c.buf, "the JSON matches no known format") != NULL);
    dbuf_close(&c);
}

int main(void)
{
    test_electricity_maps();
    test_watttime();
    test_uk();
    test_plain_and_sanity();
    test_unmatched();
    return CHECK_EXIT();
}
