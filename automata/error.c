/* Error domain and limit defaults. */
#include "automata/error.h"

#include <unistd.h>

/* clang-format off */
G_DEFINE_QUARK(lk-error-quark, lk_error)
/* clang-format on */

uint64_t lk_default_max_memory(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size / 2 : (4ull << 30);
}

void lk_limits_resolve(LkLimits *out, const LkLimits *in)
{
    LkLimits l = {0};
    if (in) l = *in;
    if (!l.max_states) l.max_states = LK_DEFAULT_MAX_STATES;
    if (!l.max_positions) l.max_positions = LK_DEFAULT_MAX_POSITIONS;
    if (!l.max_elements) l.max_elements = LK_DEFAULT_MAX_ELEMENTS;
    if (!l.max_memory) l.max_memory = lk_default_max_memory();
    *out = l;
}
