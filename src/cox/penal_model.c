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
 *
 * A dense frailty (R's sparse = FALSE, its default for 5 groups or fewer) is, for R's methods, a
 * penalised fit whose covariates are X's p columns plus one 0/1 column per group (named
 * gamma:<group> or gauss:<group>), with the full (p + G) coefficients, var and means (0 for the
 * 0/1 columns, as coxpenal.fit leaves them uncentred): the model is that one, and its data get the
 * group columns from their frailty codes (sk_cox_data_dense). Its residuals then have a column per
 * group and new rows their group's coefficient (R's xlevels code them), as R's.
 */
#include "cox/diag_internal.h"
#include "cox/penal_internal.h"

#include <stdio.h>

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

survkit_status sk_cox_data_dense(const sk_model_penalty *pen, size_t p_model,
                                 const survkit_cox_data *d, survkit_cox_data *out,
                                 double **x_owned, survkit_error *err)
{
    *out = *d;
    *x_owned = NULL;
    if (!pen->dense || (d->p == p_model && d->frailty == NULL)) return SURVKIT_OK;
    const size_t G = pen->n_frail;
    RETURN_ERROR_IF(d->frailty == NULL || d->n_frailty != G || d->p + G != p_model, err,
                    SURVKIT_ERR_ARGUMENT,
                    "the data do not match the dense frailty model (%s, %zu groups): it needs "
                    "the %zu covariate columns and the groups of the data it was fitted on",
                    pen->frail_term, G, p_model - G);
    for (size_t i = 0; i < d->n; i++)
        RETURN_ERROR_IF(d->frailty[i] < 0 || (size_t)d->frailty[i] >= G, err,
                        SURVKIT_ERR_ARGUMENT, "row %zu: frailty group code out of range", i + 1);
    RETURN_IF_ERROR(sk_frailty_dense_columns(d->x, d->n, d->p, d->frailty, G, pen->dense_col,
                                             x_owned, err));
    out->x = *x_owned;
    out->p = p_model;
    out->names = NULL;
    out->frailty = NULL;
    out->n_frailty = 0;
    return SURVKIT_OK;
}

/* The model of a dense frailty fit: R's coefficients, var and means over X and the group
 * columns, the groups' columns named as R's (gamma:<group>, gauss:<group>). */
static survkit_status dense_model(const survkit_frailty_result *fit, const survkit_frame *frame,
                                  const char *weights_name, survkit_cox_model_parts parts,
                                  sk_model_penalty *pen, survkit_cox_model **out,
                                  survkit_error *err)
{
    const size_t p = survkit_frailty_result_p(fit), G = pen->n_frail, pf = p + G;
    const size_t at = survkit_frailty_result_frailty_row(fit);
    const char *prefix = survkit_frailty_result_distribution(fit) == SURVKIT_FRAILTY_GAUSSIAN
                             ? "gauss" : "gamma";
    const char **names = sk_calloc_array(pf + 1, sizeof(char *));
    char *text = NULL;
    size_t width = 8;
    for (size_t g = 0; g < G; g++) width += strlen(pen->frail_labels[g]) + 8;
    text = sk_malloc_array(width, sizeof(char));
    double *coef = sk_malloc_array(pf + 1, sizeof(double));
    double *means = sk_calloc_array(pf + 1, sizeof(double));
    if (names == NULL || text == NULL || coef == NULL || means == NULL) {
        free(names), free(text), free(coef), free(means);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox model)");
    }
    const double *b = survkit_frailty_result_coef(fit), *xm = survkit_frailty_result_means(fit);
    for (size_t j = 0; j < p; j++) { /* covariate j is R's column j or j + G */
        const size_t c = j < at ? j : j + G;
        names[c] = survkit_frailty_result_name(fit, j);
        coef[c] = b[j];
        means[c] = xm[j];
    }
    char *cursor = text;
    for (size_t g = 0; g < G; g++) {
        const int len = snprintf(cursor, width - (size_t)(cursor - text), "%s:%s", prefix,
                                 pen->frail_labels[g]);
        names[at + g] = cursor;
        coef[at + g] = pen->frail[g];
        cursor += len + 1;
    }
    pen->dense = true;
    pen->dense_col = at;
    pen->second = NULL; /* R's coxlist2 is for cox.zph alone, which fails on a dense fit */
    pen->n_second = 0;
    /* robust (cluster(), robust = TRUE, fractional weights): var is R's robust one over every
     * column, naive_var its naive.var, which R's dfbeta residuals use */
    sk_model_source src = {survkit_frailty_result_ties(fit),
                           survkit_frame_response_kind(frame) == SURVKIT_RESPONSE_COUNTING,
                           survkit_frailty_result_is_robust(fit), survkit_frailty_result_n(fit),
                           pf, survkit_frailty_result_n_events(fit), names, coef,
                           survkit_frailty_result_dense_vcov(fit),
                           survkit_frailty_result_dense_naive_vcov(fit), means, pen};
    survkit_status status = sk_cox_model_from_frame(&src, frame, weights_name, parts, out, err);
    free(names), free(text), free(coef), free(means);
    return status;
}

survkit_status survkit_frailty_model_create_frame(const survkit_frailty_result *fit,
                                                  const survkit_frame *frame,
                                                  const char *weights_name,
                                                  survkit_cox_model **out, survkit_error *err)
{
    return survkit_frailty_model_create_frame_parts(fit, frame, weights_name, SURVKIT_MODEL_WHOLE,
                                                    out, err);
}

survkit_status survkit_frailty_model_create_frame_parts(const survkit_frailty_result *fit,
                                                        const survkit_frame *frame,
                                                        const char *weights_name,
                                                        survkit_cox_model_parts parts,
                                                        survkit_cox_model **out,
                                                        survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the model");
    *out = NULL;
    RETURN_IF_ERROR(sk_cox_model_parts_check(parts, err));
    RETURN_ERROR_IF(fit == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a fit and its frame are required");
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
    if (survkit_frailty_result_is_dense(fit)) {
        survkit_status status = dense_model(fit, frame, weights_name, parts, &pen, out, err);
        free(names), free(labels), free(second);
        return status;
    }
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
    survkit_status status = sk_cox_model_from_frame(&src, frame, weights_name, parts, out, err);
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
