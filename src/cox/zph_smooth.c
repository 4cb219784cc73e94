/*
 * zph_smooth.c: the smooth and band R's plot.cox.zph draws through a term's scaled Schoenfeld
 * residuals (survival 3.5), from the public cox.zph result.
 *
 * With x the transformed event times and y the term's residuals (rows where y is NA left out):
 *   pred.x = seq(min x, max x, length = nsmo)                      (the grid, over every event)
 *   [P; X] = ns(c(pred.x, x), df, intercept = TRUE)                (nspline.c; knots from both)
 *   X = QR (Householder; singular when rank < df),  beta = R^-1 Q'y,  yhat = P beta
 *   seval_k = p_k (R'R)^-1 p_k' = |R^-T p_k'|^2,  band = yhat -/+ 2 sqrt(var[k, k] seval)
 * where var is cox.zph's $var (the inverse of the mean information). R's rank test (dqrdc2,
 * tol 1e-7) sets a column aside when its norm after the previous columns are projected out falls
 * below 1e-7 of its own: here |R_jj| < 1e-7 |X_j|.
 */
#include "core/internal.h"
#include "core/lapack.h"
#include "core/nspline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

survkit_status survkit_zph_smooth(const survkit_zph *z, size_t term, size_t df, size_t n_grid,
                                  double *grid, double *fit, double *lower, double *upper,
                                  survkit_error *err)
{
    RETURN_ERROR_IF(z == NULL || grid == NULL || fit == NULL || lower == NULL || upper == NULL,
                    err, SURVKIT_ERR_ARGUMENT, "zph smooth: NULL argument");
    const size_t nt = survkit_zph_n_rows(z) - 1, ne = survkit_zph_n_events(z);
    RETURN_ERROR_IF(term >= nt, err, SURVKIT_ERR_ARGUMENT, "zph smooth: no term %zu", term + 1);
    RETURN_ERROR_IF(df < 2 || df > 100, err, SURVKIT_ERR_ARGUMENT,
                    "zph smooth: df must lie in 2..100, not %zu", df);
    RETURN_ERROR_IF(n_grid < 2 || n_grid > 100000, err, SURVKIT_ERR_ARGUMENT,
                    "zph smooth: the grid needs 2..100000 points, not %zu", n_grid);
    RETURN_ERROR_IF(ne == 0, err, SURVKIT_ERR_NO_DATA, "zph smooth: no events");
    const double *x = survkit_zph_x(z), *y = survkit_zph_resid(z) + term * ne;
    const double var = survkit_zph_var(z)[term + term * nt];

    /* the grid: R's seq(from, to, length.out) */
    double lo = x[0], hi = x[0];
    for (size_t e = 1; e < ne; e++) lo = fmin(lo, x[e]), hi = fmax(hi, x[e]);
    const double by = (hi - lo) / (double)(n_grid - 1);
    for (size_t k = 0; k + 1 < n_grid; k++) grid[k] = lo + (double)k * by;
    grid[n_grid - 1] = hi;

    const size_t nall = n_grid + ne;
    double *temp = sk_malloc_array(nall, sizeof(double));
    double *basis = sk_malloc_array(nall * df, sizeof(double));
    double *xm = sk_malloc_array(ne * df + 1, sizeof(double));
    double *ym = sk_malloc_array(ne + 1, sizeof(double));
    double *pt = sk_malloc_array(df * n_grid, sizeof(double));
    double *work = sk_malloc_array(66 * df, sizeof(double));
    survkit_status status = SURVKIT_OK;
    if (!temp || !basis || !xm || !ym || !pt || !work) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (zph smooth)");
        goto done;
    }
    memcpy(temp, grid, n_grid * sizeof(double));
    memcpy(temp + n_grid, x, ne * sizeof(double));
    status = sk_ns_basis(temp, nall, df, true, basis, err);
    if (status != SURVKIT_OK) goto done;

    /* X and y over the rows with a residual */
    size_t m = 0;
    for (size_t e = 0; e < ne; e++) {
        if (isnan(y[e])) continue;
        ym[m] = y[e];
        for (size_t j = 0; j < df; j++) xm[m + j * ne] = basis[n_grid + e + j * nall];
        m++;
    }
    bool singular = m < df;
    double *tau = work, *w = work + df;
    int mi = (int)m, dfi = (int)df, ld = (int)ne, one = 1, lwork = 64 * (int)df, info = 0;
    if (!singular) {
        double norm[100];
        for (size_t j = 0; j < df; j++) {
            double s = 0;
            for (size_t i = 0; i < m; i++) s += xm[i + j * ne] * xm[i + j * ne];
            norm[j] = sqrt(s);
        }
        dgeqrf_(&mi, &dfi, xm, &ld, tau, w, &lwork, &info);
        for (size_t j = 0; info == 0 && j < df; j++)
            singular = singular || !(fabs(xm[j + j * ne]) >= 1e-7 * norm[j]);
    }
    if (singular) {
        /* R: warning("spline fit is singular, variable ", i, " skipped") */
        status = sk_error_set(err, SURVKIT_ERR_NUMERIC, NULL, 0, 0,
                              "spline fit is singular, variable %zu skipped", term + 1);
        goto done;
    }
    if (info == 0)
        dormqr_("L", "T", &mi, &one, &dfi, xm, &ld, tau, ym, &mi, w, &lwork, &info, 1, 1);
    if (info == 0) dtrtrs_("U", "N", "N", &dfi, &one, xm, &ld, ym, &dfi, &info, 1, 1, 1);
    /* seval: R^-T P' for every grid point at once */
    for (size_t k = 0; k < n_grid; k++)
        for (size_t j = 0; j < df; j++) pt[j + k * df] = basis[k + j * nall];
    int ng = (int)n_grid;
    if (info == 0) dtrtrs_("U", "T", "N", &dfi, &ng, xm, &ld, pt, &dfi, &info, 1, 1, 1);
    if (info != 0) {
        status = sk_error_set(err, SURVKIT_ERR_INTERNAL, NULL, 0, 0,
                              "zph smooth: LAPACK info %d", info);
        goto done;
    }
    for (size_t k = 0; k < n_grid; k++) {
        double yhat = 0, seval = 0;
        for (size_t j = 0; j < df; j++) {
            yhat += basis[k + j * nall] * ym[j];
            seval += pt[j + k * df] * pt[j + k * df];
        }
        double half = 2 * sqrt(var * seval);
        fit[k] = yhat;
        lower[k] = yhat - half;
        upper[k] = yhat + half;
    }
done:
    free(temp), free(basis), free(xm), free(ym), free(pt), free(work);
    return status;
}
