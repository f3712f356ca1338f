/*
 * hash.c - FNV-1a for names and the SplitMix64 finaliser for seeds.
 */
#include "util/hash.h"

uint64_t hash_string(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a 64 offset basis */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL; /* FNV-1a 64 prime */
    }
    return h;
}

uint64_t hash_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL; /* SplitMix64 (Steele, Lea, Flood 2014) */
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
