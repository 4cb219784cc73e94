/*
 * test_chsolve_many.c: sk_cox_chsolve2_many (src/cox/cholesky.c, cox.zph's scaled residuals)
 * gives every system exactly the bits sk_cox_chsolve2 gives it alone: random positive definite
 * matrices of 1 to 25 columns, and singular ones (a column repeated: cholesky2 declares it
 * redundant, D = 0, and both solves must return 0 there), with 1 to 700 right-hand sides (the
 * AVX2 body's vector loop and its tail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cox/cox_internal.h"
#include "test_random.h"

/* A = B'B (+ ridge) of random B; with `repeat`, column 1 equals column 0 (rank deficient). */
static void random_matrix(double *a, size_t n, bool repeat, uint64_t *seed)
{
    double *b = malloc(n * n * sizeof *b);
    for (size_t k = 0; k < n * n; k++) b[k] = test_random_uniform(seed) - 0.5;
    if (repeat && n > 1)
        for (size_t r = 0; r < n; r++) b[r + 1 * n] = b[r + 0 * n];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0;
            for (size_t r = 0; r < n; r++) s += b[r + i * n] * b[r + j * n];
            a[i + j * n] = s + (i == j && !repeat ? 0.1 : 0.0);
        }
    free(b);
}

static void test_same_bits(void **state)
{
    (void)state;
    uint64_t seed = 11;
    const size_t counts[] = {1, 3, 4, 5, 17, 256, 700};
    for (size_t n = 1; n <= 25; n++)
        for (int repeat = 0; repeat <= 1; repeat++)
            for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
                const size_t count = counts[c];
                double *a = malloc(n * n * sizeof *a);
                double *many = malloc(n * count * sizeof *many);
                double *one = malloc(n * sizeof *one);
                double **col = malloc(n * sizeof *col);
                random_matrix(a, n, repeat, &seed);
                (void)sk_cox_cholesky2(a, n, 1e-9);
                for (size_t k = 0; k < n * count; k++) many[k] = test_random_uniform(&seed) - 0.5;
                double *given = malloc(n * count * sizeof *given);
                memcpy(given, many, n * count * sizeof *many);
                for (size_t i = 0; i < n; i++) col[i] = many + i * count;
                sk_cox_chsolve2_many(a, n, col, count);
                for (size_t r = 0; r < count; r++) {
                    for (size_t i = 0; i < n; i++) one[i] = given[r + i * count];
                    sk_cox_chsolve2(a, n, one);
                    for (size_t i = 0; i < n; i++)
                        if (memcmp(&one[i], &many[r + i * count], sizeof(double)) != 0)
                            fail_msg("n %zu, repeat %d, count %zu, system %zu, coordinate %zu: "
                                     "%a alone, %a together",
                                     n, repeat, count, r, i, one[i], many[r + i * count]);
                    if (repeat && n > 1) assert_true(one[1] == 0); /* the redundant column */
                }
                free(a), free(many), free(one), free(col), free(given);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_bits)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
