/* Hashing for the constructions' hash tables.
 *
 * lk_mix64: the 64-bit finalizer of MurmurHash3 (Appleby): a bijection that
 * spreads every input bit over the word, so that masking the low bits gives
 * well-mixed table slots. lk_hash_words: a whole array of 32-bit words
 * (subsets, signatures, tuples), one multiply per word and a finalizer; the
 * one hash of word arrays in automata/. */
#pragma once

#include <stddef.h>
#include <stdint.h>

static inline uint64_t lk_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

static inline uint64_t lk_hash_words(const uint32_t *w, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
    for (size_t i = 0; i < len; i++) {
        h ^= w[i];
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 32);
}
