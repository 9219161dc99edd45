/* Green's relations, maximal subgroups and the LRNN classification.
 *
 * R-classes are the strongly connected components of the right Cayley graph,
 * L-classes those of the left one (Tarjan's algorithm, iterative, O(|M| k)).
 * Since x R y implies ker x = ker y and x L y implies im x = im y, the
 * components are searched inside the classes of equal kernel (image) only:
 * the elements are renumbered so that each such class is contiguous and the
 * edges leaving it are dropped, so that the depth-first search, a chain of
 * dependent cache misses over the whole monoid, stays inside a block of a
 * few thousand nodes (T_8: 16.7 M elements in 4,140 kernel classes); the
 * renumbering itself costs independent memory reads, which overlap.
 * D = J the join of R and L (union-find, O(|M| α)). Every R- and L-class of a D-class meet in
 * one H-class, so #H = sum over D of #R(D) #L(D). A D-class is regular when it
 * holds an idempotent e; its maximal subgroup is the H-class of e, which acts
 * faithfully by permutations on the image of e; on that permutation group
 * (perm-group.h) we find a small generating set greedily, test commutativity
 * on it, and follow the derived series to decide solvability.
 * Eigenvalue classes (Theorems 1, 2 and 4 of Grazzi et al., ICLR 2025) follow from the periods of
 * the elements: by Cauchy's theorem a prime p divides the order of some subgroup exactly when some
 * element has a period divisible by p.
 */
#include "automata/semigroup/monoid-private.h"
#include "automata/semigroup/perm-group.h"
#include "automata/semigroup/transf.h"
#include "automata/hash-private.h"
#include "automata/vec-private.h"

#include <string.h>

/* Tarjan's strongly connected components of the graph v -> succ[v*k + i]
 * on the block of nodes first..first+n-1, whose edges stay in the block
 * (UINT32_MAX: no edge); comp[v] gets count, count + 1, ...; returns the
 * new count. Iterative; O(n k) time; node, stack and call are scratch of n
 * entries, indexed from the block's start so that they stay in cache. A
 * node's index, lowlink and next edge share one record; a node whose
 * component is done gets index DONE, which no lowlink test passes. */
typedef struct {
    uint32_t index, low, next;
} TarjanNode;

static uint32_t tarjan_block(const uint32_t *succ, uint32_t first, uint32_t n, uint32_t k,
                             uint32_t *comp, uint32_t count, TarjanNode *node, uint32_t *stack,
                             uint32_t *call)
{
    enum { UNSEEN = UINT32_MAX, DONE = UINT32_MAX - 1 };
    for (uint32_t x = 0; x < n; x++) node[x].index = UNSEEN;
    uint32_t counter = 0, sp = 0;
    for (uint32_t root = 0; root < n; root++) {
        if (node[root].index != UNSEEN) continue;
        uint32_t cp = 0;
        call[cp++] = root;
        node[root] = (TarjanNode){counter, counter, 0};
        counter++;
        stack[sp++] = root;
        while (cp) {
            const uint32_t v = call[cp - 1];
            TarjanNode *nv = &node[v];
            if (nv->next < k) {
                const uint32_t t = succ[(size_t)(first + v) * k + nv->next++];
                if (t == UINT32_MAX) continue;
                const uint32_t w = t - first;
                TarjanNode *nw = &node[w];
                if (nw->index == UNSEEN) {
                    *nw = (TarjanNode){counter, counter, 0};
                    counter++;
                    stack[sp++] = w;
                    call[cp++] = w;
                } else if (nw->index < nv->low) { /* w is on the stack (DONE never is less) */
                    nv->low = nw->index;
                }
                continue;
            }
            cp--;
            if (cp && nv->low < node[call[cp - 1]].low) node[call[cp - 1]].low = nv->low;
            if (nv->low == nv->index) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    comp[first + w] = count;
                    node[w].index = DONE;
                } while (w != v);
                count++;
            }
        }
    }
    return count;
}

/* Numbers the elements' kernels (image = false: the partition, as the
 * restricted growth string of the images) or images (the set, as a bitset)
 * into key[x] in 0..count-1, in order of first appearance. Open addressing
 * over the distinct keys; O(|M| n). */
static uint32_t number_keys(const LkMonoid *m, bool image, uint32_t *key)
{
    const uint32_t N = lk_monoid_size(m), n = lk_monoid_degree(m);
    const size_t words = image ? (n + 31) / 32 : n; /* uint32 words per key */
    GArray *keys = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t cap = 1024, count = 0, *slot = g_new(uint32_t, cap);
    memset(slot, 0xff, sizeof(uint32_t) * cap);
    uint32_t *img = g_new(uint32_t, n + 1), *k = g_new0(uint32_t, words + 1),
             *first = g_new(uint32_t, n + 1);
    for (uint32_t x = 0; x < N; x++) {
        lk_monoid_images(m, x, img);
        memset(k, 0, sizeof(uint32_t) * words);
        if (image) {
            for (uint32_t q = 0; q < n; q++) k[img[q] / 32] |= 1u << (img[q] % 32);
        } else {
            uint32_t classes = 0;
            memset(first, 0xff, sizeof(uint32_t) * n);
            for (uint32_t q = 0; q < n; q++) {
                if (first[img[q]] == UINT32_MAX) first[img[q]] = classes++;
                k[q] = first[img[q]];
            }
        }
        uint64_t h = 0;
        for (size_t i = 0; i < words; i++) h = lk_mix64(h ^ k[i]);
        uint32_t i = (uint32_t)h & (cap - 1);
        for (; slot[i] != UINT32_MAX; i = (i + 1) & (cap - 1))
            if (!memcmp(&g_array_index(keys, uint32_t, (size_t)slot[i] * words), k,
                        sizeof(uint32_t) * words))
                break;
        if (slot[i] == UINT32_MAX) {
            slot[i] = count++;
            g_array_append_vals(keys, k, (guint)words);
            if (2 * count > cap) { /* grow: rehash the distinct keys */
                g_free(slot);
                cap *= 2;
                slot = g_new(uint32_t, cap);
                memset(slot, 0xff, sizeof(uint32_t) * cap);
                for (uint32_t c = 0; c < count; c++) {
                    const uint32_t *kc = &g_array_index(keys, uint32_t, (size_t)c * words);
                    uint64_t hc = 0;
                    for (size_t j = 0; j < words; j++) hc = lk_mix64(hc ^ kc[j]);
                    uint32_t s = (uint32_t)hc & (cap - 1);
                    while (slot[s] != UINT32_MAX) s = (s + 1) & (cap - 1);
                    slot[s] = c;
                }
            }
            key[x] = count - 1;
            continue;
        }
        key[x] = slot[i];
    }
    g_array_unref(keys);
    g_free(slot);
    g_free(img);
    g_free(k);
    g_free(first);
    return count;
}

/* Strongly connected components of x -> succ[x*k + i] that stay inside the
 * blocks of equal key: each block made contiguous (counting sort), the edges
 * leaving it dropped, Tarjan block by block, components mapped back. Time
 * O(N k), the random reads independent of each other; 20 bytes per element
 * and Tarjan's scratch for the largest block. */
typedef struct {
    uint32_t *pos, *local, *lcomp; /* N, N k and N entries, reused by both searches */
} BlockScratch;

static uint32_t block_scc(const uint32_t *succ, uint32_t N, uint32_t k, const uint32_t *key,
                          uint32_t blocks, uint32_t *comp, BlockScratch *w)
{
    uint32_t *start = g_new0(uint32_t, blocks + 2), *pos = w->pos, *local = w->local,
             *lcomp = w->lcomp;
    for (uint32_t x = 0; x < N; x++) start[key[x] + 1]++;
    uint32_t widest = 0;
    for (uint32_t b = 0; b < blocks; b++) {
        widest = MAX(widest, start[b + 1]);
        start[b + 1] += start[b];
    }
    for (uint32_t x = 0; x < N; x++) pos[x] = start[key[x]]++; /* start[b] -> end of b */
    for (uint32_t x = 0; x < N; x++) {
        const uint32_t end = start[key[x]], from = key[x] ? start[key[x] - 1] : 0;
        for (uint32_t a = 0; a < k; a++) {
            const uint32_t p = pos[succ[(size_t)x * k + a]];
            local[(size_t)pos[x] * k + a] = p >= from && p < end ? p : UINT32_MAX;
        }
    }
    uint32_t count = 0;
    TarjanNode *node = g_new(TarjanNode, widest + 1);
    uint32_t *stack = g_new(uint32_t, widest + 1), *call = g_new(uint32_t, widest + 1);
    for (uint32_t b = 0, from = 0; b < blocks; from = start[b++])
        count = tarjan_block(local, from, start[b] - from, k, lcomp, count, node, stack, call);
    g_free(node);
    g_free(stack);
    g_free(call);
    g_free(start);
    for (uint32_t x = 0; x < N; x++) comp[x] = lcomp[pos[x]];
    return count;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}

/* D = R v L (in a finite monoid D = R∘L, so the equivalence generated by R
 * and L): union-find over the R-classes, joining the R-classes that meet
 * one L-class; D-classes numbered by their first element. O(n α(n)). */
static uint32_t d_classes(uint32_t n, const uint32_t *r, uint32_t nr, const uint32_t *l,
                          uint32_t nl, uint32_t *d)
{
    uint32_t *parent = g_new(uint32_t, nr + 1), *first_r = g_new(uint32_t, nl + 1);
    for (uint32_t i = 0; i < nr; i++) parent[i] = i;
    memset(first_r, 0xff, sizeof(uint32_t) * nl);
    for (uint32_t x = 0; x < n; x++) {
        if (first_r[l[x]] == UINT32_MAX) {
            first_r[l[x]] = r[x];
            continue;
        }
        uint32_t a = uf_find(parent, r[x]), b = uf_find(parent, first_r[l[x]]);
        if (a != b) parent[MAX(a, b)] = MIN(a, b);
    }
    g_free(first_r);
    uint32_t *id = g_new(uint32_t, nr + 1), count = 0; /* root R-class -> D index */
    memset(id, 0xff, sizeof(uint32_t) * nr);
    for (uint32_t x = 0; x < n; x++) {
        uint32_t root = uf_find(parent, r[x]);
        if (id[root] == UINT32_MAX) id[root] = count++;
        d[x] = id[root];
    }
    g_free(parent);
    g_free(id);
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
    g_return_val_if_fail(m != NULL, NULL);
    const uint32_t n = lk_monoid_size(m), k = lk_monoid_ngens(m), deg = lk_monoid_degree(m);
    LkMonoidAnalysis *a = g_new0(LkMonoidAnalysis, 1);
    a->size = n;
    uint32_t *r = g_new(uint32_t, n + 1), *l = g_new(uint32_t, n + 1), *d = g_new(uint32_t, n + 1);
    BlockScratch w = {g_new(uint32_t, n + 1), g_new(uint32_t, (size_t)n * k + 1),
                      g_new(uint32_t, n + 1)};
    a->r_classes = number_keys(m, false, d); /* d: scratch for the keys until D */
    a->r_classes = block_scc(lk_monoid_cayley(m, false), n, k, d, a->r_classes, r, &w);
    a->l_classes = number_keys(m, true, d);
    a->l_classes = block_scc(lk_monoid_cayley(m, true), n, k, d, a->l_classes, l, &w);
    g_free(w.pos);
    g_free(w.local);
    g_free(w.lcomp);
    a->d_classes = d_classes(n, r, a->r_classes, l, a->l_classes, d);
    /* #R and #L per D-class, then #H */
    uint32_t *r_in_d = g_new0(uint32_t, a->d_classes + 1),
             *l_in_d = g_new0(uint32_t, a->d_classes + 1);
    uint8_t *seen_r = g_new0(uint8_t, a->r_classes + 1),
            *seen_l = g_new0(uint8_t, a->l_classes + 1);
    uint32_t *idem_of_d = g_new(uint32_t, a->d_classes + 1);
    g_autofree uint32_t *scratch = g_new(uint32_t, LK_MONOID_PERIOD_SCRATCH(deg));
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
        lk_monoid_index_period(m, x, scratch, &idx, &per);
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

char *lk_monoid_word_text(const LkMonoid *m, uint32_t x, const LkAlphabet *names)
{
    g_return_val_if_fail(m != NULL, NULL);
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    lk_monoid_word(m, x, w);
    return lk_alphabet_word_to_string(names, (const uint32_t *)(const void *)w->data, w->len);
}

char *lk_monoid_analysis_reason(const LkMonoid *m, const LkMonoidAnalysis *a,
                                const LkAlphabet *names)
{
    g_return_val_if_fail(m != NULL, NULL);
    g_autofree char *wit =
        a->witness != UINT32_MAX ? lk_monoid_word_text(m, a->witness, names) : NULL;
    const LkMonoidGroup *big =
        a->groups->len ? &g_array_index(a->groups, LkMonoidGroup, a->groups->len - 1) : NULL;
    GString *why = g_string_new(NULL);
    if (a->eigenvalues == LK_EIGEN_NONNEGATIVE)
        g_string_append_printf(why,
                               "the syntactic monoid (%u elements) is aperiodic: every element has "
                               "period 1, so the language is star-free and cascades of resets "
                               "with eigenvalues in [0, 1] suffice",
                               a->size);
    else if (a->eigenvalues == LK_EIGEN_NEGATIVE)
        g_string_append_printf(why,
                               "the word '%s' has period %u inside a group, and every period is a "
                               "power of 2: negative eigenvalues (Householder beta in (1, 2]) are "
                               "needed (Theorem 1); real ones suffice with enough layers",
                               wit, a->witness_period);
    else
        g_string_append_printf(
            why,
            "the word '%s' has period %u, which has an odd prime factor, in a "
            "group: complex eigenvalues are needed (Theorem 2), i.e. products of "
            ">= 2 Householder factors per token (rotations) or the 2-layer "
            "reflection construction",
            wit, a->witness_period);
    if (big && big->order > 1 && !a->groups_solvable)
        g_string_append(why, "; a maximal subgroup is not solvable (NC1-hard word problem)");
    return g_string_free(why, FALSE);
}
