/*
 * report_frailty.h: a shared-frailty Cox fit as text laid out like R's print.coxph.penal, as the
 * JSON of the CLI contract (penalised terms in cox), as CSV of the printed table, and its
 * estimated frailties per group (R's fit$frail, fit$fvar) as CSV.
 */
#ifndef SURVKIT_REPORT_FRAILTY_H
#define SURVKIT_REPORT_FRAILTY_H

#include "report_cox.h"

void report_frailty_text(FILE *out, const survkit_frailty_result *r, const report_cox_info *info);
void report_frailty_json(FILE *out, const survkit_frailty_result *r, const report_cox_info *info);
void report_frailty_csv(FILE *out, const survkit_frailty_result *r);
/* group,frail,fvar: one row per group, the group's value as text. */
void report_frailty_frail_csv(FILE *out, const survkit_frailty_result *r);

#endif
