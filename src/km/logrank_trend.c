/*
 * logrank_trend.c: the test for trend across ordered groups (Collett, Modelling Survival Data in
 * Medical Research, 3rd ed., section 2.6.3; Stata's sts test, trend; SAS LIFETEST TREND).
 *
 * With scores c_1..c_k (default 1..k) and survdiff's O, E (summed over strata) and V:
 *   U = c'(O - E),   chisq = U^2 / (c' V c)   on 1 degree of freedom.
 * With rho != 0 the same contrast of the weighted sums is used.
 * Adding a constant to every score changes neither U (sum(O - E) = 0) nor c'Vc (V's rows sum to
 * 0), so the scores are centred first: equal scores then give exactly U = 0 and c'Vc = 0, a test
 * that does not exist (NA), where uncentred arithmetic left round-off and reported p = 1.
 */
#include "km/logrank_internal.h"

#include <math.h>

survkit_status sk_logrank_trend(survkit_logrank *lr, const double *scores, survkit_error *err)
{
    const size_t k = lr->k;
    lr->scores = sk_malloc_array(k, sizeof *lr->scores);
    RETURN_ERROR_IF(lr->scores == NULL, err, SURVKIT_ERR_NOMEM, "logrank: out of memory");
    for (size_t g = 0; g < k; g++) {
        lr->scores[g] = scores ? scores[g] : (double)(g + 1);
        RETURN_ERROR_IF(!isfinite(lr->scores[g]), err, SURVKIT_ERR_ARGUMENT,
                        "logrank: trend scores must be finite");
    }
    double mean = 0;
    for (size_t g = 0; g < k; g++) mean += lr->scores[g] / (double)k;
    double u = 0, v = 0;
    for (size_t g = 0; g < k; g++) {
        const double cg = lr->scores[g] - mean;
        u += cg * (lr->observed[g] - lr->expected[g]);
        for (size_t h = 0; h < k; h++) v += cg * lr->var[g * k + h] * (lr->scores[h] - mean);
    }
    bool equal = true;
    for (size_t g = 1; g < k; g++) equal = equal && lr->scores[g] == lr->scores[0];
    lr->has_trend = true;
    lr->trend_chisq = v > 0 && !equal ? u * u / v : NAN;
    lr->trend_p = sk_chisq_upper(lr->trend_chisq, 1);
    return SURVKIT_OK;
}
