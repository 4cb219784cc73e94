/* test_sort.c: the counting and radix sorts give stable ascending/descending orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>

#include <cmocka.h>

#include "core/internal.h"
#include "core/sort.h"

static void assert_stable_order(const double *keys, size_t n, bool descending, const size_t *order)
{
    char *seen = calloc(n, 1);
    for (size_t i = 0; i < n; i++) {
        assert_true(order[i] < n);
        assert_false(seen[order[i]]);
        seen[order[i]] = 1;
        if (i == 0) continue;
        double a = keys[order[i - 1]], b = keys[order[i]];
        if (descending) assert_true(a >= b);
        else assert_true(a <= b);
        if (a == b) assert_true(order[i - 1] < order[i]); /* stable */
    }
    free(seen);
}

static void test_integer_keys_use_counting_order(void **state)
{
    (void)state;
    const double keys[] = {5, 3, 5, 1, 3, 0, 9, 5};
    size_t order[8];
    assert_true(sk_sort_order(keys, 8, false, order));
    const size_t expected[] = {5, 3, 1, 4, 0, 2, 7, 6};
    for (int i = 0; i < 8; i++) assert_int_equal(order[i], expected[i]);
    assert_true(sk_sort_order(keys, 8, true, order));
    const size_t expected_desc[] = {6, 0, 2, 7, 1, 4, 3, 5};
    for (int i = 0; i < 8; i++) assert_int_equal(order[i], expected_desc[i]);
}

static void test_real_keys_radix(void **state)
{
    (void)state;
    enum { N = 20000 };
    double *keys = malloc(N * sizeof *keys);
    size_t *order = malloc(N * sizeof *order);
    srand(7);
    for (size_t i = 0; i < N; i++) {
        double u = (double)rand() / RAND_MAX;
        /* negative, tiny, huge, duplicated and subnormal values */
        keys[i] = (i % 7 == 0) ? -u * 1e300 : (i % 11 == 0) ? 4.9e-324 * (i % 3) : (i % 5 == 0) ? 0.25 : u;
    }
    assert_true(sk_sort_order(keys, N, false, order));
    assert_stable_order(keys, N, false, order);
    assert_true(sk_sort_order(keys, N, true, order));
    assert_stable_order(keys, N, true, order);
    free(keys);
    free(order);
}

static void test_wide_integer_range_falls_back_to_radix(void **state)
{
    (void)state;
    const double keys[] = {1e15, -3, 7, 1e15, 0, -1e12};
    size_t order[6];
    assert_true(sk_sort_order(keys, 6, false, order));
    assert_stable_order(keys, 6, false, order);
    assert_int_equal(order[0], 5);
    assert_int_equal(order[5], 3);
}

static void test_sort_by_code_is_stable(void **state)
{
    (void)state;
    const int32_t codes[] = {2, 0, 1, 0, 2, 1};
    const size_t in_order[] = {5, 4, 3, 2, 1, 0};
    size_t out[6];
    assert_true(sk_sort_by_code(codes, 3, in_order, 6, out));
    const size_t expected[] = {3, 1, 5, 2, 4, 0};
    for (int i = 0; i < 6; i++) assert_int_equal(out[i], expected[i]);
}

/* sk_is_integer agrees with x == floor(x) on the edge cases the sorts and the grids meet. */
static void test_is_integer_matches_floor(void **state)
{
    (void)state;
    const double values[] = {0.0, -0.0, 1.0, -1.0, 0.5, -1.5, 1825.0, 1e-300, -4.9e-324,
                             4503599627370495.5, -4503599627370495.5, 4503599627370496.0,
                             9007199254740993.0, 1e300, -1e300, INFINITY, -INFINITY, NAN};
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++)
        assert_int_equal(sk_is_integer(values[k]), values[k] == floor(values[k]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_keys_use_counting_order),
        cmocka_unit_test(test_is_integer_matches_floor),
        cmocka_unit_test(test_real_keys_radix),
        cmocka_unit_test(test_wide_integer_range_falls_back_to_radix),
        cmocka_unit_test(test_sort_by_code_is_stable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
