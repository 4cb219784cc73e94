/*
 * km_ci.c: pointwise confidence limits of a survival curve, as R's survfit_confint.
 *
 * With S the estimate, se the standard error of -log S (R's std.err), z = Phi^{-1}(1 - (1-L)/2):
 *
 *   plain    S -/+ z se S, clipped to [0, 1]
 *   log      exp(log S -/+ z se), the upper limit capped at 1            (NA when S = 0)
 *   log-log  exp(-exp(log(-log S) -/+ z se / log S))                     (NA when S = 0 or 1)
 *   logit    1 - 1 / (1 + exp(logit S -/+ z se (1 + S/(1-S))))            (NA when S = 0)
 *   arcsin   sin^2(asin(sqrt S) -/+ z se sqrt(S/(1-S)) / 2), the angle clipped to [0, pi/2]
 *
 * When std_err is that of S itself (R's logse = FALSE, the robust variance), se is first divided by
 * S (0 stays 0).
 *
 * R multiplies the lower half-width by scale = ifelse(se == 0, 1, se/se), which is NaN when se is
 * infinite (after the last death of a curve that drops to 0); that is kept so that NA falls where
 * R's does. R's pmin/pmax propagate NA, hence sk_r_pmin/sk_r_pmax.
 */
#include "km/km_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static const double half_pi = 1.57079632679489661923;

void sk_km_confint(const double *surv, const double *std_err, size_t n, bool logse,
                   survkit_conf_type type, double conf_level, double *lower, double *upper)
{
    const double z = gsl_cdf_ugaussian_Pinv(1 - (1 - conf_level) / 2);
    for (size_t i = 0; i < n; i++) {
        double p = surv[i], se = std_err[i];
        if (!logse) se = se == 0 ? 0 : se / p;
        double scale = se == 0 ? 1 : se / se;
        double lo = NAN, hi = NAN;
        switch (type) {
        case SURVKIT_CONF_PLAIN: {
            double se2 = se * p * z;
            lo = sk_r_pmax(p - se2 * scale, 0);
            hi = sk_r_pmin(p + se2, 1);
            break;
        }
        case SURVKIT_CONF_LOG: {
            double xx = p == 0 ? NAN : p, se2 = z * se;
            lo = exp(log(xx) - se2 * scale);
            hi = sk_r_pmin(exp(log(xx) + se2), 1);
            break;
        }
        case SURVKIT_CONF_LOGLOG: {
            double xx = (p == 0 || p == 1) ? NAN : p, se2 = z * se / log(xx);
            lo = exp(-exp(log(-log(xx)) - se2 * scale));
            hi = exp(-exp(log(-log(xx)) + se2));
            break;
        }
        case SURVKIT_CONF_LOGIT: {
            double xx = p == 0 ? NAN : p, se2 = z * se * (1 + xx / (1 - xx));
            lo = 1 - 1 / (1 + exp(log(p / (1 - p)) - se2 * scale));
            hi = 1 - 1 / (1 + exp(log(p / (1 - p)) + se2));
            break;
        }
        case SURVKIT_CONF_ARCSIN: {
            double xx = p == 0 ? NAN : p, se2 = 0.5 * z * se * sqrt(xx / (1 - xx));
            double a = asin(sqrt(xx));
            double s_lo = sin(sk_r_pmax(0, a - se2 * scale)), s_hi = sin(sk_r_pmin(half_pi, a + se2));
            lo = s_lo * s_lo;
            hi = s_hi * s_hi;
            break;
        }
        case SURVKIT_CONF_NONE: break;
        }
        lower[i] = lo;
        upper[i] = hi;
    }
}
