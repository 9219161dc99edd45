/** @file
 * lrnnkit — built-in automata families.
 *
 * A family member is named NAME[:PARAM][/TOKENS]; lk_family_dfa returns its
 * minimal canonical DFA. Group word problems read group elements as tokens,
 * left to right: the state after w1..wt is the product w1 w2 ... wt (apply w1
 * first), the start is the identity and the identity is the only accepting
 * state, so the states are exactly the elements the tokens generate.
 *
 *   parity          tokens 0 1; accepts an even number of 1s (same as mod:2)
 *   mod:M           tokens 0 1; accepts #1s = 0 (mod M)
 *   Z:M             cyclic group; tokens 0..M-1 (add mod M); /gens: 1
 *   S:N, A:N        symmetric / alternating group on 1..N, tokens in cycle
 *                   notation ("e", "(12)", "(123)(45)"; "(1,10)" when N >= 10);
 *                   /all (default), /swaps (e and transpositions), /swaps3
 *                   (also 3-cycles; A:N/swaps3 has e and 3-cycles), /gens
 *                   ((12) and (12..N) for S; (123) and the N- or (N-1)-cycle for A)
 *   D:N             dihedral group of the N-gon (order 2N), tokens r0..r{N-1}
 *                   (rotation by i) and s0..s{N-1} (reflection x -> i - x);
 *                   /gens: r1 and s0
 *   flipflop        tokens w0 w1 r i (as `gen flipflop`): the state is the last
 *                   written bit (0 before any write), accepted when it is 1
 *   evenpairs       tokens a b: accepts when the number of ab and ba is even (first = last)
 *   cycle:M         tokens - 0 + (move on a cycle of length M, default 5);
 *                   accepts when back at position 0
 *   arith           modular arithmetic without brackets: tokens 0..4 + - * =;
 *                   accepts exactly the true equations d (op d)* = r mod 5,
 *                   * binding tighter than + and -
 */
#pragma once

#include "automata/dfa.h"

G_BEGIN_DECLS

/** One family, as listed by lk_families (static strings). */
typedef struct {
    const char *name;    /**< as written, with its parameter: "S:N" */
    const char *tokens;  /**< token variants */
    const char *summary; /**< one line */
} LkFamilyInfo;

/** The families, for listings (static); *count gets their number. */
const LkFamilyInfo *lk_families(size_t *count);

/** Minimal canonical DFA of a family member. LK_ERROR_INPUT for an unknown
 * name or a bad parameter, LK_ERROR_LIMIT when it has more than
 * limits->max_states states. */
LkDfa *lk_family_dfa(const char *spec, const LkLimits *limits, GError **error);

/** For group families: the permutation (images of 0..degree-1) of each token
 * of the alphabet of lk_family_dfa(spec), as a new array of k * degree bytes;
 * NULL with an error for other families. */
uint8_t *lk_family_token_perms(const char *spec, uint32_t *degree, uint32_t *k, GError **error);

/** For group families: the names of the states of d = lk_family_dfa(spec)
 * (the group's elements; d->n NULL-terminated strings): the token reaching
 * the element from the identity when one does, else the permutation in cycle
 * notation. NULL with an error for other families. O(n (k + degree)). */
char **lk_family_element_names(const char *spec, const LkDfa *d, GError **error);

/** A permutation of n points (images of 0..n-1) in cycle notation as the
 * families name tokens: "e", "(12)(345)", "(1,10)" when n >= 10. */
char *lk_perm_name(const uint8_t *p, uint32_t n);

G_END_DECLS
