/* Model-independent operations of the trainer in float32 and float64 (AdamW,
 * sums, conversions), and the parameter layout helper. */
#include "train/model-private.h"

#include <math.h>

void lk_net_add(LkNet *s, const char *name, uint32_t rank, uint64_t d0, uint64_t d1, size_t *off)
{
    g_assert(s->n_info < LK_NET_MAX_TENSORS);
    *off = s->n_params;
    s->info[s->n_info++] = (LkParamInfo){name, rank, {d0, rank == 2 ? d1 : 0}, s->n_params};
    s->n_params += d0 * (rank == 2 ? d1 : 1);
}

const char *lk_net_name(const char *prefix, const char *base)
{
    g_autofree char *n = g_strconcat(prefix, base, NULL);
    return g_intern_string(n);
}

void lk_net_add_block(LkNet *s, uint32_t l, const char *prefix)
{
    const uint32_t D = s->D;
    LkLayer *L = &s->L[l];
    lk_net_add(s, lk_net_name(prefix, "o_proj.weight"), 2, D, D, &L->wo);
    lk_net_add(s, lk_net_name(prefix, "norm2.weight"), 1, D, 0, &L->ln2);
    lk_net_add(s, lk_net_name(prefix, "mlp.fc1.weight"), 2, s->M, D, &L->w1);
    lk_net_add(s, lk_net_name(prefix, "mlp.fc1.bias"), 1, s->M, 0, &L->b1);
    lk_net_add(s, lk_net_name(prefix, "mlp.fc2.weight"), 2, D, s->M, &L->w2);
    lk_net_add(s, lk_net_name(prefix, "mlp.fc2.bias"), 1, D, 0, &L->b2);
}

void lk_net_add_head(LkNet *s)
{
    lk_net_add(s, "norm_f.weight", 1, s->D, 0, &s->ln3);
    lk_net_add(s, "decoder.weight", 2, s->C, s->D, &s->dec);
}

#define DEFINE_REAL(SUF, R, SQRT)                                                                  \
    /* One AdamW step (PyTorch's order of operations; no weight decay) at step t >= 1. */          \
    static void adamw_##SUF(void *pv, void *mv, void *vv, const void *gv, size_t n, double lr,     \
                            uint64_t t)                                                            \
    {                                                                                              \
        R *p = pv, *m = mv, *v = vv;                                                               \
        const R *g = gv;                                                                           \
        const R b1 = (R)0.9, b2 = (R)0.999;                                                        \
        const R bc1 = (R)(1 - pow(0.9, (double)t)), bc2 = (R)(1 - pow(0.999, (double)t));          \
        const R step = (R)lr / bc1, bc2s = SQRT(bc2);                                              \
        for (size_t i = 0; i < n; i++) {                                                           \
            m[i] = m[i] * b1 + (1 - b1) * g[i];                                                    \
            v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i];                                             \
            const R denom = SQRT(v[i]) / bc2s + (R)1e-8;                                           \
            p[i] = p[i] + -step * m[i] / denom;                                                    \
        }                                                                                          \
    }                                                                                              \
    static void accumulate_##SUF(void *dst, const void *src, size_t n)                             \
    {                                                                                              \
        R *d = dst;                                                                                \
        const R *x = src;                                                                          \
        for (size_t i = 0; i < n; i++) d[i] += x[i];                                               \
    }                                                                                              \
    static void to_double_##SUF(const void *src, double *dst, size_t n)                            \
    {                                                                                              \
        const R *x = src;                                                                          \
        for (size_t i = 0; i < n; i++) dst[i] = x[i];                                              \
    }                                                                                              \
    static void from_double_##SUF(const double *src, void *dst, size_t n)                          \
    {                                                                                              \
        R *d = dst;                                                                                \
        for (size_t i = 0; i < n; i++) d[i] = (R)src[i];                                           \
    }                                                                                              \
    const LkRealOps lk_real_##SUF = {sizeof(R), adamw_##SUF, accumulate_##SUF, to_double_##SUF,    \
                                     from_double_##SUF};

DEFINE_REAL(f32, float, sqrtf)
DEFINE_REAL(f64, double, sqrt)
