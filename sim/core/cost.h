/*
 * cost.h - what a run costs and the water it uses off site (DESIGN 9): the four parts of
 * cost_usd and water_offsite_l, from a sample's inputs, its wall time and its energy.
 *
 *   rental    gpu_hour_usd x count x wall_h
 *   capex     count x wall_h x capex_usd_per_gpu / (1 - interconnect_share) x annuity / 8766,
 *             annuity = 1 / years (cost_of_capital 0: straight line), else r / (1 - (1 + r)^-years)
 *   energy    electricity_usd_per_kwh x facility kWh
 *   facility  colocation_usd_per_kw_month x peak IT kW x wall_h / (8766 / 12)
 *
 * Pure arithmetic (core/): no I/O, no allocation.
 */
#ifndef TS_CORE_COST_H
#define TS_CORE_COST_H

#include "core/spec.h"

/* Hours in a year (365.25 days): amortisation and colocation months use it. */
#define COST_HOURS_PER_YEAR 8766.0

/* Amortised capex per accelerator-hour, USD: capex / (1 - interconnect_share) x the annuity
 * factor of 'years' at annual rate 'rate' (0: straight line) / 8766. */
double cost_capex_usd_per_gpu_h(double capex_usd_per_gpu, double years, double interconnect_share, double rate);

/* Peak IT power of the sample with inputs x, W: the larger of the busiest stage's running draw
 * and the idle draw, with the overheads. */
double cost_peak_it_w(const struct spec *s, const double *x);

/* Fills the cost metrics (cost_usd and its four parts) and water_offsite_l of m, which must
 * already hold gpu_hours and facility_energy_kwh, for wall time wall_h. */
void cost_metrics(const struct spec *s, const double *x, double wall_h, double *m);

#endif
