/*
 * model_json.c: saved Cox models, the "survkit-model" JSON format, version 1.
 *
 *   {"format": "survkit-model", "version": 1, "survkit": "0.1.0",
 *    "formula": "Surv(time, status) ~ age + sex" | null, "weights": "w" | null,
 *    "ties": "efron", "counting": false, "robust": false, "timefix": true, "collate": "utf8" | "C",
 *    "n": 227, "events": 164,
 *    "names": [p], "coef": [p] (null = aliased), "var": [p*p], "naive_var": [p*p] | null,
 *    "means": [p], "terms": [n_terms], "column_term": [p],
 *    "offset": {"present": false, "mean": 0, "weighted_mean": 0},
 *    "strata": [labels] | null, "strata_means": [n_strata*p],
 *    "variables": [{"label": "sex", "kind": "numeric" | "logical" | "factor", "levels": [..]}],
 *    "baseline": {"first": [n_strata+1], "time": [m], "hazard": [m], "varhaz": [m], "xbar": [m*p]},
 *    "penalised": {"df": [terms], "second": [p] | [p*p] | null,
 *                  "frailty": {"term": "frailty(la)", "position": 1, "groups": [G],
 *                              "frail": [G], "dense_column": 1} | null}}
 *
 * "penalised" is present only for a penalised fit (frailty(), ridge(): penal_model.c); files
 * without it are plain Cox models, as every file written before it was added. "dense_column" is
 * present only for a dense frailty (R's sparse = FALSE): the model's columns dense_column ..
 * dense_column + G - 1 are then its groups' (penal_model.c).
 * Matrices are column-major. Numbers are written with 17 significant digits, so a model read back
 * predicts exactly what the original predicts. Reading is strict: the format name, the version,
 * every member's type and every length are checked, and an error names the member. "timefix"
 * (whether the data's times went through R's timefix) may be absent, in files written before it
 * was added, and then means true; "collate" (the order of the data's string levels) likewise, and
 * then means "utf8".
 */
#include "cox/diag_internal.h"
#include "core/c_locale.h"
#include "core/strbuf.h"
#include "formula/formula_internal.h"
#include "io/json_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ writing */

/* `,\n "key": [x...]`: one member of the model object */
static void put_numbers(sk_strbuf *b, const char *key, const double *x, size_t n)
{
    sk_strbuf_printf(b, ",\n \"%s\": ", key);
    sk_strbuf_json_numbers(b, x, n, ",");
}

static const char *ties_name(survkit_cox_ties t)
{
    return t == SURVKIT_COX_BRESLOW ? "breslow" : t == SURVKIT_COX_EXACT ? "exact" : "efron";
}


static void write_penalty(sk_strbuf *b, const sk_model_penalty *pen, size_t p)
{
    sk_strbuf_printf(b, ",\n \"penalised\": {\"df\": ");
    sk_strbuf_json_numbers(b, pen->df, pen->n_df, ",");
    (void)p;
    if (pen->second) put_numbers(b, "second", pen->second, pen->n_second);
    else sk_strbuf_printf(b, ",\n \"second\": null");
    if (pen->n_frail == 0) {
        sk_strbuf_printf(b, ",\n \"frailty\": null}");
        return;
    }
    sk_strbuf_printf(b, ",\n \"frailty\": {\"term\": ");
    sk_strbuf_json_string(b, pen->frail_term);
    sk_strbuf_printf(b, ", \"position\": %zu, \"groups\": ", pen->frail_pos);
    sk_strbuf_json_strings(b, pen->frail_labels, pen->n_frail);
    put_numbers(b, "frail", pen->frail, pen->n_frail);
    if (pen->dense) sk_strbuf_printf(b, ", \"dense_column\": %zu", pen->dense_col);
    sk_strbuf_printf(b, "}}");
}

static char *model_to_json(const survkit_cox_model *m)
{
    sk_strbuf b = {0};
    const size_t p = m->p;
    const sk_baseline *base = &m->base;
    sk_strbuf_printf(&b, "{\"format\": \"survkit-model\", \"version\": %d, \"survkit\": ",
        SURVKIT_MODEL_FORMAT_VERSION);
    sk_strbuf_json_string(&b, survkit_version_string());
    sk_strbuf_printf(&b, ",\n \"formula\": ");
    sk_strbuf_json_string(&b, m->formula);
    sk_strbuf_printf(&b, ", \"weights\": ");
    sk_strbuf_json_string(&b, m->weights_name);
    sk_strbuf_printf(&b, ",\n \"ties\": \"%s\", \"counting\": %s, \"robust\": %s, \"timefix\": %s, "
            "\"collate\": \"%s\", \"n\": %zu, \"events\": ",
        ties_name(m->ties), m->counting ? "true" : "false", m->robust ? "true" : "false",
        m->timefix ? "true" : "false", m->collate == SURVKIT_COLLATE_C ? "C" : "utf8", m->n);
    sk_strbuf_json_number(&b, m->n_events);
    sk_strbuf_printf(&b, ",\n \"names\": ");
    sk_strbuf_json_strings(&b, m->names, p);
    put_numbers(&b, "coef", m->coef, p);
    put_numbers(&b, "var", m->var, p * p);
    if (m->naive_var) put_numbers(&b, "naive_var", m->naive_var, p * p);
    else sk_strbuf_printf(&b, ",\n \"naive_var\": null");
    put_numbers(&b, "means", m->means, p);
    sk_strbuf_printf(&b, ",\n \"terms\": ");
    sk_strbuf_json_strings(&b, m->term_names, m->n_terms);
    sk_strbuf_printf(&b, ",\n \"column_term\": [");
    for (size_t j = 0; j < p; j++) sk_strbuf_printf(&b, "%s%zu", j ? "," : "", m->column_term[j]);
    sk_strbuf_printf(&b, "],\n \"offset\": {\"present\": %s, \"mean\": ", m->has_offset ? "true" : "false");
    sk_strbuf_json_number(&b, m->offset_mean);
    sk_strbuf_printf(&b, ", \"weighted_mean\": ");
    sk_strbuf_json_number(&b, m->offset_wmean);
    sk_strbuf_printf(&b, "},\n \"strata\": ");
    if (m->has_strata) sk_strbuf_json_strings(&b, m->strata_labels, m->n_strata);
    else sk_strbuf_printf(&b, "null");
    put_numbers(&b, "strata_means", m->strata_means, m->n_strata * p);
    sk_strbuf_printf(&b, ",\n \"variables\": ");
    sk_model_variables_write(&b, m->variables, m->n_variables, ",\n  ");
    sk_strbuf_printf(&b, ",\n \"baseline\": {\"first\": [");
    for (size_t s = 0; s <= base->n_strata; s++) sk_strbuf_printf(&b, "%s%zu", s ? "," : "", base->first[s]);
    sk_strbuf_printf(&b, "]");
    put_numbers(&b, "time", base->time, base->n_rows);
    put_numbers(&b, "hazard", base->hazard, base->n_rows);
    put_numbers(&b, "varhaz", base->varhaz, base->n_rows);
    put_numbers(&b, "xbar", base->xbar, base->n_rows * p);
    sk_strbuf_printf(&b, "}");
    if (m->pen.penalised) write_penalty(&b, &m->pen, p);
    sk_strbuf_printf(&b, "}\n");
    return sk_strbuf_finish(&b);
}

/* The numbers as "%.17g" writes them in the C locale, whatever the program's locale. */
char *survkit_cox_model_to_json(const survkit_cox_model *m)
{
    if (m == NULL || !m->has_baseline) return NULL; /* the format holds a baseline */
    sk_c_locale scope;
    sk_c_locale_enter(&scope);
    char *text = model_to_json(m);
    sk_c_locale_leave(&scope);
    return text;
}

/* ------------------------------------------------------------------ reading */

typedef struct reader {
    const char *source;
    survkit_error *err;
} reader;

static survkit_status bad(const reader *r, const sk_json *at, const char *member, const char *what)
{
    return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, at ? at->line : 0,
                        at ? at->column : 0, "not a valid survkit model: \"%s\" %s", member, what);
}

static const sk_json *member(const reader *r, const sk_json *o, const char *key, sk_json_kind kind,
                             bool nullable, survkit_status *st)
{
    const sk_json *v = sk_json_get(o, key);
    if (v == NULL) {
        *st = bad(r, o, key, "is missing");
        return NULL;
    }
    if (v->kind == SK_JSON_NULL && nullable) return v;
    bool ok = v->kind == kind || (kind == SK_JSON_TRUE && v->kind == SK_JSON_FALSE);
    if (!ok) {
        static const char *const names[] = {"null", "a boolean", "a boolean", "a number",
                                            "a string", "an array", "an object"};
        char what[64];
        snprintf(what, sizeof what, "must be %s", names[kind]);
        *st = bad(r, v, key, what);
        return NULL;
    }
    return v;
}

/* An array of exactly n numbers (null read as NaN when allow_null). */
static double *numbers(const reader *r, const sk_json *o, const char *key, size_t n,
                       bool allow_null, survkit_status *st)
{
    const sk_json *a = member(r, o, key, SK_JSON_ARRAY, false, st);
    if (a == NULL) return NULL;
    if (a->n != n) {
        char what[96];
        snprintf(what, sizeof what, "must hold %zu numbers, not %zu", n, a->n);
        *st = bad(r, a, key, what);
        return NULL;
    }
    double *x = sk_malloc_array(n ? n : 1, sizeof(double));
    if (x == NULL) {
        *st = sk_error_set(r->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const sk_json *e = &a->items[i];
        if (e->kind == SK_JSON_NUMBER) x[i] = e->number;
        else if (e->kind == SK_JSON_NULL && allow_null) x[i] = NAN;
        else {
            free(x);
            *st = bad(r, e, key, "holds something that is not a number");
            return NULL;
        }
    }
    return x;
}

/* An array of strings (n_expected SIZE_MAX: any length). */
static char **strings(const reader *r, const sk_json *a, const char *key, size_t n_expected,
                      size_t *n, survkit_status *st)
{
    if (a == NULL || a->kind != SK_JSON_ARRAY) {
        *st = bad(r, a, key, "must be an array of strings");
        return NULL;
    }
    if (n_expected != SIZE_MAX && a->n != n_expected) {
        *st = bad(r, a, key, "has the wrong length");
        return NULL;
    }
    char **s = sk_calloc_array(a->n + 1, sizeof(char *));
    if (s == NULL) {
        *st = sk_error_set(r->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (a->items[i].kind != SK_JSON_STRING || (s[i] = sk_strdup(a->items[i].string)) == NULL) {
            sk_free_strings(s, i);
            *st = bad(r, &a->items[i], key, "must hold strings");
            return NULL;
        }
    }
    *n = a->n;
    return s;
}

/* A count: a whole number in [0, limit]. */
static bool count(const sk_json *v, double limit, size_t *out)
{
    if (v == NULL || v->kind != SK_JSON_NUMBER || v->number < 0 || v->number > limit ||
        v->number != floor(v->number))
        return false;
    *out = (size_t)v->number;
    return true;
}

/* "penalised": R's fit$df, the dense penalty's second derivatives, the frailty term. */
static survkit_status read_penalty(const reader *r, const sk_json *o, survkit_cox_model *m)
{
    survkit_status st = SURVKIT_OK;
    sk_model_penalty *pen = &m->pen;
    if (o->kind != SK_JSON_OBJECT) return bad(r, o, "penalised", "must be an object");
    pen->penalised = true;
    pen->frail_pos = SIZE_MAX;
    const sk_json *df = member(r, o, "df", SK_JSON_ARRAY, false, &st);
    if (df == NULL) return st;
    if (df->n < m->n_terms) return bad(r, df, "df", "must have one entry per term");
    pen->n_df = df->n;
    if ((pen->df = numbers(r, o, "df", df->n, false, &st)) == NULL) return st;
    const sk_json *v = member(r, o, "second", SK_JSON_ARRAY, true, &st);
    if (v == NULL) return st;
    /* p numbers (ridge() alone) or p * p (a pspline()'s full matrix) */
    if (v->kind == SK_JSON_ARRAY) {
        pen->n_second = v->n == m->p * m->p && m->p > 1 ? v->n : m->p;
        if ((pen->second = numbers(r, o, "second", pen->n_second, false, &st)) == NULL) return st;
    }
    const sk_json *f = member(r, o, "frailty", SK_JSON_OBJECT, true, &st);
    if (f == NULL) return st;
    if (f->kind == SK_JSON_NULL) return SURVKIT_OK;
    if ((v = member(r, f, "term", SK_JSON_STRING, false, &st)) == NULL) return st;
    if ((pen->frail_term = sk_strdup(v->string)) == NULL)
        return sk_error_set(r->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (reading a model)");
    if (!count(sk_json_get(f, "position"), (double)m->n_terms, &pen->frail_pos))
        return bad(r, f, "position", "must be a term index");
    pen->frail_labels = strings(r, sk_json_get(f, "groups"), "groups", SIZE_MAX, &pen->n_frail, &st);
    if (pen->frail_labels == NULL) return st;
    if (pen->n_frail == 0) return bad(r, f, "groups", "is empty");
    if ((pen->frail = numbers(r, f, "frail", pen->n_frail, false, &st)) == NULL) return st;
    const sk_json *dense = sk_json_get(f, "dense_column"); /* absent: a sparse frailty */
    if (dense == NULL) return SURVKIT_OK;
    if (pen->n_frail > m->p || !count(dense, (double)(m->p - pen->n_frail), &pen->dense_col))
        return bad(r, f, "dense_column", "must leave room for the groups' columns");
    pen->dense = true;
    return SURVKIT_OK;
}

static survkit_status read_model(const reader *r, const sk_json *root, survkit_cox_model *m)
{
    survkit_status st = SURVKIT_OK;
    if (root->kind != SK_JSON_OBJECT)
        return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, root->line, root->column,
                            "not a survkit model (the text is not a JSON object)");
    const sk_json *fmt = sk_json_get(root, "format");
    if (fmt == NULL || fmt->kind != SK_JSON_STRING || strcmp(fmt->string, "survkit-model") != 0)
        return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, root->line, root->column,
                            "not a survkit model (no \"format\": \"survkit-model\")");
    const sk_json *ver = sk_json_get(root, "version");
    if (ver == NULL || ver->kind != SK_JSON_NUMBER)
        return bad(r, root, "version", "is missing");
    if (ver->number != SURVKIT_MODEL_FORMAT_VERSION)
        return sk_error_set(r->err, SURVKIT_ERR_PARSE, r->source, ver->line, ver->column,
                            "the model is in format version %g; this survkit (%s) reads version %d",
                            ver->number, survkit_version_string(), SURVKIT_MODEL_FORMAT_VERSION);
    const sk_json *v;
    if ((v = member(r, root, "formula", SK_JSON_STRING, true, &st)) == NULL) return st;
    if (v->kind == SK_JSON_STRING && (m->formula = sk_strdup(v->string)) == NULL) goto nomem;
    if ((v = member(r, root, "weights", SK_JSON_STRING, true, &st)) == NULL) return st;
    if (v->kind == SK_JSON_STRING && (m->weights_name = sk_strdup(v->string)) == NULL) goto nomem;
    if ((v = member(r, root, "ties", SK_JSON_STRING, false, &st)) == NULL) return st;
    if (strcmp(v->string, "efron") == 0) m->ties = SURVKIT_COX_EFRON;
    else if (strcmp(v->string, "breslow") == 0) m->ties = SURVKIT_COX_BRESLOW;
    else if (strcmp(v->string, "exact") == 0) m->ties = SURVKIT_COX_EXACT;
    else return bad(r, v, "ties", "must be efron, breslow or exact");
    if ((v = member(r, root, "counting", SK_JSON_TRUE, false, &st)) == NULL) return st;
    m->counting = v->kind == SK_JSON_TRUE;
    const sk_json *timefix = sk_json_get(root, "timefix"); /* absent in older files: true */
    if (timefix != NULL && timefix->kind != SK_JSON_TRUE && timefix->kind != SK_JSON_FALSE)
        return bad(r, timefix, "timefix", "must be a boolean");
    m->timefix = timefix == NULL || timefix->kind == SK_JSON_TRUE;
    const sk_json *collate = sk_json_get(root, "collate"); /* absent in older files: utf8 */
    if (collate != NULL &&
        (collate->kind != SK_JSON_STRING ||
         (strcmp(collate->string, "C") != 0 && strcmp(collate->string, "utf8") != 0)))
        return bad(r, collate, "collate", "must be \"utf8\" or \"C\"");
    m->collate = collate != NULL && strcmp(collate->string, "C") == 0 ? SURVKIT_COLLATE_C
                                                                     : SURVKIT_COLLATE_UTF8;
    if ((v = member(r, root, "robust", SK_JSON_TRUE, false, &st)) == NULL) return st;
    m->robust = v->kind == SK_JSON_TRUE;
    if (!count(sk_json_get(root, "n"), 1e15, &m->n)) return bad(r, root, "n", "must be a count");
    if ((v = member(r, root, "events", SK_JSON_NUMBER, false, &st)) == NULL) return st;
    m->n_events = v->number;

    size_t p = 0;
    m->names = strings(r, sk_json_get(root, "names"), "names", SIZE_MAX, &p, &st);
    if (m->names == NULL) return st;
    m->p = p;
    if ((m->coef = numbers(r, root, "coef", p, true, &st)) == NULL) return st;
    if ((m->var = numbers(r, root, "var", p * p, false, &st)) == NULL) return st;
    if ((v = member(r, root, "naive_var", SK_JSON_ARRAY, true, &st)) == NULL) return st;
    if (v->kind == SK_JSON_ARRAY && (m->naive_var = numbers(r, root, "naive_var", p * p, false, &st)) == NULL)
        return st;
    if ((m->means = numbers(r, root, "means", p, false, &st)) == NULL) return st;
    m->term_names = strings(r, sk_json_get(root, "terms"), "terms", SIZE_MAX, &m->n_terms, &st);
    if (m->term_names == NULL) return st;
    const sk_json *ct = member(r, root, "column_term", SK_JSON_ARRAY, false, &st);
    if (ct == NULL) return st;
    if (ct->n != p) return bad(r, ct, "column_term", "has the wrong length");
    if ((m->column_term = sk_malloc_array(p + 1, sizeof(size_t))) == NULL) goto nomem;
    for (size_t j = 0; j < p; j++)
        if (!count(&ct->items[j], (double)m->n_terms - 1, &m->column_term[j]))
            return bad(r, &ct->items[j], "column_term", "holds a term index out of range");

    const sk_json *ofs = member(r, root, "offset", SK_JSON_OBJECT, false, &st);
    if (ofs == NULL) return st;
    if ((v = member(r, ofs, "present", SK_JSON_TRUE, false, &st)) == NULL) return st;
    m->has_offset = v->kind == SK_JSON_TRUE;
    if ((v = member(r, ofs, "mean", SK_JSON_NUMBER, false, &st)) == NULL) return st;
    m->offset_mean = v->number;
    if ((v = member(r, ofs, "weighted_mean", SK_JSON_NUMBER, false, &st)) == NULL) return st;
    m->offset_wmean = v->number;

    if ((v = member(r, root, "strata", SK_JSON_ARRAY, true, &st)) == NULL) return st;
    m->has_strata = v->kind == SK_JSON_ARRAY;
    m->n_strata = 1;
    if (m->has_strata) {
        m->strata_labels = strings(r, v, "strata", SIZE_MAX, &m->n_strata, &st);
        if (m->strata_labels == NULL) return st;
        if (m->n_strata == 0) return bad(r, v, "strata", "is empty");
    }
    if ((m->strata_means = numbers(r, root, "strata_means", m->n_strata * p, false, &st)) == NULL)
        return st;

    const sk_json *at = NULL;
    const char *problem = NULL;
    st = sk_model_variables_read(sk_json_get(root, "variables"), &m->variables, &m->n_variables, &at,
                                 &problem);
    if (st == SURVKIT_ERR_NOMEM) goto nomem;
    if (st != SURVKIT_OK) return bad(r, at, "variables", problem);

    const sk_json *bl = member(r, root, "baseline", SK_JSON_OBJECT, false, &st);
    if (bl == NULL) return st;
    sk_baseline *b = &m->base;
    const sk_json *first = member(r, bl, "first", SK_JSON_ARRAY, false, &st);
    if (first == NULL) return st;
    if (first->n != m->n_strata + 1) return bad(r, first, "first", "must have one entry per stratum, plus one");
    b->n_strata = m->n_strata;
    b->p = p;
    if ((b->first = sk_malloc_array(first->n, sizeof(size_t))) == NULL) goto nomem;
    for (size_t s = 0; s < first->n; s++)
        if (!count(&first->items[s], 1e15, &b->first[s]) || (s > 0 && b->first[s] < b->first[s - 1]) ||
            (s == 0 && b->first[0] != 0))
            return bad(r, &first->items[s], "first", "must rise from 0");
    b->n_rows = b->first[m->n_strata];
    if ((b->time = numbers(r, bl, "time", b->n_rows, false, &st)) == NULL) return st;
    if ((b->hazard = numbers(r, bl, "hazard", b->n_rows, false, &st)) == NULL) return st;
    if ((b->varhaz = numbers(r, bl, "varhaz", b->n_rows, false, &st)) == NULL) return st;
    if ((b->xbar = numbers(r, bl, "xbar", b->n_rows * p, false, &st)) == NULL) return st;
    for (size_t s = 0; s < m->n_strata; s++)
        for (size_t k = b->first[s] + 1; k < b->first[s + 1]; k++)
            if (!(b->time[k] > b->time[k - 1])) return bad(r, bl, "time", "must increase within a stratum");
    m->has_baseline = true;
    const sk_json *pen = sk_json_get(root, "penalised"); /* absent: a plain Cox model */
    return pen == NULL ? SURVKIT_OK : read_penalty(r, pen, m);
nomem:
    return sk_error_set(r->err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (reading a model)");
}

survkit_status survkit_cox_model_from_json(const char *text, size_t length, const char *source,
                                           survkit_cox_model **out, survkit_error *err)
{
    RETURN_ERROR_IF(out == NULL || text == NULL, err, SURVKIT_ERR_ARGUMENT, "no model text");
    *out = NULL;
    sk_json root;
    RETURN_IF_ERROR(sk_json_parse(text, length, source ? source : "", &root, err));
    survkit_cox_model *m = sk_cox_model_alloc();
    reader r = {source ? source : "", err};
    survkit_status st = m ? read_model(&r, &root, m)
                          : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    sk_json_free(&root);
    if (st != SURVKIT_OK) {
        survkit_cox_model_free(m);
        return st;
    }
    *out = m;
    return SURVKIT_OK;
}
