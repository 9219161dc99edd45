/* Shared command-line plumbing: input options, error reporting, output. */
#include "automata/atomic-file.h"
#include "automata/json-util.h"
#include "tools/cli.h"
#include "lrnn/weights.h"
#include "automata/families.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void lk_cli_input_add(GOptionContext *ctx, LkCliInput *in)
{
    GOptionEntry entries[] = {
        {"alphabet", 'a', 0, G_OPTION_ARG_STRING, &in->alphabet,
         "Alphabet: each character is a symbol", "CHARS"},
        {"symbols", 's', 0, G_OPTION_ARG_STRING, &in->symbols,
         "Alphabet: comma-separated symbol names", "LIST"},
        {"load", 'l', 0, G_OPTION_ARG_FILENAME_ARRAY, &in->load,
         "Read a DFA JSON file instead of a regex", "FILE"},
        {"family", 'F', 0, G_OPTION_ARG_STRING_ARRAY, &in->family,
         "A built-in automaton (see 'lrnnkit dfa --list-families')", "NAME"},
        {"cascade", 'C', 0, G_OPTION_ARG_FILENAME_ARRAY, &in->cascade,
         "A cascade of permutation-reset automata (JSON file, see README)", "FILE"},
        {"regex-file", 'f', 0, G_OPTION_ARG_FILENAME, &in->regex_file,
         "Read the regex from FILE (trailing newline ignored)", "FILE"},
        {"max-states", 0, 0, G_OPTION_ARG_INT64, &in->max_states,
         "Limit on the states of any DFA built (default 1000000)", "N"},
        {"max-positions", 0, 0, G_OPTION_ARG_INT64, &in->max_positions,
         "Limit on regex positions after expanding {m,n} (default 1000000)", "N"},
        {"max-memory", 0, 0, G_OPTION_ARG_STRING, &in->max_memory_text,
         "Limit on the memory a construction may plan to use, estimated before it grows: bytes, "
         "or with K, M, G or T (default: half of physical memory); exit 3 past it",
         "SIZE"},
        {NULL}};
    g_option_context_add_main_entries(ctx, entries, NULL);
    /* 0: the library's default; what is given must be a positive number */
    lk_cli_range(&in->max_states, "max-states", 1, G_MAXINT64, 0);
    lk_cli_range(&in->max_positions, "max-positions", 1, G_MAXINT64, 0);
    lk_cli_size(&in->max_memory_text, &in->max_memory, "max-memory");
}

void lk_cli_input_clear(LkCliInput *in)
{
    g_free(in->alphabet);
    g_free(in->symbols);
    g_strfreev(in->load);
    g_strfreev(in->family);
    g_strfreev(in->cascade);
    g_free(in->regex_file);
    g_free(in->max_memory_text);
    if (in->given) lk_alphabet_unref(in->given);
}

bool lk_cli_bytes(const char *text, uint64_t *out)
{
    char *end;
    if (!g_ascii_isdigit(*text)) return false;
    const guint64 v = g_ascii_strtoull(text, &end, 10);
    static const char units[] = "KMGT";
    unsigned shift = 0;
    if (*end) {
        const char *u = strchr(units, g_ascii_toupper(*end));
        if (!u || end[1]) return false;
        shift = 10 * (unsigned)(u - units + 1);
    }
    if (!v || v > (G_MAXUINT64 >> shift)) return false;
    *out = v << shift;
    return true;
}

void lk_cli_limits(const LkCliInput *in, LkLimits *out)
{
    LkLimits l = {.max_states = in->max_states > 0 ? (uint64_t)in->max_states : 0,
                  .max_positions = in->max_positions > 0 ? (uint64_t)in->max_positions : 0,
                  .max_memory = in->max_memory};
    lk_limits_resolve(out, &l);
}

LkAlphabet *lk_cli_alphabet(const LkCliInput *in, GError **error)
{
    if (in->alphabet && in->symbols) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "give --alphabet or --symbols, not both");
        return NULL;
    }
    if (in->alphabet) return lk_alphabet_new_chars(in->alphabet, error);
    if (in->symbols) return lk_alphabet_new_list(in->symbols, error);
    return in->given ? lk_alphabet_ref(in->given) : NULL;
}

/* The regex operand whose parse failed last (lk_cli_fail draws its caret). */
static char *failed_regex;

/* The minimal DFA of one operand (kind L: DFA file, F: family, C: cascade
 * file, R: regex); alpha is the explicit alphabet or NULL. */
static LkDfa *operand_dfa(const LkCliInput *in, char kind, const char *arg, LkAlphabet *alpha,
                          LkMinimizer how, GError **error)
{
    LkLimits lim;
    lk_cli_limits(in, &lim);
    const LkSource src = {kind == 'R'   ? LK_SOURCE_REGEX
                          : kind == 'C' ? LK_SOURCE_CASCADE_FILE
                          : kind == 'L' ? LK_SOURCE_DFA_FILE
                                        : LK_SOURCE_FAMILY,
                          arg};
    LkDfa *d = lk_source_dfa(&src, alpha, how, &lim, error);
    if (!d && kind == 'R') {
        g_free(failed_regex);
        failed_regex = g_strdup(arg);
    }
    return d;
}

char *lk_cli_read_regex_file(const char *path, GError **error)
{
    char *text = lk_file_read(path, NULL, error);
    if (!text) return NULL;
    g_strchomp(text);
    const char *nl = strpbrk(text, "\r\n");
    if (nl) { /* a newline inside would become a symbol */
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "%s: line 2: a regex file holds one regex on one line (only a trailing "
                    "newline is ignored)",
                    path);
        g_free(text);
        return NULL;
    }
    return text;
}

/* The command line as typed (lk_cli_parse keeps it): GOption moves the
 * arguments around but keeps their strings, so a positional argument's
 * place is found by its pointer. */
static char **typed;
static int n_typed;

/* The kind of operand option at typed[i] ('L', 'F', 'C', 'f') or 0. */
static char operand_option(const char *a)
{
    static const struct {
        const char *lng, *shrt;
        char kind;
    } o[] = {{"--load", "-l", 'L'},
             {"--family", "-F", 'F'},
             {"--cascade", "-C", 'C'},
             {"--regex-file", "-f", 'f'}};
    for (size_t k = 0; k < G_N_ELEMENTS(o); k++) {
        const size_t n = strlen(o[k].lng);
        if (!strcmp(a, o[k].lng) || (!strncmp(a, o[k].lng, n) && a[n] == '=') ||
            !strncmp(a, o[k].shrt, 2))
            return o[k].kind;
    }
    return 0;
}

typedef struct {
    int64_t pos;
    char *op;
} Operand;

static int by_position(const void *a, const void *b)
{
    const Operand *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The operands in the order typed ("L" file, "F" family, "C" cascade, "R"
 * regex text). */
static GPtrArray *operands(const LkCliInput *in, char **regexes, int n_regexes,
                           char **regex_file_text, GError **error)
{
    GArray *all = g_array_new(FALSE, FALSE, sizeof(Operand));
    int next[4] = {0}, pos_file = INT_MAX; /* the k-th --load, --family, --cascade */
    int *seen[3] = {NULL, NULL, NULL};
    char *const *lists[3] = {in->load, in->family, in->cascade};
    for (int k = 0; k < 3; k++)
        seen[k] = g_new0(int, (lists[k] ? g_strv_length((char **)lists[k]) : 0) + 1);
    for (int i = 1; i < n_typed && typed[i]; i++) {
        if (!strcmp(typed[i], "--")) break;
        const char kind = operand_option(typed[i]);
        const int k = kind == 'L' ? 0 : kind == 'F' ? 1 : kind == 'C' ? 2 : 3;
        if (!kind) continue;
        if (k == 3)
            pos_file = i;
        else if (lists[k] && lists[k][next[k]])
            seen[k][next[k]++] = i;
    }
    static const char tag[3] = {'L', 'F', 'C'};
    for (int k = 0; k < 3; k++)
        for (int j = 0; lists[k] && lists[k][j]; j++) { /* not found when typed oddly: last */
            Operand o = {j < next[k] ? seen[k][j] : INT_MAX - 1,
                         g_strdup_printf("%c%s", tag[k], lists[k][j])};
            g_array_append_val(all, o);
        }
    for (int k = 0; k < 3; k++) g_free(seen[k]);
    if (in->regex_file) {
        *regex_file_text = lk_cli_read_regex_file(in->regex_file, error);
        if (!*regex_file_text) {
            for (guint i = 0; i < all->len; i++) g_free(g_array_index(all, Operand, i).op);
            g_array_unref(all);
            return NULL;
        }
        Operand o = {pos_file, g_strconcat("R", *regex_file_text, NULL)};
        g_array_append_val(all, o);
    }
    for (int i = 0; i < n_regexes; i++) {
        int pos = INT_MAX;
        for (int j = 0; j < n_typed; j++)
            if (typed[j] == regexes[i]) pos = j;
        Operand o = {pos, g_strconcat("R", regexes[i], NULL)};
        g_array_append_val(all, o);
    }
    for (guint i = 0; i < all->len; i++) { /* ties (never typed) keep the order above */
        Operand *o = &g_array_index(all, Operand, i);
        o->pos = o->pos * 65536 + (int64_t)MIN(i, 65535u);
    }
    if (all->len > 1) qsort(all->data, all->len, sizeof(Operand), by_position);
    GPtrArray *ops = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < all->len; i++) g_ptr_array_add(ops, g_array_index(all, Operand, i).op);
    g_array_unref(all);
    return ops;
}

static LkDfa *op_dfa(const LkCliInput *in, const char *op, LkAlphabet *alpha, LkMinimizer how,
                     GError **error)
{
    return operand_dfa(in, op[0], op + 1, alpha, how, error);
}

LkDfa **lk_cli_input_dfas(const LkCliInput *in, char **regexes, int n_regexes, int want,
                          GError **error)
{
    g_autofree char *file_text = NULL;
    g_autoptr(GPtrArray) ops = operands(in, regexes, n_regexes, &file_text, error);
    if (!ops) return NULL;
    if ((int)ops->len != want) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    "expected %d operand%s (regex, --load, --family or "
                    "--cascade), got %u",
                    want, want == 1 ? "" : "s", ops->len);
        return NULL;
    }
    g_autoptr(LkAlphabet) alpha = NULL;
    if (in->alphabet || in->symbols || in->given) {
        alpha = lk_cli_alphabet(in, error);
        if (!alpha) return NULL;
    }
    LkDfa **out = g_new0(LkDfa *, want + 1);
    for (int i = 0; i < want; i++) {
        out[i] = op_dfa(in, ops->pdata[i], alpha, LK_MINIMIZE_AUTO, error);
        if (!out[i]) {
            lk_cli_free_dfas(out);
            return NULL;
        }
    }
    if (!alpha) lk_dfas_unify_alphabets(out, (size_t)want); /* widen to the union alphabet */
    return out;
}

void lk_cli_free_dfas(LkDfa **dfas)
{
    if (!dfas) return;
    for (LkDfa **p = dfas; *p; p++) lk_dfa_free(*p);
    g_free(dfas);
}

LkDfa *lk_cli_input_dfa(const LkCliInput *in, const char *regex, LkMinimizer how, GError **error)
{
    g_autofree char *file_text = NULL;
    char *rx[1] = {(char *)regex};
    g_autoptr(GPtrArray) ops = operands(in, rx, regex ? 1 : 0, &file_text, error);
    if (!ops) return NULL;
    if (ops->len != 1) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    ops->len ? "give one of REGEX, --load FILE, --family NAME, --cascade FILE, "
                               "--regex-file FILE"
                             : "no input: give a REGEX, --load FILE, --family NAME, --cascade "
                               "FILE or --regex-file FILE");
        return NULL;
    }
    g_autoptr(LkAlphabet) alpha = NULL;
    if (in->alphabet || in->symbols || in->given) {
        alpha = lk_cli_alphabet(in, error);
        if (!alpha) return NULL;
    }
    return op_dfa(in, ops->pdata[0], alpha, how, error);
}

LkDfa *lk_cli_one_dfa(const LkCliInput *in, int argc, char **argv, const char *cmd, int *rc)
{
    if (argc > 2) {
        *rc = lk_cli_usage("%s takes one REGEX (quote it), got %d arguments", cmd, argc - 1);
        return NULL;
    }
    GError *err = NULL;
    LkDfa *d = lk_cli_input_dfa(in, argc == 2 ? argv[1] : NULL, LK_MINIMIZE_AUTO, &err);
    if (!d) *rc = lk_cli_fail(err, argc == 2 ? argv[1] : NULL);
    return d;
}

static char *dfa_text(const LkDfa *d)
{
    GString *s = g_string_new(NULL);
    g_string_append(s, "alphabet:");
    for (uint32_t a = 0; a < d->k; a++)
        g_string_append_printf(s, " %s", lk_alphabet_name(d->alphabet, a));
    g_string_append_printf(s, "\nstates: %u, start: %u, accepting: %u\n", d->n, d->start,
                           lk_dfa_accept_count(d));
    char num[16];
    int w = snprintf(num, sizeof num, "%u", d->n), tmp;
    for (uint32_t a = 0; a < d->k; a++)
        if ((tmp = (int)g_utf8_strlen(lk_alphabet_name(d->alphabet, a), -1)) > w) w = tmp;
    g_string_append_printf(s, "%*s", w + 4, "");
    for (uint32_t a = 0; a < d->k; a++)
        g_string_append_printf(s, " %*s", w, lk_alphabet_name(d->alphabet, a));
    g_string_append_c(s, '\n');
    for (uint32_t q = 0; q < d->n; q++) {
        g_string_append_printf(s, "%s%s %*u", q == d->start ? "->" : "  ", d->accept[q] ? "*" : " ",
                               w, q);
        for (uint32_t a = 0; a < d->k; a++)
            g_string_append_printf(s, " %*u", w, d->delta[(size_t)q * d->k + a]);
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}

bool lk_cli_print_dfa(const LkDfa *d, const char *format, const char *path, GError **error)
{
    g_autofree char *text = NULL;
    if (format && strcmp(format, "json") == 0)
        text = lk_dfa_to_json(d);
    else if (format && strcmp(format, "dot") == 0)
        text = lk_dfa_to_dot(d);
    else
        text = dfa_text(d);
    return lk_cli_write(path, text, error);
}

char *lk_cli_word(const LkAlphabet *a, const GArray *word)
{
    return lk_alphabet_word_to_string(a, (const uint32_t *)word->data, word->len);
}

/* The integer options of this process's command whose range lk_cli_parse
 * checks (one command per process: a small static table). */
typedef struct {
    gint64 *value;
    const char *name;
    gint64 lo, hi, def;
} Range;
static Range ranges[32];
static int n_ranges;

void lk_cli_range(gint64 *value, const char *name, gint64 lo, gint64 hi, gint64 def)
{
    g_return_if_fail(n_ranges < (int)G_N_ELEMENTS(ranges));
    ranges[n_ranges++] = (Range){value, name, lo, hi, def};
    *value = LK_CLI_UNSET;
}

/* The size options (lk_cli_size) lk_cli_parse converts. */
typedef struct {
    char **text;
    uint64_t *value;
    const char *name;
} Size;
static Size sizes[4];
static int n_sizes;

void lk_cli_size(char **text, uint64_t *value, const char *name)
{
    g_return_if_fail(n_sizes < (int)G_N_ELEMENTS(sizes));
    sizes[n_sizes++] = (Size){text, value, name};
    *value = 0;
}

bool lk_cli_parse(GOptionContext *ctx, int *argc, char ***argv)
{
    g_free(typed);
    typed = g_memdup2(*argv, sizeof(char *) * (size_t)(*argc + 1));
    n_typed = *argc;
    GError *err = NULL;
    if (!g_option_context_parse(ctx, argc, argv, &err)) {
        fprintf(stderr, "lrnnkit: error: %s\n", err->message);
        g_error_free(err);
        return false;
    }
    for (int i = 0; i < n_ranges; i++) {
        gint64 *v = ranges[i].value;
        if (*v == LK_CLI_UNSET) {
            *v = ranges[i].def;
        } else if (*v < ranges[i].lo || *v > ranges[i].hi) {
            if (ranges[i].hi == G_MAXINT64)
                fprintf(stderr,
                        "lrnnkit: error: --%s takes a number >= %" G_GINT64_FORMAT
                        " (got %" G_GINT64_FORMAT ")\n",
                        ranges[i].name, ranges[i].lo, *v);
            else
                fprintf(stderr,
                        "lrnnkit: error: --%s takes %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT
                        " (got %" G_GINT64_FORMAT ")\n",
                        ranges[i].name, ranges[i].lo, ranges[i].hi, *v);
            return false;
        }
    }
    for (int i = 0; i < n_sizes; i++)
        if (*sizes[i].text && !lk_cli_bytes(*sizes[i].text, sizes[i].value)) {
            fprintf(stderr,
                    "lrnnkit: error: --%s takes a positive size: bytes, or with K, M, G or T "
                    "(got '%s')\n",
                    sizes[i].name, *sizes[i].text);
            return false;
        }
    return true;
}

int lk_cli_fail(GError *err, const char *regex)
{
    if (isatty(STDERR_FILENO)) fputs("\r\033[K", stderr); /* over a progress line */
    int code = LK_EXIT_INTERNAL;
    if (err->domain == LK_ERROR)
        code = err->code;
    else if (err->domain == G_OPTION_ERROR)
        code = LK_EXIT_USAGE;
    fprintf(stderr, "lrnnkit: error: %s\n", err->message);
    uint32_t col;
    if (failed_regex) regex = failed_regex; /* the operand that failed, not the first */
    if (regex && lk_error_location(err, NULL, &col) && g_str_has_prefix(err->message, "regex") &&
        g_utf8_strlen(regex, -1) < 200 && !strchr(regex, '\n')) {
        fprintf(stderr, "  %s\n  %*s^\n", regex, (int)col - 1, "");
    }
    g_error_free(err);
    return code;
}

int lk_cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    fprintf(stderr, "lrnnkit: error: %s\n", msg);
    g_free(msg);
    return LK_EXIT_USAGE;
}

bool lk_cli_write(const char *path, const char *text, GError **error)
{
    if (!path || strcmp(path, "-") == 0) {
        size_t len = strlen(text);
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "cannot write to standard output");
            return false;
        }
        return true;
    }
    return lk_atomic_write(path, text, strlen(text), error);
}

void lk_cli_append_json(GString *s, JsonBuilder *b)
{
    lk_json_builder_append_line(s, b);
}

void lk_cli_print_json(JsonBuilder *b)
{
    g_autoptr(GString) s = g_string_new(NULL);
    lk_cli_append_json(s, b);
    fputs(s->str, stdout);
}

void lk_jb_string(JsonBuilder *b, const char *name, const char *value)
{
    json_builder_set_member_name(b, name);
    if (value)
        json_builder_add_string_value(b, value);
    else
        json_builder_add_null_value(b);
}

void lk_jb_int(JsonBuilder *b, const char *name, gint64 value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, value);
}

void lk_jb_bool(JsonBuilder *b, const char *name, gboolean value)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, value);
}

void lk_jb_double(JsonBuilder *b, const char *name, double value)
{
    json_builder_set_member_name(b, name);
    if (isfinite(value))
        json_builder_add_double_value(b, value);
    else
        json_builder_add_null_value(b); /* JSON has no inf or nan */
}

LkStack *lk_cli_load_model(const char *path, bool from_tensors, GError **error)
{
    return from_tensors ? lk_stack_load_tensors(path, error) : lk_stack_load(path, error);
}
