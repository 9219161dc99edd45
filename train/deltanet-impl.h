/* One-layer DeltaNet kernels for one precision (included by deltanet.c
 * after common-impl.h, with R, FN, SQRT, EXP, LOG, ERF; train.h has the
 * model). Not a public header.
 *
 * Token table row (tab reals): nhat, y, q, k, v (D each), then per head the
 * norms of q~ and k~, sigmoid(z) and beta (H each), then rstd.
 * Table gradient row (gt reals): dq, dk, dv (D each), de (D: the embedding's
 * gradient through the residual), dbeta (H). */

#define DN_NHAT 0
#define DN_Y(D) (D)
#define DN_Q(D) (2 * (D))
#define DN_K(D) (3 * (D))
#define DN_V(D) (4 * (D))
#define DN_QN(D) (5 * (D))
#define DN_KN(D, H) (5 * (D) + (H))
#define DN_SIG(D, H) (5 * (D) + 2 * (H))
#define DN_BETA(D, H) (5 * (D) + 3 * (H))
#define DN_RSTD(D, H) (5 * (D) + 4 * (H))

static void FN(dn_tokens)(const LkNet *s, const void *pv, void *tabv)
{
    const R *p = pv;
    R *tab = tabv;
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const R scale = s->negative ? 2 : 1;
    for (uint32_t v = 0; v < s->V; v++) {
        R *row = tab + (size_t)v * s->tab, *nhat = row, *y = row + DN_Y(D), *q = row + DN_Q(D),
          *k = row + DN_K(D), *vv = row + DN_V(D);
        FN(ln_forward)(p + s->emb + (size_t)v * D, D, nhat, row + DN_RSTD(D, H));
        for (uint32_t i = 0; i < D; i++) y[i] = nhat[i] * p[s->ln1 + i];
        FN(matvec)(p + s->wq, y, D, D, q);
        FN(matvec)(p + s->wk, y, D, D, k);
        FN(matvec)(p + s->wv, y, D, D, vv);
        for (uint32_t h = 0; h < H; h++) {
            R qq = 0, kk = 0, z = 0;
            for (uint32_t i = h * dh; i < (h + 1) * dh; i++) qq += q[i] * q[i], kk += k[i] * k[i];
            qq = SQRT(qq), kk = SQRT(kk);
            /* F.normalize's eps: a norm below 1e-12 counts as 1e-12 */
            qq = qq > (R)1e-12 ? qq : (R)1e-12, kk = kk > (R)1e-12 ? kk : (R)1e-12;
            for (uint32_t i = h * dh; i < (h + 1) * dh; i++) q[i] /= qq, k[i] /= kk;
            for (uint32_t i = 0; i < D; i++) z += p[s->wbeta + (size_t)h * D + i] * y[i];
            const R sig = (R)1 / ((R)1 + EXP(-z));
            row[DN_QN(D) + h] = qq, row[DN_KN(D, H) + h] = kk;
            row[DN_SIG(D, H) + h] = sig, row[DN_BETA(D, H) + h] = scale * sig;
        }
    }
}

/* ws: states (T + 1) D dh, mixer outputs T D, their gradients T D, dS and
 * two vectors per head (D dh + 2 D), the head's 13D + 3M + C. */
static double FN(dn_example)(const LkNet *s, const void *pv, const void *tabv, const int32_t *x,
                             uint32_t T, const int32_t *lab, bool prefix, int32_t ignore, R inv_n,
                             int32_t *pred, void *gpv, void *gtv, void *wsv)
{
    const R *p = pv, *tab = tabv;
    R *gp = gpv, *gt = gtv, *ws = wsv;
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const size_t SS = (size_t)D * dh; /* one time step's states, all heads */
    R *S = ws, *os = S + (T + 1) * SS, *dos = os + (size_t)T * D, *dS = dos + (size_t)T * D,
      *w = dS + SS, *du = w + D, *hw = du + D;
    double loss = 0;
    for (size_t i = 0; i < SS; i++) S[i] = 0;
    for (uint32_t t = 0; t < T; t++) {
        const R *row = tab + (size_t)x[t] * s->tab, *q = row + DN_Q(D), *k = row + DN_K(D),
                *v = row + DN_V(D), *beta = row + DN_BETA(D, H);
        const R *S0 = S + t * SS;
        R *S1 = S + (t + 1) * SS, *o = os + (size_t)t * D;
        for (uint32_t h = 0; h < H; h++) { /* S1 = S0 + beta k (v - S0^T k)^T, o = S1^T q */
            const size_t b = (size_t)h * dh * dh, c = (size_t)h * dh;
            for (uint32_t j = 0; j < dh; j++) {
                R sk = 0;
                for (uint32_t i = 0; i < dh; i++) sk += S0[b + (size_t)i * dh + j] * k[c + i];
                w[j] = beta[h] * (v[c + j] - sk);
            }
            for (uint32_t j = 0; j < dh; j++) o[c + j] = 0;
            for (uint32_t i = 0; i < dh; i++)
                for (uint32_t j = 0; j < dh; j++) {
                    const R val = S0[b + (size_t)i * dh + j] + k[c + i] * w[j];
                    S1[b + (size_t)i * dh + j] = val;
                    o[c + j] += val * q[c + i];
                }
        }
        FN(block_at)
        (s, p, t, T, x, lab, prefix, ignore, inv_n, pred, o, dos + (size_t)t * D, gp, gt,
         3 * (size_t)D, &loss, hw);
    }
    if (!gp) return loss;
    for (size_t i = 0; i < SS; i++) dS[i] = 0;
    for (uint32_t t = T; t-- > 0;) {
        const R *row = tab + (size_t)x[t] * s->tab, *q = row + DN_Q(D), *k = row + DN_K(D),
                *v = row + DN_V(D), *beta = row + DN_BETA(D, H);
        const R *S0 = S + t * SS, *S1 = S + (t + 1) * SS, *dot = dos + (size_t)t * D;
        R *g = gt + (size_t)x[t] * s->gt, *dq = g, *dk = g + D, *dv = g + 2 * D, *dbeta = g + 4 * D;
        for (uint32_t h = 0; h < H; h++) {
            const size_t b = (size_t)h * dh * dh, c = (size_t)h * dh;
            R *G = dS + b;
            for (uint32_t i = 0; i < dh; i++) { /* o = S1^T q: dS += q do^T, dq += S1 do */
                R acc = 0;
                for (uint32_t j = 0; j < dh; j++) {
                    G[(size_t)i * dh + j] += q[c + i] * dot[c + j];
                    acc += S1[b + (size_t)i * dh + j] * dot[c + j];
                }
                dq[c + i] += acc;
            }
            /* S1 = S0 + beta k u^T, u = v - S0^T k */
            R kw = 0;
            for (uint32_t j = 0; j < dh; j++) { /* u into du (for now) */
                R sk = 0;
                for (uint32_t i = 0; i < dh; i++) sk += S0[b + (size_t)i * dh + j] * k[c + i];
                du[j] = v[c + j] - sk;
            }
            for (uint32_t i = 0; i < dh; i++) { /* w = dS u */
                R acc = 0;
                for (uint32_t j = 0; j < dh; j++) acc += G[(size_t)i * dh + j] * du[j];
                w[i] = acc;
                kw += k[c + i] * acc;
            }
            dbeta[h] += kw;
            for (uint32_t i = 0; i < dh; i++) dk[c + i] += beta[h] * w[i];
            for (uint32_t j = 0; j < dh; j++) { /* du = beta dS^T k */
                R acc = 0;
                for (uint32_t i = 0; i < dh; i++) acc += G[(size_t)i * dh + j] * k[c + i];
                du[j] = beta[h] * acc;
                dv[c + j] += du[j];
            }
            for (uint32_t i = 0; i < dh; i++) {
                R acc = 0;
                for (uint32_t j = 0; j < dh; j++) {
                    acc += S0[b + (size_t)i * dh + j] * du[j];
                    G[(size_t)i * dh + j] -= k[c + i] * du[j];
                }
                dk[c + i] -= acc;
            }
        }
    }
    return loss;
}

static void FN(dn_tokens_backward)(const LkNet *s, const void *pv, const void *tabv,
                                   const void *gtv, void *gpv)
{
    const R *p = pv, *tab = tabv, *gt = gtv;
    R *gp = gpv;
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const R scale = s->negative ? 2 : 1;
    R *dqt = g_new(R, 3 * (size_t)D), *dkt = dqt + D, *dy = dkt + D;
    for (uint32_t v = 0; v < s->V; v++) {
        const R *row = tab + (size_t)v * s->tab, *nhat = row, *y = row + DN_Y(D),
                *q = row + DN_Q(D), *k = row + DN_K(D);
        const R *g = gt + (size_t)v * s->gt, *dq = g, *dk = g + D, *dv = g + 2 * D, *de = g + 3 * D,
                *dbeta = g + 4 * D;
        for (uint32_t h = 0; h < H; h++) { /* through the normalizations */
            R qd = 0, kd = 0;
            for (uint32_t i = h * dh; i < (h + 1) * dh; i++) qd += q[i] * dq[i], kd += k[i] * dk[i];
            const R qn = row[DN_QN(D) + h], kn = row[DN_KN(D, H) + h];
            for (uint32_t i = h * dh; i < (h + 1) * dh; i++) {
                /* below F.normalize's eps the norm is a constant */
                dqt[i] = qn > (R)1e-12 ? (dq[i] - q[i] * qd) / qn : dq[i] / qn;
                dkt[i] = kn > (R)1e-12 ? (dk[i] - k[i] * kd) / kn : dk[i] / kn;
            }
        }
        for (uint32_t i = 0; i < D; i++) dy[i] = 0;
        FN(matvec_back)(p + s->wq, dqt, y, D, D, dy, gp + s->wq);
        FN(matvec_back)(p + s->wk, dkt, y, D, D, dy, gp + s->wk);
        FN(matvec_back)(p + s->wv, dv, y, D, D, dy, gp + s->wv);
        for (uint32_t h = 0; h < H; h++) {
            const R sig = row[DN_SIG(D, H) + h], dz = dbeta[h] * scale * sig * ((R)1 - sig);
            for (uint32_t i = 0; i < D; i++) {
                dy[i] += dz * p[s->wbeta + (size_t)h * D + i];
                gp[s->wbeta + (size_t)h * D + i] += dz * y[i];
            }
        }
        FN(embedding_backward)(s, p, v, nhat, row[DN_RSTD(D, H)], dy, de, gp);
    }
    g_free(dqt);
}
