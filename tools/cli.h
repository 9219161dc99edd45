/* lrnnkit command line: shared option groups and helpers. No algorithms
 * here: a subcommand parses options, calls the library, prints. */
#pragma once

#include "automata/regex.h"

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} LkCommand;

/* Exit codes (DESIGN.md). */
enum { LK_EXIT_OK = 0, LK_EXIT_FALSE = 1, LK_EXIT_USAGE = 2, LK_EXIT_LIMIT = 3, LK_EXIT_INTERNAL = 4 };

/* Options every command that reads a language takes. */
typedef struct {
    char *alphabet;
    char *symbols;
    char *load;
    char *regex_file;
    gint64 max_states;
    gint64 max_positions;
} LkCliInput;

/* Adds the input options to ctx (as the main group's entries). */
void lk_cli_input_add(GOptionContext *ctx, LkCliInput *in);
void lk_cli_input_clear(LkCliInput *in);
void lk_cli_limits(const LkCliInput *in, LkLimits *out);
/* The explicit alphabet, or NULL when none was given. */
LkAlphabet *lk_cli_alphabet(const LkCliInput *in, GError **error);
/* The minimal DFA of the input: --load FILE, --regex-file FILE, or regex. */
LkDfa *lk_cli_input_dfa(const LkCliInput *in, const char *regex, LkMinimizer how,
                        GError **error);

/* Parses options; on failure prints the error and returns false. */
bool lk_cli_parse(GOptionContext *ctx, int *argc, char ***argv);
/* Prints "lrnnkit: error: ..." (with a caret under a regex column) and
 * returns the exit code for err. Frees err. */
int lk_cli_fail(GError *err, const char *regex);
int lk_cli_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Writes text to path atomically, or to stdout when path is NULL or "-". */
bool lk_cli_write(const char *path, const char *text, GError **error);

int lk_cmd_dfa(int argc, char **argv);
