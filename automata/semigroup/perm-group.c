/* Permutation groups by deterministic Schreier–Sims (see perm-group.h).
 *
 * Invariants after construction: level i has base point b_i, the strong
 * generators S_i (those fixing b_0..b_{i-1}), the orbit of b_i under
 * <S_i> in breadth-first order and for each orbit point x a transversal
 * element u_i[x] (b_i then u = x); every Schreier generator
 * u_i[x] s u_i[x^s]^-1 (x in the orbit, s in S_i) sifts through the levels
 * below i to the identity, which makes the chain a base and strong
 * generating set. A residue that does not sift becomes a new strong
 * generator at the level where it stopped, and checking resumes there:
 * levels below it are unchanged, since a generator added at level j only
 * enters S_0..S_j.
 */
#include "automata/semigroup/perm-group.h"

#include <string.h>

typedef struct {
    uint32_t base;
    GArray *orbit; /* uint32_t points, breadth-first */
    uint32_t **u;  /* degree entries: transversal element or NULL */
} Level;

struct LkPermGroup {
    uint32_t degree;
    GPtrArray *gens;   /* the given generators (non-identity copies) */
    GPtrArray *strong; /* strong generators */
    Level *lev;
    uint32_t n_levels, cap;
};

bool lk_perm_is_identity(const uint32_t *p, uint32_t degree)
{
    for (uint32_t x = 0; x < degree; x++)
        if (p[x] != x) return false;
    return true;
}

void lk_perm_mul(uint32_t *out, const uint32_t *a, const uint32_t *b, uint32_t degree)
{
    if (out == b) { /* b is overwritten while read: go through a copy */
        uint32_t *t = g_memdup2(b, sizeof(uint32_t) * degree);
        for (uint32_t x = 0; x < degree; x++) out[x] = t[a[x]];
        g_free(t);
        return;
    }
    for (uint32_t x = 0; x < degree; x++) out[x] = b[a[x]];
}

void lk_perm_inverse(uint32_t *out, const uint32_t *a, uint32_t degree)
{
    for (uint32_t x = 0; x < degree; x++) out[a[x]] = x;
}

uint64_t lk_perm_order(const uint32_t *p, uint32_t degree)
{
    uint8_t *seen = g_new0(uint8_t, degree + 1);
    uint64_t l = 1;
    for (uint32_t i = 0; i < degree; i++) {
        if (seen[i]) continue;
        uint64_t c = 0;
        for (uint32_t j = i; !seen[j]; j = p[j]) seen[j] = 1, c++;
        uint64_t a = l, b = c;
        while (b) {
            uint64_t t = a % b;
            a = b;
            b = t;
        }
        l = l / a > UINT64_MAX / c ? UINT64_MAX : l / a * c;
    }
    g_free(seen);
    return l;
}

static bool fixes_base(const LkPermGroup *g, const uint32_t *s, uint32_t i)
{
    for (uint32_t j = 0; j < i; j++)
        if (s[g->lev[j].base] != g->lev[j].base) return false;
    return true;
}

static void level_clear(Level *l, uint32_t degree)
{
    if (l->u)
        for (uint32_t x = 0; x < degree; x++) g_free(l->u[x]);
    g_free(l->u);
    if (l->orbit) g_array_unref(l->orbit);
    l->u = NULL;
    l->orbit = NULL;
}

/* Orbit and transversal of level i under S_i, breadth-first. */
static void level_build(LkPermGroup *g, uint32_t i)
{
    const uint32_t n = g->degree;
    Level *l = &g->lev[i];
    level_clear(l, n);
    l->u = g_new0(uint32_t *, n);
    l->orbit = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    l->u[l->base] = g_new(uint32_t, n);
    for (uint32_t x = 0; x < n; x++) l->u[l->base][x] = x;
    g_array_append_val(l->orbit, l->base);
    for (guint h = 0; h < l->orbit->len; h++) {
        uint32_t x = g_array_index(l->orbit, uint32_t, h);
        for (guint s = 0; s < g->strong->len; s++) {
            const uint32_t *p = g->strong->pdata[s];
            if (!fixes_base(g, p, i) || l->u[p[x]]) continue;
            uint32_t y = p[x];
            l->u[y] = g_new(uint32_t, n);
            lk_perm_mul(l->u[y], l->u[x], p, n);
            g_array_append_val(l->orbit, y);
        }
    }
}

/* Sifts h (in place) from level `from`; returns the level where it left the
 * chain (n_levels when it passed every level; h is then the residue). */
static uint32_t sift(const LkPermGroup *g, uint32_t *h, uint32_t from, uint32_t *tmp)
{
    const uint32_t n = g->degree;
    for (uint32_t i = from; i < g->n_levels; i++) {
        const Level *l = &g->lev[i];
        const uint32_t *u = l->u[h[l->base]];
        if (!u) return i;
        lk_perm_inverse(tmp, u, n);
        lk_perm_mul(h, h, tmp, n);
    }
    return g->n_levels;
}

/* Adds residue h (not the identity; fixes b_0..b_{j-1}) as a strong
 * generator at level j, extending the base when j is new; rebuilds levels
 * 0..j. */
static void add_strong(LkPermGroup *g, uint32_t *h, uint32_t j)
{
    if (j == g->n_levels) {
        if (g->n_levels == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 8;
            g->lev = g_renew(Level, g->lev, g->cap);
        }
        uint32_t b = 0;
        while (h[b] == b) b++;
        g->lev[g->n_levels++] = (Level){b, NULL, NULL};
    }
    g_ptr_array_add(g->strong, h);
    for (uint32_t i = 0; i <= j; i++) level_build(g, i);
}

LkPermGroup *lk_perm_group_new(uint32_t degree, uint32_t n_gens, const uint32_t *gens)
{
    LkPermGroup *g = g_new0(LkPermGroup, 1);
    const uint32_t n = degree;
    g->degree = n;
    g->gens = g_ptr_array_new_with_free_func(g_free);
    g->strong = g_ptr_array_new_with_free_func(g_free);
    uint32_t *tmp = g_new(uint32_t, n + 1), *h = g_new(uint32_t, n + 1);
    for (uint32_t a = 0; a < n_gens; a++) {
        const uint32_t *p = gens + (size_t)a * n;
        if (lk_perm_is_identity(p, n)) continue;
        memcpy(h, p, sizeof(uint32_t) * n);
        uint32_t j = sift(g, h, 0, tmp);
        if (!lk_perm_is_identity(h, n)) { /* else p is a product of the kept ones: drop it */
            g_ptr_array_add(g->gens, g_memdup2(p, sizeof(uint32_t) * n));
            add_strong(g, h, j);
            h = g_new(uint32_t, n + 1);
        }
    }
    for (uint32_t i = g->n_levels; i-- > 0;) {
    again:;
        const Level *l = &g->lev[i];
        for (guint o = 0; o < l->orbit->len; o++) {
            uint32_t x = g_array_index(l->orbit, uint32_t, o);
            for (guint s = 0; s < g->strong->len; s++) {
                const uint32_t *p = g->strong->pdata[s];
                if (!fixes_base(g, p, i)) continue;
                lk_perm_mul(h, l->u[x], p, n); /* u_x s u_{x^s}^-1 */
                lk_perm_inverse(tmp, l->u[p[x]], n);
                lk_perm_mul(h, h, tmp, n);
                uint32_t j = sift(g, h, i + 1, tmp);
                if (lk_perm_is_identity(h, n)) continue;
                add_strong(g, h, j);
                h = g_new(uint32_t, n + 1);
                i = j;
                goto again;
            }
        }
    }
    g_free(tmp);
    g_free(h);
    return g;
}

void lk_perm_group_free(LkPermGroup *g)
{
    if (!g) return;
    for (uint32_t i = 0; i < g->n_levels; i++) level_clear(&g->lev[i], g->degree);
    g_free(g->lev);
    g_ptr_array_unref(g->gens);
    g_ptr_array_unref(g->strong);
    g_free(g);
}

uint32_t lk_perm_group_degree(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, 0);
    return g->degree;
}
uint32_t lk_perm_group_n_gens(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, 0);
    return g->gens->len;
}
const uint32_t *lk_perm_group_gen(const LkPermGroup *g, uint32_t i)
{
    g_return_val_if_fail(g != NULL, NULL);
    return g->gens->pdata[i];
}

void lk_perm_group_order(const LkPermGroup *g, mpz_t out)
{
    g_return_if_fail(g != NULL);
    mpz_set_ui(out, 1);
    for (uint32_t i = 0; i < g->n_levels; i++) mpz_mul_ui(out, out, g->lev[i].orbit->len);
}

uint64_t lk_perm_group_order_u64(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, 0);
    mpz_t o;
    mpz_init(o);
    lk_perm_group_order(g, o);
    uint64_t r = mpz_sizeinbase(o, 2) <= 64 ? mpz_get_ui(o) : UINT64_MAX;
    if (sizeof(unsigned long) < 8 && mpz_sizeinbase(o, 2) > 32) r = UINT64_MAX;
    mpz_clear(o);
    return r;
}

bool lk_perm_group_contains(const LkPermGroup *g, const uint32_t *perm)
{
    g_return_val_if_fail(g != NULL, false);
    const uint32_t n = g->degree;
    uint32_t *h = g_memdup2(perm, sizeof(uint32_t) * (n + 1)), *tmp = g_new(uint32_t, n + 1);
    sift(g, h, 0, tmp);
    bool in = lk_perm_is_identity(h, n);
    g_free(h);
    g_free(tmp);
    return in;
}

bool lk_perm_group_is_abelian(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, false);
    const uint32_t n = g->degree;
    uint32_t *ab = g_new(uint32_t, n + 1), *ba = g_new(uint32_t, n + 1);
    bool abelian = true;
    for (guint i = 0; i < g->gens->len && abelian; i++)
        for (guint j = i + 1; j < g->gens->len && abelian; j++) {
            lk_perm_mul(ab, g->gens->pdata[i], g->gens->pdata[j], n);
            lk_perm_mul(ba, g->gens->pdata[j], g->gens->pdata[i], n);
            abelian = !memcmp(ab, ba, sizeof(uint32_t) * n);
        }
    g_free(ab);
    g_free(ba);
    return abelian;
}

LkPermGroup *lk_perm_group_derived(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, NULL);
    const uint32_t n = g->degree, k = g->gens->len;
    GArray *gens = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    uint32_t *ai = g_new(uint32_t, n + 1), *bi = g_new(uint32_t, n + 1),
             *c = g_new(uint32_t, n + 1);
    for (uint32_t i = 0; i < k; i++) /* commutators a^-1 b^-1 a b */
        for (uint32_t j = i + 1; j < k; j++) {
            const uint32_t *a = g->gens->pdata[i], *b = g->gens->pdata[j];
            lk_perm_inverse(ai, a, n);
            lk_perm_inverse(bi, b, n);
            lk_perm_mul(c, ai, bi, n);
            lk_perm_mul(c, c, a, n);
            lk_perm_mul(c, c, b, n);
            if (!lk_perm_is_identity(c, n)) g_array_append_vals(gens, c, n);
        }
    LkPermGroup *d = lk_perm_group_new(n, gens->len / MAX(n, 1), (uint32_t *)gens->data);
    /* normal closure: conjugate the generators of d by those of g until closed */
    for (bool changed = true; changed;) {
        changed = false;
        for (uint32_t s = 0; s < k && !changed; s++)
            for (guint x = 0; x < d->gens->len && !changed; x++) {
                const uint32_t *a = g->gens->pdata[s];
                lk_perm_inverse(ai, a, n);
                lk_perm_mul(c, ai, d->gens->pdata[x], n);
                lk_perm_mul(c, c, a, n);
                if (lk_perm_group_contains(d, c)) continue;
                g_array_append_vals(gens, c, n);
                lk_perm_group_free(d);
                d = lk_perm_group_new(n, gens->len / n, (uint32_t *)gens->data);
                changed = true;
            }
    }
    g_array_unref(gens);
    g_free(ai);
    g_free(bi);
    g_free(c);
    return d;
}

bool lk_perm_group_is_solvable(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, false);
    mpz_t order, next;
    mpz_inits(order, next, NULL);
    lk_perm_group_order(g, order);
    LkPermGroup *cur = NULL;
    bool solvable = true;
    while (mpz_cmp_ui(order, 1) > 0 && !lk_perm_group_is_abelian(cur ? cur : g)) {
        LkPermGroup *d = lk_perm_group_derived(cur ? cur : g);
        lk_perm_group_free(cur);
        cur = d;
        lk_perm_group_order(cur, next);
        if (!mpz_cmp(next, order)) {
            solvable = false;
            break;
        }
        mpz_set(order, next);
    }
    lk_perm_group_free(cur);
    mpz_clears(order, next, NULL);
    return solvable;
}

uint32_t lk_perm_group_n_orbits(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, 0);
    const uint32_t n = g->degree;
    uint32_t *root = g_new(uint32_t, n + 1), orbits = n;
    for (uint32_t x = 0; x < n; x++) root[x] = x;
    for (guint s = 0; s < g->gens->len; s++) {
        const uint32_t *p = g->gens->pdata[s];
        for (uint32_t x = 0; x < n; x++) { /* union x with p[x] */
            uint32_t a = x, b = p[x];
            while (root[a] != a) a = root[a] = root[root[a]];
            while (root[b] != b) b = root[b] = root[root[b]];
            if (a != b) root[MAX(a, b)] = MIN(a, b), orbits--;
        }
    }
    g_free(root);
    return orbits;
}

char *lk_perm_group_name(const LkPermGroup *g)
{
    g_return_val_if_fail(g != NULL, NULL);
    const uint32_t n = g->degree;
    mpz_t order, f;
    mpz_inits(order, f, NULL);
    lk_perm_group_order(g, order);
    char *name = NULL;
    if (!mpz_cmp_ui(order, 1)) name = g_strdup("1");
    uint64_t exponent = 1; /* cyclic: abelian and some element (lcm of gens) of full order */
    for (guint i = 0; i < g->gens->len && !name; i++) {
        uint64_t o = lk_perm_order(g->gens->pdata[i], n), a = exponent, b = o;
        while (b) {
            uint64_t t = a % b;
            a = b;
            b = t;
        }
        exponent = exponent / a > UINT64_MAX / o ? UINT64_MAX : exponent / a * o;
    }
    if (!name && lk_perm_group_is_abelian(g) && exponent != UINT64_MAX &&
        !mpz_cmp_ui(order, exponent))
        name = g_strdup_printf("C%" G_GUINT64_FORMAT, exponent);
    uint32_t moved = 0;
    for (uint32_t x = 0; x < n && !name; x++) {
        bool fixed = true;
        for (guint s = 0; s < g->gens->len && fixed; s++)
            fixed = ((const uint32_t *)g->gens->pdata[s])[x] == x;
        moved += !fixed;
    }
    if (!name) {
        mpz_fac_ui(f, moved);
        if (!mpz_cmp(order, f)) name = g_strdup_printf("S%u", moved);
        mpz_fdiv_q_ui(f, f, 2);
        if (!name && moved >= 3 && !mpz_cmp(order, f)) name = g_strdup_printf("A%u", moved);
    }
    if (!name) {
        char *s = mpz_get_str(NULL, 10, order);
        name = g_strdup_printf("order %s", s);
        free(s);
    }
    mpz_clears(order, f, NULL);
    return name;
}
