/* compete_frame.c: the cumulative incidence and Fine-Gray entry points that take a model frame
 * built with survkit_frame_options.states (the status a factor of states). */
#include "compete/compete_internal.h"
#include "formula/formula_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The frame's states as int32 codes (caller frees), or an error naming what is wrong. */
static survkit_status frame_states(const survkit_frame *frame, const char *who, int32_t **out,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(frame == NULL, err, SURVKIT_ERR_ARGUMENT, "%s: no frame", who);
    RETURN_ERROR_IF(survkit_frame_state_label(frame, 0) == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "%s: the frame's status is not a factor of states (build it with "
                    "survkit_frame_options.states)", who);
    const size_t n = survkit_frame_n(frame);
    const double *status = survkit_frame_status(frame);
    int32_t *state = sk_malloc_array(n, sizeof *state);
    RETURN_ERROR_IF(state == NULL, err, SURVKIT_ERR_NOMEM, "%s: out of memory", who);
    for (size_t i = 0; i < n; i++) state[i] = (int32_t)status[i];
    *out = state;
    return SURVKIT_OK;
}

/* One event state (or none) means there is nothing competing: say so, naming the levels. */
static survkit_status need_two_states(const survkit_frame *frame, const char *who,
                                      survkit_error *err)
{
    const size_t K = survkit_frame_n_states(frame);
    if (K >= 2) return SURVKIT_OK;
    return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                        "%s: the status has %s event state%s%s%s besides the censoring level '%s': "
                        "competing risks need two or more (use km or cox for one)", who,
                        K == 0 ? "no" : "one", K == 0 ? "" : " '",
                        K == 0 ? "" : survkit_frame_state_label(frame, 1), K == 0 ? "" : "'",
                        survkit_frame_state_label(frame, 0));
}

survkit_status survkit_cuminc_fit_frame(const survkit_frame *frame, const int32_t *id,
                                        const survkit_cuminc_options *opt, survkit_cuminc **out,
                                        survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "cuminc: no output");
    *out = NULL;
    int32_t *state = NULL;
    RETURN_IF_ERROR(frame_states(frame, "cuminc", &state, err));
    survkit_status status = need_two_states(frame, "cuminc", err);
    const size_t K = survkit_frame_n_states(frame), G = survkit_frame_n_groups(frame);
    const char **state_labels = sk_malloc_array(K + 1, sizeof *state_labels);
    const char **group_labels = sk_malloc_array(G + 1, sizeof *group_labels);
    if (status == SURVKIT_OK && (state_labels == NULL || group_labels == NULL))
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "cuminc: out of memory");
    if (status == SURVKIT_OK && G == 0)
        status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                              "cuminc: the frame was built without groups");
    if (status == SURVKIT_OK) {
        for (size_t s = 0; s < K; s++) state_labels[s] = survkit_frame_state_label(frame, s + 1);
        for (size_t g = 0; g < G; g++) group_labels[g] = survkit_frame_group_label(frame, g);
        survkit_cuminc_data d = {survkit_frame_n(frame), survkit_frame_start(frame),
                                 survkit_frame_time(frame), state, K, state_labels,
                                 survkit_frame_weights(frame), id, survkit_frame_groups(frame), G,
                                 group_labels, survkit_frame_strata(frame),
                                 survkit_frame_n_strata(frame)};
        status = survkit_cuminc_fit(&d, opt, out, err);
    }
    free(state);
    free(state_labels);
    free(group_labels);
    return status;
}

survkit_status survkit_finegray_fit_frame(const survkit_frame *frame, const char *cause,
                                          const survkit_finegray_options *opt,
                                          survkit_finegray **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "finegray: no output");
    *out = NULL;
    int32_t *state = NULL;
    RETURN_IF_ERROR(frame_states(frame, "finegray", &state, err));
    survkit_status status = need_two_states(frame, "finegray", err);
    const size_t K = survkit_frame_n_states(frame), p = survkit_frame_p(frame);
    int32_t code = 0;
    for (size_t s = 1; s <= K && cause != NULL; s++)
        if (strcmp(survkit_frame_state_label(frame, s), cause) == 0) code = (int32_t)s;
    if (status == SURVKIT_OK && cause == NULL)
        status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                              "finegray: --cause LEVEL is required (the event of interest)");
    if (status == SURVKIT_OK && code == 0) {
        bool is_censor = strcmp(survkit_frame_state_label(frame, 0), cause) == 0;
        char levels[512] = "";
        for (size_t s = 1; s <= K; s++) {
            size_t used = strlen(levels);
            snprintf(levels + used, sizeof levels - used, "%s'%s'", s > 1 ? ", " : "",
                     survkit_frame_state_label(frame, s));
        }
        status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                              is_censor ? "finegray: --cause '%s' is the censoring level; the event "
                                          "states are %s"
                                        : "finegray: --cause '%s' is not a level of the status; the "
                                          "event states are %s",
                              cause, levels);
    }
    if (status == SURVKIT_OK && (survkit_frame_n_strata(frame) > 0 ||
                                 survkit_frame_cluster(frame) != NULL ||
                                 survkit_frame_offset(frame) != NULL))
        status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                              "finegray: strata(), cluster() and offset() are not part of crr's "
                              "model");
    if (status == SURVKIT_OK && survkit_frame_response_kind(frame) != SURVKIT_RESPONSE_RIGHT)
        status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                              "finegray: right-censored data only, Surv(time, event), as crr");
    const char **names = sk_malloc_array(p + 1, sizeof *names);
    if (status == SURVKIT_OK && names == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    if (status == SURVKIT_OK) {
        for (size_t j = 0; j < p; j++) names[j] = survkit_frame_column_name(frame, j);
        status = survkit_finegray_fit(survkit_frame_n(frame), survkit_frame_time(frame), state,
                                      code, p, survkit_frame_x(frame), names,
                                      survkit_frame_weights(frame), opt, out, err);
    }
    free(names);
    free(state);
    return status;
}

survkit_status sk_fg_predict_like(const char *formula, const struct sk_variable_spec *specs,
                                  size_t nv, const double *coef, size_t p, const double *bfitj,
                                  size_t K, const survkit_table *newdata, size_t *m, size_t **rows,
                                  double **cif, survkit_error *err)
{
    *m = 0;
    *rows = NULL;
    *cif = NULL;
    /* the right-hand side alone ("~ ..."): new rows need no response, and a status coded as
     * states would not pass the ordinary response coding */
    const char *rhs = formula;
    for (char quote = 0; *rhs && (quote || *rhs != '~'); rhs++)
        if (*rhs == '"' || *rhs == '\'' || *rhs == '`') quote = quote == *rhs ? 0 : (quote ? quote : *rhs);
    survkit_frame *f = NULL;
    bool has_response = false;
    survkit_status status = sk_frame_build_like(rhs, specs, nv, NULL, 0, newdata, &f,
                                                &has_response, err);
    if (status != SURVKIT_OK) return status;
    if (survkit_frame_p(f) != p) {
        status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                              "finegray: the new data give %zu covariate columns, the model has %zu",
                              survkit_frame_p(f), p);
        survkit_frame_free(f);
        return status;
    }
    const size_t n = survkit_frame_n(f);
    *rows = sk_malloc_array(n + 1, sizeof **rows);
    *cif = sk_malloc_array(n * K + 1, sizeof **cif);
    if (*rows == NULL || *cif == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    if (status == SURVKIT_OK) {
        memcpy(*rows, survkit_frame_row_index(f), n * sizeof **rows);
        status = sk_fg_predict_rows(coef, p, bfitj, K, n, survkit_frame_x(f), *cif, err);
    }
    survkit_frame_free(f);
    if (status != SURVKIT_OK) {
        free(*rows), free(*cif);
        *rows = NULL, *cif = NULL;
        return status;
    }
    *m = n;
    return SURVKIT_OK;
}

survkit_status survkit_finegray_predict_table(const survkit_finegray *fit,
                                              const survkit_frame *fit_frame,
                                              const survkit_table *newdata, size_t *m,
                                              size_t **rows, double **cif, survkit_error *err)
{
    RETURN_ERROR_IF(!fit || !fit_frame || !newdata || !m || !rows || !cif, err,
                    SURVKIT_ERR_ARGUMENT, "finegray: predict needs a fit, its frame and new data");
    survkit_finegray_model *model = NULL;
    RETURN_IF_ERROR(survkit_finegray_model_create(fit, fit_frame, "", &model, err));
    survkit_status status = survkit_finegray_model_predict_table(model, newdata, m, rows, cif, err);
    survkit_finegray_model_free(model);
    return status;
}
