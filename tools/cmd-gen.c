/* lrnnkit gen: task datasets (generators/). */
#include "generators/dataset.h"
#include "tools/cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int list_tasks(void)
{
    size_t n;
    const LkTaskInfo *t = lk_tasks(&n);
    printf("tasks (lrnnkit gen TASK ...):\n");
    for (size_t i = 0; i < n; i++)
        printf("  %-20s %s\n  %-20s options: %s\n", t[i].name, t[i].summary, "", t[i].options);
    printf(
        "\ncommon options: --split NAME:MINLEN-MAXLEN:COUNT (repeatable; default train:3-40:10000 "
        "validation:3-40:1000 test:40-256:1000), --labels final|prefix, --lengths "
        "uniform|words, --dedup, --seed S, --format jsonl|csv|npy|npz, --shard I/N, -o DIR\n");
    return LK_EXIT_OK;
}

static char *command_line(int argc, char **argv)
{
    GString *s = g_string_new("lrnnkit");
    for (int i = 0; i < argc; i++) {
        g_autofree char *q = g_shell_quote(argv[i]);
        g_string_append_c(s, ' ');
        g_string_append(s, strpbrk(argv[i], " '\"\\$`*?[]()<>|&;{}~#!") ? q : argv[i]);
    }
    return g_string_free(s, FALSE);
}

int lk_cmd_gen(int argc, char **argv)
{
    LkCliInput in = {0};
    gboolean list = FALSE, dedup = FALSE, quiet = FALSE;
    g_auto(GStrv) split_specs = NULL;
    g_autofree char *format = NULL, *output = NULL, *labels = NULL, *lengths = NULL, *shard = NULL,
                    *checksum = NULL;
    gint64 seed = 0, pad = 1, modulus = 5, max_attempts = 1000;
    double p_write = 0.1, p_read = 0.1, p_ignore = 0.8;
    GOptionEntry entries[] = {
        {"list", 0, 0, G_OPTION_ARG_NONE, &list, "List the tasks and their options", NULL},
        {"split", 0, 0, G_OPTION_ARG_STRING_ARRAY, &split_specs,
         "A split NAME:MINLEN-MAXLEN:COUNT (repeatable)", "SPLIT"},
        {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed (default 0)", "S"},
        {"format", 0, 0, G_OPTION_ARG_STRING, &format, "jsonl (default), csv, npy or npz", "F"},
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Output directory (required)", "DIR"},
        {"labels", 0, 0, G_OPTION_ARG_STRING, &labels,
         "final (default: the label of the whole input) or prefix (one per position)", "KIND"},
        {"lengths", 0, 0, G_OPTION_ARG_STRING, &lengths,
         "uniform (default: uniform over lengths) or words (uniform over inputs)", "DIST"},
        {"dedup", 0, 0, G_OPTION_ARG_NONE, &dedup,
         "No input twice, within and across splits (earlier splits win)", NULL},
        {"max-attempts", 0, 0, G_OPTION_ARG_INT64, &max_attempts,
         "With --dedup: draws per example before giving up (default 1000, exit 3)", "N"},
        {"shard", 0, 0, G_OPTION_ARG_STRING, &shard,
         "Write shard I of N (0 <= I < N); the shards concatenated are the dataset", "I/N"},
        {"pad", 0, 0, G_OPTION_ARG_INT64, &pad,
         "Group and counting tasks: K tokens per transition (identity padding)", "K"},
        {"modulus", 0, 0, G_OPTION_ARG_INT64, &modulus, "arith: the modulus (default 5)", "M"},
        {"p-write", 0, 0, G_OPTION_ARG_DOUBLE, &p_write, "flipflop: write probability (0.1)", "P"},
        {"p-read", 0, 0, G_OPTION_ARG_DOUBLE, &p_read, "flipflop: read probability (0.1)", "P"},
        {"p-ignore", 0, 0, G_OPTION_ARG_DOUBLE, &p_ignore, "flipflop: ignore probability (0.8)",
         "P"},
        {"checksum", 0, 0, G_OPTION_ARG_STRING, &checksum,
         "File checksums in the manifest: xxh128 (default; xxhsum -H2) or sha256", "ALGO"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "No progress line", NULL},
        {NULL}};
    g_autoptr(GOptionContext) ctx =
        g_option_context_new("TASK [REGEX] --split ... -o DIR - write a task dataset");
    g_option_context_set_summary(
        ctx, "Reproducible datasets of the state-tracking tasks (see --list): each example is "
             "drawn by its own xoshiro256** stream from (seed, split, index), so the same "
             "arguments give the same bytes and shards concatenate to the whole. Writes the "
             "files and DIR/manifest.json (with XXH3-128 or SHA-256 checksums) atomically.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    lk_cli_input_add(ctx, &in);
    lk_cli_range(&seed, "seed", 0, G_MAXINT64, 0);
    lk_cli_range(&pad, "pad", 1, 1000, 1);
    lk_cli_range(&max_attempts, "max-attempts", 1, G_MAXINT64, 1000);
    lk_cli_range(&modulus, "modulus", 1, 100000, -1);
    p_write = p_read = p_ignore = NAN; /* not given */
    int rc = LK_EXIT_USAGE;
    g_autofree char *command = command_line(argc, argv);
    LkSplit *splits = NULL;
    guint n_splits = 0;
    g_autoptr(LkDfa) d = NULL;
    g_autoptr(LkTask) task = NULL;
    g_autofree char *source = NULL;
    GError *err = NULL;
    if (!lk_cli_parse(ctx, &argc, &argv)) goto out;
    if (list) {
        rc = list_tasks();
        goto out;
    }
    if (argc < 2) {
        rc = lk_cli_usage("gen needs a TASK (see 'lrnnkit gen --list')");
        goto out;
    }
    if (!output) {
        rc = lk_cli_usage("gen needs -o DIR");
        goto out;
    }
    LkDatasetSpec spec = {.dir = output,
                          .seed = (uint64_t)seed,
                          .dedup = dedup,
                          .n_shards = 1,
                          .command = command,
                          .progress = !quiet && isatty(STDERR_FILENO)};
    if (format && !lk_format_parse(format, &spec.format)) {
        rc = lk_cli_usage("unknown format '%s' (jsonl, csv, npy, npz)", format);
        goto out;
    }
    if (checksum && !lk_checksum_parse(checksum, &spec.checksum)) {
        rc = lk_cli_usage("unknown checksum '%s' (xxh128, sha256)", checksum);
        goto out;
    }
    if (labels && strcmp(labels, "final") && strcmp(labels, "prefix")) {
        rc = lk_cli_usage("--labels is final or prefix");
        goto out;
    }
    spec.prefix_labels = labels && !strcmp(labels, "prefix");
    if (lengths && strcmp(lengths, "uniform") && strcmp(lengths, "words")) {
        rc = lk_cli_usage("--lengths is uniform or words");
        goto out;
    }
    spec.lengths = lengths && !strcmp(lengths, "words") ? LK_LENGTHS_WORDS : LK_LENGTHS_UNIFORM;
    if (shard) {
        unsigned i, n;
        char tail;
        if (sscanf(shard, "%u/%u%c", &i, &n, &tail) != 2 || n < 1 || i >= n || n > 99999) {
            rc = lk_cli_usage("--shard is I/N with 0 <= I < N <= 99999");
            goto out;
        }
        spec.shard = i;
        spec.n_shards = n;
    }
    spec.max_attempts = (uint64_t)max_attempts;
    static const char *defaults[] = {"train:3-40:10000", "validation:3-40:1000", "test:40-256:1000",
                                     NULL};
    const char *const *sv = split_specs ? (const char *const *)split_specs : defaults;
    n_splits = g_strv_length((char **)sv);
    splits = g_new0(LkSplit, n_splits);
    uint32_t max_len = 0;
    for (guint i = 0; i < n_splits; i++) {
        if (!lk_split_parse(sv[i], &splits[i], &err)) {
            rc = lk_cli_fail(err, NULL);
            goto out;
        }
        max_len = MAX(max_len, splits[i].max_len);
    }
    spec.splits = splits;
    spec.n_splits = n_splits;
    const char *name = argv[1];
    /* options that do not apply to the task are errors, not silently ignored */
    if (modulus != -1 && !g_str_has_prefix(name, "arith")) {
        rc = lk_cli_usage("--modulus applies to the arith tasks only");
        goto out;
    }
    const bool probs = !isnan(p_write) || !isnan(p_read) || !isnan(p_ignore);
    if (probs && strcmp(name, "flipflop")) {
        rc = lk_cli_usage("--p-write, --p-read and --p-ignore apply to flipflop only");
        goto out;
    }
    if (isnan(p_write)) p_write = 0.1;
    if (isnan(p_read)) p_read = 0.1;
    if (isnan(p_ignore)) p_ignore = 0.8;
    if (probs && fabs(p_write + p_read + p_ignore - 1) > 1e-9) {
        rc = lk_cli_usage("--p-write, --p-read and --p-ignore must sum to 1 (they sum to %.17g)",
                          p_write + p_read + p_ignore);
        goto out;
    }
    LkTaskOptions opt = {.pad = (uint32_t)pad,
                         .modulus = modulus == -1 ? 0 : (uint32_t)modulus,
                         .p_write = p_write,
                         .p_read = p_read,
                         .p_ignore = p_ignore,
                         .max_len = max_len};
    lk_cli_limits(&in, &opt.limits);
    spec.limits = opt.limits;
    if (!strcmp(name, "member")) {
        char *fake[2] = {"gen member", argc > 2 ? argv[2] : NULL};
        if (argc > 3) {
            rc = lk_cli_usage("member takes one REGEX (quote it)");
            goto out;
        }
        if (!(d = lk_cli_one_dfa(&in, argc - 1, fake, "gen member", &rc))) goto out;
        opt.dfa = d;
        source = argc > 2    ? g_strdup(argv[2])
                 : in.load   ? g_strdup_printf("file %s", in.load[0])
                 : in.family ? g_strdup_printf("family %s", in.family[0])
                 : in.cascade
                     ? g_strdup_printf("cascade %s", in.cascade[0])
                     : g_strdup_printf("regex file %s", in.regex_file ? in.regex_file : "");
        opt.source = source;
    } else if (argc > 2) {
        rc = lk_cli_usage("task '%s' takes no REGEX argument", name);
        goto out;
    }
    if (!(task = lk_task_new(name, &opt, &err)) || !lk_dataset_write(task, &spec, &err)) {
        rc = lk_cli_fail(err, NULL);
        goto out;
    }
    rc = LK_EXIT_OK;
out:
    for (guint i = 0; i < n_splits; i++) lk_split_clear(&splits[i]);
    g_free(splits);
    lk_cli_input_clear(&in);
    return rc;
}
