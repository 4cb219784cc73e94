/* memory.c: prefaulting large arrays that are about to be filled (see memory.h). */
#define _DEFAULT_SOURCE 1 /* MADV_HUGEPAGE is not POSIX */

#include "core/memory.h"
#include "core/internal.h"

#include <stdint.h>
#include <stdlib.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

enum { MIN_PREFAULT_BYTES = 1 << 16 }; /* 16 pages: one call costs less than their faults */

void sk_memory_prefer_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p == NULL) return;
    const uintptr_t huge = (uintptr_t)1 << 21;
    uintptr_t hbegin = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hend = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (hend > hbegin) (void)madvise((void *)hbegin, hend - hbegin, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void sk_memory_will_fill(void *p, size_t bytes)
{
#if defined(__linux__)
    if (p == NULL || bytes < MIN_PREFAULT_BYTES) return;
    sk_memory_prefer_huge(p, bytes);
    const uintptr_t page = 4096;
    uintptr_t begin = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(page - 1);
    /* MADV_POPULATE_WRITE is 23 on every Linux architecture; older headers lack the name. */
    if (end > begin) (void)madvise((void *)begin, end - begin, 23);
#else
    (void)p;
    (void)bytes;
#endif
}

void sk_memory_release(void *p, size_t bytes)
{
#if defined(__linux__)
    if (p == NULL || bytes < MIN_PREFAULT_BYTES) return;
    const uintptr_t page = 4096;
    uintptr_t begin = ((uintptr_t)p + page - 1) & ~(page - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(page - 1);
    if (end > begin) (void)madvise((void *)begin, end - begin, MADV_DONTNEED);
#else
    (void)p;
    (void)bytes;
#endif
}

/*
 * Arrays of a huge page or more start on a huge-page boundary and span whole huge pages, so that
 * all of them, not only the huge pages that happen to lie inside, can be mapped 2 MiB at a time:
 * on the benchmark VM mapping in 4 KiB pages runs at 0.5 GB/s, in huge pages at 2-7 GB/s. What
 * this rounding adds is at most one huge page per array.
 */
static void *malloc_huge(size_t count, size_t size, size_t *bytes)
{
    if (!sk_mul_size(count, size, bytes)) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)1 << 21;
    if (*bytes >= huge && *bytes <= SIZE_MAX - huge) {
        *bytes = (*bytes + huge - 1) & ~(huge - 1);
        void *p = NULL;
        if (posix_memalign(&p, huge, *bytes) != 0) return NULL;
        sk_memory_prefer_huge(p, *bytes);
        return p;
    }
#endif
    return sk_malloc_array(count, size);
}

void *sk_malloc_huge(size_t count, size_t size)
{
    size_t bytes;
    return malloc_huge(count, size, &bytes);
}

void *sk_malloc_filled(size_t count, size_t size)
{
    size_t bytes;
    void *p = malloc_huge(count, size, &bytes);
    if (p != NULL) sk_memory_will_fill(p, bytes);
    return p;
}

double sk_physical_memory(void)
{
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) return (double)pages * (double)page;
#endif
    return 0;
}
