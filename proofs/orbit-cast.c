/* `cast` orbits: the paper's precision model, certified where the powers
 * have a closed form (see orbit.h).
 *
 * Terms. Under a block x_0 .. x_{l-1} repeated, the state after k blocks is
 * M^k H_0 + sum_{j<k} sum_r M^j c_r with M = A_{l-1} ... A_0 and
 * c_r = A_{l-1} ... A_{r+1} B_r (the letter at position r of a block), and
 * H^_k = cast(S_k + Y_k), S_k = sum_{j<k} sum_r cast(M^j c_r),
 * Y_k = cast(M^k H_0): the per-letter definition read at block boundaries.
 * Each coordinate of M^j v is a term. With M diagonal a term is c r^j (r a
 * diagonal entry); with M = I + w z^T, t = z.w != 0, it is a + c r^j with
 * r = 1 + t, c = w (z.v) / t, a = v - c; with M^p = I it is p-periodic.
 */
#include "proofs/orbit.h"

#include "automata/error.h"

#include <math.h>
#include <string.h>

static mpq_t *qv_new(size_t n)
{
    mpq_t *v = g_new(mpq_t, n + 1);
    for (size_t i = 0; i < n; i++) mpq_init(v[i]);
    return v;
}

static void qv_free(mpq_t *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) mpq_clear(v[i]);
    g_free(v);
}

/* y <- A x (n x n); y must not alias x. */
static void matvec(const mpq_t *a, uint32_t n, mpq_t *const x, mpq_t *y, mpq_t t)
{
    for (uint32_t i = 0; i < n; i++) {
        mpq_set_ui(y[i], 0, 1);
        for (uint32_t j = 0; j < n; j++) {
            if (!mpq_sgn(a[(size_t)i * n + j]) || !mpq_sgn(x[j])) continue;
            mpq_mul(t, a[(size_t)i * n + j], x[j]);
            mpq_add(y[i], y[i], t);
        }
    }
}

/* c <- a b (n x n) */
static void matmul(const mpq_t *a, const mpq_t *b, uint32_t n, mpq_t *c, mpq_t t)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            mpq_set_ui(c[(size_t)i * n + j], 0, 1);
            for (uint32_t k = 0; k < n; k++) {
                mpq_mul(t, a[(size_t)i * n + k], b[(size_t)k * n + j]);
                mpq_add(c[(size_t)i * n + j], c[(size_t)i * n + j], t);
            }
        }
}

static double qlog2(const mpq_t q) /* log2 |q|, q != 0, without underflow */
{
    signed long e1, e2;
    double m1 = mpz_get_d_2exp(&e1, mpq_numref(q)), m2 = mpz_get_d_2exp(&e2, mpq_denref(q));
    return log2(fabs(m1)) - log2(m2) + (double)(e1 - e2);
}

/* ---- the block's closed form ---- */

typedef enum { FORM_NONE, FORM_DIAGONAL, FORM_RANK_ONE, FORM_FINITE } Form;

typedef struct {
    uint32_t n;
    Form form;
    mpq_t *m;    /* the block's matrix */
    mpq_t *w, *z; /* FORM_RANK_ONE: M = I + w z^T */
    mpq_t t;      /* z.w */
    uint64_t order; /* FORM_FINITE: M^order = I */
} Block;

static void classify(Block *b, uint32_t max_order)
{
    const uint32_t n = b->n;
    mpq_t *d = qv_new((size_t)n * n), s;
    mpq_init(s);
    bool diag = true;
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            mpq_set(d[(size_t)i * n + j], b->m[(size_t)i * n + j]);
            if (i == j) mpq_set_ui(s, 1, 1), mpq_sub(d[(size_t)i * n + j], d[(size_t)i * n + j], s);
            if (i != j && mpq_sgn(b->m[(size_t)i * n + j])) diag = false;
        }
    b->form = FORM_NONE;
    if (diag) {
        b->form = FORM_DIAGONAL;
        goto out;
    }
    /* M - I = w z^T: w a nonzero column, z^T its row scaled */
    uint32_t pi = n, pj = n;
    for (uint32_t i = 0; i < n && pi == n; i++)
        for (uint32_t j = 0; j < n; j++)
            if (mpq_sgn(d[(size_t)i * n + j])) {
                pi = i, pj = j;
                break;
            }
    b->w = qv_new(n), b->z = qv_new(n);
    for (uint32_t i = 0; i < n; i++) mpq_set(b->w[i], d[(size_t)i * n + pj]);
    for (uint32_t j = 0; j < n; j++) mpq_div(b->z[j], d[(size_t)pi * n + j], d[(size_t)pi * n + pj]);
    bool rank1 = true;
    for (uint32_t i = 0; i < n && rank1; i++)
        for (uint32_t j = 0; j < n && rank1; j++) {
            mpq_mul(s, b->w[i], b->z[j]);
            rank1 = mpq_equal(s, d[(size_t)i * n + j]);
        }
    mpq_set_ui(b->t, 0, 1);
    for (uint32_t i = 0; i < n; i++) mpq_mul(s, b->z[i], b->w[i]), mpq_add(b->t, b->t, s);
    if (rank1 && mpq_sgn(b->t)) {
        b->form = FORM_RANK_ONE;
        goto out;
    }
    /* finite order: M^p = I for some p <= max_order (entries must stay small) */
    mpq_t *pw = qv_new((size_t)n * n), *nx = qv_new((size_t)n * n);
    for (size_t i = 0; i < (size_t)n * n; i++) mpq_set(pw[i], b->m[i]);
    for (uint32_t p = 1; p <= max_order; p++) {
        bool id = true;
        for (uint32_t i = 0; i < n && id; i++)
            for (uint32_t j = 0; j < n && id; j++)
                id = mpq_cmp_si(pw[(size_t)i * n + j], i == j, 1) == 0;
        if (id) {
            b->form = FORM_FINITE, b->order = p;
            break;
        }
        bool big = false;
        for (size_t i = 0; i < (size_t)n * n && !big; i++)
            big = mpz_sizeinbase(mpq_numref(pw[i]), 2) + mpz_sizeinbase(mpq_denref(pw[i]), 2) > 4096;
        if (big) break;
        matmul(pw, b->m, n, nx, s);
        mpq_t *tmp = pw;
        pw = nx, nx = tmp;
    }
    qv_free(pw, (size_t)n * n), qv_free(nx, (size_t)n * n);
out:
    qv_free(d, (size_t)n * n);
    mpq_clear(s);
}

/* ---- terms a + c r^j and their eventual casts ---- */

typedef struct {
    mpq_t a, c, r, pw;  /* pw = r^j at the current j */
    uint64_t onset;     /* from here on the cast is periodic with period `period` */
    uint32_t period;    /* 1 or 2 */
    mpq_t last[2];      /* the casts at the last two j evaluated */
} Term;

/* The least j >= 0 with |c| |r|^j < d (|r| < 1, d > 0), or > limit. */
static uint64_t decay_onset(mpq_srcptr c, mpq_srcptr r, mpq_srcptr d, uint64_t limit)
{
    mpq_t ac, ar, x;
    mpq_inits(ac, ar, x, NULL);
    mpq_abs(ac, c), mpq_abs(ar, r);
    double est = (qlog2(d) - qlog2(ac)) / qlog2(ar);
    uint64_t j = est <= 0 ? 0 : est > 1e18 ? limit + 1 : (uint64_t)ceil(est);
    for (int tries = 0; j <= limit && tries < 64; tries++) {
        mpz_pow_ui(mpq_numref(x), mpq_numref(ar), j);
        mpz_pow_ui(mpq_denref(x), mpq_denref(ar), j);
        mpq_mul(x, x, ac);
        if (mpq_cmp(x, d) < 0) break;
        j += 1 + j / 64;
    }
    mpq_clears(ac, ar, x, NULL);
    return j;
}

/* The distance from a to the boundary of D past it on side dir (+1 / -1),
 * where a lies strictly inside the cell of v = cast(a) or on its boundary;
 * false when there is none (D's extreme: the cast saturates). */
static bool boundary(const LkPrecision *p, const mpq_t v, int dir, mpq_t out)
{
    if (!lk_precision_next(p, v, dir, out)) return false;
    mpq_add(out, out, v);
    mpq_div_2exp(out, out, 1);
    return true;
}

/* Sets t->onset and t->period; false when the onset is past limit. */
static bool term_analyse(const LkPrecision *p, Term *t, uint64_t limit)
{
    mpq_t v, lo, hi, d, x;
    mpq_inits(v, lo, hi, d, x, NULL);
    bool ok = true;
    t->period = 1, t->onset = 0;
    const int rs = mpq_cmp_ui(t->r, 1, 1), rm = mpq_cmp_si(t->r, -1, 1);
    mpq_abs(x, t->r);
    const int mag = mpq_cmp_ui(x, 1, 1);
    if (!mpq_sgn(t->c) || rs == 0) {
        t->onset = 0; /* constant */
    } else if (!mpq_sgn(t->r)) {
        t->onset = 1; /* a + c, then a */
    } else if (rm == 0) {
        t->period = 2; /* a + c, a - c, ... */
    } else if (mag < 0) {
        lk_precision_cast(p, v, t->a);
        const bool has_lo = boundary(p, v, -1, lo), has_hi = boundary(p, v, 1, hi);
        const bool on_lo = has_lo && mpq_equal(t->a, lo), on_hi = has_hi && mpq_equal(t->a, hi);
        if (!on_lo && !on_hi) { /* strictly inside: d = distance to the nearer boundary */
            bool any = false;
            if (has_lo) mpq_sub(d, t->a, lo), any = true;
            if (has_hi) {
                mpq_sub(x, hi, t->a);
                if (!any || mpq_cmp(x, d) < 0) mpq_set(d, x);
                any = true;
            }
            t->onset = any ? decay_onset(t->c, t->r, d, limit) : 0;
        } else {
            /* a is the boundary between two values: the cells on both sides */
            mpq_t v1, v2, b0, b2;
            mpq_inits(v1, v2, b0, b2, NULL);
            mpq_t *b = on_lo ? &lo : &hi;
            lk_precision_next(p, v, on_lo ? -1 : 1, on_lo ? v1 : v2);
            mpq_set(on_lo ? v2 : v1, v);
            const bool has_b0 = boundary(p, v1, -1, b0), has_b2 = boundary(p, v2, 1, b2);
            const bool up = mpq_sgn(t->c) > 0, pos = mpq_sgn(t->r) > 0;
            bool any = false;
            if ((!pos || up) && has_b2) mpq_sub(d, b2, *b), any = true;
            if ((!pos || !up) && has_b0) {
                mpq_sub(x, *b, b0);
                if (!any || mpq_cmp(x, d) < 0) mpq_set(d, x);
                any = true;
            }
            t->onset = any ? decay_onset(t->c, t->r, d, limit) : 0;
            t->period = pos ? 1 : 2;
            mpq_clears(v1, v2, b0, b2, NULL);
        }
    } else {
        /* |r| > 1: |a + c r^j| >= |c| |r|^j - |a| exceeds every boundary */
        lk_precision_extreme(p, 1, hi), lk_precision_extreme(p, -1, lo);
        mpq_abs(lo, lo);
        mpq_set(d, mpq_cmp(hi, lo) > 0 ? hi : lo);
        mpq_abs(x, t->a);
        mpq_add(d, d, x);
        mpq_abs(x, t->c);
        const double est = (qlog2(d) - qlog2(x)) / qlog2(t->r);
        t->onset = est < 0 ? 0 : est > 1e18 ? limit + 1 : (uint64_t)ceil(est) + 1;
        t->period = mpq_sgn(t->r) > 0 ? 1 : 2;
    }
    if (t->onset > limit) ok = false;
    mpq_clears(v, lo, hi, d, x, NULL);
    return ok;
}

static void term_init(Term *t)
{
    mpq_inits(t->a, t->c, t->r, t->pw, t->last[0], t->last[1], NULL);
    mpq_set_ui(t->pw, 1, 1);
}

static void term_clear(Term *t)
{
    mpq_clears(t->a, t->c, t->r, t->pw, t->last[0], t->last[1], NULL);
}

/* out <- cast of the term at j (called for j = 0, 1, 2, ... in order). */
static void term_cast(const LkPrecision *p, Term *t, uint64_t j, mpq_t out)
{
    if (j >= t->onset + 2) { /* periodic: the cast two steps back, or one */
        mpq_set(out, t->last[t->period == 2 ? j & 1 : 0]);
        return;
    }
    mpq_mul(out, t->c, t->pw);
    mpq_add(out, out, t->a);
    lk_precision_cast(p, out, out);
    mpq_set(t->last[t->period == 2 ? j & 1 : 0], out);
    mpq_mul(t->pw, t->pw, t->r);
}

/* ---- observed periods ---- */

static bool same_state(mpq_t *const st, uint32_t dim, uint64_t i, uint64_t j)
{
    for (uint32_t c = 0; c < dim; c++)
        if (!mpq_equal(st[i * dim + c], st[j * dim + c])) return false;
    return true;
}

/* The least period lam <= count / 2 of the last half of the states (each
 * dim values) and the least transient with it; false when none. */
static bool observe(mpq_t *const st, uint32_t dim, uint64_t count, uint64_t *mu, uint64_t *lam)
{
    const uint64_t half = count / 2;
#define EQ(i, j) same_state(st, dim, i, j)
    for (uint64_t l = 1; l <= half; l++) {
        if (!EQ(count - 1, count - 1 - l)) continue; /* the cheap necessary condition first */
        bool ok = true;
        for (uint64_t k = half; k + l < count && ok; k++) ok = EQ(k, k + l);
        if (!ok) continue;
        uint64_t m = half;
        while (m > 0 && EQ(m - 1, m - 1 + l)) m--;
        *mu = m, *lam = l;
        return true;
    }
#undef EQ
    return false;
}

static bool periodic_equal(mpq_t *const st, uint32_t n, const bool *sat, uint64_t i, uint64_t j)
{
    for (uint32_t c = 0; c < n; c++)
        if (!sat[c] && !mpq_equal(st[i * n + c], st[j * n + c])) return false;
    return true;
}

/* ---- the states H^_0 .. H^_count-1 and what is read off them ---- */

typedef struct {
    const LkMatrices *m;
    const LkLrnn *decoder;
    const LkPrecision *p;
    uint32_t dim, top; /* state size (all layers), first coordinate of the top layer */
    uint64_t count;
    mpq_t *st; /* count x dim */
} States;

static void states_init(States *s, uint64_t count)
{
    s->count = count;
    s->st = qv_new(count * s->dim);
}

static void states_clear(States *s)
{
    qv_free(s->st, s->count * s->dim);
    s->st = NULL;
}

static int64_t decode(const States *s, mpq_t *const h)
{
    const LkMatLayer *l = &s->m->layer[s->m->n_layers - 1];
    if (s->decoder) return lk_lrnn_decode_exact(s->decoder, h);
    if (!l->readout) return -1;
    double *x = g_new(double, l->n + 1);
    for (uint32_t i = 0; i < l->n; i++) x[i] = mpq_get_d(h[i]);
    int64_t y = lk_mat_layer_output(l, x);
    g_free(x);
    return y;
}

/* outputs along the cycle given its states (cycle[i]: dim values each) */
static void fill_outputs(const States *s, LkOrbit *out, mpq_t *const *cycle, uint64_t period)
{
    out->outputs = g_array_new(FALSE, FALSE, sizeof(int64_t));
    if (!s->decoder && !s->m->layer[s->m->n_layers - 1].readout) return;
    for (uint64_t i = 0; i < period && i < 4096; i++) {
        int64_t y = decode(s, cycle[i] + s->top);
        g_array_append_val(out->outputs, y);
    }
}

static void fill_trace(const States *s, LkOrbit *out)
{
    out->trace = g_array_new(FALSE, FALSE, sizeof(double));
    for (uint64_t k = 0; k < s->count && k <= 4096; k++) {
        double x = mpq_get_d(s->st[k * s->dim + s->top]);
        g_array_append_val(out->trace, x);
    }
}

static bool finish_observed(const States *s, LkOrbit *out, GError **error)
{
    uint64_t mu, lam;
    if (!observe(s->st, s->dim, s->count, &mu, &lam)) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "orbit (cast): no period shows within %" G_GUINT64_FORMAT
                    " steps (raise --max-steps)",
                    s->count - 1);
        return false;
    }
    mpz_t z;
    mpz_init_set_ui(z, mu);
    lk_orbit_set_transient(out, z);
    mpz_clear(z);
    out->period = lam, out->certified = false, out->method = "observed";
    out->horizon = s->count - 1;
    mpq_t **cycle = g_new(mpq_t *, MIN(lam, 4096) + 1);
    for (uint64_t i = 0; i < lam && i < 4096; i++) cycle[i] = s->st + (mu + i) * s->dim;
    fill_outputs(s, out, cycle, lam);
    g_free(cycle);
    fill_trace(s, out);
    return true;
}

/* ---- one layer ---- */

typedef struct {
    uint32_t n, F; /* dimension; families: F - 1 summed vectors c_r, then H_0 */
    Block b;
    mpq_t *fam;    /* F x n */
} Single;

static void single_init(Single *s, const LkMatLayer *l, const uint32_t *block, size_t len)
{
    const uint32_t n = l->n;
    s->n = n, s->F = (uint32_t)len + 1;
    s->b = (Block){.n = n, .m = qv_new((size_t)n * n)};
    mpq_init(s->b.t);
    s->fam = qv_new((size_t)s->F * n);
    mpq_t *tmp = qv_new((size_t)n * n), *v = qv_new(n), t;
    mpq_init(t);
    for (uint32_t i = 0; i < n; i++) mpq_set_ui(s->b.m[(size_t)i * n + i], 1, 1);
    for (size_t r = 0; r < len; r++) { /* M <- A_r M */
        matmul(l->a + (size_t)block[r] * n * n, s->b.m, n, tmp, t);
        for (size_t i = 0; i < (size_t)n * n; i++) mpq_set(s->b.m[i], tmp[i]);
    }
    for (size_t r = 0; r < len; r++) { /* c_r = A_{l-1} ... A_{r+1} B_r */
        mpq_t *c = s->fam + r * n;
        for (uint32_t i = 0; i < n; i++) mpq_set(c[i], l->b[(size_t)block[r] * n + i]);
        for (size_t q = r + 1; q < len; q++) {
            matvec(l->a + (size_t)block[q] * n * n, n, c, v, t);
            for (uint32_t i = 0; i < n; i++) mpq_set(c[i], v[i]);
        }
    }
    for (uint32_t i = 0; i < n; i++) mpq_set(s->fam[len * n + i], l->h0[i]);
    qv_free(tmp, (size_t)n * n), qv_free(v, n);
    mpq_clear(t);
}

static void single_clear(Single *s)
{
    const uint32_t n = s->n;
    qv_free(s->b.m, (size_t)n * n), qv_free(s->b.w, n), qv_free(s->b.z, n);
    mpq_clear(s->b.t);
    qv_free(s->fam, (size_t)s->F * n);
}

/* The terms of every family and coordinate (diagonal / rank-one forms). */
static Term *make_terms(const Single *s)
{
    const uint32_t n = s->n;
    Term *terms = g_new(Term, (size_t)s->F * n + 1);
    mpq_t zv;
    mpq_init(zv);
    for (uint32_t f = 0; f < s->F; f++) {
        mpq_t *v = s->fam + (size_t)f * n;
        if (s->b.form == FORM_RANK_ONE) {
            mpq_set_ui(zv, 0, 1);
            for (uint32_t i = 0; i < n; i++) {
                Term *t = &terms[(size_t)f * n + i];
                term_init(t);
                mpq_mul(t->a, s->b.z[i], v[i]);
                mpq_add(zv, zv, t->a);
            }
            mpq_div(zv, zv, s->b.t); /* (z.v) / t */
        }
        for (uint32_t i = 0; i < n; i++) {
            Term *t = &terms[(size_t)f * n + i];
            if (s->b.form == FORM_DIAGONAL) {
                term_init(t);
                mpq_set(t->c, v[i]);
                mpq_set(t->r, s->b.m[(size_t)i * n + i]);
            } else {
                mpq_mul(t->c, s->b.w[i], zv);
                mpq_sub(t->a, v[i], t->c);
                mpq_set_ui(t->r, 1, 1);
                mpq_add(t->r, t->r, s->b.t);
            }
        }
    }
    mpq_clear(zv);
    return terms;
}

/* Exact families without a closed form, in integers: M = Mi / d and the
 * family vectors u / den (den = den_0 d^j), so that no step needs a gcd. */
typedef struct {
    uint32_t n, F;
    mpz_t *mi, d;
    mpz_t *u, *den; /* F x n, F */
    mpz_t *tmp;
} IntFamilies;

static void int_families_init(IntFamilies *x, const Single *s)
{
    const uint32_t n = s->n, F = s->F;
    x->n = n, x->F = F;
    mpz_init_set_ui(x->d, 1);
    for (size_t i = 0; i < (size_t)n * n; i++) mpz_lcm(x->d, x->d, mpq_denref(s->b.m[i]));
    x->mi = g_new(mpz_t, (size_t)n * n + 1);
    for (size_t i = 0; i < (size_t)n * n; i++) {
        mpz_init(x->mi[i]);
        mpz_divexact(x->mi[i], x->d, mpq_denref(s->b.m[i]));
        mpz_mul(x->mi[i], x->mi[i], mpq_numref(s->b.m[i]));
    }
    x->u = g_new(mpz_t, (size_t)F * n + 1), x->den = g_new(mpz_t, F + 1);
    x->tmp = g_new(mpz_t, n + 1);
    for (uint32_t i = 0; i < n; i++) mpz_init(x->tmp[i]);
    for (uint32_t f = 0; f < F; f++) {
        mpz_init_set_ui(x->den[f], 1);
        for (uint32_t i = 0; i < n; i++) mpz_lcm(x->den[f], x->den[f], mpq_denref(s->fam[(size_t)f * n + i]));
        for (uint32_t i = 0; i < n; i++) {
            mpz_t *u = &x->u[(size_t)f * n + i];
            mpz_init(*u);
            mpz_divexact(*u, x->den[f], mpq_denref(s->fam[(size_t)f * n + i]));
            mpz_mul(*u, *u, mpq_numref(s->fam[(size_t)f * n + i]));
        }
    }
}

static void int_families_clear(IntFamilies *x)
{
    for (size_t i = 0; i < (size_t)x->n * x->n; i++) mpz_clear(x->mi[i]);
    for (size_t i = 0; i < (size_t)x->F * x->n; i++) mpz_clear(x->u[i]);
    for (uint32_t f = 0; f < x->F; f++) mpz_clear(x->den[f]);
    for (uint32_t i = 0; i < x->n; i++) mpz_clear(x->tmp[i]);
    mpz_clear(x->d);
    g_free(x->mi), g_free(x->u), g_free(x->den), g_free(x->tmp);
}

/* Casts of the families at power j, into cx (F x n): from the terms, or
 * from the integer families (then advanced by M). */
static void family_casts(const LkPrecision *p, const Single *s, Term *terms, IntFamilies *x,
                         uint64_t j, mpq_t *cx, mpq_t q)
{
    const uint32_t n = s->n;
    for (uint32_t f = 0; f < s->F; f++) {
        mpq_t *out = cx + (size_t)f * n;
        if (terms) {
            for (uint32_t i = 0; i < n; i++) term_cast(p, &terms[(size_t)f * n + i], j, out[i]);
            continue;
        }
        mpz_t *u = x->u + (size_t)f * n;
        for (uint32_t i = 0; i < n; i++) { /* u_i / den: the cast reads it uncanonicalized */
            mpz_set(mpq_numref(q), u[i]);
            mpz_set(mpq_denref(q), x->den[f]);
            lk_precision_cast(p, out[i], q);
        }
        for (uint32_t i = 0; i < n; i++) {
            mpz_set_ui(x->tmp[i], 0);
            for (uint32_t c = 0; c < n; c++)
                if (mpz_sgn(x->mi[(size_t)i * n + c])) mpz_addmul(x->tmp[i], x->mi[(size_t)i * n + c], u[c]);
        }
        for (uint32_t i = 0; i < n; i++) mpz_swap(u[i], x->tmp[i]);
        mpz_mul(x->den[f], x->den[f], x->d);
    }
}

/* Simulates H^_0 .. H^_{count-1} into st; S_k kept for k = K .. K + P in
 * sk (P + 1 vectors) and z_k = S_k + Y_k for k = K .. K + P - 1 in zk,
 * when sk is not NULL. FORM_FINITE repeats its casts with period order. */
static void simulate(const LkPrecision *p, const Single *s, Term *terms, uint64_t count,
                     mpq_t *st, uint64_t K, uint64_t P, mpq_t *sk, mpq_t *zk)
{
    const uint32_t n = s->n, F = s->F;
    const bool finite = s->b.form == FORM_FINITE;
    const uint64_t store = finite ? MIN(count, s->b.order) : 1;
    mpq_t *S = qv_new(n), *z = qv_new(n);
    mpq_t *cx = qv_new(store * F * n), t;
    mpq_init(t);
    IntFamilies x;
    if (!terms) int_families_init(&x, s);
    for (uint64_t k = 0; k < count; k++) {
        mpq_t *c = cx;
        if (finite && k >= store) {
            c = cx + (k % store) * F * n;
        } else {
            if (finite) c = cx + k * F * n;
            family_casts(p, s, terms, &x, k, c, t);
        }
        const mpq_t *Y = c + (size_t)(F - 1) * n;
        for (uint32_t i = 0; i < n; i++) {
            mpq_add(z[i], S[i], Y[i]);
            lk_precision_cast(p, st[k * n + i], z[i]);
        }
        if (sk && k >= K && k <= K + P) {
            for (uint32_t i = 0; i < n; i++) mpq_set(sk[(k - K) * n + i], S[i]);
            if (k < K + P)
                for (uint32_t i = 0; i < n; i++) mpq_set(zk[(k - K) * n + i], z[i]);
        }
        for (uint32_t f = 0; f + 1 < F; f++)
            for (uint32_t i = 0; i < n; i++) mpq_add(S[i], S[i], c[(size_t)f * n + i]);
    }
    if (!terms) int_families_clear(&x);
    qv_free(S, n), qv_free(z, n);
    qv_free(cx, store * F * n);
    mpq_clear(t);
}

/* The least m >= 0 with cast(z0 + m D) = ext (D != 0 pointing at ext). */
static void saturation(const LkPrecision *p, const mpq_t z0, const mpq_t D, const mpq_t ext,
                       mpz_t m)
{
    mpq_t b, x, y;
    mpq_inits(b, x, y, NULL);
    lk_precision_cast(p, x, z0);
    mpz_set_ui(m, 0);
    if (!mpq_equal(x, ext)) {
        /* the boundary next to ext, then m = ceil((b - z0) / D), adjusted */
        lk_precision_next(p, ext, mpq_sgn(D) > 0 ? -1 : 1, b);
        mpq_add(b, b, ext), mpq_div_2exp(b, b, 1);
        mpq_sub(x, b, z0), mpq_div(x, x, D);
        mpz_cdiv_q(m, mpq_numref(x), mpq_denref(x));
        if (mpz_sgn(m) < 0) mpz_set_ui(m, 0);
        for (;;) { /* at most a step or two either way */
            mpq_set_z(y, m), mpq_mul(y, y, D), mpq_add(y, y, z0);
            lk_precision_cast(p, x, y);
            if (mpq_equal(x, ext)) break;
            mpz_add_ui(m, m, 1);
        }
        while (mpz_sgn(m) > 0) {
            mpz_sub_ui(m, m, 1);
            mpq_set_z(y, m), mpq_mul(y, y, D), mpq_add(y, y, z0);
            lk_precision_cast(p, x, y);
            if (!mpq_equal(x, ext)) {
                mpz_add_ui(m, m, 1);
                break;
            }
        }
    }
    mpq_clears(b, x, y, NULL);
}

/* The certified orbit of one layer (see the top); false when the block's
 * matrix has no closed form or a certificate needs more than limit steps. */
static bool single_certified(const LkPrecision *p, Single *s, uint64_t limit, States *S,
                             LkOrbit *out)
{
    const uint32_t n = s->n, F = s->F;
    Term *terms = NULL;
    uint64_t K = 0, P = 1;
    bool ok = true;
    if (s->b.form == FORM_DIAGONAL || s->b.form == FORM_RANK_ONE) {
        terms = make_terms(s);
        for (size_t i = 0; i < (size_t)F * n && ok; i++) {
            ok = term_analyse(p, &terms[i], limit);
            K = MAX(K, terms[i].onset), P = terms[i].period == 2 ? 2 : P;
        }
    } else if (s->b.form == FORM_FINITE) {
        P = s->b.order;
    } else {
        ok = false;
    }
    if (ok && K + 2 * P > limit) ok = false;
    if (!ok) {
        for (size_t i = 0; terms && i < (size_t)F * n; i++) term_clear(&terms[i]);
        g_free(terms);
        return false;
    }
    const uint64_t count = K + 2 * P + 1;
    states_init(S, count);
    mpq_t *sk = qv_new((P + 1) * n), *zk = qv_new(P * n);
    simulate(p, s, terms, count, S->st, K, P, sk, zk);
    /* per coordinate: the drift over a period, and where it saturates */
    mpq_t D, ext, zero;
    mpq_inits(D, ext, zero, NULL);
    mpz_t mu, m, last, tmp;
    mpz_inits(mu, m, last, tmp, NULL);
    bool *sat = g_new0(bool, n + 1);
    mpq_t *sat_val = qv_new(n);
    for (uint32_t i = 0; i < n; i++) {
        mpq_sub(D, sk[P * n + i], sk[i]);
        if (!mpq_sgn(D)) continue;
        sat[i] = true;
        lk_precision_extreme(p, mpq_sgn(D), ext);
        mpq_set(sat_val[i], ext);
        mpz_set_si(last, -1);
        for (uint64_t k = 0; k < K; k++) /* before K: simulated */
            if (!mpq_equal(S->st[k * n + i], ext)) mpz_set_ui(last, k);
        for (uint64_t r = 0; r < P; r++) { /* K + r + m P, m >= 0 */
            saturation(p, zk[r * n + i], D, ext, m);
            if (!mpz_sgn(m)) continue;
            mpz_sub_ui(tmp, m, 1), mpz_mul_ui(tmp, tmp, P), mpz_add_ui(tmp, tmp, K + r);
            if (mpz_cmp(tmp, last) > 0) mpz_set(last, tmp);
        }
        mpz_add_ui(last, last, 1);
        if (mpz_cmp(last, mu) > 0) mpz_set(mu, last);
    }
    /* the periodic coordinates: least period dividing P, least transient */
    uint64_t lam = 1;
    bool any_periodic = false;
    for (uint32_t i = 0; i < n; i++) any_periodic |= !sat[i];
#define PEQ(x, y) periodic_equal(S->st, n, sat, x, y)
    if (any_periodic) {
        for (lam = 1; lam < P; lam++) {
            if (P % lam) continue;
            bool eq = true;
            for (uint64_t k = K; k < K + P && eq; k++) eq = PEQ(k, k + lam);
            if (eq) break;
        }
        uint64_t mu_p = K;
        while (mu_p > 0 && PEQ(mu_p - 1, mu_p - 1 + lam)) mu_p--;
        if (mpz_cmp_ui(mu, mu_p) < 0) mpz_set_ui(mu, mu_p);
    }
#undef PEQ
    lk_orbit_set_transient(out, mu);
    out->period = lam, out->certified = true, out->horizon = count - 1;
    out->method = s->b.form == FORM_DIAGONAL ? "diagonal"
                  : s->b.form == FORM_RANK_ONE ? "rank-one"
                                               : "finite order";
    /* the cycle's states: periodic coordinates from [K, K + P), the rest saturated */
    const uint64_t cl = MIN(lam, 4096);
    mpq_t **cycle = g_new(mpq_t *, cl + 1);
    mpz_sub_ui(tmp, mu, 0);
    for (uint64_t c = 0; c < cl; c++) {
        cycle[c] = qv_new(n);
        /* index K + ((mu + c - K) mod lam) */
        mpz_add_ui(tmp, mu, c + lam * (K / lam + 1)), mpz_sub_ui(tmp, tmp, K);
        const uint64_t k = K + mpz_fdiv_ui(tmp, lam);
        for (uint32_t i = 0; i < n; i++) mpq_set(cycle[c][i], sat[i] ? sat_val[i] : S->st[k * n + i]);
    }
    fill_outputs(S, out, cycle, lam);
    for (uint64_t c = 0; c < cl; c++) qv_free(cycle[c], n);
    g_free(cycle);
    fill_trace(S, out);
    g_free(sat);
    qv_free(sat_val, n), qv_free(sk, (P + 1) * n), qv_free(zk, P * n);
    mpq_clears(D, ext, zero, NULL);
    mpz_clears(mu, m, last, tmp, NULL);
    for (size_t i = 0; terms && i < (size_t)F * n; i++) term_clear(&terms[i]);
    g_free(terms);
    return true;
}

/* ---- stacks: the definition letter by letter, to a horizon ---- */

static void stack_observed(const LkPrecision *p, const LkMatrices *m, const uint32_t *block,
                           size_t len, States *S)
{
    const uint32_t L = m->n_layers;
    uint32_t nmax = 1;
    for (uint32_t l = 0; l < L; l++) nmax = MAX(nmax, m->layer[l].n);
    const uint64_t letters = (S->count - 1) * len;
    GArray **terms = g_new(GArray *, L + 1); /* per layer: mpq_t * vectors, the oldest first */
    mpq_t **prod = g_new(mpq_t *, L + 1), *tmp = qv_new(nmax), *sum = qv_new(nmax), x, t;
    mpq_inits(x, t, NULL);
    uint32_t off = 0;
    for (uint32_t l = 0; l < L; l++) {
        const LkMatLayer *ly = &m->layer[l];
        terms[l] = g_array_new(FALSE, FALSE, sizeof(mpq_t *));
        prod[l] = qv_new(ly->n);
        for (uint32_t i = 0; i < ly->n; i++) {
            mpq_set(prod[l][i], ly->h0[i]);
            lk_precision_cast(p, S->st[off + i], ly->h0[i]);
        }
        off += ly->n;
    }
    double *hd = g_new(double, nmax + 1);
    for (uint64_t q = 0; q < letters; q++) {
        uint32_t v = block[q % len];
        off = 0;
        for (uint32_t l = 0; l < L; l++) {
            const LkMatLayer *ly = &m->layer[l];
            const uint32_t n = ly->n;
            const mpq_t *A = ly->a + (size_t)v * n * n;
            for (guint i = 0; i < terms[l]->len; i++) {
                mpq_t *T = g_array_index(terms[l], mpq_t *, i);
                matvec(A, n, T, tmp, t);
                for (uint32_t c = 0; c < n; c++) mpq_set(T[c], tmp[c]);
            }
            matvec(A, n, prod[l], tmp, t);
            for (uint32_t c = 0; c < n; c++) mpq_set(prod[l][c], tmp[c]);
            mpq_t *nb = qv_new(n);
            for (uint32_t c = 0; c < n; c++) mpq_set(nb[c], ly->b[(size_t)v * n + c]);
            g_array_append_val(terms[l], nb);
            for (uint32_t c = 0; c < n; c++) { /* cast(sum cast(T) + cast(P)) */
                lk_precision_cast(p, sum[c], prod[l][c]);
                for (guint i = 0; i < terms[l]->len; i++) {
                    lk_precision_cast(p, x, g_array_index(terms[l], mpq_t *, i)[c]);
                    mpq_add(sum[c], sum[c], x);
                }
                lk_precision_cast(p, sum[c], sum[c]);
                hd[c] = mpq_get_d(sum[c]);
            }
            if ((q + 1) % len == 0)
                for (uint32_t c = 0; c < n; c++)
                    mpq_set(S->st[((q + 1) / len) * S->dim + off + c], sum[c]);
            v = lk_mat_layer_output(ly, hd) > 0 ? 1 : 0;
            off += n;
        }
    }
    for (uint32_t l = 0; l < L; l++) {
        for (guint i = 0; i < terms[l]->len; i++)
            qv_free(g_array_index(terms[l], mpq_t *, i), m->layer[l].n);
        g_array_unref(terms[l]);
        qv_free(prod[l], m->layer[l].n);
    }
    g_free(terms), g_free(prod), g_free(hd);
    qv_free(tmp, nmax), qv_free(sum, nmax);
    mpq_clears(x, t, NULL);
}

static bool orbit_cast(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                       const uint32_t *block, size_t block_len, uint64_t max_steps,
                       bool observed_only, LkOrbit *out, GError **error)
{
    g_return_val_if_fail(block_len > 0 && max_steps > 0, false);
    *out = (LkOrbit){.model = LK_ORBIT_CAST};
    States S = {.m = m, .decoder = decoder, .p = p};
    for (uint32_t l = 0; l < m->n_layers; l++) S.top = S.dim, S.dim += m->layer[l].n;
    bool ok;
    if (m->n_layers == 1) {
        Single s;
        single_init(&s, &m->layer[0], block, block_len);
        classify(&s.b, 1024);
        ok = !observed_only && single_certified(p, &s, max_steps, &S, out);
        if (!ok) {
            const Form f = s.b.form;
            s.b.form = FORM_NONE;
            states_init(&S, max_steps + 1);
            simulate(p, &s, NULL, S.count, S.st, 0, 0, NULL, NULL);
            s.b.form = f;
            ok = finish_observed(&S, out, error);
        }
        single_clear(&s);
    } else {
        states_init(&S, max_steps + 1);
        stack_observed(p, m, block, block_len, &S);
        ok = finish_observed(&S, out, error);
    }
    out->model = LK_ORBIT_CAST;
    states_clear(&S);
    if (!ok) lk_orbit_clear(out);
    return ok;
}

bool lk_orbit_cast(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                   const uint32_t *block, size_t block_len, uint64_t max_steps, LkOrbit *out,
                   GError **error)
{
    return orbit_cast(m, decoder, p, block, block_len, max_steps, false, out, error);
}

bool lk_orbit_cast_simulate(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                            const uint32_t *block, size_t block_len, uint64_t horizon,
                            LkOrbit *out, GError **error)
{
    return orbit_cast(m, decoder, p, block, block_len, horizon, true, out, error);
}
