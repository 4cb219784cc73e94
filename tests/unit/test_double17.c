/*
 * test_double17.c: double17 (src/report/double17.c) writes exactly snprintf's "%.17g", byte for
 * byte, over millions of doubles: every bit pattern at random (NaN, infinities, subnormals, zeros
 * included), values spread evenly in log scale over 1e-25..1e45 (the integer path's range and both
 * sides of it), the results' shapes (residuals near 1e-6, probabilities, days), exact ties of the
 * 17th digit (to even, as glibc), and the powers of ten with their neighbours (the decade
 * correction). The expected text is always snprintf's own; nothing else is assumed.
 *
 * SURVKIT_DOUBLE17_VALUES=N (environment) sets the count of each random part (default 1 million).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "double17.h"
#include "test_random.h"

static size_t n_values(void) { return test_count_from_env("SURVKIT_DOUBLE17_VALUES", 1000000); }

static size_t mismatches;

static void check(double x)
{
    char want[64], got[DOUBLE17_MAX + 8];
    memset(got, 'X', sizeof got);
    const int len = snprintf(want, sizeof want, "%.17g", x);
    const size_t n = double17(got, x);
    if (n != (size_t)len || strcmp(got, want) != 0) {
        if (mismatches++ < 10) print_error("%a: double17 \"%s\" (%zu), printf \"%s\"\n", x, got, n, want);
    }
}

static void test_bit_patterns(void **state)
{
    (void)state;
    uint64_t seed = 1;
    mismatches = 0;
    for (size_t k = 0; k < n_values(); k++) {
        const uint64_t bits = test_random_word(&seed);
        double x;
        memcpy(&x, &bits, sizeof x);
        check(x);
    }
    const double special[] = {0.0, -0.0, NAN, -NAN, INFINITY, -INFINITY, 0x1p-1074, -0x1p-1074,
                              0x1p-1022, 0x1.fffffffffffffp+1023, -0x1.fffffffffffffp+1023, 1, -1,
                              0.5, 0.1, 0.2, 0.3, 1e16, 1e17, 9007199254740993.0, 1e-4, 1e-5};
    for (size_t k = 0; k < sizeof special / sizeof special[0]; k++) check(special[k]);
    assert_int_equal(mismatches, 0);
}

static void test_log_scale(void **state)
{
    (void)state;
    uint64_t seed = 2;
    mismatches = 0;
    for (size_t k = 0; k < n_values(); k++) {
        const double x = pow(10.0, -25 + 70 * test_random_uniform(&seed));
        check(test_random_word(&seed) & 1 ? x : -x);
    }
    assert_int_equal(mismatches, 0);
}

/* What the reports print: residuals of 1M rows (1e-7..1e-3), probabilities, linear predictors,
 * integer days, and numbers with few digits (0.25, 1.5e-3). */
static void test_result_shapes(void **state)
{
    (void)state;
    uint64_t seed = 3;
    mismatches = 0;
    for (size_t k = 0; k < n_values(); k++) {
        const double u = test_random_uniform(&seed);
        double x;
        switch (k % 5) {
        case 0: x = (u - 0.5) * pow(10.0, -7 + 4 * test_random_uniform(&seed)); break;
        case 1: x = u; break;
        case 2: x = (u - 0.5) * 6; break;
        case 3: x = floor(u * 3650); break;
        default: x = floor(u * 1000) / (double)(1 << (test_random_word(&seed) % 12)); break;
        }
        check(x);
    }
    assert_int_equal(mismatches, 0);
}

/* Exact ties of the 17th significant digit: i + 0.25 and i + 0.75 for 16-digit integers i below
 * 2^53 (one decimal after the point, the dropped 5 exact); and the decades' edges. */
static void test_ties_and_decades(void **state)
{
    (void)state;
    uint64_t seed = 4;
    mismatches = 0;
    for (size_t k = 0; k < 100000; k++) {
        const double i = 1e15 + floor(test_random_uniform(&seed) * 8e15);
        check(i + 0.25), check(i + 0.75), check(-(i + 0.25)), check(i + 0.125), check(i + 0.5);
    }
    for (int e = -40; e <= 45; e++) {
        const double p = pow(10.0, e);
        double below = p, above = p;
        for (int step = 0; step < 4; step++) {
            check(below), check(above), check(-below);
            below = nextafter(below, 0), above = nextafter(above, INFINITY);
        }
        check(p * (1 - 1e-17)), check(p * 9.9999999999999999), check(p * 0.99999999999999994);
    }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bit_patterns),
        cmocka_unit_test(test_log_scale),
        cmocka_unit_test(test_result_shapes),
        cmocka_unit_test(test_ties_and_decades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
