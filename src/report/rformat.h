/*
 * rformat.h: numbers formatted the way R prints them, so survkit's text output reads like R's.
 *
 * R's format(x, digits = d) (formatReal in R's format.c) chooses one layout for a whole vector:
 * each finite element is rounded to d significant digits and its trailing zeros dropped, giving
 * nsig_i significant digits and a decimal exponent e_i. Fixed notation then needs
 * rgt = max_i max(0, nsig_i - e_i - 1) decimals; scientific notation needs max_i nsig_i mantissa
 * digits. Fixed is used unless it is wider than scientific (R's scipen = 0). NaN prints as "NA".
 */
#ifndef SURVKIT_REPORT_RFORMAT_H
#define SURVKIT_REPORT_RFORMAT_H

#include <stddef.h>

/*
 * Format n numbers as R's format(x, digits = digits): a common layout, right-justified to a common
 * width. Inputs: x[n], digits in 1..15, out[n] buffers of out_size bytes each. Returns the width.
 */
int rformat_column(const double *x, size_t n, int digits, char **out, size_t out_size);

/* One number as R's format(x, digits = digits) (print(x) uses digits = 7). */
void rformat_number(double x, int digits, char *out, size_t out_size);

/*
 * A p-value as R's format.pval(p, digits): format(p, digits) for p >= machine epsilon, otherwise
 * "<" followed by format(eps, digits = max(1, digits - 2)) (with a space when that is more than
 * one digit): e.g. "< 2.22e-16", "<2e-16".
 */
void rformat_pvalue(double p, int digits, char *out, size_t out_size);

/*
 * R's format.pval(p, digits) of a vector, as printCoefmat uses it: values below machine epsilon
 * as "<" eps, the others in two groups (fixed and scientific) each formatted jointly.
 * Inputs: p[n]; out[n] buffers of out_size bytes.
 */
void rformat_pvalues(const double *p, size_t n, int digits, char **out, size_t out_size);

/* R's format(round(x, decimals)) at the default 7 digits: e.g. the "14.12" of print.summary.coxph. */
void rformat_rounded(double x, int decimals, char *out, size_t out_size);

#endif
