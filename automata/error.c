/* Error domain and limit defaults. */
#include "automata/error.h"
#include "lk-config.h"

#include <unistd.h>

/* LK_ERROR is an extended domain (GLib >= 2.68): its errors carry where in
 * the input they happened. */
typedef struct {
    uint32_t line, column;
} LkErrorPrivate;

static void lk_error_private_init(LkErrorPrivate *p)
{
    p->line = p->column = 0;
}

static void lk_error_private_copy(const LkErrorPrivate *src, LkErrorPrivate *dest)
{
    *dest = *src;
}

static void lk_error_private_clear(LkErrorPrivate *p) {}

G_DEFINE_EXTENDED_ERROR(LkError, lk_error)

void lk_error_set_location(GError *error, uint32_t line, uint32_t column)
{
    g_return_if_fail(error && error->domain == LK_ERROR);
    LkErrorPrivate *p = lk_error_get_private(error);
    p->line = line, p->column = column;
}

bool lk_error_location(const GError *error, uint32_t *line, uint32_t *column)
{
    if (!error || error->domain != LK_ERROR) return false;
    const LkErrorPrivate *p = lk_error_get_private(error);
    if (line) *line = p->line;
    if (column) *column = p->column;
    return p->column != 0;
}

uint64_t lk_default_max_memory(void)
{
    const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    return pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size / 2 : (4ull << 30);
}

void lk_limits_resolve(LkLimits *out, const LkLimits *in)
{
    g_return_if_fail(out != NULL);
    LkLimits l = {0};
    if (in) l = *in;
    if (!l.max_states) l.max_states = LK_DEFAULT_MAX_STATES;
    if (!l.max_positions) l.max_positions = LK_DEFAULT_MAX_POSITIONS;
    if (!l.max_elements) l.max_elements = LK_DEFAULT_MAX_ELEMENTS;
    if (!l.max_memory) l.max_memory = lk_default_max_memory();
    if (!l.max_pairs) l.max_pairs = LK_DEFAULT_MAX_PAIRS;
    if (!l.max_images) l.max_images = LK_DEFAULT_MAX_IMAGES;
    if (!l.max_words) l.max_words = LK_DEFAULT_MAX_WORDS;
    if (!l.max_dim) l.max_dim = LK_DEFAULT_MAX_DIM;
    *out = l;
}

uint64_t lk_limits_items(const LkLimits *lim, uint64_t max_count, uint64_t per_item,
                         bool *by_memory)
{
    g_return_val_if_fail(lim != NULL, 0);
    const uint64_t fit = MAX(lim->max_memory / MAX(per_item, 1), 1);
    *by_memory = fit < max_count;
    return MIN(fit, max_count);
}

void lk_limit_error(GError **error, const char *what, uint64_t count, const char *items,
                    uint64_t per_item, bool by_memory, const char *flag)
{
    if (by_memory)
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "%s would need more than %.1f GB: more than %" G_GUINT64_FORMAT
                    " %s of about %" G_GUINT64_FORMAT " bytes each (raise --max-memory)",
                    what, (double)count * (double)per_item / 1e9, count, items, per_item);
    else
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "%s exceeds %" G_GUINT64_FORMAT " %s (raise %s)", what, count, items, flag);
}

bool lk_limits_check_bytes(const LkLimits *lim, uint64_t bytes, const char *what, GError **error)
{
    g_return_val_if_fail(lim != NULL, false);
    if (bytes <= lim->max_memory) return true;
    g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                "%s would need about %.1f GB, more than --max-memory allows (%.1f GB)", what,
                (double)bytes / 1e9, (double)lim->max_memory / 1e9);
    return false;
}

const char *lk_version(void)
{
    return LK_VERSION;
}

char *lk_file_read(const char *path, gsize *len, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    char *text = NULL;
    GError *ferr = NULL;
    if (!g_file_get_contents(path, &text, len, &ferr)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s", ferr->message);
        g_error_free(ferr);
        return NULL;
    }
    return text;
}

bool lk_error_setv(GError **error, LkErrorCode code, const char *prefix, const char *fmt,
                   va_list ap)
{
    if (!error || *error) return false;
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    if (prefix)
        g_set_error(error, LK_ERROR, code, "%s: %s", prefix, msg);
    else
        g_set_error_literal(error, LK_ERROR, code, msg);
    return false;
}

bool lk_error_set(GError **error, LkErrorCode code, const char *prefix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lk_error_setv(error, code, prefix, fmt, ap);
    va_end(ap);
    return false;
}
