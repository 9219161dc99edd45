/* Reference matcher: does the syntax tree match word[i..j)? A direct
 * recursion over the ways to split the span, with no automata: a
 * concatenation tries every split point, a repetition every split into
 * nonempty copies. Answers are memoized per (node, i, j), so a word of
 * length L costs O(nodes L^3) however deeply stars and counters nest (the
 * plain recursion was exponential in the nesting: fuzz-regex-diff found
 * `-?++++++*++++=++++++++++*+++` taking minutes on a word of 5 letters).
 * It stays an oracle independent of the NFA/DFA code. */
#include "automata/regex-private.h"

typedef struct {
    const uint32_t *w;
    size_t len;
    GHashTable *ids;  /* node -> 1 + its index in the memo */
    GByteArray *memo; /* per (node, i, j): 0 unknown, 1 false, 2 true */
} Span;

static bool m(Span *s, const RxNode *n, size_t i, size_t j);

/* kids[idx..] concatenated match [i, j). */
static bool cat_from(Span *s, const RxNode *n, uint32_t idx, size_t i, size_t j)
{
    if (idx == n->n_kids) return i == j;
    for (size_t mid = i; mid <= j; mid++)
        if (m(s, n->kids[idx], i, mid) && cat_from(s, n, idx + 1, mid, j)) return true;
    return false;
}

/* Between lo and hi copies (hi may be RX_UNBOUNDED) of kid match [i, j).
 * Empty copies only pad the count: when kid matches the empty word, any
 * split into c <= hi nonempty copies does (lo <= hi); otherwise every copy
 * is nonempty and c must lie in [lo, hi]. So: the positions reachable from i
 * by c nonempty copies, for c = 1, 2, ... up to j - i. */
static bool rep(Span *s, const RxNode *kid, uint32_t lo, uint32_t hi, size_t i, size_t j)
{
    if (hi == 0) return i == j;
    const bool eps = m(s, kid, i, i);
    if (i == j) return lo == 0 || eps;
    const uint64_t need = eps ? 0 : lo, most = MIN((uint64_t)hi, (uint64_t)(j - i));
    bool *buf = g_new0(bool, 2 * (j - i + 1)), *cur = buf, *next = buf + (j - i + 1), found = false;
    cur[0] = true;
    for (uint64_t c = 1; c <= most && !found; c++) {
        bool any = false;
        for (size_t q = i + 1; q <= j; q++) {
            next[q - i] = false;
            for (size_t p = i; p < q && !next[q - i]; p++)
                if (cur[p - i] && m(s, kid, p, q)) next[q - i] = true;
            any |= next[q - i];
        }
        next[0] = false;
        found = c >= need && next[j - i];
        bool *t = cur;
        cur = next, next = t;
        if (!any) break;
    }
    g_free(buf);
    return found;
}

static bool match(Span *s, const RxNode *n, size_t i, size_t j)
{
    switch (n->kind) {
    case RX_EMPTY:
        return false;
    case RX_EPS:
        return i == j;
    case RX_SET:
        if (j != i + 1) return false;
        for (uint32_t x = 0; x < n->n_syms; x++)
            if (n->syms[x] == s->w[i]) return true;
        return false;
    case RX_CAT:
        return cat_from(s, n, 0, i, j);
    case RX_ALT:
        for (uint32_t x = 0; x < n->n_kids; x++)
            if (m(s, n->kids[x], i, j)) return true;
        return false;
    case RX_AND:
        for (uint32_t x = 0; x < n->n_kids; x++)
            if (!m(s, n->kids[x], i, j)) return false;
        return true;
    case RX_NOT:
        return !m(s, n->kids[0], i, j);
    case RX_STAR:
        return rep(s, n->kids[0], 0, RX_UNBOUNDED, i, j);
    case RX_PLUS:
        return rep(s, n->kids[0], 1, RX_UNBOUNDED, i, j);
    case RX_OPT:
        return i == j || m(s, n->kids[0], i, j);
    case RX_REPEAT:
        return rep(s, n->kids[0], n->min, n->max, i, j);
    }
    return false;
}

static bool m(Span *s, const RxNode *n, size_t i, size_t j)
{
    const size_t w = s->len + 1;
    guint id = GPOINTER_TO_UINT(g_hash_table_lookup(s->ids, n));
    if (!id) {
        id = g_hash_table_size(s->ids) + 1;
        g_hash_table_insert(s->ids, (gpointer)n, GUINT_TO_POINTER(id));
        g_byte_array_set_size(s->memo, (guint)(id * w * w));
        memset(s->memo->data + (id - 1) * w * w, 0, w * w);
    }
    const size_t at = ((id - 1) * w + i) * w + j;
    if (!s->memo->data[at]) {
        const bool r = match(s, n, i, j);
        s->memo->data[at] = r ? 2 : 1; /* (memo->data may have moved during match) */
    }
    return s->memo->data[at] == 2;
}

bool lk_regex_matches_backtrack(const LkRegex *re, const uint32_t *word, size_t len)
{
    g_return_val_if_fail(re != NULL, false);
    Span s = {word, len, g_hash_table_new(g_direct_hash, g_direct_equal), g_byte_array_new()};
    const bool r = m(&s, re->root, 0, len);
    g_hash_table_unref(s.ids);
    g_byte_array_unref(s.memo);
    return r;
}
