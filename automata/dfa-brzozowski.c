/* Brzozowski's minimization (1962): reverse, determinize, reverse,
 * determinize. Determinizing the reverse of an accessible DFA yields the
 * minimal DFA of the reversed language, so two rounds give the minimal DFA of
 * the language itself. Exponential in the worst case (bounded by
 * limits->max_states); independent of the partition-refinement code, which
 * the tests cross-check it against. */
#include "automata/nfa.h"

LkDfa *lk_dfa_minimize_brzozowski(const LkDfa *d, const LkLimits *limits, GError **error)
{
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
