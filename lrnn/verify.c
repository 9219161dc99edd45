/* Exact verification by breadth-first search over (DFA state, LRNN state).
 *
 * Invariant: pairs enter the queue in order of the length of the word that
 * first reaches them (their parent links spell it), so the first violation
 * found is on a shortest word, and among those the shortlex-least. The model
 * implements the DFA for every input length iff each reachable LRNN state
 * meets one DFA state only and its readout agrees with acceptance: then
 * g(H) = that DFA state is a function that commutes with the transitions.
 * Exact states are int64 vectors when the model allows it (lk_lrnn_int_plan)
 * and rationals otherwise; they are interned by their bytes / canonical
 * digits. Alongside, the f32 engine follows the same words and the largest
 * deviation from the exact states is recorded.
 */
#include "lrnn/model.h"

#include <math.h>
#include <string.h>

typedef struct {
    uint32_t q, h;        /* DFA state, LRNN state id */
    uint32_t parent, via; /* pair index and token; UINT32_MAX at the root */
} Pair;

typedef struct {
    const LkLrnn *m;
    const LkDfa *d;
    const LkIntPlan *plan; /* NULL: rationals */
    GHashTable *ids;       /* state key -> id + 1 */
    GArray *owner;         /* id -> DFA state */
    GPtrArray *states;     /* id -> int64_t[n] or mpq_t[n] */
    GArray *pairs;
    GArray *floats; /* pair -> n doubles of the f32 engine */
    int64_t *hi;    /* working state, int path */
    mpq_t *hq;      /* working state, rational path */
    double *hf;     /* working state, f32 */
    double max_err;
    bool overflow;
} Search;

/* The key of the working state. */
static GBytes *working_key(Search *s)
{
    const uint32_t n = s->m->n;
    if (s->plan) return g_bytes_new(s->hi, sizeof(int64_t) * n);
    GString *k = g_string_new(NULL);
    for (uint32_t i = 0; i < n; i++) {
        char *v = mpq_get_str(NULL, 16, s->hq[i]);
        g_string_append(k, v);
        g_string_append_c(k, ',');
        free(v);
    }
    gsize len = k->len;
    return g_bytes_new_take(g_string_free(k, FALSE), len);
}

static void load(Search *s, uint32_t id)
{
    const uint32_t n = s->m->n;
    if (s->plan) {
        memcpy(s->hi, s->states->pdata[id], sizeof(int64_t) * n);
    } else {
        mpq_t *src = s->states->pdata[id];
        for (uint32_t i = 0; i < n; i++) mpq_set(s->hq[i], src[i]);
    }
}

static int64_t decode(const Search *s)
{
    return s->plan ? lk_int_plan_decode(s->plan, s->hi) : lk_lrnn_decode_exact(s->m, s->hq);
}

static double exact_entry(const Search *s, uint32_t i)
{
    return s->plan ? (double)s->hi[i] : mpq_get_d(s->hq[i]);
}

/* Records the working state reached in DFA state q by (parent, via);
 * returns false on a violation. */
static bool visit(Search *s, uint32_t q, uint32_t parent, uint32_t via)
{
    const uint32_t n = s->m->n;
    GBytes *key = working_key(s);
    gpointer v = g_hash_table_lookup(s->ids, key);
    if (v) {
        g_bytes_unref(key);
        return g_array_index(s->owner, uint32_t, GPOINTER_TO_UINT(v) - 1) == q;
    }
    uint32_t id = s->owner->len;
    g_hash_table_insert(s->ids, key, GUINT_TO_POINTER(id + 1));
    g_array_append_val(s->owner, q);
    if (s->plan) {
        g_ptr_array_add(s->states, g_memdup2(s->hi, sizeof(int64_t) * n));
    } else {
        mpq_t *copy = g_new(mpq_t, n + 1);
        for (uint32_t i = 0; i < n; i++) {
            mpq_init(copy[i]);
            mpq_set(copy[i], s->hq[i]);
        }
        g_ptr_array_add(s->states, copy);
    }
    Pair p = {q, id, parent, via};
    g_array_append_val(s->pairs, p);
    g_array_append_vals(s->floats, s->hf, n);
    for (uint32_t i = 0; i < n; i++) {
        double e = fabs(s->hf[i] - exact_entry(s, i));
        if (e > s->max_err) s->max_err = e;
    }
    int64_t dec = decode(s);
    return dec >= 0 && dec < (int64_t)s->m->n_out &&
           (s->m->accept[dec] != 0) == (s->d->accept[q] != 0);
}

static void step(Search *s, uint32_t a)
{
    if (s->plan) {
        if (!lk_int_plan_step(s->plan, s->hi, a)) s->overflow = true;
    } else {
        lk_lrnn_step_exact(s->m, s->hq, a);
    }
    lk_lrnn_step_float(s->m, LK_ENGINE_F32, s->hf, a);
}

void lk_verify_result_clear(LkVerifyResult *r)
{
    if (r->counterexample) g_array_unref(r->counterexample);
    r->counterexample = NULL;
}

static bool search(Search *s, uint64_t max_pairs, LkVerifyResult *out, bool *limit)
{
    const uint32_t n = s->m->n, k = s->d->k;
    for (uint32_t i = 0; i < n; i++) {
        if (s->plan)
            s->hi[i] = mpz_get_si(mpq_numref(s->m->h0[i]));
        else
            mpq_set(s->hq[i], s->m->h0[i]);
        s->hf[i] = lk_engine_round(LK_ENGINE_F32, mpq_get_d(s->m->h0[i]));
    }
    uint32_t bad_parent = UINT32_MAX, bad_via = UINT32_MAX;
    bool ok = visit(s, s->d->start, UINT32_MAX, UINT32_MAX);
    for (uint32_t head = 0; ok && head < s->pairs->len; head++) {
        for (uint32_t a = 0; ok && a < k; a++) {
            Pair cur = g_array_index(s->pairs, Pair, head);
            load(s, cur.h);
            memcpy(s->hf, &g_array_index(s->floats, double, (size_t)head *n), sizeof(double) * n);
            step(s, a);
            if (s->overflow) return false;
            if (!visit(s, s->d->delta[(size_t)cur.q * k + a], head, a))
                bad_parent = head, bad_via = a, ok = false;
            if (s->pairs->len > max_pairs) {
                *limit = true;
                return true;
            }
        }
    }
    out->verified = ok;
    out->pairs = s->pairs->len;
    out->lrnn_states = s->owner->len;
    out->max_float_error = s->max_err;
    if (!ok) { /* the word: parent links, then the last token */
        GArray *rev = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        if (bad_via != UINT32_MAX) g_array_append_val(rev, bad_via);
        for (uint32_t p = bad_parent; p != UINT32_MAX;) {
            const Pair *pp = &g_array_index(s->pairs, Pair, p);
            if (pp->via != UINT32_MAX) g_array_append_val(rev, pp->via);
            p = pp->parent;
        }
        out->counterexample = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        for (guint i = rev->len; i-- > 0;)
            g_array_append_val(out->counterexample, g_array_index(rev, uint32_t, i));
        g_array_unref(rev);
    }
    return true;
}

static void search_clear(Search *s)
{
    const uint32_t n = s->m->n;
    for (guint i = 0; i < s->states->len; i++) {
        if (!s->plan) {
            mpq_t *e = s->states->pdata[i];
            for (uint32_t j = 0; j < n; j++) mpq_clear(e[j]);
        }
        g_free(s->states->pdata[i]);
    }
    g_ptr_array_unref(s->states);
    g_hash_table_unref(s->ids);
    g_array_unref(s->owner);
    g_array_unref(s->pairs);
    g_array_unref(s->floats);
}

static void search_init(Search *s, const LkLrnn *m, const LkDfa *d, const LkIntPlan *plan)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    s->d = d;
    s->plan = plan;
    s->ids =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    s->owner = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    s->states = g_ptr_array_new();
    s->pairs = g_array_new(FALSE, FALSE, sizeof(Pair));
    s->floats = g_array_new(FALSE, FALSE, sizeof(double));
}

bool lk_lrnn_verify(const LkLrnn *m, const LkDfa *d, uint64_t max_pairs, LkVerifyResult *out,
                    GError **error)
{
    memset(out, 0, sizeof *out);
    if (!lk_alphabet_equal(m->alphabet, d->alphabet)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "the model's tokens are not the DFA's alphabet");
        return false;
    }
    if (!max_pairs) max_pairs = 10000000;
    const uint32_t n = m->n;
    LkIntPlan *plan = lk_lrnn_int_plan(m);
    Search s;
    bool limit = false, done = false;
    double *hf = g_new(double, n + 1);
    if (plan) { /* integral states; on overflow, start again with rationals */
        search_init(&s, m, d, plan);
        s.hi = g_new(int64_t, n + 1);
        s.hf = hf;
        done = search(&s, max_pairs, out, &limit);
        g_free(s.hi);
        search_clear(&s);
        lk_int_plan_free(plan);
        if (!done) lk_verify_result_clear(out);
    }
    if (!done) {
        search_init(&s, m, d, NULL);
        s.hq = g_new(mpq_t, n + 1);
        for (uint32_t i = 0; i < n; i++) mpq_init(s.hq[i]);
        s.hf = hf;
        search(&s, max_pairs, out, &limit);
        for (uint32_t i = 0; i < n; i++) mpq_clear(s.hq[i]);
        g_free(s.hq);
        search_clear(&s);
    }
    g_free(hf);
    if (limit) {
        lk_verify_result_clear(out);
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "more than %" G_GUINT64_FORMAT " reachable pairs (raise --max-pairs)",
                    max_pairs);
        return false;
    }
    return true;
}
