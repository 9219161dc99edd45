/* Green's relations, maximal subgroups and the LRNN classification.
 *
 * R-classes are the strongly connected components of the right Cayley graph,
 * L-classes those of the left one, D = J those of their union (Tarjan's
 * algorithm, iterative, O(|M| k)). Every R- and L-class of a D-class meet in
 * one H-class, so #H = sum over D of #R(D) #L(D). A D-class is regular when it
 * holds an idempotent e; its maximal subgroup is the H-class of e, which acts
 * faithfully by permutations on the image of e; on that permutation group we
 * find a small generating set greedily, test commutativity on it, and follow
 * the derived series (normal closures of commutators) to decide solvability.
 * Eigenvalue classes follow THEORY.md §5 from the periods of the elements:
 * by Cauchy's theorem a prime p divides the order of some subgroup exactly
 * when some element has a period divisible by p.
 */
#include "automata/semigroup/monoid-private.h"
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

typedef struct {
    uint32_t r;
    GHashTable *set; /* key: r uint16 (owned) */
    GPtrArray *elems;
} PermSet;

static guint perm_hash(gconstpointer p)
{
    const uint16_t *a = p;
    guint h = 2166136261u;
    for (uint32_t i = 1; i <= a[0]; i++) h = (h ^ a[i]) * 16777619u;
    return h;
}

static gboolean perm_eq(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(uint16_t) * (((const uint16_t *)a)[0] + 1u)) == 0;
}

/* Perms carry their length in slot 0: p[1..r]. */
static uint16_t *perm_new(uint32_t r)
{
    uint16_t *p = g_new(uint16_t, r + 1);
    p[0] = (uint16_t)r;
    return p;
}

static uint16_t *perm_mul(const uint16_t *a, const uint16_t *b) /* apply a, then b */
{
    uint16_t *c = perm_new(a[0]);
    for (uint32_t i = 1; i <= a[0]; i++) c[i] = b[a[i] + 1];
    return c;
}

static uint16_t *perm_inv(const uint16_t *a)
{
    uint16_t *c = perm_new(a[0]);
    for (uint32_t i = 1; i <= a[0]; i++) c[a[i] + 1] = (uint16_t)(i - 1);
    return c;
}

static bool perm_is_id(const uint16_t *a)
{
    for (uint32_t i = 1; i <= a[0]; i++)
        if (a[i] != i - 1) return false;
    return true;
}

static void permset_init(PermSet *s, uint32_t r)
{
    s->r = r;
    s->set = g_hash_table_new_full(perm_hash, perm_eq, g_free, NULL);
    s->elems = g_ptr_array_new();
}

static void permset_clear(PermSet *s)
{
    g_ptr_array_unref(s->elems);
    g_hash_table_unref(s->set);
}

static bool permset_add(PermSet *s, uint16_t *p) /* takes p */
{
    if (g_hash_table_contains(s->set, p)) {
        g_free(p);
        return false;
    }
    g_hash_table_add(s->set, p);
    g_ptr_array_add(s->elems, p);
    return true;
}

/* The subgroup generated by gens (breadth-first closure). */
static void closure(PermSet *s, uint32_t r, GPtrArray *gens)
{
    permset_init(s, r);
    uint16_t *id = perm_new(r);
    for (uint32_t i = 0; i < r; i++) id[i + 1] = (uint16_t)i;
    permset_add(s, id);
    for (guint i = 0; i < s->elems->len; i++)
        for (guint g = 0; g < gens->len; g++)
            permset_add(s, perm_mul(s->elems->pdata[i], gens->pdata[g]));
}

/* Greedy generating set of the group whose elements are `all`. */
static GPtrArray *generators(GPtrArray *all, uint32_t r)
{
    GPtrArray *gens = g_ptr_array_new_with_free_func(g_free);
    PermSet sub;
    closure(&sub, r, gens);
    for (guint i = 0; i < all->len; i++) {
        if (g_hash_table_contains(sub.set, all->pdata[i])) continue;
        g_ptr_array_add(gens, g_memdup2(all->pdata[i], sizeof(uint16_t) * (r + 1)));
        permset_clear(&sub);
        closure(&sub, r, gens);
    }
    permset_clear(&sub);
    return gens;
}

/* Derived subgroup: normal closure of the commutators of gens; returns its
 * generators and sets *order. */
static GPtrArray *derived(GPtrArray *gens, uint32_t r, uint32_t *order)
{
    GPtrArray *ng = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < gens->len; i++)
        for (guint j = 0; j < gens->len; j++) {
            uint16_t *ai = perm_inv(gens->pdata[i]), *bi = perm_inv(gens->pdata[j]);
            uint16_t *t1 = perm_mul(ai, bi), *t2 = perm_mul(t1, gens->pdata[i]);
            uint16_t *c = perm_mul(t2, gens->pdata[j]);
            g_free(ai), g_free(bi), g_free(t1), g_free(t2);
            if (perm_is_id(c))
                g_free(c);
            else
                g_ptr_array_add(ng, c);
        }
    PermSet n;
    closure(&n, r, ng);
    for (bool changed = true; changed;) {
        changed = false;
        for (guint g = 0; g < gens->len && !changed; g++)
            for (guint x = 0; x < ng->len && !changed; x++) {
                uint16_t *gi = perm_inv(gens->pdata[g]), *t = perm_mul(gi, ng->pdata[x]);
                uint16_t *conj = perm_mul(t, gens->pdata[g]);
                g_free(gi), g_free(t);
                if (g_hash_table_contains(n.set, conj)) {
                    g_free(conj);
                } else {
                    g_ptr_array_add(ng, conj);
                    permset_clear(&n);
                    closure(&n, r, ng);
                    changed = true;
                }
            }
    }
    *order = n.elems->len;
    permset_clear(&n);
    return ng;
}

static uint32_t perm_order(const uint16_t *p)
{
    uint32_t r = p[0];
    uint8_t *seen = g_new0(uint8_t, r + 1);
    uint64_t l = 1;
    for (uint32_t i = 0; i < r; i++) {
        if (seen[i]) continue;
        uint32_t c = 0;
        for (uint32_t j = i; !seen[j]; j = p[j + 1]) seen[j] = 1, c++;
        l = lk_lcm_sat(l, c);
    }
    g_free(seen);
    return (uint32_t)MIN(l, UINT32_MAX);
}

/* Properties of the group of the H-class `members` of idempotent e. */
static void analyze_group(const LkMonoid *m, uint32_t e, GArray *members, LkMonoidGroup *g)
{
    const uint32_t n = lk_monoid_degree(m);
    uint32_t *local = g_new(uint32_t, n + 1), *pts = g_new(uint32_t, n + 1), r = 0;
    memset(local, 0xff, sizeof(uint32_t) * n);
    for (uint32_t q = 0; q < n; q++) {
        uint32_t v = lk_monoid_image(m, e, q);
        if (local[v] == UINT32_MAX) local[v] = r, pts[r++] = v;
    }
    GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
    uint64_t exponent = 1;
    g->cyclic = false;
    for (guint i = 0; i < members->len; i++) {
        uint32_t h = g_array_index(members, uint32_t, i);
        uint16_t *p = perm_new(r);
        for (uint32_t j = 0; j < r; j++) p[j + 1] = (uint16_t)local[lk_monoid_image(m, h, pts[j])];
        uint32_t o = perm_order(p);
        exponent = lk_lcm_sat(exponent, o);
        if (o == members->len) g->cyclic = true;
        g_ptr_array_add(all, p);
    }
    g->order = members->len;
    g->degree = r;
    g->exponent = (uint32_t)MIN(exponent, UINT32_MAX);
    g->example = e;
    GPtrArray *gens = generators(all, r);
    g->abelian = true;
    for (guint i = 0; i < gens->len && g->abelian; i++)
        for (guint j = i + 1; j < gens->len && g->abelian; j++) {
            uint16_t *ab = perm_mul(gens->pdata[i], gens->pdata[j]);
            uint16_t *ba = perm_mul(gens->pdata[j], gens->pdata[i]);
            g->abelian = perm_eq(ab, ba);
            g_free(ab), g_free(ba);
        }
    g->solvable = true;
    uint32_t order = g->order;
    while (order > 1 && !g->abelian) {
        uint32_t next;
        GPtrArray *d = derived(gens, r, &next);
        g_ptr_array_unref(gens);
        gens = d;
        if (next == order) {
            g->solvable = false;
            break;
        }
        order = next;
    }
    g_ptr_array_unref(gens);
    g_ptr_array_unref(all);
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
    for (uint32_t g = 0; g < k && a->is_group; g++) {
        uint32_t x = lk_monoid_right(m, 0, g);
        uint8_t *hit = g_new0(uint8_t, deg + 1), *seen = g_new0(uint8_t, deg + 1);
        for (uint32_t q = 0; q < deg; q++) hit[lk_monoid_image(m, x, q)] = 1;
        for (uint32_t q = 0; q < deg; q++) a->is_group = a->is_group && hit[q];
        if (a->is_group) {
            uint32_t cycles = 0;
            for (uint32_t q = 0; q < deg; q++) {
                if (seen[q]) continue;
                cycles++;
                for (uint32_t v = q; !seen[v]; v = lk_monoid_image(m, x, v)) seen[v] = 1;
            }
            a->max_reflections = MAX(a->max_reflections, (int64_t)(deg - cycles));
        }
        g_free(hit);
        g_free(seen);
    }
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
