/* Exact counting and uniform sampling; see count.h. */
#include "automata/count.h"
#include "automata/progress.h"

#include <string.h>

/* Distinct successors of each state with multiplicities, in CSR form. */
typedef struct {
    uint32_t *off, *to, *mult;
} Succ;

static void succ_init(Succ *s, const LkDfa *d)
{
    const uint32_t n = d->n, k = d->k;
    s->off = g_new(uint32_t, n + 1);
    s->to = g_new(uint32_t, (size_t)n * k + 1);
    s->mult = g_new(uint32_t, (size_t)n * k + 1);
    uint32_t *slot = g_new(uint32_t, n); /* target -> index in this row, or MAX */
    memset(slot, 0xff, sizeof(uint32_t) * n);
    uint32_t e = 0;
    for (uint32_t q = 0; q < n; q++) {
        s->off[q] = e;
        for (uint32_t a = 0; a < k; a++) {
            uint32_t r = d->delta[(size_t)q * k + a];
            if (slot[r] == UINT32_MAX || slot[r] < s->off[q]) {
                slot[r] = e;
                s->to[e] = r;
                s->mult[e++] = 1;
            } else {
                s->mult[slot[r]]++;
            }
        }
    }
    s->off[n] = e;
    g_free(slot);
}

static void succ_clear(Succ *s)
{
    g_free(s->off);
    g_free(s->to);
    g_free(s->mult);
}

void lk_dfa_count_up_to(const LkDfa *d, uint32_t max_len, mpz_t *out)
{
    g_return_if_fail(d != NULL);
    const uint32_t n = d->n;
    Succ s;
    succ_init(&s, d);
    mpz_t *cur = g_new(mpz_t, n), *next = g_new(mpz_t, n);
    for (uint32_t q = 0; q < n; q++) {
        mpz_init(cur[q]);
        mpz_init(next[q]);
    }
    mpz_set_ui(cur[d->start], 1);
    for (uint32_t len = 0;; len++) {
        lk_progress("count: length", len, max_len);
        mpz_set_ui(out[len], 0);
        for (uint32_t q = 0; q < n; q++)
            if (d->accept[q]) mpz_add(out[len], out[len], cur[q]);
        if (len == max_len) break;
        for (uint32_t q = 0; q < n; q++) mpz_set_ui(next[q], 0);
        for (uint32_t q = 0; q < n; q++) {
            if (!mpz_sgn(cur[q])) continue;
            for (uint32_t e = s.off[q]; e < s.off[q + 1]; e++)
                mpz_addmul_ui(next[s.to[e]], cur[q], s.mult[e]);
        }
        mpz_t *t = cur;
        cur = next;
        next = t;
    }
    for (uint32_t q = 0; q < n; q++) {
        mpz_clear(cur[q]);
        mpz_clear(next[q]);
    }
    g_free(cur);
    g_free(next);
    succ_clear(&s);
}

void lk_dfa_count(const LkDfa *d, uint32_t len, mpz_t out)
{
    g_return_if_fail(d != NULL);
    /* The forward pass computes every length anyway; keep only the last. */
    mpz_t *all = g_new(mpz_t, (size_t)len + 1);
    for (uint32_t i = 0; i <= len; i++) mpz_init(all[i]);
    lk_dfa_count_up_to(d, len, all);
    mpz_set(out, all[len]);
    for (uint32_t i = 0; i <= len; i++) mpz_clear(all[i]);
    g_free(all);
}

char *lk_dfa_count_text(const LkDfa *d, uint32_t len)
{
    g_return_val_if_fail(d != NULL, NULL);
    mpz_t c;
    mpz_init(c);
    lk_dfa_count(d, len, c);
    char *s = g_malloc(mpz_sizeinbase(c, 10) + 2);
    mpz_get_str(s, 10, c);
    mpz_clear(c);
    return s;
}

struct LkCountTable {
    LkDfa *d;
    uint32_t max_len;
    uint32_t *live_index; /* state -> row index, or UINT32_MAX when it never accepts */
    uint32_t n_live;
    mpz_t *c; /* c[i * n_live + row] */
};

LkCountTable *lk_count_table_new(const LkDfa *d, uint32_t max_len)
{
    g_return_val_if_fail(d != NULL, NULL);
    LkCountTable *t = g_new0(LkCountTable, 1);
    t->d = lk_dfa_copy(d);
    t->max_len = max_len;
    const uint32_t n = d->n;
    /* live states: those that reach an accepting state (backward search) */
    uint8_t *live = g_new0(uint8_t, n);
    lk_dfa_live_states(d, live);
    t->live_index = g_new(uint32_t, n);
    for (uint32_t q = 0; q < n; q++) t->live_index[q] = live[q] ? t->n_live++ : UINT32_MAX;
    g_free(live);
    const size_t cells = ((size_t)max_len + 1) * t->n_live;
    t->c = g_new(mpz_t, cells + 1);
    for (size_t i = 0; i < cells; i++) mpz_init(t->c[i]);
    Succ s;
    succ_init(&s, d);
    for (uint32_t q = 0; q < n; q++)
        if (t->live_index[q] != UINT32_MAX && d->accept[q]) mpz_set_ui(t->c[t->live_index[q]], 1);
    for (uint32_t i = 1; i <= max_len; i++) {
        mpz_t *row = t->c + (size_t)i * t->n_live, *prev = row - t->n_live;
        for (uint32_t q = 0; q < n; q++) {
            uint32_t x = t->live_index[q];
            if (x == UINT32_MAX) continue;
            for (uint32_t e = s.off[q]; e < s.off[q + 1]; e++) {
                uint32_t y = t->live_index[s.to[e]];
                if (y != UINT32_MAX) mpz_addmul_ui(row[x], prev[y], s.mult[e]);
            }
        }
    }
    succ_clear(&s);
    return t;
}

void lk_count_table_free(LkCountTable *t)
{
    if (!t) return;
    const size_t cells = ((size_t)t->max_len + 1) * t->n_live;
    for (size_t i = 0; i < cells; i++) mpz_clear(t->c[i]);
    g_free(t->c);
    g_free(t->live_index);
    lk_dfa_free(t->d);
    g_free(t);
}

/* c_len(q), borrowed; NULL when q never accepts. */
static const mpz_t *cell(const LkCountTable *t, uint32_t len, uint32_t q)
{
    uint32_t x = t->live_index[q];
    return x == UINT32_MAX ? NULL : (const mpz_t *)&t->c[(size_t)len * t->n_live + x];
}

void lk_count_table_get(const LkCountTable *t, uint32_t len, mpz_t out)
{
    g_return_if_fail(len <= t->max_len);
    const mpz_t *c = cell(t, len, t->d->start);
    if (c)
        mpz_set(out, *c);
    else
        mpz_set_ui(out, 0);
}

bool lk_count_table_sample(const LkCountTable *t, LkRng *rng, uint32_t len, GArray *word)
{
    g_return_val_if_fail(len <= t->max_len, false);
    const LkDfa *d = t->d;
    const mpz_t *total = cell(t, len, d->start);
    if (!total || !mpz_sgn(*total)) return false;
    mpz_t r;
    mpz_init(r);
    lk_rng_mpz_below(rng, r, *total);
    uint32_t q = d->start;
    for (uint32_t rem = len; rem > 0; rem--) {
        uint32_t a = 0;
        for (; a < d->k; a++) {
            const mpz_t *x = cell(t, rem - 1, d->delta[(size_t)q * d->k + a]);
            if (!x) continue;
            if (mpz_cmp(r, *x) < 0) break;
            mpz_sub(r, r, *x);
        }
        g_assert(a < d->k); /* r < c_rem(q) = sum over a */
        g_array_append_val(word, a);
        q = d->delta[(size_t)q * d->k + a];
    }
    mpz_clear(r);
    return true;
}
