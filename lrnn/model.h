/* lrnnkit — linear RNNs as products of generalized Householder factors.
 *
 * An LkLrnn is one layer (stacks are a list of layers; the compiler emits one
 * layer per level) with state dimension n over a token alphabet. Each token
 * carries an ordered list of factors in the DeltaProduct form
 *
 *     H <- (I - beta u u^T / (u^T u)) H + beta u c / (u^T u)
 *
 * with exact rationals beta in [0, 2], u != 0 and c (the "write"); in fla's
 * terms k = u / |u| (L2-normalized key) and v = c / |u| (value, d_v = 1). A
 * token may carry a gate g in [0, 1] that multiplies H before its factors
 * (Gated DeltaProduct). The readout decodes an output (a DFA state): either
 * the index round((1, 2, ..., n) . H) - 1, or the output of the nearest
 * vector of a codebook (the exact reachable states, for constructions whose
 * states are not one-hot); the word is accepted when that output is.
 * Exact values are the source of truth; float copies are derived.
 */
#pragma once

#include "automata/semigroup/cascade.h"
#include "automata/tuple-map.h"
#include "automata/dfa.h"

#include <gmp.h>

G_BEGIN_DECLS

typedef enum {
    LK_ENGINE_EXACT,
    LK_ENGINE_F64,
    LK_ENGINE_F32,
    LK_ENGINE_BF16,
    LK_ENGINE_F16
} LkEngine;

typedef struct {
    mpq_t beta;
    mpq_t *u; /* n entries */
    mpq_t c;
    mpq_t uu;    /* u^T u, cached */
    mpq_t theta; /* angular layers only: the reflection about the line at angle pi * theta */
} LkFactor;

typedef struct {
    uint32_t n_factors;
    LkFactor *f;
    bool gated;
    mpq_t gate;
} LkToken;

typedef struct {
    uint32_t n;                /* state dimension */
    LkAlphabet *alphabet;      /* tokens */
    LkToken *tok;              /* one per symbol */
    mpq_t *h0;                 /* initial state, n entries */
    uint32_t n_out;            /* readout outputs (DFA states) */
    uint8_t *accept;           /* per output */
    uint32_t n_codes;          /* 0: index readout round((1..n).H) - 1; else a codebook: */
    mpq_t *codes;              /* n_codes x n states, decoded to the nearest one (L2) */
    uint32_t *code_out;        /* output of each code */
    bool angular;              /* see below */
    struct LkFloatPlan *fplan; /* derived float factors, built on first use */
} LkLrnn;

/* Angular layers (n = 2, for Z_m as a rotation): the states are the unit
 * vectors (cos pi r, sin pi r) and every factor is the reflection about the
 * line at angle pi theta (beta = 2, k = (-sin pi theta, cos pi theta), c = 0),
 * which sends angle r to 2 theta - r. The weights are irrational, but the
 * exact engine stays exact: it keeps r (a rational in [0, 2)) in h[0] (h[1]
 * = 0), h0[0] and codes[2c] hold angles the same way, and float engines use
 * the cosines and sines. u is unused (kept (1, 0)). */

LkLrnn *lk_lrnn_new(LkAlphabet *alphabet, uint32_t n);
void lk_lrnn_free(LkLrnn *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkLrnn, lk_lrnn_free)
/* Replaces the index readout by a codebook of n_codes states (copied) with
 * their outputs in 0..n_out-1; accept is resized to n_out (cleared). */
void lk_lrnn_set_codebook(LkLrnn *m, uint32_t n_codes, mpq_t *const codes, const uint32_t *outputs,
                          uint32_t n_out);
/* Appends a factor to token t (copies u: n entries). */
void lk_lrnn_add_factor(LkLrnn *m, uint32_t t, const mpq_t beta, mpq_t *const u, const mpq_t c);
uint32_t lk_lrnn_max_factors(const LkLrnn *m);
/* Angular layers: appends the reflection about the line at angle pi * theta. */
void lk_lrnn_add_angle_factor(LkLrnn *m, uint32_t t, const mpq_t theta);
/* Float views of the exact model (double precision; angles as cosines and
 * sines): factor f of a token as a dense key k (n entries), beta and v; the
 * initial state rounded to the engine's format; code c (n entries). */
void lk_lrnn_float_factor(const LkLrnn *m, const LkFactor *f, double *key, double *beta, double *v);
void lk_lrnn_h0_float(const LkLrnn *m, LkEngine e, double *h);
void lk_lrnn_code_float(const LkLrnn *m, uint32_t c, double *out);

/* The exact model as JSON (rationals as strings "p/q"); and back. */
char *lk_lrnn_to_json(const LkLrnn *m);
LkLrnn *lk_lrnn_from_json(const char *text, gssize len, GError **error);

/* ---- engines (engine.c) ---- */

bool lk_engine_parse(const char *name, LkEngine *out);
const char *lk_engine_name(LkEngine e);

/* Exact: H (n mpq) <- step(H, token). */
void lk_lrnn_step_exact(const LkLrnn *m, mpq_t *h, uint32_t token);
/* Floating point: H (n doubles holding values of the format) <- step, with
 * every product and sum rounded to the format (round to nearest even). */
void lk_lrnn_step_float(const LkLrnn *m, LkEngine e, double *h, uint32_t token);
/* Decoded output of H (see above), or -1 when out of range. */
int64_t lk_lrnn_decode_exact(const LkLrnn *m, mpq_t *const h);
int64_t lk_lrnn_decode_float(const LkLrnn *m, const double *h);
/* Runs a word; states[i] (if not NULL) gets the decoded state after token i.
 * Returns whether the final decoded state is accepting. */
bool lk_lrnn_run(const LkLrnn *m, LkEngine e, const uint32_t *word, size_t len, int64_t *states);
/* Rounds x to the engine's format (RNE); identity for F64. */
double lk_engine_round(LkEngine e, double x);

/* Exact fast path (engine.c): when h0, the gates and every coefficient
 * beta u_i u_j / u.u and beta c u_i / u.u are integers (reflections e_i - e_j
 * with beta 2, projections e_i with beta 1, ...), states stay integral and run
 * in int64 with overflow checks. NULL when the model is not of that kind. */
typedef struct LkIntPlan LkIntPlan;
LkIntPlan *lk_lrnn_int_plan(const LkLrnn *m);
void lk_int_plan_free(LkIntPlan *p);
/* false on int64 overflow (then use the rational engine). */
bool lk_int_plan_step(const LkIntPlan *p, int64_t *h, uint32_t token);
int64_t lk_int_plan_decode(const LkIntPlan *p, const int64_t *h);

/* ---- compiler (compile.c) ---- */

typedef struct {
    uint32_t layers, state_dim, tokens;
    uint32_t max_factors;
    double mean_factors;
    uint64_t parameters;
    const char *construction; /* "group" or "permutation-reset" */
} LkCompileReport;

/* One layer for a DFA whose letters are all permutations (Theorem 3) or
 * permutations and constant maps (permutation-reset automata). Permutations
 * become n - #cycles reflections (beta = 2, u = e_i - e_j), constant maps n
 * projections writing e_q (beta = 1, u = e_i, c = [i = q]), or with gated, a
 * gate 0 and one write. LK_ERROR_INPUT for any other DFA. */
LkLrnn *lk_lrnn_compile(const LkDfa *d, bool gated, LkCompileReport *report, GError **error);

/* One layer for a group DFA given how each letter permutes `degree` points
 * (perms[a*degree + i]), a faithful action smaller than the DFA's own (S_5 on
 * 5 points rather than 120): H0 = (1, ..., degree), each letter degree -
 * #cycles reflections, and a codebook readout of the |G| arrangements. With
 * degree 1 and the letters given as +1 / -1 (perms = 0 / 1), a scalar model:
 * parity as H -> -H. LK_ERROR_INPUT when the action is not faithful. */
LkLrnn *lk_lrnn_compile_action(const LkDfa *d, uint32_t degree, const uint8_t *perms,
                               LkCompileReport *report, GError **error);

/* Z_m as a 2-D rotation: one angular layer (see above) for a DFA whose
 * letters generate a cyclic group; every letter is two reflections (or none
 * for the identity). LK_ERROR_INPUT for any other DFA. */
LkLrnn *lk_lrnn_compile_rotation(const LkDfa *d, LkCompileReport *report, GError **error);

/* ---- stacks of layers (stack.c) ----
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
typedef struct {
    LkAlphabet *alphabet; /* letters */
    uint32_t n_layers;
    LkLrnn **layer;
    uint32_t n_out;     /* outputs (one layer: the layer's) */
    LkTupleMap *map;    /* width n_layers: layer outputs -> output; NULL for one layer */
    uint8_t *accept;    /* n_out flags; NULL for one layer */
    LkTupleMap **route; /* NULL, or per layer NULL (dense) or its route */
} LkStack;

/* A stack of one layer that borrows it (*slot = the layer; nothing is
 * modified through it): for the stack functions on a single LkLrnn. */
static inline LkStack lk_stack_view(const LkLrnn *m, LkLrnn **slot)
{
    *slot = (LkLrnn *)m;
    return (LkStack){m->alphabet, 1, slot, m->n_out, NULL, NULL, NULL};
}
/* A stack of one layer (takes ownership). */
LkStack *lk_stack_new_single(LkLrnn *layer);
void lk_stack_free(LkStack *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(LkStack, lk_stack_free)
/* Tokens of a dense layer i: k times the product of the n_out of layers below. */
uint64_t lk_stack_layer_tokens(const LkStack *s, uint32_t i);
/* Output and acceptance of the stack given every layer's output (-1: none). */
int64_t lk_stack_output(const LkStack *s, const int64_t *outs);
bool lk_stack_accepts(const LkStack *s, int64_t output);
/* The token of every layer for letter a given the layers' outputs before
 * it; false when a lower output is invalid or a route has no entry (the
 * tokens of the layers below that point are set). */
bool lk_stack_tokens(const LkStack *s, uint32_t a, const int64_t *outs, uint32_t *tok);
/* Runs a word; states[t] (if not NULL) gets the stack's output after letter t
 * (-1 when a layer's readout fails). Returns acceptance of the last. */
bool lk_stack_run(const LkStack *s, LkEngine e, const uint32_t *word, size_t len, int64_t *states);
/* JSON: a single layer is its layer's JSON; a stack is {"format":
 * "lrnnkit-stack", "version": 2, "alphabet", "layers": [...], "routes":
 * [null | [[o_0, ..., o_{i-1}, letter, token], ...] per layer], "map":
 * [[o_0, ..., o_{L-1}, output], ...], "accept"}. from_json also reads
 * version 1 (dense tokens; "map" one output or -1 per tuple in mixed
 * radix). */
char *lk_stack_to_json(const LkStack *s);
LkStack *lk_stack_from_json(const char *text, gssize len, GError **error);
/* Report of a compiled stack (construction as given). */
void lk_stack_report(const LkStack *s, const char *construction, LkCompileReport *r);
/* The smallest safe length of its angular layers (0: none is angular). */
uint64_t lk_stack_safe_length(const LkStack *s, LkEngine e);

/* One routed layer per level of a cascade of permutation-reset automata:
 * level i's distinct maps become layer i's tokens (each compiled as by
 * lk_lrnn_compile: reflections for permutations, projections or a gate for
 * resets), its (context, letter) pairs the route, and the cascade's output
 * map and accept on top. A cascade of no levels is LK_ERROR_INPUT. */
LkStack *lk_stack_compile_cascade(const LkCascade *c, bool gated, GError **error);

/* ---- any DFA (compile.c) ---- */

typedef enum {
    LK_STRATEGY_AUTO,              /* permutation-reset when it applies, else holonomy */
    LK_STRATEGY_GROUP,             /* every letter a permutation: one layer */
    LK_STRATEGY_PERMUTATION_RESET, /* permutations and resets: one layer */
    LK_STRATEGY_HOLONOMY,          /* the holonomy cascade: one layer per level */
} LkStrategy;

bool lk_strategy_parse(const char *name, LkStrategy *out);

typedef struct {
    bool gated;          /* resets as a gate 0 and one write */
    uint64_t max_images; /* holonomy: extended image set (0: default) */
    uint64_t max_states; /* holonomy: reachable cascade states (0: default) */
    bool no_merge;       /* holonomy: one layer per level (each narrowed) */
    uint32_t max_width;  /* holonomy: widest merged level (0: the DFA's states) */
} LkCompileOptions;

typedef struct {
    const char *construction; /* "group", "permutation-reset" or "holonomy" */
    uint32_t holonomy_levels; /* levels of the holonomy cascade before merging (or 0) */
} LkCompileInfo;

/* Any DFA as a stack (Theorem 4): one layer for group and permutation-reset
 * automata (lk_lrnn_compile), otherwise one routed layer per level of the
 * holonomy cascade (holonomy.h, lk_stack_compile_cascade) after merging
 * runs of adjacent levels (lk_cascade_merge_levels) unless opt->no_merge.
 * *info (may be NULL) says which construction and how many levels. LK_ERROR_INPUT when a
 * forced strategy does not apply (a one-state DFA has no holonomy level),
 * LK_ERROR_LIMIT from the decomposition's limits. */
LkStack *lk_stack_compile_dfa(const LkDfa *d, LkStrategy strategy, const LkCompileOptions *opt,
                              LkCompileInfo *info, GError **error);

/* ---- verifier (verify.c) ---- */

typedef struct {
    bool verified;
    GArray *counterexample; /* uint32 tokens, when not verified */
    uint64_t pairs;         /* reachable (DFA state, LRNN state) pairs */
    uint64_t lrnn_states;   /* distinct exact LRNN states */
    double max_float_error; /* largest |float - exact| over the pairs (f32 engine) */
} LkVerifyResult;

/* Models with irrational entries (angular layers): the input length up to
 * which engine e's rounding provably cannot change a decoded state (see
 * verify.c for the bound); UINT64_MAX when no token has a factor; 0 for
 * other models (not applicable: their float states are checked exactly). */
uint64_t lk_lrnn_safe_length(const LkLrnn *m, LkEngine e);

/* Breadth-first search over the pairs (DFA state, exact H) reachable from the
 * start: the model implements d for every input length iff the map H -> DFA
 * state is a function on them and the readout agrees with acceptance. The
 * first failure found is on a shortest word. LK_ERROR_LIMIT past max_pairs. */
bool lk_lrnn_verify(const LkLrnn *m, const LkDfa *d, uint64_t max_pairs, LkVerifyResult *out,
                    GError **error);
/* The same over a stack: pairs (DFA state, exact states of every layer). */
bool lk_stack_verify(const LkStack *s, const LkDfa *d, uint64_t max_pairs, LkVerifyResult *out,
                     GError **error);
void lk_verify_result_clear(LkVerifyResult *r);

/* ---- weight files (safetensors.c) ---- */

/* Writes the model as safetensors (F64 or F32 tensors, see the README),
 * atomically. */
bool lk_lrnn_save(const LkLrnn *m, const char *path, bool f32, GError **error);
/* Reads and validates a file written by lk_lrnn_save (header, offsets,
 * shapes, dtypes); the model comes from the exact JSON in __metadata__. */
LkLrnn *lk_lrnn_load(const char *path, GError **error);
/* Stacks: tensors layer<i>.* per layer and, for more than one layer,
 * stack.map and stack.accept; __metadata__ "model" holds the stack's JSON.
 * lk_lrnn_load rejects files of more than one layer. */
bool lk_stack_save(const LkStack *s, const char *path, bool f32, GError **error);
LkStack *lk_stack_load(const char *path, GError **error);

G_END_DECLS
