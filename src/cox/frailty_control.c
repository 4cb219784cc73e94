/*
 * frailty_control.c: the frailty variance searches of R's frailty(method = "aic") and
 * frailty(df = ) (frailty.controlaic, frailty.controldf), for the outer loop of frailty.c.
 *
 * AIC: theta = 0.1, then 1, then the mean of the two; afterwards frailty.brent (lower = 0) on
 * (theta, plik - df) of every fit so far, where plik is the penalised partial likelihood and df
 * the frailty term's degrees of freedom; done when that criterion changes by less than eps
 * (relative) between the last two fits.
 * df: theta starts at the guess 3 df / (rows); the history starts with the point (0, 0). With one
 * fit, the line through (0, 0) and it, times 1.5 when the fit's df is below the target; then a
 * power curve through the point below the target and the two above it (or around it), or a
 * bisection when the last step gained too little; done when the df is within eps of the target
 * after a second fit (R's iter > 1). pspline(df = ) runs the same rule (pspline.c).
 */
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>

double sk_frailty_aic_next(const double *theta, const double *aic, size_t k, double eps,
                           bool *done)
{
    *done = false;
    if (k == 1) return 1;
    if (k == 2) return (theta[0] + theta[1]) / 2;
    *done = fabs(1 - aic[k - 1] / aic[k - 2]) < eps;
    double amax = -INFINITY, xmax = -INFINITY;
    for (size_t i = 0; i < k; i++) {
        if (aic[i] > amax) amax = aic[i];
        if (theta[i] > xmax) xmax = theta[i];
    }
    /* R compares the last theta (not its criterion) with max(aic): kept as R has it */
    if (theta[k - 1] == amax && theta[k - 1] == xmax) return 2 * xmax;
    return sk_frailty_brent(theta, aic, k);
}

double sk_frailty_df_next(const double *thetas, const double *dfs, size_t nx, int iter,
                          double target, double eps, int *half, bool *done)
{
    *done = false;
    if (nx == 2) { /* the line through (0, 0) and the first fit */
        double theta = thetas[0] + (thetas[1] - thetas[0]) * (target - dfs[0]) / (dfs[1] - dfs[0]);
        if (target > dfs[1]) theta *= 1.5;
        *half = 0;
        return theta;
    }
    /* R: iter > 1 (pspline's history holds two rows before its first fit) */
    *done = iter > 1 && fabs(dfs[nx - 1] - target) < eps;
    const bool doing_well = !(fabs((dfs[nx - 1] - target) / (dfs[nx - 2] - target)) > 0.6);
    size_t *ord = malloc(nx * sizeof *ord);
    double *x = malloc(nx * sizeof *x), *y = malloc(nx * sizeof *y);
    if (ord == NULL || x == NULL || y == NULL) {
        free(ord), free(x), free(y);
        return NAN;
    }
    sk_frailty_order(thetas, nx, ord);
    /* y rising with x: flip the sign when the df fall as theta rises */
    const double sign = (thetas[0] - thetas[1]) * (dfs[0] - dfs[1]) > 0 ? 1 : -1;
    const double t = sign * target;
    bool all_above = true, all_below = true;
    for (size_t i = 0; i < nx; i++) {
        x[i] = thetas[ord[i]];
        y[i] = sign * dfs[ord[i]];
        all_above &= y[i] > t;
        all_below &= y[i] < t;
    }
    size_t b1; /* 0-based: R's b1 - 1 */
    double out = NAN;
    if (all_above) b1 = 0;
    else if (all_below) b1 = nx - 3;
    else {
        b1 = 0;
        for (size_t i = 0; i < nx; i++)
            if (y[i] <= t) b1 = i;
        if (!doing_well && *half < 2) { /* bisect: R's mean(x[b1 + 0:1]) */
            out = (x[b1] + x[b1 + 1]) / 2;
            *half = (*half > 0 ? *half : 0) + 1;
            free(ord), free(x), free(y);
            return out;
        }
        if (b1 + 1 == nx) b1 = nx - 3; /* the last point on the target: R indexes past its end */
        else if (b1 + 2 == nx || (b1 > 0 && (t - y[b1]) < (y[b1 + 1] - t))) b1--;
    }
    /* the power curve y - y[b1] = exp(a) (x - x[b1])^power through b1 + 1, b1 + 2 */
    const double xx1 = log(x[b1 + 1] - x[b1]), xx2 = log(x[b1 + 2] - x[b1]);
    const double yy1 = log(y[b1 + 1] - y[b1]), yy2 = log(y[b1 + 2] - y[b1]);
    const double power = (yy2 - yy1) / (xx2 - xx1), a = yy1 - power * xx1;
    out = x[b1] + exp((log(t - y[b1]) - a) / power);
    *half = 0;
    free(ord), free(x), free(y);
    return out;
}
