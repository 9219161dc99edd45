/** @file
 * lrnnkit — running a layer: the exact engine (rationals, with an int64
 * fast path) and the float engines (every operation rounded to the format).
 */
#pragma once

#include "lrnn/model.h"

G_BEGIN_DECLS

/** Arithmetic of a run. */
typedef enum {
    LK_ENGINE_EXACT, /**< rationals (GMP), int64 while the values fit */
    LK_ENGINE_F64,   /**< IEEE binary64 */
    LK_ENGINE_F32,   /**< IEEE binary32, every operation rounded */
    LK_ENGINE_BF16,  /**< bfloat16, every operation rounded */
    LK_ENGINE_F16    /**< IEEE binary16, every operation rounded */
} LkEngine;

/** The engine called name ("exact", "f64", "f32", "bf16", "f16"); false when none is. */
bool lk_engine_parse(const char *name, LkEngine *out);
/** The name of e (static). */
const char *lk_engine_name(LkEngine e);

/** Exact: H (n mpq) <- step(H, token). */
void lk_lrnn_step_exact(const LkLrnn *m, mpq_t *h, uint32_t token);
/** Floating point: H (n doubles holding values of the format) <- step, with
 * every product and sum rounded to the format (round to nearest even). */
void lk_lrnn_step_float(const LkLrnn *m, LkEngine e, double *h, uint32_t token);
/** @{ */
/** Decoded output of H (see above), or -1 when out of range. */
int64_t lk_lrnn_decode_exact(const LkLrnn *m, mpq_t *const h);
int64_t lk_lrnn_decode_float(const LkLrnn *m, const double *h);
/** @} */
/** Runs a word; states[i] (if not NULL) gets the decoded state after token i.
 * Returns whether the final decoded state is accepting. */
bool lk_lrnn_run(const LkLrnn *m, LkEngine e, const uint32_t *word, size_t len, int64_t *states);
/** Rounds x to the engine's format (RNE); identity for F64. */
double lk_engine_round(LkEngine e, double x);

/** @{ */
/** Exact fast path (engine.c): when h0, the gates and every coefficient
 * beta u_i u_j / u.u and beta c u_i / u.u are integers (reflections e_i - e_j
 * with beta 2, projections e_i with beta 1, ...), states stay integral and run
 * in int64 with overflow checks. NULL when the model is not of that kind. */
typedef struct LkIntPlan LkIntPlan;
LkIntPlan *lk_lrnn_int_plan(const LkLrnn *m);
/** Frees p (NULL is ignored). */
void lk_int_plan_free(LkIntPlan *p);
/** @} */
/** @{ */
/** false on int64 overflow (then use the rational engine). */
bool lk_int_plan_step(const LkIntPlan *p, int64_t *h, uint32_t token);
int64_t lk_int_plan_decode(const LkIntPlan *p, const int64_t *h);
/** @} */

/** @{ */
/** Float views of the exact model (double precision; angles as cosines and
 * sines): factor f of a token as a dense key k (n entries), beta and v; the
 * initial state rounded to the engine's format; code c (n entries). */
void lk_lrnn_float_factor(const LkLrnn *m, const LkFactor *f, double *key, double *beta, double *v);
void lk_lrnn_h0_float(const LkLrnn *m, LkEngine e, double *h);
void lk_lrnn_code_float(const LkLrnn *m, uint32_t c, double *out);
/** @} */

G_END_DECLS
