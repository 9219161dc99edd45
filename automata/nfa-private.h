/* lrnnkit — the subset constructions that give up instead of failing: the
 * AUTO minimizer (regex-compile.c) and Brzozowski's (dfa-brzozowski.c) try
 * them first and go another way when they give up, so "NULL without an
 * error" is an answer here, not a failure. Not a public header. */
#pragma once

#include "automata/nfa.h"

G_BEGIN_DECLS

/* lk_nfa_determinize with a budget instead of an error: NULL when it would
 * pass max_states subsets, or visit more than max_visits member states in
 * all (the work of the dense and sparse paths is proportional to that). */
LkDfa *lk_nfa_determinize_within(const LkNfa *a, uint64_t max_states, uint64_t max_visits);

/* Minimal canonical DFA of an NFA by double reversal (Brzozowski): the
 * reverse is determinized first, and only when that takes at most
 * `reverse_cap` subsets is the reverse of the result determinized, which
 * gives the minimal DFA directly: no minimizer runs and the large subset
 * construction produces nothing but minimal states. Returns NULL without an
 * error when the reverse passes the cap (the caller goes forward instead),
 * NULL with LK_ERROR_LIMIT when the minimal DFA passes limits->max_states.
 * Cost: two subset constructions, the second of exactly the minimal DFA's
 * size over subsets of at most reverse_cap states. */
LkDfa *lk_nfa_minimal_by_reversal(const LkNfa *a, uint32_t reverse_cap, const LkLimits *limits,
                                  GError **error);

G_END_DECLS
