/*
 * newton.c: Newton-Raphson for the Cox partial likelihood, step by step as R's survival does it,
 * so that iterates, iteration counts, convergence flags and the returned variance agree with R.
 *
 * The iteration runs in scaled coordinates x_j * scale_j (R rescales each covariate; this only
 * matters for the rank tolerance of cholesky2). From the initial coefficients:
 *
 *   iteration 0: loglik0, U, I at init; the score test U' I^- U; the first step I^- U.
 *   then, while iterations remain: evaluate the trial point;
 *     converged when |1 - best/loglik| <= eps (and, for agfit4 and coxexact, not while halving);
 *     if the loglik fell (or something overflowed) step halving: trial = (trial + h base)/(h + 1)
 *       with h = 1, 2, ... (coxfit6, agfit4) or h = 1 always (coxexact);
 *     else accept: best = loglik, base = trial, trial = trial + I^- U.
 *
 * The three flavours differ in R in the details kept here exactly:
 *   coxfit6 (right-censored Breslow/Efron): converges even while halving (flag -2); running out of
 *     iterations reports iter_max + 1 iterations and, when iter_max > 1, recomputes loglik, U and I
 *     at the last accepted point and inverts I *without refactoring it* (R's chinv2 on the raw
 *     matrix), which gives the variance diag(1 / I_jj); with iter_max = 1 the variance is that of
 *     the last trial point and U is the last step.
 *   agfit4 (counting process): a change of rank also counts as failure; on the last iteration the
 *     trial point is kept unless its loglik fell by more than eps relative, then the last accepted
 *     point is re-evaluated; the rank reported is that at init; iterations as counted.
 *   coxexact: halving always halves; the last iteration stops before halving; out of iterations
 *     with iter_max > 1 it re-evaluates the last accepted point and, like coxfit6, inverts the
 *     unfactored information.
 */
#include "cox/cox_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct newton_state {
    const sk_cox_newton_in *in;
    size_t p;
    double *orig_beta, *u, *imat; /* kernel coordinates */
} newton_state;

/* Evaluate at scaled beta: U and I come back in scaled coordinates. */
static double evaluate(newton_state *st, const double *beta_s, double *u_s, double *imat_s)
{
    const size_t p = st->p;
    const double *s = st->in->scale;
    for (size_t j = 0; j < p; j++) st->orig_beta[j] = beta_s[j] * s[j];
    double ll = st->in->eval(st->in->ctx, st->orig_beta, u_s, imat_s);
    for (size_t j = 0; j < p; j++) {
        u_s[j] *= s[j];
        for (size_t i = 0; i < p; i++) imat_s[i + j * p] *= s[i] * s[j];
    }
    return ll;
}

static bool any_nonfinite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return true;
    return false;
}

/* R's chinv2 applied to a matrix that was never factored: the off-diagonal vanishes, a positive
 * diagonal element is inverted, any other is left as it is. */
static void invert_unfactored(double *a, size_t p)
{
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < p; i++) {
            if (i != j) a[i + j * p] = 0;
            else if (a[i + i * p] > 0) a[i + i * p] = 1 / a[i + i * p];
        }
}

static bool report(const sk_cox_newton_in *in, int iter, double loglik)
{
    if (in->progress == NULL) return true;
    return in->progress(in->progress_user, "fit", (uint64_t)iter, (uint64_t)in->iter_max, loglik) == 0;
}

survkit_status sk_cox_newton(const sk_cox_newton_in *in, sk_cox_newton_out *out,
                             survkit_error *err)
{
    const size_t p = in->p;
    const sk_cox_flavour fl = in->flavour;
    const int maxiter = in->iter_max;
    double *mem = sk_malloc_array(p * p + 5 * p + 1, sizeof(double));
    RETURN_ERROR_IF(mem == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (Newton-Raphson)");
    newton_state st = {in, p, mem, NULL, NULL};
    double *imat = mem + p, *u = imat + p * p, *base = u + p, *trial = base + p, *step = trial + p;
    st.u = u;
    st.imat = imat;

    for (size_t j = 0; j < p; j++) base[j] = in->init[j] / in->scale[j];

    /* Iteration 0. */
    double newlk = evaluate(&st, base, u, imat);
    double best = newlk;
    out->loglik0 = newlk;
    int rank0 = sk_cox_cholesky2(imat, p, in->toler_chol);
    memcpy(step, u, p * sizeof(double));
    sk_cox_chsolve2(imat, p, step);
    out->score_test = 0;
    for (size_t j = 0; j < p; j++) out->score_test += u[j] * step[j];
    out->flag = rank0;
    out->converged = true;
    out->cancelled = false;
    int iter = 0;
    bool unfactored = false;
    const double *final_beta = base;
    if (!report(in, 0, newlk)) goto cancelled;

    if (maxiter == 0 || !isfinite(newlk)) {
        if (fl == SK_COX_EXACT) memcpy(u, step, p * sizeof(double)); /* coxexact returns the step */
        goto finish;
    }
    for (size_t j = 0; j < p; j++) trial[j] = base[j] + step[j];

    int halving = 0;
    for (iter = 1; iter <= maxiter; iter++) {
        newlk = evaluate(&st, trial, u, imat);
        if (!report(in, iter, newlk)) goto cancelled;
        int diag_fail = 0;
        for (size_t j = 0; j < p; j++) diag_fail += !isfinite(imat[j + j * p]);
        bool notfinite = any_nonfinite(u, p) || any_nonfinite(imat, p * p) || !isfinite(newlk);
        int rank = sk_cox_cholesky2(imat, p, in->toler_chol);
        bool failed;
        if (fl == SK_COX_AGFIT4) {
            failed = diag_fail + !isfinite(newlk) + abs(rank0 - rank) > 0;
        } else {
            failed = notfinite;
            out->flag = rank;
        }
        bool crit = fabs(1 - best / newlk) <= in->eps;
        if (!failed && crit && (fl == SK_COX_COXFIT6 || halving == 0)) {
            best = newlk;
            final_beta = trial;
            if (fl == SK_COX_COXFIT6 && halving) out->flag = -2;
            goto finish;
        }
        if (iter == maxiter && fl == SK_COX_AGFIT4) {
            out->converged = false;
            if (maxiter > 1 && (newlk - best) / fabs(best) < -in->eps) {
                memcpy(trial, base, p * sizeof(double));
                newlk = evaluate(&st, trial, u, imat);
                (void)sk_cox_cholesky2(imat, p, in->toler_chol);
            }
            best = newlk;
            final_beta = trial;
            goto finish;
        }
        if (iter == maxiter && fl == SK_COX_EXACT) break;
        if (failed || newlk < best) {
            if (fl == SK_COX_EXACT) {
                halving = 1;
                for (size_t j = 0; j < p; j++) trial[j] = (base[j] + trial[j]) / 2;
            } else {
                halving++;
                for (size_t j = 0; j < p; j++)
                    trial[j] = (trial[j] + halving * base[j]) / (halving + 1.0);
            }
        } else {
            halving = 0;
            best = newlk;
            sk_cox_chsolve2(imat, p, u); /* u becomes the step, as in R */
            memcpy(base, trial, p * sizeof(double));
            for (size_t j = 0; j < p; j++) trial[j] += u[j];
        }
    }

    /* Out of iterations (coxfit6 and coxexact). */
    out->converged = false;
    out->flag = 1000;
    final_beta = base;
    if (fl == SK_COX_COXFIT6) {
        iter = maxiter + 1;
        if (maxiter > 1) {
            best = evaluate(&st, base, u, imat);
            unfactored = true;
        }
    } else { /* coxexact: stopped at iter == maxiter before any halving */
        iter = maxiter;
        if (maxiter > 1) {
            best = evaluate(&st, base, u, imat);
            unfactored = true;
        } else {
            best = newlk;
            final_beta = trial;
        }
    }

finish:
    out->loglik = iter == 0 ? out->loglik0 : best;
    out->iterations = iter;
    if (fl == SK_COX_AGFIT4) out->flag = rank0;
    if (unfactored) invert_unfactored(imat, p);
    else sk_cox_chinv2(imat, p);
    for (size_t j = 0; j < p; j++) {
        double sj = in->scale[j];
        out->beta_scaled[j] = final_beta[j];
        out->beta[j] = final_beta[j] * sj;
        out->u_scaled[j] = u[j];
        out->u[j] = u[j] / sj;
        for (size_t i = 0; i < p; i++) {
            out->var_scaled[i + j * p] = imat[i + j * p];
            out->var[i + j * p] = imat[i + j * p] * in->scale[i] * sj;
        }
    }
    free(mem);
    return SURVKIT_OK;

cancelled:
    free(mem);
    out->cancelled = true;
    return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0, "cancelled");
}
