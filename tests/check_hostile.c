/* Inputs the fuzzers found (tests/fuzz), each kept as a regression test:
 * readers must reject them cleanly (an LK_ERROR, no critical warning, no
 * undefined behaviour) or handle them. Criticals are fatal in every test
 * (testutil.h), so a g_return_if_fail reached by input fails here. */
#include "automata/atomic-file.h"
#include "automata/families.h"
#include "automata/json-util.h"
#include "automata/regex.h"
#include "automata/semigroup/monoid.h"
#include "automata/semigroup/cascade.h"
#include "generators/dataset-read.h"
#include "lrnn/lrnn.h"
#include "testutil.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

/* fuzz-regex: regexes over no letter at all ("()", the empty regex) left a
 * DFA with no transition table (NULL + 0 in the canonical-form check and the
 * word-list builder: undefined behaviour under clang's UBSan). */
START_TEST(test_regex_without_letters)
{
    static const char *const texts[] = {"()", "()*", "(()|())+", "x{0}"};
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        GError *err = NULL;
        g_autoptr(LkRegex) re = lk_regex_parse(texts[i], NULL, &err);
        ck_assert_msg(re != NULL, "%s: %s", texts[i], err ? err->message : "");
        for (LkMinimizer how = LK_MINIMIZE_HOPCROFT; how <= LK_MINIMIZE_AUTO; how++) {
            g_autoptr(LkDfa) d = lk_regex_compile_with(re, how, NULL, &err);
            ck_assert_msg(d != NULL, "%s", err ? err->message : "");
            ck_assert_ptr_nonnull(d->delta);
            ck_assert(lk_dfa_is_canonical(d));
            ck_assert_int_eq(lk_dfa_accepts(d, NULL, 0), lk_regex_matches_backtrack(re, NULL, 0));
        }
    }
}
END_TEST

/* fuzz-dfa-json, -cascade-json, -model-json: a member of the wrong JSON type
 * ("format": [], "angular": {}, "version": 1.5) made json-glib's typed getters
 * emit criticals (and 1.5 read as version 1). */
START_TEST(test_json_members_of_the_wrong_type)
{
    static const char *const dfas[] = {
        "{\"format\": [], \"alphabet\": [\"a\"], \"states\": 1, \"start\": 0, \"accept\": [], "
        "\"delta\": [[0]]}",
        "{\"format\": {\"x\": 1}}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(dfas); i++) {
        GError *err = NULL;
        ck_assert_ptr_null(lk_dfa_from_json(dfas[i], -1, "t", &err));
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_error_free(err);
    }
    static const char *const cascades[] = {
        "{\"format\": {}, \"version\": 2}",
        "{\"format\": \"lrnnkit-cascade\", \"version\": 1.5}",
        "{\"format\": \"lrnnkit-cascade\", \"version\": []}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cascades); i++) {
        GError *err = NULL;
        ck_assert_ptr_null(lk_cascade_from_json(cascades[i], -1, NULL, &err));
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_error_free(err);
    }
    static const char *const models[] = {
        "{\"format\": []}",
        "{\"format\": \"lrnnkit-stack\", \"version\": {}}",
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"angular\": []}",
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1.5}",
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": []}",
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"angular\": true, \"n\": {}}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        GError *err = NULL;
        ck_assert_ptr_null(lk_stack_from_json(models[i], -1, &err));
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        g_error_free(err);
    }
}
END_TEST

/* fuzz-model-json: json-glib reads escapes JSON does not have. "\333" (an
 * octal escape) became the byte 0xDB, so a model's "family" held invalid
 * UTF-8 and the model's own JSON did not read back; "\x41" read as "x41",
 * "\q" as "q", "\3" as U+0003, "a\u0000b" as "a", a lone surrogate gave a
 * parse error quoting invalid UTF-8. Every reader now refuses them with the
 * position, and the escapes of RFC 8259 read as before. */
START_TEST(test_json_string_escapes)
{
    static const char *const bad[] = {"\\333",     "\\3",     "\\x41",    "\\q",
                                      "a\\u0000b", "\\ud800", "\\udc00x", "\\ud800\\u0041",
                                      "\\u12g4",   "\\u12",   "a\tb"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *dfa = g_strdup_printf(
            "{\"format\": \"lrnnkit-dfa\", \"version\": 1, \"alphabet\": [\"%s\", \"b\"], "
            "\"states\": 1, \"start\": 0, \"accept\": [0], \"delta\": [[0, 0]]}",
            bad[i]);
        GError *err = NULL;
        ck_assert_msg(lk_dfa_from_json(dfa, -1, "t", &err) == NULL, "accepted %s", bad[i]);
        ck_assert_int_eq(err->code, LK_ERROR_INPUT);
        ck_assert_msg(g_utf8_validate(err->message, -1, NULL), "message not UTF-8: %s", bad[i]);
        /* the position of the escape (or raw control character) */
        const uint32_t at = (uint32_t)(strpbrk(dfa, "\\\t") - dfa) + 1;
        g_autofree char *where = g_strdup_printf("line 1, column %u:", at);
        ck_assert_msg(strstr(err->message, where), "%s: %s", bad[i], err->message);
        uint32_t line, col;
        ck_assert(lk_error_location(err, &line, &col) && line == 1 && col == at);
        g_error_free(err);
    }
    /* the crashing input, reduced: the family's octal escape */
    const char *model =
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": 1, \"alphabet\": [\"a\"], "
        "\"h0\": [\"1\"], \"accept\": [1], \"tokens\": [{\"factors\": []}], "
        "\"family\": \"\\333parity\"}";
    GError *err = NULL;
    ck_assert_ptr_null(lk_stack_from_json(model, -1, &err));
    ck_assert_msg(strstr(err->message, "not a JSON escape"), "%s", err->message);
    g_clear_error(&err);
    /* every escape JSON has reads as the character it stands for */
    static const char *const good[][2] = {
        {"\\u00e9", "\xc3\xa9"}, {"\\ud83d\\ude00", "\xf0\x9f\x98\x80"},
        {"\\/x", "/x"},          {"x\\\"", "x\""},
        {"\\\\", "\\"},          {"\\u0041\\u00E9", "A\xc3\xa9"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        g_autofree char *dfa = g_strdup_printf(
            "{\"format\": \"lrnnkit-dfa\", \"version\": 1, \"alphabet\": [\"%s\", \"b\"], "
            "\"states\": 1, \"start\": 0, \"accept\": [0], \"delta\": [[0, 0]]}",
            good[i][0]);
        g_autoptr(LkDfa) d = lk_dfa_from_json(dfa, -1, "t", &err);
        ck_assert_msg(d != NULL, "%s: %s", good[i][0], err ? err->message : "");
        ck_assert_str_eq(lk_alphabet_name(d->alphabet, 0), good[i][1]);
        g_autofree char *json = lk_dfa_to_json(d);
        g_autoptr(LkDfa) e = lk_dfa_from_json(json, -1, "round trip", &err);
        ck_assert(e && lk_dfa_equal(d, e));
    }
}
END_TEST

/* A dataset folder reused after its manifest was replaced by something else
 * ("splits": {}, "files": 3): gen reads the old manifest to remove stale
 * files, and must neither warn nor fail. */
START_TEST(test_gen_over_a_strange_old_manifest)
{
    static const char *const olds[] = {
        "{\"format\": \"lrnnkit-dataset\", \"splits\": {}}",
        "{\"format\": \"lrnnkit-dataset\", \"splits\": [{\"files\": 3}, 7]}",
        "{\"format\": \"lrnnkit-dataset\", \"splits\": [{\"files\": [{\"path\": []}]}]}",
        "[1, 2]",
    };
    LkTaskOptions opt = {0};
    g_autoptr(LkTask) t = lk_task_new("parity", &opt, NULL);
    LkSplit sp = {"test", 2, 3, 4};
    for (size_t i = 0; i < G_N_ELEMENTS(olds); i++) {
        g_autofree char *dir = g_dir_make_tmp("lrnnkit-hostile-XXXXXX", NULL);
        g_autofree char *mp = g_build_filename(dir, "manifest.json", NULL);
        ck_assert(g_file_set_contents(mp, olds[i], -1, NULL));
        LkDatasetSpec spec = {.dir = dir, .splits = &sp, .n_splits = 1, .n_shards = 1};
        GError *err = NULL;
        ck_assert_msg(lk_dataset_write(t, &spec, &err), "%s", err ? err->message : "");
        g_autoptr(LkDataset) d = lk_dataset_open(dir, &err);
        ck_assert(d != NULL);
        g_autofree char *f = g_build_filename(dir, "test.jsonl", NULL);
        unlink(f);
        unlink(mp);
        rmdir(dir);
    }
}
END_TEST

/* Deep nesting: json-glib's parser recurses once per bracket, so 10^5
 * brackets overflowed the C stack (a segmentation fault in `dfa --load`);
 * every JSON reader now refuses more than LK_JSON_MAX_DEPTH levels first. */
START_TEST(test_deep_json)
{
    GString *g = g_string_new("{\"format\": ");
    for (int i = 0; i < 100000; i++) g_string_append_c(g, '[');
    for (int i = 0; i < 100000; i++) g_string_append_c(g, ']');
    g_string_append_c(g, '}');
    GError *err = NULL;
    ck_assert_ptr_null(lk_dfa_from_json(g->str, -1, "t", &err));
    ck_assert(strstr(err->message, "nested more than"));
    g_clear_error(&err);
    ck_assert_ptr_null(lk_cascade_from_json(g->str, -1, NULL, &err));
    ck_assert(strstr(err->message, "nested more than"));
    g_clear_error(&err);
    ck_assert_ptr_null(lk_stack_from_json(g->str, -1, &err));
    ck_assert(strstr(err->message, "nested more than"));
    g_clear_error(&err);
    ck_assert_ptr_null(
        lk_monoid_new_from_json(g->str, -1, "t", &(LkLimits){.max_elements = 100}, &err));
    ck_assert(strstr(err->message, "nested more than"));
    g_clear_error(&err);
    g_autofree char *dir = g_dir_make_tmp("lrnnkit-hostile-XXXXXX", NULL);
    g_autofree char *mp = g_build_filename(dir, "manifest.json", NULL);
    ck_assert(g_file_set_contents(mp, g->str, (gssize)g->len, NULL));
    ck_assert_ptr_null(lk_dataset_open(dir, &err));
    ck_assert(strstr(err->message, "nested more than"));
    g_clear_error(&err);
    unlink(mp);
    rmdir(dir);
    /* brackets inside strings do not count; at the limit it parses */
    GString *ok = g_string_new("{\"format\": \"[[[[[[\", \"x\": ");
    for (int i = 0; i < LK_JSON_MAX_DEPTH - 1; i++) g_string_append_c(ok, '[');
    for (int i = 0; i < LK_JSON_MAX_DEPTH - 1; i++) g_string_append_c(ok, ']');
    g_string_append_c(ok, '}');
    g_autoptr(JsonParser) p = json_parser_new();
    ck_assert(lk_json_parse(p, ok->str, -1, "t", &err));
    g_string_free(ok, TRUE);
    g_string_free(g, TRUE);
}
END_TEST

/* fuzz-dataset: an empty split file (a mapped empty file has no contents
 * pointer: NULL + 0) with a manifest that matches it. */
START_TEST(test_empty_split_file)
{
    LkTaskOptions opt = {0};
    g_autoptr(LkTask) t = lk_task_new("parity", &opt, NULL);
    LkSplit sp = {"test", 2, 3, 4};
    for (LkFormat f = LK_FORMAT_JSONL; f <= LK_FORMAT_CSV; f++) {
        g_autofree char *dir = g_dir_make_tmp("lrnnkit-hostile-XXXXXX", NULL);
        LkDatasetSpec spec = {.dir = dir, .format = f, .splits = &sp, .n_splits = 1, .n_shards = 1};
        GError *err = NULL;
        ck_assert(lk_dataset_write(t, &spec, &err));
        g_autoptr(LkDataset) d = lk_dataset_open(dir, &err);
        ck_assert(d != NULL);
        g_autofree char *file = g_build_filename(dir, d->splits[0].paths[0], NULL);
        ck_assert(g_file_set_contents(file, "", 0, NULL));
        XXH128_canonical_t c; /* the manifest as if the file were meant to be empty */
        XXH128_canonicalFromHash(&c, XXH3_128bits("", 0));
        for (int i = 0; i < 16; i++) snprintf(d->splits[0].sums[0] + 2 * i, 3, "%02x", c.digest[i]);
        d->splits[0].sizes[0] = 0;
        ck_assert_ptr_null(lk_dataset_read(d, &d->splits[0], NULL, &err));
        ck_assert(strstr(err->message, "0 examples; the manifest says 4"));
        g_clear_error(&err);
        d->splits[0].examples = 0;
        g_autoptr(LkExamples) e = lk_dataset_read(d, &d->splits[0], NULL, &err);
        ck_assert_msg(e && e->n == 0, "%s", err ? err->message : "");
        g_autofree char *mp = g_build_filename(dir, "manifest.json", NULL);
        unlink(file);
        unlink(mp);
        rmdir(dir);
    }
}
END_TEST

/* A model file declares its size: n = 100000 and a thousand sparse factors
 * (40 bytes each in the file) would have made 10^8 dense exact entries (a
 * factor's vector is dense in memory), a thousand empty codes the same; and
 * an accept entry that is an object reached json-glib's critical. */
START_TEST(test_model_declared_sizes)
{
    const uint32_t n = 100000;
    GString *h0 = g_string_new(NULL), *acc = g_string_new(NULL);
    for (uint32_t i = 0; i < n; i++) {
        g_string_append(h0, i ? ", \"0\"" : "\"1\"");
        g_string_append(acc, i ? ", 0" : "1");
    }
    GString *factors = g_string_new(NULL), *codes = g_string_new(NULL), *outs = g_string_new(NULL);
    for (int j = 0; j < 1000; j++) {
        g_string_append(factors, j ? ", " : "");
        g_string_append(factors,
                        "{\"beta\": \"2\", \"c\": \"0\", \"u_support\": [0], \"u\": [\"1\"]}");
        g_string_append(codes, j ? ", []" : "[]");
        g_string_append(outs, j ? ", 0" : "0");
    }
    g_autofree char *many_factors = g_strdup_printf(
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": %u, \"alphabet\": [\"a\"], "
        "\"h0\": [%s], \"accept\": [%s], \"tokens\": [{\"factors\": [%s]}]}",
        n, h0->str, acc->str, factors->str);
    GError *err = NULL; /* refused with LK_ERROR_LIMIT before anything is built */
    ck_assert_ptr_null(lk_stack_from_json(many_factors, -1, &err));
    ck_assert_msg(err->code == LK_ERROR_LIMIT, "%s", err->message);
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    ck_assert(strstr(err->message, "vectors of dimension"));
    g_clear_error(&err);
    g_autofree char *many_codes = g_strdup_printf(
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": %u, \"alphabet\": [\"a\"], "
        "\"h0\": [%s], \"accept\": [1], \"codes\": [%s], \"code_outputs\": [%s], "
        "\"tokens\": [{\"factors\": []}]}",
        n, h0->str, codes->str, outs->str);
    ck_assert_ptr_null(lk_stack_from_json(many_codes, -1, &err));
    ck_assert_int_eq(err->code, LK_ERROR_LIMIT);
    g_clear_error(&err);
    static const char *const accepts[] = {
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": 1, \"alphabet\": [\"a\"], "
        "\"h0\": [\"1\"], \"accept\": [{}], \"tokens\": [{\"factors\": []}]}",
        "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": 1, \"alphabet\": [\"a\"], "
        "\"h0\": [\"1\"], \"accept\": [7], \"tokens\": [{\"factors\": []}]}",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(accepts); i++) {
        ck_assert_ptr_null(lk_stack_from_json(accepts[i], -1, &err));
        ck_assert(strstr(err->message, "accept entries"));
        g_clear_error(&err);
    }
    g_string_free(h0, TRUE);
    g_string_free(acc, TRUE);
    g_string_free(factors, TRUE);
    g_string_free(codes, TRUE);
    g_string_free(outs, TRUE);
}
END_TEST

/* fuzz-model-json: a model whose "family" names a large group ("A:8", 20,160
 * states, or S:12) made writing it out (state names) build that group (a
 * timeout). No timing here: the names show whether the group was built. */
START_TEST(test_model_naming_a_large_family)
{
    static const char *const fams[] = {"A:8", "S:12", "nonsense:3"};
    for (size_t i = 0; i < G_N_ELEMENTS(fams); i++) {
        g_autofree char *text = g_strdup_printf(
            "{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": 2, \"alphabet\": [\"a\"], "
            "\"h0\": [\"1\", \"0\"], \"accept\": [1, 0], \"tokens\": [{\"factors\": []}], "
            "\"family\": \"%s\", \"dfa_states\": [0, 1]}",
            fams[i]);
        GError *err = NULL;
        g_autoptr(LkStack) st = lk_stack_from_json(text, -1, &err);
        ck_assert_msg(st != NULL, "%s", err ? err->message : "");
        /* plain state numbers: the family's elements were not named, so its automaton (more
         * states than the model's 2 outputs) was not built (built, A:8 named them "e", ...) */
        g_auto(GStrv) names = lk_stack_output_names(st);
        ck_assert_str_eq(names[0], "0");
        ck_assert_str_eq(names[1], "1");
    }
}
END_TEST

/* The error of a construction stopped by max_memory: LK_ERROR_LIMIT naming
 * --max-memory. */
static void assert_memory_limit(GError *err)
{
    ck_assert_msg(err != NULL, "no error");
    ck_assert_msg(g_error_matches(err, LK_ERROR, LK_ERROR_LIMIT), "%s", err->message);
    ck_assert_msg(strstr(err->message, "--max-memory"), "%s", err->message);
    g_error_free(err);
}

/* Memory is bounded, not only counts (issue: 'compile --family S:6' was killed
 * by the kernel at 24 GB, 'a?{50000}' asked for 4 GB of follow edges and
 * aborted in g_malloc). Every construction that grows estimates its bytes and
 * stops at max_memory with the flag in the message; the same inputs pass
 * under the default (half of physical memory). */
START_TEST(test_memory_bounds)
{
    const LkLimits small = {.max_memory = 1u << 20}; /* 1 MiB */
    GError *err = NULL;
    /* follow edges: quadratic in the positions of a?{3000} (4.5e6 edges) */
    g_autoptr(LkRegex) opt = lk_regex_parse("a?{3000}", NULL, &err);
    ck_assert(opt != NULL);
    ck_assert(lk_regex_compile(opt, &small, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    /* subsets: (a|b)*a(a|b){16} has 2^17 states of ~40 bytes */
    g_autoptr(LkRegex) kth = lk_regex_parse("(a|b)*a(a|b){16}", NULL, &err);
    ck_assert(kth != NULL);
    ck_assert(lk_regex_compile(kth, &small, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    g_autoptr(LkDfa) big = lk_regex_compile(kth, NULL, &err);
    ck_assert_msg(big != NULL, "%s", err ? err->message : "");
    ck_assert_uint_eq(big->n, 1u << 17);
    /* products: 2^17 x 2 states */
    g_autoptr(LkRegex) even = lk_regex_parse("((a|b)(a|b))*", NULL, &err);
    g_autoptr(LkDfa) e = lk_regex_compile(even, NULL, &err);
    ck_assert(lk_dfa_product(big, e, LK_PRODUCT_AND, &small, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    /* a group family: S_6 on all its 720 elements, 720 x 720 transitions */
    ck_assert(lk_family_dfa("S:6/all", &small, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    /* a monoid: the 2^17 states of each element */
    ck_assert(lk_monoid_new_from_dfa(big, &small, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    /* compiled weights: S_5 (120 states, 120 letters) has 1.2e6 exact entries */
    g_autoptr(LkDfa) s5 = lk_family_dfa("S:5/all", NULL, &err);
    ck_assert_msg(s5 != NULL, "%s", err ? err->message : "");
    const LkCompileOptions copt = {.limits = small};
    ck_assert(lk_stack_compile_dfa(s5, LK_STRATEGY_AUTO, &copt, NULL, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    /* holonomy layers: checked level by level */
    g_autoptr(LkRegex) ab = lk_regex_parse("(a|b)*a(a|b){3}", NULL, &err);
    g_autoptr(LkDfa) d4 = lk_regex_compile(ab, NULL, &err);
    const LkCompileOptions tiny = {.limits = {.max_memory = 1000}};
    ck_assert(lk_stack_compile_dfa(d4, LK_STRATEGY_HOLONOMY, &tiny, NULL, &err) == NULL);
    assert_memory_limit(err), err = NULL;
    g_autoptr(LkStack) st = lk_stack_compile_dfa(d4, LK_STRATEGY_HOLONOMY, NULL, NULL, &err);
    ck_assert_msg(st != NULL, "%s", err ? err->message : "");
    /* verification: every pair holds its float states */
    LkVerifyResult v;
    ck_assert(!lk_stack_verify(st, d4, &tiny.limits, &v, &err));
    assert_memory_limit(err), err = NULL;
    ck_assert(!lk_stack_verify_float(st, d4, LK_ENGINE_F32, &tiny.limits, &v, &err));
    assert_memory_limit(err), err = NULL;
    ck_assert(lk_stack_verify(st, d4, NULL, &v, &err) && v.verified);
    lk_verify_result_clear(&v);
}
END_TEST

/* De-duplication keeps every example's fingerprint: 10^11 examples would be
 * terabytes; refused before the directory is made. */
START_TEST(test_dedup_memory)
{
    LkTaskOptions opt = {0};
    g_autoptr(LkTask) t = lk_task_new("parity", &opt, NULL);
    LkSplit sp = {"train", 1, 10, 100000000000ull};
    g_autofree char *tmp = g_dir_make_tmp("lrnnkit-hostile-XXXXXX", NULL);
    g_autofree char *dir = g_build_filename(tmp, "out", NULL);
    LkDatasetSpec spec = {.dir = dir, .splits = &sp, .n_splits = 1, .n_shards = 1, .dedup = true};
    GError *err = NULL;
    ck_assert(!lk_dataset_write(t, &spec, &err));
    assert_memory_limit(err);
    ck_assert(!g_file_test(dir, G_FILE_TEST_EXISTS));
    rmdir(tmp);
}
END_TEST

/* One helper writes every file: a failed write leaves the target as it was
 * and no temporary behind (the CLI tests kill long runs and fill the disk). */
START_TEST(test_atomic_write)
{
    g_autofree char *dir = g_dir_make_tmp("lrnnkit-atomic-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "f.json", NULL);
    GError *err = NULL;
    ck_assert(lk_atomic_write(path, "old", 3, &err));
    ck_assert(lk_atomic_write(path, "new!", 4, &err));
    g_autofree char *text = NULL;
    gsize len;
    ck_assert(g_file_get_contents(path, &text, &len, NULL));
    ck_assert_uint_eq(len, 4);
    ck_assert_str_eq(text, "new!");
    /* a directory in the way: the rename fails, nothing changes */
    g_autofree char *sub = g_build_filename(dir, "d", NULL), *in = g_build_filename(sub, "x", NULL);
    ck_assert_int_eq(g_mkdir(sub, 0755), 0);
    ck_assert(g_file_set_contents(in, "x", 1, NULL));
    ck_assert(!lk_atomic_write(sub, "y", 1, &err));
    ck_assert(g_error_matches(err, LK_ERROR, LK_ERROR_INPUT) && strstr(err->message, sub));
    g_clear_error(&err);
    ck_assert(g_file_test(in, G_FILE_TEST_IS_REGULAR));
    /* no directory at all */
    g_autofree char *none = g_build_filename(dir, "no", "f.json", NULL);
    ck_assert(!lk_atomic_write(none, "y", 1, &err));
    ck_assert(g_error_matches(err, LK_ERROR, LK_ERROR_INPUT));
    g_clear_error(&err);
    /* an aborted file leaves nothing; the temporaries are hidden names beside the target */
    LkAtomicFile f;
    g_autofree char *other = g_build_filename(dir, "g.bin", NULL);
    ck_assert(lk_atomic_open(&f, other, &err));
    ck_assert(lk_atomic_put(&f, "abc", 3));
    g_autofree char *base = g_path_get_basename(f.tmp);
    ck_assert(g_str_has_prefix(base, ".g.bin.tmp-"));
    lk_atomic_abort(&f);
    g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
    int entries = 0;
    for (const char *e; (e = g_dir_read_name(d));) entries++, ck_assert_msg(e[0] != '.', "%s", e);
    ck_assert_int_eq(entries, 2); /* f.json, d */
    unlink(in), rmdir(sub), unlink(path), rmdir(dir);
}
END_TEST

/* fuzz-regex-diff timed out: the backtracking oracle was exponential in the
 * nesting of repetitions; memoized it answers at once, and agrees with the
 * DFA on every word of up to 6 letters. */
START_TEST(test_backtracking_nested_repetition)
{
    const char *cases[] = {"-?++++++*++++=++++++++++*+++\v", "((((a|b)*)*)*)*c",
                           "(a?){12}(a{0,3}){0,9}b", "(()*)*{3}{4}{5}a", "((a*)+&(b|a)*)*b"};
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        GError *err = NULL;
        g_autoptr(LkRegex) re = lk_regex_parse(cases[c], NULL, &err);
        ck_assert_msg(re != NULL, "%s: %s", cases[c], err ? err->message : "");
        g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, &err);
        ck_assert_msg(d != NULL, "%s", cases[c]);
        uint32_t w[6];
        for (uint32_t len = 0; len <= 6; len++) {
            uint64_t total = 1;
            for (uint32_t i = 0; i < len; i++) total *= d->k;
            for (uint64_t x = 0; x < total; x++) {
                uint64_t y = x;
                for (uint32_t i = 0; i < len; i++) w[i] = (uint32_t)(y % d->k), y /= d->k;
                ck_assert_msg(lk_dfa_accepts(d, w, len) == lk_regex_matches_backtrack(re, w, len),
                              "%s: word %" G_GUINT64_FORMAT " of length %u", cases[c], x, len);
            }
        }
    }
}
END_TEST

/* fuzz-transf-json ran out of memory on {"degree": 822991, "generators": []}:
 * the monoid's first block held 1024 elements whatever their size (3.4 GB
 * for the identity of degree 822991). Now the first block is about 1 MB and
 * growth stops at the limit. */
START_TEST(test_monoid_first_block)
{
    const char *text = "{\"degree\": 1000000, \"generators\": []}";
    GError *err = NULL;
    g_autoptr(LkMonoid) m = lk_monoid_new_from_json(text, -1, "test", NULL, &err);
    ck_assert_msg(m != NULL, "%s", err ? err->message : "");
    ck_assert_uint_eq(lk_monoid_size(m), 1);
    ck_assert_msg(lk_monoid_bytes(m) < (16u << 20),
                  "a 1-element monoid of degree 10^6 holds %zu bytes", lk_monoid_bytes(m));
    /* a cyclic generator of degree 3000: 3000 elements of 6 KB, grown by doubling from ~170 */
    GString *g = g_string_new("{\"degree\": 3000, \"generators\": [[");
    for (int i = 0; i < 3000; i++) g_string_append_printf(g, "%s%d", i ? "," : "", (i + 1) % 3000);
    g_string_append(g, "]]}");
    g_autoptr(LkMonoid) c = lk_monoid_new_from_json(g->str, -1, "test", NULL, &err);
    g_string_free(g, TRUE);
    ck_assert_msg(c != NULL, "%s", err ? err->message : "");
    ck_assert_uint_eq(lk_monoid_size(c), 3000);
    ck_assert_msg(lk_monoid_bytes(c) < 3 * 3000 * (size_t)(2 * 3000 + 13), "%zu bytes",
                  lk_monoid_bytes(c));
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("fuzz findings");
    tcase_add_test(tc, test_regex_without_letters);
    tcase_add_test(tc, test_json_members_of_the_wrong_type);
    tcase_add_test(tc, test_json_string_escapes);
    tcase_add_test(tc, test_gen_over_a_strange_old_manifest);
    tcase_add_test(tc, test_deep_json);
    tcase_add_test(tc, test_empty_split_file);
    tcase_add_test(tc, test_model_declared_sizes);
    tcase_add_test(tc, test_model_naming_a_large_family);
    tcase_add_test(tc, test_memory_bounds);
    tcase_add_test(tc, test_dedup_memory);
    tcase_add_test(tc, test_atomic_write);
    tcase_add_test(tc, test_backtracking_nested_repetition);
    tcase_add_test(tc, test_monoid_first_block);
    suite_add_tcase(s, tc);
    return s;
}

LK_TEST_MAIN(hostile_suite)
