/*
 * survkit/frailty.h: Cox models with a shared frailty, whose numbers equal R's
 * coxph(Surv(...) ~ x + frailty(id)) (the penalised partial likelihood of coxpenal.fit).
 *
 * The frame's formula holds one frailty(id) term (survkit_frame_frailty). With the gamma
 * distribution (R's default, method "em") the outer loop chooses the frailty variance theta by
 * maximising R's integrated likelihood as frailty.controlgam does; with the gaussian one
 * (frailty(id, distribution = "gaussian"), frailty.gaussian(id)) by R's REML rule
 * (frailty.controlgauss); frailty(id, theta = T) fixes it.
 * Each inner fit is R's coxfit5 Newton iteration with the frailty block kept sparse (its diagonal
 * and its cross block with the covariates), so a fit costs O(n p + groups p^2) per iteration.
 * Strata, case weights, offsets, Breslow or Efron ties and counting-process data (R's agfit5)
 * are supported; with case weights, counting-process data and Efron ties the numbers are R's
 * agfit5's, whose Efron denominators count each tied death's weight twice.
 * Include <survkit/survkit.h>, not this file.
 */
#ifndef SURVKIT_FRAILTY_H
#define SURVKIT_FRAILTY_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct survkit_frailty_options {
    survkit_cox_ties ties;      /* SURVKIT_COX_EFRON (default) or SURVKIT_COX_BRESLOW */
    double eps;                 /* inner convergence, R's coxph.control eps (default 1e-9) */
    int iter_max;               /* inner iterations, R's iter.max (default 20) */
    int outer_max;              /* outer iterations, R's outer.max (default 10) */
    double toler_chol;          /* default DBL_EPSILON^0.75 */
    double theta_eps;           /* outer convergence, frailty.gamma's eps (default 1e-5) */
    survkit_progress_fn progress; /* optional: stage "fit", done = Newton iteration */
    void *progress_user;
    /* R's robust argument (default SURVKIT_COX_ROBUST_AUTO: robust with cluster() or a case
     * weight that is not a whole number). Only for ridge() and pspline() models: with frailty()
     * ON or cluster() is an error, and AUTO stays model-based (R's robust = FALSE). */
    survkit_cox_robust robust;
} survkit_frailty_options;

SURVKIT_API void survkit_frailty_options_init(survkit_frailty_options *opt);

typedef struct survkit_frailty_result_s survkit_frailty_result;

/*
 * Fit the model of a frame with a frailty() term (sparse, or dense as R's sparse = FALSE and its
 * default for 5 groups or fewer). Errors: no frailty term, every group a single row, exact ties,
 * a robust variance with a frailty: SURVKIT_ERR_ARGUMENT with a message naming the term.
 */
SURVKIT_API survkit_status survkit_frailty_fit_frame(const survkit_frame *frame,
                                                     const survkit_frailty_options *opt,
                                                     survkit_frailty_result **out,
                                                     survkit_error *err);
SURVKIT_API void survkit_frailty_result_free(survkit_frailty_result *r);

SURVKIT_API size_t survkit_frailty_result_n(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_n_events(const survkit_frailty_result *r);
SURVKIT_API survkit_cox_ties survkit_frailty_result_ties(const survkit_frailty_result *r);

/* Covariates (p of them): names, coef (NaN when aliased), R's se(coef) = sqrt(diag(var)) and
 * se2 = sqrt(diag(var2)), the Wald chi-square coef^2/var, its p-value (1 df), var and var2 (p x p). */
SURVKIT_API size_t survkit_frailty_result_p(const survkit_frailty_result *r);
SURVKIT_API const char *survkit_frailty_result_name(const survkit_frailty_result *r, size_t j);
SURVKIT_API const double *survkit_frailty_result_coef(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_se(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_se2(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_chisq(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_pvalue(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_vcov(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_vcov2(const survkit_frailty_result *r);
/* Robust fits (R's coxph with cluster(), robust = TRUE or fractional weights on a ridge() or
 * pspline() model): vcov, se, chisq and p are then the robust ones (R's fit$var), vcov2 stays the
 * model-based var2, naive_vcov is R's fit$naive.var (H^-1; NULL when not robust) and
 * robust_score R's fit$rscore (NaN when not robust). */
SURVKIT_API bool survkit_frailty_result_is_robust(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_naive_vcov(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_robust_score(const survkit_frailty_result *r);

/* R's fit$df: one value per covariate term, then the frailty term's (n_df values). */
SURVKIT_API size_t survkit_frailty_result_n_df(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_df(const survkit_frailty_result *r);

/* The frailty term: its label ("frailty(family_id)"), distribution, groups (their values as
 * text), the estimated frailties (R's fit$frail) and their variances (fit$fvar), and the printed
 * row: chisq = sum(frail^2 / fvar), its df and p-value (pchisq on max(df, 0.5)). */
SURVKIT_API const char *survkit_frailty_result_term(const survkit_frailty_result *r);
SURVKIT_API survkit_frailty_distribution
survkit_frailty_result_distribution(const survkit_frailty_result *r);
SURVKIT_API size_t survkit_frailty_result_n_groups(const survkit_frailty_result *r);
/* A dense frailty (R's frailty(x, sparse = FALSE), its default for 5 groups or fewer): one
 * penalised 0/1 column per group among the covariates. Its frailties are then R's coefficients
 * gamma:<group> (gauss:<group>), fvar the diagonal of their block of R's var, and the printed chisq
 * coxph.wtest's on that block; the coefficients above are the covariates alone. R's full var and
 * var2 ((p + G) x (p + G), the groups' columns at survkit_frailty_result_frailty_row) come from
 * the two matrix getters (NULL for a sparse fit); when the fit is robust, dense_naive_vcov is R's
 * full fit$naive.var, of the same size (NULL otherwise). */
SURVKIT_API bool survkit_frailty_result_is_dense(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_dense_vcov(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_dense_vcov2(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_dense_naive_vcov(const survkit_frailty_result *r);
SURVKIT_API const char *survkit_frailty_result_group(const survkit_frailty_result *r, size_t g);
SURVKIT_API const double *survkit_frailty_result_frail(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_fvar(const survkit_frailty_result *r);
SURVKIT_API void survkit_frailty_result_frailty_test(const survkit_frailty_result *r,
                                                     double *chisq, double *df, double *p);

/* theta (the variance R prints), the integrated likelihood R prints (c.loglik), R's fit$loglik
 * (null, final), the penalty (R's fit$penalty: first and last outer iteration), the iterations
 * (outer, and Newton summed over them), the likelihood-ratio test as R's print (df rounded to 2
 * decimals), and the outer loop's history (theta, penalised loglik, integrated loglik). */
SURVKIT_API double survkit_frailty_result_theta(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_c_loglik(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_loglik_null(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_loglik(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_penalty(const survkit_frailty_result *r);
SURVKIT_API double survkit_frailty_result_penalty_first(const survkit_frailty_result *r);
SURVKIT_API int survkit_frailty_result_outer_iterations(const survkit_frailty_result *r);
SURVKIT_API int survkit_frailty_result_iterations(const survkit_frailty_result *r);
SURVKIT_API void survkit_frailty_result_lr_test(const survkit_frailty_result *r, double *stat,
                                                double *df, double *p);
SURVKIT_API size_t survkit_frailty_result_n_history(const survkit_frailty_result *r);
SURVKIT_API void survkit_frailty_result_history(const survkit_frailty_result *r, size_t k,
                                                double *theta, double *loglik, double *c_loglik);

/* The gaussian frailty's REML residual after fit k (R's history column "resid"); NaN otherwise. */
SURVKIT_API double survkit_frailty_result_history_resid(const survkit_frailty_result *r, size_t k);

/* The linear predictor per row (R's fit$linear.predictors: offset + frail + X b - sum(means b)). */
SURVKIT_API const double *survkit_frailty_result_linear_predictor(const survkit_frailty_result *r);

/* R's fit$means (the plain column means, 0 for a column within {-1, 0, 1}, as coxpenal.fit
 * centres), the dense penalty's second derivative per coefficient (R's fit$coxlist2$second:
 * theta times the ridge() column's scale, 0 for the other columns; NULL without ridge()), and the
 * frailty term's place among the terms in R's order (its index in fit$df; SIZE_MAX without). */
SURVKIT_API const double *survkit_frailty_result_means(const survkit_frailty_result *r);
SURVKIT_API const double *survkit_frailty_result_penalty_second(const survkit_frailty_result *r);
SURVKIT_API size_t survkit_frailty_result_frailty_position(const survkit_frailty_result *r);
/* The frailty term's row in R's printed table (print.coxph.penal keeps the formula's order): the
 * number of coefficients of the terms before it. */
SURVKIT_API size_t survkit_frailty_result_frailty_row(const survkit_frailty_result *r);

/*
 * The model of a penalised fit for predict, residuals, cox.zph and basehaz (diagnostics.h), as
 * R's methods for coxph.penal objects treat it: the frailties enter the linear predictor of the
 * fit's own rows (residuals, cox.zph, the baseline hazard), not that of new rows (predict);
 * cox.zph's df are the terms' fit$df. `frame` is the fit's; weights_name as for
 * survkit_cox_model_create_frame. Its data (survkit_cox_data_from_frame) carry the frailty groups.
 * A dense frailty's model is R's fit over X plus one 0/1 column per group: its coefficients (names
 * gamma:<group> or gauss:<group>), var and means are R's full ones, its residuals have a column
 * per coefficient, its new rows get their group's coefficient; its data are still the frame's
 * (the group columns are made from the codes). cox.zph and survival curves for new rows are
 * refused (R fails there); so is a dense fit with the robust variance.
 */
SURVKIT_API survkit_status survkit_frailty_model_create_frame(const survkit_frailty_result *fit,
                                                              const survkit_frame *frame,
                                                              const char *weights_name,
                                                              survkit_cox_model **out,
                                                              survkit_error *err);
/* The same with a choice of parts (survkit_cox_model_parts in diagnostics.h). */
SURVKIT_API survkit_status survkit_frailty_model_create_frame_parts(
    const survkit_frailty_result *fit, const survkit_frame *frame, const char *weights_name,
    survkit_cox_model_parts parts, survkit_cox_model **out, survkit_error *err);

/* Warnings in R's words ("Inner loop failed to coverge for iterations 3 4"). */
SURVKIT_API size_t survkit_frailty_result_n_warnings(const survkit_frailty_result *r);
SURVKIT_API const char *survkit_frailty_result_warning(const survkit_frailty_result *r, size_t k);

/*
 * pspline() terms (in formula order): the term's label ("pspline(age)"), its degrees of freedom
 * (its entry of survkit_frailty_result_df), its coefficients (first, count), the
 * theta R prints (with df: the last value of R's search, frailty.controldf), R's two printed rows
 * (pspline's printfun: "linear" then "nonlin", each coef, se, se2, chisq, df, p; NaN for R's NA)
 * and the search's history (R's fit$history[[k]]$history: thetas and dfs, starting with the
 * rows (1, 1) and (0, nterm)); a fixed theta has no history.
 */
SURVKIT_API size_t survkit_frailty_result_n_pspline(const survkit_frailty_result *r);
SURVKIT_API const char *survkit_frailty_result_pspline_term(const survkit_frailty_result *r,
                                                            size_t k);
SURVKIT_API double survkit_frailty_result_pspline_df(const survkit_frailty_result *r, size_t k);
SURVKIT_API void survkit_frailty_result_pspline_columns(const survkit_frailty_result *r, size_t k,
                                                        size_t *first, size_t *count);
SURVKIT_API double survkit_frailty_result_pspline_theta(const survkit_frailty_result *r, size_t k);
SURVKIT_API const double *survkit_frailty_result_pspline_rows(const survkit_frailty_result *r,
                                                              size_t k);
SURVKIT_API size_t survkit_frailty_result_pspline_n_history(const survkit_frailty_result *r,
                                                            size_t k);
SURVKIT_API void survkit_frailty_result_pspline_history(const survkit_frailty_result *r, size_t k,
                                                        size_t i, double *theta, double *df);

/*
 * pspline term k's fitted curve as R's termplot(fit, terms = <its term>, se = TRUE, plot = FALSE):
 * at each distinct value of its variable (increasing; *n_out of them), the term's part of the
 * linear predictor centred on the basis columns' means (predict(fit, type = "terms")) and its
 * standard error from fit$var. frame: the frame the fit was made from. x, fit, se: caller arrays
 * of survkit_frame_n(frame) values. Errors: SURVKIT_ERR_ARGUMENT (k, another frame), NOMEM.
 */
SURVKIT_API survkit_status survkit_frailty_result_pspline_curve(const survkit_frailty_result *r,
                                                                const survkit_frame *frame,
                                                                size_t k, double *x, double *fit,
                                                                double *se, size_t *n_out,
                                                                survkit_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SURVKIT_FRAILTY_H */
