/*
 * km_rmst.c: the restricted mean survival time and its standard error, as R's survmean
 * (print(fit, rmean = tau)).
 *
 * With t_0 = min(0, smallest time of the fit), the curve's times t_1 < ... < t_m not after tau,
 * S_0 = 1 and t_{m+1} = tau:
 *
 *   rmean = t_0 + sum_{j=1}^{m+1} (t_j - t_{j-1}) S_{j-1}
 *   var   = sum_{k=1}^{m} A_k^2 h_k,   A_k = integral of S from t_k to tau,
 *           h_k = n.event_k / (n.risk_k (n.risk_k - n.event_k))  (0 when n.risk_k = n.event_k)
 *
 * (the Greenwood-type variance of the area; Klein & Moeschberger 2003, section 4.5).
 */
#include "km/km_internal.h"

#include <math.h>

survkit_status survkit_km_rmst(const survkit_km *km, size_t g, double tau, double *estimate,
                               double *se, survkit_error *err)
{
    RETURN_ERROR_IF(g >= km->n_groups, err, SURVKIT_ERR_ARGUMENT, "km: no group %zu", g);
    RETURN_ERROR_IF(!isfinite(tau) || tau < km->min_time, err, SURVKIT_ERR_ARGUMENT,
                    "km: truncation point for the mean (%g) is < smallest survival time", tau);
    const sk_km_curve *c = &km->curves[g];
    const double t0 = km->min_time < 0 ? km->min_time : 0;
    const double *t = sk_km_col(c, SURVKIT_KM_TIME), *s = sk_km_col(c, SURVKIT_KM_SURV),
                 *nr = sk_km_col(c, SURVKIT_KM_N_RISK), *ne = sk_km_col(c, SURVKIT_KM_N_EVENT);
    size_t m = 0;
    while (m < c->n_times && t[m] <= tau) m++;
    /* Area: rectangles from t0 to tau. */
    double area = 0, prev_t = t0, prev_s = 1;
    for (size_t j = 0; j < m; j++) {
        area += (t[j] - prev_t) * prev_s;
        prev_t = t[j];
        prev_s = s[j];
    }
    area += (tau - prev_t) * prev_s;
    /* Variance: walk back from tau accumulating the area beyond each time. */
    double beyond = 0, var = 0;
    double next_t = tau;
    for (size_t k = m; k-- > 0;) {
        beyond += (next_t - t[k]) * s[k];
        next_t = t[k];
        double h = (nr[k] - ne[k]) == 0 ? 0 : ne[k] / (nr[k] * (nr[k] - ne[k]));
        var += beyond * beyond * h;
    }
    *estimate = area + t0;
    *se = sqrt(var);
    return SURVKIT_OK;
}
