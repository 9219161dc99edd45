/** @file
 * lrnnkit — exact spectra of LRNN transitions (Theorems 1 and 2 of Grazzi
 * et al.: nonnegative eigenvalues cannot give parity, real ones cannot
 * count modulo 3).
 *
 * A transition's class is decided from its exact characteristic polynomial
 * (qpoly.h): `nonnegative` when every eigenvalue is real and >= 0, `real`
 * when every eigenvalue is real and some is negative, `complex` when some
 * is not real. Angular layers (rotations) are classed from their angles:
 * an odd number of reflections is a reflection (eigenvalues 1 and -1), an
 * even number a rotation by 2 pi phi (phi = sum of theta_2j - theta_2j-1),
 * real exactly when 2 phi is an integer.
 */
#pragma once

#include "lrnn/lrnn.h"
#include "lrnn/matrices.h"
#include "proofs/qpoly.h"

G_BEGIN_DECLS

/** Where a matrix's eigenvalues lie. */
typedef enum {
    LK_SPEC_NONNEGATIVE, /**< all real and >= 0 */
    LK_SPEC_REAL,        /**< all real, some negative */
    LK_SPEC_COMPLEX      /**< some not real */
} LkSpecClass;

/** "nonnegative", "real" or "complex" (static). */
const char *lk_spec_class_name(LkSpecClass c);
/** The class of counts (nonreal > 0: complex; negative > 0: real). */
LkSpecClass lk_spec_class_of(const LkRootCounts *r);

/** The exact spectrum of a matrix, by sign class. */
typedef struct {
    LkSpecClass cls;    /**< the class of roots */
    LkRootCounts roots; /**< of the characteristic polynomial */
    LkQPoly *charpoly;  /**< NULL for angular layers */
} LkSpectrum;

/** Frees what s holds (not s itself); accepts a zeroed struct. */
void lk_spectrum_clear(LkSpectrum *s);

/** The spectrum of the word w (len tokens, composed; len 1: one token) of a
 * layer. O(len * factors * n^2 + n^4) rational operations. */
bool lk_spectrum_word(const LkLrnn *m, const uint32_t *w, size_t len, LkSpectrum *out,
                      GError **error);
/** The spectrum of an n x n rational matrix (row-major). */
void lk_spectrum_matrix(const mpq_t *a, uint32_t n, LkSpectrum *out);

/** The worst class over every word of 2..max_len tokens of a layer (T^2 + ...
 * + T^max_len words, LK_ERROR_LIMIT past limits->max_words); *witness (if
 * not NULL) gets a shortest word of that class when it is worse than every
 * single token's, else NULL; *words counts the words examined. */
bool lk_spectrum_products(const LkLrnn *m, uint32_t max_len, const LkLimits *limits,
                          LkSpecClass *worst, GArray **witness, uint64_t *words, GError **error);

/** @{ */
/** The same for a layer given as matrices (lrnn/matrices.h). */
bool lk_spectrum_mat_word(const LkMatLayer *l, const uint32_t *w, size_t len, LkSpectrum *out);
bool lk_spectrum_mat_products(const LkMatLayer *l, uint32_t max_len, const LkLimits *limits,
                              LkSpecClass *worst, GArray **witness, uint64_t *words,
                              GError **error);
/** @} */

G_END_DECLS
