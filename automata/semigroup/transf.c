/* Transformations (see transf.h). */
#include "automata/semigroup/transf.h"
#include "automata/json-util.h"

#include <json-glib/json-glib.h>
#include <string.h>

uint32_t lk_transf_rank(const uint32_t *f, size_t stride, uint32_t n, uint8_t *seen)
{
    memset(seen, 0, n);
    uint32_t r = 0;
    for (uint32_t q = 0; q < n; q++) {
        uint32_t x = f[q * stride];
        if (!seen[x]) seen[x] = 1, r++;
    }
    return r;
}

LkMapKind lk_transf_kind(const uint32_t *f, size_t stride, uint32_t n, uint8_t *seen)
{
    uint32_t r = lk_transf_rank(f, stride, n, seen);
    return r == n ? LK_MAP_PERMUTATION : r == 1 ? LK_MAP_CONSTANT : LK_MAP_OTHER;
}

void lk_transf_compose(uint32_t *out, const uint32_t *f, const uint32_t *g, uint32_t n)
{
    for (uint32_t q = 0; q < n; q++) out[q] = g[f[q]];
}

uint32_t lk_transf_image(uint32_t *out, const uint32_t *f, uint32_t n, uint8_t *seen)
{
    memset(seen, 0, n);
    for (uint32_t q = 0; q < n; q++) seen[f[q]] = 1;
    uint32_t r = 0;
    for (uint32_t q = 0; q < n; q++)
        if (seen[q]) out[r++] = q;
    return r;
}

void lk_transf_kernel(uint32_t *out, const uint32_t *f, uint32_t n, uint32_t *scratch)
{
    memset(scratch, 0xff, sizeof(uint32_t) * n);
    for (uint32_t q = 0; q < n; q++) {
        if (scratch[f[q]] == UINT32_MAX) scratch[f[q]] = q;
        out[q] = scratch[f[q]];
    }
}

uint32_t lk_perm_transpositions(const uint32_t *p, size_t stride, uint32_t n, uint32_t *pairs,
                                uint8_t *seen)
{
    memset(seen, 0, n);
    uint32_t t = 0;
    for (uint32_t q0 = 0; q0 < n; q0++) {
        if (seen[q0]) continue;
        seen[q0] = 1;
        for (uint32_t q = p[q0 * stride]; q != q0; q = p[q * stride]) {
            seen[q] = 1;
            if (pairs) pairs[2 * t] = q0, pairs[2 * t + 1] = q;
            t++;
        }
    }
    return t;
}

uint32_t lk_perm_cycles(const uint32_t *p, size_t stride, uint32_t n, uint8_t *seen)
{
    return n - lk_perm_transpositions(p, stride, n, NULL, seen);
}

uint32_t *lk_transf_from_json(const char *text, gssize len, const char *where, uint32_t *n_out,
                              uint32_t *k_out, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    const char *w = where ? where : "transformations";
    JsonParser *p = json_parser_new_immutable();
    uint32_t *gens = NULL;
    if (!lk_json_parse(p, text, len, w, error)) goto out;
    JsonNode *root = json_parser_get_root(p);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: expected a JSON object", w);
        goto out;
    }
    JsonObject *o = json_node_get_object(root);
    JsonNode *dn = json_object_get_member(o, "degree");
    JsonNode *gn = json_object_get_member(o, "generators");
    int64_t degree;
    if (!lk_json_node_int(dn, 0, 1000000, &degree)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "%s: \"degree\" must be an integer in 0..1000000", w);
        goto out;
    }
    if (!gn || !JSON_NODE_HOLDS_ARRAY(gn)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: \"generators\" must be an array", w);
        goto out;
    }
    uint32_t n = (uint32_t)degree;
    JsonArray *ga = json_node_get_array(gn);
    uint32_t k = json_array_get_length(ga);
    if ((uint64_t)n * k > 100000000) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: degree x generators is too large", w);
        goto out;
    }
    gens = g_new(uint32_t, (size_t)n * k + 1);
    for (uint32_t a = 0; a < k; a++) {
        JsonNode *row = json_array_get_element(ga, a);
        if (!JSON_NODE_HOLDS_ARRAY(row) || json_array_get_length(json_node_get_array(row)) != n) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "%s: generators[%u] must be an array of %u images", w, a, n);
            goto out;
        }
        JsonArray *r = json_node_get_array(row);
        for (uint32_t q = 0; q < n; q++) {
            if (!lk_json_node_index(json_array_get_element(r, q), n, &gens[(size_t)a * n + q])) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "%s: generators[%u][%u] is not a point in 0..%u", w, a, q,
                            n ? n - 1 : 0);
                goto out;
            }
        }
    }
    *n_out = n, *k_out = k;
    g_object_unref(p);
    return gens;
out:
    g_free(gens);
    g_object_unref(p);
    return NULL;
}
