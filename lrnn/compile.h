/** @file
 * lrnnkit — the compiler: DFAs to LRNN weights (Theorems 3 and 4 of
 * Grazzi et al.): group and permutation-reset automata as one layer,
 * every other DFA through its holonomy cascade as a routed stack.
 */
#pragma once

#include "lrnn/stack.h"
#include "automata/semigroup/cascade.h"

G_BEGIN_DECLS

/** Sizes of a compiled model, as `lrnnkit compile` reports them. */
typedef struct {
    uint32_t layers;          /**< layers of the stack */
    uint32_t state_dim;       /**< sum of the layers' state dimensions */
    uint32_t tokens;          /**< tokens of all layers */
    uint32_t max_factors;     /**< most Householder factors of one token */
    double mean_factors;      /**< mean factors per token */
    uint64_t parameters;      /**< numbers in the weights */
    const char *construction; /**< "group" or "permutation-reset" */
} LkCompileReport;

/** One layer for a DFA whose letters are all permutations (Theorem 3) or
 * permutations and constant maps (permutation-reset automata). Permutations
 * become n - (number of cycles) reflections (beta = 2, u = e_i - e_j), constant maps n
 * projections writing e_q (beta = 1, u = e_i, c = [i = q]), or with gated, a
 * gate 0 and one write. LK_ERROR_INPUT for any other DFA. */
LkLrnn *lk_lrnn_compile(const LkDfa *d, bool gated, LkCompileReport *report, GError **error);

/** One layer for a group DFA given how each letter permutes `degree` points
 * (perms[a*degree + i]), a faithful action smaller than the DFA's own (S_5 on
 * 5 points rather than 120): H0 = (1, ..., degree), each letter degree -
 * (number of cycles) reflections, and a codebook readout of the |G| arrangements. With
 * degree 1 and the letters given as +1 / -1 (perms = 0 / 1), a scalar model:
 * parity as H -> -H. LK_ERROR_INPUT when the action is not faithful. */
LkLrnn *lk_lrnn_compile_action(const LkDfa *d, uint32_t degree, const uint8_t *perms,
                               LkCompileReport *report, GError **error);

/** Parity-like DFAs (2 states, every letter fixes or swaps them) as the
 * scalar model H -> -H or H: lk_lrnn_compile_action with degree 1.
 * LK_ERROR_INPUT for any other DFA. */
LkLrnn *lk_lrnn_compile_scalar(const LkDfa *d, LkCompileReport *report, GError **error);

/** Z_m as a 2-D rotation: one angular layer (see above) for a DFA whose
 * letters generate a cyclic group; every letter is two reflections (or none
 * for the identity). LK_ERROR_INPUT for any other DFA. */
LkLrnn *lk_lrnn_compile_rotation(const LkDfa *d, LkCompileReport *report, GError **error);

/** One routed layer per level of a cascade of permutation-reset automata:
 * level i's distinct maps become layer i's tokens (each compiled as by
 * lk_lrnn_compile: reflections for permutations, projections or a gate for
 * resets), its (context, letter) pairs the route, and the cascade's output
 * map and accept on top. A cascade of no levels is LK_ERROR_INPUT;
 * LK_ERROR_LIMIT when the layers' exact entries would pass
 * limits->max_memory (checked level by level before each is made). */
LkStack *lk_stack_compile_cascade(const LkCascade *c, bool gated, const LkLimits *limits,
                                  GError **error);

/** Which construction lk_stack_compile_dfa uses. */
typedef enum {
    LK_STRATEGY_AUTO,              /**< permutation-reset when it applies, else holonomy */
    LK_STRATEGY_GROUP,             /**< every letter a permutation: one layer */
    LK_STRATEGY_PERMUTATION_RESET, /**< permutations and resets: one layer */
    LK_STRATEGY_HOLONOMY,          /**< the holonomy cascade: one layer per level */
    LK_STRATEGY_SCALAR,   /**< two-state parity-like DFAs: H -> -H (lk_lrnn_compile_scalar) */
    LK_STRATEGY_ROTATION, /**< cyclic groups: a 2-D rotation (lk_lrnn_compile_rotation) */
    LK_STRATEGY_POINTS,   /**< a group family on its points (opt->family;
                           * lk_lrnn_compile_action) */
} LkStrategy;

/** The strategy called name ("auto", "group", "permutation-reset",
 * "holonomy", "scalar", "rotation", "points"); false when none is. */
bool lk_strategy_parse(const char *name, LkStrategy *out);

/** Bytes an exact model entry takes (its mpq_t, limbs and allocator
 * overhead; measured on S_5's 1.2 million entries, ~92 bytes). */
#define LK_EXACT_ENTRY_BYTES 96u

/** The exact entries lk_lrnn_compile makes for d (each factor: n coordinates,
 * beta and value), counted without making them: O(n k). */
uint64_t lk_lrnn_compile_entries(const LkDfa *d, bool gated);

/** Options of lk_stack_compile_dfa (zero: defaults). */
typedef struct {
    bool gated;         /**< resets as a gate 0 and one write */
    LkLimits limits;    /**< max_images: holonomy's extended image set; max_states: its
                         * reachable cascade states; max_memory: the model's exact
                         * entries (0: defaults) */
    bool no_merge;      /**< holonomy: one layer per level (each narrowed) */
    uint32_t max_width; /**< holonomy: widest merged level (0: the DFA's states) */
    const char *family; /**< points: the group family d is (borrowed; "S:5") */
} LkCompileOptions;

/** What lk_stack_compile_dfa did. */
typedef struct {
    const char *construction; /**< "group", "permutation-reset" or "holonomy" (static) */
    uint32_t holonomy_levels; /**< levels of the holonomy cascade before merging (or 0) */
} LkCompileInfo;

/** Any DFA as a stack (Theorem 4), by strategy: one layer for group and permutation-reset
 * automata (lk_lrnn_compile), otherwise one routed layer per level of the
 * holonomy cascade (holonomy.h, lk_stack_compile_cascade) after merging
 * runs of adjacent levels (lk_cascade_merge_levels) unless opt->no_merge;
 * or one of the special one-layer constructions (scalar, rotation, points).
 * *info (may be NULL) says which construction and how many levels. LK_ERROR_INPUT when a
 * forced strategy does not apply (a one-state DFA has no holonomy level),
 * LK_ERROR_LIMIT from the decomposition's limits, or when the model's exact
 * entries (LK_EXACT_ENTRY_BYTES each) would pass opt->limits.max_memory,
 * checked before they are made. */
LkStack *lk_stack_compile_dfa(const LkDfa *d, LkStrategy strategy, const LkCompileOptions *opt,
                              LkCompileInfo *info, GError **error);
/** Report of a compiled stack (construction as given). */
void lk_stack_report(const LkStack *s, const char *construction, LkCompileReport *r);

G_END_DECLS
