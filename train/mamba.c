/* One-layer Mamba-style selective diagonal model in float32 and float64
 * (kernels in mamba-impl.h). */
#include "train/model-private.h"

#include <math.h>

void lk_net_mamba(LkNet *s, uint32_t V, uint32_t D, uint32_t C, uint32_t N, bool negative)
{
    *s = (LkNet){
        .arch = LK_TRAIN_MAMBA, .V = V, .D = D, .C = C, .N = N, .M = 4 * D, .negative = negative};
    lk_net_add(s, "embedding.weight", 2, V, D, &s->emb);
    lk_net_add(s, "norm1.weight", 1, D, 0, &s->ln1);
    lk_net_add(s, "in_proj.weight", 2, D, D, &s->win);
    lk_net_add(s, "dt_proj.weight", 2, D, D, &s->wdt);
    lk_net_add(s, "dt_proj.bias", 1, D, 0, &s->bdt);
    lk_net_add(s, "B_proj.weight", 2, N, D, &s->wB);
    lk_net_add(s, "C_proj.weight", 2, N, D, &s->wC);
    lk_net_add(s, "A_log", 2, D, N, &s->alog);
    lk_net_add(s, "D_skip", 1, D, 0, &s->dskip);
    lk_net_add(s, "o_proj.weight", 2, D, D, &s->wo);
    lk_net_add(s, "norm2.weight", 1, D, 0, &s->ln2);
    lk_net_add(s, "mlp.fc1.weight", 2, s->M, D, &s->w1);
    lk_net_add(s, "mlp.fc1.bias", 1, s->M, 0, &s->b1);
    lk_net_add(s, "mlp.fc2.weight", 2, D, s->M, &s->w2);
    lk_net_add(s, "mlp.fc2.bias", 1, D, 0, &s->b2);
    lk_net_add(s, "norm_f.weight", 1, D, 0, &s->ln3);
    lk_net_add(s, "decoder.weight", 2, C, D, &s->dec);
    s->tab = 5 * (size_t)D + 2 * (size_t)N + 3 * (size_t)D * N + 1;
    s->gt = 2 * (size_t)D * N + N + 2 * (size_t)D;
}

static size_t workspace(const LkNet *s, uint32_t T)
{
    const size_t DN = (size_t)s->D * s->N;
    return ((size_t)T + 2) * DN + 2 * (size_t)T * s->D + 13 * (size_t)s->D + 3 * (size_t)s->M +
           s->C;
}

#define R float
#define FN(name) name##_f32
#define SQRT sqrtf
#define EXP expf
#define LOG logf
#define LOG1P log1pf
#define ERF erff
#include "train/common-impl.h"
#include "train/block-impl.h"
#include "train/mamba-impl.h"
#undef R
#undef FN
#undef SQRT
#undef EXP
#undef LOG
#undef LOG1P
#undef ERF

#define R double
#define FN(name) name##_f64
#define SQRT sqrt
#define EXP exp
#define LOG log
#define LOG1P log1p
#define ERF erf
#include "train/common-impl.h"
#include "train/block-impl.h"
#include "train/mamba-impl.h"

#define WRAP(SUF, R)                                                                               \
    static double example_##SUF(const LkNet *s, const void *p, const void *tab, const int32_t *x,  \
                                uint32_t T, const int32_t *lab, bool prefix, int32_t ignore,       \
                                double inv_n, int32_t *pred, void *gp, void *gt, void *ws)         \
    {                                                                                              \
        return mb_example_##SUF(s, p, tab, x, T, lab, prefix, ignore, (R)inv_n, pred, gp, gt, ws); \
    }                                                                                              \
    const LkNetKernels lk_mamba_##SUF = {sizeof(R), mb_tokens_##SUF, example_##SUF,                \
                                         mb_tokens_backward_##SUF, workspace};

WRAP(f32, float)
WRAP(f64, double)
