/*
 * finegray_layout.c: a Fine-Gray fit's data laid out once: rows in time order (a linear-time
 * stable sort, the order of crr's d[order(d$ftime), ]), classes 0 censored / 1 the cause /
 * 2 another event, centred covariates, the censoring distribution G and the event times.
 *
 * G is crr's: the Kaplan-Meier of the censorings, survfit(Surv(ftime, cenind) ~ 1), read just
 * before each time (crr's approx(..., xout = ftime * (1 - 100 eps), f = 0)):
 *   G(T-) = prod over censoring times s < T of (1 - c_s / n_s),
 * c_s the (weighted) censorings at s and n_s the (weighted) rows with time >= s.
 */
#include "compete/compete_internal.h"

#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sk_fg_release(sk_fg_data *d)
{
    if (d == NULL) return;
    free(d->time);
    free(d->cls);
    free(d->w);
    free(d->G);
    free(d->x);
    free(d->mean);
    free(d->t_event);
    free(d->lo);
    free(d->d);
    free(d->Gk);
    free(d->k_of);
    memset(d, 0, sizeof *d);
}

survkit_status sk_fg_layout(size_t n, const double *time, const int32_t *state, int32_t cause,
                            size_t p, const double *x, const double *weights, sk_fg_data *out,
                            survkit_error *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->p = p;
    size_t *order = sk_malloc_array(n, sizeof *order);
    out->time = sk_malloc_array(n, sizeof(double));
    out->cls = sk_malloc_array(n, sizeof(int8_t));
    out->w = sk_malloc_array(n, sizeof(double));
    out->G = sk_malloc_array(n, sizeof(double));
    out->x = sk_malloc_array(n, p * sizeof(double));
    out->mean = sk_calloc_array(p, sizeof(double));
    out->k_of = sk_malloc_array(n, sizeof(size_t));
    if (!order || !out->time || !out->cls || !out->w || !out->G || !out->x || !out->mean ||
        !out->k_of || !sk_sort_order(time, n, false, order)) {
        free(order);
        sk_fg_release(out);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    }
    for (size_t q = 0; q < n; q++) {
        size_t i = order[q];
        out->time[q] = time[i];
        out->cls[q] = state[i] == 0 ? 0 : (state[i] == cause ? 1 : 2);
        out->w[q] = weights ? weights[i] : 1;
    }
    for (size_t j = 0; j < p; j++) { /* centre: the mean of each column */
        const double *col = x + j * n;
        double s = 0;
        for (size_t i = 0; i < n; i++) s += col[i];
        out->mean[j] = n ? s / (double)n : 0;
    }
    for (size_t q = 0; q < n; q++) { /* rows in time order, written in order */
        const size_t i = order[q];
        double *dst = out->x + q * p;
        for (size_t j = 0; j < p; j++) dst[j] = x[j * n + i] - out->mean[j];
    }
    free(order);
    /* distinct event times of the cause, their first rows, counts and G */
    size_t K = 0;
    for (size_t q = 0, last = SIZE_MAX; q < n; q++)
        if (out->cls[q] == 1 && (last == SIZE_MAX || out->time[q] != out->time[last])) {
            K++;
            last = q;
        }
    out->K = K;
    out->t_event = sk_malloc_array(K, sizeof(double));
    out->lo = sk_malloc_array(K, sizeof(size_t));
    out->d = sk_calloc_array(K, sizeof(double));
    out->Gk = sk_malloc_array(K, sizeof(double));
    if (!out->t_event || !out->lo || !out->d || !out->Gk) {
        sk_fg_release(out);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "finegray: out of memory");
    }
    /* one pass over the time groups: G before the group, then the group's counts */
    double at_risk = 0;
    for (size_t q = 0; q < n; q++) at_risk += out->w[q];
    double G = 1;
    size_t k = 0;
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo;
        double censored = 0, events = 0, leaving = 0;
        for (; hi < n && out->time[hi] == out->time[lo]; hi++) {
            if (out->cls[hi] == 0) censored += out->w[hi];
            if (out->cls[hi] == 1) events += out->w[hi];
            leaving += out->w[hi];
        }
        for (size_t q = lo; q < hi; q++) out->G[q] = G;
        bool has_event = false;
        for (size_t q = lo; q < hi; q++) has_event |= out->cls[q] == 1;
        if (has_event) {
            out->t_event[k] = out->time[lo];
            out->lo[k] = lo;
            out->d[k] = events;
            out->Gk[k] = G;
            k++;
        }
        for (size_t q = lo; q < hi; q++) out->k_of[q] = k;
        if (censored > 0) G *= 1 - censored / at_risk;
        at_risk -= leaving;
        lo = hi;
    }
    return SURVKIT_OK;
}
