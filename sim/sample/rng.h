/*
 * rng.h - seeding policy: one GSL generator state per (seed, sample, stream).
 *
 * A stream is the hash of a key path ("facility.pue") or of an event process name
 * ("failures", "restarts", "planned", "maintenance"). Every draw of sample i for a stream
 * comes from a generator seeded from (seed, i, stream) and nothing else, so results do not
 * depend on threads, ranks or which other inputs exist (DESIGN 3.1). The generator is GSL's
 * taus2 (L'Ecuyer 1996, maximally equidistributed, period 2^88): it seeds in a few
 * operations, which matters because every sample reseeds it once per input. GSL generators
 * take a 32-bit seed, so the 64-bit mix is folded to 32 bits.
 */
#ifndef TS_SAMPLE_RNG_H
#define TS_SAMPLE_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* Names of the event streams. */
#define RNG_STREAM_FAILURES "failures"
#define RNG_STREAM_PLANNED "planned"
#define RNG_STREAM_RESTARTS "restarts"
#define RNG_STREAM_MAINTENANCE "maintenance"

/* A new generator of the project's type; free with gsl_rng_free(). */
gsl_rng *rng_new(void);

/* The 32-bit seed of (seed, sample, stream). */
unsigned long rng_seed_of(unsigned long seed, long sample, uint64_t stream);

/* Reseeds r for (seed, sample, stream). */
void rng_reseed(gsl_rng *r, unsigned long seed, long sample, uint64_t stream);

#endif
