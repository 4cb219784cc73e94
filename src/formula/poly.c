/*
 * poly.c: R's poly(x, degree) in a formula: the orthogonal polynomials of degree 1..d over x
 * (stats::poly), or with raw = TRUE the powers x, x^2, ..., x^d. Columns are named "1".."d", so
 * the coefficients read "poly(age, 2)1", "poly(age, 2)2" as in R.
 *
 * Orthogonal case. With Z_0 = 1 and Z_{-1} = 0 the monic polynomials orthogonal over the points x
 * follow the three-term recurrence
 *     Z_{j+1} = (x - alpha_j) Z_j - (norm2_{j+1} / norm2_j) Z_{j-1},
 *     alpha_j = sum(x Z_j^2) / sum(Z_j^2),   norm2 = (1, sum Z_0^2, sum Z_1^2, ...),
 * and poly's columns are Z_j / sqrt(sum Z_j^2), j = 1..d. R computes the Z_j from a QR of
 * outer(x - mean(x), 0:d, "^") (Z = Q diag(R), the residuals of each power on the lower ones,
 * which are these monic polynomials) and then alpha and norm2 from them; here the recurrence
 * builds them directly (in x - mean(x), for accuracy). The alpha and norm2 of the fit are R's
 * attr(, "coefs"), kept in the predict call (R's makepredictcall) so that new data get the same
 * polynomials through the same recurrence, as R's predict does.
 * As in R, x may have no missing value when the polynomials are fitted, and degree must be less
 * than the number of distinct x.
 */
#include "formula/formula_internal.h"
#include "core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sk_numbers_text(const double *x, size_t n)
{
    size_t size = 32 * n + 8;
    char *text = malloc(size);
    if (text == NULL) return NULL;
    size_t used = (size_t)snprintf(text, size, "%s", n == 1 ? "" : "c(");
    for (size_t k = 0; k < n; k++)
        used += (size_t)snprintf(text + used, size - used, "%s%.17g", k ? ", " : "", x[k]);
    snprintf(text + used, size - used, "%s", n == 1 ? "" : ")");
    return text;
}

/* The distinct values among x[n] (no NaN), at least `enough` of them? */
static bool distinct_at_least(const double *x, size_t n, size_t enough, bool *ok)
{
    size_t *order = sk_malloc_array(n, sizeof *order);
    *ok = order != NULL && sk_sort_order(x, n, false, order);
    size_t distinct = 0;
    for (size_t k = 0; *ok && k < n && distinct < enough; k++)
        distinct += k == 0 || x[order[k]] != x[order[k - 1]];
    free(order);
    return distinct >= enough;
}

/* Z_1..Z_d / sqrt(norm2) over x[n] into basis (n x d) by the recurrence with alpha[d] and
 * norm2[d + 2], x shifted by `shift` first (alpha given in the same shift). */
static void recurrence(const double *x, size_t n, double shift, const double *alpha,
                       const double *norm2, size_t d, double *basis)
{
    for (size_t i = 0; i < n; i++) {
        const double xi = x[i] - shift;
        double previous = 0, current = 1; /* Z_{j-1}, Z_j at j = 0 */
        for (size_t j = 0; j < d; j++) {
            double next = (xi - alpha[j]) * current -
                          (j == 0 ? 0 : norm2[j + 1] / norm2[j] * previous);
            previous = current;
            current = next;
            basis[i + j * n] = next / sqrt(norm2[j + 2]);
        }
    }
}

/* The fit: alpha[d] (shifted by mean x) and norm2[d + 2] by the recurrence (Stieltjes). */
static void fit_coefficients(const double *x, size_t n, double mean, size_t d, double *alpha,
                             double *norm2, double *z /* 3 n scratch */)
{
    double *previous = z, *current = z + n, *next = z + 2 * n;
    for (size_t i = 0; i < n; i++) previous[i] = 0, current[i] = 1;
    norm2[0] = 1;
    norm2[1] = (double)n;
    for (size_t j = 0; j < d; j++) {
        double sxz = 0;
        for (size_t i = 0; i < n; i++) sxz += (x[i] - mean) * current[i] * current[i];
        alpha[j] = sxz / norm2[j + 1];
        double ss = 0;
        for (size_t i = 0; i < n; i++) {
            next[i] = (x[i] - mean - alpha[j]) * current[i] -
                      (j == 0 ? 0 : norm2[j + 1] / norm2[j] * previous[i]);
            ss += next[i] * next[i];
        }
        norm2[j + 2] = ss;
        double *spare = previous;
        previous = current;
        current = next;
        next = spare;
    }
}

/* list(alpha = c(...), norm2 = c(...)) of a predict call: alpha[d], norm2[d + 2]. */
static survkit_status read_coefs(const sk_node *coefs, size_t d, double *alpha, double *norm2,
                                 survkit_error *err)
{
    const sk_node *a = NULL, *n2 = NULL;
    if (coefs->kind == SK_NODE_CALL && strcmp(coefs->name, "list") == 0) {
        a = sk_call_arg(coefs, "alpha", SIZE_MAX);
        n2 = sk_call_arg(coefs, "norm2", SIZE_MAX);
    }
    if (a == NULL || n2 == NULL)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, coefs->pos,
                            "poly(): coefs must be list(alpha = c(...), norm2 = c(...))");
    sk_constant ca, cn;
    RETURN_IF_ERROR(sk_constant_read(a, &ca, err));
    survkit_status st = sk_constant_read(n2, &cn, err);
    if (st == SURVKIT_OK && (ca.n != d || cn.n != d + 2 || ca.is_string || cn.is_string))
        st = sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, coefs->pos,
                          "poly(): coefs must hold %zu alpha and %zu norm2 numbers", d, d + 2);
    if (st == SURVKIT_OK) {
        memcpy(alpha, ca.num, d * sizeof *alpha);
        memcpy(norm2, cn.num, (d + 2) * sizeof *norm2);
    }
    sk_constant_release(&ca);
    sk_constant_release(&cn);
    return st;
}

/* A constant argument that must be one whole number (degree) or TRUE/FALSE (raw). */
static survkit_status one_number(const sk_node *node, double *out, survkit_error *err)
{
    sk_constant c;
    RETURN_IF_ERROR(sk_constant_read(node, &c, err));
    bool ok = c.n == 1 && !c.is_string;
    if (ok) *out = c.num[0];
    sk_constant_release(&c);
    if (!ok)
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, node->pos,
                            "expected a single number or TRUE/FALSE");
    return SURVKIT_OK;
}

survkit_status sk_poly_evaluate(const sk_node *call, sk_value *v, survkit_error *err)
{
    for (size_t k = 0; call->arg_names != NULL && k < call->n_args; k++) {
        const char *name = call->arg_names[k];
        if (name != NULL && strcmp(name, "x") != 0 && strcmp(name, "degree") != 0 &&
            strcmp(name, "raw") != 0 && strcmp(name, "coefs") != 0)
            return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0, call->args[k]->pos,
                                "poly() has no argument '%s' survkit knows", name);
    }
    const sk_node *degree_node = sk_call_arg(call, "degree", 1);
    const sk_node *raw_node = sk_call_arg(call, "raw", SIZE_MAX);
    const sk_node *coefs = sk_call_arg(call, "coefs", SIZE_MAX);
    RETURN_ERROR_IF(sk_call_arg(call, "", 2) != NULL, err, SURVKIT_ERR_FORMULA,
                    "poly() of several variables is not supported: name raw = TRUE");
    double degree = 1, raw = 0;
    if (degree_node) RETURN_IF_ERROR(one_number(degree_node, &degree, err));
    if (raw_node) RETURN_IF_ERROR(one_number(raw_node, &raw, err));
    if (!(degree >= 1 && degree <= 100 && sk_is_integer(degree)))
        return sk_error_set(err, SURVKIT_ERR_FORMULA, NULL, 0,
                            degree_node ? degree_node->pos : call->pos,
                            "'degree' must be a whole number from 1 to 100");
    const size_t d = (size_t)degree, n = v->n;
    size_t cells;
    double *basis = sk_mul_size(n, d, &cells) ? sk_malloc_array(cells, sizeof *basis) : NULL;
    double *coef = sk_malloc_array(2 * d + 2, sizeof *coef); /* alpha[d], norm2[d + 2] */
    double *z = sk_malloc_array(3 * n + 1, sizeof *z);
    survkit_status status = basis && coef && z ? SURVKIT_OK
                                               : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0,
                                                              "out of memory (poly)");
    double *alpha = coef, *norm2 = coef + d;
    char *x_text = sk_deparse(sk_call_arg(call, "x", 0));
    if (status == SURVKIT_OK && x_text == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (poly)");
    char *predict = NULL;
    if (status == SURVKIT_OK && raw != 0) {
        /* outer(x, 1:d, "^") with R's arithmetic: x^2 is x * x */
        for (size_t j = 0; j < d; j++)
            for (size_t i = 0; i < n; i++)
                basis[i + j * n] = j == 0 ? v->num[i] : j == 1 ? v->num[i] * v->num[i]
                                                               : pow(v->num[i], (double)(j + 1));
        size_t size = strlen(x_text) + 64;
        if ((predict = malloc(size)) != NULL)
            snprintf(predict, size, "poly(%s, degree = %zu, raw = TRUE)", x_text, d);
    } else if (status == SURVKIT_OK && coefs != NULL) { /* new data: the fit's polynomials */
        status = read_coefs(coefs, d, alpha, norm2, err);
        if (status == SURVKIT_OK) recurrence(v->num, n, 0, alpha, norm2, d, basis);
    } else if (status == SURVKIT_OK) {
        bool ok = true, missing = false;
        double mean = 0;
        for (size_t i = 0; i < n; i++) missing |= isnan(v->num[i]), mean += v->num[i];
        mean /= (double)n;
        if (missing)
            status = sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, call->pos,
                                  "missing values are not allowed in 'poly'");
        else if (!distinct_at_least(v->num, n, d + 1, &ok) || !ok)
            status = ok ? sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, 0, call->pos,
                                       "'degree' must be less than number of unique points")
                        : sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (poly)");
        if (status == SURVKIT_OK) {
            fit_coefficients(v->num, n, mean, d, alpha, norm2, z);
            recurrence(v->num, n, mean, alpha, norm2, d, basis);
            for (size_t j = 0; j < d; j++) alpha[j] += mean; /* R's alpha is in x itself */
            char *a_text = sk_numbers_text(alpha, d), *n_text = sk_numbers_text(norm2, d + 2);
            size_t size = strlen(x_text) + (a_text ? strlen(a_text) : 0) +
                          (n_text ? strlen(n_text) : 0) + 96;
            if (a_text && n_text && (predict = malloc(size)) != NULL)
                snprintf(predict, size,
                         "poly(%s, degree = %zu, coefs = list(alpha = %s%s%s, norm2 = %s))", x_text,
                         d, d == 1 ? "c(" : "", a_text, d == 1 ? ")" : "", n_text);
            free(a_text);
            free(n_text);
        }
    }
    if (status == SURVKIT_OK && predict == NULL && coefs == NULL)
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (poly)");
    free(x_text);
    free(coef);
    free(z);
    if (status != SURVKIT_OK) {
        free(basis);
        free(predict);
        return status;
    }
    if (!v->borrowed) free(v->num);
    v->borrowed = false;
    v->num = basis;
    v->kind = SK_VALUE_MATRIX;
    v->n_cols = d;
    free(v->predict_call);
    v->predict_call = predict; /* NULL when the call already carries its coefficients */
    return SURVKIT_OK;
}
