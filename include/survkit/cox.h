/*
 * survkit/cox.h: Cox proportional-hazards regression whose numbers equal R's survival::coxph.
 *
 * Ties by Efron (default), Breslow or the exact discrete partial likelihood; strata, case weights,
 * offsets, counting-process data (start, stop], and the robust (sandwich) variance from cluster
 * sums of dfbeta residuals. The fit follows R's coxph.fit / agreg.fit / coxexact.fit iteration by
 * iteration (Newton-Raphson from zero or from `init`, step halving, R's convergence rule and
 * iteration count, R's warnings), and an aliased column gets a NaN (R's NA) coefficient.
 *
 * Fit from a model frame (survkit_cox_fit_frame) or from arrays held in memory
 * (survkit_cox_fit_arrays). The result is an opaque object with getters; arrays it returns are
 * owned by it. Fitting keeps no global state: different fits may run on different threads.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_COX_H
#define SURVKIT_COX_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum survkit_cox_ties {
    SURVKIT_COX_EFRON = 0,
    SURVKIT_COX_BRESLOW = 1,
    SURVKIT_COX_EXACT = 2 /* discrete partial likelihood (R's "exact"); no case weights */
} survkit_cox_ties;

typedef enum survkit_cox_robust {
    /* R's default: robust when a cluster is given or some case weight is not a whole number. */
    SURVKIT_COX_ROBUST_AUTO = 0,
    /* Always (R's robust = TRUE): one cluster per row when no cluster is given. */
    SURVKIT_COX_ROBUST_ON = 1,
    /* Never (R's robust = FALSE): a cluster is then ignored with a warning, as R does. */
    SURVKIT_COX_ROBUST_OFF = 2
} survkit_cox_robust;

/* Options of a fit. Initialise with survkit_cox_options_init(), then change fields. */
typedef struct survkit_cox_options {
    survkit_cox_ties ties;      /* default SURVKIT_COX_EFRON */
    double eps;                 /* convergence: |1 - loglik_old/loglik_new| <= eps (default 1e-9) */
    int iter_max;               /* Newton-Raphson iterations (default 20); 0 evaluates at init */
    const double *init;         /* p starting coefficients, or NULL for zeros (default NULL) */
    size_t n_init;              /* length of init (must equal p when init is given) */
    survkit_cox_robust robust;  /* default SURVKIT_COX_ROBUST_AUTO */
    double conf_level;          /* confidence level of exp(coef) limits (default 0.95) */
    double toler_chol;          /* rank tolerance of the Cholesky (default DBL_EPSILON^0.75) */
    double toler_inf;           /* infinite-coefficient warning tolerance; NaN = sqrt(eps) (default) */
    survkit_progress_fn progress; /* optional: stage "fit", done = iteration, value = loglik */
    void *progress_user;
} survkit_cox_options;

SURVKIT_API void survkit_cox_options_init(survkit_cox_options *opt);

/*
 * The data of a fit held in memory. Rows are observations; every array has n entries unless said.
 * Rows with a missing value must have been removed by the caller (NaN is rejected).
 */
typedef struct survkit_cox_data {
    size_t n, p;
    const double *start;        /* NULL for right-censored data; else interval (start, time] */
    const double *time;         /* follow-up (or stop) time */
    const double *status;       /* 1 = event, 0 = censored */
    const double *x;            /* n x p design matrix, column-major, no intercept column */
    const char *const *names;   /* p coefficient names, or NULL ("x1", "x2", ...) */
    const double *weights;      /* case weights > 0, or NULL */
    const double *offset;       /* offset of the linear predictor, or NULL */
    const int32_t *strata;      /* codes 0..n_strata-1, or NULL */
    size_t n_strata;
    const int32_t *cluster;     /* codes 0..n_clusters-1, or NULL */
    size_t n_clusters;
    /* The frailty() group of each row, codes 0..n_frailty-1 (survkit_frame_frailty), or NULL.
     * Only the diagnostics of a penalised model (survkit_frailty_model_create_frame) use it, to
     * add each group's frailty to the linear predictor; survkit_cox_fit_arrays refuses it. */
    const int32_t *frailty;
    size_t n_frailty;
} survkit_cox_data;

typedef struct survkit_cox_result_s survkit_cox_result;

/*
 * Fit a Cox model.
 * Inputs: `data` as documented above, `opt` (NULL for the defaults).
 * Output: *out, a result to release with survkit_cox_result_free (NULL on failure). Numerical
 * trouble (non-convergence, an infinite or aliased coefficient) is not a failure: it is reported
 * by survkit_cox_result_converged and the warnings. A bad value (a non-finite predictor, a weight
 * <= 0, ...) gives SURVKIT_ERR_DOMAIN with err->line its row, 1-based.
 */
SURVKIT_API survkit_status survkit_cox_fit_arrays(const survkit_cox_data *data,
                                                  const survkit_cox_options *opt,
                                                  survkit_cox_result **out, survkit_error *err);

/* The arrays of a frame as a survkit_cox_data (names left NULL; the arrays belong to the frame). */
SURVKIT_API void survkit_cox_data_from_frame(const survkit_frame *frame, survkit_cox_data *data);

/* Fit the model described by a frame built from `Surv(...) ~ terms` (strata, cluster, offset).
 * A bad value's err->line is its line in the data file (table row + 2, as the frame's errors). */
SURVKIT_API survkit_status survkit_cox_fit_frame(const survkit_frame *frame,
                                                 const survkit_cox_options *opt,
                                                 survkit_cox_result **out, survkit_error *err);

SURVKIT_API void survkit_cox_result_free(survkit_cox_result *r);

/* Sizes: rows used, events, coefficients (including aliased ones), and the non-aliased count. */
SURVKIT_API size_t survkit_cox_result_n(const survkit_cox_result *r);
SURVKIT_API double survkit_cox_result_n_events(const survkit_cox_result *r);
SURVKIT_API size_t survkit_cox_result_p(const survkit_cox_result *r);
SURVKIT_API size_t survkit_cox_result_df(const survkit_cox_result *r);
SURVKIT_API survkit_cox_ties survkit_cox_result_ties(const survkit_cox_result *r);
SURVKIT_API bool survkit_cox_result_is_counting(const survkit_cox_result *r);
SURVKIT_API const char *survkit_cox_result_name(const survkit_cox_result *r, size_t j);

/* Per coefficient (arrays of p): coef (NaN if aliased), exp(coef), se (naive when not robust),
 * z, p-value and the confidence limits of exp(coef), as summary(coxph). */
SURVKIT_API const double *survkit_cox_result_coef(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_exp_coef(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_se(const survkit_cox_result *r);
/* Robust standard errors, or NULL when the variance is not robust. */
SURVKIT_API const double *survkit_cox_result_robust_se(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_z(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_pvalue(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_lower(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_upper(const survkit_cox_result *r);
SURVKIT_API double survkit_cox_result_conf_level(const survkit_cox_result *r);

/* Variance matrix p x p (robust when robust), and the model-based one (NULL when not robust). */
SURVKIT_API const double *survkit_cox_result_vcov(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_naive_vcov(const survkit_cox_result *r);
SURVKIT_API bool survkit_cox_result_is_robust(const survkit_cox_result *r);

/* Log partial likelihood at init (R's loglik[1]) and at the fit (loglik[2]); AIC. */
SURVKIT_API double survkit_cox_result_loglik_null(const survkit_cox_result *r);
SURVKIT_API double survkit_cox_result_loglik(const survkit_cox_result *r);
SURVKIT_API double survkit_cox_result_aic(const survkit_cox_result *r);

typedef enum survkit_cox_test_kind {
    SURVKIT_COX_TEST_LR = 0,
    SURVKIT_COX_TEST_WALD = 1,        /* robust variance when robust, unrounded */
    SURVKIT_COX_TEST_SCORE = 2,       /* score (log-rank) test at init */
    SURVKIT_COX_TEST_ROBUST_SCORE = 3 /* only when robust */
} survkit_cox_test_kind;

/* A test statistic with its degrees of freedom and p-value; false when the fit has no such test. */
SURVKIT_API bool survkit_cox_result_test(const survkit_cox_result *r, survkit_cox_test_kind kind,
                                         double *stat, double *df, double *p);

/* Concordance and its standard error as coxph's $concordance (NaN when not available). */
SURVKIT_API double survkit_cox_result_concordance(const survkit_cox_result *r);
SURVKIT_API double survkit_cox_result_concordance_se(const survkit_cox_result *r);

/* Iterations as R counts them, whether the iteration converged. */
SURVKIT_API int survkit_cox_result_iterations(const survkit_cox_result *r);
SURVKIT_API bool survkit_cox_result_converged(const survkit_cox_result *r);

/* Warnings in R's words ("Ran out of iterations and did not converge", ...). */
SURVKIT_API size_t survkit_cox_result_n_warnings(const survkit_cox_result *r);
SURVKIT_API const char *survkit_cox_result_warning(const survkit_cox_result *r, size_t k);

/* For later diagnostics: the centring means (R's $means, p) and the linear predictor per row
 * (R's $linear.predictors, n, in input row order), and the score vector at the fit (p). */
SURVKIT_API const double *survkit_cox_result_means(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_linear_predictor(const survkit_cox_result *r);
SURVKIT_API const double *survkit_cox_result_score_vector(const survkit_cox_result *r);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_COX_H */
