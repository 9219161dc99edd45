/* `cast` orbits of stacks (see orbit.h and orbit-cast-private.h): layer
 * by layer certificates and the definition simulated letter by letter. */
#include "proofs/orbit-cast-private.h"

#include "automata/error.h"
#include "lrnn/dense.h"

#include <string.h>

/* ---- stacks, certified layer by layer ----
 *
 * Layer 0 reads the block repeated; for each phase rho of the block the
 * layer seen at t = rho + k len is a one-layer problem above (prefix the
 * first rho letters), certified or not. Its states at every letter are then
 * eventually periodic and known explicitly; so are its outputs [r . H > 0],
 * which layer 1 reads as a prefix and a repeated block: the same problem
 * again, with one point family per prefix letter. The stack's states at
 * block boundaries are the tuples of the layers' states, periodic from the
 * latest layer transient. Any failure (a phase without certificate, a
 * transient past the limit) falls back to the observed simulation. */

typedef struct {
    uint32_t n;
    uint64_t len, transient, period;
    mpq_t *h; /* len x n: H^_t for t = 0..len-1, periodic from transient */
} Letters;

static void letters_clear(Letters *x)
{
    lk_qvec_free(x->h, x->len * x->n);
    x->h = NULL;
}

/* ---- the definition, letter by letter, in integers ----
 *
 * A layer's terms A_t ... A_{i+1} B_{x_i} and A_t ... A_1 H_0 are kept as
 * integer vectors over one denominator each (A_v = Ai_v / d_v), so that a
 * step is integer products only; the casts read u / D uncanonicalized.
 * O(t n^2) big-integer products at letter t. */

typedef struct {
    uint32_t n, V;
    mpz_t *ai, *d;  /* V x n x n, V */
    mpz_t *bi, *bd; /* V x n, V */
    mpz_t *terms;   /* (count) x (n + 1): u then D, the oldest first; term 0 is H_0's */
    size_t count, cap;
    mpz_t *tmp; /* n */
    mpq_t q, x;
} Runner;

/* u / D = v, integers over the lcm of the denominators. */
static void int_vector(const mpq_t *v, uint32_t n, mpz_t *u, mpz_t D)
{
    mpz_set_ui(D, 1);
    for (uint32_t i = 0; i < n; i++) mpz_lcm(D, D, mpq_denref(v[i]));
    for (uint32_t i = 0; i < n; i++) {
        mpz_divexact(u[i], D, mpq_denref(v[i]));
        mpz_mul(u[i], u[i], mpq_numref(v[i]));
    }
}

static mpz_t *zv_new(size_t k)
{
    mpz_t *z = g_new(mpz_t, k + 1);
    for (size_t i = 0; i < k; i++) mpz_init(z[i]);
    return z;
}

static void zv_free(mpz_t *z, size_t k)
{
    if (!z) return;
    for (size_t i = 0; i < k; i++) mpz_clear(z[i]);
    g_free(z);
}

static void runner_init(Runner *r, const LkMatLayer *l)
{
    const uint32_t n = l->n, V = l->V;
    *r = (Runner){.n = n, .V = V};
    r->ai = zv_new((size_t)V * n * n), r->d = zv_new(V), r->bi = zv_new((size_t)V * n),
    r->bd = zv_new(V), r->tmp = zv_new(n);
    for (uint32_t v = 0; v < V; v++) {
        mpz_set_ui(r->d[v], 1);
        const mpq_t *a = l->a + (size_t)v * n * n;
        for (size_t i = 0; i < (size_t)n * n; i++) mpz_lcm(r->d[v], r->d[v], mpq_denref(a[i]));
        for (size_t i = 0; i < (size_t)n * n; i++) {
            mpz_divexact(r->ai[(size_t)v * n * n + i], r->d[v], mpq_denref(a[i]));
            mpz_mul(r->ai[(size_t)v * n * n + i], r->ai[(size_t)v * n * n + i], mpq_numref(a[i]));
        }
        int_vector(l->b + (size_t)v * n, n, r->bi + (size_t)v * n, r->bd[v]);
    }
    r->cap = 64, r->count = 1;
    r->terms = zv_new(r->cap * (n + 1));
    int_vector(l->h0, n, r->terms, r->terms[n]);
    mpq_inits(r->q, r->x, NULL);
}

static void runner_clear(Runner *r)
{
    const uint32_t n = r->n, V = r->V;
    zv_free(r->ai, (size_t)V * n * n), zv_free(r->d, V), zv_free(r->bi, (size_t)V * n),
        zv_free(r->bd, V), zv_free(r->tmp, n), zv_free(r->terms, r->cap * (n + 1));
    mpq_clears(r->q, r->x, NULL);
}

/* H^ <- the state after one more letter, token v (out: n values). */
static void runner_step(const LkPrecision *p, Runner *r, uint32_t v, mpq_t *out)
{
    const uint32_t n = r->n, w = n + 1;
    if (r->count == r->cap) {
        mpz_t *t = zv_new(2 * r->cap * w);
        for (size_t i = 0; i < r->cap * w; i++) mpz_swap(t[i], r->terms[i]);
        zv_free(r->terms, r->cap * w);
        r->terms = t, r->cap *= 2;
    }
    const mpz_t *A = r->ai + (size_t)v * n * n;
    for (size_t k = 0; k < r->count; k++) {
        mpz_t *u = r->terms + k * w;
        for (uint32_t i = 0; i < n; i++) {
            mpz_set_ui(r->tmp[i], 0);
            for (uint32_t j = 0; j < n; j++)
                if (mpz_sgn(A[(size_t)i * n + j]))
                    mpz_addmul(r->tmp[i], A[(size_t)i * n + j], u[j]);
        }
        for (uint32_t i = 0; i < n; i++) mpz_swap(u[i], r->tmp[i]);
        mpz_mul(u[n], u[n], r->d[v]);
    }
    mpz_t *nb = r->terms + r->count++ * w;
    for (uint32_t i = 0; i < n; i++) mpz_set(nb[i], r->bi[(size_t)v * n + i]);
    mpz_set(nb[n], r->bd[v]);
    for (uint32_t i = 0; i < n; i++) { /* cast(sum of the casts) */
        mpq_set_ui(out[i], 0, 1);
        for (size_t k = 0; k < r->count; k++) {
            mpz_set(mpq_numref(r->q), r->terms[k * w + i]);
            mpz_set(mpq_denref(r->q), r->terms[k * w + n]);
            lk_precision_cast(p, r->x, r->q);
            mpq_add(out[i], out[i], r->x);
        }
        lk_precision_cast(p, out[i], out[i]);
    }
}

/* H^_0 .. H^_T of one layer on the tokens x_1 .. x_T. */
static void layer_prefix(const LkPrecision *p, const LkMatLayer *l, const uint32_t *x, uint64_t T,
                         mpq_t *out)
{
    Runner r;
    runner_init(&r, l);
    for (uint32_t i = 0; i < l->n; i++) lk_precision_cast(p, out[i], l->h0[i]);
    for (uint64_t q = 1; q <= T; q++) runner_step(p, &r, x[q - 1], out + q * l->n);
    runner_clear(&r);
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        const uint64_t r = a % b;
        a = b, b = r;
    }
    return a;
}

/* The least period dividing P of x_t (t >= U, explicit to U + 2P) and the
 * least transient with it. */
static void least_period(mpq_t *const h, uint32_t n, uint64_t U, uint64_t P, uint64_t *mu,
                         uint64_t *lam)
{
    for (*lam = 1; *lam < P; ++*lam) {
        if (P % *lam) continue;
        bool eq = true;
        for (uint64_t t = U; t < U + P && eq; t++) eq = lk_cast_same_state(h, n, t, t + *lam);
        if (eq) break;
    }
    *mu = U;
    while (*mu > 0 && lk_cast_same_state(h, n, *mu - 1, *mu - 1 + *lam)) --*mu;
}

/* One layer on x_1 .. x_T then w repeated, at every letter (see above). */
static bool layer_certified(const LkPrecision *p, const LkMatLayer *l, const uint32_t *prefix,
                            uint64_t T, const uint32_t *w, uint64_t lw, uint64_t limit,
                            Letters *out)
{
    const uint32_t n = l->n;
    *out = (Letters){.n = n};
    if (T > 2000 || lw > 64) return false;
    uint32_t *x = g_new(uint32_t, T + lw + 1), *rot = g_new(uint32_t, lw + 1);
    memcpy(x, prefix, sizeof(uint32_t) * T);
    memcpy(x + T, w, sizeof(uint32_t) * lw);
    States *ph = g_new0(States, lw + 1);
    uint64_t *mu = g_new0(uint64_t, lw + 1), *lam = g_new0(uint64_t, lw + 1), L = 1, U = 0;
    bool ok = true;
    for (uint64_t r = 0; r < lw && ok; r++) { /* phase r: prefix x_1 .. x_{T+r} */
        for (uint64_t q = 0; q < lw; q++) rot[q] = w[(r + q) % lw];
        Single s;
        lk_cast_single_init(&s, l, x, T + r, rot, lw);
        lk_cast_classify(&s.b, 1024);
        LkOrbit o = {0};
        ph[r] = (States){.dim = n, .top = 0};
        ok = lk_cast_single_certified(p, &s, limit, &ph[r], &o) ||
             lk_cast_single_tail(p, &s, limit, &ph[r], &o);
        if (ok && (o.transient >= ph[r].count || o.transient + o.period > ph[r].count))
            ok = false; /* not explicit (a saturation far away) */
        if (ok) mu[r] = o.transient, lam[r] = o.period;
        lk_orbit_clear(&o);
        lk_cast_single_clear(&s);
        if (ok) {
            L = L / gcd64(L, lam[r]) * lam[r];
            U = MAX(U, T + r + mu[r] * lw);
            ok = L <= limit;
        }
    }
    const uint64_t P = L * lw, len = U + 2 * P + 1;
    if (ok && len > 4 * limit + 4096) ok = false;
    if (ok) {
        out->len = len;
        out->h = lk_qvec_new(len * n);
        layer_prefix(p, l, x, T, out->h); /* t = 0..T */
        for (uint64_t t = T + 1; t < len; t++) {
            const uint64_t r = (t - T) % lw, k = (t - T) / lw;
            const uint64_t kk = k < ph[r].count ? k : mu[r] + (k - mu[r]) % lam[r];
            for (uint32_t i = 0; i < n; i++) mpq_set(out->h[t * n + i], ph[r].st[kk * n + i]);
        }
        least_period(out->h, n, U, P, &out->transient, &out->period);
    }
    for (uint64_t r = 0; r < lw; r++) lk_cast_states_clear(&ph[r]);
    g_free(ph), g_free(mu), g_free(lam), g_free(x), g_free(rot);
    if (!ok) letters_clear(out);
    return ok;
}

/* The output of layer i in state h: its readout, or its exact decoding. */
static int64_t net_output(const Net *net, uint32_t i, mpq_t *const h)
{
    if (net->st) return lk_lrnn_decode_exact(net->st->layer[i], h);
    const LkMatLayer *l = &net->m->layer[i];
    double *x = g_new(double, l->n + 1);
    for (uint32_t c = 0; c < l->n; c++) x[c] = mpq_get_d(h[c]);
    const int64_t y = lk_mat_layer_output(l, x);
    g_free(x);
    return y;
}

/* The token of layer l at letter t >= 1: before[i] / after[i] are the
 * states of layers i < l at t - 1 and t. UINT32_MAX: none. */
static uint32_t net_token(const Net *net, uint32_t l, uint64_t t, mpq_t *const *before,
                          mpq_t *const *after)
{
    const uint32_t a = net->block[(t - 1) % net->len];
    if (!l && !net->st) return a;
    if (!net->st) return net_output(net, l - 1, after[l - 1]) > 0 ? 1 : 0;
    int64_t *outs = g_new(int64_t, l + 1);
    for (uint32_t i = 0; i < l; i++) outs[i] = net_output(net, i, before[i]);
    const uint32_t tok = lk_stack_layer_token(net->st, l, a, outs);
    g_free(outs);
    return tok;
}

/* A layer's state at letter t (folded into its cycle past the explicit part). */
static mpq_t *letters_at(const Letters *x, uint64_t t)
{
    if (t >= x->len) t = x->transient + (t - x->transient) % x->period;
    return x->h + t * x->n;
}

bool lk_cast_stack_certified(const LkPrecision *p, const Net *net, uint64_t limit, States *S,
                             LkOrbit *out)
{
    const LkMatrices *m = net->m;
    const uint32_t L = m->n_layers;
    const size_t len = net->len;
    Letters *lt = g_new0(Letters, L + 1);
    mpq_t **before = g_new(mpq_t *, L + 1), **after = g_new(mpq_t *, L + 1);
    uint64_t U = 0, P = len; /* the layers so far: periodic from U with period P (letters) */
    bool ok = true;
    for (uint32_t l = 0; l < L && ok; l++) {
        /* its tokens x_1, x_2, ...: periodic from U + 1 with period P */
        const uint64_t n = U + 1 + 2 * P + 1;
        ok = n < 4 * limit + 4096;
        mpq_t *y = ok ? lk_qvec_new(n) : NULL;
        for (uint64_t t = 1; ok && t < n; t++) {
            for (uint32_t i = 0; i < l; i++)
                before[i] = letters_at(&lt[i], t - 1), after[i] = letters_at(&lt[i], t);
            const uint32_t tok = net_token(net, l, t, before, after);
            ok = tok != UINT32_MAX;
            mpq_set_ui(y[t], tok, 1);
        }
        uint32_t *prefix = NULL, *w = NULL;
        uint64_t T = 0, lw = 0;
        if (ok) {
            uint64_t ymu, ylam;
            least_period(y, 1, U + 1, P, &ymu, &ylam);
            ymu = MAX(ymu, 1);
            T = ymu - 1, lw = ylam; /* x_1 .. x_T, then x_{T+1} .. x_{T+lw} repeated */
            prefix = g_new(uint32_t, T + 1), w = g_new(uint32_t, lw + 1);
            for (uint64_t t = 1; t <= T; t++)
                prefix[t - 1] = (uint32_t)mpz_get_ui(mpq_numref(y[t]));
            for (uint64_t q = 0; q < lw; q++) w[q] = (uint32_t)mpz_get_ui(mpq_numref(y[T + 1 + q]));
            ok = layer_certified(p, &m->layer[l], prefix, T, w, lw, limit, &lt[l]);
        }
        if (y) lk_qvec_free(y, n);
        g_free(prefix), g_free(w);
        if (ok) U = MAX(U, lt[l].transient), P = P / gcd64(P, lt[l].period) * lt[l].period;
    }
    /* the stack at block boundaries: explicit up to beyond the transients */
    const uint64_t K = (U + len - 1) / len + 2 * P + 1;
    ok = ok && P <= limit && K * len < 8 * limit + 65536;
    if (ok) {
        lk_cast_states_init(S, K + 1);
        uint32_t off = 0;
        for (uint32_t l = 0; l < L; l++) {
            const uint32_t n = m->layer[l].n;
            for (uint64_t k = 0; k <= K; k++) {
                const mpq_t *h = letters_at(&lt[l], k * len);
                for (uint32_t i = 0; i < n; i++) mpq_set(S->st[k * S->dim + off + i], h[i]);
            }
            off += n;
        }
        uint64_t mu, lam;
        least_period(S->st, S->dim, (U + len - 1) / len, P, &mu, &lam);
        mpz_t z;
        mpz_init_set_ui(z, mu);
        lk_orbit_set_transient(out, z);
        mpz_clear(z);
        out->period = lam, out->certified = true, out->horizon = K;
        out->method = "layer by layer";
        mpq_t **cycle = g_new(mpq_t *, MIN(lam, 4096) + 1);
        for (uint64_t i = 0; i < lam && i < 4096; i++) cycle[i] = S->st + (mu + i) * S->dim;
        lk_cast_fill_outputs(S, out, cycle, lam);
        g_free(cycle);
        lk_cast_fill_trace(S, out);
    }
    for (uint32_t l = 0; l < L; l++) letters_clear(&lt[l]);
    g_free(lt), g_free(before), g_free(after);
    return ok;
}

/* ---- stacks to a horizon: observed ---- */

void lk_cast_stack_observed(const LkPrecision *p, const Net *net, States *S)
{
    const LkMatrices *m = net->m;
    const uint32_t L = m->n_layers;
    uint32_t off = 0;
    Runner *r = g_new(Runner, L + 1);
    mpq_t **cur = g_new(mpq_t *, L + 1);
    for (uint32_t l = 0; l < L; l++) {
        runner_init(&r[l], &m->layer[l]);
        cur[l] = lk_qvec_new(m->layer[l].n);
        for (uint32_t i = 0; i < m->layer[l].n; i++)
            lk_precision_cast(p, cur[l][i], m->layer[l].h0[i]);
        for (uint32_t i = 0; i < m->layer[l].n; i++) mpq_set(S->st[off + i], cur[l][i]);
        off += m->layer[l].n;
    }
    uint32_t *tok = g_new(uint32_t, L + 1);
    int64_t *outs = g_new(int64_t, L + 1);
    for (uint64_t q = 0; q < (S->count - 1) * net->len; q++) {
        const uint32_t a = net->block[q % net->len];
        /* compiled stacks: every token from the outputs before the letter; none: no step */
        bool step = true;
        if (net->st) {
            for (uint32_t l = 0; l < L; l++) outs[l] = net_output(net, l, cur[l]);
            step = lk_stack_tokens(net->st, a, outs, tok);
        }
        off = 0;
        for (uint32_t l = 0; l < L; l++) {
            const uint32_t n = m->layer[l].n;
            if (!net->st) tok[l] = l ? (net_output(net, l - 1, cur[l - 1]) > 0 ? 1 : 0) : a;
            if (step) runner_step(p, &r[l], tok[l], cur[l]);
            if ((q + 1) % net->len == 0)
                for (uint32_t c = 0; c < n; c++)
                    mpq_set(S->st[((q + 1) / net->len) * S->dim + off + c], cur[l][c]);
            off += n;
        }
    }
    for (uint32_t l = 0; l < L; l++) runner_clear(&r[l]), lk_qvec_free(cur[l], m->layer[l].n);
    g_free(r), g_free(cur), g_free(tok), g_free(outs);
}
