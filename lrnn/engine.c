/* Engines: exact rationals and floating point with per-operation rounding.
 *
 * A factor acts as H <- H - beta k (k.H) + beta k v with k = u/|u|, v = c/|u|;
 * exactly, k k^T = u u^T / (u^T u) and k v = u c / (u^T u) are rational. The
 * float engines evaluate  s = round(beta * round(k.H)),  w = round(beta * v),
 * H_i <- round(H_i - round(k_i s)),  H_i <- round(H_i + round(k_i w)), every
 * sum in k.H rounded too; round() is the format's round-to-nearest-even
 * (float32 by a cast, bfloat16 / float16 by rounding the significand to 8 /
 * 11 bits, with float16's subnormals and overflow to infinity).
 */
#include "lrnn/engine.h"
#include "lrnn/lrnn-private.h"
#include "lrnn/precision.h"

#include <math.h>
#include <string.h>

bool lk_engine_parse(const char *name, LkEngine *out)
{
    g_return_val_if_fail(name != NULL, false);
    static const struct {
        const char *name;
        LkEngine e;
    } t[] = {{"exact", LK_ENGINE_EXACT},
             {"f64", LK_ENGINE_F64},
             {"f32", LK_ENGINE_F32},
             {"bf16", LK_ENGINE_BF16},
             {"f16", LK_ENGINE_F16}};
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
        if (strcmp(name, t[i].name) == 0) {
            *out = t[i].e;
            return true;
        }
    return false;
}

const char *lk_engine_name(LkEngine e)
{
    static const char *names[] = {"exact", "f64", "f32", "bf16", "f16"};
    return names[e];
}

static double round_bits(double x, int bits, int min_exp, double max)
{
    if (x == 0 || !isfinite(x)) return x;
    int e;
    frexp(x, &e);                         /* |x| in [2^(e-1), 2^e) */
    if (e - 1 < min_exp) e = min_exp + 1; /* subnormal: fixed quantum */
    double q = ldexp(1.0, e - bits);
    double r = nearbyint(x / q) * q; /* default rounding mode: to nearest even */
    if (fabs(r) > max) return r > 0 ? INFINITY : -INFINITY;
    return r;
}

double lk_engine_round(LkEngine e, double x)
{
    switch (e) {
    case LK_ENGINE_F32:
        return (double)(float)x;
    case LK_ENGINE_BF16:
        return round_bits(x, 8, -126, 3.3895313892515355e38);
    case LK_ENGINE_F16:
        return round_bits(x, 11, -14, 65504.0);
    default:
        return x;
    }
}

/* Angular layers: r <- 2 theta - r (mod 2) per reflection. */
static void step_angular(const LkToken *tk, mpq_t *h)
{
    mpq_t t;
    mpq_init(t);
    for (uint32_t j = 0; j < tk->n_factors; j++) {
        mpq_add(t, tk->f[j].theta, tk->f[j].theta);
        mpq_sub(h[0], t, h[0]);
        if (mpq_sgn(h[0]) < 0) { /* in (-2, 2): bring back to [0, 2) */
            mpq_set_ui(t, 2, 1);
            mpq_add(h[0], h[0], t);
        } else if (mpq_cmp_ui(h[0], 2, 1) >= 0) {
            mpq_set_ui(t, 2, 1);
            mpq_sub(h[0], h[0], t);
        }
    }
    mpq_clear(t);
}

void lk_lrnn_step_exact(const LkLrnn *m, mpq_t *h, uint32_t token)
{
    g_return_if_fail(m != NULL);
    const LkToken *tk = &m->tok[token];
    if (m->angular) {
        step_angular(tk, h);
        return;
    }
    mpq_t dot, t;
    mpq_inits(dot, t, NULL);
    if (tk->gated)
        for (uint32_t i = 0; i < m->n; i++) mpq_mul(h[i], h[i], tk->gate);
    for (uint32_t j = 0; j < tk->n_factors; j++) {
        const LkFactor *f = &tk->f[j];
        mpq_set_ui(dot, 0, 1);
        for (uint32_t i = 0; i < m->n; i++) {
            if (!mpq_sgn(f->u[i])) continue;
            mpq_mul(t, f->u[i], h[i]);
            mpq_add(dot, dot, t);
        }
        /* coefficient of u: beta (c - u.H) / u.u */
        mpq_sub(dot, f->c, dot);
        mpq_mul(dot, dot, f->beta);
        mpq_div(dot, dot, f->uu);
        if (!mpq_sgn(dot)) continue;
        for (uint32_t i = 0; i < m->n; i++) {
            if (!mpq_sgn(f->u[i])) continue;
            mpq_mul(t, dot, f->u[i]);
            mpq_add(h[i], h[i], t);
        }
    }
    mpq_clears(dot, t, NULL);
}

/* Float copies of the factors on the support of u: k = u/|u|, beta, v = c/|u|. */
struct LkFloatPlan {
    uint32_t *tok_first; /* per token: first factor; one extra */
    double *gate;        /* per token: NAN when ungated */
    uint32_t *sup_first; /* per factor: offset into sup / k; one extra */
    uint32_t *sup;
    double *k, *beta, *v;
    double *codes; /* n_codes x n */
};

static void unit_vector(const mpq_t angle, double *out)
{
    const double r = mpq_get_d(angle); /* in [0, 2) */
    out[0] = cos(M_PI * r);
    out[1] = sin(M_PI * r);
}

void lk_lrnn_float_factor(const LkLrnn *m, const LkFactor *f, double *key, double *beta, double *v)
{
    g_return_if_fail(m != NULL);
    *beta = mpq_get_d(f->beta);
    if (m->angular) { /* the normal of the line at angle pi theta */
        double dir[2];
        unit_vector(f->theta, dir);
        key[0] = -dir[1];
        key[1] = dir[0];
        *v = 0;
        return;
    }
    const double norm = sqrt(mpq_get_d(f->uu));
    for (uint32_t i = 0; i < m->n; i++) key[i] = mpq_get_d(f->u[i]) / norm;
    *v = mpq_get_d(f->c) / norm;
}

void lk_lrnn_h0_float(const LkLrnn *m, LkEngine e, double *h)
{
    g_return_if_fail(m != NULL);
    if (m->angular)
        unit_vector(m->h0[0], h);
    else
        for (uint32_t i = 0; i < m->n; i++) h[i] = mpq_get_d(m->h0[i]);
    for (uint32_t i = 0; i < m->n; i++) h[i] = lk_engine_round(e, h[i]);
}

void lk_lrnn_code_float(const LkLrnn *m, uint32_t c, double *out)
{
    g_return_if_fail(m != NULL);
    if (m->angular)
        unit_vector(m->codes[(size_t)c * m->n], out);
    else
        for (uint32_t i = 0; i < m->n; i++) out[i] = mpq_get_d(m->codes[(size_t)c * m->n + i]);
}

void lk_float_plan_free(struct LkFloatPlan *p)
{
    if (!p) return;
    g_free(p->tok_first);
    g_free(p->gate);
    g_free(p->sup_first);
    g_free(p->sup);
    g_free(p->k);
    g_free(p->beta);
    g_free(p->v);
    g_free(p->codes);
    g_free(p);
}

/* The float copies, derived by lk_lrnn_prepare. */
static const struct LkFloatPlan *float_plan(const LkLrnn *m)
{
    if (G_UNLIKELY(!m->fplan)) g_error("lk_lrnn_prepare was not called after the model was edited");
    return m->fplan;
}

void lk_lrnn_prepare(LkLrnn *m)
{
    g_return_if_fail(m != NULL);
    lk_float_plan_free(m->fplan);
    const uint32_t n = m->n, T = lk_alphabet_size(m->alphabet);
    struct LkFloatPlan *p = g_new0(struct LkFloatPlan, 1);
    uint32_t nf = 0;
    for (uint32_t a = 0; a < T; a++) nf += m->tok[a].n_factors;
    p->tok_first = g_new(uint32_t, T + 1);
    p->gate = g_new(double, T + 1);
    p->sup_first = g_new(uint32_t, nf + 1);
    p->beta = g_new(double, nf + 1);
    p->v = g_new(double, nf + 1);
    GArray *sup = g_array_new(FALSE, FALSE, sizeof(uint32_t)),
           *k = g_array_new(FALSE, FALSE, sizeof(double));
    uint32_t f = 0;
    double *key = g_new(double, n + 1);
    for (uint32_t a = 0; a < T; a++) {
        const LkToken *tk = &m->tok[a];
        p->tok_first[a] = f;
        p->gate[a] = tk->gated ? mpq_get_d(tk->gate) : NAN;
        for (uint32_t j = 0; j < tk->n_factors; j++, f++) {
            p->sup_first[f] = sup->len;
            lk_lrnn_float_factor(m, &tk->f[j], key, &p->beta[f], &p->v[f]);
            for (uint32_t i = 0; i < n; i++)
                if (key[i] != 0) {
                    g_array_append_val(sup, i);
                    g_array_append_val(k, key[i]);
                }
        }
    }
    g_free(key);
    p->codes = g_new(double, (size_t)m->n_codes *n + 1);
    for (uint32_t c = 0; c < m->n_codes; c++) lk_lrnn_code_float(m, c, p->codes + (size_t)c * n);
    p->tok_first[T] = f;
    p->sup_first[f] = sup->len;
    p->sup = (uint32_t *)(void *)g_array_free(sup, FALSE);
    p->k = (double *)(void *)g_array_free(k, FALSE);
    m->fplan = p;
}

/* float32 natively: C float arithmetic rounds every operation to float32
 * (FLT_EVAL_METHOD 0 on x86-64 SSE), so this is the same computation as the
 * generic path with lk_engine_round(LK_ENGINE_F32, .), only faster. */
static void step_f32(const LkLrnn *m, const struct LkFloatPlan *p, double *h, uint32_t token)
{
    if (!isnan(p->gate[token])) {
        float g = (float)p->gate[token];
        for (uint32_t i = 0; i < m->n; i++) h[i] = (float)(g * (float)h[i]);
    }
    for (uint32_t f = p->tok_first[token]; f < p->tok_first[token + 1]; f++) {
        const uint32_t s0 = p->sup_first[f], s1 = p->sup_first[f + 1];
        const float beta = (float)p->beta[f], v = (float)p->v[f];
        float dot = 0;
        for (uint32_t x = s0; x < s1; x++) dot = dot + (float)p->k[x] * (float)h[p->sup[x]];
        const float s = beta * dot, w = beta * v;
        for (uint32_t x = s0; x < s1; x++) {
            const float kx = (float)p->k[x];
            float hi = (float)h[p->sup[x]];
            hi = hi - kx * s;
            hi = hi + kx * w;
            h[p->sup[x]] = hi;
        }
    }
}

void lk_lrnn_step_precision(const LkLrnn *m, const LkPrecision *pr, double *h, uint32_t token)
{
    g_return_if_fail(lk_precision_has_step(pr));
    const struct LkFloatPlan *p = float_plan(m);
    if (pr->kind == LK_PRECISION_FLOAT && pr->format == LK_ENGINE_F32) {
        step_f32(m, p, h, token);
        return;
    }
#define R(x) lk_precision_round(pr, (x))
#define MUL(a, b) lk_precision_mul(pr, (a), (b))
#define ADD(a, b) lk_precision_add(pr, (a), (b))
    if (!isnan(p->gate[token])) {
        double g = R(p->gate[token]);
        for (uint32_t i = 0; i < m->n; i++) h[i] = MUL(g, h[i]);
    }
    for (uint32_t f = p->tok_first[token]; f < p->tok_first[token + 1]; f++) {
        const uint32_t s0 = p->sup_first[f], s1 = p->sup_first[f + 1];
        const double beta = R(p->beta[f]), v = R(p->v[f]);
        double dot = 0;
        for (uint32_t x = s0; x < s1; x++) dot = ADD(dot, MUL(R(p->k[x]), h[p->sup[x]]));
        const double s = MUL(beta, dot), w = MUL(beta, v);
        for (uint32_t x = s0; x < s1; x++) {
            const double kx = R(p->k[x]);
            double *hi = &h[p->sup[x]];
            *hi = ADD(*hi, -MUL(kx, s));
            *hi = ADD(*hi, MUL(kx, w));
        }
    }
#undef R
#undef MUL
#undef ADD
}

void lk_lrnn_step_float(const LkLrnn *m, LkEngine e, double *h, uint32_t token)
{
    g_return_if_fail(m != NULL);
    const LkPrecision p = lk_precision_float(e);
    lk_lrnn_step_precision(m, &p, h, token);
}

void lk_lrnn_h0_precision(const LkLrnn *m, const LkPrecision *p, double *h)
{
    g_return_if_fail(m != NULL);
    lk_lrnn_h0_float(m, LK_ENGINE_F64, h);
    for (uint32_t i = 0; i < m->n; i++) h[i] = lk_precision_round(p, h[i]);
}

/* Codebook decoding: the output of the nearest code (squared L2, exact). */
static int64_t nearest_code_exact(const LkLrnn *m, mpq_t *const h)
{
    mpq_t dist, best, t;
    mpq_inits(dist, best, t, NULL);
    int64_t out = -1;
    for (uint32_t c = 0; c < m->n_codes; c++) {
        mpq_set_ui(dist, 0, 1);
        for (uint32_t i = 0; i < m->n; i++) {
            mpq_sub(t, h[i], m->codes[(size_t)c * m->n + i]);
            mpq_mul(t, t, t);
            mpq_add(dist, dist, t);
        }
        if (out < 0 || mpq_cmp(dist, best) < 0) {
            mpq_set(best, dist);
            out = m->code_out[c];
        }
        if (!mpq_sgn(dist)) break;
    }
    mpq_clears(dist, best, t, NULL);
    return out;
}

/* Angular layers: the code at the least circular distance min(d, 2 - d). */
static int64_t nearest_angle_exact(const LkLrnn *m, mpq_t *const h)
{
    mpq_t d, best, two;
    mpq_inits(d, best, two, NULL);
    mpq_set_ui(two, 2, 1);
    int64_t out = -1;
    for (uint32_t c = 0; c < m->n_codes; c++) {
        mpq_sub(d, h[0], m->codes[(size_t)c * 2]);
        mpq_abs(d, d);
        mpq_sub(two, two, d); /* two := 2 - d, then the smaller of the two */
        if (mpq_cmp(two, d) < 0) mpq_swap(two, d);
        if (out < 0 || mpq_cmp(d, best) < 0) {
            mpq_set(best, d);
            out = m->code_out[c];
        }
        mpq_set_ui(two, 2, 1);
    }
    mpq_clears(d, best, two, NULL);
    return out;
}

int64_t lk_lrnn_decode_exact(const LkLrnn *m, mpq_t *const h)
{
    g_return_val_if_fail(m != NULL, -1);
    if (m->angular) return nearest_angle_exact(m, h);
    if (m->n_codes) return nearest_code_exact(m, h);
    mpq_t v, t;
    mpq_inits(v, t, NULL);
    for (uint32_t i = 0; i < m->n; i++) {
        mpq_set_ui(t, i + 1, 1);
        mpq_mul(t, t, h[i]);
        mpq_add(v, v, t);
    }
    /* round half up: floor(v + 1/2) */
    mpq_set_ui(t, 1, 2);
    mpq_add(v, v, t);
    mpz_t f;
    mpz_init(f);
    mpz_fdiv_q(f, mpq_numref(v), mpq_denref(v));
    int64_t idx = mpz_fits_slong_p(f) ? mpz_get_si(f) - 1 : -1;
    mpz_clear(f);
    mpq_clears(v, t, NULL);
    return idx >= 0 && idx < (int64_t)m->n ? idx : -1;
}

int64_t lk_lrnn_decode_float(const LkLrnn *m, const double *h)
{
    g_return_val_if_fail(m != NULL, -1);
    if (m->n_codes) {
        const double *codes = float_plan(m)->codes;
        int64_t out = -1;
        double best = INFINITY;
        for (uint32_t c = 0; c < m->n_codes; c++) {
            double dist = 0;
            for (uint32_t i = 0; i < m->n; i++) {
                double d = h[i] - codes[(size_t)c * m->n + i];
                dist += d * d;
            }
            if (dist < best) best = dist, out = m->code_out[c];
        }
        return out;
    }
    double v = 0;
    for (uint32_t i = 0; i < m->n; i++) v += (double)(i + 1) * h[i];
    if (!isfinite(v)) return -1;
    double r = floor(v + 0.5) - 1;
    return r >= 0 && r < m->n ? (int64_t)r : -1;
}

/* Exact run in int64 when the model allows; false on overflow or when not. */
static bool run_int(const LkLrnn *m, const uint32_t *word, size_t len, int64_t *states,
                    int64_t *last)
{
    LkIntPlan *p = lk_lrnn_int_plan(m);
    if (!p) return false;
    int64_t *h = g_new(int64_t, m->n + 1);
    for (uint32_t i = 0; i < m->n; i++) h[i] = mpz_get_si(mpq_numref(m->h0[i]));
    bool ok = true;
    *last = lk_int_plan_decode(p, h);
    for (size_t t = 0; ok && t < len; t++) {
        ok = lk_int_plan_step(p, h, word[t]);
        if (states) states[t] = lk_int_plan_decode(p, h);
    }
    *last = lk_int_plan_decode(p, h);
    g_free(h);
    lk_int_plan_free(p);
    return ok;
}

bool lk_lrnn_run(const LkLrnn *m, LkEngine e, const uint32_t *word, size_t len, int64_t *states)
{
    g_return_val_if_fail(m != NULL, false);
    int64_t idx;
    if (e == LK_ENGINE_EXACT && run_int(m, word, len, states, &idx)) {
        /* done in int64 */
    } else if (e == LK_ENGINE_EXACT) {
        mpq_t *h = g_new(mpq_t, m->n + 1);
        for (uint32_t i = 0; i < m->n; i++) {
            mpq_init(h[i]);
            mpq_set(h[i], m->h0[i]);
        }
        idx = lk_lrnn_decode_exact(m, h);
        for (size_t t = 0; t < len; t++) {
            lk_lrnn_step_exact(m, h, word[t]);
            idx = lk_lrnn_decode_exact(m, h);
            if (states) states[t] = idx;
        }
        for (uint32_t i = 0; i < m->n; i++) mpq_clear(h[i]);
        g_free(h);
    } else {
        double *h = g_new(double, m->n + 1);
        lk_lrnn_h0_float(m, e, h);
        for (size_t t = 0; t < len; t++) {
            lk_lrnn_step_float(m, e, h, word[t]);
            if (states) states[t] = lk_lrnn_decode_float(m, h);
        }
        idx = lk_lrnn_decode_float(m, h);
        g_free(h);
    }
    return idx >= 0 && idx < (int64_t)m->n_out && m->accept[idx];
}

/* ---- exact fast path: models whose states stay integral ----
 *
 * A factor updates H on the support S of u only:
 *   H_i <- H_i - sum_{j in S} (beta u_i u_j / u.u) H_j + beta c u_i / u.u.
 * When every such coefficient, every gate and h0 are integers, integral states
 * stay integral and int64 arithmetic (with overflow checks) is exact. */

struct LkIntPlan {
    uint32_t n;
    uint32_t n_codes; /* codebook readout (int64 codes), or 0 */
    int64_t *codes;
    uint32_t *code_out;
    GHashTable *code_index; /* GBytes of a code -> output + 1: exact matches in O(n) */
    uint32_t *tok_first;    /* per token: first factor index; one extra */
    int64_t *gate;          /* per token: -1 none, else 0 or 1 */
    uint32_t *sup_first;    /* per factor: offset into sup/w; one extra */
    uint32_t *sup;          /* support indices */
    int64_t *w;             /* per support entry */
    uint32_t *mat_first;    /* per factor: offset into mat (|S|^2 entries) */
    int64_t *mat;
};

static bool q_to_i64(const mpq_t q, int64_t *out)
{
    if (mpz_cmp_ui(mpq_denref(q), 1) != 0 || !mpz_fits_slong_p(mpq_numref(q))) return false;
    *out = mpz_get_si(mpq_numref(q));
    return true;
}

LkIntPlan *lk_lrnn_int_plan(const LkLrnn *m)
{
    g_return_val_if_fail(m != NULL, NULL);
    const uint32_t n = m->n, k = lk_alphabet_size(m->alphabet);
    int64_t v;
    if (m->angular) return NULL;
    for (uint32_t i = 0; i < n; i++)
        if (!q_to_i64(m->h0[i], &v)) return NULL;
    LkIntPlan *p = g_new0(LkIntPlan, 1);
    p->n = n;
    if (m->n_codes) {
        p->n_codes = m->n_codes;
        p->codes = g_new(int64_t, (size_t)m->n_codes * n + 1);
        p->code_out = g_memdup2(m->code_out, sizeof(uint32_t) * m->n_codes);
        for (size_t i = 0; i < (size_t)m->n_codes * n; i++)
            if (!q_to_i64(m->codes[i], &p->codes[i])) {
                lk_int_plan_free(p);
                return NULL;
            }
        p->code_index =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
        for (uint32_t c = m->n_codes; c-- > 0;) /* the first code wins on duplicates */
            g_hash_table_insert(p->code_index,
                                g_bytes_new(p->codes + (size_t)c * n, sizeof(int64_t) * n),
                                GUINT_TO_POINTER(p->code_out[c] + 1));
    }
    p->tok_first = g_new(uint32_t, k + 1);
    p->gate = g_new(int64_t, k + 1);
    GArray *sf = g_array_new(FALSE, FALSE, 4), *sup = g_array_new(FALSE, FALSE, 4);
    GArray *w = g_array_new(FALSE, FALSE, 8), *mf = g_array_new(FALSE, FALSE, 4),
           *mat = g_array_new(FALSE, FALSE, 8);
    mpq_t t;
    mpq_init(t);
    bool ok = true;
    uint32_t nf = 0;
    for (uint32_t a = 0; a < k && ok; a++) {
        const LkToken *tk = &m->tok[a];
        p->tok_first[a] = nf;
        p->gate[a] = -1;
        if (tk->gated) ok = q_to_i64(tk->gate, &p->gate[a]);
        for (uint32_t j = 0; j < tk->n_factors && ok; j++, nf++) {
            const LkFactor *f = &tk->f[j];
            uint32_t s0 = sup->len, m0 = mat->len;
            g_array_append_val(sf, s0);
            g_array_append_val(mf, m0);
            for (uint32_t i = 0; i < n; i++)
                if (mpq_sgn(f->u[i])) g_array_append_val(sup, i);
            for (uint32_t x = s0; x < sup->len && ok; x++) {
                uint32_t i = g_array_index(sup, uint32_t, x);
                mpq_mul(t, f->beta, f->c);
                mpq_mul(t, t, f->u[i]);
                mpq_div(t, t, f->uu);
                ok = q_to_i64(t, &v);
                g_array_append_val(w, v);
                for (uint32_t y = s0; y < sup->len && ok; y++) {
                    mpq_mul(t, f->beta, f->u[i]);
                    mpq_mul(t, t, f->u[g_array_index(sup, uint32_t, y)]);
                    mpq_div(t, t, f->uu);
                    ok = q_to_i64(t, &v);
                    g_array_append_val(mat, v);
                }
            }
        }
    }
    p->tok_first[k] = nf;
    uint32_t end = sup->len, mend = mat->len;
    g_array_append_val(sf, end);
    g_array_append_val(mf, mend);
    mpq_clear(t);
    p->sup_first = (uint32_t *)(void *)g_array_free(sf, FALSE);
    p->sup = (uint32_t *)(void *)g_array_free(sup, FALSE);
    p->w = (int64_t *)(void *)g_array_free(w, FALSE);
    p->mat_first = (uint32_t *)(void *)g_array_free(mf, FALSE);
    p->mat = (int64_t *)(void *)g_array_free(mat, FALSE);
    if (!ok) {
        lk_int_plan_free(p);
        return NULL;
    }
    return p;
}

void lk_int_plan_free(LkIntPlan *p)
{
    if (!p) return;
    g_free(p->codes);
    g_free(p->code_out);
    if (p->code_index) g_hash_table_unref(p->code_index);
    g_free(p->tok_first);
    g_free(p->gate);
    g_free(p->sup_first);
    g_free(p->sup);
    g_free(p->w);
    g_free(p->mat_first);
    g_free(p->mat);
    g_free(p);
}

bool lk_int_plan_step(const LkIntPlan *p, int64_t *h, uint32_t token)
{
    g_return_val_if_fail(p != NULL, false);
    if (p->gate[token] == 0) memset(h, 0, sizeof(int64_t) * p->n);
    int64_t old[64], *o = old;
    for (uint32_t f = p->tok_first[token]; f < p->tok_first[token + 1]; f++) {
        const uint32_t s0 = p->sup_first[f], s = p->sup_first[f + 1] - s0;
        const uint32_t *sup = p->sup + s0;
        const int64_t *mat = p->mat + p->mat_first[f], *w = p->w + s0;
        if (s > 64) o = g_newa(int64_t, s);
        for (uint32_t x = 0; x < s; x++) o[x] = h[sup[x]];
        for (uint32_t x = 0; x < s; x++) {
            int64_t acc = o[x], prod;
            for (uint32_t y = 0; y < s; y++) {
                if (__builtin_mul_overflow(mat[x * s + y], o[y], &prod) ||
                    __builtin_sub_overflow(acc, prod, &acc))
                    return false;
            }
            if (__builtin_add_overflow(acc, w[x], &acc)) return false;
            h[sup[x]] = acc;
        }
    }
    return true;
}

int64_t lk_int_plan_decode(const LkIntPlan *p, const int64_t *h)
{
    g_return_val_if_fail(p != NULL, -1);
    if (p->n_codes) { /* exact match; else the nearest (squared L2) */
        GBytes *k = g_bytes_new_static(h, sizeof(int64_t) * p->n);
        gpointer hit = g_hash_table_lookup(p->code_index, k);
        g_bytes_unref(k);
        if (hit) return (int64_t)GPOINTER_TO_UINT(hit) - 1;
        int64_t out = -1;
        __int128 best = 0;
        for (uint32_t c = 0; c < p->n_codes; c++) {
            __int128 dist = 0;
            for (uint32_t i = 0; i < p->n; i++) {
                __int128 d = (__int128)h[i] - p->codes[(size_t)c * p->n + i];
                dist += d * d;
            }
            if (out < 0 || dist < best) best = dist, out = p->code_out[c];
            if (dist == 0) break;
        }
        return out;
    }
    __int128 v = 0;
    for (uint32_t i = 0; i < p->n; i++) v += (__int128)(i + 1) * h[i];
    return v >= 1 && v <= p->n ? (int64_t)v - 1 : -1;
}
