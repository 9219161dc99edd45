/* The part of the DeltaNet and Mamba-style models after their mixer, for one
 * precision (included after common-impl.h): the mixer's output o goes
 * through o_proj into the residual stream e + W_o o, then a pre-norm MLP
 * block (GELU, hidden M), a final LayerNorm and the decoder. Not a public
 * header. With two layers, layer 1's block output (before the final
 * LayerNorm) is layer 2's input; only the last layer has the head. */

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

/* Layer l's block after its mixer: z = r + W2 GELU(W1 (LN(r) * norm2) + b1)
 * + b2 with r = e + W_o o (e: the layer's input, the residual). Keeps in c
 * (BLOCK_CACHE reals) what block_backward needs. */
static void FN(block_forward)(const LkNet *s, const LkLayer *l, const R *p, const R *o, const R *e,
                              R *z, R *c)
{
    const uint32_t D = s->D, M = s->M;
    R *n2 = c, *m = n2 + D, *hpre = m + D, *hact = hpre + M, *rstd = hact + M;
    FN(matvec)(p + l->wo, o, D, D, z);
    for (uint32_t i = 0; i < D; i++) z[i] += e[i];
    FN(ln_forward)(z, D, n2, rstd);
    for (uint32_t i = 0; i < D; i++) m[i] = n2[i] * p[l->ln2 + i];
    FN(matvec)(p + l->w1, m, M, D, hpre);
    for (uint32_t i = 0; i < M; i++) hpre[i] += p[l->b1 + i], hact[i] = FN(gelu)(hpre[i]);
    for (uint32_t i = 0; i < D; i++) { /* z = r + W2 hact + b2, r in z */
        R acc = 0;
        for (uint32_t j = 0; j < M; j++) acc += p[l->w2 + (size_t)i * M + j] * hact[j];
        z[i] += acc + p[l->b2 + i];
    }
}

/* block_forward's backward for dz, the gradient at z: d_o (written), de
 * (added) and the layer's parameters (added to gp). ws: 3D + M. */
static void FN(block_backward)(const LkNet *s, const LkLayer *l, const R *p, const R *o, const R *c,
                               const R *dz, R *d_o, R *de, R *gp, R *ws)
{
    const uint32_t D = s->D, M = s->M;
    const R *n2 = c, *m = n2 + D, *hpre = m + D, *hact = hpre + M, rstd = hact[M];
    R *dr = ws, *dm = dr + D, *dn = dm + D, *dh = dn + D;
    for (uint32_t i = 0; i < D; i++) gp[l->b2 + i] += dz[i], dr[i] = dz[i], dm[i] = 0;
    for (uint32_t i = 0; i < M; i++) dh[i] = 0;
    FN(matvec_back)(p + l->w2, dz, hact, D, M, dh, gp + l->w2);
    for (uint32_t i = 0; i < M; i++) dh[i] *= FN(gelu_grad)(hpre[i]), gp[l->b1 + i] += dh[i];
    FN(matvec_back)(p + l->w1, dh, m, M, D, dm, gp + l->w1);
    for (uint32_t i = 0; i < D; i++) gp[l->ln2 + i] += dm[i] * n2[i], dn[i] = dm[i] * p[l->ln2 + i];
    FN(ln_backward)(n2, rstd, dn, D, dr);
    for (uint32_t i = 0; i < D; i++) de[i] += dr[i], d_o[i] = 0;
    FN(matvec_back)(p + l->wo, dr, o, D, D, d_o, gp + l->wo);
}

/* The final LayerNorm and the decoder at the last layer's output z for
 * label y: adds the cross-entropy to *loss, the prediction to *pred (if
 * any); with gp, the gradient at z (dz, written) and the head's parameters'
 * (added). ws: 4D + C. */
static void FN(head)(const LkNet *s, const R *p, const R *z, int32_t y, R inv_n, double *loss,
                     int32_t *pred, R *dz, R *gp, R *ws)
{
    const uint32_t D = s->D, C = s->C;
    R *n3 = ws, *f = n3 + D, *df = f + D, *dn = df + D, *lg = dn + D, r3;
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
    for (uint32_t i = 0; i < D; i++) df[i] = 0, dz[i] = 0;
    FN(matvec_back)(p + s->dec, lg, f, C, D, df, gp + s->dec);
    for (uint32_t i = 0; i < D; i++) gp[s->ln3 + i] += df[i] * n3[i], dn[i] = df[i] * p[s->ln3 + i];
    FN(ln_backward)(n3, r3, dn, D, dz);
}

/* The last layer's block and the head at mixer output o and layer input e
 * for label y: loss, prediction, and with gp the gradients: do (written), de
 * (added) and the parameters (added). ws: HEAD_WS reals. */
static void FN(block_head)(const LkNet *s, const LkLayer *l, const R *p, const R *o, const R *e,
                           int32_t y, R inv_n, double *loss, int32_t *pred, R *d_o, R *de, R *gp,
                           R *ws)
{
    const uint32_t D = s->D;
    R *c = ws, *z = c + BLOCK_CACHE(D, s->M), *dz = z + D, *hw = dz + D;
    FN(block_forward)(s, l, p, o, e, z, c);
    FN(head)(s, p, z, y, inv_n, loss, pred, dz, gp, hw);
    if (gp) FN(block_backward)(s, l, p, o, c, dz, d_o, de, gp, hw);
}

/* Whether position t of an example has a label that counts (every labelled
 * position for prefix labels, the last one for final labels), and the label. */
static inline bool FN(labelled)(uint32_t t, uint32_t T, const int32_t *lab, bool prefix,
                                int32_t ignore, int32_t *y)
{
    *y = prefix ? lab[t] : lab[0];
    return prefix ? lab[t] != ignore : t + 1 == T;
}

/* The head at position t of a one-layer model's example when its label
 * counts: o the mixer's output there, dot its gradient (zeroed, then
 * written), de_off where the embedding's gradient sits in a table-gradient
 * row. */
static void FN(block_at)(const LkNet *s, const R *p, uint32_t t, uint32_t T, const int32_t *x,
                         const int32_t *lab, bool prefix, int32_t ignore, R inv_n, int32_t *pred,
                         const R *o, R *dot, R *gp, R *gt, size_t de_off, double *loss, R *hw)
{
    int32_t y;
    for (uint32_t i = 0; i < s->D; i++) dot[i] = 0;
    if (!FN(labelled)(t, T, lab, prefix, ignore, &y)) return;
    FN(block_head)
    (s, &s->L[0], p, o, p + s->emb + (size_t)x[t] * s->D, y, inv_n, loss,
     pred ? (prefix ? &pred[t] : &pred[0]) : NULL, dot,
     gp ? gt + (size_t)x[t] * s->gt + de_off : NULL, gp, hw);
}

/* dx += the gradient at x of y = LN(x) * g (g at offset ln), for dy the
 * gradient at y (used as scratch); g's gradient is added to gp. */
static void FN(norm_backward)(const R *p, size_t ln, const R *nhat, R rstd, R *dy, uint32_t D,
                              R *dx, R *gp)
{
    for (uint32_t i = 0; i < D; i++) gp[ln + i] += dy[i] * nhat[i], dy[i] *= p[ln + i];
    FN(ln_backward)(nhat, rstd, dy, D, dx);
}

/* The last step back to token v's embedding row: dy (the gradient at y =
 * LN(E[v]) * norm1, used as scratch) through norm1 and the LayerNorm, plus
 * de (the gradient through the residual). */
static void FN(embedding_backward)(const LkNet *s, const R *p, uint32_t v, const R *nhat, R rstd,
                                   R *dy, const R *de, R *gp)
{
    R *ge = gp + s->emb + (size_t)v * s->D;
    FN(norm_backward)(p, s->L[0].ln1, nhat, rstd, dy, s->D, ge, gp);
    for (uint32_t i = 0; i < s->D; i++) ge[i] += de[i];
}
