/* `step` orbits: Brent's cycle detection on bit patterns (see orbit.h). */
#include "proofs/orbit.h"

#include "automata/error.h"

#include <string.h>

/* A deterministic map on double vectors: the state after one block. */
typedef struct System System;
struct System {
    uint32_t dim;
    void (*init)(const System *s, double *x);
    void (*block)(const System *s, double *x);
    int64_t (*output)(const System *s, const double *x);
    const LkPrecision *p;
    const uint32_t *letters;
    size_t len;
    const LkStack *stack;
    const LkMatrices *mat;
    uint32_t *offset;  /* per layer: first coordinate in a state */
    int64_t *outs;     /* scratch: the layers' decoded outputs */
    uint32_t *tok;     /* scratch: the layers' tokens */
    double *acc;       /* scratch: a new layer state */
    double **ar, **br; /* matrices: A and B per layer rounded to the format */
    uint32_t top;      /* coordinate traced: the top layer's first */
};

uint64_t lk_orbit_max_steps(const LkLimits *limits, LkOrbitModel model)
{
    g_return_val_if_fail(limits != NULL, 0);
    if (limits && limits->max_steps) return limits->max_steps;
    return model == LK_ORBIT_STEP ? LK_ORBIT_STEP_MAX_STEPS : LK_ORBIT_CAST_MAX_STEPS;
}

const char *lk_orbit_model_name(LkOrbitModel m)
{
    return m == LK_ORBIT_CAST ? "cast" : "step";
}

bool lk_orbit_model_parse(const char *name, LkOrbitModel *out)
{
    g_return_val_if_fail(name != NULL, false);
    if (!strcmp(name, "step"))
        *out = LK_ORBIT_STEP;
    else if (!strcmp(name, "cast"))
        *out = LK_ORBIT_CAST;
    else
        return false;
    return true;
}

void lk_orbit_clear(LkOrbit *o)
{
    if (o->outputs) g_array_unref(o->outputs);
    if (o->trace) g_array_unref(o->trace);
    g_free(o->transient_exact);
    memset(o, 0, sizeof *o);
}

void lk_orbit_set_transient(LkOrbit *o, const mpz_t mu)
{
    g_return_if_fail(o != NULL);
    g_free(o->transient_exact);
    o->transient_exact = mpz_get_str(NULL, 10, mu);
    o->transient_approx = mpz_get_d(mu);
    o->transient = mpz_fits_ulong_p(mu) ? mpz_get_ui(mu) : UINT64_MAX;
}

/* ---- stacks: the float engines in precision p ---- */

static void stack_decode(const System *s, const double *x)
{
    for (uint32_t i = 0; i < s->stack->n_layers; i++)
        s->outs[i] = lk_lrnn_decode_float(s->stack->layer[i], x + s->offset[i]);
}

static void stack_init(const System *s, double *x)
{
    for (uint32_t i = 0; i < s->stack->n_layers; i++)
        lk_lrnn_h0_precision(s->stack->layer[i], s->p, x + s->offset[i]);
}

/* Every letter through the routes (a readout outside the model's outputs
 * leaves the state as it is: no token can be chosen). */
static void stack_block(const System *s, double *x)
{
    for (size_t q = 0; q < s->len; q++) {
        stack_decode(s, x);
        if (!lk_stack_tokens(s->stack, s->letters[q], s->outs, s->tok)) return;
        for (uint32_t i = 0; i < s->stack->n_layers; i++)
            lk_lrnn_step_precision(s->stack->layer[i], s->p, x + s->offset[i], s->tok[i]);
    }
}

static int64_t stack_output(const System *s, const double *x)
{
    stack_decode(s, x);
    return lk_stack_output(s->stack, s->outs);
}

/* ---- matrices: dense multiply-accumulate in precision p ---- */

static void mat_init(const System *s, double *x)
{
    for (uint32_t i = 0; i < s->mat->n_layers; i++) {
        const LkMatLayer *l = &s->mat->layer[i];
        for (uint32_t j = 0; j < l->n; j++)
            x[s->offset[i] + j] = lk_precision_round(s->p, l->h0f[j]);
    }
}

static void mat_block(const System *s, double *x)
{
    const LkPrecision *p = s->p;
    for (size_t q = 0; q < s->len; q++) {
        uint32_t v = s->letters[q];
        for (uint32_t i = 0; i < s->mat->n_layers; i++) {
            const LkMatLayer *l = &s->mat->layer[i];
            const uint32_t n = l->n;
            const double *a = s->ar[i] + (size_t)v * n * n, *b = s->br[i] + (size_t)v * n;
            double *h = x + s->offset[i];
            for (uint32_t r = 0; r < n; r++) {
                double acc = lk_precision_mul(p, a[(size_t)r * n], h[0]);
                for (uint32_t c = 1; c < n; c++)
                    acc = lk_precision_add(p, acc, lk_precision_mul(p, a[(size_t)r * n + c], h[c]));
                s->acc[r] = lk_precision_add(p, acc, b[r]);
            }
            memcpy(h, s->acc, sizeof(double) * n);
            const int64_t y = lk_mat_layer_output(l, h);
            v = y > 0 ? 1 : 0; /* the next layer's token */
        }
    }
}

static int64_t mat_output(const System *s, const double *x)
{
    const uint32_t L = s->mat->n_layers;
    return lk_mat_layer_output(&s->mat->layer[L - 1], x + s->offset[L - 1]);
}

/* ---- Brent ---- */

/* The top layer's first two coordinates (0 for a 1-D layer). */
static void trace_add(const System *s, LkOrbit *out, const double *x)
{
    const double xy[2] = {x[s->top], s->top + 1 < s->dim ? x[s->top + 1] : 0};
    g_array_append_vals(out->trace, xy, 2);
}

static bool same(const System *s, const double *a, const double *b)
{
    return !memcmp(a, b, sizeof(double) * s->dim); /* bit patterns */
}

static bool brent(const System *s, uint64_t max_steps, LkOrbit *out, GError **error)
{
    *out = (LkOrbit){.model = LK_ORBIT_STEP};
    double *x0 = g_new(double, s->dim + 1), *t = g_new(double, s->dim + 1),
           *h = g_new(double, s->dim + 1);
    s->init(s, x0);
    out->trace = g_array_new(FALSE, FALSE, sizeof(double));
    trace_add(s, out, x0);
    uint64_t power = 1, lambda = 1, steps = 1;
    memcpy(t, x0, sizeof(double) * s->dim);
    memcpy(h, x0, sizeof(double) * s->dim);
    s->block(s, h);
    trace_add(s, out, h);
    bool ok = true;
    while (!same(s, t, h)) {
        if (steps >= max_steps) {
            ok = false;
            break;
        }
        if (power == lambda) {
            memcpy(t, h, sizeof(double) * s->dim);
            power *= 2;
            lambda = 0;
        }
        s->block(s, h);
        lambda++, steps++;
        if (out->trace->len <= 2 * 4096) trace_add(s, out, h);
    }
    if (ok) {
        uint64_t mu = 0;
        memcpy(t, x0, sizeof(double) * s->dim);
        memcpy(h, x0, sizeof(double) * s->dim);
        for (uint64_t i = 0; i < lambda; i++) s->block(s, h);
        steps += lambda;
        while (!same(s, t, h)) {
            s->block(s, t);
            s->block(s, h);
            mu++, steps += 2;
        }
        mpz_t z;
        mpz_init_set_ui(z, mu);
        lk_orbit_set_transient(out, z);
        mpz_clear(z);
        out->period = lambda, out->horizon = steps;
        out->certified = true, out->method = "repeated state";
        out->outputs = g_array_new(FALSE, FALSE, sizeof(int64_t));
        for (uint64_t i = 0; i < lambda && i < 4096; i++) {
            int64_t y = s->output(s, t);
            if (y >= 0 || s->stack) g_array_append_val(out->outputs, y);
            s->block(s, t);
        }
    } else {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "orbit: no state repeats within %" G_GUINT64_FORMAT
                    " steps (raise --max-steps)",
                    max_steps);
        lk_orbit_clear(out);
    }
    g_free(x0), g_free(t), g_free(h);
    return ok;
}

bool lk_orbit_stack_step(const LkStack *st, const LkPrecision *p, const uint32_t *block,
                         size_t block_len, const LkLimits *limits, LkOrbit *out, GError **error)
{
    g_return_val_if_fail(lk_precision_has_step(p), false);
    const uint32_t L = st->n_layers;
    System s = {.init = stack_init,
                .block = stack_block,
                .output = stack_output,
                .p = p,
                .letters = block,
                .len = block_len,
                .stack = st,
                .offset = g_new(uint32_t, L + 1),
                .outs = g_new(int64_t, L + 1),
                .tok = g_new(uint32_t, L + 1)};
    for (uint32_t i = 0; i < L; i++) s.offset[i] = s.dim, s.dim += st->layer[i]->n;
    s.top = s.offset[L - 1];
    bool ok = brent(&s, lk_orbit_max_steps(limits, LK_ORBIT_STEP), out, error);
    g_free(s.offset), g_free(s.outs), g_free(s.tok);
    return ok;
}

bool lk_orbit_matrices_step(const LkMatrices *m, const LkPrecision *p, const uint32_t *block,
                            size_t block_len, const LkLimits *limits, LkOrbit *out, GError **error)
{
    g_return_val_if_fail(lk_precision_has_step(p), false);
    const uint32_t L = m->n_layers;
    System s = {.init = mat_init,
                .block = mat_block,
                .output = mat_output,
                .p = p,
                .letters = block,
                .len = block_len,
                .mat = m,
                .offset = g_new(uint32_t, L + 1),
                .ar = g_new(double *, L + 1),
                .br = g_new(double *, L + 1)};
    uint32_t nmax = 1;
    for (uint32_t i = 0; i < L; i++) {
        const LkMatLayer *l = &m->layer[i];
        s.offset[i] = s.dim, s.dim += l->n, nmax = MAX(nmax, l->n);
        const size_t na = (size_t)l->V * l->n * l->n, nb = (size_t)l->V * l->n;
        s.ar[i] = g_new(double, na + 1), s.br[i] = g_new(double, nb + 1);
        for (size_t k = 0; k < na; k++) s.ar[i][k] = lk_precision_round(p, l->af[k]);
        for (size_t k = 0; k < nb; k++) s.br[i][k] = lk_precision_round(p, l->bf[k]);
    }
    s.acc = g_new(double, nmax + 1);
    s.top = s.offset[L - 1];
    bool ok = brent(&s, lk_orbit_max_steps(limits, LK_ORBIT_STEP), out, error);
    for (uint32_t i = 0; i < L; i++) g_free(s.ar[i]), g_free(s.br[i]);
    g_free(s.ar), g_free(s.br), g_free(s.offset), g_free(s.acc);
    return ok;
}
