/* regex -> compiled LRNN -> exact verification -> a float32 run, through
 * liblrnnkit.
 *
 *   cc compile-verify.c $(pkg-config --cflags --libs lrnnkit) -o compile-verify
 *   ./compile-verify '(a|b)*a(a|b)' abbab
 */
#include <lrnnkit.h>

#include <stdio.h>
#include <string.h>

static bool run(const char *regex, const char *word, GError **error)
{
    g_autoptr(LkRegex) re = lk_regex_parse(regex, NULL, error);
    if (!re) return false;
    g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, error);
    if (!d) return false;
    LkCompileInfo info;
    g_autoptr(LkStack) s =
        lk_stack_compile_dfa(d, LK_STRATEGY_AUTO, &(LkCompileOptions){0}, &info, error);
    if (!s) return false;
    printf("compiled: %s, %u layer%s\n", info.construction, s->n_layers,
           s->n_layers == 1 ? "" : "s");
    LkVerifyResult v = {0};
    if (!lk_stack_verify(s, d, NULL, &v, error)) return false;
    printf("exact verification: %s (%llu reachable pairs)\n",
           v.verified ? "correct for every length" : "WRONG", (unsigned long long)v.pairs);
    lk_verify_result_clear(&v);
    /* the word as tokens of the DFA's alphabet (one character each here) */
    const size_t len = strlen(word);
    g_autofree uint32_t *tokens = g_new(uint32_t, len + 1);
    for (size_t i = 0; i < len; i++) {
        const char sym[2] = {word[i], 0};
        const int64_t t = lk_alphabet_index(d->alphabet, sym);
        if (t < 0) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "'%s' is not in the alphabet", sym);
            return false;
        }
        tokens[i] = (uint32_t)t;
    }
    const bool f32 = lk_stack_run(s, LK_ENGINE_F32, tokens, len, NULL);
    printf("'%s': float32 model %s, DFA %s\n", word, f32 ? "accepts" : "rejects",
           lk_dfa_accepts(d, tokens, len) ? "accepts" : "rejects");
    return true;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s REGEX WORD\n", argv[0]);
        return 2;
    }
    GError *err = NULL;
    if (!run(argv[1], argv[2], &err)) {
        fprintf(stderr, "compile-verify: %s\n", err->message);
        const int rc = err->code == LK_ERROR_LIMIT ? 3 : 2;
        g_error_free(err);
        return rc;
    }
    return 0;
}
