/* DeltaNet kernels (one or two layers) for one precision (included by
 * deltanet.c after common-impl.h, with R, FN, SQRT, EXP, LOG, ERF; train.h
 * has the model). Not a public header.
 *
 * A row (tab reals): nhat, y, q, k, v (D each), then per head the norms of
 * q~ and k~, sigmoid(z) and beta (H each), then rstd. Layer 1's rows are the
 * token table (its input is the embedding); layer 2's input depends on the
 * history, so an example computes its rows per position.
 * A gradient row (gt reals): dq, dk, dv (D each), de (D: the embedding's
 * gradient through the residual; unused in layer 2's), dbeta (H). */

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

/* A row from the layer's input x (an embedding row, or layer 1's output at a
 * position): LN(x) * norm1, the projections, the normalizations and beta. */
static void FN(dn_row)(const LkNet *s, const LkLayer *l, const R *p, const R *x, R *row)
{
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const R scale = s->negative ? 2 : 1;
    R *nhat = row, *y = row + DN_Y(D), *q = row + DN_Q(D), *k = row + DN_K(D), *vv = row + DN_V(D);
    FN(ln_forward)(x, D, nhat, row + DN_RSTD(D, H));
    for (uint32_t i = 0; i < D; i++) y[i] = nhat[i] * p[l->ln1 + i];
    FN(matvec)(p + l->wq, y, D, D, q);
    FN(matvec)(p + l->wk, y, D, D, k);
    FN(matvec)(p + l->wv, y, D, D, vv);
    for (uint32_t h = 0; h < H; h++) {
        R qq = 0, kk = 0, z = 0;
        for (uint32_t i = h * dh; i < (h + 1) * dh; i++) qq += q[i] * q[i], kk += k[i] * k[i];
        qq = SQRT(qq), kk = SQRT(kk);
        /* F.normalize's eps: a norm below 1e-12 counts as 1e-12 */
        qq = qq > (R)1e-12 ? qq : (R)1e-12, kk = kk > (R)1e-12 ? kk : (R)1e-12;
        for (uint32_t i = h * dh; i < (h + 1) * dh; i++) q[i] /= qq, k[i] /= kk;
        for (uint32_t i = 0; i < D; i++) z += p[l->wbeta + (size_t)h * D + i] * y[i];
        const R sig = (R)1 / ((R)1 + EXP(-z));
        row[DN_QN(D) + h] = qq, row[DN_KN(D, H) + h] = kk;
        row[DN_SIG(D, H) + h] = sig, row[DN_BETA(D, H) + h] = scale * sig;
    }
}

static void FN(dn_tokens)(const LkNet *s, const void *pv, void *tabv)
{
    const R *p = pv;
    R *tab = tabv;
    for (uint32_t v = 0; v < s->V; v++)
        FN(dn_row)(s, &s->L[0], p, p + s->emb + (size_t)v * s->D, tab + (size_t)v * s->tab);
}

/* dn_row's backward up to y = LN(x) * norm1: from the row's gradient g (dq,
 * dk, dv at the normalized q and k, and dbeta) to the projections'
 * parameters and the gradient at y, which it returns (in ws: 3D). */
static R *FN(dn_row_backward)(const LkNet *s, const LkLayer *l, const R *p, const R *row,
                              const R *g, R *gp, R *ws)
{
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const R scale = s->negative ? 2 : 1;
    const R *y = row + DN_Y(D), *q = row + DN_Q(D), *k = row + DN_K(D);
    const R *dq = g, *dk = g + D, *dv = g + 2 * D, *dbeta = g + 4 * D;
    R *dqt = ws, *dkt = dqt + D, *dy = dkt + D;
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
    FN(matvec_back)(p + l->wq, dqt, y, D, D, dy, gp + l->wq);
    FN(matvec_back)(p + l->wk, dkt, y, D, D, dy, gp + l->wk);
    FN(matvec_back)(p + l->wv, dv, y, D, D, dy, gp + l->wv);
    for (uint32_t h = 0; h < H; h++) {
        const R sig = row[DN_SIG(D, H) + h], dz = dbeta[h] * scale * sig * ((R)1 - sig);
        for (uint32_t i = 0; i < D; i++) {
            dy[i] += dz * p[l->wbeta + (size_t)h * D + i];
            gp[l->wbeta + (size_t)h * D + i] += dz * y[i];
        }
    }
    return dy;
}

/* The row of position t: the token's table row (x given) or the position's own. */
#define DN_AT(rows, stride, x, t) ((rows) + (size_t)((x) ? (uint32_t)(x)[t] : (t)) * (stride))

/* The delta rule over T positions from the rows (stride s->tab): the states
 * S (T + 1 of D dh reals, S_0 = 0) and the outputs os (T D). w: D. */
static void FN(dn_mix)(const LkNet *s, const R *rows, const int32_t *x, uint32_t T, R *S, R *os,
                       R *w)
{
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const size_t SS = (size_t)D * dh; /* one time step's states, all heads */
    for (size_t i = 0; i < SS; i++) S[i] = 0;
    for (uint32_t t = 0; t < T; t++) {
        const R *row = DN_AT(rows, s->tab, x, t), *q = row + DN_Q(D), *k = row + DN_K(D),
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
    }
}

/* dn_mix's backward for the outputs' gradients dos: adds dq, dk, dv and
 * dbeta to the gradient rows (stride s->gt, same indexing as the rows).
 * ws: D dh + 2 D. */
static void FN(dn_mix_backward)(const LkNet *s, const R *rows, const int32_t *x, uint32_t T,
                                const R *S, const R *dos, R *grows, R *ws)
{
    const uint32_t D = s->D, H = s->H, dh = D / H;
    const size_t SS = (size_t)D * dh;
    R *dS = ws, *w = dS + SS, *du = w + D;
    for (size_t i = 0; i < SS; i++) dS[i] = 0;
    for (uint32_t t = T; t-- > 0;) {
        const R *row = DN_AT(rows, s->tab, x, t), *q = row + DN_Q(D), *k = row + DN_K(D),
                *v = row + DN_V(D), *beta = row + DN_BETA(D, H);
        const R *S0 = S + t * SS, *S1 = S + (t + 1) * SS, *dot = dos + (size_t)t * D;
        R *g = DN_AT(grows, s->gt, x, t), *dq = g, *dk = g + D, *dv = g + 2 * D, *dbeta = g + 4 * D;
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
}

/* One example. ws (workspace() in deltanet.c): layer 1's states (T + 1) D dh and
 * outputs and their gradients (2 T D); with two layers also layer 2's, layer
 * 1's block outputs and their gradients (2 T D), its block caches and layer
 * 2's rows and row gradients (T each); then the sweep's D dh + 2 D and the
 * head's scratch. */
static double FN(dn_example)(const LkNet *s, const void *pv, const void *tabv, const int32_t *x,
                             uint32_t T, const int32_t *lab, bool prefix, int32_t ignore, R inv_n,
                             int32_t *pred, void *gpv, void *gtv, void *wsv)
{
    const R *p = pv, *tab = tabv;
    R *gp = gpv, *gt = gtv, *ws = wsv;
    const uint32_t D = s->D, H = s->H;
    const size_t SS = (size_t)D * (D / H), TD = (size_t)T * D;
    R *S1 = ws, *o1 = S1 + (T + 1) * SS, *do1 = o1 + TD, *rest = do1 + TD;
    double loss = 0;
    int32_t y;
    if (s->layers == 1) {
        R *sw = rest, *hw = sw + SS + 2 * (size_t)D;
        FN(dn_mix)(s, tab, x, T, S1, o1, sw);
        for (uint32_t t = 0; t < T; t++) FN(block_at)
        (s, p, t, T, x, lab, prefix, ignore, inv_n, pred, o1 + (size_t)t * D, do1 + (size_t)t * D,
         gp, gt, 3 * (size_t)D, &loss, hw);
        if (gp) FN(dn_mix_backward)(s, tab, x, T, S1, do1, gt, sw);
        return loss;
    }
    const LkLayer *L1 = &s->L[0], *L2 = &s->L[1];
    const size_t BC = BLOCK_CACHE(D, s->M);
    R *S2 = rest, *o2 = S2 + (T + 1) * SS, *do2 = o2 + TD, *h1 = do2 + TD, *dh1 = h1 + TD,
      *c1 = dh1 + TD, *rows = c1 + T * BC, *grows = rows + T * s->tab, *sw = grows + T * s->gt,
      *hw = sw + SS + 2 * (size_t)D;
    FN(dn_mix)(s, tab, x, T, S1, o1, sw);
    for (uint32_t t = 0; t < T; t++) {
        FN(block_forward)
        (s, L1, p, o1 + (size_t)t * D, p + s->emb + (size_t)x[t] * D, h1 + (size_t)t * D,
         c1 + t * BC);
        FN(dn_row)(s, L2, p, h1 + (size_t)t * D, rows + t * s->tab);
    }
    FN(dn_mix)(s, rows, NULL, T, S2, o2, sw);
    for (size_t i = 0; i < TD; i++) dh1[i] = 0, do2[i] = 0;
    for (uint32_t t = 0; t < T; t++)
        if (FN(labelled)(t, T, lab, prefix, ignore, &y)) FN(block_head)
    (s, L2, p, o2 + (size_t)t * D, h1 + (size_t)t * D, y, inv_n, &loss,
     pred ? (prefix ? &pred[t] : &pred[0]) : NULL, do2 + (size_t)t * D, dh1 + (size_t)t * D, gp,
     hw);
    if (!gp) return loss;
    for (size_t i = 0; i < T * s->gt; i++) grows[i] = 0;
    FN(dn_mix_backward)(s, rows, NULL, T, S2, do2, grows, sw);
    for (uint32_t t = 0; t < T; t++) {
        const R *row = rows + t * s->tab;
        R *dh = dh1 + (size_t)t * D,
          *dy = FN(dn_row_backward)(s, L2, p, row, grows + t * s->gt, gp, hw);
        FN(norm_backward)(p, L2->ln1, row, row[DN_RSTD(D, H)], dy, D, dh, gp);
        FN(block_backward)
        (s, L1, p, o1 + (size_t)t * D, c1 + t * BC, dh, do1 + (size_t)t * D,
         gt + (size_t)x[t] * s->gt + 3 * (size_t)D, gp, hw);
    }
    FN(dn_mix_backward)(s, tab, x, T, S1, do1, gt, sw);
    return loss;
}

static void FN(dn_tokens_backward)(const LkNet *s, const void *pv, const void *tabv,
                                   const void *gtv, void *gpv)
{
    const R *p = pv, *tab = tabv, *gt = gtv;
    R *gp = gpv, *ws = g_new(R, 3 * (size_t)s->D);
    for (uint32_t v = 0; v < s->V; v++) {
        const R *row = tab + (size_t)v * s->tab, *g = gt + (size_t)v * s->gt;
        R *dy = FN(dn_row_backward)(s, &s->L[0], p, row, g, gp, ws);
        FN(embedding_backward)
        (s, p, v, row, row[DN_RSTD(s->D, s->H)], dy, g + 3 * (size_t)s->D, gp);
    }
    g_free(ws);
}
