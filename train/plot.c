/* Curves of training runs with PLplot's SVG device (see plot-private.h). */
#include "train/plot-private.h"
#include "automata/atomic-file.h"

#include <plplot.h>

bool lk_train_plot(const char *dir, const char *file, const char *xlabel, const LkTrainCurve *c,
                   guint n, GError **error)
{
    g_autofree char *path = g_build_filename(dir, file, NULL);
    LkAtomicFile af;
    if (!lk_atomic_open(&af, path, error)) return false;
    double x0 = 0, x1 = 1;
    bool any = false;
    for (guint i = 0; i < n; i++)
        for (guint j = 0; j < c[i].n; j++) {
            if (!any || c[i].x[j] < x0) x0 = c[i].x[j];
            if (!any || c[i].x[j] > x1) x1 = c[i].x[j];
            any = true;
        }
    if (x1 <= x0) x1 = x0 + 1;
    static const int palette[][3] = {{200, 40, 40}, {30, 70, 200}, {40, 150, 60}, {150, 60, 170}};
    plsdev("svg");
    plsfnam(af.tmp);
    plspage(0, 0, 760, 480, 0, 0);
    plscol0(0, 255, 255, 255);
    plscol0(1, 0, 0, 0);
    for (int i = 0; i < 4; i++) plscol0(2 + i, palette[i][0], palette[i][1], palette[i][2]);
    plinit();
    plcol0(1);
    plenv(x0, x1, -0.1, 1.05, 0, 0);
    g_autofree char *title =
        g_strdup_printf("scaled accuracy (acc - chance) / (1 - chance) by %s", xlabel);
    pllab(xlabel, "scaled accuracy", title);
    for (guint i = 0; i < n; i++) {
        plcol0(2 + (int)(i % 4));
        if (c[i].n) plline((PLINT)c[i].n, c[i].x, c[i].y);
        plmtex("t", -1.5 - 1.2 * i, 0.03, 0, c[i].name); /* the legend, in the curve's colour */
    }
    plend();
    return lk_atomic_commit(&af, error);
}
