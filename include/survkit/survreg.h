/*
 * survkit/survreg.h: parametric accelerated-failure-time regression whose numbers equal R's
 * survival::survreg and summary(survreg).
 *
 * log T (or T for the gaussian and logistic distributions) = x'beta + offset + sigma W, with W
 * extreme-value (weibull, exponential), logistic (loglogistic, logistic) or normal (lognormal,
 * gaussian). Right-censored data, or R's interval coding (left, right, interval and exact rows),
 * case weights, an offset, strata (one scale per stratum), a fixed scale, and the robust (sandwich)
 * variance from cluster sums of R's dfbeta residuals. The fit follows R's survreg.fit and survreg6
 * step by step (starting values from an intercept-only fit, the rescaled design matrix, Newton-
 * Raphson over (beta, log sigma) with R's step halving, its convergence rule and iteration count),
 * so coefficients, variance, log-likelihoods and iterations agree with R. An aliased column gets a
 * NaN (R's NA) coefficient. Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_SURVREG_H
#define SURVKIT_SURVREG_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum survkit_survreg_dist {
    SURVKIT_SURVREG_WEIBULL = 0,
    SURVKIT_SURVREG_EXPONENTIAL = 1, /* weibull with the scale fixed at 1 */
    SURVKIT_SURVREG_GAUSSIAN = 2,
    SURVKIT_SURVREG_LOGISTIC = 3,
    SURVKIT_SURVREG_LOGNORMAL = 4,
    SURVKIT_SURVREG_LOGLOGISTIC = 5
} survkit_survreg_dist;

/* "weibull", "exponential", ... to the enum; an unknown name is SURVKIT_ERR_ARGUMENT. */
SURVKIT_API survkit_status survkit_survreg_dist_parse(const char *name, survkit_survreg_dist *out,
                                                      survkit_error *err);
/* The option's name ("lognormal") and R's name of the distribution ("Log Normal"). */
SURVKIT_API const char *survkit_survreg_dist_name(survkit_survreg_dist dist);
SURVKIT_API const char *survkit_survreg_dist_title(survkit_survreg_dist dist);
/* Is the model for log T (weibull, exponential, lognormal, loglogistic)? */
SURVKIT_API bool survkit_survreg_dist_is_log(survkit_survreg_dist dist);

typedef enum survkit_survreg_robust {
    SURVKIT_SURVREG_ROBUST_AUTO = 0, /* R's default: robust when a cluster is given */
    SURVKIT_SURVREG_ROBUST_ON = 1,   /* R's robust = TRUE: one cluster per row without a cluster */
    SURVKIT_SURVREG_ROBUST_OFF = 2   /* R's robust = FALSE given explicitly: never */
} survkit_survreg_robust;

/* Options of a fit. Initialise with survkit_survreg_options_init(), then change fields. */
typedef struct survkit_survreg_options {
    survkit_survreg_dist dist;     /* default weibull */
    double scale;                  /* 0: estimated (default); > 0: fixed (R's scale =) */
    double eps;                    /* R's rel.tolerance (default 1e-9) */
    int iter_max;                  /* R's iter.max (default 30) */
    double toler_chol;             /* R's toler.chol (default 1e-10) */
    survkit_survreg_robust robust; /* default SURVKIT_SURVREG_ROBUST_AUTO */
    survkit_progress_fn progress;  /* optional: stage "fit", done = iteration, value = loglik */
    void *progress_user;
} survkit_survreg_options;

SURVKIT_API void survkit_survreg_options_init(survkit_survreg_options *opt);

/*
 * The data of a fit held in memory; every array has n entries. Right-censored data: time2 NULL,
 * status 1 = event, 0 = censored. Interval data (R's Surv(time1, time2, type = "interval2") as
 * coded by Surv): status 0 right-censored at time, 1 exact at time, 2 left-censored at time (the
 * event before it), 3 in the interval (time, time2]; time2 is read only where status is 3.
 * x is n x p column-major WITHOUT the intercept column: the model always has an intercept.
 */
typedef struct survkit_survreg_data {
    size_t n, p;
    const double *time;
    const double *time2;
    const double *status;
    const double *x;
    const char *const *names;        /* p names, or NULL ("x1", ...) */
    const double *weights;           /* case weights > 0, or NULL */
    const double *offset;            /* or NULL */
    const int32_t *strata;           /* codes 0..n_strata-1 (a scale each), or NULL */
    size_t n_strata;
    const char *const *strata_labels; /* n_strata labels naming the scales, or NULL */
    const int32_t *cluster;          /* codes 0..n_clusters-1, or NULL */
    size_t n_clusters;
} survkit_survreg_data;

typedef struct survkit_survreg_result_s survkit_survreg_result;

/*
 * Fit. Output *out, released with survkit_survreg_result_free (NULL on failure). Non-convergence
 * is a warning in the result ("Ran out of iterations and did not converge"), an aliased column a
 * NaN coefficient. Bad values give SURVKIT_ERR_DOMAIN with err->line the 1-based row: a time that
 * is zero or negative (or whose log is not finite) for a log distribution (R: "Invalid survival
 * times for this distribution"), an interval whose upper bound is below its lower one, a weight
 * <= 0, a non-finite predictor. A fixed scale with strata is SURVKIT_ERR_ARGUMENT, as in R.
 */
SURVKIT_API survkit_status survkit_survreg_fit_arrays(const survkit_survreg_data *data,
                                                      const survkit_survreg_options *opt,
                                                      survkit_survreg_result **out,
                                                      survkit_error *err);

/* Fit the model of a frame built from `Surv(...) ~ terms` (strata, cluster, offset, weights).
 * Build the frame with survkit_frame_options.timefix = 0 (R's survreg takes times as they are)
 * and .interval = 1 to accept Surv(time1, time2, type = "interval2"). R's survreg has no
 * infinite-coefficient warning; non-convergence is the one warning it gives.
 * A bad value's err->line is its line in the data file. */
SURVKIT_API survkit_status survkit_survreg_fit_frame(const survkit_frame *frame,
                                                     const survkit_survreg_options *opt,
                                                     survkit_survreg_result **out,
                                                     survkit_error *err);

SURVKIT_API void survkit_survreg_result_free(survkit_survreg_result *r);

SURVKIT_API survkit_survreg_dist survkit_survreg_result_dist(const survkit_survreg_result *r);
/* Rows used; exact (uncensored) rows. */
SURVKIT_API size_t survkit_survreg_result_n(const survkit_survreg_result *r);
SURVKIT_API size_t survkit_survreg_result_n_events(const survkit_survreg_result *r);

/*
 * The coefficient table of summary(survreg): p coefficients ("(Intercept)" first), then one row
 * per estimated scale ("Log(scale)", or the strata labels), none when the scale is fixed.
 * Arrays of survkit_survreg_result_n_rows entries: value (coef, or log scale; NaN if aliased),
 * se, z, p-value; se is robust when the variance is, the model-based one is naive_se (NULL when
 * not robust).
 */
SURVKIT_API size_t survkit_survreg_result_p(const survkit_survreg_result *r);
SURVKIT_API size_t survkit_survreg_result_n_scales(const survkit_survreg_result *r);
SURVKIT_API size_t survkit_survreg_result_n_rows(const survkit_survreg_result *r);
SURVKIT_API const char *survkit_survreg_result_name(const survkit_survreg_result *r, size_t j);
SURVKIT_API const double *survkit_survreg_result_coef(const survkit_survreg_result *r);
SURVKIT_API const double *survkit_survreg_result_se(const survkit_survreg_result *r);
SURVKIT_API const double *survkit_survreg_result_naive_se(const survkit_survreg_result *r);
SURVKIT_API const double *survkit_survreg_result_z(const survkit_survreg_result *r);
SURVKIT_API const double *survkit_survreg_result_pvalue(const survkit_survreg_result *r);

/* R's fit$scale: n_scales values, or the fixed scale (one value) when n_scales is 0. */
SURVKIT_API const double *survkit_survreg_result_scale(const survkit_survreg_result *r);
SURVKIT_API bool survkit_survreg_result_scale_fixed(const survkit_survreg_result *r);

/* vcov(fit): n_rows x n_rows, column-major (robust when robust); naive one or NULL. */
SURVKIT_API const double *survkit_survreg_result_vcov(const survkit_survreg_result *r);
SURVKIT_API const double *survkit_survreg_result_naive_vcov(const survkit_survreg_result *r);
SURVKIT_API bool survkit_survreg_result_is_robust(const survkit_survreg_result *r);

/* fit$loglik[2] and [1] (intercept only), and summary's chi-square 2 (loglik - loglik_null) on
 * df = sum(fit$df) - fit$idf degrees of freedom with its upper-tail p-value. */
SURVKIT_API double survkit_survreg_result_loglik(const survkit_survreg_result *r);
SURVKIT_API double survkit_survreg_result_loglik_null(const survkit_survreg_result *r);
SURVKIT_API double survkit_survreg_result_chisq(const survkit_survreg_result *r);
SURVKIT_API double survkit_survreg_result_df(const survkit_survreg_result *r);
SURVKIT_API double survkit_survreg_result_chisq_p(const survkit_survreg_result *r);

SURVKIT_API int survkit_survreg_result_iterations(const survkit_survreg_result *r);
SURVKIT_API bool survkit_survreg_result_converged(const survkit_survreg_result *r);
SURVKIT_API size_t survkit_survreg_result_n_warnings(const survkit_survreg_result *r);
SURVKIT_API const char *survkit_survreg_result_warning(const survkit_survreg_result *r, size_t k);

/* fit$linear.predictors (n, in the data's row order). */
SURVKIT_API const double *survkit_survreg_result_linear_predictor(const survkit_survreg_result *r);

/*
 * The fitted survival averaged over the fit's rows, per stratum: out[g * n_times + k] = mean over
 * the rows of stratum g of 1 - F((trans(times[k]) - lp_i) / sigma_g) (the model's curve to set
 * beside a Kaplan-Meier estimate). strata: the codes the fit used (NULL: one group); n_groups the
 * number of codes. Right-censored or interval fits alike; O(n x n_times).
 */
SURVKIT_API survkit_status survkit_survreg_mean_survival(const survkit_survreg_result *r,
                                                         const int32_t *strata, size_t n_groups,
                                                         const double *times, size_t n_times,
                                                         double *out, survkit_error *err);

/*
 * A survreg model: a fit together with what prediction needs and nothing of the data (formula,
 * the variables' kinds and factor levels, strata labels, coefficients, variance, scales). Made
 * from a fit and the frame it was fitted on; written to and read from a JSON text ("format":
 * "survkit-survreg-model", "version": 1).
 */
typedef struct survkit_survreg_model_s survkit_survreg_model;

SURVKIT_API survkit_status survkit_survreg_model_create_frame(const survkit_survreg_result *fit,
                                                              const survkit_frame *frame,
                                                              survkit_survreg_model **out,
                                                              survkit_error *err);
SURVKIT_API void survkit_survreg_model_free(survkit_survreg_model *m);
/* The model as JSON text (free with free()), NULL when memory fails; and back. */
SURVKIT_API char *survkit_survreg_model_to_json(const survkit_survreg_model *m);
SURVKIT_API survkit_status survkit_survreg_model_from_json(const char *text, size_t length,
                                                           survkit_survreg_model **out,
                                                           survkit_error *err);
SURVKIT_API const char *survkit_survreg_model_formula(const survkit_survreg_model *m);
SURVKIT_API survkit_survreg_dist survkit_survreg_model_dist(const survkit_survreg_model *m);

/* What to predict besides R's types "lp" and "response" (always given, with standard errors):
 * quantiles (predict(type = "quantile", p = ...)) and the survival 1 - F at given times. */
typedef struct survkit_survreg_predict_options {
    const double *p;     /* n_p probabilities in (0, 1), or NULL */
    size_t n_p;
    const double *times; /* n_times times, or NULL */
    size_t n_times;
} survkit_survreg_predict_options;

typedef struct survkit_survreg_prediction_s survkit_survreg_prediction;

/*
 * predict.survreg for the rows of `newdata` (R's na.pass: a row with a missing covariate or
 * stratum gives NaN). As in R 3.5-3, an offset in the formula is not added to new data's
 * predictions. A factor level or stratum the model did not see is an error naming it.
 */
SURVKIT_API survkit_status survkit_survreg_predict(const survkit_survreg_model *m,
                                                   const survkit_table *newdata,
                                                   const survkit_survreg_predict_options *opt,
                                                   survkit_survreg_prediction **out,
                                                   survkit_error *err);
SURVKIT_API void survkit_survreg_prediction_free(survkit_survreg_prediction *pr);
/* Rows (those of newdata); per row: lp and its se, response (exp(lp) for the log distributions)
 * and its se; quantile k (n_p of them, response scale) and its se; survival at time k. */
SURVKIT_API size_t survkit_survreg_prediction_n(const survkit_survreg_prediction *pr);
SURVKIT_API const double *survkit_survreg_prediction_lp(const survkit_survreg_prediction *pr);
SURVKIT_API const double *survkit_survreg_prediction_lp_se(const survkit_survreg_prediction *pr);
SURVKIT_API const double *survkit_survreg_prediction_response(const survkit_survreg_prediction *pr);
SURVKIT_API const double *survkit_survreg_prediction_response_se(const survkit_survreg_prediction *pr);
SURVKIT_API const double *survkit_survreg_prediction_quantile(const survkit_survreg_prediction *pr,
                                                              size_t k);
SURVKIT_API const double *survkit_survreg_prediction_quantile_se(const survkit_survreg_prediction *pr,
                                                                 size_t k);
SURVKIT_API const double *survkit_survreg_prediction_survival(const survkit_survreg_prediction *pr,
                                                              size_t k);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_SURVREG_H */
