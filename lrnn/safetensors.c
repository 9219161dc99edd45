/* Weight files in the safetensors format: an 8-byte little-endian header
 * length, a JSON header (padded with spaces to a multiple of 8), then the
 * tensors back to back with no holes, each aligned to its element size.
 *
 * Tensors of layer i (T tokens, n_h = the most factors of a token, n states),
 * laid out per token as fla's DeltaProduct takes them (shown for layer 0):
 *   layer0.keys    [T, n_h, n]  k = u / |u|      (padding: e_0 with beta 0)
 *   layer0.betas   [T, n_h]     beta in [0, 2]
 *   layer0.values  [T, n_h]     v = c / |u|
 *   layer0.gates   [T]          g (1 when the token has no gate)
 *   layer0.h0      [n]          initial state
 *   layer0.readout [n]          (1, 2, ..., n): state index = round(readout.H) - 1
 *   layer0.accept  [n_out]      1.0 for accepting outputs (states)
 * and, for models with a codebook readout (C codes):
 *   layer0.codes        [C, n]  the reachable states; decode to the nearest
 *   layer0.code_outputs [C]     the output (DFA state) of each code
 * A stack of several layers adds
 *   stack.map     [prod of the layers' n_out]  output of each tuple of layer outputs (-1: none)
 *   stack.accept  [n_out]                      1.0 for accepting outputs.
 * A routed stack (compiled cascades: model.h) instead has
 *   layer<i>.route [R_i, i + 2]   rows (outputs of layers 0..i-1, letter, token of layer i)
 *   stack.map      [M, L + 1]     rows (outputs of the L layers, output).
 * __metadata__ holds "format": "lrnnkit-lrnn", "version": "1" and "model":
 * the exact model (layer or stack) as JSON, which is the source of truth when reading; the
 * tensors are checked against it.
 */
#include "automata/safetensors.h"
#include "lrnn/weights.h"
#include "automata/json-util.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

typedef struct {
    char name[40];
    uint32_t rank;
    uint64_t shape[3];
    double *data;
} Tensor;

static uint64_t numel(const Tensor *t)
{
    uint64_t c = 1;
    for (uint32_t i = 0; i < t->rank; i++) c *= t->shape[i];
    return c;
}

enum { LAYER_TENSORS = 9 };

static Tensor tensor(uint32_t layer, const char *what, uint32_t rank, uint64_t d0, uint64_t d1,
                     uint64_t d2)
{
    Tensor t = {.rank = rank, .shape = {d0, d1, d2}};
    g_snprintf(t.name, sizeof t.name, "layer%u.%s", layer, what);
    t.data = g_new0(double, d0 *(rank > 1 ? d1 : 1) * (rank > 2 ? d2 : 1) + 1);
    return t;
}

/* The float tensors of layer l (data g_malloc'd); returns their number. */
static int layer_tensors(const LkLrnn *m, uint32_t l, Tensor *t)
{
    const uint32_t n = m->n, T = lk_alphabet_size(m->alphabet), nh = lk_lrnn_max_factors(m);
    t[0] = tensor(l, "keys", 3, T, nh, n);
    t[1] = tensor(l, "betas", 2, T, nh, 0);
    t[2] = tensor(l, "values", 2, T, nh, 0);
    t[3] = tensor(l, "gates", 1, T, 0, 0);
    t[4] = tensor(l, "h0", 1, n, 0, 0);
    t[5] = tensor(l, "readout", 1, n, 0, 0);
    t[6] = tensor(l, "accept", 1, m->n_out, 0, 0);
    for (uint32_t a = 0; a < T; a++) {
        const LkToken *tk = &m->tok[a];
        t[3].data[a] = tk->gated ? mpq_get_d(tk->gate) : 1.0;
        for (uint32_t j = 0; j < nh; j++) {
            double *key = t[0].data + ((size_t)a * nh + j) * n;
            if (j >= tk->n_factors) { /* identity padding */
                key[0] = 1.0;
                continue;
            }
            lk_lrnn_float_factor(m, &tk->f[j], key, &t[1].data[(size_t)a * nh + j],
                                 &t[2].data[(size_t)a * nh + j]);
        }
    }
    lk_lrnn_h0_float(m, LK_ENGINE_F64, t[4].data);
    for (uint32_t i = 0; i < n; i++) t[5].data[i] = i + 1;
    for (uint32_t i = 0; i < m->n_out; i++) t[6].data[i] = m->accept[i] ? 1.0 : 0.0;
    if (!m->n_codes) return 7;
    const uint32_t C = m->n_codes;
    t[7] = tensor(l, "codes", 2, C, n, 0);
    t[8] = tensor(l, "code_outputs", 1, C, 0, 0);
    for (uint32_t c = 0; c < C; c++) lk_lrnn_code_float(m, c, t[7].data + (size_t)c * n);
    for (uint32_t c = 0; c < C; c++) t[8].data[c] = m->code_out[c];
    return 9;
}

/* All tensors of a stack (at most LAYER_TENSORS + 1 per layer + 2). */
static int stack_tensors(const LkStack *s, Tensor *t)
{
    int nt = 0;
    const uint32_t L = s->n_layers;
    for (uint32_t l = 0; l < L; l++) {
        nt += layer_tensors(s->layer[l], l, t + nt);
        const LkTupleMap *r = s->route ? s->route[l] : NULL;
        if (!r) continue;
        const uint32_t R = lk_tuple_map_size(r);
        t[nt] = tensor(l, "route", 2, R, l + 2, 0);
        for (uint32_t e = 0; e < R; e++) {
            double *row = t[nt].data + (size_t)e * (l + 2);
            for (uint32_t j = 0; j <= l; j++) row[j] = lk_tuple_map_key(r, e)[j];
            row[l + 1] = lk_tuple_map_value(r, e);
        }
        nt++;
    }
    if (!s->map) return nt;
    const uint32_t M = lk_tuple_map_size(s->map);
    if (s->route) { /* routed: the map as rows [outputs of every layer..., output] */
        t[nt] = (Tensor){"stack.map", 2, {M, L + 1}, g_new0(double, (size_t)M *(L + 1) + 1)};
        for (uint32_t e = 0; e < M; e++) {
            double *row = t[nt].data + (size_t)e * (L + 1);
            for (uint32_t j = 0; j < L; j++) row[j] = lk_tuple_map_key(s->map, e)[j];
            row[L] = lk_tuple_map_value(s->map, e);
        }
    } else { /* dense: one output (or -1) per tuple in mixed radix */
        uint64_t tuples = 1;
        for (uint32_t l = 0; l < L; l++) tuples *= s->layer[l]->n_out;
        t[nt] = (Tensor){"stack.map", 1, {tuples}, g_new0(double, tuples + 1)};
        for (uint64_t x = 0; x < tuples; x++) t[nt].data[x] = -1;
        for (uint32_t e = 0; e < M; e++) {
            uint64_t x = 0;
            for (uint32_t j = 0; j < L; j++)
                x = x * s->layer[j]->n_out + lk_tuple_map_key(s->map, e)[j];
            t[nt].data[x] = lk_tuple_map_value(s->map, e);
        }
    }
    t[nt + 1] = (Tensor){"stack.accept", 1, {s->n_out}, g_new0(double, s->n_out + 1)};
    for (uint32_t o = 0; o < s->n_out; o++) t[nt + 1].data[o] = s->accept[o];
    return nt + 2;
}

GPtrArray *lk_stack_tensors(const LkStack *s, bool f32)
{
    g_return_val_if_fail(s != NULL, NULL);
    Tensor *t = g_new0(Tensor, (LAYER_TENSORS + 1) * s->n_layers + 2);
    const int nt = stack_tensors(s, t);
    GPtrArray *out = g_ptr_array_new_full((guint)nt, (GDestroyNotify)lk_tensor_free);
    for (int i = 0; i < nt; i++) {
        LkTensor *x = lk_tensor_new(t[i].name, t[i].rank, t[i].shape, f32);
        memcpy(x->data, t[i].data, numel(&t[i]) * sizeof(double));
        g_ptr_array_add(out, x);
        g_free(t[i].data);
    }
    g_free(t);
    return out;
}

bool lk_stack_save(const LkStack *s, const char *path, bool f32, GError **error)
{
    g_return_val_if_fail(s != NULL, false);
    g_autoptr(GPtrArray) out = lk_stack_tensors(s, f32);
    g_autofree char *model = lk_stack_to_json(s);
    const char *meta[] = {"format", "lrnnkit-lrnn", "version", "1", "model", model, NULL};
    return lk_safetensors_write(path, (LkTensor *const *)out->pdata, out->len, meta, error);
}

bool lk_lrnn_save(const LkLrnn *m, const char *path, bool f32, GError **error)
{
    g_return_val_if_fail(m != NULL, false);
    LkLrnn *slot;
    LkStack view = lk_stack_view(m, &slot);
    return lk_stack_save(&view, path, f32, error);
}

G_STATIC_ASSERT(G_BYTE_ORDER == G_LITTLE_ENDIAN);

static LkStack *bad(GError **error, const char *path, const char *msg)
{
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: not a valid lrnnkit safetensors file: %s",
                path, msg);
    return NULL;
}

/* The values of tensor name (n of them) into out. */
static void tensor_values(const GPtrArray *ts, const char *name, double *out, uint64_t n)
{
    const LkTensor *e = lk_tensors_find(ts, name);
    memcpy(out, e->data, n * sizeof(double));
}

/* Layer l rebuilt from its tensors as written (the model m gives the
 * structure): every factor becomes u = k, beta' = beta (k.k), c = v, so
 * that the exact model is the tensors' recurrence
 * H <- H - beta k (k.H) + beta k v exactly, k taken as written; the
 * gates, h0 and codebook as written. NULL when a value is not finite. */
static LkLrnn *layer_from_tensors(const LkLrnn *m, uint32_t l, const GPtrArray *ts)
{
    const uint32_t n = m->n, T = lk_alphabet_size(m->alphabet), nh = lk_lrnn_max_factors(m);
    char name[64];
    double *k = g_new(double, (size_t)T *nh *n + 1), *b = g_new(double, (size_t)T *nh + 1),
           *v = g_new(double, (size_t)T *nh + 1), *g = g_new(double, T + 1),
           *h = g_new(double, n + 1), *c = g_new(double, (size_t)m->n_codes *n + 1);
#define GET(what, out, count)                                                                      \
    (g_snprintf(name, sizeof name, "layer%u." what, l), tensor_values(ts, name, out, count))
    GET("keys", k, (uint64_t)T * nh * n), GET("betas", b, (uint64_t)T * nh);
    GET("values", v, (uint64_t)T * nh), GET("gates", g, T), GET("h0", h, n);
    if (m->n_codes) GET("codes", c, (uint64_t)m->n_codes * n);
#undef GET
    const bool ec = m->n_codes > 0;
    bool finite = true;
    for (size_t i = 0; i < (size_t)T * nh * n; i++) finite &= isfinite(k[i]);
    for (size_t i = 0; i < (size_t)T * nh; i++) finite &= isfinite(b[i]) && isfinite(v[i]);
    for (size_t i = 0; i < T; i++) finite &= isfinite(g[i]);
    for (size_t i = 0; i < n; i++) finite &= isfinite(h[i]);
    for (size_t i = 0; ec && i < (size_t)m->n_codes * n; i++) finite &= isfinite(c[i]);
    LkLrnn *r = NULL;
    if (finite) {
        r = lk_lrnn_new(m->alphabet, n);
        mpq_t *u = g_new(mpq_t, n + 1), beta, kk, t, cv;
        mpq_inits(beta, kk, t, cv, NULL);
        for (uint32_t i = 0; i < n; i++) mpq_init(u[i]);
        for (uint32_t a = 0; a < T; a++) {
            if (m->tok[a].gated || g[a] != 1.0) {
                r->tok[a].gated = true;
                mpq_set_d(r->tok[a].gate, g[a]);
            }
            for (uint32_t j = 0; j < nh; j++) {
                const size_t f = (size_t)a * nh + j;
                if (b[f] == 0 && v[f] == 0) continue; /* padding (or a factor that does nothing) */
                mpq_set_ui(kk, 0, 1);
                for (uint32_t i = 0; i < n; i++) {
                    mpq_set_d(u[i], k[f * n + i]);
                    mpq_mul(t, u[i], u[i]);
                    mpq_add(kk, kk, t);
                }
                if (!mpq_sgn(kk)) continue;
                mpq_set_d(beta, b[f]);
                mpq_mul(beta, beta, kk);
                mpq_set_d(cv, v[f]);
                lk_lrnn_add_factor(r, a, beta, u, cv);
            }
        }
        for (uint32_t i = 0; i < n; i++) mpq_set_d(r->h0[i], h[i]);
        if (m->n_codes) {
            mpq_t *codes = g_new(mpq_t, (size_t)m->n_codes * n + 1);
            for (size_t i = 0; i < (size_t)m->n_codes * n; i++)
                mpq_init(codes[i]), mpq_set_d(codes[i], c[i]);
            lk_lrnn_set_codebook(r, m->n_codes, codes, m->code_out, m->n_out);
            for (size_t i = 0; i < (size_t)m->n_codes * n; i++) mpq_clear(codes[i]);
            g_free(codes);
        }
        memcpy(r->accept, m->accept, m->n_out);
        r->n_out = m->n_out;
        for (uint32_t i = 0; i < n; i++) mpq_clear(u[i]);
        g_free(u);
        mpq_clears(beta, kk, t, cv, NULL);
        lk_lrnn_prepare(r);
    }
    g_free(k), g_free(b), g_free(v), g_free(g), g_free(h), g_free(c);
    return r;
}

static LkStack *stack_load(const char *path, bool from_tensors, GError **error);

LkStack *lk_stack_load(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    return stack_load(path, false, error);
}

LkStack *lk_stack_load_tensors(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    return stack_load(path, true, error);
}

static LkStack *stack_load(const char *path, bool from_tensors, GError **error)
{
    g_autoptr(GHashTable) meta = NULL;
    g_autoptr(GPtrArray) ts = lk_safetensors_read(path, NULL, &meta, error);
    if (!ts) return NULL;
    if (g_strcmp0(g_hash_table_lookup(meta, "format"), "lrnnkit-lrnn") != 0 ||
        g_strcmp0(g_hash_table_lookup(meta, "version"), "1") != 0)
        return bad(error, path, "__metadata__ is not lrnnkit-lrnn version 1");
    const char *model = g_hash_table_lookup(meta, "model");
    if (!model) return bad(error, path, "no model in __metadata__");
    LkStack *m = lk_stack_from_json(model, -1, error);
    if (!m) {
        g_prefix_error(error, "%s: __metadata__ ", path); /* "model: LINE:COLUMN: ..." follows */
        return NULL;
    }
    /* the tensors must be the model's */
    Tensor *t = g_new0(Tensor, (LAYER_TENSORS + 1) * m->n_layers + 2);
    const int nt = stack_tensors(m, t);
    bool ok = (guint)nt == ts->len; /* exactly the model's tensors */
    for (int i = 0; i < nt && ok; i++) {
        const LkTensor *e = lk_tensors_find(ts, t[i].name);
        ok = e && e->rank == t[i].rank;
        for (uint32_t r = 0; ok && r < t[i].rank; r++) ok = e->shape[r] == t[i].shape[r];
        for (uint64_t j = 0; ok && !from_tensors && j < numel(&t[i]); j++)
            ok = e->f32 ? fabs(e->data[j] - t[i].data[j]) <= 1e-6 * fmax(1.0, fabs(t[i].data[j]))
                        : e->data[j] == t[i].data[j];
    }
    for (int i = 0; i < nt; i++) g_free(t[i].data);
    g_free(t);
    if (!ok) {
        lk_stack_free(m);
        return bad(error, path,
                   from_tensors ? "the tensors' names or shapes are not the model's"
                                : "the tensors disagree with the exact model in __metadata__ (to "
                                  "run the weights as written, --from-tensors)");
    }
    for (uint32_t l = 0; from_tensors && l < m->n_layers; l++) { /* the weights as written */
        LkLrnn *r = layer_from_tensors(m->layer[l], l, ts);
        if (!r) {
            lk_stack_free(m);
            return bad(error, path, "a tensor holds NaN or an infinity");
        }
        lk_lrnn_free(m->layer[l]);
        m->layer[l] = r;
    }
    return m;
}

LkLrnn *lk_lrnn_load(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    LkStack *s = lk_stack_load(path, error);
    if (!s) return NULL;
    if (s->n_layers != 1 || s->map) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: a stack of %u layers, not one layer",
                    path, s->n_layers);
        lk_stack_free(s);
        return NULL;
    }
    LkLrnn *m = s->layer[0];
    s->n_layers = 0;
    lk_stack_free(s);
    return m;
}
