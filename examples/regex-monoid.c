/* regex -> minimal DFA -> transition monoid facts, through liblrnnkit.
 *
 *   cc regex-monoid.c $(pkg-config --cflags --libs lrnnkit) -o regex-monoid
 *   ./regex-monoid '(a|b)*a(a|b)'        (the alphabet: the regex's symbols)
 *   ./regex-monoid '(aa)*' ab            (an explicit alphabet)
 */
#include <lrnnkit.h>

#include <stdio.h>

static bool facts(const char *regex, const char *chars, GError **error)
{
    g_autoptr(LkAlphabet) alpha = NULL;
    if (chars && !(alpha = lk_alphabet_new_chars(chars, error))) return false;
    g_autoptr(LkRegex) re = lk_regex_parse(regex, alpha, error);
    if (!re) return false;
    g_autoptr(LkDfa) d = lk_regex_compile(re, NULL, error); /* NULL: the default limits */
    if (!d) return false;
    g_autoptr(LkMonoid) m = lk_monoid_new_from_dfa(d, NULL, error);
    if (!m) return false;
    g_autoptr(LkMonoidAnalysis) a = lk_monoid_analyze(m, false);
    printf("minimal DFA: %u states over %u symbols\n", d->n, d->k);
    printf("transition monoid: %u elements, %u idempotents, %u D-classes (%u regular)\n", a->size,
           a->idempotents, a->d_classes, a->regular_d_classes);
    printf("group: %s, aperiodic: %s\n", a->is_group ? "yes" : "no",
           a->is_aperiodic ? "yes" : "no");
    printf("eigenvalues an LRNN needs: %s\n", lk_eigen_class_name(a->eigenvalues));
    return true;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s REGEX [ALPHABET]\n", argv[0]);
        return 2;
    }
    GError *err = NULL;
    if (!facts(argv[1], argc == 3 ? argv[2] : NULL, &err)) {
        fprintf(stderr, "regex-monoid: %s\n", err->message);
        const int rc = err->code == LK_ERROR_LIMIT ? 3 : 2;
        g_error_free(err);
        return rc;
    }
    return 0;
}
