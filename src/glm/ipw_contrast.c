/*
 * ipw_contrast.c: differences and ratios of two IPW-adjusted Kaplan-Meier curves (formulas in
 * include/survkit/ipw.h): at chosen times and for restricted means, with normal-theory limits
 * from the groups' robust standard errors.
 */
#include "glm/glm_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

/* Fill the difference and ratio of one row from its two estimates and errors. */
static void contrast(survkit_ipw_contrast *c, double z)
{
    double d = c->treated - c->control;
    double se_d = sqrt(c->se_treated * c->se_treated + c->se_control * c->se_control);
    c->diff = d;
    c->diff_lower = d - z * se_d;
    c->diff_upper = d + z * se_d;
    double rt = c->se_treated / c->treated, rc = c->se_control / c->control;
    double lr = log(c->treated / c->control), se_lr = sqrt(rt * rt + rc * rc);
    c->ratio = c->treated / c->control;
    c->ratio_lower = exp(lr - z * se_lr);
    c->ratio_upper = exp(lr + z * se_lr);
}

static survkit_status check(const survkit_km *km, double conf_level, double *z, survkit_error *err)
{
    RETURN_ERROR_IF(km == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_ipw_contrast: NULL curves");
    RETURN_ERROR_IF(survkit_km_n_groups(km) != 2, err, SURVKIT_ERR_ARGUMENT,
                    "a contrast needs two groups (control, treated), not %zu",
                    survkit_km_n_groups(km));
    RETURN_ERROR_IF(!(conf_level > 0 && conf_level < 1), err, SURVKIT_ERR_ARGUMENT,
                    "the confidence level must lie in (0, 1)");
    *z = gsl_cdf_ugaussian_Pinv(1 - (1 - conf_level) / 2);
    return SURVKIT_OK;
}

survkit_status survkit_ipw_contrast_survival(const survkit_km *km, const double *times,
                                             size_t n_times, double conf_level,
                                             survkit_ipw_contrast *out, size_t *n_out,
                                             survkit_error *err)
{
    double z = 0;
    RETURN_IF_ERROR(check(km, conf_level, &z, err));
    *n_out = 0;
    if (n_times == 0) return SURVKIT_OK;
    double *buf = sk_malloc_array(16 * n_times, sizeof *buf);
    if (buf == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t rows[2] = {0, 0};
    survkit_status status = SURVKIT_OK;
    for (size_t g = 0; g < 2 && status == SURVKIT_OK; g++) {
        double *cols[8];
        for (size_t c = 0; c < 8; c++) cols[c] = buf + (8 * g + c) * n_times;
        status = survkit_km_at_times(km, g, times, n_times, cols, &rows[g], err);
    }
    size_t n = rows[0] < rows[1] ? rows[0] : rows[1];
    for (size_t i = 0; status == SURVKIT_OK && i < n; i++) {
        survkit_ipw_contrast *c = &out[i];
        c->time = buf[i];                        /* group 0's time column */
        c->control = buf[4 * n_times + i];       /* surv */
        c->se_control = buf[5 * n_times + i];    /* std_err of surv */
        c->treated = buf[12 * n_times + i];
        c->se_treated = buf[13 * n_times + i];
        contrast(c, z);
    }
    free(buf);
    if (status == SURVKIT_OK) *n_out = n;
    return status;
}

survkit_status survkit_ipw_contrast_rmst(const survkit_km *km, double tau, double conf_level,
                                         survkit_ipw_contrast *out, survkit_error *err)
{
    double z = 0;
    RETURN_IF_ERROR(check(km, conf_level, &z, err));
    out->time = tau;
    RETURN_IF_ERROR(survkit_km_rmst(km, 0, tau, &out->control, &out->se_control, err));
    RETURN_IF_ERROR(survkit_km_rmst(km, 1, tau, &out->treated, &out->se_treated, err));
    contrast(out, z);
    return SURVKIT_OK;
}
