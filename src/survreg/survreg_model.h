/*
 * survreg_model.h: the insides of a survkit_survreg_model (survreg_model.c, survreg_model_json.c,
 * survreg_predict.c), not installed.
 */
#ifndef SURVKIT_SURVREG_MODEL_H
#define SURVKIT_SURVREG_MODEL_H

#include "formula/formula_internal.h"
#include "formula/model_variables.h"
#include "survreg/survreg_internal.h"

struct survkit_survreg_model_s {
    survkit_survreg_dist dist;
    char *formula;
    size_t n_variables;
    sk_model_variable *variables;
    size_t n_strata;         /* strata() levels of the fit (0: none) */
    char **strata_labels;
    size_t p, n_scales, m;   /* coefficients (with the intercept), estimated scales, p + n_scales */
    char **names;            /* m */
    double *coef;            /* p (NaN when aliased) */
    double *var;             /* m x m, vcov(fit) */
    double *scale;           /* n_scales values, or the fixed scale */
};

/* A model with its arrays allocated (zeroed), or NULL. */
survkit_survreg_model *sk_sr_model_alloc(size_t p, size_t n_scales, size_t n_scale_values);

#endif /* SURVKIT_SURVREG_MODEL_H */
