/*
 * constants.c: the constant arguments of formula functions, as R evaluates them: a number, a
 * string, TRUE/FALSE, a negated number, or c(...) of those (relevel(x, ref = "b"),
 * factor(x, levels = c("b", "a")), ns(x, knots = c(50, 60)), poly(x, 2, raw = TRUE)).
 * As in R's c(), one string makes every element a string; a number's text is as.character()'s.
 */
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sk_constant_release(sk_constant *c)
{
    if (c == NULL) return;
    free(c->num);
    sk_free_strings(c->text, c->n);
    memset(c, 0, sizeof *c);
}

/* One element: *num and *text (malloc'd), *is_string. */
static survkit_status element(const sk_node *node, double *num, char **text, bool *is_string,
                              survkit_error *err)
{
    const sk_node *inner = node;
    while (inner->kind == SK_NODE_PAREN) inner = inner->args[0];
    double sign = 1;
    if (inner->kind == SK_NODE_UNARY && inner->args[0]->kind == SK_NODE_NUMBER) {
        sign = inner->op == '-' ? -1 : 1;
        inner = inner->args[0];
    }
    *is_string = false;
    if (inner->kind == SK_NODE_NUMBER) {
        *num = sign * inner->number;
        char buf[40];
        sk_format_number(*num, buf, sizeof buf);
        *text = sk_strdup(buf);
    } else if (inner->kind == SK_NODE_STRING) {
        *num = NAN;
        *text = sk_strdup(inner->name);
        *is_string = true;
    } else if (inner->kind == SK_NODE_NAME &&
               (strcmp(inner->name, "TRUE") == 0 || strcmp(inner->name, "FALSE") == 0)) {
        *num = inner->name[0] == 'T';
        *text = sk_strdup(inner->name);
    } else {
        char *shown = sk_deparse(node);
        survkit_status st = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                                         "'%s' is not a constant (a number, a string or c(...) "
                                         "of them)", shown ? shown : "?");
        free(shown);
        return st;
    }
    RETURN_ERROR_IF(*text == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    return SURVKIT_OK;
}

survkit_status sk_constant_read(const sk_node *node, sk_constant *out, survkit_error *err)
{
    memset(out, 0, sizeof *out);
    const bool vector = node->kind == SK_NODE_CALL && strcmp(node->name, "c") == 0;
    const size_t n = vector ? node->n_args : 1;
    if (vector && node->arg_names != NULL)
        for (size_t k = 0; k < n; k++)
            if (node->arg_names[k] != NULL)
                return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->args[k]->pos,
                                    "named elements in c() are not supported");
    out->num = sk_malloc_array(n, sizeof *out->num);
    out->text = sk_calloc_array(n, sizeof *out->text);
    if (out->num == NULL || out->text == NULL) {
        sk_constant_release(out);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        bool is_string = false;
        survkit_status st = element(vector ? node->args[k] : node, &out->num[k], &out->text[k],
                                    &is_string, err);
        out->n = k + 1;
        if (st != SURVKIT_OK) {
            sk_constant_release(out);
            return st;
        }
        out->is_string |= is_string;
    }
    return SURVKIT_OK;
}
