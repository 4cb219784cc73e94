/*
 * survreg_model_json.c: saved survreg models, the "survkit-survreg-model" JSON format, version 1.
 *
 *   {"format": "survkit-survreg-model", "version": 1, "dist": "weibull",
 *    "formula": "Surv(time, status) ~ age + sex", "p": 3, "n_scales": 1,
 *    "names": [p + n_scales], "coef": [p] (null = aliased), "var": [m*m] (column-major),
 *    "scale": [max(n_scales, 1)], "strata": [labels],
 *    "variables": [{"label": "sex", "kind": "numeric" | "logical" | "factor", "levels": [..]}]}
 *
 * Numbers with 17 significant digits, so a model read back predicts exactly as the original.
 * Reading is strict (format, version, every member's type and length); an error names the member.
 */
#include "survreg/survreg_model.h"

#include "core/strbuf.h"
#include "io/json_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* `,\n "key": [x...]`: one member of the model object */
static void put_numbers(sk_strbuf *b, const char *key, const double *x, size_t n)
{
    sk_strbuf_printf(b, ",\n \"%s\": ", key);
    sk_strbuf_json_numbers(b, x, n, ",");
}

static void put_strings(sk_strbuf *b, const char *key, char *const *s, size_t n)
{
    sk_strbuf_printf(b, ",\n \"%s\": ", key);
    sk_strbuf_json_strings(b, s, n);
}

char *survkit_survreg_model_to_json(const survkit_survreg_model *m)
{
    sk_strbuf b = {0};
    sk_strbuf_printf(&b, "{\"format\": \"survkit-survreg-model\", \"version\": 1, \"dist\": ");
    sk_strbuf_json_string(&b, survkit_survreg_dist_name(m->dist));
    sk_strbuf_printf(&b, ",\n \"formula\": ");
    sk_strbuf_json_string(&b, m->formula);
    sk_strbuf_printf(&b, ",\n \"p\": %zu, \"n_scales\": %zu", m->p, m->n_scales);
    put_strings(&b, "names", m->names, m->m);
    put_numbers(&b, "coef", m->coef, m->p);
    put_numbers(&b, "var", m->var, m->m * m->m);
    put_numbers(&b, "scale", m->scale, m->n_scales > 0 ? m->n_scales : 1);
    put_strings(&b, "strata", m->strata_labels, m->n_strata);
    sk_strbuf_printf(&b, ",\n \"variables\": ");
    sk_model_variables_write(&b, m->variables, m->n_variables, ", ");
    sk_strbuf_printf(&b, "}\n");
    return sk_strbuf_finish(&b);
}

/* ------------------------------------------------------------------ reading */

static survkit_status bad(survkit_error *err, const sk_json *at, const char *member, const char *what)
{
    return sk_error_set(err, SURVKIT_ERR_PARSE, NULL, at ? at->line : 0, at ? at->column : 0,
                        "not a valid survkit survreg model: \"%s\" %s", member, what);
}

static const sk_json *get(const sk_json *o, const char *key, sk_json_kind kind, survkit_status *st,
                          survkit_error *err)
{
    const sk_json *v = sk_json_get(o, key);
    if (v == NULL || v->kind != kind) {
        *st = bad(err, v ? v : o, key, v ? "has the wrong type" : "is missing");
        return NULL;
    }
    return v;
}

/* n numbers into x (null as NaN). */
static survkit_status get_numbers(const sk_json *o, const char *key, double *x, size_t n,
                                  survkit_error *err)
{
    survkit_status st = SURVKIT_OK;
    const sk_json *a = get(o, key, SK_JSON_ARRAY, &st, err);
    if (a == NULL) return st;
    if (a->n != n) return bad(err, a, key, "has the wrong length");
    for (size_t i = 0; i < n; i++) {
        const sk_json *e = &a->items[i];
        if (e->kind == SK_JSON_NUMBER) x[i] = e->number;
        else if (e->kind == SK_JSON_NULL) x[i] = NAN;
        else return bad(err, e, key, "holds something that is not a number");
    }
    return SURVKIT_OK;
}

/* An array of strings into *out (n_expected or any length when SIZE_MAX). */
static survkit_status get_strings(const sk_json *a, const char *key, size_t n_expected, char ***out,
                                  size_t *n, survkit_error *err)
{
    if (a == NULL || a->kind != SK_JSON_ARRAY) return bad(err, a, key, "must be an array of strings");
    if (n_expected != SIZE_MAX && a->n != n_expected) return bad(err, a, key, "has the wrong length");
    char **s = sk_calloc_array(a->n + 1, sizeof(char *));
    if (s == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a->n; i++)
        if (a->items[i].kind != SK_JSON_STRING || (s[i] = sk_strdup(a->items[i].string)) == NULL) {
            sk_free_strings(s, i);
            return bad(err, &a->items[i], key, "must hold strings");
        }
    sk_free_strings(*out, n ? *n : 0);
    *out = s;
    if (n) *n = a->n;
    return SURVKIT_OK;
}

static survkit_status read_model(const sk_json *root, survkit_survreg_model **out, survkit_error *err)
{
    survkit_status st = SURVKIT_OK;
    const sk_json *format = get(root, "format", SK_JSON_STRING, &st, err);
    if (format == NULL) return st;
    if (strcmp(format->string, "survkit-survreg-model") != 0)
        return bad(err, format, "format", "must be \"survkit-survreg-model\"");
    const sk_json *version = get(root, "version", SK_JSON_NUMBER, &st, err);
    if (version == NULL) return st;
    if (version->number != 1) return bad(err, version, "version", "must be 1");
    const sk_json *dist = get(root, "dist", SK_JSON_STRING, &st, err);
    const sk_json *formula = get(root, "formula", SK_JSON_STRING, &st, err);
    const sk_json *p = get(root, "p", SK_JSON_NUMBER, &st, err);
    const sk_json *ns = get(root, "n_scales", SK_JSON_NUMBER, &st, err);
    const sk_json *vars = get(root, "variables", SK_JSON_ARRAY, &st, err);
    if (st != SURVKIT_OK) return st;
    survkit_survreg_dist d;
    if (survkit_survreg_dist_parse(dist->string, &d, err) != SURVKIT_OK)
        return bad(err, dist, "dist", "is not a distribution");
    if (!(p->number >= 1 && p->number <= 1e6 && p->number == floor(p->number)))
        return bad(err, p, "p", "must be a count of at least 1");
    if (!(ns->number >= 0 && ns->number <= 1e6 && ns->number == floor(ns->number)))
        return bad(err, ns, "n_scales", "must be a count");
    const size_t n_scales = (size_t)ns->number;
    survkit_survreg_model *m = sk_sr_model_alloc((size_t)p->number, n_scales, n_scales ? n_scales : 1);
    if (m == NULL) return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    m->dist = d;
    m->formula = sk_strdup(formula->string);
    if (m->formula == NULL) st = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == SURVKIT_OK) st = get_strings(sk_json_get(root, "names"), "names", m->m, &m->names, NULL, err);
    if (st == SURVKIT_OK) st = get_numbers(root, "coef", m->coef, m->p, err);
    if (st == SURVKIT_OK) st = get_numbers(root, "var", m->var, m->m * m->m, err);
    if (st == SURVKIT_OK) st = get_numbers(root, "scale", m->scale, n_scales ? n_scales : 1, err);
    if (st == SURVKIT_OK)
        st = get_strings(sk_json_get(root, "strata"), "strata", SIZE_MAX, &m->strata_labels,
                         &m->n_strata, err);
    if (st == SURVKIT_OK) {
        const sk_json *at = NULL;
        const char *problem = NULL;
        st = sk_model_variables_read(vars, &m->variables, &m->n_variables, &at, &problem);
        if (st == SURVKIT_ERR_NOMEM) st = sk_error_set(err, st, NULL, 0, 0, "out of memory");
        else if (st != SURVKIT_OK) st = bad(err, at, "variables", problem);
    }
    if (st != SURVKIT_OK) {
        survkit_survreg_model_free(m);
        return st;
    }
    *out = m;
    return SURVKIT_OK;
}

survkit_status survkit_survreg_model_from_json(const char *text, size_t length,
                                               survkit_survreg_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(text == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "no text given");
    *out = NULL;
    sk_json root;
    RETURN_IF_ERROR(sk_json_parse(text, length, NULL, &root, err));
    survkit_status st = root.kind == SK_JSON_OBJECT
                            ? read_model(&root, out, err)
                            : bad(err, &root, "(top)", "must be a JSON object");
    sk_json_free(&root);
    return st;
}
