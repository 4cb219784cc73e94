/*
 * finegray_model.c: a Fine-Gray fit with what predict.crr needs for new data, saved and read as
 * JSON ("survkit-finegray-model", version 1):
 *
 *   {"format": "survkit-finegray-model", "version": 1, "formula": "...", "cause": "death",
 *    "names": [p], "coef": [p], "event_times": [K], "bfitj": [K],
 *    "variables": [{"label": "sex", "kind": "numeric" | "logical" | "factor", "levels": [..]}]}
 *
 * Numbers with 17 significant digits, so a model read back predicts exactly what the fit predicts.
 * Reading is strict: the format, the version, every member's type and length are checked.
 */
#include "compete/compete_internal.h"
#include "formula/formula_internal.h"
#include "formula/model_variables.h"
#include "core/strbuf.h"
#include "io/json_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct survkit_finegray_model_s {
    char *formula, *cause;
    size_t p, K, n_variables;
    char **names;
    double *coef, *event_times, *bfitj;
    sk_model_variable *variables;
};

void survkit_finegray_model_free(survkit_finegray_model *m)
{
    if (m == NULL) return;
    free(m->formula);
    free(m->cause);
    sk_free_strings(m->names, m->names ? m->p : 0);
    free(m->coef);
    free(m->event_times);
    free(m->bfitj);
    sk_model_variables_free(m->variables, m->n_variables);
    free(m);
}

static survkit_status nomem(survkit_finegray_model *m, survkit_error *err)
{
    survkit_finegray_model_free(m);
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray model: out of memory");
}

static double *copy_numbers(const double *x, size_t n)
{
    double *c = sk_malloc_array(n + 1, sizeof *c);
    if (c != NULL && n > 0) memcpy(c, x, n * sizeof *c);
    return c;
}

survkit_status survkit_finegray_model_create(const survkit_finegray *fit, const survkit_frame *frame,
                                             const char *cause, survkit_finegray_model **out,
                                             survkit_error *err)
{
    RETURN_ERROR_IF(!fit || !frame || !cause || !out, err, SURVKIT_ERR_ARGUMENT,
                    "finegray model: a fit, its frame and the cause are needed");
    *out = NULL;
    survkit_finegray_model *m = calloc(1, sizeof *m);
    if (m == NULL) return nomem(NULL, err);
    m->p = survkit_finegray_p(fit);
    m->K = survkit_finegray_n_event_times(fit);
    m->formula = sk_strdup(sk_frame_model_formula(frame));
    m->cause = sk_strdup(cause);
    m->names = sk_calloc_array(m->p + 1, sizeof *m->names);
    m->coef = copy_numbers(survkit_finegray_coef(fit), m->p);
    m->event_times = copy_numbers(survkit_finegray_event_times(fit), m->K);
    m->bfitj = copy_numbers(survkit_finegray_baseline_jumps(fit), m->K);
    if (!m->formula || !m->cause || !m->names || !m->coef || !m->event_times || !m->bfitj)
        return nomem(m, err);
    for (size_t j = 0; j < m->p; j++)
        if ((m->names[j] = sk_strdup(survkit_finegray_name(fit, j))) == NULL) return nomem(m, err);
    survkit_status status = sk_model_variables_capture(frame, &m->variables, &m->n_variables, err);
    if (status != SURVKIT_OK) {
        survkit_finegray_model_free(m);
        return status;
    }
    *out = m;
    return SURVKIT_OK;
}

const char *survkit_finegray_model_formula(const survkit_finegray_model *m)
{
    return m ? m->formula : NULL;
}
const char *survkit_finegray_model_cause(const survkit_finegray_model *m)
{
    return m ? m->cause : NULL;
}
size_t survkit_finegray_model_n_event_times(const survkit_finegray_model *m) { return m ? m->K : 0; }
const double *survkit_finegray_model_event_times(const survkit_finegray_model *m)
{
    return m ? m->event_times : NULL;
}

/* ------------------------------------------------------------------ writing */

/* `, "key": [x...]`: one member of the model object */
static void put_numbers(sk_strbuf *b, const char *key, const double *x, size_t n)
{
    sk_strbuf_printf(b, ", \"%s\": ", key);
    sk_strbuf_json_numbers(b, x, n, ", ");
}

char *survkit_finegray_model_to_json(const survkit_finegray_model *m)
{
    if (m == NULL) return NULL;
    sk_strbuf b = {0};
    sk_strbuf_printf(&b, "{\"format\": \"survkit-finegray-model\", \"version\": 1, \"formula\": ");
    sk_strbuf_json_string(&b, m->formula);
    sk_strbuf_printf(&b, ", \"cause\": ");
    sk_strbuf_json_string(&b, m->cause);
    sk_strbuf_printf(&b, ", \"names\": ");
    sk_strbuf_json_strings(&b, m->names, m->p);
    put_numbers(&b, "coef", m->coef, m->p);
    put_numbers(&b, "event_times", m->event_times, m->K);
    put_numbers(&b, "bfitj", m->bfitj, m->K);
    sk_strbuf_printf(&b, ", \"variables\": ");
    sk_model_variables_write(&b, m->variables, m->n_variables, ", ");
    sk_strbuf_printf(&b, "}\n");
    return sk_strbuf_finish(&b);
}

/* ------------------------------------------------------------------ reading */

static survkit_status bad(const sk_json *at, const char *source, const char *what,
                          survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_PARSE, source, at ? at->line : 0, at ? at->column : 0,
                        "not a survkit Fine-Gray model: %s", what);
}

/* The member `key` of kind `kind` (arrays: with n elements unless n is SIZE_MAX). */
static const sk_json *need(const sk_json *o, const char *key, sk_json_kind kind, size_t n)
{
    const sk_json *v = sk_json_get(o, key);
    if (v == NULL || v->kind != kind || (kind == SK_JSON_ARRAY && n != SIZE_MAX && v->n != n))
        return NULL;
    return v;
}

static double *read_numbers(const sk_json *a)
{
    double *x = sk_malloc_array(a->n + 1, sizeof *x);
    for (size_t i = 0; x && i < a->n; i++) {
        if (a->items[i].kind != SK_JSON_NUMBER || !isfinite(a->items[i].number)) {
            free(x);
            return NULL;
        }
        x[i] = a->items[i].number;
    }
    return x;
}

static char **read_strings(const sk_json *a)
{
    char **s = sk_calloc_array(a->n + 1, sizeof *s);
    for (size_t i = 0; s && i < a->n; i++) {
        if (a->items[i].kind != SK_JSON_STRING || (s[i] = sk_strdup(a->items[i].string)) == NULL) {
            sk_free_strings(s, a->n);
            return NULL;
        }
    }
    return s;
}

static survkit_status read_model(const sk_json *root, const char *source, survkit_finegray_model *m,
                                 survkit_error *err)
{
    if (root->kind != SK_JSON_OBJECT) return bad(root, source, "the file is not a JSON object", err);
    const sk_json *format = need(root, "format", SK_JSON_STRING, 0);
    if (!format || strcmp(format->string, "survkit-finegray-model") != 0)
        return bad(root, source, "\"format\" is not \"survkit-finegray-model\"", err);
    const sk_json *version = need(root, "version", SK_JSON_NUMBER, 0);
    if (!version || version->number != 1) return bad(root, source, "\"version\" is not 1", err);
    const sk_json *formula = need(root, "formula", SK_JSON_STRING, 0),
                  *cause = need(root, "cause", SK_JSON_STRING, 0),
                  *names = need(root, "names", SK_JSON_ARRAY, SIZE_MAX);
    if (!formula || !cause || !names) return bad(root, source, "formula, cause or names missing", err);
    m->p = names->n;
    const sk_json *coef = need(root, "coef", SK_JSON_ARRAY, m->p),
                  *times = need(root, "event_times", SK_JSON_ARRAY, SIZE_MAX);
    if (!coef || !times) return bad(root, source, "coef or event_times missing or of a wrong length", err);
    m->K = times->n;
    const sk_json *bfitj = need(root, "bfitj", SK_JSON_ARRAY, m->K),
                  *vars = need(root, "variables", SK_JSON_ARRAY, SIZE_MAX);
    if (!bfitj || !vars) return bad(root, source, "bfitj or variables missing or of a wrong length", err);
    m->formula = sk_strdup(formula->string);
    m->cause = sk_strdup(cause->string);
    if (!m->formula || !m->cause) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!(m->names = read_strings(names)) || !(m->coef = read_numbers(coef)) ||
        !(m->event_times = read_numbers(times)) || !(m->bfitj = read_numbers(bfitj)))
        return bad(root, source, "names must be strings, coef, event_times and bfitj finite numbers", err);
    const sk_json *at = NULL;
    const char *problem = NULL;
    survkit_status status = sk_model_variables_read(vars, &m->variables, &m->n_variables, &at, &problem);
    if (status == SURVKIT_ERR_NOMEM) return sk_error_set(err, status, NULL, 0, 0, "out of memory");
    if (status != SURVKIT_OK) return bad(at, source, problem, err);
    return SURVKIT_OK;
}

survkit_status survkit_finegray_model_from_json(const char *text, size_t length, const char *source,
                                                survkit_finegray_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(text == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "finegray model: no text");
    *out = NULL;
    sk_json root;
    RETURN_IF_ERROR(sk_json_parse(text, length, source, &root, err));
    survkit_finegray_model *m = calloc(1, sizeof *m);
    survkit_status status = m ? read_model(&root, source, m, err)
                              : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sk_json_free(&root);
    if (status != SURVKIT_OK) {
        survkit_finegray_model_free(m);
        return status;
    }
    *out = m;
    return SURVKIT_OK;
}

/* ------------------------------------------------------------------ prediction */

survkit_status survkit_finegray_model_predict_table(const survkit_finegray_model *model,
                                                    const survkit_table *newdata, size_t *m,
                                                    size_t **rows, double **cif,
                                                    survkit_error *err)
{
    RETURN_ERROR_IF(!model || !newdata || !m || !rows || !cif, err, SURVKIT_ERR_ARGUMENT,
                    "finegray model: predict needs a model and new data");
    sk_variable_spec *specs = sk_model_variables_specs(model->variables, model->n_variables);
    RETURN_ERROR_IF(specs == NULL, err, SURVKIT_ERR_NOMEM, "finegray: out of memory");
    survkit_status status = sk_fg_predict_like(model->formula, specs, model->n_variables,
                                               model->coef, model->p, model->bfitj, model->K,
                                               newdata, m, rows, cif, err);
    free(specs);
    return status;
}
