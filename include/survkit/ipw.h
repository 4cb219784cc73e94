/*
 * survkit/ipw.h: inverse probability of treatment weights from a propensity model, and the
 * covariate balance before and after weighting.
 *
 * The propensity model is `treatment ~ covariates` fitted as a logit GLM (survkit/glm.h); ps is its
 * fitted probability of treatment. Weights (T treated, C control):
 *   ATE  1/ps in T, 1/(1-ps) in C;   ATT  1 in T, ps/(1-ps) in C;
 *   trim Q (0 < Q < 0.5): first cap the weights at R's quantile(w, Q) and quantile(w, 1-Q)
 *   (type 7, all rows); stabilise: then multiply by n_T/n in T and 1 - n_T/n in C.
 * Effective sample size of a group: (sum w)^2 / sum w^2.
 * Balance, one row per column of the propensity design matrix without the intercept:
 *   v_g  R's var (n - 1) within group g, unweighted;  mw_g the weighted mean;
 *   vw_g sum w (x - mw_g)^2 * S / (S^2 - S2), S = sum w, S2 = sum w^2 over g;
 *   smd_before (m_T - m_C) / sqrt((v_T + v_C)/2), smd_after (mw_T - mw_C) / sqrt((v_T + v_C)/2),
 *   vr_before v_T / v_C, vr_after vw_T / vw_C.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_IPW_H
#define SURVKIT_IPW_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum survkit_ipw_estimand {
    SURVKIT_IPW_ATE = 0, /* average treatment effect */
    SURVKIT_IPW_ATT = 1  /* average treatment effect on the treated */
} survkit_ipw_estimand;

typedef struct survkit_ipw_options {
    survkit_ipw_estimand estimand; /* default SURVKIT_IPW_ATE */
    bool stabilize;                /* default false */
    double trim;                   /* Q in (0, 0.5), or 0 for none (default 0) */
} survkit_ipw_options;

SURVKIT_API void survkit_ipw_options_init(survkit_ipw_options *opt);

typedef struct survkit_ipw_result_s survkit_ipw_result;

/*
 * Weights and balance from a treatment indicator and propensity scores.
 * Inputs: treated[n] (0/1), ps[n] (in (0, 1)), x (n x q column-major, the covariates' design
 * columns without the intercept) with names[q].
 * Errors: no treated or no control rows (SURVKIT_ERR_NO_DATA); a propensity score of 0 or 1 or
 * within 10 DBL_EPSILON of them, where a weight is not defined (SURVKIT_ERR_NUMERIC, err->line the
 * 1-based row); a bad option (SURVKIT_ERR_ARGUMENT).
 */
SURVKIT_API survkit_status survkit_ipw_compute(const double *treated, const double *ps, size_t n,
                                               const double *x, const char *const *names, size_t q,
                                               const survkit_ipw_options *opt,
                                               survkit_ipw_result **out, survkit_error *err);

/* Fit the propensity model of a frame built with a binary response (logit, `glm_opt` NULL for
 * R's defaults) and compute the weights and balance. The GLM stays available from the result.
 * Errors name the data file's line where a row is to blame. */
SURVKIT_API survkit_status survkit_ipw_fit_frame(const survkit_frame *frame,
                                                 const survkit_glm_options *glm_opt,
                                                 const survkit_ipw_options *opt,
                                                 survkit_ipw_result **out, survkit_error *err);

SURVKIT_API void survkit_ipw_result_free(survkit_ipw_result *r);

/* The propensity model (NULL from survkit_ipw_compute). */
SURVKIT_API const survkit_glm_result *survkit_ipw_result_model(const survkit_ipw_result *r);
SURVKIT_API survkit_ipw_estimand survkit_ipw_result_estimand(const survkit_ipw_result *r);
SURVKIT_API size_t survkit_ipw_result_n(const survkit_ipw_result *r);
SURVKIT_API size_t survkit_ipw_result_n_treated(const survkit_ipw_result *r);
/* Per row (n): the propensity score and the final weight. */
SURVKIT_API const double *survkit_ipw_result_ps(const survkit_ipw_result *r);
SURVKIT_API const double *survkit_ipw_result_weights(const survkit_ipw_result *r);

typedef struct survkit_ipw_summary {
    double min, max;                  /* over all rows */
    double sum_treated, sum_control;
    double ess_treated, ess_control;
    double trim_lower, trim_upper;    /* the caps (NaN without trimming) */
} survkit_ipw_summary;

SURVKIT_API void survkit_ipw_result_summary(const survkit_ipw_result *r, survkit_ipw_summary *out);

/* Balance rows (one per design column). Arrays of survkit_ipw_result_n_balance values. */
SURVKIT_API size_t survkit_ipw_result_n_balance(const survkit_ipw_result *r);
SURVKIT_API const char *survkit_ipw_result_balance_name(const survkit_ipw_result *r, size_t k);
SURVKIT_API const double *survkit_ipw_result_smd_before(const survkit_ipw_result *r);
SURVKIT_API const double *survkit_ipw_result_smd_after(const survkit_ipw_result *r);
SURVKIT_API const double *survkit_ipw_result_vr_before(const survkit_ipw_result *r);
SURVKIT_API const double *survkit_ipw_result_vr_after(const survkit_ipw_result *r);

/*
 * Contrasts of IPW-adjusted curves: km fitted with the weights (robust variance, R's survfit(...,
 * weights = w, robust = TRUE)) and two groups, control (group 0) then treated (group 1). At each
 * time (or for the restricted means up to tau) the treated-minus-control difference with limits
 * diff -+ z sqrt(se_1^2 + se_0^2), and the ratio treated/control with limits exp(log ratio -+ z
 * sqrt((se_1/v_1)^2 + (se_0/v_0)^2)), z the normal quantile of conf_level; the groups are disjoint
 * sets of rows, so their estimates are independent given the weights (the weights are treated as
 * known, as R's survfit treats them).
 */
typedef struct survkit_ipw_contrast {
    double time;                          /* the time, or tau for restricted means */
    double control, treated;              /* S(t) or RMST of each group */
    double se_control, se_treated;
    double diff, diff_lower, diff_upper;  /* treated - control */
    double ratio, ratio_lower, ratio_upper; /* treated / control */
} survkit_ipw_contrast;

/* Survival at times[n_times] (ascending) as summary(km, times): out has room for n_times rows;
 * *n_out rows are filled (the times up to the earlier of the two groups' last times). */
SURVKIT_API survkit_status survkit_ipw_contrast_survival(const survkit_km *km, const double *times,
                                                        size_t n_times, double conf_level,
                                                        survkit_ipw_contrast *out, size_t *n_out,
                                                        survkit_error *err);
/* Restricted mean survival times up to tau (print(km, rmean = tau) per group). */
SURVKIT_API survkit_status survkit_ipw_contrast_rmst(const survkit_km *km, double tau,
                                                     double conf_level, survkit_ipw_contrast *out,
                                                     survkit_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_IPW_H */
