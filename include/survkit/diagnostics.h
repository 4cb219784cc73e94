/*
 * survkit/diagnostics.h: what follows a Cox fit, with numbers equal to R's survival package:
 * the proportional-hazards test (cox.zph), residuals (residuals.coxph), the baseline hazard
 * (basehaz), predictions for new rows (predict.coxph, survfit.coxph with newdata), and saved models.
 *
 * A survkit_cox_model is a fitted Cox model together with what these need and nothing of the data:
 * coefficients, variances, centring, terms, strata, factor levels (to code new data) and the
 * baseline hazard per stratum. It is made from a fit and the data the fit saw, written to and read
 * from a versioned JSON text ("format": "survkit-model", "version": 1). Residuals and cox.zph need
 * the data again: they take the model and the same data, and never refit.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_DIAGNOSTICS_H
#define SURVKIT_DIAGNOSTICS_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the saved-model format this library writes and reads. */
#define SURVKIT_MODEL_FORMAT_VERSION 1

/* Which coefficients form a term: column_term[p] in 0..n_terms-1, names[n_terms]. */
typedef struct survkit_cox_terms {
    size_t n_terms;
    const size_t *column_term;
    const char *const *names;
} survkit_cox_terms;

typedef struct survkit_cox_model_s survkit_cox_model;

/*
 * A model from a fit and the arrays it was fitted on.
 * Inputs: fit; data, the survkit_cox_data given to survkit_cox_fit_arrays; terms (NULL: one term per
 * coefficient, named after it).
 * Output: *out (free with survkit_cox_model_free). Computes the baseline hazard (one pass).
 */
SURVKIT_API survkit_status survkit_cox_model_create(const survkit_cox_result *fit,
                                                   const survkit_cox_data *data,
                                                   const survkit_cox_terms *terms,
                                                   survkit_cox_model **out, survkit_error *err);
/* The same from a fit of a frame; also keeps the formula, the weights column name (or NULL) and
 * the factor levels, so that the model can code new data (survkit_cox_predict_table). */
SURVKIT_API survkit_status survkit_cox_model_create_frame(const survkit_cox_result *fit,
                                                         const survkit_frame *frame,
                                                         const char *weights_name,
                                                         survkit_cox_model **out,
                                                         survkit_error *err);

/* What a model made from a fit holds. */
typedef enum survkit_cox_model_parts {
    SURVKIT_MODEL_WHOLE = 0,       /* everything, the baseline hazard included */
    SURVKIT_MODEL_NO_BASELINE = 1  /* all but the baseline hazard: enough for residuals and
                                    * cox.zph, which never read it, and predict's lp and risk.
                                    * Computing it is an evaluation of the model over the data (a
                                    * third of a fit's time), which this skips. Survival curves and
                                    * expected events (predict with times or follow-up), basehaz
                                    * and survkit_cox_model_to_json refuse such a model. */
} survkit_cox_model_parts;

/* survkit_cox_model_create_frame with a choice of parts (survkit_cox_model_create_frame is the
 * SURVKIT_MODEL_WHOLE case). Any other `parts` value gives SURVKIT_ERR_ARGUMENT. */
SURVKIT_API survkit_status survkit_cox_model_create_frame_parts(const survkit_cox_result *fit,
                                                               const survkit_frame *frame,
                                                               const char *weights_name,
                                                               survkit_cox_model_parts parts,
                                                               survkit_cox_model **out,
                                                               survkit_error *err);
/* Does the model hold its baseline hazard (false only for SURVKIT_MODEL_NO_BASELINE)? */
SURVKIT_API bool survkit_cox_model_has_baseline(const survkit_cox_model *m);
SURVKIT_API void survkit_cox_model_free(survkit_cox_model *m);

/* The model as JSON text (malloc'd, NUL-terminated; free it), or NULL when memory fails or the
 * model has no baseline hazard (survkit_cox_model_has_baseline). */
SURVKIT_API char *survkit_cox_model_to_json(const survkit_cox_model *m);
/*
 * Read a model written by survkit_cox_model_to_json. Malformed JSON gives SURVKIT_ERR_PARSE with the
 * line and column; another format or version, or missing or inconsistent members,
 * SURVKIT_ERR_PARSE with a message naming the member. `source` names the text in errors (or NULL).
 */
SURVKIT_API survkit_status survkit_cox_model_from_json(const char *text, size_t length,
                                                       const char *source,
                                                       survkit_cox_model **out,
                                                       survkit_error *err);

/* Getters. The formula and weights name are NULL for models made from arrays. */
SURVKIT_API const char *survkit_cox_model_formula(const survkit_cox_model *m);
SURVKIT_API const char *survkit_cox_model_weights_name(const survkit_cox_model *m);
/* 1 when the model's data went through R's timefix (see survkit_frame_options), else 0: code new
 * data for its residuals or cox.zph the same way. */
SURVKIT_API int survkit_cox_model_timefix(const survkit_cox_model *m);
/* The order the model's data's string levels were sorted in (survkit_frame_options.collate): code
 * the data for its residuals or cox.zph the same way. */
SURVKIT_API survkit_collate survkit_cox_model_collate(const survkit_cox_model *m);
SURVKIT_API survkit_cox_ties survkit_cox_model_ties(const survkit_cox_model *m);
SURVKIT_API size_t survkit_cox_model_p(const survkit_cox_model *m);
SURVKIT_API const char *survkit_cox_model_name(const survkit_cox_model *m, size_t j);
SURVKIT_API const double *survkit_cox_model_coef(const survkit_cox_model *m);
SURVKIT_API const double *survkit_cox_model_means(const survkit_cox_model *m);
SURVKIT_API size_t survkit_cox_model_n_strata(const survkit_cox_model *m); /* 1 when none */
SURVKIT_API const char *survkit_cox_model_strata_label(const survkit_cox_model *m, size_t k);
SURVKIT_API bool survkit_cox_model_has_strata(const survkit_cox_model *m);
/* A penalised model (survkit_frailty_model_create_frame): its frailty groups (0 without a
 * frailty() term), their values as text, R's fit$frail, and the term ("frailty(la)" or NULL). Its
 * data must carry the same groups (survkit_cox_data.frailty). */
SURVKIT_API bool survkit_cox_model_is_penalised(const survkit_cox_model *m);
SURVKIT_API size_t survkit_cox_model_n_frailty(const survkit_cox_model *m);
SURVKIT_API const char *survkit_cox_model_frailty_label(const survkit_cox_model *m, size_t g);
SURVKIT_API const double *survkit_cox_model_frailty(const survkit_cox_model *m);
SURVKIT_API const char *survkit_cox_model_frailty_term(const survkit_cox_model *m);

/* ------------------------------------------------------------------ cox.zph */

typedef enum survkit_zph_transform {
    SURVKIT_ZPH_KM = 0,     /* 1 - left-continuous Kaplan-Meier of all rows (R's default) */
    SURVKIT_ZPH_RANK = 1,   /* rank of the time among all rows */
    SURVKIT_ZPH_IDENTITY = 2,
    SURVKIT_ZPH_LOG = 3
} survkit_zph_transform;

/* "km", "rank", "identity", "log"; parse returns SURVKIT_ERR_ARGUMENT for another name. */
SURVKIT_API const char *survkit_zph_transform_name(survkit_zph_transform t);
SURVKIT_API survkit_status survkit_zph_transform_parse(const char *name, survkit_zph_transform *out,
                                                       survkit_error *err);

typedef struct survkit_zph_s survkit_zph;

/*
 * R's cox.zph (survival >= 3): per term, the score test of the coefficients times g(t) (g the
 * transformed event time, centred on its mean over the events) with the full 2p x 2p information
 * matrix, then GLOBAL; and the scaled Schoenfeld residuals per term for plotting.
 * Inputs: model; data, the rows the model was fitted on (same order). Output: *out.
 */
SURVKIT_API survkit_status survkit_cox_zph(const survkit_cox_model *model,
                                           const survkit_cox_data *data,
                                           survkit_zph_transform transform, survkit_zph **out,
                                           survkit_error *err);
SURVKIT_API void survkit_zph_free(survkit_zph *z);
SURVKIT_API survkit_zph_transform survkit_zph_transform_used(const survkit_zph *z);
/* Rows of the table: one per term (aliased coefficients dropped), then "GLOBAL". */
SURVKIT_API size_t survkit_zph_n_rows(const survkit_zph *z);
SURVKIT_API const char *survkit_zph_row_name(const survkit_zph *z, size_t k);
SURVKIT_API double survkit_zph_chisq(const survkit_zph *z, size_t k);
SURVKIT_API double survkit_zph_df(const survkit_zph *z, size_t k);
SURVKIT_API double survkit_zph_p(const survkit_zph *z, size_t k);
/* Residuals: one row per event in R's order (stratum, time), one column per term (n_rows - 1). */
SURVKIT_API size_t survkit_zph_n_events(const survkit_zph *z);
SURVKIT_API const double *survkit_zph_time(const survkit_zph *z);      /* event times */
SURVKIT_API const double *survkit_zph_x(const survkit_zph *z);         /* transformed times */
SURVKIT_API const int32_t *survkit_zph_strata(const survkit_zph *z);   /* NULL without strata */
SURVKIT_API const double *survkit_zph_resid(const survkit_zph *z);     /* n_events x terms, NaN=NA */
SURVKIT_API const double *survkit_zph_var(const survkit_zph *z);       /* terms x terms, R's $var */

/*
 * The smooth of R's plot.cox.zph through the scaled Schoenfeld residuals of term `term`
 * (0 .. n_rows - 2): their least-squares fit on the natural cubic splines ns(x, df, intercept =
 * TRUE) of the transformed time (rows with NA residuals left out; knots from the grid and every
 * event), evaluated at n_grid equally spaced transformed times over the events' range, with the
 * band yhat -/+ 2 sqrt(var[term, term] seval). R's defaults: df = 4, n_grid = nsmo = 40.
 * Outputs (n_grid each, caller-owned): grid (transformed times), fit, lower, upper.
 * Errors: SURVKIT_ERR_NUMERIC "spline fit is singular, variable k skipped" (R's warning, when the
 * basis has rank < df on the term's rows), SURVKIT_ERR_ARGUMENT, SURVKIT_ERR_NOMEM.
 */
SURVKIT_API survkit_status survkit_zph_smooth(const survkit_zph *z, size_t term, size_t df,
                                              size_t n_grid, double *grid, double *fit,
                                              double *lower, double *upper, survkit_error *err);

/* ------------------------------------------------------------------ residuals */

typedef enum survkit_residual_type {
    SURVKIT_RESID_MARTINGALE = 0,
    SURVKIT_RESID_DEVIANCE,
    SURVKIT_RESID_SCORE,
    SURVKIT_RESID_SCHOENFELD,
    SURVKIT_RESID_SCALEDSCH,
    SURVKIT_RESID_DFBETA,
    SURVKIT_RESID_DFBETAS
} survkit_residual_type;

SURVKIT_API const char *survkit_residual_type_name(survkit_residual_type t);
SURVKIT_API survkit_status survkit_residual_type_parse(const char *name, survkit_residual_type *out,
                                                       survkit_error *err);

typedef struct survkit_residuals_s survkit_residuals;

/*
 * R's residuals(fit, type) with R's defaults (dfbeta and dfbetas weighted, the others not).
 * Inputs: model; data, the rows it was fitted on; collapse[n] group codes 0..n_groups-1 to sum
 * the rows within groups (R's collapse = ), or NULL. Schoenfeld types have one row per event, in
 * R's order, and cannot be collapsed. Output: *out.
 */
SURVKIT_API survkit_status survkit_cox_residuals(const survkit_cox_model *model,
                                                 const survkit_cox_data *data,
                                                 survkit_residual_type type,
                                                 const int32_t *collapse, size_t n_groups,
                                                 survkit_residuals **out, survkit_error *err);
SURVKIT_API void survkit_residuals_free(survkit_residuals *r);
/* rows x cols values, column-major; cols is 1 for martingale and deviance, p otherwise. */
SURVKIT_API size_t survkit_residuals_rows(const survkit_residuals *r);
SURVKIT_API size_t survkit_residuals_cols(const survkit_residuals *r);
SURVKIT_API const double *survkit_residuals_values(const survkit_residuals *r);
/* Per row: the data row (0-based), the collapse group, or for Schoenfeld types the event's row. */
SURVKIT_API const size_t *survkit_residuals_row_id(const survkit_residuals *r);
/* Schoenfeld types: the event time of each row (NULL otherwise). */
SURVKIT_API const double *survkit_residuals_time(const survkit_residuals *r);

/* ------------------------------------------------------------------ baseline hazard */

typedef struct survkit_basehaz_s survkit_basehaz;

/*
 * R's basehaz(fit, centered): the cumulative hazard at every distinct time of each stratum, for a
 * subject at the means (centered) or with all covariates zero (not centered).
 */
SURVKIT_API survkit_status survkit_cox_basehaz(const survkit_cox_model *model, bool centered,
                                               survkit_basehaz **out, survkit_error *err);
SURVKIT_API void survkit_basehaz_free(survkit_basehaz *b);
SURVKIT_API size_t survkit_basehaz_rows(const survkit_basehaz *b);
SURVKIT_API const double *survkit_basehaz_time(const survkit_basehaz *b);
SURVKIT_API const double *survkit_basehaz_hazard(const survkit_basehaz *b);
SURVKIT_API const int32_t *survkit_basehaz_stratum(const survkit_basehaz *b); /* codes per row */

/* ------------------------------------------------------------------ prediction */

typedef enum survkit_reference {
    SURVKIT_REFERENCE_STRATA = 0, /* R's default: per-stratum weighted means when stratified */
    SURVKIT_REFERENCE_SAMPLE = 1, /* the model's means */
    SURVKIT_REFERENCE_ZERO = 2
} survkit_reference;

/* New rows: covariates as the model codes them. Arrays have n entries unless said. */
typedef struct survkit_cox_newdata {
    size_t n;
    const double *x;          /* n x p, column-major, the model's columns */
    const double *offset;     /* or NULL */
    const int32_t *strata;    /* the model's stratum codes, -1 when missing, or NULL (required
                                 when stratified) */
    const double *time;       /* follow-up times, for the expected number of events, or NULL */
    const double *start;      /* counting-process start times, or NULL */
} survkit_cox_newdata;

typedef struct survkit_prediction_s survkit_prediction;

/*
 * predict.coxph (lp, risk, and expected when times are given) and survfit.coxph(newdata): the
 * survival probability of each new row at times[n_times], with its standard error and confidence
 * limits (log transform) at conf_level; the hazard follows the model's ties (Efron-adjusted for
 * Efron fits) and the variance includes the coefficients' uncertainty, as R's. A row with a
 * missing (NaN) covariate or offset, or stratum -1, has NaN for every output (R's predict with
 * na.pass; survfit.coxph leaves such rows out, so their survival is NaN too); a NaN time gives a
 * NaN expected count. A model made without its baseline hazard (SURVKIT_MODEL_NO_BASELINE) gives lp
 * and risk, and refuses times or new rows with follow-up times (SURVKIT_ERR_ARGUMENT), as
 * survkit_cox_basehaz refuses it.
 */
SURVKIT_API survkit_status survkit_cox_predict(const survkit_cox_model *model,
                                               const survkit_cox_newdata *newdata,
                                               survkit_reference reference, const double *times,
                                               size_t n_times, double conf_level,
                                               survkit_prediction **out, survkit_error *err);
/* The same for rows of a table, coded with the model's formula and factor levels: one result per
 * table row, in order. A row with a missing covariate, stratum or offset keeps its place with NaN
 * results and stratum -1, as R's predict.coxph (na.action = na.pass) gives NA; a missing
 * response leaves only the expected count NaN. */
SURVKIT_API survkit_status survkit_cox_predict_table(const survkit_cox_model *model,
                                                     const survkit_table *newdata,
                                                     survkit_reference reference,
                                                     const double *times, size_t n_times,
                                                     double conf_level, survkit_prediction **out,
                                                     survkit_error *err);
SURVKIT_API void survkit_prediction_free(survkit_prediction *pr);
SURVKIT_API size_t survkit_prediction_n(const survkit_prediction *pr);
SURVKIT_API const size_t *survkit_prediction_row_index(const survkit_prediction *pr);
SURVKIT_API const int32_t *survkit_prediction_stratum(const survkit_prediction *pr); /* -1: NA */
SURVKIT_API const double *survkit_prediction_lp(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_lp_se(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_risk(const survkit_prediction *pr);
/* Expected events up to each row's time (NULL when the new rows have no times). */
SURVKIT_API const double *survkit_prediction_expected(const survkit_prediction *pr);
/* n x n_times, column-major (row i, time t at [i + t*n]). */
SURVKIT_API size_t survkit_prediction_n_times(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_times(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_surv(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_std_err(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_lower(const survkit_prediction *pr);
SURVKIT_API const double *survkit_prediction_upper(const survkit_prediction *pr);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_DIAGNOSTICS_H */
