/*
 * penal_internal.h: what the files of the penalised Cox fit share (R's coxpenal.fit); not installed.
 *
 *   frailty_kernel.c  the partial likelihood with a sparse frailty block: score, the frailty
 *                     block's diagonal, its cross block with the covariates, the dense block
 *   penal_newton.c    R's coxfit5 Newton iteration and its sparse Cholesky (cholesky3, chsolve3)
 *   penal_df.c        R's coxpenal.df: H^-1, var2, degrees of freedom from the factor
 *   penal_robust.c    R's robust (sandwich) variance of a ridge() / pspline() fit
 *   frailty_gamma.c   the gamma frailty's loglik correction and R's frailty.brent
 *   frailty_gauss.c   R's frailty.controlgauss (REML) for the gaussian frailty
 *   frailty_control.c R's frailty.controlaic and frailty.controldf (method = "aic", df =)
 *   frailty_dense.c   R's dense frailty (sparse = FALSE): its indicator columns, the fit's split
 *   frailty.c         the outer loop, the result object and its getters
 */
#ifndef SURVKIT_PENAL_INTERNAL_H
#define SURVKIT_PENAL_INTERNAL_H

#include "cox/cox_internal.h"

/*
 * The sparse-block evaluation. Rows belong to frailty groups 0..G-1; frailty coefficient f_g
 * enters row i's linear predictor. The kernel reuses the Breslow/Efron kernel (efron.c) for the
 * covariates, with f_g(i) added to the offset, and its per-slot sums (sk_cox_hazard_compute) for
 * the frailty block; see frailty_kernel.c for the formulas.
 */
typedef struct sk_frail_kernel {
    sk_cox_problem pb;        /* pb.offset points at eta_offset */
    sk_cox_work *work;
    const int32_t *group;     /* n */
    size_t n_groups;
    const double *offset;     /* n, or NULL */
    double *eta_offset;       /* n: offset + f_g(i) */
    double *eta;              /* n: scratch */
    double *c;                /* n: scratch */
    double *slot_a, *slot_b;  /* n_slots: scratch */
    size_t *bp;               /* 2 n_used breakpoints: row << 1 | exit, by (group, slot) */
    size_t *bp_slot;          /* the slot of each breakpoint */
    size_t *bp_first;         /* n_groups + 1 */
    size_t n_bp;
} sk_frail_kernel;

/* Inputs: pb as for the Cox kernels (pb->offset is replaced), group codes of n rows, n_groups. */
survkit_status sk_frail_kernel_init(sk_frail_kernel *k, const sk_cox_problem *pb,
                                    const int32_t *group, size_t n_groups, survkit_error *err);
void sk_frail_kernel_free(sk_frail_kernel *k);

/*
 * Evaluate at beta[p] and frailties f[G]. Outputs (R's coxfit5 storage): u[G + p] (frailty first),
 * fdiag[G] (the frailty block's diagonal, as R's coxfit5 computes it: each tied death counts 1,
 * whatever its case weight), cross[p * G] (cross[j + g p]: covariate j with group g), imat[p * p].
 * Returns the log partial likelihood (NaN when memory fails, with *nomem set).
 */
double sk_frail_kernel_eval(sk_frail_kernel *k, const double *beta, const double *f, double *u,
                            double *fdiag, double *cross, double *imat, bool *nomem);

/*
 * A penalty on the sparse (frailty) coefficients, as R's pfun: may recenter f (in place), then
 * gives first[G] (added to the score, R's coxlist1$first), second[G] (added to the diagonal),
 * *logpen (added to the loglik) and *flag (true: the coefficients are held at 0).
 */
typedef void (*sk_penal_sparse_fn)(void *ctx, double *f, size_t G, double *first, double *second,
                                   double *logpen, bool *flag);

/*
 * A penalty on the covariates (R's non-sparse terms, coxlist2): first[p] added to the score,
 * second[p * p] to the information, *logpen to the loglik; zero for unpenalised columns. It may
 * recenter beta in place (a dense frailty's pfun: R's cox_callback writes coxlist2$coef back) and
 * sets zflag[p] (R's coxlist2$flag: true holds the column at its value, as theta = 0 does).
 */
typedef void (*sk_penal_dense_fn)(void *ctx, double *beta, size_t p, double *first,
                                  double *second, double *logpen, bool *zflag);

typedef struct sk_penal_newton_in {
    size_t p, G;
    sk_frail_kernel *kernel;
    sk_penal_sparse_fn sparse;   /* NULL without a sparse term */
    void *sparse_ctx;
    sk_penal_dense_fn dense;     /* NULL without a dense penalty */
    void *dense_ctx;
    int iter_max;
    double eps, toler;
    survkit_progress_fn progress;
    void *progress_user;
} sk_penal_newton_in;

/* The factor of H = [D B'; B A] (cholesky3): D[G], L = B D^-1 (p x G), the dense part's LDL'
 * (a p x p, unit lower triangle below the diagonal, D_A on it); and the last penalty's second
 * derivatives pen[G]. */
typedef struct sk_penal_factor {
    size_t p, G;
    double *d, *lb, *a, *pen;
    double *pen2;       /* p x p: the dense penalty's second derivatives */
    bool *frail_flag;   /* the sparse penalty's flag at the end (its coefficients are 0) */
    bool *zflag;        /* p: the dense penalty's flags at the end (R's coxlist2$flag) */
} sk_penal_factor;

typedef struct sk_penal_newton_out {
    double *beta, *f;   /* in: initial values; out: the fit */
    double loglik;      /* penalised (R's coxfit$loglik) */
    double penalty;     /* the penalty R's pfun reports (-logpen) */
    int iterations;     /* R's coxfit$iter */
    int flag;           /* rank or 1000 */
    sk_penal_factor fac;
} sk_penal_newton_out;

survkit_status sk_penal_newton(const sk_penal_newton_in *in, sk_penal_newton_out *out,
                               survkit_error *err);
survkit_status sk_penal_factor_alloc(sk_penal_factor *fac, size_t p, size_t G);
void sk_penal_factor_free(sk_penal_factor *fac);

/* R's coxpenal.df for a sparse term (and unpenalised covariates): var = C (p x p), var2 (p x p),
 * fvar[G] (diag of H^-1's frailty block), df of the sparse term, and the df of each covariate
 * term (terms given as term_of[j], n_terms of them): trace(C_tt^-1 var2_tt). */
survkit_status sk_penal_df(const sk_penal_factor *fac, const size_t *term_of, size_t n_terms,
                           double *var, double *var2, double *fvar, double *df_sparse,
                           double *df_terms, survkit_error *err);

/* penal_robust.c: R's robust variance of a penalised fit without frailty: var (p x p) = D_c' D_c
 * with D the weighted score residuals at lp (n, the fit's linear predictor) times hinv (H^-1),
 * summed within the cluster codes (NULL: one cluster per row); *rscore the robust score test at
 * linear predictor 0. Resets the kernel's agfit5 rule (the fit must be over). */
survkit_status sk_penal_robust(sk_frail_kernel *k, const double *lp, const int32_t *cluster,
                               size_t n_clusters, const double *hinv, double toler_chol,
                               double *var, double *rscore, survkit_error *err);

/* R's frailty.gammacon(d, nu): the gamma frailty's loglik correction, d[G] the events per group. */
double sk_frailty_gammacon(const double *d, size_t G, double nu);

/* R's frailty.controlgauss: the next theta after k fits (theta[k], resid[k]); *done as R's. */
double sk_frailty_gauss_next(const double *theta, const double *resid, size_t k, double eps,
                             bool *done);

/* ord[n] = R's order(x) for a few values (stable). */
void sk_frailty_order(const double *x, size_t n, size_t *ord);

/* R's frailty.brent(x, y, lower = 0) on n points; NaN when the maximum is tied. */
double sk_frailty_brent(const double *x, const double *y, size_t n);

/* frailty_control.c: R's frailty.controlaic after k fits (theta[k], aic[k] = plik - df), and
 * frailty.controldf on the history thetas[nx], dfs[nx] (the point (0, 0) first) towards target
 * df after fit number iter (1, 2, ...); *half as R's old$half (-1 before the first). Both set
 * *done as R's. frailty(df = ), ridge(df = ) and pspline(df = ) all use this one. */
double sk_frailty_aic_next(const double *theta, const double *aic, size_t k, double eps,
                           bool *done);
double sk_frailty_df_next(const double *thetas, const double *dfs, size_t nx, int iter,
                          double target, double eps, int *half, bool *done);

/* frailty_dense.c: x (n x p) with G 0/1 group columns inserted at column `at` (covariate j at j
 * or j + G), in x_out (n x (p + G), malloc'd): R's model matrix of a dense frailty. The codes in
 * group must lie in 0..G-1. Also used by the diagnostics of a dense fit (penal_model.c). */
survkit_status sk_frailty_dense_columns(const double *x, size_t n, size_t p, const int32_t *group,
                                        size_t G, size_t at, double **x_out, survkit_error *err);
/* frailty_dense.c: R's dense frailty design. x_out (n x (p + G)) is x with one 0/1 column per
 * group inserted at column *at_out (after the covariates of the terms before position pos);
 * term_out[p + G] the terms in R's order with the frailty as term pos (later terms move up). */
survkit_status sk_frailty_dense_design(const double *x, const size_t *term_of, size_t n, size_t p,
                                       const int32_t *group, size_t G, size_t pos,
                                       double **x_out, size_t **term_out, size_t *at_out,
                                       survkit_error *err);
/* Drop entries fcol..fcol+G-1 of v[pf] (rows and columns of m[pf x pf]) in place, copying them
 * first into block (G, or G x G; NULL: not kept). */
void sk_frailty_dense_vector(double *v, size_t pf, size_t fcol, size_t G, double *block);
void sk_frailty_dense_matrix(double *m, size_t pf, size_t fcol, size_t G, double *block);

#endif /* SURVKIT_PENAL_INTERNAL_H */
