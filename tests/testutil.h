/* Helpers shared by the Check suites: a seeded PRNG (splitmix64) whose seed
 * is printed and can be set with LK_TEST_SEED, random DFAs, brute-force word
 * enumeration. */
#pragma once

#include "automata/dfa.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t lk_test_rng_state;

static inline uint64_t lk_test_seed(void)
{
    static bool printed = false;
    const char *env = getenv("LK_TEST_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 10) : 20261129u;
    if (!printed) fprintf(stderr, "# LK_TEST_SEED=%llu\n", (unsigned long long)seed);
    printed = true;
    return seed;
}

static inline void lk_test_srand(uint64_t salt)
{
    lk_test_rng_state = lk_test_seed() * 0x9E3779B97F4A7C15ull + salt;
}

static inline uint64_t lk_test_rand(void)
{
    uint64_t z = (lk_test_rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint32_t lk_test_below(uint32_t n)
{
    return (uint32_t)(lk_test_rand() % n);
}

/* A random complete DFA with n states over alphabet a. */
static inline LkDfa *lk_test_random_dfa(LkAlphabet *a, uint32_t n, uint32_t accept_percent)
{
    LkDfa *d = lk_dfa_new(a, n, lk_test_below(n));
    for (size_t t = 0; t < (size_t)n * d->k; t++) d->delta[t] = lk_test_below(n);
    for (uint32_t q = 0; q < n; q++) d->accept[q] = lk_test_below(100) < accept_percent;
    return d;
}

/* Calls fn on every word over k symbols of length 0..maxlen. */
static inline void lk_test_each_word(uint32_t k, uint32_t maxlen,
                                     void (*fn)(const uint32_t *w, size_t len, void *ud), void *ud)
{
    uint32_t w[64] = {0};
    for (uint32_t len = 0; len <= maxlen; len++) {
        for (uint32_t i = 0; i < len; i++) w[i] = 0;
        for (;;) {
            fn(w, len, ud);
            uint32_t i = 0;
            while (i < len && ++w[i] == k) w[i++] = 0;
            if (i == len) break;
        }
        if (k == 0) break;
    }
}

/* Calls fn on every word over k symbols of length 0..maxlen in shortlex
 * order (by length, then lexicographically). */
static inline void lk_test_each_word_shortlex(uint32_t k, uint32_t maxlen,
                                              void (*fn)(const uint32_t *w, size_t len, void *ud),
                                              void *ud)
{
    uint32_t w[64];
    for (uint32_t len = 0; len <= maxlen; len++) {
        memset(w, 0, sizeof w);
        for (;;) {
            fn(w, len, ud);
            int i = (int)len - 1;
            while (i >= 0 && ++w[i] == k) w[i--] = 0;
            if (i < 0) break;
        }
        if (k == 0) break;
    }
}

#define LK_TEST_MAIN(suite_fn)                                                                     \
    int main(void)                                                                                 \
    {                                                                                              \
        lk_test_seed();                                                                            \
        /* a g_return_if_fail or json-glib critical reached by a test is a failure */              \
        g_log_set_always_fatal(G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);    \
        SRunner *sr = srunner_create(suite_fn());                                                  \
        srunner_run_all(sr, CK_ENV);                                                               \
        int failed = srunner_ntests_failed(sr);                                                    \
        srunner_free(sr);                                                                          \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                                               \
    }
