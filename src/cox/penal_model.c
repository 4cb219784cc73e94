/*
 * penal_model.c: the survkit_cox_model of a penalised fit (survkit_frailty_model_create_frame)
 * and the getters of its penalised parts.
 *
 * R's methods for coxph.penal objects use the fit's coefficients, fit$var (no naive variance),
 * fit$means and fit$linear.predictors = offset + frail[group] + X b - sum(means b): so the model
 * keeps the frailties (they enter the fit's own rows' linear predictor: cox_eval.c), fit$df for
 * cox.zph and the dense penalty's second derivatives (R's fit$coxlist2$second).
 */
#include "cox/diag_internal.h"

#include <stdlib.h>
#include <string.h>

survkit_status survkit_frailty_model_create_frame(const survkit_frailty_result *fit,
                                                  const survkit_frame *frame,
                                                  const char *weights_name,
                                                  survkit_cox_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the model");
    *out = NULL;
    RETURN_ERROR_IF(fit == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a fit and its frame are required");
    /* a pspline's model would need its basis (knots) and its dense penalty block for new data
     * and its residuals: not kept yet, so refused rather than answered without them */
    RETURN_ERROR_IF(survkit_frailty_result_n_pspline(fit) > 0, err, SURVKIT_ERR_ARGUMENT,
                    "%s: this command does not take penalised models with pspline() terms yet "
                    "(survkit cox fits them)", survkit_frailty_result_pspline_term(fit, 0));
    const size_t p = survkit_frailty_result_p(fit), G = survkit_frailty_result_n_groups(fit);
    RETURN_ERROR_IF(survkit_frame_p(frame) != p || survkit_frame_n(frame) !=
                        survkit_frailty_result_n(fit) || survkit_frame_n_frailty(frame) != G,
                    err, SURVKIT_ERR_ARGUMENT, "the frame is not the one the model was fitted on");
    const char **names = sk_calloc_array(p + 1, sizeof(char *));
    const char **labels = sk_calloc_array(G + 1, sizeof(char *));
    if (names == NULL || labels == NULL) {
        free(names), free(labels);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox model)");
    }
    for (size_t j = 0; j < p; j++) names[j] = survkit_frailty_result_name(fit, j);
    for (size_t g = 0; g < G; g++) labels[g] = survkit_frailty_result_group(fit, g);
    const char *term = survkit_frailty_result_term(fit);
    sk_model_penalty pen = {.penalised = true,
                            .n_frail = G,
                            .frail_labels = (char **)labels,
                            .frail = (double *)survkit_frailty_result_frail(fit),
                            .frail_term = (char *)term,
                            .frail_pos = survkit_frailty_result_frailty_position(fit),
                            .n_df = survkit_frailty_result_n_df(fit),
                            .df = (double *)survkit_frailty_result_df(fit),
                            .second = (double *)survkit_frailty_result_penalty_second(fit)};
    const bool counting = survkit_frame_response_kind(frame) == SURVKIT_RESPONSE_COUNTING;
    sk_model_source src = {survkit_frailty_result_ties(fit), counting, false,
                           survkit_frailty_result_n(fit), p, survkit_frailty_result_n_events(fit),
                           names, survkit_frailty_result_coef(fit),
                           survkit_frailty_result_vcov(fit), NULL,
                           survkit_frailty_result_means(fit), &pen};
    survkit_status status = sk_cox_model_from_frame(&src, frame, weights_name, out, err);
    free(names), free(labels);
    return status;
}

bool survkit_cox_model_is_penalised(const survkit_cox_model *m)
{
    return m != NULL && m->pen.penalised;
}
size_t survkit_cox_model_n_frailty(const survkit_cox_model *m) { return m->pen.n_frail; }
const char *survkit_cox_model_frailty_label(const survkit_cox_model *m, size_t g)
{
    return g < m->pen.n_frail ? m->pen.frail_labels[g] : NULL;
}
const double *survkit_cox_model_frailty(const survkit_cox_model *m) { return m->pen.frail; }
const char *survkit_cox_model_frailty_term(const survkit_cox_model *m) { return m->pen.frail_term; }
