/** @file
 * lrnnkit — files that appear whole or not at all.
 *
 * Every file lrnnkit writes (DFA, cascade and model files, weights, datasets,
 * reports, plots) is written under a hidden temporary name in the target's
 * own directory (.NAME.tmp-XXXXXX, so the rename stays on one file system),
 * synced, and renamed over the target. A write that fails (full disk,
 * read-only directory) or is interrupted leaves the target as it was: the
 * old good file, or none. The temporaries still open are listed for
 * lk_atomic_remove_temporaries, which a SIGINT/SIGTERM handler calls; after
 * SIGKILL or a power loss a hidden temporary may remain, never a partial
 * target.
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

G_BEGIN_DECLS

/** A file being written: the caller's struct, filled by lk_atomic_open. */
typedef struct {
    int fd;     /**< the temporary's descriptor (-1 once closed) */
    char *path; /**< the target */
    char *tmp;  /**< the temporary beside it (NULL once renamed or removed) */
} LkAtomicFile;

/** Creates the temporary (mode 0644) for path. LK_ERROR_INPUT naming the
 * directory when it cannot (missing, read-only, full). */
bool lk_atomic_open(LkAtomicFile *f, const char *path, GError **error);
/** Writes all of data to the temporary (retrying short writes and EINTR);
 * false with errno set. */
bool lk_atomic_put(LkAtomicFile *f, const void *data, size_t len);
/** Syncs and closes the temporary, then renames it over the target. On
 * failure (LK_ERROR_INPUT with the system's reason) the temporary is
 * removed and the target untouched. Frees f's strings either way. */
bool lk_atomic_commit(LkAtomicFile *f, GError **error);
/** Closes the temporary and keeps it (listed, not renamed): a part that a
 * later step reads back (lk_atomic_abort removes it). */
bool lk_atomic_close(LkAtomicFile *f);
/** Removes the temporary and frees f's strings; nothing when f is not open. */
void lk_atomic_abort(LkAtomicFile *f);
/** The whole file at once: open, put, commit. */
bool lk_atomic_write(const char *path, const void *data, size_t len, GError **error);
/** Unlinks every temporary still open; async-signal-safe (for handlers). */
void lk_atomic_remove_temporaries(void);
/** Installs SIGINT, SIGTERM and SIGHUP handlers that remove the temporaries
 * and then die of the signal as before. */
void lk_atomic_cleanup_on_signals(void);

G_END_DECLS
