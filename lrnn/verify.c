/* Exact verification by breadth-first search over (DFA state, LRNN state),
 * the LRNN state being the exact states of every layer of a stack.
 *
 * Invariant: pairs enter the queue in order of the length of the word that
 * first reaches them (their parent links spell it), so the first violation
 * found is on a shortest word, and among those the shortlex-least. The model
 * implements the DFA for every input length iff each reachable LRNN state
 * meets one DFA state only and its readout agrees with acceptance: then
 * g(H) = that DFA state is a function that commutes with the transitions.
 * Exact states are int64 vectors when the model allows it (lk_lrnn_int_plan)
 * and rationals otherwise; they are interned by their bytes / canonical
 * digits. Alongside, the f32 engine follows the same words (every layer fed the
 * exact tokens, so that each layer's own rounding is measured) and the
 * largest deviation from the exact states is recorded. Cost: O(pairs * k *
 * the cost of a step), memory O(pairs * total state dimension).
 */
#include "lrnn/verify.h"
#include "automata/progress.h"

#include <math.h>
#include <string.h>

/* The float engines followed alongside: max_float_errors[i] is engines[i]'s. */
static const LkEngine engines[LK_VERIFY_ENGINES] = {LK_ENGINE_F64, LK_ENGINE_F32, LK_ENGINE_BF16,
                                                    LK_ENGINE_F16};

typedef struct {
    uint32_t q, h;        /* DFA state, LRNN state id */
    uint32_t parent, via; /* pair index and token; UINT32_MAX at the root */
} Pair;

/* The word that reaches pair `parent` by its parent links, then `via`
 * (UINT32_MAX: none): a counterexample. */
static GArray *word_to(const GArray *pairs, uint32_t parent, uint32_t via)
{
    GArray *rev = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    if (via != UINT32_MAX) g_array_append_val(rev, via);
    for (uint32_t p = parent; p != UINT32_MAX;) {
        const Pair *pp = &g_array_index(pairs, Pair, p);
        if (pp->via != UINT32_MAX) g_array_append_val(rev, pp->via);
        p = pp->parent;
    }
    GArray *w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    for (guint i = rev->len; i-- > 0;) g_array_append_val(w, g_array_index(rev, uint32_t, i));
    g_array_unref(rev);
    return w;
}

typedef struct {
    const LkStack *st;
    const LkDfa *d;
    LkIntPlan **plan;  /* per layer, or NULL: rationals */
    uint32_t N;        /* total state dimension */
    uint32_t *off;     /* per layer: offset of its entries */
    GHashTable *ids;   /* state key -> id + 1 */
    GArray *owner;     /* id -> DFA state */
    GPtrArray *states; /* id -> int64_t[N] or mpq_t[N] */
    GArray *pairs;
    GArray *floats; /* pair -> N doubles per float engine */
    int64_t *hi;    /* working state, int path */
    mpq_t *hq;      /* working state, rational path */
    double *hf;     /* working state per float engine (N each) */
    int64_t *outs;  /* decoded output per layer */
    uint32_t *tok;  /* token per layer */
    double max_err[LK_VERIFY_ENGINES];
    int64_t *out_state; /* output -> the DFA state it meets, -1 none yet, -2 several */
    bool overflow;
} Search;

/* The key of the working state. */
static GBytes *working_key(Search *s)
{
    if (s->plan) return g_bytes_new(s->hi, sizeof(int64_t) * s->N);
    GString *k = g_string_new(NULL);
    for (uint32_t i = 0; i < s->N; i++) {
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
    if (s->plan) {
        memcpy(s->hi, s->states->pdata[id], sizeof(int64_t) * s->N);
    } else {
        mpq_t *src = s->states->pdata[id];
        for (uint32_t i = 0; i < s->N; i++) mpq_set(s->hq[i], src[i]);
    }
}

/* Every layer's decoded output of the working state, into s->outs. */
static void decode_all(Search *s)
{
    for (uint32_t l = 0; l < s->st->n_layers; l++)
        s->outs[l] = s->plan ? lk_int_plan_decode(s->plan[l], s->hi + s->off[l])
                             : lk_lrnn_decode_exact(s->st->layer[l], s->hq + s->off[l]);
}

static double exact_entry(const Search *s, uint32_t l, uint32_t i)
{
    const uint32_t x = s->off[l] + i;
    if (s->st->layer[l]->angular) { /* the unit vector at angle pi r, to double precision */
        const double r = mpq_get_d(s->hq[s->off[l]]);
        return i == 0 ? cos(M_PI * r) : sin(M_PI * r);
    }
    return s->plan ? (double)s->hi[x] : mpq_get_d(s->hq[x]);
}

/* Records the working state reached in DFA state q by (parent, via);
 * returns false on a violation. */
static bool visit(Search *s, uint32_t q, uint32_t parent, uint32_t via)
{
    const uint32_t N = s->N;
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
        g_ptr_array_add(s->states, g_memdup2(s->hi, sizeof(int64_t) * N));
    } else {
        mpq_t *copy = g_new(mpq_t, N + 1);
        for (uint32_t i = 0; i < N; i++) {
            mpq_init(copy[i]);
            mpq_set(copy[i], s->hq[i]);
        }
        g_ptr_array_add(s->states, copy);
    }
    Pair p = {q, id, parent, via};
    g_array_append_val(s->pairs, p);
    g_array_append_vals(s->floats, s->hf, N * LK_VERIFY_ENGINES);
    for (uint32_t l = 0; l < s->st->n_layers; l++)
        for (uint32_t i = 0; i < s->st->layer[l]->n; i++) {
            const double x = exact_entry(s, l, i);
            for (int f = 0; f < LK_VERIFY_ENGINES; f++) {
                double e = fabs(s->hf[(size_t)f * N + s->off[l] + i] - x);
                if (isnan(e)) e = INFINITY; /* an overflowed format */
                if (e > s->max_err[f]) s->max_err[f] = e;
            }
        }
    decode_all(s);
    const int64_t out = lk_stack_output(s->st, s->outs);
    if (out >= 0) {
        int64_t *m = &s->out_state[out];
        *m = *m == -1 || *m == (int64_t)q ? (int64_t)q : -2;
    }
    return out >= 0 && lk_stack_accepts(s->st, out) == (s->d->accept[q] != 0);
}

/* One letter on the working state; false when a routed layer has no token
 * for it (the stack then has no output: a violation). */
static bool step(Search *s, uint32_t a)
{
    const LkStack *st = s->st;
    decode_all(s);
    if (!lk_stack_tokens(st, a, s->outs, s->tok)) return false; /* no route: no output */
    for (uint32_t l = 0; l < st->n_layers; l++) {
        if (s->plan) {
            if (!lk_int_plan_step(s->plan[l], s->hi + s->off[l], s->tok[l])) s->overflow = true;
        } else {
            lk_lrnn_step_exact(st->layer[l], s->hq + s->off[l], s->tok[l]);
        }
        for (int f = 0; f < LK_VERIFY_ENGINES; f++)
            lk_lrnn_step_float(st->layer[l], engines[f], s->hf + (size_t)f * s->N + s->off[l],
                               s->tok[l]);
    }
    return true;
}

void lk_verify_result_clear(LkVerifyResult *r)
{
    if (r->counterexample) g_array_unref(r->counterexample);
    r->counterexample = NULL;
    g_clear_pointer(&r->output_states, g_free);
}

static bool search(Search *s, uint64_t max_pairs, LkVerifyResult *out, bool *limit)
{
    const uint32_t N = s->N, k = s->d->k;
    for (uint32_t l = 0; l < s->st->n_layers; l++) {
        const LkLrnn *m = s->st->layer[l];
        for (uint32_t i = 0; i < m->n; i++) {
            if (s->plan)
                s->hi[s->off[l] + i] = mpz_get_si(mpq_numref(m->h0[i]));
            else
                mpq_set(s->hq[s->off[l] + i], m->h0[i]);
        }
        for (int f = 0; f < LK_VERIFY_ENGINES; f++)
            lk_lrnn_h0_float(m, engines[f], s->hf + (size_t)f * N + s->off[l]);
    }
    uint32_t bad_parent = UINT32_MAX, bad_via = UINT32_MAX;
    bool ok = visit(s, s->d->start, UINT32_MAX, UINT32_MAX);
    for (uint32_t head = 0; ok && head < s->pairs->len; head++) {
        lk_progress("verify: pairs", s->pairs->len, 0);
        for (uint32_t a = 0; ok && a < k; a++) {
            Pair cur = g_array_index(s->pairs, Pair, head);
            load(s, cur.h);
            memcpy(s->hf, &g_array_index(s->floats, double, (size_t)head *N *LK_VERIFY_ENGINES),
                   sizeof(double) * N * LK_VERIFY_ENGINES);
            bool routed = step(s, a);
            if (s->overflow) return false;
            if (!routed || !visit(s, s->d->delta[(size_t)cur.q * k + a], head, a))
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
    out->max_float_error = s->max_err[1]; /* f32 */
    memcpy(out->max_float_errors, s->max_err, sizeof s->max_err);
    if (!ok) out->counterexample = word_to(s->pairs, bad_parent, bad_via);
    g_free(out->output_states);
    out->output_states = g_memdup2(s->out_state, sizeof(int64_t) * s->st->n_out);
    return true;
}

static void search_clear(Search *s)
{
    for (guint i = 0; i < s->states->len; i++) {
        if (!s->plan) {
            mpq_t *e = s->states->pdata[i];
            for (uint32_t j = 0; j < s->N; j++) mpq_clear(e[j]);
        }
        g_free(s->states->pdata[i]);
    }
    g_ptr_array_unref(s->states);
    g_hash_table_unref(s->ids);
    g_array_unref(s->owner);
    g_array_unref(s->pairs);
    g_array_unref(s->floats);
    g_free(s->out_state);
    g_free(s->hi);
    if (s->hq)
        for (uint32_t i = 0; i < s->N; i++) mpq_clear(s->hq[i]);
    g_free(s->hq);
}

static void search_init(Search *s, const LkStack *st, const LkDfa *d, LkIntPlan **plan,
                        uint32_t *off, uint32_t N, double *hf, int64_t *outs, uint32_t *tok)
{
    memset(s, 0, sizeof *s);
    s->st = st;
    s->d = d;
    s->plan = plan;
    s->off = off;
    s->N = N;
    s->hf = hf;
    s->outs = outs;
    s->tok = tok;
    s->ids =
        g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    s->owner = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    s->states = g_ptr_array_new();
    s->pairs = g_array_new(FALSE, FALSE, sizeof(Pair));
    s->floats = g_array_new(FALSE, FALSE, sizeof(double));
    s->out_state = g_new(int64_t, st->n_out + 1);
    for (uint32_t o = 0; o < st->n_out; o++) s->out_state[o] = -1;
    if (plan) {
        s->hi = g_new(int64_t, N + 1);
    } else {
        s->hq = g_new(mpq_t, N + 1);
        for (uint32_t i = 0; i < N; i++) mpq_init(s->hq[i]);
    }
}

/* The pairs a search may reach: limits->max_pairs, or fewer when that many
 * would pass limits->max_memory (per_pair bytes each). */
static uint64_t pairs_allowed(const LkLimits *limits, uint64_t per_pair, bool *by_memory,
                              uint64_t *per)
{
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    *per = per_pair;
    return lk_limits_items(&lim, lim.max_pairs, per_pair, by_memory);
}

static void pairs_error(GError **error, uint64_t max_pairs, uint64_t per_pair, bool by_memory,
                        const char *engine)
{
    g_autofree char *what =
        g_strdup_printf("the verification%s%s", engine ? " in " : "", engine ? engine : "");
    lk_limit_error(error, what, max_pairs, "reachable pairs", per_pair, by_memory, "--max-pairs");
}

bool lk_stack_verify(const LkStack *st, const LkDfa *d, const LkLimits *limits, LkVerifyResult *out,
                     GError **error)
{
    g_return_val_if_fail(st != NULL, false);
    memset(out, 0, sizeof *out);
    if (!lk_alphabet_equal(st->alphabet, d->alphabet)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "the model's tokens are not the DFA's alphabet");
        return false;
    }
    const uint32_t L = st->n_layers;
    uint32_t *off = g_new(uint32_t, L + 1), N = 0;
    for (uint32_t l = 0; l < L; l++) off[l] = N, N += st->layer[l]->n;
    /* a pair, its float states in four engines, and at worst a new exact
     * state (rationals of ~48 bytes, its hash key of 8 per coordinate) */
    bool by_memory;
    uint64_t per_pair;
    const uint64_t max_pairs =
        pairs_allowed(limits, 16 + 32ull * N + 56ull * N + 64, &by_memory, &per_pair);
    /* integral states when every layer allows; on overflow, again with rationals */
    LkIntPlan **plan = g_new0(LkIntPlan *, L + 1);
    bool all_int = true;
    for (uint32_t l = 0; l < L && all_int; l++)
        all_int = (plan[l] = lk_lrnn_int_plan(st->layer[l]));
    double *hf = g_new(double, (size_t)N *LK_VERIFY_ENGINES + 1);
    int64_t *outs = g_new(int64_t, L + 1);
    uint32_t *tok = g_new(uint32_t, L + 1);
    Search s;
    bool limit = false, done = false;
    if (all_int) {
        search_init(&s, st, d, plan, off, N, hf, outs, tok);
        done = search(&s, max_pairs, out, &limit);
        search_clear(&s);
        if (!done) lk_verify_result_clear(out);
    }
    for (uint32_t l = 0; l < L; l++) lk_int_plan_free(plan[l]);
    g_free(plan);
    if (!done) {
        search_init(&s, st, d, NULL, off, N, hf, outs, tok);
        search(&s, max_pairs, out, &limit);
        search_clear(&s);
    }
    g_free(hf);
    g_free(outs);
    g_free(tok);
    g_free(off);
    if (limit) {
        lk_verify_result_clear(out);
        pairs_error(error, max_pairs, per_pair, by_memory, NULL);
        return false;
    }
    return true;
}

bool lk_lrnn_verify(const LkLrnn *m, const LkDfa *d, const LkLimits *limits, LkVerifyResult *out,
                    GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    LkLrnn *slot;
    LkStack view = lk_stack_view(m, &slot);
    return lk_stack_verify(&view, d, limits, out, error);
}

/* ---- finite-precision verification ----
 *
 * In a float format the states are finitely many bit patterns, so the same
 * breadth-first search over (DFA state, float state of every layer), the
 * float engine run as `run --engine` runs it (tokens from the float
 * decodings), proves the float model for every input length or stops at a
 * shortest word where a float state meets two DFA states or the readout
 * disagrees with acceptance. The pairs can be many (a rotation in f64):
 * LK_ERROR_LIMIT past max_pairs. Cost O(pairs k step), memory O(pairs N). */

typedef struct {
    const LkStack *st;
    const LkDfa *d;
    LkEngine e;
    uint32_t N, *off;
    GHashTable *ids; /* state bytes -> id + 1 */
    GArray *owner;   /* id -> DFA state */
    GArray *states;  /* id -> N doubles */
    GArray *pairs;
    int64_t *outs;
    uint32_t *tok;
} FloatSearch;

static void float_decode(FloatSearch *s, const double *h)
{
    for (uint32_t l = 0; l < s->st->n_layers; l++)
        s->outs[l] = lk_lrnn_decode_float(s->st->layer[l], h + s->off[l]);
}

static bool float_visit(FloatSearch *s, const double *h, uint32_t q, uint32_t parent, uint32_t via)
{
    GBytes *key = g_bytes_new(h, sizeof(double) * s->N);
    gpointer v = g_hash_table_lookup(s->ids, key);
    if (v) {
        g_bytes_unref(key);
        return g_array_index(s->owner, uint32_t, GPOINTER_TO_UINT(v) - 1) == q;
    }
    const uint32_t id = s->owner->len;
    g_hash_table_insert(s->ids, key, GUINT_TO_POINTER(id + 1));
    g_array_append_val(s->owner, q);
    g_array_append_vals(s->states, h, s->N);
    Pair p = {q, id, parent, via};
    g_array_append_val(s->pairs, p);
    float_decode(s, h);
    const int64_t out = lk_stack_output(s->st, s->outs);
    return out >= 0 && lk_stack_accepts(s->st, out) == (s->d->accept[q] != 0);
}

bool lk_stack_verify_float(const LkStack *st, const LkDfa *d, LkEngine e, const LkLimits *limits,
                           LkVerifyResult *out, GError **error)
{
    g_return_val_if_fail(e != LK_ENGINE_EXACT, false);
    memset(out, 0, sizeof *out);
    if (!lk_alphabet_equal(st->alphabet, d->alphabet)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "the model's tokens are not the DFA's alphabet");
        return false;
    }
    const uint32_t L = st->n_layers, k = d->k;
    FloatSearch s = {.st = st, .d = d, .e = e, .off = g_new(uint32_t, L + 1)};
    for (uint32_t l = 0; l < L; l++) s.off[l] = s.N, s.N += st->layer[l]->n;
    bool by_memory; /* a pair, and at worst a new state with its hash key */
    uint64_t per_pair;
    const uint64_t max_pairs = pairs_allowed(limits, 16 + 16ull * s.N + 64, &by_memory, &per_pair);
    s.ids = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    s.owner = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    s.states = g_array_new(FALSE, FALSE, sizeof(double));
    s.pairs = g_array_new(FALSE, FALSE, sizeof(Pair));
    s.outs = g_new(int64_t, L + 1);
    s.tok = g_new(uint32_t, L + 1);
    double *h = g_new(double, s.N + 1);
    for (uint32_t l = 0; l < L; l++) lk_lrnn_h0_float(st->layer[l], e, h + s.off[l]);
    uint32_t bad_parent = UINT32_MAX, bad_via = UINT32_MAX;
    bool ok = float_visit(&s, h, d->start, UINT32_MAX, UINT32_MAX), limit = false;
    for (uint32_t head = 0; ok && !limit && head < s.pairs->len;
         head++, lk_progress("verify: pairs", s.pairs->len, 0))
        for (uint32_t a = 0; ok && !limit && a < k; a++) {
            const Pair cur = g_array_index(s.pairs, Pair, head);
            memcpy(h, &g_array_index(s.states, double, (size_t)cur.h *s.N), sizeof(double) * s.N);
            float_decode(&s, h);
            bool routed = lk_stack_tokens(st, a, s.outs, s.tok);
            for (uint32_t l = 0; routed && l < L; l++)
                lk_lrnn_step_float(st->layer[l], e, h + s.off[l], s.tok[l]);
            if (!routed || !float_visit(&s, h, d->delta[(size_t)cur.q * k + a], head, a))
                bad_parent = head, bad_via = a, ok = false;
            limit = s.pairs->len > max_pairs;
        }
    if (limit) {
        pairs_error(error, max_pairs, per_pair, by_memory, lk_engine_name(e));
    } else {
        out->verified = ok;
        out->pairs = s.pairs->len;
        out->lrnn_states = s.owner->len;
        if (!ok) out->counterexample = word_to(s.pairs, bad_parent, bad_via);
    }
    g_hash_table_unref(s.ids);
    g_array_unref(s.owner), g_array_unref(s.states), g_array_unref(s.pairs);
    g_free(s.off), g_free(s.outs), g_free(s.tok), g_free(h);
    return !limit;
}
