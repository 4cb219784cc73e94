/*
 * glm_model.c: a binomial GLM kept for prediction on new rows (R's predict.glm): the formula, the
 * link, the coefficients (aliased ones NaN, counted as 0 as R's predict does), the covariance, and
 * each variable's kind and factor levels so that new data are coded as the model's data were
 * (sk_frame_build_like: R's model.frame with xlev). Saved as JSON, format "survkit-glm" version 1:
 *
 *   {"format": "survkit-glm", "version": 1, "formula": "...", "link": "logit",
 *    "names": [...], "coef": [...], "vcov": [[...]],
 *    "variables": [{"label": "sex", "kind": "factor", "levels": ["F", "M"]}]}
 *
 * (the variables as every saved model keeps them: formula/model_variables.h). NaN is written null.
 */
#include "glm/glm_internal.h"
#include "formula/formula_internal.h"
#include "formula/model_variables.h"
#include "io/json_read.h"
#include "core/strbuf.h"
#include "core/quad_form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct survkit_glm_model_s {
    char *formula;
    survkit_glm_link link;
    size_t p;
    char **names;
    double *coef, *vcov;
    sk_model_variable *variables;
    size_t n_variables;
};

static survkit_status nomem(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory in the glm model");
}

void survkit_glm_model_free(survkit_glm_model *m)
{
    if (m == NULL) return;
    free(m->formula);
    sk_free_strings(m->names, m->p);
    free(m->coef);
    free(m->vcov);
    sk_model_variables_free(m->variables, m->n_variables);
    free(m);
}

static survkit_status allocate(survkit_glm_model *m, size_t p, survkit_error *err)
{
    m->p = p;
    m->names = sk_calloc_array(p + 1, sizeof *m->names);
    m->coef = sk_malloc_array(p + 1, sizeof *m->coef);
    m->vcov = sk_malloc_array(p * p + 1, sizeof *m->vcov);
    return m->names && m->coef && m->vcov ? SURVKIT_OK : nomem(err);
}

survkit_status survkit_glm_model_create(const survkit_glm_result *fit, const survkit_frame *frame,
                                        survkit_glm_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || fit == NULL || frame == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_model_create: NULL argument");
    *out = NULL;
    const size_t p = survkit_glm_result_p(fit);
    RETURN_ERROR_IF(p != survkit_frame_p(frame) + 1, err, SURVKIT_ERR_ARGUMENT,
                    "the fit was not made from this frame");
    survkit_glm_model *m = calloc(1, sizeof *m);
    if (m == NULL) return nomem(err);
    survkit_status st = allocate(m, p, err);
    m->link = survkit_glm_result_link(fit);
    if (st == SURVKIT_OK && (m->formula = sk_strdup(sk_frame_model_formula(frame))) == NULL)
        st = nomem(err);
    for (size_t j = 0; st == SURVKIT_OK && j < p; j++) {
        m->coef[j] = survkit_glm_result_coef(fit)[j];
        if ((m->names[j] = sk_strdup(survkit_glm_result_name(fit, j))) == NULL) st = nomem(err);
    }
    if (st == SURVKIT_OK) memcpy(m->vcov, survkit_glm_result_vcov(fit), p * p * sizeof *m->vcov);
    if (st == SURVKIT_OK) st = sk_model_variables_capture(frame, &m->variables, &m->n_variables, err);
    if (st != SURVKIT_OK) {
        survkit_glm_model_free(m);
        return st;
    }
    *out = m;
    return SURVKIT_OK;
}

/* ---------------------------------------------------------------- JSON out */

char *survkit_glm_model_to_json(const survkit_glm_model *m)
{
    if (m == NULL) return NULL;
    sk_strbuf b = {0};
    sk_strbuf_printf(&b, "{\"format\": \"survkit-glm\", \"version\": 1, \"formula\": ");
    sk_strbuf_json_string(&b, m->formula);
    sk_strbuf_printf(&b, ", \"link\": \"%s\",\n \"names\": [", survkit_glm_link_name(m->link));
    for (size_t j = 0; j < m->p; j++) {
        if (j) sk_strbuf_printf(&b, ", ");
        sk_strbuf_json_string(&b, m->names[j]);
    }
    sk_strbuf_printf(&b, "],\n \"coef\": [");
    for (size_t j = 0; j < m->p; j++) {
        if (j) sk_strbuf_printf(&b, ", ");
        sk_strbuf_json_number(&b, m->coef[j]);
    }
    sk_strbuf_printf(&b, "],\n \"vcov\": [");
    for (size_t i = 0; i < m->p; i++) {
        sk_strbuf_printf(&b, i ? ", [" : "[");
        for (size_t j = 0; j < m->p; j++) {
            if (j) sk_strbuf_printf(&b, ", ");
            sk_strbuf_json_number(&b, m->vcov[i + j * m->p]);
        }
        sk_strbuf_printf(&b, "]");
    }
    sk_strbuf_printf(&b, "],\n \"variables\": ");
    sk_model_variables_write(&b, m->variables, m->n_variables, ", ");
    sk_strbuf_printf(&b, "}\n");
    return sk_strbuf_finish(&b);
}

/* ---------------------------------------------------------------- JSON in */

static survkit_status bad(const sk_json *at, const char *source, const char *what,
                          survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_PARSE, source, at ? at->line : 0, at ? at->column : 0,
                        "not a survkit glm model: %s", what);
}

/* A number or null (NaN). */
static bool read_number(const sk_json *v, double *out)
{
    if (v->kind == SK_JSON_NULL) *out = NAN;
    else if (v->kind == SK_JSON_NUMBER) *out = v->number;
    else return false;
    return true;
}

static survkit_status read_model(const sk_json *root, const char *source, survkit_glm_model *m,
                                 survkit_error *err)
{
    const sk_json *format = sk_json_get(root, "format"), *version = sk_json_get(root, "version");
    if (format == NULL || format->kind != SK_JSON_STRING || strcmp(format->string, "survkit-glm") != 0)
        return bad(root, source, "\"format\" is not \"survkit-glm\"", err);
    if (version == NULL || version->kind != SK_JSON_NUMBER || version->number != 1)
        return bad(version ? version : root, source, "unknown \"version\" (this survkit reads 1)", err);
    const sk_json *formula = sk_json_get(root, "formula"), *link = sk_json_get(root, "link");
    const sk_json *names = sk_json_get(root, "names"), *coef = sk_json_get(root, "coef");
    const sk_json *vcov = sk_json_get(root, "vcov"), *vars = sk_json_get(root, "variables");
    if (!formula || formula->kind != SK_JSON_STRING || !link || link->kind != SK_JSON_STRING ||
        !names || names->kind != SK_JSON_ARRAY || !coef || coef->kind != SK_JSON_ARRAY ||
        coef->n != names->n || !vcov || vcov->kind != SK_JSON_ARRAY || vcov->n != names->n ||
        !vars || vars->kind != SK_JSON_ARRAY)
        return bad(root, source, "formula, link, names, coef, vcov or variables missing or malformed",
                   err);
    if (strcmp(link->string, "logit") == 0) m->link = SURVKIT_GLM_LOGIT;
    else if (strcmp(link->string, "probit") == 0) m->link = SURVKIT_GLM_PROBIT;
    else if (strcmp(link->string, "cloglog") == 0) m->link = SURVKIT_GLM_CLOGLOG;
    else return bad(link, source, "unknown link", err);
    const size_t p = names->n;
    RETURN_IF_ERROR(allocate(m, p, err));
    if ((m->formula = sk_strdup(formula->string)) == NULL) return nomem(err);
    for (size_t j = 0; j < p; j++) {
        const sk_json *row = &vcov->items[j];
        if (names->items[j].kind != SK_JSON_STRING || !read_number(&coef->items[j], &m->coef[j]) ||
            row->kind != SK_JSON_ARRAY || row->n != p)
            return bad(&names->items[j], source, "a coefficient is malformed", err);
        if ((m->names[j] = sk_strdup(names->items[j].string)) == NULL) return nomem(err);
        for (size_t k = 0; k < p; k++)
            if (!read_number(&row->items[k], &m->vcov[j + k * p]))
                return bad(&row->items[k], source, "vcov holds a non-number", err);
    }
    const sk_json *at = NULL;
    const char *problem = NULL;
    survkit_status status = sk_model_variables_read(vars, &m->variables, &m->n_variables, &at, &problem);
    if (status == SURVKIT_ERR_NOMEM) return nomem(err);
    if (status != SURVKIT_OK) return bad(at, source, problem, err);
    return SURVKIT_OK;
}

survkit_status survkit_glm_model_from_json(const char *text, size_t length, const char *source,
                                           survkit_glm_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || text == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_model_from_json: NULL argument");
    *out = NULL;
    sk_json root;
    RETURN_IF_ERROR(sk_json_parse(text, length, source, &root, err));
    survkit_glm_model *m = calloc(1, sizeof *m);
    survkit_status st = m ? (root.kind == SK_JSON_OBJECT ? read_model(&root, source, m, err)
                                                         : bad(&root, source, "not an object", err))
                          : nomem(err);
    sk_json_free(&root);
    if (st != SURVKIT_OK) {
        survkit_glm_model_free(m);
        return st;
    }
    *out = m;
    return SURVKIT_OK;
}

/* ---------------------------------------------------------------- prediction */

survkit_status survkit_glm_model_predict(const survkit_glm_model *m, const survkit_table *newdata,
                                         survkit_glm_prediction *out, survkit_error *err)
{
    RETURN_ERROR_IF(m == NULL || newdata == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_glm_model_predict: NULL argument");
    memset(out, 0, sizeof *out);
    sk_variable_spec *specs = sk_model_variables_specs(m->variables, m->n_variables);
    if (specs == NULL) return nomem(err);
    survkit_frame *frame = NULL;
    survkit_status st = sk_frame_build_like(m->formula, specs, m->n_variables, NULL, 0, newdata,
                                            &frame, NULL, err);
    free(specs);
    if (st != SURVKIT_OK) return st;
    const size_t n = survkit_frame_n(frame), q = survkit_frame_p(frame);
    if (q + 1 != m->p) {
        survkit_frame_free(frame);
        return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                            "the new data give %zu model columns, the model has %zu", q + 1, m->p);
    }
    out->n = n;
    out->row_index = sk_malloc_array(n + 1, sizeof *out->row_index);
    out->lp = sk_malloc_array(n + 1, sizeof *out->lp);
    out->prob = sk_malloc_array(n + 1, sizeof *out->prob);
    out->se_lp = sk_malloc_array(n + 1, sizeof *out->se_lp);
    if (!out->row_index || !out->lp || !out->prob || !out->se_lp) {
        survkit_frame_free(frame);
        survkit_glm_prediction_release(out);
        return nomem(err);
    }
    const double *x = survkit_frame_x(frame), *offset = survkit_frame_offset(frame);
    const size_t p = m->p;
    double *row = sk_malloc_array(p, sizeof *row);
    double *kept_vcov = sk_malloc_array(p * p, sizeof *kept_vcov); /* aliased rows and columns 0 */
    if (row == NULL || kept_vcov == NULL) {
        free(row), free(kept_vcov);
        survkit_frame_free(frame);
        survkit_glm_prediction_release(out);
        return nomem(err);
    }
    for (size_t k = 0; k < p; k++)
        for (size_t j = 0; j < p; j++)
            kept_vcov[j + k * p] =
                isnan(m->coef[j]) || isnan(m->coef[k]) ? 0.0 : m->vcov[j + k * p];
    for (size_t i = 0; i < n; i++) { /* x_i = (1, frame row i); lp = x_i'b, se = sqrt(x_i' V x_i) */
        out->row_index[i] = survkit_frame_row_index(frame)[i];
        double eta = 0;
        for (size_t j = 0; j < p; j++) { /* an aliased coefficient counts as 0, as in R */
            row[j] = isnan(m->coef[j]) ? 0.0 : j == 0 ? 1.0 : x[i + (j - 1) * n];
            if (!isnan(m->coef[j])) eta += row[j] * m->coef[j];
        }
        const double var = sk_quad_form(kept_vcov, row, p);
        if (offset) eta += offset[i];
        out->lp[i] = eta;
        out->se_lp[i] = sqrt(var);
        sk_glm_linkinv(m->link, &eta, &out->prob[i], NULL, 1);
    }
    free(row), free(kept_vcov);
    survkit_frame_free(frame);
    return SURVKIT_OK;
}

void survkit_glm_prediction_release(survkit_glm_prediction *p)
{
    if (p == NULL) return;
    free(p->row_index);
    free(p->lp);
    free(p->prob);
    free(p->se_lp);
    memset(p, 0, sizeof *p);
}

const char *survkit_glm_model_formula(const survkit_glm_model *m) { return m ? m->formula : NULL; }
survkit_glm_link survkit_glm_model_link(const survkit_glm_model *m)
{
    return m ? m->link : SURVKIT_GLM_LOGIT;
}
