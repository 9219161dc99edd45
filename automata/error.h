/** @file
 * lrnnkit — errors shared by every module.
 *
 * Library calls report recoverable failures (bad input, files, limits) through
 * GError in the LK_ERROR domain. The code of an LK_ERROR is the process exit
 * code the CLI uses for it, so tools/ maps errors to exit codes without a table.
 * Programmer errors (NULL where a value is required) are g_return_val_if_fail.
 */
#pragma once

#include <glib.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/** Where in its input (a regex: line 1; a JSON text) an LK_ERROR happened,
 * when the parser knows: 1-based line and column in characters. Returns
 * false when the error has no location (then *line and *column are 0). */
bool lk_error_location(const GError *error, uint32_t *line, uint32_t *column);
/** Attaches a location to an LK_ERROR (parsers call it; copies keep it). */
void lk_error_set_location(GError *error, uint32_t line, uint32_t column);

/** The library's version ("MAJOR.MINOR.PATCH", static); the shared
 * library's soname carries MAJOR. */
const char *lk_version(void);

/** The error domain of every runtime failure of the library. */
#define LK_ERROR (lk_error_quark())
/** The quark behind LK_ERROR. */
GQuark lk_error_quark(void);

/** LK_ERROR codes; each is the command's exit code for it. */
typedef enum {
    LK_ERROR_INPUT = 2,    /**< bad usage or bad input: regex, file, option */
    LK_ERROR_LIMIT = 3,    /**< a resource limit (--max-states, ...) was hit */
    LK_ERROR_INTERNAL = 4, /**< a bug or an environment failure */
} LkErrorCode;

/** Sets *error to an LK_ERROR of code with the message "PREFIX: MESSAGE"
 * (prefix NULL: the message alone), MESSAGE formatted from fmt; nothing
 * when error is NULL or *error is set already (the first error is kept).
 * Returns false, for `return lk_error_set(...)`. Every "fail with a
 * formatted message" of the library goes through it. */
bool lk_error_set(GError **error, LkErrorCode code, const char *prefix, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/** lk_error_set with a va_list, for helpers that add a step of their own. */
bool lk_error_setv(GError **error, LkErrorCode code, const char *prefix, const char *fmt,
                   va_list ap) G_GNUC_PRINTF(4, 0);

/** Resource limits: every function whose work or memory can blow up takes
 * them as one `const LkLimits *` (NULL: every default) and fails with
 * LK_ERROR_LIMIT naming the bound it hit. A zero field means "use the
 * default"; each function reads the fields its construction can exhaust. */
typedef struct {
    uint64_t max_states;    /**< states of any DFA built (subset, product, cascade) */
    uint64_t max_positions; /**< positions of a Glushkov automaton (after {m,n}) */
    uint64_t max_elements;  /**< elements of a monoid */
    uint64_t max_memory;    /**< bytes a construction may plan to hold (estimated before it grows),
                             * and bytes of a file read into memory */
    uint64_t max_pairs;     /**< reachable (DFA state, model state) pairs of a verification */
    uint64_t max_images;    /**< holonomy: images in the extended image set */
    uint64_t max_steps;     /**< orbits: block steps (default per method: proofs/orbit.h) */
    uint64_t max_words;     /**< spectra of products: words examined */
    uint64_t max_dim;       /**< matrices read from files: a layer's dimension */
} LkLimits;

/** Default of LkLimits.max_states. */
#define LK_DEFAULT_MAX_STATES 1000000u
/** Default of LkLimits.max_positions. */
#define LK_DEFAULT_MAX_POSITIONS 1000000u
/** Default of LkLimits.max_elements. */
#define LK_DEFAULT_MAX_ELEMENTS 10000000u
/** Default of LkLimits.max_pairs. */
#define LK_DEFAULT_MAX_PAIRS 10000000u
/** Default of LkLimits.max_images. */
#define LK_DEFAULT_MAX_IMAGES 1000000u
/** Default of LkLimits.max_words. */
#define LK_DEFAULT_MAX_WORDS 100000u
/** Default of LkLimits.max_dim. */
#define LK_DEFAULT_MAX_DIM 4096u
/** The default of max_memory: half of the machine's physical memory. */
uint64_t lk_default_max_memory(void);

/** The whole file at path (new, NUL-terminated; *len its bytes if len is
 * not NULL), or NULL with LK_ERROR_INPUT carrying GLib's message (which
 * names the file): every reader of a file goes through it. */
char *lk_file_read(const char *path, gsize *len, GError **error);

/** *out = *in (NULL: zeros) with every zero field but max_steps set to its
 * default (max_steps' default depends on the orbit method). */
void lk_limits_resolve(LkLimits *out, const LkLimits *in);

/** How many items of per_item bytes a construction may make: max_count, or
 * fewer when lim->max_memory (resolved) binds first (then *by_memory is true). */
uint64_t lk_limits_items(const LkLimits *lim, uint64_t max_count, uint64_t per_item,
                         bool *by_memory);
/** The LK_ERROR_LIMIT error of a construction that passed `count` items
 * (`what`: "determinization", `items`: "states"): naming flag when the count
 * bound, --max-memory with the bytes when memory did. */
void lk_limit_error(GError **error, const char *what, uint64_t count, const char *items,
                    uint64_t per_item, bool by_memory, const char *flag);
/** LK_ERROR_LIMIT when `bytes`, estimated before a construction allocates,
 * pass lim->max_memory (resolved); what names the construction. */
bool lk_limits_check_bytes(const LkLimits *lim, uint64_t bytes, const char *what, GError **error);

G_END_DECLS
