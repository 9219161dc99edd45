/** @file
 * lrnnkit — reports of the checks: report.md and SVG plots.
 *
 * Plots are drawn by PLplot (Debian's libplplot-dev, its built-in svg
 * device): axes, ticks, labels, line plots and heat maps with a colour
 * map come with it, where cairo would draw only primitives and leave the
 * axes and the layout to us. Files are written under temporary names and
 * renamed, so a failed run leaves no partial file.
 */
#pragma once

#include "proofs/suite.h"

G_BEGIN_DECLS

/** report.md, orbits.svg (a state coordinate against k for a [0, 1] and a
 * [-1, 1] model), periods.svg (heat map of the eventual periods), cycle.svg
 * (a rotation's orbit in the plane) into dir (created). LK_ERROR_INPUT when
 * dir cannot be written. */
bool lk_report_theorem(const char *dir, const LkTheoremReport *r, const LkSuiteOptions *o,
                       GError **error);
/** The same for a sweep, with sweep.svg (family x precision heat map of the
 * share of orbits whose eventual period is not 1). */
bool lk_report_sweep(const char *dir, const LkSweepReport *r, const LkSuiteOptions *o,
                     GError **error);

G_END_DECLS
