/*
 * factor_levels.c: choosing a factor's levels in the formula, as R users do:
 *   factor(x, levels = c("b", "a", ...))  the levels in that order (the first is the reference);
 *       x is matched by its text, as R's factor() matches as.character(x) against the levels;
 *       a value outside them is missing (NA), so na.omit drops its row;
 *   relevel(x, ref = "b")  the same levels with `ref` moved to the front (ref may also be a
 *       1-based level number). R asks for a factor there; a string column is taken as
 *       factor(x) (every level of the column, in the collation order).
 * Both give a factor that keeps all its levels after na.omit (as factor() does).
 */
#include "formula/formula_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static survkit_status out_of_memory(survkit_error *err)
{
    return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory evaluating the formula");
}

survkit_status sk_factor_set_levels(sk_value *v, const sk_node *levels_node, survkit_error *err)
{
    sk_constant levels;
    RETURN_IF_ERROR(sk_constant_read(levels_node, &levels, err));
    for (size_t k = 0; k < levels.n; k++)
        for (size_t j = 0; j < k; j++)
            if (strcmp(levels.text[j], levels.text[k]) == 0) {
                survkit_status st = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0,
                                                 levels_node->pos,
                                                 "factor level [%zu] is duplicated: \"%s\"", k + 1,
                                                 levels.text[k]);
                sk_constant_release(&levels);
                return st;
            }
    int32_t *codes = sk_malloc_array(v->n, sizeof *codes);
    if (codes == NULL) {
        sk_constant_release(&levels);
        return out_of_memory(err);
    }
    /* the code of each of v's levels (a factor), or of each row's text (numbers) */
    for (size_t i = 0; i < v->n; i++) {
        codes[i] = -1;
        if (sk_value_missing(v, i)) continue;
        char buf[64];
        const char *text = buf;
        if (v->kind == SK_VALUE_FACTOR) text = v->levels[v->codes[i]];
        else sk_value_text(v, i, buf, sizeof buf);
        for (size_t k = 0; k < levels.n && codes[i] < 0; k++)
            if (strcmp(text, levels.text[k]) == 0) codes[i] = (int32_t)k;
    }
    if (!v->borrowed) free(v->num);
    free(v->codes);
    sk_free_strings(v->levels, v->n_levels);
    v->num = NULL;
    v->borrowed = false;
    v->kind = SK_VALUE_FACTOR;
    v->codes = codes;
    v->levels = levels.text; /* take them */
    v->n_levels = levels.n;
    v->drop_unused = false;
    levels.text = NULL;
    levels.n = 0;
    sk_constant_release(&levels);
    return SURVKIT_OK;
}

survkit_status sk_factor_relevel(sk_value *v, const sk_node *call, survkit_error *err)
{
    const sk_node *ref_node = sk_call_arg(call, "ref", 1);
    if (v->kind != SK_VALUE_FACTOR)
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, 0, call->pos,
                            "'relevel' only for (unordered) factors: give it a string column or "
                            "factor(x)");
    RETURN_ERROR_IF(ref_node == NULL, err, SURVKIT_ERR_FORMULA, "relevel() needs ref");
    sk_constant ref;
    RETURN_IF_ERROR(sk_constant_read(ref_node, &ref, err));
    size_t at = SIZE_MAX;
    if (ref.n == 1 && ref.is_string) {
        for (size_t k = 0; k < v->n_levels && at == SIZE_MAX; k++)
            if (strcmp(v->levels[k], ref.text[0]) == 0) at = k;
    } else if (ref.n == 1 && ref.num[0] >= 1 && ref.num[0] <= (double)v->n_levels &&
               sk_is_integer(ref.num[0])) {
        at = (size_t)ref.num[0] - 1;
    }
    if (at == SIZE_MAX) {
        survkit_status st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, ref_node->pos,
                                         "'ref' must be an existing level: %s",
                                         ref.n ? ref.text[0] : "?");
        sk_constant_release(&ref);
        return st;
    }
    sk_constant_release(&ref);
    /* level `at` moves to the front; levels before it move one place back */
    char *chosen = v->levels[at];
    memmove(v->levels + 1, v->levels, at * sizeof *v->levels);
    v->levels[0] = chosen;
    for (size_t i = 0; i < v->n; i++) {
        int32_t c = v->codes[i];
        if (c < 0) continue;
        v->codes[i] = (size_t)c == at ? 0 : (size_t)c < at ? c + 1 : c;
    }
    v->drop_unused = false;
    return SURVKIT_OK;
}
