/* The safetensors reader with model validation (the tensors against the exact
 * model in the metadata), and the --from-tensors reader. */
#include "lrnn/lrnn.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20) return 0;
    g_autofree char *path = fuzz_file("model.safetensors", data, size);
    GError *err = NULL;
    g_autoptr(LkStack) s = lk_stack_load(path, &err);
    if (!s) fuzz_rejected(err), err = NULL;
    g_autoptr(LkStack) t = lk_stack_load_tensors(path, &err);
    if (!t) fuzz_rejected(err);
    return 0;
}
