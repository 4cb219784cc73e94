/*
 * report_survreg.h: a survreg fit as text laid out like R's print(summary(survreg)), as the JSON
 * object of the CLI contract, or as CSV of the coefficient table.
 */
#ifndef SURVKIT_REPORT_SURVREG_H
#define SURVKIT_REPORT_SURVREG_H

#include <survkit/survkit.h>

#include <stdbool.h>
#include <stdio.h>

/* Predictions for new rows (--newdata), with the quantile probabilities and times asked for. */
typedef struct report_survreg_prediction_info {
    const survkit_survreg_prediction *pred;
    const double *p;
    size_t n_p;
    const double *times;
    size_t n_times;
} report_survreg_prediction_info;

typedef struct report_survreg_info {
    const char *call;      /* e.g. "survreg(formula = Surv(time, status) ~ age, data = lung)" */
    size_t n_dropped;      /* observations deleted due to missingness */
    const double *timings; /* JSON: read, frame, fit, total seconds; NULL for none */
    const report_survreg_prediction_info *prediction; /* NULL without --newdata */
} report_survreg_info;

void report_survreg_text(FILE *out, const survkit_survreg_result *r, const report_survreg_info *info);
void report_survreg_json(FILE *out, const survkit_survreg_result *r, const report_survreg_info *info);
void report_survreg_csv(FILE *out, const survkit_survreg_result *r);
/* One CSV row per new row: row, lp, lp_se, response, response_se, q<p>, q<p>_se, surv<t>. The rows
 * are made on two threads (csv_rows.h); returns false when memory or the output fails. */
bool report_survreg_prediction_csv(FILE *out, const report_survreg_prediction_info *pi);

#endif
