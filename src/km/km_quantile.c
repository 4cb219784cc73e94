/*
 * km_quantile.c: survival quantiles and their confidence limits, as R reports them.
 *
 * quantile(fit, probs) (R's findq): with x = (0, t_1..t_m) and y = (0, 1 - S(t_1)..1 - S(t_m)),
 * duplicated y values dropped (the first time of each flat stretch kept), the p-quantile is the
 * average of x[i1] and x[i2], where i1 is the first point with y + tol >= p and i2 the first with
 * y - tol >= p (tol = sqrt(machine epsilon)): the first time the curve falls to 1 - p, or the
 * midpoint of a flat stretch lying exactly at 1 - p. When that stretch is the last one, its end is
 * the last time of the curve. The confidence limits apply the same rule to the lower and upper
 * curves (lower curve -> lower limit). NA points of a curve are skipped; a p beyond the last point
 * gives NA ("not reached").
 *
 * print(fit)'s median (R's survmean/minmin) is a slightly different rule: the first time at which
 * the curve is below 0.5 + tol, or, when that value is within tol of 0.5 and the curve later drops
 * further, the midpoint between that time and the time of the drop.
 */
#include "km/km_internal.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

static double quantile_tolerance(void) { return sqrt(DBL_EPSILON); }

/* print.survfit's rule on one curve y[m] over times x[m]. */
static double minmin(const double *y, const double *x, size_t m)
{
    const double tol = quantile_tolerance();
    size_t first = m;
    for (size_t i = 0; i < m && first == m; i++)
        if (!isnan(y[i]) && y[i] < 0.5 + tol) first = i;
    if (first == m) return NAN;
    if (fabs(y[first] - 0.5) < tol)
        for (size_t i = first + 1; i < m; i++)
            if (!isnan(y[i]) && y[i] < y[first]) return (x[first] + x[i]) / 2;
    return x[first];
}

void survkit_km_median(const survkit_km *km, size_t g, double out[3])
{
    out[0] = out[1] = out[2] = NAN;
    if (g >= km->n_groups || km->curves[g].n_times == 0) return;
    const sk_km_curve *c = &km->curves[g];
    const double *t = sk_km_col(c, SURVKIT_KM_TIME);
    out[0] = minmin(sk_km_col(c, SURVKIT_KM_SURV), t, c->n_times);
    out[1] = minmin(sk_km_col(c, SURVKIT_KM_LOWER), t, c->n_times);
    out[2] = minmin(sk_km_col(c, SURVKIT_KM_UPPER), t, c->n_times);
}

/* R's approx(y + shift, 1:n, v, method = "constant", f = 1) over the non-NA points: approx sorts
 * its knots by y, so the answer is the point with the smallest y + shift >= v, or none (n) when v
 * lies outside [min, max] of the shifted y. On a monotone curve that is the first point reaching
 * v; a confidence limit need not be monotone (Greenwood's upper limit rises back to 1 when the
 * last rows at risk carry tiny weights), and then only the sorted rule gives R's answer. */
static size_t approx_index(const double *y, size_t n, double shift, double v)
{
    size_t best = n;
    double lowest = INFINITY, highest = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i])) continue;
        lowest = fmin(lowest, y[i] + shift);
        highest = fmax(highest, y[i] + shift);
        if (y[i] + shift >= v && (best == n || y[i] < y[best])) best = i;
    }
    if (!(v >= lowest && v <= highest)) return n;
    return best;
}

/*
 * findq for one curve. Inputs: times[m], surv[m] (one of surv, lower, upper), p[n_p].
 * Scratch: x[m + 1], y[m + 1]. Output: q[n_p].
 */
static void findq(const double *times, const double *surv, size_t m, const double *p, size_t n_p,
                  double *x, double *y, double *q)
{
    const double tol = quantile_tolerance();
    double ymax = -INFINITY, pmin = INFINITY;
    y[0] = 0;
    for (size_t i = 0; i < m; i++) y[i + 1] = 1 - surv[i];
    for (size_t i = 0; i <= m; i++)
        if (!isnan(y[i]) && y[i] > ymax) ymax = y[i];
    for (size_t k = 0; k < n_p; k++) pmin = fmin(pmin, p[k]);
    if (ymax < pmin) {
        for (size_t k = 0; k < n_p; k++) q[k] = NAN;
        return;
    }
    const double xmax = m > 0 ? times[m - 1] : 0;
    /* Drop duplicated y (R's duplicated(): later copies of a value, and of NA). The non-NA values
     * never decrease, so a duplicate equals the last kept non-NA value. */
    size_t n = 0;
    double last_value = NAN;
    bool seen_na = false;
    for (size_t i = 0; i <= m; i++) {
        double xi = i == 0 ? 0 : times[i - 1], yi = y[i];
        if (isnan(yi)) {
            if (seen_na) continue;
            seen_na = true;
        } else {
            if (yi == last_value) continue;
            last_value = yi;
        }
        x[n] = xi;
        y[n] = yi;
        n++;
    }
    for (size_t k = 0; k < n_p; k++) {
        size_t i1 = approx_index(y, n, tol, p[k]), i2 = approx_index(y, n, -tol, p[k]);
        double v = (i1 < n && i2 < n) ? (x[i1] + x[i2]) / 2 : NAN;
        if (p[k] == 0) v = x[0];
        if (!isnan(y[n - 1]) && fabs(p[k] - y[n - 1]) < tol) v = i1 < n ? (x[i1] + xmax) / 2 : NAN;
        q[k] = v;
    }
}

survkit_status survkit_km_quantiles(const survkit_km *km, size_t g, const double *p, size_t n_p,
                                    double *estimate, double *lower, double *upper,
                                    survkit_error *err)
{
    RETURN_ERROR_IF(g >= km->n_groups, err, SURVKIT_ERR_ARGUMENT, "km: no group %zu", g);
    for (size_t k = 0; k < n_p; k++)
        RETURN_ERROR_IF(!(p[k] >= 0 && p[k] <= 1), err, SURVKIT_ERR_ARGUMENT,
                        "km: quantile probabilities must lie in [0, 1], not %g", p[k]);
    const sk_km_curve *c = &km->curves[g];
    if (c->n_times == 0 || n_p == 0) {
        for (size_t k = 0; k < n_p; k++) estimate[k] = lower[k] = upper[k] = NAN;
        return SURVKIT_OK;
    }
    double *x = sk_malloc_array(c->n_times + 1, sizeof *x);
    double *y = sk_malloc_array(c->n_times + 1, sizeof *y);
    if (x == NULL || y == NULL) {
        free(x);
        free(y);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
    }
    const double *t = sk_km_col(c, SURVKIT_KM_TIME);
    findq(t, sk_km_col(c, SURVKIT_KM_SURV), c->n_times, p, n_p, x, y, estimate);
    findq(t, sk_km_col(c, SURVKIT_KM_LOWER), c->n_times, p, n_p, x, y, lower);
    findq(t, sk_km_col(c, SURVKIT_KM_UPPER), c->n_times, p, n_p, x, y, upper);
    free(x);
    free(y);
    return SURVKIT_OK;
}
