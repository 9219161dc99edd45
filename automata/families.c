/* Built-in automata families (see families.h).
 *
 * Group word problems: the tokens are permutations; the states are the
 * closure of the identity under right multiplication by the tokens, found
 * breadth-first (so the DFA comes out in canonical order), with products
 * (g h)(x) = h(g(x)): reading left to right applies the first token first.
 * The other families are small tables, minimized.
 */
#include "automata/families.h"

#include "automata/semigroup/perm-group.h"
#include "automata/semigroup/transf.h"
#include "automata/tuple-map.h"

#include <stdlib.h>
#include <string.h>

static const LkFamilyInfo FAMILIES[] = {
    {"parity", "0 1", "an even number of 1s (= mod:2)"},
    {"mod:M", "0 1", "the number of 1s is 0 mod M"},
    {"Z:M", "/all (0..M-1), /gens (1)", "word problem of the cyclic group Z_M"},
    {"S:N", "/all, /swaps, /swaps3, /gens", "word problem of the symmetric group S_N"},
    {"A:N", "/all, /swaps3 (3-cycles), /gens", "word problem of the alternating group A_N"},
    {"D:N", "/all (r0.. s0..), /gens (r1 s0)", "word problem of the dihedral group of order 2N"},
    {"flipflop", "w0 w1 r i", "the last written bit is 1 (0 before a write)"},
    {"evenpairs", "a b", "#ab + #ba is even"},
    {"cycle:M", "- 0 +", "moves on a cycle of length M (default 5) end at 0"},
    {"arith", "0 1 2 3 4 + - * =", "true equations mod 5 without brackets, * before + -"},
};

const LkFamilyInfo *lk_families(size_t *count)
{
    *count = G_N_ELEMENTS(FAMILIES);
    return FAMILIES;
}

/* An input error about a family spec. */
#define fail(error, fmt, ...)                                                                      \
    lk_error_set(error, LK_ERROR_INPUT, "family", fmt " (see --list-families)", ##__VA_ARGS__)

/* ---- spec parsing ---- */

typedef struct {
    char *name;
    long param; /* -1 when absent */
    char *variant;
} Spec;

static bool spec_parse(const char *text, Spec *s, GError **error)
{
    memset(s, 0, sizeof *s);
    s->param = -1;
    const char *slash = strchr(text, '/'), *colon = strchr(text, ':');
    if (slash && colon && colon > slash) colon = NULL;
    const char *end = colon ? colon : slash ? slash : text + strlen(text);
    s->name = g_strndup(text, (gsize)(end - text));
    if (colon) {
        const char *pend = slash ? slash : colon + strlen(colon);
        char *num = g_strndup(colon + 1, (gsize)(pend - colon - 1)), *stop;
        long v = strtol(num, &stop, 10);
        bool ok = *num && !*stop && v >= 1 && v <= 1000000;
        g_free(num);
        if (!ok) return fail(error, "'%s': the parameter must be an integer in 1..1000000", text);
        s->param = v;
    }
    s->variant = g_strdup(slash ? slash + 1 : "all");
    return true;
}

static void spec_clear(Spec *s)
{
    g_free(s->name);
    g_free(s->variant);
}

/* ---- small tables ---- */

static LkDfa *table_dfa(const char *const *names, uint32_t k, uint32_t n, const uint32_t *delta,
                        const uint8_t *accept, uint32_t start)
{
    LkAlphabet *a = lk_alphabet_new(names, k, NULL);
    LkDfa *d = lk_dfa_new(a, n, start);
    memcpy(d->delta, delta, sizeof(uint32_t) * n * k);
    memcpy(d->accept, accept, n);
    lk_alphabet_unref(a);
    LkDfa *m = lk_dfa_minimize(d);
    lk_dfa_free(d);
    return m;
}

static LkDfa *mod_dfa(uint32_t m)
{
    static const char *const names[] = {"0", "1"};
    uint32_t *delta = g_new(uint32_t, 2 * m);
    uint8_t *acc = g_new0(uint8_t, m);
    for (uint32_t q = 0; q < m; q++) {
        delta[2 * q] = q;
        delta[2 * q + 1] = (q + 1) % m;
    }
    acc[0] = 1;
    LkDfa *d = table_dfa(names, 2, m, delta, acc, 0);
    g_free(delta);
    g_free(acc);
    return d;
}

static LkDfa *cycle_dfa(uint32_t m)
{
    static const char *const names[] = {"-", "0", "+"};
    uint32_t *delta = g_new(uint32_t, 3 * m);
    uint8_t *acc = g_new0(uint8_t, m);
    for (uint32_t q = 0; q < m; q++) {
        delta[3 * q] = (q + m - 1) % m;
        delta[3 * q + 1] = q;
        delta[3 * q + 2] = (q + 1) % m;
    }
    acc[0] = 1;
    LkDfa *d = table_dfa(names, 3, m, delta, acc, 0);
    g_free(delta);
    g_free(acc);
    return d;
}

/* The flip-flop (the Krohn-Rhodes reset automaton), with the vocabulary of
 * `gen flipflop`: w0 and w1 set the memory, r (read) and i (ignore) keep
 * it; the state is the last written bit (0 before any write), accepted
 * when it is 1. Its monoid is {1, w0, w1}. */
static LkDfa *flipflop_dfa(void)
{
    static const char *const names[] = {"w0", "w1", "r", "i"};
    static const uint32_t delta[] = {0, 1, 0, 0,  /* memory 0 */
                                     0, 1, 1, 1}; /* memory 1 */
    static const uint8_t acc[] = {0, 1};
    return table_dfa(names, 4, 2, delta, acc, 0);
}

static LkDfa *evenpairs_dfa(void)
{
    static const char *const names[] = {"a", "b"};
    enum { EMPTY, AA, AB, BB, BA }; /* first letter, last letter */
    static const uint32_t delta[] = {AA, BB, AA, AB, AA, AB, BA, BB, BA, BB};
    static const uint8_t acc[] = {1, 1, 0, 1, 0};
    return table_dfa(names, 2, 5, delta, acc, EMPTY);
}

/* Modular arithmetic mod 5 without brackets; see families.h. States:
 *   expect(s, t, op)  a digit is due; s = sum of finished terms, t = the
 *                     current product (for op '*'), op in + - *
 *   after(s, t)       after a digit; the value so far is s + t
 *   eq(v)             after '=', the value v; the result digit is due
 *   done(ok), dead */
static LkDfa *arith_dfa(void)
{
    static const char *const names[] = {"0", "1", "2", "3", "4", "+", "-", "*", "="};
    enum { K = 9, PLUS = 5, MINUS = 6, TIMES = 7, EQ = 8 };
#define EXPECT(s, t, op) ((((s)*5 + (t)) * 3) + (op))
#define AFTER(s, t) (75 + (s)*5 + (t))
#define EQS(v) (100 + (v))
    enum { DONE_NO = 105, DONE_YES = 106, DEAD = 107, N = 108 };
    uint32_t delta[N * K];
    uint8_t acc[N] = {0};
    for (uint32_t q = 0; q < N; q++)
        for (uint32_t a = 0; a < K; a++) delta[q * K + a] = DEAD;
    for (uint32_t s = 0; s < 5; s++)
        for (uint32_t t = 0; t < 5; t++) {
            for (uint32_t op = 0; op < 3; op++)
                for (uint32_t dgt = 0; dgt < 5; dgt++) {
                    uint32_t nt = op == 0 ? dgt : op == 1 ? (5 - dgt) % 5 : (t * dgt) % 5;
                    delta[EXPECT(s, t, op) * K + dgt] = AFTER(s, nt);
                }
            uint32_t v = (s + t) % 5;
            delta[AFTER(s, t) * K + PLUS] = EXPECT(v, 0, 0);
            delta[AFTER(s, t) * K + MINUS] = EXPECT(v, 0, 1);
            delta[AFTER(s, t) * K + TIMES] = EXPECT(s, t, 2);
            delta[AFTER(s, t) * K + EQ] = EQS(v);
        }
    for (uint32_t v = 0; v < 5; v++)
        for (uint32_t r = 0; r < 5; r++) delta[EQS(v) * K + r] = r == v ? DONE_YES : DONE_NO;
    acc[DONE_YES] = 1;
#undef EXPECT
#undef AFTER
#undef EQS
    return table_dfa(names, K, N, delta, acc, 0);
}

/* ---- permutation groups ---- */

typedef struct {
    uint32_t degree;
    GArray *tokens; /* uint8 images, k * degree */
    GPtrArray *names;
} Tokens;

char *lk_perm_name(const uint8_t *p, uint32_t n)
{
    GString *s = g_string_new(NULL);
    uint8_t *seen = g_new0(uint8_t, n);
    for (uint32_t i = 0; i < n; i++) {
        if (seen[i] || p[i] == i) continue;
        g_string_append_c(s, '(');
        for (uint32_t j = i, first = 1; !seen[j]; j = p[j], first = 0) {
            seen[j] = 1;
            if (!first && n >= 10) g_string_append_c(s, ',');
            g_string_append_printf(s, "%u", j + 1);
        }
        g_string_append_c(s, ')');
    }
    g_free(seen);
    if (!s->len) g_string_append_c(s, 'e');
    return g_string_free(s, FALSE);
}

static void add_token(Tokens *t, const uint32_t *p, char *name)
{
    uint8_t b[256] = {0};
    for (uint32_t x = 0; x < t->degree; x++) b[x] = (uint8_t)p[x];
    g_array_append_vals(t->tokens, b, t->degree);
    g_ptr_array_add(t->names, name ? name : lk_perm_name(b, t->degree));
}

/* Next permutation in lexicographic order; false after the last. */
static bool next_perm(uint32_t *p, uint32_t n)
{
    if (n < 2) return false;
    uint32_t i = n - 1;
    while (i > 0 && p[i - 1] >= p[i]) i--;
    if (i == 0) return false;
    uint32_t j = n - 1;
    while (p[j] <= p[i - 1]) j--;
    uint32_t t = p[i - 1];
    p[i - 1] = p[j];
    p[j] = t;
    for (uint32_t a = i, b = n - 1; a < b; a++, b--) t = p[a], p[a] = p[b], p[b] = t;
    return true;
}

static void cycle_perm(uint32_t *p, uint32_t n, uint32_t from, uint32_t to)
{
    for (uint32_t i = 0; i < n; i++) p[i] = i;
    for (uint32_t i = from; i < to; i++) p[i] = i + 1;
    p[to] = from;
}

static bool symmetric_tokens(Tokens *t, uint32_t n, bool alternating, const char *variant,
                             GError **error)
{
    uint32_t p[256];
    uint8_t seen[256];
    const bool all = strcmp(variant, "all") == 0, swaps = strcmp(variant, "swaps") == 0,
               swaps3 = strcmp(variant, "swaps3") == 0, gens = strcmp(variant, "gens") == 0;
    if (!(all || swaps || swaps3 || gens) || (alternating && swaps))
        return fail(error, "%s:%u has no token set '%s'", alternating ? "A" : "S", n, variant);
    if (gens) {
        if (!alternating) {
            cycle_perm(p, n, 0, 1);
            add_token(t, p, NULL);
            cycle_perm(p, n, 0, n - 1);
            add_token(t, p, NULL);
        } else {
            cycle_perm(p, n, 0, 2);
            add_token(t, p, NULL);
            cycle_perm(p, n, n % 2 ? 0 : 1, n - 1);
            add_token(t, p, NULL);
        }
        return true;
    }
    for (uint32_t i = 0; i < n; i++) p[i] = i;
    do { /* lexicographic order: the identity first */
        if (alternating && (n - lk_perm_cycles(p, 1, n, seen)) % 2) continue; /* odd */
        uint32_t mv = 0;
        for (uint32_t i = 0; i < n; i++) mv += p[i] != i;
        bool cycle3 = mv == 3; /* a permutation moving 3 points is a 3-cycle */
        if (all || mv == 0 || (mv == 2 && !alternating) || (swaps3 && cycle3))
            add_token(t, p, NULL);
    } while (next_perm(p, n));
    return true;
}

static void dihedral_tokens(Tokens *t, uint32_t n, bool gens)
{
    uint32_t p[256];
    for (uint32_t refl = 0; refl < 2; refl++)
        for (uint32_t i = 0; i < n; i++) {
            if (gens && !((refl == 0 && i == 1) || (refl == 1 && i == 0))) continue;
            for (uint32_t x = 0; x < n; x++) p[x] = refl ? (i + n - x) % n : (i + x) % n;
            add_token(t, p, g_strdup_printf("%c%u", refl ? 's' : 'r', i));
        }
}

static void cyclic_tokens(Tokens *t, uint32_t m, bool gens)
{
    uint32_t *p = g_new(uint32_t, m);
    for (uint32_t i = gens ? 1 : 0; i < (gens ? 2 : m); i++) {
        for (uint32_t x = 0; x < m; x++) p[x] = (x + i) % m;
        add_token(t, p, g_strdup_printf("%u", i));
    }
    g_free(p);
}

/* Word problem DFA: elements reachable from the identity, breadth-first,
 * interned in a tuple map. */
static LkDfa *group_dfa(const Tokens *t, const LkLimits *lim, GError **error)
{
    const uint32_t n = t->degree, k = t->names->len;
    g_autoptr(LkTupleMap) elems = lk_tuple_map_new(n);
    uint32_t *gens = g_new(uint32_t, (size_t)k * n + 1), *buf = g_new(uint32_t, n + 1);
    for (size_t i = 0; i < (size_t)k * n; i++) gens[i] = ((const uint8_t *)t->tokens->data)[i];
    GArray *delta = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++) buf[i] = i;
    lk_tuple_map_insert(elems, buf, 0, NULL);
    /* per element: its row of k transitions (kept while growing, copied into
     * the DFA, minimized: ~16 bytes each) and its key */
    const uint64_t per_state = 16ull * k + 4ull * n + 16;
    bool by_memory;
    const uint64_t max =
        lk_limits_items(lim, MIN(lim->max_states, (1ull << 31) / MAX(k, 1)), per_state, &by_memory);
    bool ok = true;
    for (uint32_t g = 0; ok && g < lk_tuple_map_size(elems); g++) {
        for (uint32_t a = 0; ok && a < k; a++) {
            lk_perm_mul(buf, lk_tuple_map_key(elems, g), gens + (size_t)a * n, n); /* g, then a */
            bool added;
            uint32_t id = lk_tuple_map_insert(elems, buf, 0, &added);
            if (added && lk_tuple_map_size(elems) > max) ok = false;
            g_array_append_val(delta, id);
        }
    }
    LkDfa *d = NULL;
    if (!ok) {
        lk_limit_error(error, "the group", max, "elements", per_state, by_memory, "--max-states");
    } else {
        const uint32_t count = lk_tuple_map_size(elems);
        LkAlphabet *alpha = lk_alphabet_new((const char *const *)t->names->pdata, k, NULL);
        LkDfa *raw = lk_dfa_new(alpha, count, 0);
        memcpy(raw->delta, delta->data, sizeof(uint32_t) * delta->len);
        raw->accept[0] = 1;
        lk_alphabet_unref(alpha);
        d = lk_dfa_minimize(raw);
        lk_dfa_free(raw);
    }
    g_free(gens);
    g_free(buf);
    g_array_unref(delta);
    return d;
}

/* Tokens of a group family; false (error set) when spec is not one. */
static bool group_tokens(const Spec *s, Tokens *t, GError **error)
{
    const bool gens = strcmp(s->variant, "gens") == 0;
    t->tokens = g_array_new(FALSE, FALSE, 1);
    t->names = g_ptr_array_new_with_free_func(g_free);
    if (strcmp(s->name, "Z") == 0) {
        if (s->param < 1 || s->param > 255) return fail(error, "Z:M needs 1 <= M <= 255");
        if (!gens && strcmp(s->variant, "all") != 0) return fail(error, "Z has /all or /gens");
        t->degree = (uint32_t)s->param;
        cyclic_tokens(t, t->degree, gens);
        return true;
    }
    if (strcmp(s->name, "D") == 0) {
        if (s->param < 3 || s->param > 255) return fail(error, "D:N needs 3 <= N <= 255");
        if (!gens && strcmp(s->variant, "all") != 0) return fail(error, "D has /all or /gens");
        t->degree = (uint32_t)s->param;
        dihedral_tokens(t, t->degree, gens);
        return true;
    }
    if (strcmp(s->name, "S") == 0 || strcmp(s->name, "A") == 0) {
        const bool alt = s->name[0] == 'A';
        if (s->param < (alt ? 3 : 2) || s->param > 16)
            return fail(error, "%s:N needs %d <= N <= 16", s->name, alt ? 3 : 2);
        t->degree = (uint32_t)s->param;
        if (strcmp(s->variant, "all") == 0 && s->param > 8)
            return fail(error, "%s:%ld/all has too many tokens; use /swaps, /swaps3 or /gens",
                        s->name, s->param);
        return symmetric_tokens(t, t->degree, alt, s->variant, error);
    }
    return fail(error, "'%s' is not a group family", s->name);
}

static void tokens_clear(Tokens *t)
{
    if (t->tokens) g_array_unref(t->tokens);
    if (t->names) g_ptr_array_unref(t->names);
}

static bool is_group(const char *name)
{
    return !strcmp(name, "Z") || !strcmp(name, "D") || !strcmp(name, "S") || !strcmp(name, "A");
}

LkDfa *lk_family_dfa(const char *text, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    Spec s;
    if (!spec_parse(text, &s, error)) {
        spec_clear(&s);
        return NULL;
    }
    LkDfa *d = NULL;
    const bool plain = strcmp(s.variant, "all") == 0;
    if (is_group(s.name)) {
        Tokens t = {0};
        if (group_tokens(&s, &t, error)) d = group_dfa(&t, &lim, error);
        tokens_clear(&t);
    } else if (!plain) {
        fail(error, "'%s' has no token variants", s.name);
    } else if (!strcmp(s.name, "parity") && s.param < 0) {
        d = mod_dfa(2);
    } else if (!strcmp(s.name, "mod") && s.param >= 1) {
        if ((uint64_t)s.param > lim.max_states)
            g_set_error(error, LK_ERROR, LK_ERROR_LIMIT, "mod:%ld exceeds --max-states", s.param);
        else
            d = mod_dfa((uint32_t)s.param);
    } else if (!strcmp(s.name, "cycle")) {
        long m = s.param < 0 ? 5 : s.param;
        if ((uint64_t)m > lim.max_states)
            g_set_error(error, LK_ERROR, LK_ERROR_LIMIT, "cycle:%ld exceeds --max-states", m);
        else
            d = cycle_dfa((uint32_t)m);
    } else if (!strcmp(s.name, "flipflop") && s.param < 0) {
        d = flipflop_dfa();
    } else if (!strcmp(s.name, "evenpairs") && s.param < 0) {
        d = evenpairs_dfa();
    } else if (!strcmp(s.name, "arith") && s.param < 0) {
        d = arith_dfa();
    } else {
        fail(error, "unknown family '%s'", text);
    }
    spec_clear(&s);
    return d;
}

uint8_t *lk_family_token_perms(const char *text, uint32_t *degree, uint32_t *k, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    Spec s;
    uint8_t *out = NULL;
    if (spec_parse(text, &s, error)) {
        Tokens t = {0};
        if (is_group(s.name) && group_tokens(&s, &t, error)) {
            *degree = t.degree;
            *k = t.names->len;
            out = g_memdup2(t.tokens->data, t.tokens->len);
        } else if (!is_group(s.name)) {
            fail(error, "'%s' is not a group family", text);
        }
        tokens_clear(&t);
    }
    spec_clear(&s);
    return out;
}

char **lk_family_element_names(const char *spec, const LkDfa *d, GError **error)
{
    g_return_val_if_fail(spec != NULL, NULL);
    uint32_t degree, k;
    g_autofree uint8_t *perms = lk_family_token_perms(spec, &degree, &k, error);
    if (!perms) return NULL;
    if (k != d->k) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: not the family's automaton", spec);
        return NULL;
    }
    uint8_t *perm = g_new0(uint8_t, (size_t)d->n * degree + 1), *seen = g_new0(uint8_t, d->n);
    uint32_t *queue = g_new(uint32_t, d->n), head = 0, tail = 0;
    for (uint32_t i = 0; i < degree; i++) perm[(size_t)d->start * degree + i] = (uint8_t)i;
    seen[d->start] = 1;
    queue[tail++] = d->start;
    while (head < tail) { /* perm of q then token a: x -> a(perm_q(x)) */
        uint32_t q = queue[head++];
        for (uint32_t a = 0; a < d->k; a++) {
            uint32_t r = d->delta[(size_t)q * d->k + a];
            if (seen[r]) continue;
            seen[r] = 1;
            queue[tail++] = r;
            for (uint32_t i = 0; i < degree; i++)
                perm[(size_t)r * degree + i] =
                    perms[(size_t)a * degree + perm[(size_t)q * degree + i]];
        }
    }
    char **names = g_new0(char *, d->n + 1);
    for (uint32_t q = 0; q < d->n; q++) {
        char *name = NULL;
        for (uint32_t a = 0; a < d->k && !name; a++)
            if (d->delta[(size_t)d->start * d->k + a] == q)
                name = g_strdup(lk_alphabet_name(d->alphabet, a));
        names[q] = name ? name : lk_perm_name(perm + (size_t)q * degree, degree);
    }
    g_free(perm);
    g_free(seen);
    g_free(queue);
    return names;
}
