/* A growable array of uint32_t with inline push: the hot loops of the
 * constructions append millions of small items, where GArray's per-call
 * overhead dominates. */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    uint32_t *v;
    size_t len, cap;
} LkVec32;

static inline void lk_vec32_reserve(LkVec32 *a, size_t extra)
{
    if (a->len + extra <= a->cap) return;
    size_t cap = a->cap ? a->cap : 8;
    while (cap < a->len + extra) cap *= 2;
    a->v = g_renew(uint32_t, a->v, cap);
    a->cap = cap;
}

static inline void lk_vec32_push(LkVec32 *a, uint32_t x)
{
    if (G_UNLIKELY(a->len == a->cap)) lk_vec32_reserve(a, 1);
    a->v[a->len++] = x;
}

static inline void lk_vec32_push3(LkVec32 *a, uint32_t x, uint32_t y, uint32_t z)
{
    if (G_UNLIKELY(a->len + 3 > a->cap)) lk_vec32_reserve(a, 3);
    a->v[a->len] = x;
    a->v[a->len + 1] = y;
    a->v[a->len + 2] = z;
    a->len += 3;
}

static inline void lk_vec32_append(LkVec32 *a, const uint32_t *x, size_t n)
{
    if (!n) return;
    lk_vec32_reserve(a, n);
    memcpy(a->v + a->len, x, n * sizeof(uint32_t));
    a->len += n;
}

static inline void lk_vec32_clear(LkVec32 *a)
{
    g_free(a->v);
    a->v = NULL;
    a->len = a->cap = 0;
}

/* Sorts a short array in place (insertion sort; qsort for long ones). */
static int lk_vec32_cmp_(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static inline void lk_sort_u32(uint32_t *v, size_t n)
{
    if (n > 32) {
        qsort(v, n, sizeof(uint32_t), lk_vec32_cmp_);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}
