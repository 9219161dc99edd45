/* Differential: a small DFA from the bytes (up to 7 states, 3 letters) is
 * compiled to LRNN weights (group, permutation-reset or the holonomy
 * cascade), which the exact verifier must prove; the holonomy cascade's own
 * automaton must accept the DFA's language; and the exact and f64 engines
 * must follow the DFA on words from the bytes. */
#include "automata/semigroup/holonomy.h"
#include "lrnn/lrnn.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > 256) return 0;
    const uint32_t n = 1 + data[0] % 7, k = 1 + data[1] % 3;
    if (size < 3 + (size_t)n * k) return 0;
    static const char *const names[] = {"a", "b", "c"};
    g_autoptr(LkAlphabet) al = lk_alphabet_new(names, k, NULL);
    g_autoptr(LkDfa) raw = lk_dfa_new(al, n, 0);
    for (uint32_t q = 0; q < n; q++) {
        raw->accept[q] = (data[2] >> (q % 8)) & 1;
        for (uint32_t a = 0; a < k; a++) raw->delta[q * k + a] = data[3 + q * k + a] % n;
    }
    g_autoptr(LkDfa) d = lk_dfa_minimize(raw);
    GError *err = NULL;
    const LkCompileOptions opt = {.limits = {.max_states = 5000, .max_images = 5000}};
    g_autoptr(LkStack) s = lk_stack_compile_dfa(d, LK_STRATEGY_AUTO, &opt, NULL, &err);
    if (!s) {
        fuzz_rejected(err);
        return 0;
    }
    LkVerifyResult v = {0};
    FUZZ_ASSERT(lk_stack_verify(s, d, &(LkLimits){.max_pairs = 100000}, &v, &err) && v.verified,
                "not verified: %s", err ? err->message : "counterexample");
    lk_verify_result_clear(&v);
    if (d->n > 1) {
        g_autoptr(LkHolonomy) h =
            lk_holonomy_new_from_dfa(d, &(LkLimits){.max_images = 5000}, &err);
        FUZZ_ASSERT(h != NULL, "holonomy: %s", err ? err->message : "");
        g_autoptr(LkCascade) c = lk_holonomy_cascade(h, d->alphabet, d->start, d->accept,
                                                     &(LkLimits){.max_states = 5000}, &err);
        FUZZ_ASSERT(c != NULL, "cascade: %s", err ? err->message : "");
        g_autoptr(LkDfa) cd = lk_cascade_to_dfa(c, &(LkLimits){.max_states = 100000}, &err);
        FUZZ_ASSERT(cd != NULL, "cascade automaton: %s", err ? err->message : "");
        g_autoptr(GArray) cx = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        bool eq = false;
        FUZZ_ASSERT(lk_dfa_equivalent(cd, d, &eq, cx, NULL, &err) && eq,
                    "the cascade's language differs");
    }
    const size_t off = 3 + (size_t)n * k, len = size - off;
    uint32_t *w = g_new(uint32_t, len + 1);
    int64_t *se = g_new(int64_t, len + 1), *sf = g_new(int64_t, len + 1);
    for (size_t i = 0; i < len; i++) w[i] = data[off + i] % k;
    const bool ae = lk_stack_run(s, LK_ENGINE_EXACT, w, len, se);
    const bool af = lk_stack_run(s, LK_ENGINE_F64, w, len, sf);
    FUZZ_ASSERT(ae == lk_dfa_accepts(d, w, len) && af == ae, "the engines disagree with the DFA");
    g_free(w);
    g_free(se);
    g_free(sf);
    return 0;
}
