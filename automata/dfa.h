/** @file
 * lrnnkit — complete deterministic finite automata.
 *
 * An LkDfa has n >= 1 states 0..n-1, k symbols (its alphabet), a total
 * transition table delta[q*k + a], a start state and an accepting flag per
 * state. The struct is transparent, like FLINT's matrices: algorithms read
 * the arrays directly. The DFA owns its arrays and holds a reference to its
 * alphabet.
 *
 * Canonical form: only states reachable from the start, numbered in
 * breadth-first order from the start (start = 0), successors visited in
 * alphabet order. Two minimal DFAs accept the same language iff their
 * canonical forms are equal array for array; every minimizer in lrnnkit
 * returns canonical DFAs.
 */
#pragma once

#include "automata/alphabet.h"
#include "automata/error.h"

#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** A complete DFA (see the file's description); owns its arrays. */
typedef struct {
    uint32_t n;           /**< states */
    uint32_t k;           /**< symbols */
    uint32_t start;       /**< start state */
    uint32_t *delta;      /**< n*k successor table */
    uint8_t *accept;      /**< n flags */
    LkAlphabet *alphabet; /**< k symbols (a reference the DFA holds) */
} LkDfa;

/** @{ */
/** New DFA with n states, all transitions to state 0, nothing accepted.
 * Takes a new reference to alphabet. */
LkDfa *lk_dfa_new(LkAlphabet *alphabet, uint32_t n, uint32_t start);
/** Frees d (NULL is ignored). */
void lk_dfa_free(LkDfa *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkDfa, lk_dfa_free)
/** A deep copy of d (new). */
LkDfa *lk_dfa_copy(const LkDfa *d);
/** @} */

/** @{ */
/** Runs d on a word; returns the state reached. O(len). */
uint32_t lk_dfa_run(const LkDfa *d, uint32_t from, const uint32_t *word, size_t len);
bool lk_dfa_accepts(const LkDfa *d, const uint32_t *word, size_t len);
/** @} */

/** Whether d is numbered canonically already (one pass, O(n k)). */
bool lk_dfa_is_canonical(const LkDfa *d);
/** Canonical form of the part reachable from the start (see above). O(n k). */
LkDfa *lk_dfa_canonical(const LkDfa *d);
/** True when d and e have the same alphabet and identical arrays. */
bool lk_dfa_equal(const LkDfa *d, const LkDfa *e);
/** Number of accepting states. */
uint32_t lk_dfa_accept_count(const LkDfa *d);

/** @{ */
/** Minimal canonical DFA for the language of d.
 * lk_dfa_minimize_hopcroft: partition refinement in Hopcroft's
 * "process the smaller half" form, with transitions partitioned too
 * (Valmari & Lehtinen 2008, Valmari 2012): O(n + m log n), m = n k.
 * lk_dfa_minimize_brzozowski: determinize(reverse(determinize(reverse(d))));
 * worst case exponential, bounded by limits->max_states (LK_ERROR_LIMIT).
 * lk_dfa_minimize is the default (Hopcroft). */
LkDfa *lk_dfa_minimize_hopcroft(const LkDfa *d);
LkDfa *lk_dfa_minimize_brzozowski(const LkDfa *d, const LkLimits *limits, GError **error);
LkDfa *lk_dfa_minimize(const LkDfa *d);
/** @} */

/** Minimal canonical DFA of a finite set of words (count words, the i-th of
 * lengths[i] symbols, all concatenated in symbols; repeats allowed), built
 * incrementally from the sorted list (Daciuk et al. 2000) without any larger
 * intermediate automaton. O(L log W + L k) for total length L and W words;
 * LK_ERROR_LIMIT when it has more than limits->max_states states,
 * LK_ERROR_INPUT for a symbol outside the alphabet. */
LkDfa *lk_dfa_from_words(LkAlphabet *alphabet, const uint32_t *symbols, const uint32_t *lengths,
                         size_t count, const LkLimits *limits, GError **error);

/** Complement (same alphabet); minimal when d is. O(n k). */
LkDfa *lk_dfa_complement(const LkDfa *d);
/** @{ */
/** Product automaton over the reachable pairs; accepting by op. The alphabets
 * must be equal. Not minimized. O(reachable pairs * k); LK_ERROR_LIMIT when
 * the pairs exceed limits->max_states. */
typedef enum { LK_PRODUCT_AND, LK_PRODUCT_OR, LK_PRODUCT_DIFF, LK_PRODUCT_XOR } LkProductOp;
LkDfa *lk_dfa_product(const LkDfa *d, const LkDfa *e, LkProductOp op, const LkLimits *limits,
                      GError **error);
/** @} */

/** Emptiness and the shortest accepted word (least in shortlex order among
 * the shortest), appended to word (a GArray of uint32_t) when not NULL.
 * Breadth-first search, O(n k). */
bool lk_dfa_shortest_accepted(const LkDfa *d, GArray *word);
/** @{ */
/** live[q] = 1 when some accepting state is reachable from q. O(n k). */
void lk_dfa_live_states(const LkDfa *d, uint8_t *live);
bool lk_dfa_is_empty(const LkDfa *d);
/** @} */
/** @{ */
/** Whether L(d) = L(e) (resp. L(d) is included in L(e)) in *equal (resp.
 * *included); when not, the shortest counterexample (shortlex-least) is
 * appended to counterexample (if not NULL). false on error: different
 * alphabets, LK_ERROR_LIMIT on the product. */
bool lk_dfa_equivalent(const LkDfa *d, const LkDfa *e, bool *equal, GArray *counterexample,
                       const LkLimits *limits, GError **error);
bool lk_dfa_included(const LkDfa *d, const LkDfa *e, bool *included, GArray *counterexample,
                     const LkLimits *limits, GError **error);
/** @} */
/** The sorted union of two alphabets (a new reference to a when equal). */
LkAlphabet *lk_alphabet_union(LkAlphabet *a, const LkAlphabet *b);
/** d over a larger alphabet: the new symbols lead to a rejecting sink. Fails
 * when a symbol of d is missing from alphabet. Not minimized. */
LkDfa *lk_dfa_with_alphabet(const LkDfa *d, LkAlphabet *alphabet, GError **error);

/** @{ */
/** JSON (format "lrnnkit-dfa", version 1):
 *   {"format": "lrnnkit-dfa", "version": 1, "alphabet": [names], "states": n,
 *    "start": q0, "accept": [sorted states], "delta": [[succ per symbol], ...]}
 * Writing is O(n k) with no intermediate tree. Reading validates everything and
 * names the offending field; `where` (a file name, or NULL) prefixes messages. */
char *lk_dfa_to_json(const LkDfa *d);
LkDfa *lk_dfa_from_json(const char *text, gssize len, const char *where, GError **error);
LkDfa *lk_dfa_load(const char *path, GError **error);
/** @} */
/** Atomic write (temporary file, then rename). */
bool lk_dfa_save(const LkDfa *d, const char *path, GError **error);

/** Graphviz DOT: one edge per (source, target), labelled by its symbols, with
 * runs of three or more consecutive characters (a, b, c, d) written "a-d". */
char *lk_dfa_to_dot(const LkDfa *d);

/** JSON string literal of s (with quotes) appended to out. */
void lk_json_append_string(GString *out, const char *s);

G_END_DECLS
