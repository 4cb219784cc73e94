/*
 * efron.c: the Cox partial likelihood, its score and information, for Breslow and Efron ties, in
 * the BLAS-3 form of design.md. One kernel for right-censored and counting-process data, strata
 * and case weights (Breslow is Efron with every tied set counted as one death).
 *
 * Notation (design.md): rows i with weight v_i, centred covariates x_i, eta_i = x_i'b + offset_i,
 * risk r_i = v_i exp(eta_i), event indicator delta_i. Event slot k (cox_data.c) has risk set R_k,
 * d_k tied events of summed weight wd_k; S0_k, S1_k are the risk-set sums of r_i and r_i x_i, E0_k,
 * E1_k the same over the events alone. With w_k = wd_k / d_k and f = l / d_k, l = 0..d_k-1:
 *
 *     den_kl = S0_k - f E0_k,    m_kl = (S1_k - f E1_k) / den_kl,
 *     a_k = w_k sum_l 1/den_kl,  b_k = w_k sum_l f/den_kl,
 *     A_i = sum of a_k over the slots where row i is at risk,
 *     c_i = r_i (A_i - delta_i b_k(i))                                      (>= 0)
 *
 *     loglik = sum_i delta_i v_i eta_i - sum_k w_k sum_l log den_kl
 *     U      = X' (delta .* v - c)                                          (GEMV)
 *     I      = X' diag(c) X - M' diag(w) M,  M: one row m_kl per (k, l)     (two SYRKs)
 *
 * Breslow: d_k is taken as 1 with w_k = wd_k. One evaluation is a GEMV for eta, scatters of r_i and
 * r_i x_i into the rows' entry and exit slots (O(np), each column read in order), running sums over
 * the slots of each stratum (R's agfit4 order: subtract the leavers, add the entrants, restart from
 * zero when everyone has left), the per-slot scalars, the rows of M, suffix sums of a_k giving
 * A_i = Q[kin_i] - Q[kout_i], a GEMV for U and the SYRKs, X' diag(c) X in row blocks of sqrt(c) X
 * so that no scaled copy of X is kept.
 *
 * exp() overflow: the risk of a stratum is computed relative to a shift (the stratum's mean eta
 * when some eta exceeds 700, else 0). Every quantity above is invariant to it; R's agfit4 does
 * the same ("recenter"), R's coxfit6 needs it never in practice.
 */
#include "cox/cox_internal.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows per SYRK block: about 2 MB of sqrt(c) X, and never fewer than 256 rows. */
enum { BLOCK_ELEMENTS = 262144, MIN_BLOCK_ROWS = 256 };

struct sk_cox_work {
    size_t n, p, n_slots, n_mrows, block_rows;
    double *eta, *risk, *c;                 /* n */
    double *s0, *add0, *rem0, *e0, *a, *b, *q; /* n_slots */
    double *s1, *rem1, *e1;                 /* n_slots x p (s1 holds the entrants, then the sums) */
    size_t *slot_mrow;                      /* n_slots + 1: first row of M of each slot */
    double *m, *den, *mw;                   /* n_mrows x p, n_mrows, n_mrows (w_k) */
    double *shift;                          /* n_strata */
    double *block;                          /* BLOCK_ROWS x p */
};

void sk_cox_work_free(sk_cox_work *w)
{
    if (w == NULL) return;
    free(w->eta), free(w->risk), free(w->c);
    free(w->s0), free(w->add0), free(w->rem0), free(w->e0), free(w->a), free(w->b), free(w->q);
    free(w->s1), free(w->rem1), free(w->e1);
    free(w->slot_mrow), free(w->m), free(w->den), free(w->mw), free(w->shift), free(w->block);
    free(w);
}

survkit_status sk_cox_work_create(const sk_cox_problem *pb, sk_cox_work **out, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    *out = NULL;
    sk_cox_work *w = calloc(1, sizeof *w);
    RETURN_ERROR_IF(w == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (Cox workspace)");
    w->n = pb->n;
    w->p = pb->p;
    w->n_slots = lay->n_slots;
    w->slot_mrow = sk_malloc_array(lay->n_slots + 1, sizeof *w->slot_mrow);
    if (w->slot_mrow != NULL) {
        size_t rows = 0;
        for (size_t k = 0; k < lay->n_slots; k++) {
            w->slot_mrow[k] = rows;
            if (lay->slot_deaths[k] > 0) rows += pb->efron ? (size_t)lay->slot_deaths[k] : 1;
        }
        w->slot_mrow[lay->n_slots] = rows;
        w->n_mrows = rows;
    }
    size_t n = pb->n, p = pb->p, ns = lay->n_slots, nm = w->n_mrows;
    size_t slots_p = 0, m_p = 0;
    bool sizes_ok = sk_mul_size(ns, p, &slots_p) && sk_mul_size(nm, p, &m_p);
    w->eta = sk_malloc_array(n, sizeof(double));
    w->risk = sk_malloc_array(n, sizeof(double));
    w->c = sk_malloc_array(n, sizeof(double));
    double **slot_arrays[] = {&w->s0, &w->add0, &w->rem0, &w->e0, &w->a, &w->b, &w->q};
    bool ok = w->slot_mrow && sizes_ok && w->eta && w->risk && w->c;
    for (size_t k = 0; k < sizeof slot_arrays / sizeof slot_arrays[0]; k++) {
        *slot_arrays[k] = sk_malloc_array(ns, sizeof(double));
        ok = ok && *slot_arrays[k] != NULL;
    }
    if (ok) {
        w->s1 = sk_malloc_array(slots_p, sizeof(double));
        w->rem1 = sk_malloc_array(slots_p, sizeof(double));
        w->e1 = sk_malloc_array(slots_p, sizeof(double));
        w->m = sk_malloc_array(m_p, sizeof(double));
        w->den = sk_malloc_array(nm, sizeof(double));
        w->mw = sk_malloc_array(nm, sizeof(double));
        w->shift = sk_malloc_array(lay->n_strata, sizeof(double));
        w->block_rows = p > 0 && BLOCK_ELEMENTS / p > MIN_BLOCK_ROWS ? BLOCK_ELEMENTS / p : MIN_BLOCK_ROWS;
        if (w->block_rows > n) w->block_rows = n;
        w->block = sk_malloc_array(w->block_rows * (p ? p : 1), sizeof(double));
        ok = w->s1 && w->rem1 && w->e1 && w->m && w->den && w->mw && w->shift && w->block;
    }
    if (!ok) {
        sk_cox_work_free(w);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox workspace)");
    }
    *out = w;
    return SURVKIT_OK;
}

/*
 * Risks and risk-set sums at the linear predictor w->eta: w->risk, S0/E0, S1/E1 per slot, the
 * per-(k, l) denominators and weights, a_k, b_k. Returns sum_k w_k sum_l log den_kl.
 */
static double risk_set_sums(const sk_cox_problem *pb, sk_cox_work *w)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    const double *v = pb->weights, *st = pb->status;

    /* Shift per stratum against exp() overflow (invariance: see the top of the file). */
    for (size_t s = 0; s < lay->n_strata; s++) w->shift[s] = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        int32_t s = lay->row_stratum[i];
        if (lay->kin[i] < lay->kout[i] && w->eta[i] > w->shift[s]) w->shift[s] = w->eta[i];
    }
    for (size_t s = 0; s < lay->n_strata; s++) {
        if (!(w->shift[s] > 700)) {
            w->shift[s] = 0;
            continue;
        }
        double sum = 0, count = 0;
        for (size_t i = 0; i < n; i++)
            if (lay->row_stratum[i] == (int32_t)s && lay->kin[i] < lay->kout[i]) sum += w->eta[i], count++;
        w->shift[s] = sum / count;
    }

    memset(w->add0, 0, ns * sizeof(double));
    memset(w->rem0, 0, ns * sizeof(double));
    memset(w->e0, 0, ns * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        if (lay->kin[i] == lay->kout[i]) {
            w->risk[i] = 0;
            continue;
        }
        double r = v[i] * exp(w->eta[i] - w->shift[lay->row_stratum[i]]);
        w->risk[i] = r;
        w->add0[lay->kin[i]] += r;
        w->rem0[lay->kout[i]] += r;
        if (st[i] == 1) w->e0[lay->kin[i]] += r;
    }
    for (size_t j = 0; j < p; j++) {
        double *add1 = w->s1 + j * ns, *rem1 = w->rem1 + j * ns, *e1 = w->e1 + j * ns;
        const double *x = pb->xc + j * n;
        memset(add1, 0, ns * sizeof(double));
        memset(rem1, 0, ns * sizeof(double));
        memset(e1, 0, ns * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            double rx = w->risk[i] * x[i];
            add1[lay->kin[i]] += rx;
            rem1[lay->kout[i]] += rx;
            if (st[i] == 1) e1[lay->kin[i]] += rx;
        }
    }

    /* Running sums over the slots of each stratum, latest time first. */
    for (size_t s = 0; s < lay->n_strata; s++) {
        size_t first = lay->stratum_first_slot[s], sentinel = lay->stratum_first_slot[s + 1] - 1;
        for (size_t k = first; k < sentinel; k++) {
            bool restart = k == first || lay->slot_restart[k];
            w->s0[k] = (restart ? 0.0 : w->s0[k - 1] - w->rem0[k]) + w->add0[k];
            for (size_t j = 0; j < p; j++) {
                double *s1 = w->s1 + j * ns;
                s1[k] = (restart ? 0.0 : s1[k - 1] - w->rem1[j * ns + k]) + s1[k];
            }
        }
    }

    /* Per-(k, l) denominators, and a_k, b_k. */
    double log_sum = 0;
    for (size_t k = 0; k < ns; k++) {
        w->a[k] = w->b[k] = 0;
        int32_t d = lay->slot_deaths[k];
        if (d == 0) continue;
        size_t dd = pb->efron ? (size_t)d : 1;
        double wk = lay->slot_wdeaths[k] / (double)dd;
        for (size_t l = 0; l < dd; l++) {
            double f = (double)l / (double)dd;
            double den = w->s0[k] - f * w->e0[k];
            size_t row = w->slot_mrow[k] + l;
            w->den[row] = den;
            w->mw[row] = wk;
            log_sum += wk * log(den);
            w->a[k] += wk / den;
            w->b[k] += wk * f / den;
        }
    }
    return log_sum;
}

/* The rows start.. of the next block of X, each scaled by w->c: w->block (nb x p). Returns nb. */
static size_t scaled_block(const sk_cox_problem *pb, sk_cox_work *w, size_t start)
{
    const size_t n = pb->n;
    size_t nb = n - start < w->block_rows ? n - start : w->block_rows;
    for (size_t j = 0; j < pb->p; j++) {
        const double *x = pb->xc + j * n + start;
        double *bcol = w->block + j * nb;
        for (size_t i = 0; i < nb; i++) bcol[i] = w->c[start + i] * x[i];
    }
    return nb;
}

double sk_cox_efron_eval(const sk_cox_problem *pb, sk_cox_work *w, const double *beta, double *u,
                         double *imat)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots, nm = w->n_mrows;
    const double *v = pb->weights, *st = pb->status;

    memcpy(w->eta, pb->offset, n * sizeof(double));
    if (p > 0)
        cblas_dgemv(CblasColMajor, CblasNoTrans, (int)n, (int)p, 1.0, pb->xc, (int)n, beta, 1, 1.0,
                    w->eta, 1);
    double loglik = -risk_set_sums(pb, w);
    for (size_t i = 0; i < n; i++)
        if (st[i] == 1) loglik += v[i] * (w->eta[i] - w->shift[lay->row_stratum[i]]);
    if (p == 0) return loglik;

    /* Rows of M, scaled by sqrt(w_k) so that one SYRK gives M' diag(w) M. */
    for (size_t j = 0; j < p; j++) {
        const double *s1 = w->s1 + j * ns, *e1 = w->e1 + j * ns;
        double *mcol = w->m + j * nm;
        for (size_t k = 0; k < ns; k++) {
            size_t dd = w->slot_mrow[k + 1] - w->slot_mrow[k];
            for (size_t l = 0; l < dd; l++) {
                size_t row = w->slot_mrow[k] + l;
                double f = (double)l / (double)dd;
                mcol[row] = sqrt(w->mw[row]) * (s1[k] - f * e1[k]) / w->den[row];
            }
        }
    }

    /* A_i by suffix sums of a_k (from the earliest event time up), then c_i and delta v - c. */
    sk_cox_suffix_sums(lay, w->a, w->q);
    for (size_t i = 0; i < n; i++) {
        double c = 0;
        if (lay->kin[i] < lay->kout[i]) {
            double hz = w->q[lay->kin[i]] - w->q[lay->kout[i]];
            if (st[i] == 1) hz -= w->b[lay->kin[i]];
            c = w->risk[i] * hz;
            if (c < 0) c = 0; /* round-off of the counting-process difference */
        }
        w->c[i] = c;
    }
    for (size_t i = 0; i < n; i++) {
        w->eta[i] = (st[i] == 1 ? v[i] : 0.0) - w->c[i];
        w->c[i] = sqrt(w->c[i]);
    }
    cblas_dgemv(CblasColMajor, CblasTrans, (int)n, (int)p, 1.0, pb->xc, (int)n, w->eta, 1, 0.0, u, 1);

    /* I = X' diag(c) X - M' diag(w) M, upper triangle by SYRK, then mirrored (w->c holds sqrt c). */
    memset(imat, 0, p * p * sizeof(double));
    for (size_t start = 0; start < n; start += w->block_rows) {
        size_t nb = scaled_block(pb, w, start);
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nb, 1.0, w->block, (int)nb,
                    1.0, imat, (int)p);
    }
    if (nm > 0)
        cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, (int)p, (int)nm, -1.0, w->m, (int)nm, 1.0,
                    imat, (int)p);
    for (size_t j = 0; j < p; j++)
        for (size_t i = j + 1; i < p; i++) imat[i + j * p] = imat[j + i * p];
    return loglik;
}

void sk_cox_hazard_free(sk_cox_hazard *hz)
{
    if (hz == NULL) return;
    free(hz->risk), free(hz->a), free(hz->b), free(hz->a2), free(hz->g), free(hz->e), free(hz->mbar);
    free(hz->shift);
    memset(hz, 0, sizeof *hz);
}

survkit_status sk_cox_hazard_compute(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                     sk_cox_hazard *hz, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots;
    memset(hz, 0, sizeof *hz);
    size_t slots_p = 0;
    RETURN_ERROR_IF(!sk_mul_size(ns, p, &slots_p), err, SURVKIT_ERR_NOMEM, "size overflow");
    hz->risk = sk_malloc_array(n, sizeof(double));
    hz->a = sk_malloc_array(ns, sizeof(double));
    hz->b = sk_malloc_array(ns, sizeof(double));
    hz->a2 = sk_calloc_array(ns, sizeof(double));
    hz->shift = sk_malloc_array(lay->n_strata, sizeof(double));
    hz->g = sk_calloc_array(slots_p, sizeof(double));
    hz->e = sk_calloc_array(slots_p, sizeof(double));
    hz->mbar = sk_calloc_array(slots_p, sizeof(double));
    if (!hz->risk || !hz->a || !hz->b || !hz->a2 || !hz->shift || !hz->g || !hz->e || !hz->mbar) {
        sk_cox_hazard_free(hz);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox residuals)");
    }
    memcpy(w->eta, eta, n * sizeof(double));
    (void)risk_set_sums(pb, w);
    for (size_t i = 0; i < n; i++)
        hz->risk[i] = pb->weights[i] > 0 ? w->risk[i] / pb->weights[i] : 0.0;
    memcpy(hz->a, w->a, ns * sizeof(double));
    memcpy(hz->b, w->b, ns * sizeof(double));
    memcpy(hz->shift, w->shift, lay->n_strata * sizeof(double));
    for (size_t k = 0; k < ns; k++) {
        size_t dd = w->slot_mrow[k + 1] - w->slot_mrow[k];
        for (size_t l = 0; l < dd; l++) {
            size_t row = w->slot_mrow[k] + l;
            hz->a2[k] += w->mw[row] / (w->den[row] * w->den[row]);
        }
    }
    for (size_t j = 0; j < p; j++) {
        const double *s1 = w->s1 + j * ns, *e1 = w->e1 + j * ns;
        for (size_t k = 0; k < ns; k++) {
            size_t dd = w->slot_mrow[k + 1] - w->slot_mrow[k];
            double g = 0, e = 0, mbar = 0;
            for (size_t l = 0; l < dd; l++) {
                size_t row = w->slot_mrow[k] + l;
                double f = (double)l / (double)dd;
                double m = (s1[k] - f * e1[k]) / w->den[row];
                double h = w->mw[row] / w->den[row];
                g += h * m;
                e += f * h * m;
                mbar += m / (double)dd;
            }
            hz->g[j * ns + k] = g;
            hz->e[j * ns + k] = e;
            hz->mbar[j * ns + k] = mbar;
        }
    }
    return SURVKIT_OK;
}

survkit_status sk_cox_efron_slot_info(const sk_cox_problem *pb, sk_cox_work *w, const double *eta,
                                      const double *slot_weight, double *imat, survkit_error *err)
{
    const sk_cox_layout *lay = pb->lay;
    const size_t n = pb->n, p = pb->p, ns = lay->n_slots, nm = w->n_mrows;
    size_t m_p = 0;
    RETURN_ERROR_IF(!sk_mul_size(nm, p, &m_p), err, SURVKIT_ERR_NOMEM, "size overflow");
    double *ta = sk_malloc_array(2 * ns, sizeof(double));
    double *mw = sk_malloc_array(m_p, sizeof(double));
    if (ta == NULL || mw == NULL) {
        free(ta), free(mw);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (information)");
    }
    double *q = ta + ns;
    memcpy(w->eta, eta, n * sizeof(double));
    (void)risk_set_sums(pb, w);

    /* c_t,i, then X' diag(c_t) X by row blocks of c_t .* X. */
    for (size_t k = 0; k < ns; k++) ta[k] = slot_weight[k] * w->a[k];
    sk_cox_suffix_sums(lay, ta, q);
    for (size_t i = 0; i < n; i++) {
        double c = 0;
        if (lay->kin[i] < lay->kout[i]) {
            c = q[lay->kin[i]] - q[lay->kout[i]];
            if (pb->status[i] == 1) c -= slot_weight[lay->kin[i]] * w->b[lay->kin[i]];
            c *= w->risk[i];
        }
        w->c[i] = c;
    }
    memset(imat, 0, p * p * sizeof(double));
    for (size_t start = 0; start < n; start += w->block_rows) {
        size_t nb = scaled_block(pb, w, start);
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)nb, 1.0, w->block,
                    (int)nb, pb->xc + start, (int)n, 1.0, imat, (int)p);
    }

    /* - M' diag(w t) M, with the rows m_kl of M unscaled. */
    for (size_t j = 0; j < p; j++) {
        const double *s1 = w->s1 + j * ns, *e1 = w->e1 + j * ns;
        double *mcol = w->m + j * nm, *wcol = mw + j * nm;
        for (size_t k = 0; k < ns; k++) {
            size_t dd = w->slot_mrow[k + 1] - w->slot_mrow[k];
            for (size_t l = 0; l < dd; l++) {
                size_t row = w->slot_mrow[k] + l;
                double f = (double)l / (double)dd;
                mcol[row] = (s1[k] - f * e1[k]) / w->den[row];
                wcol[row] = w->mw[row] * slot_weight[k] * mcol[row];
            }
        }
    }
    if (nm > 0)
        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, (int)p, (int)p, (int)nm, -1.0, mw,
                    (int)nm, w->m, (int)nm, 1.0, imat, (int)p);
    /* Symmetric in exact arithmetic: average the two triangles. */
    for (size_t j = 0; j < p; j++)
        for (size_t i = j + 1; i < p; i++) {
            double v = 0.5 * (imat[i + j * p] + imat[j + i * p]);
            imat[i + j * p] = imat[j + i * p] = v;
        }
    free(ta), free(mw);
    return SURVKIT_OK;
}
