/* One-layer Mamba-style kernels for one precision (included by mamba.c after
 * common-impl.h and block-impl.h; train.h has the model). Not a public
 * header.
 *
 * Token table row (tab reals): nhat, y, xin, zdt, dt (D each), B, C (N
 * each), P = exp(-dt exp(A_log)), Abar, U = dt xin B (D N each), rstd.
 * Table gradient row (gt reals): dAbar, dU (D N each), dC (N), dxin, de (D each). */

#define MB_Y(D) (D)
#define MB_XIN(D) (2 * (D))
#define MB_ZDT(D) (3 * (D))
#define MB_DT(D) (4 * (D))
#define MB_B(D) (5 * (D))
#define MB_C(D, N) (5 * (D) + (N))
#define MB_P(D, N) (5 * (D) + 2 * (N))
#define MB_ABAR(D, N) (5 * (D) + 2 * (N) + (D) * (N))
#define MB_U(D, N) (5 * (D) + 2 * (N) + 2 * (D) * (N))
#define MB_RSTD(D, N) (5 * (D) + 2 * (N) + 3 * (D) * (N))

static void FN(mb_tokens)(const LkNet *s, const void *pv, void *tabv)
{
    const R *p = pv;
    R *tab = tabv;
    const uint32_t D = s->D, N = s->N;
    for (uint32_t v = 0; v < s->V; v++) {
        R *row = tab + (size_t)v * s->tab, *y = row + MB_Y(D), *xin = row + MB_XIN(D),
          *zdt = row + MB_ZDT(D), *dt = row + MB_DT(D), *B = row + MB_B(D), *C = row + MB_C(D, N),
          *P = row + MB_P(D, N), *Ab = row + MB_ABAR(D, N), *U = row + MB_U(D, N);
        FN(ln_forward)(p + s->emb + (size_t)v * D, D, row, row + MB_RSTD(D, N));
        for (uint32_t i = 0; i < D; i++) y[i] = row[i] * p[s->L[0].ln1 + i];
        FN(matvec)(p + s->win, y, D, D, xin);
        FN(matvec)(p + s->wdt, y, D, D, zdt);
        FN(matvec)(p + s->wB, y, N, D, B);
        FN(matvec)(p + s->wC, y, N, D, C);
        for (uint32_t d = 0; d < D; d++) {
            zdt[d] += p[s->bdt + d];
            dt[d] = zdt[d] > 20 ? zdt[d] : LOG1P(EXP(zdt[d])); /* softplus, as F.softplus */
            for (uint32_t n = 0; n < N; n++) {
                const size_t i = (size_t)d * N + n;
                P[i] = EXP(-dt[d] * EXP(p[s->alog + i]));
                Ab[i] = s->negative ? 2 * P[i] - 1 : P[i];
                U[i] = dt[d] * xin[d] * B[n];
            }
        }
    }
}

/* ws: states (T + 1) D N, mixer outputs T D, their gradients T D, the
 * sweep's D N, the head's HEAD_WS. */
static double FN(mb_example)(const LkNet *s, const void *pv, const void *tabv, const int32_t *x,
                             uint32_t T, const int32_t *lab, bool prefix, int32_t ignore, R inv_n,
                             int32_t *pred, void *gpv, void *gtv, void *wsv)
{
    const R *p = pv, *tab = tabv;
    R *gp = gpv, *gt = gtv, *ws = wsv;
    const uint32_t D = s->D, N = s->N;
    const size_t DN = (size_t)D * N;
    R *h = ws, *os = h + (T + 1) * DN, *dos = os + (size_t)T * D, *g = dos + (size_t)T * D,
      *hw = g + DN;
    double loss = 0;
    for (size_t i = 0; i < DN; i++) h[i] = 0;
    for (uint32_t t = 0; t < T; t++) {
        const R *row = tab + (size_t)x[t] * s->tab, *xin = row + MB_XIN(D), *C = row + MB_C(D, N),
                *Ab = row + MB_ABAR(D, N), *U = row + MB_U(D, N);
        const R *h0 = h + t * DN;
        R *h1 = h + (t + 1) * DN, *o = os + (size_t)t * D;
        for (uint32_t d = 0; d < D; d++) {
            R acc = p[s->dskip + d] * xin[d];
            for (uint32_t n = 0; n < N; n++) {
                const size_t i = (size_t)d * N + n;
                h1[i] = Ab[i] * h0[i] + U[i];
                acc += C[n] * h1[i];
            }
            o[d] = acc;
        }
        FN(block_at)
        (s, p, t, T, x, lab, prefix, ignore, inv_n, pred, o, dos + (size_t)t * D, gp, gt,
         2 * DN + N + D, &loss, hw);
    }
    if (!gp) return loss;
    for (size_t i = 0; i < DN; i++) g[i] = 0;
    for (uint32_t t = T; t-- > 0;) {
        const R *row = tab + (size_t)x[t] * s->tab, *xin = row + MB_XIN(D), *C = row + MB_C(D, N),
                *Ab = row + MB_ABAR(D, N);
        const R *h0 = h + t * DN, *h1 = h + (t + 1) * DN, *dot = dos + (size_t)t * D;
        R *gr = gt + (size_t)x[t] * s->gt, *dAb = gr, *dU = gr + DN, *dC = gr + 2 * DN,
          *dxin = dC + N;
        for (uint32_t d = 0; d < D; d++) {
            gp[s->dskip + d] += dot[d] * xin[d];
            dxin[d] += dot[d] * p[s->dskip + d];
            for (uint32_t n = 0; n < N; n++) {
                const size_t i = (size_t)d * N + n;
                dC[n] += dot[d] * h1[i];
                g[i] += C[n] * dot[d];
                dAb[i] += g[i] * h0[i];
                dU[i] += g[i];
                g[i] *= Ab[i];
            }
        }
    }
    return loss;
}

static void FN(mb_tokens_backward)(const LkNet *s, const void *pv, const void *tabv,
                                   const void *gtv, void *gpv)
{
    const R *p = pv, *tab = tabv, *gt = gtv;
    R *gp = gpv;
    const uint32_t D = s->D, N = s->N;
    const size_t DN = (size_t)D * N;
    R *ddt = g_new(R, 3 * (size_t)D + N), *dx = ddt + D, *dy = dx + D, *dB = dy + D;
    for (uint32_t v = 0; v < s->V; v++) {
        const R *row = tab + (size_t)v * s->tab, *nhat = row, *y = row + MB_Y(D),
                *xin = row + MB_XIN(D), *zdt = row + MB_ZDT(D), *dt = row + MB_DT(D),
                *B = row + MB_B(D), *P = row + MB_P(D, N);
        const R *gr = gt + (size_t)v * s->gt, *dAb = gr, *dU = gr + DN, *dC = gr + 2 * DN,
                *dxin = dC + N, *de = dxin + D;
        for (uint32_t n = 0; n < N; n++) dB[n] = 0;
        for (uint32_t d = 0; d < D; d++) {
            R a = 0, b = 0;
            for (uint32_t n = 0; n < N; n++) {
                const size_t i = (size_t)d * N + n;
                const R ea = EXP(p[s->alog + i]), dP = (s->negative ? 2 : 1) * dAb[i] * P[i];
                a += dU[i] * xin[d] * B[n] - dP * ea; /* through U = dt xin B, P = exp(-dt ea) */
                b += dU[i] * dt[d] * B[n];
                dB[n] += dU[i] * dt[d] * xin[d];
                gp[s->alog + i] += -dP * dt[d] * ea;
            }
            ddt[d] = a * ((R)1 / ((R)1 + EXP(-zdt[d]))); /* softplus' = sigmoid */
            if (zdt[d] > 20) ddt[d] = a;
            dx[d] = dxin[d] + b;
            gp[s->bdt + d] += ddt[d];
            dy[d] = 0;
        }
        FN(matvec_back)(p + s->win, dx, y, D, D, dy, gp + s->win);
        FN(matvec_back)(p + s->wdt, ddt, y, D, D, dy, gp + s->wdt);
        FN(matvec_back)(p + s->wB, dB, y, N, D, dy, gp + s->wB);
        FN(matvec_back)(p + s->wC, dC, y, N, D, dy, gp + s->wC);
        FN(embedding_backward)(s, p, v, nhat, row[MB_RSTD(D, N)], dy, de, gp);
    }
    g_free(ddt);
}
