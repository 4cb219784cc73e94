/*
 * coefmat.h: a coefficient table printed as R's printCoefmat prints it: any number of estimate
 * columns (Estimate | Std. Error, or Value | Std. Err | (Naive SE)) rounded and formatted
 * together, a test statistic and a p-value column, and significance stars when asked
 * (summary.glm: signif.stars = TRUE; print.summary.survreg: FALSE). NaN prints NA.
 */
#ifndef SURVKIT_REPORT_COEFMAT_H
#define SURVKIT_REPORT_COEFMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { REPORT_COEFMAT_MAX_EST = 4 };

typedef struct report_coefmat {
    size_t rows;
    const char *const *names;            /* rows */
    size_t n_est;                        /* estimate columns, 1 .. REPORT_COEFMAT_MAX_EST */
    const double *est[REPORT_COEFMAT_MAX_EST]; /* n_est columns of `rows` values; NaN prints NA */
    const double *statistic, *pvalue;    /* rows each; NaN prints NA */
    const char *header[REPORT_COEFMAT_MAX_EST + 2]; /* n_est + 2 column titles */
    int digits;                          /* printCoefmat's digits (summary.glm: 4) */
    bool stars;                          /* signif.stars */
} report_coefmat;

void report_coefmat_print(FILE *out, const report_coefmat *m);

#endif
