/** @file
 * lrnnkit — the constructive corpus (Theorem 4 of Grazzi et al. made
 * concrete): every built-in group family up to a size bound and every
 * language of a complete DFA with at most 3 states over 2 letters is
 * compiled (lk_stack_compile_dfa, any strategy) and the model verified
 * exactly for every input length (lk_stack_verify).
 *
 * The small DFAs are enumerated as transition tables with start 0 and every
 * accepting set (1 + 16*4 + 729*8 tables), minimized and kept once per
 * minimal DFA: minimal DFAs are numbered canonically, so equal JSON means
 * isomorphic (the same language).
 */
#pragma once

#include "lrnn/lrnn.h"

G_BEGIN_DECLS

/** One DFA of the construction check. */
typedef struct {
    char *name;               /**< family name, or the small DFA's table */
    uint32_t states;          /**< of the minimal DFA */
    const char *construction; /**< "group", "permutation-reset", "holonomy"; NULL: not compiled */
    uint32_t layers;          /**< of the compiled stack */
    bool verified;            /**< the exact verifier proved it */
} LkConstructCase;

/** The construction check's results. */
typedef struct {
    GArray *cases;        /**< LkConstructCase */
    uint32_t compiled;    /**< cases compiled */
    uint32_t verified;    /**< cases verified */
    uint32_t unsupported; /**< cases no construction applies to */
} LkConstructReport;

/** Frees what r holds (not r itself); accepts a zeroed struct. */
void lk_construct_report_clear(LkConstructReport *r);

/** Runs the corpus; families whose minimal DFA has more than max_states
 * states are skipped (0: 120, S_5). */
void lk_prove_construct(uint32_t max_states, LkConstructReport *out);

G_END_DECLS
