/* lrnnkit dfa: the minimal complete DFA of a regex or a DFA file. */
#include "tools/cli.h"
#include "automata/families.h"

#include <stdio.h>
#include <string.h>

static int list_families(gboolean json)
{
    size_t n;
    const LkFamilyInfo *f = lk_families(&n);
    GString *s = g_string_new(NULL);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "families");
    json_builder_begin_array(b);
    for (size_t i = 0; i < n; i++) {
        json_builder_begin_object(b);
        lk_jb_string(b, "name", f[i].name);
        lk_jb_string(b, "tokens", f[i].tokens);
        lk_jb_string(b, "summary", f[i].summary);
        json_builder_end_object(b);
        if (!json)
            g_string_append_printf(s, "%-10s %-34s %s\n", f[i].name, f[i].tokens, f[i].summary);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    if (json) lk_cli_append_json(s, b);
    fputs(s->str, stdout);
    g_string_free(s, TRUE);
    return LK_EXIT_OK;
}

int lk_cmd_dfa(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, dot = FALSE, stats = FALSE, list = FALSE;
    g_autofree char *minimizer = NULL, *output = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the DFA as JSON (the DFA file format)",
         NULL},
        {"dot", 0, 0, G_OPTION_ARG_NONE, &dot, "Print Graphviz DOT", NULL},
        {"stats", 0, 0, G_OPTION_ARG_NONE, &stats,
         "Print only the sizes and the seconds the construction took", NULL},
        {"minimizer", 0, 0, G_OPTION_ARG_STRING, &minimizer,
         "auto (default), hopcroft or brzozowski", "ALG"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically)", "FILE"},
        {"list-families", 0, 0, G_OPTION_ARG_NONE, &list, "List the built-in families", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("[REGEX] - the minimal complete DFA");
    g_option_context_set_summary(
        ctx, "Compiles REGEX (or --load FILE, --family NAME) to its minimal complete DFA, "
             "states numbered breadth-first from the start.\n"
             "Regex syntax: see the README or 'lrnnkit help regex'.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    int rc = LK_EXIT_OK;
    g_autoptr(LkDfa) d = NULL;
    g_autofree char *file_text = NULL; /* --regex-file, read before the clock starts */
    if (!lk_cli_parse(ctx, &argc, &argv)) {
        rc = LK_EXIT_USAGE;
        goto out;
    }
    if (list) {
        rc = list_families(json);
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
    LkMinimizer how = LK_MINIMIZE_AUTO;
    if (minimizer && strcmp(minimizer, "brzozowski") == 0)
        how = LK_MINIMIZE_BRZOZOWSKI;
    else if (minimizer && strcmp(minimizer, "hopcroft") == 0)
        how = LK_MINIMIZE_HOPCROFT;
    else if (minimizer && strcmp(minimizer, "auto") != 0) {
        rc = lk_cli_usage("unknown --minimizer '%s' (auto, hopcroft or brzozowski)", minimizer);
        goto out;
    }
    const char *regex = argc == 2 ? argv[1] : NULL;
    GError *err = NULL;
    if (in.regex_file && !regex) { /* read before the clock starts: --stats times construction */
        regex = file_text = lk_cli_read_regex_file(in.regex_file, &err);
        if (!regex) {
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        g_clear_pointer(&in.regex_file, g_free);
    }
    gint64 t0 = g_get_monotonic_time();
    d = lk_cli_input_dfa(&in, regex, how, &err);
    double seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
    if (!d) {
        rc = lk_cli_fail(err, regex);
        goto out;
    }
    if (stats) {
        g_autofree char *text =
            g_strdup_printf("states: %u\naccepting: %u\nsymbols: %u\nseconds: %.6f\n", d->n,
                            lk_dfa_accept_count(d), d->k, seconds);
        if (!lk_cli_write(output, text, &err)) rc = lk_cli_fail(err, NULL);
    } else if (!lk_cli_print_dfa(d, json ? "json" : dot ? "dot" : NULL, output, &err)) {
        rc = lk_cli_fail(err, NULL);
    }
out:
    lk_cli_input_clear(&in);
    return rc;
}
