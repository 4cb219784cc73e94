/*
 * survreg_model.c: a survreg fit with what prediction needs (formula, the variables' kinds and
 * factor levels, strata labels, coefficients, variance, scales), made from a fit and its frame.
 */
#include "survreg/survreg_model.h"

#include <stdlib.h>
#include <string.h>

static survkit_status nomem(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

void survkit_survreg_model_free(survkit_survreg_model *m)
{
    if (m == NULL) return;
    free(m->formula);
    sk_model_variables_free(m->variables, m->n_variables);
    sk_free_strings(m->names, m->m);
    sk_free_strings(m->strata_labels, m->n_strata);
    free(m->coef), free(m->var), free(m->scale);
    free(m);
}

survkit_survreg_model *sk_sr_model_alloc(size_t p, size_t n_scales, size_t n_scale_values)
{
    survkit_survreg_model *m = calloc(1, sizeof *m);
    if (m == NULL) return NULL;
    m->p = p, m->n_scales = n_scales, m->m = p + n_scales;
    m->names = calloc(m->m + 1, sizeof(char *));
    m->coef = sk_calloc_array(p, sizeof(double));
    m->var = sk_calloc_array(m->m * m->m, sizeof(double));
    m->scale = sk_calloc_array(n_scale_values, sizeof(double));
    if (!m->names || !m->coef || !m->var || !m->scale) {
        survkit_survreg_model_free(m);
        return NULL;
    }
    return m;
}

survkit_status survkit_survreg_model_create_frame(const survkit_survreg_result *fit,
                                                  const survkit_frame *frame,
                                                  survkit_survreg_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(fit == NULL || frame == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "no fit or frame given");
    *out = NULL;
    const size_t p = survkit_survreg_result_p(fit), ns = survkit_survreg_result_n_scales(fit);
    survkit_survreg_model *m = sk_sr_model_alloc(p, ns, ns > 0 ? ns : 1);
    if (m == NULL) return nomem(err);
    survkit_status status = SURVKIT_OK;
    m->dist = survkit_survreg_result_dist(fit);
    memcpy(m->coef, survkit_survreg_result_coef(fit), p * sizeof(double));
    memcpy(m->var, survkit_survreg_result_vcov(fit), m->m * m->m * sizeof(double));
    memcpy(m->scale, survkit_survreg_result_scale(fit), (ns > 0 ? ns : 1) * sizeof(double));
    for (size_t j = 0; j < m->m; j++)
        if ((m->names[j] = sk_strdup(survkit_survreg_result_name(fit, j))) == NULL) status = nomem(err);
    m->n_strata = survkit_frame_n_strata(frame);
    m->strata_labels = calloc(m->n_strata + 1, sizeof(char *));
    if (m->strata_labels == NULL) status = nomem(err);
    for (size_t k = 0; status == SURVKIT_OK && k < m->n_strata; k++)
        if ((m->strata_labels[k] = sk_strdup(survkit_frame_strata_label(frame, k))) == NULL)
            status = nomem(err);
    m->formula = sk_strdup(sk_frame_model_formula(frame));
    if (m->formula == NULL) status = nomem(err);
    if (status == SURVKIT_OK)
        status = sk_model_variables_capture(frame, &m->variables, &m->n_variables, err);
    if (status != SURVKIT_OK) {
        survkit_survreg_model_free(m);
        return status;
    }
    *out = m;
    return SURVKIT_OK;
}

const char *survkit_survreg_model_formula(const survkit_survreg_model *m) { return m->formula; }
survkit_survreg_dist survkit_survreg_model_dist(const survkit_survreg_model *m) { return m->dist; }
