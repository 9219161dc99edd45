/* The model / stack JSON reader; a model read runs in the exact and the f64
 * engine on a few short words without failing, and its JSON reads back. */
#include "lrnn/lrnn.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    GError *err = NULL;
    g_autoptr(LkStack) s = lk_stack_from_json((const char *)data, (gssize)size, &err);
    if (!s) {
        fuzz_rejected(err);
        return 0;
    }
    const uint32_t k = lk_alphabet_size(s->alphabet);
    uint32_t w[6];
    int64_t states[6];
    for (uint32_t len = 0; len <= 6; len += 3) {
        for (uint32_t i = 0; i < len; i++) w[i] = (i * 7 + len) % k;
        lk_stack_run(s, LK_ENGINE_EXACT, w, len, states);
        lk_stack_run(s, LK_ENGINE_F64, w, len, states);
    }
    g_autofree char *json = lk_stack_to_json(s);
    g_autoptr(LkStack) t = lk_stack_from_json(json, -1, &err);
    FUZZ_ASSERT(t != NULL, "round trip: %s", err ? err->message : "");
    return 0;
}
