/* Exact spectra of LRNN transitions (see spectrum.h). */
#include "proofs/spectrum.h"

#include "automata/error.h"
#include "lrnn/dense.h"

const char *lk_spec_class_name(LkSpecClass c)
{
    switch (c) {
    case LK_SPEC_NONNEGATIVE:
        return "nonnegative";
    case LK_SPEC_REAL:
        return "real";
    case LK_SPEC_COMPLEX:
        return "complex";
    }
    return "?";
}

LkSpecClass lk_spec_class_of(const LkRootCounts *r)
{
    return r->nonreal ? LK_SPEC_COMPLEX : r->negative ? LK_SPEC_REAL : LK_SPEC_NONNEGATIVE;
}

void lk_spectrum_clear(LkSpectrum *s)
{
    lk_qpoly_free(s->charpoly);
    s->charpoly = NULL;
}

void lk_spectrum_matrix(const mpq_t *a, uint32_t n, LkSpectrum *out)
{
    out->charpoly = lk_qpoly_charpoly(a, n);
    lk_qpoly_root_counts(out->charpoly, &out->roots);
    out->cls = lk_spec_class_of(&out->roots);
}

/* Angular layers: the word's reflections about the lines at angles pi theta. */
static void angular_spectrum(const LkLrnn *m, const uint32_t *w, size_t len, LkSpectrum *out)
{
    mpq_t phi, twice;
    mpq_inits(phi, twice, NULL);
    uint64_t count = 0;
    for (size_t p = 0; p < len; p++) {
        const LkToken *t = &m->tok[w[p]];
        for (uint32_t f = 0; f < t->n_factors; f++, count++) { /* +theta, -theta alternately */
            if (count & 1)
                mpq_add(phi, phi, t->f[f].theta);
            else
                mpq_sub(phi, phi, t->f[f].theta);
        }
    }
    out->charpoly = NULL;
    out->roots = (LkRootCounts){0};
    if (count & 1) { /* a reflection: 1 and -1 */
        out->roots = (LkRootCounts){2, 1, 0, 1, 0};
    } else {
        mpq_add(twice, phi, phi); /* rotation by 2 pi phi: real iff 2 phi is an integer */
        if (mpz_cmp_ui(mpq_denref(twice), 1)) {
            out->roots.nonreal = 2;
        } else {
            bool plus_one = mpz_even_p(mpq_numref(twice));
            out->roots = (LkRootCounts){2, plus_one ? 2 : 0, 0, plus_one ? 0 : 2, 0};
        }
    }
    out->cls = lk_spec_class_of(&out->roots);
    mpq_clears(phi, twice, NULL);
}

bool lk_spectrum_word(const LkLrnn *m, const uint32_t *w, size_t len, LkSpectrum *out,
                      GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    if (m->angular) {
        angular_spectrum(m, w, len, out);
        return true;
    }
    const uint32_t n = m->n;
    const size_t nn = (size_t)n * n;
    mpq_t *a = g_new(mpq_t, nn + 1), *b = g_new(mpq_t, n + 1);
    for (size_t i = 0; i < nn; i++) mpq_init(a[i]);
    for (uint32_t i = 0; i < n; i++) mpq_init(b[i]);
    bool ok = lk_lrnn_word_dense(m, w, len, a, b, error);
    if (ok) lk_spectrum_matrix(a, n, out);
    for (size_t i = 0; i < nn; i++) mpq_clear(a[i]);
    for (uint32_t i = 0; i < n; i++) mpq_clear(b[i]);
    g_free(a);
    g_free(b);
    return ok;
}

bool lk_spectrum_mat_word(const LkMatLayer *l, const uint32_t *w, size_t len, LkSpectrum *out)
{
    g_return_val_if_fail(l != NULL, false);
    const uint32_t n = l->n;
    const size_t nn = (size_t)n * n;
    mpq_t *a = g_new(mpq_t, nn + 1), *c = g_new(mpq_t, nn + 1), t;
    mpq_init(t);
    for (size_t i = 0; i < nn; i++) mpq_init(a[i]), mpq_init(c[i]);
    for (uint32_t i = 0; i < n; i++) mpq_set_ui(a[(size_t)i * n + i], 1, 1);
    for (size_t p = 0; p < len; p++) { /* a <- A_{w_p} a */
        lk_dense_mul(c, l->a + (size_t)w[p] * nn, a, n, t);
        for (size_t i = 0; i < nn; i++) mpq_swap(a[i], c[i]);
    }
    lk_spectrum_matrix(a, n, out);
    for (size_t i = 0; i < nn; i++) mpq_clear(a[i]), mpq_clear(c[i]);
    g_free(a), g_free(c);
    mpq_clear(t);
    return true;
}

typedef struct {
    const LkLrnn *m;
    const LkMatLayer *l;
} Source;

static bool source_word(const Source *src, const uint32_t *w, size_t len, LkSpectrum *out,
                        GError **error)
{
    return src->m ? lk_spectrum_word(src->m, w, len, out, error)
                  : lk_spectrum_mat_word(src->l, w, len, out);
}

static bool products(const Source *src, uint32_t T, uint32_t max_len, const LkLimits *limits,
                     LkSpecClass *worst, GArray **witness, uint64_t *words, GError **error)
{
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_words = lim.max_words;
    uint64_t total = 0, pw = 1;
    for (uint32_t l = 2; l <= max_len && T; l++) {
        if (pw > UINT64_MAX / T / T) {
            total = UINT64_MAX;
            break;
        }
        pw = l == 2 ? (uint64_t)T * T : pw * T;
        total += pw;
    }
    if (total > max_words) {
        g_set_error(
            error, LK_ERROR, LK_ERROR_LIMIT,
            "spectrum: words of up to %u tokens over %u tokens are more than %" G_GUINT64_FORMAT
            " (raise --max-words)",
            max_len, T, max_words);
        return false;
    }
    LkSpecClass single = LK_SPEC_NONNEGATIVE;
    for (uint32_t t = 0; t < T; t++) {
        LkSpectrum s;
        if (!source_word(src, &t, 1, &s, error)) return false;
        single = MAX(single, s.cls);
        lk_spectrum_clear(&s);
    }
    *worst = single;
    if (witness) *witness = NULL;
    if (words) *words = 0;
    uint32_t *w = g_new0(uint32_t, max_len + 1);
    bool ok = true;
    for (uint32_t l = 2; l <= max_len && ok && T;
         l++) { /* words of length l in lexicographic order */
        for (uint32_t i = 0; i < l; i++) w[i] = 0;
        for (;;) {
            LkSpectrum s;
            if (!(ok = source_word(src, w, l, &s, error))) break;
            if (words) ++*words;
            if (s.cls > *worst) {
                *worst = s.cls;
                if (witness) {
                    if (!*witness) *witness = g_array_new(FALSE, FALSE, sizeof(uint32_t));
                    g_array_set_size(*witness, 0);
                    g_array_append_vals(*witness, w, l);
                }
            }
            lk_spectrum_clear(&s);
            int i = (int)l - 1;
            while (i >= 0 && w[i] == T - 1) w[i--] = 0;
            if (i < 0) break;
            w[i]++;
        }
    }
    g_free(w);
    return ok;
}

bool lk_spectrum_products(const LkLrnn *m, uint32_t max_len, const LkLimits *limits,
                          LkSpecClass *worst, GArray **witness, uint64_t *words, GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    const Source src = {m, NULL};
    return products(&src, lk_alphabet_size(m->alphabet), max_len, limits, worst, witness, words,
                    error);
}

bool lk_spectrum_mat_products(const LkMatLayer *l, uint32_t max_len, const LkLimits *limits,
                              LkSpecClass *worst, GArray **witness, uint64_t *words, GError **error)
{
    g_return_val_if_fail(l != NULL, false);
    const Source src = {NULL, l};
    return products(&src, l->V, max_len, limits, worst, witness, words, error);
}
