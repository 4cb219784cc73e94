/*
 * frailty_gauss.c: the choice of theta for a gaussian frailty, R's frailty.controlgauss (REML,
 * frailty.gaussian's default method "reml").
 *
 * After the fit at theta_k, with f the frailties (G of them) and trH the trace of the frailty
 * block of H^-1 (sum of fvar):  resid_k = sum(f^2) / (G - trH / theta_k) - theta_k, a root of
 * which is the REML estimate. theta starts at 1; the second is 3 theta when resid > 0, else
 * theta / 3; the third twice (half) the second when both residuals are positive (negative), else
 * the mean of the two; from then on, with the history sorted by theta: twice the largest theta
 * while every residual is positive, half the smallest while every one is negative, else one step
 * of Brent's inverse quadratic interpolation (Numerical Recipes) around the latest point,
 * replaced by the midpoint of its bracket when it falls outside it. Done when |resid| < eps
 * (R's opt$eps, which partial-matches coxpenal.fit's eps2 = sqrt(control$eps)).
 */
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>

double sk_frailty_gauss_next(const double *theta, const double *resid, size_t k, double eps,
                             bool *done)
{
    *done = false;
    if (k == 1) return resid[0] > 0 ? theta[0] * 3 : theta[0] / 3;
    if (k == 2) {
        if (resid[0] > 0 && resid[1] > 0) return theta[1] * 2;
        if (resid[0] < 0 && resid[1] < 0) return theta[1] / 2;
        return (theta[0] + theta[1]) / 2;
    }
    *done = fabs(resid[k - 1]) < eps;
    size_t *ord = malloc(k * sizeof *ord);
    if (ord == NULL) return NAN;
    sk_frailty_order(theta, k, ord);
    bool all_pos = true, all_neg = true;
    double xmax = -INFINITY, xmin = INFINITY;
    size_t b1 = 0;
    for (size_t i = 0; i < k; i++) {
        all_pos &= resid[i] > 0;
        all_neg &= resid[i] < 0;
        if (theta[i] > xmax) xmax = theta[i];
        if (theta[i] < xmin) xmin = theta[i];
        if (ord[i] == k - 1) b1 = i;
    }
    double out;
    if (all_pos) out = 2 * xmax;
    else if (all_neg) out = 0.5 * xmin;
    else {
        if (b1 == 0) b1 = 1;
        else if (b1 == k - 1) b1 = k - 2;
        const double x0 = theta[ord[b1 - 1]], x1 = theta[ord[b1]], x2 = theta[ord[b1 + 1]];
        const double y0 = resid[ord[b1 - 1]], y1 = resid[ord[b1]], y2 = resid[ord[b1 + 1]];
        const double R = y1 / y2, S = y1 / y0, U = R / S;
        const double P = S * (U * (R - U) * (x2 - x1) - (1 - R) * (x1 - x0));
        const double Q = (U - 1) * (R - 1) * (S - 1);
        out = x1 + P / Q;
        if (out > x2) out = (x1 + x2) / 2;
        if (out < x0) out = (x1 + x0) / 2;
    }
    free(ord);
    return out;
}
