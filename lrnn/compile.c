/* Compiler from permutation-reset DFAs to one LRNN layer (Theorem 3 of Grazzi et al., ICLR 2025:
 * products of generalized Householder factors).
 *
 * The state is the one-hot vector e_q of the DFA state q. A letter acting as
 * a permutation pi becomes, cycle by cycle, the reflections that swap q0 with
 * q1, q2, ..., q_{m-1} in that order (u = e_{q0} - e_{qi}, beta = 2: the
 * rational matrix I - (e_i - e_j)(e_i - e_j)^T), which sends e_q to e_{pi(q)}
 * with n - #cycles factors in all. A letter mapping every state to r becomes
 * n projections writing e_r (beta = 1, u = e_i, c = [i = r]); gated, a gate 0
 * and one write. Any other letter: the DFA is not permutation-reset.
 */
#include "lrnn/compile.h"
#include "lrnn/verify.h"

#include "automata/families.h"
#include "automata/semigroup/holonomy.h"
#include "automata/semigroup/transf.h"

#include <string.h>

/* Reflections sending e_i to e_{pi(i)} for a permutation pi of `deg`
 * points (pi[i * stride]), appended to token a: the transpositions of
 * lk_perm_transpositions, each I - (e_i - e_j)(e_i - e_j)^T. */
static void add_permutation(LkLrnn *m, uint32_t a, const uint32_t *pi, size_t stride, uint32_t deg)
{
    g_autofree uint32_t *pairs = g_new(uint32_t, 2 * (size_t)deg + 2);
    g_autofree uint8_t *seen = g_new(uint8_t, deg + 1);
    const uint32_t t = lk_perm_transpositions(pi, stride, deg, pairs, seen);
    mpq_t two, zero, *u = g_new(mpq_t, m->n + 1);
    mpq_inits(two, zero, NULL);
    mpq_set_ui(two, 2, 1);
    for (uint32_t i = 0; i < m->n; i++) mpq_init(u[i]);
    for (uint32_t j = 0; j < t; j++) {
        for (uint32_t i = 0; i < m->n; i++) mpq_set_ui(u[i], 0, 1);
        mpq_set_si(u[pairs[2 * j]], 1, 1);
        mpq_set_si(u[pairs[2 * j + 1]], -1, 1);
        lk_lrnn_add_factor(m, a, two, u, zero);
    }
    for (uint32_t i = 0; i < m->n; i++) mpq_clear(u[i]);
    g_free(u);
    mpq_clears(two, zero, NULL);
}

uint64_t lk_lrnn_compile_entries(const LkDfa *d, bool gated)
{
    g_return_val_if_fail(d != NULL, 0);
    const uint32_t n = d->n, k = d->k;
    g_autofree uint8_t *seen = g_new(uint8_t, n + 1);
    uint64_t factors = 0;
    for (uint32_t a = 0; a < k; a++) {
        switch (lk_transf_kind(d->delta + a, k, n, seen)) {
        case LK_MAP_PERMUTATION: { /* n - #cycles reflections */
            memset(seen, 0, n);
            uint32_t cycles = 0;
            for (uint32_t q = 0; q < n; q++) {
                if (seen[q]) continue;
                cycles++;
                for (uint32_t r = q; !seen[r]; r = d->delta[(size_t)r * k + a]) seen[r] = 1;
            }
            factors += n - cycles;
            break;
        }
        case LK_MAP_CONSTANT:
            factors += gated ? 1 : n;
            break;
        default:
            factors += n;
            break; /* not compiled by lk_lrnn_compile: a bound */
        }
    }
    return factors * ((uint64_t)n + 2) + 3ull * n;
}

LkLrnn *lk_lrnn_compile(const LkDfa *d, bool gated, LkCompileReport *report, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    const uint32_t n = d->n, k = d->k;
    g_autofree uint8_t *seen = g_new0(uint8_t, n + 1);
    bool group = true;
    for (uint32_t a = 0; a < k; a++) { /* classify the letters first */
        LkMapKind kind = lk_transf_kind(d->delta + a, k, n, seen);
        group &= kind == LK_MAP_PERMUTATION;
        if (kind == LK_MAP_OTHER) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "letter '%s' is neither a permutation nor a constant map of the %u states: "
                        "the DFA is not a permutation-reset automaton (compile it with "
                        "--strategy holonomy or auto; see 'lrnnkit classify')",
                        lk_alphabet_name(d->alphabet, a), n);
            return NULL;
        }
    }
    LkLrnn *m = lk_lrnn_new(d->alphabet, n);
    mpq_set_ui(m->h0[d->start], 1, 1);
    for (uint32_t q = 0; q < n; q++) m->accept[q] = d->accept[q] != 0;
    mpq_t one, zero, *u = g_new(mpq_t, n + 1);
    mpq_inits(one, zero, NULL);
    mpq_set_ui(one, 1, 1);
    for (uint32_t i = 0; i < n; i++) mpq_init(u[i]);
    uint64_t total = 0;
    for (uint32_t a = 0; a < k; a++) {
        if (lk_transf_kind(d->delta + a, k, n, seen) == LK_MAP_PERMUTATION) {
            add_permutation(m, a, d->delta + a, k, n);
        } else { /* constant map to r */
            uint32_t r = d->delta[a];
            if (gated) {
                m->tok[a].gated = true;
                mpq_set_ui(m->tok[a].gate, 0, 1);
                for (uint32_t i = 0; i < n; i++) mpq_set_ui(u[i], i == r, 1);
                lk_lrnn_add_factor(m, a, one, u, one);
            } else {
                for (uint32_t j = 0; j < n; j++) {
                    for (uint32_t i = 0; i < n; i++) mpq_set_ui(u[i], i == j, 1);
                    lk_lrnn_add_factor(m, a, one, u, j == r ? one : zero);
                }
            }
        }
        total += m->tok[a].n_factors;
    }
    if (report) {
        report->layers = 1;
        report->state_dim = n;
        report->tokens = k;
        report->max_factors = lk_lrnn_max_factors(m);
        report->mean_factors = k ? (double)total / k : 0;
        uint64_t params = 3ull * n; /* h0, readout weights, accept table */
        for (uint32_t a = 0; a < k; a++)
            params += m->tok[a].n_factors * (uint64_t)(n + 2) + m->tok[a].gated;
        report->parameters = params;
        report->construction = group ? "group" : "permutation-reset";
    }
    for (uint32_t i = 0; i < n; i++) mpq_clear(u[i]);
    g_free(u);
    mpq_clears(one, zero, NULL);
    if (m) lk_lrnn_prepare(m);
    return m;
}

LkLrnn *lk_lrnn_compile_action(const LkDfa *d, uint32_t degree, const uint8_t *perms,
                               LkCompileReport *report, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    const uint32_t k = d->k;
    const bool scalar = degree == 1;
    LkLrnn *m = lk_lrnn_new(d->alphabet, degree);
    mpq_t two, zero, one, *u = g_new(mpq_t, degree + 1);
    mpq_inits(two, zero, one, NULL);
    mpq_set_ui(two, 2, 1);
    mpq_set_ui(one, 1, 1);
    for (uint32_t i = 0; i < degree; i++) {
        mpq_init(u[i]);
        mpq_set_ui(m->h0[i], i + 1, 1); /* (1, ..., degree) */
    }
    uint64_t total = 0;
    g_autofree uint32_t *pi = g_new(uint32_t, degree + 1);
    if (scalar) mpq_set_ui(u[0], 1, 1);
    for (uint32_t a = 0; a < k; a++) {
        if (scalar && perms[a]) /* H -> -H: one reflection, beta = 2, u = (1) */
            lk_lrnn_add_factor(m, a, two, u, zero);
        else if (!scalar) {
            for (uint32_t i = 0; i < degree; i++) pi[i] = perms[(size_t)a * degree + i];
            add_permutation(m, a, pi, 1, degree);
        }
        total += m->tok[a].n_factors;
    }
    /* Codebook: the exact state of every DFA state, along a BFS tree; the
     * action is faithful iff distinct states get distinct codes and the codes
     * are consistent (checked by the verifier; distinctness here). */
    const uint32_t n = d->n;
    mpq_t *codes = g_new(mpq_t, (size_t)n * degree + 1);
    uint8_t *done = g_new0(uint8_t, n + 1);
    uint32_t *queue = g_new(uint32_t, n + 1), *outs = g_new(uint32_t, n + 1), head = 0, tail = 0;
    for (size_t i = 0; i < (size_t)n * degree; i++) mpq_init(codes[i]);
    for (uint32_t i = 0; i < degree; i++) mpq_set(codes[(size_t)d->start * degree + i], m->h0[i]);
    done[d->start] = 1;
    queue[tail++] = d->start;
    LkLrnn *out = m;
    while (head < tail) {
        uint32_t q = queue[head++];
        for (uint32_t a = 0; a < k; a++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (done[r]) continue;
            done[r] = 1;
            queue[tail++] = r;
            mpq_t *h = codes + (size_t)r * degree;
            for (uint32_t i = 0; i < degree; i++) mpq_set(h[i], codes[(size_t)q * degree + i]);
            lk_lrnn_step_exact(m, h, a);
        }
    }
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (uint32_t q = 0; q < n && out; q++) { /* distinct states, distinct codes */
        outs[q] = q;
        GString *key = g_string_new(NULL);
        for (uint32_t i = 0; i < degree; i++) {
            char *v = mpq_get_str(NULL, 16, codes[(size_t)q * degree + i]);
            g_string_append(key, v);
            g_string_append_c(key, ',');
            free(v);
        }
        gpointer prev = g_hash_table_lookup(seen, key->str);
        if (prev) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "the action on %u points is not faithful: DFA states %u and %u get "
                        "the same vector",
                        degree, GPOINTER_TO_UINT(prev) - 1, q);
            lk_lrnn_free(m);
            out = NULL;
            g_string_free(key, TRUE);
        } else {
            g_hash_table_insert(seen, g_string_free(key, FALSE), GUINT_TO_POINTER(q + 1));
        }
    }
    g_hash_table_unref(seen);
    if (out) {
        lk_lrnn_set_codebook(m, n, codes, outs, n);
        for (uint32_t q = 0; q < n; q++) m->accept[q] = d->accept[q] != 0;
    }
    if (out && report) {
        report->layers = 1;
        report->state_dim = degree;
        report->tokens = k;
        report->max_factors = lk_lrnn_max_factors(m);
        report->mean_factors = k ? (double)total / k : 0;
        uint64_t params = 2ull * degree + (uint64_t)n * (degree + 1) + n;
        for (uint32_t a = 0; a < k; a++) params += m->tok[a].n_factors * (uint64_t)(degree + 2);
        report->parameters = params;
        report->construction = scalar ? "scalar" : "group action";
    }
    for (size_t i = 0; i < (size_t)n * degree; i++) mpq_clear(codes[i]);
    g_free(codes);
    g_free(done);
    g_free(queue);
    g_free(outs);
    for (uint32_t i = 0; i < degree; i++) mpq_clear(u[i]);
    g_free(u);
    mpq_clears(two, zero, one, NULL);
    if (out) lk_lrnn_prepare(out);
    return out;
}

LkLrnn *lk_lrnn_compile_scalar(const LkDfa *d, LkCompileReport *report, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    g_autofree uint8_t *flip = g_new0(uint8_t, d->k + 1);
    bool fits = d->n == 2;
    for (uint32_t a = 0; fits && a < d->k; a++) { /* letters must fix or swap the two states */
        uint32_t s0 = d->delta[a], s1 = d->delta[d->k + a];
        fits = (s0 == 0 && s1 == 1) || (s0 == 1 && s1 == 0);
        flip[a] = s0 == 1;
    }
    if (!fits) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "--scalar needs a 2-state DFA whose letters fix or swap the states "
                    "(parity-like)");
        return NULL;
    }
    return lk_lrnn_compile_action(d, 1, flip, report, error);
}

/* Z_m as a rotation (a 2-D instance of Theorem 3): the letters of a group DFA whose group is
 * cyclic act on the n states as powers of one n-cycle sigma; state
 * sigma^j(start) becomes the unit vector at angle 2 pi j / n and a letter
 * acting as sigma^e the reflections about the lines at angles 0 and pi e / n,
 * whose product is the rotation by 2 pi e / n. The group generated by the
 * letters is abelian (they commute) and transitive (every state is
 * reachable), hence regular, so it is cyclic iff some element has order n;
 * elements are found as the permutations of the BFS words, O(n^2 + n k^2). */
LkLrnn *lk_lrnn_compile_rotation(const LkDfa *d, LkCompileReport *report, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    const uint32_t n = d->n, k = d->k;
    const char *why = NULL;
    uint8_t *seen = g_new0(uint8_t, n + 1);
    for (uint32_t a = 0; a < k && !why; a++)
        if (lk_transf_kind(d->delta + a, k, n, seen) != LK_MAP_PERMUTATION)
            why = "a letter is not a permutation of the states";
    for (uint32_t a = 0; a < k && !why; a++)
        for (uint32_t b = a + 1; b < k && !why; b++)
            for (uint32_t q = 0; q < n && !why; q++)
                if (d->delta[(size_t)d->delta[(size_t)q * k + a] * k + b] !=
                    d->delta[(size_t)d->delta[(size_t)q * k + b] * k + a])
                    why = "two letters do not commute (the group is not abelian)";
    /* perm[q] = the group element taking start to q, along a BFS tree */
    uint32_t *perm = g_new(uint32_t, (size_t)n * n + 1), *queue = g_new(uint32_t, n + 1);
    uint32_t head = 0, tail = 0, gen = UINT32_MAX;
    memset(seen, 0, n);
    if (!why) {
        for (uint32_t i = 0; i < n; i++) perm[(size_t)d->start * n + i] = i;
        seen[d->start] = 1;
        queue[tail++] = d->start;
    }
    while (head < tail) {
        uint32_t q = queue[head++];
        for (uint32_t a = 0; a < k; a++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (seen[r]) continue;
            seen[r] = 1;
            queue[tail++] = r;
            for (uint32_t i = 0; i < n; i++)
                perm[(size_t)r * n + i] = d->delta[(size_t)perm[(size_t)q * n + i] * k + a];
        }
    }
    if (!why && tail != n) why = "some state is unreachable (minimize the DFA first)";
    for (uint32_t q = 0; q < n && !why && gen == UINT32_MAX; q++) {
        uint32_t len = 1;
        for (uint32_t x = perm[(size_t)q * n + d->start]; x != d->start;
             x = perm[(size_t)q * n + x])
            len++;
        if (len == n) gen = q;
    }
    if (!why && gen == UINT32_MAX) why = "the group is abelian but not cyclic";
    LkLrnn *m = NULL;
    if (why) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "--rotation needs a DFA whose letters generate a cyclic group Z_m: %s", why);
    } else {
        uint32_t *pos = g_new(uint32_t, n + 1), *outs = g_new(uint32_t, n + 1);
        mpq_t *codes = g_new(mpq_t, 2 * (size_t)n + 1), theta;
        mpq_init(theta);
        for (uint32_t j = 0, x = d->start; j < n; j++, x = perm[(size_t)gen * n + x]) {
            pos[x] = j;
            outs[j] = x;
            mpq_init(codes[2 * j]);
            mpq_init(codes[2 * j + 1]);
            mpq_set_ui(codes[2 * j], 2 * j, n); /* angle 2 pi j / n */
            mpq_canonicalize(codes[2 * j]);
        }
        m = lk_lrnn_new(d->alphabet, 2);
        m->angular = true;
        lk_lrnn_set_codebook(m, n, codes, outs, n);
        for (uint32_t q = 0; q < n; q++) m->accept[q] = d->accept[q] != 0;
        uint64_t total = 0;
        for (uint32_t a = 0; a < k; a++) {
            uint32_t e = pos[d->delta[(size_t)d->start * k + a]];
            if (!e) continue;
            mpq_set_ui(theta, 0, 1);
            lk_lrnn_add_angle_factor(m, a, theta);
            mpq_set_ui(theta, e, n);
            mpq_canonicalize(theta);
            lk_lrnn_add_angle_factor(m, a, theta);
            total += 2;
        }
        if (report) {
            report->layers = 1;
            report->state_dim = 2;
            report->tokens = k;
            report->max_factors = lk_lrnn_max_factors(m);
            report->mean_factors = k ? (double)total / k : 0;
            report->parameters = 2 + 3ull * n + 4 * total; /* h0, codes, keys + beta + value */
            report->construction = "rotation";
        }
        for (size_t i = 0; i < 2 * (size_t)n; i++) mpq_clear(codes[i]);
        g_free(codes);
        g_free(pos);
        g_free(outs);
        mpq_clear(theta);
    }
    g_free(perm);
    g_free(queue);
    g_free(seen);
    if (m) lk_lrnn_prepare(m);
    return m;
}

bool lk_strategy_parse(const char *name, LkStrategy *out)
{
    g_return_val_if_fail(name != NULL, false);
    static const char *names[] = {"auto",     "group", "permutation-reset", "holonomy", "scalar",
                                  "rotation", "points"};
    for (int i = 0; i < (int)G_N_ELEMENTS(names); i++)
        if (!g_strcmp0(name, names[i])) {
            *out = (LkStrategy)i;
            return true;
        }
    return false;
}

LkStack *lk_stack_compile_dfa(const LkDfa *d, LkStrategy strategy, const LkCompileOptions *opt,
                              LkCompileInfo *info, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    LkCompileInfo unused;
    if (!info) info = &unused;
    *info = (LkCompileInfo){NULL, 0};
    const LkCompileOptions none = {0};
    if (!opt) opt = &none;
    if (strategy == LK_STRATEGY_SCALAR || strategy == LK_STRATEGY_ROTATION ||
        strategy == LK_STRATEGY_POINTS) {
        LkCompileReport r;
        LkLrnn *m = NULL;
        if (strategy == LK_STRATEGY_SCALAR)
            m = lk_lrnn_compile_scalar(d, &r, error);
        else if (strategy == LK_STRATEGY_ROTATION)
            m = lk_lrnn_compile_rotation(d, &r, error);
        else if (!opt->family) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "--points needs one --family (a group family)");
        } else {
            uint32_t degree, k;
            g_autofree uint8_t *perms = lk_family_token_perms(opt->family, &degree, &k, error);
            if (perms && k != d->k)
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "--points: the family %s has %u tokens, the DFA %u letters",
                            opt->family, k, d->k);
            else if (perms)
                m = lk_lrnn_compile_action(d, degree, perms, &r, error);
        }
        if (m) info->construction = r.construction;
        return m ? lk_stack_new_single(m) : NULL;
    }
    g_autofree uint8_t *seen = g_new(uint8_t, d->n + 1);
    bool group = true, perm_reset = true;
    for (uint32_t a = 0; a < d->k; a++) {
        LkMapKind kind = lk_transf_kind(d->delta + a, d->k, d->n, seen);
        group &= kind == LK_MAP_PERMUTATION;
        perm_reset &= kind != LK_MAP_OTHER;
    }
    if (strategy == LK_STRATEGY_GROUP && !group) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "--strategy group needs every letter to permute the states");
        return NULL;
    }
    LkLimits lim;
    lk_limits_resolve(&lim, &opt->limits);
    if (strategy != LK_STRATEGY_HOLONOMY && perm_reset) {
        if (!lk_limits_check_bytes(&lim,
                                   lk_lrnn_compile_entries(d, opt->gated) * LK_EXACT_ENTRY_BYTES,
                                   "the model's exact weights", error))
            return NULL;
        LkCompileReport r;
        LkLrnn *m = lk_lrnn_compile(d, opt->gated, &r, error);
        if (m) info->construction = r.construction;
        return m ? lk_stack_new_single(m) : NULL;
    }
    if (strategy == LK_STRATEGY_PERMUTATION_RESET) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "--strategy permutation-reset needs every letter to be a permutation or a "
                    "constant map of the states");
        return NULL;
    }
    g_autoptr(LkHolonomy) h = lk_holonomy_new_from_dfa(d, &lim, error);
    if (!h) return NULL;
    if (lk_holonomy_n_levels(h) == 0) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "a one-state DFA has no holonomy level (compile it as a group automaton)");
        return NULL;
    }
    g_autoptr(LkCascade) c = lk_holonomy_cascade(h, d->alphabet, d->start, d->accept, &lim, error);
    if (!c) return NULL;
    info->construction = "holonomy";
    info->holonomy_levels = c->n_levels;
    const uint32_t width = opt->no_merge ? 0 : opt->max_width ? opt->max_width : d->n;
    g_autoptr(LkCascade) merged = lk_cascade_merge_levels(c, width, &lim, error);
    if (!merged) return NULL;
    return lk_stack_compile_cascade(merged, opt->gated, &lim, error);
}
