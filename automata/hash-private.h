/* The 64-bit finalizer of MurmurHash3 (Appleby), shared by the hash tables of
 * the constructions: a bijection that spreads every input bit over the word,
 * so that masking the low bits gives well-mixed table slots. */
#pragma once

#include <stdint.h>

static inline uint64_t lk_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}
