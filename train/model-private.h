/* The trainer's models: parameter layout and kernels (train.h has the maths).
 * Not a public header.
 *
 * Every model's first layer reads the current token alone, so what it
 * computes before its recurrence is a table with one row per token (tab
 * reals each), made once per step (tokens); an example runs the recurrence
 * and the head from the table (example), adding the gradients of the table's
 * rows to gt (gt reals per token) and of the other parameters to gp; then
 * tokens_backward takes gt back to the parameters. */
#pragma once

#include "train/train.h"

#include <stddef.h>

/* One named parameter tensor: rank <= 2, at offset `at` of the flat vector. */
typedef struct {
    const char *name;
    uint32_t rank;
    uint64_t shape[2];
    size_t at;
} LkParamInfo;

#define LK_NET_MAX_TENSORS 32
#define LK_NET_MAX_LAYERS 2

/* The offsets of one layer's tensors: its input norm, DeltaNet's projections,
 * and the block after the mixer (o_proj, norm2, MLP). The diagonal model has
 * only ln1 and ln2 (its pre- and post-norm); Mamba's own tensors are LkNet's. */
typedef struct {
    size_t ln1, wq, wk, wv, wbeta, wo, ln2, w1, b1, w2, b2;
} LkLayer;

typedef struct {
    LkTrainArch arch;
    uint32_t V, D, C; /* tokens (pad included), width, label classes */
    uint32_t H, M;    /* DeltaNet: heads (D / H each); DeltaNet and Mamba: MLP hidden width */
    uint32_t N;       /* Mamba: state size per channel */
    uint32_t layers;  /* DeltaNet: 1 or 2; the others: 1 */
    bool negative;    /* eigenvalues in [-1, 1] */
    /* offsets in the flat vector */
    size_t emb, dec, ln3;                      /* every model's (ln3: DeltaNet and Mamba) */
    LkLayer L[LK_NET_MAX_LAYERS];              /* per layer */
    size_t wa, ba, wb, bb;                     /* diagonal */
    size_t win, wdt, bdt, wB, wC, alog, dskip; /* Mamba */
    size_t n_params;
    uint32_t n_info;
    LkParamInfo info[LK_NET_MAX_TENSORS];
    size_t tab; /* table reals per token */
    size_t gt;  /* table-gradient reals per token */
} LkNet;

/* Reals of a block's cache (block_forward in block-impl.h), and of block_head's workspace. */
#define BLOCK_CACHE(D, M) (2 * (size_t)(D) + 2 * (size_t)(M) + 1)
#define HEAD_WS(D, M, C) (BLOCK_CACHE(D, M) + 9 * (size_t)(D) + (size_t)(M) + (C))

#define TAB(D) (5 * (size_t)(D) + 1) /* the diagonal model's table reals per token */

void lk_net_diagonal(LkNet *s, uint32_t V, uint32_t D, uint32_t C, bool negative);
void lk_net_deltanet(LkNet *s, uint32_t V, uint32_t D, uint32_t C, uint32_t H, uint32_t layers,
                     bool negative);
void lk_net_mamba(LkNet *s, uint32_t V, uint32_t D, uint32_t C, uint32_t N, bool negative);
/* Adds layer l's block after the mixer (o_proj, norm2, mlp) to s's layout,
 * with the prefix of the layer's tensor names ("" or "layer2."). */
void lk_net_add_block(LkNet *s, uint32_t l, const char *prefix);
/* Adds the final norm and the decoder (norm_f, decoder). */
void lk_net_add_head(LkNet *s);
/* prefix + base, kept for the life of the process (tensor names are few). */
const char *lk_net_name(const char *prefix, const char *base);
/* Adds a tensor to s's layout (at the end of the flat vector), storing its offset in *off. */
void lk_net_add(LkNet *s, const char *name, uint32_t rank, uint64_t d0, uint64_t d1, size_t *off);

/* The kernels of one model in one precision; p, tab, gp, gt, ws point at reals of it. */
typedef struct {
    size_t real_size; /* 4 or 8 */
    void (*tokens)(const LkNet *s, const void *p, void *tab);
    double (*example)(const LkNet *s, const void *p, const void *tab, const int32_t *x, uint32_t T,
                      const int32_t *lab, bool prefix, int32_t ignore, double inv_n, int32_t *pred,
                      void *gp, void *gt, void *ws);
    void (*tokens_backward)(const LkNet *s, const void *p, const void *tab, const void *gt,
                            void *gp);
    size_t (*workspace)(const LkNet *s, uint32_t T); /* reals for an example of length T */
} LkNetKernels;

/* Model-independent operations of one precision. */
typedef struct {
    size_t real_size;
    void (*adamw)(void *p, void *m, void *v, const void *g, size_t n, double lr, uint64_t t);
    void (*accumulate)(void *dst, const void *src, size_t n); /* dst += src */
    void (*to_double)(const void *src, double *dst, size_t n);
    void (*from_double)(const double *src, void *dst, size_t n);
} LkRealOps;

extern const LkNetKernels lk_diag_f32, lk_diag_f64, lk_deltanet_f32, lk_deltanet_f64, lk_mamba_f32,
    lk_mamba_f64;
extern const LkRealOps lk_real_f32, lk_real_f64;
