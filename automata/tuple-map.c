/* Fixed-width tuple maps (see tuple-map.h). Invariant: slot[s] is 0 (empty)
 * or 1 + an entry index; the table is at most half full. */
#include "automata/tuple-map.h"

#include "automata/hash-private.h"

#include <string.h>

struct LkTupleMap {
    uint32_t width, count, cap; /* cap: entries allocated */
    uint32_t *keys, *values;
    uint32_t *slot, mask;
};

LkTupleMap *lk_tuple_map_new(uint32_t width)
{
    LkTupleMap *m = g_new0(LkTupleMap, 1);
    m->width = width;
    m->mask = 15;
    m->slot = g_new0(uint32_t, 16);
    return m;
}

LkTupleMap *lk_tuple_map_copy(const LkTupleMap *m)
{
    g_return_val_if_fail(m != NULL, NULL);
    LkTupleMap *c = g_memdup2(m, sizeof *m);
    c->keys = g_memdup2(m->keys, sizeof(uint32_t) * ((size_t)m->cap * m->width + 1));
    c->values = g_memdup2(m->values, sizeof(uint32_t) * (size_t)m->cap);
    c->slot = g_memdup2(m->slot, sizeof(uint32_t) * ((size_t)m->mask + 1));
    return c;
}

void lk_tuple_map_free(LkTupleMap *m)
{
    if (!m) return;
    g_free(m->keys);
    g_free(m->values);
    g_free(m->slot);
    g_free(m);
}

uint32_t lk_tuple_map_width(const LkTupleMap *m)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->width;
}
uint32_t lk_tuple_map_size(const LkTupleMap *m)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->count;
}
const uint32_t *lk_tuple_map_key(const LkTupleMap *m, uint32_t i)
{
    g_return_val_if_fail(m != NULL, NULL);
    return m->keys ? m->keys + (size_t)i * m->width : NULL;
}
uint32_t lk_tuple_map_value(const LkTupleMap *m, uint32_t i)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->values[i];
}
void lk_tuple_map_set_value(LkTupleMap *m, uint32_t i, uint32_t value)
{
    g_return_if_fail(m != NULL);
    m->values[i] = value;
}

uint32_t lk_tuple_map_find(const LkTupleMap *m, const uint32_t *key)
{
    g_return_val_if_fail(m != NULL, 0);
    const size_t bytes = sizeof(uint32_t) * m->width;
    for (uint64_t s = lk_hash_words(key, m->width) & m->mask;; s = (s + 1) & m->mask) {
        uint32_t e = m->slot[s];
        if (!e) return UINT32_MAX;
        if (!bytes || !memcmp(m->keys + (size_t)(e - 1) * m->width, key, bytes)) return e - 1;
    }
}

uint32_t lk_tuple_map_get(const LkTupleMap *m, const uint32_t *key, uint32_t missing)
{
    g_return_val_if_fail(m != NULL, 0);
    uint32_t e = lk_tuple_map_find(m, key);
    return e == UINT32_MAX ? missing : m->values[e];
}

static void rehash(LkTupleMap *m)
{
    const uint32_t size = (m->mask + 1) * 2;
    g_free(m->slot);
    m->slot = g_new0(uint32_t, size);
    m->mask = size - 1;
    for (uint32_t e = 0; e < m->count; e++) {
        uint64_t s = lk_hash_words(m->keys + (size_t)e * m->width, m->width) & m->mask;
        while (m->slot[s]) s = (s + 1) & m->mask;
        m->slot[s] = e + 1;
    }
}

uint32_t lk_tuple_map_insert(LkTupleMap *m, const uint32_t *key, uint32_t value, bool *added)
{
    uint32_t e = lk_tuple_map_find(m, key);
    if (added) *added = e == UINT32_MAX;
    if (e != UINT32_MAX) return e;
    g_return_val_if_fail(m->count < UINT32_MAX - 1, UINT32_MAX);
    if (m->count == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 8;
        m->keys = g_renew(uint32_t, m->keys, (size_t)m->cap * m->width + 1);
        m->values = g_renew(uint32_t, m->values, m->cap);
    }
    e = m->count++;
    if (m->width) memcpy(m->keys + (size_t)e * m->width, key, sizeof(uint32_t) * m->width);
    m->values[e] = value;
    if ((uint64_t)m->count * 2 > m->mask + 1u) {
        rehash(m);
    } else {
        uint64_t s = lk_hash_words(key, m->width) & m->mask;
        while (m->slot[s]) s = (s + 1) & m->mask;
        m->slot[s] = e + 1;
    }
    return e;
}
