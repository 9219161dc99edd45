/* lrnnkit — what orbit-cast.c (one layer) and orbit-cast-stack.c (stacks)
 * share: the block of a layer under a repeated block of tokens and its
 * closed form, the exact states simulated, and the certificates. */
#pragma once

#include "proofs/orbit.h"

G_BEGIN_DECLS

/* lk_orbit_cast with separate bounds: certificates may simulate up to
 * certify exact steps, the observed fallback observe steps (O(observe^2)
 * for stacks); the sweeps of suite.c use it. */
bool lk_orbit_cast_limits(const LkMatrices *m, const LkPrecision *p, const uint32_t *block,
                          size_t block_len, uint64_t certify, uint64_t observe, LkOrbit *out,
                          GError **error);

typedef enum { FORM_NONE, FORM_DIAGONAL, FORM_RANK_ONE, FORM_FINITE } Form;

typedef struct {
    uint32_t n;
    Form form;
    mpq_t *m;       /* the block's matrix */
    mpq_t *w, *z;   /* FORM_RANK_ONE: M = I + w z^T */
    mpq_t t;        /* z.w */
    uint64_t order; /* FORM_FINITE: M^order = I */
} Block;

typedef struct {
    uint32_t n, F, F_sum; /* dimension; families: F_sum summed (c_r), then points */
    Block b;
    mpq_t *fam; /* F x n */
} Single;

typedef struct {
    const LkMatrices *m;
    const LkLrnn *decoder;
    const LkStack *stack; /* a compiled stack: outputs by its map */
    const LkPrecision *p;
    uint32_t dim, top; /* state size (all layers), first coordinate of the top layer */
    uint64_t count;
    mpq_t *st; /* count x dim */
} States;

/* How the layers above the first choose their tokens: from the layer
 * below after the letter ([r . H > 0], matrices), or by a compiled stack's
 * routes from every lower layer's decoded output before the letter. */
typedef struct {
    const LkMatrices *m;
    const LkStack *st; /* NULL: matrices */
    const uint32_t *block;
    size_t len;
} Net;

bool lk_cast_same_state(mpq_t *const st, uint32_t dim, uint64_t i, uint64_t j);

/* The block's closed form (FORM_FINITE: orders up to max_order). */
void lk_cast_classify(Block *b, uint32_t max_order);
/* One layer on x_1 .. x_T, then block repeated, seen at block boundaries. */
void lk_cast_single_init(Single *s, const LkMatLayer *l, const uint32_t *prefix, size_t T,
                         const uint32_t *block, size_t len);
void lk_cast_single_clear(Single *s);
/* The certificates: exact onsets and drift, or the tail bound; false when
 * none applies within limit exact steps (S then holds nothing). */
bool lk_cast_single_certified(const LkPrecision *p, Single *s, uint64_t limit, States *S,
                              LkOrbit *out);
bool lk_cast_single_tail(const LkPrecision *p, Single *s, uint64_t limit, States *S, LkOrbit *out);

void lk_cast_states_init(States *s, uint64_t count);
void lk_cast_states_clear(States *s);
void lk_cast_fill_outputs(const States *s, LkOrbit *out, mpq_t *const *cycle, uint64_t period);
void lk_cast_fill_trace(const States *s, LkOrbit *out);
bool lk_cast_finish_observed(const States *s, LkOrbit *out, GError **error);

/* Stacks (orbit-cast-stack.c): certified layer by layer, or simulated by
 * the definition to S->count - 1 blocks. */
bool lk_cast_stack_certified(const LkPrecision *p, const Net *net, uint64_t limit, States *S,
                             LkOrbit *out);
void lk_cast_stack_observed(const LkPrecision *p, const Net *net, States *S);

G_END_DECLS
