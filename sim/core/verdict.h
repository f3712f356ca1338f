/*
 * verdict.h - a published figure against its simulation (DESIGN 7): the error of the
 * simulated median, whether the figure lies inside the simulated P5-P95 band, and whether a
 * consistency case passes. Pure arithmetic; sample/validate.c runs the cases.
 */
#ifndef TS_CORE_VERDICT_H
#define TS_CORE_VERDICT_H

#include <stdbool.h>

struct verdict {
    double error_pct; /* 100 (p50 - reported) / reported */
    bool inside;      /* p5 <= reported <= p95 */
    bool ok;          /* consistency: |error_pct| <= tolerance_pct; a prediction: always */
};

/* The verdict on reported (nonzero) against the simulated p5, p50 and p95. */
struct verdict verdict_of(double reported, double tolerance_pct, bool is_prediction, double p5, double p50,
                          double p95);

#endif
