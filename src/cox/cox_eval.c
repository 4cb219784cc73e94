/*
 * cox_eval.c: a fitted model evaluated on the data it was fitted on, for the diagnostics.
 *
 * The layout of cox_data.c (one linear-time sort, or none for integer times when the row order is
 * not asked for), the weighted column means the fit's kernels centre the covariates at (on the
 * fly: no centred copy of X), and the linear predictor on survfit.coxph's scale:
 *
 *     eta_i = x_i'b + offset_i - xcenter,   xcenter = sum_j means_j b_j + sum_i v_i offset_i / sum v
 *
 * (aliased coefficients count as 0), plus the row's frailty for a model with a frailty() term (R's
 * fit$linear.predictors of a penalised fit hold them). Residuals and cox.zph depend on eta only through differences
 * within a stratum, so the same eta serves them; the baseline hazard needs this exact scale.
 */
#include "cox/diag_internal.h"
#include "core/parallel.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sk_cox_eval_free(sk_cox_eval *ev)
{
    if (ev == NULL) return;
    sk_cox_layout_free(&ev->lay);
    sk_cox_work_free(ev->work);
    free(ev->weights), free(ev->offset), free(ev->eta), free(ev->cmean);
    memset(ev, 0, sizeof *ev);
}

enum {
    EVAL_PARALLEL_MIN = 1 << 19, /* rows x columns from which two threads share the passes */
    EVAL_TASKS = 2
};

/* The first of x[0..count) that is NaN or infinite (count when none): each task's share is scanned
 * whole for an all-ones exponent with integer operations that vectorise, and searched for the
 * first one only when it holds one. */
typedef struct finite_job {
    const double *x;
    size_t count, n_tasks, first[EVAL_TASKS];
} finite_job;

static void scan_finite(void *ctx, size_t task)
{
    finite_job *job = ctx;
    size_t lo, hi;
    sk_parallel_range(job->count, job->n_tasks, task, &lo, &hi);
    const uint64_t exponent = UINT64_C(0x7FF0000000000000);
    uint64_t all_ones = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t bits;
        memcpy(&bits, job->x + i, sizeof bits);
        all_ones |= (bits & exponent) == exponent;
    }
    job->first[task] = job->count;
    for (size_t i = lo; all_ones && i < hi; i++)
        if (!isfinite(job->x[i])) {
            job->first[task] = i;
            break;
        }
}

static size_t first_non_finite(const double *x, size_t count)
{
    finite_job job = {x, count, count >= EVAL_PARALLEL_MIN ? EVAL_TASKS : 1, {0}};
    sk_parallel_run_if(job.n_tasks > 1, job.n_tasks, scan_finite, &job);
    size_t first = count;
    for (size_t t = 0; t < job.n_tasks; t++)
        if (job.first[t] < first) first = job.first[t];
    return first;
}

survkit_status sk_cox_model_check_data(const survkit_cox_model *m, const survkit_cox_data *d,
                                       survkit_error *err)
{
    RETURN_ERROR_IF(m == NULL || d == NULL || d->time == NULL || d->status == NULL, err,
                    SURVKIT_ERR_ARGUMENT, "a model and its data are required");
    RETURN_ERROR_IF(d->p != m->p, err, SURVKIT_ERR_ARGUMENT,
                    "the data have %zu covariate columns but the model has %zu", d->p, m->p);
    RETURN_ERROR_IF(d->p > 0 && d->x == NULL, err, SURVKIT_ERR_ARGUMENT, "x is required");
    RETURN_ERROR_IF((d->start != NULL) != m->counting, err, SURVKIT_ERR_ARGUMENT,
                    "the data are %s but the model was fitted on %s data",
                    d->start ? "counting-process" : "right-censored",
                    m->counting ? "counting-process" : "right-censored");
    RETURN_ERROR_IF(m->has_strata && d->strata == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the model has strata but the data have none");
    RETURN_ERROR_IF(m->has_strata && d->n_strata != m->n_strata, err, SURVKIT_ERR_ARGUMENT,
                    "the data have %zu strata but the model has %zu", d->n_strata, m->n_strata);
    const size_t bad = first_non_finite(d->x, d->n * d->p);
    RETURN_ERROR_IF(bad < d->n * d->p, err, SURVKIT_ERR_DOMAIN,
                    "row %zu: an infinite or missing covariate", bad % d->n + 1);
    for (size_t i = 0; d->weights && i < d->n; i++)
        RETURN_ERROR_IF(!(d->weights[i] > 0) || !isfinite(d->weights[i]), err, SURVKIT_ERR_DOMAIN,
                        "row %zu: weights must be positive", i + 1);
    /* a dense frailty's groups are among the columns (sk_cox_data_dense made them) */
    const size_t G = m->pen.dense ? 0 : m->pen.n_frail;
    RETURN_ERROR_IF(G > 0 && d->frailty == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the model has a frailty term (%s) but the data have no frailty groups",
                    m->pen.frail_term ? m->pen.frail_term : "frailty()");
    RETURN_ERROR_IF(G == 0 && d->frailty != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the data have frailty groups but the model has no frailty term");
    RETURN_ERROR_IF(G > 0 && d->n_frailty != G, err, SURVKIT_ERR_ARGUMENT,
                    "the data have %zu frailty groups but the model has %zu: %s needs the data "
                    "it was fitted on", d->n_frailty, G, m->pen.frail_term);
    for (size_t i = 0; G > 0 && i < d->n; i++)
        RETURN_ERROR_IF(d->frailty[i] < 0 || (size_t)d->frailty[i] >= G, err,
                        SURVKIT_ERR_ARGUMENT, "row %zu: frailty group code out of range", i + 1);
    return SURVKIT_OK;
}

/* The column means cmean_j = sum_i v_i x_ij / sum v (each a sum in row order) for the columns of
 * this task's share, then eta_i += sum_j x_ij b_j (each in column order) for the rows of its
 * share: every number is made by one task in the same order, so the split changes no bit. */
typedef struct eta_job {
    const survkit_cox_model *m;
    const survkit_cox_data *d;
    sk_cox_eval *ev;
    double sumw;
    size_t n_tasks;
} eta_job;

static void means_and_eta(void *ctx, size_t task)
{
    const eta_job *job = ctx;
    const size_t n = job->d->n, p = job->d->p;
    const double *w = job->ev->weights;
    size_t lo, hi;
    sk_parallel_range(p, job->n_tasks, task, &lo, &hi);
    for (size_t j = lo; j < hi; j++) {
        const double *x = job->d->x + j * n;
        double s = 0;
        for (size_t i = 0; i < n; i++) s += w[i] * x[i];
        job->ev->cmean[j] = s / job->sumw;
    }
    sk_parallel_range(n, job->n_tasks, task, &lo, &hi);
    double *eta = job->ev->eta;
    for (size_t j = 0; j < p; j++) {
        const double *x = job->d->x + j * n, b = sk_coef0(job->m->coef[j]);
        for (size_t i = lo; i < hi; i++) eta[i] += x[i] * b;
    }
}

survkit_status sk_cox_eval_build(const survkit_cox_model *m, const survkit_cox_data *d,
                                 bool with_order, sk_cox_eval *ev, survkit_error *err)
{
    memset(ev, 0, sizeof *ev);
    RETURN_IF_ERROR(sk_cox_model_check_data(m, d, err));
    const size_t n = d->n, p = d->p;
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "no observations");
    ev->n = n;
    ev->p = p;
    ev->weights = sk_malloc_array(n, sizeof(double));
    ev->offset = sk_calloc_array(n, sizeof(double));
    ev->eta = sk_malloc_array(n, sizeof(double));
    ev->cmean = sk_calloc_array(p + 1, sizeof(double));
    if (!ev->weights || !ev->offset || !ev->eta || !ev->cmean) {
        sk_cox_eval_free(ev);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox model)");
    }
    double sumw = 0, wofs = 0;
    for (size_t i = 0; i < n; i++) {
        ev->weights[i] = d->weights ? d->weights[i] : 1.0;
        sumw += ev->weights[i];
        if (d->offset) {
            ev->offset[i] = d->offset[i];
            wofs += ev->weights[i] * d->offset[i];
        }
    }
    double xcenter = d->offset ? wofs / sumw : 0.0;
    for (size_t j = 0; j < p; j++) xcenter += m->means[j] * sk_coef0(m->coef[j]);
    for (size_t i = 0; i < n; i++)
        ev->eta[i] = ev->offset[i] - xcenter + (d->frailty ? m->pen.frail[d->frailty[i]] : 0);
    eta_job job = {m, d, ev, sumw, n * p >= EVAL_PARALLEL_MIN ? EVAL_TASKS : 1};
    sk_parallel_run_if(job.n_tasks > 1, job.n_tasks, means_and_eta, &job);
    survkit_status status = sk_cox_layout_build(n, d->start, d->time, d->status, ev->weights,
                                                d->strata, d->n_strata, with_order, &ev->lay,
                                                err);
    if (status == SURVKIT_OK) {
        ev->pb = (sk_cox_problem){&ev->lay,    n,           p,         d->x,
                                  ev->cmean,   ev->weights, false,     ev->offset,
                                  d->status,   m->ties == SURVKIT_COX_EFRON, NULL};
        status = sk_cox_work_create(&ev->pb, &ev->work, err);
    }
    if (status != SURVKIT_OK) sk_cox_eval_free(ev);
    return status;
}

bool sk_cox_event_order(const sk_cox_layout *lay, const double *status, bool reverse_ties,
                        size_t *out, size_t *n_events)
{
    /* An event row sits in its slot kin (its time, in its stratum), and a stratum's slots run from
     * its largest time down to its sentinel: the events counted per slot and placed slot by slot
     * in that order reversed, rows ascending (descending for reverse_ties) within a slot, are in
     * R's order. A counting sort: no comparison of times. */
    const size_t n = lay->n, ns = lay->n_slots;
    size_t *place = sk_calloc_array(ns + 1, sizeof(size_t));
    if (place == NULL) return false;
    for (size_t i = 0; i < n; i++)
        if (status[i] == 1) place[lay->kin[i]]++;
    size_t at = 0;
    for (size_t s = 0; s < lay->n_strata; s++)
        for (size_t k = lay->stratum_first_slot[s + 1]; k-- > lay->stratum_first_slot[s];) {
            const size_t count = place[k];
            place[k] = at;
            at += count;
        }
    *n_events = at;
    for (size_t q = 0; q < n; q++) {
        const size_t i = reverse_ties ? n - 1 - q : q;
        if (status[i] == 1) out[place[lay->kin[i]]++] = i;
    }
    free(place);
    return true;
}
