/** @file
 * lrnnkit — transformations of {0..n-1}.
 *
 * A transformation is an array f of n images (f[q] = q·f); maps act on the
 * right, so the composite "f then g" sends q to g[f[q]]. A DFA letter a is
 * the transformation q -> delta[q*k + a], read with a stride of k; every
 * function takes a stride so that letters need not be copied out. All are
 * O(n) with caller-provided scratch of n bytes (or none).
 */
#pragma once

#include "automata/error.h"

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

G_BEGIN_DECLS

/** What a map is, for the permutation-reset constructions. A map of one
 * point is a permutation. */
typedef enum { LK_MAP_PERMUTATION, LK_MAP_CONSTANT, LK_MAP_OTHER } LkMapKind;

/** The rank |image| of f (f[q * stride]); seen: n bytes of scratch. */
uint32_t lk_transf_rank(const uint32_t *f, size_t stride, uint32_t n, uint8_t *seen);
/** Permutation, constant or neither (rank n, 1, other). */
LkMapKind lk_transf_kind(const uint32_t *f, size_t stride, uint32_t n, uint8_t *seen);
/** out[q] = g[f[q]] (f then g); out may alias f. */
void lk_transf_compose(uint32_t *out, const uint32_t *f, const uint32_t *g, uint32_t n);
/** The image of f as a sorted list of points; returns its size. */
uint32_t lk_transf_image(uint32_t *out, const uint32_t *f, uint32_t n, uint8_t *seen);
/** The kernel of f: out[q] = the least point with the same image as q. */
void lk_transf_kernel(uint32_t *out, const uint32_t *f, uint32_t n, uint32_t *scratch);
/** @{ */
/** Permutations: the number of cycles (fixed points count), and the
 * transpositions (q0 q) whose product, applied in order, is the permutation:
 * for each cycle (q0 q1 ... q_{m-1}), (q0 q1), (q0 q2), ..., (q0 q_{m-1}).
 * pairs receives 2 (n - cycles) points; returns n - cycles. */
uint32_t lk_perm_cycles(const uint32_t *p, size_t stride, uint32_t n, uint8_t *seen);
uint32_t lk_perm_transpositions(const uint32_t *p, size_t stride, uint32_t n, uint32_t *pairs,
                                uint8_t *seen);
/** @} */

/** Transformations from JSON {"degree": n, "generators": [[images], ...]}
 * (0-based images): returns gens[a*n + q] (g_free) and sets *n, *k;
 * LK_ERROR_INPUT naming `where` (a file name, or NULL) on bad input. */
uint32_t *lk_transf_from_json(const char *text, gssize len, const char *where, uint32_t *n,
                              uint32_t *k, GError **error);

G_END_DECLS
