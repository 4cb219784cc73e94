/* test_sort.c: the counting, radix and bucket sorts give stable ascending/descending orders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>

#include <cmocka.h>

#include "core/bucket_sort.h"
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

/*
 * sk_sort_carry against sk_sort_order (a stable sort, so the two orders are the same permutation
 * where no -0 meets a +0), with the payload following its row.
 */
static void assert_carry_matches_radix(const double *keys, size_t n)
{
    uint64_t *payload = malloc(n * sizeof *payload);
    sk_sort_item *out = malloc(n * sizeof *out);
    size_t *order = malloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++) payload[i] = (uint64_t)i * 2654435761u ^ 0x5bd1e995u;
    assert_true(sk_sort_carry(keys, payload, n, out));
    assert_true(sk_sort_order(keys, n, false, order));
    for (size_t q = 0; q < n; q++) {
        assert_int_equal(out[q].row, order[q]);
        assert_true(out[q].key == keys[order[q]]);
        assert_true(out[q].payload == payload[order[q]]);
    }
    free(payload), free(out), free(order);
}

/* Spread-out keys (the insertion path), on one thread (n < 20000) and on two. */
static void test_carry_spread_keys(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 2, 3, 100, 19999, 20000, 100003};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        double *keys = malloc(n * sizeof *keys);
        srand(11);
        for (size_t i = 0; i < n; i++) keys[i] = 4.0 * rand() / RAND_MAX - 2.0;
        assert_carry_matches_radix(keys, n);
        free(keys);
    }
}

/* Keys crowded into a few buckets (ties, few distinct values, one far outlier, tiny range), where
 * buckets over 32 keys go through sk_sort_order; and keys the buckets cannot scale (infinite). */
static void test_carry_crowded_and_unscalable_keys(void **state)
{
    (void)state;
    enum { N = 50000 };
    double *keys = malloc(N * sizeof *keys);
    srand(5);
    for (size_t i = 0; i < N; i++) keys[i] = (double)(rand() % 3) * 0.53; /* three values */
    assert_carry_matches_radix(keys, N);
    for (size_t i = 0; i < N; i++) keys[i] = (double)rand() / RAND_MAX;
    keys[N / 2] = 1e12; /* everything else in the first bucket or two */
    assert_carry_matches_radix(keys, N);
    for (size_t i = 0; i < N; i++) keys[i] = 1.0 + (double)(rand() % 1000) * 2.220446049250313e-16;
    assert_carry_matches_radix(keys, N); /* a range of a thousand ulps */
    for (size_t i = 0; i < N; i++) keys[i] = 7.25;
    assert_carry_matches_radix(keys, N); /* all equal */
    for (size_t i = 0; i < N; i++) keys[i] = (i % 9 == 0) ? -INFINITY : (i % 13 == 0) ? INFINITY : (double)rand() / RAND_MAX;
    assert_carry_matches_radix(keys, N);
    for (size_t i = 0; i < N; i++) keys[i] = (i % 2 ? 1 : -1) * 4.9e-324 * (double)(rand() % 4);
    for (size_t i = 0; i < N; i++) keys[i] = keys[i] == 0 ? 0.0 : keys[i]; /* no -0 here */
    assert_carry_matches_radix(keys, N); /* subnormals: the scale overflows */
    free(keys);
}

/* -0 and +0 are one key to sk_sort_carry: together, in row order. */
static void test_carry_signed_zeros_tie(void **state)
{
    (void)state;
    const double keys[] = {0.0, -1.0, -0.0, 2.0, 0.0, -0.0};
    const uint64_t payload[] = {10, 11, 12, 13, 14, 15};
    sk_sort_item out[6];
    assert_true(sk_sort_carry(keys, payload, 6, out));
    const size_t expected[] = {1, 0, 2, 4, 5, 3};
    for (int q = 0; q < 6; q++) {
        assert_int_equal(out[q].row, expected[q]);
        assert_int_equal(out[q].payload, payload[expected[q]]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integer_keys_use_counting_order),
        cmocka_unit_test(test_is_integer_matches_floor),
        cmocka_unit_test(test_real_keys_radix),
        cmocka_unit_test(test_wide_integer_range_falls_back_to_radix),
        cmocka_unit_test(test_sort_by_code_is_stable),
        cmocka_unit_test(test_carry_spread_keys),
        cmocka_unit_test(test_carry_crowded_and_unscalable_keys),
        cmocka_unit_test(test_carry_signed_zeros_tie),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
