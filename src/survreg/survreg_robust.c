/*
 * survreg_robust.c: survreg's robust variance as survival 3.5-3 computes it,
 * crossprod(rowsum(residuals(fit, "dfbeta"), cluster)) = V S'S V, with V the model-based variance
 * and S the rows' score residuals summed by cluster. These residuals are not multiplied by the
 * case weights in 3.5-3 (later versions pass weighted = TRUE); the weights enter through V only.
 *
 * The score residuals are residuals.survreg's (survreg_resid.c).
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
        double dg, ds;
        sk_sr_resid_row(pb->base, pb->status[i], pb->y1[i], pb->y2 ? pb->y2[i] : 0, eta[i], sigma,
                        &dg, NULL, &ds);
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
