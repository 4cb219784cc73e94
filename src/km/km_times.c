/*
 * km_times.c: a curve read at chosen times, as R's summary(fit, times = ...) (extend = FALSE).
 *
 * R first prepends a row at t_0 = min(0, smallest time of the fit) (survfit0: surv = lower =
 * upper = 1, std.err 0, no events, n.risk of the first row) unless the curve starts there. For a
 * requested time t (not after the curve's last time), with i1 the last row at or before t and i2
 * the first row at or after t:
 *   surv, lower, upper, std.err from row i1;  n.risk from row i2 (0 past the end);
 *   n.event and n.censor summed over the rows after the previous requested time up to i1.
 * summary's std.err is that of surv: surv * std.err(-log surv), or std.err itself when it is
 * already that of surv (robust variance with ctype 1, R's logse FALSE).
 */
#include "km/km_internal.h"

#include <math.h>

survkit_status survkit_km_at_times(const survkit_km *km, size_t g, const double *times,
                                   size_t n_times, double *const out[8], size_t *n_rows,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(g >= km->n_groups, err, SURVKIT_ERR_ARGUMENT, "km: no group %zu", g);
    for (size_t j = 1; j < n_times; j++)
        RETURN_ERROR_IF(!(times[j] >= times[j - 1]), err, SURVKIT_ERR_ARGUMENT,
                        "km: the times must be given in ascending order");
    *n_rows = 0;
    const sk_km_curve *c = &km->curves[g];
    if (c->n_times == 0) return SURVKIT_OK;
    const double *t = sk_km_col(c, SURVKIT_KM_TIME);
    const double t0 = km->min_time < 0 ? km->min_time : 0;
    const bool prepend = t[0] != t0;
    const size_t m = c->n_times;
    const double last = t[m - 1] > t0 ? t[m - 1] : t0;
    size_t i1 = 0;          /* rows of the curve at or before t (0: only the prepended row) */
    double cum_event = 0, cum_censor = 0, prev_event = 0, prev_censor = 0;
    for (size_t j = 0; j < n_times; j++) {
        double tj = times[j];
        if (!isfinite(tj) || tj > last) continue;
        if (!prepend && tj < t0) continue; /* before the curve: R's row index 0 -> row 1 */
        while (i1 < m && t[i1] <= tj) {
            cum_event += sk_km_col(c, SURVKIT_KM_N_EVENT)[i1];
            cum_censor += sk_km_col(c, SURVKIT_KM_N_CENSOR)[i1];
            i1++;
        }
        size_t i2 = i1 > 0 && t[i1 - 1] == tj ? i1 - 1 : i1; /* first row at or after tj */
        size_t r = (*n_rows)++;
        out[0][r] = tj;
        out[1][r] = i2 < m ? sk_km_col(c, SURVKIT_KM_N_RISK)[i2] : 0;
        out[2][r] = cum_event - prev_event;
        out[3][r] = cum_censor - prev_censor;
        prev_event = cum_event;
        prev_censor = cum_censor;
        if (i1 == 0) {
            out[4][r] = 1;
            out[5][r] = 0;
            out[6][r] = out[7][r] = 1;
        } else {
            double s = sk_km_col(c, SURVKIT_KM_SURV)[i1 - 1];
            out[4][r] = s;
            double se = sk_km_col(c, SURVKIT_KM_STD_ERR)[i1 - 1];
            out[5][r] = sk_km_se_of_surv(km) ? se : s * se;
            out[6][r] = sk_km_col(c, SURVKIT_KM_LOWER)[i1 - 1];
            out[7][r] = sk_km_col(c, SURVKIT_KM_UPPER)[i1 - 1];
        }
    }
    return SURVKIT_OK;
}
