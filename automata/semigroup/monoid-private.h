/* What the monoid modules share: the Cayley tables and small arithmetic. */
#pragma once

#include "automata/semigroup/monoid.h"

/* lcm(a, b) for a, b >= 1, saturating at UINT32_MAX (periods and orders). */
static inline uint64_t lk_lcm_sat(uint64_t a, uint64_t b)
{
    uint64_t x = a, y = b;
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    uint64_t l = a / x * b;
    return l > UINT32_MAX ? UINT32_MAX : l;
}

/* The right (x·a) or left (a·x) Cayley table: size * ngens entries, x major. */
const uint32_t *lk_monoid_cayley(const LkMonoid *m, bool left);

/* The images of 0..n-1 under element x, into out (n entries). O(n). */
void lk_monoid_images(const LkMonoid *m, uint32_t x, uint32_t *out);
