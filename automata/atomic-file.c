/* Atomic file writes: temporary + fsync + rename (see atomic-file.h). */
#include "automata/atomic-file.h"
#include "automata/error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The temporaries open now, for the signal handler: a fixed table of
 * pointers it may read at any moment (registered under a lock). */
enum { MAX_TEMPS = 256 };
static char *volatile temps[MAX_TEMPS];
G_LOCK_DEFINE_STATIC(temps);

static void temp_register(char *path)
{
    G_LOCK(temps);
    for (int i = 0; i < MAX_TEMPS; i++)
        if (!temps[i]) {
            temps[i] = path;
            break;
        }
    G_UNLOCK(temps);
}

static void temp_unregister(const char *path)
{
    G_LOCK(temps);
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temps[i] == path) temps[i] = NULL;
    G_UNLOCK(temps);
}

void lk_atomic_remove_temporaries(void)
{
    for (int i = 0; i < MAX_TEMPS; i++) {
        char *p = temps[i];
        if (p) unlink(p);
    }
}

static void on_signal(int sig)
{
    lk_atomic_remove_temporaries();
    signal(sig, SIG_DFL);
    raise(sig);
}

void lk_atomic_cleanup_on_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

bool lk_atomic_open(LkAtomicFile *f, const char *path, GError **error)
{
    g_return_val_if_fail(f != NULL, false);
    memset(f, 0, sizeof *f);
    f->fd = -1;
    g_autofree char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    g_autofree char *name = g_strdup_printf(".%s.tmp-XXXXXX", base);
    char *tmp = g_build_filename(dir, name, NULL);
    const int fd = g_mkstemp(tmp);
    if (fd < 0) {
        const int e = errno;
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write %s: %s", path, g_strerror(e));
        g_free(tmp);
        return false;
    }
    const mode_t mask = umask(022); /* the mode a plain create would give */
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    f->fd = fd;
    f->path = g_strdup(path);
    f->tmp = tmp;
    temp_register(tmp);
    return true;
}

bool lk_atomic_put(LkAtomicFile *f, const void *data, size_t len)
{
    g_return_val_if_fail(f != NULL, false);
    const char *p = data;
    while (len) {
        const ssize_t w = write(f->fd, p, MIN(len, (size_t)1 << 30));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = ENOSPC;
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

static void release(LkAtomicFile *f)
{
    if (f->tmp) {
        temp_unregister(f->tmp);
        g_free(f->tmp);
    }
    g_free(f->path);
    f->tmp = f->path = NULL;
    f->fd = -1;
}

bool lk_atomic_close(LkAtomicFile *f)
{
    g_return_val_if_fail(f != NULL, false);
    const bool ok = f->fd < 0 || close(f->fd) == 0;
    f->fd = -1;
    return ok;
}

bool lk_atomic_commit(LkAtomicFile *f, GError **error)
{
    g_return_val_if_fail(f != NULL, false);
    bool ok = f->tmp != NULL;
    if (f->fd >= 0) {
        ok = ok && fsync(f->fd) == 0;
        ok = close(f->fd) == 0 && ok;
        f->fd = -1;
    }
    ok = ok && rename(f->tmp, f->path) == 0;
    if (!ok) {
        const int e = errno;
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write %s: %s", f->path, g_strerror(e));
        if (f->tmp) unlink(f->tmp);
    }
    release(f);
    return ok;
}

void lk_atomic_abort(LkAtomicFile *f)
{
    g_return_if_fail(f != NULL);
    if (f->fd >= 0) close(f->fd);
    if (f->tmp) unlink(f->tmp);
    release(f);
}

bool lk_atomic_write(const char *path, const void *data, size_t len, GError **error)
{
    g_return_val_if_fail(path != NULL, false);
    LkAtomicFile f;
    if (!lk_atomic_open(&f, path, error)) return false;
    if (!lk_atomic_put(&f, data, len)) {
        const int e = errno;
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write %s: %s", path, g_strerror(e));
        lk_atomic_abort(&f);
        return false;
    }
    return lk_atomic_commit(&f, error);
}
