/* Dataset file formats: JSON lines / CSV lists, .npy headers, .npz archives
 * (see dataset-private.h). */
#include "generators/dataset-private.h"
#include "automata/npy.h"

#include <stdio.h>

/* Decimal text of x (|x| < 10^10) at p; returns the length. */
static inline size_t put_int(uint8_t *p, int32_t x)
{
    if (x >= 0 && x < 10) {
        p[0] = (uint8_t)('0' + x);
        return 1;
    }
    char tmp[12];
    size_t n = 0, len = 0;
    uint32_t v = x < 0 ? (uint32_t)(-(int64_t)x) : (uint32_t)x;
    if (x < 0) p[len++] = '-';
    do tmp[n++] = (char)('0' + v % 10), v /= 10;
    while (v);
    while (n) p[len++] = (uint8_t)tmp[--n];
    return len;
}

/* "a b c" or "[a, b, c]" of n ints at the buffer. */
bool lk_put_list(Out *o, const int32_t *x, uint32_t n, bool json)
{
    for (uint32_t i = 0; i < n; i += 4096) { /* at most 4096 * 13 bytes at a time */
        const uint32_t m = MIN(n - i, 4096);
        uint8_t *p = lk_out_reserve(o, (size_t)m * 13 + 2), *s = p;
        if (!p) return false;
        if (json && i == 0) *p++ = '[';
        for (uint32_t j = 0; j < m; j++) {
            if (i + j) {
                if (json) *p++ = ',';
                *p++ = ' ';
            }
            p += put_int(p, x[i + j]);
        }
        if (json && i + m == n) *p++ = ']';
        o->len += (size_t)(p - s);
    }
    if (json && n == 0) return lk_out_put(o, "[]", 2);
    return true;
}

/* NumPy .npy version 1.0 header for a C-order array. */
bool lk_put_npy_header(Out *o, const char *descr, uint64_t rows, uint64_t cols, bool two_d)
{
    GString *h = g_string_new(NULL);
    const uint64_t shape[2] = {rows, cols};
    lk_npy_put_header(h, descr, two_d ? 2 : 1, shape);
    bool ok = lk_out_put(o, h->str, h->len);
    g_string_free(h, TRUE);
    return ok;
}

/* ---- .npz: a zip of stored (uncompressed) .npy members ---- */

/* Appends the members (complete, closed temporary files whose CRC-32 their
 * writers computed) to the zip, then the central directory. Sizes must fit
 * in 32 bits (no zip64). */
bool lk_npz_assemble(Out *z, Out *parts, char **members, int n, GError **error)
{
    uint32_t crc[8], size[8], offset[8];
    uint8_t *chunk = g_malloc(BUF);
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        FILE *f = fopen(parts[i].af.tmp, "rb");
        const uint64_t total = parts[i].bytes;
        size_t r;
        ok = f != NULL;
        if (ok && total >= 0xFFFFFFFFull) {
            g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                        "an array of over 4 GiB does not fit a plain .npz; use --format npy");
            fclose(f);
            ok = false;
            break;
        }
        crc[i] = parts[i].crc;
        size[i] = (uint32_t)total;
        offset[i] = (uint32_t)(z->bytes + z->len);
        uint8_t lh[30];
        lk_zip_local_header(lh, strlen(members[i]), crc[i], size[i]);
        ok = ok && lk_out_put(z, lh, 30) && lk_out_put(z, members[i], strlen(members[i]));
        if (ok) rewind(f);
        while (ok && (r = fread(chunk, 1, BUF, f)) > 0) ok = lk_out_put(z, chunk, r);
        if (f) fclose(f);
    }
    uint64_t cd_start = z->bytes + z->len;
    for (int i = 0; i < n && ok; i++) {
        uint8_t ch[46];
        lk_zip_central_entry(ch, strlen(members[i]), crc[i], size[i], offset[i]);
        ok = lk_out_put(z, ch, 46) && lk_out_put(z, members[i], strlen(members[i]));
    }
    uint64_t cd_end = z->bytes + z->len;
    if (ok && cd_end >= 0xFFFFFFFFull) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "over 4 GiB does not fit a plain .npz; use --format npy");
        ok = false;
    }
    uint8_t eo[22];
    lk_zip_end_record(eo, (uint32_t)n, (uint32_t)(cd_end - cd_start), (uint32_t)cd_start);
    ok = ok && lk_out_put(z, eo, 22);
    g_free(chunk);
    if (!ok && error && !*error)
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write %s", z->af.path);
    return ok;
}
