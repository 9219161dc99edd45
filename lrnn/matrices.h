/** @file
 * lrnnkit — linear RNNs given as plain matrices, as training code has them.
 *
 * A layer of dimension n maps its state H to A_v H + B_v for token v (dense
 * exact rationals, with double copies). An .npz file (lk_matrices_load_npz)
 * holds one layer: arrays A [V, n, n] (or [n, n]: V = 1), optional B [V, n]
 * (zeros) and h0 [n] (zeros), float64 or float32, token v named "v"; the
 * floats are taken as the exact dyadic rationals they are. Stacks of
 * layers (built in code, e.g. proofs/suite.c) read their input from the
 * layer below: layer i > 0 has two tokens, and reads the output
 * [r . H > 0] of layer i - 1 after each step (r its readout, doubles
 * summed in order). A layer without readout has no output.
 */
#pragma once

#include "automata/dfa.h"
#include "lrnn/stack.h"

#include <gmp.h>

G_BEGIN_DECLS

/** One layer H <- A(x) H + b(x) given by its matrices (exact and as doubles). */
typedef struct {
    uint32_t n;      /**< state dimension */
    uint32_t V;      /**< tokens */
    mpq_t *a;        /**< V n n: A of each token, row-major */
    mpq_t *b;        /**< V n: b of each token */
    mpq_t *h0;       /**< n: the initial state */
    double *af;      /**< a as doubles */
    double *bf;      /**< b as doubles */
    double *h0f;     /**< h0 as doubles */
    double *readout; /**< n weights, or NULL */
} LkMatLayer;

/** A stack of matrix layers (each layer's input is the one above's output). */
typedef struct {
    LkAlphabet *alphabet; /**< layer 0's tokens */
    uint32_t n_layers;    /**< layers */
    LkMatLayer *layer;    /**< n_layers of them */
} LkMatrices;

/** @{ */
/** An empty stack of L layers over alphabet (layers filled with
 * lk_matrices_set_layer). */
LkMatrices *lk_matrices_new(LkAlphabet *alphabet, uint32_t n_layers);
/** Frees m (NULL is ignored). */
void lk_matrices_free(LkMatrices *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkMatrices, lk_matrices_free)
/** @} */
/** Layer i of dimension n over V tokens: copies a (V n n), b (V n, NULL:
 * zeros), h0 (n, NULL: zeros) and readout (n doubles, NULL: none). */
void lk_matrices_set_layer(LkMatrices *m, uint32_t i, uint32_t n, uint32_t V, mpq_t *const a,
                           mpq_t *const b, mpq_t *const h0, const double *readout);
/** Reads an .npz file as one layer (see above); LK_ERROR_INPUT naming the
 * array and the problem, LK_ERROR_LIMIT past limits->max_dim or past
 * limits->max_memory bytes of the file's arrays. */
LkMatrices *lk_matrices_load_npz(const char *path, const LkLimits *limits, GError **error);
/** A non-angular layer's dense view (lrnn/dense.h): one layer, no readout. */
LkMatrices *lk_matrices_from_lrnn(const LkLrnn *m, GError **error);
/** Every layer's dense view (no readouts: the stack's routes choose the
 * tokens); LK_ERROR_INPUT for angular layers. */
LkMatrices *lk_matrices_from_stack(const LkStack *s, GError **error);
/** The exact model as JSON: {"format": "lrnnkit-matrices", "alphabet",
 * "layers": [{"n", "tokens", "A": [V][n][n], "B": [V][n], "h0": [n],
 * "readout": [n] | null}]} with rationals as strings "p/q". */
char *lk_matrices_to_json(const LkMatrices *m);
/** Output of layer i for state h: [r . h > 0], or -1 without readout. */
int64_t lk_mat_layer_output(const LkMatLayer *l, const double *h);

G_END_DECLS
