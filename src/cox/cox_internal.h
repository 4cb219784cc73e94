/*
 * cox_internal.h: what the files of the Cox module share; not installed.
 *
 *   cox_data.c   sorting once, risk-set layout (event slots, entry/exit slot of every row), centring
 *   efron.c      loglik, score and information for Breslow/Efron in BLAS-3 form
 *   exact.c      the same for the exact partial likelihood (Gail-Lubin-Rubinstein recursion)
 *   cholesky.c   R's cholesky2/chsolve2/chinv2 semantics (rank revealing, aliased columns zeroed)
 *   newton.c     R's Newton-Raphson rules (coxfit6, agfit4, coxexact flavours)
 *   robust.c     score residuals, dfbeta, cluster sums, robust variance and robust score test
 *   summary.c    Wald/LR/score tests, z, p, confidence limits, AIC
 *   cox_fit.c    the public entry points, the result object and its getters
 */
#ifndef SURVKIT_COX_INTERNAL_H
#define SURVKIT_COX_INTERNAL_H

#include "core/internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Risk-set layout, independent of the coefficients, built once per fit.
 *
 * Within each stratum the distinct event times are numbered in decreasing time order and stored in
 * "slots"; each stratum's slots are followed by one sentinel slot (time -Inf, no events). Row i is
 * at risk at the event times of slots [kin_i, kout_i): kin_i is the first slot whose time is
 * <= time_i (stop), kout_i the first whose time is <= start_i (the stratum's sentinel for
 * right-censored data). kin_i == kout_i means the row is never at risk (R drops it).
 */
typedef struct sk_cox_layout {
    size_t n, n_strata, n_slots, n_events; /* n_events: distinct event times (non-sentinel slots) */
    bool counting;
    size_t *kin, *kout;            /* per row */
    int32_t *row_stratum;          /* per row (0 when unstratified) */
    double *slot_time;             /* per slot */
    int32_t *slot_deaths;          /* number of events at the slot (0 for a sentinel) */
    double *slot_wdeaths;          /* their summed case weights */
    unsigned char *slot_restart;   /* 1: everyone at risk before left (R resets its sums) */
    int32_t *slot_stratum;
    size_t *stratum_first_slot;    /* n_strata + 1 */
    size_t *order;                 /* rows by (stratum, time decreasing); NULL unless asked for */
    size_t *stratum_first_row;     /* n_strata + 1, positions in `order` (rows per stratum) */
    size_t n_used;                 /* rows ever at risk */
    double max_deaths;             /* largest number of tied events */
} sk_cox_layout;

/* Build the layout. Inputs: start (NULL) / time / status / weights (NULL = 1) of n rows, strata
 * codes (NULL); with_order: also keep `order` (the Efron kernel does not need it). */
survkit_status sk_cox_layout_build(size_t n, const double *start, const double *time,
                                   const double *status, const double *weights,
                                   const int32_t *strata, size_t n_strata, bool with_order,
                                   sk_cox_layout *lay, survkit_error *err);
/* The same without the checks of the Cox fit, for inputs already checked by the caller (n >= 1,
 * status 0/1, start < time, strata in range, no NaN); times may be infinite. */
survkit_status sk_cox_layout_build_unchecked(size_t n, const double *start, const double *time,
                                             const double *status, const double *weights,
                                             const int32_t *strata, size_t n_strata,
                                             bool with_order, sk_cox_layout *lay,
                                             survkit_error *err);
void sk_cox_layout_free(sk_cox_layout *lay);

/* Per stratum, out[k] = sum of v over slots k..sentinel-1 of k's stratum, out[sentinel] = 0: the
 * sum over the event times at or before slot k's time. A row's sum is out[kin] - out[kout]. */
void sk_cox_suffix_sums(const sk_cox_layout *lay, const double *v, double *out);

/*
 * Everything an evaluation of the partial likelihood needs. The kernels work on the centred
 * covariates x - xmean (n x p column-major in input row order), centring on the fly: no centred
 * copy of X is kept. `efron` selects Efron's tie correction.
 */
typedef struct sk_cox_problem {
    const sk_cox_layout *lay;
    size_t n, p;
    const double *x;        /* n x p covariates as given */
    const double *xmean;    /* p: the centre of each column */
    const double *weights;  /* n (all ones when the caller gave none) */
    bool unit_weights;      /* every weight is 1: the passes need not read them */
    const double *offset;   /* n, or NULL for none */
    const double *status;   /* n, 0/1 */
    bool efron;
    /* NULL, or p pointers: column j as n bytes when it holds only 0 and 1 (an eighth of the memory
     * traffic for the kernels' passes), else NULL. The same values as x. */
    const uint8_t *const *x_byte;
} sk_cox_problem;

/* Scratch of the BLAS-3 kernel (efron.c); one per fit. */
typedef struct sk_cox_work sk_cox_work;
survkit_status sk_cox_work_create(const sk_cox_problem *pb, sk_cox_work **out, survkit_error *err);
/* The same with eta[n] (or NULL) as the workspace's linear predictor: memory of the caller's that
 * is written only after the work is done (the Cox fit's result lp), so that the fit maps no fresh
 * pages for it. Every evaluation overwrites it; sk_cox_work_free leaves it. The workspace's
 * scratch block is at least spare_bytes long (sk_cox_work_take_block). */
survkit_status sk_cox_work_create_in(const sk_cox_problem *pb, double *eta, size_t spare_bytes,
                                     sk_cox_work **out, survkit_error *err);
/* The workspace's n risks, which the caller then owns and frees: scratch for what follows the fit
 * (the concordance). The work must not be used for evaluations afterwards, only freed. */
double *sk_cox_work_take_risk(sk_cox_work *w);
/* The same for the workspace's scratch block (its pages mapped already), *bytes long. */
void *sk_cox_work_take_block(sk_cox_work *w, size_t *bytes);
void sk_cox_work_free(sk_cox_work *w);
/* R's agfit5 (penalised (start, stop] fits with Efron ties and case weights) only: from now on the
 * tied deaths' risk in Efron's denominators is E0_k = sum over them of v_i r_i, the case weight
 * counted twice (efron.c); off by default and for every other fit. Has no effect on
 * right-censored data or Breslow ties. */
void sk_cox_work_set_agfit5(sk_cox_work *w, bool on);

/*
 * Log partial likelihood, score u[p] and information imat[p*p] (full symmetric) at beta[p], for
 * Breslow or Efron ties (efron.c). Returns the log-likelihood (may be -Inf or NaN on overflow).
 */
double sk_cox_efron_eval(const sk_cox_problem *pb, sk_cox_work *w, const double *beta, double *u,
                         double *imat);

/*
 * Per event-time quantities of the Breslow/Efron sums at a given linear predictor, for residuals:
 * r_i = v_i exp(eta_i); for each event slot k, a_k = sum_l w_k/den_kl, b_k = sum_l f_l w_k/den_kl,
 * and p-vectors g_k = sum_l (w_k/den_kl) m_kl, e_k = sum_l f_l (w_k/den_kl) m_kl and the mean of the
 * m_kl over l (mbar_k). Used by robust.c for score residuals. Arrays are slots x p column-major.
 */
typedef struct sk_cox_hazard {
    double *risk;            /* n: exp(eta_i - shift of its stratum), the weights excluded */
    double *a, *b;           /* per slot */
    double *a2;              /* per slot: sum_l w_k / den_kl^2 (the hazard's variance term) */
    double *a2f, *a2ff;      /* per slot: sum_l f_l w_k / den_kl^2 and sum_l f_l^2 w_k / den_kl^2 */
    double *g, *e, *mbar;    /* n_slots x p */
    double *shift;           /* per stratum: the shift of the risks (0 unless some eta > 700) */
} sk_cox_hazard;
survkit_status sk_cox_hazard_compute(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                     sk_cox_hazard *hz, survkit_error *err);
void sk_cox_hazard_free(sk_cox_hazard *hz);

/*
 * The information matrix with a weight t_k on each event slot (cox.zph's time-weighted blocks):
 *     imat = sum_k t_k sum_l w_k (S2_kl / den_kl - m_kl m_kl')
 *          = X' diag(c_t) X - M' diag(w t) M,  c_t,i = r_i (sum of t_k a_k where i is at risk
 *                                                       - delta_i t_k(i) b_k(i)),
 * t = 1 gives sk_cox_efron_eval's information. The weights may be negative, so the products are
 * weighted cross-products rather than SYRKs. Inputs: eta[n], or NULL when w already holds pass 1
 * at the eta wanted (the last sk_cox_hazard_compute on w, with no other call on w since: cox.zph);
 * n_weights weightings slot_weights[v][n_slots] (pass 1 and M are computed once for all).
 * Output: imats[v][p*p] (full), one per weighting.
 */
survkit_status sk_cox_efron_slot_info(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                      size_t n_weights, const double *const *slot_weights,
                                      double *const *imats, survkit_error *err);

/*
 * Score residuals at eta (R's residuals.coxph(type = "score")): res[n*p], row i multiplied by its
 * case weight when `weighted` (the robust variance) and not otherwise (R's default for "score").
 */
survkit_status sk_cox_score_residuals(const sk_cox_problem *pb, sk_cox_work *work,
                                      const double *eta, bool weighted, double *res,
                                      survkit_error *err);

/* Exact partial likelihood (exact.c): same contract as sk_cox_efron_eval, right-censored only,
 * unit weights. Scratch is allocated per call. Returns NaN when memory fails (with *nomem set). */
double sk_cox_exact_eval(const sk_cox_problem *pb, const double *beta, double *u, double *imat,
                         bool *nomem);

/* R's cholesky2 / chsolve2 / chinv2 / coxph.wtest (cholesky.c), on n x n column-major matrices. */
int sk_cox_cholesky2(double *a, size_t n, double toler);
/* R's cholesky3 with no sparse part, as survreg6 calls it (absolute threshold, redundant columns
 * zeroed); same storage and return value as cholesky2. */
int sk_cox_cholesky3(double *a, size_t n, double toler);
void sk_cox_chsolve2(const double *a, size_t n, double *y);
/* chsolve2 of count systems at once, coordinate i of system r at y[r + i ld] (cholesky.c). */
void sk_cox_chsolve2_many(const double *a, size_t n, double *y, size_t ld, size_t count);
void sk_cox_chinv2(double *a, size_t n);
/* b' V^- b with V's generalised inverse from cholesky2; *df = rank. scratch: n*n + n doubles. */
double sk_cox_wald(const double *v, const double *b, size_t n, double toler, double *scratch,
                   size_t *df);

/* Newton-Raphson (newton.c). */
typedef enum sk_cox_flavour {
    SK_COX_COXFIT6 = 0, /* right-censored Breslow/Efron: R's coxfit6 */
    SK_COX_AGFIT4 = 1,  /* counting-process Breslow/Efron: R's agfit4 */
    SK_COX_EXACT = 2    /* right-censored exact: R's coxexact */
} sk_cox_flavour;

typedef double (*sk_cox_eval_fn)(void *ctx, const double *beta, double *u, double *imat);

typedef struct sk_cox_newton_in {
    sk_cox_flavour flavour;
    size_t p;
    const double *scale;    /* x_scaled = x * scale[j]; the iteration runs in scaled coordinates */
    const double *init;     /* p, original coordinates */
    int iter_max;
    double eps, toler_chol;
    sk_cox_eval_fn eval;
    void *ctx;
    survkit_progress_fn progress;
    void *progress_user;
} sk_cox_newton_in;

typedef struct sk_cox_newton_out {
    double *beta;      /* p, original coordinates */
    double *u;         /* p, R's returned u, original coordinates */
    double *u_scaled;  /* p, the same in scaled coordinates */
    double *var;       /* p x p, original coordinates */
    double *var_scaled;
    double *beta_scaled;
    double loglik0, loglik;
    double score_test; /* at init */
    int iterations;
    int flag;          /* R's flag: rank, -2, 1000 (not converged); agfit4: rank at init */
    bool converged;
    bool cancelled;
} sk_cox_newton_out;

/* Run the iteration. out arrays must be allocated by the caller (p and p*p). */
survkit_status sk_cox_newton(const sk_cox_newton_in *in, sk_cox_newton_out *out,
                             survkit_error *err);

/* Robust variance (robust.c). */
typedef struct sk_cox_robust_in {
    const sk_cox_problem *pb;
    sk_cox_work *work;
    const double *eta_fit;    /* n: linear predictor at the fit (with offset) */
    const double *eta_init;   /* n: linear predictor for the robust score test */
    const double *naive_var;  /* p x p */
    const int32_t *cluster;   /* n codes, or NULL for one cluster per row */
    size_t n_clusters;
    double toler_chol;
} sk_cox_robust_in;

/* Outputs: var[p*p] robust variance, *rscore the robust score test statistic. */
survkit_status sk_cox_robust(const sk_cox_robust_in *in, double *var, double *rscore,
                             survkit_error *err);

/* The pieces of sk_cox_robust shared with the fit over MPI ranks: out[p*p] = d' d for d (m x p,
 * column-major; R's crossprod of the dfbeta sums), and the robust score test of the weighted score
 * residuals summed within clusters at the initial coefficients, lc (ncl x p): U' (lc' lc)^- U with
 * U = 1' lc and coxph.wtest's tolerance (scratch: 2 p^2 + 2 p + 1 doubles). */
void sk_cox_crossprod(const double *d, size_t m, size_t p, double *out);
double sk_cox_robust_score_from_sums(const double *lc, size_t ncl, size_t p, double toler,
                                     double *scratch);

/*
 * A result object from a Newton iteration run outside cox_fit.c (the fit over MPI ranks): the
 * aliasing, R's warnings, the robust variance (computed by the caller), tests and the table of
 * summary(coxph) as survkit_cox_fit_arrays makes them. The result has no linear predictor.
 */
typedef struct sk_cox_result_in {
    size_t n, p;
    double n_events;
    bool counting, robust, cluster_ignored;
    const char *const *names;       /* p, or NULL */
    const survkit_cox_options *opt; /* filled (not NULL) */
    sk_cox_flavour flavour;
    const sk_cox_newton_out *nw;    /* unused when n_events == 0; p == 0: only loglik */
    double max_lp;                  /* largest linear predictor (coxfit6's warning) */
    const double *means;            /* p: R's $means */
    const double *robust_var;       /* p x p when robust, else NULL */
    double robust_score;
    double concordance, concordance_se;
} sk_cox_result_in;
survkit_status sk_cox_result_from_newton(const sk_cox_result_in *in, survkit_cox_result **out,
                                         survkit_error *err);

/* Two-sided normal p-value and upper chi-square tail, with checked inputs (summary.c). */
double sk_cox_chisq_upper(double stat, double df);
double sk_cox_normal_quantile(double p);

#endif /* SURVKIT_COX_INTERNAL_H */
