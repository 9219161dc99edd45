/* Compiler from permutation-reset DFAs to one LRNN layer (THEORY.md §4).
 *
 * The state is the one-hot vector e_q of the DFA state q. A letter acting as
 * a permutation pi becomes, cycle by cycle, the reflections that swap q0 with
 * q1, q2, ..., q_{m-1} in that order (u = e_{q0} - e_{qi}, beta = 2: the
 * rational matrix I - (e_i - e_j)(e_i - e_j)^T), which sends e_q to e_{pi(q)}
 * with n - #cycles factors in all. A letter mapping every state to r becomes
 * n projections writing e_r (beta = 1, u = e_i, c = [i = r]); gated, a gate 0
 * and one write. Any other letter: the DFA is not permutation-reset.
 */
#include "lrnn/model.h"

#include <string.h>

LkLrnn *lk_lrnn_compile(const LkDfa *d, bool gated, LkCompileReport *report, GError **error)
{
    const uint32_t n = d->n, k = d->k;
    uint8_t *seen = g_new0(uint8_t, n + 1);
    bool group = true;
    for (uint32_t a = 0; a < k; a++) { /* classify the letters first */
        memset(seen, 0, n);
        uint32_t distinct = 0;
        for (uint32_t q = 0; q < n; q++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (!seen[r]) seen[r] = 1, distinct++;
        }
        if (distinct == n) continue;
        group = false;
        if (distinct != 1) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "letter '%s' is neither a permutation nor a constant map of the %u states: "
                        "the DFA is not a permutation-reset automaton (cascade decomposition of "
                        "such DFAs is not implemented yet; see 'lrnnkit classify')",
                        lk_alphabet_name(d->alphabet, a), n);
            g_free(seen);
            return NULL;
        }
    }
    LkLrnn *m = lk_lrnn_new(d->alphabet, n);
    mpq_set_ui(m->h0[d->start], 1, 1);
    for (uint32_t q = 0; q < n; q++) m->accept[q] = d->accept[q] != 0;
    mpq_t two, one, zero, *u = g_new(mpq_t, n + 1);
    mpq_inits(two, one, zero, NULL);
    mpq_set_ui(two, 2, 1);
    mpq_set_ui(one, 1, 1);
    for (uint32_t i = 0; i < n; i++) mpq_init(u[i]);
    uint64_t total = 0;
    for (uint32_t a = 0; a < k; a++) {
        memset(seen, 0, n);
        uint32_t distinct = 0;
        for (uint32_t q = 0; q < n; q++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (!seen[r]) seen[r] = 1, distinct++;
        }
        if (distinct == n) { /* permutation: cycle by cycle */
            memset(seen, 0, n);
            for (uint32_t q0 = 0; q0 < n; q0++) {
                if (seen[q0]) continue;
                seen[q0] = 1;
                for (uint32_t q = d->delta[(size_t)q0 * k + a]; q != q0;
                     q = d->delta[(size_t)q * k + a]) {
                    seen[q] = 1;
                    for (uint32_t i = 0; i < n; i++) mpq_set_ui(u[i], 0, 1);
                    mpq_set_si(u[q0], 1, 1);
                    mpq_set_si(u[q], -1, 1);
                    lk_lrnn_add_factor(m, a, two, u, zero);
                }
            }
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
    mpq_clears(two, one, zero, NULL);
    g_free(seen);
    return m;
}
