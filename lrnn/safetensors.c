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
#include "automata/atomic-file.h"
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

bool lk_stack_save(const LkStack *s, const char *path, bool f32, GError **error)
{
    Tensor *t = g_new0(Tensor, (LAYER_TENSORS + 1) * s->n_layers + 2);
    const int nt = stack_tensors(s, t);
    const size_t esz = f32 ? 4 : 8;
    g_autofree char *model = lk_stack_to_json(s);
    GString *h = g_string_new(
        "{\"__metadata__\": {\"format\": \"lrnnkit-lrnn\", \"version\": \"1\", \"model\": ");
    lk_json_append_string(h, model);
    g_string_append(h, "}");
    uint64_t off = 0;
    for (int i = 0; i < nt; i++) {
        uint64_t bytes = numel(&t[i]) * esz;
        g_string_append_printf(h, ", \"%s\": {\"dtype\": \"%s\", \"shape\": [", t[i].name,
                               f32 ? "F32" : "F64");
        for (uint32_t r = 0; r < t[i].rank; r++)
            g_string_append_printf(h, "%s%" G_GUINT64_FORMAT, r ? ", " : "", t[i].shape[r]);
        g_string_append_printf(
            h, "], \"data_offsets\": [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "]}", off,
            off + bytes);
        off += bytes;
    }
    g_string_append_c(h, '}');
    while (h->len % 8) g_string_append_c(h, ' ');
    GByteArray *file = g_byte_array_new();
    uint8_t len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (uint8_t)((uint64_t)h->len >> (8 * i));
    g_byte_array_append(file, len8, 8);
    g_byte_array_append(file, (const guint8 *)h->str, h->len);
    for (int i = 0; i < nt; i++) {
        for (uint64_t j = 0; j < numel(&t[i]); j++) {
            if (f32) {
                float v = (float)t[i].data[j];
                g_byte_array_append(file, (const guint8 *)&v, 4); /* little-endian host */
            } else {
                g_byte_array_append(file, (const guint8 *)&t[i].data[j], 8);
            }
        }
        g_free(t[i].data);
    }
    g_string_free(h, TRUE);
    bool ok = lk_atomic_write(path, file->data, file->len, error);
    g_byte_array_unref(file);
    g_free(t);
    return ok;
}

bool lk_lrnn_save(const LkLrnn *m, const char *path, bool f32, GError **error)
{
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

typedef struct {
    const char *name;
    uint64_t start, end;
    bool f32;
    uint64_t shape[4];
    uint32_t rank;
} Entry;

static int cmp_entry(const void *a, const void *b)
{
    const Entry *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The values of a tensor entry as doubles (n of them). */
static void entry_values(const Entry *e, const char *data, double *out, uint64_t n)
{
    for (uint64_t j = 0; j < n; j++) {
        if (e->f32) {
            float f;
            memcpy(&f, data + e->start + 4 * j, 4);
            out[j] = f;
        } else {
            memcpy(&out[j], data + e->start + 8 * j, 8);
        }
    }
}

static const Entry *find_entry(const Entry *ents, guint count, const char *name)
{
    for (guint j = 0; j < count; j++)
        if (!strcmp(ents[j].name, name)) return &ents[j];
    return NULL;
}

/* Layer l rebuilt from its tensors as written (the model m gives the
 * structure): every factor becomes u = k, beta' = beta (k.k), c = v, so
 * that the exact model is the tensors' recurrence
 * H <- H - beta k (k.H) + beta k v exactly, k taken as written; the
 * gates, h0 and codebook as written. NULL when a value is not finite. */
static LkLrnn *layer_from_tensors(const LkLrnn *m, uint32_t l, const Entry *ents, guint count,
                                  const char *data)
{
    const uint32_t n = m->n, T = lk_alphabet_size(m->alphabet), nh = lk_lrnn_max_factors(m);
    char name[64];
#define GET(what, k)                                                                               \
    (g_snprintf(name, sizeof name, "layer%u." what, l), find_entry(ents, count, name))
    const Entry *ek = GET("keys", 0), *eb = GET("betas", 0), *ev = GET("values", 0),
                *eg = GET("gates", 0), *eh = GET("h0", 0),
                *ec = m->n_codes ? GET("codes", 0) : NULL;
#undef GET
    double *k = g_new(double, (size_t)T *nh *n + 1), *b = g_new(double, (size_t)T *nh + 1),
           *v = g_new(double, (size_t)T *nh + 1), *g = g_new(double, T + 1),
           *h = g_new(double, n + 1), *c = g_new(double, (size_t)m->n_codes *n + 1);
    entry_values(ek, data, k, (uint64_t)T * nh * n), entry_values(eb, data, b, (uint64_t)T * nh);
    entry_values(ev, data, v, (uint64_t)T * nh), entry_values(eg, data, g, T);
    entry_values(eh, data, h, n);
    if (ec) entry_values(ec, data, c, (uint64_t)m->n_codes * n);
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
    return stack_load(path, false, error);
}

LkStack *lk_stack_load_tensors(const char *path, GError **error)
{
    return stack_load(path, true, error);
}

static LkStack *stack_load(const char *path, bool from_tensors, GError **error)
{
    char *buf;
    gsize len;
    GError *ferr = NULL;
    if (!g_file_get_contents(path, &buf, &len, &ferr)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s", ferr->message);
        g_error_free(ferr);
        return NULL;
    }
    LkStack *m = NULL;
    JsonParser *p = NULL;
    Entry *ents = NULL;
    uint64_t hlen = 0;
    if (len < 8) {
        bad(error, path, "shorter than its 8-byte header length");
        goto out;
    }
    for (int i = 7; i >= 0; i--) hlen = hlen << 8 | (uint8_t)buf[i];
    if (hlen < 2 || hlen > len - 8 || hlen > (100u << 20)) {
        bad(error, path, "header length out of range");
        goto out;
    }
    p = json_parser_new_immutable();
    if (!lk_json_parse(p, buf + 8, (gssize)hlen, path, error)) goto out;
    if (!json_parser_get_root(p) || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        bad(error, path, "the header is not a JSON object");
        goto out;
    }
    JsonObject *hdr = json_node_get_object(json_parser_get_root(p));
    const uint64_t data_len = len - 8 - hlen;
    const char *data = buf + 8 + hlen;
    JsonNode *meta = json_object_get_member(hdr, "__metadata__");
    if (!meta || !JSON_NODE_HOLDS_OBJECT(meta)) {
        bad(error, path, "no __metadata__");
        goto out;
    }
    JsonObject *mo = json_node_get_object(meta);
    if (g_strcmp0(lk_json_string(mo, "format"), "lrnnkit-lrnn") != 0 ||
        g_strcmp0(lk_json_string(mo, "version"), "1") != 0) {
        bad(error, path, "__metadata__ is not lrnnkit-lrnn version 1");
        goto out;
    }
    GList *names = json_object_get_members(hdr);
    guint count = 0;
    ents = g_new0(Entry, g_list_length(names) + 1);
    bool ok = true;
    for (GList *l = names; l && ok; l = l->next) {
        const char *nm = l->data;
        if (strcmp(nm, "__metadata__") == 0) continue;
        JsonNode *tn = json_object_get_member(hdr, nm);
        JsonObject *to = JSON_NODE_HOLDS_OBJECT(tn) ? json_node_get_object(tn) : NULL;
        JsonNode *dt = to ? json_object_get_member(to, "dtype") : NULL;
        JsonNode *sh = to ? json_object_get_member(to, "shape") : NULL;
        JsonNode *of = to ? json_object_get_member(to, "data_offsets") : NULL;
        Entry *e = &ents[count];
        e->name = nm;
        const char *dts = dt && JSON_NODE_TYPE(dt) == JSON_NODE_VALUE &&
                                  json_node_get_value_type(dt) == G_TYPE_STRING
                              ? json_node_get_string(dt)
                              : "";
        ok = (strcmp(dts, "F32") == 0 || strcmp(dts, "F64") == 0) && sh &&
             JSON_NODE_HOLDS_ARRAY(sh) && of && JSON_NODE_HOLDS_ARRAY(of) &&
             json_array_get_length(json_node_get_array(of)) == 2 &&
             json_array_get_length(json_node_get_array(sh)) <= 4;
        if (!ok) break;
        e->f32 = strcmp(dts, "F32") == 0;
        uint64_t cnt = 1;
        e->rank = json_array_get_length(json_node_get_array(sh));
        for (uint32_t r = 0; r < e->rank && ok; r++) {
            JsonNode *d = json_array_get_element(json_node_get_array(sh), r);
            ok = JSON_NODE_TYPE(d) == JSON_NODE_VALUE &&
                 json_node_get_value_type(d) == G_TYPE_INT64 && json_node_get_int(d) >= 0 &&
                 json_node_get_int(d) < (1ll << 32);
            if (ok) e->shape[r] = (uint64_t)json_node_get_int(d), cnt *= e->shape[r];
            ok = ok && cnt < (1ull << 40);
        }
        for (int r = 0; r < 2 && ok; r++) {
            JsonNode *d = json_array_get_element(json_node_get_array(of), r);
            ok = JSON_NODE_TYPE(d) == JSON_NODE_VALUE &&
                 json_node_get_value_type(d) == G_TYPE_INT64 && json_node_get_int(d) >= 0;
            if (ok) *(r ? &e->end : &e->start) = (uint64_t)json_node_get_int(d);
        }
        ok = ok && e->end >= e->start && e->end <= data_len &&
             e->end - e->start == cnt * (e->f32 ? 4 : 8) && e->start % (e->f32 ? 4 : 8) == 0;
        count++;
    }
    g_list_free(names);
    if (!ok) {
        bad(error, path, "a tensor entry has a bad dtype, shape or data_offsets");
        goto out;
    }
    qsort(ents, count, sizeof(Entry), cmp_entry);
    uint64_t at = 0;
    for (guint i = 0; i < count; i++) {
        if (ents[i].start != at) {
            bad(error, path, "tensor data overlaps or leaves a hole");
            goto out;
        }
        at = ents[i].end;
    }
    if (at != data_len) {
        bad(error, path, "bytes after the last tensor");
        goto out;
    }
    const char *model = lk_json_string(mo, "model");
    if (!model || !(m = lk_stack_from_json(model, -1, error))) {
        if (!model) bad(error, path, "no model in __metadata__");
        goto out;
    }
    /* the tensors must be the model's */
    Tensor *t = g_new0(Tensor, (LAYER_TENSORS + 1) * m->n_layers + 2);
    const int nt = stack_tensors(m, t);
    ok = (guint)nt == count; /* exactly the model's tensors */
    for (int i = 0; i < nt && ok; i++) {
        const Entry *e = NULL;
        for (guint j = 0; j < count; j++)
            if (strcmp(ents[j].name, t[i].name) == 0) e = &ents[j];
        ok = e && e->rank == t[i].rank;
        for (uint32_t r = 0; ok && r < t[i].rank; r++) ok = e->shape[r] == t[i].shape[r];
        for (uint64_t j = 0; ok && !from_tensors && j < numel(&t[i]); j++) {
            double v;
            if (e->f32) {
                float f;
                memcpy(&f, data + e->start + 4 * j, 4);
                v = f;
                ok = fabs(v - t[i].data[j]) <= 1e-6 * fmax(1.0, fabs(t[i].data[j]));
            } else {
                memcpy(&v, data + e->start + 8 * j, 8);
                ok = v == t[i].data[j];
            }
        }
    }
    for (int i = 0; i < nt; i++) g_free(t[i].data);
    g_free(t);
    if (!ok) {
        lk_stack_free(m);
        m = NULL;
        bad(error, path,
            from_tensors ? "the tensors' names or shapes are not the model's"
                         : "the tensors disagree with the exact model in __metadata__ (to run the "
                           "weights as written, --from-tensors)");
    }
    for (uint32_t l = 0; m && from_tensors && l < m->n_layers; l++) { /* the weights as written */
        LkLrnn *r = layer_from_tensors(m->layer[l], l, ents, count, data);
        if (!r) {
            lk_stack_free(m);
            m = NULL;
            bad(error, path, "a tensor holds NaN or an infinity");
            break;
        }
        lk_lrnn_free(m->layer[l]);
        m->layer[l] = r;
    }
out:
    g_free(ents);
    if (p) g_object_unref(p);
    g_free(buf);
    return m;
}

LkLrnn *lk_lrnn_load(const char *path, GError **error)
{
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
