/* Unit tests of automata/semigroup/ (transformations, permutation groups,
 * tuple maps, the holonomy decomposition) and of compiling every DFA
 * through it, against independent references: brute-force group closure,
 * a GHashTable, a naive skeleton height, the DFA itself. */
#include "automata/families.h"
#include "automata/regex.h"
#include "automata/semigroup/holonomy.h"
#include "automata/semigroup/perm-group.h"
#include "automata/semigroup/transf.h"
#include "automata/tuple-map.h"
#include "lrnn/lrnn.h"
#include "testutil.h"

#include <check.h>
#include <string.h>

/* ---- permutation groups against brute-force closure ---- */

static GHashTable *closure(uint32_t n, uint32_t k, const uint32_t *gens)
{
    GHashTable *set =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    GPtrArray *queue = g_ptr_array_new();
    uint32_t *id = g_new(uint32_t, n + 1);
    for (uint32_t x = 0; x < n; x++) id[x] = x;
    GBytes *b = g_bytes_new_take(id, sizeof(uint32_t) * n);
    g_hash_table_add(set, b);
    g_ptr_array_add(queue, b);
    for (guint i = 0; i < queue->len; i++)
        for (uint32_t a = 0; a < k; a++) {
            uint32_t *p = g_new(uint32_t, n + 1);
            lk_perm_mul(p, g_bytes_get_data(queue->pdata[i], NULL), gens + (size_t)a * n, n);
            GBytes *c = g_bytes_new_take(p, sizeof(uint32_t) * n);
            if (g_hash_table_contains(set, c)) {
                g_bytes_unref(c);
                continue;
            }
            g_hash_table_add(set, c);
            g_ptr_array_add(queue, c);
        }
    g_ptr_array_unref(queue);
    return set;
}

static void random_perm(uint32_t *p, uint32_t n)
{
    for (uint32_t q = 0; q < n; q++) p[q] = q;
    for (uint32_t q = n; q-- > 1;) {
        uint32_t j = lk_test_below(q + 1), t = p[q];
        p[q] = p[j], p[j] = t;
    }
}

START_TEST(test_perm_group_against_closure)
{
    lk_test_srand(71);
    for (int iter = 0; iter < 200; iter++) {
        const uint32_t n = 1 + lk_test_below(5), k = 1 + lk_test_below(3);
        uint32_t gens[3 * 7], p[7];
        for (uint32_t a = 0; a < k; a++) {
            random_perm(gens + a * n, n);
            if (lk_test_below(3) == 0) { /* often a small element: a transposition or 3-cycle */
                for (uint32_t q = 0; q < n; q++) gens[a * n + q] = q;
                if (n >= 2) gens[a * n] = 1, gens[a * n + 1] = 0;
                if (n >= 3 && lk_test_below(2))
                    gens[a * n] = 1, gens[a * n + 1] = 2, gens[a * n + 2] = 0;
            }
        }
        g_autoptr(GHashTable) all = closure(n, k, gens);
        g_autoptr(LkPermGroup) g = lk_perm_group_new(n, k, gens);
        ck_assert_uint_eq(lk_perm_group_order_u64(g), g_hash_table_size(all));
        for (int t = 0; t < 20; t++) {
            random_perm(p, n);
            GBytes *key = g_bytes_new(p, sizeof(uint32_t) * n);
            ck_assert_int_eq(lk_perm_group_contains(g, p), g_hash_table_contains(all, key));
            g_bytes_unref(key);
        }
        /* abelian by brute force over all pairs of elements */
        bool abelian = true;
        GList *els = g_hash_table_get_keys(all);
        for (GList *x = els; x && abelian; x = x->next)
            for (GList *y = els; y && abelian; y = y->next) {
                uint32_t ab[7], ba[7];
                lk_perm_mul(ab, g_bytes_get_data(x->data, NULL), g_bytes_get_data(y->data, NULL),
                            n);
                lk_perm_mul(ba, g_bytes_get_data(y->data, NULL), g_bytes_get_data(x->data, NULL),
                            n);
                abelian = !memcmp(ab, ba, sizeof(uint32_t) * n);
            }
        g_list_free(els);
        ck_assert_int_eq(lk_perm_group_is_abelian(g), abelian);
        /* groups on <= 4 points are solvable; the derived subgroup is normal and smaller
         * or the group is perfect */
        if (n <= 4) ck_assert(lk_perm_group_is_solvable(g));
    }
}
END_TEST

START_TEST(test_perm_group_known)
{
    /* S_5 = <(12), (12345)>: order 120, not solvable; A_5 = <(123), (12345)>: 60 */
    const uint32_t s5[] = {1, 0, 2, 3, 4, 1, 2, 3, 4, 0}, a5[] = {1, 2, 0, 3, 4, 1, 2, 3, 4, 0};
    g_autoptr(LkPermGroup) g = lk_perm_group_new(5, 2, s5), h = lk_perm_group_new(5, 2, a5);
    ck_assert_uint_eq(lk_perm_group_order_u64(g), 120);
    ck_assert_uint_eq(lk_perm_group_order_u64(h), 60);
    ck_assert(!lk_perm_group_is_solvable(g));
    ck_assert(!lk_perm_group_is_solvable(h));
    g_autofree char *gn = lk_perm_group_name(g), *hn = lk_perm_group_name(h);
    ck_assert_str_eq(gn, "S5");
    ck_assert_str_eq(hn, "A5");
    g_autoptr(LkPermGroup) d = lk_perm_group_derived(g);
    ck_assert_uint_eq(lk_perm_group_order_u64(d), 60);
    /* S_12 on 12 points: order 12! from two generators */
    uint32_t s12[24];
    for (uint32_t q = 0; q < 12; q++) s12[q] = q, s12[12 + q] = (q + 1) % 12;
    s12[0] = 1, s12[1] = 0;
    g_autoptr(LkPermGroup) big = lk_perm_group_new(12, 2, s12);
    ck_assert_uint_eq(lk_perm_group_order_u64(big), 479001600ull);
    /* C_6 = <(123)(45)> */
    const uint32_t c6[] = {1, 2, 0, 4, 3};
    g_autoptr(LkPermGroup) c = lk_perm_group_new(5, 1, c6);
    g_autofree char *cn = lk_perm_group_name(c);
    ck_assert_str_eq(cn, "C6");
    ck_assert_uint_eq(lk_perm_order(c6, 5), 6);
}
END_TEST

START_TEST(test_tuple_map_against_hash)
{
    lk_test_srand(72);
    for (uint32_t w = 0; w < 5; w++) {
        g_autoptr(LkTupleMap) m = lk_tuple_map_new(w);
        g_autoptr(GHashTable) ref =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
        for (int i = 0; i < 5000; i++) {
            uint32_t key[5];
            for (uint32_t j = 0; j < w; j++) key[j] = lk_test_below(6);
            GBytes *b = g_bytes_new(key, sizeof(uint32_t) * w);
            bool added;
            uint32_t e = lk_tuple_map_insert(m, key, (uint32_t)i, &added);
            ck_assert_int_eq(added, !g_hash_table_contains(ref, b));
            if (added)
                g_hash_table_insert(ref, b, GUINT_TO_POINTER(i + 1));
            else
                g_bytes_unref(b);
            ck_assert(!memcmp(lk_tuple_map_key(m, e), key, sizeof(uint32_t) * w));
        }
        ck_assert_uint_eq(lk_tuple_map_size(m), g_hash_table_size(ref));
        for (uint32_t e = 0; e < lk_tuple_map_size(m); e++) {
            GBytes *b = g_bytes_new(lk_tuple_map_key(m, e), sizeof(uint32_t) * w);
            ck_assert_uint_eq(GPOINTER_TO_UINT(g_hash_table_lookup(ref, b)) - 1,
                              lk_tuple_map_value(m, e));
            g_bytes_unref(b);
        }
    }
}
END_TEST

START_TEST(test_transf_kinds)
{
    const uint32_t perm[] = {2, 0, 1}, cst[] = {1, 1, 1}, other[] = {0, 0, 1};
    uint8_t seen[3];
    uint32_t pairs[6];
    ck_assert_int_eq(lk_transf_kind(perm, 1, 3, seen), LK_MAP_PERMUTATION);
    ck_assert_int_eq(lk_transf_kind(cst, 1, 3, seen), LK_MAP_CONSTANT);
    ck_assert_int_eq(lk_transf_kind(other, 1, 3, seen), LK_MAP_OTHER);
    ck_assert_uint_eq(lk_perm_cycles(perm, 1, 3, seen), 1);
    /* the transpositions, applied in order to e_q, send it to e_perm(q) */
    uint32_t t = lk_perm_transpositions(perm, 1, 3, pairs, seen);
    ck_assert_uint_eq(t, 2);
    for (uint32_t q = 0; q < 3; q++) {
        uint32_t x = q;
        for (uint32_t j = 0; j < t; j++)
            x = x == pairs[2 * j] ? pairs[2 * j + 1] : x == pairs[2 * j + 1] ? pairs[2 * j] : x;
        ck_assert_uint_eq(x, perm[q]);
    }
}
END_TEST

/* ---- holonomy ---- */

/* The naive skeleton height: image sets by breadth-first search over
 * words, strict subduction A < B by searching the orbit of B for a
 * superset of A (and not the reverse), and the longest chain of strict
 * subductions among non-singletons ending above a singleton. */
static uint32_t naive_height(const LkDfa *d)
{
    const uint32_t n = d->n, k = d->k;
    if (n == 1) return 0;
    GPtrArray *sets = g_ptr_array_new_with_free_func(g_free); /* uint8_t[n] */
    g_autoptr(GHashTable) seen =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    uint8_t *x = g_new(uint8_t, n);
    memset(x, 1, n);
    g_ptr_array_add(sets, x);
    g_hash_table_add(seen, g_bytes_new(x, n));
    for (guint i = 0; i < sets->len; i++)
        for (uint32_t a = 0; a < k; a++) {
            uint8_t *y = g_new0(uint8_t, n);
            for (uint32_t q = 0; q < n; q++)
                if (((uint8_t *)sets->pdata[i])[q]) y[d->delta[q * k + a]] = 1;
            GBytes *b = g_bytes_new(y, n);
            if (g_hash_table_contains(seen, b)) {
                g_bytes_unref(b);
                g_free(y);
            } else {
                g_hash_table_add(seen, b);
                g_ptr_array_add(sets, y);
            }
        }
    const guint N = sets->len;
    /* le[i*N + j]: set i ⊆ some image of set j under S^1 */
    uint8_t *le = g_new0(uint8_t, (size_t)N * N);
    uint8_t *img = g_new(uint8_t, n);
    for (guint j = 0; j < N; j++) {
        GPtrArray *orb = g_ptr_array_new_with_free_func(g_free);
        g_autoptr(GHashTable) os =
            g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
        g_ptr_array_add(orb, g_memdup2(sets->pdata[j], n));
        g_hash_table_add(os, g_bytes_new(sets->pdata[j], n));
        for (guint o = 0; o < orb->len; o++)
            for (uint32_t a = 0; a < k; a++) {
                memset(img, 0, n);
                for (uint32_t q = 0; q < n; q++)
                    if (((uint8_t *)orb->pdata[o])[q]) img[d->delta[q * k + a]] = 1;
                GBytes *b = g_bytes_new(img, n);
                if (g_hash_table_contains(os, b)) {
                    g_bytes_unref(b);
                } else {
                    g_hash_table_add(os, b);
                    g_ptr_array_add(orb, g_memdup2(img, n));
                }
            }
        for (guint i = 0; i < N; i++)
            for (guint o = 0; o < orb->len && !le[(size_t)i * N + j]; o++) {
                bool sub = true;
                for (uint32_t q = 0; q < n && sub; q++)
                    sub = !((uint8_t *)sets->pdata[i])[q] || ((uint8_t *)orb->pdata[o])[q];
                le[(size_t)i * N + j] = sub;
            }
        g_ptr_array_unref(orb);
    }
    uint32_t *h = g_new0(uint32_t, N + 1), *size = g_new0(uint32_t, N + 1);
    for (guint i = 0; i < N; i++)
        for (uint32_t q = 0; q < n; q++) size[i] += ((uint8_t *)sets->pdata[i])[q];
    for (guint i = 0; i < N; i++) h[i] = size[i] > 1; /* a non-singleton lies above a singleton */
    for (bool changed = true; changed;) {
        changed = false;
        for (guint a = 0; a < N; a++)
            for (guint b = 0; b < N; b++) /* b < a strictly, both non-singletons */
                if (size[a] > 1 && size[b] > 1 && le[(size_t)b * N + a] && !le[(size_t)a * N + b] &&
                    h[a] < h[b] + 1)
                    h[a] = h[b] + 1, changed = true;
    }
    uint32_t top = h[0];
    g_free(h), g_free(size), g_free(le), g_free(img);
    g_ptr_array_unref(sets);
    return top;
}

/* Decompose d, check the cascade covers it and defines its language, then
 * compile and verify exactly; returns the number of levels. */
static uint64_t merged_levels, plain_levels; /* summed over the calls, reported */

static uint32_t decompose_and_check(const LkDfa *d, bool compile)
{
    GError *err = NULL;
    g_autoptr(LkHolonomy) h = lk_holonomy_new_from_dfa(d, NULL, &err);
    ck_assert_ptr_nonnull(h);
    const uint32_t L = lk_holonomy_n_levels(h);
    ck_assert_uint_eq(lk_holonomy_depth(h), L + 1);
    g_autoptr(LkCascade) c = lk_holonomy_cascade(h, d->alphabet, d->start, d->accept, NULL, &err);
    ck_assert_ptr_nonnull(c);
    ck_assert(lk_cascade_validate(c, NULL));
    for (uint32_t i = 0; i < L; i++) {
        ck_assert_uint_eq(c->level[i].n, lk_holonomy_level(h, i)->width);
        ck_assert_uint_le(c->level[i].n, lk_holonomy_level(h, i)->points);
        ck_assert_uint_ge(c->level[i].n, 2);
    }
    bool covers;
    g_autoptr(GArray) word = NULL;
    ck_assert(lk_cascade_covers(c, d, NULL, &covers, &word, NULL, NULL));
    ck_assert(covers);
    g_autoptr(LkDfa) cd = lk_cascade_to_dfa(c, NULL, NULL);
    ck_assert_ptr_nonnull(cd);
    bool eq = false;
    ck_assert(lk_dfa_equivalent(cd, d, &eq, NULL, NULL, NULL) && eq);
    /* merged: fewer (or as many) levels, none wider than |Q| unless it was, still covering */
    uint32_t widest = 0;
    for (uint32_t i = 0; i < L; i++) widest = MAX(widest, c->level[i].n);
    g_autoptr(LkCascade) mc = lk_cascade_merge_levels(c, d->n, NULL, &err);
    ck_assert_ptr_nonnull(mc);
    if (!lk_cascade_validate(mc, &err)) ck_abort_msg("%s", err->message);
    ck_assert_uint_le(mc->n_levels, L);
    for (uint32_t i = 0; i < mc->n_levels; i++)
        ck_assert_uint_le(mc->level[i].n, MAX(d->n, widest));
    ck_assert(lk_cascade_covers(mc, d, NULL, &covers, NULL, NULL, NULL));
    ck_assert(covers);
    g_autoptr(LkDfa) mcd = lk_cascade_to_dfa(mc, 0, NULL);
    eq = false;
    ck_assert(lk_dfa_equivalent(mcd, d, &eq, NULL, NULL, NULL) && eq);
    merged_levels += mc->n_levels, plain_levels += L;
    /* JSON round trip of the cascade */
    g_autofree char *j1 = lk_cascade_to_json(c);
    g_autoptr(LkCascade) c2 = lk_cascade_from_json(j1, -1, NULL, NULL);
    ck_assert_ptr_nonnull(c2);
    g_autofree char *j2 = lk_cascade_to_json(c2);
    ck_assert_str_eq(j1, j2);
    if (compile && L > 0) {
        /* plain (one layer per level) and merged, both verified exactly */
        for (int merge = 0; merge < 2; merge++) {
            LkCompileInfo info;
            LkCompileOptions opt = {.gated = lk_test_below(2) == 0, .no_merge = !merge};
            g_autoptr(LkStack) s = lk_stack_compile_dfa(d, LK_STRATEGY_HOLONOMY, &opt, &info, &err);
            ck_assert_ptr_nonnull(s);
            ck_assert_str_eq(info.construction, "holonomy");
            ck_assert_uint_eq(info.holonomy_levels, L);
            if (merge) {
                ck_assert_uint_le(s->n_layers, L);
                for (uint32_t i = 0; i < s->n_layers; i++)
                    ck_assert_uint_le(s->layer[i]->n, MAX(d->n, widest));
            } else {
                ck_assert_uint_eq(s->n_layers, L);
            }
            LkVerifyResult v;
            ck_assert(lk_stack_verify(s, d, NULL, &v, NULL));
            ck_assert(v.verified);
            lk_verify_result_clear(&v);
        }
    }
    return L;
}

/* T_n: the full transformation monoid, by a transposition, an n-cycle and
 * a map of rank n - 1. */
static LkDfa *full_transformations(uint32_t n)
{
    static const char *names[] = {"s", "c", "r"};
    g_autoptr(LkAlphabet) al = lk_alphabet_new(names, 3, NULL);
    LkDfa *d = lk_dfa_new(al, n, 0);
    for (uint32_t q = 0; q < n; q++) {
        d->delta[q * 3] = q < 2 ? 1 - q : q;
        d->delta[q * 3 + 1] = (q + 1) % n;
        d->delta[q * 3 + 2] = q == 1 ? 0 : q;
    }
    d->accept[0] = 1;
    return d;
}

START_TEST(test_holonomy_full_transformation_monoids)
{
    for (uint32_t n = 3; n <= 5; n++) { /* n - 1 levels on n, n-1, ..., 2 points: S_n ... S_2 */
        g_autoptr(LkDfa) d = full_transformations(n);
        g_autoptr(LkHolonomy) h = lk_holonomy_new_from_dfa(d, NULL, NULL);
        ck_assert_uint_eq(lk_holonomy_n_levels(h), n - 1);
        ck_assert_uint_eq(lk_holonomy_n_images(h), (1u << n) - 1);
        uint64_t fact = 1;
        for (uint32_t i = 0; i < n - 1; i++) {
            const LkHolonomyLevel *l = lk_holonomy_level(h, i);
            const uint32_t pts = n - i;
            ck_assert_uint_eq(l->points, pts);
            ck_assert_uint_eq(l->n_groups, 1);
            fact = 1;
            for (uint32_t j = 2; j <= pts; j++) fact *= j;
            ck_assert_uint_eq(l->groups[0].order, fact);
            ck_assert_uint_eq(l->groups[0].degree, pts);
            g_autofree char *want = g_strdup_printf(pts == 2 ? "C2" : "S%u", pts);
            ck_assert_str_eq(l->groups[0].name, want);
        }
        decompose_and_check(d, true);
    }
    /* T_7 in the same shape, for scale */
    g_autoptr(LkDfa) d7 = full_transformations(7);
    ck_assert_uint_eq(decompose_and_check(d7, false), 6);
}
END_TEST

START_TEST(test_holonomy_groups_and_aperiodic)
{
    GError *err = NULL;
    static const struct {
        const char *family;
        uint64_t order;
    } groups[] = {{"S:4", 24}, {"Z:5", 5}, {"parity", 2}, {"D:4", 8}, {"A:4", 12}};
    for (size_t i = 0; i < G_N_ELEMENTS(groups); i++) {
        /* a group automaton: one level, its holonomy group the group itself */
        g_autoptr(LkDfa) d = lk_family_dfa(groups[i].family, NULL, &err);
        ck_assert_ptr_nonnull(d);
        g_autoptr(LkHolonomy) h = lk_holonomy_new_from_dfa(d, NULL, NULL);
        ck_assert_uint_eq(lk_holonomy_n_levels(h), 1);
        ck_assert_uint_eq(lk_holonomy_level(h, 0)->n_groups, 1);
        ck_assert_uint_eq(lk_holonomy_level(h, 0)->groups[0].order, groups[i].order);
        decompose_and_check(d, true);
    }
    /* aperiodic languages: every holonomy group trivial */
    const char *aperiodic[] = {"a*b*", "(ab)*", "a*ba*", "(a|b)*abb(a|b)*", "(a|b)*a(a|b)(a|b)"};
    for (size_t i = 0; i < G_N_ELEMENTS(aperiodic); i++) {
        g_autoptr(LkRegex) re = lk_regex_parse(aperiodic[i], NULL, NULL);
        g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, NULL);
        g_autoptr(LkHolonomy) h = lk_holonomy_new_from_dfa(d, NULL, NULL);
        for (uint32_t l = 0; l < lk_holonomy_n_levels(h); l++)
            for (uint32_t g = 0; g < lk_holonomy_level(h, l)->n_groups; g++)
                ck_assert_uint_eq(lk_holonomy_level(h, l)->groups[g].order, 1);
        decompose_and_check(d, true);
    }
    /* flip-flop: trivial groups; a*b* needs 3 levels on 3 states (equal-sized
     * images {0,2} and {1,2} subduce strictly) */
    g_autoptr(LkDfa) ff = lk_family_dfa("flipflop", NULL, NULL);
    g_autoptr(LkHolonomy) hf = lk_holonomy_new_from_dfa(ff, NULL, NULL);
    for (uint32_t l = 0; l < lk_holonomy_n_levels(hf); l++)
        ck_assert_uint_eq(lk_holonomy_level(hf, l)->groups[0].order, 1);
    decompose_and_check(ff, true);
    g_autoptr(LkRegex) re = lk_regex_parse("a*b*", NULL, NULL);
    g_autoptr(LkDfa) ab = lk_regex_compile(re, NULL, NULL);
    ck_assert_uint_eq(ab->n, 3);
    ck_assert_uint_eq(decompose_and_check(ab, true), 3);
    ck_assert_uint_eq(naive_height(ab), 3);
}
END_TEST

START_TEST(test_holonomy_every_small_dfa)
{
    /* every complete DFA with <= 3 states over 2 letters (start 0, a random
     * accepting set): covered, compiled, verified; levels = naive height */
    lk_test_srand(73);
    static const char *names[] = {"a", "b"};
    g_autoptr(LkAlphabet) al = lk_alphabet_new(names, 2, NULL);
    uint32_t count = 0;
    for (uint32_t n = 1; n <= 3; n++) {
        uint32_t tables = 1;
        for (uint32_t i = 0; i < 2 * n; i++) tables *= n;
        for (uint32_t t = 0; t < tables; t++) {
            g_autoptr(LkDfa) d = lk_dfa_new(al, n, 0);
            for (uint32_t i = 0, r = t; i < 2 * n; i++, r /= n) d->delta[i] = r % n;
            for (uint32_t q = 0; q < n; q++) d->accept[q] = lk_test_below(2);
            ck_assert_uint_eq(decompose_and_check(d, true), naive_height(d));
            count++;
        }
    }
    ck_assert_uint_eq(count, 1 + 16 + 729);
}
END_TEST

START_TEST(test_holonomy_random_dfas)
{
    lk_test_srand(74);
    static const char *names[] = {"a", "b", "c"};
    uint32_t most = 0, over = 0;
    const int runs = getenv("LK_UNDER_VALGRIND") ? 8 : 60;
    for (int iter = 0; iter < runs; iter++) {
        const uint32_t n = 4 + lk_test_below(7), k = 2 + lk_test_below(2);
        g_autoptr(LkAlphabet) al = lk_alphabet_new(names, k, NULL);
        g_autoptr(LkDfa) d = lk_test_random_dfa(al, n, 40);
        uint32_t L = decompose_and_check(d, true);
        ck_assert_uint_eq(L, naive_height(d));
        most = MAX(most, L);
        over += L > n - 1;
    }
    fprintf(stderr, "# random DFAs: most levels %u, %u with more than |Q| - 1\n", most, over);
    fprintf(stderr,
            "# levels so far: %" G_GUINT64_FORMAT " holonomy, %" G_GUINT64_FORMAT
            " after merging\n",
            plain_levels, merged_levels);
}
END_TEST

START_TEST(test_holonomy_limits)
{
    GError *err = NULL;
    g_autoptr(LkDfa) d = full_transformations(6);
    ck_assert_ptr_null(lk_holonomy_new_from_dfa(d, &(LkLimits){.max_images = 20}, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
    g_autoptr(LkHolonomy) h = lk_holonomy_new_from_dfa(d, NULL, NULL);
    ck_assert_ptr_null(
        lk_holonomy_cascade(h, d->alphabet, 0, d->accept, &(LkLimits){.max_states = 10}, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
}
END_TEST

static Suite *semigroup_suite(void)
{
    Suite *s = suite_create("semigroup");
    TCase *tc = tcase_create("groups");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_perm_group_against_closure);
    tcase_add_test(tc, test_perm_group_known);
    tcase_add_test(tc, test_tuple_map_against_hash);
    tcase_add_test(tc, test_transf_kinds);
    suite_add_tcase(s, tc);
    tc = tcase_create("holonomy");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_holonomy_full_transformation_monoids);
    tcase_add_test(tc, test_holonomy_groups_and_aperiodic);
    tcase_add_test(tc, test_holonomy_every_small_dfa);
    tcase_add_test(tc, test_holonomy_random_dfas);
    tcase_add_test(tc, test_holonomy_limits);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(semigroup_suite)
