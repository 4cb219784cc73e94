/* model_variables.c: the variables a saved model keeps (model_variables.h). */
#include "formula/model_variables.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {"numeric", "logical", "factor"};

void sk_model_variables_free(sk_model_variable *v, size_t n)
{
    for (size_t k = 0; v != NULL && k < n; k++) {
        free(v[k].label);
        sk_free_strings(v[k].levels, v[k].n_levels);
    }
    free(v);
}

survkit_status sk_model_variables_capture(const survkit_frame *frame, sk_model_variable **out,
                                          size_t *n, survkit_error *err)
{
    const size_t count = sk_frame_n_variables(frame);
    sk_model_variable *v = sk_calloc_array(count + 1, sizeof *v);
    bool ok = v != NULL;
    for (size_t k = 0; ok && k < count; k++) {
        const char *label;
        sk_value_kind kind;
        char *const *levels;
        size_t n_levels;
        sk_frame_variable(frame, k, &label, &kind, &levels, &n_levels);
        v[k].kind = (int)kind;
        v[k].label = sk_strdup(label);
        v[k].levels = sk_calloc_array(n_levels + 1, sizeof *v[k].levels);
        ok = v[k].label != NULL && v[k].levels != NULL;
        for (size_t q = 0; ok && q < n_levels; q++, v[k].n_levels++)
            ok = (v[k].levels[q] = sk_strdup(levels[q])) != NULL;
    }
    if (!ok) {
        sk_model_variables_free(v, count);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory saving the model");
    }
    *out = v;
    *n = count;
    return SURVKIT_OK;
}

void sk_model_variables_write(sk_strbuf *b, const sk_model_variable *v, size_t n, const char *sep)
{
    sk_strbuf_printf(b, "[");
    for (size_t k = 0; k < n; k++) {
        if (k) sk_strbuf_printf(b, "%s", sep);
        sk_strbuf_json_variable(b, v[k].label, kind_names[v[k].kind], v[k].levels, v[k].n_levels);
    }
    sk_strbuf_printf(b, "]");
}

/* One variable from its JSON object; NULL problem on success. */
static survkit_status read_one(const sk_json *o, sk_model_variable *mv, const sk_json **at,
                               const char **problem)
{
    const sk_json *label = o->kind == SK_JSON_OBJECT ? sk_json_get(o, "label") : NULL;
    const sk_json *kind = o->kind == SK_JSON_OBJECT ? sk_json_get(o, "kind") : NULL;
    const sk_json *levels = o->kind == SK_JSON_OBJECT ? sk_json_get(o, "levels") : NULL;
    *at = o;
    if (label == NULL || label->kind != SK_JSON_STRING || kind == NULL ||
        kind->kind != SK_JSON_STRING || levels == NULL || levels->kind != SK_JSON_ARRAY) {
        *problem = "a variable needs a string label, a string kind and an array of levels";
        return SURVKIT_ERR_PARSE;
    }
    mv->kind = -1;
    for (int q = 0; q < 3; q++)
        if (strcmp(kind->string, kind_names[q]) == 0) mv->kind = q;
    if (mv->kind < 0) {
        *at = kind;
        *problem = "a variable's kind must be numeric, logical or factor";
        return SURVKIT_ERR_PARSE;
    }
    *problem = "out of memory";
    if ((mv->label = sk_strdup(label->string)) == NULL) return SURVKIT_ERR_NOMEM;
    if ((mv->levels = sk_calloc_array(levels->n + 1, sizeof *mv->levels)) == NULL)
        return SURVKIT_ERR_NOMEM;
    for (size_t q = 0; q < levels->n; q++, mv->n_levels++) {
        if (levels->items[q].kind != SK_JSON_STRING) {
            *at = &levels->items[q];
            *problem = "a variable's levels must be strings";
            return SURVKIT_ERR_PARSE;
        }
        if ((mv->levels[q] = sk_strdup(levels->items[q].string)) == NULL) return SURVKIT_ERR_NOMEM;
    }
    *problem = NULL;
    return SURVKIT_OK;
}

survkit_status sk_model_variables_read(const sk_json *array, sk_model_variable **out, size_t *n,
                                       const sk_json **at, const char **problem)
{
    *at = array;
    *problem = "\"variables\" must be an array";
    if (array == NULL || array->kind != SK_JSON_ARRAY) return SURVKIT_ERR_PARSE;
    *problem = "out of memory";
    sk_model_variable *v = sk_calloc_array(array->n + 1, sizeof *v);
    if (v == NULL) return SURVKIT_ERR_NOMEM;
    survkit_status status = SURVKIT_OK;
    for (size_t k = 0; status == SURVKIT_OK && k < array->n; k++)
        status = read_one(&array->items[k], &v[k], at, problem);
    if (status != SURVKIT_OK) {
        sk_model_variables_free(v, array->n);
        return status;
    }
    *out = v;
    *n = array->n;
    return SURVKIT_OK;
}

sk_variable_spec *sk_model_variables_specs(const sk_model_variable *v, size_t n)
{
    sk_variable_spec *specs = sk_calloc_array(n + 1, sizeof *specs);
    for (size_t k = 0; specs != NULL && k < n; k++)
        specs[k] = (sk_variable_spec){(sk_value_kind)v[k].kind, (const char *const *)v[k].levels,
                                      v[k].n_levels};
    return specs;
}
