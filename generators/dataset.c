/* Datasets: the example loop, the writers and the manifest (see dataset.h).
 *
 * Cost: O(total tokens) to draw (member: O(tokens * k) big-integer
 * comparisons) plus the bytes written; memory O(W) besides a 1 MiB buffer per
 * file, and 16 bytes per example with de-duplication. Files are hashed as
 * they are written: XXH3-128 (libxxhash, ~20 GB/s) by default, or SHA-256
 * on request (GLib's, ~0.26 GB/s here: it dominates the time of large
 * files; OpenSSL's with the CPU's SHA instructions reaches ~1.3 GB/s, but
 * loading libcrypto alone adds a millisecond to every lrnnkit command).
 */
#include "generators/dataset.h"
#include "automata/atomic-file.h"
#include "automata/json-util.h"
#include "automata/npy.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <math.h>
#include <xxhash.h>
#include <zlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { BUF = 1 << 20, SPARES = 4, ALIGN = 4096, IGNORE = -100 };

bool lk_format_parse(const char *name, LkFormat *out)
{
    g_return_val_if_fail(name != NULL, false);
    static const char *names[] = {"jsonl", "csv", "npy", "npz"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *out = (LkFormat)i;
            return true;
        }
    return false;
}

bool lk_checksum_parse(const char *name, LkChecksum *out)
{
    g_return_val_if_fail(name != NULL, false);
    if (!strcmp(name, "xxh128"))
        *out = LK_CHECKSUM_XXH128;
    else if (!strcmp(name, "sha256"))
        *out = LK_CHECKSUM_SHA256;
    else
        return false;
    return true;
}

const char *lk_checksum_name(LkChecksum c)
{
    return c == LK_CHECKSUM_SHA256 ? "sha256" : "xxh128";
}

const char *lk_format_name(LkFormat f)
{
    static const char *names[] = {"jsonl", "csv", "npy", "npz"};
    return names[f];
}

bool lk_split_parse(const char *text, LkSplit *out, GError **error)
{
    g_return_val_if_fail(text != NULL, false);
    memset(out, 0, sizeof *out);
    g_auto(GStrv) p = g_strsplit(text, ":", -1);
    unsigned long long lo, hi, count;
    char tail;
    bool ok = g_strv_length(p) == 3 && p[0][0] && strlen(p[0]) <= 64;
    for (const char *c = p[0]; ok && *c; c++) ok = g_ascii_isalnum(*c) || *c == '_' || *c == '-';
    if (ok && sscanf(p[1], "%llu-%llu%c", &lo, &hi, &tail) != 2) {
        ok = sscanf(p[1], "%llu%c", &lo, &tail) == 1;
        hi = lo;
    }
    ok = ok && sscanf(p[2], "%llu%c", &count, &tail) == 1 && p[1][0] != '-' && p[2][0] != '-';
    if (!ok || lo < 1 || hi < lo || hi > 1000000 || count > (1ull << 40)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "bad split '%s': expected NAME:MINLEN-MAXLEN:COUNT with a name of letters, "
                    "digits, _ or -, 1 <= MINLEN <= MAXLEN <= 1000000",
                    text);
        return false;
    }
    out->name = g_strdup(p[0]);
    out->min_len = (uint32_t)lo;
    out->max_len = (uint32_t)hi;
    out->count = count;
    return true;
}

void lk_split_clear(LkSplit *s)
{
    g_free(s->name);
    s->name = NULL;
}

/* ---- output files: buffered, hashed, atomically renamed ----
 *
 * Threaded, each file has a writer thread: a full buffer goes to it, and it
 * hashes and writes the buffer while the generator fills the file's second
 * buffers (SPARES in all); one thread per file keeps its buffers in order. */

typedef struct {
    LkAtomicFile af; /* the final path, written under a temporary name */
    char *name;      /* the name in the manifest */
    uint8_t *buf;
    size_t len;
    uint64_t bytes;
    LkChecksum algo;
    GChecksum *sha;     /* sha256 */
    XXH3_state_t *xxh;  /* xxh128 */
    GThreadPool *pool;  /* NULL: synchronous */
    GAsyncQueue *spare; /* buffers back from the pool */
    int failed;         /* errno of a failed write (atomic) */
    bool direct;        /* O_DIRECT: whole aligned buffers straight to the device */
    bool want_crc;      /* .npz members: the zip CRC-32 as well */
    uint32_t crc;
    char hex[65];
} Out;

typedef struct {
    Out *o;
    uint8_t *data;
    size_t len;
} Job;

/* With O_DIRECT every write but the last is whole aligned buffers; the last
 * may be any length, so the file goes back to buffered writes for it. */
static int write_out(Out *o, const uint8_t *p, size_t n);
static void digest_update(Out *o, const void *p, size_t n);

static int write_all(int fd, const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, p + off, n - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : EIO;
        off += (size_t)w;
    }
    return 0;
}

enum { WRITEBACK = 16 << 20 };

/* Hashes and writes a buffer, starting the disk writeback of every 16 MiB
 * so that the final fsync does not wait for all of it; a job without data
 * is the final fsync. */
static void job_run(gpointer data, gpointer user)
{
    Job *j = data;
    Out *o = j->o;
    if (!j->data) {
        if (!g_atomic_int_get(&o->failed) && fsync(o->af.fd) != 0)
            g_atomic_int_set(&o->failed, errno ? errno : EIO);
        g_free(j);
        return;
    }
    if (!g_atomic_int_get(&o->failed)) {
        digest_update(o, j->data, j->len);
        int e = write_out(o, j->data, j->len);
        if (e) g_atomic_int_set(&o->failed, e);
        if (!o->direct && o->bytes / WRITEBACK != (o->bytes + j->len) / WRITEBACK)
            sync_file_range(o->af.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        o->bytes += j->len;
    }
    g_async_queue_push(o->spare, j->data);
    g_free(j);
}

/* Queues the final fsync of a threaded file (after its last buffer). */
static void out_sync_async(Out *o)
{
    if (!o->pool) return;
    Job *j = g_new(Job, 1);
    *j = (Job){o, NULL, 0};
    g_thread_pool_push(o->pool, j, NULL);
}

static void digest_update(Out *o, const void *p, size_t n)
{
    if (o->want_crc) o->crc = (uint32_t)crc32_z(o->crc, p, n); /* zlib's zip CRC */
    if (o->sha)
        g_checksum_update(o->sha, p, (gssize)n);
    else
        XXH3_128bits_update(o->xxh, p, n);
}

static int write_out(Out *o, const uint8_t *p, size_t n)
{
    if (o->direct && n % ALIGN) {
        int fl = fcntl(o->af.fd, F_GETFL);
        if (fl == -1 || fcntl(o->af.fd, F_SETFL, fl & ~O_DIRECT) == -1) return errno;
        o->direct = false;
    }
    return write_all(o->af.fd, p, n);
}

enum { OUT_THREADED = 1, OUT_DIRECT = 2, OUT_CRC = 4 };

static bool out_open(Out *o, const char *dir, const char *name, int flags, LkChecksum algo,
                     GError **error)
{
    const bool threaded = flags & OUT_THREADED;
    memset(o, 0, sizeof *o);
    o->af.fd = -1;
    o->name = g_strdup(name);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (!lk_atomic_open(&o->af, path, error)) return false;
    if (flags & OUT_DIRECT) { /* where the file system allows (not tmpfs) */
        int fl = fcntl(o->af.fd, F_GETFL);
        o->direct = fl != -1 && fcntl(o->af.fd, F_SETFL, fl | O_DIRECT) == 0;
    }
    o->buf = g_aligned_alloc(BUF, 1, ALIGN);
    o->algo = algo;
    o->want_crc = flags & OUT_CRC;
    if (algo == LK_CHECKSUM_SHA256) {
        o->sha = g_checksum_new(G_CHECKSUM_SHA256);
    } else {
        o->xxh = XXH3_createState();
        XXH3_128bits_reset(o->xxh);
    }
    o->spare = g_async_queue_new();
    if (threaded) { /* one thread per file keeps its buffers in order */
        o->pool = g_thread_pool_new(job_run, NULL, 1, FALSE, NULL);
        for (int i = 1; i < SPARES; i++)
            g_async_queue_push(o->spare, g_aligned_alloc(BUF, 1, ALIGN));
    }
    return true;
}

static bool out_flush(Out *o)
{
    if (o->pool) {
        Job *j = g_new(Job, 1);
        *j = (Job){o, o->buf, o->len};
        g_thread_pool_push(o->pool, j, NULL);
        o->buf = g_async_queue_pop(o->spare);
        o->len = 0;
        const int e = g_atomic_int_get(&o->failed); /* the writer thread's errno */
        if (e) errno = e;
        return !e;
    }
    digest_update(o, o->buf, o->len);
    int e = write_out(o, o->buf, o->len);
    if (e) errno = e;
    o->bytes += o->len;
    o->len = 0;
    return e == 0;
}

/* Waits until the pool has written every buffer of o. */
static void out_drain(Out *o)
{
    if (!o->pool) return;
    g_thread_pool_free(o->pool, FALSE, TRUE); /* runs the queued jobs, then returns */
    o->pool = NULL;
    for (int i = 1; i < SPARES; i++) g_aligned_free(g_async_queue_pop(o->spare));
}

static inline bool out_put(Out *o, const void *data, size_t n)
{
    const uint8_t *p = data;
    while (o->len + n > BUF) { /* fill the buffer, flush, go on */
        size_t room = BUF - o->len;
        memcpy(o->buf + o->len, p, room);
        o->len = BUF;
        p += room;
        n -= room;
        if (!out_flush(o)) return false;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    return true;
}

/* Room for n more bytes in the buffer (n <= BUF); NULL on a write error. */
static inline uint8_t *out_reserve(Out *o, size_t n)
{
    if (o->len + n > BUF && !out_flush(o)) return NULL;
    return o->buf + o->len;
}

static void out_discard(Out *o)
{
    out_drain(o);
    lk_atomic_abort(&o->af); /* nothing left to do after a commit */
    g_free(o->name);
    g_aligned_free(o->buf);
    if (o->sha) g_checksum_free(o->sha);
    if (o->xxh) XXH3_freeState(o->xxh);
    if (o->spare) g_async_queue_unref(o->spare);
    memset(o, 0, sizeof *o);
    o->af.fd = -1;
}

/* Flushes and waits for the pool, then syncs and renames to the final name
 * (unless keep_tmp) and computes the digest. */
static bool out_finish(Out *o, bool keep_tmp, GError **error)
{
    uint8_t md[32];
    gsize mdlen = sizeof md;
    bool ok = out_flush(o);
    out_drain(o);
    int e = g_atomic_int_get(&o->failed);
    ok = ok && !e;
    if (!ok || (keep_tmp && !lk_atomic_close(&o->af))) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write %s: %s", o->af.path,
                    g_strerror(e ? e : errno));
        return false;
    }
    if (!keep_tmp && !lk_atomic_commit(&o->af, error)) return false;
    if (o->sha) {
        g_checksum_get_digest(o->sha, md, &mdlen);
    } else { /* the canonical (big-endian) form, as xxhsum -H2 prints it */
        XXH128_canonical_t c;
        XXH128_canonicalFromHash(&c, XXH3_128bits_digest(o->xxh));
        memcpy(md, c.digest, 16);
        mdlen = 16;
    }
    for (gsize i = 0; i < mdlen; i++) g_snprintf(o->hex + 2 * i, 3, "%02x", md[i]);
    return true;
}

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
static bool put_list(Out *o, const int32_t *x, uint32_t n, bool json)
{
    for (uint32_t i = 0; i < n; i += 4096) { /* at most 4096 * 13 bytes at a time */
        const uint32_t m = MIN(n - i, 4096);
        uint8_t *p = out_reserve(o, (size_t)m * 13 + 2), *s = p;
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
    if (json && n == 0) return out_put(o, "[]", 2);
    return true;
}

/* NumPy .npy version 1.0 header for a C-order array. */
static bool put_npy_header(Out *o, const char *descr, uint64_t rows, uint64_t cols, bool two_d)
{
    GString *h = g_string_new(NULL);
    const uint64_t shape[2] = {rows, cols};
    lk_npy_put_header(h, descr, two_d ? 2 : 1, shape);
    bool ok = out_put(o, h->str, h->len);
    g_string_free(h, TRUE);
    return ok;
}

/* ---- .npz: a zip of stored (uncompressed) .npy members ---- */

/* Appends the members (complete, closed temporary files whose CRC-32 their
 * writers computed) to the zip, then the central directory. Sizes must fit
 * in 32 bits (no zip64). */
static bool npz_assemble(Out *z, Out *parts, char **members, int n, GError **error)
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
        ok = ok && out_put(z, lh, 30) && out_put(z, members[i], strlen(members[i]));
        if (ok) rewind(f);
        while (ok && (r = fread(chunk, 1, BUF, f)) > 0) ok = out_put(z, chunk, r);
        if (f) fclose(f);
    }
    uint64_t cd_start = z->bytes + z->len;
    for (int i = 0; i < n && ok; i++) {
        uint8_t ch[46];
        lk_zip_central_entry(ch, strlen(members[i]), crc[i], size[i], offset[i]);
        ok = out_put(z, ch, 46) && out_put(z, members[i], strlen(members[i]));
    }
    uint64_t cd_end = z->bytes + z->len;
    if (ok && cd_end >= 0xFFFFFFFFull) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "over 4 GiB does not fit a plain .npz; use --format npy");
        ok = false;
    }
    uint8_t eo[22];
    lk_zip_end_record(eo, (uint32_t)n, (uint32_t)(cd_end - cd_start), (uint32_t)cd_start);
    ok = ok && out_put(z, eo, 22);
    g_free(chunk);
    if (!ok && error && !*error)
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write %s", z->af.path);
    return ok;
}

/* ---- lengths ---- */

typedef struct {
    uint32_t n;
    uint32_t *len;
    double *cum; /* cumulative weights */
} LengthTable;

static bool length_table(const LkTask *t, const LkSplit *s, uint32_t cls, LkLengthDist dist,
                         LengthTable *out, GError **error)
{
    out->len = g_new(uint32_t, s->max_len - s->min_len + 1);
    out->cum = g_new(double, s->max_len - s->min_len + 1);
    out->n = 0;
    double top = -INFINITY, acc = 0;
    for (uint32_t l = s->min_len; l <= s->max_len; l++)
        top = fmax(top, lk_task_log_count(t, cls, l));
    for (uint32_t l = s->min_len; l <= s->max_len; l++) {
        double lc = lk_task_log_count(t, cls, l);
        if (lc == -INFINITY) continue;
        acc += dist == LK_LENGTHS_WORDS ? exp(lc - top) : 1.0;
        out->len[out->n] = l;
        out->cum[out->n++] = acc;
    }
    if (!out->n) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "split '%s': the task has no %sinputs of lengths %u-%u", s->name,
                    lk_task_classes(t) > 1 ? (cls ? "accepted " : "rejected ") : "", s->min_len,
                    s->max_len);
        return false;
    }
    return true;
}

static uint32_t draw_length(const LengthTable *lt, LkRng *rng)
{
    if (lt->n == 1) return lt->len[0];
    const double u = lk_rng_double(rng) * lt->cum[lt->n - 1];
    uint32_t lo = 0, hi = lt->n - 1; /* the first with cum > u */
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (lt->cum[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lt->len[lo];
}

/* ---- de-duplication: 128-bit fingerprints in an open-addressing set ---- */

typedef struct {
    uint64_t *keys; /* pairs; (0, 0) empty */
    uint64_t cap, used;
} Seen;

static void fingerprint(const int32_t *tok, uint32_t len, uint64_t fp[2])
{
    uint64_t a = 0x243F6A8885A308D3ull ^ len, b = 0x13198A2E03707344ull + len;
    for (uint32_t i = 0; i < len; i++) {
        a = (a ^ (uint32_t)tok[i]) * 0x100000001B3ull;
        a ^= a >> 29;
        b = (b + (uint32_t)tok[i] + 1) * 0x9E3779B97F4A7C15ull;
        b ^= b >> 31;
    }
    fp[0] = a | 1; /* never (0, 0) */
    fp[1] = b;
}

/* Adds fp; false when it was there. */
static bool seen_add(Seen *s, const uint64_t fp[2])
{
    if (2 * (s->used + 1) > s->cap) {
        Seen g = {g_new0(uint64_t, 2 * MAX(s->cap * 2, 1024)), MAX(s->cap * 2, 1024), 0};
        for (uint64_t i = 0; i < s->cap; i++)
            if (s->keys[2 * i]) seen_add(&g, s->keys + 2 * i);
        g_free(s->keys);
        *s = g;
    }
    for (uint64_t h = (fp[0] ^ fp[1] * 0xD6E8FEB86659FD93ull) & (s->cap - 1);;
         h = (h + 1) & (s->cap - 1)) {
        if (!s->keys[2 * h]) {
            s->keys[2 * h] = fp[0];
            s->keys[2 * h + 1] = fp[1];
            s->used++;
            return true;
        }
        if (s->keys[2 * h] == fp[0] && s->keys[2 * h + 1] == fp[1]) return false;
    }
}

/* ---- the writers of one split ---- */

typedef struct {
    const LkDatasetSpec *spec;
    const LkTask *task;
    const LkSplit *split;
    Out out[4]; /* jsonl/csv: one; npy/npz: tokens, labels, lengths, mask */
    int n_out;
    int32_t *row; /* W int32 */
    uint8_t *mrow;
} Writer;

static const char *NPY_MEMBERS[] = {"tokens", "labels", "lengths", "mask"};

static char *file_name(const LkDatasetSpec *spec, const char *split, const char *what,
                       const char *ext)
{
    g_autofree char *shard = spec->n_shards > 1
                                 ? g_strdup_printf("-%05u-of-%05u", spec->shard, spec->n_shards)
                                 : g_strdup("");
    return what ? g_strdup_printf("%s.%s%s.%s", split, what, shard, ext)
                : g_strdup_printf("%s%s.%s", split, shard, ext);
}

static bool writer_open(Writer *w, uint64_t rows, GError **error)
{
    const LkDatasetSpec *spec = w->spec;
    const uint32_t W = w->split->max_len;
    for (int i = 0; i < 4; i++) w->out[i].af.fd = -1;
    if (spec->format == LK_FORMAT_JSONL || spec->format == LK_FORMAT_CSV) {
        const bool csv = spec->format == LK_FORMAT_CSV;
        g_autofree char *name = file_name(spec, w->split->name, NULL, csv ? "csv" : "jsonl");
        w->n_out = 1;
        if (!out_open(&w->out[0], spec->dir, name, OUT_THREADED, spec->checksum, error))
            return false;
        if (csv && spec->shard == 0) return out_put(&w->out[0], "input,target\n", 13);
        return true;
    }
    w->n_out = spec->prefix_labels ? 4 : 3;
    for (int i = 0; i < w->n_out; i++) {
        g_autofree char *name = spec->format == LK_FORMAT_NPZ
                                    ? g_strdup_printf("%s.%s.npy", w->split->name, NPY_MEMBERS[i])
                                    : file_name(spec, w->split->name, NPY_MEMBERS[i], "npy");
        const int flags = OUT_THREADED | (spec->format == LK_FORMAT_NPZ ? OUT_CRC : OUT_DIRECT);
        if (!out_open(&w->out[i], spec->dir, name, flags, spec->checksum, error)) return false;
    }
    w->row = g_new(int32_t, W + 1);
    w->mrow = g_new(uint8_t, W + 1);
    return put_npy_header(&w->out[0], "<i4", rows, W, true) &&
           put_npy_header(&w->out[1], "<i4", rows, W, spec->prefix_labels) &&
           put_npy_header(&w->out[2], "<i4", rows, 0, false) &&
           (w->n_out < 4 || put_npy_header(&w->out[3], "|u1", rows, W, true));
}

static bool writer_put(Writer *w, const int32_t *tok, int32_t *lab, const uint8_t *mask,
                       uint32_t len)
{
    const LkDatasetSpec *spec = w->spec;
    const bool prefix = spec->prefix_labels;
    if (spec->format == LK_FORMAT_JSONL || spec->format == LK_FORMAT_CSV) {
        const bool json = spec->format == LK_FORMAT_JSONL;
        Out *o = &w->out[0];
        bool ok = (!json || out_put(o, "{\"input\": ", 10)) && put_list(o, tok, len, json) &&
                  out_put(o, json ? ", \"target\": " : ",", json ? 12 : 1);
        if (prefix)
            ok = ok && put_list(o, lab, len, json);
        else
            ok = ok && put_list(o, lab + len - 1, 1, false);
        return ok && out_put(o, json ? "}\n" : "\n", json ? 2 : 1);
    }
    const uint32_t W = w->split->max_len;
    const int32_t pad = (int32_t)lk_alphabet_size(lk_task_vocabulary(w->task));
    memcpy(w->row, tok, sizeof(int32_t) * len);
    for (uint32_t i = len; i < W; i++) w->row[i] = pad;
    bool ok = out_put(&w->out[0], w->row, sizeof(int32_t) * W);
    if (prefix) {
        memcpy(w->row, lab, sizeof(int32_t) * len);
        for (uint32_t i = len; i < W; i++) w->row[i] = IGNORE;
        ok = ok && out_put(&w->out[1], w->row, sizeof(int32_t) * W);
        for (uint32_t i = 0; i < W; i++) w->mrow[i] = i < len && mask[i];
        ok = ok && out_put(&w->out[3], w->mrow, W);
    } else {
        ok = ok && out_put(&w->out[1], lab + len - 1, sizeof(int32_t));
    }
    int32_t l = (int32_t)len;
    return ok && out_put(&w->out[2], &l, sizeof l);
}

static void writer_discard(Writer *w)
{
    for (int i = 0; i < 4; i++)
        if (w->out[i].name) out_discard(&w->out[i]);
    g_free(w->row);
    g_free(w->mrow);
}

/* {"path": ..., "<checksum>": ..., "bytes": ...} of a finished file. */
static void append_file(GString *files, const Out *o)
{
    g_string_append_printf(
        files, "%s{\"path\": \"%s\", \"%s\": \"%s\", \"bytes\": %" G_GUINT64_FORMAT "}",
        files->len ? ", " : "", o->name, lk_checksum_name(o->algo), o->hex, o->bytes);
}

/* Finishes the files; appends {"path": ..., "<checksum>": ..., "bytes": ...}
 * of each to files. The members of an .npz stay temporary files. */
static bool writer_finish(Writer *w, GString *files, GError **error)
{
    const LkDatasetSpec *spec = w->spec;
    bool ok = true;
    for (int i = 0; i < w->n_out; i++) { /* the last buffers and the fsyncs, in parallel */
        if (!out_flush(&w->out[i])) g_atomic_int_set(&w->out[i].failed, errno ? errno : EIO);
        if (spec->format != LK_FORMAT_NPZ) out_sync_async(&w->out[i]); /* all at once */
    }
    for (int i = 0; i < w->n_out; i++) {
        out_drain(&w->out[i]); /* out_finish reports a failure */
    }
    if (spec->format != LK_FORMAT_NPZ) {
        for (int i = 0; i < w->n_out && ok; i++) ok = out_finish(&w->out[i], false, error);
        for (int i = 0; i < w->n_out && ok; i++) append_file(files, &w->out[i]);
        writer_discard(w);
        return ok;
    }
    char *members[4];
    for (int i = 0; i < w->n_out; i++) {
        ok = ok && out_finish(&w->out[i], true, error);
        members[i] = g_strdup_printf("%s.npy", NPY_MEMBERS[i]);
    }
    g_autofree char *name = file_name(spec, w->split->name, NULL, "npz");
    Out z;
    z.name = NULL;
    ok = ok && out_open(&z, spec->dir, name, 0, spec->checksum, error) &&
         npz_assemble(&z, w->out, members, w->n_out, error) && out_finish(&z, false, error);
    if (ok) append_file(files, &z);
    if (z.name) out_discard(&z);
    for (int i = 0; i < w->n_out; i++) g_free(members[i]);
    writer_discard(w); /* removes the members */
    return ok;
}

/* ---- the dataset ---- */

typedef struct {
    gint64 last;
    uint64_t done, total, tokens;
    gint64 start;
} Progress;

static void progress(const LkDatasetSpec *spec, Progress *p, const char *split, bool final)
{
    if (!spec->progress) return;
    gint64 now = g_get_monotonic_time();
    if (!final && now - p->last < 200000) return;
    p->last = now;
    double secs = (double)(now - p->start) / 1e6;
    fprintf(stderr,
            "\rgen: %s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " examples, %.1f M tokens/s ",
            split, p->done, p->total, secs > 0 ? (double)p->tokens / secs / 1e6 : 0.0);
    if (final) fputc('\n', stderr);
}

/* The file names a manifest lists (plain names only: nothing outside the
 * folder); empty when text is not a manifest. */
static GPtrArray *manifest_paths(const char *text)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(JsonParser) p = json_parser_new();
    if (!text || !lk_json_parse(p, text, -1, "", NULL)) return out;
    JsonNode *root = json_parser_get_root(p);
    if (!JSON_NODE_HOLDS_OBJECT(root)) return out;
    JsonObject *o = json_node_get_object(root);
    if (g_strcmp0(lk_json_string(o, "format"), "lrnnkit-dataset")) return out;
    JsonArray *splits = lk_json_array(o, "splits");
    for (guint s = 0; splits && s < json_array_get_length(splits); s++) {
        JsonNode *sn = json_array_get_element(splits, s);
        if (!JSON_NODE_HOLDS_OBJECT(sn)) continue;
        JsonObject *so = json_node_get_object(sn);
        JsonArray *files = lk_json_array(so, "files");
        for (guint f = 0; files && f < json_array_get_length(files); f++) {
            JsonNode *fn = json_array_get_element(files, f);
            if (!JSON_NODE_HOLDS_OBJECT(fn)) continue;
            const char *path = lk_json_string(json_node_get_object(fn), "path");
            if (path && *path && !strchr(path, '/') && strcmp(path, "..") && strcmp(path, "."))
                g_ptr_array_add(out, g_strdup(path));
        }
    }
    return out;
}

/* Where the drawn examples go: the files of a split (Writer) or arrays in
 * memory (lk_dataset_fill). begin before split s's rows (rows of them),
 * put for each row, end after them (tokens drawn in them). */
typedef struct {
    bool (*begin)(void *ctx, uint32_t s, uint64_t rows, GError **error);
    bool (*put)(void *ctx, const int32_t *tok, int32_t *lab, const uint8_t *mask, uint32_t len,
                GError **error);
    bool (*end)(void *ctx, uint32_t s, uint64_t first, uint64_t rows, uint64_t tokens,
                GError **error);
    void (*discard)(void *ctx);
} Sink;

/* Checks the spec's shards, split names and de-duplication's memory. */
static bool spec_check(const LkDatasetSpec *spec, GError **error)
{
    if (spec->n_shards < 1 || spec->shard >= spec->n_shards) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "bad shard %u/%u", spec->shard,
                    spec->n_shards);
        return false;
    }
    for (uint32_t i = 0; i < spec->n_splits; i++)
        for (uint32_t j = 0; j < i; j++)
            if (!strcmp(spec->splits[i].name, spec->splits[j].name)) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "split '%s' is given twice",
                            spec->splits[i].name);
                return false;
            }
    if (spec->dedup) { /* 16-byte fingerprints at load <= 1/2, and the copy when it grows */
        uint64_t examples = 0;
        for (uint32_t s = 0; s < spec->n_splits; s++) examples += spec->splits[s].count;
        const LkLimits given = {.max_memory = spec->max_memory};
        LkLimits lim;
        lk_limits_resolve(&lim, &given);
        if (!lk_limits_check_bytes(&lim, examples > UINT64_MAX / 96 ? UINT64_MAX : examples * 96,
                                   "de-duplicating the examples", error))
            return false;
    }
    return true;
}

/* Draws the spec's examples split by split (see dataset.h for the streams)
 * and hands this shard's to the sink. */
static bool draw_splits(const LkTask *task, const LkDatasetSpec *spec, const Sink *sink, void *ctx,
                        GError **error)
{
    const uint32_t classes = lk_task_classes(task);
    const uint64_t max_attempts = spec->max_attempts ? spec->max_attempts : 1000;
    LengthTable *lt = g_new0(LengthTable, (size_t)spec->n_splits * classes + 1);
    bool ok = true;
    for (uint32_t s = 0; s < spec->n_splits && ok; s++)
        for (uint32_t c = 0; c < classes && ok; c++)
            ok =
                length_table(task, &spec->splits[s], c, spec->lengths, &lt[s * classes + c], error);
    uint32_t W = 1;
    for (uint32_t s = 0; s < spec->n_splits; s++) W = MAX(W, spec->splits[s].max_len);
    int32_t *tok = g_new(int32_t, W), *lab = g_new(int32_t, W);
    uint8_t *mask = g_new(uint8_t, W);
    Seen seen = {0};
    Progress pr = {0, 0, 0, 0, g_get_monotonic_time()};
    for (uint32_t s = 0; s < spec->n_splits && ok; s++) {
        const LkSplit *sp = &spec->splits[s];
        const uint64_t lo = sp->count * spec->shard / spec->n_shards,
                       hi = sp->count * (spec->shard + 1) / spec->n_shards;
        LkRng r0, rng;
        lk_rng_init_stream(&r0, spec->seed, s);
        const uint64_t split_seed = lk_rng_next(&r0);
        ok = sink->begin(ctx, s, hi - lo, error);
        uint64_t tokens = 0;
        pr.done = 0;
        pr.total = hi - lo;
        /* with --dedup the examples of every shard of this split are drawn (only this
         * shard's are written), so that the inputs seen by the later splits, and hence
         * their draws, are those of the whole run */
        const uint64_t end = spec->dedup && s + 1 < spec->n_splits ? sp->count : hi;
        for (uint64_t j = spec->dedup ? 0 : lo; j < end && ok; j++) {
            lk_rng_init_stream(&rng, split_seed, j);
            const uint32_t cls = (uint32_t)(j % classes);
            uint32_t len;
            for (uint64_t attempt = 0;; attempt++) {
                len = draw_length(&lt[s * classes + cls], &rng);
                lk_task_draw(task, &rng, cls, len, tok, lab, mask);
                if (!spec->dedup) break;
                uint64_t fp[2];
                fingerprint(tok, len, fp);
                if (seen_add(&seen, fp)) break;
                if (attempt + 1 >= max_attempts) {
                    g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                                "split '%s': no new example after %" G_GUINT64_FORMAT
                                " draws (example %" G_GUINT64_FORMAT
                                "); are there that many distinct inputs? (raise --max-attempts)",
                                sp->name, max_attempts, j);
                    ok = false;
                    break;
                }
            }
            if (!ok || j < lo || j >= hi) continue;
            if (spec->prefix_labels && lk_task_masked(task))
                for (uint32_t i = 0; i < len; i++)
                    if (!mask[i]) lab[i] = IGNORE;
            ok = sink->put(ctx, tok, lab, mask, len, error);
            tokens += len;
            pr.tokens += len;
            pr.done++;
            if ((pr.done & 1023) == 0) progress(spec, &pr, sp->name, false);
        }
        if (!ok) {
            sink->discard(ctx);
            break;
        }
        progress(spec, &pr, sp->name, true);
        ok = sink->end(ctx, s, lo, hi - lo, tokens, error);
    }
    for (uint32_t i = 0; i < spec->n_splits * classes; i++) {
        g_free(lt[i].len);
        g_free(lt[i].cum);
    }
    g_free(lt);
    g_free(seen.keys);
    g_free(tok);
    g_free(lab);
    g_free(mask);
    return ok;
}

/* ---- the files' sink ---- */

typedef struct {
    const LkTask *task;
    const LkDatasetSpec *spec;
    Writer w;
    GString *splits_json;
} FileSink;

static bool file_begin(void *ctx, uint32_t s, uint64_t rows, GError **error)
{
    FileSink *f = ctx;
    f->w = (Writer){.spec = f->spec, .task = f->task, .split = &f->spec->splits[s]};
    return writer_open(&f->w, rows, error);
}

static bool file_put(void *ctx, const int32_t *tok, int32_t *lab, const uint8_t *mask, uint32_t len,
                     GError **error)
{
    FileSink *f = ctx;
    const bool ok = writer_put(&f->w, tok, lab, mask, len);
    if (!ok && error && !*error)
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write in %s: %s", f->spec->dir,
                    g_strerror(errno));
    return ok;
}

static bool file_end(void *ctx, uint32_t s, uint64_t first, uint64_t rows, uint64_t tokens,
                     GError **error)
{
    FileSink *f = ctx;
    const LkSplit *sp = &f->spec->splits[s];
    GString *files = g_string_new(NULL);
    const bool ok = writer_finish(&f->w, files, error);
    g_string_append_printf(f->splits_json,
                           "%s\n    {\"name\": \"%s\", \"min_len\": %u, \"max_len\": %u, "
                           "\"count\": %" G_GUINT64_FORMAT ", \"examples\": %" G_GUINT64_FORMAT
                           ", \"first_example\": %" G_GUINT64_FORMAT
                           ", \"tokens\": %" G_GUINT64_FORMAT ", \"files\": [%s]}",
                           s ? "," : "", sp->name, sp->min_len, sp->max_len, sp->count, rows, first,
                           tokens, files->str);
    g_string_free(files, TRUE);
    return ok;
}

static void file_discard(void *ctx)
{
    writer_discard(&((FileSink *)ctx)->w);
}

/* ---- the arrays' sink ---- */

typedef struct {
    const LkTask *task;
    const LkDatasetSpec *spec;
    LkExampleArrays *out;
    LkExampleArrays *cur;
    uint64_t row;
} ArraySink;

static bool array_begin(void *ctx, uint32_t s, uint64_t rows, GError **error)
{
    ArraySink *a = ctx;
    a->cur = &a->out[s];
    a->row = 0;
    if (rows != a->cur->rows || a->cur->width < a->spec->splits[s].max_len) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "split '%s': arrays of %" G_GUINT64_FORMAT
                    " rows of width %u for %" G_GUINT64_FORMAT " examples of lengths up to %u",
                    a->spec->splits[s].name, a->cur->rows, a->cur->width, rows,
                    a->spec->splits[s].max_len);
        return false;
    }
    return true;
}

static bool array_put(void *ctx, const int32_t *tok, int32_t *lab, const uint8_t *mask,
                      uint32_t len, GError **error)
{
    ArraySink *a = ctx;
    LkExampleArrays *o = a->cur;
    const uint32_t W = o->width;
    const int32_t pad = (int32_t)lk_alphabet_size(lk_task_vocabulary(a->task));
    int32_t *t = o->tokens + a->row * W;
    for (uint32_t i = 0; i < W; i++) t[i] = i < len ? tok[i] : pad;
    if (a->spec->prefix_labels) {
        int32_t *l = o->labels + a->row * W;
        for (uint32_t i = 0; i < W; i++) l[i] = i < len ? lab[i] : IGNORE;
        if (o->mask)
            for (uint32_t i = 0; i < W; i++) o->mask[a->row * W + i] = i < len && mask[i];
    } else {
        o->labels[a->row] = lab[len - 1];
    }
    o->lengths[a->row++] = (int32_t)len;
    return true;
}

static bool array_end(void *ctx, uint32_t s, uint64_t first, uint64_t rows, uint64_t tokens,
                      GError **error)
{
    return true;
}

static void array_discard(void *ctx) {}

bool lk_dataset_fill(const LkTask *task, const LkDatasetSpec *spec, LkExampleArrays *out,
                     GError **error)
{
    g_return_val_if_fail(task && spec && out, false);
    if (!spec_check(spec, error)) return false;
    ArraySink a = {task, spec, out, NULL, 0};
    static const Sink sink = {array_begin, array_put, array_end, array_discard};
    return draw_splits(task, spec, &sink, &a, error);
}

bool lk_dataset_write(const LkTask *task, const LkDatasetSpec *spec, GError **error)
{
    g_return_val_if_fail(task != NULL, false);
    if (!spec_check(spec, error)) return false;
    if (g_mkdir_with_parents(spec->dir, 0755) != 0) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot create %s: %s", spec->dir,
                    g_strerror(errno));
        return false;
    }
    GString *splits_json = g_string_new(NULL);
    FileSink f = {task, spec, {0}, splits_json};
    static const Sink sink = {file_begin, file_put, file_end, file_discard};
    bool ok = draw_splits(task, spec, &sink, &f, error);
    if (ok) { /* the manifest */
        const LkAlphabet *v = lk_task_vocabulary(task);
        GString *m =
            g_string_new("{\"format\": \"lrnnkit-dataset\", \"version\": 1,\n  \"task\": ");
        lk_json_append_string(m, lk_task_name(task));
        g_autofree char *params = lk_task_parameters_json(task);
        g_string_append_printf(m, ",\n  \"parameters\": %s,\n  \"vocabulary\": [", params);
        for (uint32_t a = 0; a < lk_alphabet_size(v); a++) {
            if (a) g_string_append(m, ", ");
            lk_json_append_string(m, lk_alphabet_name(v, a));
        }
        g_string_append_printf(m,
                               "],\n  \"pad_token\": %u,\n  \"labels\": {\"kind\": \"%s\", "
                               "\"ignore_index\": %d, \"names\": [",
                               lk_alphabet_size(v), spec->prefix_labels ? "prefix" : "final",
                               IGNORE);
        for (uint32_t l = 0; l < lk_task_n_labels(task); l++) {
            if (l) g_string_append(m, ", ");
            lk_json_append_string(m, lk_task_label_name(task, l));
        }
        g_string_append_printf(m, "]},\n  \"checksum\": \"%s\",", lk_checksum_name(spec->checksum));
        g_string_append_printf(m,
                               "\n  \"file_format\": \"%s\",\n  \"seed\": %" G_GUINT64_FORMAT
                               ",\n  \"prng\": \"xoshiro256** per example, seeded by "
                               "splitmix64 (lk_rng_init_stream)\",\n  \"lengths\": \"%s\",\n  "
                               "\"dedup\": %s,\n  \"shard\": [%u, %u],\n  \"command\": ",
                               lk_format_name(spec->format), spec->seed,
                               spec->lengths == LK_LENGTHS_WORDS ? "uniform over words"
                                                                 : "uniform over lengths",
                               spec->dedup ? "true" : "false", spec->shard, spec->n_shards);
        if (spec->command)
            lk_json_append_string(m, spec->command);
        else
            g_string_append(m, "null");
        g_string_append_printf(m, ",\n  \"splits\": [%s\n  ]}\n", splits_json->str);
        g_autofree char *name = spec->n_shards > 1 ? g_strdup_printf("manifest-%05u-of-%05u.json",
                                                                     spec->shard, spec->n_shards)
                                                   : g_strdup("manifest.json");
        /* a folder used before: the files its old manifest listed and this run does not write */
        g_autofree char *old_path = g_build_filename(spec->dir, name, NULL), *old_text = NULL;
        g_file_get_contents(old_path, &old_text, NULL, NULL);
        Out o;
        ok = out_open(&o, spec->dir, name, 0, spec->checksum, error) &&
             out_put(&o, m->str, m->len) && out_finish(&o, false, error);
        out_discard(&o);
        if (ok && old_text) {
            g_autoptr(GPtrArray) before = manifest_paths(old_text), now = manifest_paths(m->str);
            for (guint i = 0; i < before->len; i++) {
                bool kept = false;
                for (guint j = 0; j < now->len && !kept; j++)
                    kept = !strcmp(g_ptr_array_index(before, i), g_ptr_array_index(now, j));
                if (!kept) {
                    g_autofree char *stale =
                        g_build_filename(spec->dir, g_ptr_array_index(before, i), NULL);
                    unlink(stale);
                }
            }
        }
        g_string_free(m, TRUE);
    }
    g_string_free(splits_json, TRUE);
    return ok;
}
