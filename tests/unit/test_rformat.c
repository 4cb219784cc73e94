/*
 * test_rformat.c: numbers laid out as R prints them. Every expected string is what R 4.2.2 printed:
 *   format(v, digits = 3), format(v, digits = 7), format.pval(p, digits = d),
 *   format(round(x, 2))
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "rformat.h"

static void check_column(const double *x, size_t n, int digits, const char *const *expected)
{
    char storage[8][64];
    char *out[8];
    for (size_t i = 0; i < n; i++) out[i] = storage[i];
    rformat_column(x, n, digits, out, sizeof storage[0]);
    for (size_t i = 0; i < n; i++) assert_string_equal(out[i], expected[i]);
}

static void test_format_vectors_like_r(void **state)
{
    (void)state;
    const double a[] = {1.5, 2.25, 3};
    check_column(a, 3, 3, (const char *[]){"1.50", "2.25", "3.00"});
    const double b[] = {0.00012345, 123.45};
    check_column(b, 2, 3, (const char *[]){"1.23e-04", "1.23e+02"});
    check_column(b, 2, 7, (const char *[]){"1.2345e-04", "1.2345e+02"});
    const double c[] = {1e-10, 1};
    check_column(c, 2, 7, (const char *[]){"1e-10", "1e+00"});
    const double d[] = {NAN, 0.5, -2.123456789};
    check_column(d, 3, 3, (const char *[]){"   NA", " 0.50", "-2.12"});
    check_column(d, 3, 7, (const char *[]){"       NA", " 0.500000", "-2.123457"});
    const double e[] = {123456789012.0, 1};
    check_column(e, 2, 3, (const char *[]){"1.23e+11", "1.00e+00"});
    check_column(e, 2, 7, (const char *[]){"123456789012", "           1"});
    const double f[] = {1e-300, 2};
    check_column(f, 2, 3, (const char *[]){"1e-300", " 2e+00"});
    const double g[] = {-0.0001234};
    check_column(g, 1, 3, (const char *[]){"-0.000123"});
    const double h[] = {270, 212, 310};
    check_column(h, 3, 3, (const char *[]){"270", "212", "310"});
}

static void test_format_single_numbers(void **state)
{
    (void)state;
    char buf[64];
    rformat_number(0.6027456, 3, buf, sizeof buf);
    assert_string_equal(buf, "0.603");
    rformat_number(0.1 + 0.2, 7, buf, sizeof buf);
    assert_string_equal(buf, "0.3");
    rformat_number(0, 7, buf, sizeof buf);
    assert_string_equal(buf, "0");
}

static void test_format_pvalues(void **state)
{
    (void)state;
    const struct { double p; int digits; const char *r; } cases[] = {
        {0.05, 3, "0.05"},      {0.0012, 3, "0.0012"},  {0.0012, 1, "0.001"},
        {1.1e-6, 4, "1.1e-06"}, {1.1e-6, 1, "1e-06"},   {1e-20, 3, "<2e-16"},
        {1e-20, 4, "< 2.2e-16"}, {1e-20, 1, "<2e-16"},  {0.2345678, 3, "0.235"},
        {0.2345678, 4, "0.2346"}, {9e-4, 3, "9e-04"},
    };
    char buf[64];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        rformat_pvalue(cases[k].p, cases[k].digits, buf, sizeof buf);
        assert_string_equal(buf, cases[k].r);
    }
}

static void test_format_rounded(void **state)
{
    (void)state;
    char buf[64];
    rformat_rounded(14.1234, 2, buf, sizeof buf);
    assert_string_equal(buf, "14.12");
    rformat_rounded(1234567.891, 2, buf, sizeof buf);
    assert_string_equal(buf, "1234568");
    rformat_rounded(30.5, 2, buf, sizeof buf);
    assert_string_equal(buf, "30.5");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_vectors_like_r),
        cmocka_unit_test(test_format_single_numbers),
        cmocka_unit_test(test_format_pvalues),
        cmocka_unit_test(test_format_rounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
