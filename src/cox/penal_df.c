/*
 * penal_df.c: the variances and degrees of freedom of a penalised fit with a sparse term, as R's
 * coxpenal.df (after Gray 1992), from the sparse factor H = L diag(D, D_A) L' of penal_newton.c.
 *
 * R inverts the factor in place (chinv3): the dense rows of L^-1 are [T, L_A^-1] with
 * T = -L_A^-1 L_B (column by column, as chinv3's sweep does), and the diagonal becomes
 * d1 = 1/D (the frailty part, 0 where its penalty held it at 0) and d2 = 1/D_A (0 for a zero
 * pivot). Then, with P = diag(pen) the sparse penalty's second derivatives:
 *     fvar_g = d1_g + sum_c T_cg^2 d2_c                  (diag of H^-1, frailty block)
 *     Bm     = T' diag(d2) L_A^-1                        (H^-1, frailty x covariates)
 *     C      = L_A^-T diag(d2) L_A^-1                    (H^-1, covariates: R's fit$var)
 *     var2   = C - Bm' P Bm - C P2 C                     (H^-1 (H - P) H^-1: R's fit$var2,
 *                                                         P2 the covariates' penalty)
 *     df     = G - sum_g fvar_g pen_g                    (the sparse term)
 *     df_t   = trace(C_tt^-1 var2_tt)                    (each covariate term t)
 */
#include "cox/penal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

survkit_status sk_penal_df(const sk_penal_factor *fac, const size_t *term_of, size_t n_terms,
                           double *var, double *var2, double *fvar, double *df_sparse,
                           double *df_terms, survkit_error *err)
{
    const size_t p = fac->p, G = fac->G, w = G + p;
    double *m = sk_calloc_array(p * w + 1, sizeof(double)); /* row c of the dense rows: m[c + k p] */
    double *d2 = sk_calloc_array(p + 1, sizeof(double));
    double *bm = sk_calloc_array(G * p + 1, sizeof(double));
    double *scratch = sk_calloc_array(2 * p * p + 2 * p + 1, sizeof(double));
    size_t *idx = sk_calloc_array(p + 1, sizeof(size_t));
    if (!m || !d2 || !bm || !scratch || !idx) {
        free(m), free(d2), free(bm), free(scratch), free(idx);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (frailty df)");
    }
    const bool flagged = *fac->frail_flag;
    for (size_t g = 0; g < G; g++)
        for (size_t c = 0; c < p; c++)
            m[c + g * p] = fac->d[g] > 0 ? -fac->lb[c + g * p] : fac->lb[c + g * p];
    for (size_t i = 0; i < p; i++)
        for (size_t c = i; c < p; c++) m[c + (G + i) * p] = fac->a[c + i * p];
    /* chinv3's sweep over the dense rows */
    for (size_t i = 0; i < p; i++) {
        const size_t ii = G + i;
        if (!(m[i + ii * p] > 0)) continue;
        m[i + ii * p] = 1 / m[i + ii * p];
        for (size_t j = i + 1; j < p; j++) {
            m[j + ii * p] = -m[j + ii * p];
            for (size_t k = 0; k < ii; k++) m[j + k * p] += m[j + ii * p] * m[i + k * p];
        }
    }
    for (size_t i = 0; i < p; i++) {
        /* a column the dense penalty held (R's coxlist2$flag) has fdiag 0 in coxpenal.fit */
        d2[i] = fac->zflag[i] ? 0 : m[i + (G + i) * p];
        m[i + (G + i) * p] = 1; /* the unit diagonal of L_A^-1 */
    }
    /* T = m[:, 0:G], L_A^-1 = m[:, G:] (lower) */
    double dfs = G;
    for (size_t g = 0; g < G; g++) {
        const double d1 = flagged ? 0 : (fac->d[g] > 0 ? 1 / fac->d[g] : fac->d[g]);
        double s = 0;
        for (size_t c = 0; c < p; c++) s += m[c + g * p] * m[c + g * p] * d2[c];
        fvar[g] = d1 + s;
        dfs -= fvar[g] * fac->pen[g];
        for (size_t j = 0; j < p; j++) {
            double b = 0;
            for (size_t c = j; c < p; c++) b += m[c + g * p] * d2[c] * m[c + (G + j) * p];
            bm[g + j * G] = b;
        }
    }
    /* With a dense penalty as well (R's ptype 3) the sparse term's df loses
     * sum_i [C - H22^-1]_ii P2_ii, H22 = the covariates' block of H, rebuilt from the factor. */
    bool dense_pen = false;
    for (size_t k = 0; k < p * p; k++) dense_pen |= fac->pen2[k] != 0;
    if (G > 0 && dense_pen) {
        double *h22 = scratch, *col = scratch + p * p;
        for (size_t i = 0; i < p; i++)
            for (size_t j = 0; j < p; j++) {
                double h = 0;
                for (size_t g = 0; g < G; g++)
                    h += fac->lb[i + g * p] * fac->d[g] * fac->lb[j + g * p];
                for (size_t c = 0; c <= (i < j ? i : j); c++) {
                    const double li = c == i ? 1 : fac->a[i + c * p];
                    const double lj = c == j ? 1 : fac->a[j + c * p];
                    h += li * fac->a[c + c * p] * lj;
                }
                h22[i + j * p] = h;
            }
        (void)sk_cox_cholesky2(h22, p, 1e-9);
        for (size_t i = 0; i < p; i++) {
            for (size_t a = 0; a < p; a++) col[a] = a == i;
            sk_cox_chsolve2(h22, p, col); /* column i of H22^-1 */
            double cii = 0;
            for (size_t c = i; c < p; c++) cii += m[c + (G + i) * p] * d2[c] * m[c + (G + i) * p];
            dfs -= (cii - col[i]) * fac->pen2[i + i * p];
        }
    }
    *df_sparse = dfs;
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double s = 0;
            for (size_t c = (i > j ? i : j); c < p; c++)
                s += m[c + (G + i) * p] * d2[c] * m[c + (G + j) * p];
            var[i + j * p] = s;
            double q = 0;
            for (size_t g = 0; g < G; g++) q += bm[g + i * G] * fac->pen[g] * bm[g + j * G];
            var2[i + j * p] = s - q;
        }
    /* the dense penalty: var2 -= C P2' C (R's coxpenal.df takes the matrix as R holds it, the
     * transpose of the one coxfit5 adds to the information; they differ only for ridge() with a
     * pspline(), see frailty.c's dense_penalty) */
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double q = 0;
            for (size_t a = 0; a < p; a++)
                for (size_t b = 0; b < p; b++)
                    if (fac->pen2[b + a * p] != 0)
                        q += var[i + a * p] * fac->pen2[b + a * p] * var[b + j * p];
            scratch[i + j * p] = q;
        }
    for (size_t k = 0; k < p * p; k++) var2[k] -= scratch[k];
    /* df of each covariate term: coxph.wtest(C_tt, var2_tt)$solve, its trace */
    for (size_t t = 0; t < n_terms; t++) {
        size_t k = 0;
        for (size_t j = 0; j < p; j++)
            if (term_of[j] == t) idx[k++] = j;
        if (k == 0) {
            df_terms[t] = 0;
            continue;
        }
        double *ct = scratch, *col = scratch + p * p;
        for (size_t a = 0; a < k; a++)
            for (size_t b = 0; b < k; b++) ct[a + b * k] = var[idx[a] + idx[b] * p];
        (void)sk_cox_cholesky2(ct, k, 1e-9);
        double tr = 0;
        for (size_t b = 0; b < k; b++) {
            for (size_t a = 0; a < k; a++) col[a] = var2[idx[a] + idx[b] * p];
            sk_cox_chsolve2(ct, k, col);
            tr += col[b];
        }
        df_terms[t] = tr;
    }
    free(m), free(d2), free(bm), free(scratch), free(idx);
    return SURVKIT_OK;
}
