/* Finite-precision orbits (see orbit.h). */
#include "proofs/orbit.h"

#include "automata/error.h"

#include <string.h>

typedef struct {
    const LkStack *s;
    LkEngine e;
    const uint32_t *block;
    size_t block_len;
    uint32_t dim;     /* sum of the layers' dimensions */
    uint32_t *offset; /* per layer: first coordinate in a state */
    int64_t *outs;    /* scratch: the layers' decoded outputs */
    uint32_t *tok;    /* scratch: the layers' tokens */
} Orbit;

static void decode(const Orbit *o, const double *x)
{
    for (uint32_t i = 0; i < o->s->n_layers; i++)
        o->outs[i] = lk_lrnn_decode_float(o->s->layer[i], x + o->offset[i]);
}

/* One block: every letter through the routes (a readout outside the
 * model's outputs leaves the state as it is: no token can be chosen). */
static void block_step(const Orbit *o, double *x)
{
    for (size_t p = 0; p < o->block_len; p++) {
        decode(o, x);
        if (!lk_stack_tokens(o->s, o->block[p], o->outs, o->tok)) return;
        for (uint32_t i = 0; i < o->s->n_layers; i++)
            lk_lrnn_step_float(o->s->layer[i], o->e, x + o->offset[i], o->tok[i]);
    }
}

static bool same(const Orbit *o, const double *a, const double *b)
{
    return !memcmp(a, b, sizeof(double) * o->dim); /* bit patterns */
}

void lk_orbit_clear(LkOrbit *o)
{
    if (o->outputs) g_array_unref(o->outputs);
    o->outputs = NULL;
}

bool lk_orbit_step(const LkStack *s, LkEngine e, const uint32_t *block, size_t block_len,
                   uint64_t max_steps, LkOrbit *out, GError **error)
{
    g_return_val_if_fail(e != LK_ENGINE_EXACT, false);
    *out = (LkOrbit){0};
    const uint32_t L = s->n_layers;
    Orbit o = {s,
               e,
               block,
               block_len,
               0,
               g_new(uint32_t, L + 1),
               g_new(int64_t, L + 1),
               g_new(uint32_t, L + 1)};
    for (uint32_t i = 0; i < L; i++) o.offset[i] = o.dim, o.dim += s->layer[i]->n;
    double *x0 = g_new(double, o.dim + 1), *t = g_new(double, o.dim + 1),
           *h = g_new(double, o.dim + 1);
    for (uint32_t i = 0; i < L; i++) lk_lrnn_h0_float(s->layer[i], e, x0 + o.offset[i]);
    /* Brent: the period lambda, then the transient mu */
    uint64_t power = 1, lambda = 1, steps = 1;
    memcpy(t, x0, sizeof(double) * o.dim);
    memcpy(h, x0, sizeof(double) * o.dim);
    block_step(&o, h);
    bool ok = true;
    while (!same(&o, t, h)) {
        if (steps >= max_steps) {
            ok = false;
            break;
        }
        if (power == lambda) {
            memcpy(t, h, sizeof(double) * o.dim);
            power *= 2;
            lambda = 0;
        }
        block_step(&o, h);
        lambda++, steps++;
    }
    uint64_t mu = 0;
    if (ok) {
        memcpy(t, x0, sizeof(double) * o.dim);
        memcpy(h, x0, sizeof(double) * o.dim);
        for (uint64_t i = 0; i < lambda; i++) block_step(&o, h);
        steps += lambda;
        while (!same(&o, t, h)) {
            block_step(&o, t);
            block_step(&o, h);
            mu++, steps += 2;
        }
        out->transient = mu, out->period = lambda, out->steps = steps;
        out->outputs = g_array_new(FALSE, FALSE, sizeof(int64_t));
        for (uint64_t i = 0; i < lambda && i < 4096; i++) { /* outputs along the cycle */
            decode(&o, t);
            int64_t y = lk_stack_output(s, o.outs);
            g_array_append_val(out->outputs, y);
            block_step(&o, t);
        }
    } else {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "orbit: no period within %" G_GUINT64_FORMAT " steps (raise --max-steps)",
                    max_steps);
    }
    g_free(x0), g_free(t), g_free(h);
    g_free(o.offset), g_free(o.outs), g_free(o.tok);
    return ok;
}
