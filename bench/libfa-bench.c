/* Baseline for bench/regex-bench.sh: libfa (augeas) regex -> minimal DFA.
 * Usage: libfa-bench hopcroft|brzozowski REGEX-FILE [REPEAT]; prints the
 * state count, the seconds of the first construction and, with REPEAT > 1,
 * the best of REPEAT constructions in the same process ("warm").
 * libfa's automata are partial: it has one state fewer when a sink is needed. */
#include "tools/heap.h"

#include <fa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: libfa-bench hopcroft|brzozowski REGEX-FILE [REPEAT]\n");
        return 2;
    }
    const int repeat = argc == 4 ? atoi(argv[3]) : 1;
    lk_heap_settings(); /* lrnnkit's, for every tool measured */
    fa_minimization_algorithm =
        strcmp(argv[1], "brzozowski") == 0 ? FA_MIN_BRZOZOWSKI : FA_MIN_HOPCROFT;
    FILE *f = fopen(argv[2], "rb");
    if (!f) return 2;
    static char buf[1 << 22];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    while (len && (buf[len - 1] == '\n')) len--;
    buf[len] = 0;
    struct fa *fa = NULL;
    double first = 0, warm = 1e300;
    for (int r = 0; r < repeat || r == 0; r++) {
        struct timespec t0, t1;
        if (fa) fa_free(fa);
        fa = NULL;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (fa_compile(buf, len, &fa) != 0 || fa_minimize(fa) != 0) return 4;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        const double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        if (r == 0) first = s;
        if (s < warm) warm = s;
    }
    size_t n = 0;
    for (struct state *s = fa_state_initial(fa); s; s = fa_state_next(s)) n++;
    printf("states: %zu\nseconds: %.6f\n", n, first);
    if (repeat > 1) printf("warm: %.6f\n", warm);
    fa_free(fa);
    return 0;
}
