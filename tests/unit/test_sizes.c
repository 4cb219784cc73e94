/*
 * test_sizes.c: more than 2^31 rows. Nothing in survkit counts rows, bytes or lines in an int: sizes
 * are size_t, lines uint64_t, and every allocation size is a checked product. A file that large is
 * not needed to test that; the arithmetic is, at the sizes where 32-bit counters would wrap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/internal.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void test_mul_size(void **state)
{
    (void)state;
    size_t out = 0;
    const size_t rows = (size_t)INT32_MAX + 10; /* past 2^31 */
    assert_true(sk_mul_size(rows, sizeof(double), &out));
    assert_true(out == rows * 8); /* 17 GB: fine in size_t, not in int or uint32 */
    assert_true(out > UINT32_MAX);
    assert_true(sk_mul_size(rows, 0, &out) && out == 0);
    assert_true(sk_mul_size(0, SIZE_MAX, &out) && out == 0);
    assert_true(sk_mul_size(SIZE_MAX, 1, &out) && out == SIZE_MAX);
    assert_false(sk_mul_size(SIZE_MAX / 2 + 1, 2, &out));
    assert_false(sk_mul_size((size_t)1 << 32, (size_t)1 << 32, &out));
    assert_false(sk_mul_size(SIZE_MAX / 8 + 1, sizeof(double), &out));
    /* an n x p design matrix whose cell count overflows */
    assert_false(sk_mul_size((size_t)1 << 40, (size_t)1 << 30, &out));
}

static void test_allocations_refuse_overflow(void **state)
{
    (void)state;
    assert_null(sk_malloc_array(SIZE_MAX / 8 + 1, sizeof(double)));
    assert_null(sk_calloc_array(SIZE_MAX / 4 + 1, sizeof(int32_t)));
    assert_null(sk_malloc_array(SIZE_MAX, SIZE_MAX));
    double *block = sk_malloc_array(4, sizeof *block);
    assert_non_null(block);
    block[3] = 42;
    /* a failed realloc leaves the old block alone */
    assert_null(sk_realloc_array(block, SIZE_MAX / 8 + 1, sizeof *block));
    assert_true(block[3] == 42);
    free(block);
    /* count 0 still gives a block (callers need not special-case empty arrays) */
    void *empty = sk_malloc_array(0, sizeof(double));
    assert_non_null(empty);
    free(empty);
    empty = sk_calloc_array(0, 0);
    assert_non_null(empty);
    free(empty);
}

/* A table of more than 2^31 rows keeps its count; adding a column whose byte size overflows is an
 * out-of-memory error, not a wrapped size and a short buffer. */
static void test_table_row_counts(void **state)
{
    (void)state;
    survkit_table *t = NULL;
    survkit_error err;
    const size_t rows = (size_t)UINT32_MAX + 3;
    assert_int_equal(survkit_table_create(rows, &t, &err), SURVKIT_OK);
    assert_true(survkit_table_n_rows(t) == rows);
    survkit_table_free(t);

    /* SIZE_MAX / 2 rows: 8- and 4-byte cells both overflow (no huge malloc is ever attempted) */
    assert_int_equal(survkit_table_create(SIZE_MAX / 2, &t, &err), SURVKIT_OK);
    static const double few[4] = {1, 2, 3, 4};
    static const char *const words[4] = {"a", "b", "a", "b"};
    survkit_error_clear(&err);
    assert_int_equal(survkit_table_add_numeric(t, "x", few, &err), SURVKIT_ERR_NOMEM);
    assert_int_equal(err.status, SURVKIT_ERR_NOMEM);
    assert_int_equal(survkit_table_add_string(t, "g", words, &err), SURVKIT_ERR_NOMEM);
    assert_int_equal(survkit_table_n_columns(t), 0);
    survkit_table_free(t);
}

/* Error positions are 64-bit: line 5,000,000,000 of a file survives the trip to the caller. */
static void test_error_positions_are_64_bit(void **state)
{
    (void)state;
    survkit_error err;
    survkit_error_clear(&err);
    const uint64_t line = UINT64_C(5000000000), column = UINT64_C(4294967301);
    assert_int_equal(sk_error_set(&err, SURVKIT_ERR_PARSE, "big.csv", line, column, "row %llu",
                                  (unsigned long long)line),
                     SURVKIT_ERR_PARSE);
    assert_true(err.line == line && err.column == column);
    assert_string_equal(err.message, "row 5000000000");
    /* a message longer than the record is cut, still NUL-terminated */
    char long_text[2000];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    sk_error_set(&err, SURVKIT_ERR_PARSE, long_text, 1, 1, "%s", long_text);
    assert_int_equal(strlen(err.message), sizeof err.message - 1);
    assert_int_equal(strlen(err.source), sizeof err.source - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mul_size),
        cmocka_unit_test(test_allocations_refuse_overflow),
        cmocka_unit_test(test_table_row_counts),
        cmocka_unit_test(test_error_positions_are_64_bit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
