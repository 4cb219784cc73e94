/*
 * baseline.c: the hazard increments behind R's basehaz, survfit.coxph and predict.coxph
 * (survival's agsurv), one kernel for all of them.
 *
 * With risks r_i = v_i exp(x_i'b + offset_i - xcenter) (cox_eval.c) and, at event slot k of a
 * stratum, d_k tied events of summed weight wd_k, w_k = wd_k / d_k, den_kl = S0_k - (l/d_k) E0_k
 * (l = 0..d_k-1; Breslow: d_k taken as 1), the sums of efron.c give per slot
 *
 *     hazard_k = sum_l w_k / den_kl                         (R: nevent * sum1, "Efron" survtype 3)
 *     varhaz_k = sum_l w_k / den_kl^2                       (nevent * sum2)
 *     xbar_k   = sum_l (w_k / den_kl) m_kl                  (nevent * xbar, m_kl the risk-set mean)
 *
 * which is R's ctype 2 for Efron fits and ctype 1 (nevent/nrisk, nevent/nrisk^2, mean * hazard)
 * for Breslow and exact fits. The table lists every distinct (stop) time of each stratum, with
 * zero increments where only censorings happen, as survfit does; xbar is kept as its running sum.
 * The kernel works on centred covariates, so m_kl = mc_kl + cmean and xbar_k = g_k + cmean a_k.
 * efron.c may shift a stratum's risks by exp(-s) against overflow: hazard and xbar then scale by
 * exp(-s), varhaz by exp(-2s), which is undone here.
 */
#include "cox/diag_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

survkit_status sk_baseline_compute(survkit_cox_model *m, const survkit_cox_data *d,
                                   survkit_error *err)
{
    sk_baseline *b = &m->base;
    sk_baseline_free(b);
    sk_cox_eval ev;
    RETURN_IF_ERROR(sk_cox_eval_build(m, d, true, &ev, err));
    const sk_cox_layout *lay = &ev.lay;
    const size_t n = d->n, p = d->p, ns = lay->n_slots;
    sk_cox_hazard hz;
    survkit_status status = sk_cox_hazard_compute(&ev.pb, ev.work, ev.eta, &hz, err);
    if (status != SURVKIT_OK) {
        sk_cox_eval_free(&ev);
        return status;
    }

    /* Distinct times per stratum (the layout orders each stratum by time, decreasing). */
    size_t rows = 0;
    for (size_t q = 0; q < n; q++) {
        size_t i = lay->order[q];
        if (q == 0 || lay->row_stratum[i] != lay->row_stratum[lay->order[q - 1]] ||
            d->time[i] != d->time[lay->order[q - 1]])
            rows++;
    }
    b->n_rows = rows;
    b->p = p;
    b->n_strata = lay->n_strata;
    b->first = sk_calloc_array(lay->n_strata + 1, sizeof(size_t));
    b->time = sk_malloc_array(rows, sizeof(double));
    b->hazard = sk_calloc_array(rows, sizeof(double));
    b->varhaz = sk_calloc_array(rows, sizeof(double));
    b->xbar = sk_calloc_array(rows * (p ? p : 1), sizeof(double));
    if (!b->first || !b->time || !b->hazard || !b->varhaz || !b->xbar) {
        status = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (baseline hazard)");
        goto done;
    }
    size_t row = 0;
    for (size_t s = 0; s < lay->n_strata; s++) {
        b->first[s] = row;
        double scale = exp(-hz.shift[s]);
        size_t lo = lay->stratum_first_row[s], hi = lay->stratum_first_row[s + 1];
        size_t k = lay->stratum_first_slot[s + 1] - 1; /* the sentinel: no event yet */
        for (size_t q = hi; q-- > lo;) {
            double t = d->time[lay->order[q]];
            if (q + 1 < hi && d->time[lay->order[q + 1]] == t) continue;
            b->time[row] = t;
            while (k > lay->stratum_first_slot[s] && lay->slot_time[k - 1] <= t) k--;
            bool event = k < lay->stratum_first_slot[s + 1] - 1 && lay->slot_time[k] == t;
            if (event) {
                b->hazard[row] = hz.a[k] * scale;
                b->varhaz[row] = hz.a2[k] * scale * scale;
            }
            for (size_t j = 0; j < p; j++) {
                double inc = event ? (hz.g[k + j * ns] + ev.cmean[j] * hz.a[k]) * scale : 0.0;
                double prev = row > b->first[s] ? b->xbar[row - 1 + j * rows] : 0.0;
                b->xbar[row + j * rows] = prev + inc;
            }
            row++;
        }
    }
    b->first[lay->n_strata] = row;

done:
    sk_cox_hazard_free(&hz);
    sk_cox_eval_free(&ev);
    if (status != SURVKIT_OK) sk_baseline_free(b);
    return status;
}

/* ------------------------------------------------------------------ basehaz */

struct survkit_basehaz_s {
    size_t n;
    double *time, *hazard;
    int32_t *stratum;
};

void survkit_basehaz_free(survkit_basehaz *b)
{
    if (b == NULL) return;
    free(b->time), free(b->hazard), free(b->stratum);
    free(b);
}

survkit_status survkit_cox_basehaz(const survkit_cox_model *m, bool centered,
                                   survkit_basehaz **out, survkit_error *err)
{
    RETURN_ERROR_IF(m == NULL || out == NULL, err, SURVKIT_ERR_ARGUMENT, "no model given");
    *out = NULL;
    /* The model's baseline holds the frailties in its risk weights, as R's predict.coxph
     * (expected) uses them; R's survfit.coxph, which basehaz calls, leaves them out and centres
     * on the plain column means instead: another curve, not computed here yet. */
    RETURN_ERROR_IF(m->pen.n_frail > 0 && !m->pen.dense, err, SURVKIT_ERR_ARGUMENT,
                    "basehaz of a model with %s is not supported yet (R's survfit.coxph leaves "
                    "the frailties out of its risk weights)", m->pen.frail_term);
    /* A dense frailty's groups are covariates (R's X): its basehaz is the Cox model's, except
     * with strata, where R's survfit.coxph rebuilds X one group column short and stops. */
    RETURN_ERROR_IF(m->pen.dense && m->has_strata, err, SURVKIT_ERR_ARGUMENT,
                    "basehaz of a dense frailty (%s) with strata: R's survfit.coxph fails there "
                    "(\"non-conformable arguments\" in X %%*%% beta: its model matrix has one "
                    "group column fewer than the coefficients)", m->pen.frail_term);
    RETURN_IF_ERROR(sk_cox_model_baseline_check(m, "basehaz", err));
    const sk_baseline *base = &m->base;
    survkit_basehaz *b = calloc(1, sizeof *b);
    RETURN_ERROR_IF(b == NULL, err, SURVKIT_ERR_NOMEM, "out of memory (basehaz)");
    b->n = base->n_rows;
    b->time = sk_malloc_array(b->n, sizeof(double));
    b->hazard = sk_malloc_array(b->n, sizeof(double));
    b->stratum = sk_malloc_array(b->n, sizeof(int32_t));
    if (!b->time || !b->hazard || !b->stratum) {
        survkit_basehaz_free(b);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (basehaz)");
    }
    /* R: not centred, the cumulative hazard times exp(-sum(means * coef)). */
    double shift = 0;
    for (size_t j = 0; !centered && j < m->p; j++) shift += m->means[j] * sk_coef0(m->coef[j]);
    double factor = exp(-shift);
    for (size_t s = 0; s < base->n_strata; s++) {
        double cum = 0;
        for (size_t r = base->first[s]; r < base->first[s + 1]; r++) {
            cum += base->hazard[r];
            b->time[r] = base->time[r];
            b->hazard[r] = cum * factor;
            b->stratum[r] = (int32_t)s;
        }
    }
    *out = b;
    return SURVKIT_OK;
}

size_t survkit_basehaz_rows(const survkit_basehaz *b) { return b->n; }
const double *survkit_basehaz_time(const survkit_basehaz *b) { return b->time; }
const double *survkit_basehaz_hazard(const survkit_basehaz *b) { return b->hazard; }
const int32_t *survkit_basehaz_stratum(const survkit_basehaz *b) { return b->stratum; }
