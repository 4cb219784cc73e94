/*
 * memory.h: large arrays that are about to be filled. On Linux a fresh page costs a page fault the
 * first time it is written, and on virtual machines that fault is expensive (about 10 us per
 * 4 KiB page measured on the benchmark VM: 0.2 GB/s, slower than parsing CSV). Asking the kernel
 * to map the whole range in one call (MADV_POPULATE_WRITE, Linux 5.14) is several times faster;
 * huge pages, where the system grants them, cut the number of pages by 512. Both are hints:
 * elsewhere, or when refused, nothing happens and the pages fault in as usual.
 */
#ifndef SURVKIT_MEMORY_H
#define SURVKIT_MEMORY_H

#include <stddef.h>

/* Ask for huge pages over [p, p + bytes) (its whole 2 MB pages) without mapping anything: for a
 * range whose parts are mapped later by several threads (sk_memory_will_fill on each part), where
 * a part's own request covers only the huge pages wholly inside that part. */
void sk_memory_prefer_huge(void *p, size_t bytes);

/* [p, p + bytes) will be written soon: ask for huge pages and map it now. */
void sk_memory_will_fill(void *p, size_t bytes);

/* [p, p + bytes) will not be read again (it stays allocated): its whole pages go back to the
 * system now, and read as zeros if touched again. A hint, as above. */
void sk_memory_release(void *p, size_t bytes);

/* sk_malloc_array(count, size), but from a huge page on: starting on a huge-page boundary,
 * rounded up to whole huge pages and asking for them, so that it can be mapped 2 MiB at a time;
 * nothing is mapped yet (for arrays written in parts, or maybe not at all). Freed with free(). */
void *sk_malloc_huge(size_t count, size_t size);

/* sk_malloc_huge(count, size) followed by sk_memory_will_fill (the whole is mapped now). */
void *sk_malloc_filled(size_t count, size_t size);

/* The machine's physical memory in bytes (0 when unknown): the ceiling for sizes that cannot work,
 * checked before a large structure is built (sk_design_build). */
double sk_physical_memory(void);

#endif /* SURVKIT_MEMORY_H */
