/*
 * splitmix.h - a tiny deterministic generator for unit tests that build random inputs
 * (splitmix64). Define SPLITMIX_SEED before including to choose the stream. Include once.
 */
#ifndef TS_TESTS_SPLITMIX_H
#define TS_TESTS_SPLITMIX_H

#include <stdint.h>

static uint64_t rng_state = SPLITMIX_SEED;

/* A uniform in [0, 1). */
static double unif(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

static double between(double lo, double hi)
{
    return lo + (hi - lo) * unif();
}

#endif
