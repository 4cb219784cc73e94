/*
 * survreg_internal.h: the pieces of the survreg fit (src/survreg/), not installed.
 *
 * Notation (R's survreg6/survregc1): y the (log) time, eta = x'beta + offset, sigma = exp(log
 * scale) of the row's stratum, z = (y - eta) / sigma; g the row's log-likelihood, dg = dg/deta,
 * ddg = d2g/deta2, dsig = dg/dlog(sigma), ddsig = d2g/dlog(sigma)2, dsg = d2g/deta dlog(sigma).
 */
#ifndef SURVKIT_SURVREG_INTERNAL_H
#define SURVKIT_SURVREG_INTERNAL_H

#include "core/internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The three standard distributions of W (R's survreg.distributions "extreme", "logistic",
 * "gaussian"); the others are these applied to log T. */
typedef enum sk_sr_base { SK_SR_EXTREME = 0, SK_SR_LOGISTIC = 1, SK_SR_GAUSSIAN = 2 } sk_sr_base;

/* R's censoring codes of the survreg response. */
enum { SK_SR_RIGHT = 0, SK_SR_EXACT = 1, SK_SR_LEFT = 2, SK_SR_INTERVAL = 3 };

typedef struct sk_sr_dist_info {
    const char *name;   /* the option's name */
    const char *title;  /* R's sd$name */
    sk_sr_base base;
    bool log_time;      /* trans = log */
    double fixed_scale; /* 0, or R's dlist$scale (1 for the exponential) */
} sk_sr_dist_info;

const sk_sr_dist_info *sk_sr_dist(survkit_survreg_dist d);

/* survregc1's density kernels: which = 1 gives ans[1] = f, ans[2] = f'/f, ans[3] = f''/f;
 * which = 2 gives ans[0] = F, ans[1] = 1 - F, ans[2] = f, ans[3] = f'. */
void sk_sr_density(sk_sr_base base, double z, int which, double ans[4]);
/* R's sd$density (the five columns F, 1 - F, f, f'/f, f''/f) used by derfun and residuals. */
void sk_sr_density5(sk_sr_base base, double z, double d[5]);
/* R's sd$init: the mean and the variance-based scale guess of a weighted sample. */
void sk_sr_init(sk_sr_base base, const double *y, const double *w, size_t n, double out[2]);
/* R's sd$quantile and the survival function 1 - F of W. */
double sk_sr_quantile(sk_sr_base base, double p);
double sk_sr_survival(sk_sr_base base, double z);

/* One row of residuals.survreg's derivatives (survreg_resid.c): dg, ddg - dg^2 and ds (each
 * output but dg may be NULL). */
void sk_sr_resid_row(sk_sr_base base, int status, double y1, double y2, double eta, double sigma,
                     double *dg, double *ddg, double *ds);

/* One row of survregc1: the log-likelihood and its derivatives (survreg_row.h computes it). */
typedef struct sk_sr_row {
    double g, dg, ddg, dsig, ddsig, dsg;
} sk_sr_row;

/* The model as the kernel sees it. */
typedef struct sk_sr_problem {
    size_t n, nvar;         /* rows; columns of x (the intercept first) */
    size_t nstrat;          /* scales estimated: 0 (fixed scale) or the number of strata */
    const double *x;        /* n x (nvar - 1), column-major, WITHOUT the intercept (the frame's X);
                               NULL when nvar is 1 */
    const double *center, *stdev; /* nvar: R's rescaling, column j is (x_j - center_j) / stdev_j
                               (entry 0, the intercept, unused); NULL: no rescaling */
    const uint8_t *const *x01; /* nvar, or NULL: x01[j] the n values of a 0/1 column j as bytes
                               (read instead of x: an eighth of the memory traffic), else NULL */
    const double *y1, *y2;  /* (transformed) times; y2 read only for interval rows */
    const uint8_t *status;  /* SK_SR_* codes */
    const double *w;        /* weights or NULL (all 1) */
    const double *offset;   /* or NULL */
    const int32_t *strata;  /* 0-based scale of each row, or NULL (one scale) */
    sk_sr_base base;
} sk_sr_problem;

/* The design matrix as R's survreg.fit sees it, rows lo .. lo+nb-1: cols[j] (nvar pointers to
 * nb values) = [1, (x - center) / stdev]: `ones` (nb ones) for the intercept, the frame's X in
 * place for a column not rescaled, else the rescaled values built in scratch (column j at
 * scratch + j nb). Built in cache block by block, never whole. */
void sk_sr_design_columns(const sk_sr_problem *pb, size_t lo, size_t nb, double *ones,
                          double *scratch, const double **cols);
/* The same, and eta[i] = beta_0 + sum_{j >= 1} beta_j cols[j][i] (nb values, the columns added
 * in order) made in the same pass. */
void sk_sr_design_eta(const sk_sr_problem *pb, size_t lo, size_t nb, double *ones,
                      double *scratch, const double **cols, const double *beta, double *eta);

typedef struct sk_sr_work sk_sr_work;
sk_sr_work *sk_sr_work_new(const sk_sr_problem *pb);
void sk_sr_work_free(sk_sr_work *w);

/*
 * survregc1: the log-likelihood at beta (nvar coefficients, then the log scales: nstrat of them,
 * or the one fixed log scale when nstrat is 0). With u and imat (nvar2 = nvar + nstrat), also
 * the score and minus the Hessian (full symmetric, column-major); with jj, J'J (sum of w times the
 * outer product of the row's score), which R falls back to when imat is not positive definite.
 * The linear predictor is left in eta when it is not NULL.
 */
double sk_sr_eval(const sk_sr_problem *pb, sk_sr_work *work, const double *beta, double *u,
                  double *imat, double *jj, double *eta);

/* X' diag(v) X (nvar x nvar, full, column-major) and X' r (nvar) in one pass of row blocks; v may
 * have negative entries. */
survkit_status sk_sr_weighted_cross(const sk_sr_problem *pb, const double *v, const double *r,
                                    double *out, double *out_r, survkit_error *err);

/* survreg6: Newton-Raphson from beta (nvar2 entries, plus the fixed log scale when nstrat is 0). */
typedef struct sk_sr_newton_out {
    double loglik;
    int iter;
    int flag;       /* rank of the information, or 1000 when out of iterations */
    double *var;    /* nvar2 x nvar2: the inverse information (caller-owned) */
    double *u;      /* nvar2: the score at the end (caller-owned) */
    double *eta;    /* n, or NULL: the linear predictor at the returned point (every full
                       evaluation writes it; the last one is at the point returned) */
    /* optional, called after each iteration; non-zero cancels the fit */
    int (*progress)(void *user, int iter, double loglik);
    void *progress_user;
} sk_sr_newton_out;
survkit_status sk_sr_newton(const sk_sr_problem *pb, sk_sr_work *work, double *beta, int iter_max,
                            double eps, double toler_chol, sk_sr_newton_out *out,
                            survkit_error *err);

/* survreg.fit's starting values for the full model (the intercept-only fit fit0 first, then the
 * 'glim' step); *loglik0 the intercept-only log-likelihood. beta: nvar + max(nstrat, 1). */
survkit_status sk_sr_start(const sk_sr_problem *pb, double fixed_log_scale, double eps,
                           double toler_chol, double *beta, double *loglik0, survkit_error *err);

/* survival 3.5-3's crossprod(rowsum(residuals(fit, "dfbeta"), cluster)): the robust variance
 * V S'S V, with S the (unweighted) score rows summed by cluster. x: the unscaled design matrix; eta the
 * linear predictor; log_scale the nstrat log scales (or the fixed one). */
survkit_status sk_sr_robust(const sk_sr_problem *pb, const double *eta, const double *log_scale,
                            const int32_t *cluster, size_t n_clusters, const double *naive,
                            double *robust, survkit_error *err);

#endif /* SURVKIT_SURVREG_INTERNAL_H */
