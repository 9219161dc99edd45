/* lrnnkit — cascades of permutation-reset automata (THEORY.md §4, Definition 1).
 *
 * Level i has n_i states and reads the letter together with the states of
 * levels 0..i-1 *before* the letter (the cascade product B o A runs A on the
 * input and B on (state of A, letter)). Its transitions are one map of its
 * states per (context, letter), each a permutation or a constant map (a
 * reset); the context of level i is the tuple of states of levels 0..i-1 in
 * mixed radix, level 0 most significant (level 0 has one context). A cascade
 * state is the tuple of all levels' states, numbered the same way; the final
 * map sends tuples to outputs (DFA states, -1 for none) and accept marks the
 * accepting outputs.
 *
 * JSON ("lrnnkit-cascade", version 1):
 *   {"format": "lrnnkit-cascade", "version": 1, "alphabet": ["a", "b"],
 *    "levels": [{"states": 2, "start": 0,
 *                "delta": [[[1, 0], [0, 0]]]},        // [context][letter][state]
 *               ...],
 *    "map": [0, 1, 2, -1],                             // optional: identity
 *    "accept": [true, false, false]}                   // per output
 */
#pragma once

#include "automata/dfa.h"

G_BEGIN_DECLS

typedef struct {
    uint32_t n;      /* states */
    uint32_t start;  /* initial state */
    uint32_t ctx;    /* contexts: product of the state counts of the levels before */
    uint32_t *delta; /* ctx * k * n: delta[(c * k + a) * n + q] */
} LkCascadeLevel;

typedef struct {
    LkAlphabet *alphabet;
    uint32_t k;
    uint32_t n_levels;
    LkCascadeLevel *level;
    uint64_t tuples; /* product of all state counts */
    uint32_t n_out;  /* outputs */
    int32_t *map;    /* tuples entries: output or -1 */
    uint8_t *accept; /* n_out flags */
} LkCascade;

void lk_cascade_free(LkCascade *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkCascade, lk_cascade_free)

/* Reads and validates a cascade: shapes, ranges, every map a permutation or
 * a constant (LK_ERROR_INPUT naming the level, context and letter); at most
 * limits->max_states tuples and transition entries (LK_ERROR_LIMIT). */
LkCascade *lk_cascade_from_json(const char *text, gssize len, const LkLimits *limits,
                                GError **error);
LkCascade *lk_cascade_load(const char *path, const LkLimits *limits, GError **error);
char *lk_cascade_to_json(const LkCascade *c);

/* The tuple of level states (states[i] for level i) as one number, and the
 * context index of level i (the tuple of levels 0..i-1). */
uint64_t lk_cascade_tuple(const LkCascade *c, const uint32_t *states, uint32_t levels);

/* The automaton the cascade defines: breadth-first over the tuples reachable
 * from the start (O(reachable * k * levels)), accepting where the output is.
 * LK_ERROR_INPUT when a reachable tuple has no output (map -1). */
LkDfa *lk_cascade_to_dfa(const LkCascade *c, GError **error);

G_END_DECLS
