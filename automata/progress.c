/* Progress reports (see progress.h). */
#include "automata/progress.h"

static LkProgressFn reporter;
static gint64 prev; /* monotonic time of the last report, microseconds */

void lk_progress_set(LkProgressFn fn)
{
    __atomic_store_n(&prev, g_get_monotonic_time(), __ATOMIC_RELAXED); /* quiet for 250 ms */
    g_atomic_pointer_set(&reporter, fn);
}

void lk_progress(const char *what, uint64_t done, uint64_t total)
{
    g_return_if_fail(what != NULL);
    LkProgressFn fn = g_atomic_pointer_get(&reporter);
    if (!fn) return;
    const gint64 now = g_get_monotonic_time();
    gint64 p = __atomic_load_n(&prev, __ATOMIC_RELAXED);
    if (now - p < 250000) return;
    if (!__atomic_compare_exchange_n(&prev, &p, now, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        return; /* another thread reports */
    fn(what, done, total);
}
