/* lrnnkit compile, run, verify: LRNN weights from automata, and checks. */
#include "automata/families.h"
#include "automata/rng.h"
#include "generators/dataset-read.h"
#include "lrnn/lrnn.h"
#include "proofs/safe-length.h"
#include "tools/cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Per-layer JSON: state dimension, tokens, factors per token. */
static void add_layers(JsonBuilder *b, const LkStack *st)
{
    json_builder_begin_array(b);
    for (uint32_t i = 0; i < st->n_layers; i++) {
        const LkLrnn *m = st->layer[i];
        const uint32_t T = lk_alphabet_size(m->alphabet);
        uint64_t total = 0;
        for (uint32_t a = 0; a < T; a++) total += m->tok[a].n_factors;
        json_builder_begin_object(b);
        lk_jb_int(b, "state_dim", m->n);
        lk_jb_int(b, "tokens", T);
        lk_jb_int(b, "max_factors", lk_lrnn_max_factors(m));
        lk_jb_double(b, "mean_factors", T ? (double)total / T : 0.0);
        if (st->route && st->route[i]) lk_jb_int(b, "routes", lk_tuple_map_size(st->route[i]));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

int lk_cmd_compile(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, gated = FALSE, f32 = FALSE, points = FALSE, scalar = FALSE,
             rotation = FALSE, no_verify = FALSE, no_merge = FALSE;
    gint64 max_images = 0, max_pairs = 0, max_width = 0;
    g_autofree char *output = NULL, *strategy = NULL;
    GOptionEntry entries[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
         "Write the model to FILE.safetensors (required)", "FILE"},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the report as JSON", NULL},
        {"strategy", 0, 0, G_OPTION_ARG_STRING, &strategy,
         "auto (default: one layer when every letter is a permutation or a reset, else the "
         "holonomy cascade), group, permutation-reset, holonomy, or scalar, rotation, points "
         "(the same as those flags)",
         "S"},
        {"gated", 0, 0, G_OPTION_ARG_NONE, &gated,
         "Resets as a gate 0 and one write (Gated DeltaProduct)", NULL},
        {"f32", 0, 0, G_OPTION_ARG_NONE, &f32, "Write F32 tensors (default F64)", NULL},
        {"points", 0, 0, G_OPTION_ARG_NONE, &points,
         "Group families: act on the family's points (S:5 on 5 points), codebook readout", NULL},
        {"scalar", 0, 0, G_OPTION_ARG_NONE, &scalar,
         "Two-state group DFAs (parity): the scalar model H -> -H", NULL},
        {"rotation", 0, 0, G_OPTION_ARG_NONE, &rotation,
         "Cyclic group DFAs (Z:M, mod:M): a 2-D rotation, two reflections per letter "
         "(irrational weights)",
         NULL},
        {"no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
         "Skip the exact verification of the compiled model", NULL},
        {"no-merge", 0, 0, G_OPTION_ARG_NONE, &no_merge,
         "Holonomy: one layer per level (do not merge adjacent levels)", NULL},
        {"max-width", 0, 0, G_OPTION_ARG_INT64, &max_width,
         "Holonomy: widest level a merge may make (default: the DFA's states)", "N"},
        {"max-images", 0, 0, G_OPTION_ARG_INT64, &max_images,
         "Holonomy: limit on the extended image set (default 1000000)", "N"},
        {"max-pairs", 0, 0, G_OPTION_ARG_INT64, &max_pairs,
         "Verification: limit on reachable pairs (default 10000000)", "N"},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("REGEX -o MODEL.safetensors - compile a DFA to LRNN weights");
    g_option_context_set_summary(
        ctx, "Any DFA to generalized Householder products (Theorem 4 of Grazzi et al.): one "
             "layer for group automata (Theorem 3) and permutation-reset automata, otherwise one "
             "layer per level of the holonomy (Krohn-Rhodes) cascade; with --cascade FILE one "
             "layer per level of the given cascade. The model is verified exactly (every input "
             "length) before it is written; the exact model is stored in the file's metadata.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    lk_cli_range(&max_images, "max-images", 1, G_MAXINT64, 0);
    lk_cli_range(&max_pairs, "max-pairs", 1, G_MAXINT64, 0);
    lk_cli_range(&max_width, "max-width", 1, UINT32_MAX, 0);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkDfa) d = NULL;
    g_autoptr(LkStack) st = NULL;
    GError *err = NULL;
    LkCompileReport r = {.construction = "cascade"};
    LkStrategy strat = LK_STRATEGY_AUTO;
    uint32_t holonomy_levels = 0;
    LkLimits lim;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    lk_cli_limits(&in, &lim);
    lim.max_pairs = max_pairs > 0 ? (uint64_t)max_pairs : LK_DEFAULT_MAX_PAIRS;
    if (!output) {
        rc = lk_cli_usage("compile needs -o MODEL.safetensors");
        goto out;
    }
    if (strategy && !lk_strategy_parse(strategy, &strat)) {
        rc = lk_cli_usage("unknown strategy '%s' (auto, group, permutation-reset, holonomy, "
                          "scalar, rotation, points)",
                          strategy);
        goto out;
    }
    if (in.cascade && !in.load && !in.family && !in.regex_file && argc == 1) {
        if (in.cascade[1] || points || scalar || rotation || strategy) {
            rc = lk_cli_usage("compile takes one --cascade, without --points/--scalar/--rotation/"
                              "--strategy");
            goto out;
        }
        g_autoptr(LkCascade) c = lk_cascade_load(in.cascade[0], &lim, &err);
        st = c ? lk_stack_compile_cascade(c, gated, &lim, &err) : NULL;
        if (st && !no_verify) d = lk_cascade_to_dfa(c, &lim, &err);
        if (st && !no_verify && !d) g_clear_pointer(&st, lk_stack_free);
    } else {
        if (!(d = lk_cli_one_dfa(&in, argc, argv, "compile", &rc))) goto out;
        if (points + scalar + rotation > 1 || (strategy && points + scalar + rotation)) {
            rc = lk_cli_usage("give at most one of --points, --scalar, --rotation, --strategy");
            goto out;
        }
        if (points) strat = LK_STRATEGY_POINTS;
        if (scalar) strat = LK_STRATEGY_SCALAR;
        if (rotation) strat = LK_STRATEGY_ROTATION;
        if (strat == LK_STRATEGY_POINTS && (!in.family || !in.family[0] || in.family[1])) {
            rc = lk_cli_usage("--points needs one --family (a group family)");
            goto out;
        }
        {
            lim.max_images = (uint64_t)max_images;
            LkCompileOptions opt = {.gated = gated,
                                    .limits = lim,
                                    .no_merge = no_merge,
                                    .max_width = (uint32_t)max_width,
                                    .family = strat == LK_STRATEGY_POINTS ? in.family[0] : NULL};
            LkCompileInfo info;
            st = lk_stack_compile_dfa(d, strat, &opt, &info, &err);
            r.construction = info.construction;
            holonomy_levels = info.holonomy_levels;
        }
    }
    if (!st) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    LkVerifyResult v = {0};
    gint64 t0 = g_get_monotonic_time();
    if (!no_verify) {
        if (!lk_stack_verify(st, d, &lim, &v, &err)) {
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        if (!v.verified) {
            g_autofree char *w = lk_cli_word(st->alphabet, v.counterexample);
            g_set_error(&err, LK_ERROR, LK_ERROR_INTERNAL,
                        "the compiled model fails on '%s' (a bug: please report it); nothing "
                        "was written",
                        w);
            lk_verify_result_clear(&v);
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        /* record what the outputs stand for, when each stands for one state */
        bool one = true;
        for (uint32_t o = 0; o < st->n_out; o++) one &= v.output_states[o] >= -1;
        if (one) lk_stack_set_states(st, in.family ? in.family[0] : NULL, v.output_states);
        lk_verify_result_clear(&v);
    }
    const double vsecs = (double)(g_get_monotonic_time() - t0) / 1e6;
    if (!lk_stack_save(st, output, f32, &err)) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    lk_stack_report(st, r.construction, &r);
    GString *dims = g_string_new(NULL), *toks = g_string_new(NULL);
    for (uint32_t i = 0; i < st->n_layers; i++) {
        g_string_append_printf(dims, "%s%u", i ? ", " : "", st->layer[i]->n);
        g_string_append_printf(toks, "%s%u", i ? ", " : "",
                               lk_alphabet_size(st->layer[i]->alphabet));
    }
    if (json) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_string(b, "construction", r.construction);
        lk_jb_int(b, "layers", r.layers);
        json_builder_set_member_name(b, "state_dim");
        json_builder_begin_array(b);
        for (uint32_t i = 0; i < st->n_layers; i++) json_builder_add_int_value(b, st->layer[i]->n);
        json_builder_end_array(b);
        json_builder_set_member_name(b, "tokens");
        json_builder_begin_array(b);
        for (uint32_t i = 0; i < st->n_layers; i++)
            json_builder_add_int_value(b, lk_alphabet_size(st->layer[i]->alphabet));
        json_builder_end_array(b);
        lk_jb_int(b, "max_factors", r.max_factors);
        lk_jb_double(b, "mean_factors", r.mean_factors);
        lk_jb_int(b, "parameters", (gint64)r.parameters);
        json_builder_set_member_name(b, "per_layer");
        add_layers(b, st);
        json_builder_set_member_name(b, "holonomy_levels");
        if (holonomy_levels)
            json_builder_add_int_value(b, holonomy_levels);
        else
            json_builder_add_null_value(b);
        json_builder_set_member_name(b, "verified");
        if (no_verify)
            json_builder_add_null_value(b);
        else
            json_builder_add_boolean_value(b, TRUE);
        lk_jb_int(b, "verify_pairs", (gint64)v.pairs);
        lk_jb_double(b, "verify_seconds", vsecs);
        lk_jb_string(b, "output", output);
        json_builder_end_object(b);
        lk_cli_print_json(b);
    } else {
        printf("construction: %s\nlayers: %u\nstate dimension: %s\ntokens: %s\nfactors per token: "
               "max %u, mean %.2f\nparameters: %" G_GUINT64_FORMAT "\n",
               r.construction, r.layers, dims->str, toks->str, r.max_factors, r.mean_factors,
               r.parameters);
        if (holonomy_levels)
            printf("holonomy levels: %u (%s)\n", holonomy_levels,
                   no_merge ? "one layer each"
                            : "adjacent levels merged where they stay "
                              "permutation-reset");
        if (no_verify)
            printf("verified: skipped (--no-verify)\n");
        else
            printf("verified: exact, every input length (%" G_GUINT64_FORMAT " pairs, %.3f s)\n",
                   v.pairs, vsecs);
        printf("written: %s\n", output);
    }
    g_string_free(dims, TRUE);
    g_string_free(toks, TRUE);
    rc = LK_EXIT_OK;
out:
    lk_cli_input_clear(&in);
    return rc;
}

/* --random N: throughput on N uniformly random tokens (xoshiro256**). */
static int run_random(const LkStack *m, LkEngine e, gint64 count, gint64 seed, gboolean json)
{
    LkRng rng;
    lk_rng_init(&rng, (uint64_t)seed);
    uint32_t *w = g_new(uint32_t, count + 1);
    for (gint64 i = 0; i < count; i++)
        w[i] = (uint32_t)lk_rng_below(&rng, lk_alphabet_size(m->alphabet));
    gint64 t0 = g_get_monotonic_time();
    bool acc = lk_stack_run(m, e, w, (size_t)count, NULL);
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    g_free(w);
    if (json) {
        g_autoptr(JsonBuilder) b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_string(b, "engine", lk_engine_name(e));
        lk_jb_int(b, "tokens", count);
        lk_jb_double(b, "seconds", secs);
        lk_jb_double(b, "tokens_per_second", round(count / MAX(secs, 1e-9)));
        lk_jb_bool(b, "accepted", acc);
        json_builder_end_object(b);
        lk_cli_print_json(b);
    } else {
        printf("%s: %" G_GINT64_FORMAT " tokens in %.3f s (%.0f tokens/s), final word %s\n",
               lk_engine_name(e), count, secs, count / MAX(secs, 1e-9),
               acc ? "accepted" : "rejected");
    }
    return LK_EXIT_OK;
}

/* A word as symbol names (lk_alphabet_parse_word) or, with ids, as
 * space-separated token ids 0..k-1. */
static bool parse_word(const LkStack *m, const char *text, bool ids, GArray *w, GError **error)
{
    g_array_set_size(w, 0);
    if (!ids) return lk_alphabet_parse_word(m->alphabet, text, w, error);
    const uint32_t k = lk_alphabet_size(m->alphabet);
    g_auto(GStrv) parts = g_strsplit_set(text, " \t", -1);
    for (guint i = 0; parts[i]; i++) {
        if (!*parts[i]) continue;
        char *end;
        const guint64 v = g_ascii_strtoull(parts[i], &end, 10);
        if (*end || *parts[i] == '-' || v >= k) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "token id '%s' is not in 0..%u", parts[i],
                        k - 1);
            return false;
        }
        const uint32_t t = (uint32_t)v;
        g_array_append_val(w, t);
    }
    return true;
}

/* One word's run as text (one line: `accepted 0 0 1`, or two lines) or JSON;
 * with names (lk_stack_output_names), states by name. */
static void run_line(const LkStack *m, LkEngine e, const GArray *w, bool json, bool one_line,
                     char **names, GString *s)
{
    int64_t *states = g_new(int64_t, w->len + 1);
    const bool acc = lk_stack_run(m, e, (const uint32_t *)(const void *)w->data, w->len, states);
    if (json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_bool(b, "accepted", acc);
        lk_jb_string(b, "engine", lk_engine_name(e));
        json_builder_set_member_name(b, "states");
        json_builder_begin_array(b);
        for (guint i = 0; i < w->len; i++) json_builder_add_int_value(b, states[i]);
        json_builder_end_array(b);
        if (names) {
            json_builder_set_member_name(b, "names");
            json_builder_begin_array(b);
            for (guint i = 0; i < w->len; i++)
                if (states[i] < 0)
                    json_builder_add_null_value(b);
                else
                    json_builder_add_string_value(b, names[states[i]]);
            json_builder_end_array(b);
        }
        json_builder_end_object(b);
        lk_cli_append_json(s, b);
        g_object_unref(b);
    } else {
        g_string_append_printf(s, one_line ? "%s" : "%s\nstates:", acc ? "accepted" : "rejected");
        for (guint i = 0; i < w->len; i++) {
            if (names && states[i] >= 0)
                g_string_append_printf(s, " %s", names[states[i]]);
            else if (names)
                g_string_append(s, " none");
            else
                g_string_append_printf(s, " %" G_GINT64_FORMAT, states[i]);
        }
        g_string_append_c(s, '\n');
    }
    g_free(states);
}

/* --data: the label each output of the model predicts for the dataset's task
 * (-1: none); *how names the comparison. Acceptance for membership tasks;
 * otherwise the model must have been compiled from the task's family, and
 * the task's labels of the family DFA's states are read through the states
 * the outputs stand for (recorded by compile's verification). */
static int32_t *output_labels(const LkStack *m, const LkDataset *d, const char **how,
                              GError **error)
{
    int32_t *map = g_new(int32_t, m->n_out + 1);
    if (!strcmp(d->task, "member")) {
        *how = "acceptance";
        for (uint32_t o = 0; o < m->n_out; o++) map[o] = lk_stack_accepts(m, o);
        return map;
    }
    *how = "state";
    LkTaskOptions opt = {0};
    g_autoptr(LkTask) t = NULL;
    uint32_t n = 0;
    const int32_t *labels = NULL;
    if (!m->family || !m->dfa_state || strcmp(m->family, d->task))
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "the dataset's task is %s: its labels are states of the family %s, and the "
                    "model %s (compile it with --family %s)",
                    d->task, d->task,
                    m->family && m->dfa_state ? "was compiled from another family"
                                              : "does not record the family it was compiled from",
                    d->task);
    else if ((t = lk_task_new(d->task, &opt, error)) && !(labels = lk_task_state_labels(t, &n)))
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "the labels of task %s are not states of an automaton", d->task);
    else if (t && lk_task_n_labels(t) != d->n_labels)
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "the dataset has %u labels, task %s has %u",
                    d->n_labels, d->task, lk_task_n_labels(t));
    if (!labels || lk_task_n_labels(t) != d->n_labels) {
        g_free(map);
        return NULL;
    }
    for (uint32_t o = 0; o < m->n_out; o++)
        map[o] = m->dfa_state[o] >= 0 && m->dfa_state[o] < n ? labels[m->dfa_state[o]] : -1;
    return map;
}

/* --data DIR: the model on every example of the chosen splits, scored. */
static int run_data(const LkStack *m, LkEngine e, const char *dir, char **only, gboolean json)
{
    GError *err = NULL;
    g_autoptr(LkDataset) d = lk_dataset_open(dir, &err);
    if (!d) return lk_cli_fail(err, NULL);
    const char *how;
    g_autofree int32_t *map = output_labels(m, d, &how, &err);
    if (!map) return lk_cli_fail(err, NULL);
    const uint32_t V = lk_alphabet_size(d->vocabulary);
    g_autofree uint32_t *letter = g_new(uint32_t, V + 1);
    for (uint32_t v = 0; v < V; v++) {
        const int a = lk_alphabet_index(m->alphabet, lk_alphabet_name(d->vocabulary, v));
        if (a < 0) {
            g_set_error(&err, LK_ERROR, LK_ERROR_INPUT,
                        "the dataset's token '%s' is not a letter of the model",
                        lk_alphabet_name(d->vocabulary, v));
            return lk_cli_fail(err, NULL);
        }
        letter[v] = (uint32_t)a;
    }
    for (guint i = 0; only && only[i]; i++)
        if (!lk_dataset_split(d, only[i]))
            return lk_cli_usage("the dataset has no split '%s'", only[i]);
    const int64_t start = lk_stack_initial_output(m, e);
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "dataset");
    json_builder_add_string_value(b, dir);
    json_builder_set_member_name(b, "task");
    json_builder_add_string_value(b, d->task);
    json_builder_set_member_name(b, "labels");
    json_builder_add_string_value(b, d->prefix_labels ? "prefix" : "final");
    json_builder_set_member_name(b, "compare");
    json_builder_add_string_value(b, how);
    json_builder_set_member_name(b, "engine");
    json_builder_add_string_value(b, lk_engine_name(e));
    json_builder_set_member_name(b, "splits");
    json_builder_begin_array(b);
    if (!json)
        printf("dataset %s: task %s, %s labels, compared by %s, engine %s\n", dir, d->task,
               d->prefix_labels ? "prefix" : "final", how, lk_engine_name(e));
    for (uint32_t s = 0; s < d->n_splits; s++) {
        const LkDatasetSplitInfo *sp = &d->splits[s];
        if (only && !g_strv_contains((const char *const *)only, sp->name)) continue;
        g_autoptr(LkExamples) ex = lk_dataset_read(d, sp, NULL, &err);
        if (!ex) return lk_cli_fail(err, NULL);
        const uint64_t T = ex->offset[ex->n];
        int32_t *pred = g_new(int32_t, (d->prefix_labels ? T : ex->n) + 1);
        uint32_t *w = g_new(uint32_t, sp->max_len + 1);
        int64_t *states = g_new(int64_t, sp->max_len + 1);
        for (uint64_t i = 0; i < ex->n; i++) {
            const uint64_t lo = ex->offset[i], len = ex->offset[i + 1] - lo;
            for (uint64_t t = 0; t < len; t++) w[t] = letter[ex->tokens[lo + t]];
            lk_stack_run(m, e, w, len, states);
            for (uint64_t t = 0; t < len && d->prefix_labels; t++)
                pred[lo + t] = states[t] < 0 ? -1 : map[states[t]];
            if (!d->prefix_labels) {
                const int64_t last = len ? states[len - 1] : start;
                pred[i] = last < 0 ? -1 : map[last];
            }
        }
        g_free(w);
        g_free(states);
        LkScore sc;
        lk_score_examples(d, ex, pred, &sc);
        g_free(pred);
        const double acc = sc.counted ? (double)sc.correct / (double)sc.counted : 1.0;
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "split");
        json_builder_add_string_value(b, sp->name);
        json_builder_set_member_name(b, "examples");
        json_builder_add_int_value(b, (gint64)sc.examples);
        json_builder_set_member_name(b, "counted");
        json_builder_add_int_value(b, (gint64)sc.counted);
        json_builder_set_member_name(b, "correct");
        json_builder_add_int_value(b, (gint64)sc.correct);
        json_builder_set_member_name(b, "accuracy");
        json_builder_add_double_value(b, acc);
        json_builder_set_member_name(b, "sequence_accuracy");
        json_builder_add_double_value(
            b, sc.examples ? (double)sc.examples_correct / (double)sc.examples : 1.0);
        json_builder_set_member_name(b, "by_length");
        json_builder_begin_object(b);
        for (uint32_t l = sc.min_len; sc.examples && l <= sc.max_len; l++) {
            const uint64_t c = sc.len_counted[l - sc.min_len];
            if (!c) continue;
            char key[16];
            g_snprintf(key, sizeof key, "%u", l);
            json_builder_set_member_name(b, key);
            json_builder_add_double_value(b, (double)sc.len_correct[l - sc.min_len] / (double)c);
        }
        json_builder_end_object(b);
        json_builder_end_object(b);
        if (!json)
            printf("%s: accuracy %.6f (%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                   " %s), %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " examples all right\n",
                   sp->name, acc, sc.correct, sc.counted,
                   d->prefix_labels ? "positions" : "examples", sc.examples_correct, sc.examples);
        lk_score_clear(&sc);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    if (json) lk_cli_print_json(b);
    return LK_EXIT_OK;
}

int lk_cmd_run(int argc, char **argv)
{
    gboolean json = FALSE, from_stdin = FALSE, ids = FALSE, from_tensors = FALSE, names = FALSE;
    g_autofree char *engine = NULL, *data = NULL;
    g_auto(GStrv) splits = NULL;
    gint64 random_tokens = -1, seed = 0;
    GOptionEntry entries[] = {
        {"engine", 'e', 0, G_OPTION_ARG_STRING, &engine, "exact (default), f64, f32, bf16 or f16",
         "E"},
        {"json", 0, 0, G_OPTION_ARG_NONE, &json,
         "Print {\"accepted\": bool, \"states\": [...]} (one per line with --stdin)", NULL},
        {"stdin", 0, 0, G_OPTION_ARG_NONE, &from_stdin,
         "Instead of WORD, run every line of standard input (one word per line, the model "
         "loaded once)",
         NULL},
        LK_CLI_FROM_TENSORS(from_tensors),
        {"ids", 0, 0, G_OPTION_ARG_NONE, &ids,
         "Words are space-separated token ids 0..k-1 (as datasets store them)", NULL},
        {"names", 0, 0, G_OPTION_ARG_NONE, &names,
         "States by name: a group family's elements (cycle notation), else the DFA state "
         "numbers (JSON: \"names\" beside \"states\")",
         NULL},
        {"data", 0, 0, G_OPTION_ARG_FILENAME, &data,
         "Instead of WORD, run every example of a dataset written by 'lrnnkit gen' (DIR or its "
         "manifest) and report the accuracy against its labels, per split and length",
         "DIR"},
        {"split", 0, 0, G_OPTION_ARG_STRING_ARRAY, &splits,
         "With --data: only this split (repeatable)", "NAME"},
        {"random", 0, 0, G_OPTION_ARG_INT64, &random_tokens,
         "Instead of WORD, run N random tokens and report tokens per second", "N"},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed for --random (default 0)", "S"},
        {NULL}};
    g_autoptr(GOptionContext) ctx = g_option_context_new(
        "MODEL (WORD | --stdin | --data DIR | --random N) - run a model on words");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_range(&random_tokens, "random", 0, 1000000000, -1);
    lk_cli_range(&seed, "seed", 0, G_MAXINT64, 0);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkStack) m = NULL;
    g_autoptr(GArray) w = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    g_autoptr(GIOChannel) in = NULL;
    g_auto(GStrv) output_names = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if ((random_tokens >= 0) + from_stdin + (data != NULL) > 1 ||
        argc != (random_tokens >= 0 || from_stdin || data ? 2 : 3)) {
        rc = lk_cli_usage(
            "run takes MODEL and WORD (or MODEL --stdin, MODEL --data DIR or MODEL --random N)");
        goto out;
    }
    if ((splits && !data) || (data && (ids || names)) || (random_tokens >= 0 && (ids || names)) ||
        (seed && random_tokens < 0)) {
        rc = lk_cli_usage("--split goes with --data, --seed with --random, and --ids and --names "
                          "with WORD or --stdin");
        goto out;
    }
    LkEngine e = LK_ENGINE_EXACT;
    if (engine && !lk_engine_parse(engine, &e)) {
        rc = lk_cli_usage("unknown engine '%s' (exact, f64, f32, bf16, f16)", engine);
        goto out;
    }
    GError *err = NULL;
    m = lk_cli_load_model(argv[1], from_tensors, &err);
    if (m && random_tokens >= 0) {
        rc = run_random(m, e, random_tokens, seed, json);
        goto out;
    }
    if (m && data) {
        rc = run_data(m, e, data, splits, json);
        goto out;
    }
    if (!m) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    output_names = names ? lk_stack_output_names(m) : NULL;
    GString *s = g_string_new(NULL);
    if (!from_stdin) {
        if (!parse_word(m, argv[2], ids, w, &err)) {
            g_string_free(s, TRUE);
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        run_line(m, e, w, json, false, output_names, s);
        fputs(s->str, stdout);
        g_string_free(s, TRUE);
        rc = LK_EXIT_OK;
        goto out;
    }
    /* --stdin: one word per line, one result per line (JSON lines with --json) */
    in = g_io_channel_unix_new(0);
    char *line = NULL;
    gsize len, term;
    uint64_t n = 0;
    rc = LK_EXIT_OK;
    while (g_io_channel_read_line(in, &line, &len, &term, &err) == G_IO_STATUS_NORMAL) {
        n++;
        line[term] = 0;
        if (term && line[term - 1] == '\r') line[term - 1] = 0;
        if (!parse_word(m, line, ids, w, &err)) {
            g_free(line);
            g_prefix_error(&err, "stdin line %" G_GUINT64_FORMAT ": ", n);
            break;
        }
        g_free(line);
        g_string_truncate(s, 0);
        run_line(m, e, w, json, true, output_names, s);
        fputs(s->str, stdout);
    }
    g_string_free(s, TRUE);
    if (err) rc = lk_cli_fail(err, NULL);
out:
    return rc;
}

int lk_cmd_verify(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE;
    gint64 max_pairs = 0;
    gboolean from_tensors = FALSE;
    g_autofree char *engine = NULL;
    GOptionEntry entries[] = {{"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
                              {"max-pairs", 0, 0, G_OPTION_ARG_INT64, &max_pairs,
                               "Limit on reachable pairs (default 10000000)", "N"},
                              LK_CLI_FROM_TENSORS(from_tensors),
                              {"engine", 'e', 0, G_OPTION_ARG_STRING, &engine,
                               "exact (default), or prove the f64, f32, bf16 or f16 engine for "
                               "every input length (reachable float states are finitely many)",
                               "E"},
                              {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("MODEL REGEX - prove a model implements a DFA");
    g_option_context_set_summary(
        ctx, "Exact breadth-first search over (DFA state, LRNN state) pairs: exit 0 "
             "with a certificate for every input length, or 1 with the shortest "
             "word on which the model is wrong.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    lk_cli_range(&max_pairs, "max-pairs", 1, G_MAXINT64, 0);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkStack) m = NULL;
    g_autoptr(LkDfa) d = NULL;
    g_autofree char *cex = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if (argc < 2 || argc > 3) {
        rc = lk_cli_usage("verify takes MODEL and a REGEX (or --load/--family)");
        goto out;
    }
    LkEngine e = LK_ENGINE_EXACT;
    if (engine && !lk_engine_parse(engine, &e)) {
        rc = lk_cli_usage("unknown engine '%s' (exact, f64, f32, bf16, f16)", engine);
        goto out;
    }
    GError *err = NULL;
    m = lk_cli_load_model(argv[1], from_tensors, &err);
    if (!m) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    if (!in.alphabet && !in.symbols && argc == 3) /* the model's tokens are the alphabet */
        in.given = lk_alphabet_ref(m->alphabet);
    d = lk_cli_input_dfa(&in, argc == 3 ? argv[2] : NULL, LK_MINIMIZE_AUTO, &err);
    if (!d) {
        rc = lk_cli_fail(err, argc == 3 ? argv[2] : NULL);
        goto out;
    }
    LkVerifyResult r;
    LkLimits lim;
    lk_cli_limits(&in, &lim);
    lim.max_pairs = max_pairs > 0 ? (uint64_t)max_pairs : LK_DEFAULT_MAX_PAIRS;
    gint64 t0 = g_get_monotonic_time();
    const bool ok = e == LK_ENGINE_EXACT ? lk_stack_verify(m, d, &lim, &r, &err)
                                         : lk_stack_verify_float(m, d, e, &lim, &r, &err);
    if (!ok) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    cex = r.verified ? NULL : lk_cli_word(m->alphabet, r.counterexample);
    /* models with irrational weights: the provably rounding-safe lengths */
    static const LkEngine fe[] = {LK_ENGINE_F64, LK_ENGINE_F32, LK_ENGINE_BF16, LK_ENGINE_F16};
    const bool irrational = lk_stack_safe_length(m, LK_ENGINE_F32) > 0;
    GString *safe = g_string_new(NULL);
    for (size_t i = 0; irrational && i < G_N_ELEMENTS(fe); i++) {
        uint64_t l = lk_stack_safe_length(m, fe[i]);
        g_string_append_printf(safe, "%s%s ", i ? ", " : "", lk_engine_name(fe[i]));
        if (l == UINT64_MAX)
            g_string_append(safe, "unbounded");
        else
            g_string_append_printf(safe, "%" G_GUINT64_FORMAT, l);
    }
    /* the largest deviation of every float engine from the exact states */
    static const char *fnames[LK_VERIFY_ENGINES] = {"f64", "f32", "bf16", "f16"};
    GString *devs = g_string_new(NULL);
    for (int f = 0; f < LK_VERIFY_ENGINES && e == LK_ENGINE_EXACT; f++) {
        const double x = r.max_float_errors[f];
        g_string_append_printf(devs, isinf(x) ? "%s%s overflow" : "%s%s %.3g", f ? ", " : "",
                               fnames[f], x);
    }
    GString *s = g_string_new(NULL);
    if (json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_bool(b, "verified", r.verified);
        lk_jb_string(b, "engine", lk_engine_name(e));
        lk_jb_string(b, "counterexample", cex);
        lk_jb_int(b, "pairs", (gint64)r.pairs);
        lk_jb_int(b, "lrnn_states", (gint64)r.lrnn_states);
        lk_jb_int(b, "layers", m->n_layers);
        lk_jb_int(b, "dfa_states", d->n);
        if (e == LK_ENGINE_EXACT) {
            lk_jb_double(b, "max_float_error_f32", r.max_float_error);
            json_builder_set_member_name(b, "max_float_error");
            json_builder_begin_object(b);
            for (int f = 0; f < LK_VERIFY_ENGINES; f++)
                lk_jb_double(b, fnames[f], r.max_float_errors[f]);
            json_builder_end_object(b);
        } else {
            lk_jb_string(b, "max_float_error_f32", NULL);
            lk_jb_string(b, "max_float_error", NULL);
        }
        json_builder_set_member_name(b, "safe_length");
        if (irrational) {
            json_builder_begin_object(b);
            for (size_t i = 0; i < G_N_ELEMENTS(fe); i++) {
                const uint64_t l = lk_stack_safe_length(m, fe[i]);
                json_builder_set_member_name(b, lk_engine_name(fe[i]));
                if (l == UINT64_MAX)
                    json_builder_add_null_value(b);
                else
                    json_builder_add_int_value(b, (gint64)MIN(l, (uint64_t)G_MAXINT64));
            }
            json_builder_end_object(b);
        } else {
            json_builder_add_null_value(b);
        }
        lk_jb_double(b, "seconds", secs);
        json_builder_end_object(b);
        lk_cli_append_json(s, b);
        g_object_unref(b);
    } else if (r.verified && e != LK_ENGINE_EXACT) {
        g_string_append_printf(s,
                               "verified in %s: the float model implements the DFA on every input "
                               "length\ncertificate: %" G_GUINT64_FORMAT
                               " reachable pairs, %" G_GUINT64_FORMAT " distinct %s states\n",
                               lk_engine_name(e), r.pairs, r.lrnn_states, lk_engine_name(e));
    } else if (r.verified) {
        g_string_append_printf(
            s,
            "verified: the model implements the DFA on every input length\n"
            "certificate: %" G_GUINT64_FORMAT " reachable pairs, %" G_GUINT64_FORMAT
            " distinct exact states, %u layer%s\nlargest float deviations: %s\n",
            r.pairs, r.lrnn_states, m->n_layers, m->n_layers == 1 ? "" : "s", devs->str);
        if (irrational)
            g_string_append_printf(s, "rounding-safe input length (irrational weights): %s\n",
                                   safe->str);
    } else {
        g_string_append_printf(s, "not verified: shortest counterexample '%s'\n", cex);
    }
    g_string_free(safe, TRUE);
    g_string_free(devs, TRUE);
    fputs(s->str, stdout);
    g_string_free(s, TRUE);
    rc = r.verified ? LK_EXIT_OK : LK_EXIT_FALSE;
    lk_verify_result_clear(&r);
out:
    lk_cli_input_clear(&in);
    return rc;
}
