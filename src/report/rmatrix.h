/*
 * rmatrix.h: a numeric matrix printed as R's print(matrix) lays it out: each column formatted on
 * its own (rformat_column at `digits`), headers right-justified over their columns, row names
 * left-justified ("[1,]", "[2,]" ... when NULL), one space between columns.
 */
#ifndef SURVKIT_REPORT_RMATRIX_H
#define SURVKIT_REPORT_RMATRIX_H

#include <stddef.h>
#include <stdio.h>

/* Inputs: x[nrow * ncol] column-major, rownames[nrow] (NULL for "[i,]"), colnames[ncol]. */
void rmatrix_print(FILE *out, const double *x, size_t nrow, size_t ncol,
                   const char *const *rownames, const char *const *colnames, int digits);

#endif
