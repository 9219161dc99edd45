/* Hopcroft minimization with refinable partitions of states and transitions.
 *
 * Algorithm: Valmari & Lehtinen, "Efficient minimization of DFAs with partial
 * transition functions" (STACS 2008), in the form of Valmari, "Fast brief
 * practical DFA minimization" (IPL 2012). Two refinable partitions are kept:
 * blocks B of states and cords C of transitions. Initially B = {accepting,
 * rejecting} and C groups transitions by label. Processing a cord splits the
 * blocks by "has a transition in this cord"; processing a block splits the cords
 * by "ends in this block". A split always gives the new index to the smaller
 * half, so with the indices below b (resp. c) counted as processed, every
 * element is processed O(log n) times: O(n + m log n) time, m = n k, and
 * O(n + m) memory (about 36 bytes per transition).
 *
 * Before that, on automata with at least 2^8 transitions, Moore rounds (Moore 1956) refine
 * {accepting, rejecting} by the signature (class of q, classes of its successors), interned in a
 * hash table (holding the signature itself when it packs into 63 bits, as with two letters and
 * up to 2^21 classes, so that a lookup is one probe), for as long as each round multiplies the
 * number of classes by at least 5/4: at most log_{5/4} n rounds of O(m) sequential work. Automata
 * whose classes double every round (such as (a|b)*a(a|b){k}) are finished there; otherwise Hopcroft
 * starts from Moore's partition with all its blocks but the largest as splitters (valid for any
 * initial partition coarser than the answer), which removes the top levels of the splitting tree
 * and with them most of the random memory traffic of the marks.
 *
 * Finite languages skip all that: when the live states (those that can reach acceptance) form an
 * acyclic graph, one pass from the sinks up interns each state's signature (Revuz 1992), O(n k).
 *
 * Invariant of a partition: elems[first[s] .. past[s]) are the members of set
 * s, loc[] is the inverse of elems[], sidx[e] the set of e. Marking moves an
 * element to the marked prefix of its set; split() cuts every touched set into
 * its marked and unmarked parts.
 */
#include "automata/dfa.h"
#include "automata/hash-private.h"
#include "automata/mem-private.h"

#include <string.h>

typedef struct {
    uint32_t z; /* number of sets */
    uint32_t *elems, *loc, *sidx, *first, *past;
} Partition;

/* Marks, shared by both partitions (only one is marked at a time). */
typedef struct {
    uint32_t *count;   /* marked members per set */
    uint32_t *touched; /* stack of sets with marks */
    uint32_t w;
} Marks;

static void partition_init(Partition *p, uint32_t size)
{
    p->elems = g_new(uint32_t, size + 1);
    p->loc = g_new(uint32_t, size + 1);
    p->sidx = g_new0(uint32_t, size + 1);
    p->first = g_new(uint32_t, size + 1);
    p->past = g_new(uint32_t, size + 1);
    for (uint32_t i = 0; i < size; i++) p->elems[i] = p->loc[i] = i;
    p->z = size > 0;
    p->first[0] = 0;
    p->past[0] = size;
}

static void partition_clear(Partition *p)
{
    g_free(p->elems);
    g_free(p->loc);
    g_free(p->sidx);
    g_free(p->first);
    g_free(p->past);
}

static inline void partition_mark(Partition *p, Marks *mk, uint32_t e)
{
    uint32_t s = p->sidx[e], i = p->loc[e], j = p->first[s] + mk->count[s];
    if (i < j) return; /* already marked */
    uint32_t other = p->elems[j];
    p->elems[i] = other;
    p->loc[other] = i;
    p->elems[j] = e;
    p->loc[e] = j;
    if (!mk->count[s]++) mk->touched[mk->w++] = s;
}

static void partition_split(Partition *p, Marks *mk)
{
    while (mk->w) {
        uint32_t s = mk->touched[--mk->w], j = p->first[s] + mk->count[s];
        if (j == p->past[s]) {
            mk->count[s] = 0;
            continue;
        }
        uint32_t z = p->z;
        if (mk->count[s] <= p->past[s] - j) { /* marked part is the smaller */
            p->first[z] = p->first[s];
            p->past[z] = p->first[s] = j;
        } else {
            p->past[z] = p->past[s];
            p->first[z] = p->past[s] = j;
        }
        for (uint32_t i = p->first[z]; i < p->past[z]; i++) p->sidx[p->elems[i]] = z;
        mk->count[s] = mk->count[z] = 0;
        p->z++;
    }
}

/* ---- Moore rounds ---- */

/* Moore rounds pay off when Hopcroft's marks would miss the cache: below
 * this many transitions everything fits in L2 and Hopcroft alone is faster. */
enum { MOORE_BATCH = 32, MOORE_MIN_TRANSITIONS = 1 << 8, MOORE_SMALL_WORDS = 1 << 18 };

/* One Moore round for automata whose tables fit in cache: no key buffer; a
 * hit is confirmed against the first state of the class found (rep). */
static uint32_t moore_round_small(const LkDfa *d, const uint32_t *cls, uint32_t *next,
                                  uint64_t *slot, uint64_t cap, uint32_t *rep)
{
    const uint32_t n = d->n, k = d->k;
    uint32_t c = 0;
    for (uint32_t q = 0; q < n; q++) {
        const uint32_t *row = d->delta + (size_t)q * k;
        uint64_t h = cls[q];
        for (uint32_t a = 0; a < k; a++) h = h * 0x9E3779B97F4A7C15ull + cls[row[a]];
        h = lk_mix64(h);
        const uint32_t tag = (uint32_t)(h >> 32) | 1u;
        for (uint64_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
            const uint64_t sl = slot[i];
            if (!sl) {
                slot[i] = (uint64_t)tag << 32 | (c + 1);
                rep[c] = q;
                next[q] = c++;
                break;
            }
            if ((uint32_t)(sl >> 32) != tag) continue;
            const uint32_t id = (uint32_t)sl - 1, r = rep[id];
            const uint32_t *rrow = d->delta + (size_t)r * k;
            bool same = cls[q] == cls[r];
            for (uint32_t a = 0; same && a < k; a++) same = cls[row[a]] == cls[rrow[a]];
            if (same) {
                next[q] = id;
                break;
            }
        }
    }
    return c;
}

/* One Moore round when the signature (class of q, classes of its k
 * successors) packs exactly into 63 bits, (k + 1) * bits <= 63 with the old
 * classes below 2^bits: the table holds the keys themselves, so a lookup is
 * one probe with nothing to confirm elsewhere. Batched with prefetching. */
typedef struct {
    uint64_t key; /* packed signature + 1; 0 = empty */
    uint32_t id;
    uint32_t pad;
} PackedSlot;

/* Doubles the table, rehashing its keys. */
static void packed_grow(PackedSlot **slot, uint64_t *cap)
{
    const uint64_t old = *cap, ncap = old * 2;
    PackedSlot *s = lk_huge_alloc0(sizeof(PackedSlot) * ncap);
    for (uint64_t i = 0; i < old; i++) {
        if (!(*slot)[i].key) continue;
        uint64_t j = lk_mix64((*slot)[i].key - 1) & (ncap - 1);
        while (s[j].key) j = (j + 1) & (ncap - 1);
        s[j] = (*slot)[i];
    }
    lk_huge_free(*slot, sizeof(PackedSlot) * old);
    *slot = s;
    *cap = ncap;
}

static uint32_t moore_round_packed(const LkDfa *d, const uint32_t *cls, uint32_t *next,
                                   PackedSlot **slotp, uint64_t *capp, uint32_t bits)
{
    PackedSlot *slot = *slotp;
    uint64_t cap = *capp;
    const uint32_t n = d->n, k = d->k;
    uint64_t keys[MOORE_BATCH], hashes[MOORE_BATCH];
    uint32_t c = 0;
    for (uint32_t q0 = 0; q0 < n; q0 += MOORE_BATCH) {
        const uint32_t batch = MIN(n - q0, MOORE_BATCH);
        for (uint32_t b = 0; b < batch; b++) {
            const uint32_t *row = d->delta + (size_t)(q0 + b) * k;
            uint64_t key = cls[q0 + b];
            for (uint32_t a = 0; a < k; a++) key = key << bits | cls[row[a]];
            keys[b] = key + 1;
            hashes[b] = lk_mix64(key);
            __builtin_prefetch(&slot[hashes[b] & (cap - 1)]);
        }
        for (uint32_t b = 0; b < batch; b++) {
            for (uint64_t i = hashes[b] & (cap - 1);; i = (i + 1) & (cap - 1)) {
                if (slot[i].key == keys[b]) {
                    next[q0 + b] = slot[i].id;
                    break;
                }
                if (!slot[i].key) {
                    slot[i].key = keys[b];
                    slot[i].id = c;
                    next[q0 + b] = c++;
                    break;
                }
            }
            if ((uint64_t)c * 2 > cap) { /* keep the load under 1/2 */
                packed_grow(&slot, &cap);
                for (uint32_t r = b + 1; r < batch; r++)
                    __builtin_prefetch(&slot[hashes[r] & (cap - 1)]);
            }
        }
    }
    *slotp = slot;
    *capp = cap;
    return c;
}

/* Refines cls[] (classes 0..*count-1) by Moore rounds while they pay off.
 * Returns true when the partition is stable (the Myhill–Nerode classes). */
static bool moore_rounds(const LkDfa *d, uint32_t *cls, uint32_t *count)
{
    const uint32_t n = d->n, k = d->k, w = k + 1;
    uint32_t *next = g_new(uint32_t, n);
    uint32_t *keys = g_new(uint32_t, (size_t)w * MOORE_BATCH);
    uint64_t *hashes = g_new(uint64_t, MOORE_BATCH);
    uint32_t *pool = NULL; /* keys of the new classes, w words each */
    size_t pool_cap = 0;
    uint64_t *slot = NULL; /* hash << 32 | id + 1 */
    uint64_t cap = 0;
    bool stable = false;
    const bool small = (uint64_t)n * w <= MOORE_SMALL_WORDS;
    uint32_t *rep = small ? g_new(uint32_t, n + 1) : NULL;
    PackedSlot *pslot = NULL;
    uint64_t pcap = 0;
    for (uint32_t round = 0; round < 200; round++) {
        uint32_t c = 0;
        uint32_t bits = 1;
        while (bits < 32 && (1ull << bits) < *count) bits++;
        if ((uint64_t)(k + 1) * bits <= 63) { /* exact packed signatures */
            uint64_t want = 64;               /* for about twice the classes; grown if need be */
            while (want < 4ull * *count && want < 2ull * n + 2) want *= 2;
            if (want > pcap) {
                lk_huge_free(pslot, sizeof(PackedSlot) * pcap);
                pcap = want;
                pslot = lk_huge_alloc0(sizeof(PackedSlot) * pcap);
            } else {
                memset(pslot, 0, sizeof(PackedSlot) * pcap);
            }
            c = moore_round_packed(d, cls, next, &pslot, &pcap, bits);
            goto round_done;
        }
        uint64_t want = 64;
        while (want < 8ull * *count && want < 4ull * n) want *= 2;
        if (small) /* no growth inside a round: room for every state */
            while (want < 2ull * n + 2) want *= 2;
        if (want != cap) {
            lk_huge_free(slot, sizeof(uint64_t) * cap);
            cap = want;
            slot = lk_huge_alloc0(sizeof(uint64_t) * cap);
        } else {
            memset(slot, 0, sizeof(uint64_t) * cap);
        }
        if (small) {
            c = moore_round_small(d, cls, next, slot, cap, rep);
            goto round_done;
        }
        for (uint32_t q0 = 0; q0 < n; q0 += MOORE_BATCH) {
            /* Keys and hashes of a batch first, slots prefetched. */
            const uint32_t batch = MIN(n - q0, MOORE_BATCH);
            for (uint32_t b = 0; b < batch; b++) {
                const uint32_t *row = d->delta + (size_t)(q0 + b) * k;
                uint32_t *kb = keys + (size_t)b * w;
                kb[0] = cls[q0 + b];
                for (uint32_t a = 0; a < k; a++) kb[a + 1] = cls[row[a]];
                hashes[b] = lk_hash_words(kb, w);
                __builtin_prefetch(&slot[hashes[b] & (cap - 1)]);
            }
            for (uint32_t b = 0; b < batch; b++) {
                const uint32_t *kb = keys + (size_t)b * w;
                const uint64_t h = hashes[b];
                const uint32_t h32 = (uint32_t)(h >> 32) | 1u;
                for (uint64_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
                    uint64_t sl = slot[i];
                    if (!sl) {
                        slot[i] = (uint64_t)h32 << 32 | (c + 1);
                        if ((size_t)(c + 1) * w > pool_cap) {
                            pool_cap = MAX(pool_cap * 2, (size_t)(c + 1) * w);
                            pool = g_renew(uint32_t, pool, pool_cap);
                        }
                        memcpy(pool + (size_t)c * w, kb, sizeof(uint32_t) * w);
                        next[q0 + b] = c++;
                        break;
                    }
                    if ((uint32_t)(sl >> 32) == h32) {
                        uint32_t id = (uint32_t)sl - 1;
                        const uint32_t *k2 = pool + (size_t)id * w;
                        uint32_t x = 0;
                        while (x < w && k2[x] == kb[x]) x++;
                        if (x == w) {
                            next[q0 + b] = id;
                            break;
                        }
                    }
                }
                if ((uint64_t)c * 2 > cap) { /* grow: rehash the classes so far */
                    lk_huge_free(slot, sizeof(uint64_t) * cap);
                    cap *= 2;
                    slot = lk_huge_alloc0(sizeof(uint64_t) * cap);
                    for (uint32_t id = 0; id < c; id++) {
                        uint64_t hh = lk_hash_words(pool + (size_t)id * w, w);
                        uint64_t j = hh & (cap - 1);
                        while (slot[j]) j = (j + 1) & (cap - 1);
                        slot[j] = (uint64_t)((uint32_t)(hh >> 32) | 1u) << 32 | (id + 1);
                    }
                }
            }
        }
    round_done:;
        const uint32_t old = *count;
        memcpy(cls, next, sizeof(uint32_t) * n);
        *count = c;
        if (c == old) {
            stable = true;
            break;
        }
        if ((uint64_t)c * 10 < (uint64_t)old * 19) break; /* slow progress: hand over */
    }
    lk_huge_free(pslot, sizeof(PackedSlot) * pcap);
    g_free(next);
    g_free(keys);
    g_free(hashes);
    g_free(rep);
    lk_huge_free(slot, sizeof(uint64_t) * cap);
    g_free(pool);
    return stable;
}

/* Minimal canonical DFA from a stable partition cls[] with count classes. */
static LkDfa *quotient(const LkDfa *d, const uint32_t *cls, uint32_t count)
{
    const uint32_t k = d->k;
    if (count == d->n) return lk_dfa_canonical(d); /* nothing merged */
    LkDfa *q = lk_dfa_new(d->alphabet, count, cls[d->start]);
    uint8_t *done = g_new0(uint8_t, count);
    for (uint32_t s = 0; s < d->n; s++) {
        uint32_t c = cls[s];
        if (done[c]) continue;
        done[c] = 1;
        const uint32_t *row = d->delta + (size_t)s * k;
        for (uint32_t a = 0; a < k; a++) q->delta[(size_t)c * k + a] = cls[row[a]];
        q->accept[c] = d->accept[s] ? 1 : 0;
    }
    g_free(done);
    LkDfa *r = lk_dfa_canonical(q);
    lk_dfa_free(q);
    return r;
}

/* Finite languages (Revuz 1992): when the states that can reach acceptance
 * form an acyclic graph, one pass from the sinks up gives every such state
 * its Myhill-Nerode class as the interned signature (accepting, classes of
 * the successors), all other states being one dead class. O(n k) time and one
 * hash lookup per state instead of rounds. Returns false when the live part
 * has a cycle (or the start is dead); cls/count are then unspecified. */
/* Whether the states reachable from the start have a cycle that does not
 * stay in a rejecting state looping on every letter (the usual dead state):
 * a depth-first search stopping at the first back edge, so that cyclic
 * automata, the common case, pay little for the test. */
static bool has_live_looking_cycle(const LkDfa *d)
{
    const uint32_t n = d->n, k = d->k;
    uint8_t *color = g_new0(uint8_t, n + 1); /* 0 new, 1 on the path, 2 done */
    uint32_t *stack = g_new(uint32_t, n + 1), *next = g_new(uint32_t, n + 1), top = 0;
    bool cycle = false;
    stack[top++] = d->start;
    color[d->start] = 1;
    next[d->start] = 0;
    while (top && !cycle) {
        const uint32_t q = stack[top - 1];
        if (next[q] == k) {
            color[q] = 2;
            top--;
            continue;
        }
        const uint32_t r = d->delta[(size_t)q * k + next[q]++];
        if (r == q) {
            bool sink = !d->accept[q];
            for (uint32_t a = 0; sink && a < k; a++) sink = d->delta[(size_t)q * k + a] == q;
            cycle = !sink;
        } else if (color[r] == 1) {
            cycle = true;
        } else if (color[r] == 0) {
            color[r] = 1;
            next[r] = 0;
            stack[top++] = r;
        }
    }
    g_free(color);
    g_free(stack);
    g_free(next);
    return cycle;
}

static bool acyclic_classes(const LkDfa *d, uint32_t *cls, uint32_t *count)
{
    const uint32_t n = d->n, k = d->k, w = k + 1, DEAD = 0;
    if (k == 0 || has_live_looking_cycle(d)) return false;
    const size_t m = (size_t)n * k;
    uint32_t *in_off = g_new0(uint32_t, (gsize)n + 2), *in_src = g_new(uint32_t, m + 1);
    for (size_t t = 0; t < m; t++) in_off[d->delta[t] + 2]++;
    for (uint32_t q = 0; q < n; q++) in_off[q + 2] += in_off[q + 1];
    for (size_t t = 0; t < m; t++) in_src[in_off[d->delta[t] + 1]++] = (uint32_t)(t / k);
    /* live = can reach an accepting state (backwards search) */
    uint8_t *live = g_new0(uint8_t, n + 1);
    uint32_t *order = g_new(uint32_t, n + 1), head = 0, tail = 0;
    for (uint32_t q = 0; q < n; q++)
        if (d->accept[q]) live[q] = 1, order[tail++] = q;
    while (head < tail) {
        const uint32_t q = order[head++];
        for (uint32_t j = in_off[q]; j < in_off[q + 1]; j++)
            if (!live[in_src[j]]) live[in_src[j]] = 1, order[tail++] = in_src[j];
    }
    const uint32_t n_live = tail;
    bool ok = n_live > 0 && live[d->start];
    /* Kahn's order from the sinks: a live state is ready when all its live
     * successors are classified (pending counts its live out-edges). */
    uint32_t *pending = ok ? g_new0(uint32_t, n + 1) : NULL;
    head = tail = 0;
    for (uint32_t q = 0; ok && q < n; q++) {
        if (!live[q]) continue;
        for (uint32_t a = 0; a < k; a++) pending[q] += live[d->delta[(size_t)q * k + a]];
        if (!pending[q]) order[tail++] = q;
    }
    while (ok && head < tail) {
        const uint32_t q = order[head++];
        for (uint32_t j = in_off[q]; j < in_off[q + 1]; j++) /* one per edge into q */
            if (live[in_src[j]] && --pending[in_src[j]] == 0) order[tail++] = in_src[j];
    }
    ok = ok && tail == n_live; /* else a cycle among live states */
    uint32_t c = 1;            /* class 0: dead (used or not) */
    if (ok) {
        uint64_t cap = 64;
        while (cap < 2ull * n_live + 2) cap *= 2;
        uint32_t *slot = g_new0(uint32_t, cap); /* class id + 1, keys in pool */
        uint32_t *pool = g_new(uint32_t, (size_t)w * (n_live + 2)), *key = g_new(uint32_t, w);
        for (uint32_t q = 0; q < n; q++) cls[q] = DEAD;
        for (uint32_t i = 0; i < n_live; i++) {
            const uint32_t q = order[i];
            key[0] = d->accept[q] != 0;
            for (uint32_t a = 0; a < k; a++) key[a + 1] = cls[d->delta[(size_t)q * k + a]];
            const uint64_t h = lk_hash_words(key, w);
            for (uint64_t j = h & (cap - 1);; j = (j + 1) & (cap - 1)) {
                if (!slot[j]) {
                    memcpy(pool + (size_t)c * w, key, sizeof(uint32_t) * w);
                    slot[j] = c + 1;
                    cls[q] = c++;
                    break;
                }
                if (!memcmp(pool + (size_t)(slot[j] - 1) * w, key, sizeof(uint32_t) * w)) {
                    cls[q] = slot[j] - 1;
                    break;
                }
            }
        }
        g_free(slot);
        g_free(pool);
        g_free(key);
        if (n_live == n) { /* no dead state: shift the classes down */
            for (uint32_t q = 0; q < n; q++) cls[q]--;
            c--;
        }
        *count = c;
    }
    g_free(in_off);
    g_free(in_src);
    g_free(live);
    g_free(order);
    g_free(pending);
    return ok;
}

LkDfa *lk_dfa_minimize_hopcroft(const LkDfa *d)
{
    const uint32_t n = d->n, k = d->k;
    const size_t m = (size_t)n * k;
    g_return_val_if_fail(m < UINT32_MAX, NULL);

    uint32_t *cls = g_new(uint32_t, n), count;
    if (acyclic_classes(d, cls, &count)) { /* a finite language: one pass */
        LkDfa *r = quotient(d, cls, count);
        g_free(cls);
        return r;
    }
    /* Moore rounds from {rejecting, accepting}. */
    {
        int32_t id[2] = {-1, -1};
        count = 0;
        for (uint32_t q = 0; q < n; q++) {
            int a = d->accept[q] != 0;
            if (id[a] < 0) id[a] = (int32_t)count++;
            cls[q] = (uint32_t)id[a];
        }
    }
    if (m >= MOORE_MIN_TRANSITIONS && moore_rounds(d, cls, &count)) {
        LkDfa *r = quotient(d, cls, count);
        g_free(cls);
        return r;
    }

    Partition B, C;
    partition_init(&B, n);
    partition_init(&C, (uint32_t)m);
    Marks mk = {g_new0(uint32_t, MAX(m, n) + 1), g_new(uint32_t, MAX(m, n) + 1), 0};
    /* Blocks: Moore's classes by a counting sort, the largest as block 0. */
    {
        uint32_t *size = g_new0(uint32_t, count + 1), big = 0;
        for (uint32_t q = 0; q < n; q++) size[cls[q]]++;
        for (uint32_t c = 1; c < count; c++)
            if (size[c] > size[big]) big = c;
        for (uint32_t q = 0; q < n; q++) /* swap class ids big <-> 0 */
            cls[q] = cls[q] == big ? 0 : cls[q] == 0 ? big : cls[q];
        uint32_t t = size[0];
        size[0] = size[big];
        size[big] = t;
        uint32_t at = 0;
        for (uint32_t c = 0; c < count; c++) {
            B.first[c] = at;
            at += size[c];
            B.past[c] = B.first[c];
        }
        for (uint32_t q = 0; q < n; q++) {
            uint32_t i = B.past[cls[q]]++;
            B.elems[i] = q;
            B.loc[q] = i;
            B.sidx[q] = cls[q];
        }
        B.z = count;
        g_free(size);
    }
    g_free(cls);

    /* Cords: transitions t = q*k + a grouped by label a. */
    if (k > 0) {
        uint32_t i = 0;
        for (uint32_t a = 0; a < k; a++) {
            C.first[a] = i;
            for (uint32_t q = 0; q < n; q++, i++) {
                uint32_t t = q * k + a;
                C.elems[i] = t;
                C.loc[t] = i;
                C.sidx[t] = a;
            }
            C.past[a] = i;
        }
        C.z = k;
    }
    /* Incoming transitions of each state, by counting sort on the head. */
    uint32_t *in_off = g_new0(uint32_t, (gsize)n + 1);
    uint32_t *in_tr = g_new(uint32_t, m + 1);
    for (size_t t = 0; t < m; t++) in_off[d->delta[t] + 1]++;
    for (uint32_t q = 0; q < n; q++) in_off[q + 1] += in_off[q];
    {
        uint32_t *fill = g_memdup2(in_off, sizeof(uint32_t) * n);
        for (size_t t = 0; t < m; t++) in_tr[fill[d->delta[t]]++] = (uint32_t)t;
        g_free(fill);
    }
    for (uint32_t b = 1, c = 0; c < C.z; c++) {
        for (uint32_t i = C.first[c]; i < C.past[c]; i++) partition_mark(&B, &mk, C.elems[i] / k);
        partition_split(&B, &mk);
        for (; b < B.z; b++) {
            for (uint32_t i = B.first[b]; i < B.past[b]; i++) {
                uint32_t q = B.elems[i];
                for (uint32_t j = in_off[q]; j < in_off[q + 1]; j++)
                    partition_mark(&C, &mk, in_tr[j]);
            }
            partition_split(&C, &mk);
        }
    }

    /* Quotient automaton, then canonical numbering. */
    LkDfa *q = lk_dfa_new(d->alphabet, B.z, B.sidx[d->start]);
    for (uint32_t s = 0; s < B.z; s++) {
        uint32_t rep = B.elems[B.first[s]];
        const uint32_t *row = d->delta + (size_t)rep * k;
        for (uint32_t a = 0; a < k; a++) q->delta[(size_t)s * k + a] = B.sidx[row[a]];
        q->accept[s] = d->accept[rep] ? 1 : 0;
    }
    partition_clear(&B);
    partition_clear(&C);
    g_free(mk.count);
    g_free(mk.touched);
    g_free(in_off);
    g_free(in_tr);
    LkDfa *r = lk_dfa_canonical(q);
    lk_dfa_free(q);
    return r;
}

LkDfa *lk_dfa_minimize(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    return lk_dfa_minimize_hopcroft(d);
}
