/* The heap settings of the lrnnkit command, in one place: the bench
 * harnesses (bench/lk-regex-bench.c, bench/libfa-bench.c) apply the same
 * ones to every tool they measure. Header-only: libfa-bench links nothing
 * of lrnnkit. */
#pragma once

#include <malloc.h>

/* Big temporary arrays come and go in the constructions; keep them in the
 * heap (up to glibc's 32 MiB cap) instead of fresh zero pages each time, and
 * keep freed memory mapped. */
static inline void lk_heap_settings(void)
{
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}
