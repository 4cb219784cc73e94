/* test_vexp.c: sk_exp_array against the C library's exp, value by value, within one unit in the
 * last place; the special values and the edges of the vectorised range exactly as exp gives them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vexp.h"

/* Distance in units in the last place between two finite positive doubles. */
static uint64_t ulps_apart(double a, double b)
{
    uint64_t ia, ib;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    return ia > ib ? ia - ib : ib - ia;
}

static void test_within_one_ulp_of_exp(void **state)
{
    (void)state;
    enum { N = 1000003 }; /* not a multiple of four: the tail too */
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    srand(3);
    for (size_t i = 0; i < N; i++) {
        double u = (double)rand() / RAND_MAX;
        /* most values where risks live (|eta| < 40), some over the whole fast range */
        x[i] = i % 10 == 0 ? -708.0 + 1417.0 * u : -40.0 + 80.0 * u;
    }
    sk_exp_array(x, y, N);
    uint64_t worst = 0;
    for (size_t i = 0; i < N; i++) {
        uint64_t d = ulps_apart(y[i], exp(x[i]));
        if (d > worst) worst = d;
    }
    assert_true(worst <= 1);
    sk_exp_array(x, x, N); /* in place */
    for (size_t i = 0; i < N; i++) assert_true(x[i] == y[i]);
    free(x), free(y);
}

static void test_special_values_and_edges(void **state)
{
    (void)state;
    const double x[] = {0.0,   -0.0,   1.0,    -1.0,   709.0,  709.5,   710.0,   -708.0,
                        -708.5, -745.0, -746.0, -1e300, 1e300,  INFINITY, -INFINITY, NAN,
                        1e-300, -1e-300, 0.5 * 0.6931471805599453, -0.5 * 0.6931471805599453};
    enum { N = sizeof x / sizeof x[0] };
    double y[N];
    sk_exp_array(x, y, N);
    for (size_t i = 0; i < N; i++) {
        double want = exp(x[i]);
        if (isnan(want)) {
            assert_true(isnan(y[i]));
        } else if (want == 0 || isinf(want) || x[i] < -708 || x[i] > 709) {
            assert_true(y[i] == want); /* outside the fast range: exp itself */
        } else {
            assert_true(ulps_apart(y[i], want) <= 1);
        }
    }
    assert_true(y[0] == 1.0 && y[1] == 1.0); /* exp(0) is exactly 1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_one_ulp_of_exp),
        cmocka_unit_test(test_special_values_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
