/* dense_solve.h: a general dense solve (dense_solve.c). Not installed. */
#ifndef SURVKIT_CORE_DENSE_SOLVE_H
#define SURVKIT_CORE_DENSE_SOLVE_H

#include <stdbool.h>
#include <stddef.h>

/* Solve A x = b (A m x m column-major, overwritten; b overwritten by x) by Gaussian elimination
 * with partial pivoting, as LAPACK's dgesv behind R's solve(). false when A is singular. */
bool sk_solve_dense(double *A, double *b, size_t m);

#endif /* SURVKIT_CORE_DENSE_SOLVE_H */
