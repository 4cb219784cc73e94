/*
 * penal_robust.c: the robust (sandwich) variance of a penalised Cox fit without a frailty term
 * (ridge(), pspline()), as R's coxph (survival 3.5) gives it after coxpenal.fit.
 *
 * R keeps fit$var (H^-1, the inverse of the penalised information: penal_df.c) as naive.var and
 * calls residuals.coxph(type = "dfbeta", weighted = TRUE, collapse = cluster) on the fit: the
 * score residuals L of the unpenalised partial likelihood at the fitted linear predictor (its
 * coxscore2/agscore2 count each case weight once, whatever the fit's agfit5 rule), times H^-1,
 * summed within clusters (one per row without cluster()):
 *
 *     var = D_c' D_c,   D = diag(w) L H^-1.
 *
 * var2 stays the model-based H^-1 I H^-1. The robust score test uses the weighted score residuals
 * at linear predictor 0 (R's 0 * fit$linear.predictors: no offset), summed within clusters.
 * Both are robust.c's (sk_cox_robust), here on the penalised fit's problem.
 */
#include "cox/penal_internal.h"

#include <stdlib.h>

survkit_status sk_penal_robust(sk_frail_kernel *k, const double *lp, const int32_t *cluster,
                               size_t n_clusters, const double *hinv, double toler_chol,
                               double *var, double *rscore, survkit_error *err)
{
    const size_t n = k->pb.n;
    double *eta0 = sk_calloc_array(n + 1, sizeof(double));
    RETURN_ERROR_IF(eta0 == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (robust variance)");
    /* R's residuals use the ordinary Efron denominators (agscore2), not agfit5b's */
    sk_cox_work_set_agfit5(k->work, false);
    const sk_cox_robust_in in = {&k->pb, k->work, lp, eta0, hinv,
                                 cluster, cluster ? n_clusters : 0, toler_chol};
    const survkit_status st = sk_cox_robust(&in, var, rscore, err);
    free(eta0);
    return st;
}
