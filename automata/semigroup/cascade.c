/* Cascades of permutation-reset automata: construction, validation,
 * simulation, JSON and the product automaton (see cascade.h).
 *
 * Invariant: level i's rows are the contexts inserted so far, in insertion
 * order; delta holds rows_cap rows of k maps of n states. Breadth-first
 * searches intern cascade states (and DFA-state pairs) in LkTupleMaps.
 */
#include "automata/semigroup/cascade.h"
#include "automata/json-util.h"

#include "automata/semigroup/transf.h"

#include <json-glib/json-glib.h>
#include <string.h>

LkCascade *lk_cascade_new(LkAlphabet *alphabet, uint32_t n_levels, const uint32_t *states,
                          const uint32_t *starts)
{
    g_return_val_if_fail(alphabet != NULL, NULL);
    LkCascade *c = g_new0(LkCascade, 1);
    c->alphabet = lk_alphabet_ref(alphabet);
    c->k = lk_alphabet_size(alphabet);
    c->n_levels = n_levels;
    c->level = g_new0(LkCascadeLevel, n_levels + 1);
    for (uint32_t i = 0; i < n_levels; i++) {
        c->level[i].n = states[i];
        c->level[i].start = starts[i];
        c->level[i].contexts = lk_tuple_map_new(i);
    }
    c->map = lk_tuple_map_new(n_levels);
    return c;
}

void lk_cascade_free(LkCascade *c)
{
    if (!c) return;
    for (uint32_t i = 0; i < c->n_levels; i++) {
        g_free(c->level[i].delta);
        lk_tuple_map_free(c->level[i].contexts);
    }
    g_free(c->level);
    lk_tuple_map_free(c->map);
    g_free(c->accept);
    lk_alphabet_unref(c->alphabet);
    g_free(c);
}

uint32_t lk_cascade_row(const LkCascade *c, uint32_t i, const uint32_t *context)
{
    g_return_val_if_fail(c != NULL, 0);
    return lk_tuple_map_find(c->level[i].contexts, context);
}

uint32_t lk_cascade_add_row(LkCascade *c, uint32_t i, const uint32_t *context, bool *added)
{
    g_return_val_if_fail(c != NULL, 0);
    LkCascadeLevel *l = &c->level[i];
    bool fresh;
    uint32_t row = lk_tuple_map_insert(l->contexts, context, 0, &fresh);
    if (added) *added = fresh;
    if (!fresh) return row;
    const size_t width = (size_t)c->k * l->n;
    if (row >= l->rows_cap) {
        l->rows_cap = MAX(8, 2 * l->rows_cap);
        l->delta = g_renew(uint32_t, l->delta, (size_t)l->rows_cap * width + 1);
    }
    uint32_t *t = l->delta + (size_t)row * width;
    for (uint32_t a = 0; a < c->k; a++)
        for (uint32_t q = 0; q < l->n; q++) t[(size_t)a * l->n + q] = q;
    return row;
}

void lk_cascade_set_outputs(LkCascade *c, uint32_t n_out, const uint8_t *accept)
{
    g_return_if_fail(c != NULL);
    c->n_out = n_out;
    g_free(c->accept);
    c->accept = g_new0(uint8_t, n_out + 1);
    if (accept) memcpy(c->accept, accept, n_out);
}

void lk_cascade_set_output(LkCascade *c, const uint32_t *state, uint32_t output)
{
    g_return_if_fail(c != NULL);
    uint32_t e = lk_tuple_map_insert(c->map, state, output, NULL);
    lk_tuple_map_set_value(c->map, e, output);
}

int64_t lk_cascade_output(const LkCascade *c, const uint32_t *state)
{
    g_return_val_if_fail(c != NULL, -1);
    uint32_t e = lk_tuple_map_find(c->map, state);
    return e == UINT32_MAX ? -1 : (int64_t)lk_tuple_map_value(c->map, e);
}

void lk_cascade_start(const LkCascade *c, uint32_t *state)
{
    g_return_if_fail(c != NULL);
    for (uint32_t i = 0; i < c->n_levels; i++) state[i] = c->level[i].start;
}

bool lk_cascade_step(const LkCascade *c, const uint32_t *state, uint32_t a, uint32_t *next)
{
    g_return_val_if_fail(c != NULL, false);
    for (uint32_t i = 0; i < c->n_levels; i++) { /* level i's context: state[0..i-1] */
        uint32_t row = lk_tuple_map_find(c->level[i].contexts, state);
        if (row == UINT32_MAX) return false;
        next[i] = lk_cascade_maps(c, i, row)[(size_t)a * c->level[i].n + state[i]];
    }
    return true;
}

uint64_t lk_cascade_rows(const LkCascade *c)
{
    g_return_val_if_fail(c != NULL, 0);
    uint64_t r = 0;
    for (uint32_t i = 0; i < c->n_levels; i++) r += lk_tuple_map_size(c->level[i].contexts);
    return r;
}

bool lk_cascade_validate(const LkCascade *c, GError **error)
{
    g_return_val_if_fail(c != NULL, false);
    uint32_t maxn = 1;
    for (uint32_t i = 0; i < c->n_levels; i++) maxn = MAX(maxn, c->level[i].n);
    g_autofree uint8_t *seen = g_new0(uint8_t, maxn + 1);
    for (uint32_t i = 0; i < c->n_levels; i++) {
        const LkCascadeLevel *l = &c->level[i];
        if (l->n == 0 || l->start >= l->n) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: level %u needs states >= 1 and a start below it", i);
            return false;
        }
        for (uint32_t r = 0; r < lk_tuple_map_size(l->contexts); r++) {
            const uint32_t *ctx = lk_tuple_map_key(l->contexts, r);
            for (uint32_t j = 0; j < i; j++)
                if (ctx[j] >= c->level[j].n) {
                    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                                "cascade: level %u, context %u names state %u of level %u, "
                                "which has %u states",
                                i, r, ctx[j], j, c->level[j].n);
                    return false;
                }
            for (uint32_t a = 0; a < c->k; a++) {
                const uint32_t *t = lk_cascade_maps(c, i, r) + (size_t)a * l->n;
                for (uint32_t q = 0; q < l->n; q++)
                    if (t[q] >= l->n) {
                        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                                    "cascade: level %u, context %u, letter '%s' maps to a "
                                    "state out of range",
                                    i, r, lk_alphabet_name(c->alphabet, a));
                        return false;
                    }
                if (lk_transf_kind(t, 1, l->n, seen) == LK_MAP_OTHER) {
                    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                                "cascade: level %u, context %u, letter '%s' is neither a "
                                "permutation nor a constant map",
                                i, r, lk_alphabet_name(c->alphabet, a));
                    return false;
                }
            }
        }
    }
    for (uint32_t e = 0; e < lk_tuple_map_size(c->map); e++) {
        const uint32_t *st = lk_tuple_map_key(c->map, e);
        bool ok = lk_tuple_map_value(c->map, e) < c->n_out;
        for (uint32_t i = 0; i < c->n_levels && ok; i++) ok = st[i] < c->level[i].n;
        if (!ok) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: map entry %u has a state or an output out of range", e);
            return false;
        }
    }
    return true;
}

/* ---- JSON ---- */

/* Fails a cascade reader: the error (the first one kept), then c freed. */
#define fail(c, error, code, ...)                                                                  \
    (lk_error_set(error, code, "cascade", __VA_ARGS__), lk_cascade_free(c), (LkCascade *)NULL)

static JsonArray *array_of(JsonNode *n, guint len)
{
    if (!n || !JSON_NODE_HOLDS_ARRAY(n)) return NULL;
    JsonArray *a = json_node_get_array(n);
    return len == G_MAXUINT || json_array_get_length(a) == len ? a : NULL;
}

/* A list of `len` naturals below the bounds (bounds[j], or bound for all). */
static bool read_tuple(JsonNode *node, guint len, const uint32_t *bounds, uint32_t *out)
{
    JsonArray *a = array_of(node, len);
    for (guint j = 0; a && j < len; j++)
        if (!lk_json_node_index(json_array_get_element(a, j), bounds[j], &out[j])) return false;
    return a != NULL;
}

/* The rows of level i: version 1 enumerates every context in mixed radix. */
static bool read_level(LkCascade *c, uint32_t i, JsonObject *lo, int version, uint64_t *budget,
                       uint64_t tuples, GError **error)
{
    LkCascadeLevel *l = &c->level[i];
    const uint32_t k = c->k, n = l->n;
    JsonArray *ctxs = NULL;
    uint64_t rows = tuples;
    if (version == 2) {
        ctxs = array_of(json_object_get_member(lo, "contexts"), G_MAXUINT);
        if (!ctxs) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: level %u needs \"contexts\" (version 2)", i);
            return false;
        }
        rows = json_array_get_length(ctxs);
    }
    if (rows * k * n > *budget) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "cascade: level %u has %" G_GUINT64_FORMAT
                    " contexts x %u letters x %u states, over the limit of transition entries "
                    "(raise --max-states)",
                    i, rows, k, n);
        return false;
    }
    *budget -= rows * k * n;
    JsonArray *delta = array_of(json_object_get_member(lo, "delta"), (guint)rows);
    if (!delta) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "cascade: level %u needs \"delta\" with one row per context (%" G_GUINT64_FORMAT
                    ")",
                    i, rows);
        return false;
    }
    g_autofree uint32_t *ctx = g_new0(uint32_t, i + 1), *bounds = g_new(uint32_t, i + 1);
    for (uint32_t j = 0; j < i; j++) bounds[j] = c->level[j].n;
    for (uint64_t x = 0; x < rows; x++) {
        if (ctxs && !read_tuple(json_array_get_element(ctxs, (guint)x), i, bounds, ctx)) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: level %u, context %" G_GUINT64_FORMAT
                        " must list %u states of the levels above, each in range",
                        i, x, i);
            return false;
        }
        if (!ctxs) /* mixed radix, level 0 most significant */
            for (uint64_t r = x, j = i; j-- > 0;)
                ctx[j] = (uint32_t)(r % bounds[j]), r /= bounds[j];
        bool added;
        uint32_t row = lk_cascade_add_row(c, i, ctx, &added);
        if (!added) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: level %u lists context %" G_GUINT64_FORMAT " twice", i, x);
            return false;
        }
        JsonArray *r = array_of(json_array_get_element(delta, (guint)x), k);
        uint32_t *t = lk_cascade_maps(c, i, row);
        bool ok = r != NULL;
        for (uint32_t a = 0; a < k && ok; a++) {
            JsonArray *map = array_of(json_array_get_element(r, a), n);
            ok = map != NULL;
            for (uint32_t q = 0; q < n && ok; q++)
                ok = lk_json_node_index(json_array_get_element(map, q), n, &t[(size_t)a * n + q]);
        }
        if (!ok) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: level %u, context %" G_GUINT64_FORMAT
                        ": delta needs %u letters, each a list of %u states below %u",
                        i, x, k, n, n);
            return false;
        }
    }
    return true;
}

static bool read_map(LkCascade *c, JsonObject *o, int version, uint64_t tuples, GError **error)
{
    JsonNode *mn = json_object_get_member(o, "map");
    const uint32_t L = c->n_levels;
    g_autofree uint32_t *st = g_new0(uint32_t, L + 1), *bounds = g_new(uint32_t, L + 2);
    for (uint32_t j = 0; j < L; j++) bounds[j] = c->level[j].n;
    bounds[L] = c->n_out;
    if (version == 1 && !mn) {
        if (c->n_out != tuples) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: without \"map\", \"accept\" needs one flag per cascade state");
            return false;
        }
        for (uint64_t t = 0; t < tuples; t++) {
            for (uint64_t r = t, j = L; j-- > 0;) st[j] = (uint32_t)(r % bounds[j]), r /= bounds[j];
            lk_cascade_set_output(c, st, (uint32_t)t);
        }
        return true;
    }
    JsonArray *ma = array_of(mn, version == 1 ? (guint)tuples : G_MAXUINT);
    if (!ma) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    version == 1 ? "cascade: \"map\" needs one entry per cascade state"
                                 : "cascade: \"map\" needs a list of [states..., output] entries");
        return false;
    }
    for (guint t = 0; t < json_array_get_length(ma); t++) {
        JsonNode *v = json_array_get_element(ma, t);
        if (version == 1) {
            uint32_t out;
            int64_t none;
            if (lk_json_node_int(v, -1, -1, &none)) continue;
            if (!lk_json_node_index(v, c->n_out, &out)) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "cascade: \"map\" entries are outputs or -1");
                return false;
            }
            for (uint64_t r = t, j = L; j-- > 0;) st[j] = (uint32_t)(r % bounds[j]), r /= bounds[j];
            lk_cascade_set_output(c, st, out);
        } else {
            if (!read_tuple(v, L + 1, bounds, st)) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "cascade: \"map\" entry %u must be [states of the %u levels..., "
                            "output], each in range",
                            t, L);
                return false;
            }
            if (lk_cascade_output(c, st) >= 0) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "cascade: \"map\" entry %u repeats a cascade state", t);
                return false;
            }
            lk_cascade_set_output(c, st, st[L]);
        }
    }
    return true;
}

LkCascade *lk_cascade_from_json(const char *text, gssize len, const LkLimits *limits,
                                GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    if (!lk_json_parse(p, text, len, "cascade", error)) return NULL;
    if (!json_parser_get_root(p) || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
        return fail(NULL, error, LK_ERROR_INPUT, "not a JSON object");
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    int64_t version = 0;
    if (g_strcmp0(lk_json_string(o, "format"), "lrnnkit-cascade") != 0 ||
        !lk_json_int(o, "version", 1, 2, &version))
        return fail(NULL, error, LK_ERROR_INPUT,
                    "not an lrnnkit-cascade version 1 or 2 file (\"format\", \"version\")");
    JsonArray *aa = array_of(json_object_get_member(o, "alphabet"), G_MAXUINT);
    guint k = aa ? json_array_get_length(aa) : 0;
    g_autofree const char **names = g_new0(const char *, k + 1);
    for (guint i = 0; i < k; i++) {
        JsonNode *e = json_array_get_element(aa, i);
        if (JSON_NODE_TYPE(e) == JSON_NODE_VALUE && json_node_get_value_type(e) == G_TYPE_STRING)
            names[i] = json_node_get_string(e);
    }
    g_autoptr(LkAlphabet) alpha = k ? lk_alphabet_new(names, k, NULL) : NULL;
    if (!alpha)
        return fail(NULL, error, LK_ERROR_INPUT,
                    "\"alphabet\" must be a nonempty list of distinct names");
    JsonArray *levels = array_of(json_object_get_member(o, "levels"), G_MAXUINT);
    if (!levels || json_array_get_length(levels) > 1024)
        return fail(NULL, error, LK_ERROR_INPUT, "\"levels\" must be a list of 0 to 1024 levels");
    const uint32_t L = json_array_get_length(levels);
    g_autofree uint32_t *states = g_new0(uint32_t, L + 1), *starts = g_new0(uint32_t, L + 1);
    for (uint32_t i = 0; i < L; i++) {
        JsonNode *ln = json_array_get_element(levels, i);
        JsonObject *lo = JSON_NODE_HOLDS_OBJECT(ln) ? json_node_get_object(ln) : NULL;
        if (!lo ||
            !lk_json_node_index(json_object_get_member(lo, "states"), 1u << 20, &states[i]) ||
            states[i] == 0 ||
            !lk_json_node_index(json_object_get_member(lo, "start"), states[i], &starts[i]))
            return fail(NULL, error, LK_ERROR_INPUT,
                        "level %u needs \"states\" >= 1 and a \"start\" below it", i);
    }
    LkCascade *c = lk_cascade_new(alpha, L, states, starts);
    uint64_t tuples = 1, budget = 16ull * lim.max_states;
    for (uint32_t i = 0; i < L; i++) {
        if (!read_level(c, i, json_node_get_object(json_array_get_element(levels, i)), version,
                        &budget, tuples, error))
            return fail(c, error, LK_ERROR_INPUT, "level %u", i);
        tuples *= states[i];
        if (version == 1 && (tuples > lim.max_states || tuples > (1u << 31)))
            return fail(c, error, LK_ERROR_LIMIT,
                        "more than %" G_GUINT64_FORMAT
                        " cascade states (tuples) (raise --max-states)",
                        (uint64_t)lim.max_states);
    }
    JsonArray *acc = array_of(json_object_get_member(o, "accept"), G_MAXUINT);
    uint32_t n_out = acc ? json_array_get_length(acc) : 0;
    if (!n_out) return fail(c, error, LK_ERROR_INPUT, "\"accept\" needs one flag per output");
    lk_cascade_set_outputs(c, n_out, NULL);
    if (!lk_json_flags(acc, n_out, c->accept))
        return fail(c, error, LK_ERROR_INPUT, "\"accept\" entries are true/false or 1/0");
    if (!read_map(c, o, version, tuples, error) || !lk_cascade_validate(c, error))
        return fail(c, error, LK_ERROR_INPUT, "invalid");
    return c;
}

LkCascade *lk_cascade_load(const char *path, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    gsize len;
    g_autofree char *text = lk_file_read(path, &len, error);
    if (!text) return NULL;
    GError *e = NULL;
    LkCascade *c = lk_cascade_from_json(text, (gssize)len, limits, &e);
    if (!c) {
        g_set_error(error, LK_ERROR, e->code, "%s: %s", path, e->message);
        g_error_free(e);
    }
    return c;
}

static void append_list(GString *s, const uint32_t *v, uint32_t n)
{
    g_string_append_c(s, '[');
    for (uint32_t q = 0; q < n; q++) g_string_append_printf(s, "%s%u", q ? ", " : "", v[q]);
    g_string_append_c(s, ']');
}

char *lk_cascade_to_json(const LkCascade *c)
{
    g_return_val_if_fail(c != NULL, NULL);
    GString *s = g_string_new("{\"format\": \"lrnnkit-cascade\", \"version\": 2, \"alphabet\": [");
    for (uint32_t a = 0; a < c->k; a++) {
        if (a) g_string_append(s, ", ");
        lk_json_append_string(s, lk_alphabet_name(c->alphabet, a));
    }
    g_string_append(s, "],\n \"levels\": [");
    for (uint32_t i = 0; i < c->n_levels; i++) {
        const LkCascadeLevel *l = &c->level[i];
        const uint32_t rows = lk_tuple_map_size(l->contexts);
        g_string_append_printf(s, "%s{\"states\": %u, \"start\": %u, \"contexts\": [",
                               i ? ",\n  " : "", l->n, l->start);
        for (uint32_t r = 0; r < rows; r++) {
            if (r) g_string_append(s, ", ");
            append_list(s, lk_tuple_map_key(l->contexts, r), i);
        }
        g_string_append(s, "],\n   \"delta\": [");
        for (uint32_t r = 0; r < rows; r++) {
            g_string_append(s, r ? ", [" : "[");
            for (uint32_t a = 0; a < c->k; a++) {
                if (a) g_string_append(s, ", ");
                append_list(s, lk_cascade_maps(c, i, r) + (size_t)a * l->n, l->n);
            }
            g_string_append_c(s, ']');
        }
        g_string_append(s, "]}");
    }
    g_string_append(s, "],\n \"map\": [");
    g_autofree uint32_t *row = g_new(uint32_t, c->n_levels + 1);
    for (uint32_t e = 0; e < lk_tuple_map_size(c->map); e++) {
        memcpy(row, lk_tuple_map_key(c->map, e), sizeof(uint32_t) * c->n_levels);
        row[c->n_levels] = lk_tuple_map_value(c->map, e);
        if (e) g_string_append(s, ", ");
        append_list(s, row, c->n_levels + 1);
    }
    g_string_append(s, "],\n \"accept\": [");
    for (uint32_t i = 0; i < c->n_out; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", c->accept[i] ? "true" : "false");
    g_string_append(s, "]}\n");
    return g_string_free(s, FALSE);
}

/* ---- searches ---- */

static void set_context_error(const LkCascade *c, const uint32_t *st, GError **error)
{
    GString *t = g_string_new(NULL);
    for (uint32_t i = 0; i < c->n_levels; i++)
        g_string_append_printf(t, "%s%u", i ? " " : "", st[i]);
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                "cascade: the reachable cascade state (%s) runs into a context without a row",
                t->str);
    g_string_free(t, TRUE);
}

LkDfa *lk_cascade_to_dfa(const LkCascade *c, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(c != NULL, NULL);
    const uint32_t L = c->n_levels, k = c->k;
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_states = lim.max_states;
    g_autoptr(LkTupleMap) ids = lk_tuple_map_new(L);
    GArray *delta = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autofree uint32_t *st = g_new(uint32_t, L + 1), *nx = g_new(uint32_t, L + 1);
    lk_cascade_start(c, st);
    lk_tuple_map_insert(ids, st, 0, NULL);
    LkDfa *d = NULL;
    bool ok = true;
    for (uint32_t head = 0; ok && head < lk_tuple_map_size(ids); head++) {
        memcpy(st, lk_tuple_map_key(ids, head), sizeof(uint32_t) * L);
        for (uint32_t a = 0; ok && a < k; a++) {
            if (!lk_cascade_step(c, st, a, nx)) {
                set_context_error(c, st, error);
                ok = false;
                break;
            }
            uint32_t id = lk_tuple_map_insert(ids, nx, 0, NULL);
            g_array_append_val(delta, id);
            if (lk_tuple_map_size(ids) > max_states) {
                g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                            "cascade: more than %" G_GUINT64_FORMAT
                            " reachable cascade states (raise --max-states)",
                            max_states);
                ok = false;
            }
        }
    }
    const uint32_t n = lk_tuple_map_size(ids);
    for (uint32_t i = 0; ok && i < n; i++)
        if (lk_cascade_output(c, lk_tuple_map_key(ids, i)) < 0) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: the reachable cascade state %u has no output", i);
            ok = false;
        }
    if (ok) {
        d = lk_dfa_new(c->alphabet, n, 0);
        memcpy(d->delta, delta->data, sizeof(uint32_t) * delta->len);
        for (uint32_t i = 0; i < n; i++)
            d->accept[i] = c->accept[lk_cascade_output(c, lk_tuple_map_key(ids, i))];
    }
    g_array_unref(delta);
    return d;
}

bool lk_cascade_covers(const LkCascade *c, const LkDfa *d, const LkLimits *limits, bool *covers,
                       GArray **word, uint64_t *pairs, GError **error)
{
    g_return_val_if_fail(c != NULL, false);
    const uint32_t L = c->n_levels, k = c->k;
    *covers = false;
    if (word) *word = NULL;
    if (!lk_alphabet_equal(c->alphabet, d->alphabet)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cascade: its alphabet is not the DFA's");
        return false;
    }
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_pairs = lim.max_pairs;
    /* key: (DFA state, cascade state); value: parent pair << 8 | ... kept aside */
    g_autoptr(LkTupleMap) ids = lk_tuple_map_new(L + 1);
    GArray *parent = g_array_new(FALSE, FALSE, sizeof(uint64_t)); /* parent * k + letter + 1 */
    g_autofree uint32_t *key = g_new(uint32_t, L + 2), *nx = g_new(uint32_t, L + 2);
    key[0] = d->start;
    lk_cascade_start(c, key + 1);
    lk_tuple_map_insert(ids, key, 0, NULL);
    uint64_t root = 0;
    g_array_append_val(parent, root);
    int64_t bad = -1;
    bool ok = true;
    for (uint32_t head = 0; ok && bad < 0 && head < lk_tuple_map_size(ids); head++) {
        memcpy(key, lk_tuple_map_key(ids, head), sizeof(uint32_t) * (L + 1));
        int64_t out = lk_cascade_output(c, key + 1);
        if (out != key[0] || (c->accept[out] != 0) != (d->accept[key[0]] != 0)) {
            bad = head;
            break;
        }
        for (uint32_t a = 0; a < k; a++) {
            nx[0] = d->delta[(size_t)key[0] * k + a];
            if (!lk_cascade_step(c, key + 1, a, nx + 1)) { /* no row: not a cover */
                uint64_t pa = (uint64_t)head * k + a + 1;
                g_array_append_val(parent, pa); /* a pseudo-pair marks the failing word */
                bad = (int64_t)parent->len - 1;
                break;
            }
            bool added;
            lk_tuple_map_insert(ids, nx, 0, &added);
            if (added) {
                uint64_t pa = (uint64_t)head * k + a + 1;
                g_array_append_val(parent, pa);
            }
            if (lk_tuple_map_size(ids) > max_pairs) {
                g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                            "cascade: more than %" G_GUINT64_FORMAT
                            " reachable pairs (raise --max-pairs)",
                            max_pairs);
                ok = false;
                break;
            }
        }
    }
    if (pairs) *pairs = lk_tuple_map_size(ids);
    if (ok && bad < 0) *covers = true;
    if (ok && bad >= 0 && word) {
        GArray *rev = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        for (uint64_t p = (uint64_t)bad; g_array_index(parent, uint64_t, p);) {
            uint64_t v = g_array_index(parent, uint64_t, p) - 1;
            uint32_t a = (uint32_t)(v % k);
            g_array_append_val(rev, a);
            p = v / k;
        }
        *word = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        for (guint i = rev->len; i-- > 0;)
            g_array_append_val(*word, g_array_index(rev, uint32_t, i));
        g_array_unref(rev);
    }
    g_array_unref(parent);
    return ok;
}
