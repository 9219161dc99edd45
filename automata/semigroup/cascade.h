/** @file
 * lrnnkit — cascades of permutation-reset automata (Definition 1 of
 * Grazzi et al., after Maler & Pnueli 1994).
 *
 * Level i has n_i states and reads the letter together with the states of
 * levels 0..i-1 *before* the letter (the cascade product B o A runs A on the
 * input and B on (state of A, letter)): its context. For each context that
 * occurs the level has one row: a map of its states per letter, each a
 * permutation or a constant map (a reset). Only the contexts that occur are
 * stored (an LkTupleMap from the i-tuple of upper states to the row), since
 * the dense table of prod n_j * k maps explodes with depth. A cascade state
 * is the tuple of all levels' states; the output map sends tuples to outputs
 * (DFA states; a tuple not in the map has none) and accept marks the
 * accepting outputs. Running into a context without a row is an error.
 *
 * JSON ("lrnnkit-cascade"):
 *   version 2 (written):
 *   {"format": "lrnnkit-cascade", "version": 2, "alphabet": ["a", "b"],
 *    "levels": [{"states": 2, "start": 0,
 *                "contexts": [[]], "delta": [[[1, 0], [0, 0]]]},   // [row][letter][state]
 *               {"states": 3, "start": 0,
 *                "contexts": [[0], [1]], "delta": [...]}],          // row i for contexts[i]
 *    "map": [[0, 0, 2], [1, 2, 0]],     // [states of every level..., output]
 *    "accept": [true, false, false]}    // per output
 *   version 1 (read): "delta" dense over all contexts in mixed radix (level 0
 *   most significant), no "contexts"; "map" one output (or -1) per tuple in
 *   mixed radix, or absent for the identity.
 */
#pragma once

#include "automata/dfa.h"
#include "automata/tuple-map.h"

G_BEGIN_DECLS

/** One level of a cascade: its transitions depend on the states above (the context). */
typedef struct {
    uint32_t n;           /**< states */
    uint32_t start;       /**< initial state */
    LkTupleMap *contexts; /**< width = level index: upper states -> row */
    uint32_t *delta;      /**< rows * k * n: delta[(row * k + a) * n + q] */
    uint32_t rows_cap;    /**< rows allocated */
} LkCascadeLevel;

/** A cascade product (see the file's description); owns its levels. */
typedef struct {
    LkAlphabet *alphabet;  /**< a reference the cascade holds */
    uint32_t k;            /**< symbols */
    uint32_t n_levels;     /**< levels, top first */
    LkCascadeLevel *level; /**< n_levels of them */
    LkTupleMap *map;       /**< width n_levels: cascade state -> output */
    uint32_t n_out;        /**< outputs */
    uint8_t *accept;       /**< n_out flags */
} LkCascade;

/** @{ */
/** An empty cascade: levels with states[i] states starting in starts[i], no
 * rows, no outputs (takes a reference to alphabet). */
LkCascade *lk_cascade_new(LkAlphabet *alphabet, uint32_t n_levels, const uint32_t *states,
                          const uint32_t *starts);
/** Frees c (NULL is ignored). */
void lk_cascade_free(LkCascade *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkCascade, lk_cascade_free)
/** @} */

/** The row of level i for context (i states), or UINT32_MAX. */
uint32_t lk_cascade_row(const LkCascade *c, uint32_t i, const uint32_t *context);
/** @{ */
/** The row of level i for context, added when new with every map the
 * identity (*added says which); its maps are delta + row * k * n. */
uint32_t lk_cascade_add_row(LkCascade *c, uint32_t i, const uint32_t *context, bool *added);
static inline uint32_t *lk_cascade_maps(const LkCascade *c, uint32_t i, uint32_t row)
{
    return c->level[i].delta + (size_t)row * c->k * c->level[i].n;
}
/** @} */
/** @{ */
/** Outputs: n_out outputs with their accept flags (copied), and one tuple's. */
void lk_cascade_set_outputs(LkCascade *c, uint32_t n_out, const uint8_t *accept);
void lk_cascade_set_output(LkCascade *c, const uint32_t *state, uint32_t output);
/** @} */
/** The output of a cascade state, or -1. */
int64_t lk_cascade_output(const LkCascade *c, const uint32_t *state);

/** Every map a permutation or a constant, states and outputs in range
 * (LK_ERROR_INPUT naming the level, context and letter). */
bool lk_cascade_validate(const LkCascade *c, GError **error);
/** @{ */
/** One letter: next[i] for every level; false when some level has no row
 * for its context. */
bool lk_cascade_step(const LkCascade *c, const uint32_t *state, uint32_t a, uint32_t *next);
void lk_cascade_start(const LkCascade *c, uint32_t *state);
/** @} */
/** Total rows over the levels. */
uint64_t lk_cascade_rows(const LkCascade *c);

/** @{ */
/** Reads and validates a cascade (versions 1 and 2); at most
 * limits->max_states cascade-state tuples (version 1) and 16 max_states
 * transition entries (LK_ERROR_LIMIT). */
LkCascade *lk_cascade_from_json(const char *text, gssize len, const LkLimits *limits,
                                GError **error);
LkCascade *lk_cascade_load(const char *path, const LkLimits *limits, GError **error);
/** @} */
/** Version 2 JSON. */
char *lk_cascade_to_json(const LkCascade *c);

/** The automaton the cascade defines: breadth-first over the cascade states
 * reachable from the start (O(reachable * k * levels)), accepting where the
 * output is. LK_ERROR_INPUT when a reachable state has no output or runs
 * into a context without a row; LK_ERROR_LIMIT past limits->max_states states. */
LkDfa *lk_cascade_to_dfa(const LkCascade *c, const LkLimits *limits, GError **error);

/** Whether the cascade covers d: breadth-first over the reachable pairs
 * (DFA state, cascade state) from (start, start), the output map must send
 * each cascade state to its DFA state, with matching acceptance (then it is
 * a homomorphism from the reachable cascade onto d). *covers says whether
 * it does; when not, *word (if not NULL) gets a shortest word that breaks
 * it (a GArray of letters). *pairs counts the reachable pairs. Returns false
 * only on error (LK_ERROR_LIMIT past limits->max_pairs, LK_ERROR_INPUT for other
 * alphabets). O(pairs * k * levels). */
bool lk_cascade_covers(const LkCascade *c, const LkDfa *d, const LkLimits *limits, bool *covers,
                       GArray **word, uint64_t *pairs, GError **error);

/** A cascade with fewer levels that runs the same on every reachable state:
 * runs of adjacent levels merged into one permutation-reset level of at
 * most max_width states wherever the merged maps stay permutations or
 * constants on the reachable states (fewest levels, then least total
 * width; see cascade-merge.c), every level rebuilt on its reachable states
 * and narrowed to the states each context allows (max_width 0: no merging,
 * only that).
 * Same alphabet and outputs. LK_ERROR_LIMIT past limits->max_states
 * reachable states, LK_ERROR_INPUT when a reachable state has no row. */
LkCascade *lk_cascade_merge_levels(const LkCascade *c, uint32_t max_width, const LkLimits *limits,
                                   GError **error);

G_END_DECLS
