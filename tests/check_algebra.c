/* Tests of the DFA algebra, counting, sampling and the built-in families,
 * each against an independent reference (brute force, closed forms,
 * group multiplication, arithmetic). */
#include "automata/count.h"
#include "automata/families.h"
#include "automata/regex.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

static LkDfa *rx(const char *text, const char *alpha)
{
    g_autoptr(LkAlphabet) a = alpha ? lk_alphabet_new_chars(alpha, NULL) : NULL;
    GError *err = NULL;
    g_autoptr(LkRegex) re = lk_regex_parse(text, a, &err);
    if (!re) ck_abort_msg("'%s': %s", text, err->message);
    LkDfa *d = lk_regex_compile(re, NULL, &err);
    ck_assert_ptr_nonnull(d);
    return d;
}

static const char *RANDOM_PARTS[] = {"a",  "b",      "(a|b)", "a*",      "(ab)*",
                                     "b+", "(a|bb)", "()",    "[ab]{2}", "~(a*)"};

static char *random_rx(void)
{
    GString *s = g_string_new(NULL);
    int n = 1 + (int)lk_test_below(4);
    for (int i = 0; i < n; i++) {
        if (i && lk_test_below(3) == 0) g_string_append_c(s, '|');
        g_string_append(s, RANDOM_PARTS[lk_test_below(G_N_ELEMENTS(RANDOM_PARTS))]);
        if (lk_test_below(4) == 0) g_string_append_c(s, '*');
    }
    return g_string_free(s, FALSE);
}

static LkDfa *prod_min(const LkDfa *a, const LkDfa *b, LkProductOp op)
{
    g_autoptr(LkDfa) p = lk_dfa_product(a, b, op, NULL, NULL);
    return lk_dfa_minimize(p);
}

START_TEST(test_dfa_product_de_morgan)
{
    lk_test_srand(11);
    for (int iter = 0; iter < 200; iter++) {
        g_autofree char *r1 = random_rx(), *r2 = random_rx();
        g_autoptr(LkDfa) a = rx(r1, "ab"), b = rx(r2, "ab");
        g_autoptr(LkDfa) na = lk_dfa_complement(a), nb = lk_dfa_complement(b);
        g_autoptr(LkDfa) uni = prod_min(a, b, LK_PRODUCT_OR);
        g_autoptr(LkDfa) not_uni = lk_dfa_complement(uni);
        g_autoptr(LkDfa) inter_n = prod_min(na, nb, LK_PRODUCT_AND);
        ck_assert(lk_dfa_equal(not_uni, inter_n));
        g_autoptr(LkDfa) contra = prod_min(a, na, LK_PRODUCT_AND);
        ck_assert(lk_dfa_is_empty(contra));
        g_autoptr(LkDfa) diff = prod_min(a, b, LK_PRODUCT_DIFF);
        g_autoptr(LkDfa) diff2 = prod_min(a, nb, LK_PRODUCT_AND);
        ck_assert(lk_dfa_equal(diff, diff2));
        /* regex-level operators agree with the products */
        g_autofree char *both = g_strdup_printf("(%s)&(%s)", r1, r2);
        g_autoptr(LkDfa) inter_rx = rx(both, "ab");
        g_autoptr(LkDfa) inter = prod_min(a, b, LK_PRODUCT_AND);
        ck_assert(lk_dfa_equal(inter_rx, inter));
    }
}
END_TEST

START_TEST(test_dfa_equivalent_known_pairs)
{
    static const char *same[][2] = {
        {"(a|b)*", "(a*b*)*"},      {"(ab)*a", "a(ba)*"},         {"a*a", "a+"},
        {"(a|b)*abb", "(a|b)*abb"}, {"()|a(a|b)*", "(a(a|b)*)?"}, {"~(~a)", "a"},
        {"(a*b)*a*", "(a|b)*"},     {"b*(ab*ab*)*", "(b|ab*a)*"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(same); i++) {
        g_autoptr(LkDfa) a = rx(same[i][0], "ab"), b = rx(same[i][1], "ab");
        g_autoptr(GArray) cex = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        bool yes = false;
        ck_assert(lk_dfa_equivalent(a, b, &yes, cex, NULL, NULL) && yes);
        ck_assert_uint_eq(cex->len, 0);
        ck_assert(lk_dfa_included(a, b, &yes, NULL, NULL, NULL) && yes);
    }
}
END_TEST

typedef struct {
    const LkDfa *a, *b;
    size_t len;
    bool found;
    uint32_t first[32];
} FirstDiff;

static void first_diff(const uint32_t *w, size_t len, void *ud)
{
    FirstDiff *f = ud;
    if (f->found) return;
    if (lk_dfa_accepts(f->a, w, len) != lk_dfa_accepts(f->b, w, len)) {
        f->found = true;
        f->len = len;
        memcpy(f->first, w, len * sizeof(uint32_t));
    }
}

START_TEST(test_dfa_equivalent_shortest_counterexample)
{
    lk_test_srand(12);
    int different = 0;
    for (int iter = 0; iter < 300; iter++) {
        g_autofree char *r1 = random_rx(), *r2 = random_rx();
        g_autoptr(LkDfa) a = rx(r1, "ab"), b = rx(r2, "ab");
        g_autoptr(GArray) cex = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        bool eq;
        ck_assert(lk_dfa_equivalent(a, b, &eq, cex, NULL, NULL));
        FirstDiff f = {a, b, 0, false, {0}};
        lk_test_each_word_shortlex(2, eq ? 10 : cex->len, first_diff, &f);
        if (eq) {
            ck_assert(!f.found);
            continue;
        }
        different++;
        ck_assert(f.found);
        ck_assert_uint_eq(f.len, cex->len);
        ck_assert(f.len == 0 || memcmp(f.first, cex->data, f.len * sizeof(uint32_t)) == 0);
        /* inclusion: a counterexample is in a and not in b */
        g_autoptr(GArray) inc = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        bool in;
        ck_assert(lk_dfa_included(a, b, &in, inc, NULL, NULL));
        if (!in) {
            ck_assert(lk_dfa_accepts(a, (uint32_t *)inc->data, inc->len));
            ck_assert(!lk_dfa_accepts(b, (uint32_t *)inc->data, inc->len));
        }
    }
    ck_assert_int_gt(different, 100);
}
END_TEST

typedef struct {
    const LkDfa *d;
    uint64_t *per_len;
} CountWords;

static void count_word(const uint32_t *w, size_t len, void *ud)
{
    CountWords *c = ud;
    if (lk_dfa_accepts(c->d, w, len)) c->per_len[len]++;
}

START_TEST(test_dfa_count_brute_force)
{
    lk_test_srand(13);
    for (int iter = 0; iter < 100; iter++) {
        g_autofree char *r = random_rx();
        g_autoptr(LkDfa) d = rx(r, "ab");
        uint64_t per_len[13] = {0};
        CountWords cw = {d, per_len};
        lk_test_each_word(2, 12, count_word, &cw);
        mpz_t c[13];
        for (int i = 0; i <= 12; i++) mpz_init(c[i]);
        lk_dfa_count_up_to(d, 12, c);
        g_autoptr(LkCountTable) t = lk_count_table_new(d, 12);
        mpz_t x;
        mpz_init(x);
        for (int i = 0; i <= 12; i++) {
            ck_assert(mpz_cmp_ui(c[i], per_len[i]) == 0);
            lk_count_table_get(t, (uint32_t)i, x);
            ck_assert(mpz_cmp_ui(x, per_len[i]) == 0);
            mpz_clear(c[i]);
        }
        mpz_clear(x);
    }
}
END_TEST

START_TEST(test_dfa_count_closed_forms)
{
    /* (a|b)*a(a|b){k}: a word of length n >= k+1 is accepted iff its letter
     * k+1 from the end is a: 2^(n-1) words. Parity: 2^(n-1) for n >= 1. */
    g_autoptr(LkDfa) suffix = rx("(a|b)*a(a|b){5}", NULL);
    g_autoptr(LkDfa) parity = lk_family_dfa("parity", NULL, NULL);
    mpz_t got, want;
    mpz_inits(got, want, NULL);
    const uint32_t lens[] = {6, 100, 1000, 10000};
    for (size_t i = 0; i < G_N_ELEMENTS(lens); i++) {
        mpz_ui_pow_ui(want, 2, lens[i] - 1);
        lk_dfa_count(suffix, lens[i], got);
        ck_assert(mpz_cmp(got, want) == 0);
        lk_dfa_count(parity, lens[i], got);
        ck_assert(mpz_cmp(got, want) == 0);
    }
    /* a*b*: n + 1 words of length n; mod:3 over {0,1}: (2^n + 2 Re w^n)/3 */
    g_autoptr(LkDfa) ab = rx("a*b*", NULL);
    lk_dfa_count(ab, 10000, got);
    ck_assert(mpz_cmp_ui(got, 10001) == 0);
    g_autoptr(LkDfa) m3 = lk_family_dfa("mod:3", NULL, NULL);
    for (uint32_t n = 1; n < 60; n++) { /* #{w : #1 = 0 mod 3} = sum_j C(n, 3j) */
        mpz_set_ui(want, 0);
        for (uint32_t j = 0; 3 * j <= n; j++) {
            mpz_t b;
            mpz_init(b);
            mpz_bin_uiui(b, n, 3 * j);
            mpz_add(want, want, b);
            mpz_clear(b);
        }
        lk_dfa_count(m3, n, got);
        ck_assert(mpz_cmp(got, want) == 0);
    }
    mpz_clears(got, want, NULL);
}
END_TEST

START_TEST(test_dfa_sample_uniform_chi_square)
{
    /* (a|b)*a(a|b): 8 accepted words of length 4; 16000 draws. */
    g_autoptr(LkDfa) d = rx("(a|b)*a(a|b)", NULL);
    g_autoptr(LkCountTable) t = lk_count_table_new(d, 4);
    LkRng rng;
    lk_rng_init(&rng, lk_test_seed());
    uint32_t hist[16] = {0};
    const int draws = 16000;
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (int i = 0; i < draws; i++) {
        g_array_set_size(w, 0);
        ck_assert(lk_count_table_sample(t, &rng, 4, w));
        ck_assert_uint_eq(w->len, 4);
        ck_assert(lk_dfa_accepts(d, (uint32_t *)w->data, 4));
        uint32_t code = 0;
        for (int j = 0; j < 4; j++) code = code * 2 + g_array_index(w, uint32_t, j);
        hist[code]++;
    }
    double chi = 0, expect = draws / 8.0;
    int cells = 0;
    for (int c = 0; c < 16; c++) {
        if (!hist[c]) continue;
        cells++;
        chi += (hist[c] - expect) * (hist[c] - expect) / expect;
    }
    ck_assert_int_eq(cells, 8);
    ck_assert_msg(chi < 24.32, "chi-square %.2f with 7 degrees of freedom (p < 0.001)", chi);
    /* determinism: the same seed gives the same words */
    LkRng r1, r2;
    lk_rng_init(&r1, 42);
    lk_rng_init(&r2, 42);
    g_autoptr(GArray) w1 = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GArray) w2 = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (int i = 0; i < 50; i++) {
        lk_count_table_sample(t, &r1, 4, w1);
        lk_count_table_sample(t, &r2, 4, w2);
    }
    ck_assert(memcmp(w1->data, w2->data, w1->len * 4) == 0);
    /* no accepted word: false */
    g_autoptr(LkDfa) e = rx("aaa", NULL);
    g_autoptr(LkCountTable) te = lk_count_table_new(e, 5);
    ck_assert(!lk_count_table_sample(te, &rng, 5, w));
}
END_TEST

START_TEST(test_rng_below_uniform)
{
    LkRng r;
    lk_rng_init(&r, 7);
    uint32_t hist[10] = {0};
    for (int i = 0; i < 100000; i++) hist[lk_rng_below(&r, 10)]++;
    double chi = 0;
    for (int i = 0; i < 10; i++) chi += (hist[i] - 10000.0) * (hist[i] - 10000.0) / 10000.0;
    ck_assert(chi < 27.88); /* 9 dof, p = 0.001 */
    /* xoshiro256** reference: seed 0 via splitmix64 */
    lk_rng_init(&r, 0);
    uint64_t first = lk_rng_next(&r);
    LkRng r2;
    lk_rng_init(&r2, 0);
    ck_assert(first == lk_rng_next(&r2));
    mpz_t n, x;
    mpz_init_set_str(n, "1000000000000000000000000000007", 10);
    mpz_init(x);
    for (int i = 0; i < 1000; i++) {
        lk_rng_mpz_below(&r, x, n);
        ck_assert(mpz_sgn(x) >= 0 && mpz_cmp(x, n) < 0);
    }
    mpz_clears(n, x, NULL);
}
END_TEST

/* ---- families against their definitions ---- */

typedef struct {
    const LkDfa *d;
    const uint8_t *perms;
    uint32_t degree;
} GroupCheck;

static void group_word(const uint32_t *w, size_t len, void *ud)
{
    GroupCheck *g = ud;
    uint8_t cur[32], nxt[32];
    for (uint32_t x = 0; x < g->degree; x++) cur[x] = (uint8_t)x;
    for (size_t i = 0; i < len; i++) { /* apply w[0] first */
        const uint8_t *h = g->perms + (size_t)w[i] * g->degree;
        for (uint32_t x = 0; x < g->degree; x++) nxt[x] = h[cur[x]];
        memcpy(cur, nxt, g->degree);
    }
    bool id = true;
    for (uint32_t x = 0; x < g->degree; x++) id = id && cur[x] == x;
    ck_assert_int_eq(lk_dfa_accepts(g->d, w, len), id);
}

static void check_group(const char *spec, uint32_t order, uint32_t maxlen)
{
    GError *err = NULL;
    g_autoptr(LkDfa) d = lk_family_dfa(spec, NULL, &err);
    if (!d) ck_abort_msg("%s: %s", spec, err->message);
    ck_assert_msg(d->n == order, "%s has %u states, want %u", spec, d->n, order);
    uint32_t degree, k;
    g_autofree uint8_t *perms = lk_family_token_perms(spec, &degree, &k, NULL);
    ck_assert_uint_eq(k, d->k);
    GroupCheck g = {d, perms, degree};
    lk_test_each_word(k, maxlen, group_word, &g);
}

START_TEST(test_family_groups_word_problem)
{
    check_group("Z:5", 5, 5);
    check_group("Z:12/gens", 12, 14);
    check_group("S:3", 6, 4);
    check_group("S:4", 24, 3);
    check_group("S:4/swaps", 24, 4);
    check_group("S:5/swaps", 120, 3);
    check_group("S:5/gens", 120, 10);
    check_group("S:5/swaps3", 120, 2);
    check_group("A:4", 12, 3);
    check_group("A:5/gens", 60, 8);
    check_group("A:5/swaps3", 60, 2);
    check_group("D:4", 8, 4);
    check_group("D:7/gens", 14, 10);
    /* sizes only */
    g_autoptr(LkDfa) s5 = lk_family_dfa("S:5", NULL, NULL);
    ck_assert_uint_eq(s5->n, 120);
    ck_assert_uint_eq(s5->k, 120);
    g_autoptr(LkDfa) a5 = lk_family_dfa("A:5", NULL, NULL);
    ck_assert_uint_eq(a5->n, 60);
    ck_assert_uint_eq(a5->k, 60);
    ck_assert_str_eq(lk_alphabet_name(s5->alphabet, 0), "e");
    /* a cycle-notation name round trip on S_5: (12) applied then (23) is (132) */
    int64_t t12 = lk_alphabet_index(s5->alphabet, "(12)"),
            t23 = lk_alphabet_index(s5->alphabet, "(23)");
    int64_t t132 = lk_alphabet_index(s5->alphabet, "(132)");
    ck_assert(t12 >= 0 && t23 >= 0 && t132 >= 0);
    uint32_t q = lk_dfa_run(s5, s5->start, (uint32_t[]){(uint32_t)t12, (uint32_t)t23}, 2);
    ck_assert_uint_eq(q, lk_dfa_run(s5, s5->start, (uint32_t[]){(uint32_t)t132}, 1));
}
END_TEST

static int arith_eval(const char *w, size_t len)
{
    /* d (op d)* = r, * before + -; returns 1 true, 0 false, -1 malformed */
    if (len < 3 || w[len - 2] != '=' || !g_ascii_isdigit(w[len - 1])) return -1;
    int sum = 0, term = 0, sign = 1;
    size_t i = 0;
    for (;;) {
        if (i >= len - 2 || !g_ascii_isdigit(w[i])) return -1;
        int prod = w[i++] - '0';
        while (i < len - 2 && w[i] == '*') {
            if (i + 1 >= len - 2 || !g_ascii_isdigit(w[i + 1])) return -1;
            prod = prod * (w[i + 1] - '0') % 5;
            i += 2;
        }
        term = prod;
        sum = (sum + sign * term + 25) % 5;
        if (i == len - 2) break;
        if (w[i] != '+' && w[i] != '-') return -1;
        sign = w[i] == '+' ? 1 : -1;
        i++;
    }
    return sum == w[len - 1] - '0';
}

static void arith_word(const uint32_t *w, size_t len, void *ud)
{
    const LkDfa *d = ud;
    char buf[16];
    for (size_t i = 0; i < len; i++) buf[i] = lk_alphabet_name(d->alphabet, w[i])[0];
    ck_assert_int_eq(lk_dfa_accepts(d, w, len), arith_eval(buf, len) == 1);
}

typedef struct {
    const LkDfa *d;
    int which; /* 0 parity, 1 flipflop, 2 evenpairs, 3 cycle5, 4 mod3 */
} SimpleCheck;

static void simple_word(const uint32_t *w, size_t len, void *ud)
{
    SimpleCheck *c = ud;
    const LkDfa *d = c->d;
    bool want = true;
    const char *nm[16];
    for (size_t i = 0; i < len; i++) nm[i] = lk_alphabet_name(d->alphabet, w[i]);
    if (c->which == 0 || c->which == 4) {
        int ones = 0;
        for (size_t i = 0; i < len; i++) ones += strcmp(nm[i], "1") == 0;
        want = ones % (c->which == 0 ? 2 : 3) == 0;
    } else if (c->which == 1) { /* the last written bit is 1 */
        int mem = 0;
        for (size_t i = 0; i < len; i++)
            if (nm[i][0] == 'w') mem = nm[i][1] - '0';
        want = mem == 1;
    } else if (c->which == 2) {
        int pairs = 0;
        for (size_t i = 0; i + 1 < len; i++) pairs += strcmp(nm[i], nm[i + 1]) != 0;
        want = pairs % 2 == 0;
    } else {
        int pos = 0;
        for (size_t i = 0; i < len; i++) pos += nm[i][0] == '+' ? 1 : nm[i][0] == '-' ? -1 : 0;
        want = ((pos % 5) + 5) % 5 == 0;
    }
    ck_assert_int_eq(lk_dfa_accepts(d, w, len), want);
}

START_TEST(test_family_other_definitions)
{
    static const struct {
        const char *spec;
        int which;
        uint32_t maxlen, states;
    } cases[] = {{"parity", 0, 12, 2},
                 {"flipflop", 1, 8, 2},
                 {"evenpairs", 2, 12, 5},
                 {"cycle:5", 3, 9, 5},
                 {"mod:3", 4, 12, 3}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(LkDfa) d = lk_family_dfa(cases[i].spec, NULL, NULL);
        ck_assert_ptr_nonnull(d);
        ck_assert_uint_eq(d->n, cases[i].states);
        SimpleCheck c = {d, cases[i].which};
        lk_test_each_word(d->k, cases[i].maxlen, simple_word, &c);
    }
    g_autoptr(LkDfa) ar = lk_family_dfa("arith", NULL, NULL);
    ck_assert_ptr_nonnull(ar);
    lk_test_each_word(ar->k, 6, arith_word, (void *)ar);
}
END_TEST

START_TEST(test_family_rejects_bad_names)
{
    static const char *bad[] = {"nope",        "S",   "S:1",       "S:x",  "S:5/nope", "Z:0", "D:2",
                                "parity/gens", "mod", "A:5/swaps", "S:20", "S:9/all",  ""};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        LkDfa *d = lk_family_dfa(bad[i], NULL, &err);
        if (d) ck_abort_msg("'%s' accepted", bad[i]);
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_error_free(err);
    }
    GError *err = NULL;
    LkLimits lim = {.max_states = 100};
    ck_assert_ptr_null(lk_family_dfa("S:6/swaps", &lim, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_error_free(err);
}
END_TEST

static Suite *algebra_suite(void)
{
    Suite *s = suite_create("algebra");
    TCase *tc = tcase_create("ops");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_dfa_product_de_morgan);
    tcase_add_test(tc, test_dfa_equivalent_known_pairs);
    tcase_add_test(tc, test_dfa_equivalent_shortest_counterexample);
    suite_add_tcase(s, tc);
    tc = tcase_create("count");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_dfa_count_brute_force);
    tcase_add_test(tc, test_dfa_count_closed_forms);
    tcase_add_test(tc, test_dfa_sample_uniform_chi_square);
    tcase_add_test(tc, test_rng_below_uniform);
    suite_add_tcase(s, tc);
    tc = tcase_create("families");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_family_groups_word_problem);
    tcase_add_test(tc, test_family_other_definitions);
    tcase_add_test(tc, test_family_rejects_bad_names);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(algebra_suite)
