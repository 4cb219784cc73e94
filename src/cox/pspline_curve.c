/*
 * pspline_curve.c: a pspline() term's fitted curve as R's termplot(fit, terms = k, se = TRUE)
 * computes it (plot = FALSE): predict(fit, type = "terms", se.fit = TRUE) for the term, taken at
 * the first row of each distinct value of its variable, in increasing order.
 *
 * predict.coxph's terms: with X_t the term's basis columns over the fit's rows, centred on their
 * plain column means (R's fit$means, colMeans(X)), b_t its coefficients and V_tt their block of
 * fit$var: fit_i = (x_i - m)' b_t and se_i = sqrt((x_i - m)' V_tt (x_i - m)).
 */
#include "cox/cox_internal.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

survkit_status survkit_frailty_result_pspline_curve(const survkit_frailty_result *r,
                                                    const survkit_frame *frame, size_t k,
                                                    double *x, double *fit, double *se,
                                                    size_t *n_out, survkit_error *err)
{
    RETURN_ERROR_IF(r == NULL || frame == NULL || x == NULL || fit == NULL || se == NULL ||
                        n_out == NULL, err, SURVKIT_ERR_ARGUMENT, "pspline curve: missing argument");
    *n_out = 0;
    RETURN_ERROR_IF(k >= survkit_frailty_result_n_pspline(r) || k >= survkit_frame_n_pspline(frame),
                    err, SURVKIT_ERR_ARGUMENT, "pspline curve: no pspline term %zu", k);
    const size_t n = survkit_frame_n(frame), p = survkit_frailty_result_p(r);
    RETURN_ERROR_IF(n != survkit_frailty_result_n(r) || p != survkit_frame_p(frame), err,
                    SURVKIT_ERR_ARGUMENT, "pspline curve: the frame is not the fit's");
    size_t first = 0, m = 0;
    survkit_frailty_result_pspline_columns(r, k, &first, &m);
    const double *xfull = survkit_frame_pspline_x(frame, k), *design = survkit_frame_x(frame);
    const size_t *rows = survkit_frame_row_index(frame);
    const double *b = survkit_frailty_result_coef(r), *var = survkit_frailty_result_vcov(r);
    double *mean = sk_calloc_array(m + 1, sizeof(double));
    double *c = sk_calloc_array(m + 1, sizeof(double));
    double *xv = sk_malloc_array(n + 1, sizeof(double));
    size_t *ord = sk_malloc_array(n + 1, sizeof(size_t));
    if (!mean || !c || !xv || !ord) {
        free(mean), free(c), free(xv), free(ord);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (pspline curve)");
    }
    for (size_t j = 0; j < m; j++) {
        double s = 0;
        for (size_t i = 0; i < n; i++) s += design[i + (first + j) * n];
        mean[j] = s / (double)n;
    }
    for (size_t i = 0; i < n; i++) xv[i] = xfull[rows ? rows[i] : i];
    /* R's match(sort(unique(xx)), xx): a stable order by x keeps each value's first row first */
    survkit_status st = sk_sort_order(xv, n, false, ord) ? SURVKIT_OK : SURVKIT_ERR_NOMEM;
    size_t out = 0;
    for (size_t q = 0; st == SURVKIT_OK && q < n; q++) {
        const size_t i = ord[q];
        if (out > 0 && xv[i] == x[out - 1]) continue;
        double f = 0, v = 0;
        for (size_t j = 0; j < m; j++) c[j] = design[i + (first + j) * n] - mean[j];
        for (size_t j = 0; j < m; j++) {
            f += c[j] * b[first + j];
            double s = 0;
            for (size_t l = 0; l < m; l++) s += var[(first + j) + (first + l) * p] * c[l];
            v += c[j] * s;
        }
        x[out] = xv[i];
        fit[out] = f;
        se[out] = sqrt(v);
        out++;
    }
    *n_out = out;
    free(mean), free(c), free(xv), free(ord);
    if (st != SURVKIT_OK)
        return sk_error_set(err, st, NULL, 0, 0, "out of memory (pspline curve)");
    return SURVKIT_OK;
}
