/*
 * survreg_newton.c: R's survreg6 as survival 3.5-3 (the version survkit is anchored to) has it:
 * the Newton-Raphson iteration over (beta, log sigma), step by step so that iterates, iteration
 * counts and the returned variance are R's.
 *
 *   at the start point: loglik, U, I; the step I^- U (cholesky3; when I is not non-negative
 *     definite, the step uses J'J instead); trial = start + step.
 *   for iter = 1 .. iter_max: evaluate the trial point in full;
 *     converged when its loglik is finite, |1 - loglik / new| <= eps and no halving is under way:
 *       the trial point is the answer, its inverse information the variance;
 *     if its loglik is not finite or fell: up to five times while it is below the base's,
 *       trial = (trial + base) / 2 (the first time of a run also no log scale more than 1.1 below
 *       the base's), evaluating only the loglik (a NaN loglik is not "below": no halving, as in R);
 *     else accept: halving = 0, loglik = new, base = trial, trial = base + I^- U.
 *   out of iterations: the last trial point is the answer whatever it is, with its loglik and
 *     inverse information, and the flag 1000.
 * (Later versions of survival changed this loop: halving by (trial + 2 base) / 3, an absolute
 * convergence test, checks of U and I; survkit follows 3.5-3, the R it is tested against.)
 */
#include "survreg/survreg_internal.h"

#include "cox/cox_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct newton_ws {
    const sk_sr_problem *pb;
    sk_sr_work *work;
    size_t p2, nb;      /* parameters iterated; length of beta (with a fixed log scale) */
    double *imat, *jj, *step, *trial;
    double toler;
} newton_ws;

/* Solve for the Newton step at `at` (where imat and u were last evaluated) into ws->step; the
 * rank (negative when I is not non-negative definite) is returned. imat is left factored. */
static int newton_step(newton_ws *ws, const double *at, const double *u)
{
    int flag = sk_cox_cholesky3(ws->imat, ws->p2, ws->toler);
    memcpy(ws->step, u, ws->p2 * sizeof(double));
    if (flag >= 0) {
        sk_cox_chsolve2(ws->imat, ws->p2, ws->step);
        return flag;
    }
    /* R's fallback: J'J at the same point (computed only now that it is needed) */
    double *scratch_u = ws->step + ws->p2;
    (void)sk_sr_eval(ws->pb, ws->work, at, scratch_u, ws->imat, ws->jj, NULL);
    (void)sk_cox_cholesky3(ws->jj, ws->p2, ws->toler);
    sk_cox_chsolve2(ws->jj, ws->p2, ws->step);
    /* imat was overwritten by the re-evaluation: factor it again as R left it */
    (void)sk_cox_cholesky3(ws->imat, ws->p2, ws->toler);
    return flag;
}

static void invert(newton_ws *ws, double *var)
{
    sk_cox_chinv2(ws->imat, ws->p2);
    memcpy(var, ws->imat, ws->p2 * ws->p2 * sizeof(double));
}

survkit_status sk_sr_newton(const sk_sr_problem *pb, sk_sr_work *work, double *beta, int iter_max,
                            double eps, double toler_chol, sk_sr_newton_out *out,
                            survkit_error *err)
{
    const size_t p2 = pb->nvar + pb->nstrat;
    const size_t nb = pb->nvar + (pb->nstrat > 0 ? pb->nstrat : 1);
    newton_ws ws = {pb, work, p2, nb, NULL, NULL, NULL, NULL, toler_chol};
    ws.imat = sk_malloc_array(p2 * p2, sizeof(double));
    ws.jj = sk_malloc_array(p2 * p2, sizeof(double));
    ws.step = sk_malloc_array(2 * p2, sizeof(double));
    ws.trial = sk_malloc_array(nb, sizeof(double));
    survkit_status status = SURVKIT_OK;
    if (!ws.imat || !ws.jj || !ws.step || !ws.trial) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    double *u = out->u;
    double loglik = sk_sr_eval(pb, work, beta, u, ws.imat, NULL, out->eta);
    int flag = newton_step(&ws, beta, u);
    memcpy(ws.trial, beta, nb * sizeof(double)); /* keeps a fixed log scale at the end */
    for (size_t j = 0; j < p2; j++) ws.trial[j] = beta[j] + ws.step[j];
    if (iter_max == 0) {
        invert(&ws, out->var);
        out->loglik = loglik, out->iter = 0, out->flag = flag;
        goto done;
    }
    int halving = 0;
    double newlk = sk_sr_eval(pb, work, ws.trial, u, ws.imat, NULL, out->eta);
    for (int iter = 1; iter <= iter_max; iter++) {
        if (isfinite(newlk) && fabs(1 - loglik / newlk) <= eps && halving == 0) {
            flag = sk_cox_cholesky3(ws.imat, p2, toler_chol);
            invert(&ws, out->var);
            memcpy(beta, ws.trial, p2 * sizeof(double));
            out->loglik = newlk, out->iter = iter, out->flag = flag;
            goto done;
        }
        if (!isfinite(newlk) || newlk < loglik) {
            for (int j = 0; j < 5 && newlk < loglik; j++) {
                halving++;
                for (size_t k = 0; k < p2; k++) ws.trial[k] = (ws.trial[k] + beta[k]) / 2;
                /* a log scale may have fallen by a factor of 10 or more: back away further */
                if (halving == 1)
                    for (size_t k = pb->nvar; k < p2; k++)
                        if (beta[k] - ws.trial[k] > 1.1) ws.trial[k] = beta[k] - 1.1;
                newlk = sk_sr_eval(pb, work, ws.trial, NULL, NULL, NULL, NULL);
            }
        } else {
            halving = 0;
            loglik = newlk;
            flag = newton_step(&ws, ws.trial, u);
            for (size_t j = 0; j < p2; j++) {
                beta[j] = ws.trial[j];
                ws.trial[j] += ws.step[j];
            }
        }
        newlk = sk_sr_eval(pb, work, ws.trial, u, ws.imat, NULL, out->eta);
        if (out->progress && out->progress(out->progress_user, iter, newlk) != 0) {
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0, "cancelled");
            goto done;
        }
    }
    /* out of iterations: R keeps the last trial point, good or not */
    (void)sk_cox_cholesky3(ws.imat, p2, toler_chol);
    invert(&ws, out->var);
    memcpy(beta, ws.trial, p2 * sizeof(double));
    out->loglik = newlk, out->iter = iter_max, out->flag = 1000;
done:
    free(ws.imat), free(ws.jj), free(ws.step), free(ws.trial);
    return status;
}
