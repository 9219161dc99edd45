/* Typed JSON members (see json-util.h). */
#include "automata/json-util.h"

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

bool lk_json_int(JsonObject *o, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    JsonNode *v = value(o, key, G_TYPE_INT64);
    if (!v || json_node_get_int(v) < lo || json_node_get_int(v) > hi) return false;
    *out = json_node_get_int(v);
    return true;
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
