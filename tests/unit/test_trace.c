/*
 * test_trace.c - one sample stepped by the sample layer (sample/trace.h): its rows are the
 * run `run` simulates for that sample (the last row agrees with montecarlo_run's row), in
 * time order, with counts that only grow; its chart timeline is thinned to at most
 * TRACE_MAX_POINTS points in time order, ends at the last step, and holds every event.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/result.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "sample/montecarlo.h"
#include "sample/trace.h"
#include "util/diag.h"

static const char *const H800 = TS_SOURCE_DIR "/scenarios/deepseek-v3-h800.yaml";

static bool load(const struct catalog *cat, const char *set, struct spec *s)
{
    struct diag d;
    diag_init(&d, stderr);
    d.quiet_warnings = true;
    const char *sets[1] = { set };
    const struct load_options o = { .sets = sets, .n_sets = set ? 1 : 0, .catalog = cat };
    const bool ok = load_scenario(&d, H800, &o, s);
    diag_release(&d);
    return ok;
}

struct walk {
    long n_rows;
    struct trace_row last;
    bool is_ordered;   /* t_h ascending, cumulative columns never falling */
    struct trace_timeline tl;
};

static void walk(struct trace *t, struct walk *w)
{
    memset(w, 0, sizeof *w);
    w->is_ordered = true;
    struct trace_row row, prev = { 0 };
    while (trace_step(t, &row)) {
        if (w->n_rows && (row.t_h <= prev.t_h || row.it_energy_kwh < prev.it_energy_kwh ||
                          row.co2e_kg < prev.co2e_kg || row.interruptions < prev.interruptions ||
                          row.checkpoints < prev.checkpoints || row.maintenances < prev.maintenances))
            w->is_ordered = false;
        prev = row;
        w->n_rows++;
    }
    w->last = prev;
    CHECK(!trace_step(t, &row)); /* stays ended */
    trace_timeline(t, &w->tl);
}

static bool ascending(const double *v, long n)
{
    for (long i = 1; i < n; i++)
        if (!(v[i] > v[i - 1]))
            return false;
    return true;
}

static void test_equals_run(const struct catalog *cat)
{
    struct spec s;
    CHECK(load(cat, NULL, &s));
    const long sample = 3;
    const struct mc_options mo = { .samples = sample + 1, .seed = s.seed, .threads = 1 };
    struct mc_result res;
    montecarlo_run(&s, &mo, &res);
    const double *m = &res.metrics[sample * METRIC_COUNT];

    struct trace *t = trace_new(&s, sample, false);
    struct walk w;
    walk(t, &w);
    CHECK(w.n_rows > 1);
    CHECK(w.is_ordered);
    CHECK(strcmp(w.last.state, "DONE") == 0);
    CHECK(w.last.progress_frac == 1.0);
    /* the same trial: the reference walk here, the fast engine in run (issue 15), so the
     * sums agree within 1e-9 and the event counts exactly (as tests/test_trace.sh checks) */
    CHECK_NEAR(w.last.it_energy_kwh, m[METRIC_IT_ENERGY_KWH], 1e-9);
    CHECK_NEAR(w.last.facility_energy_kwh, m[METRIC_FACILITY_ENERGY_KWH], 1e-9);
    CHECK_NEAR(w.last.co2e_kg, m[METRIC_CO2E_KG], 1e-9);
    CHECK_NEAR(w.last.t_h, m[METRIC_WALL_DAYS] * 24, 1e-9);
    CHECK(w.last.interruptions == (long)m[METRIC_INTERRUPTIONS]);
    CHECK(w.last.interruptions > 0); /* the case exercises failures */
    /* a short run keeps every step; every failure is seen, and restarted but for one at the end */
    CHECK(w.tl.n == w.n_rows);
    CHECK(w.tl.t_h[w.tl.n - 1] == w.last.t_h);
    CHECK(w.tl.n_failures == w.last.interruptions);
    CHECK(w.tl.n_restarts == w.last.interruptions);
    CHECK(w.tl.n_checkpoints == w.last.checkpoints);
    CHECK(w.tl.n_maintenances == w.last.maintenances);
    CHECK(ascending(w.tl.t_h, w.tl.n));
    trace_free(t);
    trace_free(NULL);
    mc_result_release(&res);
    spec_release(&s);
}

static void test_thinned(const struct catalog *cat)
{
    struct spec s;
    CHECK(load(cat, "sim.step_min=1", &s)); /* about 61 days of 1-minute steps: 88,000 rows */
    struct trace *t = trace_new(&s, 0, true);
    struct walk w;
    walk(t, &w);
    CHECK(w.n_rows > TRACE_MAX_POINTS);
    CHECK(w.is_ordered);
    CHECK(w.tl.n <= TRACE_MAX_POINTS && w.tl.n > TRACE_MAX_POINTS / 4);
    CHECK(ascending(w.tl.t_h, w.tl.n));
    CHECK(w.tl.t_h[0] > 0 && w.tl.t_h[0] <= 1.0 / 60 + 1e-12); /* the first step is kept */
    CHECK(w.tl.t_h[w.tl.n - 1] == w.last.t_h);                  /* and the last */
    CHECK(w.tl.progress_frac[w.tl.n - 1] == 1.0);
    CHECK(w.tl.n_failures == 0 && w.last.interruptions == 0);   /* nominal: no random events */
    trace_free(t);
    spec_release(&s);
}

int main(void)
{
    struct diag d;
    diag_init(&d, stderr);
    struct catalog cat;
    CHECK(catalog_load(&cat, &d, NULL));
    test_equals_run(&cat);
    test_thinned(&cat);
    catalog_release(&cat);
    diag_release(&d);
    return CHECK_EXIT();
}
