/* Transformations (see transf.h). */
#include "automata/semigroup/transf.h"

#include <string.h>

uint32_t lk_transf_rank(const uint32_t *f, size_t stride, uint32_t n, uint8_t *seen)
{
    memset(seen, 0, n);
    uint32_t r = 0;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t x = f[q * stride];
        if (!seen[x]) seen[x] = 1, r++;
    }
    return r;
}

LkMapKind lk_transf_kind(const uint32_t *f, size_t stride, uint32_t n, uint8_t *seen)
{
    uint32_t r = lk_transf_rank(f, stride, n, seen);
    return r == n ? LK_MAP_PERMUTATION : r == 1 ? LK_MAP_CONSTANT : LK_MAP_OTHER;
}

void lk_transf_compose(uint32_t *out, const uint32_t *f, const uint32_t *g, uint32_t n)
{
    for (uint32_t q = 0; q < n; q++) out[q] = g[f[q]];
}

uint32_t lk_transf_image(uint32_t *out, const uint32_t *f, uint32_t n, uint8_t *seen)
{
    memset(seen, 0, n);
    for (uint32_t q = 0; q < n; q++) seen[f[q]] = 1;
    uint32_t r = 0;
    for (uint32_t q = 0; q < n; q++)
        if (seen[q]) out[r++] = q;
    return r;
}

void lk_transf_kernel(uint32_t *out, const uint32_t *f, uint32_t n, uint32_t *scratch)
{
    memset(scratch, 0xff, sizeof(uint32_t) * n);
    for (uint32_t q = 0; q < n; q++) {
        if (scratch[f[q]] == UINT32_MAX) scratch[f[q]] = q;
        out[q] = scratch[f[q]];
    }
}

uint32_t lk_perm_transpositions(const uint32_t *p, size_t stride, uint32_t n, uint32_t *pairs,
                                uint8_t *seen)
{
    memset(seen, 0, n);
    uint32_t t = 0;
    for (uint32_t q0 = 0; q0 < n; q0++) {
        if (seen[q0]) continue;
        seen[q0] = 1;
        for (uint32_t q = p[q0 * stride]; q != q0; q = p[q * stride]) {
            seen[q] = 1;
            if (pairs) pairs[2 * t] = q0, pairs[2 * t + 1] = q;
            t++;
        }
    }
    return t;
}

uint32_t lk_perm_cycles(const uint32_t *p, size_t stride, uint32_t n, uint8_t *seen)
{
    return n - lk_perm_transpositions(p, stride, n, NULL, seen);
}
