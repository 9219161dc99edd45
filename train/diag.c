/* The toy diagonal model in float32 and float64 (kernels in diag-impl.h). */
#include "train/model-private.h"

#include <math.h>

void lk_net_diagonal(LkNet *s, uint32_t V, uint32_t D, uint32_t C, bool negative)
{
    *s = (LkNet){
        .arch = LK_TRAIN_DIAGONAL, .layers = 1, .V = V, .D = D, .C = C, .negative = negative};
    lk_net_add(s, "embedding.weight", 2, V, D, &s->emb);
    lk_net_add(s, "pre_norm.weight", 1, D, 0, &s->L[0].ln1);
    lk_net_add(s, "A.weight", 2, D, D, &s->wa);
    lk_net_add(s, "A.bias", 1, D, 0, &s->ba);
    lk_net_add(s, "B.weight", 2, D, D, &s->wb);
    lk_net_add(s, "B.bias", 1, D, 0, &s->bb);
    lk_net_add(s, "post_norm.weight", 1, D, 0, &s->L[0].ln2);
    lk_net_add(s, "decoder.weight", 2, C, D, &s->dec);
    s->tab = TAB(D);
    s->gt = 2 * (size_t)D;
}

static size_t workspace(const LkNet *s, uint32_t T)
{
    return (2 * (size_t)T + 1) * s->D + 3 * (size_t)s->D + s->C;
}

#define R float
#define FN(name) name##_f32
#define SQRT sqrtf
#define EXP expf
#define LOG logf
#define TANH tanhf
#include "train/common-impl.h"
#include "train/diag-impl.h"
#undef R
#undef FN
#undef SQRT
#undef EXP
#undef LOG
#undef TANH

#define R double
#define FN(name) name##_f64
#define SQRT sqrt
#define EXP exp
#define LOG log
#define TANH tanh
#include "train/common-impl.h"
#include "train/diag-impl.h"

#define WRAP(SUF, R)                                                                               \
    static void tokens_##SUF(const LkNet *s, const void *p, void *tab)                             \
    {                                                                                              \
        diag_tokens_##SUF(s, p, tab);                                                              \
    }                                                                                              \
    static double example_##SUF(const LkNet *s, const void *p, const void *tab, const int32_t *x,  \
                                uint32_t T, const int32_t *lab, bool prefix, int32_t ignore,       \
                                double inv_n, int32_t *pred, void *gp, void *gt, void *ws)         \
    {                                                                                              \
        return diag_example_##SUF(s, p, tab, x, T, lab, prefix, ignore, (R)inv_n, pred, gp, gt,    \
                                  ws);                                                             \
    }                                                                                              \
    static void tokens_backward_##SUF(const LkNet *s, const void *p, const void *tab,              \
                                      const void *gt, void *gp)                                    \
    {                                                                                              \
        diag_tokens_backward_##SUF(s, p, tab, gt, gp);                                             \
    }                                                                                              \
    const LkNetKernels lk_diag_##SUF = {sizeof(R), tokens_##SUF, example_##SUF,                    \
                                        tokens_backward_##SUF, workspace};

WRAP(f32, float)
WRAP(f64, double)
