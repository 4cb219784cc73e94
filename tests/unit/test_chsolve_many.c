/*
 * test_chsolve_many.c: sk_cox_chsolve2_many (src/cox/cholesky.c, cox.zph's scaled residuals) and
 * sk_cox_chsolve2 (one system, the same body) give every system exactly the bits of R's
 * chsolve2 as written in survival's C (a running sum per coordinate, the reference below):
 * random positive definite matrices of 1 to 25 columns, and singular ones (a column repeated:
 * cholesky2 declares it redundant, D = 0, and the solve must return 0 there), with 1 to 700
 * right-hand sides (the AVX2 body's vector loop and its tail) laid out with a gap (ld > count).
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

/* chsolve2 as survival's C writes it: L z = y, then D L' b = z, each coordinate a running sum. */
static void reference_solve(const double *a, size_t n, double *y)
{
    for (size_t i = 0; i < n; i++) {
        double t = y[i];
        for (size_t j = 0; j < i; j++) t -= y[j] * a[i + j * n];
        y[i] = t;
    }
    for (size_t i = n; i-- > 0;) {
        if (a[i + i * n] == 0) {
            y[i] = 0;
            continue;
        }
        double t = y[i] / a[i + i * n];
        for (size_t j = i + 1; j < n; j++) t -= y[j] * a[j + i * n];
        y[i] = t;
    }
}

static void assert_same(double want, double got, size_t n, int repeat, size_t count, size_t r,
                        size_t i, const char *what)
{
    if (memcmp(&want, &got, sizeof want) != 0)
        fail_msg("%s: n %zu, repeat %d, count %zu, system %zu, coordinate %zu: %a reference, %a",
                 what, n, repeat, count, r, i, want, got);
}

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
                const size_t count = counts[c], ld = count + 3; /* a gap after each coordinate */
                double *a = malloc(n * n * sizeof *a);
                double *many = malloc(n * ld * sizeof *many);
                double *given = malloc(n * ld * sizeof *given);
                double *one = malloc(n * sizeof *one), *alone = malloc(n * sizeof *alone);
                random_matrix(a, n, repeat, &seed);
                (void)sk_cox_cholesky2(a, n, 1e-9);
                for (size_t k = 0; k < n * ld; k++) many[k] = test_random_uniform(&seed) - 0.5;
                memcpy(given, many, n * ld * sizeof *many);
                sk_cox_chsolve2_many(a, n, many, ld, count);
                for (size_t r = 0; r < count; r++) {
                    for (size_t i = 0; i < n; i++) one[i] = alone[i] = given[r + i * ld];
                    reference_solve(a, n, one);
                    sk_cox_chsolve2(a, n, alone);
                    for (size_t i = 0; i < n; i++) {
                        assert_same(one[i], many[r + i * ld], n, repeat, count, r, i, "many");
                        assert_same(one[i], alone[i], n, repeat, count, r, i, "one");
                    }
                    if (repeat && n > 1) assert_true(one[1] == 0); /* the redundant column */
                }
                for (size_t i = 0; i < n; i++) /* the gap is left alone */
                    for (size_t r = count; r < ld; r++)
                        assert_same(given[r + i * ld], many[r + i * ld], n, repeat, count, r, i,
                                    "gap");
                free(a), free(many), free(given), free(one), free(alone);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_same_bits)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
