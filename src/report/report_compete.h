/*
 * report_compete.h: competing-risks reports. Cumulative incidence: text laid out like R's
 * print(survfit) of a multi-state fit (n, nevent, rmean per group and state), summary(fit,
 * times =) with --times, and print(cuminc)'s Tests table for Gray's test; JSON as the contract's
 * "cuminc" object; CSV the curve table. Fine-Gray: text like print(summary(crr)), JSON as the
 * contract's "finegray" object, CSV the coefficient table; predictions as CSV or JSON.
 */
#ifndef SURVKIT_REPORT_COMPETE_H
#define SURVKIT_REPORT_COMPETE_H

#include <survkit/survkit.h>

#include <stdio.h>

typedef struct report_cuminc_options {
    const char *formula;      /* shown in the Call: line */
    size_t n_dropped;
    double tau;               /* --rmst: restricted mean time in each state up to tau; NaN: the
                                 largest time (R's print default) in text, none in JSON */
    const double *times;      /* --times, ascending; n_times (0 for none) */
    size_t n_times;
    const double *timings;    /* JSON: read, frame, fit, total seconds; NULL for none */
} report_cuminc_options;

survkit_status report_cuminc_text(FILE *out, const survkit_cuminc *fit,
                                  const report_cuminc_options *opt, survkit_error *err);
survkit_status report_cuminc_json(FILE *out, const survkit_cuminc *fit,
                                  const report_cuminc_options *opt, survkit_error *err);
survkit_status report_cuminc_csv(FILE *out, const survkit_cuminc *fit, survkit_error *err);

typedef struct report_finegray_options {
    const char *formula;
    const char *cause;
    size_t n_dropped;
    const double *timings;
    /* --newdata: predict.crr for pred_m rows (their 0-based data rows pred_rows), pred_cif
     * n_event_times x pred_m; pred_m 0 for none. CSV then writes this table. */
    size_t pred_m;
    const size_t *pred_rows;
    const double *pred_cif;
    const double *pred_times; /* the event times of the cause (pred_K of them) */
    size_t pred_K;
} report_finegray_options;

/* The predictions alone (a saved model, --model): format 0 text, 1 JSON, 2 CSV. */
survkit_status report_finegray_predictions(FILE *out, int format, const report_finegray_options *opt,
                                           survkit_error *err);

survkit_status report_finegray_text(FILE *out, const survkit_finegray *fit,
                                    const report_finegray_options *opt, survkit_error *err);
survkit_status report_finegray_json(FILE *out, const survkit_finegray *fit,
                                    const report_finegray_options *opt, survkit_error *err);
survkit_status report_finegray_csv(FILE *out, const survkit_finegray *fit,
                                   const report_finegray_options *opt, survkit_error *err);

#endif
