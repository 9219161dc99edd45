/* lrnnkit spectrum: the exact eigenvalue class of every token of a model
 * (proofs/spectrum.h), and with --products K of every word of up to K tokens. */
#include "proofs/spectrum.h"
#include "tools/cli.h"

#include <stdio.h>

static void add_token(JsonBuilder *b, const char *name, const LkSpectrum *s)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "token");
    json_builder_add_string_value(b, name);
    json_builder_set_member_name(b, "class");
    json_builder_add_string_value(b, lk_spec_class_name(s->cls));
    json_builder_set_member_name(b, "real_roots");
    json_builder_add_int_value(b, s->roots.real);
    json_builder_set_member_name(b, "nonnegative_roots");
    json_builder_add_int_value(b, s->roots.zero + s->roots.positive);
    json_builder_set_member_name(b, "negative_roots");
    json_builder_add_int_value(b, s->roots.negative);
    json_builder_set_member_name(b, "nonreal_roots");
    json_builder_add_int_value(b, s->roots.nonreal);
    json_builder_set_member_name(b, "charpoly"); /* coefficients from x^0 up; null: irrational */
    if (s->charpoly) {
        json_builder_begin_array(b);
        for (int i = 0; i <= s->charpoly->deg; i++) {
            g_autofree char *c = lk_qpoly_coef_str(s->charpoly, i);
            json_builder_add_string_value(b, c);
        }
        json_builder_end_array(b);
    } else {
        json_builder_add_null_value(b);
    }
    json_builder_end_object(b);
}

int lk_cmd_spectrum(int argc, char **argv)
{
    gboolean json = FALSE;
    gint64 products = 1, max_words = 100000;
    g_autofree char *matrices = NULL;
    gboolean from_tensors = FALSE;
    GOptionEntry entries[] = {
        LK_CLI_FROM_TENSORS(from_tensors),
        LK_CLI_MATRICES(matrices),
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
        {"products", 0, 0, G_OPTION_ARG_INT64, &products,
         "Also every word of 2..K tokens per layer (Theorem 2: K = 2^(i-1) in layer i)", "K"},
        {"max-words", 0, 0, G_OPTION_ARG_INT64, &max_words,
         "Limit on the words --products examines per layer (default 100000)", "N"},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new(
        "(MODEL | --matrices F.npz) - exact eigenvalue classes of a model's transitions");
    g_option_context_set_summary(
        ctx, "The characteristic polynomial of every token's transition, exactly, and its real "
             "roots counted by Sturm sequences: nonnegative (every eigenvalue real and >= 0: no "
             "parity, Theorem 1), real (no counting modulo 3, Theorem 2) or complex.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_range(&products, "products", 1, 64, 1);
    lk_cli_range(&max_words, "max-words", 1, G_MAXINT64, 100000);
    int rc = LK_EXIT_USAGE;
    GError *err = NULL;
    g_autoptr(LkStack) st = NULL;
    g_autoptr(LkMatrices) mats = NULL;
    g_autoptr(JsonBuilder) b = json_builder_new();
    GString *text = g_string_new(NULL);
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if ((argc != 2) == !matrices) {
        rc = lk_cli_usage("spectrum takes one MODEL or --matrices F.npz");
        goto out;
    }
    if (matrices ? !(mats = lk_matrices_load_npz(matrices, NULL, &err))
                 : !(st = lk_cli_load_model(argv[1], from_tensors, &err))) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    const uint32_t n_layers = mats ? mats->n_layers : st->n_layers;
    LkSpecClass model_cls = LK_SPEC_NONNEGATIVE;
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "layers");
    json_builder_begin_array(b);
    for (uint32_t l = 0; l < n_layers; l++) {
        const LkLrnn *m = st ? st->layer[l] : NULL;
        const LkMatLayer *ml = mats ? &mats->layer[l] : NULL;
        const LkAlphabet *alpha = m ? m->alphabet : mats->alphabet;
        LkSpecClass layer_cls = LK_SPEC_NONNEGATIVE;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "tokens");
        json_builder_begin_array(b);
        g_string_append_printf(text, "layer %u (%u states):\n", l, m ? m->n : ml->n);
        for (uint32_t t = 0; t < lk_alphabet_size(alpha); t++) {
            LkSpectrum s;
            if (m ? !lk_spectrum_word(m, &t, 1, &s, &err) : !lk_spectrum_mat_word(ml, &t, 1, &s)) {
                rc = lk_cli_fail(err, NULL);
                goto out;
            }
            layer_cls = MAX(layer_cls, s.cls);
            add_token(b, lk_alphabet_name(alpha, t), &s);
            g_string_append_printf(text, "  %-12s %-12s real %u (>= 0: %u, < 0: %u), non-real %u\n",
                                   lk_alphabet_name(alpha, t), lk_spec_class_name(s.cls),
                                   s.roots.real, s.roots.zero + s.roots.positive, s.roots.negative,
                                   s.roots.nonreal);
            lk_spectrum_clear(&s);
        }
        json_builder_end_array(b);
        if (products > 1) {
            LkSpecClass worst;
            g_autoptr(GArray) witness = NULL;
            uint64_t words;
            const LkLimits lim = {.max_words = (uint64_t)max_words};
            if (m ? !lk_spectrum_products(m, (uint32_t)products, &lim, &worst, &witness, &words,
                                          &err)
                  : !lk_spectrum_mat_products(ml, (uint32_t)products, &lim, &worst, &witness,
                                              &words, &err)) {
                rc = lk_cli_fail(err, NULL);
                goto out;
            }
            layer_cls = MAX(layer_cls, worst);
            json_builder_set_member_name(b, "products");
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "max_length");
            json_builder_add_int_value(b, products);
            json_builder_set_member_name(b, "words");
            json_builder_add_int_value(b, (gint64)words);
            json_builder_set_member_name(b, "class");
            json_builder_add_string_value(b, lk_spec_class_name(worst));
            json_builder_set_member_name(b, "witness"); /* a word worse than every token */
            if (witness) {
                json_builder_begin_array(b);
                for (guint i = 0; i < witness->len; i++)
                    json_builder_add_string_value(
                        b, lk_alphabet_name(alpha, g_array_index(witness, uint32_t, i)));
                json_builder_end_array(b);
            } else {
                json_builder_add_null_value(b);
            }
            json_builder_end_object(b);
            g_string_append_printf(text,
                                   "  products of 2..%" G_GINT64_FORMAT
                                   " tokens (%" G_GUINT64_FORMAT " words): %s\n",
                                   products, words, lk_spec_class_name(worst));
        }
        json_builder_set_member_name(b, "class");
        json_builder_add_string_value(b, lk_spec_class_name(layer_cls));
        json_builder_end_object(b);
        model_cls = MAX(model_cls, layer_cls);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "class");
    json_builder_add_string_value(b, lk_spec_class_name(model_cls));
    json_builder_end_object(b);
    g_string_append_printf(text, "class: %s\n", lk_spec_class_name(model_cls));
    if (json) {
        lk_cli_print_json(b);
    } else {
        fputs(text->str, stdout);
    }
    rc = LK_EXIT_OK;
out:
    g_string_free(text, TRUE);
    return rc;
}
