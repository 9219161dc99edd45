/* lrnnkit dfa: the minimal complete DFA of a regex or a DFA file. */
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

static char *human(const LkDfa *d)
{
    GString *s = g_string_new(NULL);
    g_string_append(s, "alphabet:");
    for (uint32_t a = 0; a < d->k; a++)
        g_string_append_printf(s, " %s", lk_alphabet_name(d->alphabet, a));
    g_string_append_printf(s, "\nstates: %u, start: %u, accepting: %u\n", d->n, d->start,
                           lk_dfa_accept_count(d));
    /* Column width: the widest state number or symbol name. */
    char num[16];
    int w = snprintf(num, sizeof num, "%u", d->n), tmp;
    for (uint32_t a = 0; a < d->k; a++)
        if ((tmp = (int)g_utf8_strlen(lk_alphabet_name(d->alphabet, a), -1)) > w) w = tmp;
    g_string_append_printf(s, "%*s", w + 4, "");
    for (uint32_t a = 0; a < d->k; a++)
        g_string_append_printf(s, " %*s", w, lk_alphabet_name(d->alphabet, a));
    g_string_append_c(s, '\n');
    for (uint32_t q = 0; q < d->n; q++) {
        g_string_append_printf(s, "%s%s %*u", q == d->start ? "->" : "  ", d->accept[q] ? "*" : " ",
                               w, q);
        for (uint32_t a = 0; a < d->k; a++)
            g_string_append_printf(s, " %*u", w, d->delta[(size_t)q * d->k + a]);
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}

int lk_cmd_dfa(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, dot = FALSE, stats = FALSE;
    g_autofree char *minimizer = NULL, *output = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the DFA as JSON (the DFA file format)",
         NULL},
        {"dot", 0, 0, G_OPTION_ARG_NONE, &dot, "Print Graphviz DOT", NULL},
        {"stats", 0, 0, G_OPTION_ARG_NONE, &stats, "Print only the sizes", NULL},
        {"minimizer", 0, 0, G_OPTION_ARG_STRING, &minimizer,
         "hopcroft (default) or brzozowski", "ALG"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically)", "FILE"},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("[REGEX] - the minimal complete DFA");
    g_option_context_set_summary(ctx,
                                 "Compiles REGEX (or --load FILE) to its minimal complete DFA, "
                                 "states numbered breadth-first from the start.\n"
                                 "Regex syntax: see the README or 'lrnnkit help regex'.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    int rc = LK_EXIT_OK;
    g_autoptr(LkDfa) d = NULL;
    g_autofree char *text = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) {
        rc = LK_EXIT_USAGE;
        goto out;
    }
    if (argc > 2) {
        rc = lk_cli_usage("dfa takes one REGEX (quote it), got %d arguments", argc - 1);
        goto out;
    }
    if (json + dot + stats > 1) {
        rc = lk_cli_usage("give at most one of --json, --dot, --stats");
        goto out;
    }
    LkMinimizer how = LK_MINIMIZE_HOPCROFT;
    if (minimizer && strcmp(minimizer, "brzozowski") == 0)
        how = LK_MINIMIZE_BRZOZOWSKI;
    else if (minimizer && strcmp(minimizer, "hopcroft") != 0) {
        rc = lk_cli_usage("unknown --minimizer '%s' (hopcroft or brzozowski)", minimizer);
        goto out;
    }
    const char *regex = argc == 2 ? argv[1] : NULL;
    GError *err = NULL;
    d = lk_cli_input_dfa(&in, regex, how, &err);
    if (!d) {
        rc = lk_cli_fail(err, regex);
        goto out;
    }
    if (json)
        text = lk_dfa_to_json(d);
    else if (dot)
        text = lk_dfa_to_dot(d);
    else if (stats)
        text = g_strdup_printf("states: %u\naccepting: %u\nsymbols: %u\n", d->n,
                               lk_dfa_accept_count(d), d->k);
    else
        text = human(d);
    if (!lk_cli_write(output, text, &err)) rc = lk_cli_fail(err, NULL);
out:
    lk_cli_input_clear(&in);
    return rc;
}
