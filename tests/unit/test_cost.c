/*
 * test_cost.c - the cost parts and off-site water of a run (core/cost.c) against hand
 * arithmetic: the owned-cluster capex formula of DESIGN 9 to 1e-9, the annuity, the
 * colocation charge on peak IT power, and cost_usd as the sum of its parts.
 */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/cost.h"
#include "core/result.h"
#include "core/spec.h"

/* Input indices of the hand-built spec below; x holds their values. */
enum { X_GPU_HOUR, X_ELEC, X_CAPEX, X_YEARS, X_SHARE, X_RATE, X_COLO, X_WATER, X_TDP, X_OVERHEAD, X_NODE_W, X_IDLE,
       X_BUSY0, X_BUSY1, X_N };

static void hand_spec(struct spec *s, struct stage_spec st[2])
{
    memset(s, 0, sizeof *s);
    memset(st, 0, 2 * sizeof *st);
    s->count = 16;
    s->n_nodes = 2;
    s->gpu_hour_usd_in = X_GPU_HOUR;
    s->electricity_usd_per_kwh_in = X_ELEC;
    s->capex_usd_per_gpu_in = X_CAPEX;
    s->amortisation_years_in = X_YEARS;
    s->interconnect_share_in = X_SHARE;
    s->cost_of_capital_in = X_RATE;
    s->colocation_usd_per_kw_month_in = X_COLO;
    s->water_l_per_kwh_in = X_WATER;
    s->tdp_w_in = X_TDP;
    s->overhead_factor_in = X_OVERHEAD;
    s->node_overhead_w_in = X_NODE_W;
    s->idle_fraction_in = X_IDLE;
    st[0].busy_fraction_in = X_BUSY0;
    st[1].busy_fraction_in = X_BUSY1;
    s->stages = st;
    s->n_stages = 2;
}

static void metrics(const struct spec *s, const double *x, double wall_h, double fac_kwh, double *m)
{
    for (int i = 0; i < METRIC_COUNT; i++)
        m[i] = 0;
    m[METRIC_GPU_HOURS] = (double)s->count * wall_h;
    m[METRIC_FACILITY_ENERGY_KWH] = fac_kwh;
    cost_metrics(s, x, wall_h, m);
}

static void test_straight_line(void)
{
    struct spec s;
    struct stage_spec st[2];
    hand_spec(&s, st);
    double x[X_N] = { 0 };
    x[X_CAPEX] = 46875;  /* DGX H100, 375,000 USD / 8 (Epoch's price row of 2025-03-03) */
    x[X_YEARS] = 4;
    x[X_SHARE] = 0.19;   /* Epoch: interconnect = 19 % of the total */
    x[X_TDP] = 700;
    x[X_OVERHEAD] = 1;
    x[X_BUSY0] = x[X_BUSY1] = 1;
    const double wall_h = 1234.5;
    double m[METRIC_COUNT];
    metrics(&s, x, wall_h, 0, m);
    /* count x wall_h x capex / (1 - share) / (years x 8766)
     * = 16 x 1234.5 x 46875 / 0.81 / 35064 = 925,875,000 / 0.81 / 35064 = 32,599.12 */
    const double want = 16 * 1234.5 * 46875 / (1 - 0.19) / (4 * 8766.0);
    CHECK_NEAR(m[METRIC_COST_CAPEX_USD], want, 1e-9);
    CHECK_NEAR(m[METRIC_COST_CAPEX_USD], 32599.120338682, 1e-9);
    CHECK_NEAR(m[METRIC_COST_USD], want, 1e-12);
    CHECK_ABS(m[METRIC_COST_RENTAL_USD], 0, 0);
    CHECK_ABS(m[METRIC_COST_FACILITY_USD], 0, 0);
    /* Epoch's per-chip-hour illustration: 46,875 x 0.3224 / 8766 / 0.81 = 2.13 USD with their
     * 0.3224 per year replacement rate, i.e. amortisation_years = 1 / 0.3224 = 3.10 years (2.1281 before rounding). */
    const double epoch_years = 1 / (0.14 * log(10));
    CHECK_NEAR(cost_capex_usd_per_gpu_h(46875, epoch_years, 0.19, 0), 2.1281, 1e-4);
}

static void test_annuity(void)
{
    /* r = 8 %, 5 years: annuity factor 0.08 / (1 - 1.08^-5); 1.08^5 = 1.4693280768,
     * 1 - 1 / 1.4693280768 = 0.3194168031, factor = 0.2504564546 per year. */
    CHECK_NEAR(cost_capex_usd_per_gpu_h(30000, 5, 0, 0.08), 30000 * 0.2504564546 / 8766, 1e-9);
    CHECK_NEAR(cost_capex_usd_per_gpu_h(30000, 5, 0, 0.08), 30000 * 0.08 / (1 - pow(1.08, -5)) / 8766, 1e-12);
    /* A vanishing rate tends to the straight line. */
    CHECK_NEAR(cost_capex_usd_per_gpu_h(30000, 5, 0.19, 1e-12), 30000 / 0.81 / 5 / 8766, 1e-9);
    /* Interest makes owning dearer than the straight line. */
    CHECK(cost_capex_usd_per_gpu_h(30000, 5, 0, 0.08) > cost_capex_usd_per_gpu_h(30000, 5, 0, 0));
}

static void test_parts_and_water(void)
{
    struct spec s;
    struct stage_spec st[2];
    hand_spec(&s, st);
    double x[X_N] = { 0 };
    x[X_GPU_HOUR] = 2.5;
    x[X_ELEC] = 0.0892;  /* EIA Virginia industrial 2023, 8.92 cents */
    x[X_CAPEX] = 31250;
    x[X_YEARS] = 5;
    x[X_SHARE] = 0;
    x[X_RATE] = 0;
    x[X_COLO] = 184.06;  /* CBRE H2 2024 */
    x[X_WATER] = 2.385;  /* Ren et al., Virginia */
    x[X_TDP] = 700;
    x[X_OVERHEAD] = 1.2;
    x[X_NODE_W] = 500;
    x[X_IDLE] = 0.15;
    x[X_BUSY0] = 0.9;
    x[X_BUSY1] = 1.2;    /* the busier stage sets the peak */
    const double wall_h = 730.5;  /* one month of 8766 / 12 h */
    const double fac_kwh = 12345;
    double m[METRIC_COUNT];
    metrics(&s, x, wall_h, fac_kwh, m);
    /* peak IT = 16 x 700 x 1.2 x 1.2 + 2 x 500 = 16,128 + 1,000 = 17,128 W = 17.128 kW */
    CHECK_NEAR(cost_peak_it_w(&s, x), 17128, 1e-15);
    CHECK_NEAR(m[METRIC_COST_FACILITY_USD], 184.06 * 17.128, 1e-12);  /* one month */
    CHECK_NEAR(m[METRIC_COST_RENTAL_USD], 2.5 * 16 * 730.5, 1e-15);
    CHECK_NEAR(m[METRIC_COST_ENERGY_USD], 0.0892 * 12345, 1e-15);
    CHECK_NEAR(m[METRIC_COST_CAPEX_USD], 16 * 730.5 * 31250 / (5 * 8766.0), 1e-12);  /* = 8,333.33: 1/60 of 16 x 31,250 */
    CHECK_NEAR(m[METRIC_COST_CAPEX_USD], 16 * 31250 / 60.0, 1e-12);
    CHECK_NEAR(m[METRIC_COST_USD],
               m[METRIC_COST_RENTAL_USD] + m[METRIC_COST_CAPEX_USD] + m[METRIC_COST_ENERGY_USD] +
                   m[METRIC_COST_FACILITY_USD], 1e-15);
    CHECK_NEAR(m[METRIC_WATER_OFFSITE_L], 12345 * 2.385, 1e-15);
}

int main(void)
{
    test_straight_line();
    test_annuity();
    test_parts_and_water();
    return CHECK_EXIT();
}
