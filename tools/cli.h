/* lrnnkit command line: shared option groups and helpers. No algorithms
 * here: a subcommand parses options, calls the library, prints. */
#pragma once

#include "lrnn/stack.h"

#include "automata/semigroup/cascade.h"
#include "automata/language.h"

#include <json-glib/json-glib.h>

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} LkCommand;

/* Exit codes (the README, "The command"). */
enum {
    LK_EXIT_OK = 0,
    LK_EXIT_FALSE = 1,
    LK_EXIT_USAGE = 2,
    LK_EXIT_LIMIT = 3,
    LK_EXIT_INTERNAL = 4
};

/* Options every command that reads a language takes. */
typedef struct {
    char *alphabet;
    char *symbols;
    char **load;    /* DFA files (repeatable) */
    char **family;  /* built-in families (repeatable) */
    char **cascade; /* cascade files (repeatable) */
    char *regex_file;
    gint64 max_states;
    gint64 max_positions;
    char *max_memory_text; /* --max-memory as typed */
    uint64_t max_memory;   /* its bytes (0: the default) */
    LkAlphabet *given;     /* an alphabet set by the command (a model's tokens), or NULL */
} LkCliInput;

/* Adds the input options to ctx (as the main group's entries). */
void lk_cli_input_add(GOptionContext *ctx, LkCliInput *in);
void lk_cli_input_clear(LkCliInput *in);
void lk_cli_limits(const LkCliInput *in, LkLimits *out);
/* The explicit alphabet, or NULL when none was given. */
LkAlphabet *lk_cli_alphabet(const LkCliInput *in, GError **error);
/* The text of a regex file, trailing whitespace removed (LK_ERROR_INPUT when
 * it cannot be read). */
char *lk_cli_read_regex_file(const char *path, GError **error);
/* The minimal DFA of the one input: --load FILE, --family NAME,
 * --regex-file FILE, or regex (may be NULL). */
LkDfa *lk_cli_input_dfa(const LkCliInput *in, const char *regex, LkMinimizer how, GError **error);
/* The one input of a command taking [REGEX]: checks the argument count, builds
 * the minimal DFA, or prints the error and sets *rc (then returns NULL). */
LkDfa *lk_cli_one_dfa(const LkCliInput *in, int argc, char **argv, const char *cmd, int *rc);
/* `want` minimal DFAs over one alphabet, from the operands in this order:
 * --load files, --family names, --regex-file, then the regexes. Without an
 * explicit alphabet, the union of the operands' alphabets is used. Returns a
 * NULL-terminated array (free with lk_cli_free_dfas). */
LkDfa **lk_cli_input_dfas(const LkCliInput *in, char **regexes, int n_regexes, int want,
                          GError **error);
void lk_cli_free_dfas(LkDfa **dfas);
/* Prints a DFA as text, JSON or DOT (format: NULL/"text", "json", "dot")
 * to path (NULL: stdout). */
bool lk_cli_print_dfa(const LkDfa *d, const char *format, const char *path, GError **error);
/* Appends the JSON string of a word, or the word as text. */
char *lk_cli_word(const LkAlphabet *a, const GArray *word);

/* Parses options; on failure prints the error and returns false. */
bool lk_cli_parse(GOptionContext *ctx, int *argc, char ***argv);
/* Prints "lrnnkit: error: ..." (with a caret under a regex column) and
 * returns the exit code for err. Frees err. */
int lk_cli_fail(GError *err, const char *regex);
/* The options that choose a model's source, with one help text everywhere:
 * --from-tensors (the weights as written) and --matrices F.npz. */
#define LK_CLI_FROM_TENSORS(var)                                                                   \
    {                                                                                              \
        "from-tensors", 0, 0, G_OPTION_ARG_NONE, &(var),                                           \
            "Take the weights as written in the tensors (the metadata only for the structure): "   \
            "perturbed or fine-tuned models",                                                      \
            NULL                                                                                   \
    }
#define LK_CLI_MATRICES(var)                                                                       \
    {                                                                                              \
        "matrices", 0, 0, G_OPTION_ARG_FILENAME, &(var),                                           \
            "Read the model from an .npz of matrices: A [V, n, n], optional B [V, n] and h0 [n]",  \
            "F.npz"                                                                                \
    }
/* A model file, checked against its exact metadata or (from_tensors) as written. */
LkStack *lk_cli_load_model(const char *path, bool from_tensors, GError **error);
/* An integer option whose range lk_cli_parse checks: given, it must lie in
 * lo..hi (else a usage error naming it: negative numbers never wrap, 0 never
 * means "no limit"); not given, it is def. Call before lk_cli_parse. */
#define LK_CLI_UNSET G_MININT64
void lk_cli_range(gint64 *value, const char *name, gint64 lo, gint64 hi, gint64 def);
int lk_cli_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* A size in bytes: digits with an optional K, M, G or T (powers of 1024); false unless positive. */
bool lk_cli_bytes(const char *text, uint64_t *out);
/* Registers a size option given as *text: lk_cli_parse converts it into *value (0 when
 * absent) or fails with a usage error. */
void lk_cli_size(char **text, uint64_t *value, const char *name);
/* Writes text to path atomically, or to stdout when path is NULL or "-". */
bool lk_cli_write(const char *path, const char *text, GError **error);
/* Prints the document a JsonBuilder holds (closed) on one line of stdout. */
void lk_cli_print_json(JsonBuilder *b);
/* The document a JsonBuilder holds (closed) as one line with a newline, appended to s. */
void lk_cli_append_json(GString *s, JsonBuilder *b);
/* Members of the object a JsonBuilder is building (json-glib escapes every
 * string, so names from input stay valid JSON); a NULL string is null. */
void lk_jb_string(JsonBuilder *b, const char *name, const char *value);
void lk_jb_int(JsonBuilder *b, const char *name, gint64 value);
void lk_jb_bool(JsonBuilder *b, const char *name, gboolean value);
void lk_jb_double(JsonBuilder *b, const char *name, double value); /* inf, nan: null */

int lk_cmd_dfa(int argc, char **argv);
int lk_cmd_equiv(int argc, char **argv);
int lk_cmd_op(int argc, char **argv);
int lk_cmd_count(int argc, char **argv);
int lk_cmd_member(int argc, char **argv);
int lk_cmd_monoid(int argc, char **argv);
int lk_cmd_classify(int argc, char **argv);
int lk_cmd_decompose(int argc, char **argv);
int lk_cmd_compile(int argc, char **argv);
int lk_cmd_run(int argc, char **argv);
int lk_cmd_verify(int argc, char **argv);
int lk_cmd_spectrum(int argc, char **argv);
int lk_cmd_orbit(int argc, char **argv);
int lk_cmd_prove(int argc, char **argv);
int lk_cmd_sample(int argc, char **argv);
int lk_cmd_gen(int argc, char **argv);
int lk_cmd_train(int argc, char **argv);
