/* Minimal DFA of a finite set of words, built incrementally from the sorted
 * list (Daciuk, Mihov, Watson & Watson, "Incremental construction of minimal
 * acyclic finite-state automata", Computational Linguistics 26(1), 2000).
 *
 * The words are sorted and deduplicated; each is added as a new branch off
 * the longest prefix it shares with the previous word. The part of the
 * previous word's path below that prefix can never change again, so it is
 * minimized right away, deepest state first: a state whose signature
 * (accepting, successors) is already registered is replaced by the
 * registered one, else it is registered. At the end the last path is
 * minimized the same way. Every state of the result reaches acceptance and
 * no two are equivalent; one rejecting sink completes it.
 *
 * Cost: O(L log W) comparisons for the sort (L = total length, W = words)
 * plus O(L k) for the signatures; memory O(L k).
 */
#include "automata/dfa.h"

#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

typedef struct {
    const uint32_t *sym;
    uint32_t len;
} Word;

static int word_cmp(const void *pa, const void *pb)
{
    const Word *a = pa, *b = pb;
    const uint32_t m = MIN(a->len, b->len);
    for (uint32_t i = 0; i < m; i++)
        if (a->sym[i] != b->sym[i]) return a->sym[i] < b->sym[i] ? -1 : 1;
    return (a->len > b->len) - (a->len < b->len);
}

typedef struct {
    uint32_t k;
    uint32_t *succ; /* k per state, NONE = no transition */
    uint8_t *final;
    uint8_t *reg;    /* registered */
    uint32_t n, cap; /* states allocated so far (replaced ones stay as garbage) */
    uint32_t *slot;  /* register: state + 1, open addressing */
    uint64_t mask;
    uint32_t registered;
} Builder;

static uint32_t new_state(Builder *b)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        b->succ = g_renew(uint32_t, b->succ, (size_t)b->cap * b->k + 1); /* k may be 0 */
        b->final = g_renew(uint8_t, b->final, b->cap);
        b->reg = g_renew(uint8_t, b->reg, b->cap);
    }
    memset(b->succ + (size_t)b->n * b->k, 0xff, sizeof(uint32_t) * b->k);
    b->final[b->n] = b->reg[b->n] = 0;
    return b->n++;
}

static uint64_t signature_hash(const Builder *b, uint32_t s)
{
    const uint32_t *row = b->succ + (size_t)s * b->k;
    uint64_t h = b->final[s];
    for (uint32_t a = 0; a < b->k; a++) h = (h ^ row[a]) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static bool same_signature(const Builder *b, uint32_t s, uint32_t t)
{
    return b->final[s] == b->final[t] &&
           !memcmp(b->succ + (size_t)s * b->k, b->succ + (size_t)t * b->k, sizeof(uint32_t) * b->k);
}

static void register_grow(Builder *b)
{
    const uint64_t cap = (b->mask + 1) * 2;
    g_free(b->slot);
    b->slot = g_new0(uint32_t, cap);
    b->mask = cap - 1;
    for (uint32_t s = 0; s < b->n; s++)
        if (b->reg[s]) {
            uint64_t j = signature_hash(b, s) & b->mask;
            while (b->slot[j]) j = (j + 1) & b->mask;
            b->slot[j] = s + 1;
        }
}

/* The registered state equivalent to s, registering s when there is none. */
static uint32_t replace_or_register(Builder *b, uint32_t s)
{
    uint64_t j = signature_hash(b, s) & b->mask;
    for (; b->slot[j]; j = (j + 1) & b->mask)
        if (same_signature(b, s, b->slot[j] - 1)) return b->slot[j] - 1;
    b->slot[j] = s + 1;
    b->reg[s] = 1;
    if (++b->registered * 2 > b->mask) register_grow(b);
    return s;
}

/* Minimizes path[depth] for depth = from .. to+1 (deepest first), where
 * path[d] is reached from path[d - 1] on word[d - 1]. */
static void minimize_path(Builder *b, uint32_t *path, const uint32_t *word, uint32_t from,
                          uint32_t to)
{
    for (uint32_t d = from; d > to; d--) {
        const uint32_t r = replace_or_register(b, path[d]);
        b->succ[(size_t)path[d - 1] * b->k + word[d - 1]] = r;
        path[d] = r;
    }
}

LkDfa *lk_dfa_from_words(LkAlphabet *alphabet, const uint32_t *symbols, const uint32_t *lengths,
                         size_t count, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(alphabet != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint32_t k = lk_alphabet_size(alphabet);
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += lengths[i];
    for (size_t i = 0; i < total; i++)
        if (symbols[i] >= k) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "word list: symbol %u is outside the alphabet of %u symbols", symbols[i],
                        k);
            return NULL;
        }
    if (total >= UINT32_MAX - 1) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT, "word list: more than 2^32 symbols");
        return NULL;
    }
    Word *words = g_new(Word, count + 1);
    uint32_t longest = 0;
    total = 0;
    for (size_t i = 0; i < count; i++) {
        words[i] =
            (Word){lengths[i] ? symbols + total : NULL, lengths[i]}; /* symbols may be NULL */
        total += lengths[i];
        longest = MAX(longest, lengths[i]);
    }
    qsort(words, count, sizeof(Word), word_cmp);

    Builder b = {.k = k, .mask = 255};
    b.slot = g_new0(uint32_t, b.mask + 1);
    uint32_t *path = g_new(uint32_t, (size_t)longest + 1);
    path[0] = new_state(&b);
    const Word *prev = NULL;
    for (size_t i = 0; i < count; i++) {
        const Word *w = &words[i];
        uint32_t p = 0;
        if (prev) {
            while (p < prev->len && p < w->len && prev->sym[p] == w->sym[p]) p++;
            if (p == w->len && p == prev->len) continue; /* a repeat */
            minimize_path(&b, path, prev->sym, prev->len, p);
        }
        for (uint32_t d = p; d < w->len; d++) {
            const uint32_t t = new_state(&b);
            b.succ[(size_t)path[d] * k + w->sym[d]] = t;
            path[d + 1] = t;
        }
        b.final[path[w->len]] = 1;
        prev = w;
    }
    if (prev) minimize_path(&b, path, prev->sym, prev->len, 0);

    /* Renumber the states reachable from the root, then a rejecting sink. */
    uint32_t *num = g_new(uint32_t, (size_t)b.n + 1), *order = g_new(uint32_t, (size_t)b.n + 1);
    memset(num, 0xff, sizeof(uint32_t) * b.n);
    uint32_t reached = 0;
    num[path[0]] = reached;
    order[reached++] = path[0];
    for (uint32_t h = 0; h < reached; h++)
        for (uint32_t a = 0; a < k; a++) {
            const uint32_t t = b.succ[(size_t)order[h] * k + a];
            if (t != NONE && num[t] == NONE) num[t] = reached, order[reached++] = t;
        }
    LkDfa *d = NULL;
    if ((uint64_t)reached + 1 > lim.max_states) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "the word list's automaton exceeds %" G_GUINT64_FORMAT
                    " states (raise --max-states)",
                    lim.max_states);
    } else {
        LkDfa *raw = lk_dfa_new(alphabet, reached + 1, 0);
        for (uint32_t i = 0; i < reached; i++) {
            raw->accept[i] = b.final[order[i]];
            for (uint32_t a = 0; a < k; a++) {
                const uint32_t t = b.succ[(size_t)order[i] * k + a];
                raw->delta[(size_t)i * k + a] = t == NONE ? reached : num[t];
            }
        }
        for (uint32_t a = 0; a < k; a++) raw->delta[(size_t)reached * k + a] = reached;
        /* Canonical numbering drops the sink when nothing leads there (no
         * symbols); with no words the root is a second dead state. */
        d = prev ? lk_dfa_canonical(raw) : lk_dfa_minimize_hopcroft(raw);
        lk_dfa_free(raw);
    }
    g_free(num);
    g_free(order);
    g_free(path);
    g_free(words);
    g_free(b.succ);
    g_free(b.final);
    g_free(b.reg);
    g_free(b.slot);
    return d;
}
