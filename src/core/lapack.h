/*
 * lapack.h: the few LAPACK routines libsurvkit calls, through their Fortran symbols (OpenBLAS
 * provides them; CMake links LAPACK_LIBRARIES). Arguments by reference, column-major arrays;
 * character arguments carry their hidden Fortran lengths (size_t, last), as gfortran passes them.
 * Not installed.
 *
 *   dgeqrf  A = QR by Householder reflections (R in the upper triangle, reflectors below + tau)
 *   dormqr  C := Q C, Q' C, C Q or C Q' with the Q of dgeqrf
 *   dtrtrs  solve a triangular system T X = B or T' X = B
 *   dpotrf  A = U'U (Cholesky); dpotri (U'U)^-1 from U
 *   dgetrf  A = P L U with partial pivoting; dgetrs solves with those factors
 *   dgecon  the reciprocal condition number of A from its LU factors; dlange a norm of A
 */
#ifndef SURVKIT_CORE_LAPACK_H
#define SURVKIT_CORE_LAPACK_H

#include <stddef.h>

void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work,
             const int *lwork, int *info);
void dormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k,
             const double *a, const int *lda, const double *tau, double *c, const int *ldc,
             double *work, const int *lwork, int *info, size_t side_len, size_t trans_len);
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const int *n, const int *nrhs,
             const double *a, const int *lda, double *b, const int *ldb, int *info,
             size_t uplo_len, size_t trans_len, size_t diag_len);

void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda,
             const int *ipiv, double *b, const int *ldb, int *info, size_t trans_len);
void dgecon_(const char *norm, const int *n, const double *a, const int *lda, const double *anorm,
             double *rcond, double *work, int *iwork, int *info, size_t norm_len);
double dlange_(const char *norm, const int *m, const int *n, const double *a, const int *lda,
               double *work, size_t norm_len);

#endif /* SURVKIT_CORE_LAPACK_H */
