/*
 * coefmat_columns.h: R's printCoefmat without significance stars, for any table of estimates.
 */
#ifndef SURVKIT_REPORT_COEFMAT_COLUMNS_H
#define SURVKIT_REPORT_COEFMAT_COLUMNS_H

#include <stdio.h>

/*
 * Print rows x (n_est + 2) columns as printCoefmat(x, digits, signif.stars = FALSE,
 * P.values = TRUE, has.Pvalue = TRUE): the n_est estimate columns est[c][rows] (coefficients and
 * standard errors) rounded together, the test statistic `stat` and the p-value `p` column; NaN is
 * "NA". header: n_est + 2 column titles; names: the row names.
 */
void report_coefmat_columns(FILE *out, const char *const *names, size_t rows, const double *const *est,
                            size_t n_est, const double *stat, const double *p, const char *const *header,
                            int digits);

#endif
