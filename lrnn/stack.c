/* Stacks of LRNN layers: the cascade compiler, runs and the JSON form (see
 * model.h). Running costs one step per layer per letter plus O(layers) for
 * the tokens. */
#include "lrnn/model.h"

#include <json-glib/json-glib.h>
#include <string.h>

LkStack *lk_stack_new_single(LkLrnn *layer)
{
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
    for (uint32_t i = 0; i < s->n_layers; i++) lk_lrnn_free(s->layer[i]);
    g_free(s->layer);
    g_free(s->map);
    g_free(s->accept);
    lk_alphabet_unref(s->alphabet);
    g_free(s);
}

uint64_t lk_stack_layer_tokens(const LkStack *s, uint32_t i)
{
    uint64_t t = lk_alphabet_size(s->alphabet);
    for (uint32_t j = 0; j < i; j++) t *= s->layer[j]->n_out;
    return t;
}

int64_t lk_stack_output(const LkStack *s, const int64_t *outs)
{
    uint64_t t = 0;
    for (uint32_t i = 0; i < s->n_layers; i++) {
        if (outs[i] < 0 || outs[i] >= (int64_t)s->layer[i]->n_out) return -1;
        t = t * s->layer[i]->n_out + (uint64_t)outs[i];
    }
    return s->map ? s->map[t] : (int64_t)t;
}

bool lk_stack_accepts(const LkStack *s, int64_t output)
{
    if (output < 0 || output >= (int64_t)s->n_out) return false;
    return (s->accept ? s->accept : s->layer[0]->accept)[output] != 0;
}

/* The token of every layer for letter a, given the outputs before it;
 * false when a lower output is invalid. */
static bool layer_tokens(const LkStack *s, uint32_t a, const int64_t *outs, uint32_t *tok)
{
    uint64_t x = 0;
    const uint32_t k = lk_alphabet_size(s->alphabet);
    for (uint32_t i = 0; i < s->n_layers; i++) {
        tok[i] = (uint32_t)(x * k + a);
        if (outs[i] < 0 || outs[i] >= (int64_t)s->layer[i]->n_out) return i + 1 == s->n_layers;
        x = x * s->layer[i]->n_out + (uint64_t)outs[i];
    }
    return true;
}

bool lk_stack_run(const LkStack *s, LkEngine e, const uint32_t *word, size_t len, int64_t *states)
{
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
        if (!layer_tokens(s, word[t], outs, tok)) { /* a readout failed: no output from here */
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

/* The token alphabet of layer i: "letter|o0.o1..." (the lower outputs). */
static LkAlphabet *layer_alphabet(const LkAlphabet *letters, const uint32_t *n_out, uint32_t i)
{
    const uint32_t k = lk_alphabet_size(letters);
    uint64_t ctx = 1;
    for (uint32_t j = 0; j < i; j++) ctx *= n_out[j];
    if (i == 0) return lk_alphabet_ref((LkAlphabet *)letters);
    char **names = g_new0(char *, ctx *k + 1);
    uint32_t *digits = g_new0(uint32_t, i + 1);
    for (uint64_t x = 0; x < ctx; x++) {
        uint64_t r = x;
        for (uint32_t j = i; j-- > 0;) digits[j] = (uint32_t)(r % n_out[j]), r /= n_out[j];
        GString *sfx = g_string_new("|");
        for (uint32_t j = 0; j < i; j++)
            g_string_append_printf(sfx, "%s%u", j ? "." : "", digits[j]);
        for (uint32_t a = 0; a < k; a++)
            names[x * k + a] = g_strconcat(lk_alphabet_name(letters, a), sfx->str, NULL);
        g_string_free(sfx, TRUE);
    }
    LkAlphabet *al = lk_alphabet_new((const char *const *)names, (uint32_t)(ctx * k), NULL);
    g_strfreev(names);
    g_free(digits);
    return al;
}

LkStack *lk_stack_compile_cascade(const LkCascade *c, bool gated, GError **error)
{
    const uint32_t L = c->n_levels;
    LkStack *s = g_new0(LkStack, 1);
    s->alphabet = lk_alphabet_ref(c->alphabet);
    s->layer = g_new0(LkLrnn *, L);
    uint32_t *n_out = g_new(uint32_t, L + 1);
    for (uint32_t i = 0; i < L; i++) {
        const LkCascadeLevel *l = &c->level[i];
        n_out[i] = l->n;
        LkAlphabet *al = layer_alphabet(c->alphabet, n_out, i);
        LkDfa *level = lk_dfa_new(al, l->n, l->start); /* the level as an automaton */
        lk_alphabet_unref(al);
        const uint32_t T = lk_alphabet_size(level->alphabet);
        for (uint32_t t = 0; t < T; t++)
            for (uint32_t q = 0; q < l->n; q++)
                level->delta[(size_t)q * T + t] = l->delta[(size_t)t * l->n + q];
        s->layer[i] = lk_lrnn_compile(level, gated, NULL, error);
        lk_dfa_free(level);
        s->n_layers = i + 1;
        if (!s->layer[i]) {
            s->n_layers = i;
            lk_stack_free(s);
            g_free(n_out);
            return NULL;
        }
    }
    g_free(n_out);
    s->n_out = c->n_out;
    s->map = g_memdup2(c->map, sizeof(int32_t) * c->tuples);
    s->accept = g_memdup2(c->accept, c->n_out);
    if (L == 1) { /* a single level: fold the map into the layer's readout */
        LkLrnn *m = s->layer[0];
        bool identity = c->n_out == m->n_out;
        for (uint32_t q = 0; q < m->n_out && identity; q++) identity = c->map[q] == (int32_t)q;
        if (identity) {
            memcpy(m->accept, c->accept, c->n_out);
            g_clear_pointer(&s->map, g_free);
            g_clear_pointer(&s->accept, g_free);
        }
    }
    return s;
}

void lk_stack_report(const LkStack *s, const char *construction, LkCompileReport *r)
{
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
    if (s->map) {
        uint64_t tuples = 1;
        for (uint32_t i = 0; i < s->n_layers; i++) tuples *= s->layer[i]->n_out;
        r->parameters += tuples + s->n_out;
    }
    r->state_dim = s->layer[0]->n;
    r->tokens = lk_alphabet_size(s->layer[0]->alphabet);
    r->mean_factors = tokens ? (double)factors / (double)tokens : 0;
}

uint64_t lk_stack_safe_length(const LkStack *s, LkEngine e)
{
    uint64_t best = 0;
    for (uint32_t i = 0; i < s->n_layers; i++) {
        if (!s->layer[i]->angular) continue;
        uint64_t l = lk_lrnn_safe_length(s->layer[i], e);
        best = best == 0 ? l : MIN(best, l);
    }
    return best;
}

char *lk_stack_to_json(const LkStack *s)
{
    if (s->n_layers == 1 && !s->map) return lk_lrnn_to_json(s->layer[0]);
    GString *g = g_string_new("{\"format\": \"lrnnkit-stack\", \"version\": 1, \"alphabet\": [");
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
    g_string_append(g, "], \"map\": [");
    uint64_t tuples = 1;
    for (uint32_t i = 0; i < s->n_layers; i++) tuples *= s->layer[i]->n_out;
    for (uint64_t t = 0; t < tuples; t++)
        g_string_append_printf(g, "%s%d", t ? ", " : "", s->map[t]);
    g_string_append(g, "], \"accept\": [");
    for (uint32_t o = 0; o < s->n_out; o++)
        g_string_append_printf(g, "%s%d", o ? ", " : "", s->accept[o]);
    g_string_append(g, "]}");
    return g_string_free(g, FALSE);
}

static LkStack *stack_fail(LkStack *s, GError **error, const char *msg)
{
    if (error && !*error) g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "model: %s", msg);
    lk_stack_free(s);
    return NULL;
}

LkStack *lk_stack_from_json(const char *text, gssize len, GError **error)
{
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    if (!json_parser_load_from_data(p, text, len, NULL) || !json_parser_get_root(p) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
        return stack_fail(NULL, error, "not a JSON object");
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    if (g_strcmp0(json_object_get_string_member_with_default(o, "format", ""), "lrnnkit-stack")) {
        LkLrnn *m = lk_lrnn_from_json(text, len, error);
        return m ? lk_stack_new_single(m) : NULL;
    }
    if (json_object_get_int_member_with_default(o, "version", 0) != 1)
        return stack_fail(NULL, error, "not an lrnnkit-stack version 1 model");
    JsonNode *ln = json_object_get_member(o, "layers"), *mn = json_object_get_member(o, "map"),
             *an = json_object_get_member(o, "accept");
    if (!ln || !JSON_NODE_HOLDS_ARRAY(ln) || !mn || !JSON_NODE_HOLDS_ARRAY(mn) || !an ||
        !JSON_NODE_HOLDS_ARRAY(an))
        return stack_fail(NULL, error, "a stack needs layers, map and accept");
    JsonArray *la = json_node_get_array(ln), *ma = json_node_get_array(mn),
              *aa = json_node_get_array(an);
    const guint L = json_array_get_length(la);
    if (L < 1 || L > 64) return stack_fail(NULL, error, "a stack has 1 to 64 layers");
    LkStack *s = g_new0(LkStack, 1);
    s->layer = g_new0(LkLrnn *, L);
    uint64_t tuples = 1;
    for (guint i = 0; i < L; i++) {
        g_autoptr(JsonGenerator) gen = json_generator_new();
        json_generator_set_root(gen, json_array_get_element(la, i));
        g_autofree char *lt = json_generator_to_data(gen, NULL);
        LkLrnn *m = lk_lrnn_from_json(lt, -1, error);
        if (!m) return stack_fail(s, error, "");
        s->layer[s->n_layers++] = m;
        if (i == 0) s->alphabet = lk_alphabet_ref(m->alphabet);
        if (lk_alphabet_size(m->alphabet) != lk_stack_layer_tokens(s, i))
            return stack_fail(s, error,
                              "layer i needs k times the product of the lower "
                              "layers' outputs tokens");
        tuples *= m->n_out;
        if (tuples > (1u << 31)) return stack_fail(s, error, "too many output tuples");
    }
    JsonNode *letters = json_object_get_member(o, "alphabet");
    JsonArray *la0 =
        letters && JSON_NODE_HOLDS_ARRAY(letters) ? json_node_get_array(letters) : NULL;
    bool same = la0 && json_array_get_length(la0) == lk_alphabet_size(s->alphabet);
    for (guint a = 0; same && a < json_array_get_length(la0); a++) {
        JsonNode *e = json_array_get_element(la0, a);
        same = JSON_NODE_TYPE(e) == JSON_NODE_VALUE &&
               json_node_get_value_type(e) == G_TYPE_STRING &&
               !g_strcmp0(json_node_get_string(e), lk_alphabet_name(s->alphabet, a));
    }
    if (!same) return stack_fail(s, error, "the stack's alphabet must be layer 0's tokens");
    s->n_out = json_array_get_length(aa);
    if (json_array_get_length(ma) != tuples || s->n_out == 0)
        return stack_fail(s, error,
                          "map needs one entry per tuple of layer outputs, accept one "
                          "flag per output");
    s->map = g_new(int32_t, tuples + 1);
    s->accept = g_new0(uint8_t, s->n_out + 1);
    for (uint64_t t = 0; t < tuples; t++) {
        JsonNode *v = json_array_get_element(ma, (guint)t);
        gint64 x =
            JSON_NODE_TYPE(v) == JSON_NODE_VALUE && json_node_get_value_type(v) == G_TYPE_INT64
                ? json_node_get_int(v)
                : -2;
        if (x < -1 || x >= (gint64)s->n_out)
            return stack_fail(s, error, "map entries are outputs or -1");
        s->map[t] = (int32_t)x;
    }
    for (uint32_t i = 0; i < s->n_out; i++)
        s->accept[i] = json_node_get_int(json_array_get_element(aa, i)) != 0;
    return s;
}
