/* lrnnkit equiv: are two languages equal (or one included in the other)? */
#include "tools/cli.h"

#include <stdio.h>

int lk_cmd_equiv(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, subset = FALSE;
    GOptionEntry entries[] = {{"json", 0, 0, G_OPTION_ARG_NONE, &json,
                               "Print {\"equivalent\": bool, \"counterexample\": ...}", NULL},
                              {"subset", 0, 0, G_OPTION_ARG_NONE, &subset,
                               "Check that the first language is included in the second", NULL},
                              {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("R1 R2 - compare two languages");
    g_option_context_set_summary(
        ctx, "Exit 0 when the languages are equal (with --subset: L1 is included in L2), 1 when "
             "not, with the shortest counterexample (least in shortlex order).\nOperands: --load "
             "files first, then --family names, then regexes.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    int rc = LK_EXIT_USAGE;
    g_autofree char *word = NULL;
    LkDfa **dfas = NULL;
    GArray *cex = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    GError *err = NULL;
    dfas = lk_cli_input_dfas(&in, argv + 1, argc - 1, 2, &err);
    if (!dfas) {
        rc = lk_cli_fail(err, argc > 1 ? argv[1] : NULL);
        goto out;
    }
    bool r;
    if (!(subset ? lk_dfa_included(dfas[0], dfas[1], &r, cex, NULL, &err)
                 : lk_dfa_equivalent(dfas[0], dfas[1], &r, cex, NULL, &err))) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    word = r ? NULL : lk_cli_word(dfas[0]->alphabet, cex);
    if (json) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_bool(b, subset ? "included" : "equivalent", r != 0);
        lk_jb_string(b, "counterexample", word);
        if (!r)
            lk_jb_string(b, "accepted_by",
                         lk_dfa_accepts(dfas[0], (uint32_t *)cex->data, cex->len) ? "first"
                                                                                  : "second");
        json_builder_end_object(b);
        lk_cli_print_json(b);
    } else if (r) {
        printf(subset ? "included\n" : "equivalent\n");
    } else {
        bool first = lk_dfa_accepts(dfas[0], (uint32_t *)cex->data, cex->len);
        printf("%s: '%s' is accepted by the %s only\n", subset ? "not included" : "not equivalent",
               word, first ? "first" : "second");
    }
    rc = r ? LK_EXIT_OK : LK_EXIT_FALSE;
out:
    lk_cli_free_dfas(dfas);
    g_array_unref(cex);
    lk_cli_input_clear(&in);
    return rc;
}
