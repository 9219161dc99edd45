/* The part of the DeltaNet and Mamba-style models after their mixer, for one
 * precision (included after common-impl.h): the mixer's output o goes
 * through o_proj into the residual stream e + W_o o, then a pre-norm MLP
 * block (GELU, hidden M), a final LayerNorm and the decoder. Not a public
 * header. */

static void FN(matvec)(const R *w, const R *x, uint32_t rows, uint32_t cols, R *out)
{
    for (uint32_t i = 0; i < rows; i++) {
        R acc = 0;
        for (uint32_t j = 0; j < cols; j++) acc += w[(size_t)i * cols + j] * x[j];
        out[i] = acc;
    }
}

/* out += W^T x (W rows x cols), and gw += x y^T (the gradient of W for output gradient x, input y).
 */
static void FN(matvec_back)(const R *w, const R *x, const R *y, uint32_t rows, uint32_t cols,
                            R *out, R *gw)
{
    for (uint32_t i = 0; i < rows; i++) {
        const R xi = x[i];
        const R *wr = w + (size_t)i * cols;
        R *gr = gw + (size_t)i * cols;
        for (uint32_t j = 0; j < cols; j++) out[j] += wr[j] * xi, gr[j] += xi * y[j];
    }
}

static R FN(gelu)(R x)
{
    return (R)0.5 * x * ((R)1 + ERF(x * (R)0.70710678118654752440));
}

static R FN(gelu_grad)(R x)
{
    return (R)0.5 * ((R)1 + ERF(x * (R)0.70710678118654752440)) +
           x * EXP((R)-0.5 * x * x) * (R)0.39894228040143267794;
}

/* The head at mixer output o and embedding e (residual, MLP block, LN,
 * decoder) for label y: loss, prediction, and with gp the gradients: do
 * (written), de (added) and the head's parameters (added). ws: 13D + 3M + C. */
static void FN(block_head)(const LkNet *s, const R *p, const R *o, const R *e, int32_t y, R inv_n,
                           double *loss, int32_t *pred, R *d_o, R *de, R *gp, R *ws)
{
    const uint32_t D = s->D, M = s->M, C = s->C;
    R *r = ws, *n2 = r + D, *m = n2 + D, *z = m + D, *n3 = z + D, *f = n3 + D, *dr = f + D,
      *dz = dr + D, *dm = dz + D, *df = dm + D, *dn = df + D, *hpre = dn + D, *hact = hpre + M,
      *dh = hact + M, *lg = dh + M, r2, r3;
    FN(matvec)(p + s->wo, o, D, D, r);
    for (uint32_t i = 0; i < D; i++) r[i] += e[i];
    FN(ln_forward)(r, D, n2, &r2);
    for (uint32_t i = 0; i < D; i++) m[i] = n2[i] * p[s->ln2 + i];
    FN(matvec)(p + s->w1, m, M, D, hpre);
    for (uint32_t i = 0; i < M; i++) hpre[i] += p[s->b1 + i], hact[i] = FN(gelu)(hpre[i]);
    FN(matvec)(p + s->w2, hact, D, M, z);
    for (uint32_t i = 0; i < D; i++) z[i] += p[s->b2 + i] + r[i];
    FN(ln_forward)(z, D, n3, &r3);
    for (uint32_t i = 0; i < D; i++) f[i] = n3[i] * p[s->ln3 + i];
    FN(matvec)(p + s->dec, f, C, D, lg);
    R zmax = lg[0];
    int32_t best = 0;
    for (uint32_t c = 1; c < C; c++)
        if (lg[c] > zmax) zmax = lg[c], best = (int32_t)c;
    R sum = 0;
    for (uint32_t c = 0; c < C; c++) sum += EXP(lg[c] - zmax);
    *loss += (double)(LOG(sum) + zmax - lg[y]);
    if (pred) *pred = best;
    if (!gp) return;
    for (uint32_t c = 0; c < C; c++) lg[c] = (EXP(lg[c] - zmax) / sum - (c == (uint32_t)y)) * inv_n;
    for (uint32_t i = 0; i < D; i++) df[i] = 0, dz[i] = 0, dm[i] = 0, dr[i] = 0;
    FN(matvec_back)(p + s->dec, lg, f, C, D, df, gp + s->dec);
    for (uint32_t i = 0; i < D; i++) gp[s->ln3 + i] += df[i] * n3[i], dn[i] = df[i] * p[s->ln3 + i];
    FN(ln_backward)(n3, r3, dn, D, dz);
    for (uint32_t i = 0; i < D; i++) gp[s->b2 + i] += dz[i], dr[i] = dz[i];
    for (uint32_t i = 0; i < M; i++) dh[i] = 0;
    FN(matvec_back)(p + s->w2, dz, hact, D, M, dh, gp + s->w2);
    for (uint32_t i = 0; i < M; i++) dh[i] *= FN(gelu_grad)(hpre[i]), gp[s->b1 + i] += dh[i];
    FN(matvec_back)(p + s->w1, dh, m, M, D, dm, gp + s->w1);
    for (uint32_t i = 0; i < D; i++) gp[s->ln2 + i] += dm[i] * n2[i], dn[i] = dm[i] * p[s->ln2 + i];
    FN(ln_backward)(n2, r2, dn, D, dr);
    for (uint32_t i = 0; i < D; i++) de[i] += dr[i], d_o[i] = 0;
    FN(matvec_back)(p + s->wo, dr, o, D, D, d_o, gp + s->wo);
}

/* The head at position t of an example when its label counts (the last
 * position for final labels): o the mixer's output there, dot its gradient
 * (zeroed, then written), de_off where the embedding's gradient sits in a
 * table-gradient row. */
static void FN(block_at)(const LkNet *s, const R *p, uint32_t t, uint32_t T, const int32_t *x,
                         const int32_t *lab, bool prefix, int32_t ignore, R inv_n, int32_t *pred,
                         const R *o, R *dot, R *gp, R *gt, size_t de_off, double *loss, R *hw)
{
    for (uint32_t i = 0; i < s->D; i++) dot[i] = 0;
    if (!(prefix ? lab[t] != ignore : t + 1 == T)) return;
    FN(block_head)
    (s, p, o, p + s->emb + (size_t)x[t] * s->D, prefix ? lab[t] : lab[0], inv_n, loss,
     pred ? (prefix ? &pred[t] : &pred[0]) : NULL, dot,
     gp ? gt + (size_t)x[t] * s->gt + de_off : NULL, gp, hw);
}

/* The last step back to token v's embedding row: dy (the gradient at y =
 * LN(E[v]) * norm1, used as scratch) through norm1 and the LayerNorm, plus
 * de (the gradient through the residual). */
static void FN(embedding_backward)(const LkNet *s, const R *p, uint32_t v, const R *nhat, R rstd,
                                   R *dy, const R *de, R *gp)
{
    for (uint32_t i = 0; i < s->D; i++) gp[s->ln1 + i] += dy[i] * nhat[i], dy[i] *= p[s->ln1 + i];
    R *ge = gp + s->emb + (size_t)v * s->D;
    FN(ln_backward)(nhat, rstd, dy, s->D, ge);
    for (uint32_t i = 0; i < s->D; i++) ge[i] += de[i];
}
