/*
 * glm_internal.h: the pieces of the binomial GLM and how they hand data to each other.
 *
 *   link.c    the three links as R's binomial(link) computes them (linkfun, linkinv, mu.eta),
 *             the binomial deviance residuals and log-likelihood terms
 *   wls.c     one weighted least-squares solve: Householder QR with R's dqrdc2 pivoting rule, or
 *             the normal equations by blocked SYRK and a Cholesky factor
 *   irls.c    R's glm.fit iteration (starting values, step halving, convergence, warnings)
 *   glm_fit.c the result object: summary.glm's table, deviances, AIC, robust variance, getters
 *
 * Not installed; internal to libsurvkit (hidden symbols).
 */
#ifndef SURVKIT_GLM_INTERNAL_H
#define SURVKIT_GLM_INTERNAL_H

#include "core/internal.h"

/* ---------------------------------------------------------------- link.c */

/* mu = linkinv(eta), elementwise over n values (R's clamps included). For the logit link, e_out
 * (n values, or NULL) receives exp(eta), which mu.eta needs again (sk_glm_mu_eta_e). */
void sk_glm_linkinv(survkit_glm_link link, const double *eta, double *mu, double *e_out, size_t n);
/* d mu / d eta at eta (R's mu.eta, floored at DBL_EPSILON as R floors it). */
double sk_glm_mu_eta(survkit_glm_link link, double eta);
/* The same with e = exp(eta) already known (logit; ignored for the other links). */
double sk_glm_mu_eta_e(survkit_glm_link link, double eta, double e);
/* eta = linkfun(mu). */
double sk_glm_linkfun(survkit_glm_link link, double mu);
/* binomial()$dev.resids for one row: 2 w (y log(y/mu) + (1-y) log((1-y)/(1-mu))). */
double sk_glm_dev_resid(double y, double mu, double w);
/* The same for n <= SK_GLM_DEV_BLOCK rows into out, the logs a block at a time (core/vlog.c:
 * within one unit in the last place of the C library's log). */
#define SK_GLM_DEV_BLOCK 2048
void sk_glm_dev_resid_array(const double *y, const double *mu, const double *w, size_t n,
                            double *out);
/*
 * One block of rows (n <= SK_GLM_DEV_BLOCK) of a logit fit whose y are all 0 or 1 (logit_rows.c):
 * from eta, mu and the deviance terms dev (2 w log(1/mu) or 2 w log(1/(1 - mu))), and when z is
 * not NULL the working response z and weights wt of the next iteration (0 where w = 0). The
 * numbers of sk_glm_linkinv, sk_glm_dev_resid_array and sk_glm_mu_eta_e, one exp and one log a row.
 * Returns the rows with w > 0; sets *zero_variance when such a row has mu (1 - mu) = 0.
 */
typedef struct sk_glm_rows {
    size_t n;
    const double *eta, *y, *weights, *offset; /* offset may be NULL */
    double *mu, *dev, *z, *wt;                /* z and wt: both NULL or both given */
} sk_glm_rows;
size_t sk_glm_logit_rows(const sk_glm_rows *r, bool *zero_variance);
/* log dbinom(x, size, prob) for whole x and size (R's dbinom(..., log = TRUE)). */
double sk_glm_log_dbinom(double x, double size, double prob);

/* ---------------------------------------------------------------- columns */

/* Row i of column j of X given as column pointers (NULL: the intercept's column of ones). */
static inline double sk_glm_x(const double *const *cols, size_t j, size_t i)
{
    return cols[j] ? cols[j][i] : 1.0;
}

/*
 * The fit behind survkit_glm_fit_arrays and survkit_glm_fit_frame: `d` as documented in glm.h
 * except that X comes as cols[d->p] (d->x unused), and cols[0] is the intercept when d->intercept.
 */
survkit_status sk_glm_fit(const survkit_glm_data *d, const double *const *cols,
                          const survkit_glm_options *opt, survkit_glm_result **out,
                          survkit_error *err);

/* ---------------------------------------------------------------- wls.c */

/*
 * Scratch and results of one weighted least-squares solve, sized for n rows and p columns.
 * Inputs of sk_glm_wls_solve: the columns of X (cols[p], see sk_glm_problem), wt[n] the working
 * weights (0 for the rows R leaves out: weight 0 or mu.eta 0), z[n] the working response.
 * Outputs: coef[p] in the original column order (0 for aliased columns, as R's dqrls leaves
 * them), pivot[p] (R's fit$pivot, 0-based: the kept columns in order, then the aliased ones in the
 * order they were moved), rank, and r[p x p] whose leading rank x rank upper triangle is R with
 * R'R = (X'WX) of the pivoted kept columns (either solver).
 */
typedef struct sk_glm_wls {
    size_t n, p;
    survkit_glm_solver solver;   /* what the next solve uses: QR or CHOLESKY */
    double *coef, *r, *norm;     /* p, p x p, p */
    size_t *pivot, rank;
    double *a, *tau, *work, *qtz, *sw; /* QR: n x p copy, p, lwork, n, n (sqrt(wt)) */
    int lwork;
} sk_glm_wls;

survkit_status sk_glm_wls_init(sk_glm_wls *w, size_t n, size_t p, survkit_glm_solver solver,
                               survkit_error *err);
void sk_glm_wls_release(sk_glm_wls *w);
/* One solve with tolerance tol (R: min(1e-7, epsilon / 1000)). A Cholesky solve that meets a
 * column near aliasing switches w->solver to QR for good and solves by QR. */
survkit_status sk_glm_wls_solve(sk_glm_wls *w, const double *const *cols, const double *wt,
                                const double *z, double tol, survkit_error *err);

/* Rows per block of the normal equations' sums (the scaled block stays in the second-level cache). */
#define SK_GLM_NORMAL_BLOCK 512
/* Scratch of one thread's sums, in doubles: the sums (p + 1) x (p + 1) and the block (p + 2
 * columns: the scaled X and z, and sqrt(wt)). */
#define SK_GLM_NORMAL_SCRATCH(p) (((p) + 1) * ((p) + 1) + SK_GLM_NORMAL_BLOCK * ((p) + 2))

/*
 * The normal equations' sums over rows [start, start + nb), nb <= SK_GLM_NORMAL_BLOCK: with B the
 * block of X scaled row by row by sqrt(wt), acc[j + k (p + 1)] += (B'B)_jk for j <= k < p and
 * acc[j + p (p + 1)] += (B'(sqrt(wt) z))_j. Scratch: blk (SK_GLM_NORMAL_SCRATCH(p) - (p + 1)^2
 * doubles), ptr (2 p + 1 pointers).
 */
void sk_glm_normal_block(const double *const *cols, size_t p, size_t start, size_t nb,
                         const double *wt, const double *z, double *blk, const double **ptr,
                         double *acc);
/* The Cholesky solve from two halves' sums acc0 + acc1 (as sk_glm_normal_block fills them), with
 * the same outputs as sk_glm_wls_solve. False when the factor comes near aliasing or fails: the
 * caller then solves by QR (sk_glm_wls_solve after setting w->solver). */
bool sk_glm_wls_solve_sums(sk_glm_wls *w, const double *acc0, const double *acc1);

/* ---------------------------------------------------------------- irls.c */

typedef struct sk_glm_problem {
    size_t n, p;
    const double *const *cols; /* the p columns of X, n values each; NULL is R's intercept, a column
                                  of ones (the frame's X is used in place, without a copy) */
    const double *y;           /* y after R's initialize: 0 where the weight is 0 */
    const double *weights;     /* prior weights, all n given (1 when the caller had none) */
    const double *offset;      /* n values or NULL */
    const double *mustart;     /* n starting means or NULL for (w y + 0.5)/(w + 1) */
    survkit_glm_link link;
    double epsilon;
    int maxit;
    survkit_glm_solver solver;
    survkit_progress_fn progress;
    void *progress_user;
    bool binary_y;             /* every y is 0 or 1 (the logit's rows: sk_glm_logit_rows) */
} sk_glm_problem;

#define SK_GLM_MAX_WARNINGS 8

typedef struct sk_glm_state {
    double *coef;          /* p: the final iterate, NaN for aliased columns */
    double *eta, *mu;      /* n: linear predictor (offset included) and fitted means */
    double *wt;            /* n: the last iteration's working weights (0 for rows left out) */
    double dev;
    int iter;
    bool converged, boundary;
    bool extreme;          /* some fitted mu within 10 DBL_EPSILON of 0 or 1 */
    sk_glm_wls wls;        /* the last solve: rank, pivot, R factor */
    char warnings[SK_GLM_MAX_WARNINGS][96]; /* R's words */
    size_t n_warnings;
} sk_glm_state;

/* R's glm.fit. Errors are R's stop()s (SURVKIT_ERR_NUMERIC); the rest goes into *s. */
survkit_status sk_glm_irls(const sk_glm_problem *pr, sk_glm_state *s, survkit_error *err);
void sk_glm_state_release(sk_glm_state *s);
/* Record a warning (at most SK_GLM_MAX_WARNINGS are kept). */
void sk_glm_warn(sk_glm_state *s, const char *text);

#endif /* SURVKIT_GLM_INTERNAL_H */
