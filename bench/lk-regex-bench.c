/* lrnnkit's side of bench/regex-bench.sh, measured like the baselines:
 * regex text -> minimal DFA (parse + lk_regex_compile), timed around the
 * construction only. Usage: lk-regex-bench REGEX-FILE [REPEAT]; prints the
 * state count, the seconds of the first construction and, with REPEAT > 1,
 * the best of REPEAT constructions in the same process ("warm"). */
#include "automata/regex.h"
#include "tools/heap.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: lk-regex-bench REGEX-FILE [REPEAT]\n");
        return 2;
    }
    const int repeat = argc == 3 ? atoi(argv[2]) : 1;
    lk_heap_settings(); /* lrnnkit's, for every tool measured */
    char *text = NULL;
    if (!g_file_get_contents(argv[1], &text, NULL, NULL)) return 2;
    g_strchomp(text);
    LkLimits lim = {.max_states = 100000000, .max_positions = 100000000};
    double first = 0, warm = 1e300;
    uint32_t states = 0;
    for (int r = 0; r < repeat || r == 0; r++) {
        GError *err = NULL;
        const gint64 t0 = g_get_monotonic_time();
        LkRegex *re = lk_regex_parse(text, NULL, &err);
        LkDfa *d = re ? lk_regex_compile(re, &lim, &err) : NULL;
        const double s = (double)(g_get_monotonic_time() - t0) / 1e6;
        if (!d) {
            fprintf(stderr, "lk-regex-bench: %s\n", err->message);
            return 4;
        }
        states = d->n;
        lk_dfa_free(d);
        lk_regex_free(re);
        if (r == 0) first = s;
        if (s < warm) warm = s;
    }
    printf("states: %u\nseconds: %.6f\n", states, first);
    if (repeat > 1) printf("warm: %.6f\n", warm);
    g_free(text);
    return 0;
}
