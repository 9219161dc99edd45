/* DFA files: the versioned JSON format (see dfa.h) and Graphviz DOT.
 *
 * Writing streams into a GString (no JSON tree: a 2-million-state DFA is
 * written in one pass). Reading parses with json-glib and validates every
 * field: format and version, distinct symbol names, 1 <= states, start and
 * accepting states in range, delta an n x k table of in-range integers.
 */
#include "automata/atomic-file.h"
#include "automata/dfa.h"
#include "automata/json-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define DFA_FORMAT "lrnnkit-dfa"
#define DFA_VERSION 1

void lk_json_append_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        case '\n':
            g_string_append(out, "\\n");
            break;
        case '\t':
            g_string_append(out, "\\t");
            break;
        case '\r':
            g_string_append(out, "\\r");
            break;
        default:
            if (*p < 0x20)
                g_string_append_printf(out, "\\u%04x", *p);
            else
                g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

/* Appends the decimal digits of v (faster than printf in the big loops). */
static void append_u32(GString *out, uint32_t v)
{
    char buf[12];
    int i = 11;
    buf[i] = 0;
    do buf[--i] = (char)('0' + v % 10);
    while ((v /= 10));
    g_string_append_len(out, buf + i, 11 - i);
}

char *lk_dfa_to_json(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    GString *s = g_string_sized_new(64 + (gsize)d->n * (d->k * 8 + 8));
    g_string_append(s,
                    "{\n  \"format\": \"" DFA_FORMAT "\",\n  \"version\": 1,\n  \"alphabet\": [");
    for (uint32_t a = 0; a < d->k; a++) {
        if (a) g_string_append(s, ", ");
        lk_json_append_string(s, lk_alphabet_name(d->alphabet, a));
    }
    g_string_append(s, "],\n  \"states\": ");
    append_u32(s, d->n);
    g_string_append(s, ",\n  \"start\": ");
    append_u32(s, d->start);
    g_string_append(s, ",\n  \"accept\": [");
    bool first = true;
    for (uint32_t q = 0; q < d->n; q++)
        if (d->accept[q]) {
            if (!first) g_string_append(s, ", ");
            first = false;
            append_u32(s, q);
        }
    g_string_append(s, "],\n  \"delta\": [");
    for (uint32_t q = 0; q < d->n; q++) {
        g_string_append(s, q ? ",\n    [" : "\n    [");
        for (uint32_t a = 0; a < d->k; a++) {
            if (a) g_string_append(s, ", ");
            append_u32(s, d->delta[(size_t)q * d->k + a]);
        }
        g_string_append_c(s, ']');
    }
    g_string_append(s, "\n  ]\n}\n");
    return g_string_free(s, FALSE);
}

/* An input error of the DFA JSON reader, prefixed by where. */
#define bad(error, where, ...)                                                                     \
    lk_error_set(error, LK_ERROR_INPUT, (where) ? (where) : "DFA JSON", __VA_ARGS__)

static JsonArray *member_array(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);
    return n && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static LkDfa *dfa_from_node(JsonNode *root, const char *where, GError **error)
{
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        bad(error, where, "expected a JSON object");
        return NULL;
    }
    JsonObject *o = json_node_get_object(root);
    const char *fmt = lk_json_string(o, "format");
    if (!fmt && json_object_has_member(o, "format")) {
        bad(error, where, "\"format\" must be the string \"" DFA_FORMAT "\"");
        return NULL;
    }
    if (fmt && strcmp(fmt, DFA_FORMAT) != 0) {
        bad(error, where, "\"format\" is \"%s\", expected \"" DFA_FORMAT "\"", fmt);
        return NULL;
    }
    if (json_object_has_member(o, "version")) {
        JsonNode *v = json_object_get_member(o, "version");
        uint32_t ver;
        if (!lk_json_node_index(v, 1000, &ver) || ver != DFA_VERSION) {
            bad(error, where, "unsupported \"version\" (this lrnnkit reads version %d)",
                DFA_VERSION);
            return NULL;
        }
    }
    JsonArray *alpha = member_array(o, "alphabet");
    if (!alpha) {
        bad(error, where, "\"alphabet\" must be an array of strings");
        return NULL;
    }
    guint k = json_array_get_length(alpha);
    const char **names = g_new0(const char *, k + 1);
    for (guint a = 0; a < k; a++) {
        JsonNode *nm = json_array_get_element(alpha, a);
        if (JSON_NODE_TYPE(nm) != JSON_NODE_VALUE ||
            json_node_get_value_type(nm) != G_TYPE_STRING) {
            g_free(names);
            bad(error, where, "alphabet[%u] is not a string", a);
            return NULL;
        }
        names[a] = json_node_get_string(nm);
    }
    GError *aerr = NULL;
    LkAlphabet *alphabet = lk_alphabet_new(names, k, &aerr);
    g_free(names);
    if (!alphabet) {
        bad(error, where, "%s", aerr->message);
        g_error_free(aerr);
        return NULL;
    }
    LkDfa *d = NULL;
    uint32_t n, start;
    if (!lk_json_node_index(json_object_get_member(o, "states"), (uint64_t)UINT32_MAX, &n) ||
        n == 0) {
        bad(error, where, "\"states\" must be an integer >= 1");
        goto out;
    }
    if ((uint64_t)n * k > (uint64_t)UINT32_MAX - 1) {
        bad(error, where, "states x symbols is too large");
        goto out;
    }
    if (!lk_json_node_index(json_object_get_member(o, "start"), n, &start)) {
        bad(error, where, "\"start\" must be a state in 0..%u", n - 1);
        goto out;
    }
    JsonArray *acc = member_array(o, "accept");
    JsonArray *delta = member_array(o, "delta");
    if (!acc) {
        bad(error, where, "\"accept\" must be an array of states");
        goto out;
    }
    if (!delta || json_array_get_length(delta) != n) {
        bad(error, where, "\"delta\" must be an array of %u rows", n);
        goto out;
    }
    d = lk_dfa_new(alphabet, n, start);
    for (guint i = 0; i < json_array_get_length(acc); i++) {
        uint32_t q;
        if (!lk_json_node_index(json_array_get_element(acc, i), n, &q)) {
            bad(error, where, "accept[%u] is not a state in 0..%u", i, n - 1);
            goto fail;
        }
        if (d->accept[q]) {
            bad(error, where, "accept[%u]: state %u listed twice", i, q);
            goto fail;
        }
        d->accept[q] = 1;
    }
    for (uint32_t q = 0; q < n; q++) {
        JsonNode *row = json_array_get_element(delta, q);
        if (!JSON_NODE_HOLDS_ARRAY(row) || json_array_get_length(json_node_get_array(row)) != k) {
            bad(error, where, "delta[%u] must be an array of %u states", q, k);
            goto fail;
        }
        JsonArray *r = json_node_get_array(row);
        for (uint32_t a = 0; a < k; a++)
            if (!lk_json_node_index(json_array_get_element(r, a), n,
                                    &d->delta[(size_t)q * k + a])) {
                bad(error, where, "delta[%u][%u] is not a state in 0..%u", q, a, n - 1);
                goto fail;
            }
    }
    goto out;
fail:
    lk_dfa_free(d);
    d = NULL;
out:
    lk_alphabet_unref(alphabet);
    return d;
}

LkDfa *lk_dfa_from_json(const char *text, gssize len, const char *where, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    JsonParser *p = json_parser_new_immutable();
    LkDfa *d = NULL;
    if (lk_json_parse(p, text, len, where, error)) {
        d = dfa_from_node(json_parser_get_root(p), where, error);
    }
    g_object_unref(p);
    return d;
}

LkDfa *lk_dfa_load(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    gsize len;
    char *text = lk_file_read(path, &len, error);
    if (!text) return NULL;
    LkDfa *d = lk_dfa_from_json(text, (gssize)len, path, error);
    g_free(text);
    return d;
}

bool lk_dfa_save(const LkDfa *d, const char *path, GError **error)
{
    g_return_val_if_fail(d != NULL, false);
    char *text = lk_dfa_to_json(d);
    bool ok = lk_atomic_write(path, text, strlen(text), error);
    g_free(text);
    return ok;
}

/* Symbols i and i+1 are single characters with consecutive code points. */
static bool consecutive(const LkAlphabet *a, uint32_t i)
{
    const char *x = lk_alphabet_name(a, i), *y = lk_alphabet_name(a, i + 1);
    return g_utf8_strlen(x, -1) == 1 && g_utf8_strlen(y, -1) == 1 &&
           g_utf8_get_char(y) == g_utf8_get_char(x) + 1;
}

/* DOT label of a symbol set given as flags over the alphabet. */
static void dot_label(const LkDfa *d, const uint8_t *on, GString *out)
{
    GString *lab = g_string_new(NULL);
    for (uint32_t a = 0; a < d->k;) {
        if (!on[a]) {
            a++;
            continue;
        }
        uint32_t b = a; /* extend over consecutive characters */
        while (b + 1 < d->k && on[b + 1] && consecutive(d->alphabet, b)) b++;
        if (lab->len) g_string_append_c(lab, ',');
        g_string_append(lab, lk_alphabet_name(d->alphabet, a));
        if (b >= a + 2) {
            g_string_append_c(lab, '-');
            g_string_append(lab, lk_alphabet_name(d->alphabet, b));
        } else if (b == a + 1) {
            g_string_append_c(lab, ',');
            g_string_append(lab, lk_alphabet_name(d->alphabet, b));
        }
        a = b + 1;
    }
    lk_json_append_string(out, lab->str); /* DOT strings escape like JSON's */
    g_string_free(lab, TRUE);
}

char *lk_dfa_to_dot(const LkDfa *d)
{
    g_return_val_if_fail(d != NULL, NULL);
    GString *s = g_string_new("digraph dfa {\n  rankdir=LR;\n  node [shape=circle];\n");
    g_string_append(s, "  start [shape=point];\n");
    for (uint32_t q = 0; q < d->n; q++)
        if (d->accept[q]) g_string_append_printf(s, "  %u [shape=doublecircle];\n", q);
    g_string_append_printf(s, "  start -> %u;\n", d->start);
    uint8_t *on = g_new0(uint8_t, d->k + 1);
    uint32_t *targets = g_new(uint32_t, d->k + 1);
    for (uint32_t q = 0; q < d->n; q++) {
        const uint32_t *row = d->delta + (size_t)q * d->k;
        uint32_t nt = 0; /* distinct targets in order of first symbol */
        for (uint32_t a = 0; a < d->k; a++) {
            bool seen = false;
            for (uint32_t i = 0; i < nt && !seen; i++) seen = targets[i] == row[a];
            if (!seen) targets[nt++] = row[a];
        }
        for (uint32_t i = 0; i < nt; i++) {
            for (uint32_t a = 0; a < d->k; a++) on[a] = row[a] == targets[i];
            g_string_append_printf(s, "  %u -> %u [label=", q, targets[i]);
            dot_label(d, on, s);
            g_string_append(s, "];\n");
        }
    }
    g_free(on);
    g_free(targets);
    g_string_append(s, "}\n");
    return g_string_free(s, FALSE);
}
