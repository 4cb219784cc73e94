/*
 * finegray.c: the Fine-Gray fit as cmprsk::crr runs it: Newton-Raphson from b = 0 on crr's
 * pseudo log-likelihood (finegray_kernel.c), crr's stopping rule checked before each step,
 *
 *   max_j |U_j| max(|b_j|, 1) < max(|loglik|, 1) gtol          (converged; iterations = steps)
 *
 * the step I^-1 U backtracked by halves (at most 20) while loglik(b + step) < loglik(b) +
 * 1e-4 step'U (Armijo), at most iter_max steps; then crr's variance H^-1 V H^-1 with H the
 * information at the final b and V the sandwich middle (finegray_var.c), loglik.null at b = 0,
 * and the baseline jumps bfitj_k = d_k / S0_k (S0 of the uncentred covariates) for predict.crr.
 */
#include "compete/compete_internal.h"
#include "cox/cox_internal.h"

#include <gsl/gsl_cdf.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct survkit_finegray_s {
    size_t n, p, events, competing;
    int iterations;
    bool converged, weighted;
    double conf_level;
    char **names;
    double *coef, *vcov;
    double loglik, loglik_null;
    size_t K;
    double *event_times, *bfitj;
};

void survkit_finegray_options_init(survkit_finegray_options *opt)
{
    opt->gtol = 1e-6;
    opt->iter_max = 10;
    opt->conf_level = 0.95;
    opt->progress = NULL;
    opt->progress_user = NULL;
}

void survkit_finegray_free(survkit_finegray *fit)
{
    if (fit == NULL) return;
    for (size_t j = 0; fit->names && j < fit->p; j++) free(fit->names[j]);
    free(fit->names);
    free(fit->coef);
    free(fit->vcov);
    free(fit->event_times);
    free(fit->bfitj);
    free(fit);
}

static survkit_status check_inputs(size_t n, const double *time, const int32_t *state,
                                   int32_t cause, size_t p, const double *x,
                                   const double *weights, const survkit_finegray_options *opt,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(time == NULL || state == NULL || (p > 0 && x == NULL), err,
                    SURVKIT_ERR_ARGUMENT, "finegray: time, state and x are required");
    RETURN_ERROR_IF(p == 0, err, SURVKIT_ERR_ARGUMENT,
                    "finegray: the model needs at least one covariate (crr has no null model)");
    RETURN_ERROR_IF(cause <= 0, err, SURVKIT_ERR_ARGUMENT,
                    "finegray: the cause must be an event state, not the censoring code");
    RETURN_ERROR_IF(!(opt->gtol > 0) || opt->iter_max < 0, err, SURVKIT_ERR_ARGUMENT,
                    "finegray: gtol must be > 0 and iter_max >= 0");
    RETURN_ERROR_IF(!(opt->conf_level > 0 && opt->conf_level < 1), err, SURVKIT_ERR_ARGUMENT,
                    "finegray: the confidence level must be between 0 and 1");
    size_t events = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "finegray: row %zu: the time is missing or infinite", i + 1);
        if (state[i] < 0)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "finegray: row %zu: negative state code", i + 1);
        if (weights != NULL && !(weights[i] >= 0 && isfinite(weights[i])))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                "finegray: row %zu: weights must be finite and >= 0", i + 1);
        events += state[i] == cause;
    }
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(x[j * n + i]))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 2, 0,
                                    "finegray: row %zu: covariate %zu is not finite", i + 1, j + 1);
    RETURN_ERROR_IF(events == 0, err, SURVKIT_ERR_NO_DATA,
                    "finegray: no event of the cause (state %d) in the data", (int)cause);
    return SURVKIT_OK;
}

/* The Newton step I^-1 U by R's cholesky2/chsolve2 (crr calls solve(); H is positive definite
 * "except in rare circumstances", where both fail). Returns false when I is not of full rank. */
static bool newton_step(const sk_fg_eval *e, size_t p, double *work, double *step)
{
    memcpy(work, e->info, p * p * sizeof *work);
    memcpy(step, e->U, p * sizeof *step);
    int rank = sk_cox_cholesky2(work, p, DBL_EPSILON);
    if (rank < (int)p) return false;
    sk_cox_chsolve2(work, p, step);
    return true;
}

static survkit_status iterate(const sk_fg_data *d, const survkit_finegray_options *opt,
                              sk_fg_eval *e, survkit_finegray *fit, survkit_error *err)
{
    const size_t p = d->p;
    double *b = fit->coef, *work = sk_malloc_array(p * p + 2 * p, sizeof(double));
    RETURN_ERROR_IF(work == NULL, err, SURVKIT_ERR_NOMEM, "finegray: out of memory");
    double *step = work + p * p, *bn = step + p;
    memset(b, 0, p * sizeof *b);
    fit->converged = false;
    for (int ll = 0;; ll++) {
        sk_fg_evaluate(d, b, true, e);
        fit->iterations = ll;
        if (opt->progress) opt->progress(opt->progress_user, "fit", (uint64_t)ll, 0, e->loglik);
        double lhs = 0;
        for (size_t j = 0; j < p; j++) {
            double t = fabs(e->U[j]) * fmax(fabs(b[j]), 1);
            lhs = t > lhs ? t : lhs;
        }
        if (lhs < fmax(fabs(e->loglik), 1) * opt->gtol) {
            fit->converged = true;
            break;
        }
        if (ll == opt->iter_max || !newton_step(e, p, work, step)) break;
        const double lik = e->loglik;
        double slope = 0;
        for (size_t j = 0; j < p; j++) slope += step[j] * e->U[j];
        int halvings = 0;
        for (;;) {
            for (size_t j = 0; j < p; j++) bn[j] = b[j] + step[j];
            sk_fg_evaluate(d, bn, false, e);
            /* crr minimises -loglik: stop halving when -l(bn) <= -l(b) - 1e-4 step'U */
            if (!isnan(e->loglik) && -e->loglik <= -lik - 1e-4 * slope) break;
            if (++halvings > 20) break;
            for (size_t j = 0; j < p; j++) step[j] *= 0.5;
        }
        if (halvings > 20) {
            sk_fg_evaluate(d, b, true, e); /* the last accepted b */
            break;
        }
        memcpy(b, bn, p * sizeof *b);
    }
    free(work);
    return SURVKIT_OK;
}

/* crr's var = H^-1 V H^-1, H the information at the final b (held in e). */
static survkit_status variance(const sk_fg_data *d, const sk_fg_eval *e, survkit_finegray *fit,
                               survkit_error *err)
{
    const size_t p = d->p;
    double *Hinv = sk_malloc_array(3 * p * p, sizeof(double));
    RETURN_ERROR_IF(Hinv == NULL, err, SURVKIT_ERR_NOMEM, "finegray: out of memory");
    double *V = Hinv + p * p, *T = V + p * p;
    memcpy(Hinv, e->info, p * p * sizeof *Hinv);
    int rank = sk_cox_cholesky2(Hinv, p, DBL_EPSILON);
    survkit_status status = SURVKIT_OK;
    if (rank < (int)p) {
        for (size_t j = 0; j < p * p; j++) fit->vcov[j] = NAN;
        goto done;
    }
    sk_cox_chinv2(Hinv, p);
    for (size_t a = 0; a < p; a++) /* chinv2 fills the upper triangle */
        for (size_t b = a + 1; b < p; b++) Hinv[a * p + b] = Hinv[b * p + a];
    status = sk_fg_sandwich(d, e, V, err);
    if (status != SURVKIT_OK) goto done;
    for (size_t a = 0; a < p; a++) /* T = Hinv V */
        for (size_t b = 0; b < p; b++) {
            double s = 0;
            for (size_t c = 0; c < p; c++) s += Hinv[c * p + a] * V[b * p + c];
            T[b * p + a] = s;
        }
    for (size_t a = 0; a < p; a++) /* vcov = T Hinv */
        for (size_t b = 0; b < p; b++) {
            double s = 0;
            for (size_t c = 0; c < p; c++) s += T[c * p + a] * Hinv[b * p + c];
            fit->vcov[b * p + a] = s;
        }
done:
    free(Hinv);
    return status;
}

static survkit_status fill_result(const sk_fg_data *d, const char *const *names,
                                  const sk_fg_eval *e, survkit_finegray *fit, survkit_error *err)
{
    for (size_t j = 0; j < d->p; j++) {
        char buf[32];
        if (names == NULL) snprintf(buf, sizeof buf, "x%zu", j + 1);
        fit->names[j] = sk_strdup(names ? names[j] : buf);
        RETURN_ERROR_IF(fit->names[j] == NULL, err, SURVKIT_ERR_NOMEM, "finegray: out of memory");
    }
    fit->K = d->K;
    fit->event_times = sk_malloc_array(d->K, sizeof(double));
    fit->bfitj = sk_malloc_array(d->K, sizeof(double));
    RETURN_ERROR_IF(!fit->event_times || !fit->bfitj, err, SURVKIT_ERR_NOMEM,
                    "finegray: out of memory");
    /* S0 with uncentred covariates is exp(mean'b) times the centred one */
    double shift = 0;
    for (size_t j = 0; j < d->p; j++) shift += d->mean[j] * fit->coef[j];
    for (size_t k = 0; k < d->K; k++) {
        fit->event_times[k] = d->t_event[k];
        fit->bfitj[k] = d->d[k] / (e->S0[k] * exp(shift));
    }
    return SURVKIT_OK;
}

survkit_status survkit_finegray_fit(size_t n, const double *time, const int32_t *state,
                                    int32_t cause, size_t p, const double *x,
                                    const char *const *names, const double *weights,
                                    const survkit_finegray_options *opt, survkit_finegray **out,
                                    survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "finegray: no output");
    *out = NULL;
    survkit_finegray_options defaults;
    if (opt == NULL) {
        survkit_finegray_options_init(&defaults);
        opt = &defaults;
    }
    RETURN_IF_ERROR(check_inputs(n, time, state, cause, p, x, weights, opt, err));
    survkit_finegray *fit = calloc(1, sizeof *fit);
    RETURN_ERROR_IF(fit == NULL, err, SURVKIT_ERR_NOMEM, "finegray: out of memory");
    fit->n = n;
    fit->p = p;
    fit->weighted = weights != NULL;
    fit->conf_level = opt->conf_level;
    for (size_t i = 0; i < n; i++) {
        fit->events += state[i] == cause;
        fit->competing += state[i] != 0 && state[i] != cause;
    }
    fit->names = sk_calloc_array(p, sizeof *fit->names);
    fit->coef = sk_calloc_array(p, sizeof(double));
    fit->vcov = sk_calloc_array(p * p, sizeof(double));
    sk_fg_data d;
    sk_fg_eval e;
    memset(&e, 0, sizeof e);
    survkit_status status = SURVKIT_OK;
    if (!fit->names || !fit->coef || !fit->vcov) {
        survkit_finegray_free(fit);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    }
    status = sk_fg_layout(n, time, state, cause, p, x, weights, &d, err);
    if (status != SURVKIT_OK) {
        survkit_finegray_free(fit);
        return status;
    }
    status = sk_fg_eval_alloc(&d, &e, err);
    if (status == SURVKIT_OK) {
        sk_fg_evaluate(&d, fit->coef, false, &e); /* b = 0: loglik.null */
        fit->loglik_null = e.loglik;
        status = iterate(&d, opt, &e, fit, err);
    }
    if (status == SURVKIT_OK) {
        fit->loglik = e.loglik;
        status = variance(&d, &e, fit, err);
    }
    if (status == SURVKIT_OK) status = fill_result(&d, names, &e, fit, err);
    sk_fg_eval_release(&e);
    sk_fg_release(&d);
    if (status != SURVKIT_OK) survkit_finegray_free(fit);
    else *out = fit;
    return status;
}

/* ------------------------------------------------------------------ getters and predict.crr */

size_t survkit_finegray_n(const survkit_finegray *fit) { return fit ? fit->n : 0; }
size_t survkit_finegray_events(const survkit_finegray *fit) { return fit ? fit->events : 0; }
size_t survkit_finegray_competing(const survkit_finegray *fit) { return fit ? fit->competing : 0; }
size_t survkit_finegray_p(const survkit_finegray *fit) { return fit ? fit->p : 0; }
const char *survkit_finegray_name(const survkit_finegray *fit, size_t j)
{
    return fit && j < fit->p ? fit->names[j] : NULL;
}
const double *survkit_finegray_coef(const survkit_finegray *fit) { return fit ? fit->coef : NULL; }
const double *survkit_finegray_vcov(const survkit_finegray *fit) { return fit ? fit->vcov : NULL; }
double survkit_finegray_loglik(const survkit_finegray *fit) { return fit ? fit->loglik : NAN; }
double survkit_finegray_loglik_null(const survkit_finegray *fit)
{
    return fit ? fit->loglik_null : NAN;
}
int survkit_finegray_iterations(const survkit_finegray *fit) { return fit ? fit->iterations : 0; }
bool survkit_finegray_converged(const survkit_finegray *fit) { return fit && fit->converged; }
bool survkit_finegray_weighted(const survkit_finegray *fit) { return fit && fit->weighted; }
double survkit_finegray_conf_level(const survkit_finegray *fit)
{
    return fit ? fit->conf_level : NAN;
}
void survkit_finegray_term(const survkit_finegray *fit, size_t j, double out[7])
{
    for (size_t c = 0; c < 7; c++) out[c] = NAN;
    if (fit == NULL || j >= fit->p) return;
    const double b = fit->coef[j], se = sqrt(fit->vcov[j * fit->p + j]), z = b / se;
    const double q = gsl_cdf_ugaussian_Pinv(1 - (1 - fit->conf_level) / 2);
    out[0] = b;
    out[1] = exp(b);
    out[2] = se;
    out[3] = z;
    out[4] = 2 * gsl_cdf_ugaussian_P(-fabs(z));
    out[5] = exp(b - q * se);
    out[6] = exp(b + q * se);
}

size_t survkit_finegray_n_event_times(const survkit_finegray *fit) { return fit ? fit->K : 0; }
const double *survkit_finegray_event_times(const survkit_finegray *fit)
{
    return fit ? fit->event_times : NULL;
}
const double *survkit_finegray_baseline_jumps(const survkit_finegray *fit)
{
    return fit ? fit->bfitj : NULL;
}

survkit_status sk_fg_predict_rows(const double *coef, size_t p, const double *bfitj, size_t K,
                                  size_t m, const double *x, double *cif, survkit_error *err)
{
    for (size_t row = 0; row < m; row++) {
        double lp = 0;
        for (size_t j = 0; j < p; j++) lp += x[j * m + row] * coef[j];
        RETURN_ERROR_IF(!isfinite(lp), err, SURVKIT_ERR_DOMAIN,
                        "finegray: new row %zu has a covariate that is not finite", row + 1);
        double risk = exp(lp), lhat = 0;
        for (size_t k = 0; k < K; k++) { /* predict.crr: cumsum(exp(x'b) bfitj) */
            lhat += risk * bfitj[k];
            cif[row * K + k] = 1 - exp(-lhat);
        }
    }
    return SURVKIT_OK;
}

survkit_status survkit_finegray_predict(const survkit_finegray *fit, size_t m, const double *x,
                                        double *cif, survkit_error *err)
{
    RETURN_ERROR_IF(fit == NULL || (m > 0 && (x == NULL || cif == NULL)), err,
                    SURVKIT_ERR_ARGUMENT, "finegray: predict needs a fit, rows and an output");
    return sk_fg_predict_rows(fit->coef, fit->p, fit->bfitj, fit->K, m, x, cif, err);
}
