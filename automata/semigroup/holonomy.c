/* The holonomy decomposition (see holonomy.h for the definitions).
 *
 * Sets are bitsets of W 32-bit words interned in an LkTupleMap (index =
 * insertion order; X is set 0). Invariants used by the cascade:
 *  - every non-singleton set P of class C has a transport u_P, the images
 *    of the representative's points r_0 < r_1 < ... in order, realised by a
 *    word (the breadth-first path from the representative inside C), so it
 *    is a bijection R -> P carrying tiles of R onto tiles of P;
 *  - depth strictly grows along strict subduction, so for a cascade state
 *    with old chain set P and new chain set Q at depth d (P·a ⊆ Q):
 *    if depth(P) = d and P·a = Q the letter permutes the tiles (the
 *    holonomy action T ↦ T u_P a u_Q^-1); otherwise P·a is a proper subset
 *    of Q inside some tile of Q, and level d resets to the first such tile;
 *    if depth(Q) > d, level d is skipped and reset to 0. Each level's map is
 *    thus a permutation or a constant, and the chains end in the singletons
 *    {p} and {p·a}: the cascade covers the automaton.
 */
#include "automata/semigroup/holonomy.h"
#include "automata/progress.h"

#include "automata/semigroup/perm-group.h"
#include "automata/tuple-map.h"

#include <string.h>

typedef struct {
    uint32_t rep, size, depth, height, comp;
    bool single;
    GArray *members;     /* set indices, breadth-first from rep */
    GArray *tiles;       /* set indices of the representative's tiles */
    GArray *tpos;        /* per tile: offset into pos (positions in rep) */
    GArray *pos;         /* positions i of the tile's points r_i, per tile */
    uint32_t *points;    /* the representative's points r_0 < r_1 < ... */
    LkTupleMap *tile_of; /* set index -> tile number */
} Class;

struct LkHolonomy {
    uint32_t n, k, W;
    uint32_t *gens;
    LkTupleMap *sets;
    uint32_t n_sets;
    uint32_t *size, *edge, *cls;
    uint32_t *uoff; /* per set: offset of its transport in upool (UINT32_MAX: none) */
    GArray *upool;
    Class *cl;
    uint32_t n_classes, m;
    LkHolonomyLevel *levels;
};

static inline const uint32_t *set_bits(const LkHolonomy *h, uint32_t s)
{
    return lk_tuple_map_key(h->sets, s);
}

static inline bool has(const uint32_t *b, uint32_t q)
{
    return b[q >> 5] >> (q & 31) & 1;
}

static bool subset(const uint32_t *a, const uint32_t *b, uint32_t W)
{
    for (uint32_t w = 0; w < W; w++)
        if (a[w] & ~b[w]) return false;
    return true;
}

static uint32_t popcount(const uint32_t *b, uint32_t W)
{
    uint32_t c = 0;
    for (uint32_t w = 0; w < W; w++) c += (uint32_t)__builtin_popcount(b[w]);
    return c;
}

static uint32_t find_set(const LkHolonomy *h, const uint32_t *bits)
{
    return lk_tuple_map_find(h->sets, bits);
}

/* Whether `extra` more image sets pass the limit: max_images sets, and
 * max_images * 4 KiB of bitsets (|Q|/8 bytes each: the same count of sets of
 * 10^5 points would need 12 GB). */
static bool over_limit(const LkHolonomy *h, uint32_t extra, uint64_t max_images, GError **error)
{
    const uint64_t sets = (uint64_t)lk_tuple_map_size(h->sets) + extra;
    if (sets <= max_images && sets * h->W * 4 <= max_images * 4096) return false;
    g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                "holonomy: more than %" G_GUINT64_FORMAT
                " image sets or their bitsets past %" G_GUINT64_FORMAT " MiB (raise --max-images)",
                max_images, max_images * 4096 >> 20);
    return true;
}

/* The orbit of X under the generators, then the singletons; edges. */
static bool orbit(LkHolonomy *h, uint64_t max_images, GError **error)
{
    const uint32_t n = h->n, k = h->k, W = h->W;
    g_autofree uint32_t *b = g_new0(uint32_t, W + 1), *img = g_new(uint32_t, W + 1);
    for (uint32_t q = 0; q < n; q++) b[q >> 5] |= 1u << (q & 31);
    lk_tuple_map_insert(h->sets, b, 0, NULL);
    GArray *edge = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    bool singles_added = false;
    for (uint32_t s = 0; s < lk_tuple_map_size(h->sets); s++) {
        lk_progress("holonomy: image sets", lk_tuple_map_size(h->sets), 0);
        memcpy(b, set_bits(h, s), sizeof(uint32_t) * W);
        for (uint32_t a = 0; a < k; a++) {
            memset(img, 0, sizeof(uint32_t) * W);
            for (uint32_t w = 0; w < W; w++)
                for (uint32_t x = b[w]; x; x &= x - 1) {
                    uint32_t q = w * 32 + (uint32_t)__builtin_ctz(x);
                    uint32_t r = h->gens[(size_t)a * n + q];
                    img[r >> 5] |= 1u << (r & 31);
                }
            uint32_t t = lk_tuple_map_insert(h->sets, img, 0, NULL);
            g_array_append_val(edge, t);
        }
        if (over_limit(h, 0, max_images, error)) {
            g_array_unref(edge);
            return false;
        }
        if (s + 1 == lk_tuple_map_size(h->sets) && !singles_added) {
            singles_added = true; /* the orbit of X is closed: add the singletons */
            if (over_limit(h, n, max_images, error)) {
                g_array_unref(edge);
                return false;
            }
            for (uint32_t q = 0; q < n; q++) {
                memset(img, 0, sizeof(uint32_t) * W);
                img[q >> 5] = 1u << (q & 31);
                lk_tuple_map_insert(h->sets, img, 0, NULL);
            }
        }
    }
    h->n_sets = lk_tuple_map_size(h->sets);
    h->edge = (uint32_t *)g_array_free(edge, FALSE);
    h->size = g_new(uint32_t, h->n_sets + 1);
    for (uint32_t s = 0; s < h->n_sets; s++) h->size[s] = popcount(set_bits(h, s), W);
    return true;
}

/* Strongly connected components of the orbit graph (Tarjan, iterative);
 * components are numbered in completion order (sinks first). */
static uint32_t tarjan(LkHolonomy *h)
{
    const uint32_t N = h->n_sets, k = h->k;
    uint32_t *index = g_new(uint32_t, N + 1), *low = g_new(uint32_t, N + 1);
    uint32_t *stack = g_new(uint32_t, N + 1), *call = g_new(uint32_t, 2 * (size_t)N + 2);
    uint8_t *on = g_new0(uint8_t, N + 1);
    memset(index, 0xff, sizeof(uint32_t) * N);
    uint32_t next = 0, sp = 0, comps = 0;
    for (uint32_t root = 0; root < N; root++) {
        if (index[root] != UINT32_MAX) continue;
        size_t cp = 0;
        call[cp++] = root, call[cp++] = 0;
        index[root] = low[root] = next++;
        stack[sp++] = root, on[root] = 1;
        while (cp) {
            uint32_t v = call[cp - 2], a = call[cp - 1];
            if (a < k) {
                call[cp - 1]++;
                uint32_t w = h->edge[(size_t)v * k + a];
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = next++;
                    stack[sp++] = w, on[w] = 1;
                    call[cp++] = w, call[cp++] = 0;
                } else if (on[w]) {
                    low[v] = MIN(low[v], index[w]);
                }
                continue;
            }
            cp -= 2;
            if (cp) low[call[cp - 2]] = MIN(low[call[cp - 2]], low[v]);
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = 0;
                    h->cls[w] = comps;
                } while (w != v);
                comps++;
            }
        }
    }
    g_free(index), g_free(low), g_free(stack), g_free(call), g_free(on);
    return comps;
}

static int cmp_u64(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Tiles of every non-singleton class representative R: the maximal sets of
 * I properly inside it. Candidates come from buckets by least point (only
 * sets whose least point lies in R can be inside it), are filtered by
 * their greatest point and then word by word, and are taken largest first
 * (then by index) so that a candidate inside an earlier tile is not one.
 * Cost: sum over representatives R of the sets whose least point is in R,
 * each O(1) to reject, O(|Q|/32) to accept. */
static void find_tiles(LkHolonomy *h, const uint32_t *by_size, const uint32_t *size_start)
{
    const uint32_t W = h->W, N = h->n_sets;
    g_autofree uint32_t *lo = g_new(uint32_t, N + 1), *hi = g_new(uint32_t, N + 1);
    for (uint32_t s = 0; s < N; s++) {
        const uint32_t *b = set_bits(h, s);
        uint32_t w = 0, v = W - 1;
        while (!b[w]) w++;
        while (!b[v]) v--;
        lo[s] = w * 32 + (uint32_t)__builtin_ctz(b[w]);
        hi[s] = v * 32 + 31 - (uint32_t)__builtin_clz(b[v]);
    }
    /* buckets by least point (counting sort) */
    g_autofree uint32_t *bstart = g_new0(uint32_t, h->n + 2), *bucket = g_new(uint32_t, N + 1);
    for (uint32_t s = 0; s < N; s++) bstart[lo[s] + 1]++;
    for (uint32_t q = 0; q < h->n; q++) bstart[q + 1] += bstart[q];
    {
        g_autofree uint32_t *fill = g_memdup2(bstart, sizeof(uint32_t) * (h->n + 1));
        for (uint32_t i = 0; i < size_start[h->n + 1]; i++)
            bucket[fill[lo[by_size[i]]]++] = by_size[i];
    }
    GArray *cand = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    g_autofree uint32_t *cover = g_new(uint32_t, W + 1); /* union of the tiles so far */
    for (uint32_t c = 0; c < h->n_classes; c++) {
        Class *C = &h->cl[c];
        C->tiles = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        if (C->single) continue;
        const uint32_t *r = set_bits(h, C->rep);
        g_array_set_size(cand, 0);
        for (uint32_t w = 0; w < W; w++)
            for (uint32_t x = r[w]; x; x &= x - 1) {
                const uint32_t q = w * 32 + (uint32_t)__builtin_ctz(x);
                for (uint32_t i = bstart[q]; i < bstart[q + 1]; i++) {
                    const uint32_t s = bucket[i];
                    if (h->size[s] >= C->size || !has(r, hi[s]) || !subset(set_bits(h, s), r, W))
                        continue;
                    uint64_t key = (uint64_t)(h->n - h->size[s]) << 32 | s;
                    g_array_append_val(cand, key);
                }
            }
        qsort(cand->data, cand->len, sizeof(uint64_t), cmp_u64);
        memset(cover, 0, sizeof(uint32_t) * W);
        for (guint i = 0; i < cand->len; i++) {
            const uint32_t s = (uint32_t)g_array_index(cand, uint64_t, i), *b = set_bits(h, s);
            /* inside a tile only if inside their union: most candidates (all
             * singletons) are decided there without the scan over the tiles */
            bool covered = subset(b, cover, W);
            if (covered && h->size[s] > 1) {
                covered = false;
                for (guint t = 0; t < C->tiles->len && !covered; t++)
                    covered = subset(b, set_bits(h, g_array_index(C->tiles, uint32_t, t)), W);
            }
            if (covered) continue;
            g_array_append_val(C->tiles, s);
            for (uint32_t w = 0; w < W; w++) cover[w] |= b[w];
        }
    }
    g_array_unref(cand);
}

/* Heights over the DAG of classes, in order of size then completion. */
static void heights(LkHolonomy *h)
{
    const uint32_t k = h->k;
    uint32_t *order = g_new(uint32_t, h->n_classes + 1);
    for (uint32_t c = 0; c < h->n_classes; c++) order[c] = c;
    /* counting sort by size, stable in component order (c is the component) */
    uint32_t *cnt = g_new0(uint32_t, h->n + 2), *tmp = g_new(uint32_t, h->n_classes + 1);
    for (uint32_t c = 0; c < h->n_classes; c++) cnt[h->cl[c].size + 1]++;
    for (uint32_t s = 1; s <= h->n + 1; s++) cnt[s] += cnt[s - 1];
    for (uint32_t c = 0; c < h->n_classes; c++) tmp[cnt[h->cl[c].size]++] = c;
    memcpy(order, tmp, sizeof(uint32_t) * h->n_classes);
    for (uint32_t i = 0; i < h->n_classes; i++) {
        Class *C = &h->cl[order[i]];
        C->height = 0;
        if (C->single) continue;
        uint32_t best = 0;
        for (guint m = 0; m < C->members->len; m++) {
            uint32_t p = g_array_index(C->members, uint32_t, m);
            for (uint32_t a = 0; a < k; a++) {
                uint32_t d = h->cls[h->edge[(size_t)p * k + a]];
                if (d != order[i]) best = MAX(best, h->cl[d].height);
            }
        }
        for (guint t = 0; t < C->tiles->len; t++)
            best = MAX(best, h->cl[h->cls[g_array_index(C->tiles, uint32_t, t)]].height);
        C->height = best + 1;
    }
    g_free(order), g_free(cnt), g_free(tmp);
}

/* Transports u_P along a breadth-first tree inside each class. */
static void transports(LkHolonomy *h)
{
    const uint32_t n = h->n, k = h->k;
    h->uoff = g_new(uint32_t, h->n_sets + 1);
    memset(h->uoff, 0xff, sizeof(uint32_t) * h->n_sets);
    h->upool = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t c = 0; c < h->n_classes; c++) {
        Class *C = &h->cl[c];
        if (C->single) continue;
        GArray *order = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        g_array_append_val(order, C->rep);
        h->uoff[C->rep] = h->upool->len;
        g_array_append_vals(h->upool, C->points, C->size);
        for (guint i = 0; i < order->len; i++) {
            uint32_t p = g_array_index(order, uint32_t, i);
            for (uint32_t a = 0; a < k; a++) {
                uint32_t q = h->edge[(size_t)p * k + a];
                if (h->cls[q] != c || h->uoff[q] != UINT32_MAX) continue;
                h->uoff[q] = h->upool->len;
                g_array_set_size(h->upool, h->upool->len + C->size);
                uint32_t *uq = &g_array_index(h->upool, uint32_t, h->uoff[q]);
                const uint32_t *up = &g_array_index(h->upool, uint32_t, h->uoff[p]);
                for (uint32_t j = 0; j < C->size; j++) uq[j] = h->gens[(size_t)a * n + up[j]];
                g_array_append_val(order, q);
            }
        }
        g_array_unref(C->members);
        C->members = order;
    }
}

static inline const uint32_t *transport(const LkHolonomy *h, uint32_t p)
{
    return &g_array_index(h->upool, uint32_t, h->uoff[p]);
}

/* The set T_t · u_P for tile t of P's class, as a set index. */
static uint32_t tile_at(const LkHolonomy *h, uint32_t t, uint32_t p, uint32_t *bits)
{
    const Class *C = &h->cl[h->cls[p]];
    const uint32_t *u = transport(h, p);
    memset(bits, 0, sizeof(uint32_t) * h->W);
    const uint32_t from = g_array_index(C->tpos, uint32_t, t),
                   to = g_array_index(C->tpos, uint32_t, t + 1);
    for (uint32_t i = from; i < to; i++) {
        uint32_t x = u[g_array_index(C->pos, uint32_t, i)];
        bits[x >> 5] |= 1u << (x & 31);
    }
    return find_set(h, bits);
}

/* The holonomy permutation of the tiles of P's class for letter a, where
 * P·a = Q is in the same class: perm[t] = tile of T_t u_P a u_Q^-1.
 * inv: n scratch entries. */
static void tile_perm(const LkHolonomy *h, uint32_t p, uint32_t a, uint32_t *perm, uint32_t *inv,
                      uint32_t *bits)
{
    const Class *C = &h->cl[h->cls[p]];
    const uint32_t q = h->edge[(size_t)p * h->k + a];
    const uint32_t *up = transport(h, p), *uq = transport(h, q);
    for (uint32_t j = 0; j < C->size; j++) inv[uq[j]] = j;
    for (guint t = 0; t < C->tiles->len; t++) {
        memset(bits, 0, sizeof(uint32_t) * h->W);
        for (uint32_t i = g_array_index(C->tpos, uint32_t, t);
             i < g_array_index(C->tpos, uint32_t, t + 1); i++) {
            uint32_t y = h->gens[(size_t)a * h->n + up[g_array_index(C->pos, uint32_t, i)]];
            uint32_t x = C->points[inv[y]];
            bits[x >> 5] |= 1u << (x & 31);
        }
        perm[t] = lk_tuple_map_get(C->tile_of, (uint32_t[]){find_set(h, bits)}, UINT32_MAX);
        g_assert(perm[t] != UINT32_MAX);
    }
}

static void class_groups(LkHolonomy *h)
{
    g_autofree uint32_t *inv = g_new(uint32_t, h->n + 1), *bits = g_new(uint32_t, h->W + 1);
    for (uint32_t d = 0; d < h->m; d++) {
        LkHolonomyLevel *L = &h->levels[d];
        for (uint32_t g = 0; g < L->n_groups; g++) {
            LkHolonomyGroup *G = &L->groups[g];
            const uint32_t c = h->cls[G->rep];
            const Class *C = &h->cl[c];
            const uint32_t T = C->tiles->len;
            g_autoptr(LkTupleMap) perms = lk_tuple_map_new(T);
            g_autofree uint32_t *perm = g_new(uint32_t, T + 1);
            for (guint m = 0; m < C->members->len; m++) {
                uint32_t p = g_array_index(C->members, uint32_t, m);
                for (uint32_t a = 0; a < h->k; a++) {
                    if (h->cls[h->edge[(size_t)p * h->k + a]] != c) continue;
                    tile_perm(h, p, a, perm, inv, bits);
                    if (!lk_perm_is_identity(perm, T)) lk_tuple_map_insert(perms, perm, 0, NULL);
                }
            }
            g_autoptr(LkPermGroup) grp =
                lk_perm_group_new(T, lk_tuple_map_size(perms), lk_tuple_map_key(perms, 0));
            mpz_t o;
            mpz_init(o);
            lk_perm_group_order(grp, o);
            G->order_str = mpz_get_str(NULL, 10, o);
            G->order = lk_perm_group_order_u64(grp);
            mpz_clear(o);
            G->name = lk_perm_group_name(grp);
            G->solvable = lk_perm_group_is_solvable(grp);
            G->degree = T;
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

LkHolonomy *lk_holonomy_new(uint32_t n, uint32_t k, const uint32_t *gens, const LkLimits *limits,
                            GError **error)
{
    g_return_val_if_fail(n >= 1, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    LkHolonomy *h = g_new0(LkHolonomy, 1);
    h->n = n, h->k = k, h->W = (n + 31) / 32;
    h->gens = g_memdup2(gens, sizeof(uint32_t) * ((size_t)n * k + 1));
    h->sets = lk_tuple_map_new(h->W);
    if (!orbit(h, lim.max_images, error)) {
        lk_holonomy_free(h);
        return NULL;
    }
    const uint32_t N = h->n_sets;
    h->cls = g_new(uint32_t, N + 1);
    h->n_classes = tarjan(h);
    h->cl = g_new0(Class, h->n_classes + 1);
    for (uint32_t c = 0; c < h->n_classes; c++) {
        h->cl[c].rep = UINT32_MAX;
        h->cl[c].members = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        h->cl[c].comp = c;
    }
    for (uint32_t s = 0; s < N; s++) { /* representative: the first set found */
        Class *C = &h->cl[h->cls[s]];
        if (C->rep == UINT32_MAX) C->rep = s, C->size = h->size[s], C->single = h->size[s] == 1;
        g_array_append_val(C->members, s);
    }
    /* sets by size for the tile search */
    g_autofree uint32_t *start = g_new0(uint32_t, n + 3), *by_size = g_new(uint32_t, N + 1);
    for (uint32_t s = 0; s < N; s++) start[h->size[s] + 1]++;
    for (uint32_t z = 1; z <= n + 1; z++) start[z] += start[z - 1];
    {
        g_autofree uint32_t *fill = g_memdup2(start, sizeof(uint32_t) * (n + 3));
        for (uint32_t s = 0; s < N; s++) by_size[fill[h->size[s]]++] = s;
    }
    find_tiles(h, by_size, start);
    heights(h);
    for (uint32_t c = 0; c < h->n_classes; c++) { /* points, tile positions, tile lookup */
        Class *C = &h->cl[c];
        C->points = g_new(uint32_t, C->size + 1);
        const uint32_t *b = set_bits(h, C->rep);
        uint32_t j = 0;
        for (uint32_t w = 0; w < h->W; w++)
            for (uint32_t x = b[w]; x; x &= x - 1)
                C->points[j++] = w * 32 + (uint32_t)__builtin_ctz(x);
        C->tpos = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        C->pos = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        C->tile_of = lk_tuple_map_new(1);
        for (guint t = 0; t < C->tiles->len; t++) {
            uint32_t s = g_array_index(C->tiles, uint32_t, t);
            g_array_append_val(C->tpos, C->pos->len);
            for (uint32_t i = 0; i < C->size; i++)
                if (has(set_bits(h, s), C->points[i])) g_array_append_val(C->pos, i);
            lk_tuple_map_insert(C->tile_of, &s, t, NULL);
        }
        g_array_append_val(C->tpos, C->pos->len);
    }
    transports(h);
    const Class *top = &h->cl[h->cls[0]];
    h->m = top->single ? 0 : top->height;
    for (uint32_t c = 0; c < h->n_classes; c++)
        h->cl[c].depth = h->cl[c].single ? h->m + 1 : h->m - h->cl[c].height + 1;
    h->levels = g_new0(LkHolonomyLevel, h->m + 1);
    g_autofree uint32_t *reps = g_new(uint32_t, h->n_classes + 1);
    for (uint32_t d = 1; d <= h->m; d++) { /* classes of depth d, by representative */
        uint32_t nr = 0;
        for (uint32_t c = 0; c < h->n_classes; c++)
            if (!h->cl[c].single && h->cl[c].depth == d) reps[nr++] = h->cl[c].rep;
        qsort(reps, nr, sizeof(uint32_t), cmp_u32);
        LkHolonomyLevel *L = &h->levels[d - 1];
        L->n_groups = nr;
        L->groups = g_new0(LkHolonomyGroup, nr + 1);
        for (uint32_t i = 0; i < nr; i++) {
            Class *C = &h->cl[h->cls[reps[i]]];
            L->points += C->tiles->len;
            L->width = MAX(L->width, C->tiles->len);
            L->groups[i].rep = C->rep;
            L->groups[i].size = C->size;
            L->groups[i].members = C->members->len;
        }
    }
    class_groups(h);
    return h;
}

LkHolonomy *lk_holonomy_new_from_dfa(const LkDfa *d, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    g_autofree uint32_t *gens = g_new(uint32_t, (size_t)d->n * d->k + 1);
    for (uint32_t a = 0; a < d->k; a++)
        for (uint32_t q = 0; q < d->n; q++)
            gens[(size_t)a * d->n + q] = d->delta[(size_t)q * d->k + a];
    return lk_holonomy_new(d->n, d->k, gens, limits, error);
}

void lk_holonomy_free(LkHolonomy *h)
{
    if (!h) return;
    for (uint32_t c = 0; c < h->n_classes; c++) {
        Class *C = &h->cl[c];
        if (C->members) g_array_unref(C->members);
        if (C->tiles) g_array_unref(C->tiles);
        if (C->tpos) g_array_unref(C->tpos);
        if (C->pos) g_array_unref(C->pos);
        g_free(C->points);
        lk_tuple_map_free(C->tile_of);
    }
    for (uint32_t d = 0; d < h->m && h->levels; d++) {
        for (uint32_t g = 0; g < h->levels[d].n_groups; g++) {
            free(h->levels[d].groups[g].order_str);
            g_free(h->levels[d].groups[g].name);
        }
        g_free(h->levels[d].groups);
    }
    g_free(h->levels);
    g_free(h->cl);
    g_free(h->cls);
    g_free(h->uoff);
    if (h->upool) g_array_unref(h->upool);
    g_free(h->size);
    g_free(h->edge);
    lk_tuple_map_free(h->sets);
    g_free(h->gens);
    g_free(h);
}

uint32_t lk_holonomy_n_levels(const LkHolonomy *h)
{
    g_return_val_if_fail(h != NULL, 0);
    return h->m;
}
const LkHolonomyLevel *lk_holonomy_level(const LkHolonomy *h, uint32_t i)
{
    g_return_val_if_fail(h != NULL, NULL);
    return &h->levels[i];
}
uint32_t lk_holonomy_n_images(const LkHolonomy *h)
{
    g_return_val_if_fail(h != NULL, 0);
    return h->n_sets;
}
uint32_t lk_holonomy_n_classes(const LkHolonomy *h)
{
    g_return_val_if_fail(h != NULL, 0);
    return h->n_classes;
}
uint32_t lk_holonomy_depth(const LkHolonomy *h)
{
    g_return_val_if_fail(h != NULL, 0);
    return h->m + 1;
}

void lk_holonomy_image(const LkHolonomy *h, uint32_t i, GArray *out)
{
    g_return_if_fail(h != NULL);
    const uint32_t *b = set_bits(h, i);
    for (uint32_t q = 0; q < h->n; q++)
        if (has(b, q)) g_array_append_val(out, q);
}

/* ---- the cascade ---- */

typedef struct {
    const LkHolonomy *h;
    LkCascade *c;
    uint32_t *bits, *inv, *perm, *y;
    LkTupleMap *tile_sets; /* (tile, set) -> tile_at: each chain step is asked many times */
} Builder;

static uint32_t tile_at_cached(Builder *b, uint32_t t, uint32_t p)
{
    const uint32_t key[2] = {t, p};
    uint32_t e = lk_tuple_map_find(b->tile_sets, key);
    if (e != UINT32_MAX) return lk_tuple_map_value(b->tile_sets, e);
    uint32_t s = tile_at(b->h, t, p, b->bits);
    lk_tuple_map_insert(b->tile_sets, key, s, NULL);
    return s;
}

/* The set Y·u_Q^-1 (Y ⊆ Q) in the representative's frame, into b->y. */
static void pull_back(Builder *b, uint32_t ys, uint32_t q)
{
    const LkHolonomy *h = b->h;
    const Class *C = &h->cl[h->cls[q]];
    const uint32_t *uq = transport(h, q), *yb = set_bits(h, ys);
    for (uint32_t j = 0; j < C->size; j++) b->inv[uq[j]] = j;
    memset(b->y, 0, sizeof(uint32_t) * h->W);
    for (uint32_t w = 0; w < h->W; w++)
        for (uint32_t x = yb[w]; x; x &= x - 1) {
            uint32_t p = C->points[b->inv[w * 32 + (uint32_t)__builtin_ctz(x)]];
            b->y[p >> 5] |= 1u << (p & 31);
        }
}

/* The first tile of Q's class containing Y (a subset of Q) pulled back. */
static uint32_t first_tile(Builder *b, uint32_t ys, uint32_t q)
{
    const LkHolonomy *h = b->h;
    const Class *C = &h->cl[h->cls[q]];
    pull_back(b, ys, q);
    for (guint t = 0; t < C->tiles->len; t++)
        if (subset(b->y, set_bits(h, g_array_index(C->tiles, uint32_t, t)), h->W)) return t;
    g_assert_not_reached();
    return 0;
}

/* One letter from cascade state st: next state into nx, every level's map
 * written into its row when the row is new for this letter; returns the
 * point of the new chain's singleton. */
static uint32_t transition(Builder *b, const uint32_t *st, uint32_t a, uint32_t *nx,
                           uint8_t **filled)
{
    const LkHolonomy *h = b->h;
    LkCascade *c = b->c;
    uint32_t P = 0, Q = 0;
    for (uint32_t d = 1; d <= h->m; d++) {
        const uint32_t L = d - 1, npts = h->levels[L].width;
        const Class *CP = &h->cl[h->cls[P]];
        uint32_t Pn = P; /* the old chain's next set */
        if (CP->depth == d) {
            g_assert(st[L] < CP->tiles->len);
            Pn = tile_at_cached(b, st[L], P);
        }
        bool added;
        uint32_t row = lk_cascade_add_row(c, L, st, &added);
        if (added) {
            const size_t need = (size_t)lk_tuple_map_size(c->level[L].contexts) * c->k;
            filled[L] = g_realloc(filled[L], need + 1);
            memset(filled[L] + need - c->k, 0, c->k);
        }
        uint32_t *map = lk_cascade_maps(c, L, row) + (size_t)a * npts;
        const Class *CQ = &h->cl[h->cls[Q]];
        const size_t slot = (size_t)row * c->k + a;
        if (CQ->depth > d) { /* skipped: reset to 0 */
            if (!filled[L][slot])
                for (uint32_t x = 0; x < npts; x++) map[x] = 0;
            nx[L] = 0;
            filled[L][slot] = 1;
            P = Pn;
            continue;
        }
        if (CP->depth == d && h->edge[(size_t)P * h->k + a] == Q) { /* holonomy permutation */
            if (!filled[L][slot]) {
                tile_perm(h, P, a, b->perm, b->inv, b->bits);
                for (uint32_t x = 0; x < npts; x++) map[x] = x;
                for (guint t = 0; t < CP->tiles->len; t++) map[t] = b->perm[t];
            }
        } else if (!filled[L][slot]) { /* reset to the first tile of Q holding P·a */
            uint32_t t = first_tile(b, h->edge[(size_t)P * h->k + a], Q);
            for (uint32_t x = 0; x < npts; x++) map[x] = t;
        }
        filled[L][slot] = 1;
        nx[L] = map[st[L]];
        Q = tile_at_cached(b, nx[L], Q);
        P = Pn;
    }
    g_assert(h->size[Q] == 1);
    const uint32_t *qb = set_bits(h, Q);
    for (uint32_t w = 0;; w++)
        if (qb[w]) return w * 32 + (uint32_t)__builtin_ctz(qb[w]);
}

LkCascade *lk_holonomy_cascade(const LkHolonomy *h, LkAlphabet *alphabet, uint32_t start,
                               const uint8_t *accept, const LkLimits *limits, GError **error)
{
    const uint32_t m = h->m, k = h->k;
    g_return_val_if_fail(lk_alphabet_size(alphabet) == k && start < h->n, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_states = lim.max_states;
    g_autofree uint32_t *states = g_new(uint32_t, m + 1), *starts = g_new(uint32_t, m + 1);
    g_autofree uint32_t *bits = g_new(uint32_t, h->W + 1), *y = g_new(uint32_t, h->W + 1);
    uint32_t maxt = 1;
    for (uint32_t c = 0; c < h->n_classes; c++) maxt = MAX(maxt, h->cl[c].tiles->len);
    g_autofree uint32_t *inv = g_new(uint32_t, h->n + 1), *perm = g_new(uint32_t, maxt + 1);
    /* the start's coordinates: at each depth, the first tile holding it */
    uint32_t P = 0;
    for (uint32_t d = 1; d <= m; d++) {
        states[d - 1] = h->levels[d - 1].width;
        const Class *C = &h->cl[h->cls[P]];
        starts[d - 1] = 0;
        if (C->depth != d) continue;
        const uint32_t *u = transport(h, P);
        uint32_t i = 0;
        while (u[i] != start) i++;
        uint32_t t = 0;
        while (!has(set_bits(h, g_array_index(C->tiles, uint32_t, t)), C->points[i])) t++;
        starts[d - 1] = t;
        P = tile_at(h, t, P, bits);
    }
    g_assert(h->size[P] == 1 && has(set_bits(h, P), start));
    LkCascade *c = lk_cascade_new(alphabet, m, states, starts);
    lk_cascade_set_outputs(c, h->n, accept);
    g_autoptr(LkTupleMap) tile_sets = lk_tuple_map_new(2);
    Builder b = {h, c, bits, inv, perm, y, tile_sets};
    uint8_t **filled = g_new0(uint8_t *, m + 1);
    g_autoptr(LkTupleMap) ids = lk_tuple_map_new(m);
    g_autofree uint32_t *st = g_new(uint32_t, m + 1), *nx = g_new(uint32_t, m + 1);
    lk_tuple_map_insert(ids, starts, start, NULL);
    lk_cascade_set_output(c, starts, start);
    bool ok = true;
    for (uint32_t head = 0; ok && head < lk_tuple_map_size(ids); head++) {
        if (m) memcpy(st, lk_tuple_map_key(ids, head), sizeof(uint32_t) * m);
        for (uint32_t a = 0; a < k; a++) {
            uint32_t p = transition(&b, st, a, nx, filled);
            bool added;
            lk_tuple_map_insert(ids, nx, p, &added);
            if (added) lk_cascade_set_output(c, nx, p);
            if (lk_tuple_map_size(ids) > max_states) {
                g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                            "holonomy: more than %" G_GUINT64_FORMAT
                            " reachable cascade states (raise --max-states)",
                            max_states);
                ok = false;
                break;
            }
        }
    }
    for (uint32_t d = 0; d < m; d++) g_free(filled[d]);
    g_free(filled);
    if (!ok) g_clear_pointer(&c, lk_cascade_free);
    return c;
}

char *lk_holonomy_dot(const LkHolonomy *h)
{
    g_return_val_if_fail(h != NULL, NULL);
    GString *s = g_string_new("digraph skeleton {\n  rankdir=TB;\n  node [shape=box];\n");
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t c = 0; c < h->n_classes; c++) {
        const Class *C = &h->cl[c];
        g_array_set_size(pts, 0);
        lk_holonomy_image(h, C->rep, pts);
        GString *label = g_string_new("{");
        for (guint i = 0; i < pts->len; i++)
            g_string_append_printf(label, "%s%u", i ? "," : "", g_array_index(pts, uint32_t, i));
        g_string_append_c(label, '}');
        const char *grp = NULL;
        if (!C->single)
            for (uint32_t g = 0; g < h->levels[C->depth - 1].n_groups; g++)
                if (h->levels[C->depth - 1].groups[g].rep == C->rep)
                    grp = h->levels[C->depth - 1].groups[g].name;
        g_string_append_printf(s, "  c%u [label=\"%s\\ndepth %u%s%s\"];\n", c, label->str, C->depth,
                               grp ? ", " : "", grp ? grp : "");
        g_string_free(label, TRUE);
    }
    g_autoptr(LkTupleMap) seen = lk_tuple_map_new(2);
    for (uint32_t c = 0; c < h->n_classes; c++) {
        const Class *C = &h->cl[c];
        for (guint m = 0; m < C->members->len; m++) { /* orbit edges between classes */
            uint32_t p = g_array_index(C->members, uint32_t, m);
            for (uint32_t a = 0; a < h->k; a++) {
                uint32_t e[2] = {c, h->cls[h->edge[(size_t)p * h->k + a]]};
                bool added;
                if (e[1] == c) continue;
                lk_tuple_map_insert(seen, e, 0, &added);
                if (added) g_string_append_printf(s, "  c%u -> c%u;\n", e[0], e[1]);
            }
        }
        for (guint t = 0; t < C->tiles->len; t++) { /* tiles */
            uint32_t e[2] = {c, h->cls[g_array_index(C->tiles, uint32_t, t)]};
            bool added;
            lk_tuple_map_insert(seen, e, 0, &added);
            if (added) g_string_append_printf(s, "  c%u -> c%u [style=dashed];\n", e[0], e[1]);
        }
    }
    g_array_unref(pts);
    g_string_append(s, "}\n");
    return g_string_free(s, FALSE);
}
