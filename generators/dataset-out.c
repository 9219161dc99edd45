/* Dataset output files: buffered, hashed, written whole (see dataset-private.h). */
#include "generators/dataset-private.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

/* ---- output files: buffered, hashed, atomically renamed ----
 *
 * Threaded, each file has a writer thread: a full buffer goes to it, and it
 * hashes and writes the buffer while the generator fills the file's second
 * buffers (SPARES in all); one thread per file keeps its buffers in order. */

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
void lk_out_sync_async(Out *o)
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

bool lk_out_open(Out *o, const char *dir, const char *name, int flags, LkChecksum algo,
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

bool lk_out_flush(Out *o)
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
void lk_out_drain(Out *o)
{
    if (!o->pool) return;
    g_thread_pool_free(o->pool, FALSE, TRUE); /* runs the queued jobs, then returns */
    o->pool = NULL;
    for (int i = 1; i < SPARES; i++) g_aligned_free(g_async_queue_pop(o->spare));
}

void lk_out_discard(Out *o)
{
    lk_out_drain(o);
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
bool lk_out_finish(Out *o, bool keep_tmp, GError **error)
{
    uint8_t md[32];
    gsize mdlen = sizeof md;
    bool ok = lk_out_flush(o);
    lk_out_drain(o);
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
