/** @file
 * lrnnkit — how long a model with irrational weights stays right in
 * finite precision: the input length up to which a float engine's rounding
 * provably cannot change a decoded state (a forward error bound, see
 * safe-length.c). The eventual behaviour after it is orbit.h's subject.
 */
#pragma once

#include "lrnn/lrnn.h"

G_BEGIN_DECLS

/** Angular layers: the safe length in engine e; UINT64_MAX when no token has
 * a factor (or e is exact); 0 for other models (not applicable: their float
 * states are checked exactly by the verifier). */
uint64_t lk_lrnn_safe_length(const LkLrnn *m, LkEngine e);
/** The smallest safe length of a stack's angular layers (0: none is angular). */
uint64_t lk_stack_safe_length(const LkStack *s, LkEngine e);

G_END_DECLS
