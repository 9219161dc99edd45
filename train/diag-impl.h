/* The toy diagonal model's kernels for one precision (included by diag.c
 * with R the real type and FN(name) the name with its suffix, after
 * common-impl.h; train.h has the model). Not a public header. */

/* Token table: per token v, TAB(D) reals: nhat, u, beta, a, c (D each) and rstd. */
static void FN(diag_tokens)(const LkNet *s, const R *p, R *tab)
{
    const uint32_t D = s->D;
    for (uint32_t v = 0; v < s->V; v++) {
        R *nhat = tab + (size_t)v * TAB(D), *u = nhat + D, *beta = u + D, *a = beta + D, *c = a + D,
          *rstd = c + D;
        FN(ln_forward)(p + s->emb + (size_t)v * D, D, nhat, rstd);
        for (uint32_t i = 0; i < D; i++) u[i] = nhat[i] * p[s->L[0].ln1 + i];
        for (uint32_t i = 0; i < D; i++) {
            const R *wa = p + s->wa + (size_t)i * D, *wb = p + s->wb + (size_t)i * D;
            R al = p[s->ba + i], be = p[s->bb + i];
            for (uint32_t j = 0; j < D; j++) al += wa[j] * u[j], be += wb[j] * u[j];
            a[i] = s->negative ? TANH(10 * al) : (R)1 / ((R)1 + EXP(-10 * al));
            beta[i] = be;
            c[i] = be * u[i];
        }
    }
}

/* The head at state h (LN, scale, decoder) for label y: adds the loss to
 * *loss, the prediction to *pred; with grads, dh = its gradient (scaled by
 * inv_n) and the head's parameter gradients added to gp. ws: 3D + C reals. */
static void FN(diag_head)(const LkNet *s, const R *p, const R *h, int32_t y, R inv_n, double *loss,
                          int32_t *pred, R *dh, R *gp, R *ws)
{
    const uint32_t D = s->D, C = s->C;
    R *nh = ws, *m = nh + D, *dm = m + D, *z = dm + D, rstd;
    FN(ln_forward)(h, D, nh, &rstd);
    for (uint32_t i = 0; i < D; i++) m[i] = nh[i] * p[s->L[0].ln2 + i];
    R zmax = 0;
    int32_t best = 0;
    for (uint32_t c = 0; c < C; c++) {
        const R *w = p + s->dec + (size_t)c * D;
        R acc = 0;
        for (uint32_t i = 0; i < D; i++) acc += w[i] * m[i];
        z[c] = acc;
        if (c == 0 || acc > zmax) zmax = acc, best = (int32_t)c;
    }
    R sum = 0;
    for (uint32_t c = 0; c < C; c++) sum += EXP(z[c] - zmax);
    *loss += (double)(LOG(sum) + zmax - z[y]);
    if (pred) *pred = best;
    if (!dh) return;
    for (uint32_t i = 0; i < D; i++) dm[i] = 0;
    for (uint32_t c = 0; c < C; c++) {
        const R dz = (EXP(z[c] - zmax) / sum - (c == (uint32_t)y)) * inv_n;
        const R *w = p + s->dec + (size_t)c * D;
        R *gw = gp + s->dec + (size_t)c * D;
        for (uint32_t i = 0; i < D; i++) gw[i] += dz * m[i], dm[i] += dz * w[i];
    }
    for (uint32_t i = 0; i < D; i++) {
        gp[s->L[0].ln2 + i] += dm[i] * nh[i];
        dm[i] *= p[s->L[0].ln2 + i];
        dh[i] = 0;
    }
    FN(ln_backward)(nh, rstd, dm, D, dh);
}

/* One example: the recurrence over x[0..T), the head at the labelled
 * positions (lab: T labels with prefix, else one for the last position);
 * returns the summed loss and writes predictions (as lab is laid out).
 * With gp: adds the gradients (scaled by inv_n) of the head's parameters to
 * gp and those of the token table's a and c to gt (2 V D: da, dc).
 * ws: (T + 1) D (states) + T D (head gradients) + 3D + C reals. */
static double FN(diag_example)(const LkNet *s, const R *p, const R *tab, const int32_t *x,
                               uint32_t T, const int32_t *lab, bool prefix, int32_t ignore, R inv_n,
                               int32_t *pred, R *gp, R *gt, R *ws)
{
    const uint32_t D = s->D;
    R *hs = ws, *gh = hs + (size_t)(T + 1) * D, *hw = gh + (size_t)T * D;
    double loss = 0;
    for (uint32_t i = 0; i < D; i++) hs[i] = 0;
    for (uint32_t t = 0; t < T; t++) {
        const R *row = tab + (size_t)x[t] * TAB(D), *a = row + 3 * D, *c = row + 4 * D;
        const R *h0 = hs + (size_t)t * D;
        R *h1 = hs + (size_t)(t + 1) * D;
        for (uint32_t i = 0; i < D; i++) h1[i] = a[i] * h0[i] + c[i];
        const bool counted = prefix ? lab[t] != ignore : t + 1 == T;
        const int32_t y = prefix ? lab[t] : lab[0];
        int32_t *pr = pred ? (prefix ? &pred[t] : &pred[0]) : NULL;
        if (gp) {
            R *d = gh + (size_t)t * D;
            if (counted)
                FN(diag_head)(s, p, h1, y, inv_n, &loss, pr, d, gp, hw);
            else
                for (uint32_t i = 0; i < D; i++) d[i] = 0;
        } else if (counted) {
            FN(diag_head)(s, p, h1, y, inv_n, &loss, pr, NULL, NULL, hw);
        }
    }
    if (!gp) return loss;
    R *g = hw; /* the gradient at h_t, swept backwards */
    for (uint32_t i = 0; i < D; i++) g[i] = 0;
    for (uint32_t t = T; t-- > 0;) {
        const size_t v = (size_t)x[t];
        const R *a = tab + v * TAB(D) + 3 * D, *h0 = hs + (size_t)t * D, *d = gh + (size_t)t * D;
        R *da = gt + v * D, *dc = gt + ((size_t)s->V + v) * D;
        for (uint32_t i = 0; i < D; i++) {
            g[i] += d[i];
            da[i] += g[i] * h0[i];
            dc[i] += g[i];
            g[i] *= a[i];
        }
    }
    return loss;
}

/* From the token table's gradients gt (da, dc) to the parameters'. */
static void FN(diag_tokens_backward)(const LkNet *s, const R *p, const R *tab, const R *gt, R *gp)
{
    const uint32_t D = s->D;
    R *dal = g_new(R, 3 * (size_t)D), *dbe = dal + D, *du = dbe + D;
    for (uint32_t v = 0; v < s->V; v++) {
        const R *nhat = tab + (size_t)v * TAB(D), *u = nhat + D, *beta = u + D, *a = beta + D,
                rstd = nhat[5 * D];
        const R *da = gt + (size_t)v * D, *dc = gt + ((size_t)s->V + v) * D;
        for (uint32_t i = 0; i < D; i++) {
            const R deriv = s->negative ? (R)1 - a[i] * a[i] : a[i] * ((R)1 - a[i]);
            dal[i] = da[i] * 10 * deriv;
            dbe[i] = dc[i] * u[i];
            du[i] = dc[i] * beta[i];
        }
        for (uint32_t i = 0; i < D; i++) {
            const R *wa = p + s->wa + (size_t)i * D, *wb = p + s->wb + (size_t)i * D;
            R *gwa = gp + s->wa + (size_t)i * D, *gwb = gp + s->wb + (size_t)i * D;
            gp[s->ba + i] += dal[i];
            gp[s->bb + i] += dbe[i];
            for (uint32_t j = 0; j < D; j++) {
                gwa[j] += dal[i] * u[j], gwb[j] += dbe[i] * u[j];
                du[j] += wa[j] * dal[i] + wb[j] * dbe[i];
            }
        }
        for (uint32_t i = 0; i < D; i++) {
            gp[s->L[0].ln1 + i] += du[i] * nhat[i];
            du[i] *= p[s->L[0].ln1 + i];
        }
        FN(ln_backward)(nhat, rstd, du, D, gp + s->emb + (size_t)v * D);
    }
    g_free(dal);
}
