/* Typed JSON members (see json-util.h). */
#include "automata/json-util.h"
#include "automata/error.h"

#include <stdio.h>
#include <string.h>

bool lk_json_parse(JsonParser *p, const char *text, gssize len, const char *where, GError **error)
{
    const size_t n = len < 0 ? strlen(text) : (size_t)len;
    uint32_t depth = 0, line = 1, col = 0;
    bool in_string = false;
    for (size_t i = 0; i < n; i++) { /* brackets outside strings */
        const char c = text[i];
        col++;
        if (c == '\n') line++, col = 0;
        if (in_string) {
            if (c == '\\')
                i++, col++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if ((c == '[' || c == '{') && ++depth > LK_JSON_MAX_DEPTH) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "%s: line %u, column %u: arrays and objects nested more than %d deep",
                        where, line, col, LK_JSON_MAX_DEPTH);
            if (error) lk_error_set_location(*error, line, col);
            return false;
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    GError *jerr = NULL;
    if (!json_parser_load_from_data(p, text, (gssize)n, &jerr)) {
        /* json-glib says "<data>:LINE:COLUMN: Parse error: ..." */
        const char *msg = jerr->message;
        if (g_str_has_prefix(msg, "<data>:")) msg += 7;
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: %s", where, msg);
        /* the position as data too (json-glib has it only in the text) */
        unsigned jl, jc;
        if (error && sscanf(msg, "%u:%u:", &jl, &jc) == 2) lk_error_set_location(*error, jl, jc);
        g_error_free(jerr);
        return false;
    }
    return true;
}

static JsonNode *value(JsonObject *o, const char *key, GType type)
{
    JsonNode *v = o ? json_object_get_member(o, key) : NULL;
    return v && JSON_NODE_TYPE(v) == JSON_NODE_VALUE && json_node_get_value_type(v) == type ? v
                                                                                            : NULL;
}

const char *lk_json_string(JsonObject *o, const char *key)
{
    JsonNode *v = value(o, key, G_TYPE_STRING);
    return v ? json_node_get_string(v) : NULL;
}

bool lk_json_node_int(JsonNode *v, int64_t lo, int64_t hi, int64_t *out)
{
    if (!v || JSON_NODE_TYPE(v) != JSON_NODE_VALUE || json_node_get_value_type(v) != G_TYPE_INT64)
        return false;
    const int64_t x = json_node_get_int(v);
    if (x < lo || x > hi) return false;
    *out = x;
    return true;
}

bool lk_json_node_index(JsonNode *v, uint64_t bound, uint32_t *out)
{
    int64_t x;
    if (!bound || !lk_json_node_int(v, 0, (int64_t)MIN(bound - 1, (uint64_t)UINT32_MAX), &x))
        return false;
    *out = (uint32_t)x;
    return true;
}

bool lk_json_int(JsonObject *o, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    return lk_json_node_int(o ? json_object_get_member(o, key) : NULL, lo, hi, out);
}

bool lk_json_bool(JsonObject *o, const char *key, bool def, bool *out)
{
    if (!o || !json_object_has_member(o, key)) {
        *out = def;
        return true;
    }
    JsonNode *v = value(o, key, G_TYPE_BOOLEAN);
    if (v) *out = json_node_get_boolean(v);
    return v != NULL;
}

JsonArray *lk_json_array(JsonObject *o, const char *key)
{
    JsonNode *v = o ? json_object_get_member(o, key) : NULL;
    return v && JSON_NODE_HOLDS_ARRAY(v) ? json_node_get_array(v) : NULL;
}

JsonObject *lk_json_object(JsonObject *o, const char *key)
{
    JsonNode *v = o ? json_object_get_member(o, key) : NULL;
    return v && JSON_NODE_HOLDS_OBJECT(v) ? json_node_get_object(v) : NULL;
}

bool lk_json_flags(JsonArray *a, guint n, uint8_t *out)
{
    if (!a || json_array_get_length(a) != n) return false;
    for (guint i = 0; i < n; i++) {
        JsonNode *v = json_array_get_element(a, i);
        if (JSON_NODE_TYPE(v) != JSON_NODE_VALUE) return false;
        if (json_node_get_value_type(v) == G_TYPE_BOOLEAN)
            out[i] = json_node_get_boolean(v);
        else if (json_node_get_value_type(v) == G_TYPE_INT64 &&
                 (json_node_get_int(v) == 0 || json_node_get_int(v) == 1))
            out[i] = (uint8_t)json_node_get_int(v);
        else
            return false;
    }
    return true;
}

char *lk_json_builder_text(JsonBuilder *b, gsize *len)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    return json_generator_to_data(gen, len);
}

void lk_json_builder_append_line(GString *out, JsonBuilder *b)
{
    g_autofree char *text = lk_json_builder_text(b, NULL);
    g_string_append(out, text);
    g_string_append_c(out, '\n');
}
