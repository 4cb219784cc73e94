/*
 * exact.c: the exact (discrete) partial likelihood of R's ties = "exact", right-censored data.
 *
 * At an event time with d tied events among the n rows at risk, the likelihood term is
 * prod_{deaths} exp(eta_i) / B(d, n), where B(d, n) = sum over all d-subsets of the risk set of
 * the product of their scores s_i = exp(eta_i). Gail, Lubin and Rubinstein (1981): adding rows one
 * at a time,
 *
 *     B(d, m) = B(d, m-1) + s_m B(d-1, m-1),                      B(0, m) = 1, B(d, 0) = 0,
 *
 * and differentiating in beta (x_m the covariates of the m-th row),
 *
 *     B1(d, m) = B1(d, m-1) + s_m (x_m B(d-1, m-1) + B1(d-1, m-1))
 *     B2(d, m) = B2(d, m-1) + s_m (x_m x_m' B(d-1, m-1) + x_m B1(d-1, m-1)'
 *                                  + B1(d-1, m-1) x_m' + B2(d-1, m-1)).
 *
 * Within a stratum rows enter in decreasing time order (cox_data.c), so the risk set only grows and
 * the recursion runs once per stratum, keeping d = 0..D (D the most tied events anywhere):
 * O(n D p^2) per evaluation, as R's memoised coxd0/coxd1/coxd2. The event time then adds
 *     loglik += sum_deaths eta_i - log B(d, n),  U += sum_deaths x_i - B1/B,
 *     I += B2/B - (B1/B)(B1/B)'.
 * Not BLAS-shaped, and meant for small tied sets (matched case-control data).
 */
#include "cox/cox_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double sk_cox_exact_eval(const sk_cox_problem *pb, const double *beta, double *u, double *imat,
                         bool *nomem)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, D = (size_t)lay->max_deaths, pp = p * p;
    *nomem = false;
    double *b0 = sk_malloc_array(D + 1, sizeof(double));
    double *b1 = sk_malloc_array((D + 1) * (p ? p : 1), sizeof(double));
    double *b2 = sk_malloc_array((D + 1) * (pp ? pp : 1), sizeof(double));
    double *x = sk_malloc_array(p + 1, sizeof(double));
    if (!b0 || !b1 || !b2 || !x) {
        free(b0), free(b1), free(b2), free(x);
        *nomem = true;
        return NAN;
    }
    memset(u, 0, p * sizeof(double));
    memset(imat, 0, pp * sizeof(double));
    double loglik = 0;

    for (size_t s = 0; s < lay->n_strata; s++) {
        memset(b0, 0, (D + 1) * sizeof(double));
        memset(b1, 0, (D + 1) * p * sizeof(double));
        memset(b2, 0, (D + 1) * pp * sizeof(double));
        b0[0] = 1;
        size_t cursor = lay->stratum_first_row[s], row_end = lay->stratum_first_row[s + 1];
        size_t sentinel = lay->stratum_first_slot[s + 1] - 1;
        for (size_t k = lay->stratum_first_slot[s]; k < sentinel; k++) {
            /* Add the rows whose time is >= the slot's time. */
            for (; cursor < row_end && lay->kin[lay->order[cursor]] <= k; cursor++) {
                size_t i = lay->order[cursor];
                double eta = pb->offset ? pb->offset[i] : 0.0;
                for (size_t j = 0; j < p; j++) {
                    x[j] = pb->x[i + j * n] - pb->xmean[j];
                    eta += beta[j] * x[j];
                }
                double sc = exp(eta);
                if (pb->status[i] == 1) {
                    loglik += eta;
                    for (size_t j = 0; j < p; j++) u[j] += x[j];
                }
                for (size_t d = D; d >= 1; d--) {
                    const double *b1_lo = b1 + (d - 1) * p, *b2_lo = b2 + (d - 1) * pp;
                    double *b1_d = b1 + d * p, *b2_d = b2 + d * pp;
                    for (size_t c = 0; c < p; c++)
                        for (size_t r = 0; r < p; r++)
                            b2_d[r + c * p] += sc * (x[r] * x[c] * b0[d - 1] + x[r] * b1_lo[c] +
                                                     b1_lo[r] * x[c] + b2_lo[r + c * p]);
                    for (size_t j = 0; j < p; j++) b1_d[j] += sc * (x[j] * b0[d - 1] + b1_lo[j]);
                    b0[d] += sc * b0[d - 1];
                }
            }
            size_t d = (size_t)lay->slot_deaths[k];
            double bd = b0[d];
            loglik -= log(bd);
            const double *b1_d = b1 + d * p, *b2_d = b2 + d * pp;
            for (size_t c = 0; c < p; c++) {
                u[c] -= b1_d[c] / bd;
                for (size_t r = 0; r < p; r++)
                    imat[r + c * p] += b2_d[r + c * p] / bd - (b1_d[r] / bd) * (b1_d[c] / bd);
            }
        }
    }
    free(b0), free(b1), free(b2), free(x);
    return loglik;
}
