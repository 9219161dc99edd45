/* lrnnkit — what the libFuzzer harnesses share.
 *
 * Each harness feeds the bytes of one input to one reader of outside bytes
 * (or to two implementations that must agree) under small limits, and
 * aborts when an invariant breaks; a clean rejection (a GError) is a pass.
 * Readers that take a path get the bytes in a file written once per input.
 */
#pragma once

#include "automata/error.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A critical or warning from GLib or json-glib (a g_return_if_fail reached
 * by input) is a bug as much as a crash: abort, so libFuzzer keeps the input. */
static void fuzz_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
    fprintf(stderr, "%s: %s\n", domain ? domain : "", msg);
    if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    g_log_set_default_handler(fuzz_log, NULL);
    return 0;
}

/* Aborts with a message: libFuzzer reports it as a crash, with the input. */
#define FUZZ_ASSERT(cond, ...)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz invariant broken: %s: ", #cond);                                 \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static char *fuzz_dir_path;

static void fuzz_dir_remove(void)
{
    GDir *d = g_dir_open(fuzz_dir_path, 0, NULL);
    for (const char *e; d && (e = g_dir_read_name(d));) {
        g_autofree char *f = g_build_filename(fuzz_dir_path, e, NULL);
        unlink(f);
    }
    if (d) g_dir_close(d);
    rmdir(fuzz_dir_path);
}

/* A directory of this process for files (created once, removed at exit), in
 * memory (/dev/shm) where the machine has it. */
static inline const char *fuzz_dir(void)
{
    char *dir = fuzz_dir_path;
    if (!dir) {
        char shm[] = "/dev/shm/lrnnkit-fuzz-XXXXXX";
        dir = access("/dev/shm", W_OK) == 0 && mkdtemp(shm)
                  ? g_strdup(shm)
                  : g_dir_make_tmp("lrnnkit-fuzz-XXXXXX", NULL);
        if (!dir) abort();
        fuzz_dir_path = dir;
        atexit(fuzz_dir_remove);
    }
    return dir;
}

/* Writes the bytes to fuzz_dir()/name (truncated first), without fsync
 * (GLib's g_file_set_contents syncs a file it replaces: the file-reading
 * harnesses ran at 200 inputs a second); returns the path (owned by the
 * caller). */
static inline char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    char *path = g_build_filename(fuzz_dir(), name, NULL);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) abort();
    return path;
}

/* A clean rejection: an input or limit error, never an internal one. */
static inline void fuzz_rejected(GError *err)
{
    FUZZ_ASSERT(err != NULL, "a reader failed without an error");
    FUZZ_ASSERT(err->domain == LK_ERROR &&
                    (err->code == LK_ERROR_INPUT || err->code == LK_ERROR_LIMIT),
                "%s (code %d)", err->message, err->code);
    g_error_free(err);
}
