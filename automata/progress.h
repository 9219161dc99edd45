/** @file
 * lrnnkit — progress of long computations, for a terminal.
 *
 * The library reports how far its long loops are (the monoid's elements,
 * the verifier's pairs, counts by length, the holonomy image set, the
 * theorem suites' models) through one process-wide reporter that the
 * command installs only when standard error is a terminal. Without a
 * reporter a report costs one atomic load; with one, the reporter runs at
 * most every 250 ms. Thread-safe.
 */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/** what: a short phrase ("monoid elements"); total 0: unknown. */
typedef void (*LkProgressFn)(const char *what, uint64_t done, uint64_t total);

/** Installs the process-wide reporter (NULL: none). */
void lk_progress_set(LkProgressFn fn);
/** Reports done of total; calls the reporter at most every 250 ms. */
void lk_progress(const char *what, uint64_t done, uint64_t total);

G_END_DECLS
