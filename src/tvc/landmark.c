/*
 * landmark.c: a landmark data set: the rows still at risk at time L, with time measured from L.
 * For Surv(time, status): the rows with time > L, time - L. For Surv(start, stop, status): the
 * rows with stop > L, max(start, L) - L and stop - L (a row spanning L starts at the landmark).
 * In R:  d <- subset(d, time > L); d$time <- d$time - L  (and pmax(start, L) - L).
 * Covariates keep the values of the rows kept: with (start, stop] rows that is their value at L.
 */
#include "tvc/tvc_internal.h"
#include "formula/formula_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The table column a Surv() argument names. */
static survkit_status surv_column(const sk_node *arg, const survkit_table *t, size_t *j,
                                  survkit_error *err)
{
    if (arg->kind != SK_NODE_NAME)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, arg->pos,
                            "a landmark needs the times in Surv() to be columns");
    long k = survkit_table_find(t, arg->name);
    if (k < 0)
        return sk_error_set(err, SURVKIT_ERR_NOT_FOUND, NULL, 0, arg->pos, "no column '%s' in the data",
                            arg->name);
    if (t->columns[k].type != SURVKIT_COLUMN_NUMERIC) {
        size_t row;
        bool found = sk_first_non_number(t, (size_t)k, &row);
        return sk_error_set(err, SURVKIT_ERR_TYPE, NULL, found ? row + 2 : 0, (uint64_t)k + 1,
                            "'%s' is not a number, but column '%s' is a time in Surv()",
                            found ? sk_table_text(t, (size_t)k, row) : "", arg->name);
    }
    *j = (size_t)k;
    return SURVKIT_OK;
}

static survkit_status landmark(const survkit_table *t, const sk_formula *f, double at,
                               survkit_table **out, size_t **rows, survkit_error *err)
{
    if (f->lhs == NULL || f->lhs->kind != SK_NODE_CALL || strcmp(f->lhs->name, "Surv") != 0 ||
        (f->lhs->n_args != 2 && f->lhs->n_args != 3))
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, f->lhs ? f->lhs->pos : 1,
                            "the left side must be Surv(time, status) or Surv(start, stop, status)");
    bool counting = f->lhs->n_args == 3;
    size_t start_j = SIZE_MAX, stop_j;
    if (counting) RETURN_IF_ERROR(surv_column(f->lhs->args[0], t, &start_j, err));
    RETURN_IF_ERROR(surv_column(f->lhs->args[counting ? 1 : 0], t, &stop_j, err));
    const double *stop = t->columns[stop_j].numbers;
    *rows = sk_malloc_array(t->n_rows, sizeof **rows);
    RETURN_ERROR_IF(*rows == NULL, err, SURVKIT_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < t->n_rows; i++)
        if (stop[i] > at) (*rows)[m++] = i;
    RETURN_IF_ERROR(survkit_table_create(m, out, err));
    for (size_t j = 0; j < t->n_columns; j++) {
        RETURN_IF_ERROR(sk_tvc_gather(*out, &t->columns[j], *rows, m, NULL, err));
        if (j != stop_j && j != start_j) continue;
        double *x = (*out)->columns[j].numbers;
        for (size_t i = 0; i < m; i++) x[i] = (j == start_j && !(x[i] > at) ? at : x[i]) - at;
    }
    return SURVKIT_OK;
}

survkit_status survkit_table_landmark(const survkit_table *data, const char *formula, double at,
                                      survkit_table **out, survkit_error *err)
{
    RETURN_ERROR_IF(data == NULL || formula == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT,
                    "survkit_table_landmark: NULL argument");
    RETURN_ERROR_IF(!isfinite(at), err, SURVKIT_ERR_ARGUMENT, "the landmark time must be finite");
    *out = NULL;
    sk_formula f = {0};
    RETURN_IF_ERROR(sk_formula_parse(formula, &f, err));
    size_t *rows = NULL;
    survkit_table *t = NULL;
    survkit_status status = landmark(data, &f, at, &t, &rows, err);
    free(rows);
    sk_formula_release(&f);
    if (status == SURVKIT_OK && t->n_rows == 0)
        status = sk_error_set(err, SURVKIT_ERR_NO_DATA, NULL, 0, 0,
                              "no row is still at risk at the landmark %g", at);
    if (status != SURVKIT_OK) {
        survkit_table_free(t);
        return status;
    }
    *out = t;
    return SURVKIT_OK;
}
