/** @file
 * lrnnkit — maps from fixed-width tuples of uint32_t to uint32_t.
 *
 * An LkTupleMap interns tuples of `width` words (width 0 allowed: one empty
 * tuple) in insertion order: entry i has key lk_tuple_map_key(m, i) and a
 * value. It stores sparse tables indexed by tuples of states, such as the
 * contexts of a cascade level (the states of the levels above) and the
 * routes of an LRNN stack, whose dense forms grow with the product of the
 * state counts. Open addressing with linear probing over a power-of-two slot
 * array holding entry indices; keys in one flat array. Expected O(width) per
 * lookup and insertion, memory about 4 (width + 3) bytes per entry.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** A hash map from fixed-width uint32_t tuples to uint32_t (opaque). */
typedef struct LkTupleMap LkTupleMap;

/** An empty map whose keys are width uint32_t words. */
LkTupleMap *lk_tuple_map_new(uint32_t width);
/** A deep copy of m (new). */
LkTupleMap *lk_tuple_map_copy(const LkTupleMap *m);
/** Frees m (NULL is ignored). */
void lk_tuple_map_free(LkTupleMap *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkTupleMap, lk_tuple_map_free)

/** Words per key. */
uint32_t lk_tuple_map_width(const LkTupleMap *m);
/** Entries. */
uint32_t lk_tuple_map_size(const LkTupleMap *m);
/** The entry of key, or UINT32_MAX. */
uint32_t lk_tuple_map_find(const LkTupleMap *m, const uint32_t *key);
/** The entry of key, added with `value` when new (*added says which). */
uint32_t lk_tuple_map_insert(LkTupleMap *m, const uint32_t *key, uint32_t value, bool *added);
/** @{ */
/** Entry i's key (width words, borrowed until the next insertion) and value. */
const uint32_t *lk_tuple_map_key(const LkTupleMap *m, uint32_t i);
uint32_t lk_tuple_map_value(const LkTupleMap *m, uint32_t i);
void lk_tuple_map_set_value(LkTupleMap *m, uint32_t i, uint32_t value);
/** @} */
/** The value of key, or `missing` when absent. */
uint32_t lk_tuple_map_get(const LkTupleMap *m, const uint32_t *key, uint32_t missing);

G_END_DECLS
