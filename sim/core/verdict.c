/*
 * verdict.c - a published figure against its simulation (core/verdict.h).
 */
#include "core/verdict.h"

#include <math.h>

struct verdict verdict_of(double reported, double tolerance_pct, bool is_prediction, double p5, double p50,
                          double p95)
{
    struct verdict v;
    v.error_pct = 100.0 * (p50 - reported) / reported;
    v.inside = p5 <= reported && reported <= p95;
    v.ok = is_prediction || fabs(v.error_pct) <= tolerance_pct;
    return v;
}
