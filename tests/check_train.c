/* Tests of train/: the hand-written backward pass against central finite
 * differences in f64, float32 against float64, the schedule's end points.
 * (The PyTorch reference, determinism and the exported matrices are checked
 * end to end in tests/cli/test-cli.sh.) */
#include "testutil.h"
#include "train/model-private.h"

#include <math.h>

typedef struct {
    uint32_t n, T[8];
    int32_t x[8][12], lab[8][12];
} Batch;

static void random_batch(Batch *b, const LkNet *s, bool prefix)
{
    b->n = 6;
    for (uint32_t e = 0; e < b->n; e++) {
        b->T[e] = 1 + lk_test_below(10);
        for (uint32_t t = 0; t < b->T[e]; t++) {
            b->x[e][t] = (int32_t)lk_test_below(s->V);
            /* prefix labels: about one position in four does not count */
            b->lab[e][t] = prefix && lk_test_below(4) == 0 ? -100 : (int32_t)lk_test_below(s->C);
        }
    }
}

static uint64_t count(const Batch *b, bool prefix)
{
    uint64_t c = 0;
    for (uint32_t e = 0; e < b->n; e++)
        for (uint32_t t = 0; t < (prefix ? b->T[e] : 1); t++) c += b->lab[e][t] != -100;
    return c;
}

/* The batch's mean loss at p; with gp, its gradient too (f64 kernels). */
static double batch_loss(const LkNet *s, const LkNetKernels *k, const void *p, const Batch *b,
                         bool prefix, double *gp)
{
    const double inv_n = 1.0 / (double)count(b, prefix);
    void *tab = g_malloc0(s->tab * s->V * k->real_size);
    void *gt = g_malloc0((size_t)s->V * s->gt * k->real_size);
    void *ws = g_malloc0(k->workspace(s, 12) * k->real_size);
    k->tokens(s, p, tab);
    double loss = 0;
    for (uint32_t e = 0; e < b->n; e++)
        loss += k->example(s, p, tab, b->x[e], b->T[e], b->lab[e], prefix, -100, inv_n, NULL, gp,
                           gp ? gt : NULL, ws);
    if (gp) k->tokens_backward(s, p, tab, gt, gp);
    g_free(tab), g_free(gt), g_free(ws);
    return loss * inv_n;
}

static void random_params(const LkNet *s, double *p)
{
    for (size_t i = 0; i < s->n_params; i++)
        p[i] = ((double)lk_test_below(2001) / 1000.0 - 1.0) * 0.5;
    for (uint32_t l = 0; l < s->layers; l++) /* scales near 1 */
        for (uint32_t i = 0; i < s->D; i++) p[s->L[l].ln1 + i] += 1, p[s->L[l].ln2 + i] += 1;
    if (s->arch != LK_TRAIN_DIAGONAL) {
        for (uint32_t i = 0; i < s->D; i++) p[s->ln3 + i] += 1;
        return;
    }
    for (size_t i = 0; i < (size_t)s->D * s->D; i++)
        p[s->wa + i] *= 0.1; /* pre-activations small */
    for (uint32_t i = 0; i < s->D; i++) p[s->ba + i] *= 0.1;
}

/* Trial t's model: the diagonal one, DeltaNet (one layer, then two) with one or two heads, or
 * Mamba-style with state 2 or 3. */
static const LkNetKernels *trial_net(int t, LkNet *s, bool negative)
{
    const uint32_t V = 3 + (uint32_t)(t & 4) / 4, C = 2 + (uint32_t)t % 3;
    if (t < 8) {
        lk_net_diagonal(s, V, 5, C, negative);
        return &lk_diag_f64;
    }
    if (t < 16 || t >= 24) {
        lk_net_deltanet(s, V, 4, C, (t & 4) ? 2 : 1, t < 16 ? 1 : 2, negative);
        return &lk_deltanet_f64;
    }
    lk_net_mamba(s, V, 4, C, 2 + (uint32_t)(t & 4) / 4, negative);
    return &lk_mamba_f64;
}

START_TEST(test_gradients_match_finite_differences)
{
    lk_test_srand(1601);
    for (int trial = 0; trial < 32; trial++) {
        const bool negative = trial & 1, prefix = trial & 2;
        LkNet s;
        const LkNetKernels *k = trial_net(trial, &s, negative);
        double *p = g_new0(double, s.n_params), *g = g_new0(double, s.n_params);
        random_params(&s, p);
        Batch b;
        random_batch(&b, &s, prefix);
        if (!count(&b, prefix)) b.lab[0][0] = 0, b.lab[0][b.T[0] - 1] = 0;
        batch_loss(&s, k, p, &b, prefix, g);
        double worst = 0;
        for (size_t i = 0; i < s.n_params; i++) {
            const double h = 1e-6, keep = p[i];
            p[i] = keep + h;
            const double up = batch_loss(&s, k, p, &b, prefix, NULL);
            p[i] = keep - h;
            const double down = batch_loss(&s, k, p, &b, prefix, NULL);
            p[i] = keep;
            const double fd = (up - down) / (2 * h), err = fabs(fd - g[i]) / (1e-6 + fabs(fd));
            worst = fmax(worst, err);
            ck_assert_msg(fabs(fd - g[i]) <= 1e-7 + 1e-5 * fabs(fd),
                          "trial %d parameter %zu: backward %.12g, finite differences %.12g", trial,
                          i, g[i], fd);
        }
        g_free(p), g_free(g);
    }
}
END_TEST

START_TEST(test_f32_follows_f64)
{
    lk_test_srand(1602);
    for (int trial = 0; trial < 4; trial++) {
        LkNet s;
        lk_net_diagonal(&s, 3, 10, 2, trial & 1);
        double *p = g_new0(double, s.n_params), *g64 = g_new0(double, s.n_params);
        random_params(&s, p);
        float *pf = g_new0(float, s.n_params), *gf = g_new0(float, s.n_params);
        lk_real_f32.from_double(p, pf, s.n_params);
        for (size_t i = 0; i < s.n_params; i++) p[i] = pf[i]; /* the same values in both */
        Batch b;
        random_batch(&b, &s, trial & 2);
        if (!count(&b, trial & 2)) b.lab[0][0] = 0, b.lab[0][b.T[0] - 1] = 0;
        const double l64 = batch_loss(&s, &lk_diag_f64, p, &b, trial & 2, g64);
        const double inv_n = 1.0 / (double)count(&b, trial & 2);
        void *tab = g_malloc0(TAB(s.D) * s.V * 4), *gt = g_malloc0(2 * s.V * s.D * 4),
             *ws = g_malloc0(lk_diag_f32.workspace(&s, 12) * 4);
        lk_diag_f32.tokens(&s, pf, tab);
        double l32 = 0;
        for (uint32_t e = 0; e < b.n; e++)
            l32 += lk_diag_f32.example(&s, pf, tab, b.x[e], b.T[e], b.lab[e], trial & 2, -100,
                                       inv_n, NULL, gf, gt, ws);
        lk_diag_f32.tokens_backward(&s, pf, tab, gt, gf);
        ck_assert_msg(fabs(l32 * inv_n - l64) <= 1e-5 * fabs(l64), "loss %g vs %g", l32 * inv_n,
                      l64);
        double gmax = 0;
        for (size_t i = 0; i < s.n_params; i++) gmax = fmax(gmax, fabs(g64[i]));
        for (size_t i = 0; i < s.n_params; i++)
            ck_assert_msg(fabs(gf[i] - g64[i]) <= 1e-4 * gmax, "gradient %zu: %g vs %g", i,
                          (double)gf[i], g64[i]);
        g_free(tab), g_free(gt), g_free(ws);
        g_free(p), g_free(g64), g_free(pf), g_free(gf);
    }
}
END_TEST

/* AdamW's first step moves every parameter with a nonzero gradient by lr
 * against its sign (m / sqrt(v) = sign(g) after bias correction), and leaves
 * the others. */
START_TEST(test_adamw_first_step)
{
    double p[4] = {1, -2, 0.5, 3}, m[4] = {0}, v[4] = {0}, g[4] = {0.3, -0.1, 0, 7};
    lk_real_f64.adamw(p, m, v, g, 4, 0.01, 1);
    const double want[4] = {0.99, -1.99, 0.5, 2.99};
    for (int i = 0; i < 4; i++) ck_assert_msg(fabs(p[i] - want[i]) < 1e-9, "%d: %.12g", i, p[i]);
}
END_TEST

static Suite *train_suite(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_gradients_match_finite_differences);
    tcase_add_test(tc, test_f32_follows_f64);
    tcase_add_test(tc, test_adamw_first_step);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(train_suite)
