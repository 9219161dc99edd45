/* The trainer's models: parameter layout and kernels (train.h has the maths).
 * Not a public header. */
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

/* The toy diagonal model: V tokens (pad included), width D, C classes. */
typedef struct {
    uint32_t V, D, C;
    bool negative;
    size_t emb, ln1, wa, ba, wb, bb, ln2, dec; /* offsets in the flat vector */
    size_t n_params;
    LkParamInfo info[8];
} LkDiag;

#define TAB(D) (5 * (size_t)(D) + 1) /* token-table reals per token */

void lk_diag_init_shape(LkDiag *s, uint32_t V, uint32_t D, uint32_t C, bool negative);
/* Reals of workspace one example of length T needs. */
size_t lk_diag_workspace(const LkDiag *s, uint32_t T);

/* The kernels of one precision; p, tab, gp, gt, ws point at reals of it. */
typedef struct {
    size_t real_size; /* 4 or 8 */
    void (*tokens)(const LkDiag *s, const void *p, void *tab);
    double (*example)(const LkDiag *s, const void *p, const void *tab, const int32_t *x, uint32_t T,
                      const int32_t *lab, bool prefix, int32_t ignore, double inv_n, int32_t *pred,
                      void *gp, void *gt, void *ws);
    void (*tokens_backward)(const LkDiag *s, const void *p, const void *tab, const void *gt,
                            void *gp);
    void (*adamw)(void *p, void *m, void *v, const void *g, size_t n, double lr, uint64_t t);
    void (*accumulate)(void *dst, const void *src, size_t n); /* dst += src */
    void (*to_double)(const void *src, double *dst, size_t n);
    void (*from_double)(const double *src, void *dst, size_t n);
} LkDiagKernels;

extern const LkDiagKernels lk_diag_f32, lk_diag_f64;
