/* lrnnkit orbit: the eventual period of a model's state under a repeated
 * token or block in finite precision (proofs/orbit.h). */
#include "proofs/orbit.h"
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

static void add_transient(JsonBuilder *b, const LkOrbit *o)
{
    json_builder_set_member_name(b, "transient");
    if (o->transient <= (UINT64_C(1) << 53))
        json_builder_add_int_value(b, (gint64)o->transient);
    else
        json_builder_add_double_value(b, o->transient_approx); /* see transient_exact */
    json_builder_set_member_name(b, "transient_exact");
    json_builder_add_string_value(b, o->transient_exact);
}

static void print_json(const LkOrbit *o, const char *precision)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "model");
    json_builder_add_string_value(b, lk_orbit_model_name(o->model));
    json_builder_set_member_name(b, "precision");
    json_builder_add_string_value(b, precision);
    add_transient(b, o);
    json_builder_set_member_name(b, "period");
    json_builder_add_int_value(b, (gint64)o->period);
    json_builder_set_member_name(b, "certified");
    json_builder_add_boolean_value(b, o->certified);
    json_builder_set_member_name(b, "method");
    json_builder_add_string_value(b, o->method);
    json_builder_set_member_name(b, "horizon");
    json_builder_add_int_value(b, (gint64)o->horizon);
    json_builder_set_member_name(
        b, "outputs"); /* along the cycle (at most 4096; [] without readout) */
    json_builder_begin_array(b);
    for (guint i = 0; i < o->outputs->len; i++)
        json_builder_add_int_value(b, g_array_index(o->outputs, int64_t, i));
    json_builder_end_array(b);
    json_builder_end_object(b);
    lk_cli_print_json(b);
}

static void print_text(const LkOrbit *o, const char *precision)
{
    if (o->model == LK_ORBIT_STEP)
        printf("model: step (%s, rounding after every operation)\n", precision);
    else
        printf("model: cast (%s, the paper's cast of exact sums)\n", precision);
    printf("transient: %s\nperiod: %" G_GUINT64_FORMAT "\n", o->transient_exact, o->period);
    if (!o->certified)
        printf("observed, not proved: the last half of %" G_GUINT64_FORMAT
               " exact steps repeats with this period\n",
               o->horizon);
    else if (o->model == LK_ORBIT_STEP)
        printf("certified: a state repeated bit for bit after %" G_GUINT64_FORMAT " steps\n",
               o->horizon);
    else
        printf("certified (%s powers): every term's cast is periodic after the exact "
               "simulation of %" G_GUINT64_FORMAT " steps\n",
               o->method, o->horizon);
    if (o->outputs->len) {
        printf("outputs along the cycle:");
        for (guint i = 0; i < o->outputs->len; i++)
            printf(" %" G_GINT64_FORMAT, g_array_index(o->outputs, int64_t, i));
        printf("\n");
    }
}

int lk_cmd_orbit(int argc, char **argv)
{
    gboolean json = FALSE, from_tensors = FALSE;
    g_autofree char *token = NULL, *block = NULL, *precision = NULL, *model = NULL,
                    *matrices = NULL;
    gint64 max_steps = -1;
    GOptionEntry entries[] = {
        LK_CLI_FROM_TENSORS(from_tensors),
        LK_CLI_MATRICES(matrices),
        {"token", 0, 0, G_OPTION_ARG_STRING, &token, "The letter repeated", "T"},
        {"block", 0, 0, G_OPTION_ARG_STRING, &block, "A block of letters repeated: T1,T2,...",
         "LIST"},
        {"precision", 0, 0, G_OPTION_ARG_STRING, &precision,
         "f64, f32 (default), f16, bf16, fixed:B (a 32-bit word with B fractional bits, "
         "saturating) or grid:LO:HI:STEP (cast only)",
         "P"},
        {"model", 0, 0, G_OPTION_ARG_STRING, &model,
         "step (round after every operation, as hardware does; default) or cast (the paper's "
         "model: casts of exact powers)",
         "M"},
        {"max-steps", 0, 0, G_OPTION_ARG_INT64, &max_steps,
         "Limit on the blocks stepped (default 10000000 for step, 10000 exact steps for cast; exit "
         "3)",
         "N"},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new(
        "(MODEL | --matrices F.npz) --token T - the eventual period of a finite-precision orbit");
    g_option_context_set_summary(
        ctx, "Runs the model from its initial state on T T T ... (or the block repeated) in a "
             "finite format until its eventual period shows. In the step model a state repeats "
             "bit for bit and the transient and period are proved (Brent's cycle detection). In "
             "the cast model they are proved when the block's matrix is diagonal, I + w z^T or "
             "of finite order, and otherwise observed over the horizon.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_range(&max_steps, "max-steps", 1, G_MAXINT64, -1);
    int rc = LK_EXIT_USAGE;
    GError *err = NULL;
    g_autoptr(LkStack) st = NULL;
    g_autoptr(LkMatrices) mats = NULL;
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_auto(GStrv) names = NULL;
    g_autofree char *pname = NULL;
    LkOrbit o = {0};
    LkOrbitModel om = LK_ORBIT_STEP;
    LkPrecision prec = lk_precision_float(LK_ENGINE_F32);
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if ((argc != 2) == !matrices || !token == !block) {
        rc = lk_cli_usage(
            "orbit takes one MODEL or --matrices F.npz, and one of --token and --block");
        goto out;
    }
    if (model && !lk_orbit_model_parse(model, &om)) {
        rc = lk_cli_usage("unknown precision model '%s' (step or cast)", model);
        goto out;
    }
    if (precision && !lk_precision_parse(precision, &prec, &err)) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    if (om == LK_ORBIT_STEP && !lk_precision_has_step(&prec)) {
        rc = lk_cli_usage("a grid is a cast precision: add --model cast");
        goto out;
    }
    const LkLimits lim = {.max_steps = max_steps == -1 ? 0 : (uint64_t)max_steps};
    if (matrices ? !(mats = lk_matrices_load_npz(matrices, NULL, &err))
                 : !(st = lk_cli_load_model(argv[1], from_tensors, &err))) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    const LkAlphabet *alpha = st ? st->alphabet : mats->alphabet;
    char *one[] = {token, NULL};
    names = token ? g_strdupv(one) : g_strsplit(block, ",", -1);
    for (guint i = 0; names[i]; i++) {
        int64_t a = lk_alphabet_index(alpha, names[i]);
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
    const uint32_t *word = (uint32_t *)(void *)w->data;
    bool ok;
    if (om == LK_ORBIT_STEP) {
        ok = st ? lk_orbit_stack_step(st, &prec, word, w->len, &lim, &o, &err)
                : lk_orbit_matrices_step(mats, &prec, word, w->len, &lim, &o, &err);
    } else {
        ok = st ? lk_orbit_stack_cast(st, &prec, word, w->len, &lim, false, &o, &err)
                : lk_orbit_cast(mats, NULL, &prec, word, w->len, &lim, &o, &err);
    }
    if (!ok) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    pname = lk_precision_name(&prec);
    if (json)
        print_json(&o, pname);
    else
        print_text(&o, pname);
    rc = LK_EXIT_OK;
out:
    lk_orbit_clear(&o);
    return rc;
}
