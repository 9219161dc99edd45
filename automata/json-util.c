/* Typed JSON members (see json-util.h). */
#include "automata/json-util.h"
#include "automata/error.h"

#include <stdio.h>
#include <string.h>

/* The 4 hex digits after "\\u" at s (n bytes left), or -1. */
static int32_t hex4(const char *s, size_t n)
{
    int32_t v = 0;
    for (size_t i = 0; i < 4; i++) {
        const int d = i < n ? g_ascii_xdigit_value(s[i]) : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The escape at s ("\\..."; n bytes left) when RFC 8259 has it and it
 * stands for a character a C string can hold: its length; else 0 with why.
 * json-glib reads more (octal "\\333" as the byte 0xDB, "\\x41" as "x41")
 * and decodes lone surrogates into invalid UTF-8. */
static size_t escape_length(const char *s, size_t n, const char **why)
{
    if (n >= 2 && strchr("\"\\/bfnrt", s[1]) && s[1]) return 2;
    if (n < 2 || s[1] != 'u') {
        *why = "is not a JSON escape";
        return 0;
    }
    const int32_t u = hex4(s + 2, n - 2);
    const int32_t low = n >= 12 && s[6] == '\\' && s[7] == 'u' ? hex4(s + 8, n - 8) : -1;
    if (u < 0)
        *why = "needs 4 hex digits after \\u";
    else if (u == 0)
        *why = "(NUL) cannot be in a string here";
    else if (u >= 0xDC00 && u <= 0xDFFF)
        *why = "is a lone low surrogate";
    else if (u < 0xD800 || u > 0xDBFF)
        return 6;
    else if (low < 0xDC00 || low > 0xDFFF)
        *why = "is a high surrogate without its low half";
    else
        return 12;
    return 0;
}

bool lk_json_parse(JsonParser *p, const char *text, gssize len, const char *where, GError **error)
{
    const size_t n = len < 0 ? strlen(text) : (size_t)len;
    uint32_t depth = 0, line = 1, col = 0;
    bool in_string = false;
    /* O(n) before json-glib sees the text: brackets outside strings (its
     * parser recurses once per bracket) and strings as RFC 8259 has them */
    for (size_t i = 0; i < n; i++) {
        const char c = text[i];
        col++;
        if (in_string) {
            const char *why = NULL;
            const size_t e = c == '\\' ? escape_length(text + i, n - i, &why) : 1;
            if (!e || (unsigned char)c < 0x20) {
                int w = 2; /* the escape as written, up to 6 ASCII characters */
                while (w < 6 && i + (size_t)w < n && g_ascii_isalnum(text[i + (size_t)w])) w++;
                if (i + 1 >= n || !g_ascii_isprint(text[i + 1])) w = 1;
                if (!e)
                    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                                "%s: line %u, column %u: '%.*s' %s", where, line, col, w, text + i,
                                why);
                else
                    g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                                "%s: line %u, column %u: a control character (0x%02x) in a "
                                "string (JSON writes it as \\u%04x)",
                                where, line, col, (unsigned)c, (unsigned)c);
                if (error) lk_error_set_location(*error, line, col);
                return false;
            }
            if (c == '"') in_string = false;
            i += e - 1, col += (uint32_t)(e - 1);
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
        if (c == '\n') line++, col = 0;
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
