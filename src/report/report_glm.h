/*
 * report_glm.h: a binomial GLM as text laid out like R's print(summary(glm)), as the JSON object
 * of the CLI contract, or as CSV of the coefficient table.
 */
#ifndef SURVKIT_REPORT_GLM_H
#define SURVKIT_REPORT_GLM_H

#include <survkit/survkit.h>

#include <stdio.h>

#include "json.h"

/* What the report needs beyond the fit: the call's pieces as R would print them. */
typedef struct report_glm_info {
    const char *formula;     /* the model formula as given */
    const char *data;        /* the data's name in the call (the file's stem) */
    const char *weights;     /* the weights column, or NULL */
    size_t n_dropped;        /* observations deleted due to missingness */
    const double *timings;   /* JSON: read, frame, fit, total seconds; NULL for none */
} report_glm_info;

void report_glm_text(FILE *out, const survkit_glm_result *r, const report_glm_info *info);
void report_glm_json(FILE *out, const survkit_glm_result *r, const report_glm_info *info);
void report_glm_csv(FILE *out, const survkit_glm_result *r);
/* The members "terms", "deviance", "null_deviance", "aic" inside an open JSON object (the
 * propensity model of `ipw` reports them too). */
void report_glm_json_members(json_writer *w, const survkit_glm_result *r);

#endif
