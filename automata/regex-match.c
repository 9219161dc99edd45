/* Reference matcher: does the syntax tree match word[i..j)? Plain recursion
 * over all ways to split the span, no automata, no memo: exponential, meant as
 * an independent oracle for words of length <= ~10 in the tests. */
#include "automata/regex-private.h"

typedef struct {
    const uint32_t *w;
} Span;

static bool m(const Span *s, const RxNode *n, size_t i, size_t j);

/* kids[idx..] concatenated match [i, j). */
static bool cat_from(const Span *s, const RxNode *n, uint32_t idx, size_t i, size_t j)
{
    if (idx == n->n_kids) return i == j;
    for (size_t mid = i; mid <= j; mid++)
        if (m(s, n->kids[idx], i, mid) && cat_from(s, n, idx + 1, mid, j)) return true;
    return false;
}

/* Between lo and hi copies (hi may be RX_UNBOUNDED) of kid match [i, j). */
static bool rep(const Span *s, const RxNode *kid, uint32_t lo, uint32_t hi, size_t i, size_t j)
{
    if (lo == 0 && i == j) return true;
    if (hi == 0) return false;
    uint32_t lo2 = lo ? lo - 1 : 0, hi2 = hi == RX_UNBOUNDED ? hi : hi - 1;
    /* With no copies required, an empty copy makes no progress: skip it. */
    for (size_t mid = lo == 0 ? i + 1 : i; mid <= j; mid++)
        if (m(s, kid, i, mid) && rep(s, kid, lo2, hi2, mid, j)) return true;
    return false;
}

static bool m(const Span *s, const RxNode *n, size_t i, size_t j)
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

bool lk_regex_matches_backtrack(const LkRegex *re, const uint32_t *word, size_t len)
{
    Span s = {word};
    return m(&s, re->root, 0, len);
}
