/*
 * finegray_var.c: the middle of crr's sandwich variance, V = sum_i v_i eta_i eta_i' (cmprsk's
 * crrvv, Fine and Gray 1999 section 4), in O(n p + K p) for the eta_i and a SYRK for V, where
 * crrvv's loops are O(n^2 p).
 *
 * Notation of finegray_kernel.c; e_i = exp(x_i'b). Each row's eta_i = s_i + psi_i:
 *
 *   s_i = [class 1] (x_i - m(T_i))
 *         - e_i sum_{t_k <= T_i} (d_k / S0_k) (x_i - m_k)
 *         - [class 2] (e_i / G_i) sum_{t_k > T_i} (d_k G_k / S0_k) (x_i - m_k)
 *
 * (the d N_i and d Lambda parts), i.e. prefix sums P = sum d/S0, PM = sum d m/S0 and suffix sums
 * Q = sum d G/S0, QM = sum d G m/S0 taken at the row's place among the event times. The term for
 * the estimated censoring distribution, at each time u with censorings (c_u of them, Y(u) rows
 * with T >= u):
 *
 *   q(u)  = sum_{t_k >= u} (d_k G_k / S0_k) sum_{class 2, T_j < u} (r_j / G_j) (x_j - m_k)
 *         = WX(u) Q(u) - W(u) QM(u),   W, WX forward running sums of r_j / G_j and r_j x_j / G_j,
 *   psi_i = [class 0] q(T_i) / Y(T_i) - sum_{u <= T_i} c_u q(u) / Y(u)^2.
 *
 * Rows are visited once in time order; their eta_i go by blocks into the SYRK.
 */
#include "compete/compete_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 256 };

survkit_status sk_fg_sandwich(const sk_fg_data *d, const sk_fg_eval *e, double *V,
                              survkit_error *err)
{
    const size_t n = d->n, p = d->p, K = d->K;
    const double *x = d->x, *S0 = e->S0, *M = e->M, *r = e->r;
    double *QM = sk_calloc_array((K + 1) * p, sizeof(double));
    double *Q = sk_calloc_array(K + 1, sizeof(double));
    double *vec = sk_calloc_array(6 * p, sizeof(double));
    double *block = sk_malloc_array(BLOCK * p, sizeof(double));
    if (!QM || !Q || !vec || !block) {
        free(QM);
        free(Q);
        free(vec);
        free(block);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    }
    double *PM = vec, *WX = vec + p, *q = vec + 2 * p, *ss2 = vec + 3 * p, *eta = vec + 4 * p;
    /* suffix sums over the event times: Q[k], QM[k] over k' >= k (row k of the (K+1) x p QM) */
    for (size_t k = K; k-- > 0;) {
        double f = d->d[k] * d->Gk[k] / S0[k];
        Q[k] = Q[k + 1] + f;
        for (size_t j = 0; j < p; j++) QM[k * p + j] = QM[(k + 1) * p + j] + f * M[j * K + k];
    }
    double P = 0, W = 0, Y = 0;
    for (size_t i = 0; i < n; i++) Y += d->w[i];
    size_t k_done = 0;  /* event times folded into P and PM */
    size_t filled = 0;  /* rows in the block */
    memset(V, 0, p * p * sizeof *V);
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo;
        double censored = 0, leaving = 0;
        for (; hi < n && d->time[hi] == d->time[lo]; hi++) {
            if (d->cls[hi] == 0) censored += d->w[hi];
            leaving += d->w[hi];
        }
        const size_t k_after = d->k_of[lo];                 /* event times <= T */
        const size_t k_before = k_after - (k_after > 0 && d->t_event[k_after - 1] == d->time[lo]);
        for (; k_done < k_after; k_done++) {                /* P, PM over t_k <= T */
            double f = d->d[k_done] / S0[k_done];
            P += f;
            for (size_t j = 0; j < p; j++) PM[j] += f * M[j * K + k_done];
        }
        double qy = 0; /* q(u) / Y(u) for this time's censored rows */
        if (censored > 0) {
            for (size_t j = 0; j < p; j++) q[j] = WX[j] * Q[k_before] - W * QM[k_before * p + j];
            qy = 1 / Y;
            for (size_t j = 0; j < p; j++) ss2[j] -= q[j] * censored / (Y * Y);
        }
        for (size_t i = lo; i < hi; i++) {
            const double ei = d->w[i] > 0 ? r[i] / d->w[i] : 0;
            const int cls = d->cls[i];
            const double Qi = cls == 2 ? Q[k_after] / d->G[i] : 0;
            for (size_t j = 0; j < p; j++) {
                double xij = x[i * p + j];
                double s = -ei * (xij * P - PM[j]);
                if (cls == 2) s -= ei * (xij * Qi - QM[k_after * p + j] / d->G[i]);
                if (cls == 1) s += xij - M[j * K + (k_after - 1)];
                s += ss2[j];
                if (cls == 0) s += q[j] * qy;
                eta[j] = s;
            }
            double sw = sqrt(d->w[i]);
            for (size_t j = 0; j < p; j++) block[j * BLOCK + filled] = sw * eta[j];
            if (++filled == BLOCK) {
                cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)filled, 1.0, block,
                            BLOCK, 1.0, V, (int)p);
                filled = 0;
            }
        }
        for (size_t i = lo; i < hi; i++) { /* the other causes' rows join W, WX after their time */
            if (d->cls[i] != 2) continue;
            double f = r[i] / d->G[i];
            W += f;
            for (size_t j = 0; j < p; j++) WX[j] += f * x[i * p + j];
        }
        Y -= leaving;
        lo = hi;
    }
    if (filled > 0)
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)filled, 1.0, block, BLOCK,
                    1.0, V, (int)p);
    for (size_t a = 0; a < p; a++)
        for (size_t b = a + 1; b < p; b++) V[a * p + b] = V[b * p + a];
    free(QM);
    free(Q);
    free(vec);
    free(block);
    return SURVKIT_OK;
}
