/* Brzozowski's minimization (1962): reverse, determinize, reverse,
 * determinize. Determinizing the reverse of an accessible DFA yields the
 * minimal DFA of the reversed language, so two rounds give the minimal DFA of
 * the language itself. Exponential in the worst case (bounded by
 * limits->max_states); independent of the partition-refinement code, which
 * the tests cross-check it against.
 *
 * lk_nfa_minimal_by_reversal applies the same theorem to an NFA directly:
 * determinizing the reverse NFA gives an accessible DFA of the mirror
 * language; determinizing its reverse gives the minimal DFA of the language.
 * The subset construction numbers subsets breadth-first with symbols in
 * order, which is the canonical numbering already (checked in one pass). */
#include "automata/nfa-private.h"

LkDfa *lk_dfa_minimize_brzozowski(const LkDfa *d, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    LkDfa *cur = lk_dfa_copy(d);
    for (int round = 0; round < 2; round++) {
        LkNfa *rev = lk_nfa_reverse_dfa(cur);
        lk_dfa_free(cur);
        cur = lk_nfa_determinize(rev, limits, error);
        lk_nfa_free(rev);
        if (!cur) return NULL;
    }
    LkDfa *c = lk_dfa_canonical(cur);
    lk_dfa_free(cur);
    return c;
}

LkDfa *lk_nfa_minimal_by_reversal(const LkNfa *a, uint32_t reverse_cap, const LkLimits *limits,
                                  GError **error)
{
    if (reverse_cap == 0) return NULL; /* 0 would read as "the default" */
    LkLimits cap;
    lk_limits_resolve(&cap, limits);
    const uint64_t max = cap.max_states;
    cap.max_states = MIN(max, (uint64_t)reverse_cap);
    LkNfa *rev = lk_nfa_reverse(a);
    LkDfa *mirror = lk_nfa_determinize_within(rev, cap.max_states, 64ull * a->n + 4096);
    lk_nfa_free(rev);
    if (!mirror) return NULL; /* over the cap: not an error */
    rev = lk_nfa_reverse_dfa(mirror);
    lk_dfa_free(mirror);
    cap.max_states = max;
    LkDfa *d = lk_nfa_determinize(rev, &cap, error);
    lk_nfa_free(rev);
    if (!d || lk_dfa_is_canonical(d)) return d;
    LkDfa *c = lk_dfa_canonical(d);
    lk_dfa_free(d);
    return c;
}
