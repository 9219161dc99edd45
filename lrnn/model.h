/** @file
 * lrnnkit — linear RNNs as products of generalized Householder factors.
 *
 * An LkLrnn is one layer (stacks are a list of layers; the compiler emits one
 * layer per level) with state dimension n over a token alphabet. Each token
 * carries an ordered list of factors in the DeltaProduct form
 *
 *     H <- (I - beta u u^T / (u^T u)) H + beta u c / (u^T u)
 *
 * with exact rationals beta in [0, 2], u != 0 and c (the "write"); in fla's
 * terms k = u / |u| (L2-normalized key) and v = c / |u| (value, d_v = 1). A
 * token may carry a gate g in [0, 1] that multiplies H before its factors
 * (Gated DeltaProduct). The readout decodes an output (a DFA state): either
 * the index round((1, 2, ..., n) . H) - 1, or the output of the nearest
 * vector of a codebook (the exact reachable states, for constructions whose
 * states are not one-hot); the word is accepted when that output is.
 * Exact values are the source of truth; float copies are derived.
 */
#pragma once

#include "automata/dfa.h"
#include <gmp.h>

G_BEGIN_DECLS

/** The most exact entries a model read from a file may declare (vectors of
 * its factors and codes times the state dimension): 2^26 rationals, a few
 * GB; larger models are made by compile, not read (LK_ERROR_LIMIT). */
#define LK_MODEL_MAX_ENTRIES (1u << 26)

/** One generalized Householder factor (the DeltaProduct form above). */
typedef struct {
    mpq_t beta;  /**< in [0, 2] */
    mpq_t *u;    /**< n entries */
    mpq_t c;     /**< the write along u */
    mpq_t uu;    /**< u^T u, cached */
    mpq_t theta; /**< angular layers only: the reflection about the line at angle pi * theta */
} LkFactor;

/** One token's transition: a gate (optional), then its factors in order. */
typedef struct {
    uint32_t n_factors; /**< factors */
    LkFactor *f;        /**< n_factors of them, applied first to last */
    bool gated;         /**< H is multiplied by gate first */
    mpq_t gate;         /**< in [0, 1] */
} LkToken;

/** An LRNN layer: per-token products of Householder factors and a readout. */
typedef struct {
    uint32_t n;                /**< state dimension */
    LkAlphabet *alphabet;      /**< tokens */
    LkToken *tok;              /**< one per symbol */
    mpq_t *h0;                 /**< initial state, n entries */
    uint32_t n_out;            /**< readout outputs (DFA states) */
    uint8_t *accept;           /**< per output */
    uint32_t n_codes;          /**< 0: index readout round((1..n).H) - 1; else a codebook: */
    mpq_t *codes;              /**< n_codes x n states, decoded to the nearest one (L2) */
    uint32_t *code_out;        /**< output of each code */
    bool angular;              /**< see below */
    struct LkFloatPlan *fplan; /**< derived float factors, made by lk_lrnn_prepare */
} LkLrnn;

/* Angular layers (n = 2, for Z_m as a rotation): the states are the unit
 * vectors (cos pi r, sin pi r) and every factor is the reflection about the
 * line at angle pi theta (beta = 2, k = (-sin pi theta, cos pi theta), c = 0),
 * which sends angle r to 2 theta - r. The weights are irrational, but the
 * exact engine stays exact: it keeps r (a rational in [0, 2)) in h[0] (h[1]
 * = 0), h0[0] and codes[2c] hold angles the same way, and float engines use
 * the cosines and sines. u is unused (kept (1, 0)). */

/** An identity layer: n dimensions, no factor for any token, H0 = 0, the
 * index readout with n outputs, none accepting. Takes a new reference to
 * alphabet. */
LkLrnn *lk_lrnn_new(LkAlphabet *alphabet, uint32_t n);
/** Frees m (NULL is ignored). */
void lk_lrnn_free(LkLrnn *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkLrnn, lk_lrnn_free)
/** Replaces the index readout by a codebook of n_codes states (copied) with
 * their outputs in 0..n_out-1; accept is resized to n_out (cleared). */
void lk_lrnn_set_codebook(LkLrnn *m, uint32_t n_codes, mpq_t *const codes, const uint32_t *outputs,
                          uint32_t n_out);
/** @{ */
/** Appends a factor to token t (copies u: n entries). */
void lk_lrnn_add_factor(LkLrnn *m, uint32_t t, const mpq_t beta, mpq_t *const u, const mpq_t c);
uint32_t lk_lrnn_max_factors(const LkLrnn *m);
/** @} */
/** Angular layers: appends the reflection about the line at angle pi * theta. */
void lk_lrnn_add_angle_factor(LkLrnn *m, uint32_t t, const mpq_t theta);
/** Derives the float copies the float engines read (engine.c). Call it
 * after the last edit of a model, before any engine runs it: the editing
 * functions above drop them, and the engines only read them, so one model
 * may then be run from several threads at once. The loaders and compilers
 * return prepared models. */
void lk_lrnn_prepare(LkLrnn *m);

/** @{ */
/** The exact model as JSON (rationals as strings "p/q"); and back. */
char *lk_lrnn_to_json(const LkLrnn *m);
LkLrnn *lk_lrnn_from_json(const char *text, gssize len, GError **error);
/** @} */

G_END_DECLS
