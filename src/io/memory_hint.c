/*
 * memory_hint.c: ask Linux to back large column arrays with transparent huge pages. Filling a
 * fresh array page by page costs one page fault per 4 KiB, which on virtual machines is a large
 * share of the reading time; with 2 MiB pages there are 512 times fewer. Elsewhere, a no-op.
 */
#define _DEFAULT_SOURCE 1 /* MADV_HUGEPAGE is not POSIX */

#include "io/csv_internal.h"

#include <stdint.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

void sk_memory_hint_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)1 << 21;
    if (bytes < 2 * huge) return;
    uintptr_t begin = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (end > begin) (void)madvise((void *)begin, end - begin, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}
