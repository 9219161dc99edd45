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
 * Invariant of a partition: elems[first[s] .. past[s]) are the members of set
 * s, loc[] is the inverse of elems[], sidx[e] the set of e. Marking moves an
 * element to the marked prefix of its set; split() cuts every touched set into
 * its marked and unmarked parts.
 */
#include "automata/dfa.h"

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

LkDfa *lk_dfa_minimize_hopcroft(const LkDfa *d)
{
    const uint32_t n = d->n, k = d->k;
    const size_t m = (size_t)n * k;
    g_return_val_if_fail(m < UINT32_MAX, NULL);

    Partition B, C;
    partition_init(&B, n);
    partition_init(&C, (uint32_t)m);
    Marks mk = {g_new0(uint32_t, MAX(m, n) + 1), g_new(uint32_t, MAX(m, n) + 1), 0};

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
    /* Blocks: accepting vs rejecting. */
    for (uint32_t q = 0; q < n; q++)
        if (d->accept[q]) partition_mark(&B, &mk, q);
    partition_split(&B, &mk);

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
