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
    JsonBuilder *b = json_builder_new(); /* counts as decimal strings: exact */
    json_builder_begin_object(b);
    if (length >= 0) {
        char *num = mpz_get_str(NULL, 10, c[n]);
        lk_jb_int(b, "length", n);
        lk_jb_string(b, "count", num);
        if (!json) g_string_append_printf(s, "%s\n", num);
        free(num);
    } else {
        lk_jb_int(b, "up_to", n);
        json_builder_set_member_name(b, "counts");
        json_builder_begin_array(b);
        for (gint64 i = 0; i <= n; i++) {
            char *num = mpz_get_str(NULL, 10, c[i]);
            if (json)
                json_builder_add_string_value(b, num);
            else
                g_string_append_printf(s, "%" G_GINT64_FORMAT "\t%s\n", i, num);
            free(num);
        }
        json_builder_end_array(b);
    }
    json_builder_end_object(b);
    if (json) lk_cli_append_json(s, b);
    g_object_unref(b);
    for (gint64 i = 0; i <= n; i++) mpz_clear(c[i]);
    g_free(c);
    rc = lk_cli_write(NULL, s->str, &err) ? LK_EXIT_OK : lk_cli_fail(err, NULL);
    g_string_free(s, TRUE);
out:
    lk_cli_input_clear(&in);
    return rc;
}
