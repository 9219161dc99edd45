/** @file
 * lrnnkit — nondeterministic finite automata without epsilon moves.
 *
 * An LkNfa has n states, k symbols, a set of initial states, an accepting
 * flag per state, and its transitions grouped by (state, symbol) in CSR form:
 * the successors of q on a are dst[off[q*k + a] .. off[q*k + a + 1]).
 * Glushkov automata of regexes, reversed DFAs and products all take this form.
 */
#pragma once

#include "automata/dfa.h"

G_BEGIN_DECLS

/** An NFA without epsilon moves, transitions in compressed rows: the
 * successors of q on a are dst[off[q*k + a] .. off[q*k + a + 1]). */
typedef struct {
    uint32_t n;           /**< states */
    uint32_t k;           /**< symbols */
    uint32_t *off;        /**< n*k + 1 */
    uint32_t *dst;        /**< successors, off[n*k] of them */
    uint8_t *accept;      /**< n flags */
    uint32_t *init;       /**< n_init states */
    uint32_t n_init;      /**< initial states */
    LkAlphabet *alphabet; /**< a reference the NFA holds */
} LkNfa;

/** @{ */
/** NFA with n states and the given transitions (triples src, sym, dst; copied
 * and grouped by a counting sort, O(n k + e)). No initial or accepting states
 * yet: fill init/n_init (g_malloc'd) and accept. */
LkNfa *lk_nfa_new(LkAlphabet *alphabet, uint32_t n, const uint32_t *triples, size_t n_triples);
/** Frees a (NULL is ignored). */
void lk_nfa_free(LkNfa *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkNfa, lk_nfa_free)
void lk_nfa_set_init(LkNfa *a, const uint32_t *states, uint32_t count);
/** @} */

/** The reverse of a DFA: edges turned around, initial = accepting states,
 * accepting = the start. Accepts the mirror image of the language. */
LkNfa *lk_nfa_reverse_dfa(const LkDfa *d);
/** The reverse of an NFA: edges turned around, initial and accepting states
 * swapped. O(n k + e). */
LkNfa *lk_nfa_reverse(const LkNfa *a);

/** Subset construction over the subsets reachable from the initial set; the
 * result is complete (the empty subset becomes a sink when reached), state 0
 * is the initial subset, and it is not minimized; subsets are numbered
 * breadth-first with symbols in order (the canonical numbering). With
 * n <= 64 (and k byte tables within 8 MiB) a subset is one word, its successors ORs of byte
 * tables, and the hash slots hold the keys; otherwise subsets are bitsets
 * with precomputed successor masks when n k ceil(n/64) words fit in 32 MiB,
 * else sorted lists, interned in one open-addressing hash table.
 * O(2^n) in the worst case: LK_ERROR_LIMIT past limits->max_states. */
LkDfa *lk_nfa_determinize(const LkNfa *a, const LkLimits *limits, GError **error);

G_END_DECLS
