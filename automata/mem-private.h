/* Zeroed arrays for the big random-access tables (hash slots): at 4 MiB and
 * more they are mapped directly and advised to use transparent huge pages,
 * which removes most TLB misses and page faults of the probes. */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <sys/mman.h>

#define LK_HUGE_MIN ((size_t)4 << 20)

static inline void *lk_huge_alloc0(size_t bytes)
{
    if (bytes < LK_HUGE_MIN) return g_malloc0(bytes ? bytes : 1);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) g_error("lrnnkit: out of memory (%zu bytes)", bytes);
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

static inline void lk_huge_free(void *p, size_t bytes)
{
    if (!p) return;
    if (bytes < LK_HUGE_MIN)
        g_free(p);
    else
        munmap(p, bytes);
}
