/* lrnnkit monoid and lrnnkit classify: the transition (syntactic) monoid and
 * what it says about the eigenvalues an LRNN needs (Grazzi et al., Theorems 1, 2, 4). */
#include "automata/semigroup/monoid.h"
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    LkCliInput in;
    char *transformations;
    gint64 max_elements;
    gboolean json, elements, dot, cayley, enumerate_only;
} MonoidOpts;

/* The monoid of the input and names for its generators. */
static LkMonoid *load_monoid(MonoidOpts *o, int argc, char **argv, LkAlphabet **names, int *rc)
{
    GError *err = NULL;
    LkMonoid *m = NULL;
    LkLimits lim;
    lk_cli_limits(&o->in, &lim);
    lim.max_elements = (uint64_t)MAX(o->max_elements, 0);
    if (!lim.max_elements) lim.max_elements = LK_DEFAULT_MAX_ELEMENTS;
    if (o->transformations) {
        if (argc > 1 || o->in.load || o->in.family) {
            *rc = lk_cli_usage("--transformations replaces the other inputs");
            return NULL;
        }
        gsize len;
        char *text = lk_file_read(o->transformations, &len, &err);
        if (!text) {
            *rc = lk_cli_fail(err, NULL);
            return NULL;
        }
        m = lk_monoid_new_from_json(text, (gssize)len, o->transformations, &lim, &err);
        g_free(text);
        if (!m) {
            *rc = lk_cli_fail(err, NULL);
            return NULL;
        }
        uint32_t k = lk_monoid_ngens(m);
        GPtrArray *nm = g_ptr_array_new_with_free_func(g_free);
        for (uint32_t a = 0; a < k; a++)
            g_ptr_array_add(nm,
                            k <= 26 ? g_strdup_printf("%c", 'a' + a) : g_strdup_printf("g%u", a));
        *names = lk_alphabet_new((const char *const *)nm->pdata, k, NULL);
        g_ptr_array_unref(nm);
        return m;
    }
    g_autoptr(LkDfa) d = lk_cli_one_dfa(&o->in, argc, argv, argv[0], rc);
    if (!d) return NULL;
    m = lk_monoid_new_from_dfa(d, &lim, &err);
    if (!m) {
        *rc = lk_cli_fail(err, NULL);
        return NULL;
    }
    *names = lk_alphabet_ref(d->alphabet);
    return m;
}

static void add_options(GOptionContext *ctx, MonoidOpts *o)
{
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &o->json, "Print JSON", NULL},
        {"transformations", 't', 0, G_OPTION_ARG_FILENAME, &o->transformations,
         "Generators from JSON {\"degree\": n, \"generators\": [[images], ...]}", "FILE"},
        {"max-elements", 0, 0, G_OPTION_ARG_INT64, &o->max_elements,
         "Limit on the monoid's size (default 10000000)", "N"},
        {NULL}};
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &o->in);
    lk_cli_range(&o->max_elements, "max-elements", 1, G_MAXINT64, 0);
}

/* The member "groups" and the member "theorem3" of the JSON outputs. */
static void groups_json(JsonBuilder *b, const LkMonoid *m, const LkMonoidAnalysis *a,
                        const LkAlphabet *names)
{
    json_builder_set_member_name(b, "groups");
    json_builder_begin_array(b);
    for (guint i = 0; i < a->groups->len; i++) {
        const LkMonoidGroup *g = &g_array_index(a->groups, LkMonoidGroup, i);
        g_autofree char *w = lk_monoid_word_text(m, g->example, names);
        json_builder_begin_object(b);
        lk_jb_int(b, "order", g->order);
        lk_jb_bool(b, "solvable", g->solvable);
        lk_jb_bool(b, "abelian", g->abelian);
        lk_jb_bool(b, "cyclic", g->cyclic);
        lk_jb_int(b, "exponent", g->exponent);
        lk_jb_int(b, "degree", g->degree);
        lk_jb_int(b, "count", g->count);
        lk_jb_string(b, "idempotent", w);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

static void theorem3_json(JsonBuilder *b, const LkMonoidAnalysis *a)
{
    json_builder_set_member_name(b, "theorem3");
    json_builder_begin_object(b);
    lk_jb_bool(b, "applies", a->is_group);
    json_builder_set_member_name(b, "max_reflections");
    if (a->max_reflections >= 0)
        json_builder_add_int_value(b, a->max_reflections);
    else
        json_builder_add_null_value(b);
    json_builder_end_object(b);
}

int lk_cmd_monoid(int argc, char **argv)
{
    MonoidOpts o = {0};
    GOptionEntry extra[] = {
        {"elements", 0, 0, G_OPTION_ARG_NONE, &o.elements,
         "List every element with its shortest word", NULL},
        {"dot", 0, 0, G_OPTION_ARG_NONE, &o.dot, "Draw the D-classes (egg-box picture) as DOT",
         NULL},
        {"cayley-dot", 0, 0, G_OPTION_ARG_NONE, &o.cayley, "Draw the right Cayley graph as DOT",
         NULL},
        {"enumerate-only", 0, 0, G_OPTION_ARG_NONE, &o.enumerate_only,
         "Only enumerate (elements, both Cayley graphs): print size, memory, time", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("[REGEX] - the transition monoid and its algebra");
    g_option_context_set_summary(ctx, "The syntactic monoid of REGEX (the transition monoid of its "
                                      "minimal DFA), of --load/--family, or of --transformations.");
    g_option_context_add_main_entries(ctx, extra, NULL);
    add_options(ctx, &o);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkAlphabet) names = NULL;
    g_autoptr(LkMonoid) m = NULL;
    g_autoptr(LkMonoidAnalysis) a = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    gint64 t0 = g_get_monotonic_time();
    m = load_monoid(&o, argc, argv, &names, &rc);
    if (!m) goto out;
    double seconds = (double)(g_get_monotonic_time() - t0) / 1e6;
    GString *s = g_string_new(NULL);
    size_t mem = lk_monoid_memory(m);
    if (o.enumerate_only && o.json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_int(b, "size", lk_monoid_size(m));
        lk_jb_int(b, "memory_bytes", (gint64)mem);
        lk_jb_double(b, "bytes_per_element", (double)mem / lk_monoid_size(m));
        lk_jb_double(b, "seconds", seconds);
        json_builder_end_object(b);
        lk_cli_append_json(s, b);
        g_object_unref(b);
        goto print;
    }
    if (o.enumerate_only) {
        g_string_append_printf(s, "size: %u\nmemory: %zu bytes (%.1f per element)\nseconds: %.3f\n",
                               lk_monoid_size(m), mem, (double)mem / lk_monoid_size(m), seconds);
        goto print;
    }
    a = lk_monoid_analyze(m, o.dot);
    if (o.dot || o.cayley) {
        char *t = o.dot ? lk_monoid_egg_box_dot(m, a, names) : lk_monoid_cayley_dot(m, names);
        g_string_append(s, t);
        g_free(t);
    } else if (o.json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_int(b, "size", a->size);
        lk_jb_int(b, "degree", lk_monoid_degree(m));
        lk_jb_int(b, "generators", lk_monoid_ngens(m));
        lk_jb_int(b, "idempotents", a->idempotents);
        lk_jb_bool(b, "is_group", a->is_group);
        lk_jb_bool(b, "is_aperiodic", a->is_aperiodic);
        lk_jb_int(b, "d_classes", a->d_classes);
        lk_jb_int(b, "regular_d_classes", a->regular_d_classes);
        lk_jb_int(b, "r_classes", a->r_classes);
        lk_jb_int(b, "l_classes", a->l_classes);
        lk_jb_int(b, "h_classes", a->h_classes);
        json_builder_set_member_name(b, "periods");
        json_builder_begin_array(b);
        for (guint i = 0; i < a->periods->len; i++)
            json_builder_add_int_value(b, g_array_index(a->periods, uint32_t, i));
        json_builder_end_array(b);
        lk_jb_string(b, "eigenvalues_needed", lk_eigen_class_name(a->eigenvalues));
        groups_json(b, m, a, names);
        lk_jb_bool(b, "groups_solvable", a->groups_solvable);
        theorem3_json(b, a);
        lk_jb_int(b, "memory_bytes", (gint64)mem);
        lk_jb_double(b, "bytes_per_element", (double)mem / a->size);
        lk_jb_double(b, "seconds", seconds);
        if (o.elements) {
            json_builder_set_member_name(b, "elements");
            json_builder_begin_array(b);
            for (uint32_t x = 0; x < a->size; x++) {
                g_autofree char *w = lk_monoid_word_text(m, x, names);
                json_builder_begin_object(b);
                lk_jb_string(b, "word", w);
                json_builder_set_member_name(b, "images");
                json_builder_begin_array(b);
                for (uint32_t q = 0; q < lk_monoid_degree(m); q++)
                    json_builder_add_int_value(b, lk_monoid_image(m, x, q));
                json_builder_end_array(b);
                lk_jb_bool(b, "idempotent", lk_monoid_is_idempotent(m, x));
                json_builder_end_object(b);
            }
            json_builder_end_array(b);
        }
        json_builder_end_object(b);
        lk_cli_append_json(s, b);
        g_object_unref(b);
    } else {
        g_string_append_printf(s, "size: %u (degree %u, %u generators)\nidempotents: %u\n", a->size,
                               lk_monoid_degree(m), lk_monoid_ngens(m), a->idempotents);
        g_string_append_printf(s, "classes: %u D (%u regular), %u R, %u L, %u H\n", a->d_classes,
                               a->regular_d_classes, a->r_classes, a->l_classes, a->h_classes);
        g_string_append_printf(s, "group: %s, aperiodic: %s, eigenvalues needed: %s\nperiods:",
                               a->is_group ? "yes" : "no", a->is_aperiodic ? "yes" : "no",
                               lk_eigen_class_name(a->eigenvalues));
        for (guint i = 0; i < a->periods->len; i++)
            g_string_append_printf(s, " %u", g_array_index(a->periods, uint32_t, i));
        g_string_append(s, "\nmaximal subgroups:");
        for (guint i = 0; i < a->groups->len; i++) {
            const LkMonoidGroup *g = &g_array_index(a->groups, LkMonoidGroup, i);
            g_string_append_printf(s, "\n  order %u%s%s%s, exponent %u (%u D-class%s)", g->order,
                                   g->cyclic    ? ", cyclic"
                                   : g->abelian ? ", abelian"
                                                : "",
                                   g->solvable ? ", solvable" : ", not solvable", "", g->exponent,
                                   g->count, g->count == 1 ? "" : "es");
        }
        g_string_append(s, "\n");
        if (o.elements)
            for (uint32_t x = 0; x < a->size; x++) {
                g_autofree char *w = lk_monoid_word_text(m, x, names);
                g_string_append_printf(s, "%u\t%s\n", x, *w ? w : "1");
            }
    }
print:;
    GError *err = NULL;
    rc = lk_cli_write(NULL, s->str, &err) ? LK_EXIT_OK : lk_cli_fail(err, NULL);
    g_string_free(s, TRUE);
out:
    lk_cli_input_clear(&o.in);
    g_free(o.transformations);
    return rc;
}

int lk_cmd_classify(int argc, char **argv)
{
    MonoidOpts o = {0};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("[REGEX] - what an LRNN needs to recognize the language");
    g_option_context_set_summary(
        ctx, "Reads the syntactic monoid (Grazzi et al., Theorems 1, 2, 4): aperiodic -> "
             "nonnegative eigenvalues suffice; groups of 2-power order -> "
             "negative eigenvalues; an odd prime -> complex eigenvalues.");
    add_options(ctx, &o);
    int rc = LK_EXIT_USAGE;
    g_autoptr(LkAlphabet) names = NULL;
    g_autoptr(LkMonoid) m = NULL;
    g_autoptr(LkMonoidAnalysis) a = NULL;
    g_autofree char *wit = NULL, *why = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    m = load_monoid(&o, argc, argv, &names, &rc);
    if (!m) goto out;
    a = lk_monoid_analyze(m, false);
    wit = a->witness != UINT32_MAX ? lk_monoid_word_text(m, a->witness, names) : NULL;
    why = lk_monoid_analysis_reason(m, a, names);
    GString *s = g_string_new(NULL);
    if (o.json) {
        JsonBuilder *b = json_builder_new();
        json_builder_begin_object(b);
        lk_jb_string(b, "eigenvalues_needed", lk_eigen_class_name(a->eigenvalues));
        lk_jb_string(b, "reason", why);
        lk_jb_string(b, "witness", wit);
        lk_jb_int(b, "witness_period", a->witness != UINT32_MAX ? a->witness_period : 1);
        lk_jb_int(b, "monoid_size", a->size);
        lk_jb_bool(b, "is_group", a->is_group);
        lk_jb_bool(b, "is_aperiodic", a->is_aperiodic);
        lk_jb_bool(b, "groups_solvable", a->groups_solvable);
        groups_json(b, m, a, names);
        theorem3_json(b, a);
        json_builder_end_object(b);
        lk_cli_append_json(s, b);
        g_object_unref(b);
    } else {
        g_string_append_printf(s, "eigenvalues needed: %s\nwhy: %s\n",
                               lk_eigen_class_name(a->eigenvalues), why);
        if (a->is_group)
            g_string_append_printf(
                s,
                "Theorem 3 applies: the monoid is a group; one layer with B = 0, "
                "at most %" G_GINT64_FORMAT " reflections per token\n",
                a->max_reflections);
        else
            g_string_append(
                s, "Theorem 3 does not apply (not a group): resets or a cascade are needed\n");
    }
    GError *err = NULL;
    rc = lk_cli_write(NULL, s->str, &err) ? LK_EXIT_OK : lk_cli_fail(err, NULL);
    g_string_free(s, TRUE);
out:
    lk_cli_input_clear(&o.in);
    g_free(o.transformations);
    return rc;
}
