/* test_verfc.c: sk_erfc_array against the C library's erfc, value by value, within 1e-15
 * relative over the vectorised range [0, 26) and beyond it; the special values exactly as erfc
 * gives them. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/verfc.h"

static void test_within_1e15_of_erfc(void **state)
{
    (void)state;
    enum { N = 1000003 }; /* not a multiple of the chunk: the tail too */
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    srand(5);
    for (size_t i = 0; i < N; i++) {
        double u = (double)rand() / RAND_MAX;
        /* most values where survreg's |z| / sqrt 2 lives, some over the whole range and beyond */
        x[i] = i % 10 == 0 ? 28.0 * u : (i % 10 == 1 ? -3.0 * u : 5.0 * u);
    }
    for (size_t k = 0; k <= 10; k++) x[k] = (double)k * 2.6; /* the pieces' ends */
    sk_erfc_array(x, y, N);
    double worst = 0;
    for (size_t i = 0; i < N; i++) {
        const double want = erfc(x[i]);
        const double rel = fabs(y[i] - want) / want;
        if (rel > worst) worst = rel;
    }
    print_message("largest relative difference from erfc: %.3g\n", worst);
    assert_true(worst <= 1e-15);
    sk_erfc_array(x, x, N); /* in place */
    for (size_t i = 0; i < N; i++) assert_true(x[i] == y[i]);
    free(x), free(y);
}

static void test_special_values_and_edges(void **state)
{
    (void)state;
    const double x[] = {0.0, -0.0, 1e-300, 0.5, 1, 1.75, 2.75, 4, 6, 9, 14, 20, 25.999, 26,
                        26.5, 27.3, 30, 1e300, INFINITY, -1, -30, -INFINITY, NAN};
    enum { N = sizeof x / sizeof x[0] };
    double y[N];
    sk_erfc_array(x, y, N);
    for (size_t i = 0; i < N; i++) {
        const double want = erfc(x[i]);
        if (isnan(want)) assert_true(isnan(y[i]));
        else if (x[i] >= 26 || x[i] < 0 || want == 0 || x[i] == 0) assert_true(y[i] == want);
        else assert_true(fabs(y[i] - want) <= 1e-15 * want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_within_1e15_of_erfc),
        cmocka_unit_test(test_special_values_and_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
