/* Exact rational polynomials (see qpoly.h). */
#include "proofs/qpoly.h"

LkQPoly *lk_qpoly_new(int cap)
{
    LkQPoly *p = g_new0(LkQPoly, 1);
    p->cap = MAX(cap, 1);
    p->deg = -1;
    p->c = g_new(mpq_t, p->cap);
    for (int i = 0; i < p->cap; i++) mpq_init(p->c[i]);
    return p;
}

void lk_qpoly_free(LkQPoly *p)
{
    if (!p) return;
    for (int i = 0; i < p->cap; i++) mpq_clear(p->c[i]);
    g_free(p->c);
    g_free(p);
}

static void grow(LkQPoly *p, int cap)
{
    if (cap <= p->cap) return;
    p->c = g_renew(mpq_t, p->c, cap);
    for (int i = p->cap; i < cap; i++) mpq_init(p->c[i]);
    p->cap = cap;
}

/* Sets deg to the highest nonzero coefficient at or below `from`. */
static void trim(LkQPoly *p, int from)
{
    p->deg = from;
    while (p->deg >= 0 && !mpq_sgn(p->c[p->deg])) p->deg--;
}

static LkQPoly *copy(const LkQPoly *p)
{
    LkQPoly *q = lk_qpoly_new(p->deg + 1);
    for (int i = 0; i <= p->deg; i++) mpq_set(q->c[i], p->c[i]);
    q->deg = p->deg;
    return q;
}

static LkQPoly *derivative(const LkQPoly *p)
{
    LkQPoly *d = lk_qpoly_new(p->deg);
    for (int i = 1; i <= p->deg; i++) {
        mpq_set_ui(d->c[i - 1], (unsigned long)i, 1);
        mpq_mul(d->c[i - 1], d->c[i - 1], p->c[i]);
    }
    trim(d, p->deg - 1);
    return d;
}

/* a := a - b */
static void sub_in(LkQPoly *a, const LkQPoly *b)
{
    grow(a, b->deg + 1);
    for (int i = a->deg + 1; i <= b->deg; i++) mpq_set_ui(a->c[i], 0, 1);
    for (int i = 0; i <= b->deg; i++) mpq_sub(a->c[i], a->c[i], b->c[i]);
    trim(a, MAX(a->deg, b->deg));
}

/* Quotient (if q_out) and remainder of a / b (b not zero). */
static LkQPoly *divide(const LkQPoly *a, const LkQPoly *b, LkQPoly **q_out)
{
    LkQPoly *r = copy(a), *q = lk_qpoly_new(MAX(a->deg - b->deg + 1, 1));
    mpq_t f, t;
    mpq_inits(f, t, NULL);
    q->deg = MAX(a->deg - b->deg, -1);
    for (int i = 0; i <= q->deg; i++) mpq_set_ui(q->c[i], 0, 1);
    while (r->deg >= b->deg) {
        const int s = r->deg - b->deg;
        mpq_div(f, r->c[r->deg], b->c[b->deg]);
        mpq_set(q->c[s], f);
        for (int i = 0; i <= b->deg; i++) {
            mpq_mul(t, f, b->c[i]);
            mpq_sub(r->c[i + s], r->c[i + s], t);
        }
        trim(r, r->deg - 1);
    }
    mpq_clears(f, t, NULL);
    if (q_out) {
        trim(q, q->deg);
        *q_out = q;
    } else {
        lk_qpoly_free(q);
    }
    return r;
}

static void make_monic(LkQPoly *p)
{
    if (p->deg < 0) return;
    mpq_t lc;
    mpq_init(lc);
    mpq_set(lc, p->c[p->deg]);
    for (int i = 0; i <= p->deg; i++) mpq_div(p->c[i], p->c[i], lc);
    mpq_clear(lc);
}

/* Monic gcd (a, b not both zero). */
static LkQPoly *gcd(const LkQPoly *a, const LkQPoly *b)
{
    LkQPoly *x = copy(a), *y = copy(b);
    while (y->deg >= 0) {
        LkQPoly *r = divide(x, y, NULL);
        lk_qpoly_free(x);
        x = y;
        y = r;
    }
    lk_qpoly_free(y);
    make_monic(x);
    return x;
}

static LkQPoly *exact_quotient(const LkQPoly *a, const LkQPoly *b)
{
    LkQPoly *q;
    LkQPoly *r = divide(a, b, &q);
    g_assert(r->deg < 0);
    lk_qpoly_free(r);
    return q;
}

/* Reduces h (n x n, row-major) in place to upper Hessenberg form by
 * elementary similarity transformations (row and column swaps, then row i
 * -= f row c+1 with column c+1 += f column i). O(n^3). */
static void hessenberg(mpq_t *h, uint32_t n)
{
    mpq_t f, t;
    mpq_inits(f, t, NULL);
    for (uint32_t c = 0; c + 2 < n; c++) {
        uint32_t r = c + 1;
        while (r < n && !mpq_sgn(h[(size_t)r * n + c])) r++;
        if (r == n) continue;
        if (r != c + 1) {
            for (uint32_t j = 0; j < n; j++)
                mpq_swap(h[(size_t)r * n + j], h[(size_t)(c + 1) * n + j]);
            for (uint32_t i = 0; i < n; i++)
                mpq_swap(h[(size_t)i * n + r], h[(size_t)i * n + c + 1]);
        }
        const mpq_t *piv = &h[(size_t)(c + 1) * n + c];
        for (uint32_t i = c + 2; i < n; i++) {
            if (!mpq_sgn(h[(size_t)i * n + c])) continue;
            mpq_div(f, h[(size_t)i * n + c], *piv);
            for (uint32_t j = c; j < n; j++) { /* row i -= f row c+1 */
                if (!mpq_sgn(h[(size_t)(c + 1) * n + j])) continue;
                mpq_mul(t, f, h[(size_t)(c + 1) * n + j]);
                mpq_sub(h[(size_t)i * n + j], h[(size_t)i * n + j], t);
            }
            for (uint32_t k = 0; k < n; k++) { /* column c+1 += f column i */
                if (!mpq_sgn(h[(size_t)k * n + i])) continue;
                mpq_mul(t, f, h[(size_t)k * n + i]);
                mpq_add(h[(size_t)k * n + c + 1], h[(size_t)k * n + c + 1], t);
            }
        }
    }
    mpq_clears(f, t, NULL);
}

LkQPoly *lk_qpoly_charpoly(const mpq_t *a, uint32_t n)
{
    /* Hessenberg form H, then p_m = det(xI - H[0..m)) by
     * p_m = (x - h_{m-1,m-1}) p_{m-1} - sum_i (prod of subdiagonal) h_{m-i-1,m-1} p_{m-i-1}
     * (Cohen, A Course in Computational Algebraic Number Theory, 2.2.9). O(n^3). */
    const size_t nn = (size_t)n * n;
    mpq_t *h = g_new(mpq_t, nn + 1), t, u;
    for (size_t i = 0; i < nn; i++) mpq_init(h[i]), mpq_set(h[i], a[i]);
    mpq_inits(t, u, NULL);
    hessenberg(h, n);
    LkQPoly **p = g_new(LkQPoly *, n + 1);
    p[0] = lk_qpoly_new(1);
    mpq_set_ui(p[0]->c[0], 1, 1);
    p[0]->deg = 0;
    for (uint32_t m = 1; m <= n; m++) {
        LkQPoly *q = p[m] = lk_qpoly_new((int)m + 1);
        const LkQPoly *prev = p[m - 1];
        for (int k = 0; k <= prev->deg + 1; k++) { /* (x - h) prev */
            mpq_set_ui(q->c[k], 0, 1);
            if (k > 0) mpq_set(q->c[k], prev->c[k - 1]);
            if (k <= prev->deg) {
                mpq_mul(t, h[(size_t)(m - 1) * n + m - 1], prev->c[k]);
                mpq_sub(q->c[k], q->c[k], t);
            }
        }
        q->deg = prev->deg + 1;
        mpq_set_ui(u, 1, 1);
        for (uint32_t i = 1; i < m; i++) {
            mpq_mul(u, u, h[(size_t)(m - i) * n + m - i - 1]);
            if (!mpq_sgn(u)) break;
            mpq_mul(t, u, h[(size_t)(m - i - 1) * n + m - 1]);
            if (!mpq_sgn(t)) continue;
            const LkQPoly *r = p[m - i - 1];
            for (int k = 0; k <= r->deg; k++) {
                mpq_t v;
                mpq_init(v);
                mpq_mul(v, t, r->c[k]);
                mpq_sub(q->c[k], q->c[k], v);
                mpq_clear(v);
            }
        }
        trim(q, q->deg);
    }
    LkQPoly *res = p[n];
    for (uint32_t m = 0; m < n; m++) lk_qpoly_free(p[m]);
    g_free(p);
    for (size_t i = 0; i < nn; i++) mpq_clear(h[i]);
    g_free(h);
    mpq_clears(t, u, NULL);
    return res;
}

/* Sign changes of the Sturm sequence at x = -inf (where = -1), 0 (0) or +inf (1). */
static uint32_t sign_changes(GPtrArray *seq, int where)
{
    uint32_t changes = 0;
    int last = 0;
    for (guint i = 0; i < seq->len; i++) {
        const LkQPoly *s = seq->pdata[i];
        int sg;
        if (s->deg < 0) continue; /* the sequence ends with the zero polynomial */
        if (where == 0)
            sg = mpq_sgn(s->c[0]);
        else
            sg = mpq_sgn(s->c[s->deg]) * (where < 0 && (s->deg & 1) ? -1 : 1);
        if (!sg) continue;
        if (last && sg != last) changes++;
        last = sg;
    }
    return changes;
}

/* Distinct negative and positive roots of a square-free q with q(0) != 0. */
static void sturm_counts(const LkQPoly *q, uint32_t *neg, uint32_t *pos)
{
    GPtrArray *seq = g_ptr_array_new_with_free_func((GDestroyNotify)lk_qpoly_free);
    g_ptr_array_add(seq, copy(q));
    g_ptr_array_add(seq, derivative(q));
    while (((LkQPoly *)seq->pdata[seq->len - 1])->deg >= 0) {
        LkQPoly *r = divide(seq->pdata[seq->len - 2], seq->pdata[seq->len - 1], NULL);
        for (int i = 0; i <= r->deg; i++) mpq_neg(r->c[i], r->c[i]);
        g_ptr_array_add(seq, r);
    }
    const uint32_t vm = sign_changes(seq, -1), v0 = sign_changes(seq, 0), vp = sign_changes(seq, 1);
    *neg = vm - v0;
    *pos = v0 - vp;
    g_ptr_array_unref(seq);
}

void lk_qpoly_root_counts(const LkQPoly *p, LkRootCounts *out)
{
    g_return_if_fail(p->deg >= 0);
    *out = (LkRootCounts){0};
    int z = 0; /* roots at 0: strip x^z */
    while (!mpq_sgn(p->c[z])) z++;
    out->zero = (uint32_t)z;
    LkQPoly *f = lk_qpoly_new(p->deg - z + 1);
    for (int i = z; i <= p->deg; i++) mpq_set(f->c[i - z], p->c[i]);
    f->deg = p->deg - z;
    if (f->deg > 0) { /* Yun: f = prod a_i^i */
        LkQPoly *fd = derivative(f), *a0 = gcd(f, fd);
        LkQPoly *b = exact_quotient(f, a0), *c = exact_quotient(fd, a0);
        LkQPoly *d = derivative(b);
        LkQPoly *cd = copy(c);
        sub_in(cd, d);
        lk_qpoly_free(d);
        d = cd;
        for (uint32_t i = 1; b->deg > 0; i++) {
            LkQPoly *a = gcd(b, d);
            if (a->deg > 0) {
                uint32_t neg, pos;
                sturm_counts(a, &neg, &pos);
                out->negative += i * neg;
                out->positive += i * pos;
            }
            LkQPoly *b2 = exact_quotient(b, a), *c2 = exact_quotient(d, a);
            LkQPoly *d2 = copy(c2), *db = derivative(b2);
            sub_in(d2, db);
            lk_qpoly_free(db);
            lk_qpoly_free(a);
            lk_qpoly_free(b);
            lk_qpoly_free(c2);
            lk_qpoly_free(d);
            b = b2;
            d = d2;
        }
        lk_qpoly_free(fd);
        lk_qpoly_free(a0);
        lk_qpoly_free(b);
        lk_qpoly_free(c);
        lk_qpoly_free(d);
    }
    lk_qpoly_free(f);
    out->real = out->negative + out->zero + out->positive;
    out->nonreal = (uint32_t)p->deg - out->real;
}

char *lk_qpoly_coef_str(const LkQPoly *p, int i)
{
    g_return_val_if_fail(p != NULL, NULL);
    char *s = mpq_get_str(NULL, 10, p->c[i]);
    char *r = g_strdup(s);
    free(s);
    return r;
}
