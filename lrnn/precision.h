/** @file
 * lrnnkit — finite number formats: what a state coordinate can hold.
 *
 * A precision is a finite set D of rationals:
 *  - the float formats f64, f32, bf16, f16 (subnormals kept);
 *  - fixed:B, a signed 32-bit word with B fractional bits (0 <= B <= 30):
 *    the multiples of 2^-B in [-2^(31-B), 2^(31-B) - 2^-B];
 *  - grid:LO:HI:STEP (decimals, LO < HI, STEP > 0): LO + j STEP for
 *    j = 0..floor((HI - LO) / STEP). Only as a cast (the paper's D): its
 *    values need not be binary fractions.
 * Two roundings to it: `step` arithmetic rounds as hardware does (IEEE
 * round to nearest even; floats overflow to infinity, fixed point
 * saturates); lk_precision_cast is the paper's cast: the element of D
 * nearest to x, ties to the smaller, saturating at D's extremes.
 * Every value of f64/f32/bf16/f16/fixed is a double, so `step` arithmetic
 * keeps states in doubles: lk_precision_mul / _add return the correctly
 * rounded product / sum of two values of the format (for floats, double
 * arithmetic then one rounding, exact since 53 >= 2p + 2; for fixed, int64).
 * lk_precision_cast rounds any rational exactly (GMP), O(size of x).
 */
#pragma once

#include "lrnn/engine.h"

G_BEGIN_DECLS

/** Kinds of finite precision. */
typedef enum {
    LK_PRECISION_FLOAT, /**< an IEEE-style float format */
    LK_PRECISION_FIXED, /**< fixed point with `bits` fractional bits */
    LK_PRECISION_GRID   /**< a finite grid of rationals */
} LkPrecisionKind;

/** A finite-precision number system (lk_precision_parse). */
typedef struct {
    LkPrecisionKind kind; /**< which of the fields below apply */
    LkEngine format;      /**< FLOAT: F64, F32, BF16 or F16 */
    int bits;             /**< FIXED: fractional bits */
    /** GRID: the values (lo + j step) / den, j = 0..count - 1 */
    int64_t lo;
    int64_t step;  /**< GRID: spacing (numerator) */
    int64_t den;   /**< GRID: common denominator */
    int64_t count; /**< GRID: number of values */
} LkPrecision;

/** "f64", "f32", "bf16", "f16", "fixed:B" or "grid:LO:HI:STEP";
 * LK_ERROR_INPUT naming the problem. */
bool lk_precision_parse(const char *text, LkPrecision *out, GError **error);
/** The float format of engine e (not LK_ENGINE_EXACT). */
LkPrecision lk_precision_float(LkEngine e);
/** The canonical name (parse(name) gives p back); newly allocated. */
char *lk_precision_name(const LkPrecision *p);
/** Whether `step` arithmetic is defined (every format but grids). */
bool lk_precision_has_step(const LkPrecision *p);

/** @{ */
/** Step arithmetic (not GRID): x rounded to the format; the rounded
 * product and sum of two values of the format. */
double lk_precision_round(const LkPrecision *p, double x);
double lk_precision_mul(const LkPrecision *p, double a, double b);
double lk_precision_add(const LkPrecision *p, double a, double b);
/** @} */

/** out <- the element of D nearest to x (ties: the smaller, as the paper's
 * cast), saturating at D's extremes (no infinities). out and x may alias. */
void lk_precision_cast(const LkPrecision *p, mpq_ptr out, mpq_srcptr x);

/** For v in D: the next value of D above (dir > 0) or below (dir < 0) v,
 * into out; false when v is D's extreme that way. */
bool lk_precision_next(const LkPrecision *p, mpq_srcptr v, int dir, mpq_ptr out);
/** D's largest (dir > 0) or smallest (dir < 0) value. */
void lk_precision_extreme(const LkPrecision *p, int dir, mpq_ptr out);

/** One step of a layer in precision p (not GRID), rounding after every
 * operation as lk_lrnn_step_float does (which is this for float formats). */
void lk_lrnn_step_precision(const LkLrnn *m, const LkPrecision *p, double *h, uint32_t token);
/** The initial state rounded to p. */
void lk_lrnn_h0_precision(const LkLrnn *m, const LkPrecision *p, double *h);

G_END_DECLS
