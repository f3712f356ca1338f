/*
 * hash.h - the two hashes behind reproducible random streams (DESIGN 3.1).
 */
#ifndef TS_UTIL_HASH_H
#define TS_UTIL_HASH_H

#include <stdint.h>

/* FNV-1a, 64 bits, of a NUL-terminated string: the stream id of a key path. */
uint64_t hash_string(const char *s);

/* SplitMix64 finaliser: a well-mixed 64-bit value from x. */
uint64_t hash_mix(uint64_t x);

#endif
