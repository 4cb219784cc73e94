/* test_crossprod.c: sk_crossprod_block against the plain double loop, on sizes that leave partial
 * tiles and a partial group of four rows, with symmetric and other left columns, and adding to
 * what the accumulator holds. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "core/crossprod.h"

static void check_sizes(size_t nb, size_t m, size_t m_sym, size_t q)
{
    double *x = malloc(((m + q) * nb + 1) * sizeof *x), *acc = malloc(m * q * sizeof *acc);
    const double **left = malloc(m * sizeof *left), **right = malloc(q * sizeof *right);
    assert_non_null(x);
    assert_non_null(acc);
    assert_non_null(left);
    assert_non_null(right);
    for (size_t i = 0; i < (m + q) * nb; i++) x[i] = (double)rand() / RAND_MAX - 0.3;
    for (size_t b = 0; b < q; b++) right[b] = x + (m + b) * nb;
    for (size_t a = 0; a < m; a++) left[a] = x + a * nb;
    for (size_t k = 0; k < m * q; k++) acc[k] = 1.5; /* the kernel adds to it */
    sk_crossprod_block(nb, m, left, m_sym, q, right, acc, m);
    for (size_t a = 0; a < m; a++)
        for (size_t b = a < m_sym ? a : 0; b < q; b++) {
            double want = 1.5;
            for (size_t i = 0; i < nb; i++) want += left[a][i] * right[b][i];
            assert_true(fabs(acc[a + b * m] - want) <= 1e-13 * (1 + fabs(want)));
        }
    free(x), free(acc), free((void *)left), free((void *)right);
}

static void test_against_double_loop(void **state)
{
    (void)state;
    srand(11);
    check_sizes(37, 7, 5, 6);   /* partial tiles both ways, 37 = 9 groups of four + 1 */
    check_sizes(512, 23, 21, 21); /* survreg's block: 21 symmetric columns and two vectors */
    check_sizes(3, 2, 0, 5);    /* fewer rows than a group, no symmetric part */
    check_sizes(0, 4, 4, 4);    /* no rows: nothing added */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_double_loop)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
