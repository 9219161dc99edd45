/* lrnnkit count: the exact number of accepted words of a length. */
#include "automata/count.h"
#include "tools/cli.h"

#include <stdio.h>

#define MAX_LENGTH 1000000

int lk_cmd_count(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE;
    gint64 length = -1, up_to = -1;
    GOptionEntry entries[] = {
        {"length", 'n', 0, G_OPTION_ARG_INT64, &length, "Count the words of length N", "N"},
        {"up-to", 0, 0, G_OPTION_ARG_INT64, &up_to, "Count the words of every length 0..N", "N"},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("REGEX - count accepted words exactly");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    lk_cli_range(&length, "length", 0, MAX_LENGTH, -1);
    lk_cli_range(&up_to, "up-to", 0, MAX_LENGTH, -1);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkDfa) d = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if ((length < 0) == (up_to < 0)) {
        rc = lk_cli_usage("give exactly one of --length N and --up-to N");
        goto out;
    }
    gint64 n = length >= 0 ? length : up_to;
    GError *err = NULL;
    if (!(d = lk_cli_one_dfa(&in, argc, argv, "count", &rc))) goto out;
    mpz_t *c = g_new(mpz_t, n + 1);
    for (gint64 i = 0; i <= n; i++) mpz_init(c[i]);
    lk_dfa_count_up_to(d, (uint32_t)n, c);
    GString *s = g_string_new(NULL);
    if (length >= 0) {
        char *num = mpz_get_str(NULL, 10, c[n]);
        if (json)
            g_string_append_printf(s, "{\"length\": %" G_GINT64_FORMAT ", \"count\": \"%s\"}\n", n,
                                   num);
        else
            g_string_append_printf(s, "%s\n", num);
        free(num);
    } else {
        if (json) g_string_append_printf(s, "{\"up_to\": %" G_GINT64_FORMAT ", \"counts\": [", n);
        for (gint64 i = 0; i <= n; i++) {
            char *num = mpz_get_str(NULL, 10, c[i]);
            if (json)
                g_string_append_printf(s, "%s\"%s\"", i ? ", " : "", num);
            else
                g_string_append_printf(s, "%" G_GINT64_FORMAT "\t%s\n", i, num);
            free(num);
        }
        if (json) g_string_append(s, "]}\n");
    }
    for (gint64 i = 0; i <= n; i++) mpz_clear(c[i]);
    g_free(c);
    rc = lk_cli_write(NULL, s->str, &err) ? LK_EXIT_OK : lk_cli_fail(err, NULL);
    g_string_free(s, TRUE);
out:
    lk_cli_input_clear(&in);
    return rc;
}
