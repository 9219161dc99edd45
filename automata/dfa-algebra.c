/* Emptiness, shortest words, equivalence and inclusion with shortest
 * counterexamples, alphabet widening.
 *
 * Shortest words come from a breadth-first search that tries symbols in
 * alphabet order, so the word found is the least in shortlex order among the
 * shortest. Equivalence and inclusion search the reachable part of the
 * product automaton (XOR, resp. DIFF acceptance): O(|d| |e| k) time at worst,
 * bounded by limits->max_states.
 */
#include "automata/dfa.h"

#include <stdlib.h>
#include <string.h>

void lk_dfa_live_states(const LkDfa *d, uint8_t *live)
{
    g_return_if_fail(d != NULL);
    const uint32_t n = d->n, k = d->k;
    const size_t m = (size_t)n * k;
    uint32_t *off = g_new0(uint32_t, (size_t)n + 1), *src = g_new(uint32_t, m + 1);
    for (size_t t = 0; t < m; t++) off[d->delta[t] + 1]++;
    for (uint32_t q = 0; q < n; q++) off[q + 1] += off[q];
    uint32_t *fill = g_memdup2(off, sizeof(uint32_t) * (n + 1));
    for (size_t t = 0; t < m; t++) src[fill[d->delta[t]]++] = (uint32_t)(t / k);
    g_free(fill);
    uint32_t *stack = g_new(uint32_t, n + 1), top = 0;
    for (uint32_t q = 0; q < n; q++) {
        live[q] = d->accept[q] != 0;
        if (live[q]) stack[top++] = q;
    }
    while (top) {
        uint32_t r = stack[--top];
        for (uint32_t e = off[r]; e < off[r + 1]; e++)
            if (!live[src[e]]) {
                live[src[e]] = 1;
                stack[top++] = src[e];
            }
    }
    g_free(stack);
    g_free(off);
    g_free(src);
}

bool lk_dfa_shortest_accepted(const LkDfa *d, GArray *word)
{
    g_return_val_if_fail(d != NULL, false);
    const uint32_t n = d->n, k = d->k;
    uint32_t *parent = g_new(uint32_t, n), *via = g_new(uint32_t, n), *queue = g_new(uint32_t, n);
    memset(parent, 0xff, sizeof(uint32_t) * n);
    uint32_t head = 0, tail = 0, found = UINT32_MAX;
    parent[d->start] = d->start;
    queue[tail++] = d->start;
    while (head < tail && found == UINT32_MAX) {
        uint32_t q = queue[head++];
        if (d->accept[q]) {
            found = q;
            break;
        }
        for (uint32_t a = 0; a < k; a++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (parent[r] == UINT32_MAX) {
                parent[r] = q;
                via[r] = a;
                queue[tail++] = r;
            }
        }
    }
    if (found != UINT32_MAX && word) {
        guint base = word->len;
        for (uint32_t q = found; q != d->start; q = parent[q]) g_array_append_val(word, via[q]);
        /* reverse the appended part */
        uint32_t *w = (uint32_t *)word->data + base;
        for (guint i = 0, j = word->len - base; i + 1 < j; i++, j--) {
            uint32_t t = w[i];
            w[i] = w[j - 1];
            w[j - 1] = t;
        }
    }
    g_free(parent);
    g_free(via);
    g_free(queue);
    return found != UINT32_MAX;
}

bool lk_dfa_is_empty(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, false);
    return !lk_dfa_shortest_accepted(d, NULL);
}

static bool compare(const LkDfa *d, const LkDfa *e, LkProductOp op, bool *yes, GArray *cex,
                    const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d && e && yes, false);
    if (!lk_alphabet_equal(d->alphabet, e->alphabet)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "the two automata have different alphabets");
        return false;
    }
    LkDfa *p = lk_dfa_product(d, e, op, limits, error);
    if (!p) return false;
    *yes = !lk_dfa_shortest_accepted(p, cex);
    lk_dfa_free(p);
    return true;
}

bool lk_dfa_equivalent(const LkDfa *d, const LkDfa *e, bool *equal, GArray *counterexample,
                       const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d != NULL, false);
    return compare(d, e, LK_PRODUCT_XOR, equal, counterexample, limits, error);
}

bool lk_dfa_included(const LkDfa *d, const LkDfa *e, bool *included, GArray *counterexample,
                     const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d != NULL, false);
    return compare(d, e, LK_PRODUCT_DIFF, included, counterexample, limits, error);
}

LkAlphabet *lk_alphabet_union(LkAlphabet *a, const LkAlphabet *b)
{
    g_return_val_if_fail(a != NULL, NULL);
    if (lk_alphabet_equal(a, b)) return lk_alphabet_ref(a);
    uint32_t ka = lk_alphabet_size(a), kb = lk_alphabet_size(b);
    const char **names = g_new(const char *, ka + kb + 1);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ka; i++) names[n++] = lk_alphabet_name(a, i);
    for (uint32_t i = 0; i < kb; i++)
        if (lk_alphabet_index(a, lk_alphabet_name(b, i)) < 0) names[n++] = lk_alphabet_name(b, i);
    LkAlphabet *u = lk_alphabet_new_sorted(names, n, NULL);
    g_free(names);
    return u;
}

LkDfa *lk_dfa_with_alphabet(const LkDfa *d, LkAlphabet *alphabet, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    const uint32_t k = lk_alphabet_size(alphabet);
    int64_t *from = g_new(int64_t, k + 1); /* new symbol -> old symbol or -1 */
    bool extra = false;
    for (uint32_t a = 0; a < k; a++) {
        from[a] = lk_alphabet_index(d->alphabet, lk_alphabet_name(alphabet, a));
        extra |= from[a] < 0;
    }
    for (uint32_t a = 0; a < d->k; a++)
        if (lk_alphabet_index(alphabet, lk_alphabet_name(d->alphabet, a)) < 0) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "symbol '%s' of the automaton is not in the alphabet",
                        lk_alphabet_name(d->alphabet, a));
            g_free(from);
            return NULL;
        }
    /* New symbols lead to a fresh rejecting sink. */
    const uint32_t sink = d->n, n = d->n + (extra ? 1 : 0);
    LkDfa *e = lk_dfa_new(alphabet, n, d->start);
    for (uint32_t q = 0; q < n; q++) {
        if (q < d->n) e->accept[q] = d->accept[q];
        for (uint32_t a = 0; a < k; a++)
            e->delta[(size_t)q * k + a] =
                q == sink || from[a] < 0 ? sink : d->delta[(size_t)q * d->k + (uint32_t)from[a]];
    }
    g_free(from);
    return e;
}
