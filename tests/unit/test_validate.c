/*
 * test_validate.c - validation's arithmetic (core/verdict.h) by hand, and a published case
 * run and judged (sample/validate.h) against the statistics of the same run.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/result.h"
#include "core/spec.h"
#include "core/verdict.h"
#include "load/catalog.h"
#include "load/load.h"
#include "sample/montecarlo.h"
#include "sample/validate.h"
#include "util/diag.h"

static void test_verdict(void)
{
    /* reported 200, simulated median 210: +5 %; inside [190, 230]; within a 5 % tolerance */
    struct verdict v = verdict_of(200, 5, false, 190, 210, 230);
    CHECK(v.error_pct == 5.0);
    CHECK(v.inside);
    CHECK(v.ok);
    /* the same at a 4.9 % tolerance fails */
    v = verdict_of(200, 4.9, false, 190, 210, 230);
    CHECK(!v.ok);
    /* a prediction is never a failure, whatever its error; 150 lies below the band */
    v = verdict_of(200, 1, true, 150.5, 150, 180);
    CHECK(v.error_pct == -25.0);
    CHECK(!v.inside);
    CHECK(v.ok);
    /* the band's ends are inside */
    CHECK(verdict_of(190, 0, false, 190, 190, 230).inside);
    CHECK(verdict_of(230, 0, false, 190, 230, 230).inside);
    CHECK(!verdict_of(230.5, 0, false, 190, 230, 230).inside);
    /* exactly on the tolerance passes; a negative error counts by its size */
    CHECK(verdict_of(100, 10, false, 0, 90, 100).ok);
    CHECK(!verdict_of(100, 9.99, false, 0, 90, 100).ok);
    /* a NAN median is never within tolerance */
    CHECK(!verdict_of(100, 10, false, 0, NAN, 100).ok);
}

static void test_case(void)
{
    struct diag d;
    diag_init(&d, stderr);
    d.quiet_warnings = true;
    struct catalog cat;
    CHECK(catalog_load(&cat, &d, NULL));
    struct spec s;
    const struct load_options lo = { .catalog = &cat };
    CHECK(load_scenario(&d, TS_SOURCE_DIR "/scenarios/published/llama-3-8b.yaml", &lo, &s));
    CHECK(s.n_reported > 0);

    struct validate_row *rows = NULL;
    int n = 0;
    validate_case(&s, 1, &rows, &n);
    CHECK(n == s.n_reported);
    const struct mc_options mo = { .samples = s.samples, .seed = s.seed, .threads = 1 };
    struct mc_result res;
    montecarlo_run(&s, &mo, &res);
    const double q[3] = { 0.05, 0.5, 0.95 };
    for (int i = 0; i < n && i < s.n_reported; i++) {
        const struct reported *r = &s.reported[i];
        struct metric_stats st;
        montecarlo_metric_stats(&res, r->metric, 3, q, &st);
        CHECK(strcmp(rows[i].metric, metric_info(r->metric)->key) == 0);
        CHECK(rows[i].run == s.name && rows[i].source == r->source);
        CHECK(rows[i].reported == r->value && rows[i].is_prediction == r->is_prediction);
        CHECK(rows[i].p5 == st.q[0] && rows[i].p50 == st.q[1] && rows[i].p95 == st.q[2]);
        const struct verdict v = verdict_of(r->value, r->tolerance_pct, r->is_prediction, st.q[0], st.q[1], st.q[2]);
        CHECK(rows[i].error_pct == v.error_pct && rows[i].inside == v.inside && rows[i].ok == v.ok);
    }
    /* appending: a second case adds after the first */
    validate_case(&s, 1, &rows, &n);
    CHECK(n == 2 * s.n_reported);
    CHECK(n >= 2 && rows[s.n_reported].p50 == rows[0].p50);

    /* failures are the consistency rows that are not ok */
    const struct validate_row judged[] = { { .ok = true }, { .ok = false }, { .is_prediction = true, .ok = true },
                                           { .ok = false } };
    CHECK(validate_failures(judged, 4) == 2);
    CHECK(validate_failures(judged, 0) == 0);

    mc_result_release(&res);
    free(rows);
    spec_release(&s);
    catalog_release(&cat);
    diag_release(&d);
}

int main(void)
{
    test_verdict();
    test_case();
    return CHECK_EXIT();
}
