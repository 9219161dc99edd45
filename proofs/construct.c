/* The constructive corpus (see construct.h). */
#include "proofs/construct.h"

#include "automata/families.h"

static const char *const families[] = {
    "parity", "mod:3", "mod:4", "mod:5", "Z:6", "Z:7",      "S:3",       "S:4",     "S:5",
    "A:4",    "A:5",   "D:3",   "D:4",   "D:6", "flipflop", "evenpairs", "cycle:5", "arith",
};

static void run_case(LkConstructReport *r, char *name, const LkDfa *d)
{
    LkConstructCase c = {name, d->n, NULL, 0, false};
    const LkCompileOptions opt = {0};
    LkCompileInfo info;
    g_autoptr(LkStack) st = lk_stack_compile_dfa(d, LK_STRATEGY_AUTO, &opt, &info, NULL);
    if (st) {
        c.construction = info.construction;
        c.layers = st->n_layers;
        r->compiled++;
        LkVerifyResult v;
        if (lk_stack_verify(st, d, NULL, &v, NULL)) {
            c.verified = v.verified;
            lk_verify_result_clear(&v);
        }
        r->verified += c.verified;
    } else {
        r->unsupported++;
    }
    g_array_append_val(r->cases, c);
}

void lk_construct_report_clear(LkConstructReport *r)
{
    if (!r->cases) return;
    for (guint i = 0; i < r->cases->len; i++)
        g_free(g_array_index(r->cases, LkConstructCase, i).name);
    g_array_unref(r->cases);
    r->cases = NULL;
}

void lk_prove_construct(uint32_t max_states, LkConstructReport *out)
{
    if (!max_states) max_states = 120;
    *out = (LkConstructReport){g_array_new(FALSE, FALSE, sizeof(LkConstructCase)), 0, 0, 0};
    for (size_t f = 0; f < G_N_ELEMENTS(families); f++) {
        g_autoptr(LkDfa) d = lk_family_dfa(families[f], NULL, NULL);
        if (d && d->n <= max_states) run_case(out, g_strdup(families[f]), d);
    }
    static const char *names[] = {"a", "b"};
    g_autoptr(LkAlphabet) al = lk_alphabet_new(names, 2, NULL);
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (uint32_t n = 1; n <= 3; n++) {
        uint32_t tables = 1;
        for (uint32_t i = 0; i < 2 * n; i++) tables *= n;
        for (uint32_t t = 0; t < tables; t++)
            for (uint32_t acc = 0; acc < (1u << n); acc++) {
                g_autoptr(LkDfa) d = lk_dfa_new(al, n, 0);
                for (uint32_t i = 0, x = t; i < 2 * n; i++, x /= n) d->delta[i] = x % n;
                for (uint32_t q = 0; q < n; q++) d->accept[q] = acc >> q & 1;
                g_autoptr(LkDfa) min = lk_dfa_minimize(d);
                char *key = lk_dfa_to_json(min);
                if (!g_hash_table_add(seen, key)) continue;
                GString *name = g_string_new(NULL); /* delta rows and the accepting states */
                for (uint32_t q = 0; q < min->n; q++)
                    g_string_append_printf(name, "%s%u%u", q ? "," : "", min->delta[q * 2],
                                           min->delta[q * 2 + 1]);
                g_string_append(name, " accept ");
                for (uint32_t q = 0; q < min->n; q++)
                    g_string_append_c(name, min->accept[q] ? '1' : '0');
                run_case(out, g_string_free(name, FALSE), min);
            }
    }
}
