/*
 * report_km.h: a Kaplan-Meier fit as text (R's print(survfit) table, and summary(survfit)'s curve
 * table with --summary or --times), as JSON (the spec's "km" object) or as CSV (the curve table
 * with a strata column).
 */
#ifndef SURVKIT_REPORT_KM_H
#define SURVKIT_REPORT_KM_H

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stdio.h>

typedef struct report_km_options {
    const char *formula;      /* shown in the Call: line */
    size_t n_dropped;         /* rows dropped for missing values */
    const double *quantiles;  /* --quantiles, n_quantiles of them (may be 0) */
    size_t n_quantiles;
    double tau;               /* --rmst; NaN for none */
    bool summary;             /* text: print the curve table at the event times */
    const double *times;      /* text: print the curve at these times (ascending); n_times */
    size_t n_times;
    const double *timings;    /* JSON: read, frame, fit, total seconds; NULL for none */
} report_km_options;

/* Each returns SURVKIT_OK, or an error (e.g. tau below the first time) before writing anything. */
survkit_status report_km_text(FILE *out, const survkit_km *km, const report_km_options *opt,
                              survkit_error *err);
survkit_status report_km_json(FILE *out, const survkit_km *km, const report_km_options *opt,
                              survkit_error *err);
survkit_status report_km_csv(FILE *out, const survkit_km *km, survkit_error *err);

#endif
