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
    lk_net_add_block(s);
    s->tab = 5 * (size_t)D + 4 * (size_t)H + 1;
    s->gt = 4 * (size_t)D + H;
}

static size_t workspace(const LkNet *s, uint32_t T)
{
    const size_t D = s->D, dh = D / s->H;
    return ((size_t)T + 2) * D * dh + 2 * (size_t)T * D + 15 * D + 3 * (size_t)s->M + s->C;
}

#define KERNELS_IMPL "train/deltanet-impl.h"
#include "train/instantiate-impl.h"

LK_NET_KERNELS(deltanet, dn)
