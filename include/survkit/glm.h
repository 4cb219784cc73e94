/*
 * survkit/glm.h: binomial generalised linear models whose numbers equal R's glm() and summary.glm.
 *
 * family = binomial with the logit, probit or cloglog link; a 0/1 response; prior (case) weights;
 * an offset; cluster-robust standard errors. The fit is R's glm.fit iteration by iteration:
 * starting values mustart = (w y + 0.5)/(w + 1), iteratively reweighted least squares with R's
 * column pivoting of aliased columns (LINPACK dqrdc2's rule: a column whose remaining norm falls
 * below 1e-11 of its original norm is moved to the end and gets an NA coefficient), step halving
 * when the deviance is not finite, and R's stopping rule |dev - dev_old|/(|dev| + 0.1) < epsilon
 * (1e-8) within 25 iterations. R's warnings ("glm.fit: algorithm did not converge", "glm.fit:
 * fitted probabilities numerically 0 or 1 occurred", "non-integer #successes in a binomial glm!")
 * are reported in the result, never as failures.
 *
 * Fit from a model frame built with a plain response (survkit_frame_options.response =
 * SURVKIT_RESPONSE_BINARY) or from arrays. The result is opaque, with getters; arrays it returns
 * are owned by it. No global state: fits may run on several threads at once.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_GLM_H
#define SURVKIT_GLM_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum survkit_glm_link {
    SURVKIT_GLM_LOGIT = 0,   /* log(mu / (1 - mu)) */
    SURVKIT_GLM_PROBIT = 1,  /* qnorm(mu) */
    SURVKIT_GLM_CLOGLOG = 2  /* log(-log(1 - mu)) */
} survkit_glm_link;

/* How each iteration's weighted least squares is solved. */
typedef enum survkit_glm_solver {
    /* QR below 100,000 rows; above, the Cholesky path, which falls back to QR on its own when a
     * column comes near aliasing (default). */
    SURVKIT_GLM_SOLVER_AUTO = 0,
    /* Householder QR of sqrt(w) X (LAPACK), R's pivoting rule: R's own computation. */
    SURVKIT_GLM_SOLVER_QR = 1,
    /* Normal equations X'WX accumulated in row blocks and a Cholesky factor: one read of X per
     * iteration. Falls back to QR when a pivot of the factor is below 1e-7 of its column's norm
     * (where the normal equations could decide aliasing differently from R's QR). */
    SURVKIT_GLM_SOLVER_CHOLESKY = 2
} survkit_glm_solver;

/* Options of a fit. Initialise with survkit_glm_options_init(), then change fields. */
typedef struct survkit_glm_options {
    survkit_glm_link link;        /* default SURVKIT_GLM_LOGIT */
    double epsilon;               /* glm.control's epsilon (default 1e-8) */
    int maxit;                    /* glm.control's maxit (default 25) */
    survkit_glm_solver solver;    /* default SURVKIT_GLM_SOLVER_AUTO */
    survkit_progress_fn progress; /* optional: stage "fit", done = iteration, value = deviance */
    void *progress_user;
} survkit_glm_options;

SURVKIT_API void survkit_glm_options_init(survkit_glm_options *opt);

/* The data of a fit held in memory; every array has n entries unless said. No missing values. */
typedef struct survkit_glm_data {
    size_t n, p;
    const double *y;            /* response, each 0 or 1 */
    const double *x;            /* n x p model matrix, column-major, WITH R's intercept column
                                   (a column of ones named "(Intercept)") when the model has one */
    const char *const *names;   /* p column names, or NULL ("x1", "x2", ...) */
    bool intercept;             /* the model has an intercept (R's null deviance depends on it) */
    const double *weights;      /* prior weights >= 0, or NULL (all 1) */
    const double *offset;       /* offset of the linear predictor, or NULL */
    const int32_t *cluster;     /* codes 0..n_clusters-1 for robust standard errors, or NULL */
    size_t n_clusters;
} survkit_glm_data;

typedef struct survkit_glm_result_s survkit_glm_result;

/*
 * Fit a binomial GLM.
 * Inputs: `data` as documented above, `opt` (NULL for the defaults).
 * Output: *out, to release with survkit_glm_result_free (NULL on failure). Errors: a response
 * outside [0, 1] ("y values must be 0 <= y <= 1"), a negative or non-finite weight, a non-finite
 * x or offset (SURVKIT_ERR_DOMAIN, err->line the 1-based row); starting values or a step that R's
 * glm.fit cannot recover from (its messages, SURVKIT_ERR_NUMERIC).
 */
SURVKIT_API survkit_status survkit_glm_fit_arrays(const survkit_glm_data *data,
                                                  const survkit_glm_options *opt,
                                                  survkit_glm_result **out, survkit_error *err);

/* Fit the model of a frame built with response = SURVKIT_RESPONSE_BINARY: X gets R's
 * "(Intercept)" column first; weights, offset() and cluster() come from the frame. Errors name
 * the data line (table row + 2). */
SURVKIT_API survkit_status survkit_glm_fit_frame(const survkit_frame *frame,
                                                 const survkit_glm_options *opt,
                                                 survkit_glm_result **out, survkit_error *err);

SURVKIT_API void survkit_glm_result_free(survkit_glm_result *r);

SURVKIT_API const char *survkit_glm_link_name(survkit_glm_link link); /* "logit", ... */
SURVKIT_API survkit_glm_link survkit_glm_result_link(const survkit_glm_result *r);

/* Rows used (n), coefficients (p, including aliased ones), the rank, and a coefficient's name. */
SURVKIT_API size_t survkit_glm_result_n(const survkit_glm_result *r);
SURVKIT_API size_t survkit_glm_result_p(const survkit_glm_result *r);
SURVKIT_API size_t survkit_glm_result_rank(const survkit_glm_result *r);
SURVKIT_API const char *survkit_glm_result_name(const survkit_glm_result *r, size_t j);

/* Per coefficient (arrays of p), as summary.glm: estimate (NaN = R's NA when aliased), the
 * model-based standard error, z value and Pr(>|z|) = 2 pnorm(-|z|) (z and p from the robust
 * standard error when the fit has clusters). */
SURVKIT_API const double *survkit_glm_result_coef(const survkit_glm_result *r);
SURVKIT_API const double *survkit_glm_result_se(const survkit_glm_result *r);
SURVKIT_API const double *survkit_glm_result_z(const survkit_glm_result *r);
SURVKIT_API const double *survkit_glm_result_pvalue(const survkit_glm_result *r);
/* Cluster-robust standard errors, or NULL without clusters: R's sandwich::vcovCL(fit, cluster,
 * type = "HC0", cadjust = FALSE), i.e. B M B with B the model-based vcov and M the sum over
 * clusters of u_c u_c', u_c the cluster's sum of x_i (y_i - mu_i) / mu.eta(eta_i) * w_i (working
 * residual times working weight). */
SURVKIT_API const double *survkit_glm_result_robust_se(const survkit_glm_result *r);
/* vcov(fit, complete = TRUE): p x p, NaN rows and columns for aliased coefficients; the robust
 * one when the fit has clusters (then naive_vcov is the model-based one; else naive_vcov is NULL). */
SURVKIT_API const double *survkit_glm_result_vcov(const survkit_glm_result *r);
SURVKIT_API const double *survkit_glm_result_naive_vcov(const survkit_glm_result *r);
SURVKIT_API bool survkit_glm_result_is_robust(const survkit_glm_result *r);
SURVKIT_API size_t survkit_glm_result_n_clusters(const survkit_glm_result *r);

/* Deviance, null deviance (from a refit with the intercept alone when there is an offset, as
 * glm() does), their degrees of freedom, AIC; iterations (fit$iter) and convergence. */
SURVKIT_API double survkit_glm_result_deviance(const survkit_glm_result *r);
SURVKIT_API double survkit_glm_result_null_deviance(const survkit_glm_result *r);
SURVKIT_API double survkit_glm_result_df_residual(const survkit_glm_result *r);
SURVKIT_API double survkit_glm_result_df_null(const survkit_glm_result *r);
SURVKIT_API double survkit_glm_result_aic(const survkit_glm_result *r);
SURVKIT_API int survkit_glm_result_iterations(const survkit_glm_result *r);
SURVKIT_API bool survkit_glm_result_converged(const survkit_glm_result *r);
SURVKIT_API bool survkit_glm_result_boundary(const survkit_glm_result *r);
/* Which solver the fit used in the end (QR or Cholesky). */
SURVKIT_API survkit_glm_solver survkit_glm_result_solver(const survkit_glm_result *r);

/* Per row (n, input order): fitted probabilities (fit$fitted.values), linear predictor
 * (fit$linear.predictors, offset included), deviance residuals (residuals(fit, "deviance")). */
SURVKIT_API const double *survkit_glm_result_fitted(const survkit_glm_result *r);
SURVKIT_API const double *survkit_glm_result_linear_predictor(const survkit_glm_result *r);
SURVKIT_API const double *survkit_glm_result_deviance_residuals(const survkit_glm_result *r);

/* Warnings in R's words, in the order R gives them. */
SURVKIT_API size_t survkit_glm_result_n_warnings(const survkit_glm_result *r);
SURVKIT_API const char *survkit_glm_result_warning(const survkit_glm_result *r, size_t k);

/*
 * Predict for new rows: x_new is m x p (same columns as the fit, intercept included), offset_new
 * m values or NULL. Outputs (m each, caller-owned; either may be NULL): the linear predictor
 * (aliased coefficients count as 0, as R's predict.glm) and the probability (inverse link).
 * se_link (m or NULL): standard error of the linear predictor, sqrt(x' V x) with the fit's vcov.
 */
SURVKIT_API survkit_status survkit_glm_result_predict(const survkit_glm_result *r, const double *x_new,
                                                      size_t m, const double *offset_new,
                                                      double *lp, double *prob, double *se_link,
                                                      survkit_error *err);

/*
 * A fitted model kept for new data (R's predict.glm): the formula, link, coefficients, covariance
 * and each variable's kind and factor levels, saved as JSON (format "survkit-glm", version 1).
 */
typedef struct survkit_glm_model_s survkit_glm_model;

/* From a fit of survkit_glm_fit_frame and its frame. */
SURVKIT_API survkit_status survkit_glm_model_create(const survkit_glm_result *fit,
                                                    const survkit_frame *frame,
                                                    survkit_glm_model **out, survkit_error *err);
SURVKIT_API void survkit_glm_model_free(survkit_glm_model *m);
/* The JSON text (malloc'd; free with free()), or NULL when out of memory. */
SURVKIT_API char *survkit_glm_model_to_json(const survkit_glm_model *m);
/* Read text[length]; `source` names it in errors (SURVKIT_ERR_PARSE with line and column). */
SURVKIT_API survkit_status survkit_glm_model_from_json(const char *text, size_t length,
                                                       const char *source,
                                                       survkit_glm_model **out, survkit_error *err);
SURVKIT_API const char *survkit_glm_model_formula(const survkit_glm_model *m);
SURVKIT_API survkit_glm_link survkit_glm_model_link(const survkit_glm_model *m);

/* Predictions for new rows: n rows (those without a missing covariate), each with its 0-based
 * table row, the linear predictor (offset included, aliased coefficients as 0), its standard error
 * sqrt(x' V x) with the model's vcov (R's predict(se.fit = TRUE)), and the probability. */
typedef struct survkit_glm_prediction {
    size_t n;
    size_t *row_index;
    double *lp, *se_lp, *prob;
} survkit_glm_prediction;

/* Code `newdata` with the model's formula and factor levels (a level the model did not see is an
 * error naming it) and predict. Release *out with survkit_glm_prediction_release. */
SURVKIT_API survkit_status survkit_glm_model_predict(const survkit_glm_model *m,
                                                     const survkit_table *newdata,
                                                     survkit_glm_prediction *out,
                                                     survkit_error *err);
SURVKIT_API void survkit_glm_prediction_release(survkit_glm_prediction *p);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_GLM_H */
