/* The DFA JSON reader; a DFA read is minimized twice (Hopcroft, Brzozowski)
 * with the same result, and written and read back unchanged. */
#include "automata/dfa.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    GError *err = NULL;
    g_autoptr(LkDfa) d = lk_dfa_from_json((const char *)data, (gssize)size, "fuzz", &err);
    if (!d) {
        fuzz_rejected(err);
        return 0;
    }
    g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
    const LkLimits lim = {.max_states = 5000};
    g_autoptr(LkDfa) b = lk_dfa_minimize_brzozowski(d, &lim, &err);
    if (b)
        FUZZ_ASSERT(lk_dfa_equal(h, b), "Hopcroft and Brzozowski disagree");
    else
        fuzz_rejected(err), err = NULL;
    g_autofree char *json = lk_dfa_to_json(d);
    g_autoptr(LkDfa) e = lk_dfa_from_json(json, -1, "round trip", &err);
    FUZZ_ASSERT(e && lk_dfa_equal(d, e), "round trip: %s", err ? err->message : "differs");
    return 0;
}
