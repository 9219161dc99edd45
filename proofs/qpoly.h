/** @file
 * lrnnkit — exact rational polynomials and matrices for spectra.
 *
 * A polynomial is an array of mpq_t coefficients c[0] + c[1] x + ... with
 * its degree (the zero polynomial has degree -1). Everything is exact (GMP);
 * no floating-point eigenvalue solver is involved in any decision.
 *
 * - Characteristic polynomial det(xI - A) of an n x n rational matrix:
 *   reduction to Hessenberg form by similarity, then the Hessenberg
 *   recurrence; O(n^3) rational operations (entry sizes permitting).
 * - Root counts with multiplicity by sign class: Yun's square-free
 *   decomposition p = prod q_i^i, then Sturm sequences of each q_i counted
 *   at -inf, 0 and +inf (Sturm's theorem: V(a) - V(b) distinct roots in
 *   (a, b]). The non-real roots are the rest of the degree.
 */
#pragma once

#include <glib.h>
#include <gmp.h>
#include <stdint.h>

G_BEGIN_DECLS

/** A polynomial with rational coefficients. */
typedef struct {
    int deg;  /**< -1 for the zero polynomial */
    int cap;  /**< coefficients allocated */
    mpq_t *c; /**< c[0..deg], c[deg] != 0 */
} LkQPoly;

/** The zero polynomial with room for cap coefficients (at least 1). */
LkQPoly *lk_qpoly_new(int cap);
/** Frees p (NULL is ignored). */
void lk_qpoly_free(LkQPoly *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkQPoly, lk_qpoly_free)

/** det(xI - A) for A row-major n x n (monic, degree n). */
LkQPoly *lk_qpoly_charpoly(const mpq_t *a, uint32_t n);

/** Roots of a polynomial by sign class, with multiplicity. */
typedef struct {
    uint32_t real;     /**< real roots */
    uint32_t positive; /**< positive real roots */
    uint32_t zero;     /**< roots at 0 */
    uint32_t negative; /**< negative real roots */
    uint32_t nonreal;  /**< roots off the real line */
} LkRootCounts;

/** Counts the roots of p (not the zero polynomial) by sign class. */
void lk_qpoly_root_counts(const LkQPoly *p, LkRootCounts *out);

/** Coefficient i as "p/q" (or "p"), newly allocated. */
char *lk_qpoly_coef_str(const LkQPoly *p, int i);

G_END_DECLS
