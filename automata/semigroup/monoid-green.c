/* Green's relations, maximal subgroups and the LRNN classification.
 *
 * R-classes are the strongly connected components of the right Cayley graph,
 * L-classes those of the left one, D = J those of their union (Tarjan's
 * algorithm, iterative, O(|M| k)). Every R- and L-class of a D-class meet in
 * one H-class, so #H = sum over D of #R(D) #L(D). A D-class is regular when it
 * holds an idempotent e; its maximal subgroup is the H-class of e, which acts
 * faithfully by permutations on the image of e; on that permutation group
 * (perm-group.h) we find a small generating set greedily, test commutativity
 * on it, and follow the derived series to decide solvability.
 * Eigenvalue classes follow THEORY.md §5 from the periods of the elements:
 * by Cauchy's theorem a prime p divides the order of some subgroup exactly
 * when some element has a period divisible by p.
 */
#include "automata/semigroup/monoid-private.h"
#include "automata/semigroup/perm-group.h"
#include "automata/semigroup/transf.h"
#include "automata/vec-private.h"

#include <string.h>

typedef enum { EDGES_RIGHT, EDGES_LEFT, EDGES_BOTH } Edges;

static inline uint32_t edge(const LkMonoid *m, Edges which, uint32_t x, uint32_t i)
{
    const uint32_t k = lk_monoid_ngens(m);
    if (which == EDGES_RIGHT) return lk_monoid_right(m, x, i);
    if (which == EDGES_LEFT) return lk_monoid_left(m, x, i);
    return i < k ? lk_monoid_right(m, x, i) : lk_monoid_left(m, x, i - k);
}

/* Tarjan's strongly connected components; comp[x] in 0..count-1. */
static uint32_t tarjan(const LkMonoid *m, Edges which, uint32_t *comp)
{
    const uint32_t n = lk_monoid_size(m), k = lk_monoid_ngens(m);
    const uint32_t deg = which == EDGES_BOTH ? 2 * k : k;
    uint32_t *index = g_new(uint32_t, n + 1), *low = g_new(uint32_t, n + 1);
    uint32_t *stack = g_new(uint32_t, n + 1), *call = g_new(uint32_t, n + 1);
    uint32_t *next_edge = g_new(uint32_t, n + 1);
    memset(index, 0xff, sizeof(uint32_t) * n);
    uint32_t counter = 0, sp = 0, count = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UINT32_MAX) continue;
        uint32_t cp = 0;
        call[cp++] = root;
        index[root] = low[root] = counter++;
        next_edge[root] = 0;
        stack[sp++] = root;
        comp[root] = UINT32_MAX;
        while (cp) {
            uint32_t v = call[cp - 1];
            if (next_edge[v] < deg) {
                uint32_t w = edge(m, which, v, next_edge[v]++);
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = counter++;
                    next_edge[w] = 0;
                    stack[sp++] = w;
                    comp[w] = UINT32_MAX;
                    call[cp++] = w;
                } else if (comp[w] == UINT32_MAX && index[w] < low[v]) {
                    low[v] = index[w]; /* w is on the stack */
                }
                continue;
            }
            cp--;
            if (cp && low[v] < low[call[cp - 1]]) low[call[cp - 1]] = low[v];
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    comp[w] = count;
                } while (w != v);
                count++;
            }
        }
    }
    g_free(index);
    g_free(low);
    g_free(stack);
    g_free(call);
    g_free(next_edge);
    return count;
}

/* ---- permutation groups on r points, elements as byte strings of r uint16 ---- */

/* Properties of the group of the H-class `members` of idempotent e, as the
 * permutation group it induces on the image of e: generators chosen
 * greedily (a member joins when it is not in the group of those before),
 * then commutativity and the derived series in LkPermGroup. */
static void analyze_group(const LkMonoid *m, uint32_t e, GArray *members, LkMonoidGroup *g)
{
    const uint32_t n = lk_monoid_degree(m);
    uint32_t *local = g_new(uint32_t, n + 1), *pts = g_new(uint32_t, n + 1), r = 0;
    memset(local, 0xff, sizeof(uint32_t) * n);
    for (uint32_t q = 0; q < n; q++) {
        uint32_t v = lk_monoid_image(m, e, q);
        if (local[v] == UINT32_MAX) local[v] = r, pts[r++] = v;
    }
    GArray *gens = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t *p = g_new(uint32_t, r + 1);
    uint64_t exponent = 1;
    g->cyclic = false;
    LkPermGroup *grp = lk_perm_group_new(r, 0, NULL);
    for (guint i = 0; i < members->len; i++) {
        uint32_t h = g_array_index(members, uint32_t, i);
        for (uint32_t j = 0; j < r; j++) p[j] = local[lk_monoid_image(m, h, pts[j])];
        uint64_t o = lk_perm_order(p, r);
        exponent = lk_lcm_sat(exponent, o);
        if (o == members->len) g->cyclic = true;
        if (lk_perm_group_contains(grp, p)) continue;
        g_array_append_vals(gens, p, r);
        lk_perm_group_free(grp);
        grp = lk_perm_group_new(r, gens->len / r, (uint32_t *)gens->data);
    }
    g->order = members->len;
    g->degree = r;
    g->exponent = (uint32_t)MIN(exponent, UINT32_MAX);
    g->example = e;
    g->abelian = lk_perm_group_is_abelian(grp);
    g->solvable = lk_perm_group_is_solvable(grp);
    lk_perm_group_free(grp);
    g_array_unref(gens);
    g_free(p);
    g_free(local);
    g_free(pts);
}

const char *lk_eigen_class_name(LkEigenClass c)
{
    switch (c) {
    case LK_EIGEN_NONNEGATIVE:
        return "nonnegative";
    case LK_EIGEN_NEGATIVE:
        return "negative";
    case LK_EIGEN_COMPLEX:
        return "complex";
    }
    return "?";
}

static int cmp_group(gconstpointer a, gconstpointer b)
{
    const LkMonoidGroup *x = a, *y = b;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return (int)x->example - (int)y->example;
}

static bool same_type(const LkMonoidGroup *a, const LkMonoidGroup *b)
{
    return a->order == b->order && a->cyclic == b->cyclic && a->abelian == b->abelian &&
           a->solvable == b->solvable && a->exponent == b->exponent;
}

LkMonoidAnalysis *lk_monoid_analyze(const LkMonoid *m, bool keep_classes)
{
    const uint32_t n = lk_monoid_size(m), k = lk_monoid_ngens(m), deg = lk_monoid_degree(m);
    LkMonoidAnalysis *a = g_new0(LkMonoidAnalysis, 1);
    a->size = n;
    uint32_t *r = g_new(uint32_t, n + 1), *l = g_new(uint32_t, n + 1), *d = g_new(uint32_t, n + 1);
    a->r_classes = tarjan(m, EDGES_RIGHT, r);
    a->l_classes = tarjan(m, EDGES_LEFT, l);
    a->d_classes = tarjan(m, EDGES_BOTH, d);
    /* #R and #L per D-class, then #H */
    uint32_t *r_in_d = g_new0(uint32_t, a->d_classes + 1),
             *l_in_d = g_new0(uint32_t, a->d_classes + 1);
    uint8_t *seen_r = g_new0(uint8_t, a->r_classes + 1),
            *seen_l = g_new0(uint8_t, a->l_classes + 1);
    uint32_t *idem_of_d = g_new(uint32_t, a->d_classes + 1);
    memset(idem_of_d, 0xff, sizeof(uint32_t) * a->d_classes);
    uint64_t max_pow2 = 0;
    bool have_odd = false;
    GArray *periods = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GHashTable *pset = g_hash_table_new(g_direct_hash, g_direct_equal);
    a->witness = UINT32_MAX;
    for (uint32_t x = 0; x < n; x++) {
        if (!seen_r[r[x]]) seen_r[r[x]] = 1, r_in_d[d[x]]++;
        if (!seen_l[l[x]]) seen_l[l[x]] = 1, l_in_d[d[x]]++;
        if (lk_monoid_is_idempotent(m, x)) {
            a->idempotents++;
            if (idem_of_d[d[x]] == UINT32_MAX) idem_of_d[d[x]] = x;
        }
        uint32_t idx, per;
        lk_monoid_index_period(m, x, &idx, &per);
        if (!g_hash_table_contains(pset, GUINT_TO_POINTER(per))) {
            g_hash_table_add(pset, GUINT_TO_POINTER(per));
            g_array_append_val(periods, per);
        }
        uint32_t odd = per;
        while (odd % 2 == 0) odd /= 2;
        if (odd > 1 && !have_odd) {
            have_odd = true;
            a->witness = x;
            a->witness_period = per;
        } else if (!have_odd && per > 1 && per > max_pow2) {
            max_pow2 = per;
            a->witness = x;
            a->witness_period = per;
        }
    }
    g_hash_table_unref(pset);
    lk_sort_u32((uint32_t *)(void *)periods->data, periods->len);
    a->periods = periods;
    for (uint32_t i = 0; i < a->d_classes; i++) {
        a->h_classes += r_in_d[i] * l_in_d[i];
        a->regular_d_classes += idem_of_d[i] != UINT32_MAX;
    }
    /* maximal subgroups: the H-class of the chosen idempotent of each regular D */
    GPtrArray *members = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    for (uint32_t i = 0; i < a->d_classes; i++)
        g_ptr_array_add(members, g_array_new(FALSE, FALSE, sizeof(uint32_t)));
    for (uint32_t x = 0; x < n; x++) {
        uint32_t e = idem_of_d[d[x]];
        if (e != UINT32_MAX && r[x] == r[e] && l[x] == l[e])
            g_array_append_val(members->pdata[d[x]], x);
    }
    a->groups = g_array_new(FALSE, FALSE, sizeof(LkMonoidGroup));
    GArray *all_groups = g_array_new(FALSE, FALSE, sizeof(LkMonoidGroup));
    a->groups_solvable = true;
    bool all_trivial = true;
    for (uint32_t i = 0; i < a->d_classes; i++) {
        if (idem_of_d[i] == UINT32_MAX) continue;
        LkMonoidGroup g = {0};
        GArray *mem = members->pdata[i];
        if (mem->len == 1) { /* trivial group: no work */
            g = (LkMonoidGroup){1, 0, true, true, true, 1, 1, idem_of_d[i]};
        } else {
            analyze_group(m, idem_of_d[i], mem, &g);
            all_trivial = false;
        }
        a->groups_solvable = a->groups_solvable && g.solvable;
        g.count = 1;
        g_array_append_val(all_groups, g);
    }
    g_array_sort(all_groups, cmp_group);
    for (guint i = 0; i < all_groups->len; i++) {
        LkMonoidGroup *g = &g_array_index(all_groups, LkMonoidGroup, i);
        bool merged = false;
        for (guint j = 0; j < a->groups->len && !merged; j++) {
            LkMonoidGroup *h = &g_array_index(a->groups, LkMonoidGroup, j);
            if (same_type(g, h)) h->count++, merged = true;
        }
        if (!merged) g_array_append_val(a->groups, *g);
    }
    g_array_unref(all_groups);
    g_ptr_array_unref(members);
    a->is_aperiodic = all_trivial;
    a->eigenvalues = have_odd       ? LK_EIGEN_COMPLEX
                     : max_pow2 > 1 ? LK_EIGEN_NEGATIVE
                                    : LK_EIGEN_NONNEGATIVE;
    g_assert((a->eigenvalues == LK_EIGEN_NONNEGATIVE) == a->is_aperiodic);
    /* a monoid is a group when every generator permutes the points */
    a->is_group = true;
    a->max_reflections = 0;
    uint32_t *img = g_new(uint32_t, deg + 1);
    uint8_t *seen = g_new0(uint8_t, deg + 1);
    for (uint32_t g = 0; g < k && a->is_group; g++) {
        uint32_t x = lk_monoid_right(m, 0, g);
        for (uint32_t q = 0; q < deg; q++) img[q] = lk_monoid_image(m, x, q);
        a->is_group = lk_transf_kind(img, 1, deg, seen) == LK_MAP_PERMUTATION;
        if (a->is_group)
            a->max_reflections =
                MAX(a->max_reflections, (int64_t)(deg - lk_perm_cycles(img, 1, deg, seen)));
    }
    g_free(img);
    g_free(seen);
    if (!a->is_group) a->max_reflections = -1;
    if (keep_classes) {
        a->d_class = d;
        a->r_class = r;
        a->l_class = l;
    } else {
        g_free(d);
        g_free(r);
        g_free(l);
    }
    g_free(r_in_d);
    g_free(l_in_d);
    g_free(seen_r);
    g_free(seen_l);
    g_free(idem_of_d);
    return a;
}

void lk_monoid_analysis_free(LkMonoidAnalysis *a)
{
    if (!a) return;
    g_array_unref(a->periods);
    g_array_unref(a->groups);
    g_free(a->d_class);
    g_free(a->r_class);
    g_free(a->l_class);
    g_free(a);
}
