/* The transformations JSON reader, then the monoid (at most 5000 elements),
 * its Green's classes, and the holonomy decomposition of the generators. */
#include "automata/semigroup/holonomy.h"
#include "automata/semigroup/monoid.h"
#include "automata/semigroup/transf.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    GError *err = NULL;
    g_autoptr(LkMonoid) m = lk_monoid_new_from_json((const char *)data, (gssize)size, "fuzz",
                                                    &(LkLimits){.max_elements = 5000}, &err);
    if (!m) {
        fuzz_rejected(err);
        return 0;
    }
    g_autoptr(LkMonoidAnalysis) a = lk_monoid_analyze(m, true);
    FUZZ_ASSERT(a->h_classes >= a->r_classes && a->h_classes >= a->l_classes &&
                    a->r_classes >= a->d_classes && a->d_classes >= a->regular_d_classes,
                "class counts out of order");
    uint32_t n, k;
    g_autofree uint32_t *gens =
        lk_transf_from_json((const char *)data, (gssize)size, "fuzz", &n, &k, &err);
    FUZZ_ASSERT(gens != NULL, "the monoid read it, the transformations reader did not");
    if (n == 0 || k == 0) return 0; /* no decomposition (the command says so) */
    g_autoptr(LkHolonomy) h = lk_holonomy_new(n, k, gens, &(LkLimits){.max_images = 2000}, &err);
    if (!h) fuzz_rejected(err);
    return 0;
}
