/* Regex -> minimal DFA through the Glushkov (position) automaton.
 *
 * Glushkov (1961), as in Berry & Sethi (1986): every occurrence of a symbol
 * set in the expanded expression is a position; from each subexpression we
 * compute (first, last, nullable) and add follow edges last(E) x first(F) for
 * concatenation and last(E) x first(E) for iteration. The automaton has one
 * state per position plus an initial state 0; a position labelled by a set S
 * is entered on every symbol of S. Counted repetition is expanded on the fly:
 * each visit of a subtree creates fresh positions, so nothing is copied.
 *
 * `&` and `~` are not Glushkov operators: such a node is compiled to its
 * minimal DFA D (product / complement) and spliced in as a position automaton
 * with one position (r, a) per live state r entered on symbol a: first =
 * {(delta(s0,a), a)}, last = {(q, a) : q accepting}, follow((q, a)) =
 * {(delta(q,b), b)}; dead states are dropped.
 *
 * Cost: positions P, follow edges O(P^2) at worst (star over an alternation),
 * then the subset construction and minimization (see nfa.h, dfa.h).
 */
#include "automata/nfa-private.h"
#include "automata/regex-private.h"
#include "automata/vec-private.h"

#include <string.h>

typedef struct {
    const LkRegex *re;
    LkMinimizer how;
    LkLimits lim;
    GError **error;
    uint32_t n_pos;       /* positions so far; state 0 is the initial state */
    LkVec32 edges;        /* triples (src, sym, dst) of the NFA */
    LkVec32 label_first;  /* per position: offset in label_pool */
    LkVec32 label_pool;   /* symbols of each position's label */
    GPtrArray *spare;     /* recycled LkVec32 for Frag sets */
    GHashTable *frag_dfa; /* RxNode* -> LkDfa* of & and ~ nodes */
    bool failed;
} Builder;

typedef struct {
    LkVec32 *first, *last; /* positions */
    bool nullable;
} Frag;

static LkDfa *compile_node(Builder *b, const RxNode *n);

static LkVec32 *vec_take(Builder *b)
{
    if (b->spare->len) return g_ptr_array_steal_index_fast(b->spare, b->spare->len - 1);
    return g_new0(LkVec32, 1);
}

static void vec_give(Builder *b, LkVec32 *v)
{
    v->len = 0;
    g_ptr_array_add(b->spare, v);
}

static void vec_free(gpointer p)
{
    lk_vec32_clear(p);
    g_free(p);
}

static void frag_init(Builder *b, Frag *f)
{
    f->first = vec_take(b);
    f->last = vec_take(b);
    f->nullable = false;
}

static void frag_clear(Builder *b, Frag *f)
{
    vec_give(b, f->first);
    vec_give(b, f->last);
}

/* The build fails on --max-positions (the first error is kept). */
static void positions_exceeded(Builder *b)
{
    if (!b->failed)
        g_set_error(b->error, LK_ERROR, LK_ERROR_LIMIT,
                    "the regex expands to more than %" G_GUINT64_FORMAT
                    " positions (raise --max-positions)",
                    b->lim.max_positions);
    b->failed = true;
}

static uint32_t new_position(Builder *b, const uint32_t *syms, uint32_t n_syms)
{
    if (b->n_pos >= b->lim.max_positions) {
        positions_exceeded(b);
        return 0;
    }
    uint32_t p = ++b->n_pos;
    lk_vec32_push(&b->label_first, (uint32_t)b->label_pool.len);
    lk_vec32_append(&b->label_pool, syms, n_syms);
    return p;
}

/* Bytes of one follow edge: its triple here, then the NFA's arrays. */
enum { EDGE_BYTES = 24 };

/* The build fails when `more` follow edges would take the automaton past
 * --max-memory (or past 2^32 edges): follow sets grow quadratically, so
 * 'a?{50000}' alone would be 1.25e9 edges. */
static bool edges_fit(Builder *b, uint64_t more)
{
    const uint64_t edges = b->edges.len / 3 + more;
    if (edges <= UINT32_MAX && edges * EDGE_BYTES <= b->lim.max_memory) return true;
    if (!b->failed)
        g_set_error(b->error, LK_ERROR, LK_ERROR_LIMIT,
                    "the regex's position automaton would have more than %" G_GUINT64_FORMAT
                    " follow edges, about %.1f GB (raise --max-memory)",
                    edges, (double)edges * EDGE_BYTES / 1e9);
    b->failed = true;
    return false;
}

static void add_follow(Builder *b, const LkVec32 *from, const LkVec32 *to)
{
    const uint32_t *lf = b->label_first.v, *pool = b->label_pool.v;
    uint64_t labels = 0; /* symbols entering the positions of `to` */
    for (size_t j = 0; j < to->len; j++) {
        const uint32_t q = to->v[j];
        labels += (q < b->n_pos ? lf[q] : (uint32_t)b->label_pool.len) - lf[q - 1];
    }
    if (b->failed || !edges_fit(b, labels * from->len)) return;
    for (size_t j = 0; j < to->len; j++) {
        const uint32_t q = to->v[j];
        const uint32_t end = q < b->n_pos ? lf[q] : (uint32_t)b->label_pool.len; /* label of q */
        for (size_t i = 0; i < from->len; i++)
            for (uint32_t s = lf[q - 1]; s < end; s++)
                lk_vec32_push3(&b->edges, from->v[i], pool[s], q);
    }
}

static void append_all(LkVec32 *dst, const LkVec32 *src)
{
    lk_vec32_append(dst, src->v, src->len);
}

/* Positions of a minimal DFA spliced in (see the header comment). */
static void splice_dfa(Builder *b, const LkDfa *d, Frag *out)
{
    const uint32_t n = d->n, k = d->k;
    /* d is minimal, so its only state that reaches no accepting state is a
     * rejecting sink; it gets no positions. */
    uint8_t *live = g_new(uint8_t, n);
    for (uint32_t q = 0; q < n; q++) {
        bool sink = !d->accept[q];
        for (uint32_t a = 0; sink && a < k; a++) sink = d->delta[(size_t)q * k + a] == q;
        live[q] = !sink;
    }
    uint32_t *pos = g_new0(uint32_t, (size_t)n * k + 1); /* (r, a) -> position */
    const uint64_t before = b->n_pos;
    for (uint32_t q = 0; q < n && !b->failed; q++)
        for (uint32_t a = 0; a < k && !b->failed; a++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (live[r] && !pos[(size_t)r * k + a]) pos[(size_t)r * k + a] = new_position(b, &a, 1);
        }
    edges_fit(b, (b->n_pos - before) * k); /* at most k edges leave each new position */
    for (uint32_t q = 0; q < n && !b->failed; q++)
        for (uint32_t a = 0; a < k; a++) {
            uint32_t p = pos[(size_t)q * k + a];
            if (!p) continue;
            if (d->accept[q]) lk_vec32_push(out->last, p);
            for (uint32_t c = 0; c < k; c++) {
                uint32_t r = d->delta[(size_t)q * k + c];
                if (live[r]) lk_vec32_push3(&b->edges, p, c, pos[(size_t)r * k + c]);
            }
        }
    for (uint32_t a = 0; a < k && !b->failed; a++) {
        uint32_t r = d->delta[(size_t)d->start * k + a];
        if (live[r]) lk_vec32_push(out->first, pos[(size_t)r * k + a]);
    }
    out->nullable = d->accept[d->start] != 0;
    g_free(live);
    g_free(pos);
}

/* Glushkov sets of node n, with fresh positions. */
static void glushkov(Builder *b, const RxNode *n, Frag *out)
{
    frag_init(b, out);
    if (b->failed) return;
    switch (n->kind) {
    case RX_EMPTY:
        break;
    case RX_EPS:
        out->nullable = true;
        break;
    case RX_SET: {
        uint32_t p = new_position(b, n->syms, n->n_syms);
        if (b->failed) break;
        lk_vec32_push(out->first, p);
        lk_vec32_push(out->last, p);
        break;
    }
    case RX_CAT:
        out->nullable = true;
        for (uint32_t i = 0; i < n->n_kids; i++) {
            Frag f;
            glushkov(b, n->kids[i], &f);
            add_follow(b, out->last, f.first);
            if (out->nullable) append_all(out->first, f.first);
            if (!f.nullable) out->last->len = 0;
            append_all(out->last, f.last);
            out->nullable = out->nullable && f.nullable;
            frag_clear(b, &f);
        }
        break;
    case RX_ALT:
        for (uint32_t i = 0; i < n->n_kids; i++) {
            Frag f;
            glushkov(b, n->kids[i], &f);
            append_all(out->first, f.first);
            append_all(out->last, f.last);
            out->nullable = out->nullable || f.nullable;
            frag_clear(b, &f);
        }
        break;
    case RX_STAR:
    case RX_PLUS:
    case RX_OPT: {
        Frag f;
        glushkov(b, n->kids[0], &f);
        if (n->kind != RX_OPT) add_follow(b, f.last, f.first);
        append_all(out->first, f.first);
        append_all(out->last, f.last);
        out->nullable = n->kind == RX_PLUS ? f.nullable : true;
        frag_clear(b, &f);
        break;
    }
    case RX_REPEAT: {
        /* E{m,n} = E^m (E?)^(n-m) and E{m,} = E^(m-1) E+ (E* when m = 0): a
         * concatenation of fresh copies of E, the optional ones nullable. */
        const bool unbounded = n->max == RX_UNBOUNDED;
        const uint32_t copies = unbounded ? MAX(n->min, 1) : n->max;
        out->nullable = true;
        for (uint32_t i = 0; i < copies && !b->failed; i++) {
            Frag f;
            glushkov(b, n->kids[0], &f);
            if (unbounded && i == copies - 1) add_follow(b, f.last, f.first);
            const bool skippable = f.nullable || i >= n->min;
            add_follow(b, out->last, f.first);
            if (out->nullable) append_all(out->first, f.first);
            if (!skippable) out->last->len = 0;
            append_all(out->last, f.last);
            out->nullable = out->nullable && skippable;
            frag_clear(b, &f);
        }
        break;
    }
    case RX_AND:
    case RX_NOT: {
        LkDfa *d = g_hash_table_lookup(b->frag_dfa, n);
        if (!d) {
            d = compile_node(b, n);
            if (!d) {
                b->failed = true;
                break;
            }
            g_hash_table_insert(b->frag_dfa, (gpointer)n, d);
        }
        splice_dfa(b, d, out);
        break;
    }
    }
}

/* The reverse route is tried when determinizing the reverse Glushkov
 * automaton takes at most this many subsets: then the second subset
 * construction is no more work per state than the forward one would be. */
#define REVERSE_CAP(positions) ((positions) + 64)

static LkDfa *minimize(Builder *b, LkDfa *d)
{
    LkDfa *m = b->how == LK_MINIMIZE_BRZOZOWSKI ? lk_dfa_minimize_brzozowski(d, &b->lim, b->error)
                                                : lk_dfa_minimize_hopcroft(d);
    lk_dfa_free(d);
    if (!m) b->failed = true;
    return m;
}

/* Appends the word n denotes to syms when n is a single word (one symbol,
 * the empty word, or a concatenation of single symbols). */
static bool one_word(const RxNode *n, LkVec32 *syms)
{
    if (n->kind == RX_EPS) return true;
    if (n->kind == RX_SET && n->n_syms == 1) {
        lk_vec32_push(syms, n->syms[0]);
        return true;
    }
    if (n->kind != RX_CAT) return false;
    for (uint32_t i = 0; i < n->n_kids; i++)
        if (!one_word(n->kids[i], syms)) return false;
    return true;
}

/* Whether n is a list of words w1|w2|...; fills their symbols and lengths. */
static bool word_list(const RxNode *n, LkVec32 *syms, LkVec32 *lens)
{
    const uint32_t m = n->kind == RX_ALT ? n->n_kids : 1;
    for (uint32_t i = 0; i < m; i++) {
        const size_t before = syms->len;
        if (!one_word(n->kind == RX_ALT ? n->kids[i] : n, syms)) return false;
        lk_vec32_push(lens, (uint32_t)(syms->len - before));
    }
    return true;
}

/* Minimal DFA of the subtree n. */
static LkDfa *compile_node(Builder *b, const RxNode *n)
{
    if (b->how == LK_MINIMIZE_AUTO && (n->kind == RX_ALT || n->kind == RX_CAT)) {
        /* A list of words: built minimal directly (lk_dfa_from_words). */
        LkVec32 syms = {0}, lens = {0};
        const bool words = word_list(n, &syms, &lens);
        LkDfa *d = NULL;
        if (words && syms.len > b->lim.max_positions)
            positions_exceeded(b);
        else if (words && !(d = lk_dfa_from_words(b->re->alphabet, syms.v, lens.v, lens.len,
                                                  &b->lim, b->error)))
            b->failed = true;
        lk_vec32_clear(&syms);
        lk_vec32_clear(&lens);
        if (words) return d;
    }
    if (n->kind == RX_NOT) {
        LkDfa *d = compile_node(b, n->kids[0]);
        if (!d) return NULL;
        LkDfa *c = lk_dfa_complement(d); /* the complement of a minimal DFA is minimal */
        lk_dfa_free(d);
        return c;
    }
    if (n->kind == RX_AND) {
        LkDfa *acc = compile_node(b, n->kids[0]);
        for (uint32_t i = 1; acc && i < n->n_kids; i++) {
            LkDfa *d = compile_node(b, n->kids[i]);
            if (!d) {
                lk_dfa_free(acc);
                return NULL;
            }
            LkDfa *p = lk_dfa_product(acc, d, LK_PRODUCT_AND, &b->lim, b->error);
            lk_dfa_free(acc);
            lk_dfa_free(d);
            acc = p ? minimize(b, p) : NULL;
        }
        if (!acc) b->failed = true;
        return acc;
    }
    /* A fresh position automaton for this subtree. */
    Builder sub = *b;
    sub.n_pos = 0;
    memset(&sub.edges, 0, sizeof sub.edges);
    memset(&sub.label_first, 0, sizeof sub.label_first);
    memset(&sub.label_pool, 0, sizeof sub.label_pool);
    Frag f;
    glushkov(&sub, n, &f);
    LkDfa *result = NULL;
    if (!sub.failed) {
        uint32_t zero = 0;
        LkVec32 init = {&zero, 1, 1};
        add_follow(&sub, &init, f.first);
        LkNfa *nfa = lk_nfa_new(b->re->alphabet, sub.n_pos + 1, sub.edges.v, sub.edges.len / 3);
        lk_nfa_set_init(nfa, &zero, 1);
        for (size_t i = 0; i < f.last->len; i++) nfa->accept[f.last->v[i]] = 1;
        nfa->accept[0] = f.nullable;
        lk_vec32_clear(&sub.edges);
        GError *over = NULL;
        if (b->how == LK_MINIMIZE_AUTO) /* the reverse is small: no minimizer needed */
            result = lk_nfa_minimal_by_reversal(nfa, REVERSE_CAP(nfa->n), &b->lim, &over);
        if (over) {
            g_propagate_error(b->error, over);
        } else if (!result) {
            LkDfa *d = lk_nfa_determinize(nfa, &b->lim, b->error);
            result = d ? minimize(&sub, d) : NULL;
        }
        lk_nfa_free(nfa);
    }
    frag_clear(&sub, &f);
    lk_vec32_clear(&sub.edges);
    lk_vec32_clear(&sub.label_first);
    lk_vec32_clear(&sub.label_pool);
    if (!result) b->failed = true;
    return result;
}

LkDfa *lk_regex_compile_with(const LkRegex *re, LkMinimizer how, const LkLimits *limits,
                             GError **error)
{
    g_return_val_if_fail(re != NULL, NULL);
    Builder b = {.re = re, .how = how, .error = error};
    lk_limits_resolve(&b.lim, limits);
    b.frag_dfa =
        g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, (GDestroyNotify)lk_dfa_free);
    b.spare = g_ptr_array_new_with_free_func(vec_free);
    LkDfa *d = compile_node(&b, re->root);
    g_hash_table_unref(b.frag_dfa);
    g_ptr_array_unref(b.spare);
    return d;
}

LkDfa *lk_regex_compile(const LkRegex *re, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(re != NULL, NULL);
    return lk_regex_compile_with(re, LK_MINIMIZE_AUTO, limits, error);
}
