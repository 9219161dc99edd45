/* The cascade JSON reader; a cascade read gives its automaton, and its
 * JSON read back gives the same automaton. */
#include "automata/semigroup/cascade.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    GError *err = NULL;
    const LkLimits lim = {.max_states = 2000};
    g_autoptr(LkCascade) c = lk_cascade_from_json((const char *)data, (gssize)size, &lim, &err);
    if (!c) {
        fuzz_rejected(err);
        return 0;
    }
    g_autoptr(LkDfa) d = lk_cascade_to_dfa(c, &(LkLimits){.max_states = 2000}, &err);
    if (!d) {
        fuzz_rejected(err);
        return 0;
    }
    g_autofree char *json = lk_cascade_to_json(c);
    g_autoptr(LkCascade) c2 = lk_cascade_from_json(json, -1, &lim, &err);
    FUZZ_ASSERT(c2 != NULL, "round trip: %s", err ? err->message : "");
    g_autoptr(LkDfa) d2 = lk_cascade_to_dfa(c2, &(LkLimits){.max_states = 2000}, &err);
    FUZZ_ASSERT(d2 && lk_dfa_equal(d, d2), "the round trip changed the automaton");
    return 0;
}
