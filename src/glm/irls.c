/*
 * irls.c: R's glm.fit for the binomial family, step for step.
 *
 * Start: mu = mustart ((w y + 0.5)/(w + 1), binomial()$initialize) and eta = linkfun(mu); the
 * starting deviance is dev_old. Iteration k = 1..maxit, over the rows with w > 0 and
 * mu.eta(eta) != 0 (the others enter with weight 0):
 *   z = eta - offset + (y - mu) / mu.eta(eta)          working response
 *   W = w mu.eta(eta)^2 / (mu (1 - mu))                working weights
 *   b = argmin || sqrt(W) (z - X b) ||                 (wls.c; aliased columns get 0)
 *   eta = X b + offset, mu = linkinv(eta), dev = sum of the deviance residuals
 *   a non-finite dev (or an invalid mu) halves the step toward the previous b until it is finite
 *   (valid), with R's warnings; R stops when it has no previous b (the first iteration)
 *   |dev - dev_old| / (|dev| + 0.1) < epsilon: converged, b is the fit.
 * Afterwards R's warnings: not converged, stopped at a boundary, fitted probabilities within
 * 10 DBL_EPSILON of 0 or 1. The R factor and working weights of the last solve are kept: R's
 * summary takes the covariance from that QR (weights of the iterate before the last).
 * Sums of deviances are accumulated in long double, as R's sum() does.
 */
#include "glm/glm_internal.h"
#include "core/parallel.h"
#include "core/memory.h"
#include "core/vlog.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sk_glm_warn(sk_glm_state *s, const char *text)
{
    if (s->n_warnings < SK_GLM_MAX_WARNINGS)
        snprintf(s->warnings[s->n_warnings++], sizeof s->warnings[0], "%s", text);
}

void sk_glm_state_release(sk_glm_state *s)
{
    if (s == NULL) return;
    free(s->coef);
    free(s->eta);
    free(s->mu);
    free(s->wt);
    sk_glm_wls_release(&s->wls);
    memset(s, 0, sizeof *s);
}

/*
 * The working values of the next iteration, made by evaluate() while a block's eta and X are in
 * cache (one read of X per iteration instead of two): z and wt of every row (see working_row),
 * the count of informative rows and whether some mu (1 - mu) is 0; with `normal`, the normal
 * equations' sums of each half (sk_glm_normal_block), so that the next Cholesky solve needs no
 * pass of its own. `ready`: they hold the values at the current eta.
 */
typedef struct sk_glm_next {
    double *z, *wt;                    /* n each */
    bool normal;                       /* also the sums (the Cholesky solver) */
    bool ready;
    double *acc[2], *blk[2];           /* per half: (p + 1) x (p + 1); the block's scratch */
    const double **ptr[2];             /* per half: 2 p + 1 */
    size_t n_good[2];
    bool zero_variance[2];
} sk_glm_next;

/* Row i's working response z and weight wt (see the top of the file) from eta, mu and d =
 * mu.eta(eta); rows R leaves out (weight 0 or mu.eta 0) get weight 0. Returns whether the row is
 * informative. */
static inline bool working_row(const sk_glm_problem *pr, size_t i, const double *eta,
                               const double *mu, double d, double *z, double *wt,
                               bool *zero_variance)
{
    double w = pr->weights[i], m = mu[i];
    if (w > 0 && m * (1 - m) == 0) *zero_variance = true;
    bool good = w > 0 && d != 0;
    double off = pr->offset ? pr->offset[i] : 0;
    z[i] = good ? (eta[i] - off) + (pr->y[i] - m) / d : 0;
    wt[i] = good ? (w * d * d) / (m * (1 - m)) : 0;
    return good;
}

/* One pass over the rows, one half of them on each thread (see evaluate()). */
typedef struct eval_job {
    const sk_glm_problem *pr;
    const double *b;        /* NULL: eta from the starting means (R's initialize and linkfun) */
    double *eta, *mu;
    sk_glm_next *next;      /* NULL: no working values */
    long double dev[2];
    bool invalid_mu[2], extreme[2];
} eval_job;

enum { EVAL_BLOCK = SK_GLM_DEV_BLOCK };

/* eta[start..end) = X b + offset, a column at a time; compiled plainly and for AVX2 (the same
 * operations in the same order, so the same sums). */
static inline __attribute__((always_inline)) void x_times_b(const double *const *cols, size_t p,
                                                            const double *b, const double *offset,
                                                            size_t start, size_t end, double *eta)
{
    for (size_t i = start; i < end; i++) eta[i] = 0;
    for (size_t j = 0; j < p; j++) {
        const double bj = b[j], *col = cols[j];
        if (bj == 0) continue; /* an aliased column: adds nothing */
        if (col == NULL) for (size_t i = start; i < end; i++) eta[i] += bj; /* bj * 1 */
        else for (size_t i = start; i < end; i++) eta[i] += bj * col[i];
    }
    for (size_t i = start; offset && i < end; i++) eta[i] += offset[i];
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SK_IRLS_AVX2 1
__attribute__((target("avx2"))) static void x_times_b_avx2(const double *const *cols, size_t p,
                                                           const double *b, const double *offset,
                                                           size_t start, size_t end, double *eta)
{
    x_times_b(cols, p, b, offset, start, end, eta);
}
#endif

/* eta of rows [start, end): X b + offset (R: x %*% start, then + offset), a column at a time while
 * the block's eta stays in the first-level cache; or, without b, linkfun of the starting means
 * (mustart, else binomial()$initialize's (w y + 0.5)/(w + 1)). */
static void eta_block(const sk_glm_problem *pr, const double *b, size_t start, size_t end,
                      double *eta)
{
    if (b == NULL) {
        for (size_t i = start; i < end; i++) {
            double w = pr->weights[i];
            double m = pr->mustart ? pr->mustart[i] : (w * pr->y[i] + 0.5) / (w + 1);
            if (pr->link != SURVKIT_GLM_LOGIT) eta[i] = sk_glm_linkfun(pr->link, m);
            else eta[i] = m / (1 - m); /* log(mu/(1-mu)): the logs below, a block at a time */
        }
        if (pr->link == SURVKIT_GLM_LOGIT) sk_log_array(eta + start, eta + start, end - start);
        return;
    }
#ifdef SK_IRLS_AVX2
    if (__builtin_cpu_supports("avx2")) {
        x_times_b_avx2(pr->cols, pr->p, b, pr->offset, start, end, eta);
        return;
    }
#endif
    x_times_b(pr->cols, pr->p, b, pr->offset, start, end, eta);
}

/* mu, the deviance terms d and (with next) the working values of rows [start, end); returns the
 * informative rows. */
static size_t rows_block(const sk_glm_problem *pr, size_t start, size_t end, const double *eta,
                         double *mu, double *d, sk_glm_next *nx, bool *zero_variance)
{
    const size_t nb = end - start;
    if (pr->link == SURVKIT_GLM_LOGIT && pr->binary_y) {
        sk_glm_rows r = {nb, eta + start, pr->y + start, pr->weights + start,
                         pr->offset ? pr->offset + start : NULL, mu + start, d,
                         nx ? nx->z + start : NULL, nx ? nx->wt + start : NULL};
        return sk_glm_logit_rows(&r, zero_variance);
    }
    double e[EVAL_BLOCK]; /* exp(eta) of the logit, which mu.eta needs again */
    sk_glm_linkinv(pr->link, eta + start, mu + start, e, nb);
    sk_glm_dev_resid_array(pr->y + start, mu + start, pr->weights + start, nb, d);
    size_t n_good = 0;
    for (size_t i = start; nx && i < end; i++) {
        double deriv = sk_glm_mu_eta_e(pr->link, eta[i], e[i - start]);
        n_good += working_row(pr, i, eta, mu, deriv, nx->z, nx->wt, zero_variance);
    }
    return n_good;
}

/* One half of evaluate(): its rows' eta, mu and deviance a block of rows at a time, then the
 * block's working values and sums when asked. */
static void evaluate_half(void *ctx, size_t t)
{
    eval_job *job = ctx;
    const sk_glm_problem *pr = job->pr;
    size_t lo, hi;
    sk_parallel_range(pr->n, 2, t, &lo, &hi);
    long double dev = 0;
    sk_glm_next *nx = job->next;
    size_t n_good = 0;
    bool zero_variance = false, invalid = false, extreme = false;
    const double eps = 10 * DBL_EPSILON;
    if (nx && nx->normal) memset(nx->acc[t], 0, (pr->p + 1) * (pr->p + 1) * sizeof(double));
    for (size_t start = lo; start < hi; start += EVAL_BLOCK) {
        size_t end = hi - start < EVAL_BLOCK ? hi : start + EVAL_BLOCK;
        eta_block(pr, job->b, start, end, job->eta);
        double d[EVAL_BLOCK];
        n_good += rows_block(pr, start, end, job->eta, job->mu, d, nx, &zero_variance);
        for (size_t i = 0; i < end - start; i++) dev += d[i];
        for (size_t i = start; i < end; i++) { /* binomial()$validmu; glm.fit's last warning */
            const double m = job->mu[i];
            invalid |= !(m > 0 && m < 1);
            extreme |= m > 1 - eps || m < eps;
        }
        for (size_t b0 = start; nx && nx->normal && b0 < end; b0 += SK_GLM_NORMAL_BLOCK) {
            size_t nb = end - b0 < SK_GLM_NORMAL_BLOCK ? end - b0 : SK_GLM_NORMAL_BLOCK;
            sk_glm_normal_block(pr->cols, pr->p, b0, nb, nx->wt, nx->z, nx->blk[t], nx->ptr[t],
                                nx->acc[t]);
        }
    }
    job->dev[t] = dev;
    job->invalid_mu[t] = invalid;
    job->extreme[t] = extreme;
    if (nx) nx->n_good[t] = n_good, nx->zero_variance[t] = zero_variance;
}

/* What evaluate() found besides the deviance. */
typedef struct eval_out {
    bool valid_mu, extreme;
} eval_out;

/* eta = X b + offset (b NULL: from the starting means), mu = linkinv(eta); returns the deviance
 * (the two halves' sums added in a fixed order, so the result does not depend on the number of
 * cores). With next, also the next iteration's working values (next->ready). */
static double evaluate(const sk_glm_problem *pr, const double *b, double *eta, double *mu,
                       sk_glm_next *next, eval_out *out)
{
    eval_job job = {pr, b, eta, mu, next, {0, 0}, {false, false}, {false, false}};
    sk_parallel_run_if(pr->n >= 4 * EVAL_BLOCK, 2, evaluate_half, &job);
    if (next) next->ready = true;
    out->valid_mu = !job.invalid_mu[0] && !job.invalid_mu[1];
    out->extreme = job.extreme[0] || job.extreme[1];
    return (double)(job.dev[0] + job.dev[1]);
}

/* The working values of one half of the rows from the current eta and mu, when the last
 * evaluate() did not make them. */
typedef struct work_job {
    const sk_glm_problem *pr;
    const double *eta, *mu;
    double *z, *wt;
    size_t n_good[2];
    bool zero_variance[2];
} work_job;

static void working_half(void *ctx, size_t t)
{
    work_job *job = ctx;
    const sk_glm_problem *pr = job->pr;
    size_t lo, hi, n_good = 0;
    sk_parallel_range(pr->n, 2, t, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        n_good += working_row(pr, i, job->eta, job->mu, sk_glm_mu_eta(pr->link, job->eta[i]),
                              job->z, job->wt, &job->zero_variance[t]);
    job->n_good[t] = n_good;
}

static survkit_status stop(survkit_error *err, const char *message)
{
    return sk_error_set(err, SURVKIT_ERR_NUMERIC, NULL, 0, 0, "%s", message);
}

/* R's step halving: b = (b + b_old)/2 until `ok` holds (finite deviance, or valid mu). */
static survkit_status halve(const sk_glm_problem *pr, double *b, const double *b_old, double *eta,
                            double *mu, sk_glm_next *next, double *dev, eval_out *ev,
                            bool want_valid_mu, survkit_error *err)
{
    for (int ii = 1;; ii++) {
        bool ok = want_valid_mu ? ev->valid_mu : isfinite(*dev);
        if (ok) return SURVKIT_OK;
        if (ii > pr->maxit)
            return stop(err, want_valid_mu ? "inner loop 2; cannot correct step size"
                                           : "inner loop 1; cannot correct step size");
        for (size_t j = 0; j < pr->p; j++) b[j] = (b[j] + b_old[j]) / 2;
        *dev = evaluate(pr, b, eta, mu, next, ev);
    }
}

static void swap(double **a, double **b)
{
    double *t = *a;
    *a = *b, *b = t;
}

/*
 * Whether the deviance's relative changes so far, last and before (R's criterion
 * |dev - dev_old| / (|dev| + 0.1)), predict that the next iterate converges. Near the solution
 * IRLS (Newton's method for the logit) converges quadratically, the change roughly the square of
 * the last one times a constant estimated from the two: predicted = last^3 / before^2. Only a
 * guess, to skip the next working values and sums (a pass over X's cross-products) when they are
 * likely not needed: if the iterate does not converge, the next iteration makes them with a pass
 * of its own, so the guess costs time, never a different result.
 */
static bool predicts_convergence(double last, double before, double epsilon)
{
    if (!(before > 0) || !(last < before)) return false;
    double ratio = last / before;
    return last * ratio * ratio < epsilon / 10;
}

/* z and wt: the caller's working arrays, exchanged with next's as iterations go. */
static survkit_status iterate(const sk_glm_problem *pr, sk_glm_state *s, double **zp,
                              sk_glm_next *next, double *b, double *b_old, survkit_error *err)
{
    const size_t n = pr->n, p = pr->p;
    const double tol = pr->epsilon / 1000 < 1e-7 ? pr->epsilon / 1000 : 1e-7;
    next->normal = s->wls.solver == SURVKIT_GLM_SOLVER_CHOLESKY;
    eval_out ev;
    double dev_old = evaluate(pr, NULL, s->eta, s->mu, next, &ev), dev = dev_old;
    if (!ev.valid_mu) return stop(err, "cannot find valid starting values: please specify some");
    bool have_old = false;
    double change = NAN, change_before = NAN;
    for (int iter = 1; iter <= pr->maxit; iter++) {
        s->iter = iter;
        /* the working values at the current eta: from the last evaluate(), else their own pass */
        const bool fused = next->ready;
        if (fused) swap(&next->z, zp), swap(&next->wt, &s->wt);
        double *z = *zp;
        work_job wj = {pr, s->eta, s->mu, z, s->wt, {0, 0}, {false, false}};
        if (fused) {
            for (size_t t = 0; t < 2; t++)
                wj.n_good[t] = next->n_good[t], wj.zero_variance[t] = next->zero_variance[t];
        } else {
            sk_parallel_run_if(n >= 4 * EVAL_BLOCK, 2, working_half, &wj);
        }
        if (wj.zero_variance[0] || wj.zero_variance[1]) return stop(err, "0s in V(mu)");
        size_t n_good = wj.n_good[0] + wj.n_good[1];
        if (n_good == 0 && iter == 1) /* R warns, then fails for want of a fit */
            return sk_error_set(err, SURVKIT_ERR_NO_DATA, NULL, 0, 0,
                                "no observations informative at iteration 1 (every weight is 0)");
        if (n_good == 0) {
            char text[96];
            snprintf(text, sizeof text, "no observations informative at iteration %d", iter);
            sk_glm_warn(s, text);
            s->converged = false;
            break;
        }
        /* the Cholesky solve from the sums evaluate() made, else a solve with its own pass */
        bool summed = fused && next->normal;
        bool solved = summed && s->wls.solver == SURVKIT_GLM_SOLVER_CHOLESKY &&
                      sk_glm_wls_solve_sums(&s->wls, next->acc[0], next->acc[1]);
        if (summed && !solved) s->wls.solver = SURVKIT_GLM_SOLVER_QR; /* for good */
        if (!solved) RETURN_IF_ERROR(sk_glm_wls_solve(&s->wls, pr->cols, s->wt, z, tol, err));
        next->normal = s->wls.solver == SURVKIT_GLM_SOLVER_CHOLESKY;
        next->ready = false;
        bool finite = true;
        for (size_t j = 0; j < p; j++) finite &= isfinite(s->wls.coef[j]) != 0;
        if (!finite) {
            char text[96];
            snprintf(text, sizeof text, "non-finite coefficients at iteration %d", iter);
            sk_glm_warn(s, text);
            s->converged = false;
            break;
        }
        RETURN_ERROR_IF(n < s->wls.rank, err, SURVKIT_ERR_NUMERIC,
                        "X matrix has rank %zu, but only %zu observations", s->wls.rank, n);
        memcpy(b, s->wls.coef, p * sizeof *b);
        sk_glm_next *want = predicts_convergence(change, change_before, pr->epsilon) ? NULL : next;
        dev = evaluate(pr, b, s->eta, s->mu, want, &ev);
        s->boundary = false;
        if (!isfinite(dev)) {
            if (!have_old)
                return stop(err, "no valid set of coefficients has been found: please supply "
                                 "starting values");
            sk_glm_warn(s, "step size truncated due to divergence");
            RETURN_IF_ERROR(halve(pr, b, b_old, s->eta, s->mu, want, &dev, &ev, false, err));
            s->boundary = true;
        }
        if (!ev.valid_mu) {
            if (!have_old)
                return stop(err, "no valid set of coefficients has been found: please supply "
                                 "starting values");
            sk_glm_warn(s, "step size truncated: out of bounds");
            RETURN_IF_ERROR(halve(pr, b, b_old, s->eta, s->mu, want, &dev, &ev, true, err));
            s->boundary = true;
        }
        if (pr->progress && pr->progress(pr->progress_user, "fit", (uint64_t)iter,
                                         (uint64_t)pr->maxit, dev) != 0)
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0, "cancelled");
        memcpy(s->coef, b, p * sizeof *b);
        change_before = change;
        change = fabs(dev - dev_old) / (0.1 + fabs(dev));
        if (change < pr->epsilon) {
            s->converged = true;
            break;
        }
        dev_old = dev;
        memcpy(b_old, b, p * sizeof *b);
        have_old = true;
    }
    s->dev = dev;
    s->extreme = ev.extreme;
    return SURVKIT_OK;
}

survkit_status sk_glm_irls(const sk_glm_problem *pr, sk_glm_state *s, survkit_error *err)
{
    memset(s, 0, sizeof *s);
    const size_t n = pr->n, p = pr->p;
    s->coef = sk_calloc_array(p, sizeof *s->coef);
    /* the n-row arrays mapped at once (core/memory.h: page faults one by one cost more) */
    s->eta = sk_malloc_filled(n, sizeof *s->eta);
    s->mu = sk_malloc_filled(n, sizeof *s->mu);
    s->wt = sk_malloc_filled(n, sizeof *s->wt);
    double *z = sk_malloc_filled(n, sizeof *z);
    double *b = sk_calloc_array(2 * p, sizeof *b);
    /* the next iteration's working values, and the normal equations' sums of each half */
    sk_glm_next next = {0};
    next.z = sk_malloc_filled(n, sizeof(double));
    next.wt = sk_malloc_filled(n, sizeof(double));
    double *scratch = sk_malloc_array(2 * SK_GLM_NORMAL_SCRATCH(p), sizeof(double));
    const double **ptrs = sk_malloc_array(2 * (2 * p + 1), sizeof(double *));
    for (size_t t = 0; scratch && ptrs && t < 2; t++) {
        next.acc[t] = scratch + t * SK_GLM_NORMAL_SCRATCH(p);
        next.blk[t] = next.acc[t] + (p + 1) * (p + 1);
        next.ptr[t] = ptrs + t * (2 * p + 1);
    }
    survkit_status status = SURVKIT_OK;
    if (!s->coef || !s->eta || !s->mu || !s->wt || !z || !b || !next.z || !next.wt || !scratch ||
        !ptrs)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory in the glm fit");
    else memset(s->wt, 0, n * sizeof *s->wt), memset(next.wt, 0, n * sizeof *next.wt);
    if (status == SURVKIT_OK) status = sk_glm_wls_init(&s->wls, n, p, pr->solver, err);
    if (status == SURVKIT_OK) status = iterate(pr, s, &z, &next, b, b + p, err);
    free(z);
    free(b);
    free(next.z), free(next.wt), free(scratch), free((void *)ptrs);
    if (status != SURVKIT_OK) return status;
    if (!s->converged) sk_glm_warn(s, "glm.fit: algorithm did not converge");
    if (s->boundary) sk_glm_warn(s, "glm.fit: algorithm stopped at boundary value");
    if (s->extreme) sk_glm_warn(s, "glm.fit: fitted probabilities numerically 0 or 1 occurred");
    for (size_t j = s->wls.rank; j < p; j++) s->coef[s->wls.pivot[j]] = NAN;
    return SURVKIT_OK;
}
