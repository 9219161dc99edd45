/* lrnnkit: one command, git-style subcommands. */
#include "automata/progress.h"
#include "tools/cli.h"
#include "automata/atomic-file.h"
#include "tools/heap.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int cmd_help(int argc, char **argv);

static const LkCommand commands[] = {
    {"dfa", "regex, DFA file or family -> minimal complete DFA (text, JSON, DOT)", lk_cmd_dfa},
    {"equiv", "are two languages equal (or included)? shortest counterexample", lk_cmd_equiv},
    {"op", "union, intersect, diff, xor, complement -> minimal DFA", lk_cmd_op},
    {"member", "are words in the language?", lk_cmd_member},
    {"count", "exact number of accepted words of a length", lk_cmd_count},
    {"sample", "uniformly random accepted (or rejected) words", lk_cmd_sample},
    {"monoid", "transition (syntactic) monoid: size, Green's classes, groups", lk_cmd_monoid},
    {"classify", "which eigenvalues an LRNN needs for the language, and why", lk_cmd_classify},
    {"decompose", "holonomy (Krohn-Rhodes) decomposition into a cascade of permutation-resets",
     lk_cmd_decompose},
    {"compile", "DFA -> LRNN weights (Householder products) in a safetensors file", lk_cmd_compile},
    {"run", "run a model on a word with an exact or floating-point engine", lk_cmd_run},
    {"verify", "prove a model implements a DFA for all lengths, or a shortest counterexample",
     lk_cmd_verify},
    {"spectrum", "exact eigenvalue classes of a model's transitions (Theorems 1 and 2)",
     lk_cmd_spectrum},
    {"orbit", "eventual period of a model's state under a repeated token, in finite precision",
     lk_cmd_orbit},
    {"prove",
     "the theorems as checks: parity, modcount, sweep (random models), construct (a corpus)",
     lk_cmd_prove},
    {"gen", "task datasets (parity, word problems, arithmetic, ...) as JSONL, CSV or NumPy",
     lk_cmd_gen},
    {"train", "train an LRNN ([0,1] vs [-1,1] eigenvalues) on a dataset; export its matrices",
     lk_cmd_train},
    {"help", "show help for a command", cmd_help},
};

static const char REGEX_HELP[] =
    "Regex syntax (a regex matches whole words):\n"
    "  a            a symbol: any character except  \\ . [ ] ( ) | * + ? { } < > & ~\n"
    "  \\c           the character c literally\n"
    "  <name>       a multi-character symbol, e.g. <push>\n"
    "  .            any symbol of the alphabet (needs --alphabet/--symbols)\n"
    "  [abc] [a-c]  one symbol of a class; [^ab] the others (needs an alphabet); [] nothing\n"
    "  ()           the empty word;  (R) grouping\n"
    "  R* R+ R?     repetition;  R{m} R{m,} R{m,n}  counted repetition\n"
    "  RS           concatenation\n"
    "  ~R           complement (needs an alphabet); ~a* is ~(a*)\n"
    "  R&S          intersection, looser than concatenation\n"
    "  R|S          union, the loosest\n"
    "Without --alphabet/--symbols the alphabet is the symbols of the regex, sorted.\n";

static void usage(FILE *f)
{
    fprintf(f, "usage: lrnnkit [--version] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'lrnnkit help COMMAND' shows a command's options; 'lrnnkit help regex' the "
               "regex syntax.\nExit codes: 0 ok, 1 property false, 2 bad input, 3 limit hit, 4 "
               "internal error.\n");
}

static const LkCommand *find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return LK_EXIT_OK;
    }
    if (strcmp(argv[1], "regex") == 0) {
        fputs(REGEX_HELP, stdout);
        return LK_EXIT_OK;
    }
    const LkCommand *c = find(argv[1]);
    if (!c || c->run == cmd_help) return lk_cli_usage("no command '%s'", argv[1]);
    char *args[] = {(char *)c->name, "--help", NULL};
    g_autofree char *name = g_strdup_printf("lrnnkit %s", c->name); /* usage: lrnnkit CMD ... */
    g_set_prgname(name);
    return c->run(2, args);
}

/* Progress on a terminal (automata/progress.h): one line, rewritten. */
static bool progress_shown;

static void show_progress(const char *what, uint64_t done, uint64_t total)
{
    if (total)
        fprintf(stderr, "\r\033[K%s %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " (%.0f%%)", what,
                done, total, 100.0 * (double)done / (double)total);
    else
        fprintf(stderr, "\r\033[K%s %" G_GUINT64_FORMAT, what, done);
    fflush(stderr);
    progress_shown = true;
}

static void clear_progress(void)
{
    if (progress_shown) fputs("\r\033[K", stderr);
}

int main(int argc, char **argv)
{
    /* The character set only (GOption converts arguments with it); numbers
     * keep the C locale, so JSON and tables print 0.5 and never 0,5. */
    setlocale(LC_CTYPE, "");
    lk_heap_settings();
    lk_atomic_cleanup_on_signals(); /* interrupted: no temporary files left behind */
    if (argc < 2) {
        usage(stderr);
        return LK_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("lrnnkit %s\n", lk_version());
        return LK_EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return LK_EXIT_OK;
    }
    const LkCommand *c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "lrnnkit: error: no command '%s'\n", argv[1]);
        usage(stderr);
        return LK_EXIT_USAGE;
    }
    g_autofree char *name = g_strdup_printf("lrnnkit %s", c->name); /* usage: lrnnkit CMD ... */
    g_set_prgname(name);
    if (isatty(STDERR_FILENO)) {
        lk_progress_set(show_progress);
        atexit(clear_progress);
    }
    const int rc = c->run(argc - 1, argv + 1);
    clear_progress();
    progress_shown = false;
    return rc;
}
