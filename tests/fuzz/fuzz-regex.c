/* The regex parser, then compilation to a minimal DFA under small limits,
 * and the DFA's JSON read back. */
#include "automata/regex.h"
#include "tests/fuzz/fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    g_autofree char *text = g_strndup((const char *)data, size);
    GError *err = NULL;
    g_autoptr(LkRegex) re = lk_regex_parse(text, NULL, &err);
    if (!re) {
        fuzz_rejected(err);
        return 0;
    }
    const LkLimits lim = {.max_states = 2000, .max_positions = 2000};
    g_autoptr(LkDfa) d = lk_regex_compile(re, &lim, &err);
    if (!d) {
        fuzz_rejected(err);
        return 0;
    }
    FUZZ_ASSERT(lk_dfa_is_canonical(d), "not canonical");
    g_autofree char *json = lk_dfa_to_json(d);
    g_autoptr(LkDfa) e = lk_dfa_from_json(json, -1, "round trip", &err);
    FUZZ_ASSERT(e && lk_dfa_equal(d, e), "JSON round trip: %s", err ? err->message : "differs");
    return 0;
}
