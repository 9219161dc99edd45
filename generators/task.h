/** @file
 * lrnnkit — the state-tracking tasks researchers train on (parity, modular counting, group word
 * problems, flip-flop, arithmetic: the tasks of the state-tracking literature).
 *
 * A task draws one example of a given length from a random generator: token
 * ids in 0..V-1 (its vocabulary), a label per position (the label of the
 * prefix ending there) and a mask of the positions whose label counts. The
 * final label of an example is the label of its last position. Tasks:
 *
 *   parity, mod:M       tokens 0 1; label = number of 1s mod 2 / mod M
 *   cycle:M             tokens - 0 + (step back, stay, step forward on a cycle
 *                       of length M, default 5); label = position
 *   evenpairs           tokens a b; label 1 when the number of ab and ba is even (first = last)
 *   Z:M, S:N, A:N, D:N  group word problems with the families' token variants
 *                       (/all, /swaps, /swaps3, /gens); products G1xG2x...
 *                       (A:4xZ:5); label = the prefix product, numbered as the
 *                       states of the family's canonical DFA (the identity is 0)
 *   flipflop            tokens w0 w1 r i (write 0/1, read, ignore) drawn with
 *                       the given probabilities (the first is a write); label =
 *                       the last written bit, counted at the reads
 *   arith               x op x op ... x = over 0..m-1 (m = 5) with + - *, *
 *                       binding tighter; label = the value so far (mod m),
 *                       counted after each operand and at '='
 *   arith-brackets      the same with nested ( ); label counted where the
 *                       prefix is a complete expression, and at '='
 *   member              membership in a DFA (regex, file, family): label 1 when
 *                       the prefix is accepted; examples alternate accepted /
 *                       rejected (class = index mod 2), each uniform over the
 *                       words of its length and class (exact counts)
 *
 * Group and counting tasks draw tokens uniformly; with pad K every token is
 * followed by K - 1 identity tokens (K tokens per transition). The label
 * oracle of the DFA tasks is the family's DFA (automata/families.h).
 */
#pragma once

#include "automata/count.h"
#include "automata/dfa.h"
#include "automata/rng.h"

G_BEGIN_DECLS

/** Options of lk_task_new (zero: defaults; pointers borrowed). */
typedef struct {
    uint32_t pad;       /**< tokens per transition (group and counting tasks) */
    double p_write;     /**< flipflop: write probability (0: 0.1) */
    double p_read;      /**< flipflop: read probability (0: 0.1) */
    double p_ignore;    /**< flipflop: ignore probability (0: 0.8) */
    uint32_t modulus;   /**< arith (0: 5) */
    const LkDfa *dfa;   /**< member: the language */
    const char *source; /**< member: how the DFA was given, for the manifest */
    uint32_t max_len;   /**< member: the longest example to draw */
    LkLimits limits;    /**< for the automata a task builds */
} LkTaskOptions;

/** One task, as listed by lk_tasks (static strings). */
typedef struct {
    const char *name;    /**< as lk_task_new takes it ("S:N", "parity", ...) */
    const char *options; /**< the options it reads */
    const char *summary; /**< one line */
} LkTaskInfo;

/** The tasks (static); *count gets their number. */
const LkTaskInfo *lk_tasks(size_t *count);

/** A dataset task: vocabulary, labels and the automaton that labels (opaque). */
typedef struct LkTask LkTask;

/** @{ */
/** LK_ERROR_INPUT for an unknown task or bad options, LK_ERROR_LIMIT when an
 * automaton exceeds limits. */
LkTask *lk_task_new(const char *spec, const LkTaskOptions *opt, GError **error);
/** Frees t (NULL is ignored). */
void lk_task_free(LkTask *t);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkTask, lk_task_free)
/** @} */

/** The task's spec as given (borrowed from t). */
const char *lk_task_name(const LkTask *t);
/** @{ */
/** Vocabulary (token names, ids = indices) and label names, borrowed from t. */
const LkAlphabet *lk_task_vocabulary(const LkTask *t);
uint32_t lk_task_n_labels(const LkTask *t);
const char *lk_task_label_name(const LkTask *t, uint32_t label);
/** @} */
/** Whether some positions do not count (arith, flipflop). */
bool lk_task_masked(const LkTask *t);
/** Number of example classes drawn in turn (member: 2, else 1). */
uint32_t lk_task_classes(const LkTask *t);
/** When the label of every prefix is a function of the state the family's
 * minimal canonical DFA (lk_family_dfa of the task's name) reaches on it
 * (group, counting and cycle tasks, flip-flop): that function, one label per
 * state (*n_states of them); else NULL. */
const int32_t *lk_task_state_labels(const LkTask *t, uint32_t *n_states);
/** The task's parameters as a JSON object (for manifests). */
char *lk_task_parameters_json(const LkTask *t);

/** log of the number of distinct inputs of length len in class cls, -INFINITY
 * when there is none (lengths a task cannot produce: odd arith inputs,
 * lengths not a multiple of pad, empty classes). For arith-brackets, whose
 * inputs are not drawn uniformly, every valid length gets 0. */
double lk_task_log_count(const LkTask *t, uint32_t cls, uint32_t len);

/** Draws an example of length len in class cls into tokens, labels and mask
 * (len entries each). The length must have lk_task_log_count > -INFINITY.
 * Cost O(len) (member: O(len k) big-integer comparisons). */
void lk_task_draw(const LkTask *t, LkRng *rng, uint32_t cls, uint32_t len, int32_t *tokens,
                  int32_t *labels, uint8_t *mask);

G_END_DECLS
