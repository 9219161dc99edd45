/* LRNN models: construction and the exact JSON form (see model.h). */
#include "lrnn/model.h"
#include "automata/json-util.h"
#include "lrnn/lrnn-private.h"

#include <json-glib/json-glib.h>
#include <string.h>

LkLrnn *lk_lrnn_new(LkAlphabet *alphabet, uint32_t n)
{
    g_return_val_if_fail(alphabet != NULL, NULL);
    LkLrnn *m = g_new0(LkLrnn, 1);
    m->n = n;
    m->alphabet = lk_alphabet_ref(alphabet);
    uint32_t k = lk_alphabet_size(alphabet);
    m->tok = g_new0(LkToken, k + 1);
    for (uint32_t t = 0; t < k; t++) mpq_init(m->tok[t].gate);
    m->h0 = g_new(mpq_t, n + 1);
    for (uint32_t i = 0; i < n; i++) mpq_init(m->h0[i]);
    m->n_out = n;
    m->accept = g_new0(uint8_t, n + 1);
    return m;
}

void lk_lrnn_free(LkLrnn *m)
{
    if (!m) return;
    lk_float_plan_free(m->fplan);
    uint32_t k = lk_alphabet_size(m->alphabet);
    for (uint32_t t = 0; t < k; t++) {
        for (uint32_t j = 0; j < m->tok[t].n_factors; j++) {
            LkFactor *f = &m->tok[t].f[j];
            mpq_clear(f->beta);
            mpq_clear(f->c);
            mpq_clear(f->uu);
            mpq_clear(f->theta);
            for (uint32_t i = 0; i < m->n; i++) mpq_clear(f->u[i]);
            g_free(f->u);
        }
        g_free(m->tok[t].f);
        mpq_clear(m->tok[t].gate);
    }
    g_free(m->tok);
    for (uint32_t i = 0; i < m->n; i++) mpq_clear(m->h0[i]);
    g_free(m->h0);
    g_free(m->accept);
    for (size_t i = 0; i < (size_t)m->n_codes * m->n; i++) mpq_clear(m->codes[i]);
    g_free(m->codes);
    g_free(m->code_out);
    lk_alphabet_unref(m->alphabet);
    g_free(m);
}

void lk_lrnn_add_factor(LkLrnn *m, uint32_t t, const mpq_t beta, mpq_t *const u, const mpq_t c)
{
    g_return_if_fail(m != NULL);
    LkToken *tk = &m->tok[t];
    lk_float_plan_free(m->fplan); /* derived data is now stale */
    m->fplan = NULL;
    tk->f = g_renew(LkFactor, tk->f, tk->n_factors + 1);
    LkFactor *f = &tk->f[tk->n_factors++];
    mpq_init(f->beta);
    mpq_set(f->beta, beta);
    mpq_init(f->c);
    mpq_set(f->c, c);
    mpq_init(f->uu);
    mpq_init(f->theta);
    f->u = g_new(mpq_t, m->n + 1);
    mpq_t sq;
    mpq_init(sq);
    for (uint32_t i = 0; i < m->n; i++) {
        mpq_init(f->u[i]);
        mpq_set(f->u[i], u[i]);
        mpq_mul(sq, u[i], u[i]);
        mpq_add(f->uu, f->uu, sq);
    }
    mpq_clear(sq);
}

void lk_lrnn_set_codebook(LkLrnn *m, uint32_t n_codes, mpq_t *const codes, const uint32_t *outputs,
                          uint32_t n_out)
{
    g_return_if_fail(m != NULL);
    for (size_t i = 0; i < (size_t)m->n_codes * m->n; i++) mpq_clear(m->codes[i]);
    g_free(m->codes);
    g_free(m->code_out);
    m->n_codes = n_codes;
    m->codes = g_new(mpq_t, (size_t)n_codes * m->n + 1);
    for (size_t i = 0; i < (size_t)n_codes * m->n; i++) {
        mpq_init(m->codes[i]);
        mpq_set(m->codes[i], codes[i]);
    }
    m->code_out = g_new(uint32_t, n_codes + 1);
    if (n_codes) memcpy(m->code_out, outputs, sizeof(uint32_t) * n_codes);
    g_free(m->accept);
    m->n_out = n_out;
    m->accept = g_new0(uint8_t, n_out + 1);
}

/* r - 2 floor(r / 2): the angle in [0, 2). */
static void angle_normalize(mpq_t r)
{
    mpz_t q;
    mpz_init(q);
    mpz_mul_ui(q, mpq_denref(r), 2);
    mpz_fdiv_q(q, mpq_numref(r), q);
    mpz_mul(q, q, mpq_denref(r));
    mpz_mul_ui(q, q, 2);
    mpz_sub(mpq_numref(r), mpq_numref(r), q);
    mpq_canonicalize(r);
    mpz_clear(q);
}

void lk_lrnn_add_angle_factor(LkLrnn *m, uint32_t t, const mpq_t theta)
{
    g_return_if_fail(m != NULL);
    mpq_t two, zero, u[2];
    mpq_inits(two, zero, u[0], u[1], NULL);
    mpq_set_ui(two, 2, 1);
    mpq_set_ui(u[0], 1, 1);
    lk_lrnn_add_factor(m, t, two, u, zero);
    LkFactor *f = &m->tok[t].f[m->tok[t].n_factors - 1];
    mpq_set(f->theta, theta);
    angle_normalize(f->theta);
    mpq_clears(two, zero, u[0], u[1], NULL);
}

uint32_t lk_lrnn_max_factors(const LkLrnn *m)
{
    g_return_val_if_fail(m != NULL, 0);
    uint32_t mx = 0;
    for (uint32_t t = 0; t < lk_alphabet_size(m->alphabet); t++) mx = MAX(mx, m->tok[t].n_factors);
    return mx;
}

static void append_q(GString *s, const mpq_t q)
{
    char *str = mpq_get_str(NULL, 10, q);
    g_string_append_printf(s, "\"%s\"", str);
    free(str);
}

char *lk_lrnn_to_json(const LkLrnn *m)
{
    g_return_val_if_fail(m != NULL, NULL);
    GString *s = g_string_new("{\"format\": \"lrnnkit-lrnn\", \"version\": 1, \"n\": ");
    g_string_append_printf(s, "%u, \"alphabet\": [", m->n);
    uint32_t k = lk_alphabet_size(m->alphabet);
    for (uint32_t t = 0; t < k; t++) {
        if (t) g_string_append(s, ", ");
        lk_json_append_string(s, lk_alphabet_name(m->alphabet, t));
    }
    if (m->angular) { /* angles instead of vectors (see model.h) */
        g_string_append(s, "], \"angular\": true, \"h0_angle\": ");
        append_q(s, m->h0[0]);
        g_string_append(s, ", \"accept\": [");
    } else {
        g_string_append(s, "], \"h0\": [");
        for (uint32_t i = 0; i < m->n; i++) {
            if (i) g_string_append(s, ", ");
            append_q(s, m->h0[i]);
        }
        g_string_append(s, "], \"accept\": [");
    }
    for (uint32_t i = 0; i < m->n_out; i++)
        g_string_append_printf(s, "%s%d", i ? ", " : "", m->accept[i]);
    if (m->n_codes && m->angular) {
        g_string_append(s, "], \"code_angles\": [");
        for (uint32_t c = 0; c < m->n_codes; c++) {
            if (c) g_string_append(s, ", ");
            append_q(s, m->codes[(size_t)c * m->n]);
        }
        g_string_append(s, "], \"code_outputs\": [");
        for (uint32_t c = 0; c < m->n_codes; c++)
            g_string_append_printf(s, "%s%u", c ? ", " : "", m->code_out[c]);
    } else if (m->n_codes) {
        g_string_append(s, "], \"codes\": [");
        for (uint32_t c = 0; c < m->n_codes; c++) {
            g_string_append(s, c ? ", [" : "[");
            for (uint32_t i = 0; i < m->n; i++) {
                if (i) g_string_append(s, ", ");
                append_q(s, m->codes[(size_t)c * m->n + i]);
            }
            g_string_append_c(s, ']');
        }
        g_string_append(s, "], \"code_outputs\": [");
        for (uint32_t c = 0; c < m->n_codes; c++)
            g_string_append_printf(s, "%s%u", c ? ", " : "", m->code_out[c]);
    }
    g_string_append(s, "], \"tokens\": [");
    for (uint32_t t = 0; t < k; t++) {
        const LkToken *tk = &m->tok[t];
        g_string_append(s, t ? ", {\"gate\": " : "{\"gate\": ");
        if (tk->gated)
            append_q(s, tk->gate);
        else
            g_string_append(s, "null");
        g_string_append(s, ", \"factors\": [");
        for (uint32_t j = 0; j < tk->n_factors; j++) {
            const LkFactor *f = &tk->f[j];
            if (m->angular) {
                g_string_append(s, j ? ", {\"angle\": " : "{\"angle\": ");
                append_q(s, f->theta);
                g_string_append(s, "}");
                continue;
            }
            g_string_append(s, j ? ", {\"beta\": " : "{\"beta\": ");
            append_q(s, f->beta);
            g_string_append(s, ", \"c\": ");
            append_q(s, f->c);
            uint32_t nz = 0;
            for (uint32_t i = 0; i < m->n; i++) nz += mpq_sgn(f->u[i]) != 0;
            if (2 * nz < m->n) { /* sparse: the support and its entries */
                g_string_append(s, ", \"u_support\": [");
                for (uint32_t i = 0, w = 0; i < m->n; i++)
                    if (mpq_sgn(f->u[i])) g_string_append_printf(s, "%s%u", w++ ? ", " : "", i);
                g_string_append(s, "], \"u\": [");
                for (uint32_t i = 0, w = 0; i < m->n; i++)
                    if (mpq_sgn(f->u[i])) {
                        if (w++) g_string_append(s, ", ");
                        append_q(s, f->u[i]);
                    }
            } else {
                g_string_append(s, ", \"u\": [");
                for (uint32_t i = 0; i < m->n; i++) {
                    if (i) g_string_append(s, ", ");
                    append_q(s, f->u[i]);
                }
            }
            g_string_append(s, "]}");
        }
        g_string_append(s, "]}");
    }
    g_string_append(s, "]}");
    return g_string_free(s, FALSE);
}

static bool get_q(JsonNode *node, mpq_t out)
{
    if (!node || JSON_NODE_TYPE(node) != JSON_NODE_VALUE ||
        json_node_get_value_type(node) != G_TYPE_STRING)
        return false;
    const char *s = json_node_get_string(node);
    if (!*s || strlen(s) > 100000 || mpq_set_str(out, s, 10) != 0 || mpz_sgn(mpq_denref(out)) == 0)
        return false;
    mpq_canonicalize(out);
    return true;
}

static bool fail(GError **error, const char *msg)
{
    g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "model: %s", msg);
    return false;
}

static LkAlphabet *alphabet_from(JsonNode *an)
{
    if (!an || !JSON_NODE_HOLDS_ARRAY(an)) return NULL;
    JsonArray *aa = json_node_get_array(an);
    guint k = json_array_get_length(aa);
    const char **names = g_new0(const char *, k + 1);
    for (guint i = 0; i < k; i++) {
        JsonNode *e = json_array_get_element(aa, i);
        names[i] =
            JSON_NODE_TYPE(e) == JSON_NODE_VALUE && json_node_get_value_type(e) == G_TYPE_STRING
                ? json_node_get_string(e)
                : NULL;
    }
    LkAlphabet *alpha = lk_alphabet_new(names, k, NULL);
    g_free(names);
    return alpha;
}

/* An angular layer (see model.h): h0_angle, accept, code_angles with
 * code_outputs, and tokens whose factors are {"angle": theta}. */
static LkLrnn *angular_from_json(JsonObject *o, GError **error)
{
    g_autoptr(LkAlphabet) alpha = alphabet_from(json_object_get_member(o, "alphabet"));
    JsonNode *accn = json_object_get_member(o, "accept"), *tn = json_object_get_member(o, "tokens");
    JsonNode *cn = json_object_get_member(o, "code_angles"),
             *con = json_object_get_member(o, "code_outputs");
    if (!alpha || !lk_json_int(o, "n", 2, 2, &(int64_t){0}) || !accn ||
        !JSON_NODE_HOLDS_ARRAY(accn) || !tn || !JSON_NODE_HOLDS_ARRAY(tn) || !cn ||
        !JSON_NODE_HOLDS_ARRAY(cn) || !con || !JSON_NODE_HOLDS_ARRAY(con)) {
        fail(error, "an angular model needs n = 2, alphabet, h0_angle, accept, code_angles, "
                    "code_outputs and tokens");
        return NULL;
    }
    JsonArray *acca = json_node_get_array(accn), *ta = json_node_get_array(tn),
              *ca = json_node_get_array(cn), *coa = json_node_get_array(con);
    const guint n_out = json_array_get_length(acca), nc = json_array_get_length(ca),
                k = lk_alphabet_size(alpha);
    if (n_out == 0 || nc == 0 || json_array_get_length(coa) != nc ||
        json_array_get_length(ta) != k) {
        fail(error, "accept and code_angles must be nonempty, code_outputs as long as "
                    "code_angles, tokens one per symbol");
        return NULL;
    }
    LkLrnn *m = lk_lrnn_new(alpha, 2);
    m->angular = true;
    mpq_t *codes = g_new0(mpq_t, 2 * (size_t)nc + 1), theta;
    uint32_t *outs = g_new0(uint32_t, nc + 1);
    mpq_init(theta);
    for (size_t i = 0; i < 2 * (size_t)nc; i++) mpq_init(codes[i]);
    bool ok = get_q(json_object_get_member(o, "h0_angle"), m->h0[0]);
    for (guint c = 0; ok && c < nc; c++)
        ok = get_q(json_array_get_element(ca, c), codes[2 * c]) &&
             lk_json_node_index(json_array_get_element(coa, c), n_out, &outs[c]);
    if (!ok) {
        fail(error, "h0_angle and code_angles must be rational strings, code_outputs outputs");
    } else {
        angle_normalize(m->h0[0]);
        for (guint c = 0; c < nc; c++) angle_normalize(codes[2 * c]);
        lk_lrnn_set_codebook(m, nc, codes, outs, n_out);
        ok = lk_json_flags(acca, n_out, m->accept);
        if (!ok) fail(error, "accept entries are 0/1 or true/false");
    }
    for (guint t = 0; ok && t < k; t++) {
        JsonNode *tnode = json_array_get_element(ta, t);
        JsonObject *to = JSON_NODE_HOLDS_OBJECT(tnode) ? json_node_get_object(tnode) : NULL;
        JsonNode *g = to ? json_object_get_member(to, "gate") : NULL;
        JsonNode *fn = to ? json_object_get_member(to, "factors") : NULL;
        ok = fn && JSON_NODE_HOLDS_ARRAY(fn) && (!g || JSON_NODE_HOLDS_NULL(g));
        JsonArray *fa = ok ? json_node_get_array(fn) : NULL;
        for (guint j = 0; ok && j < json_array_get_length(fa); j++) {
            JsonNode *fj = json_array_get_element(fa, j);
            ok = JSON_NODE_HOLDS_OBJECT(fj) &&
                 get_q(json_object_get_member(json_node_get_object(fj), "angle"), theta);
            if (ok) lk_lrnn_add_angle_factor(m, t, theta);
        }
        if (!ok) fail(error, "tokens of an angular model are ungated lists of {\"angle\": theta}");
    }
    for (size_t i = 0; i < 2 * (size_t)nc; i++) mpq_clear(codes[i]);
    g_free(codes);
    g_free(outs);
    mpq_clear(theta);
    if (!ok) {
        lk_lrnn_free(m);
        return NULL;
    }
    lk_lrnn_prepare(m);
    return m;
}

LkLrnn *lk_lrnn_from_json(const char *text, gssize len, GError **error)
{
    g_return_val_if_fail(text != NULL, NULL);
    JsonParser *p = json_parser_new_immutable();
    LkLrnn *m = NULL;
    LkAlphabet *alpha = NULL;
    mpq_t beta, c, *u = NULL;
    mpq_inits(beta, c, NULL);
    uint32_t n = 0;
    if (!lk_json_parse(p, text, len, "model", error)) goto out;
    if (!json_parser_get_root(p) || !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        fail(error, "not a JSON object");
        goto out;
    }
    JsonObject *o = json_node_get_object(json_parser_get_root(p));
    int64_t nn = -1;
    bool angular;
    if (g_strcmp0(lk_json_string(o, "format"), "lrnnkit-lrnn") != 0 ||
        !lk_json_int(o, "version", 1, 1, &(int64_t){0}) ||
        !lk_json_bool(o, "angular", false, &angular)) {
        fail(error, "not an lrnnkit-lrnn version 1 model");
        goto out;
    }
    if (angular) {
        m = angular_from_json(o, error);
        goto out;
    }
    lk_json_int(o, "n", 1, 100000, &nn);
    JsonNode *an = json_object_get_member(o, "alphabet"), *hn = json_object_get_member(o, "h0");
    JsonNode *accn = json_object_get_member(o, "accept"), *tn = json_object_get_member(o, "tokens");
    if (nn < 1 || nn > 100000 || !an || !JSON_NODE_HOLDS_ARRAY(an) || !hn ||
        !JSON_NODE_HOLDS_ARRAY(hn) || !accn || !JSON_NODE_HOLDS_ARRAY(accn) || !tn ||
        !JSON_NODE_HOLDS_ARRAY(tn)) {
        fail(error, "missing or malformed n, alphabet, h0, accept or tokens");
        goto out;
    }
    n = (uint32_t)nn;
    guint k = json_array_get_length(json_node_get_array(an));
    if (!(alpha = alphabet_from(an))) {
        fail(error, "bad alphabet");
        goto out;
    }
    JsonArray *ha = json_node_get_array(hn), *acca = json_node_get_array(accn),
              *ta = json_node_get_array(tn);
    JsonNode *cn = json_object_get_member(o, "codes"),
             *con = json_object_get_member(o, "code_outputs");
    const bool codebook = cn != NULL;
    const guint n_out = json_array_get_length(acca);
    if (json_array_get_length(ha) != n || json_array_get_length(ta) != k ||
        (!codebook && n_out != n) || n_out == 0) {
        fail(error, "h0 needs n entries, accept n entries (or one per output of the codebook), "
                    "tokens one per symbol");
        goto out;
    }
    /* what the file declares, bounded before anything of that size is made:
     * every factor and every code holds n rationals, however short the file */
    uint64_t vectors =
        1 + (cn && JSON_NODE_HOLDS_ARRAY(cn) ? json_array_get_length(json_node_get_array(cn)) : 0);
    for (guint t = 0; t < k; t++) {
        JsonNode *tnode = json_array_get_element(ta, t);
        JsonArray *fa = JSON_NODE_HOLDS_OBJECT(tnode)
                            ? lk_json_array(json_node_get_object(tnode), "factors")
                            : NULL;
        vectors += fa ? json_array_get_length(fa) : 0;
    }
    if (vectors * n > LK_MODEL_MAX_ENTRIES) {
        g_set_error(error, LK_ERROR, LK_ERROR_LIMIT,
                    "model: %" G_GUINT64_FORMAT " vectors of dimension %u declared, more than %u "
                    "exact entries in all",
                    vectors, n, LK_MODEL_MAX_ENTRIES);
        goto out;
    }
    m = lk_lrnn_new(alpha, n);
    for (uint32_t i = 0; i < n; i++)
        if (!get_q(json_array_get_element(ha, i), m->h0[i])) {
            fail(error, "h0 entries must be rational strings");
            goto bad;
        }
    if (codebook) {
        if (!JSON_NODE_HOLDS_ARRAY(cn) || !con || !JSON_NODE_HOLDS_ARRAY(con) ||
            json_array_get_length(json_node_get_array(cn)) !=
                json_array_get_length(json_node_get_array(con)) ||
            json_array_get_length(json_node_get_array(cn)) == 0) {
            fail(error, "codes and code_outputs must be arrays of the same positive length");
            goto bad;
        }
        JsonArray *ca = json_node_get_array(cn), *coa = json_node_get_array(con);
        guint nc = json_array_get_length(ca);
        mpq_t *codes = g_new(mpq_t, (size_t)nc * n + 1);
        uint32_t *outs = g_new(uint32_t, nc + 1);
        bool good = true;
        for (size_t i = 0; i < (size_t)nc * n; i++) mpq_init(codes[i]);
        for (guint ci = 0; ci < nc && good; ci++) {
            JsonNode *row = json_array_get_element(ca, ci), *ov = json_array_get_element(coa, ci);
            good = JSON_NODE_HOLDS_ARRAY(row) &&
                   json_array_get_length(json_node_get_array(row)) == n &&
                   lk_json_node_index(ov, n_out, &outs[ci]);
            for (uint32_t i = 0; good && i < n; i++)
                good = get_q(json_array_get_element(json_node_get_array(row), i),
                             codes[(size_t)ci * n + i]);
        }
        if (good) lk_lrnn_set_codebook(m, nc, codes, outs, n_out);
        for (size_t i = 0; i < (size_t)nc * n; i++) mpq_clear(codes[i]);
        g_free(codes);
        g_free(outs);
        if (!good) {
            fail(error, "a code needs n rational strings and an output in range");
            goto bad;
        }
    }
    if (!lk_json_flags(acca, n_out, m->accept)) {
        fail(error, "accept entries are 0/1 or true/false");
        goto bad;
    }
    u = g_new(mpq_t, n + 1);
    for (uint32_t i = 0; i < n; i++) mpq_init(u[i]);
    for (guint t = 0; t < k; t++) {
        JsonNode *tnode = json_array_get_element(ta, t);
        if (!JSON_NODE_HOLDS_OBJECT(tnode)) {
            fail(error, "tokens must be objects");
            goto bad;
        }
        JsonObject *to = json_node_get_object(tnode);
        JsonNode *g = json_object_get_member(to, "gate");
        if (g && !JSON_NODE_HOLDS_NULL(g)) {
            if (!get_q(g, m->tok[t].gate) || mpq_sgn(m->tok[t].gate) < 0 ||
                mpq_cmp_ui(m->tok[t].gate, 1, 1) > 0) {
                fail(error, "a gate must be a rational in [0, 1]");
                goto bad;
            }
            m->tok[t].gated = true;
        }
        JsonNode *fn = json_object_get_member(to, "factors");
        if (!fn || !JSON_NODE_HOLDS_ARRAY(fn)) {
            fail(error, "token without factors");
            goto bad;
        }
        JsonArray *fa = json_node_get_array(fn);
        for (guint j = 0; j < json_array_get_length(fa); j++) {
            JsonNode *fj = json_array_get_element(fa, j);
            JsonObject *fo = JSON_NODE_HOLDS_OBJECT(fj) ? json_node_get_object(fj) : NULL;
            JsonNode *un = fo ? json_object_get_member(fo, "u") : NULL;
            JsonNode *sn = fo ? json_object_get_member(fo, "u_support") : NULL;
            JsonArray *sup = sn && JSON_NODE_HOLDS_ARRAY(sn) ? json_node_get_array(sn) : NULL;
            const guint n_u = sup ? json_array_get_length(sup) : n;
            if (!fo || !get_q(json_object_get_member(fo, "beta"), beta) ||
                !get_q(json_object_get_member(fo, "c"), c) || !un || !JSON_NODE_HOLDS_ARRAY(un) ||
                (sn && !sup) || json_array_get_length(json_node_get_array(un)) != n_u) {
                fail(error, "a factor needs beta, c and u (n entries, or one per u_support index)");
                goto bad;
            }
            bool nonzero = false;
            for (uint32_t i = 0; i < n; i++) mpq_set_ui(u[i], 0, 1);
            for (guint e = 0, prev = 0; e < n_u; e++) { /* support: increasing indices below n */
                uint32_t i = e;
                if (sup) {
                    JsonNode *in = json_array_get_element(sup, e);
                    uint32_t v;
                    if (!lk_json_node_index(in, n, &v) || (e && v <= prev)) {
                        fail(error, "u_support must list increasing indices below n");
                        goto bad;
                    }
                    i = (uint32_t)v, prev = i;
                }
                if (!get_q(json_array_get_element(json_node_get_array(un), e), u[i])) {
                    fail(error, "u entries must be rational strings");
                    goto bad;
                }
                nonzero |= mpq_sgn(u[i]) != 0;
            }
            if (!nonzero || mpq_sgn(beta) < 0 || mpq_cmp_ui(beta, 2, 1) > 0) {
                fail(error, "a factor needs u != 0 and beta in [0, 2]");
                goto bad;
            }
            lk_lrnn_add_factor(m, t, beta, u, c);
        }
    }
    goto out;
bad:
    lk_lrnn_free(m);
    m = NULL;
out:
    if (u) {
        for (uint32_t i = 0; i < n; i++) mpq_clear(u[i]);
        g_free(u);
    }
    mpq_clears(beta, c, NULL);
    lk_alphabet_unref(alpha);
    g_object_unref(p);
    if (m) lk_lrnn_prepare(m);
    return m;
}
