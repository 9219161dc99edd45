/* Plots of training runs. Not a public header. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

typedef struct {
    const char *name; /* the legend */
    guint n;
    double *x, *y;
} LkTrainCurve;

/* An SVG (PLplot) of curves of scaled accuracy against xlabel, written
 * atomically to dir/file. */
bool lk_train_plot(const char *dir, const char *file, const char *xlabel, const LkTrainCurve *c,
                   guint n, GError **error);
