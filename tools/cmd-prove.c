/* lrnnkit prove: the paper's theorems as checks (proofs/): parity and
 * modcount (proofs/suite.h), sweep, and construct (proofs/construct.h). */
#include "proofs/construct.h"
#include "proofs/report.h"
#include "proofs/suite.h"
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

static void add_counts(JsonBuilder *b, const LkPeriodCounts *c)
{
    json_builder_begin_object(b);
    for (int i = 0; i < 6; i++) {
        json_builder_set_member_name(b, lk_period_count_names[i]);
        json_builder_add_int_value(b, (gint64)c->p[i]);
    }
    json_builder_end_object(b);
}

static void add_precisions(JsonBuilder *b)
{
    json_builder_begin_array(b);
    for (int p = 0; p < LK_SUITE_PRECISIONS; p++) {
        const LkPrecision pr = lk_suite_precision(p);
        g_autofree char *n = lk_precision_name(&pr);
        json_builder_add_string_value(b, n);
    }
    json_builder_end_array(b);
}

static void add_control_periods(JsonBuilder *b, const uint64_t *per)
{
    json_builder_begin_object(b);
    for (int p = 0; p < LK_SUITE_PRECISIONS; p++) {
        const LkPrecision pr = lk_suite_precision(p);
        g_autofree char *n = lk_precision_name(&pr);
        json_builder_set_member_name(b, n);
        if (per[p])
            json_builder_add_int_value(b, (gint64)per[p]);
        else
            json_builder_add_null_value(b);
    }
    json_builder_end_object(b);
}

static void theorem_json(const LkTheoremReport *r, const LkSuiteOptions *o)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "theorem");
    json_builder_add_string_value(b, r->theorem);
    if (!strcmp(r->theorem, "modcount")) {
        json_builder_set_member_name(b, "m");
        json_builder_add_int_value(b, (gint64)o->m);
    }
    json_builder_set_member_name(b, "seed");
    json_builder_add_int_value(b, (gint64)o->seed);
    json_builder_set_member_name(b, "models");
    json_builder_add_int_value(b, (gint64)r->models);
    json_builder_set_member_name(b, "precisions");
    add_precisions(b);
    json_builder_set_member_name(b, "agree"); /* (model, precision) pairs in the cast model */
    json_builder_add_int_value(b, (gint64)r->agree);
    json_builder_set_member_name(b, "disagree");
    json_builder_add_int_value(b, (gint64)r->disagree);
    json_builder_set_member_name(b, "undecided");
    json_builder_add_int_value(b, (gint64)r->undecided);
    json_builder_set_member_name(b, "cast");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "periods");
    add_counts(b, &r->cast_periods);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "step");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "models");
    json_builder_add_int_value(b, (gint64)r->step_models);
    json_builder_set_member_name(b, "outside_prediction");
    json_builder_add_int_value(b, (gint64)r->outside_prediction);
    json_builder_set_member_name(b, "periods");
    add_counts(b, &r->step_periods);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "positive_control");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "verified");
    json_builder_add_boolean_value(b, r->control_verified);
    json_builder_set_member_name(b, "periods"); /* period -> (control, precision, model) runs */
    json_builder_begin_object(b);
    GArray *seen = g_array_new(FALSE, TRUE, sizeof(uint64_t)); /* (period, count) pairs */
    for (guint i = 0; i < r->controls->len; i++) {
        const LkSuiteControl *c = &g_array_index(r->controls, LkSuiteControl, i);
        for (int p = 0; p < 2 * LK_SUITE_PRECISIONS; p++) {
            const uint64_t per =
                p < LK_SUITE_PRECISIONS ? c->step[p] : c->cast[p - LK_SUITE_PRECISIONS];
            guint k = 0;
            while (k < seen->len && g_array_index(seen, uint64_t, k) != per) k += 2;
            if (k == seen->len) {
                uint64_t z[2] = {per, 0};
                g_array_append_vals(seen, z, 2);
            }
            g_array_index(seen, uint64_t, k + 1)++;
        }
    }
    for (guint k = 0; k < seen->len; k += 2) {
        const uint64_t per = g_array_index(seen, uint64_t, k);
        g_autofree char *key = per ? g_strdup_printf("%" G_GUINT64_FORMAT, per) : g_strdup("none");
        json_builder_set_member_name(b, key);
        json_builder_add_int_value(b, (gint64)g_array_index(seen, uint64_t, k + 1));
    }
    g_array_unref(seen);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "controls");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->controls->len; i++) {
        const LkSuiteControl *c = &g_array_index(r->controls, LkSuiteControl, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, c->name);
        json_builder_set_member_name(b, "verified");
        json_builder_add_boolean_value(b, c->verified);
        json_builder_set_member_name(b, "period");
        json_builder_add_int_value(b, (gint64)c->want);
        json_builder_set_member_name(b, "step");
        add_control_periods(b, c->step);
        json_builder_set_member_name(b, "cast");
        add_control_periods(b, c->cast);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    if (r->control_notes->len) {
        json_builder_set_member_name(b, "notes");
        json_builder_add_string_value(b, r->control_notes->str);
    }
    json_builder_end_object(b);
    json_builder_end_object(b);
    lk_cli_print_json(b);
}

static void print_counts(const char *what, const LkPeriodCounts *c)
{
    printf("%s", what);
    for (int i = 0; i < 6; i++)
        printf(" %s: %" G_GUINT64_FORMAT "%s", lk_period_count_names[i], c->p[i],
               i < 5 ? "," : "\n");
}

static void theorem_text(const LkTheoremReport *r, const LkSuiteOptions *o)
{
    const bool par = !strcmp(r->theorem, "parity");
    printf(
        "%s: %" G_GUINT64_FORMAT " random models (seed %" G_GUINT64_FORMAT "), %s, in "
        "f64, f32, bf16, f16 and fixed:16\n",
        par ? "Theorem 1 (parity)" : "Theorem 2 (counting modulo m)", r->models, o->seed,
        par ? "every eigenvalue real and >= 0: the orbit under 1 must end with period 1"
            : "every eigenvalue real: the orbit under 1 must end with a period dividing 2^layers");
    printf("cast model: %" G_GUINT64_FORMAT " agree, %" G_GUINT64_FORMAT
           " disagree, %" G_GUINT64_FORMAT " undecided (no period within the horizon)\n",
           r->agree, r->disagree, r->undecided);
    print_counts("  periods:", &r->cast_periods);
    printf("step model (rounding after every operation): %" G_GUINT64_FORMAT
           " orbits, %" G_GUINT64_FORMAT " outside the prediction\n",
           r->step_models, r->outside_prediction);
    print_counts("  periods:", &r->step_periods);
    printf("positive controls: %s\n", r->control_verified ? "verified" : "FAILED");
    for (guint i = 0; i < r->controls->len; i++) {
        const LkSuiteControl *c = &g_array_index(r->controls, LkSuiteControl, i);
        printf("  %-28s period %" G_GUINT64_FORMAT ": %s (step", c->name, c->want,
               c->verified ? "verified exactly, in every precision and model" : "FAILED");
        for (int p = 0; p < LK_SUITE_PRECISIONS; p++) printf(" %" G_GUINT64_FORMAT, c->step[p]);
        printf(", cast");
        for (int p = 0; p < LK_SUITE_PRECISIONS; p++) printf(" %" G_GUINT64_FORMAT, c->cast[p]);
        printf(")\n");
    }
    if (r->control_notes->len) printf("%s", r->control_notes->str);
}

static void sweep_json(const LkSweepReport *r, const LkSuiteOptions *o)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "theorem");
    json_builder_add_string_value(b, "sweep");
    json_builder_set_member_name(b, "model");
    json_builder_add_string_value(b, lk_orbit_model_name(r->model));
    json_builder_set_member_name(b, "seed");
    json_builder_add_int_value(b, (gint64)o->seed);
    json_builder_set_member_name(b, "models_per_family");
    json_builder_add_int_value(b, (gint64)o->models);
    json_builder_set_member_name(b, "max_steps");
    json_builder_add_int_value(b,
                               (gint64)(r->model == LK_ORBIT_STEP ? o->step_steps : o->cast_steps));
    json_builder_set_member_name(b, "precisions");
    add_precisions(b);
    json_builder_set_member_name(b, "orbits");
    json_builder_add_int_value(b, (gint64)r->orbits);
    json_builder_set_member_name(b, "table");
    json_builder_begin_array(b);
    for (guint i = 0; i < r->cells->len; i++) {
        const LkSweepCell *c = &g_array_index(r->cells, LkSweepCell, i);
        const LkPrecision pr = lk_suite_precision(c->precision);
        g_autofree char *pn = lk_precision_name(&pr);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "family");
        json_builder_add_string_value(b, lk_family_name(c->family));
        json_builder_set_member_name(b, "precision");
        json_builder_add_string_value(b, pn);
        json_builder_set_member_name(b, "models");
        json_builder_add_int_value(b, (gint64)c->models);
        json_builder_set_member_name(b, "periods");
        add_counts(b, &c->periods);
        json_builder_set_member_name(b, "longest_transient");
        json_builder_add_int_value(b, (gint64)MIN(c->longest_transient, (uint64_t)G_MAXINT64));
        json_builder_set_member_name(b, "certified_share");
        json_builder_add_double_value(b, c->models ? (double)c->certified / (double)c->models : 0);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    lk_cli_print_json(b);
}

static void sweep_text(const LkSweepReport *r, const LkSuiteOptions *o)
{
    printf("sweep: %" G_GUINT64_FORMAT " models per family (seed %" G_GUINT64_FORMAT
           ", 1-3 layers), %s model, orbit under 1 up to %" G_GUINT64_FORMAT " steps\n",
           o->models, o->seed, lk_orbit_model_name(r->model),
           r->model == LK_ORBIT_STEP ? o->step_steps : o->cast_steps);
    printf("%-8s %-9s %7s %7s %7s %7s %7s %7s %12s %9s\n", "family", "precision", "p=1", "p=2",
           "p=3", "p=4", "other", "none", "transient", "certified");
    for (guint i = 0; i < r->cells->len; i++) {
        const LkSweepCell *c = &g_array_index(r->cells, LkSweepCell, i);
        const LkPrecision pr = lk_suite_precision(c->precision);
        g_autofree char *pn = lk_precision_name(&pr);
        printf("%-8s %-9s", lk_family_name(c->family), pn);
        for (int k = 0; k < 6; k++) printf(" %7" G_GUINT64_FORMAT, c->periods.p[k]);
        printf(" %12" G_GUINT64_FORMAT " %8.1f%%\n", c->longest_transient,
               c->models ? 100.0 * (double)c->certified / (double)c->models : 0.0);
    }
}

int lk_cmd_prove(int argc, char **argv)
{
    gboolean json = FALSE;
    gint64 max_states = 120, seed = 1, models = -1, threads = 0, max_steps = -1, cast_steps = 1000,
           m = 3;
    g_autofree char *report = NULL, *save = NULL, *model = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the random models (default 1)", "S"},
        {"models", 0, 0, G_OPTION_ARG_INT64, &models,
         "parity, modcount: random models (default 240); sweep: per family (default 1200)", "N"},
        {"m", 0, 0, G_OPTION_ARG_INT64, &m, "modcount: the odd modulus (default 3)", "M"},
        {"model", 0, 0, G_OPTION_ARG_STRING, &model, "sweep: step (default) or cast", "M"},
        {"max-steps", 0, 0, G_OPTION_ARG_INT64, &max_steps,
         "Horizon of the step orbits (default 100000; sweep 10000)", "N"},
        {"cast-steps", 0, 0, G_OPTION_ARG_INT64, &cast_steps,
         "Horizon of the exact cast orbits (default 1000; stacks at most 200)", "N"},
        {"threads", 0, 0, G_OPTION_ARG_INT64, &threads,
         "Threads (default: the cores, at most 2); results do not depend on it", "T"},
        {"save-counterexamples", 0, 0, G_OPTION_ARG_FILENAME, &save,
         "Write every model that breaks a prediction (or leaves it under step rounding) to DIR "
         "as exact JSON",
         "DIR"},
        {"report", 0, 0, G_OPTION_ARG_FILENAME, &report,
         "Write report.md and SVG plots (PLplot) into DIR", "DIR"},
        {"max-states", 0, 0, G_OPTION_ARG_INT64, &max_states,
         "construct: skip families with more states (default 120)", "N"},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("parity|modcount|sweep|construct - the theorems as checks");
    g_option_context_set_summary(
        ctx, "parity: random models whose eigenvalues are all real and >= 0 must end with period 1 "
             "under a repeated 1 (Theorem 1), in f64, f32, bf16, f16 and fixed:16, in the cast and "
             "the step model; compiled parity models must show period 2 and verify exactly.\n"
             "modcount: models with real eigenvalues must end with a period dividing 2^layers "
             "(Theorem 2); the compiled Z_m layers must count modulo m.\n"
             "sweep: eventual periods of seeded random models per family and precision.\n"
             "construct: compile every built-in group family (up to --max-states) and every "
             "language of a complete DFA with at most 3 states over 2 letters, and verify each "
             "model exactly (Theorem 4).\n"
             "Exit 1 when a prediction fails or a control does not pass.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    /* -1: not given (options that do not apply to a check are errors) */
    lk_cli_range(&seed, "seed", 0, G_MAXINT64, -1);
    lk_cli_range(&models, "models", 1, 10000000, -1);
    lk_cli_range(&m, "m", 3, 999, -1);
    lk_cli_range(&max_steps, "max-steps", 1, G_MAXINT64, -1);
    lk_cli_range(&cast_steps, "cast-steps", 1, 1000000, -1);
    lk_cli_range(&threads, "threads", 0, 256, -1);
    lk_cli_range(&max_states, "max-states", 1, 100000, -1);
    if (!lk_cli_parse(ctx, &argc, &argv)) return LK_EXIT_USAGE;
    if (argc != 2)
        return lk_cli_usage("prove takes one check (parity, modcount, sweep, construct)");
    const char *what = argv[1];
    const bool suite_opts = seed != -1 || models != -1 || m != -1 || max_steps != -1 ||
                            cast_steps != -1 || threads != -1 || report || save || model;
    if (!strcmp(what, "construct")) {
        if (suite_opts) return lk_cli_usage("prove construct takes --max-states and --json only");
        return prove_construct(max_states == -1 ? 120 : (uint32_t)max_states, json);
    }
    const bool sweep = !strcmp(what, "sweep");
    if (!sweep && strcmp(what, "parity") && strcmp(what, "modcount"))
        return lk_cli_usage("prove: unknown check '%s' (parity, modcount, sweep, construct)", what);
    if (max_states != -1) return lk_cli_usage("--max-states applies to prove construct only");
    if (m != -1 && strcmp(what, "modcount"))
        return lk_cli_usage("--m applies to prove modcount only");
    if (save && sweep) return lk_cli_usage("--save-counterexamples applies to parity and modcount");
    if (seed == -1) seed = 1;
    if (m == -1) m = 3;
    if (cast_steps == -1) cast_steps = 1000;
    if (threads == -1) threads = 0;
    if (models == -1) models = sweep ? 1200 : 240;
    if (max_steps == -1) max_steps = sweep ? 10000 : 100000;
    if (m % 2 == 0) return lk_cli_usage("--m takes an odd modulus 3..999");
    LkOrbitModel om = LK_ORBIT_STEP;
    if (model && (!sweep || !lk_orbit_model_parse(model, &om)))
        return lk_cli_usage("--model takes step or cast, for sweep");
    const LkSuiteOptions o = {.seed = (uint64_t)seed,
                              .models = (uint64_t)models,
                              .threads = (uint32_t)threads,
                              .step_steps = (uint64_t)max_steps,
                              .cast_steps = (uint64_t)cast_steps,
                              .m = (uint64_t)m,
                              .save_dir = save};
    GError *err = NULL;
    if (sweep) {
        LkSweepReport r;
        lk_prove_sweep(&o, om, &r);
        if (json)
            sweep_json(&r, &o);
        else
            sweep_text(&r, &o);
        bool ok = !report || lk_report_sweep(report, &r, &o, &err);
        lk_sweep_report_clear(&r);
        return ok ? LK_EXIT_OK : lk_cli_fail(err, NULL);
    }
    LkTheoremReport r;
    if (!(what[0] == 'p' ? lk_prove_parity(&o, &r, &err) : lk_prove_modcount(&o, &r, &err)))
        return lk_cli_fail(err, NULL);
    if (json)
        theorem_json(&r, &o);
    else
        theorem_text(&r, &o);
    const bool pass = !r.disagree && r.control_verified;
    bool ok = !report || lk_report_theorem(report, &r, &o, &err);
    lk_theorem_report_clear(&r);
    if (!ok) return lk_cli_fail(err, NULL);
    return pass ? LK_EXIT_OK : LK_EXIT_FALSE;
}
