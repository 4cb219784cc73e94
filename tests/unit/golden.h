/*
 * golden.h: reading the expected values that tests/golden/make_golden.R wrote from R.
 *
 * A golden file is text, one named vector per line: `name<TAB>v1<TAB>v2...`; numbers are written
 * with 17 significant digits, `NA` is R's NA (read as NaN), `Inf`/`-Inf` are infinities; lines
 * starting with '#' are comments (the R call that produced the values). Strings are read as is.
 */
#ifndef SURVKIT_TEST_GOLDEN_H
#define SURVKIT_TEST_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct golden golden;

/* Load `name` from the committed golden directory (fails the test when unreadable). */
golden *golden_load(const char *name);
void golden_free(golden *g);

/* Does the file hold a vector called `key`? */
bool golden_has(const golden *g, const char *key);
/* Length of vector `key` (fails the test when absent). */
size_t golden_length(const golden *g, const char *key);
/* The values of `key` as numbers (fails the test when absent or not numeric). Owned by g. */
const double *golden_numbers(const golden *g, const char *key);
/* The values of `key`, or NULL when the file has no such vector or it is empty (an optional input
 * such as weights or an offset). Owned by g. */
const double *golden_optional(const golden *g, const char *key);
/* The values of `key` as int32 codes (strata, clusters, groups) in a new array the caller frees, or
 * NULL when absent or empty. */
int32_t *golden_int32(const golden *g, const char *key);
/* One number (fails the test unless `key` has exactly one value). */
double golden_number(const golden *g, const char *key);
/* Element k of `key` as text. Owned by g. */
const char *golden_string(const golden *g, const char *key, size_t k);

/* Is `actual` within `rel` relative (or `abs_tol` absolute) of `expected`? NaN matches NaN. */
bool golden_close(double actual, double expected, double rel, double abs_tol);
/* Fail the test, naming `what` and the first index that differs, unless every element is close. */
void assert_numbers_close(const double *actual, const double *expected, size_t n, double rel,
                          double abs_tol, const char *what);
void assert_number_close(double actual, double expected, double rel, double abs_tol,
                         const char *what);

/* The whole of a file, NUL-terminated (binary content allowed); *len its size. Fails the test when
 * unreadable. Free with free(). */
unsigned char *test_read_file(const char *path, size_t *len);

/* Absolute paths of the committed golden and dataset folders (set by CMake). */
const char *golden_dir(void);
const char *datasets_dir(void);

#endif
