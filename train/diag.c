/* The toy diagonal model in float32 and float64 (kernels in diag-impl.h). */
#include "train/model-private.h"

#include <math.h>

void lk_diag_init_shape(LkDiag *s, uint32_t V, uint32_t D, uint32_t C, bool negative)
{
    *s = (LkDiag){.V = V, .D = D, .C = C, .negative = negative};
    size_t at = 0;
    const struct {
        const char *name;
        uint32_t rank;
        uint64_t d0, d1;
        size_t *off;
    } t[8] = {
        {"embedding.weight", 2, V, D, &s->emb}, {"pre_norm.weight", 1, D, 0, &s->ln1},
        {"A.weight", 2, D, D, &s->wa},          {"A.bias", 1, D, 0, &s->ba},
        {"B.weight", 2, D, D, &s->wb},          {"B.bias", 1, D, 0, &s->bb},
        {"post_norm.weight", 1, D, 0, &s->ln2}, {"decoder.weight", 2, C, D, &s->dec},
    };
    for (int i = 0; i < 8; i++) {
        *t[i].off = at;
        s->info[i] = (LkParamInfo){t[i].name, t[i].rank, {t[i].d0, t[i].d1}, at};
        at += t[i].d0 * (t[i].rank == 2 ? t[i].d1 : 1);
    }
    s->n_params = at;
}

size_t lk_diag_workspace(const LkDiag *s, uint32_t T)
{
    return (2 * (size_t)T + 1) * s->D + 3 * (size_t)s->D + s->C;
}

#define R float
#define FN(name) name##_f32
#define SQRT sqrtf
#define EXP expf
#define LOG logf
#define TANH tanhf
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
#include "train/diag-impl.h"

#define WRAP(SUF, R)                                                                               \
    static void tokens_##SUF(const LkDiag *s, const void *p, void *tab)                            \
    {                                                                                              \
        diag_tokens_##SUF(s, p, tab);                                                              \
    }                                                                                              \
    static double example_##SUF(const LkDiag *s, const void *p, const void *tab, const int32_t *x, \
                                uint32_t T, const int32_t *lab, bool prefix, int32_t ignore,       \
                                double inv_n, int32_t *pred, void *gp, void *gt, void *ws)         \
    {                                                                                              \
        return diag_example_##SUF(s, p, tab, x, T, lab, prefix, ignore, (R)inv_n, pred, gp, gt,    \
                                  ws);                                                             \
    }                                                                                              \
    static void tokens_backward_##SUF(const LkDiag *s, const void *p, const void *tab,             \
                                      const void *gt, void *gp)                                    \
    {                                                                                              \
        diag_tokens_backward_##SUF(s, p, tab, gt, gp);                                             \
    }                                                                                              \
    static void step_##SUF(void *p, void *m, void *v, const void *g, size_t n, double lr,          \
                           uint64_t t)                                                             \
    {                                                                                              \
        adamw_##SUF(p, m, v, g, n, lr, t);                                                         \
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
    const LkDiagKernels lk_diag_##SUF = {                                                          \
        sizeof(R),  tokens_##SUF,     example_##SUF,   tokens_backward_##SUF,                      \
        step_##SUF, accumulate_##SUF, to_double_##SUF, from_double_##SUF};

WRAP(f32, float)
WRAP(f64, double)
