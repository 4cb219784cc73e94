/* report_logrank.h: a log-rank test as text (R's print(survdiff), plus pairwise and trend tables)
 * or JSON (the spec's "logrank" object with "pairwise" and "trend" when computed). */
#ifndef SURVKIT_REPORT_LOGRANK_H
#define SURVKIT_REPORT_LOGRANK_H

#include <survkit/survkit.h>

#include <stdio.h>

typedef struct report_logrank_options {
    const char *formula;    /* shown in the Call: line */
    size_t n_dropped;
    const double *timings;  /* JSON: read, frame, fit, total seconds; NULL for none */
} report_logrank_options;

void report_logrank_text(FILE *out, const survkit_logrank *lr, const report_logrank_options *opt);
void report_logrank_json(FILE *out, const survkit_logrank *lr, const report_logrank_options *opt);
/* The table of print(survdiff) as CSV: one row per group with N, observed, expected and the two
 * chi-square contributions, (O-E)^2/E and (O-E)^2/V (V the diagonal of the variance matrix). */
void report_logrank_csv(FILE *out, const survkit_logrank *lr);

#endif
