/* lrnnkit prove: the paper's theorems as checks (proofs/). This version has
 * `construct`: compile and verify the corpus of proofs/construct.h. */
#include "proofs/construct.h"
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

static int prove_construct(uint32_t max_states, bool json)
{
    LkConstructReport r;
    lk_prove_construct(max_states, &r);
    const guint n = r.cases->len;
    if (json) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "theorem");
        json_builder_add_string_value(b, "construct");
        json_builder_set_member_name(b, "cases");
        json_builder_add_int_value(b, n);
        json_builder_set_member_name(b, "compiled");
        json_builder_add_int_value(b, r.compiled);
        json_builder_set_member_name(b, "verified");
        json_builder_add_int_value(b, r.verified);
        json_builder_set_member_name(b, "not_supported");
        json_builder_add_int_value(b, r.unsupported);
        json_builder_set_member_name(b, "results");
        json_builder_begin_array(b);
        for (guint i = 0; i < n; i++) {
            const LkConstructCase *c = &g_array_index(r.cases, LkConstructCase, i);
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "name");
            json_builder_add_string_value(b, c->name);
            json_builder_set_member_name(b, "states");
            json_builder_add_int_value(b, c->states);
            json_builder_set_member_name(b, "construction");
            if (c->construction)
                json_builder_add_string_value(b, c->construction);
            else
                json_builder_add_null_value(b);
            json_builder_set_member_name(b, "layers");
            json_builder_add_int_value(b, c->layers);
            json_builder_set_member_name(b, "verified");
            json_builder_add_boolean_value(b, c->verified);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        json_builder_end_object(b);
        lk_cli_print_json(b);
    } else {
        for (guint i = 0; i < n; i++) {
            const LkConstructCase *c = &g_array_index(r.cases, LkConstructCase, i);
            printf("%-24s %3u states  %-18s %2u layer%s  %s\n", c->name, c->states,
                   c->construction ? c->construction : "not supported", c->layers,
                   c->layers == 1 ? " " : "s", c->verified ? "verified" : "NOT VERIFIED");
        }
        printf("cases: %u, compiled: %u, verified: %u, not supported: %u\n", n, r.compiled,
               r.verified, r.unsupported);
    }
    const bool ok = r.verified == n;
    lk_construct_report_clear(&r);
    return ok ? LK_EXIT_OK : LK_EXIT_FALSE;
}

int lk_cmd_prove(int argc, char **argv)
{
    gboolean json = FALSE;
    gint64 max_states = 120;
    GOptionEntry entries[] = {{"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
                              {"max-states", 0, 0, G_OPTION_ARG_INT64, &max_states,
                               "construct: skip families with more states (default 120)", "N"},
                              {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new("construct - the theorems as checks");
    g_option_context_set_summary(
        ctx, "construct: compile every built-in group family (up to --max-states) and every "
             "language of a complete DFA with at most 3 states over 2 letters, and verify each "
             "model exactly for every input length (Theorem 4); exit 1 when one fails.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    int rc = LK_EXIT_USAGE;
    if (!lk_cli_parse(ctx, &argc, &argv)) return rc;
    if (argc != 2) return lk_cli_usage("prove takes one check (construct)");
    if (max_states < 1 || max_states > 100000) return lk_cli_usage("--max-states takes 1..100000");
    if (!strcmp(argv[1], "construct")) return prove_construct((uint32_t)max_states, json);
    return lk_cli_usage("prove: '%s' is not a check of this version (construct)", argv[1]);
}
