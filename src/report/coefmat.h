/*
 * coefmat.h: a coefficient table printed as R's printCoefmat prints Estimate | Std. Error |
 * z value | Pr(>|z|) (summary.glm, summary.lm): the rounding, joint formatting, p-value layout
 * and significance stars of R, NA rows for aliased coefficients.
 */
#ifndef SURVKIT_REPORT_COEFMAT_H
#define SURVKIT_REPORT_COEFMAT_H

#include <stddef.h>
#include <stdio.h>

typedef struct report_coefmat {
    size_t rows;
    const char *const *names;            /* rows */
    const double *estimate, *se, *statistic, *pvalue; /* rows each; NaN prints NA */
    const char *statistic_name;          /* "z value" */
    const char *pvalue_name;             /* "Pr(>|z|)" */
    int digits;                          /* printCoefmat's digits (summary.glm: 4) */
} report_coefmat;

void report_coefmat_print(FILE *out, const report_coefmat *m);

#endif
