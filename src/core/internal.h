/*
 * internal.h: helpers shared by every module of libsurvkit; not installed.
 *
 * Error paths stay one line long: RETURN_ERROR_IF(cond, err, status, fmt, ...) fills the caller's
 * survkit_error and returns the status. Allocation sizes are computed with overflow checks.
 */
#ifndef SURVKIT_INTERNAL_H
#define SURVKIT_INTERNAL_H

#include "survkit/survkit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#  define SK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define SK_PRINTF(a, b)
#endif

/* Fill `err` (if not NULL) and return `status`. `line`/`column` 0 when not applicable. */
survkit_status sk_error_set(survkit_error *err, survkit_status status, const char *source,
                            uint64_t line, uint64_t column, const char *fmt, ...) SK_PRINTF(6, 7);

#define RETURN_ERROR_IF(cond, err, status, ...)                                  \
    do {                                                                         \
        if (cond) return sk_error_set((err), (status), NULL, 0, 0, __VA_ARGS__); \
    } while (0)

#define RETURN_IF_ERROR(expr)                    \
    do {                                         \
        survkit_status sk_status_ = (expr);      \
        if (sk_status_ != SURVKIT_OK) return sk_status_; \
    } while (0)

/* a * b, or false on size_t overflow. */
/*
 * x == floor(x), without a call to floor (which baseline x86-64 has no instruction for): below
 * 2^52 in magnitude through a conversion to int64_t, above it every finite double is an integer.
 * True for an infinity (as x == floor(x)), false for NaN.
 */
static inline bool sk_is_integer(double x)
{
    return (x < 0x1p52 && x > -0x1p52) ? (double)(int64_t)x == x : x == x;
}

static inline bool sk_mul_size(size_t a, size_t b, size_t *out)
{
    if (b != 0 && a > SIZE_MAX / b) return false;
    *out = a * b;
    return true;
}

/* malloc(count * size) with an overflow check; NULL on failure (also for count 0 it returns a
 * valid pointer to at least one byte so callers need not special-case empty arrays). */
void *sk_malloc_array(size_t count, size_t size);
void *sk_calloc_array(size_t count, size_t size);
/* realloc to count * size with an overflow check; on failure the old block is untouched. */
void *sk_realloc_array(void *ptr, size_t count, size_t size);
/* strdup that returns NULL on failure. */
char *sk_strdup(const char *s);

#endif /* SURVKIT_INTERNAL_H */
