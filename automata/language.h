/** @file
 * lrnnkit — where a language comes from: a regex, a DFA file, a built-in
 * family or a cascade file, made into a minimal DFA the same way by the
 * command, the Python package and C programs.
 */
#pragma once

#include "automata/dfa.h"
#include "automata/regex.h"

G_BEGIN_DECLS

/** What the text of an LkSource is. */
typedef enum {
    LK_SOURCE_REGEX,        /**< text: the regex */
    LK_SOURCE_DFA_FILE,     /**< text: a DFA JSON file's path (dfa.h) */
    LK_SOURCE_FAMILY,       /**< text: a family name such as "S:5" (families.h) */
    LK_SOURCE_CASCADE_FILE, /**< text: a cascade JSON file's path (semigroup/cascade.h) */
} LkSourceKind;

/** A language as the command's operands give it. */
typedef struct {
    LkSourceKind kind; /**< how to read text */
    const char *text;  /**< borrowed */
} LkSource;

/** The minimal canonical DFA of src over alphabet (borrowed; NULL: the
 * source's own: a regex's symbols in order, a file's or family's alphabet;
 * a DFA over fewer symbols is widened, its new symbols leading to a
 * rejecting sink). A regex is minimized by how; the other sources by
 * Hopcroft, or by Brzozowski when how asks for it. Errors: LK_ERROR_INPUT
 * (the source's own, with its location), LK_ERROR_LIMIT from limits
 * (max_states, max_positions, max_memory). Returns a new DFA. */
LkDfa *lk_source_dfa(const LkSource *src, LkAlphabet *alphabet, LkMinimizer how,
                     const LkLimits *limits, GError **error);

/** Brings n minimal DFAs to the union of their alphabets (sorted): each one
 * over fewer symbols is replaced (freed) by its minimal DFA over the union,
 * the new symbols leading to a rejecting sink. O(sum of states * union). */
void lk_dfas_unify_alphabets(LkDfa **dfas, size_t n);

G_END_DECLS
