/* NFA construction (counting sort of edges into CSR form), NFA and DFA reversal. */
#include "automata/nfa.h"

#include <string.h>

LkNfa *lk_nfa_new(LkAlphabet *alphabet, uint32_t n, const uint32_t *triples, size_t n_triples)
{
    g_return_val_if_fail(alphabet != NULL, NULL);
    LkNfa *a = g_new0(LkNfa, 1);
    a->n = n;
    a->k = lk_alphabet_size(alphabet);
    a->alphabet = lk_alphabet_ref(alphabet);
    const size_t cells = (size_t)n * a->k;
    a->off = g_new0(uint32_t, cells + 1);
    a->dst = g_new(uint32_t, n_triples + 1);
    a->accept = g_new0(uint8_t, n + 1);
    a->init = g_new(uint32_t, 1);
    for (size_t e = 0; e < n_triples; e++)
        a->off[(size_t)triples[3 * e] * a->k + triples[3 * e + 1] + 1]++;
    for (size_t c = 0; c < cells; c++) a->off[c + 1] += a->off[c];
    uint32_t *fill = g_memdup2(a->off, sizeof(uint32_t) * (cells + 1));
    for (size_t e = 0; e < n_triples; e++)
        a->dst[fill[(size_t)triples[3 * e] * a->k + triples[3 * e + 1]]++] = triples[3 * e + 2];
    g_free(fill);
    return a;
}

void lk_nfa_free(LkNfa *a)
{
    if (!a) return;
    g_free(a->off);
    g_free(a->dst);
    g_free(a->accept);
    g_free(a->init);
    lk_alphabet_unref(a->alphabet);
    g_free(a);
}

void lk_nfa_set_init(LkNfa *a, const uint32_t *states, uint32_t count)
{
    g_return_if_fail(a != NULL);
    g_free(a->init);
    a->init = g_new(uint32_t, count + 1);
    if (count) memcpy(a->init, states, sizeof(uint32_t) * count);
    a->n_init = count;
}

LkNfa *lk_nfa_reverse_dfa(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    const size_t m = (size_t)d->n * d->k;
    uint32_t *tr = g_new(uint32_t, 3 * m + 1);
    for (uint32_t q = 0; q < d->n; q++)
        for (uint32_t s = 0; s < d->k; s++) {
            size_t t = (size_t)q * d->k + s;
            tr[3 * t] = d->delta[t];
            tr[3 * t + 1] = s;
            tr[3 * t + 2] = q;
        }
    LkNfa *a = lk_nfa_new(d->alphabet, d->n, tr, m);
    g_free(tr);
    GArray *init = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t q = 0; q < d->n; q++)
        if (d->accept[q]) g_array_append_val(init, q);
    lk_nfa_set_init(a, (const uint32_t *)init->data, init->len);
    g_array_unref(init);
    a->accept[d->start] = 1;
    return a;
}

LkNfa *lk_nfa_reverse(const LkNfa *a)
{
    g_return_val_if_fail(a != NULL, NULL);
    /* CSR of the reversed edges directly (counting sort on (dst, symbol)),
     * without a triple list: Glushkov automata can have n^2 edges. */
    const uint32_t n = a->n, k = a->k;
    const size_t cells = (size_t)n * k, e = a->off[cells];
    LkNfa *r = g_new0(LkNfa, 1);
    r->n = n;
    r->k = k;
    r->alphabet = lk_alphabet_ref(a->alphabet);
    r->off = g_new0(uint32_t, cells + 1);
    r->dst = g_new(uint32_t, e + 1);
    r->accept = g_new0(uint8_t, n + 1);
    for (size_t c = 0; c < cells; c++)
        for (uint32_t i = a->off[c]; i < a->off[c + 1]; i++)
            r->off[(size_t)a->dst[i] * k + c % k + 1]++;
    for (size_t c = 0; c < cells; c++) r->off[c + 1] += r->off[c];
    uint32_t *fill = g_memdup2(r->off, sizeof(uint32_t) * (cells + 1));
    for (size_t c = 0; c < cells; c++) /* sources in increasing order, as lk_nfa_new */
        for (uint32_t i = a->off[c]; i < a->off[c + 1]; i++)
            r->dst[fill[(size_t)a->dst[i] * k + c % k]++] = (uint32_t)(c / k);
    g_free(fill);
    uint32_t count = 0;
    for (uint32_t q = 0; q < n; q++) count += a->accept[q] != 0;
    r->init = g_new(uint32_t, count + 1);
    for (uint32_t q = 0; q < n; q++)
        if (a->accept[q]) r->init[r->n_init++] = q;
    for (uint32_t i = 0; i < a->n_init; i++) r->accept[a->init[i]] = 1;
    return r;
}
