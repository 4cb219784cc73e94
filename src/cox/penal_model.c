/*
 * penal_model.c: the survkit_cox_model of a penalised fit (survkit_frailty_model_create_frame)
 * and the getters of its penalised parts.
 *
 * R's methods for coxph.penal objects use the fit's coefficients, fit$var (and naive.var, for
 * dfbeta residuals, when the fit is robust: R's coxph gives ridge()/pspline() fits one),
 * fit$means and fit$linear.predictors = offset + frail[group] + X b - sum(means b): so the model
 * keeps the frailties (they enter the fit's own rows' linear predictor: cox_eval.c), fit$df for
 * cox.zph and the dense penalty's second derivatives (R's fit$coxlist2$second).
 *
 * pspline() terms: the basis on new data comes from the saved formula (the predict call of
 * formula/pspline_term.c keeps nterm and the range). R's coxpenal.fit makes coxlist2$second a full
 * nvar x nvar matrix once a penalty is not diagonal (full.imat): each pspline's block is
 * lambda P with lambda = theta / (1 - theta) and P the second-difference matrix D'D without its
 * first row and column (intercept = FALSE); a ridge()'s vector goes in with
 * tmat[pen.col, pen.col] <- second, so row a of its block is second[a] throughout. A fit with a
 * frailty keeps no coxlist2 (R), so nothing of this then.
 */
#include "cox/diag_internal.h"

#include <stdlib.h>
#include <string.h>

/* (D'D)[i][j] for the second differences D of m + 1 coefficients: sum over rows k of D, row k being
 * e_k - 2 e_(k+1) + e_(k+2). */
static double second_difference(size_t m1, size_t i, size_t j)
{
    static const double d[3] = {1, -2, 1};
    double sum = 0;
    for (size_t k = 0; k + 2 < m1; k++)
        if (i >= k && i <= k + 2 && j >= k && j <= k + 2) sum += d[i - k] * d[j - k];
    return sum;
}

/* R's full coxlist2$second (p x p) of a fit with pspline() terms and no frailty; NULL: memory. */
static double *full_second(const survkit_frailty_result *fit, size_t p)
{
    size_t cells;
    double *second = sk_mul_size(p, p, &cells) ? sk_calloc_array(cells + 1, sizeof(double)) : NULL;
    if (second == NULL) return NULL;
    const double *ridge = survkit_frailty_result_penalty_second(fit);
    bool *spline_col = sk_calloc_array(p + 1, sizeof(bool));
    if (spline_col == NULL) {
        free(second);
        return NULL;
    }
    for (size_t k = 0; k < survkit_frailty_result_n_pspline(fit); k++) {
        size_t first, m;
        survkit_frailty_result_pspline_columns(fit, k, &first, &m);
        /* the theta the final fit ran with: the search's last row (R's coxlist2 is from that
         * fit, not at the next theta R prints); a fixed theta has no history */
        double theta = survkit_frailty_result_pspline_theta(fit, k), df_last;
        const size_t rows = survkit_frailty_result_pspline_n_history(fit, k);
        if (rows > 0) survkit_frailty_result_pspline_history(fit, k, rows - 1, &theta, &df_last);
        const double lambda = theta <= 0 ? 0 : theta / (1 - theta);
        for (size_t a = 0; a < m; a++) {
            spline_col[first + a] = true;
            for (size_t b = 0; b < m; b++)
                second[(first + a) + (first + b) * p] =
                    lambda * second_difference(m + 1, a + 1, b + 1);
        }
    }
    for (size_t a = 0; ridge != NULL && a < p; a++)
        for (size_t b = 0; !spline_col[a] && ridge[a] != 0 && b < p; b++)
            if (!spline_col[b] && ridge[b] != 0) second[a + b * p] = ridge[a];
    free(spline_col);
    return second;
}

survkit_status survkit_frailty_model_create_frame(const survkit_frailty_result *fit,
                                                  const survkit_frame *frame,
                                                  const char *weights_name,
                                                  survkit_cox_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the model");
    *out = NULL;
    RETURN_ERROR_IF(fit == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a fit and its frame are required");
    RETURN_ERROR_IF(survkit_frailty_result_is_dense(fit), err, SURVKIT_ERR_ARGUMENT,
                    "%s is a dense frailty (sparse = FALSE, or 5 groups or fewer): survkit keeps "
                    "no model of it for predict, residuals or zph (R's cox.zph fails on such a "
                    "fit, and its residuals have a column per group); fit it with sparse = TRUE "
                    "for those", survkit_frailty_result_term(fit));
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
    const bool full = survkit_frailty_result_n_pspline(fit) > 0 && G == 0;
    double *second = full ? full_second(fit, p) : NULL;
    if (full && second == NULL) {
        free(names), free(labels);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox model)");
    }
    sk_model_penalty pen = {.penalised = true,
                            .n_frail = G,
                            .frail_labels = (char **)labels,
                            .frail = (double *)survkit_frailty_result_frail(fit),
                            .frail_term = (char *)term,
                            .frail_pos = survkit_frailty_result_frailty_position(fit),
                            .n_df = survkit_frailty_result_n_df(fit),
                            .df = (double *)survkit_frailty_result_df(fit),
                            .second = full ? second
                                           : (double *)survkit_frailty_result_penalty_second(fit),
                            .n_second = full ? p * p : p};
    const bool counting = survkit_frame_response_kind(frame) == SURVKIT_RESPONSE_COUNTING;
    /* robust (ridge()/pspline() with cluster(), robust or fractional weights): var is R's robust
     * one, and naive_var its naive.var, which R's dfbeta residuals use */
    sk_model_source src = {survkit_frailty_result_ties(fit), counting,
                           survkit_frailty_result_is_robust(fit), survkit_frailty_result_n(fit),
                           p, survkit_frailty_result_n_events(fit),
                           names, survkit_frailty_result_coef(fit),
                           survkit_frailty_result_vcov(fit),
                           survkit_frailty_result_naive_vcov(fit),
                           survkit_frailty_result_means(fit), &pen};
    survkit_status status = sk_cox_model_from_frame(&src, frame, weights_name, out, err);
    free(names), free(labels), free(second);
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
