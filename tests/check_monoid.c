/* Tests of automata/monoid: known values from the literature and property
 * tests against a naive breadth-first enumeration over transformation tuples
 * with brute-force Green's relations (ideals compared as sets). */
#include "automata/families.h"
#include "automata/semigroup/monoid.h"
#include "automata/regex.h"
#include "testutil.h"

#include <string.h>

static LkMonoid *tn(uint32_t n)
{
    uint32_t *g = g_new(uint32_t, 3 * n);
    for (uint32_t q = 0; q < n; q++) {
        g[q] = (q + 1) % n;            /* n-cycle */
        g[n + q] = q < 2 ? 1 - q : q;  /* transposition (0 1) */
        g[2 * n + q] = q == 1 ? 0 : q; /* rank n-1 */
    }
    LkMonoid *m = lk_monoid_new(n, 3, g, NULL, NULL);
    g_free(g);
    return m;
}

START_TEST(test_monoid_full_transformation_monoid)
{
    for (uint32_t n = 2; n <= 7; n++) {
        g_autoptr(LkMonoid) m = tn(n);
        uint64_t nn = 1;
        for (uint32_t i = 0; i < n; i++) nn *= n;
        ck_assert_uint_eq(lk_monoid_size(m), nn);
        if (n > 7) continue;
        g_autoptr(LkMonoidAnalysis) a = lk_monoid_analyze(m, false);
        uint64_t idem = 0; /* sum_k C(n,k) k^(n-k) */
        for (uint32_t k = 1; k <= n; k++) {
            uint64_t c = 1, p = 1;
            for (uint32_t i = 0; i < k; i++) c = c * (n - i) / (i + 1);
            for (uint32_t i = 0; i < n - k; i++) p *= k;
            idem += c * p;
        }
        ck_assert_uint_eq(a->idempotents, idem);
        ck_assert_uint_eq(a->d_classes, n);
        ck_assert_uint_eq(a->regular_d_classes, n);
        ck_assert(!a->is_group && !a->is_aperiodic);
        /* the maximal subgroups are S_1 .. S_n; S_n solvable iff n <= 4 */
        ck_assert_uint_eq(a->groups->len, n);
        ck_assert(a->groups_solvable == (n <= 4));
    }
}
END_TEST

START_TEST(test_monoid_symmetric_group)
{
    for (uint32_t n = 2; n <= 6; n++) {
        uint32_t *g = g_new(uint32_t, 2 * n);
        for (uint32_t q = 0; q < n; q++) {
            g[q] = q < 2 ? 1 - q : q;
            g[n + q] = (q + 1) % n;
        }
        g_autoptr(LkMonoid) m = lk_monoid_new(n, 2, g, NULL, NULL);
        g_free(g);
        uint32_t fact = 1;
        for (uint32_t i = 2; i <= n; i++) fact *= i;
        ck_assert_uint_eq(lk_monoid_size(m), fact);
        g_autoptr(LkMonoidAnalysis) a = lk_monoid_analyze(m, false);
        ck_assert(a->is_group);
        ck_assert_uint_eq(a->d_classes, 1);
        ck_assert_uint_eq(a->idempotents, 1);
        ck_assert_uint_eq(a->groups->len, 1);
        LkMonoidGroup *grp = &g_array_index(a->groups, LkMonoidGroup, 0);
        ck_assert_uint_eq(grp->order, fact);
        ck_assert(grp->solvable == (n <= 4));
        ck_assert(grp->abelian == (n <= 2));
        ck_assert_int_eq(a->eigenvalues, n == 2 ? LK_EIGEN_NEGATIVE : LK_EIGEN_COMPLEX);
        ck_assert_int_eq(a->max_reflections, n - 1); /* the n-cycle */
    }
}
END_TEST

static LkMonoid *syntactic(const char *rx, const char *alpha, LkMonoidAnalysis **an)
{
    g_autoptr(LkAlphabet) a = alpha ? lk_alphabet_new_chars(alpha, NULL) : NULL;
    g_autoptr(LkRegex) re = lk_regex_parse(rx, a, NULL);
    ck_assert_ptr_nonnull(re);
    g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, NULL);
    LkMonoid *m = lk_monoid_new_from_dfa(d, NULL, NULL);
    *an = lk_monoid_analyze(m, false);
    return m;
}

START_TEST(test_monoid_syntactic_known)
{
    LkMonoidAnalysis *a;
    LkMonoid *m = syntactic("(ab)*", "ab", &a); /* B_2 with identity */
    ck_assert_uint_eq(lk_monoid_size(m), 6);
    ck_assert(a->is_aperiodic);
    ck_assert_int_eq(a->eigenvalues, LK_EIGEN_NONNEGATIVE);
    lk_monoid_analysis_free(a);
    lk_monoid_free(m);
    m = syntactic("(aa)*", "ab", &a);
    ck_assert_uint_eq(lk_monoid_size(m), 3);
    ck_assert(!a->is_aperiodic);
    ck_assert_int_eq(a->eigenvalues, LK_EIGEN_NEGATIVE);
    lk_monoid_analysis_free(a);
    lk_monoid_free(m);
    m = syntactic("(aaa)*", "ab", &a);
    ck_assert_int_eq(a->eigenvalues, LK_EIGEN_COMPLEX);
    ck_assert_uint_eq(a->witness_period, 3);
    lk_monoid_analysis_free(a);
    lk_monoid_free(m);
    m = syntactic("(a|b)*a(a|b)", NULL, &a); /* star-free */
    ck_assert(a->is_aperiodic);
    lk_monoid_analysis_free(a);
    lk_monoid_free(m);
    /* group families */
    static const struct {
        const char *spec;
        uint32_t size;
        LkEigenClass eig;
        bool solvable;
    } fam[] = {{"parity", 2, LK_EIGEN_NEGATIVE, true},     {"Z:4", 4, LK_EIGEN_NEGATIVE, true},
               {"mod:3", 3, LK_EIGEN_COMPLEX, true},       {"A:4", 12, LK_EIGEN_COMPLEX, true},
               {"A:5", 60, LK_EIGEN_COMPLEX, false},       {"D:4", 8, LK_EIGEN_NEGATIVE, true},
               {"S:5/swaps", 120, LK_EIGEN_COMPLEX, false}};
    for (size_t i = 0; i < G_N_ELEMENTS(fam); i++) {
        g_autoptr(LkDfa) d = lk_family_dfa(fam[i].spec, NULL, NULL);
        g_autoptr(LkMonoid) fm = lk_monoid_new_from_dfa(d, NULL, NULL);
        g_autoptr(LkMonoidAnalysis) fa = lk_monoid_analyze(fm, false);
        ck_assert_uint_eq(lk_monoid_size(fm), fam[i].size);
        ck_assert(fa->is_group);
        ck_assert_int_eq(fa->eigenvalues, fam[i].eig);
        ck_assert(fa->groups_solvable == fam[i].solvable);
    }
}
END_TEST

/* ---- naive reference ---- */

typedef struct {
    uint32_t n, size;
    GArray *elems;     /* n bytes each */
    GHashTable *index; /* bytes (owned copy) -> id + 1 */
} Naive;

static guint bytes_hash(gconstpointer p)
{
    const uint8_t *b = p;
    guint h = 5381;
    for (uint32_t i = 1; i <= b[0]; i++) h = h * 33 + b[i];
    return h;
}

static gboolean bytes_eq(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, ((const uint8_t *)a)[0] + 1u) == 0;
}

static uint32_t naive_id(Naive *nv, const uint8_t *t)
{
    uint8_t key[64];
    key[0] = (uint8_t)nv->n;
    memcpy(key + 1, t, nv->n);
    gpointer v = g_hash_table_lookup(nv->index, key);
    if (v) return GPOINTER_TO_UINT(v) - 1;
    g_array_append_vals(nv->elems, t, nv->n);
    g_hash_table_insert(nv->index, g_memdup2(key, nv->n + 1), GUINT_TO_POINTER(nv->size + 1));
    return nv->size++;
}

static const uint8_t *nel(const Naive *nv, uint32_t x)
{
    return (const uint8_t *)nv->elems->data + (size_t)x * nv->n;
}

static uint32_t nmul(Naive *nv, uint32_t x, uint32_t y)
{
    uint8_t t[64];
    for (uint32_t q = 0; q < nv->n; q++) t[q] = nel(nv, y)[nel(nv, x)[q]];
    return naive_id(nv, t);
}

/* Sorted set of elements as a string key. */
static char *set_key(GArray *ids)
{
    uint8_t *seen = g_new0(uint8_t, 4096);
    for (guint i = 0; i < ids->len; i++) seen[g_array_index(ids, uint32_t, i)] = 1;
    GString *s = g_string_new(NULL);
    for (uint32_t i = 0; i < 4096; i++)
        if (seen[i]) g_string_append_printf(s, "%u,", i);
    g_free(seen);
    return g_string_free(s, FALSE);
}

static uint32_t count_classes(Naive *nv, int kind)
{
    GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (uint32_t x = 0; x < nv->size; x++) {
        GArray *ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        for (uint32_t y = 0; y < nv->size; y++) {
            uint32_t v;
            if (kind == 0)
                v = nmul(nv, x, y); /* xM */
            else if (kind == 1)
                v = nmul(nv, y, x); /* Mx */
            else {                  /* MxM */
                for (uint32_t z = 0; z < nv->size; z++) {
                    v = nmul(nv, nmul(nv, y, x), z);
                    g_array_append_val(ids, v);
                }
                continue;
            }
            g_array_append_val(ids, v);
        }
        g_hash_table_add(keys, set_key(ids));
        g_array_unref(ids);
    }
    uint32_t c = g_hash_table_size(keys);
    g_hash_table_unref(keys);
    return c;
}

START_TEST(test_monoid_random_dfas_vs_naive)
{
    lk_test_srand(21);
    g_autoptr(LkAlphabet) ab = lk_alphabet_new_chars("ab", NULL);
    g_autoptr(LkAlphabet) abc = lk_alphabet_new_chars("abc", NULL);
    for (int iter = 0; iter < 40; iter++) {
        LkAlphabet *al = iter % 2 ? ab : abc;
        uint32_t n = 2 + lk_test_below(4);
        g_autoptr(LkDfa) d = lk_test_random_dfa(al, n, 40);
        g_autoptr(LkMonoid) m = lk_monoid_new_from_dfa(d, NULL, NULL);
        Naive nv = {n, 0, g_array_new(FALSE, FALSE, 1),
                    g_hash_table_new_full(bytes_hash, bytes_eq, g_free, NULL)};
        uint8_t t[64];
        for (uint32_t q = 0; q < n; q++) t[q] = (uint8_t)q;
        naive_id(&nv, t);
        for (uint32_t x = 0; x < nv.size; x++) /* BFS in the same shortlex order */
            for (uint32_t a = 0; a < d->k; a++) {
                for (uint32_t q = 0; q < n; q++)
                    t[q] = (uint8_t)d->delta[nel(&nv, x)[q] * d->k + a];
                uint32_t y = naive_id(&nv, t);
                ck_assert_uint_eq(lk_monoid_right(m, x, a), y);
            }
        ck_assert_uint_eq(lk_monoid_size(m), nv.size);
        uint32_t idem = 0;
        for (uint32_t x = 0; x < nv.size; x++) {
            for (uint32_t q = 0; q < n; q++)
                ck_assert_uint_eq(lk_monoid_image(m, x, q), nel(&nv, x)[q]);
            if (nmul(&nv, x, x) == x) idem++;
            /* left graph: a·x */
            for (uint32_t a = 0; a < d->k; a++) {
                uint32_t ga = lk_monoid_right(m, 0, a);
                ck_assert_uint_eq(lk_monoid_left(m, x, a), nmul(&nv, ga, x));
            }
            /* index and period by powers */
            uint32_t pw[300], cnt = 0, idx, per;
            pw[cnt++] = x;
            for (;;) {
                uint32_t nx = nmul(&nv, pw[cnt - 1], x), found = UINT32_MAX;
                for (uint32_t j = 0; j < cnt; j++)
                    if (pw[j] == nx) found = j;
                if (found != UINT32_MAX) {
                    lk_monoid_index_period(m, x, NULL, &idx, &per);
                    ck_assert_uint_eq(idx, found + 1);
                    ck_assert_uint_eq(per, cnt - found);
                    break;
                }
                pw[cnt++] = nx;
            }
            /* the shortest word evaluates to x */
            g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
            lk_monoid_word(m, x, w);
            for (uint32_t q = 0; q < n; q++)
                ck_assert_uint_eq(lk_dfa_run(d, q, (uint32_t *)w->data, w->len), nel(&nv, x)[q]);
        }
        g_autoptr(LkMonoidAnalysis) an = lk_monoid_analyze(m, true);
        ck_assert_uint_eq(an->idempotents, idem);
        if (nv.size <= 120) {
            ck_assert_uint_eq(an->r_classes, count_classes(&nv, 0));
            ck_assert_uint_eq(an->l_classes, count_classes(&nv, 1));
            ck_assert_uint_eq(an->d_classes, count_classes(&nv, 2));
            /* H by brute force: pairs (xM, Mx) */
            GHashTable *hk = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
            for (uint32_t x = 0; x < nv.size; x++)
                g_hash_table_add(hk, g_strdup_printf("%u/%u", an->r_class[x], an->l_class[x]));
            ck_assert_uint_eq(an->h_classes, g_hash_table_size(hk));
            g_hash_table_unref(hk);
        }
        g_array_unref(nv.elems);
        g_hash_table_unref(nv.index);
    }
}
END_TEST

/* Egg boxes against their definition on random DFAs' monoids: every element
 * in exactly one cell, a cell's elements share the D-, R- and L-class its
 * row and column name, rows and columns numbered by first element, and one
 * non-empty cell per H-class (R ∩ L is never empty inside a D-class). */
START_TEST(test_monoid_egg_boxes)
{
    lk_test_srand(27);
    g_autoptr(LkAlphabet) ab = lk_alphabet_new_chars("ab", NULL);
    for (int iter = 0; iter < 40; iter++) {
        g_autoptr(LkDfa) d = lk_test_random_dfa(ab, 2 + lk_test_below(5), 40);
        g_autoptr(LkMonoid) m = lk_monoid_new_from_dfa(d, NULL, NULL);
        g_autoptr(LkMonoidAnalysis) a = lk_monoid_analyze(m, true);
        g_autoptr(GPtrArray) boxes = lk_monoid_egg_boxes(m, a);
        const uint32_t n = lk_monoid_size(m);
        ck_assert_uint_eq(boxes->len, a->d_classes);
        g_autofree uint32_t *seen = g_new0(uint32_t, n);
        uint32_t cells = 0;
        for (guint i = 0; i < boxes->len; i++) {
            const LkEggBox *b = boxes->pdata[i];
            ck_assert_uint_eq(b->cell[(size_t)b->rows * b->cols], b->size);
            for (uint32_t r = 0; r < b->rows; r++)
                for (uint32_t c = 0; c < b->cols; c++) {
                    const size_t k = (size_t)r * b->cols + c;
                    ck_assert_uint_gt(b->cell[k + 1], b->cell[k]);
                    cells++;
                    for (uint32_t e = b->cell[k]; e < b->cell[k + 1]; e++) {
                        const uint32_t x = b->elements[e];
                        seen[x]++;
                        ck_assert_uint_eq(a->d_class[x], i);
                        ck_assert_uint_eq(a->r_class[x], b->row_class[r]);
                        ck_assert_uint_eq(a->l_class[x], b->col_class[c]);
                        if (e > b->cell[k]) ck_assert_uint_lt(b->elements[e - 1], x);
                    }
                }
            /* first elements of rows (and columns) ascend */
            uint32_t prev = 0;
            for (uint32_t r = 0; r < b->rows; r++) {
                uint32_t first = UINT32_MAX;
                for (uint32_t x = 0; x < n; x++)
                    if (a->r_class[x] == b->row_class[r]) {
                        first = x;
                        break;
                    }
                if (r) ck_assert_uint_gt(first, prev);
                prev = first;
            }
        }
        for (uint32_t x = 0; x < n; x++) ck_assert_uint_eq(seen[x], 1);
        ck_assert_uint_eq(cells, a->h_classes);
    }
}
END_TEST

START_TEST(test_monoid_limits_and_bad_json)
{
    GError *err = NULL;
    uint32_t g[3 * 6];
    for (uint32_t q = 0; q < 6; q++)
        g[q] = (q + 1) % 6, g[6 + q] = q < 2 ? 1 - q : q, g[12 + q] = q == 1 ? 0 : q;
    ck_assert_ptr_null(lk_monoid_new(6, 3, g, &(LkLimits){.max_elements = 1000}, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
    static const char *bad[] = {"",
                                "[]",
                                "{\"degree\": 2}",
                                "{\"degree\": -1, \"generators\": []}",
                                "{\"degree\": 2, \"generators\": [[0]]}",
                                "{\"degree\": 2, \"generators\": [[0, 2]]}",
                                "{\"degree\": 2, \"generators\": [[0, \"1\"]]}"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        LkMonoid *m = lk_monoid_new_from_json(bad[i], -1, "t.json", NULL, &err);
        if (m) ck_abort_msg("case %zu accepted", i);
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_clear_error(&err);
    }
    LkMonoid *ok = lk_monoid_new_from_json("{\"degree\": 3, \"generators\": [[1, 2, 0]]}", -1, NULL,
                                           NULL, NULL);
    ck_assert_uint_eq(lk_monoid_size(ok), 3);
    lk_monoid_free(ok);
}
END_TEST

static Suite *monoid_suite(void)
{
    Suite *s = suite_create("monoid");
    TCase *tc = tcase_create("known");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_monoid_full_transformation_monoid);
    tcase_add_test(tc, test_monoid_symmetric_group);
    tcase_add_test(tc, test_monoid_syntactic_known);
    suite_add_tcase(s, tc);
    tc = tcase_create("naive");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_monoid_random_dfas_vs_naive);
    tcase_add_test(tc, test_monoid_egg_boxes);
    tcase_add_test(tc, test_monoid_limits_and_bad_json);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(monoid_suite)
