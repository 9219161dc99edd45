/* Baseline for bench/regex-bench.sh: libfa (augeas) regex -> minimal DFA.
 * Usage: libfa-bench hopcroft|brzozowski REGEX-FILE; prints the state count.
 * libfa's automata are partial: it has one state fewer when a sink is needed. */
#include <fa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: libfa-bench hopcroft|brzozowski REGEX-FILE\n");
        return 2;
    }
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
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (fa_compile(buf, len, &fa) != 0 || fa_minimize(fa) != 0) return 4;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    size_t n = 0;
    for (struct state *s = fa_state_initial(fa); s; s = fa_state_next(s)) n++;
    printf("states: %zu\nseconds: %.6f\n", n,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    fa_free(fa);
    return 0;
}
