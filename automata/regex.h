/** @file
 * lrnnkit — regular expressions.
 *
 * Syntax (a regex always matches whole words):
 *   a            a symbol: any character but the specials  \ . [ ] ( ) | * + ? { } < > & ~
 *   \c           the character c taken literally (e.g. \* \\ \ )
 *   `<name>`     a multi-character symbol (`<push>`); `<a>` is the same as a
 *   .            any symbol of the alphabet
 *   [abc] [a-c]  a class: symbols, `<names>`, ranges of single characters;
 *   [^ab]        the symbols of the alphabet not listed; [] is the empty language
 *   ()           the empty word
 *   (R)          grouping
 *   R*  R+  R?   repetition; R{m} R{m,} R{m,n} counted repetition (m, n <= 100000)
 *   RS           concatenation
 *   ~R           complement (all words over the alphabet not in R); binds tighter
 *                than concatenation and looser than postfix: ~a* is ~(a*)
 *   R&S          intersection; binds looser than concatenation: ab&a* is (ab)&(a*)
 *   R|S          union; the loosest
 * Alphabet: given explicitly, or the symbols that occur in the regex sorted by
 * code point; `.`, `[^..]` and `~` need an explicit alphabet.
 */
#pragma once

#include "automata/dfa.h"

G_BEGIN_DECLS

/** A parsed regex bound to its alphabet (opaque). */
typedef struct LkRegex LkRegex;

/** @{ */
/** Parses text and binds its symbols to alphabet (NULL: derive it). Errors
 * (LK_ERROR_INPUT) name the 1-based column in characters. */
LkRegex *lk_regex_parse(const char *text, LkAlphabet *alphabet, GError **error);
/** Frees re (NULL is ignored). */
void lk_regex_free(LkRegex *re);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkRegex, lk_regex_free)
/** @} */
/** Borrowed alphabet the regex is bound to. */
LkAlphabet *lk_regex_alphabet(const LkRegex *re);
/** The regex's text as parsed (borrowed from re). */
const char *lk_regex_text(const LkRegex *re);

/** How a regex's automaton is made minimal. HOPCROFT: subset construction,
 * then Moore rounds / Hopcroft (lk_dfa_minimize_hopcroft). BRZOZOWSKI: subset
 * construction, then double reversal of that DFA. AUTO (the default):
 * determinize the reverse of the Glushkov automaton first; when it has at
 * most as many states as there are positions (plus a small constant), the
 * minimal DFA comes from a second subset construction alone
 * (lk_nfa_minimal_by_reversal), else HOPCROFT. All give the same DFA. */
typedef enum { LK_MINIMIZE_HOPCROFT, LK_MINIMIZE_BRZOZOWSKI, LK_MINIMIZE_AUTO } LkMinimizer;

/** @{ */
/** Minimal canonical DFA of the regex (LK_MINIMIZE_AUTO): Glushkov automaton
 * (O(positions^2) follow edges at worst), subset construction, minimization; `~` and `&`
 * subexpressions are compiled to minimal DFAs first (complement, product) and
 * spliced in as position automata. Positions are counted after expanding
 * {m,n}; LK_ERROR_LIMIT past limits->max_positions or ->max_states. */
LkDfa *lk_regex_compile(const LkRegex *re, const LkLimits *limits, GError **error);
LkDfa *lk_regex_compile_with(const LkRegex *re, LkMinimizer how, const LkLimits *limits,
                             GError **error);
/** @} */

/** Reference matcher by recursion over the syntax tree (memoized per node and
 * span: O(nodes L^3) for a word of length L), independent of the automata
 * code; an oracle for tests on short words. */
bool lk_regex_matches_backtrack(const LkRegex *re, const uint32_t *word, size_t len);

G_END_DECLS
