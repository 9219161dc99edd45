/* Reports with PLplot (see report.h). */
#include "proofs/report.h"

#include "automata/atomic-file.h"
#include "automata/error.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <string.h>

/* ---- PLplot, one SVG at a time ---- */

/* PLplot writes the SVG under the temporary's name; plot_end renames it. */
static bool plot_begin(LkAtomicFile *f, const char *path, GError **error)
{
    if (!lk_atomic_open(f, path, error)) return false;
    plsdev("svg");
    plsfnam(f->tmp);
    plspage(0, 0, 760, 480, 0, 0);
    plscol0(0, 255, 255, 255); /* background */
    plscol0(1, 0, 0, 0);       /* axes, text */
    plscol0(2, 200, 40, 40);
    plscol0(3, 30, 70, 200);
    plscol0(4, 40, 150, 60);
    plinit();
    return true;
}

static bool plot_end(LkAtomicFile *f, GError **error)
{
    plend();
    return lk_atomic_commit(f, error);
}

/* A model's step orbit under 1 (coordinates 0 and 1 of its top layer). */
static GArray *orbit_trace(const LkMatrices *m, const LkPrecision *p, uint64_t *period,
                           uint64_t *transient)
{
    const uint32_t one = 1;
    LkOrbit o;
    if (!lk_orbit_matrices_step(m, p, &one, 1, &(LkLimits){.max_steps = 100000}, &o, NULL))
        return NULL;
    GArray *t = g_array_ref(o.trace);
    *period = o.period, *transient = o.transient;
    lk_orbit_clear(&o);
    return t;
}

/* The first one-layer model of family f whose f32 orbit has the period
 * `period` after at least min_transient steps (searching 200). */
static GArray *pick(LkFamily f, uint64_t seed, uint64_t period, uint64_t min_transient,
                    uint64_t *index)
{
    const LkPrecision p = lk_precision_float(LK_ENGINE_F32);
    for (uint64_t i = 0; i < 200; i++) {
        g_autoptr(LkMatrices) m = lk_suite_model(f, f, 1, seed, i);
        uint64_t per, tr;
        GArray *t = orbit_trace(m, &p, &per, &tr);
        if (t && per == period && tr >= min_transient && tr < 1000) {
            *index = i;
            return t;
        }
        if (t) g_array_unref(t);
    }
    return NULL;
}

/* orbits.svg: coordinate 0 against k, a [0, 1] and a [-1, 1] model. */
static bool plot_orbits(const char *dir, uint64_t seed, GString *md, GError **error)
{
    uint64_t i01 = 0, i11 = 0;
    g_autoptr(GArray) a = pick(LK_FAM_GH1_01, seed, 1, 8, &i01);
    g_autoptr(GArray) b = pick(LK_FAM_DIAG11, seed, 2, 1, &i11);
    if (!a || !b) return true;
    const int n = (int)MIN(64, MIN(a->len, b->len) / 2);
    PLFLT x[64], ya[64], yb[64], lo = 0, hi = 0;
    for (int k = 0; k < n; k++) {
        x[k] = k;
        ya[k] = g_array_index(a, double, 2 * k), yb[k] = g_array_index(b, double, 2 * k);
        lo = MIN(lo, MIN(ya[k], yb[k])), hi = MAX(hi, MAX(ya[k], yb[k]));
    }
    g_autofree char *path = g_build_filename(dir, "orbits.svg", NULL);
    LkAtomicFile af;
    if (!plot_begin(&af, path, error)) return false;
    plcol0(1);
    plenv(0, n - 1, lo - 0.1 * (hi - lo + 1e-9), hi + 0.1 * (hi - lo + 1e-9), 0, 0);
    pllab("k (steps of the token 1)", "h#d0#u",
          "f32 orbits: eigenvalues in [0,1] (red) settle, in [-1,1] (blue) may oscillate");
    plcol0(2);
    plline(n, x, ya);
    plpoin(n, x, ya, 17);
    plcol0(3);
    plline(n, x, yb);
    plpoin(n, x, yb, 17);
    if (!plot_end(&af, error)) return false;
    g_string_append_printf(md,
                           "![orbits](orbits.svg)\n\n*Red:* model %" G_GUINT64_FORMAT
                           " of `gh1-01` (one GH factor, beta in [0, 1]), period 1. *Blue:* "
                           "model %" G_GUINT64_FORMAT
                           " of `diag11` (diagonal in [-1, 1]), period 2. Both in f32 with "
                           "rounding after every operation (`step`).\n\n",
                           i01, i11);
    return true;
}

/* cycle.svg: a rotation's orbit in the plane, in bf16 and f16. */
static bool plot_cycle(const char *dir, uint64_t seed, GString *md, GError **error)
{
    g_autoptr(LkMatrices) m = lk_suite_model(LK_FAM_ROT, LK_FAM_ROT, 1, seed, 0);
    const LkPrecision pb = lk_precision_float(LK_ENGINE_BF16),
                      ph = lk_precision_float(LK_ENGINE_F16);
    uint64_t perb = 0, trb = 0, perh = 0, trh = 0;
    g_autoptr(GArray) tb = orbit_trace(m, &pb, &perb, &trb);
    g_autoptr(GArray) th = orbit_trace(m, &ph, &perh, &trh);
    if (!tb || !th) return true;
    g_autofree char *path = g_build_filename(dir, "cycle.svg", NULL);
    LkAtomicFile af;
    if (!plot_begin(&af, path, error)) return false;
    plcol0(1);
    PLFLT r = 0;
    GArray *ts[2] = {tb, th};
    for (int s = 0; s < 2; s++)
        for (guint k = 0; k < ts[s]->len; k++) r = MAX(r, fabs(g_array_index(ts[s], double, k)));
    r = r * 1.1 + 1e-9;
    plenv(-r, r, -r, r, 1, 0);
    pllab("h#d0#u", "h#d1#u", "a rotation's orbit from its start (dot): bf16 (red), f16 (blue)");
    for (int s = 0; s < 2; s++) {
        const int n = (int)MIN(ts[s]->len / 2, 600);
        PLFLT *x = g_new(PLFLT, n + 1), *y = g_new(PLFLT, n + 1);
        for (int k = 0; k < n; k++)
            x[k] = g_array_index(ts[s], double, 2 * k),
            y[k] = g_array_index(ts[s], double, 2 * k + 1);
        plcol0(s ? 3 : 2);
        plline(n, x, y); /* the path of the orbit; its cycle closes on itself */
        plpoin(1, x, y, 17);
        g_free(x), g_free(y);
    }
    if (!plot_end(&af, error)) return false;
    g_string_append_printf(
        md,
        "![cycle](cycle.svg)\n\n*Model 0 of `rot`* (a rotation with rational "
        "cosine and sine, complex eigenvalues) under a repeated token: in bf16 "
        "the orbit ends in a cycle of %" G_GUINT64_FORMAT " after %" G_GUINT64_FORMAT
        " steps, in f16 in a cycle of %" G_GUINT64_FORMAT " after %" G_GUINT64_FORMAT " steps.\n\n",
        perb, trb, perh, trh);
    return true;
}

/* A heat map: rows x cols values in [0, 1] with labels and the values as text. */
static bool heat_map(const char *path, const char *title, const char *xlabel, int rows, int cols,
                     const char *const *row_names, const char *const *col_names, const double *v,
                     const char *const *cell_text, GError **error)
{
    LkAtomicFile af;
    if (!plot_begin(&af, path, error)) return false;
    PLFLT pos[2] = {0, 1}, red[2] = {1, 0.12}, green[2] = {1, 0.3}, blue[2] = {1, 0.75};
    plscmap1l(1, 2, pos, red, green, blue, NULL);
    pladv(0);
    plvpor(0.16, 0.95, 0.14, 0.88);
    plwind(0, cols, 0, rows);
    PLFLT **z = g_new(PLFLT *, cols + 1);
    for (int c = 0; c < cols; c++) {
        z[c] = g_new(PLFLT, rows + 1);
        for (int r = 0; r < rows; r++) z[c][r] = v[r * cols + c];
    }
    plimage((PLFLT_MATRIX)z, cols, rows, 0, cols, 0, rows, 0, 1, 0, cols, 0, rows);
    plcol0(1);
    plbox("bc", 0, 0, "bc", 0, 0);
    plschr(0, 0.8);
    for (int c = 0; c < cols; c++) plmtex("b", 1.5, (c + 0.5) / cols, 0.5, col_names[c]);
    for (int r = 0; r < rows; r++) plmtex("lv", 1.0, (r + 0.5) / rows, 1.0, row_names[r]);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            plcol0(v[r * cols + c] > 0.6 ? 0 : 1);
            plptex(c + 0.5, r + 0.5, 1, 0, 0.5, cell_text[r * cols + c]);
        }
    plcol0(1);
    plschr(0, 1.0);
    plmtex("t", 1.5, 0.5, 0.5, title);
    plmtex("b", 3.2, 0.5, 0.5, xlabel);
    for (int c = 0; c < cols; c++) g_free(z[c]);
    g_free(z);
    return plot_end(&af, error);
}

static bool write_md(const char *dir, const GString *md, GError **error)
{
    g_autofree char *path = g_build_filename(dir, "report.md", NULL);
    return lk_atomic_write(path, md->str, md->len, error);
}

static bool make_dir(const char *dir, GError **error)
{
    if (g_mkdir_with_parents(dir, 0755)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot create %s", dir);
        return false;
    }
    return true;
}

static void precision_names(char **names)
{
    for (int p = 0; p < LK_SUITE_PRECISIONS; p++) {
        const LkPrecision pr = lk_suite_precision(p);
        names[p] = lk_precision_name(&pr);
    }
}

bool lk_report_theorem(const char *dir, const LkTheoremReport *r, const LkSuiteOptions *o,
                       GError **error)
{
    g_return_val_if_fail(dir != NULL, false);
    if (!make_dir(dir, error)) return false;
    const bool par = !strcmp(r->theorem, "parity");
    GString *md = g_string_new(NULL);
    g_string_append_printf(
        md,
        "# lrnnkit prove %s\n\n%s\n\nSeed %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
        " random models (1-3 layers), each in f64, f32, bf16, f16 and fixed:16, under a repeated "
        "token 1.\n\n| | agree | disagree | undecided |\n|---|---|---|---|\n| cast model (the "
        "theorem's) | %" G_GUINT64_FORMAT " | %" G_GUINT64_FORMAT " | %" G_GUINT64_FORMAT
        " |\n\nUnder `step` rounding (what hardware does) %" G_GUINT64_FORMAT
        " of %" G_GUINT64_FORMAT " orbits end outside the prediction.\n\n",
        r->theorem,
        par ? "Theorem 1: if every eigenvalue of every transition is real and >= 0, a "
              "finite-precision LRNN's orbit under a repeated token ends with period 1, so no "
              "decoder separates (11)* from 1(11)*."
            : "Theorem 2: if every eigenvalue is real (negative allowed), the orbit of an L-layer "
              "LRNN under a repeated token ends with a period dividing 2^L, so it cannot count "
              "modulo an odd m > 1.",
        o->seed, r->models, r->agree, r->disagree, r->undecided, r->outside_prediction,
        r->step_models);
    bool ok = plot_orbits(dir, o->seed, md, error);
    /* periods.svg: rows cast / step, columns the period classes */
    const char *rows[] = {"step", "cast"}, *cols[6];
    double v[12];
    char *text[12];
    for (int c = 0; c < 6; c++) cols[c] = lk_period_count_names[c];
    const LkPeriodCounts *pc[2] = {&r->step_periods, &r->cast_periods};
    for (int row = 0; row < 2; row++) {
        uint64_t tot = 0;
        for (int c = 0; c < 6; c++) tot += pc[row]->p[c];
        for (int c = 0; c < 6; c++) {
            v[row * 6 + c] = tot ? (double)pc[row]->p[c] / (double)tot : 0;
            text[row * 6 + c] = g_strdup_printf("%" G_GUINT64_FORMAT, pc[row]->p[c]);
        }
    }
    g_autofree char *pp = g_build_filename(dir, "periods.svg", NULL);
    if (ok)
        ok = heat_map(pp, "eventual periods (orbits per class)", "period", 2, 6, rows, cols, v,
                      (const char *const *)text, error);
    for (int i = 0; i < 12; i++) g_free(text[i]);
    if (ok) g_string_append(md, "![periods](periods.svg)\n\n");
    if (ok) ok = plot_cycle(dir, o->seed, md, error);
    g_string_append_printf(md, "## Positive controls: %s\n\n",
                           r->control_verified ? "passed" : "FAILED");
    for (guint i = 0; i < r->controls->len; i++) {
        const LkSuiteControl *c = &g_array_index(r->controls, LkSuiteControl, i);
        g_string_append_printf(
            md, "- %s: must show period %" G_GUINT64_FORMAT ": %s\n", c->name, c->want,
            c->verified ? "verified exactly, period in every precision and model" : "FAILED");
    }
    if (r->control_notes->len) g_string_append_printf(md, "\n```\n%s```\n", r->control_notes->str);
    g_string_append(md, "\nPlots by PLplot (svg device).\n");
    if (ok) ok = write_md(dir, md, error);
    g_string_free(md, TRUE);
    return ok;
}

bool lk_report_sweep(const char *dir, const LkSweepReport *r, const LkSuiteOptions *o,
                     GError **error)
{
    g_return_val_if_fail(dir != NULL, false);
    if (!make_dir(dir, error)) return false;
    const int rows = LK_FAM_COUNT, cols = LK_SUITE_PRECISIONS;
    const char *rn[LK_FAM_COUNT];
    char *cn[LK_SUITE_PRECISIONS], *text[LK_FAM_COUNT * LK_SUITE_PRECISIONS];
    double v[LK_FAM_COUNT * LK_SUITE_PRECISIONS];
    precision_names(cn);
    GString *md = g_string_new(NULL);
    g_string_append_printf(md,
                           "# lrnnkit prove sweep\n\nSeed %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                           " models per family (1-3 layers), `%s` model. Share of orbits under a "
                           "repeated token whose eventual period is not 1 (they could separate "
                           "(11)*), per family and precision.\n\n| family |",
                           o->seed, o->models, lk_orbit_model_name(r->model));
    for (int c = 0; c < cols; c++) g_string_append_printf(md, " %s |", cn[c]);
    g_string_append(md, "\n|---|");
    for (int c = 0; c < cols; c++) g_string_append(md, "---|");
    g_string_append(md, "\n");
    for (guint i = 0; i < r->cells->len; i++) {
        const LkSweepCell *c = &g_array_index(r->cells, LkSweepCell, i);
        const int row = c->family, col = c->precision;
        rn[row] = lk_family_name(c->family);
        const uint64_t found = c->models - c->periods.p[5];
        const double share = found ? 1.0 - (double)c->periods.p[0] / (double)found : 0;
        v[row * cols + col] = share;
        text[row * cols + col] = g_strdup_printf("%.0f%%", 100 * share);
        if (col == 0) g_string_append_printf(md, "| %s |", rn[row]);
        g_string_append_printf(md, " %s |%s", text[row * cols + col], col == cols - 1 ? "\n" : "");
    }
    g_autofree char *sp = g_build_filename(dir, "sweep.svg", NULL);
    bool ok = heat_map(sp, "share of orbits with eventual period > 1", "precision", rows, cols, rn,
                       (const char *const *)cn, v, (const char *const *)text, error);
    for (int i = 0; i < rows * cols; i++) g_free(text[i]);
    for (int c = 0; c < cols; c++) g_free(cn[c]);
    g_string_append(md, "\n![sweep](sweep.svg)\n\n");
    if (ok) ok = plot_orbits(dir, o->seed, md, error);
    if (ok) ok = plot_cycle(dir, o->seed, md, error);
    g_string_append(md, "Plots by PLplot (svg device).\n");
    if (ok) ok = write_md(dir, md, error);
    g_string_free(md, TRUE);
    return ok;
}
