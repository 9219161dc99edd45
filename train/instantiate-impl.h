/* Instantiates a model's kernels (the header KERNELS_IMPL, after the shared
 * LayerNorm and block kernels) in float32 and float64, and defines
 * LK_NET_KERNELS(NAME, PREFIX): the LkNetKernels lk_NAME_f32 and lk_NAME_f64
 * of the functions PREFIX_tokens, PREFIX_example and PREFIX_tokens_backward
 * and a static workspace(). Included once by deltanet.c and mamba.c. Not a
 * public header. */

#define R float
#define FN(name) name##_f32
#define SQRT sqrtf
#define EXP expf
#define LOG logf
#define LOG1P log1pf
#define ERF erff
#include "train/common-impl.h"
#include "train/block-impl.h"
#include KERNELS_IMPL
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
#include KERNELS_IMPL

#define LK_NET_WRAP(NAME, PREFIX, SUF, RT)                                                         \
    static double NAME##_example_##SUF(const LkNet *s, const void *p, const void *tab,             \
                                       const int32_t *x, uint32_t T, const int32_t *lab,           \
                                       bool prefix, int32_t ignore, double inv_n, int32_t *pred,   \
                                       void *gp, void *gt, void *ws)                               \
    {                                                                                              \
        return PREFIX##_example_##SUF(s, p, tab, x, T, lab, prefix, ignore, (RT)inv_n, pred, gp,   \
                                      gt, ws);                                                     \
    }                                                                                              \
    const LkNetKernels lk_##NAME##_##SUF = {sizeof(RT), PREFIX##_tokens_##SUF,                     \
                                            NAME##_example_##SUF, PREFIX##_tokens_backward_##SUF,  \
                                            workspace};
#define LK_NET_KERNELS(NAME, PREFIX)                                                               \
    LK_NET_WRAP(NAME, PREFIX, f32, float)                                                          \
    LK_NET_WRAP(NAME, PREFIX, f64, double)
