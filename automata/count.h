/** @file
 * lrnnkit — exact counting and uniform sampling of the words of a DFA.
 *
 * Counts are exact (GMP). Forward counting keeps one vector of per-state word
 * counts: O(N n k) big additions for all lengths up to N (targets reached by
 * several symbols are added once with their multiplicity). Sampling keeps the
 * backward table c_i(q) = the number of accepted words of length i read from q, for
 * i = 0..N and the states that can still accept, and draws a uniform random
 * word of length N symbol by symbol: P(a) = c_{r-1}(delta(q,a)) / c_r(q).
 */
#pragma once

#include "automata/dfa.h"
#include "automata/rng.h"

#include <gmp.h>

G_BEGIN_DECLS

/** out[i] = number of accepted words of length i, for i = 0..max_len.
 * out must hold max_len + 1 initialized mpz_t. */
void lk_dfa_count_up_to(const LkDfa *d, uint32_t max_len, mpz_t *out);
/** out = number of accepted words of length len. */
void lk_dfa_count(const LkDfa *d, uint32_t len, mpz_t out);
/** The same in decimal (new string; for callers without GMP, such as the
 * Python package). */
char *lk_dfa_count_text(const LkDfa *d, uint32_t len);

/** Backward count table of a DFA (opaque). */
typedef struct LkCountTable LkCountTable;
/** @{ */
/** Backward counts for lengths 0..max_len: O(max_len n k) big additions and
 * O(max_len n) big integers of memory. */
LkCountTable *lk_count_table_new(const LkDfa *d, uint32_t max_len);
/** Frees t (NULL is ignored). */
void lk_count_table_free(LkCountTable *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkCountTable, lk_count_table_free)
/** @} */
/** out = number of accepted words of length len (len <= max_len). */
void lk_count_table_get(const LkCountTable *t, uint32_t len, mpz_t out);
/** Appends to word (GArray of uint32_t) a uniformly random accepted word of
 * length len; false when there is none. O(len k) big comparisons. */
bool lk_count_table_sample(const LkCountTable *t, LkRng *rng, uint32_t len, GArray *word);

G_END_DECLS
