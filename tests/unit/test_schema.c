/*
 * test_schema.c - the key-table walker and readers (load/schema.h): numbers as the loader
 * reads them, suggestions, unknown and missing keys, num|dist values and the support of each
 * distribution against a key's range, and the generic reader (schema_read) with table and
 * load-time defaults.
 *
 * Diagnostics go to an open_memstream() buffer, so each test checks the message text as a
 * user would see it: "FILE:LINE:COL: error: ...". Line and column numbers are counted by hand
 * in the YAML texts below (both 1-based).
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "dbuf.h"
#include "load_check.h"
#include "core/spec.h"
#include "load/schema.h"
#include "load/ytree.h"
#include "util/diag.h"
#include "util/xalloc.h"

static bool number_is(const char *text, double want)
{
    double v = NAN;
    const char *why = NULL;
    if (!schema_parse_number(text, &v, &why) || v != want) {
        fprintf(stderr, "  schema_parse_number(\"%s\") = %.17g (%s), want %.17g\n", text, v, why ? why : "ok", want);
        return false;
    }
    return true;
}

/* Rejected, with a reason containing 'reason', leaving *out alone. */
static bool number_rejected(const char *text, const char *reason)
{
    double v = -7.25;
    const char *why = NULL;
    const bool ok = schema_parse_number(text, &v, &why);
    if (ok || v != -7.25 || !why || !strstr(why, reason)) {
        fprintf(stderr, "  schema_parse_number(\"%s\"): ok %d, value %.17g, why '%s'\n", text, ok, v,
                why ? why : "(none)");
        return false;
    }
    return true;
}

static void test_parse_number(void)
{
    CHECK(number_is("2_788_000", 2788000));
    CHECK(number_is("2.788e6", 2788000));
    CHECK(number_is("2.788E+6", 2788000));
    CHECK(number_is("+5", 5));
    CHECK(number_is(".5", 0.5));
    CHECK(number_is("-0.25", -0.25));
    CHECK(number_is("5.", 5));
    CHECK(number_is("3.29e24", 3.29e24));
    CHECK(number_is("1e-300", 1e-300));
    CHECK(number_is("0", 0));
    CHECK(number_is("007", 7));

    CHECK(number_rejected("nan", "not a number"));
    CHECK(number_rejected("NaN", "not a number"));
    CHECK(number_rejected(".inf", "not a number"));
    CHECK(number_rejected("-.inf", "not a number"));
    CHECK(number_rejected("inf", "not a number"));
    CHECK(number_rejected("1e400", "too large"));
    CHECK(number_rejected("-1e400", "too large"));
    CHECK(number_rejected("1e-400", "too small"));
    CHECK(number_rejected("0x10", "not a number"));
    CHECK(number_rejected("", "not a number"));
    CHECK(number_rejected("_", "not a number"));
    CHECK(number_rejected("1,0", "not a number"));
    CHECK(number_rejected("1e", "not a number"));
    CHECK(number_rejected("1.2.3", "not a number"));
    CHECK(number_rejected("--5", "not a number"));
    CHECK(number_rejected("5 ", "not a number"));
    CHECK(number_rejected("five", "not a number"));
}

static void test_suggest(void)
{
    static const char *const keys[] = { "name", "flops", "params", "tokens", "gpu_hours", "tokens_per_gpu_s" };
    const int n = (int)(sizeof keys / sizeof keys[0]);
    const char *s = schema_suggest("tokenz", keys, n);
    CHECK(s && strcmp(s, "tokens") == 0);
    CHECK(schema_suggest("xyz", keys, n) == NULL);
    s = schema_suggest("Tokens", keys, n); /* case-insensitive */
    CHECK(s && strcmp(s, "tokens") == 0);
    s = schema_suggest("gpu_hour", keys, n);
    CHECK(s && strcmp(s, "gpu_hours") == 0);
    s = schema_suggest("paramz", keys, n);
    CHECK(s && strcmp(s, "params") == 0);
    CHECK(schema_suggest("completely_different", keys, n) == NULL);
    CHECK(schema_suggest("tokenz", keys, 0) == NULL);
}

static const struct key_rule map_rules[] = {
    KEY_RULE("tokens", KEY_PARAM, KEY_REQUIRED | KEY_LO_OPEN, 0, HUGE_VAL, "training tokens"),
    KEY_RULE("name", KEY_STRING, 0, 0, 0, "name"),
    KEY_RULE("count", KEY_INT, KEY_REQUIRED, 1, 1e7, "accelerators"),
    KEY_RULE("stages", KEY_SEQ, 0, 0, 0, "stages"),
    KEY_RULE("sub", KEY_MAP, 0, 0, 0, "a mapping"),
};
enum { N_MAP_RULES = (int)(sizeof map_rules / sizeof map_rules[0]) };

static void test_check_map(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct spec spec;
    memset(&spec, 0, sizeof spec);
    struct schema c = { &b.d, &spec };

    /* 1: an unknown key with a suggestion; 3: a scalar where a mapping belongs; two required
     * keys missing (reported at the mapping, 1:1). */
    struct ynode *m = parse(&b, "tokenz: 5\nname: x\nsub: 3\nxyz: 1\n");
    CHECK(m != NULL);
    if (m) {
        CHECK(!schema_check_map(&c, m, "workload", map_rules, N_MAP_RULES));
        CHECK(b.d.n_errors == 5);
        CHECK(said(&b, "t.yaml:1:1: error: workload: unknown key 'tokenz' (did you mean 'tokens'?)"));
        CHECK(said(&b, "did you mean 'tokens'"));
        CHECK(said(&b, "t.yaml:3:6: error: workload.sub: expected a mapping, got a single value"));
        CHECK(said(&b, "t.yaml:4:1: error: workload: unknown key 'xyz'\n"));
        CHECK(said(&b, "t.yaml:1:1: error: workload: missing required key 'tokens'"));
        CHECK(said(&b, "t.yaml:1:1: error: workload: missing required key 'count'"));
        /* The excerpt shows the line and a caret. */
        CHECK(said(&b, "    1 | tokenz: 5\n      | ^\n"));
    }
    ytree_free(m);
    dbuf_close(&b);

    /* The root is called "document". Mappings and lists are checked by shape here; scalars
     * and parameters by their readers (a list for a string is caught by schema_string). */
    dbuf_open(&b);
    c.diag = &b.d;
    m = parse(&b, "tokens: 1e12\ncount: 8\nname: [a]\nstages: x\n");
    CHECK(m && !schema_check_map(&c, m, "", map_rules, N_MAP_RULES));
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:4:9: error: stages: expected a list, got a single value"));
    const char *str = NULL;
    CHECK(m && !schema_string(&c, ytree_get(m, "name"), "name", &str) && str == NULL);
    CHECK(said(&b, "t.yaml:3:7: error: name: expected a string, got a list"));
    CHECK(m && schema_string(&c, m->vals[0], "tokens", &str) && str && strcmp(str, "1e12") == 0);
    CHECK(b.d.n_errors == 2);
    ytree_free(m);
    m = parse(&b, "[1, 2]");
    CHECK(m && !schema_check_map(&c, m, "", map_rules, N_MAP_RULES));
    CHECK(said(&b, "document: expected a mapping of keys, got a list"));
    ytree_free(m);
    dbuf_close(&b);

    /* A good mapping: true, nothing said. */
    dbuf_open(&b);
    c.diag = &b.d;
    m = parse(&b, "tokens: {dist: uniform, min: 1, max: 2}\ncount: 8\nsub: {}\nstages: []\n");
    CHECK(m && schema_check_map(&c, m, "workload", map_rules, N_MAP_RULES));
    CHECK(b.d.n_errors == 0 && strcmp(dbuf_text(&b), "") == 0);

    /* The scalar readers, on the same tree. */
    const struct key_rule *count_rule = schema_rule(map_rules, N_MAP_RULES, "count");
    CHECK(count_rule == &map_rules[2]);
    CHECK(schema_rule(map_rules, N_MAP_RULES, "nope") == NULL);
    long cnt = 0;
    CHECK(m && schema_int(&c, ytree_get(m, "count"), "workload.count", count_rule, &cnt) && cnt == 8);
    ytree_free(m);
    m = parse(&b, "a: 2.5\nb: '3'\nc: 0\nd: \nq: 1e400\n");
    double v = 0;
    CHECK(m && !schema_int(&c, ytree_get(m, "a"), "x.a", count_rule, &cnt));
    CHECK(said(&b, "t.yaml:1:4: error: x.a: expected a whole number, got '2.5'"));
    CHECK(m && !schema_number(&c, ytree_get(m, "b"), "x.b", count_rule, &v));
    CHECK(said(&b, "t.yaml:2:4: error: x.b: expected a number, got the quoted string '3'"));
    CHECK(m && !schema_int(&c, ytree_get(m, "c"), "x.c", count_rule, &cnt));
    CHECK(said(&b, "t.yaml:3:4: error: x.c: 0 is outside the valid range [1, 1e+07]"));
    CHECK(m && !schema_number(&c, ytree_get(m, "d"), "x.d", count_rule, &v));
    CHECK(said(&b, "x.d: expected a number, got an empty value"));
    CHECK(m && !schema_number(&c, ytree_get(m, "q"), "x.q", count_rule, &v));
    CHECK(said(&b, "x.q: '1e400' is too large (overflows a double)"));
    CHECK(cnt == 8 && v == 0); /* failed reads leave the output alone */
    ytree_free(m);
    char range[64];
    schema_format_range(range, sizeof range, &map_rules[0]);
    CHECK(strcmp(range, "(0, inf)") == 0);
    schema_format_range(range, sizeof range, count_rule);
    CHECK(strcmp(range, "[1, 1e+07]") == 0);
    char joined[64];
    schema_join(joined, sizeof joined, "facility", "pue");
    CHECK(strcmp(joined, "facility.pue") == 0);
    schema_join(joined, sizeof joined, "", "name");
    CHECK(strcmp(joined, "name") == 0);
    dbuf_close(&b);
}

/* Rules for schema_param: mfu in (0, 1]; a positive duration (0, inf); anything. */
static const struct key_rule mfu_rule = KEY_RULE("mfu", KEY_PARAM, KEY_LO_OPEN, 0, 1, "");
static const struct key_rule pos_rule = KEY_RULE("restart_min", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "");
static const struct key_rule any_rule = KEY_RULE("x", KEY_PARAM, 0, -HUGE_VAL, HUGE_VAL, "");

/* Parses yaml and adds it as an input; returns the input (NULL if parsing failed). */
static const struct input *param(struct dbuf *b, struct schema *c, const char *yaml, const struct key_rule *rule,
                                 double dflt)
{
    struct ynode *n = parse(b, yaml);
    if (!n)
        return NULL;
    const int before = c->spec->n_inputs;
    const int i = schema_param(c, n, "workload.mfu", rule, dflt, INPUT_PER_SAMPLE);
    ytree_free(n);
    if (i != before || c->spec->n_inputs != before + 1)
        return NULL;
    return &c->spec->inputs[i];
}

static void test_param(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct spec spec;
    memset(&spec, 0, sizeof spec);
    struct schema c = { &b.d, &spec };
    const struct input *in;

    /* A plain number and {dist: fixed}: the value. */
    in = param(&b, &c, "0.42", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->dist.value == 0.42 && in->central == 0.42);
    CHECK(in && strcmp(in->path, "workload.mfu") == 0 && in->draw == INPUT_PER_SAMPLE);
    in = param(&b, &c, "{dist: fixed, value: 0.42}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.42);

    /* normal: the mean clipped into [min, max]. */
    in = param(&b, &c, "{dist: normal, mean: 0.35, sd: 0.05, min: 0.2, max: 0.5}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == 0.35);
    CHECK(in && in->dist.a == 0.35 && in->dist.b == 0.05 && in->dist.lo == 0.2 && in->dist.hi == 0.5);
    in = param(&b, &c, "{dist: normal, mean: 0.45, sd: 0.1, min: 0.3, max: 0.4}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == 0.4); /* clipped to max */
    in = param(&b, &c, "{dist: normal, mean: 0.1, sd: 0.1, min: 0.2, max: 0.5}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == 0.2); /* clipped to min */
    /* An unbounded parameter takes an untruncated normal: lo/hi are infinite. */
    in = param(&b, &c, "{dist: normal, mean: -3.5, sd: 2}", &any_rule, 0);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == -3.5 && isinf(in->dist.lo) && isinf(in->dist.hi));
    CHECK(b.d.n_errors == 0);

    /* uniform: (0.30 + 0.38) / 2 = 0.34. */
    in = param(&b, &c, "{dist: uniform, min: 0.30, max: 0.38}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_UNIFORM && in->dist.lo == 0.30 && in->dist.hi == 0.38);
    CHECK(in && fabs(in->central - 0.34) < 1e-15);
    /* triangular: (0.2 + 0.35 + 0.41) / 3 = 0.96 / 3 = 0.32. */
    in = param(&b, &c, "{dist: triangular, min: 0.2, mode: 0.35, max: 0.41}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_TRIANGULAR && in->dist.a == 0.35);
    CHECK(in && fabs(in->central - 0.32) < 1e-15);
    /* pert: (0.2 + 4 * 0.35 + 0.41) / 6 = 2.01 / 6 = 0.335. */
    in = param(&b, &c, "{dist: pert, min: 0.2, mode: 0.35, max: 0.41}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_PERT && in->dist.lo == 0.2 && in->dist.a == 0.35 && in->dist.hi == 0.41);
    CHECK(in && fabs(in->central - 0.335) < 1e-15);
    /* lognormal: the median, support (0, inf). */
    in = param(&b, &c, "{dist: lognormal, median: 30, gsd: 1.8}", &pos_rule, 1);
    CHECK(in && in->dist.kind == DIST_LOGNORMAL && in->central == 30 && in->dist.a == 30 && in->dist.b == 1.8);
    CHECK(in && in->dist.lo == 0 && isinf(in->dist.hi));
    /* choice: weights 3 and 1 normalised to 0.75 and 0.25: 0.75 * 0.2 + 0.25 * 0.6 = 0.3. */
    in = param(&b, &c, "{dist: choice, values: [0.2, 0.6], weights: [3, 1]}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_CHOICE && in->dist.n_values == 2);
    if (in && in->dist.n_values == 2) {
        CHECK(in->dist.weights[0] == 0.75 && in->dist.weights[1] == 0.25);
        CHECK(in->dist.values[0] == 0.2 && in->dist.values[1] == 0.6);
        CHECK(fabs(in->central - 0.3) < 1e-15);
        CHECK(in->dist.lo == 0.2 && in->dist.hi == 0.6);
    }
    /* choice with default (equal) weights: (0.2 + 0.3 + 0.7) / 3 = 0.4. */
    in = param(&b, &c, "{dist: choice, values: [0.2, 0.3, 0.7]}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_CHOICE && in->dist.n_values == 3);
    if (in && in->dist.n_values == 3) {
        CHECK(fabs(in->dist.weights[0] - 1.0 / 3) < 1e-15 && fabs(in->dist.weights[2] - 1.0 / 3) < 1e-15);
        CHECK(fabs(in->central - 0.4) < 1e-15);
    }
    CHECK(b.d.n_errors == 0);
    if (b.d.n_errors)
        fprintf(stderr, "%s", dbuf_text(&b));

    /* Errors: each still adds a valid input holding the default (0.5), fixed. */
    const int e0 = b.d.n_errors;
    in = param(&b, &c, "{dist: normal, mean: 0.4, sd: 0.05}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.5 && in->dist.value == 0.5);
    CHECK(b.d.n_errors == e0 + 1);
    CHECK(said(&b, "t.yaml:1:1: error: workload.mfu: an untruncated normal can leave the valid range (0, 1]; "
                   "add min and max"));
    in = param(&b, &c, "{dist: normal, mean: 0.4, sd: 0.05, min: 0.1}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.5);
    CHECK(said(&b, "valid range (0, 1]; add max"));
    in = param(&b, &c, "{dist: normal, mean: 30, sd: 5}", &pos_rule, 30);
    CHECK(in && in->dist.kind == DIST_FIXED);
    CHECK(said(&b, "valid range (0, inf); add min\n"));
    in = param(&b, &c, "{dist: normal, mean: 5, sd: 0.01, min: 0.2, max: 0.5}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED);
    CHECK(said(&b, "workload.mfu: [min, max] keeps almost none of this normal's probability (mean 5, sd 0.01)"));
    in = param(&b, &c, "{dist: lognormal, median: 0.4, gsd: 1.2}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED);
    CHECK(said(&b, "workload.mfu: a lognormal can take any positive value, outside the valid range (0, 1]"));
    in = param(&b, &c, "{dist: uniform, min: 0.5, max: 1.2}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: this uniform can take values in [0.5, 1.2], outside the valid range (0, 1]"));
    in = param(&b, &c, "{dist: uniform, min: 0.4, max: 0.3}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: min (0.4) must be below max (0.3)"));
    in = param(&b, &c, "{dist: pert, min: 0.2, mode: 0.6, max: 0.5}", &mfu_rule, 0.5);
    CHECK(said(&b, "t.yaml:1:30: error: workload.mfu: mode (0.6) must lie in [min, max] = [0.2, 0.5]"));
    in = param(&b, &c, "{dist: normall, mean: 0.4, sd: 0.1}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu.dist: unknown distribution 'normall' (did you mean 'normal'?)"));
    in = param(&b, &c, "{dist: uniform, min: 0.2}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: missing required key 'max'"));
    in = param(&b, &c, "{dist: uniform, min: 0.2, max: 0.4, mode: 0.3}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: unknown key 'mode'"));
    in = param(&b, &c, "{dist: choice, values: [0.2, 0.6], weights: [1]}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu.weights: 1 weights for 2 values"));
    in = param(&b, &c, "{dist: choice, values: [0.2, 1.5]}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu.values[1]: 1.5 is outside the valid range (0, 1]"));
    in = param(&b, &c, "{mean: 0.4}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: a distribution needs a 'dist' key"));
    in = param(&b, &c, "1.5", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.5);
    CHECK(said(&b, "workload.mfu: 1.5 is outside the valid range (0, 1]"));
    in = param(&b, &c, "0", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: 0 is outside the valid range (0, 1]")); /* lo is open */
    CHECK(b.d.n_errors == e0 + 16);
    CHECK(in && in->central == 0.5);

    /* No node: a fixed input at the default; per-restart draws get the "restarts" stream. */
    const int i = schema_param(&c, NULL, "reliability.restart_min", &pos_rule, 30, INPUT_PER_RESTART);
    CHECK(spec.inputs[i].dist.kind == DIST_FIXED && spec.inputs[i].central == 30);
    CHECK(spec.inputs[i].draw == INPUT_PER_RESTART);
    const int j = schema_copy_input(&c, i, "reliability.planned_downtime_min", INPUT_PER_MAINTENANCE);
    CHECK(j == i + 1 && spec.inputs[j].central == 30 && strcmp(spec.inputs[j].path, "reliability.planned_downtime_min") == 0);
    CHECK(spec.inputs[j].stream != spec.inputs[i].stream);
    CHECK(strcmp(schema_dist_name(DIST_PERT), "pert") == 0 && strcmp(schema_dist_name(DIST_CHOICE), "choice") == 0);
    spec_release(&spec);
    dbuf_close(&b);
}

/* ---- the generic reader */

struct read_target {
    double number;
    long integer;
    int small;
    char *text;
    int param;
    double kept;
};

#define AT(field) KEY_AT(struct read_target, field)
static const struct key_rule read_rules[] = {
    { .key = "number", .type = KEY_NUMBER, .hi = 10, .dflt = 2.5, .dest = AT(number) },
    { .key = "integer", .type = KEY_INT, .lo = 1, .hi = 100, .dflt = 7, .dest = AT(integer) },
    { .key = "small", .type = KEY_INT, .flags = KEY_TO_INT, .hi = 3, .dflt = 1, .dest = AT(small) },
    { .key = "text", .type = KEY_STRING, .dflt_text = "none", .dest = AT(text) },
    { .key = "param", .type = KEY_PARAM, .flags = KEY_LO_OPEN, .hi = HUGE_VAL, .dflt = 4, .dest = AT(param) },
    { .key = "kept", .type = KEY_NUMBER, .flags = KEY_KEEP, .hi = 1e3, .dest = AT(kept) },
    { .key = "custom", .type = KEY_NUMBER, .hi = 1 },
};
enum { N_READ_RULES = (int)(sizeof read_rules / sizeof read_rules[0]) };

static void test_read(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct spec s = { 0 };
    struct schema c = { &b.d, &s };
    /* absent keys: the table's defaults; KEY_KEEP leaves the field; a load-time default wins */
    struct ynode *m = parse(&b, "custom: 5\n");
    struct read_target t = { .kept = 42 };
    const struct key_default dyn[] = { { "integer", 11 }, { "number", NAN } };
    schema_read(&c, m, "sec", read_rules, N_READ_RULES, &t, dyn, 2);
    CHECK(b.d.n_errors == 0);
    CHECK(t.number == 2.5 && t.integer == 11 && t.small == 1 && t.kept == 42);
    CHECK(t.text && strcmp(t.text, "none") == 0);
    CHECK(t.param == 0 && s.n_inputs == 1 && s.inputs[0].central == 4 && strcmp(s.inputs[0].path, "sec.param") == 0);
    free(t.text);
    ytree_free(m);
    /* given keys, and a bad one reported at its value with the table's range */
    m = parse(&b, "number: 3\ninteger: 200\nsmall: 2\ntext: hi\nparam: {dist: uniform, min: 1, max: 3}\nkept: 9\n");
    schema_read(&c, m, "sec", read_rules, N_READ_RULES, &t, NULL, 0);
    CHECK(t.number == 3 && t.integer == 7 && t.small == 2 && t.kept == 9 && strcmp(t.text, "hi") == 0);
    CHECK(t.param == 1 && s.inputs[1].central == 2);
    CHECK(b.d.n_errors == 1 && said(&b, "t.yaml:2:10: error: sec.integer: 200 is outside the valid range [1, 100]"));
    free(t.text);
    ytree_free(m);
    /* no mapping at all (an absent section): every default */
    struct read_target u = { 0 };
    schema_read(&c, NULL, "sec", read_rules, N_READ_RULES, &u, NULL, 0);
    CHECK(u.number == 2.5 && u.integer == 7 && u.small == 1 && strcmp(u.text, "none") == 0);
    free(u.text);
    spec_release(&s);
    dbuf_close(&b);
}

int main(void)
{
    test_parse_number();
    test_suggest();
    test_check_map();
    test_param();
    test_read();
    return CHECK_EXIT();
}
