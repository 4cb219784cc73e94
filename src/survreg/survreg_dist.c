/*
 * survreg_dist.c: the distributions of survreg (R's survreg.distributions) and their density
 * kernels, as survregc1 evaluates them.
 *
 * W standard extreme value (minimum): F(z) = 1 - exp(-e^z), f = e^z exp(-e^z), f'/f = 1 - e^z,
 *   f''/f = e^z (e^z - 3) + 1; z is clamped to [-200, 200] (survregc1's SMALL) in the C kernel.
 * W logistic: F = e^z / (1 + e^z), f = e^z / (1 + e^z)^2, f'/f = (1 - e^z) / (1 + e^z),
 *   f''/f = (e^2z - 4 e^z + 1) / (1 + e^z)^2; exp is only taken of -|z|.
 * W standard normal: f'/f = -z, f''/f = z^2 - 1; F and 1 - F from the tail that keeps the digits.
 * weibull, exponential (scale 1), lognormal and loglogistic are these for log T.
 */
#include "survreg/survreg_internal.h"
#include "survreg/survreg_row.h"

#include "cox/cox_internal.h"

#include <math.h>
#include <string.h>

#define SMALL SK_SR_SMALL /* survreg_row.h */
#define SPI 2.506628274631001    /* sqrt(2 pi), survregc1's constant */
#define ROOT_2 1.414213562373095 /* sqrt(2), survregc1's constant */
#define SQRT_2 1.4142135623730951 /* sqrt(2) to the double nearest, for R's pnorm */

static const sk_sr_dist_info infos[] = {
    [SURVKIT_SURVREG_WEIBULL] = {"weibull", "Weibull", SK_SR_EXTREME, true, 0},
    [SURVKIT_SURVREG_EXPONENTIAL] = {"exponential", "Exponential", SK_SR_EXTREME, true, 1},
    [SURVKIT_SURVREG_GAUSSIAN] = {"gaussian", "Gaussian", SK_SR_GAUSSIAN, false, 0},
    [SURVKIT_SURVREG_LOGISTIC] = {"logistic", "Logistic", SK_SR_LOGISTIC, false, 0},
    [SURVKIT_SURVREG_LOGNORMAL] = {"lognormal", "Log Normal", SK_SR_GAUSSIAN, true, 0},
    [SURVKIT_SURVREG_LOGLOGISTIC] = {"loglogistic", "Log logistic", SK_SR_LOGISTIC, true, 0},
};
enum { N_DISTS = sizeof infos / sizeof infos[0] };

const sk_sr_dist_info *sk_sr_dist(survkit_survreg_dist d)
{
    return (unsigned)d < N_DISTS ? &infos[d] : &infos[0];
}

survkit_status survkit_survreg_dist_parse(const char *name, survkit_survreg_dist *out,
                                          survkit_error *err)
{
    for (size_t k = 0; name != NULL && k < N_DISTS; k++)
        if (strcmp(name, infos[k].name) == 0) {
            *out = (survkit_survreg_dist)k;
            return SURVKIT_OK;
        }
    return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                        "unknown distribution '%s' (weibull, exponential, gaussian, logistic, "
                        "lognormal or loglogistic)", name ? name : "");
}

const char *survkit_survreg_dist_name(survkit_survreg_dist d) { return sk_sr_dist(d)->name; }
const char *survkit_survreg_dist_title(survkit_survreg_dist d) { return sk_sr_dist(d)->title; }
bool survkit_survreg_dist_is_log(survkit_survreg_dist d) { return sk_sr_dist(d)->log_time; }

static void extreme_d(double z, double ans[4], int which)
{
    const double w = z < SMALL ? exp(SMALL) : (-z < SMALL ? exp(-SMALL) : exp(z));
    const double wt[2] = {w, exp(-w)};
    sk_sr_extreme_from(wt, which, ans); /* the evaluation pass's kernel, survreg_row.h */
}

static void logistic_d(double z, double ans[4], int which)
{
    /* by symmetry only exp(-|z|) is ever taken */
    double w = z > 0 ? exp(-z) : exp(z);
    double sign = z > 0 ? -1 : 1;
    int ii = z > 0 ? 0 : 1;
    double t = 1 + w;
    if (which == 1) {
        ans[1] = w / (t * t);
        ans[2] = sign * (1 - w) / t;
        ans[3] = (w * w - 4 * w + 1) / (t * t);
    } else {
        ans[1 - ii] = w / t;
        ans[ii] = 1 / t;
        ans[2] = w / (t * t);
        ans[3] = sign * ans[2] * (1 - w) / t;
    }
}

static void gauss_d(double z, double ans[4], int which)
{
    double f = exp(-z * z / 2) / SPI;
    if (which == 1) {
        ans[1] = f;
        ans[2] = -z;
        ans[3] = z * z - 1;
    } else {
        if (z > 0) {
            ans[0] = (1 + erf(z / ROOT_2)) / 2;
            ans[1] = erfc(z / ROOT_2) / 2;
        } else {
            ans[1] = (1 + erf(-z / ROOT_2)) / 2;
            ans[0] = erfc(-z / ROOT_2) / 2;
        }
        ans[2] = f;
        ans[3] = -z * f;
    }
}

void sk_sr_density(sk_sr_base base, double z, int which, double ans[4])
{
    switch (base) {
    case SK_SR_EXTREME: extreme_d(z, ans, which); break;
    case SK_SR_LOGISTIC: logistic_d(z, ans, which); break;
    case SK_SR_GAUSSIAN: gauss_d(z, ans, which); break;
    }
}

void sk_sr_density5(sk_sr_base base, double z, double d[5])
{
    switch (base) {
    case SK_SR_EXTREME: { /* no clamping in R's version */
        double w = exp(z), ww = exp(-w);
        d[0] = 1 - ww, d[1] = ww, d[2] = w * ww, d[3] = 1 - w, d[4] = w * (w - 3) + 1;
        break;
    }
    case SK_SR_LOGISTIC: {
        double w = exp(z), t = 1 + w;
        d[0] = w / t, d[1] = 1 / t, d[2] = w / (t * t), d[3] = (1 - w) / t;
        d[4] = (w * (w - 4) + 1) / (t * t);
        break;
    }
    case SK_SR_GAUSSIAN:
        d[0] = erfc(-z / SQRT_2) / 2, d[1] = erfc(z / SQRT_2) / 2;
        d[2] = exp(-z * z / 2) / SPI, d[3] = -z, d[4] = z * z - 1;
        break;
    }
}

void sk_sr_init(sk_sr_base base, const double *y, const double *w, size_t n, double out[2])
{
    double sw = 0, swy = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w ? w[i] : 1;
        sw += wi, swy += wi * y[i];
    }
    double mean = swy / sw, ss = 0;
    for (size_t i = 0; i < n; i++) {
        double d = y[i] - mean;
        ss += (w ? w[i] : 1) * d * d;
    }
    double var = ss / sw;
    switch (base) {
    case SK_SR_EXTREME: out[0] = mean + .572, out[1] = var / 1.64; break;
    case SK_SR_LOGISTIC: out[0] = mean, out[1] = var / 3.2; break;
    case SK_SR_GAUSSIAN: out[0] = mean, out[1] = var; break;
    }
}

double sk_sr_quantile(sk_sr_base base, double p)
{
    switch (base) {
    case SK_SR_EXTREME: return log(-log1p(-p));
    case SK_SR_LOGISTIC: return log(p / (1 - p));
    case SK_SR_GAUSSIAN: return sk_cox_normal_quantile(p);
    }
    return NAN;
}

double sk_sr_survival(sk_sr_base base, double z)
{
    switch (base) {
    case SK_SR_EXTREME: return exp(-exp(z));
    case SK_SR_LOGISTIC: return z > 0 ? exp(-z) / (1 + exp(-z)) : 1 / (1 + exp(z));
    case SK_SR_GAUSSIAN: return erfc(z / SQRT_2) / 2;
    }
    return NAN;
}
