/* test_vlog.c: sk_log_array against the C library's log, value by value, within one unit in the
 * last place; log(1) exactly 0; the values outside the vectorised range (0, negative, subnormal,
 * infinite, NaN) exactly as log gives them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vlog.h"

/* Distance in units in the last place between two finite doubles of the same sign. */
static uint64_t ulps_apart(double a, double b)
{
    int64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0) ia = INT64_MIN - ia; /* order negative values by magnitude too */
    if (ib < 0) ib = INT64_MIN - ib;
    return ia > ib ? (uint64_t)(ia - ib) : (uint64_t)(ib - ia);
}

static void test_within_one_ulp_of_log(void **state)
{
    (void)state;
    enum { N = 1000003 }; /* not a multiple of four: the tail too */
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    srand(5);
    for (size_t i = 0; i < N; i++) {
        double u = (double)rand() / RAND_MAX;
        /* survreg's probabilities (0, 1], values near 1 (log near 0, the hardest digits), and
         * the whole normal range */
        x[i] = i % 3 == 0 ? u : i % 3 == 1 ? 1 + (u - 0.5) * 1e-3 : exp(-700 + 1400 * u);
    }
    sk_log_array(x, y, N);
    uint64_t worst = 0;
    for (size_t i = 0; i < N; i++) {
        uint64_t d = ulps_apart(y[i], log(x[i]));
        if (d > worst) worst = d;
    }
    print_message("largest distance from log: %llu ulp\n", (unsigned long long)worst);
    assert_true(worst <= 1);
    sk_log_array(x, x, N); /* in place */
    for (size_t i = 0; i < N; i++) assert_true(x[i] == y[i]);
    free(x), free(y);
}

static void test_special_values_and_edges(void **state)
{
    (void)state;
    const double x[] = {1.0, 2.0, 0.5, 1.4142135623730951, 1.4142135623730950, 0.7071067811865476,
                        0.0, -0.0, -1.0, INFINITY, -INFINITY, NAN, 1e-310, 2.2250738585072014e-308,
                        1.7976931348623157e308, 1.0 - 1.1102230246251565e-16, 1.0 + 2.220446049250313e-16,
                        1e-300, 1e300, 3.0};
    enum { N = sizeof x / sizeof x[0] };
    double y[N];
    sk_log_array(x, y, N);
    for (size_t i = 0; i < N; i++) {
        double want = log(x[i]);
        if (isnan(want)) {
            assert_true(isnan(y[i]));
        } else if (isinf(want) || x[i] < 2.2250738585072014e-308) {
            assert_true(y[i] == want); /* outside the fast range: log itself */
        } else {
            assert_true(ulps_apart(y[i], want) <= 1);
        }
    }
    assert_true(y[0] == 0.0); /* log(1) is exactly 0, as R's log gives it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_one_ulp_of_log),
        cmocka_unit_test(test_special_values_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
