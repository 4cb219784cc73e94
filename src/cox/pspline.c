/*
 * pspline.c: the pieces of R's pspline() that belong to the penalised Cox fit (frailty.c runs
 * them): the penalty, the choice of theta for a target df, and the printed linear/nonlinear tests.
 *
 * Penalty (pspline's pfun): with the term's coefficients b (m = nterm + 2 of them) and D the
 * second-difference matrix of the m + 1 B-spline coefficients, P = D'D without its first row and
 * column (R drops the intercept column), lambda = theta / (1 - theta):
 *     penalty = lambda b'Pb / 2,   first = lambda P b,   second = lambda P.
 *
 * theta for df (frailty.controldf): the history starts as thetas (1, 0) with dfs (1, nterm); the
 * first theta is 1 - df / nterm. After each fit its (theta, df) joins the history and the next
 * theta is frailty.controldf's (sk_frailty_df_next, frailty_control.c, shared with frailty(df = )
 * and ridge(df = )): done when it is not the first fit and |df_fit - df| < eps.
 *
 * Tests (pspline's printfun): with V = var, V2 = var2 of the term, c the knots' centres
 * (cbase = knots[2..m+1] + (a - knots[1])) and X = [1, c]: test1 = b'V^-1 b; the weighted
 * regression of b on X gives the slope row w = row 2 of (X'V^-1 X)^-1 X'V^-1; linear = w b,
 * its variances w V w and w V2 w, test2 = linear^2 / (w V w) on 1 df; "nonlin" = test1 - test2 on
 * df - 1 (p-value on max(0.5, df - 1)).
 */
#include "cox/pspline_internal.h"
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { DEGREE = 3 };

void sk_pspline_pen_free(sk_pspline_pen *ps)
{
    if (ps == NULL) return;
    free(ps->dmat), free(ps->cbase), free(ps->hist_theta), free(ps->hist_df);
    memset(ps, 0, sizeof *ps);
}

survkit_status sk_pspline_pen_init(sk_pspline_pen *ps, const survkit_pspline_term *t,
                                   size_t first_col, size_t m, size_t outer_max,
                                   survkit_error *err)
{
    memset(ps, 0, sizeof *ps);
    RETURN_ERROR_IF(m != t->nterm + DEGREE - 1, err, SURVKIT_ERR_INTERNAL,
                    "pspline: %zu columns for nterm %zu", m, t->nterm);
    ps->first = first_col;
    ps->m = m;
    ps->fixed = t->fixed;
    ps->target = t->df;
    ps->eps = t->eps;
    ps->nterm = t->nterm;
    ps->dmat = sk_calloc_array(m * m + 1, sizeof(double));
    ps->cbase = sk_calloc_array(m + 1, sizeof(double));
    ps->hist_theta = sk_calloc_array(outer_max + 3, sizeof(double));
    ps->hist_df = sk_calloc_array(outer_max + 3, sizeof(double));
    if (!ps->dmat || !ps->cbase || !ps->hist_theta || !ps->hist_df) {
        sk_pspline_pen_free(ps);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (pspline)");
    }
    /* D'D of the full m + 1 columns: each second difference r touches columns r, r+1, r+2 with
     * weights 1, -2, 1; keep rows and columns 1..m */
    static const double w[3] = {1, -2, 1};
    for (size_t r = 0; r + 2 <= m; r++)
        for (size_t a = 0; a < 3; a++)
            for (size_t b = 0; b < 3; b++) {
                const size_t i = r + a, j = r + b;
                if (i >= 1 && j >= 1) ps->dmat[(i - 1) + (j - 1) * m] += w[a] * w[b];
            }
    const double lo = t->boundary[0], dx = (t->boundary[1] - lo) / (double)t->nterm;
    const double k1 = lo + dx * (-(double)DEGREE);
    for (size_t j = 0; j < m; j++) ps->cbase[j] = (lo + dx * ((double)(j + 1) - DEGREE)) + (lo - k1);
    if (ps->fixed) {
        ps->theta = ps->next = t->theta;
    } else {
        ps->hist_theta[0] = 1, ps->hist_df[0] = 1;
        ps->hist_theta[1] = 0, ps->hist_df[1] = (double)t->nterm;
        ps->n_hist = 2;
        ps->half = -1; /* R's old$half is NULL before the first step */
        ps->theta = ps->next = 1 - t->df / (double)t->nterm;
    }
    return SURVKIT_OK;
}

void sk_pspline_penalty(const sk_pspline_pen *ps, const double *beta, size_t p, double *first,
                        double *second, double *logpen)
{
    const size_t m = ps->m, c0 = ps->first;
    const double lambda = ps->theta <= 0 ? 0 : ps->theta / (1 - ps->theta);
    double quad = 0;
    for (size_t i = 0; i < m; i++) {
        double s = 0;
        for (size_t j = 0; j < m; j++) {
            s += ps->dmat[i + j * m] * beta[c0 + j];
            second[(c0 + i) + (c0 + j) * p] = ps->dmat[i + j * m] * lambda;
        }
        first[c0 + i] = -s * lambda;
        quad += beta[c0 + i] * s;
    }
    *logpen -= quad * lambda / 2;
}

double sk_pspline_next_theta(sk_pspline_pen *ps, int iter, double df_fit, bool *done)
{
    if (ps->fixed) {
        *done = true;
        return ps->theta;
    }
    ps->hist_theta[ps->n_hist] = ps->theta;
    ps->hist_df[ps->n_hist] = df_fit;
    ps->n_hist++;
    ps->next = sk_frailty_df_next(ps->hist_theta, ps->hist_df, ps->n_hist, iter, ps->target,
                                  ps->eps, &ps->half, done);
    return ps->next;
}

survkit_status sk_pspline_tests(const sk_pspline_pen *ps, const double *coef, const double *var,
                                const double *var2, size_t p, double df, double *linear,
                                double *nonlin, survkit_error *err)
{
    const size_t m = ps->m, c0 = ps->first;
    double *mem = sk_calloc_array(3 * m * m + 8 * m + 16, sizeof(double));
    RETURN_ERROR_IF(mem == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (pspline)");
    double *v = mem, *chol = v + m * m, *scratch = chol + m * m, *b = scratch + m * m + m,
           *xsig = b + m, *w = xsig + 2 * m;
    for (size_t i = 0; i < m; i++) {
        b[i] = coef[c0 + i];
        for (size_t j = 0; j < m; j++) v[i + j * m] = var[(c0 + i) + (c0 + j) * p];
    }
    size_t rank = 0;
    const double test1 = sk_cox_wald(v, b, m, 1e-9, scratch, &rank);
    /* xsig = V^-1 X, X = [1, cbase] */
    memcpy(chol, v, m * m * sizeof(double));
    (void)sk_cox_cholesky2(chol, m, 1e-9);
    for (size_t i = 0; i < m; i++) xsig[i] = 1, xsig[m + i] = ps->cbase[i];
    sk_cox_chsolve2(chol, m, xsig);
    sk_cox_chsolve2(chol, m, xsig + m);
    /* M = X' xsig (2 x 2); w = row 2 of M^-1 xsig' */
    double mm[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < m; i++) {
        mm[0] += xsig[i];
        mm[1] += ps->cbase[i] * xsig[i];
        mm[2] += xsig[m + i];
        mm[3] += ps->cbase[i] * xsig[m + i];
    }
    (void)sk_cox_cholesky2(mm, 2, 1e-9);
    for (size_t i = 0; i < m; i++) {
        double col[2] = {xsig[i], xsig[m + i]};
        sk_cox_chsolve2(mm, 2, col);
        w[i] = col[1];
    }
    double lin = 0, lv1 = 0, lv2 = 0;
    for (size_t i = 0; i < m; i++) {
        lin += w[i] * b[i];
        for (size_t j = 0; j < m; j++) {
            lv1 += w[i] * var[(c0 + i) + (c0 + j) * p] * w[j];
            lv2 += w[i] * var2[(c0 + i) + (c0 + j) * p] * w[j];
        }
    }
    const double test2 = lin * lin / lv1;
    linear[0] = lin, linear[1] = sqrt(lv1), linear[2] = sqrt(lv2);
    linear[3] = test2, linear[4] = 1, linear[5] = sk_cox_chisq_upper(test2, 1);
    nonlin[0] = nonlin[1] = nonlin[2] = NAN;
    nonlin[3] = test1 - test2, nonlin[4] = df - 1;
    nonlin[5] = sk_cox_chisq_upper(test1 - test2, df - 1 > 0.5 ? df - 1 : 0.5);
    free(mem);
    return SURVKIT_OK;
}
