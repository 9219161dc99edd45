/** @file
 * lrnnkit — the seeded pseudo-random generator every module uses.
 *
 * xoshiro256** (Blackman & Vigna 2018), state seeded from a 64-bit seed by
 * splitmix64, exactly as in the authors' reference description; so the same
 * seed gives the same stream on every machine. lk_rng_below draws uniformly
 * from [0, n) without bias (Lemire's multiply-and-reject), and
 * lk_rng_mpz_below from [0, n) for big n (rejection on the bit length).
 */
#pragma once

#include <gmp.h>
#include <stdint.h>

/** A xoshiro256** generator (the caller's struct; no heap). */
typedef struct {
    uint64_t s[4]; /**< the state */
} LkRng;

/** Seeds r (splitmix64 of seed). */
void lk_rng_init(LkRng *r, uint64_t seed);
/** The stream for `index` under `seed` (e.g. one per shard or per example),
 * independent of how many numbers other streams drew. */
void lk_rng_init_stream(LkRng *r, uint64_t seed, uint64_t index);
/** @{ */
/** The next 64 bits (inline: the dataset generators draw one per token). */
static inline uint64_t lk_rng_next(LkRng *r)
{
    uint64_t *s = r->s;
    const uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}
/** @} */
/** @{ */
/** Uniform in [0, n), n >= 1. */
uint64_t lk_rng_below_slow(LkRng *r, uint64_t n, unsigned __int128 m);
static inline uint64_t lk_rng_below(LkRng *r, uint64_t n)
{
    unsigned __int128 m = (unsigned __int128)lk_rng_next(r) * n;
    if ((uint64_t)m < n) return lk_rng_below_slow(r, n, m); /* maybe reject (rare) */
    return (uint64_t)(m >> 64);
}
/** @} */
/** Uniform in [0, 1) with 53 random bits. */
double lk_rng_double(LkRng *r);
/** out = uniform in [0, n), n >= 1. */
void lk_rng_mpz_below(LkRng *r, mpz_t out, const mpz_t n);
