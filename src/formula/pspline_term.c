/*
 * pspline_term.c: survival's pspline(x, df = 4, theta, nterm = 2.5 * df, degree = 3, eps = 0.1)
 * in a formula: its arguments with R's checks, and its basis.
 *
 * R's pspline: with dx = (b - a) / nterm over the range [a, b] of the non-missing x, the knots are
 * a + dx (-3, ..., nterm - 1) followed by b + dx (0, ..., 3) (nterm + 7 knots, equally spaced, three
 * beyond each end); the basis is the nterm + 3 cubic B-splines on them (splineDesign), and without
 * an intercept R drops the first column, so the term has nterm + 2 columns named
 * "ps(x)3" ... "ps(x)<nterm + 4>". A missing x gives a missing row. The penalty (the second
 * differences of the coefficients) and the choice of theta are the Cox fit's (cox/pspline.c).
 *
 * R's checks, in its order: theta given must lie in (0, 1); else df = 0 is R's AIC method (not
 * supported here), df <= 1 is "Too few degrees of freedom", df > nterm (before rounding) is
 * "`nterm' too small"; then round(nterm) < 3 is "Too few basis functions".
 *
 * New data: R's makepredictcall.pspline keeps the fit's basis by rewriting the call as
 * pspline(x, nterm = N, intercept = FALSE, Boundary.knots = c(a, b), degree = 3); this file
 * writes that predict call and takes those arguments. With Boundary.knots given, an x outside
 * [a, b] is on the tangent at the nearer end, as R's spline.des(knots, c(a, a), 4, 0:1): the
 * basis at the end plus (x - end) times its derivative there. The ends are knots of the equally
 * spaced cubic B-splines, where the three non-zero derivatives are -1/(2 dx), 0, 1/(2 dx).
 */
#include "formula/formula_internal.h"
#include "core/nspline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DEGREE = 3, N_ARGS = 8 };

/* An error at a character position of the formula (the CLI puts a caret under it). */
#define RETURN_ERROR_IF_POS(cond, err, status, pos, ...)                         \
    do {                                                                          \
        if (cond) return sk_error_set((err), (status), NULL, 0, (pos), __VA_ARGS__); \
    } while (0)

static const char *const arg_names[N_ARGS] = {"x",   "df",  "theta",     "nterm",
                                              "degree", "eps", "intercept", "Boundary.knots"};

/* One finite number from a constant argument; *given false when the argument is absent. */
static survkit_status one_number(const sk_node *node, double *out, bool *given, survkit_error *err)
{
    *given = node != NULL;
    if (node == NULL) return SURVKIT_OK;
    sk_constant c;
    RETURN_IF_ERROR(sk_constant_read(node, &c, err));
    const bool ok = !c.is_string && c.n == 1 && isfinite(c.num[0]);
    if (ok) *out = c.num[0];
    sk_constant_release(&c);
    RETURN_ERROR_IF_POS(!ok, err, SURVKIT_ERR_FORMULA, node->pos, "pspline(): expected one finite number");
    return SURVKIT_OK;
}

survkit_status sk_pspline_spec(const sk_node *call, const double *x, size_t n,
                               survkit_pspline_term *spec, survkit_error *err)
{
    for (size_t k = 0; k < call->n_args; k++) {
        const char *name = call->arg_names ? call->arg_names[k] : NULL;
        bool known = name == NULL && k < N_ARGS;
        for (size_t a = 0; a < N_ARGS && !known && name; a++) known = strcmp(name, arg_names[a]) == 0;
        if (!known)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, call->args[k]->pos,
                                "pspline() has no argument '%s' that survkit supports (x, df, "
                                "theta, nterm, degree = 3, eps, intercept = FALSE, "
                                "Boundary.knots)", name ? name : "(9th)");
    }
    const sk_node *arg[N_ARGS];
    for (size_t a = 0; a < N_ARGS; a++) arg[a] = sk_call_arg(call, arg_names[a], a);
    double df = 4, theta = NAN, nterm = NAN, degree = DEGREE, eps = 0.1;
    bool has_df, has_theta, has_nterm, has_degree, has_eps;
    RETURN_IF_ERROR(one_number(arg[1], &df, &has_df, err));
    RETURN_IF_ERROR(one_number(arg[2], &theta, &has_theta, err));
    RETURN_IF_ERROR(one_number(arg[3], &nterm, &has_nterm, err));
    RETURN_IF_ERROR(one_number(arg[4], &degree, &has_degree, err));
    RETURN_IF_ERROR(one_number(arg[5], &eps, &has_eps, err));
    double intercept = 0;
    bool has_intercept;
    RETURN_IF_ERROR(one_number(arg[6], &intercept, &has_intercept, err));
    RETURN_ERROR_IF_POS(intercept != 0, err, SURVKIT_ERR_FORMULA, arg[6]->pos,
                        "pspline(): only intercept = FALSE is supported");
    double given[2] = {NAN, NAN};
    if (arg[7] != NULL) { /* R: "Invalid values for Boundary.knots" */
        sk_constant c;
        RETURN_IF_ERROR(sk_constant_read(arg[7], &c, err));
        const bool ok = !c.is_string && c.n == 2 && isfinite(c.num[0]) && isfinite(c.num[1]) &&
                        c.num[0] < c.num[1];
        if (ok) given[0] = c.num[0], given[1] = c.num[1];
        sk_constant_release(&c);
        RETURN_ERROR_IF_POS(!ok, err, SURVKIT_ERR_DOMAIN, arg[7]->pos,
                            "pspline(): invalid Boundary.knots (two finite increasing numbers)");
    }
    if (!has_nterm) nterm = 2.5 * df;
    const size_t pos = call->pos;
    RETURN_ERROR_IF_POS(degree != DEGREE, err, SURVKIT_ERR_FORMULA, pos,
                        "pspline(): only degree = 3 (cubic B-splines) is supported");
    if (has_theta) {
        RETURN_ERROR_IF_POS(!(theta > 0 && theta < 1), err, SURVKIT_ERR_DOMAIN, pos,
                            "pspline(): theta must lie strictly between 0 and 1 (R: \"Invalid "
                            "value for theta\"); it is %g", theta);
    } else {
        RETURN_ERROR_IF_POS(df == 0, err, SURVKIT_ERR_FORMULA, pos,
                            "pspline(df = 0) asks for R's AIC method, which survkit does not "
                            "support; give df > 1 or theta");
        RETURN_ERROR_IF_POS(df <= 1, err, SURVKIT_ERR_DOMAIN, pos,
                            "pspline(): too few degrees of freedom (df = %g; it must be more "
                            "than 1)", df);
        RETURN_ERROR_IF_POS(df > nterm, err, SURVKIT_ERR_DOMAIN, pos,
                            "pspline(): df = %g is more than the spline can have: nterm = %g "
                            "(R: \"`nterm' too small for df=%g\"); raise nterm or lower df",
                            df, nterm, df);
    }
    nterm = nearbyint(nterm); /* R's round(): halves to even */
    RETURN_ERROR_IF_POS(!(nterm >= 3) || nterm > 1000, err, SURVKIT_ERR_DOMAIN, pos,
                        "pspline(): too few basis functions (nterm = %g; it must be 3 to 1000)",
                        nterm);
    RETURN_ERROR_IF_POS(!(eps > 0), err, SURVKIT_ERR_DOMAIN, pos, "pspline(): eps must be > 0");
    double lo = given[0], hi = given[1];
    if (arg[7] == NULL) {
        lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++)
            if (!isnan(x[i])) lo = fmin(lo, x[i]), hi = fmax(hi, x[i]);
        RETURN_ERROR_IF_POS(!(hi > lo) || !isfinite(lo) || !isfinite(hi), err, SURVKIT_ERR_DOMAIN,
                            pos, "pspline(): x needs at least two distinct finite values");
    }
    spec->fixed = has_theta;
    spec->df = df;
    spec->theta = has_theta ? theta : NAN;
    spec->eps = eps;
    spec->nterm = (size_t)nterm;
    spec->boundary[0] = lo;
    spec->boundary[1] = hi;
    return SURVKIT_OK;
}

/* The basis row of x (all nk - 4 B-splines) on knots t; outside [a, b] the tangent at the end. */
static void basis_row(const double *t, size_t nk, size_t nterm, double dx, double xi,
                      double *scratch, double *row)
{
    const double a = t[DEGREE], b = t[nterm + DEGREE];
    if (xi >= a && xi <= b) {
        sk_bspline_values(t, nk, xi, scratch, row);
        return;
    }
    const double end = xi < a ? a : b;
    const size_t lo = xi < a ? 0 : nterm; /* the B-splines non-zero at the end: lo .. lo + 2 */
    sk_bspline_values(t, nk, end, scratch, row);
    row[lo] -= (xi - end) / (2 * dx);
    row[lo + 2] += (xi - end) / (2 * dx);
}

/* R's makepredictcall: pspline(x, nterm = N, intercept = FALSE, Boundary.knots = c(a, b),
 * degree = 3); NULL without memory. */
static char *predict_call(const sk_node *call, const survkit_pspline_term *spec)
{
    char *x_text = sk_deparse(sk_call_arg(call, "x", 0));
    char *b_text = sk_numbers_text(spec->boundary, 2);
    const size_t size = (x_text ? strlen(x_text) : 0) + (b_text ? strlen(b_text) : 0) + 96;
    char *text = x_text && b_text ? malloc(size) : NULL;
    if (text != NULL)
        snprintf(text, size, "pspline(%s, nterm = %zu, intercept = FALSE, Boundary.knots = %s, "
                 "degree = %d)", x_text, spec->nterm, b_text, DEGREE);
    free(x_text), free(b_text);
    return text;
}

survkit_status sk_pspline_evaluate(const sk_node *call, sk_value *v, survkit_error *err)
{
    survkit_pspline_term spec;
    RETURN_IF_ERROR(sk_pspline_spec(call, v->num, v->n, &spec, err));
    const size_t nterm = spec.nterm, nk = nterm + 2 * DEGREE + 1, nb = nk - DEGREE - 1;
    const size_t n = v->n, cols = nb - 1;
    const double a = spec.boundary[0], b = spec.boundary[1], dx = (b - a) / (double)nterm;
    size_t cells;
    double *basis = sk_mul_size(n, cols, &cells) ? sk_malloc_array(cells + 1, sizeof(double)) : NULL;
    double *t = sk_malloc_array(3 * nk, sizeof(double));
    char *predict = predict_call(call, &spec);
    if (basis == NULL || t == NULL || predict == NULL) {
        free(basis), free(t), free(predict);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (pspline)");
    }
    double *scratch = t + nk, *row = scratch + nk;
    for (size_t k = 0; k < nterm + DEGREE; k++) t[k] = a + dx * ((double)k - DEGREE);
    for (size_t k = 0; k <= DEGREE; k++) t[nterm + DEGREE + k] = b + dx * (double)k;
    for (size_t i = 0; i < n; i++) {
        const double xi = v->num[i];
        if (isnan(xi)) {
            for (size_t c = 0; c < cols; c++) basis[i + c * n] = NAN;
            continue;
        }
        basis_row(t, nk, nterm, dx, xi, scratch, row);
        for (size_t c = 0; c < cols; c++) basis[i + c * n] = row[c + 1];
    }
    free(t);
    if (!v->borrowed) free(v->num);
    v->borrowed = false;
    v->num = basis;
    v->kind = SK_VALUE_MATRIX;
    v->n_cols = cols;
    free(v->predict_call);
    v->predict_call = predict;
    return SURVKIT_OK;
}

char *sk_pspline_column_name(const sk_node *call, size_t col)
{
    char *inner = sk_deparse(sk_call_arg(call, "x", 0));
    if (inner == NULL) return NULL;
    const size_t len = strlen(inner) + 32;
    char *name = malloc(len);
    if (name != NULL) snprintf(name, len, "ps(%s)%zu", inner, col + 3);
    free(inner);
    return name;
}
