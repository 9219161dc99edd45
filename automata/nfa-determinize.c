/* Subset construction.
 *
 * Breadth-first over the subsets reachable from the initial set; each subset
 * is interned once in an open-addressing hash table (linear probing, load
 * <= 1/2, hashes kept beside the keys so growing never rehashes a key). A
 * subset is stored as a run of 32-bit words in one flat pool:
 *   dense:  a bitset of ceil(n/64) 64-bit words; the successors of a subset on
 *           all k symbols are ORs of precomputed masks succ[q][a];
 *   sparse: the sorted list of its states (for large n), successors gathered
 *           with a stamp array and sorted.
 * Cost: O(reachable subsets * (n/64 * |subset| * k)) dense, O(sum over subsets
 * of their outgoing NFA edges * log) sparse, O(subsets * k * n/8) for
 * one-word subsets (below); memory O(subsets * key size).
 */
#include "automata/nfa-private.h"
#include "automata/hash-private.h"
#include "automata/mem-private.h"
#include "automata/vec-private.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    GArray *pool;      /* uint32 key words of all subsets */
    GArray *start;     /* variable-length keys: uint64 offset of subset i; one extra */
    uint32_t fixed;    /* fixed key length in words, or 0 for variable */
    uint64_t *slot;    /* 0 = empty, else (hash tag << 32) | (id + 1) */
    uint64_t cap_mask; /* capacity - 1 */
    uint32_t count;
} SetTable;

static void table_init(SetTable *t, uint32_t fixed)
{
    t->pool = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    t->start = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    t->fixed = fixed;
    uint64_t zero = 0;
    g_array_append_val(t->start, zero);
    t->cap_mask = 1023;
    t->slot = lk_huge_alloc0(sizeof(uint64_t) * (t->cap_mask + 1));
    t->count = 0;
}

static void table_clear(SetTable *t)
{
    g_array_unref(t->pool);
    g_array_unref(t->start);
    lk_huge_free(t->slot, sizeof(uint64_t) * (t->cap_mask + 1));
}

static inline const uint32_t *table_key(const SetTable *t, uint32_t id, size_t *len)
{
    if (t->fixed) {
        *len = t->fixed;
        return &g_array_index(t->pool, uint32_t, (size_t)id * t->fixed);
    }
    uint64_t a = g_array_index(t->start, uint64_t, id),
             b = g_array_index(t->start, uint64_t, id + 1);
    *len = (size_t)(b - a);
    return &g_array_index(t->pool, uint32_t, a);
}

static inline uint32_t tag_of(uint64_t h)
{
    return (uint32_t)(h >> 32) | 1u; /* never 0 */
}

static void table_grow(SetTable *t)
{
    uint64_t cap = (t->cap_mask + 1) * 2;
    lk_huge_free(t->slot, sizeof(uint64_t) * (t->cap_mask + 1));
    t->slot = lk_huge_alloc0(sizeof(uint64_t) * cap);
    t->cap_mask = cap - 1;
    for (uint32_t id = 0; id < t->count; id++) {
        size_t len;
        const uint32_t *key = table_key(t, id, &len);
        uint64_t h = lk_hash_words(key, len), i = h & t->cap_mask;
        while (t->slot[i]) i = (i + 1) & t->cap_mask;
        t->slot[i] = (uint64_t)tag_of(h) << 32 | (id + 1);
    }
}

static inline bool same_words(const uint32_t *a, const uint32_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (a[i] != b[i]) return false;
    return true;
}

/* Id of the subset key[0..len), inserting it when new. Returns UINT32_MAX
 * when inserting would pass max. */
static uint32_t table_intern_hashed(SetTable *t, const uint32_t *key, size_t len, uint64_t h,
                                    uint64_t max)
{
    const uint32_t tag = tag_of(h);
    uint64_t i = h & t->cap_mask;
    for (uint64_t s; (s = t->slot[i]); i = (i + 1) & t->cap_mask) {
        if ((uint32_t)(s >> 32) != tag) continue;
        size_t l;
        const uint32_t *k2 = table_key(t, (uint32_t)s - 1, &l);
        if (l == len && same_words(k2, key, len)) return (uint32_t)s - 1;
    }
    if (t->count >= max) return UINT32_MAX;
    uint32_t id = t->count++;
    t->slot[i] = (uint64_t)tag << 32 | (id + 1);
    g_array_append_vals(t->pool, key, (guint)len);
    if (!t->fixed) {
        uint64_t end = t->pool->len;
        g_array_append_val(t->start, end);
    }
    if ((uint64_t)t->count * 2 > t->cap_mask) table_grow(t);
    return id;
}

static uint32_t table_intern(SetTable *t, const uint32_t *key, size_t len, uint64_t max)
{
    return table_intern_hashed(t, key, len, lk_hash_words(key, len), max);
}

enum { BATCH = 32 }; /* subsets expanded together in the dense path */

/* ---- One-word subsets (n <= 64 NFA states, tables of at most 8 MiB) ----
 * The commonest case (every regex with at most 63 positions, and the mirror
 * automata of lk_nfa_minimal_by_reversal) gets its own loop: a subset is one
 * uint64_t, its successors are ORs of byte-indexed tables (at most 8 lookups
 * per symbol instead of one per member state), and the hash table holds the
 * keys themselves, so a lookup touches one slot and nothing else. With at
 * most 32 NFA states a slot is a single word, key << 32 | id + 1 (the table
 * is then half as large, which matters: at millions of subsets most of the
 * time goes to cache misses and to the kernel zeroing fresh pages). */
typedef struct {
    uint64_t key;
    uint32_t id1; /* id + 1; 0 = empty */
    uint32_t pad;
} WordSlot;

/* The slot where key is or would go; its id + 1 (0 when absent) in *id1. */
static inline uint64_t slot_find(const void *tab, bool packed, uint64_t mask, uint64_t h,
                                 uint64_t key, uint32_t *id1)
{
    uint64_t j = h & mask;
    if (packed) {
        const uint64_t *t = tab;
        while (t[j] && t[j] >> 32 != key) j = (j + 1) & mask;
        *id1 = (uint32_t)t[j];
    } else {
        const WordSlot *t = tab;
        while (t[j].id1 && t[j].key != key) j = (j + 1) & mask;
        *id1 = t[j].id1;
    }
    return j;
}

static inline void slot_put(void *tab, bool packed, uint64_t j, uint64_t key, uint32_t id1)
{
    if (packed)
        ((uint64_t *)tab)[j] = key << 32 | id1;
    else
        ((WordSlot *)tab)[j] = (WordSlot){key, id1, 0};
}

/* Returns false when the subsets pass max; fills delta/acc (owned by the
 * caller) and *count. */
static inline bool determinize_words(const LkNfa *a, uint64_t max, uint64_t max_visits,
                                     LkVec32 *delta, GByteArray *acc, uint32_t *count,
                                     const bool packed)
{
    const uint32_t n = a->n, k = a->k, chunks = MAX(1, (n + 7) / 8);
    const size_t slot_size = packed ? sizeof(uint64_t) : sizeof(WordSlot);
    /* tab[(j * 256 + byte) * k + s]: successors on s of the states 8j + bits of byte;
     * the last chunk holds n - 8 (chunks - 1) states, so only its low bytes occur */
    const uint32_t last_bytes = 1u << (n - 8 * (chunks - 1));
    uint64_t *tab = g_new(uint64_t, ((size_t)(chunks - 1) * 256 + last_bytes) * k + 1);
    for (uint32_t j = 0; j < chunks; j++) {
        const uint32_t bytes = j + 1 < chunks ? 256 : last_bytes;
        uint64_t *t = tab + (size_t)j * 256 * k;
        for (uint32_t s = 0; s < k; s++) t[s] = 0;         /* byte 0 */
        for (uint32_t bit = 0; 1u << bit < bytes; bit++) { /* single bits: own successors */
            const uint32_t q = 8 * j + bit;
            for (uint32_t s = 0; s < k; s++) {
                uint64_t m = 0;
                for (uint32_t e = a->off[(size_t)q * k + s]; e < a->off[(size_t)q * k + s + 1]; e++)
                    m |= 1ull << a->dst[e];
                t[(1u << bit) * k + s] = m;
            }
        }
        for (uint32_t byte = 3; byte < bytes; byte++) { /* others: lowest bit | the rest */
            const uint32_t low = byte & -byte;
            if (low == byte) continue;
            for (uint32_t s = 0; s < k; s++)
                t[(size_t)byte * k + s] = t[(size_t)low * k + s] | t[(size_t)(byte ^ low) * k + s];
        }
    }
    uint64_t accmask = 0, init = 0;
    for (uint32_t q = 0; q < n; q++)
        if (a->accept[q]) accmask |= 1ull << q;
    for (uint32_t i = 0; i < a->n_init; i++) init |= 1ull << a->init[i];

    /* small first tables: a small automaton touches few fresh pages */
    uint64_t *sets = g_new(uint64_t, 64), n_sets = 1, sets_cap = 64;
    uint64_t cap = 128;
    void *slot = lk_huge_alloc0(slot_size * cap);
    uint32_t id1;
    sets[0] = init;
    slot_put(slot, packed, slot_find(slot, packed, cap - 1, lk_mix64(init), init, &id1), init, 1);
    uint64_t *next = g_new(uint64_t, (size_t)BATCH * k),
             *hashes = g_new(uint64_t, (size_t)BATCH * k);
    uint64_t visits = 0;
    bool ok = true;
    for (uint64_t id = 0; ok && id < n_sets;) {
        const uint32_t batch = (uint32_t)MIN(n_sets - id, BATCH);
        g_byte_array_set_size(acc, (guint)(id + batch));
        for (uint32_t b = 0; b < batch; b++) {
            const uint64_t set = sets[id + b];
            visits += (uint64_t)__builtin_popcountll(set);
            uint64_t *out = next + (size_t)b * k;
            for (uint32_t s = 0; s < k; s++) out[s] = 0;
            for (uint32_t j = 0; j < chunks; j++) {
                const uint32_t byte = (uint32_t)(set >> (8 * j)) & 255;
                if (!byte) continue;
                const uint64_t *t = tab + ((size_t)j * 256 + byte) * k;
                for (uint32_t s = 0; s < k; s++) out[s] |= t[s];
            }
            acc->data[id + b] = (set & accmask) != 0;
            for (uint32_t s = 0; s < k; s++) {
                const uint64_t h = lk_mix64(out[s]);
                hashes[(size_t)b * k + s] = h;
                __builtin_prefetch((const char *)slot + slot_size * (h & (cap - 1)));
            }
        }
        if (visits > max_visits) {
            ok = false;
            break;
        }
        lk_vec32_reserve(delta, (size_t)batch * k);
        for (uint32_t i = 0; i < batch * k; i++) {
            const uint64_t key = next[i];
            const uint64_t j = slot_find(slot, packed, cap - 1, hashes[i], key, &id1);
            if (id1) {
                delta->v[delta->len++] = id1 - 1;
                continue;
            }
            if (n_sets >= max) {
                ok = false;
                break;
            }
            if (n_sets == sets_cap) sets = g_renew(uint64_t, sets, sets_cap *= 2);
            sets[n_sets++] = key;
            slot_put(slot, packed, j, key, (uint32_t)n_sets);
            delta->v[delta->len++] = (uint32_t)n_sets - 1;
            if (n_sets * 2 > cap) { /* grow, rehashing the keys in order */
                lk_huge_free(slot, slot_size * cap);
                cap *= 2;
                slot = lk_huge_alloc0(slot_size * cap);
                for (uint64_t x = 0; x < n_sets; x++)
                    slot_put(slot, packed,
                             slot_find(slot, packed, cap - 1, lk_mix64(sets[x]), sets[x], &id1),
                             sets[x], (uint32_t)x + 1);
                for (uint32_t r = i + 1; r < batch * k; r++)
                    __builtin_prefetch((const char *)slot + slot_size * (hashes[r] & (cap - 1)));
            }
        }
        id += batch;
    }
    *count = (uint32_t)n_sets;
    lk_huge_free(slot, slot_size * cap);
    g_free(sets);
    g_free(tab);
    g_free(next);
    g_free(hashes);
    return ok;
}

/* Bytes a DFA state of the construction holds besides its subset's key: its
 * row of k successors, its acceptance, two hash-table slots of 8 bytes (load
 * <= 1/2) and the array growth slack. */
static uint64_t state_bytes(uint32_t k)
{
    return 4ull * k + 1 + 16 + 8;
}

/* A DFA owning the given arrays (n states, start 0). */
static LkDfa *dfa_adopt(const LkNfa *a, uint32_t n, uint32_t *delta, uint8_t *accept)
{
    LkDfa *d = g_new0(LkDfa, 1);
    d->n = n;
    d->k = a->k;
    d->alphabet = lk_alphabet_ref(a->alphabet);
    d->delta = delta ? delta : g_new0(uint32_t, 1); /* no letters: an empty GArray has no data */
    d->accept = accept;
    return d;
}

/* Subsets up to lim->max_states and within lim->max_memory bytes (resolved);
 * also gives up (no error) once the subsets' members visited pass max_visits. */
static LkDfa *determinize(const LkNfa *a, const LkLimits *lim, uint64_t max_visits, GError **error)
{
    uint64_t visits = 0;
    const uint32_t n = a->n, k = a->k;
    const size_t W = (n + 63) / 64; /* 64-bit words of a dense subset */
    const bool words =
        n <= 64 && k >= 1 && (size_t)(n + 7) / 8 * 256 * k * sizeof(uint64_t) <= (8u << 20);
    const bool dense = words || (uint64_t)n * k * W <= (4u << 20);
    /* a sparse key is at least one word; its true size is checked as it grows */
    uint64_t per_state = state_bytes(k) + (words ? 8 : dense ? 8 * W : 4 + 8);
    bool by_memory;
    const uint64_t max =
        lk_limits_items(lim, MIN(lim->max_states, (uint64_t)UINT32_MAX - 1), per_state, &by_memory);
    if (words) {
        LkVec32 delta = {0};
        GByteArray *acc = g_byte_array_new();
        uint32_t count = 0;
        if (!(n <= 32 ? determinize_words(a, max, max_visits, &delta, acc, &count, true)
                      : determinize_words(a, max, max_visits, &delta, acc, &count, false))) {
            if (count >= max)
                lk_limit_error(error, "determinization", max, "states", per_state, by_memory,
                               "--max-states");
            lk_vec32_clear(&delta);
            g_byte_array_unref(acc);
            return NULL;
        }
        return dfa_adopt(a, count, delta.v ? delta.v : g_new0(uint32_t, 1),
                         g_byte_array_free(acc, FALSE));
    }
    SetTable t;
    table_init(&t, dense ? (uint32_t)(2 * W) : 0);
    GArray *delta = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *acc = g_array_new(FALSE, FALSE, sizeof(uint8_t));
    uint64_t *succ = NULL, *next = NULL, *accmask = NULL, *hashes = NULL;
    uint32_t *stamp = NULL, *cur = NULL;
    GArray *list = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    LkVec32 succ_list = {0};
    bool ok = true;

    if (dense) {
        succ = g_new0(uint64_t, (size_t)n * k * W + 1);
        next = g_new(uint64_t, (size_t)k * W * BATCH + 1);
        hashes = g_new(uint64_t, (size_t)k * BATCH + 1);
        accmask = g_new0(uint64_t, W + 1);
        for (uint32_t q = 0; q < n; q++) {
            if (a->accept[q]) accmask[q / 64] |= 1ull << (q % 64);
            for (uint32_t s = 0; s < k; s++) {
                uint64_t *m = succ + ((size_t)q * k + s) * W;
                for (uint32_t e = a->off[(size_t)q * k + s]; e < a->off[(size_t)q * k + s + 1]; e++)
                    m[a->dst[e] / 64] |= 1ull << (a->dst[e] % 64);
            }
        }
        uint64_t *init = g_new0(uint64_t, W + 1);
        for (uint32_t i = 0; i < a->n_init; i++) init[a->init[i] / 64] |= 1ull << (a->init[i] % 64);
        table_intern(&t, (const uint32_t *)init, 2 * W, max);
        g_free(init);
    } else {
        stamp = g_new0(uint32_t, n + 1);
        g_array_append_vals(list, a->init, a->n_init);
        lk_sort_u32((uint32_t *)list->data, list->len);
        uint32_t w = 0; /* drop duplicates */
        for (uint32_t i = 0; i < list->len; i++)
            if (!w || g_array_index(list, uint32_t, w - 1) != g_array_index(list, uint32_t, i))
                g_array_index(list, uint32_t, w++) = g_array_index(list, uint32_t, i);
        g_array_set_size(list, w);
        table_intern(&t, (const uint32_t *)list->data, list->len, max);
    }

    uint32_t gen = 0;
    for (uint32_t id = 0; ok && dense && id < t.count;) {
        /* A batch of subsets: successors and hashes first, the table slots
         * prefetched, then interned in order (ids stay breadth-first). */
        const uint32_t batch = MIN(t.count - id, BATCH);
        const size_t KW = (size_t)k * W;
        memset(next, 0, sizeof(uint64_t) * KW * batch);
        for (uint32_t b = 0; b < batch; b++) {
            size_t len;
            const uint64_t *set = (const uint64_t *)table_key(&t, id + b, &len);
            uint64_t *out = next + KW * b;
            uint8_t is_acc = 0;
            for (size_t w = 0; w < W; w++) {
                is_acc |= (set[w] & accmask[w]) != 0;
                visits += (uint64_t)__builtin_popcountll(set[w]);
                for (uint64_t bits = set[w]; bits; bits &= bits - 1) {
                    uint32_t q = (uint32_t)(w * 64 + (uint32_t)__builtin_ctzll(bits));
                    const uint64_t *m = succ + (size_t)q * KW;
                    for (size_t x = 0; x < KW; x++) out[x] |= m[x];
                }
            }
            g_array_append_val(acc, is_acc);
            for (uint32_t s = 0; s < k; s++) {
                uint64_t h = lk_hash_words((const uint32_t *)(out + s * W), 2 * W);
                hashes[(size_t)b * k + s] = h;
                __builtin_prefetch(&t.slot[h & t.cap_mask]);
            }
        }
        ok = visits <= max_visits;
        for (uint32_t b = 0; ok && b < batch; b++)
            for (uint32_t s = 0; ok && s < k; s++) {
                uint32_t to = table_intern_hashed(&t, (const uint32_t *)(next + KW * b + s * W),
                                                  2 * W, hashes[(size_t)b * k + s], max);
                ok = to != UINT32_MAX;
                g_array_append_val(delta, to);
            }
        id += batch;
    }
    for (uint32_t id = 0; ok && !dense && id < t.count; id++) {
        size_t len;
        /* Copy the key: interning may move the pool. */
        const uint32_t *key = table_key(&t, id, &len);
        cur = g_realloc(cur, sizeof(uint32_t) * (len + 1));
        if (len) memcpy(cur, key, len * sizeof(uint32_t));
        uint8_t is_acc = 0;
        for (size_t i = 0; i < len; i++) is_acc |= a->accept[cur[i]];
        visits += len;
        ok = visits <= max_visits;
        for (uint32_t s = 0; ok && s < k; s++) {
            succ_list.len = 0;
            gen++;
            for (size_t i = 0; i < len; i++) {
                size_t c = (size_t)cur[i] * k + s;
                for (uint32_t e = a->off[c]; e < a->off[c + 1]; e++)
                    if (stamp[a->dst[e]] != gen) {
                        stamp[a->dst[e]] = gen;
                        lk_vec32_push(&succ_list, a->dst[e]);
                    }
            }
            lk_sort_u32(succ_list.v, succ_list.len);
            uint32_t to = table_intern(&t, succ_list.v, succ_list.len, max);
            ok = to != UINT32_MAX;
            g_array_append_val(delta, to);
        }
        g_array_append_val(acc, is_acc);
        if (ok && 4ull * t.pool->len + (uint64_t)t.count * state_bytes(k) > lim->max_memory) {
            ok = false; /* the keys outgrew the estimate of one word each */
            by_memory = true;
            per_state = (4ull * t.pool->len) / t.count + state_bytes(k);
        }
    }

    LkDfa *d = NULL;
    if (!ok && visits <= max_visits) {
        lk_limit_error(error, "determinization", by_memory ? t.count : max, "states", per_state,
                       by_memory, "--max-states");
    } else if (ok) { /* the DFA takes the arrays over: no copy of the (large) table */
        d = dfa_adopt(a, t.count, (uint32_t *)(void *)g_array_free(delta, FALSE),
                      (uint8_t *)(void *)g_array_free(acc, FALSE));
        delta = acc = NULL;
    }
    table_clear(&t);
    if (delta) g_array_unref(delta);
    if (acc) g_array_unref(acc);
    g_array_unref(list);
    lk_vec32_clear(&succ_list);
    g_free(succ);
    g_free(next);
    g_free(hashes);
    g_free(accmask);
    g_free(stamp);
    g_free(cur);
    return d;
}

LkDfa *lk_nfa_determinize(const LkNfa *a, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(a != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    return determinize(a, &lim, UINT64_MAX, error);
}

LkDfa *lk_nfa_determinize_within(const LkNfa *a, uint64_t max_states, uint64_t max_visits)
{
    const LkLimits given = {.max_states = max_states};
    LkLimits lim;
    lk_limits_resolve(&lim, &given);
    return determinize(a, &lim, max_visits, NULL);
}
