/* One-layer DeltaNet in float32 and float64 (kernels in deltanet-impl.h). */
#include "train/model-private.h"

#include <math.h>

void lk_net_deltanet(LkNet *s, uint32_t V, uint32_t D, uint32_t C, uint32_t H, bool negative)
{
    *s = (LkNet){.arch = LK_TRAIN_DELTANET,
                 .V = V,
                 .D = D,
                 .C = C,
                 .H = H,
                 .M = 4 * D,
                 .negative = negative};
    lk_net_add(s, "embedding.weight", 2, V, D, &s->emb);
    lk_net_add(s, "norm1.weight", 1, D, 0, &s->ln1);
    lk_net_add(s, "q_proj.weight", 2, D, D, &s->wq);
    lk_net_add(s, "k_proj.weight", 2, D, D, &s->wk);
    lk_net_add(s, "v_proj.weight", 2, D, D, &s->wv);
    lk_net_add(s, "b_proj.weight", 2, H, D, &s->wbeta);
    lk_net_add(s, "o_proj.weight", 2, D, D, &s->wo);
    lk_net_add(s, "norm2.weight", 1, D, 0, &s->ln2);
    lk_net_add(s, "mlp.fc1.weight", 2, s->M, D, &s->w1);
    lk_net_add(s, "mlp.fc1.bias", 1, s->M, 0, &s->b1);
    lk_net_add(s, "mlp.fc2.weight", 2, D, s->M, &s->w2);
    lk_net_add(s, "mlp.fc2.bias", 1, D, 0, &s->b2);
    lk_net_add(s, "norm_f.weight", 1, D, 0, &s->ln3);
    lk_net_add(s, "decoder.weight", 2, C, D, &s->dec);
    s->tab = 5 * (size_t)D + 4 * (size_t)H + 1;
    s->gt = 4 * (size_t)D + H;
}

static size_t workspace(const LkNet *s, uint32_t T)
{
    const size_t D = s->D, dh = D / s->H;
    return ((size_t)T + 2) * D * dh + 2 * (size_t)T * D + 15 * D + 3 * (size_t)s->M + s->C;
}

#define R float
#define FN(name) name##_f32
#define SQRT sqrtf
#define EXP expf
#define LOG logf
#define ERF erff
#include "train/common-impl.h"
#include "train/block-impl.h"
#include "train/deltanet-impl.h"
#undef R
#undef FN
#undef SQRT
#undef EXP
#undef LOG
#undef ERF

#define R double
#define FN(name) name##_f64
#define SQRT sqrt
#define EXP exp
#define LOG log
#define ERF erf
#include "train/common-impl.h"
#include "train/block-impl.h"
#include "train/deltanet-impl.h"

#define WRAP(SUF, R)                                                                               \
    static double example_##SUF(const LkNet *s, const void *p, const void *tab, const int32_t *x,  \
                                uint32_t T, const int32_t *lab, bool prefix, int32_t ignore,       \
                                double inv_n, int32_t *pred, void *gp, void *gt, void *ws)         \
    {                                                                                              \
        return dn_example_##SUF(s, p, tab, x, T, lab, prefix, ignore, (R)inv_n, pred, gp, gt, ws); \
    }                                                                                              \
    const LkNetKernels lk_deltanet_##SUF = {sizeof(R), dn_tokens_##SUF, example_##SUF,             \
                                            dn_tokens_backward_##SUF, workspace};

WRAP(f32, float)
WRAP(f64, double)
