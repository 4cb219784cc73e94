/*
 * finegray_kernel.c: the Fine-Gray pseudo log-likelihood with its score and information, as
 * cmprsk's crrfsv computes them, in O(n p) (plus the information's O(n p^2) as a SYRK) instead
 * of crr's O(n^2 p^2) (Kawaguchi, Shen, Li, Suchard 2020, Biometrics 76:2 "A fast and scalable
 * implementation method for competing risks data with the R package fastcmprsk").
 *
 * Rows i with case weight v_i, r_i = v_i exp(x_i'b), class 1 (the cause), 2 (another cause) or 0.
 * At the distinct event times t_k of the cause, with d_k the weighted events and G the censoring
 * Kaplan-Meier (G_i = G(T_i-), G_k = G(t_k-)), a row with another cause stays at risk after T_i
 * with weight G_k / G_i:
 *
 *   S0_k = sum_{T_j >= t_k} r_j + G_k sum_{class 2, T_j < t_k} r_j / G_j   (a backward running sum
 *                                                                           plus G_k times a
 *                                                                           forward one)
 *   S1_k likewise with r_j x_j,  m_k = S1_k / S0_k,
 *   loglik = sum_{class 1} v_i x_i'b - sum_k d_k log S0_k,
 *   U      = sum_{class 1} v_i x_i - sum_k d_k m_k,
 *   I      = X' diag(c) X - sum_k d_k m_k m_k',
 *   c_i    = r_i (sum_{t_k <= T_i} d_k / S0_k + [class 2] (1/G_i) sum_{t_k > T_i} d_k G_k / S0_k),
 *
 * the last from I = sum_k d_k (S2_k / S0_k - m_k m_k') by exchanging the sums over k and i.
 * X is centred (design.md: I is a difference of large matrices otherwise); nothing changes.
 */
#include "compete/compete_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 256 };

survkit_status sk_fg_eval_alloc(const sk_fg_data *d, sk_fg_eval *e, survkit_error *err)
{
    const size_t n = d->n, p = d->p, K = d->K;
    memset(e, 0, sizeof *e);
    e->U = sk_malloc_array(p + 1, sizeof(double));
    e->info = sk_malloc_array(p * p + 1, sizeof(double));
    e->S0 = sk_malloc_array(K + 1, sizeof(double));
    e->M = sk_malloc_array(K * p + 1, sizeof(double));
    e->r = sk_malloc_array(n + 1, sizeof(double));
    e->c = sk_malloc_array(n + 1, sizeof(double));
    e->scratch = sk_malloc_array(BLOCK * p + 2 * p + 2 * (K + 1), sizeof(double));
    if (!e->U || !e->info || !e->S0 || !e->M || !e->r || !e->c || !e->scratch) {
        sk_fg_eval_release(e);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    }
    return SURVKIT_OK;
}

void sk_fg_eval_release(sk_fg_eval *e)
{
    if (e == NULL) return;
    free(e->U);
    free(e->info);
    free(e->S0);
    free(e->M);
    free(e->r);
    free(e->c);
    free(e->scratch);
    memset(e, 0, sizeof *e);
}

/* info += alpha sum over rows of s_i^2 z_i z_i' (upper triangle) by SYRK over blocks of scaled
 * rows; Z holds n rows of p, row-major (row i at Z + i p) when `row_major`, else column-major
 * with leading dimension ldz; s = NULL for 1. */
static void syrk_rows(const double *Z, size_t n, size_t ldz, bool row_major, size_t p,
                      const double *s, double alpha, double *block, double *info)
{
    for (size_t lo = 0; lo < n; lo += BLOCK) {
        size_t nb = n - lo < BLOCK ? n - lo : BLOCK;
        if (row_major) { /* the block as a p x nb column-major matrix */
            for (size_t t = 0; t < nb; t++) {
                const double *row = Z + (lo + t) * p, f = s ? s[lo + t] : 1.0;
                for (size_t j = 0; j < p; j++) block[t * p + j] = f * row[j];
            }
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasNoTrans, (int)p, (int)nb, alpha, block,
                        (int)p, 1.0, info, (int)p);
            continue;
        }
        for (size_t j = 0; j < p; j++) {
            const double *col = Z + j * ldz + lo;
            double *dst = block + j * nb;
            for (size_t t = 0; t < nb; t++) dst[t] = s ? s[lo + t] * col[t] : col[t];
        }
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nb, alpha, block, (int)nb,
                    1.0, info, (int)p);
    }
}

void sk_fg_evaluate(const sk_fg_data *d, const double *b, bool full, sk_fg_eval *e)
{
    const size_t n = d->n, p = d->p, K = d->K;
    const double *x = d->x;
    double *r = e->r, *S0 = e->S0, *M = e->M;
    double *block = e->scratch, *A1 = block + BLOCK * p, *B1 = A1 + p, *P = B1 + p,
           *Q = P + (K + 1);

    /* One backward pass over the rows: eta = x'b, r = v exp(eta), the events' part of the
     * log-likelihood and of the score, and the sums over T_j >= t_k at each event time. */
    double A0 = 0, ll = 0;
    memset(A1, 0, p * sizeof *A1);
    memset(e->U, 0, p * sizeof *e->U);
    size_t q = n;
    for (size_t k = K + 1; k-- > 0;) {
        const size_t stop = k > 0 ? d->lo[k - 1] : 0; /* rows from event time k - 1 on */
        for (; q > stop; q--) {
            const size_t i = q - 1;
            const double *xi = x + i * p;
            double eta = 0;
            for (size_t j = 0; j < p; j++) eta += xi[j] * b[j];
            const double ri = d->w[i] * exp(eta);
            r[i] = ri;
            A0 += ri;
            for (size_t j = 0; j < p; j++) A1[j] += ri * xi[j];
            if (d->cls[i] == 1) {
                ll += d->w[i] * eta;
                for (size_t j = 0; j < p; j++) e->U[j] += d->w[i] * xi[j];
            }
        }
        if (k == 0) break; /* the rows before the first event time are in r, not in a risk set */
        S0[k - 1] = A0;
        for (size_t j = 0; j < p; j++) M[j * K + k - 1] = A1[j];
    }
    /* forward: the other causes' rows before t_k, weighted by G_k / G_j */
    double B0 = 0;
    memset(B1, 0, p * sizeof *B1);
    for (size_t k = 0, i = 0; k < K; k++) {
        for (; i < d->lo[k]; i++) {
            if (d->cls[i] != 2) continue;
            double f = r[i] / d->G[i];
            const double *xi = x + i * p;
            B0 += f;
            for (size_t j = 0; j < p; j++) B1[j] += f * xi[j];
        }
        S0[k] += d->Gk[k] * B0;
        for (size_t j = 0; j < p; j++) M[j * K + k] = (M[j * K + k] + d->Gk[k] * B1[j]) / S0[k];
    }
    for (size_t k = 0; k < K; k++) ll -= d->d[k] * log(S0[k]);
    e->loglik = ll;
    if (!full) return;

    /* score: the events' part (summed above) less sum d_k m_k */
    for (size_t j = 0; j < p; j++) {
        double u = 0;
        for (size_t k = 0; k < K; k++) u += d->d[k] * M[j * K + k];
        e->U[j] -= u;
    }
    /* c_i from the prefix sums P[k] = sum_{k' < k} d/S0 and suffix sums Q[k] = sum_{k' >= k} d G/S0 */
    P[0] = 0;
    for (size_t k = 0; k < K; k++) P[k + 1] = P[k] + d->d[k] / S0[k];
    Q[K] = 0;
    for (size_t k = K; k-- > 0;) Q[k] = Q[k + 1] + d->d[k] * d->Gk[k] / S0[k];
    double *c = e->c; /* sqrt(c_i), the SYRK's row scales */
    for (size_t i = 0; i < n; i++) {
        size_t k = d->k_of[i];
        double a = P[k] + (d->cls[i] == 2 ? Q[k] / d->G[i] : 0);
        c[i] = sqrt(r[i] * a);
    }
    memset(e->info, 0, p * p * sizeof *e->info);
    syrk_rows(x, n, n, true, p, c, 1.0, block, e->info);
    for (size_t k = 0; k < K; k++) P[k] = sqrt(d->d[k]);
    syrk_rows(M, K, K, false, p, P, -1.0, block, e->info);
    for (size_t a = 0; a < p; a++)
        for (size_t bb = a + 1; bb < p; bb++) e->info[a * p + bb] = e->info[bb * p + a];
}
