/** @file
 * lrnnkit — finite-precision orbits of a model under a repeated block of
 * tokens (Lemma 1 of Grazzi et al.: a finite set of states makes every
 * orbit eventually periodic), in two precision models.
 *
 * `step` (orbit-step.c): the state is rounded after every operation, as
 * hardware does (lk_lrnn_step_precision for our models, a dense
 * multiply-accumulate for matrices: acc = round(acc + round(A_ij h_j)), then
 * round(acc + B_i)). A state is a tuple of doubles holding values of the
 * format and determines everything after it, so the first repeated bit
 * pattern proves the eventual period: transient mu and period lambda come
 * from Brent's cycle detection, O(mu + lambda) block steps, O(1) states in
 * memory, and are certified.
 *
 * `cast` (orbit-cast.c): the paper's model, with exact powers:
 *     H^_k = cast( sum_{t<=k} cast(A_k ... A_{t+1} B_t) + cast(A_k ... A_1 H_0) )
 * for letters x_1 x_2 ... (one cast per term, one of the sum). H^_k is not
 * a function of H^_{k-1}, so a repeat proves nothing. For one layer it is
 * certified when the block's matrix M has a closed form for its powers: M
 * diagonal or I + w z^T (single GH factors: every coordinate of M^j v is
 * a + c r^j), or M^p = I (permutations). Each term's cast is then provably
 * constant (or 2-/p-periodic) once |c| |r|^j is below the distance from a
 * to the nearest cast boundary (Lemma 1's argument made quantitative);
 * past the latest such onset K the sum drifts by a fixed vector D per
 * period: coordinates with D = 0 are periodic, the others grow linearly
 * and saturate at an extreme of the format at a step computed exactly
 * (possibly astronomically late: ~1e38 / |D| steps in f32). Everything
 * before K is simulated exactly. Other models (stacks, general matrices)
 * are simulated to the horizon and their period is `observed`: the last
 * half of the horizon repeats with it.
 */
#pragma once

#include "lrnn/lrnn.h"
#include "lrnn/matrices.h"

G_BEGIN_DECLS

/** How finite precision enters an orbit (see above). */
typedef enum {
    LK_ORBIT_STEP, /**< every operation of every step rounded */
    LK_ORBIT_CAST  /**< the paper's model: exact products, one cast per term and of the sum */
} LkOrbitModel;

/** "step" or "cast" (static). */
const char *lk_orbit_model_name(LkOrbitModel m);
/** The model called name; false when none is. */
bool lk_orbit_model_parse(const char *name, LkOrbitModel *out);

/** An eventually periodic orbit (a caller's struct; lk_orbit_clear frees what it holds). */
typedef struct {
    LkOrbitModel model; /**< how it was computed */
    bool certified;     /**< proved (else observed over the horizon) */
    const char *method; /**< "repeated state", "diagonal", "rank-one", "finite order", "observed" */
    uint64_t transient; /**< blocks before the cycle (UINT64_MAX: see transient_exact) */
    char *transient_exact;   /**< the transient in decimal (it may exceed 2^64 under cast) */
    double transient_approx; /**< the transient as a double */
    uint64_t period;         /**< blocks per cycle */
    uint64_t horizon;        /**< block steps evaluated */
    GArray *outputs; /**< int64: the decoded output along one cycle (<= 4096; empty: no readout) */
    GArray *trace;   /**< double pairs: the top layer's coordinates 0 and 1 at steps 0..(<= 4096) */
} LkOrbit;

/** Frees what o holds (not o itself); accepts a zeroed struct. */
void lk_orbit_clear(LkOrbit *o);

/** The default bounds on block steps: Brent's search under `step`, the
 * exact simulation under `cast`. */
#define LK_ORBIT_STEP_MAX_STEPS 10000000u
/** The default bound on block steps under `cast`. */
#define LK_ORBIT_CAST_MAX_STEPS 10000u
/** limits->max_steps, or model's default when it is 0 or limits is NULL. */
uint64_t lk_orbit_max_steps(const LkLimits *limits, LkOrbitModel model);

/** @{ */
/** `step` orbits of the start state under block (letters) repeated, in
 * precision p (not a grid). LK_ERROR_LIMIT when no state repeats within
 * limits->max_steps block steps (0: LK_ORBIT_STEP_MAX_STEPS). */
bool lk_orbit_stack_step(const LkStack *s, const LkPrecision *p, const uint32_t *block,
                         size_t block_len, const LkLimits *limits, LkOrbit *out, GError **error);
bool lk_orbit_matrices_step(const LkMatrices *m, const LkPrecision *p, const uint32_t *block,
                            size_t block_len, const LkLimits *limits, LkOrbit *out, GError **error);
/** @} */

/** `cast` orbits (see above); decoder (may be NULL) decodes the outputs of
 * a one-layer m made by lk_matrices_from_lrnn(decoder). LK_ERROR_LIMIT
 * when a certificate needs more than limits->max_steps exact steps (0:
 * LK_ORBIT_CAST_MAX_STEPS) and no period is observed within them either. */
bool lk_orbit_cast(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                   const uint32_t *block, size_t block_len, const LkLimits *limits, LkOrbit *out,
                   GError **error);

/** `cast` orbits of our models (one layer or a compiled stack: layer i reads
 * its token from the routes and the lower layers' exact decoded outputs
 * before the letter; a letter without token leaves every layer as it is);
 * observed_only: no certificate. LK_ERROR_INPUT for angular layers. */
bool lk_orbit_stack_cast(const LkStack *st, const LkPrecision *p, const uint32_t *block,
                         size_t block_len, const LkLimits *limits, bool observed_only, LkOrbit *out,
                         GError **error);

/** The same by exact simulation to the horizon only (never certified): the
 * reference the certificates are tested against. */
bool lk_orbit_cast_simulate(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                            const uint32_t *block, size_t block_len, uint64_t horizon, LkOrbit *out,
                            GError **error);

/** Shared by orbit-step.c and orbit-cast.c. */
void lk_orbit_set_transient(LkOrbit *o, const mpz_t mu);

G_END_DECLS
