/* lrnnkit sample: uniformly random accepted (or rejected) words. */
#include "automata/count.h"
#include "tools/cli.h"

#include <stdio.h>

#define MAX_LENGTH 100000

int lk_cmd_sample(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, reject = FALSE;
    gint64 length = -1, count = 1, seed = 0;
    GOptionEntry entries[] = {
        {"length", 'n', 0, G_OPTION_ARG_INT64, &length, "Length of the words (required)", "N"},
        {"count", 'k', 0, G_OPTION_ARG_INT64, &count, "How many words (default 1)", "K"},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the generator (default 0)", "S"},
        {"reject", 0, 0, G_OPTION_ARG_NONE, &reject, "Sample rejected words instead", NULL},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("REGEX - uniformly random words of a length, one per line");
    g_option_context_set_summary(ctx, "Each word is drawn independently and uniformly among the "
                                      "accepted (--reject: rejected) words of length N, from "
                                      "exact counts; xoshiro256** seeded with S.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    lk_cli_range(&length, "length", 0, MAX_LENGTH, -1);
    lk_cli_range(&count, "count", 0, 100000000, 1);
    lk_cli_range(&seed, "seed", 0, G_MAXINT64, 0);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkDfa) d = NULL;
    g_autoptr(LkCountTable) table = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if (length < 0) {
        rc = lk_cli_usage("--length N is required, 0 <= N <= %d", MAX_LENGTH);
        goto out;
    }
    GError *err = NULL;
    if (!(d = lk_cli_one_dfa(&in, argc, argv, "sample", &rc))) goto out;
    if (reject) {
        LkDfa *c = lk_dfa_complement(d);
        lk_dfa_free(d);
        d = c;
    }
    table = lk_count_table_new(d, (uint32_t)length);
    LkRng rng;
    lk_rng_init(&rng, (uint64_t)seed);
    GString *s = g_string_new(NULL);
    GArray *w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    lk_jb_int(b, "length", length);
    lk_jb_int(b, "seed", seed);
    json_builder_set_member_name(b, "words");
    json_builder_begin_array(b);
    bool none = false;
    for (gint64 i = 0; i < count && !none; i++) {
        g_array_set_size(w, 0);
        if (!lk_count_table_sample(table, &rng, (uint32_t)length, w)) {
            none = true;
            break;
        }
        g_autofree char *word = lk_cli_word(d->alphabet, w);
        if (json) {
            json_builder_add_string_value(b, word);
        } else {
            g_string_append(s, word);
            g_string_append_c(s, '\n');
        }
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    if (json) lk_cli_append_json(s, b);
    g_object_unref(b);
    g_array_unref(w);
    if (none && count > 0) {
        fprintf(stderr, "lrnnkit: error: no %s word of length %" G_GINT64_FORMAT "\n",
                reject ? "rejected" : "accepted", length);
        rc = LK_EXIT_FALSE;
    } else {
        rc = lk_cli_write(NULL, s->str, &err) ? LK_EXIT_OK : lk_cli_fail(err, NULL);
    }
    g_string_free(s, TRUE);
out:
    lk_cli_input_clear(&in);
    return rc;
}
