/* lrnnkit op: union, intersection, difference, symmetric difference,
 * complement of languages, as a minimal DFA. */
#include "tools/cli.h"

#include <string.h>

int lk_cmd_op(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, dot = FALSE;
    g_autofree char *output = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the DFA as JSON", NULL},
        {"dot", 0, 0, G_OPTION_ARG_NONE, &dot, "Print Graphviz DOT", NULL},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically)", "FILE"},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new(
        "union|intersect|diff|xor|complement R1 [R2] - operations on languages");
    g_option_context_set_summary(ctx, "Prints the minimal DFA of the result. Operands: --load "
                                      "files first, then --family names, then regexes.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkDfa) raw = NULL;
    g_autoptr(LkDfa) d = NULL;
    LkDfa **dfas = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if (argc < 2) {
        rc = lk_cli_usage("op needs an operation: union, intersect, diff, xor or complement");
        goto out;
    }
    static const struct {
        const char *name;
        int arity;
        LkProductOp op;
    } ops[] = {{"union", 2, LK_PRODUCT_OR},
               {"intersect", 2, LK_PRODUCT_AND},
               {"diff", 2, LK_PRODUCT_DIFF},
               {"xor", 2, LK_PRODUCT_XOR},
               {"complement", 1, LK_PRODUCT_AND}};
    int which = -1;
    for (int i = 0; i < (int)G_N_ELEMENTS(ops); i++)
        if (strcmp(argv[1], ops[i].name) == 0) which = i;
    if (which < 0) {
        rc = lk_cli_usage("unknown operation '%s' (union, intersect, diff, xor, complement)",
                          argv[1]);
        goto out;
    }
    GError *err = NULL;
    dfas = lk_cli_input_dfas(&in, argv + 2, argc - 2, ops[which].arity, &err);
    if (!dfas) {
        rc = lk_cli_fail(err, argc > 2 ? argv[2] : NULL);
        goto out;
    }
    LkLimits lim;
    lk_cli_limits(&in, &lim);
    raw = ops[which].arity == 1 ? lk_dfa_complement(dfas[0])
                                : lk_dfa_product(dfas[0], dfas[1], ops[which].op, &lim, &err);
    if (!raw) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    d = lk_dfa_minimize(raw);
    rc = LK_EXIT_OK;
    if (!lk_cli_print_dfa(d, json ? "json" : dot ? "dot" : NULL, output, &err))
        rc = lk_cli_fail(err, NULL);
out:
    lk_cli_free_dfas(dfas);
    lk_cli_input_clear(&in);
    return rc;
}
