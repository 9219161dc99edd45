/* Dataset lengths: uniform, or in proportion to the number of words (see
 * dataset-private.h). */
#include "generators/dataset-private.h"

#include <math.h>

/* ---- lengths ---- */

bool lk_length_table(const LkTask *t, const LkSplit *s, uint32_t cls, LkLengthDist dist,
                     LengthTable *out, GError **error)
{
    out->len = g_new(uint32_t, s->max_len - s->min_len + 1);
    out->cum = g_new(double, s->max_len - s->min_len + 1);
    out->n = 0;
    double top = -INFINITY, acc = 0;
    for (uint32_t l = s->min_len; l <= s->max_len; l++)
        top = fmax(top, lk_task_log_count(t, cls, l));
    for (uint32_t l = s->min_len; l <= s->max_len; l++) {
        double lc = lk_task_log_count(t, cls, l);
        if (lc == -INFINITY) continue;
        acc += dist == LK_LENGTHS_WORDS ? exp(lc - top) : 1.0;
        out->len[out->n] = l;
        out->cum[out->n++] = acc;
    }
    if (!out->n) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "split '%s': the task has no %sinputs of lengths %u-%u", s->name,
                    lk_task_classes(t) > 1 ? (cls ? "accepted " : "rejected ") : "", s->min_len,
                    s->max_len);
        return false;
    }
    return true;
}

uint32_t lk_draw_length(const LengthTable *lt, LkRng *rng)
{
    if (lt->n == 1) return lt->len[0];
    const double u = lk_rng_double(rng) * lt->cum[lt->n - 1];
    uint32_t lo = 0, hi = lt->n - 1; /* the first with cum > u */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (lt->cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lt->len[lo];
}
