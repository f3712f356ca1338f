/*
 * result.h - what one simulated run reports: the metrics of DESIGN 3.6.
 */
#ifndef TS_CORE_RESULT_H
#define TS_CORE_RESULT_H

#include <stdbool.h>

/* keep in sync with metric_info[] in result.c -- grep METRIC_ORDER */
enum metric {
    METRIC_WALL_DAYS,
    METRIC_GPU_HOURS,
    METRIC_TRAINING_GPU_HOURS,
    METRIC_LOST_GPU_HOURS,
    METRIC_ETTR,
    METRIC_INTERRUPTIONS,
    METRIC_IT_ENERGY_KWH,
    METRIC_FACILITY_ENERGY_KWH,
    METRIC_CO2E_KG,
    METRIC_CO2E_MARKET_KG,
    METRIC_EMBODIED_CO2E_KG,
    METRIC_TOTAL_CO2E_KG,
    METRIC_WATER_L,
    METRIC_WATER_OFFSITE_L,
    METRIC_COST_USD,
    METRIC_COST_RENTAL_USD,
    METRIC_COST_CAPEX_USD,
    METRIC_COST_ENERGY_USD,
    METRIC_COST_FACILITY_USD,
    METRIC_CAR_YEARS,
    METRIC_HOUSEHOLD_YEARS,
    METRIC_TOKENS_PER_GPU_S,   /* DESIGN 8: steady-state throughput and utilisation */
    METRIC_MFU,
    METRIC_EFFECTIVE_MFU,
    METRIC_STEP_TIME_S,
    METRIC_MEMORY_GB_PER_GPU,
    METRIC_COUNT
};

struct metric_info {
    const char *key;   /* JSON key, e.g. "wall_days" */
    const char *unit;  /* e.g. "days" */
    const char *label; /* short human label for tables */
};

/* Name, unit and label of metric m (0 <= m < METRIC_COUNT). */
const struct metric_info *metric_info(int m);

/* Index of the metric with JSON key 'key', or -1. */
int metric_find(const char *key);

struct run_result {
    double metric[METRIC_COUNT];
    bool is_unfinished; /* stopped at max_days before the work was done */
};

#endif
