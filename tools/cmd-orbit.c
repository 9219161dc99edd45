/* lrnnkit orbit: the eventual period of a model's state under a repeated
 * token or block in finite precision (proofs/orbit.h). */
#include "proofs/orbit.h"
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

int lk_cmd_orbit(int argc, char **argv)
{
    gboolean json = FALSE;
    g_autofree char *token = NULL, *block = NULL, *precision = NULL, *model = NULL;
    gint64 max_steps = 10000000;
    GOptionEntry entries[] = {
        {"token", 0, 0, G_OPTION_ARG_STRING, &token, "The letter repeated", "T"},
        {"block", 0, 0, G_OPTION_ARG_STRING, &block, "A block of letters repeated: T1,T2,...",
         "LIST"},
        {"precision", 0, 0, G_OPTION_ARG_STRING, &precision, "f64, f32 (default), f16 or bf16",
         "P"},
        {"model", 0, 0, G_OPTION_ARG_STRING, &model,
         "Precision model: step (round after every operation, as hardware does)", "M"},
        {"max-steps", 0, 0, G_OPTION_ARG_INT64, &max_steps,
         "Limit on the blocks stepped (default 10000000; exit 3)", "N"},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("MODEL --token T - the eventual period of a finite-precision orbit");
    g_option_context_set_summary(
        ctx, "Runs the model from its initial state on T T T ... (or the block repeated) in a "
             "floating-point format, rounding after every operation, until a state repeats bit for "
             "bit: the transient and the period are then proved (Brent's cycle detection).");
    g_option_context_add_main_entries(ctx, entries, NULL);
    int rc = LK_EXIT_USAGE;
    GError *err = NULL;
    g_autoptr(LkStack) st = NULL;
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_auto(GStrv) names = NULL;
    LkOrbit o = {0};
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if (argc != 2 || !token == !block) {
        rc = lk_cli_usage("orbit takes one MODEL and one of --token and --block");
        goto out;
    }
    if (model && strcmp(model, "step")) {
        rc = lk_cli_usage("unknown precision model '%s' (this version has 'step')", model);
        goto out;
    }
    LkEngine e = LK_ENGINE_F32;
    if (precision && (!lk_engine_parse(precision, &e) || e == LK_ENGINE_EXACT)) {
        rc = lk_cli_usage("unknown precision '%s' (f64, f32, f16, bf16)", precision);
        goto out;
    }
    if (max_steps < 1) {
        rc = lk_cli_usage("--max-steps takes a positive number");
        goto out;
    }
    if (!(st = lk_stack_load(argv[1], &err))) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    char *one[] = {token, NULL};
    names = token ? g_strdupv(one) : g_strsplit(block, ",", -1);
    for (guint i = 0; names[i]; i++) {
        int64_t a = lk_alphabet_index(st->alphabet, names[i]);
        if (a < 0) {
            rc = lk_cli_usage("'%s' is not a letter of the model", names[i]);
            goto out;
        }
        uint32_t v = (uint32_t)a;
        g_array_append_val(w, v);
    }
    if (!w->len) {
        rc = lk_cli_usage("--block needs at least one letter");
        goto out;
    }
    if (!lk_orbit_step(st, e, (uint32_t *)(void *)w->data, w->len, (uint64_t)max_steps, &o, &err)) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    if (json) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "model");
        json_builder_add_string_value(b, "step");
        json_builder_set_member_name(b, "precision");
        json_builder_add_string_value(b, lk_engine_name(e));
        json_builder_set_member_name(b, "transient");
        json_builder_add_int_value(b, (gint64)o.transient);
        json_builder_set_member_name(b, "period");
        json_builder_add_int_value(b, (gint64)o.period);
        json_builder_set_member_name(b, "certified");
        json_builder_add_boolean_value(b, TRUE);
        json_builder_set_member_name(b, "horizon");
        json_builder_add_int_value(b, (gint64)o.steps);
        json_builder_set_member_name(b, "outputs"); /* along the cycle (at most 4096) */
        json_builder_begin_array(b);
        for (guint i = 0; i < o.outputs->len; i++)
            json_builder_add_int_value(b, g_array_index(o.outputs, int64_t, i));
        json_builder_end_array(b);
        json_builder_end_object(b);
        lk_cli_print_json(b);
    } else {
        printf("model: step (%s, rounding after every operation)\ntransient: %" G_GUINT64_FORMAT
               "\nperiod: %" G_GUINT64_FORMAT
               " (certified: a state repeated bit for bit after %" G_GUINT64_FORMAT
               " steps)\noutputs along the cycle:",
               lk_engine_name(e), o.transient, o.period, o.steps);
        for (guint i = 0; i < o.outputs->len; i++)
            printf(" %" G_GINT64_FORMAT, g_array_index(o.outputs, int64_t, i));
        printf("\n");
    }
    rc = LK_EXIT_OK;
out:
    lk_orbit_clear(&o);
    return rc;
}
