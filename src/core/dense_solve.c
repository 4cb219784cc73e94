/*
 * dense_solve.c: A x = b for a general (not symmetric) square matrix through LAPACK, as R's
 * solve() does it (La_solve): the LU factors with partial pivoting (dgetrf), R's test that the
 * system is not computationally singular (the reciprocal condition number in the 1-norm, dgecon,
 * below the machine epsilon), then the two triangular solves (dgetrs). Used for logrank's variance
 * (km) and cox.zph's information when a ridge() penalty makes it unsymmetric (cox).
 */
#include "core/dense_solve.h"

#include "core/lapack.h"

#include <float.h>
#include <limits.h>
#include <stdlib.h>

enum { SMALL = 32 };

bool sk_solve_dense(double *A, double *b, size_t m)
{
    if (m == 0) return true;
    if (m > INT_MAX / 4) return false;
    const int n = (int)m, one = 1;
    /* workspace on the stack for the small systems of the callers (cox.zph solves one per event) */
    double work_small[4 * SMALL];
    int ipiv_small[2 * SMALL];
    const bool small = m <= SMALL;
    double *work = small ? work_small : malloc(4 * m * sizeof(double));
    int *ipiv = small ? ipiv_small : malloc(2 * m * sizeof(int)); /* pivots, then dgecon's */
    if (work == NULL || ipiv == NULL) {
        if (!small) free(work), free(ipiv);
        return false;
    }
    const double anorm = dlange_("1", &n, &n, A, &n, work, 1);
    int info = 0;
    dgetrf_(&n, &n, A, &n, ipiv, &info);
    bool ok = info == 0; /* info > 0: exactly singular (R: "system is exactly singular") */
    if (ok) {
        double rcond = 0;
        dgecon_("1", &n, A, &n, &anorm, &rcond, work, ipiv + m, &info, 1);
        ok = info == 0 && rcond >= DBL_EPSILON; /* R: "system is computationally singular" */
    }
    if (ok) {
        dgetrs_("N", &n, &one, A, &n, ipiv, b, &n, &info, 1);
        ok = info == 0;
    }
    if (!small) free(work), free(ipiv);
    return ok;
}
