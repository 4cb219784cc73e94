/* dense_solve.h: a general dense solve (dense_solve.c). Not installed. */
#ifndef SURVKIT_CORE_DENSE_SOLVE_H
#define SURVKIT_CORE_DENSE_SOLVE_H

#include <stdbool.h>
#include <stddef.h>

/* Solve A x = b (A m x m column-major, overwritten by its LU factors; b overwritten by x) with
 * LAPACK as R's solve(). false where R's solve() stops: A exactly or computationally singular
 * (reciprocal condition number below the machine epsilon); also when out of memory. */
bool sk_solve_dense(double *A, double *b, size_t m);

#endif /* SURVKIT_CORE_DENSE_SOLVE_H */
