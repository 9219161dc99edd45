/* Rounding-safe lengths of angular layers (see safe-length.h). */
#include "proofs/safe-length.h"

#include <math.h>

/* The rounding-safe length of an angular layer (exact states: unit vectors).
 *
 * Let u be the engine's unit roundoff (2^-p for p significand bits) and h~ the
 * float state, |h~| <= rho = 2 while the error stays below 1. One factor of
 * the float engine computes k~ = round(k) (|k~ - k| <= 1.01 u: the double
 * cosine rounded), d = k~.h~ (two products and a sum: error <= gamma_2 |h~|),
 * s = 2 d (exact) and h~_i - k~_i s (two roundings per entry). Against the
 * exact reflection F = I - 2 k k^T applied to h~, first order:
 *   |(F~ - F) h~|       <= 2 (2 |k~ - k|) rho  <= 4.04 u rho
 *   |fl(F~ h~) - F~ h~| <= (2 gamma_2 + 2 u + u) rho ~ 7 u rho,
 * about 11.1 u rho; we charge delta = 16 u rho per factor, which also covers
 * the second-order terms for u <= 2^-8 and float16's subnormal quanta.
 * Since F is orthogonal, errors add: |h~_t - h_t| <= e_0 + t * delta * f
 * (f = most factors of a token; e_0 <= 2 u is the rounding of h0). Decoding
 * to the nearest code is right while the error is below half the least
 * distance between codes (less a relative 10^-6 for the decoder's own double
 * arithmetic), hence the safe length floor((margin - e_0) / (f delta)). */
uint64_t lk_lrnn_safe_length(const LkLrnn *m, LkEngine e)
{
    g_return_val_if_fail(m != NULL, 0);
    if (!m->angular || m->n_codes < 1) return 0;
    static const double unit[] = {0, 0x1p-53, 0x1p-24, 0x1p-8, 0x1p-11};
    const double u = unit[e];
    const uint32_t f = lk_lrnn_max_factors(m);
    if (e == LK_ENGINE_EXACT || f == 0) return UINT64_MAX;
    double dmin = 2.0; /* chord between angles a and b: 2 |sin(pi (a - b) / 2)| */
    for (uint32_t i = 0; i < m->n_codes; i++)
        for (uint32_t j = i + 1; j < m->n_codes; j++) {
            double da = mpq_get_d(m->codes[2 * (size_t)i]) - mpq_get_d(m->codes[2 * (size_t)j]);
            dmin = fmin(dmin, 2 * fabs(sin(M_PI * da / 2)));
        }
    const double margin = dmin / 2 * (1 - 1e-6), e0 = 2 * u, delta = 16 * u * 2 * f;
    if (margin <= e0) return 0;
    const double len = floor((margin - e0) / delta);
    return len >= 1.8e19 ? UINT64_MAX : (uint64_t)len;
}

uint64_t lk_stack_safe_length(const LkStack *s, LkEngine e)
{
    g_return_val_if_fail(s != NULL, 0);
    uint64_t best = 0;
    for (uint32_t i = 0; i < s->n_layers; i++) {
        if (!s->layer[i]->angular) continue;
        uint64_t l = lk_lrnn_safe_length(s->layer[i], e);
        best = best == 0 ? l : MIN(best, l);
    }
    return best;
}
