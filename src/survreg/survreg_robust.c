/*
 * survreg_robust.c: survreg's robust variance as survival 3.5-3 computes it,
 * crossprod(rowsum(residuals(fit, "dfbeta"), cluster)) = V S'S V, with V the model-based variance
 * and S the rows' score residuals summed by cluster. These residuals are not multiplied by the
 * case weights in 3.5-3 (later versions pass weighted = TRUE); the weights enter through V only.
 *
 * The score residuals are residuals.survreg's, from its own formulas (R's density columns): with
 * t = 1 / P(row) (P = 1 - F, 1, F or the interval's probability),
 *   dg = -(t / sigma) * (-f, f'/f, f, f(zu) - f(z)) for right, exact, left, interval rows,
 *   ds = dg sigma z, or t (zu f(zu) - z f(z)) for an interval row; exact rows take ds - 1.
 * (For an interval row R's residuals.survreg has the opposite sign of the ds that survregc1 uses
 * in the fit; R's value is kept here, as the variance is defined as R computes it.)
 * Row i contributes (dg_i x_i, ds_i in its stratum's scale column); the scale columns are
 * left out when the scale is fixed.
 */
#include "survreg/survreg_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

survkit_status sk_sr_robust(const sk_sr_problem *pb, const double *eta, const double *log_scale,
                            const int32_t *cluster, size_t n_clusters, const double *naive,
                            double *robust, survkit_error *err)
{
    const size_t n = pb->n, p = pb->nvar, p2 = p + pb->nstrat;
    const size_t m = cluster ? n_clusters : n;
    double *s = sk_calloc_array(m * p2, sizeof(double)); /* m x p2, column-major */
    double *b = sk_malloc_array(p2 * p2, sizeof(double));
    double *t = sk_malloc_array(p2 * p2, sizeof(double));
    if (!s || !b || !t) {
        free(s), free(b), free(t);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const size_t k = pb->strata ? (size_t)pb->strata[i] : 0;
        const double sigma = exp(log_scale[k]);
        const int st = pb->status[i];
        const double z = (pb->y1[i] - eta[i]) / sigma;
        double d[5], d2[5] = {0, 0, 0, 0, 0}, z2 = 0;
        sk_sr_density5(pb->base, z, d);
        if (st == SK_SR_INTERVAL) {
            z2 = (pb->y2[i] - eta[i]) / sigma;
            sk_sr_density5(pb->base, z2, d2);
        }
        double den, num;
        switch (st) {
        case SK_SR_RIGHT: den = d[1], num = 0 - d[2]; break;
        case SK_SR_EXACT: den = 1, num = d[3]; break;
        case SK_SR_LEFT: den = d[0], num = d[2]; break;
        default: den = z > 0 ? d[1] - d2[1] : d2[0] - d[0], num = d2[2] - d[2]; break;
        }
        const double tden = 1 / den;
        const double dg = -(tden / sigma) * num;
        double ds = st < SK_SR_INTERVAL ? dg * sigma * z : tden * (z2 * d2[2] - z * d[2]);
        if (st == SK_SR_EXACT) ds -= 1;
        const size_t row = cluster ? (size_t)cluster[i] : i;
        s[row] += dg; /* the intercept */
        for (size_t j = 1; j < p; j++) {
            const double *xj = pb->x + (j - 1) * n;
            const double x = pb->center ? (xj[i] - pb->center[j]) / pb->stdev[j] : xj[i];
            s[row + j * m] += dg * x;
        }
        if (pb->nstrat > 0) s[row + (p + k) * m] += ds;
    }
    /* V (S'S) V */
    cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p2, (int)m, 1.0, s, (int)m, 0.0, b,
                (int)p2);
    for (size_t c = 0; c < p2; c++)
        for (size_t r = c + 1; r < p2; r++) b[r + c * p2] = b[c + r * p2];
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)p2, (int)p2, (int)p2, 1.0, naive,
                (int)p2, b, (int)p2, 0.0, t, (int)p2);
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)p2, (int)p2, (int)p2, 1.0, t,
                (int)p2, naive, (int)p2, 0.0, robust, (int)p2);
    free(s), free(b), free(t);
    return SURVKIT_OK;
}
