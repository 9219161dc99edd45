/* Shared command-line plumbing: input options, error reporting, output. */
#include "tools/cli.h"

#include <stdio.h>
#include <string.h>

void lk_cli_input_add(GOptionContext *ctx, LkCliInput *in)
{
    GOptionEntry entries[] = {
        {"alphabet", 'a', 0, G_OPTION_ARG_STRING, &in->alphabet,
         "Alphabet: each character is a symbol", "CHARS"},
        {"symbols", 's', 0, G_OPTION_ARG_STRING, &in->symbols,
         "Alphabet: comma-separated symbol names", "LIST"},
        {"load", 'l', 0, G_OPTION_ARG_FILENAME, &in->load, "Read a DFA JSON file instead of a regex",
         "FILE"},
        {"regex-file", 'f', 0, G_OPTION_ARG_FILENAME, &in->regex_file,
         "Read the regex from FILE (trailing newline ignored)", "FILE"},
        {"max-states", 0, 0, G_OPTION_ARG_INT64, &in->max_states,
         "Limit on the states of any DFA built (default 1000000)", "N"},
        {"max-positions", 0, 0, G_OPTION_ARG_INT64, &in->max_positions,
         "Limit on regex positions after expanding {m,n} (default 1000000)", "N"},
        {NULL}};
    g_option_context_add_main_entries(ctx, entries, NULL);
}

void lk_cli_input_clear(LkCliInput *in)
{
    g_free(in->alphabet);
    g_free(in->symbols);
    g_free(in->load);
    g_free(in->regex_file);
}

void lk_cli_limits(const LkCliInput *in, LkLimits *out)
{
    LkLimits l = {.max_states = in->max_states > 0 ? (uint64_t)in->max_states : 0,
                  .max_positions = in->max_positions > 0 ? (uint64_t)in->max_positions : 0};
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
    return NULL;
}

LkDfa *lk_cli_input_dfa(const LkCliInput *in, const char *regex, LkMinimizer how, GError **error)
{
    LkLimits lim;
    lk_cli_limits(in, &lim);
    int given = (in->load != NULL) + (in->regex_file != NULL) + (regex != NULL);
    if (given != 1) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT,
                    given ? "give one of REGEX, --load FILE, --regex-file FILE"
                          : "no input: give a REGEX, --load FILE or --regex-file FILE");
        return NULL;
    }
    if (in->load) {
        g_autoptr(LkDfa) d = lk_dfa_load(in->load, error);
        if (!d) return NULL;
        if (how == LK_MINIMIZE_BRZOZOWSKI) return lk_dfa_minimize_brzozowski(d, &lim, error);
        return lk_dfa_minimize_hopcroft(d);
    }
    g_autofree char *text = NULL;
    if (in->regex_file) {
        GError *ferr = NULL;
        if (!g_file_get_contents(in->regex_file, &text, NULL, &ferr)) {
            g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s", ferr->message);
            g_error_free(ferr);
            return NULL;
        }
        g_strchomp(text);
        regex = text;
    }
    g_autoptr(LkAlphabet) alpha = NULL;
    if (in->alphabet || in->symbols) {
        alpha = lk_cli_alphabet(in, error);
        if (!alpha) return NULL;
    }
    g_autoptr(LkRegex) re = lk_regex_parse(regex, alpha, error);
    if (!re) return NULL;
    return lk_regex_compile_with(re, how, &lim, error);
}

bool lk_cli_parse(GOptionContext *ctx, int *argc, char ***argv)
{
    GError *err = NULL;
    if (g_option_context_parse(ctx, argc, argv, &err)) return true;
    fprintf(stderr, "lrnnkit: error: %s\n", err->message);
    g_error_free(err);
    return false;
}

int lk_cli_fail(GError *err, const char *regex)
{
    int code = LK_EXIT_INTERNAL;
    if (err->domain == LK_ERROR) code = err->code;
    else if (err->domain == G_OPTION_ERROR) code = LK_EXIT_USAGE;
    fprintf(stderr, "lrnnkit: error: %s\n", err->message);
    unsigned col;
    if (regex && sscanf(err->message, "regex column %u:", &col) == 1 &&
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
    GError *ferr = NULL;
    if (!g_file_set_contents(path, text, -1, &ferr)) {
        g_set_error(error, LK_ERROR, LK_ERROR_INPUT, "%s", ferr->message);
        g_error_free(ferr);
        return false;
    }
    return true;
}
