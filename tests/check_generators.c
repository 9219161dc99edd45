/* Tests of generators/: every label re-derived by an independent evaluator
 * (direct counting, permutation products, the families' DFAs, a recursive
 * descent evaluator, the backtracking regex matcher), determinism, shards
 * against the whole, chi-square tests of the sampling. */
#include "automata/families.h"
#include "automata/regex.h"
#include "automata/npy.h"
#include "generators/dataset-read.h"
#include "testutil.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

enum { MAXLEN = 64 };

typedef struct {
    int32_t tok[MAXLEN], lab[MAXLEN];
    uint8_t mask[MAXLEN];
    uint32_t len;
} Example;

static void draw(const LkTask *t, LkRng *rng, uint32_t cls, uint32_t len, Example *e)
{
    e->len = len;
    lk_task_draw(t, rng, cls, len, e->tok, e->lab, e->mask);
}

static LkTask *task(const char *spec, const LkTaskOptions *o)
{
    GError *err = NULL;
    LkTask *t = lk_task_new(spec, o, &err);
    if (!t) ck_abort_msg("task %s: %s", spec, err->message);
    return t;
}

static uint32_t token_named(const LkDfa *d, const char *name)
{
    int64_t i = lk_alphabet_index(d->alphabet, name);
    ck_assert_int_ge(i, 0);
    return (uint32_t)i;
}

START_TEST(test_gen_counting_labels)
{
    LkRng rng;
    lk_rng_init(&rng, 1);
    for (uint32_t m = 2; m <= 7; m++) {
        g_autofree char *spec = g_strdup_printf(m == 2 ? "parity" : "mod:%u", m);
        g_autoptr(LkTask) t = task(spec, NULL);
        g_autofree char *fam = g_strdup_printf("mod:%u", m);
        g_autoptr(LkDfa) d = lk_family_dfa(fam, NULL, NULL);
        ck_assert_uint_eq(lk_task_n_labels(t), m);
        for (int it = 0; it < 200; it++) {
            Example e;
            draw(t, &rng, 0, 1 + lk_rng_below(&rng, MAXLEN), &e);
            uint32_t ones = 0, w[MAXLEN];
            for (uint32_t i = 0; i < e.len; i++) {
                ck_assert(e.tok[i] == 0 || e.tok[i] == 1);
                ones += !strcmp(lk_alphabet_name(lk_task_vocabulary(t), e.tok[i]), "1");
                ck_assert_int_eq(e.lab[i], ones % m); /* direct count */
                w[i] = token_named(d, lk_alphabet_name(lk_task_vocabulary(t), e.tok[i]));
                ck_assert_int_eq(lk_dfa_accepts(d, w, i + 1), e.lab[i] == 0); /* the DFA */
                ck_assert(e.mask[i]);
            }
        }
    }
    /* cycle navigation: the position, directly */
    g_autoptr(LkTask) c = task("cycle:7", NULL);
    for (int it = 0; it < 200; it++) {
        Example e;
        draw(c, &rng, 0, 1 + lk_rng_below(&rng, MAXLEN), &e);
        int pos = 0;
        for (uint32_t i = 0; i < e.len; i++) {
            const char *s = lk_alphabet_name(lk_task_vocabulary(c), e.tok[i]);
            pos = (pos + (s[0] == '+') - (s[0] == '-') + 7) % 7;
            ck_assert_int_eq(e.lab[i], pos);
        }
    }
    /* even pairs: #ab + #ba even */
    g_autoptr(LkTask) ep = task("evenpairs", NULL);
    for (int it = 0; it < 200; it++) {
        Example e;
        draw(ep, &rng, 0, 1 + lk_rng_below(&rng, MAXLEN), &e);
        int pairs = 0;
        for (uint32_t i = 0; i < e.len; i++) {
            if (i) pairs += e.tok[i] != e.tok[i - 1];
            ck_assert_int_eq(e.lab[i], pairs % 2 == 0);
        }
    }
}
END_TEST

/* Labels of a group task against products of the tokens' permutations: the
 * label must be a function of the product and vice versa, 0 the identity. */
static void check_group(const char *spec, const char *const *factors, int n_factors)
{
    g_autoptr(LkTask) t = task(spec, NULL);
    uint32_t deg[4], k[4], total = 0;
    uint8_t *perms[4];
    for (int f = 0; f < n_factors; f++) {
        perms[f] = lk_family_token_perms(factors[f], &deg[f], &k[f], NULL);
        ck_assert_ptr_nonnull(perms[f]);
        total += deg[f];
    }
    const uint32_t L = lk_task_n_labels(t);
    char **seen_perm = g_new0(char *, L);
    GHashTable *by_perm = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    LkRng rng;
    lk_rng_init(&rng, 7);
    for (int it = 0; it < 300; it++) {
        Example e;
        draw(t, &rng, 0, 1 + lk_rng_below(&rng, 40), &e);
        uint8_t p[64];
        for (uint32_t i = 0; i < total; i++) p[i] = (uint8_t)i; /* points of all factors */
        for (uint32_t i = 0; i < e.len; i++) {
            uint32_t tok = (uint32_t)e.tok[i], off = total;
            for (int f = n_factors; f-- > 0;) { /* token = ((a0 * k1) + a1) * k2 + ... */
                const uint32_t a = tok % k[f];
                tok /= k[f];
                off -= deg[f];
                for (uint32_t x = off; x < off + deg[f]; x++)
                    p[x] = (uint8_t)(off + perms[f][(size_t)a * deg[f] + (p[x] - off)]);
            }
            char *key = g_new0(char, total + 1);
            for (uint32_t x = 0; x < total; x++) key[x] = (char)(p[x] + 1); /* no NUL */
            const int32_t l = e.lab[i];
            ck_assert_int_ge(l, 0);
            ck_assert_int_lt(l, L);
            if (seen_perm[l])
                ck_assert_msg(!strcmp(seen_perm[l], key), "%s: label -> product", spec);
            else
                seen_perm[l] = g_strdup(key);
            gpointer prev = g_hash_table_lookup(by_perm, key);
            if (prev)
                ck_assert_msg(GPOINTER_TO_INT(prev) - 1 == l, "%s: product -> label", spec);
            else
                g_hash_table_insert(by_perm, g_strdup(key), GINT_TO_POINTER(l + 1));
            bool identity = true;
            for (uint32_t x = 0; x < total; x++) identity &= p[x] == x;
            ck_assert_int_eq(identity, l == 0);
            if (n_factors == 1 && strncmp(spec, "S:", 2) == 0) { /* names in cycle notation */
                g_autofree char *name = lk_perm_name(p, total);
                ck_assert_str_eq(name, lk_task_label_name(t, (uint32_t)l));
            }
            g_free(key);
        }
    }
    for (uint32_t l = 0; l < L; l++) g_free(seen_perm[l]);
    g_free(seen_perm);
    g_hash_table_unref(by_perm);
    for (int f = 0; f < n_factors; f++) g_free(perms[f]);
}

START_TEST(test_gen_group_labels)
{
    static const char *specs[] = {"S:5", "S:5/swaps", "S:5/swaps3", "A:5",     "A:4",
                                  "S:3", "D:6",       "Z:60",       "Z:7/gens"};
    for (size_t i = 0; i < G_N_ELEMENTS(specs); i++) check_group(specs[i], &specs[i], 1);
    static const char *a4z5[] = {"A:4", "Z:5"}, *s3d4z2[] = {"S:3", "D:4", "Z:2"};
    check_group("A:4xZ:5", a4z5, 2);
    check_group("S:3xD:4xZ:2", s3d4z2, 3);
    /* k tokens per transition: every k-th token is free, the others the identity */
    LkTaskOptions o = {.pad = 3};
    g_autoptr(LkTask) t = task("S:5/swaps", &o);
    LkRng rng;
    lk_rng_init(&rng, 8);
    ck_assert(isinf(lk_task_log_count(t, 0, 10)));
    ck_assert(!isinf(lk_task_log_count(t, 0, 9)));
    for (int it = 0; it < 100; it++) {
        Example e;
        draw(t, &rng, 0, 3 * (1 + lk_rng_below(&rng, 20)), &e);
        for (uint32_t i = 0; i < e.len; i++) {
            if (i % 3) ck_assert_str_eq(lk_alphabet_name(lk_task_vocabulary(t), e.tok[i]), "e");
            if (i % 3) ck_assert_int_eq(e.lab[i], e.lab[i - 1]);
        }
    }
    GError *err = NULL;
    ck_assert_ptr_null(lk_task_new("S:5/gens", &o, &err)); /* no identity token */
    g_clear_error(&err);
    ck_assert_ptr_null(lk_task_new("no-such-task", NULL, &err));
    ck_assert_int_eq(err->code, LK_ERROR_INPUT);
    g_clear_error(&err);
}
END_TEST

START_TEST(test_gen_flipflop_labels)
{
    g_autoptr(LkTask) t =
        task("flipflop", &(LkTaskOptions){.p_write = 0.2, .p_read = 0.3, .p_ignore = 0.5});
    g_autoptr(LkDfa) d = lk_family_dfa("flipflop", NULL, NULL);
    LkRng rng;
    lk_rng_init(&rng, 9);
    uint64_t counts[4] = {0};
    for (int it = 0; it < 2000; it++) {
        Example e;
        draw(t, &rng, 0, 1 + lk_rng_below(&rng, 40), &e);
        const LkAlphabet *v = lk_task_vocabulary(t);
        ck_assert(e.tok[0] == 0 || e.tok[0] == 1); /* a write first */
        uint32_t w[MAXLEN];
        int bit = -1;
        for (uint32_t i = 0; i < e.len; i++) {
            const char *s = lk_alphabet_name(v, e.tok[i]);
            if (i) counts[s[0] == 'w' ? 0 : s[0] == 'r' ? 1 : 2]++;
            if (s[0] == 'w') bit = s[1] - '0';
            ck_assert_int_eq(e.lab[i], bit);
            ck_assert_int_eq(e.mask[i], s[0] == 'r');
            /* the same vocabulary as the family: its state after the prefix is the label */
            w[i] = token_named(d, s);
            if (bit >= 0) ck_assert_int_eq(lk_dfa_accepts(d, w, i + 1), bit);
        }
    }
    /* the instruction frequencies match the probabilities (chi-square, 2 df) */
    const double n = (double)(counts[0] + counts[1] + counts[2]), p[3] = {0.2, 0.3, 0.5};
    double chi = 0;
    for (int i = 0; i < 3; i++) chi += pow((double)counts[i] - n * p[i], 2) / (n * p[i]);
    ck_assert_msg(chi < 13.8, "chi-square %.2f", chi); /* p = 0.001 */
}
END_TEST

/* Recursive descent over token ids (digits 0..m-1, then + - * = ( )). */
typedef struct {
    const int32_t *t;
    uint32_t len, at;
    int64_t m;
    bool bad;
} Parser;

static int64_t p_expr(Parser *p);

static int64_t p_atom(Parser *p)
{
    if (p->at >= p->len) return p->bad = true, 0;
    int32_t x = p->t[p->at++];
    if (x < p->m) return x;
    if (x == p->m + 4) {
        int64_t v = p_expr(p);
        if (p->at >= p->len || p->t[p->at++] != p->m + 5) p->bad = true;
        return v;
    }
    p->bad = true;
    return 0;
}

static int64_t p_term(Parser *p)
{
    int64_t v = p_atom(p);
    while (p->at < p->len && p->t[p->at] == p->m + 2) p->at++, v = v * p_atom(p) % p->m;
    return v;
}

static int64_t p_expr(Parser *p)
{
    int64_t v = p_term(p);
    while (p->at < p->len && (p->t[p->at] == p->m || p->t[p->at] == p->m + 1)) {
        bool minus = p->t[p->at++] == p->m + 1;
        int64_t w = p_term(p);
        v = ((minus ? v - w : v + w) % p->m + p->m) % p->m;
    }
    return v;
}

/* The value of tokens [0, len) as a whole expression, or -1. */
static int64_t evaluate(const int32_t *t, uint32_t len, int64_t m)
{
    Parser p = {t, len, 0, m, false};
    int64_t v = p_expr(&p);
    return p.bad || p.at != len ? -1 : v;
}

START_TEST(test_gen_arith_labels)
{
    g_autoptr(LkDfa) fam = lk_family_dfa("arith", NULL, NULL);
    LkRng rng;
    lk_rng_init(&rng, 10);
    static const uint32_t moduli[] = {2, 5, 7};
    for (int brackets = 0; brackets < 2; brackets++)
        for (size_t mi = 0; mi < G_N_ELEMENTS(moduli); mi++) {
            const uint32_t m = moduli[mi];
            LkTaskOptions o = {.modulus = m};
            g_autoptr(LkTask) t = task(brackets ? "arith-brackets" : "arith", &o);
            const LkAlphabet *v = lk_task_vocabulary(t);
            ck_assert(isinf(lk_task_log_count(t, 0, 7)));
            int depth_seen = 0;
            for (int it = 0; it < 400; it++) {
                Example e;
                draw(t, &rng, 0, 2 + 2 * lk_rng_below(&rng, MAXLEN / 2 - 1), &e);
                ck_assert_str_eq(lk_alphabet_name(v, e.tok[e.len - 1]), "=");
                ck_assert(e.mask[e.len - 1]);
                for (uint32_t i = 0; i + 1 < e.len; i++) {
                    int64_t val = evaluate(e.tok, i + 1, m); /* complete prefixes count */
                    ck_assert_int_eq(e.mask[i], val >= 0);
                    if (val >= 0) ck_assert_int_eq(e.lab[i], val);
                    depth_seen |= e.tok[i] == (int32_t)m + 4;
                }
                ck_assert_int_eq(e.lab[e.len - 1], evaluate(e.tok, e.len - 1, m));
                if (m != 5 || brackets) continue;
                /* mod 5 without brackets: the family's DFA of true equations */
                uint32_t w[MAXLEN + 1];
                for (uint32_t i = 0; i < e.len; i++)
                    w[i] = token_named(fam, lk_alphabet_name(v, e.tok[i]));
                for (int32_t r = 0; r < 5; r++) {
                    g_autofree char *rs = g_strdup_printf("%d", r);
                    w[e.len] = token_named(fam, rs);
                    ck_assert_int_eq(lk_dfa_accepts(fam, w, e.len + 1), r == e.lab[e.len - 1]);
                }
            }
            ck_assert_int_eq(depth_seen, brackets);
        }
}
END_TEST

START_TEST(test_gen_member_labels_and_uniformity)
{
    g_autoptr(LkAlphabet) ab = lk_alphabet_new_chars("ab", NULL);
    const char *rx = "(a|b)*a(a|b)";
    g_autoptr(LkRegex) re = lk_regex_parse(rx, ab, NULL);
    g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, NULL);
    LkTaskOptions o = {.dfa = d, .source = rx, .max_len = 12};
    g_autoptr(LkTask) t = task("member", &o);
    ck_assert_uint_eq(lk_task_classes(t), 2);
    LkRng rng;
    lk_rng_init(&rng, 11);
    for (int it = 0; it < 300; it++) { /* labels: the backtracking matcher */
        Example e;
        const uint32_t cls = it % 2;
        draw(t, &rng, cls, 2 + lk_rng_below(&rng, 11), &e); /* accepted words: length >= 2 */
        uint32_t w[MAXLEN];
        for (uint32_t i = 0; i < e.len; i++) {
            w[i] = (uint32_t)e.tok[i];
            ck_assert_int_eq(e.lab[i], lk_regex_matches_backtrack(re, w, i + 1));
        }
        ck_assert_int_eq(e.lab[e.len - 1], cls);
    }
    /* uniform within class and length: 8 accepted words of length 4 */
    uint64_t hist[16] = {0};
    const int N = 8000;
    for (int it = 0; it < N; it++) {
        Example e;
        draw(t, &rng, 1, 4, &e);
        uint32_t code = 0;
        for (uint32_t i = 0; i < 4; i++) code = code * 2 + (uint32_t)e.tok[i];
        hist[code]++;
    }
    double chi = 0;
    int bins = 0;
    for (int c = 0; c < 16; c++) {
        if (!hist[c]) continue;
        bins++;
        chi += pow((double)hist[c] - N / 8.0, 2) / (N / 8.0);
    }
    ck_assert_int_eq(bins, 8);
    ck_assert_msg(chi < 24.3, "chi-square %.2f with 7 df", chi); /* p = 0.001 */
}
END_TEST

static char *read_all(const char *dir, const char *name, gsize *len)
{
    g_autofree char *p = g_build_filename(dir, name, NULL);
    char *text = NULL;
    if (!g_file_get_contents(p, &text, len, NULL)) ck_abort_msg("cannot read %s", p);
    return text;
}

static char *write_dataset(const LkTask *t, LkFormat f, bool prefix, bool dedup, uint32_t shard,
                           uint32_t n_shards, const LkSplit *splits, uint32_t n_splits,
                           LkLengthDist dist)
{
    char *dir = g_dir_make_tmp("lrnnkit-gen-XXXXXX", NULL);
    LkDatasetSpec spec = {.dir = dir,
                          .format = f,
                          .prefix_labels = prefix,
                          .lengths = dist,
                          .seed = 42,
                          .splits = splits,
                          .n_splits = n_splits,
                          .dedup = dedup,
                          .shard = shard,
                          .n_shards = n_shards};
    GError *err = NULL;
    if (!lk_dataset_write(t, &spec, &err)) ck_abort_msg("dataset: %s", err->message);
    return dir;
}

static void remove_dir(char *dir)
{
    GDir *g = g_dir_open(dir, 0, NULL);
    const char *n;
    while ((n = g_dir_read_name(g))) {
        g_autofree char *p = g_build_filename(dir, n, NULL);
        unlink(p);
    }
    g_dir_close(g);
    rmdir(dir);
    g_free(dir);
}

/* The bytes of a file, without the .npy header when npy. */
static GString *payload(const char *dir, const char *name, bool npy)
{
    gsize len;
    g_autofree char *text = read_all(dir, name, &len);
    size_t skip = 0;
    if (npy) skip = 10 + ((uint8_t)text[8] | (uint8_t)text[9] << 8);
    return g_string_new_len(text + skip, (gssize)(len - skip));
}

START_TEST(test_gen_determinism_and_shards)
{
    static const char *tasks[] = {"parity", "S:5/swaps3", "arith-brackets", "flipflop"};
    LkSplit splits[2] = {{"train", 3, 20, 101}, {"test", 20, 30, 37}};
    for (size_t ti = 0; ti < G_N_ELEMENTS(tasks); ti++) {
        g_autoptr(LkTask) t = task(tasks[ti], NULL);
        for (LkFormat f = LK_FORMAT_JSONL; f <= LK_FORMAT_NPZ; f++)
            for (int dedup = 0; dedup < 2; dedup++) {
                const bool prefix = (ti + f) % 2 == 0, npy = f == LK_FORMAT_NPY;
                char *a = write_dataset(t, f, prefix, dedup, 0, 1, splits, 2, LK_LENGTHS_UNIFORM);
                char *b = write_dataset(t, f, prefix, dedup, 0, 1, splits, 2, LK_LENGTHS_UNIFORM);
                const char *ext[] = {"jsonl", "csv", "npy", "npz"};
                const char *members[] = {"tokens", "labels", "lengths", "mask"};
                const int n_members = npy ? (prefix ? 4 : 3) : 1;
                for (int s = 0; s < 2; s++)
                    for (int mi = 0; mi < n_members; mi++) {
                        g_autofree char *name =
                            npy ? g_strdup_printf("%s.%s.npy", splits[s].name, members[mi])
                                : g_strdup_printf("%s.%s", splits[s].name, ext[f]);
                        gsize la, lb;
                        g_autofree char *x = read_all(a, name, &la), *y = read_all(b, name, &lb);
                        ck_assert_msg(la == lb && memcmp(x, y, la) == 0, "%s differs", name);
                    }
                gsize la, lb;
                g_autofree char *ma = read_all(a, "manifest.json", &la),
                                *mb = read_all(b, "manifest.json", &lb);
                ck_assert_str_eq(ma, mb);
                /* three shards concatenated are the whole */
                if (f != LK_FORMAT_NPZ) {
                    char *sh[3];
                    for (uint32_t i = 0; i < 3; i++)
                        sh[i] =
                            write_dataset(t, f, prefix, dedup, i, 3, splits, 2, LK_LENGTHS_UNIFORM);
                    for (int s = 0; s < 2; s++)
                        for (int mi = 0; mi < n_members; mi++) {
                            g_autofree char *whole_name =
                                npy ? g_strdup_printf("%s.%s.npy", splits[s].name, members[mi])
                                    : g_strdup_printf("%s.%s", splits[s].name, ext[f]);
                            GString *whole = payload(a, whole_name, npy), *cat = g_string_new(NULL);
                            for (uint32_t i = 0; i < 3; i++) {
                                g_autofree char *nm =
                                    npy ? g_strdup_printf("%s.%s-%05u-of-00003.npy", splits[s].name,
                                                          members[mi], i)
                                        : g_strdup_printf("%s-%05u-of-00003.%s", splits[s].name, i,
                                                          ext[f]);
                                GString *part = payload(sh[i], nm, npy);
                                g_string_append_len(cat, part->str, (gssize)part->len);
                                g_string_free(part, TRUE);
                            }
                            ck_assert_msg(whole->len == cat->len &&
                                              memcmp(whole->str, cat->str, whole->len) == 0,
                                          "%s: shards differ from the whole", whole_name);
                            g_string_free(whole, TRUE);
                            g_string_free(cat, TRUE);
                        }
                    for (uint32_t i = 0; i < 3; i++) remove_dir(sh[i]);
                }
                remove_dir(a);
                remove_dir(b);
            }
    }
}
END_TEST

START_TEST(test_gen_dedup_and_lengths)
{
    g_autoptr(LkTask) t = task("parity", NULL);
    /* 2^3 + 2^4 = 24 distinct inputs of lengths 3-4: 24 fit, 25 do not */
    LkSplit ok_splits[2] = {{"train", 3, 4, 20}, {"test", 3, 4, 4}};
    char *dir =
        write_dataset(t, LK_FORMAT_JSONL, false, true, 0, 1, ok_splits, 2, LK_LENGTHS_UNIFORM);
    gsize l1, l2;
    g_autofree char *tr = read_all(dir, "train.jsonl", &l1), *te = read_all(dir, "test.jsonl", &l2);
    g_autofree char *all = g_strconcat(tr, te, NULL);
    g_auto(GStrv) lines = g_strsplit(all, "\n", -1);
    GHashTable *inputs = g_hash_table_new(g_str_hash, g_str_equal);
    for (char **l = lines; *l && **l; l++) {
        char *end = strstr(*l, ", \"target\"");
        ck_assert_ptr_nonnull(end);
        *end = 0;
        ck_assert_msg(g_hash_table_add(inputs, *l), "duplicate %s", *l);
    }
    ck_assert_uint_eq(g_hash_table_size(inputs), 24);
    g_hash_table_unref(inputs);
    remove_dir(dir);
    LkSplit too_many[1] = {{"train", 3, 4, 25}};
    char *d2 = g_dir_make_tmp("lrnnkit-gen-XXXXXX", NULL);
    LkDatasetSpec spec = {.dir = d2,
                          .splits = too_many,
                          .n_splits = 1,
                          .dedup = true,
                          .n_shards = 1,
                          .max_attempts = 200};
    GError *err = NULL;
    ck_assert(!lk_dataset_write(t, &spec, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
    GDir *g = g_dir_open(d2, 0, NULL);
    ck_assert_ptr_null(g_dir_read_name(g)); /* nothing left behind */
    g_dir_close(g);
    remove_dir(d2);
    /* length distributions: uniform over lengths, and over words (2^L) */
    LkSplit one[1] = {{"train", 1, 4, 15000}};
    for (int words = 0; words < 2; words++) {
        char *d = write_dataset(t, LK_FORMAT_NPY, false, false, 0, 1, one, 1,
                                words ? LK_LENGTHS_WORDS : LK_LENGTHS_UNIFORM);
        GString *lens = payload(d, "train.lengths.npy", true);
        ck_assert_uint_eq(lens->len, 4 * 15000);
        uint64_t h[5] = {0};
        for (size_t i = 0; i < 15000; i++) h[((int32_t *)(void *)lens->str)[i]]++;
        double chi = 0;
        for (int l = 1; l <= 4; l++) {
            double p = words ? (double)(1 << l) / 30.0 : 0.25;
            chi += pow((double)h[l] - 15000 * p, 2) / (15000 * p);
        }
        ck_assert_msg(chi < 16.3, "chi-square %.2f with 3 df", chi); /* p = 0.001 */
        g_string_free(lens, TRUE);
        remove_dir(d);
    }
}
END_TEST

/* Reading back: the four formats give the same examples, each example's
 * labels are the family DFA's states along it (an independent oracle), and
 * a changed byte is caught by the checksum. */
START_TEST(test_dataset_read_round_trip)
{
    static const char *tasks[] = {"S:4/swaps", "flipflop", "mod:3"};
    LkSplit splits[] = {{"train", 0, 9, 40}, {"test", 12, 15, 10}};
    for (int ti = 0; ti < 3; ti++) {
        LkTaskOptions opt = {0};
        g_autoptr(LkTask) t = lk_task_new(tasks[ti], &opt, NULL);
        ck_assert_ptr_nonnull(t);
        for (int prefix = 0; prefix < 2; prefix++) {
            LkExamples *first[2] = {NULL, NULL};
            for (LkFormat f = LK_FORMAT_JSONL; f <= LK_FORMAT_NPZ; f++) {
                char *dir = write_dataset(t, f, prefix, false, 0, 1, splits, 2, LK_LENGTHS_UNIFORM);
                GError *err = NULL;
                g_autoptr(LkDataset) d = lk_dataset_open(dir, &err);
                ck_assert_msg(d != NULL, "%s", err ? err->message : "");
                ck_assert_str_eq(d->task, tasks[ti]);
                ck_assert_int_eq(d->prefix_labels, prefix);
                ck_assert_uint_eq(d->n_labels, lk_task_n_labels(t));
                ck_assert(lk_alphabet_equal(d->vocabulary, lk_task_vocabulary(t)));
                ck_assert_int_eq(d->format, f);
                for (int s = 0; s < 2; s++) {
                    LkExamples *e = lk_dataset_read(d, &d->splits[s], NULL, &err);
                    ck_assert_msg(e != NULL, "%s", err ? err->message : "");
                    ck_assert_uint_eq(e->n, splits[s].count);
                    if (!first[s]) {
                        first[s] = e;
                        continue;
                    }
                    const uint64_t T = e->offset[e->n], L = prefix ? T : e->n;
                    ck_assert(!memcmp(e->offset, first[s]->offset, 8 * (e->n + 1)));
                    ck_assert(!memcmp(e->tokens, first[s]->tokens, 4 * T));
                    ck_assert(!memcmp(e->labels, first[s]->labels, 4 * L));
                    lk_examples_free(e);
                }
                /* a flipped byte in a split file: refused, naming the file */
                if (f == LK_FORMAT_NPY) {
                    g_autofree char *p = g_build_filename(dir, "test.labels.npy", NULL);
                    gsize len;
                    g_autofree char *bytes = NULL;
                    ck_assert(g_file_get_contents(p, &bytes, &len, NULL));
                    bytes[len - 1] ^= 1;
                    ck_assert(g_file_set_contents(p, bytes, (gssize)len, NULL));
                    ck_assert_ptr_null(lk_dataset_read(d, &d->splits[1], NULL, &err));
                    ck_assert(strstr(err->message, "differs from the manifest"));
                    g_clear_error(&err);
                    /* and past the byte limit: LK_ERROR_LIMIT */
                    ck_assert_ptr_null(
                        lk_dataset_read(d, &d->splits[0], &(LkLimits){.max_memory = 10}, &err));
                    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
                    g_clear_error(&err);
                }
                remove_dir(dir);
            }
            /* labels against the family's DFA (flipflop: reads only, the last written bit) */
            uint32_t n_states;
            const int32_t *state_label = lk_task_state_labels(t, &n_states);
            ck_assert_ptr_nonnull(state_label);
            g_autoptr(LkDfa) dfa = lk_family_dfa(tasks[ti], NULL, NULL);
            ck_assert_uint_eq(dfa->n, n_states);
            for (int s = 0; s < 2; s++) {
                const LkExamples *e = first[s];
                for (uint64_t i = 0; i < e->n; i++) {
                    uint32_t q = dfa->start;
                    for (uint64_t x = e->offset[i]; x < e->offset[i + 1]; x++) {
                        q = dfa->delta[(size_t)q * dfa->k + (uint32_t)e->tokens[x]];
                        const int32_t want = state_label[q];
                        if (prefix && e->labels[x] != -100) ck_assert_int_eq(e->labels[x], want);
                        if (!prefix && x + 1 == e->offset[i + 1] && e->labels[i] != -100)
                            ck_assert_int_eq(e->labels[i], want);
                    }
                }
                lk_examples_free(first[s]);
            }
        }
    }
}
END_TEST

/* Manifests that lie or point elsewhere are refused with a message. */
START_TEST(test_dataset_read_bad_manifests)
{
    LkTaskOptions opt = {0};
    g_autoptr(LkTask) t = lk_task_new("parity", &opt, NULL);
    LkSplit splits[] = {{"test", 2, 4, 5}};
    char *dir =
        write_dataset(t, LK_FORMAT_JSONL, false, false, 0, 1, splits, 1, LK_LENGTHS_UNIFORM);
    g_autofree char *mp = g_build_filename(dir, "manifest.json", NULL);
    g_autofree char *good = NULL;
    ck_assert(g_file_get_contents(mp, &good, NULL, NULL));
    static const struct {
        const char *from, *to, *says;
    } edits[] = {
        {"\"lrnnkit-dataset\"", "\"other\"", "not an lrnnkit-dataset"},
        {"\"path\": \"test.jsonl\"", "\"path\": \"../test.jsonl\"", "plain \"path\""},
        {"\"pad_token\": 2", "\"pad_token\": 7", "pad_token"},
        {"\"kind\": \"final\"", "\"kind\": \"middle\"", "labels must be"},
        {"\"file_format\": \"jsonl\"", "\"file_format\": \"xml\"", "file_format"},
        {"\"examples\": 5", "\"examples\": 6", "the manifest says 6"},
        {"\"vocabulary\": [\"0\", \"1\"]", "\"vocabulary\": [\"0\", \"0\"]", "vocabulary"},
        {"{\"format\"", "{{\"format\"", "manifest.json"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(edits); i++) {
        ck_assert_msg(strstr(good, edits[i].from), "%s", edits[i].from);
        g_autofree char *bad = NULL;
        {
            g_auto(GStrv) parts = g_strsplit(good, edits[i].from, 2);
            bad = g_strjoin(edits[i].to, parts[0], parts[1], NULL);
        }
        ck_assert(g_file_set_contents(mp, bad, -1, NULL));
        GError *err = NULL;
        g_autoptr(LkDataset) d = lk_dataset_open(dir, &err);
        LkExamples *e = d ? lk_dataset_read(d, &d->splits[0], NULL, &err) : NULL;
        ck_assert_msg(e == NULL && err && strstr(err->message, edits[i].says), "%s: %s",
                      edits[i].says, err ? err->message : "(accepted)");
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_clear_error(&err);
    }
    remove_dir(dir);
}
END_TEST

/* A .npy image of a header dict and little-endian values of width bytes. */
static GByteArray *npy_image(const char *dict, const int64_t *v, size_t n, unsigned width)
{
    GByteArray *b = g_byte_array_new();
    g_autofree char *h = g_strdup_printf("%-*s\n", 117, dict); /* 10 + 118 = 128 bytes */
    const uint8_t pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
    g_byte_array_append(b, pre, 10);
    g_byte_array_append(b, (const uint8_t *)h, 118);
    for (size_t i = 0; i < n; i++)
        for (unsigned j = 0; j < width; j++) {
            const uint8_t x = (uint8_t)((uint64_t)v[i] >> (8 * j));
            g_byte_array_append(b, &x, 1);
        }
    return b;
}

/* Integer arrays as datasets store them, in every width, both orders. */
START_TEST(test_npy_integers)
{
    const int64_t v[6] = {1, -2, 3, -4, 5, 120};
    static const struct {
        const char *descr;
        unsigned width;
    } kinds[] = {{"'|i1'", 1}, {"'<i2'", 2}, {"'<i4'", 4}, {"'<i8'", 8}};
    for (size_t k = 0; k < G_N_ELEMENTS(kinds); k++)
        for (int fortran = 0; fortran < 2; fortran++) {
            g_autofree char *dict =
                g_strdup_printf("{'descr': %s, 'fortran_order': %s, 'shape': (2, 3), }",
                                kinds[k].descr, fortran ? "True" : "False");
            GByteArray *b = npy_image(dict, v, 6, kinds[k].width);
            GError *err = NULL;
            g_autoptr(LkNpyArray) a = lk_npy_parse(b->data, b->len, "x", "test", &err);
            ck_assert_msg(a != NULL, "%s", err ? err->message : "");
            ck_assert(a->integer && a->ints && !a->data);
            ck_assert_uint_eq(a->ndim, 2);
            /* C order: row-major as stored; Fortran: v is column-major, so [i][j] = v[j*2+i] */
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                    ck_assert_int_eq(a->ints[i * 3 + j], fortran ? v[j * 2 + i] : v[i * 3 + j]);
            g_byte_array_unref(b);
        }
    const int64_t big[1] = {(int64_t)1 << 40}, u8[2] = {200, 7};
    GByteArray *b =
        npy_image("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", big, 1, 8);
    GError *err = NULL;
    ck_assert_ptr_null(lk_npy_parse(b->data, b->len, "x", "test", &err));
    ck_assert(strstr(err->message, "outside int32"));
    g_clear_error(&err);
    g_byte_array_unref(b);
    b = npy_image("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", u8, 2, 1);
    g_autoptr(LkNpyArray) a = lk_npy_parse(b->data, b->len, "x", "test", &err);
    ck_assert(a && a->ints[0] == 200 && a->ints[1] == 7);
    g_byte_array_unref(b);
    b = npy_image("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", u8, 2, 4);
    ck_assert_ptr_null(lk_npy_parse(b->data, b->len, "x", "test", &err));
    g_clear_error(&err);
    g_byte_array_unref(b);
}
END_TEST

/* Predictions scored: counted labels, per length, whole examples. */
START_TEST(test_dataset_score)
{
    LkDataset d = {.prefix_labels = true, .ignore_index = -100};
    uint64_t offset[] = {0, 2, 5};
    int32_t tokens[5] = {0}, labels[] = {1, -100, 0, 1, 1}, pred[] = {1, 0, 0, 0, 1};
    LkExamples e = {2, offset, tokens, labels};
    LkScore s;
    lk_score_examples(&d, &e, pred, &s);
    ck_assert_uint_eq(s.counted, 4);
    ck_assert_uint_eq(s.correct, 3);
    ck_assert_uint_eq(s.examples_correct, 1);
    ck_assert_uint_eq(s.min_len, 2);
    ck_assert_uint_eq(s.max_len, 3);
    ck_assert_uint_eq(s.len_correct[0], 1);
    ck_assert_uint_eq(s.len_counted[1], 3);
    ck_assert_uint_eq(s.len_correct[1], 2);
    lk_score_clear(&s);
}
END_TEST

static Suite *gen_suite(void)
{
    Suite *s = suite_create("generators");
    TCase *tc = tcase_create("labels");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_gen_counting_labels);
    tcase_add_test(tc, test_gen_group_labels);
    tcase_add_test(tc, test_gen_flipflop_labels);
    tcase_add_test(tc, test_gen_arith_labels);
    tcase_add_test(tc, test_gen_member_labels_and_uniformity);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_gen_determinism_and_shards);
    tcase_add_test(tc, test_gen_dedup_and_lengths);
    tcase_add_test(tc, test_dataset_read_round_trip);
    tcase_add_test(tc, test_dataset_read_bad_manifests);
    tcase_add_test(tc, test_dataset_score);
    tcase_add_test(tc, test_npy_integers);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(gen_suite)
