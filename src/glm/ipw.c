/*
 * ipw.c: inverse probability of treatment weights and covariate balance (formulas in
 * include/survkit/ipw.h, as the CLI contract defines them), from treatment indicators and
 * propensity scores; sums in long double so that the group totals do not depend on row order
 * beyond rounding of the last bit.
 */
#include "glm/glm_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct survkit_ipw_result_s {
    survkit_glm_result *model; /* owned; NULL when computed from arrays */
    survkit_ipw_estimand estimand;
    size_t n, n_treated, q;
    double *ps, *weights;
    survkit_ipw_summary summary;
    char **names;
    double *smd_before, *smd_after, *vr_before, *vr_after;
};

void survkit_ipw_options_init(survkit_ipw_options *opt)
{
    if (opt == NULL) return;
    opt->estimand = SURVKIT_IPW_ATE;
    opt->stabilize = false;
    opt->trim = 0;
}

void survkit_ipw_result_free(survkit_ipw_result *r)
{
    if (r == NULL) return;
    survkit_glm_result_free(r->model);
    free(r->ps);
    free(r->weights);
    for (size_t k = 0; r->names && k < r->q; k++) free(r->names[k]);
    free(r->names);
    free(r->smd_before);
    free(r->smd_after);
    free(r->vr_before);
    free(r->vr_after);
    free(r);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* R's quantile(x, probs, type = 7) of sorted x[n]: index 1 + (n-1) p, between its neighbours. */
static double quantile7(const double *sorted, size_t n, double p)
{
    double index = (double)(n - 1) * p;
    size_t lo = (size_t)floor(index), hi = (size_t)ceil(index);
    double h = index - (double)lo, q = sorted[lo];
    if (h > 0 && sorted[hi] != q) q = (1 - h) * q + h * sorted[hi];
    return q;
}

/* Raw weights, trimmed, stabilised (in that order). */
static survkit_status make_weights(survkit_ipw_result *r, const double *treated,
                                   const survkit_ipw_options *opt, survkit_error *err)
{
    const size_t n = r->n;
    for (size_t i = 0; i < n; i++) {
        double ps = r->ps[i];
        bool t = treated[i] != 0;
        r->weights[i] = opt->estimand == SURVKIT_IPW_ATE ? (t ? 1 / ps : 1 / (1 - ps))
                                                         : (t ? 1 : ps / (1 - ps));
    }
    r->summary.trim_lower = r->summary.trim_upper = NAN;
    if (opt->trim > 0) {
        double *sorted = sk_malloc_array(n, sizeof *sorted);
        if (sorted == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        memcpy(sorted, r->weights, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, compare_double);
        double lo = quantile7(sorted, n, opt->trim), hi = quantile7(sorted, n, 1 - opt->trim);
        free(sorted);
        for (size_t i = 0; i < n; i++)
            r->weights[i] = r->weights[i] < lo ? lo : r->weights[i] > hi ? hi : r->weights[i];
        r->summary.trim_lower = lo;
        r->summary.trim_upper = hi;
    }
    if (opt->stabilize) {
        double pt = (double)r->n_treated / (double)n;
        for (size_t i = 0; i < n; i++) r->weights[i] *= treated[i] != 0 ? pt : 1 - pt;
    }
    return SURVKIT_OK;
}

/* Unweighted mean and var (n - 1), weighted mean and the weighted variance of the contract, over
 * the rows of one group. */
typedef struct moments {
    double mean, var, wmean, wvar;
} moments;

static moments group_moments(const double *x, const double *w, const double *treated, bool group,
                             size_t n)
{
    long double s = 0, sw = 0, swx = 0, sw2 = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if ((treated[i] != 0) != group) continue;
        m++;
        s += x[i];
        sw += w[i];
        sw2 += (long double)w[i] * w[i];
        swx += (long double)w[i] * x[i];
    }
    moments out;
    out.mean = (double)(s / (long double)m);
    out.wmean = (double)(swx / sw);
    long double ss = 0, wss = 0;
    for (size_t i = 0; i < n; i++) {
        if ((treated[i] != 0) != group) continue;
        double d = x[i] - out.mean, dw = x[i] - out.wmean;
        ss += (long double)d * d;
        wss += (long double)w[i] * dw * dw;
    }
    out.var = m > 1 ? (double)(ss / (long double)(m - 1)) : NAN;
    out.wvar = (double)(wss * sw / (sw * sw - sw2));
    return out;
}

static survkit_status balance(survkit_ipw_result *r, const double *treated, const double *x,
                              const char *const *names, survkit_error *err)
{
    const size_t q = r->q, n = r->n;
    r->names = sk_calloc_array(q, sizeof *r->names);
    r->smd_before = sk_malloc_array(q, sizeof(double));
    r->smd_after = sk_malloc_array(q, sizeof(double));
    r->vr_before = sk_malloc_array(q, sizeof(double));
    r->vr_after = sk_malloc_array(q, sizeof(double));
    if (!r->names || !r->smd_before || !r->smd_after || !r->vr_before || !r->vr_after)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < q; k++) {
        char fallback[32];
        snprintf(fallback, sizeof fallback, "x%zu", k + 1);
        if ((r->names[k] = sk_strdup(names ? names[k] : fallback)) == NULL)
            return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        const double *col = x + k * n;
        moments t = group_moments(col, r->weights, treated, true, n);
        moments c = group_moments(col, r->weights, treated, false, n);
        double pooled = sqrt((t.var + c.var) / 2);
        r->smd_before[k] = (t.mean - c.mean) / pooled;
        r->smd_after[k] = (t.wmean - c.wmean) / pooled;
        r->vr_before[k] = t.var / c.var;
        r->vr_after[k] = t.wvar / c.wvar;
    }
    return SURVKIT_OK;
}

static void summarise(survkit_ipw_result *r, const double *treated)
{
    long double s[2] = {0, 0}, s2[2] = {0, 0};
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < r->n; i++) {
        double w = r->weights[i];
        int g = treated[i] != 0;
        s[g] += w;
        s2[g] += (long double)w * w;
        lo = w < lo ? w : lo;
        hi = w > hi ? w : hi;
    }
    r->summary.min = lo;
    r->summary.max = hi;
    r->summary.sum_treated = (double)s[1];
    r->summary.sum_control = (double)s[0];
    r->summary.ess_treated = (double)(s[1] * s[1] / s2[1]);
    r->summary.ess_control = (double)(s[0] * s[0] / s2[0]);
}

/* The work of survkit_ipw_compute on an allocated result (model left to the caller). */
static survkit_status compute(survkit_ipw_result *r, const double *treated, const double *ps,
                              size_t n, const double *x, const char *const *names, size_t q,
                              const survkit_ipw_options *opt, survkit_error *err)
{
    RETURN_ERROR_IF(opt->estimand != SURVKIT_IPW_ATE && opt->estimand != SURVKIT_IPW_ATT, err,
                    SURVKIT_ERR_ARGUMENT, "unknown estimand");
    RETURN_ERROR_IF(!(opt->trim == 0 || (opt->trim > 0 && opt->trim < 0.5)), err,
                    SURVKIT_ERR_ARGUMENT, "the trimming quantile must lie in (0, 0.5), not %g",
                    opt->trim);
    r->n = n;
    r->q = q;
    r->estimand = opt->estimand;
    for (size_t i = 0; i < n; i++) {
        if (treated[i] != 0 && treated[i] != 1)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "the treatment must be coded 0/1 (or two levels)");
        r->n_treated += treated[i] == 1;
        const double eps = 10 * DBL_EPSILON;
        if (!(ps[i] > eps && ps[i] < 1 - eps))
            return sk_error_set(err, SURVKIT_ERR_NUMERIC, NULL, i + 1, 0,
                                "propensity score %.3g: the model separates the groups (fitted "
                                "probabilities numerically 0 or 1), so this row's weight is not "
                                "defined; remove the covariate that separates them",
                                ps[i]);
    }
    RETURN_ERROR_IF(r->n_treated == 0 || r->n_treated == n, err, SURVKIT_ERR_NO_DATA,
                    "the treatment has no %s rows: weights need both groups",
                    r->n_treated == 0 ? "treated (1)" : "control (0)");
    r->ps = sk_malloc_array(n, sizeof *r->ps);
    r->weights = sk_malloc_array(n, sizeof *r->weights);
    if (r->ps == NULL || r->weights == NULL)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memcpy(r->ps, ps, n * sizeof *ps);
    RETURN_IF_ERROR(make_weights(r, treated, opt, err));
    summarise(r, treated);
    return balance(r, treated, x, names, err);
}

survkit_status survkit_ipw_compute(const double *treated, const double *ps, size_t n,
                                   const double *x, const char *const *names, size_t q,
                                   const survkit_ipw_options *opt, survkit_ipw_result **out,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || treated == NULL || ps == NULL || (q > 0 && x == NULL), err,
                    SURVKIT_ERR_ARGUMENT, "survkit_ipw_compute: NULL argument");
    *out = NULL;
    survkit_ipw_options defaults;
    survkit_ipw_options_init(&defaults);
    survkit_ipw_result *r = calloc(1, sizeof *r);
    if (r == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    survkit_status status = compute(r, treated, ps, n, x, names, q, opt ? opt : &defaults, err);
    if (status != SURVKIT_OK) {
        survkit_ipw_result_free(r);
        return status;
    }
    *out = r;
    return SURVKIT_OK;
}

survkit_status survkit_ipw_fit_frame(const survkit_frame *frame, const survkit_glm_options *glm_opt,
                                     const survkit_ipw_options *opt, survkit_ipw_result **out,
                                     survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_ipw_fit_frame: NULL argument");
    *out = NULL;
    survkit_glm_options gopt;
    if (glm_opt) gopt = *glm_opt;
    else survkit_glm_options_init(&gopt);
    gopt.link = SURVKIT_GLM_LOGIT;
    survkit_glm_result *model = NULL;
    RETURN_IF_ERROR(survkit_glm_fit_frame(frame, &gopt, &model, err));
    const size_t n = survkit_frame_n(frame), q = survkit_frame_p(frame);
    const char **names = sk_malloc_array(q + 1, sizeof *names);
    survkit_ipw_result *r = calloc(1, sizeof *r);
    survkit_status status = SURVKIT_OK;
    if (names == NULL || r == NULL) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else {
        for (size_t k = 0; k < q; k++) names[k] = survkit_frame_column_name(frame, k);
        survkit_ipw_options defaults;
        survkit_ipw_options_init(&defaults);
        status = compute(r, survkit_frame_status(frame), survkit_glm_result_fitted(model), n,
                         survkit_frame_x(frame), names, q, opt ? opt : &defaults, err);
        if (status != SURVKIT_OK && err != NULL && err->line > 0 && err->line <= n)
            err->line = survkit_frame_row_index(frame)[err->line - 1] + 2;
    }
    free(names);
    if (status != SURVKIT_OK) {
        survkit_glm_result_free(model);
        survkit_ipw_result_free(r);
        return status;
    }
    r->model = model;
    *out = r;
    return SURVKIT_OK;
}

const survkit_glm_result *survkit_ipw_result_model(const survkit_ipw_result *r)
{
    return r ? r->model : NULL;
}
survkit_ipw_estimand survkit_ipw_result_estimand(const survkit_ipw_result *r)
{
    return r ? r->estimand : SURVKIT_IPW_ATE;
}
size_t survkit_ipw_result_n(const survkit_ipw_result *r) { return r ? r->n : 0; }
size_t survkit_ipw_result_n_treated(const survkit_ipw_result *r) { return r ? r->n_treated : 0; }
const double *survkit_ipw_result_ps(const survkit_ipw_result *r) { return r ? r->ps : NULL; }
const double *survkit_ipw_result_weights(const survkit_ipw_result *r) { return r ? r->weights : NULL; }
void survkit_ipw_result_summary(const survkit_ipw_result *r, survkit_ipw_summary *out)
{
    if (r && out) *out = r->summary;
}
size_t survkit_ipw_result_n_balance(const survkit_ipw_result *r) { return r ? r->q : 0; }
const char *survkit_ipw_result_balance_name(const survkit_ipw_result *r, size_t k)
{
    return r && k < r->q ? r->names[k] : NULL;
}
const double *survkit_ipw_result_smd_before(const survkit_ipw_result *r) { return r ? r->smd_before : NULL; }
const double *survkit_ipw_result_smd_after(const survkit_ipw_result *r) { return r ? r->smd_after : NULL; }
const double *survkit_ipw_result_vr_before(const survkit_ipw_result *r) { return r ? r->vr_before : NULL; }
const double *survkit_ipw_result_vr_after(const survkit_ipw_result *r) { return r ? r->vr_after : NULL; }
