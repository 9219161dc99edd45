/* Fewer levels: merging runs of adjacent cascade levels (see cascade.h).
 *
 * Let R be the cascade states reachable from the start. A run of levels
 * i..j can become one level whose states are the sub-tuples (x_i..x_j) that
 * occur in R: level m's next state depends only on levels 0..m, so under a
 * context c (the states of levels 0..i-1) and a letter a the run moves each
 * sub-tuple s occurring with c to a sub-tuple f_{c,a}(s) that depends on
 * (c, s) alone. The merged level is a permutation-reset level exactly when
 * every f_{c,a}, restricted to the sub-tuples S_c occurring with c, is
 * injective (it extends to a permutation of all merged states) or constant
 * (a reset); states outside S_c never occur with c, so the extension does
 * not change the reachable behaviour. Single levels always qualify and are
 * rebuilt on their reachable states only.
 *
 * Narrowing: the context c fixes which sub-tuples can occur (S_c), and the
 * context after a letter depends on c and the letter alone, so a merged
 * state need only name its sub-tuple's position within S_c: the level has
 * max_c |S_c| states, not |union of S_c|. Relabelling by a bijection per
 * context keeps maps injective or constant. For the holonomy cascade this
 * is the step from the disjoint union of a depth's tiles to the largest
 * tile set among its classes ((a|b)*a(a|b){k}: 2^i tiles at depth i, at
 * most 2 per class).
 *
 * The partition of 0..L-1 into runs is chosen by dynamic programming over
 * prefixes: fewest runs, then the smallest total width, among runs whose
 * merged width is at most max_width (widths only grow as a run extends, so
 * each start stops at the first run too wide). Checking a run costs
 * O(|R| k (j + 1)) expected; all runs O(L^2 |R| k L) in the worst case.
 */
#include "automata/semigroup/cascade.h"

#include <string.h>

typedef struct {
    uint32_t L, k, n;  /* levels, letters, reachable states */
    LkTupleMap *reach; /* width L: reachable cascade state -> index */
    uint32_t *succ;    /* n * k successors */
} Reach;

static void reach_clear(Reach *r)
{
    lk_tuple_map_free(r->reach);
    g_free(r->succ);
}

static bool reach_build(const LkCascade *c, uint64_t max_states, Reach *r, GError **error)
{
    const uint32_t L = c->n_levels, k = c->k;
    *r = (Reach){L, k, 0, lk_tuple_map_new(L), NULL};
    uint32_t *st = g_new(uint32_t, L + 1), *next = g_new(uint32_t, L + 1);
    GArray *succ = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    bool ok = true;
    lk_cascade_start(c, st);
    lk_tuple_map_insert(r->reach, st, 0, NULL);
    for (uint32_t s = 0; ok && s < lk_tuple_map_size(r->reach); s++) {
        memcpy(st, lk_tuple_map_key(r->reach, s), sizeof(uint32_t) * L);
        for (uint32_t a = 0; a < k && ok; a++) {
            if (!lk_cascade_step(c, st, a, next)) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "cascade: a reachable state runs into a context without a row");
                ok = false;
                break;
            }
            uint32_t t = lk_tuple_map_insert(r->reach, next, 0, NULL);
            g_array_append_val(succ, t);
            if (max_states && lk_tuple_map_size(r->reach) > max_states) {
                g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                            "cascade: more than %" G_GUINT64_FORMAT
                            " reachable states (raise --max-states)",
                            max_states);
                ok = false;
            }
        }
    }
    r->n = lk_tuple_map_size(r->reach);
    r->succ = (uint32_t *)g_array_free(succ, FALSE);
    g_free(st);
    g_free(next);
    return ok;
}

/* The width of run i..j (distinct sub-tuples), or UINT32_MAX when the run
 * is not a permutation-reset level. */
static uint32_t run_width(const Reach *r, uint32_t i, uint32_t j)
{
    const uint32_t w = j - i + 1, k = r->k;
    g_autoptr(LkTupleMap) ctx = lk_tuple_map_new(i), sub = lk_tuple_map_new(w),
                          pre = lk_tuple_map_new(j + 1), img = lk_tuple_map_new(3);
    uint32_t *pre_of = g_new(uint32_t, r->n + 1);
    GArray *pctx = g_array_new(FALSE, FALSE, sizeof(uint32_t)); /* per prefix */
    GArray *psub = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GArray *first = g_array_new(FALSE, FALSE, sizeof(uint32_t)); /* a state with it */
    GArray *n_sub = g_array_new(FALSE, TRUE, sizeof(uint32_t));  /* per context */
    for (uint32_t s = 0; s < r->n; s++) {
        const uint32_t *x = lk_tuple_map_key(r->reach, s);
        bool added;
        uint32_t p = lk_tuple_map_insert(pre, x, 0, &added);
        pre_of[s] = p;
        if (!added) continue;
        uint32_t ci = lk_tuple_map_insert(ctx, x, 0, NULL);
        uint32_t si = lk_tuple_map_insert(sub, x + i, 0, NULL);
        g_array_append_val(pctx, ci);
        g_array_append_val(psub, si);
        g_array_append_val(first, s);
        if (ci >= n_sub->len) g_array_set_size(n_sub, ci + 1);
        g_array_index(n_sub, uint32_t, ci)++;
    }
    /* distinct images per (context, letter) */
    uint32_t *count = g_new0(uint32_t, (size_t)lk_tuple_map_size(ctx) * k + 1);
    for (uint32_t p = 0; p < lk_tuple_map_size(pre); p++) {
        const uint32_t ci = g_array_index(pctx, uint32_t, p), s = g_array_index(first, uint32_t, p);
        for (uint32_t a = 0; a < k; a++) {
            uint32_t key[3] = {ci, a,
                               g_array_index(psub, uint32_t, pre_of[r->succ[(size_t)s * k + a]])};
            bool added;
            lk_tuple_map_insert(img, key, 0, &added);
            count[(size_t)ci * k + a] += added;
        }
    }
    uint32_t width = 0;
    for (uint32_t ci = 0; ci < n_sub->len; ci++)
        width = MAX(width, g_array_index(n_sub, uint32_t, ci));
    for (uint32_t ci = 0; ci < lk_tuple_map_size(ctx) && width != UINT32_MAX; ci++)
        for (uint32_t a = 0; a < k; a++) {
            uint32_t m = count[(size_t)ci * k + a];
            if (m != 1 && m != g_array_index(n_sub, uint32_t, ci)) {
                width = UINT32_MAX;
                break;
            }
        }
    g_free(count);
    g_free(pre_of);
    g_array_unref(pctx);
    g_array_unref(psub);
    g_array_unref(first);
    g_array_unref(n_sub);
    return width;
}

/* Completes a partial map (defined[q]) injective on its domain to a
 * permutation fixing what it can, or sets a constant map. */
static void complete_map(uint32_t *map, const uint8_t *defined, uint32_t n, uint8_t *used)
{
    uint32_t distinct = 0, dom = 0, any = 0;
    memset(used, 0, n);
    for (uint32_t q = 0; q < n; q++)
        if (defined[q]) {
            dom++, any = map[q];
            distinct += !used[map[q]];
            used[map[q]] = 1;
        }
    if (distinct == dom) { /* injective: extend, fixed points first */
        for (uint32_t q = 0; q < n; q++)
            if (!defined[q]) map[q] = used[q] ? UINT32_MAX : q, used[q] = 1;
        uint32_t free_img = 0;
        for (uint32_t q = 0; q < n; q++) {
            if (map[q] != UINT32_MAX) continue;
            while (used[free_img]) free_img++;
            map[q] = free_img, used[free_img] = 1;
        }
    } else {
        for (uint32_t q = 0; q < n; q++) map[q] = any;
    }
}

LkCascade *lk_cascade_merge_levels(const LkCascade *c, uint32_t max_width, const LkLimits *limits,
                                   GError **error)
{
    g_return_val_if_fail(c != NULL, NULL);
    Reach r;
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    if (!reach_build(c, lim.max_states, &r, error)) {
        reach_clear(&r);
        return NULL;
    }
    const uint32_t L = c->n_levels, k = c->k;
    /* best[j]: fewest runs (then width) covering levels 0..j-1; from[j] its last run start */
    uint64_t *best = g_new(uint64_t, L + 1);
    uint32_t *from = g_new(uint32_t, L + 1);
    best[0] = 0;
    for (uint32_t j = 1; j <= L; j++) best[j] = UINT64_MAX;
    for (uint32_t i = 0; i < L; i++) {
        if (best[i] == UINT64_MAX) continue;
        for (uint32_t j = i; j < L; j++) {
            if (j > i && !max_width) break;
            uint32_t w = run_width(&r, i, j);
            if (w != UINT32_MAX && w > max_width && j > i) break;
            if (w == UINT32_MAX) continue;
            uint64_t cost = best[i] + ((uint64_t)1 << 32) + w;
            if (cost < best[j + 1]) best[j + 1] = cost, from[j + 1] = i;
        }
    }
    /* the runs, last to first */
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t j = L; j > 0; j = from[j]) g_array_prepend_val(starts, from[j]);
    const uint32_t m = starts->len;
    uint32_t *lo = g_new(uint32_t, m + 1), *hi = g_new(uint32_t, m + 1);
    for (uint32_t b = 0; b < m; b++) {
        lo[b] = g_array_index(starts, uint32_t, b);
        hi[b] = b + 1 < m ? g_array_index(starts, uint32_t, b + 1) : L;
    }
    g_array_unref(starts);
    /* merged states per run: the index of the run's sub-tuple among those
     * occurring with the same context, in breadth-first order */
    uint32_t *tuple = g_new(uint32_t, (size_t)r.n * m + 1);
    uint32_t *states = g_new0(uint32_t, m + 1), *startv = g_new(uint32_t, m + 1);
    for (uint32_t b = 0; b < m; b++) {
        g_autoptr(LkTupleMap) ctx = lk_tuple_map_new(lo[b]), pre = lk_tuple_map_new(hi[b]);
        for (uint32_t s = 0; s < r.n; s++) {
            const uint32_t *x = lk_tuple_map_key(r.reach, s);
            bool added;
            uint32_t p = lk_tuple_map_insert(pre, x, 0, &added);
            if (added) {
                uint32_t ci = lk_tuple_map_insert(ctx, x, 0, NULL),
                         local = lk_tuple_map_value(ctx, ci);
                lk_tuple_map_set_value(ctx, ci, local + 1);
                lk_tuple_map_set_value(pre, p, local);
                states[b] = MAX(states[b], local + 1);
            }
            tuple[(size_t)s * m + b] = lk_tuple_map_value(pre, p);
        }
        startv[b] = tuple[b];
    }
    LkCascade *out = lk_cascade_new(c->alphabet, m, states, startv);
    for (uint32_t b = 0; b < m; b++) { /* rows from the reachable states, then completed */
        const uint32_t n = states[b];
        GArray *defined = g_array_new(FALSE, TRUE, sizeof(uint8_t));
        for (uint32_t s = 0; s < r.n; s++) {
            bool added;
            uint32_t row = lk_cascade_add_row(out, b, tuple + (size_t)s * m, &added);
            if ((size_t)(row + 1) * k * n > defined->len)
                g_array_set_size(defined, (row + 1) * k * n);
            uint32_t *maps = lk_cascade_maps(out, b, row);
            uint8_t *def = (uint8_t *)defined->data + (size_t)row * k * n;
            const uint32_t q = tuple[(size_t)s * m + b];
            for (uint32_t a = 0; a < k; a++) {
                maps[(size_t)a * n + q] = tuple[(size_t)r.succ[(size_t)s * k + a] * m + b];
                def[(size_t)a * n + q] = 1;
            }
        }
        uint8_t *used = g_new(uint8_t, n + 1);
        for (uint32_t row = 0; row < lk_tuple_map_size(out->level[b].contexts); row++)
            for (uint32_t a = 0; a < k; a++)
                complete_map(lk_cascade_maps(out, b, row) + (size_t)a * n,
                             (uint8_t *)defined->data + ((size_t)row * k + a) * n, n, used);
        g_free(used);
        g_array_unref(defined);
    }
    lk_cascade_set_outputs(out, c->n_out, c->accept);
    for (uint32_t s = 0; s < r.n; s++) {
        int64_t o = lk_cascade_output(c, lk_tuple_map_key(r.reach, s));
        if (o >= 0) lk_cascade_set_output(out, tuple + (size_t)s * m, (uint32_t)o);
    }
    g_free(tuple);
    g_free(states);
    g_free(startv);
    g_free(lo);
    g_free(hi);
    g_free(best);
    g_free(from);
    reach_clear(&r);
    return out;
}
