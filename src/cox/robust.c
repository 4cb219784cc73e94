/*
 * robust.c: the robust (sandwich) variance and robust score test of R's coxph.
 *
 * Score residuals (R's residuals.coxph(type = "score"), coxscore2/agscore2), in design.md's
 * notation with h_kl = w_k / den_kl and the per-slot sums of efron.c (sk_cox_hazard):
 * a_k = sum_l h_kl, b_k = sum_l f_l h_kl, g_k = sum_l h_kl m_kl, e_k = sum_l f_l h_kl m_kl,
 * mbar_k = mean_l m_kl, and per row A_i, G_i = the sums of a_k, g_k over the slots where row i is
 * at risk, s_i = exp(eta_i) (no case weight):
 *
 *     L_i = delta_i (x_i - mbar_k(i)) - s_i [x_i (A_i - delta_i b_k(i)) - (G_i - delta_i e_k(i))].
 *
 * (Breslow: one l per slot with f = 0.) R's dfbeta residuals are D = diag(v) L V with V the naive
 * variance; summed within clusters (rowsum) they give the robust variance D_c' D_c. Without a
 * cluster each row is its own (R's robust = TRUE). The robust score test uses the score residuals
 * at the initial coefficients, weighted and summed within clusters, L0_c: U = 1' L0_c and the
 * statistic U' (L0_c' L0_c)^- U with R's cholesky2 tolerance (coxph.wtest).
 *
 * Every sum over slots is a suffix sum per stratum, so this is O(n p + n p^2 / BLAS).
 */
#include "cox/cox_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Score residuals at eta into res (n x p), weighted or not; q, gq: scratch of n_slots each. */
static survkit_status score_residuals(const sk_cox_problem *pb, sk_cox_work *work,
                                      const double *eta, bool weighted, double *res, double *q,
                                      double *gq, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    sk_cox_hazard hz;
    RETURN_IF_ERROR(sk_cox_hazard_compute(pb, work, eta, &hz, err));
    sk_cox_suffix_sums(lay, hz.a, q);
    for (size_t j = 0; j < p; j++) {
        const double *g = hz.g + j * ns, *e = hz.e + j * ns, *mbar = hz.mbar + j * ns;
        sk_cox_suffix_sums(lay, g, gq);
        const double *x = pb->x + j * n, mean = pb->xmean[j];
        double *r = res + j * n;
        for (size_t i = 0; i < n; i++) {
            size_t kin = lay->kin[i], kout = lay->kout[i];
            if (kin == kout) {
                r[i] = 0;
                continue;
            }
            double a = q[kin] - q[kout], gsum = gq[kin] - gq[kout], li = 0;
            if (pb->status[i] == 1) {
                li = (x[i] - mean) - mbar[kin];
                a -= hz.b[kin];
                gsum -= e[kin];
            }
            li -= hz.risk[i] * ((x[i] - mean) * a - gsum);
            r[i] = weighted ? pb->weights[i] * li : li;
        }
    }
    sk_cox_hazard_free(&hz);
    return SURVKIT_OK;
}

survkit_status sk_cox_score_residuals(const sk_cox_problem *pb, sk_cox_work *work,
                                      const double *eta, bool weighted, double *res,
                                      survkit_error *err)
{
    const size_t ns = pb->lay->n_slots;
    double *q = sk_malloc_array(2 * ns, sizeof(double));
    RETURN_ERROR_IF(q == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (score residuals)");
    survkit_status status = score_residuals(pb, work, eta, weighted, res, q, q + ns, err);
    free(q);
    return status;
}

/* Sum the rows of m (n x p) within clusters into out (n_clusters x p). */
static void rowsum(const double *m, size_t n, size_t p, const int32_t *cluster, size_t n_clusters,
                   double *out)
{
    memset(out, 0, n_clusters * p * sizeof(double));
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++) out[(size_t)cluster[i] + j * n_clusters] += m[i + j * n];
}

void sk_cox_crossprod(const double *d, size_t m, size_t p, double *out)
{
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)m, 1.0, d, (int)m, d,
                (int)m, 0.0, out, (int)p);
}

double sk_cox_robust_score_from_sums(const double *lc, size_t ncl, size_t p, double toler,
                                     double *scratch)
{
    double *tmat = scratch, *usum = tmat + p * p, *rest = usum + p;
    sk_cox_crossprod(lc, ncl, p, tmat);
    for (size_t j = 0; j < p; j++) {
        double s = 0;
        for (size_t i = 0; i < ncl; i++) s += lc[i + j * ncl];
        usum[j] = s;
    }
    size_t df = 0;
    return sk_cox_wald(tmat, usum, p, toler, rest, &df);
}

survkit_status sk_cox_robust(const sk_cox_robust_in *in, double *var, double *rscore,
                             survkit_error *err)
{
    const sk_cox_problem *pb = in->pb;
    const size_t n = pb->n, p = pb->p, ns = pb->lay->n_slots;
    const size_t ncl = in->cluster ? in->n_clusters : n;
    size_t np = 0, cp = 0;
    RETURN_ERROR_IF(!sk_mul_size(n, p, &np) || !sk_mul_size(ncl, p, &cp), err, SURVKIT_ERR_NOMEM,
                    "size overflow");
    double *res = sk_malloc_array(np, sizeof(double));
    double *dfb = sk_malloc_array(np, sizeof(double));
    double *col = in->cluster ? sk_malloc_array(cp, sizeof(double)) : NULL;
    double *q = sk_malloc_array(2 * ns, sizeof(double));
    double *scratch = sk_malloc_array(2 * p * p + 2 * p + 1, sizeof(double));
    survkit_status status = SURVKIT_OK;
    if (!res || !dfb || (in->cluster && !col) || !q || !scratch) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (robust variance)");
        goto done;
    }

    /* Robust variance from the dfbeta residuals at the fit, summed within clusters (R's order:
     * dfbeta = resid %*% var, then rowsum). */
    status = score_residuals(pb, in->work, in->eta_fit, true, res, q, q + ns, err);
    if (status != SURVKIT_OK) goto done;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)p, (int)p, 1.0, res, (int)n,
                in->naive_var, (int)p, 0.0, dfb, (int)n);
    const double *d = dfb;
    if (in->cluster) {
        rowsum(dfb, n, p, in->cluster, ncl, col);
        d = col;
    }
    sk_cox_crossprod(d, ncl, p, var);

    /* Robust score test from the score residuals at the initial coefficients. */
    status = score_residuals(pb, in->work, in->eta_init, true, res, q, q + ns, err);
    if (status != SURVKIT_OK) goto done;
    d = res;
    if (in->cluster) {
        rowsum(res, n, p, in->cluster, ncl, col);
        d = col;
    }
    *rscore = sk_cox_robust_score_from_sums(d, ncl, p, in->toler_chol, scratch);

done:
    free(res), free(dfb), free(col), free(q), free(scratch);
    return status;
}
