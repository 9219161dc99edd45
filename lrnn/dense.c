/* Dense exact transitions (see dense.h). */
#include "lrnn/dense.h"

#include "automata/error.h"

/* A <- F A and B <- F B + beta u c / u.u for F = I - beta u u^T / u.u. */
static void apply_factor(uint32_t n, const LkFactor *f, mpq_t *a, mpq_t *b, mpq_t *w, mpq_t s,
                         mpq_t t)
{
    mpq_div(s, f->beta, f->uu);         /* s = beta / u.u */
    for (uint32_t j = 0; j <= n; j++) { /* w = u^T [A | B] (column n is B) */
        mpq_set_ui(w[j], 0, 1);
        for (uint32_t i = 0; i < n; i++) {
            if (!mpq_sgn(f->u[i])) continue;
            mpq_mul(t, f->u[i], j < n ? a[(size_t)i * n + j] : b[i]);
            mpq_add(w[j], w[j], t);
        }
        mpq_mul(w[j], w[j], s);
    }
    mpq_mul(s, s, f->c); /* the write: beta c / u.u */
    mpq_sub(w[n], w[n], s);
    for (uint32_t i = 0; i < n; i++) {
        if (!mpq_sgn(f->u[i])) continue;
        for (uint32_t j = 0; j <= n; j++) {
            if (!mpq_sgn(w[j])) continue;
            mpq_mul(t, f->u[i], w[j]);
            if (j < n)
                mpq_sub(a[(size_t)i * n + j], a[(size_t)i * n + j], t);
            else
                mpq_sub(b[i], b[i], t);
        }
    }
}

bool lk_lrnn_word_dense(const LkLrnn *m, const uint32_t *w, size_t len, mpq_t *a, mpq_t *b,
                        GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    if (m->angular) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "an angular (rotation) layer has irrational weights: no exact matrix");
        return false;
    }
    const uint32_t n = m->n;
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t j = 0; j < n; j++) mpq_set_ui(a[(size_t)i * n + j], i == j, 1);
        mpq_set_ui(b[i], 0, 1);
    }
    mpq_t *row = g_new(mpq_t, n + 1), s, t;
    for (uint32_t j = 0; j <= n; j++) mpq_init(row[j]);
    mpq_inits(s, t, NULL);
    for (size_t p = 0; p < len; p++) {
        const LkToken *tok = &m->tok[w[p]];
        if (tok->gated) {
            for (size_t i = 0; i < (size_t)n * n; i++) mpq_mul(a[i], a[i], tok->gate);
            for (uint32_t i = 0; i < n; i++) mpq_mul(b[i], b[i], tok->gate);
        }
        for (uint32_t f = 0; f < tok->n_factors; f++) apply_factor(n, &tok->f[f], a, b, row, s, t);
    }
    for (uint32_t j = 0; j <= n; j++) mpq_clear(row[j]);
    g_free(row);
    mpq_clears(s, t, NULL);
    return true;
}

void lk_dense_mul(mpq_t *c, const mpq_t *a, const mpq_t *b, uint32_t n, mpq_ptr t)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            mpq_set_ui(c[(size_t)i * n + j], 0, 1);
            for (uint32_t k = 0; k < n; k++) {
                if (!mpq_sgn(a[(size_t)i * n + k]) || !mpq_sgn(b[(size_t)k * n + j])) continue;
                mpq_mul(t, a[(size_t)i * n + k], b[(size_t)k * n + j]);
                mpq_add(c[(size_t)i * n + j], c[(size_t)i * n + j], t);
            }
        }
}

void lk_dense_apply(mpq_t *y, const mpq_t *a, const mpq_t *x, uint32_t n, mpq_ptr t)
{
    for (uint32_t i = 0; i < n; i++) {
        mpq_set_ui(y[i], 0, 1);
        for (uint32_t j = 0; j < n; j++) {
            if (!mpq_sgn(a[(size_t)i * n + j]) || !mpq_sgn(x[j])) continue;
            mpq_mul(t, a[(size_t)i * n + j], x[j]);
            mpq_add(y[i], y[i], t);
        }
    }
}

mpq_t *lk_qvec_new(size_t n)
{
    mpq_t *v = g_new(mpq_t, n + 1);
    for (size_t i = 0; i < n; i++) mpq_init(v[i]);
    return v;
}

void lk_qvec_free(mpq_t *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) mpq_clear(v[i]);
    g_free(v);
}
