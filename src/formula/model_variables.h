/*
 * model_variables.h: the variables of a formula as a fitted model saw them (label, kind, factor
 * levels), kept in a saved model so that new data are coded as R's model.frame(Terms, newdata,
 * xlev) codes them (sk_frame_build_like). Shared by every saved model: cox, survreg, finegray, glm.
 * In JSON: [{"label": "sex", "kind": "numeric" | "logical" | "factor", "levels": [...]}, ...].
 */
#ifndef SURVKIT_FORMULA_MODEL_VARIABLES_H
#define SURVKIT_FORMULA_MODEL_VARIABLES_H

#include "core/strbuf.h"
#include "formula/formula_internal.h"
#include "io/json_read.h"

typedef struct sk_model_variable {
    char *label;
    int kind;                     /* 0 numeric, 1 logical, 2 factor (sk_value_kind) */
    char **levels;
    size_t n_levels;
} sk_model_variable;

/* Copy the frame's variables into *out (n = sk_frame_n_variables). */
survkit_status sk_model_variables_capture(const survkit_frame *frame, sk_model_variable **out,
                                          size_t *n, survkit_error *err);

/* Free v[n] (NULL is fine). */
void sk_model_variables_free(sk_model_variable *v, size_t n);

/* Append v[n] as a JSON array, the elements separated by `sep`. */
void sk_model_variables_write(sk_strbuf *b, const sk_model_variable *v, size_t n, const char *sep);

/*
 * Read a JSON array of variables into *out (*n of them). A malformed entry gives SURVKIT_ERR_PARSE
 * with *at the offending value and *problem a phrase naming what is wrong ("a variable's kind must
 * be numeric, logical or factor"), for the caller's message; memory gives SURVKIT_ERR_NOMEM. On
 * failure nothing is left allocated.
 */
survkit_status sk_model_variables_read(const sk_json *array, sk_model_variable **out, size_t *n,
                                       const sk_json **at, const char **problem);

/* The specs sk_frame_build_like takes (malloc'd; they point into v), or NULL without memory. */
sk_variable_spec *sk_model_variables_specs(const sk_model_variable *v, size_t n);

#endif
