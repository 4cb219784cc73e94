/*
 * glm_fit.c: the binomial GLM result: what R's glm() and summary.glm() report.
 *
 *   coefficients   glm.fit's final iterate (irls.c), NA (NaN) for aliased columns
 *   vcov           chol2inv of the leading rank x rank R factor of the last solve, in pivot order,
 *                  put back in column order (dispersion 1 for the binomial family)
 *   se, z, p       sqrt(diag vcov), coef / se, 2 pnorm(-|z|)
 *   deviance       sum of 2 w (y log(y/mu) + (1-y) log((1-y)/(1-mu)))
 *   null deviance  with an intercept: at mu = sum(w y)/sum(w); without: at mu = linkinv(offset);
 *                  with an intercept and an offset, glm() refits the intercept alone (from the
 *                  fitted mu) and takes that fit's deviance
 *   df             n_ok - rank and n_ok - intercept, n_ok the rows with a weight > 0
 *   AIC            -2 sum_{w > 0} log dbinom(round(w y), round(w), mu) + 2 rank
 *   robust vcov    B M B, B the model-based vcov and M = sum over clusters of u_c u_c', u_c the
 *                  cluster's sum of x_i (y_i - mu_i)/mu.eta(eta_i) W_i (working residual times
 *                  working weight): sandwich::vcovCL(fit, cluster, type = "HC0", cadjust = FALSE)
 */
#include "glm/glm_internal.h"
#include "core/memory.h"
#include "core/lapack.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct survkit_glm_result_s {
    size_t n, p, rank, n_clusters;
    survkit_glm_link link;
    survkit_glm_solver solver;
    char **names;
    double *coef, *se, *z, *pvalue, *robust_se, *vcov, *naive_vcov;
    double deviance, null_deviance, df_residual, df_null, aic;
    int iter;
    bool converged, boundary;
    double *fitted, *lp, *dev_resid;
    char warnings[2 * SK_GLM_MAX_WARNINGS][96];
    size_t n_warnings;
};

void survkit_glm_options_init(survkit_glm_options *opt)
{
    if (opt == NULL) return;
    opt->link = SURVKIT_GLM_LOGIT;
    opt->epsilon = 1e-8;
    opt->maxit = 25;
    opt->solver = SURVKIT_GLM_SOLVER_AUTO;
    opt->progress = NULL;
    opt->progress_user = NULL;
}

const char *survkit_glm_link_name(survkit_glm_link link)
{
    switch (link) {
    case SURVKIT_GLM_LOGIT: return "logit";
    case SURVKIT_GLM_PROBIT: return "probit";
    case SURVKIT_GLM_CLOGLOG: return "cloglog";
    }
    return "?";
}

void survkit_glm_result_free(survkit_glm_result *r)
{
    if (r == NULL) return;
    for (size_t j = 0; r->names != NULL && j < r->p; j++) free(r->names[j]);
    free(r->names);
    free(r->coef);
    free(r->se);
    free(r->z);
    free(r->pvalue);
    free(r->robust_se);
    free(r->vcov);
    free(r->naive_vcov);
    free(r->fitted);
    free(r->lp);
    free(r->dev_resid);
    free(r);
}

static survkit_status no_memory(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory in the glm fit");
}

static void add_warning(survkit_glm_result *r, const char *text)
{
    if (r->n_warnings < sizeof r->warnings / sizeof r->warnings[0])
        snprintf(r->warnings[r->n_warnings++], sizeof r->warnings[0], "%s", text);
}

/* Inputs as R's glm.fit would reject them, naming the 1-based row (X itself: check_x). */
static survkit_status check_data(const survkit_glm_data *d, survkit_error *err)
{
    RETURN_ERROR_IF(d->y == NULL, err, SURVKIT_ERR_ARGUMENT, "survkit_glm_fit: NULL y");
    RETURN_ERROR_IF(d->n == 0, err, SURVKIT_ERR_NO_DATA, "no rows to fit");
    RETURN_ERROR_IF(d->cluster != NULL && d->n_clusters == 0, err, SURVKIT_ERR_ARGUMENT,
                    "cluster codes given with n_clusters = 0");
    for (size_t i = 0; i < d->n; i++) {
        if (!(d->y[i] >= 0 && d->y[i] <= 1))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0, "y values must be 0 <= y <= 1");
        if (d->weights && !(d->weights[i] >= 0 && isfinite(d->weights[i])))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "weights must be finite and non-negative");
        if (d->offset && !isfinite(d->offset[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0, "the offset is not finite");
        if (d->cluster && (d->cluster[i] < 0 || (size_t)d->cluster[i] >= d->n_clusters))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0, "cluster code out of range");
    }
    return SURVKIT_OK;
}

/* A caller's X must be finite (a frame's is checked when it is built). */
static survkit_status check_x(const survkit_glm_data *d, survkit_error *err)
{
    RETURN_ERROR_IF(d->p > 0 && d->x == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_fit_arrays: NULL x");
    for (size_t j = 0; j < d->p; j++)
        for (size_t i = 0; i < d->n; i++)
            if (!isfinite(d->x[i + j * d->n]))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                    "NA/NaN/Inf in 'x' (column %zu)", j + 1);
    return SURVKIT_OK;
}

/* chol2inv of the rank x rank R factor, spread to p x p in column order (NaN where aliased). */
static survkit_status unscaled_vcov(const sk_glm_wls *w, double *v, survkit_error *err)
{
    const size_t p = w->p, k = w->rank;
    for (size_t c = 0; c < p * p; c++) v[c] = NAN;
    if (k == 0) return SURVKIT_OK;
    double *inv = sk_malloc_array(k * k, sizeof *inv);
    if (inv == NULL) return no_memory(err);
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < k; i++) inv[i + j * k] = i <= j ? w->r[i + j * p] : 0;
    int nk = (int)k, info = 0;
    dpotri_("U", &nk, inv, &nk, &info, 1); /* R's chol2inv */
    if (info != 0) {
        free(inv);
        return sk_error_set(err, SURVKIT_ERR_NUMERIC, NULL, 0, 0,
                            "the R factor of the fit is singular (%d)", info);
    }
    for (size_t j = 0; j < k; j++)
        for (size_t i = 0; i < k; i++) {
            double value = i <= j ? inv[i + j * k] : inv[j + i * k];
            v[w->pivot[i] + w->pivot[j] * p] = value;
        }
    free(inv);
    return SURVKIT_OK;
}

/* The robust vcov B M B over the non-aliased columns (see the top of the file). */
static survkit_status robust_vcov(survkit_glm_result *r, const survkit_glm_data *d,
                                  const double *const *cols, const sk_glm_state *s,
                                  survkit_error *err)
{
    const size_t n = d->n, p = d->p, g = d->n_clusters;
    double *u = sk_calloc_array(g * p, sizeof *u), *bm = sk_calloc_array(p * p, sizeof *bm);
    r->vcov = sk_malloc_array(p * p, sizeof *r->vcov);
    r->robust_se = sk_malloc_array(p, sizeof *r->robust_se);
    if (!u || !bm || !r->vcov || !r->robust_se) {
        free(u), free(bm);
        return no_memory(err);
    }
    for (size_t i = 0; i < n; i++) {
        if (s->wt[i] == 0) continue;
        double res = (d->y[i] - r->fitted[i]) / sk_glm_mu_eta(r->link, r->lp[i]) * s->wt[i];
        double *uc = u + (size_t)d->cluster[i] * p;
        for (size_t j = 0; j < p; j++)
            if (!isnan(r->coef[j])) uc[j] += sk_glm_x(cols, j, i) * res;
    }
    const double *b = r->naive_vcov;
    /* bm = B U' (p x g) would be large for many clusters: form M = U'U (p x p) first */
    double *m = sk_calloc_array(p * p, sizeof *m);
    if (m == NULL) {
        free(u), free(bm);
        return no_memory(err);
    }
    for (size_t c = 0; c < g; c++)
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < p; k++) m[j + k * p] += u[c * p + j] * u[c * p + k];
    for (size_t j = 0; j < p; j++) /* bm = B M over the kept columns */
        for (size_t k = 0; k < p; k++) {
            double t = 0;
            for (size_t l = 0; l < p; l++)
                if (!isnan(r->coef[l])) t += b[j + l * p] * m[l + k * p];
            bm[j + k * p] = t;
        }
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++) {
            double t = 0;
            for (size_t l = 0; l < p; l++)
                if (!isnan(r->coef[l])) t += bm[j + l * p] * b[l + k * p];
            r->vcov[j + k * p] = isnan(r->coef[j]) || isnan(r->coef[k]) ? NAN : t;
        }
    for (size_t j = 0; j < p; j++) r->robust_se[j] = sqrt(r->vcov[j + j * p]);
    free(u), free(bm), free(m);
    return SURVKIT_OK;
}

/* The null deviance (see the top of the file); a refit may add warnings. */
static survkit_status null_deviance(survkit_glm_result *r, const sk_glm_problem *pr,
                                    const survkit_glm_data *d, survkit_error *err)
{
    const size_t n = pr->n;
    if (d->intercept && d->offset != NULL) { /* glm(): glm.fit(x = X[, "(Intercept)"], ...) */
        sk_glm_problem null = *pr;
        null.p = 1; /* cols[0], the intercept */
        null.mustart = r->fitted;
        null.progress = NULL;
        null.solver = SURVKIT_GLM_SOLVER_QR;
        sk_glm_state s;
        survkit_status status = sk_glm_irls(&null, &s, err);
        if (status == SURVKIT_OK) {
            r->null_deviance = s.dev;
            for (size_t k = 0; k < s.n_warnings; k++) add_warning(r, s.warnings[k]);
            if (!s.converged)
                add_warning(r, "fitting to calculate the null deviance did not converge -- "
                               "increase 'maxit'?");
        }
        sk_glm_state_release(&s);
        return status;
    }
    long double dev = 0;
    if (d->intercept) {
        long double swy = 0, sw = 0;
        for (size_t i = 0; i < n; i++) swy += pr->weights[i] * pr->y[i], sw += pr->weights[i];
        double mu = (double)(swy / sw);
        /* one mu: the logs of the y = 1 and y = 0 terms once (2 w (a + b), one of a, b being 0) */
        const double l1 = sk_glm_dev_resid(1, mu, 0.5), l0 = sk_glm_dev_resid(0, mu, 0.5);
        for (size_t i = 0; i < n; i++) {
            const double y = pr->y[i], w = pr->weights[i];
            dev += y == 1 ? 2 * w * l1 : y == 0 ? 2 * w * l0 : sk_glm_dev_resid(y, mu, w);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            double eta = d->offset ? d->offset[i] : 0, mu;
            sk_glm_linkinv(pr->link, &eta, &mu, NULL, 1);
            dev += sk_glm_dev_resid(pr->y[i], mu, pr->weights[i]);
        }
    }
    r->null_deviance = (double)dev;
    return SURVKIT_OK;
}

/* Everything after the iteration: summary's table, deviances, AIC, residuals. */
static survkit_status summarise(survkit_glm_result *r, const sk_glm_problem *pr,
                                const survkit_glm_data *d, sk_glm_state *s, survkit_error *err)
{
    const size_t n = d->n, p = d->p;
    r->rank = s->wls.rank;
    r->solver = s->wls.solver;
    r->iter = s->iter;
    r->converged = s->converged;
    r->boundary = s->boundary;
    r->deviance = s->dev;
    memcpy(r->coef, s->coef, p * sizeof *r->coef);
    r->fitted = s->mu, s->mu = NULL; /* the fit's arrays move into the result */
    r->lp = s->eta, s->eta = NULL;
    double *v = sk_malloc_array(p * p, sizeof *v);
    if (v == NULL) return no_memory(err);
    survkit_status status = unscaled_vcov(&s->wls, v, err);
    if (status != SURVKIT_OK) {
        free(v);
        return status;
    }
    r->naive_vcov = v;
    for (size_t j = 0; j < p; j++) r->se[j] = sqrt(v[j + j * p]);
    if (d->cluster) {
        r->n_clusters = d->n_clusters;
        RETURN_IF_ERROR(robust_vcov(r, d, pr->cols, s, err));
    } else {
        r->vcov = v;
        r->naive_vcov = NULL;
    }
    const double *se = r->robust_se ? r->robust_se : r->se;
    for (size_t j = 0; j < p; j++) {
        r->z[j] = r->coef[j] / se[j];
        r->pvalue[j] = 2 * gsl_cdf_ugaussian_P(-fabs(r->z[j]));
    }
    size_t n_ok = 0;
    long double loglik = 0;
    for (size_t start = 0; start < n; start += SK_GLM_DEV_BLOCK) {
        const size_t nb = n - start < SK_GLM_DEV_BLOCK ? n - start : SK_GLM_DEV_BLOCK;
        double *dr = r->dev_resid + start;
        const double *y = pr->y + start, *mu = r->fitted + start, *wt = pr->weights + start;
        sk_glm_dev_resid_array(y, mu, wt, nb, dr);
        for (size_t i = 0; i < nb; i++) {
            double w = wt[i];
            /* log dbinom(y, 1, mu) = -(deviance term)/2 for y in {0, 1} and w = 1 */
            if (w == 1 && (y[i] == 0 || y[i] == 1)) n_ok++, loglik -= dr[i] / 2;
            else if (w > 0) {
                n_ok++;
                loglik += sk_glm_log_dbinom(nearbyint(w * y[i]), nearbyint(w), mu[i]);
            }
            dr[i] = (y[i] > mu[i] ? 1 : y[i] < mu[i] ? -1 : 0) * sqrt(dr[i] > 0 ? dr[i] : 0);
        }
    }
    r->aic = -2 * (double)loglik + 2 * (double)r->rank;
    r->df_residual = (double)n_ok - (double)r->rank;
    r->df_null = (double)n_ok - (d->intercept ? 1 : 0);
    return null_deviance(r, pr, d, err);
}

static survkit_status allocate(survkit_glm_result *r, const survkit_glm_data *d)
{
    const size_t n = d->n, p = d->p;
    r->names = sk_calloc_array(p, sizeof *r->names);
    r->coef = sk_malloc_array(p, sizeof *r->coef);
    r->se = sk_malloc_array(p, sizeof *r->se);
    r->z = sk_malloc_array(p, sizeof *r->z);
    r->pvalue = sk_malloc_array(p, sizeof *r->pvalue);
    r->dev_resid = sk_malloc_filled(n, sizeof *r->dev_resid);
    if (!r->names || !r->coef || !r->se || !r->z || !r->pvalue || !r->dev_resid)
        return SURVKIT_ERR_NOMEM;
    r->p = p; /* names are freed up to p from here on */
    for (size_t j = 0; j < p; j++) {
        char fallback[32];
        snprintf(fallback, sizeof fallback, "x%zu", j + 1);
        r->names[j] = sk_strdup(d->names ? d->names[j] : fallback);
        if (r->names[j] == NULL) return SURVKIT_ERR_NOMEM;
    }
    return SURVKIT_OK;
}

survkit_status survkit_glm_fit_arrays(const survkit_glm_data *d, const survkit_glm_options *opt,
                                      survkit_glm_result **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || d == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_fit_arrays: NULL argument");
    *out = NULL;
    RETURN_IF_ERROR(check_x(d, err));
    const double **cols = sk_malloc_array(d->p + 1, sizeof *cols);
    if (cols == NULL) return no_memory(err);
    for (size_t j = 0; j < d->p; j++) cols[j] = d->x + j * d->n;
    survkit_status status = sk_glm_fit(d, cols, opt, out, err);
    free(cols);
    return status;
}

survkit_status sk_glm_fit(const survkit_glm_data *d, const double *const *cols,
                          const survkit_glm_options *opt, survkit_glm_result **out,
                          survkit_error *err)
{
    *out = NULL;
    survkit_glm_options defaults;
    survkit_glm_options_init(&defaults);
    if (opt == NULL) opt = &defaults;
    RETURN_ERROR_IF(!(opt->epsilon > 0) || opt->maxit < 1, err, SURVKIT_ERR_ARGUMENT,
                    "epsilon must be > 0 and maxit >= 1");
    RETURN_ERROR_IF(opt->link != SURVKIT_GLM_LOGIT && opt->link != SURVKIT_GLM_PROBIT &&
                        opt->link != SURVKIT_GLM_CLOGLOG, err, SURVKIT_ERR_ARGUMENT, "unknown link");
    RETURN_IF_ERROR(check_data(d, err));
    const size_t n = d->n;
    survkit_glm_result *r = calloc(1, sizeof *r);
    double *w = sk_malloc_filled(n, sizeof *w), *y = sk_malloc_filled(n, sizeof *y);
    if (r == NULL || w == NULL || y == NULL || allocate(r, d) != SURVKIT_OK) {
        survkit_glm_result_free(r);
        free(w), free(y);
        return no_memory(err);
    }
    r->n = n;
    r->link = opt->link;
    /* binomial()$initialize: y is 0 where the weight is; warn about non-integer successes */
    bool fractional = false, binary = true;
    for (size_t i = 0; i < n; i++) {
        w[i] = d->weights ? d->weights[i] : 1;
        y[i] = w[i] == 0 ? 0 : d->y[i];
        binary &= y[i] == 0 || y[i] == 1;
        double m = w[i] * y[i];
        fractional |= m != 0 && m != 1 && fabs(m - nearbyint(m)) > 0.001;
    }
    if (fractional) add_warning(r, "non-integer #successes in a binomial glm!");
    survkit_glm_solver solver = opt->solver;
    if (solver == SURVKIT_GLM_SOLVER_AUTO)
        solver = n >= 100000 ? SURVKIT_GLM_SOLVER_CHOLESKY : SURVKIT_GLM_SOLVER_QR;
    sk_glm_problem pr = {n, d->p, cols, y, w, d->offset, NULL, opt->link, opt->epsilon,
                         opt->maxit, solver, opt->progress, opt->progress_user, binary};
    sk_glm_state s;
    survkit_status status = sk_glm_irls(&pr, &s, err);
    if (status == SURVKIT_OK) {
        for (size_t k = 0; k < s.n_warnings; k++) add_warning(r, s.warnings[k]);
        status = summarise(r, &pr, d, &s, err);
    }
    sk_glm_state_release(&s);
    free(w), free(y);
    if (status != SURVKIT_OK) {
        survkit_glm_result_free(r);
        return status;
    }
    *out = r;
    return SURVKIT_OK;
}

survkit_status survkit_glm_result_predict(const survkit_glm_result *r, const double *x_new, size_t m,
                                          const double *offset_new, double *lp, double *prob,
                                          double *se_link, survkit_error *err)
{
    RETURN_ERROR_IF(r == NULL || (x_new == NULL && r->p > 0), err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_result_predict: NULL argument");
    const size_t p = r->p;
    const double *v = r->vcov;
    for (size_t i = 0; i < m; i++) {
        double eta = offset_new ? offset_new[i] : 0, var = 0;
        for (size_t j = 0; j < p; j++)
            if (!isnan(r->coef[j])) eta += x_new[i + j * m] * r->coef[j];
        for (size_t j = 0; se_link && j < p; j++) {
            if (isnan(r->coef[j])) continue;
            for (size_t k = 0; k < p; k++)
                if (!isnan(r->coef[k])) var += x_new[i + j * m] * v[j + k * p] * x_new[i + k * m];
        }
        if (lp) lp[i] = eta;
        if (prob) sk_glm_linkinv(r->link, &eta, &prob[i], NULL, 1);
        if (se_link) se_link[i] = sqrt(var);
    }
    return SURVKIT_OK;
}

/* ---------------------------------------------------------------- getters */

survkit_glm_link survkit_glm_result_link(const survkit_glm_result *r) { return r ? r->link : SURVKIT_GLM_LOGIT; }
size_t survkit_glm_result_n(const survkit_glm_result *r) { return r ? r->n : 0; }
size_t survkit_glm_result_p(const survkit_glm_result *r) { return r ? r->p : 0; }
size_t survkit_glm_result_rank(const survkit_glm_result *r) { return r ? r->rank : 0; }
const char *survkit_glm_result_name(const survkit_glm_result *r, size_t j)
{
    return r && j < r->p ? r->names[j] : NULL;
}
const double *survkit_glm_result_coef(const survkit_glm_result *r) { return r ? r->coef : NULL; }
const double *survkit_glm_result_se(const survkit_glm_result *r) { return r ? r->se : NULL; }
const double *survkit_glm_result_z(const survkit_glm_result *r) { return r ? r->z : NULL; }
const double *survkit_glm_result_pvalue(const survkit_glm_result *r) { return r ? r->pvalue : NULL; }
const double *survkit_glm_result_robust_se(const survkit_glm_result *r) { return r ? r->robust_se : NULL; }
const double *survkit_glm_result_vcov(const survkit_glm_result *r) { return r ? r->vcov : NULL; }
const double *survkit_glm_result_naive_vcov(const survkit_glm_result *r) { return r ? r->naive_vcov : NULL; }
bool survkit_glm_result_is_robust(const survkit_glm_result *r) { return r && r->robust_se != NULL; }
size_t survkit_glm_result_n_clusters(const survkit_glm_result *r) { return r ? r->n_clusters : 0; }
double survkit_glm_result_deviance(const survkit_glm_result *r) { return r ? r->deviance : NAN; }
double survkit_glm_result_null_deviance(const survkit_glm_result *r) { return r ? r->null_deviance : NAN; }
double survkit_glm_result_df_residual(const survkit_glm_result *r) { return r ? r->df_residual : NAN; }
double survkit_glm_result_df_null(const survkit_glm_result *r) { return r ? r->df_null : NAN; }
double survkit_glm_result_aic(const survkit_glm_result *r) { return r ? r->aic : NAN; }
int survkit_glm_result_iterations(const survkit_glm_result *r) { return r ? r->iter : 0; }
bool survkit_glm_result_converged(const survkit_glm_result *r) { return r && r->converged; }
bool survkit_glm_result_boundary(const survkit_glm_result *r) { return r && r->boundary; }
survkit_glm_solver survkit_glm_result_solver(const survkit_glm_result *r)
{
    return r ? r->solver : SURVKIT_GLM_SOLVER_QR;
}
const double *survkit_glm_result_fitted(const survkit_glm_result *r) { return r ? r->fitted : NULL; }
const double *survkit_glm_result_linear_predictor(const survkit_glm_result *r) { return r ? r->lp : NULL; }
const double *survkit_glm_result_deviance_residuals(const survkit_glm_result *r)
{
    return r ? r->dev_resid : NULL;
}
size_t survkit_glm_result_n_warnings(const survkit_glm_result *r) { return r ? r->n_warnings : 0; }
const char *survkit_glm_result_warning(const survkit_glm_result *r, size_t k)
{
    return r && k < r->n_warnings ? r->warnings[k] : NULL;
}
