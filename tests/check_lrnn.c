/* Tests of lrnn/: compile + exact verification of group and
 * permutation-reset automata, shortest counterexamples of corrupted models
 * against brute force, engines against the exact engine, weight files. */
#include "automata/families.h"
#include "automata/regex.h"
#include "lrnn/lrnn.h"
#include "lrnn/matrices.h"
#include "proofs/safe-length.h"
#include "testutil.h"

#include <json-glib/json-glib.h>

#include <math.h>
#include <string.h>
#include <unistd.h>

static void compile_and_verify(const char *spec)
{
    GError *err = NULL;
    g_autoptr(LkDfa) d = lk_family_dfa(spec, NULL, &err);
    if (!d) ck_abort_msg("%s: %s", spec, err->message);
    LkCompileReport r;
    g_autoptr(LkLrnn) m = lk_lrnn_compile(d, false, &r, &err);
    if (!m) ck_abort_msg("%s: %s", spec, err->message);
    ck_assert_str_eq(r.construction, "group");
    LkVerifyResult v;
    ck_assert(lk_lrnn_verify(m, d, NULL, &v, NULL));
    ck_assert_msg(v.verified, "%s not verified", spec);
    ck_assert_uint_eq(v.lrnn_states, d->n);
    lk_verify_result_clear(&v);
}

START_TEST(test_lrnn_compile_groups_verified)
{
    char spec[32];
    for (int mm = 1; mm <= 12; mm++) {
        snprintf(spec, sizeof spec, "Z:%d", mm);
        compile_and_verify(spec);
    }
    for (int n = 3; n <= 8; n++) {
        snprintf(spec, sizeof spec, "D:%d", n);
        compile_and_verify(spec);
    }
    compile_and_verify("S:3");
    compile_and_verify("S:4");
    compile_and_verify("S:5/swaps");
    compile_and_verify("A:4");
    compile_and_verify("A:5/gens");
    compile_and_verify("parity");
}
END_TEST

START_TEST(test_lrnn_compile_s5_a5_full)
{
    compile_and_verify("S:5");
    compile_and_verify("A:5");
}
END_TEST

/* A random permutation-reset DFA: each letter a permutation or a constant. */
static LkDfa *random_perm_reset(LkAlphabet *al, uint32_t n)
{
    LkDfa *d = lk_dfa_new(al, n, lk_test_below(n));
    for (uint32_t a = 0; a < d->k; a++) {
        if (lk_test_below(3) == 0) {
            uint32_t r = lk_test_below(n);
            for (uint32_t q = 0; q < n; q++) d->delta[q * d->k + a] = r;
        } else {
            uint32_t *p = g_new(uint32_t, n);
            for (uint32_t i = 0; i < n; i++) p[i] = i;
            for (uint32_t i = n; i > 1; i--) {
                uint32_t j = lk_test_below(i), t = p[i - 1];
                p[i - 1] = p[j], p[j] = t;
            }
            for (uint32_t q = 0; q < n; q++) d->delta[q * d->k + a] = p[q];
            g_free(p);
        }
    }
    for (uint32_t q = 0; q < n; q++) d->accept[q] = lk_test_below(2);
    return d;
}

/* The shortlex-first word on which a stack's acceptance differs from the
 * DFA's, by brute force. */
typedef struct {
    const LkStack *s;
    const LkDfa *d;
    bool found;
    size_t len;
    uint32_t w[16];
} Shortest;

static void first_wrong(const uint32_t *w, size_t len, void *ud)
{
    Shortest *s = ud;
    if (s->found) return;
    if (lk_stack_run(s->s, LK_ENGINE_EXACT, w, len, NULL) != lk_dfa_accepts(s->d, w, len)) {
        s->found = true;
        s->len = len;
        memcpy(s->w, w, len * sizeof(uint32_t));
    }
}

START_TEST(test_lrnn_random_perm_reset_and_engines)
{
    lk_test_srand(31);
    g_autoptr(LkAlphabet) al = lk_alphabet_new_chars("abcd", NULL);
    for (int iter = 0; iter < 60; iter++) {
        uint32_t n = 2 + lk_test_below(6);
        g_autoptr(LkDfa) d = random_perm_reset(al, n);
        for (int gated = 0; gated < 2; gated++) {
            g_autoptr(LkLrnn) m = lk_lrnn_compile(d, gated, NULL, NULL);
            ck_assert_ptr_nonnull(m);
            LkVerifyResult v;
            ck_assert(lk_lrnn_verify(m, d, NULL, &v, NULL));
            ck_assert(v.verified);
            lk_verify_result_clear(&v);
            /* every engine decodes the same states as the exact one */
            uint32_t w[40];
            int64_t se[40], sf[40];
            for (int t = 0; t < 20; t++) {
                size_t len = 1 + lk_test_below(40);
                for (size_t i = 0; i < len; i++) w[i] = lk_test_below(4);
                bool acc = lk_lrnn_run(m, LK_ENGINE_EXACT, w, len, se);
                ck_assert_int_eq(acc, lk_dfa_accepts(d, w, len));
                for (LkEngine e = LK_ENGINE_F64; e <= LK_ENGINE_F16; e++) {
                    ck_assert_int_eq(lk_lrnn_run(m, e, w, len, sf), acc);
                    ck_assert(memcmp(se, sf, len * sizeof(int64_t)) == 0);
                }
                for (size_t i = 0; i < len; i++)
                    ck_assert_int_eq(se[i], lk_dfa_run(d, d->start, w, i + 1));
            }
        }
    }
}
END_TEST

START_TEST(test_lrnn_verify_corrupted_shortest_counterexample)
{
    lk_test_srand(32);
    g_autoptr(LkAlphabet) al = lk_alphabet_new_chars("abc", NULL);
    int caught = 0;
    for (int iter = 0; iter < 80; iter++) {
        uint32_t n = 3 + lk_test_below(4);
        g_autoptr(LkDfa) raw = random_perm_reset(al, n);
        g_autoptr(LkDfa) d = lk_dfa_minimize(raw); /* still permutation-reset */
        g_autoptr(LkLrnn) m = lk_lrnn_compile(d, false, NULL, NULL);
        ck_assert_ptr_nonnull(m);
        bool flip = iter % 2 == 0;
        if (flip) { /* a wrong readout bit */
            uint32_t q = lk_test_below(d->n);
            m->accept[q] = !m->accept[q];
        } else { /* a reflection turned into a projection */
            uint32_t a = lk_test_below(3);
            if (!m->tok[a].n_factors || mpq_cmp_ui(m->tok[a].f[0].beta, 2, 1) != 0) continue;
            mpq_set_ui(m->tok[a].f[0].beta, 1, 1);
        }
        LkVerifyResult v;
        ck_assert(lk_lrnn_verify(m, d, NULL, &v, NULL));
        LkLrnn *slot;
        LkStack view = lk_stack_view(m, &slot);
        Shortest s = {&view, d, false, 0, {0}};
        lk_test_each_word_shortlex(3, 7, first_wrong, &s);
        ck_assert(!v.verified); /* both corruptions change a reachable state */
        caught++;
        if (flip) { /* then the first inconsistency is the first wrong answer */
            ck_assert(s.found);
            ck_assert_uint_eq(v.counterexample->len, s.len);
            ck_assert(s.len == 0 || memcmp(v.counterexample->data, s.w, s.len * 4) == 0);
        } else if (s.found) {
            ck_assert_uint_le(v.counterexample->len, s.len);
        }
        lk_verify_result_clear(&v);
    }
    ck_assert_int_gt(caught, 50);
}
END_TEST

START_TEST(test_lrnn_safetensors_round_trip)
{
    g_autoptr(LkDfa) d = lk_family_dfa("S:4", NULL, NULL);
    g_autoptr(LkLrnn) m = lk_lrnn_compile(d, false, NULL, NULL);
    char path[] = "/tmp/lk-test-XXXXXX";
    int fd = g_mkstemp(path);
    close(fd);
    for (int f32 = 0; f32 < 2; f32++) {
        GError *err = NULL;
        ck_assert(lk_lrnn_save(m, path, f32, &err));
        g_autoptr(LkLrnn) back = lk_lrnn_load(path, &err);
        if (!back) ck_abort_msg("%s", err->message);
        g_autofree char *a = lk_lrnn_to_json(m), *b = lk_lrnn_to_json(back);
        ck_assert_str_eq(a, b);
        /* save again: the same bytes */
        char *t1, *t2;
        gsize l1, l2;
        g_file_get_contents(path, &t1, &l1, NULL);
        ck_assert(lk_lrnn_save(back, path, f32, NULL));
        g_file_get_contents(path, &t2, &l2, NULL);
        ck_assert(l1 == l2 && memcmp(t1, t2, l1) == 0);
        /* corrupt files are rejected: every truncation, and byte flips */
        for (gsize cut = 0; cut < l1; cut += 1 + l1 / 300) {
            g_file_set_contents(path, t1, (gssize)cut, NULL);
            LkLrnn *x = lk_lrnn_load(path, &err);
            if (x) ck_abort_msg("truncated at %zu accepted", cut);
            g_clear_error(&err);
        }
        lk_test_srand(33);
        for (int i = 0; i < 200; i++) {
            char *c = g_memdup2(t1, l1);
            gsize at = lk_test_below((uint32_t)l1);
            c[at] ^= (char)(1 + lk_test_below(255));
            g_file_set_contents(path, c, (gssize)l1, NULL);
            LkLrnn *x = lk_lrnn_load(path, &err);
            if (x) { /* a flip inside JSON whitespace or padding can be harmless */
                g_autofree char *j = lk_lrnn_to_json(x);
                ck_assert_str_eq(j, a);
                lk_lrnn_free(x);
            }
            g_clear_error(&err);
            g_free(c);
        }
        g_free(t1);
        g_free(t2);
    }
    unlink(path);
}
END_TEST

START_TEST(test_lrnn_compile_rejects_other_dfas)
{
    g_autoptr(LkRegex) re = lk_regex_parse("(a|b)*ab", NULL, NULL);
    g_autoptr(LkDfa) d =
        lk_regex_compile(re, NULL, NULL); /* a is neither a permutation nor a reset */
    GError *err = NULL;
    ck_assert_ptr_null(lk_lrnn_compile(d, false, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_error_free(err);
}
END_TEST

/* lk_stack_compile_dfa's one-layer strategies give the same construction as
 * the functions they name, verified exactly; misuse is LK_ERROR_INPUT. */
START_TEST(test_compile_strategies_dispatch)
{
    static const struct {
        const char *spec, *strategy, *construction;
        uint32_t dim;
    } cases[] = {{"parity", "scalar", "scalar", 1},
                 {"Z:5", "rotation", "rotation", 2},
                 {"S:4", "points", "group action", 4},
                 {"A:5", "points", "group action", 5}};
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *err = NULL;
        g_autoptr(LkDfa) d = lk_family_dfa(cases[i].spec, NULL, &err);
        LkStrategy s;
        ck_assert(lk_strategy_parse(cases[i].strategy, &s));
        LkCompileOptions opt = {.family = cases[i].spec};
        LkCompileInfo info;
        g_autoptr(LkStack) st = lk_stack_compile_dfa(d, s, &opt, &info, &err);
        if (!st) ck_abort_msg("%s: %s", cases[i].spec, err->message);
        ck_assert_str_eq(info.construction, cases[i].construction);
        ck_assert_uint_eq(st->n_layers, 1);
        ck_assert_uint_eq(st->layer[0]->n, cases[i].dim);
        LkVerifyResult v;
        ck_assert(lk_stack_verify(st, d, NULL, &v, NULL));
        ck_assert_msg(v.verified, "%s by %s", cases[i].spec, cases[i].strategy);
        lk_verify_result_clear(&v);
    }
    GError *err = NULL;
    g_autoptr(LkDfa) s3 = lk_family_dfa("S:3", NULL, &err);
    static const LkStrategy bad[] = {LK_STRATEGY_SCALAR, LK_STRATEGY_ROTATION, LK_STRATEGY_POINTS};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        ck_assert_ptr_null(lk_stack_compile_dfa(s3, bad[i], NULL, NULL, &err)); /* no family */
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_clear_error(&err);
    }
    LkCompileOptions wrong = {.family = "S:4"}; /* a family that is not the DFA's */
    ck_assert_ptr_null(lk_stack_compile_dfa(s3, LK_STRATEGY_POINTS, &wrong, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_clear_error(&err);
}
END_TEST

static void compile_action_and_verify(const char *spec)
{
    GError *err = NULL;
    g_autoptr(LkDfa) d = lk_family_dfa(spec, NULL, &err);
    uint32_t degree, k;
    g_autofree uint8_t *perms = lk_family_token_perms(spec, &degree, &k, &err);
    ck_assert_ptr_nonnull(perms);
    LkCompileReport r;
    g_autoptr(LkLrnn) m = lk_lrnn_compile_action(d, degree, perms, &r, &err);
    if (!m) ck_abort_msg("%s: %s", spec, err->message);
    ck_assert_uint_eq(r.state_dim, degree);
    ck_assert_uint_le(r.max_factors, degree - 1);
    LkVerifyResult v;
    ck_assert(lk_lrnn_verify(m, d, NULL, &v, NULL));
    ck_assert_msg(v.verified, "%s (action) not verified", spec);
    lk_verify_result_clear(&v);
    /* engines on random words, and the weight file round trip */
    lk_test_srand(34);
    uint32_t w[60];
    int64_t se[60], sf[60];
    for (int t = 0; t < 20; t++) {
        size_t len = 1 + lk_test_below(60);
        for (size_t i = 0; i < len; i++) w[i] = lk_test_below(k);
        bool acc = lk_lrnn_run(m, LK_ENGINE_EXACT, w, len, se);
        ck_assert_int_eq(acc, lk_dfa_accepts(d, w, len));
        for (LkEngine e = LK_ENGINE_F64; e <= LK_ENGINE_F16; e++) {
            ck_assert_int_eq(lk_lrnn_run(m, e, w, len, sf), acc);
            ck_assert(memcmp(se, sf, len * sizeof(int64_t)) == 0);
        }
    }
    char path[] = "/tmp/lk-action-XXXXXX";
    close(g_mkstemp(path));
    ck_assert(lk_lrnn_save(m, path, false, NULL));
    g_autoptr(LkLrnn) back = lk_lrnn_load(path, &err);
    if (!back) ck_abort_msg("%s", err->message);
    g_autofree char *a = lk_lrnn_to_json(m), *b = lk_lrnn_to_json(back);
    ck_assert_str_eq(a, b);
    unlink(path);
}

START_TEST(test_lrnn_compile_action_groups)
{
    compile_action_and_verify("S:5");
    compile_action_and_verify("A:5");
    compile_action_and_verify("S:4/swaps");
    compile_action_and_verify("D:6");
    compile_action_and_verify("Z:7");
    /* the scalar model of parity: H -> -H */
    g_autoptr(LkDfa) d = lk_family_dfa("parity", NULL, NULL);
    const uint8_t flip[2] = {0, 1};
    g_autoptr(LkLrnn) m = lk_lrnn_compile_action(d, 1, flip, NULL, NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->n, 1);
    LkVerifyResult v;
    ck_assert(lk_lrnn_verify(m, d, NULL, &v, NULL));
    ck_assert(v.verified);
    lk_verify_result_clear(&v);
    /* a non-faithful action is refused: Z:4 read through Z:2 */
    g_autoptr(LkDfa) z4 = lk_family_dfa("Z:4", NULL, NULL);
    uint8_t half[4 * 2];
    for (uint32_t a = 0; a < 4; a++) half[2 * a] = a % 2, half[2 * a + 1] = 1 - a % 2;
    GError *err = NULL;
    ck_assert_ptr_null(lk_lrnn_compile_action(z4, 2, half, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_error_free(err);
}
END_TEST

/* ---- cascades ---- */

/* A random cascade given densely (every context in mixed radix, level 0
 * most significant), kept beside the LkCascade built from it so that the
 * reference simulation does not go through the library's context tables. */
typedef struct {
    uint32_t levels, k, n[8], start[8], ctx[8];
    uint32_t *delta[8]; /* ctx * k * n, [(ctx * k + a) * n + q] */
    int32_t *map;       /* per tuple */
} Dense;

static void dense_free(Dense *x)
{
    for (uint32_t i = 0; i < x->levels; i++) g_free(x->delta[i]);
    g_free(x->map);
}

static LkCascade *random_cascade(uint32_t k, uint32_t levels, Dense *x)
{
    static const char *names[] = {"a", "b", "c"};
    g_autoptr(LkAlphabet) al = lk_alphabet_new(names, k, NULL);
    x->levels = levels, x->k = k;
    uint64_t tuples = 1;
    for (uint32_t i = 0; i < levels; i++) {
        x->n[i] = 1 + lk_test_below(3);
        x->start[i] = lk_test_below(x->n[i]);
        x->ctx[i] = (uint32_t)tuples;
        tuples *= x->n[i];
    }
    LkCascade *c = lk_cascade_new(al, levels, x->n, x->start);
    uint32_t ctx[8];
    for (uint32_t i = 0; i < levels; i++) {
        const uint32_t n = x->n[i];
        x->delta[i] = g_new(uint32_t, (size_t)x->ctx[i] * k * n);
        for (uint32_t y = 0; y < x->ctx[i]; y++) {
            for (uint32_t r = y, j = i; j-- > 0;) ctx[j] = r % x->n[j], r /= x->n[j];
            uint32_t *row = lk_cascade_maps(c, i, lk_cascade_add_row(c, i, ctx, NULL));
            for (uint32_t a = 0; a < k; a++) {
                uint32_t *t = x->delta[i] + ((size_t)y * k + a) * n;
                if (lk_test_below(3) == 0) { /* a reset */
                    uint32_t r = lk_test_below(n);
                    for (uint32_t q = 0; q < n; q++) t[q] = r;
                } else { /* a random permutation (Fisher-Yates) */
                    for (uint32_t q = 0; q < n; q++) t[q] = q;
                    for (uint32_t q = n; q-- > 1;) {
                        uint32_t j = lk_test_below(q + 1), tmp = t[q];
                        t[q] = t[j], t[j] = tmp;
                    }
                }
                memcpy(row + (size_t)a * n, t, sizeof(uint32_t) * n);
            }
        }
    }
    const uint32_t n_out = 1 + lk_test_below(4);
    uint8_t acc[4];
    for (uint32_t o = 0; o < n_out; o++) acc[o] = lk_test_below(2);
    lk_cascade_set_outputs(c, n_out, acc);
    x->map = g_new(int32_t, tuples);
    uint32_t st[8];
    for (uint64_t t = 0; t < tuples; t++) {
        x->map[t] = (int32_t)lk_test_below(n_out);
        for (uint64_t r = t, j = levels; j-- > 0;) st[j] = r % x->n[j], r /= x->n[j];
        lk_cascade_set_output(c, st, (uint32_t)x->map[t]);
    }
    ck_assert(lk_cascade_validate(c, NULL));
    return c;
}

/* Definition 1 read literally: every level moves on (states before, letter). */
static int32_t cascade_simulate(const Dense *x, const uint32_t *w, size_t len, int32_t *outs)
{
    uint32_t st[8], nx[8];
    for (uint32_t i = 0; i < x->levels; i++) st[i] = x->start[i];
    uint64_t tuple = 0;
    for (uint32_t i = 0; i < x->levels; i++) tuple = tuple * x->n[i] + st[i];
    int32_t out = x->map[tuple];
    for (size_t t = 0; t < len; t++) {
        for (uint32_t i = 0; i < x->levels; i++) {
            uint32_t ctx = 0;
            for (uint32_t j = 0; j < i; j++) ctx = ctx * x->n[j] + st[j];
            nx[i] = x->delta[i][((size_t)ctx * x->k + w[t]) * x->n[i] + st[i]];
        }
        memcpy(st, nx, sizeof(uint32_t) * x->levels);
        tuple = 0;
        for (uint32_t i = 0; i < x->levels; i++) tuple = tuple * x->n[i] + st[i];
        out = x->map[tuple];
        if (outs) outs[t] = out;
    }
    return out;
}

START_TEST(test_lrnn_cascade_random)
{
    lk_test_srand(41);
    int corrupted = 0;
    for (int iter = 0; iter < 60; iter++) {
        const uint32_t k = 2 + lk_test_below(2), levels = 1 + lk_test_below(3);
        Dense x;
        g_autoptr(LkCascade) c = random_cascade(k, levels, &x);
        /* JSON round trip */
        g_autofree char *j1 = lk_cascade_to_json(c);
        g_autoptr(LkCascade) c2 = lk_cascade_from_json(j1, -1, NULL, NULL);
        ck_assert_ptr_nonnull(c2);
        g_autofree char *j2 = lk_cascade_to_json(c2);
        ck_assert_str_eq(j1, j2);
        /* the product automaton against the literal simulation */
        g_autoptr(LkDfa) d = lk_cascade_to_dfa(c, NULL, NULL);
        ck_assert_ptr_nonnull(d);
        uint32_t w[30];
        int32_t outs[30];
        int64_t so[30];
        for (int t = 0; t < 20; t++) {
            size_t len = lk_test_below(30);
            for (size_t i = 0; i < len; i++) w[i] = lk_test_below(k);
            int32_t o = cascade_simulate(&x, w, len, outs);
            ck_assert_int_eq(lk_dfa_accepts(d, w, len), c->accept[o]);
        }
        for (int gated = 0; gated < 2; gated++) {
            g_autoptr(LkStack) s = lk_stack_compile_cascade(c, gated, NULL, NULL);
            ck_assert_ptr_nonnull(s);
            ck_assert_uint_eq(s->n_layers, levels);
            LkVerifyResult v;
            ck_assert(lk_stack_verify(s, d, NULL, &v, NULL));
            ck_assert(v.verified);
            lk_verify_result_clear(&v);
            for (int t = 0; t < 20; t++) { /* every engine against the simulation */
                size_t len = 1 + lk_test_below(29);
                for (size_t i = 0; i < len; i++) w[i] = lk_test_below(k);
                int32_t o = cascade_simulate(&x, w, len, outs);
                for (LkEngine e = LK_ENGINE_EXACT; e <= LK_ENGINE_F16; e++) {
                    ck_assert_int_eq(lk_stack_run(s, e, w, len, so), c->accept[o]);
                    if (!s->map) continue; /* one level folded: outputs are level states */
                    for (size_t i = 0; i < len; i++) ck_assert_int_eq(so[i], outs[i]);
                }
            }
            /* stack JSON and weight files round-trip */
            g_autofree char *sj = lk_stack_to_json(s);
            g_autoptr(LkStack) s2 = lk_stack_from_json(sj, -1, NULL);
            ck_assert_ptr_nonnull(s2);
            g_autofree char *sj2 = lk_stack_to_json(s2);
            ck_assert_str_eq(sj, sj2);
            char path[] = "/tmp/lrnnkit-stack-XXXXXX";
            int fd = mkstemp(path);
            ck_assert_int_ge(fd, 0);
            close(fd);
            ck_assert(lk_stack_save(s, path, false, NULL));
            g_autoptr(LkStack) s3 = lk_stack_load(path, NULL);
            ck_assert_ptr_nonnull(s3);
            g_autofree char *sj3 = lk_stack_to_json(s3);
            ck_assert_str_eq(sj, sj3);
            unlink(path);
            /* a wrong acceptance bit: the shortest counterexample by brute force */
            if (!s->map || d->n < 2) continue;
            /* an output reached by a prefix of length < 4 */
            uint32_t o = (uint32_t)cascade_simulate(&x, w, lk_test_below(4), NULL);
            s->accept[o] = !s->accept[o];
            ck_assert(lk_stack_verify(s, d, NULL, &v, NULL));
            Shortest sh = {s, d, false, 0, {0}};
            lk_test_each_word_shortlex(k, 7, first_wrong, &sh);
            ck_assert(!v.verified);
            ck_assert(sh.found);
            ck_assert_uint_eq(v.counterexample->len, sh.len);
            ck_assert(sh.len == 0 || memcmp(v.counterexample->data, sh.w, sh.len * 4) == 0);
            lk_verify_result_clear(&v);
            corrupted++;
        }
        dense_free(&x);
    }
    ck_assert_int_gt(corrupted, 20);
}
END_TEST

START_TEST(test_lrnn_cascade_rejects_bad_files)
{
    static const char *bad[] = {
        /* a map that is neither a permutation nor a constant */
        "{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [\"a\"], \"levels\": "
        "[{\"states\": 3, \"start\": 0, \"delta\": [[[0, 0, 1]]]}], \"accept\": [1, 0, 0]}",
        /* a state out of range */
        "{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [\"a\"], \"levels\": "
        "[{\"states\": 2, \"start\": 0, \"delta\": [[[0, 2]]]}], \"accept\": [1, 0]}",
        /* level 1 needs one row per state of level 0 */
        "{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [\"a\"], \"levels\": "
        "[{\"states\": 2, \"start\": 0, \"delta\": [[[1, 0]]]}, {\"states\": 1, \"start\": 0, "
        "\"delta\": [[[0]]]}], \"accept\": [1, 0]}",
        /* accept of the wrong length */
        "{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [\"a\"], \"levels\": "
        "[{\"states\": 2, \"start\": 0, \"delta\": [[[1, 0]]]}], \"accept\": [1]}",
        "{\"format\": \"lrnnkit-dfa\", \"version\": 1}",
        "[1, 2]",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GError *err = NULL;
        ck_assert_ptr_null(lk_cascade_from_json(bad[i], -1, NULL, &err));
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_error_free(err);
    }
    /* a reachable cascade state without an output */
    const char *partial =
        "{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [\"a\"], \"levels\": "
        "[{\"states\": 2, \"start\": 0, \"delta\": [[[1, 0]]]}], \"map\": [0, -1], "
        "\"accept\": [1]}";
    g_autoptr(LkCascade) c = lk_cascade_from_json(partial, -1, NULL, NULL);
    ck_assert_ptr_nonnull(c);
    GError *err = NULL;
    ck_assert_ptr_null(lk_cascade_to_dfa(c, NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_clear_error(&err);
    /* more tuples than the limit */
    LkLimits lim = {.max_states = 3};
    const char *big = "{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [\"a\"], "
                      "\"levels\": [{\"states\": 2, \"start\": 0, \"delta\": [[[1, 0]]]}, "
                      "{\"states\": 2, \"start\": 0, \"delta\": [[[1, 0]], [[0, 1]]]}], "
                      "\"accept\": [1, 0, 0, 0]}";
    ck_assert_ptr_null(lk_cascade_from_json(big, -1, &lim, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_error_free(err);
}
END_TEST

/* ---- Z_m as a rotation ---- */

START_TEST(test_lrnn_rotation_cyclic_groups)
{
    lk_test_srand(42);
    for (int m = 1; m <= 12; m++) {
        for (int fam = 0; fam < 2; fam++) {
            g_autofree char *spec = g_strdup_printf(fam ? "mod:%d" : "Z:%d", m);
            g_autoptr(LkDfa) raw = lk_family_dfa(spec, NULL, NULL);
            g_autoptr(LkDfa) d = lk_dfa_minimize(raw);
            LkCompileReport r;
            g_autoptr(LkLrnn) mo = lk_lrnn_compile_rotation(d, &r, NULL);
            ck_assert_ptr_nonnull(mo);
            ck_assert(mo->angular);
            ck_assert_uint_eq(r.state_dim, 2);
            ck_assert_uint_le(r.max_factors, 2);
            LkVerifyResult v;
            ck_assert(lk_lrnn_verify(mo, d, NULL, &v, NULL));
            ck_assert(v.verified);
            ck_assert_uint_eq(v.lrnn_states, d->n);
            lk_verify_result_clear(&v);
            /* the rounding bound holds step by step on a long random word, and
             * the decoded states agree up to the safe length */
            const uint64_t safe = lk_lrnn_safe_length(mo, LK_ENGINE_F32);
            if (m > 1) ck_assert_uint_gt(safe, 10000);
            const size_t len = m == 1 ? 100 : (size_t)MIN(safe, 20000);
            const double u = 0x1p-24, f = lk_lrnn_max_factors(mo);
            mpq_t h[2];
            mpq_inits(h[0], h[1], NULL);
            mpq_set(h[0], mo->h0[0]);
            double hf[2];
            lk_lrnn_h0_float(mo, LK_ENGINE_F32, hf);
            uint32_t q = d->start;
            for (size_t t = 1; t <= len; t++) {
                uint32_t a = lk_test_below(d->k);
                q = d->delta[(size_t)q * d->k + a];
                lk_lrnn_step_exact(mo, h, a);
                lk_lrnn_step_float(mo, LK_ENGINE_F32, hf, a);
                const double r0 = mpq_get_d(h[0]);
                const double err = hypot(hf[0] - cos(M_PI * r0), hf[1] - sin(M_PI * r0));
                ck_assert(err <= 2 * u + (double)t * 32 * u * f + 1e-15);
                ck_assert_int_eq(lk_lrnn_decode_exact(mo, h), q);
                ck_assert_int_eq(lk_lrnn_decode_float(mo, hf), q);
            }
            mpq_clears(h[0], h[1], NULL);
            /* JSON and weight files keep the angles */
            g_autofree char *j = lk_lrnn_to_json(mo);
            g_autoptr(LkLrnn) back = lk_lrnn_from_json(j, -1, NULL);
            ck_assert_ptr_nonnull(back);
            g_autofree char *j2 = lk_lrnn_to_json(back);
            ck_assert_str_eq(j, j2);
        }
    }
    /* not cyclic: S_3 (not abelian), Z_2 x Z_2, a reset */
    g_autoptr(LkDfa) s3 = lk_family_dfa("S:3", NULL, NULL);
    g_autoptr(LkAlphabet) ab = lk_alphabet_new_chars("ab", NULL);
    g_autoptr(LkDfa) klein = lk_dfa_new(ab, 4, 0);
    g_autoptr(LkDfa) reset = lk_dfa_new(ab, 2, 0);
    for (uint32_t x = 0; x < 4; x++) {
        klein->delta[x * 2] = x ^ 1;
        klein->delta[x * 2 + 1] = x ^ 2;
    }
    reset->delta[1] = 1; /* b: 0 -> 1, a: 0 -> 0; 1 -> 0 on both */
    const LkDfa *no[] = {s3, klein, reset};
    const char *why[] = {"abelian", "not cyclic", "not a permutation"};
    for (int i = 0; i < 3; i++) {
        GError *err = NULL;
        ck_assert_ptr_null(lk_lrnn_compile_rotation(no[i], NULL, &err));
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        ck_assert_ptr_nonnull(strstr(err->message, why[i]));
        g_error_free(err);
    }
}
END_TEST

START_TEST(test_lrnn_json_sparse_and_dense_u)
{
    /* the writer stores a factor's u by its support when at most half is
     * nonzero; a dense u (as files written before) reads to the same model */
    g_autoptr(LkDfa) d = lk_family_dfa("S:4", NULL, NULL);
    g_autoptr(LkLrnn) m = lk_lrnn_compile(d, false, NULL, NULL);
    g_autofree char *sparse = lk_lrnn_to_json(m);
    ck_assert_ptr_nonnull(strstr(sparse, "\"u_support\""));
    /* rewrite every sparse factor densely by hand */
    g_autoptr(JsonParser) p = json_parser_new();
    ck_assert(json_parser_load_from_data(p, sparse, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    JsonArray *toks = json_object_get_array_member(root, "tokens");
    const guint n = (guint)json_object_get_int_member(root, "n");
    for (guint t = 0; t < json_array_get_length(toks); t++) {
        JsonArray *fs =
            json_object_get_array_member(json_array_get_object_element(toks, t), "factors");
        for (guint j = 0; j < json_array_get_length(fs); j++) {
            JsonObject *f = json_array_get_object_element(fs, j);
            if (!json_object_has_member(f, "u_support")) continue;
            JsonArray *sup = json_object_get_array_member(f, "u_support"),
                      *u = json_object_get_array_member(f, "u"), *dense = json_array_new();
            for (guint i = 0, e = 0; i < n; i++) {
                if (e < json_array_get_length(sup) && json_array_get_int_element(sup, e) == i)
                    json_array_add_string_element(dense, json_array_get_string_element(u, e++));
                else
                    json_array_add_string_element(dense, "0");
            }
            json_object_remove_member(f, "u_support");
            json_object_set_array_member(f, "u", dense);
        }
    }
    g_autoptr(JsonGenerator) gen = json_generator_new();
    json_generator_set_root(gen, json_parser_get_root(p));
    g_autofree char *dense_text = json_generator_to_data(gen, NULL);
    ck_assert_ptr_null(strstr(dense_text, "u_support"));
    g_autoptr(LkLrnn) back = lk_lrnn_from_json(dense_text, -1, NULL);
    ck_assert_ptr_nonnull(back);
    g_autofree char *again = lk_lrnn_to_json(back);
    ck_assert_str_eq(again, sparse);
    /* a support must be increasing and below n, with one u entry per index */
    static const char *fmt = "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": 2, "
                             "\"alphabet\": [\"a\"], \"h0\": [\"1\", \"0\"], \"accept\": [1, 0], "
                             "\"tokens\": [{\"gate\": null, \"factors\": [{\"beta\": \"2\", "
                             "\"c\": \"0\", \"u_support\": %s, \"u\": [\"1\", \"-1\"]}]}]}";
    const char *supports[] = {"[0, 1]", "[1, 0]", "[0, 2]", "[0]", "[0, 0]"};
    for (size_t i = 0; i < G_N_ELEMENTS(supports); i++) {
        g_autofree char *text = g_strdup_printf(fmt, supports[i]);
        GError *err = NULL;
        g_autoptr(LkLrnn) x = lk_lrnn_from_json(text, -1, &err);
        ck_assert_int_eq(x != NULL, i == 0);
        if (!x) g_error_free(err);
    }
}
END_TEST

/* ---- precisions ---- */

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every finite value of a 16-bit float format (f16 or bf16), sorted. */
static double *all_values16(bool bf16, size_t *count)
{
    const int eb = bf16 ? 8 : 5, mb = bf16 ? 7 : 10, bias = bf16 ? 127 : 15;
    double *v = g_new(double, 65536);
    size_t k = 0;
    for (uint32_t bits = 0; bits < 65536; bits++) {
        const int e = (int)(bits >> mb) & ((1 << eb) - 1);
        const uint32_t m = bits & ((1u << mb) - 1);
        if (e == (1 << eb) - 1 || bits == 0x8000) continue; /* inf, NaN, -0 */
        const double x = e ? ldexp(1.0 + ldexp(m, -mb), e - bias) : ldexp(m, 1 - bias - mb);
        v[k++] = bits >> 15 ? -x : x;
    }
    qsort(v, k, sizeof(double), cmp_double);
    *count = k;
    return v;
}

/* The nearest of the sorted values to x, saturating (ties: the smaller). */
static double nearest_brute(const double *v, size_t k, const mpq_t x)
{
    size_t lo = 0, hi = k - 1;
    mpq_t a, b, t;
    mpq_inits(a, b, t, NULL);
    while (hi - lo > 1) {
        const size_t mid = (lo + hi) / 2;
        mpq_set_d(t, v[mid]);
        if (mpq_cmp(t, x) <= 0)
            lo = mid;
        else
            hi = mid;
    }
    mpq_set_d(t, v[lo]), mpq_sub(a, x, t), mpq_abs(a, a);
    mpq_set_d(t, v[hi]), mpq_sub(b, x, t), mpq_abs(b, b);
    double r;
    if (mpq_cmp(x, t) >= 0 && hi == k - 1)
        r = v[hi];
    else if (lo == 0 && (mpq_set_d(t, v[0]), mpq_cmp(x, t) <= 0))
        r = v[0];
    else {
        const int c = mpq_cmp(a, b);
        if (c != 0)
            r = c < 0 ? v[lo] : v[hi];
        else /* a tie: the smaller, as the paper's cast */
            r = v[lo];
    }
    mpq_clears(a, b, t, NULL);
    return r;
}

START_TEST(test_precision_cast_against_enumeration)
{
    lk_test_srand(41);
    for (int f = 0; f < 2; f++) {
        const bool bf16 = f == 1;
        size_t k;
        g_autofree double *v = all_values16(bf16, &k);
        LkPrecision p;
        ck_assert(lk_precision_parse(bf16 ? "bf16" : "f16", &p, NULL));
        mpq_t x, y, t;
        mpq_inits(x, y, t, NULL);
        for (int it = 0; it < 20000; it++) {
            /* random rationals of every magnitude, and exact values and midpoints */
            const size_t i = lk_test_below((uint32_t)k - 1);
            switch (it % 3) {
            case 0:
                mpq_set_d(x, v[i]), mpq_set_d(t, v[i + 1]), mpq_add(x, x, t), mpq_div_2exp(x, x, 1);
                break;
            case 1:
                mpq_set_d(x, v[i]);
                break;
            default:
                mpq_set_si(x, (long)lk_test_below(2000001) - 1000000, 1 + lk_test_below(1000));
                mpq_canonicalize(x);
                if (it % 2)
                    mpq_div_2exp(x, x, lk_test_below(40));
                else
                    mpq_mul_2exp(x, x, lk_test_below(30));
            }
            lk_precision_cast(&p, y, x);
            const double want = nearest_brute(v, k, x);
            ck_assert_msg(mpq_get_d(y) == want, "%s cast of %s: %.17g, want %.17g",
                          bf16 ? "bf16" : "f16", mpq_get_str(NULL, 10, x), mpq_get_d(y), want);
            /* the step rounding (ties to even) of a double is as near as the exact cast
             * (ties to the smaller) inside the range */
            mpq_set_d(t, mpq_get_d(x));
            if (fabs(mpq_get_d(x)) <= v[k - 1] && mpq_equal(t, x)) {
                mpq_t dr, dc;
                mpq_inits(dr, dc, NULL);
                mpq_set_d(dr, lk_precision_round(&p, mpq_get_d(x))), mpq_sub(dr, dr, x);
                mpq_set_d(dc, want), mpq_sub(dc, dc, x);
                mpq_abs(dr, dr), mpq_abs(dc, dc);
                ck_assert(mpq_equal(dr, dc));
                mpq_clears(dr, dc, NULL);
            }
        }
        /* neighbours: the next value up and down of every value */
        for (size_t i = 0; i < k; i++) {
            mpq_set_d(x, v[i]);
            ck_assert(lk_precision_next(&p, x, 1, y) == (i + 1 < k));
            if (i + 1 < k) ck_assert(mpq_get_d(y) == v[i + 1]);
            ck_assert(lk_precision_next(&p, x, -1, y) == (i > 0));
            if (i > 0) ck_assert(mpq_get_d(y) == v[i - 1]);
        }
        mpq_clears(x, y, t, NULL);
    }
}
END_TEST

START_TEST(test_precision_fixed_and_grid)
{
    lk_test_srand(42);
    LkPrecision p;
    GError *err = NULL;
    ck_assert(lk_precision_parse("fixed:4", &p, NULL));
    mpq_t x, y, t;
    mpq_inits(x, y, t, NULL);
    for (int it = 0; it < 20000; it++) {
        /* products and sums against int64 arithmetic on the words */
        const int64_t a = (int64_t)lk_test_below(1u << 20) - (1 << 19),
                      b = (int64_t)lk_test_below(1u << 20) - (1 << 19);
        const double da = ldexp((double)a, -4), db = ldexp((double)b, -4);
        const int64_t prod = a * b; /* / 16, rounded half to even */
        int64_t q = prod >= 0 ? prod / 16 : -((-prod) / 16);
        int64_t r = prod - q * 16;
        if (r < 0) q--, r += 16;
        if (r > 8 || (r == 8 && (q & 1))) q++;
        q = CLAMP(q, INT32_MIN, INT32_MAX);
        ck_assert(lk_precision_mul(&p, da, db) == ldexp((double)q, -4));
        ck_assert(lk_precision_add(&p, da, db) ==
                  ldexp((double)CLAMP(a + b, INT32_MIN, INT32_MAX), -4));
        /* the exact cast of a / 16 + 1/32 (a tie) goes to the smaller word */
        mpq_set_si(x, 2 * a + 1, 32);
        lk_precision_cast(&p, y, x);
        mpq_set_si(t, a, 16);
        mpq_canonicalize(t);
        ck_assert(mpq_equal(y, t));
    }
    /* saturation */
    mpq_set_si(x, 1L << 40, 1);
    lk_precision_cast(&p, y, x);
    mpq_set_si(t, INT32_MAX, 16);
    mpq_canonicalize(t);
    ck_assert(mpq_equal(y, t));
    /* grid:-1:1:0.25 = {-1, -0.75, ..., 1}: nearest, ties to the smaller, saturating */
    ck_assert(lk_precision_parse("grid:-1:1:0.25", &p, NULL));
    g_autofree char *name = lk_precision_name(&p);
    ck_assert_str_eq(name, "grid:-1:1:0.25");
    static const char *in[] = {"0", "1/8", "3/8", "-7/8", "5", "-5", "1/10", "-1/8"};
    static const char *out[] = {"0", "0", "1/4", "-1", "1", "-1", "0", "-1/4"};
    for (size_t i = 0; i < G_N_ELEMENTS(in); i++) {
        mpq_set_str(x, in[i], 10), mpq_set_str(t, out[i], 10);
        lk_precision_cast(&p, y, x);
        ck_assert_msg(mpq_equal(y, t), "grid cast of %s", in[i]);
    }
    ck_assert(lk_precision_parse("grid:0.1:0.5:0.1", &p, NULL)); /* not binary fractions */
    mpq_set_str(x, "27/100", 10), mpq_set_str(t, "3/10", 10);
    lk_precision_cast(&p, y, x);
    ck_assert(mpq_equal(y, t));
    ck_assert(!lk_precision_has_step(&p));
    static const char *bad[] = {"fixed:31",   "fixed:-1", "fixed:x", "grid:1:0:0.5",
                                "grid:0:1:0", "grid:0:1", "f8",      "grid:a:b:c"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        ck_assert_msg(!lk_precision_parse(bad[i], &p, &err), "%s accepted", bad[i]);
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_clear_error(&err);
    }
    mpq_clears(x, y, t, NULL);
}
END_TEST

/* ---- .npz matrices ---- */

static char *data_path(const char *name)
{
    const char *dir = g_getenv("LK_TEST_DATA");
    ck_assert_ptr_nonnull(dir);
    return g_build_filename(dir, name, NULL);
}

START_TEST(test_npz_matrices_and_corruptions)
{
    /* numpy's savez (stored, float64, C order) and savez_compressed
     * (deflated, float32, Fortran order) of the same Z_3 matrices */
    g_autofree char *p1 = data_path("matrices-z3.npz"),
                    *p2 = data_path("matrices-z3-f32-fortran.npz");
    GError *err = NULL;
    g_autoptr(LkMatrices) a = lk_matrices_load_npz(p1, NULL, &err);
    g_autoptr(LkMatrices) b = lk_matrices_load_npz(p2, NULL, &err);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(a->layer[0].n, 3);
    ck_assert_uint_eq(a->layer[0].V, 2);
    static const int cyc[9] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
    for (int i = 0; i < 9; i++) {
        ck_assert_int_eq(mpq_cmp_si(a->layer[0].a[9 + i], cyc[i], 1), 0);
        ck_assert(mpq_equal(a->layer[0].a[i], b->layer[0].a[i]));
        ck_assert(mpq_equal(a->layer[0].a[9 + i], b->layer[0].a[9 + i]));
    }
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(mpq_sgn(a->layer[0].b[i]), 0); /* B absent: zeros */
    ck_assert_int_eq(mpq_cmp_si(a->layer[0].h0[0], 1, 1), 0);
    /* every single-byte corruption of both files is read or refused cleanly */
    for (int f = 0; f < 2; f++) {
        gchar *buf;
        gsize len;
        ck_assert(g_file_get_contents(f ? p2 : p1, &buf, &len, NULL));
        g_autofree char *tmp = g_strdup_printf("npz-corrupt-%d-%d.npz", (int)getpid(), f);
        for (gsize i = 0; i < len; i++) {
            for (int bit = (int)(i % 3); bit < 8; bit += 4) {
                buf[i] ^= (char)(1 << bit);
                ck_assert(g_file_set_contents(tmp, buf, (gssize)len, NULL));
                LkMatrices *m = lk_matrices_load_npz(tmp, NULL, &err);
                if (m)
                    lk_matrices_free(m);
                else
                    ck_assert(err->code == LK_ERROR_INPUT || err->code == LK_ERROR_LIMIT),
                        g_clear_error(&err);
                buf[i] ^= (char)(1 << bit);
            }
        }
        for (gsize cut = 0; cut < len; cut += 7) { /* truncations */
            ck_assert(g_file_set_contents(tmp, buf, (gssize)cut, NULL));
            ck_assert_ptr_null(lk_matrices_load_npz(tmp, NULL, &err));
            g_clear_error(&err);
        }
        unlink(tmp);
        g_free(buf);
    }
    ck_assert_ptr_null(lk_matrices_load_npz("/nonexistent.npz", NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_clear_error(&err);
}
END_TEST

START_TEST(test_verify_float_engines)
{
    /* the Z_7 rotation (irrational weights) in every float engine: a proof
     * for every input length, or a shortest word where rounding breaks it;
     * checked against the acceptance of runs of the engine on 1^k and on
     * random words */
    g_autoptr(LkDfa) raw = lk_family_dfa("mod:7", NULL, NULL);
    g_autoptr(LkDfa) d = lk_dfa_minimize(raw);
    g_autoptr(LkLrnn) rot = lk_lrnn_compile_rotation(d, NULL, NULL);
    g_autoptr(LkStack) st = lk_stack_new_single(g_steal_pointer(&rot));
    const uint32_t one = (uint32_t)lk_alphabet_index(d->alphabet, "1");
    static const LkEngine engines[] = {LK_ENGINE_F64, LK_ENGINE_F32, LK_ENGINE_BF16, LK_ENGINE_F16};
    lk_test_srand(61);
    uint32_t proved = 0, broken = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(engines); i++) {
        LkVerifyResult r;
        ck_assert(
            lk_stack_verify_float(st, d, engines[i], &(LkLimits){.max_pairs = 1000000}, &r, NULL));
        /* the first wrong output along 1^k, by running the engine */
        uint32_t w[2000];
        int64_t states[2000];
        for (int k = 0; k < 2000; k++) w[k] = one;
        lk_stack_run(st, engines[i], w, 2000, states);
        int first_wrong = -1; /* the first 1^k accepted wrongly (the language is proved) */
        for (int k = 0; k < 2000 && first_wrong < 0; k++)
            if (lk_stack_accepts(st, states[k]) != ((k + 1) % 7 == 0)) first_wrong = k + 1;
        if (r.verified) {
            proved++;
            ck_assert_int_eq(first_wrong, -1);
            for (int it = 0; it < 50; it++) { /* random words of length <= 1000 */
                const size_t len = 1 + lk_test_below(1000);
                for (size_t t = 0; t < len; t++) w[t] = lk_test_below(d->k);
                lk_stack_run(st, engines[i], w, len, states);
                uint32_t q = d->start;
                for (size_t t = 0; t < len; t++) {
                    q = d->delta[(size_t)q * d->k + w[t]];
                    ck_assert_int_eq(states[t] >= 0 && lk_stack_accepts(st, states[t]),
                                     d->accept[q] != 0);
                }
            }
        } else {
            broken++;
            ck_assert_ptr_nonnull(r.counterexample);
            ck_assert_int_gt(first_wrong, 0);
            ck_assert_uint_le(r.counterexample->len, (guint)first_wrong);
        }
        lk_verify_result_clear(&r);
    }
    ck_assert_uint_ge(proved, 2);
    ck_assert_uint_ge(broken, 1);
    /* the pair limit */
    GError *err = NULL;
    LkVerifyResult r;
    ck_assert(!lk_stack_verify_float(st, d, LK_ENGINE_F32, &(LkLimits){.max_pairs = 10}, &r, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
}
END_TEST

static Suite *lrnn_suite(void)
{
    Suite *s = suite_create("lrnn");
    TCase *tc = tcase_create("compile");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_lrnn_compile_groups_verified);
    tcase_add_test(tc, test_compile_strategies_dispatch);
    tcase_add_test(tc, test_lrnn_compile_s5_a5_full);
    tcase_add_test(tc, test_lrnn_random_perm_reset_and_engines);
    tcase_add_test(tc, test_lrnn_verify_corrupted_shortest_counterexample);
    tcase_add_test(tc, test_lrnn_compile_rejects_other_dfas);
    tcase_add_test(tc, test_lrnn_compile_action_groups);
    tcase_add_test(tc, test_lrnn_cascade_random);
    tcase_add_test(tc, test_lrnn_cascade_rejects_bad_files);
    tcase_add_test(tc, test_lrnn_rotation_cyclic_groups);
    tcase_add_test(tc, test_verify_float_engines);
    suite_add_tcase(s, tc);
    tc = tcase_create("precision");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_precision_cast_against_enumeration);
    tcase_add_test(tc, test_precision_fixed_and_grid);
    tcase_add_test(tc, test_npz_matrices_and_corruptions);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_lrnn_safetensors_round_trip);
    tcase_add_test(tc, test_lrnn_json_sparse_and_dense_u);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(lrnn_suite)
