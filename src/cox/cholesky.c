/*
 * cholesky.c: the rank-revealing LDL' factorisation of R's survival (cholesky2, chsolve2, chinv2,
 * coxph.wtest), so that aliased columns and the rank are decided exactly as R decides them.
 *
 * A = L D L' with unit lower-triangular L, no pivoting. A pivot that is not finite or is below
 * toler * max(diag A) is declared redundant: its D is set to zero and its column is skipped; the
 * solve then returns 0 for that coordinate and the inverse has a zero row and column there (the
 * generalised inverse R uses, giving an aliased coefficient NA and zero variance). The rank is
 * returned, negated when some pivot is below -8 times the tolerance (A not non-negative definite).
 *
 * Storage, n x n column-major: the input must be symmetric (both triangles); L is written below
 * the diagonal, D on it, the strict upper triangle is left for chinv2, which writes the inverse
 * there and mirrors it. p is the number of coefficients, so these O(p^3) loops cost nothing next to
 * the O(n p^2) information matrix; LAPACK's dpotrf cannot express R's redundancy rule.
 */
#include "cox/cox_internal.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define A(r, c) a[(r) + (c) * n]

/* The factorisation proper, with the redundancy threshold `eps` already decided. A redundant
 * pivot's column below it is zeroed when `zero_column` (cholesky3), left as is otherwise
 * (cholesky2): the two differ in what a later solve reads there. */
static int ldl_factor(double *a, size_t n, double eps, bool zero_column)
{
    int rank = 0, nonneg = 1;
    for (size_t i = 0; i < n; i++) {
        double pivot = A(i, i);
        if (!isfinite(pivot) || pivot < eps) {
            A(i, i) = 0;
            if (zero_column)
                for (size_t j = i + 1; j < n; j++) A(j, i) = 0;
            if (pivot < -8 * eps) nonneg = -1;
            continue;
        }
        rank++;
        for (size_t j = i + 1; j < n; j++) {
            double t = A(j, i) / pivot;
            A(j, i) = t;
            A(j, j) -= t * t * pivot;
            for (size_t k = j + 1; k < n; k++) A(k, j) -= t * A(k, i); /* A(k, i) not yet scaled */
        }
    }
    return rank * nonneg;
}

int sk_cox_cholesky2(double *a, size_t n, double toler)
{
    double eps = 0;
    for (size_t i = 0; i < n; i++)
        if (A(i, i) > eps) eps = A(i, i);
    eps = eps == 0 ? toler : eps * toler;
    return ldl_factor(a, n, eps, false);
}

/* R's cholesky3 (survreg6) with no sparse part: its threshold starts from the smallest diagonal
 * element below zero (none: eps = toler, an absolute threshold, not relative to the largest
 * diagonal as in cholesky2), and a redundant column is zeroed. */
int sk_cox_cholesky3(double *a, size_t n, double toler)
{
    double eps = 0;
    for (size_t i = 0; i < n; i++)
        if (A(i, i) < eps) eps = A(i, i);
    eps = eps == 0 ? toler : eps * toler;
    return ldl_factor(a, n, eps, true);
}

/* chsolve2 on `count` systems at once: coordinate i of system r is y[r + i ld] (ld >= count;
 * one system: ld = count = 1). The loop over the systems is the inner one, on contiguous memory,
 * so it vectorises where one system at a time cannot (cox.zph solves one system per event); each
 * system gets the same operations in the same order whatever the count, so the same bits. The
 * body is compiled plainly and for AVX2, chosen at run time: the same multiplications and
 * subtractions (no fused multiply-add), so the same bits again. */
static inline __attribute__((always_inline)) void chsolve2_body(const double *a, size_t n,
                                                                double *y, size_t ld,
                                                                size_t count)
{
    for (size_t i = 0; i < n; i++) /* L z = y */
        for (size_t j = 0; j < i; j++) {
            const double l = A(i, j), *restrict yj = y + j * ld;
            double *restrict yi = y + i * ld;
            for (size_t r = 0; r < count; r++) yi[r] -= yj[r] * l;
        }
    for (size_t i = n; i-- > 0;) { /* D L' b = z */
        double *restrict yi = y + i * ld;
        const double d = A(i, i);
        if (d == 0) { /* a redundant column: its coordinate is 0 */
            for (size_t r = 0; r < count; r++) yi[r] = 0;
            continue;
        }
        for (size_t r = 0; r < count; r++) yi[r] /= d;
        for (size_t j = i + 1; j < n; j++) {
            const double l = A(j, i), *restrict yj = y + j * ld;
            for (size_t r = 0; r < count; r++) yi[r] -= yj[r] * l;
        }
    }
}

void sk_cox_chsolve2(const double *a, size_t n, double *y) { chsolve2_body(a, n, y, 1, 1); }

__attribute__((target("avx2"))) static void chsolve2_many_avx2(const double *a, size_t n,
                                                               double *y, size_t ld, size_t count)
{
    chsolve2_body(a, n, y, ld, count);
}

void sk_cox_chsolve2_many(const double *a, size_t n, double *y, size_t ld, size_t count)
{
    if (__builtin_cpu_supports("avx2")) chsolve2_many_avx2(a, n, y, ld, count);
    else chsolve2_body(a, n, y, ld, count);
}

void sk_cox_chinv2(double *a, size_t n)
{
    /* L^{-1} in the lower triangle, D^{-1} on the diagonal. */
    for (size_t i = 0; i < n; i++) {
        if (!(A(i, i) > 0)) continue;
        A(i, i) = 1 / A(i, i);
        for (size_t j = i + 1; j < n; j++) {
            A(j, i) = -A(j, i);
            for (size_t k = 0; k < i; k++) A(j, k) += A(j, i) * A(i, k);
        }
    }
    /* (L D L')^{-1} = L^{-T} D^{-1} L^{-1}, built in the upper triangle: A(i, k), k >= i. */
    for (size_t i = 0; i < n; i++) {
        if (A(i, i) == 0) { /* redundant: zero row and column */
            for (size_t j = 0; j < i; j++) A(j, i) = 0;
            for (size_t j = i; j < n; j++) A(i, j) = 0;
            continue;
        }
        for (size_t j = i + 1; j < n; j++) {
            double t = A(j, i) * A(j, j);
            A(i, j) = t;
            for (size_t k = i; k < j; k++) A(i, k) += t * A(j, k);
        }
    }
    for (size_t c = 0; c < n; c++)
        for (size_t r = c + 1; r < n; r++) A(r, c) = A(c, r);
}

double sk_cox_wald(const double *v, const double *b, size_t n, double toler, double *scratch,
                   size_t *df)
{
    double *f = scratch, *solve = scratch + n * n;
    memcpy(f, v, n * n * sizeof(double));
    (void)sk_cox_cholesky2(f, n, toler);
    size_t rank = 0;
    for (size_t i = 0; i < n; i++)
        if (f[i + i * n] > 0) rank++;
    memcpy(solve, b, n * sizeof(double));
    sk_cox_chsolve2(f, n, solve);
    double stat = 0;
    for (size_t i = 0; i < n; i++) stat += b[i] * solve[i];
    *df = rank;
    return stat;
}
