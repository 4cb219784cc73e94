/*
 * cox_model.c: the survkit_cox_model object (diagnostics.h): a fit plus what prediction needs,
 * made once from the fit and its data: R's means and variances, the terms, the strata labels and
 * per-stratum weighted covariate means (predict's reference = "strata"), the offset means, the
 * factor levels of the formula's variables, and the baseline hazard (baseline.c).
 */
#include "cox/diag_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

survkit_cox_model *sk_cox_model_alloc(void) { return calloc(1, sizeof(survkit_cox_model)); }

void sk_baseline_free(sk_baseline *b)
{
    if (b == NULL) return;
    free(b->first), free(b->time), free(b->n_risk), free(b->n_event), free(b->hazard);
    free(b->varhaz), free(b->xbar);
    memset(b, 0, sizeof *b);
}

void survkit_cox_model_free(survkit_cox_model *m)
{
    if (m == NULL) return;
    free(m->formula), free(m->weights_name);
    sk_free_strings(m->names, m->p);
    free(m->coef), free(m->var), free(m->naive_var), free(m->means);
    sk_free_strings(m->term_names, m->n_terms);
    free(m->column_term);
    sk_free_strings(m->strata_labels, m->has_strata ? m->n_strata : 0);
    free(m->strata_means);
    sk_model_variables_free(m->variables, m->n_variables);
    sk_baseline_free(&m->base);
    sk_model_penalty_free(&m->pen, m->p);
    free(m);
}

void sk_model_penalty_free(sk_model_penalty *pen, size_t p)
{
    (void)p;
    sk_free_strings(pen->frail_labels, pen->n_frail);
    free(pen->frail), free(pen->frail_term), free(pen->df), free(pen->second);
    memset(pen, 0, sizeof *pen);
}

static survkit_status nomem(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox model)");
}

static double *copy_doubles(const double *x, size_t n)
{
    double *out = sk_malloc_array(n ? n : 1, sizeof(double));
    if (out && n) memcpy(out, x, n * sizeof(double));
    return out;
}

/* A copy of a penalised fit's parts. */
static survkit_status copy_penalty(sk_model_penalty *to, const sk_model_penalty *from, size_t p,
                                   survkit_error *err)
{
    *to = (sk_model_penalty){.penalised = true, .n_frail = from->n_frail,
                             .frail_pos = from->frail_pos, .n_df = from->n_df,
                             .n_second = from->n_second, .dense = from->dense,
                             .dense_col = from->dense_col};
    to->frail_labels = sk_calloc_array(from->n_frail + 1, sizeof(char *));
    to->frail = copy_doubles(from->frail, from->n_frail);
    to->df = copy_doubles(from->df, from->n_df);
    (void)p;
    if (from->second) to->second = copy_doubles(from->second, from->n_second);
    if (from->frail_term) to->frail_term = sk_strdup(from->frail_term);
    if (!to->frail_labels || !to->frail || !to->df || (from->second && !to->second) ||
        (from->frail_term && !to->frail_term))
        return nomem(err);
    for (size_t g = 0; g < from->n_frail; g++)
        if ((to->frail_labels[g] = sk_strdup(from->frail_labels[g])) == NULL) return nomem(err);
    return SURVKIT_OK;
}

/* The source of a Cox fit. */
static void cox_source(const survkit_cox_result *fit, const char **names, sk_model_source *src)
{
    const size_t p = survkit_cox_result_p(fit);
    for (size_t j = 0; j < p; j++) names[j] = survkit_cox_result_name(fit, j);
    *src = (sk_model_source){survkit_cox_result_ties(fit), survkit_cox_result_is_counting(fit),
                             survkit_cox_result_is_robust(fit), survkit_cox_result_n(fit), p,
                             survkit_cox_result_n_events(fit), names,
                             survkit_cox_result_coef(fit), survkit_cox_result_vcov(fit),
                             survkit_cox_result_is_robust(fit) ? survkit_cox_result_naive_vcov(fit)
                                                               : NULL,
                             survkit_cox_result_means(fit), NULL};
}

/* Everything but the formula's variables; the baseline hazard only with `baseline`. */
static survkit_status fill(survkit_cox_model *m, const sk_model_source *fit,
                           const survkit_cox_data *d, const survkit_cox_terms *terms,
                           const char *const *strata_labels, bool baseline, survkit_error *err)
{
    const size_t p = fit->p, n = d->n;
    RETURN_ERROR_IF(d->p != p || fit->n != n, err, SURVKIT_ERR_ARGUMENT,
                    "the data are not the ones the model was fitted on");
    RETURN_ERROR_IF(terms && terms->column_term == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "terms without column_term");
    for (size_t j = 0; terms && j < p; j++)
        RETURN_ERROR_IF(terms->column_term[j] >= terms->n_terms, err, SURVKIT_ERR_ARGUMENT,
                        "column %zu: term index out of range", j + 1);
    m->ties = fit->ties;
    m->counting = fit->counting;
    m->robust = fit->robust;
    m->n = n;
    m->n_events = fit->n_events;
    m->p = p;
    m->names = sk_calloc_array(p + 1, sizeof(char *));
    m->coef = copy_doubles(fit->coef, p);
    m->var = copy_doubles(fit->var, p * p);
    m->means = copy_doubles(fit->means, p);
    if (m->robust) m->naive_var = copy_doubles(fit->naive_var, p * p);
    m->n_terms = terms ? terms->n_terms : p;
    m->term_names = sk_calloc_array(m->n_terms + 1, sizeof(char *));
    m->column_term = sk_malloc_array(p + 1, sizeof(size_t));
    if (!m->names || !m->coef || !m->var || !m->means || (m->robust && !m->naive_var) ||
        !m->term_names || !m->column_term)
        return nomem(err);
    for (size_t j = 0; j < p; j++) {
        if ((m->names[j] = sk_strdup(fit->names[j])) == NULL) return nomem(err);
        m->column_term[j] = terms ? terms->column_term[j] : j;
    }
    for (size_t k = 0; k < m->n_terms; k++) {
        const char *name = terms ? terms->names[k] : m->names[k];
        if ((m->term_names[k] = sk_strdup(name ? name : "")) == NULL) return nomem(err);
    }

    /* Offsets: the plain mean (coxph's lp) and the weighted one (survfit.coxph). */
    double sumw = 0, so = 0, swo = 0;
    for (size_t i = 0; i < n; i++) {
        double w = d->weights ? d->weights[i] : 1.0;
        sumw += w;
        if (d->offset) so += d->offset[i], swo += w * d->offset[i];
    }
    m->has_offset = d->offset != NULL;
    m->offset_mean = d->offset ? so / (double)n : 0;
    m->offset_wmean = d->offset ? swo / sumw : 0;

    /* Strata and their weighted covariate means. */
    m->has_strata = d->strata != NULL;
    m->n_strata = d->strata ? d->n_strata : 1;
    m->strata_means = sk_calloc_array(m->n_strata * (p ? p : 1), sizeof(double));
    double *sw = sk_calloc_array(m->n_strata, sizeof(double));
    if (!m->strata_means || !sw) {
        free(sw);
        return nomem(err);
    }
    /* A column at a time (X is column-major); each sum still runs over the rows in order. */
    for (size_t i = 0; i < n; i++)
        sw[d->strata ? (size_t)d->strata[i] : 0] += d->weights ? d->weights[i] : 1.0;
    for (size_t j = 0; j < p; j++) {
        double *sums = m->strata_means + j * m->n_strata;
        const double *x = d->x + j * n;
        for (size_t i = 0; i < n; i++)
            sums[d->strata ? (size_t)d->strata[i] : 0] += (d->weights ? d->weights[i] : 1.0) * x[i];
    }
    for (size_t s = 0; s < m->n_strata; s++)
        for (size_t j = 0; j < p; j++)
            m->strata_means[s + j * m->n_strata] = sw[s] > 0 ? m->strata_means[s + j * m->n_strata] / sw[s] : 0;
    free(sw);
    if (m->has_strata) {
        m->strata_labels = sk_calloc_array(m->n_strata, sizeof(char *));
        if (m->strata_labels == NULL) return nomem(err);
        for (size_t s = 0; s < m->n_strata; s++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%zu", s + 1);
            const char *label = strata_labels && strata_labels[s] ? strata_labels[s] : buf;
            if ((m->strata_labels[s] = sk_strdup(label)) == NULL) return nomem(err);
        }
    }
    if (fit->pen != NULL) RETURN_IF_ERROR(copy_penalty(&m->pen, fit->pen, p, err));
    m->has_baseline = baseline;
    return baseline ? sk_baseline_compute(m, d, err) : SURVKIT_OK;
}

survkit_status survkit_cox_model_create(const survkit_cox_result *fit, const survkit_cox_data *data,
                                        const survkit_cox_terms *terms, survkit_cox_model **out,
                                        survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the model");
    *out = NULL;
    RETURN_ERROR_IF(fit == NULL || data == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a fit and its data are required");
    const char **names = sk_calloc_array(survkit_cox_result_p(fit) + 1, sizeof(char *));
    survkit_cox_model *m = sk_cox_model_alloc();
    if (m == NULL || names == NULL) {
        free(names), free(m);
        return nomem(err);
    }
    sk_model_source src;
    cox_source(fit, names, &src);
    survkit_status status = fill(m, &src, data, terms, NULL, true, err);
    free(names);
    if (status != SURVKIT_OK) {
        survkit_cox_model_free(m);
        return status;
    }
    *out = m;
    return SURVKIT_OK;
}

survkit_status survkit_cox_model_create_frame(const survkit_cox_result *fit,
                                              const survkit_frame *frame, const char *weights_name,
                                              survkit_cox_model **out, survkit_error *err)
{
    return survkit_cox_model_create_frame_parts(fit, frame, weights_name, SURVKIT_MODEL_WHOLE, out,
                                                err);
}

survkit_status sk_cox_model_parts_check(survkit_cox_model_parts parts, survkit_error *err)
{
    RETURN_ERROR_IF(parts != SURVKIT_MODEL_WHOLE && parts != SURVKIT_MODEL_NO_BASELINE, err,
                    SURVKIT_ERR_ARGUMENT, "unknown model parts (%d)", (int)parts);
    return SURVKIT_OK;
}

survkit_status sk_cox_model_baseline_check(const survkit_cox_model *m, const char *what,
                                           survkit_error *err)
{
    RETURN_ERROR_IF(!m->has_baseline, err, SURVKIT_ERR_ARGUMENT,
                    "%s needs the model's baseline hazard, and this model was made without it "
                    "(SURVKIT_MODEL_NO_BASELINE)", what);
    return SURVKIT_OK;
}

survkit_status survkit_cox_model_create_frame_parts(const survkit_cox_result *fit,
                                                    const survkit_frame *frame,
                                                    const char *weights_name,
                                                    survkit_cox_model_parts parts,
                                                    survkit_cox_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL, err, SURVKIT_ERR_ARGUMENT, "no place for the model");
    *out = NULL;
    RETURN_IF_ERROR(sk_cox_model_parts_check(parts, err));
    RETURN_ERROR_IF(fit == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "a fit and its frame are required");
    const char **names = sk_calloc_array(survkit_cox_result_p(fit) + 1, sizeof(char *));
    RETURN_ERROR_IF(names == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (Cox model)");
    sk_model_source src;
    cox_source(fit, names, &src);
    survkit_status status = sk_cox_model_from_frame(&src, frame, weights_name, parts, out, err);
    free(names);
    return status;
}

survkit_status sk_cox_model_from_frame(const sk_model_source *fit, const survkit_frame *frame,
                                       const char *weights_name, survkit_cox_model_parts parts,
                                       survkit_cox_model **out, survkit_error *err)
{
    *out = NULL;
    /* A dense frailty's model has the group columns among its p (penal_model.c): the frailty
     * term takes its place among the terms, its columns follow the covariates before it. */
    const bool dense = fit->pen != NULL && fit->pen->dense;
    const size_t pf = survkit_frame_p(frame), p = fit->p;
    const size_t n_terms = survkit_frame_n_terms(frame) + dense;
    const size_t n_strata = survkit_frame_n_strata(frame);
    const size_t pos = dense ? fit->pen->frail_pos : SIZE_MAX;
    size_t *column_term = sk_malloc_array(p + 1, sizeof(size_t));
    const char **term_names = sk_calloc_array(n_terms + 1, sizeof(char *));
    const char **strata_labels = sk_calloc_array(n_strata + 1, sizeof(char *));
    survkit_cox_model *m = sk_cox_model_alloc();
    double *x_dense = NULL;
    survkit_status status = SURVKIT_OK;
    if (!column_term || !term_names || !strata_labels || !m) {
        status = nomem(err);
        goto done;
    }
    for (size_t j = 0; j < pf; j++) {
        const size_t t = survkit_frame_column_term(frame, j);
        column_term[j < (dense ? fit->pen->dense_col : SIZE_MAX) ? j : j + p - pf] =
            t < pos ? t : t + 1;
    }
    for (size_t g = 0; dense && g < p - pf; g++) column_term[fit->pen->dense_col + g] = pos;
    for (size_t k = 0; k < n_terms; k++)
        term_names[k] = k == pos ? fit->pen->frail_term
                                 : survkit_frame_term_label(frame, k < pos ? k : k - 1);
    for (size_t s = 0; s < n_strata; s++) strata_labels[s] = survkit_frame_strata_label(frame, s);
    survkit_cox_terms terms = {n_terms, column_term, term_names};
    survkit_cox_data d, frame_data;
    survkit_cox_data_from_frame(frame, &frame_data);
    if (dense) status = sk_cox_data_dense(fit->pen, p, &frame_data, &d, &x_dense, err);
    else d = frame_data;
    if (status == SURVKIT_OK)
        status = fill(m, fit, &d, &terms, strata_labels, parts == SURVKIT_MODEL_WHOLE, err);
    if (status != SURVKIT_OK) goto done;
    m->formula = sk_strdup(sk_frame_model_formula(frame));
    m->timefix = survkit_frame_timefix(frame) != 0;
    m->collate = sk_frame_collate(frame);
    if (weights_name && (m->weights_name = sk_strdup(weights_name)) == NULL) status = nomem(err);
    if (m->formula == NULL) status = nomem(err);
    if (status == SURVKIT_OK)
        status = sk_model_variables_capture(frame, &m->variables, &m->n_variables, err);
done:
    free(column_term), free(term_names), free(strata_labels), free(x_dense);
    if (status != SURVKIT_OK) {
        survkit_cox_model_free(m);
        return status;
    }
    *out = m;
    return SURVKIT_OK;
}

const char *survkit_cox_model_formula(const survkit_cox_model *m) { return m->formula; }
const char *survkit_cox_model_weights_name(const survkit_cox_model *m) { return m->weights_name; }
int survkit_cox_model_timefix(const survkit_cox_model *m) { return m != NULL && m->timefix; }
survkit_collate survkit_cox_model_collate(const survkit_cox_model *m)
{
    return m != NULL ? m->collate : SURVKIT_COLLATE_UTF8;
}
survkit_cox_ties survkit_cox_model_ties(const survkit_cox_model *m) { return m->ties; }
size_t survkit_cox_model_p(const survkit_cox_model *m) { return m->p; }
const char *survkit_cox_model_name(const survkit_cox_model *m, size_t j)
{
    return j < m->p ? m->names[j] : NULL;
}
const double *survkit_cox_model_coef(const survkit_cox_model *m) { return m->coef; }
const double *survkit_cox_model_means(const survkit_cox_model *m) { return m->means; }
size_t survkit_cox_model_n_strata(const survkit_cox_model *m) { return m->n_strata; }
bool survkit_cox_model_has_strata(const survkit_cox_model *m) { return m->has_strata; }
bool survkit_cox_model_has_baseline(const survkit_cox_model *m) { return m->has_baseline; }
const char *survkit_cox_model_strata_label(const survkit_cox_model *m, size_t k)
{
    return m->has_strata && k < m->n_strata ? m->strata_labels[k] : NULL;
}
