/* Theorems 1 and 2 over seeded random models; sweeps (see suite.h). */
#include "proofs/suite.h"
#include "proofs/orbit-cast-private.h"
#include "automata/atomic-file.h"
#include "automata/progress.h"

#include "automata/error.h"
#include "automata/families.h"
#include "automata/rng.h"
#include "proofs/safe-length.h"

#include <string.h>

static const char *const family_names[LK_FAM_COUNT] = {
    "diag01", "diag11", "gh1-01", "gh1-02", "gh2-01", "gh2-02", "gh3-01", "gh3-02", "rot"};

const char *lk_family_name(LkFamily f)
{
    return family_names[f];
}

const char *const lk_period_count_names[6] = {"1", "2", "3", "4", "other", "none"};

LkPrecision lk_suite_precision(int i)
{
    static const LkEngine f[] = {LK_ENGINE_F64, LK_ENGINE_F32, LK_ENGINE_BF16, LK_ENGINE_F16};
    if (i < 4) return lk_precision_float(f[i]);
    return (LkPrecision){.kind = LK_PRECISION_FIXED, .bits = 16};
}

/* ---- random models ---- */

static void rand_q(LkRng *r, mpq_ptr q, int64_t lo, int64_t hi, unsigned long den)
{
    mpq_set_si(q, lo + (int64_t)lk_rng_below(r, (uint64_t)(hi - lo + 1)), den);
    mpq_canonicalize(q);
}

/* a (n x n) <- (I - beta u u^T / u.u) a */
static void apply_gh(mpq_t *a, uint32_t n, LkRng *r, bool wide)
{
    mpq_t beta, uu, s, t, *u = g_new(mpq_t, n + 1), *w = g_new(mpq_t, n + 1);
    mpq_inits(beta, uu, s, t, NULL);
    for (uint32_t i = 0; i < n; i++) mpq_init(u[i]), mpq_init(w[i]);
    rand_q(r, beta, 0, wide ? 512 : 256, 256);
    do {
        mpq_set_ui(uu, 0, 1);
        for (uint32_t i = 0; i < n; i++) {
            rand_q(r, u[i], -3, 3, 1);
            mpq_mul(t, u[i], u[i]);
            mpq_add(uu, uu, t);
        }
    } while (!mpq_sgn(uu));
    mpq_div(s, beta, uu);
    for (uint32_t j = 0; j < n; j++) { /* w = s u^T a */
        mpq_set_ui(w[j], 0, 1);
        for (uint32_t i = 0; i < n; i++) {
            mpq_mul(t, u[i], a[(size_t)i * n + j]);
            mpq_add(w[j], w[j], t);
        }
        mpq_mul(w[j], w[j], s);
    }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) {
            mpq_mul(t, u[i], w[j]);
            mpq_sub(a[(size_t)i * n + j], a[(size_t)i * n + j], t);
        }
    for (uint32_t i = 0; i < n; i++) mpq_clear(u[i]), mpq_clear(w[i]);
    g_free(u), g_free(w);
    mpq_clears(beta, uu, s, t, NULL);
}

static void rand_matrix(LkFamily f, uint32_t n, LkRng *r, mpq_t *a)
{
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = 0; j < n; j++) mpq_set_ui(a[(size_t)i * n + j], i == j, 1);
    switch (f) {
    case LK_FAM_DIAG01:
    case LK_FAM_DIAG11:
        for (uint32_t i = 0; i < n; i++)
            rand_q(r, a[(size_t)i * n + i], f == LK_FAM_DIAG01 ? 0 : -256, 256, 256);
        break;
    case LK_FAM_ROT: { /* cos, sin = (p^2 - q^2, 2pq) / (p^2 + q^2) */
        const long p = 1 + (long)lk_rng_below(r, 8), q = 1 + (long)lk_rng_below(r, 8);
        const long sg = lk_rng_below(r, 2) ? 1 : -1;
        const unsigned long h = (unsigned long)(p * p + q * q);
        mpq_set_si(a[0], p * p - q * q, h), mpq_set_si(a[3], p * p - q * q, h);
        mpq_set_si(a[1], -sg * 2 * p * q, h), mpq_set_si(a[2], sg * 2 * p * q, h);
        for (int i = 0; i < 4; i++) mpq_canonicalize(a[i]);
        break;
    }
    default: {
        const int k = f <= LK_FAM_GH1_02 ? 1 : f <= LK_FAM_GH2_02 ? 2 : 3;
        const bool wide = f == LK_FAM_GH1_02 || f == LK_FAM_GH2_02 || f == LK_FAM_GH3_02;
        for (int i = 0; i < k; i++) apply_gh(a, n, r, wide);
    }
    }
}

LkMatrices *lk_suite_model(LkFamily f, LkFamily upper, uint32_t layers, uint64_t seed,
                           uint64_t index)
{
    static const char *names[] = {"0", "1"};
    LkAlphabet *alpha = lk_alphabet_new(names, 2, NULL);
    LkMatrices *m = lk_matrices_new(alpha, layers);
    lk_alphabet_unref(alpha);
    LkRng r;
    lk_rng_init_stream(&r, seed ^ ((uint64_t)f * 0x9E3779B97F4A7C15ull), index);
    for (uint32_t l = 0; l < layers; l++) {
        const LkFamily g = l ? upper : f;
        const uint32_t n = g == LK_FAM_ROT ? 2
                           : g == LK_FAM_DIAG01 || g == LK_FAM_DIAG11
                               ? 1 + (uint32_t)lk_rng_below(&r, 4)
                               : 2 + (uint32_t)lk_rng_below(&r, 3);
        mpq_t *a = g_new(mpq_t, 2 * n * n + 1), *b = g_new(mpq_t, 2 * n + 1),
              *h = g_new(mpq_t, n + 1);
        double *ro = g_new(double, n + 1);
        for (uint32_t i = 0; i < 2 * n * n; i++) mpq_init(a[i]);
        for (uint32_t i = 0; i < 2 * n; i++) mpq_init(b[i]), rand_q(&r, b[i], -16, 16, 16);
        for (uint32_t i = 0; i < n; i++) {
            mpq_init(h[i]), rand_q(&r, h[i], -16, 16, 16);
            ro[i] = ((double)lk_rng_below(&r, 9) - 4) / 4;
        }
        rand_matrix(g, n, &r, a);
        rand_matrix(g, n, &r, a + n * n);
        lk_matrices_set_layer(m, l, n, 2, a, b, h, ro);
        for (uint32_t i = 0; i < 2 * n * n; i++) mpq_clear(a[i]);
        for (uint32_t i = 0; i < 2 * n; i++) mpq_clear(b[i]);
        for (uint32_t i = 0; i < n; i++) mpq_clear(h[i]);
        g_free(a), g_free(b), g_free(h), g_free(ro);
    }
    return m;
}

/* ---- running tasks on threads, results in slots by index ---- */

typedef struct {
    gint next;
    gint total;
    void (*fn)(void *ctx, uint64_t i);
    void *ctx;
} Pool;

static gpointer pool_worker(gpointer data)
{
    Pool *p = data;
    for (;;) {
        const gint i = g_atomic_int_add(&p->next, 1);
        if (i >= p->total) break;
        lk_progress("prove: models", (uint64_t)i, (uint64_t)p->total);
        p->fn(p->ctx, (uint64_t)i);
    }
    return NULL;
}

static void run_parallel(uint64_t n, uint32_t threads, void (*fn)(void *, uint64_t), void *ctx)
{
    Pool p = {0, (gint)n, fn, ctx};
    if (!threads) threads = MIN(g_get_num_processors(), 2u);
    GThread **t = g_new(GThread *, threads + 1);
    for (uint32_t i = 1; i < threads; i++) t[i] = g_thread_new("lrnnkit-prove", pool_worker, &p);
    pool_worker(&p);
    for (uint32_t i = 1; i < threads; i++) g_thread_join(t[i]);
    g_free(t);
}

/* ---- one orbit's summary ---- */

typedef struct {
    bool found, certified;
    uint64_t period, transient; /* transient UINT64_MAX: beyond 2^64 */
} Result;

/* The observed fallback of stacked cast orbits costs O(steps^2): at most this. */
#define STACK_OBSERVE 200

static Result run_orbit(const LkMatrices *m, LkOrbitModel om, int prec, uint64_t steps)
{
    const LkPrecision p = lk_suite_precision(prec);
    const uint32_t one = 1;
    LkOrbit o;
    GError *err = NULL;
    const bool ok =
        om == LK_ORBIT_STEP
            ? lk_orbit_matrices_step(m, &p, &one, 1, &(LkLimits){.max_steps = steps}, &o, &err)
            : lk_orbit_cast_limits(m, &p, &one, 1, steps,
                                   m->n_layers == 1 ? steps : MIN(steps, STACK_OBSERVE), &o, &err);
    Result r = {0};
    if (ok) {
        r = (Result){true, o.certified, o.period, o.transient};
        lk_orbit_clear(&o);
    } else {
        g_clear_error(&err);
    }
    return r;
}

static void counts_add(LkPeriodCounts *c, const Result *r)
{
    if (!r->found)
        c->p[5]++;
    else
        c->p[r->period <= 4 ? r->period - 1 : 4]++;
}

/* ---- parity and modcount ---- */

typedef struct {
    const LkSuiteOptions *o;
    bool parity;
    Result *step, *cast; /* models x precisions */
} Check;

static void check_family(const Check *c, uint64_t i, LkFamily *f, LkFamily *upper, uint32_t *L)
{
    static const LkFamily par[] = {LK_FAM_DIAG01, LK_FAM_GH1_01, LK_FAM_GH2_01};
    static const LkFamily mod[] = {LK_FAM_DIAG11, LK_FAM_GH1_02};
    const uint64_t k = c->parity ? 3 : 2;
    *f = c->parity ? par[i % k] : mod[i % k];
    *upper = c->parity ? *f : LK_FAM_DIAG11;
    *L = 1 + (uint32_t)((i / k) % 3);
}

static void check_task(void *ctx, uint64_t i)
{
    const Check *c = ctx;
    LkFamily f, up;
    uint32_t L;
    check_family(c, i, &f, &up, &L);
    g_autoptr(LkMatrices) m = lk_suite_model(f, up, L, c->o->seed, i);
    const uint64_t cast_steps = c->o->cast_steps;
    for (int p = 0; p < LK_SUITE_PRECISIONS; p++) {
        c->step[i * LK_SUITE_PRECISIONS + p] = run_orbit(m, LK_ORBIT_STEP, p, c->o->step_steps);
        c->cast[i * LK_SUITE_PRECISIONS + p] = run_orbit(m, LK_ORBIT_CAST, p, cast_steps);
    }
}

static bool predicted(bool parity, uint32_t L, uint64_t period)
{
    if (parity) return period == 1;
    return (period & (period - 1)) == 0 && period <= (1ull << L);
}

static bool save_model(const LkSuiteOptions *o, const char *theorem, uint64_t i, LkFamily f,
                       LkFamily up, uint32_t L, int prec, LkOrbitModel om, const Result *r,
                       GError **error)
{
    if (!o->save_dir) return true;
    if (g_mkdir_with_parents(o->save_dir, 0755)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot create %s", o->save_dir);
        return false;
    }
    const LkPrecision p = lk_suite_precision(prec);
    g_autofree char *pn = lk_precision_name(&p);
    g_autoptr(LkMatrices) m = lk_suite_model(f, up, L, o->seed, i);
    g_autofree char *mj = lk_matrices_to_json(m);
    g_autofree char *text = g_strdup_printf(
        "{\"theorem\": \"%s\", \"family\": \"%s\", \"seed\": %" G_GUINT64_FORMAT
        ", \"index\": %" G_GUINT64_FORMAT ", \"layers\": %u, \"token\": \"1\", \"model\": \"%s\", "
        "\"precision\": \"%s\", \"period\": %" G_GUINT64_FORMAT ", \"matrices\": %s}\n",
        theorem, lk_family_name(f), o->seed, i, L, lk_orbit_model_name(om), pn, r->period, mj);
    g_autofree char *name = g_strdup_printf("%s/%s-%06" G_GUINT64_FORMAT "-%s-%s.json", o->save_dir,
                                            theorem, i, pn, lk_orbit_model_name(om));
    return lk_atomic_write(name, text, strlen(text), error);
}

/* ---- positive controls ---- */

static void control_add(LkTheoremReport *r, const char *name, const LkLrnn *lr, const LkDfa *d,
                        uint32_t token, uint64_t want, uint64_t steps)
{
    LkSuiteControl c = {.name = g_strdup(name), .want = want};
    LkVerifyResult v = {0};
    c.verified = lk_lrnn_verify(lr, d, NULL, &v, NULL) && v.verified;
    lk_verify_result_clear(&v);
    g_autoptr(LkMatrices) m = lk_matrices_from_lrnn(lr, NULL);
    for (int p = 0; p < LK_SUITE_PRECISIONS; p++) {
        const LkPrecision pr = lk_suite_precision(p);
        LkOrbit o;
        c.step[p] = c.cast[p] = 0;
        if (m &&
            lk_orbit_matrices_step(m, &pr, &token, 1, &(LkLimits){.max_steps = steps}, &o, NULL))
            c.step[p] = o.period, lk_orbit_clear(&o);
        if (m && lk_orbit_cast(m, lr, &pr, &token, 1, &(LkLimits){.max_steps = 1000}, &o, NULL))
            c.cast[p] = o.certified ? o.period : 0, lk_orbit_clear(&o);
        c.verified &= c.step[p] == want && c.cast[p] == want;
    }
    r->control_verified &= c.verified;
    g_array_append_val(r->controls, c);
}

/* The rotation layer: right up to its safe length, and what comes after. */
static void control_rotation(LkTheoremReport *r, const LkDfa *d, uint64_t m, uint64_t steps)
{
    g_autoptr(LkLrnn) rot = lk_lrnn_compile_rotation(d, NULL, NULL);
    LkVerifyResult v = {0};
    const bool exact = rot && lk_lrnn_verify(rot, d, NULL, &v, NULL) && v.verified;
    lk_verify_result_clear(&v);
    r->control_verified &= exact;
    const uint32_t one = (uint32_t)lk_alphabet_index(d->alphabet, "1");
    for (int p = 0; rot && p < 4; p++) { /* the float formats */
        const LkEngine e = lk_suite_precision(p).format;
        const uint64_t safe = lk_lrnn_safe_length(rot, e), check = MIN(safe, 100000);
        /* decoded states against the DFA along 1^k, k <= min(safe, 10^5) */
        uint32_t *w = g_new(uint32_t, check + 1);
        int64_t *st = g_new(int64_t, check + 1);
        for (uint64_t k = 0; k < check; k++) w[k] = one;
        lk_lrnn_run(rot, e, w, check, st);
        uint32_t q = d->start;
        bool right = true;
        for (uint64_t k = 0; k < check && right; k++)
            right = st[k] == (int64_t)(q = d->delta[(size_t)q * d->k + one]);
        g_free(w), g_free(st);
        r->control_verified &= right;
        LkLrnn *s1;
        LkStack view = lk_stack_view(rot, &s1);
        const LkPrecision pr = lk_suite_precision(p);
        LkOrbit o;
        g_string_append_printf(r->control_notes,
                               "rotation Z_%" G_GUINT64_FORMAT " in %s: period %" G_GUINT64_FORMAT
                               " holds for the %" G_GUINT64_FORMAT
                               " steps checked (safe length %" G_GUINT64_FORMAT "); ",
                               m, lk_engine_name(e), m, check, safe);
        if (lk_orbit_stack_step(&view, &pr, &one, 1, &(LkLimits){.max_steps = steps}, &o, NULL)) {
            g_string_append_printf(r->control_notes,
                                   "eventually period %" G_GUINT64_FORMAT " after %s steps\n",
                                   o.period, o.transient_exact);
            lk_orbit_clear(&o);
        } else {
            g_string_append_printf(r->control_notes,
                                   "no state repeats within %" G_GUINT64_FORMAT " steps\n", steps);
        }
    }
}

void lk_theorem_report_clear(LkTheoremReport *r)
{
    for (guint i = 0; r->controls && i < r->controls->len; i++)
        g_free(g_array_index(r->controls, LkSuiteControl, i).name);
    if (r->controls) g_array_unref(r->controls);
    if (r->control_notes) g_string_free(r->control_notes, TRUE);
    memset(r, 0, sizeof *r);
}

static bool prove(const LkSuiteOptions *o, bool parity, LkTheoremReport *out, GError **error)
{
    LkSuiteOptions opt = *o;
    if (!opt.step_steps) opt.step_steps = 100000;
    if (!opt.cast_steps) opt.cast_steps = 1000;
    *out = (LkTheoremReport){
        .theorem = parity ? "parity" : "modcount", .models = opt.models, .control_verified = true};
    out->controls = g_array_new(FALSE, FALSE, sizeof(LkSuiteControl));
    out->control_notes = g_string_new(NULL);
    const size_t cells = opt.models * LK_SUITE_PRECISIONS;
    Check c = {&opt, parity, g_new0(Result, cells + 1), g_new0(Result, cells + 1)};
    run_parallel(opt.models, opt.threads, check_task, &c);
    bool ok = true;
    for (uint64_t i = 0; i < opt.models && ok; i++) {
        LkFamily f, up;
        uint32_t L;
        check_family(&c, i, &f, &up, &L);
        for (int p = 0; p < LK_SUITE_PRECISIONS && ok; p++) {
            const Result *s = &c.step[i * LK_SUITE_PRECISIONS + p],
                         *k = &c.cast[i * LK_SUITE_PRECISIONS + p];
            counts_add(&out->step_periods, s);
            counts_add(&out->cast_periods, k);
            out->step_models++;
            if (!k->found)
                out->undecided++;
            else if (predicted(parity, L, k->period))
                out->agree++;
            else {
                out->disagree++;
                ok = save_model(&opt, out->theorem, i, f, up, L, p, LK_ORBIT_CAST, k, error);
            }
            if (s->found && !predicted(parity, L, s->period)) {
                out->outside_prediction++;
                if (ok)
                    ok = save_model(&opt, out->theorem, i, f, up, L, p, LK_ORBIT_STEP, s, error);
            }
        }
    }
    g_free(c.step), g_free(c.cast);
    if (!ok) {
        lk_theorem_report_clear(out);
        return false;
    }
    if (parity) {
        g_autoptr(LkDfa) d = lk_family_dfa("parity", NULL, NULL);
        const uint32_t one = (uint32_t)lk_alphabet_index(d->alphabet, "1");
        g_autoptr(LkLrnn) scalar = lk_lrnn_compile_scalar(d, NULL, NULL);
        g_autoptr(LkLrnn) perm = lk_lrnn_compile(d, false, NULL, NULL);
        control_add(out, "parity --scalar", scalar, d, one, 2, opt.step_steps);
        control_add(out, "parity permutation layer", perm, d, one, 2, opt.step_steps);
    } else {
        g_autofree char *spec = g_strdup_printf("mod:%" G_GUINT64_FORMAT, opt.m);
        g_autoptr(LkDfa) d = lk_family_dfa(spec, NULL, NULL);
        const uint32_t one = (uint32_t)lk_alphabet_index(d->alphabet, "1");
        g_autoptr(LkLrnn) perm = lk_lrnn_compile(d, false, NULL, NULL);
        g_autofree char *name = g_strdup_printf("Z_%" G_GUINT64_FORMAT " permutation layer", opt.m);
        control_add(out, name, perm, d, one, opt.m, opt.step_steps);
        control_rotation(out, d, opt.m, opt.step_steps);
    }
    return true;
}

bool lk_prove_parity(const LkSuiteOptions *o, LkTheoremReport *out, GError **error)
{
    g_return_val_if_fail(o != NULL, false);
    return prove(o, true, out, error);
}

bool lk_prove_modcount(const LkSuiteOptions *o, LkTheoremReport *out, GError **error)
{
    g_return_val_if_fail(o->m >= 3 && o->m % 2, false);
    return prove(o, false, out, error);
}

/* ---- sweeps ---- */

typedef struct {
    const LkSuiteOptions *o;
    LkOrbitModel model;
    Result *res; /* (family x models) x precisions */
} Sweep;

static void sweep_task(void *ctx, uint64_t t)
{
    const Sweep *s = ctx;
    const LkFamily f = (LkFamily)(t / s->o->models);
    const uint64_t i = t % s->o->models;
    const uint32_t L = 1 + (uint32_t)(i % 3);
    g_autoptr(LkMatrices) m = lk_suite_model(f, f, L, s->o->seed, i);
    const uint64_t steps = s->model == LK_ORBIT_STEP ? s->o->step_steps : s->o->cast_steps;
    for (int p = 0; p < LK_SUITE_PRECISIONS; p++)
        s->res[t * LK_SUITE_PRECISIONS + p] = run_orbit(m, s->model, p, steps);
}

void lk_sweep_report_clear(LkSweepReport *r)
{
    if (r->cells) g_array_unref(r->cells);
    memset(r, 0, sizeof *r);
}

void lk_prove_sweep(const LkSuiteOptions *o, LkOrbitModel model, LkSweepReport *out)
{
    g_return_if_fail(o != NULL);
    LkSuiteOptions opt = *o;
    if (!opt.step_steps) opt.step_steps = 10000;
    if (!opt.cast_steps) opt.cast_steps = 1000;
    const uint64_t tasks = (uint64_t)LK_FAM_COUNT * opt.models;
    Sweep s = {&opt, model, g_new0(Result, tasks * LK_SUITE_PRECISIONS + 1)};
    run_parallel(tasks, opt.threads, sweep_task, &s);
    *out = (LkSweepReport){.model = model, .cells = g_array_new(FALSE, TRUE, sizeof(LkSweepCell))};
    for (int f = 0; f < LK_FAM_COUNT; f++)
        for (int p = 0; p < LK_SUITE_PRECISIONS; p++) {
            LkSweepCell c = {.family = (LkFamily)f, .precision = p, .models = opt.models};
            for (uint64_t i = 0; i < opt.models; i++) {
                const Result *r = &s.res[((uint64_t)f * opt.models + i) * LK_SUITE_PRECISIONS + p];
                counts_add(&c.periods, r);
                if (r->found) {
                    c.certified += r->certified;
                    c.longest_transient = MAX(c.longest_transient, r->transient);
                }
                out->orbits++;
            }
            g_array_append_val(out->cells, c);
        }
    g_free(s.res);
}
