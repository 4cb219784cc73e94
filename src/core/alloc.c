/* alloc.c: allocation with size-overflow checks (sizes are size_t everywhere: > 2^31 rows work). */
#include "core/internal.h"

#include <stdlib.h>
#include <string.h>

void *sk_malloc_array(size_t count, size_t size)
{
    size_t bytes;
    if (!sk_mul_size(count, size, &bytes)) return NULL;
    return malloc(bytes ? bytes : 1);
}

void *sk_calloc_array(size_t count, size_t size)
{
    size_t bytes;
    if (!sk_mul_size(count, size, &bytes)) return NULL;
    return calloc(bytes ? count : 1, bytes ? size : 1);
}

void *sk_realloc_array(void *ptr, size_t count, size_t size)
{
    size_t bytes;
    if (!sk_mul_size(count, size, &bytes)) return NULL;
    return realloc(ptr, bytes ? bytes : 1);
}

char *sk_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    if (copy != NULL) memcpy(copy, s, len);
    return copy;
}
