/* Stacks of LRNN layers: the cascade compiler, runs and the JSON form (see
 * model.h). Running costs one step per layer per letter plus O(layers) for
 * the tokens. */
#include "lrnn/compile.h"
#include "automata/json-util.h"
#include "automata/families.h"

#include <json-glib/json-glib.h>
#include <string.h>

LkStack *lk_stack_new_single(LkLrnn *layer)
{
    g_return_val_if_fail(layer != NULL, NULL);
    LkStack *s = g_new0(LkStack, 1);
    s->alphabet = lk_alphabet_ref(layer->alphabet);
    s->n_layers = 1;
    s->layer = g_new(LkLrnn *, 1);
    s->layer[0] = layer;
    s->n_out = layer->n_out;
    return s;
}

void lk_stack_free(LkStack *s)
{
    if (!s) return;
    for (uint32_t i = 0; i < s->n_layers; i++) {
        lk_lrnn_free(s->layer[i]);
        if (s->route) lk_tuple_map_free(s->route[i]);
    }
    g_free(s->route);
    g_free(s->layer);
    lk_tuple_map_free(s->map);
    g_free(s->accept);
    g_free(s->family);
    g_free(s->dfa_state);
    lk_alphabet_unref(s->alphabet);
    g_free(s);
}

void lk_stack_set_states(LkStack *s, const char *family, const int64_t *dfa_state)
{
    g_return_if_fail(s != NULL);
    g_free(s->family);
    g_free(s->dfa_state);
    s->family = g_strdup(family);
    s->dfa_state = g_memdup2(dfa_state, sizeof(int64_t) * s->n_out);
}

char **lk_stack_output_names(const LkStack *s)
{
    g_return_val_if_fail(s != NULL, NULL);
    g_auto(GStrv) elements = NULL;
    if (s->family && s->dfa_state) { /* a group family: its elements */
        /* every state the outputs stand for has an output, so the family's
         * automaton has at most n_out states: a larger one (a file naming
         * "S:12") is not built */
        const LkLimits lim = {.max_states = s->n_out};
        g_autoptr(LkDfa) d = lk_family_dfa(s->family, &lim, NULL);
        elements = d ? lk_family_element_names(s->family, d, NULL) : NULL;
        for (uint32_t o = 0; elements && o < s->n_out; o++)
            if (s->dfa_state[o] >= (int64_t)d->n) g_clear_pointer(&elements, g_strfreev);
    }
    char **names = g_new0(char *, s->n_out + 1);
    for (uint32_t o = 0; o < s->n_out; o++) {
        const int64_t q = s->dfa_state ? s->dfa_state[o] : (int64_t)o;
        names[o] = q < 0      ? g_strdup_printf("output %u", o)
                   : elements ? g_strdup(elements[q])
                              : g_strdup_printf("%" G_GINT64_FORMAT, q);
    }
    return names;
}

/* ', "family": ..., "dfa_states": [...], "state_names": [...]' when known. */
static void append_names(GString *g, const LkStack *s)
{
    if (s->family) {
        g_string_append(g, ", \"family\": ");
        lk_json_append_string(g, s->family);
    }
    if (!s->dfa_state) return;
    g_string_append(g, ", \"dfa_states\": [");
    for (uint32_t o = 0; o < s->n_out; o++)
        g_string_append_printf(g, "%s%" G_GINT64_FORMAT, o ? ", " : "", s->dfa_state[o]);
    g_string_append(g, "], \"state_names\": [");
    g_auto(GStrv) names = lk_stack_output_names(s);
    for (uint32_t o = 0; o < s->n_out; o++) {
        if (o) g_string_append(g, ", ");
        lk_json_append_string(g, names[o]);
    }
    g_string_append_c(g, ']');
}

/* Reads the optional "family" and "dfa_states" of o into s. */
static bool read_names(JsonObject *o, LkStack *s)
{
    JsonNode *f = json_object_get_member(o, "family"), *n = json_object_get_member(o, "dfa_states");
    if (f) {
        if (JSON_NODE_TYPE(f) != JSON_NODE_VALUE || json_node_get_value_type(f) != G_TYPE_STRING)
            return false;
        s->family = g_strdup(json_node_get_string(f));
    }
    if (!n) return true;
    if (!JSON_NODE_HOLDS_ARRAY(n) || json_array_get_length(json_node_get_array(n)) != s->n_out)
        return false;
    JsonArray *a = json_node_get_array(n);
    s->dfa_state = g_new0(int64_t, s->n_out + 1);
    for (uint32_t i = 0; i < s->n_out; i++) {
        if (!lk_json_node_int(json_array_get_element(a, i), -1, UINT32_MAX, &s->dfa_state[i]))
            return false;
    }
    return true;
}

uint64_t lk_stack_layer_tokens(const LkStack *s, uint32_t i)
{
    g_return_val_if_fail(s != NULL, 0);
    uint64_t t = lk_alphabet_size(s->alphabet);
    for (uint32_t j = 0; j < i; j++) t *= s->layer[j]->n_out;
    return t;
}

int64_t lk_stack_output(const LkStack *s, const int64_t *outs)
{
    g_return_val_if_fail(s != NULL, -1);
    uint32_t buf[64], *key = s->n_layers <= 64 ? buf : g_new(uint32_t, s->n_layers);
    int64_t out = -2;
    for (uint32_t i = 0; i < s->n_layers && out == -2; i++) {
        if (outs[i] < 0 || outs[i] >= (int64_t)s->layer[i]->n_out) out = -1;
        key[i] = (uint32_t)outs[i];
    }
    if (out == -2 && !s->map) out = outs[0];
    if (out == -2) out = lk_tuple_map_get(s->map, key, UINT32_MAX);
    if (out == UINT32_MAX) out = -1;
    if (key != buf) g_free(key);
    return out;
}

bool lk_stack_accepts(const LkStack *s, int64_t output)
{
    g_return_val_if_fail(s != NULL, false);
    if (output < 0 || output >= (int64_t)s->n_out) return false;
    return (s->accept ? s->accept : s->layer[0]->accept)[output] != 0;
}

bool lk_stack_tokens(const LkStack *s, uint32_t a, const int64_t *outs, uint32_t *tok)
{
    g_return_val_if_fail(s != NULL, false);
    uint64_t x = 0;
    uint32_t buf[65], *key = s->n_layers < 65 ? buf : g_new(uint32_t, s->n_layers + 1);
    const uint32_t k = lk_alphabet_size(s->alphabet);
    bool ok = true;
    for (uint32_t i = 0; i < s->n_layers; i++) {
        if (s->route && s->route[i]) {
            key[i] = a;
            tok[i] = lk_tuple_map_get(s->route[i], key, UINT32_MAX);
            if (tok[i] == UINT32_MAX) {
                ok = false;
                break;
            }
        } else {
            tok[i] = (uint32_t)(x * k + a);
        }
        if (outs[i] < 0 || outs[i] >= (int64_t)s->layer[i]->n_out) {
            ok = i + 1 == s->n_layers;
            break;
        }
        x = x * s->layer[i]->n_out + (uint64_t)outs[i];
        key[i] = (uint32_t)outs[i];
    }
    if (key != buf) g_free(key);
    return ok;
}

uint32_t lk_stack_layer_token(const LkStack *s, uint32_t i, uint32_t a, const int64_t *outs)
{
    g_return_val_if_fail(s != NULL, 0);
    uint64_t x = 0;
    uint32_t buf[65], *key = i < 64 ? buf : g_new(uint32_t, i + 2);
    const uint32_t k = lk_alphabet_size(s->alphabet);
    uint32_t tok = UINT32_MAX;
    bool ok = true;
    for (uint32_t j = 0; j < i && ok; j++) {
        ok = outs[j] >= 0 && outs[j] < (int64_t)s->layer[j]->n_out;
        x = x * s->layer[j]->n_out + (uint64_t)outs[j];
        key[j] = (uint32_t)outs[j];
    }
    if (ok && s->route && s->route[i]) {
        key[i] = a;
        tok = lk_tuple_map_get(s->route[i], key, UINT32_MAX);
    } else if (ok) {
        tok = (uint32_t)(x * k + a);
    }
    if (key != buf) g_free(key);
    return tok;
}

int64_t lk_stack_initial_output(const LkStack *s, LkEngine e)
{
    g_return_val_if_fail(s != NULL, -1);
    int64_t *outs = g_new(int64_t, s->n_layers + 1);
    for (uint32_t i = 0; i < s->n_layers; i++) {
        const LkLrnn *m = s->layer[i];
        if (e == LK_ENGINE_EXACT) {
            outs[i] = lk_lrnn_decode_exact(m, m->h0);
        } else {
            double *h = g_new(double, m->n + 1);
            lk_lrnn_h0_float(m, e, h);
            outs[i] = lk_lrnn_decode_float(m, h);
            g_free(h);
        }
    }
    const int64_t out = lk_stack_output(s, outs);
    g_free(outs);
    return out;
}

bool lk_stack_run_words(const LkStack *s, LkEngine e, const uint32_t *tokens,
                        const uint64_t *offsets, uint64_t n, uint8_t *accepted, int64_t *states,
                        GError **error)
{
    g_return_val_if_fail(s && offsets && accepted && (tokens || offsets[n] == offsets[0]), false);
    const uint32_t k = lk_alphabet_size(s->alphabet);
    for (uint64_t i = 0; i < n; i++) {
        if (offsets[i + 1] < offsets[i]) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "word %" G_GUINT64_FORMAT ": its end offset is before its start", i);
            return false;
        }
        for (uint64_t t = offsets[i]; t < offsets[i + 1]; t++)
            if (tokens[t] >= k) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "word %" G_GUINT64_FORMAT ", position %" G_GUINT64_FORMAT
                            ": letter %u is outside the alphabet (%u letters)",
                            i, t - offsets[i], tokens[t], k);
                return false;
            }
    }
    for (uint64_t i = 0; i < n; i++)
        accepted[i] = lk_stack_run(s, e, tokens + offsets[i], offsets[i + 1] - offsets[i],
                                   states ? states + offsets[i] - offsets[0] : NULL);
    return true;
}

bool lk_stack_run(const LkStack *s, LkEngine e, const uint32_t *word, size_t len, int64_t *states)
{
    g_return_val_if_fail(s != NULL, false);
    if (s->n_layers == 1 && !s->map) return lk_lrnn_run(s->layer[0], e, word, len, states);
    const uint32_t L = s->n_layers;
    int64_t *outs = g_new(int64_t, L + 1);
    uint32_t *tok = g_new(uint32_t, L + 1);
    mpq_t **hq = g_new0(mpq_t *, L + 1);
    double **hf = g_new0(double *, L + 1);
    for (uint32_t i = 0; i < L; i++) { /* exact states in rationals: the layers are small */
        const LkLrnn *m = s->layer[i];
        if (e == LK_ENGINE_EXACT) {
            hq[i] = g_new(mpq_t, m->n + 1);
            for (uint32_t j = 0; j < m->n; j++) {
                mpq_init(hq[i][j]);
                mpq_set(hq[i][j], m->h0[j]);
            }
            outs[i] = lk_lrnn_decode_exact(m, hq[i]);
        } else {
            hf[i] = g_new(double, m->n + 1);
            lk_lrnn_h0_float(m, e, hf[i]);
            outs[i] = lk_lrnn_decode_float(m, hf[i]);
        }
    }
    int64_t out = lk_stack_output(s, outs);
    for (size_t t = 0; t < len; t++) {
        if (!lk_stack_tokens(s, word[t], outs, tok)) { /* a readout failed: no output from here */
            out = -1;
            for (; t < len; t++)
                if (states) states[t] = -1;
            break;
        }
        for (uint32_t i = 0; i < L; i++) {
            if (e == LK_ENGINE_EXACT) {
                lk_lrnn_step_exact(s->layer[i], hq[i], tok[i]);
                outs[i] = lk_lrnn_decode_exact(s->layer[i], hq[i]);
            } else {
                lk_lrnn_step_float(s->layer[i], e, hf[i], tok[i]);
                outs[i] = lk_lrnn_decode_float(s->layer[i], hf[i]);
            }
        }
        out = lk_stack_output(s, outs);
        if (states) states[t] = out;
    }
    for (uint32_t i = 0; i < L; i++) {
        if (hq[i])
            for (uint32_t j = 0; j < s->layer[i]->n; j++) mpq_clear(hq[i][j]);
        g_free(hq[i]);
        g_free(hf[i]);
    }
    g_free(hq);
    g_free(hf);
    g_free(outs);
    g_free(tok);
    return lk_stack_accepts(s, out);
}

/* Level i of a cascade as routed layer i: its distinct maps are the
 * tokens (named t0, t1, ... in order of first use), each (context, letter)
 * a route entry. */
static LkLrnn *compile_level(const LkCascade *c, uint32_t i, bool gated, LkTupleMap **route,
                             const LkLimits *lim, uint64_t *bytes, GError **error)
{
    const LkCascadeLevel *l = &c->level[i];
    const uint32_t n = l->n, k = c->k, rows = lk_tuple_map_size(l->contexts);
    g_autoptr(LkTupleMap) maps = lk_tuple_map_new(n);
    *route = lk_tuple_map_new(i + 1);
    g_autofree uint32_t *key = g_new(uint32_t, i + 2);
    for (uint32_t r = 0; r < rows; r++) {
        if (i) memcpy(key, lk_tuple_map_key(l->contexts, r), sizeof(uint32_t) * i);
        for (uint32_t a = 0; a < k; a++) {
            const uint32_t *t = lk_cascade_maps(c, i, r) + (size_t)a * n;
            uint32_t tok = lk_tuple_map_insert(maps, t, 0, NULL);
            key[i] = a;
            lk_tuple_map_insert(*route, key, tok, NULL);
        }
    }
    const uint32_t T = MAX(lk_tuple_map_size(maps), 1);
    char **names = g_new0(char *, T + 1);
    for (uint32_t t = 0; t < T; t++) names[t] = g_strdup_printf("t%u", t);
    LkAlphabet *al = lk_alphabet_new((const char *const *)names, T, NULL);
    g_strfreev(names);
    LkDfa *level = lk_dfa_new(al, n, l->start); /* the level as an automaton of its tokens */
    lk_alphabet_unref(al);
    for (uint32_t t = 0; t < T; t++)
        for (uint32_t q = 0; q < n; q++)
            level->delta[(size_t)q * T + t] =
                t < lk_tuple_map_size(maps) ? lk_tuple_map_key(maps, t)[q] : q;
    *bytes += lk_lrnn_compile_entries(level, gated) * LK_EXACT_ENTRY_BYTES;
    LkLrnn *m = lk_limits_check_bytes(lim, *bytes, "the model's exact weights", error)
                    ? lk_lrnn_compile(level, gated, NULL, error)
                    : NULL;
    lk_dfa_free(level);
    return m;
}

LkStack *lk_stack_compile_cascade(const LkCascade *c, bool gated, const LkLimits *limits,
                                  GError **error)
{
    g_return_val_if_fail(c != NULL, NULL);
    const uint32_t L = c->n_levels;
    if (L == 0) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "a cascade of no levels has nothing to compile (its automaton has one state)");
        return NULL;
    }
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    uint64_t bytes = 0; /* the exact entries of the levels so far */
    LkStack *s = g_new0(LkStack, 1);
    s->alphabet = lk_alphabet_ref(c->alphabet);
    s->layer = g_new0(LkLrnn *, L);
    s->route = g_new0(LkTupleMap *, L);
    for (uint32_t i = 0; i < L; i++) {
        s->layer[i] = compile_level(c, i, gated, &s->route[i], &lim, &bytes, error);
        s->n_layers = i + 1;
        if (!s->layer[i]) {
            lk_stack_free(s);
            return NULL;
        }
    }
    s->n_out = c->n_out;
    s->map = lk_tuple_map_copy(c->map);
    s->accept = g_memdup2(c->accept, c->n_out);
    return s;
}

void lk_stack_report(const LkStack *s, const char *construction, LkCompileReport *r)
{
    g_return_if_fail(s != NULL);
    memset(r, 0, sizeof *r);
    r->layers = s->n_layers;
    r->construction = construction;
    uint64_t tokens = 0, factors = 0;
    for (uint32_t i = 0; i < s->n_layers; i++) {
        const LkLrnn *m = s->layer[i];
        const uint32_t T = lk_alphabet_size(m->alphabet);
        r->max_factors = MAX(r->max_factors, lk_lrnn_max_factors(m));
        /* h0, readout weights, accept table, codebook; per factor key, beta, value */
        r->parameters += 2ull * m->n + m->n_out + (uint64_t)m->n_codes * (m->n + 1);
        for (uint32_t a = 0; a < T; a++) {
            factors += m->tok[a].n_factors;
            r->parameters += m->tok[a].n_factors * (uint64_t)(m->n + 2) + m->tok[a].gated;
        }
        tokens += T;
    }
    if (s->map) r->parameters += (uint64_t)lk_tuple_map_size(s->map) + s->n_out;
    for (uint32_t i = 0; s->route && i < s->n_layers; i++)
        if (s->route[i]) r->parameters += lk_tuple_map_size(s->route[i]);
    r->state_dim = s->layer[0]->n;
    r->tokens = lk_alphabet_size(s->layer[0]->alphabet);
    r->mean_factors = tokens ? (double)factors / (double)tokens : 0;
}

static void append_rows(GString *g, const LkTupleMap *t)
{
    const uint32_t w = lk_tuple_map_width(t);
    g_string_append_c(g, '[');
    for (uint32_t e = 0; e < lk_tuple_map_size(t); e++) {
        const uint32_t *key = lk_tuple_map_key(t, e);
        g_string_append(g, e ? ", [" : "[");
        for (uint32_t j = 0; j < w; j++) g_string_append_printf(g, "%u, ", key[j]);
        g_string_append_printf(g, "%u]", lk_tuple_map_value(t, e));
    }
    g_string_append_c(g, ']');
}

char *lk_stack_to_json(const LkStack *s)
{
    g_return_val_if_fail(s != NULL, NULL);
    if (s->n_layers == 1 && !s->map && !s->route) {
        GString *g = g_string_new(NULL);
        g_autofree char *layer = lk_lrnn_to_json(s->layer[0]);
        g_string_append(g, layer);
        g_string_truncate(g, g->len - 1); /* the closing brace */
        append_names(g, s);
        g_string_append_c(g, '}');
        return g_string_free(g, FALSE);
    }
    GString *g = g_string_new("{\"format\": \"lrnnkit-stack\", \"version\": 2, \"alphabet\": [");
    for (uint32_t a = 0; a < lk_alphabet_size(s->alphabet); a++) {
        if (a) g_string_append(g, ", ");
        lk_json_append_string(g, lk_alphabet_name(s->alphabet, a));
    }
    g_string_append(g, "], \"layers\": [");
    for (uint32_t i = 0; i < s->n_layers; i++) {
        char *l = lk_lrnn_to_json(s->layer[i]);
        g_string_append_printf(g, "%s%s", i ? ", " : "", l);
        g_free(l);
    }
    g_string_append(g, "], \"routes\": [");
    for (uint32_t i = 0; i < s->n_layers; i++) {
        if (i) g_string_append(g, ", ");
        if (s->route && s->route[i])
            append_rows(g, s->route[i]);
        else
            g_string_append(g, "null");
    }
    g_string_append(g, "], \"map\": ");
    append_rows(g, s->map);
    g_string_append(g, ", \"accept\": [");
    for (uint32_t o = 0; o < s->n_out; o++)
        g_string_append_printf(g, "%s%d", o ? ", " : "", s->accept[o]);
    g_string_append_c(g, ']');
    append_names(g, s);
    g_string_append_c(g, '}');
    return g_string_free(g, FALSE);
}

static LkStack *stack_fail(LkStack *s, GError **error, const char *msg)
{
    if (error && !*error) g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "model: %s", msg);
    lk_stack_free(s);
    return NULL;
}

/* Rows [key..., value] with key[j] < bounds[j] and value < vbound into a
 * new map of the given width; NULL when malformed or repeated. */
static LkTupleMap *read_rows(JsonNode *node, uint32_t width, const uint32_t *bounds,
                             uint32_t vbound)
{
    if (!node || !JSON_NODE_HOLDS_ARRAY(node)) return NULL;
    JsonArray *a = json_node_get_array(node);
    LkTupleMap *t = lk_tuple_map_new(width);
    g_autofree uint32_t *key = g_new(uint32_t, width + 2);
    for (guint e = 0; e < json_array_get_length(a); e++) {
        JsonNode *rn = json_array_get_element(a, e);
        JsonArray *r = JSON_NODE_HOLDS_ARRAY(rn) ? json_node_get_array(rn) : NULL;
        bool ok = r && json_array_get_length(r) == width + 1, added = false;
        for (uint32_t j = 0; ok && j <= width; j++)
            ok = lk_json_node_index(json_array_get_element(r, j), j < width ? bounds[j] : vbound,
                                    &key[j]);
        if (ok) lk_tuple_map_insert(t, key, key[width], &added);
        if (!added) {
            lk_tuple_map_free(t);
            return NULL;
        }
    }
    return t;
}

LkStack *lk_stack_from_json(const char *text, gssize len, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    if (!lk_json_parse(p, text, len, "model", error)) return NULL;
    if (!json_parser_get_root(p) || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
        return stack_fail(NULL, error, "not a JSON object");
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    if (g_strcmp0(lk_json_string(o, "format"), "lrnnkit-stack")) {
        LkLrnn *m = lk_lrnn_from_json(text, len, error);
        LkStack *s = m ? lk_stack_new_single(m) : NULL;
        if (s && !read_names(o, s))
            return stack_fail(s, error,
                              "\"family\" is a name, \"dfa_states\" one state or -1 per output");
        return s;
    }
    int64_t version = 0;
    lk_json_int(o, "version", 1, 2, &version);
    if (version != 1 && version != 2)
        return stack_fail(NULL, error, "not an lrnnkit-stack version 1 or 2 model");
    JsonNode *ln = json_object_get_member(o, "layers"), *mn = json_object_get_member(o, "map"),
             *an = json_object_get_member(o, "accept"), *rn = json_object_get_member(o, "routes");
    if (!ln || !JSON_NODE_HOLDS_ARRAY(ln) || !mn || !JSON_NODE_HOLDS_ARRAY(mn) || !an ||
        !JSON_NODE_HOLDS_ARRAY(an) || (version == 2 && (!rn || !JSON_NODE_HOLDS_ARRAY(rn))))
        return stack_fail(NULL, error, "a stack needs layers, map, accept (and routes)");
    JsonArray *la = json_node_get_array(ln), *ma = json_node_get_array(mn),
              *aa = json_node_get_array(an), *ra = rn ? json_node_get_array(rn) : NULL;
    const guint L = json_array_get_length(la);
    if (L < 1 || L > 1024 || (ra && json_array_get_length(ra) != L))
        return stack_fail(NULL, error, "a stack has 1 to 1024 layers, and one route each");
    LkStack *s = g_new0(LkStack, 1);
    s->layer = g_new0(LkLrnn *, L);
    s->route = g_new0(LkTupleMap *, L);
    g_autofree uint32_t *bounds = g_new(uint32_t, L + 2);
    uint64_t tuples = 1;
    for (guint i = 0; i < L; i++) {
        g_autoptr(JsonGenerator) gen = json_generator_new();
        json_generator_set_root(gen, json_array_get_element(la, i));
        g_autofree char *lt = json_generator_to_data(gen, NULL);
        LkLrnn *m = lk_lrnn_from_json(lt, -1, error);
        if (!m) return stack_fail(s, error, "");
        s->layer[s->n_layers++] = m;
        JsonNode *route = ra ? json_array_get_element(ra, i) : NULL;
        if (i == 0 && (!route || JSON_NODE_TYPE(route) == JSON_NODE_NULL))
            s->alphabet = lk_alphabet_ref(m->alphabet);
        if (route && JSON_NODE_TYPE(route) != JSON_NODE_NULL) {
            bounds[i] = s->alphabet ? lk_alphabet_size(s->alphabet) : UINT32_MAX;
            s->route[i] = read_rows(route, i + 1, bounds, lk_alphabet_size(m->alphabet));
            if (!s->route[i])
                return stack_fail(s, error,
                                  "a route lists [outputs of the layers below..., letter, token] "
                                  "once each, all in range");
        } else if (!s->alphabet || lk_alphabet_size(m->alphabet) != lk_stack_layer_tokens(s, i)) {
            return stack_fail(s, error,
                              "a dense layer i needs k times the product of the lower "
                              "layers' outputs tokens");
        }
        bounds[i] = m->n_out;
        tuples *= m->n_out;
        if (version == 1 && tuples > (1u << 31))
            return stack_fail(s, error, "too many output tuples");
    }
    JsonNode *letters = json_object_get_member(o, "alphabet");
    JsonArray *la0 =
        letters && JSON_NODE_HOLDS_ARRAY(letters) ? json_node_get_array(letters) : NULL;
    if (!s->alphabet && la0) { /* routed layer 0: the letters come from the stack */
        guint k0 = json_array_get_length(la0);
        g_autofree const char **names = g_new0(const char *, k0 + 1);
        for (guint a = 0; a < k0; a++) {
            JsonNode *e = json_array_get_element(la0, a);
            if (JSON_NODE_TYPE(e) == JSON_NODE_VALUE &&
                json_node_get_value_type(e) == G_TYPE_STRING)
                names[a] = json_node_get_string(e);
        }
        s->alphabet = k0 ? lk_alphabet_new(names, k0, NULL) : NULL;
        if (!s->alphabet) return stack_fail(s, error, "the stack's alphabet is a list of names");
    }
    bool same = la0 && s->alphabet && json_array_get_length(la0) == lk_alphabet_size(s->alphabet);
    for (guint a = 0; same && a < json_array_get_length(la0); a++) {
        JsonNode *e = json_array_get_element(la0, a);
        same = JSON_NODE_TYPE(e) == JSON_NODE_VALUE &&
               json_node_get_value_type(e) == G_TYPE_STRING &&
               !g_strcmp0(json_node_get_string(e), lk_alphabet_name(s->alphabet, a));
    }
    if (!same) return stack_fail(s, error, "the stack's alphabet must be layer 0's tokens");
    const uint32_t k = lk_alphabet_size(s->alphabet);
    for (guint i = 0; i < L; i++) { /* routes name letters of the alphabet */
        if (!s->route[i]) continue;
        for (uint32_t e = 0; e < lk_tuple_map_size(s->route[i]); e++)
            if (lk_tuple_map_key(s->route[i], e)[i] >= k)
                return stack_fail(s, error, "a route names a letter out of range");
    }
    s->n_out = json_array_get_length(aa);
    if (s->n_out == 0) return stack_fail(s, error, "accept needs one flag per output");
    if (version == 1) {
        if (json_array_get_length(ma) != tuples)
            return stack_fail(s, error, "map needs one entry per tuple of layer outputs");
        s->map = lk_tuple_map_new(L);
        g_autofree uint32_t *key = g_new(uint32_t, L + 1);
        for (uint64_t t = 0; t < tuples; t++) {
            JsonNode *v = json_array_get_element(ma, (guint)t);
            int64_t x;
            if (!lk_json_node_int(v, -1, (int64_t)s->n_out - 1, &x))
                return stack_fail(s, error, "map entries are outputs or -1");
            if (x < 0) continue;
            for (uint64_t r = t, j = L; j-- > 0;)
                key[j] = (uint32_t)(r % bounds[j]), r /= bounds[j];
            lk_tuple_map_insert(s->map, key, (uint32_t)x, NULL);
        }
    } else if (!(s->map = read_rows(mn, L, bounds, s->n_out))) {
        return stack_fail(s, error,
                          "map lists [outputs of every layer..., output] once each, in range");
    }
    s->accept = g_new0(uint8_t, s->n_out + 1);
    if (!lk_json_flags(aa, s->n_out, s->accept))
        return stack_fail(s, error, "accept entries are 0/1 or true/false");
    bool any_route = false;
    for (guint i = 0; i < L; i++) any_route |= s->route[i] != NULL;
    if (!any_route) g_clear_pointer(&s->route, g_free);
    if (!read_names(o, s))
        return stack_fail(s, error,
                          "\"family\" is a name, \"dfa_states\" one state or -1 per output");
    return s;
}
