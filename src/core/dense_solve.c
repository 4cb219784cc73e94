/*
 * dense_solve.c: A x = b for a general (not symmetric) square matrix, by Gaussian elimination with
 * partial pivoting, as LAPACK's dgesv behind R's solve(): logrank's variance (km) and cox.zph's
 * information when a ridge() penalty makes it unsymmetric (cox).
 */
#include "core/dense_solve.h"

#include <math.h>

bool sk_solve_dense(double *A, double *b, size_t m)
{
    double scale = 0;
    for (size_t i = 0; i < m * m; i++) scale = fmax(scale, fabs(A[i]));
    for (size_t c = 0; c < m; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < m; r++)
            if (fabs(A[r + c * m]) > fabs(A[piv + c * m])) piv = r;
        if (!(fabs(A[piv + c * m]) > 1e-13 * scale)) return false;
        if (piv != c) {
            for (size_t j = 0; j < m; j++) {
                double t = A[c + j * m];
                A[c + j * m] = A[piv + j * m];
                A[piv + j * m] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (size_t r = c + 1; r < m; r++) {
            double f = A[r + c * m] / A[c + c * m];
            for (size_t j = c; j < m; j++) A[r + j * m] -= f * A[c + j * m];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = m; c-- > 0;) {
        for (size_t j = c + 1; j < m; j++) b[c] -= A[c + j * m] * b[j];
        b[c] /= A[c + c * m];
    }
    return true;
}
