/*
 * crossprod.h: the weighted cross-products of a block of rows, the kernel of every O(n p^2) pass
 * that forms X' W X in row blocks (the glm's normal equations, survreg's information).
 */
#ifndef SURVKIT_CROSSPROD_H
#define SURVKIT_CROSSPROD_H

#include <stddef.h>

/*
 * acc[a + b ld] += sum_{i < nb} left[a][i] right[b][i]  for a < m and b < q.
 * Inputs: nb rows; m left and q right columns, each nb values (any of them may be the same
 * array); ld >= m. The first m_sym left columns are those of a symmetric product (left[a] a
 * scaled right[a], say): for a < m_sym only b >= a is wanted, and entries with b < a may or may
 * not be added to (the caller reads the upper triangle only). The others get every b.
 * The sums run in a fixed order (four lanes of rows i = 4k + l, then the lanes added pairwise,
 * then the rows left over), without fused multiply-adds, so the result is the same on every
 * processor and whether or not AVX2 is used.
 */
void sk_crossprod_block(size_t nb, size_t m, const double *const *left, size_t m_sym, size_t q,
                        const double *const *right, double *acc, size_t ld);

/*
 * The same with the symmetric left columns weighted row by row: for a < m_sym,
 * acc[a + b ld] += sum_i (w[i] left[a][i]) right[b][i] (w: nb values, or NULL for none), each
 * product w_i l_ai made as a caller's scaled copy would make it, so the sums are those of
 * sk_crossprod_block on such copies, without writing them (X' diag(w) X from X alone).
 */
void sk_crossprod_block_weighted(size_t nb, size_t m, const double *const *left, const double *w,
                                 size_t m_sym, size_t q, const double *const *right, double *acc,
                                 size_t ld);

#endif /* SURVKIT_CROSSPROD_H */
