/* lrnnkit member: are words in the language? */
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

int lk_cmd_member(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, from_stdin = FALSE;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print {\"accepted\": [bool, ...]}", NULL},
        {"stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
         "Read the words from standard input, one "
         "per line (then every argument is the regex)",
         NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("REGEX WORD... - membership of words");
    g_option_context_set_summary(ctx, "Exit 0 when every word is accepted, 1 otherwise. With "
                                      "--load/--family, every argument is a word.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkDfa) d = NULL;
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    bool regex_arg = !in.load && !in.family && !in.regex_file;
    if (regex_arg && argc < 2) {
        rc = lk_cli_usage("member needs a REGEX");
        goto out;
    }
    GError *err = NULL;
    d = lk_cli_input_dfa(&in, regex_arg ? argv[1] : NULL, LK_MINIMIZE_AUTO, &err);
    if (!d) {
        rc = lk_cli_fail(err, regex_arg ? argv[1] : NULL);
        goto out;
    }
    for (int i = regex_arg ? 2 : 1; i < argc; i++) g_ptr_array_add(words, g_strdup(argv[i]));
    if (from_stdin) {
        char line[65536];
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\r\n")] = 0;
            g_ptr_array_add(words, g_strdup(line));
        }
    }
    GArray *w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    GString *s = g_string_new(NULL);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "accepted");
    json_builder_begin_array(b);
    bool all = true;
    rc = LK_EXIT_OK;
    for (guint i = 0; i < words->len; i++) {
        g_array_set_size(w, 0);
        if (!lk_alphabet_parse_word(d->alphabet, words->pdata[i], w, &err)) {
            rc = lk_cli_fail(err, NULL);
            break;
        }
        bool acc = lk_dfa_accepts(d, (uint32_t *)w->data, w->len);
        all = all && acc;
        if (json)
            json_builder_add_boolean_value(b, acc);
        else
            g_string_append_printf(s, "%s\t%s\n", acc ? "accepted" : "rejected",
                                   (char *)words->pdata[i]);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    if (json && rc == LK_EXIT_OK) lk_cli_append_json(s, b);
    g_object_unref(b);
    if (rc == LK_EXIT_OK) {
        fputs(s->str, stdout);
        rc = all ? LK_EXIT_OK : LK_EXIT_FALSE;
    }
    g_string_free(s, TRUE);
    g_array_unref(w);
out:
    lk_cli_input_clear(&in);
    return rc;
}
