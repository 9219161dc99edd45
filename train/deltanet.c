/* DeltaNet (one or two layers) in float32 and float64 (kernels in deltanet-impl.h). */
#include "train/model-private.h"

#include <math.h>

/* Layer l's mixer tensors, their names prefixed. */
static void add_mixer(LkNet *s, uint32_t l, const char *prefix)
{
    const uint32_t D = s->D;
    LkLayer *L = &s->L[l];
    const struct {
        const char *name;
        uint32_t rank, rows;
        size_t *off;
    } t[5] = {{"norm1.weight", 1, D, &L->ln1},
              {"q_proj.weight", 2, D, &L->wq},
              {"k_proj.weight", 2, D, &L->wk},
              {"v_proj.weight", 2, D, &L->wv},
              {"b_proj.weight", 2, s->H, &L->wbeta}};
    for (int i = 0; i < 5; i++)
        lk_net_add(s, lk_net_name(prefix, t[i].name), t[i].rank, t[i].rows, D, t[i].off);
}

void lk_net_deltanet(LkNet *s, uint32_t V, uint32_t D, uint32_t C, uint32_t H, uint32_t layers,
                     bool negative)
{
    g_assert(layers >= 1 && layers <= LK_NET_MAX_LAYERS);
    *s = (LkNet){.arch = LK_TRAIN_DELTANET,
                 .V = V,
                 .D = D,
                 .C = C,
                 .H = H,
                 .M = 4 * D,
                 .layers = layers,
                 .negative = negative};
    lk_net_add(s, "embedding.weight", 2, V, D, &s->emb);
    for (uint32_t l = 0; l < layers; l++) { /* layer 1's names unprefixed, as with one layer */
        const char *prefix = l ? "layer2." : "";
        add_mixer(s, l, prefix);
        lk_net_add_block(s, l, prefix);
    }
    lk_net_add_head(s);
    s->tab = 5 * (size_t)D + 4 * (size_t)H + 1;
    s->gt = 4 * (size_t)D + H;
}

static size_t workspace(const LkNet *s, uint32_t T)
{
    const size_t D = s->D, SS = D * (D / s->H), TD = (size_t)T * D;
    size_t n = ((size_t)T + 1) * SS + 2 * TD; /* layer 1's states, outputs and their gradients */
    if (s->layers == 2) /* layer 2's, layer 1's block outputs, caches and layer 2's rows */
        n += ((size_t)T + 1) * SS + 4 * TD + T * (BLOCK_CACHE(D, s->M) + s->tab + s->gt);
    return n + SS + 2 * D + HEAD_WS(D, s->M, s->C);
}

#define KERNELS_IMPL "train/deltanet-impl.h"
#include "train/instantiate-impl.h"

LK_NET_KERNELS(deltanet, dn)
