/*
 * rng.c - per-(seed, sample, stream) seeding of GSL generators.
 */
#include "sample/rng.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/hash.h"

gsl_rng *rng_new(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    if (!r) {
        fputs("trainsim: out of memory (gsl_rng_alloc)\n", stderr);
        exit(1);
    }
    return r;
}

unsigned long rng_seed_of(unsigned long seed, long sample, uint64_t stream)
{
    uint64_t h = hash_mix((uint64_t)seed);
    h = hash_mix(h ^ (uint64_t)sample);
    h = hash_mix(h ^ stream);
    return (unsigned long)((h ^ (h >> 32)) & 0xffffffffULL);
}

void rng_reseed(gsl_rng *r, unsigned long seed, long sample, uint64_t stream)
{
    gsl_rng_set(r, rng_seed_of(seed, sample, stream));
}
