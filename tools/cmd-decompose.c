/* lrnnkit decompose: the holonomy (Krohn-Rhodes) decomposition of a DFA or
 * of transformations, as a per-level summary, JSON with the cascade, or the
 * skeleton in DOT. */
#include "automata/semigroup/holonomy.h"
#include "automata/semigroup/transf.h"
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

/* Names a, b, ... (or g0, g1, ...) for k bare generators. */
static LkAlphabet *generator_names(uint32_t k)
{
    GPtrArray *nm = g_ptr_array_new_with_free_func(g_free);
    for (uint32_t a = 0; a < k; a++)
        g_ptr_array_add(nm, k <= 26 ? g_strdup_printf("%c", 'a' + a) : g_strdup_printf("g%u", a));
    LkAlphabet *al = lk_alphabet_new((const char *const *)nm->pdata, k, NULL);
    g_ptr_array_unref(nm);
    return al;
}

static void append_group(GString *s, const LkHolonomyGroup *g)
{
    g_string_append_printf(s, "%s (order %s) on %u tiles of a %u-set", g->name, g->order_str,
                           g->degree, g->size);
}

/* A group's order: a JSON integer (a decimal string past 2^53). */
static void add_group(JsonBuilder *b, const LkHolonomyGroup *g)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "order");
    guint64 order;
    if (g_ascii_string_to_unsigned(g->order_str, 10, 0, (1ull << 53), &order, NULL))
        json_builder_add_int_value(b, (gint64)order);
    else
        json_builder_add_string_value(b, g->order_str);
    lk_jb_int(b, "degree", g->degree);
    lk_jb_string(b, "name", g->name);
    lk_jb_bool(b, "solvable", g->solvable);
    lk_jb_int(b, "set_size", g->size);
    lk_jb_int(b, "sets", g->members);
    json_builder_end_object(b);
}

static bool same_component(const LkHolonomyGroup *a, const LkHolonomyGroup *b)
{
    return a->degree == b->degree && a->size == b->size && !strcmp(a->name, b->name) &&
           !strcmp(a->order_str, b->order_str);
}

int lk_cmd_decompose(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean json = FALSE, dot = FALSE;
    gint64 max_images = 0;
    g_autofree char *transformations = NULL, *output = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json,
         "Print JSON: levels, depth, images and the cascade (lrnnkit-cascade)", NULL},
        {"dot", 0, 0, G_OPTION_ARG_NONE, &dot, "Draw the skeleton (Graphviz)", NULL},
        {"transformations", 't', 0, G_OPTION_ARG_FILENAME, &transformations,
         "Generators from JSON {\"degree\": n, \"generators\": [[images], ...]}", "FILE"},
        {"max-images", 0, 0, G_OPTION_ARG_INT64, &max_images,
         "Limit on the extended image set (default 1000000)", "N"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (atomically)", "FILE"},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("[REGEX] - holonomy decomposition into a cascade");
    g_option_context_set_summary(
        ctx, "The holonomy (Krohn-Rhodes) decomposition (Eilenberg; Egri-Nagy & Nehaniv, "
             "SgpDec's conventions): the skeleton of image sets, one level per depth below the "
             "top, each a permutation-reset automaton on the tiles of its classes' "
             "representatives with their holonomy groups, and the cascade that covers the "
             "automaton (checked). A 1-state automaton has 0 levels.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    lk_cli_range(&max_images, "max-images", 1, G_MAXINT64, 0);
    int rc = LK_EXIT_USAGE;
    GError *err = NULL;
    g_autoptr(LkDfa) d = NULL;
    g_autoptr(LkHolonomy) h = NULL;
    g_autoptr(LkAlphabet) names = NULL;
    g_autoptr(LkCascade) c = NULL;
    g_autofree uint32_t *gens = NULL;
    g_autofree char *text = NULL;
    uint32_t n = 0, k = 0, start = 0;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if (json && dot) {
        rc = lk_cli_usage("give at most one of --json and --dot");
        goto out;
    }
    LkLimits lim;
    lk_cli_limits(&in, &lim);
    lim.max_images = (uint64_t)max_images;
    gint64 t0 = g_get_monotonic_time();
    if (transformations) {
        if (argc > 1 || in.load || in.family || in.cascade || in.regex_file) {
            rc = lk_cli_usage("--transformations replaces the other inputs");
            goto out;
        }
        gsize len;
        if (!(text = lk_file_read(transformations, &len, &err))) {
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        gens = lk_transf_from_json(text, (gssize)len, transformations, &n, &k, &err);
        if (gens && (n == 0 || k == 0)) {
            g_set_error(&err, LK_ERROR, LK_ERROR_INPUT,
                        "%s: decompose needs a degree >= 1 and at least one generator",
                        transformations);
            g_clear_pointer(&gens, g_free);
        }
        if (!gens) {
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        names = generator_names(k);
        h = lk_holonomy_new(n, k, gens, &lim, &err);
    } else {
        if (!(d = lk_cli_one_dfa(&in, argc, argv, "decompose", &rc))) goto out;
        n = d->n, k = d->k, start = d->start;
        names = lk_alphabet_ref(d->alphabet);
        h = lk_holonomy_new_from_dfa(d, &lim, &err);
    }
    if (h && !dot) c = lk_holonomy_cascade(h, names, start, d ? d->accept : NULL, &lim, &err);
    if (!h || (!dot && !c)) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    bool covers = true;
    uint64_t pairs = 0;
    if (d && c && !lk_cascade_covers(c, d, &lim, &covers, NULL, &pairs, &err)) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    if (!covers) {
        g_set_error(&err, LK_ERROR, LK_ERROR_INTERNAL,
                    "the holonomy cascade does not cover the automaton (a bug: please report it)");
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    const double secs = (double)(g_get_monotonic_time() - t0) / 1e6;
    const uint32_t L = lk_holonomy_n_levels(h);
    GString *s = g_string_new(NULL);
    if (dot) {
        g_autofree char *dt = lk_holonomy_dot(h);
        g_string_append(s, dt);
    } else if (json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_int(b, "states", n);
        lk_jb_int(b, "letters", k);
        lk_jb_int(b, "images", lk_holonomy_n_images(h));
        lk_jb_int(b, "classes", lk_holonomy_n_classes(h));
        lk_jb_int(b, "depth", lk_holonomy_depth(h));
        json_builder_set_member_name(b, "levels");
        json_builder_begin_array(b);
        for (uint32_t i = 0; i < L; i++) {
            const LkHolonomyLevel *lv = lk_holonomy_level(h, i);
            json_builder_begin_object(b);
            lk_jb_int(b, "points", lv->points);
            lk_jb_int(b, "states", lv->width);
            json_builder_set_member_name(b, "groups");
            json_builder_begin_array(b);
            for (uint32_t g = 0; g < lv->n_groups; g++) add_group(b, &lv->groups[g]);
            json_builder_end_array(b);
            json_builder_end_object(b);
        }
        json_builder_end_array(b);
        lk_jb_int(b, "cascade_states", lk_tuple_map_size(c->map));
        json_builder_set_member_name(b, "covers");
        if (d)
            json_builder_add_boolean_value(b, TRUE);
        else
            json_builder_add_null_value(b);
        lk_jb_double(b, "seconds", secs);
        g_autofree char *cj = lk_cascade_to_json(c); /* the cascade file, as a member */
        g_autoptr(JsonParser) p = json_parser_new();
        if (!json_parser_load_from_data(p, cj, -1, NULL)) g_assert_not_reached();
        json_builder_set_member_name(b, "cascade");
        json_builder_add_value(b, json_node_copy(json_parser_get_root(p)));
        json_builder_end_object(b);
        lk_cli_append_json(s, b);
        g_object_unref(b);
    } else {
        g_string_append_printf(s,
                               "states: %u, letters: %u\nimage sets: %u in %u classes\n"
                               "levels: %u (skeleton depth %u)\n",
                               n, k, lk_holonomy_n_images(h), lk_holonomy_n_classes(h), L,
                               lk_holonomy_depth(h));
        for (uint32_t i = 0; i < L; i++) {
            const LkHolonomyLevel *lv = lk_holonomy_level(h, i);
            g_string_append_printf(s, "level %u: %u points (%u states);", i + 1, lv->points,
                                   lv->width);
            /* equal components once, with their count ("x 256") */
            for (uint32_t g = 0, first = 1; g < lv->n_groups; g++) {
                const LkHolonomyGroup *a = &lv->groups[g];
                bool seen = false;
                for (uint32_t e = 0; e < g && !seen; e++) seen = same_component(&lv->groups[e], a);
                if (seen) continue;
                uint32_t times = 0;
                for (uint32_t e = g; e < lv->n_groups; e++)
                    times += same_component(&lv->groups[e], a);
                g_string_append(s, first ? " " : ", ");
                append_group(s, a);
                if (times > 1) g_string_append_printf(s, " x %u", times);
                first = 0;
            }
            g_string_append_c(s, '\n');
        }
        g_string_append_printf(
            s, "cascade: %u reachable states, %" G_GUINT64_FORMAT " contexts%s\n",
            lk_tuple_map_size(c->map), lk_cascade_rows(c), d ? "; covers the DFA (checked)" : "");
    }
    if (!lk_cli_write(output, s->str, &err)) {
        g_string_free(s, TRUE);
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    g_string_free(s, TRUE);
    rc = LK_EXIT_OK;
out:
    lk_cli_input_clear(&in);
    return rc;
}
