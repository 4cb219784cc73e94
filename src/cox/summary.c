/*
 * summary.c: the distribution functions behind summary(coxph): chi-square upper tails for the
 * z, likelihood-ratio, Wald and score tests (pchisq(x, df, lower.tail = FALSE)) and the normal
 * quantile of the confidence limits (qnorm). GSL's handler aborts on bad input, so inputs are
 * checked here first.
 */
#include "cox/cox_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double sk_cox_chisq_upper(double stat, double df)
{
    if (isnan(stat) || isnan(df) || df < 0) return NAN;
    if (df == 0) return stat > 0 ? 0.0 : 1.0; /* R: a point mass at zero */
    if (stat <= 0) return 1.0;
    if (isinf(stat)) return 0.0;
    return gsl_cdf_chisq_Q(stat, df);
}

double sk_cox_normal_quantile(double p)
{
    if (!(p > 0 && p < 1)) return NAN;
    return gsl_cdf_ugaussian_Pinv(p);
}
