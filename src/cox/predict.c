/*
 * predict.c: predictions of a Cox model for new rows, from the model alone (no refit, no data):
 * R's predict.coxph (lp, risk, expected) and survfit.coxph(fit, newdata) read at given times.
 *
 * Linear predictor (predict.coxph): (x - c) b + offset - mean(offset of the fit), where c is the
 * row's stratum's weighted covariate means (reference = "strata", R's default for a stratified
 * model), the model's means (reference = "sample"; R's default otherwise) or 0 ("zero"); its
 * standard error sqrt((x - c)' V (x - c)); risk = exp(lp).
 *
 * Survival (survfit.coxph, agsurv): with the baseline table of baseline.c (hazard increments on
 * the scale of xcenter = sum(means b) + weighted mean offset) and r = exp(x'b + offset - xcenter),
 * at time t (the last table time <= t of the row's stratum):
 *     Lambda(t) = sum of hazard increments,  S = exp(-r Lambda),
 *     var       = r^2 [ sum of varhaz increments + d' V d ],   d = Lambda x - sum of xbar,
 *     std.err   = sqrt(var) (of the cumulative hazard), limits S exp(-/+ z std.err), upper <= 1.
 * Expected events (predict type = "expected" with newdata): Lambda(time) (minus Lambda(start) for
 * counting-process rows) times exp((x - means) b) + offset -- R adds the offset outside exp() --
 * on the scale of R's linear predictors (the fit's offset centred on its plain mean).
 *
 * Missing values (R's default na.action = na.pass for newdata): a row with a missing covariate,
 * stratum or offset gets NA for lp, se, risk and expected, and no survival (survfit.coxph leaves
 * the row out: NA here); a missing time gives NA for expected alone. One deviation: for a row
 * whose stratum is missing, R 3.5-3's predict(type = "expected") gives 0, survkit NA.
 */
#include "cox/diag_internal.h"
#include "cox/penal_internal.h"
#include "formula/formula_internal.h"
#include "core/quad_form.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct survkit_prediction_s {
    size_t n, n_times;
    size_t *row_index;
    int32_t *stratum;
    double *lp, *lp_se, *risk, *expected;
    double *times, *surv, *std_err, *lower, *upper;
};

void survkit_prediction_free(survkit_prediction *pr)
{
    if (pr == NULL) return;
    free(pr->row_index), free(pr->stratum), free(pr->lp), free(pr->lp_se), free(pr->risk);
    free(pr->expected), free(pr->times), free(pr->surv), free(pr->std_err), free(pr->lower);
    free(pr->upper);
    free(pr);
}

/* The row of the baseline table of stratum s at time t (the last time <= t), or SIZE_MAX. */
static size_t table_row(const sk_baseline *b, size_t s, double t)
{
    size_t lo = b->first[s], hi = b->first[s + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->time[mid] <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo == b->first[s] ? SIZE_MAX : lo - 1;
}

/* Running sums of v within each stratum of the table. */
static void running_sums(const sk_baseline *b, const double *v, double *out)
{
    for (size_t s = 0; s < b->n_strata; s++) {
        double sum = 0;
        for (size_t k = b->first[s]; k < b->first[s + 1]; k++) out[k] = sum += v[k];
    }
}

/* Is new row i missing a covariate, its stratum (-1) or its offset? */
static bool row_missing(const survkit_cox_newdata *nd, size_t p, size_t i)
{
    if ((nd->strata && nd->strata[i] < 0) || (nd->offset && isnan(nd->offset[i]))) return true;
    for (size_t j = 0; j < p; j++)
        if (isnan(nd->x[i + j * nd->n])) return true;
    return false;
}

/* A running sum at table row r, 0 before the first time (r = SIZE_MAX). */
static double at_row(const double *cum, size_t r) { return r == SIZE_MAX ? 0.0 : cum[r]; }

survkit_status survkit_cox_predict(const survkit_cox_model *m, const survkit_cox_newdata *nd,
                                   survkit_reference reference, const double *times,
                                   size_t n_times, double conf_level, survkit_prediction **out,
                                   survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the prediction");
    *out = NULL;
    RETURN_ERROR_IF(m == NULL || nd == NULL, err, SURVKIT_ERR_ARGUMENT, "a model and rows are needed");
    RETURN_ERROR_IF(m->p > 0 && nd->n > 0 && nd->x == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the new rows have no covariates");
    RETURN_ERROR_IF(m->has_strata && nd->n > 0 && nd->strata == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the model has strata: each new row needs its stratum");
    RETURN_ERROR_IF(n_times > 0 && times == NULL, err, SURVKIT_ERR_ARGUMENT, "times missing");
    RETURN_ERROR_IF(n_times > 0 && !(conf_level > 0 && conf_level < 1), err, SURVKIT_ERR_ARGUMENT,
                    "the confidence level must lie strictly between 0 and 1");
    RETURN_ERROR_IF((unsigned)reference > SURVKIT_REFERENCE_ZERO, err, SURVKIT_ERR_ARGUMENT,
                    "unknown reference");
    /* survival at times and expected events read the baseline hazard; lp and risk do not */
    if (n_times > 0 || (nd->n > 0 && nd->time != NULL))
        RETURN_IF_ERROR(
            sk_cox_model_baseline_check(m, "predict with times or expected events", err));
    /* A frailty model (R's predict.coxph.penal): new rows get no frailty; R's survfit.coxph
     * stops for them, and predict.coxph's reference = "strata" multiplies a design matrix that
     * still has the frailty column ("non-conformable arguments"). */
    /* A dense frailty: R's survfit.coxph(newdata) multiplies new rows without the group
     * columns by the coefficients; with strata, predict.coxph's expected builds its matrix one
     * group column short. R's messages. */
    RETURN_ERROR_IF(m->pen.dense && n_times > 0, err, SURVKIT_ERR_ARGUMENT,
                    "%s is a dense frailty: R's survfit.coxph(fit, newdata) fails there "
                    "(\"non-conformable arguments\" in x2 %%*%% beta): no survival curves for new "
                    "rows", m->pen.frail_term);
    RETURN_ERROR_IF(m->pen.dense && m->has_strata && nd->time != NULL, err, SURVKIT_ERR_ARGUMENT,
                    "%s is a dense frailty with strata: R's predict.coxph(type = \"expected\") "
                    "fails there (\"dims do not match the length of object\"); leave the response "
                    "columns out of the new data for lp and risk", m->pen.frail_term);
    RETURN_ERROR_IF(m->pen.n_frail > 0 && n_times > 0, err, SURVKIT_ERR_ARGUMENT,
                    "%s: Newdata cannot be used when a model has frailty terms (R's survfit.coxph): "
                    "no survival curves for new rows", m->pen.frail_term);
    RETURN_ERROR_IF(m->pen.n_frail > 0 && m->has_strata && reference == SURVKIT_REFERENCE_STRATA,
                    err, SURVKIT_ERR_ARGUMENT,
                    "%s: R's predict.coxph fails for a frailty model with strata and reference "
                    "\"strata\" (non-conformable arguments); use reference sample or zero",
                    m->pen.frail_term);
    const size_t n = nd->n, p = m->p, nt = n_times, ns = m->n_strata;
    for (size_t i = 0; i < n; i++) {
        RETURN_ERROR_IF(nd->strata && (nd->strata[i] < -1 || nd->strata[i] >= (int64_t)ns), err,
                        SURVKIT_ERR_ARGUMENT, "new row %zu: stratum out of range", i + 1);
        for (size_t j = 0; j < p; j++)
            RETURN_ERROR_IF(isinf(nd->x[i + j * n]), err, SURVKIT_ERR_DOMAIN,
                            "new row %zu: an infinite covariate", i + 1);
    }
    for (size_t k = 0; k < nt; k++)
        RETURN_ERROR_IF(isnan(times[k]), err, SURVKIT_ERR_ARGUMENT, "a time is missing");
    survkit_prediction *pr = calloc(1, sizeof *pr);
    RETURN_ERROR_IF(pr == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (prediction)");
    pr->n = n;
    pr->n_times = nt;
    pr->row_index = sk_malloc_array(n, sizeof(size_t));
    pr->stratum = sk_calloc_array(n, sizeof(int32_t));
    pr->lp = sk_malloc_array(n, sizeof(double));
    pr->lp_se = sk_malloc_array(n, sizeof(double));
    pr->risk = sk_malloc_array(n, sizeof(double));
    pr->times = sk_malloc_array(nt, sizeof(double));
    pr->surv = sk_malloc_array(n * nt, sizeof(double));
    pr->std_err = sk_malloc_array(n * nt, sizeof(double));
    pr->lower = sk_malloc_array(n * nt, sizeof(double));
    pr->upper = sk_malloc_array(n * nt, sizeof(double));
    if (nd->time) pr->expected = sk_malloc_array(n, sizeof(double));
    double *xv = sk_malloc_array(2 * p + 1, sizeof(double));
    double *cum_h = sk_malloc_array(2 * m->base.n_rows + 1, sizeof(double));
    if (!pr->row_index || !pr->stratum || !pr->lp || !pr->lp_se || !pr->risk || !pr->times ||
        !pr->surv || !pr->std_err || !pr->lower || !pr->upper || (nd->time && !pr->expected) || !xv || !cum_h) {
        free(xv), free(cum_h);
        survkit_prediction_free(pr);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (prediction)");
    }
    if (nt) memcpy(pr->times, times, nt * sizeof(double));
    const double z = sk_cox_normal_quantile(1 - (1 - (nt ? conf_level : 0.95)) / 2);
    const sk_baseline *b = &m->base;
    double xcenter = m->offset_wmean, msum = 0;
    for (size_t j = 0; j < p; j++) msum += m->means[j] * sk_coef0(m->coef[j]);
    xcenter += msum;
    double *d = xv + p, *cum_v = cum_h + b->n_rows;
    running_sums(b, b->hazard, cum_h);
    running_sums(b, b->varhaz, cum_v);

    for (size_t i = 0; i < n; i++) {
        pr->row_index[i] = i;
        if (row_missing(nd, p, i)) { /* R's na.pass: NA for every output of the row */
            pr->stratum[i] = -1;
            pr->lp[i] = pr->lp_se[i] = pr->risk[i] = NAN;
            if (pr->expected) pr->expected[i] = NAN;
            for (size_t k = 0; k < nt; k++)
                pr->surv[i + k * n] = pr->std_err[i + k * n] = pr->lower[i + k * n] =
                    pr->upper[i + k * n] = NAN;
            continue;
        }
        const size_t s = nd->strata ? (size_t)nd->strata[i] : 0;
        const double ofs = nd->offset ? nd->offset[i] : 0.0;
        pr->stratum[i] = (int32_t)s;
        /* predict.coxph: lp, its se, risk */
        double lp = 0, eta_raw = 0;
        for (size_t j = 0; j < p; j++) {
            double x = nd->x[i + j * n];
            double c = reference == SURVKIT_REFERENCE_ZERO ? 0.0
                       : reference == SURVKIT_REFERENCE_STRATA && m->has_strata
                           ? m->strata_means[s + j * ns] : m->means[j];
            xv[j] = x - c;
            lp += xv[j] * sk_coef0(m->coef[j]);
            eta_raw += x * sk_coef0(m->coef[j]);
        }
        const double se2 = sk_quad_form(m->var, xv, p);
        pr->lp[i] = lp + ofs - m->offset_mean;
        pr->lp_se[i] = sqrt(se2);
        pr->risk[i] = exp(pr->lp[i]);

        /* survfit.coxph(newdata) at the times */
        double r2 = exp(eta_raw + ofs - xcenter);
        for (size_t k = 0; k < nt; k++) {
            size_t row = table_row(b, s, times[k]);
            double lam = at_row(cum_h, row), vh = at_row(cum_v, row);
            for (size_t j = 0; j < p; j++)
                d[j] = lam * nd->x[i + j * n] - (row == SIZE_MAX ? 0.0 : b->xbar[row + j * b->n_rows]);
            const double quad = sk_quad_form(m->var, d, p);
            double surv = exp(-lam * r2), se = sqrt((vh + quad) * r2 * r2);
            size_t at = i + k * n;
            pr->surv[at] = surv;
            pr->std_err[at] = se;
            pr->lower[at] = surv == 0 ? NAN : exp(log(surv) - z * se);
            pr->upper[at] = surv == 0 ? NAN : fmin(exp(log(surv) + z * se), 1.0);
        }

        /* predict(type = "expected", newdata): R's scale and its offset outside exp() */
        if (pr->expected) {
            double xb = 0;
            bool na = false;
            for (size_t j = 0; j < p; j++) {
                if (isnan(m->coef[j])) na = true;
                xb += (nd->x[i + j * n] - m->means[j]) * m->coef[j];
            }
            double scale = exp(m->offset_mean - m->offset_wmean);
            double lam = at_row(cum_h, table_row(b, s, nd->time[i]));
            if (nd->start) lam -= at_row(cum_h, table_row(b, s, nd->start[i]));
            na = na || isnan(nd->time[i]) || (nd->start && isnan(nd->start[i]));
            pr->expected[i] = na ? NAN : lam * scale * (exp(xb) + ofs);
        }
    }
    free(xv), free(cum_h);
    *out = pr;
    return SURVKIT_OK;
}

/* The new rows of a table, all of them: the frame's rows where they belong, NaN covariates and
 * stratum -1 (missing) in the rows the frame dropped (R's na.pass keeps them, with NA results). */
typedef struct new_rows {
    survkit_cox_newdata nd;
    double *x, *offset, *time, *start;
    int32_t *strata;
} new_rows;

static void new_rows_free(new_rows *r)
{
    free(r->x), free(r->offset), free(r->time), free(r->start), free(r->strata);
}

/* fx: the frame's covariates in the model's p columns (a dense frailty's with its groups'). */
static survkit_status new_rows_spread(const survkit_cox_model *m, const survkit_frame *f,
                                      const double *fx, bool has_response, size_t n, new_rows *r,
                                      survkit_error *err)
{
    memset(r, 0, sizeof *r);
    const size_t p = m->p, kept = f ? survkit_frame_n(f) : 0;
    const size_t *index = f ? survkit_frame_row_index(f) : NULL;
    const double *fo = f ? survkit_frame_offset(f) : NULL;
    const double *ft = f && has_response ? survkit_frame_time(f) : NULL;
    const double *fs = f && has_response ? survkit_frame_start(f) : NULL;
    const int32_t *fst = f ? survkit_frame_strata(f) : NULL;
    r->x = sk_malloc_array(n * p + 1, sizeof(double));
    if (fo) r->offset = sk_malloc_array(n + 1, sizeof(double));
    if (ft) r->time = sk_malloc_array(n + 1, sizeof(double));
    if (fs) r->start = sk_malloc_array(n + 1, sizeof(double));
    if (m->has_strata) r->strata = sk_malloc_array(n + 1, sizeof(int32_t));
    if (!r->x || (fo && !r->offset) || (ft && !r->time) || (fs && !r->start) ||
        (m->has_strata && !r->strata)) {
        new_rows_free(r);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (prediction)");
    }
    for (size_t i = 0, q = 0; i < n; i++) {
        const bool in = q < kept && index[q] == i;
        for (size_t j = 0; j < p; j++) r->x[i + j * n] = in ? fx[q + j * kept] : NAN;
        if (r->offset) r->offset[i] = in ? fo[q] : NAN;
        if (r->time) r->time[i] = in ? ft[q] : NAN;
        if (r->start) r->start[i] = in ? fs[q] : NAN;
        if (r->strata) r->strata[i] = in && fst ? fst[q] : -1;
        q += in;
    }
    r->nd = (survkit_cox_newdata){n, r->x, r->offset, r->strata, r->time, r->start};
    return SURVKIT_OK;
}

/* A dense frailty's new rows (R's predict.coxph codes the term with fit$xlevels): each row's
 * group among the model's by its value, the group columns inserted (x_out, n x p). A value the
 * fit did not have stops R's model.frame; the same message here. */
static survkit_status dense_columns(const survkit_cox_model *m, const survkit_frame *f,
                                    double **x_out, survkit_error *err)
{
    const size_t n = survkit_frame_n(f), G = m->pen.n_frail, Gf = survkit_frame_n_frailty(f);
    const int32_t *codes = survkit_frame_frailty(f);
    int32_t *to_model = sk_malloc_array(Gf + 1, sizeof(int32_t));
    int32_t *group = sk_malloc_array(n + 1, sizeof(int32_t));
    if (to_model == NULL || group == NULL) {
        free(to_model), free(group);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (prediction)");
    }
    survkit_status status = SURVKIT_OK;
    for (size_t h = 0; h < Gf && status == SURVKIT_OK; h++) {
        const char *value = survkit_frame_frailty_label(f, h);
        to_model[h] = -1;
        for (size_t g = 0; g < G && to_model[h] < 0; g++)
            if (strcmp(value, m->pen.frail_labels[g]) == 0) to_model[h] = (int32_t)g;
        if (to_model[h] < 0)
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                                  "factor %s has new levels %s (R's predict.coxph: the groups of "
                                  "a dense frailty are the fit's)", m->pen.frail_term, value);
    }
    for (size_t i = 0; status == SURVKIT_OK && i < n; i++) {
        if (codes == NULL || codes[i] < 0 || (size_t)codes[i] >= Gf)
            status = sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                                  "new row %zu: no %s group", i + 1, m->pen.frail_term);
        else group[i] = to_model[codes[i]];
    }
    if (status == SURVKIT_OK)
        status = sk_frailty_dense_columns(survkit_frame_x(f), n, survkit_frame_p(f), group, G,
                                          m->pen.dense_col, x_out, err);
    free(to_model), free(group);
    return status;
}

survkit_status survkit_cox_predict_table(const survkit_cox_model *m, const survkit_table *newdata,
                                         survkit_reference reference, const double *times,
                                         size_t n_times, double conf_level,
                                         survkit_prediction **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the prediction");
    *out = NULL;
    RETURN_ERROR_IF(m == NULL || newdata == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a model and new data are needed");
    RETURN_ERROR_IF(m->formula == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "the model was made from arrays: it has no formula to code new data with");
    sk_variable_spec *specs = sk_model_variables_specs(m->variables, m->n_variables);
    RETURN_ERROR_IF(specs == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (prediction)");
    survkit_frame *f = NULL;
    bool has_response = false;
    /* a dense frailty's new rows need their groups (R's xlevels code them) */
    survkit_status status = (m->pen.dense ? sk_frame_build_like_frailty : sk_frame_build_like)(
        m->formula, specs, m->n_variables, (const char *const *)m->strata_labels,
        m->has_strata ? m->n_strata : 0, newdata, &f, &has_response, err);
    free(specs);
    if (status == SURVKIT_ERR_NO_DATA) { /* every row misses a value: all NA, as R's na.pass */
        survkit_error_clear(err);
        status = SURVKIT_OK;
    }
    if (status != SURVKIT_OK) return status;
    const size_t groups = m->pen.dense ? m->pen.n_frail : 0;
    if (f != NULL && survkit_frame_p(f) + groups != m->p) {
        survkit_frame_free(f);
        return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, 0, 0,
                            "the new data give %zu covariate columns, the model has %zu",
                            survkit_frame_p(f), m->p - groups);
    }
    double *x_dense = NULL;
    if (f != NULL && groups > 0) status = dense_columns(m, f, &x_dense, err);
    const double *fx = x_dense ? x_dense : f ? survkit_frame_x(f) : NULL;
    new_rows rows = {0};
    if (status == SURVKIT_OK)
        status = new_rows_spread(m, f, fx, has_response, survkit_table_n_rows(newdata), &rows,
                                 err);
    if (status == SURVKIT_OK)
        status = survkit_cox_predict(m, &rows.nd, reference, times, n_times, conf_level, out, err);
    new_rows_free(&rows);
    survkit_frame_free(f);
    free(x_dense);
    return status;
}

size_t survkit_prediction_n(const survkit_prediction *pr) { return pr->n; }
const size_t *survkit_prediction_row_index(const survkit_prediction *pr) { return pr->row_index; }
const int32_t *survkit_prediction_stratum(const survkit_prediction *pr) { return pr->stratum; }
const double *survkit_prediction_lp(const survkit_prediction *pr) { return pr->lp; }
const double *survkit_prediction_lp_se(const survkit_prediction *pr) { return pr->lp_se; }
const double *survkit_prediction_risk(const survkit_prediction *pr) { return pr->risk; }
const double *survkit_prediction_expected(const survkit_prediction *pr) { return pr->expected; }
size_t survkit_prediction_n_times(const survkit_prediction *pr) { return pr->n_times; }
const double *survkit_prediction_times(const survkit_prediction *pr) { return pr->times; }
const double *survkit_prediction_surv(const survkit_prediction *pr) { return pr->surv; }
const double *survkit_prediction_std_err(const survkit_prediction *pr) { return pr->std_err; }
const double *survkit_prediction_lower(const survkit_prediction *pr) { return pr->lower; }
const double *survkit_prediction_upper(const survkit_prediction *pr) { return pr->upper; }
