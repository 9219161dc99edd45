/* lrnnkit — finite-precision orbits of a model under a repeated block of
 * tokens (Lemma 1 of Grazzi et al.: a finite state space makes every orbit
 * eventually periodic).
 *
 * The `step` precision model rounds after every operation, as the float
 * engines do (lk_lrnn_step_float: f64, f32, bf16, f16, round to nearest
 * even). The state of a stack is the tuple of its layers' float vectors and
 * determines everything after it, so the first repeated bit pattern proves
 * the eventual period: transient mu and period lambda are found exactly by
 * Brent's cycle detection, O(mu + lambda) block steps, O(1) states in
 * memory, and are certified.
 */
#pragma once

#include "lrnn/model.h"

G_BEGIN_DECLS

typedef struct {
    uint64_t transient; /* blocks before the cycle */
    uint64_t period;    /* blocks per cycle */
    uint64_t steps;     /* block steps evaluated (the horizon) */
    GArray *outputs;    /* int64: the stack's decoded output along one cycle */
} LkOrbit;

void lk_orbit_clear(LkOrbit *o);

/* The orbit of the stack's start state under the word `block` (letters of
 * the stack's alphabet) repeated, in float engine e (not exact).
 * LK_ERROR_LIMIT when no period shows within max_steps block steps. */
bool lk_orbit_step(const LkStack *s, LkEngine e, const uint32_t *block, size_t block_len,
                   uint64_t max_steps, LkOrbit *out, GError **error);

G_END_DECLS
