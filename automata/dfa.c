/* Basic DFA operations: construction, running, canonical form, complement,
 * products.
 *
 * Canonical form is a breadth-first renumbering from the start, visiting
 * successors in alphabet order: the unique numbering that two isomorphic
 * reachable DFAs share. Products explore only reachable pairs; a pair (p, q)
 * is indexed directly (p * n_e + q) when that table is small, else through a
 * hash table keyed by the 64-bit pair.
 */
#include "automata/dfa.h"

#include <string.h>

LkDfa *lk_dfa_new(LkAlphabet *alphabet, uint32_t n, uint32_t start)
{
    g_return_val_if_fail(alphabet != NULL && n >= 1 && start < n, NULL);
    LkDfa *d = g_new0(LkDfa, 1);
    d->n = n;
    d->k = lk_alphabet_size(alphabet);
    d->start = start;
    d->delta = g_new0(uint32_t, (gsize)n * d->k + 1);
    d->accept = g_new0(uint8_t, n);
    d->alphabet = lk_alphabet_ref(alphabet);
    return d;
}

void lk_dfa_free(LkDfa *d)
{
    if (!d) return;
    g_free(d->delta);
    g_free(d->accept);
    lk_alphabet_unref(d->alphabet);
    g_free(d);
}

LkDfa *lk_dfa_copy(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    LkDfa *e = lk_dfa_new(d->alphabet, d->n, d->start);
    if (d->k) memcpy(e->delta, d->delta, sizeof(uint32_t) * d->n * d->k);
    memcpy(e->accept, d->accept, d->n);
    return e;
}

uint32_t lk_dfa_run(const LkDfa *d, uint32_t from, const uint32_t *word, size_t len)
{
    g_return_val_if_fail(d != NULL, 0);
    uint32_t q = from;
    for (size_t i = 0; i < len; i++) q = d->delta[(size_t)q * d->k + word[i]];
    return q;
}

bool lk_dfa_accepts(const LkDfa *d, const uint32_t *word, size_t len)
{
    g_return_val_if_fail(d != NULL, false);
    return d->accept[lk_dfa_run(d, d->start, word, len)];
}

/* True when d is already in canonical form: one sequential pass, since in a
 * BFS numbering every state first met as a successor is the next number. */
bool lk_dfa_is_canonical(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, false);
    if (d->start != 0) return false;
    uint32_t next = 1;
    const uint32_t *row = d->delta;
    for (uint32_t q = 0; q < d->n; q++, row += d->k) {
        if (q >= next) return false; /* a row of an unreached state */
        for (uint32_t a = 0; a < d->k; a++) {
            if (row[a] == next)
                next++;
            else if (row[a] > next)
                return false;
        }
    }
    return next == d->n;
}

LkDfa *lk_dfa_canonical(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    const uint32_t k = d->k;
    if (lk_dfa_is_canonical(d)) {
        LkDfa *c = lk_dfa_copy(d);
        for (uint32_t q = 0; q < c->n; q++) c->accept[q] = c->accept[q] != 0;
        return c;
    }
    uint32_t *num = g_new(uint32_t, d->n);
    uint32_t *order = g_new(uint32_t, d->n);
    memset(num, 0xff, sizeof(uint32_t) * d->n);
    uint32_t count = 0;
    num[d->start] = count;
    order[count++] = d->start;
    for (uint32_t head = 0; head < count; head++) {
        const uint32_t *row = d->delta + (size_t)order[head] * k;
        for (uint32_t a = 0; a < k; a++)
            if (num[row[a]] == UINT32_MAX) {
                num[row[a]] = count;
                order[count++] = row[a];
            }
    }
    LkDfa *e = lk_dfa_new(d->alphabet, count, 0);
    for (uint32_t i = 0; i < count; i++) {
        const uint32_t *row = d->delta + (size_t)order[i] * k;
        uint32_t *out = e->delta + (size_t)i * k;
        for (uint32_t a = 0; a < k; a++) out[a] = num[row[a]];
        e->accept[i] = d->accept[order[i]] ? 1 : 0;
    }
    g_free(num);
    g_free(order);
    return e;
}

bool lk_dfa_equal(const LkDfa *d, const LkDfa *e)
{
    g_return_val_if_fail(d != NULL, false);
    return d->n == e->n && d->k == e->k && d->start == e->start &&
           lk_alphabet_equal(d->alphabet, e->alphabet) &&
           memcmp(d->delta, e->delta, sizeof(uint32_t) * d->n * d->k) == 0 &&
           memcmp(d->accept, e->accept, d->n) == 0;
}

uint32_t lk_dfa_accept_count(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, 0);
    uint32_t c = 0;
    for (uint32_t q = 0; q < d->n; q++) c += d->accept[q] != 0;
    return c;
}

LkDfa *lk_dfa_complement(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    LkDfa *e = lk_dfa_copy(d);
    for (uint32_t q = 0; q < e->n; q++) e->accept[q] = !e->accept[q];
    return e;
}

static bool product_accepts(LkProductOp op, bool x, bool y)
{
    switch (op) {
    case LK_PRODUCT_AND:
        return x && y;
    case LK_PRODUCT_OR:
        return x || y;
    case LK_PRODUCT_DIFF:
        return x && !y;
    case LK_PRODUCT_XOR:
        return x != y;
    }
    return false;
}

/* Ids of the reachable pairs, in discovery order. */
typedef struct {
    uint32_t *dense;    /* pair code -> id, UINT32_MAX when unseen */
    GHashTable *sparse; /* pair code -> id + 1 */
    GArray *codes;      /* id -> pair code */
    uint64_t max;
} PairIndex;

/* Id of a pair, adding it when new; UINT32_MAX when that would pass max. */
static uint32_t pair_id(PairIndex *ix, uint64_t code)
{
    uint32_t id = UINT32_MAX;
    if (ix->dense) {
        id = ix->dense[code];
    } else {
        gpointer v = g_hash_table_lookup(ix->sparse, &code);
        if (v) id = GPOINTER_TO_UINT(v) - 1;
    }
    if (id != UINT32_MAX) return id;
    if (ix->codes->len >= ix->max) return UINT32_MAX;
    id = ix->codes->len;
    g_array_append_val(ix->codes, code);
    if (ix->dense)
        ix->dense[code] = id;
    else
        g_hash_table_insert(ix->sparse, g_memdup2(&code, sizeof code), GUINT_TO_POINTER(id + 1));
    return id;
}

LkDfa *lk_dfa_product(const LkDfa *d, const LkDfa *e, LkProductOp op, const LkLimits *limits,
                      GError **error)
{
    g_return_val_if_fail(lk_alphabet_equal(d->alphabet, e->alphabet), NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint32_t k = d->k;
    const uint64_t pairs = (uint64_t)d->n * e->n;
    /* per state: its row, its code, its index entry (a hash node when sparse) */
    const uint64_t per_state = 4ull * k + 8 + (pairs <= (1u << 24) ? 0 : 64);
    bool by_memory;
    PairIndex ix = {.codes = g_array_new(FALSE, FALSE, sizeof(uint64_t)),
                    .max = lk_limits_items(&lim, MIN(lim.max_states, (uint64_t)UINT32_MAX - 1),
                                           per_state, &by_memory)};
    if (pairs <= (1u << 24)) { /* a direct table of at most 64 MiB */
        ix.dense = g_new(uint32_t, pairs);
        memset(ix.dense, 0xff, sizeof(uint32_t) * pairs);
    } else {
        ix.sparse = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
    }
    GArray *delta = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    bool ok = pair_id(&ix, (uint64_t)d->start * e->n + e->start) != UINT32_MAX;
    for (uint32_t head = 0; ok && head < ix.codes->len; head++) {
        uint64_t c = g_array_index(ix.codes, uint64_t, head);
        const uint32_t *rp = d->delta + (c / e->n) * k, *rq = e->delta + (c % e->n) * k;
        for (uint32_t a = 0; ok && a < k; a++) {
            uint32_t id = pair_id(&ix, (uint64_t)rp[a] * e->n + rq[a]);
            ok = id != UINT32_MAX;
            g_array_append_val(delta, id);
        }
    }
    LkDfa *r = NULL;
    if (!ok) {
        lk_limit_error(error, "the product automaton", ix.max, "states", per_state, by_memory,
                       "--max-states");
    } else {
        r = lk_dfa_new(d->alphabet, ix.codes->len, 0);
        if (delta->len) memcpy(r->delta, delta->data, sizeof(uint32_t) * delta->len);
        for (uint32_t i = 0; i < ix.codes->len; i++) {
            uint64_t c = g_array_index(ix.codes, uint64_t, i);
            r->accept[i] = product_accepts(op, d->accept[c / e->n], e->accept[c % e->n]);
        }
    }
    g_free(ix.dense);
    if (ix.sparse) g_hash_table_unref(ix.sparse);
    g_array_unref(ix.codes);
    g_array_unref(delta);
    return r;
}
