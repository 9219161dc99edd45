/* Cascades of permutation-reset automata: JSON form and the product
 * automaton (see cascade.h). */
#include "automata/cascade.h"

#include <json-glib/json-glib.h>
#include <string.h>

void lk_cascade_free(LkCascade *c)
{
    if (!c) return;
    for (uint32_t i = 0; i < c->n_levels; i++) g_free(c->level[i].delta);
    g_free(c->level);
    g_free(c->map);
    g_free(c->accept);
    lk_alphabet_unref(c->alphabet);
    g_free(c);
}

uint64_t lk_cascade_tuple(const LkCascade *c, const uint32_t *states, uint32_t levels)
{
    uint64_t t = 0;
    for (uint32_t i = 0; i < levels; i++) t = t * c->level[i].n + states[i];
    return t;
}

static LkCascade *fail(LkCascade *c, GError **error, int code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
static LkCascade *fail(LkCascade *c, GError **error, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error(error, LK_ERROR, code, "cascade: %s", msg);
    lk_cascade_free(c);
    return NULL;
}

static bool get_uint(JsonNode *v, uint64_t bound, uint32_t *out)
{
    if (!v || JSON_NODE_TYPE(v) != JSON_NODE_VALUE || json_node_get_value_type(v) != G_TYPE_INT64 ||
        json_node_get_int(v) < 0 || (uint64_t)json_node_get_int(v) >= bound)
        return false;
    *out = (uint32_t)json_node_get_int(v);
    return true;
}

static JsonArray *array_of(JsonNode *n, guint len)
{
    if (!n || !JSON_NODE_HOLDS_ARRAY(n)) return NULL;
    JsonArray *a = json_node_get_array(n);
    return len == G_MAXUINT || json_array_get_length(a) == len ? a : NULL;
}

/* Level i from its JSON object; checks every map is a permutation or constant. */
static bool read_level(LkCascade *c, uint32_t i, JsonObject *lo, uint64_t budget, GError **error)
{
    LkCascadeLevel *l = &c->level[i];
    const uint32_t k = c->k;
    uint32_t n;
    if (!get_uint(json_object_get_member(lo, "states"), 1u << 20, &n) || n == 0 ||
        !get_uint(json_object_get_member(lo, "start"), n, &l->start)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "cascade: level %u needs \"states\" >= 1 and a \"start\" below it", i);
        return false;
    }
    l->n = n;
    if ((uint64_t)l->ctx * k * n > budget) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "cascade: level %u has %u contexts x %u letters x %u states, over the "
                    "limit of %" G_GUINT64_FORMAT " entries (raise --max-states)",
                    i, l->ctx, k, n, budget);
        return false;
    }
    JsonArray *rows = array_of(json_object_get_member(lo, "delta"), l->ctx);
    if (!rows) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "cascade: level %u needs \"delta\" with one row per context (%u)", i, l->ctx);
        return false;
    }
    l->delta = g_new(uint32_t, (size_t)l->ctx * k * n + 1);
    uint8_t *seen = g_new0(uint8_t, n + 1);
    bool ok = true;
    for (uint32_t x = 0; x < l->ctx && ok; x++) {
        JsonArray *row = array_of(json_array_get_element(rows, x), k);
        for (uint32_t a = 0; a < k && ok; a++) {
            JsonArray *map = row ? array_of(json_array_get_element(row, a), n) : NULL;
            uint32_t *t = l->delta + ((size_t)x * k + a) * n, distinct = 0;
            ok = map != NULL;
            memset(seen, 0, n);
            for (uint32_t q = 0; q < n && ok; q++) {
                ok = get_uint(json_array_get_element(map, q), n, &t[q]);
                if (ok && !seen[t[q]]) seen[t[q]] = 1, distinct++;
            }
            if (!ok) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "cascade: level %u, context %u: delta needs %u letters, each a list "
                            "of %u states below %u",
                            i, x, k, n, n);
            } else if (distinct != n && distinct != 1) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "cascade: level %u, context %u, letter '%s' is neither a permutation "
                            "nor a constant map",
                            i, x, lk_alphabet_name(c->alphabet, a));
                ok = false;
            }
        }
    }
    g_free(seen);
    return ok;
}

LkCascade *lk_cascade_from_json(const char *text, gssize len, const LkLimits *limits,
                                GError **error)
{
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    g_autoptr(JsonParser) p = json_parser_new_immutable();
    if (!json_parser_load_from_data(p, text, len, NULL) || !json_parser_get_root(p) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
        return fail(NULL, error, LK_ERROR_INPUT, "not a JSON object");
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    if (g_strcmp0(json_object_get_string_member_with_default(o, "format", ""), "lrnnkit-cascade") !=
            0 ||
        json_object_get_int_member_with_default(o, "version", 0) != 1)
        return fail(NULL, error, LK_ERROR_INPUT,
                    "not an lrnnkit-cascade version 1 file (\"format\", \"version\")");
    LkCascade *c = g_new0(LkCascade, 1);
    JsonArray *aa = array_of(json_object_get_member(o, "alphabet"), G_MAXUINT);
    guint k = aa ? json_array_get_length(aa) : 0;
    const char **names = g_new0(const char *, k + 1);
    for (guint i = 0; i < k; i++) {
        JsonNode *e = json_array_get_element(aa, i);
        if (JSON_NODE_TYPE(e) == JSON_NODE_VALUE && json_node_get_value_type(e) == G_TYPE_STRING)
            names[i] = json_node_get_string(e);
    }
    c->alphabet = k ? lk_alphabet_new(names, k, NULL) : NULL;
    g_free(names);
    if (!c->alphabet)
        return fail(c, error, LK_ERROR_INPUT,
                    "\"alphabet\" must be a nonempty list of "
                    "distinct names");
    c->k = k;
    JsonArray *levels = array_of(json_object_get_member(o, "levels"), G_MAXUINT);
    if (!levels || json_array_get_length(levels) == 0 || json_array_get_length(levels) > 64)
        return fail(c, error, LK_ERROR_INPUT, "\"levels\" must be a list of 1 to 64 levels");
    c->n_levels = json_array_get_length(levels);
    c->level = g_new0(LkCascadeLevel, c->n_levels);
    uint64_t tuples = 1, budget = 16ull * lim.max_states;
    for (uint32_t i = 0; i < c->n_levels; i++) {
        JsonNode *ln = json_array_get_element(levels, i);
        c->level[i].ctx = (uint32_t)tuples;
        if (!JSON_NODE_HOLDS_OBJECT(ln))
            return fail(c, error, LK_ERROR_INPUT, "level %u is not an object", i);
        if (!read_level(c, i, json_node_get_object(ln), budget, error)) { /* error is set */
            lk_cascade_free(c);
            return NULL;
        }
        tuples *= c->level[i].n;
        if (tuples > lim.max_states || tuples > (1u << 31))
            return fail(c, error, LK_ERROR_LIMIT,
                        "more than %" G_GUINT64_FORMAT
                        " cascade states (tuples) (raise --max-states)",
                        (uint64_t)lim.max_states);
    }
    c->tuples = tuples;
    JsonNode *mn = json_object_get_member(o, "map");
    JsonArray *acc = array_of(json_object_get_member(o, "accept"), G_MAXUINT);
    c->n_out = acc ? json_array_get_length(acc) : 0;
    if (!acc || c->n_out == 0 || (!mn && c->n_out != tuples))
        return fail(c, error, LK_ERROR_INPUT,
                    "\"accept\" needs one flag per output (per cascade state without \"map\")");
    c->map = g_new(int32_t, tuples + 1);
    c->accept = g_new0(uint8_t, c->n_out + 1);
    JsonArray *ma = mn ? array_of(mn, (guint)tuples) : NULL;
    if (mn && !ma)
        return fail(c, error, LK_ERROR_INPUT,
                    "\"map\" needs one entry per cascade state (%" G_GUINT64_FORMAT ")", tuples);
    for (uint64_t t = 0; t < tuples; t++) {
        c->map[t] = (int32_t)t;
        if (!ma) continue;
        JsonNode *v = json_array_get_element(ma, (guint)t);
        uint32_t out;
        if (JSON_NODE_TYPE(v) == JSON_NODE_VALUE && json_node_get_value_type(v) == G_TYPE_INT64 &&
            json_node_get_int(v) == -1)
            c->map[t] = -1;
        else if (get_uint(v, c->n_out, &out))
            c->map[t] = (int32_t)out;
        else
            return fail(c, error, LK_ERROR_INPUT, "\"map\" entries are outputs or -1");
    }
    for (uint32_t i = 0; i < c->n_out; i++) {
        JsonNode *v = json_array_get_element(acc, i);
        if (JSON_NODE_TYPE(v) != JSON_NODE_VALUE ||
            (json_node_get_value_type(v) != G_TYPE_BOOLEAN &&
             json_node_get_value_type(v) != G_TYPE_INT64))
            return fail(c, error, LK_ERROR_INPUT, "\"accept\" entries are true/false or 1/0");
        c->accept[i] = json_node_get_value_type(v) == G_TYPE_BOOLEAN ? json_node_get_boolean(v)
                                                                     : json_node_get_int(v) != 0;
    }
    return c;
}

LkCascade *lk_cascade_load(const char *path, const LkLimits *limits, GError **error)
{
    g_autofree char *text = NULL;
    gsize len;
    GError *e = NULL;
    if (!g_file_get_contents(path, &text, &len, &e)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s", e->message);
        g_error_free(e);
        return NULL;
    }
    LkCascade *c = lk_cascade_from_json(text, (gssize)len, limits, &e);
    if (!c) {
        g_set_error(error, LK_ERROR, e->code, "%s: %s", path, e->message);
        g_error_free(e);
    }
    return c;
}

char *lk_cascade_to_json(const LkCascade *c)
{
    GString *s = g_string_new("{\"format\": \"lrnnkit-cascade\", \"version\": 1, \"alphabet\": [");
    for (uint32_t a = 0; a < c->k; a++) {
        if (a) g_string_append(s, ", ");
        lk_json_append_string(s, lk_alphabet_name(c->alphabet, a));
    }
    g_string_append(s, "],\n \"levels\": [");
    for (uint32_t i = 0; i < c->n_levels; i++) {
        const LkCascadeLevel *l = &c->level[i];
        g_string_append_printf(s, "%s{\"states\": %u, \"start\": %u, \"delta\": [",
                               i ? ",\n  " : "", l->n, l->start);
        for (uint32_t x = 0; x < l->ctx; x++) {
            g_string_append(s, x ? ", [" : "[");
            for (uint32_t a = 0; a < c->k; a++) {
                g_string_append(s, a ? ", [" : "[");
                for (uint32_t q = 0; q < l->n; q++)
                    g_string_append_printf(s, "%s%u", q ? ", " : "",
                                           l->delta[((size_t)x * c->k + a) * l->n + q]);
                g_string_append_c(s, ']');
            }
            g_string_append_c(s, ']');
        }
        g_string_append(s, "]}");
    }
    g_string_append(s, "],\n \"map\": [");
    for (uint64_t t = 0; t < c->tuples; t++)
        g_string_append_printf(s, "%s%d", t ? ", " : "", c->map[t]);
    g_string_append(s, "],\n \"accept\": [");
    for (uint32_t i = 0; i < c->n_out; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", c->accept[i] ? "true" : "false");
    g_string_append(s, "]}\n");
    return g_string_free(s, FALSE);
}

LkDfa *lk_cascade_to_dfa(const LkCascade *c, GError **error)
{
    const uint32_t L = c->n_levels, k = c->k;
    GHashTable *ids = g_hash_table_new(g_int64_hash, g_int64_equal);
    GArray *tuples = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    GArray *delta = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t *st = g_new(uint32_t, L + 1), *nx = g_new(uint32_t, L + 1);
    for (uint32_t i = 0; i < L; i++) st[i] = c->level[i].start;
    uint64_t t0 = lk_cascade_tuple(c, st, L);
    g_array_append_val(tuples, t0);
    /* keys are separate copies: `tuples` moves as it grows */
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    uint64_t *k0 = g_memdup2(&t0, sizeof t0);
    g_ptr_array_add(keys, k0);
    g_hash_table_insert(ids, k0, GUINT_TO_POINTER(1));
    for (guint head = 0; head < tuples->len; head++) {
        uint64_t t = g_array_index(tuples, uint64_t, head);
        for (uint32_t i = L; i-- > 0;) { /* unpack, last level least significant */
            st[i] = (uint32_t)(t % c->level[i].n);
            t /= c->level[i].n;
        }
        for (uint32_t a = 0; a < k; a++) {
            uint64_t ctx = 0;
            for (uint32_t i = 0; i < L; i++) { /* every level sees the states before */
                const LkCascadeLevel *l = &c->level[i];
                nx[i] = l->delta[((size_t)ctx * k + a) * l->n + st[i]];
                ctx = ctx * l->n + st[i];
            }
            uint64_t nt = lk_cascade_tuple(c, nx, L);
            gpointer v = g_hash_table_lookup(ids, &nt);
            uint32_t id;
            if (v) {
                id = GPOINTER_TO_UINT(v) - 1;
            } else {
                id = tuples->len;
                g_array_append_val(tuples, nt);
                uint64_t *key = g_memdup2(&nt, sizeof nt);
                g_ptr_array_add(keys, key);
                g_hash_table_insert(ids, key, GUINT_TO_POINTER(id + 1));
            }
            g_array_append_val(delta, id);
        }
    }
    LkDfa *d = NULL;
    for (guint i = 0; i < tuples->len; i++)
        if (c->map[g_array_index(tuples, uint64_t, i)] < 0) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "cascade: the reachable cascade state %" G_GUINT64_FORMAT
                        " has no output (map -1)",
                        g_array_index(tuples, uint64_t, i));
            goto out;
        }
    d = lk_dfa_new(c->alphabet, tuples->len, 0);
    memcpy(d->delta, delta->data, sizeof(uint32_t) * delta->len);
    for (guint i = 0; i < tuples->len; i++)
        d->accept[i] = c->accept[c->map[g_array_index(tuples, uint64_t, i)]];
out:
    g_hash_table_unref(ids);
    g_ptr_array_unref(keys);
    g_array_unref(tuples);
    g_array_unref(delta);
    g_free(st);
    g_free(nx);
    return d;
}
