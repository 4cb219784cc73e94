/*
 * survreg_row.h: one row's log-likelihood and its first two derivatives in eta and log(sigma), as
 * survregc1 computes them (Mayo Biostatistics technical report 53).
 *
 * With sz = y - eta = sigma z:
 *   exact:    g = log f(z) - log sigma;   right: g = log(1 - F(z));   left: g = log F(z);
 *   interval: g = log(F(zu) - F(z)), from whichever tail keeps the digits (z > 0: the upper one).
 * For the first three, with A = d g / d z terms (see each case), dg = -A / sigma,
 *   ddg = B / sigma^2 - dg^2, dsig = dg sz (less 1 for an exact row),
 *   dsg = sz B / sigma^2 - dg (dsig + 1), ddsig = sz^2 B / sigma^2 - dsig (1 + dsig),
 * computed in survregc1's order so that the rounding is R's. A probability that underflows to 0
 * gives g = -200 and derivatives that only serve to trigger step halving, as in R.
 * The caller may pass the lower end's density values (for the extreme value from w = e^z and
 * exp(-w), computed a block at a time by core/vexp.c) and the log of the probability term
 * (core/vlog.c). The logs stay survregc1's log(w exp(-w)) and log(exp(-w)), not z - w and -w:
 * where exp(-w) rounds to 1 R's log is exactly 0, and a degenerate fit (no events) converges or
 * not on that.
 */
#ifndef SURVKIT_SURVREG_ROW_H
#define SURVKIT_SURVREG_ROW_H

#include "survreg/survreg_internal.h"

#include <math.h>
#include <string.h>

/* (A header of static inline functions: the evaluation pass calls the kernel a million times an
 * evaluation, and a call across files costs more than the arithmetic of most rows.) */

#define SK_SR_SMALL (-200.0)

/* The extreme-value kernel's values from w = e^z (z clamped) and t = exp(-w), given. */
static inline void sk_sr_extreme_from(const double wt[2], int which, double ans[4])
{
    const double w = wt[0], t = wt[1];
    if (which == 1) {
        ans[1] = w * t;
        ans[2] = 1 - w;
        ans[3] = w * (w - 3) + 1;
    } else {
        ans[0] = 1 - t;
        ans[1] = t;
        ans[2] = w * t;
        ans[3] = w * t * (1 - w);
    }
}

/* lower: when not NULL, the lower end's four values as sk_sr_density(base, z, which) gives them
 * (which = 1 for an exact row, else 2), computed by the caller; lg: when not NULL, the log of the
 * row's probability term (f(z) exact, 1 - F(z) right, F(z) left; not used for interval rows),
 * computed a block at a time by the caller (core/vlog.c). */
static inline void sk_sr_row_derivs(sk_sr_base base, int status, double y1, double y2, double eta, double sigma,
                      double log_sigma, const double *lower, const double *lg, sk_sr_row *o)
{
    double funs[4], ufun[4];
    double sz = y1 - eta, z = sz / sigma, sig2 = 1 / (sigma * sigma);
    /* the lower end's density values: from the block's vectorised exponentials when given */
#define LOWER(which) (lower ? (void)memcpy(funs, lower, sizeof funs) : sk_sr_density(base, z, which, funs))
    double temp, temp2;
    switch (status) {
    case SK_SR_EXACT:
        LOWER(1);
        if (funs[1] <= 0) {
            *o = (sk_sr_row){SK_SR_SMALL, -z / sigma, -1 / sigma, 0, 0, 0};
            return;
        }
        o->g = (lg ? *lg : log(funs[1])) - log_sigma;
        temp = funs[2] / sigma;
        temp2 = funs[3] * sig2;
        break;
    case SK_SR_RIGHT:
        LOWER(2);
        if (funs[1] <= 0) {
            *o = (sk_sr_row){SK_SR_SMALL, z / sigma, 0, 0, 0, 0};
            return;
        }
        o->g = lg ? *lg : log(funs[1]);
        temp = -funs[2] / (funs[1] * sigma);
        temp2 = -funs[3] * sig2 / funs[1];
        break;
    case SK_SR_LEFT:
        LOWER(2);
        if (funs[0] <= 0) {
            *o = (sk_sr_row){SK_SR_SMALL, -z / sigma, 0, 0, 0, 0};
            return;
        }
        o->g = lg ? *lg : log(funs[0]);
        temp = funs[2] / (funs[0] * sigma);
        temp2 = funs[3] * sig2 / funs[0];
        break;
    default: { /* interval */
        double zu = (y2 - eta) / sigma;
        LOWER(2);
        sk_sr_density(base, zu, 2, ufun);
        double p = z > 0 ? funs[1] - ufun[1] : ufun[0] - funs[0];
        if (p <= 0) {
            *o = (sk_sr_row){SK_SR_SMALL, 1, 0, 0, 0, 0};
            return;
        }
        o->g = log(p);
        o->dg = -(ufun[2] - funs[2]) / (p * sigma);
        o->ddg = (ufun[3] - funs[3]) * sig2 / p - o->dg * o->dg;
        o->dsig = (z * funs[2] - zu * ufun[2]) / p;
        o->ddsig = ((zu * zu * ufun[3] - z * z * funs[3]) / p) - o->dsig * (1 + o->dsig);
        o->dsg = ((zu * ufun[3] - z * funs[3]) / (p * sigma)) - o->dg * (o->dsig + 1);
        return;
    }
    }
    o->dg = -temp;
    o->dsig = -temp * sz;
    o->ddg = temp2 - o->dg * o->dg;
    o->dsg = sz * temp2 - o->dg * (o->dsig + 1);
    o->ddsig = sz * sz * temp2 - o->dsig * (1 + o->dsig);
    if (status == SK_SR_EXACT) o->dsig -= 1;
}
#undef LOWER

#endif /* SURVKIT_SURVREG_ROW_H */
