/* Linear RNNs as plain matrices (see matrices.h). */
#include "lrnn/matrices.h"

#include "automata/error.h"
#include "lrnn/dense.h"
#include "automata/npy.h"

#include <json-glib/json-glib.h>
#include <math.h>

LkMatrices *lk_matrices_new(LkAlphabet *alphabet, uint32_t n_layers)
{
    g_return_val_if_fail(alphabet != NULL, NULL);
    LkMatrices *m = g_new0(LkMatrices, 1);
    m->alphabet = lk_alphabet_ref(alphabet);
    m->n_layers = n_layers;
    m->layer = g_new0(LkMatLayer, n_layers + 1);
    return m;
}

static void layer_clear(LkMatLayer *l)
{
    const size_t n = l->n, V = l->V;
    lk_qvec_free(l->a, V * n * n), lk_qvec_free(l->b, V * n), lk_qvec_free(l->h0, n);
    g_free(l->af), g_free(l->bf), g_free(l->h0f), g_free(l->readout);
    memset(l, 0, sizeof *l);
}

void lk_matrices_free(LkMatrices *m)
{
    if (!m) return;
    for (uint32_t i = 0; i < m->n_layers; i++) layer_clear(&m->layer[i]);
    g_free(m->layer);
    lk_alphabet_unref(m->alphabet);
    g_free(m);
}

/* k exact copies (zeros when src is NULL) and their doubles. */
static mpq_t *copy_q(mpq_t *const src, size_t k, double **f)
{
    mpq_t *q = g_new(mpq_t, k + 1);
    *f = g_new(double, k + 1);
    for (size_t i = 0; i < k; i++) {
        mpq_init(q[i]);
        if (src) mpq_set(q[i], src[i]);
        (*f)[i] = mpq_get_d(q[i]);
    }
    return q;
}

void lk_matrices_set_layer(LkMatrices *m, uint32_t i, uint32_t n, uint32_t V, mpq_t *const a,
                           mpq_t *const b, mpq_t *const h0, const double *readout)
{
    g_return_if_fail(i < m->n_layers);
    LkMatLayer *l = &m->layer[i];
    layer_clear(l);
    l->n = n, l->V = V;
    l->a = copy_q(a, (size_t)V * n * n, &l->af);
    l->b = copy_q(b, (size_t)V * n, &l->bf);
    l->h0 = copy_q(h0, n, &l->h0f);
    l->readout = readout ? g_memdup2(readout, sizeof(double) * n) : NULL;
}

int64_t lk_mat_layer_output(const LkMatLayer *l, const double *h)
{
    g_return_val_if_fail(l != NULL, -1);
    if (!l->readout) return -1;
    double s = 0;
    for (uint32_t i = 0; i < l->n; i++) s += l->readout[i] * h[i];
    return s > 0;
}

static mpq_t *q_from_array(const LkNpyArray *x)
{
    mpq_t *q = g_new(mpq_t, x->size + 1);
    for (uint64_t i = 0; i < x->size; i++) {
        mpq_init(q[i]);
        mpq_set_d(q[i], x->data[i]);
    }
    return q;
}

static bool shape_is(const LkNpyArray *x, int ndim, const uint64_t *shape)
{
    if (x->ndim != ndim) return false;
    for (int i = 0; i < ndim; i++)
        if (x->shape[i] != shape[i]) return false;
    return true;
}

LkMatrices *lk_matrices_load_npz(const char *path, const LkLimits *limits, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    LkLimits lim;
    lk_limits_resolve(&lim, limits);
    const uint64_t max_dim = lim.max_dim;
    g_autoptr(GPtrArray) arrays = lk_npz_load(path, &lim, error);
    if (!arrays) return NULL;
    const LkNpyArray *A = lk_npz_find(arrays, "A"), *B = lk_npz_find(arrays, "B"),
                     *H = lk_npz_find(arrays, "h0");
    if (!A) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: no array 'A' [V, n, n]", path);
        return NULL;
    }
    const bool one = A->ndim == 2;
    const uint64_t V = one ? 1 : A->shape[0], n = A->shape[one ? 0 : 1];
    if ((A->ndim != 2 && A->ndim != 3) || A->shape[A->ndim - 1] != n || !n || !V) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "%s: 'A' must have shape [V, n, n] (or [n, n]) with V, n >= 1", path);
        return NULL;
    }
    if (n > max_dim || V > 65536) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "%s: %" G_GUINT64_FORMAT " tokens of dimension %" G_GUINT64_FORMAT
                    ", more than the limits of 65536 tokens and dimension %" G_GUINT64_FORMAT,
                    path, V, n, max_dim);
        return NULL;
    }
    const uint64_t bshape[2] = {V, n}, hshape[1] = {n};
    if (B && !(shape_is(B, 2, bshape) || (one && shape_is(B, 1, hshape)))) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "%s: 'B' must have shape [V, n] = [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                    "]",
                    path, V, n);
        return NULL;
    }
    if (H && !shape_is(H, 1, hshape)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "%s: 'h0' must have shape [n] = [%" G_GUINT64_FORMAT "]", path, n);
        return NULL;
    }
    const LkNpyArray *all[] = {A, B, H};
    for (int k = 0; k < 3; k++)
        if (all[k] && all[k]->integer) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                        "%s: '%s' holds integers; save it as float64 or float32", path,
                        all[k]->name);
            return NULL;
        }
    for (int k = 0; k < 3; k++)
        for (uint64_t i = 0; all[k] && i < all[k]->size; i++)
            if (!isfinite(all[k]->data[i])) {
                g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s: '%s' holds %s", path,
                            all[k]->name, isnan(all[k]->data[i]) ? "NaN" : "an infinity");
                return NULL;
            }
    char **names = g_new0(char *, V + 1);
    for (uint64_t v = 0; v < V; v++) names[v] = g_strdup_printf("%" G_GUINT64_FORMAT, v);
    g_autoptr(LkAlphabet) alpha = lk_alphabet_new((const char *const *)names, (uint32_t)V, NULL);
    g_strfreev(names);
    LkMatrices *m = lk_matrices_new(alpha, 1);
    mpq_t *a = q_from_array(A), *b = B ? q_from_array(B) : NULL, *h = H ? q_from_array(H) : NULL;
    lk_matrices_set_layer(m, 0, (uint32_t)n, (uint32_t)V, a, b, h, NULL);
    lk_qvec_free(a, A->size);
    if (B) lk_qvec_free(b, B->size);
    if (H) lk_qvec_free(h, H->size);
    return m;
}

/* Layer i of m <- the dense view of lr. */
static bool dense_layer(LkMatrices *m, uint32_t i, const LkLrnn *lr, GError **error)
{
    const uint32_t n = lr->n, V = lk_alphabet_size(lr->alphabet);
    mpq_t *a = g_new(mpq_t, (size_t)V * n * n + 1), *b = g_new(mpq_t, (size_t)V * n + 1);
    for (size_t k = 0; k < (size_t)V * n * n; k++) mpq_init(a[k]);
    for (size_t k = 0; k < (size_t)V * n; k++) mpq_init(b[k]);
    bool ok = true;
    for (uint32_t v = 0; v < V && ok; v++)
        ok = lk_lrnn_word_dense(lr, &v, 1, a + (size_t)v * n * n, b + (size_t)v * n, error);
    if (ok) lk_matrices_set_layer(m, i, n, V, a, b, lr->h0, NULL);
    lk_qvec_free(a, (size_t)V * n * n), lk_qvec_free(b, (size_t)V * n);
    return ok;
}

LkMatrices *lk_matrices_from_lrnn(const LkLrnn *lr, GError **error)
{
    g_return_val_if_fail(lr != NULL, NULL);
    LkMatrices *m = lk_matrices_new(lr->alphabet, 1);
    if (dense_layer(m, 0, lr, error)) return m;
    lk_matrices_free(m);
    return NULL;
}

LkMatrices *lk_matrices_from_stack(const LkStack *s, GError **error)
{
    g_return_val_if_fail(s != NULL, NULL);
    LkMatrices *m = lk_matrices_new(s->alphabet, s->n_layers);
    for (uint32_t i = 0; i < s->n_layers; i++)
        if (!dense_layer(m, i, s->layer[i], error)) {
            lk_matrices_free(m);
            return NULL;
        }
    return m;
}

static void add_q(JsonBuilder *b, mpq_srcptr q)
{
    g_autofree char *s = mpq_get_str(NULL, 10, q);
    json_builder_add_string_value(b, s);
}

char *lk_matrices_to_json(const LkMatrices *m)
{
    g_return_val_if_fail(m != NULL, NULL);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "format");
    json_builder_add_string_value(b, "lrnnkit-matrices");
    json_builder_set_member_name(b, "alphabet");
    json_builder_begin_array(b);
    for (uint32_t v = 0; v < lk_alphabet_size(m->alphabet); v++)
        json_builder_add_string_value(b, lk_alphabet_name(m->alphabet, v));
    json_builder_end_array(b);
    json_builder_set_member_name(b, "layers");
    json_builder_begin_array(b);
    for (uint32_t l = 0; l < m->n_layers; l++) {
        const LkMatLayer *ly = &m->layer[l];
        const uint32_t n = ly->n;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "n");
        json_builder_add_int_value(b, n);
        json_builder_set_member_name(b, "tokens");
        json_builder_add_int_value(b, ly->V);
        json_builder_set_member_name(b, "A");
        json_builder_begin_array(b);
        for (uint32_t v = 0; v < ly->V; v++) {
            json_builder_begin_array(b);
            for (uint32_t i = 0; i < n; i++) {
                json_builder_begin_array(b);
                for (uint32_t j = 0; j < n; j++) add_q(b, ly->a[((size_t)v * n + i) * n + j]);
                json_builder_end_array(b);
            }
            json_builder_end_array(b);
        }
        json_builder_end_array(b);
        json_builder_set_member_name(b, "B");
        json_builder_begin_array(b);
        for (uint32_t v = 0; v < ly->V; v++) {
            json_builder_begin_array(b);
            for (uint32_t i = 0; i < n; i++) add_q(b, ly->b[(size_t)v * n + i]);
            json_builder_end_array(b);
        }
        json_builder_end_array(b);
        json_builder_set_member_name(b, "h0");
        json_builder_begin_array(b);
        for (uint32_t i = 0; i < n; i++) add_q(b, ly->h0[i]);
        json_builder_end_array(b);
        json_builder_set_member_name(b, "readout");
        if (ly->readout) {
            json_builder_begin_array(b);
            for (uint32_t i = 0; i < n; i++) json_builder_add_double_value(b, ly->readout[i]);
            json_builder_end_array(b);
        } else {
            json_builder_add_null_value(b);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autoptr(JsonNode) root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    return json_generator_to_data(gen, NULL);
}
