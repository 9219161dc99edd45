/* NumPy files: one .npy image, an .npz archive (stored or deflated), and the
 * matrices reader on top of it. */
#include "automata/npy.h"
#include "lrnn/lrnn.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20) return 0;
    GError *err = NULL;
    LkNpyArray *a = lk_npy_parse(data, size, "x", "fuzz", &err);
    if (a) {
        FUZZ_ASSERT((a->integer ? (void *)a->ints : (void *)a->data) != NULL || !a->size,
                    "no values");
        lk_npy_array_free(a);
    } else {
        fuzz_rejected(err), err = NULL;
    }
    g_autofree char *path = fuzz_file("m.npz", data, size);
    g_autoptr(GPtrArray) arrays = lk_npz_load(path, &(LkLimits){.max_memory = 1 << 22}, &err);
    if (!arrays) fuzz_rejected(err), err = NULL;
    g_autoptr(LkMatrices) m =
        lk_matrices_load_npz(path, &(LkLimits){.max_dim = 64, .max_memory = 1 << 22}, &err);
    if (!m) fuzz_rejected(err);
    return 0;
}
