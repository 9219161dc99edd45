/* NumPy .npy / .npz reading (see npy.h). */
#include "automata/npy.h"

#include "automata/atomic-file.h"
#include "automata/error.h"

#include <string.h>
#include <zlib.h>

void lk_npy_array_free(LkNpyArray *a)
{
    if (!a) return;
    g_free(a->name);
    g_free(a->data);
    g_free(a->ints);
    g_free(a);
}

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool bad(GError **error, const char *where, const char *what)
{
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: %s", where, what);
    return false;
}

/* The value after 'key': in the header dict (NULL when absent). */
static const char *dict_value(const char *h, const char *key)
{
    g_autofree char *k1 = g_strdup_printf("'%s'", key);
    const char *p = strstr(h, k1);
    if (!p) return NULL;
    p += strlen(k1);
    while (*p == ' ') p++;
    if (*p != ':') return NULL;
    p++;
    while (*p == ' ') p++;
    return p;
}

static bool parse_header(const char *h, LkNpyArray *a, const char *where, GError **error)
{
    const char *d = dict_value(h, "descr"), *f = dict_value(h, "fortran_order"),
               *s = dict_value(h, "shape");
    if (!d || !f || !s || *h != '{')
        return bad(error, where, "not a .npy header (needs 'descr', 'fortran_order', 'shape')");
    /* '<f8' and the like: byte order ('<' or '|' for one byte), kind, width */
    if (d[0] != '\'' || (d[1] != '<' && d[1] != '|') || !strchr("fiu", d[2]) || !d[2] ||
        d[3] < '1' || d[3] > '8' || d[4] != '\'')
        return bad(
            error, where,
            "only little-endian float ('<f8', '<f4') and integer ('<i4', '|u1', ...) arrays");
    a->kind = d[2], a->width = (unsigned)(d[3] - '0');
    if ((a->kind == 'f' && a->width != 4 && a->width != 8) ||
        (a->kind != 'f' && a->width != 1 && a->width != 2 && a->width != 4 && a->width != 8) ||
        (a->width > 1) != (d[1] == '<'))
        return bad(
            error, where,
            "only little-endian float ('<f8', '<f4') and integer ('<i4', '|u1', ...) arrays");
    a->f32 = a->kind == 'f' && a->width == 4;
    a->integer = a->kind != 'f';
    if (!strncmp(f, "True", 4))
        a->fortran = true;
    else if (strncmp(f, "False", 5))
        return bad(error, where, "malformed 'fortran_order'");
    if (*s != '(') return bad(error, where, "malformed 'shape'");
    s++;
    a->ndim = 0, a->size = 1;
    for (;;) {
        while (*s == ' ' || *s == ',') s++;
        if (*s == ')') break;
        if (*s < '0' || *s > '9' || a->ndim == LK_NPY_MAX_DIMS)
            return bad(error, where, "malformed 'shape' (at most 8 dimensions)");
        char *end;
        guint64 v = g_ascii_strtoull(s, &end, 10);
        if (v > (1ull << 40) || (v && a->size > (1ull << 40) / v))
            return bad(error, where, "the declared shape is too large");
        a->shape[a->ndim++] = v, a->size *= v;
        s = end;
    }
    return true;
}

LkNpyArray *lk_npy_parse(const uint8_t *buf, size_t len, const char *name, const char *where,
                         GError **error)
{
    if (len < 10 || memcmp(buf, "\x93NUMPY", 6)) {
        bad(error, where, "not a .npy array (no \\x93NUMPY magic)");
        return NULL;
    }
    const int major = buf[6];
    size_t hlen, start;
    if (major == 1) {
        hlen = rd16(buf + 8), start = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12) {
            bad(error, where, "truncated .npy header");
            return NULL;
        }
        hlen = rd32(buf + 8), start = 12;
    } else {
        bad(error, where, "unknown .npy version");
        return NULL;
    }
    if (hlen > len - start) {
        bad(error, where, "truncated .npy header");
        return NULL;
    }
    g_autofree char *h = g_strndup((const char *)buf + start, hlen);
    g_autoptr(LkNpyArray) a = g_new0(LkNpyArray, 1);
    if (!parse_header(h, a, where, error)) return NULL;
    const size_t item = a->width, off = start + hlen;
    if ((len - off) / item != a->size || (len - off) % item) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "%s: the shape declares %" G_GUINT64_FORMAT " values, the data holds %zu bytes",
                    where, a->size, len - off);
        return NULL;
    }
    if (a->integer)
        a->ints = g_new(int32_t, a->size + 1);
    else
        a->data = g_new(double, a->size + 1);
    for (uint64_t i = 0; i < a->size; i++) {
        const uint8_t *p = buf + off + i * item;
        uint64_t b = 0;
        for (size_t j = 0; j < item; j++) b |= (uint64_t)p[j] << (8 * j);
        if (a->kind == 'f' && item == 4) {
            uint32_t b32 = (uint32_t)b;
            float x;
            memcpy(&x, &b32, 4);
            a->data[i] = x;
        } else if (a->kind == 'f') {
            memcpy(&a->data[i], &b, 8);
        } else {
            int64_t v = (int64_t)b; /* sign-extend signed kinds narrower than 64 bits */
            if (a->kind == 'i' && item < 8 && (b >> (8 * item - 1)) & 1)
                v = (int64_t)(b | ~((1ull << (8 * item)) - 1));
            if ((a->kind == 'u' && item == 8 && b > INT32_MAX) || v < INT32_MIN || v > INT32_MAX) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                            "%s: value %" G_GUINT64_FORMAT " is outside int32", where, i);
                return NULL;
            }
            a->ints[i] = (int32_t)v;
        }
    }
    if (a->fortran && a->ndim > 1) { /* to C order: the first index varies fastest on disk */
        const size_t es = a->integer ? sizeof(int32_t) : sizeof(double);
        uint8_t *from = a->integer ? (uint8_t *)a->ints : (uint8_t *)a->data;
        uint8_t *c = g_malloc(es * (a->size + 1));
        uint64_t idx[LK_NPY_MAX_DIMS] = {0};
        for (uint64_t f = 0; f < a->size; f++) {
            uint64_t ci = 0;
            for (int d = 0; d < a->ndim; d++) ci = ci * a->shape[d] + idx[d];
            memcpy(c + ci * es, from + f * es, es);
            for (int d = 0; d < a->ndim && ++idx[d] == a->shape[d]; d++) idx[d] = 0;
        }
        g_free(from);
        if (a->integer)
            a->ints = (int32_t *)c;
        else
            a->data = (double *)c;
    }
    a->fortran = false;
    a->name = g_strdup(name);
    return g_steal_pointer(&a);
}

/* Inflates a raw deflate stream of exactly out_len bytes. */
static bool inflate_raw(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len)
{
    z_stream z = {0};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return false;
    z.next_in = (Bytef *)in, z.avail_in = (uInt)in_len;
    z.next_out = out, z.avail_out = (uInt)out_len;
    int rc = inflate(&z, Z_FINISH);
    bool ok = rc == Z_STREAM_END && z.total_out == out_len;
    inflateEnd(&z);
    return ok;
}

static bool member(const uint8_t *buf, size_t len, const uint8_t *cd, uint64_t max_bytes,
                   const char *path, GPtrArray *out, GError **error)
{
    const uint16_t method = rd16(cd + 10), nlen = rd16(cd + 28);
    const uint32_t crc = rd32(cd + 16), csize = rd32(cd + 20), usize = rd32(cd + 24),
                   loff = rd32(cd + 42);
    g_autofree char *name = g_strndup((const char *)cd + 46, nlen);
    g_autofree char *where = g_strdup_printf("%s: member '%s'", path, name);
    if (csize == 0xFFFFFFFFu || usize == 0xFFFFFFFFu || loff == 0xFFFFFFFFu)
        return bad(error, where, "zip64 archives are not read");
    if (usize > max_bytes) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "%s: %u bytes uncompressed, more than --max-memory %" G_GUINT64_FORMAT, where,
                    usize, max_bytes);
        return false;
    }
    if ((uint64_t)loff + 30 > len || rd32(buf + loff) != 0x04034b50u)
        return bad(error, where, "bad local header offset");
    const uint64_t data = (uint64_t)loff + 30 + rd16(buf + loff + 26) + rd16(buf + loff + 28);
    if (data + csize > len) return bad(error, where, "truncated data");
    g_autofree uint8_t *raw = NULL;
    const uint8_t *bytes = buf + data;
    if (method == 8) {
        raw = g_malloc(usize + 1);
        if (!inflate_raw(bytes, csize, raw, usize))
            return bad(error, where, "corrupt deflate data");
        bytes = raw;
    } else if (method != 0 || csize != usize) {
        return bad(error, where, "only stored and deflated members are read");
    }
    if (crc32(0L, bytes, usize) != crc) return bad(error, where, "CRC-32 mismatch");
    if (!g_str_has_suffix(name, ".npy")) return true; /* not an array: skipped */
    name[nlen - 4] = 0;
    LkNpyArray *a = lk_npy_parse(bytes, usize, name, where, error);
    if (!a) return false;
    g_ptr_array_add(out, a);
    return true;
}

GPtrArray *lk_npz_load(const char *path, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_bytes = lim.max_memory;
    GError *ferr = NULL;
    g_autoptr(GMappedFile) f = g_mapped_file_new(path, FALSE, &ferr);
    if (!f) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot read %s: %s", path, ferr->message);
        g_error_free(ferr);
        return NULL;
    }
    const uint8_t *buf = (const uint8_t *)g_mapped_file_get_contents(f);
    const size_t len = g_mapped_file_get_length(f);
    /* the end of central directory record: 22 bytes and a comment of <= 65535 */
    size_t eocd = SIZE_MAX;
    for (size_t back = 22; back <= len && back <= 22 + 65535; back++)
        if (rd32(buf + len - back) == 0x06054b50u) {
            eocd = len - back;
            break;
        }
    if (eocd == SIZE_MAX) {
        bad(error, path, "not an .npz (zip) archive");
        return NULL;
    }
    const uint16_t entries = rd16(buf + eocd + 10);
    const uint32_t cd_size = rd32(buf + eocd + 12), cd_off = rd32(buf + eocd + 16);
    if (cd_off == 0xFFFFFFFFu) {
        bad(error, path, "zip64 archives are not read");
        return NULL;
    }
    if ((uint64_t)cd_off + cd_size > eocd) {
        bad(error, path, "bad central directory");
        return NULL;
    }
    g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)lk_npy_array_free);
    size_t p = cd_off;
    for (uint16_t e = 0; e < entries; e++) {
        if (p + 46 > (size_t)cd_off + cd_size || rd32(buf + p) != 0x02014b50u) {
            bad(error, path, "bad central directory entry");
            return NULL;
        }
        const size_t next = p + 46 + rd16(buf + p + 28) + rd16(buf + p + 30) + rd16(buf + p + 32);
        if (next > (size_t)cd_off + cd_size) {
            bad(error, path, "bad central directory entry");
            return NULL;
        }
        if (!member(buf, len, buf + p, max_bytes, path, out, error)) return NULL;
        p = next;
    }
    return g_steal_pointer(&out);
}

const LkNpyArray *lk_npz_find(const GPtrArray *arrays, const char *name)
{
    for (guint i = 0; i < arrays->len; i++) {
        const LkNpyArray *a = g_ptr_array_index(arrays, i);
        if (!strcmp(a->name, name)) return a;
    }
    return NULL;
}

/* ---- writing ---- */

void lk_npy_put_header(GString *out, const char *descr, int ndim, const uint64_t *shape)
{
    GString *h = g_string_new(NULL);
    g_string_printf(h, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr);
    for (int i = 0; i < ndim; i++)
        g_string_append_printf(h, "%s%" G_GUINT64_FORMAT, i ? ", " : "", shape[i]);
    g_string_append(h, ndim == 1 ? ",), }" : "), }");
    while ((10 + h->len + 1) % 64) g_string_append_c(h, ' ');
    g_string_append_c(h, '\n');
    const char pre[10] = {
        '\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0, (char)(h->len & 0xff), (char)(h->len >> 8)};
    g_string_append_len(out, pre, 10);
    g_string_append_len(out, h->str, (gssize)h->len);
    g_string_free(h, TRUE);
}

static GByteArray *encode(const char *descr, int ndim, const uint64_t *shape, uint64_t *count)
{
    GString *h = g_string_new(NULL);
    lk_npy_put_header(h, descr, ndim, shape);
    *count = 1;
    for (int i = 0; i < ndim; i++) *count *= shape[i];
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *)h->str, (guint)h->len);
    g_string_free(h, TRUE);
    return b;
}

GByteArray *lk_npy_encode_f64(int ndim, const uint64_t *shape, const double *data, bool f32)
{
    uint64_t n;
    GByteArray *b = encode(f32 ? "<f4" : "<f8", ndim, shape, &n);
    for (uint64_t i = 0; i < n; i++) { /* little-endian host */
        const float f = (float)data[i];
        g_byte_array_append(b, f32 ? (const guint8 *)&f : (const guint8 *)&data[i], f32 ? 4 : 8);
    }
    return b;
}

GByteArray *lk_npy_encode_i32(int ndim, const uint64_t *shape, const int32_t *data)
{
    uint64_t n;
    GByteArray *b = encode("<i4", ndim, shape, &n);
    g_byte_array_append(b, (const guint8 *)data, (guint)(n * 4));
    return b;
}

static void le16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

void lk_zip_local_header(uint8_t out[30], size_t name_len, uint32_t crc, uint32_t size)
{
    memset(out, 0, 30);
    le32(out, 0x04034b50);
    le16(out + 4, 20);
    le32(out + 14, crc);
    le32(out + 18, size);
    le32(out + 22, size);
    le16(out + 26, (uint32_t)name_len);
}

void lk_zip_central_entry(uint8_t out[46], size_t name_len, uint32_t crc, uint32_t size,
                          uint32_t offset)
{
    memset(out, 0, 46);
    le32(out, 0x02014b50);
    le16(out + 4, 20);
    le16(out + 6, 20);
    le32(out + 16, crc);
    le32(out + 20, size);
    le32(out + 24, size);
    le16(out + 28, (uint32_t)name_len);
    le32(out + 42, offset);
}

void lk_zip_end_record(uint8_t out[22], uint32_t members, uint32_t cd_size, uint32_t cd_start)
{
    memset(out, 0, 22);
    le32(out, 0x06054b50);
    le16(out + 8, members);
    le16(out + 10, members);
    le32(out + 12, cd_size);
    le32(out + 16, cd_start);
}

bool lk_npz_write(const char *path, guint n, const char *const *names, GByteArray *const *members,
                  GError **error)
{
    g_return_val_if_fail(path != NULL, false);
    GByteArray *z = g_byte_array_new(), *cd = g_byte_array_new();
    bool ok = true;
    for (guint i = 0; i < n && ok; i++) {
        g_autofree char *name = g_strconcat(names[i], ".npy", NULL);
        const size_t nl = strlen(name);
        ok = members[i]->len < 0xFFFFFFF0u && z->len < 0xFFFFFFF0u - members[i]->len - 100 - nl;
        if (!ok) break;
        const uint32_t crc = (uint32_t)crc32(0L, members[i]->data, members[i]->len);
        uint8_t lh[30], ch[46];
        lk_zip_central_entry(ch, nl, crc, members[i]->len, z->len);
        lk_zip_local_header(lh, nl, crc, members[i]->len);
        g_byte_array_append(z, lh, 30);
        g_byte_array_append(z, (const guint8 *)name, (guint)nl);
        g_byte_array_append(z, members[i]->data, members[i]->len);
        g_byte_array_append(cd, ch, 46);
        g_byte_array_append(cd, (const guint8 *)name, (guint)nl);
    }
    ok = ok && (uint64_t)z->len + cd->len + 22 < 0xFFFFFFFFull;
    if (!ok) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT, "%s: over 4 GiB does not fit a plain .npz",
                    path);
    } else {
        uint8_t eo[22];
        lk_zip_end_record(eo, n, cd->len, z->len);
        g_byte_array_append(z, cd->data, cd->len);
        g_byte_array_append(z, eo, 22);
        ok = lk_atomic_write(path, z->data, z->len, error);
    }
    g_byte_array_unref(z);
    g_byte_array_unref(cd);
    return ok;
}
