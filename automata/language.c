/* Languages from their sources (see language.h). */
#include "automata/language.h"
#include "automata/families.h"
#include "automata/semigroup/cascade.h"

LkDfa *lk_source_dfa(const LkSource *src, LkAlphabet *alphabet, LkMinimizer how,
                     const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(src && src->text, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    g_autoptr(LkDfa) raw = NULL;
    switch (src->kind) {
    case LK_SOURCE_REGEX: {
        g_autoptr(LkRegex) re = lk_regex_parse(src->text, alphabet, error);
        return re ? lk_regex_compile_with(re, how, &lim, error) : NULL;
    }
    case LK_SOURCE_CASCADE_FILE: {
        g_autoptr(LkCascade) c = lk_cascade_load(src->text, &lim, error);
        if (!c) return NULL;
        raw = lk_cascade_to_dfa(c, &lim, error);
        break;
    }
    case LK_SOURCE_DFA_FILE:
        raw = lk_dfa_load(src->text, error);
        break;
    case LK_SOURCE_FAMILY:
        raw = lk_family_dfa(src->text, &lim, error);
        break;
    default:
        g_return_val_if_reached(NULL);
    }
    if (!raw) return NULL;
    if (alphabet) {
        LkDfa *w = lk_dfa_with_alphabet(raw, alphabet, error);
        if (!w) return NULL;
        lk_dfa_free(raw);
        raw = w;
    }
    if (how == LK_MINIMIZE_BRZOZOWSKI) return lk_dfa_minimize_brzozowski(raw, &lim, error);
    return lk_dfa_minimize_hopcroft(raw);
}

void lk_dfas_unify_alphabets(LkDfa **dfas, size_t n)
{
    if (n < 2) return;
    LkAlphabet *u = lk_alphabet_ref(dfas[0]->alphabet);
    for (size_t i = 1; i < n; i++) {
        LkAlphabet *v = lk_alphabet_union(u, dfas[i]->alphabet);
        lk_alphabet_unref(u);
        u = v;
    }
    for (size_t i = 0; i < n; i++) {
        if (lk_alphabet_equal(dfas[i]->alphabet, u)) continue;
        LkDfa *w = lk_dfa_with_alphabet(dfas[i], u, NULL); /* a subset of u: cannot fail */
        lk_dfa_free(dfas[i]);
        dfas[i] = lk_dfa_minimize(w);
        lk_dfa_free(w);
    }
    lk_alphabet_unref(u);
}
