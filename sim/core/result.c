/*
 * result.c - the metric table: JSON keys, units and labels (DESIGN 3.6).
 */
#include "core/result.h"

#include <string.h>

/* keep in sync with enum metric -- grep METRIC_ORDER */
static const struct metric_info metric_table[METRIC_COUNT] = {
    { "wall_days", "days", "wall time" },
    { "gpu_hours", "h", "allocated GPU-hours" },
    { "training_gpu_hours", "h", "training GPU-hours" },
    { "lost_gpu_hours", "h", "lost GPU-hours" },
    { "ettr", "fraction", "effective training time ratio" },
    { "interruptions", "count", "unplanned interruptions" },
    { "it_energy_kwh", "kWh", "IT energy" },
    { "facility_energy_kwh", "kWh", "facility energy" },
    { "co2e_kg", "kg", "CO2e, location-based" },
    { "co2e_market_kg", "kg", "CO2e, market-based" },
    { "embodied_co2e_kg", "kg", "embodied CO2e" },
    { "total_co2e_kg", "kg", "total CO2e" },
    { "water_l", "L", "site water" },
    { "water_offsite_l", "L", "off-site water (generation)" },
    { "cost_usd", "USD", "cost" },
    { "cost_rental_usd", "USD", "cost: rental" },
    { "cost_capex_usd", "USD", "cost: owned hardware" },
    { "cost_energy_usd", "USD", "cost: electricity" },
    { "cost_facility_usd", "USD", "cost: colocation" },
    { "car_years", "car-years", "car-years (EPA)" },
    { "household_years", "household-years", "household-years (EIA)" },
    { "tokens_per_gpu_s", "tokens/s", "tokens per GPU-second" },
    { "mfu", "fraction", "model FLOP utilisation" },
    { "effective_mfu", "fraction", "effective MFU over the run" },
    { "step_time_s", "s", "optimizer step time" },
    { "memory_gb_per_gpu", "GB", "memory per GPU" },
};

const struct metric_info *metric_info(int m)
{
    return &metric_table[m];
}

int metric_find(const char *key)
{
    for (int m = 0; m < METRIC_COUNT; m++)
        if (strcmp(metric_table[m].key, key) == 0)
            return m;
    return -1;
}
