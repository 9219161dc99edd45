/** @file
 * lrnnkit — reading JSON members by type, for every reader of JSON files.
 *
 * json-glib's json_object_get_*_member functions assume the member has the
 * type asked for (a critical warning otherwise) and convert numbers
 * silently (1.5 read as an integer is 1). Outside files can hold anything,
 * so every reader asks through these, which check the type and say no.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** Arrays and objects nested deeper than this are refused: json-glib's
 * parser is recursive, and 10^5 brackets would overflow the C stack. */
#define LK_JSON_MAX_DEPTH 512

/** Parses text (len bytes, -1: up to the NUL) into p. LK_ERROR_INPUT
 * "WHERE: MESSAGE" with json-glib's line and column for malformed JSON, or
 * the position of the bracket past LK_JSON_MAX_DEPTH; the position is also
 * the error's location (lk_error_location). O(len). */
bool lk_json_parse(JsonParser *p, const char *text, gssize len, const char *where, GError **error);

/** The member key of o when it is a string (borrowed from o), else NULL
 * (absent, or another type). */
const char *lk_json_string(JsonObject *o, const char *key);
/** v when it is an integer (not 1.0) in [lo, hi]: *out, true; else false
 * (NULL, another type, out of range). Every "JSON integer in range" check
 * of the library is this one. */
bool lk_json_node_int(JsonNode *v, int64_t lo, int64_t hi, int64_t *out);
/** v when it is an integer in [0, bound) (an index; bound <= 2^32): *out, true. */
bool lk_json_node_index(JsonNode *v, uint64_t bound, uint32_t *out);
/** The member key of o when it is an integer (not 1.0) in [lo, hi]: *out, true. */
bool lk_json_int(JsonObject *o, const char *key, int64_t lo, int64_t hi, int64_t *out);
/** The member key of o when it is a boolean: *out, true; absent: *out = def, true; else false. */
bool lk_json_bool(JsonObject *o, const char *key, bool def, bool *out);
/** Flags of an array of 0/1 or true/false (n entries) into out (1 byte
 * each); false when an entry is anything else. */
bool lk_json_flags(JsonArray *a, guint n, uint8_t *out);
/** @{ */
/** The member key of o when it is an array (object), else NULL. */
JsonArray *lk_json_array(JsonObject *o, const char *key);
JsonObject *lk_json_object(JsonObject *o, const char *key);
/** @} */

/** @{ */
/** The builder's value as compact JSON (a new string; its length in *len when
 * not NULL), and the same appended to out as one line. */
char *lk_json_builder_text(JsonBuilder *b, gsize *len);
void lk_json_builder_append_line(GString *out, JsonBuilder *b);
/** @} */

G_END_DECLS
