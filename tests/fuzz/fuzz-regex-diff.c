/* Three minimizers and the backtracking matcher on the same regex: Hopcroft,
 * Brzozowski and the default must give the same canonical DFA, and it must
 * accept exactly the words the backtracking matcher (which shares no code
 * with the automata) accepts, on every word of up to 5 letters. */
#include "automata/regex.h"
#include "tests/fuzz/fuzz.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 40) return 0; /* keeps each input to a few milliseconds */
    g_autofree char *text = g_strndup((const char *)data, size);
    GError *err = NULL;
    g_autoptr(LkRegex) re = lk_regex_parse(text, NULL, &err);
    if (!re) {
        fuzz_rejected(err);
        return 0;
    }
    const LkLimits lim = {.max_states = 500, .max_positions = 200};
    g_autoptr(LkDfa) a = lk_regex_compile_with(re, LK_MINIMIZE_AUTO, &lim, &err);
    if (!a) {
        fuzz_rejected(err);
        return 0;
    }
    g_autoptr(LkDfa) h = lk_regex_compile_with(re, LK_MINIMIZE_HOPCROFT, &lim, &err);
    if (!h) { /* a different route may meet a limit the first did not */
        fuzz_rejected(err);
        return 0;
    }
    g_autoptr(LkDfa) b = lk_regex_compile_with(re, LK_MINIMIZE_BRZOZOWSKI, &lim, &err);
    if (!b) {
        fuzz_rejected(err);
        return 0;
    }
    FUZZ_ASSERT(lk_dfa_equal(a, h) && lk_dfa_equal(a, b), "minimizers disagree on '%s'", text);
    const uint32_t k = a->k;
    if (k > 4) return 0;
    uint32_t w[5];
    for (uint32_t len = 0; len <= 5; len++) {
        uint64_t total = 1;
        for (uint32_t i = 0; i < len; i++) total *= k;
        for (uint64_t c = 0; c < total; c++) {
            uint64_t x = c;
            for (uint32_t i = 0; i < len; i++) w[i] = (uint32_t)(x % k), x /= k;
            FUZZ_ASSERT(lk_dfa_accepts(a, w, len) == lk_regex_matches_backtrack(re, w, len),
                        "DFA and backtracking disagree on '%s' (length %u, word %" G_GUINT64_FORMAT
                        ")",
                        text, len, c);
        }
    }
    return 0;
}
