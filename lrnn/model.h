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

#include "automata/dfa.h"

#include <gmp.h>

G_BEGIN_DECLS

typedef struct {
    mpq_t beta;
    mpq_t *u; /* n entries */
    mpq_t c;
    mpq_t uu; /* u^T u, cached */
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
    struct LkFloatPlan *fplan; /* derived float factors, built on first use */
} LkLrnn;

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

/* The exact model as JSON (rationals as strings "p/q"); and back. */
char *lk_lrnn_to_json(const LkLrnn *m);
LkLrnn *lk_lrnn_from_json(const char *text, gssize len, GError **error);

/* ---- engines (engine.c) ---- */

typedef enum {
    LK_ENGINE_EXACT,
    LK_ENGINE_F64,
    LK_ENGINE_F32,
    LK_ENGINE_BF16,
    LK_ENGINE_F16
} LkEngine;
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

/* ---- verifier (verify.c) ---- */

typedef struct {
    bool verified;
    GArray *counterexample; /* uint32 tokens, when not verified */
    uint64_t pairs;         /* reachable (DFA state, LRNN state) pairs */
    uint64_t lrnn_states;   /* distinct exact LRNN states */
    double max_float_error; /* largest |float - exact| over the pairs (f32 engine) */
} LkVerifyResult;

/* Breadth-first search over the pairs (DFA state, exact H) reachable from the
 * start: the model implements d for every input length iff the map H -> DFA
 * state is a function on them and the readout agrees with acceptance. The
 * first failure found is on a shortest word. LK_ERROR_LIMIT past max_pairs. */
bool lk_lrnn_verify(const LkLrnn *m, const LkDfa *d, uint64_t max_pairs, LkVerifyResult *out,
                    GError **error);
void lk_verify_result_clear(LkVerifyResult *r);

/* ---- weight files (safetensors.c) ---- */

/* Writes the model as safetensors (F64 or F32 tensors, see the README),
 * atomically. */
bool lk_lrnn_save(const LkLrnn *m, const char *path, bool f32, GError **error);
/* Reads and validates a file written by lk_lrnn_save (header, offsets,
 * shapes, dtypes); the model comes from the exact JSON in __metadata__. */
LkLrnn *lk_lrnn_load(const char *path, GError **error);

G_END_DECLS
