/*
 * survreg_predict.c: predict.survreg (survival 3.5-3) for new rows, and the survival function.
 *
 * x = [1, model.matrix row], lp = x'b (no offset: R's predict.survreg sets it to 0 for new data),
 *   se(lp) = sqrt(x' V x) with V the coefficients' block of vcov(fit);
 * response = itrans(lp) (exp for the log distributions), se = se(lp) / dtrans(response), i.e.
 *   se(lp) * response for them;
 * quantile p: itrans(lp + q_p sigma_k), q_p the standard quantile of W and sigma_k the scale of
 *   the row's stratum; se from t = (x, q_p sigma_k e_k) as sqrt(t' vcov t) (x' V x when the scale
 *   is fixed), then divided by dtrans as above;
 * survival at t: 1 - F((trans(t) - lp) / sigma_k) (R: 1 - psurvreg(t, lp, sigma, dist)).
 * An aliased coefficient (NA) makes every prediction NA, as x %*% coef does in R.
 */
#include "survreg/survreg_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct survkit_survreg_prediction_s {
    size_t n, n_p, n_times;
    double *lp, *lp_se, *response, *response_se;
    double *quantile, *quantile_se; /* n x n_p */
    double *survival;               /* n x n_times */
};

void survkit_survreg_prediction_free(survkit_survreg_prediction *pr)
{
    if (pr == NULL) return;
    double *arrays[] = {pr->lp, pr->lp_se, pr->response, pr->response_se, pr->quantile,
                        pr->quantile_se, pr->survival};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++) free(arrays[k]);
    free(pr);
}

static survkit_survreg_prediction *prediction_alloc(size_t n, size_t n_p, size_t n_times)
{
    survkit_survreg_prediction *pr = calloc(1, sizeof *pr);
    if (pr == NULL) return NULL;
    pr->n = n, pr->n_p = n_p, pr->n_times = n_times;
    pr->lp = sk_malloc_array(n, sizeof(double));
    pr->lp_se = sk_malloc_array(n, sizeof(double));
    pr->response = sk_malloc_array(n, sizeof(double));
    pr->response_se = sk_malloc_array(n, sizeof(double));
    pr->quantile = sk_malloc_array(n * n_p, sizeof(double));
    pr->quantile_se = sk_malloc_array(n * n_p, sizeof(double));
    pr->survival = sk_malloc_array(n * n_times, sizeof(double));
    if (!pr->lp || !pr->lp_se || !pr->response || !pr->response_se || !pr->quantile ||
        !pr->quantile_se || !pr->survival) {
        survkit_survreg_prediction_free(pr);
        return NULL;
    }
    return pr;
}

/* t' A t for the m x m matrix A (column-major). */
static double quad(const double *t, const double *a, size_t m, size_t lda)
{
    double s = 0;
    for (size_t j = 0; j < m; j++) {
        double c = 0;
        for (size_t i = 0; i < m; i++) c += t[i] * a[i + j * lda];
        s += c * t[j];
    }
    return s;
}

/* One row: everything from its design row x (p) and its scale column (stratum k). */
static void predict_row(const survkit_survreg_model *m, const sk_sr_dist_info *info,
                        const survkit_survreg_predict_options *opt, double *t, size_t k,
                        survkit_survreg_prediction *pr, size_t i)
{
    const size_t p = m->p;
    double lp = 0;
    for (size_t j = 0; j < p; j++) lp += t[j] * m->coef[j];
    const double se = sqrt(quad(t, m->var, p, m->m));
    const double sigma = m->scale[m->n_scales > 1 ? k : 0];
    pr->lp[i] = lp, pr->lp_se[i] = se;
    pr->response[i] = info->log_time ? exp(lp) : lp;
    pr->response_se[i] = info->log_time ? se * pr->response[i] : se; /* se / dtrans(response) */
    for (size_t q = 0; q < pr->n_p; q++) {
        const double qq = sk_sr_quantile(info->base, opt->p[q]);
        const double eta = lp + qq * sigma;
        double v;
        if (m->n_scales == 0) {
            v = quad(t, m->var, p, m->m);
        } else {
            for (size_t s = 0; s < m->n_scales; s++) t[p + s] = s == (m->n_scales > 1 ? k : 0) ? qq * sigma : 0;
            v = quad(t, m->var, m->m, m->m);
        }
        const double y = info->log_time ? exp(eta) : eta;
        pr->quantile[i + q * pr->n] = y;
        pr->quantile_se[i + q * pr->n] = info->log_time ? sqrt(v) * y : sqrt(v);
    }
    for (size_t s = 0; s < pr->n_times; s++) {
        const double time = opt->times[s];
        const double y = info->log_time ? log(time) : time;
        pr->survival[i + s * pr->n] = sk_sr_survival(info->base, (y - lp) / sigma);
    }
}

survkit_status survkit_survreg_predict(const survkit_survreg_model *m, const survkit_table *newdata,
                                       const survkit_survreg_predict_options *opt_in,
                                       survkit_survreg_prediction **out, survkit_error *err)
{
    RETURN_ERROR_IF(m == NULL || newdata == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "no model or data given");
    *out = NULL;
    survkit_survreg_predict_options none = {0};
    const survkit_survreg_predict_options *opt = opt_in ? opt_in : &none;
    for (size_t q = 0; q < opt->n_p; q++)
        RETURN_ERROR_IF(!(opt->p[q] > 0 && opt->p[q] < 1), err, SURVKIT_ERR_ARGUMENT,
                        "quantile probabilities must lie strictly between 0 and 1");
    sk_variable_spec *specs = sk_model_variables_specs(m->variables, m->n_variables);
    RETURN_ERROR_IF(specs == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    survkit_frame *f = NULL;
    bool has_response = false;
    survkit_status status = sk_frame_build_like(m->formula, specs, m->n_variables,
                                                (const char *const *)m->strata_labels, m->n_strata,
                                                newdata, &f, &has_response, err);
    free(specs);
    if (status == SURVKIT_ERR_NO_DATA) { /* every row misses a value: all NA (na.pass) */
        survkit_error_clear(err);
        status = SURVKIT_OK;
    }
    if (status != SURVKIT_OK) return status;
    if (f != NULL && survkit_frame_p(f) + 1 != m->p) {
        survkit_frame_free(f);
        return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                            "the new data give %zu covariate columns, the model has %zu",
                            survkit_frame_p(f) + 1, m->p);
    }
    const size_t n = survkit_table_n_rows(newdata);
    survkit_survreg_prediction *pr = prediction_alloc(n, opt->n_p, opt->n_times);
    double *t = sk_malloc_array(m->m + 1, sizeof(double));
    if (pr == NULL || t == NULL) {
        survkit_frame_free(f), survkit_survreg_prediction_free(pr), free(t);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    double *all[] = {pr->lp, pr->lp_se, pr->response, pr->response_se};
    for (size_t a = 0; a < 4; a++)
        for (size_t i = 0; i < n; i++) all[a][i] = NAN;
    for (size_t i = 0; i < n * opt->n_p; i++) pr->quantile[i] = pr->quantile_se[i] = NAN;
    for (size_t i = 0; i < n * opt->n_times; i++) pr->survival[i] = NAN;
    const sk_sr_dist_info *info = sk_sr_dist(m->dist);
    const size_t kept = f ? survkit_frame_n(f) : 0, q = m->p - 1;
    const double *x = f ? survkit_frame_x(f) : NULL;
    const int32_t *strata = f ? survkit_frame_strata(f) : NULL;
    const size_t *rows = f ? survkit_frame_row_index(f) : NULL;
    for (size_t r = 0; r < kept; r++) {
        t[0] = 1;
        for (size_t j = 0; j < q; j++) t[1 + j] = x[r + j * kept];
        predict_row(m, info, opt, t, strata ? (size_t)strata[r] : 0, pr, rows[r]);
    }
    survkit_frame_free(f);
    free(t);
    *out = pr;
    return SURVKIT_OK;
}

size_t survkit_survreg_prediction_n(const survkit_survreg_prediction *pr) { return pr->n; }
const double *survkit_survreg_prediction_lp(const survkit_survreg_prediction *pr) { return pr->lp; }
const double *survkit_survreg_prediction_lp_se(const survkit_survreg_prediction *pr) { return pr->lp_se; }
const double *survkit_survreg_prediction_response(const survkit_survreg_prediction *pr)
{
    return pr->response;
}
const double *survkit_survreg_prediction_response_se(const survkit_survreg_prediction *pr)
{
    return pr->response_se;
}
const double *survkit_survreg_prediction_quantile(const survkit_survreg_prediction *pr, size_t k)
{
    return k < pr->n_p ? pr->quantile + k * pr->n : NULL;
}
const double *survkit_survreg_prediction_quantile_se(const survkit_survreg_prediction *pr, size_t k)
{
    return k < pr->n_p ? pr->quantile_se + k * pr->n : NULL;
}
const double *survkit_survreg_prediction_survival(const survkit_survreg_prediction *pr, size_t k)
{
    return k < pr->n_times ? pr->survival + k * pr->n : NULL;
}
