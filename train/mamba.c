/* One-layer Mamba-style selective diagonal model in float32 and float64
 * (kernels in mamba-impl.h). */
#include "train/model-private.h"

#include <math.h>

void lk_net_mamba(LkNet *s, uint32_t V, uint32_t D, uint32_t C, uint32_t N, bool negative)
{
    *s = (LkNet){.arch = LK_TRAIN_MAMBA,
                 .layers = 1,
                 .V = V,
                 .D = D,
                 .C = C,
                 .N = N,
                 .M = 4 * D,
                 .negative = negative};
    lk_net_add(s, "embedding.weight", 2, V, D, &s->emb);
    lk_net_add(s, "norm1.weight", 1, D, 0, &s->L[0].ln1);
    lk_net_add(s, "in_proj.weight", 2, D, D, &s->win);
    lk_net_add(s, "dt_proj.weight", 2, D, D, &s->wdt);
    lk_net_add(s, "dt_proj.bias", 1, D, 0, &s->bdt);
    lk_net_add(s, "B_proj.weight", 2, N, D, &s->wB);
    lk_net_add(s, "C_proj.weight", 2, N, D, &s->wC);
    lk_net_add(s, "A_log", 2, D, N, &s->alog);
    lk_net_add(s, "D_skip", 1, D, 0, &s->dskip);
    lk_net_add_block(s, 0, "");
    lk_net_add_head(s);
    s->tab = 5 * (size_t)D + 2 * (size_t)N + 3 * (size_t)D * N + 1;
    s->gt = 2 * (size_t)D * N + N + 2 * (size_t)D;
}

static size_t workspace(const LkNet *s, uint32_t T)
{
    const size_t DN = (size_t)s->D * s->N;
    return ((size_t)T + 2) * DN + 2 * (size_t)T * s->D + HEAD_WS(s->D, s->M, s->C);
}

#define KERNELS_IMPL "train/mamba-impl.h"
#include "train/instantiate-impl.h"

LK_NET_KERNELS(mamba, mb)
