/*
 * residuals.c: R's residuals.coxph for Breslow and Efron fits (and, for exact fits, the
 * martingale and deviance residuals R keeps from coxexact.fit/agexact.fit: Breslow's, computed
 * by coxmart2/agmart with unit weights), from the model's coefficients (never refitting), in
 * design.md's notation with the per-slot sums of efron.c (sk_cox_hazard):
 * s_i = exp(eta_i), A_i the sum of a_k over the slots where row i is at risk, k(i) its event slot.
 *
 *   martingale   M_i = delta_i - s_i (A_i - delta_i b_k(i))       (R's coxmart/agmart: Efron's
 *                tied events take the partial hazard; unweighted)
 *   deviance     sign(M) sqrt(-2 (M + delta log(delta - M)))      (after collapsing M and delta)
 *   score        L_i of robust.c (coxscore2/agscore2), unweighted
 *   dfbeta       diag(v) L V,   dfbetas  diag(v) L V diag(V)^-1/2  (V the naive variance)
 *   schoenfeld   x_i - mbar_k(i) for each event, in R's order (stratum, time, row); mbar the mean
 *                of the Efron means; unweighted
 *   scaledsch    schoenfeld V * (number of events) + b
 *
 * collapse sums the rows within groups (R's rowsum), before the deviance transform.
 */
#include "cox/diag_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct survkit_residuals_s {
    size_t rows, cols;
    double *values;
    size_t *row_id;
    double *time;
};

static const char *const type_names[] = {"martingale", "deviance", "score", "schoenfeld",
                                         "scaledsch", "dfbeta", "dfbetas"};

const char *survkit_residual_type_name(survkit_residual_type t)
{
    return (unsigned)t < sizeof type_names / sizeof type_names[0] ? type_names[t] : "martingale";
}

survkit_status survkit_residual_type_parse(const char *name, survkit_residual_type *out,
                                           survkit_error *err)
{
    for (size_t k = 0; name && k < sizeof type_names / sizeof type_names[0]; k++)
        if (strcmp(name, type_names[k]) == 0) {
            *out = (survkit_residual_type)k;
            return SURVKIT_OK;
        }
    return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                        "unknown residual type '%s': use martingale, deviance, score, schoenfeld, "
                        "scaledsch, dfbeta or dfbetas", name ? name : "");
}

void survkit_residuals_free(survkit_residuals *r)
{
    if (r == NULL) return;
    free(r->values), free(r->row_id), free(r->time);
    free(r);
}

static survkit_status nomem(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (residuals)");
}

/* Martingale residuals (n). */
static survkit_status martingale(const sk_cox_eval *ev, const double *status, double *out,
                                 survkit_error *err)
{
    const sk_cox_layout *lay = &ev->lay;
    sk_cox_hazard hz;
    RETURN_IF_ERROR(sk_cox_hazard_compute(&ev->pb, ev->work, ev->eta, &hz, err));
    double *q = sk_malloc_array(lay->n_slots, sizeof(double));
    if (q == NULL) {
        sk_cox_hazard_free(&hz);
        return nomem(err);
    }
    sk_cox_suffix_sums(lay, hz.a, q);
    for (size_t i = 0; i < ev->n; i++) {
        size_t kin = lay->kin[i], kout = lay->kout[i];
        double expected = 0;
        if (kin < kout) {
            double a = q[kin] - q[kout];
            if (status[i] == 1) a -= hz.b[kin];
            expected = hz.risk[i] * a;
        }
        out[i] = status[i] - expected;
    }
    free(q);
    sk_cox_hazard_free(&hz);
    return SURVKIT_OK;
}

/* Schoenfeld residuals, one row per event in R's order. */
static survkit_status schoenfeld(const sk_cox_eval *ev, const survkit_cox_data *d,
                                 survkit_residuals *r, survkit_error *err)
{
    const size_t n = ev->n, p = ev->p, ns = ev->lay.n_slots;
    size_t *order = sk_malloc_array(n, sizeof(size_t));
    if (order == NULL) return nomem(err);
    size_t ne = 0;
    if (!sk_cox_event_order(&ev->lay, d->status, false, order, &ne)) {
        free(order);
        return nomem(err);
    }
    sk_cox_hazard hz;
    survkit_status status = sk_cox_hazard_compute(&ev->pb, ev->work, ev->eta, &hz, err);
    if (status != SURVKIT_OK) {
        free(order);
        return status;
    }
    r->rows = ne;
    r->cols = p;
    r->values = sk_malloc_array(ne * p + 1, sizeof(double));
    r->row_id = sk_malloc_array(ne + 1, sizeof(size_t));
    r->time = sk_malloc_array(ne + 1, sizeof(double));
    if (!r->values || !r->row_id || !r->time) status = nomem(err);
    for (size_t e = 0; status == SURVKIT_OK && e < ne; e++) {
        size_t i = order[e], k = ev->lay.kin[i];
        r->row_id[e] = i;
        r->time[e] = d->time[i];
        for (size_t j = 0; j < p; j++)
            r->values[e + j * ne] = (ev->pb.x[i + j * n] - ev->cmean[j]) - hz.mbar[k + j * ns];
    }
    sk_cox_hazard_free(&hz);
    free(order);
    return status;
}

/* Sum rows within groups: in (rows x cols) into out (n_groups x cols). */
static void rowsum(const double *in, size_t rows, size_t cols, const int32_t *group,
                   size_t n_groups, double *out)
{
    memset(out, 0, n_groups * cols * sizeof(double));
    for (size_t j = 0; j < cols; j++)
        for (size_t i = 0; i < rows; i++) out[(size_t)group[i] + j * n_groups] += in[i + j * rows];
}

static double deviance(double m, double status)
{
    double inner = m + (status == 0 ? 0.0 : status * log(status - m));
    double sign = m > 0 ? 1.0 : m < 0 ? -1.0 : 0.0;
    return sign * sqrt(-2 * inner);
}

static survkit_status residuals_of(const survkit_cox_model *m, const survkit_cox_data *d,
                                   survkit_residual_type type, const int32_t *collapse,
                                   size_t n_groups, survkit_residuals **out, survkit_error *err)
{
    RETURN_IF_ERROR(sk_cox_model_check_data(m, d, err));
    RETURN_ERROR_IF((unsigned)type > SURVKIT_RESID_DFBETAS, err, SURVKIT_ERR_ARGUMENT,
                    "unknown residual type");
    const bool per_row = type == SURVKIT_RESID_MARTINGALE || type == SURVKIT_RESID_DEVIANCE;
    /* residuals.coxph: exact fits keep their (Breslow) martingale residuals; the rest need a
     * score or Schoenfeld computation R has only for Breslow and Efron. R's message. */
    RETURN_ERROR_IF(m->ties == SURVKIT_COX_EXACT && !per_row, err, SURVKIT_ERR_ARGUMENT,
                    "%s residuals are not available for the exact method",
                    survkit_residual_type_name(type));
    const bool schoen = type == SURVKIT_RESID_SCHOENFELD || type == SURVKIT_RESID_SCALEDSCH;
    RETURN_ERROR_IF(schoen && collapse != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "Schoenfeld residuals (one per event) cannot be collapsed");
    for (size_t i = 0; collapse && i < d->n; i++)
        RETURN_ERROR_IF(collapse[i] < 0 || (size_t)collapse[i] >= n_groups, err,
                        SURVKIT_ERR_ARGUMENT, "row %zu: collapse group out of range", i + 1);
    RETURN_ERROR_IF(!per_row && m->p == 0, err, SURVKIT_ERR_ARGUMENT,
                    "%s residuals need covariates", survkit_residual_type_name(type));
    /* A dense frailty with strata: R's residuals.coxph rebuilds X without the group columns'
     * contrasts dropped (one column fewer than coef) and stops. R's message. */
    RETURN_ERROR_IF(!per_row && m->pen.dense && m->has_strata, err, SURVKIT_ERR_ARGUMENT,
                    "%s residuals of a dense frailty (%s) with strata: R's residuals.coxph fails "
                    "there (\"length of 'dimnames' [2] not equal to array extent\": its model "
                    "matrix has one group column fewer than the coefficients)",
                    survkit_residual_type_name(type), m->pen.frail_term);
    /* R's penalised fit of right-censored data with strata (coxfit5) returns martingale
     * residuals whose cumulative hazard runs on from the later strata into the earlier ones
     * (each row of the first stratum of reunification ~ strata(sex) + frailty(la) gets the other
     * stratum's whole hazard added): not the model's residuals, and not copied. */
    RETURN_ERROR_IF(per_row && m->pen.penalised && m->has_strata && !m->counting, err,
                    SURVKIT_ERR_ARGUMENT,
                    "%s residuals of a penalised model with strata on right-censored data are not "
                    "supported: R's coxph.penal carries the cumulative hazard over from one "
                    "stratum into the next there (coxfit5), which survkit does not copy",
                    survkit_residual_type_name(type));

    const size_t n = d->n, p = d->p;
    const double *vv = m->naive_var ? m->naive_var : m->var;
    survkit_residuals *r = calloc(1, sizeof *r);
    RETURN_ERROR_IF(r == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (residuals)");
    sk_cox_eval ev;
    survkit_status status = sk_cox_eval_build(m, d, false, &ev, err);
    if (status != SURVKIT_OK) {
        free(r);
        return status;
    }
    double *raw = NULL, *tmp = NULL;

    if (schoen) {
        status = schoenfeld(&ev, d, r, err);
        if (status == SURVKIT_OK && type == SURVKIT_RESID_SCALEDSCH && r->rows > 0) {
            const size_t ne = r->rows;
            double events = 0;
            for (size_t i = 0; i < n; i++) events += d->status[i];
            if ((tmp = sk_malloc_array(ne * p, sizeof(double))) == NULL) status = nomem(err);
            else {
                cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)ne, (int)p, (int)p,
                            events, r->values, (int)ne, vv, (int)p, 0.0, tmp, (int)ne);
                for (size_t j = 0; j < p; j++)
                    for (size_t e = 0; e < ne; e++)
                        r->values[e + j * ne] = tmp[e + j * ne] + sk_coef0(m->coef[j]);
            }
        }
        goto done;
    }

    /* Per-observation residuals (n x cols), then collapsed. */
    const size_t cols = per_row ? 1 : p;
    raw = sk_malloc_array(n * cols, sizeof(double));
    tmp = sk_malloc_array(n * cols + (per_row ? n : 0), sizeof(double));
    if (raw == NULL || tmp == NULL) {
        status = nomem(err);
        goto done;
    }
    if (per_row) {
        status = martingale(&ev, d->status, raw, err);
    } else {
        status = sk_cox_score_residuals(&ev.pb, ev.work, ev.eta, false, raw, err);
        if (status == SURVKIT_OK && type != SURVKIT_RESID_SCORE) {
            cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)p, (int)p, 1.0, raw,
                        (int)n, vv, (int)p, 0.0, tmp, (int)n);
            for (size_t j = 0; j < p; j++) {
                double scale = type == SURVKIT_RESID_DFBETAS ? 1 / sqrt(vv[j + j * p]) : 1.0;
                for (size_t i = 0; i < n; i++) raw[i + j * n] = tmp[i + j * n] * scale * ev.weights[i];
            }
        }
    }
    if (status != SURVKIT_OK) goto done;
    r->cols = cols;
    r->rows = collapse ? n_groups : n;
    r->values = sk_malloc_array(r->rows * cols + 1, sizeof(double));
    r->row_id = sk_malloc_array(r->rows + 1, sizeof(size_t));
    if (!r->values || !r->row_id) {
        status = nomem(err);
        goto done;
    }
    for (size_t i = 0; i < r->rows; i++) r->row_id[i] = i;
    double *st = tmp + n * cols; /* deviance: the status, collapsed like the residuals */
    if (collapse) {
        rowsum(raw, n, cols, collapse, n_groups, r->values);
        if (type == SURVKIT_RESID_DEVIANCE) {
            rowsum(d->status, n, 1, collapse, n_groups, tmp);
            st = tmp;
        }
    } else {
        memcpy(r->values, raw, n * cols * sizeof(double));
        if (type == SURVKIT_RESID_DEVIANCE) memcpy(st, d->status, n * sizeof(double));
    }
    if (type == SURVKIT_RESID_DEVIANCE)
        for (size_t i = 0; i < r->rows; i++) r->values[i] = deviance(r->values[i], st[i]);

done:
    free(raw), free(tmp);
    sk_cox_eval_free(&ev);
    if (status != SURVKIT_OK) {
        survkit_residuals_free(r);
        return status;
    }
    *out = r;
    return SURVKIT_OK;
}

survkit_status survkit_cox_residuals(const survkit_cox_model *m, const survkit_cox_data *d,
                                     survkit_residual_type type, const int32_t *collapse,
                                     size_t n_groups, survkit_residuals **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the residuals");
    *out = NULL;
    RETURN_ERROR_IF(m == NULL || d == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a model and its data are required");
    /* a dense frailty's data get R's group columns */
    survkit_cox_data x_data;
    double *x_dense = NULL;
    RETURN_IF_ERROR(sk_cox_data_dense(&m->pen, m->p, d, &x_data, &x_dense, err));
    survkit_status status = residuals_of(m, &x_data, type, collapse, n_groups, out, err);
    free(x_dense);
    return status;
}

size_t survkit_residuals_rows(const survkit_residuals *r) { return r->rows; }
size_t survkit_residuals_cols(const survkit_residuals *r) { return r->cols; }
const double *survkit_residuals_values(const survkit_residuals *r) { return r->values; }
const size_t *survkit_residuals_row_id(const survkit_residuals *r) { return r->row_id; }
const double *survkit_residuals_time(const survkit_residuals *r) { return r->time; }
