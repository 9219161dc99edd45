/* Error domain and limit defaults. */
#include "automata/error.h"

/* clang-format off */
G_DEFINE_QUARK(lk-error-quark, lk_error)
/* clang-format on */

void lk_limits_resolve(LkLimits *out, const LkLimits *in)
{
    LkLimits l = {0};
    if (in) l = *in;
    if (!l.max_states) l.max_states = LK_DEFAULT_MAX_STATES;
    if (!l.max_positions) l.max_positions = LK_DEFAULT_MAX_POSITIONS;
    *out = l;
}
