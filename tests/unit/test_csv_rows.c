/*
 * test_csv_rows.c: csv_rows_write (src/report/csv_rows.c), the two-thread writer of large CSV
 * outputs, gives the bytes of a row-by-row writer: for row counts around its chunk size (8192
 * rows: none, one row, a chunk less one, a chunk, a chunk and one, two chunks, two and one, three
 * and five), with chunks of 8192 rows and of 41 (a wide row bound), rows of different lengths,
 * and numbers through csv_number_text, which must equal csv_number's text (NA, Inf, -Inf, %.17g).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"
#include "csv_rows.h"

/* Row i: its number, then i % 4 numbers (a row's length varies), some of them NaN or infinite. */
static double value(size_t i, size_t j)
{
    if ((i + j) % 97 == 0) return NAN;
    if ((i + j) % 89 == 0) return (i % 2 ? -1 : 1) * INFINITY;
    return ((double)i - 4000.5) * 1.0000001 / (double)(j + 3);
}

static size_t row_text(const void *ctx, size_t i, char *buf)
{
    (void)ctx;
    size_t at = (size_t)sprintf(buf, "%zu", i);
    for (size_t j = 0; j < i % 4; j++)
        buf[at++] = ',', at += csv_number_text(buf + at, value(i, j));
    buf[at++] = '\n';
    return at;
}

/* The same rows written cell by cell with csv_number. */
static char *reference(size_t rows, size_t *length)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, length);
    assert_non_null(f);
    for (size_t i = 0; i < rows; i++) {
        fprintf(f, "%zu", i);
        for (size_t j = 0; j < i % 4; j++) fputc(',', f), csv_number(f, value(i, j));
        fputc('\n', f);
    }
    fclose(f);
    return text;
}

static void test_rows_in_order(void **state)
{
    (void)state;
    static const size_t counts[] = {0, 1, 8191, 8192, 8193, 16384, 16385, 3 * 8192 + 5};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        size_t expected_length = 0, length = 0;
        char *expected = reference(counts[c], &expected_length);
        /* the rows' bound as the commands give it, and one so wide that a chunk holds 41 rows */
        const size_t row_bytes[2] = {24 + 3 * (1 + CSV_NUMBER_MAX) + 1, 100000};
        for (int w = 0; w < 2; w++) {
            char *text = NULL;
            FILE *f = open_memstream(&text, &length);
            assert_non_null(f);
            assert_true(csv_rows_write(f, counts[c], row_bytes[w], row_text, NULL));
            fclose(f);
            assert_int_equal(length, expected_length);
            assert_memory_equal(text, expected, length);
            free(text);
        }
        free(expected);
    }
}

static void test_number_text(void **state)
{
    (void)state;
    const double x[] = {NAN, INFINITY, -INFINITY, 0.0, -0.0, 1.0 / 3.0, 1e-300, 123456789.125};
    const char *const want[] = {"NA", "Inf", "-Inf", "0", "-0", "0.33333333333333331",
                                "1e-300", "123456789.125"};
    for (size_t k = 0; k < sizeof x / sizeof x[0]; k++) {
        char buf[CSV_NUMBER_MAX + 1];
        const size_t len = csv_number_text(buf, x[k]);
        buf[len] = '\0';
        assert_string_equal(buf, want[k]);
    }
}

/* A label in quotes as the row writers put it: its text as it is. */
static void test_quoted_text(void **state)
{
    (void)state;
    char buf[32];
    const size_t len = csv_quoted_text(buf, "sex=2");
    buf[len] = '\0';
    assert_string_equal(buf, "\"sex=2\"");
    assert_int_equal(csv_quoted_text(buf, ""), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_in_order),
        cmocka_unit_test(test_number_text),
        cmocka_unit_test(test_quoted_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
