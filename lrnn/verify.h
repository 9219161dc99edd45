/** @file
 * lrnnkit — the exact verifier: a model implements a DFA for every input
 * length, or the shortest word on which it does not.
 */
#pragma once

#include "lrnn/stack.h"

G_BEGIN_DECLS

/** Float engines the verifier measures: f64, f32, bf16, f16. */
#define LK_VERIFY_ENGINES 4

/** The verifier's answer (a caller's struct; lk_verify_result_clear frees what it holds). */
typedef struct {
    bool verified;          /**< the model accepts exactly the DFA's language */
    GArray *counterexample; /**< uint32 tokens, when not verified */
    uint64_t pairs;         /**< reachable (DFA state, LRNN state) pairs */
    uint64_t lrnn_states;   /**< distinct exact LRNN states */
    double max_float_error; /**< largest |float - exact| over the pairs (f32 engine) */
    double max_float_errors[LK_VERIFY_ENGINES]; /**< the same for f64, f32, bf16, f16 */
    /** exact verification: for every output of the stack, the DFA state it
     * meets on the reachable pairs (-1: none, -2: several); owned */
    int64_t *output_states;
} LkVerifyResult;

/** Breadth-first search over the pairs (DFA state, exact H) reachable from the
 * start: the model implements d for every input length iff the map H -> DFA
 * state is a function on them and the readout agrees with acceptance. The
 * first failure found is on a shortest word. LK_ERROR_LIMIT past
 * limits->max_pairs pairs or when they would pass limits->max_memory (each
 * pair holds its float states, 32 bytes per state coordinate, and may bring a
 * new exact state); NULL limits: the defaults. */
bool lk_lrnn_verify(const LkLrnn *m, const LkDfa *d, const LkLimits *limits, LkVerifyResult *out,
                    GError **error);
/** @{ */
/** The same over a stack: pairs (DFA state, exact states of every layer). */
bool lk_stack_verify(const LkStack *s, const LkDfa *d, const LkLimits *limits, LkVerifyResult *out,
                     GError **error);
/** Frees what r holds (not r itself); accepts a zeroed struct. */
void lk_verify_result_clear(LkVerifyResult *r);
/** @} */

/** The same for the float engine e (not exact): the search runs the model as
 * lk_stack_run(e) does, over (DFA state, float state bit pattern) pairs,
 * finitely many in a float format: a certificate for every input length in
 * e, or a shortest word on which rounding breaks it (max_float_error 0).
 * LK_ERROR_LIMIT past the limits, as above. */
bool lk_stack_verify_float(const LkStack *s, const LkDfa *d, LkEngine e, const LkLimits *limits,
                           LkVerifyResult *out, GError **error);

G_END_DECLS
