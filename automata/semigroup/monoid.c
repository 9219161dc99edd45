/* Transition monoids: Froidure–Pin enumeration in shortlex order (see
 * monoid.h). Invariants: elements 0..size-1 are distinct transformations in
 * shortlex order of their least words; element 0 is the identity; for x > 0,
 * x = prefix[x] · gen[last[x]] and prefix[x] < x; right[x*k + a] = x·a,
 * left[x*k + a] = a·x. The hash table maps an element's packed images to its
 * index (slots hold index + 1, linear probing, load <= 1/2).
 */
#include "automata/semigroup/monoid-private.h"
#include "automata/progress.h"
#include "automata/semigroup/transf.h"
#include "automata/mem-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Scratch arrays for index_period, n + 1 entries each (in the caller's
 * LK_MONOID_PERIOD_SCRATCH(n) words). */
typedef struct PeriodScratch {
    uint32_t *state, *pos, *tail, *path, *done;
} PeriodScratch;

struct LkMonoid {
    uint32_t n, k, w; /* degree, generators, bytes per point */
    uint32_t size, cap;
    uint8_t *data; /* size * n * w bytes */
    uint32_t *prefix, *last, *right, *left;
    uint32_t *slot; /* hash table */
    uint64_t slot_cap;
    uint32_t *gens; /* k * n images */
};

static inline uint32_t get_pt(const LkMonoid *m, const uint8_t *e, uint32_t q)
{
    switch (m->w) {
    case 1:
        return e[q];
    case 2: {
        uint16_t v;
        memcpy(&v, e + 2 * q, 2);
        return v;
    }
    default: {
        uint32_t v;
        memcpy(&v, e + 4 * q, 4);
        return v;
    }
    }
}

static inline void set_pt(const LkMonoid *m, uint8_t *e, uint32_t q, uint32_t v)
{
    switch (m->w) {
    case 1:
        e[q] = (uint8_t)v;
        break;
    case 2: {
        uint16_t s = (uint16_t)v;
        memcpy(e + 2 * q, &s, 2);
        break;
    }
    default:
        memcpy(e + 4 * q, &v, 4);
    }
}

static inline const uint8_t *elem(const LkMonoid *m, uint32_t x)
{
    return m->data + (size_t)x * m->n * m->w;
}

static inline uint64_t hash_bytes(const uint8_t *p, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, p + i, 8);
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    memcpy(&tail, p + i, len - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 29);
}

/* Equality of two packed elements of eb bytes; elements of at most 8 bytes
 * (degree <= 8) compare as one word (the data array has 8 bytes of slack). */
static inline bool same_elem(const uint8_t *a, const uint8_t *b, size_t eb)
{
    if (eb <= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        uint64_t mask = eb == 8 ? ~0ull : (1ull << (8 * eb)) - 1;
        return ((x ^ y) & mask) == 0;
    }
    return memcmp(a, b, eb) == 0;
}

size_t lk_monoid_bytes(const LkMonoid *m)
{
    g_return_val_if_fail(m != NULL, 0);
    const size_t eb = (size_t)m->n * m->w;
    return (size_t)m->cap * (eb + 8 + 4 * (size_t)m->k) + 8 + sizeof(uint32_t) * m->slot_cap +
           sizeof(uint32_t) * ((size_t)m->n * m->k + 1) + sizeof *m;
}

static void table_rebuild(LkMonoid *m, uint64_t cap)
{
    lk_huge_free(m->slot, sizeof(uint32_t) * m->slot_cap);
    m->slot_cap = cap;
    m->slot = lk_huge_alloc0(sizeof(uint32_t) * cap);
    const size_t eb = (size_t)m->n * m->w;
    for (uint32_t x = 0; x < m->size; x++) {
        uint64_t i = hash_bytes(elem(m, x), eb) & (cap - 1);
        while (m->slot[i]) i = (i + 1) & (cap - 1);
        m->slot[i] = x + 1;
    }
}

/* Index of the element with bytes e (hash h), or add it. UINT32_MAX when the
 * monoid would pass max. */
static uint32_t intern(LkMonoid *m, const uint8_t *e, uint64_t h, uint64_t max, bool *added)
{
    const size_t eb = (size_t)m->n * m->w;
    uint64_t i = h & (m->slot_cap - 1);
    *added = false;
    for (uint32_t s; (s = m->slot[i]); i = (i + 1) & (m->slot_cap - 1))
        if (same_elem(elem(m, s - 1), e, eb)) return s - 1;
    if (m->size >= max) return UINT32_MAX;
    if (m->size == m->cap) { /* first about 1 MB of elements, then doubling, never past max */
        const uint64_t first = MAX(1, MIN(1024, (1u << 20) / (eb ? eb : 1)));
        m->cap = (uint32_t)MIN(m->cap ? (uint64_t)m->cap * 2 : first, max);
        m->data = g_realloc(m->data, (size_t)m->cap * eb + 8); /* + 8: whole-word loads */
        m->prefix = g_renew(uint32_t, m->prefix, m->cap);
        m->last = g_renew(uint32_t, m->last, m->cap);
        m->right = g_renew(uint32_t, m->right, (size_t)m->cap * m->k + 1);
    }
    uint32_t x = m->size++;
    memcpy(m->data + (size_t)x * eb, e, eb);
    m->slot[i] = x + 1;
    *added = true;
    if ((uint64_t)m->size * 2 > m->slot_cap) /* grow 4x while large: fewer rehashes */
        table_rebuild(m, m->slot_cap *
                             (m->slot_cap >= (1u << 18) && m->slot_cap < (1u << 24) ? 4 : 2));
    return x;
}

enum { BATCH = 32 };

LkMonoid *lk_monoid_new(uint32_t n, uint32_t k, const uint32_t *gens, const LkLimits *limits,
                        GError **error)
{
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t w = n <= 256     ? 1
                       : n <= 65536 ? 2
                                    : 4,
                   per_element = (uint64_t)n * w + 9ull * k + 13; /* see monoid.h */
    bool memory_bound;
    const uint64_t max_elements = lk_limits_items(
        &lim, MIN(lim.max_elements, (uint64_t)UINT32_MAX - 1), per_element, &memory_bound);
    for (size_t i = 0; i < (size_t)n * k; i++)
        if (gens[i] >= n) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "generator %zu maps a point to %u, outside 0..%u", i / (n ? n : 1), gens[i],
                        n ? n - 1 : 0);
            return NULL;
        }
    LkMonoid *m = g_new0(LkMonoid, 1);
    m->n = n;
    m->k = k;
    m->w = n <= 256 ? 1 : n <= 65536 ? 2 : 4;
    m->gens = g_new(uint32_t, (size_t)n * k + 1);
    if (n && k) memcpy(m->gens, gens, sizeof(uint32_t) * n * k);
    m->slot_cap = 1024;
    m->slot = lk_huge_alloc0(sizeof(uint32_t) * m->slot_cap);
    const size_t eb = (size_t)n * m->w;
    /* products are composed BATCH elements at a time, at most 64 MB of them
     * (S:8/all: 40,320 generators of 80 KB would be 100 GB) */
    const uint32_t batch_max = (uint32_t)MAX(
        1, MIN((uint64_t)BATCH, (64ull << 20) / ((uint64_t)(eb ? eb : 1) * (k ? k : 1))));
    uint8_t *buf = g_malloc0(eb * batch_max * (k ? k : 1) + 8);
    uint64_t *hs = g_new(uint64_t, (size_t)batch_max * (k ? k : 1));
    bool added, ok = true;
    for (uint32_t q = 0; q < n; q++) set_pt(m, buf, q, q);
    intern(m, buf, hash_bytes(buf, eb), max_elements, &added); /* the identity */
    m->prefix[0] = m->last[0] = UINT32_MAX;
    for (uint32_t x = 0; ok && x < m->size;) {
        const uint32_t batch = MIN(m->size - x, batch_max);
        lk_progress("monoid: elements", m->size, 0);
        for (uint32_t b = 0; b < batch; b++) { /* compose, hash, prefetch */
            const uint8_t *e = elem(m, x + b);
            for (uint32_t a = 0; a < k; a++) {
                uint8_t *out = buf + ((size_t)b * k + a) * eb;
                const uint32_t *g = gens + (size_t)a * n;
                if (m->w == 1)
                    for (uint32_t q = 0; q < n; q++) out[q] = (uint8_t)g[e[q]];
                else
                    for (uint32_t q = 0; q < n; q++) set_pt(m, out, q, g[get_pt(m, e, q)]);
                uint64_t h = hash_bytes(out, eb);
                hs[(size_t)b * k + a] = h;
                __builtin_prefetch(&m->slot[h & (m->slot_cap - 1)]);
            }
        }
        for (uint32_t i = 0; i < batch * k; i++) { /* then the elements the slots name */
            uint32_t s = m->slot[hs[i] & (m->slot_cap - 1)];
            if (s) __builtin_prefetch(elem(m, s - 1));
        }
        for (uint32_t b = 0; ok && b < batch; b++)
            for (uint32_t a = 0; a < k; a++) {
                uint32_t y = intern(m, buf + ((size_t)b * k + a) * eb, hs[(size_t)b * k + a],
                                    max_elements, &added);
                if (y == UINT32_MAX) {
                    ok = false;
                    break;
                }
                if (added) {
                    m->prefix[y] = x + b;
                    m->last[y] = a;
                }
                m->right[(size_t)(x + b) * k + a] = y;
            }
        x += batch;
    }
    g_free(buf);
    g_free(hs);
    if (!ok) {
        lk_limit_error(error, "the monoid", max_elements, "elements", per_element, memory_bound,
                       "--max-elements");
        lk_monoid_free(m);
        return NULL;
    }
    /* Left Cayley graph: a·x = (a·prefix(x))·last(x); a·1 = a. */
    m->left = g_new(uint32_t, (size_t)m->size * k + 1);
    for (uint32_t a = 0; a < k; a++) m->left[a] = m->right[a];
    for (uint32_t x = 1; x < m->size; x++) {
        const uint32_t *lp = m->left + (size_t)m->prefix[x] * k;
        for (uint32_t a = 0; a < k; a++)
            m->left[(size_t)x * k + a] = m->right[(size_t)lp[a] * k + m->last[x]];
    }
    return m;
}

LkMonoid *lk_monoid_new_from_dfa(const LkDfa *d, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(d != NULL, NULL);
    uint32_t *gens = g_new(uint32_t, (size_t)d->n * d->k + 1);
    for (uint32_t a = 0; a < d->k; a++)
        for (uint32_t q = 0; q < d->n; q++)
            gens[(size_t)a * d->n + q] = d->delta[(size_t)q * d->k + a];
    LkMonoid *m = lk_monoid_new(d->n, d->k, gens, limits, error);
    g_free(gens);
    return m;
}

LkMonoid *lk_monoid_new_from_json(const char *text, gssize len, const char *where,
                                  const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    uint32_t n, k;
    g_autofree uint32_t *gens = lk_transf_from_json(text, len, where, &n, &k, error);
    return gens ? lk_monoid_new(n, k, gens, limits, error) : NULL;
}

void lk_monoid_free(LkMonoid *m)
{
    if (!m) return;
    g_free(m->data);
    g_free(m->prefix);
    g_free(m->last);
    g_free(m->right);
    g_free(m->left);
    g_free(m->gens);
    lk_huge_free(m->slot, sizeof(uint32_t) * m->slot_cap);
    g_free(m);
}

uint32_t lk_monoid_size(const LkMonoid *m)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->size;
}
uint32_t lk_monoid_degree(const LkMonoid *m)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->n;
}
uint32_t lk_monoid_ngens(const LkMonoid *m)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->k;
}

uint32_t lk_monoid_image(const LkMonoid *m, uint32_t x, uint32_t q)
{
    g_return_val_if_fail(m != NULL, 0);
    return get_pt(m, elem(m, x), q);
}

const uint32_t *lk_monoid_cayley(const LkMonoid *m, bool left)
{
    return left ? m->left : m->right;
}

uint32_t lk_monoid_right(const LkMonoid *m, uint32_t x, uint32_t a)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->right[(size_t)x * m->k + a];
}

uint32_t lk_monoid_left(const LkMonoid *m, uint32_t x, uint32_t a)
{
    g_return_val_if_fail(m != NULL, 0);
    return m->left[(size_t)x * m->k + a];
}

void lk_monoid_word(const LkMonoid *m, uint32_t x, GArray *word)
{
    g_return_if_fail(m != NULL);
    guint base = word->len;
    for (; x != 0; x = m->prefix[x]) g_array_append_val(word, m->last[x]);
    uint32_t *w = (uint32_t *)word->data + base;
    for (guint i = 0, j = word->len - base; i + 1 < j; i++, j--) {
        uint32_t t = w[i];
        w[i] = w[j - 1];
        w[j - 1] = t;
    }
}

uint32_t lk_monoid_word_length(const LkMonoid *m, uint32_t x)
{
    g_return_val_if_fail(m != NULL, 0);
    uint32_t len = 0;
    for (; x != 0; x = m->prefix[x]) len++;
    return len;
}

size_t lk_monoid_memory(const LkMonoid *m)
{
    g_return_val_if_fail(m != NULL, 0);
    return (size_t)m->cap * ((size_t)m->n * m->w + 8 + 4 * (size_t)m->k) +
           (size_t)m->size * m->k * 4 + m->slot_cap * 4;
}

void lk_monoid_images(const LkMonoid *m, uint32_t x, uint32_t *out)
{
    const uint8_t *e = elem(m, x);
    switch (m->w) { /* one loop per width, so that each is a plain widening copy */
    case 1:
        for (uint32_t q = 0; q < m->n; q++) out[q] = e[q];
        break;
    case 2:
        for (uint32_t q = 0; q < m->n; q++) out[q] = get_pt(m, e, q);
        break;
    default:
        memcpy(out, e, sizeof(uint32_t) * m->n);
    }
}

bool lk_monoid_is_idempotent(const LkMonoid *m, uint32_t x)
{
    g_return_val_if_fail(m != NULL, false);
    const uint8_t *e = elem(m, x);
    for (uint32_t q = 0; q < m->n; q++) {
        uint32_t v = get_pt(m, e, q);
        if (get_pt(m, e, v) != v) return false;
    }
    return true;
}

static void index_period(const LkMonoid *m, uint32_t x, PeriodScratch *sc, uint32_t *index,
                         uint32_t *period)
{
    /* Functional graph of the transformation: every point runs into a cycle;
     * index = the longest tail (at least 1), period = lcm of cycle lengths. */
    const uint32_t n = m->n;
    const uint8_t *e = elem(m, x);
    uint32_t *state = sc->state, *pos = sc->pos, *tail = sc->tail, *path = sc->path;
    uint32_t *done = sc->done;
    memset(done, 0, sizeof(uint32_t) * n);
    memset(state, 0, sizeof(uint32_t) * n);
    uint64_t per = 1;
    uint32_t idx = 1;
    for (uint32_t s = 0; s < n; s++) {
        if (done[s]) continue;
        uint32_t len = 0, v = s;
        while (!done[v] && state[v] != s + 1) {
            state[v] = s + 1;
            pos[v] = len;
            path[len++] = v;
            v = get_pt(m, e, v);
        }
        uint32_t base;  /* tail length of path[len-1]'s successor v */
        if (!done[v]) { /* a new cycle: path[pos[v] .. len) */
            uint32_t c = len - pos[v];
            per = lk_lcm_sat(per, c);
            for (uint32_t i = pos[v]; i < len; i++) tail[path[i]] = 0, done[path[i]] = 1;
            len = pos[v];
            base = 0;
        } else {
            base = tail[v];
        }
        for (uint32_t i = len; i-- > 0;) {
            tail[path[i]] = ++base;
            done[path[i]] = 1;
            if (base > idx) idx = base;
        }
    }
    *index = idx;
    *period = (uint32_t)per;
}

void lk_monoid_index_period(const LkMonoid *m, uint32_t x, uint32_t *scratch, uint32_t *index,
                            uint32_t *period)
{
    g_return_if_fail(m != NULL);
    const size_t n1 = (size_t)m->n + 1;
    uint32_t *own = scratch ? NULL : g_new(uint32_t, LK_MONOID_PERIOD_SCRATCH(m->n));
    uint32_t *w = scratch ? scratch : own;
    PeriodScratch sc = {w, w + n1, w + 2 * n1, w + 3 * n1, w + 4 * n1};
    index_period(m, x, &sc, index, period);
    g_free(own);
}

uint32_t lk_monoid_find(const LkMonoid *m, const uint32_t *images)
{
    g_return_val_if_fail(m != NULL, 0);
    const size_t eb = (size_t)m->n * m->w;
    uint8_t *buf = g_malloc0(eb + 8);
    for (uint32_t q = 0; q < m->n; q++) {
        if (images[q] >= m->n) {
            g_free(buf);
            return UINT32_MAX;
        }
        set_pt(m, buf, q, images[q]);
    }
    uint64_t i = hash_bytes(buf, eb) & (m->slot_cap - 1);
    uint32_t found = UINT32_MAX;
    for (uint32_t s; (s = m->slot[i]); i = (i + 1) & (m->slot_cap - 1))
        if (memcmp(elem(m, s - 1), buf, eb) == 0) {
            found = s - 1;
            break;
        }
    g_free(buf);
    return found;
}
