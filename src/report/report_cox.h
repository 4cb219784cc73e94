/*
 * report_cox.h: a Cox fit as text laid out like R's print(summary(coxph)), as the JSON object of
 * the CLI contract (docs/spec), or as CSV of the coefficient table.
 */
#ifndef SURVKIT_REPORT_COX_H
#define SURVKIT_REPORT_COX_H

#include <survkit/survkit.h>

#include <stdio.h>

/* What the report needs beyond the fit: the call as R would print it and the rows dropped. */
typedef struct report_cox_info {
    const char *call;        /* e.g. "coxph(formula = Surv(time, status) ~ age, data = lung)" */
    size_t n_dropped;        /* observations deleted due to missingness */
    const double *timings;   /* JSON: read, frame, fit, total seconds; NULL for none */
} report_cox_info;

void report_cox_text(FILE *out, const survkit_cox_result *r, const report_cox_info *info);
void report_cox_json(FILE *out, const survkit_cox_result *r, const report_cox_info *info);
void report_cox_csv(FILE *out, const survkit_cox_result *r);

/* "efron", "breslow" or "exact". */
const char *report_cox_ties_name(survkit_cox_ties ties);

#endif
