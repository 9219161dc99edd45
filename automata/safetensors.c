/* Safetensors files of float tensors (see safetensors.h). */
#include "automata/safetensors.h"
#include "automata/atomic-file.h"
#include "automata/error.h"
#include "automata/json-util.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

LkTensor *lk_tensor_new(const char *name, uint32_t rank, const uint64_t *shape, bool f32)
{
    g_return_val_if_fail(name && rank <= LK_TENSOR_MAX_RANK, NULL);
    LkTensor *t = g_new0(LkTensor, 1);
    t->name = g_strdup(name);
    t->rank = rank;
    t->f32 = f32;
    t->size = 1;
    for (uint32_t r = 0; r < rank; r++) t->shape[r] = shape[r], t->size *= shape[r];
    t->data = g_new0(double, t->size + 1);
    return t;
}

void lk_tensor_free(LkTensor *t)
{
    if (!t) return;
    g_free(t->name);
    g_free(t->data);
    g_free(t);
}

bool lk_safetensors_write(const char *path, LkTensor *const *tensors, guint n,
                          const char *const *metadata, GError **error)
{
    g_return_val_if_fail(path != NULL, false);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    if (metadata) {
        json_builder_set_member_name(b, "__metadata__");
        json_builder_begin_object(b);
        for (const char *const *kv = metadata; kv[0]; kv += 2) {
            json_builder_set_member_name(b, kv[0]);
            json_builder_add_string_value(b, kv[1]);
        }
        json_builder_end_object(b);
    }
    uint64_t off = 0;
    for (guint i = 0; i < n; i++) {
        const LkTensor *t = tensors[i];
        const uint64_t bytes = t->size * (t->f32 ? 4 : 8);
        json_builder_set_member_name(b, t->name);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "dtype");
        json_builder_add_string_value(b, t->f32 ? "F32" : "F64");
        json_builder_set_member_name(b, "shape");
        json_builder_begin_array(b);
        for (uint32_t r = 0; r < t->rank; r++) json_builder_add_int_value(b, (gint64)t->shape[r]);
        json_builder_end_array(b);
        json_builder_set_member_name(b, "data_offsets");
        json_builder_begin_array(b);
        json_builder_add_int_value(b, (gint64)off);
        json_builder_add_int_value(b, (gint64)(off + bytes));
        json_builder_end_array(b);
        json_builder_end_object(b);
        off += bytes;
    }
    json_builder_end_object(b);
    gsize hlen;
    g_autofree char *header = lk_json_builder_text(b, &hlen);
    const size_t padded = (hlen + 7) / 8 * 8;
    GByteArray *file = g_byte_array_sized_new((guint)(8 + padded + off));
    uint8_t len8[8];
    for (int i = 0; i < 8; i++) len8[i] = (uint8_t)((uint64_t)padded >> (8 * i));
    g_byte_array_append(file, len8, 8);
    g_byte_array_append(file, (const guint8 *)header, (guint)hlen);
    for (size_t i = hlen; i < padded; i++) g_byte_array_append(file, (const guint8 *)" ", 1);
    for (guint i = 0; i < n; i++) {
        const LkTensor *t = tensors[i];
        for (uint64_t j = 0; j < t->size; j++) { /* little-endian host */
            if (t->f32) {
                const float v = (float)t->data[j];
                g_byte_array_append(file, (const guint8 *)&v, 4);
            } else {
                g_byte_array_append(file, (const guint8 *)&t->data[j], 8);
            }
        }
    }
    const bool ok = lk_atomic_write(path, file->data, file->len, error);
    g_byte_array_unref(file);
    return ok;
}

LkTensor *lk_tensors_find(const GPtrArray *tensors, const char *name)
{
    for (guint i = 0; tensors && i < tensors->len; i++) {
        LkTensor *t = g_ptr_array_index(tensors, i);
        if (strcmp(t->name, name) == 0) return t;
    }
    return NULL;
}

static GPtrArray *bad(GError **error, const char *path, const char *msg)
{
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: not a valid safetensors file: %s", path, msg);
    return NULL;
}

typedef struct {
    uint64_t start, end;
    LkTensor *t;
} Range;

static int cmp_range(const void *a, const void *b)
{
    const Range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* One header entry into a tensor with its byte range (data not yet read);
 * NULL when malformed. */
static LkTensor *entry(const char *name, JsonNode *tn, uint64_t data_len, Range *r)
{
    JsonObject *to = JSON_NODE_HOLDS_OBJECT(tn) ? json_node_get_object(tn) : NULL;
    const char *dt = to ? lk_json_string(to, "dtype") : NULL;
    JsonArray *sh = to ? lk_json_array(to, "shape") : NULL;
    JsonArray *of = to ? lk_json_array(to, "data_offsets") : NULL;
    if (!dt || (strcmp(dt, "F32") != 0 && strcmp(dt, "F64") != 0) || !sh || !of ||
        json_array_get_length(sh) > LK_TENSOR_MAX_RANK || json_array_get_length(of) != 2)
        return NULL;
    const uint64_t esz = strcmp(dt, "F32") == 0 ? 4 : 8;
    uint64_t shape[LK_TENSOR_MAX_RANK], size = 1, at[2];
    const uint32_t rank = json_array_get_length(sh);
    for (uint32_t i = 0; i < rank; i++) {
        int64_t d;
        if (!lk_json_node_int(json_array_get_element(sh, i), 0, (int64_t)MIN(data_len, G_MAXINT64),
                              &d))
            return NULL;
        shape[i] = (uint64_t)d;
        size *= shape[i];
        if (size > data_len) return NULL; /* also bounds the product: no overflow */
    }
    for (int i = 0; i < 2; i++) {
        int64_t d;
        if (!lk_json_node_int(json_array_get_element(of, i), 0, G_MAXINT64, &d)) return NULL;
        at[i] = (uint64_t)d;
    }
    if (at[1] < at[0] || at[1] > data_len || at[1] - at[0] != size * esz) return NULL;
    LkTensor *t = g_new0(LkTensor, 1);
    t->name = g_strdup(name);
    t->rank = rank;
    memcpy(t->shape, shape, sizeof shape);
    t->size = size;
    t->f32 = esz == 4;
    r->start = at[0], r->end = at[1], r->t = t;
    return t;
}

GPtrArray *lk_safetensors_read(const char *path, const LkLimits *limits, GHashTable **metadata,
                               GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_bytes = lim.max_memory;
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max_bytes) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "%s: %" G_GUINT64_FORMAT " bytes, more than --max-memory %" G_GUINT64_FORMAT,
                    path, (uint64_t)st.st_size, max_bytes);
        return NULL;
    }
    gsize len;
    char *buf = lk_file_read(path, &len, error);
    if (!buf) return NULL;
    GPtrArray *out = NULL, *ts = g_ptr_array_new_with_free_func((GDestroyNotify)lk_tensor_free);
    JsonParser *p = NULL;
    Range *rs = NULL;
    uint64_t hlen = 0;
    if (len < 8) {
        bad(error, path, "shorter than its 8-byte header length");
        goto out;
    }
    for (int i = 7; i >= 0; i--) hlen = hlen << 8 | (uint8_t)buf[i];
    if (hlen < 2 || hlen > len - 8 || hlen > (100u << 20)) {
        bad(error, path, "header length out of range");
        goto out;
    }
    p = json_parser_new_immutable();
    if (!lk_json_parse(p, buf + 8, (gssize)hlen, path, error)) goto out;
    JsonNode *root = json_parser_get_root(p);
    if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
        bad(error, path, "the header is not a JSON object");
        goto out;
    }
    JsonObject *hdr = json_node_get_object(root);
    const uint64_t data_len = len - 8 - hlen;
    const char *data = buf + 8 + hlen;
    JsonNode *meta = json_object_get_member(hdr, "__metadata__");
    if (meta && !JSON_NODE_HOLDS_OBJECT(meta)) {
        bad(error, path, "__metadata__ is not an object");
        goto out;
    }
    GList *names = json_object_get_members(hdr);
    rs = g_new0(Range, g_list_length(names) + 1);
    guint count = 0;
    bool ok = true;
    for (GList *l = names; l && ok; l = l->next) {
        if (strcmp(l->data, "__metadata__") == 0) continue;
        LkTensor *t = entry(l->data, json_object_get_member(hdr, l->data), data_len, &rs[count]);
        if ((ok = t != NULL)) g_ptr_array_add(ts, t), count++;
    }
    g_list_free(names);
    if (!ok) {
        bad(error, path, "a tensor entry has a bad dtype, shape or data_offsets");
        goto out;
    }
    qsort(rs, count, sizeof(Range), cmp_range);
    uint64_t at = 0;
    for (guint i = 0; i < count; i++) {
        if (rs[i].start != at) {
            bad(error, path, "tensor data overlaps or leaves a hole");
            goto out;
        }
        at = rs[i].end;
    }
    if (at != data_len) {
        bad(error, path, "bytes after the last tensor");
        goto out;
    }
    for (guint i = 0; i < count; i++) {
        LkTensor *t = rs[i].t;
        t->data = g_new(double, t->size + 1);
        for (uint64_t j = 0; j < t->size; j++) {
            if (t->f32) {
                float f;
                memcpy(&f, data + rs[i].start + 4 * j, 4);
                t->data[j] = f;
            } else {
                memcpy(&t->data[j], data + rs[i].start + 8 * j, 8);
            }
        }
    }
    if (metadata) {
        *metadata = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        GList *keys = meta ? json_object_get_members(json_node_get_object(meta)) : NULL;
        for (GList *l = keys; l; l = l->next) {
            const char *v = lk_json_string(json_node_get_object(meta), l->data);
            if (v) g_hash_table_insert(*metadata, g_strdup(l->data), g_strdup(v));
        }
        g_list_free(keys);
    }
    out = ts;
    ts = NULL;
out:
    if (ts) g_ptr_array_unref(ts);
    g_free(rs);
    if (p) g_object_unref(p);
    g_free(buf);
    return out;
}
