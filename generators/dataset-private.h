/* Private parts of the dataset writer (generators/dataset*.c), one topic per
 * file:
 *   dataset-out.c       output files: buffered, hashed (XXH3-128 or SHA-256,
 *                       CRC-32 for zip members), written by a thread per file,
 *                       made whole by LkAtomicFile (automata/atomic-file.h)
 *   dataset-formats.c   JSON lines / CSV int lists, .npy headers, .npz archives
 *   dataset-lengths.c   length tables: lengths drawn uniformly or by word count
 *   dataset-dedup.c     de-duplication: 128-bit fingerprints in a hash set
 *   dataset.c           the split loop, the writers of a split, the manifest,
 *                       in-memory arrays (lk_dataset_fill)
 */
#pragma once

#include "generators/dataset.h"
#include "automata/atomic-file.h"
#include "automata/rng.h"

#include <string.h>
#include <xxhash.h>

G_BEGIN_DECLS

enum { BUF = 1 << 20, SPARES = 4, ALIGN = 4096 };

/* ---- dataset-out.c ---- */

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

enum { OUT_THREADED = 1, OUT_DIRECT = 2, OUT_CRC = 4 };

/* Opens dir/name for writing under a temporary name (flags: OUT_*). */
bool lk_out_open(Out *o, const char *dir, const char *name, int flags, LkChecksum algo,
                 GError **error);
/* Hands the full buffer to the writer (or writes it); false with errno. */
bool lk_out_flush(Out *o);
/* Waits until the writer thread has written every buffer of o. */
void lk_out_drain(Out *o);
/* Queues the final fsync of a threaded file (after its last buffer). */
void lk_out_sync_async(Out *o);
/* Removes the temporary and frees o. */
void lk_out_discard(Out *o);
/* Flushes and waits for the writer, then syncs and renames to the final
 * name (unless keep_tmp) and computes the digest (o->hex). */
bool lk_out_finish(Out *o, bool keep_tmp, GError **error);

static inline bool lk_out_put(Out *o, const void *data, size_t n)
{
    const uint8_t *p = data;
    while (o->len + n > BUF) { /* fill the buffer, flush, go on */
        size_t room = BUF - o->len;
        memcpy(o->buf + o->len, p, room);
        o->len = BUF;
        p += room;
        n -= room;
        if (!lk_out_flush(o)) return false;
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    return true;
}

/* Room for n more bytes in the buffer (n <= BUF); NULL on a write error. */
static inline uint8_t *lk_out_reserve(Out *o, size_t n)
{
    if (o->len + n > BUF && !lk_out_flush(o)) return NULL;
    return o->buf + o->len;
}

/* ---- dataset-formats.c ---- */

/* "a b c" (CSV) or "[a, b, c]" (JSON) of n ints into o. */
bool lk_put_list(Out *o, const int32_t *x, uint32_t n, bool json);
/* NumPy .npy version 1.0 header for a C-order array. */
bool lk_put_npy_header(Out *o, const char *descr, uint64_t rows, uint64_t cols, bool two_d);
/* The .npz archive z of n closed parts (temporary .npy files with their
 * CRC-32), stored, with the central directory; sizes below 4 GiB. */
bool lk_npz_assemble(Out *z, Out *parts, char **members, int n, GError **error);

/* ---- dataset-lengths.c ---- */

typedef struct {
    uint32_t n;
    uint32_t *len;
    double *cum; /* cumulative weights */
} LengthTable;

/* The lengths of split s the task has inputs of (class cls), weighted by
 * dist; LK_ERROR_INPUT when there are none. */
bool lk_length_table(const LkTask *t, const LkSplit *s, uint32_t cls, LkLengthDist dist,
                     LengthTable *out, GError **error);
/* A length drawn from the table (binary search on the cumulative weights). */
uint32_t lk_draw_length(const LengthTable *lt, LkRng *rng);

/* ---- dataset-dedup.c ---- */

typedef struct {
    uint64_t *keys; /* pairs; (0, 0) empty */
    uint64_t cap, used;
} Seen;

/* The 128-bit fingerprint of a token sequence (never (0, 0)). */
void lk_fingerprint(const int32_t *tok, uint32_t len, uint64_t fp[2]);
/* Adds fp; false when it was there. Amortized O(1). */
bool lk_seen_add(Seen *s, const uint64_t fp[2]);

G_END_DECLS
