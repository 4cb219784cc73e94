/*
 * frailty_dense.c: the design of R's dense frailty (frailty(x, sparse = FALSE), R's default for 5
 * groups or fewer) and the split of its fit back into covariates and frailties.
 *
 * R's frailty.gamma / frailty.gaussian with sparse FALSE turn x into a factor whose contrasts are
 * contr.treatment(nclass, contrasts = FALSE): one 0/1 indicator column per group, no reference
 * level, in the model matrix where the term stands. coxpenal.fit then treats them as ordinary
 * columns under a non-sparse penalty (coxlist2, frailty.c's dense_penalty), and R's coefficient
 * vector, var and var2 hold them in that place (named gamma:<level> or gauss:<level>).
 * survkit's result keeps the covariates as its coefficients and the indicators' coefficients as
 * the frailties (R's fit$frail of the sparse form), with the full matrices alongside.
 */
#include "cox/penal_internal.h"

#include <stdlib.h>
#include <string.h>

survkit_status sk_frailty_dense_columns(const double *x, size_t n, size_t p, const int32_t *group,
                                        size_t G, size_t at, double **x_out, survkit_error *err)
{
    *x_out = NULL;
    size_t cells;
    const size_t pf = p + G;
    double *xd = sk_mul_size(n, pf, &cells) ? sk_calloc_array(cells + 1, sizeof(double)) : NULL;
    if (xd == NULL)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (dense frailty)");
    for (size_t j = 0; j < p; j++) /* covariate j moves to column j or j + G */
        memcpy(xd + (j < at ? j : j + G) * n, x + j * n, n * sizeof(double));
    for (size_t i = 0; i < n; i++) xd[i + (at + (size_t)group[i]) * n] = 1;
    *x_out = xd;
    return SURVKIT_OK;
}

survkit_status sk_frailty_dense_design(const double *x, const size_t *term_of, size_t n, size_t p,
                                       const int32_t *group, size_t G, size_t pos,
                                       double **x_out, size_t **term_out, size_t *at_out,
                                       survkit_error *err)
{
    *x_out = NULL;
    *term_out = NULL;
    size_t at = 0; /* the first indicator's column: the covariates of the terms before */
    for (size_t j = 0; j < p; j++) at += term_of[j] < pos;
    size_t *td = sk_calloc_array(p + G + 1, sizeof(size_t));
    if (td == NULL)
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (dense frailty)");
    survkit_status status = sk_frailty_dense_columns(x, n, p, group, G, at, x_out, err);
    if (status != SURVKIT_OK) {
        free(td);
        return status;
    }
    for (size_t j = 0; j < p; j++)
        td[j < at ? j : j + G] = term_of[j] < pos ? term_of[j] : term_of[j] + 1;
    for (size_t g = 0; g < G; g++) td[at + g] = pos;
    *term_out = td;
    *at_out = at;
    return SURVKIT_OK;
}

void sk_frailty_dense_vector(double *v, size_t pf, size_t fcol, size_t G, double *block)
{
    if (block != NULL) memcpy(block, v + fcol, G * sizeof(double));
    memmove(v + fcol, v + fcol + G, (pf - fcol - G) * sizeof(double));
}

void sk_frailty_dense_matrix(double *m, size_t pf, size_t fcol, size_t G, double *block)
{
    for (size_t a = 0; block != NULL && a < G; a++)
        for (size_t b = 0; b < G; b++) block[a + b * G] = m[(fcol + a) + (fcol + b) * pf];
    size_t k = 0; /* in place: each kept cell moves to a lower or equal index */
    for (size_t b = 0; b < pf; b++) {
        if (b >= fcol && b < fcol + G) continue;
        for (size_t a = 0; a < pf; a++)
            if (a < fcol || a >= fcol + G) m[k++] = m[a + b * pf];
    }
}
