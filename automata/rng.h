/* lrnnkit — the seeded pseudo-random generator every module uses.
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

typedef struct {
    uint64_t s[4];
} LkRng;

void lk_rng_init(LkRng *r, uint64_t seed);
/* The stream for `index` under `seed` (e.g. one per shard or per example),
 * independent of how many numbers other streams drew. */
void lk_rng_init_stream(LkRng *r, uint64_t seed, uint64_t index);
uint64_t lk_rng_next(LkRng *r);
/* Uniform in [0, n), n >= 1. */
uint64_t lk_rng_below(LkRng *r, uint64_t n);
/* Uniform in [0, 1) with 53 random bits. */
double lk_rng_double(LkRng *r);
/* out = uniform in [0, n), n >= 1. */
void lk_rng_mpz_below(LkRng *r, mpz_t out, const mpz_t n);
