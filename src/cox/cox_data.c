/*
 * cox_data.c: the risk-set layout of a Cox fit, built once from one linear-time sort.
 *
 * Rows are sorted by (stratum, time decreasing). Walking a stratum in that order, every distinct
 * time with at least one event opens a "slot" (so slots run from the latest event time to the
 * earliest), and a sentinel slot closes the stratum. Right-censored integer times on a small grid
 * (days) need no sort: the same slots come from counting the deaths of each (stratum, time) cell,
 * and each row's entry slot from its cell, reading the rows in sequence (when the caller does not
 * need the sorted order itself). A row enters the risk set at the first slot
 * whose time is <= its stop time (kin) and leaves it at the first slot whose time is <= its start
 * time (kout; the sentinel for right-censored data): it is at risk at the slots [kin, kout), which
 * is R's rule start < t <= stop, ties of deaths and censorings at t included. For counting-process
 * data a second sort, by start time, places kout. Nothing here depends on the coefficients, so the
 * likelihood kernels (efron.c, exact.c) never sort.
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

/*
 * Integer times on a small grid (days, months): the cell of a row is (stratum, hi - time), so that
 * cells run through each stratum in decreasing time. Returns false when the times are not all
 * integers or the grid would be larger than a counting sort's range (then the layout sorts).
 */
static bool time_grid(const double *time, size_t n, size_t n_strata, double *hi, size_t *range)
{
    double lo = time[0], top = time[0];
    for (size_t i = 0; i < n; i++) {
        if (!sk_is_integer(time[i])) return false;
        if (time[i] < lo) lo = time[i];
        if (time[i] > top) top = time[i];
    }
    const double limit = (double)n + 65536.0;
    if (!(top - lo < limit) || (double)n_strata * (top - lo + 1) > limit) return false;
    *hi = top;
    *range = (size_t)(top - lo) + 1;
    return true;
}

/*
 * Slots and entry slots without sorting (right-censored data on a time grid): the deaths of every
 * (stratum, time) cell in one pass over the rows, the slots from the cells in decreasing time, and
 * each row's entry slot read from its cell. The same layout as slots_by_order, but every pass reads
 * the rows in sequence.
 */
static bool slots_by_grid(size_t n, const double *time, const double *status,
                          const double *weights, double hi, size_t range, sk_cox_layout *lay)
{
    const size_t n_strata = lay->n_strata, cells = n_strata * range;
    int32_t *deaths = sk_calloc_array(cells, sizeof *deaths);
    double *wdeaths = sk_calloc_array(cells, sizeof *wdeaths);
    size_t *cell_kin = sk_malloc_array(cells, sizeof *cell_kin);
    size_t *sentinel = sk_malloc_array(n_strata, sizeof *sentinel);
    bool ok = deaths && wdeaths && cell_kin && sentinel;
    /* One stratum: its codes are all 0 and not read (their pages stay unmapped, see the caller) */
    const int32_t *code = n_strata > 1 ? lay->row_stratum : NULL;
    if (ok) {
        for (size_t i = 0; i < n; i++) {
            const size_t s = code != NULL ? (size_t)code[i] : 0;
            const size_t cell = s * range + (size_t)(hi - time[i]);
            lay->stratum_first_row[s + 1]++;
            if (status[i] == 1) {
                deaths[cell]++;
                wdeaths[cell] += weights ? weights[i] : 1.0;
            }
        }
        size_t slot = 0;
        for (size_t s = 0; s < n_strata; s++) {
            lay->stratum_first_slot[s] = slot;
            for (size_t c = s * range; c < (s + 1) * range; c++) {
                cell_kin[c] = slot; /* the first slot at or below this time */
                if (deaths[c] == 0) continue;
                lay->slot_time[slot] = hi - (double)(c - s * range);
                lay->slot_deaths[slot] = deaths[c];
                lay->slot_wdeaths[slot] = wdeaths[c];
                lay->slot_stratum[slot] = (int32_t)s;
                if ((double)deaths[c] > lay->max_deaths) lay->max_deaths = (double)deaths[c];
                slot++;
            }
            lay->slot_time[slot] = -INFINITY;
            lay->slot_stratum[slot] = (int32_t)s;
            sentinel[s] = slot++;
        }
        lay->stratum_first_slot[n_strata] = slot;
        lay->n_slots = slot;
        for (size_t i = 0; i < n; i++) {
            const size_t s = code != NULL ? (size_t)code[i] : 0;
            lay->kin[i] = cell_kin[s * range + (size_t)(hi - time[i])];
            lay->kout[i] = sentinel[s];
        }
        for (size_t s = 0; s < n_strata; s++) lay->stratum_first_row[s + 1] += lay->stratum_first_row[s];
    }
    free(deaths), free(wdeaths), free(cell_kin), free(sentinel);
    return ok;
}

/*
 * Slots and entry slots from the rows sorted by (stratum, time decreasing) (lay->order): walking a
 * stratum in that order, every distinct time with an event opens a slot; then, for counting-process
 * data, the exit slots from a second order by start time.
 */
static bool slots_by_order(size_t n, const double *start, const double *time,
                           const double *status, const double *weights, const int32_t *strata,
                           sk_cox_layout *lay)
{
    const size_t n_strata = lay->n_strata;
    size_t *order2 = lay->counting ? sk_malloc_filled(n, sizeof *order2) : NULL;
    if ((lay->counting && order2 == NULL) ||
        !order_by_stratum(time, n, strata, n_strata, lay->order) ||
        (lay->counting && !order_by_stratum(start, n, strata, n_strata, order2))) {
        free(order2);
        return false;
    }
    for (size_t i = 0; i < n; i++) lay->stratum_first_row[lay->row_stratum[i] + 1]++;
    for (size_t s = 0; s < n_strata; s++) lay->stratum_first_row[s + 1] += lay->stratum_first_row[s];

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
    free(order2);
    return true;
}

survkit_status sk_cox_layout_build(size_t n, const double *start, const double *time,
                                   const double *status, const double *weights,
                                   const int32_t *strata, size_t n_strata, bool with_order,
                                   sk_cox_layout *lay, survkit_error *err)
{
    memset(lay, 0, sizeof *lay);
    RETURN_ERROR_IF(n == 0, err, SURVKIT_ERR_NO_DATA, "no observations");
    if (strata == NULL) n_strata = 1;
    RETURN_ERROR_IF(n_strata == 0, err, SURVKIT_ERR_ARGUMENT, "strata given with no levels");
    RETURN_IF_ERROR(check_inputs(n, start, time, status, strata, n_strata, err));
    return sk_cox_layout_build_unchecked(n, start, time, status, weights, strata, n_strata,
                                         with_order, lay, err);
}

survkit_status sk_cox_layout_build_unchecked(size_t n, const double *start, const double *time,
                                             const double *status, const double *weights,
                                             const int32_t *strata, size_t n_strata,
                                             bool with_order, sk_cox_layout *lay,
                                             survkit_error *err)
{
    memset(lay, 0, sizeof *lay);
    if (strata == NULL) n_strata = 1;
    lay->n = n;
    lay->n_strata = n_strata;
    lay->counting = start != NULL;
    double hi = 0;
    size_t range = 0;
    const bool grid = !with_order && start == NULL && time_grid(time, n, n_strata, &hi, &range);
    size_t max_slots = n + n_strata;
    lay->kin = sk_malloc_filled(n, sizeof *lay->kin);
    lay->kout = sk_malloc_filled(n, sizeof *lay->kout);
    /* Without strata every code is 0: an untouched calloc, whose reads map the kernel's zero page
     * (4 MB of fresh memory fewer at 1M rows). */
    lay->row_stratum = strata != NULL ? sk_malloc_filled(n, sizeof *lay->row_stratum)
                                      : sk_calloc_array(n, sizeof *lay->row_stratum);
    lay->slot_time = sk_malloc_array(max_slots, sizeof *lay->slot_time);
    lay->slot_deaths = sk_calloc_array(max_slots, sizeof *lay->slot_deaths);
    lay->slot_wdeaths = sk_calloc_array(max_slots, sizeof *lay->slot_wdeaths);
    lay->slot_restart = sk_calloc_array(max_slots, sizeof *lay->slot_restart);
    lay->slot_stratum = sk_malloc_array(max_slots, sizeof *lay->slot_stratum);
    lay->stratum_first_slot = sk_malloc_array(n_strata + 1, sizeof *lay->stratum_first_slot);
    lay->stratum_first_row = sk_calloc_array(n_strata + 1, sizeof *lay->stratum_first_row);
    lay->order = grid ? NULL : sk_malloc_filled(n, sizeof *lay->order);
    int32_t *n_add = sk_calloc_array(max_slots, sizeof *n_add);
    int32_t *n_rem = sk_calloc_array(max_slots, sizeof *n_rem);
    bool ok = lay->kin && lay->kout && lay->row_stratum && lay->slot_time && lay->slot_deaths &&
              lay->slot_wdeaths && lay->slot_restart && lay->slot_stratum &&
              lay->stratum_first_slot && lay->stratum_first_row && (grid || lay->order) && n_add &&
              n_rem;
    if (ok) {
        for (size_t i = 0; strata != NULL && i < n; i++) lay->row_stratum[i] = strata[i];
        ok = grid ? slots_by_grid(n, time, status, weights, hi, range, lay)
                  : slots_by_order(n, start, time, status, weights, strata, lay);
    }
    if (!ok) {
        free(n_add), free(n_rem);
        sk_cox_layout_free(lay);
        return sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "out of memory (Cox layout)");
    }
    lay->n_events = lay->n_slots - n_strata;
    if (!with_order && lay->order != NULL) { /* sorted here but not wanted */
        free(lay->order);
        lay->order = NULL;
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
    free(n_add), free(n_rem);
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
