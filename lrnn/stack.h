/** @file
 * lrnnkit — stacks of layers.
 *
 * Layer 0 reads the letters. Layer i > 0 reads a token chosen by the letter
 * a and the outputs of layers 0..i-1 *before* the letter, as in the cascade
 * product (cascade.h): one step of token shift of the lower layers'
 * readouts, like RWKV's token shift or Mamba's short convolution. Two ways
 * to choose it:
 *  - dense (route[i] == NULL): token x * k + a, x the lower outputs in mixed
 *    radix (layer 0 most significant); layer 0 reads the letter itself;
 *  - routed: route[i] maps the tuple (outputs of layers 0..i-1, a) to the
 *    token (width i + 1); a tuple not in it has no token, and the stack then
 *    has no output. Compiled cascades are routed: a layer's tokens are the
 *    distinct actions its level uses, not every (context, letter).
 * The stack's output is map[the outputs of all layers] (no entry: none),
 * accepted when accept[output]. A single layer has no map: its own outputs
 * and accept. */
#pragma once

#include "lrnn/engine.h"
#include "automata/tuple-map.h"

G_BEGIN_DECLS

/** A stack of LRNN layers with routes between them and an output map on
 * top (see the file's description); owns its layers. */
typedef struct {
    LkAlphabet *alphabet; /**< letters (a reference the stack holds) */
    uint32_t n_layers;    /**< layers */
    LkLrnn **layer;       /**< n_layers of them, top first */
    uint32_t n_out;       /**< outputs (one layer: the layer's) */
    LkTupleMap *map;      /**< width n_layers: layer outputs -> output; NULL for one layer */
    uint8_t *accept;      /**< n_out flags; NULL for one layer */
    LkTupleMap **route;   /**< NULL, or per layer NULL (dense) or its route */
    /** What the outputs stand for, when known (compile sets them from the
     * verifier; NULL otherwise): the built-in family the model was compiled
     * from, and for every output the state of the minimal canonical DFA it
     * stands for (-1: none). */
    char *family;
    int64_t *dfa_state; /**< n_out DFA states (-1: none), or NULL */
} LkStack;

/** @{ */
/** A stack of one layer that borrows it (*slot = the layer; nothing is
 * modified through it): for the stack functions on a single LkLrnn. */
static inline LkStack lk_stack_view(const LkLrnn *m, LkLrnn **slot)
{
    *slot = (LkLrnn *)m;
    return (LkStack){m->alphabet, 1, slot, m->n_out, NULL, NULL, NULL, NULL, NULL};
}
/** @} */
/** @{ */
/** A stack of one layer (takes ownership). */
LkStack *lk_stack_new_single(LkLrnn *layer);
/** Frees s (NULL is ignored). */
void lk_stack_free(LkStack *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkStack, lk_stack_free)
/** @} */
/** Tokens of a dense layer i: k times the product of the n_out of layers below. */
uint64_t lk_stack_layer_tokens(const LkStack *s, uint32_t i);
/** @{ */
/** Output and acceptance of the stack given every layer's output (-1: none). */
int64_t lk_stack_output(const LkStack *s, const int64_t *outs);
bool lk_stack_accepts(const LkStack *s, int64_t output);
/** @} */
/** The token of every layer for letter a given the layers' outputs before
 * it; false when a lower output is invalid or a route has no entry (the
 * tokens of the layers below that point are set). */
bool lk_stack_tokens(const LkStack *s, uint32_t a, const int64_t *outs, uint32_t *tok);
/** The token of layer i alone for letter a given the outputs of layers
 * 0..i-1 (outs[i..] unread): what lk_stack_tokens gives it, or UINT32_MAX
 * when a lower output is invalid or the route has no entry. O(i). */
uint32_t lk_stack_layer_token(const LkStack *s, uint32_t i, uint32_t a, const int64_t *outs);
/** Runs a word; states[t] (if not NULL) gets the stack's output after letter t
 * (-1 when a layer's readout fails). Returns acceptance of the last. */
bool lk_stack_run(const LkStack *s, LkEngine e, const uint32_t *word, size_t len, int64_t *states);
/** Runs n words, word i being tokens[offsets[i] .. offsets[i + 1]) (letter
 * indices): accepted[i] (n bytes) gets 1 when it is accepted; states (if
 * not NULL: offsets[n] entries) the output after every letter, as
 * lk_stack_run. LK_ERROR_INPUT, before running anything, for offsets that
 * decrease or a letter outside the alphabet (naming the word and position).
 * O(tokens) steps: the batched entry of the bindings. */
bool lk_stack_run_words(const LkStack *s, LkEngine e, const uint32_t *tokens,
                        const uint64_t *offsets, uint64_t n, uint8_t *accepted, int64_t *states,
                        GError **error);
/** Sets family (may be NULL) and dfa_state (n_out entries) from copies. */
void lk_stack_set_states(LkStack *s, const char *family, const int64_t *dfa_state);
/** A name for every output (n_out NULL-terminated strings): for a group
 * family the element its DFA state is (cycle notation, as the family names
 * tokens), else the DFA state's number, else (dfa_state unknown, or -1) the
 * output's number. */
char **lk_stack_output_names(const LkStack *s);
/** The stack's output before any letter (-1 when a readout fails). */
int64_t lk_stack_initial_output(const LkStack *s, LkEngine e);
/** @{ */
/** JSON: a single layer is its layer's JSON; a stack is {"format":
 * "lrnnkit-stack", "version": 2, "alphabet", "layers": [...], "routes":
 * [null | [[o_0, ..., o_{i-1}, letter, token], ...] per layer], "map":
 * [[o_0, ..., o_{L-1}, output], ...], "accept"}. from_json also reads
 * version 1 (dense tokens; "map" one output or -1 per tuple in mixed
 * radix). Both may carry "family": NAME, "dfa_states": [n_out states] and
 * (written for readers, not read) "state_names": lk_stack_output_names. */
char *lk_stack_to_json(const LkStack *s);
LkStack *lk_stack_from_json(const char *text, gssize len, GError **error);
/** @} */

G_END_DECLS
