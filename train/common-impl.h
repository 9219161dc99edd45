/* LayerNorm (no bias, eps 1e-5) for one precision: included by the model
 * kernels with R the real type, FN(name) the suffixed name and SQRT. Not a
 * public header. */

static void FN(ln_forward)(const R *x, uint32_t D, R *nhat, R *rstd_out)
{
    R mu = 0, var = 0;
    for (uint32_t i = 0; i < D; i++) mu += x[i];
    mu /= (R)D;
    for (uint32_t i = 0; i < D; i++) var += (x[i] - mu) * (x[i] - mu);
    var /= (R)D;
    const R rstd = (R)1 / SQRT(var + (R)1e-5);
    for (uint32_t i = 0; i < D; i++) nhat[i] = (x[i] - mu) * rstd;
    *rstd_out = rstd;
}

/* dx += LayerNorm's backward for dnhat (the gradient at nhat). */
static void FN(ln_backward)(const R *nhat, R rstd, const R *dnhat, uint32_t D, R *dx)
{
    R s1 = 0, s2 = 0;
    for (uint32_t i = 0; i < D; i++) s1 += dnhat[i], s2 += dnhat[i] * nhat[i];
    s1 /= (R)D, s2 /= (R)D;
    for (uint32_t i = 0; i < D; i++) dx[i] += rstd * (dnhat[i] - s1 - nhat[i] * s2);
}
