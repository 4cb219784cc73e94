/* test_crossprod.c: sk_crossprod_block against the plain double loop, on sizes that leave partial
 * tiles and a partial group of four rows, with symmetric and other left columns, and adding to
 * what the accumulator holds; sk_crossprod_block_weighted against the same loop with the weights,
 * and equal to the last bit to sk_crossprod_block on the weighted copies it saves writing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/crossprod.h"

static void check_sizes(size_t nb, size_t m, size_t m_sym, size_t q)
{
    /* the columns, then the weights, then the symmetric columns' weighted copies */
    double *x = malloc(((m + q + 1 + m_sym) * nb + 1) * sizeof *x);
    double *acc = malloc(m * q * sizeof *acc), *acc_w = malloc(m * q * sizeof *acc_w);
    double *acc_copy = malloc(m * q * sizeof *acc_copy);
    const double **left = malloc(m * sizeof *left), **right = malloc(q * sizeof *right);
    const double **left_copy = malloc(m * sizeof *left_copy);
    assert_non_null(x);
    assert_non_null(acc);
    assert_non_null(acc_w);
    assert_non_null(acc_copy);
    assert_non_null(left);
    assert_non_null(right);
    assert_non_null(left_copy);
    for (size_t i = 0; i < (m + q + 1) * nb; i++) x[i] = (double)rand() / RAND_MAX - 0.3;
    for (size_t b = 0; b < q; b++) right[b] = x + (m + b) * nb;
    for (size_t a = 0; a < m; a++) left[a] = x + a * nb;
    const double *w = x + (m + q) * nb;
    for (size_t a = 0; a < m; a++) {
        double *copy = x + (m + q + 1 + a) * nb;
        if (a < m_sym)
            for (size_t i = 0; i < nb; i++) copy[i] = w[i] * left[a][i];
        left_copy[a] = a < m_sym ? copy : left[a];
    }
    for (size_t k = 0; k < m * q; k++) acc[k] = acc_w[k] = acc_copy[k] = 1.5; /* added to */
    sk_crossprod_block(nb, m, left, m_sym, q, right, acc, m);
    sk_crossprod_block_weighted(nb, m, left, w, m_sym, q, right, acc_w, m);
    sk_crossprod_block(nb, m, left_copy, m_sym, q, right, acc_copy, m);
    for (size_t a = 0; a < m; a++)
        for (size_t b = a < m_sym ? a : 0; b < q; b++) {
            double want = 1.5, want_w = 1.5;
            for (size_t i = 0; i < nb; i++) {
                want += left[a][i] * right[b][i];
                want_w += (a < m_sym ? w[i] * left[a][i] : left[a][i]) * right[b][i];
            }
            assert_true(fabs(acc[a + b * m] - want) <= 1e-13 * (1 + fabs(want)));
            assert_true(fabs(acc_w[a + b * m] - want_w) <= 1e-13 * (1 + fabs(want_w)));
            assert_true(memcmp(&acc_w[a + b * m], &acc_copy[a + b * m], sizeof(double)) == 0);
        }
    /* no weights: sk_crossprod_block's sums, to the last bit */
    for (size_t k = 0; k < m * q; k++) acc_w[k] = acc[k];
    sk_crossprod_block_weighted(nb, m, left, NULL, m_sym, q, right, acc_w, m);
    sk_crossprod_block(nb, m, left, m_sym, q, right, acc, m);
    for (size_t a = 0; a < m; a++)
        for (size_t b = a < m_sym ? a : 0; b < q; b++)
            assert_true(memcmp(&acc_w[a + b * m], &acc[a + b * m], sizeof(double)) == 0);
    free(x), free(acc), free(acc_w), free(acc_copy);
    free((void *)left), free((void *)right), free((void *)left_copy);
}

static void test_against_double_loop(void **state)
{
    (void)state;
    srand(11);
    check_sizes(37, 7, 5, 6);   /* partial tiles both ways, 37 = 9 groups of four + 1 */
    check_sizes(512, 23, 21, 21); /* survreg's block: 21 symmetric columns and two vectors */
    check_sizes(3, 2, 0, 5);    /* fewer rows than a group, no symmetric part */
    check_sizes(0, 4, 4, 4);    /* no rows: nothing added */
    check_sizes(41, 9, 7, 5);   /* symmetric rows beyond q: diagonal tiles cut short, none after */
    check_sizes(66, 21, 21, 21); /* glm's block: one symmetric product, 7 diagonal tiles */
    check_sizes(19, 5, 2, 4);   /* a 2 x 2 diagonal tile, then three rows of whole products */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_double_loop)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
