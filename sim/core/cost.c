/*
 * cost.c - the cost parts and off-site water of one run (see cost.h).
 */
#include "core/cost.h"

#include <math.h>

#include "core/result.h"

static const double MONTHS_PER_YEAR = 12.0;
static const double W_PER_KW = 1000.0;

double cost_capex_usd_per_gpu_h(double capex_usd_per_gpu, double years, double interconnect_share, double rate)
{
    /* r / (1 - (1 + r)^-n), written with expm1/log1p so that small rates lose nothing */
    const double annuity = rate > 0 ? rate / -expm1(-years * log1p(rate)) : 1.0 / years;
    return capex_usd_per_gpu / (1.0 - interconnect_share) * annuity / COST_HOURS_PER_YEAR;
}

double cost_peak_it_w(const struct spec *s, const double *x)
{
    double frac = x[s->idle_fraction_in];
    for (int k = 0; k < s->n_stages; k++)
        frac = fmax(frac, x[s->stages[k].busy_fraction_in]);
    return (double)s->count * x[s->tdp_w_in] * frac * x[s->overhead_factor_in] +
           (double)s->n_nodes * x[s->node_overhead_w_in];
}

void cost_metrics(const struct spec *s, const double *x, double wall_h, double *m)
{
    const double facility_kwh = m[METRIC_FACILITY_ENERGY_KWH];
    m[METRIC_WATER_OFFSITE_L] = facility_kwh * x[s->water_l_per_kwh_in];
    m[METRIC_COST_RENTAL_USD] = x[s->gpu_hour_usd_in] * m[METRIC_GPU_HOURS];
    const double capex = x[s->capex_usd_per_gpu_in];
    m[METRIC_COST_CAPEX_USD] =
        capex > 0 ? m[METRIC_GPU_HOURS] * cost_capex_usd_per_gpu_h(capex, x[s->amortisation_years_in],
                                                                   x[s->interconnect_share_in], x[s->cost_of_capital_in])
                  : 0;
    m[METRIC_COST_ENERGY_USD] = x[s->electricity_usd_per_kwh_in] * facility_kwh;
    const double colo = x[s->colocation_usd_per_kw_month_in];
    m[METRIC_COST_FACILITY_USD] =
        colo > 0 ? colo * cost_peak_it_w(s, x) / W_PER_KW * wall_h / (COST_HOURS_PER_YEAR / MONTHS_PER_YEAR) : 0;
    m[METRIC_COST_USD] = m[METRIC_COST_RENTAL_USD] + m[METRIC_COST_CAPEX_USD] + m[METRIC_COST_ENERGY_USD] +
                         m[METRIC_COST_FACILITY_USD];
}
