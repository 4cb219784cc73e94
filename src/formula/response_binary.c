/*
 * response_binary.c: a plain response for binomial models (glm): `y ~ ...` instead of Surv().
 *
 * As R's binomial()$initialize sees it: numbers must lie in [0, 1] ("y values must be 0 <= y <=
 * 1"; fractions are proportions, for use with weights); a logical is FALSE = 0, TRUE = 1; a factor
 * is 0 at its first level and 1 otherwise (y != levels(y)[1]). survkit asks a factor for at most
 * two levels among the rows kept (R would silently lump the others together with the second):
 * more is an error naming them, with the I(y == "level") way out.
 */
#include "formula/formula_internal.h"

#include <math.h>
#include <string.h>

survkit_status sk_response_evaluate_binary(const sk_node *lhs, const survkit_table *table,
                                           sk_response *out, survkit_error *err)
{
    memset(out, 0, sizeof *out);
    if (lhs == NULL)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, 1,
                            "the formula needs a response on the left: y ~ ...");
    if (lhs->kind == SK_NODE_CALL && strcmp(lhs->name, "Surv") == 0)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, lhs->pos,
                            "the response must be a 0/1, TRUE/FALSE or two-level variable, not "
                            "Surv()");
    out->kind = SURVKIT_RESPONSE_BINARY;
    RETURN_IF_ERROR(sk_evaluate_variable(lhs, table, &out->parts[0], err));
    out->n_parts = 1;
    return SURVKIT_OK;
}

/* The first factor level used by the kept rows and whether more than two are used. */
static survkit_status factor_coding(const sk_value *v, const sk_node *lhs, const size_t *keep,
                                    size_t n, int32_t *first, survkit_error *err)
{
    int32_t used[3] = {-1, -1, -1};
    size_t n_used = 0;
    if (!v->drop_unused) /* factor(y): R keeps every level it saw before na.omit */
        for (size_t k = 0; k < v->n_levels && n_used < 3; k++) used[n_used++] = (int32_t)k;
    for (size_t i = 0; v->drop_unused && i < n && n_used < 3; i++) {
        int32_t c = v->codes[keep[i]];
        bool seen = false;
        for (size_t k = 0; k < n_used; k++) seen |= used[k] == c;
        if (!seen) used[n_used++] = c;
    }
    if (n_used > 2) {
        int32_t a = used[0], b = used[1], c = used[2]; /* three of them, in level order */
        if (a > b) { int32_t t = a; a = b; b = t; }
        if (b > c) { int32_t t = b; b = c; c = t; }
        if (a > b) { int32_t t = a; a = b; b = t; }
        return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, lhs->pos,
                            "the response has more than two levels (%s, %s, %s, ...): a binomial "
                            "model needs two; write e.g. I(y == \"%s\") for one level against the "
                            "others", v->levels[a], v->levels[b], v->levels[c], v->levels[b]);
    }
    *first = used[0];
    if (n_used == 2 && used[1] < used[0]) *first = used[1];
    return SURVKIT_OK;
}

survkit_status sk_response_code_binary(const sk_response *r, const sk_node *lhs,
                                       const survkit_table *table, const size_t *keep, size_t n,
                                       double *y, survkit_error *err)
{
    const sk_value *v = &r->parts[0];
    if (v->kind == SK_VALUE_FACTOR) {
        int32_t first = 0;
        RETURN_IF_ERROR(factor_coding(v, lhs, keep, n, &first, err));
        for (size_t i = 0; i < n; i++) y[i] = v->codes[keep[i]] != first;
        return SURVKIT_OK;
    }
    long column = lhs->kind == SK_NODE_NAME ? survkit_table_find(table, lhs->name) : -1;
    for (size_t i = 0; i < n; i++) {
        y[i] = v->num[keep[i]];
        if (!(y[i] >= 0 && y[i] <= 1))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, keep[i] + 2,
                                column >= 0 ? (uint64_t)column + 1 : 0,
                                "y values must be 0 <= y <= 1 (the response of a binomial model "
                                "is 0/1, TRUE/FALSE or a two-level variable)");
    }
    return SURVKIT_OK;
}
