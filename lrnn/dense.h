/** @file
 * lrnnkit — the dense exact view of a layer's transitions.
 *
 * A token maps the state H to A H + B: the gate g and the factors
 * (I - beta u u^T / u.u) H + beta u c / u.u of model.h multiplied out, in
 * rationals. A word's view is the composition (the first token applied
 * first). Cost O(factors * n^2) per token. Angular layers have irrational
 * matrices (cosines of rational multiples of pi) and no such view.
 */
#pragma once

#include "lrnn/model.h"

G_BEGIN_DECLS

/** A (n x n, row-major, initialized mpq_t) and B (n) for the word w of
 * len tokens (len 0: identity, zero). LK_ERROR_INPUT for angular layers. */
bool lk_lrnn_word_dense(const LkLrnn *m, const uint32_t *w, size_t len, mpq_t *a, mpq_t *b,
                        GError **error);

/** @{ */
/** n initialized rationals (0), and their release (v may be NULL). */
mpq_t *lk_qvec_new(size_t n);
void lk_qvec_free(mpq_t *v, size_t n);
/** @} */

/** @{ */
/** c <- a b (n x n, row-major; c must not alias a or b), y <- a x (y must
 * not alias x); t is scratch. O(n^3) and O(n^2) rational operations, zero
 * entries skipped. */
void lk_dense_mul(mpq_t *c, const mpq_t *a, const mpq_t *b, uint32_t n, mpq_ptr t);
void lk_dense_apply(mpq_t *y, const mpq_t *a, const mpq_t *x, uint32_t n, mpq_ptr t);
/** @} */

G_END_DECLS
