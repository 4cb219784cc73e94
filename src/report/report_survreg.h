/*
 * report_survreg.h: a survreg fit as text laid out like R's print(summary(survreg)), as the JSON
 * object of the CLI contract, or as CSV of the coefficient table.
 */
#ifndef SURVKIT_REPORT_SURVREG_H
#define SURVKIT_REPORT_SURVREG_H

#include <survkit/survkit.h>

#include <stdio.h>

typedef struct report_survreg_info {
    const char *call;      /* e.g. "survreg(formula = Surv(time, status) ~ age, data = lung)" */
    size_t n_dropped;      /* observations deleted due to missingness */
    const double *timings; /* JSON: read, frame, fit, total seconds; NULL for none */
} report_survreg_info;

void report_survreg_text(FILE *out, const survkit_survreg_result *r, const report_survreg_info *info);
void report_survreg_json(FILE *out, const survkit_survreg_result *r, const report_survreg_info *info);
void report_survreg_csv(FILE *out, const survkit_survreg_result *r);

#endif
