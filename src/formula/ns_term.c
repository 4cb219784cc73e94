/*
 * ns_term.c: R's splines::ns(x, df, knots, intercept, Boundary.knots) in a formula, the natural
 * cubic spline basis of core/nspline.c. Columns are named "1".."k" ("ns(age, df = 3)1", ...).
 *
 * As splines::ns: the boundary knots are range(x) over the non-missing x unless given; with df
 * and no knots, df - 1 - intercept interior knots at the type-7 quantiles of the x inside the
 * boundary knots; with neither, none. A missing x gives a missing row. The knots actually used go
 * into the predict call (R's makepredictcall: ns(x, knots = ..., Boundary.knots = ...,
 * intercept = ...)), so new data get the same basis, continued linearly outside the boundary.
 */
#include "formula/formula_internal.h"
#include "core/nspline.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read a numeric constant argument into a malloc'd array (*n values); NULL node: none. */
static survkit_status numbers(const sk_node *node, double **out, size_t *n, survkit_error *err)
{
    *out = NULL;
    *n = 0;
    if (node == NULL) return SURVKIT_OK;
    sk_constant c;
    RETURN_IF_ERROR(sk_constant_read(node, &c, err));
    survkit_status st = SURVKIT_OK;
    for (size_t k = 0; k < c.n && st == SURVKIT_OK; k++)
        if (c.is_string || !isfinite(c.num[k]))
            st = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                              "ns(): expected finite numbers");
    if (st == SURVKIT_OK) {
        *out = c.num;
        *n = c.n;
        c.num = NULL;
    }
    sk_constant_release(&c);
    return st;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The interior knots from df: quantiles of the x inside [boundary]. */
static survkit_status default_knots(const double *x, size_t n, const double boundary[2],
                                    size_t n_inner, double *knots, survkit_error *err)
{
    double *inside = sk_malloc_array(n + 1, sizeof *inside);
    RETURN_ERROR_IF(inside == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (ns)");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i] >= boundary[0] && x[i] <= boundary[1]) inside[m++] = x[i];
    survkit_status st = SURVKIT_OK;
    if (m == 0) {
        st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, 0,
                          "ns(): no x inside the boundary knots");
    } else {
        qsort(inside, m, sizeof *inside, compare_doubles);
        sk_ns_default_knots(inside, m, n_inner, knots);
    }
    free(inside);
    return st;
}

survkit_status sk_ns_evaluate(const sk_node *call, sk_value *v, survkit_error *err)
{
    static const char *const names[] = {"x", "df", "knots", "intercept", "Boundary.knots"};
    const sk_node *arg[5];
    for (size_t k = 0; k < call->n_args; k++) {
        const char *name = call->arg_names ? call->arg_names[k] : NULL;
        bool known = name == NULL;
        for (size_t a = 0; a < 5 && !known; a++) known = strcmp(name, names[a]) == 0;
        if (!known)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, call->args[k]->pos,
                                "ns() has no argument '%s' survkit knows", name);
    }
    for (size_t a = 0; a < 5; a++) arg[a] = sk_call_arg(call, names[a], a);
    double *given_knots = NULL, *given_boundary = NULL, *df = NULL, *intercept_value = NULL;
    size_t n_knots = 0, n_boundary = 0, n_df = 0, n_intercept = 0;
    survkit_status st = numbers(arg[1], &df, &n_df, err);
    if (st == SURVKIT_OK) st = numbers(arg[2], &given_knots, &n_knots, err);
    if (st == SURVKIT_OK) st = numbers(arg[3], &intercept_value, &n_intercept, err);
    if (st == SURVKIT_OK) st = numbers(arg[4], &given_boundary, &n_boundary, err);
    const bool bad_df =
        arg[1] && (n_df != 1 || !sk_is_integer(df[0]) || df[0] < 1 || df[0] > 100);
    if (st == SURVKIT_OK && (bad_df || (arg[3] && n_intercept != 1) || (arg[4] && n_boundary != 2)))
        st = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, call->pos,
                          "ns(): df must be a whole number from 1 to 100, intercept TRUE or FALSE "
                          "and Boundary.knots two numbers");
    const bool intercept = st == SURVKIT_OK && arg[3] && intercept_value[0] != 0;
    const size_t n = v->n;
    double boundary[2] = {INFINITY, -INFINITY};
    if (st == SURVKIT_OK && given_boundary) {
        boundary[0] = fmin(given_boundary[0], given_boundary[1]);
        boundary[1] = fmax(given_boundary[0], given_boundary[1]);
    } else {
        for (size_t i = 0; i < n; i++)
            if (!isnan(v->num[i])) boundary[0] = fmin(boundary[0], v->num[i]),
                                   boundary[1] = fmax(boundary[1], v->num[i]);
    }
    size_t n_inner = n_knots;
    if (st == SURVKIT_OK && !arg[2] && arg[1])
        n_inner = (size_t)df[0] > 1 + (size_t)intercept ? (size_t)df[0] - 1 - (size_t)intercept : 0;
    double *knots = sk_malloc_array(n_inner + 1, sizeof *knots);
    if (st == SURVKIT_OK && knots == NULL)
        st = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (ns)");
    if (st == SURVKIT_OK && !(boundary[1] > boundary[0]))
        st = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, call->pos,
                          "ns(): x needs two distinct values (or Boundary.knots)");
    if (st == SURVKIT_OK && given_knots) {
        memcpy(knots, given_knots, n_inner * sizeof *knots);
        qsort(knots, n_inner, sizeof *knots, compare_doubles);
    } else if (st == SURVKIT_OK) {
        st = default_knots(v->num, n, boundary, n_inner, knots, err);
    }
    const size_t k_cols = n_inner + 1 + (size_t)intercept;
    size_t cells;
    double *basis = st == SURVKIT_OK && sk_mul_size(n, k_cols, &cells)
                        ? sk_malloc_array(cells, sizeof *basis) : NULL;
    if (st == SURVKIT_OK && basis == NULL)
        st = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (ns)");
    if (st == SURVKIT_OK)
        st = sk_ns_basis_at(v->num, n, knots, n_inner, boundary, intercept, basis, err);
    char *predict = NULL;
    if (st == SURVKIT_OK) { /* ns(x, knots = c(...), Boundary.knots = c(a, b), intercept = ...) */
        char *x_text = sk_deparse(sk_call_arg(call, "x", 0));
        char *k_text = n_inner ? sk_numbers_text(knots, n_inner) : sk_strdup("");
        char *b_text = sk_numbers_text(boundary, 2);
        size_t size = (x_text ? strlen(x_text) : 0) + (k_text ? strlen(k_text) : 0) + 128;
        if (x_text && k_text && b_text && (predict = malloc(size)) != NULL)
            snprintf(predict, size, "ns(%s, %s%s%s%sBoundary.knots = %s, intercept = %s)", x_text,
                     n_inner ? "knots = " : "", n_inner == 1 ? "c(" : "", k_text,
                     n_inner == 0 ? "" : n_inner == 1 ? "), " : ", ", b_text,
                     intercept ? "TRUE" : "FALSE");
        free(x_text), free(k_text), free(b_text);
        if (predict == NULL)
            st = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (ns)");
    }
    free(df), free(given_knots), free(intercept_value), free(given_boundary), free(knots);
    if (st != SURVKIT_OK) {
        free(basis);
        return st;
    }
    if (!v->borrowed) free(v->num);
    v->borrowed = false;
    v->num = basis;
    v->kind = SK_VALUE_MATRIX;
    v->n_cols = k_cols;
    free(v->predict_call);
    v->predict_call = predict;
    return SURVKIT_OK;
}
