/*
 * link.c: the binomial family's links, as R's binomial(link) computes them, clamps included
 * (they decide R's iterates near separation, so they are part of "equal to R"):
 *
 *   logit    linkfun log(mu/(1-mu)); linkinv e/(1+e) with e = exp(eta) (core/vexp.c: within one unit
 *            in the last place of the C library's, which R calls), e = DBL_EPSILON below
 *            eta = -30 and 1/DBL_EPSILON above 30; mu.eta e/(1+e)^2, DBL_EPSILON beyond +-30
 *            (R's C_logit_linkinv and C_logit_mu_eta)
 *   probit   linkfun qnorm(mu); linkinv pnorm(eta) with eta clamped to +-(-qnorm(DBL_EPSILON));
 *            mu.eta max(dnorm(eta), DBL_EPSILON)
 *   cloglog  linkfun log(-log(1-mu)); linkinv -expm1(-exp(eta)) clamped to [DBL_EPSILON,
 *            1-DBL_EPSILON]; mu.eta exp(eta) exp(-exp(eta)) with eta capped at 700, floored at
 *            DBL_EPSILON
 *
 * The deviance residual 2 w (y log(y/mu) + (1-y) log((1-y)/(1-mu))), a term being 0 when its y is
 * 0 (R's C_binomial_dev_resids), and log dbinom for the AIC.
 */
#include "glm/glm_internal.h"
#include "core/vlog.h"
#include "core/vexp.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>

#define LOGIT_THRESH 30.0

/* R's dnorm(x): below |x| = 5 directly; beyond, x split into a part with 16 fractional bits and
 * the rest so that x^2/2 loses no digits in the exponent (R's dnorm4). */
static double dnorm(double x)
{
    static const double inv_sqrt_2pi = 0.398942280401432677939946059934;
    x = fabs(x);
    if (x < 5) return inv_sqrt_2pi * exp(-0.5 * x * x);
    if (x > 38.6) return 0; /* exp underflows: sqrt(-2 log(2^-1074)) */
    double x1 = ldexp(nearbyint(ldexp(x, 16)), -16), x2 = x - x1;
    return inv_sqrt_2pi * (exp(-0.5 * x1 * x1) * exp((-0.5 * x2 - x1) * x2));
}

void sk_glm_linkinv(survkit_glm_link link, const double *eta, double *mu, double *e_out, size_t n)
{
    switch (link) {
    case SURVKIT_GLM_LOGIT:
        sk_exp_array(eta, mu, n); /* exp(eta), vectorised; clamped below as R clamps it */
        for (size_t i = 0; i < n; i++) {
            double e = eta[i] < -LOGIT_THRESH ? DBL_EPSILON
                       : eta[i] > LOGIT_THRESH ? 1 / DBL_EPSILON : mu[i];
            if (e_out) e_out[i] = mu[i];
            mu[i] = e / (1 + e);
        }
        break;
    case SURVKIT_GLM_PROBIT: {
        const double thresh = -gsl_cdf_ugaussian_Pinv(DBL_EPSILON);
        for (size_t i = 0; i < n; i++) {
            double e = eta[i] < -thresh ? -thresh : eta[i] > thresh ? thresh : eta[i];
            mu[i] = gsl_cdf_ugaussian_P(e);
        }
        break;
    }
    case SURVKIT_GLM_CLOGLOG:
        for (size_t i = 0; i < n; i++) {
            double m = -expm1(-exp(eta[i]));
            m = m < 1 - DBL_EPSILON ? m : 1 - DBL_EPSILON;
            mu[i] = m > DBL_EPSILON ? m : DBL_EPSILON;
        }
        break;
    }
}

double sk_glm_mu_eta(survkit_glm_link link, double eta)
{
    return sk_glm_mu_eta_e(link, eta, link == SURVKIT_GLM_LOGIT ? exp(eta) : NAN);
}

double sk_glm_mu_eta_e(survkit_glm_link link, double eta, double e)
{
    switch (link) {
    case SURVKIT_GLM_LOGIT: {
        if (eta > LOGIT_THRESH || eta < -LOGIT_THRESH) return DBL_EPSILON;
        double one_plus = 1 + e;
        return e / (one_plus * one_plus);
    }
    case SURVKIT_GLM_PROBIT: {
        double d = dnorm(eta);
        return d > DBL_EPSILON ? d : DBL_EPSILON;
    }
    case SURVKIT_GLM_CLOGLOG: {
        double capped = eta < 700 ? eta : 700;
        double d = exp(capped) * exp(-exp(capped));
        return d > DBL_EPSILON ? d : DBL_EPSILON;
    }
    }
    return NAN;
}

double sk_glm_linkfun(survkit_glm_link link, double mu)
{
    switch (link) {
    case SURVKIT_GLM_LOGIT: return log(mu / (1 - mu));
    case SURVKIT_GLM_PROBIT: return gsl_cdf_ugaussian_Pinv(mu);
    case SURVKIT_GLM_CLOGLOG: return log(-log(1 - mu));
    }
    return NAN;
}

double sk_glm_dev_resid(double y, double mu, double w)
{
    double a = y != 0 ? y * log(y / mu) : 0;
    double b = 1 - y != 0 ? (1 - y) * log((1 - y) / (1 - mu)) : 0;
    return 2 * w * (a + b);
}

void sk_glm_dev_resid_array(const double *y, const double *mu, const double *w, size_t n,
                            double *out)
{
    /* the two logs' arguments (1 where the term is 0), then the logs four at a time; where y is 0
     * or 1 one term is 0, so a row of 0/1 data needs one log: la holds the other term's */
    double *la = out, lb[SK_GLM_DEV_BLOCK];
    bool fractional = false;
    for (size_t i = 0; i < n; i++) {
        fractional |= y[i] != 0 && y[i] != 1;
        la[i] = y[i] == 0 ? 1 / (1 - mu[i]) : y[i] / mu[i];
    }
    if (!fractional) {
        sk_log_array(la, la, n);
        for (size_t i = 0; i < n; i++) out[i] = 2 * w[i] * la[i]; /* a + b with a or b 0 */
        return;
    }
    for (size_t i = 0; i < n; i++) {
        la[i] = y[i] != 0 ? y[i] / mu[i] : 1;
        lb[i] = 1 - y[i] != 0 ? (1 - y[i]) / (1 - mu[i]) : 1;
    }
    sk_log_array(la, la, n);
    sk_log_array(lb, lb, n);
    for (size_t i = 0; i < n; i++) {
        double a = y[i] != 0 ? y[i] * la[i] : 0;
        double b = 1 - y[i] != 0 ? (1 - y[i]) * lb[i] : 0;
        out[i] = 2 * w[i] * (a + b);
    }
}

/* log choose(size, x) + x log(prob) + (size - x) log(1 - prob), the 0 log 0 terms 0. */
double sk_glm_log_dbinom(double x, double size, double prob)
{
    if (x < 0 || x > size) return -INFINITY;
    /* choose(size, 0) = choose(size, size) = 1: no call for the 0/1 rows of an unweighted fit */
    double lc = x > 0 && x < size ? gsl_sf_lnchoose((unsigned int)size, (unsigned int)x) : 0;
    double a = x > 0 ? x * log(prob) : 0;
    double b = size - x > 0 ? (size - x) * log1p(-prob) : 0;
    return lc + a + b;
}
