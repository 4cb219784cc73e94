/*
 * cox_data.c: the risk-set layout of a Cox fit, built once from one linear-time sort.
 *
 * Rows are sorted by (stratum, time decreasing). Walking a stratum in that order, every distinct
 * time with at least one event opens a "slot" (so slots run from the latest event time to the
 * earliest), and a sentinel slot closes the stratum. A row enters the risk set at the first slot
 * whose time is <= its stop time (kin) and leaves it at the first slot whose time is <= its start
 * time (kout; the sentinel for right-censored data): it is at risk at the slots [kin, kout), which
 * is R's rule start < t <= stop, ties of deaths and censorings at t included. For counting-process
 * data a second sort, by start time, places kout. Nothing here depends on the coefficients, so the
 * likelihood kernels (efron.c, exact.c) never sort.
 *
 * Times may be infinite when the caller allows it (the concordance does, as R does): they are
 * ordinary slot times; the sentinel's -Inf is only compared in the exit-slot search, where a start
 * of -Inf stops at an event slot at -Inf exactly as R's rule start < t says.
 *
 * slot_restart marks the slots before which every row at risk has left (counting-process data):
 * there R's agfit4 restarts its running sums from zero, and so do we.
 */
#include "cox/cox_internal.h"
#include "core/memory.h"
#include "core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sk_cox_layout_free(sk_cox_layout *lay)
{
    if (lay == NULL) return;
    free(lay->kin);
    free(lay->kout);
    free(lay->row_stratum);
    free(lay->slot_time);
    free(lay->slot_deaths);
    free(lay->slot_wdeaths);
    free(lay->slot_restart);
    free(lay->slot_stratum);
    free(lay->stratum_first_slot);
    free(lay->order);
    free(lay->stratum_first_row);
    memset(lay, 0, sizeof *lay);
}

/* Order rows by (stratum, key decreasing). */
static bool order_by_stratum(const double *key, size_t n, const int32_t *strata, size_t n_strata,
                             size_t *order)
{
    if (strata == NULL) return sk_sort_order(key, n, true, order);
    size_t *tmp = sk_malloc_filled(n, sizeof *tmp);
    if (tmp == NULL) return false;
    bool ok = sk_sort_order(key, n, true, tmp) && sk_sort_by_code(strata, n_strata, tmp, n, order);
    free(tmp);
    return ok;
}

static survkit_status check_inputs(size_t n, const double *start, const double *time,
                                   const double *status, const int32_t *strata, size_t n_strata,
                                   survkit_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(time[i]))
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                "time is missing or not finite");
        if (status[i] != 0 && status[i] != 1)
            return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0, "status must be 0 or 1");
        if (start != NULL) {
            if (!isfinite(start[i]))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                    "start time is missing or not finite");
            if (!(start[i] < time[i]))
                return sk_error_set(err, SURVKIT_ERR_DOMAIN, NULL, i + 1, 0,
                                    "stop time must be greater than start time");
        }
        if (strata != NULL && (strata[i] < 0 || (size_t)strata[i] >= n_strata))
            return sk_error_set(err, SURVKIT_ERR_ARGUMENT, NULL, i + 1, 0,
                                "stratum code out of range");
    }
    return SURVKIT_OK;
}

survkit_status sk_cox_layout_build(size_t n, const double *start, const double *time,
                                   const double *status, const double *weights,
                                   const int32_t *strata, size_t n_strata, sk_cox_layout *lay,
                                   survkit_error *err)
{
    memset(lay, 0, sizeof *lay);
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "no observations");
    if (strata == NULL) n_strata = 1;
    RETURN_ERROR_IF(n_strata == 0, err, SURVKIT_ERR_ARGUMENT, "strata given with no levels");
    RETURN_IF_ERROR(check_inputs(n, start, time, status, strata, n_strata, err));
    return sk_cox_layout_build_unchecked(n, start, time, status, weights, strata, n_strata, lay,
                                         err);
}

survkit_status sk_cox_layout_build_unchecked(size_t n, const double *start, const double *time,
                                             const double *status, const double *weights,
                                             const int32_t *strata, size_t n_strata,
                                             sk_cox_layout *lay, survkit_error *err)
{
    memset(lay, 0, sizeof *lay);
    if (strata == NULL) n_strata = 1;
    lay->n = n;
    lay->n_strata = n_strata;
    lay->counting = start != NULL;
    size_t max_slots = n + n_strata;
    lay->kin = sk_malloc_filled(n, sizeof *lay->kin);
    lay->kout = sk_malloc_filled(n, sizeof *lay->kout);
    lay->row_stratum = sk_calloc_array(n, sizeof *lay->row_stratum);
    lay->slot_time = sk_malloc_array(max_slots, sizeof *lay->slot_time);
    lay->slot_deaths = sk_calloc_array(max_slots, sizeof *lay->slot_deaths);
    lay->slot_wdeaths = sk_calloc_array(max_slots, sizeof *lay->slot_wdeaths);
    lay->slot_restart = sk_calloc_array(max_slots, sizeof *lay->slot_restart);
    lay->slot_stratum = sk_malloc_array(max_slots, sizeof *lay->slot_stratum);
    lay->stratum_first_slot = sk_malloc_array(n_strata + 1, sizeof *lay->stratum_first_slot);
    lay->stratum_first_row = sk_calloc_array(n_strata + 1, sizeof *lay->stratum_first_row);
    lay->order = sk_malloc_filled(n, sizeof *lay->order);
    size_t *order2 = lay->counting ? sk_malloc_filled(n, sizeof *order2) : NULL;
    int32_t *n_add = sk_calloc_array(max_slots, sizeof *n_add);
    int32_t *n_rem = sk_calloc_array(max_slots, sizeof *n_rem);
    if (!lay->kin || !lay->kout || !lay->row_stratum || !lay->slot_time || !lay->slot_deaths ||
        !lay->slot_wdeaths || !lay->slot_restart || !lay->slot_stratum ||
        !lay->stratum_first_slot || !lay->stratum_first_row || !lay->order ||
        (lay->counting && !order2) || !n_add || !n_rem ||
        !order_by_stratum(time, n, strata, n_strata, lay->order) ||
        (lay->counting && !order_by_stratum(start, n, strata, n_strata, order2))) {
        free(order2), free(n_add), free(n_rem);
        sk_cox_layout_free(lay);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox layout)");
    }
    if (strata != NULL)
        for (size_t i = 0; i < n; i++) lay->row_stratum[i] = strata[i];
    for (size_t i = 0; i < n; i++) lay->stratum_first_row[lay->row_stratum[i] + 1]++;
    for (size_t s = 0; s < n_strata; s++) lay->stratum_first_row[s + 1] += lay->stratum_first_row[s];

    /* Slots, and each row's entry slot, walking (stratum, time decreasing). */
    size_t slot = 0;
    for (size_t s = 0; s < n_strata; s++) {
        lay->stratum_first_slot[s] = slot;
        size_t pos = lay->stratum_first_row[s], end = lay->stratum_first_row[s + 1];
        while (pos < end) {
            double t = time[lay->order[pos]];
            size_t group_end = pos, deaths = 0;
            double wdeaths = 0;
            while (group_end < end && time[lay->order[group_end]] == t) {
                size_t i = lay->order[group_end];
                if (status[i] == 1) {
                    deaths++;
                    wdeaths += weights ? weights[i] : 1.0;
                }
                group_end++;
            }
            for (size_t q = pos; q < group_end; q++) lay->kin[lay->order[q]] = slot;
            if (deaths > 0) {
                lay->slot_time[slot] = t;
                lay->slot_deaths[slot] = (int32_t)deaths;
                lay->slot_wdeaths[slot] = wdeaths;
                lay->slot_stratum[slot] = (int32_t)s;
                if ((double)deaths > lay->max_deaths) lay->max_deaths = (double)deaths;
                slot++;
            }
            pos = group_end;
        }
        lay->slot_time[slot] = -INFINITY; /* the stratum's sentinel */
        lay->slot_stratum[slot] = (int32_t)s;
        for (size_t q = lay->stratum_first_row[s]; q < end; q++) lay->kout[lay->order[q]] = slot;
        slot++;
    }
    lay->stratum_first_slot[n_strata] = slot;
    lay->n_slots = slot;
    lay->n_events = slot - n_strata;

    /* Exit slots: the first slot whose time is <= start, walking (stratum, start decreasing). */
    if (lay->counting) {
        for (size_t s = 0; s < n_strata; s++) {
            size_t ptr = lay->stratum_first_slot[s];
            for (size_t q = lay->stratum_first_row[s]; q < lay->stratum_first_row[s + 1]; q++) {
                size_t i = order2[q];
                while (lay->slot_time[ptr] > start[i]) ptr++; /* the sentinel stops it */
                lay->kout[i] = ptr;
            }
        }
    }

    /* Rows ever at risk, the entry/exit counts, and R's restarts of the running sums. */
    for (size_t i = 0; i < n; i++) {
        if (lay->kin[i] >= lay->kout[i]) {
            lay->kin[i] = lay->kout[i]; /* never at risk */
            continue;
        }
        lay->n_used++;
        n_add[lay->kin[i]]++;
        if (lay->slot_deaths[lay->kout[i]] > 0) n_rem[lay->kout[i]]++;
    }
    for (size_t s = 0; s < n_strata; s++) {
        long at_risk = 0;
        for (size_t k = lay->stratum_first_slot[s]; k < lay->stratum_first_slot[s + 1]; k++) {
            long before = at_risk - n_rem[k];
            lay->slot_restart[k] = before == 0;
            at_risk = before + n_add[k];
        }
    }
    free(order2), free(n_add), free(n_rem);
    return SURVKIT_OK;
}

void sk_cox_suffix_sums(const sk_cox_layout *lay, const double *v, double *out)
{
    for (size_t s = 0; s < lay->n_strata; s++) {
        size_t first = lay->stratum_first_slot[s], sentinel = lay->stratum_first_slot[s + 1] - 1;
        out[sentinel] = 0;
        for (size_t k = sentinel; k-- > first;) out[k] = out[k + 1] + v[k];
    }
}
