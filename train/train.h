/** @file
 * lrnnkit — training linear RNNs on the datasets `lrnnkit gen` writes.
 *
 * The experiment of Grazzi et al. (ICLR 2025, Figure 1): the same model with
 * its recurrence's eigenvalues in [0, 1] or in [-1, 1], trained on parity at
 * lengths 3-40 and tested at 40-256. Forward and backward passes are written
 * by hand, checked against central finite differences in f64 (tests) and
 * against a PyTorch reference of the same model (tools/train_ref.py).
 *
 * The toy diagonal model (the paper's Figure 1; D = dim, V tokens with the
 * pad token, C label classes), per example x_1..x_T:
 *   u_t = LN(E[x_t]) * g1                    (LayerNorm without bias, eps 1e-5)
 *   a_t = act(10 (W_A u_t + b_A)),  b_t = W_B u_t + b_B
 *   h_t = a_t * h_{t-1} + b_t * u_t,  h_0 = 0 (elementwise)
 *   logits_t = W_O (LN(h_t) * g2)            (no bias)
 * act = sigmoid for eigenvalues in [0, 1], tanh for [-1, 1]. The loss is the
 * cross-entropy at the labelled positions (the last one for final labels),
 * averaged over the batch's labels. Everything before the recurrence depends
 * on the token alone, so each step computes it once per token (V of them):
 * a step costs O(B T D) for the recurrence plus O(V D^2 + C D) per labelled
 * position, and the backward pass the same.
 *
 * Optimizer: AdamW (betas 0.9, 0.999, eps 1e-8, no weight decay) with the
 * paper's schedule: lr * s / warmup for s < warmup, then cosine from lr to
 * min_lr at the last step. Batches are consecutive runs of a permutation of
 * the training split drawn afresh each epoch from the seed.
 *
 * Threads split each batch into fixed contiguous parts whose gradients are
 * summed in a fixed order: the same seed and thread count give the same
 * bytes; another thread count may differ in the last bits.
 */
#pragma once

#include "automata/error.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** The architecture trained. */
typedef enum {
    LK_TRAIN_DIAGONAL, /**< the paper's toy diagonal model */
    LK_TRAIN_DELTANET, /**< one or two DeltaNet layers, each with an MLP block */
    LK_TRAIN_MAMBA,    /**< one Mamba-style diagonal selective layer with an MLP block */
} LkTrainArch;

/** Options of lk_train (zero: defaults). */
typedef struct {
    LkTrainArch arch;    /**< the architecture */
    bool negative;       /**< eigenvalues in [-1, 1] (else [0, 1]) */
    uint32_t dim;        /**< model width (default 10 for diagonal, 32 for the others) */
    uint32_t heads;      /**< DeltaNet heads, dividing dim (default 1) */
    uint32_t layers;     /**< DeltaNet: 1 or 2 layers (default 1); the others: 1 */
    uint32_t state;      /**< Mamba: state size per channel (default 16) */
    uint64_t seed;       /**< initialization and batch order */
    uint64_t steps;      /**< optimizer steps (default 20000) */
    uint32_t batch;      /**< examples per step (default 256) */
    double lr;           /**< peak learning rate (default 1e-3) */
    double min_lr;       /**< final learning rate (default 1e-6) */
    uint64_t warmup;     /**< warm-up steps (default steps / 10) */
    uint32_t threads;    /**< worker threads (default 1) */
    bool f64;            /**< compute in double (gradient checks, the PyTorch test) */
    uint64_t eval_every; /**< evaluate every this many steps, and at the end (default steps / 20) */
    uint64_t log_every;  /**< a training line every this many steps (default 100) */
    uint64_t eval_max;   /**< examples per evaluation split at most (0: all) */
    uint32_t bucket;     /**< width of the length buckets of by_length (default 16) */
    bool dump_batches;   /**< write RUN/batches.npy: the example indices of every step */
    bool quiet;          /**< no progress line */
} LkTrainOptions;

/** Fills the defaults of the zero fields. */
void lk_train_options_resolve(LkTrainOptions *o);

/** Trains on the dataset in data_dir (its manifest's split "train"; every
 * other split is evaluated under its name) and writes run_dir/metrics.jsonl,
 * run_dir/init.safetensors and run_dir/model.safetensors (the weights before
 * and after, float32, or float64 with f64), and the plots
 * run_dir/scaled-accuracy-by-step.svg and scaled-accuracy-by-length.svg.
 * Every file appears whole or not at all. LK_ERROR_INPUT for a dataset it
 * cannot train on, LK_ERROR_LIMIT when the data and workspace would not
 * fit limits->max_memory bytes. */
bool lk_train_run(const char *data_dir, const char *run_dir, const LkTrainOptions *o,
                  const LkLimits *limits, GError **error);

/** Writes the per-token transition of a trained model whose recurrence depends
 * on the current token alone, for the dataset's tokens v (pad excluded): the
 * diagonal model's A [V, D, D] = Diag(a_v), B [V, D] = b_v * u_v; a
 * one-layer DeltaNet's A = I - beta k k^T per head (block-diagonal) and
 * B = beta k v[0] (the first column of each head's state; every column has
 * the same A); h0 = 0. It is the .npz that `spectrum --matrices` and `orbit
 * --matrices` read; a float32 model gives float32 arrays. run_dir is a run's
 * directory or its model.safetensors. */
bool lk_train_export_matrices(const char *run_dir, const char *npz_path, GError **error);

G_END_DECLS
