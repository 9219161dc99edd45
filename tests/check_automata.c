/* Tests of automata/: regex parsing, compilation, minimization, DFA files.
 * Random cases use the seeded PRNG of testutil.h (LK_TEST_SEED). */
#include "automata/nfa-private.h"
#include "automata/vec-private.h"
#include "automata/json-util.h"
#include "automata/regex.h"
#include "automata/semigroup/monoid.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

static LkAlphabet *chars(const char *s)
{
    LkAlphabet *a = lk_alphabet_new_chars(s, NULL);
    ck_assert_ptr_nonnull(a);
    return a;
}

static LkDfa *compile(const char *rx, const char *alpha, LkMinimizer how)
{
    g_autoptr(LkAlphabet) a = alpha ? chars(alpha) : NULL;
    GError *err = NULL;
    g_autoptr(LkRegex) re = lk_regex_parse(rx, a, &err);
    if (!re) ck_abort_msg("parse '%s': %s", rx, err->message);
    LkDfa *d = lk_regex_compile_with(re, how, NULL, &err);
    if (!d) ck_abort_msg("compile '%s': %s", rx, err->message);
    return d;
}

/* ---- random regexes ---- */

static void random_regex(GString *s, const char *alpha, int depth)
{
    size_t k = strlen(alpha);
    uint32_t r = lk_test_below(depth <= 0 ? 6 : 16);
    switch (r) {
    case 0:
    case 1:
    case 2:
        g_string_append_c(s, alpha[lk_test_below((uint32_t)k)]);
        return;
    case 3:
        g_string_append_printf(s, "[%c%c]", alpha[0], alpha[k - 1]);
        return;
    case 4:
        g_string_append(s, lk_test_below(3) ? "." : "()");
        return;
    case 5:
        g_string_append_printf(s, "[^%c]", alpha[lk_test_below((uint32_t)k)]);
        return;
    case 6:
    case 7:
    case 8:
        g_string_append_c(s, '(');
        random_regex(s, alpha, depth - 1);
        random_regex(s, alpha, depth - 1);
        if (lk_test_below(2)) random_regex(s, alpha, depth - 1);
        g_string_append_c(s, ')');
        return;
    case 9:
    case 10:
        g_string_append_c(s, '(');
        random_regex(s, alpha, depth - 1);
        g_string_append_c(s, '|');
        random_regex(s, alpha, depth - 1);
        g_string_append_c(s, ')');
        return;
    case 11:
    case 12: {
        static const char *post[] = {"*", "+", "?", "{2}", "{1,3}", "{2,}", "{0,2}", "{0}"};
        g_string_append_c(s, '(');
        random_regex(s, alpha, depth - 1);
        g_string_append_printf(s, ")%s", post[lk_test_below(8)]);
        return;
    }
    case 13:
    case 14:
        g_string_append_c(s, '(');
        random_regex(s, alpha, depth - 1);
        g_string_append_c(s, '&');
        random_regex(s, alpha, depth - 1);
        g_string_append_c(s, ')');
        return;
    default:
        g_string_append(s, "~(");
        random_regex(s, alpha, depth - 1);
        g_string_append_c(s, ')');
        return;
    }
}

typedef struct {
    const LkRegex *re;
    const LkDfa *d;
    const char *text;
    uint64_t words;
} MatchCheck;

static void check_word(const uint32_t *w, size_t len, void *ud)
{
    MatchCheck *mc = ud;
    bool expect = lk_regex_matches_backtrack(mc->re, w, len);
    if (lk_dfa_accepts(mc->d, w, len) != expect) {
        char *ws = lk_alphabet_word_to_string(mc->d->alphabet, w, len);
        ck_abort_msg("regex '%s' on word '%s': DFA says %d, backtracking %d", mc->text, ws, !expect,
                     expect);
    }
    mc->words++;
}

START_TEST(test_regex_compile_matches_backtracking)
{
    lk_test_srand(1);
    g_autoptr(LkAlphabet) ab = chars("ab");
    for (int iter = 0; iter < 300; iter++) {
        g_autoptr(GString) s = g_string_new(NULL);
        random_regex(s, "ab", 4);
        GError *err = NULL;
        g_autoptr(LkRegex) re = lk_regex_parse(s->str, ab, &err);
        if (!re) ck_abort_msg("parse '%s': %s", s->str, err->message);
        g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, &err);
        ck_assert_ptr_nonnull(d);
        MatchCheck mc = {re, d, s->str, 0};
        lk_test_each_word(2, 8, check_word, &mc);
        ck_assert_uint_eq(mc.words, 511);
    }
}
END_TEST

START_TEST(test_regex_compile_matches_backtracking_3)
{
    lk_test_srand(2);
    g_autoptr(LkAlphabet) abc = chars("abc");
    for (int iter = 0; iter < 100; iter++) {
        g_autoptr(GString) s = g_string_new(NULL);
        random_regex(s, "abc", 3);
        g_autoptr(LkRegex) re = lk_regex_parse(s->str, abc, NULL);
        ck_assert_ptr_nonnull(re);
        g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, NULL);
        MatchCheck mc = {re, d, s->str, 0};
        lk_test_each_word(3, 6, check_word, &mc);
    }
}
END_TEST

START_TEST(test_regex_compile_hopcroft_equals_brzozowski)
{
    lk_test_srand(3);
    for (int iter = 0; iter < 300; iter++) {
        g_autoptr(GString) s = g_string_new(NULL);
        random_regex(s, "abc", 4);
        g_autoptr(LkDfa) h = compile(s->str, "abc", LK_MINIMIZE_HOPCROFT);
        g_autoptr(LkDfa) b = compile(s->str, "abc", LK_MINIMIZE_BRZOZOWSKI);
        g_autoptr(LkDfa) a = compile(s->str, "abc", LK_MINIMIZE_AUTO);
        if (!lk_dfa_equal(h, b))
            ck_abort_msg("'%s': Hopcroft %u states, Brzozowski %u", s->str, h->n, b->n);
        if (!lk_dfa_equal(h, a))
            ck_abort_msg("'%s': Hopcroft %u states, auto %u", s->str, h->n, a->n);
    }
}
END_TEST

/* Myhill–Nerode by brute force: in a minimal DFA every two states are told
 * apart by some word of length < n. */
static bool distinguishable(const LkDfa *d, uint32_t p, uint32_t q)
{
    uint32_t w[16];
    for (uint32_t len = 0; len < d->n && len < 16; len++) {
        for (uint32_t i = 0; i < len; i++) w[i] = 0;
        for (;;) {
            if (d->accept[lk_dfa_run(d, p, w, len)] != d->accept[lk_dfa_run(d, q, w, len)])
                return true;
            uint32_t i = 0;
            while (i < len && ++w[i] == d->k) w[i++] = 0;
            if (i == len) break;
        }
    }
    return false;
}

typedef struct {
    const LkDfa *a, *b;
} SameLang;

static void same_word(const uint32_t *w, size_t len, void *ud)
{
    SameLang *s = ud;
    ck_assert_int_eq(lk_dfa_accepts(s->a, w, len), lk_dfa_accepts(s->b, w, len));
}

START_TEST(test_dfa_minimize_random)
{
    lk_test_srand(4);
    g_autoptr(LkAlphabet) ab = chars("ab");
    for (int iter = 0; iter < 400; iter++) {
        uint32_t n = 1 + lk_test_below(9);
        g_autoptr(LkDfa) d = lk_test_random_dfa(ab, n, lk_test_below(101));
        g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
        g_autoptr(LkDfa) b = lk_dfa_minimize_brzozowski(d, NULL, NULL);
        ck_assert(lk_dfa_equal(h, b));
        ck_assert_uint_le(h->n, n);
        ck_assert_uint_eq(h->start, 0);
        SameLang s = {d, h};
        lk_test_each_word(2, 9, same_word, &s);
        for (uint32_t p = 0; p < h->n; p++)
            for (uint32_t q = p + 1; q < h->n; q++) ck_assert(distinguishable(h, p, q));
        /* canonical: minimizing again changes nothing */
        g_autoptr(LkDfa) again = lk_dfa_minimize_hopcroft(h);
        ck_assert(lk_dfa_equal(h, again));
    }
}
END_TEST

/* Finite languages take the one-pass (acyclic) path: random DAG automata
 * with a dead sink, and alternations of random words, against Brzozowski,
 * pairwise distinguishability and membership. */
START_TEST(test_dfa_minimize_finite_languages)
{
    lk_test_srand(41);
    g_autoptr(LkAlphabet) abc = chars("abc");
    for (int iter = 0; iter < 250; iter++) {
        const uint32_t n = 2 + lk_test_below(12), dead = n - 1;
        g_autoptr(LkDfa) d = lk_dfa_new(abc, n, 0);
        for (uint32_t q = 0; q < n; q++) {
            d->accept[q] = q != dead && lk_test_below(3) == 0;
            for (uint32_t a = 0; a < 3; a++) /* forward edges only, or the sink */
                d->delta[q * 3 + a] =
                    q == dead || lk_test_below(4) == 0 ? dead : q + 1 + lk_test_below(n - 1 - q);
        }
        g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
        g_autoptr(LkDfa) b = lk_dfa_minimize_brzozowski(d, NULL, NULL);
        ck_assert(lk_dfa_equal(h, b));
        SameLang sl = {d, h};
        lk_test_each_word(3, MIN(n, 7), same_word, &sl); /* words of the DAG are shorter than n */
        for (uint32_t p = 0; p < h->n; p++)
            for (uint32_t q = p + 1; q < h->n; q++) ck_assert(distinguishable(h, p, q));
    }
    for (int iter = 0; iter < 100; iter++) { /* word sets as regexes */
        GString *rx = g_string_new(NULL);
        GHashTable *set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        const int words = 1 + lk_test_below(30);
        for (int i = 0; i < words; i++) {
            char wd[8];
            const uint32_t len = lk_test_below(7);
            for (uint32_t j = 0; j < len; j++) wd[j] = (char)('a' + lk_test_below(3));
            wd[len] = 0;
            g_string_append_printf(rx, "%s%s", i ? "|" : "", len ? wd : "()");
            g_hash_table_add(set, g_strdup(wd));
        }
        g_autoptr(LkRegex) re = lk_regex_parse(rx->str, abc, NULL);
        ck_assert_ptr_nonnull(re);
        g_autoptr(LkDfa) h = lk_regex_compile(re, NULL, NULL);
        g_autoptr(LkDfa) b = lk_regex_compile_with(re, LK_MINIMIZE_BRZOZOWSKI, NULL, NULL);
        ck_assert(lk_dfa_equal(h, b));
        uint32_t w[7];
        char txt[8];
        for (uint32_t len = 0; len <= 7; len++) /* every word of length <= 7 */
            for (uint32_t code = 0; code < (uint32_t)pow(3, len); code++) {
                uint32_t x = code;
                for (uint32_t j = 0; j < len; j++, x /= 3)
                    w[j] = x % 3, txt[j] = (char)('a' + w[j]);
                txt[len] = 0;
                ck_assert_int_eq(lk_dfa_accepts(h, w, len), g_hash_table_contains(set, txt));
            }
        g_hash_table_unref(set);
        g_string_free(rx, TRUE);
    }
}
END_TEST

/* Canonical form: invariant under renumbering, idempotent, drops unreachable
 * states, and numbers states breadth-first (checked against a plain BFS). */
START_TEST(test_dfa_canonical_properties)
{
    lk_test_srand(8);
    g_autoptr(LkAlphabet) abc = chars("abc");
    for (int iter = 0; iter < 500; iter++) {
        uint32_t n = 1 + lk_test_below(12);
        g_autoptr(LkDfa) d = lk_test_random_dfa(abc, n, 40);
        uint32_t *perm = g_new(uint32_t, n);
        for (uint32_t i = 0; i < n; i++) perm[i] = i;
        for (uint32_t i = n; i > 1; i--) {
            uint32_t j = lk_test_below(i), t = perm[i - 1];
            perm[i - 1] = perm[j];
            perm[j] = t;
        }
        g_autoptr(LkDfa) e = lk_dfa_new(abc, n, perm[d->start]);
        for (uint32_t q = 0; q < n; q++) {
            e->accept[perm[q]] = d->accept[q];
            for (uint32_t a = 0; a < 3; a++) e->delta[perm[q] * 3 + a] = perm[d->delta[q * 3 + a]];
        }
        g_free(perm);
        g_autoptr(LkDfa) cd = lk_dfa_canonical(d);
        g_autoptr(LkDfa) ce = lk_dfa_canonical(e);
        g_autoptr(LkDfa) cc = lk_dfa_canonical(cd);
        ck_assert(lk_dfa_equal(cd, ce));
        ck_assert(lk_dfa_equal(cd, cc));
        /* BFS reference: count reachable states */
        uint8_t seen[16] = {0};
        uint32_t queue[16], head = 0, tail = 0;
        seen[d->start] = 1;
        queue[tail++] = d->start;
        while (head < tail) {
            uint32_t q = queue[head++];
            for (uint32_t a = 0; a < 3; a++)
                if (!seen[d->delta[q * 3 + a]]) {
                    seen[d->delta[q * 3 + a]] = 1;
                    queue[tail++] = d->delta[q * 3 + a];
                }
        }
        ck_assert_uint_eq(cd->n, tail);
        for (uint32_t i = 0; i < tail; i++) ck_assert_int_eq(cd->accept[i], d->accept[queue[i]]);
    }
}
END_TEST

START_TEST(test_dfa_minimize_large_moore_path)
{
    /* Big enough for the Moore rounds before Hopcroft (>= 2^18 transitions):
     * a random DFA on `base` states plus many copies of them, whose minimal
     * DFA is that of the base part, minimized without Moore (it is small). */
    lk_test_srand(9);
    g_autoptr(LkAlphabet) ab = chars("ab");
    const uint32_t base = 2000, n = 140000;
    g_autoptr(LkDfa) d = lk_test_random_dfa(ab, n, 30);
    d->start = 0;
    for (uint32_t q = 0; q < base; q++) /* the base states stay among themselves */
        for (uint32_t a = 0; a < 2; a++) d->delta[q * 2 + a] %= base;
    for (uint32_t q = base; q < n; q++) { /* copies: same flag, successors copies of the same */
        uint32_t src = q % base;
        d->accept[q] = d->accept[src];
        for (uint32_t a = 0; a < 2; a++)
            d->delta[q * 2 + a] = d->delta[src * 2 + a] + base * lk_test_below(n / base);
    }
    /* reach the copies: the base start's row points into them */
    d->delta[0] += base * 7;
    g_autoptr(LkDfa) small = lk_dfa_new(ab, base, 0);
    for (uint32_t q = 0; q < base; q++) {
        small->accept[q] = d->accept[q];
        for (uint32_t a = 0; a < 2; a++) small->delta[q * 2 + a] = d->delta[q * 2 + a] % base;
    }
    g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
    g_autoptr(LkDfa) r = lk_dfa_minimize_hopcroft(small);
    ck_assert(lk_dfa_equal(h, r));
    uint32_t w[40];
    for (int i = 0; i < 2000; i++) {
        size_t len = lk_test_below(40);
        for (size_t j = 0; j < len; j++) w[j] = lk_test_below(2);
        ck_assert_int_eq(lk_dfa_accepts(h, w, len), lk_dfa_accepts(d, w, len));
    }
}
END_TEST

START_TEST(test_dfa_minimize_larger_alphabets)
{
    lk_test_srand(5);
    g_autoptr(LkAlphabet) a5 = chars("abcde");
    for (int iter = 0; iter < 100; iter++) {
        uint32_t n = 1 + lk_test_below(24);
        g_autoptr(LkDfa) d = lk_test_random_dfa(a5, n, 10 + lk_test_below(30));
        /* make many states equivalent: merge half the rows */
        for (uint32_t q = n / 2; q < n; q++) {
            memcpy(d->delta + (size_t)q * d->k, d->delta + (size_t)(q - n / 2) * d->k,
                   sizeof(uint32_t) * d->k);
            d->accept[q] = d->accept[q - n / 2];
        }
        g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
        g_autoptr(LkDfa) b = lk_dfa_minimize_brzozowski(d, NULL, NULL);
        ck_assert(lk_dfa_equal(h, b));
    }
}
END_TEST

START_TEST(test_regex_suffix_family_size)
{
    /* (a|b)*a(a|b){k}: the last k+1 letters must be remembered: 2^(k+1) states. */
    for (int k = 0; k <= 12; k++) {
        char rx[64];
        snprintf(rx, sizeof rx, "(a|b)*a(a|b){%d}", k);
        g_autoptr(LkDfa) d = compile(rx, NULL, LK_MINIMIZE_HOPCROFT);
        ck_assert_uint_eq(d->n, 1u << (k + 1));
        ck_assert_uint_eq(lk_dfa_accept_count(d), 1u << k);
        if (k <= 8) {
            g_autoptr(LkDfa) b = compile(rx, NULL, LK_MINIMIZE_BRZOZOWSKI);
            ck_assert(lk_dfa_equal(d, b));
        }
    }
}
END_TEST

static void assert_same(const char *r1, const char *r2, const char *alpha)
{
    g_autoptr(LkDfa) a = compile(r1, alpha, LK_MINIMIZE_HOPCROFT);
    g_autoptr(LkDfa) b = compile(r2, alpha, LK_MINIMIZE_HOPCROFT);
    if (!lk_dfa_equal(a, b)) ck_abort_msg("'%s' and '%s' differ", r1, r2);
}

START_TEST(test_regex_parse_precedence_and_sugar)
{
    assert_same("ab|c", "(ab)|c", "abc");
    assert_same("ab&a*b", "(ab)&(a*b)", "abc");
    assert_same("a|b&c", "a|(b&c)", "abc");
    assert_same("~a*", "~(a*)", "abc");
    assert_same("~ab", "(~a)b", "abc");
    assert_same("a+", "aa*", "ab");
    assert_same("a?", "()|a", "ab");
    assert_same("a{2,4}", "aa|aaa|aaaa", "ab");
    assert_same("a{3,}", "aaaa*", "ab");
    assert_same("a{0,}", "a*", "ab");
    assert_same("(ab){0}", "()", "ab");
    assert_same("[a-c]", "a|b|c", "abcd");
    assert_same("[^a]", "b|c|d", "abcd");
    assert_same(".", "[a-d]", "abcd");
    assert_same("[]", "a&b", "ab");
    assert_same("<a>b", "ab", "ab");
    assert_same("\\*\\|", "[*][|]", "*|");
    assert_same("~()", "..*", "ab");
    assert_same("~~(ab)*", "(ab)*", "ab");
    assert_same("(a|b)*&~(.*aa.*)", "b*(abb*)*a?|()", "ab");
}
END_TEST

START_TEST(test_regex_multichar_symbols)
{
    g_autoptr(LkAlphabet) a = lk_alphabet_new_list("push,pop,x", NULL);
    g_autoptr(LkRegex) re = lk_regex_parse("(<push><pop>)*[<x>]", a, NULL);
    ck_assert_ptr_nonnull(re);
    g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, NULL);
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    ck_assert(lk_alphabet_parse_word(a, "push pop push pop x", w, NULL));
    ck_assert(lk_dfa_accepts(d, (uint32_t *)w->data, w->len));
    g_array_set_size(w, 0);
    ck_assert(lk_alphabet_parse_word(a, "push x", w, NULL));
    ck_assert(!lk_dfa_accepts(d, (uint32_t *)w->data, w->len));
    /* derived alphabet: sorted by code point */
    g_autoptr(LkRegex) r2 = lk_regex_parse("<push>b<pop>a", NULL, NULL);
    LkAlphabet *al = lk_regex_alphabet(r2);
    ck_assert_uint_eq(lk_alphabet_size(al), 4);
    ck_assert_str_eq(lk_alphabet_name(al, 0), "a");
    ck_assert_str_eq(lk_alphabet_name(al, 2), "pop");
}
END_TEST

typedef struct {
    const char *rx;
    const char *alpha; /* NULL: derived */
    unsigned col;
} BadRegex;

START_TEST(test_regex_parse_rejects_malformed)
{
    static const BadRegex bad[] = {
        {"", NULL, 1},          {"(ab", NULL, 1},     {"ab)", NULL, 3},    {"a||b", NULL, 3},
        {"|a", NULL, 1},        {"a|", NULL, 3},      {"*a", NULL, 1},     {"a**", NULL, 0},
        {"a{", NULL, 3},        {"a{2", NULL, 2},     {"a{3,2}", NULL, 2}, {"a{x}", NULL, 3},
        {"a{999999}", NULL, 3}, {"[ab", NULL, 1},     {"[b-a]", NULL, 2},  {"<ab", NULL, 1},
        {"<>", NULL, 1},        {"a\\", NULL, 2},     {".", NULL, 1},      {"[^a]", NULL, 1},
        {"~a", NULL, 1},        {"a&", NULL, 3},      {"&a", NULL, 1},     {"c", "ab", 1},
        {"a]", NULL, 2},        {"a}", NULL, 2},      {"a>", NULL, 2},     {"ab(c|d", NULL, 3},
        {"[a-<b>]", NULL, 4},   {"x<nope>", "xy", 2},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autoptr(LkAlphabet) a = bad[i].alpha ? chars(bad[i].alpha) : NULL;
        GError *err = NULL;
        LkRegex *re = lk_regex_parse(bad[i].rx, a, &err);
        if (bad[i].col == 0) { /* a** is fine: (a*)* */
            ck_assert_ptr_nonnull(re);
            lk_regex_free(re);
            continue;
        }
        if (re) ck_abort_msg("'%s' was accepted", bad[i].rx);
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        char want[32];
        snprintf(want, sizeof want, "regex column %u:", bad[i].col);
        if (!g_str_has_prefix(err->message, want))
            ck_abort_msg("'%s': got '%s', want column %u", bad[i].rx, err->message, bad[i].col);
        /* the same position, structured (and kept by a copy) */
        uint32_t line = 0, col = 0;
        ck_assert(lk_error_location(err, &line, &col));
        ck_assert_uint_eq(line, 1);
        ck_assert_uint_eq(col, bad[i].col);
        GError *copy = g_error_copy(err);
        ck_assert(lk_error_location(copy, NULL, &col) && col == bad[i].col);
        g_error_free(copy);
        g_error_free(err);
    }
    {
        GError *plain = NULL; /* an error without a location has none */
        g_set_error(&plain, LK_ERROR, LK_ERROR_INPUT, "x");
        uint32_t line = 7, col = 7;
        ck_assert(!lk_error_location(plain, &line, &col) && line == 0 && col == 0);
        g_error_free(plain);
    }
    /* invalid UTF-8 */
    GError *err = NULL;
    ck_assert_ptr_null(lk_regex_parse("a\xff", NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_clear_error(&err);
    /* deep nesting is an error, not a stack overflow */
    g_autoptr(GString) deep = g_string_new(NULL);
    for (int i = 0; i < 100000; i++) g_string_append_c(deep, '(');
    ck_assert_ptr_null(lk_regex_parse(deep->str, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_clear_error(&err);
}
END_TEST

START_TEST(test_regex_compile_limits)
{
    GError *err = NULL;
    LkLimits lim = {.max_states = 1000};
    g_autoptr(LkRegex) re = lk_regex_parse("(a|b)*a(a|b){12}", NULL, NULL);
    ck_assert_ptr_null(lk_regex_compile(re, &lim, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
    g_autoptr(LkRegex) big = lk_regex_parse("((a{1000}){1000}){1000}", NULL, NULL);
    ck_assert_ptr_null(lk_regex_compile(big, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
    /* product limit inside & */
    g_autoptr(LkAlphabet) ab = chars("ab");
    g_autoptr(LkRegex) prod = lk_regex_parse("(.*a.{9})&(.*b.{9})", ab, NULL);
    LkLimits small = {.max_states = 500};
    ck_assert_ptr_null(lk_regex_compile(prod, &small, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
}
END_TEST

/* ---- files ---- */

START_TEST(test_dfa_json_round_trip)
{
    lk_test_srand(6);
    g_autoptr(LkAlphabet) a = lk_alphabet_new_list("a,\"q\",x\\y,push,é", NULL);
    ck_assert_ptr_nonnull(a);
    for (int iter = 0; iter < 100; iter++) {
        g_autoptr(LkDfa) d = lk_test_random_dfa(a, 1 + lk_test_below(40), 30);
        g_autofree char *text = lk_dfa_to_json(d);
        GError *err = NULL;
        g_autoptr(LkDfa) e = lk_dfa_from_json(text, -1, "t", &err);
        if (!e) ck_abort_msg("%s", err->message);
        ck_assert(lk_dfa_equal(d, e));
        g_autofree char *text2 = lk_dfa_to_json(e);
        ck_assert_str_eq(text, text2);
    }
}
END_TEST

/* Malformed JSON: the position is in the message and is the error's
 * location, for json-glib's errors and for nesting past the limit. */
START_TEST(test_json_error_locations)
{
    static const struct {
        const char *text;
        uint32_t line;
    } bad[] = {{"{\"a\": 1,\n \"b\": }", 2}, {"\n\n[1, 2,, 3]", 3}, {"{\"x\": tru}", 1}};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        ck_assert_ptr_null(lk_dfa_from_json(bad[i].text, -1, "f.json", &err));
        uint32_t line = 0, col = 0;
        ck_assert_msg(lk_error_location(err, &line, &col), "%s", err->message);
        ck_assert_uint_eq(line, bad[i].line);
        ck_assert_uint_gt(col, 0);
        char want[64];
        snprintf(want, sizeof want, "f.json: %u:%u:", line, col);
        ck_assert_msg(g_str_has_prefix(err->message, want), "%s vs %s", err->message, want);
        g_error_free(err);
    }
    GString *deep = g_string_new("\n ");
    for (int i = 0; i <= LK_JSON_MAX_DEPTH; i++) g_string_append_c(deep, '[');
    GError *err = NULL;
    ck_assert_ptr_null(lk_dfa_from_json(deep->str, -1, "d.json", &err));
    uint32_t line = 0, col = 0;
    ck_assert(lk_error_location(err, &line, &col));
    ck_assert_uint_eq(line, 2);
    ck_assert_uint_eq(col, LK_JSON_MAX_DEPTH + 2);
    g_error_free(err);
    g_string_free(deep, TRUE);
}
END_TEST

/* The one "JSON integer in range" check: integers only (not 1.0, "1",
 * true), both ends of the range inclusive, indices below their bound. */
START_TEST(test_json_node_int_ranges)
{
    g_autoptr(JsonParser) p = json_parser_new();
    ck_assert(lk_json_parse(
        p, "[0, 7, -1, 1.0, \"1\", true, null, 4294967296, 9223372036854775807]", -1, "t", NULL));
    JsonArray *a = json_node_get_array(json_parser_get_root(p));
    int64_t x;
    uint32_t u;
    ck_assert(lk_json_node_int(json_array_get_element(a, 1), 0, 7, &x) && x == 7);
    ck_assert(!lk_json_node_int(json_array_get_element(a, 1), 0, 6, &x));
    ck_assert(lk_json_node_int(json_array_get_element(a, 2), -1, 0, &x) && x == -1);
    ck_assert(!lk_json_node_int(json_array_get_element(a, 2), 0, 10, &x));
    for (guint i = 3; i <= 6; i++)
        ck_assert(!lk_json_node_int(json_array_get_element(a, i), -9, 9, &x));
    ck_assert(!lk_json_node_int(NULL, 0, 1, &x));
    ck_assert(lk_json_node_index(json_array_get_element(a, 0), 1, &u) && u == 0);
    ck_assert(!lk_json_node_index(json_array_get_element(a, 0), 0, &u));
    ck_assert(!lk_json_node_index(json_array_get_element(a, 1), 7, &u));
    ck_assert(lk_json_node_index(json_array_get_element(a, 1), 8, &u) && u == 7);
    /* indices are uint32: 2^32 is refused even under a larger bound */
    ck_assert(!lk_json_node_index(json_array_get_element(a, 7), UINT64_MAX, &u));
    ck_assert(lk_json_node_int(json_array_get_element(a, 8), 0, G_MAXINT64, &x) && x == G_MAXINT64);
}
END_TEST

START_TEST(test_dfa_json_rejects_corrupt)
{
    static const char *bad[] = {
        "",
        "{",
        "[]",
        "{\"format\": \"other\"}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": [[0]], "
        "\"version\": 2}",
        "{\"alphabet\": \"ab\", \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": [[0]]}",
        "{\"alphabet\": [\"a\", \"a\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": "
        "[[0, 0]]}",
        "{\"alphabet\": [\"a\"], \"states\": 0, \"start\": 0, \"accept\": [], \"delta\": []}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 1, \"accept\": [], \"delta\": [[0]]}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [1], \"delta\": [[0]]}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [0, 0], \"delta\": "
        "[[0]]}",
        "{\"alphabet\": [\"a\"], \"states\": 2, \"start\": 0, \"accept\": [], \"delta\": [[0]]}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": [[0, "
        "0]]}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": [[1]]}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": "
        "[[-1]]}",
        "{\"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": "
        "[[0.5]]}",
        "{\"alphabet\": [\"a\"], \"states\": 4294967295, \"start\": 0, \"accept\": [], \"delta\": "
        "[]}",
        "{\"alphabet\": [1], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": [[0]]}",
        "{\"alphabet\": [\"\"], \"states\": 1, \"start\": 0, \"accept\": [], \"delta\": [[0]]}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        LkDfa *d = lk_dfa_from_json(bad[i], -1, "bad.json", &err);
        if (d) ck_abort_msg("case %zu accepted", i);
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        ck_assert(g_str_has_prefix(err->message, "bad.json: "));
        g_error_free(err);
    }
    /* every proper prefix of a valid file is rejected */
    g_autoptr(LkDfa) d = compile("(ab|b)*a", NULL, LK_MINIMIZE_HOPCROFT);
    g_autofree char *text = lk_dfa_to_json(d);
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '}')) len--;
    for (size_t cut = 0; cut < len; cut++) {
        GError *err = NULL;
        LkDfa *e = lk_dfa_from_json(text, (gssize)cut, "cut", &err);
        if (e) ck_abort_msg("prefix of length %zu accepted", cut);
        g_error_free(err);
    }
}
END_TEST

START_TEST(test_dfa_dot_merges_edges)
{
    g_autoptr(LkDfa) d = compile("[a-e]x|y", NULL, LK_MINIMIZE_HOPCROFT);
    g_autofree char *dot = lk_dfa_to_dot(d);
    ck_assert_ptr_nonnull(strstr(dot, "0 -> 1 [label=\"a-e\"]"));
    ck_assert_ptr_nonnull(strstr(dot, "[label=\"a-e,y\"]"));
    /* one edge per (source, target) */
    uint32_t edges = 0;
    for (const char *p = dot; (p = strstr(p, " -> ")); p++) edges++;
    ck_assert_uint_eq(edges, 1 + 3 + 2 + 1 + 1);
}
END_TEST

START_TEST(test_nfa_determinize_sparse_path)
{
    /* An alternation of many words has more positions than the dense
     * bitset path takes; the sparse path must agree with backtracking. */
    lk_test_srand(7);
    g_autoptr(GString) s = g_string_new(NULL);
    for (int i = 0; i < 3000; i++) {
        if (i) g_string_append_c(s, '|');
        int len = 1 + (int)lk_test_below(8);
        for (int j = 0; j < len; j++) g_string_append_c(s, "abcd"[lk_test_below(4)]);
    }
    g_autoptr(LkRegex) re = lk_regex_parse(s->str, NULL, NULL);
    g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, NULL);
    g_autoptr(LkDfa) b = lk_regex_compile_with(re, LK_MINIMIZE_BRZOZOWSKI, NULL, NULL);
    ck_assert(lk_dfa_equal(d, b));
    MatchCheck mc = {re, d, "alternation", 0};
    lk_test_each_word(4, 5, check_word, &mc);
}
END_TEST

/* A random NFA over the alphabet ab: n states, 1-2 initial states, about a third
 * accepting. Up to 20 states each (state, symbol) has 0-3 successors
 * anywhere; larger ones (whose random subsets would blow up) are banded like
 * regex automata: 1-2 successors among the next three states, and now and
 * then a jump anywhere. Symbols past the first two get a successor one time
 * in eight. */
static LkNfa *random_nfa(LkAlphabet *ab, uint32_t n)
{
    g_autoptr(GArray) tr = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t q = 0; q < n; q++)
        for (uint32_t a = 0; a < lk_alphabet_size(ab); a++)
            for (uint32_t e = a >= 2    ? lk_test_below(8) == 0 /* other symbols: sparse */
                              : n <= 20 ? lk_test_below(4)
                                        : 1 + lk_test_below(2);
                 e > 0; e--) {
                const uint32_t step = lk_test_below(3); /* not inside MIN: evaluated twice */
                uint32_t to =
                    n <= 20 || lk_test_below(n) == 0 ? lk_test_below(n) : MIN(n - 1, q + step);
                uint32_t t[3] = {q, a, to};
                g_array_append_vals(tr, t, 3);
            }
    LkNfa *nfa = lk_nfa_new(ab, n, (const uint32_t *)tr->data, tr->len / 3);
    uint32_t init[2] = {lk_test_below(n), lk_test_below(n)};
    lk_nfa_set_init(nfa, init, 1 + lk_test_below(2));
    for (uint32_t q = 0; q < n; q++) nfa->accept[q] = lk_test_below(3) == 0;
    return nfa;
}

/* Whether the NFA accepts w, by carrying the set of current states (a byte
 * per state): the reference for the subset constructions. */
static bool nfa_accepts(const LkNfa *a, const uint32_t *w, size_t len)
{
    g_autofree uint8_t *cur = g_new0(uint8_t, a->n), *nxt = g_new0(uint8_t, a->n);
    for (uint32_t i = 0; i < a->n_init; i++) cur[a->init[i]] = 1;
    for (size_t i = 0; i < len; i++) {
        memset(nxt, 0, a->n);
        for (uint32_t q = 0; q < a->n; q++)
            if (cur[q])
                for (uint32_t e = a->off[q * a->k + w[i]]; e < a->off[q * a->k + w[i] + 1]; e++)
                    nxt[a->dst[e]] = 1;
        memcpy(cur, nxt, a->n);
    }
    for (uint32_t q = 0; q < a->n; q++)
        if (cur[q] && a->accept[q]) return true;
    return false;
}

typedef struct {
    const LkNfa *nfa;
    const LkDfa *d;
} NfaLang;

static void nfa_same_word(const uint32_t *w, size_t len, void *ud)
{
    NfaLang *s = ud;
    ck_assert_int_eq(lk_dfa_accepts(s->d, w, len), nfa_accepts(s->nfa, w, len));
}

/* Subset construction on every path (one-word subsets packed with n <= 32
 * and unpacked up to 64, bitsets and sorted lists beyond) against direct NFA
 * simulation; the double-reversal route against Hopcroft; its cap and the
 * state limit. */
START_TEST(test_nfa_determinize_paths_and_reversal)
{
    lk_test_srand(43);
    g_autoptr(LkAlphabet) ab = chars("ab");
    const uint32_t sizes[] = {1, 3, 8, 20, 32, 33, 50, 64, 65, 90};
    uint32_t simulated[G_N_ELEMENTS(sizes)] = {0}, reversed = 0;
    for (int iter = 0; iter < 200; iter++) {
        const uint32_t n = sizes[iter % G_N_ELEMENTS(sizes)];
        g_autoptr(LkNfa) nfa = random_nfa(ab, n);
        LkLimits lim = {.max_states = 2000};
        GError *err = NULL;
        g_autoptr(LkDfa) d = lk_nfa_determinize(nfa, &lim, &err);
        if (!d) { /* a rare blow-up: the limit must be the reason */
            ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
            g_clear_error(&err);
            continue;
        }
        ck_assert(lk_dfa_is_canonical(d) || d->n == 1); /* subsets are met breadth-first */
        g_autoptr(LkDfa) within = lk_nfa_determinize_within(nfa, 2000, UINT64_MAX);
        ck_assert(within && lk_dfa_equal(within, d));
        ck_assert_ptr_null(lk_nfa_determinize_within(nfa, 2000, 0)); /* over the visit budget */
        if (d->n > 1) ck_assert_ptr_null(lk_nfa_determinize_within(nfa, d->n - 1, UINT64_MAX));
        NfaLang s = {nfa, d};
        lk_test_each_word(2, 8, nfa_same_word, &s);
        simulated[iter % G_N_ELEMENTS(sizes)]++;
        g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
        g_autoptr(LkDfa) r = lk_nfa_minimal_by_reversal(nfa, 1000000, &lim, &err);
        if (!r) { /* the mirror automaton is over the limit: declined, no error */
            ck_assert_ptr_null(err);
            continue;
        }
        ck_assert(lk_dfa_equal(h, r));
        /* below the mirror automaton's size: declined, no error */
        g_autoptr(LkNfa) rev = lk_nfa_reverse(nfa);
        g_autoptr(LkDfa) mirror = lk_nfa_determinize(rev, NULL, NULL);
        ck_assert_ptr_nonnull(mirror);
        if (mirror->n > 1) {
            LkDfa *none = lk_nfa_minimal_by_reversal(nfa, mirror->n - 1, NULL, &err);
            ck_assert_ptr_null(none);
            ck_assert_ptr_null(err);
        }
        g_autoptr(LkDfa) at = lk_nfa_minimal_by_reversal(nfa, mirror->n, NULL, NULL);
        ck_assert(at && lk_dfa_equal(at, h));
        reversed++;
        if (h->n > 1) { /* the minimal DFA's own size is the limit that matters */
            LkLimits tight = {.max_states = h->n - 1};
            LkDfa *over = lk_nfa_minimal_by_reversal(nfa, 1000000, &tight, &err);
            ck_assert_ptr_null(over);
            if (mirror->n <= tight.max_states) { /* else declined: the mirror is over the limit */
                ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
                g_clear_error(&err);
            } else {
                ck_assert_ptr_null(err);
            }
            tight.max_states = MAX(h->n, mirror->n);
            g_autoptr(LkDfa) fits = lk_nfa_minimal_by_reversal(nfa, 1000000, &tight, NULL);
            ck_assert(fits && lk_dfa_equal(fits, h));
        }
    }
    /* the checks ran on every path, not only on the small cases */
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++)
        if (simulated[i] < 5)
            ck_abort_msg("only %u NFAs of size %u simulated", simulated[i], sizes[i]);
    ck_assert_uint_ge(reversed, 60);
}
END_TEST

/* Large alphabets (40 symbols: more than the 32 a batch held before) on the
 * one-word and bitset paths: random words against NFA simulation, and the
 * reverse route against Hopcroft. */
START_TEST(test_nfa_determinize_large_alphabet)
{
    lk_test_srand(45);
    const char *names[40];
    char buf[40][8];
    for (int i = 0; i < 40; i++) {
        snprintf(buf[i], sizeof buf[i], "s%d", i);
        names[i] = buf[i];
    }
    g_autoptr(LkAlphabet) big = lk_alphabet_new(names, 40, NULL);
    const uint32_t sizes[] = {4, 12, 30, 60, 80};
    uint32_t checked = 0;
    for (int iter = 0; iter < 40; iter++) {
        g_autoptr(LkNfa) nfa = random_nfa(big, sizes[iter % G_N_ELEMENTS(sizes)]);
        g_autoptr(LkDfa) d = lk_nfa_determinize_within(nfa, 3000, UINT64_MAX);
        if (!d) continue; /* blew up */
        uint32_t w[10];
        for (int t = 0; t < 2000; t++) {
            const uint32_t len = lk_test_below(11);
            for (uint32_t i = 0; i < len; i++) w[i] = lk_test_below(40);
            ck_assert_int_eq(lk_dfa_accepts(d, w, len), nfa_accepts(nfa, w, len));
        }
        g_autoptr(LkDfa) h = lk_dfa_minimize_hopcroft(d);
        LkLimits lim = {.max_states = 3000};
        g_autoptr(LkDfa) r = lk_nfa_minimal_by_reversal(nfa, 1000000, &lim, NULL);
        if (r) ck_assert(lk_dfa_equal(h, r));
        checked++;
    }
    ck_assert_uint_ge(checked, 20);
}
END_TEST

/* Word lists built directly (Daciuk et al.) against the regex pipeline with
 * Hopcroft, in any order and with repeats; the empty list and the limit. */
START_TEST(test_dfa_from_words)
{
    lk_test_srand(44);
    g_autoptr(LkAlphabet) abc = chars("abc");
    for (int iter = 0; iter < 300; iter++) {
        const uint32_t words = lk_test_below(40);
        g_autoptr(GString) rx = g_string_new(NULL);
        LkVec32 syms = {0}, lens = {0};
        for (uint32_t i = 0; i < words; i++) {
            const uint32_t len = lk_test_below(9);
            char text[12] = "()";
            for (uint32_t j = 0; j < len; j++) {
                const uint32_t a = lk_test_below(1 + iter % 3); /* alphabets used: a, ab, abc */
                lk_vec32_push(&syms, a);
                text[j] = (char)('a' + a);
                text[j + 1] = 0;
            }
            lk_vec32_push(&lens, len);
            g_string_append_printf(rx, "%s%s", i ? "|" : "", text);
            if (lk_test_below(5) == 0 && i + 1 < words) { /* a repeat */
                uint32_t copy[9];
                if (len) memcpy(copy, syms.v + syms.len - len, sizeof(uint32_t) * len);
                lk_vec32_append(&syms, copy, len); /* not from syms itself: it may move */
                lk_vec32_push(&lens, len);
                g_string_append_printf(rx, "|%s", text);
                i++;
            }
        }
        g_autoptr(LkDfa) d = lk_dfa_from_words(abc, syms.v, lens.v, lens.len, NULL, NULL);
        ck_assert_ptr_nonnull(d);
        if (words == 0) {
            ck_assert_uint_eq(d->n, 1);
            ck_assert(!d->accept[0]);
        } else {
            g_autoptr(LkRegex) re = lk_regex_parse(rx->str, abc, NULL);
            ck_assert_ptr_nonnull(re);
            g_autoptr(LkDfa) h = lk_regex_compile_with(re, LK_MINIMIZE_HOPCROFT, NULL, NULL);
            g_autoptr(LkDfa) a = lk_regex_compile(re, NULL, NULL); /* takes the word-list path */
            if (!lk_dfa_equal(d, h))
                ck_abort_msg("'%s': %u states, Hopcroft %u", rx->str, d->n, h->n);
            ck_assert(lk_dfa_equal(a, h));
            if (h->n > 1) {
                LkLimits lim = {.max_states = h->n - 1};
                GError *err = NULL;
                ck_assert_ptr_null(lk_dfa_from_words(abc, syms.v, lens.v, lens.len, &lim, &err));
                ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
                g_error_free(err);
            }
        }
        lk_vec32_clear(&syms);
        lk_vec32_clear(&lens);
    }
    const uint32_t bad[] = {0, 3, 1}, bad_len[] = {3};
    GError *err = NULL;
    ck_assert_ptr_null(lk_dfa_from_words(abc, bad, bad_len, 1, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_error_free(err);
}
END_TEST

/* Programmer errors: a NULL object makes a public function log one critical
 * and return its failure value (lrnnkit.h), instead of crashing. The tests
 * run with G_DEBUG=fatal-criticals; here criticals are counted instead. */
static int criticals;
static void count_critical(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer u)
{
    criticals++;
}

START_TEST(test_null_object_is_a_critical)
{
    GLogLevelFlags fatal = g_log_set_always_fatal(G_LOG_FATAL_MASK);
    guint h = g_log_set_handler("lrnnkit", G_LOG_LEVEL_CRITICAL, count_critical, NULL);
    criticals = 0;
    ck_assert_ptr_null(lk_dfa_copy(NULL));
    ck_assert(!lk_dfa_accepts(NULL, NULL, 0));
    ck_assert_int_eq(lk_alphabet_index(NULL, "a"), -1);
    ck_assert_uint_eq(lk_monoid_size(NULL), 0);
    ck_assert_ptr_null(lk_dfa_to_json(NULL));
    GError *err = NULL;
    bool yes = true;
    ck_assert(!lk_dfa_equivalent(NULL, NULL, &yes, NULL, NULL, &err));
    ck_assert_int_eq(criticals, 6);
    g_log_remove_handler("lrnnkit", h);
    g_log_set_always_fatal(fatal);
}
END_TEST

static Suite *automata_suite(void)
{
    Suite *s = suite_create("automata");
    TCase *tc = tcase_create("regex");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_regex_compile_matches_backtracking);
    tcase_add_test(tc, test_regex_compile_matches_backtracking_3);
    tcase_add_test(tc, test_regex_compile_hopcroft_equals_brzozowski);
    tcase_add_test(tc, test_dfa_minimize_finite_languages);
    tcase_add_test(tc, test_regex_suffix_family_size);
    tcase_add_test(tc, test_regex_parse_precedence_and_sugar);
    tcase_add_test(tc, test_regex_multichar_symbols);
    tcase_add_test(tc, test_regex_parse_rejects_malformed);
    tcase_add_test(tc, test_regex_compile_limits);
    tcase_add_test(tc, test_nfa_determinize_sparse_path);
    tcase_add_test(tc, test_nfa_determinize_paths_and_reversal);
    tcase_add_test(tc, test_nfa_determinize_large_alphabet);
    tcase_add_test(tc, test_dfa_from_words);
    tcase_add_test(tc, test_null_object_is_a_critical);
    suite_add_tcase(s, tc);
    tc = tcase_create("minimize");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_dfa_minimize_random);
    tcase_add_test(tc, test_dfa_minimize_larger_alphabets);
    tcase_add_test(tc, test_dfa_canonical_properties);
    tcase_add_test(tc, test_dfa_minimize_large_moore_path);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_dfa_json_round_trip);
    tcase_add_test(tc, test_dfa_json_rejects_corrupt);
    tcase_add_test(tc, test_json_error_locations);
    tcase_add_test(tc, test_json_node_int_ranges);
    tcase_add_test(tc, test_dfa_dot_merges_edges);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(automata_suite)
