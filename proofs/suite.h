/** @file
 * lrnnkit — Theorems 1 and 2 of Grazzi et al. as checks over seeded random
 * models, and sweeps of eventual periods (lrnnkit prove parity | modcount |
 * sweep).
 *
 * Families (suite.c), each layer of dimension 1..4 (rotations 2) with two
 * tokens, exact rational weights with few bits, B and H_0 in [-1, 1]:
 *   diag01 / diag11   diagonal s in [0, 1]^n / [-1, 1]^n
 *   gh1-01 / gh1-02   one GH factor I - beta u u^T / u.u, beta in [0, 1] / [0, 2]
 *   gh2-*, gh3-*      products of 2 and 3 such factors
 *   rot               a rotation by an angle with rational cosine and sine
 * A stack of 1-3 layers reads, in layer i > 0, the output [r . H > 0] of
 * layer i - 1 (lrnn/matrices.h).
 *
 * parity: diag01, gh1-01 and gh2-01 models (every eigenvalue real and >= 0,
 * also of every product: two PSD factors) must end with period 1 under the
 * token 1 in the `cast` model (Theorem 1: no decoder then separates (11)*).
 * modcount: diag11 and gh1-02 models (every eigenvalue real; above layer 0
 * diagonal, so that every product of tokens is real too, as Theorem 2
 * asks) must end with a period dividing 2^L (L layers): never a multiple of
 * m (odd m > 1). Each (model, precision) is a prediction in `cast` that
 * agrees, disagrees or is undecided (no period within the horizon), and a
 * finding in `step` when its period leaves the prediction (a rounding limit
 * cycle). Positive controls: compiled models that must show the period the
 * theorems forbid the others, in every precision and verify exactly.
 *
 * Models are drawn from (seed, family, index) alone, and the checks run on
 * `threads` threads into slots by index: the same seed gives the same
 * bytes. Cost: O(models x precisions x orbit length x n^2 L) for `step`;
 * `cast` is exact (see orbit.h), O(horizon^2) for stacks.
 */
#pragma once

#include "lrnn/lrnn.h"
#include "proofs/orbit.h"

G_BEGIN_DECLS

/** Families of random models (see above). */
typedef enum {
    LK_FAM_DIAG01, /**< diag01 */
    LK_FAM_DIAG11, /**< diag11 */
    LK_FAM_GH1_01, /**< gh1-01 */
    LK_FAM_GH1_02, /**< gh1-02 */
    LK_FAM_GH2_01, /**< gh2-01 */
    LK_FAM_GH2_02, /**< gh2-02 */
    LK_FAM_GH3_01, /**< gh3-01 */
    LK_FAM_GH3_02, /**< gh3-02 */
    LK_FAM_ROT,    /**< rot */
    LK_FAM_COUNT   /**< the number of families */
} LkFamily;

/** The family's name as above (static). */
const char *lk_family_name(LkFamily f);

/** Model `index` of family f with `layers` layers (upper: the family `upper`),
 * drawn from seed alone. */
LkMatrices *lk_suite_model(LkFamily f, LkFamily upper, uint32_t layers, uint64_t seed,
                           uint64_t index);

/** The precisions of the checks: f64, f32, bf16, f16, fixed:16. */
#define LK_SUITE_PRECISIONS 5
/** Precision i of the checks, 0 <= i < LK_SUITE_PRECISIONS. */
LkPrecision lk_suite_precision(int i);

/** Eventual periods counted: 1, 2, 3, 4, other, none (no period within the
 * horizon). */
typedef struct {
    uint64_t p[6]; /**< counts, named by lk_period_count_names */
} LkPeriodCounts;
/** "1", "2", "3", "4", "other", "none". */
extern const char *const lk_period_count_names[6];

/** Options of the theorem checks and sweeps (pointers borrowed). */
typedef struct {
    uint64_t seed;        /**< models are drawn from it alone */
    uint64_t models;      /**< models per family */
    uint32_t threads;     /**< worker threads (results do not depend on it) */
    uint64_t step_steps;  /**< horizon under `step` (0: 100000) */
    uint64_t cast_steps;  /**< horizon under `cast` (0: 1000) */
    uint64_t m;           /**< modcount's modulus (odd, >= 3) */
    const char *save_dir; /**< counterexamples and findings as JSON, or NULL */
} LkSuiteOptions;

/** A positive control: a compiled model that must show the forbidden period. */
typedef struct {
    char *name;    /**< what it is */
    uint64_t want; /**< the period it must show */
    bool verified; /**< exact verification, and `want` in every precision and model */
    uint64_t step[LK_SUITE_PRECISIONS]; /**< periods under `step` (0: none) */
    uint64_t cast[LK_SUITE_PRECISIONS]; /**< periods under `cast` (0: none) */
} LkSuiteControl;

/** What a theorem check found (a caller's struct; lk_theorem_report_clear frees what it holds). */
typedef struct {
    const char *theorem;         /**< "parity" or "modcount" (static) */
    uint64_t models;             /**< random models checked (each in every precision) */
    uint64_t agree;              /**< (model, precision) predictions under `cast` that held */
    uint64_t disagree;           /**< predictions that failed (a counterexample to the theorem) */
    uint64_t undecided;          /**< no period within the horizon */
    uint64_t step_models;        /**< (model, precision) orbits under `step` */
    uint64_t outside_prediction; /**< `step` periods outside the prediction (rounding cycles) */
    LkPeriodCounts step_periods; /**< periods under `step` */
    LkPeriodCounts cast_periods; /**< periods under `cast` */
    bool control_verified;  /**< every positive control verified exactly and showed its period */
    GArray *controls;       /**< LkSuiteControl */
    GString *control_notes; /**< what the rotation layer does after its safe length */
} LkTheoremReport;

/** Frees what r holds (not r itself); accepts a zeroed struct. */
void lk_theorem_report_clear(LkTheoremReport *r);

/** @{ */
/** prove parity / prove modcount. LK_ERROR_INPUT when save_dir cannot be
 * written. */
bool lk_prove_parity(const LkSuiteOptions *o, LkTheoremReport *out, GError **error);
bool lk_prove_modcount(const LkSuiteOptions *o, LkTheoremReport *out, GError **error);
/** @} */

/** One (family, precision) cell of a sweep. */
typedef struct {
    LkFamily family;            /**< the models' family */
    int precision;              /**< index for lk_suite_precision */
    uint64_t models;            /**< orbits computed */
    LkPeriodCounts periods;     /**< their eventual periods */
    uint64_t longest_transient; /**< the longest transient seen */
    uint64_t certified;         /**< orbits whose period is proved */
} LkSweepCell;

/** A sweep's results (a caller's struct; lk_sweep_report_clear frees what it holds). */
typedef struct {
    LkOrbitModel model; /**< step or cast */
    GArray *cells;      /**< LkSweepCell, family-major */
    uint64_t orbits;    /**< orbits in all */
} LkSweepReport;

/** Frees what r holds (not r itself); accepts a zeroed struct. */
void lk_sweep_report_clear(LkSweepReport *r);
/** prove sweep: o->models models per family (layers 1 + index mod 3, upper
 * layers of the same family) in every precision, in model m. */
void lk_prove_sweep(const LkSuiteOptions *o, LkOrbitModel m, LkSweepReport *out);

G_END_DECLS
