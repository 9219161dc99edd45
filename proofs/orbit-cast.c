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
#include "proofs/orbit-cast-private.h"

#include "automata/error.h"
#include "lrnn/dense.h"

#include <math.h>
#include <string.h>

static void matvec(const mpq_t *a, uint32_t n, mpq_t *const x, mpq_t *y, mpq_t t)
{
    lk_dense_apply(y, a, x, n, t);
}

static void matmul(const mpq_t *a, const mpq_t *b, uint32_t n, mpq_t *c, mpq_t t)
{
    lk_dense_mul(c, a, b, n, t);
}

static double qlog2(mpq_srcptr q) /* log2 |q|, q != 0, without underflow */
{
    signed long e1, e2;
    double m1 = mpz_get_d_2exp(&e1, mpq_numref(q)), m2 = mpz_get_d_2exp(&e2, mpq_denref(q));
    return log2(fabs(m1)) - log2(m2) + (double)(e1 - e2);
}

/* ---- the block's closed form ---- */

void lk_cast_classify(Block *b, uint32_t max_order)
{
    const uint32_t n = b->n;
    mpq_t *d = lk_qvec_new((size_t)n * n), s;
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
    b->w = lk_qvec_new(n), b->z = lk_qvec_new(n);
    for (uint32_t i = 0; i < n; i++) mpq_set(b->w[i], d[(size_t)i * n + pj]);
    for (uint32_t j = 0; j < n; j++)
        mpq_div(b->z[j], d[(size_t)pi * n + j], d[(size_t)pi * n + pj]);
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
    mpq_t *pw = lk_qvec_new((size_t)n * n), *nx = lk_qvec_new((size_t)n * n);
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
            big =
                mpz_sizeinbase(mpq_numref(pw[i]), 2) + mpz_sizeinbase(mpq_denref(pw[i]), 2) > 4096;
        if (big) break;
        matmul(pw, b->m, n, nx, s);
        mpq_t *tmp = pw;
        pw = nx, nx = tmp;
    }
    lk_qvec_free(pw, (size_t)n * n), lk_qvec_free(nx, (size_t)n * n);
out:
    lk_qvec_free(d, (size_t)n * n);
    mpq_clear(s);
}

/* ---- the contraction certificate (any block matrix) ----
 *
 * When the eigenvalue 1 of M is semisimple and every other eigenvalue lies
 * strictly inside the unit circle, M^j v = a + M^j e with a = Pi v (Pi the
 * projection onto ker(M - I) along im(M - I), exactly: V (W^T V)^-1 W^T
 * from right and left null vectors) and e = v - a decaying: once
 * |M^m (I - Pi)|_inf <= 1/2, |M^(km+r) e|_inf <= 2^-k max_r |M^r e|_inf. A
 * term's cast is then constant once that bound is below the distance from
 * a to the boundaries of its cell.
 */

/* Right null vectors of the n x n matrix a (transposed when tr): their
 * count, into basis (count x n). */
static uint32_t nullspace(const mpq_t *a, uint32_t n, bool tr, mpq_t *basis)
{
    mpq_t *r = lk_qvec_new((size_t)n * n), t;
    mpq_init(t);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++)
            mpq_set(r[(size_t)i * n + j], tr ? a[(size_t)j * n + i] : a[(size_t)i * n + j]);
    int *pivot_col = g_new(int, n + 1);
    bool *is_pivot = g_new0(bool, n + 1);
    uint32_t rank = 0;
    for (uint32_t c = 0; c < n && rank < n; c++) { /* reduced row echelon form */
        uint32_t p = rank;
        while (p < n && !mpq_sgn(r[(size_t)p * n + c])) p++;
        if (p == n) continue;
        for (uint32_t j = 0; j < n; j++) mpq_swap(r[(size_t)p * n + j], r[(size_t)rank * n + j]);
        mpq_t *row = r + (size_t)rank * n;
        mpq_inv(t, row[c]);
        for (uint32_t j = 0; j < n; j++) mpq_mul(row[j], row[j], t);
        for (uint32_t i = 0; i < n; i++) {
            if (i == rank || !mpq_sgn(r[(size_t)i * n + c])) continue;
            mpq_set(t, r[(size_t)i * n + c]);
            for (uint32_t j = 0; j < n; j++) {
                mpq_t u;
                mpq_init(u);
                mpq_mul(u, t, row[j]);
                mpq_sub(r[(size_t)i * n + j], r[(size_t)i * n + j], u);
                mpq_clear(u);
            }
        }
        pivot_col[rank++] = (int)c, is_pivot[c] = true;
    }
    uint32_t count = 0;
    for (uint32_t f = 0; f < n; f++) {
        if (is_pivot[f]) continue;
        mpq_t *v = basis + (size_t)count++ * n;
        for (uint32_t j = 0; j < n; j++) mpq_set_ui(v[j], j == f, 1);
        for (uint32_t k = 0; k < rank; k++) mpq_neg(v[pivot_col[k]], r[(size_t)k * n + f]);
    }
    lk_qvec_free(r, (size_t)n * n);
    mpq_clear(t);
    g_free(pivot_col), g_free(is_pivot);
    return count;
}

/* Inverts the d x d matrix g in place (Gauss-Jordan); false when singular. */
static bool invert(mpq_t *g, uint32_t d)
{
    mpq_t *x = lk_qvec_new((size_t)d * 2 * d), t, u;
    mpq_inits(t, u, NULL);
    const uint32_t w = 2 * d;
    for (uint32_t i = 0; i < d; i++)
        for (uint32_t j = 0; j < d; j++) {
            mpq_set(x[(size_t)i * w + j], g[(size_t)i * d + j]);
            mpq_set_ui(x[(size_t)i * w + d + j], i == j, 1);
        }
    bool ok = true;
    for (uint32_t c = 0; c < d && ok; c++) {
        uint32_t p = c;
        while (p < d && !mpq_sgn(x[(size_t)p * w + c])) p++;
        if (p == d) {
            ok = false;
            break;
        }
        for (uint32_t j = 0; j < w; j++) mpq_swap(x[(size_t)p * w + j], x[(size_t)c * w + j]);
        mpq_inv(t, x[(size_t)c * w + c]);
        for (uint32_t j = 0; j < w; j++) mpq_mul(x[(size_t)c * w + j], x[(size_t)c * w + j], t);
        for (uint32_t i = 0; i < d; i++) {
            if (i == c) continue;
            mpq_set(t, x[(size_t)i * w + c]);
            for (uint32_t j = 0; j < w; j++) {
                mpq_mul(u, t, x[(size_t)c * w + j]);
                mpq_sub(x[(size_t)i * w + j], x[(size_t)i * w + j], u);
            }
        }
    }
    for (uint32_t i = 0; ok && i < d; i++)
        for (uint32_t j = 0; j < d; j++) mpq_set(g[(size_t)i * d + j], x[(size_t)i * w + d + j]);
    lk_qvec_free(x, (size_t)d * w);
    mpq_clears(t, u, NULL);
    return ok;
}

/* |x|_inf of the n x k matrix (or vector: k = 1) */
static void norm_inf(const mpq_t *x, uint32_t n, uint32_t k, mpq_ptr out, mpq_t t)
{
    mpq_set_ui(out, 0, 1);
    for (uint32_t i = 0; i < n; i++) {
        mpq_t s;
        mpq_init(s);
        for (uint32_t j = 0; j < k; j++) mpq_abs(t, x[(size_t)i * k + j]), mpq_add(s, s, t);
        if (mpq_cmp(s, out) > 0) mpq_set(out, s);
        mpq_clear(s);
    }
}

/* The distance from a to the nearest boundary of its cell (none: a huge
 * value); false when a is on a boundary. */
static bool cell_distance(const LkPrecision *p, mpq_srcptr a, mpq_ptr d)
{
    mpq_t v, b, x;
    mpq_inits(v, b, x, NULL);
    lk_precision_cast(p, v, a);
    bool ok = true, any = false;
    for (int dir = -1; dir <= 1 && ok; dir += 2) {
        if (lk_precision_next(p, v, dir, b)) {
            mpq_add(b, b, v), mpq_div_2exp(b, b, 1);
            mpq_sub(x, a, b), mpq_abs(x, x);
            if (!mpq_sgn(x)) ok = false;
            if (!any || mpq_cmp(x, d) < 0) mpq_set(d, x);
            any = true;
        }
    }
    if (!any) mpq_set_ui(d, 1, 1), mpq_mul_2exp(d, d, 4096);
    mpq_clears(v, b, x, NULL);
    return ok;
}

/* The contraction data of the block: m, the limits a (F x n) and the
 * decay bounds E (F) of every family; false when M does not contract
 * outside its semisimple eigenvalue 1 (within 256 powers). */
static bool contract_data(const Single *s, uint64_t *m_out, mpq_t *lim, mpq_t *E)
{
    const uint32_t n = s->n, nn = n * n;
    mpq_t *dm = lk_qvec_new(nn), *V = lk_qvec_new(nn), *W = lk_qvec_new(nn), *pi = lk_qvec_new(nn),
          *c = lk_qvec_new(nn), *nx = lk_qvec_new(nn), t, nrm, half;
    mpq_inits(t, nrm, half, NULL);
    mpq_set_ui(half, 1, 2);
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            mpq_set(dm[(size_t)i * n + j], s->b.m[(size_t)i * n + j]);
            if (i == j)
                mpq_set_ui(t, 1, 1), mpq_sub(dm[(size_t)i * n + j], dm[(size_t)i * n + j], t);
        }
    const uint32_t d = nullspace(dm, n, false, V), dl = nullspace(dm, n, true, W);
    bool ok = d == dl;
    if (ok && d) { /* Pi = V^T (W V^T)^-1 W, V and W holding the null vectors as rows */
        mpq_t *g = lk_qvec_new((size_t)d * d);
        for (uint32_t i = 0; i < d; i++)
            for (uint32_t j = 0; j < d; j++)
                for (uint32_t k = 0; k < n; k++) {
                    mpq_mul(t, W[(size_t)i * n + k], V[(size_t)j * n + k]);
                    mpq_add(g[(size_t)i * d + j], g[(size_t)i * d + j], t);
                }
        ok = invert(g, d); /* singular: the eigenvalue 1 is not semisimple */
        for (uint32_t x = 0; ok && x < n; x++)
            for (uint32_t y = 0; y < n; y++)
                for (uint32_t i = 0; i < d; i++)
                    for (uint32_t j = 0; j < d; j++) {
                        mpq_mul(t, V[(size_t)i * n + x], g[(size_t)i * d + j]);
                        mpq_mul(t, t, W[(size_t)j * n + y]);
                        mpq_add(pi[(size_t)x * n + y], pi[(size_t)x * n + y], t);
                    }
        lk_qvec_free(g, (size_t)d * d);
    }
    /* C = M^m (I - Pi) until |C|_inf <= 1/2 */
    uint64_t m = 0;
    for (uint32_t i = 0; ok && i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            mpq_set_ui(c[(size_t)i * n + j], i == j, 1);
            mpq_sub(c[(size_t)i * n + j], c[(size_t)i * n + j], pi[(size_t)i * n + j]);
        }
    while (ok) {
        norm_inf(c, n, n, nrm, t);
        if (mpq_cmp(nrm, half) <= 0) break;
        if (++m > 256) {
            ok = false;
            break;
        }
        matmul(s->b.m, c, n, nx, t);
        for (uint32_t i = 0; i < nn; i++) mpq_swap(c[i], nx[i]);
    }
    if (!m) m = 1;
    *m_out = m;
    mpq_t *e = lk_qvec_new(n), *y = lk_qvec_new(n);
    for (uint32_t f = 0; ok && f < s->F; f++) {
        const mpq_t *v = s->fam + (size_t)f * n;
        mpq_t *a = lim + (size_t)f * n;
        matvec(pi, n, (mpq_t *)v, a, t);
        for (uint32_t i = 0; i < n; i++) mpq_sub(e[i], v[i], a[i]);
        mpq_set_ui(E[f], 0, 1);
        for (uint64_t r = 0; r < m; r++) { /* E = max_r |M^r e| */
            norm_inf(e, n, 1, nrm, t);
            if (mpq_cmp(nrm, E[f]) > 0) mpq_set(E[f], nrm);
            matvec(s->b.m, n, e, y, t);
            for (uint32_t i = 0; i < n; i++) mpq_swap(e[i], y[i]);
        }
    }
    lk_qvec_free(e, n), lk_qvec_free(y, n);
    lk_qvec_free(dm, nn), lk_qvec_free(V, nn), lk_qvec_free(W, nn), lk_qvec_free(pi, nn),
        lk_qvec_free(c, nn), lk_qvec_free(nx, nn);
    mpq_clears(t, nrm, half, NULL);
    return ok;
}

/* The least k0 = k m with E 2^-k < dist (E > 0), or limit + 1. */
static uint64_t contract_steps(mpq_srcptr E, mpq_srcptr dist, uint64_t m, uint64_t limit)
{
    mpq_t u, t;
    mpq_inits(u, t, NULL);
    mpq_div(u, E, dist);
    uint64_t k = 0;
    if (mpq_cmp_ui(u, 1, 1) >= 0) {
        k = (uint64_t)(mpz_sizeinbase(mpq_numref(u), 2) - mpz_sizeinbase(mpq_denref(u), 2)) + 2;
        while (k > 0) { /* tighten: E 2^-(k-1) < dist ? */
            mpq_div_2exp(t, E, (mp_bitcnt_t)(k - 1));
            if (mpq_cmp(t, dist) >= 0) break;
            k--;
        }
    }
    mpq_clears(u, t, NULL);
    return k > limit / m + 1 ? limit + 1 : k * m;
}

/* The onset K of the contraction certificate for every family, or false. */
static bool contract_onset(const LkPrecision *p, const Single *s, uint64_t limit, uint64_t *K)
{
    const uint32_t n = s->n;
    mpq_t *lim = lk_qvec_new((size_t)s->F * n), *E = lk_qvec_new(s->F), dist;
    mpq_init(dist);
    uint64_t m;
    bool ok = contract_data(s, &m, lim, E);
    *K = 0;
    for (uint32_t f = 0; ok && f < s->F; f++)
        for (uint32_t i = 0; ok && i < n && mpq_sgn(E[f]); i++) {
            ok = cell_distance(p, lim[(size_t)f * n + i], dist);
            if (ok) *K = MAX(*K, contract_steps(E[f], dist, m, limit));
        }
    if (ok && *K > limit) ok = false;
    lk_qvec_free(lim, (size_t)s->F * n), lk_qvec_free(E, s->F);
    mpq_clear(dist);
    return ok;
}

/* ---- terms a + c r^j and their eventual casts ---- */

typedef struct {
    mpq_t a, c, r;
    mpz_t lo, hi; /* lo 2^ex <= |r|^j <= hi 2^ex at the current j, ~128 bits each */
    long ex;
    uint64_t onset;  /* from here on the cast is periodic with period `period` */
    uint32_t period; /* 1 or 2 */
    mpq_t last[2];   /* the casts at the last two j evaluated */
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
static bool boundary(const LkPrecision *p, mpq_srcptr v, int dir, mpq_ptr out)
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
    mpq_inits(t->a, t->c, t->r, t->last[0], t->last[1], NULL);
    mpz_init_set_ui(t->lo, 1), mpz_init_set_ui(t->hi, 1);
    t->ex = 0;
    t->onset = UINT64_MAX / 2, t->period = 1; /* evaluated exactly until analysed */
}

static void term_clear(Term *t)
{
    mpq_clears(t->a, t->c, t->r, t->last[0], t->last[1], NULL);
    mpz_clears(t->lo, t->hi, NULL);
}

/* out <- a + c sgn m 2^ex (sgn: the sign of r^j). */
static void term_value(const Term *t, int sgn, const mpz_t m, mpq_ptr out)
{
    mpz_mul(mpq_numref(out), mpq_numref(t->c), m);
    mpz_set(mpq_denref(out), mpq_denref(t->c));
    mpq_canonicalize(out);
    if (t->ex >= 0)
        mpq_mul_2exp(out, out, (mp_bitcnt_t)t->ex);
    else
        mpq_div_2exp(out, out, (mp_bitcnt_t)-t->ex);
    if (sgn < 0) mpq_neg(out, out);
    mpq_add(out, out, t->a);
}

/* out <- cast of the term at j (called for j = 0, 1, 2, ... in order).
 * The cast of an interval of width ~2^-128 |c r^j| around the term decides
 * it when both ends cast alike (cast is monotone), O(1); otherwise the
 * exact r^j, O(j). */
static void term_cast(const LkPrecision *p, Term *t, uint64_t j, mpq_ptr out)
{
    const uint32_t slot = t->period == 2 ? (uint32_t)(j & 1) : 0;
    if (j >= t->onset + 2) { /* periodic: the cast two steps back, or one */
        mpq_set(out, t->last[slot]);
    } else {
        const int sgn = mpq_sgn(t->r) < 0 && (j & 1) ? -1 : 1;
        mpq_t x, y;
        mpq_inits(x, y, NULL);
        term_value(t, sgn, t->lo, x), term_value(t, sgn, t->hi, y);
        lk_precision_cast(p, x, x), lk_precision_cast(p, y, y);
        if (mpq_equal(x, y)) {
            mpq_set(out, x);
        } else { /* near a boundary: exactly */
            mpz_pow_ui(mpq_numref(x), mpq_numref(t->r), j);
            mpz_pow_ui(mpq_denref(x), mpq_denref(t->r), j);
            mpq_mul(x, x, t->c);
            mpq_add(x, x, t->a);
            lk_precision_cast(p, out, x);
        }
        mpq_clears(x, y, NULL);
        mpq_set(t->last[slot], out);
    }
    /* advance the enclosure of |r|^j: widen to >= 128 bits (exact), then
     * floor for lo and ceiling for hi, then back to <= 192 bits */
    if (!mpz_sgn(t->hi)) return; /* r = 0 */
    size_t bits = mpz_sizeinbase(t->hi, 2);
    if (bits < 128) {
        const mp_bitcnt_t sh = 128 - bits;
        mpz_mul_2exp(t->lo, t->lo, sh), mpz_mul_2exp(t->hi, t->hi, sh);
        t->ex -= (long)sh;
    }
    mpz_mul(t->lo, t->lo, mpq_numref(t->r)), mpz_abs(t->lo, t->lo);
    mpz_mul(t->hi, t->hi, mpq_numref(t->r)), mpz_abs(t->hi, t->hi);
    mpz_fdiv_q(t->lo, t->lo, mpq_denref(t->r));
    mpz_cdiv_q(t->hi, t->hi, mpq_denref(t->r));
    bits = mpz_sizeinbase(t->hi, 2);
    if (bits > 192) {
        const mp_bitcnt_t sh = bits - 128;
        mpz_fdiv_q_2exp(t->lo, t->lo, sh);
        mpz_cdiv_q_2exp(t->hi, t->hi, sh);
        t->ex += (long)sh;
    }
}

/* ---- observed periods ---- */

bool lk_cast_same_state(mpq_t *const st, uint32_t dim, uint64_t i, uint64_t j)
{
    for (uint32_t c = 0; c < dim; c++)
        if (!mpq_equal(st[i * dim + c], st[j * dim + c])) return false;
    return true;
}

/* The least period lam of the last half of the states (each dim values),
 * seen at least twice there, and the least transient with it; false when
 * none. */
static bool observe(mpq_t *const st, uint32_t dim, uint64_t count, uint64_t *mu, uint64_t *lam)
{
    const uint64_t half = count / 2;
#define EQ(i, j) lk_cast_same_state(st, dim, i, j)
    for (uint64_t l = 1; 2 * l <= count - half; l++) {
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

void lk_cast_states_init(States *s, uint64_t count)
{
    s->count = count;
    s->st = lk_qvec_new(count * s->dim);
}

void lk_cast_states_clear(States *s)
{
    lk_qvec_free(s->st, s->count * s->dim);
    s->st = NULL;
}

static int64_t decode(const States *s, mpq_t *const h)
{
    if (!s->m) return -1; /* one layer of a stack, certified on its own */
    if (s->stack) {       /* h: the top layer; the whole state sits before it */
        const uint32_t L = s->stack->n_layers;
        int64_t *outs = g_new(int64_t, L + 1), y;
        mpq_t *x = h - s->top;
        for (uint32_t i = 0; i < L; i++) {
            outs[i] = lk_lrnn_decode_exact(s->stack->layer[i], x);
            x += s->stack->layer[i]->n;
        }
        y = lk_stack_output(s->stack, outs);
        g_free(outs);
        return y;
    }
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
void lk_cast_fill_outputs(const States *s, LkOrbit *out, mpq_t *const *cycle, uint64_t period)
{
    out->outputs = g_array_new(FALSE, FALSE, sizeof(int64_t));
    if (!s->decoder && !s->stack && (!s->m || !s->m->layer[s->m->n_layers - 1].readout)) return;
    for (uint64_t i = 0; i < period && i < 4096; i++) {
        int64_t y = decode(s, cycle[i] + s->top);
        g_array_append_val(out->outputs, y);
    }
}

void lk_cast_fill_trace(const States *s, LkOrbit *out)
{
    out->trace = g_array_new(FALSE, FALSE, sizeof(double));
    for (uint64_t k = 0; k < s->count && k <= 4096; k++) {
        const mpq_t *h = s->st + k * s->dim + s->top;
        const double xy[2] = {mpq_get_d(h[0]), s->top + 1 < s->dim ? mpq_get_d(h[1]) : 0};
        g_array_append_vals(out->trace, xy, 2);
    }
}

bool lk_cast_finish_observed(const States *s, LkOrbit *out, GError **error)
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
    lk_cast_fill_outputs(s, out, cycle, lam);
    g_free(cycle);
    lk_cast_fill_trace(s, out);
    return true;
}

/* ---- one layer ---- */

/* A layer that reads the tokens x_1 .. x_T (prefix, T may be 0), then the
 * block w_1 .. w_len forever, seen at t = T + k len: summed families
 * c_r = A_{w_len} ... A_{w_r+1} B_{w_r}, point families
 * A_{x_T} ... A_{x_i+1} B_{x_i} (i = 1..T) and A_{x_T} ... A_{x_1} H_0. */
void lk_cast_single_init(Single *s, const LkMatLayer *l, const uint32_t *prefix, size_t T,
                         const uint32_t *block, size_t len)
{
    const uint32_t n = l->n;
    s->n = n, s->F_sum = (uint32_t)len, s->F = (uint32_t)(len + T + 1);
    s->b = (Block){.n = n, .m = lk_qvec_new((size_t)n * n)};
    mpq_init(s->b.t);
    s->fam = lk_qvec_new((size_t)s->F * n);
    mpq_t *tmp = lk_qvec_new((size_t)n * n), *v = lk_qvec_new(n), t;
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
    /* point families: H_0 and each B_{x_i}, carried through the rest of the prefix */
    for (size_t i = 0; i <= T; i++) {
        mpq_t *c = s->fam + (len + i) * n;
        for (uint32_t j = 0; j < n; j++)
            mpq_set(c[j], i ? l->b[(size_t)prefix[i - 1] * n + j] : l->h0[j]);
        for (size_t q = i + 1; q <= T; q++) {
            matvec(l->a + (size_t)prefix[q - 1] * n * n, n, c, v, t);
            for (uint32_t j = 0; j < n; j++) mpq_set(c[j], v[j]);
        }
    }
    lk_qvec_free(tmp, (size_t)n * n), lk_qvec_free(v, n);
    mpq_clear(t);
}

void lk_cast_single_clear(Single *s)
{
    const uint32_t n = s->n;
    lk_qvec_free(s->b.m, (size_t)n * n), lk_qvec_free(s->b.w, n), lk_qvec_free(s->b.z, n);
    mpq_clear(s->b.t);
    lk_qvec_free(s->fam, (size_t)s->F * n);
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
        for (uint32_t i = 0; i < n; i++)
            mpz_lcm(x->den[f], x->den[f], mpq_denref(s->fam[(size_t)f * n + i]));
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
                         uint64_t j, mpq_t *cx, mpq_ptr q)
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
                if (mpz_sgn(x->mi[(size_t)i * n + c]))
                    mpz_addmul(x->tmp[i], x->mi[(size_t)i * n + c], u[c]);
        }
        for (uint32_t i = 0; i < n; i++) mpz_swap(u[i], x->tmp[i]);
        mpz_mul(x->den[f], x->den[f], x->d);
    }
}

/* Simulates H^_0 .. H^_{count-1} into st; S_k kept for k = K .. K + P in
 * sk (P + 1 vectors) and z_k = S_k + Y_k for k = K .. K + P - 1 in zk,
 * when sk is not NULL. FORM_FINITE repeats its casts with period order. */
static void simulate(const LkPrecision *p, const Single *s, Term *terms, uint64_t count, mpq_t *st,
                     uint64_t K, uint64_t P, mpq_t *sk, mpq_t *zk)
{
    const uint32_t n = s->n, F = s->F;
    const bool finite = s->b.form == FORM_FINITE;
    const uint64_t store = finite ? MIN(count, s->b.order) : 1;
    mpq_t *S = lk_qvec_new(n), *z = lk_qvec_new(n);
    mpq_t *cx = lk_qvec_new(store * F * n), t;
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
        for (uint32_t i = 0; i < n; i++) {
            mpq_set(z[i], S[i]);
            for (uint32_t f = s->F_sum; f < F; f++) mpq_add(z[i], z[i], c[(size_t)f * n + i]);
            lk_precision_cast(p, st[k * n + i], z[i]);
        }
        if (sk && k >= K && k <= K + P) {
            for (uint32_t i = 0; i < n; i++) mpq_set(sk[(k - K) * n + i], S[i]);
            if (k < K + P)
                for (uint32_t i = 0; i < n; i++) mpq_set(zk[(k - K) * n + i], z[i]);
        }
        for (uint32_t f = 0; f < s->F_sum; f++)
            for (uint32_t i = 0; i < n; i++) mpq_add(S[i], S[i], c[(size_t)f * n + i]);
    }
    if (!terms) int_families_clear(&x);
    lk_qvec_free(S, n), lk_qvec_free(z, n);
    lk_qvec_free(cx, store * F * n);
    mpq_clear(t);
}

/* The least m >= 0 with cast(z0 + m D) = ext (D != 0 pointing at ext). */
static void saturation(const LkPrecision *p, mpq_srcptr z0, mpq_srcptr D, mpq_srcptr ext, mpz_t m)
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
bool lk_cast_single_certified(const LkPrecision *p, Single *s, uint64_t limit, States *S,
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
        ok = contract_onset(p, s, limit, &K);
    }
    if (ok && K + 2 * P > limit) ok = false;
    if (!ok) {
        for (size_t i = 0; terms && i < (size_t)F * n; i++) term_clear(&terms[i]);
        g_free(terms);
        return false;
    }
    const uint64_t count = K + 2 * P + 1;
    lk_cast_states_init(S, count);
    mpq_t *sk = lk_qvec_new((P + 1) * n), *zk = lk_qvec_new(P * n);
    simulate(p, s, terms, count, S->st, K, P, sk, zk);
    /* per coordinate: the drift over a period, and where it saturates */
    mpq_t D, ext, zero;
    mpq_inits(D, ext, zero, NULL);
    mpz_t mu, m, last, tmp;
    mpz_inits(mu, m, last, tmp, NULL);
    bool *sat = g_new0(bool, n + 1);
    mpq_t *sat_val = lk_qvec_new(n);
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
    out->method = s->b.form == FORM_DIAGONAL   ? "diagonal"
                  : s->b.form == FORM_RANK_ONE ? "rank-one"
                  : s->b.form == FORM_FINITE   ? "finite order"
                                               : "contraction";
    /* the cycle's states: periodic coordinates from [K, K + P), the rest saturated */
    const uint64_t cl = MIN(lam, 4096);
    mpq_t **cycle = g_new(mpq_t *, cl + 1);
    mpz_sub_ui(tmp, mu, 0);
    for (uint64_t c = 0; c < cl; c++) {
        cycle[c] = lk_qvec_new(n);
        /* index K + ((mu + c - K) mod lam) */
        mpz_add_ui(tmp, mu, c + lam * (K / lam + 1)), mpz_sub_ui(tmp, tmp, K);
        const uint64_t k = K + mpz_fdiv_ui(tmp, lam);
        for (uint32_t i = 0; i < n; i++)
            mpq_set(cycle[c][i], sat[i] ? sat_val[i] : S->st[k * n + i]);
    }
    lk_cast_fill_outputs(S, out, cycle, lam);
    for (uint64_t c = 0; c < cl; c++) lk_qvec_free(cycle[c], n);
    g_free(cycle);
    lk_cast_fill_trace(S, out);
    g_free(sat);
    lk_qvec_free(sat_val, n), lk_qvec_free(sk, (P + 1) * n), lk_qvec_free(zk, P * n);
    mpq_clears(D, ext, zero, NULL);
    mpz_clears(mu, m, last, tmp, NULL);
    for (size_t i = 0; terms && i < (size_t)F * n; i++) term_clear(&terms[i]);
    g_free(terms);
    return true;
}

/* The tail certificate, for orbits whose terms settle too late to be
 * simulated one by one (subnormal tails in f64): when every term either
 * tends to 0 (a = 0, then |cast(x)| <= 2 |x| bounds its contribution by
 * its decay) or settles by k0 on a constant cast (0 for summed terms, so
 * that nothing drifts), z_k stays for every k >= k0 within
 * S_k0 + settled +- 2 (sum of the summed tails + sup of the others); when
 * that interval lies inside one cell, H^_k is constant from k0 on. k0
 * doubles from 64 to the limit, the prefix simulated exactly each time. */

/* The decay bound of a term with limit 0 from k0 on: sup |x_j| into sup,
 * sum |x_j| into sum (geometric: |c| |r|^k0 and that / (1 - |r|);
 * contraction: 2^-floor(k0/m) E and 2 m times that). */
static void noise_bound(const Term *t, mpq_srcptr E, uint64_t m, uint64_t k0, mpq_ptr sup,
                        mpq_t sum)
{
    if (t) {
        mpq_abs(sum, t->r);
        mpz_pow_ui(mpq_numref(sup), mpq_numref(sum), k0);
        mpz_pow_ui(mpq_denref(sup), mpq_denref(sum), k0);
        mpq_canonicalize(sup);
        mpq_abs(sum, t->c);
        mpq_mul(sup, sup, sum);
        mpq_abs(sum, t->r);
        mpq_neg(sum, sum);
        mpq_t one;
        mpq_init(one);
        mpq_set_ui(one, 1, 1);
        mpq_add(sum, sum, one); /* 1 - |r| > 0 */
        mpq_clear(one);
        mpq_div(sum, sup, sum);
    } else {
        mpq_div_2exp(sup, E, (mp_bitcnt_t)(k0 / m));
        mpq_set_ui(sum, 2 * m, 1);
        mpq_mul(sum, sum, sup);
    }
}

bool lk_cast_single_tail(const LkPrecision *p, Single *s, uint64_t limit, States *S, LkOrbit *out)
{
    const uint32_t n = s->n, F = s->F;
    const size_t T = (size_t)F * n;
    const bool geom = s->b.form == FORM_DIAGONAL || s->b.form == FORM_RANK_ONE;
    if (!geom && s->b.form != FORM_NONE) return false;
    mpq_t *lim = lk_qvec_new(T), *E = lk_qvec_new(F), *sk = lk_qvec_new(n), v, x, sup, sum, one;
    mpq_inits(v, x, sup, sum, one, NULL);
    mpq_set_ui(one, 1, 1);
    uint64_t m = 1, settle = 0;
    Term *bt = geom ? make_terms(s) : NULL; /* for the bounds; never stepped */
    bool ok = geom || contract_data(s, &m, lim, E);
    for (size_t t = 0; ok && bt && t < T; t++) mpq_set(lim[t], bt[t].a);
    for (size_t t = 0; ok && t < T; t++) {
        const uint32_t f = (uint32_t)(t / n);
        if (!mpq_sgn(lim[t])) { /* noise: must decay */
            if (bt && mpq_sgn(bt[t].c)) mpq_abs(x, bt[t].r), ok = mpq_cmp(x, one) < 0;
            continue;
        }
        lk_precision_cast(p, v, lim[t]); /* settled: summed ones must settle on 0 */
        if (f < s->F_sum && mpq_sgn(v)) ok = false;
        if (ok && bt) {
            Term tt;
            term_init(&tt);
            mpq_set(tt.a, bt[t].a), mpq_set(tt.c, bt[t].c), mpq_set(tt.r, bt[t].r);
            ok = term_analyse(p, &tt, limit) && tt.period == 1;
            settle = MAX(settle, tt.onset);
            term_clear(&tt);
        } else if (ok && mpq_sgn(E[f])) {
            ok = cell_distance(p, lim[t], x);
            if (ok) settle = MAX(settle, contract_steps(E[f], x, m, limit));
        }
    }
    bool done = false;
    for (uint64_t k0 = MAX(64, settle); ok && !done && k0 <= limit;) {
        lk_cast_states_clear(S);
        lk_cast_states_init(S, k0 + 1);
        Term *terms = geom ? make_terms(s) : NULL;
        simulate(p, s, terms, k0 + 1, S->st, k0, 0, sk, NULL);
        for (size_t t = 0; terms && t < T; t++) term_clear(&terms[t]);
        g_free(terms);
        done = true; /* every coordinate's interval inside one cell? */
        for (uint32_t i = 0; i < n && done; i++) {
            mpq_t c, r;
            mpq_inits(c, r, NULL);
            mpq_set(c, sk[i]);
            for (uint32_t f = 0; f < F; f++) {
                const size_t t = (size_t)f * n + i;
                if (mpq_sgn(lim[t])) {
                    if (f >= s->F_sum) lk_precision_cast(p, x, lim[t]), mpq_add(c, c, x);
                    continue;
                }
                noise_bound(bt ? &bt[t] : NULL, E[f], m, k0, sup, sum);
                mpq_add(r, r, f < s->F_sum ? sum : sup);
            }
            mpq_mul_2exp(r, r, 1);
            lk_precision_cast(p, v, c);
            for (int dir = -1; dir <= 1 && done; dir += 2) {
                if (!lk_precision_next(p, v, dir, x)) continue; /* saturated side */
                mpq_add(x, x, v), mpq_div_2exp(x, x, 1);        /* the boundary */
                mpq_sub(x, x, c), mpq_abs(x, x);                /* its distance */
                done = mpq_cmp(r, x) < 0;
            }
            done = done && mpq_equal(v, S->st[k0 * n + i]);
            mpq_clears(c, r, NULL);
        }
        if (!done) k0 = k0 == limit ? limit + 1 : MIN(2 * k0, limit);
    }
    if (done) { /* constant from the last state simulated: the transient by scanning back */
        const uint64_t last = S->count - 1;
        uint64_t mu = last;
        while (mu > 0 && lk_cast_same_state(S->st, n, mu - 1, last)) mu--;
        mpz_t z;
        mpz_init_set_ui(z, mu);
        lk_orbit_set_transient(out, z);
        mpz_clear(z);
        out->period = 1, out->certified = true, out->horizon = last;
        out->method = s->b.form == FORM_DIAGONAL   ? "diagonal, tail bound"
                      : s->b.form == FORM_RANK_ONE ? "rank-one, tail bound"
                                                   : "contraction, tail bound";
        mpq_t *cycle[1] = {S->st + last * n};
        lk_cast_fill_outputs(S, out, cycle, 1);
        lk_cast_fill_trace(S, out);
    }
    for (size_t t = 0; bt && t < T; t++) term_clear(&bt[t]);
    g_free(bt);
    lk_qvec_free(lim, T), lk_qvec_free(E, F), lk_qvec_free(sk, n);
    mpq_clears(v, x, sup, sum, one, NULL);
    return done;
}

static bool orbit_cast(const LkMatrices *m, const LkLrnn *decoder, const LkStack *st,
                       const LkPrecision *p, const uint32_t *block, size_t block_len,
                       uint64_t max_steps, uint64_t observe, bool observed_only, LkOrbit *out,
                       GError **error)
{
    g_return_val_if_fail(block_len > 0 && max_steps > 0 && observe > 0, false);
    *out = (LkOrbit){.model = LK_ORBIT_CAST};
    States S = {.m = m, .decoder = decoder, .stack = st, .p = p};
    for (uint32_t l = 0; l < m->n_layers; l++) S.top = S.dim, S.dim += m->layer[l].n;
    bool ok;
    if (m->n_layers == 1 && !st) {
        Single s;
        lk_cast_single_init(&s, &m->layer[0], NULL, 0, block, block_len);
        lk_cast_classify(&s.b, 1024);
        ok = !observed_only && (lk_cast_single_certified(p, &s, max_steps, &S, out) ||
                                lk_cast_single_tail(p, &s, max_steps, &S, out));
        if (!ok) {
            lk_cast_states_clear(&S);
            const Form f = s.b.form;
            s.b.form = FORM_NONE;
            lk_cast_states_init(&S, observe + 1);
            simulate(p, &s, NULL, S.count, S.st, 0, 0, NULL, NULL);
            s.b.form = f;
            ok = lk_cast_finish_observed(&S, out, error);
        }
        lk_cast_single_clear(&s);
    } else {
        const Net net = {m, st, block, block_len};
        ok = !observed_only && lk_cast_stack_certified(p, &net, max_steps, &S, out);
        if (!ok) {
            lk_cast_states_clear(&S);
            lk_cast_states_init(&S, observe + 1);
            lk_cast_stack_observed(p, &net, &S);
            ok = lk_cast_finish_observed(&S, out, error);
        }
    }
    out->model = LK_ORBIT_CAST;
    lk_cast_states_clear(&S);
    if (!ok) lk_orbit_clear(out);
    return ok;
}

bool lk_orbit_cast(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                   const uint32_t *block, size_t block_len, const LkLimits *limits, LkOrbit *out,
                   GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    const uint64_t max_steps = lk_orbit_max_steps(limits, LK_ORBIT_CAST);
    return orbit_cast(m, decoder, NULL, p, block, block_len, max_steps, max_steps, false, out,
                      error);
}

bool lk_orbit_cast_limits(const LkMatrices *m, const LkPrecision *p, const uint32_t *block,
                          size_t block_len, uint64_t certify, uint64_t observe, LkOrbit *out,
                          GError **error)
{
    return orbit_cast(m, NULL, NULL, p, block, block_len, certify, observe, false, out, error);
}

bool lk_orbit_cast_simulate(const LkMatrices *m, const LkLrnn *decoder, const LkPrecision *p,
                            const uint32_t *block, size_t block_len, uint64_t horizon, LkOrbit *out,
                            GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    return orbit_cast(m, decoder, NULL, p, block, block_len, horizon, horizon, true, out, error);
}

bool lk_orbit_stack_cast(const LkStack *st, const LkPrecision *p, const uint32_t *block,
                         size_t block_len, const LkLimits *limits, bool observed_only, LkOrbit *out,
                         GError **error)
{
    g_return_val_if_fail(st != NULL, false);
    const uint64_t max_steps = lk_orbit_max_steps(limits, LK_ORBIT_CAST);
    g_autoptr(LkMatrices) m = lk_matrices_from_stack(st, error);
    if (!m) return false;
    if (st->n_layers == 1 && !st->map)
        return orbit_cast(m, st->layer[0], NULL, p, block, block_len, max_steps, max_steps,
                          observed_only, out, error);
    return orbit_cast(m, NULL, st, p, block, block_len, max_steps, max_steps, observed_only, out,
                      error);
}
