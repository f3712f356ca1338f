/*
 * test_writer.c - output formats (output/writer.h) on hand-built reports.
 *
 * Output goes to open_memstream() buffers and is compared with exact text. Statistics are
 * dyadic fractions (58.25, 60.125, ...) so that %.17g prints them in full and short.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/result.h"
#include "output/report.h"
#include "output/writer.h"

/* ---- Capturing output */

struct capture {
    FILE *f;
    char *buf;
    size_t len;
};

static void cap_open(struct capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    if (!c->f) {
        perror("open_memstream");
        exit(1);
    }
}

/* Closes the stream; c->buf then holds the NUL-terminated text (free it). */
static const char *cap_close(struct capture *c)
{
    fclose(c->f);
    c->f = NULL;
    return c->buf;
}

/* ---- A minimal JSON syntax checker (RFC 8259), enough to say "this parses". */

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static const char *json_value(const char *p, int depth);

static const char *json_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!isxdigit((unsigned char)p[i]))
                        return NULL;
                p += 5;
                continue;
            }
            if (!*p || !strchr("\"\\/bfnrt", *p))
                return NULL;
        }
        p++;
    }
    return p + 1;
}

static const char *json_number(const char *p)
{
    const char *s = p;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (isdigit((unsigned char)*p))
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return NULL;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return NULL;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return p > s ? p : NULL;
}

static const char *json_value(const char *p, int depth)
{
    if (depth > 32)
        return NULL;
    p = json_ws(p);
    if (*p == '{' || *p == '[') {
        const char close = *p == '{' ? '}' : ']';
        const bool obj = *p == '{';
        p = json_ws(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (obj) {
                p = json_string(json_ws(p));
                if (!p)
                    return NULL;
                p = json_ws(p);
                if (*p++ != ':')
                    return NULL;
            }
            p = json_value(p, depth + 1);
            if (!p)
                return NULL;
            p = json_ws(p);
            if (*p == close)
                return p + 1;
            if (*p++ != ',')
                return NULL;
        }
    }
    if (*p == '"')
        return json_string(p);
    if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0)
        return p + 4;
    if (strncmp(p, "false", 5) == 0)
        return p + 5;
    return json_number(p);
}

static bool json_valid(const char *text)
{
    const char *end = json_value(text, 0);
    return end && *json_ws(end) == '\0';
}

/* ---- writer_find, names */

static void test_find(void)
{
    CHECK(writer_find("table") == &writer_table);
    CHECK(writer_find("json") == &writer_json);
    CHECK(writer_find("csv") == &writer_csv);
    CHECK(writer_find("table") && strcmp(writer_find("table")->name, "table") == 0);
    CHECK(writer_find("json") && writer_find("json")->write != NULL);
    CHECK(writer_find("xml") == NULL);
    CHECK(writer_find("") == NULL);
    CHECK(writer_find("JSON") == NULL); /* names are exact */
    CHECK(writer_find("csv ") == NULL);
    CHECK(strcmp(writer_names(), "table, json, csv, markdown") == 0);
    CHECK(writer_find("markdown") == &writer_markdown);
}

/* ---- writer_human_number */

static bool human_is(double v, const char *want)
{
    char buf[64];
    memset(buf, 'X', sizeof buf);
    writer_human_number(v, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        fprintf(stderr, "  writer_human_number(%.17g) = \"%s\", want \"%s\"\n", v, buf, want);
        return false;
    }
    return true;
}

static void test_human_number(void)
{
    CHECK(human_is(0, "0"));
    CHECK(human_is(-0.0, "0"));
    /* The anchor case's numbers (DESIGN 3.7) as the table prints them. */
    CHECK(human_is(1522248, "1,522,248"));      /* >= 1000: no decimals, grouped */
    CHECK(human_is(885948.4, "885,948"));
    CHECK(human_is(58.0833, "58.08"));          /* [10, 100): 2 decimals */
    CHECK(human_is(192.597, "192.6"));          /* [100, 1000): 1 decimal */
    CHECK(human_is(141.06, "141.1"));
    CHECK(human_is(0.91987, "0.9199"));         /* < 1: 4 decimals */
    CHECK(human_is(1.5, "1.500"));              /* [1, 10): 3 decimals */
    CHECK(human_is(1000, "1,000"));
    CHECK(human_is(999, "999.0"));
    CHECK(human_is(123456789, "123,456,789"));
    CHECK(human_is(999999999999999.0, "999,999,999,999,999"));
    CHECK(human_is(100000, "100,000"));
    /* Negative numbers keep the sign in front of the grouped digits. printf rounds the exact
     * binary value -1234.5 half to even, so it shows as -1,234; -1234.6 rounds to -1,235. */
    CHECK(human_is(-1234.5, "-1,234"));
    CHECK(human_is(-1234.6, "-1,235"));
    CHECK(human_is(-123456.0, "-123,456"));
    CHECK(human_is(-0.5, "-0.5000"));
    CHECK(human_is(-58.0833, "-58.08"));
    /* Very large and very small: scientific, three decimals. */
    CHECK(human_is(1e15, "1.000e+15"));
    CHECK(human_is(3.29e24, "3.290e+24"));
    CHECK(human_is(0.000512, "5.120e-04"));
    CHECK(human_is(-2.5e-7, "-2.500e-07"));
    CHECK(human_is(0.001, "0.0010"));
    /* Not finite. */
    CHECK(human_is(NAN, "nan"));
    CHECK(human_is(HUGE_VAL, "inf"));
    CHECK(human_is(-HUGE_VAL, "-inf"));

    /* A short buffer truncates without overflowing. */
    char small[8];
    memset(small, 'X', sizeof small);
    writer_human_number(1522248, small, 6);
    CHECK(strlen(small) < 6);
    CHECK(strncmp(small, "1,522,248", strlen(small)) == 0);
    CHECK(small[6] == 'X' && small[7] == 'X');
}

/* ---- report_quantile_key */

static bool qkey_is(double q, const char *want)
{
    char buf[32];
    report_quantile_key(q, buf, sizeof buf);
    if (strcmp(buf, want) != 0) {
        fprintf(stderr, "  report_quantile_key(%.17g) = \"%s\", want \"%s\"\n", q, buf, want);
        return false;
    }
    return true;
}

static void test_quantile_key(void)
{
    /* "p" + 100 q with %g (DESIGN 4); 100 * 0.05 = 5.000000000000001 and 100 * 0.995 =
     * 99.49999999999999 in binary, which %g's six digits hide. */
    CHECK(qkey_is(0.05, "p5"));
    CHECK(qkey_is(0.025, "p2.5"));
    CHECK(qkey_is(0.995, "p99.5"));
    CHECK(qkey_is(0.5, "p50"));
    CHECK(qkey_is(0.95, "p95"));
    CHECK(qkey_is(0.9, "p90"));
    CHECK(qkey_is(0.1, "p10"));
    CHECK(qkey_is(0.001, "p0.1"));
    CHECK(qkey_is(0.999, "p99.9"));
    CHECK(qkey_is(0.9999, "p99.99"));
}

/* ---- JSON strings and numbers */

static void test_json_string(void)
{
    struct capture c;
    cap_open(&c);
    writer_json_string(c.f, "a\"b\\c\nd\re\tf\001g\037h/i \xC3\xA9");
    cap_close(&c);
    /* Quote and backslash escaped, the usual short escapes, other controls as \u00XX; '/' and
     * UTF-8 pass through unchanged. */
    CHECK(strcmp(c.buf, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh/i \xC3\xA9\"") == 0);
    CHECK(json_valid(c.buf));
    free(c.buf);

    cap_open(&c);
    writer_json_string(c.f, NULL);
    writer_json_string(c.f, "");
    cap_close(&c);
    CHECK(strcmp(c.buf, "\"\"\"\"") == 0);
    free(c.buf);

    cap_open(&c);
    writer_json_number(c.f, 1.5);
    fputc(' ', c.f);
    writer_json_number(c.f, 0.1);
    fputc(' ', c.f);
    writer_json_number(c.f, -2.5e-300);
    fputc(' ', c.f);
    writer_json_number(c.f, NAN);
    fputc(' ', c.f);
    writer_json_number(c.f, -HUGE_VAL);
    fputc(' ', c.f);
    writer_json_number(c.f, 1522248);
    cap_close(&c);
    /* %.17g: 0.1 shows all 17 digits so it reads back bit for bit; non-finite -> null. */
    CHECK(strcmp(c.buf, "1.5 0.10000000000000001 -2.5e-300 null null 1522248") == 0);
    free(c.buf);
}

/* ---- Reports */

/* The metrics of DESIGN 3.6 with their units, as the JSON must name them. */
static const char *const design_keys[][2] = {
    { "wall_days", "days" },
    { "gpu_hours", "h" },
    { "training_gpu_hours", "h" },
    { "lost_gpu_hours", "h" },
    { "ettr", "fraction" },
    { "interruptions", "count" },
    { "it_energy_kwh", "kWh" },
    { "facility_energy_kwh", "kWh" },
    { "co2e_kg", "kg" },
    { "co2e_market_kg", "kg" },
    { "embodied_co2e_kg", "kg" },
    { "total_co2e_kg", "kg" },
    { "water_l", "L" },
    { "water_offsite_l", "L" },
    { "cost_usd", "USD" },
    { "cost_rental_usd", "USD" },
    { "cost_capex_usd", "USD" },
    { "cost_energy_usd", "USD" },
    { "cost_facility_usd", "USD" },
    { "car_years", "car-years" },
    { "household_years", "household-years" },
    /* DESIGN 8: throughput from the layout */
    { "tokens_per_gpu_s", "tokens/s" },
    { "mfu", "fraction" },
    { "effective_mfu", "fraction" },
    { "step_time_s", "s" },
    { "memory_gb_per_gpu", "GB" },
};
enum { N_DESIGN_KEYS = (int)(sizeof design_keys / sizeof design_keys[0]) };

/* wall_days: mean 58.25, sd 1.5, min 55, p5 56.5, p50 58, p95 60.125, max 61. */
static void set_wall_days(struct report_metric *m)
{
    memset(m, 0, sizeof *m);
    m->key = "wall_days";
    m->unit = "days";
    m->label = "wall time";
    m->s.mean = 58.25;
    m->s.sd = 1.5;
    m->s.min = 55;
    m->s.max = 61;
    m->s.q[0] = 56.5;
    m->s.q[1] = 58;
    m->s.q[2] = 60.125;
    m->s.hist[3] = 2;
    m->s.hist[5] = 5;
}

static void base_report(struct report *r)
{
    memset(r, 0, sizeof *r);
    r->scenario = "napkin \"2,000\" GPUs";
    r->file = "scenarios/napkin.yaml";
    r->seed = 42;
    r->samples = 1000;
    r->nominal = false;
    r->step_min = 2.5;
    r->unfinished_samples = 3;
    r->n_quantiles = 3;
    r->quantiles[0] = 0.05;
    r->quantiles[1] = 0.5;
    r->quantiles[2] = 0.95;
}

static void test_csv(void)
{
    struct report r;
    base_report(&r);
    r.n_metrics = 2;
    set_wall_days(&r.metric[0]);
    /* co2e_kg: every statistic 885948 except sd 0 (a nominal-like run). */
    r.metric[1] = (struct report_metric){ "co2e_kg", "kg", "CO2e", { 885948, 0, 885948, 885948, { 885948, 885948, 885948 }, { 0 } }, NULL };

    struct capture c;
    cap_open(&c);
    CHECK(writer_csv.write(c.f, &r));
    cap_close(&c);
    /* metric,unit,mean,sd,min,<quantile columns>,max (DESIGN 4). */
    const char *want = "metric,unit,mean,sd,min,p5,p50,p95,max\n"
                       "wall_days,days,58.25,1.5,55,56.5,58,60.125,61\n"
                       "co2e_kg,kg,885948,0,885948,885948,885948,885948,885948\n";
    CHECK(strcmp(c.buf, want) == 0);
    if (strcmp(c.buf, want) != 0)
        fprintf(stderr, "  csv output:\n%s", c.buf);
    free(c.buf);

    /* Other quantiles change the header: 0.025 -> p2.5, 0.995 -> p99.5. */
    r.n_quantiles = 2;
    r.quantiles[0] = 0.025;
    r.quantiles[1] = 0.995;
    r.n_metrics = 1;
    r.metric[0].s.q[0] = 55.25;
    r.metric[0].s.q[1] = 60.875;
    cap_open(&c);
    CHECK(writer_csv.write(c.f, &r));
    cap_close(&c);
    CHECK(strcmp(c.buf, "metric,unit,mean,sd,min,p2.5,p99.5,max\nwall_days,days,58.25,1.5,55,55.25,60.875,61\n") == 0);
    free(c.buf);

    /* No metrics: the header alone. */
    r.n_metrics = 0;
    cap_open(&c);
    CHECK(writer_csv.write(c.f, &r));
    cap_close(&c);
    CHECK(strcmp(c.buf, "metric,unit,mean,sd,min,p2.5,p99.5,max\n") == 0);
    free(c.buf);
}

static void test_json_exact(void)
{
    struct report r;
    base_report(&r);
    r.n_metrics = 1;
    set_wall_days(&r.metric[0]);
    r.metric[0].s.sd = NAN; /* e.g. one sample: not finite -> null */
    struct capture c;
    cap_open(&c);
    CHECK(writer_json.write(c.f, &r));
    cap_close(&c);
    /* The build line (commit, features) varies between builds: checked for its shape, then cut. */
    const char *head = "{ \"trainsim_version\": \"" TRAINSIM_VERSION "\",\n  \"build\": { \"commit\": ";
    CHECK(strncmp(c.buf, head, strlen(head)) == 0);
    char *build = strstr(c.buf, "  \"build\": "), *build_end = strstr(c.buf, "] },\n");
    CHECK(build && build_end);
    if (build && build_end)
        memmove(build, build_end + 5, strlen(build_end + 5) + 1);
    const char *want =
        "{ \"trainsim_version\": \"" TRAINSIM_VERSION "\",\n"
        "  \"file\": \"scenarios/napkin.yaml\",\n"
        "  \"scenario\": \"napkin \\\"2,000\\\" GPUs\", \"seed\": 42,\n"
        "  \"samples\": 1000, \"nominal\": false, \"step_min\": 2.5, \"unfinished_samples\": 3,\n"
        "  \"metrics\": {\n"
        "    \"wall_days\": { \"unit\": \"days\", \"mean\": 58.25, \"sd\": null, \"min\": 55, \"max\": 61, "
        "\"p5\": 56.5, \"p50\": 58, \"p95\": 60.125 }\n"
        "  }\n"
        "}\n";
    CHECK(strcmp(c.buf, want) == 0);
    if (strcmp(c.buf, want) != 0)
        fprintf(stderr, "  json output:\n%s", c.buf);
    CHECK(json_valid(c.buf));
    free(c.buf);

    /* nominal: true, and an empty metrics object still parses. */
    r.nominal = true;
    r.n_metrics = 0;
    cap_open(&c);
    CHECK(writer_json.write(c.f, &r));
    cap_close(&c);
    CHECK(strstr(c.buf, "\"nominal\": true") != NULL);
    CHECK(json_valid(c.buf));
    free(c.buf);
}

/* A report with every metric of DESIGN 3.6 (in the order and with the units of core/result.h,
 * which is how sample/ builds it): the JSON must carry every key DESIGN 4 requires. */
static void test_json_all_metrics(void)
{
    /* core/result.h must list exactly the DESIGN 3.6 metrics, with their units. */
    CHECK((int)METRIC_COUNT == (int)N_DESIGN_KEYS);
    for (int i = 0; i < N_DESIGN_KEYS; i++) {
        const int m = metric_find(design_keys[i][0]);
        CHECK(m == i);
        if (m >= 0)
            CHECK(strcmp(metric_info(m)->unit, design_keys[i][1]) == 0);
    }

    struct report r;
    base_report(&r);
    r.n_quantiles = 4;
    r.quantiles[0] = 0.025;
    r.quantiles[1] = 0.05;
    r.quantiles[2] = 0.5;
    r.quantiles[3] = 0.995;
    r.n_metrics = METRIC_COUNT;
    for (int m = 0; m < METRIC_COUNT; m++) {
        struct report_metric *rm = &r.metric[m];
        rm->key = metric_info(m)->key;
        rm->unit = metric_info(m)->unit;
        rm->label = metric_info(m)->label;
        rm->s.mean = 1.25 * (m + 1);
        rm->s.sd = 0.5;
        rm->s.min = 0.25;
        rm->s.max = 100.5;
        for (int k = 0; k < 4; k++)
            rm->s.q[k] = 0.75 + k;
    }
    struct capture c;
    cap_open(&c);
    CHECK(writer_json.write(c.f, &r));
    cap_close(&c);
    CHECK(json_valid(c.buf));
    static const char *const top_keys[] = { "\"trainsim_version\": ", "\"scenario\": ", "\"file\": ",
                                            "\"seed\": 42", "\"samples\": 1000", "\"nominal\": false",
                                            "\"step_min\": 2.5", "\"unfinished_samples\": 3", "\"metrics\": {" };
    for (size_t i = 0; i < sizeof top_keys / sizeof top_keys[0]; i++) {
        const bool found = strstr(c.buf, top_keys[i]) != NULL;
        CHECK(found);
        if (!found)
            fprintf(stderr, "  missing %s\n", top_keys[i]);
    }
    for (int i = 0; i < N_DESIGN_KEYS; i++) {
        /* "<key>": { "unit": "<unit>", "mean": m, "sd": 0.5, "min": 0.25, "max": 100.5,
         *            "p2.5": 0.75, "p5": 1.75, "p50": 2.75, "p99.5": 3.75 } */
        char want[512];
        snprintf(want, sizeof want,
                 "\"%s\": { \"unit\": \"%s\", \"mean\": %.17g, \"sd\": 0.5, \"min\": 0.25, \"max\": 100.5, "
                 "\"p2.5\": 0.75, \"p5\": 1.75, \"p50\": 2.75, \"p99.5\": 3.75 }",
                 design_keys[i][0], design_keys[i][1], 1.25 * (i + 1));
        const bool found = strstr(c.buf, want) != NULL;
        CHECK(found);
        if (!found)
            fprintf(stderr, "  missing %s\n", want);
    }
    free(c.buf);
}

static void test_samples_csv(void)
{
    const char *cols[] = { "sample", "facility.pue", "workload.stages[0].mfu", "wall_days" };
    /* Row 1: 1.3 and 0.1 are not dyadic: %.17g prints 0.1 as 0.10000000000000001 (and 1.3 as
     * 1.3, whose 17-digit form ends in zeros); 697/12 = 58.083333333333336 (python '%.17g'). */
    double vals[] = { 0, 1.25, 0.375, 58.25, 1, 1.3, 0.1, 697.0 / 12 };
    const struct sample_table t = { 2, 4, cols, vals };
    struct capture c;
    cap_open(&c);
    CHECK(write_samples_csv(c.f, &t));
    cap_close(&c);
    const char *want = "sample,facility.pue,workload.stages[0].mfu,wall_days\n"
                       "0,1.25,0.375,58.25\n"
                       "1,1.3,0.10000000000000001,58.083333333333336\n";
    CHECK(strcmp(c.buf, want) == 0);
    if (strcmp(c.buf, want) != 0)
        fprintf(stderr, "  samples csv:\n%s", c.buf);
    /* %.17g reads back bit for bit. */
    const char *row = strchr(c.buf, '\n');
    row = row ? strchr(row + 1, '\n') : NULL;
    if (row) {
        const char *p = row + 1;
        for (int k = 0; k < 4; k++) {
            char *end;
            const double v = strtod(p, &end);
            CHECK(v == vals[4 + k]);
            p = end + 1;
        }
    }
    free(c.buf);

    /* No rows: just the header. */
    const struct sample_table empty = { 0, 2, cols, NULL };
    cap_open(&c);
    CHECK(write_samples_csv(c.f, &empty));
    cap_close(&c);
    CHECK(strcmp(c.buf, "sample,facility.pue\n") == 0);
    free(c.buf);
}

/* A stream that refuses writes: the writers report the I/O error. */
static void test_io_error(void)
{
    FILE *ro = fopen("/dev/null", "r");
    if (!ro)
        return;
    struct report r;
    base_report(&r);
    r.n_metrics = 1;
    set_wall_days(&r.metric[0]);
    CHECK(!writer_csv.write(ro, &r));
    clearerr(ro);
    CHECK(!writer_json.write(ro, &r));
    clearerr(ro);
    CHECK(!writer_table.write(ro, &r));
    clearerr(ro);
    const char *cols[] = { "a" };
    double v[] = { 1 };
    const struct sample_table t = { 1, 1, cols, v };
    CHECK(!write_samples_csv(ro, &t));
    fclose(ro);
}

int main(void)
{
    test_find();
    test_human_number();
    test_quantile_key();
    test_json_string();
    test_csv();
    test_json_exact();
    test_json_all_metrics();
    test_samples_csv();
    test_io_error();
    return CHECK_EXIT();
}
