/*
 * km_grid.c: Kaplan-Meier counts without sorting, for integer times of a modest range (days,
 * months: the usual case of large registers).
 *
 * With every stop (and start) time an integer in [lo, hi], one pass over the rows adds each row
 * into the cell (group g, time t) of a grid of R = hi - lo + 1 times per group: the rows stopping
 * at t, their summed weight, the weighted and unweighted events, the weighted censorings and, for
 * (start, stop] data, the summed weight of the rows starting at t. The backward pass of km.c then
 * runs over the cells instead of the sorted rows: from the latest time down, n_risk gains the
 * weight stopping at t and loses the weight starting at t (R's rule start < t <= stop), and every
 * time at which some row of the group stops is one row of the curve. Linear in n with sequential
 * reads, and no n-sized scratch. Sums of unit weights are exact, so the counts equal those of the
 * sorted pass; with fractional weights the per-time sums are added in another order (round-off).
 */
#include "km/km_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { CELL_ROWS, CELL_STOP_W, CELL_EVENT_W, CELL_EVENTS, CELL_CENSOR_W, CELL_START_W, N_CELL };

/* The integer range of the times, or false when some time is not an integer. */
static bool integer_range(const double *x, size_t n, double *lo, double *hi)
{
    for (size_t i = 0; i < n; i++) {
        if (!sk_is_integer(x[i])) return false;
        if (x[i] < *lo) *lo = x[i];
        if (x[i] > *hi) *hi = x[i];
    }
    return true;
}

survkit_status sk_km_grid_counts(size_t n, const double *start, const double *time,
                                 const double *status, const double *weights, const int32_t *group,
                                 size_t n_groups, sk_km_curve *curves, double **deaths,
                                 bool *counted, survkit_error *err)
{
    *counted = false;
    double lo = INFINITY, hi = -INFINITY;
    if (n == 0 || !integer_range(time, n, &lo, &hi)) return SURVKIT_OK;
    if (start != NULL && !integer_range(start, n, &lo, &hi)) return SURVKIT_OK;
    /* The grid costs N_CELL doubles per group and time: no more than a few per row. */
    double range = hi - lo + 1, limit = 2.0 * (double)n + 65536.0;
    if (!(range * (double)n_groups <= limit)) return SURVKIT_OK;
    const size_t r = (size_t)range, n_cells = r * n_groups;
    double *cells = sk_calloc_array(n_cells, N_CELL * sizeof(double));
    RETURN_ERROR_IF(cells == NULL, err, SURVKIT_ERR_NOMEM, "km: out of memory");
    double *rows = cells + CELL_ROWS * n_cells, *stop_w = cells + CELL_STOP_W * n_cells,
           *event_w = cells + CELL_EVENT_W * n_cells, *events = cells + CELL_EVENTS * n_cells,
           *censor_w = cells + CELL_CENSOR_W * n_cells, *start_w = cells + CELL_START_W * n_cells;

    for (size_t i = 0; i < n; i++) {
        const size_t base = group ? (size_t)group[i] * r : 0, cell = base + (size_t)(time[i] - lo);
        const double v = weights ? weights[i] : 1.0, s = status[i]; /* s is 0 or 1 */
        rows[cell] += 1;
        stop_w[cell] += v;
        event_w[cell] += v * s;
        events[cell] += s;
        censor_w[cell] += v * (1 - s);
        if (start != NULL) start_w[base + (size_t)(start[i] - lo)] += v;
    }

    survkit_status status_code = SURVKIT_OK;
    for (size_t g = 0; g < n_groups && status_code == SURVKIT_OK; g++) {
        const size_t base = g * r;
        sk_km_curve *c = &curves[g];
        size_t nt = 0;
        double records = 0;
        for (size_t b = 0; b < r; b++) {
            nt += rows[base + b] > 0;
            records += rows[base + b];
        }
        c->records = (size_t)records;
        c->n_times = nt;
        if (nt == 0) continue;
        c->values = sk_malloc_array(nt, SURVKIT_KM_N_COLUMNS * sizeof(double));
        deaths[g] = sk_malloc_array(nt, sizeof(double));
        if (c->values == NULL || deaths[g] == NULL) {
            status_code = sk_error_set(err, SURVKIT_ERR_NOMEM, NULL, 0, 0, "km: out of memory");
            break;
        }
        double *t = sk_km_col(c, SURVKIT_KM_TIME), *n_risk = sk_km_col(c, SURVKIT_KM_N_RISK),
               *n_event = sk_km_col(c, SURVKIT_KM_N_EVENT),
               *n_censor = sk_km_col(c, SURVKIT_KM_N_CENSOR);
        double at_risk = 0;
        size_t k = nt;
        for (size_t b = r; b-- > 0;) {
            const size_t cell = base + b;
            at_risk += stop_w[cell];
            if (start != NULL) at_risk -= start_w[cell];
            if (rows[cell] == 0) continue;
            k--;
            t[k] = lo + (double)b;
            n_risk[k] = at_risk;
            n_event[k] = event_w[cell];
            n_censor[k] = censor_w[cell];
            deaths[g][k] = events[cell];
        }
    }
    free(cells);
    if (status_code == SURVKIT_OK) *counted = true;
    return status_code;
}
